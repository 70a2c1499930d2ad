/* SPDX-License-Identifier: GPL-2.0-only */
/* initramfs.h - the guest image: a newc cpio base archive, and the per-cell archive after it. */
#ifndef OOMLAB_INITRAMFS_H
#define OOMLAB_INITRAMFS_H

#include "util.h"

/*
 * The kernel unpacks concatenated cpio archives in order, later entries adding to earlier
 * ones. So the base image (agent as /init, busybox, the workloads) is built once per set of
 * inputs and cached; each cell's initrd is that base, then the extra archives its workloads
 * need (a dynamically linked program with its libraries: too big to carry in every cell's
 * memory), then a tiny archive holding only /cell.spec. Nothing in the guest's image is ever
 * edited in place.
 */

struct initramfs_file {
	const char *src;  /* host path to copy from, or NULL: the file is text */
	const char *dest; /* path in the guest, without the leading '/' */
	int mode;         /* permission bits */
	const char *text; /* the file's contents when src is NULL (a list the host made) */
};

/* Appends a newc entry to sb. type is S_IFREG, S_IFDIR, S_IFLNK (data = target) or S_IFCHR. */
void cpio_add(struct strbuf *sb, const char *name, unsigned int mode, const void *data,
	      size_t len, unsigned int rdev_major, unsigned int rdev_minor);
/* Appends the trailer and pads the archive to a 512-byte boundary. */
void cpio_finish(struct strbuf *sb);

/*
 * Builds the base archive from files under cache_dir, named by a hash of every input's bytes,
 * and reuses it when it already exists. Returns the path (caller frees), or NULL after an
 * error naming the file that could not be read or written.
 */
char *initramfs_base(const char *cache_dir, const struct initramfs_file *files, int nfiles);

/* The same for an extra archive: only files (and their folders), no skeleton. */
char *initramfs_extra(const char *cache_dir, const struct initramfs_file *files, int nfiles);

/*
 * Writes base, each extra archive, and an archive holding /cell.spec to out. Returns 0, or -1
 * after an error.
 */
int initramfs_cell(const char *base, const char *const *extras, int nextras, const char *spec,
		   size_t speclen, const char *out);

#endif
