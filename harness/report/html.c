// SPDX-License-Identifier: GPL-2.0-only
/* html.c - a run as static pages: its verdicts per scenario and kernel, a page per cell. */
#include "report/html.h"

#include <math.h>
#include <string.h>

#include "observe/oomreport.h"
#include "oracles/badness.h"
#include "report/jsontext.h"
#include "report/results.h"
#include "util.h"

/*
 * Everything is written from run.json's records (and a cell's kernel log), as static files a
 * browser opens from a CI's artifacts: no script, no style or font fetched, the plots inline
 * SVG drawn here (oomlab's own numbers, a few lines and markers: a plotting library would
 * have to be carried into every report for that). Every text that came from the guest, the
 * kernel or the user goes through put_esc(): HTML's five special characters as entities,
 * control characters as \xNN.
 */

static const char style[] =
	"<style>body{font:14px sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;"
	"padding:2px 6px;text-align:left;vertical-align:top}th{background:#eee}"
	".PASS{background:#c8efc8}.FAIL{background:#f7b5b5}.BROK{background:#e6c3f0}"
	".CONF{background:#f5e7a8}.notrun{background:#ddd;color:#666}"
	"tr.differs td:first-child{outline:3px solid #d35400}"
	"pre{background:#f6f6f6;padding:6px;overflow-x:auto}a{color:#1558b0}"
	".log span{display:block}.log :target{background:#ffe58a}"
	"code{background:#f0f0f0}svg{background:#fff;border:1px solid #ccc}"
	"h1{font-size:1.4em;word-break:break-all}</style>\n";

/* s as HTML text (or a quoted attribute's value) */
static void put_esc(struct strbuf *sb, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&#39;"); break;
		default:
			if (c < 0x20 && c != '\n' && c != '\t')
				strbuf_addf(sb, "\\x%02x", c);
			else
				strbuf_add(sb, s, 1);
		}
	}
}

static void put_head(struct strbuf *sb, const char *title)
{
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		      "<title>");
	put_esc(sb, title);
	strbuf_addf(sb, "</title>\n%s</head><body>\n", style);
}

/* --- the run's page --- */

/* A plan entry's matrix values: its id after "<kernel dir>/<scenario>/", or "" */
static const char *params_of(const json_t *plan)
{
	const char *id = json_str(plan, "id"), *sc = json_str(plan, "scenario"), *p = strchr(id, '/');
	size_t n = strlen(sc);

	if (!p || strncmp(p + 1, sc, n))
		return "";
	p += 1 + n;
	return *p == '/' ? p + 1 : "";
}

/* The key of a grid's cell in put_grid's index of the plan: "<kernel>\t<params>" */
static void grid_key(struct strbuf *key, const char *kernel, const char *params)
{
	strbuf_reset(key);
	strbuf_addf(key, "%s\t%s", kernel, params);
}

