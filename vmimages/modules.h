/* SPDX-License-Identifier: GPL-2.0-only */
/* modules.h - which kernel module files a guest needs, and in what order, from an unpacked kernel. */
#ifndef OOMLAB_MODULES_H
#define OOMLAB_MODULES_H

#include <stddef.h>

/*
 * Debian's kernel packages ship their modules without depmod's indexes (modules.dep is made
 * by depmod at install time), so the dependencies are read from each module file's own
 * .modinfo "depends=" with libkmod, the way depmod itself reads them. The guest then loads
 * the files in the order given here with plain finit_module(2): see shared/modload.h.
 *
 * Module names are compared with '-' and '_' as the same character, as the kernel does.
 */

struct modules_file {
	char *name; /* module name with '_': "virtio_blk" */
	char *src;  /* host path: "<tree>/lib/modules/<release>/kernel/.../virtio_blk.ko.xz" */
	char *dst;  /* guest path without the leading '/': "lib/modules/virtio_blk.ko.xz" */
};

struct modules_list {
	struct modules_file *files; /* load order: each module once, after its dependencies */
	size_t nr_files;
	char **builtin;             /* wanted modules built into the kernel, with '_' */
	size_t nr_builtin;
	char *load_list;            /* text of MODLOAD_LIST: "/" dst "\n" per file, in order */
};

#define MODULES_LIST_INIT { NULL, 0, NULL, 0, NULL }

/*
 * Resolves the modules named in wanted[0..nr_wanted) for the kernel unpacked under tree
 * (which holds lib/modules/<release>/ with modules.order and modules.builtin). A module is
 * found by its file name in modules.order, as .ko or compressed (.ko.xz, .ko.zst, .ko.gz);
 * its dependencies are followed recursively; modules listed in modules.builtin need no file
 * and are left out, and a wanted one is named in list->builtin instead.
 *
 * Returns 0 with *list filled (the caller owns it: modules_list_release()). Returns -1 with
 * *list empty and one line in err (of errlen bytes), "module 'x': ..." saying what was
 * expected and what was found: an unknown module, a missing or unreadable file, a dependency
 * cycle, or a tree without exactly one lib/modules/<release>/.
 */
int modules_resolve(struct modules_list *list, const char *tree, const char *const *wanted,
		    size_t nr_wanted, char *err, size_t errlen);

/* Frees what list holds and leaves it empty (MODULES_LIST_INIT); list itself is the caller's. */
void modules_list_release(struct modules_list *list);

#endif
