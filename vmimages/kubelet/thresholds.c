// SPDX-License-Identifier: GPL-2.0-only
/* thresholds.c - kubelet's eviction thresholds: parsed from its flags, met, held, graced. */
#include "kubelet/kubelet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pkg/kubelet/eviction/api/types.go: the signals the model observes. */
static const char *const signal_names[KL_NSIGNALS] = {
	"memory.available", "allocatableMemory.available", "pid.available",
};

const char *kl_signal_name(enum kl_signal s)
{
	return s < KL_NSIGNALS ? signal_names[s] : "?";
}

int kl_signal_of(const char *name)
{
	int i;

	for (i = 0; i < KL_NSIGNALS; i++)
		if (!strcmp(signal_names[i], name))
			return i;
	return -1;
}

/*
 * A threshold's value (helpers.go parseThresholdStatement, parsePercentage): "N%" is a
 * percentage of capacity, 0 < N <= 100 ... "0%" and "100%" are ignored (returned as 1 here:
 * the statement is dropped); anything else a quantity, which must be positive.
 */
static int parse_value(const char *text, struct kl_value *v, int allow_zero, char *err,
		       size_t errlen)
{
	size_t n = strlen(text);
	char *end;
	double pct;

	if (n && text[n - 1] == '%') {
		pct = strtod(text, &end);
		if (end != text + n - 1 || end == text) {
			snprintf(err, errlen, "'%s' is not a percentage", text);
			return -1;
		}
		if (pct < 0 || pct > 100) {
			snprintf(err, errlen, "eviction percentage threshold %s must be >= 0%% and "
				 "<= 100%%", text);
			return -1;
		}
		v->quantity = -1;
		v->percentage = pct / 100;
		return !allow_zero && (pct == 0 || pct == 100) ? 1 : 0;
	}
	v->percentage = 0;
	if (kl_parse_quantity(text, &v->quantity)) {
		snprintf(err, errlen, "'%s' is not a quantity (100Mi, 1Gi, 500M) nor a percentage",
			 text);
		return -1;
	}
	if (v->quantity < 0 || (!allow_zero && !v->quantity)) {
		snprintf(err, errlen, "eviction threshold %s must be positive", text);
		return -1;
	}
	return 0;
}

static struct kl_threshold *find(struct kl_config *c, enum kl_signal s, int hard)
{
	int i;

	for (i = 0; i < c->nt; i++)
		if (c->t[i].signal == s && c->t[i].hard == hard)
			return &c->t[i];
	return NULL;
}

/*
 * "memory.available<100Mi,pid.available<10%" (sep '<', thresholds) or
 * "memory.available=5s" (sep '=', grace periods and minimum reclaims): calls one() per item.
 */
static int each_item(const char *flag, const char *text, char sep,
		     int (*one)(struct kl_config *, const char *, int, const char *, char *,
				size_t),
		     struct kl_config *c, int hard, char *err, size_t errlen)
{
	char *copy = strdup(text), *save = NULL, *item, *at;
	int rc = 0, s;

	for (item = strtok_r(copy, ",", &save); item && !rc; item = strtok_r(NULL, ",", &save)) {
		at = strchr(item, sep);
		if (!at) {
			snprintf(err, errlen, "%s: '%s' is not SIGNAL%cVALUE", flag, item, sep);
			rc = -1;
			break;
		}
		*at = '\0';
		s = kl_signal_of(item);
		if (s < 0) {
			snprintf(err, errlen, "%s: unsupported eviction signal %s (the model has "
				 "memory.available, allocatableMemory.available, pid.available)",
				 flag, item);
			rc = -1;
			break;
		}
		rc = one(c, flag, s, at + 1, err, errlen);
	}
	free(copy);
	return rc;
}

static int add_threshold(struct kl_config *c, const char *flag, int s, const char *text,
			 char *err, size_t errlen, int hard)
{
	/* a soft threshold's grace period: -1 until --eviction-soft-grace-period gives one */
	struct kl_threshold t = { .signal = (enum kl_signal)s, .hard = hard,
				  .grace_ms = hard ? 0 : -1 };
	int rc = parse_value(text, &t.value, 0, err, errlen);

	if (rc < 0)
		return -1;
	if (rc > 0)
		return 0; /* 0% and 100% are ignored */
	if (c->nt == KL_MAX_THRESHOLDS) {
		snprintf(err, errlen, "%s: more than %d thresholds", flag, KL_MAX_THRESHOLDS);
		return -1;
	}
	c->t[c->nt++] = t;
	return 0;
}

static int add_hard(struct kl_config *c, const char *flag, int s, const char *text,
		    char *err, size_t errlen)
{
	return add_threshold(c, flag, s, text, err, errlen, 1);
}

static int add_soft(struct kl_config *c, const char *flag, int s, const char *text,
		    char *err, size_t errlen)
{
	return add_threshold(c, flag, s, text, err, errlen, 0);
}

