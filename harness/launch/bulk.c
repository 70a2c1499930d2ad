// SPDX-License-Identifier: GPL-2.0-only
/* bulk.c - the guests' images and saved states, off the results disk, gone however a run ends. */
#include "launch/bulk.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static char **live;
static int nlive, live_alloc;

/* Calls fn with the path of each entry of dir but "." and "..". */
static void each_entry(const char *dir, void (*fn)(const char *path, const char *name))
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *p;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		fn(p, e->d_name);
		free(p);
	}
	if (d)
		closedir(d);
}

static void unlink_entry(const char *path, const char *name)
{
	unlink(path);
}

static void remove_folder(const char *dir)
{
	each_entry(dir, unlink_entry);
	rmdir(dir);
}

static void remove_live_at_exit(void)
{
	while (nlive)
		remove_folder(live[--nlive]);
}

/*
 * A folder of an oomlab that died without its exit handler (SIGKILL): "<what>.<pid>.XXXXXX"
 * whose pid no longer runs. Swept before this process makes its first.
 */
static void sweep_entry(const char *path, const char *name)
{
	const char *dot = strchr(name, '.');
	char *end;
	long pid;

	if (strncmp(name, "oomlab-", 7) || !dot)
		return;
	pid = strtol(dot + 1, &end, 10);
	if (pid > 0 && *end == '.' && kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		remove_folder(path);
}

char *bulk_new(const char *what)
{
	static int handler_set;
	const char *tmp = getenv("TMPDIR");
	char *templ;

	if (!tmp || !*tmp)
		tmp = "/var/tmp";
	if (!handler_set)
		each_entry(tmp, sweep_entry);
	templ = xasprintf("%s/%s.%d.XXXXXX", tmp, what, (int)getpid());
	if (!mkdtemp(templ)) {
		free(templ);
		return NULL;
	}
	if (!handler_set && atexit(remove_live_at_exit) == 0)
		handler_set = 1;
	ALLOC_GROW(live, nlive + 1, live_alloc);
	live[nlive++] = templ;
	return templ;
}

void bulk_free(char *dir)
{
	int i;

	if (!dir)
		return;
	for (i = 0; i < nlive; i++)
		if (live[i] == dir) {
			live[i] = live[--nlive];
			break;
		}
	remove_folder(dir);
	free(dir);
}
