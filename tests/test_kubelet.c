// SPDX-License-Identifier: GPL-2.0-only
/* test_kubelet.c - the kubelet model's quantities, thresholds, passes and ranking, pinned. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "kubelet/kubelet.h"
#include "testdata.h"

#define Mi (1024LL * 1024)

static void test_quantities(void **state)
{
	static const struct {
		const char *text;
		long long v;
	} ok[] = {
		{ "100Mi", 100 * Mi }, { "1Gi", 1024 * Mi }, { "500M", 500000000 },
		{ "1.5Gi", 1536 * Mi }, { "0", 0 }, { "12", 12 }, { "1k", 1000 },
		{ "1e3", 1000 }, { "1E6", 1000000 }, { "0.5", 1 }, /* Value() rounds up */
		{ "100m", 1 }, { "97572Ki", 97572 * 1024LL }, { "+5", 5 },
	};
	static const char *const bad[] = { "", "Mi", "10MB", "10 Mi", "1.2.3", "x", "10mi" };
	long long v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(kl_parse_quantity(ok[i].text, &v), 0);
		assert_int_equal(v, ok[i].v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kl_parse_quantity(bad[i], &v), -1);
}

static void test_durations(void **state)
{
	long long ms;
	char buf[24];

	(void)state;
	assert_int_equal(kl_parse_duration("5s", &ms), 0);
	assert_int_equal(ms, 5000);
	assert_int_equal(kl_parse_duration("1m30s", &ms), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(kl_parse_duration("1500ms", &ms), 0);
	assert_int_equal(ms, 1500);
	assert_int_equal(kl_parse_duration("0", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(kl_parse_duration("5", &ms), -1); /* Go wants a unit */
	assert_int_equal(kl_parse_duration("5x", &ms), -1);
	assert_string_equal(kl_quantity_text(100 * Mi, buf, sizeof(buf)), "100Mi");
	assert_string_equal(kl_quantity_text(97572 * 1024LL, buf, sizeof(buf)), "97572Ki");
	assert_string_equal(kl_quantity_text(1000, buf, sizeof(buf)), "1000");
}

static int parse(struct kl_config *c, char *err, const char *a1, const char *a2,
		 const char *a3, const char *a4)
{
	char *argv[] = { "kubelet", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };
	int argc = 1;

	while (argc < 5 && argv[argc])
		argc++;
	return kl_config_parse(argc, argv, c, err, 256);
}

static void test_config_defaults(void **state)
{
	struct kl_config c;
	char err[256];

	(void)state;
	assert_int_equal(parse(&c, err, NULL, NULL, NULL, NULL), 0);
	/* evictionHard's memory default, copied to allocatable (enforceNodeAllocatable: pods) */
	assert_int_equal(c.nt, 2);
	assert_int_equal(c.t[0].signal, KL_MEMORY_AVAILABLE);
	assert_int_equal(c.t[0].value.quantity, 100 * Mi);
	assert_true(c.t[0].hard);
	assert_int_equal(c.t[1].signal, KL_ALLOCATABLE_MEMORY_AVAILABLE);
	assert_int_equal(c.monitoring_ms, 10000);
	assert_int_equal(c.transition_ms, 300000);
	assert_false(c.memcg_notification);
	/* what the user sets replaces the defaults whole */
	assert_int_equal(parse(&c, err, "--eviction-hard=pid.available<10%",
			       "--enforce-node-allocatable=none", NULL, NULL), 0);
	assert_int_equal(c.nt, 1);
	assert_int_equal(c.t[0].signal, KL_PID_AVAILABLE);
	assert_int_equal(c.t[0].value.quantity, -1);
	assert_int_equal(kl_threshold_quantity(&c.t[0].value, 32768), 3276);
	/* 0% and 100% are ignored */
	assert_int_equal(parse(&c, err, "--eviction-hard", "memory.available<0%", NULL, NULL), 0);
	assert_int_equal(c.nt, 0);
}

static void test_config_errors(void **state)
{
	struct kl_config c;
	char err[256];

	(void)state;
	assert_int_equal(parse(&c, err, "--eviction-soft=memory.available<150Mi", NULL, NULL,
			       NULL), -1);
	assert_non_null(strstr(err, "grace period must be specified"));
	assert_int_equal(parse(&c, err, "--eviction-hard=nodefs.available<10%", NULL, NULL,
			       NULL), -1);
	assert_non_null(strstr(err, "unsupported eviction signal nodefs.available"));
	assert_int_equal(parse(&c, err, "--eviction-hard=memory.available<-1Mi", NULL, NULL,
			       NULL), -1);
	assert_int_equal(parse(&c, err, "--eviction-hard=memory.available<120%", NULL, NULL,
			       NULL), -1);
	assert_int_equal(parse(&c, err, "--housekeeping-interval=10", NULL, NULL, NULL), -1);
	assert_int_equal(parse(&c, err, "--bogus", NULL, NULL, NULL), -1);
	/* a soft threshold with a grace period of 0 is hard in all but name */
	assert_int_equal(parse(&c, err, "--eviction-soft=memory.available<150Mi",
			       "--eviction-soft-grace-period=memory.available=0s",
			       "--enforce-node-allocatable=none", NULL), 0);
	assert_true(c.t[1].hard);
	assert_int_equal(c.t[1].grace_ms, 0);
	assert_int_equal(parse(&c, err, "--eviction-soft=memory.available<150Mi",
			       "--eviction-soft-grace-period=memory.available=5s",
			       "--eviction-minimum-reclaim=memory.available=50Mi", NULL), 0);
	/* the default hard threshold, the soft one, then the hard one's allocatable copy */
	assert_int_equal(c.nt, 3);
	assert_false(c.t[1].hard);
	assert_int_equal(c.t[1].grace_ms, 5000);
	assert_int_equal(c.t[2].signal, KL_ALLOCATABLE_MEMORY_AVAILABLE);
	assert_int_equal(c.t[0].min_reclaim.quantity, 50 * Mi);
	assert_int_equal(c.t[1].min_reclaim.quantity, 50 * Mi);
	assert_int_equal(c.t[2].min_reclaim.quantity, 50 * Mi); /* the copy takes it too */
}

static struct kl_observation obs_mem[KL_NSIGNALS];

static void set_avail(long long avail)
{
	memset(obs_mem, 0, sizeof(obs_mem));
	obs_mem[KL_MEMORY_AVAILABLE] = (struct kl_observation){ 1, avail, 512 * Mi };
}

/* met is strictly below: available == quantity is not met (quantity.Cmp(available) > 0) */
static void test_thresholds_met(void **state)
{
	struct kl_threshold t = { .signal = KL_MEMORY_AVAILABLE, .value = { 100 * Mi, 0 },
				  .min_reclaim = { 50 * Mi, 0 }, .hard = 1 };
	int met;

	(void)state;
	set_avail(100 * Mi);
	assert_int_equal(kl_thresholds_met(&t, 1, obs_mem, 0, &met), 0);
	set_avail(100 * Mi - 1);
	assert_int_equal(kl_thresholds_met(&t, 1, obs_mem, 0, &met), 1);
	set_avail(149 * Mi);
	assert_int_equal(kl_thresholds_met(&t, 1, obs_mem, 0, &met), 0);
	assert_int_equal(kl_thresholds_met(&t, 1, obs_mem, 1, &met), 1);
	obs_mem[KL_MEMORY_AVAILABLE].present = 0;
	assert_int_equal(kl_thresholds_met(&t, 1, obs_mem, 1, &met), 0);
}

/* A hard threshold acts at once and holds until its minimum reclaim is reached. */
static void test_pass_min_reclaim(void **state)
{
	struct kl_config c;
	struct kl_state s;
	char err[256];
	int seen[KL_MAX_THRESHOLDS];

	(void)state;
	assert_int_equal(parse(&c, err, "--eviction-minimum-reclaim=memory.available=50Mi",
			       "--enforce-node-allocatable=none", NULL, NULL), 0);
	kl_state_init(&s);
	set_avail(200 * Mi);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 0, seen), -1);
	assert_false(kl_memory_pressure(&c, &s, 0));
	set_avail(90 * Mi);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 1000, seen), 0);
	assert_true(kl_memory_pressure(&c, &s, 1000));
	set_avail(140 * Mi); /* above 100Mi, below 100Mi + 50Mi: still met */
	assert_int_equal(kl_pass(&c, &s, obs_mem, 2000, seen), 0);
	set_avail(151 * Mi);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 3000, seen), -1);
	set_avail(140 * Mi); /* no longer held: the plain threshold decides again */
	assert_int_equal(kl_pass(&c, &s, obs_mem, 4000, seen), -1);
	/* the condition stays reported for the transition period after it was last seen */
	assert_true(kl_memory_pressure(&c, &s, 2000 + 299999));
	assert_false(kl_memory_pressure(&c, &s, 2000 + 300000));
}

