// SPDX-License-Identifier: GPL-2.0-only
/* shape.c - boot once per kernel and VM shape, save the state; each cell of the shape restores it. */
#include "launch/shape.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch/bulk.h"
#include "launch/schedule.h"
#include "util.h"

#define SHAPE_READY_S 60.0 /* boot to "ready": as a cell's boot deadline (schedule.c) */
#define SHAPE_SAVE_S 60.0  /* "ready" to the state saved and QEMU gone */

/*
 * The bundles of sc's image, sorted, joined: part of the shape's key. The other programs are
 * in every cell's base image alike.
 */
static void add_bundles(struct strbuf *key, const struct images *im, const struct scenario *sc)
{
	const char *p[PROTO_MAX_WORKLOADS + 1];
	int i, j, n = 0;

	for (i = 0; i <= sc->nworkloads; i++) {
		const char *prog = i < sc->nworkloads ? sc->workloads[i].program :
				   sc->evictor.kind ? sc->evictor.kind->program : NULL;

		if (prog && !images_is_bundle(im, prog))
			prog = NULL;
		for (j = 0; prog && j < n; j++)
			if (!strcmp(p[j], prog))
				prog = NULL;
		if (prog)
			p[n++] = prog;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(p[j - 1], p[j]) > 0; j--) {
			const char *t = p[j];

			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		strbuf_addf(key, " %s", p[i]);
}

static char *shape_key(const struct images *im, int k, const struct scenario *sc)
{
	struct strbuf key = STRBUF_INIT;
	int i;

	strbuf_addf(&key, "k%d m%llu c%d swap%llu disk%llu numa", k, sc->memory_bytes, sc->cpus,
		    sc->swap_bytes, sc->disk_bytes);
	for (i = 0; i < sc->numa_nodes; i++)
		strbuf_addf(&key, ":%llu", sc->numa_bytes[i]);
	add_bundles(&key, im, sc);
	return strbuf_detach(&key);
}

static int shape_fail(struct shape *sh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int shapes_add(struct shapes *shs, const struct images *im, int k, const struct kernel *kernel,
	       const struct scenario *sc, const char *run_dir)
{
	char *key = shape_key(im, k, sc);
	struct shape *sh;
	int i;

	for (i = 0; i < shs->n; i++)
		if (!strcmp(shs->v[i].key, key)) {
			free(key);
			return i;
		}
	shs->v = xrealloc(shs->v, (size_t)(shs->n + 1) * sizeof(*shs->v));
	sh = &shs->v[shs->n];
	*sh = (struct shape){ .k = k, .kernel = kernel, .sc = sc, .key = key };
	sh->dir = xasprintf("%s/shapes/%s-%d", run_dir, kernel->release, shs->n);
	for (char *p = sh->dir + strlen(run_dir) + 8; *p; p++)
		if (*p == '/' || *p == ':')
			*p = '-';
	return shs->n++;
}

void shape_lost(struct shape *sh, int err)
{
	if (!sh->ok)
		return;
	shape_fail(sh, "its saved state went while its cells ran (%s in %s)", strerror(err),
		   sh->bulk);
	warning("shape %s (%s): %s; its remaining cells boot", sh->dir, sh->key, sh->why);
}

char *shape_state(const struct shape *sh)
{
	return xasprintf("%s/state", sh->bulk);
}

char *shape_initrd(const struct shape *sh)
{
	return xasprintf("%s/initrd", sh->bulk);
}

void shape_vm_config(const struct shape *sh, const char *accel, char *const *disks,
		     const char *spec_disk, const char *state, struct vm_config *cfg)
{
	static char append[3][32];
	int n = 0, i;

	*cfg = (struct vm_config){
		.qemu = "qemu-system-x86_64",
		.accel = accel,
		.kernel = kernel_boot_image(sh->kernel),
		.memory_bytes = sh->sc->memory_bytes,
		.cpus = sh->sc->cpus,
		.numa_bytes = sh->sc->numa_bytes,
		.numa_nodes = sh->sc->numa_nodes,
		.incoming = state,
	};
	for (i = 0; i < 2; i++)
		if (disks[i])
			cfg->disks[n++] = disks[i];
	cfg->disks[n] = spec_disk;
	/* the guest finds its spec disk by name: /dev/vda, vdb or vdc after the others */
	snprintf(append[n], sizeof(append[n]), "oomlab.spec=/dev/vd%c", 'a' + n);
	cfg->append = append[n];
}

/* The shape's logs, in the results. */
static char *shape_path(const struct shape *sh, const char *name)
{
	return xasprintf("%s/%s", sh->dir, name);
}

/* The shape's bulky files: its state, initrd and disks. */
static char *bulk_path(const struct shape *sh, const char *name)
{
	return xasprintf("%s/%s", sh->bulk, name);
}

/* A shape being made: its VM and the pipe to QEMU's monitor. */
struct making {
	struct shape *sh;
	struct vm vm;
	int monitor;   /* the pipe's write end, -1 once closed */
	int saving;    /* the monitor was told to save */
	double since;  /* the current step's start */
};

static int shape_fail(struct shape *sh, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sh->why, sizeof(sh->why), fmt, ap);
	va_end(ap);
	sh->ok = 0;
	return -1;
}

static int start_making(struct making *m, const struct images *im, const char *accel)
{
	struct shape *sh = m->sh;
	char *initrd = NULL, *spec = NULL;
	char *disks[2] = { NULL, NULL }, *con = shape_path(sh, "console.log");
	char *agent = shape_path(sh, "agent.log"), *qlog = shape_path(sh, "qemu.log");
	struct vm_config cfg;
	int fds[2] = { -1, -1 }, ret = -1;

	m->monitor = -1;
	if (mkdir_p(sh->dir, 0755) < 0) {
		shape_fail(sh, "cannot create '%s': %s", sh->dir, strerror(errno));
		goto out;
	}
	if (!sh->bulk && !(sh->bulk = bulk_new("oomlab-shape"))) {
		shape_fail(sh, "cannot create a temporary folder: %s", strerror(errno));
		goto out;
	}
	initrd = shape_initrd(sh);
	spec = bulk_path(sh, "spec.img");
	/* a resumed run's shapes reuse the log folders: no earlier boot's line may be read */
	unlink(agent);
	unlink(con);
	unlink(qlog);
	if (sh->sc->swap_bytes)
		disks[0] = bulk_path(sh, "swap.img");
	if (sh->sc->disk_bytes)
		disks[1] = bulk_path(sh, "disk.img");
	if (images_cell(im, sh->k, sh->sc, NULL, initrd) < 0 ||
	    images_spec_disk(spec, NULL) < 0 ||
	    (disks[0] && images_disk(disks[0], sh->sc->swap_bytes) < 0) ||
	    (disks[1] && images_disk(disks[1], sh->sc->disk_bytes) < 0)) {
		shape_fail(sh, "cannot write its images in '%s'", sh->bulk);
		goto out;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		shape_fail(sh, "cannot make a pipe: %s", strerror(errno));
		goto out;
	}
	shape_vm_config(sh, accel, disks, spec, NULL, &cfg);
	cfg.initrd = initrd;
	cfg.console_path = con;
	cfg.agent_path = agent;
	cfg.stderr_path = qlog;
	cfg.monitor_fd = fds[0];
	cfg.timeout_s = SHAPE_READY_S + SHAPE_SAVE_S;
	if (vm_start(&cfg, &m->vm) < 0) {
		shape_fail(sh, "cannot start QEMU");
		goto out;
	}
	m->monitor = fds[1];
	fds[1] = -1;
	m->since = now_s();
	ret = 0;
out:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	free(initrd);
	free(spec);
	free(disks[0]);
	free(disks[1]);
	free(con);
	free(agent);
	free(qlog);
	return ret;
}

int shape_agent_said(char *log, char *err, size_t len)
{
	char *line, *save = NULL, *end = log ? strrchr(log, '\n') : NULL;
	int said = 0;

	if (!end)
		return 0;
	end[1] = '\0';
	for (line = strtok_r(log, "\n", &save); line && !said; line = strtok_r(NULL, "\n", &save)) {
		long seq, t;
		int at = 0;

		if (sscanf(line, "@%ld %ld %n", &seq, &t, &at) != 2 || !at)
			continue;
		if (!strncmp(line + at, "ready", 5) && (!line[at + 5] || line[at + 5] == ' '))
			said = 1;
		else if (!strncmp(line + at, "error ", 6)) {
			snprintf(err, len, "%s", line + at);
			said = -1;
		}
	}
	return said;
}

static int agent_said(const struct shape *sh, char *err, size_t len)
{
	struct strbuf log = STRBUF_INIT;
	int said;

	strbuf_read_file_in(&log, sh->dir, "agent.log");
	said = shape_agent_said(log.buf, err, len);
	strbuf_release(&log);
	return said;
}

/* Tells the monitor to stop the guest, save it to the shape's state and quit. */
static void save(struct making *m)
{
	char *state = shape_state(m->sh);
	/*
	 * Stopped first: a copy of a running guest relies on QEMU's dirty-page tracking, and
	 * under TCG one state in a few (6.12 and 6.1) restored with a corrupted page: an hrtimer
	 * callback at a wild address, "Fatal exception in interrupt" 0.3 s into every cell of
	 * that shape. A stopped guest is copied in one pass with nothing moving. It would
	 * restore paused, but the shape's QEMU does not store its run state
	 * (store-global-state=off, vm.c), so each cell's QEMU starts it. The bandwidth cap
	 * (128 MiB/s by default) is lifted.
	 */
	char *cmds = xasprintf("stop\nmigrate_set_parameter max-bandwidth 16G\n"
			       "migrate \"exec:cat > '%s'\"\ninfo migrate\nquit\n", state);

	if (write(m->monitor, cmds, strlen(cmds)) != (ssize_t)strlen(cmds))
		shape_fail(m->sh, "cannot talk to QEMU's monitor: %s", strerror(errno));
	close(m->monitor);
	m->monitor = -1;
	m->saving = 1;
	m->since = now_s();
	free(cmds);
	free(state);
}

/* After QEMU ended: whether the state was saved whole. */
static void check_saved(struct making *m)
{
	struct shape *sh = m->sh;
	struct strbuf qlog = STRBUF_INIT;
	char *state = shape_state(sh);
	struct stat st;

	strbuf_read_file_in(&qlog, sh->dir, "qemu.log");
	if (!WIFEXITED(m->vm.status) || WEXITSTATUS(m->vm.status))
		shape_fail(sh, "QEMU ended with status %d while saving", m->vm.status);
	else if (!qlog.buf || !strstr(qlog.buf, "Migration status: completed"))
		shape_fail(sh, "QEMU did not complete the save (see %s/qemu.log)", sh->dir);
	else if (stat(state, &st) < 0 || !st.st_size)
		shape_fail(sh, "no saved state in '%s'", state);
	else {
		sh->ok = 1;
		sh->made_s = now_s() - m->vm.start;
	}
	strbuf_release(&qlog);
	free(state);
}

/* One look at a shape being made; returns 1 once it is done (saved or failed). */
static int step(struct making *m)
{
	struct shape *sh = m->sh;
	char err[200] = "";
	double now = now_s();
	int said;

	if (!m->saving) {
		/*
		 * The log is read after the reap: a guest that said why it cannot wait and
		 * powered off at once is a shape that says why, not "QEMU ended" (a race that
		 * make check lost once in two runs).
		 */
		int ended = vm_reap(&m->vm);

		said = agent_said(sh, err, sizeof(err));
		if (ended && said != -1)
			said = -2;
		if (said == 1) {
			save(m);
			return 0;
		}
		if (said == 0 && now - m->since < SHAPE_READY_S)
			return 0;
		if (said == 0)
			shape_fail(sh, "its guest said nothing ready within %.0f s", SHAPE_READY_S);
		else if (said == -1)
			shape_fail(sh, "its guest could not wait for a cell: %s", err);
		else
			shape_fail(sh, "QEMU ended before its guest was ready (see %s)", sh->dir);
	} else if (vm_reap(&m->vm)) {
		check_saved(m);
	} else if (now - m->since < SHAPE_SAVE_S) {
		return 0;
	} else {
		shape_fail(sh, "saving took over %.0f s", SHAPE_SAVE_S);
	}
	vm_kill(&m->vm, 0);
	if (m->monitor >= 0)
		close(m->monitor);
	m->monitor = -1;
	return 1;
}

int shapes_make(struct shapes *shs, const struct images *im, const char *accel, int max,
		int sigfd)
{
	struct making *m = xcalloc((size_t)max, sizeof(*m));
	int next = 0, running = 0, i, sig = 0;

	while ((next < shs->n || running) && !(sig = schedule_signal(sigfd))) {
		for (i = 0; i < max && next < shs->n; i++) {
			if (m[i].sh)
				continue;
			m[i] = (struct making){ .sh = &shs->v[next++] };
			if (start_making(&m[i], im, accel) < 0)
				m[i].sh = NULL;
			else
				running++;
		}
		poll(NULL, 0, 20);
		for (i = 0; i < max; i++)
			if (m[i].sh && step(&m[i])) {
				m[i].sh = NULL;
				running--;
			}
	}
	for (i = 0; i < max; i++)
		if (m[i].sh) {
			vm_kill(&m[i].vm, 0);
			if (m[i].monitor >= 0)
				close(m[i].monitor);
			shape_fail(m[i].sh, "interrupted by %s", strsignal(sig));
		}
	free(m);
	return sig;
}

void shapes_release(struct shapes *shs)
{
	int i;

	for (i = 0; i < shs->n; i++) {
		bulk_free(shs->v[i].bulk);
		free(shs->v[i].key);
		free(shs->v[i].dir);
	}
	free(shs->v);
	memset(shs, 0, sizeof(*shs));
}
