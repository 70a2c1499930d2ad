// SPDX-License-Identifier: GPL-2.0-only
/* version.c - which oomlab this is: its version and the commit it was built from. */
#include "version.h"

#include "build_version.h" /* made by the build: OOMLAB_VERSION, OOMLAB_COMMIT */

const char *oomlab_version(void)
{
	return OOMLAB_VERSION;
}

const char *oomlab_commit(void)
{
	return OOMLAB_COMMIT;
}
