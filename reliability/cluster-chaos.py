#!/usr/bin/env python3
"""A sweep on a cluster of `sweeps silo` processes on Redis, under repeated crashes; reports what survived.

    reliability/cluster-chaos.py [--runs 2000] [--silos 3] [--kill-every 20] [--seed 1]
                                 [--redis-restart-at 70] [--outage 0]

Starts Redis (AOF, fsync on every write: a crash of Redis itself loses nothing acknowledged) and
SILOS silos on loopback, submits a quadratic sweep of RUNS runs, then every KILL_EVERY seconds kills
a random silo with SIGKILL and starts it again; REDIS_RESTART_AT seconds in, Redis is killed with
SIGKILL and restarted on its AOF (or, with --outage S, kept down for S seconds: a storage outage).
While Redis is down, /readyz of a live silo must answer not ready. Twice a second it reads the sweep's status from a live silo's HTTP API and checks that the finished
count never goes backwards.

At the end: the sweep completed, every grid index has exactly one record (the runs listing, paged),
none failed; it prints the kills, the duplicate results the sweep absorbed, the runs resumed from
storage, the runs executed again (kernels started, summed over every silo incarnation from /metrics,
minus the grid) and any step back in progress, as JSON. Exit 0 when nothing was lost, doubled or
shown going backwards, 1 otherwise. Needs redis-server and a Release build (built here when missing).
"""
import argparse, json, os, random, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWEEPS = os.environ.get("SWEEPS_BIN") or os.path.join(ROOT, "src/Sweeps.Cli/bin/Release/net10.0/sweeps")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def http_json(port, path, timeout=2.0):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        return json.load(response)


def ready(port):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5.0).close()
        return True
    except Exception:
        return False


def metric(port, name):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2.0) as response:
        text = response.read().decode()
    return sum(float(m.group(1)) for m in re.finditer(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+]+)", text, re.M))


class Cluster:
    def __init__(self, work, silos):
        self.work, self.redis_port = work, free_port()
        self.silos = [{"silo": free_port(), "gateway": free_port(), "http": free_port(), "process": None, "incarnation": 0} for _ in range(silos)]
        self.redis = None
        self.started_counts = {}  # (silo, incarnation) -> kernels started, last read
        self.lock = threading.Lock()

    def start_redis(self, fsync="always"):
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", self.work, "--save", "",
             "--appendonly", "yes", "--appendfsync", fsync], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.redis_port), 0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill_redis(self):
        self.redis.send_signal(signal.SIGKILL)
        self.redis.wait()

    def start_silo(self, i):
        silo = self.silos[i]
        silo["incarnation"] += 1
        out = open(os.path.join(self.work, f"silo{i}.{silo['incarnation']}.out"), "w")
        err = open(os.path.join(self.work, f"silo{i}.{silo['incarnation']}.log"), "w")
        silo["process"] = subprocess.Popen(
            [SWEEPS, "silo", "--redis", f"127.0.0.1:{self.redis_port}",
             "--silo-port", str(silo["silo"]), "--gateway-port", str(silo["gateway"]), "--port", str(silo["http"]),
             # Every client of these scripts comes from 127.0.0.1: the per-address HTTP limit would count them as one.
             "--no-dashboard", "--workers", "1", "--request-limit", "0"], stdout=out, stderr=err)
        silo["out"] = out.name

    def wait_ready(self, i, seconds=90):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if "sweeps silo ready" in open(self.silos[i]["out"]).read():
                return
            if self.silos[i]["process"].poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"silo {i} did not start; see {self.silos[i]['out'].replace('.out', '.log')}")

    def read_started(self, i):
        silo = self.silos[i]
        try:
            value = metric(silo["http"], "sweeps_runs_started_total")
        except Exception:
            return
        with self.lock:
            self.started_counts[(i, silo["incarnation"])] = value

    def kill_silo(self, i):
        self.read_started(i)  # its counter dies with it
        self.silos[i]["process"].send_signal(signal.SIGKILL)
        self.silos[i]["process"].wait()

    def live_http_ports(self):
        return [s["http"] for s in self.silos if s["process"] is not None and s["process"].poll() is None]

    def stop(self):
        for s in self.silos:
            if s["process"] is not None and s["process"].poll() is None:
                s["process"].send_signal(signal.SIGKILL)
                s["process"].wait()
        if self.redis is not None and self.redis.poll() is None:
            self.redis.send_signal(signal.SIGKILL)
            self.redis.wait()


