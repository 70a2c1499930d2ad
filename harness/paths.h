/* SPDX-License-Identifier: GPL-2.0-only */
/* paths.h - where oomlab's own files are: in its build tree, or where make install put them. */
#ifndef OOMLAB_PATHS_H
#define OOMLAB_PATHS_H

/*
 * Run from the tree it was built in (build/oomlab), oomlab finds the guest's programs in
 * build/guest, its scripts in vmimages/, the scenarios in expectations/ and keeps fetched
 * kernels and guest archives under build/. Installed (make install, the Debian package), with
 * the binary in PREFIX/bin: PREFIX/lib/oomlab/guest, PREFIX/lib/oomlab, PREFIX/share/oomlab/
 * expectations, and a cache of the user's own: $OOMLAB_CACHE, else $XDG_CACHE_HOME/oomlab,
 * else ~/.cache/oomlab. It is installed when PREFIX/share/oomlab/expectations exists beside
 * the binary. OOMLAB_ROOT names a build tree to use instead of the binary's.
 */
struct oomlab_paths {
	char *guest;     /* the guest's programs, and the evictors' bundles */
	char *scripts;   /* what runs on the host at run time: fetch-kernel */
	char *scenarios; /* the default suite */
	char *cache;     /* writable: kernels/ fetched, image/ the guests' archives */
	int installed;
};

/* Resolved once; dies when the binary cannot be found. */
const struct oomlab_paths *oomlab_paths(void);

#endif
