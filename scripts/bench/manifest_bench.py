#!/usr/bin/env python3
"""Benchmark of `inferctl validate` and `inferctl plan` on large manifest directories (release build).

For each size N it writes N simulation instances and N consumers (each bound to one instance by
name, every tenth by label selector) twice into a temporary folder: one file per manifest
(`files`), and all 2N documents in one multi-document file (`one-file`). Then it times each command
several times and prints a markdown table of the minimum and median wall time.

    scripts/build-release.sh      # release build, Swift runtime linked statically
    python3 scripts/bench/manifest_bench.py [--sizes 100,1000,10000,50000] [--runs 5]
        [--layouts files,one-file] [--binary PATH] [--output BENCHMARKS.md]

`--output FILE` also writes the table into FILE under the heading "## Manifest scale (validate, plan)",
replacing that section when it is already there. Figures are measured, never asserted."""
import argparse, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time

SECTION = "## Manifest scale (validate, plan)"


def instance_doc(i):
    return f"""apiVersion: inference.selfhosted/v1
kind: Instance
metadata:
  name: inst-{i}
  labels: {{group: g{i}, tier: small}}
spec:
  backend: simulation
  model: {{identity: sim-{i}}}
  server: {{port: auto, ctxSize: 2048}}
  readiness: {{timeout: 30s}}
  restart: {{policy: OnFailure}}
"""


def consumer_doc(i):
    binding = f"selector: {{group: g{i}}}" if i % 10 == 0 else f"instance: inst-{i}"
    return f"""apiVersion: inference.selfhosted/v1
kind: Consumer
metadata: {{name: cons-{i}}}
spec:
  {binding}
  acceptedProtocols: [openai_chat_completions]
  requiredCapabilities: {{streaming: true}}
"""


def write_files(directory, n):
    for i in range(n):
        with open(os.path.join(directory, f"inst-{i}.instance.yaml"), "w") as f:
            f.write(instance_doc(i))
        with open(os.path.join(directory, f"cons-{i}.consumer.yaml"), "w") as f:
            f.write(consumer_doc(i))


def write_one_file(directory, n):
    with open(os.path.join(directory, "all.yaml"), "w") as f:
        for i in range(n):
            f.write("---\n" + instance_doc(i))
        for i in range(n):
            f.write("---\n" + consumer_doc(i))


LAYOUTS = {"files": write_files, "one-file": write_one_file}


def time_command(argv, runs):
    """Wall times in milliseconds; a failing run stops the benchmark (the input is meant to be valid)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return times


def fmt(ms):
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def write_section(path, body):
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    section = f"{SECTION}\n\n{body}"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text.rstrip("\n") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000,50000", help="instances (and as many consumers) per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--layouts", default="files,one-file", help=", ".join(LAYOUTS))
    parser.add_argument("--binary", default=".build-release/release/inferctl")
    parser.add_argument("--output", help="markdown file to write the table into (its own section)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} not found: scripts/build-release.sh")
    sizes = [int(s) for s in args.sizes.split(",")]
    layouts = args.layouts.split(",")
    for layout in layouts:
        if layout not in LAYOUTS:
            sys.exit(f"unknown layout {layout}: one of {', '.join(LAYOUTS)}")

    rows = ["| instances + consumers | layout | validate min | validate median | plan min | plan median |",
            "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for n in sizes:
        for layout in layouts:
            directory = tempfile.mkdtemp(prefix=f"inferctl-manifest-bench-{n}-")
            try:
                LAYOUTS[layout](directory, n)
                validate = time_command([binary, "validate", directory], args.runs)
                plan = time_command([binary, "plan", directory], args.runs)
            finally:
                shutil.rmtree(directory, ignore_errors=True)
            row = (f"| {n:,} + {n:,} | {layout} | {fmt(min(validate))} | {fmt(statistics.median(validate))} "
                   f"| {fmt(min(plan))} | {fmt(statistics.median(plan))} |")
            rows.append(row)
            print(row if len(rows) > 3 else "\n".join(rows), flush=True)
    table = "\n".join(rows)
    note = (f"{args.runs} runs each, wall time of the whole command, release build, "
            f"{os.cpu_count()} cores ({platform.machine()}), {time.strftime('%Y-%m-%d')}. "
            "`files`: one file per manifest; `one-file`: every document in one file. "
            "`plan` has no state folder, so every instance is planned as a spawn.\n")
    if args.output:
        write_section(args.output, note + "\n" + table + "\n")
        print(f"written to {args.output}")


if __name__ == "__main__":
    main()
