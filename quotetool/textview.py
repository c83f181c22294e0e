"""A same-length clean view of a text, so offsets never need mapping back.

Press releases arrive with non-breaking spaces, CR/LF line ends, hard-wrapped
lines, Markdown emphasis and links, backslash escapes, HTML tags and entities.
`clean_view` replaces each of those characters by a plain space (or a plain
letter) *one for one*: the view has exactly the length of the original, so a
character offset found in the view is the same offset in the original text.
Quote finding and parsing run on the view; reported quotes are cut from the
original. Standard library only; every regex here is linear (no nested
quantifiers).
"""

from __future__ import annotations

import re

# Whitespace that spaCy would keep as separate tokens ("the\u00a0President").
_SPACE_LIKE = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff\t\r\f\v]")
# Markdown/HTML debris: tags, comments, link targets, emphasis, escapes.
_HTML_TAG = re.compile(r"<!--[^>]{0,2000}-->|</?[A-Za-z][^<>\n]{0,500}>")
_MD_LINK_TARGET = re.compile(r"\]\([^()\s]{0,2000}\)")
_MD_EMPHASIS = re.compile(r"\*{1,3}|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])")
_BACKSLASH_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|<>$\"'])")
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,6}|#x[0-9A-Fa-f]{1,5});")
_ENTITY_CHARS = {"&amp;": "&", "&quot;": '"', "&ldquo;": "\u201c", "&rdquo;": "\u201d",
                 "&lsquo;": "\u2018", "&rsquo;": "\u2019", "&nbsp;": " ", "&#39;": "'",
                 "&#8220;": "\u201c", "&#8221;": "\u201d", "&#8217;": "\u2019", "&mdash;": "\u2014"}


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _entity(match: re.Match[str]) -> str:
    # The entity's character stands at the entity's first position, padding after it.
    s = match.group(0)
    ch = _ENTITY_CHARS.get(s.lower(), " ")
    return ch + " " * (len(s) - 1)


# Two apostrophes standing for a double mark (''like this'', common in news archives).
_DOUBLE_APOS_OPEN = re.compile(r"(?<!\S)''(?=\S)")
_DOUBLE_APOS_CLOSE = re.compile(r"(?<=\S)''(?!\w)")


def clean_view(text: str) -> str:
    """Return a copy of `text`, same length, with formatting debris blanked out.

    Line breaks inside paragraphs stay newlines (paragraph detection needs
    them); `parse_view` turns them into spaces for the parser.
    """
    view = _SPACE_LIKE.sub(" ", text)
    view = _HTML_TAG.sub(_blank, view)
    view = _MD_LINK_TARGET.sub(lambda m: " " * (m.end() - m.start()), view)
    view = view.replace("[", " ")
    view = _HTML_ENTITY.sub(_entity, view)
    view = _BACKSLASH_ESCAPE.sub(" ", view)
    view = _MD_EMPHASIS.sub(_blank, view)
    # ''x'' -> ' "x" ': the mark sits next to the words, so offsets stay right.
    view = _DOUBLE_APOS_OPEN.sub(' "', view)
    view = _DOUBLE_APOS_CLOSE.sub('" ', view)
    assert len(view) == len(text)
    return view


def parse_view(view: str) -> str:
    """The clean view with line breaks as spaces: hard wraps join for the parser.

    Paragraph breaks (blank lines) become runs of spaces, which spaCy keeps as
    whitespace tokens and, in practice, as sentence boundaries.
    """
    return view.replace("\n", " ")
