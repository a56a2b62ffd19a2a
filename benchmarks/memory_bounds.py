"""Memory and output size on pathological inputs: they must stay linear in the input.

The inputs below, each scored by the CLI in one process (``--jobs 1``) writing to a file; the
peak resident memory of that process, the time it took and the size of what it wrote are
printed:

- a run-on text with no full stops (a phrase full of signals repeated ``--runon-reps`` times),
  as JSON;
- ``--sentences`` short sentences (10 bytes each) in paragraphs of 100, as JSON;
- a Markdown list of ``--items`` one-word items (about 8 bytes each), as JSON;
- ``--hyphen-lines`` lines each ending in a word broken at its hyphen ("peer-" / "reviewed"),
  one paragraph, as JSON;
- ``--initials`` initials in a row ("A. A. A. ..."), each period a candidate sentence end that
  the splitter rejects, so the sentence start never moves, as JSON;
- ``--fragments`` short lines ("Item 1") between a sentence and a copyright footer, each of
  which becomes site chrome, as JSON;
- an HTML page of a one-sentence article and ``--comments`` reader comments (far more tags than
  trafilatura's fallback extractors may see, whose cost grows with the square of a page's
  paragraphs), as JSON;
- one Markdown table of ``--table-rows`` rows (cut between rows into pieces, each read with
  the table's header again), as CSV;
- ``--docs`` ordinary articles of about 5 kB in a JSONL file, as CSV and as JSON.

Each run is capped at ``--limit-mb`` of address space, so a case that would exhaust the machine
fails with a note instead. Linux and macOS (reads the child's resource usage).

    python benchmarks/memory_bounds.py [--runon-reps 5000] [--sentences 1000000]
        [--items 1000000] [--hyphen-lines 100000] [--initials 100000] [--fragments 40000]
        [--comments 20000] [--table-rows 130000] [--docs 4000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_jsonl

RUNON_PHRASE = "in mice the drug may cure cancer and researchers say it could "
SHORT_SENTENCES = ("Mice ran.", "May cure.", "Rats fed.", "It cured.", "Dogs ate.")  # and a space


def write_runon(path: Path, reps: int) -> None:
    path.write_text("T\n\n" + RUNON_PHRASE * reps, encoding="utf-8")


def write_sentences(path: Path, n: int, per_paragraph: int = 100) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Many short sentences\n\n")
        for i in range(n):
            handle.write(SHORT_SENTENCES[i % len(SHORT_SENTENCES)])
            handle.write("\n\n" if (i + 1) % per_paragraph == 0 else " ")


def write_list(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# Many list items\n\n")
        for i in range(n):
            handle.write(f"- {SHORT_SENTENCES[i % len(SHORT_SENTENCES)].split()[0]}\n")


def write_table(path: Path, rows: int) -> None:
    """One Markdown table of ``rows`` rows of four short cells (about 60 bytes a row)."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# A long table\n\nA trial of many doses.\n\n| Drug | Dose | Effect | Notes |\n"
                     "|---|---|---|---|\n")
        for i in range(rows):
            handle.write(f"| drug{i} | {i % 50} mg | pain down by {i % 30}% | small trial |\n")


def measure(args: list[str], out: Path, limit_mb: int) -> tuple[int, float, float, float]:
    """Exit code, peak resident memory in MB, output size in MB and seconds of one CLI run."""
    limit = limit_mb * 2**20

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "credscore", *args, "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=cap)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    size = out.stat().st_size / 1e6 if out.exists() else 0.0
    if proc.returncode not in (0, 1):
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        print(f"  exit {proc.returncode} (address space capped at {limit_mb} MB): {tail[0][:160]}")
    return proc.returncode, peak, size, elapsed


def write_fragments(path: Path, n: int) -> None:
    lines = "\n\n".join(f"Item {i}" for i in range(n))
    path.write_text(f"A real sentence of the article, long enough to be body text.\n\n{lines}\n\n"
                    "Copyright 2024. All rights reserved.", encoding="utf-8")


