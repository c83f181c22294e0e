"""Plan the work for one text before any parsing: header, clean view, quotes, pieces to parse.

Pure string code (no spaCy). The plan says which pieces of the text the parser
must read: only paragraphs that hold a quote (plus the paragraph that introduces
a quote opening the next one, and the lead paragraph), with the quotes' own words blanked, and long paragraphs only in
windows around their quote marks; `trimmed` then cuts a quote paragraph's piece to the
sentences around its quotes (the pipeline does; the spaCy component, which gets a Doc
already parsed, does not). Every piece keeps the text's offsets.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from .lexicon import ABBREVIATIONS
from .quotes import QuoteSpan, find_quote_spans, paragraphs
from .release import Release, parse_release
from .textview import clean_view, parse_view


def _blank_header(view: str, body_start: int) -> str:
    """The view with the header blanked (newlines kept), so only the body has quotes."""
    head = "".join(c if c == "\n" else " " for c in view[:body_start])
    return head + view[body_start:]


@dataclass
class Plan:
    """What one text needs parsed, before any parsing happens."""

    text: str
    release: Release
    view: str
    spans: list[QuoteSpan]
    paras: list[tuple[int, int]]
    segments: list[tuple[int, int]]  # (start, end) of each piece of text to parse
    parse_text: str = ""  # the view with quote interiors blanked: what the parser reads

    def pieces(self) -> list[str]:
        return [parse_view(self.parse_text[lo:hi]) for lo, hi in self.segments]


_KEEP_TAIL = ",.?!\u2014\u2013-:;\u2026"


#: Quotes up to this long are parsed as they are ("called for pay to be “clawed back”");
#: longer ones, the bulk of a news text, are blanked.
BLANK_MIN_CHARS = 60


def _blank_quotes(view: str, spans: list[QuoteSpan]) -> str:
    """The view with each quote's words blanked but its first word and final
    punctuation, same length. Who said a quote is told by the words around it;
    the parser need not read the quote itself, which is most of a news text:
    “I ,” the head of state added. parses like the whole sentence, far faster."""
    out = []
    pos = 0
    for q in spans:
        if q.end - q.start <= BLANK_MIN_CHARS:
            continue  # a short, partial quote is part of its sentence's grammar: keep it
        first = q.start
        while first < q.end and not view[first].isspace():
            first += 1
        last = q.end - 1 if view[q.end - 1] in _KEEP_TAIL else q.end
        if last > first:
            out.append(view[pos:first])
            out.append(" " * (last - first))
            pos = last
    out.append(view[pos:])
    return "".join(out)


#: A paragraph this short, with no closing punctuation, may be a label line over a
#: quote ("Jane Roe, Chair of the Caucus" in a round-up of statements).
LABEL_LINE_CHARS = 160


def introduces(paragraph: str) -> bool:
    """Can this paragraph introduce a quote that opens the next one: a lead-in ending in
    a colon, or a short label line with no closing punctuation?"""
    para = paragraph.rstrip()
    return para.endswith(":") or (len(para) <= LABEL_LINE_CHARS and not para.endswith(
        (".", "!", "?", ",", ";", "\u201d", '"', "\u2019", "'", ")", "]")))


def _lead(view: str, paras: list[tuple[int, int]]) -> int:
    """The lead paragraph: the first of the first three that reads as a sentence (a
    headline the header parser did not take has no closing stop)."""
    for i, (lo, hi) in enumerate(paras[:3]):
        if hi - lo > 40 and view[lo:hi].rstrip()[-1:] in ".!?":
            return i
    return 0


def make_plan(text: str, header: bool) -> Plan:
    release = parse_release(text) if header else Release({}, 0)
    view = _blank_header(clean_view(text), release.body_start)
    spans = find_quote_spans(view)
    paras = paragraphs(view)
    # One pass over the spans: each paragraph's quotes, plus the paragraphs parsed for
    # context. The lead paragraph names who the release is about and who sent what it
    # quotes ("Jane Roe sent greetings to …"): parsed whenever there is a quote to
    # attribute. A paragraph that introduces a quote opening the next one (a lead-in
    # ending in ":", a label line) is parsed as well.
    by_para: dict[int, list[QuoteSpan]] = {_lead(view, paras): []} if spans else {}
    for q in spans:
        quotes = by_para.setdefault(q.paragraph, [])
        quotes.append(q)
        if len(quotes) == 1 and q.paragraph > 0:  # only a paragraph's first quote can open it
            lo = paras[q.paragraph][0]
            if view[lo:q.open_mark].strip() == "":
                prev = paras[q.paragraph - 1]
                if introduces(view[prev[0]:prev[1]]):
                    by_para.setdefault(q.paragraph - 1, [])
    segments: list[tuple[int, int]] = []
    for i in sorted(by_para):
        segments.extend(_windows(view, paras[i], by_para[i]))
    return Plan(text, release, view, spans, paras, segments, _blank_quotes(view, spans))


#: A paragraph longer than this (a transcript on one line, a scraped page with no
#: breaks) is parsed in windows around its quotes instead, so no piece comes near
#: spaCy's max_length and memory stays bounded.
MAX_SEGMENT = 20_000
_WINDOW_CONTEXT = 600


def _windows(view: str, para: tuple[int, int], quotes: list[QuoteSpan]) -> list[tuple[int, int]]:
    """The pieces of one paragraph to parse: the paragraph, or windows around its quotes."""
    lo, hi = para
    if hi - lo <= MAX_SEGMENT:
        return [para]
    if not quotes:
        # A long lead-in ("… and concluded:"): only its end can introduce the quote.
        start = max(lo, hi - 2 * _WINDOW_CONTEXT)
        while start > lo and not view[start - 1].isspace() and hi - start < 4 * _WINDOW_CONTEXT:
            start -= 1
        return [(start, hi)]
    marks: list[int] = []
    for q in quotes:
        close = q.close_mark if q.close_mark is not None else q.end
        # A quote longer than a window is parsed around each of its two marks.
        marks.extend([q.open_mark, close] if close - q.open_mark > MAX_SEGMENT // 2 else [q.open_mark])
        if close - q.open_mark <= MAX_SEGMENT // 2:
            marks.append(close)
    out: list[tuple[int, int]] = []
    for mark in sorted(marks):
        start = max(lo, mark - _WINDOW_CONTEXT)
        end = min(hi, mark + _WINDOW_CONTEXT)
        # Start and end at white space, so no word is cut.
        while start > lo and not view[start - 1].isspace() and mark - start < 2 * _WINDOW_CONTEXT:
            start -= 1
        while end < hi and not view[end].isspace() and end - mark < 2 * _WINDOW_CONTEXT:
            end += 1
        if out and start <= out[-1][1] and end - out[-1][0] <= MAX_SEGMENT:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


#: A sentence ends at a stop (and any closing marks) before white space and a capital.
_SENTENCE_END = re.compile("[.!?][\"\u201d\u2019')\\]]*\\s+(?=[\"\u201c\u2018(]?[A-Z])")
#: How many sentences around the ones that hold a quote's marks are parsed as well: the
#: sentence before may name who a "she said" is; the one after may hold a late cue.
SENTENCE_MARGIN = 1


def sentence_ends(piece: str) -> list[int]:
    """Where the sentences of `piece` end (a cheap guess, before any parse: a stop after an
    abbreviation such as "Mr." or "U.S." ends none)."""
    out = []
    for m in _SENTENCE_END.finditer(piece):
        word = piece[:m.start()].rsplit(None, 1)[-1].lower() if m.start() and not piece[m.start() - 1].isspace() else ""
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):  # "Mr.", "U.S.", "J."
            continue
        out.append(m.end())
    return out


def trimmed(plan: Plan) -> Plan:
    """The plan with each quote paragraph's piece cut to the sentences that hold its quotes'
    marks, and SENTENCE_MARGIN sentences either side: the rest of a long news paragraph
    says nothing about who said the quote, and is an eighth of what would be parsed (with
    no sentence either side, a quarter, but the names and subjects of the sentences next
    to a quote are lost, and one dev set in a hundred with them). The first paragraphs
    (the lead: who the release is about) and a paragraph that introduces the next one
    (its end is the lead-in) keep their pieces whole."""
    spans = plan.spans
    if not spans:
        return plan
    marks = sorted(m for q in spans for m in (q.open_mark, q.close_mark if q.close_mark is not None else q.end - 1))
    whole_until = plan.paras[min(3, len(plan.paras)) - 1][1] if plan.paras else 0
    segments = []
    for lo, hi in plan.segments:
        inside = [m - lo for m in marks if lo <= m < hi]
        if not inside or lo < whole_until:
            segments.append((lo, hi))
            continue
        ends = sentence_ends(plan.parse_text[lo:hi])
        bounds = [0, *ends, hi - lo]
        first = bisect.bisect_right(bounds, inside[0]) - 1
        last = bisect.bisect_right(bounds, inside[-1]) - 1
        first = max(0, first - SENTENCE_MARGIN)
        last = min(len(bounds) - 2, last + SENTENCE_MARGIN)
        if introduces(plan.view[lo:hi]):
            last = len(bounds) - 2
        start, end = bounds[first], bounds[last + 1]
        # no trailing white space: a piece ends at its last sentence's end
        while end > start and plan.parse_text[lo + end - 1].isspace():
            end -= 1
        segments.append((lo + start, lo + end))
    return dataclasses.replace(plan, segments=segments)
