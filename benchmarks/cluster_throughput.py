"""The local process pool and a local Dask cluster side by side on the same input.

Builds a JSONL corpus (default 8,000 articles of about 5 kB, about 40 MB) and runs
`credscore score CORPUS --format jsonl -o OUT` with `--jobs 2` and with `--scheduler local:2`,
in turn, --runs times each. Prints the median wall time, articles/s and MB/s of each, the
peak memory of the client process (the one the command starts, which plans the partitions and
writes the output) and of the whole process tree (client, workers, scheduler), the CPU time of
all processes (sampled from /proc every 0.2 s), the ratios of throughput and CPU time, and
checks that both wrote the same bytes. Linux only (reads /proc).

    python benchmarks/cluster_throughput.py [--n 8000] [--runs 3] [--partition-bytes N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl
from proctree import available, watch

# Runs the CLI and reports its own peak resident memory (kB) on the last line of stderr.
CLIENT = """
import resource, runpy, sys
sys.argv = ["credscore", *sys.argv[1:]]
try:
    runpy.run_module("credscore", run_name="__main__")
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def run(args: list[str]) -> tuple[float, float, float, float]:
    """Wall seconds, client peak MB, peak MB of the whole process tree and CPU seconds of all
    its processes, for one run. The tree is sampled from /proc every 0.2 s: the workers of a
    cluster are not children the client waits for, so the kernel's accounting of children
    would leave them out."""
    proc = subprocess.Popen([sys.executable, "-c", CLIENT, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    seen = watch(proc)
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"credscore {' '.join(args)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    client_kb = int(stderr.strip().splitlines()[-1])
    return seen.seconds, client_kb / 1024, seen.peak_sum_mb, seen.cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=8000, help="articles of about 5 kB")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--partition-bytes", type=int, help="passed on to the cluster run")
    args = ap.parse_args()
    if not available():
        print("skipped: needs Linux /proc to sample memory")
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus.jsonl"
        mb = write_jsonl(corpus, args.n) / 1e6
        extra = ["--partition-bytes", str(args.partition_bytes)] if args.partition_bytes else []
        modes = {
            "--jobs 2": (["--jobs", "2"], tmp / "pool.jsonl"),
            "--scheduler local:2": (["--scheduler", "local:2", *extra], tmp / "cluster.jsonl"),
        }
        figures: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in modes}
        for _ in range(args.runs):
            for name, (options, out) in modes.items():
                figures[name].append(run(["score", str(corpus), "--format", "jsonl",
                                           "-o", str(out), *options]))
        same = (tmp / "pool.jsonl").read_bytes() == (tmp / "cluster.jsonl").read_bytes()
        print(f"{args.n} articles, {mb:.1f} MB of JSONL, median of {args.runs} runs each")
        walls, cpus = {}, {}
        for name, runs in figures.items():
            wall = walls[name] = statistics.median(r[0] for r in runs)
            cpu = cpus[name] = statistics.median(r[3] for r in runs)
            print(f"{name:20} {wall:6.1f} s | {args.n / wall:5.0f} art/s {mb / wall:5.2f} MB/s | "
                  f"client peak {statistics.median(r[1] for r in runs):5.0f} MB | all processes "
                  f"peak {statistics.median(r[2] for r in runs):5.0f} MB | CPU, all processes "
                  f"{cpu:5.1f} s ({mb / cpu:4.2f} MB per CPU-second)")
        # CPU time is steadier than wall time on a shared machine: its ratio is the cluster's
        # cost in work, whatever else the machine was doing.
        pool, dask = "--jobs 2", "--scheduler local:2"
        print(f"cluster / pool: throughput {walls[pool] / walls[dask]:.2f}, CPU time "
              f"{cpus[dask] / cpus[pool]:.2f}; same output: {same}")


if __name__ == "__main__":
    main()
