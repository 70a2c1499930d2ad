#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# package.sh - builds oomlab's Debian package from this commit, installs it, and runs it.
#
# Exports the commit's files (git archive HEAD: what CI's fresh clone holds) to a new folder,
# builds there with dpkg-buildpackage -us -uc -b, checks what the package holds, then installs
# it (apt-get, as root where no oomlab is installed yet, and removes it afterwards; else
# unpacked into a folder)
# and runs the installed oomlab: --version, run --list over the default suite, explain of a
# real report. Closes with "package: N passed, N failed"; exits 1 when a check failed.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d /tmp/oomlab-pkg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. tests/checks.sh

if ! git rev-parse --verify -q HEAD >/dev/null; then
	echo "skip: the package: not a git checkout, so no commit to build it from"
	echo "package: 0 passed, 0 failed"
	exit 0
fi
mkdir "$tmp/src"
head=$(git rev-parse HEAD)
git archive --format=tar "$head" | tar -x -C "$tmp/src"
(cd "$tmp/src" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
deb=$(ls "$tmp"/oomlab_*_amd64.deb 2>/dev/null | head -n 1)
check "dpkg-buildpackage builds the package" test -n "$deb" -- "$tmp/build.log"
[ -n "$deb" ] || { echo "package: $passed passed, $failed failed"; exit 1; }
dpkg-deb --contents "$deb" >"$tmp/contents"
check "the package holds the tool, the guest's programs and bundles, the suite and the manual" \
	sh -c "grep -q ' ./usr/bin/oomlab$' '$tmp/contents' &&
		grep -q ' ./usr/lib/oomlab/guest/init$' '$tmp/contents' &&
		grep -q ' ./usr/lib/oomlab/guest/bigmm$' '$tmp/contents' &&
		grep -q ' ./usr/lib/oomlab/guest/earlyoom.files/bin/earlyoom$' '$tmp/contents' &&
		grep -q ' ./usr/lib/oomlab/fetch-kernel$' '$tmp/contents' &&
		grep -q ' ./usr/share/oomlab/expectations/global-two-hogs.yaml$' '$tmp/contents' &&
		grep -q ' ./usr/share/man/man1/oomlab.1.gz$' '$tmp/contents'" -- "$tmp/contents"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/lib/oomlab/guest/earlyoom.bundle >"$tmp/bundle"
check "an installed bundle lists its files where the package puts them" \
	grep -qx '/usr/lib/oomlab/guest/earlyoom.files/bin/earlyoom bin/earlyoom' "$tmp/bundle" \
	-- "$tmp/bundle"
dpkg -x "$deb" "$tmp/root"

version=$(dpkg-deb -f "$deb" Version)
if [ "$(id -u)" != 0 ]; then
	bin=$tmp/root/usr/bin/oomlab
	how="unpacked (not root: not installed)"
elif dpkg-query -W -f='${Status}' oomlab 2>/dev/null | grep -q 'ok installed'; then
	# installing over the machine's own oomlab, then removing it, would lose that copy
	echo "skip: installing the package: oomlab is already installed here"
	bin=$tmp/root/usr/bin/oomlab
	how="unpacked (already installed here: not installed again)"
else
	export DEBIAN_FRONTEND=noninteractive
	trap 'apt-get remove -y -q oomlab >/dev/null 2>&1; rm -rf "$tmp"' EXIT
	apt-get install -y -q "$deb" >"$tmp/install.log" 2>&1
	dpkg-query -W -f='${Status} ${Version}\n' oomlab >>"$tmp/install.log" 2>&1
	check "apt-get installs the package built, and what it depends on" \
		grep -qx "install ok installed $version" "$tmp/install.log" -- "$tmp/install.log"
	bin=/usr/bin/oomlab
	how="installed"
fi
echo "package: running the $how oomlab"
cd "$tmp"
"$bin" --version >"$tmp/version" 2>&1
# built from git archive of $head: its COMMIT file (export-subst) names the commit
check "the packaged oomlab names its version and the commit it was built from" \
	grep -Fqx "oomlab $(cat "$OLDPWD/VERSION") (commit $(echo "$head" | cut -c1-12))" \
	"$tmp/version" -- "$tmp/version"
"$bin" run --list >"$tmp/list" 2>&1
check "the packaged oomlab lists the default suite's cells from its own scenarios" \
	sh -c "tail -n 1 '$tmp/list' | grep -qx '[0-9]* cells' && test \$(wc -l <'$tmp/list') -gt 100" \
	-- "$tmp/list"
"$bin" explain "$OLDPWD/tests/data/oomreport/debian61-global-two-hogs-kill.log" >"$tmp/explain" 2>&1
check "the packaged oomlab explains a report" \
	grep -q "^1 OOM event: 1 consistent$" "$tmp/explain" -- "$tmp/explain"
# from the package's files: a Debian container's dpkg excludes /usr/share/man on install
man -l "$tmp/root/usr/share/man/man1/oomlab.1.gz" >"$tmp/man" 2>&1
check "the manual page reads" grep -q "oomlab explain" "$tmp/man" -- "$tmp/man"
cd "$OLDPWD"
if [ "$how" = installed ]; then
	apt-get remove -y -q oomlab >"$tmp/remove.log" 2>&1
	check "the package removes cleanly" test ! -e /usr/bin/oomlab -- "$tmp/remove.log"
	trap 'rm -rf "$tmp"' EXIT
fi
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
