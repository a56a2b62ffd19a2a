"""End-to-end throughput next to two floors, and the cost per MB by article size.

One run prints, for the same JSONL file of article text:
- the file-read floor (read the file and split it into lines);
- the minimal Python pass (``python_floor.minimal_pass``: JSON decode, NFKC, a one-regex sentence
  split, one dictionary lookup per token, one JSON line out per article);
- credscore itself (``credscore score FILE --format jsonl`` with the default rubric), with 1 and
  2 jobs, as whole processes: MB/s, MB per CPU-second, peak memory, speed-up;
so the ratio between them shows on any machine. Then HTML pages with 1 and 2 jobs (pages built
around the same text, nearly all article; with ``--html-dir``, also a folder of real pages, whose
markup, scripts and furniture outweigh their article many times), the CPU time
per MB of each stage (reading, parsing, scoring, writing) with what matching alone costs within
scoring (the phrase pass, the pattern scans), and the cost per MB of parsing and
scoring articles of 1 kB, 5 kB, 50 kB and 500 kB (as paragraphs, and as one paragraph), which
stays flat when nothing is super-linear.

The text is real news when the labelled stories kept beside the repository are there
(``../shared/bench/hnr_stories_dev.jsonl``, repeated to the size asked for), else articles made
from the seeds.

    python benchmarks/throughput.py [--mb 20] [--html-n 2000] [--html-dir DIR] [--skip-sizes]
"""

from __future__ import annotations

import argparse
import compileall
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ROOT, text_articles, write_jsonl
from python_floor import minimal_pass

import credscore
from credscore import compile_rubric, load_rubric
from credscore.engine.compile import CompiledRubric, signal_phrases
from credscore.engine.match import SentenceIndex, overlapping, rubric_patterns_present
from credscore.engine.score import score_rows
from credscore.models import Document
from credscore.parse import parse_text
from credscore.parse.parsed import ParsedText
from credscore.report.json import document_line, raw_controls_in

STORIES = ROOT.parent / "shared" / "bench" / "hnr_stories_dev.jsonl"


def news_texts() -> list[str]:
    """The stories' texts, or articles made from the seeds when the stories are absent."""
    if STORIES.exists():
        with STORIES.open(encoding="utf-8") as f:
            return [json.loads(line)["text"] for line in f if line.strip()]
    return list(text_articles(800))


def write_text_jsonl(path: Path, mb: float) -> tuple[int, float]:
    """Articles repeated until ``mb`` MB of text; returns (articles, MB of text)."""
    texts = news_texts()
    total = n = 0
    with path.open("w", encoding="utf-8") as out:
        while total < mb * 1e6:
            text = texts[n % len(texts)]
            out.write(json.dumps({"id": f"doc{n:07d}", "text": text}) + "\n")
            total += len(text.encode("utf-8"))
            n += 1
    return n, total / 1e6