static void put_grid(struct strbuf *sb, const json_t *run, const json_t *done, const char *sc,
		     const char **kernels, int nk)
{
	json_t *at = json_object(), *seen = json_object(), *p;
	struct strbuf key = STRBUF_INIT;
	const char **params = NULL;
	size_t i, alloc = 0;
	int np = 0, r, k;

	/* the scenario's rows (its matrix values, in the plan's order) and its cells by key */
	json_array_foreach(json_object_get(run, "plan"), i, p) {
		const char *pv = params_of(p);

		if (strcmp(json_str(p, "scenario"), sc))
			continue;
		grid_key(&key, json_str(p, "kernel"), pv);
		if (!json_object_get(at, key.buf))
			json_object_set(at, key.buf, p);
		if (json_object_get(seen, pv))
			continue;
		json_object_set_new(seen, pv, json_true());
		ALLOC_GROW(params, (size_t)np + 1, alloc);
		params[np++] = pv;
	}
	strbuf_addstr(sb, "<h3 id=\"sc-");
	put_esc(sb, sc);
	strbuf_addstr(sb, "\">");
	put_esc(sb, sc);
	strbuf_addstr(sb, "</h3>\n<table><tr><th>cell</th>");
	for (k = 0; k < nk; k++) {
		strbuf_addstr(sb, "<th>");
		put_esc(sb, kernels[k]);
		strbuf_addstr(sb, "</th>");
	}
	strbuf_addstr(sb, "</tr>\n");
	for (r = 0; r < np; r++) {
		const char *first = NULL;
		int differs = 0;
		struct strbuf row = STRBUF_INIT;

		for (k = 0; k < nk; k++) {
			const json_t *e, *c;
			const char *v;

			grid_key(&key, kernels[k], params[r]);
			e = json_object_get(at, key.buf);
			c = e ? json_object_get(done, json_str(e, "id")) : NULL;
			v = !e ? "" : c ? json_str(c, "verdict") : "not run";

			if (e && first && strcmp(first, v))
				differs = 1;
			if (e && !first)
				first = v;
			if (!e) {
				strbuf_addstr(&row, "<td></td>");
				continue;
			}
			strbuf_addf(&row, "<td class=\"%s\">", c ? v : "notrun");
			if (c) {
				strbuf_addstr(&row, "<a href=\"");
				put_esc(&row, json_str(e, "id"));
				strbuf_addstr(&row, "/index.html\">");
			}
			put_esc(&row, v);
			if (c) {
				strbuf_addstr(&row, "</a> ");
				put_esc(&row, json_str(c, "reason"));
			}
			strbuf_addstr(&row, "</td>");
		}
		strbuf_addf(sb, "<tr%s><td>", differs ? " class=\"differs\"" : "");
		put_esc(sb, *params[r] ? params[r] : "(no matrix)");
		strbuf_addf(sb, "%s</td>%s</tr>\n", differs ? " <b>differs between kernels</b>" : "",
			    row.buf ? row.buf : "");
		strbuf_release(&row);
	}
	strbuf_addstr(sb, "</table>\n");
	strbuf_release(&key);
	json_decref(at);
	json_decref(seen);
	free(params);
}

char *html_index_text(const json_t *run)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *done = results_cells_by_id(run);
	const json_t *k, *o = json_object_get(run, "oomlab"), *p;
	const char **kernels, **scs;
	int nk = results_plan_values(run, "kernel", &kernels);
	int ns = results_plan_values(run, "scenario", &scs);
	int s, kk;
	size_t i;
	char *title = xasprintf("oomlab run %s", json_str(run, "run_id"));

	put_head(&sb, title);
	strbuf_addstr(&sb, "<h1>");
	put_esc(&sb, title);
	strbuf_addstr(&sb, "</h1>\n<p>oomlab ");
	put_esc(&sb, json_str(o, "version"));
	strbuf_addstr(&sb, " (commit ");
	put_esc(&sb, json_str(o, "commit"));
	strbuf_addstr(&sb, "), started ");
	put_esc(&sb, json_str(run, "started"));
	if (*json_str(run, "finished")) {
		strbuf_addstr(&sb, ", finished ");
		put_esc(&sb, json_str(run, "finished"));
	}
	if (json_is_true(json_object_get(run, "interrupted")))
		strbuf_addstr(&sb, ", <b>interrupted</b>");
	strbuf_addstr(&sb, ". Kernels:");
	json_array_foreach(json_object_get(run, "kernels"), i, k) {
		strbuf_addstr(&sb, i ? ", <code>" : " <code>");
		put_esc(&sb, json_str(k, "tag"));
		strbuf_addstr(&sb, "</code> ");
		put_esc(&sb, json_str(k, "release"));
	}
	strbuf_addstr(&sb, ". Also as <a href=\"run.json\">run.json</a>, <a href=\"results.ktap\">"
		      "KTAP</a> and <a href=\"junit.xml\">JUnit</a>.</p>\n");

	/* the counts per scenario and kernel */
	strbuf_addstr(&sb, "<h2>Verdicts</h2>\n<table><tr><th>scenario</th>");
	for (kk = 0; kk < nk; kk++) {
		strbuf_addstr(&sb, "<th>");
		put_esc(&sb, kernels[kk]);
		strbuf_addstr(&sb, "</th>");
	}
	strbuf_addstr(&sb, "</tr>\n");
	for (s = 0; s < ns; s++) {
		strbuf_addstr(&sb, "<tr><td><a href=\"#sc-");
		put_esc(&sb, scs[s]);
		strbuf_addstr(&sb, "\">");
		put_esc(&sb, scs[s]);
		strbuf_addstr(&sb, "</a></td>");
		for (kk = 0; kk < nk; kk++) {
			int n[5] = { 0 };
			static const char *const names[] = { "PASS", "FAIL", "BROK", "CONF",
							     "not run" };

			json_array_foreach(json_object_get(run, "plan"), i, p) {
				const json_t *c;
				int v;

				if (strcmp(json_str(p, "scenario"), scs[s]) ||
				    strcmp(json_str(p, "kernel"), kernels[kk]))
					continue;
				c = json_object_get(done, json_str(p, "id"));
				for (v = 0; v < 4 && (!c || strcmp(json_str(c, "verdict"), names[v])); v++)
					;
				n[v]++;
			}
			strbuf_addf(&sb, "<td class=\"%s\">", n[1] ? "FAIL" : n[2] ? "BROK" :
				    n[0] ? "PASS" : n[3] ? "CONF" : "notrun");
			for (int v = 0; v < 5; v++)
				if (n[v])
					strbuf_addf(&sb, "%d %s ", n[v], names[v]);
			strbuf_addstr(&sb, "</td>");
		}
		strbuf_addstr(&sb, "</tr>\n");
	}
	strbuf_addstr(&sb, "</table>\n<h2>Cells</h2>\n<p>A row outlined differs between "
		      "kernels.</p>\n");
	for (s = 0; s < ns; s++)
		put_grid(&sb, run, done, scs[s], kernels, nk);
	strbuf_addstr(&sb, "</body></html>\n");
	free(title);
	free(kernels);
	free(scs);
	json_decref(done);
	return strbuf_detach(&sb);
}

