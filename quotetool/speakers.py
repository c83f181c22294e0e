"""Name the speaker of every quote of a planned, parsed text.

`attribute(plan, docs, ...)` builds one `QuoteContext` per quote and the
document's `NameIndex`, then for each quote in order:

1. the cue sieves (`cues.find_cue`) look for a cue and a mention;
2. the drop sieves (`DROP_SIEVES`) leave out quoted words that are nobody's speech
   (a scare quote, a rubric's claim);
3. a mention is resolved to a name (`resolve.resolve`); a quote with no cue goes
   through the fallback sieves (`FALLBACK_SIEVES`): the continuation of the
   previous quote, the cue of the quote that follows, the document's main person.

Each reported quote's `speaker_source` names the sieve that decided.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .context import QuoteContext, build_contexts, token_starts
from .cues import NO_CUE, Cue, Kind, find_cue
from .lexicon import DETERMINERS, FIRST_PERSON, NAMING_FORMS, RUBRICS, SCARE_LEFT_EXCEPT, SCARE_LEFT_POS, SO_CALLED, TERM_MARKERS, LEGAL_PARTS
from .models import Document, Quote
from .names import NameIndex, build_index
from .plan import Plan
from .resolve import Scene, resolve

# --- drops: quoted words that are nobody's speech ---------------------------------------------


def scare_quote(ctx: QuoteContext, cue: Cue) -> bool:
    """A short quote with no cue of its own, inside a sentence, after a determiner,
    adjective or preposition: a scare quote or a title, which the guidelines leave out."""
    if ctx.doc is None:
        return False
    words = ctx.words.split()
    if len(words) > 4:
        return False
    if ctx.words.strip(" ,.").lower() in SO_CALLED:
        return True  # extremist “so-called” leaders: the scare word itself in marks
    if re.search(r"\bso-called\s+(?:[\w-]+\s+){0,2}\Z", ctx.before[-50:], re.I):
        return True  # "our so-called planned Russian “invasion”", cue or not
    doc, mark = ctx.doc, ctx.span.open_mark - ctx.offset
    # The last word before the opening mark.
    k = bisect.bisect_left(token_starts(doc), mark) - 1
    while k >= 0 and (doc[k].is_space or doc[k].idx + len(doc[k]) > mark):
        k -= 1
    if k < 0:
        return False
    prev = doc[k]
    if prev.lower_ in NAMING_FORMS and prev.tag_ == "VBN" and prev.dep_ == "acl":
        return True  # "a specification called “Provenance Core”": a name, cue or not ("what he called" is a cue)
    if cue.kind is not Kind.NONE or ctx.words.rstrip()[-1:] in (",", "?", "!"):
        return False
    return prev.lower_ in SO_CALLED or (prev.pos_ in SCARE_LEFT_POS and not prev.is_punct
                                        and prev.lower_ not in SCARE_LEFT_EXCEPT)


def rubric(ctx: QuoteContext, cue: Cue) -> bool:
    """A paragraph opening with a rubric label (MYTH:, FACT:, Q:) quotes a claim, not a
    person, unless the quote has a cue of its own."""
    if cue.kind is not Kind.NONE and cue.cue != ":":
        return False
    head, colon, _ = ctx.paragraph[:30].partition(":")  # (a rubric is short: never scan a long paragraph per quote)
    return bool(colon) and len(head) <= 22 and head.strip().lower() in RUBRICS


_BULLETS = " \t\n-*•>#+"
#: A cue-less quote this long, in sentence case, reads as speech.
SPEECH_WORDS = 8


def _title_like(words: list[str]) -> bool:
    """Most words capitalised: the name of an act, an event, a product or a company."""
    content = [w for w in words if len(w) > 3 or w[:1].isupper()]
    return bool(content) and sum(w[:1].isupper() for w in content) >= 0.75 * len(content)


def speech_like(ctx: QuoteContext) -> bool:
    """Positive evidence that a quote with no cue is someone's speech: it opens its
    paragraph (after a list bullet at most), it follows a colon, or it is a long run of
    words in sentence case. A short phrase in marks inside a sentence, with no cue, is far
    more often a term, a title or a name than a quotation."""
    before = ctx.before.rstrip(_BULLETS + "\u00a0")
    whole = ctx.span.open_mark - ctx.para_start == len(ctx.before)  # `before` is all there is
    if (whole and not before) or before.endswith(":"):
        return True
    words = ctx.words.split()
    return len(words) >= SPEECH_WORDS and not _title_like(words)


#: A run of this many quoted items side by side ("“A”, “B” and “C”") is a list of names
#: or terms, not speech.
LIST_ITEMS = 3
#: ... each item at most this long: a list item names something, it does not say it.
LIST_ITEM_WORDS = 12
_LIST_GAP = re.compile(r"[\s,;]*(?:(?:and|or|as well as)\s+)?(?:(?:a|an|the)\s+)?\Z")


_EXAMPLES = re.compile(r"\b(?:such as|including|like|namely)[\s,:]*\Z", re.I)


def quoted_list(contexts: Sequence[QuoteContext], cues: Sequence[Cue]) -> set[int]:
    """Indices of the quotes that are items of a list of short quoted words with no cue in
    their paragraph (or after "such as"): strategies such as “death star”, “get shorty”
    and “ricochet”; a menu of dishes. A cued list ("called him a “bully”, “unstable” and
    “sick”") is someone's words."""
    out: set[int] = set()
    run: list[int] = []

    def flush() -> None:
        # (After "such as" even two short items are examples: strategies such as “load shift”
        # and “ricochet”.)
        if len(run) >= LIST_ITEMS or (len(run) == 2 and _EXAMPLES.search(contexts[run[0]].before)
                                      and all(len(contexts[j].words.split()) <= SHORT_TERM for j in run)):
            first = contexts[run[0]]
            cued_before = any(cues[j].kind is not Kind.NONE for j in range(run[0] - 1, -1, -1)
                              if contexts[j].span.paragraph == first.span.paragraph)
            if _EXAMPLES.search(first.before) or (cues[run[0]].kind is Kind.NONE and not cued_before):
                out.update(run)
        run.clear()

    for i, ctx in enumerate(contexts):
        prev = contexts[i - 1] if i else None
        joined = False
        if prev is not None and prev.span.paragraph == ctx.span.paragraph and prev.span.close_mark is not None:
            gap_len = ctx.span.open_mark - (prev.span.close_mark + 1)
            gap = ctx.before[len(ctx.before) - gap_len:] if 0 <= gap_len < 12 else None
            joined = gap is not None and _LIST_GAP.match(gap) is not None
        if not joined:
            flush()
        if len(ctx.words.split()) <= LIST_ITEM_WORDS:
            run.append(i)
        else:
            flush()
    flush()
    return out


#: A quote this short opening a parenthesis is a defined term or an abbreviation.
SHORT_TERM = 4


def named_term(ctx: QuoteContext, cue: Cue) -> bool:
    """Quoted words named as words, a nickname, a title or an inscription: “the term
    “displaced persons””, “nicknamed “Tayra””, “the inscription “Glory to Ukraine!””."""
    m = re.search(r"([\w-]+)\s*$", ctx.before[-40:].lower())  # right before the mark, no comma
    if m is not None and m.group(1) in TERM_MARKERS:
        return True
    # A defined term opening a parenthesis: (the “Company”), (collectively, “Statements”).
    return len(ctx.words.split()) <= SHORT_TERM and re.search(r"\((?:[\w ]{0,20},?\s*)?\Z", ctx.before) is not None


def legal_text(ctx: QuoteContext, cue: Cue) -> bool:
    """The words of a law or an order, introduced by the part they become: "adding a new
    section 11 to read as follows: “Sec. 11. …”"."""
    words = re.findall(r"[a-z]+", (cue.mention or "").lower())
    # ... or that opens like a law's section: “Sec. 7. …”, “(e) the term …”.
    return any(w in LEGAL_PARTS for w in words[-3:]) or _SECTION_START.match(ctx.words) is not None


_SECTION_START = re.compile(r"(?:Sec\.|Section|\u00a7)\s*\d|\([a-z0-9]{1,4}\)\s")


def nickname(ctx: QuoteContext, cue: Cue) -> bool:
    """A nickname inside a name: Robert “Bob” Doe, Arafat “Koko” Rahman."""
    if len(ctx.words.split()) > 2 or ctx.span.close_mark is None or ctx.in_headline:
        return False  # (a headline capitalises every word: Christie Calls Clinton ‘A Disgrace’ Over …)
    after = ctx.paragraph[ctx.span.close_mark + 1 - ctx.para_start:][:40]
    return re.search(r"(?:^|\s)[A-Z][\w.'\u2019-]*\s\Z", ctx.before) is not None \
        and re.match(r"\s[A-Z][a-z]", after) is not None and ctx.words[:1].isupper()


def title(ctx: QuoteContext, cue: Cue) -> bool:
    """A Title Case run of words with no sentence punctuation is a title (a report, an act,
    an event), cue or not: (see GAO-07-881, “Improved Economic Analysis and Evaluation
    Strategies Needed for Proposed Changes”)."""
    words = ctx.words.split()
    return len(words) >= TITLE_WORDS and not re.search(r"[.!?,;:]\W*\Z", ctx.words) and _title_like(words)


#: A title this long at least (shorter ones are left to the scare-quote rules).
TITLE_WORDS = 6


#: Words between a cue and a short quote it introduces: "as bureaucrats say, “pending”",
#: "called it a “reset”", "“rapid,” she said".
NEAR_CUE_WORDS = 3


def _cue_beside(ctx: QuoteContext, cue: Cue) -> bool:
    """Is the cue word within NEAR_CUE_WORDS words of the quote, on either side?"""
    if cue.kind is Kind.NONE or not cue.cue or not cue.cue[:1].isalpha():
        return cue.cue == ":" and ctx.before.rstrip().endswith(":")
    word = re.escape(cue.cue)
    left = re.search(rf"\b{word}\b(\W*(?:\w+\W+){{0,{NEAR_CUE_WORDS}}})\Z", ctx.before, re.I)
    if left is not None:
        # ... but a word inside a noun phrase is named, not said ("announce a Russian
        # “invasion”"), unless the verb is one of naming ("called it a “reset”").
        return cue.cue.lower() in NAMING_FORMS or not DETERMINERS & set(left.group(1).lower().split())
    end = ctx.span.close_mark + 1 - ctx.para_start if ctx.span.close_mark is not None else len(ctx.paragraph)
    return re.match(rf"\W*(?:\w+\W+){{0,{NEAR_CUE_WORDS}}}{word}\b", ctx.paragraph[end:end + 80], re.I) is not None


def aside_in_speech(ctx: QuoteContext, cue: Cue) -> bool:
    """In a text that is someone's own speech (a transcript, an address), a short quote
    inside a sentence is the speaker's own marking of a word — these “reserve” projects,
    a Russian “invasion” — unless a cue right beside it gives it to a source ("as
    bureaucrats say, “pending”", "you said “fools”"). In a report the same fragment is the
    reported person's word (Mr Putin warned of a “black hole”), so this holds in speech only."""
    if not ctx.spoken or len(ctx.words.split()) > SHORT_TERM or ctx.opens_paragraph:
        return False
    before = ctx.before.rstrip(_BULLETS + "\u00a0")
    if not before or before.endswith(":") or re.search(r"[.!?]\W*\Z", before):
        return False  # not inside a sentence
    if before.endswith(",") and re.search(r"[.!?]\W*\Z", ctx.words):
        return False  # a sentence of its own after a comma: "And he'd go, “Oh, Dad.”"
    return not (_cue_beside(ctx, cue) or _reported_clause(ctx, cue))


def _reported_clause(ctx: QuoteContext, cue: Cue) -> bool:
    """The quote is inside the that-clause of its cue: "Trump stated that Melania would
    discuss it “in a few weeks”" reports his words, fragment and all."""
    if not cue.cue or not cue.cue[:1].isalpha() or FIRST_PERSON & set((cue.mention or "").lower().split()):
        return False  # ("let me note that …": the speaker's own words, asides and all)
    if DETERMINERS & set(ctx.before.lower().split()[-2:]):
        return False  # a word inside a noun phrase: "… plans are for a potential “invasion”"
    return re.search(rf"\b{re.escape(cue.cue)}\b[^.!?:;]{{0,80}}?\bthat\b[^.!?;]*\Z", ctx.before, re.I) is not None


def headline_name(ctx: QuoteContext, cue: Cue) -> bool:
    """Words in marks in a headline that the headline sieve gave no one (its subject is a
    company, a product) and no colon introduces: a name, as Title Case words in marks are
    elsewhere (Acme Launches “Sky Vault” Service)."""
    return cue.sieve != "headline" and not ctx.before.rstrip().endswith(":") and ctx.in_headline


#: Tried in order on each quote; any that answers True leaves the quote out.
DROP_SIEVES: tuple[Callable[[QuoteContext, Cue], bool], ...] = (scare_quote, nickname, rubric, named_term, legal_text,
                                                                title, aside_in_speech, headline_name)

# --- fallbacks: quotes with no cue of their own -----------------------------------------------


@dataclass
class AttributionState:
    """The state of one document's attribution, as its quotes are settled in order."""

    index: NameIndex
    contexts: list[QuoteContext]
    cues: list[Cue]
    view: str = ""  # the document's clean text
    #: for each quote, the next quote of its paragraph that has a cue
    next_cued: list[int | None] = field(default_factory=list)
    previous: str | None = None  # the last speaker named
    previous_para: int = -10
    previous_at: int = -1
    cued_para: int = -1  # the paragraph of the last quote that had a cue of its own

    def near(self, ctx: QuoteContext) -> bool:
        return ctx.span.paragraph - self.previous_para <= 1

    def carried(self, ctx: QuoteContext) -> bool:
        """Is the quote the continuation of an unclosed quote before it?"""
        return ctx.index > 0 and self.contexts[ctx.index - 1].span.close_mark is None


@dataclass(frozen=True)
class Said:
    """A fallback's decision: this speaker (None: the cue it found names no one)."""

    speaker: str | None


Fallback = Callable[[AttributionState, QuoteContext], "Said | None"]


def _following_cue(state: AttributionState, ctx: QuoteContext) -> Cue | None:
    k = state.next_cued[ctx.index]
    return state.cues[k] if k is not None else None


def _continued_cue(state: AttributionState, ctx: QuoteContext) -> Cue | None:
    """The first paragraph of a multi-paragraph quote: the first cue along the chain of
    quotes that continue it in the next paragraphs (each opening its paragraph, all but
    the last unclosed): “A.\n\n“B,” Mr Baker said."""
    if ctx.span.close_mark is not None:
        return None
    j = ctx.index
    while j + 1 < len(state.contexts):
        nxt = state.contexts[j + 1]
        if nxt.span.paragraph != state.contexts[j].span.paragraph + 1 or not nxt.opens_paragraph:
            return None
        if state.cues[j + 1].kind is not Kind.NONE:
            return state.cues[j + 1]
        if nxt.span.close_mark is not None:
            return None
        j += 1
    return None


def continuation(state: AttributionState, ctx: QuoteContext) -> Said | None:
    """The previous quote's speaker, when this quote carries it on (the previous quote was
    unclosed) or nothing later names anyone."""
    if not (state.previous and state.near(ctx)):
        return None
    if state.carried(ctx) or (_following_cue(state, ctx) is None and _continued_cue(state, ctx) is None):
        return Said(state.previous)
    return None


def following_cue(state: AttributionState, ctx: QuoteContext) -> Said | None:
    """The speaker named by the next cued quote of the paragraph: “A.” “B,” she said."""
    follow = _following_cue(state, ctx)
    return Said(resolve(follow, state.index, Scene(ctx.span.open_mark, None))) if follow is not None else None


def multi_paragraph(state: AttributionState, ctx: QuoteContext) -> Said | None:
    """The speaker named where a multi-paragraph quote goes on."""
    follow = _continued_cue(state, ctx)
    return Said(resolve(follow, state.index, Scene(ctx.span.open_mark, None))) if follow is not None else None


#: How much of a pull-quote's start is looked for where its words were said.
PULL_QUOTE_CHARS = 60


def document(state: AttributionState, ctx: QuoteContext) -> Said | None:
    """In a transcript, whoever has the turn where the words were said: a pull-quote
    repeats words said elsewhere in the text (”It was a major deal.“ … "Vladimir Putin:
    … It was a major deal"), else the quote stands in someone's turn. Otherwise the
    document's main person (the header's author, else the most mentioned)."""
    index = state.index
    if index.turns:
        at = ctx.span.open_mark
        head = ctx.words.strip()[:PULL_QUOTE_CHARS]
        if len(head) == PULL_QUOTE_CHARS and ctx.opens_paragraph:  # (a pull-quote is a paragraph of its own)
            found = state.view.find(head)
            found = state.view.find(head, ctx.span.end) if ctx.span.start <= found < ctx.span.end else found
            at = found if found >= 0 else at
        turn = index.turn_before(at)
        if turn:
            return Said(turn)
    main = index.main_person()
    return Said(main) if main else None


#: Tried in order on a quote with no cue; the first that decides wins.
FALLBACK_SIEVES: tuple[tuple[str, Fallback], ...] = (
    ("continuation", continuation), ("following-cue", following_cue), ("multi-paragraph", multi_paragraph),
    ("document", document))


def _fallback(state: AttributionState, ctx: QuoteContext) -> tuple[str | None, str]:
    for name, sieve in FALLBACK_SIEVES:
        said = sieve(state, ctx)
        if said is not None:
            return said.speaker, name
    return None, "none"


# --- the whole document ------------------------------------------------------------------------


def attribute(plan: Plan, docs: Sequence[Doc], id: str, encoding: str | None) -> Document:
    """Attribute every quote of a planned text from the parsed Docs of its segments."""
    contexts = build_contexts(plan, docs)
    index = build_index(plan.view, plan.release.header, list(zip((lo for lo, _ in plan.segments), docs)),
                        exclude=[(q.open_mark, q.end) for q in plan.spans])
    cues = [find_cue(ctx) if ctx.doc is not None else NO_CUE for ctx in contexts]
    state = AttributionState(index, contexts, cues, plan.view, next_cued=_next_cued(contexts, cues))

    listed = quoted_list(contexts, cues)
    quotes: list[Quote] = []
    dropped = -1  # the last quote left out
    for ctx, cue in zip(contexts, cues):
        if ctx.index in listed or any(drop(ctx, cue) for drop in DROP_SIEVES) \
                or (state.carried(ctx) and dropped == ctx.index - 1 and cue.kind is Kind.NONE):
            dropped = ctx.index  # (the paragraphs that carry a left-out quote on go with it)
            continue
        if cue.kind is Kind.NONE:
            if not (speech_like(ctx) or state.carried(ctx) or state.cued_para == ctx.span.paragraph):
                continue  # words in marks with no sign of speech: a term, a title, a name
            speaker, source = _fallback(state, ctx)
        else:
            scene = Scene(ctx.span.open_mark, state.previous if state.near(ctx) else None, state.previous_at)
            speaker, source = resolve(cue, index, scene), cue.sieve
        if cue.kind is not Kind.NONE:
            state.cued_para = ctx.span.paragraph
        if speaker:
            state.previous, state.previous_para, state.previous_at = speaker, ctx.span.paragraph, ctx.span.open_mark
        q = ctx.span
        quotes.append(Quote(q.start, q.end, plan.text[q.start:q.end], speaker, cue.mention, cue.cue, source))
    return Document(id=id, text=plan.text, header=plan.release.header, quotes=quotes, encoding=encoding)


def _next_cued(contexts: list[QuoteContext], cues: list[Cue]) -> list[int | None]:
    """For each quote, the next quote of its paragraph that has a cue (one backward pass)."""
    out: list[int | None] = [None] * len(contexts)
    for i in range(len(contexts) - 2, -1, -1):
        if contexts[i + 1].span.paragraph == contexts[i].span.paragraph:
            out[i] = i + 1 if cues[i + 1].kind is not Kind.NONE else out[i + 1]
    return out
