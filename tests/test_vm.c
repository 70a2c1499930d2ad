// SPDX-License-Identifier: GPL-2.0-only
/* test_vm.c - QEMU's command line, supervision of its process group, and ending classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"
#include "launch/shape.h"
#include "launch/vm.h"
#include "shared/proto.h"

static const char *arg_after(char **argv, const char *opt)
{
	for (; *argv; argv++)
		if (!strcmp(argv[0], opt) && argv[1])
			return argv[1];
	return NULL;
}

static int has_arg(char **argv, const char *arg)
{
	for (; *argv; argv++)
		if (!strcmp(*argv, arg))
			return 1;
	return 0;
}

static void command_line_is_isolated_and_ends_on_panic(void **state)
{
	struct vm_config cfg = {
		.qemu = "qemu-system-x86_64", .accel = "tcg", .kernel = "/k/vmlinuz",
		.initrd = "/c/initrd", .memory_bytes = 512ULL << 20, .cpus = 2,
		.console_path = "/c/console.log", .agent_path = "/c/agent.log",
	};
	char **argv = vm_argv(&cfg);

	assert_string_equal(argv[0], "qemu-system-x86_64");
	assert_string_equal(arg_after(argv, "-accel"), "tcg,thread=single");
	assert_false(has_arg(argv, "-cpu"));
	assert_string_equal(arg_after(argv, "-m"), "512M");
	assert_string_equal(arg_after(argv, "-smp"), "2");
	assert_true(has_arg(argv, "-no-reboot"));
	assert_string_equal(arg_after(argv, "-device"), "isa-debug-exit,iobase=0xf4,iosize=4");
	assert_true(has_arg(argv, "-nodefaults"));
	assert_string_equal(arg_after(argv, "-display"), "none");
	assert_string_equal(arg_after(argv, "-kernel"), "/k/vmlinuz");
	assert_string_equal(arg_after(argv, "-initrd"), "/c/initrd");
	/* first serial port: the console; second: the agent's records */
	assert_string_equal(arg_after(argv, "-serial"), "file:/c/console.log");
	assert_true(has_arg(argv, "file:/c/agent.log"));
	assert_non_null(strstr(arg_after(argv, "-append"), "panic=-1"));
	assert_non_null(strstr(arg_after(argv, "-append"), "console=ttyS0"));
	assert_false(has_arg(argv, "-netdev") || has_arg(argv, "-nic"));
	vm_argv_free(argv);

	cfg.accel = "kvm";
	cfg.append = "extra=1";
	argv = vm_argv(&cfg);
	assert_string_equal(arg_after(argv, "-accel"), "kvm");
	assert_string_equal(arg_after(argv, "-cpu"), "host");
	assert_non_null(strstr(arg_after(argv, "-append"), " extra=1"));
	vm_argv_free(argv);
}

static void numa_nodes_and_swap_disk_are_passed(void **state)
{
	static const unsigned long long nodes[] = { 384ULL << 20, 128ULL << 20, 64ULL << 20 };
	struct vm_config cfg = {
		.qemu = "qemu-system-x86_64", .accel = "tcg", .kernel = "/k/vmlinuz",
		.initrd = "/c/initrd", .memory_bytes = 576ULL << 20, .cpus = 2,
		.console_path = "/c/console.log", .agent_path = "/c/agent.log",
		.numa_bytes = nodes, .numa_nodes = 3, .disks = { "/c/swap.img", "/c/disk.img" },
	};
	char **argv = vm_argv(&cfg);

	assert_string_equal(arg_after(argv, "-object"), "memory-backend-ram,id=ram0,size=384M");
	assert_true(has_arg(argv, "memory-backend-ram,id=ram1,size=128M"));
	assert_string_equal(arg_after(argv, "-numa"), "node,nodeid=0,cpus=0,memdev=ram0");
	assert_true(has_arg(argv, "node,nodeid=1,cpus=1,memdev=ram1"));
	/* more nodes than CPUs: memory-only */
	assert_true(has_arg(argv, "node,nodeid=2,memdev=ram2"));
	assert_string_equal(arg_after(argv, "-drive"),
			    "file=/c/swap.img,if=virtio,format=raw,cache=unsafe");
	assert_true(has_arg(argv, "file=/c/disk.img,if=virtio,format=raw,cache=unsafe"));
	vm_argv_free(argv);
}