/* A soft threshold acts only once it has been met for its grace period. */
static void test_pass_grace(void **state)
{
	struct kl_config c;
	struct kl_state s;
	char err[256];
	int seen[KL_MAX_THRESHOLDS];

	(void)state;
	assert_int_equal(parse(&c, err, "--eviction-soft=memory.available<150Mi",
			       "--eviction-soft-grace-period=memory.available=5s",
			       "--enforce-node-allocatable=none", NULL), 0);
	kl_state_init(&s);
	set_avail(140 * Mi);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 1000, seen), -1);
	assert_true(seen[1]);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 5999, seen), -1);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 6000, seen), 1);
	set_avail(160 * Mi); /* the clock starts again */
	assert_int_equal(kl_pass(&c, &s, obs_mem, 7000, seen), -1);
	set_avail(140 * Mi);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 8000, seen), -1);
	/* a hard threshold met too is acted on at once, and memory signals go first */
	set_avail(90 * Mi);
	assert_int_equal(kl_pass(&c, &s, obs_mem, 9000, seen), 0);
}

static struct kl_pod pod(const char *name, int prio, long long req, long long use,
			 long long procs, int stats)
{
	struct kl_pod p = { .priority = prio, .request = req, .usage = use, .procs = procs,
			    .has_stats = stats };

	snprintf(p.name, sizeof(p.name), "%s", name);
	return p;
}

