// SPDX-License-Identifier: GPL-2.0-only
/* bisect.c - "oomlab bisect": the first Debian kernel package where a cell's outcome changes. */
#include "tool/cmd.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest/kernel.h"
#include "paths.h"
#include "report/jsontext.h"
#include "report/rundiff.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab bisect CELL --good TAG --bad TAG [--repeat N] [--results DIR] [SCENARIO]\n"
	"\n"
	"Finds the first Debian kernel package between a good and a bad one (two ABIs of one\n"
	"line, debian:6.1.0-47 and debian:6.1.0-57) where CELL's outcome changes: its verdict,\n"
	"the processes killed, a panic and the workloads refused memory. CELL is a cell's id\n"
	"within its kernel (memcg-v2/panic_on_oom=0,...), as --list prints it after the kernel.\n"
	"Each package the search tries runs the cell N times (default 3, runs of their own under\n"
	"DIR/bisect-<time>); a package whose runs disagree is flaky, and the search stops there,\n"
	"saying so. The packages between good and bad are those the archive holds ('oomlab\n"
	"kernels'). At the end: the two packages, their versions, and the entries of the first\n"
	"changed package's changelog (from the package itself) since the good one's version.\n"
	"SCENARIO names the scenario file when it is not one of the default suite.\n"
	"\n"
	"Exit status: 0 found, 1 the outcome is the same on both ends, 2 an error or a flaky step.\n";

/* "PASS; killed: grower; panic: ...; ENOMEM: ..." of a run's only cell, to print */
static char *outcome_of(const json_t *cell)
{
	struct strbuf sb = STRBUF_INIT;
	const json_t *e;
	size_t i;

	strbuf_addf(&sb, "%s; killed:", json_str(cell, "verdict"));
	json_array_foreach(json_object_get(cell, "kills"), i, e)
		strbuf_addf(&sb, " %s", json_str(e, "comm"));
	if (*json_str(cell, "panic_message"))
		strbuf_addf(&sb, "; panic: %s", json_str(cell, "panic_message"));
	json_array_foreach(json_object_get(cell, "enomem"), i, e)
		strbuf_addf(&sb, "%s%s", i ? " " : "; ENOMEM: ", json_string_value(e));
	return strbuf_detach(&sb);
}

struct bisect {
	const char *cell, *scenario, *dir;
	int repeat;
	char **tags;
	int ntags;
	json_t **rec;   /* per tag, once run: its first run's record of the cell */
};

/* Runs the cell on tag, the times asked; its record, or NULL (flaky, or no run) */
static const json_t *outcome_on(struct bisect *b, int t)
{
	json_t *first = NULL;
	int r;

	if (b->rec[t])
		return b->rec[t];
	for (r = 0; r < b->repeat; r++) {
		char *results = xasprintf("%s/%s-%d", b->dir, b->tags[t] + 7, r + 1);
		char *filter = xasprintf("id=%s", b->cell);
		const char *argv[12];
		int n = 0, status;
		pid_t pid;
		json_t *run, *c;
		enum rundiff_kind kind;
		char *path, *o, *what = NULL;

		argv[n++] = "oomlab";
		argv[n++] = "run";
		argv[n++] = "--kernel";
		argv[n++] = b->tags[t];
		argv[n++] = "--results";
		argv[n++] = results;
		argv[n++] = "--filter";
		argv[n++] = filter;
		if (b->scenario)
			argv[n++] = b->scenario;
		argv[n] = NULL;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			/* its lines are the run's own, in its folder: here only the outcome */
			if (!freopen(xasprintf("%s.log", results), "w", stdout))
				_exit(127);
			dup2(1, 2);
			execv("/proc/self/exe", (char **)argv);
			_exit(127);
		}
		while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		path = xasprintf("%s/latest/run.json", results);
		run = json_load_file(path, 0, NULL);
		c = json_array_size(json_object_get(run, "cells")) == 1 ?
		    json_incref(json_array_get(json_object_get(run, "cells"), 0)) : NULL;
		json_decref(run);
		free(path);
		free(filter);
		if (!c) {
			error("bisect: the cell did not run on %s (see %s.log)", b->tags[t], results);
			free(results);
			json_decref(first);
			return NULL;
		}
		o = outcome_of(c);
		printf("bisect: %s, run %d of %d: %s\n", b->tags[t], r + 1, b->repeat, o);
		free(o);
		free(results);
		/* the same outcome is what oomlab diff calls the same (kills in any order) */
		if (first && rundiff_cell(first, c, &kind, &what)) {
			error("bisect: %s is flaky: its runs differ (%s): its outcome cannot place a "
			      "change", b->tags[t], what);
			free(what);
			json_decref(first);
			json_decref(c);
			return NULL;
		}
		if (first)
			json_decref(c);
		else
			first = c;
	}
	return b->rec[t] = first;
}

