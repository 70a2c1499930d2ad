// SPDX-License-Identifier: GPL-2.0-only
/* test_managed_oom.c - the agent's ManagedOOM varlink server, byte for byte, as oomd calls it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/managed_oom.h"

/* What systemd-oomd 252 sends (varlink_observe(): method, parameters, more; then a NUL). */
static const char subscribe[] =
	"{\"method\":\"io.systemd.ManagedOOM.SubscribeManagedOOMCGroups\",\"parameters\":{},"
	"\"more\":true}";

#define PRESSURE_A "{\"mode\":\"kill\",\"path\":\"/oomlab/a\",\"property\":" \
		   "\"ManagedOOMMemoryPressure\",\"limit\":2147483648}"
#define SWAP_ROOT "{\"mode\":\"kill\",\"path\":\"/oomlab\",\"property\":\"ManagedOOMSwap\"}"

struct fixture {
	struct moom_server s;
	int peer; /* systemd-oomd's end */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int sv[2];

	assert_non_null(f);
	moom_init(&f->s);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(moom_adopt(&f->s, sv[0]), 0);
	f->peer = sv[1];
	assert_int_equal(moom_set(&f->s, "oomlab/a", MOOM_PRESSURE, MOOM_KILL,
				  moom_limit_from_permyriad(5000)), 0);
	assert_int_equal(moom_set(&f->s, "/oomlab", MOOM_SWAP, MOOM_KILL, 0), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	moom_release(&f->s);
	if (f->peer >= 0)
		close(f->peer);
	free(f);
	return 0;
}

/* Sends text and its NUL, in pieces of at most chunk bytes, letting the server run between. */
static void send_call(struct fixture *f, const char *text, size_t chunk)
{
	size_t len = strlen(text) + 1, off = 0, n;

	while (off < len) {
		n = len - off < chunk ? len - off : chunk;
		assert_int_equal(write(f->peer, text + off, n), (ssize_t)n);
		off += n;
		moom_handle(&f->s);
	}
}

/* Everything the server has written so far, which must be whole messages. */
static char *received(struct fixture *f, size_t *len)
{
	static char buf[MOOM_OUT_MAX * 2];
	ssize_t r;

	*len = 0;
	while ((r = recv(f->peer, buf + *len, sizeof(buf) - *len, MSG_DONTWAIT)) > 0)
		*len += (size_t)r;
	return buf;
}

static void expect_bytes(struct fixture *f, const char *want)
{
	size_t len;
	char *got = received(f, &len);

	/* each message carries its NUL */
	assert_int_equal(len, strlen(want) + 1);
	assert_memory_equal(got, want, len);
}

static void limit_scale_rounds_like_pid1(void **state)
{
	assert_int_equal(moom_limit_from_permyriad(0), 0);
	assert_int_equal(moom_limit_from_permyriad(5000), 2147483648u);
	assert_int_equal(moom_limit_from_permyriad(6000), 2576980377u);
	assert_int_equal(moom_limit_from_permyriad(10000), UINT32_MAX);
	assert_int_equal(moom_limit_from_permyriad(20000), UINT32_MAX);
	assert_int_equal(moom_limit_from_permyriad(1), 429497u);
}

static void subscribe_gets_groups_and_continues(void **state)
{
	struct fixture *f = *state;

	send_call(f, subscribe, 4096);
	expect_bytes(f, "{\"parameters\":{\"cgroups\":[" PRESSURE_A "," SWAP_ROOT "]},"
			"\"continues\":true}");
	assert_int_equal(f->s.served, 1);
	assert_true(f->s.client[0].subscribed);
}

static void call_in_pieces_is_answered_once_whole(void **state)
{
	struct fixture *f = *state;
	size_t len;

	send_call(f, subscribe, 7);
	received(f, &len);
	assert_int_equal(len, strlen("{\"parameters\":{\"cgroups\":[" PRESSURE_A "," SWAP_ROOT
				     "]},\"continues\":true}") + 1);
	assert_int_equal(f->s.served, 1);
}

static void call_without_more_gets_final_reply_and_stays_open(void **state)
{
	struct fixture *f = *state;

	send_call(f, "{ \"method\" : \"io.systemd.ManagedOOM.SubscribeManagedOOMCGroups\" }", 4096);
	expect_bytes(f, "{\"parameters\":{\"cgroups\":[" PRESSURE_A "," SWAP_ROOT "]}}");
	assert_false(f->s.client[0].subscribed);
	assert_int_equal(moom_handle(&f->s), 1);
}

static void update_reaches_subscriber_with_mode(void **state)
{
	struct fixture *f = *state;
	size_t len;

	send_call(f, subscribe, 4096);
	received(f, &len);
	assert_int_equal(moom_set(&f->s, "/oomlab/a", MOOM_PRESSURE, MOOM_AUTO, 0), 0);
	moom_handle(&f->s);
	expect_bytes(f, "{\"parameters\":{\"cgroups\":[{\"mode\":\"auto\",\"path\":\"/oomlab/a\","
			"\"property\":\"ManagedOOMMemoryPressure\",\"limit\":0}]},"
			"\"continues\":true}");
	assert_int_equal(f->s.ngroups, 2);
}

static void group_in_auto_is_left_out_of_first_reply(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(moom_set(&f->s, "/oomlab", MOOM_SWAP, MOOM_AUTO, 0), 0);
	send_call(f, subscribe, 4096);
	expect_bytes(f, "{\"parameters\":{\"cgroups\":[" PRESSURE_A "]},\"continues\":true}");
}

static void unknown_method_is_not_found(void **state)
{
	struct fixture *f = *state;

	send_call(f, "{\"method\":\"io.systemd.Other\",\"parameters\":{}}", 4096);
	expect_bytes(f, "{\"error\":\"org.varlink.service.MethodNotFound\","
			"\"parameters\":{\"method\":\"io.systemd.Other\"}}");
	assert_int_equal(f->s.served, 0);
}

static void parameters_are_refused(void **state)
{
	struct fixture *f = *state;

	send_call(f, "{\"method\":\"io.systemd.ManagedOOM.SubscribeManagedOOMCGroups\","
		     "\"parameters\":{\"x\":[1,{\"y\":null}]},\"more\":true}", 4096);
	expect_bytes(f, "{\"error\":\"org.varlink.service.InvalidParameter\",\"parameters\":{}}");
	assert_false(f->s.client[0].subscribed);
}

static void second_subscriber_is_refused(void **state)
{
	static const char taken[] =
		"{\"error\":\"org.varlink.service.SubscriptionTaken\",\"parameters\":{}}";
	struct fixture *f = *state;
	int sv[2];
	char buf[256];
	ssize_t r;

	send_call(f, subscribe, 4096);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(moom_adopt(&f->s, sv[0]), 0);
	assert_int_equal(write(sv[1], subscribe, sizeof(subscribe)), (ssize_t)sizeof(subscribe));
	moom_handle(&f->s);
	r = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
	assert_int_equal(r, sizeof(taken));
	assert_memory_equal(buf, taken, sizeof(taken));
	close(sv[1]);
}

static void resubscribe_after_hangup(void **state)
{
	struct fixture *f = *state;
	int sv[2];
	char buf[512];

	send_call(f, subscribe, 4096);
	close(f->peer);
	f->peer = -1;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(moom_adopt(&f->s, sv[0]), 0);
	assert_int_equal(write(sv[1], subscribe, sizeof(subscribe)), (ssize_t)sizeof(subscribe));
	assert_int_equal(moom_handle(&f->s), 1);
	assert_true(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0);
	assert_non_null(strstr(buf, "\"continues\":true}"));
	f->peer = sv[1];
}

/* Not varlink: the connection is closed, as PID 1's varlink closes it. */
static void garbage_closes_connection(void **state)
{
	static const char *const bad[] = {
		"not json",
		"{\"method\":\"x\",\"extra\":1}",
		"{\"parameters\":{}}",
		"{\"method\":\"x\",\"method\":\"y\"}",
		"{\"method\":\"x\",\"more\":true,\"oneway\":true}",
		"{\"method\":\"x\"} trailing",
		"{\"method\":\"x\",\"parameters\":[]}",
		"{\"method\":\"x\",\"parameters\":{\"a\":tru}}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	};
	struct fixture *f = *state;
	size_t i, len;
	int sv[2];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		assert_int_equal(moom_adopt(&f->s, sv[0]), 0);
		assert_int_equal(write(sv[1], bad[i], strlen(bad[i]) + 1),
				 (ssize_t)strlen(bad[i]) + 1);
		moom_handle(&f->s);
		assert_int_equal(recv(sv[1], (char[8]){ 0 }, 8, MSG_DONTWAIT), 0);
		close(sv[1]);
	}
	received(f, &len);
	assert_int_equal(len, 0);
	assert_int_equal(moom_handle(&f->s), 1); /* the fixture's own client is untouched */
}

static void oneway_gets_no_reply(void **state)
{
	struct fixture *f = *state;
	size_t len;

	send_call(f, "{\"method\":\"io.systemd.ManagedOOM.SubscribeManagedOOMCGroups\","
		     "\"oneway\":true}", 4096);
	received(f, &len);
	assert_int_equal(len, 0);
	assert_int_equal(moom_handle(&f->s), 1);
}

static void path_is_escaped(void **state)
{
	struct moom_group g = { .path = "/a\"b\\c\n", .property = MOOM_SWAP, .mode = MOOM_KILL };
	char buf[256];
	size_t n;

	n = moom_format_cgroups(&g, 1, 0, buf, sizeof(buf));
	assert_string_equal(buf, "{\"cgroups\":[{\"mode\":\"kill\",\"path\":\"/a\\\"b\\\\c\\u000a\","
				 "\"property\":\"ManagedOOMSwap\"}]}");
	assert_int_equal(n, strlen(buf));
	assert_int_equal(moom_format_cgroups(&g, 1, 0, buf, 8), n);
	assert_string_equal(buf, "{\"cgrou");
}

static void listening_socket_serves_a_real_connect(void **state)
{
	struct moom_server s;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/moomtestXXXXXX", buf[512];
	struct pollfd pfd[MOOM_MAX_CLIENTS + 1];
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/run/systemd/io.system.ManagedOOM", dir);
	moom_init(&s);
	assert_int_equal(moom_listen(&s, sa.sun_path), 0);
	assert_int_equal(moom_set(&s, "/oomlab/a", MOOM_PRESSURE, MOOM_KILL, 0), 0);
	assert_int_equal(moom_pollfds(&s, pfd, MOOM_MAX_CLIENTS + 1), 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(write(fd, subscribe, sizeof(subscribe)), (ssize_t)sizeof(subscribe));
	assert_int_equal(poll(pfd, 1, 1000), 1);
	assert_int_equal(moom_handle(&s), 1);
	assert_int_equal(moom_pollfds(&s, pfd, MOOM_MAX_CLIENTS + 1), 2);
	assert_true(recv(fd, buf, sizeof(buf), 0) > 0);
	assert_string_equal(buf, "{\"parameters\":{\"cgroups\":[{\"mode\":\"kill\",\"path\":"
				 "\"/oomlab/a\",\"property\":\"ManagedOOMMemoryPressure\","
				 "\"limit\":0}]},\"continues\":true}");
	close(fd);
	assert_int_equal(moom_handle(&s), 0);
	moom_release(&s);
	unlink(sa.sun_path);
	snprintf(buf, sizeof(buf), "%s/run/systemd", dir);
	rmdir(buf);
	snprintf(buf, sizeof(buf), "%s/run", dir);
	rmdir(buf);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limit_scale_rounds_like_pid1),
		cmocka_unit_test_setup_teardown(subscribe_gets_groups_and_continues, setup, teardown),
		cmocka_unit_test_setup_teardown(call_in_pieces_is_answered_once_whole, setup,
						teardown),
		cmocka_unit_test_setup_teardown(call_without_more_gets_final_reply_and_stays_open,
						setup, teardown),
		cmocka_unit_test_setup_teardown(update_reaches_subscriber_with_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(group_in_auto_is_left_out_of_first_reply, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unknown_method_is_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(parameters_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(second_subscriber_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(resubscribe_after_hangup, setup, teardown),
		cmocka_unit_test_setup_teardown(garbage_closes_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(oneway_gets_no_reply, setup, teardown),
		cmocka_unit_test(path_is_escaped),
		cmocka_unit_test(listening_socket_serves_a_real_connect),
	};

	return cmocka_run_group_tests_name("test_managed_oom", tests, NULL, NULL);
}
