/* run.c - "oomlab run": scenarios into cells, one supervised VM per cell, a verdict per cell. */
#include "tool/run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "initramfs.h"
#include "report/jsontext.h"
#include "guest/kernel.h"
#include "shared/modload.h"
#include "modules.h"
#include "cells/matrix.h"
#include "observe/oomreport.h"
#include "oracles/oracle.h"
#include "shared/proto.h"
#include "observe/records.h"
#include "report/results.h"
#include "guest/spec.h"
#include "util.h"
#include "launch/vm.h"

/*
 * A run: load and check every scenario first (a bad file stops the run before any VM
 * starts), expand them into cells, fetch the kernels, build the base image once, then keep
 * up to --jobs VMs running. Each VM is watched through a pidfd under a host deadline; when it
 * ends, its records and console are read, judged and added to run.json at once, so an
 * interrupted run keeps every finished cell.
 */

#define BOOT_ALLOWANCE_S 60.0 /* host deadline = the cell's own deadline + this */
/*
 * A guest reaches its agent in 4 to 6 s under TCG, about 12 s on a loaded host: one that has
 * written no record after this long hung while booting (seen about once in a thousand boots
 * of Debian's 6.1 under TCG), and is ended now rather than at the cell's deadline.
 */
#define BOOT_DEADLINE_S 60.0
#define VM_OVERHEAD (256ULL << 20) /* QEMU's own memory beside the guest's */

static const char usage_text[] =
	"usage: oomlab run [options] [SCENARIO...]\n"
	"\n"
	"Runs the cells of the given scenarios (names in expectations/ or paths to .yaml files;\n"
	"default: every scenario in expectations/) and judges each against its expectation.\n"
	"\n"
	"  --kernel K        debian:6.1 (default), debian:6.12, or a path to a bzImage;\n"
	"                    may be given more than once\n"
	"  --jobs N          VMs at once (default: cores, capped so the guests fit in half\n"
	"                    the host's memory)\n"
	"  --results DIR     where runs go (default: results)\n"
	"  --filter F        select cells: 'glob' (scenario name) or key=glob terms joined by\n"
	"                    commas, e.g. panic_on_oom=0,scenario=adj-*; a key may be a cgroup\n"
	"                    knob (box/memory.oom.group=1); id=ID, last, takes a cell's id as\n"
	"                    printed (debian-6.1/adj-prefer/...); several --filter: any\n"
	"  --list            print the cells (their ids) and their expected outcome; run nothing\n"
	"  --accel A         auto (default: KVM when a bounded probe boots, else TCG), tcg, kvm\n"
	"  --cell-timeout S  host deadline per VM in seconds (default: the cell's deadline + 60)\n"
	"  --expectations D  the scenario directory (default: expectations/)\n"
	"\n"
	"Exit status: 0 every cell passed or was skipped with a reason, 1 a cell failed or could\n"
	"not be tested, 2 usage or set-up error, 130 interrupted.\n";

struct run_opts {
	const char **kernels;
	int nkernels;
	int jobs;
	const char *results_dir;
	struct matrix_filter *filters;
	int nfilters;
	int list;
	const char *accel;
	double cell_timeout;
	const char *expectations;
	char **scenarios;
	int nscenarios;
};

struct job {
	struct cell *cell; /* kcell: the run's cell with its rule for this job's kernel */
	struct cell kcell;
	struct kernel *kernel;
	char *reldir;  /* relative to the run directory */
	char *dir;
	char *agent_log;
	double timeout_s; /* the host's deadline for its VM */
	int booted;       /* the agent has written a record */
	struct vm vm;
	int running;
};

/* A program with its libraries (build/guest/<program>.bundle, made by vmimages/bundle). */
struct bundle {
	char *program;
	char *image;
};

struct run {
	struct run_opts o;
	char *root;
	struct scenario **scs;
	int nscs;
	struct cell *cells; /* on their kernels: every kernel's cells, kernel by kernel */
	int *cell_kernel;   /* each cell's kernel, an index into o.kernels and kernels */
	int ncells;
	struct kernel *kernels;
	char **base_images; /* per kernel: the agent, busybox, the workloads, its modules */
	struct bundle *bundles; /* dynamically linked programs, each its own extra archive */
	int nbundles;
	const char *accel;
	char accel_why[160];
	struct results res;
	struct job *jobs;
	int njobs;
	int finished;
	int tty;
	double started;
};

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n%s", usage_text);
	exit(2);
}

