"""Attribution with the real model, through `quotetool.pipeline.extract` (the code behind
`quotetool.extract` and the CLI): who said each quote.

Each row gives, for every quote of the text in order, the quoted words and the expected
(speaker, speaker_mention, cue, speaker_source). The people and organisations are invented.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quotetool
from quotetool.models import SPEAKER_SOURCES
from quotetool.names import surname
from quotetool.pipeline import extract


def _check_offsets(text: str, doc) -> None:
    for q in doc.quotes:
        assert text[q.start:q.end] == q.quote
        assert 0 <= q.start < q.end <= len(text)


CASES = [
    # --- role nouns resolve to the person holding the role -----------------------------------
    pytest.param(
        "Belarus President Aleksandr Lukashenko met grain farmers in Minsk Oblast on Monday. He praised "
        "their work.\n\n“This year the harvest is good in every region,” the head of state added.",
        [("This year the harvest is good in every region,",
          "Aleksandr Lukashenko", "the head of state", "added", "right-verb")],
        id="role-head-of-state"),
    pytest.param(
        "Belarus President Aleksandr Lukashenko met Russian Foreign Minister Sergey Lavrov in Minsk on "
        "Thursday.\n\n“We have a lot to discuss,” the minister said.\n\n“Our doors are always open,” the "
        "Belarusian leader added.",
        [("We have a lot to discuss,", "Sergey Lavrov", "the minister", "said", "right-verb"),
         ("Our doors are always open,", "Aleksandr Lukashenko", "the Belarusian leader", "added", "right-verb")],
        id="role-two-roles-two-people"),
    # --- surnames and honorifics resolve to the fullest name ---------------------------------
    pytest.param(
        "Vladimir Putin met the governors of three regions in Moscow.\n\nMr Putin said: “We must build "
        "more roads this year.”",
        [("We must build more roads this year.", "Vladimir Putin", "Mr Putin", "said", "left-verb")],
        id="surname-honorific-before-quote"),
    pytest.param(
        "Vladimir Putin met the governors of three regions in Moscow.\n\n“We must build more roads this "
        "year,” Mr Putin said.",
        [("We must build more roads this year,", "Vladimir Putin", "Mr Putin", "said", "right-verb")],
        id="surname-honorific-after-quote"),
    pytest.param(
        "Russian Foreign Minister Sergey Lavrov arrived in Minsk on Thursday.\n\n“We have a lot to "
        "discuss,” Lavrov said.",
        [("We have a lot to discuss,", "Sergey Lavrov", "Lavrov", "said", "right-verb")],
        id="bare-surname"),
    pytest.param(
        "Senator Mary Jones met farmers in Springfield.\n\n“Farmers need fair prices,” Ms Jones said.",
        [("Farmers need fair prices,", "Mary Jones", "Ms Jones", "said", "right-verb")],
        id="surname-honorific-ms"),
    pytest.param(
        "Minister of Infrastructure Irina Kovalenko opened the new border crossing on Thursday.\n\n"
        "\"We promised to open it before winter,\" Kovalenko said.",
        [("We promised to open it before winter,", "Irina Kovalenko", "Kovalenko", "said", "right-verb")],
        id="surname-after-minister-of-x"),
    # --- pronouns resolve to the nearest fitting speaker --------------------------------------
    pytest.param(
        "Finance Minister Olga Petrenko presented the budget on Monday.\n\nDeputy Minister Ivan Kravchuk "
        "defended the tax plan. “The plan is fair to everyone,” he said.",
        [("The plan is fair to everyone,", "Ivan Kravchuk", "he", "said", "right-verb")],
        id="pronoun-nearest-person"),
    pytest.param(
        "Finance Minister Olga Petrenko presented the budget on Monday.\n\nDeputy Minister Ivan Kravets "
        "defended the tax plan. “The plan is fair to everyone,” he said.",
        [("The plan is fair to everyone,", "Ivan Kravets", "he", "said", "right-verb")],
        id="pronoun-nearest-person-surname-ending-in-s"),
    pytest.param(
        "Governor Ana Ruiz signed the river bill on Tuesday. “This law protects our rivers,” she said. "
        "“It also creates jobs.”",
        [("This law protects our rivers,", "Ana Ruiz", "she", "said", "right-verb"),
         ("It also creates jobs.", "Ana Ruiz", "she", "said", "left-verb")],
        id="pronoun-split-quote"),
    pytest.param(
        "President Anna Berg welcomed Mayor Tom Baker to the capital on Monday.\n\n“Your city sets an "
        "example for the whole country,” the President said.\n\nMayor Tom Baker thanked her for the "
        "support. “It took us four years,” he said.",
        [("Your city sets an example for the whole country,", "Anna Berg", "the President", "said", "right-verb"),
         ("It took us four years,", "Tom Baker", "he", "said", "right-verb")],
        id="pronoun-subject-of-the-sentence-before-beats-previous-speaker"),
    # --- continuation: no cue, the neighbouring quote's speaker -----------------------------
    pytest.param(
        "Finance Minister Olga Petrenko presented the budget to parliament on Tuesday.\n\n“The deficit "
        "will fall next year,” she said.\n\n“We will also cut taxes for small firms.”",
        [("The deficit will fall next year,", "Olga Petrenko", "she", "said", "right-verb"),
         ("We will also cut taxes for small firms.", "Olga Petrenko", None, None, "continuation")],
        id="continuation-paragraph"),
    pytest.param(
        "President Anna Berg welcomed Mayor Tom Baker to the capital on Monday. Ms Berg praised the "
        "city's new bridge, and Berg later toured its river port with Berg's advisers.\n\n“It took us "
        "four years.\n\n“But the wait was worth it,” Mr Baker said.",
        [("It took us four years.", "Tom Baker", None, None, "multi-paragraph"),
         ("But the wait was worth it,", "Tom Baker", "Mr Baker", "said", "right-verb")],
        id="multi-paragraph-quote-takes-the-following-speaker"),
    # --- labels, "according to", inverted verbs, bylines -------------------------------------
    pytest.param(
        "**Jane Roe, Chair of the Harbor Council:** “The bridge will open in May.”",
        [("The bridge will open in May.", "Jane Roe", "Jane Roe, Chair of the Harbor Council", ":", "label")],
        id="markdown-label"),
    pytest.param(
        "Jane Roe: “The bridge will open in May.”",
        [("The bridge will open in May.", "Jane Roe", "Jane Roe", ":", "label")],
        id="plain-label"),
    pytest.param(
        "According to Mayor Tom Baker, “the bridge will open in May.”",
        [("the bridge will open in May.", "Tom Baker", "Mayor Tom Baker", "according to", "according-to")],
        id="according-to-before"),
    pytest.param(
        "According to the Department of Agriculture, “more than forty thousand students took part.”",
        [("more than forty thousand students took part.", "the Department of Agriculture",
          "the Department of Agriculture", "according to", "according-to")],
        id="according-to-organisation-before"),
    pytest.param(
        "Harbor traffic grew by a third, “more than in any year since 1990,” according to Mayor Tom Baker.",
        [("more than in any year since 1990,", "Tom Baker", "Mayor Tom Baker", "according to", "according-to")],
        id="according-to-after"),
    pytest.param(
        "“Traffic grew by a third,” according to the Port Authority.",
        [("Traffic grew by a third,", "the Port Authority", "the Port Authority", "according to", "according-to")],
        id="according-to-organisation-after"),
    # --- the header names the role holder ----------------------------------------------------
    pytest.param(
        "Meeting with Governor of Tula Region Ilya Markov\nMarch 26, 2000, 12:10\nThe Kremlin, Moscow\n\n"
        "The Governor reported on the harvest. “We gathered more grain than last year,” the Governor said.",
        [("We gathered more grain than last year,", "Ilya Markov", "the Governor", "said", "right-verb")],
        id="role-holder-named-in-kremlin-title"),
    pytest.param(
        "---\ntitle: President Anna Berg Signs the River Protection Act\ndate: '2024-05-02'\n---\n\n"
        "The new law bans dumping in the country's rivers. “Clean rivers are our shared duty,” the "
        "President said.",
        [("Clean rivers are our shared duty,", "Anna Berg", "the President", "said", "right-verb")],
        id="role-holder-named-only-in-title-case-title"),
    pytest.param(
        "“The bridge will open in May,” said Senator John Doe.",
        [("The bridge will open in May,", "John Doe", "Senator John Doe", "said", "inverted-verb")],
        id="inverted-said-x"),
    pytest.param(
        "“We will rebuild the school by September,” Mayor Tom Baker said on Monday.",
        [("We will rebuild the school by September,", "Tom Baker", "Mayor Tom Baker", "said", "right-verb")],
        id="name-then-verb-after-quote"),
    pytest.param(
        "Tom Baker, the mayor of Riverton, said: “We will rebuild the school by September.”",
        [("We will rebuild the school by September.", "Tom Baker", "Tom Baker", "said", "left-verb")],
        id="name-with-apposition-before-quote"),
    pytest.param(
        "“The bridge will open in May.” \u2015 Maria Lopez",
        [("The bridge will open in May.", "Maria Lopez", "Maria Lopez", "\u2015", "byline")],
        id="byline-dash"),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_attribution(nlp, text: str, expected: list[tuple]) -> None:
    doc = extract(text, nlp=nlp)
    _check_offsets(text, doc)
    got = [(q.quote, q.speaker, q.speaker_mention, q.cue, q.speaker_source) for q in doc.quotes]
    assert got == expected


def test_nobody_to_name_gives_null_speaker(nlp) -> None:
    text = "“Keep off the grass.”"
    [q] = extract(text, nlp=nlp).quotes
    assert (q.quote, q.speaker, q.speaker_mention, q.cue, q.speaker_source) == (
        "Keep off the grass.", None, None, None, "none")


def test_top_level_extract_api(nlp) -> None:
    text = "“The bridge will open in May,” said Senator John Doe."
    doc = quotetool.extract(text, nlp=nlp)
    assert [q.speaker for q in doc.quotes] == ["John Doe"]


def test_python_api_and_record_shape(nlp) -> None:
    text = "“The bridge will open in May,” said Senator John Doe."
    doc = extract(text, id="doc-1", nlp=nlp)
    assert isinstance(doc, quotetool.Document)
    record = doc.to_dict()
    assert record["id"] == "doc-1" and record["header"] == {}
    [q] = record["quotes"]
    assert set(q) >= {"start", "end", "quote", "speaker", "speaker_mention", "cue", "speaker_source"}
    assert text[q["start"]:q["end"]] == q["quote"]


def test_header_is_never_searched_for_quotes(nlp) -> None:
    text = ("---\ntitle: '\u201cWe Will Win,\u201d Says Governor'\ndate: '2024-01-02'\n---\n\n"
            "Governor Ana Ruiz spoke on Monday. “We will win,” she said.\n")
    doc = extract(text, nlp=nlp)
    _check_offsets(text, doc)
    assert [q.quote for q in doc.quotes] == ["We will win,"]
    assert doc.quotes[0].start > text.index("---\n\n")


@pytest.mark.parametrize("name, expected", [
    ("Vladimir Putin", "Putin"),
    ("Mr. Putin", "Putin"),
    ("Belarus President Aleksandr Lukashenko", "Lukashenko"),
    ("Putin\u2019s", "Putin"),
    ("Robert J. Dole Jr.", "Dole"),
    pytest.param("Martin Luther King Jr.", "King"),
    ("Ivan Kravets", "Kravets"),
    ("Mary Jones", "Jones"),
])
def test_surname(name: str, expected: str) -> None:
    assert surname(name) == expected


# --- the whole pipeline on arbitrary text ------------------------------------------------------

_PIECES = (
    ["Mr Putin", "the President", "he", "she", "said", "added", "according to", "Jane Roe:", "Senator John Doe",
     "Belarus President Aleksandr Lukashenko", "we", "win", "Belarus", "don't", "1990s", "One Atlanta", "\u2015"]
    + list(".,;:!?()-\u2014") + list("\u201c\u201d\u201e\"\u00ab\u00bb\u2033\u2018\u2019'")
    + [" ", " ", " ", "\n", "\n\n", "\u00a0", "\t", "**", "---\n", "date: 2020-01-01\n"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_extract_never_raises_and_offsets_hold(nlp, text: str) -> None:
    doc = extract(text, nlp=nlp)
    prev = 0
    for q in doc.quotes:
        assert text[q.start:q.end] == q.quote
        assert prev <= q.start < q.end <= len(text)
        prev = q.end
        assert q.speaker_source in SPEAKER_SOURCES
