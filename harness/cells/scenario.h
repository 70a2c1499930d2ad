/* SPDX-License-Identifier: GPL-2.0-only */
/* scenario.h - a scenario file of expectations/ (YAML) as structs, and its parser. */
#ifndef OOMLAB_SCENARIO_H
#define OOMLAB_SCENARIO_H

#include <stddef.h>

/*
 * A scenario is one YAML document: the VM, the workloads, the matrix axes (sysctls and the
 * values each takes), and the expected outcome as an ordered list of rules over the matrix
 * values. Every cell of the matrix (the cartesian product of the axes) takes the first rule
 * whose "when" matches it. Shape:
 *
 *   scenario: global-two-hogs          # must equal the file name without .yaml
 *   description: >                      # what it tests and why
 *     ...
 *   vm:
 *     memory: 512M                      # parse_size() units
 *     cpus: 2                           # optional, default 2
 *     swap: none                        # none, or a size: a swap disk of that size
 *     disk: 1G                          # optional: a scratch filesystem at /mnt/disk
 *     numa: [384M, 128M]                # optional: NUMA nodes and their memory (sum: memory)
 *   deadline: 60s                       # guest-side limit for the cell; "90s", "1500ms", "2m"
 *   stop: settled                       # settled (default) | exited | deadline
 *   sysctls:                            # optional, applied in every cell
 *     vm.oom_dump_tasks: 1
 *   cgroup: v2                          # v1 | v2: the hierarchy the groups live in
 *   groups:                             # optional (needs cgroup:); created in this order
 *     box:                              # [a-z0-9_-] names; "box/inner" nests in box
 *       memory.max: 96M                 # knobs of that hierarchy (sc_known_knob())
 *       memory.oom.group: 1
 *   changes:                            # optional: knobs written while the cell runs
 *     - when: box/memory.oom_control/under_oom=1   # once a group's counter reads a value
 *       delay: 2s                       # optional, default 0
 *       set: {box/memory.oom_control: 0}
 *   evictor:                            # optional: a user-space OOM killer in the guest
 *     program: earlyoom                 # earlyoom | oomd | systemd-oomd (sc_evictor_kinds)
 *     args: [-m, "10", -r, "1"]         # its own command line, after the program
 *     files:                            # optional: files it reads, written before it starts
 *       /etc/oomd/cell.json: "{...}"
 *     managed:                          # systemd-oomd only: the units PID 1 would name
 *       box: {ManagedOOMMemoryPressure: kill, ManagedOOMMemoryPressureLimit: 20%}
 *       box/b: {ManagedOOMPreference: avoid}
 *   workloads:
 *     - name: grower                    # 1..15 of [a-z0-9_-]: becomes the process name (comm)
 *       program: bigmm                  # a program of workloads/, or stress-ng (Debian's)
 *       args: [--chunk, 8M]             # optional
 *       oom_score_adj: 0                # optional, default 0, -1000..1000
 *       start: {after: steady, phase: holding}   # optional; default: at once
 *       group: box                      # optional: runs in that group, else the root
 *   matrix:                             # each key a known sysctl, GROUP/KNOB or
 *     vm.panic_on_oom: [0, 1, 2]        # WORKLOAD/oom_score_adj, with a list of values
 *     box/memory.oom.group: [0, 1]      # (ints; sizes and max for size knobs)
 *     grower/oom_score_adj: [0, -999]
 *     evictor/-m: [5, 10, 20]           # the evictor's argument after that flag
 *     leak/--rate: [2M, 4M]             # a workload's size argument after that flag
 *   expect:
 *     - when: {vm.panic_on_oom: [1, 2]} # optional; keys are axes, values one or a list
 *       panic: system-wide              # system-wide | compulsory | deadlocked
 *       why: "..."                      # required: the policy's reasoning
 *     - killed: [grower]                # exactly these die (the workload or a process it
 *                                       # forked); [] means nothing is killed
 *       enomem: [steady]                # these see malloc refused
 *       why: "..."
 *       reports: {forker: "refused errno=11"}  # a report of that phase with those fields
 *       counters: {box/memory.events/high: ">0"}  # a group's counter at the end: >, >=, <, =
 *       by: earlyoom                    # who kills those in killed: kernel (default) or
 *                                       # the scenario's evictor
 *       signal: SIGTERM                 # optional, with an evictor: the signal they die of
 *       evicted_before_kernel: true     # optional: the evictor acts before any OOM kill
 *                                       # (files the agent reads, keys the kernel writes)
 *     - when: {kernel: ">=6.12"}        # only on kernels of that release range (or "<6.12")
 *       refused: {cgroup: EINVAL}       # or {box/memory.use_hierarchy: EINVAL}: the kernel
 *       why: "..."                      # refuses exactly that; nothing else is checked
 *
 * A rule holds panic, or killed and/or enomem. Rule checks at parse time: every name in killed
 * and enomem is a workload; every "when" key is an axis and every value one of its values;
 * every rule is the first match of at least one cell; every cell has a rule. Unknown keys,
 * unknown sysctls, duplicate keys and duplicate workload names are errors. So are a scenario
 * the guest agent would not take (its limits in proto.h; every cell's spec is built to
 * check), a counter file or key the kernel does not have, a cgroup v2 workload in a group
 * with child groups, and stop: exited with a workload that holds until killed in cells whose
 * rule keeps it alive.
 */

