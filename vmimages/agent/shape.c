// SPDX-License-Identifier: GPL-2.0-only
/* shape.c - a guest booted for a snapshot: ready for any cell of its shape, then one cell's spec. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "shared/modload.h"
#include "shared/proto.h"
#include "shared/sysfile.h"

/*
 * A shape's guest boots without a /cell.spec. The host named a spec disk on the kernel
 * command line (oomlab.spec=/dev/vdX, its last virtio disk, blank while the shape boots).
 * The agent loads the modules every cell of the shape needs, sets up what every cell sets up
 * alike (its trace events), zeroes its free memory (zero_free_memory), says "ready", and
 * reads the disk's first block every SPEC_POLL_MS. The host saves the VM's state once it sees "ready".
 * Each cell is a fresh QEMU process restored from that state with the cell's own spec disk:
 * disk contents are not part of a VM's saved state, so the next read after the restore
 * finds the spec. Polling is what makes this exact: nothing the host sends can arrive before
 * the restored device state, and nothing is lost in between.
 *
 * The disk holds "oomlab-spec LEN\n" and then LEN bytes of spec, zero-padded.
 */

#define SPEC_POLL_MS 2
#define SPEC_DISK_BLOCK 4096
#define SPEC_DEV_WAIT_MS 5000 /* the disk's node appears once its driver has probed it */

/* The modules' outcomes, kept to be told in the cell's own records (shape_modules()). */
static struct {
	char path[128];
	int err;
} mods[16];
static int nmods;

static void keep_module(const char *path, int err, void *arg)
{
	if (nmods < (int)(sizeof(mods) / sizeof(mods[0]))) {
		snprintf(mods[nmods].path, sizeof(mods[nmods].path), "%s", path);
		mods[nmods++].err = err;
	}
}

/* The spec disk the host named, or NULL for a guest booted with its spec. */
static const char *spec_disk(char *buf, size_t len)
{
	char cmdline[2048] = "";
	const char *p;

	if (sysfile_read("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		return NULL;
	p = strstr(cmdline, "oomlab.spec=");
	if (!p)
		return NULL;
	p += strlen("oomlab.spec=");
	snprintf(buf, len, "%.*s", (int)strcspn(p, " \n"), p);
	return buf[0] == '/' ? buf : NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Free memory as zeros. The boot leaves its free pages dirty (the compressed kernel, the
 * initrd's copy once unpacked), and the save copies every page that is not zero: 96 MiB of
 * a 256 MiB guest, which each cell's restore reads back. The kernel zeroes the pages of an
 * anonymous mapping it populates; unmapped, they go back to the free lists still zero. All
 * but three times min_free_kbytes and 4 MiB is taken, which stays clear of the
 * watermarks, so nothing is reclaimed and nothing is killed. Returns the kB zeroed.
 */
static long long zero_free_memory(void)
{
	char text[4096], min[32];
	long long kb;
	void *p;

	if (sysfile_read("/proc/meminfo", text, sizeof(text)) < 0 ||
	    sysfile_read("/proc/sys/vm/min_free_kbytes", min, sizeof(min)) < 0)
		return 0;
	kb = meminfo(text, "MemFree") - 3 * strtoll(min, NULL, 10) - 4096;
	if (kb <= 0)
		return 0;
	p = mmap(NULL, (size_t)kb << 10, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	munmap(p, (size_t)kb << 10);
	return kb;
}

/* The spec disk; waits for its node only when this agent just loaded modules. */
static int open_disk(const char *dev, int loaded)
{
	long start = mono_ms();
	int fd;

	while ((fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC)) < 0 && loaded &&
	       mono_ms() - start < SPEC_DEV_WAIT_MS)
		sleep_ms(10);
	return fd;
}

/* Reads the whole spec once its first block holds one; writes it to path. Returns 0 or -1. */
static int copy_spec(int fd, char *block, const char *path)
{
	static char text[PROTO_SPEC_MAX + SPEC_DISK_BLOCK] __attribute__((aligned(4096)));
	char *nl = memchr(block, '\n', 64);
	long len = strtol(block + strlen(PROTO_SPEC_MAGIC), NULL, 10);
	size_t head, want;
	int out;

	if (!nl || len <= 0 || len >= PROTO_SPEC_MAX)
		return -1;
	head = (size_t)(nl + 1 - block);
	want = (head + (size_t)len + SPEC_DISK_BLOCK - 1) / SPEC_DISK_BLOCK * SPEC_DISK_BLOCK;
	if (pread(fd, text, want, 0) != (ssize_t)want)
		return -1;
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		return -1;
	if (write(out, text + head, (size_t)len) != (ssize_t)len) {
		close(out);
		return -1;
	}
	return close(out);
}

int shape_await(const char *spec_path, void (*prepare)(void))
{
	static char block[SPEC_DISK_BLOCK] __attribute__((aligned(4096)));
	char dev[64];
	int fd, err;

	if (access(spec_path, F_OK) == 0 || !spec_disk(dev, sizeof(dev)))
		return 0;
	if (modload_run(MODLOAD_LIST, keep_module, NULL) < 0 && errno != ENOENT)
		rec("error", "what", "modules", "errno", num(errno), (char *)NULL);
	fd = open_disk(dev, nmods > 0);
	if (fd < 0) {
		err = errno;
		rec("error", "what", "spec-disk", "dev", dev, "errno", num(err), (char *)NULL);
		return -1;
	}
	prepare();
	rec("ready", "dev", dev, "zeroed_kb", num(zero_free_memory()), (char *)NULL);
	rec_flush();
	for (;;) {
		if (pread(fd, block, sizeof(block), 0) != (ssize_t)sizeof(block)) {
			err = errno;
			rec("error", "what", "spec-disk", "dev", dev, "errno", num(err),
			    (char *)NULL);
			return -1;
		}
		if (!memcmp(block, PROTO_SPEC_MAGIC, strlen(PROTO_SPEC_MAGIC)))
			break;
		sleep_ms(SPEC_POLL_MS);
	}
	err = copy_spec(fd, block, spec_path);
	close(fd);
	/* the cell's records begin here, numbered from 0 like a booted cell's */
	rec_restart();
	if (err)
		rec("error", "what", "spec-disk", "dev", dev, "detail", "a spec cut short",
		    (char *)NULL);
	return err ? -1 : 1;
}

int shape_modules(modload_report_fn *report)
{
	int i;

	for (i = 0; i < nmods; i++)
		report(mods[i].path, mods[i].err, NULL);
	return nmods;
}
