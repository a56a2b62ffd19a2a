"""One speaker's quotation run on over several paragraphs, as news style writes it: only the
last paragraph closes it, and each after the first opens with a quotation mark; or the
speaker's next paragraph, one whole quotation, after the paragraph that names them; or a
paragraph that is one whole quotation after a lead-in that ends with a colon."""

from __future__ import annotations

import pytest

from credscore.models import Document, ParsedDocument
from credscore.parse import parse

RUN_ON = """A new drug for migraine

"This is a remarkable result that changes how we treat migraine," said Dr. Jane Roe, who led \
the trial. "We have never seen a response like this in our patients.

"It will be a breakthrough for millions of people who live with this terrible disease.

"I expect it to be approved next year for every patient who needs it."

The drug costs $100 a month, and insurers have not said whether they will cover it."""


def _zones(content: str) -> dict[str, str]:
    doc: ParsedDocument = parse(Document(id="t", source="t", format="text", content=content))
    return {doc.text[s.start:s.end]: s.zone for s in doc.sentences}


def test_paragraphs_that_carry_on_an_open_quotation_are_quoted() -> None:
    zones = _zones(RUN_ON)
    assert zones['"It will be a breakthrough for millions of people who live with this terrible '
                 'disease.'] == "quote"
    assert zones['"I expect it to be approved next year for every patient who needs it."'] == "quote"
    assert zones["The drug costs $100 a month, and insurers have not said whether they will "
                 "cover it."] == "body"


def test_a_closed_quotation_does_not_carry_on() -> None:
    """The paragraph before closed its quotation: a paragraph after it that opens with a
    quotation mark and names nobody is the article's, as before."""
    closed = RUN_ON.replace("in our patients.\n", 'in our patients."\n')
    assert _zones(closed)['"It will be a breakthrough for millions of people who live with this '
                          'terrible disease.'] == "body"


def test_an_open_quotation_nobody_spoke_does_not_carry_on() -> None:
    """An unclosed quotation mark in a paragraph with no word of attribution is no quotation,
    and so carries none over."""
    text = ('A new drug for migraine\n\nThe label reads "take one tablet a day with food and water '
            'for relief.\n\n"It will be a breakthrough for millions of people who live with this '
            'terrible disease.')
    assert _zones(text)['"It will be a breakthrough for millions of people who live with this '
                        'terrible disease.'] == "body"


def test_a_paragraph_that_does_not_open_with_a_mark_ends_the_run() -> None:
    text = RUN_ON.replace('\n\n"It will be', "\n\nIt will be")
    zones = _zones(text)
    assert zones["It will be a breakthrough for millions of people who live with this terrible "
                 "disease."] == "body"
    # ... and the run does not pick up again after it.
    assert zones['"I expect it to be approved next year for every patient who needs it."'] == "body"


NEXT_PARAGRAPH = """Flu cases rise in the city

"This situation shows how hard the virus can be on vulnerable patients," the hospital's \
chief executive said.

"I urge everyone to follow health advice and to stay home if they are unwell."

The hospital has opened a second ward for patients with the flu."""


def test_a_paragraph_that_is_one_quotation_after_a_speaker_goes_on_with_them() -> None:
    """After a paragraph with an attributed quotation, a paragraph that is one whole quotation
    and nothing else is the same speaker going on."""
    _quoted_then_body(NEXT_PARAGRAPH, '"I urge everyone to follow health advice and to stay home '
                      'if they are unwell."',
                      "The hospital has opened a second ward for patients with the flu.")


def _quoted_then_body(text: str, quotation: str, after: str) -> None:
    zones = _zones(text)
    assert zones[quotation] == "quote"
    assert zones[after] == "body"


@pytest.mark.parametrize("before", [
    # No quotation before it: nobody is speaking.
    "The hospital's chief executive spoke to staff on Monday about the rise in cases.",
    # A quotation, but nobody is said to speak it.
    'The hospital called the rise "hard on vulnerable patients and on our staff".',
])
def test_a_whole_quotation_with_no_speaker_before_it_stays_the_articles(before: str) -> None:
    text = NEXT_PARAGRAPH.replace(
        '"This situation shows how hard the virus can be on vulnerable patients," the '
        "hospital's chief executive said.", before)
    assert _zones(text)['"I urge everyone to follow health advice and to stay home if they are '
                        'unwell."'] == "body"


LEAD_IN = """Governor signs the budget

The governor signed the supplemental budget bill this afternoon.

{lead_in}

"I appreciate the hard work of the Legislature in putting together a bill that meets many of my \
recommendations."

The governor used his line item veto on two footnotes."""
LEAD_IN_QUOTATION = ('"I appreciate the hard work of the Legislature in putting together a bill '
                     'that meets many of my recommendations."')


@pytest.mark.parametrize("lead_in", [
    "Gov. Matt Mead:",  # a radio site's speaker line
    "In a statement, the governor said:",
    "The governor's office wrote: ",  # a space after the colon: the paragraph ends with none
])
def test_a_paragraph_that_is_one_quotation_after_a_lead_in_is_quoted(lead_in: str) -> None:
    """A paragraph ending with a colon introduces what follows it: a paragraph that is one whole
    quotation after it is quoted speech, not the writer's first person."""
    _quoted_then_body(LEAD_IN.format(lead_in=lead_in), LEAD_IN_QUOTATION,
                      "The governor used his line item veto on two footnotes.")