/* Every comparator, both ways and tied. */
static void test_comparators(void **state)
{
	struct kl_pod over = pod("over", 0, 100 * Mi, 101 * Mi, 1, 1);
	struct kl_pod under = pod("under", 0, 100 * Mi, 99 * Mi, 1, 1);
	struct kl_pod at = pod("at", 0, 100 * Mi, 100 * Mi, 1, 1); /* not over: strictly */
	struct kl_pod none = pod("none", 0, 0, 0, 0, 0);
	struct kl_pod hi = pod("hi", 1000, 0, 10 * Mi, 5, 1), lo = pod("lo", -5, 0, 10 * Mi, 1, 1);

	(void)state;
	assert_true(kl_compare(KL_CMP_EXCEED_REQUESTS, &over, &under) < 0);
	assert_true(kl_compare(KL_CMP_EXCEED_REQUESTS, &under, &over) > 0);
	assert_int_equal(kl_compare(KL_CMP_EXCEED_REQUESTS, &under, &at), 0);
	/* a pod without stats goes first, for each comparator that reads stats */
	assert_true(kl_compare(KL_CMP_EXCEED_REQUESTS, &none, &over) < 0);
	assert_true(kl_compare(KL_CMP_MEMORY, &over, &none) > 0);
	assert_true(kl_compare(KL_CMP_PROCESS, &none, &hi) < 0);
	assert_int_equal(kl_compare(KL_CMP_MEMORY, &none, &none), 0);
	/* priority: lower first; priority reads no stats */
	assert_true(kl_compare(KL_CMP_PRIORITY, &lo, &hi) < 0);
	assert_true(kl_compare(KL_CMP_PRIORITY, &hi, &lo) > 0);
	assert_int_equal(kl_compare(KL_CMP_PRIORITY, &over, &none), 0);
	/* memory: the larger usage over request first */
	assert_true(kl_compare(KL_CMP_MEMORY, &over, &under) < 0);
	assert_true(kl_compare(KL_CMP_MEMORY, &hi, &over) < 0); /* 10Mi over 0 vs 1Mi over */
	assert_int_equal(kl_compare(KL_CMP_MEMORY, &hi, &lo), 0);
	/* process: more first */
	assert_true(kl_compare(KL_CMP_PROCESS, &hi, &lo) < 0);
	assert_int_equal(kl_compare(KL_CMP_PROCESS, &over, &under), 0);
}