/*
 * A restored cell: the state read through cat(1), its disks' commas doubled for QEMU's
 * option parser (a cell's id has commas), and no monitor unless asked for; a shape's VM,
 * with its monitor, does not store its run state.
 */
static void a_restore_reads_its_state_and_its_disks_paths_survive_commas(void **state)
{
	struct vm_config cfg = {
		.qemu = "qemu-system-x86_64", .accel = "tcg", .kernel = "/k/vmlinuz",
		.initrd = "/s/initrd", .memory_bytes = 256ULL << 20, .cpus = 2,
		.console_path = "/c/console.log", .agent_path = "/c/agent.log",
		.disks = { "/r/a=0,b=1/spec.img" }, .incoming = "/s/state",
	};
	char **argv = vm_argv(&cfg);

	assert_string_equal(arg_after(argv, "-incoming"), "exec:exec cat '/s/state'");
	assert_string_equal(arg_after(argv, "-drive"),
			    "file=/r/a=0,,b=1/spec.img,if=virtio,format=raw,cache=unsafe");
	assert_false(has_arg(argv, "-monitor"));
	vm_argv_free(argv);

	cfg.incoming = NULL;
	cfg.monitor_fd = 5;
	argv = vm_argv(&cfg);
	assert_false(has_arg(argv, "-incoming"));
	assert_string_equal(arg_after(argv, "-monitor"), "stdio");
	/* the shape is saved stopped; without its run state stored, the restore runs it */
	assert_string_equal(arg_after(argv, "-global"), "migration.store-global-state=off");
	vm_argv_free(argv);
}

/*
 * A shape's VM and its cells' are one machine: the spec disk comes after the swap and scratch
 * disks, and the kernel command line names it where it lands.
 */
static void a_shapes_spec_disk_follows_its_other_disks(void **state)
{
	struct kernel k = { .vmlinuz = "/k/vmlinuz", .release = "6.1.0-57-cloud-amd64" };
	struct scenario sc = { .memory_bytes = 512ULL << 20, .cpus = 2 };
	struct scenario small = { .memory_bytes = 256ULL << 20, .cpus = 2 };
	struct shapes shs = { 0 };
	struct images im = { 0 };
	struct vm_config cfg;
	char *none[2] = { NULL, NULL }, *swap[2] = { "/c/swap.img", NULL };
	char *both[2] = { "/c/swap.img", "/c/disk.img" };
	int i;

	i = shapes_add(&shs, &im, 0, &k, &sc, "/r/run");
	assert_int_equal(i, 0);
	assert_string_equal(shs.v[0].dir, "/r/run/shapes/6.1.0-57-cloud-amd64-0");
	/* the same machine again is the same shape; more memory is another */
	assert_int_equal(shapes_add(&shs, &im, 0, &k, &sc, "/r/run"), 0);
	assert_int_equal(shapes_add(&shs, &im, 0, &k, &small, "/r/run"), 1);

	shape_vm_config(&shs.v[0], "tcg", none, "/c/spec.img", "/s/state", &cfg);
	assert_string_equal(cfg.disks[0], "/c/spec.img");
	assert_null(cfg.disks[1]);
	assert_string_equal(cfg.append, "oomlab.spec=/dev/vda");
	assert_string_equal(cfg.incoming, "/s/state");
	assert_int_equal(cfg.memory_bytes, 512ULL << 20);
	shape_vm_config(&shs.v[0], "tcg", swap, "/c/spec.img", NULL, &cfg);
	assert_string_equal(cfg.disks[1], "/c/spec.img");
	assert_string_equal(cfg.append, "oomlab.spec=/dev/vdb");
	assert_null(cfg.incoming);
	shape_vm_config(&shs.v[0], "tcg", both, "/c/spec.img", NULL, &cfg);
	assert_string_equal(cfg.disks[1], "/c/disk.img");
	assert_string_equal(cfg.disks[2], "/c/spec.img");
	assert_string_equal(cfg.append, "oomlab.spec=/dev/vdc");
	/* QEMU loads the bzImage, or the PVH ELF fetch-kernel unpacked from it */
	assert_string_equal(cfg.kernel, "/k/vmlinuz");
	k.pvh = "/k/pvh";
	shape_vm_config(&shs.v[0], "tcg", none, "/c/spec.img", "/s/state", &cfg);
	assert_string_equal(cfg.kernel, "/k/pvh");
	for (i = 0; i < shs.n; i++)
		shs.v[i].dir[0] = '\0'; /* nothing to delete */
	shapes_release(&shs);
}

