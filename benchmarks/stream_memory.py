"""Memory while streaming a large JSONL file: `credscore score BIG.jsonl --format jsonl`.

Builds a JSONL corpus of about --gb gigabytes (articles of about 5 kB), runs the CLI with
--jobs workers writing JSONL to a file, and samples the resident memory of the whole process
tree (the main process and every worker, summed) from /proc every 0.2 s. Prints the peak of
that sum, the peak of any one process, throughput, and checks that every line was scored in
input order. Linux only (reads /proc).

    python benchmarks/stream_memory.py [--gb 1.0] [--jobs 2] [--keep PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl
from proctree import available, watch


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gb", type=float, default=1.0, help="corpus size in gigabytes")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="reuse or keep the corpus at this path")
    args = ap.parse_args()
    if not available():
        print("skipped: needs Linux /proc to sample memory")
        return 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = args.keep or tmp / "big.jsonl"
        n = int(args.gb * 1e9 / 5100)
        if not corpus.exists():
            t0 = time.perf_counter()
            write_jsonl(corpus, n)
            print(f"built {corpus.stat().st_size / 1e9:.2f} GB ({n} articles) in "
                  f"{time.perf_counter() - t0:.0f} s")
        size = corpus.stat().st_size
        n = sum(1 for _ in corpus.open("rb"))
        out = tmp / "scores.jsonl"
        proc = subprocess.Popen([sys.executable, "-m", "credscore", "score", str(corpus),
                                 "--format", "jsonl", "--jobs", str(args.jobs), "-o", str(out)])
        seen = watch(proc)
        elapsed, peak_sum, peak_one = seen.seconds, seen.peak_sum_mb, seen.peak_one_mb
        if proc.returncode != 0:
            print(f"credscore exited with {proc.returncode}")
            return 1
        ids = [json.loads(line)["id"] for line in out.open(encoding="utf-8")]
        in_order = ids == sorted(ids)
        print(f"{size / 1e9:.2f} GB, {n} articles, {args.jobs} jobs: {elapsed:.0f} s, "
              f"{n / elapsed:.0f} art/s, {size / 1e6 / elapsed:.2f} MB/s")
        print(f"peak resident memory: {peak_sum:.0f} MB for the whole process tree, "
              f"{peak_one:.0f} MB for the largest process")
        print(f"{len(ids)} results, {'in input order' if in_order else 'OUT OF ORDER'}")
        return 0 if in_order and len(ids) == n else 1


if __name__ == "__main__":
    sys.exit(main())
