// SPDX-License-Identifier: GPL-2.0-only
/* scenario_node.c - a Kubernetes node (node:, pods:): its groups, containers and kubelet. */
#include "cells/scenario_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kubelet/kubelet.h"
#include "util.h"

/*
 *   node:
 *     capacity: 512M                  # the VM's memory (vm: may then be left out)
 *     cgroup: v2                      # v1 | v2
 *     eviction_hard: {memory.available: 100Mi}        # kubelet's evictionHard; its
 *     eviction_soft: {memory.available: 150Mi}        # default when left out
 *     eviction_soft_grace_period: {memory.available: 5s}
 *     eviction_minimum_reclaim: {memory.available: 50Mi}
 *     eviction_max_pod_grace_period: 0
 *     eviction_pressure_transition_period: 5m
 *     enforce_node_allocatable: [pods]                # kubelet's default
 *     system_reserved: {memory: 200Mi}                # and kube_reserved: taken off the
 *                                                     # node allocatable, kubepods' limit
 *     housekeeping_interval: 10s      # the eviction manager's synchronize period
 *     kernel_memcg_notification: true # cgroup v1 only, as in kubelet
 *   pods:
 *     - name: burst
 *       priority: 1000                # spec.priority, default 0
 *       containers:
 *         - {name: burst-hog, program: bigmm, args: [...],
 *            requests: {memory: 64Mi}, limits: {memory: 96Mi}}
 *
 * What kubelet's cgroupfs driver would make of it (pkg/kubelet/cm: qos_container_manager,
 * pod_container_manager): kubepods, kubepods/burstable, kubepods/besteffort, a group
 * pod<name> per pod (the pod's uid is its name here) under its class's (a Guaranteed pod's
 * directly under kubepods), and a group per container in it. A container's memory limit is
 * its group's memory.max (v1: memory.limit_in_bytes); a pod whose every container has one
 * gets their sum on its own group. cpu is left alone. The QoS class is GetPodQOS's over
 * memory alone, the only resource declared: Guaranteed when every container has a limit and
 * a request equal to it (a request left out is the limit), BestEffort when none has either,
 * else Burstable. Each container becomes a workload named as the container (so container
 * names are unique across pods) at its class's oom_score_adj (vmimages/kubelet/qos.c), and
 * the model of kubelet's eviction manager (program kubelet, vmimages/kubelet/) is the
 * evictor, with kubelet's flags made of node: and the pods in /etc/kubelet/pods.
 */

#define KUBELET_PODS "/etc/kubelet/pods"

/* memory requests and limits: {memory: 64Mi}, nothing else */
static int sc_memory_of(struct sc_ctx *x, const struct sc_node *cn, const char *key,
			long long *v)
{
	static const char *const keys[] = { "memory", NULL };
	const struct sc_node *m = sc_get(cn, key, NULL), *n;

	*v = -1;
	if (!m)
		return 0;
	if (m->kind != SC_MAP)
		return sc_error(x, m->pos, "%s takes a mapping {memory: QUANTITY}, found %s", key,
				sc_found(x, m));
	if (sc_check_keys(x, m, key, keys))
		return -1;
	n = sc_get(m, "memory", NULL);
	if (!n)
		return 0;
	if (n->kind != SC_SCALAR || kl_parse_quantity(n->text, v) || *v < 0)
		return sc_error(x, n->pos, "memory takes a Kubernetes quantity such as 64Mi or 1Gi, "
				"found %s", sc_found(x, n));
	return 0;
}

/* A threshold map {memory.available: 100Mi} as kubelet's flag text, sep '<' or '='. */
static int sc_flag_map(struct sc_ctx *x, const struct sc_node *map, const char *key, char sep,
		       int duration, int zero_ok, struct strbuf *out)
{
	int i;

	if (map->kind != SC_MAP || !map->nkids)
		return sc_error(x, map->pos, "%s takes a mapping of signals (memory.available, "
				"allocatableMemory.available, pid.available) to values, found %s",
				key, sc_found(x, map));
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct sc_node *k = map->kids[i], *v = map->kids[i + 1];
		long long q;
		size_t n;

		if (kl_signal_of(k->text) < 0)
			return sc_error(x, k->pos, "%s takes memory.available, "
					"allocatableMemory.available or pid.available (the model's "
					"signals), found %s", key, sc_found(x, k));
		n = v->kind == SC_SCALAR ? strlen(v->text) : 0;
		if (!n || (duration ? kl_parse_duration(v->text, &q) :
			   v->text[n - 1] == '%' ? sc_permyriad(v->text) < 0 :
			   kl_parse_quantity(v->text, &q) || q < 0 || (!q && !zero_ok)))
			return sc_error(x, v->pos, "%s: %s takes %s, found %s", key, k->text,
					duration ? "a duration such as 5s or 1m30s" :
					zero_ok ? "a quantity such as 100Mi or a percentage such as 10%" :
					"a positive quantity such as 100Mi or a percentage such as 10%",
					sc_found(x, v));
		strbuf_addf(out, "%s%s%c%s", out->len ? "," : "", k->text, sep, v->text);
	}
	return 0;
}

