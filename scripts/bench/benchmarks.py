#!/usr/bin/env python3
"""The benchmark harness: every figure we publish, measured on the release build, printed as a
table and written to BENCHMARKS.md with the machine, date and commit, targets beside them.

    scripts/build-release.sh      # release build, Swift runtime linked statically
    python3 scripts/bench/benchmarks.py [--quick] [--only readiness,apply,watch,cli,manifests] [--output BENCHMARKS.md]

A real llama-server is measured too when INFERCTL_LLAMA_SERVER and INFERCTL_TEST_MODEL name one
(scripts/fetch-real-backends.sh). Nothing here is a test: figures are measured, never asserted.
Run it on an otherwise idle machine: every figure is a wall-clock time."""
import argparse, datetime, os, platform, selectors, shutil, signal, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b

class Harness:
    def __init__(self, args):
        self.args = args
        self.inferctl = os.path.abspath(args.binary)
        self.sim = os.path.join(os.path.dirname(self.inferctl), "inference-sim")
        for path in (self.inferctl, self.sim):
            if not os.access(path, os.X_OK):
                sys.exit(f"{path} not found: build the release products first (see this script's docstring)")
        self.rows = []  # (section, figure, value, target)

    def row(self, section, figure, value, target=""):
        self.rows.append((section, figure, value, target))
        print(f"  {figure}: {value}" + (f"   (target {target})" if target else ""), flush=True)

    def scratch(self, label):
        return tempfile.mkdtemp(prefix=f"inferctl-bench-{label}-")

    def down(self, directory):
        b.run([self.inferctl, "down", directory])
        shutil.rmtree(directory, ignore_errors=True)

    # MARK: readiness overhead

    def readiness(self):
        print("readiness overhead", flush=True)
        runs = 5 if self.args.quick else 20
        direct = [self.direct_start(lambda port: [self.sim, "--port", str(port), "--load-delay", "300ms"]) for _ in range(runs)]
        self.row("readiness", "inference-sim launched directly: launch -> first 200 (load delay 300 ms)", b.summary_ms(direct))
        instance, consumer = self.overheads(lambda name, port: b.sim_instance(name, port=port, load_delay="300ms"), runs)
        self.row("readiness", "inference-sim: first 200 -> instance status Ready", b.summary_ms(instance))
        self.row("readiness", "inference-sim: first 200 -> consumer status Ready", b.summary_ms(consumer), "median <= 5 ms")
        server, model = os.environ.get("INFERCTL_LLAMA_SERVER"), os.environ.get("INFERCTL_TEST_MODEL")
        if not (server and model):
            self.row("readiness", "llama-server", "not measured: set INFERCTL_LLAMA_SERVER and INFERCTL_TEST_MODEL")
            return
        direct = [self.direct_start(lambda port: [server, "-m", model, "--host", "127.0.0.1", "--port", str(port),
                                                  "-c", "512", "-t", "2"]) for _ in range(runs)]
        self.row("readiness", "llama-server launched directly: launch -> first 200", b.summary_ms(direct))
        def llama(name, port):
            return f"""apiVersion: inference.selfhosted/v1
kind: Instance
metadata: {{name: {name}}}
spec:
  backend: llama_cpp
  model: {{path: {model}, identity: gemma}}
  server: {{host: 127.0.0.1, port: {port}, ctxSize: 512, threads: 2, binary: {server}}}
"""
        instance, consumer = self.overheads(llama, runs)
        self.row("readiness", "llama-server: first 200 -> instance status Ready", b.summary_ms(instance))
        self.row("readiness", "llama-server: first 200 -> consumer status Ready", b.summary_ms(consumer), "median <= 5 ms")

    def direct_start(self, command):
        port = b.free_port()
        start = time.monotonic()
        process = subprocess.Popen(command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            b.wait_until(lambda: b.http_ok(port), 120)
            return time.monotonic() - start
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    def direct_burst(self, count):
        """`count` simulators (what `apply` spawns for the bench's instances) started at once, timed until
        the last prints `listening on` (its model loaded, answering 200): what the backends cost alone."""
        start = time.monotonic()
        processes = [subprocess.Popen([self.inferctl, "sim", "--host", "127.0.0.1", "--port", str(b.free_port()),
                                       "--model-id", "sim-model", "--load-delay", "200ms"],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(count)]
        try:
            waiting = selectors.DefaultSelector()
            for process in processes:
                waiting.register(process.stdout, selectors.EVENT_READ, bytearray())
            while waiting.get_map():
                for key, _ in waiting.select(timeout=60):
                    chunk = os.read(key.fileobj.fileno(), 4096)
                    key.data.extend(chunk)
                    if b"listening on" in key.data or not chunk:
                        waiting.unregister(key.fileobj)
            return time.monotonic() - start
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
                process.stdout.close()

    def overheads(self, instance_yaml, runs):
        """First 200 seen by an independent 1 ms poller -> each status file saying Ready."""
        to_instance, to_consumer = [], []
        for _ in range(runs):
            directory = self.scratch("ready")
            port = b.free_port()
            b.write(directory, "m.yaml", [instance_yaml("m", port), b.consumer("c", "m")])
            apply = subprocess.Popen([self.inferctl, "apply", directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            first = ready = consumer_ready = None
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and consumer_ready is None:
                now = time.monotonic()
                if first is None and b.http_ok(port):
                    first = now
                if ready is None and (b.instance_status(directory, "m") or {}).get("phase") == "Ready":
                    ready = now
                if consumer_ready is None and (b.consumer_status(directory, "c") or {}).get("ready"):
                    consumer_ready = now
                time.sleep(0.0005)
            apply.wait(timeout=120)
            if None not in (first, ready, consumer_ready):
                to_instance.append(max(0.0, ready - first))
                to_consumer.append(max(0.0, consumer_ready - first))
            self.down(directory)
        return to_instance, to_consumer

    # MARK: apply, no-op apply, down

    def apply(self):
        print("apply of 200 simulated instances", flush=True)
        count = 200
        directory = self.scratch("apply")
        b.write(directory, "sims.yaml", [b.sim_instance(f"s{i}", load_delay="200ms") for i in range(count)])
        fresh, status = b.timed([self.inferctl, "apply", directory])
        self.row("apply", f"fresh apply of {count} (load delay 0.2 s each)", f"{fresh:.2f} s (exit {status})", "<= 1.2 s")
        self.row("apply", f"the same {count} simulators launched directly, all at once: launch -> the last one listening",
                 f"{self.direct_burst(count):.2f} s (the floor this machine sets, with no controller)")
        noop = []
        written = 0
        for _ in range(3 if self.args.quick else 10):
            before = b.files_snapshot(directory)
            elapsed, _ = b.timed([self.inferctl, "apply", directory])
            after = b.files_snapshot(directory)
            # The servers' own log lines (health probes) and the lock's holder line are not our state.
            ours = [path for path, stamp in after.items() if before.get(path) != stamp
                    and "/.inferctl/logs/" not in path and not path.endswith("/.inferctl/lock")]
            written = max(written, len(ours))
            noop.append(elapsed)
        self.row("apply", f"no-op apply over {count} adopted", b.summary_ms(noop) + f"; files written: {written} (server logs and the lock excluded)",
                 "<= 150 ms, no file written")
        elapsed, _ = b.timed([self.inferctl, "down", directory])
        self.row("apply", f"down of {count}", f"{elapsed:.2f} s")
        shutil.rmtree(directory, ignore_errors=True)

    # MARK: watch

    def watch(self):
        print("watch", flush=True)
        count = 50
        directory = self.scratch("watch")
        names = [f"s{i}" for i in range(count)]
        b.write(directory, "sims.yaml", [b.sim_instance(n) for n in names])
        # A short drain: each edit is a Surge rollout, and the next one waits for the old revision to go.
        drain = "  stop: {gracePeriod: 1s}\n"
        b.write(directory, "edited.yaml", [b.sim_instance("edited", extra=drain)])
        watch = subprocess.Popen([self.inferctl, "watch", directory], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            all_ready = lambda: all((b.instance_status(directory, n) or {}).get("phase") == "Ready" for n in names + ["edited"])
            if not b.wait_until(all_ready, 300, 0.05):
                sys.exit("instances did not become ready under watch within 300 s")
            time.sleep(5)  # the first health round
            idle = 20 if self.args.quick else 60
            cpu0, wall0 = b.cpu_seconds(watch.pid), time.monotonic()
            time.sleep(idle)
            cpu = 100 * (b.cpu_seconds(watch.pid) - cpu0) / (time.monotonic() - wall0)
            self.row("watch", f"idle CPU, {count} instances, health every 10 s (over {idle} s)", f"{cpu:.2f} % of one core", "<= 0.5 %")
            self.row("watch", "RSS", f"{b.rss_mib(watch.pid):.1f} MiB", "<= 40 MB")

            kills = []
            for i in range(5 if self.args.quick else 10):
                name = names[i]
                pid = b.instance_status(directory, name)["pid"]
                start = time.monotonic()
                os.kill(pid, signal.SIGKILL)
                said = lambda: (lambda s: s and (s.get("phase") != "Ready" or s.get("pid") != pid))(b.instance_status(directory, name))
                if b.wait_until(said, 30):
                    kills.append(time.monotonic() - start)
                b.wait_until(lambda: (b.instance_status(directory, name) or {}).get("phase") == "Ready", 60, 0.01)
            self.row("watch", "kill -9 of a server -> its status file says so", b.summary_ms(kills))

            edits = []
            for round in range(3 if self.args.quick else 10):
                old = b.instance_status(directory, "edited")["pid"]
                start = time.monotonic()
                b.write(directory, "edited.yaml", [b.sim_instance("edited", extra=drain + f"  # edit {round}\n").replace(
                    "model: {identity: sim-model}", f"model: {{identity: sim-model-{round}}}")])
                replaced = lambda: (lambda s: s and s.get("phase") == "Ready" and s.get("pid") != old)(b.instance_status(directory, "edited"))
                if b.wait_until(replaced, 60):
                    edits.append(time.monotonic() - start)
                # Not timed: the old revision drains and stops before the next edit.
                record = os.path.join(directory, ".inferctl", "instances", "edited.json")
                b.wait_until(lambda: (lambda r: r is not None and not r.get("retiring") and not r.get("surge"))(b.read_json(record)), 60, 0.05)
            backend = statistics.median([self.direct_start(lambda port: [self.sim, "--port", str(port)]) for _ in range(5)])
            self.row("watch", "manifest edit -> new revision serving (Surge switch; debounce 200 ms included)",
                     b.summary_ms(edits) + f"; minus the backend's own start ({backend * 1000:.1f} ms): "
                     f"{(statistics.median(edits) - backend) * 1000:.1f} ms")
        finally:
            watch.send_signal(signal.SIGTERM)
            watch.wait(timeout=60)
            self.down(directory)

    # MARK: CLI start

    def cli(self):
        print("CLI start", flush=True)
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        runs = 5 if self.args.quick else 20
        helps = [b.timed([self.inferctl, "--help"])[0] for _ in range(runs)]
        self.row("cli", "inferctl --help", b.summary_ms(helps))
        validates = [b.timed([self.inferctl, "validate", os.path.join(repo, "manifests")])[0] for _ in range(runs)]
        self.row("cli", "inferctl validate (the default manifests/)", b.summary_ms(validates))

    # MARK: manifests (scripts/bench/manifest_bench.py, when present)

    def manifests(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifest_bench.py")
        if not os.path.exists(script):
            self.row("manifests", "validate and plan at scale", "not measured: scripts/bench/manifest_bench.py is missing")
            return
        print("manifests at scale (manifest_bench.py)", flush=True)
        result = subprocess.run([sys.executable, script, "--binary", self.inferctl]
                                + (["--sizes", "100,1000,10000", "--runs", "2"] if self.args.quick else []),
                                capture_output=True, text=True)
        print(result.stdout, flush=True)
        self.manifest_table = result.stdout if result.returncode == 0 else f"manifest_bench.py failed:\n{result.stderr}"

    # MARK: report

    def report(self, path):
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
        lines = ["# Benchmarks", "",
                 f"Measured by `python3 scripts/bench/benchmarks.py{' --quick' if self.args.quick else ''}` on the release build "
                 "(`scripts/build-release.sh`: Swift runtime and Foundation linked statically).", "",
                 f"- machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}",
                 f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
                 f"- commit: {commit}", ""]
        for section in dict.fromkeys(row[0] for row in self.rows):
            lines += [f"## {section}", "", "| figure | value | target |", "| --- | --- | --- |"]
            lines += [f"| {figure} | {value} | {target} |" for s, figure, value, target in self.rows if s == section]
            lines.append("")
        if getattr(self, "manifest_table", None):
            lines += ["## manifests at scale", "", self.manifest_table.strip(), ""]
        with open(path, "w") as f:
            f.write("\n".join(lines))
        print(f"wrote {path}")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build-release/release/inferctl")
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test of the harness)")
    parser.add_argument("--only", default="readiness,apply,watch,cli,manifests")
    parser.add_argument("--output", default="BENCHMARKS.md")
    args = parser.parse_args()
    harness = Harness(args)
    for section in args.only.split(","):
        getattr(harness, section.strip())()
    harness.report(args.output)

if __name__ == "__main__":
    main()