def write_comments_page(path: Path, n: int) -> None:
    comments = "".join(f'<div class="comment"><p>Jane says: great post number {i}</p></div>'
                       for i in range(n))
    path.write_text("<html><body><article><p>A short article of one sentence about a new drug "
                    f'trial.</p></article><section id="comments"><h3>Comments</h3>{comments}'
                    "</section></body></html>", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runon-reps", type=int, default=5000, help="repetitions of the run-on phrase")
    ap.add_argument("--sentences", type=int, default=1_000_000, help="short sentences in one file")
    ap.add_argument("--items", type=int, default=1_000_000, help="items of one Markdown list")
    ap.add_argument("--hyphen-lines", type=int, default=100_000,
                    help="lines of one paragraph, each ending in a broken word")
    ap.add_argument("--initials", type=int, default=100_000,
                    help="initials in a row, none of them a sentence end")
    ap.add_argument("--fragments", type=int, default=40_000,
                    help="short lines above a footer, all site chrome")
    ap.add_argument("--comments", type=int, default=20_000,
                    help="reader comments on one HTML page (past about 3,750 the page has more "
                    "tags than the fallback extractors are given)")
    ap.add_argument("--table-rows", type=int, default=130_000,
                    help="rows of one Markdown table (about 60 bytes each)")
    ap.add_argument("--docs", type=int, default=4000, help="articles scored to CSV and JSON")
    ap.add_argument("--limit-mb", type=int, default=6000, help="address-space cap per run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cases: list[tuple[str, Path, str]] = []
        if args.runon_reps:
            runon = tmp / "runon.txt"
            write_runon(runon, args.runon_reps)
            cases.append((f"run-on text, no full stop ({args.runon_reps} phrases)", runon, "json"))
        if args.sentences:
            many = tmp / "sentences.txt"
            write_sentences(many, args.sentences)
            cases.append((f"{args.sentences:,} short sentences", many, "json"))
        if args.items:
            items = tmp / "list.md"
            write_list(items, args.items)
            cases.append((f"Markdown list of {args.items:,} items", items, "json"))
        if args.hyphen_lines:
            broken = tmp / "hyphens.txt"
            broken.write_text("Broken words\n\n" + "peer-\nreviewed " * args.hyphen_lines,
                              encoding="utf-8")
            cases.append((f"{args.hyphen_lines:,} hyphen-broken lines", broken, "json"))
        if args.initials:
            initials = tmp / "initials.txt"
            initials.write_text("A. " * args.initials, encoding="utf-8")
            cases.append((f"{args.initials:,} initials in a row", initials, "json"))
        if args.fragments:
            fragments = tmp / "fragments.txt"
            write_fragments(fragments, args.fragments)
            cases.append((f"{args.fragments:,} short lines above a footer", fragments, "json"))
        if args.comments:
            page = tmp / "comments.html"
            write_comments_page(page, args.comments)
            cases.append((f"HTML page with {args.comments:,} reader comments", page, "json"))
        if args.table_rows:
            table = tmp / "table.md"
            write_table(table, args.table_rows)
            cases.append((f"Markdown table of {args.table_rows:,} rows", table, "csv"))
        if args.docs:
            corpus = tmp / "articles.jsonl"
            write_jsonl(corpus, args.docs)
            cases += [(f"{args.docs:,} articles of 5 kB", corpus, fmt) for fmt in ("csv", "json")]
        for label, path, fmt in cases:
            size = path.stat().st_size / 1e6
            out = tmp / f"out.{fmt}"
            args_ = ["score", str(path), "--jobs", "1", "--format", fmt, "--max-bytes", str(2**30)]
            code, peak, written, elapsed = measure(args_, out, args.limit_mb)
            print(f"{label}: input {size:.2f} MB -> {fmt} {written:.2f} MB; peak resident "
                  f"memory {peak:.0f} MB; {elapsed:.1f} s; exit {code}")
            out.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
