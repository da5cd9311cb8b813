#!/usr/bin/env python3
"""Many clients at once on a cluster of `sweeps silo` processes on Redis; reports status-call latency.

    reliability/clients.py [--clients 20] [--silos 3] [--runs 400]

Starts Redis and SILOS silos on loopback (as reliability/cluster-chaos.py does), then CLIENTS client
threads at once: each submits a sweep of its own (RUNS quadratic runs, `sweeps submit`) and polls
its status through a silo's HTTP API (`GET /api/sweeps/ID`, the silos taken in turn) until it
completes. Prints, as JSON: submit times (p50, p99, max), status-call latency over every poll of
every client (p50, p99, max), calls made, errors, how long the whole load took, and Redis's memory
(`INFO memory`). Exit 1 when a sweep did not complete or a call failed. Needs redis-server.
"""
import argparse, importlib.util, json, os, shutil, subprocess, sys, tempfile, threading, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("cluster_chaos", os.path.join(HERE, "cluster-chaos.py"))
chaos = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chaos)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else None


def client(number, args, cluster, work, out):
    spec = os.path.join(work, f"client{number}.yaml")
    with open(spec, "w") as f:
        f.write(f"""name: client-{number}
simulator: quadratic
grid:
  peak_lr: {{log_space: [0.01, 1.0], points: 10}}
  model_size: [256, 1024]
  total_steps: [1000, 2000]
  warmup_steps: [0, 100]
seeds: {max(1, args.runs // 80)}
concurrency: 8
laws: []
""")
    started = time.time()
    submitted = subprocess.run([chaos.SWEEPS, "submit", spec, "--cluster", f"127.0.0.1:{cluster.redis_port}"], capture_output=True, text=True)
    out["submit_seconds"].append(time.time() - started)
    if submitted.returncode != 0:
        out["errors"].append(f"client {number}: submit failed: {submitted.stderr.strip()[-300:]}")
        return
    sweep_id = submitted.stdout.strip().splitlines()[-1].strip()
    ports = [s["http"] for s in cluster.silos]
    deadline = time.time() + args.timeout
    call = 0
    while time.time() < deadline:
        port = ports[(number + call) % len(ports)]
        call += 1
        began = time.perf_counter()
        try:
            status = chaos.http_json(port, f"/api/sweeps/{sweep_id}", timeout=10)
        except Exception as e:
            out["errors"].append(f"client {number}: status failed: {e}")
            time.sleep(0.2)
            continue
        out["status_seconds"].append(time.perf_counter() - began)
        if status["state"] == "completed":
            out["completed"].append(sweep_id)
            return
        time.sleep(0.2)
    out["errors"].append(f"client {number}: {sweep_id} did not complete in {args.timeout:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--silos", type=int, default=3)
    parser.add_argument("--runs", type=int, default=400, help="runs of each client's sweep (a multiple of 80)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds each sweep may take")
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        sys.exit("clients: needs redis-server on PATH")
    work = tempfile.mkdtemp(prefix="sweeps-clients-")
    cluster = chaos.Cluster(work, args.silos)
    try:
        cluster.start_redis()
        for i in range(args.silos):
            cluster.start_silo(i)
        for i in range(args.silos):
            cluster.wait_ready(i)
        out = {"submit_seconds": [], "status_seconds": [], "errors": [], "completed": []}
        started = time.time()
        threads = [threading.Thread(target=client, args=(n, args, cluster, work, out)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - started
        memory = subprocess.run(["redis-cli", "-p", str(cluster.redis_port), "info", "memory"], capture_output=True, text=True).stdout
        used = next((line.split(":")[1].strip() for line in memory.splitlines() if line.startswith("used_memory_human:")), None)
        peak = next((line.split(":")[1].strip() for line in memory.splitlines() if line.startswith("used_memory_peak_human:")), None)
        ms = lambda seconds: None if seconds is None else round(seconds * 1000, 1)
        ok = len(out["completed"]) == args.clients and not out["errors"]
        print(json.dumps({
            "clients": args.clients, "silos": args.silos, "runs_per_sweep": max(1, args.runs // 80) * 80,
            "sweeps_completed": len(out["completed"]), "elapsed_seconds": round(elapsed, 1),
            "submit_seconds": {"p50": round(percentile(out["submit_seconds"], 50) or 0, 2), "p99": round(percentile(out["submit_seconds"], 99) or 0, 2), "max": round(max(out["submit_seconds"], default=0), 2)},
            "status_calls": len(out["status_seconds"]),
            "status_ms": {"p50": ms(percentile(out["status_seconds"], 50)), "p99": ms(percentile(out["status_seconds"], 99)), "max": ms(max(out["status_seconds"], default=None))},
            "errors": out["errors"][:10], "redis_used_memory": used, "redis_peak_memory": peak,
            "verdict": "every sweep completed, no call failed" if ok else "FAILED",
        }, indent=2))
        return 0 if ok else 1
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
