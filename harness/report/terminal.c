// SPDX-License-Identifier: GPL-2.0-only
/* terminal.c - a run on the terminal: each cell's line, the progress line, the closing lines. */
#include "report/terminal.h"
#include "report/ktap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each cell of each kernel, with what it must do there. */
void terminal_list(const struct cell *cells, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char *e = matrix_rule_text(cells[i].sc, cells[i].rule);

		printf("%-84s %s\n", cells[i].id, e);
		free(e);
	}
	printf("%d cell%s\n", n, n == 1 ? "" : "s");
}

void terminal_start(const struct terminal *t, const struct kernel *kernel, const char *tag,
		    const char *accel, const char *accel_why, int jobs, const char *dir)
{
	fprintf(stderr, "oomlab: %d cell%s, kernel %s (%s), %s (%s), %d job%s, results in %s\n",
		t->cells, t->cells > 1 ? "s" : "", kernel->release, tag, accel, accel_why, jobs,
		jobs > 1 ? "s" : "", dir);
}

/* The last n lines of text, indented, for a BROK's evidence. */
static void print_tail(const char *label, const char *text, size_t len, int n)
{
	size_t i = len;
	int lines = 0;

	while (i > 0 && (text[i - 1] == '\n' || text[i - 1] == '\r'))
		i--;
	while (i > 0 && lines < n) {
		i--;
		if (text[i] == '\n')
			lines++;
	}
	if (i > 0)
		i++;
	if (i >= len)
		return;
	printf("      %s tail:\n", label);
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = nl ? (size_t)(nl - text - i) : len - i;

		if (l && text[i + l - 1] == '\r')
			l--;
		if (l)
			printf("        %.*s\n", (int)l, text + i);
		i += l + 1;
		while (i < len && (text[i] == '\r' || text[i] == '\n'))
			i++;
	}
}

/* The scenarios not printed yet whose cells are done, or all when the run is over */
static void put_ktap(struct terminal *t, const json_t *run, const char *why_not_run)
{
	struct strbuf sb = STRBUF_INIT;
	const char **names;
	int n = results_plan_values(run, "scenario", &names);

	if (!t->ktap_headed)
		ktap_head(&sb, run, n);
	t->ktap_headed = 1;
	for (; t->ktap_printed < n; t->ktap_printed++) {
		if (!why_not_run && !ktap_scenario_done(run, names[t->ktap_printed]))
			break;
		ktap_scenario(&sb, run, names[t->ktap_printed], t->ktap_printed + 1, why_not_run);
	}
	if (sb.len)
		fwrite(sb.buf, 1, sb.len, stdout);
	fflush(stdout);
	strbuf_release(&sb);
	free(names);
}

void terminal_ktap(struct terminal *t, const json_t *run)
{
	if (t->ktap)
		put_ktap(t, run, NULL);
}

void terminal_clear(const struct terminal *t)
{
	if (t->tty && !t->ktap)
		fputs("\r\033[K", stdout);
}

/* The verdict's name, coloured on a terminal that takes colour */
static const char *verdict_text(const struct terminal *t, enum verdict v)
{
	static const char *const coloured[] = {
		[VERDICT_PASS] = "\033[32mPASS\033[0m", [VERDICT_FAIL] = "\033[31mFAIL\033[0m",
		[VERDICT_BROK] = "\033[35mBROK\033[0m", [VERDICT_CONF] = "\033[33mCONF\033[0m",
	};

	return t->colour ? coloured[v] : verdict_name(v);
}

/* Seconds as "42s", "3m05s" or "1h02m" */
static void put_duration(double s)
{
	long n = s < 0 ? 0 : (long)(s + 0.5);

	if (n < 60)
		printf("%lds", n);
	else if (n < 3600)
		printf("%ldm%02lds", n / 60, n % 60);
	else
		printf("%ldh%02ldm", n / 3600, n / 60 % 60);
}

void terminal_progress(const struct terminal *t, const struct results *res, double left_s)
{
	if (!t->tty || t->ktap)
		return;
	printf("\r\033[K[%d/%d] %d %s, %d %s, %d %s, %d %s, ", t->finished, t->cells,
	       res->passed, verdict_text(t, VERDICT_PASS), res->failed,
	       verdict_text(t, VERDICT_FAIL), res->broken, verdict_text(t, VERDICT_BROK),
	       res->skipped, verdict_text(t, VERDICT_CONF));
	put_duration(now_s() - t->started);
	if (left_s >= 0 && t->finished < t->cells) {
		printf(", about ");
		put_duration(left_s);
		printf(" left");
	}
	fflush(stdout);
}

void terminal_cell(const struct terminal *t, const char *dir, const struct job *j,
		   const struct oracle_ctx *ctx, const struct verdict_report *rep,
		   const struct strbuf *klog, const struct strbuf *console,
		   const struct strbuf *qemu)
{
	char line[1024];
	int i, l;

	if (t->ktap)
		return;
	terminal_clear(t);
	printf("%s  %s  %s  (%.1fs)\n", verdict_text(t, rep->verdict), j->cell->id, rep->reason,
	       j->vm.wall_s);
	for (i = 0; i < rep->nfindings; i++) {
		const struct finding *f = &rep->findings[i];

		printf("      %-10s expected: %s\n", f->check, f->expected);
		printf("      %-10s seen:     %s\n", "", f->seen);
		for (l = 0; l < f->nlines; l++)
			printf("        %s/%s/kernel.log:%d: %s\n", dir, j->reldir,
			       f->lines[l], log_line(klog->buf, klog->len, f->lines[l], line,
						     sizeof(line)));
		for (l = 0; l < f->nevlines; l++)
			printf("        %s/%s/evictor.log:%d: %s\n", dir, j->reldir, f->evlines[l],
			       ctx->obs->ev.log[f->evlines[l] - 1].text);
	}
	if (rep->verdict == VERDICT_BROK) {
		if (ctx->ending == VM_QEMU_ERROR)
			print_tail("qemu", qemu->buf ? qemu->buf : "", qemu->len, 5);
		else
			print_tail("console", console->buf ? console->buf : "", console->len, 5);
		printf("      evidence: %s/%s/\n", dir, j->reldir);
	}
	fflush(stdout);
}

void terminal_end(struct terminal *t, const struct results *res, const char *dir,
		  const char *why)
{
	const char *diag = t->ktap ? "# " : "";

	terminal_clear(t);
	if (why)
		fprintf(stderr, "oomlab: interrupted (%s) after %d of %d cells; results kept in %s "
			"(oomlab run --resume %s runs the rest)\n", why, t->finished, t->cells, dir,
			dir);
	/* KTAP: what is left, its cells not run and why (interrupted; or not yet reached) */
	if (t->ktap)
		put_ktap(t, res->run, why ? "the run was interrupted" : "the run stopped before it");
	printf("%soomlab: %d PASS, %d FAIL, %d BROK, %d CONF in %.0fs; results in %s\n", diag,
	       res->passed, res->failed, res->broken, res->skipped, now_s() - t->started, dir);
	/* the closing line CI reads: BROK counts as failed, CONF as skipped */
	printf("%s%d passed, %d failed", diag, res->passed, res->failed + res->broken);
	if (res->skipped)
		printf(", %d skipped", res->skipped);
	printf("\n");
	fflush(stdout);
}
