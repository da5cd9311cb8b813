#!/usr/bin/env bash
# The embedded silo under load: `sweeps run` of quadratic sweeps of N runs (300–480 steps, 4-point
# curves, runs_per_task: 64, 2,000 runs listed per second of progress), for each N given, and a
# line per sweep: wall time, peak resident memory (/usr/bin/time %M), the data directory's size and
# file count, and the runs counted by the final status.
#
#   reliability/load.sh [N ...]        default: 10000 100000 1000000
#   reliability/load.sh 10000000       ten million runs: about 10 minutes and 2 GB of disk here
#
# Needs /usr/bin/time and python3, and a Release build (built here when missing). Not run by CI.
# Exit 1 when a sweep did not complete with every run succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
sweeps=src/Sweeps.Cli/bin/Release/net10.0/sweeps
[ -x "$sweeps" ] || dotnet build src/Sweeps.Cli -c Release -v q >/dev/null
[ -x /usr/bin/time ] || { echo "load.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%12s %10s %14s %12s %8s %10s\n' runs seconds "peak RSS MB" "disk MB" files succeeded
status=0
for runs in "${sizes[@]}"; do
  if ! [[ "$runs" =~ ^[0-9]+$ ]] || ((runs < 400 || runs % 400 != 0)); then
    echo "load.sh: N must be a multiple of 400 (got '$runs')" >&2; exit 2
  fi
  # 10 peak LRs × 10 model sizes × 4 horizons × N/400 seeds.
  cat > "$work/load.yaml" <<YAML
name: load-$runs
simulator: quadratic
grid:
  peak_lr: {log_space: [0.01, 1.0], points: 10}
  model_size: [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]
  total_steps: [300, 360, 420, 480]
seeds: $((runs / 400))
curve_points: 4
runs_per_task: 64
concurrency: 8
max_runs: $runs
YAML
  data="$work/data-$runs"
  /usr/bin/time -f "%e %M" -o "$work/time" "$sweeps" run "$work/load.yaml" --data-dir "$data" --json > "$work/report.json" 2> "$work/stderr" || {
    echo "load.sh: the sweep of $runs runs failed:" >&2; tail -5 "$work/stderr" >&2; status=1; continue; }
  read -r seconds peak_kb < "$work/time"
  succeeded=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counts']['succeeded'])" "$work/report.json")
  printf '%12s %10s %14s %12s %8s %10s\n' "$runs" "$seconds" "$((peak_kb / 1024))" "$(du -sm "$data" | cut -f1)" "$(find "$data" -type f | wc -l)" "$succeeded"
  [ "$succeeded" = "$runs" ] || status=1
  rm -rf "$data"
done
exit $status
