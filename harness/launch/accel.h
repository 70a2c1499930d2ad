/* SPDX-License-Identifier: GPL-2.0-only */
/* accel.h - the accelerator a run's VMs use: KVM only where a probe cell shows it works. */
#ifndef OOMLAB_ACCEL_H
#define OOMLAB_ACCEL_H

#include <stddef.h>

#include "guest/image.h"
#include "guest/kernel.h"

/*
 * want ("auto", "tcg" or "kvm") as given; for auto, "kvm" only when the CPU has the vmx or svm
 * flag, /dev/kvm opens and a probe cell booted on kernel (the first of images) in
 * dir/kvm-probe powers off within 20 s, else "tcg". why says which, in a few words.
 */
const char *accel_pick(const char *want, const struct images *images, const struct kernel *kernel,
		       const char *dir, char *why, size_t len);

#endif
