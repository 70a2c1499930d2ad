/* run.h - the "oomlab run" subcommand. */
#ifndef OOMLAB_RUN_H
#define OOMLAB_RUN_H

/* Runs the subcommand with its own argv (argv[0] is "run"); returns the exit status. */
int cmd_run(int argc, char **argv);

#endif
