"""The seed release end to end, the other samples, and the CLI on the samples folder.

samples/expected/belarus_russia_relations.jsonl is the seed's gold, written by hand from
the text: 7 quotes, all by Aleksandr Lukashenko, offsets without the marks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotetool.cli import cli
from quotetool.pipeline import extract

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = SAMPLES / "belarus_russia_relations.txt"
SEED_GOLD = SAMPLES / "expected" / "belarus_russia_relations.jsonl"
FIELDS = ("start", "end", "speaker", "speaker_mention", "cue")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _gold() -> dict:
    [record] = [json.loads(line) for line in _read(SEED_GOLD).splitlines() if line.strip()]
    return record


@pytest.fixture(scope="module")
def seed_doc(nlp):
    return extract(_read(SEED), id="belarus_russia_relations", nlp=nlp)


def test_gold_file_is_consistent_with_the_text() -> None:
    """The hand-written gold itself: each quote sits between marks, followed by its mention and cue."""
    text = _read(SEED)
    gold = _gold()
    assert set(gold) == {"id", "text", "quotes"} and len(gold["quotes"]) == 7
    assert gold["text"] == text  # the gold shape of FORMAT.md, text included
    for q in gold["quotes"]:
        assert set(q) == set(FIELDS)
        assert text[q["start"] - 1] in "\u201c\u201d" and text[q["end"]] == "\u201d"
        assert text[q["end"] + 1:].startswith(f" {q['speaker_mention']} {q['cue']}")
        assert q["speaker"] == "Aleksandr Lukashenko"


def test_seed_header(seed_doc) -> None:
    assert seed_doc.header["date"] == "2020-11-26"
    assert seed_doc.header["source"] == "President of the Republic of Belarus"
    assert seed_doc.header["dateline"] == "26 November 2020"


def test_seed_matches_gold_exactly(seed_doc) -> None:
    text = _read(SEED)
    got = [{k: getattr(q, k) for k in FIELDS} for q in seed_doc.quotes]
    assert got == _gold()["quotes"]
    for q in seed_doc.quotes:
        assert text[q.start:q.end] == q.quote


@pytest.mark.parametrize("k", range(7))
def test_seed_quote(seed_doc, k: int) -> None:
    """The same comparison one quote at a time, so a failure names the quote."""
    want = _gold()["quotes"][k]
    got = {f: getattr(seed_doc.quotes[k], f) for f in FIELDS} if k < len(seed_doc.quotes) else None
    assert got == want


# --- the other samples: quotes and speakers as written by hand ---------------------------------

# file -> [(first words of the quote, last words, speaker, speaker_mention, cue)]
SAMPLE_QUOTES = {
    "whitehouse_style.md": [
        ("When children plant", "has joined us,", "Eleanor Whitfield", "First Lady Eleanor Whitfield", "said"),
        ("Our schools planted", "run them themselves.", "Marcus Bell", "Marcus Bell, Governor of Ohio", ":"),
        ("Healthy soil makes", "makes healthy kids.", "Priya Natarajan",
         "Priya Natarajan, President of the National Soil Society", ":"),
        ("None of this would", "give up their weekends,", "Eleanor Whitfield", "she", "said"),
        ("They are the real", "heroes of this story.", "Eleanor Whitfield", "she", "said"),
        ("more than forty thousand", "initiative last year.", "the Department of Agriculture",
         "the Department of Agriculture", "according to"),
    ],
    "kremlin_style.txt": [
        ("Your region has done", "that is a good result,", "Nikolai Orlov", "Mr Orlov", "said"),
        ("How many beds", "first patients arrive?", "Nikolai Orlov", "he", "asked"),
        ("We will have 450 beds", "already on site,", "Pavel Sorokin", "the Governor", "said"),
        ("Good. Please do not", "the deadlines slip,", "Nikolai Orlov", "the President", "said"),
    ],
    "ministry_statement.txt": [
        ("This crossing will cut", "to a few hours,", "Irina Kovalenko", "the Minister", "said"),
        ("We promised to open", "before winter,", "Irina Kovalenko", "Ms Kovalenko", "said"),
        ("and we kept our word.", "and we kept our word.", "Irina Kovalenko", "Ms Kovalenko", "said"),
        ("Trade with our neighbours", "our exporters money.", "Irina Kovalenko", None, None),
        ("The new crossing is only", "will open next year,", "Irina Kovalenko", "she", "added"),
    ],
}

SAMPLE_HEADERS = {
    "whitehouse_style.md": {"title": "First Lady\u2019s School Garden Initiative Reaches Every State",
                            "date": "2024-04-22",
                            "url": "https://www.example.gov/briefings/2024/04/22/school-garden-initiative/"},
    "kremlin_style.txt": {"title": "Meeting with Governor of Kaluga Region Pavel Sorokin",
                          "date": "2021-03-03T14:00", "place": "Novo-Ogaryovo, Moscow Region"},
    "ministry_statement.txt": {"title": "Minister Kovalenko opens new border crossing with Moldova",
                               "url": "https://www.example.org/en/news/new-border-crossing-moldova-1412"},
}

# Known wrong answers of the code (see the final report); a fix turns these into XPASS failures.


@pytest.fixture(scope="module")
def sample_docs(nlp):
    return {name: extract(_read(SAMPLES / name), id=name, nlp=nlp) for name in SAMPLE_QUOTES}


@pytest.mark.parametrize("name", sorted(SAMPLE_QUOTES))
def test_sample_quotes_and_header(sample_docs, name: str) -> None:
    text = _read(SAMPLES / name)
    doc = sample_docs[name]
    for key, value in SAMPLE_HEADERS[name].items():
        assert doc.header.get(key) == value, key
    want = []
    for first, last, *_ in SAMPLE_QUOTES[name]:
        start = text.index(first)
        want.append((start, text.index(last, start) + len(last)))
    assert [(q.start, q.end) for q in doc.quotes] == want
    for q in doc.quotes:
        assert text[q.start:q.end] == q.quote


def _sample_params():
    for name, quotes in sorted(SAMPLE_QUOTES.items()):
        for k, (first, _, speaker, mention, cue) in enumerate(quotes):
            yield pytest.param(name, k, first, (speaker, mention, cue), id=f"{name}-{k}")


@pytest.mark.parametrize("name, k, first, expected", list(_sample_params()))
def test_sample_speaker(sample_docs, name: str, k: int, first: str, expected: tuple) -> None:
    quotes = sample_docs[name].quotes
    assert k < len(quotes) and quotes[k].quote.startswith(first)
    q = quotes[k]
    assert (q.speaker, q.speaker_mention, q.cue) == expected


# --- the CLI on the samples folder ---------------------------------------------------------------


def test_cli_on_the_samples_folder(runner) -> None:
    # The whole folder, as a user would point the tool at it: the gold file under
    # samples/expected/ has the gold shape with "text", so it reads as a one-document corpus.
    result = runner.invoke(cli, ["extract", str(SAMPLES), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    corpus = [r for r in records if r["id"] == "belarus_russia_relations"]
    assert len(corpus) == 1 and len(corpus[0]["quotes"]) == 7
    records = [r for r in records if r is not corpus[0]]
    names = sorted(Path(r["id"]).name for r in records)
    assert names == sorted(["belarus_russia_relations.txt", *SAMPLE_QUOTES])
    for record in records:
        path = Path(record["id"])
        text = _read(path if path.is_absolute() else SAMPLES.parent / path)
        assert record["quotes"], record["id"]
        for q in record["quotes"]:
            assert text[q["start"]:q["end"]] == q["quote"]
    seed = next(r for r in records if r["id"].endswith("belarus_russia_relations.txt"))
    assert [{k: q[k] for k in FIELDS} for q in seed["quotes"]] == _gold()["quotes"]