static void parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "results", required_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "accel", required_argument, NULL, 'a' },
		{ "cell-timeout", required_argument, NULL, 't' },
		{ "expectations", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256], *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->results_dir = "results";
	o->accel = "auto";
	while ((c = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o->kernels = xrealloc(o->kernels, (size_t)(o->nkernels + 1) * sizeof(char *));
			o->kernels[o->nkernels++] = optarg;
			break;
		case 'j':
			o->jobs = (int)strtol(optarg, &end, 10);
			if (*end || o->jobs < 1 || o->jobs > 256)
				usage_error("--jobs takes a number from 1 to 256, found '%s'", optarg);
			break;
		case 'r':
			o->results_dir = optarg;
			break;
		case 'f':
			o->filters = xrealloc(o->filters, (size_t)(o->nfilters + 1) *
					      sizeof(*o->filters));
			if (matrix_filter_parse(optarg, &o->filters[o->nfilters], err, sizeof(err)))
				usage_error("%s", err);
			o->nfilters++;
			break;
		case 'l':
			o->list = 1;
			break;
		case 'a':
			if (strcmp(optarg, "auto") && strcmp(optarg, "tcg") && strcmp(optarg, "kvm"))
				usage_error("--accel takes auto, tcg or kvm, found '%s'", optarg);
			o->accel = optarg;
			break;
		case 't':
			o->cell_timeout = strtod(optarg, &end);
			if (*end || o->cell_timeout <= 0)
				usage_error("--cell-timeout takes seconds, found '%s'", optarg);
			break;
		case 'e':
			o->expectations = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			fprintf(stderr, "\n%s", usage_text);
			exit(2);
		}
	}
	if (!o->nkernels) {
		o->kernels = xmalloc(sizeof(char *));
		o->kernels[o->nkernels++] = "debian:6.1";
	}
	o->scenarios = argv + optind;
	o->nscenarios = argc - optind;
}