static void sc_ev_arg(struct sc_evictor *ev, const char *flag, const char *value)
{
	ev->args = xrealloc(ev->args, (size_t)(ev->nargs + 3) * sizeof(*ev->args));
	ev->args[ev->nargs++] = xstrdup(flag);
	ev->args[ev->nargs++] = xstrdup(value);
	ev->args[ev->nargs] = NULL;
}

/* node: into the kubelet model's flags, and what the oracles need of it. */
static int sc_parse_node_map(struct sc_ctx *x, const struct sc_node *nn, struct scenario *sc)
{
	static const char *const keys[] = {
		"capacity", "cgroup", "eviction_hard", "eviction_soft",
		"eviction_soft_grace_period", "eviction_minimum_reclaim",
		"eviction_max_pod_grace_period", "eviction_pressure_transition_period",
		"enforce_node_allocatable", "system_reserved", "kube_reserved",
		"housekeeping_interval", "kernel_memcg_notification", NULL
	};
	static const struct {
		const char *key, *flag;
		char sep;
		int duration, zero_ok;
	} maps[] = {
		/* parseThresholdStatement: a threshold's quantity must be positive */
		{ "eviction_hard", "--eviction-hard", '<', 0, 0 },
		{ "eviction_soft", "--eviction-soft", '<', 0, 0 },
		{ "eviction_soft_grace_period", "--eviction-soft-grace-period", '=', 1, 1 },
		{ "eviction_minimum_reclaim", "--eviction-minimum-reclaim", '=', 0, 1 },
	};
	struct sc_evictor *ev = &sc->evictor;
	struct strbuf sb = STRBUF_INIT;
	const struct sc_node *n;
	unsigned long long cap;
	long long v, ms;
	char buf[32];
	size_t i;

	if (nn->kind != SC_MAP)
		return sc_error(x, nn->pos, "node takes a mapping (capacity, cgroup, eviction_hard, "
				"...), found %s", sc_found(x, nn));
	if (sc_check_keys(x, nn, "in node", keys))
		return -1;
	n = sc_get(nn, "capacity", NULL);
	if (n) {
		if (n->kind != SC_SCALAR || parse_size(n->text, &cap) || cap < 64ULL << 20)
			return sc_error(x, n->pos, "capacity takes the node's memory, a size of at "
					"least 64M such as 512M, found %s", sc_found(x, n));
		if (sc->memory_bytes && sc->memory_bytes != cap)
			return sc_error(x, n->pos, "capacity is the VM's memory: vm.memory says %llu "
					"bytes, found %s", sc->memory_bytes, sc_found(x, n));
		sc->memory_bytes = cap;
	} else if (!sc->memory_bytes) {
		return sc_error(x, nn->pos, "missing key 'capacity' in node (or vm.memory)");
	}
	if (!sc->cpus)
		sc->cpus = 2;
	sc->node.on = 1;
	n = sc_get(nn, "cgroup", NULL);
	if (!n || n->kind != SC_SCALAR || (strcmp(n->text, "v1") && strcmp(n->text, "v2")))
		return sc_error(x, n ? n->pos : nn->pos, "node.cgroup takes v1 or v2, found %s",
				n ? sc_found(x, n) : "nothing");
	sc->cgroup = !strcmp(n->text, "v1") ? SC_CGROUP_V1 : SC_CGROUP_V2;

	ev->kind = sc_evictor_kind("kubelet");
	ev->pos = nn->pos;
	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		n = sc_get(nn, maps[i].key, NULL);
		if (!n)
			continue;
		strbuf_reset(&sb);
		if (sc_flag_map(x, n, maps[i].key, maps[i].sep, maps[i].duration, maps[i].zero_ok,
				&sb)) {
			strbuf_release(&sb);
			return -1;
		}
		sc_ev_arg(ev, maps[i].flag, sb.buf);
	}
	strbuf_release(&sb);
	n = sc_get(nn, "eviction_max_pod_grace_period", NULL);
	if (n) {
		if (sc_want_int(x, n, "eviction_max_pod_grace_period", 0, 3600, &v))
			return -1;
		sc_ev_arg(ev, "--eviction-max-pod-grace-period", n->text);
	}
	n = sc_get(nn, "eviction_pressure_transition_period", NULL);
	if (n) {
		if (n->kind != SC_SCALAR || kl_parse_duration(n->text, &ms))
			return sc_error(x, n->pos, "eviction_pressure_transition_period takes a "
					"duration such as 5m, found %s", sc_found(x, n));
		sc_ev_arg(ev, "--eviction-pressure-transition-period", n->text);
	}
	n = sc_get(nn, "enforce_node_allocatable", NULL);
	if (n) {
		if (n->kind != SC_SEQ || n->nkids > 1 ||
		    (n->nkids && (n->kids[0]->kind != SC_SCALAR || strcmp(n->kids[0]->text, "pods"))))
			return sc_error(x, n->pos, "enforce_node_allocatable takes [pods] or [] (the "
					"model reserves nothing for the system), found %s",
					sc_found(x, n));
		sc_ev_arg(ev, "--enforce-node-allocatable", n->nkids ? "pods" : "none");
	}
	for (i = 0; i < 2; i++) {
		static const char *const keys2[] = { "system_reserved", "kube_reserved" };
		long long q;

		n = sc_get(nn, keys2[i], NULL);
		if (!n)
			continue;
		if (sc_memory_of(x, nn, keys2[i], &q))
			return -1;
		snprintf(buf, sizeof(buf), "memory=%lld", q < 0 ? 0 : q);
		sc_ev_arg(ev, i ? "--kube-reserved" : "--system-reserved", buf);
	}
	ms = 10000; /* kubelet's evictionMonitoringPeriod */
	n = sc_get(nn, "housekeeping_interval", NULL);
	if (n && (n->kind != SC_SCALAR || kl_parse_duration(n->text, &ms) || ms < 100))
		return sc_error(x, n->pos, "housekeeping_interval takes a duration of at least 100ms "
				"such as 10s, found %s", sc_found(x, n));
	snprintf(buf, sizeof(buf), "%lldms", ms);
	sc_ev_arg(ev, "--housekeeping-interval", buf);
	n = sc_get(nn, "kernel_memcg_notification", NULL);
	if (n) {
		if (n->kind != SC_SCALAR || (strcmp(n->text, "true") && strcmp(n->text, "false")))
			return sc_error(x, n->pos, "kernel_memcg_notification takes true or false, "
					"found %s", sc_found(x, n));
		sc_ev_arg(ev, "--kernel-memcg-notification", n->text);
	}
	sc_ev_arg(ev, "--pods", KUBELET_PODS);
	return 0;
}

