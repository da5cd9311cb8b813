#!/usr/bin/env python3
"""The load series of reliability/load.sh on a cluster: 3 `sweeps silo` processes on Redis.

    reliability/cluster-load.py [N ...]        default: 10000 100000

For each N (a multiple of 400): a fresh Redis (AOF, fsync every second, as a production Redis would
run) and SILOS silos on loopback (one kernel worker each), the same quadratic sweep as load.sh
(300-480 steps, 4-point curves, runs_per_task 64), submitted with `sweeps submit` and followed
through a silo's HTTP API until it completes. One line per sweep: seconds from submit to
completion, the peak resident memory of each silo (VmHWM), Redis's memory (used and peak, `INFO
memory`) and its AOF on disk, and the runs counted by the final status. Exit 1 when a sweep did
not complete with every run succeeded. Needs redis-server and redis-cli; not run by CI.
"""
import argparse, importlib.util, json, os, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("cluster_chaos", os.path.join(HERE, "cluster-chaos.py"))
chaos = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chaos)


def load_spec(runs):
    # The sweep of load.sh: 10 peak LRs x 10 model sizes x 4 horizons x N/400 seeds.
    return f"""name: load-{runs}
simulator: quadratic
grid:
  peak_lr: {{log_space: [0.01, 1.0], points: 10}}
  model_size: [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]
  total_steps: [300, 360, 420, 480]
seeds: {runs // 400}
curve_points: 4
runs_per_task: 64
concurrency: 8
max_runs: {runs}
laws: []
"""


def peak_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None


def redis_memory(port):
    info = subprocess.run(["redis-cli", "-p", str(port), "info", "memory"], capture_output=True, text=True).stdout
    field = lambda name: next((line.split(":")[1].strip() for line in info.splitlines() if line.startswith(name + ":")), None)
    return field("used_memory_human"), field("used_memory_peak_human")


def one(runs, args):
    work = tempfile.mkdtemp(prefix="sweeps-cluster-load-")
    cluster = chaos.Cluster(work, args.silos)
    try:
        cluster.start_redis(fsync="everysec")
        for i in range(args.silos):
            cluster.start_silo(i)
        for i in range(args.silos):
            cluster.wait_ready(i)
        spec_path = os.path.join(work, "load.yaml")
        open(spec_path, "w").write(load_spec(runs))
        started = time.time()
        submitted = subprocess.run([chaos.SWEEPS, "submit", spec_path, "--cluster", f"127.0.0.1:{cluster.redis_port}"], capture_output=True, text=True)
        if submitted.returncode != 0:
            raise RuntimeError(f"submit failed: {submitted.stderr.strip()}")
        sweep_id = submitted.stdout.strip().splitlines()[-1].strip()
        port, status, last_report = cluster.silos[0]["http"], None, started
        while time.time() - started < args.timeout:
            try:
                status = chaos.http_json(port, f"/api/sweeps/{sweep_id}", timeout=30)
            except Exception:
                status = None
            if status is not None and status["state"] == "completed":
                break
            if status is not None and time.time() - last_report > 60:
                finished = sum(v for k, v in status["counts"].items() if k not in ("running", "pending"))
                chaos.log(f"{runs} runs: {finished} finished after {time.time() - started:.0f} s")
                last_report = time.time()
            time.sleep(1.0)
        elapsed = time.time() - started
        rss = [peak_rss_mb(s["process"].pid) for s in cluster.silos]
        used, peak = redis_memory(cluster.redis_port)
        aof_mb = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(work) for f in files if "appendonly" in root or f.startswith("appendonly")) // (1024 * 1024)
        succeeded = (status or {}).get("counts", {}).get("succeeded", 0)
        return {"runs": runs, "seconds": round(elapsed, 1), "silo_peak_rss_mb": rss, "redis_used": used, "redis_peak": peak,
                "redis_aof_mb": aof_mb, "state": (status or {}).get("state"), "succeeded": succeeded}
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10000, 100000])
    parser.add_argument("--silos", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=7200.0, help="seconds each sweep may take")
    args = parser.parse_args()
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        sys.exit("cluster-load: needs redis-server and redis-cli on PATH")
    if any(n < 400 or n % 400 for n in args.sizes):
        sys.exit("cluster-load: each N must be a multiple of 400")
    if not os.path.exists(chaos.SWEEPS):
        subprocess.run(["dotnet", "build", os.path.join(chaos.ROOT, "src/Sweeps.Cli"), "-c", "Release", "-v", "q"], check=True, stdout=subprocess.DEVNULL)
    print(f"{'runs':>10} {'seconds':>9} {'silo peak RSS MB':>18} {'redis used':>11} {'redis peak':>11} {'AOF MB':>7} {'succeeded':>10}", flush=True)
    ok = True
    for runs in args.sizes:
        row = one(runs, args)
        print(f"{row['runs']:>10} {row['seconds']:>9} {'/'.join(str(r) for r in row['silo_peak_rss_mb']):>18} {row['redis_used']:>11} "
              f"{row['redis_peak']:>11} {row['redis_aof_mb']:>7} {row['succeeded']:>10}", flush=True)
        ok &= row["state"] == "completed" and row["succeeded"] == runs
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
