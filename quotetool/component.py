"""The spaCy component: ``nlp.add_pipe("quotetool")`` sets ``doc.spans["quotes"]``.

Each span carries ``span._.speaker``, ``span._.speaker_mention``, ``span._.cue``,
``span._.speaker_source`` and the exact ``span._.quote`` (with ``quote_start`` /
``quote_end``) as plain values (msgpack-safe, so
``nlp.pipe(..., n_process=2)`` works). The component runs the same code as
`quotetool.extract`, on the whole already-parsed Doc; no header is split off
(a Doc is usually a body), unless ``header`` is set in the config.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

# quote / quote_start / quote_end: the exact words and character offsets, which a
# span (snapped to tokens) cannot always give where a mark is glued to a word.
_EXTENSIONS = ("speaker", "speaker_mention", "cue", "speaker_source", "quote", "quote_start", "quote_end")
for _name in _EXTENSIONS:
    if not Span.has_extension(_name):  # registered at import: worker processes see it too
        Span.set_extension(_name, default=None)


class QuoteExtractor:
    """Find direct quotes and their speakers in a parsed Doc."""

    def __init__(self, spans_key: str = "quotes", header: bool = False, min_chars: int = 1,
                 keep_unattributed: bool = True) -> None:
        self.spans_key = spans_key
        self.header = header
        self.min_chars = min_chars
        self.keep_unattributed = keep_unattributed

    def __call__(self, doc: Doc) -> Doc:
        from .plan import make_plan
        from .speakers import attribute

        plan = make_plan(doc.text, self.header)
        # The Doc is already parsed: every segment is a slice of it.
        segs = [doc.char_span(lo, hi, alignment_mode="expand") for lo, hi in plan.segments]
        segs_docs = [s.as_doc() if s is not None else doc[0:0].as_doc() for s in segs]
        result = attribute(plan, segs_docs, id="-", encoding=None)
        spans = []
        for q in result.quotes:
            if q.end - q.start < self.min_chars or (q.speaker is None and not self.keep_unattributed):
                continue
            span = doc.char_span(q.start, q.end, label="QUOTE", alignment_mode="expand")
            if span is None:
                continue
            span._.speaker = q.speaker
            span._.speaker_mention = q.speaker_mention
            span._.cue = q.cue
            span._.speaker_source = q.speaker_source
            span._.quote, span._.quote_start, span._.quote_end = q.quote, q.start, q.end
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "quotetool",
    assigns=["doc.spans"],
    requires=["token.dep", "token.pos", "doc.ents"],
    default_config={"spans_key": "quotes", "header": False, "min_chars": 1, "keep_unattributed": True},
)
def make_quote_extractor(nlp: Language, name: str, spans_key: str, header: bool, min_chars: int,
                         keep_unattributed: bool) -> QuoteExtractor:
    """Config: `spans_key` (the doc.spans group), `header` (split a release header off
    first), `min_chars` (shorter quotes are left out), `keep_unattributed` (keep quotes
    whose speaker nobody can name). Saved with nlp.to_disk like any factory config."""
    return QuoteExtractor(spans_key=spans_key, header=header, min_chars=min_chars,
                          keep_unattributed=keep_unattributed)
