// SPDX-License-Identifier: GPL-2.0-only
/* test_initramfs.c - the newc archives of the guest image, checked by the real cpio tool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "initramfs.h"
#include "util.h"

static char dir[] = "/tmp/oomlab-test-initramfs.XXXXXX";

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);

	free(cmd);
	return rc;
}

static char *path_in(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* What "cpio -it" lists for archive, one name per line. */
static char *cpio_list(const char *archive)
{
	char *cmd = xasprintf("cpio -it --quiet < '%s' 2>&1", archive);
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	FILE *p = popen(cmd, "r");
	size_t n;

	assert_non_null(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(&sb, buf, n);
	assert_int_equal(pclose(p), 0);
	free(cmd);
	return strbuf_detach(&sb);
}

static void archive_is_newc_that_cpio_reads(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *archive = path_in("a.cpio"), *list, *cmd;
	struct strbuf content = STRBUF_INIT;

	cpio_add(&sb, "bin", S_IFDIR | 0755, NULL, 0, 0, 0);
	cpio_add(&sb, "bin/odd", S_IFREG | 0755, "12345", 5, 0, 0);
	cpio_add(&sb, "bin/sh", S_IFLNK | 0777, "busybox", 7, 0, 0);
	cpio_add(&sb, "dev/console", S_IFCHR | 0600, NULL, 0, 5, 1);
	cpio_finish(&sb);
	assert_memory_equal(sb.buf, "070701", 6);
	assert_int_equal(sb.len % 512, 0);
	assert_int_equal(write_file_atomic(archive, sb.buf, sb.len), 0);

	list = cpio_list(archive);
	assert_string_equal(list, "bin\nbin/odd\nbin/sh\ndev/console\n");
	free(list);
	/* a file's bytes come back exactly, unpadded */
	cmd = xasprintf("cd '%s' && cpio -i --quiet --to-stdout bin/odd < a.cpio > odd.out", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	cmd = path_in("odd.out");
	assert_int_equal(strbuf_read_file(&content, cmd), 0);
	assert_int_equal(content.len, 5);
	assert_memory_equal(content.buf, "12345", 5);
	free(cmd);
	strbuf_release(&content);
	strbuf_release(&sb);
	free(archive);
}

static void text_file_goes_in_and_its_text_names_the_image(void **state)
{
	char *init = path_in("init"), *cache = path_in("cache-text"), *b1, *b2;
	struct initramfs_file files[] = {
		{ init, "init", 0755, NULL },
		{ NULL, "lib/modules/load.list", 0644, "/lib/modules/a.ko\n" },
	};
	struct strbuf img = STRBUF_INIT;

	write_text(init, "agent");
	b1 = initramfs_base(cache, files, 2);
	assert_non_null(b1);
	assert_int_equal(strbuf_read_file(&img, b1), 0);
	assert_non_null(memmem(img.buf, img.len, "lib/modules/load.list", 21));
	assert_non_null(memmem(img.buf, img.len, "/lib/modules/a.ko\n", 18));
	/* other text, another image: the hash covers it as it covers a file's bytes */
	files[1].text = "/lib/modules/b.ko\n";
	b2 = initramfs_base(cache, files, 2);
	assert_string_not_equal(b1, b2);
	strbuf_release(&img);
	free(b1);
	free(b2);
	free(init);
	free(cache);
}

static void base_is_cached_by_content_and_cell_archive_follows_it(void **state)
{
	char *init = path_in("init"), *prog = path_in("prog"), *cache = path_in("cache");
	char *cell = path_in("cell.img"), *b1, *b2, *b3, *list;
	struct initramfs_file files[] = {
		{ init, "init", 0755, NULL },
		{ prog, "bin/prog", 0755, NULL },
	};
	struct stat st1, st2;
	struct strbuf img = STRBUF_INIT;
	size_t baselen;

	write_text(init, "agent");
	write_text(prog, "workload");
	b1 = initramfs_base(cache, files, 2);
	assert_non_null(b1);
	assert_int_equal(stat(b1, &st1), 0);
	b2 = initramfs_base(cache, files, 2);
	assert_string_equal(b1, b2);
	assert_int_equal(stat(b2, &st2), 0);
	assert_true(st1.st_mtim.tv_sec == st2.st_mtim.tv_sec &&
		    st1.st_mtim.tv_nsec == st2.st_mtim.tv_nsec); /* reused, not rewritten */
	write_text(prog, "workload, changed");
	b3 = initramfs_base(cache, files, 2);
	assert_string_not_equal(b1, b3);

	list = cpio_list(b3);
	assert_non_null(strstr(list, "init\n"));
	assert_non_null(strstr(list, "bin/prog\n"));
	assert_non_null(strstr(list, "dev/console\n"));
	assert_non_null(strstr(list, "bin/sh\n"));
	free(list);

	/* the cell's initrd is the base, byte for byte, then an archive of /cell.spec */
	assert_int_equal(initramfs_cell(b3, NULL, 0, "cell v=1\n", 9, cell), 0);
	assert_int_equal(strbuf_read_file(&img, b3), 0);
	baselen = img.len;
	strbuf_reset(&img);
	assert_int_equal(strbuf_read_file(&img, cell), 0);
	assert_true(img.len > baselen);
	assert_memory_equal(img.buf + baselen, "070701", 6);
	assert_non_null(memmem(img.buf + baselen, img.len - baselen, "cell.spec", 9));
	assert_non_null(memmem(img.buf + baselen, img.len - baselen, "cell v=1\n", 9));
	assert_int_equal(img.len % 512, 0);

	strbuf_release(&img);
	free(b1);
	free(b2);
	free(b3);
	free(init);
	free(prog);
	free(cache);
	free(cell);
}

/* An extra archive holds its files and their folders, no skeleton; the cell carries it between. */
static void extra_archive_goes_between_base_and_spec(void **state)
{
	char *init = path_in("init"), *lib = path_in("libx.so"), *cache = path_in("cache-extra");
	char *cell = path_in("cell-extra.img"), *base, *extra, *list;
	struct initramfs_file bfiles[] = { { init, "init", 0755, NULL } };
	struct initramfs_file efiles[] = { { lib, "lib/x86_64-linux-gnu/libx.so.1", 0755, NULL } };
	struct strbuf b = STRBUF_INIT, e = STRBUF_INIT, img = STRBUF_INIT;

	write_text(init, "agent");
	write_text(lib, "a library");
	base = initramfs_base(cache, bfiles, 1);
	extra = initramfs_extra(cache, efiles, 1);
	assert_non_null(base);
	assert_non_null(extra);
	assert_string_not_equal(base, extra);
	list = cpio_list(extra);
	assert_string_equal(list, "lib\nlib/x86_64-linux-gnu\nlib/x86_64-linux-gnu/libx.so.1\n");
	free(list);

	assert_int_equal(initramfs_cell(base, (const char *const[]){ extra }, 1, "s\n", 2, cell),
			 0);
	assert_int_equal(strbuf_read_file(&b, base), 0);
	assert_int_equal(strbuf_read_file(&e, extra), 0);
	assert_int_equal(strbuf_read_file(&img, cell), 0);
	assert_true(img.len > b.len + e.len);
	assert_memory_equal(img.buf, b.buf, b.len);
	assert_memory_equal(img.buf + b.len, e.buf, e.len);
	assert_non_null(memmem(img.buf + b.len + e.len, img.len - b.len - e.len, "cell.spec", 9));

	strbuf_release(&b);
	strbuf_release(&e);
	strbuf_release(&img);
	free(base);
	free(extra);
	free(init);
	free(lib);
	free(cache);
	free(cell);
}

static void unreadable_input_is_named(void **state)
{
	char *cache = path_in("cache2");
	struct initramfs_file files[] = { { "/nonexistent/agent", "init", 0755, NULL } };

	assert_null(initramfs_base(cache, files, 1));
	free(cache);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(archive_is_newc_that_cpio_reads),
		cmocka_unit_test(base_is_cached_by_content_and_cell_archive_follows_it),
		cmocka_unit_test(extra_archive_goes_between_base_and_spec),
		cmocka_unit_test(text_file_goes_in_and_its_text_names_the_image),
		cmocka_unit_test(unreadable_input_is_named),
	};

	return cmocka_run_group_tests_name("test_initramfs", tests, setup, teardown);
}
