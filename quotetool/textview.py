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

import html
import re
import unicodedata

from .quotes import DOUBLE_MARKS, SINGLE_MARKS

_MARKS = frozenset(DOUBLE_MARKS + SINGLE_MARKS)

# Line breaks other than LF: a lone CR (old Mac files), vertical tab (Word's manual line
# break), form feed, the ASCII separators, NEL and the Unicode line/paragraph separators.
_LINE_BREAK_LIKE = re.compile("\r(?!\n)|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Whitespace that spaCy would keep as separate tokens ("the\u00a0President"), the CR of a
# CRLF, and invisible bidi controls.
_SPACE_LIKE = re.compile("[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff\t\r"
                         "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Terminal escape sequences left in scraped or logged text: CSI ("\x1b[31m"), OSC
# ("\x1b]0;title\x07") and two-character escapes. Bounded, so linear.
_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]|\][^\x07\x1b\n]{0,2000}(?:\x07|\x1b\\)|[@-Z\\-_])")
# Other control characters, and lone surrogates (from a JSON corpus's "\ud800"), which
# the parser cannot even encode.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Markdown/HTML debris: tags, comments, link targets, emphasis, escapes, blockquote marks.
# (The comment pattern stops at "<" too, so "<!--<!--<!--..." is linear.)
_HTML_TAG = re.compile(r"<!--[^<>]{0,2000}-->|</?[A-Za-z][^<>\n]{0,500}>")
# Tags that end a block: the tag's last character becomes a line break, so "</p><p>"
# is a blank line (a paragraph break) and "<br>" a hard wrap.
_BLOCK_TAG = re.compile(r"(?:p|div|br|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|header|footer|hr)\b",
                        re.I)
_MD_LINK_TARGET = re.compile(r"\]\([^()\s]{0,2000}\)")
_MD_EMPHASIS = re.compile(r"\*{1,3}|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])")
_MD_BLOCKQUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?){1,8}", re.M)
_BACKSLASH_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!|<>$\"'])")
_HTML_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _tag(match: re.Match[str]) -> str:
    s = match.group(0)
    name = s[2:] if s.startswith("</") else s[1:]
    if _BLOCK_TAG.match(name):
        return " " * (len(s) - 1) + "\n"
    return " " * len(s)


def _entity_char(entity: str) -> str | None:
    """The one character an entity stands for (a space for white space, controls and
    multi-character entities), or None if it is no entity ("&nosuch;")."""
    ch = html.unescape(entity)
    if ch == entity:
        return None
    if len(ch) != 1 or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return " "
    return ch


def _decode_entities(view: str) -> str:
    """Each entity as its character, padded with spaces to the entity's length.

    Where the character sits decides what the quote finder sees, and where a quote
    that starts or ends with it is cut in the original, so:

    * a quote mark sits next to the words it opens or closes: at the entity's end when
      text follows it directly (``&ldquo;Hello`` -> ``      “Hello``), else at its start
      (``Hello,&rdquo; she`` -> ``Hello,”       she``);
    * any other character next to a quote mark hugs that mark, so a quote that starts or
      ends with it keeps the whole entity (``&ldquo;&hellip;and`` -> ``      “…       and``
      reports ``&hellip;and``, never ``;and``);
    * inside a word followed by one space and more text (``O&rsquo;Brien said``) the rest
      of the word moves left to join it and the padding goes after the word:
      ``O’Brien       said``. Only letters and digits move, never a quote mark, and never
      where the padding could end a quote or a paragraph, so quote offsets are unchanged;
    * otherwise next to the text it is glued to.
    """
    out: list[str] = []
    pos = 0
    n = len(view)
    prev_end, prev_ch = -1, ""
    for m in _HTML_ENTITY.finditer(view):
        start, end = m.span()
        if start < pos:
            continue  # inside a word already moved (cannot happen: words hold no "&")
        ch = _entity_char(m.group(0))
        if ch is None:
            continue
        pad = " " * (end - start - 1)
        out.append(view[pos:start])
        before = prev_ch if prev_end == start else (view[start - 1] if start else " ")
        after = view[end] if end < n else " "
        if after == "&":
            nxt = _HTML_ENTITY.match(view, end)
            after = (_entity_char(nxt.group(0)) or "&") if nxt else "&"
        prev_end, prev_ch, pos = end, ch, end
        if before.isalnum() and after.isalnum() and ch not in DOUBLE_MARKS and not ch.isspace():
            j = end
            while j < n and view[j].isalnum():
                j += 1
            # Move the word only where its padding can't end a quote or a paragraph: one
            # space, then more text (not a mark, not a line break).
            if j + 1 < n and view[j] in " \t" and not view[j + 1].isspace() and view[j + 1] not in _MARKS:
                out.append(ch + view[end:j] + pad)
                pos = j
                prev_end = -1
                continue
            hug_right = True
        elif ch in _MARKS:
            hug_right = (not after.isspace() and (before.isspace() or after.isalnum())) or after in _MARKS
        elif after in _MARKS:
            hug_right = True
        elif before in _MARKS:
            hug_right = False
        else:
            hug_right = not after.isspace() and (before.isspace() or after.isalnum())
        out.append(pad + ch if hug_right else ch + pad)
    out.append(view[pos:])
    return "".join(out)


