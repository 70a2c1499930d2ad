// SPDX-License-Identifier: GPL-2.0-only
/* junit.c - a run as JUnit XML: a testsuite per kernel and scenario, a testcase per cell. */
#include "report/junit.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <string.h>

#include "report/results.h"
#include "report/jsontext.h"
#include "util.h"

/*
 * The dialect GitLab, Jenkins and most CI servers read (tests/junit.xsd): testsuites, then per
 * kernel and scenario a testsuite with the counts and time, its properties (kernel tag and
 * release, scenario file, run id), and per cell a testcase (classname "kernel.scenario", name
 * the cell's id, time its QEMU's lifetime, file the scenario). A FAIL has a failure (message
 * the reason, type the first finding's check; the body each finding's expected and seen and
 * its evidence lines, then the rule and its why); a BROK an error (type the cell's ending); a
 * CONF, and a cell an interrupted run never ran, a skipped. system-out names the cell's logs.
 * XML 1.0 cannot hold control characters even escaped: a name the guest gave itself may have
 * them, so they are written as \xNN, the form run.json gives bytes that are not UTF-8.
 */

/* s with what XML 1.0 cannot hold as \xNN; caller frees */
static char *xml_safe(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			strbuf_addf(&sb, "\\x%02x", c);
		else
			strbuf_add(&sb, s, 1);
	}
	return strbuf_detach(&sb);
}

struct xw {
	xmlTextWriterPtr w;
	int err;
};

static void start(struct xw *x, const char *el)
{
	x->err |= xmlTextWriterStartElement(x->w, BAD_CAST el) < 0;
}

static void end(struct xw *x)
{
	x->err |= xmlTextWriterEndElement(x->w) < 0;
}

static void attr(struct xw *x, const char *name, const char *value)
{
	char *v = xml_safe(value);

	x->err |= xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST v) < 0;
	free(v);
}

static void attrf(struct xw *x, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void attrf(struct xw *x, const char *name, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	attr(x, name, sb.buf ? sb.buf : "");
	strbuf_release(&sb);
}

static void text(struct xw *x, const char *s)
{
	char *v = xml_safe(s);

	x->err |= xmlTextWriterWriteString(x->w, BAD_CAST v) < 0;
	free(v);
}

static void property(struct xw *x, const char *name, const char *value)
{
	start(x, "property");
	attr(x, "name", name);
	attr(x, "value", value);
	end(x);
}

/* What a suite's cells came to */
struct tally {
	int tests, failures, errors, skipped;
	double time;
};

static void count(struct tally *t, const json_t *cell)
{
	const char *v = json_str(cell, "verdict");

	t->tests++;
	t->failures += !strcmp(v, "FAIL");
	t->errors += !strcmp(v, "BROK");
	t->skipped += !cell || !strcmp(v, "CONF");
	t->time += json_number_value(json_object_get(cell, "wall_s"));
}

/* The body of a failure: each finding, then the rule */
static void failure_body(struct strbuf *sb, const json_t *cell)
{
	const json_t *f, *e, *rule = json_object_get(cell, "expected");
	size_t i, j;

	json_array_foreach(json_object_get(cell, "findings"), i, f) {
		strbuf_addf(sb, "%s: expected: %s\n%s: seen:     %s\n", json_str(f, "check"),
			    json_str(f, "expected"), json_str(f, "check"), json_str(f, "seen"));
		json_array_foreach(json_object_get(f, "evidence"), j, e)
			strbuf_addf(sb, "  %s\n", json_string_value(e));
	}
	if (rule)
		strbuf_addf(sb, "rule (line %lld of the scenario): %s\n",
			    (long long)json_integer_value(json_object_get(rule, "rule_line")),
			    json_str(rule, "why"));
}

static void testcase(struct xw *x, const json_t *run, const json_t *plan, const json_t *cell,
		     const char *path)
{
	const char *v = json_str(cell, "verdict");
	struct strbuf sb = STRBUF_INIT;

	start(x, "testcase");
	attrf(x, "classname", "%s.%s", json_str(plan, "kernel"), json_str(plan, "scenario"));
	attr(x, "name", json_str(plan, "id"));
	attrf(x, "time", "%.3f", json_number_value(json_object_get(cell, "wall_s")));
	attr(x, "file", path);
	if (!cell) {
		start(x, "skipped");
		attr(x, "message", json_is_true(json_object_get(run, "interrupted")) ?
		     "not run: the run was interrupted" : "not run: the run has not reached it yet");
		end(x);
	} else if (!strcmp(v, "FAIL")) {
		start(x, "failure");
		attr(x, "message", json_str(cell, "reason"));
		attr(x, "type", json_str(json_array_get(json_object_get(cell, "findings"), 0), "check"));
		failure_body(&sb, cell);
		text(x, sb.buf ? sb.buf : "");
		end(x);
	} else if (!strcmp(v, "BROK")) {
		start(x, "error");
		attr(x, "message", json_str(cell, "reason"));
		attr(x, "type", json_str(cell, "ending"));
		strbuf_addf(&sb, "%s\nending: %s\n", json_str(cell, "reason"), json_str(cell, "ending"));
		if (json_string_value(json_object_get(cell, "panic_message")))
			strbuf_addf(&sb, "panic: %s\n", json_str(cell, "panic_message"));
		text(x, sb.buf);
		end(x);
	} else if (!strcmp(v, "CONF")) {
		start(x, "skipped");
		attr(x, "message", json_str(cell, "reason"));
		end(x);
	}
	if (cell) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "reason: %s\nconsole: %s\nagent: %s\nkernel log: %s\n",
			    json_str(cell, "reason"), json_str(cell, "console"), json_str(cell, "agent"),
			    json_str(cell, "kernel_log"));
		start(x, "system-out");
		text(x, sb.buf);
		end(x);
	}
	end(x);
	strbuf_release(&sb);
}

