/* SPDX-License-Identifier: GPL-2.0-only */
/* kernel.h - a kernel to boot: a Debian tag fetched and unpacked, or a bzImage by path. */
#ifndef OOMLAB_KERNEL_H
#define OOMLAB_KERNEL_H

#include "util.h"

struct kernel {
	char *tag;     /* as the user gave it: "debian:6.1" or a path */
	char *vmlinuz;
	char *pvh;     /* the bzImage's kernel ELF with a PVH entry, QEMU's fast way in; or NULL */
	char *release; /* "6.1.0-56-cloud-amd64" */
	char *package; /* Debian package and version; "" for a user kernel */
	char *version;
};

/*
 * Resolves tag. A Debian tag runs the folder scripts' fetch-kernel (vmimages/fetch-kernel)
 * with cache as its cache; anything else must be a readable bzImage. Returns 0, or -1 after a
 * one-line error.
 */
int kernel_resolve(const char *tag, const char *scripts, const char *cache, struct kernel *k);
void kernel_release(struct kernel *k);

/*
 * The Debian kernel packages of the current ABIs the archive holds (fetch-kernel --list), a
 * line each, oldest first: "debian:6.1.0-50 linux-image-6.1.0-50-cloud-amd64 6.1.176-1
 * cached" ("-" for not cached), into out. Returns 0, or -1 after an error.
 */
int kernel_list(const char *scripts, const char *cache, struct strbuf *out);

/*
 * Expands a --kernel argument into tags: a list joined by commas, each a tag or a range of
 * one line's ABIs, "debian:6.1.0-47..57" or "debian:6.12.107..118", which becomes every
 * package of the range the archive holds (kernel_list()). Appends to *tags (n of them, a
 * vector of strings the caller frees). Returns 0, or -1 after an error naming what the
 * archive has.
 */
int kernel_expand(const char *arg, const char *scripts, const char *cache, char ***tags, int *n);

/*
 * Whether the kernel has cgroup v1's memory controller, from the config its package ships
 * (boot/config-RELEASE beside its vmlinuz): 1 or 0, or -1 when there is no config to read
 * (a user's bzImage). Before 6.12 every memcg kernel has it; 6.12 made it CONFIG_MEMCG_V1.
 */
int kernel_memcg_v1(const struct kernel *k);

/* What QEMU's -kernel loads: the PVH ELF where fetch-kernel made one, else the bzImage. */
const char *kernel_boot_image(const struct kernel *k);

#endif
