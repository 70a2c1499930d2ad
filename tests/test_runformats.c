// SPDX-License-Identifier: GPL-2.0-only
/* test_runformats.c - a run's results.ktap, junit.xml and pages, written from its run.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/junit.h"
#include "report/ktap.h"
#include "report/results.h"
#include "testdata.h"

/*
 * A run of two scenarios on two kernels, stopped before its last cell: one cell of each
 * verdict, a BROK by timeout and one by QEMU's error, and text from the guest that XML and
 * KTAP must carry safely (a tag, an ampersand, a control character, a '#').
 */
static const char run_json[] =
	"{\"run_id\": \"20261206-120000\", \"started\": \"2026-12-06T12:00:00Z\","
	" \"interrupted\": true,"
	" \"kernels\": [{\"tag\": \"debian:6.1\", \"release\": \"6.1.0-57-cloud-amd64\","
	"  \"package\": \"linux-image-6.1.0-57-cloud-amd64\"},"
	"  {\"tag\": \"debian:6.12\", \"release\": \"6.12.57+deb12-cloud-amd64\","
	"   \"package\": \"linux-image-6.12.57+deb12-cloud-amd64\"}],"
	" \"scenarios\": [{\"name\": \"hogs\", \"path\": \"expectations/hogs.yaml\"},"
	"  {\"name\": \"hang\", \"path\": \"tests/hang.yaml\"}],"
	" \"plan\": ["
	"  {\"id\": \"debian-6.1/hogs/a=0\", \"scenario\": \"hogs\", \"kernel\": \"debian:6.1\"},"
	"  {\"id\": \"debian-6.1/hogs/a=1\", \"scenario\": \"hogs\", \"kernel\": \"debian:6.1\"},"
	"  {\"id\": \"debian-6.1/hang\", \"scenario\": \"hang\", \"kernel\": \"debian:6.1\"},"
	"  {\"id\": \"debian-6.12/hogs/a=0\", \"scenario\": \"hogs\", \"kernel\": \"debian:6.12\"},"
	"  {\"id\": \"debian-6.12/hogs/a=1\", \"scenario\": \"hogs\", \"kernel\": \"debian:6.12\"},"
	"  {\"id\": \"debian-6.12/hang\", \"scenario\": \"hang\", \"kernel\": \"debian:6.12\"}],"
	" \"cells\": ["
	"  {\"id\": \"debian-6.1/hogs/a=1\", \"verdict\": \"FAIL\", \"ending\": \"poweroff\","
	"   \"wall_s\": 8.5, \"reason\": \"'<script>alert(1)</script>' & \\u0001 killed too\","
	"   \"findings\": [{\"check\": \"collateral\", \"expected\": \"only [grower] killed\","
	"    \"seen\": \"'<script>alert(1)</script>' & \\u0001 killed too\","
	"    \"evidence\": [\"kernel.log:7: Out of memory: Killed process 9 (<script>)\"]}],"
	"   \"expected\": {\"why\": \"the grower # has more\", \"rule_line\": 12},"
	"   \"console\": \"c\", \"agent\": \"a\", \"kernel_log\": \"k\"},"
	"  {\"id\": \"debian-6.1/hogs/a=0\", \"verdict\": \"PASS\", \"ending\": \"poweroff\","
	"   \"wall_s\": 7.25, \"reason\": \"killed grower\", \"findings\": []},"
	"  {\"id\": \"debian-6.1/hang\", \"verdict\": \"BROK\", \"ending\": \"timeout\","
	"   \"wall_s\": 60, \"reason\": \"the host's deadline of 60 s passed\", \"findings\": []},"
	"  {\"id\": \"debian-6.12/hogs/a=0\", \"verdict\": \"CONF\", \"ending\": \"poweroff\","
	"   \"wall_s\": 3, \"reason\": \"the kernel has no memory.oom.group\", \"findings\": []},"
	"  {\"id\": \"debian-6.12/hogs/a=1\", \"verdict\": \"BROK\", \"ending\": \"qemu-error\","
	"   \"wall_s\": 2, \"reason\": \"QEMU was killed (signal 9)\", \"findings\": []}]}";

static json_t *load_run(void)
{
	json_error_t err;
	json_t *run = json_loads(run_json, 0, &err);

	if (!run)
		fail_msg("the test's run.json: %d:%d: %s", err.line, err.column, err.text);
	return run;
}

