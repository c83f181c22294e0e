"""Plain data classes for what quotetool reports. Standard library only.

`Document.to_dict()` is the record the CLI writes: the gold JSONL shape of the
evaluation format (id, quotes with start/end/speaker/speaker_mention/cue) plus
`header`, each quote's `quote` text and how its speaker was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The sieve that decided a quote's speaker (see README, "Output"): a cue sieve, which
#: found a cue next to the quote, or a fallback for a quote with no cue of its own.
CUE_SOURCES = ("inline-label", "byline", "according-to", "right-verb", "inverted-verb", "left-verb",
               "quoting-verb", "label", "lead-in")
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
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

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.encoding is not None:
            out["encoding"] = self.encoding
        out["header"] = self.header
        out["quotes"] = [q.to_dict() for q in self.quotes]
        if with_text:
            out["text"] = self.text
        return out
