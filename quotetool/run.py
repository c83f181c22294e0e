"""One extraction run over files, folders, corpora and stdin: read, extract, count.

The code behind `quotetool extract`, usable on its own::

    from quotetool.pipeline import Options
    from quotetool.run import Run

    run = Run(["archive/"], Options(n_process=2), on_error=print)
    for result in run:              # Document or Failure, in input order
        ...
    run.stats.quotes

With `speakers` (`extract --speaker`), each Document keeps only those speakers' quotes, and the
counts are of those quotes. When every path is a folder and none holds a file to read, the
run ends with `NothingMatched` (an empty corpus file did match: its run is just empty).

Inputs that can't be read go through `pipeline.extract_many` as `Failure`s (stage "read"), so
every input has exactly one result, in its place. Errors and warnings are reported through
the callbacks as soon as they are known: a read error when the input is read (which, with
worker processes, is ahead of its turn in the output), any other failure when its result
comes. The run never prints, and never handles signals: a KeyboardInterrupt ends it (and its
worker processes) like any exception.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Union

from . import pipeline
from .models import Document
from .pipeline import Failure, Options, QuotetoolError
from .sources import DEFAULT_GLOBS, Source, SourceError, count_sources, iter_sources
from .names import speaker_matches

Report = Callable[[str, str], None]  # (where, message)
Engine = Callable[[Iterable[pipeline.Item], Options], Iterable[Union[Document, Failure]]]


def _extract_many(items: Iterable[pipeline.Item], options: Options) -> Iterator[Document | Failure]:
    return pipeline.extract_many(items, options=options)


@dataclass
class Stats:
    """What a run has done so far."""

    documents: int = 0  # extracted (with or without quotes)
    with_quotes: int = 0
    quotes: int = 0
    failed: int = 0  # inputs that could not be read, extracted or written

    @property
    def inputs(self) -> int:
        return self.documents + self.failed


def _ignore(where: str, message: str) -> None:
    pass


class NothingMatched(QuotetoolError):
    """Every path was a folder, and no file in them matched the glob patterns."""


class Run:
    """Extraction over `paths` (files, folders, ``.jsonl`` corpora, "-" for stdin).

    Args:
        paths: what to read, in order (see `sources.iter_sources`).
        options: model, header, batch size, processes.
        glob_patterns: which files to read inside folders.
        encoding: decode every input with this codec instead of detecting one.
        on_error: called with (id, reason) once for every input that fails.
        on_warning: called with (where, message) for what costs no document (an empty file,
            a folder with nothing to read, front matter too large for YAML).
        speakers: keep only the quotes of these speakers (names or surnames, any case; see
            `names.speaker_matches`); empty: every quote.
        engine: what extracts: called with the items and the options, it yields one result per
            item in order (default `pipeline.extract_many`; `quotetool.dask.Engine` runs on Dask).
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]], options: Options | None = None, *,
                 glob_patterns: Iterable[str] = DEFAULT_GLOBS, encoding: str | None = None,
                 on_error: Report | None = None, on_warning: Report | None = None,
                 speakers: Iterable[str] = (), engine: Engine | None = None) -> None:
        self.paths = [os.fspath(p) for p in paths]
        self.options = options or Options()
        self.glob_patterns = tuple(glob_patterns)
        self.encoding = encoding
        self.on_error = on_error or _ignore
        self.on_warning = on_warning or _ignore
        self.speakers = tuple(speakers)
        self.engine = engine or _extract_many
        self.stats = Stats()

    def count(self) -> int:
        """How many results the run will give (cheap: names and corpus lines; for a progress bar)."""
        return count_sources(self.paths, glob_patterns=self.glob_patterns)

    def __iter__(self) -> Iterator[Document | Failure]:
        for result in self.engine(self._items(), self.options):
            if isinstance(result, Failure):
                self.stats.failed += 1
                if result.stage != "read":  # a read error was reported when it was read
                    self.on_error(result.id, result.reason)
            else:
                if self.speakers:
                    result = dataclasses.replace(
                        result, quotes=[q for q in result.quotes if speaker_matches(self.speakers, q.speaker)])
                self.stats.documents += 1
                self.stats.quotes += len(result.quotes)
                self.stats.with_quotes += bool(result.quotes)
                for message in result.warnings:
                    self.on_warning(result.id, message)
            yield result
        if self.stats.inputs == 0 and self.paths and all(os.path.isdir(p) for p in self.paths):
            raise NothingMatched(f"no input files matched {', '.join(self.glob_patterns)} in {', '.join(self.paths)}")

    def fail(self, document: Document, reason: str) -> Failure:
        """Count a document that was extracted but can't be written as failed (and report it)."""
        self.stats.documents -= 1
        self.stats.quotes -= len(document.quotes)
        self.stats.with_quotes -= bool(document.quotes)
        self.stats.failed += 1
        self.on_error(document.id, reason)
        return Failure(document.id, reason)

    def _items(self) -> Iterator[tuple[str, str, str | None] | Failure]:
        for s in iter_sources(self.paths, glob_patterns=self.glob_patterns, encoding=self.encoding,
                              on_warning=self.on_warning):
            if isinstance(s, SourceError):
                self.on_error(s.id, s.reason)  # now, not when its turn in the output comes
                yield Failure(s.id, s.reason, stage="read")
                continue
            assert isinstance(s, Source)
            if not s.text.strip():
                self.on_warning(s.id, "empty file")
            yield (s.id, s.text, s.encoding)