/* --- a cell's page --- */

#define W 900
#define H 320
#define L 70 /* left margin: the axis */
#define B 40 /* bottom margin */
static const char *const palette[] = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b",
				       "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#ff7f0e" };

struct series {
	char key[160];  /* the sample's key */
	char name[192]; /* its legend */
	double scale;   /* to kB */
	int dashed;
};

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/*
 * The series the samples hold: MemAvailable, SwapFree, what each workload holds (rss in
 * earlyoom's cells), each group's
 */
static int find_series(const json_t *samples, struct series **out)
{
	struct series *v = NULL;
	const json_t *smp;
	const char *key;
	json_t *val;
	size_t i;
	int n = 0, k;

	json_array_foreach(samples, i, smp) {
		json_object_foreach((json_t *)smp, key, val) {
			const char *name = NULL;
			double scale = 1;
			int dashed = 0;

			if (!strcmp(key, "avail_kb")) {
				name = "MemAvailable";
			} else if (!strcmp(key, "swapfree_kb")) {
				name = "SwapFree";
				dashed = 1;
			} else if (!strncmp(key, "rss.", 4) || !strncmp(key, "held.", 5)) {
				name = strchr(key, '.') + 1;
			} else if (!strncmp(key, "cur.", 4) || !strncmp(key, "swap.", 5)) {
				name = key;
				scale = 1.0 / 1024;
				dashed = 1;
			}
			if (!name)
				continue;
			for (k = 0; k < n && strcmp(v[k].key, key); k++)
				;
			if (k < n)
				continue;
			v = xrealloc(v, sizeof(*v) * (size_t)(n + 1));
			snprintf(v[n].key, sizeof(v[n].key), "%s", key);
			snprintf(v[n].name, sizeof(v[n].name), "%s%s", name,
				 !strncmp(key, "rss.", 4) ? " rss" : !strncmp(key, "held.", 5) ?
				 " held" : !strncmp(key, "cur.", 4) ?
				 " (memory.current)" : "");
			v[n].scale = scale;
			v[n].dashed = dashed;
			n++;
		}
	}
	*out = v;
	return n;
}

struct marker {
	double t;
	const char *what; /* "killed", "evicted", "ENOMEM", "panic" */
	const char *who;
};

static void add_marker(struct marker **m, int *n, double t, const char *what, const char *who)
{
	if (!(t > 0))
		return;
	*m = xrealloc(*m, sizeof(**m) * (size_t)(*n + 1));
	(*m)[(*n)++] = (struct marker){ t, what, who };
}

