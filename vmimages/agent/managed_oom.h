/* SPDX-License-Identifier: GPL-2.0-only */
/* managed_oom.h - the agent as PID 1 for systemd-oomd: the varlink socket naming its cgroups. */
#ifndef OOMLAB_MANAGED_OOM_H
#define OOMLAB_MANAGED_OOM_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

/*
 * systemd-oomd learns which cgroups to watch from PID 1, never from its own configuration: at
 * start it connects to MOOM_SOCKET and calls io.systemd.ManagedOOM.SubscribeManagedOOMCGroups
 * with "more" set, and PID 1 answers with the units that have ManagedOOMSwap=kill or
 * ManagedOOMMemoryPressure=kill, then sends each later change on the same connection. In the
 * guest the agent is PID 1, so this module plays that part with a fixed list of groups.
 *
 * Varlink on the wire is a stream of JSON objects, each ended by a NUL byte. A call is
 *   {"method":"io.systemd.ManagedOOM.SubscribeManagedOOMCGroups","parameters":{},"more":true}
 * and the reply, and every later update, is
 *   {"parameters":{"cgroups":[{"mode":"kill","path":"/oomlab/a",
 *    "property":"ManagedOOMMemoryPressure","limit":2147483648}]},"continues":true}
 * "limit" is sent for ManagedOOMMemoryPressure entries only, as a fraction of 2^32-1 (0: the
 * daemon's DefaultMemoryPressureLimit=). An update with mode "auto" makes oomd drop the group.
 * oomd treats a reply without "continues" as the end of the subscription and reconnects a
 * second later, and exits if it cannot connect: the socket must stay open while it runs.
 *
 * Everything is non-blocking and nothing is allocated: moom_pollfds() adds the fds to poll,
 * moom_handle() does all the work that is ready, whether or not poll said so.
 */

#define MOOM_SOCKET "/run/systemd/io.system.ManagedOOM"
#define MOOM_METHOD "io.systemd.ManagedOOM.SubscribeManagedOOMCGroups"
#define MOOM_MAX_GROUPS 16
#define MOOM_MAX_CLIENTS 4
#define MOOM_PATH_MAX 160
#define MOOM_IN_MAX 4096  /* one request, with its NUL; a longer one closes the connection */
#define MOOM_OUT_MAX 8192 /* replies not yet written; a client that lets it fill is dropped */

enum moom_property { MOOM_SWAP, MOOM_PRESSURE };
enum moom_mode { MOOM_AUTO, MOOM_KILL };

struct moom_group {
	char path[MOOM_PATH_MAX]; /* from the cgroup root, with a leading '/': "/oomlab/a" */
	enum moom_property property;
	enum moom_mode mode;
	uint32_t limit; /* ManagedOOMMemoryPressureLimit= as 2^32-1 == 100%; 0: the default */
};

struct moom_client {
	int fd; /* -1: a free slot */
	int subscribed; /* called with "more": updates go to it */
	char in[MOOM_IN_MAX];
	size_t inlen;
	char out[MOOM_OUT_MAX];
	size_t outlen, outoff;
};

struct moom_server {
	int listen_fd; /* -1 when not listening (a test may only adopt connected fds) */
	struct moom_group group[MOOM_MAX_GROUPS];
	int ngroups;
	struct moom_client client[MOOM_MAX_CLIENTS];
	long served; /* subscriptions answered, for the agent's records */
};

/* An empty server, listening nowhere. */
void moom_init(struct moom_server *s);

/*
 * Creates path's parent directories (0755), removes a stale socket and listens on path.
 * Returns 0, or -1 with errno set.
 */
int moom_listen(struct moom_server *s, const char *path);

/*
 * Takes a connected socket as a client (the test's socketpair; moom_handle() accepts the
 * others). The fd is made non-blocking and is the server's from then on, even on failure.
 * Returns 0, or -1 with errno EMFILE when every slot is taken.
 */
int moom_adopt(struct moom_server *s, int fd);

/* pct_permyriad (5000 for 50%, clamped to 10000) as the 2^32-1 scale PID 1 sends. */
uint32_t moom_limit_from_permyriad(unsigned permyriad);

/*
 * Sets the group at path (with or without its leading '/') for property: adds it, or changes
 * its mode and limit. Subscribed clients get the entry as an update at once. Returns 0, or -1
 * with errno ENAMETOOLONG or ENOSPC.
 */
int moom_set(struct moom_server *s, const char *path, enum moom_property property,
	     enum moom_mode mode, uint32_t limit);

/*
 * Writes the "parameters" object of a reply, {"cgroups":[...]}, with the groups in mode
 * "kill" (all of g[0..n) when all is set, as an update sends them) to buf. Returns the
 * length, or the length it needs when that is len or more (as snprintf does).
 */
size_t moom_format_cgroups(const struct moom_group *g, int n, int all, char *buf, size_t len);

/* Adds the listening socket and every client to pfd (room entries at most); returns how many. */
int moom_pollfds(const struct moom_server *s, struct pollfd *pfd, int room);

/*
 * Accepts waiting connections, reads and answers every whole request, writes what is
 * pending, and closes clients that hung up, sent what is not varlink, or stopped reading.
 * Never blocks. Returns the number of clients open.
 */
int moom_handle(struct moom_server *s);

/* Closes every client and the listening socket (the socket file is left). */
void moom_release(struct moom_server *s);

#endif