static int sc_add_group(struct scenario *sc, const char *name, const char *knob, long long v)
{
	struct sc_group *g;

	sc->groups = xrealloc(sc->groups, (size_t)(sc->ngroups + 1) * sizeof(*sc->groups));
	g = &sc->groups[sc->ngroups];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	if (knob && v > 0) {
		g->knobs = xcalloc(1, sizeof(*g->knobs));
		g->knobs[0].known = sc_known_knob(sc->cgroup, knob);
		g->knobs[0].value = v;
		g->nknobs = 1;
	}
	return sc->ngroups++;
}

static const char *const qos_groups[] = { "kubepods/besteffort", "kubepods/burstable",
					  "kubepods" };

/* One container of pod p, as workload w. */
static int sc_parse_container(struct sc_ctx *x, const struct sc_node *cl, int c,
			      struct scenario *sc, struct sc_workload *w, long long *req,
			      long long *lim)
{
	static const char *const keys[] = {
		"name", "program", "args", "requests", "limits", "start", NULL
	};
	static const char *const need[] = { "name", "program", NULL };
	const struct sc_node *cn = cl->kids[c], *n;
	int j;

	w->pos = cn->pos;
	if (cn->kind != SC_MAP)
		return sc_error(x, cn->pos, "expected a container (a mapping with name and "
				"program), found %s", sc_found(x, cn));
	if (sc_check_keys(x, cn, "in a container", keys) ||
	    sc_require(x, cn, "in a container", need))
		return -1;
	n = sc_get(cn, "name", NULL);
	if (n->kind != SC_SCALAR || !sc_name_ok(n->text, SC_NAME_MAX - 1))
		return sc_error(x, n->pos, "container name takes 1..%d of [a-z0-9_-] (it becomes "
				"the process name), found %s", SC_NAME_MAX - 1, sc_found(x, n));
	for (j = 0; &sc->workloads[j] != w; j++)
		if (!strcmp(sc->workloads[j].name, n->text))
			return sc_error(x, n->pos, "duplicate container name '%s' (first at %d:%d): "
					"oomlab names processes by container, so names are unique "
					"across pods", n->text, sc->workloads[j].pos.line,
					sc->workloads[j].pos.col);
	strcpy(w->name, n->text);
	if (sc_parse_program(x, cn, w) ||
	    sc_memory_of(x, cn, "requests", req) ||
	    sc_memory_of(x, cn, "limits", lim))
		return -1;
	if (*req < 0 && *lim >= 0)
		*req = *lim; /* a request left out defaults to the limit */
	if (*lim >= 0 && *req > *lim)
		return sc_error(x, cn->pos, "container '%s': its memory request is above its limit",
				w->name);
	n = sc_get(cn, "start", NULL);
	return n ? sc_parse_start(x, cl, (int)(w - sc->workloads), n, sc) : 0;
}