def spec(runs):
    # Quadratic runs of tens to hundreds of milliseconds: 2,000 of them take a few minutes on 3
    # silos of one worker each, so a kill every 20 s lands many times mid-sweep.
    seeds = max(1, runs // 200)
    return f"""name: chaos
simulator: quadratic
grid:
  peak_lr: {{log_space: [0.01, 1.0], points: 10}}
  model_size: [1024, 4096]
  total_steps: [16000, 32000, 64000, 96000, 128000]
  warmup_steps: [0, 200]
seeds: {seeds}
concurrency: 12
laws: []
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2000, help="size of the sweep (rounded to a multiple of 200)")
    parser.add_argument("--silos", type=int, default=3)
    parser.add_argument("--kill-every", type=float, default=20.0, help="seconds between silo kills")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--redis-restart-at", type=float, default=70.0, help="seconds into the sweep Redis is killed and restarted (negative: never)")
    parser.add_argument("--outage", type=float, default=0.0, help="seconds Redis stays down when it is killed")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds the sweep may take")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs of every silo)")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("cluster-chaos: needs redis-server on PATH")
    if not os.path.exists(SWEEPS):
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "src/Sweeps.Cli"), "-c", "Release", "-v", "q"], check=True, stdout=subprocess.DEVNULL)

    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="sweeps-chaos-")
    cluster = Cluster(work, args.silos)
    try:
        return run(args, rng, work, cluster)
    finally:
        cluster.stop()
        if args.keep:
            log(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args, rng, work, cluster):
    cluster.start_redis()
    for i in range(args.silos):
        cluster.start_silo(i)
    for i in range(args.silos):
        cluster.wait_ready(i)
    spec_path = os.path.join(work, "chaos.yaml")
    open(spec_path, "w").write(spec(args.runs))
    submitted = subprocess.run([SWEEPS, "submit", spec_path, "--cluster", f"127.0.0.1:{cluster.redis_port}"], capture_output=True, text=True)
    if submitted.returncode != 0:
        raise RuntimeError(f"submit failed: {submitted.stderr.strip()}")
    sweep_id = submitted.stdout.strip().splitlines()[-1].strip()
    log(f"submitted {sweep_id} to {args.silos} silos on Redis :{cluster.redis_port}")

    started = time.time()
    kills, regressions, highest, last = [], [], 0, None
    next_kill = started + args.kill_every
    redis_at = started + args.redis_restart_at if args.redis_restart_at >= 0 else None
    redis_back_at = None
    readyz_down, readyz_back = [], None  # /readyz of a live silo while Redis is down; seconds until ready after
    while time.time() - started < args.timeout:
        now = time.time()
        if redis_at is not None and now >= redis_at:
            log(f"Redis killed (SIGKILL){f', down for {args.outage:.0f} s' if args.outage else ''}")
            cluster.kill_redis()
            redis_at, redis_back_at = None, now + args.outage
        if redis_back_at is not None and now < redis_back_at and cluster.live_http_ports():
            readyz_down.append(ready(cluster.live_http_ports()[0]))
        if redis_back_at is not None and now >= redis_back_at:
            cluster.start_redis()
            redis_back_at = None
            log("Redis restarted on its AOF")
            if args.outage > 0:
                back = time.time()
                while not ready(cluster.live_http_ports()[0]) and time.time() - back < 60:
                    time.sleep(0.25)
                readyz_back = round(time.time() - back, 1)
        if now >= next_kill:
            victim = rng.randrange(args.silos)
            cluster.kill_silo(victim)
            kills.append(round(now - started, 1))
            log(f"silo {victim} killed (SIGKILL) at {now - started:.0f} s; starting it again")
            cluster.start_silo(victim)
            next_kill = now + args.kill_every
        for i in range(args.silos):
            cluster.read_started(i)
        for port in cluster.live_http_ports():
            try:
                last = http_json(port, f"/api/sweeps/{sweep_id}")
                break
            except Exception:
                continue
        if last is not None:
            finished = sum(v for k, v in last["counts"].items() if k not in ("running", "pending"))
            if finished < highest:
                regressions.append({"at_seconds": round(now - started, 1), "from": highest, "to": finished})
                log(f"PROGRESS WENT BACK: {highest} -> {finished}")
            highest = max(highest, finished)
            if last["state"] == "completed" and redis_back_at is None:
                break
        time.sleep(0.5)
    elapsed = time.time() - started

    # Let the restarted silos join, then read the whole record from one of them.
    for i in range(args.silos):
        cluster.wait_ready(i)
    port = cluster.live_http_ports()[0]
    status = http_json(port, f"/api/sweeps/{sweep_id}", timeout=30)
    indices, start = [], 0
    while start is not None:
        page = http_json(port, f"/api/sweeps/{sweep_id}/runs?from={start}&count=4096", timeout=30)
        indices.extend(run["index"] for run in page["runs"])
        start = page["next"]
    for i in range(args.silos):
        cluster.read_started(i)
    total = status["total_runs"]
    counts = status["counts"]
    executed = int(sum(cluster.started_counts.values()))
    lost = total - len(set(indices))
    doubled = len(indices) - len(set(indices))
    ok = status["state"] == "completed" and lost == 0 and doubled == 0 and counts.get("failed", 0) == 0 and not regressions and not any(readyz_down)
    print(json.dumps({
        "sweep": sweep_id, "state": status["state"], "total_runs": total, "elapsed_seconds": round(elapsed, 1),
        "silos": args.silos, "silo_kills": len(kills), "kill_times_seconds": kills,
        "redis_restarts": 0 if args.redis_restart_at < 0 else 1, "redis_outage_seconds": args.outage,
        "succeeded": counts.get("succeeded", 0), "diverged": counts.get("diverged", 0), "failed": counts.get("failed", 0),
        "runs_lost": lost, "records_doubled": doubled,
        "duplicate_results_absorbed": status.get("duplicate_results"), "resumed_runs": status.get("resumed_runs"),
        "kernels_started": executed, "runs_executed_again": max(0, executed - total),
        "progress_regressions": regressions,
        "readyz_polls_while_storage_down": len(readyz_down), "readyz_ready_while_storage_down": sum(readyz_down),
        "readyz_seconds_to_ready_after": readyz_back,
        "verdict": "nothing lost, doubled or taken back" if ok else "FAILED",
    }, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
