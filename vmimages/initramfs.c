// SPDX-License-Identifier: GPL-2.0-only
/* initramfs.c - the guest image: a newc cpio base archive, and the per-cell archive after it. */
#include "initramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned int cpio_ino = 1;

static void pad4(struct strbuf *sb)
{
	static const char zero[4];

	strbuf_add(sb, zero, (4 - sb->len % 4) % 4);
}

void cpio_add(struct strbuf *sb, const char *name, unsigned int mode, const void *data,
	      size_t len, unsigned int rdev_major, unsigned int rdev_minor)
{
	size_t namelen = strlen(name) + 1;

	/* newc: magic, then 13 eight-digit hex fields; name and data each padded to 4 bytes */
	strbuf_addf(sb, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
		    cpio_ino++, mode, 0, 0, 1, 0, len, 0, 0, rdev_major, rdev_minor, namelen, 0);
	strbuf_add(sb, name, namelen);
	pad4(sb);
	if (len)
		strbuf_add(sb, data, len);
	pad4(sb);
}

void cpio_finish(struct strbuf *sb)
{
	static const char zero[512];

	cpio_add(sb, "TRAILER!!!", 0, NULL, 0, 0, 0);
	strbuf_add(sb, zero, (512 - sb->len % 512) % 512);
}

static unsigned long long fnv1a(unsigned long long h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

static void add_dirs(struct strbuf *sb, const char *dest)
{
	char *d = xstrdup(dest), *s;

	for (s = strchr(d, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		cpio_add(sb, d, S_IFDIR | 0755, NULL, 0, 0, 0);
		*s = '/';
	}
	free(d);
}

/* Builds (or finds) the archive of files in cache_dir; base: with the guest's skeleton. */
static char *cached_archive(const char *cache_dir, int base, const struct initramfs_file *files,
			    int nfiles)
{
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp", "w", "bin" };
	struct strbuf img = STRBUF_INIT, *data = xcalloc((size_t)nfiles, sizeof(*data));
	unsigned long long h = 0xcbf29ce484222325ULL;
	char *path = NULL;
	size_t i;
	int f;

	for (f = 0; f < nfiles; f++) {
		if (!files[f].src) {
			strbuf_addstr(&data[f], files[f].text);
		} else if (strbuf_read_file(&data[f], files[f].src) < 0) {
			error_errno("cannot read '%s' for the guest image", files[f].src);
			goto out;
		}
		h = fnv1a(h, files[f].dest, strlen(files[f].dest) + 1);
		h = fnv1a(h, data[f].buf, data[f].len);
	}
	if (mkdir_p(cache_dir, 0755) < 0) {
		error_errno("cannot create '%s'", cache_dir);
		goto out;
	}
	path = xasprintf("%s/%s-%016llx.cpio", cache_dir, base ? "base" : "extra", h);
	if (access(path, R_OK) == 0)
		goto out;

	for (i = 0; base && i < ARRAY_SIZE(dirs); i++)
		cpio_add(&img, dirs[i], S_IFDIR | 0755, NULL, 0, 0, 0);
	/* the kernel opens /dev/console for init before devtmpfs is mounted */
	if (base)
		cpio_add(&img, "dev/console", S_IFCHR | 0600, NULL, 0, 5, 1);
	for (f = 0; f < nfiles; f++) {
		add_dirs(&img, files[f].dest);
		cpio_add(&img, files[f].dest, S_IFREG | (unsigned int)files[f].mode, data[f].buf,
			 data[f].len, 0, 0);
	}
	if (base)
		cpio_add(&img, "bin/sh", S_IFLNK | 0777, "busybox", 7, 0, 0);
	cpio_finish(&img);
	if (write_file_atomic(path, img.buf, img.len) < 0) {
		free(path);
		path = NULL;
	}
out:
	for (f = 0; f < nfiles; f++)
		strbuf_release(&data[f]);
	free(data);
	strbuf_release(&img);
	return path;
}

char *initramfs_base(const char *cache_dir, const struct initramfs_file *files, int nfiles)
{
	return cached_archive(cache_dir, 1, files, nfiles);
}

char *initramfs_extra(const char *cache_dir, const struct initramfs_file *files, int nfiles)
{
	return cached_archive(cache_dir, 0, files, nfiles);
}

int initramfs_cell(const char *base, const char *const *extras, int nextras, const char *spec,
		   size_t speclen, const char *out)
{
	struct strbuf img = STRBUF_INIT;
	int ret, i;

	if (strbuf_read_file(&img, base) < 0) {
		ret = error_errno("cannot read '%s'", base);
		goto done;
	}
	for (i = 0; i < nextras; i++)
		if (strbuf_read_file(&img, extras[i]) < 0) {
			ret = error_errno("cannot read '%s'", extras[i]);
			goto done;
		}
	if (spec)
		cpio_add(&img, "cell.spec", S_IFREG | 0644, spec, speclen, 0, 0);
	cpio_finish(&img);
	ret = write_file_atomic(out, img.buf, img.len);
done:
	strbuf_release(&img);
	return ret;
}
