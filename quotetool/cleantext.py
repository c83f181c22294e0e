"""Text as a reader should see it: markup gone, entities decoded, one line.

`clean_text(s)` is what the table, the HTML view, the speaker summary and the
records' ``quote_clean`` show: HTML entities decoded (``&rsquo;`` -> ’), formatting
tags (``<b>``, ``<p>``, ``<a href>``, ...) and comments removed, Markdown markup removed (emphasis, link targets, backslash escapes,
code ticks), hard wraps joined and white space collapsed to single spaces. The
exact text (``quote`` = ``text[start:end]``) is never touched; this is a copy for
reading, so its length does not matter (unlike `textview.clean_view`, which keeps
every offset and so can only blank characters out).

Markdown is parsed by markdown-it-py (already installed with Rich), not by regexes
of our own: it knows that ``snake_case_word`` has no emphasis, that ``5 * 3`` is no
emphasis either, and which backslashes escape.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# Only a text with one of these can hold an entity, a tag or Markdown markup; the rest
# (most quotes) skip the parser.
_MARKUP = re.compile(r"[&<>*_\\`\[\]!]")
# Terminal escape sequences (CSI, OSC) and other control characters: debris, not text.
_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]|\][^\x07\x1b\n]{0,2000}(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# White space of every kind (NBSP, U+2028, ...) and the invisible zero-width space and BOM.
_SPACE = re.compile(r"[\s\u200b\ufeff]+")
# Formatting tags, which are removed; any other tag-like text (a "<script>" quoted in a
# security advisory, "<Name>" in a template) is content, and stays as written.
_FORMATTING_TAG = re.compile(
    r"</?(?:a|abbr|b|big|blockquote|br|center|cite|code|del|dfn|div|em|font|h[1-6]|hr|i|ins|kbd|li|mark"
    r"|nobr|ol|p|pre|q|s|samp|small|span|strike|strong|sub|sup|table|tbody|td|tfoot|th|thead|time|tr|tt"
    r"|u|ul|var|wbr|section|article|header|footer|figure|figcaption|dl|dt|dd|main|aside|nav)\b", re.I)
# Formatting tags that end a line or a block: removing them must leave a space ("one<br>two").
_BREAKING_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header"
                           r"|footer|hr|pre|dl|dt|dd|figure|figcaption|main|aside|nav)\b", re.I)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # CommonMark with inline HTML recognised (so tags can be dropped); no typographer,
    # no linkify: nothing is added that the author did not write.
    return MarkdownIt("commonmark", {"html": True})


def _strip_markup(text: str) -> str:
    """The words of `text` with its inline Markdown and HTML removed."""
    out: list[str] = []
    for block in _parser().parseInline(text):
        for tok in block.children or ():
            if tok.type in ("text", "code_inline", "image"):
                out.append(tok.content)  # an image stands for its alt text
            elif tok.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif tok.type == "html_inline":
                if _BREAKING_TAG.match(tok.content):
                    out.append(" ")
                elif not tok.content.startswith("<!--") and not _FORMATTING_TAG.match(tok.content):
                    out.append(tok.content)  # not formatting: part of the text
    return "".join(out)


def clean_text(text: str) -> str:
    """`text` as one clean line: markup removed, entities decoded, white space collapsed."""
    if "\x1b" in text:
        text = _ANSI_ESCAPE.sub("", text)
    text = _CONTROL.sub("", text)
    if _MARKUP.search(text):
        text = _strip_markup(text)
    return _SPACE.sub(" ", text).strip()


_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_passage(text: str) -> str:
    """Like `clean_text`, line by line: the line breaks stay ("\\n"; at most one blank
    line in a row), and white space at either end of the passage is kept as one space,
    so cleaned pieces of a text can be put side by side again (the HTML view cleans the
    text between quotes piece by piece and keeps its layout)."""
    lines = [clean_text(line) for line in _LINE_BREAK.split(text)]
    body = _BLANK_LINES.sub("\n\n", "\n".join(lines))
    if not body.strip():
        return body if "\n" in body else (" " if text and text.isspace() else "")
    head = " " if text[:1].isspace() and not body.startswith("\n") else ""
    tail = " " if text[-1:].isspace() and not body.endswith("\n") else ""
    return head + body + tail
