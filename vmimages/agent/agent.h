/* SPDX-License-Identifier: GPL-2.0-only */
/* agent.h - the guest agent's cell, as its spec gives it and as it runs, and its records. */
#ifndef OOMLAB_AGENT_H
#define OOMLAB_AGENT_H

#include <poll.h>
#include <stddef.h>
#include <sys/types.h>

#include "shared/modload.h"
#include "shared/proto.h"

/*
 * The agent is one process with one cell: the host's struct cell is a point of a scenario's
 * matrix, and struct guest_cell is what the guest makes of it, the spec (spec.c) and the
 * state of its workloads (workload.c) as agent.c runs them. Every step is told in records on
 * ttyS1 (record.c).
 */

#define MAX_WORKLOADS PROTO_MAX_WORKLOADS
#define MAX_SYSCTLS PROTO_MAX_SYSCTLS
#define MAX_ARGS PROTO_MAX_ARGS
#define PHASE_MAX PROTO_NAME_MAX
#define MAX_GROUPS PROTO_MAX_GROUPS
#define MAX_KNOBS PROTO_MAX_KNOBS
#define GROUP_MAX PROTO_GROUP_MAX
#define MAX_CHANGES PROTO_MAX_CHANGES

/* The read end of a child's stdout and stderr, cut into lines (workload.c, lines_drain()). */
struct line_pipe {
	int fd; /* -1 when closed */
	char buf[PROTO_LINE_MAX];
	size_t blen;
};

struct wl {
	char name[PHASE_MAX];
	char program[PROTO_PROGRAM_MAX];
	char *argv[MAX_ARGS + 2];
	int argc;
	int adj;
	char group[GROUP_MAX]; /* "" for the root */
	char after[PHASE_MAX];
	char after_phase[PHASE_MAX];
	pid_t pid;
	struct line_pipe out;
	char phase[PHASE_MAX];
	long long bytes;
	int started, ended, never;
	int doomed; /* the kernel logged "Killed process <pid>": not settled until reaped */
	int statm; /* /proc/<pid>/statm, kept open, in earlyoom's cells only: see start_workload() */
	int adjfd; /* /proc/<pid>/oom_score_adj, kept open: a workload may change its own */
	int scorefd; /* /proc/<pid>/oom_score, kept open: what earlyoom ranks by */
	int seen_adj;
};

/* The user-space OOM killer the cell runs, if any (evictor.c). */
struct evictor {
	char program[PROTO_PROGRAM_MAX];
	char ready[128];  /* a substring of the line it logs once it watches */
	char kill[64];    /* a substring of the line it logs for each kill, or "" */
	char quiet[64];   /* the line it logs for a pass that evicted nothing, or "" */
	long quiet_ms;    /* when it last logged that line (mono_ms) */
	char env[4][128]; /* "KEY=value" to run it with */
	int nenv;
	char *argv[MAX_ARGS + 2];
	int argc;
	int adj;
	pid_t pid;
	struct line_pipe out;
	int is_ready, ended;
};

struct guest_cell {
	char id[256];
	long deadline_ms;
	char seed[80];      /* hex: mixed into the RNG, which is then reseeded */
	long long clock_ns; /* the host's wall clock when it wrote the spec; 0: not given */
	int stop_exited;
	int stop_deadline; /* never settle: the deadline is the normal end */
	char sysctl_key[MAX_SYSCTLS][64];
	char sysctl_val[MAX_SYSCTLS][32];
	int nsysctls;
	char swap_dev[32]; /* "" for no swap */
	long long swap_bytes;
	char disk_dev[32], disk_dir[64]; /* a scratch filesystem; "" for none */
	int cgroup; /* 0, 1 or 2 */
	char group[MAX_GROUPS][GROUP_MAX];
	int ngroups;
	struct { int group; char key[64], value[32]; } knob[MAX_KNOBS];
	int nknobs;
	/* knobs written while the cell runs, each once a group's counter reads a value */
	struct change {
		char group[GROUP_MAX], file[32], key[32], set_group[GROUP_MAX], set_key[64],
			set_value[32];
		long long value;
		long delay_ms, seen_at; /* seen_at: when the counter first read value; -1 */
		int done;
	} change[MAX_CHANGES];
	int nchanges;
	struct evictor ev; /* ev.program[0] == '\0': none */
	/* systemd-oomd's units, which the agent serves it as its PID 1 (managed_oom.h) */
	struct managed { char group[GROUP_MAX]; int swap, pressure, limit; char pref[8]; }
		managed[MAX_GROUPS];
	int nmanaged;
	struct wl wl[MAX_WORKLOADS];
	int nwl;
};

