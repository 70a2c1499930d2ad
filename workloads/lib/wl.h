/* SPDX-License-Identifier: GPL-2.0-only */
/* wl.h - what every workload shares: the guest guard, the report writer, size options. */
#ifndef OOMLAB_WL_H
#define OOMLAB_WL_H

#include <stddef.h>

/*
 * Workloads report facts, never verdicts. Each report is one line on stdout written with one
 * write(2) (proto.h format: a phase word, then key=value fields), so that every line written
 * before a SIGKILL reaches the agent whole. The phases every workload shares:
 *   ready     started, nothing allocated yet (always first)
 *   grow      allocated and touched more (bytes=total so far)
 *   enomem    an allocation was refused (bytes=held, want=asked, errno=)
 *   holding   done allocating; holds what it has until killed or the cell ends (the agent
 *             calls a cell settled while every workload's last phase is holding)
 * Each workload's own words are listed in docs/PROTOCOL.md. A report too long for a line
 * is sent as "<phase> cut=1" rather than cut.
 */

/*
 * Exits with status 2 and a message unless this process runs inside an oomlab guest (PID 1 is
 * the oomlab agent) or allow_host is set: nobody should OOM their own workstation by accident.
 */
void wl_guard(const char *prog, int allow_host);

/*
 * The end of every workload once it reported holding: exit 0 with --exit, else hold what it
 * has until killed or the cell ends. Never returns.
 */
void wl_hold(int exit_when_done) __attribute__((noreturn));

/* Writes one report line: the phase, then the fields given as "key=value" format text. */
void wl_report(const char *phase, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A /proc/meminfo field in kB ("MemAvailable"), or -1. */
long long wl_meminfo(const char *field);

/* A field of NUMA node node's meminfo in kB ("MemFree"), or -1. */
long long wl_node_meminfo(int node, const char *field);

/* Parses a size ("8M", "1G", "4096"); exits 2 with a message naming opt when it is not one. */
unsigned long long wl_size(const char *prog, const char *opt, const char *arg);

/*
 * Shared by the workloads after bigmm (swapeat, pidfill, diskfill, pagecache, shmhog, slowleak).
 */

/* A /proc/self/status field in kB ("VmSwap", "VmRSS"), or -1. */
long long wl_status_kb(const char *field);

/* CLOCK_MONOTONIC in milliseconds: report pacing, never a measurement the harness relies on. */
long long wl_now_ms(void);

/*
 * Fills n bytes at p with xorshift64* output and advances *state (0: seeded from the pid and
 * the clock). Every 8-byte word differs from its neighbours and the stream does not repeat
 * within any memory size, so zram can neither store a page as "same-filled" nor compress it,
 * and no two pages are alike. One xor-shift-multiply per 8 bytes: it adds about half again
 * the cost of faulting the pages in.
 */
void wl_fill(void *p, size_t n, unsigned long long *state);

/*
 * Parses a non-negative decimal count (--max, --passes, --report-ms); exits 2 with a message
 * naming opt when arg is not one.
 */
unsigned long long wl_count(const char *prog, const char *opt, const char *arg);

/*
 * Escapes s as a report value (proto.h: space, '=', '%' and control bytes become %XX) into
 * buf of size len and returns buf; a value that does not fit comes back empty, never cut.
 */
const char *wl_esc(char *buf, size_t len, const char *s);

/* The number a small file starts with ("/proc/sys/kernel/pid_max"), or -1. */
long long wl_file_ll(const char *path);

/* mkdir -p: creates path and its missing parents. Returns 0, or -1 with errno set. */
int wl_mkdirs(const char *path);

#endif