/* The testsuite of the cells of plan from index first on with its kernel and scenario */
static void testsuite(struct xw *x, const json_t *run, const json_t *done, size_t first)
{
	const json_t *plan = json_object_get(run, "plan"), *p0 = json_array_get(plan, first), *p;
	const char *kernel = json_str(p0, "kernel"), *scenario = json_str(p0, "scenario");
	const json_t *sc = json_named(run, "scenarios", "name", scenario);
	const json_t *k = json_named(run, "kernels", "tag", kernel);
	struct tally t = { 0 };
	size_t i;

	json_array_foreach(plan, i, p)
		if (!strcmp(json_str(p, "kernel"), kernel) && !strcmp(json_str(p, "scenario"), scenario))
			count(&t, json_object_get(done, json_str(p, "id")));
	start(x, "testsuite");
	attrf(x, "name", "%s/%s", kernel, scenario);
	attrf(x, "tests", "%d", t.tests);
	attrf(x, "failures", "%d", t.failures);
	attrf(x, "errors", "%d", t.errors);
	attrf(x, "skipped", "%d", t.skipped);
	attrf(x, "time", "%.3f", t.time);
	attr(x, "timestamp", json_str(run, "started"));
	start(x, "properties");
	property(x, "oomlab.run_id", json_str(run, "run_id"));
	property(x, "kernel", kernel);
	property(x, "kernel.release", json_str(k, "release"));
	property(x, "kernel.package", json_str(k, "package"));
	property(x, "scenario.path", json_str(sc, "path"));
	end(x);
	json_array_foreach(plan, i, p)
		if (!strcmp(json_str(p, "kernel"), kernel) && !strcmp(json_str(p, "scenario"), scenario))
			testcase(x, run, p, json_object_get(done, json_str(p, "id")), json_str(sc, "path"));
	end(x);
}

char *junit_text(const json_t *run)
{
	const json_t *plan = json_object_get(run, "plan"), *p, *q;
	json_t *done = results_cells_by_id(run);
	xmlBufferPtr buf = xmlBufferCreate();
	struct tally all = { 0 };
	struct xw x = { 0 };
	size_t i, j;
	char *out = NULL;

	if (!buf || !done) {
		if (buf)
			xmlBufferFree(buf);
		json_decref(done);
		return NULL;
	}
	x.w = xmlNewTextWriterMemory(buf, 0);
	if (!x.w) {
		xmlBufferFree(buf);
		json_decref(done);
		return NULL;
	}
	xmlTextWriterSetIndent(x.w, 1);
	xmlTextWriterSetIndentString(x.w, BAD_CAST "  ");
	x.err |= xmlTextWriterStartDocument(x.w, NULL, "UTF-8", NULL) < 0;
	json_array_foreach(plan, i, p)
		count(&all, json_object_get(done, json_str(p, "id")));
	start(&x, "testsuites");
	attrf(&x, "name", "oomlab run %s", json_str(run, "run_id"));
	attrf(&x, "tests", "%d", all.tests);
	attrf(&x, "failures", "%d", all.failures);
	attrf(&x, "errors", "%d", all.errors);
	attrf(&x, "skipped", "%d", all.skipped);
	attrf(&x, "time", "%.3f", all.time);
	/* a suite per kernel and scenario, where its first cell is in the plan */
	json_array_foreach(plan, i, p) {
		for (j = 0; j < i; j++) {
			q = json_array_get(plan, j);
			if (!strcmp(json_str(q, "kernel"), json_str(p, "kernel")) &&
			    !strcmp(json_str(q, "scenario"), json_str(p, "scenario")))
				break;
		}
		if (j == i)
			testsuite(&x, run, done, i);
	}
	end(&x);
	x.err |= xmlTextWriterEndDocument(x.w) < 0;
	xmlFreeTextWriter(x.w);
	if (!x.err)
		out = xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	json_decref(done);
	return out;
}
