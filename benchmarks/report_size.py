"""Size and opening time of the HTML report for many articles.

Builds N synthetic articles from the seeds, writes the report (its size, time and peak memory),
and times headless Chromium loading it and taking a screenshot (the page fully laid out).
Skips the browser part when Chromium is not installed.

    python benchmarks/report_size.py [--n 1000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_folder


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        write_folder(tmp / "articles", args.n)
        report = tmp / "report.html"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "credscore", "report", str(tmp / "articles"), "-o",
                        str(report)], check=True, capture_output=True)
        made = time.perf_counter() - t0
        size = report.stat().st_size / 1e6
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
        print(f"report of {args.n} articles: {size:.1f} MB, written in {made:.1f} s, "
              f"peak memory {peak:.0f} MB")
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            print("chromium not installed: opening time not measured")
            return 0
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={tmp / 'profile'}", "--window-size=1280,1000"]
        subprocess.run([browser, *flags, f"--screenshot={tmp / 'warm.png'}", "about:blank"],
                       capture_output=True)  # start-up cost measured apart
        t0 = time.perf_counter()
        subprocess.run([browser, *flags, "about:blank", f"--screenshot={tmp / 'blank.png'}"],
                       capture_output=True)
        blank = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([browser, *flags, f"--screenshot={tmp / 'shot.png'}", report.as_uri()],
                       capture_output=True, check=True)
        loaded = time.perf_counter() - t0
        print(f"chromium: blank page {blank:.1f} s, report loaded and rendered {loaded:.1f} s "
              f"(so about {loaded - blank:.1f} s for the report itself)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
