// SPDX-License-Identifier: GPL-2.0-only
/* modules.c - which kernel module files a guest needs, and in what order, from an unpacked kernel. */
#include "modules.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkmod.h>

#include "shared/modload.h"
#include "util.h"

/*
 * The resolver is a depth-first walk over "depends=": a module is appended to the load
 * order only after all of its dependencies were, which is a topological order; a module
 * met again while its own dependencies are still being walked closes a cycle, and the walk
 * stack names it. modules.order is the index of module files (one line per module built,
 * "kernel/<dir>/<file>.ko", installed compressed or not); modules.builtin lists, in the same
 * form, the modules built into the image.
 */

enum { MOD_NEW, MOD_WALKING, MOD_DONE };

struct mod {
	char *name; /* from the file name, with '_' */
	char *rel;  /* the modules.order line */
	int state;
};

struct resolver {
	char *moddir;          /* <tree>/lib/modules/<release> */
	struct kmod_ctx *kmod;
	struct mod *mods;      /* modules.order */
	size_t nr_mods, alloc_mods;
	char **builtin;        /* modules.builtin, as names */
	size_t nr_builtin, alloc_builtin;
	size_t *stack;         /* indexes into mods of the walk in progress, for cycle reports */
	size_t depth;
	struct modules_list *out;
	size_t alloc_files, alloc_out_builtin;
	char *err;
	size_t errlen;
};

static int fail(struct resolver *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct resolver *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The module name of s[0..n): '-' and '_' are one character to the kernel. */
static char *name_norm(const char *s, size_t n)
{
	char *name = xstrndup(s, n), *p;

	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

/* The module name of a modules.order or modules.builtin line: "kernel/x/intel-uncore.ko". */
static char *name_of_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && !strcmp(base + n - 3, ".ko"))
		n -= 3;
	return name_norm(base, n);
}

/* Calls add(r, line) for each non-empty line of moddir/file. */
static int read_lines(struct resolver *r, const char *file, void (*add)(struct resolver *, char *))
{
	struct strbuf sb = STRBUF_INIT;
	char *path = xasprintf("%s/%s", r->moddir, file), *line, *save = NULL;
	int rc = 0;

	if (strbuf_read_file(&sb, path) < 0)
		rc = fail(r, "kernel tree '%s': expected the file '%s', found none (%s)", r->moddir,
			  file, strerror(errno));
	else
		for (line = strtok_r(sb.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			add(r, line);
	strbuf_release(&sb);
	free(path);
	return rc;
}

static void add_order(struct resolver *r, char *line)
{
	ALLOC_GROW(r->mods, r->nr_mods + 1, r->alloc_mods);
	r->mods[r->nr_mods].name = name_of_path(line);
	r->mods[r->nr_mods].rel = xstrdup(line);
	r->mods[r->nr_mods].state = MOD_NEW;
	r->nr_mods++;
}

static void add_builtin(struct resolver *r, char *line)
{
	ALLOC_GROW(r->builtin, r->nr_builtin + 1, r->alloc_builtin);
	r->builtin[r->nr_builtin++] = name_of_path(line);
}

static int is_builtin(const struct resolver *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nr_builtin; i++)
		if (!strcmp(r->builtin[i], name))
			return 1;
	return 0;
}

/* The index in r->mods of the module named name (normalized), or -1. */
static long find_mod(const struct resolver *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nr_mods; i++)
		if (!strcmp(r->mods[i].name, name))
			return (long)i;
	return -1;
}

/* The one directory under tree/lib/modules: a kernel tree holds one release. */
static int find_moddir(struct resolver *r, const char *tree)
{
	char *dir = xasprintf("%s/lib/modules", tree), *release = NULL;
	struct dirent *de;
	int found = 0;
	DIR *d = opendir(dir);

	if (!d) {
		fail(r, "kernel tree '%s': expected a directory '%s', found none (%s)", tree, dir,
		     strerror(errno));
		free(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!found++)
			release = xstrdup(de->d_name);
	}
	closedir(d);
	if (found == 1)
		r->moddir = xasprintf("%s/%s", dir, release);
	else
		fail(r, "kernel tree '%s': expected one release directory in '%s', found %d", tree,
		     dir, found);
	free(release);
	free(dir);
	return found == 1 ? 0 : -1;
}

