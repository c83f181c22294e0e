"""Find direct-quote spans in a text by pairing quotation marks.

Pure string code: no spaCy, no I/O, never raises on odd marks. Works one
paragraph at a time, so an unbalanced mark costs at most its own paragraph.

Marks are judged by their context, not only by their shape, because real
releases use them loosely: a quote may open with a closing mark (”I would …),
be glued to the previous sentence (Lavrov.“As for …), run unclosed to the end
of its paragraph (the old multi-paragraph convention), or use straight marks
for both ends. Apostrophes (Belarus’, don't) are told apart by the letters
around them. Everything is a single left-to-right pass: linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import WORK_NOUNS

DOUBLE_MARKS = "\u201c\u201d\u201e\u201f\"\u00ab\u00bb\u2033\u301d\u301e"
SINGLE_MARKS = "\u2018\u2019\u201a\u201b'\u2039\u203a"
_OPENERS = "\u201c\u201e\u201f\u00ab\u2018\u201a\u201b\u2039\u301d"
_CLOSERS = "\u201d\u00bb\u2019\u203a\u301e"
_SENTENCE_END = ".!?"
_OPEN_LEFT = "([{\u2014\u2013-/:;" + DOUBLE_MARKS + SINGLE_MARKS
_GLUE_LEFT = ".,;:!?"

# A paragraph ends at a blank line (whitespace only), before a Markdown list item, where
# a line that ends a sentence (or a colon) is followed by a line that opens a quote, or by an indented
# line (the first-line indent of older releases: "…efforts.\n   Frist and Alexander …").
_PARAGRAPH_BREAK = re.compile(
    r"\n[ \t]*(?:\n[ \t]*)+"
    r"|\n(?=[ \t]*(?:[-*\u2022]|\d{1,3}[.)])[ \t])"
    r"|(?<=[.!?\u201d\"\u2019):])[ \t]*\n(?=[ \t]*[\u201c\u201e\"\u00ab]|[ \t]{2,}[A-Z])")


@dataclass(frozen=True)
class QuoteSpan:
    """A quote's words (``start:end``, marks excluded) and where its marks are."""

    start: int
    end: int
    #: offset of the opening mark; for a paragraph inside a quote that runs over
    #: several paragraphs with no mark of its own, the paragraph's start (== start)
    open_mark: int
    close_mark: int | None  # offset of the closing mark; None when unclosed
    paragraph: int  # index of the paragraph it lies in


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, whitespace-trimmed, empty ones dropped."""
    out = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _context(text: str, i: int, lo: int, hi: int) -> tuple[str, str]:
    left = text[i - 1] if i > lo else " "
    right = text[i + 1] if i + 1 < hi else " "
    return left, right


def _opens(text: str, i: int, lo: int, hi: int) -> bool:
    """Could the mark at i open a quote? Space (or a bracket) before, a word after,
    or glued to the end of the previous sentence (``Lavrov.“As``)."""
    left, right = _context(text, i, lo, hi)
    if right.isspace():
        return False
    if left.isspace() or left in _OPEN_LEFT:
        return True
    return left in _GLUE_LEFT and (right.isalnum() or right in "[(\u2026")


#: How far a straight mark with space on both sides looks for the mark that closes it.
_SPACED_REACH = 2000


def _spaced_opener(text: str, i: int, lo: int, hi: int) -> bool:
    """A straight mark with space on both sides (``Senator Roe: " Berkeley needs …."``)
    opens a quote when the next mark of the paragraph closes one."""
    left, right = _context(text, i, lo, hi)
    if text[i] != '"' or not (left.isspace() and right.isspace()):
        return False
    j = text.find('"', i + 1, min(hi, i + _SPACED_REACH))
    return j > i + 2 and _closes(text, j, lo, hi)


def _closes(text: str, i: int, lo: int, hi: int) -> bool:
    """Could the mark at i close a quote? A word or punctuation before (blanked markup
    between does not count: “[borrow size](https://…)”), and space, punctuation or the
    paragraph end after."""
    left, right = _context(text, i, lo, hi)
    if left.isspace() and i - BLANK_RUN >= lo and text[i - BLANK_RUN:i].isspace() and "\n" not in text[i - BLANK_RUN:i]:
        j = i - 1
        while j > lo and text[j] == " ":
            j -= 1
        left = text[j]
    if left.isspace():
        return False
    return not right.isalnum() or left in _GLUE_LEFT


def _is_apostrophe(text: str, i: int, lo: int, hi: int) -> bool:
    left, right = _context(text, i, lo, hi)
    return left.isalnum() and right.isalnum()


def _looks_like_title(words: str) -> bool:
    """“One Atlanta”, ‘Be Best’, “Take It Down Act”: a short run of capitalised
    words with no sentence punctuation is a name, not speech."""
    tokens = words.split()
    if not tokens or len(tokens) > 5 or any(c in words for c in ".!?,;:"):
        return False
    small = {"a", "an", "the", "of", "and", "for", "to", "in", "on", "it", "at", "by", "&"}
    caps = [t for t in tokens if t[:1].isupper() or t[:1].isdigit()]
    rest = [t for t in tokens if not (t[:1].isupper() or t[:1].isdigit())]
    return len(caps) >= 2 and all(t.lower() in small for t in rest) and tokens[0][:1].isupper()


#: A headline is one line this short at most.
HEADLINE_CHARS = 200


def is_first_line(text: str, lo: int, hi: int, index: int) -> bool:
    """Is paragraph `index` ([lo, hi) of `text`) the text's first, one short line?"""
    return index == 0 and hi - lo <= HEADLINE_CHARS and "\n" not in text[lo:hi].strip()


def is_headline(text: str, lo: int, hi: int, index: int) -> bool:
    """Is paragraph `index` ([lo, hi) of `text`) a headline: the first, one short line, in
    Title Case?"""
    if not is_first_line(text, lo, hi, index):
        return False
    # Every word of four letters or more capitalised (a sentence has its verbs in lower case).
    long_words = [w for w in re.findall(r"[^\W\d_][\w\u2019'-]*", text[lo:hi]) if len(w) > 3]
    return len(long_words) >= 3 and all(w[0].isupper() for w in long_words)


#: A run of this many spaces inside a paragraph is blanked markup (a link's target, a
#: tag), not typing.
BLANK_RUN = 4
_BLANKED_TAIL = re.compile(r"\s{%d,}[.,;:!?]*\Z" % BLANK_RUN)


#: Words before a title in marks: on “Face the Nation,”, CBS’s “Face the Nation.”, the
#: episode of “The Morning Show,”, his book, “Save Early.”.
_BEFORE_WORK = re.compile(r"(?:\b(?:on|in|at|from)|\w(?:\u2019|')s|\b(?:" + "|".join(sorted(WORK_NOUNS))
                          + r")(?:\s+of|,)?)\s*\Z", re.I)


def _named_work(text: str, s: int, e: int, lo: int, hi: int) -> bool:
    """A Title Case name whose sentence's stop or comma sits inside the marks (American
    style): a show, a book or a song after "on", "of" or a possessive, or a subheading
    alone on its line."""
    words = text[s:e]
    if words[-1:] not in (".", ",") or not _looks_like_title(words[:-1]):
        return False
    before = text[max(lo, s - 30):s - 1]
    alone = not before.strip() and not text[e + 1:hi].strip(" \t\u201d\u2019\"'")
    return alone or _BEFORE_WORK.search(before) is not None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    first = s
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    # “[making people hurt](https://…).”: a quote that is a whole link is the link's
    # words, not its target.
    m = _BLANKED_TAIL.search(text, s, e) if s > first and e - s > BLANK_RUN else None
    if m is not None and m.start() > s:
        e = m.start()
    return s, e


def _scan_paragraph(text: str, lo: int, hi: int, index: int) -> list[QuoteSpan]:
    """Pair the double marks of one paragraph; single marks pair only outside them."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    depth = 0  # nested quotes inside the open one
    single_at: int | None = None  # an open single-marked quote outside double marks
    # In a headline every word is capitalised: there, capitals do not make a title.
    in_headline = is_headline(text, lo, hi, index)

    def emit(open_mark: int, close_mark: int | None, end: int) -> None:
        s, e = _trim(text, open_mark + 1, end)
        if e > s and (in_headline or not (_looks_like_title(text[s:e]) or _named_work(text, s, e, lo, hi))):
            spans.append(QuoteSpan(s, e, open_mark, close_mark, index))

    # The last mark that could close a single-marked quote: double marks before it,
    # inside an open ‘…’, are nested (British style: ‘He said “go home” and left,’).
    last_single_close = -1
    for k in range(hi - 1, lo - 1, -1):
        if text[k] in "\u2019'" and _closes(text, k, lo, hi) and not _is_apostrophe(text, k, lo, hi):
            last_single_close = k
            break

    for i in range(lo, hi):
        ch = text[i]
        if ch in DOUBLE_MARKS:
            if single_at is not None and i < last_single_close:
                continue
            single_at = None  # a double mark ends any single-mark guess
            if open_at is None:
                if _opens(text, i, lo, hi) or (ch in _OPENERS and not _closes(text, i, lo, hi)) \
                        or _spaced_opener(text, i, lo, hi):
                    open_at, depth = i, 0
                continue
            # Inside a quote: a mark that opens rather than closes is either a
            # nested quote or, after a finished sentence, a new quote whose
            # predecessor was never closed (paragraphs joined by a scraper).
            opens, closes = _opens(text, i, lo, hi), _closes(text, i, lo, hi)
            left_word = text[i - 1] if i > lo else " "
            if opens and not (closes and ch not in _OPENERS):
                j = i - 1
                while j > open_at and text[j].isspace():
                    j -= 1
                if depth == 0 and left_word.isspace() and text[j] in _SENTENCE_END and ch not in _CLOSERS:
                    emit(open_at, None, j + 1)
                    open_at = i
                elif ch in _CLOSERS and left_word in _GLUE_LEFT:
                    # ``added.”I would``: a closer glued to a word is a close
                    if depth:
                        depth -= 1
                    else:
                        emit(open_at, i, i)
                        open_at = None
                else:
                    depth += 1
            elif closes or ch in _CLOSERS:
                if depth:
                    depth -= 1
                else:
                    emit(open_at, i, i)
                    open_at = None
        elif ch in SINGLE_MARKS and open_at is None:
            if _is_apostrophe(text, i, lo, hi):
                continue
            if single_at is None:
                if ch != "\u2019" and _opens(text, i, lo, hi):
                    single_at = i
            elif _closes(text, i, lo, hi) and not (text[i - 1] in "sS" and text[i + 1 : i + 2] == " "
                                                 and text[i + 2 : i + 3].islower()):
                emit(single_at, i, i)
                single_at = None
    if open_at is not None:
        emit(open_at, None, hi)
    return spans


#: A quote carried over more paragraphs than this with no mark is not believed.
MAX_CARRIED_PARAGRAPHS = 12


def _closing_paragraph(text: str, lo: int, hi: int, spans: list[QuoteSpan]) -> int | None:
    """The closing mark that ends a paragraph which has no opening mark of its own: the
    last paragraph of a quote carried over paragraph breaks (“A.¶B.¶C.”). Only a mark
    at the paragraph's very end (punctuation after it at most) counts."""
    end = hi
    while end > lo and text[end - 1] in ".,;:!?)" and text[end - 1] not in DOUBLE_MARKS:
        end -= 1
    k = end - 1
    if k <= lo or text[k] not in DOUBLE_MARKS or not _closes(text, k, lo, hi) or _opens(text, k, lo, hi):
        return None
    first_mark = next((i for i in range(lo, hi) if text[i] in DOUBLE_MARKS), None)
    if first_mark != k or any(q.open_mark <= k for q in spans):
        return None
    return k


def _carry_over(text: str, paras: list[tuple[int, int]], per_para: list[list[QuoteSpan]]) -> None:
    """Quotes that run over several paragraphs with marks only at their two ends: the old
    convention's middle paragraphs have no marks at all, and the last ends with the
    closing mark. A quote that opens its paragraph and is left open there carries over
    the markless paragraphs that follow to the one that closes it; each paragraph is one
    quote (the guidelines' rule). Nothing changes when no closing paragraph is found."""
    for i, spans in enumerate(per_para):
        if not spans or spans[-1].close_mark is not None:
            continue
        first = spans[-1]
        if text[paras[i][0]:first.open_mark].strip():
            continue  # a stray mark inside a paragraph, not the start of a long quote
        middle: list[int] = []
        for j in range(i + 1, min(len(paras), i + 2 + MAX_CARRIED_PARAGRAPHS)):
            lo, hi = paras[j]
            close = _closing_paragraph(text, lo, hi, per_para[j])
            if close is not None:
                for m in middle:
                    s, e = paras[m]
                    per_para[m].append(QuoteSpan(s, e, s, None, m))
                s, e = _trim(text, lo, close)
                if e > s:
                    per_para[j].insert(0, QuoteSpan(s, e, s, close, j))
                break
            if per_para[j] or any(c in DOUBLE_MARKS for c in text[lo:hi]):
                break
            middle.append(j)


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every direct-quote span in `text`, in order, without its marks.

    `text` should be the clean view (see `textview.clean_view`) or any text of
    the same length; offsets index the original text either way.
    """
    paras = paragraphs(text)
    per_para = [_scan_paragraph(text, lo, hi, index) for index, (lo, hi) in enumerate(paras)]
    _carry_over(text, paras, per_para)
    return [q for spans in per_para for q in spans]
