// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_oomreport.c - libFuzzer target: oomreport_parse() on any bytes, checks it, judges it,
 * and reads the same bytes streamed in pieces to the same log.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "observe/oomreport.h"
#include "oracles/badness.h"

/* Every string field must end inside its array, every count must match what is there. */
static void check_event(const struct oom_event *ev)
{
	int i;

	if (memchr(ev->invoker, 0, sizeof(ev->invoker)) == NULL ||
	    memchr(ev->gfp_flags, 0, sizeof(ev->gfp_flags)) == NULL ||
	    memchr(ev->oom_memcg, 0, sizeof(ev->oom_memcg)) == NULL ||
	    memchr(ev->task_memcg, 0, sizeof(ev->task_memcg)) == NULL ||
	    memchr(ev->group_path, 0, sizeof(ev->group_path)) == NULL ||
	    memchr(ev->time, 0, sizeof(ev->time)) == NULL ||
	    memchr(ev->exiting_comm, 0, sizeof(ev->exiting_comm)) == NULL ||
	    memchr(ev->boot_id, 0, sizeof(ev->boot_id)) == NULL || ev->boot < 1 ||
	    memchr(ev->selected_comm, 0, sizeof(ev->selected_comm)) == NULL || ev->ntasks < 0 ||
	    ev->nkills < 0)
		abort();
	for (i = 0; i < ev->ntasks; i++)
		if (memchr(ev->tasks[i].name, 0, sizeof(ev->tasks[i].name)) == NULL)
			abort();
	for (i = 0; i < ev->nkills; i++)
		if (memchr(ev->kills[i].comm, 0, sizeof(ev->kills[i].comm)) == NULL ||
		    ev->kills[i].line < 1)
			abort();
}

/*
 * The input three times over (past the stream's look-ahead, so that its window moves), read
 * whole and fed in pieces whose sizes the input's first bytes choose: the same lines, events,
 * tables and kills, at the same lines.
 */
static void check_stream(const uint8_t *data, size_t size)
{
	size_t len = 3 * size, at, n, i = 0;
	char *text = malloc(len ? len : 1);
	struct oomreport_stream *st = oomreport_stream_new();
	struct oom_log *whole, *pieced;
	int e, k;

	if (!text || !st)
		abort();
	for (at = 0; at < len; at += size)
		memcpy(text + at, data, size);
	for (at = 0; at < len; at += n) {
		n = size ? 1 + (size_t)data[i++ % size] * 97 : len;
		if (n > len - at)
			n = len - at;
		if (oomreport_stream_feed(st, text + at, n) < 0)
			abort();
	}
	whole = oomreport_parse(text, len);
	pieced = oomreport_stream_end(st);
	if (!whole || !pieced || whole->nlines != pieced->nlines ||
	    whole->nevents != pieced->nevents || whole->has_panic != pieced->has_panic)
		abort();
	for (e = 0; e < whole->nevents; e++) {
		const struct oom_event *a = &whole->events[e], *b = &pieced->events[e];

		if (a->line != b->line || a->ntasks != b->ntasks || a->nkills != b->nkills ||
		    a->trace_memcg != b->trace_memcg || a->has_swap_total != b->has_swap_total)
			abort();
		for (k = 0; k < a->nkills; k++)
			if (a->kills[k].pid != b->kills[k].pid || a->kills[k].line != b->kills[k].line)
				abort();
	}
	oomreport_free(whole);
	oomreport_free(pieced);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oom_log *log = oomreport_parse((const char *)data, size);
	int i;

	if (!log)
		return 0;
	if (log->nevents < 0 || log->nlines < 0 ||
	    memchr(log->panic, 0, sizeof(log->panic)) == NULL)
		abort();
	for (i = 0; i < log->nevents; i++) {
		struct badness b;

		check_event(&log->events[i]);
		/* the oracle's arithmetic on whatever the parser let through (UBSan watches) */
		if (badness_judge_in_log(log, i, NULL, &b) == 0 &&
		    (b.verdict < BADNESS_CONSISTENT || b.verdict > BADNESS_POLICY ||
		     b.totalpages < 1 || b.totalpages_max < b.totalpages ||
		     memchr(b.reason, 0, sizeof(b.reason)) == NULL))
			abort();
		badness_release(&b);
	}
	oomreport_free(log);
	check_stream(data, size);
	return 0;
}