/* The repository: OOMLAB_ROOT, else the folder above the one holding this binary. */
static char *find_root(void)
{
	char exe[4096], *slash;
	ssize_t n;

	if (getenv("OOMLAB_ROOT"))
		return xstrdup(getenv("OOMLAB_ROOT"));
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		die_errno("cannot find the oomlab binary (/proc/self/exe)");
	exe[n] = '\0';
	for (int i = 0; i < 2; i++) {
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
	}
	return xstrdup(exe[0] ? exe : "/");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml of dir, sorted. */
static char **scenario_files(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **files = NULL;
	int alloc = 0;

	*n = 0;
	if (!d)
		die_errno("cannot open scenario directory '%s'", dir);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 5 && !strcmp(de->d_name + l - 5, ".yaml") && de->d_name[0] != '.') {
			ALLOC_GROW(files, *n + 1, alloc);
			files[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(d);
	qsort(files, (size_t)*n, sizeof(*files), cmp_str);
	return files;
}

static void load_scenarios(struct run *run)
{
	const char *dir = run->o.expectations;
	char **files, err[1024], *defdir = NULL;
	struct cell *base = NULL;
	int n, i, k, bad = 0, alloc = 0, nbase = 0;

	if (!dir) {
		defdir = access("expectations", R_OK) == 0 ? xstrdup("expectations") :
			 xasprintf("%s/expectations", run->root);
		dir = defdir;
	}
	if (run->o.nscenarios) {
		n = run->o.nscenarios;
		files = xcalloc((size_t)n, sizeof(*files));
		for (i = 0; i < n; i++) {
			const char *s = run->o.scenarios[i];

			files[i] = strchr(s, '/') || strstr(s, ".yaml") ? xstrdup(s) :
				   xasprintf("%s/%s.yaml", dir, s);
		}
	} else {
		files = scenario_files(dir, &n);
		if (!n)
			die("no scenario (*.yaml) in '%s'", dir);
	}
	run->scs = xcalloc((size_t)n, sizeof(*run->scs));
	for (i = 0; i < n; i++) {
		struct scenario *sc = scenario_load(files[i], err, sizeof(err));

		free(files[i]);
		if (!sc) {
			fprintf(stderr, "error: %s\n", err);
			bad++;
			continue;
		}
		/* cells are named, and their folders made, after the scenario */
		for (int d = 0; d < run->nscs; d++) {
			if (strcmp(run->scs[d]->name, sc->name))
				continue;
			fprintf(stderr, "error: scenario '%s' is given twice: '%s' and '%s'\n",
				sc->name, run->scs[d]->path, sc->path);
			scenario_free(sc);
			sc = NULL;
			bad++;
			break;
		}
		if (sc)
			run->scs[run->nscs++] = sc;
	}
	free(files);
	free(defdir);
	if (bad)
		die("%d scenario file%s with errors: nothing was run", bad, bad > 1 ? "s" : "");

	/* every cell on every kernel, kernel by kernel, each named by its kernel */
	for (i = 0; i < run->nscs; i++)
		matrix_expand(run->scs[i], &base, &nbase, &alloc);
	alloc = 0;
	for (k = 0; k < run->o.nkernels; k++) {
		const char *tag = run->o.kernels[k];
		/* the release a Debian tag names; a kernel given by path is known once read */
		const char *release = !strncmp(tag, "debian:", 7) ? tag + 7 : NULL;

		for (i = 0; i < nbase; i++) {
			struct cell c;
			int f, match = !run->o.nfilters;

			cell_on_kernel(&c, &base[i], tag, release);
			for (f = 0; f < run->o.nfilters && !match; f++)
				match = matrix_filter_match(&run->o.filters[f], &c);
			if (!match) {
				cell_release(&c);
				continue;
			}
			ALLOC_GROW(run->cells, run->ncells + 1, alloc);
			run->cell_kernel = xrealloc(run->cell_kernel, (size_t)alloc *
						    sizeof(*run->cell_kernel));
			run->cell_kernel[run->ncells] = k;
			run->cells[run->ncells++] = c;
		}
	}
	for (i = 0; i < nbase; i++)
		cell_release(&base[i]);
	free(base);
	if (!run->ncells)
		die("no cell matches the filters");
}

/* Each cell of each kernel, with what it must do there. */
static void list_cells(const struct run *run)
{
	int i;

	for (i = 0; i < run->ncells; i++) {
		char *e = matrix_rule_text(run->cells[i].sc, run->cells[i].rule);

		printf("%-84s %s\n", run->cells[i].id, e);
		free(e);
	}
	printf("%d cells\n", run->ncells);
}

static int in_path(const char *prog)
{
	char *path = xstrdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin"), *save, *d;
	int found = 0;

	for (d = strtok_r(path, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/%s", d, prog);

		found = access(f, X_OK) == 0;
		free(f);
	}
	free(path);
	return found;
}

static char *qemu_version(void)
{
	FILE *p = popen("qemu-system-x86_64 --version 2>/dev/null", "r");
	char line[256] = "";

	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

/*
 * The guest's modules: virtio_pci and virtio_blk for the swap disk (built in on some kernels,
 * modules on others). A kernel given by path has no module tree: it gets none, and a cell
 * that needs them finds out in the guest.
 */
static const char *const guest_modules[] = { "virtio_pci", "virtio_blk" };

#define IMAGE_FILES_MAX 64 /* the agent, busybox, the workload programs, the modules */

/* Adds kernel k's modules and their load list to files; returns the new count. */
static int add_modules(struct run *run, int k, struct initramfs_file *files, char **paths, int n)
{
	struct modules_list list = MODULES_LIST_INIT;
	char *tree = xstrdup(run->kernels[k].vmlinuz), *slash, err[512];
	size_t i;

	/* <tree>/boot/vmlinuz-<release> */
	for (i = 0; i < 2 && (slash = strrchr(tree, '/')); i++)
		*slash = '\0';
	if (!run->kernels[k].package[0] ||
	    modules_resolve(&list, tree, guest_modules, ARRAY_SIZE(guest_modules), err,
			    sizeof(err)) < 0) {
		if (run->kernels[k].package[0])
			warning("kernel '%s': %s; the guest gets no modules", run->kernels[k].tag,
				err);
		free(tree);
		return n;
	}
	if (n + list.nr_files + 1 > IMAGE_FILES_MAX)
		die("kernel '%s' needs %zu modules: more than the guest image holds",
		    run->kernels[k].tag, list.nr_files);
	for (i = 0; i < list.nr_files; i++) {
		paths[n] = xstrdup(list.files[i].src);
		files[n] = (struct initramfs_file){ paths[n], xstrdup(list.files[i].dst), 0644,
						    NULL };
		n++;
	}
	/* the load list is text; paths[] owns it like the other strings */
	paths[n] = xstrdup(list.load_list);
	files[n] = (struct initramfs_file){ NULL, xstrdup(MODLOAD_LIST + 1), 0644, paths[n] };
	n++;
	modules_list_release(&list);
	free(tree);
	return n;
}

static const struct bundle *find_bundle(const struct run *run, const char *program)
{
	int i;

	for (i = 0; i < run->nbundles; i++)
		if (!strcmp(run->bundles[i].program, program))
			return &run->bundles[i];
	return NULL;
}

/* The extra archive of one bundle: its list's "SRC DEST" lines. */
static char *build_bundle_image(struct run *run, const char *list_path)
{
	struct initramfs_file *files = NULL;
	struct strbuf list = STRBUF_INIT;
	char *line, *save = NULL, *cache, *image;
	int n = 0, lineno = 0;

	if (strbuf_read_file(&list, list_path) < 0)
		die_errno("cannot read '%s'", list_path);
	for (line = strtok_r(list.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		lineno++;
		if (!sp || sp == line || !sp[1] || sp[1] == '/' || strchr(sp + 1, ' '))
			die("%s:%d: expected 'SRC DEST' (a host path, a relative guest path), found "
			    "'%s'", list_path, lineno, line);
		*sp = '\0';
		files = xrealloc(files, (size_t)(n + 1) * sizeof(*files));
		files[n++] = (struct initramfs_file){ line, sp + 1, 0755, NULL };
	}
	if (!n)
		die("%s: an empty bundle", list_path);
	cache = xasprintf("%s/build/image", run->root);
	image = initramfs_extra(cache, files, n);
	if (!image)
		die("cannot build the guest archive of '%s'", list_path);
	free(cache);
	free(files);
	strbuf_release(&list);
	return image;
}

/* Every program of the suite that is a bundle, each archived once for all kernels. */
static void build_bundles(struct run *run)
{
	int i, j;

	for (i = 0; i < run->nscs; i++) {
		for (j = 0; j < run->scs[i]->nworkloads; j++) {
			const char *prog = run->scs[i]->workloads[j].program;
			char *list = xasprintf("%s/build/guest/%s.bundle", run->root, prog);
			struct bundle *b;

			if (find_bundle(run, prog) || access(list, R_OK) < 0) {
				free(list);
				continue;
			}
			run->bundles = xrealloc(run->bundles,
						(size_t)(run->nbundles + 1) * sizeof(*b));
			b = &run->bundles[run->nbundles++];
			b->program = xstrdup(prog);
			b->image = build_bundle_image(run, list);
			free(list);
		}
	}
}

static char *build_base_image(struct run *run, int kernel)
{
	struct initramfs_file *files = xcalloc(IMAGE_FILES_MAX, sizeof(*files));
	char **paths = xcalloc(IMAGE_FILES_MAX, sizeof(*paths));
	char *image;
	int n = 0, i, j;

	paths[0] = xasprintf("%s/build/guest/init", run->root);
	files[0] = (struct initramfs_file){ paths[0], "init", 0755, NULL };
	paths[1] = xstrdup("/bin/busybox");
	files[1] = (struct initramfs_file){ paths[1], "bin/busybox", 0755, NULL };
	n = 2;
	for (i = 0; i < run->nscs; i++) {
		for (j = 0; j < run->scs[i]->nworkloads && n < IMAGE_FILES_MAX; j++) {
			const char *prog = run->scs[i]->workloads[j].program;
			char *dest = xasprintf("bin/%s", prog);
			int k, dup = 0;

			for (k = 0; k < n; k++)
				dup |= !strcmp(files[k].dest, dest);
			if (dup) {
				free(dest);
				continue;
			}
			if (find_bundle(run, prog)) {
				free(dest);
				continue;
			}
			paths[n] = xasprintf("%s/build/guest/%s", run->root, prog);
			if (access(paths[n], X_OK) < 0)
				die("workload program '%s' of scenario '%s' is not built ('%s', nor a "
				    "'.bundle' beside it): run make, or fix the program name", prog,
				    run->scs[i]->name, paths[n]);
			files[n] = (struct initramfs_file){ paths[n], dest, 0755, NULL };
			n++;
		}
	}
	n = add_modules(run, kernel, files, paths, n);
	if (access(files[0].src, X_OK) < 0)
		die("the guest agent is not built ('%s'): run make", files[0].src);
	if (access(files[1].src, X_OK) < 0)
		die("'/bin/busybox' is missing: install the Debian package busybox-static");
	{
		char *cache = xasprintf("%s/build/image", run->root);

		image = initramfs_base(cache, files, n);
		free(cache);
	}
	if (!image)
		die("cannot build the guest image");
	for (i = 0; i < n; i++) {
		free(paths[i]);
		if (i >= 2)
			free((char *)files[i].dest);
	}
	free(paths);
	free(files);
	return image;
}

static double host_timeout(const struct run *run, const struct cell *c)
{
	return run->o.cell_timeout ? run->o.cell_timeout :
	       c->sc->deadline_ms / 1000.0 + BOOT_ALLOWANCE_S;
}

static void vm_config_for(const struct run *run, struct job *j, struct vm_config *cfg,
			  char **paths)
{
	paths[0] = xasprintf("%s/initrd", j->dir);
	paths[1] = xasprintf("%s/console.log", j->dir);
	paths[2] = xasprintf("%s/agent.log", j->dir);
	paths[3] = xasprintf("%s/qemu.log", j->dir);
	paths[4] = xasprintf("%s/swap.img", j->dir);
	paths[5] = xasprintf("%s/disk.img", j->dir);
	*cfg = (struct vm_config){
		.qemu = "qemu-system-x86_64",
		.accel = run->accel,
		.kernel = j->kernel->vmlinuz,
		.initrd = paths[0],
		.memory_bytes = j->cell->sc->memory_bytes,
		.cpus = j->cell->sc->cpus,
		.numa_bytes = j->cell->sc->numa_bytes,
		.numa_nodes = j->cell->sc->numa_nodes,
		.console_path = paths[1],
		.agent_path = paths[2],
		.stderr_path = paths[3],
		.disks = { j->cell->sc->swap_bytes ? paths[4] : j->cell->sc->disk_bytes ? paths[5] :
			   NULL, j->cell->sc->swap_bytes && j->cell->sc->disk_bytes ? paths[5] : NULL },
		.timeout_s = j->timeout_s,
	};
}

static void free_paths(char **paths)
{
	for (int i = 0; i < 6; i++)
		free(paths[i]);
}

/* A sparse file of bytes for a guest disk (swap or scratch); the agent formats it. */
static int make_blank_disk(const char *path, unsigned long long bytes)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), ret = 0;

	if (fd < 0)
		return error_errno("cannot create '%s'", path);
	if (ftruncate(fd, (off_t)bytes) < 0)
		ret = error_errno("cannot size '%s'", path);
	close(fd);
	return ret;
}

/* Prepares the cell's folder and initrd and starts its VM. Returns 0 or -1 after an error. */
static int job_start(struct run *run, struct job *j)
{
	const struct scenario *sc = j->cell->sc;
	const char **extras;
	struct spec_misfit misfit;
	struct vm_config cfg;
	char *spec, *paths[6];
	int ret, i, k, nextras = 0;

	/* the parser proved every cell's spec fits; only the kernel's name in the id adds */
	spec = spec_cell(sc, j->cell->vi, j->cell->id, &misfit);
	if (!spec)
		return error("the cell spec of '%s' would not fit the agent (%zu bytes)",
			     j->cell->id, misfit.bytes);
	if (mkdir_p(j->dir, 0755) < 0) {
		free(spec);
		return error_errno("cannot create '%s'", j->dir);
	}
	extras = xcalloc((size_t)sc->nworkloads + 1, sizeof(*extras));
	vm_config_for(run, j, &cfg, paths);
	/* the bundles this cell's workloads use, each once */
	for (i = 0; i < sc->nworkloads; i++) {
		const struct bundle *b = find_bundle(run, sc->workloads[i].program);

		for (k = 0; b && k < nextras; k++)
			if (extras[k] == b->image)
				b = NULL;
		if (b)
			extras[nextras++] = b->image;
	}
	ret = initramfs_cell(run->base_images[j->kernel - run->kernels], extras, nextras, spec,
			     strlen(spec), paths[0]);
	free(extras);
	if (!ret && j->cell->sc->swap_bytes)
		ret = make_blank_disk(paths[4], j->cell->sc->swap_bytes);
	if (!ret && j->cell->sc->disk_bytes)
		ret = make_blank_disk(paths[5], j->cell->sc->disk_bytes);
	free(spec);
	if (!ret)
		ret = vm_start(&cfg, &j->vm);
	free_paths(paths);
	j->running = !ret;
	return ret;
}

static void read_file_or_empty(struct strbuf *sb, const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);

	strbuf_read_file(sb, p);
	free(p);
}

/* The last n lines of text, indented, for a BROK's evidence. */
static void print_tail(const char *label, const char *text, size_t len, int n)
{
	size_t i = len;
	int lines = 0;

	while (i > 0 && (text[i - 1] == '\n' || text[i - 1] == '\r'))
		i--;
	while (i > 0 && lines < n) {
		i--;
		if (text[i] == '\n')
			lines++;
	}
	if (i > 0)
		i++;
	if (i >= len)
		return;
	printf("      %s tail:\n", label);
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - text - i) : len - i;

		if (l && text[i + l - 1] == '\r')
			l--;
		if (l)
			printf("        %.*s\n", (int)l, text + i);
		i += l + 1;
		while (i < len && (text[i] == '\r' || text[i] == '\n'))
			i++;
	}
}

