"""corpus/convert.py, build.py, sample.py and annotate.py on small inline samples.

The corpus itself needs the pinned snapshots (not on CI); these tests check the converters,
the snapshot reading, the checksums and the standoff round trip on texts written here.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _load(name: str):
    sys.path.insert(0, str(CORPUS))
    try:
        spec = importlib.util.spec_from_file_location(name, CORPUS / f"{name}.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod  # sample.py imports build by name
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.path.remove(str(CORPUS))


convert = _load("convert")
build = _load("build")
sample = _load("sample")
annotate = _load("annotate")


# --- converters ----------------------------------------------------------------------------

OFFICE_FILE = """Title: Roe Introduces the Clean Rivers Act
Date: Monday, March 3, 2025

Content:
WASHINGTON
– Today, Senator Jane Roe (D-Ore.)
introduced the
Clean Rivers Act
, a bill to fund river clean-ups.
“
Our rivers are not dumping grounds
,”
said Senator Roe.
“
This bill gives towns the tools to clean them
.”
Read the bill
here
.
==
Title: Roe Statement on the Budget
Date: March 1, 2025
PR Tag: Press Release

Content:
WASHINGTON, D.C. – Senator Jane Roe released the following statement:

“This budget fails working families.”

Roe has opposed the cuts since January.=="""


def test_office_records_split_on_separators_even_glued_to_text():
    records = convert.congress_records(OFFICE_FILE)
    assert [r.splitlines()[0] for r in records] == [
        "Title: Roe Introduces the Clean Rivers Act", "Title: Roe Statement on the Budget"]


def test_office_record_lines_broken_at_inline_elements_are_rejoined():
    rel = convert.convert_congress(OFFICE_FILE, "0")
    assert rel.title == "Roe Introduces the Clean Rivers Act"
    assert rel.dateline == "Monday, March 3, 2025"
    assert rel.paragraphs == (
        "WASHINGTON – Today, Senator Jane Roe (D-Ore.) introduced the Clean Rivers Act, a bill to "
        "fund river clean-ups.",
        "“Our rivers are not dumping grounds,” said Senator Roe.",
        "“This bill gives towns the tools to clean them.”",
        "Read the bill here.",
    )


def test_office_record_with_blank_line_paragraphs_keeps_them():
    rel = convert.convert_congress(OFFICE_FILE, "1")
    assert rel.paragraphs == (
        "WASHINGTON, D.C. – Senator Jane Roe released the following statement:",
        "“This budget fails working families.”",
        "Roe has opposed the cuts since January.",
    )
    assert rel.text() == (
        "Roe Statement on the Budget\nMarch 1, 2025\n\n"
        "WASHINGTON, D.C. – Senator Jane Roe released the following statement:\n\n"
        "“This budget fails working families.”\n\nRoe has opposed the cuts since January.\n")


MARKDOWN_POST = """---
title: 'Harbor Foundation Welcomes Two New Members'
date: 2024-05-02T10:00:00Z
authors:
  - pat
---

> Harbor Foundation Welcomes Two New Members

