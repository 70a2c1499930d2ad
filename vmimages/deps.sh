#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# deps.sh - install the Debian packages oomlab needs to build, run and test (called by make).
#
# As root: apt-get installs whatever is missing. Otherwise: names the exact packages and
# stops with status 2, so nothing half-works.
set -eu

pkgs="gcc make libc6-dev qemu-system-x86 busybox-static libyaml-dev libjansson-dev
libcmocka-dev libcgroup-dev cpio dpkg apt jq bc clang libclang-rt-14-dev libkmod-dev
stress-ng lz4 zstd xz-utils binutils libxml2-dev libxml2-utils python3
chromium scdoc debhelper dpkg-dev libsqlite3-dev man-db git"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "oomlab needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 2
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# apt-get update is needed on a fresh machine; failures show up in the install that follows
apt-get update -q >/dev/null 2>&1 || true
apt-get install -y -q --no-install-recommends $missing >/dev/null
