"""The HTML report in headless Chromium: it loads with no console errors, the ranking sorts on a
header click, and a highlighted finding is visible. Saves a screenshot. Skips without Chromium
(CI installs it)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from credscore.cli import app

from .conftest import ROOT, SEEDS

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

HARNESS = """
<script>
(function () {
  var errors = [];
  window.addEventListener("error", function (e) { errors.push(String(e.message)); });
  var origError = console.error;
  console.error = function () {
    errors.push(Array.prototype.join.call(arguments, " "));
    origError.apply(console, arguments);
  };
  window.addEventListener("load", function () {
    var table = document.getElementById("ranking");
    var names = function () {
      return Array.prototype.map.call(table.tBodies[0].rows,
        function (r) { return r.cells[1].getAttribute("data-v"); });
    };
    var before = names();
    table.tHead.rows[0].cells[1].querySelector("button").click();
    var ascending = names();
    table.tHead.rows[0].cells[1].querySelector("button").click();
    var descending = names();
    var mark = document.querySelector("details.text[open] mark.f");
    var rect = mark ? mark.getBoundingClientRect() : null;
    var style = mark ? getComputedStyle(mark) : null;
    var out = document.createElement("pre");
    out.id = "harness-result";
    out.textContent = JSON.stringify({
      errors: errors, before: before, ascending: ascending, descending: descending,
      sortState: table.tHead.rows[0].cells[1].getAttribute("aria-sort"),
      markVisible: !!(rect && rect.width > 0 && rect.height > 0
                      && style.visibility === "visible" && style.display !== "none"),
      markBackground: style ? style.backgroundColor : null
    });
    document.body.appendChild(out);
  });
})();
</script>
"""


def chromium(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             "--disable-quic", f"--user-data-dir={tmp / 'profile'}", "--hide-scrollbars"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(tmp)})


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    out = tmp / "report.html"
    result = CliRunner().invoke(app, ["report", str(SEEDS), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out


def test_report_loads_sorts_and_shows_findings(report: Path) -> None:
    tmp = report.parent
    harnessed = tmp / "harnessed.html"
    # The page's Content Security Policy runs only scripts it lists by hash: list the harness too.
    body = re.search(r"<script>(.*?)</script>", HARNESS, re.S).group(1)  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    page = report.read_text().replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    harnessed.write_text(page.replace("</body>", HARNESS + "</body>"))
    run = chromium(["--virtual-time-budget=5000", "--dump-dom", harnessed.as_uri()], tmp)
    m = re.search(r'<pre id="harness-result">(.*?)</pre>', run.stdout, re.S)
    assert m, run.stderr[-2000:]
    result = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&")
                        .replace("&lt;", "<").replace("&gt;", ">"))
    assert result["errors"] == []
    assert sorted(result["before"]) == result["ascending"]
    assert result["descending"] == list(reversed(result["ascending"]))
    assert result["sortState"] == "descending"
    assert result["markVisible"] is True
    assert result["markBackground"] not in (None, "rgba(0, 0, 0, 0)")


def test_report_screenshot(report: Path) -> None:
    tmp = report.parent
    shots = ROOT / "benchmarks" / "out"
    shots.mkdir(parents=True, exist_ok=True)
    for name, size in (("report-desktop.png", "1280,2400"), ("report-phone.png", "390,2400")):
        target = shots / name
        run = chromium([f"--window-size={size}", f"--screenshot={target}", report.as_uri()], tmp)
        assert target.is_file() and target.stat().st_size > 10_000, run.stderr[-2000:]


def run_harness(page: str, script: str, tmp: Path, size: str = "1280,2400") -> object:
    """``script`` run in ``page`` once loaded (allowed by the page's Content Security Policy):
    what it leaves in ``window.harnessResult``, read back as JSON."""
    harness = ('<script>window.addEventListener("load", function () {' + script
               + 'var out = document.createElement("pre"); out.id = "harness-result";'
               ' out.textContent = JSON.stringify(window.harnessResult);'
               ' document.body.appendChild(out); });</script>')
    body = re.search(r"<script>(.*?)</script>", harness, re.S).group(1)  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    page = page.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    harnessed = tmp / "harnessed.html"
    harnessed.write_text(page.replace("</body>", harness + "</body>"))
    run = chromium([f"--window-size={size}", "--virtual-time-budget=5000", "--dump-dom",
                    harnessed.as_uri()], tmp)
    m = re.search(r'<pre id="harness-result">(.*?)</pre>', run.stdout, re.S)
    assert m, run.stderr[-2000:]
    return json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&")
                      .replace("&lt;", "<").replace("&gt;", ">"))


# Every element of the page that runs out past the right edge of what holds it: its table cell,
# its article's card, or the page. (A wide table scrolls in its own box; its cells are not
# counted, the text in them is.) Articles are laid out first: off screen they are skipped.
OVERFLOWING = """
document.querySelectorAll("article.doc").forEach(function (a) {
  a.style.contentVisibility = "visible";
});
var out = [];
var width = document.documentElement.clientWidth;
document.querySelectorAll("body *").forEach(function (el) {
  if (el.closest(".scroll") && /^(TABLE|THEAD|TBODY|TR|TH|TD)$/.test(el.tagName)) { return; }
  var holder = el.parentElement.closest("td, th, article.doc");
  var edge = holder ? holder.getBoundingClientRect().right : width;
  var r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > edge + 1) {
    out.push(el.tagName + "." + el.className + ": " + (el.textContent || "").slice(0, 20));
  }
});
window.harnessResult = {overflowing: out, pageWidth: document.documentElement.scrollWidth,
                        width: width};
