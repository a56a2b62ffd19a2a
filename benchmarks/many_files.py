"""A folder of many small files (default 100,000): the walk is lazy, memory stays flat, nothing
hangs. Also a symbolic-link loop inside the folder, which is never followed.

    python benchmarks/many_files.py [--n 100000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        root = Path(tmp_name) / "many"
        for i in range(args.n):
            sub = root / f"d{i // 1000:03d}"
            if i % 1000 == 0:
                sub.mkdir(parents=True)
            (sub / f"a{i:06d}.txt").write_text(
                f"Study {i} in mice may show a benefit, researchers say. Sign up now!\n")
        (root / "loop").symlink_to(root, target_is_directory=True)
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "credscore", "score", str(root), "--format",
                               "jsonl", "-o", "/dev/null"], capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{args.n} files in {elapsed:.1f} s ({args.n / elapsed:.0f} files/s), exit "
              f"{done.returncode}, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