static void clear_progress(const struct run *run)
{
	if (run->tty)
		fputs("\r\033[K", stdout);
}

static void print_progress(const struct run *run)
{
	double el = now_s() - run->started;
	int left = run->njobs - run->finished;

	if (!run->tty)
		return;
	printf("\r\033[K[%d/%d] %d passed, %d failed, %d broken, %d skipped", run->finished,
	       run->njobs, run->res.passed, run->res.failed, run->res.broken, run->res.skipped);
	if (run->finished)
		printf(", ETA %.0fs", el / run->finished * left);
	fflush(stdout);
}

static void report_cell(const struct run *run, const struct job *j, const struct oracle_ctx *ctx,
			const struct verdict_report *rep, const struct strbuf *klog,
			const struct strbuf *console, const struct strbuf *qemu)
{
	char line[1024];
	int i, l;

	clear_progress(run);
	printf("%s  %s  %s  (%.1fs)\n", verdict_name(rep->verdict), j->cell->id, rep->reason,
	       j->vm.wall_s);
	for (i = 0; i < rep->nfindings; i++) {
		const struct finding *f = &rep->findings[i];

		printf("      %-10s expected: %s\n", f->check, f->expected);
		printf("      %-10s seen:     %s\n", "", f->seen);
		for (l = 0; l < f->nlines; l++)
			printf("        %s/%s/kernel.log:%d: %s\n", run->res.dir, j->reldir,
			       f->lines[l], log_line(klog->buf, klog->len, f->lines[l], line,
						     sizeof(line)));
	}
	if (rep->verdict == VERDICT_BROK) {
		if (ctx->ending == VM_QEMU_ERROR)
			print_tail("qemu", qemu->buf ? qemu->buf : "", qemu->len, 5);
		else
			print_tail("console", console->buf ? console->buf : "", console->len, 5);
		printf("      evidence: %s/%s/\n", run->res.dir, j->reldir);
	}
	fflush(stdout);
}