"""


def test_long_unbroken_titles_ids_and_urls_wrap_on_a_phone(tmp_path: Path) -> None:
    url = "https://example.org/" + "a" * 600  # the id of an article read from the web
    corpus = tmp_path / "long.jsonl"
    corpus.write_text("".join(json.dumps(line) + "\n" for line in (
        {"id": url, "title": "T" * 3000, "text": "A study of 40 people. " + "w" * 2000},
        {"id": "id-" + "x" * 400, "text": "A study of mice.", "author": "A" * 300})))
    unreadable = tmp_path / ("d" * 200) / ("n" * 200 + ".txt")
    unreadable.parent.mkdir()
    unreadable.write_bytes(b"")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(corpus), str(unreadable), "-o", str(out),
                                      "-j", "1"])
    assert result.exit_code == 1, result.output  # the empty file is listed as not scored
    page = out.read_text()
    assert all(text in page for text in ("T" * 3000, url, "x" * 400, "A" * 300, "n" * 200))
    found = run_harness(page, OVERFLOWING, tmp_path, size="360,2400")
    assert found["overflowing"] == [] and found["pageWidth"] <= found["width"], found  # type: ignore[index]


# Where the "!" that ends a Hebrew title is drawn, against the title's first letter, in each
# place the title is shown; and the direction of the article's text blocks.
RTL_LAYOUT = """
function bangLeftOfStart(el) {
  var node = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {acceptNode: function (n) {
    return n.data.indexOf("\\u05de") >= 0 ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
  }}).nextNode();
  var at = function (i) {
    var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
    return r.getBoundingClientRect().left;
  };
  return at(node.data.indexOf("!")) < at(node.data.indexOf("\\u05de"));
}
window.harnessResult = {
  ranking: bangLeftOfStart(document.querySelector("#ranking tbody td:nth-child(2) a")),
  heading: bangLeftOfStart(document.querySelector("#article-0 h3")),
  blocks: Array.prototype.map.call(document.querySelectorAll("#article-0 .block"),
    function (b) { return getComputedStyle(b).direction; })
};
"""


def test_right_to_left_titles_and_text_read_right_to_left(tmp_path: Path) -> None:
    """A Hebrew or Arabic title ends on the left, as it is read, and its article's text runs
    right to left (laid into the English page, "!" ended up at the title's start)."""
    corpus = tmp_path / "rtl.jsonl"
    corpus.write_text(json.dumps({
        "id": "he", "title": "מחקר חדש: קפה מאריך חיים!",
        "text": "מחקר חדש בעכברים מצא כי קפה מאריך חיים. המחקר פורסם בשנת 2020."}) + "\n")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(corpus), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    found = run_harness(out.read_text(), RTL_LAYOUT, tmp_path)
    assert found == {"ranking": True, "heading": True, "blocks": ["rtl", "rtl"]}, found