/* pods: into scenario.pods, its groups and its workloads. */
static int sc_parse_pods(struct sc_ctx *x, const struct sc_node *list, struct scenario *sc)
{
	static const char *const keys[] = { "name", "priority", "containers", NULL };
	static const char *const need[] = { "name", "containers", NULL };
	long long req[PROTO_MAX_WORKLOADS], lim[PROTO_MAX_WORKLOADS], v;
	int i, j, c, total = 0, nreq, nlim, all_guar;
	struct strbuf sb = STRBUF_INIT;
	const struct sc_node *n;
	char path[128];

	if (list->kind != SC_SEQ || !list->nkids)
		return sc_error(x, list->pos, "pods takes a non-empty list of pods, found %s",
				sc_found(x, list));
	if (list->nkids > KL_MAX_PODS)
		return sc_error(x, list->kids[KL_MAX_PODS]->pos, "pods takes at most %d pods (the "
				"model's ranking of them must fit one line of the agent's), found %d",
				KL_MAX_PODS, list->nkids);
	for (i = 0; i < list->nkids; i++) {
		n = list->kids[i]->kind == SC_MAP ? sc_get(list->kids[i], "containers", NULL) : NULL;
		total += n && n->kind == SC_SEQ ? n->nkids : 0;
	}
	if (total > PROTO_MAX_WORKLOADS)
		return sc_error(x, list->pos, "pods take at most %d containers in all (the agent's "
				"limit), found %d", PROTO_MAX_WORKLOADS, total);
	sc->workloads = xcalloc((size_t)total + 1, sizeof(*sc->workloads));
	sc->pods = xcalloc((size_t)list->nkids, sizeof(*sc->pods));
	sc_add_group(sc, "kubepods", NULL, 0);
	sc_add_group(sc, "kubepods/burstable", NULL, 0);
	sc_add_group(sc, "kubepods/besteffort", NULL, 0);
	for (i = 0; i < list->nkids; i++) {
		const struct sc_node *pn = list->kids[i], *cl;
		struct sc_pod *p = &sc->pods[i];

		p->pos = pn->pos;
		if (pn->kind != SC_MAP)
			return sc_error(x, pn->pos, "expected a pod (a mapping with name and "
					"containers), found %s", sc_found(x, pn));
		if (sc_check_keys(x, pn, "in a pod", keys) || sc_require(x, pn, "in a pod", need))
			return -1;
		n = sc_get(pn, "name", NULL);
		if (n->kind != SC_SCALAR || !sc_name_ok(n->text, 40) || strchr(n->text, '_'))
			return sc_error(x, n->pos, "pod name takes 1..40 of [a-z0-9-], found %s",
					sc_found(x, n));
		for (j = 0; j < i; j++)
			if (!strcmp(sc->pods[j].name, n->text))
				return sc_error(x, n->pos, "duplicate pod name '%s' (first at %d:%d)",
						n->text, sc->pods[j].pos.line, sc->pods[j].pos.col);
		p->name = xstrdup(n->text);
		sc->npods = i + 1; /* counted now, so that an error below frees what it holds */
		n = sc_get(pn, "priority", NULL);
		if (n) {
			if (sc_want_int(x, n, "priority", -2147483647LL, 2147483647LL, &v))
				return -1;
			p->priority = (int)v;
		}
		cl = sc_get(pn, "containers", NULL);
		if (cl->kind != SC_SEQ || !cl->nkids)
			return sc_error(x, cl->pos, "containers takes a non-empty list of containers, "
					"found %s", sc_found(x, cl));
		p->first = sc->nworkloads;
		p->ncontainers = cl->nkids;
		nreq = nlim = 0;
		all_guar = 1;
		for (c = 0; c < cl->nkids; c++) {
			int k = sc->nworkloads++;

			if (sc_parse_container(x, cl, c, sc, &sc->workloads[k], &req[k], &lim[k]))
				return -1;
			nreq += req[k] >= 0;
			nlim += lim[k] >= 0;
			all_guar &= lim[k] >= 0 && req[k] == lim[k];
			p->request += req[k] > 0 ? req[k] : 0;
			p->limit += lim[k] > 0 ? lim[k] : 0;
		}
		p->qos = all_guar ? SC_QOS_GUARANTEED : !nreq && !nlim ? SC_QOS_BESTEFFORT :
			SC_QOS_BURSTABLE;
		if (nlim != cl->nkids)
			p->limit = 0;
		snprintf(path, sizeof(path), "%s/pod%s", qos_groups[p->qos], p->name);
		p->group = sc_add_group(sc, path, sc->cgroup == SC_CGROUP_V1 ?
					"memory.limit_in_bytes" : "memory.max", p->limit);
		for (c = p->first; c < sc->nworkloads; c++) {
			struct sc_workload *w = &sc->workloads[c];

			snprintf(path, sizeof(path), "%s/pod%s/%s", qos_groups[p->qos], p->name,
				 w->name);
			w->group = sc_add_group(sc, path, sc->cgroup == SC_CGROUP_V1 ?
						"memory.limit_in_bytes" : "memory.max", lim[c]);
			w->oom_score_adj = kl_container_adj((enum kl_qos)p->qos, req[c] > 0 ?
							    req[c] : 0,
							    (long long)sc->memory_bytes);
			if (p->qos == SC_QOS_BURSTABLE)
				w->burstable_request = req[c] > 0 ? req[c] : 0;
		}
	}
	/* what the API server and the runtime would tell kubelet: vmimages/kubelet/pods.c */
	for (i = 0; i < sc->npods; i++) {
		const struct sc_pod *p = &sc->pods[i];

		strbuf_addf(&sb, "pod %s priority=%d cgroup=/%s\n", p->name, p->priority,
			    sc->groups[p->group].name);
		for (c = p->first; c < p->first + p->ncontainers; c++)
			strbuf_addf(&sb, "container %s pod=%s cgroup=/%s request=%lld\n",
				    sc->workloads[c].name, p->name,
				    sc->groups[sc->workloads[c].group].name, req[c] > 0 ? req[c] : 0);
	}
	sc->evictor.files = xcalloc(1, sizeof(*sc->evictor.files));
	sc->evictor.files[0].path = xstrdup(KUBELET_PODS);
	sc->evictor.files[0].text = strbuf_detach(&sb);
	sc->evictor.files[0].pos = list->pos;
	sc->evictor.nfiles = 1;
	return 0;
}

