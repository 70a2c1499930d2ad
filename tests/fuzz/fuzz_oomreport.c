// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_oomreport.c - libFuzzer target: oomreport_parse() on any bytes, checks it, judges it. */

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
	return 0;
}