# Two apostrophes standing for a double mark (''like this'', common in news archives).
_DOUBLE_APOS_OPEN = re.compile(r"(?<!\S)''(?=\S)")
_DOUBLE_APOS_CLOSE = re.compile(r"(?<=\S)''(?!\w)")


def clean_view(text: str) -> str:
    """Return a copy of `text`, same length, with formatting debris blanked out.

    Line breaks inside paragraphs stay newlines (paragraph detection needs
    them); `parse_view` turns them into spaces for the parser. Other line
    breaks (lone CR, U+2028, ...) become newlines; control characters and
    escape sequences become spaces; lone surrogates become U+FFFD.
    """
    view = _LINE_BREAK_LIKE.sub("\n", text)
    view = _SPACE_LIKE.sub(" ", view)
    if "\x1b" in view:
        view = _ANSI_ESCAPE.sub(_blank, view)
    view = _CONTROL.sub(" ", view)
    view = _SURROGATE.sub("\ufffd", view)
    view = _HTML_TAG.sub(_tag, view)
    view = _MD_LINK_TARGET.sub(_blank, view)
    view = view.replace("[", " ")
    if "&" in view:
        view = _decode_entities(view)
    view = _BACKSLASH_ESCAPE.sub(" ", view)
    view = _MD_EMPHASIS.sub(_blank, view)
    view = _MD_BLOCKQUOTE.sub(_blank, view)
    # ''x'' -> ' "x" ': the mark sits next to the words, so offsets stay right.
    view = _DOUBLE_APOS_OPEN.sub(' "', view)
    view = _DOUBLE_APOS_CLOSE.sub('" ', view)
    if len(view) != len(text):  # a bug here would shift every offset: fail loudly
        raise AssertionError("clean_view changed the text's length")
    return view


#: No word is longer than this; a longer run without white space (a row of marks, dashes
#: or dots, a base64 blob) is cut every MAX_WORD characters for the parser, whose affix
#: splitting is quadratic in a word's length (20,000 marks in a row: a minute).
MAX_WORD = 100
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD + 1))


def _cut_long_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return " ".join(word[i + (i > 0) : i + MAX_WORD] for i in range(0, len(word), MAX_WORD))


def parse_view(view: str) -> str:
    """The clean view as the parser reads it, same length: line breaks as spaces (hard
    wraps join), double marks glued to words on both sides as spaces, and runs of more than MAX_WORD characters without white space cut up.

    Paragraph breaks (blank lines) become runs of spaces, which spaCy keeps as
    whitespace tokens and, in practice, as sentence boundaries.
    """
    view = _GLUED_DASH.sub(" ", _GLUED_MARK.sub(" ", view.replace("\n", " ")))
    return _LONG_WORD.sub(_cut_long_word, view) if len(view) > MAX_WORD else view


#: A dash glued between a closing mark and a name (``industry.”—Nicholas Cooke``).
_GLUED_DASH = re.compile("(?<=[\u201d\"\u2019])[\u2015\u2014\u2013](?=\\w)")
#: A double mark glued on both sides (``distance:"Will``, ``about"sanctions``): the
#: tokenizer would make one word of it, so the parser reads a space there instead.
_GLUED_MARK = re.compile("(?<=\\S)[\"\u201c\u201d\u201e\u00ab\u00bb](?=\\w)")