#define SC_NAME_MAX 16 /* a process name: 15 characters and the NUL */

enum sc_start {
	SC_START_NOW = 0,
	SC_START_AFTER, /* when workload "after" reports phase "after_phase" (ready, holding...) */
};

enum sc_stop {
	SC_STOP_SETTLED = 0, /* every workload has exited or reports holding */
	SC_STOP_EXITED,      /* every workload has exited */
	SC_STOP_DEADLINE,    /* the deadline: for pressure that is expected never to resolve */
};

enum sc_panic {
	SC_PANIC_NONE = 0,
	SC_PANIC_SYSTEM_WIDE, /* "Out of memory: system-wide panic_on_oom is enabled" */
	SC_PANIC_COMPULSORY,  /* "Out of memory: compulsory panic_on_oom is enabled" */
	SC_PANIC_DEADLOCKED,  /* "System is deadlocked on memory" (no killable task) */
};

/* Where something stands in the scenario file, 1-based. */
struct sc_pos {
	int line;
	int col;
};

struct sc_workload {
	char name[SC_NAME_MAX];
	long long burstable_request; /* a container of a Burstable pod: its memory request,
				      * from which the guest computes its adj; else 0 */
	char *program;
	char **args; /* NULL-terminated; nargs entries */
	int nargs;
	int oom_score_adj;
	enum sc_start start;
	char after[SC_NAME_MAX];
	char after_phase[SC_NAME_MAX];
	int group; /* index into scenario.groups, or -1: the root */
	struct sc_pos pos;
	struct sc_pos adj_pos; /* where oom_score_adj is set; line 0: not set */
};

enum sc_cgroup {
	SC_CGROUP_NONE = 0,
	SC_CGROUP_V1,
	SC_CGROUP_V2,
};

/* How a knob's value is written: sizes and "max" for limits, 0/1 for switches. */
enum sc_knob_kind {
	SC_KNOB_LIMIT, /* bytes or max: "max" in v2, -1 in v1 */
	SC_KNOB_BOOL,
	SC_KNOB_COUNT, /* an int or max (pids.max in both hierarchies) */
	SC_KNOB_NODE,  /* one NUMA node, 0..63 (cpuset.mems) */
};

#define SC_KNOB_MAX (-1LL) /* the value of "max" */

/* A cgroup control file oomlab knows: its file name, the hierarchy and its kind. */
struct sc_known_knob {
	const char *key;
	enum sc_cgroup cgroup;
	enum sc_knob_kind kind;
};
/* NULL when key is not a knob of that hierarchy. */
const struct sc_known_knob *sc_known_knob(enum sc_cgroup cg, const char *key);

/*
 * The text to write into the control file for value v ("max", "-1", "100663296", "1"); in
 * buf of len bytes, which it returns.
 */
const char *sc_knob_text(const struct sc_known_knob *k, long long v, char *buf, size_t len);

struct sc_knob {
	const struct sc_known_knob *known;
	long long value;
	struct sc_pos pos;
};

/*
 * A user-space OOM killer oomlab runs in the guest: a Debian package, unpacked on the host
 * (vmimages/fetch-evictor) and carried in an extra archive. What its packaging fixes, and so
 * oomlab too: where the binary is, the oom_score_adj its service runs at, and the line it
 * writes once it watches (the agent waits for it before any workload starts).
 */
