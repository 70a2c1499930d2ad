// SPDX-License-Identifier: GPL-2.0-only
/* main.c - the guest's kubelet eviction manager: observe, pass thresholds, rank, evict, log. */
#include "kubelet/kubelet.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "shared/sysfile.h"

/*
 * The agent runs this as the cell's evictor (program "kubelet"): every line it prints is an
 * evlog record, and the host's oracles read them (docs/kubelet.md has their shapes). The loop
 * is kubelet's managerImpl.Start: synchronize(); after an eviction, waitForPodsCleanup; else
 * sleep the monitoring period, woken early on cgroup v1 by the memcg threshold notifier.
 *
 * Observations are read where cAdvisor reads them for kubelet's summary: the node's working
 * set from the root memory cgroup (v1: memory.usage_in_bytes less total_inactive_file; v2,
 * where the root has no memory.current: MemTotal less MemFree, less inactive_file, as
 * runc's rootStatsFromMeminfo and cAdvisor's working set do), capacity from MemTotal.
 */

#define CG "/sys/fs/cgroup"
#define CLEANUP_POLL_MS 1000     /* podCleanupPollFreq */
#define CLEANUP_TIMEOUT_MS 30000 /* podCleanupTimeout */
#define HARD_GRACE_S 1           /* immediateEvictionGracePeriodSeconds */
#define POD_GRACE_S 30           /* a pod's terminationGracePeriodSeconds by default */
#define MIN_GRACE_S 2            /* kuberuntime's minimumGracePeriodInSeconds */
#define PIDS_MAX 8192            /* the processes of a container it signals at once */

static struct kl_config conf;
static struct kl_node node;
static int v1;
static long long capacity;
static int evicted[KL_MAX_PODS];
static struct timespec t0;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0.tv_sec) * 1000LL + (t.tv_nsec - t0.tv_nsec) / 1000000;
}

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static long long read_ll(const char *path)
{
	char buf[64];

	if (sysfile_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

/* The value of key in a "key value" file (memory.stat) or "Key: value kB" (meminfo). */
static long long read_key(const char *path, const char *key)
{
	static char buf[16384];
	size_t n = strlen(key);
	char *p;

	if (sysfile_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, n) && (p[n] == ' ' || p[n] == ':'))
			return strtoll(p + n + 1 + (p[n] == ':'), NULL, 10) *
			       (strstr(path, "meminfo") ? 1024 : 1);
	}
	return -1;
}

/* The memory controller's path for a cgroup ("/kubepods"): v1 has its own hierarchy. */
static void mem_path(char *buf, size_t len, const char *cgroup, const char *file)
{
	snprintf(buf, len, CG "%s%s/%s", v1 ? "/memory" : "", cgroup, file);
}

/* A cgroup's working set: usage less inactive file pages (cAdvisor's setMemoryStats). */
static long long working_set(const char *cgroup)
{
	char path[256];
	long long usage, inactive;

	mem_path(path, sizeof(path), cgroup, v1 ? "memory.usage_in_bytes" : "memory.current");
	usage = read_ll(path);
	if (usage < 0)
		return -1;
	mem_path(path, sizeof(path), cgroup, "memory.stat");
	inactive = read_key(path, v1 ? "total_inactive_file" : "inactive_file");
	return inactive < 0 || inactive > usage ? (inactive > usage ? 0 : usage) :
						 usage - inactive;
}

/* The node's working set and the inactive file pages it left out. */
static long long node_working_set(long long *inactive)
{
	char path[256];
	long long usage;

	if (v1) {
		mem_path(path, sizeof(path), "", "memory.usage_in_bytes");
		usage = read_ll(path);
		mem_path(path, sizeof(path), "", "memory.stat");
		*inactive = read_key(path, "total_inactive_file");
	} else {
		usage = capacity - read_key("/proc/meminfo", "MemFree");
		*inactive = read_key(CG "/memory.stat", "inactive_file");
		if (*inactive < 0)
			*inactive = read_key("/proc/meminfo", "Inactive(file)");
	}
	if (*inactive < 0)
		*inactive = 0;
	return usage > *inactive ? usage - *inactive : 0;
}

