"""quotetool: every direct quote in a press release, with its speaker."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from . import pipeline as _pipeline
from .models import Document, Quote
from .pipeline import Failure, ModelNotFound, Options, QuotetoolError, extract, load_nlp
from .sources import DecodeError, read

if TYPE_CHECKING:
    from spacy.language import Language

__version__ = "0.1.0"
__all__ = ["Document", "Quote", "Failure", "ModelNotFound", "Options", "QuotetoolError", "DecodeError",
           "extract", "extract_many", "load_nlp", "read", "__version__"]

#: What `extract_many` takes: a text, an (id, text) pair, an (id, text, encoding) triple, or a
#: Failure (an input that could not be read), which comes back as it is, in its place.
Item = str | tuple[str, str] | tuple[str, str, str | None] | Failure


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
    """Yield one Document (or Failure) per item, in input order, streamed.

    Each item is a text (its id is then its position: "0", "1", ...), an (id, text)
    pair, an (id, text, encoding) triple, or a `Failure` (yielded as it is, in its place).
    The options are `pipeline.extract_many`'s: with ``n_process > 1`` (0 or -1: all cores)
    batches go to worker processes, and a worker that dies costs only the documents it
    died on twice (each a Failure, "worker died (signal 9)").
    """
    return _pipeline.extract_many(_as_triples(items), options=options, model=model, nlp=nlp,
                                  n_process=n_process, batch_size=batch_size, header=header)


def _as_triples(items: Iterable[Item]) -> Iterator[tuple[str, str, str | None] | Failure]:
    for i, item in enumerate(items):
        if isinstance(item, Failure):
            yield item
        elif isinstance(item, str):
            yield str(i), item, None
        elif len(item) == 2:
            yield item[0], item[1], None
        elif len(item) == 3:
            yield item
        else:
            raise TypeError(f"extract_many: item {i} is neither a text nor an (id, text[, encoding]) tuple")
