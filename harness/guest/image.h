/* SPDX-License-Identifier: GPL-2.0-only */
/* image.h - what the guest boots: a base initramfs per kernel, the bundles, each cell's own. */
#ifndef OOMLAB_IMAGE_H
#define OOMLAB_IMAGE_H

#include "cells/scenario.h"
#include "guest/kernel.h"
#include "paths.h"

/*
 * A run builds its images once, before any VM starts: per kernel a base initramfs (the
 * agent, busybox, the suite's workload programs and that kernel's virtio modules), and per
 * program that is a bundle (a host program with its libraries, vmimages/bundle) an extra
 * archive. A cell's initrd is then its kernel's base, the extra archives its workloads use,
 * and its spec (vmimages/initramfs.h). Every archive is cached under <root>/build/image.
 */

/* A program with its libraries (build/guest/<program>.bundle, made by vmimages/bundle). */
struct bundle {
	char *program;
	char *image;
};

struct images {
	char **base; /* per kernel: the agent, busybox, the workloads, its modules */
	int nbase;
	struct bundle *bundles; /* dynamically linked programs, each its own extra archive */
	int nbundles;
};

/*
 * Builds the bundles of the scenarios' programs, then each kernel's base image, from the
 * guest's programs in paths->guest, into paths->cache. Dies, naming what is missing, when one
 * cannot be built.
 */
void images_init(struct images *im, const struct oomlab_paths *paths, struct scenario *const *scs, int nscs,
		 const struct kernel *kernels, int nkernels);
void images_release(struct images *im);

/*
 * Writes the initrd of a cell of sc on kernel k to path: k's base, the bundles sc's workloads
 * use (each once), then spec: none when spec is NULL (a shape's, whose cells' specs come on
 * a disk). Returns 0, or -1 after an error.
 */
int images_cell(const struct images *im, int k, const struct scenario *sc, const char *spec,
		const char *path);

/* Whether program comes as a bundle, an extra archive: what makes two cells' images differ. */
int images_is_bundle(const struct images *im, const char *program);

/*
 * A restored cell's spec disk (PROTO_SPEC_MAGIC): spec, or blank for a shape's own boot.
 * Returns 0, or -1 after an error.
 */
int images_spec_disk(const char *path, const char *spec);

/* A sparse file of bytes for a guest disk (swap or scratch); the agent formats it. */
int images_disk(const char *path, unsigned long long bytes);

#endif