/* Reads what the VM left, judges the cell and records it. */
static void job_finish(struct run *run, struct job *j)
{
	struct strbuf agent = STRBUF_INIT, console = STRBUF_INIT, qemu = STRBUF_INIT;
	struct strbuf klog = STRBUF_INIT;
	struct observation obs = { 0 };
	struct verdict_report rep;
	struct oracle_ctx ctx;
	struct oom_log *log;
	char *p;

	j->running = 0;
	read_file_or_empty(&agent, j->dir, "agent.log");
	read_file_or_empty(&console, j->dir, "console.log");
	read_file_or_empty(&qemu, j->dir, "qemu.log");
	records_parse(agent.buf ? agent.buf : "", agent.len, &obs);
	records_kernel_log(&obs, console.buf ? console.buf : "", console.len, &klog);
	p = xasprintf("%s/kernel.log", j->dir);
	write_file_atomic(p, klog.buf ? klog.buf : "", klog.len);
	free(p);
	p = xasprintf("%s/initrd", j->dir);
	unlink(p); /* a copy of the base image: not evidence */
	free(p);
	p = xasprintf("%s/swap.img", j->dir);
	unlink(p); /* the guest's swapped-out pages: not evidence */
	free(p);
	p = xasprintf("%s/disk.img", j->dir);
	unlink(p); /* the guest's scratch files: not evidence */
	free(p);

	log = oomreport_parse(klog.buf ? klog.buf : "", klog.len);
	if (!log)
		die("out of memory parsing the kernel log of '%s'", j->cell->id);
	oracle_ctx_init(&ctx, j->cell, &obs, log, vm_ending(&j->vm, log->has_panic));
	oracle_judge(&ctx, &rep);
	if (results_add(&run->res, results_cell(&ctx, &rep, j->kernel->tag, j->vm.wall_s,
						j->reldir, klog.buf ? klog.buf : "", klog.len),
			rep.verdict) < 0)
		die("cannot write the results of '%s'", j->cell->id);
	run->finished++;
	report_cell(run, j, &ctx, &rep, &klog, &console, &qemu);
	print_progress(run);

	verdict_report_release(&rep);
	oracle_ctx_release(&ctx);
	oomreport_free(log);
	observation_release(&obs);
	strbuf_release(&agent);
	strbuf_release(&console);
	strbuf_release(&qemu);
	strbuf_release(&klog);
}

