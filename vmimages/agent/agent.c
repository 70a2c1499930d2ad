// SPDX-License-Identifier: GPL-2.0-only
/* agent.c - the guest's PID 1: applies one cell, runs and watches its workloads, powers off. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/random.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "cg.h"
#include "lineage.h"
#include "managed_oom.h"
#include "shared/modload.h"
#include "shared/proto.h"
#include "shared/sysfile.h"
#include "trace.h"

/*
 * The agent owns the guest. It reads the cell spec (/cell.spec, appended to the initramfs by
 * the host), and reports everything it does and sees as records on the second serial port
 * (ttyS1), one write(2) per record, so the kernel console on ttyS0 carries only the kernel's
 * own log and a record is never half-written when the guest dies. A final "done" record says
 * the agent ended the cell itself; without it the host knows the guest died (panic, hang).
 *
 * It never decides a verdict: it applies, starts, watches and tells. This file holds its
 * steps in the order it takes them (main() at the end) and the loop that watches the cell;
 * reading the spec, starting and hearing the workloads, and writing records have files of
 * their own (agent.h).
 */

#define AGENT_COMM "oomlab-agent"
#define SAMPLE_MS 100
#define SETTLE_QUIET_MS 300 /* after the cell settles, wait this long without kernel messages */
#define SETTLE_MAX_MS 3000  /* ... but no longer than this */
/*
 * Per CPU, for the trace events (trace.h). A task's fork, exit and a fatal signal take about
 * 150 bytes; the agent drains at least every 100 ms, so 2 MiB per CPU holds a fork storm of
 * some 14,000 tasks between two drains, or a drain delayed by seconds of reclaim.
 */
#define TRACE_KB_PER_CPU 2048

struct guest_cell cell;
static int tracing; /* trace events feed the records; else the proc connector (lineage.h) */
static long trace_missed;
static int meminfo_fd = -1;

static void finish(const char *reason) __attribute__((noreturn));
static ssize_t pread_small(int fd, char *buf, size_t len);
static int drain_kmsg(int fd);

static void __attribute__((noreturn)) power_off(void)
{
	rec_flush();
	/*
	 * QEMU's isa-debug-exit port ends QEMU at once (vm.c), without the kernel's shutdown of
	 * every device (some 30 ms of a 0.4 s restored cell). The records are out (tcdrain), the
	 * console's lines were written as printk ran, and the disks die with the cell, so nothing
	 * is synced. Where the port cannot be had, a reboot ends QEMU: it runs with -no-reboot.
	 */
	if (ioperm(PROTO_EXIT_PORT, 4, 1) == 0)
		outl(PROTO_EXIT_VALUE, PROTO_EXIT_PORT);
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}

static void setup_mounts(void)
{
	static const struct { const char *src, *dir, *type; } m[] = {
		{ "proc", "/proc", "proc" },
		{ "sysfs", "/sys", "sysfs" },
		{ "devtmpfs", "/dev", "devtmpfs" },
		{ "tmpfs", "/tmp", "tmpfs" },
		{ "tmpfs", "/dev/shm", "tmpfs" }, /* shm_open(3) needs it */
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		mkdir(m[i].dir, 0755);
		mount(m[i].src, m[i].dir, m[i].type, 0, NULL);
	}
}

static void protect_self(void)
{
	char got[32] = "";
	int err = sysfile_write("/proc/self/oom_score_adj", "-1000");

	sysfile_read("/proc/self/oom_score_adj", got, sizeof(got));
	rec("adj", "want", "-1000", "got", got, "errno", num(err),
	    "held", strcmp(got, "-1000") ? "0" : "1", (char *)NULL);
}

