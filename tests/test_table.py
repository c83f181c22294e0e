"""The table format (table.py), rendered by Rich at 80 and 200 columns, on real extraction output.

Each test reads the recorded console as a person would: line widths, the heading, every
quote's clean text in full, the speaker's colour.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

import quotetool
from quotetool.summary import SpeakerRow
from quotetool.table import INDENT, MENTION_WIDTH, TEXT_WIDTH, SpeakerTableWriter, TableWriter

HOSPITAL = """\
Minister opens the new children's hospital in Tver
Tuesday, March 3, 2021
Tver

Minister of Health Maria Ivanova opened the new regional children's hospital on Tuesday. “This \
hospital was built in two years, which is a record for our region, and it will treat more than \
twelve thousand children a year. Every ward has its own playroom, and the parents can stay with \
their children day and night. We will open three more hospitals like this one before the end of \
next year, in Pskov, in Kursk and in Omsk,” Ms Ivanova said.

“It&rsquo;s *our* plan &amp; <b>theirs</b>,” said Tomas Berg, the head of the hospitals' association.

The Minister also thanked the builders. “They worked through the winter. Without them, we
would still be waiting for
the walls,” she added.
"""

SCHOOLS = """\
Minister visits a school in Pskov
4 March 2021

“Our teachers deserve better pay, and they will get it this year,” Maria Ivanova said.
"""


@pytest.fixture(scope="module")
def records(nlp) -> list[dict]:
    return [quotetool.extract(text, id=name, nlp=nlp).to_dict()
            for name, text in (("hospital.txt", HOSPITAL), ("schools.txt", SCHOOLS))]


def render(records: list[dict], width: int, **console_options) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), **console_options)
    writer = TableWriter(console)
    for record in records:
        writer.write(record)
    writer.close()
    return console.export_text(styles=bool(console_options))


def _joined(shown: str) -> str:
    """The shown text as one line: wrapped lines joined by a space, white space collapsed."""
    return " ".join(shown.split())


@pytest.mark.parametrize("width", [80, 200])
def test_every_quote_is_shown_in_full_within_the_width(records, width: int) -> None:
    shown = render(records, width)
    lines = shown.splitlines()
    assert max(cell_len(line) for line in lines) <= min(width, TEXT_WIDTH + INDENT)
    joined = _joined(shown)
    quotes = [q for r in records for q in r["quotes"]]
    assert len(quotes) == 4
    for q in quotes:
        assert _joined(q["quote_clean"]) in joined, q["quote_clean"]
    # the clean text, not the raw markup
    assert "It’s our plan & theirs," in joined and "&rsquo;" not in shown and "<b>" not in shown


@pytest.mark.parametrize("width, shortest, longest", [(80, 50, 80 - INDENT), (200, 90, TEXT_WIDTH)])
def test_quote_text_gets_most_of_the_width(records, width: int, shortest: int, longest: int) -> None:
    shown = render(records[:1], width).splitlines()
    first_words = records[0]["quotes"][0]["quote_clean"][:30]
    start = next(i for i, line in enumerate(shown) if line.strip().startswith(first_words))
    block = []
    for line in shown[start:]:
        if not line.startswith(" " * INDENT) or not line.strip():
            break
        block.append(line[INDENT:])
    assert len(block) >= 3
    for line in block[:-1]:  # every line but the last is filled to near the measure
        assert shortest <= len(line) <= longest, (len(line), line)


def test_heading_then_one_block_per_quote(records) -> None:
    lines = render(records[:1], 80).splitlines()
    assert lines[:3] == ["Minister opens the new children's hospital in Tver", "2021-03-03 · Tver", "hospital.txt"]
    heads = [line for line in lines if re.match(r"^ +\d+ ", line)]
    assert [h.split()[0] for h in heads] == ["1", "2", "3"]
    assert heads[0].split(None, 1)[1].startswith("Maria Ivanova · said · Ms Ivanova")
    assert "Tomas Berg · said" in heads[1]
    assert "Maria Ivanova · added · she" in heads[2]


def test_one_colour_per_speaker_for_the_whole_run(records) -> None:
    shown = render(records, 200, force_terminal=True, color_system="truecolor")
    styles = {}
    for name in ("Maria Ivanova", "Tomas Berg"):
        found = set(re.findall(r"(\x1b\[[0-9;]*m)" + name + r"\x1b", shown))
        assert len(found) == 1, (name, found)  # the same escape before the name in both documents
        styles[name] = found.pop()
    assert styles["Maria Ivanova"] != styles["Tomas Berg"]
    for style in styles.values():  # bold and coloured, never dimmed
        codes = style[2:-1].split(";")
        assert "1" in codes and "2" not in codes, style
    assert len(re.findall(re.escape(styles["Maria Ivanova"]) + "Maria Ivanova", shown)) == 3


def test_long_mention_is_cut_with_an_ellipsis() -> None:
    mention = "Tomas Berg, the chief executive officer of the National Association of Regional Hospitals"
    record = {"id": "x", "header": {}, "quotes": [{"start": 0, "end": 3, "quote": "Yes", "quote_clean": "Yes",
                                                   "speaker": "Tomas Berg", "speaker_mention": mention,
                                                   "cue": "said", "speaker_source": "inverted-verb"}]}
    for width in (80, 200):
        head = next(line for line in render([record], width).splitlines() if "Tomas Berg ·" in line)
        shown = head.split(" · ")[2].split("  ")[0]
        assert shown.endswith("…") and len(shown) <= MENTION_WIDTH and mention.startswith(shown[:-1])


def test_no_speaker_and_odd_header_values() -> None:
    record = {"id": "y.md", "header": {"title": ["a", "list"], "date": "2021-01-01", "dateline": "1 January 2021",
                                       "source": 3},
              "quotes": [{"start": 0, "end": 2, "quote": "Hi", "speaker": None, "speaker_mention": None,
                          "cue": None, "speaker_source": "none"}]}
    lines = render([record], 80).splitlines()
    assert lines[:3] == ['["a", "list"]', "2021-01-01 · 3", "y.md"]  # the dateline is the date: not repeated
    assert "no speaker" in lines[4] and lines[5] == " " * INDENT + "Hi"  # quote_clean made from the quote


def test_speaker_table_at_80_and_200_columns() -> None:
    rows = [SpeakerRow("Aleksandr Lukashenko", 14, 2, "2020-11-26", "2021-03-03", "said",
                       "As for the Belarus-Russia relations, perhaps, we do not need to talk about some kind "
                       "of reset, but…"),
            SpeakerRow("the Department of Agriculture and Rural Development of the Region", 1, 1, None, None,
                       "according to", "more than forty thousand students took part."),
            SpeakerRow(None, 2, 1, None, None, None, "Yes.")]
    for width in (80, 200):
        console = Console(width=width, record=True, file=io.StringIO())
        SpeakerTableWriter(console).write_rows(rows)
        text = console.export_text()
        lines = text.splitlines()
        assert max(cell_len(line) for line in lines) <= min(width, TEXT_WIDTH + INDENT)
        assert lines[0].split() == ["speaker", "quotes", "docs", "first", "last", "cue"]
        assert lines[1].split() == ["Aleksandr", "Lukashenko", "14", "2", "2020-11-26", "2021-03-03", "said"]
        assert _joined(rows[0].example) in _joined(text)  # the example in full
        assert any(line.startswith("no speaker") for line in lines)
