// SPDX-License-Identifier: GPL-2.0-only
/* pods.c - the node's pods and containers, from the file the host writes for the model. */
#include "kubelet/kubelet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The file (written by harness/cells/scenario_node.c, one line each):
 *   pod be priority=0 cgroup=/kubepods/besteffort/podbe
 *   container be-hog pod=be cgroup=/kubepods/besteffort/podbe/be-hog request=0
 * What of each pod's spec the eviction manager reads (priority, requests) and what the
 * runtime would know of each container (its cgroup). Limits and the QoS class are the
 * kernel's and the agent's business (the cgroups' limits, each container's adj). A pod's request is its containers' summed, as
 * GetResourceRequestQuantity sums them (the model has no init containers and no overhead).
 */

static int field(char *tok, const char *key, char **val)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) || tok[n] != '=')
		return 0;
	*val = tok + n + 1;
	return 1;
}

static int parse_line(char *line, struct kl_node *node, char *err, size_t errlen)
{
	char *save = NULL, *kind, *name, *tok, *val;
	long long q;
	int i;

	kind = strtok_r(line, " \t", &save);
	if (!kind || *kind == '#')
		return 0;
	name = strtok_r(NULL, " \t", &save);
	if (!name) {
		snprintf(err, errlen, "%s without a name", kind);
		return -1;
	}
	if (!strcmp(kind, "pod")) {
		struct kl_node_pod *p;

		if (node->npods == KL_MAX_PODS || strlen(name) >= sizeof(p->name)) {
			snprintf(err, errlen, "more than %d pods, or a name too long", KL_MAX_PODS);
			return -1;
		}
		p = &node->pods[node->npods++];
		snprintf(p->name, sizeof(p->name), "%s", name);
		while ((tok = strtok_r(NULL, " \t", &save))) {
			if (field(tok, "priority", &val))
				p->priority = atoi(val);
			else if (field(tok, "cgroup", &val))
				snprintf(p->cgroup, sizeof(p->cgroup), "%s", val);
			else {
				snprintf(err, errlen, "unknown pod field '%s'", tok);
				return -1;
			}
		}
		if (!p->cgroup[0]) {
			snprintf(err, errlen, "pod %s without cgroup=", name);
			return -1;
		}
		return 0;
	}
	if (strcmp(kind, "container")) {
		snprintf(err, errlen, "'%s' is neither pod nor container", kind);
		return -1;
	}
	if (node->ncontainers == KL_MAX_CONTAINERS ||
	    strlen(name) >= sizeof(node->containers[0].name)) {
		snprintf(err, errlen, "more than %d containers, or a name too long",
			 KL_MAX_CONTAINERS);
		return -1;
	}
	struct kl_container *c = &node->containers[node->ncontainers++];

	snprintf(c->name, sizeof(c->name), "%s", name);
	c->pod = -1;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (field(tok, "pod", &val)) {
			for (i = 0; i < node->npods; i++)
				if (!strcmp(node->pods[i].name, val))
					c->pod = i;
		} else if (field(tok, "cgroup", &val)) {
			snprintf(c->cgroup, sizeof(c->cgroup), "%s", val);
		} else if (field(tok, "request", &val)) {
			if (kl_parse_quantity(val, &q) || q < 0) {
				snprintf(err, errlen, "'%s' is not a quantity", tok);
				return -1;
			}
			c->request = q;
		} else {
			snprintf(err, errlen, "unknown container field '%s'", tok);
			return -1;
		}
	}
	if (c->pod < 0 || !c->cgroup[0]) {
		snprintf(err, errlen, "container %s without a pod declared before it, or cgroup=",
			 name);
		return -1;
	}
	return 0;
}

int kl_node_parse(const char *text, struct kl_node *node, char *err, size_t errlen)
{
	char *copy = strdup(text), *save = NULL, *line, msg[160];
	int n = 0, rc = 0;

	memset(node, 0, sizeof(*node));
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n++;
		if (parse_line(line, node, msg, sizeof(msg))) {
			snprintf(err, errlen, "line %d: %s", n, msg);
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}
