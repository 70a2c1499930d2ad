// SPDX-License-Identifier: GPL-2.0-only
/* managed_oom.c - the varlink server systemd-oomd subscribes to for its cgroups (managed_oom.h). */
#include "managed_oom.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define JS_DEPTH_MAX 16
#define NAME_MAX_LEN 256

#define ERR_NOT_FOUND "org.varlink.service.MethodNotFound"
#define ERR_INVALID "org.varlink.service.InvalidParameter"
#define ERR_TAKEN "org.varlink.service.SubscriptionTaken"

void moom_init(struct moom_server *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->listen_fd = -1;
	for (i = 0; i < MOOM_MAX_CLIENTS; i++)
		s->client[i].fd = -1;
}

/* mkdir -p of path's directory part. */
static int make_parents(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *p;

	if (strlen(path) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dir, path);
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

int moom_listen(struct moom_server *s, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (make_parents(path) < 0)
		return -1;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	s->listen_fd = fd;
	return 0;
}

static void client_close(struct moom_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->subscribed = 0;
	c->inlen = c->outlen = c->outoff = 0;
}

int moom_adopt(struct moom_server *s, int fd)
{
	int i, fl;

	for (i = 0; i < MOOM_MAX_CLIENTS; i++)
		if (s->client[i].fd < 0)
			break;
	if (i == MOOM_MAX_CLIENTS) {
		close(fd);
		errno = EMFILE;
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	client_close(&s->client[i]);
	s->client[i].fd = fd;
	return 0;
}

uint32_t moom_limit_from_permyriad(unsigned permyriad)
{
	if (permyriad > 10000)
		permyriad = 10000;
	/* rounded to the nearest, as PID 1 scales ManagedOOMMemoryPressureLimit= */
	return (uint32_t)(((uint64_t)permyriad * UINT32_MAX + 5000) / 10000);
}

/* A bounded writer: counts what it would write past the end, as snprintf does. */
struct out {
	char *buf;
	size_t len, n;
};

static void out_mem(struct out *o, const char *s, size_t n)
{
	if (o->n < o->len)
		memcpy(o->buf + o->n, s, o->n + n <= o->len ? n : o->len - o->n);
	o->n += n;
}

static void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

/* s as a JSON string, quoted and escaped. */
static void out_json(struct out *o, const char *s)
{
	char esc[8];

	out_str(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			out_mem(o, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			out_str(o, esc);
		} else {
			out_mem(o, s, 1);
		}
	}
	out_str(o, "\"");
}

static void out_group(struct out *o, const struct moom_group *g)
{
	char num[16];

	out_str(o, "{\"mode\":");
	out_json(o, g->mode == MOOM_KILL ? "kill" : "auto");
	out_str(o, ",\"path\":");
	out_json(o, g->path);
	out_str(o, ",\"property\":");
	out_json(o, g->property == MOOM_SWAP ? "ManagedOOMSwap" : "ManagedOOMMemoryPressure");
	if (g->property == MOOM_PRESSURE) {
		snprintf(num, sizeof(num), "%u", (unsigned)g->limit);
		out_str(o, ",\"limit\":");
		out_str(o, num);
	}
	out_str(o, "}");
}

static void out_cgroups(struct out *o, const struct moom_group *g, int n, int all)
{
	int i, first = 1;

	out_str(o, "{\"cgroups\":[");
	for (i = 0; i < n; i++) {
		if (!all && g[i].mode != MOOM_KILL)
			continue;
		if (!first)
			out_str(o, ",");
		out_group(o, &g[i]);
		first = 0;
	}
	out_str(o, "]}");
}

size_t moom_format_cgroups(const struct moom_group *g, int n, int all, char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len };

	out_cgroups(&o, g, n, all);
	if (len)
		buf[o.n < len ? o.n : len - 1] = '\0';
	return o.n;
}

/*
 * Queues one message for c, with its NUL. A client whose queue would overflow has stopped
 * reading: it is closed, as it could never be told the groups whole.
 */
static void client_queue(struct moom_client *c, struct out *msg)
{
	if (c->outlen + msg->n + 1 > sizeof(c->out)) {
		client_close(c);
		return;
	}
	c->out[c->outlen + msg->n] = '\0';
	c->outlen += msg->n + 1;
}

/* The writer for c's next message, at the end of its queue. */
static struct out client_out(struct moom_client *c)
{
	if (c->outoff && c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	/* one byte kept for the NUL that client_queue() adds */
	return (struct out){ .buf = c->out + c->outlen, .len = sizeof(c->out) - c->outlen - 1 };
}

static void reply_groups(struct moom_client *c, const struct moom_group *g, int n, int all,
			 int continues)
{
	struct out o = client_out(c);

	out_str(&o, "{\"parameters\":");
	out_cgroups(&o, g, n, all);
	out_str(&o, continues ? ",\"continues\":true}" : "}");
	client_queue(c, &o);
}

static void reply_error(struct moom_client *c, const char *error, const char *method)
{
	struct out o = client_out(c);

	out_str(&o, "{\"error\":");
	out_json(&o, error);
	out_str(&o, ",\"parameters\":{");
	if (method) {
		out_str(&o, "\"method\":");
		out_json(&o, method);
	}
	out_str(&o, "}}");
	client_queue(c, &o);
}

int moom_set(struct moom_server *s, const char *path, enum moom_property property,
	     enum moom_mode mode, uint32_t limit)
{
	struct moom_group *g = NULL;
	char full[MOOM_PATH_MAX];
	int i, n;

	n = snprintf(full, sizeof(full), "%s%s", path[0] == '/' ? "" : "/", path);
	if (n < 0 || (size_t)n >= sizeof(full)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (i = 0; i < s->ngroups; i++)
		if (s->group[i].property == property && !strcmp(s->group[i].path, full))
			g = &s->group[i];
	if (!g) {
		if (s->ngroups == MOOM_MAX_GROUPS) {
			errno = ENOSPC;
			return -1;
		}
		g = &s->group[s->ngroups++];
		strcpy(g->path, full);
		g->property = property;
	}
	g->mode = mode;
	g->limit = property == MOOM_PRESSURE ? limit : 0;
	for (i = 0; i < MOOM_MAX_CLIENTS; i++)
		if (s->client[i].fd >= 0 && s->client[i].subscribed)
			reply_groups(&s->client[i], g, 1, 1, 1);
	return 0;
}

/*
 * The smallest JSON reader that can tell a varlink call: it walks one object's keys and
 * skips any value it does not need, checking the syntax on the way. Strings are taken
 * with their simple escapes; a \u escape is kept as '?', which can only make a method
 * name unknown.
 */
struct js {
	const char *p, *end;
};

static void js_ws(struct js *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int js_peek(struct js *j)
{
	js_ws(j);
	return j->p < j->end ? (unsigned char)*j->p : -1;
}

/* A string at j->p into out (truncated to len - 1; *trunc set), or -1 on bad syntax. */
static int js_string(struct js *j, char *out, size_t len, int *trunc)
{
	size_t n = 0;
	char c;

	if (js_peek(j) != '"')
		return -1;
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		c = *j->p++;
		if ((unsigned char)c < 0x20)
			return -1;
		if (c == '\\') {
			if (j->p >= j->end)
				return -1;
			c = *j->p++;
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				if (j->end - j->p < 4)
					return -1;
				for (int k = 0; k < 4; k++)
					if (!strchr("0123456789abcdefABCDEF", j->p[k]) || !j->p[k])
						return -1;
				j->p += 4;
				c = '?';
				break;
			default:
				return -1;
			}
		}
		if (out && n + 1 < len)
			out[n++] = c;
		else if (trunc)
			*trunc = 1;
	}
	if (j->p >= j->end)
		return -1;
	j->p++;
	if (out && len)
		out[n] = '\0';
	return 0;
}

static int js_word(struct js *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return -1;
	j->p += n;
	return 0;
}

static int js_number(struct js *j)
{
	const char *start = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && strchr("0123456789.eE+-", *j->p) && *j->p)
		j->p++;
	return j->p > start && (j->p[-1] >= '0' && j->p[-1] <= '9') ? 0 : -1;
}

static int js_skip(struct js *j, int depth);

/* The members of an object or the elements of an array, from its opening bracket. */
static int js_skip_seq(struct js *j, int depth, char close, int *count)
{
	j->p++;
	if (js_peek(j) == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		if (close == '}' && (js_string(j, NULL, 0, NULL) < 0 || js_peek(j) != ':'))
			return -1;
		if (close == '}')
			j->p++;
		if (js_skip(j, depth + 1) < 0)
			return -1;
		if (count)
			(*count)++;
		if (js_peek(j) == ',') {
			j->p++;
			continue;
		}
		if (js_peek(j) != close)
			return -1;
		j->p++;
		return 0;
	}
}

static int js_skip(struct js *j, int depth)
{
	if (depth > JS_DEPTH_MAX)
		return -1;
	switch (js_peek(j)) {
	case '{': return js_skip_seq(j, depth, '}', NULL);
	case '[': return js_skip_seq(j, depth, ']', NULL);
	case '"': return js_string(j, NULL, 0, NULL);
	case 't': return js_word(j, "true");
	case 'f': return js_word(j, "false");
	case 'n': return js_word(j, "null");
	default: return js_number(j);
	}
}

/* true or false at j->p into *b. */
static int js_bool(struct js *j, int *b)
{
	if (js_peek(j) == 't' && !js_word(j, "true"))
		return *b = 1, 0;
	if (js_peek(j) == 'f' && !js_word(j, "false"))
		return *b = 0, 0;
	return -1;
}

struct call {
	char method[NAME_MAX_LEN];
	int has_method, has_params, nparams, more, oneway, has_more, has_oneway;
};

/*
 * One call, as varlink takes it: an object of "method" (a string, required), "parameters"
 * (an object or null), "more" and "oneway" (booleans, not both true), each at most once,
 * and nothing else. Returns 0, or -1 for what is not a call: the connection is then closed.
 */
static int parse_call(const char *text, size_t len, struct call *c)
{
	struct js j = { .p = text, .end = text + len };
	char key[32];
	int trunc;

	memset(c, 0, sizeof(*c));
	if (js_peek(&j) != '{')
		return -1;
	j.p++;
	if (js_peek(&j) == '}') {
		j.p++;
		goto end;
	}
	for (;;) {
		trunc = 0;
		if (js_string(&j, key, sizeof(key), &trunc) < 0 || js_peek(&j) != ':')
			return -1;
		j.p++;
		if (trunc)
			return -1;
		if (!strcmp(key, "method") && !c->has_method) {
			trunc = 0;
			if (js_string(&j, c->method, sizeof(c->method), &trunc) < 0)
				return -1;
			if (trunc)
				c->method[0] = '\0'; /* no method is that long: unknown */
			c->has_method = 1;
		} else if (!strcmp(key, "parameters") && !c->has_params) {
			if (js_peek(&j) == '{') {
				if (js_skip_seq(&j, 1, '}', &c->nparams) < 0)
					return -1;
			} else if (js_word(&j, "null") < 0) {
				return -1;
			}
			c->has_params = 1;
		} else if (!strcmp(key, "more") && !c->has_more) {
			if (js_bool(&j, &c->more) < 0)
				return -1;
			c->has_more = 1;
		} else if (!strcmp(key, "oneway") && !c->has_oneway) {
			if (js_bool(&j, &c->oneway) < 0)
				return -1;
			c->has_oneway = 1;
		} else {
			return -1;
		}
		if (js_peek(&j) == ',') {
			j.p++;
			continue;
		}
		if (js_peek(&j) != '}')
			return -1;
		j.p++;
		break;
	}
end:
	if (js_peek(&j) != -1 || !c->has_method || (c->more && c->oneway))
		return -1;
	return 0;
}

/*
 * Answers one call as PID 1 does: the groups for SubscribeManagedOOMCGroups (with "more",
 * the client is subscribed and the reply continues), an error for anything else. Returns
 * -1 when the connection must be closed.
 */
static int answer(struct moom_server *s, struct moom_client *c, const char *text, size_t len)
{
	struct call call;
	int i;

	if (parse_call(text, len, &call) < 0)
		return -1;
	if (strcmp(call.method, MOOM_METHOD)) {
		if (!call.oneway)
			reply_error(c, ERR_NOT_FOUND, call.method);
		return 0;
	}
	if (call.oneway)
		return 0;
	if (call.nparams > 0) {
		reply_error(c, ERR_INVALID, NULL);
		return 0;
	}
	if (call.more)
		for (i = 0; i < MOOM_MAX_CLIENTS; i++)
			if (s->client[i].fd >= 0 && s->client[i].subscribed) {
				reply_error(c, ERR_TAKEN, NULL);
				return 0;
			}
	reply_groups(c, s->group, s->ngroups, 0, call.more);
	c->subscribed = call.more;
	s->served++;
	return 0;
}

/* Writes what c has queued. Returns -1 when c is gone. */
static int client_flush(struct moom_client *c)
{
	ssize_t w;

	while (c->outoff < c->outlen) {
		w = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0)
			return -1;
		c->outoff += (size_t)w;
	}
	c->outoff = c->outlen = 0;
	return 0;
}