static void put_timeline(struct strbuf *sb, const json_t *cell)
{
	const json_t *lims = json_object_get(cell, "limits"), *lim;
	const json_t *samples = json_object_get(cell, "samples"), *smp, *d;
	struct series *sv;
	struct marker *mk = NULL;
	int ns = find_series(samples, &sv), nm = 0, k, first;
	double t0 = INFINITY, t1 = -INFINITY, ymax = 0;
	size_t i;

	if (!json_array_size(samples) || !ns) {
		strbuf_addstr(sb, "<p>No samples: the guest's agent recorded none.</p>\n");
		free(sv);
		return;
	}
	json_array_foreach(samples, i, smp) {
		t0 = fmin(t0, num(smp, "t_ms"));
		t1 = fmax(t1, num(smp, "t_ms"));
		for (k = 0; k < ns; k++)
			if (!isnan(num(smp, sv[k].key)))
				ymax = fmax(ymax, num(smp, sv[k].key) * sv[k].scale);
	}
	ymax = fmax(ymax, num(json_object_get(cell, "meminfo"), "total_kb"));
	json_array_foreach(lims, i, lim)
		ymax = fmax(ymax, num(lim, "bytes") / 1024);
	json_array_foreach(json_object_get(cell, "deaths"), i, d)
		if (!strncmp(json_str(d, "by"), "kernel-", 7) && strcmp(json_str(d, "by"), "kernel-signal"))
			add_marker(&mk, &nm, num(d, "t_ms"), "killed", json_str(d, "comm"));
	json_array_foreach(json_object_get(cell, "evictions"), i, d)
		add_marker(&mk, &nm, num(d, "t_ms"), "evicted", json_str(d, "comm"));
	json_array_foreach(json_object_get(cell, "workloads"), i, d)
		add_marker(&mk, &nm, num(d, "enomem_ms"), "ENOMEM", json_str(d, "name"));
	if (!strcmp(json_str(cell, "ending"), "panic"))
		add_marker(&mk, &nm, t1, "panic", "");
	for (k = 0; k < nm; k++)
		t1 = fmax(t1, mk[k].t);
	if (t1 <= t0)
		t1 = t0 + 1;
	if (ymax <= 0)
		ymax = 1;
#define X(t) (L + ((t) - t0) / (t1 - t0) * (W - L - 10))
#define Y(kb) (H - B - (kb) / ymax * (H - B - 10))
	strbuf_addf(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		    "role=\"img\" aria-label=\"memory over time\">\n", W, H);
	/* the axes, MiB up and seconds across */
	strbuf_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
		    "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
		    L, H - B, W - 10, H - B, L, L, H - B);
	for (k = 0; k <= 4; k++) {
		double kb = ymax * k / 4, t = t0 + (t1 - t0) * k / 4;

		strbuf_addf(sb, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">"
			    "%.0f MiB</text>", L - 4, Y(kb) + 4, kb / 1024);
		strbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">"
			    "%.1f s</text>\n", X(t), H - B + 16, t / 1000);
	}
	for (k = 0; k < ns; k++) {
		strbuf_addf(sb, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s "
			    "points=\"", palette[k % 10], sv[k].dashed ?
			    " stroke-dasharray=\"5,3\"" : "");
		first = 1;
		json_array_foreach(samples, i, smp) {
			double v = num(smp, sv[k].key);

			if (isnan(v))
				continue;
			strbuf_addf(sb, "%s%.1f,%.1f", first ? "" : " ", X(num(smp, "t_ms")),
				    Y(v * sv[k].scale));
			first = 0;
		}
		strbuf_addstr(sb, "\"><title>");
		put_esc(sb, sv[k].name);
		strbuf_addstr(sb, "</title></polyline>\n");
	}
	json_array_foreach(lims, i, lim) {
		double y = Y(num(lim, "bytes") / 1024);

		strbuf_addf(sb, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c0392b\" "
			    "stroke-dasharray=\"2,3\"/><text x=\"%d\" y=\"%.1f\" font-size=\"11\" "
			    "fill=\"#c0392b\">", L, W - 10, y, y, L + 4, y - 3);
		put_esc(sb, json_str(lim, "group"));
		strbuf_addstr(sb, " ");
		put_esc(sb, json_str(lim, "knob"));
		strbuf_addstr(sb, "</text>\n");
	}
	for (k = 0; k < nm; k++) {
		/* the label runs down beside its line, a third lower than the one before */
		int ly = 12 + (k % 3) * (H - B) / 3;

		strbuf_addf(sb, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"10\" y2=\"%d\" stroke=\"#000\" "
			    "stroke-width=\"1\"/><text x=\"%.1f\" y=\"%d\" font-size=\"11\" "
			    "transform=\"rotate(90 %.1f %d)\" class=\"marker\">", X(mk[k].t),
			    X(mk[k].t), H - B, X(mk[k].t) + 3, ly, X(mk[k].t) + 3, ly);
		strbuf_addf(sb, "%s ", mk[k].what);
		put_esc(sb, mk[k].who);
		strbuf_addstr(sb, "</text>\n");
	}
	strbuf_addstr(sb, "</svg>\n<p>");
	for (k = 0; k < ns; k++) {
		strbuf_addf(sb, "<span style=\"color:%s\">&#9632; ", palette[k % 10]);
		put_esc(sb, sv[k].name);
		strbuf_addstr(sb, "</span> &nbsp; ");
	}
	strbuf_addstr(sb, "(dashed: SwapFree and the groups' own counters; a red dotted line is a "
		      "group's limit; a black line is a kill, an eviction, an ENOMEM or the "
		      "panic)</p>\n");
