"""Shared pieces of the benchmark scripts: /proc readings, status files, manifests, timing."""
import json, os, socket, statistics, subprocess, time

def ticks_per_second():
    return os.sysconf(os.sysconf_names["SC_CLK_TCK"])

def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks_per_second()  # utime + stime
    except OSError:
        return float("nan")

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")

def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None

def instance_status(directory, name):
    return read_json(os.path.join(directory, f"{name}.instance.status.json"))

def consumer_status(directory, name):
    return read_json(os.path.join(directory, f"{name}.consumer.status.json"))

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def sim_instance(name, port="auto", load_delay=None, health="10s", extra=""):
    args = f'["--load-delay", "{load_delay}"]' if load_delay else "[]"
    return f"""apiVersion: inference.selfhosted/v1
kind: Instance
metadata: {{name: {name}}}
spec:
  backend: simulation
  model: {{identity: sim-model}}
  server: {{host: 127.0.0.1, port: {port}, extraArgs: {args}}}
  health: {{interval: {health}, failureThreshold: 3}}
  restart: {{policy: OnFailure, backoff: 100ms}}
{extra}"""

def consumer(name, instance):
    return f"""apiVersion: inference.selfhosted/v1
kind: Consumer
metadata: {{name: {name}}}
spec:
  instance: {instance}
"""

def write(directory, file, documents):
    with open(os.path.join(directory, file), "w") as f:
        f.write("---\n".join(documents))

def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)

def timed(command):
    start = time.perf_counter()
    result = run(command)
    return time.perf_counter() - start, result.returncode

def wait_until(predicate, timeout, interval=0.001):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None

def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

def summary_ms(values):
    """`median 3.1 ms, p95 4.0, min 2.2, max 5.3 (n=20)`"""
    values_ms = [v * 1000 for v in values]
    return (f"median {statistics.median(values_ms):.1f} ms, p95 {percentile(values_ms, 0.95):.1f}, "
            f"min {min(values_ms):.1f}, max {max(values_ms):.1f} (n={len(values_ms)})")

def files_snapshot(directory):
    """(inode, mtime) of every file below `directory`: what a pass wrote shows as a change."""
    snapshot = {}
    for root, _, files in os.walk(directory):
        for name in files:
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
                snapshot[path] = (info.st_ino, info.st_mtime_ns)
            except OSError:
                pass
    return snapshot

def http_ok(port, path="/health"):
    """True when the server answers 200 now (one short HTTP/1.0 request, no library in the way)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
            first = s.recv(64).split(b"\r\n", 1)[0]
            return first.startswith(b"HTTP/1.") and first.split(b" ")[1:2] == [b"200"]
    except (OSError, IndexError):
        return False
