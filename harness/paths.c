// SPDX-License-Identifier: GPL-2.0-only
/* paths.c - where oomlab's own files are: in its build tree, or where make install put them. */
#include "paths.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* The build tree at root */
static void tree(struct oomlab_paths *p, const char *root)
{
	p->guest = xasprintf("%s/build/guest", root);
	p->scripts = xasprintf("%s/vmimages", root);
	p->scenarios = xasprintf("%s/expectations", root);
	p->cache = xasprintf("%s/build", root);
}

const struct oomlab_paths *oomlab_paths(void)
{
	static struct oomlab_paths p;
	char exe[4096], *slash, *share;
	const char *env;
	ssize_t n;

	if (p.guest)
		return &p;
	if ((env = getenv("OOMLAB_ROOT")) && *env) {
		tree(&p, env);
		return &p;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		die_errno("cannot find the oomlab binary (/proc/self/exe)");
	exe[n] = '\0';
	/* PREFIX: the folder above the binary's (build/oomlab's: the tree) */
	for (int i = 0; i < 2; i++)
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
	if (!exe[0])
		strcpy(exe, "/");
	share = xasprintf("%s/share/oomlab/expectations", exe);
	if (!is_dir(share)) {
		free(share);
		tree(&p, exe);
		return &p;
	}
	p.installed = 1;
	p.scenarios = share;
	p.guest = xasprintf("%s/lib/oomlab/guest", exe);
	p.scripts = xasprintf("%s/lib/oomlab", exe);
	if ((env = getenv("OOMLAB_CACHE")) && *env)
		p.cache = xstrdup(env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		p.cache = xasprintf("%s/oomlab", env);
	else if ((env = getenv("HOME")) && *env)
		p.cache = xasprintf("%s/.cache/oomlab", env);
	else
		die("oomlab needs a folder to keep kernels in: set OOMLAB_CACHE or HOME");
	return &p;
}
