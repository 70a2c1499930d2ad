/* SPDX-License-Identifier: GPL-2.0-only */
/* ktap.h - a run as KTAP version 1: each scenario a test, its cells its subtests. */
#ifndef OOMLAB_KTAP_H
#define OOMLAB_KTAP_H

#include <jansson.h>

#include "util.h"

enum ktap_outcome { KTAP_PASS, KTAP_FAIL, KTAP_SKIP };

/* The whole document for run (run.json's document): results.ktap. Caller frees. */
char *ktap_text(const json_t *run);

/*
 * The same in parts, for a stream (oomlab run --format ktap), scenario by scenario of the
 * plan (results_plan_values): whether all of a scenario's cells are finished, the version
 * and plan lines, and scenario number n's block: its cells as subtests (those not finished:
 * skipped, "not run: " and why_not_run) and its result line.
 */
int ktap_scenario_done(const json_t *run, const char *scenario);
void ktap_head(struct strbuf *sb, const json_t *run, int nscenarios);
enum ktap_outcome ktap_scenario(struct strbuf *sb, const json_t *run, const char *scenario,
				int n, const char *why_not_run);

#endif