struct sc_evictor_kind {
	const char *program; /* as scenarios name it; its bundle's name */
	const char *path;    /* the binary in the unpacked package */
	int adj;             /* the oom_score_adj its Debian service gives it */
	const char *adj_why; /* where that comes from */
	const char *ready;   /* a substring of the line it logs once it runs its loop */
	const char *kill;    /* a substring of the line it logs for each kill, which names the
			      * victim's pid or its cgroup */
	int needs_v2;        /* it reads cgroup v2 and PSI: its scenarios must say cgroup: v2 */
	const char *env;     /* "KEY=value KEY=value" it runs with, or NULL */
	int node_only;       /* the evictor of a node: (kubelet), not of evictor: */
	const char *quiet;   /* the line of a pass that evicted nothing: a settled cell ends
			      * only after one (NULL: no such pass) */
};

extern const struct sc_evictor_kind sc_evictor_kinds[];
extern const size_t sc_nevictor_kinds;
const struct sc_evictor_kind *sc_evictor_kind(const char *program);

struct sc_file {
	char *path; /* absolute, in the guest */
	char *text;
	struct sc_pos pos;
};

/*
 * systemd-oomd's units, as the service manager would give them (systemd.resource-control(5)):
 * a group it watches (ManagedOOMSwap=kill, ManagedOOMMemoryPressure=kill with its limit) or a
 * group's ManagedOOMPreference= (avoid, omit).
 */
struct sc_managed {
	int group;          /* index into scenario.groups */
	int swap;           /* ManagedOOMSwap=kill */
	int pressure;       /* ManagedOOMMemoryPressure=kill */
	int limit_permyriad; /* ManagedOOMMemoryPressureLimit=, in 1/100 %; 0: the default */
	char preference[8]; /* "", "avoid", "omit" */
	struct sc_pos pos;
};

struct sc_evictor {
	const struct sc_evictor_kind *kind; /* NULL: the scenario has no evictor */
	struct sc_managed *managed;         /* systemd-oomd only */
	int nmanaged;
	char **args;                       /* NULL-terminated; nargs entries */
	int nargs;
	struct sc_file *files;
	int nfiles;
	struct sc_pos pos;
};

void sc_evictor_release(struct sc_evictor *ev);

struct sc_group {
	char *name; /* "box", "box/inner": the path under the hierarchy's oomlab root */
	struct sc_knob *knobs;
	int nknobs;
	struct sc_pos pos;
};

/*
 * A Kubernetes node (node: and pods:, harness/cells/scenario_node.c): its pods become groups
 * laid out as kubelet lays them out, their containers workloads at the oom_score_adj of their
 * QoS class, and oomlab's model of kubelet's eviction manager the scenario's evictor.
 */
enum sc_qos {
	SC_QOS_BESTEFFORT, /* the values of kl_qos (vmimages/kubelet/kubelet.h) */
	SC_QOS_BURSTABLE,
	SC_QOS_GUARANTEED,
};

struct sc_pod {
	char *name;
	int priority;
	enum sc_qos qos;
	long long request; /* memory: its containers' summed; 0 when none */
	long long limit;   /* memory: its containers' summed, when each has one; else 0 */
	int group;         /* its pod<name> group */
	int first, ncontainers; /* its containers: workloads first .. first + ncontainers - 1 */
	struct sc_pos pos;
};

struct sc_node_conf {
	int on; /* the scenario has node:; its settings are kubelet's flags (evictor.args) */
};

struct sc_sysctl {
	char *key;      /* "vm.panic_on_oom" */
	long long value;
	struct sc_pos pos;
};

struct sc_axis {
	char *key;         /* a known sysctl, "GROUP/KNOB", or "WORKLOAD/oom_score_adj" */
	int group;         /* for GROUP/KNOB: the group's index and the knob; else -1 */
	const struct sc_known_knob *knob;
	int workload;      /* for WORKLOAD/oom_score_adj: the workload's index; else -1 */
	int evictor_arg;   /* for evictor/FLAG: the index in evictor.args of the value after
			    * FLAG, which the axis replaces; else -1 */
	int duration;      /* its values are durations in ms, written "1500ms" (node/...) */
	int arg_workload;  /* for WORKLOAD/--FLAG: the workload, and in arg the index in its
			    * args of the value after FLAG, which the axis replaces with a size
			    * in bytes; else -1 */
	int arg;
	long long *values; /* as written, in order; no duplicates */
	int nvalues;
	struct sc_pos pos;
};