/*
 * A shape is saved only on its agent's whole "ready" line: a line still arriving (from the
 * soak: the save cut "zeroed_kb=416374" after 416) must not count, or its tail lands in the
 * first restored cell's records.
 */
static void a_shape_waits_for_the_whole_ready_line(void **state)
{
	char err[128] = "";
	char cut[] = "@0 100 hello v=1\n@1 110 adj want=-1000\n@2 3000 ready dev=/dev/vda zeroed_kb=416";
	char whole[] = "@0 100 hello v=1\n@2 3000 ready dev=/dev/vda zeroed_kb=416374\n";
	char error[] = "@0 100 hello v=1\n@1 200 error what=spec-disk dev=/dev/vda errno=2\n@2 2";
	char ready_ish[] = "@0 100 hello v=1\n@1 200 readyish x=1\n";

	(void)state;
	assert_int_equal(shape_agent_said(cut, err, sizeof(err)), 0);
	assert_int_equal(shape_agent_said(whole, err, sizeof(err)), 1);
	assert_int_equal(shape_agent_said(error, err, sizeof(err)), -1);
	assert_string_equal(err, "error what=spec-disk dev=/dev/vda errno=2");
	assert_int_equal(shape_agent_said(ready_ish, err, sizeof(err)), 0);
	assert_int_equal(shape_agent_said(NULL, err, sizeof(err)), 0);
}

static void endings_are_classified(void **state)
{
	struct vm vm = { 0 };

	vm.status = 0;
	assert_int_equal(vm_ending(&vm, 0), VM_POWEROFF);
	/* QEMU exits 0 after a panic too: the console decides */
	assert_int_equal(vm_ending(&vm, 1), VM_PANIC);
	/* the agent's debug-exit: QEMU exits (0x10 << 1) | 1 */
	vm.status = PROTO_EXIT_STATUS << 8;
	assert_int_equal(vm_ending(&vm, 0), VM_POWEROFF);
	vm.status = 1 << 8;
	assert_int_equal(vm_ending(&vm, 0), VM_QEMU_ERROR);
	vm.status = SIGKILL; /* killed from outside */
	assert_int_equal(vm_ending(&vm, 0), VM_QEMU_ERROR);
	vm.timed_out = 1;
	assert_int_equal(vm_ending(&vm, 1), VM_TIMEOUT);
	assert_string_equal(vm_ending_name(VM_QEMU_ERROR), "qemu-error");
}

/*
 * A stand-in for QEMU that starts a grandchild and then hangs: vm_kill must take the whole
 * process group, or the grandchild would outlive the cell.
 */
