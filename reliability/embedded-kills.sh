#!/usr/bin/env bash
# Kills `sweeps run` with SIGKILL at random moments, KILLS times, then runs the sweep to its end, and
# reports what survived: runs recorded (each once: every run's stored state written exactly once),
# runs that failed, the store's integrity, and the sweep's resumed and duplicate counts.
#
#   reliability/embedded-kills.sh [KILLS=50] [SEED=1]
#
# Needs python3 (for sqlite3) and a Release build (built here when missing). Not run by CI: 50 kills
# take a few minutes. Exit 0 when nothing was lost or doubled, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
seed=${2:-1}
sweeps=src/Sweeps.Cli/bin/Release/net10.0/sweeps
[ -x "$sweeps" ] || dotnet build src/Sweeps.Cli -c Release -v q >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1,200 quadratic runs of a few milliseconds to a few tens: a kill lands mid-sweep, mid-run or mid-write.
cat > "$work/kills.yaml" <<'YAML'
name: kills
simulator: quadratic
grid:
  peak_lr: {log_space: [0.01, 1.0], points: 10}
  model_size: [256, 1024, 4096]
  total_steps: [1000, 4000]
  warmup_steps: [0, 100, 200, 300, 400]
seeds: 4
concurrency: 4
YAML

RANDOM=$seed
for ((k = 1; k <= kills; k++)); do
  "$sweeps" run "$work/kills.yaml" --data-dir "$work/data" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % 1000)))"
  sleep $((RANDOM % 3))
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ((k % 10 == 0)); then echo "[kills] $k/$kills" >&2; fi
done

"$sweeps" run "$work/kills.yaml" --data-dir "$work/data" --json > "$work/final.json" 2> "$work/final.err" || {
  echo "the final run failed:" >&2; cat "$work/final.err" >&2; exit 1; }

python3 - "$work" "$kills" <<'PY'
import json, sqlite3, sys
work, kills = sys.argv[1], int(sys.argv[2])
report = json.load(open(f"{work}/final.json"))
db = sqlite3.connect(f"file:{work}/data/sweeps.db?mode=ro", uri=True)
integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
runs = db.execute("SELECT etag FROM grain_state WHERE state_name = 'run'").fetchall()
rewritten = sum(1 for (etag,) in runs if etag != 1)
counts = report["counts"]
total = report["total_runs"]
ok = integrity == "ok" and counts.get("succeeded", 0) == total and len(runs) == total and rewritten == 0
print(json.dumps({
    "kills": kills, "total_runs": total, "succeeded": counts.get("succeeded", 0), "failed": counts.get("failed", 0),
    "run_records": len(runs), "runs_written_more_than_once": rewritten, "integrity_check": integrity,
    "resumed_runs": report.get("resumed_runs"), "duplicate_results": report.get("duplicate_results"),
    "verdict": "nothing lost or doubled" if ok else "LOST OR DOUBLED",
}, indent=2))
sys.exit(0 if ok else 1)
PY
