"""Plain data classes for what quotetool reports. Standard library only (the clean
text of a quote is made by `cleantext`, imported when first asked for).

`Document.to_dict()` is the record the CLI writes: the gold JSONL shape of the
evaluation format (id, quotes with start/end/speaker/speaker_mention/cue) plus
`header`, each quote's `quote` text (exact) and `quote_clean` (for reading), and
how its speaker was found.

Names and header values are normalised here, where every record is built, whatever
sieve found them: a mention cut from a hard-wrapped line ("the\n   President") or a
label ("JONES:") reads as "the President" and "JONES".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

_SPACES = re.compile(r"[\s\u200b\ufeff]+")


def normalise_field(value: str) -> str:
    """A name, mention or header value on one line: white space (line breaks, tabs,
    NBSP) collapsed to single spaces, no trailing colon."""
    value = _SPACES.sub(" ", value).strip()
    while value.endswith((":", "\uff1a")):
        value = value[:-1].rstrip()
    return value


def _normalise_optional(value: str | None) -> str | None:
    if value is None:
        return None
    return normalise_field(value) or None


def _normalise_header_value(value: Any) -> Any:
    if isinstance(value, str):
        return normalise_field(value)
    if isinstance(value, list):
        return [_normalise_header_value(v) for v in value]
    return value


#: The sieve that decided a quote's speaker (see README, "Output"): a cue sieve, which
#: found a cue next to the quote, or a fallback for a quote with no cue of its own.
CUE_SOURCES = ("inline-label", "byline", "according-to", "right-verb", "inverted-verb", "left-verb",
               "quoting-verb", "colon-clause", "label", "lead-in", "label-line", "headline")
FALLBACK_SOURCES = ("continuation", "following-cue", "multi-paragraph", "document", "none")
SPEAKER_SOURCES = CUE_SOURCES + FALLBACK_SOURCES


@dataclass(frozen=True)
class Quote:
    """One direct quote.

    ``start``/``end`` are character offsets into the whole decoded text, and
    ``text[start:end] == quote`` always holds (the words without their marks).
    """

    start: int
    end: int
    quote: str
    speaker: str | None = None
    speaker_mention: str | None = None
    cue: str | None = None
    #: one of SPEAKER_SOURCES: the sieve that decided the speaker
    speaker_source: str = "none"

    def __post_init__(self) -> None:
        # frozen: fields are set through object.__setattr__, as dataclasses itself does
        object.__setattr__(self, "speaker", _normalise_optional(self.speaker))
        object.__setattr__(self, "speaker_mention", _normalise_optional(self.speaker_mention))
        if self.cue is not None:  # a cue can be ":" (a label): only its white space is collapsed
            object.__setattr__(self, "cue", _SPACES.sub(" ", self.cue).strip() or None)

    @cached_property
    def quote_clean(self) -> str:
        """The quote for reading: entities decoded, tags and Markdown markup removed,
        hard wraps joined, white space collapsed (`cleantext.clean_text`)."""
        from .cleantext import clean_text

        return clean_text(self.quote)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "quote_clean": self.quote_clean,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "cue": self.cue,
            "speaker_source": self.speaker_source,
        }


@dataclass
class Document:
    """The result for one input text."""

    id: str
    text: str
    header: dict[str, Any] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    #: the encoding the file was decoded with, when it came from bytes
    encoding: str | None = None
    #: things the user should know that cost no quote (e.g. front matter too large for YAML);
    #: not part of the record
    warnings: list[str] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.header = {k: _normalise_header_value(v) for k, v in self.header.items()}

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.encoding is not None:
            out["encoding"] = self.encoding
        out["header"] = self.header
        out["quotes"] = [q.to_dict() for q in self.quotes]
        if with_text:
            out["text"] = self.text
        return out
