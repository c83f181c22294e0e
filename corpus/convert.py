"""Converters: one source layout each, to the corpus's plain release layout.

Every converter takes a source file's text, its path and a record key ("" for a file that
is one release) and returns a Release: the title line, a date or dateline line, a blank
line, then paragraphs separated by blank lines. Wording and quote marks are kept exactly as
in the source; markup, navigation and boilerplate go. Standard library only.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Release:
    """One converted release: the parts of the plain layout."""

    title: str
    dateline: str
    paragraphs: tuple[str, ...]

    def text(self) -> str:
        head = [self.title.strip(), self.dateline.strip()]
        return "\n".join(head) + "\n\n" + "\n\n".join(self.paragraphs) + "\n"


# ---------------------------------------------------------------------------------------------
# Text helpers shared by the converters

_SPACES = re.compile(r"[ \t\r\f\v]+")
# Where a scraper broke a line at every inline element, a line that ends a sentence and a
# line that starts one mark a paragraph boundary; any other line break is a space (or
# nothing, next to a mark or punctuation that the break tore off its word).
_SENTENCE_END = re.compile(r"""[.?!:]['"’”)\]]*$""")
_SENTENCE_START = re.compile(r"""^[\s]*(?:[“"‘'(\[]*[A-Z0-9]|[“"‘])""")
_GLUE_AFTER = ("“", "‘", "(", "[", "/")
_GLUE_BEFORE = (",", ".", ";", ":", "!", "?", ")", "]", "”", "’", "%")


def squash(s: str) -> str:
    """Runs of spaces and tabs as one space (non-breaking spaces are kept)."""
    return _SPACES.sub(" ", s).strip()


def join_broken_lines(lines: list[str]) -> list[str]:
    """Paragraphs from lines broken at every inline element (one text node a line)."""
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = squash(raw)
        if not line:
            continue
        if not current:
            current = line
        elif _SENTENCE_END.search(current) and _SENTENCE_START.match(line) and not _is_lone_close(line):
            paragraphs.append(current)
            current = line
        elif current.endswith(_GLUE_AFTER) or _lone_open(current) or line.startswith(_GLUE_BEFORE):
            current += line
        else:
            current += " " + line
    if current:
        paragraphs.append(current)
    return paragraphs


def _is_lone_close(line: str) -> bool:
    return bool(re.fullmatch(r"[,.;:!?]?[”’\"]+[,.;:!?]?", line))


def _lone_open(s: str) -> bool:
    """The text ends with a mark that opens (a straight mark after a space or at the start)."""
    return bool(re.search(r'(?:^|\s)"$', s))


def paragraphs_from_blocks(text: str) -> list[str]:
    """Blank-line separated blocks; inside a block, broken lines are joined."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if lines:
            out.extend(join_broken_lines(lines))
    return out


# ---------------------------------------------------------------------------------------------
# Converters: one per source layout. Each takes the file's text and a record key ("" for a
# file that is one release) and returns a Release.

_CONGRESS_KEY = re.compile(r"^([A-Z][A-Za-z ]+):[ \t]*(.*)$")


def congress_records(text: str) -> list[str]:
    """The records of a scraped office file: 'Title:/Date:/…/Content:' blocks split by '=='."""
    parts = re.split(r"==[ \t]*\n(?=Title: )|==[ \t]*$", text.replace("\r\n", "\n"))
    return [p for p in (p.strip("\n") for p in parts) if p.startswith("Title: ")]


def convert_congress(text: str, record: str) -> Release:
    rec = congress_records(text)[int(record)]
    head, _, body = rec.partition("\nContent:")
    fields: dict[str, str] = {}
    for line in head.split("\n"):
        m = _CONGRESS_KEY.match(line)
        if m:
            fields[m.group(1)] = m.group(2).strip()
    body = re.sub(r"==\s*$", "", body)
    return Release(squash(fields.get("Title", "")), squash(fields.get("Date", "")),
                   tuple(paragraphs_from_blocks(body)))


# Markdown (Jekyll, Hugo, Eleventy, MDX): front matter, then a body whose markup goes.
_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_FM_KEY = re.compile(r"^([A-Za-z_]+):[ \t]*(.*)$")
_MD_DROP = [
    re.compile(r"<!--.*?-->", re.S),                      # comments
    re.compile(r"\{\{[<%].*?[%>]\}\}", re.S),              # Hugo shortcodes
    re.compile(r"\{%.*?%\}", re.S),                         # Liquid / Nunjucks tags
    re.compile(r"\{\{.*?\}\}", re.S),                       # template expressions
    re.compile(r"^(?:import|export) .*$", re.M),            # MDX module lines
]
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)|\[([^\]]+)\]\[[^\]]*\]")
_MD_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S.*$", re.M)
_HTML_BLOCK = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|table|tr|section|figure|figcaption)\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
# A closing section that is the publisher's boilerplate, not the story.
_BOILERPLATE = re.compile(r"^(?:about (?:the )?[A-Z0-9].*|media contacts?:?|press contacts?:?|contacts?:?|###|-30-|ends)$", re.I)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """Top-level `key: value` pairs of YAML front matter (quotes removed), and the body."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    fields = {}
    for line in m.group(1).split("\n"):
        km = _FM_KEY.match(line)
        if km and km.group(2).strip():
            v = km.group(2).strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                v = v[1:-1].replace("''", "'") if v[0] == "'" else v[1:-1].replace('\\"', '"')
            fields[km.group(1).lower()] = v
    return fields, text[m.end():]


def markdown_paragraphs(body: str) -> list[str]:
    """Plain paragraphs from a Markdown body: markup removed, wording and marks kept."""
    body = body.replace("\r\n", "\n")
    body = _FENCE.sub("\n", body)
    for rx in _MD_DROP:
        body = rx.sub("", body)
    body = _MD_REFDEF.sub("", body)
    body = _MD_IMAGE.sub("", body)
    body = _HTML_BLOCK.sub("\n\n", body)
    body = _HTML_TAG.sub("", body)
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", body):
        lines = []
        for line in block.split("\n"):
            line = re.sub(r"^\s{0,3}(?:>\s?)+", "", line)           # blockquote
            line = re.sub(r"^\s*#{1,6}\s+", "\n", line)               # heading: a paragraph of its own
            line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "\n", line)    # list item: likewise
            if re.fullmatch(r"\s*(?:[-*_]\s*){3,}\s*|\s*\|.*\|\s*|\s*[:|\- ]+\s*", line):
                continue                                           # rules and table rows
            lines.append(line)
        for para in "\n".join(lines).split("\n\n"):
            for piece in re.split(r"\n(?=\n)|^\n", para):
                text = _inline(" ".join(piece.split("\n")))
                if text:
                    out.append(text)
    return out


