#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# coverage.sh - the README's coverage table (what the suite exercises x kernel) from a run.json.
#
#   docs/coverage.sh results/latest/run.json [MORE.json ...]
#
# One row per knob, workload program, cgroup hierarchy and swap that some scenario uses; one
# column per kernel, counting that row's cells by verdict. A cell run in several of the runs
# given counts once, as the last of them saw it. Read from the runs, so the table shows what
# real runs did, not what the suite meant to do.
set -eu
[ $# -ge 1 ] || { echo "usage: docs/coverage.sh RUN.json [MORE.json ...]" >&2; exit 2; }
jq -r -s '
  { kernels: ([.[].kernels[]] | unique_by(.tag)),
    cells: ([.[].cells[]] | group_by([.kernel, .id]) | map(.[-1])),
    scenarios: ([.[].scenarios[]] | group_by(.name) | map(.[-1])) }
  | 
  def norm: if startswith("evictor/") then "evictor argument " + .[8:]
            elif test("/") then (sub("^.*/"; "") + " (cgroup)") else . end;
  .kernels as $kernels
  | .cells as $cells
  | [ .scenarios[]
      | . as $sc
      | ( (.knobs[] | norm), ("program " + .programs[]),
          (if .cgroup != "none" then "cgroup " + .cgroup else empty end),
          (if .swap_bytes > 0 then "swap disk" else empty end),
          (if (.disk_bytes // 0) > 0 then "scratch disk (page cache)" else empty end),
          (if (.numa_nodes // 0) > 0 then "NUMA nodes" else empty end),
          (if (.changes // 0) > 0 then "knob changed mid-cell" else empty end),
          ([$cells[] | select(.scenario == $sc.name and .evictor != null)]
           | if length > 0 then "evictor " + .[0].evictor.program else empty end) )
      | { row: ., scenario: $sc.name } ]
  | group_by(.row)
  | ( "| exercises | scenarios | " + ([$kernels[].tag] | join(" | ")) + " |",
      "|---|---|" + ([$kernels[] | "---"] | join("|")) + "|",
      ( .[]
        | (map(.scenario) | unique) as $names
        | "| `" + .[0].row + "` | " + ($names | join(", ")) + " | "
          + ([ $kernels[].tag as $t
               | [ $cells[] | select(.kernel == $t and (.scenario as $n | $names | index($n))) ]
               | map(.verdict + (if .expected.refused then " (refused, as expected)"
                                     else "" end))
               | group_by(.) | map("\(length) \(.[0])") | join(", ")
               | if . == "" then "not run" else . end ]
             | join(" | "))
          + " |" ) )
' "$@"
