from __future__ import annotations

from typing import SupportsIndex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credscore.parse.quotes import quoted_sentences
from credscore.parse.sentences import MAX_SENTENCE_CHARS, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


CASES = [
    ("Dr. Smith et al. found it. Then it worked.",
     ["Dr. Smith et al. found it.", "Then it worked."]),
    ("Take vitamin D. Supplements help.", ["Take vitamin D.", "Supplements help."]),
    ("Fred H. Gage wrote it. It was cited.", ["Fred H. Gage wrote it.", "It was cited."]),
    ("See J. Bone Miner. Res. 2012 for details. Next.",
     ["See J. Bone Miner. Res. 2012 for details.", "Next."]),
    ("It appeared in J. Am. Geriatr. Soc. last month. Next.",
     ["It appeared in J. Am. Geriatr. Soc. last month.", "Next."]),
    ("(Smith et al., Br. J. Sports Med. 2019) Then Nat. Med. and Am. J. Prev. Med. agreed.",
     ["(Smith et al., Br. J. Sports Med. 2019) Then Nat. Med. and Am. J. Prev. Med. agreed."]),
    ("See Med. Sci. Sports Exerc. 2019 and Obstet. Gynecol. 2020. Next.",
     ["See Med. Sci. Sports Exerc. 2019 and Obstet. Gynecol. 2020.", "Next."]),
    # ... capitalised only: in lower case the same letters are a word that ends a sentence
    ("HIV targets the cells it can infect. Without treatment, they die.",
     ["HIV targets the cells it can infect.", "Without treatment, they die."]),
    ("The dose was 2.5 mg. It helped.", ["The dose was 2.5 mg.", "It helped."]),
    ("The U.S. agency agreed. E.g. not all.", ["The U.S. agency agreed.", "E.g. not all."]),
    ("Use a statin, e.g. atorvastatin. Then rest.",
     ["Use a statin, e.g. atorvastatin.", "Then rest."]),
    ("A loss of bone mass.1 What they found was new.",
     ["A loss of bone mass.1", "What they found was new."]),
    # Words that are abbreviations only capitalised, or before a number.
    ("She had a fallen arch. The pain grew. He ate a fig. Then he slept.",
     ["She had a fallen arch.", "The pain grew.", "He ate a fig.", "Then he slept."]),
    ("See Fig. 2 in Arch. Intern. Med. for details. He moved to Ft. Lauderdale. The wall was "
     "10 ft. The roof was low.",
     ["See Fig. 2 in Arch. Intern. Med. for details.", "He moved to Ft. Lauderdale.",
      "The wall was 10 ft.", "The roof was low."]),
    # A decimal or thousands point is no full stop, whatever follows its digits.
    ("The hazard ratio was 0.85 (95% CI, 0.72-1.01) for death. A fever of 38.5 C was common.",
     ["The hazard ratio was 0.85 (95% CI, 0.72-1.01) for death.", "A fever of 38.5 C was common."]),
    ("At $2.50 (US) a day, the pill costs less. Over 4.5 Million Americans take it.",
     ["At $2.50 (US) a day, the pill costs less.", "Over 4.5 Million Americans take it."]),
    ("Über 2.000 Menschen nahmen teil. Die Studie lief lange.",
     ["Über 2.000 Menschen nahmen teil.", "Die Studie lief lange."]),
    ("Deaths rose 42% in 2021.4 Researchers said so. See Fig. S1 and Figs. S2 and S3. Next.",
     ["Deaths rose 42% in 2021.4", "Researchers said so.", "See Fig. S1 and Figs. S2 and S3.",
      "Next."]),
    ("Energy intake averaged 2014.6 (SD 512.3) kcal a day. The short answer is no. A1C levels "
     "did not change.",
     ["Energy intake averaged 2014.6 (SD 512.3) kcal a day.", "The short answer is no.",
      "A1C levels did not change."]),
    ('"It works," she said. "Yes!" he replied.', ['"It works," she said.', '"Yes!" he replied.']),
    ("Is it safe? Yes. It is!", ["Is it safe?", "Yes.", "It is!"]),
    ("1. Bajayo, Alon, et al. Skeletal innervation.", ["1. Bajayo, Alon, et al. Skeletal innervation."]),
    ("See No. 5 here. She said no. Then left.", ["See No. 5 here.", "She said no.", "Then left."]),
    ("Published Jan. 2024 in print. Read it.", ["Published Jan. 2024 in print.", "Read it."]),
    ("Prof. Lee and Mr. Kim spoke. Both agreed.", ["Prof. Lee and Mr. Kim spoke.", "Both agreed."]),
    ("- first point. - second point.", ["- first point.", "- second point."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tricky_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# A sentence that ends in an abbreviation ends there when the next word opens a sentence (a
# closed-class word, an opening quote) or is a possessive; "Part D." is a label, not an initial.
ENDS_IN_AN_ABBREVIATION = [
    ("Zepbound costs about $1,060 a month before insurance in the U.S.",
     "Lilly's sales of the drug reached $1.2 billion in the first quarter."),
    ("The trial was funded by Eisai Inc.", "The drug costs $26,500 a year."),
    ("Leqembi is covered by Medicare Part D.", "Eisai's revenue rose."),
    ("She is a professor of psychiatry.", "Her team followed 300 teens."),
    ("It is made by Acme Co.", "The price rose."),
    ("It is made by Acme Ltd.", "However, the price rose."),
    ("It is made by Boston Scientific Corp.", "About 500,000 are implanted each year."),
    ("Pills, powders, etc.", "They all cost more."),
    ("The clinic opens at 9 a.m.", "It closes at noon."),
    ("Patients ate between 10 a.m. and 6 p.m.", "And for the 16 hours in between, they fasted."),
    ("The study was led by Jane Doe, M.D.", "She said it worked."),
    ("The drug is cheaper in the U.K.", "In the U.S. it costs more."),
    ("The method was described by Smith et al.", "They found it safe."),
    ("The trial ran in Washington, D.C.", '"We were surprised," she said.'),
    ("The tablets are sold in the U.S.", "Researchers' views differ."),
    ("She takes Vitamin K.", "It helps her bones."),
    ("One, a girl identified only as Patient A.", '"She now turns when her name is called."'),
    ("It stays on Schedule I.", "If it does, few can use it."),
    ("That is who I am.", "The rest is detail."),
    ("It is the leading cause of death in the U.S.", "According to the CDC, it kills 600,000."),
    ("Few studies have been done in the U.S.", "One in three adults has the condition."),
]
GOES_ON_AFTER_AN_ABBREVIATION = [
    "Last year the U.S. Food and Drug Administration approved it.",
    "It ranks high in U.S. News & World Report this year.",
    "The drug is sold by Eisai Inc. and Biogen in Japan.",
    "Dr. Smith said it works.",
    "J. K. Rowling wrote it.",
    "Smith et al. found that it works.",
    "John F. Kennedy signed it.",
    "John F. Kennedy's speech is famous.",
    "Part D plans cover it.",
    "The call is at 9 a.m. Eastern time.",
    "Smith et al. Nature 2019 reported it.",
    "Brightling C, et al. The Lancet Respiratory Medicine, 2016.",
    "See No. 5 for the dose.",
    "Drug vs. Placebo trials differ.",
    "The U.S. Army's top doctor agreed.",
    "He was treated at the UT M.D. Anderson's clinic.",
    "It was sold at J.C. Penney's stores.",
    "Harvard T.H. Chan School of Public Health ran it.",
    "Shares of Biogen Inc. (Nasdaq: BIIB) rose.",
    "The paper is Thase ME, J Clin Psychiatry. 2009;70:4-9.",
    "(JAMA Psychiatry. Published online August 5, 2015.)",
    "Use a statin, e.g. Lipitor, daily.",
    "Sold by Acme Inc. A. Smith said so.",
    "Heart disease is the U.S. No. 1 killer.",
    "We are grateful for the U.S. FDA's decision, she said.",
    "The U.S. President's Emergency Plan for AIDS Relief helped.",
    "Martin Luther King Jr. Day's events drew crowds.",
    "Moderna Inc. CEO's pay rose.",
    'Sen. William H. "Bill" Frist spoke.',
    "Dr. Mary E. Most of Yale said so.",
]


@pytest.mark.parametrize(("first", "second"), ENDS_IN_AN_ABBREVIATION)
def test_a_sentence_that_ends_in_an_abbreviation_ends(first: str, second: str) -> None:
    assert sentences(f"{first} {second}") == [first, second]


@pytest.mark.parametrize("text", GOES_ON_AFTER_AN_ABBREVIATION)
def test_a_name_or_title_goes_on_after_an_abbreviation(text: str) -> None:
    assert sentences(text) == [text]


def test_what_follows_an_abbreviation_is_read_only_within_the_range() -> None:
    # The range ends inside "The": what it holds after "U.S." is "Th", which opens no sentence.
    text = "It is sold in the U.S. The price is high."
    end = text.index("The") + 2
    assert split_sentences(text, 0, end) == [(0, end)]
    assert split_sentences(text, 0, end + 1) == [(0, end - 3), (end - 2, end + 1)]


@given(st.text())
def test_spans_cover_text_in_order_without_overlap(text: str) -> None:
    spans = split_sentences(text)
    cursor = 0
    for start, end in spans:
        assert cursor <= start < end <= len(text)
        assert text[cursor:start].strip() == ""  # nothing but whitespace is skipped
        assert text[start:end] == text[start:end].strip()
        cursor = end
    assert text[cursor:].strip() == ""


@given(st.text(), st.integers(0, 50), st.integers(0, 50))
def test_sub_range_stays_in_range(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    for s, e in split_sentences(text, start, end):
        assert start <= s < e <= end


class CountingText(str):
    """A text that counts the characters read from it by index, slice and search. A regex reads
    it unseen: the splitter runs its candidate regex once over the text and looks back from a
    candidate by these means alone."""

    read: int

    def __new__(cls, text: str) -> CountingText:
        made = super().__new__(cls, text)
        made.read = 0
        return made

    def __getitem__(self, key: SupportsIndex | slice) -> str:
        got = super().__getitem__(key)
        self.read += max(1, len(got))
        return got

    def find(self, sub: str, start: SupportsIndex | None = None,
             end: SupportsIndex | None = None) -> int:
        found = super().find(sub, start, end)
        lo, hi, _ = slice(start, end).indices(len(self))
        self.read += (found + len(sub) if found >= 0 else hi) - lo
        return found

    def rfind(self, sub: str, start: SupportsIndex | None = None,
              end: SupportsIndex | None = None) -> int:
        found = super().rfind(sub, start, end)
        lo, hi, _ = slice(start, end).indices(len(self))
        self.read += hi - (found if found >= 0 else lo)
        return found


@pytest.mark.parametrize("unit", ["A. ", "1. ", "J. Smith. ", "U.S. ", "Inc. ", "et al. ",
                                  "The U.S. Army's ", "Big D. "])
def test_many_non_boundaries_in_a_row_stay_linear(unit: str) -> None:
    # Each period here is a candidate the splitter rejects, so the sentence start never moves;
    # looking back from each candidate to that start made 100 kB take most of a minute. Twice
    # the candidates must cost about twice the characters read, not four times.
    # (benchmarks/memory_bounds.py --initials times a run of 100,000.)
    small, large = CountingText(unit * 2000), CountingText(unit * 4000)
    split_sentences(small)
    spans = split_sentences(large)
    assert small.read > 2000  # the reads were counted
    assert large.read < 2.5 * small.read, (small.read, large.read)
    assert spans and spans[0][0] == 0 and spans[-1][1] == len(large.rstrip())


@given(st.lists(st.integers(0, 30), max_size=30), st.lists(st.integers(0, 30), max_size=30))
def test_quoted_sentences_measure_overlap(cuts: list[int], marks: list[int]) -> None:
    def spans(points: list[int]) -> list[tuple[int, int]]:
        edges = sorted(set(points))
        return [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=False)]

    sentences, quotes = spans(cuts), spans(marks)
    expected = [2 * sum(max(0, min(e, qe) - max(s, qs)) for qs, qe in quotes) >= e - s
                for s, e in sentences]
    assert quoted_sentences(sentences, quotes) == expected


def test_a_run_on_text_is_cut_into_bounded_sentences_at_spaces() -> None:
    text = "in mice the drug may cure cancer and researchers say it could " * 5000
    spans = split_sentences(text)
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert len(spans) >= len(text) // MAX_SENTENCE_CHARS
    # Cut after a space: every piece is whole words.
    assert all(text[s - 1] == " " for s, _ in spans[1:])
    assert " ".join(text[s:e] for s, e in spans) == text.strip()


def test_a_run_without_spaces_is_cut_at_the_limit() -> None:
    text = "x" * (2 * MAX_SENTENCE_CHARS + 7)
    assert split_sentences(text) == [(0, MAX_SENTENCE_CHARS), (MAX_SENTENCE_CHARS,
                                      2 * MAX_SENTENCE_CHARS), (2 * MAX_SENTENCE_CHARS, len(text))]


def test_ordinary_sentences_are_not_cut() -> None:
    sentence = "The trial, which ran for " + "many, " * 150 + "years, ended."
    assert MAX_SENTENCE_CHARS // 2 < len(sentence) < MAX_SENTENCE_CHARS
    assert sentences(f"{sentence} Next one.") == [sentence, "Next one."]


@given(st.text(alphabet="ab .\n", min_size=MAX_SENTENCE_CHARS, max_size=4 * MAX_SENTENCE_CHARS))
def test_long_texts_keep_the_cover_and_the_bound(text: str) -> None:
    cursor = 0
    for start, end in split_sentences(text):
        assert end - start <= MAX_SENTENCE_CHARS
        assert text[cursor:start].strip() == ""
        assert text[start:end] == text[start:end].strip()
        cursor = end
    assert text[cursor:].strip() == ""
