#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# run.sh - the integration test: real VMs on a few cells, and every fault path of a run.
#
# Boots Debian's 6.1 kernel under QEMU through build/oomlab, exactly as a user would, and
# checks the exit status, the printed verdicts and run.json. Closes with
# "integration: N passed, N failed"; exits 1 when any check failed.
set -u
cd "$(dirname "$0")/../.."
oomlab=$PWD/build/oomlab
scen=$PWD/tests/integration/scenarios
tmp=$(mktemp -d /tmp/oomlab-it.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. tests/checks.sh
jqr() { jq -e "$@"; }
# Inside a CI job array each run would take only its own shard (10g sets them per command)
unset CI_NODE_INDEX CI_NODE_TOTAL SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_MIN \
	SLURM_ARRAY_TASK_COUNT JOB_COMPLETION_INDEX OOMLAB_SHARD_TOTAL

# 1. Real cells, one of each kind of outcome, on two jobs. Their expectations are the
#    default suite's, so this also proves the suite's reasoning on a sample.
out=$tmp/cells.out
"$oomlab" run --jobs 2 --results "$tmp/r1" \
	--filter 'global-two-hogs,panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=0' \
	--filter 'global-two-hogs,panic_on_oom=1,oom_kill_allocating_task=0,overcommit_memory=0' \
	--filter 'global-two-hogs,panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=2' \
	--filter 'allocating-task,panic_on_oom=0,oom_kill_allocating_task=1,overcommit_memory=0' \
	--filter 'no-killable,panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=0' \
	>"$out" 2>&1
rc=$?
run=$tmp/r1/latest/run.json
check "five real cells pass (exit 0)" test $rc -eq 0 -- "$out"
check "closing line counts them" grep -qx '5 passed, 0 failed' "$out" -- "$out"
commit=$(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- || echo -dirty)
check "run.json and --version name oomlab's version and the commit built" \
	sh -c "jq -e --arg v '$(cat VERSION)' --arg c '$commit' '.oomlab == {version: \$v, commit: \$c}' '$run' &&
	       test \"\$('$oomlab' --version)\" = 'oomlab $(cat VERSION) (commit $commit)'" -- "$run"
check "run.json names kernel, qemu and accelerator" \
	jqr '.kernels[0].release and .qemu and .accel.used' "$run" -- "$run"
# fetch-kernel unpacked the ELF inside Debian's bzImage, which QEMU starts at its PVH entry
check "a Debian kernel boots from its PVH ELF, unpacked into the cache" \
	jqr '(.kernels[0].boots | test("/boot/pvh-6\\.1\\.")) and .kernels[0].boots != .kernels[0].vmlinuz' \
	"$run" -- "$run"
check "the kill cell records the kernel's kill of grower" \
	jqr '.cells[] | select(.id == "debian-6.1/global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=0") | .verdict == "PASS" and .ending == "poweroff" and .kills[0].comm == "grower" and .kills[0].kind == "global" and .kills[0].allocating == false' "$run" -- "$run"
check "the allocating-task cell records an allocating kill" \
	jqr '.cells[] | select(.scenario == "allocating-task") | .kills[0].allocating == true and .kills[0].workload == "grower"' "$run" -- "$run"
check "the panic cell records the panic message" \
	jqr '.cells[] | select(.params["vm.panic_on_oom"] == 1) | .ending == "panic" and .panic_message == "Out of memory: system-wide panic_on_oom is enabled"' "$run" -- "$run"
check "the overcommit cell records ENOMEM and no kill" \
	jqr '.cells[] | select(.params["vm.overcommit_memory"] == 2) | .enomem == ["grower"] and .kills == []' "$run" -- "$run"
check "the no-killable cell ends in the deadlock panic" \
	jqr '.cells[] | select(.scenario == "no-killable") | .panic_message == "System is deadlocked on memory"' "$run" -- "$run"
cell0() { echo "$tmp/r1/latest/$(jq -r ".cells[0].$1" "$run")"; }
check "each cell keeps its console, records and kernel log" \
	test -s "$(cell0 console)" -a -s "$(cell0 agent)" -a -s "$(cell0 kernel_log)" -- "$run"

# Cgroups, swap and the second kernel: a memory.oom.group kill with its counters, a swap disk,
# Debian's 6.12 refusing the v1 memory controller, as its rule expects, and stress-ng, whose
# stressor children the agent attributes to it.
out=$tmp/cg.out
"$oomlab" run --jobs 2 --results "$tmp/r12" --kernel debian:6.1 --kernel debian:6.12 \
	--filter 'memcg-v2,panic_on_oom=0,oom_kill_allocating_task=0,box:memory.oom.group=1' \
	--filter 'swap-absorbs' \
	--filter 'memcg-v1,panic_on_oom=0,oom_kill_allocating_task=0,box:memory.use_hierarchy=1' \
	--filter 'stressng-memory,panic_on_oom=0,oom_kill_allocating_task=1' \
	>"$out" 2>&1
rc=$?
cgrun=$tmp/r12/latest/run.json
check "cgroup, swap and 6.12 cells pass (exit 0)" test $rc -eq 0 -- "$out"
check "each kernel's cell ids start with the kernel" \
	test -d "$tmp/r12/latest/debian-6.12/memcg-v1" -a -d "$tmp/r12/latest/debian-6.1/memcg-v1" \
	-- "$out"
# One id everywhere: the run's line, run.json's id and the cell's folder
id=debian-6.12/memcg-v1/panic_on_oom=0,oom_kill_allocating_task=0,box:memory.use_hierarchy=1
check "a cell's id is the same in its line, in run.json and as its folder" \
	sh -c "grep -q '^PASS  $id  ' '$out' && test -d '$tmp/r12/latest/$id' &&
	       jq -e --arg id '$id' '[.cells[] | select(.id == \$id)] | length == 1' '$cgrun'" \
	-- "$out"
check "--filter id= takes an id as printed" \
	sh -c "'$oomlab' run --list --kernel debian:6.12 --filter 'id=$id' | grep -qx '1 cell'" \
	-- "$out"
# The victim is killed again in the group walk (3 kill lines), unless it has already exited
# by then ("already exiting", 2): memory.events and vmstat count lines, not processes.
check "the group kill takes both workloads of box and memory.events counts its kill lines" \
	jqr '.cells[] | select(.kernel == "debian:6.1" and .scenario == "memcg-v2") | ([.kills[].workload] | sort) == ["hog", "trickle"] and ([.kills[].lines] | add) as $n | $n >= 2 and .counters.groups.box["memory.events"].oom_kill == $n and .counters.vmstat_oom_kill == $n' \
	"$cgrun" -- "$cgrun"
check "6.12 refuses the v1 memory controller, as the rule expects" \
	jqr '.cells[] | select(.kernel == "debian:6.12" and .scenario == "memcg-v1") | .verdict == "PASS" and .expected.refused.errno == "EINVAL"' \
	"$cgrun" -- "$cgrun"
# A -1000 stress-ng worker may be the allocating task (re-forking a child): the kernel then
# scans, and still finds a child. So every kill is a child's, allocating or not.
check "every kill is of a stress-ng child, attributed to the workload; the hog lives" \
	jqr '[.cells[] | select(.scenario == "stressng-memory") | .verdict == "PASS" and (.kills | length > 0 and all(.workload == "sng" and .descendant and (.comm | startswith("stress-ng-"))))] | all and length == 2' \
	"$cgrun" -- "$cgrun"
check "stress-ng's kills are attributed from the kernel's trace, with nothing lost, each a death of sng's by the OOM killer" \
	jqr '[.cells[] | select(.scenario == "stressng-memory") | .attribution.source == "trace" and .attribution.lost == 0 and .attribution.unattributed == 0 and all(.kills[]; .by == "kernel-oom") and ([.deaths[] | select(.by == "kernel-oom" and .workload == "sng" and (.own | not)) | .pid] | unique) == ([.kills[].pid] | unique)] | all and length == 2' \
	"$cgrun" -- "$cgrun"
check "the swap cell kills nothing" \
	jqr '[.cells[] | select(.scenario == "swap-absorbs") | .verdict == "PASS" and .kills == []] | all and length == 2' \
	"$cgrun" -- "$cgrun"

# Evictions: Debian's earlyoom, oomd and systemd-oomd in the guest each kill, named as the
# sender by the kernel's trace and by their own log line; a rule that gives earlyoom's kill to
# the kernel FAILs with both.
out=$tmp/ev.out
"$oomlab" run --jobs 2 --results "$tmp/rev" earlyoom-victim oomd-swap sdoomd-swap \
	"$scen/wrong-evictor.yaml" \
	>"$out" 2>&1
rc=$?
evrun=$tmp/rev/latest/run.json
check "the earlyoom cell passes and the wrong-evictor cell fails (exit 1)" \
	sh -c "test $rc -eq 1 && grep -q '^PASS  debian-6.1/earlyoom-victim  evicted leak by earlyoom (SIGTERM at MemAvailable' '$out' && grep -q '^FAIL  debian-6.1/wrong-evictor  evicted: ' '$out'" \
	-- "$out"
check "earlyoom's eviction: sent by earlyoom's pid per the trace, its own log line as evidence, at its oom_score_adj" \
	jqr '.cells[] | select(.scenario == "earlyoom-victim") | .evictor.program == "earlyoom" and .evictor.oom_score_adj == 0 and (.evictions | length == 1) and .evictions[0].workload == "leak" and .evictions[0].signal == 15 and .evictions[0].sender.pid == .evictor.pid and .evictions[0].sender.comm == "earlyoom" and (.evictions[0].evidence | test("^evictor.log:[0-9]+: sending SIGTERM to process [0-9]+ uid 0 \"leak\"")) and .kills == [] and (.workloads[] | select(.name == "leak") | .end) == "evicted"' \
	"$evrun" -- "$evrun"
check "oomd and systemd-oomd each kill the group with the most swap, named by the trace and by their own kill line" \
	jqr '[.cells[] | select(.scenario == "oomd-swap" or .scenario == "sdoomd-swap") | . as $c | .verdict == "PASS" and (.evictions | length >= 1) and all(.evictions[]; .workload == "big" and .signal == 9 and .sender.pid == $c.evictor.pid and .sender.comm == $c.evictor.program and .judgement == "consistent" and (.evidence | test("Killed "))) ] | all and length == 2' \
	"$evrun" -- "$evrun"
check "each cell keeps the evictor's log" \
	test -s "$tmp/rev/latest/debian-6.1/earlyoom-victim/evictor.log" -- "$out"
check "the wrong-evictor FAIL names earlyoom as the trace's sender and quotes its log line" \
	sh -c "grep -q \"seen:     'leak' (pid [0-9]*) evicted by earlyoom first (SIGTERM at MemAvailable [0-9.]*%; the kernel's trace names earlyoom, pid [0-9]*, as the sender)\" '$out' && grep -q 'wrong-evictor/evictor.log:[0-9]*: sending SIGTERM to process [0-9]* uid 0 \"leak\"' '$out'" \
	-- "$out"

# A Kubernetes node: oomlab's model of kubelet's eviction manager evicts pods in kubelet's rank
# order; a fast allocation between two passes is the kernel's OOM kill; a rule expecting the
# Guaranteed pod evicted first FAILs with the model's ranking and the signal values.
out=$tmp/kube.out
"$oomlab" run --jobs 2 --results "$tmp/rkube" kube-qos-order kube-race \
	"$scen/kube-wrong-rank.yaml" >"$out" 2>&1
rc=$?
kuberun=$tmp/rkube/latest/run.json
check "the node cells pass and the wrong ranking fails (exit 1)" \
	sh -c "test $rc -eq 1 && grep -q '^PASS  debian-6.1/kube-qos-order  evicted pod be (kubelet, memory.available [0-9.]*Mi < 380Mi, consistent), then evicted pod burst' '$out' && grep -q '^PASS  debian-6.1/kube-race/housekeeping_interval=10000ms  OOM-killed burst-hog (kernel' '$out' && grep -q '^FAIL  debian-6.1/kube-wrong-rank  kubelet: expected pod .guar. evicted before pod .burst.' '$out'" \
	-- "$out"
check "kubelet's evictions: the pods in rank order, each signalled by the model's pid per the trace, each judged consistent" \
	jqr '.cells[] | select(.scenario == "kube-qos-order") | . as $c | [.evictions[].pod] == ["be", "burst", "guar"] and all(.evictions[]; .by == "kubelet" and .signal == 15 and .sender.pid == $c.evictor.pid and .judgement == "consistent" and (.evidence | test("killing pid [0-9]+ of pod "))) and .kills == [] and $c.evictor.oom_score_adj == -999' \
	"$kuberun" -- "$kuberun"
check "the race: the kernel kills the BestEffort container, kubelet evicts nothing" \
	jqr '[.cells[] | select(.scenario == "kube-race") | .verdict == "PASS" and .evictions == [] and ([.kills[].workload] == ["burst-hog"])] | all and length == 2' \
	"$kuberun" -- "$kuberun"
check "the wrong ranking's FAIL quotes the model's ranking and the threshold it saw met" \
	sh -c "grep -q 'kube-wrong-rank/evictor.log:[0-9]*: rank memory.available: be{stats=1,priority=0,usage=' '$out' && grep -q 'kube-wrong-rank/evictor.log:[0-9]*: met memory.available<380Mi soft available=[0-9]* quantity=' '$out'" \
	-- "$out"

# A user kernel by path: the release comes from the bzImage's own header.
vmlinuz=$(jq -r '.kernels[0].vmlinuz' "$run")
out=$tmp/path.out
"$oomlab" run --kernel "$vmlinuz" --results "$tmp/r9" "$scen/trivial.yaml" >"$out" 2>&1
rc=$?
check "a kernel given by path boots a cell (exit 0)" test $rc -eq 0 -- "$out"
check "a kernel given by path is recorded with the release from its header" \
	jqr --arg p "$vmlinuz" '.kernels[0].tag == $p and (.kernels[0].release | startswith("6.1.0-")) and .kernels[0].boots == $p' \
	"$tmp/r9/latest/run.json" -- "$out"
# Its guest has no module tree, so no virtio disk driver: no spec disk, no snapshot. The
# header and run.json say why, and the cell boots.
check "a kernel without its modules cannot be saved, and says why" \
	jqr '.starts.shapes[0].saved == false and (.starts.shapes[0].why | test("spec-disk")) and .cells[0].start.how == "booted"' \
	"$tmp/r9/latest/run.json" -- "$out"
check "the header says the shape's cells boot, and why" \
	grep -q "no snapshot of shape .*spec-disk.*its 1 cell boots" "$out" -- "$out"

# Restored cells: one boot per shape, each cell a fresh QEMU from the saved state. Each guest's
# RNG is reseeded from its own seed (two cells read different bytes), the seeds come from the
# run's (--seed gives the same again), and --boot runs the same cells with the same verdicts.
out=$tmp/pair.out
"$oomlab" run --jobs 2 --seed 7 --results "$tmp/rp" "$scen/pair.yaml" >"$out" 2>&1
rc=$?
prun=$tmp/rp/latest/run.json
check "three restored cells pass (exit 0)" test $rc -eq 0 -- "$out"
check "the header says the cells restore from one saved shape" \
	grep -q "cells restore from 1 saved VM shape" "$out" -- "$out"
check "run.json: one saved shape, every cell restored from it" \
	jqr '.starts.path == "restore" and .starts.seed == "0x0000000000000007" and (.starts.shapes | length) == 1 and .starts.shapes[0].saved and ([.cells[].start.how] == ["restored","restored","restored"])' \
	"$prun" -- "$prun"
rng() { grep -ho ' rng seed=[0-9a-f]* sample=[0-9a-f]* errno=[0-9]*' "$tmp/$1"/latest/debian-6.1/pair/*/agent.log | sort; }
check "each restored guest reseeded its RNG (errno 0)" \
	test "$(rng rp | grep -c ' errno=0$')" -eq 3 -- "$out"
check "two restored cells read different random bytes" \
	test "$(rng rp | sed 's/.*sample=//' | sort -u | wc -l)" -eq 3 -- "$out"
check "each cell's seed is in run.json and given to its guest" \
	test "$(jq -r '.cells[].start.seed' "$prun" | sort | tr -d '\n')" = "$(rng rp | sed 's/.*seed=\([0-9a-f]*\).*/\1/' | sort | tr -d '\n')" -- "$prun"
out=$tmp/pair-boot.out
"$oomlab" run --jobs 2 --boot --seed 7 --format ktap --results "$tmp/rpb" "$scen/pair.yaml" \
	>"$tmp/pair-boot.ktap" 2>"$out"
rc=$?
check "--boot: the same cells boot and pass (exit 0)" test $rc -eq 0 -- "$out"
check "--format ktap: standard output is the run's KTAP, its counts as diagnostics" \
	sh -c "grep -v '^# oomlab: \|^# 3 passed, 0 failed$' '$tmp/pair-boot.ktap' |
	       cmp -s - '$tmp/rpb/latest/results.ktap' &&
	       grep -qx '# 3 passed, 0 failed' '$tmp/pair-boot.ktap'" -- "$tmp/pair-boot.ktap" "$out"
check "--boot: run.json says every cell booted, with the same seeds" \
	jqr --slurpfile r "$prun" '.starts.path == "boot" and ([.cells[].start.how] | unique) == ["booted"] and ([.cells[] | [.id, .start.seed]] | sort) == ([$r[0].cells[] | [.id, .start.seed]] | sort)' \
	"$tmp/rpb/latest/run.json" -- "$out"

# --resume after SIGINT: the interrupted run keeps its finished cells; the resumed one runs
# only the others, with the run's own options and seed, and counts each cell once.
out=$tmp/resume.out
"$oomlab" run --jobs 1 --results "$tmp/rr" "$scen/pair.yaml" >"$out" 2>&1 &
pid=$!
for _ in $(seq 300); do
	[ -f "$tmp/rr/latest/run.json" ] &&
		[ "$(jq '.cells | length' "$tmp/rr/latest/run.json" 2>/dev/null)" = 1 ] && break
	sleep 0.2
done
kill -INT $pid
wait $pid
rc=$?
rrun=$tmp/rr/latest/run.json
check "SIGINT ends the run with exit 130" test $rc -eq 130 -- "$out"
check "the interrupted run kept fewer than its 3 cells" \
	jqr '.interrupted == true and (.cells | length) >= 1 and (.cells | length) < 3' "$rrun" -- "$out"
seed=$(jq -r '.starts.seed' "$rrun")
out=$tmp/resume2.out
"$oomlab" run --resume "$tmp/rr/$(readlink "$tmp/rr/latest")" >"$out" 2>&1
rc=$?
check "--resume finishes the run (exit 0)" test $rc -eq 0 -- "$out"
check "--resume says how many cells were left" grep -q "cells left" "$out" -- "$out"
check "the resumed run has each cell once, all PASS, no longer interrupted" \
	jqr '.interrupted == false and (.cells | length) == 3 and ([.cells[].id] | unique | length) == 3 and ([.cells[].verdict] | unique) == ["PASS"] and .summary.passed == 3 and (.resumed | length) == 1' \
	"$rrun" -- "$out" "$rrun"
check "the resumed run kept the run's seed" jqr --arg s "$seed" '.starts.seed == $s' "$rrun" -- "$rrun"
check "no QEMU is left running after the resume" sh -c "! pgrep -f '[q]emu-system-x86_64.*$tmp/rr'" -- "$out"

# 2. A wrong expectation FAILs with expected, seen and the kernel's own evidence line.
out=$tmp/wrong.out
"$oomlab" run --results "$tmp/r2" "$scen/wrong-victim.yaml" >"$out" 2>&1
rc=$?
check "a wrong expectation fails (exit 1)" test $rc -eq 1 -- "$out"
check "the failure says what was expected" grep -q "expected: only \[steady\] killed" "$out" -- "$out"
check "the failure says what was seen" grep -q "seen:     'grower' (pid [0-9]*) killed too" "$out" -- "$out"
check "the failure quotes the kernel's kill line" \
	grep -q "kernel.log:[0-9]*: .*Out of memory: Killed process [0-9]* (grower)" "$out" -- "$out"
check "run.json keeps the finding with its evidence" \
	jqr '.cells[0].verdict == "FAIL" and (.cells[0].findings[0].evidence[0] | test("Killed process"))' \
	"$tmp/r2/latest/run.json" -- "$tmp/r2/latest/run.json"

# 3. Set-up errors: one clear line, exit 2, no VM started.
out=$tmp/noqemu.out
PATH=/nonexistent "$oomlab" run --results "$tmp/r3" "$scen/trivial.yaml" >"$out" 2>&1
rc=$?
check "missing QEMU is a set-up error (exit 2)" test $rc -eq 2 -- "$out"
check "missing QEMU names the package" grep -q "install the Debian package qemu-system-x86" "$out" -- "$out"

out=$tmp/bad.out
"$oomlab" run --results "$tmp/r4" "$scen/bad.yaml" >"$out" 2>&1
rc=$?
check "a malformed scenario stops the run (exit 2)" test $rc -eq 2 -- "$out"
check "the error gives file:line:column and the expected keys" \
	grep -q "bad.yaml:4:3: unknown key 'memroy' in vm" "$out" -- "$out"
check "nothing was run for a malformed scenario" test ! -e "$tmp/r4" -- "$out"

out=$tmp/twice.out
"$oomlab" run --list "$scen/trivial.yaml" "$scen/../scenarios/trivial.yaml" >"$out" 2>&1
rc=$?
check "a scenario given twice is refused (exit 2)" test $rc -eq 2 -- "$out"
check "the twice-given scenario is named with both files" \
	grep -q "scenario 'trivial' is given twice" "$out" -- "$out"

out=$tmp/kernel.out
"$oomlab" run --kernel debian:9.9 --results "$tmp/r5" "$scen/trivial.yaml" >"$out" 2>&1
rc=$?
check "an unknown kernel is a set-up error (exit 2)" test $rc -eq 2 -- "$out"
check "an unknown kernel is named" grep -q "unknown kernel 'debian:9.9'" "$out" -- "$out"

out=$tmp/ro.out
mkdir -p "$tmp/ro" && chmod 0555 "$tmp/ro"
if [ "$(id -u)" = 0 ]; then
	# root writes anywhere: a results path under a regular file cannot be created by anyone
	touch "$tmp/file"
	resdir=$tmp/file/results
else
	resdir=$tmp/ro/results
fi
"$oomlab" run --results "$resdir" "$scen/trivial.yaml" >"$out" 2>&1
rc=$?
check "an unwritable results directory is a set-up error (exit 2)" test $rc -eq 2 -- "$out"
check "the unwritable directory is named" grep -q "cannot write results directory" "$out" -- "$out"

# 4. A guest that never ends: the host's deadline kills it, the cell is BROK with the tail.
out=$tmp/hang.out
start=$(date +%s)
"$oomlab" run --cell-timeout 12 --results "$tmp/r6" "$scen/hang.yaml" >"$out" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
check "a hanging guest is BROK, exit 1" test $rc -eq 1 -- "$out"
check "the hang is classified as a timeout" \
	jqr '.cells[0].verdict == "BROK" and .cells[0].ending == "timeout"' "$tmp/r6/latest/run.json" -- "$out"
check "the timeout shows the console tail" grep -q "console tail:" "$out" -- "$out"
check "the hang was ended at the deadline, not later ($took s)" test "$took" -lt 40 -- "$out"

# 5. QEMU killed from outside: BROK qemu-error, the run goes on and ends.
out=$tmp/killed.out
"$oomlab" run --results "$tmp/r7" "$scen/hang.yaml" >"$out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	# the cell's QEMU (its logs are in the cell's folder), not its shape's saving one
	q=$(pgrep -f "qemu-system-x86_64.*$tmp/r7/[^ ]*/debian-6.1/hang/" | head -n 1)
	[ -n "$q" ] && break
	sleep 0.2
done
sleep 2
[ -n "${q:-}" ] && kill -9 "$q"
wait $pid
rc=$?
check "QEMU killed from outside: exit 1" test $rc -eq 1 -- "$out"
check "QEMU killed from outside is BROK qemu-error" \
	jqr '.cells[0].verdict == "BROK" and .cells[0].ending == "qemu-error"' "$tmp/r7/latest/run.json" -- "$out"

# 6. SIGTERM mid-run: finished cells are kept, the run is marked interrupted, exit 130,
#    and no QEMU is left behind.
out=$tmp/term.out
"$oomlab" run --jobs 1 --results "$tmp/r8" "$scen/trivial.yaml" "$scen/hang.yaml" >"$out" 2>&1 &
pid=$!
for _ in $(seq 300); do
	[ -f "$tmp/r8/latest/run.json" ] &&
		[ "$(jq '.cells | length' "$tmp/r8/latest/run.json" 2>/dev/null)" = 1 ] && break
	sleep 0.2
done
sleep 1
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM ends the run with exit 130" test $rc -eq 130 -- "$out"
check "the interrupted run keeps its finished cell" \
	jqr '.interrupted == true and (.cells | length) == 1 and .cells[0].verdict == "PASS"' \
	"$tmp/r8/latest/run.json" -- "$out" "$tmp/r8/latest/run.json"
check "no QEMU is left running" sh -c "! pgrep -f '[q]emu-system-x86_64.*$tmp/r8'" -- "$out"

# 6b. oomlab killed with SIGKILL mid-run runs no code of its own: its QEMU, in a process
#     group of its own, must die with it (the parent-death signal), not run on.
out=$tmp/sigkill.out
qemu_of_run="[q]emu-system-x86_64.*$tmp/r-sigkill/"
"$oomlab" run --jobs 1 --results "$tmp/r-sigkill" "$scen/hang.yaml" >"$out" 2>&1 &
pid=$!
for _ in $(seq 300); do
	pgrep -f "$qemu_of_run" >/dev/null && break
	sleep 0.2
done
check "a QEMU runs before oomlab is killed" pgrep -f "$qemu_of_run" -- "$out"
kill -KILL $pid
wait $pid 2>/dev/null # bash's "Killed" notice: the SIGKILL is this test's own
for _ in $(seq 50); do
	pgrep -f "$qemu_of_run" >/dev/null || break
	sleep 0.1
done
check "no QEMU outlives oomlab killed with SIGKILL" sh -c "! pgrep -f '$qemu_of_run'" -- "$out"
pgrep -f "$qemu_of_run" | xargs -r kill -KILL # a failed check leaves no guest running

# 7. A customer's report replayed in a VM: the same task must be chosen again.
out=$tmp/replay.out
"$oomlab" replay --run --results "$tmp/r10" tests/data/oomreport/debian61-adj-prefer-adj-term.log \
	>"$out" 2>&1
rc=$?
check "a replayed report runs and the kernel chooses the same task (exit 0)" test $rc -eq 0 -- "$out"
check "the replay says so" grep -q "replay: the kernel made the report's choice again: killed small" \
	"$out" -- "$out"
check "the replay's scenario is kept beside its run" test -s "$tmp/r10/replay/replay-small.yaml" -- "$out"
out=$tmp/replay-memcg.out
"$oomlab" replay --run --results "$tmp/r11" tests/data/oomreport/debian61-memcg-v2-kill.log \
	>"$out" 2>&1
rc=$?
check "a memcg report replays in a cgroup and the kernel chooses the same task (exit 0)" \
	test $rc -eq 0 -- "$out"
check "the memcg replay ran in a memory.max group" \
	grep -q "memory.max: 256M" "$tmp/r11/replay/replay-hog.yaml" -- "$out"
# Reports of OOMs confined to a node, by a cpuset and by a memory policy: replayed on node 1 of
# a two-node guest, the kernel confines its OOM the same way and chooses the same task.
for kind in cpuset:lkml-2023-cpuset-oom-v4-before-trimmed mempolicy:rocky8-blog-4.18el8-mempolicy-syslog; do
	out=$tmp/replay-${kind%%:*}.out
	"$oomlab" replay --run --results "$tmp/r-${kind%%:*}" "tests/data/oomreport/${kind#*:}.log" \
		>"$out" 2>&1
	rc=$?
	check "a ${kind%%:*} report replays on one node and the kernel chooses the same task (exit 0)" \
		test $rc -eq 0 -- "$out"
	want=CONSTRAINT_CPUSET
	[ "${kind%%:*}" = mempolicy ] && want=CONSTRAINT_MEMORY_POLICY
	check "the ${kind%%:*} replay's OOM was the report's kind, $want" \
		sh -c "grep -h 'oom-kill:' '$tmp/r-${kind%%:*}'/latest/*/*/kernel.log | grep -q 'constraint=$want,'" \
		-- "$out"
done
# A RHEL 6 report of a cgroup v1 memcg (old table columns): on v1's controller on 6.1, and on
# v2 with its numbers on 6.12, whose Debian build has no v1 memory controller.
for k in 6.1:v1 6.12:v2; do
	out=$tmp/replay-v1-${k%%:*}.out
	"$oomlab" replay --run --kernel "debian:${k%%:*}" --results "$tmp/r-v1-${k%%:*}" \
		tests/data/oomreport/linuxmm-2012-rhel6-memcg-v1-globalmeminfo-midtrace.log >"$out" 2>&1
	rc=$?
	check "a RHEL 6 cgroup v1 report replays on ${k%%:*} and the kernel chooses the same task (exit 0)" \
		test $rc -eq 0 -- "$out"
	check "on ${k%%:*} it ran on cgroup ${k#*:}" \
		grep -q "^cgroup: ${k#*:}\$" "$tmp/r-v1-${k%%:*}/replay/replay-t.yaml" -- "$out"
done
# A customer's log of two OOM reports, each in turn: the first replays, the second (its task
# table cut from the paste) is named with the reason, and the run goes on without it.
out=$tmp/replay-each.out
"$oomlab" replay --event all --run --results "$tmp/r-each" \
	tests/data/oomreport/unifi-45-4.19-unraid-memcg-v1-fulltable-twoevents.log >"$out" 2>&1
rc=$?
check "each report of a two-report log is replayed in turn, and the kernel repeats the first (exit 0)" \
	test $rc -eq 0 -- "$out"
check "the first report's outcome is named by its scenario" \
	grep -q "^replay: replay-mongod-e1: the kernel made the report's choice again" "$out" -- "$out"
check "the second report is named with why it is not replayed" \
	grep -q "^replay: event 2, at line 12, is not replayed: .* has no task table" "$out" -- "$out"
out=$tmp/replay-refused.out
"$oomlab" replay tests/data/oomreport/k8s-56891-rhel7-memcg-dmesg-T.log >"$out" 2>&1
rc=$?
check "a report that cannot be replayed says why (exit 2)" test $rc -eq 2 -- "$out"
check "the unscalable memcg report is refused with the reason" \
	grep -q "java has oom_score_adj -998, whose weight depends on it" "$out" -- "$out"

# 8. A workload outside a guest refuses to run, so nobody OOMs their own machine.
out=$tmp/guard.out
./build/guest/bigmm --total 1M >"$out" 2>&1
rc=$?
check "bigmm refuses to run on the host without --host" test $rc -eq 2 -- "$out"
check "bigmm says why it refuses" grep -q "refusing to run outside an oomlab guest" "$out" -- "$out"

# 9. Over every cell above: a bigmm never sets its own oom_score_adj, so the agent must never
#    see one change. A record of one is the agent sampling a child that still held the agent's
#    -1000 (fork to the child's own write), which once made a group kill's member look spared.
out=$tmp/wladj.out
find "$tmp" -name agent.log -exec awk '
	FNR == 1 { delete big }
	$3 == "start" && / program=bigmm / { split($4, n, "="); big[n[2]] = 1 }
	$3 == "wladj" { split($4, n, "="); if (n[2] in big) print FILENAME ": " $0 }' {} + >"$out"
check "no bigmm workload is seen to change its own oom_score_adj" test ! -s "$out" -- "$out"

# 10. Over every run above: its results.ktap reads as KTAP to a parser that is not oomlab's
#     (tests/ktap_check.py), its junit.xml validates against tests/junit.xsd with xmllint,
#     and both count what run.json counts: not ok / failure+error for FAIL and BROK, a skip
#     for CONF and for a cell of the plan that never ran.
out=$tmp/formats.out
: >"$out"
runs=0
for run in $(find "$tmp" -name run.json -path '*/20*/run.json'); do
	d=$(dirname "$run")
	runs=$((runs + 1))
	if ! python3 tests/ktap_check.py "$d/results.ktap" >"$tmp/ktap.tally" 2>&1; then
		echo "$d/results.ktap: $(cat "$tmp/ktap.tally")" >>"$out"
		continue
	fi
	if ! xmllint --noout --schema tests/junit.xsd "$d/junit.xml" >"$tmp/xsd.out" 2>&1; then
		cat "$tmp/xsd.out" >>"$out"
		continue
	fi
	want=$(jq -r '"total pass:\(.summary.passed) fail:\(.summary.failed + .summary.broken) skip:\(.summary.skipped + (.plan | length) - (.cells | length))"' "$run")
	got=$(tail -n 1 "$tmp/ktap.tally")
	[ "$got" = "$want" ] || echo "$d/results.ktap: $got, run.json: $want" >>"$out"
	want=$(jq -r '"\(.plan | length) \(.summary.failed) \(.summary.broken) \(.summary.skipped + (.plan | length) - (.cells | length))"' "$run")
	got=$(xmllint --xpath 'concat(/testsuites/@tests, " ", /testsuites/@failures, " ", /testsuites/@errors, " ", /testsuites/@skipped)' "$d/junit.xml")
	[ "$got" = "$want" ] || echo "$d/junit.xml: tests failures errors skipped $got, run.json: $want" >>"$out"
done
# the sections above leave over ten runs: fewer means the loop checked too little
[ $runs -ge 10 ] || echo "only $runs runs found under $tmp: expected at least 10" >>"$out"
check "every run's KTAP and JUnit are well formed and count what run.json counts" \
	test ! -s "$out" -- "$out"
out=$tmp/pages.out
: >"$out"
for run in $(find "$tmp" -name run.json -path '*/20*/run.json'); do
	d=$(dirname "$run")
	[ -s "$d/index.html" ] || echo "$d/index.html is missing" >>"$out"
	for id in $(jq -r '.cells[].id' "$run"); do
		[ -s "$d/$id/index.html" ] && [ -s "$d/$id/kernel.log.html" ] ||
			echo "$d/$id: a page is missing" >>"$out"
	done
done
check "every run has its page, and every finished cell its page and its log's" \
	test ! -s "$out" -- "$out"
python3 tests/ktap_check.py --selftest >"$tmp/selftest.out" 2>&1
check "the checker of KTAP is no check that cannot fail" test $? -eq 0 -- "$tmp/selftest.out"
ktap() { cat "$tmp/$1"/latest/results.ktap; }
check "KTAP: a FAIL is not ok, its expected and seen before it" \
	sh -c "grep -q '^  # [a-z.-]*: expected: ' '$tmp/r2/latest/results.ktap' &&
	       grep -q '^  not ok 1 debian-6.1/wrong-victim$' '$tmp/r2/latest/results.ktap'" \
	-- "$tmp/r2/latest/results.ktap"
check "KTAP: a guest that hung is not ok with TIMEOUT and the reason" \
	grep -q '^  not ok 1 debian-6.1/hang # TIMEOUT .' "$tmp/r6/latest/results.ktap" \
	-- "$tmp/r6/latest/results.ktap"
check "KTAP: QEMU killed from outside is not ok with ERROR" \
	grep -q '^  not ok 1 debian-6.1/hang # ERROR .' "$tmp/r7/latest/results.ktap" \
	-- "$tmp/r7/latest/results.ktap"
check "KTAP and JUnit: an interrupted run's cells that never ran are skipped, saying so" \
	sh -c "grep -q '^  ok 1 debian-6.1/hang # SKIP not run: the run was interrupted$' '$tmp/r8/latest/results.ktap' &&
	       xmllint --xpath '//testcase[@name=\"debian-6.1/hang\"]/skipped/@message' '$tmp/r8/latest/junit.xml' |
	       grep -q 'not run: the run was interrupted'" -- "$tmp/r8/latest/results.ktap"
check "JUnit: a FAIL's failure holds the kernel's evidence line" \
	sh -c "xmllint --xpath 'string(//testcase/failure)' '$tmp/r2/latest/junit.xml' |
	       grep -q 'kernel.log:[0-9]*: .*Killed process'" -- "$tmp/r2/latest/junit.xml"

# 10b. The terminal: on one (script(1) gives the run a pseudo-terminal), a progress line with
#      the verdicts so far and the time left, from the last run's times of the same cells,
#      and coloured verdicts; none with NO_COLOR set; no escape codes when not on one.
out=$tmp/tty.out
script -qec "'$oomlab' run --jobs 2 --results '$tmp/rp' '$scen/pair.yaml'" /dev/null >"$out" 2>&1
check "on a terminal: a progress line with the counts and the time left" \
	grep -q '\[1/3\] 1 .*PASS.*, 0 .*FAIL.*, 0 .*BROK.*, 0 .*CONF.*, [0-9]*s, about [0-9]*s left' "$out" -- "$out"
check "on a terminal: the verdicts in colour" grep -q $'\033\\[32mPASS\033\\[0m  debian-6.1/pair/' "$out" -- "$out"
out=$tmp/tty-nocolor.out
NO_COLOR=1 script -qec "'$oomlab' run --jobs 2 --results '$tmp/rp' '$scen/pair.yaml'" /dev/null >"$out" 2>&1
check "NO_COLOR: no colour on a terminal" \
	sh -c "grep -q 'PASS  debian-6.1/pair/' '$out' && ! grep -q \"\$(printf '\\033')\\[3\" '$out'" -- "$out"
check "not on a terminal: no escape codes at all" \
	sh -c "! grep -q \"\$(printf '\\033')\" '$tmp/cells.out'" -- "$tmp/cells.out"

# 10c. The pages in a real browser, Debian's Chromium, headless: a real cell's page draws its
#      timeline (the DOM Chromium built holds its curves and the kill's marker, and the page
#      renders to a screenshot of some size), and a cell whose killed process is named
#      <script>alert(1)</script> (tests/data/report/escape, written again by oomlab report)
#      shows the name as text everywhere and runs no script. Skipped, saying why, only where
#      Chromium cannot start.
browser() { timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=1100,1400 "$@" 2>/dev/null; }
if ! command -v chromium >/dev/null 2>&1 || ! browser --dump-dom about:blank >/dev/null; then
	echo "skip: the pages in a browser: Debian's chromium is not installed or does not start here"
else
	cellpage=$(find "$tmp/r1" -path '*/global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=0/index.html' | head -n 1)
	browser --dump-dom "file://$cellpage" >"$tmp/cell.dom"
	browser --screenshot="$tmp/cell.png" "file://$cellpage" >/dev/null
	check "a real cell's page, as Chromium built it, draws its curves and the kill of grower" \
		sh -c "grep -q '<polyline [^>]*points=\"[0-9.]*,[0-9.]* [0-9.]*,[0-9.]*' '$tmp/cell.dom' &&
		       grep -q '>killed grower</text>' '$tmp/cell.dom'" -- "$tmp/cell.dom"
	check "a real cell's page renders to a screenshot with content (over 20 kB of PNG)" \
		test "$(stat -c %s "$tmp/cell.png" 2>/dev/null || echo 0)" -gt 20000
	cp -r tests/data/report/escape "$tmp/escape"
	"$oomlab" report "$tmp/escape" >"$tmp/report.out" 2>&1
	check "oomlab report writes a run's pages again from its run.json" \
		test -s "$tmp/escape/debian-6.1/wrong-victim/index.html" -- "$tmp/report.out"
	for page in index.html debian-6.1/wrong-victim/index.html debian-6.1/wrong-victim/kernel.log.html; do
		browser --dump-dom "file://$tmp/escape/$page"
	done >"$tmp/escape.dom"
	check "a process named <script>alert(1)</script> shows as text, and no page has a script" \
		sh -c "grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' '$tmp/escape.dom' &&
		       ! grep -qi '<script' '$tmp/escape.dom'" -- "$tmp/escape.dom"
fi

# 10c'. A run of an older oomlab, whose run.json has no plan: oomlab report lists its finished
#       cells (the views walk the plan; one is made of the cells, in order).
mkdir -p "$tmp/noplan"
cp -r tests/data/report/escape/debian-6.1 "$tmp/noplan/"
jq 'del(.plan)' tests/data/report/escape/run.json >"$tmp/noplan/run.json"
"$oomlab" report "$tmp/noplan" >"$tmp/noplan.out" 2>&1
check "a run with no plan: oomlab report warns, and its KTAP and JUnit list its finished cell" \
	sh -c "grep -q 'has no plan' '$tmp/noplan.out' &&
	       grep -q '^  not ok 1 debian-6.1/wrong-victim\$' '$tmp/noplan/results.ktap' &&
	       test \"\$(xmllint --xpath 'count(//testcase)' '$tmp/noplan/junit.xml')\" = 1" \
	-- "$tmp/noplan.out" "$tmp/noplan/results.ktap" "$tmp/noplan/junit.xml"

# 10d. Pinned kernels: oomlab kernels lists the packages of both lines Debian's archive holds;
#      --kernel takes a range of ABIs (one cell per package the archive has in it) and one
#      ABI's package, which run.json then names exactly. The ABIs are the newest three of
#      6.1 the archive holds today (it drops old ones at point releases): lo, mid and hi.
out=$tmp/kernels.out
"$oomlab" kernels >"$out" 2>&1
check "oomlab kernels lists Debian's 6.1 and 6.12 packages" \
	sh -c "grep -q '^debian:6\.1\.0-[0-9]* *linux-image-6\.1\.0-' '$out' &&
	       grep -q '^debian:6\.12\.[0-9]* *linux-image-6\.12\.' '$out'" -- "$out"
set -- $(sed -n 's/^debian:6\.1\.0-\([0-9]*\) .*/\1/p' "$out" | sort -n | tail -n 3)
if [ $# -lt 3 ]; then
	echo "skip: pinned kernels, diff of a pin, bisect: the archive holds $# packages of 6.1, not 3"
	abis=
else
	lo=$1 mid=$2 hi=$3 abis=yes
	"$oomlab" run --list --kernel "debian:6.1.0-$lo..$hi" "$scen/trivial.yaml" >"$tmp/range.out" 2>&1
	check "--kernel debian:6.1.0-$lo..$hi gives a cell per package the archive has in the range" \
		test "$(grep -c '^debian-6\.1\.0-[0-9]*/trivial ' "$tmp/range.out")" -eq 3 \
		-- "$tmp/range.out" "$out"
	"$oomlab" run --results "$tmp/rpin" --kernel "debian:6.1.0-$mid" "$scen/trivial.yaml" \
		>"$tmp/pin.out" 2>&1
	check "a pinned package (debian:6.1.0-$mid) runs, and run.json names it exactly" \
		jqr --arg a "$mid" '.kernels[0] | .tag == "debian:6.1.0-\($a)" and .package == "linux-image-6.1.0-\($a)-cloud-amd64" and .release == "6.1.0-\($a)-cloud-amd64" and (.version | test("^6\\.1\\."))' \
		"$tmp/rpin/latest/run.json" -- "$tmp/pin.out"
fi

# 10e. oomlab diff: the pinned run (mid) and the user kernel's run (r9, the newest 6.1) of
#      the same cell are alike across their kernels; a copy of a run whose cell is made to fail
#      is a regression, with both sides' kernel lines, and exit 1.
if [ -n "$abis" ]; then
	"$oomlab" diff "$tmp/rpin/latest" "$tmp/r9/latest" >"$tmp/diff.out" 2>&1
	rc=$?
	check "diff: one cell on two kernels, alike (exit 0)" \
		sh -c "test $rc -eq 0 && grep -q '^oomlab diff: 0 regressions, 0 fixes, 0 other changes, 1 alike;' '$tmp/diff.out'" \
		-- "$tmp/diff.out"
fi
cp -rL "$tmp/r1/latest" "$tmp/r1-worse"
jq '(.cells[] | select(.id | test("global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=0$"))) |= (.verdict = "FAIL" | .reason = "made to fail")' \
	"$tmp/r1/latest/run.json" >"$tmp/r1-worse/run.json"
"$oomlab" diff "$tmp/r1/latest" "$tmp/r1-worse" >"$tmp/diff2.out" 2>&1
rc=$?
check "diff: a cell made to fail is a regression, with its kill line from each side's log (exit 1)" \
	sh -c "test $rc -eq 1 && grep -q '^regression  debian-6.1/global-two-hogs/panic_on_oom=0,oom_kill_allocating_task=0,overcommit_memory=0: verdict PASS -> FAIL$' '$tmp/diff2.out' &&
	       test \$(grep -c 'kernel.log:[0-9]*: .*Killed process [0-9]* (grower)' '$tmp/diff2.out') -eq 2 &&
	       grep -q '^oomlab diff: 1 regression, 0 fixes, 0 other changes, 4 alike;' '$tmp/diff2.out'" \
	-- "$tmp/diff2.out"

# 10e'. --baseline: run against a known run, a cell that failed there too is known (exit 0),
#       and a cell that passed there and fails now is a regression, said under its line
#       (exit 1); run.json keeps the counts.
"$oomlab" run --results "$tmp/rb1" --baseline "$tmp/r2/latest" "$scen/wrong-victim.yaml" >"$tmp/rb1.out" 2>&1
rc=$?
check "--baseline: a failure the baseline had too is known, not a failure of the run (exit 0)" \
	sh -c "test $rc -eq 0 && grep -q '^oomlab: against the baseline .*: 0 regressions, 0 fixes, 0 other changes; 1 failing as there, 0 failing with no cell there$' '$tmp/rb1.out'" \
	-- "$tmp/rb1.out"
cp -rL "$tmp/r2/latest" "$tmp/r2-good"
jq '.cells[0].verdict = "PASS" | .cells[0].reason = "as it should"' "$tmp/r2/latest/run.json" >"$tmp/r2-good/run.json"
"$oomlab" run --results "$tmp/rb2" --baseline "$tmp/r2-good" "$scen/wrong-victim.yaml" >"$tmp/rb2.out" 2>&1
rc=$?
check "--baseline: a cell that passed there and fails now is a regression (exit 1)" \
	sh -c "test $rc -eq 1 && grep -q '^      baseline: regression: verdict PASS -> FAIL$' '$tmp/rb2.out' &&
	       jq -e '.baseline.regressions == 1 and .baseline.failing_as_there == 0' '$tmp/rb2/latest/run.json'" \
	-- "$tmp/rb2.out"

# 10f. History: each run above was recorded in its results folder's history.sqlite when it
#      ended; oomlab history shows a cell there with its kernel's exact package.
"$oomlab" history --results "$tmp/r1" 'global-two-hogs/*' >"$tmp/history.out" 2>&1
check "history: the run's three global-two-hogs cells, with their kernel's package" \
	sh -c "test \$(grep -c '^global-two-hogs/' '$tmp/history.out') -eq 3 &&
	       test \$(grep -c '^  20[0-9-]* *debian:6.1 *linux-image-6\.1\.0-[0-9]*-cloud-amd64 ' '$tmp/history.out') -eq 3 &&
	       grep -q 'PASS  killed grower (consistent)' '$tmp/history.out'" -- "$tmp/history.out"

# 10g. Shards: the same 4 cells in 3 shards, the first named by --shard and the others the
#      way GitLab and Slurm name them, then merged: the merged run has every cell once, its
#      views validate, and diff finds it alike to the same cells run unsharded (r-all). A cell
#      in two runs, or another oomlab's run, is refused.
"$oomlab" run --jobs 2 --shard 1/3 --results "$tmp/sh1" "$scen/pair.yaml" "$scen/trivial.yaml" >"$tmp/sh1.out" 2>&1
CI_NODE_INDEX=2 CI_NODE_TOTAL=3 "$oomlab" run --jobs 2 --results "$tmp/sh2" "$scen/pair.yaml" "$scen/trivial.yaml" >"$tmp/sh2.out" 2>&1
SLURM_ARRAY_TASK_ID=12 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_COUNT=3 \
	"$oomlab" run --jobs 2 --results "$tmp/sh3" "$scen/pair.yaml" "$scen/trivial.yaml" >"$tmp/sh3.out" 2>&1
"$oomlab" run --jobs 2 --results "$tmp/r-all" "$scen/pair.yaml" "$scen/trivial.yaml" >"$tmp/r-all.out" 2>&1
check "three shards, named by --shard, GitLab's and Slurm's variables, split the cells" \
	sh -c "jq -e '.shard.index == 1 and .shard.total == 3' '$tmp/sh1/latest/run.json' &&
	       jq -e '.shard.index == 2 and (.shard.from | test(\"GitLab\"))' '$tmp/sh2/latest/run.json' &&
	       jq -e '.shard.index == 3 and (.shard.from | test(\"Slurm\"))' '$tmp/sh3/latest/run.json' &&
	       test \$(jq -s '[.[].plan[].id] | length' '$tmp'/sh[123]/latest/run.json) -eq 4 &&
	       test \$(jq -s '[.[].plan[].id] | unique | length' '$tmp'/sh[123]/latest/run.json) -eq 4" \
	-- "$tmp/sh1.out" "$tmp/sh2.out" "$tmp/sh3.out"
"$oomlab" merge --results "$tmp/merged" "$tmp/sh1/latest" "$tmp/sh2/latest" "$tmp/sh3/latest" >"$tmp/merge.out" 2>&1
"$oomlab" diff "$tmp/r-all/latest" "$tmp/merged/latest" >"$tmp/merge-diff.out" 2>&1
rc=$?
check "the merged shards equal the unsharded run, and their views validate" \
	sh -c "test $rc -eq 0 && grep -q '^oomlab diff: 0 regressions, 0 fixes, 0 other changes, 4 alike; 0 only in' '$tmp/merge-diff.out' &&
	       jq -e '.summary.cells == 4 and (.merged | length) == 3 and (.plan | length) == 4' '$tmp/merged/latest/run.json' &&
	       python3 tests/ktap_check.py '$tmp/merged/latest/results.ktap' &&
	       xmllint --noout --schema tests/junit.xsd '$tmp/merged/latest/junit.xml' &&
	       test -s '$tmp/merged/latest/debian-6.1/trivial/index.html'" -- "$tmp/merge.out" "$tmp/merge-diff.out"
"$oomlab" merge --results "$tmp/merged" "$tmp/sh1/latest" "$tmp/sh1/latest" >"$tmp/merge-twice.out" 2>&1
rc=$?
check "merge refuses a cell in two runs, naming it (exit 2)" \
	sh -c "test $rc -eq 2 && grep -q 'cannot merge: cell .* is in ' '$tmp/merge-twice.out'" -- "$tmp/merge-twice.out"
jq '.oomlab.version = "0.0.1"' "$tmp/sh2/latest/run.json" >"$tmp/other.json"
cp -rL "$tmp/sh2/latest" "$tmp/other-oomlab" && cp "$tmp/other.json" "$tmp/other-oomlab/run.json"
"$oomlab" merge --results "$tmp/merged" "$tmp/sh1/latest" "$tmp/other-oomlab" >"$tmp/merge-other.out" 2>&1
rc=$?
check "merge refuses another oomlab's shard, saying so (exit 2)" \
	sh -c "test $rc -eq 2 && grep -q 'another oomlab version or commit' '$tmp/merge-other.out'" -- "$tmp/merge-other.out"
# a shard cut by other weights (another history): its slice lacks a cell no other shard has
jq '(.plan[0].id) as $id | .plan |= .[1:] | .cells |= map(select(.id != $id))' \
	"$tmp/sh2/latest/run.json" >"$tmp/cut.json"
cp -rL "$tmp/sh2/latest" "$tmp/cut-other" && cp "$tmp/cut.json" "$tmp/cut-other/run.json"
"$oomlab" merge --results "$tmp/merged" "$tmp/sh1/latest" "$tmp/cut-other" "$tmp/sh3/latest" \
	>"$tmp/merge-cut.out" 2>&1
rc=$?
check "merge refuses shards whose slices leave a cell out, naming it (exit 2)" \
	sh -c "test $rc -eq 2 && grep -q \"cannot merge: cell '.*' is in 0 of the shards' slices\" '$tmp/merge-cut.out'" \
	-- "$tmp/merge-cut.out"

# 10h. Bisect over three packages of 6.1 (lo, mid, hi of 10d): a test scenario whose rule
#      changes at mid on purpose (kernel-split.yaml, its threshold set to mid) FAILs below it
#      and PASSes from it; bisect runs each package it tries twice and names mid, with its
#      version and changelog.
if [ -n "$abis" ]; then
	sed "s/6\.1\.0-56/6.1.0-$mid/g" "$scen/kernel-split.yaml" >"$tmp/kernel-split.yaml"
	"$oomlab" bisect kernel-split --good "debian:6.1.0-$lo" --bad "debian:6.1.0-$hi" --repeat 2 \
		--results "$tmp/bisect" "$tmp/kernel-split.yaml" >"$tmp/bisect.out" 2>&1
	rc=$?
	check "bisect names the first package where the cell's outcome changes, with its changelog" \
		sh -c "test $rc -eq 0 &&
		       grep -q '^bisect: the outcome changes at debian:6.1.0-$mid (linux-image-6.1.0-$mid-cloud-amd64 6\.1\.[0-9-]*): .PASS; killed: grower.$' '$tmp/bisect.out' &&
		       grep -q '^bisect: the last package before it is debian:6.1.0-$lo ' '$tmp/bisect.out' &&
		       test \$(grep -c '^bisect: debian:6.1.0-\($lo\|$mid\|$hi\), run [12] of 2: ' '$tmp/bisect.out') -eq 6 &&
		       grep -q '^  linux' '$tmp/bisect.out'" -- "$tmp/bisect.out"
fi

# 10h'. Bisect over a kernel tree (--tree, --kernel-cmd): a git tree of five commits whose
#       "build" copies the kernel its commit names (lo's or mid's bzImage from 10h) to
#       arch/x86/boot/bzImage; step 3's build fails. From good s1 to bad s5, git tries step 3
#       first (the only commit that halves the four), which is skipped, then step 2 or 4 (a
#       tie), then the other if needed: the first bad commit is step 5, the first to name mid's
#       kernel. The tree is left as it was.
if [ -n "$abis" ]; then
	tree=$tmp/tree
	vm_of() { jq -r '.kernels[0].vmlinuz' "$tmp"/bisect/bisect-*/6.1.0-"$1"-1/latest/run.json; }
	git init -q "$tree" && echo arch/ >"$tree/.gitignore"
	n=0
	for k in "$(vm_of $lo)" "$(vm_of $lo)" broken "$(vm_of $lo)" "$(vm_of $mid)"; do
		n=$((n + 1))
		echo "$k" >"$tree/kernel" && echo "$n" >"$tree/step"
		git -C "$tree" add -A && git -C "$tree" -c user.name=t -c user.email=t@example.org \
			commit -q -m "step $n"
		git -C "$tree" tag "s$n"
	done
	git -C "$tree" checkout -q -b work s5
	"$oomlab" bisect kernel-split --tree "$tree" --good s1 --bad s5 --repeat 1 \
		--kernel-cmd 'test "$(cat kernel)" != broken && mkdir -p arch/x86/boot && cp "$(cat kernel)" arch/x86/boot/bzImage' \
		--results "$tmp/tbisect" "$tmp/kernel-split.yaml" >"$tmp/tbisect.out" 2>&1
	rc=$?
	first=$(git -C "$tree" rev-parse --short=12 s5)
	check "a tree bisect names the first commit whose kernel changes the outcome" \
		sh -c "test $rc -eq 0 &&
		       grep -q '^bisect: the outcome changes at $first: .PASS; killed: grower.$' '$tmp/tbisect.out' &&
		       grep -q '^  $(git -C "$tree" rev-parse s5) is the first bad commit' '$tmp/tbisect.out' &&
		       grep -q '^  *step 5$' '$tmp/tbisect.out'" -- "$tmp/tbisect.out"
	check "a commit whose kernel command fails is skipped (git tries step 3 first)" \
		sh -c "grep -q '^bisect: $(git -C "$tree" rev-parse --short=12 s3): the kernel command failed (exit 1; see ' '$tmp/tbisect.out' &&
		       grep -q '^bisect: $(git -C "$tree" rev-parse --short=12 s3): skipped' '$tmp/tbisect.out'" \
		-- "$tmp/tbisect.out"
	check "each commit it tried was built into a kernel of its own and booted" \
		sh -c "for f in $tmp/tbisect/bisect-*/*-1/latest/run.json; do
			       jq -e '.kernels[0].vmlinuz | test(\"/[0-9a-f]{12}\\\\.bzImage\$\")' \"\$f\" >/dev/null || exit 1
		       done; ls $tmp/tbisect/bisect-*/*.build.log >/dev/null" -- "$tmp/tbisect.out"
	check "the tree is back on its branch with no bisect under way, git's log kept" \
		sh -c "test \"\$(git -C '$tree' symbolic-ref --short HEAD)\" = work &&
		       ! git -C '$tree' bisect log >/dev/null 2>&1 &&
		       grep -q '^# first bad commit: \[$(git -C "$tree" rev-parse s5)\]' $tmp/tbisect/bisect-*/git-bisect.log" \
		-- "$tmp/tbisect.out"
	# the same outcome at both ends (steps 1 and 4 both boot lo): nothing to find, exit 1
	"$oomlab" bisect kernel-split --tree "$tree" --good s1 --bad s4 --repeat 1 \
		--kernel-cmd 'test "$(cat kernel)" != broken && mkdir -p arch/x86/boot && cp "$(cat kernel)" arch/x86/boot/bzImage' \
		--results "$tmp/tbisect2" "$tmp/kernel-split.yaml" >"$tmp/tbisect2.out" 2>&1
	rc=$?
	check "a tree bisect with the same outcome at both ends finds nothing (exit 1)" \
		sh -c "test $rc -eq 1 && grep -q '^bisect: the same outcome on .* nothing to find' '$tmp/tbisect2.out'" \
		-- "$tmp/tbisect2.out"
fi

# 11. The unit tests (make unit, before this) left their results as JUnit for a CI to show:
#     one well-formed file per test program, written by cmocka itself, after the program was
#     built (not left by an earlier build), with its test cases in it.
out=$tmp/unit-junit.out
: >"$out"
for t in tests/test_*.c; do
	p=build/tests/$(basename "$t" .c)
	x=${UNIT_JUNIT:-build/tests/junit}/$(basename "$t" .c).xml
	if ! xmllint --noout "$x" >>"$out" 2>&1; then
		echo "$x: missing or not well-formed" >>"$out"
	elif ! [ "$x" -nt "$p" ]; then
		echo "$x: older than $p, not written by this build's run" >>"$out"
	elif [ "$(xmllint --xpath 'count(//testcase)' "$x")" = 0 ]; then
		echo "$x: no test cases" >>"$out"
	fi
done
check "every unit test program left a well-formed JUnit file of its cases, after its build" \
	test ! -s "$out" -- "$out"

echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
