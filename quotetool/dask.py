"""quotetool on a Dask cluster (`pip install "quotetool[dask]"`).

Two ways in:

* `engine(scheduler, options)`: what `quotetool extract --scheduler ADDRESS` runs. The CLI
  reads the inputs as always; the documents go to the cluster in tasks of about
  `TASK_CHARS` characters (partitioned by size, not count), a bounded number at a time, and
  the results come back in input order to the CLI's writers. A task whose worker dies is
  run again by Dask; one that kills `allowed-failures` workers is split into single
  documents, so only the document that kills workers fails.
* `extract_bag(bag)`: a Dask bag of texts, ``(id, text)`` pairs, paths or fsspec files in,
  a bag of records (the dicts `extract` writes) out; `to_dataframe` turns the records into
  a Dask DataFrame with one row per quote (the CSV columns), ready for ``to_parquet``.

Each worker loads the spaCy pipeline once: `ModelLoader` (a worker plugin) loads it when
the worker starts, or starts again after a crash, and tasks take it from
`pipeline.load_nlp`'s per-process cache. The workers need quotetool (the same version)
and the model installed.

Nothing else in quotetool imports this module or Dask: without the extra, quotetool runs
as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from . import pipeline
from .models import Document
from .pipeline import Failure, Item, Options, QuotetoolError

try:
    import dask.bag as db
    from distributed import Client, LocalCluster, WorkerPlugin
    from distributed.scheduler import KilledWorker
except ImportError as e:
    raise ImportError(f'quotetool.dask needs Dask: pip install "quotetool[dask]" ({e})') from e

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["engine", "Engine", "extract_bag", "to_dataframe", "files", "ModelLoader", "TASK_CHARS"]

#: About this much text per task: some ten news articles, a second or two of work. Small
#: enough that the last tasks of a run end together on every worker, large enough that
#: Dask's cost per task (a few milliseconds) stays under 1%.
TASK_CHARS = 40_000

_LOAD_LOCK = threading.Lock()


def _nlp(model: str | None) -> Any:
    """The worker's pipeline (loaded once: tasks of a worker with several threads wait for it)."""
    with _LOAD_LOCK:
        return pipeline.load_nlp(model)


class ModelLoader(WorkerPlugin):
    """Load the spaCy pipeline on each worker when it starts (and on every worker that joins
    or is restarted later), not in the first task."""

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        _nlp(self.model)


def _extract(items: Sequence[Item], options: Options) -> list[Document | Failure]:
    """One task: the documents of one partition, in one process, with the cached pipeline."""
    _nlp(options.model)
    return list(pipeline.extract_many(items, options=options.replace(n_process=1)))


def _partitions(items: Iterable[Item], max_docs: int, max_chars: int = TASK_CHARS) -> Iterator[list[Item]]:
    """Consecutive items, cut when a partition reaches `max_chars` characters or `max_docs`
    documents. The first ones are smaller (1, 2, 4, ... documents), so the first records go
    out while the rest is still being read."""
    part: list[Item] = []
    chars = 0
    goal = 1
    for item in items:
        part.append(item)
        chars += 0 if isinstance(item, Failure) else len(item[1])
        if chars >= max_chars or len(part) >= min(goal, max_docs):
            yield part
            part, chars = [], 0
            goal *= 2
    if part:
        yield part


class Engine:
    """Extraction on a Dask cluster, in input order: a `run.Run` engine.

    `window` bounds the tasks in flight (and so the memory on the client): enough to keep
    every worker thread busy while the one at the head of the line finishes.
    """

    def __init__(self, client: Client, window: int | None = None) -> None:
        self.client = client
        threads = sum(client.nthreads().values())
        self.window = window or max(8, 4 * threads)

    def __call__(self, items: Iterable[Item], options: Options) -> Iterator[Document | Failure]:
        pending: deque[tuple[list[Item], Any]] = deque()
        try:
            for part in _partitions(items, options.batch_size):
                pending.append((part, self._submit(part, options)))
                while len(pending) >= self.window:
                    yield from self._result(*pending.popleft(), options)
            while pending:
                yield from self._result(*pending.popleft(), options)
        finally:
            if pending:  # stopped early (an error, a signal): don't leave the cluster working for no one
                with contextlib.suppress(Exception):
                    self.client.cancel([f for _, f in pending])

    def _submit(self, part: list[Item], options: Options) -> Any:
        return self.client.submit(_extract, part, options, pure=False)

    def _result(self, part: list[Item], future: Any, options: Options) -> list[Document | Failure]:
        try:
            return future.result()
        except QuotetoolError:  # the model is missing on a worker: the whole run fails, as locally
            raise
        except KilledWorker:
            if len(part) > 1:  # find the document that kills workers; the others go on
                singles = [([item], self._submit([item], options)) for item in part]
                return [r for one, f in singles for r in self._result(one, f, options)]
            item = part[0]
            return [item if isinstance(item, Failure) else
                    Failure(item[0], "worker died (each Dask worker that ran it died)")]
        except (OSError, TimeoutError) as e:  # includes distributed's CommClosedError
            raise QuotetoolError(f"lost the Dask cluster: {type(e).__name__}: {e}") from None
        except Exception as e:
            if type(e).__name__ == "CancelledError":  # the scheduler went away (or restarted)
                raise QuotetoolError("lost the Dask cluster: the task was cancelled") from None
            return [item if isinstance(item, Failure) else
                    Failure(item[0], f"internal error: {type(e).__name__}: {e}") for item in part]


