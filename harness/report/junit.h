/* SPDX-License-Identifier: GPL-2.0-only */
/* junit.h - a run as JUnit XML: a testsuite per kernel and scenario, a testcase per cell. */
#ifndef OOMLAB_JUNIT_H
#define OOMLAB_JUNIT_H

#include <jansson.h>

/* The whole document for run (run.json's document): junit.xml. NULL without memory. */
char *junit_text(const json_t *run);

#endif
