"""Where the records go: the one place that decides how the output is written. Standard library only.

`open_output(path)` gives an `Output`, whose ``stream`` the writer writes to:

* ``None`` or ``-``: stdout, written directly.
* A regular file, or a name that does not exist yet: a temporary file in the same folder,
  renamed over FILE (after an fsync) by `commit()` only when the run has completed. On an
  interruption or a failure, `abort()` leaves FILE exactly as it was and removes the
  temporary file, or keeps it as ``FILE.partial`` when asked (``--keep-partial``).
* A symbolic link: the same, for the file it points to; the link stays a link.
* A device, named pipe or socket (``/dev/null``, ``/dev/stdout``, a FIFO): written directly,
  never replaced.

`GuardedWriter` wraps a writer so that every write (the CSV header row and the JSON array's
closing ``]`` included) turns an output error into `OutputError("FILE: reason")`; a record
that can't be rendered or encoded is a `RecordError`, that document's failure alone.

Every stream is a `WholeWrites`: text encoded by us and written to the binary stream until
every byte is out. (io.TextIOWrapper silently drops the rest of a write that a signal
interrupts part-way on a pipe: the record would be cut, and the output invalid.)
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from typing import Any, BinaryIO, Protocol, TextIO, cast

PARTIAL_SUFFIX = ".partial"
STDOUT_NAME = "<stdout>"


class OutputError(Exception):
    """The output can't be opened, written or committed; the message is "WHERE: reason"."""


class RecordError(ValueError):
    """One record can't be written (rendered, or encoded); nothing of it was written."""


class WholeWrites(io.TextIOBase):
    """A text stream over a binary one whose every `write` is encoded first (so an
    unencodable text raises before a byte is written) and then written in full."""

    def __init__(self, binary: BinaryIO, encoding: str = "utf-8", errors: str = "strict",
                 text: TextIO | None = None) -> None:
        self.binary = binary
        self._encoding = encoding
        self._errors = errors
        self._text = text  # the text layer over `binary` (sys.stdout): flushed before we write,
        # and never closed by us (nor is its buffer)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    @property
    def errors(self) -> str:  # type: ignore[override]
        return self._errors

    def write(self, s: str) -> int:
        data = memoryview(s.encode(self._encoding, self._errors))
        if self._text is not None:
            self._text.flush()
        while data:
            n = self.binary.write(data)
            if n is None:  # a non-blocking stream that is full: nothing was taken
                raise BlockingIOError(11, "Resource temporarily unavailable")
            data = data[n:]  # a signal can end a write part-way: write the rest
        return len(s)

    def flush(self) -> None:
        self.binary.flush()

    def fileno(self) -> int:
        return self.binary.fileno()

    def isatty(self) -> bool:
        try:
            return self.binary.isatty()
        except (OSError, ValueError):
            return False

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        if not self.closed:
            try:
                super().close()  # flushes
            finally:
                if self._text is None:
                    self.binary.close()