{{< figure src="/img/members.png" >}}
SAN DIEGO, May 2, 2024 — The [Harbor Foundation](https://example.org/), a non-profit for
open data, today welcomed **two new members**.

## What they said

&#8220;We are glad to join,&#8221; said Ana Ruiz, chief of _Tidewater Labs_.
"Open data needs open governance," said Lee Park of Pier Works.
![logo](/img/logo.png)

- Tidewater Labs
- Pier Works

```
code that is not prose
```

### About the Harbor Foundation

The Harbor Foundation supports open data.
"""


def test_markdown_post_loses_markup_and_boilerplate_but_keeps_words_and_marks():
    rel = convert.convert_markdown(MARKDOWN_POST, "content/news/2024-05-02-members.md", "")
    assert rel.title == "Harbor Foundation Welcomes Two New Members"
    assert rel.dateline == "2024-05-02T10:00:00Z"
    assert rel.paragraphs == (
        "SAN DIEGO, May 2, 2024 — The Harbor Foundation, a non-profit for open data, today "
        "welcomed two new members.",
        "What they said",
        "“We are glad to join,” said Ana Ruiz, chief of Tidewater Labs. \"Open data needs open "
        "governance,\" said Lee Park of Pier Works.",
        "Tidewater Labs",
        "Pier Works",
    )


def test_markdown_keeps_underscores_and_asterisks_inside_words():
    paras = convert.markdown_paragraphs("The snake_case name and 5*3 stay, as does *this* one.\n")
    assert paras == ["The snake_case name and 5*3 stay, as does this one."]


def test_markdown_date_falls_back_to_the_path():
    rel = convert.convert_markdown("---\ntitle: A\n---\nText here.\n", "_posts/2011-10-26-a.md", "")
    assert rel.dateline == "2011-10-26"


def test_pmd_page_drops_its_cut_off_first_line():
    page = ("President Meets Farmers to Discuss…\n\nPresident Meets Farmers to Discuss the Harvest\n\n"
            "The President met farmers today.\n\n“We will help,” the President said.")
    rel = convert.convert_pmd(page, "data/x/2024/2024-10-25-en-abc123/doc.txt", "")
    assert rel.title == "President Meets Farmers to Discuss the Harvest"
    assert rel.dateline == "2024-10-25"
    assert rel.paragraphs == ("The President met farmers today.", "“We will help,” the President said.")


# --- pool --------------------------------------------------------------------------------------

def _release(body: str) -> str:
    return "Title\n2024-01-01\n\n" + body


def test_pool_wants_words_english_and_a_pair_of_marks():
    words = " ".join(["the river and the town"] * 40)
    assert sample.qualifies(_release(words + " “We will clean it,” said Roe."))
    assert not sample.qualifies(_release(words + " It's Roe's bill."))            # apostrophes only
    assert not sample.qualifies(_release("“Short,” she said."))                   # too short
    assert not sample.qualifies(_release(" ".join(["el río y la ciudad"] * 60) + " “Sí.”"))


def test_blog_pool_also_wants_a_quote_beside_a_reporting_verb():
    words = " ".join(["the river and the town"] * 40)
    scare = _release(words + " the so-called “experts” were wrong.")
    speech = _release(words + " “We will clean it,” said Roe.")
    assert sample.qualifies(scare) and not sample.qualifies(scare, speech=True)
    assert sample.qualifies(speech, speech=True)


# --- snapshots, checksums, gold -------------------------------------------------------------

@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_build_reads_a_pinned_commit_checks_sums_and_writes_standoff_gold(tmp_path):
    repo = tmp_path / "mirror" / "acme+releases" / "repo"
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    (repo / "office.txt").write_text(OFFICE_FILE, encoding="utf-8")
    subprocess.run(git + ["add", "office.txt"], check=True)
    subprocess.run(git + ["commit", "-qm", "one"], check=True)
    commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    # a later commit changes the file: the pinned one must still be what is read
    (repo / "office.txt").write_text("Title: changed\n\nContent:\nchanged\n", encoding="utf-8")
    subprocess.run(git + ["commit", "-qam", "two"], check=True)

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sources.tsv").write_text(
        "source\tpublisher\tkind\trepo\tcommit\tconverter\tpattern\tn\tlicence\tpool\n"
        f"roe\tSen. Jane Roe\tlegislator\tacme/releases\t{commit}\tcongress\toffice.txt\t2\tnone\tquotes\n",
        encoding="utf-8")
    (corpus / "manifest.tsv").write_text("id\tsource\tpath\trecord\nroe_001\troe\toffice.txt\t1\n", encoding="utf-8")
    texts = build.build(tmp_path / "mirror", tmp_path / "out", corpus)
    text = (tmp_path / "out" / "roe_001.txt").read_text(encoding="utf-8")
    assert texts == {"roe_001": text} and text.startswith("Roe Statement on the Budget\n")

    assert build.check_sums(texts, corpus) == ["roe_001"]          # no SHA256SUMS yet
    (corpus / "SHA256SUMS").write_text(build.sha256s(texts), encoding="utf-8")
    assert build.check_sums(texts, corpus) == []
    assert build.check_sums({"roe_001": text + " "}, corpus) == ["roe_001"]

    start = text.index("This budget")
    end = text.index("families.") + len("families.")
    (corpus / "annotations.jsonl").write_text(json.dumps(
        {"id": "roe_001", "quotes": [{"start": start, "end": end, "speaker": "Jane Roe",
                                      "speaker_mention": "Senator Jane Roe", "cue": "released the following statement"}]}) + "\n",
        encoding="utf-8")
    (doc,) = build.gold(texts, corpus)
    assert doc["publisher"] == "roe" and doc["kind"] == "legislator"
    assert doc["quotes"][0]["text"] == "This budget fails working families."


def test_missing_snapshot_names_the_repository(tmp_path):
    with pytest.raises(FileNotFoundError, match="acme/none"):
        build.git_dir(tmp_path, "acme/none")


# --- annotation tools -------------------------------------------------------------------------

TEXT = "T\nD\n\n“We are ready,” she said, “to help.”\n\n“It runs on\n\nand on.”\n"


def test_span_cuts_from_first_to_last_words_and_counts_occurrences():
    s, e = annotate.find_span(TEXT, "We are", "ready,")
    assert TEXT[s:e] == "We are ready,"
    s, e = annotate.find_span(TEXT, "to", "help.", nth=1)
    assert TEXT[s:e] == "to help."
    with pytest.raises(ValueError):
        annotate.find_span(TEXT, "absent", "words")


def test_check_catches_shifted_text_and_paragraph_crossing_spans():
    s = TEXT.index("It runs")
    e = TEXT.index("and on.") + len("and on.")
    problems = annotate.check(TEXT, {"quotes": [
        {"start": s, "end": e, "speaker": None},
        {"start": 5, "end": 10, "text": "not this", "speaker": "X"},
        {"start": 5, "end": 10}]})
    assert any("paragraph break" in p for p in problems)
    assert any("quote 2" in p and "not this" in p for p in problems)
    assert any("quote 3: no speaker" in p for p in problems)


def test_agreement_uses_the_scorer_matching_rules(tmp_path):
    (tmp_path / "x.txt").write_text(TEXT, encoding="utf-8")
    a = {"x": {"quotes": [{"start": 5, "end": 18, "speaker": "Jane Roe"},
                          {"start": 31, "end": 39, "speaker": "Jane Roe"}]}}
    b = {"x": {"quotes": [{"start": 5, "end": 17, "speaker": "Ms. Roe"},
                          {"start": 31, "end": 39, "speaker": "Pat Doe"},
                          {"start": 43, "end": 53, "speaker": None}]}}
    stats, lines = annotate.agree(a, b, tmp_path)
    assert stats["matched"] == 2 and stats["quotes_b"] == 3
    assert stats["speaker_agreement"] == 0.5 and stats["speaker_same_string"] == 0.0
    assert any("\tspeaker\t" in ln and "Pat Doe" in ln for ln in lines)
    assert any("\tonly_B\t" in ln for ln in lines)


WIRE_PAGE = """---
slug: lab-wins-grant
title: "Lab Wins Grant"
date: 2012-05-01
author: example-university
---
Lab Wins Grant
==============

**Tuesday, 1 May 2012, 9:05 am**  
**Press Release: [Example University](https://info.example.org/Example_University)**

Lab Wins Grant for Coastal Study

![](http://img.example.org/lab.jpeg)  

“We are thrilled,” said Professor Ana Ruiz.

Advertisement - scroll to continue reading

The study starts in June.

Ends

[© Example Wire](http://www.example.org/terms.html)  

### Using the wire for work?

A paid licence is needed for work use.
"""


def test_wire_page_keeps_the_story_and_drops_the_wire_furniture():
    rel = convert.convert_scoop(WIRE_PAGE, "source/archive/scoop/example-university/2012-05-01_x.md", "")
    assert rel.title == "Lab Wins Grant"
    assert rel.dateline == "Tuesday, 1 May 2012, 9:05 am"
    assert rel.paragraphs == ("Lab Wins Grant for Coastal Study", "“We are thrilled,” said Professor Ana Ruiz.",
                              "The study starts in June.")


def test_wire_speech_or_column_is_not_a_release():
    speech = WIRE_PAGE.replace("**Press Release: [", "**Speech: [")
    with pytest.raises(convert.NotARelease):
        convert.convert_scoop(speech, "x.md", "")


def test_audit_flags_a_span_cut_at_an_unmarked_occurrence():
    text = "T\nD\n\nThey would recommend us to a friend. One said they “would recommend us to a friend”.\n"
    wrong = text.index("recommend us")               # the unmarked first occurrence
    right = text.index("would recommend us", wrong + 1)
    quotes = [{"start": wrong, "end": wrong + 24}, {"start": right, "end": right + 30}]
    notes = annotate.audit(text, quotes)
    assert len(notes) == 1 and notes[0].startswith("quote 1")


def test_markdown_escapes_are_literal_and_code_spans_lose_their_backticks():
    paras = convert.markdown_paragraphs(
        "\\`\\`Cameras slow drivers down,’’ he said.\n\n"
        "Run `` npm test `` or `make`, then look with` snapper list`; \\~100 runs.\n")
    assert paras == ["``Cameras slow drivers down,’’ he said.",
                     "Run npm test or make, then look with snapper list; ~100 runs."]
