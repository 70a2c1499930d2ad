/* SPDX-License-Identifier: GPL-2.0-only */
/* bulk.h - the guests' images and saved states, off the results disk, gone however a run ends. */
#ifndef OOMLAB_BULK_H
#define OOMLAB_BULK_H

/*
 * A cell's initrd, swap, scratch and spec disks and a shape's saved state (about 100 MB) are
 * not evidence: they live in a folder of their own under TMPDIR (else /var/tmp), not in the
 * results, so a full results disk cannot be filled by a guest's swap. Each folder is removed
 * with everything in it by bulk_free(), or by an exit handler when the process exits without
 * freeing it (die() included). A process killed by SIGKILL runs no handler: the next oomlab
 * to make a folder there removes those whose pid no longer runs.
 */

/* A new folder "<TMPDIR>/<what>.<pid>.XXXXXX" (caller frees with bulk_free()), or NULL. */
char *bulk_new(const char *what);

/* Removes the folder and the files in it, and frees the string. NULL is a no-op. */
void bulk_free(char *dir);

#endif
