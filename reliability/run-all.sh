#!/usr/bin/env bash
# The long reliability checks, one after another, each printing what survived (docs/reliability.md
# lists them with their last figures): the embedded store killed 50 times, the 3-silo cluster under
# kill -9 every 20 s and a Redis crash, a 30 s Redis outage, 20 clients at once, and the load series
# to a million runs, embedded and on 3 silos on Redis.
# About 10 minutes on a 2-core machine (8.5 before the cluster load joined; it takes 1.5 more). Needs redis-server, python3 and /usr/bin/time.
#
#   reliability/run-all.sh
#
# Exit 1 when any of them found something lost, doubled, taken back or failed.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x src/Sweeps.Cli/bin/Release/net10.0/sweeps ] || dotnet build src/Sweeps.Cli -c Release -v q >/dev/null || exit 2
status=0
run() {
  echo "== $*" >&2
  "$@" || { echo "!! $* found a problem" >&2; status=1; }
}
run reliability/embedded-kills.sh 50 1
run reliability/cluster-chaos.py
run reliability/cluster-chaos.py --kill-every 1000 --redis-restart-at 30 --outage 30
run reliability/clients.py
run reliability/load.sh 10000 100000 1000000
run reliability/cluster-load.py 10000 100000 1000000
exit $status