def run_cli(target: Path, jobs: int) -> tuple[float, float, float]:
    """Seconds, CPU seconds (all processes) and peak resident memory (MB, the largest process)
    of one scoring run in a fresh process. A run that skipped a page it found no article in
    (exit status 1) counts; any other failure stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "credscore", "score", str(target), "--format",
                           "jsonl", "--jobs", str(jobs), "-o", "/dev/null"])
    if done.returncode not in (0, 1):
        raise SystemExit(f"credscore score {target} failed (exit status {done.returncode})")
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu, after.ru_maxrss / 1024


def read_floor(path: Path) -> float:
    start = time.process_time()
    with path.open(encoding="utf-8") as f:
        for _ in f:
            pass
    return time.process_time() - start


def python_floor(path: Path) -> float:
    lines = path.read_text(encoding="utf-8").splitlines()
    rubric = load_rubric().rubric
    vocabulary = {p.lower(): 1 for c in rubric.criteria for s in c.signals
                  for p in signal_phrases(s, rubric) if " " not in p}
    start = time.process_time()
    minimal_pass(lines, frozenset(["nfkc", "split", "lookup", "write"]), None, vocabulary)  # type: ignore[arg-type]
    return time.process_time() - start


def side_by_side(label: str, path: Path, n: int, mb: float) -> None:
    print(f"{label}: {n} articles, {mb:.1f} MB of text")
    floor = read_floor(path)
    minimal = python_floor(path)
    one, cpu1, mem1 = run_cli(path, 1)
    two, cpu2, mem2 = run_cli(path, 2)
    rows = [
        ("file read (floor)", mb / max(floor, 1e-9), mb / max(floor, 1e-9), ""),
        ("minimal Python pass, 1 core", mb / minimal, mb / minimal, ""),
        ("credscore, 1 job", mb / one, mb / cpu1, f"peak {mem1:.0f} MB"),
        ("credscore, 2 jobs", mb / two, mb / cpu2, f"peak {mem2:.0f} MB, x{one / two:.2f}"),
    ]
    print(f"  {'':30} {'MB/s':>9} {'MB per CPU-s':>13}")
    for name, wall, per_cpu, note in rows:
        print(f"  {name:30} {wall:9.2f} {per_cpu:13.2f}  {note}")


def stages() -> None:
    """CPU milliseconds per MB of news text for each stage, in this process (best of three):
    reading the JSONL line into a document, parsing, scoring, writing the JSONL line; each as
    ``credscore score --format jsonl`` does it (plain rows, no result models)."""
    compiled = compile_rubric(load_rubric().rubric)
    lines = [json.dumps({"id": str(i), "text": t}) for i, t in enumerate(news_texts())]
    mb = sum(len(json.loads(line)["text"].encode("utf-8")) for line in lines) / 1e6
    best = [float("inf")] * 4
    for _ in range(3):
        t0 = time.process_time()
        docs = [Document(id=obj["id"], source="bench", format="text", content=obj["text"])
                for obj in map(json.loads, lines)]
        t1 = time.process_time()
        parsed = [parse_text(doc) for doc in docs]
        t2 = time.process_time()
        scores = [score_rows(p, compiled) for p in parsed]
        t3 = time.process_time()
        for p, s in zip(parsed, scores, strict=True):
            document_line(s, not compiled.printable or raw_controls_in(p.text, s.id, s.title))
        t4 = time.process_time()
        times = [t1 - t0, t2 - t1, t3 - t2, t4 - t3]
        best = [min(b, t) for b, t in zip(best, times, strict=True)]
    names = ("read (JSON line to document)", "parse", "score", "JSONL line out")
    print(f"where the time goes, {mb:.1f} MB of news text, one core (CPU ms per MB):")
    for name, seconds in zip(names, best, strict=True):
        print(f"  {name:30} {1000 * seconds / mb:6.0f}")
    print(f"  {'total':30} {1000 * sum(best) / mb:6.0f}  ({mb / sum(best):.2f} MB per CPU-s, "
          "without start-up)")
    phrases, patterns = matching_alone(compiled, parsed)
    print(f"  of scoring, matching alone: the phrase pass {1000 * phrases / mb:.0f}, the pattern "
          f"scans {1000 * patterns / mb:.0f} (the prefilter, and every pattern it lets through, "
          "over the paragraphs of the zones it reads where it may match)")


def matching_alone(compiled: CompiledRubric, parsed: list[ParsedText]) -> tuple[float, float]:
    """CPU seconds (best of three) of the one phrase pass over every document, and of the
    pattern scans: what no change to the code around them can save."""
    indexes = [SentenceIndex(p) for p in parsed]
    for index in indexes:  # the document's lowered and UTF-8 forms, made once beforehand
        _ = index.lowered, index.data, index.offsets
    best_phrases = best_patterns = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for index in indexes:
            compiled.phrases.find(index.text, index.lowered)
        t1 = time.process_time()
        for index in indexes:
            present = rubric_patterns_present(compiled, index)
            searched = set()  # a search several criteria share is run once, as scoring does
            for plan in compiled.plans:
                for set_index, zones, spans, _, _, _, shared in plan.regex:
                    if shared and (spans, zones) in searched:
                        continue
                    searched.add((spans, zones))
                    if present is None or set_index in present:
                        ranges = index.byte_ranges(zones)
                        if present is not None:
                            ranges = overlapping(ranges, present[set_index])
                        for start, end in ranges:
                            spans(index.data, start, end, blocks=index.blocks)
        t2 = time.process_time()
        best_phrases, best_patterns = min(best_phrases, t1 - t0), min(best_patterns, t2 - t1)
    return best_phrases, best_patterns


def sized(texts: list[str], size: int, total: int, one_block: bool) -> Iterator[str]:
    """Articles of about ``size`` characters made of whole paragraphs, ``total`` in all."""
    paras = [p.strip() for t in texts for p in t.split("\n\n") if p.strip()]
    made = i = 0
    while made < total:
        parts: list[str] = []
        length = 0
        while length < size:
            parts.append(paras[i % len(paras)])
            length += len(parts[-1]) + 2
            i += 1
        made += length
        yield (" " if one_block else "\n\n").join(parts)


def cost_by_size(total_mb: float) -> None:
    compiled = compile_rubric(load_rubric().rubric)
    texts = news_texts()
    print(f"cost per MB by article size ({total_mb:.0f} MB each, parse + score + JSON line, "
          "CPU ms per MB)")
    print(f"  {'size':>8} {'paragraphs':>11} {'one paragraph':>14}")
    for size in (1_000, 5_000, 50_000, 500_000):
        cells = []
        for one_block in (False, True):
            docs = list(sized(texts, size, int(total_mb * 1e6), one_block))
            mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
            start = time.process_time()
            for i, text in enumerate(docs):
                doc = Document(id=str(i), source="bench", format="text", content=text)
                parsed = parse_text(doc)
                row = score_rows(parsed, compiled)
                document_line(row, not compiled.printable
                              or raw_controls_in(parsed.text, row.id, row.title))
            cells.append(1000 * (time.process_time() - start) / mb)
        print(f"  {size // 1000:>6} kB {cells[0]:11.0f} {cells[1]:14.0f}")


def html_line(label: str, target: Path, mb: float) -> None:
    """One line: HTML read and scored with 1 and 2 jobs, per MB of HTML."""
    one, cpu1, _ = run_cli(target, 1)
    two, cpu2, _ = run_cli(target, 2)
    print(f"{label}, {mb:.1f} MB | 1 job {mb / one:.2f} MB/s ({mb / cpu1:.2f} per CPU-s) | "
          f"2 jobs {mb / two:.2f} MB/s ({mb / cpu2:.2f} per CPU-s) | x{one / two:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=20, help="MB of article text")
    ap.add_argument("--html-n", type=int, default=2000, help="HTML pages")
    ap.add_argument("--html-dir", type=Path, help="also a folder of real pages (*.html)")
    ap.add_argument("--size-mb", type=float, default=3, help="MB per size in the size sweep")
    ap.add_argument("--skip-sizes", action="store_true")
    args = ap.parse_args()
    print("news text: " + ("the labelled stories" if STORIES.exists() else
                           "absent; articles made from the seeds"))
    # An installed package starts from compiled bytecode. Where it cannot be written
    # (PYTHONDONTWRITEBYTECODE, a read-only checkout), every process would compile the sources
    # again, about 0.2 s of CPU counted as credscore's: compile them once, as installing does.
    compileall.compile_dir(Path(credscore.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        n, mb = write_text_jsonl(tmp / "text.jsonl", args.mb)
        side_by_side("text, JSONL", tmp / "text.jsonl", n, mb)
        mb = write_jsonl(tmp / "html.jsonl", args.html_n, fmt="html") / 1e6
        html_line(f"HTML, JSONL: {args.html_n} built pages", tmp / "html.jsonl", mb)
    if args.html_dir is not None:
        pages = sorted(args.html_dir.rglob("*.html"))
        mb = sum(p.stat().st_size for p in pages) / 1e6
        html_line(f"HTML, files: {len(pages)} pages of {args.html_dir}", args.html_dir, mb)
    stages()
    if not args.skip_sizes:
        cost_by_size(args.size_mb)


if __name__ == "__main__":
    main()
