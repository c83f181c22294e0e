"""Name the speaker of each quote: find the cue and mention with spaCy's parse,
then resolve the mention to a name with the document's `NameIndex`.

Two steps, kept apart so the parse can run on only the paragraphs that need it:

1. `find_cue(doc, offset, quote, bounds, quote_text)` looks around one quote in
   a parsed paragraph for the reporting verb and its subject ("…,” the head of
   state added / said Mrs. Trump / Mr Putin said: “…” / according to X / a
   label ``Name:`` / a byline ``― Name``) and returns a `Cue`.
2. `resolve(...)` turns the mention into a speaker: a proper name to its
   fullest form, a role noun to the person holding that role, a pronoun to the
   nearest fitting speaker, and a quote with no cue to its neighbour's speaker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from .names import ROLE_FAMILY, NameIndex, strip_titles, surname
from .quotes import QuoteSpan

REPORTING_VERBS = frozenset("""
accuse acknowledge add admit advise affirm agree announce answer applaud argue ask assert
assure begin believe blast boast brag call caution chant charge claim clarify close comment
complain concede conclude condemn confirm contend continue counter criticise criticize cry
declare demand deny describe disclose elaborate emphasise emphasize estimate explain express
feel finish forecast highlight hope indicate inform insist interject joke lament maintain
mention mock note observe open order plead pledge point post praise pray predict promise
propose put quip quote read recall recommend reiterate remark reply report request respond
retort reveal say scream share shout sing slam specify start state stress suggest sum summarise
summarize tell testify thank think tweet underline underscore urge vow warn welcome wish write
yell
""".split())
_IRREGULAR = {"say": "said", "tell": "told", "write": "wrote written", "think": "thought",
              "feel": "felt", "begin": "began begun", "sing": "sang sung", "read": "read",
              "put": "put", "cry": "cried cries", "reply": "replied replies", "deny": "denied denies",
              "testify": "testified testifies", "specify": "specified specifies",
              "clarify": "clarified clarifies", "plead": "pled", "quip": "quipped quipping"}


def _inflections(verb: str) -> set[str]:
    """say -> {say, says, saying, sayed, said}: regular forms plus the irregular ones.
    Matching word forms spares the pipeline its lemmatizer, a sixth of the parse time."""
    stem = verb[:-1] if verb.endswith("e") else verb
    forms = {verb, verb + "s", verb + "es", stem + "ing", stem + "ed", verb + "d"}
    if len(verb) > 2 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # quip -> quipped
    forms |= set(_IRREGULAR.get(verb, "").split())
    return forms


#: Every word form of the reporting verbs, to its base form.
REPORTING_FORMS = {form: verb for verb in sorted(REPORTING_VERBS) for form in _inflections(verb)}
_BE_FORMS = {"be", "is", "are", "was", "were", "been", "being", "am", "'s", "\u2019s", "'re", "\u2019re"}
_QUOTING_FORMS = _inflections("quote") | _inflections("cite")
PRONOUNS = {"he", "she", "they", "i", "we", "him", "her", "them", "it", "you"}
_AUTHOR_NOUNS = {"word", "words", "message", "letter", "statement", "telegram", "address", "article", "post", "tweet",
                 "release", "note", "op-ed", "report", "readout", "greeting", "greetings", "speech"}
_QUOTE_CHARS = set("\u201c\u201d\u201e\u201f\"\u00ab\u00bb\u2033\u2018\u2019'")


@dataclass
class Cue:
    """What `find_cue` found near one quote (offsets into the whole text)."""

    cue: str | None = None
    mention: str | None = None
    kind: str = "none"  # name | org | role | pronoun | label | author | none
    name: str | None = None  # a proper name inside the mention (PERSON/ORG entity or PROPN run)


def _clean(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).strip(" ,;:-\u2013\u2014")


def _mention_span(head: Token, lo: int, hi: int) -> Span:
    """The noun phrase of `head`, cut at a comma, bracket or clause after the head,
    kept within token range [lo, hi)."""
    doc = head.doc
    left, right = head.i, head.i
    for t in head.subtree:
        if t.i < lo or t.i >= hi:
            continue
        if t.i < left:
            left = t.i
    # Extend right over "of ..." parts ("the President of Ukraine"), stop at other
    # prepositions ("his letter to Speaker X"), commas and clauses.
    i = head.i + 1
    while i < hi and i <= head.right_edge.i:
        t = doc[i]
        if t.text in {",", "(", "\u2014", "\u2013", ";", ":"} or t.dep_ in ("relcl", "acl", "appos", "advcl"):
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


def _classify(span: Span) -> tuple[str, str | None]:
    """('pronoun'|'author'|'name'|'role'|'org', proper name or None) for a mention."""
    words = [t for t in span if not t.is_space and not t.is_punct]
    if not words:
        return "none", None
    if len(words) == 1 and words[0].lower_ in PRONOUNS:
        return "pronoun", None
    head = span.root
    if head.pos_ == "NOUN" and (head.lower_ in _AUTHOR_NOUNS or head.lower_[:-1] in _AUTHOR_NOUNS):
        # "Statement from the President", "a letter by Jane Roe": the source is the speaker.
        for prep in head.children:
            if prep.lower_ in ("from", "by", "of"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.pos_ in ("PROPN", "NOUN", "PRON"):
                    inner = span.doc[pobj.left_edge.i:pobj.right_edge.i + 1]
                    kind, name = _classify(inner)
                    if kind in ("name", "role", "org"):
                        return kind, name
        return "author", None
    persons = [e for e in span.ents if e.label_ == "PERSON"]
    # The person the head belongs to ("Clinton spokesman Jesse Lehrich" -> Lehrich, not Clinton).
    for ent in persons:
        if ent.start <= head.i < ent.end:
            return "name", ent.text
    if head.ent_type_ in ("DATE", "TIME"):
        return "none", None
    for ent in span.ents:
        if ent.label_ in ("ORG", "NORP", "GPE", "FAC") and ent.start <= head.i < ent.end:
            return "org", span.text if span[0].lower_ == "the" else ent.text
    if head.pos_ == "PROPN" and head.lower_ not in ROLE_FAMILY:
        return "name", _propn_run(span, head)
    persons = [e for e in persons if not e.text.endswith(("\u2019s", "'s"))]
    if persons:
        return "name", persons[-1].text
    return "role", None


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
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and lo <= child.i < hi:
            return child
    return None


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


def _make(doc: Doc, verb: Token | None, subj: Token | None, lo: int, hi: int, cue: str | None) -> Cue:
    if subj is None:
        return Cue(cue=cue)
    if subj.lower_ in ("who", "that", "which", "whom"):
        # "Clinton, who said …": the noun the relative clause hangs on.
        if verb is not None and verb.dep_ == "relcl":
            subj = verb.head
        else:
            prev = [t for t in doc[max(0, subj.i - 6):subj.i] if t.pos_ in ("PROPN", "NOUN")]
            if not prev:
                return Cue(cue=cue)
            subj = prev[-1]
        lo = min(lo, subj.left_edge.i)
    span = _mention_span(subj, lo, hi)
    kind, name = _classify(span)
    # "Act Advocate, Francesca Mani, said": an appositive person names the speaker.
    for child in subj.children:
        if child.dep_ == "appos" and lo <= child.i < hi and child.ent_type_ == "PERSON":
            app = _mention_span(child, lo, hi)
            app_kind, app_name = _classify(app)
            if app_kind == "name":
                return Cue(cue=cue, mention=_clean(app.text) or None, kind=app_kind, name=app_name)
    return Cue(cue=cue, mention=_clean(span.text) or None, kind=kind, name=name)


def token_starts(doc: Doc) -> list[int]:
    """Character offsets of the Doc's tokens, computed once per Doc (a paragraph may
    hold thousands of quotes; scanning its tokens for each would be quadratic)."""
    starts = doc.user_data.get("quotetool_token_starts")
    if starts is None:
        starts = [t.idx for t in doc]
        doc.user_data["quotetool_token_starts"] = starts
    return starts


def doc_text(doc: Doc) -> str:
    """`doc.text`, which spaCy rebuilds from all the tokens on every access, once per Doc."""
    text = doc.user_data.get("quotetool_text")
    if text is None:
        text = doc.text
        doc.user_data["quotetool_text"] = text
    return text


def _token_range(doc: Doc, start_char: int, end_char: int) -> tuple[int, int]:
    """Token indices [lo, hi) of tokens starting within the character range."""
    starts = token_starts(doc)
    lo = bisect.bisect_left(starts, start_char)
    hi = bisect.bisect_left(starts, end_char)
    return lo, max(lo, hi)


def _is_reporting(t: Token) -> bool:
    return t.pos_ in ("VERB", "AUX") and t.lower_ in REPORTING_FORMS


_DASHES = {"\u2015", "\u2014", "\u2013", "-", "--"}


def _right_cue(doc: Doc, lo: int, hi: int, quote_text: str, after: int) -> Cue | None:
    """“…,” the President said. / “…,” said Mrs. Trump. / “…” ― Jane Doe."""
    toks = [t for t in doc[lo:hi] if not t.is_space]
    if not toks:
        return None
    # The right context ends at the sentence's end.
    end = hi
    for t in toks:
        if t.text in (".", "!", "?") and t.i > lo and not _abbreviation(t):
            end = t.i
            break
    gap = doc_text(doc)[after:toks[0].idx]
    if toks[0].text in _DASHES or any(c in gap for c in "\u2015\u2014\u2013"):
        # A byline after the quote: “…” ― Krystal Correa (the dash may be glued to the mark)
        nxt = [t for t in doc[lo:end] if not t.is_space and t.text not in _DASHES]
        if nxt and nxt[0].pos_ in ("PROPN", "NOUN") and nxt[0].text[:1].isupper():
            head = nxt[0]
            while head.head.i != head.i and nxt[0].i <= head.head.i < end and head.head.pos_ == "PROPN":
                head = head.head
            found = _make(doc, None, head, nxt[0].i, end, "\u2015")
            if found.kind in ("name", "org", "label"):
                return found
    window = [t for t in doc[lo:end] if not t.is_space and not t.is_punct]
    if len(window) > 2 and window[0].lower_ == "according" and window[1].lower_ == "to":
        # “…,” according to the Port Authority.
        pobj = next((c for c in window[1].children if c.dep_ == "pobj"), None) or window[2]
        return _make(doc, None, pobj, window[1].i, end, "according to")
    last = quote_text.rstrip()[-1:]
    # How far the cue may be: after a comma the clause continues ("…,” Flynn, a top
    # surrogate, said); after ?/! a cue follows at once; after a full stop the
    # sentence is over; a partial quote may be followed by its subject and verb.
    if last in (",", "\u2014", "-", "\u2013") or toks[0].text == ",":
        reach, any_verb = 8, True
    elif last in ("?", "!"):
        reach, any_verb = 4, False
    elif last in (".", "\u2026"):
        return None
    else:
        reach, any_verb = 3, False
    if window and window[0].pos_ in ("SCONJ", "ADP", "CCONJ") or window and window[0].lower_ in ("when", "as", "which"):
        return None
    # Past the usual reach only a reporting verb counts, after a long appositive:
    # "…,” Scott Pruitt, the Republican attorney general of Oklahoma, said.
    far = 30 if any_verb else reach
    for k, t in enumerate(window[:far]):
        if t.pos_ in ("VERB", "AUX") and (_is_reporting(t) or (any_verb and k < reach and t.pos_ == "VERB")):
            if t.lower_ in _BE_FORMS:
                continue
            subj = _verb_subject(t, lo, end)
            if subj is not None and subj.i > t.i and k > 0:
                # "…,” Flynn, a top surrogate, said Thursday morning: the noun before wins.
                subj = _nearest_noun_before(t, lo, first=True) or subj
            if subj is None and k == 0:
                subj = _after_verb_subject(t, end)  # inverted: "…,” said Mrs. Trump
            if subj is None and k > 0:
                subj = _nearest_noun_before(t, lo, first=True)
            if subj is not None:
                return _make(doc, t, subj, lo, end, t.text)
    return None


def _left_cue(doc: Doc, lo: int, hi: int) -> Cue | None:
    """Mr Putin said: “…” / Obama called it “…” / according to X, “…” / Name: “…”."""
    toks = [t for t in doc[lo:hi] if not t.is_space]
    if not toks:
        return None
    # Nearest reporting verb (or "according to") before the quote.
    for t in reversed(toks):
        if t.lower_ == "to" and t.i > 0 and doc[t.i - 1].lower_ == "according":
            pobj = next((c for c in t.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _make(doc, None, pobj, t.i, hi, "according to")
        if t.lower_ in _QUOTING_FORMS and t.pos_ == "VERB":
            # "I quote him: “…”", "X quoted famous words by Reagan: “…”": the words are the
            # quoted person's, not the quoter's.
            obj = next((c for c in t.children if c.dep_ in ("dobj", "obj") and lo <= c.i < hi), None)
            if obj is not None:
                return _make(doc, t, obj, lo, hi, t.text)
            return Cue(cue=t.text, mention=None, kind="pronoun-third")
        if _is_reporting(t):
            subj = _verb_subject(t, lo, hi)
            if subj is None:
                # "…, he said, “to help.”": a conjunct or participle shares its head's subject.
                head = t.head
                while subj is None and head.i != head.head.i and head.pos_ in ("VERB", "AUX"):
                    subj = _verb_subject(head, lo, hi)
                    head = head.head
                if subj is None and head.pos_ in ("VERB", "AUX"):
                    subj = _verb_subject(head, lo, hi)
            if subj is None:
                subj = _nearest_noun_before(t, lo)
            if subj is not None:
                return _make(doc, t, subj, lo, hi, t.text)
    # A label: "**Name, Title:** “…”" or "Name: “…”" with no verb.
    last = toks[-1]
    if last.text == ":" and len(toks) <= 25 and not any(t.pos_ == "VERB" for t in toks):
        span = doc[toks[0].i:last.i]
        kind, name = _classify(span)
        label = _clean(span.text)
        if label:
            ents = [e for e in span.ents if e.label_ == "PERSON"]
            if ents:
                return Cue(cue=":", mention=label + ":", kind="label", name=ents[0].text)
            if kind in ("role", "author"):
                return Cue(cue=":", mention=label + ":", kind=kind)
            return Cue(cue=":", mention=label + ":", kind="label", name=name or label)
    return None


_INLINE_LABEL = re.compile(r"^\s*([A-Z][A-Z.'\u2019 -]{1,40}[A-Z.]):\s")


def inline_label(quote_text: str) -> Cue | None:
    """A transcript quoted whole: “WALLACE: Let's start …” names its own speaker."""
    m = _INLINE_LABEL.match(quote_text)
    if not m or m.group(1).upper() in {"MYTH", "FACT", "NOTE", "UPDATE", "Q", "A", "BACKGROUND", "EDITOR'S NOTE"}:
        return None
    return Cue(cue=":", mention=m.group(1) + ":", kind="label", name=m.group(1).title())