@pytest.mark.parametrize("lead_in", [
    # No colon: the paragraph before introduces nothing.
    "The governor spoke to reporters after the signing.",
    # A colon inside the paragraph, not at its end.
    "Budget: the governor spoke to reporters after the signing.",
])
def test_a_whole_quotation_without_a_lead_in_stays_the_articles(lead_in: str) -> None:
    assert _zones(LEAD_IN.format(lead_in=lead_in))[LEAD_IN_QUOTATION] == "body"


def test_a_lead_in_introduces_only_a_whole_quotation() -> None:
    """After a lead-in, a paragraph that holds more than the quotation (here the writer's own
    words after it) is read as before: with no word of attribution, it is the article's."""
    text = LEAD_IN.format(lead_in="Gov. Matt Mead:").replace(
        'recommendations."', 'recommendations." That was before the veto.')
    zones = _zones(text)
    assert zones[LEAD_IN_QUOTATION] == "body"
    assert zones["That was before the veto."] == "body"


BRITISH = """Junior doctors to strike

The union's leader said: 'We have had a real-terms pay cut of more than a quarter since 2008, \
and we cannot go on like this.

'On top of that, worsening conditions mean more doctors are leaving the health service for \
better paid careers elsewhere.

'There is no doubt that this is a crisis of the Government's making.'

The health secretary's office said talks would continue next week."""


def test_british_single_marks_quote_as_double_ones_do() -> None:
    """In a block with no double marks, single marks after a space and before a letter open a
    quotation, and one after a letter or a stop closes it; one left open runs on into the next
    paragraphs that open with a single mark. Apostrophes inside words ("Government's") neither
    open nor close one."""
    zones = _zones(BRITISH)
    assert zones["The union's leader said: 'We have had a real-terms pay cut of more than a "
                 "quarter since 2008, and we cannot go on like this."] == "quote"
    assert zones["'On top of that, worsening conditions mean more doctors are leaving the health "
                 "service for better paid careers elsewhere."] == "quote"
    assert zones["'There is no doubt that this is a crisis of the Government's making.'"] == "quote"
    assert zones["The health secretary's office said talks would continue next week."] == "body"


def test_a_single_mark_left_open_with_no_paragraph_going_on_is_no_quotation() -> None:
    """A shortened word ("'til") or a stray apostrophe opens nothing that runs to the end of its
    paragraph: the writer's own sentences after it stay the writer's."""
    text = ("Clinic stays open late\n\nThe clinic will stay open 'til midnight through the "
            "winter, its director said on Monday. This is the best news for patients in years!"
            "\n\nAppointments can be booked online.")
    assert _zones(text)["This is the best news for patients in years!"] == "body"
    # ... nor does one that only looks like an opening mark, with no paragraph after it.
    stray = text.replace("'til midnight", "'overnight")
    assert _zones(stray)["This is the best news for patients in years!"] == "body"


def test_a_quotation_left_open_goes_on_only_with_its_own_mark() -> None:
    """A double mark left open (an inch mark, "a 2\" incision") does not run on into a paragraph
    that opens with a single mark, nor the other way round."""
    text = ('Surgeons operate\n\n"The surgeon made a small incision in the patient, the '
            "hospital said in a statement on Monday.\n\n'Tis the season for surgery, and the "
            "wards are busy with patients waiting.")
    assert _zones(text)["'Tis the season for surgery, and the wards are busy with patients "
                        "waiting."] == "body"
    british = ("Strike\n\nThe union leader said: 'We cannot go on like this any longer, and we "
               'will not.\n\n"On top of that, conditions are getting worse for every doctor in '
               'the service."')
    assert _zones(british)['"On top of that, conditions are getting worse for every doctor in '
                           'the service."'] == "body"


@pytest.mark.parametrize("sentence", [
    # A decade is no quotation, nor a possessive split from its name.
    "In the '60s and '70s, researchers said the drugs showed promise in several small trials.",
    "In breast cancer, Pfizer Inc. 's drug failed two big trials, analysts said last year.",
    # A phrase in single marks is too short to count as a quotation.
    "Researchers say the drug is an 'important step forward' for people with migraine.",
])
def test_an_apostrophe_or_a_phrase_in_single_marks_is_no_quotation(sentence: str) -> None:
    assert _zones(f"A drug for migraine\n\n{sentence}")[sentence] == "body"


def test_an_inch_mark_opens_no_quotation() -> None:
    """A mark right after a digit is an inch mark when the marks are odd in number: the
    quotation after it pairs as written, and the writer's words after it stay the article's."""
    zones = _zones(
        'Surgeons made a 2" incision, and "we closed it within the hour without any trouble," '
        "said Dr. Ann Lee. The patients went home the same day and none of them came back.\n\n"
        '"Every one of them walked out on their own two feet," she said.')
    assert zones["The patients went home the same day and none of them came back."] == "body"
    assert zones['"Every one of them walked out on their own two feet," she said.'] == "quote"
