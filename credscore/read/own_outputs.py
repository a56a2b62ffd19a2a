"""credscore's own outputs, told apart from articles.

A report or a file of scores written into a folder of articles would be read back as an article
by the next run that scans the folder. The folder walk skips such a file, and a run may replace
its own earlier output there (never an article).
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

# How credscore's outputs that could sit among articles begin: the Markdown report and
# evaluation, the HTML report (its generator tag), the JSON of score, evaluate and diff, the CSV
# header, and the tables of score, evaluate and diff. Each needs more than a title a real page
# could have; a JSONL line of scores is checked whole (a line with an article's text is input).
OUTPUT_HEAD = 65536
OUTPUT_MARKS = (
    re.compile(r"# Credibility report\n\n[^\n]*\(rubric `[^`\n]*` [^\n]*, sha256 `[0-9a-f]{64}`\) "
               r"by credscore "),
    re.compile(r"# Agreement with expert labels\n\n\d+ of \d+ documents labelled\."),
    re.compile(r"<!DOCTYPE html>\n<html[^>]*>\n<head>\n(?:<meta [^\n]*\n)*"
               r'<meta name="generator" content="credscore '),
    re.compile(r'\{\n  "credscore_version": "[^"\n]*",\n  "rubric": \{'),
    re.compile(r'\{\n  "rubric": (?:null|\{\n    "id": "[^"\n]*",\n    "version": [^\n]*\n'
               r'    "sha256": "[0-9a-f]{64}"\n  \}),\n  "documents": \d+,\n  "labelled": \d+,'),
    re.compile(r'\{\n  "old_rubric": "(?:[^"\\\n]|\\.)*",\n  "new_rubric": "(?:[^"\\\n]|\\.)*",\n'
               r'  "up": \d+,'),
    re.compile(r"id,title,words,score,grade(?:,[a-z][a-z0-9_]*)*\r?\n"),
    re.compile(r"credscore - [^\n]*\n[┏┌]|\s*Agreement with expert labels \(\d+ of \d+ documents "
               r"labelled\)|\d+ up, \d+ down, \d+ unchanged \(mean change "),
)
SCORE_LINE_KEYS = frozenset({"id", "title", "words", "score", "grade", "criteria", "errors"})
SCORE_LINE_BYTES = 16 << 20  # a JSONL line of scores longer than this is not sniffed


def is_credscore_output(path: Path) -> bool:
    """Whether ``path`` is a regular file that begins as one of credscore's outputs does (an
    empty file does not). Nothing else is opened: a named pipe would wait for a writer."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return False
        with path.open("rb") as handle:
            head = handle.read(OUTPUT_HEAD)
            if head.startswith(b'{"id":'):
                line = head + (handle.readline(SCORE_LINE_BYTES) if b"\n" not in head else b"")
                return _is_score_line(line.split(b"\n", 1)[0])
    except OSError:
        return False
    if not head:
        return False
    text = head.decode("utf-8", errors="replace")
    return any(mark.match(text) for mark in OUTPUT_MARKS)


def _is_score_line(line: bytes) -> bool:
    try:
        row = json.loads(line)
    except ValueError:
        return False
    return isinstance(row, dict) and set(row) == SCORE_LINE_KEYS