/* The host path of m's file: the modules.order name as installed, compressed or not. */
static char *find_file(struct resolver *r, const struct mod *m)
{
	static const char *const compressed[] = MODLOAD_COMPRESSED;
	size_t i;

	/* as installed first (""), then each compressed form */
	for (i = 0; i == 0 || compressed[i - 1]; i++) {
		char *path = xasprintf("%s/%s%s", r->moddir, m->rel, i ? compressed[i - 1] : "");

		if (!access(path, F_OK))
			return path;
		free(path);
	}
	fail(r, "module '%s': expected the file '%s/%s' (or .xz, .zst, .gz), found none", m->name,
	     r->moddir, m->rel);
	return NULL;
}

/* The "depends=" value of the module file at path ("" when none), or NULL after fail(). */
static char *read_depends(struct resolver *r, const struct mod *m, const char *path)
{
	struct kmod_module *km = NULL;
	struct kmod_list *info = NULL, *l;
	char *deps = NULL;
	int rc;

	rc = kmod_module_new_from_path(r->kmod, path, &km);
	if (rc >= 0)
		rc = kmod_module_get_info(km, &info);
	if (rc < 0) {
		fail(r, "module '%s': expected modinfo in '%s', found an unreadable file (%s)",
		     m->name, path, strerror(-rc));
		goto out;
	}
	kmod_list_foreach(l, info) {
		if (!strcmp(kmod_module_info_get_key(l), "depends")) {
			deps = xstrdup(kmod_module_info_get_value(l));
			break;
		}
	}
	if (!deps)
		deps = xstrdup("");
out:
	kmod_module_info_free_list(info);
	kmod_module_unref(km);
	return deps;
}