static int set_grace(struct kl_config *c, const char *flag, int s, const char *text,
		     char *err, size_t errlen)
{
	struct kl_threshold *t = find(c, (enum kl_signal)s, 0);
	long long ms;

	if (kl_parse_duration(text, &ms) || ms < 0) {
		snprintf(err, errlen, "%s: '%s' is not a duration (5s, 1m30s)", flag, text);
		return -1;
	}
	if (t)
		t->grace_ms = ms;
	return 0;
}

static int set_min_reclaim(struct kl_config *c, const char *flag, int s, const char *text,
			   char *err, size_t errlen)
{
	struct kl_value v;
	int i;

	if (parse_value(text, &v, 1, err, errlen) < 0)
		return -1;
	for (i = 0; i < c->nt; i++)
		if (c->t[i].signal == (enum kl_signal)s)
			c->t[i].min_reclaim = v;
	return 0;
}

static int flag_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] || *i + 1 >= argc)
		return 0;
	*value = argv[++*i];
	return 1;
}

static int parse_bool(const char *flag, const char *v, int *out, char *err, size_t errlen)
{
	if (!strcmp(v, "true")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(v, "false")) {
		*out = 0;
		return 0;
	}
	snprintf(err, errlen, "%s takes true or false, not '%s'", flag, v);
	return -1;
}

/*
 * kubelet's flags and their defaults (apis/config/v1beta1/defaults.go, defaults_linux.go;
 * eviction/helpers.go ParseThresholdConfig): evictionHard defaults to memory.available<100Mi
 * (and disk signals the model leaves out) and is replaced whole by what the user sets;
 * a soft threshold needs a grace period; with "pods" in enforceNodeAllocatable (the
 * default), every hard memory.available threshold is copied to allocatableMemory.available
 * (addAllocatableThresholds). The synchronize period is kubelet's evictionMonitoringPeriod,
 * 10 s.
 */
int kl_config_parse(int argc, char **argv, struct kl_config *c, char *err, size_t errlen)
{
	const char *hard = NULL, *soft = NULL, *grace = NULL, *reclaim = NULL, *v;
	int i, n;

	memset(c, 0, sizeof(*c));
	c->monitoring_ms = 10000;
	c->transition_ms = 5 * 60 * 1000;
	c->enforce_pods = 1;
	snprintf(c->pods, sizeof(c->pods), "/etc/kubelet/pods");
	for (i = 1; i < argc; i++) {
		if (flag_value(argc, argv, &i, "--eviction-hard", &hard) ||
		    flag_value(argc, argv, &i, "--eviction-soft", &soft) ||
		    flag_value(argc, argv, &i, "--eviction-soft-grace-period", &grace) ||
		    flag_value(argc, argv, &i, "--eviction-minimum-reclaim", &reclaim))
			continue;
		if (flag_value(argc, argv, &i, "--housekeeping-interval", &v)) {
			if (kl_parse_duration(v, &c->monitoring_ms) || c->monitoring_ms < 100) {
				snprintf(err, errlen, "--housekeeping-interval: '%s' is not a "
					 "duration of at least 100ms", v);
				return -1;
			}
			continue;
		}
		if (flag_value(argc, argv, &i, "--eviction-pressure-transition-period", &v)) {
			if (kl_parse_duration(v, &c->transition_ms)) {
				snprintf(err, errlen, "--eviction-pressure-transition-period: '%s' "
					 "is not a duration", v);
				return -1;
			}
			continue;
		}
		if (flag_value(argc, argv, &i, "--eviction-max-pod-grace-period", &v)) {
			c->max_pod_grace_s = strtoll(v, NULL, 10);
			continue;
		}
		if (flag_value(argc, argv, &i, "--kernel-memcg-notification", &v)) {
			if (parse_bool("--kernel-memcg-notification", v, &c->memcg_notification,
				       err, errlen))
				return -1;
			continue;
		}
		if (flag_value(argc, argv, &i, "--enforce-node-allocatable", &v)) {
			c->enforce_pods = strstr(v, "pods") != NULL;
			continue;
		}
		if (flag_value(argc, argv, &i, "--system-reserved", &v) ||
		    flag_value(argc, argv, &i, "--kube-reserved", &v)) {
			long long q;

			if (strncmp(v, "memory=", 7) || kl_parse_quantity(v + 7, &q) || q < 0) {
				snprintf(err, errlen, "%s takes memory=QUANTITY, not '%s'", argv[i - 1],
					 v);
				return -1;
			}
			c->reserved += q;
			continue;
		}
		if (flag_value(argc, argv, &i, "--pods", &v)) {
			snprintf(c->pods, sizeof(c->pods), "%s", v);
			continue;
		}
		snprintf(err, errlen, "unknown flag '%s'", argv[i]);
		return -1;
	}
	if (each_item("--eviction-hard", hard ? hard : "memory.available<100Mi", '<', add_hard, c,
		      1, err, errlen) ||
	    (soft && each_item("--eviction-soft", soft, '<', add_soft, c, 0, err, errlen)) ||
	    (grace && each_item("--eviction-soft-grace-period", grace, '=', set_grace, c, 0, err,
				errlen)))
		return -1;
	/*
	 * A soft threshold without a grace period is an error; with one of 0 it is hard in all
	 * but name: isHardEvictionThreshold reads only the grace period.
	 */
	for (i = 0; i < c->nt; i++) {
		if (!c->t[i].hard && c->t[i].grace_ms < 0) {
			snprintf(err, errlen, "--eviction-soft: grace period must be specified for the "
				 "soft eviction threshold %s", kl_signal_name(c->t[i].signal));
			return -1;
		}
		if (!c->t[i].grace_ms)
			c->t[i].hard = 1;
	}
	/* minimum reclaim, by signal, before the copies, which take their original's */
	if (reclaim && each_item("--eviction-minimum-reclaim", reclaim, '=', set_min_reclaim, c,
				 0, err, errlen))
		return -1;
	n = c->nt;
	for (i = 0; c->enforce_pods && i < n; i++) {
		struct kl_threshold t = c->t[i];

		if (!t.hard || t.signal != KL_MEMORY_AVAILABLE)
			continue;
		if (c->nt == KL_MAX_THRESHOLDS) {
			snprintf(err, errlen, "more than %d thresholds", KL_MAX_THRESHOLDS);
			return -1;
		}
		t.signal = KL_ALLOCATABLE_MEMORY_AVAILABLE;
		c->t[c->nt++] = t;
	}
	return 0;
}

