// SPDX-License-Identifier: GPL-2.0-only
/* test_kernel.c - resolving a kernel tag (what a failure to start fetch-kernel reports), and
 * what its package's config says. */
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
	ret = kernel_resolve(tag, "vmimages", "/nonexistent/oomlab-kernel-cache", k);
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
	if (!strstr(err.buf, "cannot fork to run /bin/sh: ") ||
	    !strstr(err.buf, "cannot fetch kernel 'debian:6.1'"))
		fail_msg("expected \"cannot fork to run /bin/sh: ...\" and \"cannot fetch kernel "
			 "'debian:6.1'\", seen: %s", err.buf);
	assert_non_null(strstr(err.buf, strerror(EAGAIN)));
	kernel_release(&k);
	strbuf_release(&err);
}

/* Whether a kernel has v1's memory controller, from the config its package ships */
static void memcg_v1_is_read_from_the_packages_config(void **state)
{
	static const struct {
		const char *config;
		int want;
	} cases[] = {
		{ "CONFIG_X=y\nCONFIG_MEMCG=y\n", 1 },                    /* before 6.12 */
		{ "CONFIG_X=y\nCONFIG_MEMCG=y\nCONFIG_MEMCG_V1=y\n", 1 },
		{ "CONFIG_X=y\nCONFIG_MEMCG=y\n# CONFIG_MEMCG_V1 is not set\n", 0 }, /* Debian 6.12 */
		{ "CONFIG_X=y\n# CONFIG_MEMCG is not set\n", 0 },
		{ NULL, -1 },                                                /* no config */
	};
	char dir[] = "/tmp/oomlab-kernel.XXXXXX", *path;
	struct kernel k = { 0 };
	size_t i;

	assert_non_null(mkdtemp(dir));
	k.vmlinuz = xasprintf("%s/vmlinuz-6.99.0-test", dir);
	k.release = xstrdup("6.99.0-test");
	k.package = xstrdup("linux-image-6.99.0-test 6.99.0-1");
	path = xasprintf("%s/config-6.99.0-test", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unlink(path);
		if (cases[i].config)
			assert_int_equal(write_file_atomic(path, cases[i].config,
							   strlen(cases[i].config)), 0);
		assert_int_equal(kernel_memcg_v1(&k), cases[i].want);
	}
	/* a user's bzImage: no package, nothing to read */
	free(k.package);
	k.package = xstrdup("");
	assert_int_equal(kernel_memcg_v1(&k), -1);
	unlink(path);
	rmdir(dir);
	free(path);
	kernel_release(&k);
}

/*
 * --kernel's ranges and lists, against a fetch-kernel that lists a made-up archive: a range
 * takes every package of its line the archive has (not a neighbour line's, not one out of
 * it), a list each of its parts; a range with nothing in it, or none at all, is an error, and
 * a path with ".." no range.
 */
static void kernel_ranges_and_lists(void **state)
{
	char dir[] = "/tmp/oomlab-test-fetch.XXXXXX", *script;
	char **tags = NULL;
	FILE *f;
	int n = 0, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	script = xasprintf("%s/fetch-kernel", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fputs("[ \"$1\" = --list ] || exit 2\n"
	      "echo 'debian:6.1.0-47 linux-image-6.1.0-47-cloud-amd64 6.1.170-3 -'\n"
	      "echo 'debian:6.1.0-50 linux-image-6.1.0-50-cloud-amd64 6.1.176-1 cached'\n"
	      "echo 'debian:6.1.0-57 linux-image-6.1.0-57-cloud-amd64 6.1.192-3 -'\n"
	      "echo 'debian:6.12.107 linux-image-6.12.107+deb12-cloud-amd64 6.12.107-1 -'\n"
	      "echo 'debian:6.12.118 linux-image-6.12.118+deb12-cloud-amd64 6.12.118-1 -'\n", f);
	fclose(f);
	assert_int_equal(kernel_expand("debian:6.1.0-48..57", dir, "/nonexistent", &tags, &n), 0);
	assert_int_equal(kernel_expand("debian:6.12.100..110,/boot/vmlinuz", dir, "/nonexistent",
				       &tags, &n), 0);
	assert_int_equal(kernel_expand("debian:6.1", dir, "/nonexistent", &tags, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(tags[0], "debian:6.1.0-50");
	assert_string_equal(tags[1], "debian:6.1.0-57");
	assert_string_equal(tags[2], "debian:6.12.107");
	assert_string_equal(tags[3], "/boot/vmlinuz");
	assert_string_equal(tags[4], "debian:6.1");
	assert_int_equal(kernel_expand("debian:6.1.0-58..60", dir, "/nonexistent", &tags, &n), -1);
	assert_int_equal(kernel_expand("debian:6.1.0-57..50", dir, "/nonexistent", &tags, &n), -1);
	assert_int_equal(kernel_expand("debian:6.1.0-x..50", dir, "/nonexistent", &tags, &n), -1);
	assert_int_equal(n, 5);
	/* a bzImage's path may hold ".." */
	assert_int_equal(kernel_expand("../bzImage", dir, "/nonexistent", &tags, &n), 0);
	assert_string_equal(tags[5], "../bzImage");
	n = 6;
	for (i = 0; i < n; i++)
		free(tags[i]);
	free(tags);
	unlink(script);
	rmdir(dir);
	free(script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fork_failure_is_an_error_and_waits_for_no_other_child),
		cmocka_unit_test(memcg_v1_is_read_from_the_packages_config),
		cmocka_unit_test(kernel_ranges_and_lists),
	};

	return cmocka_run_group_tests_name("test_kernel", tests, NULL, NULL);
}