class _Writer(Protocol):
    def write(self, record: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


class Output:
    """An open output. ``name`` is what messages call it (the path as given, or <stdout>)."""

    def __init__(self, name: str, stream: TextIO, *, target: str | None = None, temporary: str | None = None,
                 owned: bool = False, existed: bool = True) -> None:
        self.name = name
        self.stream = stream
        self.target = target  # the file renamed over at commit (a link's target, resolved)
        self.temporary = temporary  # the file written meanwhile, or None when written directly
        self.owned = owned  # a stream opened here (closed here), not sys.stdout
        self.existed = existed  # FILE was there before the run
        self.finished = False

    @property
    def replaces_on_commit(self) -> bool:
        return self.temporary is not None

    def commit(self) -> None:
        """Make the output final: flush, and for a temporary file fsync and rename over FILE."""
        if self.finished:
            return
        try:
            self.stream.flush()
            if self.temporary is not None:
                os.fsync(self.stream.fileno())  # the rename must not land before the data
            if self.owned:
                self.stream.close()
            if self.temporary is not None and self.target is not None:
                os.replace(self.temporary, self.target)
        except OSError as e:
            raise OutputError(f"{self.name}: {_reason(e)}") from None
        self.finished = True

    def abort(self, keep_partial: bool = False) -> str | None:
        """Give up: FILE is left as it was. Returns where the partial output was kept
        (FILE.partial, with `keep_partial`), or None."""
        if self.finished:
            return None
        self.finished = True
        try:
            if self.owned:
                self.stream.close()  # may fail to flush (a full disk): the file goes anyway
            else:
                self.stream.flush()
        except (OSError, ValueError):
            pass
        if self.temporary is None or self.target is None:
            return None
        if keep_partial:
            # Beside FILE as named; beside the file it points to if it is a link (the
            # temporary file is there, and a rename can't cross file systems).
            partial = (self.target if os.path.islink(self.name) else self.name) + PARTIAL_SUFFIX
            try:
                os.replace(self.temporary, partial)
                return partial
            except OSError:
                pass
        try:
            os.unlink(self.temporary)
        except OSError:
            pass
        return None


def open_output(path: str | None, *, stdout: TextIO | None = None) -> Output:
    """Open the output named by -o (None or "-": stdout). Raises OutputError."""
    if path is None or path == "-":
        text = stdout if stdout is not None else sys.stdout
        if text is None:  # the process was started with stdout closed
            raise OutputError(f"{STDOUT_NAME}: stdout is closed")
        binary = getattr(text, "buffer", None)
        if binary is None:  # a text-only stand-in for stdout (an embedding's StringIO)
            return Output(STDOUT_NAME, text)
        encoding = getattr(text, "encoding", None) or "utf-8"
        errors = getattr(text, "errors", None) or "strict"
        return Output(STDOUT_NAME, cast(TextIO, WholeWrites(binary, encoding, errors, text)))
    target = os.path.realpath(path)  # a symlink writes to the file it points to
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"{path}: {_reason(e)}") from None
    try:
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{path}: is a folder")
        if st is not None and not stat.S_ISREG(st.st_mode):
            # Binary: the csv module writes its own \r\n; JSON lines end in \n on every OS.
            return Output(path, cast(TextIO, WholeWrites(open(path, "wb"))), owned=True)
        return _temporary_beside(path, target, st)
    except OSError as e:
        raise OutputError(f"{path}: {_reason(e)}") from None


def _temporary_beside(name: str, target: str, st: os.stat_result | None) -> Output:
    folder = os.path.dirname(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(target) + ".", suffix=".part")
    try:
        # mkstemp makes the file 0600; give the result the mode FILE has, or a plain open() would give.
        if st is not None:
            mode = st.st_mode & 0o777  # not set-user-ID and the like
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        stream = cast(TextIO, WholeWrites(open(fd, "wb")))
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    return Output(name, stream, target=target, temporary=tmp, owned=True, existed=st is not None)


class GuardedWriter:
    """A writer (made by `make(stream)`, inside the guard: the CSV header row is a write too)
    whose output errors are raised as OutputError. A RecordError passes through: the record
    was not written, and the output is still valid."""

    def __init__(self, make: Callable[[TextIO], _Writer], output: Output) -> None:
        self.output = output
        self.writer: _Writer = self._guard(make, output.stream)

    def write(self, record: dict[str, Any]) -> None:
        self._guard(self.writer.write, record)

    def close(self) -> None:
        self._guard(self.writer.close)

    def _guard(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args)
        except BrokenPipeError:
            if self.output.name == STDOUT_NAME:
                raise  # `| head` has all it wanted: a quiet end (click's handling)
            raise OutputError(f"{self.output.name}: {_reason(BrokenPipeError(32, 'Broken pipe'))}") from None
        except OSError as e:
            raise OutputError(f"{self.output.name}: {_reason(e)}") from None
        except UnicodeEncodeError as e:  # raised before a byte of the record was written
            raise RecordError(f"can't be written in {e.encoding} ({e.reason})") from None
        except ValueError as e:
            if type(e) is ValueError and "closed file" in str(e):  # the stream was closed under us
                raise OutputError(f"{self.output.name}: closed") from None
            raise  # a RecordError: the record was not written