#undef X
#undef Y
	free(sv);
	free(mk);
}

/*
 * Memory pressure, where the samples hold it: the system's and each group's some and full
 * avg10 (%), one small chart, drawn only when any of them rose above 0.
 */
static void put_pressure(struct strbuf *sb, const json_t *cell)
{
	const json_t *samples = json_object_get(cell, "samples"), *smp;
	const char **keys = NULL;
	double t0 = INFINITY, t1 = -INFINITY, top = 0;
	const char *key;
	json_t *val;
	int n = 0, k, first;
	size_t i;

	json_array_foreach(samples, i, smp) {
		t0 = fmin(t0, num(smp, "t_ms"));
		t1 = fmax(t1, num(smp, "t_ms"));
		json_object_foreach((json_t *)smp, key, val) {
			size_t len = strlen(key);

			if (len < 6 || (strcmp(key + len - 6, "some10") && strcmp(key + len - 6,
										   "full10")))
				continue;
			top = fmax(top, json_number_value(val));
			for (k = 0; k < n && strcmp(keys[k], key); k++)
				;
			if (k == n) {
				keys = xrealloc(keys, sizeof(*keys) * (size_t)(n + 1));
				keys[n++] = key;
			}
		}
	}
	if (!(top > 0) || t1 <= t0) {
		free(keys);
		return;
	}
	top = fmin(100, ceil(top / 10) * 10);
#define PH 160
#define X(t) (L + ((t) - t0) / (t1 - t0) * (W - L - 10))
#define Y(p) (PH - 30 - (p) / top * (PH - 40))
	strbuf_addf(sb, "<h2>Memory pressure</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		    "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"memory pressure over "
		    "time\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
		    "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.0f %%</text>"
		    "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">0 %%</text>\n",
		    W, PH, L, PH - 30, W - 10, PH - 30, L - 4, Y(top) + 4, top, L - 4, Y(0) + 4);
	for (k = 0; k < n; k++) {
		strbuf_addf(sb, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
			    "points=\"", palette[k % 10]);
		first = 1;
		json_array_foreach(samples, i, smp) {
			double v = num(smp, keys[k]);

			if (isnan(v))
				continue;
			strbuf_addf(sb, "%s%.1f,%.1f", first ? "" : " ", X(num(smp, "t_ms")), Y(v));
			first = 0;
		}
		strbuf_addstr(sb, "\"><title>");
		put_esc(sb, keys[k]);
		strbuf_addstr(sb, "</title></polyline>\n");
	}
	strbuf_addstr(sb, "</svg>\n<p>");
	for (k = 0; k < n; k++) {
		strbuf_addf(sb, "<span style=\"color:%s\">&#9632; ", palette[k % 10]);
		put_esc(sb, keys[k]);
		strbuf_addstr(sb, "</span> &nbsp; ");
	}
	strbuf_addstr(sb, "(avg10, %: psi_ the system's, psi.GROUP. a group's)</p>\n");
#undef X
#undef Y
#undef PH
	free(keys);
}

/*
 * A row of the kills: a kill line's (run.json's kills[], with its line linked into the log's
 * page) or an eviction's (evictions[], with the evictor's own line)
 */