int sc_node_alone(struct sc_ctx *x, const struct sc_node *root)
{
	static const char *const not_with[] = {
		"cgroup", "groups", "changes", "evictor", "workloads", NULL
	};
	const struct sc_node *key;
	int i;

	for (i = 0; not_with[i]; i++)
		if (sc_get(root, not_with[i], &key))
			return sc_error(x, key->pos, "a scenario with node: takes no %s: its pods "
					"make the groups and workloads as kubelet would, and kubelet "
					"is its evictor", not_with[i]);
	return 0;
}

int sc_parse_node(struct sc_ctx *x, const struct sc_node *root, struct scenario *sc)
{
	const struct sc_node *key, *n = sc_get(root, "node", NULL);

	if (!sc_get(root, "pods", &key))
		return sc_error(x, n->pos, "node: needs pods:, the pods the node runs");
	if (sc_parse_node_map(x, n, sc))
		return -1;
	return sc_parse_pods(x, sc_get(root, "pods", NULL), sc);
}

int sc_pod_index(const struct scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->npods; i++)
		if (!strcmp(sc->pods[i].name, name))
			return i;
	return -1;
}

/*
 * evicted: [be, [a, b], guar] and oom_killed: [container, ...] of a rule of a node scenario;
 * killed becomes the containers of both.
 */