/* GetThresholdQuantity: a quantity as it is; a percentage as int64(capacity * pct). */
long long kl_threshold_quantity(const struct kl_value *v, long long capacity)
{
	if (v->quantity >= 0)
		return v->quantity;
	return (long long)((double)capacity * v->percentage);
}

/*
 * thresholdsMet: a threshold is met when its quantity is larger than what is available; with
 * enforce_min_reclaim, when that quantity plus its minimum reclaim is (so a threshold met last
 * pass holds until the minimum has been reclaimed). A signal not observed meets nothing.
 */
int kl_thresholds_met(const struct kl_threshold *t, int n, const struct kl_observation *obs,
		      int enforce_min_reclaim, int *met)
{
	long long q;
	int i, count = 0;

	for (i = 0; i < n; i++) {
		const struct kl_observation *o = &obs[t[i].signal];

		met[i] = 0;
		if (!o->present)
			continue;
		q = kl_threshold_quantity(&t[i].value, o->capacity);
		if (enforce_min_reclaim)
			q += kl_threshold_quantity(&t[i].min_reclaim, o->capacity);
		if (q > o->available) {
			met[i] = 1;
			count++;
		}
	}
	return count;
}

void kl_state_init(struct kl_state *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < KL_MAX_THRESHOLDS; i++)
		s->first_ms[i] = -1;
	s->memory_pressure_ms = s->pid_pressure_ms = -1;
}

static int is_memory(enum kl_signal s)
{
	return s == KL_MEMORY_AVAILABLE || s == KL_ALLOCATABLE_MEMORY_AVAILABLE;
}

/*
 * synchronize()'s threshold steps, in kubelet's order:
 *   met = thresholdsMet(all, obs, false), merged with thresholdsMet(last pass's, obs, true);
 *   thresholdsFirstObservedAt keeps each met threshold's first time, or now;
 *   nodeConditions / nodeConditionsLastObservedAt mark the conditions seen now;
 *   thresholdsMetGracePeriod keeps those met for at least their grace period (0 for hard);
 *   that set is kept for the next pass; getReclaimableThreshold takes the first after
 *   byEvictionPriority, which puts memory signals before the others.
 * The model observes fresh stats every pass, so thresholdsUpdatedStats keeps them all.
 */
int kl_pass(const struct kl_config *c, struct kl_state *s, const struct kl_observation *obs,
	    long long now_ms, int *seen)
{
	int now_met[KL_MAX_THRESHOLDS], held[KL_MAX_THRESHOLDS];
	int i, pick = -1;

	kl_thresholds_met(c->t, c->nt, obs, 0, now_met);
	kl_thresholds_met(c->t, c->nt, obs, 1, held);
	for (i = 0; i < c->nt; i++) {
		seen[i] = now_met[i] || (s->met[i] && held[i]);
		if (!seen[i]) {
			s->first_ms[i] = -1;
			continue;
		}
		if (s->first_ms[i] < 0)
			s->first_ms[i] = now_ms;
		if (is_memory(c->t[i].signal))
			s->memory_pressure_ms = now_ms;
		else
			s->pid_pressure_ms = now_ms;
	}
	for (i = 0; i < c->nt; i++) {
		s->met[i] = seen[i] && now_ms - s->first_ms[i] >= c->t[i].grace_ms;
		if (!s->met[i])
			continue;
		if (pick < 0 || (is_memory(c->t[i].signal) && !is_memory(c->t[pick].signal)))
			pick = i;
	}
	return pick;
}

int kl_memory_pressure(const struct kl_config *c, const struct kl_state *s, long long now_ms)
{
	return s->memory_pressure_ms >= 0 && now_ms - s->memory_pressure_ms < c->transition_ms;
}

int kl_pid_pressure(const struct kl_config *c, const struct kl_state *s, long long now_ms)
{
	return s->pid_pressure_ms >= 0 && now_ms - s->pid_pressure_ms < c->transition_ms;
}