@contextlib.contextmanager
def engine(scheduler: str, options: Options) -> Iterator[Engine]:
    """An `Engine` on the cluster at `scheduler` (``tcp://HOST:8786``, or ``local`` for a
    `LocalCluster` of ``options.n_process`` single-threaded worker processes, 0 or -1: one
    a core), with the model loaded on every worker. Closed (and a local cluster stopped) on exit.

    Raises QuotetoolError if the scheduler can't be reached or a worker lacks the model.
    """
    with contextlib.ExitStack() as stack:
        try:
            if scheduler == "local":
                cluster = stack.enter_context(LocalCluster(
                    n_workers=options.processes(), threads_per_worker=1, processes=True,
                    # On loopback, and any free port for the scheduler's HTTP server (8787 may be taken).
                    host="127.0.0.1", dashboard_address="127.0.0.1:0",
                    silence_logs=logging.CRITICAL))  # the CLI reports what fails
                client = stack.enter_context(Client(cluster))
            else:
                # Gives up after distributed.comm.timeouts.connect (30 s; DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT)
                client = stack.enter_context(Client(scheduler))
        except (OSError, TimeoutError, ValueError) as e:
            raise QuotetoolError(f"can't reach the Dask scheduler at {scheduler}: {e}") from None
        name = f"quotetool-model-{options.model}"
        try:
            client.register_plugin(ModelLoader(options.model), name=name)
        except Exception as e:
            # Not left registered: every worker that joins the cluster later would fail it too.
            with contextlib.suppress(Exception):
                client.unregister_worker_plugin(name)
            if isinstance(e, QuotetoolError):
                raise
            raise QuotetoolError(f"the Dask workers could not load the model: {type(e).__name__}: {e}") from None
        yield Engine(client)


# --- the collection API -----------------------------------------------------------------------

def files(urlpath: str | Sequence[str], *, partition_chars: int = 4 * TASK_CHARS,
          **storage_options: Any) -> db.Bag:
    """A bag of the files at `urlpath` (a glob such as ``"archive/**/*.txt"``, or a list of
    paths; ``s3://``, ``gs://`` and the like with their fsspec package), sorted by path, in
    partitions of about `partition_chars` bytes each. Read on the workers by `extract_bag`."""
    import fsspec  # type: ignore[import-untyped,unused-ignore]  # a dependency of dask

    opened = sorted(fsspec.open_files(urlpath, mode="rb", **storage_options), key=lambda f: f.path)
    sizes = [_size(f) for f in opened]
    groups: list[list[Any]] = []
    size = partition_chars
    for f, n in zip(opened, sizes):
        if size >= partition_chars:
            groups.append([])
            size = 0
        groups[-1].append(f)
        size += n or 0
    return db.from_sequence(groups, npartitions=max(1, len(groups))).flatten()


def _size(f: Any) -> int:
    try:
        return int(f.fs.size(f.path) or 0)
    except OSError:  # gone, or a dangling link: read (and reported) as such by extract_bag
        return 0


def extract_bag(bag: db.Bag, *, model: str | None = None, header: bool = True,
                with_text: bool = False, encoding: str | None = None) -> db.Bag:
    """A bag of records (the dicts `quotetool extract` writes, in the bag's order) from a bag
    of texts, ``(id, text)`` pairs, local paths (`os.PathLike`) or fsspec files (see `files`).
    A text's id is its place in its partition's input ("0", "1", ...) unless it comes in a
    pair; a file's id is its path. An input that can't be read or processed becomes an
    ``{"id", "error"}`` record, as with ``--errors-as-records``.
    """
    options = Options(model=model, header=header)
    return bag.map_partitions(_extract_partition, options, with_text, encoding)


def _extract_partition(elements: Iterable[Any], options: Options, with_text: bool,
                       encoding: str | None) -> list[dict[str, Any]]:
    items = [_item(i, e, encoding) for i, e in enumerate(elements)]
    return [r.to_dict(with_text=with_text) if isinstance(r, Document) else r.to_dict()
            for r in _extract(items, options)]


def _item(i: int, element: Any, encoding: str | None) -> Item:
    from .sources import DecodeError, decode_bytes

    if isinstance(element, str):
        return str(i), element, None
    if isinstance(element, tuple) and len(element) == 2:
        return str(element[0]), element[1], None
    if isinstance(element, os.PathLike) or hasattr(element, "open"):
        where = os.fspath(element) if isinstance(element, os.PathLike) else element.path
        try:
            opener = open(where, "rb") if isinstance(element, os.PathLike) else element.open()
            with opener as f:
                text, codec = decode_bytes(f.read(), encoding)
        except (OSError, DecodeError) as e:
            return Failure(where, getattr(e, "strerror", None) or str(e), stage="read")
        return where, text, codec
    raise TypeError(f"extract_bag: element {i} is not a text, an (id, text) pair, a path or an fsspec file")


def to_dataframe(records: db.Bag) -> dd.DataFrame:
    """One row per quote of the records' documents, in the CSV columns (`render.CSV_FIELDS`:
    id, the header's date, title and source, start, end, speaker, ...): the header is
    repeated on each row, so no join is needed. Error records have no quotes, so no rows
    (``records.filter(lambda r: "error" in r)`` lists them). ``.to_parquet(folder)`` writes it.
    """
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    from .render import CSV_FIELDS

    meta = pd.DataFrame({c: pd.Series(dtype="Int64" if c in ("start", "end") else "string") for c in CSV_FIELDS})
    return records.map_partitions(_rows).to_dataframe(meta=meta)


def _rows(records: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    from .render import CSV_FIELDS, csv_rows

    # Offsets stay numbers; every other cell is text (a YAML header can give a date or a title
    # as a number, and a column has one type).
    numeric = tuple(c in ("start", "end") for c in CSV_FIELDS)
    return [tuple(v if v is None or is_number else str(v) for v, is_number in zip(row, numeric))
            for r in records if "error" not in r for row in csv_rows(r)]
