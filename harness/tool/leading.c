// SPDX-License-Identifier: GPL-2.0-only
/* leading.c - the options a command over runs begins with: --help, --results DIR. */
#include "tool/cmd.h"

#include <stdio.h>
#include <string.h>

int cmd_leading(int *argc, char ***argv, const char *usage_text, const char **dir)
{
	*dir = "results";
	if (*argc > 1 && (!strcmp((*argv)[1], "--help") || !strcmp((*argv)[1], "-h"))) {
		fputs(usage_text, stdout);
		return 1;
	}
	if (*argc > 2 && !strcmp((*argv)[1], "--results")) {
		*dir = (*argv)[2];
		*argc -= 2;
		*argv += 2;
	}
	return 0;
}
