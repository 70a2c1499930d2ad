/* SPDX-License-Identifier: GPL-2.0-only */
/* spec.h - a cell's /cell.spec, the guest agent's whole input, and whether it fits the agent. */
#ifndef OOMLAB_SPEC_H
#define OOMLAB_SPEC_H

#include <stddef.h>

#include "cells/scenario.h"

/*
 * The spec is the agent's input for one cell (proto.h, docs/PROTOCOL.md): the cell line, the
 * disks, the sysctls, the hierarchy, each group followed by its knobs, the changes, the
 * evictor's files and units and its line, and one line per workload, in the order the agent
 * applies them. The scenario parser builds it for every cell of a scenario to prove that the
 * agent takes it (no line past PROTO_LINE_MAX, the whole within PROTO_SPEC_MAX,
 * scenario_check.c), and job_start() (launch/schedule.c) builds it for the cell it boots: one
 * writer, so the check and what the guest reads cannot drift apart. The agent reads it back
 * in vmimages/agent/spec.c.
 */

enum spec_part {
	SPEC_PART_CELL,     /* the cell, swap, disk, sysctl and cgroup lines */
	SPEC_PART_GROUP,    /* a group's line or one of its knob lines */
	SPEC_PART_CHANGE,
	SPEC_PART_WORKLOAD,
	SPEC_PART_EVICTOR,  /* the evictor's line, or a file of it (index: which file) */
};

/* A file's text goes in pieces of at most this many bytes, each escaped in a "file" line. */
#define SPEC_FILE_PIECE 1024

/* What would not fit the agent, and which part of the scenario wrote it. */
struct spec_misfit {
	int whole;          /* 0: one line is longer than PROTO_LINE_MAX - 1 bytes; 1: the spec
			     * is longer than PROTO_SPEC_MAX - 1 bytes from this line on */
	enum spec_part part;
	int index;          /* the group, change or workload */
	int arg;            /* a workload line too long: the argument that made it so, else -1 */
	size_t bytes;       /* the line's length, or the spec's up to and with this line */
};

/*
 * The spec of the cell of sc at value indexes vi (sc_cell_next()), its cell line naming it
 * id. Returns the text for the caller to free, or NULL with *misfit filled in when the agent
 * would not take it.
 */
char *spec_cell(const struct scenario *sc, const int *vi, const char *id,
		struct spec_misfit *misfit);

/*
 * What differs between runs of one cell, added to its spec's cell line: the seed of the
 * guest's RNG (hex) and the host's wall clock (ns since the epoch), which a restored guest
 * needs. spec_cell() leaves SPEC_FRESH_BYTES of the agent's room for them. Caller frees.
 */
#define SPEC_FRESH_BYTES 128
char *spec_fresh(const char *spec, const char *seed, long long clock_ns);

#endif
