"""Name the speaker of every quote of a planned, parsed text.

`attribute(plan, docs, ...)` takes the `Plan` of a text and the parsed Docs of
its pieces, finds each quote's cue (`attribution.find_cue`), builds the
document's name index (`names`), resolves each cue to a speaker and settles
the quotes that have no cue of their own: a continuation of the previous
quote, the first paragraph of a multi-paragraph quote, a scare quote or a
rubric (left out), or the document's main person.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc

from .attribution import Cue, find_cue, resolve, token_starts
from .models import Document, Quote
from .names import ROLE_FAMILY, NameIndex, build_index
from .plan import Plan
from .quotes import QuoteSpan


def attribute(plan: Plan, docs: Sequence[Doc], id: str, encoding: str | None) -> Document:
    """Attribute every quote of a planned text from the parsed Docs of its segments."""
    seg_doc = {seg: doc for seg, doc in zip(plan.segments, docs)}
    seg_starts = [lo for lo, _ in plan.segments]

    def segment_of(at: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(seg_starts, at) - 1
        return plan.segments[k] if k >= 0 and at <= plan.segments[k][1] else None

    person_ents = []
    for (lo, _), doc in seg_doc.items():
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                person_ents.append((lo + ent.start_char, ent.text))
    header = plan.release.header
    index = build_index(plan.view, header, person_ents,
                        exclude=[(q.open_mark, q.end) for q in plan.spans])

    index.subjects = _subjects(seg_doc, plan.spans, index)
    cues: list[Cue] = []
    for i, q in enumerate(plan.spans):
        para = plan.paras[q.paragraph]
        prev_in_para = plan.spans[i - 1] if i > 0 and plan.spans[i - 1].paragraph == q.paragraph else None
        next_in_para = plan.spans[i + 1] if i + 1 < len(plan.spans) and \
            plan.spans[i + 1].paragraph == q.paragraph else None
        lo = (prev_in_para.close_mark + 1 if prev_in_para and prev_in_para.close_mark is not None
              else para[0])
        hi = next_in_para.open_mark if next_in_para else para[1]
        seg = segment_of(q.open_mark) or para
        cue = find_cue(seg_doc[seg], seg[0], q, (max(lo, seg[0]), min(hi, seg[1])), plan.view[q.start:q.end])
        if cue.kind == "none" and q.paragraph > 0 and plan.view[para[0]:q.open_mark].strip() == "":
            prev_para = plan.paras[q.paragraph - 1]
            lead_seg = segment_of(prev_para[1] - 1)
            if lead_seg is not None and lead_seg[1] == prev_para[1] and \
                    plan.view[prev_para[0]:prev_para[1]].endswith(":"):
                lead = QuoteSpan(prev_para[1], prev_para[1], prev_para[1], None, q.paragraph - 1)
                cue = find_cue(seg_doc[lead_seg], lead_seg[0], lead, lead_seg, "")
        cues.append(cue)

    # For each quote, the next quote of its paragraph that has a cue (one backward pass).
    next_cued: list[int | None] = [None] * len(plan.spans)
    for i in range(len(plan.spans) - 2, -1, -1):
        if plan.spans[i + 1].paragraph == plan.spans[i].paragraph:
            next_cued[i] = i + 1 if cues[i + 1].kind != "none" else next_cued[i + 1]

    quotes: list[Quote] = []
    previous: str | None = None
    previous_para, previous_at = -10, -1
    for i, (q, cue) in enumerate(zip(plan.spans, cues)):
        near = q.paragraph - previous_para <= 1
        res = resolve(cue, index, q.open_mark, previous if near else None, previous_at)
        speaker, source, mention, cue_text = res.speaker, res.source, cue.mention, cue.cue
        if cue.kind == "none" and _is_scare_quote(plan, q, seg_doc, segment_of):
            continue
        if (cue.kind == "none" or cue.cue == ":") and _rubric(plan.view, plan.paras[q.paragraph]):
            continue
        if cue.kind == "none":
            k = next_cued[i]
            follow = cues[k] if k is not None else None
            carried = plan.spans[i - 1].close_mark is None if i > 0 else False
            if q.close_mark is None and follow is None and not (previous and near and carried):
                # The first paragraph of a multi-paragraph quote: the speaker is named
                # where the quote goes on ("“A.\n\n“B,” Mr Baker said.").
                follow = _continued_cue(plan, cues, i)
            if previous and near and (carried or follow is None):
                speaker, source = previous, "continuation"
            elif follow is not None:
                speaker, source = resolve(follow, index, q.open_mark, None).speaker, "continuation"
            else:
                speaker = index.main_person()
                source = "document" if speaker else "none"
        if speaker:
            previous, previous_para, previous_at = speaker, q.paragraph, q.open_mark
        quotes.append(Quote(q.start, q.end, plan.text[q.start:q.end], speaker, mention, cue_text, source))
    return Document(id=id, text=plan.text, header=header, quotes=quotes, encoding=encoding)


#: Paragraph labels that name no one: "MYTH: The bill “hurts families.”" quotes a claim
#: without a source, which is not a quote of anyone's words.
_RUBRICS = {"myth", "fact", "claim", "reality", "truth", "q", "a", "question", "answer", "note",
            "update", "background", "editor's note", "editor\u2019s note", "fact check"}
_LEADING_LABEL = re.compile(r"\s*([A-Za-z][A-Za-z'\u2019 ]{0,20}?)\s*:")


def _rubric(view: str, para: tuple[int, int]) -> bool:
    """Does the paragraph open with a rubric label (MYTH:, FACT:, Q:) rather than a speaker?"""
    m = _LEADING_LABEL.match(view, para[0], para[1])
    return m is not None and m.group(1).strip().lower() in _RUBRICS


def _continued_cue(plan: Plan, cues: list[Any], i: int) -> Any:
    """The first cue along the chain of quotes that continue quote i in the next
    paragraphs (each opening its paragraph, all but the last unclosed)."""
    j = i
    while j + 1 < len(plan.spans):
        nxt = plan.spans[j + 1]
        para = plan.paras[nxt.paragraph]
        if nxt.paragraph != plan.spans[j].paragraph + 1 or plan.view[para[0]:nxt.open_mark].strip():
            return None
        if cues[j + 1].kind != "none":
            return cues[j + 1]
        if nxt.close_mark is not None:
            return None
        j += 1
    return None


#: Words before a short quote that make it a name or a so-called term, not speech:
#: the "reset", so-called "experts", our nation's "oldest service", as "Police Week".
_SCARE_LEFT_POS = {"DET", "ADJ", "ADP", "PRON", "PART", "NUM"}


def _is_scare_quote(plan: Plan, q: QuoteSpan, seg_doc: dict[tuple[int, int], Doc],
                    segment_of: Any) -> bool:
    """A short quote with no cue of its own, inside a sentence, after a determiner,
    adjective or preposition: a scare quote or a title, which the guidelines leave out."""
    words = plan.view[q.start:q.end].split()
    if len(words) > 4 or plan.view[q.start:q.end].rstrip()[-1:] in (",", "?", "!"):
        return False
    seg = segment_of(q.open_mark)
    if seg is None:
        return False
    doc = seg_doc[seg]
    # The last word before the opening mark.
    k = bisect.bisect_left(token_starts(doc), q.open_mark - seg[0]) - 1
    while k >= 0 and (doc[k].is_space or doc[k].idx + len(doc[k]) > q.open_mark - seg[0]):
        k -= 1
    if k < 0:
        return False
    prev = doc[k]
    return prev.lower_ in ("so-called", "called") or (prev.pos_ in _SCARE_LEFT_POS and not prev.is_punct
                                                     and prev.lower_ not in ("that", "to", "i", "we"))


def _subjects(seg_doc: dict[tuple[int, int], Doc], spans: list[QuoteSpan], index: NameIndex) -> list[tuple[int, str]]:
    """People in subject position outside the quotes, in text order: what a later
    "he said" most likely points back to."""
    inside = [(q.open_mark, q.end) for q in spans]
    starts = [a for a, _ in inside]
    out: list[tuple[int, str]] = []
    for (lo, _), doc in seg_doc.items():
        for ent in doc.ents:
            root = ent.root
            if ent.label_ != "PERSON" or root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            at = lo + ent.start_char
            k = bisect.bisect_right(starts, at) - 1
            if k >= 0 and at < inside[k][1]:
                continue
            out.append((at, index.fullest(ent.text)))
        for tok in doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ in ROLE_FAMILY and not tok.ent_type_:
                at = lo + tok.idx
                k = bisect.bisect_right(starts, at) - 1
                if k >= 0 and at < inside[k][1]:
                    continue
                holder = index.role_holder(ROLE_FAMILY[tok.lower_]) or None
                if holder:
                    out.append((at, holder))
    out.sort()
    return out