def find_cue(doc: Doc, offset: int, quote: QuoteSpan, bounds: tuple[int, int], quote_text: str) -> Cue:
    """Look around `quote` in `doc` (which starts at character `offset` of the
    whole text) between `bounds` (whole-text offsets of the neighbouring quotes'
    marks, or the paragraph edges) for the cue and the speaker's mention.

    `quote_text` is the quote's words; the Doc itself may have them blanked out
    (see `pipeline`), since only the words around a quote say who spoke."""
    after = (quote.close_mark + 1 if quote.close_mark is not None else quote.end) - offset
    before = quote.open_mark - offset
    lo_char, hi_char = bounds[0] - offset, bounds[1] - offset
    inline = inline_label(quote_text)
    if inline is not None:
        return inline
    r_lo, r_hi = _token_range(doc, after, hi_char)
    right = _right_cue(doc, r_lo, r_hi, quote_text, after) if r_hi > r_lo else None
    if right is not None:
        return right
    # The left context starts at the sentence start (or the previous quote).
    l_lo, l_hi = _token_range(doc, lo_char, before)
    start = l_lo
    for t in doc[l_lo:l_hi]:
        if t.text in (".", "!", "?") and t.i + 1 < l_hi and not _abbreviation(t):
            start = t.i + 1
    left = _left_cue(doc, start, l_hi) if l_hi > start else None
    return left or Cue()