/* Whether two packages' records of the cell tell the same outcome */
static int same(const json_t *a, const json_t *b)
{
	enum rundiff_kind kind;
	char *what = NULL;
	int differ = rundiff_cell(a, b, &kind, &what);

	free(what);
	return !differ;
}

/*
 * The changed package's changelog (its own, from the cache it was unpacked into) down to the
 * entry of the good package's version: what came between them, the first 200 lines.
 */
static void put_changelog(const char *tag, const char *since)
{
	/* the names go to the shell as its variables, never as its words */
	static const char cmd[] =
		"zcat \"$OOMLAB_CACHE_DIR\"/kernels/*_linux-image-\"$OOMLAB_ABI\"-cloud-amd64_*/"
		"usr/share/doc/*/changelog*.gz 2>/dev/null | awk -v since=\"($OOMLAB_SINCE)\" "
		"'/^linux/ && index($0, since) { exit } { print }' | head -n 200";
	char *abi = xasprintf("%s%s", tag + 7, strncmp(tag, "debian:6.12.", 12) ? "" : "+deb12");
	char line[1024];
	int n = 0;
	FILE *p;

	setenv("OOMLAB_CACHE_DIR", oomlab_paths()->cache, 1);
	setenv("OOMLAB_ABI", abi, 1);
	setenv("OOMLAB_SINCE", since, 1);
	free(abi);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		printf("  %s", line);
		n++;
	}
	if (p)
		pclose(p);
	if (!n)
		printf("  (its changelog is not in the package)\n");
	else if (n == 200)
		printf("  (the first 200 lines)\n");
}