static void put_kill(struct strbuf *sb, const json_t *k, const char *by, const char *judgement)
{
	long long line = json_integer_value(json_object_get(k, "line"));

	strbuf_addf(sb, "<tr><td>%lld</td><td>",
		    (long long)json_integer_value(json_object_get(k, "pid")));
	put_esc(sb, json_str(k, "comm"));
	strbuf_addf(sb, "</td><td>%s", by);
	put_esc(sb, json_str(k, "by"));
	strbuf_addstr(sb, "</td><td>");
	put_esc(sb, json_str(k, "workload"));
	strbuf_addstr(sb, "</td><td>");
	if (line > 0)
		strbuf_addf(sb, "<a href=\"kernel.log.html#L%lld\">line %lld</a>", line, line);
	else
		put_esc(sb, json_str(k, "evidence"));
	strbuf_addstr(sb, "</td><td>");
	put_esc(sb, judgement);
	strbuf_addstr(sb, "</td></tr>\n");
}

/* An evidence line, "kernel.log:58: ...", with its place linked into the log's page */
static void put_evidence(struct strbuf *sb, const char *e)
{
	const char *p = strchr(e, ':');
	long line = p ? strtol(p + 1, NULL, 10) : 0;

	strbuf_addstr(sb, "<li><code>");
	if (!strncmp(e, "kernel.log:", 11) && line > 0)
		strbuf_addf(sb, "<a href=\"kernel.log.html#L%ld\">", line);
	put_esc(sb, e);
	if (!strncmp(e, "kernel.log:", 11) && line > 0)
		strbuf_addstr(sb, "</a>");
	strbuf_addstr(sb, "</code></li>\n");
}

/* The kernel's OOM reports in the cell's log, each with the oracle's ranking of its tasks */
static void put_rankings(struct strbuf *sb, const char *klog, size_t len)
{
	struct oom_log *log = oomreport_parse(klog, len);
	int e, r;

	if (!log || !log->nevents) {
		strbuf_addstr(sb, "<p>The kernel log holds no OOM report.</p>\n");
		oomreport_free(log);
		return;
	}
	for (e = 0; e < log->nevents; e++) {
		struct badness b;

		if (badness_judge_in_log(log, e, NULL, &b) < 0)
			continue;
		strbuf_addf(sb, "<h3>OOM report at <a href=\"kernel.log.html#L%d\">line %d</a>: "
			    "%s</h3>\n<p>", log->events[e].line, log->events[e].line,
			    badness_verdict_name(b.verdict));
		put_esc(sb, b.reason);
		strbuf_addstr(sb, "</p>\n");
		if (b.nrows) {
			strbuf_addstr(sb, "<table><tr><th></th><th>pid</th><th>name</th><th>points"
				      "</th><th>rss</th><th>swap</th><th>page tables</th>"
				      "<th>oom_score_adj</th></tr>\n");
			for (r = 0; r < b.nrows; r++) {
				const struct badness_row *row = &b.rows[r];

				strbuf_addf(sb, "<tr><td>%s</td><td>%d</td><td>",
					    row == b.victim_row ? "victim" :
					    !row->eligible ? "excluded" : "", row->task->pid);
				put_esc(sb, row->task->name);
				if (row->eligible)
					strbuf_addf(sb, "</td><td>%lld", row->points);
				else
					strbuf_addstr(sb, "</td><td>-");
				strbuf_addf(sb, "</td><td>%lu</td><td>%lu</td><td>%lld</td><td>%d"
					    "</td></tr>\n", row->task->rss, row->task->swapents,
					    row->pt_pages, row->task->oom_score_adj);
			}
			strbuf_addstr(sb, "</table>\n");
		}
		badness_release(&b);
	}
	oomreport_free(log);
}