static void kill_takes_the_whole_process_group(void **state)
{
	char dir[] = "/tmp/oomlab-test-vm.XXXXXX", script[128], pidfile[128], log[128];
	struct vm_config cfg = { .accel = "tcg", .kernel = "k", .initrd = "i", .memory_bytes = 1 << 20,
				 .cpus = 1, .console_path = "c", .agent_path = "a", .timeout_s = 0.5 };
	struct strbuf sb = STRBUF_INIT;
	struct pollfd pfd;
	struct vm vm;
	FILE *f;
	int grandchild = 0, i;

	assert_non_null(mkdtemp(dir));
	snprintf(script, sizeof(script), "%s/fake-qemu", dir);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	snprintf(log, sizeof(log), "%s/qemu.log", dir);
	f = fopen(script, "w");
	fprintf(f, "#!/bin/sh\nsleep 300 &\necho $! > %s\nexec sleep 300\n", pidfile);
	fclose(f);
	chmod(script, 0755);
	cfg.qemu = script;
	cfg.stderr_path = log;

	assert_int_equal(vm_start(&cfg, &vm), 0);
	for (i = 0; i < 100 && !grandchild; i++) {
		strbuf_reset(&sb);
		if (strbuf_read_file(&sb, pidfile) == 0 && sb.len)
			grandchild = atoi(sb.buf);
		else
			usleep(20000);
	}
	assert_true(grandchild > 0);
	/* the pidfd (where the host has one) stays quiet while it runs */
	pfd = (struct pollfd){ .fd = vm.pidfd, .events = POLLIN };
	if (vm.pidfd >= 0)
		assert_int_equal(poll(&pfd, 1, 100), 0);
	assert_int_equal(vm_reap(&vm), 0);

	vm_kill(&vm, 1);
	assert_true(vm.reaped);
	assert_true(WIFSIGNALED(vm.status));
	assert_int_equal(vm_ending(&vm, 0), VM_TIMEOUT);
	for (i = 0; i < 100 && kill(grandchild, 0) == 0; i++)
		usleep(20000); /* a killed orphan is reaped by init shortly after */
	assert_int_equal(kill(grandchild, 0), -1);
	assert_int_equal(errno, ESRCH);

	strbuf_release(&sb);
	unlink(script);
	unlink(pidfile);
	unlink(log);
	rmdir(dir);
}

static void missing_qemu_exits_127_with_the_reason(void **state)
{
	char log[] = "/tmp/oomlab-test-vm-log.XXXXXX";
	struct vm_config cfg = { .qemu = "/nonexistent/qemu", .accel = "tcg", .kernel = "k",
				 .initrd = "i", .memory_bytes = 1 << 20, .cpus = 1,
				 .console_path = "c", .agent_path = "a", .timeout_s = 5 };
	struct strbuf sb = STRBUF_INIT;
	struct pollfd pfd;
	struct vm vm;
	int fd = mkstemp(log);

	close(fd);
	cfg.stderr_path = log;
	assert_int_equal(vm_start(&cfg, &vm), 0);
	pfd = (struct pollfd){ .fd = vm.pidfd, .events = POLLIN };
	if (vm.pidfd >= 0)
		assert_int_equal(poll(&pfd, 1, 5000), 1);
	for (int i = 0; i < 500 && !vm_reap(&vm); i++)
		usleep(10000);
	assert_true(vm.reaped);
	assert_true(WIFEXITED(vm.status));
	assert_int_equal(WEXITSTATUS(vm.status), 127);
	assert_int_equal(vm_ending(&vm, 0), VM_QEMU_ERROR);
	assert_int_equal(strbuf_read_file(&sb, log), 0);
	assert_non_null(strstr(sb.buf, "cannot execute '/nonexistent/qemu'"));
	strbuf_release(&sb);
	unlink(log);
}

/*
 * A stand-in "oomlab": a child of the test that starts a fake QEMU (a shell that becomes
 * "sleep 300") through vm_start() and tells the test its pid, then ends as how says:
 * 'k' waits to be killed with SIGKILL, 'd' dies as a fatal error during a run does. The
 * test is the subreaper, so the fake QEMU becomes its child when the stand-in is gone and
 * its end can be waited for.
 */
