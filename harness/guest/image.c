// SPDX-License-Identifier: GPL-2.0-only
/* image.c - what the guest boots: a base initramfs per kernel, the bundles, each cell's own. */
#include "guest/image.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "initramfs.h"
#include "modules.h"
#include "shared/modload.h"
#include "shared/proto.h"
#include "paths.h"
#include "util.h"

/*
 * The guest's modules: virtio_pci and virtio_blk for the swap disk (built in on some kernels,
 * modules on others). A kernel given by path has no module tree: it gets none, and a cell
 * that needs them finds out in the guest.
 */
static const char *const guest_modules[] = { "virtio_pci", "virtio_blk" };

#define IMAGE_FILES_MAX 64 /* the agent, busybox, the workload programs, the modules */

/* Adds kernel's modules and their load list to files; returns the new count. */
static int add_modules(const struct kernel *kernel, struct initramfs_file *files, char **paths,
		       int n)
{
	struct modules_list list = MODULES_LIST_INIT;
	char *tree = xstrdup(kernel->vmlinuz), *slash, err[512];
	size_t i;

	/* <tree>/boot/vmlinuz-<release> */
	for (i = 0; i < 2 && (slash = strrchr(tree, '/')); i++)
		*slash = '\0';
	if (!kernel->package[0] ||
	    modules_resolve(&list, tree, guest_modules, ARRAY_SIZE(guest_modules), err,
			    sizeof(err)) < 0) {
		if (kernel->package[0])
			warning("kernel '%s': %s; the guest gets no modules", kernel->tag, err);
		free(tree);
		return n;
	}
	if (n + list.nr_files + 1 > IMAGE_FILES_MAX)
		die("kernel '%s' needs %zu modules: more than the guest image holds",
		    kernel->tag, list.nr_files);
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

static const struct bundle *find_bundle(const struct images *im, const char *program)
{
	int i;

	for (i = 0; i < im->nbundles; i++)
		if (!strcmp(im->bundles[i].program, program))
			return &im->bundles[i];
	return NULL;
}

/* The extra archive of one bundle: its list's "SRC DEST" lines. */
static char *build_bundle_image(const struct oomlab_paths *paths, const char *list_path)
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
	cache = xasprintf("%s/image", paths->cache);
	image = initramfs_extra(cache, files, n);
	if (!image)
		die("cannot build the guest archive of '%s'", list_path);
	free(cache);
	free(files);
	strbuf_release(&list);
	return image;
}

/* The bundle of prog, archived once for all kernels, if prog is one. */
static void add_bundle(struct images *im, const struct oomlab_paths *paths, const char *prog)
{
	char *list = xasprintf("%s/%s.bundle", paths->guest, prog);
	struct bundle *b;

	if (find_bundle(im, prog) || access(list, R_OK) < 0) {
		free(list);
		return;
	}
	im->bundles = xrealloc(im->bundles, (size_t)(im->nbundles + 1) * sizeof(*b));
	b = &im->bundles[im->nbundles++];
	b->program = xstrdup(prog);
	b->image = build_bundle_image(paths, list);
	free(list);
}

/* Every program of the suite that is a bundle: workloads' and evictors'. */
static void build_bundles(struct images *im, const struct oomlab_paths *paths, struct scenario *const *scs,
			  int nscs)
{
	int i, j;

	for (i = 0; i < nscs; i++) {
		for (j = 0; j < scs[i]->nworkloads; j++)
			add_bundle(im, paths, scs[i]->workloads[j].program);
		if (!scs[i]->evictor.kind)
			continue;
		add_bundle(im, paths, scs[i]->evictor.kind->program);
		if (!find_bundle(im, scs[i]->evictor.kind->program))
			die("evictor '%s' of scenario '%s' is not built ('%s/%s.bundle'): "
			    "run make", scs[i]->evictor.kind->program, scs[i]->name, paths->guest,
			    scs[i]->evictor.kind->program);
	}
}

static char *build_base_image(const struct images *im, const struct oomlab_paths *where,
			      struct scenario *const *scs, int nscs, const struct kernel *kernel)
{
	struct initramfs_file *files = xcalloc(IMAGE_FILES_MAX, sizeof(*files));
	char **paths = xcalloc(IMAGE_FILES_MAX, sizeof(*paths));
	char *image;
	int n = 0, i, j;

