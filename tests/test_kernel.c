// SPDX-License-Identifier: GPL-2.0-only
/* test_kernel.c - resolving a kernel tag: what a failure to start fetch-kernel reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "guest/kernel.h"
#include "util.h"

/*
 * This program is linked with -Wl,--wrap=fork (GNUmakefile): every fork() of the harness
 * comes here, and fails with EAGAIN (as at RLIMIT_NPROC) while fork_fails is set.
 */
pid_t __real_fork(void);
pid_t __wrap_fork(void);

static int fork_fails;

pid_t __wrap_fork(void)
{
	if (fork_fails) {
		errno = EAGAIN;
		return -1;
	}
	return __real_fork();
}

/* Runs kernel_resolve(tag) with stderr in err. Returns what it returned. */
static int resolve_capturing(const char *tag, struct kernel *k, struct strbuf *err)
{
	char path[] = "/tmp/oomlab-test-kernel.XXXXXX";
	int fd = mkstemp(path), saved, ret;

	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	ret = kernel_resolve(tag, ".", "/nonexistent/oomlab-kernel-cache", k);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	assert_int_equal(strbuf_read_file(err, path), 0);
	unlink(path);
	return ret;
}

/*
 * fork() failing must be an error that says so. Unchecked, its -1 was taken for a child:
 * waitpid(-1) reaped whatever child oomlab had (here the test's own) and read its exit as
 * fetch-kernel's.
 */
static void fork_failure_is_an_error_and_waits_for_no_other_child(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct kernel k;
	pid_t bystander = fork();
	int ret, status;

	assert_true(bystander >= 0);
	if (bystander == 0)
		_exit(0);
	fork_fails = 1;
	ret = resolve_capturing("debian:6.1", &k, &err);
	fork_fails = 0;
	if (waitpid(bystander, &status, 0) != bystander)
		fail_msg("expected the test's own child still its own to reap, seen it taken "
			 "(%s); kernel_resolve said: %s", strerror(errno), err.buf);
	assert_int_equal(ret, -1);
	if (!strstr(err.buf, "cannot fork to fetch kernel 'debian:6.1': "))
		fail_msg("expected \"cannot fork to fetch kernel 'debian:6.1': ...\", seen: %s",
			 err.buf);
	assert_non_null(strstr(err.buf, strerror(EAGAIN)));
	kernel_release(&k);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_failure_is_an_error_and_waits_for_no_other_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
