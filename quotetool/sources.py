"""Turn command-line paths into decoded texts. Standard library + charset-normalizer only.

`iter_sources(paths)` walks files, folders, `.jsonl` corpora and `-` (stdin) lazily and
yields a `Source` per document or a `SourceError` per input that can't be read. It never
prints and never raises for a bad input: the caller decides what to say.

`decode_bytes(data)` is the decoding policy: BOM first, strict UTF-8 next, then a detector
for legacy single-byte files, and a clear error (naming the byte offset) rather than
replacement characters.
"""

from __future__ import annotations

import codecs
import fnmatch
import io
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

#: Folder contents that are read when no --glob is given.
DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md", "*.jsonl")
#: Files (and single corpus lines) larger than this are refused instead of read into memory.
MAX_BYTES = 200 * 1024 * 1024
STDIN_ID = "-"
#: Python's limit on the digits of an int parsed from text (3.11+; 4300 by default).
_MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)


@dataclass(frozen=True)
class Source:
    """One document to process.

    Attributes:
        id: the path as given, the path joined under its folder argument, the corpus
            line's own id, or "-" for stdin.
        text: the decoded text (BOM removed, newlines as in the file).
        encoding: the codec it was decoded with.
        path: the file it came from (None for stdin).
    """

    id: str
    text: str
    encoding: str | None
    path: str | None


@dataclass(frozen=True)
class SourceError:
    """An input that could not be read; `reason` is a short human-readable phrase."""

    id: str
    reason: str


class DecodeError(ValueError):
    """Raised by `decode_bytes`; the message is ready to show the user."""


# --- decoding -------------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls that never appear in text files (tab, newlines, form feed and ESC do).
_BINARY_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27))
_SAMPLE = 256 * 1024
# Legacy code pages to try even when the detector ranks them low: on short texts it often
# prefers cp1250 ("à" -> "ŕ") over cp1252, and cp1125 ("╧ЁштхҐ") over cp1251.
_PREFERRED = ("cp1252", "cp1251")
_C1 = re.compile("[\x80-\x9f]")
_WORD = re.compile(r"\w+")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes strictly.

    Args:
        data: the raw bytes.
        encoding: a codec to force (strict); None to detect.

    Returns:
        (text, codec name). A BOM is removed from the text.

    Raises:
        DecodeError: "binary file", or "not valid UTF-8 (byte 0x93 at offset 120); try
            --encoding cp1252", or "not valid cp1251 (byte ... at offset ...)" when forced.
    """
    if encoding is not None:
        name = codecs.lookup(encoding).name
        bom = 0
        if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            bom = len(codecs.BOM_UTF8)
        return _strict(data, name, bom), name
    for mark, name in _BOMS:
        if data.startswith(mark):
            return _strict(data, name, len(mark)), name + ("-sig" if name == "utf-8" else "")
    sample = data[:_SAMPLE]
    # NUL never appears in a text file; other controls do, a few (a stray BEL or backspace
    # from a terminal log): only a text that is more than 1/20 controls is binary.
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROLS))
    if b"\0" in data or controls > max(2, len(sample) // 20):
        raise DecodeError("binary file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    hint = f"not valid UTF-8 ({_describe(utf8_error, 0)}); try --encoding cp1252"
    # Mostly valid UTF-8 with a few stray bytes (pasted or scraped text): any legacy codec
    # would turn every multi-byte character into mojibake, so refuse instead of guessing.
    loose = sample.decode("utf-8", "replace")
    bad = loose.count("\ufffd")
    if sum(1 for ch in loose if ch > "\x7f") - bad > bad:
        raise DecodeError(hint)
    found = _detect(data, sample)
    if found is None:
        printable = sum(1 for b in sample if 32 <= b < 127 or b in (9, 10, 13))
        raise DecodeError("binary file" if printable < 0.7 * len(sample) else hint)
    return found


def _strict(data: bytes, name: str, skip: int) -> str:
    try:
        return data[skip:].decode(name)
    except UnicodeDecodeError as e:
        raise DecodeError(f"not valid {name} ({_describe(e, skip)})") from None


def _describe(e: UnicodeDecodeError, skip: int) -> str:
    return f"byte 0x{e.object[e.start]:02x} at offset {e.start + skip}"


def _detect(data: bytes, sample: bytes) -> tuple[str, str] | None:
    """Pick a legacy codec: charset-normalizer's candidates plus cp1252/cp1251, filtered and ranked."""
    from charset_normalizer import from_bytes

    ranked = [m.encoding for m in from_bytes(sample)]
    candidates = list(dict.fromkeys([*_PREFERRED, *ranked]))
    scored = []
    for rank, enc in enumerate(candidates):
        if enc.startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
            continue  # without a BOM these "decode" any even-length ASCII into CJK noise
        try:
            text = sample.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _C1.search(text):
            continue  # latin-1 & co. turn cp1252's “ ” into control characters
        if not ranked and enc in _PREFERRED:
            continue  # the detector found nothing at all: don't invent an answer
        scored.append((_implausibility(text), rank, enc))
    for _score, _rank, enc in sorted(scored):
        try:
            return data.decode(enc), codecs.lookup(enc).name
        except UnicodeDecodeError:
            continue  # the sample decoded but a later byte doesn't
    return None