static void apply_sysctls(void)
{
	int i;

	for (i = 0; i < cell.nsysctls; i++) {
		char path[128], got[64] = "";
		char *p;
		int err;

		snprintf(path, sizeof(path), "/proc/sys/%s", cell.sysctl_key[i]);
		for (p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		err = sysfile_write(path, cell.sysctl_val[i]);
		if (sysfile_read(path, got, sizeof(got)) < 0 && !err)
			err = errno;
		rec("sysctl", "key", cell.sysctl_key[i], "want", cell.sysctl_val[i], "got", got,
		    "errno", num(err), (char *)NULL);
	}
}

/*
 * What must differ between cells restored from one snapshot, made to differ. Every restore
 * resumes the same RNG state: the host's per-cell seed is mixed in and credited
 * (RNDADDENTROPY, which also completes the RNG's first seeding), and the RNG reseeded from
 * it at once (RNDRESEEDCRNG); the record shows the seed and the first bytes read after it.
 * A restored guest's wall clock stands where the snapshot stopped it: it is set to the
 * host's, as the host wrote the spec (behind by the restore's fraction of a second). The
 * cell's timers start from here in either case (run_cell()).
 */
static void fresh_start(int restored)
{
	struct {
		struct rand_pool_info info;
		unsigned char buf[32];
	} add;
	unsigned char sample[8];
	char hex[17];
	size_t i, n = strlen(cell.seed) / 2;
	int fd, err = 0;

	if (cell.seed[0]) {
		if (n > sizeof(add.buf))
			n = sizeof(add.buf);
		for (i = 0; i < n; i++)
			add.buf[i] = (unsigned char)strtoul((char[]){ cell.seed[2 * i],
								      cell.seed[2 * i + 1], 0 },
							    NULL, 16);
		add.info.entropy_count = (int)(n * 8);
		add.info.buf_size = (int)n;
		fd = open("/dev/urandom", O_RDWR | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, RNDADDENTROPY, &add) < 0 ||
		    ioctl(fd, RNDRESEEDCRNG) < 0)
			err = errno;
		if (fd >= 0)
			close(fd);
		if (getrandom(sample, sizeof(sample), GRND_NONBLOCK) != (ssize_t)sizeof(sample))
			memset(sample, 0, sizeof(sample));
		for (i = 0; i < sizeof(sample); i++)
			snprintf(hex + 2 * i, 3, "%02x", sample[i]);
		rec("rng", "seed", cell.seed, "sample", hex, "errno", num(err), (char *)NULL);
	}
	if (restored && cell.clock_ns > 0) {
		struct timespec was, to = { cell.clock_ns / 1000000000LL,
					    cell.clock_ns % 1000000000LL };

		clock_gettime(CLOCK_REALTIME, &was);
		err = clock_settime(CLOCK_REALTIME, &to) < 0 ? errno : 0;
		rec("clock", "was", num(was.tv_sec), "set", num(to.tv_sec), "errno", num(err),
		    (char *)NULL);
	}
}

static void report_module(const char *path, int err, void *arg)
{
	rec("module", "path", path, "errno", num(err), (char *)NULL);
}

