"""End-to-end throughput: read, parse, score and write JSONL with the default rubric.

Builds a corpus (default 20,000 articles of about 5 kB, about 100 MB) as JSONL and as a folder
of files, for text and HTML input, and runs `credscore score ... --format jsonl` with 1 and 2
jobs. Prints articles/s, MB/s, MB/s per core, the speed-up from 1 to 2 jobs, and peak memory.

    python benchmarks/throughput.py [--n 20000] [--html-n 2000] [--skip-folder]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_folder, write_jsonl


def run(target: Path, jobs: int) -> tuple[float, float, float]:
    """Seconds, CPU seconds (all processes) and peak resident memory (MB, the largest process)
    of one scoring run in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "credscore", "score", str(target), "--format", "jsonl",
                    "--jobs", str(jobs), "-o", "/dev/null"], check=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024


def report(label: str, n: int, mb: float, target: Path) -> None:
    one, cpu1, mem1 = run(target, 1)
    two, cpu2, mem2 = run(target, 2)
    print(f"{label:22} {n:6d} articles {mb:6.1f} MB | 1 job: {n / one:7.0f} art/s "
          f"{mb / one:5.2f} MB/s | 2 jobs: {n / two:7.0f} art/s {mb / two:5.2f} MB/s "
          f"({mb / two / 2:5.2f} MB/s/core) | speed-up x{one / two:.2f} | peak RSS {max(mem1, mem2):.0f} MB")
    # CPU time is steadier than wall time on a shared host: MB per CPU-second is the per-core
    # speed when the core is not shared.
    print(f"{'':22} CPU time: 1 job {cpu1:6.1f} s ({mb / cpu1:5.2f} MB per CPU-second) | "
          f"2 jobs {cpu2:6.1f} s ({mb / cpu2:5.2f} MB per CPU-second)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=20000, help="text articles")
    ap.add_argument("--html-n", type=int, default=2000, help="HTML articles")
    ap.add_argument("--skip-folder", action="store_true", help="only JSONL input")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        mb = write_jsonl(tmp / "text.jsonl", args.n) / 1e6
        report("text, JSONL", args.n, mb, tmp / "text.jsonl")
        if not args.skip_folder:
            mb = write_folder(tmp / "text", args.n) / 1e6
            report("text, folder of files", args.n, mb, tmp / "text")
        mb = write_jsonl(tmp / "html.jsonl", args.html_n, fmt="html") / 1e6
        report("HTML, JSONL", args.html_n, mb, tmp / "html.jsonl")
        if not args.skip_folder:
            mb = write_folder(tmp / "html", args.html_n, fmt="html") / 1e6
            report("HTML, folder of files", args.html_n, mb, tmp / "html")


if __name__ == "__main__":
    main()
