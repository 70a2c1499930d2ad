#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# mkfixtures.sh - rebuild the fixture kernel tree of test_modules.c (see README); needs cc, strip, xz.
#
# Each module is a tiny ELF relocatable object whose only content is a .modinfo section of
# "key=value" strings, which is all that libkmod reads to answer "depends".
set -eu
cd "$(dirname "$0")"
rel=lib/modules/0.0-fixture
rm -rf lib
mkdir -p "$rel"
: >"$rel/modules.order"

# mod PATH NAME DEPENDS: kernel/PATH.ko with name=NAME and depends=DEPENDS, listed in modules.order
mod() {
	mkdir -p "$rel/$(dirname "$1")"
	printf 'static const char modinfo[] __attribute__((section(".modinfo"), used, aligned(1))) =\n\t"name=%s\\0depends=%s\\0";\n' \
		"$2" "$3" | cc -c -x c -o "$rel/$1.ko" -
	strip --strip-unneeded "$rel/$1.ko"
	echo "$1.ko" >>"$rel/modules.order"
}

mod kernel/chain/chain_base chain_base ""
mod kernel/chain/chain_mid chain_mid chain_base
mod kernel/chain/chain_top chain_top chain_mid
mod kernel/share/share_lib share_lib ""
mod kernel/share/share_a share_a share_lib
mod kernel/share/share_b share_b share_lib
mod kernel/misc/uses_builtin uses_builtin core_builtin,chain_base
mod kernel/misc/dash-name dash_name ""
mod kernel/misc/dash_user dash_user dash_name
mod kernel/misc/packed packed chain_mid
xz --check=crc32 "$rel/kernel/misc/packed.ko"
mod kernel/cycle/cycle_a cycle_a cycle_b
mod kernel/cycle/cycle_b cycle_b cycle_a
mod kernel/misc/needs_missing needs_missing no_such_dep
echo kernel/misc/gone.ko >>"$rel/modules.order"
echo 'not an ELF file' >"$rel/kernel/misc/not_elf.ko"
echo kernel/misc/not_elf.ko >>"$rel/modules.order"

printf '%s\n' kernel/core/core_builtin.ko kernel/core/other-builtin.ko >"$rel/modules.builtin"