static void ktap_document(void **state)
{
	json_t *run = load_run();
	char *text = ktap_text(run);

	(void)state;
	assert_string_equal(text,
		"KTAP version 1\n"
		"# oomlab run 20261206-120000: 6 cells of 2 scenarios\n"
		"1..2\n"
		"  KTAP version 1\n"
		"  # Subtest: hogs\n"
		"  1..4\n"
		"  ok 1 debian-6.1/hogs/a=0\n"
		"  # collateral: expected: only [grower] killed\n"
		"  # collateral: seen: '<script>alert(1)</script>' & \\x01 killed too\n"
		"  #   kernel.log:7: Out of memory: Killed process 9 (<script>)\n"
		"  not ok 2 debian-6.1/hogs/a=1\n"
		"  ok 3 debian-6.12/hogs/a=0 # SKIP the kernel has no memory.oom.group\n"
		"  not ok 4 debian-6.12/hogs/a=1 # ERROR QEMU was killed (signal 9)\n"
		"# hogs: pass:1 fail:2 skip:1 total:4\n"
		"not ok 1 hogs\n"
		"  KTAP version 1\n"
		"  # Subtest: hang\n"
		"  1..2\n"
		"  not ok 1 debian-6.1/hang # TIMEOUT the host's deadline of 60 s passed\n"
		"  ok 2 debian-6.12/hang # SKIP not run: the run was interrupted\n"
		"# hang: pass:0 fail:1 skip:1 total:2\n"
		"not ok 2 hang\n");
	free(text);
	json_decref(run);
}

/* A scenario is streamed once all its cells are done; what was not run says why */
static void ktap_in_parts(void **state)
{
	json_t *run = load_run();
	struct strbuf sb = STRBUF_INIT;
	const char **names;
	int n = results_plan_values(run, "scenario", &names);

	(void)state;
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "hogs");
	assert_string_equal(names[1], "hang");
	assert_true(ktap_scenario_done(run, "hogs"));
	assert_false(ktap_scenario_done(run, "hang"));
	assert_int_equal(ktap_scenario(&sb, run, "hang", 2, "the run has not reached it yet"),
			 KTAP_FAIL);
	assert_non_null(strstr(sb.buf, "  ok 2 debian-6.12/hang # SKIP not run: the run has not "
				       "reached it yet\n"));
	strbuf_release(&sb);
	free(names);
	json_decref(run);
}

static xmlDocPtr read_xml(const char *text)
{
	xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "junit.xml", NULL, XML_PARSE_NONET);

	if (!doc)
		fail_msg("junit.xml is not well-formed XML:\n%s", text);
	return doc;
}

static char *xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *s = (char *)xmlXPathCastToString(o);
	char *copy = strdup(s);

	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return copy;
}

#define assert_xpath(doc, expr, want)                                                           \
	do {                                                                                    \
		char *got_ = xpath(doc, expr);                                                  \
		if (strcmp(got_, want))                                                         \
			fail_msg("%s: expected '%s', seen '%s'", expr, want, got_);            \
		free(got_);                                                                     \
	} while (0)

static void junit_document(void **state)
{
	json_t *run = load_run();
	char *text = junit_text(run);
	xmlDocPtr doc = read_xml(text);
	xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt("tests/junit.xsd");
	xmlSchemaPtr schema = xmlSchemaParse(pctx);
	xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);

	(void)state;
	assert_non_null(schema);
	assert_int_equal(xmlSchemaValidateDoc(vctx, doc), 0);
	assert_xpath(doc, "concat(/testsuites/@tests, ' ', /testsuites/@failures, ' ', "
		     "/testsuites/@errors, ' ', /testsuites/@skipped)", "6 1 2 2");
	assert_xpath(doc, "count(/testsuites/testsuite)", "4");
	assert_xpath(doc, "string(/testsuites/testsuite[1]/@name)", "debian:6.1/hogs");
	assert_xpath(doc, "string(/testsuites/testsuite[1]/@time)", "15.750");
	assert_xpath(doc, "string(//testsuite[@name='debian:6.12/hogs']//property"
		     "[@name='kernel.release']/@value)", "6.12.57+deb12-cloud-amd64");
	/* the guest's text is text: the tag escaped, the control character as \x01 */
	assert_xpath(doc, "string(//testcase[@name='debian-6.1/hogs/a=1']/failure/@message)",
		     "'<script>alert(1)</script>' & \\x01 killed too");
	assert_null(strstr(text, "<script>"));
	assert_non_null(strstr(text, "&lt;script&gt;"));
	assert_xpath(doc, "string(//testcase[@name='debian-6.1/hogs/a=1']/failure/@type)",
		     "collateral");
	assert_non_null(strstr(text, "kernel.log:7: Out of memory: Killed process 9 (&lt;script&gt;)"));
	assert_non_null(strstr(text, "rule (line 12 of the scenario): the grower # has more"));
	assert_xpath(doc, "string(//testcase[@name='debian-6.1/hang']/error/@type)", "timeout");
	assert_xpath(doc, "string(//testcase[@name='debian-6.12/hogs/a=1']/error/@type)",
		     "qemu-error");
	assert_xpath(doc, "string(//testcase[@name='debian-6.12/hogs/a=0']/skipped/@message)",
		     "the kernel has no memory.oom.group");
	assert_xpath(doc, "string(//testcase[@name='debian-6.12/hang']/skipped/@message)",
		     "not run: the run was interrupted");
	assert_xpath(doc, "string(//testcase[@name='debian-6.1/hogs/a=1']/@classname)",
		     "debian:6.1.hogs");
	assert_xpath(doc, "string(//testcase[@name='debian-6.1/hogs/a=1']/system-out)",
		     "reason: '<script>alert(1)</script>' & \\x01 killed too\nconsole: c\n"
		     "agent: a\nkernel log: k\n");
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	xmlFreeDoc(doc);
	free(text);
	json_decref(run);
}