def _abbreviation(t: Token) -> bool:
    """'U.S.' or 'Mr.' end with a stop that does not end a sentence."""
    return t.i > 0 and t.doc[t.i - 1].text.lower() in ("mr", "mrs", "ms", "dr", "st", "u.s", "jr", "sen", "gov", "rep")


@dataclass
class Resolved:
    speaker: str | None
    source: str


def resolve(cue: Cue, index: NameIndex, at: int, previous: str | None, previous_at: int = -1) -> Resolved:
    """Turn a cue's mention into a speaker name (see module docs)."""
    if cue.kind in ("name", "label") and cue.name:
        name = strip_titles(cue.name) or cue.name
        if cue.kind == "label" and not surname(name)[:1].isupper():
            return Resolved(cue.name, "label")
        full = index.fullest(name)
        return Resolved(full, "name" if cue.kind == "name" else "label")
    if cue.kind == "org" and cue.name:
        # The entity recogniser sometimes calls a person an organisation ("Ms Jones").
        if surname(cue.name).lower() in index.persons:
            return Resolved(index.fullest(cue.name), "name")
        return Resolved(cue.name, "name")
    if cue.kind == "pronoun-third":
        cue = Cue(cue=cue.cue, mention="he", kind="pronoun")
        resolved = resolve(cue, index, at, previous, previous_at)
        return Resolved(resolved.speaker, "pronoun")
    if cue.kind == "pronoun" and cue.mention:
        low = cue.mention.lower()
        if low in ("i", "we"):
            main = index.main_person()
            return Resolved(main or previous, "pronoun")
        if low in ("they", "them", "you", "it"):
            # A group, the listener or "it is said": no one person to name.
            return Resolved(None, "pronoun")
        # "he" is the latest person in subject position: the previous quote's
        # speaker, unless someone else was the subject of a sentence since.
        subject = index.subject_before(at)
        if previous and (subject is None or previous_at >= subject[0]):
            return Resolved(previous, "pronoun")
        if subject is not None:
            return Resolved(subject[1], "pronoun")
        return Resolved(previous or index.nearest_person(at) or index.main_person(), "pronoun")
    if cue.kind == "author":
        return Resolved(index.main_person(), "role")
    if cue.kind == "role" and cue.mention:
        words = re.findall(r"[a-z.-]+", cue.mention.lower().replace("\u2019s", ""))
        family = next((ROLE_FAMILY[w] for w in reversed(words) if w in ROLE_FAMILY), None)
        if "head" in words and "state" in words:
            family = "president"
        if family:
            hint = next((w for w in words if w.endswith(("ian", "an", "ese", "ish", "ainian"))
                         and w not in ("the", "an")), "")
            holder = index.role_holder(family, hint=hint, before=at)
            if holder is None and family == "president":
                holder = index.main_person()
            if holder:
                return Resolved(holder, "role")
        if words and words[0] in ("the", "this", "that") and not cue.mention.endswith("s"):
            # "the former board member": a definite description of someone already in play.
            return Resolved(previous or index.main_person() or cue.mention, "role")
        return Resolved(cue.mention, "role")
    return Resolved(None, "none")
