"""A broadcast transcript's turns are its speakers' quoted words, as a quotation is."""

from __future__ import annotations

import pytest

from credscore.models import Document, ParsedDocument
from credscore.parse import parse
from credscore.parse.quotes import speaker

RADIO = """KELLY: This fall, parents have a new way to protect newborns from RSV.

HUANG: The shot is called nirsevimab. It cut the risk of a baby needing medical care by 80%.

SEAN O'LEARY: I think this is one of the most important things we've had in a long time.

HUANG: But supply is short, and my calls to pharmacies found none in stock.

KELLY: NPR's Pien Huang. Thank you.

DR. ANA RUIZ, PEDIATRICIAN: I have had parents call me every day about it."""


def _zones(content: str) -> list[tuple[str, str]]:
    doc: ParsedDocument = parse(Document(id="t", source="t", format="text", content=content,
                                         title="A morning programme on health"))
    return [(s.zone, doc.text[s.start:s.end]) for s in doc.sentences]


def test_every_sentence_of_a_speakers_turn_is_quoted() -> None:
    zones = [zone for zone, sentence in _zones(RADIO) if sentence != "A morning programme on health"]
    assert zones and all(zone == "quote" for zone in zones)


def test_a_label_alone_on_its_line_heads_the_paragraph_below_it() -> None:
    """A label alone on its line heads the block below it, and a turn runs on over the
    paragraphs below until the next label; what comes before the first label is no turn."""
    text = ("This is a transcript of our morning programme, edited for length.\n\n"
            "MARY LOUISE KELLY, HOST:\n\nI'm glad you could join me this morning.\n\n"
            "HUANG: My sources say the shots are short.\n\nI called ten pharmacies myself.\n\n"
            "KELLY: Thank you.\n\nHUANG: I was glad to help.")
    zones = dict((sentence, zone) for zone, sentence in _zones(text))
    assert zones["I'm glad you could join me this morning."] == "quote"
    assert zones["I called ten pharmacies myself."] == "quote"
    assert zones["This is a transcript of our morning programme, edited for length."] == "body"


@pytest.mark.parametrize("content", [
    # Labels of a page's parts, not speakers, however often they come.
    "MORE: A story on vitamin D.\n\nThe trial was small.\n\nMORE: A story on sleep.\n\n"
    "VIDEO: How the trial worked.\n\nVIDEO: What the doctors said.",
    # A release's labels, each once.
    "WHAT: A talk on heart health.\n\nWHO: Dr. Ana Ruiz.\n\nWHERE: City Hall.\n\n"
    "WHEN: May 4.\n\nI will be there to answer questions.",
    # An explainer's own questions and answers.
    "Q: What is RSV?\n\nA: I would call it a common virus.\n\nQ: Who gets it?\n\n"
    "A: My answer: babies and older adults.",
    # A review's, a column's and a recipe's labels, however often they come.
    "PROS: It is cheap. I love it!\n\nCONS: It is loud.\n\nPROS: Our formula works.\n\n"
    "CONS: My dog hates it.",
    "QUESTION: My doctor says I need a statin.\n\nANSWER: I would ask about the risks.\n\n"
    "QUESTION: My son has asthma.\n\nANSWER: I would see a specialist.",
    # Single words in capitals that name no one in full or by a role.
    "SMITH: I think so.\n\nJONES: I agree.\n\nSMITH: I was there.\n\nJONES: My view too.",
    # A roundup's datelines and a letter's greeting name no speaker.
    "ATLANTA, GA: I think the clinic opens Monday.\n\nBOSTON, MA: My sources say it is shut."
    "\n\nATLANTA, GA: I was told the line was long.\n\nNEW YORK, NY: My neighbours agree.",
    "DEAR DR. ROACH: I am 78 and take a statin.\n\nDEAR READER: I would ask about it.\n\n"
    "DEAR DR. ROACH: My son has asthma.\n\nDEAR READER: I would see a specialist.",
    # Two speakers, but a transcript's turns are not a few lines of a long story.
    "SMITH: I think so.\n\nJONES: I agree.\n\nSMITH: Yes.\n\nJONES: Fine.\n\n" +
    "\n\n".join(f"Paragraph {i} of the story tells what I found." for i in range(12)),
])
def test_labels_that_are_not_a_transcript_leave_the_text_as_it_was(content: str) -> None:
    assert "quote" not in {zone for zone, _ in _zones(content)}


