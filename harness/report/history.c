// SPDX-License-Identifier: GPL-2.0-only
/* history.c - every finished run in one SQLite database, and a cell's outcomes across them. */
#include "report/history.h"

#include <fnmatch.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/jsontext.h"
#include "version.h"

/*
 * The schema is docs/HISTORY.md's. Its version is SQLite's user_version: each migration takes
 * the database from its index to the next, in one transaction, so an older database is
 * brought up to date when it is next opened and a newer one is refused (an older oomlab must
 * not write into what it does not know).
 */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE runs (run_id TEXT PRIMARY KEY, results TEXT NOT NULL, started TEXT,"
	" finished TEXT, interrupted INTEGER NOT NULL, oomlab_version TEXT,"
	" oomlab_commit TEXT);"
	"CREATE TABLE cells (run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
	" cell_id TEXT NOT NULL, cell TEXT NOT NULL, scenario TEXT NOT NULL, params TEXT,"
	" kernel TEXT NOT NULL, kernel_package TEXT, kernel_version TEXT, kernel_release TEXT,"
	" verdict TEXT NOT NULL, ending TEXT, victims TEXT NOT NULL, judgements TEXT NOT NULL,"
	" panic TEXT, enomem TEXT NOT NULL, wall_s REAL, reason TEXT,"
	" PRIMARY KEY (run_id, cell_id));"
	"CREATE INDEX cells_by_cell ON cells (cell, kernel_package);",
};
#define HISTORY_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int fail(sqlite3 *db, const char *path, const char *what)
{
	error("history '%s': %s: %s", path, what, db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

/* Opens (creating) the database at path and brings its schema to HISTORY_VERSION */
static sqlite3 *open_db(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int v;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fail(db, path, "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000); /* two runs ending at once take turns */
	if (sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		fail(db, path, "cannot read its version");
		sqlite3_close(db);
		return NULL;
	}
	v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (v < 0 || v > HISTORY_VERSION) {
		error("history '%s': schema version %d, and this oomlab knows up to %d: a newer "
		      "oomlab wrote it", path, v, HISTORY_VERSION);
		sqlite3_close(db);
		return NULL;
	}
	for (; v < HISTORY_VERSION; v++) {
		char *sql = xasprintf("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
				      migrations[v], v + 1);
		int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

		free(sql);
		if (rc != SQLITE_OK) {
			fail(db, path, "cannot bring its schema up to date");
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			sqlite3_close(db);
			return NULL;
		}
	}
	return db;
}

/* ", "-joined member key of each object of a cell's array (or the strings themselves) */
static char *joined(const json_t *cell, const char *array, const char *obj, const char *key)
{
	struct strbuf sb = STRBUF_INIT;
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(cell, array), i, e) {
		const json_t *o = obj ? json_object_get(e, obj) : e;

		strbuf_addf(&sb, "%s%s", i ? ", " : "", json_is_string(o) ? json_string_value(o) :
			    key ? json_str(o, key) : "");
	}
	return strbuf_detach(&sb);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int history_record(const char *path, const json_t *run, const char *results)
{
	sqlite3 *db = open_db(path);
	sqlite3_stmt *st = NULL;
	const json_t *c, *o = json_object_get(run, "oomlab");
	const char *run_id = json_str(run, "run_id");
	size_t i;
	int bad = 0;

	if (!db)
		return -1;
	/* a run recorded again (--resume) replaces what was recorded of it */
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM runs WHERE run_id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		goto err;
	bind_text(st, 1, run_id);
	bad |= sqlite3_step(st) != SQLITE_DONE;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		goto err;
	bind_text(st, 1, run_id);
	bind_text(st, 2, results);
	bind_text(st, 3, json_str(run, "started"));
	bind_text(st, 4, json_str(run, "finished"));
	sqlite3_bind_int(st, 5, json_is_true(json_object_get(run, "interrupted")));
	bind_text(st, 6, *json_str(o, "version") ? json_str(o, "version") : oomlab_version());
	bind_text(st, 7, json_str(o, "commit"));
	bad |= sqlite3_step(st) != SQLITE_DONE;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			       " ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto err;
	json_array_foreach(json_object_get(run, "cells"), i, c) {
		const char *id = json_str(c, "id"), *slash = strchr(id, '/');
		const json_t *k = json_named(run, "kernels", "tag", json_str(c, "kernel"));
		char *params = json_dumps(json_object_get(c, "params"), JSON_COMPACT | JSON_SORT_KEYS);
		char *victims = joined(c, "kills", NULL, "comm");
		char *judged = joined(c, "kills", "badness", "judgement");
		char *enomem = joined(c, "enomem", NULL, NULL);

		sqlite3_reset(st);
		bind_text(st, 1, run_id);
		bind_text(st, 2, id);
		bind_text(st, 3, slash ? slash + 1 : id);
		bind_text(st, 4, json_str(c, "scenario"));
		bind_text(st, 5, params);
		bind_text(st, 6, json_str(c, "kernel"));
		bind_text(st, 7, json_str(k, "package"));
		bind_text(st, 8, json_str(k, "version"));
		bind_text(st, 9, json_str(k, "release"));
		bind_text(st, 10, json_str(c, "verdict"));
		bind_text(st, 11, json_str(c, "ending"));
		sqlite3_bind_text(st, 12, victims, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 13, judged, -1, SQLITE_TRANSIENT);
		bind_text(st, 14, json_str(c, "panic_message"));
		sqlite3_bind_text(st, 15, enomem, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(st, 16, json_number_value(json_object_get(c, "wall_s")));
		bind_text(st, 17, json_str(c, "reason"));
		bad |= sqlite3_step(st) != SQLITE_DONE;
		free(params);
		free(victims);
		free(judged);
		free(enomem);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (bad || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto err;
	sqlite3_close(db);
	return 0;
err:
	fail(db, path, "cannot record the run");
	sqlite3_finalize(st);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return -1;
}

int history_show(const char *path, const char *glob, FILE *out)
{
	sqlite3 *db = open_db(path);
	sqlite3_stmt *st;
	char last[4096] = "";
	int n = 0;

	if (!db)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT c.cell_id, c.cell, r.run_id, r.started, c.kernel,"
			       " c.kernel_package, c.kernel_version, c.verdict, c.victims,"
			       " c.judgements, c.panic, c.enomem, c.wall_s, r.oomlab_version,"
			       " r.oomlab_commit FROM cells c JOIN runs r USING (run_id)"
			       " ORDER BY c.cell, r.started, c.kernel", -1, &st, NULL) != SQLITE_OK) {
		fail(db, path, "cannot read it");
		sqlite3_close(db);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *f[15];
		int k;

		for (k = 0; k < 15; k++) {
			f[k] = (const char *)sqlite3_column_text(st, k);
			f[k] = f[k] ? f[k] : "";
		}
		/* the glob takes the whole id or the cell within its kernel */
		if (fnmatch(glob, f[0], 0) && fnmatch(glob, f[1], 0))
			continue;
		/* a cell's rows under its name, oldest run first */
		if (!n || strcmp(last, f[1])) {
			fprintf(out, "%s%s\n", n ? "\n" : "", f[1]);
			snprintf(last, sizeof(last), "%s", f[1]);
		}
		fprintf(out, "  %-17s %-18s %-40s %-20s %s  ", f[2], f[4],
			f[5][0] ? f[5] : "(a user's kernel)", f[6], f[7]);
		if (f[8][0])
			fprintf(out, "killed %s", f[8]);
		else
			fprintf(out, "nothing killed");
		if (f[9][0])
			fprintf(out, " (%s)", f[9]);
		if (f[10][0])
			fprintf(out, "  panic: %s", f[10]);
		if (f[11][0])
			fprintf(out, "  ENOMEM: %s", f[11]);
		fprintf(out, "  %.1fs  oomlab %s (%s)\n", sqlite3_column_double(st, 12), f[13], f[14]);
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

json_t *history_times(const char *path)
{
	json_t *times = json_object();
	sqlite3_stmt *st;
	sqlite3 *db;

	/* no history yet is no error: every cell weighs what its deadline says */
	if (access(path, R_OK) < 0 || !(db = open_db(path)))
		return times;
	if (sqlite3_prepare_v2(db, "SELECT cell_id, AVG(wall_s) FROM cells GROUP BY cell_id",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			json_object_set_new(times, (const char *)sqlite3_column_text(st, 0),
					    json_real(sqlite3_column_double(st, 1)));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return times;
}
