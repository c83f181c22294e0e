"""Split a press release into its header (title, date, source, dateline, ...) and body.

Pure string code: no spaCy, no I/O. Recognised header styles:

* YAML front matter: ``---`` / ``title: ...`` / ``date: ...`` / ``---``;
* key/value lines at the top (``headline:``, ``date:``, ``link:``, ``location:``);
* a one-line ``date 2020-11-26 Source: ...`` header, then a dateline
  (``26 November 2020``);
* a title line, then a date line (``March 26, 2000, 12:10``), then a place
  (kremlin.ru pages).

A text that matches none of them has an empty header and is all body. The body
is never shortened: `body_start` is where it begins in the original text.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z_ -]{0,30}):\s*(?P<value>.*?)\s*$")
_ONE_LINE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+Source:\s*(?P<source>.+?)\s*$", re.I)
_KEY_ALIASES = {"headline": "title", "link": "url", "source_url": "url", "location": "place",
                "published": "date"}
_KNOWN_KEYS = {"title", "headline", "date", "link", "url", "source", "source_url", "location",
               "place", "summary", "author", "tags", "modified_time", "published_time", "published",
               "dateline", "id", "category", "lang", "language", "subtitle"}


@dataclass
class Release:
    """A release's header fields and where its body starts."""

    header: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0
    #: what the user should be told (e.g. front matter too large to be read as YAML)
    warnings: list[str] = field(default_factory=list)


#: Front matter larger than this is not read as YAML: PyYAML is pure Python and takes about
#: 120 MB of memory and 10 s per MB. Such a header is read as plain `key: value` lines.
MAX_YAML_CHARS = 64 * 1024
#: Deeper structures in a header value are cut off (shown as "…").
MAX_VALUE_DEPTH = 32


# Two defaults that differ in every field: a field that comes out the same from both was
# written in the string, one that differs was filled in by the default.
_DEFAULTS = (datetime(1, 1, 1, 1, 1, 1, 1), datetime(2, 2, 2, 2, 2, 2, 2))
# A date line is short; a longer line is a sentence that may merely mention a date.
MAX_DATE_CHARS = 80
_YEAR = re.compile(r"\d{4}")
_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def _dateutil() -> Any:
    from dateutil import parser

    return parser


def iso_date(value: str) -> str | None:
    """An ISO 8601 form of a date string, or None when it is not a whole date.

    Read by python-dateutil ('Sept. 3, 2020', 'Tuesday, March 3, 2021', 'March 3rd, 2021',
    '3 March 2021', '2022-03-01T20:40:00Z', ...). Year, month and day must all be written,
    and a year of four digits or a month name must be there ("5 5 5" is no date). The
    result keeps what was written and no more: a time only when one was given (seconds
    only when they were), and the time zone when one was given as an offset or "Z".
    """
    value = value.strip().strip("'\"").strip()
    if not value or len(value) > MAX_DATE_CHARS or not any(ch.isdigit() for ch in value):
        return None
    parser = _dateutil()
    if not _YEAR.search(value) and not any(parser.parserinfo().month(w) is not None
                                           for w in _WORD.findall(value)):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a zone name it doesn't know ("CET") is left out
        try:
            a, b = (parser.parse(value, default=d) for d in _DEFAULTS)
        except (ValueError, OverflowError):  # ParserError is a ValueError
            return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None  # "March 4", "April 2021": not a whole date
    if a.hour != b.hour:
        return a.date().isoformat()
    if a.minute != b.minute:  # "9 am"
        a = a.replace(minute=0)
    if a.second != b.second:
        spec = "minutes"
    else:  # written seconds come with their fraction, 0 when none was written
        spec = "microseconds" if a.microsecond else "seconds"
    return a.isoformat(timespec=spec)


def _is_date_line(line: str) -> bool:
    return iso_date(line) is not None


def _lines(text: str, start: int = 0):
    """(line, start, end) for each line from `start`, without its newline."""
    pos = start
    while pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        yield text[pos:end], pos, end
        if nl < 0:
            return
        pos = nl + 1


def _skip_blank(text: str, pos: int) -> int:
    """Offset of the first non-blank line at or after `pos`."""
    for line, s, _ in _lines(text, pos):
        if line.strip():
            return s
    return len(text)


def _load_yaml(source: str) -> Any:
    """YAML without aliases: front matter has no use for them, and nested aliases
    expand exponentially (a few hundred bytes can become gigabytes)."""
    import yaml  # type: ignore[import-untyped]

    class _NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("aliases are not allowed in front matter")
            return super().compose_node(parent, index)

    return yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


