// SPDX-License-Identifier: GPL-2.0-only
/* explain.c - each OOM report of a kernel log explained: who died and why, as text or JSON. */

#include "report/explain.h"

#include <stdarg.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "oracles/badness.h"
#include "report/jsontext.h"
#include "util.h"

/*
 * This file only calls the oracle (oracles/badness.c) on what the parser (observe/oomreport.c)
 * read, and prints: everything that computes lives in those two. Text is laid out for 100 columns: a label
 * column, values wrapped under it, then the ranked table of the top tasks.
 */

#define EXPLAIN_WIDTH 100
#define EXPLAIN_INDENT 14 /* "  judgement   " */
#define EXPLAIN_TOP 10    /* rows of the ranking printed as text; JSON has them all */

/* --- text --- */

/* Appends to the string in buf, cut to fit. */
static void cat(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/*
 * Prints head, then text wrapped at EXPLAIN_WIDTH with continuation lines indented by indent
 * columns. Words are split at single blanks, so that runs of blanks inside a value
 * ("[  pid  ]") survive; a word longer than a line (a cgroup path) is cut where the line ends.
 */
static void put_text(FILE *out, const char *head, int indent, const char *text)
{
	const char *w = text;
	int col = indent, first = 1;

	fprintf(out, "%-*s", indent, head);
	while (*w) {
		int len = (int)strcspn(w, " ");

		if (!first && col + 1 + len > EXPLAIN_WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			first = 1;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		while (col + len > EXPLAIN_WIDTH && EXPLAIN_WIDTH - col > 0) {
			fwrite(w, 1, (size_t)(EXPLAIN_WIDTH - col), out);
			w += EXPLAIN_WIDTH - col;
			len -= EXPLAIN_WIDTH - col;
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		}
		fwrite(w, 1, (size_t)len, out);
		col += len;
		first = col == indent;
		w += len;
		if (*w == ' ')
			w++;
	}
	fputc('\n', out);
}

/* "  label       value...": the value column starts at EXPLAIN_INDENT */
static void put_wrapped(FILE *out, const char *label, const char *text)
{
	char head[EXPLAIN_INDENT + 1];

	snprintf(head, sizeof(head), "  %s", label);
	put_text(out, head, EXPLAIN_INDENT, text);
}

static const char *kind_of(const struct badness *b)
{
	return b->memcg ? "memcg" : b->kind_unknown ? "unknown" : "global";
}

/* The reason without its "verdict: " head, which the judgement line already says. */
static const char *reason_body(const struct badness *b)
{
	const char *p = strstr(b->reason, ": ");

	return p ? p + 2 : b->reason;
}

static void put_ranking(FILE *out, const struct badness *b)
{
	int i, n = b->nrows < EXPLAIN_TOP ? b->nrows : EXPLAIN_TOP, excluded = 0, bounds = 0;
	char legend[512];

	fprintf(out, "\n    %7s %6s  %-16s %11s %9s %8s %6s %5s %10s %6s\n", "pid", "uid", "name",
		"points", "rss", "swap", "pgtbl", "adj", "adj pages", "score");
	for (i = 0; i < n; i++) {
		const struct badness_row *r = &b->rows[i];
		int adj = r->task->oom_score_adj;
		char points[24], adjp[24], score[24];

		/* with totalpages only bounded, an adj term is a bound too */
		if (!r->eligible)
			snprintf(points, sizeof(points), "-");
		else if (!b->totalpages_known && adj)
			snprintf(points, sizeof(points), "%s%lld", adj > 0 ? ">=" : "<=",
				 r->points);
		else
			snprintf(points, sizeof(points), "%lld", r->points);
		if (!b->totalpages_known && adj)
			snprintf(adjp, sizeof(adjp), "?");
		else
			snprintf(adjp, sizeof(adjp), "%lld", r->adj_pages);
		if (r->has_oom_score)
			snprintf(score, sizeof(score), "%lld", r->oom_score);
		else
			snprintf(score, sizeof(score), "-");
		excluded += !r->eligible;
		bounds += r->eligible && !b->totalpages_known && adj;
		fprintf(out, "  %c %7d %6d  %-16.16s %11s %9lu %8lu %6lld %5d %10s %6s\n",
			r == b->victim_row ? '*' : !r->eligible ? 'x' : ' ', r->task->pid,
			r->task->uid, r->task->name, points, r->task->rss, r->task->swapents,
			r->pt_pages, adj, adjp, score);
	}
	if (b->nrows > n)
		fprintf(out, "    ... and %d more task%s\n", b->nrows - n,
			b->nrows - n == 1 ? "" : "s");
	legend[0] = '\0';
	if (b->victim_row)
		cat(legend, sizeof(legend), "* the task judged; ");
	if (excluded)
		cat(legend, sizeof(legend), "x excluded from the scan; ");
	if (bounds)
		cat(legend, sizeof(legend), ">= and <= count oom_score_adj at totalpages %lld, "
		    "the least the report allows; ", b->totalpages);
	if (b->totalpages_known)
		cat(legend, sizeof(legend), "score: the %s oom_score formula on totalpages %lld",
		    b->gen == OOM_GEN_C ? "5.9+" : "pre-5.9", b->totalpages);
	else
		cat(legend, sizeof(legend), "no score without totalpages");
	put_text(out, "    ", 4, legend);
}

static void put_event_text(FILE *out, const struct oom_log *log, int i, const struct badness *b)
{
	const struct oom_event *ev = &log->events[i];
	const char *panic = badness_event_panic(log, i);
	char buf[1024];
	int k;

	fprintf(out, "%sOOM event %d of %d, line %d", i ? "\n" : "", i + 1, log->nevents, ev->line);
	/* a log of one boot says nothing of boots */
	if (log->events[log->nevents - 1].boot > 1 || ev->boot_id[0])
		fprintf(out, ", boot %d%s%s%s", ev->boot, ev->boot_id[0] ? " (" : "", ev->boot_id,
			ev->boot_id[0] ? ")" : "");
	if (ev->time[0])
		fprintf(out, ", at %s", ev->time);
	fputc('\n', out);

	if (ev->has_header) {
		snprintf(buf, sizeof(buf), "%s", ev->invoker);
		if (ev->invoker_pid)
			cat(buf, sizeof(buf), " (pid %d)", ev->invoker_pid);
		cat(buf, sizeof(buf), ", order %d, %s", ev->order,
		    ev->gfp_flags[0] ? ev->gfp_flags : "gfp_mask");
		if (ev->has_invoker_adj)
			cat(buf, sizeof(buf), ", oom_score_adj %d", ev->invoker_adj);
		put_wrapped(out, "invoker", buf);
	} else {
		put_wrapped(out, "invoker", "not in the log (the header was rate-limited or cut)");
	}
	snprintf(buf, sizeof(buf), "%s, %s%s", kind_of(b), b->constraint,
		 b->constraint_inferred ? " (inferred: no summary line)" : "");
	if (ev->oom_memcg[0])
		cat(buf, sizeof(buf), ", memcg %s", ev->oom_memcg);
	put_wrapped(out, "kind", buf);
	snprintf(buf, sizeof(buf), "generation %s, %s", oom_gen_name(b->gen), b->gen_why);
	put_wrapped(out, "kernel", buf);
	if (b->totalpages_known)
		snprintf(buf, sizeof(buf), "%lld: %s", b->totalpages, b->totalpages_why);
	else if (b->totalpages_max >= (1LL << 50))
		snprintf(buf, sizeof(buf), "unknown, at least %lld: %s", b->totalpages,
			 b->totalpages_why);
	else
		snprintf(buf, sizeof(buf), "between %lld and %lld: %s", b->totalpages,
			 b->totalpages_max, b->totalpages_why);
	put_wrapped(out, "totalpages", buf);

	if (b->victim_pid && b->victim && b->victim->pid != b->victim_pid) {
		/* the task judged is not the process that died: a child, another thread */
		snprintf(buf, sizeof(buf), "%s (pid %d)", b->victim_comm[0] ? b->victim_comm : "?",
			 b->victim_pid);
		if (ev->has_selected && ev->selected_pid == b->victim_pid)
			cat(buf, sizeof(buf), " at line %d", ev->selected_line);
		put_wrapped(out, "chosen", buf);
		snprintf(buf, sizeof(buf), "%s (pid %d), killed in its place at line %d",
			 b->victim->comm, b->victim->pid, b->victim->line);
		put_wrapped(out, "victim", buf);
	} else if (b->victim_pid) {
		snprintf(buf, sizeof(buf), "%s (pid %d)", b->victim_comm[0] ? b->victim_comm : "?",
			 b->victim_pid);
		if (b->victim)
			cat(buf, sizeof(buf), ", killed at line %d", b->victim->line);
		else if (ev->nexiting)
			cat(buf, sizeof(buf), ", already exiting (line %d)", ev->exiting_line);
		put_wrapped(out, "victim", buf);
	} else {
		put_wrapped(out, "victim", "none");
	}
	for (k = 0; k < ev->nkills; k++) {
		if (&ev->kills[k] == b->victim)
			continue;
		snprintf(buf, sizeof(buf), "%s (pid %d) at line %d%s", ev->kills[k].comm,
			 ev->kills[k].pid, ev->kills[k].line,
			 ev->group_kill ? ", with its memory.oom.group" : "");
		put_wrapped(out, "also killed", buf);
	}
	if (panic)
		put_wrapped(out, "panic", panic);
	put_wrapped(out, "judgement", badness_verdict_name(b->verdict));
	put_wrapped(out, "why", reason_body(b));
	if (b->nrows)
		put_ranking(out, b);
}

/* --- JSON --- */

/*
 * A JSON string of s, which a log may fill with any bytes: those that are not UTF-8 become
 * \xNN as in run.json (jsontext.h). Only a lack of memory makes jansson refuse it.
 */
static json_t *jstr(const char *s)
{
	json_t *j = jsontext(s);

	if (!j)
		die("out of memory encoding JSON");
	return j;
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? jstr(s) : json_null();
}

static json_t *ranking_json(const struct badness *b)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < b->nrows; i++) {
		const struct badness_row *r = &b->rows[i];
		json_t *o = json_object();

		json_object_set_new(o, "pid", json_integer(r->task->pid));
		json_object_set_new(o, "tgid", json_integer(r->task->tgid));
		json_object_set_new(o, "uid", json_integer(r->task->uid));
		json_object_set_new(o, "comm", jstr(r->task->name));
		json_object_set_new(o, "points", r->eligible ? json_integer(r->points) :
				    json_null());
		json_object_set_new(o, "oom_score", r->has_oom_score ? json_integer(r->oom_score) :
				    json_null());
		json_object_set_new(o, "rss", json_integer((json_int_t)r->task->rss));
		json_object_set_new(o, "swapents", json_integer((json_int_t)r->task->swapents));
		json_object_set_new(o, "pgtables_pages", json_integer(r->pt_pages));
		json_object_set_new(o, "oom_score_adj", json_integer(r->task->oom_score_adj));
		json_object_set_new(o, "adj_pages", json_integer(r->adj_pages));
		json_object_set_new(o, "cap_sys_admin_discount", json_integer(r->bonus_pages));
		json_object_set_new(o, "eligible", json_boolean(r->eligible));
		json_object_set_new(o, "excluded", jstr_or_null(r->excluded_why));
		json_object_set_new(o, "victim", json_boolean(r == b->victim_row));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *event_json(const struct oom_log *log, int i, const struct badness *b)
{
	const struct oom_event *ev = &log->events[i];
	json_t *o = json_object(), *kills = json_array(), *gens = json_array(), *j;
	char buf[32];
	int g, k;

	json_object_set_new(o, "line", json_integer(ev->line));
	json_object_set_new(o, "boot", json_integer(ev->boot));
	json_object_set_new(o, "boot_id", jstr_or_null(ev->boot_id));
	json_object_set_new(o, "time", jstr_or_null(ev->time));
	json_object_set_new(o, "uptime", ev->uptime >= 0 ? json_real(ev->uptime) : json_null());
	json_object_set_new(o, "kind", json_string(kind_of(b)));
	json_object_set_new(o, "constraint", jstr(b->constraint));
	json_object_set_new(o, "constraint_inferred", json_boolean(b->constraint_inferred));
	if (ev->has_header) {
		j = json_object();
		json_object_set_new(j, "comm", jstr(ev->invoker));
		json_object_set_new(j, "pid", ev->invoker_pid ? json_integer(ev->invoker_pid) :
				    json_null());
		json_object_set_new(j, "oom_score_adj", ev->has_invoker_adj ?
				    json_integer(ev->invoker_adj) : json_null());
		snprintf(buf, sizeof(buf), "%#lx", ev->gfp_mask);
		json_object_set_new(j, "gfp_mask", json_string(buf));
		json_object_set_new(j, "gfp_flags", jstr_or_null(ev->gfp_flags));
		json_object_set_new(j, "order", json_integer(ev->order));
		json_object_set_new(o, "invoker", j);
	} else {
		json_object_set_new(o, "invoker", json_null());
	}
	json_object_set_new(o, "memcg", jstr_or_null(ev->oom_memcg));
	json_object_set_new(o, "generation", json_string(oom_gen_name(b->gen)));
	for (g = OOM_GEN_A; g <= OOM_GEN_OLD; g++)
		if (b->gen_mask & OOM_GEN_BIT(g))
			json_array_append_new(gens, json_string(oom_gen_name((enum oom_gen)g)));
	json_object_set_new(o, "generations", gens);
	json_object_set_new(o, "generation_why", jstr(b->gen_why));
	json_object_set_new(o, "totalpages", b->totalpages_known ? json_integer(b->totalpages) :
			    json_null());
	json_object_set_new(o, "totalpages_range", json_pack("[I, o]", (json_int_t)b->totalpages,
			    b->totalpages_max >= (1LL << 50) ? json_null() :
			    json_integer(b->totalpages_max)));
	json_object_set_new(o, "totalpages_why", jstr(b->totalpages_why));
	/* victim: the process that died; chosen: the task judged, when another */
	if (b->victim) {
		json_object_set_new(o, "victim", json_pack("{s:i, s:o, s:i}", "pid",
				    b->victim->pid, "comm", jstr(b->victim->comm), "line",
				    b->victim->line));
	} else if (ev->nexiting && b->victim_pid == ev->exiting_pid) {
		json_object_set_new(o, "victim", json_pack("{s:i, s:o, s:i}", "pid",
				    ev->exiting_pid, "comm", jstr(ev->exiting_comm), "line",
				    ev->exiting_line));
	} else {
		json_object_set_new(o, "victim", json_null());
	}
	if (b->victim_pid && (!b->victim || b->victim->pid != b->victim_pid)) {
		j = json_object();
		json_object_set_new(j, "pid", json_integer(b->victim_pid));
		json_object_set_new(j, "comm", jstr_or_null(b->victim_comm));
		json_object_set_new(j, "line", ev->has_selected && ev->selected_pid ==
				    b->victim_pid ? json_integer(ev->selected_line) : json_null());
		json_object_set_new(o, "chosen", j);
	} else {
		json_object_set_new(o, "chosen", json_null());
	}
	for (k = 0; k < ev->nkills; k++) {
		const struct oom_kill *kl = &ev->kills[k];

		json_array_append_new(kills, json_pack("{s:i, s:o, s:i, s:b}", "pid", kl->pid,
						       "comm", jstr(kl->comm), "line", kl->line,
						       "allocating", kl->allocating));
	}
	json_object_set_new(o, "killed", kills);
	json_object_set_new(o, "group_kill", ev->group_kill ? jstr(ev->group_path[0] ?
			    ev->group_path : "?") : json_null());
	json_object_set_new(o, "judgement", json_string(badness_verdict_name(b->verdict)));
	json_object_set_new(o, "reason", jstr(reason_body(b)));
	json_object_set_new(o, "margin", b->winner && b->victim_row && b->verdict !=
			    BADNESS_POLICY ? json_integer(b->margin) : json_null());
	json_object_set_new(o, "tolerance", b->tolerance ? json_integer(b->tolerance) :
			    json_null());
	json_object_set_new(o, "ranking", ranking_json(b));
	json_object_set_new(o, "panic", jstr_or_null(badness_event_panic(log, i)));
	return o;
}

/* --- the command --- */

/*
 * One event of the "events" array, written as json_dumpf() would write it inside the whole
 * document (two levels deep: four spaces more on every line after the first), so that each
 * event is printed and freed as it is judged rather than all held for one dump at the end.
 */
static int put_event_json(FILE *out, json_t *ev, int first)
{
	char *text = json_dumps(ev, JSON_INDENT(2)), *p, *nl;

	json_decref(ev);
	if (!text)
		return -1;
	fputs(first ? "\n    " : ",\n    ", out);
	for (p = text; (nl = strchr(p, '\n')); p = nl + 1) {
		fwrite(p, 1, (size_t)(nl + 1 - p), out);
		fputs("    ", out);
	}
	fputs(p, out);
	free(text);
	return 0;
}

/*
 * Judging and printing cost about half what parsing does, so they are done beside it: once the
 * parser has moved past an event, a thread of its own judges and prints it (JSON only: text
 * says "event i of n" and needs the whole log first). That thread reads a view of the final
 * events, copied while the parser is held, so that the parser may move its array meanwhile;
 * the tasks and kills the copies point to are never touched again. When the parse is done,
 * the events not yet judged are shared by two threads, a batch of events each at a time, and
 * each batch's text is written in the events' order. Badness keeps no state between calls,
 * and jansson's objects are each a thread's own once its hash seed is set (json_object_seed()).
 */
#define EXPLAIN_BATCH 64

struct explainer {
	FILE *out;
	const char *source;
	int json;
	int tally[BADNESS_POLICY + 1];
	int judged; /* events printed */
	int err;

	/* the thread beside the parser, and what it shares with it under lock */
	pthread_mutex_t lock;
	pthread_cond_t more;  /* more final events, or stop */
	pthread_cond_t moved; /* more events printed */
	pthread_t thread;
	int started, stop, headed;
	struct oom_log *log;       /* the parser's: touched only while the parser is held */
	int emptied;               /* its events whose task tables were freed */
	int nfinal;                /* its events that will not change */
	struct oom_log view;       /* the thread's copy of them */
	size_t view_alloc;
};

struct batch {
	const struct oom_log *log;
	int from, to, json;
	int tally[BADNESS_POLICY + 1];
	char *text;
	size_t len;
	int err;
};

/* Judges events [from, to) of log and prints them to out, counting their verdicts; -1 on failure */
static int put_events(FILE *out, const struct oom_log *log, int from, int to, int json,
		      int *tally)
{
	int i, err = 0;

	for (i = from; i < to && !err; i++) {
		struct badness b;

		if (badness_judge_in_log(log, i, NULL, &b) < 0)
			return -1;
		tally[b.verdict]++;
		if (json)
			err = put_event_json(out, event_json(log, i, &b), !i);
		else
			put_event_text(out, log, i, &b);
		badness_release(&b);
	}
	return err;
}

/* A batch of the events left when the parse ended, into memory, on a thread of its own */
static void *explain_batch(void *arg)
{
	struct batch *bt = arg;
	FILE *out = open_memstream(&bt->text, &bt->len);

	if (!out) {
		bt->err = 1;
		return NULL;
	}
	bt->err = put_events(out, bt->log, bt->from, bt->to, bt->json, bt->tally) < 0;
	if (fclose(out))
		bt->err = 1;
	return NULL;
}

/* Writes a batch's text and counts its verdicts; nonzero when it failed. */
static int batch_put(struct explainer *ex, struct batch *bt)
{
	int v;

	if (bt->len)
		fwrite(bt->text, 1, bt->len, ex->out);
	free(bt->text);
	for (v = 0; v <= BADNESS_POLICY; v++)
		ex->tally[v] += bt->tally[v];
	return bt->err;
}

/*
 * The task tables of the events printed are of no more use (later events read only their
 * kills): they are freed, from the parser's log and from the view, the parser held.
 */
static void empty_printed(struct explainer *ex, struct oom_log *log)
{
	for (; ex->emptied < ex->judged; ex->emptied++) {
		free(log->events[ex->emptied].tasks);
		log->events[ex->emptied].tasks = ex->view.events[ex->emptied].tasks = NULL;
		log->events[ex->emptied].ntasks = ex->view.events[ex->emptied].ntasks = 0;
	}
}

/*
 * Copies the parser's new final events into the view, the parser held (and empties those
 * printed meanwhile). The first panic is
 * copied once it is known to come before the first event not yet final: it can then belong to
 * no event but one of those (badness_event_panic()).
 */
static int view_take(struct explainer *ex)
{
	const struct oom_log *log = ex->log;
	struct oom_log *v = &ex->view;
	size_t need = (size_t)ex->nfinal;

	empty_printed(ex, ex->log);
	if (need > ex->view_alloc) {
		size_t n = ex->view_alloc ? ex->view_alloc : 64;
		void *p;

		while (n < need)
			n *= 2;
		p = realloc(v->events, n * sizeof(*v->events));
		if (!p)
			return -1;
		v->events = p;
		ex->view_alloc = n;
	}
	memcpy(v->events + v->nevents, log->events + v->nevents,
	       (size_t)(ex->nfinal - v->nevents) * sizeof(*v->events));
	v->nevents = ex->nfinal;
	if (log->has_panic && !v->has_panic &&
	    (ex->nfinal == log->nevents || log->panic_line < log->events[ex->nfinal].line)) {
		v->has_panic = 1;
		memcpy(v->panic, log->panic, sizeof(v->panic));
		v->panic_line = log->panic_line;
	}
	return 0;
}

/*
 * The thread beside the parser: judges and prints the final events in order, a batch at a time,
 * straight to the output, which is its own until it stops.
 */
static void *explain_beside(void *arg)
{
	struct explainer *ex = arg;
	int from, to;

	pthread_mutex_lock(&ex->lock);
	for (;;) {
		while (!ex->stop && ex->judged == ex->nfinal)
			pthread_cond_wait(&ex->more, &ex->lock);
		if (ex->stop)
			break;
		if (ex->view.nevents < ex->nfinal && view_take(ex) < 0) {
			ex->err = 1;
			break;
		}
		pthread_mutex_unlock(&ex->lock);
		from = ex->judged;
		to = from + EXPLAIN_BATCH < ex->view.nevents ? from + EXPLAIN_BATCH :
			ex->view.nevents;
		if (put_events(ex->out, &ex->view, from, to, 1, ex->tally) < 0)
			ex->err = 1;
		pthread_mutex_lock(&ex->lock);
		ex->judged = to;
		pthread_cond_broadcast(&ex->moved);
		if (ex->err)
			break;
	}
	ex->stop = 1;
	pthread_cond_broadcast(&ex->moved);
	pthread_mutex_unlock(&ex->lock);
	return NULL;
}

struct explainer *explainer_new(FILE *out, const char *source, int json)
{
	struct explainer *ex = calloc(1, sizeof(*ex));

	if (!ex)
		return NULL;
	ex->out = out;
	ex->source = source;
	ex->json = json;
	pthread_mutex_init(&ex->lock, NULL);
	pthread_cond_init(&ex->more, NULL);
	pthread_cond_init(&ex->moved, NULL);
	return ex;
}

/* JSON's head, before the first event: nothing is printed for an input that cannot be read */
static int put_head(struct explainer *ex)
{
	json_t *src;
	char *text;

	if (!ex->json || ex->headed)
		return 0;
	src = jstr(ex->source);
	text = json_dumps(src, JSON_ENCODE_ANY);
	json_decref(src);
	if (!text)
		return -1;
	fprintf(ex->out, "{\n  \"source\": %s,\n  \"events\": [", text);
	free(text);
	json_object_seed(0);
	ex->headed = 1;
	return 0;
}

void explainer_hold(struct explainer *ex)
{
	if (ex->started)
		pthread_mutex_lock(&ex->lock);
}

void explainer_let(struct explainer *ex, struct oom_log *log, int nfinal)
{
	if (!ex->json)
		return;
	if (!ex->started) {
		/* without a thread to be had, all is judged at the end */
		if (!nfinal || put_head(ex) < 0 ||
		    pthread_create(&ex->thread, NULL, explain_beside, ex))
			return;
		ex->started = 1;
		pthread_mutex_lock(&ex->lock);
	}
	ex->log = log;
	ex->nfinal = nfinal;
	pthread_cond_signal(&ex->more);
	pthread_mutex_unlock(&ex->lock);
}

int explainer_sync(struct explainer *ex)
{
	int n;

	if (!ex->started)
		return ex->judged;
	pthread_mutex_lock(&ex->lock);
	while (!ex->stop && ex->judged < ex->nfinal)
		pthread_cond_wait(&ex->moved, &ex->lock);
	n = ex->judged;
	pthread_mutex_unlock(&ex->lock);
	return n;
}

/* Stops the thread beside the parser after the batch it is printing, if it runs. */
static void stop_beside(struct explainer *ex)
{
	if (!ex->started)
		return;
	pthread_mutex_lock(&ex->lock);
	ex->stop = 1;
	pthread_cond_signal(&ex->more);
	pthread_mutex_unlock(&ex->lock);
	pthread_join(ex->thread, NULL);
	ex->started = 0;
}

void explainer_free(struct explainer *ex)
{
	if (!ex)
		return;
	stop_beside(ex);
	pthread_mutex_destroy(&ex->lock);
	pthread_cond_destroy(&ex->more);
	pthread_cond_destroy(&ex->moved);
	free(ex->view.events);
	free(ex);
}

/* Prints the events not printed yet, and the end; frees the explainer, stopped. */
static int print_rest(struct explainer *ex, const struct oom_log *log)
{
	int i, k, n = log->nevents, err = ex->err || put_head(ex) < 0;

	for (i = ex->judged; i < n && !err; i += 2 * EXPLAIN_BATCH) {
		struct batch bt[2];
		pthread_t helper;
		int helped;

		for (k = 0; k < 2; k++) {
			memset(&bt[k], 0, sizeof(bt[k]));
			bt[k].log = log;
			bt[k].json = ex->json;
			bt[k].from = i + k * EXPLAIN_BATCH;
			bt[k].to = bt[k].from + EXPLAIN_BATCH;
			if (bt[k].to > n)
				bt[k].to = n;
			if (bt[k].from > bt[k].to)
				bt[k].from = bt[k].to;
		}
		/* without a thread to be had, this one does both */
		helped = bt[1].from < bt[1].to && !pthread_create(&helper, NULL, explain_batch, &bt[1]);
		explain_batch(&bt[0]);
		if (helped)
			pthread_join(helper, NULL);
		else
			explain_batch(&bt[1]);
		err |= batch_put(ex, &bt[0]);
		err |= batch_put(ex, &bt[1]);
	}
	if (!err && ex->json) {
		fputs(n ? "\n  ]\n}\n" : "]\n}\n", ex->out);
	} else if (!err && n) {
		fprintf(ex->out, "\n%d OOM event%s:", n, n == 1 ? "" : "s");
		for (i = 0; i <= BADNESS_POLICY; i++)
			if (ex->tally[i])
				fprintf(ex->out, " %d %s", ex->tally[i],
					badness_verdict_name((enum badness_verdict)i));
		fputc('\n', ex->out);
	} else if (!err) {
		fprintf(ex->out, "no OOM report in '%s'\n", ex->source);
	}
	explainer_free(ex);
	return err ? -1 : n;
}

int explainer_end(struct explainer *ex, struct oom_log *log)
{
	stop_beside(ex);
	empty_printed(ex, log);
	return print_rest(ex, log);
}

int explain_print(FILE *out, const struct oom_log *log, const char *source, int json)
{
	struct explainer *ex = explainer_new(out, source, json);

	return ex ? print_rest(ex, log) : -1;
}