/* The multi-sorter: the first comparator that does not tie decides; a full tie is 0. */
static void test_multisorter(void **state)
{
	enum kl_cmp cmps[4];
	int n = kl_rank_cmps(KL_MEMORY_AVAILABLE, cmps);
	struct kl_pod a = pod("a", 0, 0, 50 * Mi, 1, 1), b = pod("b", 0, 0, 50 * Mi, 1, 1);
	struct kl_pod hi = pod("hi", 10, 0, 500 * Mi, 1, 1);
	struct kl_pod within = pod("within", -10, 100 * Mi, 10 * Mi, 1, 1);
	struct kl_pod p[4];

	(void)state;
	assert_int_equal(n, 3);
	assert_int_equal(kl_compare_all(cmps, n, &a, &b), 0);
	/* exceeding the request beats a lower priority; priority beats usage */
	assert_true(kl_compare_all(cmps, n, &hi, &within) < 0);
	assert_true(kl_compare_all(cmps, n, &a, &hi) < 0);
	p[0] = within;
	p[1] = hi;
	p[2] = b;
	p[3] = a;
	kl_rank(KL_MEMORY_AVAILABLE, p, 4);
	/* b and a tie: kept in their order (kubelet promises none) */
	assert_string_equal(p[0].name, "b");
	assert_string_equal(p[1].name, "a");
	assert_string_equal(p[2].name, "hi");
	assert_string_equal(p[3].name, "within");
	n = kl_rank_cmps(KL_PID_AVAILABLE, cmps);
	assert_int_equal(n, 2);
	assert_int_equal(cmps[0], KL_CMP_PRIORITY);
	assert_int_equal(cmps[1], KL_CMP_PROCESS);
}

/* kubelet's own ranking cases (helpers_test.go), as data: tests/data/kubelet/rank.txt. */
static void test_kubelet_cases(void **state)
{
	struct kl_pod pods[KL_MAX_PODS];
	enum kl_cmp cmps[4];
	char *text, *line, *save = NULL, *tok, *s2, name[80] = "";
	int npods = 0, ncmps = 0, cases = 0, i, c;
	size_t len;

	(void)state;
	text = testdata_read("kubelet/rank.txt", &len);
	text = realloc(text, len + 1);
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		s2 = NULL;
		tok = strtok_r(line, " ", &s2);
		if (!tok)
			continue;
		if (!strcmp(tok, "case")) {
			snprintf(name, sizeof(name), "%s", strtok_r(NULL, " ", &s2));
			npods = ncmps = 0;
		} else if (!strcmp(tok, "rank")) {
			while ((tok = strtok_r(NULL, " ", &s2)) && tok[0] != '#') {
				c = kl_cmp_of(tok);
				if (c < 0)
					fail_msg("%s: unknown comparator '%s'", name, tok);
				cmps[ncmps++] = (enum kl_cmp)c;
			}
		} else if (!strcmp(tok, "pod")) {
			struct kl_pod *p = &pods[npods++];

			memset(p, 0, sizeof(*p));
			p->has_stats = 1;
			snprintf(p->name, sizeof(p->name), "%s", strtok_r(NULL, " ", &s2));
			while ((tok = strtok_r(NULL, " ", &s2)) && tok[0] != '#') {
				long long v = 0;
				char *eq = strchr(tok, '=');

				if (!strcmp(tok, "nostats")) {
					p->has_stats = 0;
					continue;
				}
				if (!eq || kl_parse_quantity(eq + 1, &v))
					fail_msg("%s: bad field '%s'", name, tok);
				if (!strncmp(tok, "priority=", 9))
					p->priority = (int)v;
				else if (!strncmp(tok, "request=", 8))
					p->request = v;
				else if (!strncmp(tok, "usage=", 6))
					p->usage = v;
				else if (!strncmp(tok, "procs=", 6))
					p->procs = v;
				else
					fail_msg("%s: unknown field '%s'", name, tok);
			}
		} else if (!strcmp(tok, "want")) {
			struct kl_pod sorted[KL_MAX_PODS];

			memcpy(sorted, pods, sizeof(pods));
			/* the case's own comparators, through the multi-sorter */
			for (i = 1; i < npods; i++) {
				struct kl_pod k = sorted[i];
				int j;

				for (j = i; j > 0 && kl_compare_all(cmps, ncmps, &k, &sorted[j - 1]) < 0;
				     j--)
					sorted[j] = sorted[j - 1];
				sorted[j] = k;
			}
			for (i = 0; i < npods; i++) {
				tok = strtok_r(NULL, " ", &s2);
				if (!tok)
					fail_msg("%s: want names fewer pods than the case has", name);
				for (c = 0; c < npods && strcmp(pods[c].name, tok); c++)
					;
				if (c == npods)
					fail_msg("%s: want names '%s', no pod of the case", name, tok);
				/* a full tie may go either way: sort.Sort is not stable */
				if (strcmp(sorted[i].name, tok) &&
				    kl_compare_all(cmps, ncmps, &sorted[i], &pods[c]))
					fail_msg("%s: position %d is '%s', kubelet's test wants '%s'",
						 name, i, sorted[i].name, tok);
			}
			cases++;
		}
	}
	assert_true(cases >= 5);
	free(text);
}