/*
 * Reads what c sent and answers each whole call. A subscribed connection takes no more
 * calls (PID 1 does not read them either): its input is dropped, only its end matters.
 * Returns -1 when c must be closed.
 */
static int client_read(struct moom_server *s, struct moom_client *c)
{
	ssize_t r;
	char *nul;
	size_t used;

	for (;;) {
		if (c->inlen == sizeof(c->in))
			return -1;
		r = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (r <= 0)
			return -1;
		c->inlen += (size_t)r;
		while (c->fd >= 0 && (nul = memchr(c->in, '\0', c->inlen))) {
			used = (size_t)(nul - c->in) + 1;
			if (!c->subscribed && answer(s, c, c->in, used - 1) < 0)
				return -1;
			if (c->fd < 0) /* its queue overflowed */
				return 0;
			memmove(c->in, c->in + used, c->inlen - used);
			c->inlen -= used;
		}
	}
}

int moom_pollfds(const struct moom_server *s, struct pollfd *pfd, int room)
{
	int i, n = 0;

	if (s->listen_fd >= 0 && n < room)
		pfd[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
	for (i = 0; i < MOOM_MAX_CLIENTS && n < room; i++)
		if (s->client[i].fd >= 0)
			pfd[n++] = (struct pollfd){
				.fd = s->client[i].fd,
				.events = (short)(POLLIN |
						  (s->client[i].outoff < s->client[i].outlen ? POLLOUT : 0)),
			};
	return n;
}

int moom_handle(struct moom_server *s)
{
	int i, fd, open = 0;

	/* a subscriber that went away must be seen gone before a new one calls */
	for (i = 0; i < MOOM_MAX_CLIENTS; i++) {
		struct moom_client *c = &s->client[i];

		if (c->fd < 0)
			continue;
		if (client_read(s, c) < 0) {
			/* what it was owed may still go out before the close */
			if (c->fd >= 0)
				client_flush(c);
			client_close(c);
		}
	}
	while (s->listen_fd >= 0) {
		fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0 && errno == EINTR)
			continue;
		if (fd < 0)
			break;
		moom_adopt(s, fd); /* with every slot taken, it is closed */
	}
	for (i = 0; i < MOOM_MAX_CLIENTS; i++) {
		struct moom_client *c = &s->client[i];

		if (c->fd < 0)
			continue;
		if (client_read(s, c) < 0 || (c->fd >= 0 && client_flush(c) < 0)) {
			if (c->fd >= 0)
				client_flush(c);
			client_close(c);
			continue;
		}
		if (c->fd >= 0)
			open++;
	}
	return open;
}

void moom_release(struct moom_server *s)
{
	int i;

	for (i = 0; i < MOOM_MAX_CLIENTS; i++)
		client_close(&s->client[i]);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
}