char *html_cell_text(const json_t *cell, const char *klog, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const json_t *rule = json_object_get(cell, "expected"), *f, *e, *k;
	size_t i, j;

	put_head(&sb, json_str(cell, "id"));
	strbuf_addstr(&sb, "<p><a href=\"");
	for (i = 0, j = 0; json_str(cell, "id")[i]; i++)
		j += json_str(cell, "id")[i] == '/';
	for (i = 0; i <= j; i++)
		strbuf_addstr(&sb, "../");
	strbuf_addstr(&sb, "index.html\">the run</a></p>\n<h1>");
	put_esc(&sb, json_str(cell, "id"));
	strbuf_addf(&sb, "</h1>\n<p class=\"%s\"><b>", json_str(cell, "verdict"));
	put_esc(&sb, json_str(cell, "verdict"));
	strbuf_addstr(&sb, "</b>: ");
	put_esc(&sb, json_str(cell, "reason"));
	strbuf_addf(&sb, " (ending %s, QEMU ran %.1f s)</p>\n", json_str(cell, "ending"),
		    num(cell, "wall_s"));
	strbuf_addstr(&sb, "<h2>Expected</h2>\n<p>");
	if (rule) {
		const char *keys[] = { "panic", "killed", "enomem", "refused", "by" };

		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			json_t *v = json_object_get(rule, keys[i]);
			char *text;

			if (!v || json_is_null(v))
				continue;
			text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			strbuf_addf(&sb, "<code>%s: ", keys[i]);
			put_esc(&sb, text);
			strbuf_addstr(&sb, "</code> ");
			free(text);
		}
		strbuf_addf(&sb, "(the scenario's line %lld)</p>\n<p>Why: ",
			    (long long)json_integer_value(json_object_get(rule, "rule_line")));
		put_esc(&sb, json_str(rule, "why"));
	}
	strbuf_addstr(&sb, "</p>\n");
	if (json_array_size(json_object_get(cell, "findings"))) {
		strbuf_addstr(&sb, "<h2>Findings</h2>\n");
		json_array_foreach(json_object_get(cell, "findings"), i, f) {
			strbuf_addstr(&sb, "<p><b>");
			put_esc(&sb, json_str(f, "check"));
			strbuf_addstr(&sb, "</b>: expected ");
			put_esc(&sb, json_str(f, "expected"));
			strbuf_addstr(&sb, "; seen ");
			put_esc(&sb, json_str(f, "seen"));
			strbuf_addstr(&sb, "</p>\n<ul>\n");
			json_array_foreach(json_object_get(f, "evidence"), j, e)
				put_evidence(&sb, json_string_value(e));
			strbuf_addstr(&sb, "</ul>\n");
		}
	}
	strbuf_addstr(&sb, "<h2>Memory over time</h2>\n");
	put_timeline(&sb, cell);
	put_pressure(&sb, cell);
	strbuf_addstr(&sb, "<h2>Kills</h2>\n<table><tr><th>pid</th><th>name</th><th>by</th>"
		      "<th>workload</th><th>the line</th><th>judgement</th></tr>\n");
	json_array_foreach(json_object_get(cell, "kills"), i, k)
		put_kill(&sb, k, "", json_str(json_object_get(k, "badness"), "judgement"));
	json_array_foreach(json_object_get(cell, "evictions"), i, k)
		put_kill(&sb, k, "evicted by ", json_str(k, "judgement"));
	strbuf_addstr(&sb, "</table>\n<h2>The kernel's choices, recomputed</h2>\n");
	put_rankings(&sb, klog, len);
	strbuf_addstr(&sb, "<h2>Logs</h2>\n<p><a href=\"kernel.log.html\">kernel log</a> "
		      "(<a href=\"kernel.log\">raw</a>), <a href=\"console.log\">console</a>, "
		      "<a href=\"agent.log\">the agent's records</a></p>\n</body></html>\n");
	return strbuf_detach(&sb);
}

char *html_log_text(const char *title, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT, line = STRBUF_INIT;
	size_t at = 0;
	int n = 0;

	put_head(&sb, title);
	strbuf_addstr(&sb, "<h1>");
	put_esc(&sb, title);
	strbuf_addstr(&sb, "</h1>\n<pre class=\"log\">");
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t l = nl ? (size_t)(nl - text - at) : len - at;

		strbuf_reset(&line);
		strbuf_add(&line, text + at, l);
		/* a NUL byte ends what a line shows, as it ends a C string */
		strbuf_addf(&sb, "<span id=\"L%d\">", ++n);
		put_esc(&sb, line.buf);
		strbuf_addstr(&sb, "</span>");
		at += l + 1;
	}
	strbuf_addstr(&sb, "</pre>\n</body></html>\n");
	strbuf_release(&line);
	return strbuf_detach(&sb);
}
