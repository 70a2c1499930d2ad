/* wl.h - what every workload shares: the guest guard, the report writer, size options. */
#ifndef OOMLAB_WL_H
#define OOMLAB_WL_H

#include <stddef.h>

/*
 * Workloads report facts, never verdicts. Each report is one line on stdout written with one
 * write(2) (proto.h format: a phase word, then key=value fields), so that every line written
 * before a SIGKILL reaches the agent whole. The phases the agent understands:
 *   ready     started, nothing allocated yet
 *   grow      allocated and touched more (bytes=total so far)
 *   enomem    an allocation was refused (bytes=held, want=asked, errno=)
 *   holding   done allocating; holds what it has until killed or the cell ends
 */

/*
 * Exits with status 2 and a message unless this process runs inside an oomlab guest (PID 1 is
 * the oomlab agent) or allow_host is set: nobody should OOM their own workstation by accident.
 */
void wl_guard(const char *prog, int allow_host);

/* Writes one report line: the phase, then the fields given as "key=value" format text. */
void wl_report(const char *phase, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A /proc/meminfo field in kB ("MemAvailable"), or -1. */
long long wl_meminfo(const char *field);

/* Parses a size ("8M", "1G", "4096"); exits 2 with a message naming opt when it is not one. */
unsigned long long wl_size(const char *prog, const char *opt, const char *arg);

#endif