/* One "when" entry: the axis (index into scenario.axes) and the values it allows. */
struct sc_cond {
	int axis;
	long long *values;
	int nvalues;
};

struct sc_report {
	char name[SC_NAME_MAX]; /* the workload */
	char *want;             /* "refused errno=11": a phase, then key=value fields */
	struct sc_pos pos;
};

/*
 * changes: a knob written while the cell runs, once a group's counter reads a value:
 *   - when: box/memory.oom_control/under_oom=1
 *     delay: 2s
 *     set: {box/memory.oom_control: 0}
 */
struct sc_change {
	int group;      /* the counter's group, file and key, and the value it must read */
	char file[32];
	char key[32];
	long long value;
	int delay_ms;   /* after the counter first reads the value */
	int set_group;  /* the knob to write and its value */
	const struct sc_known_knob *knob;
	long long set_value;
	struct sc_pos pos;
};

struct sc_counter {
	int group;       /* index into scenario.groups */
	char file[32];   /* memory.events, pids.events, memory.oom_control */
	char key[32];    /* high, oom_kill, max, under_oom, ... */
	char op;
	long long value;
	struct sc_pos pos;
};

struct sc_rule {
	struct sc_cond *when; /* every condition must hold; none means "any cell" */
	int nwhen;
	/*
	 * when: {kernel: ">=6.12"} or "<6.12", or one ABI's ">=6.1.0-56": the rule holds only
	 * on kernels of that release range (kernel_op '>' for >=, '<' for <; 0: any kernel),
	 * releases compared as versions (strverscmp: "6.1.0-56-cloud-amd64" is >= "6.1.0-56"
	 * and < "6.12").
	 */
	char kernel_op;
	char kernel_version[32];
	/*
	 * refused: {box/memory.use_hierarchy: EINVAL} or {cgroup: EINVAL}: the kernel must
	 * refuse that knob (or the hierarchy) with that errno; nothing else is checked.
	 */
	char *refused_key;
	int refused_errno;
	/*
	 * reports: {forker: "refused errno=11"}: the workload made a report of that phase whose
	 * fields include these values (each workload's last report of each phase is compared).
	 */
	struct sc_report *reports;
	int nreports;
	/*
	 * counters: {box/memory.events/high: ">0"}: a group's counter at the end of the cell,
	 * compared with op ('>', 'G' for >=, '<', '=') and value.
	 */
	struct sc_counter *counters;
	int ncounters;
	enum sc_panic panic;
	int has_killed; /* killed: given (possibly empty: nothing killed) */
	char **killed;
	int nkilled;
	/*
	 * by: who kills the workloads of killed: NULL for the kernel, else the scenario's
	 * evictor (its program). signal: the signal they die of (0: any). before_kernel:
	 * the evictor's first kill comes before the kernel's first OOM kill, if any.
	 */
	const struct sc_evictor_kind *by;
	int signal;
	int before_kernel;
	/*
	 * evicted: [be, [a, b], guar]: the pods kubelet evicts (indexes into scenario.pods), in
	 * rank order: a pod must not be evicted while a pod of an earlier rank still runs; pods
	 * of one rank (a nested list) may go in either order; a pod not named is never evicted.
	 * oom_killed: [containers]: the containers the kernel's OOM killer kills (workload
	 * names). Either makes killed the containers of both, and by is kubelet's or the
	 * kernel's per pod, not per rule.
	 */
	int has_evicted;
	int *evicted;
	int *evicted_rank;
	int nevicted;
	char **oom_killed;
	int noom_killed;
	int has_enomem;
	char **enomem;
	int nenomem;
	char *why;
	struct sc_pos pos;
};