/* A run with no plan yet (its first write) has nothing to list, in either form */
static void empty_run(void **state)
{
	json_t *run = json_pack("{s:s, s:[], s:[]}", "run_id", "x", "plan", "cells");
	char *k = ktap_text(run), *j = junit_text(run);
	xmlDocPtr doc = read_xml(j);

	(void)state;
	assert_string_equal(k, "KTAP version 1\n# oomlab run x: 0 cells of 0 scenarios\n1..0\n");
	assert_xpath(doc, "string(/testsuites/@tests)", "0");
	xmlFreeDoc(doc);
	free(k);
	free(j);
	json_decref(run);
}

/* The run's page: its counts, a grid per scenario, a row whose kernels disagree marked */
static void html_index(void **state)
{
	json_t *run = load_run();
	char *page = html_index_text(run);

	(void)state;
	/* the only markup is oomlab's: the guest's tag is text, and there is no script at all */
	assert_null(strstr(page, "<script"));
	assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;&#39; &amp; \\x01 killed too"));
	/* hogs a=0: PASS on 6.1, CONF on 6.12; a=1: FAIL and BROK; hang: BROK, not run */
	assert_non_null(strstr(page, "<tr class=\"differs\"><td>a=0 <b>differs between kernels</b>"));
	assert_non_null(strstr(page, "<td class=\"PASS\"><a href=\"debian-6.1/hogs/a=0/index.html\">"
					"PASS</a> killed grower</td>"));
	assert_non_null(strstr(page, "<td class=\"notrun\">not run</td>"));
	assert_non_null(strstr(page, "<td class=\"FAIL\">1 PASS 1 FAIL </td>"));
	free(page);
	json_decref(run);
}

/*
 * A cell's page from a real cell's record and kernel log, with the killed process renamed
 * <script>alert(1)</script> (tests/data/report/escape): it shows as text everywhere, the
 * timeline has its curves and the kill's marker, the evidence links into the log's page, and
 * the report's tasks are ranked.
 */
static void html_cell_and_log(void **state)
{
	size_t jlen, len;
	char *text = testdata_read("report/escape/run.json", &jlen);
	char *klog = testdata_read("report/escape/debian-6.1/wrong-victim/kernel.log", &len);
	json_t *run = json_loadb(text, jlen, 0, NULL);
	const json_t *cell = json_array_get(json_object_get(run, "cells"), 0);
	char *page = html_cell_text(cell, klog, len), *logpage;

	(void)state;
	assert_non_null(cell);
	assert_null(strstr(page, "<script"));
	assert_non_null(strstr(page, "<polyline"));
	assert_non_null(strstr(page, ">killed &lt;script&gt;alert(1)&lt;/script&gt;</text>"));
	assert_non_null(strstr(page, "<a href=\"kernel.log.html#L58\">kernel.log:58: "));
	assert_non_null(strstr(page, "<tr><td>victim</td><td>87</td><td>&lt;script&gt;alert(1)"
					"&lt;/script&gt;</td><td>94588</td>"));
	assert_non_null(strstr(page, "<a href=\"../../index.html\">the run</a>"));
	logpage = html_log_text("kernel.log", klog, len);
	assert_null(strstr(logpage, "<script"));
	assert_non_null(strstr(logpage, "<span id=\"L58\">[    5.427218] Out of memory: Killed "
					   "process 87 (&lt;script&gt;alert(1)&lt;/script&gt;)"));
	free(logpage);
	free(page);
	json_decref(run);
	free(klog);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ktap_document),
		cmocka_unit_test(ktap_in_parts),
		cmocka_unit_test(junit_document),
		cmocka_unit_test(empty_run),
		cmocka_unit_test(html_index),
		cmocka_unit_test(html_cell_and_log),
	};

	return cmocka_run_group_tests_name("test_runformats", tests, NULL, NULL);
}
