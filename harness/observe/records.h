/* SPDX-License-Identifier: GPL-2.0-only */
/* records.h - the guest agent's record stream and the console, read into one observation. */
#ifndef OOMLAB_RECORDS_H
#define OOMLAB_RECORDS_H

#include "util.h"

#define OBS_PHASES_MAX 16

/* The last report of one phase a workload made: its fields as "key=value ..." text. */
struct obs_report {
	char phase[16];
	char fields[256];
};

/* What one workload did, from the agent's start, wl, exit, never and alive records. */
struct obs_workload {
	char name[16];
	int pid;
	int adj;
	int started;
	int never;             /* could not start: never_reason says why */
	char never_reason[32];
	int ended;             /* an exit record */
	int signaled;
	int sig;
	int code;
	int alive;             /* still running when the agent ended the cell */
	long long start_ms;    /* when the agent recorded its start */
	int own_adj;           /* the last oom_score_adj the agent saw it at: a workload may set
				* its own after the agent set adj (stress-ng does) */
	char phase[16];        /* the last phase it reported */
	long long bytes;       /* the last byte count it reported */
	int enomem;            /* it reported an allocation refused */
	long long enomem_bytes;
	long long enomem_ms;   /* when (the agent's clock), the first time */
	char group[128];       /* its cgroup; "" for the root */
	int setup_failed;      /* it reported adjfail, cgfail or execfail */
	char setup_detail[64];
	long long max_rss_kb;  /* from the samples (rss: earlyoom's cells); 0: never read */
	struct obs_report reports[OBS_PHASES_MAX]; /* the last report of each phase, in order */
	int nreports;
};

struct obs_sysctl {
	char key[64];
	char want[32];
	char got[32];
	int err; /* the errno of the write or read back; 0 when it held */
};

/* A cgroup knob the agent wrote: what it asked, what it read back, the write's errno. */
struct obs_knob {
	char group[128];
	char key[48];
	char want[32];
	char got[32];
	int err;
	int change;     /* written while the cell ran (a scenario's change), not at set-up */
	int kmsg_lines; /* for a change: kernel log lines forwarded before it was written */
};

/* One count of a group's event file at the end of the cell ("memory.events", "oom_kill"). */
struct obs_counter {
	char group[128];
	char file[32];
	char key[32];
	long long value;
};

/*
 * One kernel trace event the agent forwarded (tfork, texit, tsig, tdeliver, tmark, tadj:
 * docs/PROTOCOL.md); attrib.h reads them all, in time order, after the cell.
 */
enum obs_trace_type { OT_FORK, OT_EXIT, OT_SIGNAL, OT_DELIVER, OT_MARK, OT_ADJ };

struct obs_trace {
	enum obs_trace_type type;
	unsigned long long ns; /* CLOCK_MONOTONIC, as the agent's record times */
	int seq;               /* the record's place in the stream: ties keep it */
	int by;                /* the task in whose context it happened */
	int pid;               /* fork: the parent; deliver: 0; the others: the task */
	int child;             /* fork: the new task */
	int sig, code, group, result;
	int handler;           /* deliver: 0 SIG_DFL, 1 SIG_IGN, 2 a handler */
	int adj;
	char comm[16];
};

/* A killed process that was no workload but descends from one (the agent's lineage). */
struct obs_descendant {
	int pid;
	int wl; /* index into observation.wl */
};

/* A line the evictor wrote, with the agent's time of reading it (CLOCK_MONOTONIC ms). */
struct obs_evlog {
	long long ms;
	char *text;
};

/* The evictor the cell ran: its start, readiness, lines and end ("evictor" records). */
struct obs_evictor {
	char program[64];
	char comm[16];        /* its name after exec, read by the agent once it was ready */
	int started;
	int pid;
	int adj;              /* the oom_score_adj it ran at, as the agent set and read it back */
	int ready;
	long long start_ms, ready_ms;
	int ended;            /* an evexit record: it ended while the cell ran */
	char managed_failed[128]; /* a systemd-oomd unit the agent could not set, with its errno */
	int managed_err;
	int signaled, sig, code;
	struct obs_evlog *log;
	int nlog, log_alloc;
};

/* One value of a sample: "avail_kb", "score.hog", "psi.box.some10", ... */
struct obs_sample_kv {
	char *key;
	double v;
};

