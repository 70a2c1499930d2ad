/* SPDX-License-Identifier: GPL-2.0-only */
/* modload.h - the agent loads the kernel modules the host listed, in order, with finit_module(2). */
#ifndef OOMLAB_MODLOAD_H
#define OOMLAB_MODLOAD_H

/*
 * Where the host puts the module files and their load list in the initramfs (modules.c writes
 * them there). The list holds one absolute guest path per line, every module after the
 * modules it depends on, so the agent needs neither depmod's indexes nor modprobe.
 */
#define MODLOAD_DIR "/lib/modules"
#define MODLOAD_LIST MODLOAD_DIR "/load.list"

/*
 * The compressed forms a module file may take, which the kernel decompresses itself: the
 * host looks for each, the agent flags each for the kernel. NULL-terminated.
 */
#define MODLOAD_COMPRESSED { ".xz", ".zst", ".gz", NULL }

/* Told the outcome of each module: its path as listed, and 0 (loaded) or an errno value. */
typedef void modload_report_fn(const char *path, int err, void *arg);

/*
 * Loads every module named in the list file at list_path, in order, calling report once per
 * module. A module that is already loaded (EEXIST) counts as loaded. Files ending in .xz,
 * .zst or .gz are handed to the kernel to decompress (MODULE_INIT_COMPRESSED_FILE), which
 * needs CONFIG_MODULE_DECOMPRESS; without it the kernel answers EOPNOTSUPP for them. Blank
 * lines are skipped; a line longer than PATH_MAX is reported with ENAMETOOLONG.
 *
 * Returns the number of modules that failed, or -1 with errno set when the list itself
 * cannot be read. Keeps going after a failure: a later module may not need the failed one,
 * and the report names each. Allocates nothing; uses no stdio.
 */
int modload_run(const char *list_path, modload_report_fn *report, void *arg);

#endif