/* Fails naming the cycle that visiting mods[at] again closes: the stack from at onwards. */
static int cycle(struct resolver *r, size_t at)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k = 0;

	while (k < r->depth && r->stack[k] != at)
		k++;
	for (; k < r->depth; k++)
		strbuf_addf(&sb, "%s -> ", r->mods[r->stack[k]].name);
	strbuf_addstr(&sb, r->mods[at].name);
	fail(r, "module '%s': expected dependencies without a cycle, found %s", r->mods[at].name,
	     sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* Appends m to the load order; the list takes src. */
static void add_file(struct resolver *r, const struct mod *m, char *src)
{
	struct modules_list *out = r->out;
	struct modules_file *f;
	const char *base = strrchr(src, '/') + 1;

	ALLOC_GROW(out->files, out->nr_files + 1, r->alloc_files);
	f = &out->files[out->nr_files++];
	f->name = xstrdup(m->name);
	f->src = src;
	f->dst = xasprintf("%s/%s", MODLOAD_DIR + 1, base);
}

static int visit(struct resolver *r, size_t i);

/* Visits each module named in deps (comma-separated, as modinfo has it) that needs a file. */
static int visit_deps(struct resolver *r, size_t i, char *deps)
{
	char *dep, *save = NULL, *name;
	long j;

	for (dep = strtok_r(deps, ",", &save); dep; dep = strtok_r(NULL, ",", &save)) {
		name = name_norm(dep, strlen(dep));
		j = is_builtin(r, name) ? -2 : find_mod(r, name); /* -2: in the image already */
		free(name);
		if (j == -1)
			return fail(r, "module '%s' (needed by '%s'): expected in modules.order or "
				    "modules.builtin of '%s', found in neither", dep,
				    r->mods[i].name, r->moddir);
		if (j >= 0 && visit(r, (size_t)j) < 0)
			return -1;
	}
	return 0;
}

static int visit(struct resolver *r, size_t i)
{
	struct mod *m = &r->mods[i];
	char *src, *deps;
	int rc;

	if (m->state == MOD_DONE)
		return 0;
	if (m->state == MOD_WALKING)
		return cycle(r, i);
	m->state = MOD_WALKING;
	r->stack[r->depth++] = i;

	src = find_file(r, m);
	deps = src ? read_depends(r, m, src) : NULL;
	rc = deps ? visit_deps(r, i, deps) : -1;
	free(deps);
	if (rc < 0) {
		free(src);
		return -1;
	}
	add_file(r, m, src);
	m->state = MOD_DONE;
	r->depth--;
	return 0;
}

static void add_wanted_builtin(struct resolver *r, char *name)
{
	struct modules_list *out = r->out;
	size_t i;

	for (i = 0; i < out->nr_builtin; i++) {
		if (!strcmp(out->builtin[i], name)) {
			free(name);
			return;
		}
	}
	ALLOC_GROW(out->builtin, out->nr_builtin + 1, r->alloc_out_builtin);
	out->builtin[out->nr_builtin++] = name;
}

/* libkmod logs to stderr by default; every failure here comes back through err instead. */
static void kmod_quiet(void *data, int priority, const char *file, int line, const char *fn,
		       const char *format, va_list args)
{
}

static void resolver_release(struct resolver *r)
{
	size_t i;

	for (i = 0; i < r->nr_mods; i++) {
		free(r->mods[i].name);
		free(r->mods[i].rel);
	}
	free(r->mods);
	for (i = 0; i < r->nr_builtin; i++)
		free(r->builtin[i]);
	free(r->builtin);
	free(r->stack);
	if (r->kmod)
		kmod_unref(r->kmod);
	free(r->moddir);
}

int modules_resolve(struct modules_list *list, const char *tree, const char *const *wanted,
		    size_t nr_wanted, char *err, size_t errlen)
{
	/* no modprobe.d: the host's configuration says nothing about the guest's kernel */
	static const char *const no_config[] = { NULL };
	struct resolver r = { .out = list, .err = err, .errlen = errlen };
	struct modules_list empty = MODULES_LIST_INIT;
	struct strbuf text = STRBUF_INIT;
	size_t w;
	char *name;
	long i;
	int rc = -1;

	*list = empty;
	if (find_moddir(&r, tree) < 0 || read_lines(&r, "modules.order", add_order) < 0 ||
	    read_lines(&r, "modules.builtin", add_builtin) < 0)
		goto out;
	r.kmod = kmod_new(r.moddir, no_config);
	if (!r.kmod) {
		fail(&r, "kernel tree '%s': expected libkmod to open it, found it out of memory",
		     r.moddir);
		goto out;
	}
	kmod_set_log_fn(r.kmod, kmod_quiet, NULL);
	r.stack = xcalloc(r.nr_mods + 1, sizeof(*r.stack));

	for (w = 0; w < nr_wanted; w++) {
		name = name_norm(wanted[w], strlen(wanted[w]));
		if (is_builtin(&r, name)) {
			add_wanted_builtin(&r, name);
			continue;
		}
		i = find_mod(&r, name);
		free(name);
		if (i < 0) {
			fail(&r, "module '%s': expected in modules.order or modules.builtin of '%s', "
			     "found in neither", wanted[w], r.moddir);
			goto out;
		}
		if (visit(&r, (size_t)i) < 0)
			goto out;
	}
	for (w = 0; w < list->nr_files; w++)
		strbuf_addf(&text, "/%s\n", list->files[w].dst);
	list->load_list = strbuf_detach(&text);
	rc = 0;
out:
	if (rc < 0)
		modules_list_release(list);
	resolver_release(&r);
	return rc;
}

void modules_list_release(struct modules_list *list)
{
	struct modules_list empty = MODULES_LIST_INIT;
	size_t i;

	for (i = 0; i < list->nr_files; i++) {
		free(list->files[i].name);
		free(list->files[i].src);
		free(list->files[i].dst);
	}
	free(list->files);
	for (i = 0; i < list->nr_builtin; i++)
		free(list->builtin[i]);
	free(list->builtin);
	free(list->load_list);
	*list = empty;
}
