/* SPDX-License-Identifier: GPL-2.0-only */
/* version.h - which oomlab this is: its version and the commit it was built from. */
#ifndef OOMLAB_VERSION_H
#define OOMLAB_VERSION_H

/* VERSION's text ("0.1.0") */
const char *oomlab_version(void);
/* The commit built, 12 hex digits, "-dirty" with changes not committed; or "unknown" */
const char *oomlab_commit(void);

#endif
