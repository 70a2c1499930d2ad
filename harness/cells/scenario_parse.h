/* SPDX-License-Identifier: GPL-2.0-only */
/* scenario_parse.h - the scenario parser's parts, shared by its files (not for its users). */
#ifndef OOMLAB_SCENARIO_PARSE_H
#define OOMLAB_SCENARIO_PARSE_H

#include <stddef.h>
#include <yaml.h>

#include "cells/scenario.h"

/*
 * Two passes. libyaml's events are first folded into a small tree of nodes, each keeping its
 * mark, so that the checks can look keys up in any order and still point at the line:col of
 * the node they reject (scenario_yaml.c). Building the tree already refuses what no scenario
 * may hold: aliases, non-scalar keys, duplicate keys, a second document. The second pass walks
 * the tree into a struct scenario, checking every field against the contract in scenario.h:
 * the top level, the VM, sysctls, workloads and the matrix (scenario_parse.c), the groups,
 * their knobs and the changes (scenario_cgroup.c), the rules of expect (scenario_rules.c),
 * then what needs the whole scenario: every cell covered by a rule, every cell's spec within
 * what the agent takes (scenario_check.c).
 *
 * Every check returns -1 at the first error and the whole parse stops there: one precise
 * message is worth more than a cascade of consequences.
 */

#define SC_QUOTE_MAX 40   /* longer scalars are cut in messages */

/* The node tree (scenario_yaml.c) */

enum sc_kind {
	SC_SCALAR,
	SC_SEQ,
	SC_MAP,
};

struct sc_node {
	enum sc_kind kind;
	struct sc_pos pos;
	char *text; /* scalar: the value; NUL bytes are refused, so C strings suffice */
	int plain;  /* scalar: unquoted, so that an empty one means nothing was written */
	struct sc_node **kids; /* sequence: items; mapping: key, value, key, value, ... */
	int nkids;
	int alloc;
};

struct sc_ctx {
	const char *path;
	const char *text;
	size_t len;
	char *err;
	size_t errlen;
	char found[SC_QUOTE_MAX * 4 + 16];
	yaml_parser_t parser;
};

void sc_node_free(struct sc_node *n);

/* The one document of the stream into *root. */
int sc_build_document(struct sc_ctx *x, struct sc_node **root);

/* Messages: file:line:col and the text; returns -1. */
__attribute__((format(printf, 3, 4)))
int sc_error(struct sc_ctx *x, struct sc_pos pos, const char *fmt, ...);

/* What a node is, for the "found ..." half of a message; valid until the next call. */
const char *sc_found(struct sc_ctx *x, const struct sc_node *n);

/* Tree helpers */

const struct sc_node *sc_get(const struct sc_node *map, const char *key,
			     const struct sc_node **keynode);

/* Refuses any key of map not in keys (NULL-terminated); where is "in vm", "at the top level". */
int sc_check_keys(struct sc_ctx *x, const struct sc_node *map, const char *where,
		  const char *const *keys);

int sc_require(struct sc_ctx *x, const struct sc_node *map, const char *where,
	       const char *const *keys);

/* n must be a scalar with something written in it; what starts the message. */
int sc_want_text(struct sc_ctx *x, const struct sc_node *n, const char *what);

/* A copy of n's text without the trailing newline a folded or literal block leaves. */
char *sc_text_dup(const struct sc_node *n);

int sc_name_ok(const char *s, size_t max);

/* Decimal only: YAML 1.1's octal, hex and underscores are more surprise than help here. */
int sc_parse_ll(const char *s, long long *v);

/* n as an integer in min..max; what names it ("'vm.swappiness'", "vm.cpus"). */
int sc_want_int(struct sc_ctx *x, const struct sc_node *n, const char *what,
		long long min, long long max, long long *out);

/* "60s", "1500ms", "2m" */
int sc_parse_ms(const char *s, long long *ms);

/* What a scenario may set (scenario.c) */

extern const struct sc_known_sysctl sc_sysctls[];
extern const size_t sc_nsysctls;
extern const struct sc_known_knob sc_knobs[];
extern const size_t sc_nknobs;

/* Sections one file parses for another (scenario_parse.c, _cgroup.c, _rules.c) */

/* groups: a mapping of group names to mappings of knobs; a nested group after its parent. */
int sc_parse_groups(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *map,
		    struct scenario *sc);

/* changes: knobs written while the cell runs, each once a group's counter reads a value. */
int sc_parse_changes(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *list,
		     struct scenario *sc);

