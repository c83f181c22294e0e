"""Properties of the whole pipeline on arbitrary text (hypothesis).

For any text built from words, punctuation, every quote mark and every kind of white
space (plus Markdown/HTML debris, control characters and lone surrogates), `extract`:

* never raises;
* reports quotes with ``text[start:end] == quote``, in order, never overlapping;
* keeps `clean_view` the same length as the text.

The examples here are bounded so the suite stays fast; `bench/fuzz.py` runs the same
properties over many more cases (and measures time against input size).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotetool.pipeline import extract
from quotetool.quotes import DOUBLE_MARKS, SINGLE_MARKS
from quotetool.textview import clean_view

WORDS = [
    "We", "will", "win", "the", "a", "President", "Jane", "Roe", "Mr", "Smith", "said", "says", "added",
    "told", "reporters", "according", "to", "she", "he", "they", "I", "it", "don", "t", "s", "Belarus",
    "Ministry", "of", "Foreign", "Affairs", "Q", "A", "MYTH", "FACT", "2020", "10", "Remarks", "by",
]
PUNCT = list(".,;:!?()[]-—–…/*_#&") + ["...", "--", ":", " — "]
MARKS = ["\u201c", "\u201d", '"', "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "\u201e", "\u2033"]
ALL_MARKS = sorted(set(MARKS) | set(DOUBLE_MARKS) | set(SINGLE_MARKS))
SPACES = [" ", " ", " ", "\u00a0", "\n", "\r\n", "\t", "\n\n", "\r\n\r\n", "\n \n", "\u2028", "\u3000"]
DEBRIS = [
    "**", "__", "**Jane Roe:**", "[Jane Roe](https://x.org/a)", "&ldquo;", "&rdquo;", "&quot;", "&amp;",
    "&nbsp;", "&#8220;", "&#x201D;", "<p>", "</p>", "<br>", "<b>", "</b>", "<!-- c -->", "> ", "\\*",
    "''", "\x1b[31m", "\x1b]0;t\x07", "\x00", "\x07", "\x7f", "\x85", "\ud800", "\udfff", "\ufeff", "\u202e",
    "\nTitle\nMarch 26, 2000\nMoscow\n", "---\ntitle: x\n---\n", "\n- ", "\n1. ",
]

# Small texts: any mix of the pieces. Weighted towards words and marks, which is where
# the quote finder and the attribution have the most choices to make.
piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(ALL_MARKS),
    st.sampled_from(SPACES),
    st.sampled_from(SPACES),
    st.sampled_from(PUNCT),
    st.sampled_from(DEBRIS),
)
texts = st.one_of(
    st.lists(piece, max_size=120).map("".join),
    st.text(max_size=150),  # anything at all, surrogates included
)


def check(text: str, nlp) -> None:
    doc = extract(text, nlp=nlp)  # never raises
    prev_end = 0
    for q in doc.quotes:
        assert 0 <= q.start < q.end <= len(text), (q, text)
        assert text[q.start : q.end] == q.quote, (q, text)
        assert q.start >= prev_end, ("overlapping or unsorted", doc.quotes, text)
        prev_end = q.end
    doc.to_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extract_is_total_and_offsets_hold(nlp, text: str) -> None:
    check(text, nlp)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_clean_view_keeps_the_length_and_the_line_count_never_drops(text: str) -> None:
    view = clean_view(text)
    assert len(view) == len(text)
    # Every newline of the text stays a newline (paragraphs depend on them).
    assert all(view[i] == "\n" for i, ch in enumerate(text) if ch == "\n")
    # Nothing the parser can't encode, no control characters but line breaks.
    view.encode("utf-8")
    assert not any(ch < " " and ch != "\n" for ch in view)
