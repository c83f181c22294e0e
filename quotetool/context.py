"""What attribution knows about one quote, gathered once: `QuoteContext`.

A context holds the quote, its paragraph, its neighbours, and the parsed tokens
on each side of it: the right side runs from the closing mark to the next quote
of the paragraph (or the paragraph's end), the left side from the start of the
sentence (or the previous quote) to the opening mark. A quote that opens its
paragraph after a paragraph ending in a colon also gets that lead-in's tokens.
Every sieve reads a context; none goes back to the plan.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from .lexicon import ABBREVIATIONS, FIRST_PERSON
from .plan import Plan, introduces
from .quotes import QuoteSpan, is_first_line, is_headline


@dataclass(frozen=True)
class Window:
    """Tokens [lo, hi) of a parsed piece, and the character where the quote's mark is."""

    doc: Doc
    lo: int
    hi: int
    mark: int  # character offset in `doc` of the closing mark's end (right) or opening mark (left)

    def tokens(self) -> list:
        return [t for t in self.doc[self.lo:self.hi] if not t.is_space]


#: How much of the paragraph before a quote its context keeps.
BEFORE_CHARS = 200


@dataclass(frozen=True)
class QuoteContext:
    index: int  # the quote's position among the document's quotes
    span: QuoteSpan
    words: str  # the quote's words as the clean view gives them
    paragraph: str  # the clean text of the quote's paragraph
    #: the clean text of the paragraph before the opening mark, at most BEFORE_CHARS of it
    #: (a paragraph may hold thousands of quotes: a whole prefix per quote is quadratic)
    before: str
    para_start: int  # where the quote's paragraph starts
    #: the start of the next paragraph, when the quote ends its own (a byline below it)
    below: str
    right: Window | None
    left: Window | None
    lead: Window | None  # the end of a lead-in paragraph ("… said:") before a paragraph-opening quote
    offset: int  # where the parsed piece holding the quote starts in the text
    doc: Doc | None  # that piece
    #: the document's own words (outside the quotes) are someone's speech, in the first
    #: person: a transcript, an address, a statement (`speaks_in_first_person`)
    spoken: bool = False

    @property
    def opens_paragraph(self) -> bool:
        """Nothing but white space before the opening mark (paragraphs are trimmed)."""
        return self.span.open_mark == self.para_start

    @property
    def on_first_line(self) -> bool:
        """The quote stands in the text's first paragraph, one short line (a headline's place)."""
        return is_first_line(self.paragraph, 0, len(self.paragraph), self.span.paragraph)

    @property
    def in_headline(self) -> bool:
        """... and that line is in Title Case: a headline."""
        return is_headline(self.paragraph, 0, len(self.paragraph), self.span.paragraph)


def token_starts(doc: Doc) -> list[int]:
    """Character offsets of the Doc's tokens, computed once per Doc (a paragraph may
    hold thousands of quotes; scanning its tokens for each would be quadratic)."""
    starts = doc.user_data.get("quotetool_token_starts")
    if starts is None:
        starts = [t.idx for t in doc]
        doc.user_data["quotetool_token_starts"] = starts
    return starts


def ents_in(doc: Doc, start: int, end: int) -> list:
    """The entities inside tokens [start, end). `doc.ents` builds every Span of the Doc on
    each access, so a text with thousands of quotes would rebuild them once per quote: the
    entities and their starts are kept once per Doc."""
    cached = doc.user_data.get("quotetool_ents")
    if cached is None:
        ents = list(doc.ents)
        cached = (ents, [e.start for e in ents])
        doc.user_data["quotetool_ents"] = cached
    ents, starts = cached
    k = bisect.bisect_left(starts, start)
    out = []
    while k < len(ents) and ents[k].start < end:
        if ents[k].end <= end:
            out.append(ents[k])
        k += 1
    return out


def span_ents(span) -> list:
    return ents_in(span.doc, span.start, span.end)


def token_range(doc: Doc, start_char: int, end_char: int) -> tuple[int, int]:
    """Token indices [lo, hi) of tokens starting within the character range."""
    starts = token_starts(doc)
    lo = bisect.bisect_left(starts, start_char)
    hi = bisect.bisect_left(starts, end_char)
    return lo, max(lo, hi)


def is_abbreviation(t) -> bool:
    """'U.S.' or 'Mr.' end with a stop that does not end a sentence."""
    return t.i > 0 and t.doc[t.i - 1].text.lower() in ABBREVIATIONS


