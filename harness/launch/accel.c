// SPDX-License-Identifier: GPL-2.0-only
/* accel.c - the accelerator a run's VMs use: KVM only where a probe cell shows it works. */
#include "launch/accel.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "launch/schedule.h"
#include "util.h"

/*
 * KVM only where it really works: no vmx/svm flag means no KVM worth having (a nested
 * /dev/kvm can exist and hang), and otherwise a probe cell must power off in time.
 */
const char *accel_pick(const char *want, const struct images *images, const struct kernel *kernel,
		       const char *dir, char *why, size_t len)
{
	struct scenario probe_sc = { .name = "kvm-probe", .memory_bytes = 256ULL << 20, .cpus = 1,
				     .deadline_ms = 5000 };
	struct sc_rule rule = { 0 };
	struct cell c = { .sc = &probe_sc, .rule = &rule, .id = "kvm-probe" };
	struct job j = { .cell = &c, .kernel = kernel, .timeout_s = 20 };
	struct schedule probe = { .images = images, .accel = "kvm" };
	struct strbuf cpuinfo = STRBUF_INIT, agent = STRBUF_INIT;
	const char *accel = "kvm";
	int flags;

	if (strcmp(want, "auto")) {
		snprintf(why, len, "--accel %s", want);
		return want;
	}
	strbuf_read_file(&cpuinfo, "/proc/cpuinfo");
	flags = cpuinfo.buf && (strstr(cpuinfo.buf, " vmx") || strstr(cpuinfo.buf, " svm"));
	strbuf_release(&cpuinfo);
	if (!flags) {
		snprintf(why, len, "no vmx/svm CPU flag: KVM cannot work here");
		return "tcg";
	}
	if (access("/dev/kvm", R_OK | W_OK) < 0) {
		snprintf(why, len, "/dev/kvm: %s", strerror(errno));
		return "tcg";
	}
	j.dir = xasprintf("%s/kvm-probe", dir);
	if (job_start(&probe, &j) == 0) {
		while (!vm_reap(&j.vm)) {
			if (now_s() > j.vm.deadline) {
				vm_kill(&j.vm, 1);
				break;
			}
			poll(NULL, 0, 100);
		}
	}
	strbuf_read_file_in(&agent, j.dir, "agent.log");
	if (agent.buf && strstr(agent.buf, " done ")) {
		snprintf(why, len, "a KVM probe cell powered off");
	} else {
		accel = "tcg";
		snprintf(why, len, "a KVM probe cell did not power off within 20 s");
	}
	strbuf_release(&agent);
	free(j.dir);
	return accel;
}
