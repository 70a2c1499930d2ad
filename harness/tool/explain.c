// SPDX-License-Identifier: GPL-2.0-only
/* explain.c - "oomlab explain": reads a kernel log and prints why each OOM victim was chosen. */
#include "tool/cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
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
	"2 for a usage error or an unreadable file. Events are printed as the log is read: a file\n"
	"that fails part way leaves what was printed (with --json, a document cut short).\n";

#define READ_PIECE (1 << 20)

/*
 * Reads the input a piece at a time straight into the parser's stream, and explains it as it
 * goes: the events the parser has moved past are judged and printed on another thread while it
 * reads on. A log of gigabytes is never held whole, and the pieces go into the same memory
 * again and again (mapping the file, or reading it into fresh memory, costs the kernel more
 * than parsing it). Returns what explainer_end() does, or -2 with errno set when the input
 * cannot be read; dies when memory runs out.
 */
static int explain_fd(int fd, const char *name, int json)
{
	struct oomreport_stream *st = oomreport_stream_new();
	struct explainer *ex = explainer_new(stdout, name, json);
	struct oom_log *log, *now;
	int err = 0, nfinal;
	ssize_t n;
	char *room;

	if (!st || !ex)
		die("out of memory parsing '%s'", name);
	while (!err) {
		room = oomreport_stream_room(st, READ_PIECE);
		if (!room)
			die("out of memory parsing '%s'", name);
		n = read(fd, room, READ_PIECE);
		if (n > 0) {
			explainer_hold(ex);
			oomreport_stream_add(st, (size_t)n);
			now = oomreport_stream_log(st, &nfinal);
			explainer_let(ex, now, nfinal);
		} else if (!n) {
			break;
		} else if (errno != EINTR) {
			err = errno;
		}
	}
	if (err) {
		explainer_free(ex);
		oomreport_free(oomreport_stream_end(st));
		errno = err;
		return -2;
	}
	explainer_hold(ex);
	log = oomreport_stream_end(st);
	explainer_let(ex, log, log->nevents);
	n = explainer_end(ex, log);
	oomreport_free(log);
	return (int)n;
}

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = "-", *name;
	int c, json = 0, n, fd = STDIN_FILENO;

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
	name = strcmp(path, "-") ? path : "standard input";
	if (strcmp(path, "-"))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -2 : explain_fd(fd, name, json);
	if (n == -2) {
		error_errno("cannot read '%s'", name);
		return 2;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (n < 0)
		die("out of memory explaining '%s'", path);
	if (!n && json)
		fprintf(stderr, "no OOM report in '%s'\n", name);
	return n > 0 ? 0 : 1;
}
