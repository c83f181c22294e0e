"""Stop signals (SIGINT, SIGTERM, SIGHUP) as an exception, raised between records. Standard library only.

Inside ``with StopSignals() as stop:`` each of these signals raises `Interrupted` (a
KeyboardInterrupt carrying the signal number) in the main thread, wherever it is: in the
parser, waiting for a worker, reading stdin. Code that must not be cut in the middle runs
in ``with stop.deferred():`` (writing one record): a signal that arrives then is raised
when the section ends, so every record written is whole. A second signal during such a
section is raised at once (the user insists: a write to a stuck pipe would never end).
Once one signal has been raised, later ones are only noted: the run is already stopping,
and its clean-up (removing a temporary file, stopping workers) should not be cut short.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType
from typing import Any

#: The signals that stop a run, where the platform has them.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal; the conventional exit status is 128 + `signum`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


class StopSignals:
    """Handlers for the stop signals while the `with` block runs (the old ones come back after)."""

    def __init__(self) -> None:
        self.received: int | None = None  # the first stop signal, once one has arrived
        self._deferring = 0
        self._pending = False
        self._raised = False
        self._old: dict[int, Any] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():  # signal.signal's rule
            for signum in STOP_SIGNALS:
                try:
                    self._old[signum] = signal.signal(signum, self._handle)
                except (OSError, ValueError):
                    pass
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        for signum, old in self._old.items():
            signal.signal(signum, old if old is not None else signal.SIG_DFL)
        self._old.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
            if self._deferring:
                self._pending = True  # raised when the record is written
                return
        elif self._raised or not self._pending:
            return  # already stopping: let the clean-up finish
        self._pending = False
        self._raised = True
        raise Interrupted(self.received)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """A section that a first stop signal does not cut (it is raised at the end)."""
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
        if self._pending and not self._deferring and self.received is not None:
            self._pending = False
            self._raised = True
            raise Interrupted(self.received)
