// SPDX-License-Identifier: GPL-2.0-only
/* kernel.c - a kernel to boot: a Debian tag fetched and unpacked, or a bzImage by path. */
#include "guest/kernel.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* The kernel version string in a bzImage's setup header, or NULL (caller frees). */
static char *bzimage_version(const char *path)
{
	unsigned char hdr[0x210];
	char ver[128];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned int off;
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = pread(fd, hdr, sizeof(hdr), 0);
	/* x86 boot protocol: "HdrS" at 0x202, kernel_version (offset - 0x200) at 0x20e */
	if (n != (ssize_t)sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4)) {
		close(fd);
		return NULL;
	}
	off = (unsigned int)hdr[0x20e] | (unsigned int)hdr[0x20f] << 8;
	n = pread(fd, ver, sizeof(ver) - 1, (off_t)off + 0x200);
	close(fd);
	if (n <= 0 || !off)
		return NULL;
	ver[n] = '\0';
	ver[strcspn(ver, " ")] = '\0';
	return xstrdup(ver);
}

static char *field(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=')
			return xstrndup(p + klen + 1, strcspn(p + klen + 1, "\n"));
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* Runs fetch-kernel with arg (a tag, or --list) and cache; its standard output into out */
static int run_fetch(const char *scripts, const char *arg, const char *cache, struct strbuf *out)
{
	char *script = xasprintf("%s/fetch-kernel", scripts);
	const char *argv[] = { "/bin/sh", script, arg, cache, NULL };
	int status = run_capture(argv, NULL, out);

	free(script);
	if (status)
		/* fetch-kernel has said why on stderr, or run_capture() why it could not run */
		return error("cannot fetch kernel '%s'", arg);
	return 0;
}

static int fetch_debian(const char *tag, const char *scripts, const char *cache, struct kernel *k)
{
	struct strbuf out = STRBUF_INIT;

	if (run_fetch(scripts, tag, cache, &out) < 0) {
		strbuf_release(&out);
		return -1;
	}
	k->vmlinuz = field(out.buf, "vmlinuz");
	k->release = field(out.buf, "release");
	k->package = field(out.buf, "package");
	k->version = field(out.buf, "version");
	k->pvh = field(out.buf, "pvh");
	strbuf_release(&out);
	if (!k->vmlinuz || !k->release || !k->package || !k->version)
		return error("fetch-kernel gave no kernel for '%s'", tag);
	return 0;
}

int kernel_resolve(const char *tag, const char *scripts, const char *cache, struct kernel *k)
{
	memset(k, 0, sizeof(*k));
	k->tag = xstrdup(tag);
	if (!strncmp(tag, "debian:", 7))
		return fetch_debian(tag, scripts, cache, k);
	if (access(tag, R_OK) < 0)
		return error("unknown kernel '%s': expected debian:6.1, debian:6.12 or the path of "
			     "a bzImage (%s)", tag, strerror(errno));
	k->release = bzimage_version(tag);
	if (!k->release)
		return error("'%s' is not a bzImage (no HdrS setup header)", tag);
	k->vmlinuz = xstrdup(tag);
	k->package = xstrdup("");
	k->version = xstrdup("");
	return 0;
}

int kernel_memcg_v1(const struct kernel *k)
{
	struct strbuf config = STRBUF_INIT;
	char *dir = xstrdup(k->vmlinuz ? k->vmlinuz : ""), *slash = strrchr(dir, '/'), *path;
	int ret = -1;

	if (slash)
		*slash = '\0';
	path = xasprintf("%s/config-%s", slash ? dir : ".", k->release ? k->release : "");
	if (k->package && *k->package && !strbuf_read_file(&config, path))
		ret = strstr(config.buf, "\n# CONFIG_MEMCG_V1 is not set") ? 0 :
		      !!strstr(config.buf, "\nCONFIG_MEMCG=y");
	strbuf_release(&config);
	free(path);
	free(dir);
	return ret;
}

const char *kernel_boot_image(const struct kernel *k)
{
	return k->pvh ? k->pvh : k->vmlinuz;
}

void kernel_release(struct kernel *k)
{
	free(k->tag);
	free(k->vmlinuz);
	free(k->pvh);
	free(k->release);
	free(k->package);
	free(k->version);
	memset(k, 0, sizeof(*k));
}

int kernel_list(const char *scripts, const char *cache, struct strbuf *out)
{
	return run_fetch(scripts, "--list", cache, out);
}

static const char *next_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? nl + 1 : NULL;
}

/* "debian:6.1.0-47..57": the line's prefix ("debian:6.1.0-") and the bounds; 0 if no range */
static int parse_range(const char *arg, char *prefix, size_t len, long *from, long *to)
{
	const char *dots = strstr(arg, ".."), *p = dots;
	char *end;

	if (!dots)
		return 0;
	while (p > arg && isdigit((unsigned char)p[-1]))
		p--;
	if (p == dots || (size_t)(p - arg) >= len)
		return -1;
	memcpy(prefix, arg, (size_t)(p - arg));
	prefix[p - arg] = '\0';
	*from = strtol(p, NULL, 10);
	*to = strtol(dots + 2, &end, 10);
	return end == dots + 2 || *end || *to < *from ? -1 : 1;
}

int kernel_expand(const char *arg, const char *scripts, const char *cache, char ***tags, int *n)
{
	char *copy = xstrdup(arg), *save = NULL, *one, prefix[64];
	struct strbuf list = STRBUF_INIT;
	int ret = 0, listed = 0;
	long from, to;

	for (one = strtok_r(copy, ",", &save); one && !ret; one = strtok_r(NULL, ",", &save)) {
		/* a path may hold "..": only a Debian tag is a range */
		int range = strncmp(one, "debian:", 7) ? 0 :
			    parse_range(one, prefix, sizeof(prefix), &from, &to), found = 0;
		const char *line;

		if (!range) {
			*tags = xrealloc(*tags, sizeof(**tags) * (size_t)(*n + 1));
			(*tags)[(*n)++] = xstrdup(one);
			continue;
		}
		if (range < 0) {
			ret = error("--kernel '%s': a range is a Debian line's ABIs, as "
				    "debian:6.1.0-47..57 or debian:6.12.107..118", one);
			break;
		}
		if (!listed++ && kernel_list(scripts, cache, &list) < 0) {
			ret = -1;
			break;
		}
		/* each line of the list: "TAG PACKAGE VERSION cached|-" */
		for (line = list.buf; line && *line; line = next_line(line)) {
			size_t tl = strcspn(line, " \n"), pl = strlen(prefix);
			long v;
			char *end;

			if (tl <= pl || strncmp(line, prefix, pl))
				continue;
			v = strtol(line + pl, &end, 10);
			if (end != line + tl || v < from || v > to)
				continue;
			*tags = xrealloc(*tags, sizeof(**tags) * (size_t)(*n + 1));
			(*tags)[(*n)++] = xstrndup(line, tl);
			found++;
		}
		if (!found)
			ret = error("--kernel '%s': Debian's archive has no package in that range "
				    "(oomlab kernels lists those it has)", one);
	}
	strbuf_release(&list);
	free(copy);
	return ret;
}
