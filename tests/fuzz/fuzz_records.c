// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_records.c - libFuzzer target: the agent's records parsed, then attributed, on any bytes. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "observe/attrib.h"
#include "observe/records.h"

/*
 * The records are the guest's word, and a guest under test may write anything: parsing and
 * attributing them must neither crash nor build a task tree that points outside itself.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct observation obs;
	struct attribution a;
	int i;

	memset(&obs, 0, sizeof(obs));
	records_parse((const char *)data, size, &obs);
	attrib_build(&obs, &a);
	for (i = 0; i < a.ntasks; i++) {
		const struct attrib_task *t = &a.tasks[i];

		if (t->parent < -1 || t->parent >= a.ntasks || t->wl < -1 || t->wl >= obs.nwl ||
		    memchr(t->comm, 0, sizeof(t->comm)) == NULL ||
		    memchr(t->sender_comm, 0, sizeof(t->sender_comm)) == NULL)
			abort();
	}
	for (i = 0; i < obs.ntrace; i++)
		attrib_victim(&a, obs.trace[i].pid, i % 3);
	attrib_release(&a);
	observation_release(&obs);
	return 0;
}