static pid_t start_doomed_oomlab(char how, pid_t *qemu, char *dir, size_t dirlen)
{
	char tmpl[] = "/tmp/oomlab-test-vm-death.XXXXXX", script[128], log[128];
	int fds[2];
	pid_t child;
	FILE *f;

	assert_non_null(mkdtemp(tmpl));
	snprintf(dir, dirlen, "%s", tmpl);
	snprintf(script, sizeof(script), "%s/fake-qemu", dir);
	snprintf(log, sizeof(log), "%s/qemu.log", dir);
	f = fopen(script, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\nexec sleep 300\n");
	fclose(f);
	chmod(script, 0755);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		struct vm_config cfg = { .qemu = script, .accel = "tcg", .kernel = "k",
					 .initrd = "i", .memory_bytes = 1 << 20, .cpus = 1,
					 .console_path = "c", .agent_path = "a",
					 .stderr_path = log, .timeout_s = 300 };
		struct vm vm;

		close(fds[0]);
		if (vm_start(&cfg, &vm) < 0)
			_exit(3);
		if (write(fds[1], &vm.pid, sizeof(vm.pid)) != sizeof(vm.pid))
			_exit(3);
		if (how == 'd')
			die("a fatal error while a VM runs");
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], qemu, sizeof(*qemu)), sizeof(*qemu));
	close(fds[0]);
	return child;
}

/* Waits up to 5 s for pid, a child of the test, to end. Returns 1 when it did. */
static int ended_within_5s(pid_t pid)
{
	int i, status;

	for (i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return 1;
		usleep(10000);
	}
	return 0;
}

static void end_doomed_oomlab(pid_t qemu, const char *dir)
{
	char path[160];

	/* whatever the test found, nothing of it outlives the test */
	if (kill(qemu, SIGKILL) == 0)
		waitpid(qemu, NULL, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	snprintf(path, sizeof(path), "%s/fake-qemu", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/qemu.log", dir);
	unlink(path);
	rmdir(dir);
}

/*
 * oomlab killed with SIGKILL runs no code of its own: QEMU, in a process group of its own,
 * must be ended by the kernel (its parent-death signal).
 */
static void qemu_dies_when_oomlab_is_killed(void **state)
{
	char dir[64];
	pid_t qemu, oomlab = start_doomed_oomlab('k', &qemu, dir, sizeof(dir));
	int status, ended;

	assert_int_equal(kill(oomlab, SIGKILL), 0);
	assert_int_equal(waitpid(oomlab, &status, 0), oomlab);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ended = ended_within_5s(qemu);
	end_doomed_oomlab(qemu, dir);
	if (!ended)
		fail_msg("expected QEMU (pid %d) to end with the oomlab that started it, "
			 "seen it still running 5 s after oomlab was killed", (int)qemu);
}

/*
 * A die() during a run: by the time oomlab's exit can be seen, its QEMU is not only
 * signalled but gone (killed and reaped by oomlab itself), so nothing still writes into
 * the results or holds the guest's memory.
 */
static void qemu_is_gone_when_oomlab_dies(void **state)
{
	char dir[64];
	pid_t qemu, oomlab = start_doomed_oomlab('d', &qemu, dir, sizeof(dir));
	int status, gone;

	assert_int_equal(waitpid(oomlab, &status, 0), oomlab);
	gone = kill(qemu, 0) < 0 && errno == ESRCH;
	end_doomed_oomlab(qemu, dir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	if (!gone)
		fail_msg("expected QEMU (pid %d) gone when oomlab exited after a fatal error, "
			 "seen it still there", (int)qemu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command_line_is_isolated_and_ends_on_panic),
		cmocka_unit_test(numa_nodes_and_swap_disk_are_passed),
		cmocka_unit_test(a_restore_reads_its_state_and_its_disks_paths_survive_commas),
		cmocka_unit_test(a_shapes_spec_disk_follows_its_other_disks),
		cmocka_unit_test(a_shape_waits_for_the_whole_ready_line),
		cmocka_unit_test(endings_are_classified),
		cmocka_unit_test(kill_takes_the_whole_process_group),
		cmocka_unit_test(missing_qemu_exits_127_with_the_reason),
		cmocka_unit_test(qemu_dies_when_oomlab_is_killed),
		cmocka_unit_test(qemu_is_gone_when_oomlab_dies),
	};

	return cmocka_run_group_tests_name("test_vm", tests, NULL, NULL);
}