	paths[0] = xasprintf("%s/init", where->guest);
	files[0] = (struct initramfs_file){ paths[0], "init", 0755, NULL };
	paths[1] = xstrdup("/bin/busybox");
	files[1] = (struct initramfs_file){ paths[1], "bin/busybox", 0755, NULL };
	n = 2;
	for (i = 0; i < nscs; i++) {
		for (j = 0; j < scs[i]->nworkloads && n < IMAGE_FILES_MAX; j++) {
			const char *prog = scs[i]->workloads[j].program;
			char *dest = xasprintf("bin/%s", prog);
			int k, dup = 0;

			for (k = 0; k < n; k++)
				dup |= !strcmp(files[k].dest, dest);
			if (dup) {
				free(dest);
				continue;
			}
			if (find_bundle(im, prog)) {
				free(dest);
				continue;
			}
			paths[n] = xasprintf("%s/%s", where->guest, prog);
			if (access(paths[n], X_OK) < 0)
				die("workload program '%s' of scenario '%s' is not built ('%s', nor a "
				    "'.bundle' beside it): run make, or fix the program name", prog,
				    scs[i]->name, paths[n]);
			files[n] = (struct initramfs_file){ paths[n], dest, 0755, NULL };
			n++;
		}
	}
	n = add_modules(kernel, files, paths, n);
	if (access(files[0].src, X_OK) < 0)
		die("the guest agent is not built ('%s'): run make", files[0].src);
	if (access(files[1].src, X_OK) < 0)
		die("'/bin/busybox' is missing: install the Debian package busybox-static");
	{
		char *cache = xasprintf("%s/image", where->cache);

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

void images_init(struct images *im, const struct oomlab_paths *paths, struct scenario *const *scs, int nscs,
		 const struct kernel *kernels, int nkernels)
{
	int k;

	memset(im, 0, sizeof(*im));
	build_bundles(im, paths, scs, nscs);
	/* per kernel, for its modules; shared bytes are cached by content */
	im->base = xcalloc((size_t)nkernels, sizeof(*im->base));
	im->nbase = nkernels;
	for (k = 0; k < nkernels; k++)
		im->base[k] = build_base_image(im, paths, scs, nscs, &kernels[k]);
}

void images_release(struct images *im)
{
	int k;

	for (k = 0; k < im->nbase; k++)
		free(im->base[k]);
	free(im->base);
	for (k = 0; k < im->nbundles; k++) {
		free(im->bundles[k].program);
		free(im->bundles[k].image);
	}
	free(im->bundles);
	memset(im, 0, sizeof(*im));
}

int images_is_bundle(const struct images *im, const char *program)
{
	return find_bundle(im, program) != NULL;
}

int images_cell(const struct images *im, int k, const struct scenario *sc, const char *spec,
		const char *path)
{
	const char **extras = xcalloc((size_t)sc->nworkloads + 2, sizeof(*extras));
	int i, j, nextras = 0, ret;

	/* the bundles this cell's workloads and evictor use, each once */
	for (i = 0; i <= sc->nworkloads; i++) {
		const struct bundle *b = i < sc->nworkloads ?
			find_bundle(im, sc->workloads[i].program) :
			sc->evictor.kind ? find_bundle(im, sc->evictor.kind->program) : NULL;

		for (j = 0; b && j < nextras; j++)
			if (extras[j] == b->image)
				b = NULL;
		if (b)
			extras[nextras++] = b->image;
	}
	ret = initramfs_cell(im->base[k], extras, nextras, spec, spec ? strlen(spec) : 0, path);
	free(extras);
	return ret;
}

int images_spec_disk(const char *path, const char *spec)
{
	char *disk = xcalloc(1, PROTO_SPEC_DISK_BYTES);
	int n = 0, ret;

	/* a shape's own is blank: its guest waits for its cells' */
	if (spec)
		n = snprintf(disk, PROTO_SPEC_DISK_BYTES, "%s%zu\n%s", PROTO_SPEC_MAGIC,
			     strlen(spec), spec);
	if (n >= PROTO_SPEC_DISK_BYTES)
		ret = error("a spec of %zu bytes does not fit its disk", strlen(spec));
	else
		ret = write_file_atomic(path, disk, PROTO_SPEC_DISK_BYTES);
	free(disk);
	return ret;
}

int images_disk(const char *path, unsigned long long bytes)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), ret = 0;

	if (fd < 0)
		return error_errno("cannot create '%s'", path);
	if (ftruncate(fd, (off_t)bytes) < 0)
		ret = error_errno("cannot size '%s'", path);
	close(fd);
	return ret;
}
