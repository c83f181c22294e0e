"""cleantext.py and the normalised fields of the records (models.py): what a reader sees.

The exact text stays exact (``quote`` == ``text[start:end]``); these are the copies for
reading: ``quote_clean``, and names, mentions and header values on one line.
"""

from __future__ import annotations

import pytest

from quotetool.cleantext import clean_passage, clean_text
from quotetool.models import Document, Quote, normalise_field


@pytest.mark.parametrize("raw, clean", [
    ("It&rsquo;s ours &amp; <b>theirs</b>", "It’s ours & theirs"),
    (r"\[the company\] will grow, @Jane\_Doe said", "[the company] will grow, @Jane_Doe said"),
    ("see [our plan](https://example.org/plan) and *this* and __that__", "see our plan and this and that"),
    ("a hard-wrapped\n   line,\r\nand\tanother", "a hard-wrapped line, and another"),
    ("one<br>two</p><p>three", "one two three"),
    ("<!-- note -->We &#8220;will&#8221; win", "We “will” win"),
    ('<a href="https://x.org">Read</a> <span class="x">more</span>', "Read more"),
    ("We found <script>alert(1)</script> in it", "We found <script>alert(1)</script> in it"),  # content
    ("snake_case_word and 5 * 3 = 15, a < b > c", "snake_case_word and 5 * 3 = 15, a < b > c"),
    ("&nosuch; stays, C:\\path\\to stays", "&nosuch; stays, C:\\path\\to stays"),
    ("\x1b[31mred\x1b[0m and\x07 bell", "red and bell"),
    ("non\u00a0breaking\u2028separator\u200b", "non breaking separator"),
    ("  [sic] stays  ", "[sic] stays"),
    ("", ""),
])
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_passage_keeps_lines_and_edges() -> None:
    assert clean_passage("said:\r\n\n\n\n  It&rsquo;s *here*.\n  Wrapped. ") == "said:\n\nIt’s here.\nWrapped. "
    assert clean_passage(" she <b>said</b>, ") == " she said, "
    assert clean_passage(" \n \n") == "\n\n"
    assert clean_passage("  ") == " "
    assert clean_passage("") == ""


@pytest.mark.parametrize("raw, normal", [
    ("the\n   President", "the President"),
    ("JONES:", "JONES"),
    ("Jane\u00a0Doe :", "Jane Doe"),
    ("  Ann  Lee\t", "Ann Lee"),
])
def test_normalise_field(raw: str, normal: str) -> None:
    assert normalise_field(raw) == normal


def test_quote_fields_are_normalised_and_the_exact_quote_kept() -> None:
    text = "JONES:\n  “It&rsquo;s\n  ours.”"
    start = text.index("It")
    q = Quote(start, len(text) - 1, text[start:-1], "Ann\n  Jones", "JONES:", "according\nto", "inline-label")
    assert text[q.start:q.end] == q.quote == "It&rsquo;s\n  ours."
    assert (q.speaker, q.speaker_mention, q.cue, q.quote_clean) == ("Ann Jones", "JONES", "according to", "It’s ours.")
    assert q.to_dict()["quote_clean"] == "It’s ours."
    assert Quote(0, 1, "x", None, ":", ":").speaker_mention is None  # nothing left but a colon
    assert Quote(0, 1, "x", cue=":").cue == ":"  # a label's cue is a colon, and stays one


def test_document_header_values_are_normalised() -> None:
    doc = Document("a", "", {"title": "Statement on\n  the floods:", "tags": ["a\nb", 3], "priority": 2})
    assert doc.header == {"title": "Statement on the floods", "tags": ["a b", 3], "priority": 2}