def _code_span(body: str) -> str:
    """A code span's words: one space is stripped from each end when both ends have one."""
    if len(body) > 2 and body[0] == body[-1] == " " and body.strip(" "):
        return body[1:-1]
    return body


_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!\"'<>|~])")


def _inline(s: str) -> str:
    # A backslash-escaped character is literal (CommonMark): set it aside first, so that an
    # escaped `` (a TeX-style opening mark) is not read as a code span.
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(1))
        return f"\x00{len(kept) - 1}\x00"

    s = _ESCAPED.sub(keep, s)
    for _ in range(2):  # a link inside emphasis, or emphasis inside a link
        s = _MD_LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), s)
        s = _EMPH.sub(lambda m: next(g for g in m.groups()[1:] if g is not None), s)
    s = re.sub(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", lambda m: _code_span(m.group(2)), s)
    s = re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], s)
    return squash(html.unescape(s))


def drop_boilerplate(paragraphs: list[str], title: str) -> list[str]:
    """The story alone: a first paragraph repeating the title, and a closing 'About …' or
    contact section in the last third, go."""
    if paragraphs and squash(paragraphs[0]).rstrip(".") == squash(title).rstrip("."):
        paragraphs = paragraphs[1:]
    for i in range(len(paragraphs) * 2 // 3, len(paragraphs)):
        if len(paragraphs[i]) < 80 and _BOILERPLATE.match(paragraphs[i].strip()):
            return paragraphs[:i]
    return paragraphs


def convert_markdown(text: str, path: str, record: str) -> Release:
    fields, body = front_matter(text.removeprefix("\ufeff"))
    title = _inline(fields.get("title", ""))
    date = fields.get("date", "") or _path_date(path)
    paras = drop_boilerplate(markdown_paragraphs(body), title)
    return Release(title, date, tuple(paras))


def _path_date(path: str) -> str:
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", path)
    return "-".join(m.groups()) if m else ""


def convert_pmd(text: str, path: str, record: str) -> Release:
    """Sri Lanka PMD scrape: a cut-off title line, the full title, then paragraphs."""
    lines = text.replace("\r\n", "\n").split("\n")
    rest = [ln for ln in lines[1:]]
    while rest and not rest[0].strip():
        rest.pop(0)
    title = squash(rest[0]) if rest else squash(lines[0])
    return Release(title, _path_date(path), tuple(paragraphs_from_blocks("\n".join(rest[1:]))))


class NotARelease(ValueError):
    """A file of a release collection that is something else (a speech, a column)."""


_SCOOP_DATE = re.compile(r"^\*\*((?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,[^*]*)\*\*[ \t]*$", re.M)
_SCOOP_TYPE = re.compile(r"^\*\*(Press Release|Speech|Column|Article|Opinion)[^*]*\*\*[ \t]*$", re.M)


def convert_scoop(text: str, path: str, record: str) -> Release:
    """A release archived from a newswire's page: front matter, the page's title (setext), the
    date and "Press Release: Org" lines, the story, then the wire's footer from "© …" on."""
    fields, body = front_matter(text.removeprefix("\ufeff"))
    kind = _SCOOP_TYPE.search(body)
    if kind is None or kind.group(1) != "Press Release":
        raise NotARelease(f"{path}: {kind.group(1) if kind else 'untyped'} item, not a press release")
    date = _SCOOP_DATE.search(body)
    body = re.sub(r"\A\s*[^\n]*\n=+[ \t]*\n", "", body)               # the page title
    body = re.split(r"\[©[^\]]*\]", body)[0]                               # the wire's footer
    body = _SCOOP_TYPE.sub("", _SCOOP_DATE.sub("", body))
    body = body.replace("Advertisement - scroll to continue reading", "")
    title = _inline(fields.get("title", ""))
    paras = drop_boilerplate(markdown_paragraphs(body), title)
    return Release(title, squash(date.group(1)) if date else fields.get("date", ""), tuple(paras))


CONVERTERS: dict[str, Callable[[str, str, str], Release]] = {
    "congress": lambda text, path, record: convert_congress(text, record),
    "markdown": convert_markdown,
    "pmd": convert_pmd,
    "scoop": convert_scoop,
}

# How each layout splits a file into records (absent: the file is one release).
RECORDS: dict[str, Callable[[str], list[str]]] = {
    "congress": congress_records,
}