/* Runs busybox's applet with args and waits; returns its exit status, or -1 and errno. */
static int run_busybox(const char *applet, const char *arg, const char *arg2)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		execl("/bin/busybox", applet, arg, arg2, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * The swap disk: the host gives a blank virtio disk; busybox's mkswap writes the signature
 * and swapon(2) enables it. What failed is recorded; the host decides what that means.
 */
static void setup_swap(void)
{
	const char *what = "mkswap";
	int err = 0, st;

	if (!cell.swap_dev[0])
		return;
	st = run_busybox("mkswap", cell.swap_dev, NULL);
	if (st) {
		err = st < 0 ? errno : EIO;
	} else {
		what = "swapon";
		if (swapon(cell.swap_dev, 0) < 0)
			err = errno;
	}
	rec("swap", "dev", cell.swap_dev, "bytes", num(cell.swap_bytes), "errno", num(err),
	    "what", err ? what : "", (char *)NULL);
}

/*
 * The scratch disk: a blank virtio disk made ext2 by busybox's mke2fs and mounted with the
 * ext4 driver, so that files there are page cache that reclaim can drop, unlike tmpfs.
 */
static void setup_disk(void)
{
	const char *what = "mke2fs";
	int err = 0, st;

	if (!cell.disk_dev[0])
		return;
	st = run_busybox("mke2fs", "-q", cell.disk_dev);
	if (st) {
		err = st < 0 ? errno : EIO;
	} else {
		what = "mount";
		mkdir("/mnt", 0755);
		mkdir(cell.disk_dir, 0755);
		if (mount(cell.disk_dev, cell.disk_dir, "ext4", 0, NULL) < 0)
			err = errno;
	}
	rec("disk", "dev", cell.disk_dev, "dir", cell.disk_dir, "errno", num(err),
	    "what", err ? what : "", (char *)NULL);
}

/*
 * Mounts the hierarchy, creates the groups and writes their knobs, recording each step with
 * the kernel's errno. A hierarchy that cannot be set up ends the cell: there is nothing to
 * test, and the host says why (CONF) from the record.
 */
static void setup_cgroups(void)
{
	const char *what = "";
	char got[64];
	int i, err;

	if (!cell.cgroup)
		return;
	err = cg_setup(cell.cgroup, &what);
	rec("cgroup", "v", num(cell.cgroup), "errno", num(err), "what", what, (char *)NULL);
	if (err)
		finish("cgroup");
	for (i = 0; i < cell.ngroups; i++) {
		err = cg_create(cell.group[i]);
		rec("group", "name", cell.group[i], "errno", num(err), (char *)NULL);
		if (err)
			finish("cgroup");
	}
	for (i = 0; i < cell.nknobs; i++) {
		err = cg_set(cell.group[cell.knob[i].group], cell.knob[i].key, cell.knob[i].value,
			     got, sizeof(got));
		rec("knob", "group", cell.group[cell.knob[i].group], "key", cell.knob[i].key,
		    "want", cell.knob[i].value, "got", got, "errno", num(err), (char *)NULL);
	}
}

static void add_pair(void *arg, const char *k, long long v)
{
	proto_add(arg, PROTO_LINE_MAX, k, num(v));
}

struct pair_find {
	const char *key;
	long long value;
};

static void find_pair(void *arg, const char *k, long long v)
{
	struct pair_find *f = arg;

	if (!strcmp(k, f->key))
		f->value = v;
}

/*
 * The cell's changes: once a group's counter reads its value (box's under_oom reads 1: the
 * tasks are blocked), wait the delay, forward the kernel's messages so far (so that a kill
 * line printed before the write comes before its record), write the knob and record it.
 */
static void run_changes(int kfd)
{
	long now = mono_ms();
	char got[64];
	int i, err;

	for (i = 0; i < cell.nchanges; i++) {
		struct change *c = &cell.change[i];
		struct pair_find f = { c->key, -1 };

		if (c->done)
			continue;
		if (c->seen_at < 0) {
			if (cg_read_pairs(c->group, c->file, find_pair, &f) || f.value != c->value)
				continue;
			c->seen_at = now;
			rec("trigger", "group", c->group, "file", c->file, "key", c->key,
			    "value", num(f.value), (char *)NULL);
		}
		if (now < c->seen_at + c->delay_ms)
			continue;
		if (kfd >= 0)
			drain_kmsg(kfd);
		err = cg_set(c->set_group, c->set_key, c->set_value, got, sizeof(got));
		rec("knob", "group", c->set_group, "key", c->set_key, "want", c->set_value,
		    "got", got, "errno", num(err), "change", "1", (char *)NULL);
		c->done = 1;
	}
}

/*
 * The kernel's counters as the cell begins. A restored cell's kernel has run since its
 * shape booted, so what the oracles read of /proc/vmstat is the change since here; the
 * memory pressure totals are kept beside them in the record.
 */
static long long oom_kill_base;

static long long vmstat_get(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *p = text;

	while ((p = strstr(p, key))) {
		if ((p == text || p[-1] == '\n') && p[len] == ' ')
			return strtoll(p + len + 1, NULL, 10);
		p += len;
	}
	return -1;
}

static void record_baseline(void)
{
	static const char *const keys[] = { "oom_kill", "pgscan_kswapd", "pgscan_direct",
					    "pswpout", "pgmajfault" };
	char line[PROTO_LINE_MAX], text[8192], psi[256] = "";
	size_t i;

	if (sysfile_read("/proc/vmstat", text, sizeof(text)) <= 0)
		text[0] = '\0';
	rec_begin(line, sizeof(line), "baseline");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		proto_add(line, sizeof(line), keys[i], num(vmstat_get(text, keys[i])));
	oom_kill_base = vmstat_get(text, "oom_kill");
	if (oom_kill_base < 0)
		oom_kill_base = 0;
	if (sysfile_read("/proc/pressure/memory", psi, sizeof(psi)) > 0) {
		psi[strcspn(psi, "\n")] = ' ';
		psi[strcspn(psi, "\n")] = '\0';
		proto_add(line, sizeof(line), "psi", psi);
	}
	rec_end(line, sizeof(line));
}

/* The kernel's own counts of what happened: each group's event files and /proc/vmstat. */
static void report_counters(void)
{
	static const char *const files[3][4] = {
		[1] = { "memory.oom_control", "pids.events", NULL },
		[2] = { "memory.events", "memory.events.local", "pids.events", NULL },
	};
	char line[PROTO_LINE_MAX], text[8192];
	const char *p;
	int i, f, err;

	for (i = 0; cell.cgroup && i < cell.ngroups; i++) {
		for (f = 0; files[cell.cgroup][f]; f++) {
			rec_begin(line, sizeof(line), "counters");
			proto_add(line, sizeof(line), "group", cell.group[i]);
			proto_add(line, sizeof(line), "file", files[cell.cgroup][f]);
			err = cg_read_pairs(cell.group[i], files[cell.cgroup][f], add_pair, line);
			proto_add(line, sizeof(line), "errno", num(err));
			rec_end(line, sizeof(line));
		}
	}
	if (sysfile_read("/proc/vmstat", text, sizeof(text)) > 0 &&
	    (p = strstr(text, "\noom_kill ")))
		rec("vmstat", "oom_kill", num(strtoll(p + 10, NULL, 10) - oom_kill_base),
		    "since_boot", num(strtoll(p + 10, NULL, 10)), (char *)NULL);
}

/*
 * The kernel's trace events (trace.h), set up before meminfo is read: their buffers take
 * memory. Without them (a kernel without tracefs or one of the events) the agent follows
 * forks with the proc connector instead, and the record says why. A shape's guest sets
 * them up before it is saved (about 0.1 s under TCG: the buffers, and patching each event
 * in); its cells drop what the agent's own setup left in them (mkswap's fork, say).
 */
static int trace_err = -1;
static char trace_what[128];

static void start_trace(void)
{
	trace_err = trace_init(TRACE_KB_PER_CPU, trace_what, sizeof(trace_what));
	tracing = !trace_err;
}

static void setup_trace(int restored)
{
	if (restored && tracing)
		trace_discard();
	else if (!restored)
		start_trace();
	rec("trace", "errno", num(trace_err), "what", trace_what, "buffer_kb",
	    num(TRACE_KB_PER_CPU), (char *)NULL);
}

long long meminfo(const char *text, const char *field)
{
	const char *p = strstr(text, field);

	return p ? strtoll(p + strlen(field) + 1, NULL, 10) : -1;
}

static void report_meminfo(void)
{
	char text[4096];

	if (sysfile_read("/proc/meminfo", text, sizeof(text)) < 0)
		return;
	rec("meminfo", "total_kb", num(meminfo(text, "MemTotal")),
	    "avail_kb", num(meminfo(text, "MemAvailable")),
	    "commit_limit_kb", num(meminfo(text, "CommitLimit")),
	    "committed_kb", num(meminfo(text, "Committed_AS")),
	    "swap_total_kb", num(meminfo(text, "SwapTotal")), (char *)NULL);
}

/*
 * A workload the OOM killer has sent SIGKILL may take a while to exit (tearing down a large
 * mm under TCG takes hundreds of ms), and meanwhile its last phase still reads "holding".
 * The kernel's kill line marks it, so the cell does not settle before it is reaped.
 */
static void mark_doomed(const char *msg)
{
	const char *p = strstr(msg, "Killed process ");
	pid_t pid;
	struct wl *w;
	int own;

	if (!p)
		return;
	pid = (pid_t)strtol(p + 15, NULL, 10);
	if ((w = wl_find_pid(pid))) {
		if (!w->ended)
			w->doomed = 1;
	} else if ((own = lineage_owner(pid))) {
		/* a workload's child: the kill is the workload's (lineage.h) */
		rec("descendant", "name", cell.wl[own - 1].name, "pid", num(pid), (char *)NULL);
	}
}

/*
 * One trace event as a record: the host orders them by t (ns, CLOCK_MONOTONIC) and decides
 * from the whole trace whose each task was and what ended it (docs/PROTOCOL.md).
 */
static void emit_trace(const struct tb_event *ev, void *arg)
{
	char line[PROTO_LINE_MAX];
	static const char *const word[TB_NTYPES] = {
		[TB_FORK] = "tfork", [TB_EXIT] = "texit", [TB_SIGNAL] = "tsig",
		[TB_DELIVER] = "tdeliver", [TB_VICTIM] = "tmark", [TB_ADJ] = "tadj",
	};

	rec_begin(line, sizeof(line), word[ev->type]);
	proto_addll(line, sizeof(line), "t", (long long)ev->ns);
	if (ev->type != TB_FORK && ev->type != TB_EXIT)
		proto_addll(line, sizeof(line), "by", ev->common_pid);
	if (ev->type != TB_DELIVER)
		proto_addll(line, sizeof(line), "pid", ev->pid);
	if (ev->type == TB_FORK)
		proto_addll(line, sizeof(line), "child", ev->child);
	if (ev->type == TB_SIGNAL) {
		proto_addll(line, sizeof(line), "sig", ev->sig);
		proto_addll(line, sizeof(line), "code", ev->code);
		proto_addll(line, sizeof(line), "group", ev->group);
		proto_addll(line, sizeof(line), "result", ev->result);
	}
	if (ev->type == TB_DELIVER) {
		proto_addll(line, sizeof(line), "sig", ev->sig);
		proto_addll(line, sizeof(line), "code", ev->code);
		/* 0 SIG_DFL, 1 SIG_IGN, else a handler: only its being one matters */
		proto_addll(line, sizeof(line), "handler", ev->handler > 1 ? 2 : (long long)ev->handler);
	}
	if (ev->type == TB_VICTIM || ev->type == TB_ADJ)
		proto_addll(line, sizeof(line), "adj", ev->adj);
	if (ev->type != TB_DELIVER)
		proto_add(line, sizeof(line), "comm", ev->comm);
	rec_end(line, sizeof(line));
}

static void drain_trace(void)
{
	long before = trace_missed;

	if (!tracing)
		return;
	trace_drain(emit_trace, NULL, &trace_missed);
	if (trace_missed > before)
		rec("trace-lost", "events", num(trace_missed - before), (char *)NULL);
}

/* The last events, and the kernel's own count of what its buffers could not hold. */
static void finish_trace(void)
{
	struct trace_stats st;

	if (!tracing)
		return;
	trace_finish();
	drain_trace();
	trace_stats(&st);
	if (st.dropped || st.overrun)
		rec("trace-lost", "dropped", num(st.dropped), "overrun", num(st.overrun),
		    (char *)NULL);
	rec("trace-end", "events", num(st.events), "cpus", num(st.cpus),
	    "buffer_kb", num(st.buffer_kb), "peak_bytes", num(st.peak_bytes),
	    "missed", num(trace_missed), (char *)NULL);
	tracing = 0;
}

static long kmsg_heard; /* kernel messages forwarded since the cell began */

/* Forwards every new /dev/kmsg record; returns how many. */
static int drain_kmsg(int fd)
{
	static char buf[8192];
	int count = 0, lost;

	/* forks first: a kill line names a process whose fork event came before it */
	drain_trace();
	if ((lost = lineage_drain()))
		rec("lineage-lost", "batches", num(lost), (char *)NULL);

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		char *semi, *nl, *end;
		long pri, us;
		long long seq;

		if (n < 0 && errno == EPIPE) { /* records were overwritten before we read them */
			rec("kmsg-lost", (char *)NULL);
			kmsg_heard++; /* the kernel said something: a cell cannot end in silence */
			continue;
		}
		if (n <= 0)
			break;
		buf[n] = '\0';
		semi = strchr(buf, ';');
		if (!semi)
			continue;
		*semi = '\0';
		pri = strtol(buf, &end, 10);
		seq = *end == ',' ? strtoll(end + 1, &end, 10) : -1;
		us = *end == ',' ? strtol(end + 1, &end, 10) : -1;
		nl = strchr(semi + 1, '\n'); /* continuation lines (" KEY=value") are dropped */
		if (nl)
			*nl = '\0';
		rec("kmsg", "pri", num(pri), "seq", num(seq), "us", num(us), "msg", semi + 1, (char *)NULL);
		mark_doomed(semi + 1);
		count++;
		kmsg_heard++;
	}
	return count;
}