static void test_qos_adj(void **state)
{
	(void)state;
	assert_int_equal(kl_container_adj(KL_GUARANTEED, 80 * Mi, 512 * Mi), -997);
	assert_int_equal(kl_container_adj(KL_BESTEFFORT, 0, 512 * Mi), 1000);
	/* 1000 - 1000 * 64Mi / 512Mi */
	assert_int_equal(kl_container_adj(KL_BURSTABLE, 64 * Mi, 512 * Mi), 875);
	/* integer division: 1000 * 100 / 475760 is 0, and 1000 becomes 999 */
	assert_int_equal(kl_container_adj(KL_BURSTABLE, 100, 475760), 999);
	assert_int_equal(kl_container_adj(KL_BURSTABLE, 100 * Mi, 475760 * 1024LL), 785);
	assert_int_equal(kl_container_adj(KL_BURSTABLE, 0, 512 * Mi), 999);
	assert_int_equal(kl_container_adj(KL_BURSTABLE, 511 * Mi, 512 * Mi), 3);
	assert_int_equal(kl_container_adj(KL_BURSTABLE, 1024 * Mi, 512 * Mi), 3);
}

static void test_node_file(void **state)
{
	struct kl_node node;
	char err[160];

	(void)state;
	assert_int_equal(kl_node_parse("pod be priority=0 cgroup=/kubepods/be\n"
				       "container be-hog pod=be cgroup=/kubepods/be/be-hog "
				       "request=0\n"
				       "pod g priority=5 cgroup=/kubepods/podg\n"
				       "container g-app pod=g cgroup=/kubepods/podg/g-app "
				       "request=80Mi\n", &node, err, sizeof(err)), 0);
	assert_int_equal(node.npods, 2);
	assert_int_equal(node.ncontainers, 2);
	assert_int_equal(node.containers[1].pod, 1);
	assert_int_equal(node.containers[1].request, 80 * Mi);
	assert_int_equal(node.pods[1].priority, 5);
	assert_int_equal(kl_node_parse("container x pod=nope cgroup=/x\n", &node, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "line 1:"));
	assert_int_equal(kl_node_parse("pod a cgroup=/a color=red\n", &node, err,
				       sizeof(err)), -1);
	assert_non_null(strstr(err, "color=red"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantities),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_thresholds_met),
		cmocka_unit_test(test_pass_min_reclaim),
		cmocka_unit_test(test_pass_grace),
		cmocka_unit_test(test_comparators),
		cmocka_unit_test(test_multisorter),
		cmocka_unit_test(test_kubelet_cases),
		cmocka_unit_test(test_qos_adj),
		cmocka_unit_test(test_node_file),
	};

	return cmocka_run_group_tests_name("test_kubelet", tests, NULL, NULL);
}
