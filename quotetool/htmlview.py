"""The `html` format: one self-contained page to look at releases with their quotes marked.

Per document: its header as a heading, a legend of its speakers with their counts, and
its whole text (cleaned for reading, paragraphs kept) with every quote highlighted in
its speaker's colour. Each highlight carries the speaker, cue, mention and deciding
sieve in its ``title`` (shown on hover) and is followed by a small label with its
number and the speaker's name, so the page reads on paper too. A speaker keeps one
colour over the whole page.

The page has inline CSS only: no script, no external asset, no web font, so it works
offline and can be mailed. Everything that comes from the input goes through
`html.escape` (and `render.safe_text`, which shows control characters as escapes), so a
release containing ``<script>`` shows it as text.

Why not displaCy's span renderer: it needs token offsets (a tokenised Doc, which the
CLI's records do not carry: they have character offsets), draws one element per token
with each label as a box over the text, and has no hover text; a small template of our
own keeps the text's lines and shows speaker, cue and sieve on hover.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any, TextIO

from . import __version__
from .cleantext import clean_passage, clean_text
from .render import Record, heading_fields, render_record, safe_text

#: Highlight colours (light, so black text stays readable), given out in order of first
#: appearance; past these, hues are spread by the golden angle.
PALETTE = ("#ffe08a", "#a8e6cf", "#ffb3c7", "#a6d8ff", "#d7b8ff", "#ffc992", "#c5e88a", "#9ee6e6",
           "#f5b3f0", "#d9d9a3", "#b8c8ff", "#ffd1b3")
NO_SPEAKER = "#e4e4e4"
#: Closing marks that stay with their quote, before its label.
_CLOSING = frozenset("”\"’'»›」』")

CSS = """
body{font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d1d1f;
background:#fafafa;margin:0;padding:1.5rem}
main{max-width:46rem;margin:0 auto}
.run{color:#666;font-size:.85rem;margin:0 0 1rem}
article{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1.25rem 1.5rem;margin:0 0 1.5rem}
h2{font-size:1.3rem;line-height:1.3;margin:0 0 .3rem}
.meta{color:#0b6e79;margin:0}
.id{color:#777;font-size:.8rem;margin:.1rem 0 .6rem;word-break:break-all}
.legend{list-style:none;padding:0;margin:.4rem 0 1rem;display:flex;flex-wrap:wrap;gap:.35rem .5rem;
font-size:.85rem}
.legend li{border-radius:4px;padding:.05rem .45rem}
.legend .n{font-weight:600;margin-left:.3rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
mark{color:inherit;border-radius:3px;padding:.05rem .1rem;box-decoration-break:clone;
-webkit-box-decoration-break:clone}
mark.none{outline:1px dashed #999}
sup.who{font-size:.7rem;font-weight:600;color:#444;margin-left:.15rem;white-space:nowrap}
.error{color:#b00020}
.empty{color:#777;font-style:italic}
"""


def _h(value: object) -> str:
    """Input text as safe HTML (element content or a quoted attribute value)."""
    return html.escape(safe_text(value), quote=True)


def _colour(index: int) -> str:
    if index < len(PALETTE):
        return PALETTE[index]
    return f"hsl({(index * 137.508) % 360:.0f} 85% 80%)"


def _surname(speaker: str) -> str:
    return speaker.split()[-1] if speaker.split() else speaker


class HtmlWriter:
    """Streams one page: the head with the first record, an article per record, the end
    on `close()`."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0
        self.colours: dict[str, str] = {}

    def colour(self, speaker: str | None) -> str:
        if not speaker:
            return NO_SPEAKER
        key = speaker.casefold()
        if key not in self.colours:
            self.colours[key] = _colour(len(self.colours))
        return self.colours[key]

    def write(self, record: Record) -> None:
        # Rendered whole before anything is written: a record that can't be is a
        # RenderError (that document's failure), and the page stays valid.
        text = render_record("HTML", lambda: ("" if self.count else self._head(record))
                             + self._article(record, self.count + 1))
        self.stream.write(text)
        self.count += 1
        self.stream.flush()

    def close(self) -> None:
        tail = "" if self.count else self._head(None) + '<p class="empty">No documents.</p>\n'
        self.stream.write(tail + "</main>\n</body>\n</html>\n")
        self.stream.flush()

    def _head(self, first: Record | None) -> str:
        title = "quotetool"
        if first is not None:
            header = first.get("header") or {}
            named = header.get("title") if isinstance(header.get("title"), str) else None
            title = f"{named or first.get('id')} — quotetool"
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="quotetool {_h(__version__)}">\n'
            f"<title>{_h(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            f'<p class="run">Quotes found by quotetool {_h(__version__)}. '
            "Hover over a quote for its speaker, cue and how the speaker was found.</p>\n"
        )

    def _article(self, record: Record, number: int) -> str:
        doc_id = f"doc-{number}"
        out = [f'<article id="{doc_id}">\n<header>\n']
        header = record.get("header") or {}
        title, meta = heading_fields(header)
        out.append(f"<h2>{_h(title if title is not None else record.get('id'))}</h2>\n")
        if meta:
            out.append(f'<p class="meta">{" · ".join(_h(m) for m in meta)}</p>\n')
        ident = "" if title is None else safe_text(record.get("id"))
        if record.get("encoding"):
            ident += f" ({safe_text(record['encoding'])})"
        out.append(f'<p class="id">{html.escape(ident.strip())}</p>\n</header>\n')
        if "error" in record:
            out.append(f'<p class="error">error: {_h(record["error"])}</p>\n</article>\n')
            return "".join(out)
        quotes = [q for q in record.get("quotes") or [] if isinstance(q, dict)]
        out.append(self._legend(quotes))
        text = record.get("text")
        if isinstance(text, str):
            out.append(f'<div class="text">{self._marked(text, quotes, doc_id)}</div>\n')
        elif quotes:  # records without their text: the quotes alone
            items = "".join(f"<li>{self._mark(q, i, doc_id, _quote_text(q))}</li>\n" for i, q in enumerate(quotes, 1))
            out.append(f'<ol class="quotes">\n{items}</ol>\n')
        if not quotes:
            out.append('<p class="empty">No quotes.</p>\n')
        out.append("</article>\n")
        return "".join(out)

    def _legend(self, quotes: list[dict[str, Any]]) -> str:
        counts = Counter(q.get("speaker") or None for q in quotes)
        if not counts:
            return ""
        items = []
        for speaker, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or "")):
            name = _h(speaker) if speaker else "<em>no speaker</em>"
            items.append(f'<li style="background:{self.colour(speaker)}">{name}<span class="n">{n}</span></li>')
        return '<ul class="legend">\n' + "\n".join(items) + "\n</ul>\n"

    def _marked(self, text: str, quotes: list[dict[str, Any]], doc_id: str) -> str:
        """The text, cleaned piece by piece, with each quote wrapped in a highlight."""
        out: list[str] = []
        pos = 0
        for i, q in enumerate(quotes, 1):
            start, end = q.get("start"), q.get("end")
            if not isinstance(start, int) or not isinstance(end, int) or not pos <= start <= end <= len(text):
                continue  # overlapping or out of range (a record from elsewhere): not marked
            out.append(_h(clean_passage(text[pos:start])))
            # The label goes after the closing mark: `we are ready,”¹ he said`.
            close = end
            while close < len(text) and close - end < 2 and text[close] in _CLOSING:
                close += 1
            out.append(self._mark(q, i, doc_id, _quote_text(q), _h(text[end:close])))
            pos = close
        out.append(_h(clean_passage(text[pos:])))
        return "".join(out).strip()

    def _mark(self, q: dict[str, Any], number: int, doc_id: str, words: str, after: str = "") -> str:
        speaker = q.get("speaker") or None
        hover = [str(speaker) if speaker else "no speaker"]
        for key, label in (("cue", "cue"), ("speaker_mention", "mention"), ("speaker_source", "found by")):
            if q.get(key):
                hover.append(f"{label}: {q[key]}")
        css_class = "q" if speaker else "q none"
        label = f"{number}\u00a0{_surname(str(speaker))}" if speaker else f"{number}\u00a0?"
        return (
            f'<mark id="{doc_id}-q{number}" class="{css_class}" style="background:{self.colour(speaker)}" '
            f'title="{_h(" · ".join(hover))}">{_h(words)}</mark>{after}<sup class="who">{_h(label)}</sup>'
        )


def _quote_text(q: dict[str, Any]) -> str:
    clean = q.get("quote_clean")
    return clean if isinstance(clean, str) else clean_text(str(q.get("quote") or ""))