struct scenario {
	char *path; /* as given to the parser, for messages */
	char *name;
	char *description;
	unsigned long long memory_bytes;
	unsigned long long swap_bytes; /* 0: no swap */
	unsigned long long disk_bytes; /* vm.disk: a scratch ext2 at /mnt/disk; 0: none */
	unsigned long long *numa_bytes; /* vm.numa: each node's memory; NULL: one node */
	int numa_nodes;
	int cpus;
	int deadline_ms;
	enum sc_stop stop;
	struct sc_sysctl *sysctls;
	int nsysctls;
	enum sc_cgroup cgroup;
	struct sc_group *groups;
	int ngroups;
	struct sc_change *changes;
	int nchanges;
	struct sc_evictor evictor;
	struct sc_workload *workloads;
	int nworkloads;
	struct sc_node_conf node;
	struct sc_pod *pods;
	int npods;
	struct sc_axis *axes;
	int naxes;
	struct sc_rule *rules;
	int nrules;
};

/* A known sysctl: its name and the values the harness accepts for it. */
struct sc_known_sysctl {
	const char *key;
	long long min;
	long long max;
};
/* NULL when key is not a sysctl oomlab knows. */
const struct sc_known_sysctl *sc_known_sysctl(const char *key);

/*
 * Parses one scenario from text (len bytes, need not be NUL-terminated). path names the file
 * in messages and its base name must match "scenario:". Pure: reads no file, touches no global.
 * Returns a scenario to free with scenario_free(), or NULL with err (of errlen bytes) set to one
 * line "path:line:col: what was expected, what was found".
 */
struct scenario *scenario_parse(const char *path, const char *text, size_t len,
				char *err, size_t errlen);
/* Reads path and parses it; a read error is reported in err as "cannot read 'path': ...". */
struct scenario *scenario_load(const char *path, char *err, size_t errlen);
void scenario_free(struct scenario *sc);

const char *sc_panic_name(enum sc_panic p); /* "system-wide", ...; "none" */
const char *sc_cgroup_name(enum sc_cgroup cg); /* "v1", "v2"; "none" */
/* The index of the group named name, or -1. */
int sc_group_index(const struct scenario *sc, const char *name);
/*
 * The evictor's argument i in the cell at value indexes vi: the scenario's, or the value of a
 * matrix axis over it (evictor/FLAG), written into buf.
 */
const char *sc_evictor_arg(const struct scenario *sc, const int *vi, int i, char *buf,
			   size_t len);
/* The index of the pod named name, or -1. */
int sc_pod_index(const struct scenario *sc, const char *name);
/* 1 when group g is group anc or nested in it (anc -1: the root, which holds every group). */
int sc_group_within(const struct scenario *sc, int g, int anc);

/* The known sysctl named by its full key or its last component ("panic_on_oom"); else NULL. */
const struct sc_known_sysctl *sc_known_sysctl_any(const char *name);
/* The last component of a sysctl key: "vm.panic_on_oom" -> "panic_on_oom". */
const char *sc_sysctl_short(const char *key);

/*
 * A cell by value index: vi[a] indexes sc->axes[a].values. The parser's coverage check and
 * matrix.c both walk cells with these, so they cannot disagree on the order or on which rule
 * a cell takes.
 *
 * sc_rule_for() returns the index of the first rule whose "when" holds in the cell, or -1.
 * sc_cell_next() steps vi to the next cell, last axis fastest; returns 0 (vi all zero again)
 * after the last cell. Start from all zeros: that is the first cell, even with no axes.
 * sc_cell_params() returns "panic_on_oom=0,oom_kill_allocating_task=1" (short names, axis
 * order; "" with no axes; a knob axis as "box:memory.max=96M", a workload's adj as
 * "grower:oom_score_adj=-999") for the caller to free.
 * sc_cell_adj() returns workload w's oom_score_adj in the cell: its axis value, else its own.
 */
int sc_rule_for(const struct scenario *sc, const int *vi);
/*
 * The rule for a cell on the kernel of release ("6.12.117+deb12-cloud-amd64"): the first whose
 * "when", kernel range included, holds. sc_rule_for() is this with rules that name a kernel
 * range left out, which the parser proves covers every cell.
 */
int sc_rule_for_release(const struct scenario *sc, const int *vi, const char *release);
/* The errno named ("EINVAL"), or 0; and the name of an errno oomlab knows, or NULL. */
int sc_errno_value(const char *name);
const char *sc_errno_name(int e);
int sc_cell_next(const struct scenario *sc, int *vi);
char *sc_cell_params(const struct scenario *sc, const int *vi);
int sc_cell_adj(const struct scenario *sc, const int *vi, int w);

#endif
