"""Find the cue of a quote and the mention of its speaker: ordered sieves over the parse.

Each cue sieve is a small function of a `QuoteContext` that returns a `Cue` or
None (pass). `find_cue` runs `CUE_SIEVES` in order and the first decision wins;
the sieve's name goes into the result as `speaker_source`, so a user can see why
a speaker was chosen. The sieves, strongest first:

- ``inline-label``: a transcript quoted whole names its speaker (“WALLACE: Let's …”);
- ``byline``: “…” ― Jane Doe;
- ``according-to`` (and the other phrasal cues of `PHRASAL_CUES`), after or before the quote;
- ``right-verb`` / ``inverted-verb``: “…,” the President said. / “…,” said Mrs Trump.
- ``left-verb`` / ``quoting-verb``: Mr Putin said: “…” / I quote him: “…”;
- ``label``: Jane Roe, Mayor: “…”;
- ``lead-in``: the same left-side sieves on a paragraph ending in a colon before
  a paragraph that opens with the quote ("The message reads, in part:").

The mention is the noun phrase of the cue's subject, classified (`Kind`) so that
`resolve` knows how to turn it into a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from spacy.tokens import Span, Token

from .context import QuoteContext, Window, ents_in, is_abbreviation, span_ents
from .lexicon import (AUTHOR_NOUNS, DOCUMENT_NOUNS, PERCEPTION_VERBS, BE_FORMS, DASHES, INTENT_FORMS, NAME_SUFFIXES, PRONOUNS, QUOTING_FORMS, RELATIVE_PRONOUNS, SAYING_NOUNS,
                      REPORTING_FORMS, ROLE_FAMILY, RUBRICS)


class Kind(Enum):
    """What a mention is, which says how `resolve` turns it into a speaker."""

    NAME = "name"  # a proper name: its fullest form in the document
    ORG = "org"  # an organisation's name
    ROLE = "role"  # a role noun: the person holding the role
    PRONOUN = "pronoun"  # the nearest fitting person
    LABEL = "label"  # "Name:" before the quote
    AUTHOR = "author"  # a message or statement: its sender
    DOCUMENT = "document"  # "the indictment alleges": the document, as written
    GROUP = "group"  # "we Irish say": the group as described ("the Irish")
    QUOTED = "quoted"  # "I quote him": the person quoted, not the quoter
    NONE = "none"


@dataclass(frozen=True)
class Cue:
    """What the cue sieves found near one quote."""

    sieve: str = "none"  # the sieve that decided
    cue: str | None = None  # the cue as written: "said", "according to", ":"
    mention: str | None = None  # the words naming the speaker, as written
    kind: Kind = Kind.NONE
    name: str | None = None  # a proper name inside the mention (PERSON/ORG entity or PROPN run)


NO_CUE = Cue()

# --- mentions --------------------------------------------------------------------------------


_POSSESSIVE = re.compile(r"(?<=\w)(?:\u2019|')s$")


def clean_mention(text: str) -> str:
    text = " ".join(text.replace("*", " ").split()).strip(" ,;:-\u2013\u2014")
    return _POSSESSIVE.sub("", text)  # "the President's" (message)


def _mention_span(head: Token, lo: int, hi: int) -> Span:
    """The noun phrase of `head`, cut at a comma, bracket or clause after the head,
    kept within token range [lo, hi)."""
    doc = head.doc
    left, right = head.i, head.i
    for t in head.subtree:
        if lo <= t.i < hi and t.i < left:
            left = t.i
    # Extend right over "of ..." parts ("the President of Ukraine"), stop at other
    # prepositions ("his letter to Speaker X"), commas and clauses.
    i = head.i + 1
    while i < hi and i <= head.right_edge.i:
        t = doc[i]
        if t.text in {",", "(", "\u2014", "\u2013", ";", ":"} or t.dep_ in ("relcl", "acl", "appos", "advcl") \
                or t.lower_ in RELATIVE_PRONOUNS:
            break
        if t.dep_ == "prep" and t.lower_ != "of":
            break
        if t.is_quote:
            break
        right = i
        i += 1
    # Drop leading punctuation/quote marks that a broken parse may include.
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return doc[left:right + 1]


def classify(span: Span) -> tuple[Kind, str | None]:
    """The kind of a mention, and the proper name inside it if any."""
    words = [t for t in span if not t.is_space and not t.is_punct]
    if not words:
        return Kind.NONE, None
    if len(words) == 1 and words[0].lower_ in PRONOUNS:
        return Kind.PRONOUN, None
    head = span.root
    if any(c.lower_ in ("we", "us") for c in head.children) and (head.ent_type_ == "NORP" or head.tag_ == "NNS"):
        return Kind.GROUP, "the " + head.text  # "we Irish say", "we Americans believe"
    if _is_message(head):
        sender = _message_sender(head)
        if sender is None and head.lower_ in DOCUMENT_NOUNS:
            return Kind.DOCUMENT, clean_mention(span.doc[span.start:head.i + 1].text)  # "The indictment alleges"
        if sender is None:
            return Kind.AUTHOR, None  # a message whose sender is not named beside it
        return classify(span.doc[sender.left_edge.i:sender.right_edge.i + 1])
    persons = [e for e in span_ents(span) if e.label_ == "PERSON"]
    # The person the head belongs to ("Clinton spokesman Jesse Lehrich" -> Lehrich, not Clinton).
    for ent in persons:
        if ent.start <= head.i < ent.end:
            return Kind.NAME, ent.text
    if head.ent_type_ in ("DATE", "TIME"):
        return Kind.NONE, None
    for ent in span_ents(span):
        if ent.label_ in ("ORG", "NORP", "GPE", "FAC") and ent.start <= head.i < ent.end:
            return Kind.ORG, span.text if span[0].lower_ == "the" else ent.text
    if head.pos_ == "PROPN" and head.lower_ not in ROLE_FAMILY:
        return Kind.NAME, _propn_run(span, head)
    persons = [e for e in persons if not e.text.endswith(("\u2019s", "'s"))]
    if persons:
        return Kind.NAME, persons[-1].text
    return Kind.ROLE, None


def _is_message(t: Token) -> bool:
    """A message, statement, letter (its words are its sender's) or a document."""
    return t.pos_ == "NOUN" and (t.lower_ in AUTHOR_NOUNS or t.lower_[:-1] in AUTHOR_NOUNS
                                 or t.lower_ in DOCUMENT_NOUNS)


def _message_sender(t: Token) -> Token | None:
    """The sender named around a message, statement or letter: its possessor ("the
    President's message"), its source ("a letter from Jane Roe", "the telegram sent by the
    head of state") or the subject of the verb that put it out ("Mr Putin issued a joint
    statement on …, which reads"). `t` may be a word hanging on the message ("a message of
    greetings, which reads")."""
    if t.dep_ == "pobj" and t.head.lower_ in ("of", "on") and _is_message(t.head.head):
        t = t.head.head  # "a message of greetings", "a statement on trade"
    if not _is_message(t):
        return None
    for child in t.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN", "PRON"):
            return child
        if child.dep_ == "compound" and child.ent_type_ in ("PERSON", "ORG"):
            return child  # "the IMF report"
    for child in t.children:
        prep = child
        if child.dep_ == "acl":  # "sent by X"
            prep = next((c for c in child.children if c.dep_ == "agent"), child)
        if prep.lower_ in ("from", "by", "of"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN") and not _is_message(pobj):
                return pobj
    if t.dep_ == "dobj" and t.head.pos_ == "VERB":
        return next((c for c in t.head.children if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN")), None)
    return None


def _propn_run(span: Span, head: Token) -> str:
    """The run of proper nouns around the head: "Chairman McHenry" -> "Chairman McHenry"
    (titles are stripped later by the name index)."""
    start = end = head.i
    while start - 1 >= span.start and span.doc[start - 1].pos_ == "PROPN":
        start -= 1
    while end + 1 < span.end and span.doc[end + 1].pos_ == "PROPN":
        end += 1
    return span.doc[start:end + 1].text


def _nearest_noun_before(verb: Token, lo: int, first: bool = False) -> Token | None:
    """When the parse gives a reporting verb no subject ("X Advocate, Jane Doe, said:"),
    the closest noun before it (or, with `first`, the first noun from `lo`)."""
    span = verb.doc[lo:verb.i]
    for t in (span if first else reversed(span)):
        if t.pos_ in ("PROPN", "NOUN", "PRON") and not t.is_quote:
            head = t
            while head.head.i != head.i and lo <= head.head.i < verb.i and head.head.pos_ in ("PROPN", "NOUN"):
                head = head.head
            return head
    return None


def _verb_subject(verb: Token, lo: int, hi: int) -> Token | None:
    """The verb's subject; of two ("President of the Commission, Ursula von der Leyen
    said"), the one nearest the verb."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and lo <= c.i < hi]
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def _after_verb_subject(verb: Token, hi: int) -> Token | None:
    """'said Mrs. Melania Trump': the noun after an inverted verb."""
    doc = verb.doc
    for t in doc[verb.i + 1:hi]:
        if t.is_punct and t.text not in (".",) or t.is_quote:
            return None
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            head = t
            while head.head.i != head.i and verb.i < head.head.i < hi and head.head.pos_ in ("PROPN", "NOUN"):
                head = head.head
            return head
        if t.pos_ not in ("DET", "ADJ", "NUM", "ADV"):
            return None
    return None


def _is_name_token(t: Token) -> bool:
    return t.pos_ == "PROPN" or (t.text[:1].isupper() and t.text.endswith(".") and len(t.text) <= 3)


def _trailing_name(toks: list[Token]) -> Span | None:
    """The last token of a person's name that ends a subject phrase, when the name stands in
    apposition to a title or an organisation ("U.S. Agency for International Development
    Administrator Samantha Power", "Listen Co-Founder, Daniela Rizzi", "President of the
    Commission, Ursula von der Leyen"), not as the object of a preposition ("the lawyer for
    John Smith")."""
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    k = len(toks)
    while k > 0 and (_is_name_token(toks[k - 1]) or (toks[k - 1].text == "-" and k > 1 and k < len(toks))):
        k -= 1
    run = toks[k:]
    if len(run) < 2:
        return None
    titled = max((i + 1 for i, t in enumerate(run[:-2]) if t.lower_ in ROLE_FAMILY), default=0)
    if titled:  # "… Development Administrator Samantha Power": the name after the title
        return run[0].doc[run[titled].i:run[-1].i + 1]
    ents = [e for e in ents_in(run[0].doc, run[0].i + 1, run[-1].i + 1) if e.label_ == "PERSON"
            and e.end == run[-1].i + 1]
    if ents:  # "Marshal of the District of California Don Keefe": the office's last word, then the name
        return ents[-1]
    if k > 0 and toks[k - 1].pos_ == "ADP":
        return None
    if not any(t.ent_type_ == "PERSON" for t in run) and not (k > 0 and (toks[k - 1].text == "," or toks[k - 1].lower_ in ROLE_FAMILY or run[0].lower_ in ROLE_FAMILY)):
        # A run of capitalised words is a person's name when the recogniser says so, or
        # when a comma or a title sets it off from what comes before.
        if not any(t.lower_ in ROLE_FAMILY for t in run[:-2]):
            return None
    return run[0].doc[run[0].i:run[-1].i + 1]


def _previous_subject_org(pronoun: Token) -> str | None:
    """The organisation that is the subject of the sentence before "it" ("Acme posted a
    loss. It said …"), if it is one."""
    sent = pronoun.sent
    if sent.start == 0:
        return None
    prev = pronoun.doc[sent.start - 1].sent
    subj = next((t for t in prev.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.ent_type_ != "ORG":
        return None
    ent = next((e for e in ents_in(pronoun.doc, prev.start, prev.end) if e.start <= subj.i < e.end), None)
    return ent.text if ent is not None else None


#: How far back (tokens) "she" looks for the unnamed person it stands for.
DESCRIBED_REACH = 60


def _described_reporter(pronoun: Token) -> str | None:
    """"One driver, a nurse from Decatur, told investigators … “…,” she said.": the
    unnamed person who last reported something just before, when no one named came
    after; a common noun that tells or says is a person."""
    doc = pronoun.doc
    inside = False  # inside a quote's words (read backwards, a mark opens and shuts them)
    for t in reversed(doc[max(0, pronoun.i - DESCRIBED_REACH):pronoun.i]):
        if t.is_quote:
            inside = not inside
        if inside or t.is_quote:
            continue
        if t.ent_type_ == "PERSON" or (t.dep_ == "nsubj" and (t.pos_ == "PROPN" or (t.pos_ == "PRON" and t.lower_ != pronoun.lower_))):
            return None  # someone named, or someone else: the name index's business
        if t.dep_ == "nsubj" and t.pos_ == "NOUN" and t.tag_ == "NN" and is_reporting(t.head) and t.head.i < pronoun.i:
            if t.lower_ in ROLE_FAMILY:
                return None  # "the Belarusian president": a role, whose holder the index knows
            span = doc[t.left_edge.i:t.i + 1]
            return clean_mention(span.text) or None
    return None


def mention_cue(sieve: str, verb: Token | None, subj: Token | None, lo: int, hi: int, cue: str | None) -> Cue:
    """The cue whose speaker is the noun phrase of `subj` (within tokens [lo, hi))."""
    if subj is None:
        return Cue(sieve, cue)
    doc = subj.doc
    if subj.lower_ in RELATIVE_PRONOUNS:
        # "Clinton, who said …": the noun the relative clause hangs on.
        if verb is not None and verb.dep_ == "relcl":
            subj = verb.head
        else:
            prev = [t for t in doc[max(0, subj.i - 6):subj.i] if t.pos_ in ("PROPN", "NOUN")]
            if not prev:
                return Cue(sieve, cue)
            subj = prev[-1]
        lo = min(lo, subj.left_edge.i)
    sender = _message_sender(subj)
    if sender is not None:
        subj, lo = sender, min(lo, sender.left_edge.i)
    if subj.lower_ in ("he", "she"):
        # "I was speaking with Governor Mironov, and he said": "he" is not the "I" who
        # speaks; it is the person that speaker just named.
        before = [t for t in doc[lo:subj.i] if not t.is_space]
        if any(t.lower_ in ("i", "we") for t in before):
            named = [e for e in ents_in(doc, lo, subj.i) if e.label_ == "PERSON"]
            if named:
                return Cue(sieve, cue, subj.text, Kind.NAME, named[-1].text)
        described = _described_reporter(subj)
        if described is not None:
            return Cue(sieve, cue, subj.text, Kind.GROUP, described)
    if subj.lower_ == "it":
        # "Acme posted a loss. It said …": the organisation the sentence before is about.
        org = _previous_subject_org(subj)
        if org is not None:
            return Cue(sieve, cue, subj.text, Kind.ORG, org)
    if subj.lower_ == "they":
        # "When we spoke to our European colleagues, they all said": the group named just
        # before in the sentence.
        group = next((t for t in reversed(doc[max(lo, subj.i - 12):subj.i]) if t.tag_ in ("NNS", "NNPS")), None)
        if group is not None:
            words = doc[group.left_edge.i:group.i + 1]
            return Cue(sieve, cue, clean_mention(words.text), Kind.GROUP, clean_mention(words.text))
    span = _mention_span(subj, lo, hi)
    we = next((t for t in span if t.lower_ in ("we", "us")), None)
    if we is not None and we.i + 1 < min(hi, len(doc)):
        nxt = doc[we.i + 1]  # "we Irish say", however the parser hung the two words
        if nxt.ent_type_ == "NORP" or nxt.tag_ == "NNS":
            return Cue(sieve, cue, clean_mention(doc[we.i:nxt.i + 1].text), Kind.GROUP, "the " + nxt.text)
    kind, name = classify(span)
    # "Act Advocate, Francesca Mani, said": an appositive person names the speaker.
    for child in subj.children:
        if child.dep_ == "appos" and lo <= child.i < hi and child.ent_type_ == "PERSON":
            app = _mention_span(child, lo, hi)
            app_kind, app_name = classify(app)
            if app_kind is Kind.NAME:
                return Cue(sieve, cue, clean_mention(app.text) or None, app_kind, app_name)
    if name:
        name = _POSSESSIVE.sub("", name)
    return Cue(sieve, cue, clean_mention(span.text) or None, kind, name)


def is_reporting(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") and t.lower_ in REPORTING_FORMS


# --- phrasal cues: one table, read on both sides of a quote -----------------------------------

#: Phrases whose object is the speaker, by their words; the last word's object names the
#: speaker: “…,” according to the Port Authority. / According to X, “…”.
PHRASAL_CUES: dict[tuple[str, ...], str] = {
    ("according", "to"): "according to",
}
_PHRASE_ENDS = {words[-1]: words for words in PHRASAL_CUES}


def _phrase_at(t: Token) -> tuple[str, ...] | None:
    """The phrasal cue that ends at token `t`, if any."""
    words = _PHRASE_ENDS.get(t.lower_)
    if words is None or t.i < len(words) - 1:
        return None
    doc = t.doc
    if all(doc[t.i - len(words) + 1 + k].lower_ == w for k, w in enumerate(words)):
        return words
    return None


# --- right of the quote ----------------------------------------------------------------------


def _right_end(w: Window) -> int:
    """The right context ends at the sentence's end."""
    for t in w.doc[w.lo:w.hi]:
        if t.text in (".", "!", "?") and t.i > w.lo and not is_abbreviation(t):
            return t.i
    return w.hi


def byline(ctx: QuoteContext) -> Cue | None:
    """A byline after the quote: “…” ― Krystal Correa (the dash may be glued to the mark)."""
    w = ctx.right
    if w is None:
        return None
    toks = w.tokens()
    if not toks:
        return None
    # The gap as written (the parser's view may read a glued dash as a space).
    start = w.mark + ctx.offset - ctx.para_start
    gap = ctx.paragraph[start:start + (toks[0].idx - w.mark)]
    if toks[0].text not in DASHES and not any(c in gap for c in "\u2015\u2014\u2013"):
        return None
    end = _right_end(w)
    nxt = [t for t in w.doc[w.lo:end] if not t.is_space and t.text not in DASHES]
    if not nxt or nxt[0].pos_ not in ("PROPN", "NOUN") or not nxt[0].text[:1].isupper():
        return None
    ent = _person_at(nxt[0])
    if ent is not None:  # ― Jane Doe, CEO, Acme, Inc.
        return Cue("byline", "\u2015", clean_mention(ent.text), Kind.NAME, ent.text)
    head = nxt[0]
    while head.head.i != head.i and nxt[0].i <= head.head.i < end and head.head.pos_ == "PROPN":
        head = head.head
    found = mention_cue("byline", None, head, nxt[0].i, end, "\u2015")
    return found if found.kind in (Kind.NAME, Kind.ORG, Kind.LABEL) else None


_BYLINE_BELOW = re.compile(r"[\u2015\u2014\u2013-]+\s*((?:[A-Z][\w.'\u2019-]*\s+){1,3}[A-Z][\w'\u2019-]+)\s*(?:,|$)")


def byline_below(ctx: QuoteContext) -> Cue | None:
    """A byline in the paragraph under the quote: “…” ¶ — Jane Doe, CEO of Acme."""
    m = _BYLINE_BELOW.match(ctx.below)
    if m is None:
        return None
    name = " ".join(m.group(1).split())
    return Cue("byline", "\u2015", name, Kind.NAME, name)


def from_right(ctx: QuoteContext) -> Cue | None:
    """“…” from President Zelenskyy: the words' source named right after them."""
    w = ctx.right
    if w is None:
        return None
    toks = [t for t in w.tokens() if not t.is_punct]
    if len(toks) < 2 or toks[0].lower_ != "from":
        return None
    pobj = next((c for c in toks[0].children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    found = mention_cue("according-to", None, pobj, toks[0].i + 1, _right_end(w), "from")
    return found if found.kind is Kind.NAME and pobj.ent_type_ == "PERSON" else None


def phrase_right(ctx: QuoteContext) -> Cue | None:
    """“…,” according to the Port Authority."""
    w = ctx.right
    if w is None:
        return None
    end = _right_end(w)
    window = [t for t in w.doc[w.lo:end] if not t.is_space and not t.is_punct]
    for words, cue in PHRASAL_CUES.items():
        n = len(words)
        if len(window) > n and tuple(t.lower_ for t in window[:n]) == words:
            last = window[n - 1]
            pobj = next((c for c in last.children if c.dep_ == "pobj"), None) or window[n]
            return mention_cue("according-to", None, pobj, last.i, end, cue)
    return None


#: A quote of at most this many words inside a sentence is a partial quote.
SHORT_WORDS = 4


def _mid_sentence(ctx: QuoteContext) -> bool:
    """Is the quote inside a sentence, after words of it that do not introduce it?"""
    w = ctx.left
    if w is None:
        return False
    toks = w.tokens()
    return bool(toks) and not toks[-1].is_punct and not toks[-1].is_quote


def _said_at_the_end(window: list[Token], lo: int, end: int) -> Cue | None:
    """A quote that runs on into its sentence is still cued by a closing ", X said.":
    “I have admiration for the mechanics” of the plan, Mr. Holtz-Eakin said."""
    verb = window[-1]
    if not is_reporting(verb):
        return None
    subj = _verb_subject(verb, lo, end)
    if subj is None or subj.left_edge.i == 0 or verb.doc[subj.left_edge.i - 1].text != ",":
        return None
    return mention_cue("right-verb", verb, subj, subj.left_edge.i, end, verb.text)


def _said_before(ctx: QuoteContext) -> bool:
    """Does a reporting verb stand right before the quote ("if anyone says, “…,” I'd invite
    you")? Then a verb after it that does not report is not its cue."""
    toks = ctx.left.tokens() if ctx.left is not None else []
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    return bool(toks) and is_reporting(toks[-1])


def right_verb(ctx: QuoteContext) -> Cue | None:
    """“…,” the President said. / “…,” said Mrs. Trump. / “…,” Flynn, a top surrogate, said."""
    w = ctx.right
    if w is None or not w.tokens():
        return None
    doc, lo = w.doc, w.lo
    end = _right_end(w)
    window = [t for t in doc[lo:end] if not t.is_space and not t.is_punct]
    last = ctx.words.rstrip()[-1:]
    # How far the cue may be: after a comma the clause continues; after ?/! a cue follows
    # at once; after a full stop the sentence is over; a partial quote may be followed by
    # its subject and verb.
    if last in (",", "\u2014", "-", "\u2013") or w.tokens()[0].text == ",":
        reach, any_verb = 8, True
    elif last in ("?", "!"):
        reach, any_verb = 4, False
    elif last in (".", "\u2026"):
        return None
    else:
        reach, any_verb = 3, False
    if window and (window[0].pos_ in ("SCONJ", "ADP", "CCONJ") or window[0].lower_ in ("when", "as", "which", "whose")):
        return _said_at_the_end(window, lo, end)
    if _mid_sentence(ctx) and len(ctx.words.split()) <= SHORT_WORDS:
        # A few words quoted inside a sentence ("the spacecraft “Clipper,” whose first
        # flight is scheduled …"): only a reporting verb after them reports them.
        any_verb = False
    # A reporting verb right before the quote is its cue, not a verb after it that does not report.
    other_verbs = any_verb and not _said_before(ctx)
    # Past the usual reach only a reporting verb counts, after a long appositive:
    # "…,” Scott Pruitt, the Republican attorney general of Oklahoma, said.
    far = 30 if any_verb else reach
    for k, t in enumerate(window[:far]):
        if t.pos_ not in ("VERB", "AUX") or t.lower_ in BE_FORMS:
            continue
        if not (is_reporting(t) or (other_verbs and k < reach and t.pos_ == "VERB")):
            continue
        if _passive(t):
            continue  # "“…?” she was asked": she is not who spoke
        subj = _verb_subject(t, lo, end)
        if subj is not None and subj.i > t.i and k > 0:
            subj = _nearest_noun_before(t, lo, first=True) or subj  # "…,” Flynn, a surrogate, said Thursday
        sieve = "inverted-verb" if k == 0 else "right-verb"  # “…,” said Mrs. Trump
        if k == 0:
            named = _person_after(t, end)
            if named is not None:  # “…,” says Ben Wright, Acme Founder and Chairman
                return replace(named, sieve=sieve)
        if subj is None and k == 0:
            subj = _after_verb_subject(t, end)
        if subj is None and k > 0:
            subj = _nearest_noun_before(t, lo, first=True)
        found = mention_cue(sieve, t, subj, lo, end, t.text) if subj is not None else None
        if k == 0 and (found is None or found.kind in (Kind.ORG, Kind.ROLE)):
            # “…,” said Acme Co-Founder, Jane Doe: the person after the organisation's title.
            after = [x for x in doc[t.i + 1:end] if not x.is_space]
            behind = _name_behind_title(t, after, sieve) if not any(x.is_quote for x in after) else None
            if behind is not None:
                return behind
        if found is not None:
            return found
    return None


# --- left of the quote -----------------------------------------------------------------------


def _phrase_left(t: Token, lo: int, hi: int) -> Cue | None:
    """According to X, “…”."""
    words = _phrase_at(t)
    if words is None:
        return None
    pobj = next((c for c in t.children if c.dep_ == "pobj"), None)
    return mention_cue("according-to", None, pobj, t.i, hi, PHRASAL_CUES[words]) if pobj is not None else None


def _quoting_verb(t: Token, lo: int, hi: int) -> Cue | None:
    """"I quote him: “…”", "X quoted famous words by Reagan: “…”": the words are the
    quoted person's, not the quoter's."""
    if t.lower_ not in QUOTING_FORMS or t.pos_ != "VERB":
        return None
    obj = next((c for c in t.children if c.dep_ in ("dobj", "obj") and lo <= c.i < hi), None)
    if obj is not None and obj.lower_ in PRONOUNS:
        return Cue("quoting-verb", t.text, obj.text, Kind.QUOTED)  # "I'm quoting him again"
    if obj is not None:
        return mention_cue("quoting-verb", t, obj, lo, hi, t.text)
    return Cue("quoting-verb", t.text, None, Kind.QUOTED)


def _name_behind_title(verb: Token, after: list[Token], sieve: str, person_only: bool = False) -> Cue | None:
    """The name that ends the words after an inverted verb, behind a title or an
    organisation ("said Acme Co-Founder, Jane Doe"); with `person_only`, only a name the
    recogniser calls a person's."""
    name = _trailing_name(after)
    if name is None or (person_only and not any(x.ent_type_ == "PERSON" for x in name)):
        return None
    return Cue(sieve, verb.text, clean_mention(name.text), Kind.NAME, name.text)


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def _person_at(t: Token) -> Span | None:
    """The PERSON entity that starts at token `t`, if one does."""
    if t.ent_iob_ != "B" or t.ent_type_ != "PERSON":
        return None
    ent = next(e for e in ents_in(t.doc, t.i, len(t.doc)) if e.start == t.i)
    end, doc = ent.end, t.doc
    # The rest of the name when the recogniser stopped short ("Mary" of "Mary Jones-Ruiz"),
    # and its suffix ("Stephen Spinelli Jr.").
    while end < len(doc) and ((doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() and not doc[end].ent_type_
                               and not _letters(doc[end].text).isupper())  # (not "MBA", "CEO")
                              or doc[end].lower_.rstrip(".") in NAME_SUFFIXES):
        end += 1
    return doc[ent.start:end]


#: Lower-case words inside an office's title: "Special Agent in Charge", "U.S. Attorney
#: for the District of Maine".
_TITLE_JOINERS = frozenset({"of", "for", "in", "the", "and", "at", "on"})


def _person_after(verb: Token, end: int) -> Cue | None:
    """The person named after an inverted verb, behind the words of a title at most: says
    Ben Wright, Acme Founder / said Special Agent in Charge Tom Baker of the FBI / said
    Assistant Attorney General Kristen Clarke of the Civil Rights Division."""
    first = None
    for x in verb.doc[verb.i + 1:end]:
        if x.is_space or (first is None and x.pos_ == "DET"):
            continue
        first = x if first is None else first
        ent = _person_at(x)
        if ent is not None:
            mention = verb.doc[first.i:ent.end].text  # the title and the name, as written
            return Cue("inverted-verb", verb.text, clean_mention(mention), Kind.NAME, ent.text)
        if not (x.text[:1].isupper() or x.lower_ in _TITLE_JOINERS or x.text == "."):
            return None  # past the title: a comma, a verb, a lower-case word
    return None


def _speech_act(t: Token, hi: int) -> bool:
    """A verb whose object, before the quote, is a speech or a statement: "delivered
    remarks", "issued a statement", "gave a speech"."""
    return t.pos_ == "VERB" and any(c.dep_ == "dobj" and c.i < hi and _is_message(c)
                                    and c.lower_ not in DOCUMENT_NOUNS and c.lower_ not in ("word", "words")
                                    for c in t.children)


def _passive(t: Token) -> bool:
    """"she was asked": the subject of a passive verb is who the words are about or for."""
    return any(c.dep_ == "nsubjpass" for c in t.children)


def _intent(t: Token, hi: int) -> bool:
    """A verb of intent right before "to “…”": the command decided to “reduce hostilities”."""
    doc = t.doc
    return t.pos_ == "VERB" and t.lower_ in INTENT_FORMS and t.i + 2 >= hi and t.i + 1 < len(doc) \
        and doc[t.i + 1].lower_ == "to"


def _left_verb(t: Token, lo: int, hi: int) -> Cue | None:
    """Mr Putin said: “…” / Obama called it “…” / Brainard delivered remarks on how “…”."""
    if not (is_reporting(t) or _speech_act(t, hi) or _intent(t, hi)):
        return None
    if _passive(t):
        # "… are accused of an “information war”", "he was told: “…”": the speaker is the
        # agent, if named.
        agent = next((g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        if agent is not None:
            return mention_cue("left-verb", t, agent, lo, hi, t.text)
        return Cue("left-verb", t.text, None, Kind.GROUP, None)  # asked by someone unnamed: no one to name
    subj = _verb_subject(t, lo, hi)
    if subj is not None and subj.i > t.i:
        named = _person_after(t, hi)
        if named is not None:  # “A,” says Ben Wright, Acme Founder. “B …”
            return replace(named, sieve="left-verb")
        end = next((x.i for x in t.doc[t.i + 1:hi] if x.text in (".", "!", "?") or x.is_quote), hi)
        behind = _name_behind_title(t, [x for x in t.doc[t.i + 1:end] if not x.is_space], "left-verb",
                                    person_only=True)
        if behind is not None:
            return behind  # “A,” says Acme Co-Founder, Jane Doe. “B …”
    if subj is None:
        # "…, he said, “to help.”": a conjunct or participle shares its head's subject, also
        # across a preposition ("Blige sings to Clinton before asking her, “…”").
        head = t.head
        while subj is None and head.i != head.head.i and head.pos_ in ("VERB", "AUX", "ADP", "SCONJ"):
            if head.pos_ in ("VERB", "AUX"):
                subj = _verb_subject(head, lo, hi)
            head = head.head
        if subj is None and head.pos_ in ("VERB", "AUX"):
            subj = _verb_subject(head, lo, hi)
    if subj is None:
        subj = _nearest_noun_before(t, lo)
    return mention_cue("left-verb", t, subj, lo, hi, t.text) if subj is not None else None


def _saying(t: Token, lo: int, hi: int) -> Cue | None:
    """"As the old saying goes, “…”": a saying quoted is the saying's (the guidelines' quoted
    party, described when unnamed), not the speaker's who quotes it."""
    if t.lower_ not in ("goes", "go", "went"):
        return None
    subj = next((c for c in t.children if c.dep_ == "nsubj" and c.lower_ in SAYING_NOUNS), None)
    if subj is None:
        return None
    words = clean_mention(t.doc[subj.left_edge.i:subj.i + 1].text)
    return Cue("left-verb", t.text, words, Kind.GROUP, words)


#: Tried on each token before the quote, nearest first; the first that decides wins.
LEFT_TOKEN_SIEVES: tuple[Callable[[Token, int, int], Cue | None], ...] = (_phrase_left, _quoting_verb,
                                                                          _saying, _left_verb)


def _left_cue(w: Window | None) -> Cue | None:
    """The nearest cue before the quote, passing over a reporting verb whose clause does not
    hold the quote when a farther one's does ("Clinton mocked it, saying anybody who
    complains “is not having a good night”": saying, not complains)."""
    if w is None:
        return None
    toks = w.tokens()
    # "…, which reads in part: “…”", "…, who said to me last spring, “…”": a colon or a
    # comma at the mark hands the quote to the nearest verb.
    at_mark = bool(toks) and (toks[-1].text.endswith(":") or toks[-1].text == ",")
    first = None
    for t in reversed(toks):
        for sieve in LEFT_TOKEN_SIEVES:
            found = sieve(t, w.lo, w.hi)
            if found is not None:
                if sieve is not _left_verb or at_mark or _governs(t, w):
                    return found
                first = first or found
                break
    return first


def _governs(verb: Token, w: Window) -> bool:
    """Does the quote's first word lie in the verb's clause (its subtree), or does the verb
    hang on the quote ("you said, “fools”", parsed as an aside to the quoted word)?"""
    doc = verb.doc
    k = w.hi
    while k < len(doc) and (doc[k].is_quote or doc[k].is_space or doc[k].is_punct):
        k += 1
    return k < len(doc) and (verb.left_edge.i <= k <= verb.right_edge.i or verb.head.i >= k)


def _statement_of(span: Span) -> str | None:
    """Who signs a titled statement: "Joint Statement of Ford, GM, and Stellantis"."""
    head = span.root
    if head.pos_ != "PROPN" or head.lower_ not in AUTHOR_NOUNS:
        return None
    prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "by")), None)
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if pobj is None:
        return None
    return clean_mention(span.doc[pobj.left_edge.i:pobj.right_edge.i + 1].text) or None


def _label(w: Window | None) -> Cue | None:
    """A label: "**Name, Title:** “…”" or "Name: “…”" with no verb."""
    if w is None:
        return None
    toks = w.tokens()
    if not toks or not toks[-1].text.endswith(":") or len(toks) > 25 or any(t.pos_ == "VERB" for t in toks):
        return None  # ("):" is one token after "Senator Jane Roe (ID")
    span = w.doc[toks[0].i:toks[-1].i]
    label = clean_mention(re.sub(r"\s*\([^()]*\)?\s*$", "", span.text))  # "(ID)", "(R-Utah)"
    if not re.search(r"[^\W\d_]{2}", label):
        return None  # no word in it: a list marker, a closing mark
    kind, name = classify(span)
    # (The recogniser sometimes calls "Joint Statement" a person: a message is not one.)
    ents = [e for e in span_ents(span) if e.label_ == "PERSON" and not any(
        t.lower_ in AUTHOR_NOUNS for t in e)]
    if ents:
        return Cue("label", ":", label, Kind.LABEL, ents[0].text)
    signed = _statement_of(span)
    if signed:
        return Cue("label", ":", label, Kind.LABEL, signed)
    if kind in (Kind.ROLE, Kind.AUTHOR):
        return Cue("label", ":", label, kind)
    return Cue("label", ":", label, Kind.LABEL, name or label)


def _label_line(w: Window | None) -> Cue | None:
    """A short line over the quote naming its speaker, with no verb: "Jane Roe, Chair of
    the Caucus" in a round-up of statements."""
    if w is None:
        return None
    toks = w.tokens()
    if not toks or len(toks) > 30 or toks[-1].text in (".", "!", "?", ":") or any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None
    span = w.doc[toks[0].i:toks[-1].i + 1]
    signed = _statement_of(span)
    if signed:
        return Cue("label-line", None, clean_mention(span.text), Kind.LABEL, signed)
    ents = [e for e in span_ents(span) if e.label_ == "PERSON" and not any(t.lower_ in AUTHOR_NOUNS for t in e)]
    if not ents or ents[0].start > toks[0].i + 3:
        return None  # the line must open with the person's name
    return Cue("label-line", None, clean_mention(span.text), Kind.LABEL, ents[0].text)


def _colon_clause(w: Window | None) -> Cue | None:
    """A clause that ends in a colon at the quote introduces it whatever its verb: "the
    journalists hollered from a distance: “…”", "families will offer the toast: “…”"."""
    if w is None:
        return None
    toks = w.tokens()
    if not toks or not toks[-1].text.endswith(":"):
        return None
    for t in reversed(toks):
        if t.pos_ == "VERB" and t.dep_ != "amod":  # ("the following statement")
            if t.lemma_ in PERCEPTION_VERBS or t.lower_ in PERCEPTION_VERBS:
                # "We often hear: “…”": the subject heard the words, someone unnamed said them.
                return Cue("colon-clause", t.text, None, Kind.GROUP, None)
            subj = _verb_subject(t, w.lo, w.hi)
            if subj is None and t.dep_ == "acl" and t.tag_ == "VBD" and t.head.pos_ in ("NOUN", "PROPN"):
                subj = t.head  # "the journalists hollered …:" parsed as a noun and its clause
            elif subj is None and t.dep_ in ("acl", "relcl"):
                continue  # "the people living in the regions:": the clause's own verb comes first
            return mention_cue("colon-clause", t, subj, w.lo, w.hi, t.text) if subj is not None else None
    return None


def left_verb(ctx: QuoteContext) -> Cue | None:
    return _left_cue(ctx.left) or _colon_clause(ctx.left)


def label(ctx: QuoteContext) -> Cue | None:
    """“Jane Roe: “…”, or a label line just above a quote that opens its line."""
    found = _label(ctx.left)
    if found is None and re.search(r"\n[ \t]*\Z", ctx.before):
        line = _label_line(ctx.left)
        found = replace(line, sieve="label") if line is not None else None
    return found


def lead_in(ctx: QuoteContext) -> Cue | None:
    """A paragraph ending in a colon introduces the paragraph that opens with the quote."""
    found = _left_cue(ctx.lead) or _label(ctx.lead) or _colon_clause(ctx.lead)
    if found is not None:
        return replace(found, sieve="lead-in")
    return _label_line(ctx.lead)


_INLINE_LABEL = re.compile(r"^\s*([A-Z][A-Z.'\u2019 -]{1,40}[A-Z.]):\s")


def inline_label(ctx: QuoteContext) -> Cue | None:
    """A transcript quoted whole: “WALLACE: Let's start …” names its own speaker."""
    m = _INLINE_LABEL.match(ctx.words)
    if not m or m.group(1).lower() in RUBRICS:
        return None
    return Cue("inline-label", ":", m.group(1), Kind.LABEL, m.group(1).title())


#: A headline's label ("Pat Doe: Voters Are ‘Worried’", "Obama on Climate: …") and its
#: closing attribution ("…, Jane Roe Says").
_HEADLINE_LABEL = re.compile(r"^\W*((?:[A-Z][\w.\u2019'-]*\s+){0,3}[A-Z][\w.\u2019'-]*)(?:\s+on\s[^:]{1,40})?:\s")
_HEADLINE_SAYS = re.compile(r",\s*((?:[A-Z][\w.\u2019'-]*\s+){0,3}[A-Z][\w.\u2019'-]*)\s+(Says|Said|Warns|Tells|Claims)\W*$")


def headline(ctx: QuoteContext) -> Cue | None:
    """Words quoted in a news headline (the text's first line) are the words of the label
    before its colon, or, in Title Case, of the name before a closing "Says" or of the
    headline's subject when that is a person or people: Jane Roe Calls the Plan ‘A Gift’."""
    para = ctx.paragraph
    if not ctx.on_first_line:
        return None
    if re.search(r"\b(?!(?:it|that|he|she|what|there|who)\W)\w+(?:\u2019|')s\s*\Z", ctx.before, re.I):
        return None  # “Jane Roe’s ‘Hello’ Tops the Charts”: a possessed title
    label = _HEADLINE_LABEL.match(para) if not ctx.before.rstrip().endswith(":") else None
    if label is not None:  # (in sentence case too: "Sanders: Clinton needs to ‘get away’ from it")
        return Cue("headline", ":", label.group(1), Kind.LABEL, label.group(1))
    if not ctx.in_headline:
        return None
    says = _HEADLINE_SAYS.search(para)
    if says is not None:
        return Cue("headline", says.group(2), says.group(1), Kind.LABEL, says.group(1))
    w = ctx.left
    if w is None:
        return None
    subj = next((t for t in w.tokens() if t.dep_ == "nsubj"), None)
    # (Headlines capitalise every word, so the tagger may call "Lawmakers" a singular name.)
    if subj is None or not (subj.ent_type_ == "PERSON" or subj.lower_ in ROLE_FAMILY
                            or (subj.lower_.endswith("s") and subj.pos_ in ("NOUN", "PROPN") and not subj.ent_type_)):
        return None
    return mention_cue("headline", subj.head, subj, w.lo, w.hi, subj.head.text)


#: The cue sieves, strongest first (a headline first: its Title Case misleads the parser).
CUE_SIEVES: tuple[Callable[[QuoteContext], Cue | None], ...] = (
    headline, inline_label, byline, phrase_right, from_right, right_verb, left_verb, label, lead_in, byline_below)


def find_cue(ctx: QuoteContext) -> Cue:
    """The first decision of `CUE_SIEVES` for this quote that names someone; else the first
    cue found with no mention (a verb whose subject is a date, say); else `NO_CUE`."""
    weak = None
    for sieve in CUE_SIEVES:
        found = sieve(ctx)
        if found is not None:
            if found.kind is not Kind.NONE:
                return found
            weak = weak or found
    return weak or NO_CUE
