"""Worker processes that may die: a supervised, ordered map over batches. Standard library only.

`supervised_map(run, batches, ...)` sends each batch to one of `processes` workers and yields
each batch's results in input order. Every worker holds at most one batch at a time on its own
pipe, so when a worker dies (the OOM killer's SIGKILL, a crash in native code) the parent knows
exactly which batch was lost: it starts a fresh worker and sends that batch's items again one
at a time, each alone in a worker; an item whose worker dies again is given up on
(``fail(item, "worker died (signal 9)")``). The rest of the run goes on.

(`multiprocessing.Pool` waits forever for a result a dead worker will never send, and
`concurrent.futures.ProcessPoolExecutor` fails every batch in flight without saying which one
killed the worker; hence this module.)

Workers ignore SIGINT: Ctrl-C in a terminal signals the whole process group, and only the
parent should decide what happens then. The parent stops its workers when the map ends for
any reason (exhausted, closed early, or an exception such as KeyboardInterrupt).
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Signals a worker must not be interrupted by before it has set its own handlers.
_BLOCKED = {s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None),
                        getattr(signal, "SIGHUP", None)) if s is not None}


class PoolError(RuntimeError):
    """The workers could not be started (they die, or their initializer fails, at start-up)."""


def death_reason(exitcode: int | None) -> str:
    """"worker died (signal 9)" / "worker died (exit status 3)"."""
    if exitcode is not None and exitcode < 0:
        return f"worker died (signal {-exitcode})"
    return f"worker died (exit status {exitcode})"


@dataclass
class _Task(Generic[Item]):
    seq: int  # the batch's position in the input
    part: int | None  # None: the whole batch; i: item i of the batch alone (a retry)
    items: list[Item]


@dataclass
class _Slot(Generic[Item, Result]):
    """One input batch: its items and, once known, its results."""

    items: list[Item]
    results: list[Result] | None = None
    parts: dict[int, Result] = field(default_factory=dict)  # retried items' results so far

    @property
    def done(self) -> bool:
        return self.results is not None


class _Worker:
    def __init__(self, ctx: Any, target: Callable[..., None], args: tuple[Any, ...], others: list[Connection]) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.ready = False
        self.task: _Task[Any] | None = None
        # A forked child inherits every pipe end the parent holds; it closes all but its own,
        # so that the parent's death is an end of file for every worker.
        close = [*others, self.conn] if ctx.get_start_method() == "fork" else []
        self.child = child
        self.process = ctx.Process(target=target, args=(child, close, *args), daemon=True)

    def start(self) -> None:
        # Block the stop signals across the fork, so that none reaches the child before it
        # ignores SIGINT (it would print a KeyboardInterrupt traceback); the parent gets any
        # that arrived meanwhile as soon as they are unblocked.
        mask = hasattr(signal, "pthread_sigmask")
        old = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED) if mask else None
        try:
            self.process.start()
        except OSError as e:  # fork failed: out of memory or processes
            raise PoolError(f"can't start a worker process: {e.strerror or e}") from None
        finally:
            self.child.close()
            if mask:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)  # type: ignore[arg-type]

    def stop(self) -> None:
        """End the process (it holds nothing the parent still needs) and close its pipe."""
        p = self.process
        try:
            if p.is_alive():  # False for a process that never started
                p.terminate()  # SIGTERM: the worker keeps the default action, no clean-up
                p.join(5)
                if p.is_alive():
                    p.kill()
            p.join()
            p.close()  # its sentinel's file descriptor
        except Exception:  # already reaped, or the parent is shutting down: nothing to wait for
            pass
        try:
            self.conn.close()
        except OSError:
            pass


def _worker_main(conn: Connection, close: Sequence[Connection], initializer: Callable[..., None] | None,
                 initargs: tuple[Any, ...], run: Callable[[list[Any]], list[Any]]) -> None:
    """A worker: run each batch received on `conn` and send back ("ok", results) or ("error", text)."""
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):  # not the parent's Python handlers: just end
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _BLOCKED)
    for c in close:  # the other workers' and the parent's pipe ends, inherited by fork
        if c is not conn:
            try:
                c.close()
            except OSError:
                pass
    try:
        if initializer is not None:
            initializer(*initargs)
        conn.send(("ready", None))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises PoolError
        _send_or_exit(conn, ("init-error", f"{type(e).__name__}: {e}"))
        os._exit(1)
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            os._exit(0)
        if batch is None:
            os._exit(0)
        try:
            reply: tuple[str, Any] = ("ok", run(batch))
        except BaseException as e:  # noqa: BLE001 - the parent retries the items one by one
            reply = ("error", f"{type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except (EOFError, OSError):
            os._exit(0)
        except Exception as e:  # the results can't be pickled
            _send_or_exit(conn, ("error", f"{type(e).__name__}: {e}"))


def _send_or_exit(conn: Connection, message: tuple[str, Any]) -> None:
    try:
        conn.send(message)
    except Exception:
        os._exit(1)


def supervised_map(
    run: Callable[[list[Item]], list[Result]],
    batches: Iterable[list[Item]],
    *,
    processes: int,
    fail: Callable[[Item, str], Result],
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    window: int | None = None,
    context: Any = None,
) -> Iterator[Result]:
    """Yield ``run(batch)``'s results for every batch, in input order, computed in `processes` workers.

    Args:
        run: called in a worker with one batch; returns one result per item, in order.
            Must be importable by the workers (a module-level function).
        batches: lists of items, read lazily (at most `window` batches are in flight or
            waiting to be yielded).
        processes: how many workers.
        fail: makes the result for an item given up on, from the item and the reason
            ("worker died (signal 9)", or the exception `run` raised on it alone).
        initializer: called once in each worker with `initargs` (e.g. to load a model).
        window: batches in flight at once (default: 4 per worker).
        context: a multiprocessing context (default: fork where there is one, else spawn).

    Raises:
        PoolError: the workers can't be started.
    """
    if context is None:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    window = window or processes * 4
    source = iter(batches)
    exhausted = False
    slots: dict[int, _Slot[Item, Result]] = {}
    queue: collections.deque[_Task[Item]] = collections.deque()  # retries, sent before new batches
    next_seq = 0  # the next batch to read from `source`
    next_out = 0  # the next batch to yield
    workers: list[_Worker] = []
    start_failures = 0

    def spawn() -> None:
        w = _Worker(context, _worker_main, (initializer, initargs, run), [w.conn for w in workers])
        workers.append(w)  # before it starts: whatever happens next, the finally below stops it
        w.start()

    def settle(task: _Task[Item], results: list[Result] | None, reason: str | None) -> None:
        """Record a task's results, or, if it failed (`reason`), retry or give up on its items."""
        slot = slots[task.seq]
        if results is not None and len(results) == len(task.items):
            if task.part is None:
                slot.results = results
            else:
                slot.parts[task.part] = results[0]
        elif task.part is None:  # a whole batch lost: each item again, alone
            queue.extend(_Task(task.seq, i, [item]) for i, item in enumerate(task.items))
            if not task.items:
                slot.results = []
        else:
            slot.parts[task.part] = fail(task.items[0], reason or "worker returned no result")
        if task.part is not None and len(slot.parts) == len(slot.items):
            slot.results = [slot.parts[i] for i in range(len(slot.items))]

    def bury(w: _Worker) -> None:
        """A worker died: settle its task, and start a fresh one in its place."""
        nonlocal start_failures
        w.process.join()
        reason = death_reason(w.process.exitcode)
        w.stop()
        workers.remove(w)
        if not w.ready:
            start_failures += 1
            if start_failures > 2 * processes + 2:
                raise PoolError(f"worker processes die at start-up ({reason})")
        if w.task is not None:
            settle(w.task, None, reason)
        spawn()

    try:
        for _ in range(processes):
            spawn()
        while True:
            while next_out in slots and slots[next_out].done:
                slot = slots.pop(next_out)
                next_out += 1
                assert slot.results is not None
                yield from slot.results
            # Hand out work: retries first, then new batches while the window allows.
            for w in workers:
                if not (w.ready and w.task is None):
                    continue
                if not queue and not exhausted and next_seq - next_out < window:
                    batch = next(source, None)
                    if batch is None:
                        exhausted = True
                    else:
                        slots[next_seq] = _Slot(list(batch))
                        queue.append(_Task(next_seq, None, list(batch)))
                        next_seq += 1
                if not queue:
                    break
                task = queue.popleft()
                try:
                    w.conn.send(task.items)
                    w.task = task
                except (OSError, EOFError):
                    queue.appendleft(task)  # it died: noticed by its sentinel below
            if exhausted and not slots:
                return
            busy = [w for w in workers if w.task is not None or not w.ready]
            if not busy:  # every worker is idle: the window is full of finished batches
                continue
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in workers])
            for w in list(workers):
                if w.conn in ready:
                    try:
                        kind, payload = w.conn.recv()
                    except (EOFError, OSError):
                        kind, payload = "dead", None
                    except Exception as e:  # a result that can't be unpickled
                        kind, payload = "error", f"{type(e).__name__}: {e}"
                    if kind == "ready":
                        w.ready = True
                        start_failures = 0
                        continue
                    if kind == "init-error":
                        raise PoolError(f"worker start-up failed: {payload}")
                    if kind == "ok" and w.task is not None:
                        task, w.task = w.task, None
                        settle(task, payload, None)
                        continue
                    if kind == "error" and w.task is not None:
                        task, w.task = w.task, None
                        settle(task, None, f"internal error: {payload}")
                        continue
                    if kind == "dead":
                        bury(w)  # its pipe is closed: it has died, or is about to
                        continue
                if w.process.sentinel in ready:
                    bury(w)
    finally:
        for w in workers:
            w.stop()