/* A cell whose VM could not even be started: BROK, recorded like any other. */
static void job_broken(struct run *run, struct job *j)
{
	j->vm.status = 127 << 8;
	j->vm.reaped = 1;
	job_finish(run, j);
}

static int default_jobs(const struct run *run)
{
	unsigned long long biggest = 0, avail;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	long long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	int i, n;

	for (i = 0; i < run->nscs; i++)
		if (run->scs[i]->memory_bytes > biggest)
			biggest = run->scs[i]->memory_bytes;
	avail = (unsigned long long)pages * (unsigned long long)psize / 2;
	n = (int)(avail / (biggest + VM_OVERHEAD));
	if (n > cores)
		n = (int)cores;
	return n < 1 ? 1 : n;
}

/*
 * KVM only where it really works: no vmx/svm flag means no KVM worth having (a nested
 * /dev/kvm can exist and hang), and otherwise a probe cell must power off in time.
 */
static void pick_accel(struct run *run)
{
	struct strbuf cpuinfo = STRBUF_INIT;
	int flags;

	if (strcmp(run->o.accel, "auto")) {
		run->accel = run->o.accel;
		snprintf(run->accel_why, sizeof(run->accel_why), "--accel %s", run->o.accel);
		return;
	}
	run->accel = "tcg";
	strbuf_read_file(&cpuinfo, "/proc/cpuinfo");
	flags = cpuinfo.buf && (strstr(cpuinfo.buf, " vmx") || strstr(cpuinfo.buf, " svm"));
	strbuf_release(&cpuinfo);
	if (!flags) {
		snprintf(run->accel_why, sizeof(run->accel_why),
			 "no vmx/svm CPU flag: KVM cannot work here");
		return;
	}
	if (access("/dev/kvm", R_OK | W_OK) < 0) {
		snprintf(run->accel_why, sizeof(run->accel_why), "/dev/kvm: %s", strerror(errno));
		return;
	}
	{
		struct scenario probe_sc = { .name = "kvm-probe", .memory_bytes = 256ULL << 20,
					     .cpus = 1, .deadline_ms = 5000 };
		struct sc_rule rule = { 0 };
		struct cell c = { .sc = &probe_sc, .rule = &rule, .id = "kvm-probe" };
		struct job j = { .cell = &c, .kernel = &run->kernels[0], .timeout_s = 20 };
		struct strbuf agent = STRBUF_INIT;

		j.dir = xasprintf("%s/kvm-probe", run->res.dir);
		run->accel = "kvm";
		if (job_start(run, &j) == 0) {
			while (!vm_reap(&j.vm)) {
				if (now_s() > j.vm.deadline) {
					vm_kill(&j.vm, 1);
					break;
				}
				poll(NULL, 0, 100);
			}
		}
		read_file_or_empty(&agent, j.dir, "agent.log");
		if (agent.buf && strstr(agent.buf, " done ")) {
			snprintf(run->accel_why, sizeof(run->accel_why), "a KVM probe cell powered off");
		} else {
			run->accel = "tcg";
			snprintf(run->accel_why, sizeof(run->accel_why),
				 "a KVM probe cell did not power off within 20 s");
		}
		strbuf_release(&agent);
		free(j.dir);
	}
}

static void point_latest(const char *results_dir, const char *run_id)
{
	char *tmp = xasprintf("%s/.latest.%d", results_dir, (int)getpid());
	char *latest = xasprintf("%s/latest", results_dir);

	unlink(tmp);
	if (symlink(run_id, tmp) < 0 || rename(tmp, latest) < 0)
		warning("cannot point '%s' at '%s': %s", latest, run_id, strerror(errno));
	free(tmp);
	free(latest);
}

/*
 * Appends v (a new reference) to a; a NULL v, or one that could not be added, is fatal:
 * run.json never silently lacks what it should hold.
 */
static void append_or_die(json_t *a, json_t *v, const char *what)
{
	if (!v || json_array_append_new(a, v) < 0)
		die("cannot encode %s for run.json", what);
}

/* Paths and kernel tags are the user's: escaped like the guest's text (jsontext.h). */
static json_t *options_json(const struct run *run, int jobs)
{
	json_t *k = json_array(), *s = json_array();
	int i;

	for (i = 0; i < run->o.nkernels; i++)
		append_or_die(k, jsontext(run->o.kernels[i]), "the options' kernels");
	for (i = 0; i < run->nscs; i++)
		append_or_die(s, jsontext(run->scs[i]->name), "the options' scenarios");
	return json_pack("{s:o, s:i, s:o, s:o, s:o, s:i}", "kernels", k, "jobs", jobs,
			 "results", jsontext(run->o.results_dir), "accel", jsontext(run->o.accel),
			 "scenarios", s, "filters", run->o.nfilters);
}

