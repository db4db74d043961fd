#!/usr/bin/env python3
"""Benchmark of `inferctl watch` (release build): idle CPU and RSS with N simulated instances under
10 s health checks, and the time from `kill -9` of a server to its status file saying so.

    scripts/build-release.sh      # release build, Swift runtime linked statically
    python3 scripts/bench/watch_bench.py [--instances 50] [--idle 60] [--kills 10] [--binary PATH]

Prints a table; nothing here is a test (figures are measured, never asserted)."""
import argparse, json, os, shutil, signal, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import cpu_seconds, rss_mib, instance_status as status

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=50)
    parser.add_argument("--idle", type=float, default=60, help="seconds of idle measurement")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--binary", default=".build-release/release/inferctl")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} not found: scripts/build-release.sh")

    directory = tempfile.mkdtemp(prefix="inferctl-bench-")
    names = [f"s{i}" for i in range(args.instances)]
    with open(os.path.join(directory, "sims.yaml"), "w") as f:
        f.write("---\n".join(f"""apiVersion: inference.selfhosted/v1
kind: Instance
metadata: {{name: {n}}}
spec:
  backend: simulation
  model: {{identity: sim-model}}
  server: {{host: 127.0.0.1, port: auto}}
  health: {{interval: 10s, failureThreshold: 3}}
  restart: {{policy: OnFailure, backoff: 100ms}}
""" for n in names))
    watch = subprocess.Popen([binary, "watch", directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.monotonic()
        while not all((status(directory, n) or {}).get("phase") == "Ready" for n in names):
            if time.monotonic() - started > 300:
                sys.exit("instances did not become ready within 300 s")
            time.sleep(0.05)
        ready_after = time.monotonic() - started
        time.sleep(5)  # let the first health round pass

        cpu0, wall0 = cpu_seconds(watch.pid), time.monotonic()
        time.sleep(args.idle)
        cpu1, wall1 = cpu_seconds(watch.pid), time.monotonic()
        idle_cpu = 100 * (cpu1 - cpu0) / (wall1 - wall0)
        rss = rss_mib(watch.pid)

        latencies = []
        for i in range(args.kills):
            name = names[i % len(names)]
            before = status(directory, name)
            pid = before["pid"]
            t0 = time.monotonic()
            os.kill(pid, signal.SIGKILL)
            while True:
                now = status(directory, name)
                if now and (now.get("phase") != "Ready" or now.get("pid") != pid):
                    break
                if time.monotonic() - t0 > 30:
                    break
                time.sleep(0.001)
            latencies.append((time.monotonic() - t0) * 1000)
            while (status(directory, name) or {}).get("phase") != "Ready":
                time.sleep(0.01)
            time.sleep(0.5)

        print(f"| figure | value |")
        print(f"| --- | --- |")
        print(f"| instances | {args.instances} (health every 10 s) |")
        print(f"| all Ready after start | {ready_after:.1f} s |")
        print(f"| watch idle CPU (over {args.idle:.0f} s) | {idle_cpu:.2f} % of one core |")
        print(f"| watch RSS | {rss:.1f} MiB |")
        print(f"| kill -9 of a server -> status file says so (n={len(latencies)}) | "
              f"min {min(latencies):.1f} ms, median {statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms |")
    finally:
        watch.send_signal(signal.SIGTERM)
        watch.wait(timeout=60)
        subprocess.run([binary, "down", directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(directory, ignore_errors=True)

if __name__ == "__main__":
    main()
