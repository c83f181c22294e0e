"""Who said what across a folder: summary.py, `quotetool speakers` and `extract --speaker`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from quotetool.cli import cli
from quotetool.names import speaker_matches
from quotetool.summary import FIELDS, SpeakerTally


def _q(speaker: str | None, text: str = "We will build it this year, and it will be good.", cue: str | None = "said"):
    return {"start": 0, "end": len(text), "quote": text, "quote_clean": text, "speaker": speaker,
            "speaker_mention": None, "cue": cue, "speaker_source": "right-verb"}


def _doc(id_: str, date: str | None, *quotes: dict) -> dict:
    return {"id": id_, "header": {"date": date} if date else {}, "quotes": list(quotes)}


@pytest.mark.parametrize("names, speaker, expected", [
    (["Lukashenko"], "Aleksandr Lukashenko", True),
    (["aleksandr lukashenko"], "Aleksandr Lukashenko", True),
    (["Aleksandr  Lukashenko"], "Aleksandr\nLukashenko", True),
    (["LUKASHENKO"], "Aleksandr Lukashenko", True),
    (["Aleksandr"], "Aleksandr Lukashenko", False),  # a first name alone is not enough
    (["Lukashenko"], "Aleksandr Lukashenkov", False),
    (["Putin", "Lukashenko"], "Aleksandr Lukashenko", True),
    (["Big Aleksandr Lukashenko"], "Aleksandr Lukashenko", False),
    (["Lukashenko"], None, False),
])
def test_speaker_matches(names, speaker, expected) -> None:
    assert speaker_matches(names, speaker) is expected


def test_tally_one_row_per_speaker_across_documents() -> None:
    tally = SpeakerTally()
    tally.add(_doc("a", "2021-03-03T10:00+01:00", _q("Anna Berg"), _q("Tom Lee", cue="added"), _q("Anna Berg", "No.")))
    tally.add(_doc("b", "2020-11-26", _q("ANNA  BERG", cue="Added"), _q("anna berg", cue="added"), _q(None)))
    tally.add(_doc("c", None, _q("Anna Berg")))  # no date
    tally.add({"id": "bad", "error": "binary file"})
    tally.add(_doc("d", "2022-01-05", _q("Tom Lee", cue=":"), _q(None)))
    rows = tally.rows()
    assert [r.speaker for r in rows] == ["Anna Berg", "Tom Lee", None]  # most quotes first; no speaker last
    anna, tom, nobody = rows
    assert (anna.quotes, anna.documents, anna.first_date, anna.last_date) == (5, 3, "2020-11-26", "2021-03-03")
    assert anna.cue == "said"  # 3 said, 2 added/Added
    assert anna.example == "We will build it this year, and it will be good."
    assert (tom.quotes, tom.documents, tom.first_date, tom.last_date, tom.cue) == (2, 2, "2021-03-03", "2022-01-05",
                                                                                   "added")  # ":" is no cue
    assert (nobody.quotes, nobody.documents) == (2, 2)
    assert [r.speaker for r in tally.rows(min_quotes=3)] == ["Anna Berg"]


def test_tally_example_is_short_and_has_words() -> None:
    tally = SpeakerTally()
    long = "This is a very long quote " * 20
    tally.add(_doc("a", None, _q("Ann Lee", "Yes."), _q("Ann Lee", long.strip())))
    (row,) = tally.rows()
    assert row.example.endswith("…") and len(row.example) <= 100 and row.example.startswith("This is a very long")
    tally = SpeakerTally()
    tally.add(_doc("a", None, _q("Ann Lee", "Yes."), _q("Ann Lee", "No.")))
    assert tally.rows()[0].example == "Yes."  # nothing longer: the first


FOLDER = {
    "2021/orlov-march.txt": (
        "Meeting with Governor Pavel Sorokin\nMarch 3, 2021, 14:00\nMoscow\n\n"
        "“Your region has done well with investment this year,” Nikolai Orlov said.\n\n"
        "“We will have 450 beds and a new cardiology centre,” Pavel Sorokin said.\n"),
    "2021/orlov-june.txt": (
        "Meeting on the harvest\nJune 9, 2021\nMoscow\n\n"
        "“The harvest must be brought in without losses,” Nikolai Orlov said.\n\n"
        "“Please keep the prices for bread where they are,” the President added.\n"),
    "2020/kovalenko.md": (
        "---\ntitle: A new border crossing\ndate: 2020-09-14\n---\n\n"
        "“This crossing will cut waiting times for trucks from two days to a few hours,” "
        "Minister Irina Kovalenko said.\n"),
}


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "releases"
    for name, text in FOLDER.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return str(root)


def test_speakers_command_json(runner, folder) -> None:
    result = runner.invoke(cli, ["speakers", folder, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["speaker"] for r in rows] == ["Nikolai Orlov", "Irina Kovalenko", "Pavel Sorokin"]
    orlov = rows[0]
    assert orlov == {"speaker": "Nikolai Orlov", "quotes": 3, "documents": 2, "first_date": "2021-03-03",
                     "last_date": "2021-06-09", "cue": "said",
                     "example": "The harvest must be brought in without losses,"}
    assert set(rows[1]) == set(FIELDS)
    assert rows[1]["first_date"] == rows[1]["last_date"] == "2020-09-14"


def test_speakers_command_csv_jsonl_table_and_min_quotes(runner, folder) -> None:
    rows = list(csv.reader(io.StringIO(runner.invoke(cli, ["speakers", folder, "-f", "csv"]).stdout)))
    assert rows[0] == list(FIELDS) and rows[1][:3] == ["Nikolai Orlov", "3", "2"]
    lines = runner.invoke(cli, ["speakers", folder, "--min-quotes", "2"]).stdout.splitlines()  # piped: jsonl
    assert [json.loads(line)["speaker"] for line in lines] == ["Nikolai Orlov"]
    table = runner.invoke(cli, ["speakers", folder, "-f", "table"], env={"COLUMNS": "80"}).stdout
    assert table.splitlines()[1].split()[:4] == ["Nikolai", "Orlov", "3", "2"]
    assert "The harvest must be brought in without losses" in table


def test_speakers_to_a_file_by_suffix(runner, folder, tmp_path) -> None:
    out = tmp_path / "speakers.csv"
    result = runner.invoke(cli, ["speakers", folder, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("speaker,quotes,documents,first_date,last_date,cue,example")


def test_extract_speaker_keeps_only_their_quotes(runner, folder) -> None:
    result = runner.invoke(cli, ["extract", folder, "--speaker", "orlov", "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["id"].rsplit("/", 1)[1] for d in docs] == ["orlov-june.txt", "orlov-march.txt"]  # no Kovalenko doc
    assert {q["speaker"] for d in docs for q in d["quotes"]} == {"Nikolai Orlov"}
    assert sum(len(d["quotes"]) for d in docs) == 3
    both = runner.invoke(cli, ["extract", folder, "--speaker", "Irina Kovalenko", "--speaker", "Pavel Sorokin",
                               "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(both.stdout)))
    assert sorted(r["speaker"] for r in rows) == ["Irina Kovalenko", "Pavel Sorokin"]
    assert {r["date"] for r in rows} == {"2020-09-14", "2021-03-03T14:00"}


def test_speakers_reads_like_extract(runner, folder, tmp_path) -> None:
    # The same run as extract: a missing path is one line and the others go on (exit 1),
    # and folders with nothing to read are an error.
    nope = str(tmp_path / "nope.txt")
    result = runner.invoke(cli, ["speakers", nope, folder, "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"quotetool: error: {nope}: No such file or directory\n")
    assert [r["speaker"] for r in json.loads(result.stdout)][0] == "Nikolai Orlov"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(cli, ["speakers", str(empty), "-o", str(tmp_path / "s.csv")])
    assert result.exit_code == 1 and not (tmp_path / "s.csv").exists()
    assert result.stderr.endswith(f"quotetool: error: no input files matched *.txt, *.md, *.jsonl in {empty}\n")


def test_extract_speaker_counts_only_their_quotes(runner, folder) -> None:
    result = runner.invoke(cli, ["extract", folder, "--speaker", "orlov", "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert "3 files read, 2 documents with quotes, 3 quotes, 0 errors" in result.stderr