@pytest.mark.parametrize(("block", "name"), [
    ("INSKEEP: Good morning.", "INSKEEP"),
    ("STEVE INSKEEP, HOST: Good morning.", "INSKEEP"),
    ("DR. SANJAY GUPTA, CNN CHIEF MEDICAL CORRESPONDENT: Thanks.", "GUPTA"),
    ("UNIDENTIFIED PERSON #1: It hurt.", "PERSON #1"),
    ("NÚÑEZ: It hurt.", "NÚÑEZ"),
    ("JANE DOE, MD: It helps.", "DOE"),
    ("ATLANTA, GA: The clinic opened.", None),
    ("McCONNELL: It hurt.", "McCONNELL"),
    ("PROS: It is cheap.", None),
    ("THE FACTS: It is not.", None),
    ("SMITH (through interpreter): It hurt.", "SMITH"),
    ("Q: What is it?", None),
    ("Kelly: Good morning.", None),
    ("MORE: A related story.", None),
    ("NOTE: The figures are preliminary.", None),
])
def test_a_speakers_label(block: str, name: str | None) -> None:
    assert speaker(block, 0, len(block)) == name


def test_a_transcript_reads_no_testimony_from_its_speakers_first_person(compiled) -> None:
    """first_person reads the writer's own voice: a speaker's "I think" in a transcript is as
    quoted as in print, where the same words stand in quotation marks."""
    from credscore.engine.score import score

    doc = parse(Document(id="t", source="t", format="text", content=RADIO,
                         title="New RSV shots for babies are in short supply"))
    balance = next(c for c in score(doc, compiled).criteria if c.id == "balance")
    assert "first_person" not in {f.signal for f in balance.findings}


def test_what_follows_the_last_turn_is_the_pages() -> None:
    """A story that quotes an exchange as a transcript goes on in its own voice after it."""
    text = ("SEN. BILL CASSIDY: Will you keep the vaccine panel?\n\nMAKARY: I think so.\n\n"
            "CASSIDY: You think so?\n\nMAKARY: I will keep it.\n\n"
            "Two weeks later, I learned that all 17 members had been removed.")
    zones = dict((sentence, zone) for zone, sentence in _zones(text))
    assert zones["MAKARY: I will keep it."] == "quote"
    assert zones["Two weeks later, I learned that all 17 members had been removed."] == "body"


def test_a_turn_runs_on_over_a_few_paragraphs_only() -> None:
    """A speaker's turn may run on over the next paragraphs, but not over a page of them: a
    label or two around a long pitch do not make the pitch a quotation."""
    pitch = [f"Our formula number {i} is the one I trust for my joints." for i in range(5)]
    text = "\n\n".join(["FOUNDER, ACME HEALTH: I built this company.", "HOLT: Tell us more.",
                         "FOUNDER: Here is what I found.", *pitch,
                         "HOLT: Thanks for watching."])
    zones = dict((sentence, zone) for zone, sentence in _zones(text))
    assert zones[pitch[0]] == "quote" and zones[pitch[1]] == "quote"
    assert all(zones[p] == "body" for p in pitch[2:])


def test_a_speakers_label_alone_on_its_line_is_not_the_title() -> None:
    """In a transcript with no title given apart, a speaker's label on a line of its own
    ("BETTY ANN BOWSER:") heads a turn; it is neither the article's title nor a headline in
    capitals for the clickbait check to read."""
    text = ("Ann Bowser reports on the rise in childhood obesity.\n\nSPOKESPERSON:\n\n"
            "In, out, down. Take it faster.\n\nBETTY ANN BOWSER:\n\n"
            "Lashay is trying to shake an unhealthy future.\n\nSPOKESPERSON:\n\n"
            "Okay, this is weight in pounds.\n\nBETTY ANN BOWSER:\n\n"
            "Here, nutritionists teach families what makes a healthy diet.")
    doc = parse(Document(id="t", source="t", format="text", content=text))
    assert doc.title is None
    assert "title" not in {block.zone for block in doc.blocks}
    assert {doc.text[s.start:s.end]: s.zone for s in doc.sentences}[
        "Lashay is trying to shake an unhealthy future."] == "quote"
