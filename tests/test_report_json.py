"""JSONL lines: the fast writer gives exactly the text of ``json.dumps`` of the document."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from credscore.models import CriterionScore, DocumentScore, Finding
from credscore.report.json import _escape_controls, document_dict, document_line

numbers = st.floats(allow_nan=False, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1e-4, 9.99e-5, 1e-5, 1e15, 1e16, 1e17, 0.1 + 0.2, 73.2])
texts = st.text(max_size=20) | st.sampled_from(["\ud800", "a\udfffb", "\x00\x1f\x7f\u2028\"\\"])


def by_json(doc: DocumentScore) -> str:
    return _escape_controls(json.dumps(document_dict(doc), ensure_ascii=False,
                                       separators=(",", ":")))


def document(points: float, weight: float, text: str) -> DocumentScore:
    finding = Finding(signal="s", zone="body", start=0, end=1, text=text, sentence=text,
                      points=points)
    criterion = CriterionScore(id="c", name=text, weight=weight, score=0.5, verdict="v",
                               explanation=text, findings=(finding,))
    return DocumentScore(id=text, title=None, words=3, score=50.0, grade="B",
                         criteria=(criterion,))


@given(numbers, numbers, texts)
def test_document_line_is_json_dumps(points: float, weight: float, text: str) -> None:
    doc = document(points, weight, text)
    assert document_line(doc) == by_json(doc)


def test_small_numbers_and_lone_surrogates_are_written_by_json() -> None:
    assert '"points":1e-05' in document_line(document(1e-5, 1.0, "x"))
    assert '"weight":Infinity' in document_line(document(1.0, float("inf"), "x"))
    assert '"text":"a\ud800"' in document_line(document(1.0, 1.0, "a\ud800"))


def test_documents_sharing_an_id_and_title_are_ordered_by_content_not_input(tmp_path) -> None:
    from typer.testing import CliRunner

    from credscore.cli import app

    # The same id, title and score; only the text (and so the word count) differs. Both are
    # long enough that the default rubric does not pull a short text's scores to the middle.
    filler = " The cafe opens at nine." * 40
    for name, extra in (("a", ""), ("b", " It rained on Tuesday.")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.txt").write_text("Coffee and sleep\n\nA trial found coffee "
                                                   "helps." + filler + extra + "\n")
    runs = [CliRunner().invoke(app, ["score", str(tmp_path / x), str(tmp_path / y), "--format",
                                     "json"]) for x, y in (("a", "b"), ("b", "a"))]
    assert runs[0].exit_code == 0 and runs[0].stdout == runs[1].stdout
    docs = json.loads(runs[0].stdout)["documents"]
    assert [d["id"] for d in docs] == ["index.txt", "index.txt"]
    assert docs[0]["score"] == docs[1]["score"] and docs[0]["words"] != docs[1]["words"]


def test_errors_are_ordered_by_file_then_line_number(tmp_path) -> None:
    from typer.testing import CliRunner

    from credscore.cli import app

    good = json.dumps({"id": "a", "text": "A trial found coffee helps."})
    lines = [good] * 12
    lines[1] = lines[9] = "{not json"
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "empty.txt").write_text("")
    run = CliRunner().invoke(app, ["score", str(tmp_path), "--format", "json"])
    errors = [e["path"].rpartition("/")[2] for e in json.loads(run.stdout)["errors"]]
    assert errors == ["empty.txt", "in.jsonl:2", "in.jsonl:10"]