def _implausibility(text: str) -> int:
    """Score a decoding by oddities a wrong code page produces (lower is better)."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        scripts = {unicodedata.name(ch, "?").split(" ")[0] for ch in word if ch.isalpha()}
        if len(scripts) > 1:
            score += 5  # "cafй": Latin and Cyrillic in one word
        if any(not ch.isalpha() for ch in word if not ch.isascii()):
            score += 3  # "³" or "ª" inside a word
        if scripts == {"LATIN"} and len(word) >= 3 and sum(not ch.isascii() for ch in word) * 2 > len(word):
            score += 3  # "Ïðèâåò": Cyrillic read as Western
        if any(a.islower() and b.isupper() for a, b in zip(word, word[1:])):
            score += 2  # "пРИВЕТ": KOI8 read as cp1251
    score += sum(2 for ch in _NON_ASCII.findall(text) if unicodedata.category(ch) == "So")  # box drawing etc.
    return score


def read(path: str | os.PathLike[str], *, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """A file's text, decoded exactly as `quotetool extract` decodes it: BOM removed,
    UTF-8 or a detected legacy code page (or `encoding`), line ends kept as they are
    (CRLF stays CRLF), so the offsets of `quotetool.extract(read(path))` are the CLI's.

    Raises:
        OSError: the file can't be read.
        DecodeError: a binary file, or bytes that are not valid in the encoding
            (the message says where, and suggests --encoding).
    """
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DecodeError(_too_large(max_bytes))
    return decode_bytes(data, encoding)[0]


# --- walking --------------------------------------------------------------------------------


def iter_sources(
    paths: Iterable[str | os.PathLike[str]],
    *,
    glob_patterns: Iterable[str] = DEFAULT_GLOBS,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    stdin: BinaryIO | None = None,
    on_warning: Callable[[str, str], None] | None = None,
) -> Iterator[Source | SourceError]:
    """Yield every document under `paths`, lazily and in input order.

    Args:
        paths: files, folders (recursive, sorted, dot-names skipped), `.jsonl` corpora
            (one `{"id", "text", ...}` object per line) and "-" for stdin.
        glob_patterns: which folder contents to read (matched case-insensitively against
            the file name, or against the path under the folder when a pattern has a "/").
            Files named explicitly are always read.
        encoding: force this codec instead of detecting one.
        max_bytes: refuse files (and corpus lines) larger than this.
        stdin: where "-" reads from (default: sys.stdin's binary buffer). Read once.
        on_warning: called with (path, message) for a folder with nothing to read.
    """
    patterns = tuple(p.lower() for p in glob_patterns)
    stdin_read = False
    for arg in paths:
        given = os.fspath(arg)
        if given == STDIN_ID:
            if stdin_read:
                yield SourceError(STDIN_ID, "stdin given more than once")
                continue
            stdin_read = True
            stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
            if stream is None:  # pythonw, or stdin closed
                yield SourceError(STDIN_ID, "stdin is not available")
                continue
            try:
                data = stream.read(max_bytes + 1)
            except OSError as e:
                yield SourceError(STDIN_ID, _os_reason(e))
                continue
            yield _from_bytes(STDIN_ID, None, data, encoding, max_bytes)
        elif os.path.isdir(given):
            found = False
            for item in _walk(given, patterns):
                found = True
                if isinstance(item, SourceError):
                    yield item
                else:
                    yield from _read_path(item, encoding, max_bytes, walked=True)
            if not found and on_warning is not None:
                on_warning(given, "no files matching " + ", ".join(patterns))
        else:
            yield from _read_path(given, encoding, max_bytes)


def count_sources(paths: Iterable[str | os.PathLike[str]], *, glob_patterns: Iterable[str] = DEFAULT_GLOBS) -> int:
    """How many items `iter_sources` will yield (for a progress bar); reads corpora, not files."""
    patterns = tuple(p.lower() for p in glob_patterns)
    total = 0
    for arg in paths:
        given = os.fspath(arg)
        files = [f for f in _walk(given, patterns)] if os.path.isdir(given) else [given]
        for f in files:
            if isinstance(f, str) and f.lower().endswith(".jsonl") and _is_regular(f):
                try:
                    with open(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def _is_regular(path: str) -> bool:
    """Is `path` a regular file? (Counting a pipe's lines would use up what it sends.)"""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _walk(top: str, patterns: tuple[str, ...]) -> Iterator[str | SourceError]:
    """Matching files under `top`, depth first in name order, each real folder once.

    Iterative (a folder nested thousands deep is no recursion error); a symlink loop is
    read once; a matching name that is a broken link, a named pipe, a socket or a device
    is an error (reading a pipe would wait forever), never a hang.
    """
    seen: set[tuple[int, int]] = set()
    # A stack of iterators over each open folder's (sorted) entries.
    stack: list[Iterator[tuple[str, str, os.DirEntry[str]]]] = []

    def enter(folder: str, rel: str) -> SourceError | None:
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                return None  # a symlink loop, or a folder reached twice: read it once
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            return SourceError(folder, _os_reason(e))
        stack.append(
            (os.path.join(folder, e.name), f"{rel}/{e.name}" if rel else e.name, e)
            for e in entries
            if not e.name.startswith(".")
        )
        return None

    err = enter(top, "")
    if err is not None:
        yield err
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            continue
        path, sub, entry = nxt
        try:
            is_dir = entry.is_dir()  # follows symlinks; loops are caught by `seen`
        except OSError:
            is_dir = False
        if is_dir:
            err = enter(path, sub)
            if err is not None:
                yield err
            continue
        if not _matches(entry.name.lower(), sub.lower(), patterns):
            continue
        try:
            is_file = entry.is_file()
        except OSError:
            is_file = False
        if is_file:
            yield path
            continue
        try:
            st = os.stat(path)
        except OSError as e:
            yield SourceError(path, "broken symbolic link" if entry.is_symlink() else _os_reason(e))
            continue
        yield SourceError(path, f"not a regular file ({_file_kind(st.st_mode)})")


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _matches(name: str, rel: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(rel if "/" in p else name, p) for p in patterns)


def _read_path(path: str, encoding: str | None, max_bytes: int,
               walked: bool = False) -> Iterator[Source | SourceError]:
    """Read one file. A file found by a folder walk is opened without blocking and must
    still be a regular file (it may have been replaced by a pipe since the walk saw it);
    a file named on the command line may be anything readable (a pipe, /dev/stdin)."""
    if path.lower().endswith(".jsonl"):
        yield from _read_corpus(path, encoding, max_bytes)
        return
    try:
        with open(path, "rb", opener=_open_nonblocking if walked else None) as f:
            st = os.fstat(f.fileno())
            if walked and not stat.S_ISREG(st.st_mode):
                yield SourceError(path, f"not a regular file ({_file_kind(st.st_mode)})")
                return
            if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
                yield SourceError(path, _too_large(max_bytes))
                return
            data = f.read(max_bytes + 1)  # bounded even for /dev/zero or a growing file
    except OSError as e:
        yield SourceError(path, _os_reason(e))
        return
    yield _from_bytes(path, path, data, encoding, max_bytes)


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _too_large(max_bytes: int) -> str:
    return f"too large (over {max_bytes // (1024 * 1024)} MB)" if max_bytes >= 1024 * 1024 \
        else f"too large (over {max_bytes} bytes)"


def _from_bytes(id_: str, path: str | None, data: bytes, encoding: str | None, max_bytes: int) -> Source | SourceError:
    if len(data) > max_bytes:
        return SourceError(id_, _too_large(max_bytes))
    try:
        text, used = decode_bytes(data, encoding)
    except DecodeError as e:
        return SourceError(id_, str(e))
    return Source(id_, text, used, path)


def _read_corpus(path: str, encoding: str | None, max_bytes: int) -> Iterator[Source | SourceError]:
    """One Source per non-blank line of a JSONL corpus; a bad line is a `file:line` error.

    UTF-8 unless `encoding` says otherwise; a corpus starting with a UTF-16 or UTF-32 BOM
    (PowerShell's default) is read in that encoding.
    """
    try:
        f = open(path, "rb")
    except OSError as e:
        yield SourceError(path, _os_reason(e))
        return
    with f:
        try:
            head = f.peek(4)[:4] if hasattr(f, "peek") else b""
        except OSError:
            head = b""
        codec = codecs.lookup(encoding or "utf-8").name
        if encoding is None:
            codec = next((name for bom, name in _BOMS if head.startswith(bom)), "utf-8")
        if codec.startswith(("utf-16", "utf-32")):
            lines = _text_lines(f, codec, max_bytes)
        else:
            lines = _byte_lines(f, codec, max_bytes)
        lineno = 0
        for item in lines:
            lineno += 1
            where = f"{path}:{lineno}"
            if isinstance(item, _LineError):
                yield SourceError(where, item.reason)
                if item.fatal:
                    return
                continue
            if not item.strip():
                continue
            try:
                obj = json.loads(item)
            except RecursionError:  # valid JSON, nested deeper than the parser's stack
                yield SourceError(where, "not valid JSON (nested too deeply)")
                continue
            except ValueError as e:
                if "integer string conversion" in str(e):  # Python's guard against slow int parsing
                    e = ValueError(f"a number with more than {_MAX_DIGITS()} digits")
                yield SourceError(where, f"not valid JSON ({e})")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield SourceError(where, 'expected an object with a "text" string')
                continue
            id_ = _corpus_id(obj.get("id"), where)
            if id_ is None:
                yield SourceError(where, 'the "id" must be a string or a number')
                continue
            yield Source(id_, obj["text"], codec, path)


def _corpus_id(value: object, where: str) -> str | None:
    """A corpus line's id as a string (`where` when it has none); None if it can't be one."""
    if value is None:
        return where
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # json.loads refuses the ints too long to print
    return None


@dataclass(frozen=True)
class _LineError:
    """A corpus line that could not be read; `fatal` when nothing after it can be."""

    reason: str
    fatal: bool = False


def _byte_lines(f: BinaryIO, codec: str, max_bytes: int) -> Iterator[str | _LineError]:
    """The lines of an ASCII-compatible corpus (UTF-8, cp1252, ...), decoded one by one."""
    first = True
    while True:
        try:
            raw = f.readline(max_bytes + 1)
        except OSError as e:
            yield _LineError(_os_reason(e), fatal=True)
            return
        if not raw:
            return
        if len(raw) > max_bytes:
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = f.readline(1024 * 1024)
            yield _LineError("line " + _too_large(max_bytes))
            first = False
            continue
        if first and codec == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        first = False
        try:
            yield raw.decode(codec)
        except UnicodeDecodeError as e:
            yield _LineError(f"not valid {codec} ({_describe(e, 0)})")


def _text_lines(f: BinaryIO, codec: str, max_bytes: int) -> Iterator[str | _LineError]:
    """The lines of a UTF-16 or UTF-32 corpus (whose newline is more than one byte)."""
    head = f.peek(4)[:4] if hasattr(f, "peek") else b""
    boms = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE) if codec.startswith("utf-32") else \
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    # "utf-16"/"utf-32" read the BOM, pick the byte order from it and drop it.
    text = io.TextIOWrapper(f, encoding=codec[:6] if head.startswith(boms) else codec, errors="strict")
    limit = max_bytes // 2  # characters: at least two bytes each
    while True:
        try:
            line = text.readline(limit + 1)
            if len(line) > limit:
                while line and not line.endswith("\n"):
                    line = text.readline(1024 * 1024)
                yield _LineError("line " + _too_large(max_bytes))
                continue
        except UnicodeDecodeError as e:
            yield _LineError(f"not valid {codec} ({e.reason})", fatal=True)
            return
        except OSError as e:
            yield _LineError(_os_reason(e), fatal=True)
            return
        if not line:
            return
        yield line.lstrip("\ufeff")


def _os_reason(e: OSError) -> str:
    return e.strerror or str(e)