/* Reads a /proc file held open from its start; returns bytes read or -1. */
static ssize_t pread_small(int fd, char *buf, size_t len)
{
	ssize_t n = fd < 0 ? -1 : pread(fd, buf, len - 1, 0);

	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/*
 * What the evictors decide by, per group of a v2 cell: its memory.current,
 * memory.swap.current and memory.pressure, kept open as the workloads' files are.
 */
static struct { int cur, swap, psi, stat; } group_fd[MAX_GROUPS];
static int psi_fd = -1;

static int open_ro(const char *fmt, const char *arg)
{
	char path[256];

	snprintf(path, sizeof(path), fmt, arg);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static void open_samples(void)
{
	int i;

	psi_fd = open("/proc/pressure/memory", O_RDONLY | O_CLOEXEC);
	for (i = 0; i < cell.ngroups; i++) {
		group_fd[i].cur = group_fd[i].swap = group_fd[i].psi = group_fd[i].stat = -1;
		if (cell.cgroup != 2)
			continue;
		group_fd[i].cur = open_ro("/sys/fs/cgroup/%s/memory.current", cell.group[i]);
		group_fd[i].swap = open_ro("/sys/fs/cgroup/%s/memory.swap.current", cell.group[i]);
		group_fd[i].psi = open_ro("/sys/fs/cgroup/%s/memory.pressure", cell.group[i]);
		group_fd[i].stat = open_ro("/sys/fs/cgroup/%s/memory.stat", cell.group[i]);
	}
}

/*
 * A pressure file's "some" and "full" lines into the sample: avg10 as the kernel prints it
 * (a percentage with two decimals) and total (microseconds stalled), under prefix.
 */
static void add_psi(char *line, int fd, const char *prefix)
{
	char text[512], key[160], avg[16];
	unsigned long long total;
	const char *kind[2] = { "some", "full" };
	const char *p;
	int k;

	if (fd < 0 || pread_small(fd, text, sizeof(text)) <= 0)
		return;
	for (k = 0; k < 2; k++) {
		p = strstr(text, kind[k]);
		if (!p || sscanf(p, "%*s avg10=%15s %*s %*s total=%llu", avg, &total) != 2)
			continue;
		snprintf(key, sizeof(key), "%s%s10", prefix, kind[k]);
		proto_add(line, PROTO_LINE_MAX, key, avg);
		snprintf(key, sizeof(key), "%s%s_us", prefix, kind[k]);
		proto_add(line, PROTO_LINE_MAX, key, num((long long)total));
	}
}

static void add_file_ll(char *line, int fd, const char *key)
{
	char text[64];

	if (fd >= 0 && pread_small(fd, text, sizeof(text)) > 0)
		proto_add(line, PROTO_LINE_MAX, key, num(strtoll(text, NULL, 10)));
}

/*
 * Samples MemAvailable, SwapFree, the memory pressure, what each workload holds (in
 * earlyoom's cells also its RSS and oom_score) and each v2 group's usage and pressure (a
 * gsample record per group). The files stay open and are re-read with pread: a seq_file
 * keeps its buffer, so sampling allocates no memory in the guest, and the agent cannot be
 * the task whose allocation invokes the OOM killer (which would change the victim in
 * oom_kill_allocating_task cells).
 */
static void sample(void)
{
	char line[PROTO_LINE_MAX], text[8192], key[160];
	int i;

	rec_begin(line, sizeof(line), "sample");
	if (pread_small(meminfo_fd, text, sizeof(text)) > 0) {
		proto_add(line, sizeof(line), "avail_kb", num(meminfo(text, "MemAvailable")));
		proto_add(line, sizeof(line), "swapfree_kb", num(meminfo(text, "SwapFree")));
	}
	add_psi(line, psi_fd, "psi_");
	for (i = 0; i < cell.nwl; i++) {
		struct wl *w = &cell.wl[i];
		long pages;

		if (!w->pid || w->ended)
			continue;
		/* what it says it holds, in every cell; its rss only where it is read (statm) */
		if (w->bytes > 0) {
			snprintf(key, sizeof(key), "held.%s", w->name);
			proto_add(line, sizeof(line), key, num(w->bytes / 1024));
		}
		if (w->statm < 0 || pread_small(w->statm, text, sizeof(text)) <= 0 ||
		    sscanf(text, "%*d %ld", &pages) != 1)
			continue;
		snprintf(key, sizeof(key), "rss.%s", w->name);
		proto_add(line, sizeof(line), key, num(pages * (sysconf(_SC_PAGESIZE) / 1024)));
		snprintf(key, sizeof(key), "score.%s", w->name);
		if (pread_small(w->scorefd, text, sizeof(text)) > 0)
			proto_add(line, sizeof(line), key, num(strtoll(text, NULL, 10)));
	}
	rec_end(line, sizeof(line));
	/* each group's in a record of its own, which the host adds to this sample: a node's
	 * dozen groups would not fit one record */
	for (i = 0; i < cell.ngroups; i++) {
		if (group_fd[i].cur < 0 && group_fd[i].psi < 0 && group_fd[i].stat < 0)
			continue; /* a v1 group: none of these files */
		rec_begin(line, sizeof(line), "gsample");
		snprintf(key, sizeof(key), "cur.%s", cell.group[i]);
		add_file_ll(line, group_fd[i].cur, key);
		snprintf(key, sizeof(key), "swap.%s", cell.group[i]);
		add_file_ll(line, group_fd[i].swap, key);
		snprintf(key, sizeof(key), "psi.%s.", cell.group[i]);
		add_psi(line, group_fd[i].psi, key);
		/* pages scanned by reclaim, which systemd-oomd and oomd rank by */
		if (group_fd[i].stat >= 0 && pread_small(group_fd[i].stat, text, sizeof(text)) > 0) {
			const char *p = strstr(text, "\npgscan ");

			snprintf(key, sizeof(key), "pgscan.%s", cell.group[i]);
			if (p)
				proto_add(line, sizeof(line), key, num(strtoll(p + 8, NULL, 10)));
		}
		rec_end(line, sizeof(line));
	}
	/* a workload that set its own oom_score_adj (stress-ng does, as root) */
	for (i = 0; i < cell.nwl; i++) {
		struct wl *w = &cell.wl[i];
		int adj;

		if (!w->pid || w->ended || pread_small(w->adjfd, text, sizeof(text)) <= 0 ||
		    sscanf(text, "%d", &adj) != 1 || adj == w->seen_adj)
			continue;
		w->seen_adj = adj;
		rec("wladj", "name", w->name, "pid", num(w->pid), "adj", num(adj), (char *)NULL);
	}
}

/* The cell is over when every workload has ended, cannot start, or (settled) holds. */
static int cell_settled(void)
{
	int i;

	if (cell.stop_deadline)
		return 0;
	for (i = 0; i < cell.nwl; i++) {
		struct wl *w = &cell.wl[i];

		if (w->never || w->ended)
			continue;
		if (!w->started || w->doomed || cell.stop_exited || strcmp(w->phase, "holding"))
			return 0;
	}
	return 1;
}

/*
 * Whether the settled cell can end without the quiet wait: every workload has ended, no
 * evictor runs, and the kernel has said nothing since the cell began, not even in a last
 * drain (records it overwrote before the agent read them count as said). A kill by the
 * kernel prints its report's header before it sends SIGKILL, so a workload it killed cannot
 * have been reaped before that header was there to drain; with no kill, nothing more about
 * this cell can follow.
 */
static int ended_in_silence(int kfd)
{
	int i;

	if (kmsg_heard || kfd < 0 || cell.ev.program[0])
		return 0;
	for (i = 0; i < cell.nwl; i++)
		if (!cell.wl[i].never && !cell.wl[i].ended)
			return 0;
	drain_kmsg(kfd);
	return !kmsg_heard;
}

static void finish(const char *reason)
{
	int i;

	for (i = 0; i < cell.nwl; i++) {
		struct wl *w = &cell.wl[i];

		if (w->started && !w->ended && !w->never)
			rec("alive", "name", w->name, "pid", num(w->pid), "phase", w->phase,
			    "bytes", num(w->bytes), (char *)NULL);
	}
	ev_drain();
	finish_trace();
	report_counters();
	rec("done", "reason", reason, (char *)NULL);
	power_off();
}

static void run_cell(void)
{
	struct pollfd pfd[MAX_WORKLOADS + 4 + MOOM_MAX_CLIENTS + 1];
	int kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC), sfd, lfd, i, n;
	long deadline, next_sample, settled_at = -1, last_kmsg;
	sigset_t set;

	/* the console already has the boot log; forward from now on */
	if (kfd >= 0)
		lseek(kfd, 0, SEEK_END);
	else
		rec("error", "what", "kmsg", "errno", num(errno), (char *)NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);

	lfd = tracing ? -1 : lineage_init();
	if (!tracing && lfd < 0)
		rec("lineage", "errno", num(errno), (char *)NULL);
	meminfo_fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	open_samples();
	if (cell.ev.program[0] && ev_start() < 0)
		finish("evictor");
	deadline = mono_ms() + cell.deadline_ms;
	next_sample = mono_ms();
	last_kmsg = mono_ms();
	wl_start_ready();
	for (;;) {
		long now = mono_ms(), wait;

		if (now >= next_sample) {
			sample();
			run_changes(kfd);
			next_sample = now + SAMPLE_MS;
		}
		if (now >= deadline) {
			if (kfd >= 0)
				drain_kmsg(kfd);
			finish("deadline");
		}
		if (cell_settled()) {
			if (settled_at < 0)
				settled_at = now;
			/*
			 * An evictor with a pass of its own (kubelet's model) has the last word:
			 * the cell ends only once it has passed over the settled cell and
			 * evicted nothing, so an eviction the settling would hide is seen.
			 */
			if (cell.ev.quiet[0] && cell.ev.quiet_ms <= settled_at)
				;
			else if (ended_in_silence(kfd) || now - last_kmsg >= SETTLE_QUIET_MS ||
				 now - settled_at >= SETTLE_MAX_MS) {
				if (kfd >= 0)
					drain_kmsg(kfd);
				finish(cell.stop_exited ? "exited" : "settled");
			}
		} else {
			settled_at = -1;
		}

		n = 0;
		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = kfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = cell.ev.program[0] ? cell.ev.out.fd : -1,
					    .events = POLLIN };
		for (i = 0; i < cell.nwl; i++)
			pfd[n++] = (struct pollfd){ .fd = cell.wl[i].out.fd, .events = POLLIN };
		n += ev_pollfds(pfd + n, MOOM_MAX_CLIENTS + 1);
		wait = next_sample - now;
		if (deadline - now < wait)
			wait = deadline - now;
		if (settled_at >= 0 && wait > 50)
			wait = 50;
		if (wait < 0)
			wait = 0;
		if (poll(pfd, (nfds_t)n, (int)wait) < 0 && errno != EINTR)
			rec("error", "what", "poll", "errno", num(errno), (char *)NULL);

		if (kfd >= 0 && drain_kmsg(kfd) > 0)
			last_kmsg = mono_ms();
		for (i = 0; i < cell.nwl; i++)
			if (cell.wl[i].out.fd >= 0)
				wl_drain(&cell.wl[i]);
		ev_drain();
		ev_serve();
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si))
				;
		}
		wl_reap();
		wl_start_ready();
	}
}

