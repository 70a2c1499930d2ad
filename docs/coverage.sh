#!/bin/sh
# coverage.sh - the README's coverage table (what the suite exercises x kernel) from a run.json.
#
#   docs/coverage.sh results/latest/run.json
#
# One row per knob, workload program, cgroup hierarchy and swap that some scenario uses; one
# column per kernel of the run, counting that row's cells by verdict. Read from the run, so
# the table shows what a real run did, not what the suite meant to do.
set -eu
run=${1:?usage: docs/coverage.sh RUN.json}
jq -r '
  def norm: if test("/") then (sub("^.*/"; "") + " (cgroup)") else . end;
  .kernels as $kernels
  | .cells as $cells
  | [ .scenarios[]
      | . as $sc
      | ( (.knobs[] | norm), ("program " + .programs[]),
          (if .cgroup != "none" then "cgroup " + .cgroup else empty end),
          (if .swap_bytes > 0 then "swap disk" else empty end) )
      | { row: ., scenario: $sc.name } ]
  | group_by(.row)
  | ( "| exercises | scenarios | " + ([$kernels[].tag] | join(" | ")) + " |",
      "|---|---|" + ([$kernels[] | "---"] | join("|")) + "|",
      ( .[]
        | (map(.scenario) | unique) as $names
        | "| `" + .[0].row + "` | " + ($names | join(", ")) + " | "
          + ([ $kernels[].tag as $t
               | [ $cells[] | select(.kernel == $t and (.scenario as $n | $names | index($n))) ]
               | group_by(.verdict)
               | map("\(length) \(.[0].verdict)") | join(", ")
               | if . == "" then "not run" else . end ]
             | join(" | "))
          + " |" ) )
' "$run"