def _front_matter(text: str) -> Release | None:
    if not text.startswith("---"):
        return None
    m = re.compile(r"^---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.S).match(text)
    if not m:
        return None
    header: dict[str, Any] = {}
    warnings: list[str] = []
    data = None
    if len(m.group(1)) > MAX_YAML_CHARS:
        warnings.append(f"front matter over {MAX_YAML_CHARS // 1024} KB: read as plain key: value lines, not YAML")
    else:
        try:
            data = _load_yaml(m.group(1))
        except Exception:  # not YAML after all (or nested too deep): plain key: value lines
            data = None
    if isinstance(data, dict):
        for key, value in data.items():
            header[_text(key)] = _header_value(value)
    else:
        for line, _, _ in _lines(m.group(1)):
            km = _KEY_LINE.match(line)
            if km:
                header[km.group("key").strip()] = km.group("value").strip().strip("'\"")
    return Release(_normalise(header), _skip_blank(text, m.end()), warnings)


def _header_value(value: Any) -> Any:
    """A YAML value as a header field: a string, number, boolean, null or list (anything
    else as a string), which every writer can render (see `_plain`)."""
    if value is None or isinstance(value, (str, int, float, bool, list)):
        return _plain(value, 0)
    return _text(value)


def _plain(value: Any, depth: int) -> Any:
    """`value` with only JSON-safe parts: string keys, finite floats, ints short enough
    to print, at most MAX_VALUE_DEPTH levels; anything else as a string."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        try:
            str(value)  # a YAML hex or sexagesimal int can be too long to print in decimal
        except ValueError:
            return hex(value)
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (list, tuple, dict)) and depth >= MAX_VALUE_DEPTH:
        return "\u2026"
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k if isinstance(k, str) else _text(k): _plain(v, depth + 1) for k, v in value.items()}
    return _text(value)


def _text(value: Any) -> str:
    """str(value), or a JSON-safe form's str() when str() fails (a huge int inside)."""
    try:
        return str(value)
    except (ValueError, RecursionError):
        if isinstance(value, int):
            return hex(value)
        return str(_plain(value, 0)) if isinstance(value, (list, tuple, dict)) else "\u2026"


def _key_lines(text: str) -> Release | None:
    header: dict[str, Any] = {}
    end = 0
    for line, s, e in _lines(text):
        if not line.strip():
            if header:
                end = e
            break
        km = _KEY_LINE.match(line)
        if not km or km.group("key").strip().lower() not in _KNOWN_KEYS:
            return None
        header[km.group("key").strip().lower()] = km.group("value")
        end = e
    if len(header) < 2:
        return None
    return Release(_normalise(header), _skip_blank(text, end))


def _one_line(text: str) -> Release | None:
    first = next(_lines(text))
    m = _ONE_LINE.match(first[0])
    if not m:
        return None
    header: dict[str, Any] = {"date": m.group("date"), "source": m.group("source")}
    pos = _skip_blank(text, first[2])
    line = next(_lines(text, pos))
    if _is_date_line(line[0]):
        header["dateline"] = line[0].strip()
        pos = _skip_blank(text, line[2])
    return Release(_normalise(header), pos)


def _title_date_place(text: str) -> Release | None:
    lines = list(zip(range(4), _lines(text, _skip_blank(text, 0))))
    if len(lines) < 2:
        return None
    (_, (title, _, _)), (_, (date, _, date_end)) = lines[0], lines[1]
    if not title.strip() or len(title) > 300 or not _is_date_line(date):
        return None
    header: dict[str, Any] = {"title": title.strip(), "date": date.strip()}
    pos = date_end
    if len(lines) > 2:
        place, s, e = lines[2][1]
        # A place is a short line without sentence punctuation ("Moscow", "The Kremlin, Moscow").
        if place.strip() and len(place) < 80 and not re.search(r"[.!?:\u201c\"]", place):
            header["place"] = place.strip()
            pos = e
    return Release(_normalise(header), _skip_blank(text, pos))


def _normalise(header: dict[str, Any]) -> dict[str, Any]:
    """Canonical keys (title, date, source, place, dateline, url); the date in ISO 8601
    when parseable (the text as given is kept in `date_text`)."""
    out: dict[str, Any] = {}
    for key, value in header.items():
        if isinstance(value, str):
            value = value.strip()
        canon = _KEY_ALIASES.get(key.lower(), key)
        out.setdefault(canon, value)
    if isinstance(out.get("date"), str):
        iso = iso_date(out["date"])
        if iso and iso != out["date"]:
            out["date_text"] = out["date"]
            out["date"] = iso
    return out


def parse_release(text: str) -> Release:
    """Header fields and body start of a release; a plain text is all body."""
    for parse in (_front_matter, _one_line, _key_lines, _title_date_place):
        found = parse(text)
        if found is not None:
            return found
    return Release({}, 0)
