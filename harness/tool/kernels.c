// SPDX-License-Identifier: GPL-2.0-only
/* kernels.c - "oomlab kernels": the Debian kernel packages --kernel can name, cached or not. */
#include "tool/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest/kernel.h"
#include "paths.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab kernels\n"
	"\n"
	"Lists the Debian kernel packages of the current ABIs that Debian's archive holds, oldest\n"
	"first, with the tag --kernel takes for each, its package and version, and whether it is\n"
	"in oomlab's cache already (a run fetches the others with apt-get download).\n"
	"\n"
	"Exit status: 0, or 2 when the archive's index cannot be read.\n";

int cmd_kernels(int argc, char **argv)
{
	struct strbuf list = STRBUF_INIT;
	const char *line;
	char *cache;
	int n = 0;

	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			fputs(usage_text, stdout);
			return 0;
		}
		error("no arguments, found '%s' (usage: oomlab kernels)", argv[1]);
		return 2;
	}
	cache = xasprintf("%s/kernels", oomlab_paths()->cache);
	if (kernel_list(oomlab_paths()->scripts, cache, &list) < 0) {
		free(cache);
		return 2;
	}
	printf("%-18s %-42s %-20s %s\n", "TAG", "PACKAGE", "VERSION", "CACHED");
	for (line = list.buf; line && *line; n++) {
		char tag[64], pkg[128], ver[64], cached[16];
		const char *nl = strchr(line, '\n');

		if (sscanf(line, "%63s %127s %63s %15s", tag, pkg, ver, cached) == 4)
			printf("%-18s %-42s %-20s %s\n", tag, pkg, ver,
			       strcmp(cached, "cached") ? "-" : "yes");
		line = nl ? nl + 1 : NULL;
	}
	printf("%d package%s. debian:6.1 and debian:6.12 name the newest of each line; a range "
	       "(debian:6.1.0-47..57) every package in it; the cache is %s.\n", n,
	       n == 1 ? "" : "s", cache);
	strbuf_release(&list);
	free(cache);
	return 0;
}
