// SPDX-License-Identifier: GPL-2.0-only
/* bisect.c - "oomlab bisect": the first Debian kernel package, or commit of a kernel tree, where a
 * cell's outcome changes. */
#include "tool/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
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
	"       oomlab bisect CELL --tree DIR --kernel-cmd CMD [--image PATH] --good REV --bad REV\n"
	"                     [--repeat N] [--results DIR] [SCENARIO]\n"
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
	"With --tree, the steps are the commits of a kernel git tree instead, chosen by git\n"
	"bisect between the revisions good and bad: at each, CMD is run by sh in the tree to build\n"
	"it (its output goes to <commit>.build.log in the bisect's folder), and the kernel at\n"
	"PATH (default arch/x86/boot/bzImage, relative to the tree) is copied there and booted.\n"
	"A commit that does not build is skipped (git bisect skip). The tree's bisect is reset\n"
	"at the end, whatever the end; its log is kept as git-bisect.log.\n"
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
	const char *tree, *kernel_cmd, *image;  /* a kernel tree's bisect (--tree) */
	int repeat;
	char **tags;
	int ntags;
	json_t **rec;   /* per tag, once run: its first run's record of the cell */
};

/*
 * Runs the cell on kernel (a tag or a bzImage's path) the times asked, each a run of its own
 * in the bisect's folder, named after the step (a tag without "debian:", or a commit); its
 * first run's record (the caller's to put), or NULL (its runs disagree, or it did not run)
 */
