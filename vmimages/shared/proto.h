/* SPDX-License-Identifier: GPL-2.0-only */
/* proto.h - the line format shared by the cell spec, the agent's records and workload reports. */
#ifndef OOMLAB_PROTO_H
#define OOMLAB_PROTO_H

#include <stddef.h>

/*
 * Everything that crosses the guest boundary is one text line: a word, then key=value fields
 * separated by single spaces. Values are escaped so that a line never holds a space, '=',
 * '%' or a control byte inside a value: such bytes become %XX. A key may repeat (a workload's
 * "arg" fields keep their order).
 *
 *   the cell spec (host -> agent, /cell.spec in the initramfs), version 1:
 *     cell v=1 id=... deadline_ms=60000 stop=settled
 *     sysctl key=vm.panic_on_oom value=1
 *     workload name=grower program=bigmm adj=0 after=steady phase=holding arg=--chunk arg=8M
 *
 *   a workload's report (workload stdout -> agent), one write(2) per line:
 *     holding bytes=67108864
 *
 *   an agent record (agent -> host, its own serial port), one write(2) per line, with a
 *   sequence number and the guest's monotonic time in ms before the word:
 *     @12 1834 exit name=grower pid=85 how=signal sig=9 phase=grow bytes=301989888
 *
 * The record types and their fields are listed in docs/PROTOCOL.md.
 */

#define PROTO_VERSION 1
/*
 * A cell's end: the agent writes PROTO_EXIT_VALUE to QEMU's isa-debug-exit port, and QEMU
 * exits at once with status PROTO_EXIT_VALUE << 1 | 1, which the host reads as a power-off.
 */
#define PROTO_EXIT_PORT 0xf4
#define PROTO_EXIT_VALUE 0x10
#define PROTO_EXIT_STATUS (PROTO_EXIT_VALUE << 1 | 1)
#define PROTO_LINE_MAX 4096 /* a line with its NUL: one workload report, one spec line */
#define PROTO_KV_MAX 64

/*
 * What the agent takes from a cell spec, and so what a scenario may ask for: the host's
 * scenario parser refuses a scenario past any of these, with the place in the file, rather
 * than let the agent refuse its spec in the guest.
 */
#define PROTO_SPEC_MAX 65536    /* /cell.spec is read whole into this many bytes, NUL included */
/*
 * A restored cell's spec comes on a disk of its own (vmimages/agent/shape.c): this magic,
 * the spec's length in decimal and a newline, the spec, zeros to the disk's size.
 */
#define PROTO_SPEC_MAGIC "oomlab-spec "
#define PROTO_SPEC_DISK_BYTES (128 << 10)
#define PROTO_MAX_WORKLOADS 32  /* workload lines */
#define PROTO_MAX_ARGS 32       /* a workload's argv: its name, then its args */
#define PROTO_MAX_SYSCTLS 32    /* sysctl lines */
#define PROTO_MAX_GROUPS 16     /* group lines */
#define PROTO_MAX_KNOBS 64      /* knob lines, over all groups */
#define PROTO_MAX_CHANGES 8     /* change lines */
#define PROTO_GROUP_MAX 128     /* a group's path ("box/inner") with its NUL */
#define PROTO_NAME_MAX 16       /* a workload's name or a report's phase, with its NUL */
#define PROTO_PROGRAM_MAX 64    /* a workload's program name, with its NUL */

struct proto_kv {
	const char *key;
	const char *val; /* unescaped */
};

struct proto_line {
	long seq;  /* -1 when the line has no "@seq ms" prefix */
	long ms;
	const char *word;
	struct proto_kv kv[PROTO_KV_MAX];
	int nkv;
};

/*
 * Splits line (modified in place: spaces and '=' become NULs, escapes are decoded) into *out.
 * Returns 0, or -1 when the line is not of this format (no word, a field without '=', more
 * than PROTO_KV_MAX fields, a bad escape).
 */
int proto_split(char *line, struct proto_line *out);

/* The value of the first field named key, or NULL. */
const char *proto_get(const struct proto_line *l, const char *key);
/* The value of key as a number; dflt when absent or not a number. */
long long proto_getll(const struct proto_line *l, const char *key, long long dflt);

/*
 * Appends " key=escaped(val)" to buf (of size buflen, holding a NUL-terminated line).
 * Returns 0, or -1 when it would not fit (buf unchanged).
 */
int proto_add(char *buf, size_t buflen, const char *key, const char *val);
int proto_addll(char *buf, size_t buflen, const char *key, long long val);

/*
 * Parses a size such as "512M", "64K", "1G", "4096" (binary units, optional "iB" or "B").
 * Returns 0 and stores bytes, or -1 when the text is not a size.
 */
int proto_parse_size(const char *s, unsigned long long *bytes);

#endif