/*
 * cgroup v2's "No Internal Process Constraint" (Documentation/admin-guide/cgroup-v2.rst): a
 * non-root group with domain controllers enabled in its cgroup.subtree_control holds no
 * process, and moving one in fails with EBUSY. The agent enables memory, pids and cpuset in
 * a parent's subtree_control as it creates each child (cg_create() in vmimages/agent/cg.c), so
 * in v2 a workload goes in a group without child groups. v1 has no such rule.
 */
int sc_check_leaf(struct sc_ctx *x, const struct sc_node *n, const struct scenario *sc,
		  int g);

/* A knob's value as written: sizes and max for limits, ints (or max) for counts, 0/1. */
int sc_knob_value(const struct sc_known_knob *k, const struct sc_node *n, long long *v);

/* One value of axis ax from n, without a message: sysctls take ints, knobs their kind. */
int sc_axis_value(const struct sc_axis *ax, const struct sc_node *n, long long *v);

/* "GROUP/FILE/KEY" into c's group, file and key; -1 after an error naming what. */
int sc_counter_path(struct sc_ctx *x, const struct sc_node *k, const struct scenario *sc,
		    int *group, char *file, char *key, size_t len);

/*
 * "GROUP/KNOB" (the group a declared one, the knob one of the hierarchy's) into *group and
 * *knob; -1 after an error naming what is wrong. Matrix keys, changes and refusals use it.
 */
int sc_group_knob(struct sc_ctx *x, const struct sc_node *k, const struct scenario *sc,
		  int *group, const struct sc_known_knob **knob);

/* n as a value of knob k, or an error saying what the knob takes. */
int sc_want_knob_value(struct sc_ctx *x, const struct sc_known_knob *k,
		       const struct sc_node *n, long long *v);

/* evictor: the user-space OOM killer the guest runs (scenario_evictor.c). */
/* start: of workload i, which list (its own list) declares; an earlier one to wait for */
int sc_parse_start(struct sc_ctx *x, const struct sc_node *list, int i,
		   const struct sc_node *start, struct scenario *sc);
/* "20%", "20.5%" (0..100) in 1/100 %; -1 when it is no percentage. */
int sc_permyriad(const char *s);
int sc_parse_args(struct sc_ctx *x, const struct sc_node *n, char ***args, int *nargs);
int sc_parse_program(struct sc_ctx *x, const struct sc_node *map, struct sc_workload *w);
/* node: and pods: (scenario_node.c): the groups, workloads and evictor they make */
int sc_parse_node(struct sc_ctx *x, const struct sc_node *root, struct scenario *sc);
/* A node's scenario names none of what its pods make (groups, workloads...): 0 or -1. */
int sc_node_alone(struct sc_ctx *x, const struct sc_node *root);
int sc_parse_pod_rule(struct sc_ctx *x, const struct sc_node *rn, const struct scenario *sc,
		      struct sc_rule *r);
int sc_parse_evictor(struct sc_ctx *x, const struct sc_node *map, struct scenario *sc);
/* A matrix key "evictor/FLAG": the evictor's argument after FLAG. */
int sc_evictor_axis(struct sc_ctx *x, const struct sc_node *k_node, const struct scenario *sc,
		    struct sc_axis *ax);
/* A rule's by, signal and evicted_before_kernel. */
int sc_parse_by(struct sc_ctx *x, const struct sc_node *rn, const struct scenario *sc,
		struct sc_rule *r);

/* expect: a non-empty list of rules, which must cover every cell (sc_check_coverage()). */
int sc_parse_expect(struct sc_ctx *x, const struct sc_node *key, const struct sc_node *list,
		    struct scenario *sc);

/* Checks of the whole scenario (scenario_check.c) */

/* Every cell takes a rule, and every rule is the first match of some cell. */
int sc_check_coverage(struct sc_ctx *x, const struct sc_node *expect_key,
		      const struct scenario *sc);

/* Every cell writes the same knob lines: the groups' own, then the knob axes. */
int sc_check_knob_count(struct sc_ctx *x, const struct scenario *sc);

/*
 * Every cell's spec as the agent would read it: no line past PROTO_LINE_MAX, the whole within
 * the buffer the agent reads /cell.spec into. The cell's id there is its id within the kernel
 * (cell_on_kernel() puts the kernel's name before it, a few bytes more).
 */
int sc_check_spec(struct sc_ctx *x, const struct sc_node *root, const struct scenario *sc);

/*
 * stop: exited ends a cell when every workload has exited. A workload that holds until killed,
 * in the cells of a rule that says who is killed and leaves it out (no panic, no refused
 * hierarchy ending the cell first), can only end at the deadline: the cell would cost all of
 * it and then be BROK. Where the rule does not say who is killed, nothing is known.
 */
int sc_check_stop_exited(struct sc_ctx *x, const struct sc_node *stop,
			 const struct scenario *sc);

#endif
