"""quotes.py: pairing quotation marks, no model.

Each case lists the exact (start, end) of every quote found, marks excluded, and the
words those offsets must cut from the text. The offsets were worked out by hand from
the text (the guideline: the words inside the marks, their punctuation included).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotetool.quotes import DOUBLE_MARKS, SINGLE_MARKS, find_quote_spans, paragraphs
from quotetool.textview import clean_view


def _offsets(text: str) -> list[tuple[int, int]]:
    return [(q.start, q.end) for q in find_quote_spans(text)]


# (text, [(start, end, words)]) — one row per mark case.
MARK_CASES = [
    pytest.param("Speaking on CBS’s “Face the Nation,” Ryan said the talks would go on.", [],
                 id="show-title-with-its-comma-inside"),
    pytest.param("She ended the anthem “A Change Is Gonna Come.” Then she sat down.", [],
                 id="song-title-with-the-stop-inside"),
    pytest.param("He set a goal of “Peace Through Strength.” The crowd cheered.",
                 [(18, 41, "Peace Through Strength.")], id="title-case-words-after-of-are-kept"),
    pytest.param("The president added, “We’re America.”", [(22, 36, "We’re America.")],
                 id="title-case-sentence-after-a-verb-is-kept"),

    pytest.param("“We will win the cup,” she said.", [(1, 21, "We will win the cup,")], id="curly"),
    pytest.param('The coach added: "We will win the cup." Nobody doubted him.',
                 [(18, 38, "We will win the cup.")], id="straight-double"),
    pytest.param("‘We will win the cup,’ the coach said.", [(1, 21, "We will win the cup,")],
                 id="curly-single-top-level"),
    pytest.param("'We will win the cup,' the coach said.", [(1, 21, "We will win the cup,")],
                 id="straight-single-top-level"),
    pytest.param("«We will win the cup», the coach said.", [(1, 20, "We will win the cup")], id="guillemets"),
    pytest.param("„We will win the cup“, the coach said.", [(1, 20, "We will win the cup")],
                 id="low-high-german"),
    pytest.param("″We will win the cup,″ the coach said.", [(1, 21, "We will win the cup,")],
                 id="double-prime-as-mark"),
    pytest.param("Trade grew, the leader said.”I would like to thank you,” he added.",
                 [(29, 55, "I would like to thank you,")], id="opened-by-reversed-closer"),
    pytest.param("“We will win the cup,“ she said.", [(1, 21, "We will win the cup,")],
                 id="closed-by-an-opener"),
    pytest.param("He met Sergey Lavrov.“As for the talks, we agree,” he said.",
                 [(22, 49, "As for the talks, we agree,")], id="glued-to-previous-sentence"),
    pytest.param("The minister said,“we are ready.”", [(19, 32, "we are ready.")], id="glued-after-comma"),
    pytest.param("Belarus’ position, don't worry, the 1990s’ crisis and the workers' union.", [],
                 id="apostrophes-are-not-marks"),
    pytest.param("“Belarus’ farmers don't give up,” he said of the 1990s’ crisis.",
                 [(1, 32, "Belarus’ farmers don't give up,")], id="apostrophes-inside-and-after-a-quote"),
    pytest.param("“We are ready,” he said, “to help our neighbours.”",
                 [(1, 14, "We are ready,"), (26, 49, "to help our neighbours.")], id="split-quote"),
    pytest.param("“The first year was hard.\n\n“The second was harder.\n\n“The third was a success,” she said.",
                 [(1, 25, "The first year was hard."), (28, 50, "The second was harder."),
                  (53, 77, "The third was a success,")], id="multi-paragraph-one-span-each"),
    pytest.param("“He told me “go home” and left,” she said.", [(1, 31, "He told me “go home” and left,")],
                 id="nested-double-in-double"),
    pytest.param("“He told me ‘go home’ and left,” she said.", [(1, 31, "He told me ‘go home’ and left,")],
                 id="nested-single-in-double"),
    pytest.param("‘He told me “go home” and left,’ she said.", [(1, 31, "He told me “go home” and left,")],
                 id="nested-double-in-single"),
    pytest.param("“We will win the cup, she said.\n\nThe season starts in May.",
                 [(1, 31, "We will win the cup, she said.")], id="unclosed-runs-to-paragraph-end"),
    pytest.param("She said: “We will win the cup\nand the league.\n\n“Both,” he said.",
                 [(11, 46, "We will win the cup\nand the league."), (49, 54, "Both,")],
                 id="unclosed-across-a-hard-wrap"),
    pytest.param("The “One Atlanta” plan was launched. “It works,” she said.", [(38, 47, "It works,")],
                 id="title-case-name-in-double-marks-excluded"),
    pytest.param("The ‘Be Best’ campaign continues. “It works,” she said.", [(35, 44, "It works,")],
                 id="title-case-name-in-single-marks-excluded"),
    pytest.param("She called the summit “a great success” on Monday.", [(23, 38, "a great success")],
                 id="partial-quote"),
    pytest.param("The screen is 27″ wide. “We like it,” he said.", [(25, 36, "We like it,")],
                 id="double-prime-as-inches"),
    pytest.param("He is 5'10\" tall. \"We like him,\" she said.", [(19, 31, "We like him,")],
                 id="feet-and-inches-before-a-straight-quote"),
    pytest.param("A stray ” mark here.\n\n“We won,” he said.\n\nThe ” sign again.\n\n“Again,” she said.",
                 [(23, 30, "We won,"), (62, 68, "Again,")], id="stray-closers-cost-nothing"),
    pytest.param("“” and “ ” are nothing. “Yes,” he said.", [(25, 29, "Yes,")], id="empty-marks"),
    pytest.param("“Ready?” “Yes!”", [(1, 7, "Ready?"), (10, 14, "Yes!")], id="two-quotes-one-line"),
    pytest.param('Senator Roe: " Farmers need rain now." The end.', [(15, 37, "Farmers need rain now.")],
                 id="straight-opener-with-space-after"),
    pytest.param('He is 6 " tall and 7 " wide.', [], id="spaced-marks-that-close-nothing"),
    # The old convention: marks only at the two ends of a quote that runs over paragraphs.
    # Each paragraph is its own quote (the guidelines), the middle ones have no mark at all.
    pytest.param("“First part.\n\nMiddle part.\n\nLast part.”\n\nAfterwards.",
                 [(1, 12, "First part."), (14, 26, "Middle part."), (28, 38, "Last part.")],
                 id="carried-over-markless-paragraphs"),
    pytest.param("“First part.\n\nMiddle part.\n\nNo closer anywhere.",
                 [(1, 12, "First part.")], id="no-closing-paragraph-no-carry"),
    pytest.param("He said “first part.\n\nMiddle part.\n\nLast part.”",
                 [(9, 20, "first part.")], id="mid-paragraph-opener-does-not-carry"),
]


@pytest.mark.parametrize("text, expected", MARK_CASES)
def test_quote_marks(text: str, expected: list[tuple[int, int, str]]) -> None:
    # The table itself must be right: the words sit at those offsets.
    for start, end, words in expected:
        assert text[start:end] == words
    spans = find_quote_spans(text)
    assert [(q.start, q.end, text[q.start:q.end]) for q in spans] == expected


@pytest.mark.parametrize("text, expected", [
    pytest.param("“One.”\n\n“Two.”", [(0, 6), (8, 14)], id="blank-line"),
    pytest.param("One\r\n\r\nTwo", [(0, 3), (7, 10)], id="crlf-blank-line"),
    pytest.param("One\n  \t\nTwo\nstill two", [(0, 3), (8, 21)], id="whitespace-only-line"),
    pytest.param("Intro:\n- first item\n- second item", [(0, 6), (7, 19), (20, 33)], id="list-items"),
    pytest.param("\n\n  padded  \n\n", [(4, 10)], id="trimmed"),
    pytest.param("", [], id="empty"),
    pytest.param("He left.\n   She stayed.\nstill hers", [(0, 8), (12, 34)], id="first-line-indent"),
    pytest.param("He left for\n   the coast.", [(0, 25)], id="indented-wrap-inside-a-sentence"),
    pytest.param("Questions:\n   One?", [(0, 10), (14, 18)], id="indented-line-after-a-colon"),
])
def test_paragraphs(text: str, expected: list[tuple[int, int]]) -> None:
    # Paragraphs are found on the same-length clean view (CR, NBSP, ... as spaces).
    assert paragraphs(clean_view(text)) == expected


def test_spans_report_their_marks_and_paragraph() -> None:
    text = "Intro.\n\n“Closed,” he said.\n\n“Unclosed here"
    closed, unclosed = find_quote_spans(text)
    assert (closed.open_mark, closed.close_mark, closed.paragraph) == (8, 16, 1)
    assert text[closed.open_mark] == "“" and text[closed.close_mark] == "”"
    assert (unclosed.open_mark, unclosed.close_mark, unclosed.paragraph) == (28, None, 2)
    assert text[unclosed.start:unclosed.end] == "Unclosed here"


@pytest.mark.parametrize("text, expected", [
    pytest.param("&ldquo;We win,&rdquo; he said.", [(7, 14, "We win,")], id="html-entities"),
    pytest.param("**“We win,”** he said.", [(3, 10, "We win,")], id="markdown-emphasis"),
    pytest.param("“We\u00a0win,” he\u00a0said.", [(1, 8, "We\u00a0win,")], id="nbsp-kept-in-the-quote"),
    pytest.param("“We [win](https://x.org/a),” he said.", [(1, 27, "We [win](https://x.org/a),")],
                 id="markdown-link"),
    pytest.param("They admit they are “[making people\nhurt](https://x.org/status/1?s=20).” Then “[borrow size]"
                 "(https://x.org/doi/10.1080/1)”—to grow.",
                 [(22, 40, "making people\nhurt"), (80, 91, "borrow size")],
                 id="a-quote-that-is-a-whole-link-is-its-words"),
    pytest.param("<p>“We <b>win</b>,” he said.</p>", [(4, 18, "We <b>win</b>,")], id="html-tags"),
    pytest.param("“We win,”\r\n\r\n“Again,” she said.", [(1, 8, "We win,"), (14, 20, "Again,")],
                 id="crlf-paragraphs"),
])
def test_quotes_found_on_the_clean_view_index_the_original(text: str, expected) -> None:
    view = clean_view(text)
    assert len(view) == len(text)
    assert [(q.start, q.end, text[q.start:q.end]) for q in find_quote_spans(view)] == expected


# --- one odd mark never costs the rest of the document ---------------------------------------

GOOD = "“We won the final,” the coach said."


@pytest.mark.parametrize("noise", [
    pytest.param("Press “ to continue", id="stray-opener"),
    pytest.param("A stray ” closer", id="stray-closer"),
    pytest.param("He is 6'2\" and she is 5'8\".", id="feet-and-inches"),
    pytest.param("«Unclosed guillemet and „unclosed low mark", id="unclosed-foreign-marks"),
    pytest.param("''' \"\"\" ‘‘‘ ’’’ ″″″", id="runs-of-marks"),
    pytest.param("“Opened but never closed, over\na hard wrap", id="unclosed-quote"),
])
@pytest.mark.parametrize("where", ["before", "after", "both"])
def test_a_stray_mark_costs_only_its_own_paragraph(noise: str, where: str) -> None:
    parts = [GOOD, GOOD]
    if where in ("before", "both"):
        parts.insert(0, noise)
    if where in ("after", "both"):
        parts.append(noise)
    text = "\n\n".join(parts)
    found = {(q.start, q.end) for q in find_quote_spans(text)}
    pos = 0
    for _ in range(2):
        start = text.index(GOOD, pos) + 1
        end = start + len("We won the final,")
        assert (start, end) in found, text
        pos = end


# --- properties on arbitrary text -------------------------------------------------------------

_PIECES = (
    ["word", "Belarus", "don", "t", "1990s", "I", "a", "Mr", "Lavrov", "said", "One", "Atlanta", "5", "10"]
    + list(".,;:!?()[]-—–…/*_#")
    + list(DOUBLE_MARKS + SINGLE_MARKS)
    + [" ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2028", "\u3000", "\n \n", "\n- ", "\n1. "]
)


def lo_of(paras: list[tuple[int, int]], q) -> int:
    return paras[q.paragraph][0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80).map("".join) | st.text(max_size=200))
def test_find_quote_spans_is_total_and_well_formed(text: str) -> None:
    spans = find_quote_spans(text)  # never raises
    paras = paragraphs(text)
    prev_end = 0
    for q in spans:
        assert 0 <= q.start < q.end <= len(text)  # within bounds, non-empty
        assert q.start >= prev_end  # sorted, non-overlapping
        prev_end = q.end
        # A paragraph carried inside a quote that runs over paragraphs has no opening mark
        # of its own: its open_mark is its start.
        assert q.open_mark < q.start or (q.open_mark == q.start == lo_of(paras, q))
        assert q.open_mark == q.start or text[q.open_mark] in DOUBLE_MARKS + SINGLE_MARKS
        assert q.close_mark is None or (q.close_mark >= q.end and text[q.close_mark] in DOUBLE_MARKS + SINGLE_MARKS)
        lo, hi = paras[q.paragraph]
        assert lo <= q.open_mark and q.end <= hi  # never crosses its paragraph
        assert not text[q.start].isspace() and not text[q.end - 1].isspace()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_paragraphs_are_sorted_trimmed_and_disjoint(text: str) -> None:
    prev = 0
    for lo, hi in paragraphs(text):
        assert prev <= lo < hi <= len(text)
        assert not text[lo].isspace() and not text[hi - 1].isspace()
        prev = hi