static json_t *kernels_json(const struct run *run)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < run->o.nkernels; i++) {
		const struct kernel *k = &run->kernels[i];

		append_or_die(a, json_pack("{s:o, s:o, s:o, s:o, s:o}", "tag", jsontext(k->tag),
					   "release", jsontext(k->release), "package",
					   jsontext(k->package), "version", jsontext(k->version),
					   "vmlinuz", jsontext(k->vmlinuz)), "a kernel");
	}
	return a;
}

/*
 * What each scenario exercises, for tables of coverage: its knobs (sysctls, fixed or matrix
 * axes, and cgroup knobs as "GROUP/KNOB"), its workload programs, its hierarchy and swap.
 */
static json_t *scenarios_json(const struct run *run)
{
	json_t *a = json_array();
	int i, j, k;

	for (i = 0; i < run->nscs; i++) {
		const struct scenario *sc = run->scs[i];
		json_t *knobs = json_array(), *progs = json_array();

		for (j = 0; j < sc->nsysctls; j++)
			append_or_die(knobs, jsontext(sc->sysctls[j].key), "a knob");
		for (j = 0; j < sc->ngroups; j++)
			for (k = 0; k < sc->groups[j].nknobs; k++) {
				char *knob = xasprintf("%s/%s", sc->groups[j].name,
						       sc->groups[j].knobs[k].known->key);

				append_or_die(knobs, jsontext(knob), "a knob");
				free(knob);
			}
		/* a workload's adj, fixed or an axis, is the knob oom_score_adj */
		for (j = 0; j < sc->naxes; j++)
			if (sc->axes[j].workload < 0)
				append_or_die(knobs, jsontext(sc->axes[j].key), "a knob");
		for (j = 0; j < sc->nworkloads; j++)
			if (sc->workloads[j].oom_score_adj)
				break;
		for (k = 0; k < sc->naxes; k++)
			if (sc->axes[k].workload >= 0)
				break;
		if (j < sc->nworkloads || k < sc->naxes)
			append_or_die(knobs, json_string("oom_score_adj"), "a knob");
		for (j = 0; j < sc->nworkloads; j++) {
			for (k = 0; k < j; k++)
				if (!strcmp(sc->workloads[k].program, sc->workloads[j].program))
					break;
			if (k == j)
				append_or_die(progs, jsontext(sc->workloads[j].program),
					      "a program");
		}
		append_or_die(a, json_pack("{s:o, s:o, s:s, s:I, s:I, s:i, s:i, s:o, s:o}",
					   "name", jsontext(sc->name), "path", jsontext(sc->path),
					   "cgroup", sc_cgroup_name(sc->cgroup),
					   "swap_bytes", (json_int_t)sc->swap_bytes,
					   "disk_bytes", (json_int_t)sc->disk_bytes,
					   "numa_nodes", sc->numa_nodes, "changes", sc->nchanges,
					   "knobs", knobs, "programs", progs), "a scenario");
	}
	return a;
}

static void stop_all(struct run *run)
{
	int i;

	for (i = 0; i < run->njobs; i++)
		if (run->jobs[i].running) {
			vm_kill(&run->jobs[i].vm, 0);
			run->jobs[i].running = 0;
		}
}

/* Runs every job. Returns 0, or the signal that interrupted the run. */
/* Whether the job's guest has written no record within BOOT_DEADLINE_S. */
static int boot_hung(struct job *j, double now)
{
	struct stat st;

	if (j->booted || now - j->vm.start < BOOT_DEADLINE_S)
		return 0;
	j->booted = stat(j->agent_log, &st) == 0 && st.st_size > 0;
	return !j->booted;
}

static int schedule(struct run *run, int jobs)
{
	int interrupted = 0;
	struct pollfd *pfd = xcalloc((size_t)jobs + 1, sizeof(*pfd));
	int *slot = xcalloc((size_t)jobs + 1, sizeof(*slot));
	int next = 0, running = 0, i, n, sfd;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0)
		die_errno("cannot watch for signals (signalfd)");

	while (next < run->njobs || running) {
		double now, wait = 1.0;

		while (running < jobs && next < run->njobs) {
			struct job *j = &run->jobs[next++];

			if (job_start(run, j) < 0)
				job_broken(run, j);
			else
				running++;
		}
		n = 0;
		pfd[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		now = now_s();
		for (i = 0; i < run->njobs; i++) {
			if (!run->jobs[i].running)
				continue;
			slot[n] = i;
			pfd[n++] = (struct pollfd){ .fd = run->jobs[i].vm.pidfd, .events = POLLIN };
			if (run->jobs[i].vm.deadline - now < wait)
				wait = run->jobs[i].vm.deadline - now;
			/* without a pidfd (poll ignores -1), look at it every 100 ms */
			if (run->jobs[i].vm.pidfd < 0 && wait > 0.1)
				wait = 0.1;
		}
		if (wait < 0)
			wait = 0;
		if (poll(pfd, (nfds_t)n, (int)(wait * 1000) + 1) < 0 && errno != EINTR)
			die_errno("poll");
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				interrupted = (int)si.ssi_signo;
				break;
			}
		}
		now = now_s();
		for (i = 1; i < n; i++) {
			struct job *j = &run->jobs[slot[i]];

			if (vm_reap(&j->vm)) {
				job_finish(run, j);
				running--;
			} else if (now >= j->vm.deadline || boot_hung(j, now)) {
				vm_kill(&j->vm, 1);
				job_finish(run, j);
				running--;
			}
		}
		print_progress(run);
	}
	stop_all(run);
	close(sfd);
	free(pfd);
	free(slot);
	return interrupted;
}