static json_t *run_outcome(struct bisect *b, const char *kernel, const char *name)
{
	const char *base = strncmp(name, "debian:", 7) ? name : name + 7;
	json_t *first = NULL;
	int r;

	for (r = 0; r < b->repeat; r++) {
		char *results = xasprintf("%s/%s-%d", b->dir, base, r + 1);
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
		argv[n++] = kernel;
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
			error("bisect: the cell did not run on %s (see %s.log)", name, results);
			free(results);
			json_decref(first);
			return NULL;
		}
		o = outcome_of(c);
		printf("bisect: %s, run %d of %d: %s\n", name, r + 1, b->repeat, o);
		free(o);
		free(results);
		/* the same outcome is what oomlab diff calls the same (kills in any order) */
		if (first && rundiff_cell(first, c, &kind, &what)) {
			error("bisect: %s is flaky: its runs differ (%s): its outcome cannot place a "
			      "change", name, what);
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
	return first;
}

/* The outcome on the t-th package, run once per package */
static const json_t *outcome_on(struct bisect *b, int t)
{
	if (!b->rec[t])
		b->rec[t] = run_outcome(b, b->tags[t], b->tags[t]);
	return b->rec[t];
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

/* The bisect's own folder, bisect-<time> under the results (made): its path, or NULL */
static char *bisect_dir(struct bisect *b)
{
	char stamp[32], *dir;
	time_t now = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", gmtime(&now));
	dir = xasprintf("%s/bisect-%s", b->dir, stamp);
	if (mkdir_p(dir, 0755) < 0) {
		error_errno("cannot create '%s'", dir);
		free(dir);
		return NULL;
	}
	b->dir = dir;
	return dir;
}

/* git -C TREE ARGS... (NULL-terminated): its exit status; its output into out unless NULL */
static int git(const struct bisect *b, struct strbuf *out, ...)
{
	struct strbuf sink = STRBUF_INIT;
	const char *argv[16] = { "git", "-C", b->tree };
	int n = 3, ret;
	va_list ap;

	va_start(ap, out);
	while (n < 15 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	ret = run_capture(argv, NULL, out ? out : &sink);
	strbuf_release(&sink);
	return ret;
}

/* rev's commit, abbreviated as git abbreviates it (the caller frees), or NULL, said why */
static char *commit_of(const struct bisect *b, const char *rev)
{
	struct strbuf out = STRBUF_INIT;
	char *spec = xasprintf("%s^{commit}", rev);

	if (git(b, &out, "rev-parse", "--verify", "-q", "--short=12", spec, NULL) || !out.len) {
		error("bisect: '%s' is not a commit of the tree %s", rev, b->tree);
		strbuf_release(&out);
		free(spec);
		return NULL;
	}
	free(spec);
	out.buf[strcspn(out.buf, "\n")] = '\0';
	return strbuf_detach(&out);
}

/*
 * Checks commit out, builds it with the kernel command (its output into <commit>.build.log)
 * and copies its kernel into the bisect's folder: that copy's path (the caller frees), or
 * NULL if it did not build (said why)
 */
static char *build_at(const struct bisect *b, const char *commit)
{
	char *log = xasprintf("%s/%s.build.log", b->dir, commit);
	char *copy = xasprintf("%s/%s.bzImage", b->dir, commit);
	char *image = b->image[0] == '/' ? xstrdup(b->image) :
		      xasprintf("%s/%s", b->tree, b->image);
	const char *cp[] = { "cp", "--", image, copy, NULL };
	struct strbuf out = STRBUF_INIT;
	int status = -1;
	pid_t pid;

	if (git(b, NULL, "checkout", "-q", "--detach", commit, NULL)) {
		error("bisect: cannot check %s out in %s (is the tree clean?)", commit, b->tree);
		goto fail;
	}
	printf("bisect: %s: building (%s)\n", commit, log);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || null < 0 || chdir(b->tree) < 0)
			_exit(127);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execl("/bin/sh", "sh", "-c", b->kernel_cmd, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("bisect: %s: the kernel command failed (%s %d; see %s)\n", commit,
		       pid > 0 && WIFSIGNALED(status) ? "signal" : "exit",
		       pid > 0 && WIFSIGNALED(status) ? WTERMSIG(status) :
		       pid > 0 ? WEXITSTATUS(status) : -1, log);
		goto fail;
	}
	if (run_capture(cp, NULL, &out)) {
		printf("bisect: %s: built, but no kernel to copy from %s\n", commit, image);
		goto fail;
	}
	strbuf_release(&out);
	free(image);
	free(log);
	return copy;
fail:
	strbuf_release(&out);
	free(image);
	free(log);
	free(copy);
	return NULL;
}

/*
 * An interrupt (^C reaches the build and the run too, in our process group) ends a tree's
 * bisect once its child has ended, so that the tree is reset, not left mid-bisect
 */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

/* The commits a tree's bisect has run, with their records */
struct steps {
	char **commit;
	json_t **rec;
	int n;
};

static const json_t *step_add(struct steps *st, const char *commit, json_t *rec)
{
	st->commit = xrealloc(st->commit, sizeof(*st->commit) * (size_t)(st->n + 1));
	st->rec = xrealloc(st->rec, sizeof(*st->rec) * (size_t)(st->n + 1));
	st->commit[st->n] = xstrdup(commit);
	st->rec[st->n] = rec;
	return st->rec[st->n++];
}

/* A commit built and its cell run: its record, NULL if it did not build or run (*built says) */
static const json_t *tree_step(struct bisect *b, struct steps *st, const char *commit,
			       int *built)
{
	char *image = build_at(b, commit);
	json_t *rec;

	*built = image && !interrupted;
	if (!*built) {
		free(image);
		return NULL;
	}
	rec = run_outcome(b, image, commit);
	free(image);
	if (interrupted) {
		*built = 1;
		json_decref(rec);
		return NULL;
	}
	return rec ? step_add(st, commit, rec) : NULL;
}

/*
 * git bisect over a kernel tree: good's and bad's outcomes first, then at each commit git
 * checks out, "good" when its outcome is good's, else "bad", "skip" when it does not build
 */
static int bisect_tree(struct bisect *b, const char *good_rev, const char *bad_rev)
{
	struct strbuf out = STRBUF_INIT, glog = STRBUF_INIT;
	struct sigaction sa = { .sa_handler = on_interrupt }, old_int, old_term;
	struct steps st = { 0 };
	char *good = NULL, *bad = NULL, *head = NULL, *path;
	const json_t *rgood, *rbad;
	int ret = 2, started = 0, built, status, i;

	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	if (git(b, NULL, "rev-parse", "--show-toplevel", NULL)) {
		error("bisect: --tree %s is not a git work tree", b->tree);
		goto out;
	}
	/* git's own mark of a bisect under way (quieter than asking "git bisect log") */
	if (git(b, &out, "rev-parse", "--git-path", "BISECT_START", NULL) || !out.len) {
		error("bisect: git finds no repository for %s", b->tree);
		goto out;
	}
	out.buf[strcspn(out.buf, "\n")] = '\0';
	path = out.buf[0] == '/' ? xstrdup(out.buf) : xasprintf("%s/%s", b->tree, out.buf);
	status = access(path, F_OK);
	free(path);
	strbuf_reset(&out);
	if (!status) {
		error("bisect: %s has a git bisect under way ('git bisect reset' ends it)", b->tree);
		goto out;
	}
	good = commit_of(b, good_rev);
	bad = good ? commit_of(b, bad_rev) : NULL;
	if (!bad)
		goto out;
	if (git(b, NULL, "bisect", "start", NULL)) {
		error("bisect: git bisect does not start in %s", b->tree);
		goto out;
	}
	started = 1;
	printf("bisect: %s over the commits of %s from %s to %s, %d run%s each, in %s\n", b->cell,
	       b->tree, good, bad, b->repeat, b->repeat == 1 ? "" : "s", b->dir);
	/* the ends must build: a bisect needs both outcomes */
	rgood = tree_step(b, &st, good, &built);
	rbad = rgood ? tree_step(b, &st, bad, &built) : NULL;
	if (!rbad) {
		if (!built && !interrupted)
			error("bisect: %s gave no kernel, and a bisect needs both ends' outcomes",
			      rgood ? bad : good);
		goto out;
	}
	if (same(rgood, rbad)) {
		char *o = outcome_of(rgood);

		printf("bisect: the same outcome on %s and %s: '%s'; nothing to find\n", good, bad,
		       o);
		free(o);
		ret = 1;
		goto out;
	}
	if (git(b, &out, "bisect", "good", good, NULL))
		goto git_failed;
	strbuf_reset(&out);
	status = git(b, &out, "bisect", "bad", bad, NULL);
	while (!status && !strstr(out.buf, " is the first bad commit")) {
		const json_t *rec;
		const char *term;

		free(head);
		head = commit_of(b, "HEAD");
		if (!head)
			goto out;
		rec = tree_step(b, &st, head, &built);
		if (!rec && (built || interrupted))
			goto out;
		term = !rec ? "skip" : same(rec, rgood) ? "good" : "bad";
		printf("bisect: %s: %s\n", head, rec ? term : "skipped (no kernel was built)");
		strbuf_reset(&out);
		status = git(b, &out, "bisect", term, NULL);
	}
	if (status) {
git_failed:
		/* among them: only skipped commits left, or good not an ancestor of bad */
		error("bisect: git bisect stopped:\n%s", out.len ? out.buf : "");
		goto out;
	}
	/* git's line "<sha> is the first bad commit", then the commit as git shows it */
	for (i = 0; i < st.n; i++) {
		if (strncmp(out.buf, st.commit[i], strlen(st.commit[i])))
			continue;
		char *o = outcome_of(st.rec[i]), *og = outcome_of(rgood);

		printf("bisect: the outcome changes at %s: '%s'\n"
		       "bisect: at the good end (%s): '%s'\n", st.commit[i], o, good, og);
		free(o);
		free(og);
		break;
	}
	for (const char *l = out.len ? out.buf : ""; *l;) {
		size_t n = strcspn(l, "\n");

		printf("  %.*s\n", (int)n, l);
		l += n + !!l[n];
	}
	if (i == st.n)
		error("bisect: git's first bad commit is none that this bisect ran: see %s/"
		      "git-bisect.log", b->dir);
	ret = i < st.n ? 0 : 2;
out:
	if (interrupted)
		error("bisect: interrupted (signal %d): the tree's bisect is reset", interrupted);
	if (started) {
		git(b, &glog, "bisect", "log", NULL);
		path = xasprintf("%s/git-bisect.log", b->dir);
		if (write_file_atomic(path, glog.buf, glog.len) == 0)
			printf("bisect: git's log of it: %s\n", path);
		free(path);
		if (git(b, NULL, "bisect", "reset", NULL))
			error("bisect: 'git bisect reset' failed in %s: the tree is left mid-bisect",
			      b->tree);
	}
	for (i = 0; i < st.n; i++) {
		free(st.commit[i]);
		json_decref(st.rec[i]);
	}
	free(st.commit);
	free(st.rec);
	strbuf_release(&out);
	strbuf_release(&glog);
	free(good);
	free(bad);
	free(head);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ret;
}

int cmd_bisect(int argc, char **argv)
{
	struct bisect b = { .repeat = 3, .dir = "results" };
	const char *good = NULL, *bad = NULL, *cellarg = NULL;
	struct strbuf list = STRBUF_INIT;
	char *cache = NULL, *dir = NULL;
	int i, lo = -1, hi = -1, ret = 2;

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
		} else if (!strcmp(argv[i], "--tree") && i + 1 < argc) {
			b.tree = argv[++i];
		} else if (!strcmp(argv[i], "--kernel-cmd") && i + 1 < argc) {
			b.kernel_cmd = argv[++i];
		} else if (!strcmp(argv[i], "--image") && i + 1 < argc) {
			b.image = argv[++i];
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
	if (b.tree || b.kernel_cmd || b.image) {
		if (!cellarg || !good || !bad || b.repeat < 1 || !b.tree || !b.kernel_cmd) {
			error("a CELL, --tree, --kernel-cmd, --good and --bad revisions, and --repeat "
			      "of 1 or more (usage: oomlab bisect CELL --tree ~/linux --kernel-cmd "
			      "'make -j2 bzImage' --good v6.1 --bad v6.2)");
			return 2;
		}
		if (!b.image)
			b.image = "arch/x86/boot/bzImage";
		b.cell = cellarg;
		if (!(dir = bisect_dir(&b)))
			return 2;
		ret = bisect_tree(&b, good, bad);
		free(dir);
		return ret;
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
	if (!(dir = bisect_dir(&b)))
		goto out;
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
