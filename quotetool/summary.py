"""Who said what across many documents: `quotetool speakers` and `extract --speaker`.

`SpeakerTally` reads document records (`Document.to_dict()`) one at a time and keeps,
per speaker, only counts, dates and one example, so a folder of any size summarises in
little memory. Speakers are one row when their names are the same but for case and
spacing ("Aleksandr Lukashenko" in every document that names him so); the name shown is
the spelling seen most often. Quotes nobody could be named for are one row too, with
speaker null, always last.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

from .models import normalise_field

#: An example quote is cut to this many characters (with an ellipsis).
EXAMPLE_CHARS = 100
#: An example has this many words or more when the speaker has such a quote: a short
#: fragment ("No.") says little about what someone talks about.
EXAMPLE_MIN_WORDS = 6
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: Columns of the csv format, and keys of each json/jsonl row.
FIELDS = ("speaker", "quotes", "documents", "first_date", "last_date", "cue", "example")


def _key(name: str) -> str:
    return normalise_field(name).casefold()


@dataclass
class SpeakerRow:
    """One speaker across the documents read."""

    speaker: str | None
    quotes: int = 0
    documents: int = 0
    first_date: str | None = None
    last_date: str | None = None
    cue: str | None = None
    example: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Stats:
    names: Counter[str] = field(default_factory=Counter)
    cues: Counter[str] = field(default_factory=Counter)
    cue_spelling: dict[str, str] = field(default_factory=dict)
    quotes: int = 0
    documents: int = 0
    first_date: str | None = None
    last_date: str | None = None
    example: str | None = None
    fallback: str | None = None


def _day(header: Any) -> str | None:
    """The document's day (YYYY-MM-DD) from its header's ISO date, if it has one."""
    date = header.get("date") if isinstance(header, dict) else None
    if isinstance(date, str) and _ISO_DAY.match(date):
        return date[:10]
    return None


def _clean(quote: dict[str, Any]) -> str:
    text = quote.get("quote_clean")
    if not isinstance(text, str):
        from .cleantext import clean_text

        text = clean_text(str(quote.get("quote") or ""))
    return text


def _short(text: str) -> str:
    if len(text) <= EXAMPLE_CHARS:
        return text
    return text[: EXAMPLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


class SpeakerTally:
    """Counts per speaker over document records, read one at a time."""

    def __init__(self) -> None:
        self.stats: dict[str | None, _Stats] = {}

    def add(self, record: dict[str, Any]) -> None:
        """Count one document record (an error record counts nothing)."""
        if "error" in record:
            return
        day = _day(record.get("header"))
        seen: set[str | None] = set()
        for q in record.get("quotes") or []:
            name = q.get("speaker") or None
            key = _key(name) if name else None
            st = self.stats.setdefault(key, _Stats())
            if name:
                st.names[normalise_field(name)] += 1
            st.quotes += 1
            cue = q.get("cue")
            if isinstance(cue, str) and any(ch.isalpha() for ch in cue):  # not a label's ":"
                st.cues[cue.casefold()] += 1
                st.cue_spelling.setdefault(cue.casefold(), cue)
            text = _clean(q)
            if st.example is None and len(text.split()) >= EXAMPLE_MIN_WORDS:
                st.example = text
            if st.fallback is None and text:
                st.fallback = text
            if key not in seen:
                seen.add(key)
                st.documents += 1
                if day is not None:
                    st.first_date = day if st.first_date is None else min(st.first_date, day)
                    st.last_date = day if st.last_date is None else max(st.last_date, day)

    def rows(self, min_quotes: int = 1) -> list[SpeakerRow]:
        """One row per speaker with at least `min_quotes` quotes: most quotes first, then
        most documents, then by name; the quotes with no speaker last."""
        out = []
        for key, st in self.stats.items():
            if st.quotes < min_quotes:
                continue
            # most frequent spelling; Counter keeps first-seen order among ties
            name = st.names.most_common(1)[0][0] if key is not None else None
            cue = st.cue_spelling[st.cues.most_common(1)[0][0]] if st.cues else None
            example = st.example or st.fallback
            out.append(SpeakerRow(name, st.quotes, st.documents, st.first_date, st.last_date, cue,
                                  _short(example) if example else None))
        out.sort(key=lambda r: (r.speaker is None, -r.quotes, -r.documents, (r.speaker or "").casefold()))
        return out


class SummaryWriter:
    """A writer (as `render.make_writer` gives) that tallies document records and, on
    `close()`, writes the speaker rows as a table, json, jsonl or csv."""

    FORMATS = ("table", "json", "jsonl", "csv")

    def __init__(self, fmt: str, stream: TextIO, *, min_quotes: int = 1, formula_guard: bool = True) -> None:
        if fmt not in self.FORMATS:
            raise ValueError(f"speakers: no {fmt} format")
        self.fmt, self.stream, self.min_quotes, self.formula_guard = fmt, stream, min_quotes, formula_guard
        self.tally = SpeakerTally()

    def write(self, record: dict[str, Any]) -> None:
        self.tally.add(record)

    def close(self) -> None:
        rows = self.tally.rows(self.min_quotes)
        if self.fmt == "table":
            from .table import SpeakerTableWriter

            SpeakerTableWriter(self.stream).write_rows(rows)
            return
        from . import render

        if self.fmt == "csv":
            import csv
            import io

            buf = io.StringIO()
            out = csv.writer(buf)
            out.writerow(FIELDS)
            for row in rows:
                out.writerow([render._csv_cell(v, self.formula_guard) for v in row.to_dict().values()])
            self.stream.write(buf.getvalue())
            self.stream.flush()
            return
        writer = render.JsonWriter(self.stream) if self.fmt == "json" else render.JsonlWriter(self.stream)
        for row in rows:
            writer.write(row.to_dict())
        writer.close()
