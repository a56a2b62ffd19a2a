"""Memory and speed while reading a large web archive: `credscore score BIG.warc.gz --format jsonl`.

Builds a gzipped WARC of about --gb gigabytes the way a crawl looks (request and response
records; most responses images, which are skipped, one in --every an HTML article), then:
1. reads it with credscore's archive reader alone (no scoring): MB/s and records/s, which is
   warcio's speed plus the HTTP header checks;
2. scores it with `credscore score ARCHIVE --format jsonl --jobs N`, sampling the resident
   memory of the whole process tree every 0.2 s: peak of the sum, peak of any one process.
Linux only (reads /proc).

    python benchmarks/warc_memory.py [--gb 1.0] [--every 50] [--jobs 2] [--keep PATH]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import html_page, text_articles
from proctree import available, watch
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from credscore.read.warc import SkippedRecords, archive_tasks


def build(path: Path, gb: float, every: int) -> tuple[int, int]:
    """Write the archive; returns (records, articles)."""
    image = os.urandom(256 * 1024)  # incompressible, as images are
    articles = text_articles(10**9)
    records = pages = 0
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        while out.tell() < gb * 1e9:
            uri = f"https://news.example.org/item/{records}"
            request = StatusAndHeaders(f"GET /item/{records} HTTP/1.1", [("Host", "news.example.org")],
                                       is_http_request=True)
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            if records % every == 0:
                body, ctype = html_page(next(articles), records).encode("utf-8"), "text/html"
                pages += 1
            else:
                body, ctype = image, "image/jpeg"
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype),
                                               ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=http))
            records += 2
    return records, pages


def score(archive: Path, jobs: int, out: Path) -> tuple[float, float, float]:
    """Seconds, peak MB of the process tree (summed) and of its largest process."""
    proc = subprocess.Popen([sys.executable, "-m", "credscore", "score", str(archive), "--format",
                             "jsonl", "--jobs", str(jobs), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = watch(proc)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"credscore failed with exit code {proc.returncode}")
    return seen.seconds, seen.peak_sum_mb, seen.peak_one_mb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gb", type=float, default=1.0, help="archive size in gigabytes (gzipped)")
    ap.add_argument("--every", type=int, default=50, help="one response in this many is an article")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="reuse or keep the archive at this path")
    args = ap.parse_args()
    if not available():
        print("skipped: needs Linux /proc to sample memory")
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        archive = args.keep or Path(tmp_name) / "crawl.warc.gz"
        if not archive.exists():
            records, pages = build(archive, args.gb, args.every)
            print(f"built {archive.stat().st_size / 1e9:.2f} GB: {records} records, {pages} articles")
        size_mb = archive.stat().st_size / 1e6
        t0 = time.perf_counter()
        skipped = SkippedRecords()
        tasks = sum(1 for _ in archive_tasks(archive, skipped=skipped))
        read_s = time.perf_counter() - t0
        other = sum(sum(kinds.values()) for kinds in skipped.counts.values())
        print(f"reading alone: {read_s:.1f} s, {size_mb / read_s:.1f} MB/s of archive, "
              f"{(tasks + other) / read_s:.0f} records/s ({tasks} articles, {other} skipped)")
        out = Path(tmp_name) / "scores.jsonl"
        seconds, peak_sum, peak_one = score(archive, args.jobs, out)
        lines = sum(1 for _ in out.open("rb"))
        print(f"scoring with --jobs {args.jobs}: {seconds:.1f} s, {lines} articles scored "
              f"({lines / seconds:.0f}/s), {size_mb / seconds:.1f} MB/s of archive | peak memory: "
              f"all processes {peak_sum:.0f} MB, largest process {peak_one:.0f} MB")


if __name__ == "__main__":
    main()