int cmd_bisect(int argc, char **argv)
{
	struct bisect b = { .repeat = 3, .dir = "results" };
	const char *good = NULL, *bad = NULL, *cellarg = NULL;
	struct strbuf list = STRBUF_INIT;
	char *cache = NULL, *dir = NULL, stamp[32];
	int i, lo = -1, hi = -1, ret = 2;
	time_t now = time(NULL);

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--good") && i + 1 < argc) {
			good = argv[++i];
		} else if (!strcmp(argv[i], "--bad") && i + 1 < argc) {
			bad = argv[++i];
		} else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			b.repeat = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--results") && i + 1 < argc) {
			b.dir = argv[++i];
		} else if (argv[i][0] == '-') {
			error("unknown option '%s' (usage: oomlab bisect CELL --good TAG --bad TAG)",
			      argv[i]);
			return 2;
		} else if (!cellarg) {
			cellarg = argv[i];
		} else {
			b.scenario = argv[i];
		}
	}
	if (!cellarg || !good || !bad || b.repeat < 1 || strncmp(good, "debian:", 7) ||
	    strncmp(bad, "debian:", 7)) {
		error("a CELL, --good and --bad Debian ABIs and --repeat of 1 or more "
		      "(usage: oomlab bisect CELL --good debian:6.1.0-47 --bad debian:6.1.0-57)");
		return 2;
	}
	b.cell = cellarg;
	cache = xasprintf("%s/kernels", oomlab_paths()->cache);
	/* every package of the line between good and bad, as the archive holds them */
	if (kernel_list(oomlab_paths()->scripts, cache, &list) < 0)
		goto out;
	for (const char *line = list.buf; line && *line;) {
		size_t tl = strcspn(line, " \n");
		char *tag = xstrndup(line, tl);
		const char *nl = strchr(line, '\n');

		if (!strcmp(tag, good))
			lo = b.ntags;
		if (lo >= 0 && hi < 0) {
			b.tags = xrealloc(b.tags, sizeof(*b.tags) * (size_t)(b.ntags + 1));
			b.tags[b.ntags++] = tag;
		} else {
			free(tag);
		}
		if (lo >= 0 && hi < 0 && !strcmp(b.tags[b.ntags - 1], bad))
			hi = b.ntags - 1;
		line = nl ? nl + 1 : NULL;
	}
	if (lo < 0 || hi < 0) {
		error("bisect: %s and %s are not two packages of one line the archive holds, the "
		      "good one first ('oomlab kernels' lists them)", good, bad);
		goto out;
	}
	b.rec = xcalloc((size_t)b.ntags, sizeof(*b.rec));
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime(&now));
	b.dir = dir = xasprintf("%s/bisect-%s", b.dir, stamp);
	if (mkdir_p(dir, 0755) < 0) {
		error_errno("cannot create '%s'", dir);
		goto out;
	}
	printf("bisect: %s over %d packages, %s to %s, %d run%s each, in %s\n", b.cell, b.ntags,
	       good, bad, b.repeat, b.repeat == 1 ? "" : "s", b.dir);
	if (!outcome_on(&b, lo) || !outcome_on(&b, hi))
		goto out;
	if (same(b.rec[lo], b.rec[hi])) {
		char *o = outcome_of(b.rec[lo]);

		printf("bisect: the same outcome on %s and %s: '%s'; nothing to find\n", good, bad,
		       o);
		free(o);
		ret = 1;
		goto out;
	}
	/* lo's outcome is good's; hi's is not */
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2;

		if (!outcome_on(&b, mid))
			goto out;
		if (same(b.rec[mid], b.rec[lo]))
			lo = mid;
		else
			hi = mid;
	}
	{
		char pl[128] = "", vl[64] = "", ph[128] = "", vh[64] = "";

		for (const char *line = list.buf; line && *line;) {
			char t[64], p[128], v[64];
			const char *nl = strchr(line, '\n');

			if (sscanf(line, "%63s %127s %63s", t, p, v) == 3) {
				if (!strcmp(t, b.tags[lo]))
					snprintf(pl, sizeof(pl), "%s", p), snprintf(vl, sizeof(vl), "%s", v);
				if (!strcmp(t, b.tags[hi]))
					snprintf(ph, sizeof(ph), "%s", p), snprintf(vh, sizeof(vh), "%s", v);
			}
			line = nl ? nl + 1 : NULL;
		}
		char *oh = outcome_of(b.rec[hi]), *ol = outcome_of(b.rec[lo]);

		printf("bisect: the outcome changes at %s (%s %s): '%s'\n"
		       "bisect: the last package before it is %s (%s %s): '%s'\n"
		       "bisect: %s's changelog since %s:\n", b.tags[hi], ph, vh, oh, b.tags[lo], pl,
		       vl, ol, b.tags[hi], vl);
		free(oh);
		free(ol);
		put_changelog(b.tags[hi], vl);
	}
	ret = 0;
out:
	for (i = 0; i < b.ntags; i++) {
		free(b.tags[i]);
		if (b.rec)
			json_decref(b.rec[i]);
	}
	free(b.tags);
	free(b.rec);
	strbuf_release(&list);
	free(cache);
	free(dir);
	return ret;
}
