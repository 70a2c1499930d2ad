# SPDX-License-Identifier: GPL-2.0-only
# lib.sh - what the benchmarks share: a median, and the baseline every boot is measured
# against, a bare QEMU boot-to-power-off. Sourced by bench/run.sh and bench/restore.sh.

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# bare_prepare DIR: Debian's 6.1 kernel (bare_kernel, its bzImage; bare_pvh, the PVH ELF
# fetch-kernel unpacked from it) and an initramfs whose init powers off at once.
bare_prepare() {
	local out
	out=$(vmimages/fetch-kernel debian:6.1 build/kernels)
	bare_kernel=$(echo "$out" | sed -n 's/^vmlinuz=//p')
	bare_pvh=$(echo "$out" | sed -n 's/^pvh=//p')
	mkdir -p "$1/root"
	cc -static -O2 -o "$1/root/init" bench/empty-init.c
	(cd "$1/root" && echo init | cpio -o -H newc 2>/dev/null) >"$1/empty.cpio"
}

# bare_boot DIR [KERNEL [PARAMS]]: seconds for one boot-to-power-off with the machine,
# accelerator, memory and command line of a 256 MiB oomlab cell before issue 13 (after
# bare_prepare DIR): the bzImage, or KERNEL, with PARAMS added to the command line.
bare_boot() {
	local s e
	s=$(date +%s.%N)
	qemu-system-x86_64 -M pc -accel tcg,thread=single -smp 2 -m 256M -nodefaults \
		-no-user-config -display none -no-reboot -kernel "${2:-$bare_kernel}" \
		-initrd "$1/empty.cpio" -append "console=ttyS0 loglevel=7 panic=-1 oops=panic${3:+ $3}" \
		-serial "file:$1/con.log" -serial "file:$1/agent.log"
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
