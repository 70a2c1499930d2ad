/* SPDX-License-Identifier: GPL-2.0-only */
/* evictjson.h - run.json's evictor, its evictions and the agent's samples, for one cell. */
#ifndef OOMLAB_EVICTJSON_H
#define OOMLAB_EVICTJSON_H

#include <jansson.h>

#include "oracles/oracle.h"

/* The evictor the cell ran, or JSON null when it ran none. NULL when jansson failed. */
json_t *evictor_json(const struct oracle_ctx *ctx, const char *celldir);
/* The evictor's kills, in time order (oracle.h, struct eviction). NULL when jansson failed. */
json_t *evictions_json(const struct oracle_ctx *ctx);
/* The agent's samples, thinned evenly to at most 150. NULL when jansson failed. */
json_t *samples_json(const struct observation *obs);

#endif
