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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"
#include "vm.h"

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

static void endings_are_classified(void **state)
{
	struct vm vm = { 0 };

	vm.status = 0;
	assert_int_equal(vm_ending(&vm, 0), VM_POWEROFF);
	/* QEMU exits 0 after a panic too: the console decides */
	assert_int_equal(vm_ending(&vm, 1), VM_PANIC);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(command_line_is_isolated_and_ends_on_panic),
		cmocka_unit_test(numa_nodes_and_swap_disk_are_passed),
		cmocka_unit_test(endings_are_classified),
		cmocka_unit_test(kill_takes_the_whole_process_group),
		cmocka_unit_test(missing_qemu_exits_127_with_the_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
