"""Batch runs: a mixed folder, worker processes, and documents longer than spaCy's max_length."""

from __future__ import annotations

import json

import pytest

from quotetool.cli import cli
from quotetool.pipeline import MAX_SEGMENT, extract, extract_many

RELEASE = (
    "Minister of Agriculture Jane Roe visited the northern farms on Monday.\n\n"
    "\u201cThis year the harvest is good in every region,\u201d the minister said. "
    "\u201cWe will help those who lost their crops.\u201d\n"
)


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_mixed_folder_good_records_and_named_errors(runner, tmp_path) -> None:
    root = tmp_path / "archive"
    (root / "2020" / "11").mkdir(parents=True)
    (root / "2020" / "11" / "a.txt").write_text(RELEASE, encoding="utf-8")
    (root / "2020" / "b.md").write_text(RELEASE.replace("Jane Roe", "Ann Lee"), encoding="utf-8")
    (root / "corpus.jsonl").write_text(
        json.dumps({"id": "c1", "text": RELEASE}) + "\n" + json.dumps({"id": "c2", "text": "No quotes."}) + "\n",
        encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (root / "legacy.txt").write_bytes(
        RELEASE.replace("Jane Roe", "Olga Petrova").encode("cp1252"))

    result = runner.invoke(cli, ["extract", str(root), "-f", "jsonl"])

    assert result.exit_code == 1
    records = {r["id"].replace(str(root) + "/", ""): r for r in _records(result.stdout)}
    assert set(records) == {"2020/11/a.txt", "2020/b.md", "c1", "c2", "empty.txt", "legacy.txt"}
    for rid in ("2020/11/a.txt", "c1"):
        assert [q["speaker"] for q in records[rid]["quotes"]] == ["Jane Roe", "Jane Roe"]
    assert [q["speaker"] for q in records["legacy.txt"]["quotes"]] == ["Olga Petrova", "Olga Petrova"]
    assert records["legacy.txt"]["encoding"] == "cp1252"
    assert records["c2"]["quotes"] == [] and records["empty.txt"]["quotes"] == []
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "binary.txt" in errors[0]


@pytest.mark.slow
def test_two_processes_equal_one_on_a_folder(runner, tmp_path) -> None:
    for i in range(12):
        name = ["Jane Roe", "Ann Lee", "Tom Baker"][i % 3]
        (tmp_path / f"r{i:02d}.txt").write_text(RELEASE.replace("Jane Roe", name), encoding="utf-8")
    one = runner.invoke(cli, ["extract", str(tmp_path), "-f", "jsonl", "-n", "1", "--batch-size", "2"])
    two = runner.invoke(cli, ["extract", str(tmp_path), "-f", "jsonl", "-n", "2", "--batch-size", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(_records(one.stdout)) == 12


def test_document_longer_than_max_length_gets_its_paragraphs_quotes(nlp) -> None:
    paragraphs = []
    filler = "The committee reviewed the budget line by line and adjourned late in the evening. " * 12
    for i in range(12):
        paragraphs.append(f"\u201cThe plan number {i} is ready,\u201d said Senator Mary Jones{i}. "
                          f"\u201cWe will vote on it soon.\u201d")
        paragraphs.extend([filler] * 110)
    text = "\n\n".join(paragraphs)
    assert len(text) > nlp.max_length

    whole = extract(text, nlp=nlp, header=False)

    expected = []
    pos = 0
    for para in paragraphs:
        start = text.index(para, pos)
        pos = start + len(para)
        if "\u201c" in para:
            alone = extract(para, nlp=nlp, header=False)
            expected += [(q.start + start, q.end + start, q.quote, q.speaker, q.cue) for q in alone.quotes]
    assert [(q.start, q.end, q.quote, q.speaker, q.cue) for q in whole.quotes] == expected
    assert len(expected) == 24 and all(text[s:e] == quote for s, e, quote, _, _ in expected)


def test_one_huge_paragraph_is_parsed_in_windows(nlp) -> None:
    sentence = "The delegates spoke at length about roads, schools and the harbour. "
    inner = "\u201cWe need a new bridge,\u201d said Mayor Tom Baker. "
    text = sentence * (MAX_SEGMENT // len(sentence) * 3) + inner + sentence * 2000 + inner
    quotes = extract(text, nlp=nlp, header=False).quotes
    assert [(q.quote, q.speaker, q.cue) for q in quotes] == [("We need a new bridge,", "Tom Baker", "said")] * 2
    assert all(text[q.start:q.end] == q.quote for q in quotes)


def test_extract_many_streams_in_input_order(nlp) -> None:
    items = ((f"d{i}", RELEASE.replace("Jane Roe", f"Jane Roe{i}") if i % 2 else "Nothing here.", None)
             for i in range(7))
    docs = list(extract_many(items, nlp=nlp, batch_size=3))
    assert [d.id for d in docs] == [f"d{i}" for i in range(7)]
    assert [len(d.quotes) for d in docs] == [0, 2, 0, 2, 0, 2, 0]
