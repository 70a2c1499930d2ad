// SPDX-License-Identifier: GPL-2.0-only
/* empty-init.c - the benchmark's baseline guest: an init that powers the VM off at once. */
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	reboot(RB_AUTOBOOT); /* QEMU runs with -no-reboot, as oomlab's cells do */
	for (;;)
		pause();
}
