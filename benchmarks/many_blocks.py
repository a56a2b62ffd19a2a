"""Cost per MB of one document made of very many short blocks: it should stay flat in their number.

Two kinds of document, each at several sizes, scored by the CLI in one process (``--jobs 1``,
``--format jsonl``): an HTML page of N ``<p>`` paragraphs of a few words (about 20 bytes of HTML
each) and a text file of N short lines in one paragraph, each a block (about 10 bytes each).
The words are cut from the seed articles' sentences. For each, the CPU seconds per MB of input
(start-up included: about a second), the peak resident memory and its ratio to the input are
printed. Linux and macOS (reads the child's resource usage).

    python benchmarks/many_blocks.py [--html 10000,50000,100000,300000]
        [--text 25000,100000,300000,800000]
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import paragraphs


def snippets(n: int, chars: int, seed: int = 7) -> list[str]:
    """``n`` pieces of the seeds' sentences, each cut at a space to at most ``chars``."""
    sentences = [s for p in paragraphs() for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 3]
    rnd = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        s = rnd.choice(sentences)
        cut = s.rfind(" ", 0, chars + 1) if len(s) > chars else len(s)
        out.append(s[: cut if cut > 3 else chars])
    return out


def write_html(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("<html><head><title>Many paragraphs</title></head><body><article>\n")
        handle.writelines(f"<p>{html.escape(s)}</p>\n" for s in snippets(n, 14))
        handle.write("</article></body></html>\n")


def write_text(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Many lines\n\n")
        handle.writelines(f"{s}\n" for s in snippets(n, 10))


def measure(path: Path) -> tuple[float, float]:
    """CPU seconds and peak resident memory in MB of scoring ``path``."""
    proc = subprocess.Popen([sys.executable, "-m", "credscore", "score", str(path), "-f", "jsonl",
                             "--jobs", "1", "-o", os.devnull],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        print(f"  {path.name}: exit {os.waitstatus_to_exitcode(status)}")
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    return usage.ru_utime + usage.ru_stime, peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--html", default="10000,50000,100000,300000", help="paragraph counts")
    ap.add_argument("--text", default="25000,100000,300000,800000", help="line counts")
    args = ap.parse_args()
    cases = [("html", int(n), write_html) for n in args.html.split(",") if n] + \
            [("text", int(n), write_text) for n in args.text.split(",") if n]
    with tempfile.TemporaryDirectory() as tmp:
        for kind, n, write in cases:
            path = Path(tmp) / f"blocks{n}.{'html' if kind == 'html' else 'txt'}"
            write(path, n)
            mb = path.stat().st_size / 1e6
            cpu, peak = measure(path)
            print(f"{kind:4} {n:8,d} blocks {mb:6.2f} MB: {cpu:7.2f} CPU s, {cpu / mb:6.2f} s/MB, "
                  f"peak {peak:6.0f} MB ({peak / mb:4.0f} x input)", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
