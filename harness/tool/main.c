// SPDX-License-Identifier: GPL-2.0-only
/* main.c - the oomlab command: dispatches to its subcommands. */
#include <stdio.h>
#include <string.h>

#include "tool/cmd.h"
#include "version.h"

static const char usage[] =
	"usage: oomlab <command> [options]\n"
	"\n"
	"Commands:\n"
	"  run       boot VMs over the scenarios' matrices and judge every cell\n"
	"  explain   explain each OOM report in a kernel log: who died, and why\n"
	"  replay    turn an OOM report into a scenario, and run it (--run)\n"
	"  report    write a run's KTAP, JUnit and HTML again from its run.json\n"
	"  diff      compare two runs (or two kernels of one): regressions, fixes, changes\n"
	"  history   a cell's outcomes across every recorded run and kernel\n"
	"  bisect    the first Debian kernel package (or commit of a kernel tree) where a cell's\n"
	"            outcome changes\n"
	"  merge     join the shards of a run (--shard) into one run\n"
	"  kernels   list the Debian kernel packages --kernel can name, and which are cached\n"
	"\n"
	"'oomlab <command> --help' describes a command; 'oomlab --version' names this oomlab.\n";

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("oomlab %s (commit %s)\n", oomlab_version(), oomlab_commit());
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explain"))
		return cmd_explain(argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return cmd_replay(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "bisect"))
		return cmd_bisect(argc - 1, argv + 1);
	if (!strcmp(argv[1], "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (!strcmp(argv[1], "history"))
		return cmd_history(argc - 1, argv + 1);
	if (!strcmp(argv[1], "kernels"))
		return cmd_kernels(argc - 1, argv + 1);
	fprintf(stderr, "error: unknown command '%s'\n\n%s", argv[1], usage);
	return 2;
}
