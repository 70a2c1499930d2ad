#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# sdoomd-dryrun.sh - Debian's systemd-oomd, --dry-run, fed its groups by the agent's module, on this host.
#
#   sudo sh tests/tools/sdoomd-dryrun.sh [WORKDIR]
#
# Proves managed_oom.c against the real daemon without a VM and without touching the host:
# everything runs in a private mount namespace (unshare -m) with a tmpfs on /run/systemd,
# cgroup2 mounted on /sys/fs/cgroup, and the daemon in --dry-run, where it never kills.
#
# A host whose memory controller is bound to cgroup v1 (a hybrid layout) cannot give a v2
# group real memory.* files. The daemon then needs three stand-ins, all inside the namespace:
# cgroup.controllers naming "memory", and the watched group, a real (empty) cgroup with a
# tmpfs over it holding memory.pressure, memory.current, memory.stat... as the kernel writes
# them. Run 1 feeds a pressure above the limit with reclaim; run 2 binds a /proc/meminfo with
# memory and swap nearly used up. Each run's log is WORKDIR/run1.log, WORKDIR/run2.log.
set -eu

if [ "${1:-}" = --inside ]; then
	shift
	W=$1 CG=$2 RUN=$3
	mount -t tmpfs -o mode=755 tmpfs /run/systemd
	mkdir -p /run/systemd/oom /run/systemd/oomd.conf.d
	printf '[OOM]\nDefaultMemoryPressureDurationSec=2s\n' \
		> /run/systemd/oomd.conf.d/90-oomlab.conf
	if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
		mount -t cgroup2 none /sys/fs/cgroup
	fi
	if ! grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
		echo "cpu io memory pids" > "$W/controllers"
		mount --bind "$W/controllers" /sys/fs/cgroup/cgroup.controllers
		mkdir -p "/sys/fs/cgroup/$CG"
		mount --bind "$W/fake" "/sys/fs/cgroup/$CG"
	else
		mkdir -p "/sys/fs/cgroup/$CG/p/a" "/sys/fs/cgroup/$CG/p/b" \
			"/sys/fs/cgroup/$CG/s/x" "/sys/fs/cgroup/$CG/s/y"
	fi
	if [ "$RUN" = 2 ]; then
		mount --bind "$W/meminfo" /proc/meminfo
		groups="swap:/$CG/s"
	else
		groups="pressure:/$CG/p:5000"
	fi

	"$W/moom_serve" /run/systemd/io.system.ManagedOOM $groups 2> "$W/serve$RUN.log" &
	serve=$!
	while [ ! -S /run/systemd/io.system.ManagedOOM ]; do sleep 0.1; done

	# the reclaim a pressure kill needs: pgscan grows, faster in a than in b
	(i=0; while :; do
		i=$((i + 1))
		printf 'anon 0\npgscan %d\n' $((i * 1000)) > "$W/fake/p/memory.stat"
		printf 'anon 0\npgscan %d\n' $((i * 900)) > "$W/fake/p/a/memory.stat"
		printf 'anon 0\npgscan %d\n' $((i * 100)) > "$W/fake/p/b/memory.stat"
		sleep 0.5
	done) &
	feeder=$!

	LD_LIBRARY_PATH="$W/root/usr/lib/x86_64-linux-gnu/systemd" \
	SYSTEMD_LOG_LEVEL=debug SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_COLOR=0 \
		"$W/root/lib/systemd/systemd-oomd" --dry-run > "$W/run$RUN.log" 2>&1 &
	oomd=$!
	sleep 6
	kill -TERM $oomd
	wait $oomd || echo "systemd-oomd exited with $?" >> "$W/run$RUN.log"
	kill $feeder $serve
	wait $serve || true
	exit 0
fi

[ "$(id -u)" = 0 ] || { echo "sdoomd-dryrun: needs root (unshare -m, mount)" >&2; exit 2; }
W=${1:-$(mktemp -d /tmp/sdoomd.XXXXXX)}
W=$(cd "$W" && pwd)
HERE=$(cd "$(dirname "$0")/../.." && pwd)
CG=oomlab-sdoomd-$$

if [ ! -x "$W/root/lib/systemd/systemd-oomd" ]; then
	mkdir -p "$W/deb" && (cd "$W/deb" && apt-get download systemd-oomd libsystemd-shared)
	for d in "$W"/deb/*.deb; do dpkg-deb -x "$d" "$W/root"; done
fi
cc -std=gnu11 -Wall -Wextra -O2 -D_GNU_SOURCE -I"$HERE/vmimages" -o "$W/moom_serve" \
	"$HERE/tests/tools/moom_serve.c" "$HERE/vmimages/agent/managed_oom.c"

# The stand-in group tree: p (pressure, children a and b), s (swap, children x and y).
fake_group() {
	# fake_group DIR CURRENT_BYTES SWAP_BYTES FULL_AVG10
	mkdir -p "$1"
	printf 'some avg10=%s avg60=20.00 avg300=5.00 total=9000000\n' "$4" > "$1/memory.pressure"
	printf 'full avg10=%s avg60=15.00 avg300=4.00 total=7000000\n' "$4" >> "$1/memory.pressure"
	echo "$2" > "$1/memory.current"
	echo "$3" > "$1/memory.swap.current"
	echo 0 > "$1/memory.min"
	echo 0 > "$1/memory.low"
	echo 0 > "$1/memory.oom.group"
	printf 'anon 0\npgscan 0\n' > "$1/memory.stat"
	: > "$1/cgroup.procs"
}
rm -rf "$W/fake"
fake_group "$W/fake" 0 0 0.00
fake_group "$W/fake/p" 314572800 0 80.00
fake_group "$W/fake/p/a" 104857600 0 80.00
fake_group "$W/fake/p/b" 209715200 0 70.00
fake_group "$W/fake/s" 0 0 0.00
fake_group "$W/fake/s/x" 104857600 314572800 0.00
fake_group "$W/fake/s/y" 209715200 104857600 0.00
cat > "$W/meminfo" <<EOF
MemTotal:        1000000 kB
MemFree:           40000 kB
MemAvailable:      50000 kB
SwapTotal:       1000000 kB
SwapFree:          50000 kB
EOF

for run in 1 2; do
	unshare -m --propagation private sh "$0" --inside "$W" "$CG" $run
done
# the real cgroup the stand-ins sat on, now empty and unmounted
for d in /sys/fs/cgroup/unified/$CG /sys/fs/cgroup/$CG; do
	[ -d "$d" ] && rmdir "$d" 2>/dev/null || true
done
echo "logs: $W/run1.log $W/run2.log"