int cmd_run(int argc, char **argv)
{
	struct run run = { 0 };
	char *run_id, *dir, stamp[32];
	int i, k, jobs, failed, interrupted;
	time_t t;

	parse_opts(argc, argv, &run.o);
	run.root = find_root();
	load_scenarios(&run);
	if (run.o.list) {
		list_cells(&run);
		return 0;
	}
	if (!in_path("qemu-system-x86_64"))
		die("cannot find 'qemu-system-x86_64' in PATH: install the Debian package "
		    "qemu-system-x86 (make deps does)");
	run.kernels = xcalloc((size_t)run.o.nkernels, sizeof(*run.kernels));
	for (k = 0; k < run.o.nkernels; k++) {
		char *cache = xasprintf("%s/build/kernels", run.root);

		if (kernel_resolve(run.o.kernels[k], run.root, cache, &run.kernels[k]) < 0)
			exit(2);
		free(cache);
	}
	build_bundles(&run);
	/* per kernel, for its modules; shared bytes are cached by content */
	run.base_images = xcalloc((size_t)run.o.nkernels, sizeof(*run.base_images));
	for (k = 0; k < run.o.nkernels; k++)
		run.base_images[k] = build_base_image(&run, k);

	if (mkdir_p(run.o.results_dir, 0755) < 0 || access(run.o.results_dir, W_OK) < 0)
		die_errno("cannot write results directory '%s'", run.o.results_dir);
	run_id = results_new_run(run.o.results_dir, time(NULL));
	if (!run_id)
		exit(2);
	dir = xasprintf("%s/%s", run.o.results_dir, run_id);
	if (results_init(&run.res, dir, run_id) < 0)
		exit(2);
	jobs = run.o.jobs ? run.o.jobs : default_jobs(&run);
	if (jobs > run.ncells)
		jobs = run.ncells;
	pick_accel(&run);
	t = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	results_set(&run.res, "started", json_string(stamp));
	results_set(&run.res, "kernels", kernels_json(&run));
	results_set(&run.res, "scenarios", scenarios_json(&run));
	{
		char *qv = qemu_version();

		results_set(&run.res, "qemu", jsontext(qv));
		free(qv);
	}
	results_set(&run.res, "accel", json_pack("{s:s, s:o}", "used", run.accel,
						   "why", jsontext(run.accel_why)));
	results_set(&run.res, "options", options_json(&run, jobs));
	if (results_write(&run.res) < 0)
		exit(2);
	point_latest(run.o.results_dir, run_id);

	run.njobs = run.ncells;
	run.jobs = xcalloc((size_t)run.njobs, sizeof(*run.jobs));
	for (i = 0; i < run.ncells; i++) {
		struct job *j = &run.jobs[i];

		j->kernel = &run.kernels[run.cell_kernel[i]];
		/* the kernel now read: its own release picks the rule */
		cell_on_release(&run.cells[i], j->kernel->release);
		j->kcell = run.cells[i];
		j->cell = &j->kcell;
		j->reldir = xstrdup(run.cells[i].id);
		j->dir = xasprintf("%s/%s", dir, j->reldir);
		j->agent_log = xasprintf("%s/agent.log", j->dir);
		j->timeout_s = host_timeout(&run, j->cell);
	}
	fprintf(stderr, "oomlab: %d cell%s, kernel %s (%s), %s (%s), %d job%s, results in %s\n",
		run.njobs, run.njobs > 1 ? "s" : "", run.kernels[0].release, run.o.kernels[0], run.accel, run.accel_why, jobs,
		jobs > 1 ? "s" : "", dir);
	run.tty = isatty(1);
	run.started = now_s();
	interrupted = schedule(&run, jobs);

	t = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	results_set(&run.res, "finished", json_string(stamp));
	if (interrupted) {
		results_set(&run.res, "interrupted", json_true());
		results_set(&run.res, "interrupted_by", json_string(strsignal(interrupted)));
	}
	if (results_write(&run.res) < 0)
		exit(2);
	clear_progress(&run);
	failed = run.res.failed + run.res.broken;
	if (interrupted)
		fprintf(stderr, "oomlab: interrupted (%s) after %d of %d cells; results kept in %s\n",
			strsignal(interrupted), run.finished, run.njobs, dir);
	printf("oomlab: %d PASS, %d FAIL, %d BROK, %d CONF in %.0fs; results in %s\n",
	       run.res.passed, run.res.failed, run.res.broken, run.res.skipped,
	       now_s() - run.started, dir);
	/* the closing line CI reads: BROK counts as failed, CONF as skipped */
	printf("%d passed, %d failed", run.res.passed, failed);
	if (run.res.skipped)
		printf(", %d skipped", run.res.skipped);
	printf("\n");
	fflush(stdout);
	results_release(&run.res);
	for (k = 0; k < run.o.nkernels; k++) {
		kernel_release(&run.kernels[k]);
		free(run.base_images[k]);
	}
	free(run.base_images);
	for (k = 0; k < run.nbundles; k++) {
		free(run.bundles[k].program);
		free(run.bundles[k].image);
	}
	free(run.bundles);
	free(run.kernels);
	free(dir);
	free(run_id);
	if (interrupted)
		return 130;
	return failed ? 1 : 0;
}