int main(void)
{
	struct utsname u;
	int restored;

	prctl(PR_SET_NAME, AGENT_COMM);
	setup_mounts();
	if (rec_open() < 0) {
		dprintf(2, "oomlab-agent: cannot open %s: %s\n", RECORD_TTY, strerror(errno));
		power_off();
	}
	uname(&u);
	rec("hello", "v", num(PROTO_VERSION), "kernel", u.release, "machine", u.machine, (char *)NULL);
	protect_self();
	restored = shape_await(SPEC_PATH, start_trace);
	if (restored < 0)
		finish("spec-error");
	if (restored) {
		/* the cell's own records begin as a booted cell's do */
		rec("hello", "v", num(PROTO_VERSION), "kernel", u.release, "machine", u.machine,
		    "restored", "1", (char *)NULL);
		protect_self();
	}
	if (spec_read() < 0)
		finish("spec-error");
	rec("cell", "id", cell.id, "deadline_ms", num(cell.deadline_ms),
	    "workloads", num(cell.nwl), (char *)NULL);
	fresh_start(restored);
	/* the modules drive the disks; loading them costs about a second under TCG */
	if (restored && (cell.swap_dev[0] || cell.disk_dev[0]))
		shape_modules(report_module);
	else if ((cell.swap_dev[0] || cell.disk_dev[0]) &&
		 modload_run(MODLOAD_LIST, report_module, NULL) < 0 && errno != ENOENT)
		rec("error", "what", "modules", "errno", num(errno), (char *)NULL);
	apply_sysctls();
	setup_swap();
	setup_disk();
	setup_cgroups();
	setup_trace(restored);
	report_meminfo();
	record_baseline();
	run_cell();
	return 0;
}
