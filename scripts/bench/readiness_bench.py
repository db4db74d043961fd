#!/usr/bin/env python3
"""Benchmark of `inferctl apply` while it waits for readiness: how often its threads wake
(context switches per second) and how much CPU it uses while N simulated servers load, and how
long after a server becomes ready its status file says so.

    swift build --product inferctl            # or a release build, then --binary PATH
    python3 scripts/bench/readiness_bench.py [--instances 1] [--load-delay 3] [--runs 5] [--binary PATH]

Each run: a fresh directory of N `simulation` instances with `--load-delay`, `inferctl apply`, then
`down`. The wait window is from the first server's "loading model" log line to the last one's
"model loaded"; the notice latency is from a server's "model loaded" line to its status file
saying Ready (both seen by polling every 1 ms here, so figures carry about 1 ms of that).
Prints a table; nothing here is a test (figures are measured, never asserted)."""
import argparse, glob, json, os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import cpu_seconds

def context_switches(pid):
    """Voluntary + involuntary switches of every thread: each is a wake-up (or a preemption)."""
    total = 0
    for status in glob.glob(f"/proc/{pid}/task/*/status"):
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total

def log_has(path, text):
    try:
        with open(path, errors="replace") as f:
            return text in f.read()
    except OSError:
        return False

def phase(directory, name):
    try:
        with open(os.path.join(directory, f"{name}.instance.status.json")) as f:
            return json.load(f).get("phase")
    except (OSError, ValueError):
        return None

def one_run(binary, instances, load_delay):
    directory = tempfile.mkdtemp(prefix="inferctl-readiness-")
    names = [f"s{i}" for i in range(instances)]
    with open(os.path.join(directory, "sims.yaml"), "w") as f:
        f.write("---\n".join(f"""apiVersion: inference.selfhosted/v1
kind: Instance
metadata: {{name: {n}}}
spec:
  backend: simulation
  model: {{identity: sim-model}}
  server: {{host: 127.0.0.1, port: auto, extraArgs: [--load-delay, {load_delay}s]}}
""" for n in names))
    logs = {n: os.path.join(directory, ".inferctl", "logs", f"{n}.log") for n in names}
    apply = subprocess.Popen([binary, "apply", directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        loading, loaded, ready = {}, {}, {}
        window = {}
        deadline = time.monotonic() + load_delay + 60
        while len(ready) < len(names) and time.monotonic() < deadline:
            now = time.monotonic()
            for n in names:
                if n not in loading and log_has(logs[n], "loading model"):
                    loading[n] = now
                    if len(loading) == 1:
                        window["start"] = (now, context_switches(apply.pid), cpu_seconds(apply.pid))
                if n in loading and n not in loaded and log_has(logs[n], "model loaded"):
                    loaded[n] = now
                    if len(loaded) == len(names):
                        window["end"] = (now, context_switches(apply.pid), cpu_seconds(apply.pid))
                if n in loaded and n not in ready and phase(directory, n) == "Ready":
                    ready[n] = now
            time.sleep(0.001)
        apply.wait(timeout=60)
        if "start" not in window or "end" not in window or len(ready) < len(names):
            sys.exit(f"run did not complete: loading {len(loading)}, loaded {len(loaded)}, ready {len(ready)}")
        (t0, s0, c0), (t1, s1, c1) = window["start"], window["end"]
        return {
            "wakeups_per_s": (s1 - s0) / (t1 - t0),
            "cpu_percent": 100 * (c1 - c0) / (t1 - t0),
            "latencies_ms": [(ready[n] - loaded[n]) * 1000 for n in names],
        }
    finally:
        if apply.poll() is None:
            apply.kill()
        subprocess.run([binary, "down", directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(directory, ignore_errors=True)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--load-delay", type=float, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", default=".build/debug/inferctl")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} not found: swift build --product inferctl")
    runs = [one_run(binary, args.instances, args.load_delay) for _ in range(args.runs)]
    latencies = [l for run in runs for l in run["latencies_ms"]]
    wakeups = [run["wakeups_per_s"] for run in runs]
    cpu = [run["cpu_percent"] for run in runs]
    print(f"| figure ({args.instances} instance(s), load delay {args.load_delay:g} s, {args.runs} runs) | value |")
    print("| --- | --- |")
    print(f"| apply's context switches per second while waiting | median {statistics.median(wakeups):.0f} "
          f"(min {min(wakeups):.0f}, max {max(wakeups):.0f}) |")
    print(f"| apply's CPU while waiting | median {statistics.median(cpu):.1f} % of one core |")
    print(f"| model loaded -> status file Ready (n={len(latencies)}) | min {min(latencies):.1f} ms, "
          f"median {statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms |")

if __name__ == "__main__":
    main()
