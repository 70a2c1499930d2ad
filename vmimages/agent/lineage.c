// SPDX-License-Identifier: GPL-2.0-only
/* lineage.c - which workload a guest process descends from, told by the kernel's proc connector. */
#include "lineage.h"

#include <errno.h>
#include <stddef.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "shared/sysfile.h"

#define PID_CAP (1 << 22)          /* PID_MAX_LIMIT on 64-bit */
#define RCVBUF_BYTES (1 << 20)     /* about a thousand queued events */

static int sock = -1;
static uint8_t *owner;             /* owner[pid]: the workload it descends from, or 0 */
static long npids;

static long read_pid_max(void)
{
	char text[32];
	long v;

	if (sysfile_read("/proc/sys/kernel/pid_max", text, sizeof(text)) <= 0)
		return PID_CAP;
	v = strtol(text, NULL, 10);
	return v > 0 && v <= PID_CAP ? v + 1 : PID_CAP;
}

/* Asks for the events: a netlink message carrying a connector message carrying the op. */
static int listen_op(enum proc_cn_mcast_op op)
{
	struct {
		struct nlmsghdr nl;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) msg;

	memset(&msg, 0, sizeof(msg));
	msg.nl.nlmsg_len = sizeof(msg);
	msg.nl.nlmsg_type = NLMSG_DONE;
	msg.nl.nlmsg_pid = (uint32_t)getpid();
	msg.cn.id.idx = CN_IDX_PROC;
	msg.cn.id.val = CN_VAL_PROC;
	msg.cn.len = sizeof(msg.op);
	msg.op = op;
	return send(sock, &msg, sizeof(msg), 0) == (ssize_t)sizeof(msg) ? 0 : -1;
}

int lineage_init(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int size = RCVBUF_BYTES, err;

	npids = read_pid_max();
	owner = calloc((size_t)npids, 1);
	if (!owner)
		return -1;
	sock = socket(PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (sock < 0)
		goto fail;
	sa.nl_pid = (uint32_t)getpid();
	/* as root the buffer may exceed rmem_max; a fork storm must not lose events */
	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen_op(PROC_CN_MCAST_LISTEN) < 0)
		goto fail;
	return sock;
fail:
	err = errno;
	lineage_release();
	errno = err;
	return -1;
}

void lineage_claim(pid_t pid, int own)
{
	if (owner && pid > 0 && pid < npids)
		owner[pid] = (uint8_t)own;
}

/*
 * A new process (not a thread) takes its parent's owner, or none: a pid reused by a process
 * that descends from no workload loses the old owner. The agent's own children are left to
 * lineage_claim(), which ran when fork() returned, before this event was read.
 */
static void on_fork(const struct proc_event *ev)
{
	pid_t parent = ev->event_data.fork.parent_tgid, child = ev->event_data.fork.child_tgid;

	if (ev->event_data.fork.child_pid != child || parent == getpid())
		return;
	if (child > 0 && child < npids)
		owner[child] = parent > 0 && parent < npids ? owner[parent] : 0;
}

int lineage_drain(void)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	int lost = 0;

	if (sock < 0)
		return 0;
	for (;;) {
		ssize_t n = recv(sock, buf, sizeof(buf), 0);
		struct nlmsghdr *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			lost++;
			continue;
		}
		if (n <= 0)
			break;
		for (nl = (struct nlmsghdr *)buf; NLMSG_OK(nl, n);
		     nl = NLMSG_NEXT(nl, n)) {
			struct cn_msg *cn = NLMSG_DATA(nl);
			struct proc_event *ev = (struct proc_event *)cn->data;

			/* other kernels' proc_event may differ in size: the fork part must be there */
			if (nl->nlmsg_type != NLMSG_DONE || cn->id.idx != CN_IDX_PROC ||
			    cn->len < offsetof(struct proc_event, event_data) +
				      sizeof(ev->event_data.fork))
				continue;
			if (ev->what == PROC_EVENT_FORK)
				on_fork(ev);
		}
	}
	return lost;
}

int lineage_owner(pid_t pid)
{
	return owner && pid > 0 && pid < npids ? owner[pid] : 0;
}

void lineage_release(void)
{
	if (sock >= 0) {
		listen_op(PROC_CN_MCAST_IGNORE);
		close(sock);
	}
	sock = -1;
	free(owner);
	owner = NULL;
	npids = 0;
}