/* One of the agent's 100 ms samples (docs/PROTOCOL.md, "sample"). */
struct obs_sample {
	long long ms;
	struct obs_sample_kv *kv;
	int nkv;
};

struct observation {
	int nrecords;
	int bad_records;        /* lines that were not records */
	int seq_gaps;           /* sequence numbers that were missing */
	int hello;
	char release[64];
	int adj_held;           /* the agent's own -1000 held */
	struct obs_sysctl *sysctls;
	int nsysctls;
	long long mem_total_kb, mem_avail_kb, commit_limit_kb, swap_total_kb;
	long long min_avail_kb; /* lowest MemAvailable sampled; -1 when none */
	int swap;               /* the agent reported its swap set-up */
	int swap_err;           /* its errno, and the step that failed (mkswap, swapon) */
	char swap_what[16];
	int disk;               /* the agent reported its scratch disk set-up */
	int disk_err;
	char disk_what[16];
	char module_failed[96]; /* the first module that did not load, with its errno */
	int module_err;
	int cgroup;             /* the hierarchy set up: 1, 2; 0 for none */
	int cgroup_err;         /* its errno, and the step that failed */
	char cgroup_what[96];
	char group_failed[128]; /* a group the agent could not create, with its errno */
	int group_err;
	struct obs_knob *knobs;
	int nknobs;
	struct obs_counter *counters;
	int ncounters;
	long long vmstat_oom_kill; /* /proc/vmstat oom_kill at the end; -1: not read */
	struct obs_workload *wl;
	int nwl;
	int done;
	char done_reason[32];
	char error[128];        /* the agent's first error record, "what: detail" */
	int kmsg_lost;
	long long last_kmsg_us; /* time stamp of the last forwarded kernel message; -1: none */
	struct strbuf kmsg;     /* forwarded kernel messages as "[ sec.usec] text" lines */
	int kmsg_lines;         /* how many lines kmsg holds */
	int triggers;           /* changes whose counter condition held */
	struct obs_descendant *desc; /* killed processes a workload forked (lineage) */
	int ndesc;
	int lineage_err;        /* the agent could not follow forks: its errno; 0 when it could */
	int lineage_lost;       /* fork events the kernel dropped: attribution may miss some */
	struct obs_trace *trace; /* the kernel's trace events, as forwarded */
	int ntrace, trace_alloc;
	int trace_set;          /* the agent said whether it could trace (a "trace" record) */
	int trace_err;          /* its errno: 0 when the events were on */
	char trace_what[128];   /* the step that failed */
	long trace_lost;        /* events the kernel dropped or the agent could not read */
	int trace_ended;        /* a trace-end record: every event was read out */
	long trace_events, trace_peak_bytes, trace_buffer_kb;
	struct obs_evictor ev;  /* ev.started 0: the cell ran no evictor */
	struct obs_sample *samples;
	int nsamples, samples_alloc;
};

/*
 * Reads the agent's records (len bytes, need not be NUL-terminated) into obs, which the
 * caller zeroes first and releases with observation_release(). Pure; never fails: a line
 * that is not a record is counted in bad_records.
 */
/* Sample i's value of key, or dflt when it has none. */
double obs_sample_get(const struct obs_sample *s, const char *key, double dflt);

void records_parse(const char *text, size_t len, struct observation *obs);
void observation_release(struct observation *obs);

const struct obs_workload *obs_find(const struct observation *obs, const char *name);
const struct obs_workload *obs_find_pid(const struct observation *obs, int pid);
/* The workload a killed non-workload process descends from, or NULL. */
const struct obs_workload *obs_find_descendant(const struct observation *obs, int pid);
/* A counter of group's file ("memory.events", "oom_kill"), or -1 when it was not read. */
long long obs_counter(const struct observation *obs, const char *group, const char *file,
		      const char *key);

/*
 * Builds the kernel log of a cell into out: the forwarded kernel messages, then the console
 * lines stamped later than the last of them (what the kernel printed after the agent could no
 * longer forward, such as a panic). Console lines without a time stamp after that point are
 * kept too. Pure.
 */
void records_kernel_log(const struct observation *obs, const char *console, size_t len,
			struct strbuf *out);

#endif