def _left_window(doc: Doc, lo_char: int, before: int) -> Window | None:
    """From the sentence start (or `lo_char`) to the opening mark."""
    lo, hi = token_range(doc, lo_char, before)
    start = lo
    for t in doc[lo:hi]:
        if t.text in (".", "!", "?") and t.i + 1 < hi and not is_abbreviation(t):
            start = t.i + 1
    return Window(doc, start, hi, before) if hi > start else None


def _below(view: str, paras: list[tuple[int, int]], q: QuoteSpan, last: bool) -> str:
    """The first words of the paragraph after the quote's, if the quote ends its paragraph."""
    if not last or q.paragraph + 1 >= len(paras):
        return ""
    end = q.close_mark + 1 if q.close_mark is not None else q.end
    if view[end:paras[q.paragraph][1]].strip(" .,\u00a0"):
        return ""
    lo, hi = paras[q.paragraph + 1]
    return view[lo:min(hi, lo + 120)]


#: First-person words per thousand words of narrative from which a text is someone's
#: speech. Reports, news and round-ups stay under 15 (their "I" and "we" are inside the
#: quotes); transcripts, addresses and statements run at 20 to 90.
SPOKEN_RATE = 20
#: ... and at least this many of them: one "our economy" does not make a short text a speech.
SPOKEN_MIN = 5
_WORD = re.compile(r"[A-Za-z\u2019']+")


def speaks_in_first_person(view: str, spans: Sequence[QuoteSpan]) -> bool:
    """Is the text outside the quotes someone speaking (I, we, our) rather than a report?"""
    words = first = 0
    at = 0
    for q in [*spans, None]:
        end = len(view) if q is None else q.open_mark
        for w in _WORD.findall(view, at, max(at, end)):
            words += 1
            first += w.lower() in FIRST_PERSON or w == "us"  # (not “US”, the country)
        if q is not None:
            at = max(at, q.end)
    return first >= SPOKEN_MIN and first * 1000 >= SPOKEN_RATE * words


def build_contexts(plan: Plan, docs: Sequence[Doc]) -> list[QuoteContext]:
    """One context per quote of the plan, from the parsed Docs of its segments."""
    seg_doc = dict(zip(plan.segments, docs))
    seg_starts = [lo for lo, _ in plan.segments]

    def segment_of(at: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(seg_starts, at) - 1
        return plan.segments[k] if k >= 0 and at <= plan.segments[k][1] else None

    view, spans = plan.view, plan.spans
    spoken = speaks_in_first_person(view, spans)
    out: list[QuoteContext] = []
    para_text: dict[int, str] = {}
    for i, q in enumerate(spans):
        para = plan.paras[q.paragraph]
        prev_q = spans[i - 1] if i > 0 and spans[i - 1].paragraph == q.paragraph else None
        next_q = spans[i + 1] if i + 1 < len(spans) and spans[i + 1].paragraph == q.paragraph else None
        lo = prev_q.close_mark + 1 if prev_q and prev_q.close_mark is not None else para[0]
        hi = next_q.open_mark if next_q else para[1]
        seg = segment_of(q.open_mark)
        opens = q.open_mark == para[0]  # paragraphs are trimmed: no white space to skip
        right = left = lead = None
        doc, offset = None, 0
        if seg is not None:
            doc, offset = seg_doc[seg], seg[0]
            lo, hi = max(lo, seg[0]) - offset, min(hi, seg[1]) - offset
            after = (q.close_mark + 1 if q.close_mark is not None else q.end) - offset
            r_lo, r_hi = token_range(doc, after, hi)
            right = Window(doc, r_lo, r_hi, after) if r_hi > r_lo else None
            left = _left_window(doc, lo, q.open_mark - offset)
        carried = i > 0 and spans[i - 1].paragraph == q.paragraph - 1 and spans[i - 1].close_mark is None
        if opens and q.paragraph > 0 and not carried:  # (a quote's own words introduce nothing)
            prev_para = plan.paras[q.paragraph - 1]
            lead_seg = segment_of(prev_para[1] - 1)
            if lead_seg is not None and lead_seg[1] == prev_para[1] and introduces(view[prev_para[0]:prev_para[1]]):
                lead_doc = seg_doc[lead_seg]
                lead = _left_window(lead_doc, 0, prev_para[1] - lead_seg[0])
        if q.paragraph not in para_text:  # one string per paragraph, shared by its quotes
            para_text = {q.paragraph: view[para[0]:para[1]]}
        out.append(QuoteContext(i, q, view[q.start:q.end], para_text[q.paragraph],
                                view[max(para[0], q.open_mark - BEFORE_CHARS):q.open_mark], para[0],
                                _below(view, plan.paras, q, next_q is None),
                                right, left, lead,
                                offset, doc, spoken))
    return out
