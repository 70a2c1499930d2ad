/* SPDX-License-Identifier: GPL-2.0-only */
/* cmd.h - the commands of oomlab, each run with its own argv (argv[0] is its name). */
#ifndef OOMLAB_CMD_H
#define OOMLAB_CMD_H

/*
 * "oomlab run": boots a VM per cell of the scenarios' matrices and judges each. Returns 0
 * when every cell passed or was skipped with a reason, 1 when one failed or could not be
 * tested, 2 for a usage or set-up error, 130 when interrupted.
 */
int cmd_run(int argc, char **argv);

/*
 * "oomlab explain": reads FILE, or standard input for "-" or no FILE. Returns 0 when at least
 * one OOM event was explained, 1 when the input holds none, 2 for a usage error or an
 * unreadable file.
 */
int cmd_explain(int argc, char **argv);

/*
 * "oomlab replay": turns the OOM report of a kernel log into a scenario, and with --run runs
 * it. Returns 0, or 2 when the report cannot be replayed; with --run, cmd_run()'s status
 * (0: the kernel chose the same task).
 */
int cmd_replay(int argc, char **argv);

/*
 * "oomlab report RUN": writes a run's results.ktap, junit.xml and pages again from its
 * run.json and its cells' kernel logs. Returns 0, or 2 when they cannot be read or written.
 */
int cmd_report(int argc, char **argv);

/*
 * The leading options of a command over runs: --help (prints usage, returns 1) and
 * --results DIR (sets *dir, default "results"), taken off argc and argv. Returns 0.
 */
int cmd_leading(int *argc, char ***argv, const char *usage, const char **dir);

/*
 * "oomlab diff A B": the cells whose outcome changed between two runs (or two kernels of one).
 * Returns 1 when one regressed, else 0; 2 after an error.
 */
int cmd_diff(int argc, char **argv);

/*
 * "oomlab bisect CELL --good TAG --bad TAG": the first Debian package where the cell's
 * outcome changes. Returns 0 found, 1 no change, 2 an error or a flaky step.
 */
int cmd_bisect(int argc, char **argv);

/* "oomlab merge RUN...": runs (a run's shards) joined as one new run. Returns 0, or 2. */
int cmd_merge(int argc, char **argv);

/* "oomlab history": a cell's recorded outcomes across runs and kernels. Returns 0, 1 or 2. */
int cmd_history(int argc, char **argv);

/* "oomlab kernels": the Debian kernel packages --kernel can name. Returns 0, or 2. */
int cmd_kernels(int argc, char **argv);


#endif
