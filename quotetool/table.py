"""The `table` format: documents and their quotes for a person at a terminal.

Per document, its header as a heading (title; date · place · source; the id), then one
block per quote: a line with the speaker (in a colour kept for that speaker over the
whole run), the cue, the mention (cut with an ellipsis past MENTION_WIDTH) and the
sieve that decided, and beneath it the quote's clean text, wrapped. The quote text gets
the whole width but for an INDENT-column margin (76 characters a line at 80 columns), up
to TEXT_WIDTH, past which lines get too long to read.

All input text goes through `render.safe_text` into `rich.text.Text`, never markup, so
"[sic]" is printed as written and escape sequences in the input are shown, not obeyed.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from .cleantext import clean_text
from .render import Record, dumps, heading_fields, render_record, safe_text

#: The longest line of quote text: readable measure, even on a 200-column terminal.
TEXT_WIDTH = 100
#: A mention longer than this is cut, with an ellipsis.
MENTION_WIDTH = 40
#: Speaker colours, given out in order of first appearance and kept for the run; chosen
#: to read on dark and light backgrounds alike.
PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta",
           "bright_green", "dark_orange", "deep_sky_blue1", "orchid")
#: Quote text is indented under its head line by this much.
INDENT = 4


class SpeakerColours:
    """One colour per speaker (case-insensitive), the same wherever the speaker comes back."""

    def __init__(self, palette: tuple[str, ...] = PALETTE) -> None:
        self.palette = palette
        self.given: dict[str, str] = {}

    def __call__(self, speaker: str | None) -> str:
        if not speaker:
            return "dim"
        key = speaker.casefold()
        if key not in self.given:
            self.given[key] = self.palette[len(self.given) % len(self.palette)]
        return self.given[key]


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _value(value: Any) -> str:
    return safe_text(value if isinstance(value, str) else dumps(value))


def heading(record: Record) -> list[Text]:
    """The lines that head a document: its title (or id), date · place · source, then
    the id (when there was a title) and url."""
    header = record.get("header") or {}
    ident = Text(safe_text(record.get("id")))
    if record.get("encoding"):
        ident.append(f"  ({safe_text(record['encoding'])})", style="dim")
    title, meta = heading_fields(header)
    lines = [Text(safe_text(title), style="bold") if title is not None else ident.copy()]
    lines[0].stylize("bold")
    if meta:
        lines.append(Text(" · ".join(safe_text(m) for m in meta), style="cyan"))
    if title is not None:
        ident.stylize("dim")
        lines.append(ident)
    if header.get("url"):
        lines.append(Text(_value(header["url"]), style="dim underline"))
    return lines


def quote_block(number: int, quote: dict[str, Any], colour: str) -> tuple[Text, Text]:
    """The head line (number, speaker · cue · mention, sieve) and the clean text of a quote."""
    line = Text()
    line.append(f"{number:>3} ", style="dim")  # a style given to Text() would dim the whole line
    speaker = quote.get("speaker")
    line.append(safe_text(speaker) if speaker else "no speaker", style=f"bold {colour}" if speaker else "dim")
    for part in (quote.get("cue"), quote.get("speaker_mention")):
        # a label's cue is its colon: nothing to show
        if part and part != speaker and any(ch.isalnum() for ch in str(part)):
            line.append(" · ", style="dim")
            line.append(_truncate(safe_text(part), MENTION_WIDTH))
    source = quote.get("speaker_source")
    if source and source != "none":
        line.append(f"  {safe_text(source)}", style="dim italic")
    text = quote.get("quote_clean")
    if text is None:  # a record from elsewhere (an older tool, a hand-made file)
        text = clean_text(str(quote.get("quote") or ""))
    return line, Text(safe_text(text))


class TableWriter:
    """Writes each record as it comes (see the module docstring for the layout)."""

    def __init__(self, target: Console | TextIO, colours: SpeakerColours | None = None) -> None:
        self.console = (
            target
            if isinstance(target, Console)
            else Console(file=target, markup=False, emoji=False, highlight=False)
        )
        self.colours = colours or SpeakerColours()
        self.count = 0

    def write(self, record: Record) -> None:
        c = self.console

        def make() -> str:
            with c.capture() as capture:
                self._print(record)
            return capture.get()

        # Rendered once aside first: a record that can't be is a RenderError before anything
        # is written. Then printed for real in one buffered write (`with c:`), so a recording
        # console (export_text, export_html) gets it too.
        render_record("a table", make)
        with c:
            self._print(record)
        self.count += 1
        c.file.flush()

    def _print(self, record: Record) -> None:
        c = self.console
        if self.count:
            c.print(Rule(style="dim"), width=min(c.width, TEXT_WIDTH + INDENT))
        if "error" in record:
            c.print(Text(safe_text(record.get("id")), style="bold"), soft_wrap=True)
            c.print(Text("error: " + safe_text(record["error"]), style="red"), soft_wrap=True)
            return
        for line in heading(record):
            c.print(line)
        quotes = record.get("quotes") or []
        if not quotes:
            c.print(Text("no quotes", style="dim"))
            return
        width = min(c.width, TEXT_WIDTH + INDENT)
        for i, q in enumerate(quotes, 1):
            line, text = quote_block(i, q, self.colours(q.get("speaker")))
            c.print()
            c.print(line, width=width)
            # Wrapped by hand, not in a grid or Padding: those pad every line with spaces
            # to the full width, which a file or a pager then carries.
            for wrapped in text.wrap(c, width - INDENT, justify="default", overflow="fold"):
                wrapped.rstrip()
                c.print(Text(" " * INDENT) + wrapped, width=width)

    def close(self) -> None:
        self.console.file.flush()


class SpeakerTableWriter:
    """The `speakers` table: one line per speaker (name, quotes, documents, first and
    last date, most frequent cue) with an example quote wrapped beneath it, over the
    whole width: a column of examples would get a dozen characters at 80 columns."""

    #: (title, width, right-aligned) of the columns after the name
    COLUMNS = (("quotes", 7, True), ("docs", 5, True), ("first", 11, False), ("last", 11, False),
               ("cue", 14, False))

    def __init__(self, target: Console | TextIO) -> None:
        self.console = (
            target
            if isinstance(target, Console)
            else Console(file=target, markup=False, emoji=False, highlight=False)
        )
        self.colours = SpeakerColours()

    def _line(self, name: Text, cells: list[str], name_width: int) -> Text:
        line = name.copy()
        line.truncate(name_width, overflow="ellipsis", pad=True)
        for (_, width, right), cell in zip(self.COLUMNS, cells):
            cell = cell if len(cell) < width else cell[: width - 2] + "…"
            line.append(" " + (cell.rjust(width - 1) if right else cell.ljust(width - 1)))
        line.rstrip()
        return line

    def write_rows(self, rows: list[Any]) -> None:
        c = self.console
        if not rows:
            c.print(Text("no quotes", style="dim"))
            c.file.flush()
            return
        width = min(c.width, TEXT_WIDTH + INDENT)
        fixed = sum(w for _, w, _ in self.COLUMNS)
        name_width = max(12, width - fixed)
        titles = [t for t, _, _ in self.COLUMNS]
        head = self._line(Text("speaker"), titles, name_width)
        head.stylize("bold")
        c.print(head, width=width, no_wrap=True, crop=False)
        for row in rows:
            name = Text(safe_text(row.speaker) if row.speaker else "no speaker",
                        style=f"bold {self.colours(row.speaker)}" if row.speaker else "dim")
            cells = [str(row.quotes), str(row.documents), row.first_date or "—", row.last_date or "—",
                     safe_text(row.cue) if row.cue else "—"]
            c.print(self._line(name, cells, name_width), width=width, no_wrap=True, crop=False)
            if row.example:
                example = Text("“" + safe_text(row.example) + "”", style="italic")
                for wrapped in example.wrap(c, width - 2, justify="default", overflow="fold"):
                    wrapped.rstrip()
                    c.print(Text("  ") + wrapped, width=width)
        c.file.flush()