int sc_parse_pod_rule(struct sc_ctx *x, const struct sc_node *rn, const struct scenario *sc,
		      struct sc_rule *r)
{
	const struct sc_node *ev = sc_get(rn, "evicted", NULL), *ok = sc_get(rn, "oom_killed", NULL);
	const struct sc_node *rank;
	int i, j, k, p, nranks = 0;

	if (!ev && !ok)
		return 0;
	if (!sc->node.on)
		return sc_error(x, (ev ? ev : ok)->pos, "%s takes pods: the scenario has no node:",
				ev ? "evicted" : "oom_killed");
	if (sc_get(rn, "killed", NULL))
		return sc_error(x, rn->pos, "a rule of a node takes evicted: and oom_killed:, not "
				"killed:");
	r->has_killed = 1;
	r->killed = xcalloc((size_t)sc->nworkloads + 1, sizeof(*r->killed));
	if (ev) {
		if (ev->kind != SC_SEQ)
			return sc_error(x, ev->pos, "evicted takes a list of pods in eviction order "
					"(a nested list for pods of one rank), found %s",
					sc_found(x, ev));
		r->has_evicted = 1;
		r->evicted = xcalloc((size_t)sc->npods + 1, sizeof(*r->evicted));
		r->evicted_rank = xcalloc((size_t)sc->npods + 1, sizeof(*r->evicted_rank));
		for (i = 0; i < ev->nkids; i++, nranks++) {
			rank = ev->kids[i];
			for (j = 0; j < (rank->kind == SC_SEQ ? rank->nkids : 1); j++) {
				const struct sc_node *it = rank->kind == SC_SEQ ? rank->kids[j] : rank;

				p = it->kind == SC_SCALAR ? sc_pod_index(sc, it->text) : -1;
				if (p < 0)
					return sc_error(x, it->pos, "evicted takes pods of this node, "
							"found %s", sc_found(x, it));
				for (k = 0; k < r->nevicted; k++)
					if (r->evicted[k] == p)
						return sc_error(x, it->pos, "pod '%s' named twice in "
								"evicted", it->text);
				r->evicted[r->nevicted] = p;
				r->evicted_rank[r->nevicted++] = nranks;
				for (k = 0; k < sc->pods[p].ncontainers; k++)
					r->killed[r->nkilled++] =
						xstrdup(sc->workloads[sc->pods[p].first + k].name);
			}
		}
	}
	if (ok) {
		if (ok->kind != SC_SEQ)
			return sc_error(x, ok->pos, "oom_killed takes a list of containers, found %s",
					sc_found(x, ok));
		r->oom_killed = xcalloc((size_t)ok->nkids + 1, sizeof(*r->oom_killed));
		for (i = 0; i < ok->nkids; i++) {
			const struct sc_node *it = ok->kids[i];

			for (j = 0; j < sc->nworkloads && it->kind == SC_SCALAR; j++)
				if (!strcmp(sc->workloads[j].name, it->text))
					break;
			if (it->kind != SC_SCALAR || j == sc->nworkloads)
				return sc_error(x, it->pos, "oom_killed takes containers of this "
						"node's pods, found %s", sc_found(x, it));
			for (k = 0; k < r->nkilled; k++)
				if (!strcmp(r->killed[k], it->text))
					return sc_error(x, it->pos, "container '%s' is named twice "
							"(oom_killed, or a container of an evicted "
							"pod)", it->text);
			r->oom_killed[r->noom_killed++] = xstrdup(it->text);
			r->killed[r->nkilled++] = xstrdup(it->text);
		}
	}
	return 0;
}