/* The cell this guest runs (agent.c). */
extern struct guest_cell cell;

/* record.c: the records, one write(2) each on ttyS1 (docs/PROTOCOL.md) */

#define RECORD_TTY "/dev/ttyS1"

/* Opens the record channel. Returns its fd, or -1 with errno set. */
int rec_open(void);
/* Numbers the next record 0: a restored cell's records begin anew. */
void rec_restart(void);
/* Waits until every record written has left the serial port. */
void rec_flush(void);
/* A record of string fields: rec("word", "key", "val", ..., (char *)NULL). */
void rec(const char *word, ...);
/* A record built field by field: rec_begin(), proto_add()..., rec_end(). */
void rec_begin(char *line, size_t len, const char *word);
void rec_end(char *line, size_t len);
/* v as text, for a record's field; valid for the next seven calls. */
const char *num(long long v);
/* CLOCK_MONOTONIC in ms: the records' time. */
long mono_ms(void);
/* The value of field ("MemFree", no colon) in /proc/meminfo's text, in kB, or -1. */
long long meminfo(const char *text, const char *field);

#define SPEC_PATH "/cell.spec"

/* spec.c: /cell.spec into cell. Returns 0, or -1 after an "error" record saying why. */
int spec_read(void);

/*
 * shape.c: a guest booted without its spec, for a snapshot. shape_await() returns 0 when
 * the guest has its spec (a booted cell); else it loads the modules, calls prepare() (what
 * every cell would set up the same way, done once before the save), says "ready", waits
 * for the spec on the spec disk (after the restore) and writes it to spec_path: 1, or -1
 * after an "error" record. shape_modules() tells the modules' outcomes to report.
 */
int shape_await(const char *spec_path, void (*prepare)(void));
int shape_modules(modload_report_fn *report);

/* workload.c: the workloads, started, heard and reaped */

/* Starts every workload whose start condition now holds; marks those that can never start. */
void wl_start_ready(void);
/*
 * In a child about to exec: signals unblocked, stdin /dev/null, stdout and stderr to out, its
 * own oom_score_adj set to adj and read back into got. Returns 0, the errno of the write, or
 * -1 when it reads back otherwise.
 */
int child_prepare(int out, const char *adj, char *got, size_t len);
/* Calls line() for each whole line readable on lp; returns 0 at end of file (lp closed). */
int lines_drain(struct line_pipe *lp, void (*line)(void *arg, char *text), void *arg);
/* Forwards what the workload wrote as records; returns 0 at end of file. */
int wl_drain(struct wl *w);
/* The workload whose own process has pid, or NULL. */
struct wl *wl_find_pid(pid_t pid);
/* Reaps every child that ended, recording the workloads' exits. */
void wl_reap(void);

/* evictor.c: the evictor, started before the workloads, heard, reaped */

/*
 * Starts the evictor and waits, forwarding its lines, until it logs its ready line. Returns 0,
 * or -1 after an "error" record (it did not start, ended, or said nothing ready in time).
 */
int ev_start(void);
/* Forwards what the evictor wrote as "evlog" records; returns 0 at end of file. */
int ev_drain(void);
/* Records the evictor's end if pid is it (status from waitpid); returns 1 then, else 0. */
int ev_reaped(pid_t pid, int status);
/* The ManagedOOM server's fds for poll (at most room); how many. */
int ev_pollfds(struct pollfd *pfd, int room);
/* Serves systemd-oomd what is ready on the ManagedOOM socket; never blocks. */
void ev_serve(void);
/* Writes a piece of a file the evictor reads, the first piece of a path truncating it. */
int ev_write_file(const char *path, const char *text);

#endif
