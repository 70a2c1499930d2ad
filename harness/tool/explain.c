// SPDX-License-Identifier: GPL-2.0-only
/* explain.c - "oomlab explain": reads a kernel log and prints why each OOM victim was chosen. */
#include "tool/cmd.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "observe/oomreport.h"
#include "report/explain.h"
#include "util.h"

static const char usage_text[] =
	"usage: oomlab explain [--json] [FILE|-]\n"
	"\n"
	"Reads a kernel log (console, dmesg, dmesg -T, journalctl -k, syslog, /dev/kmsg; standard\n"
	"input for '-' or no FILE) and explains each OOM report in it: when, who invoked it, the\n"
	"constraint, totalpages, the tasks ranked by the points the kernel gave them, the victim,\n"
	"and whether the victim agrees with the rules of the kernel generation the report's shape\n"
	"shows: consistent, inconsistent, ambiguous, unknown, or policy (chosen by\n"
	"oom_kill_allocating_task, memory.oom.group or panic_on_oom, not by points).\n"
	"\n"
	"  --json    print one JSON document {\"source\", \"events\": [...]}\n"
	"\n"
	"Exit status: 0 when at least one OOM event was explained, 1 when the input holds none,\n"
	"2 for a usage error or an unreadable file.\n";

/*
 * The input: a regular file is mapped read-only (reading 300 MB into fresh memory costs the
 * kernel more than parsing it); anything else (standard input, a pipe) is read. *map is set
 * for the caller to munmap(map, *len), or NULL when the text is in sb.
 */
static int read_input(const char *path, struct strbuf *sb, void **map, size_t *len)
{
	char buf[65536];
	struct stat st;
	size_t n;
	int fd;

	*map = NULL;
	if (strcmp(path, "-")) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0) {
			*map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			if (*map == MAP_FAILED) {
				*map = NULL;
			} else {
				*len = (size_t)st.st_size;
				close(fd);
				return 0;
			}
		}
		close(fd);
		return strbuf_read_file(sb, path);
	}
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		strbuf_add(sb, buf, n);
	return ferror(stdin) ? -1 : 0;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf sb = STRBUF_INIT;
	struct oom_log *log;
	const char *path = "-";
	void *map;
	size_t maplen = 0;
	int c, json = 0, n;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			error("unknown option '%s' (usage: oomlab explain [--json] [FILE|-])",
			      argv[optind - 1]);
			return 2;
		}
	}
	if (argc - optind > 1) {
		error("one FILE at most, found %d (usage: oomlab explain [--json] [FILE|-])",
		      argc - optind);
		return 2;
	}
	if (optind < argc)
		path = argv[optind];
	if (read_input(path, &sb, &map, &maplen) < 0) {
		error_errno("cannot read '%s'", strcmp(path, "-") ? path : "standard input");
		strbuf_release(&sb);
		return 2;
	}
	log = map ? oomreport_parse(map, maplen) : oomreport_parse(sb.buf ? sb.buf : "", sb.len);
	if (map)
		munmap(map, maplen);
	strbuf_release(&sb);
	if (!log)
		die("out of memory parsing '%s'", path);
	n = explain_print(stdout, log, strcmp(path, "-") ? path : "standard input", json);
	oomreport_free(log);
	if (n < 0)
		die("out of memory explaining '%s'", path);
	if (!n && json)
		fprintf(stderr, "no OOM report in '%s'\n",
			strcmp(path, "-") ? path : "standard input");
	return n > 0 ? 0 : 1;
}