/* The processes of a cgroup, by cgroup.procs; pids[] gets up to max of them. */
static int procs(const char *cgroup, int *pids, int max)
{
	char path[256];
	static char buf[65536];
	char *p, *end;
	int n = 0;

	snprintf(path, sizeof(path), CG "%s%s/cgroup.procs", v1 ? "/memory" : "", cgroup);
	if (sysfile_read(path, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; *p; p = end) {
		long v = strtol(p, &end, 10);

		if (end == p)
			break;
		if (n < max && pids)
			pids[n] = (int)v;
		n++;
	}
	return n;
}

/* makeSignalObservations for the model's signals; one "observe" line. */
static void observe(struct kl_observation *obs, long long now)
{
	struct sysinfo si;
	long long ws, pid_max, threads_max, tasks = -1, inactive;
	char buf[128];

	memset(obs, 0, sizeof(*obs) * KL_NSIGNALS);
	ws = node_working_set(&inactive);
	obs[KL_MEMORY_AVAILABLE] = (struct kl_observation){ 1, capacity - ws, capacity };
	if (ws > capacity)
		obs[KL_MEMORY_AVAILABLE].available = 0;
	/* the pods' cgroup: node allocatable (capacity less what is reserved) less its working set */
	ws = working_set("/kubepods");
	if (conf.enforce_pods && ws >= 0)
		obs[KL_ALLOCATABLE_MEMORY_AVAILABLE] =
			(struct kl_observation){ 1, capacity - conf.reserved - ws,
						 capacity - conf.reserved };
	/* pid.available: the smaller of pid_max and threads-max, less the tasks running */
	pid_max = read_ll("/proc/sys/kernel/pid_max");
	threads_max = read_ll("/proc/sys/kernel/threads-max");
	if (threads_max > 0 && threads_max < pid_max)
		pid_max = threads_max;
	/*
	 * the tasks running: the total of /proc/loadavg's fourth field ("2/3518"), which
	 * kubelet prefers to sysinfo(2)'s procs, a 16-bit count (pidlimit_linux.go)
	 */
	if (sysfile_read("/proc/loadavg", buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "%*s %*s %*s %*d/%lld", &tasks) == 1)
		;
	else if (!sysinfo(&si))
		tasks = si.procs;
	if (pid_max > 0 && tasks >= 0)
		obs[KL_PID_AVAILABLE] = (struct kl_observation){ 1, pid_max - tasks, pid_max };
	say("observe t=%lld memory.available=%lld capacity=%lld inactive_file=%lld "
	    "allocatableMemory.available=%lld pid.available=%lld pid.max=%lld", now,
	    obs[0].available, obs[0].capacity, inactive, obs[1].present ? obs[1].available : -1,
	    obs[2].available, obs[2].capacity);
}

/* The pods still running, with their stats, for the ranking. */
static int active_pods(struct kl_pod *pods)
{
	int i, c, n = 0, np;

	for (i = 0; i < node.npods; i++) {
		struct kl_pod *p = &pods[n];

		if (evicted[i])
			continue;
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", node.pods[i].name);
		p->priority = node.pods[i].priority;
		p->critical = p->priority >= 2000000000;
		/* the pod's working set is its own cgroup's (the summary's pod stats) */
		p->usage = working_set(node.pods[i].cgroup);
		p->has_stats = p->usage >= 0;
		if (p->usage < 0)
			p->usage = 0;
		for (c = 0; c < node.ncontainers; c++) {
			const struct kl_container *k = &node.containers[c];

			if (k->pod != i)
				continue;
			p->request += k->request;
			np = procs(k->cgroup, NULL, 0);
			p->procs += np > 0 ? np : 0;
		}
		p->id = i;
		n++;
	}
	return n;
}

/* The container of pod p that uses the most memory over its request (for the message). */
static const struct kl_container *offender(int p, long long *usage)
{
	const struct kl_container *best = NULL;
	long long ws, over = 0;
	int c;

	for (c = 0; c < node.ncontainers; c++) {
		const struct kl_container *k = &node.containers[c];

		if (k->pod != p)
			continue;
		ws = working_set(k->cgroup);
		if (!best || ws - k->request > over) {
			best = k;
			over = ws - k->request;
			*usage = ws;
		}
	}
	return best;
}

static void signal_container(const struct kl_container *k, int sig, int tops_only)
{
	static int pids[PIDS_MAX];
	int n, i, j;
	char path[64], buf[512], *p;
	long ppid;

	n = procs(k->cgroup, pids, PIDS_MAX);
	for (i = 0; i < n && i < PIDS_MAX; i++) {
		if (tops_only) {
			/* the container's own process: its parent is not in the container */
			snprintf(path, sizeof(path), "/proc/%d/stat", pids[i]);
			if (sysfile_read(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
				continue;
			ppid = strtol(p + 4, NULL, 10);
			for (j = 0; j < n && j < PIDS_MAX; j++)
				if (pids[j] == ppid)
					break;
			if (j < n && j < PIDS_MAX)
				continue;
		}
		say("killing pid %d of pod %s container %s with %s", pids[i],
		    node.pods[k->pod].name, k->name, sig == SIGKILL ? "SIGKILL" : "SIGTERM");
		kill(pids[i], sig);
	}
}

/*
 * The tasks of pod p not yet released. The runtime's shim reaps a container's processes
 * before kubelet sees them terminated; here the agent, PID 1, reaps them, and pids.current
 * counts a task until it is reaped (the pids controller uncharges in release_task). Falls
 * back to cgroup.procs, which no longer lists a zombie, without the pids controller.
 */
static int pod_procs(int p)
{
	char path[256];
	long long t;
	int c, n = 0, m;

	for (c = 0; c < node.ncontainers; c++) {
		if (node.containers[c].pod != p)
			continue;
		snprintf(path, sizeof(path), CG "%s%s/pids.current", v1 ? "/pids" : "",
			 node.containers[c].cgroup);
		t = read_ll(path);
		if (t < 0 && (m = procs(node.containers[c].cgroup, NULL, 0)) > 0)
			t = m;
		n += t > 0 ? (int)t : 0;
	}
	return n;
}

/*
 * killPodFunc with the grace period: the runtime sends SIGTERM to each container's process,
 * waits out the grace period (at least 2 s) and sends SIGKILL to what remains. A container's
 * process is the init of its pid namespace in a real pod, whose end takes the rest with it:
 * once it has gone, the model sends SIGKILL to the rest at once.
 */
static void kill_pod(int p, long long grace_s)
{
	long long until;
	int c;

	if (grace_s < MIN_GRACE_S)
		grace_s = MIN_GRACE_S;
	for (c = 0; c < node.ncontainers; c++)
		if (node.containers[c].pod == p)
			signal_container(&node.containers[c], SIGTERM, 1);
	until = now_ms() + grace_s * 1000;
	while (pod_procs(p) && now_ms() < until)
		usleep(50000);
	for (c = 0; c < node.ncontainers; c++)
		if (node.containers[c].pod == p && procs(node.containers[c].cgroup, NULL, 0) > 0)
			signal_container(&node.containers[c], SIGKILL, 0);
}

/*
 * waitForPodsCleanup: until the pod's cgroups hold no process, looked at on each tick of a
 * one-second ticker (so first a second after the eviction), for at most 30 s.
 */
static void wait_cleanup(int p)
{
	long long start = now_ms();

	do
		usleep(CLEANUP_POLL_MS * 1000);
	while (pod_procs(p) && now_ms() - start < CLEANUP_TIMEOUT_MS);
	say("pod %s cleaned up: %s after %lld ms", node.pods[p].name,
	    pod_procs(p) ? "processes remain" : "no process left", now_ms() - start);
}

static const char *q(long long v, char *buf)
{
	return kl_quantity_text(v, buf, 24);
}

/* synchronize(): one pass. Returns the index of the pod it evicted, or -1. */
static int synchronize(struct kl_state *st)
{
	struct kl_observation obs[KL_NSIGNALS];
	struct kl_pod pods[KL_MAX_PODS];
	int seen[KL_MAX_THRESHOLDS];
	int i, n, pick, mp;
	long long now, usage = 0, quantity;
	char a[24], b[24], c[24], d[24];
	const struct kl_threshold *t;
	const struct kl_container *k;
	static int was_mp = -1;

	now = now_ms(); /* the pass's time, in its observe line (t=) */
	observe(obs, now);
	pick = kl_pass(&conf, st, obs, now, seen);
	for (i = 0; i < conf.nt; i++) {
		t = &conf.t[i];
		if (!seen[i])
			continue;
		quantity = kl_threshold_quantity(&t->value, obs[t->signal].capacity);
		/* held: met only until its minimum reclaim is back (quantity + min-reclaim) */
		say("met %s<%s %s available=%lld quantity=%lld min-reclaim=%lld held=%d "
		    "observed-for=%lld ms grace=%lld ms%s", kl_signal_name(t->signal),
		    q(quantity, a), t->hard ? "hard" : "soft", obs[t->signal].available, quantity,
		    kl_threshold_quantity(&t->min_reclaim, obs[t->signal].capacity),
		    obs[t->signal].available >= quantity, now - st->first_ms[i], t->grace_ms,
		    st->met[i] ? "" : " (grace period running)");
	}
	mp = kl_memory_pressure(&conf, st, now);
	if (mp != was_mp)
		say("condition MemoryPressure=%s", mp ? "True" : "False");
	was_mp = mp;
	if (pick < 0) {
		say("pass done: no eviction");
		return -1;
	}
	t = &conf.t[pick];
	quantity = kl_threshold_quantity(&t->value, obs[t->signal].capacity);
	say("eviction threshold met: attempting to reclaim %s",
	    t->signal == KL_PID_AVAILABLE ? "pids" : "memory");
	n = active_pods(pods);
	kl_rank(t->signal, pods, n);
	{
		char line[1400];
		size_t off = 0;

		off += (size_t)snprintf(line, sizeof(line), "rank %s:", kl_signal_name(t->signal));
		for (i = 0; i < n && off < sizeof(line); i++)
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						" %s{stats=%d,priority=%d,usage=%lld,request=%lld,"
						"procs=%lld}", pods[i].name, pods[i].has_stats,
						pods[i].priority, pods[i].usage, pods[i].request,
						pods[i].procs);
		say("%s", line);
	}
	for (i = 0; i < n; i++) {
		if (pods[i].critical) {
			say("pod %s is critical: not evicted", pods[i].name);
			continue;
		}
		k = offender(pods[i].id, &usage);
		say("evict pod %s: The node was low on resource: %s. Threshold quantity: %s, "
		    "available: %s. Container %s was using %s, request is %s. (signal %s, %s "
		    "threshold)", pods[i].name, t->signal == KL_PID_AVAILABLE ? "pids" : "memory",
		    q(quantity, a), q(obs[t->signal].available, b), k ? k->name : "-",
		    q(usage, c), k ? q(k->request, d) : "0", kl_signal_name(t->signal),
		    t->hard ? "hard" : "soft");
		evicted[pods[i].id] = 1;
		/*
		 * soft: the pod's own grace period (the default 30 s here), cut to
		 * --eviction-max-pod-grace-period when that is set (0: not set)
		 */
		kill_pod(pods[i].id, t->hard ? HARD_GRACE_S :
			 conf.max_pod_grace_s > 0 && conf.max_pod_grace_s < POD_GRACE_S ?
			 conf.max_pod_grace_s : POD_GRACE_S);
		return pods[i].id;
	}
	say("no pod to evict");
	say("pass done: no eviction");
	return -1;
}

/*
 * The memcg threshold notifiers (memory_threshold_notifier.go, threshold_notifier_linux.go),
 * with --kernel-memcg-notification: one per memory threshold, hard or soft, on the memory
 * cgroup it is about (the root for memory.available, kubepods for
 * allocatableMemory.available). UpdateThreshold sets an eventfd on that group's
 * memory.usage_in_bytes through cgroup.event_control at capacity - the threshold's quantity
 * + inactive_file, so that it fires as the working set reaches capacity - quantity; it is
 * set again at a pass when notifierRefreshInterval (10 s) has passed since the last time.
 * Cgroup v2 has neither file: the notifier cannot be set, and kubelet logs that and polls.
 */
#define NOTIFIER_REFRESH_MS 10000

static int nfd[KL_MAX_THRESHOLDS]; /* each threshold's eventfd, or -1 */
static long long notifier_ms = -NOTIFIER_REFRESH_MS;

static void notifier_update(void)
{
	char path[160], text[96];
	long long usage, inactive, quantity, cap, at;
	const char *group;
	int i, ufd;

	if (!conf.memcg_notification || now_ms() - notifier_ms < NOTIFIER_REFRESH_MS)
		return;
	notifier_ms = now_ms();
	for (i = 0; i < conf.nt; i++) {
		const struct kl_threshold *t = &conf.t[i];

		if (t->signal == KL_PID_AVAILABLE)
			continue;
		group = t->signal == KL_ALLOCATABLE_MEMORY_AVAILABLE ? "/kubepods" : "";
		cap = t->signal == KL_ALLOCATABLE_MEMORY_AVAILABLE ? capacity - conf.reserved :
			capacity;
		if (nfd[i] >= 0)
			close(nfd[i]);
		nfd[i] = -1;
		mem_path(path, sizeof(path), group, "memory.usage_in_bytes");
		usage = read_ll(path);
		mem_path(path, sizeof(path), group, "memory.stat");
		inactive = read_key(path, "total_inactive_file");
		quantity = kl_threshold_quantity(&t->value, cap);
		at = cap - quantity + (inactive > 0 && inactive < usage ? inactive : 0);
		mem_path(path, sizeof(path), group, "memory.usage_in_bytes");
		ufd = open(path, O_RDONLY | O_CLOEXEC);
		nfd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		snprintf(text, sizeof(text), "%d %d %lld", nfd[i], ufd, at);
		mem_path(path, sizeof(path), group, "cgroup.event_control");
		if (ufd < 0 || nfd[i] < 0 || sysfile_write(path, text)) {
			say("notifier: cannot set the %s %s notifier: %s", t->hard ? "hard" : "soft",
			    kl_signal_name(t->signal), strerror(errno));
			if (nfd[i] >= 0)
				close(nfd[i]);
			nfd[i] = -1;
		} else {
			say("notifier: %s %s at usage %lld of %s%s", t->hard ? "hard" : "soft",
			    kl_signal_name(t->signal), at, *group ? group : "the root",
			    " (capacity - threshold + inactive_file)");
		}
		if (ufd >= 0)
			close(ufd);
	}
}

/* Sleeps until the period's end, or until a notifier fires; says which. */
static void notifier_wait(long long until)
{
	struct pollfd pfd[KL_MAX_THRESHOLDS];
	int i, n = 0, map[KL_MAX_THRESHOLDS];
	uint64_t count;

	for (i = 0; i < conf.nt; i++)
		if (nfd[i] >= 0) {
			map[n] = i;
			pfd[n++] = (struct pollfd){ .fd = nfd[i], .events = POLLIN };
		}
	while (now_ms() < until) {
		if (poll(pfd, (nfds_t)n, (int)(until - now_ms())) <= 0)
			continue;
		for (i = 0; i < n; i++)
			if ((pfd[i].revents & POLLIN) && read(pfd[i].fd, &count, 8) == 8) {
				say("notifier: %s %s crossed: synchronize now",
				    conf.t[map[i]].hard ? "hard" : "soft",
				    kl_signal_name(conf.t[map[i]].signal));
				return;
			}
	}
}

int main(int argc, char **argv)
{
	struct kl_state st;
	char err[256], *text, a[24], b[24];
	long long pass_start;
	int i, p;
	struct stat sb;
	FILE *f;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	signal(SIGPIPE, SIG_IGN);
	if (kl_config_parse(argc, argv, &conf, err, sizeof(err))) {
		fprintf(stderr, "kubelet: %s\n", err);
		return 2;
	}
	f = fopen(conf.pods, "r");
	text = calloc(1, 65536);
	if (!f || !text || fread(text, 1, 65535, f) == 0 ||
	    kl_node_parse(text, &node, err, sizeof(err))) {
		fprintf(stderr, "kubelet: %s: %s\n", conf.pods, f ? err : strerror(errno));
		return 2;
	}
	fclose(f);
	free(text);
	v1 = stat(CG "/cgroup.controllers", &sb) != 0;
	capacity = read_key("/proc/meminfo", "MemTotal");
	say("kubelet eviction manager model, following kubelet %s: cgroup %s, capacity %s, "
	    "%d pods, %d containers, monitoring period %lld ms", KL_RELEASE, v1 ? "v1" : "v2",
	    q(capacity, a), node.npods, node.ncontainers, conf.monitoring_ms);
	for (i = 0; i < conf.nt; i++)
		say("threshold %s<%s %s grace=%lld ms min-reclaim=%s",
		    kl_signal_name(conf.t[i].signal),
		    conf.t[i].value.quantity >= 0 ? q(conf.t[i].value.quantity, a) :
			(snprintf(a, sizeof(a), "%g%%", conf.t[i].value.percentage * 100), a),
		    conf.t[i].hard ? "hard" : "soft", conf.t[i].grace_ms,
		    conf.t[i].min_reclaim.quantity >= 0 ? q(conf.t[i].min_reclaim.quantity, b) :
			(snprintf(b, sizeof(b), "%g%%", conf.t[i].min_reclaim.percentage * 100),
			 b));
	/*
	 * enforceNodeAllocatableCgroups (cm/node_container_manager_linux.go): with "pods"
	 * enforced, the pods' cgroup is limited to capacity less the reservations (the eviction
	 * thresholds are not taken off).
	 */
	if (conf.enforce_pods) {
		char path[128], val[32];

		mem_path(path, sizeof(path), "/kubepods",
			 v1 ? "memory.limit_in_bytes" : "memory.max");
		snprintf(val, sizeof(val), "%lld", capacity - conf.reserved);
		say("node allocatable: %s of %s %s: %s", q(capacity - conf.reserved, a), path,
		    sysfile_write(path, val) ? "not written" : "written",
		    conf.reserved ? "capacity less reserved" : "capacity, nothing reserved");
	}
	for (i = 0; i < KL_MAX_THRESHOLDS; i++)
		nfd[i] = -1;
	kl_state_init(&st);
	say("eviction manager: started, synchronize every %lld ms", conf.monitoring_ms);
	for (;;) {
		pass_start = now_ms();
		p = synchronize(&st);
		notifier_update();
		if (p >= 0)
			wait_cleanup(p);
		else
			notifier_wait(pass_start + conf.monitoring_ms);
	}
}
