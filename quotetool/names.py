"""Who is who in a document: full names, the roles people hold, the main person.

Built from the whole clean text with linear regular expressions (no parse
needed, so text that is never parsed still counts), plus the PERSON entities
of whatever spaCy did parse. Used to turn a mention ("Mr Putin", "the
Belarusian leader") into the fullest name the document gives.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import normalise_field
from .lexicon import (DEMONYM_ENDINGS, HEADLINE_WORDS, HONORIFICS, LEADING_WORDS, NAME_PARTICLES, NAME_SUFFIXES,
                      NOT_NAME_WORDS, ROLE_FAMILY, ROLE_WORDS, bare)

if TYPE_CHECKING:
    from spacy.tokens import Doc

# (McKinley, MacDonald, O'Keefe first: else the plain form would stop at "Mc", "Mac", "O'".)
_NAME_TOKEN = (r"(?:[A-Z][a-z]{0,2}[A-Z][a-z]+|[A-Z]['\u2019][A-Z][a-z]+|[A-Z][a-z\u00e0-\u024f'\u2019-]+|[A-Z]\.|"
               r"[A-Z]{2,}(?=\s+[A-Z][a-z]))")
# A run of capitalised words, allowing "de", "van", initials; never crosses a line break twice.
_GAP = r"(?: +\n? *|\n *)"  # spaces and at most one line break: a blank line ends a name
_CAP_RUN = re.compile(r"(?<![\w.])" + _NAME_TOKEN + r"(?:" + _GAP + r"(?:(?:" + "|".join(NAME_PARTICLES) + r")"
                      + _GAP + r")?" + _NAME_TOKEN + r"){0,5}")
_ROLE_RE = re.compile(r"\b(" + "|".join(sorted((w.capitalize() for w in ROLE_FAMILY), key=len, reverse=True))
                      + r")\b")


def tokens_of(name: str) -> list[str]:
    return [t for t in re.split(r"[\s]+", name.strip()) if t]


def strip_titles(name: str) -> str:
    """'Mr. Putin' -> 'Putin'; 'Belarus President Aleksandr Lukashenko' -> 'Aleksandr Lukashenko'."""
    toks = tokens_of(name)
    while len(toks) > 1 and bare(toks[-1]) in NAME_SUFFIXES:
        toks = toks[:-1]
    # Keep the tail after the last role/honorific word.
    cut = 0
    for i, t in enumerate(toks[:-1]):
        low = bare(t)
        if low in HONORIFICS or low in ROLE_FAMILY or low in ROLE_WORDS:
            cut = i + 1
    toks = toks[cut:]
    while toks and toks[0].lower().strip(",.:;") in LEADING_WORDS:
        toks = toks[1:]
    return " ".join(toks).strip(" ,.:;\u2019'")


def fold(word: str) -> str:
    """`word` without its accents: "safaí" -> "safai"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def surname(name: str) -> str:
    toks = tokens_of(strip_titles(name))
    while toks and bare(toks[-1]) in NAME_SUFFIXES:
        toks = toks[:-1]
    return re.sub(r"(?:\u2019|')s?$", "", toks[-1].rstrip(".,:;")) if toks else ""


@dataclass
class NameIndex:
    """Names seen in one document."""

    #: surname -> full-name candidates with how often each form appears
    forms: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    #: role family -> (offset, name, context) of "Belarus President Aleksandr Lukashenko"
    roles: dict[str, list[tuple[int, str, str]]] = field(default_factory=lambda: defaultdict(list))
    #: surname -> mentions counted over the document (persons only)
    person_counts: Counter[str] = field(default_factory=Counter)
    #: surnames known to be people (NER PERSON, a role or honorific in front)
    persons: set[str] = field(default_factory=set)
    #: (offset, surname) of person mentions in text order, for pronouns
    person_positions: list[tuple[int, str]] = field(default_factory=list)
    header_names: list[str] = field(default_factory=list)
    #: who the header says wrote or gave the text: "Remarks by President Biden ..."
    author: str | None = None
    #: the person the headline or header summary opens with ("Jane Roe sent greetings …")
    lead_subject: str | None = None
    # Answers computed once the index is built (it does not change after build_index).
    _fullest_memo: dict[str, str] = field(default_factory=dict, repr=False)
    _strong_memo: set[str] | None = field(default=None, repr=False)
    _first_memo: dict[str, int] | None = field(default=None, repr=False)
    _folded_memo: dict[str, Counter[str]] | None = field(default=None, repr=False)
    #: (offset, name) of people in subject position in the parsed text, in order
    subjects: list[tuple[int, str]] = field(default_factory=list)
    #: (offset, name) of transcript turns ("Vladimir Putin: …"), in text order; the name is
    #: "" for a turn of someone unnamed ("Question: …")
    turns: list[tuple[int, str]] = field(default_factory=list)
    #: acronym -> the full name the text spells out beside it: "GAO" -> "Government
    #: Accountability Office", from "the Government Accountability Office (GAO)"
    acronyms: dict[str, str] = field(default_factory=dict)
    #: full-name forms known to be people's
    person_forms: set[str] = field(default_factory=set)
    #: surnames seen with a role, an honorific or a speaker label
    evidenced: set[str] = field(default_factory=set)

    def add_form(self, name: str, person: bool = False, offset: int | None = None,
                 evidence: bool = False) -> None:
        self._fullest_memo.clear()
        self._strong_memo = None
        self._folded_memo = None
        name = strip_titles(name)
        toks = tokens_of(name)
        # "Russian Federation Vladimir Putin" -> "Vladimir Putin"; "Union State's" -> nothing;
        # a Title Case headline's "Railing Against Trump" -> "Trump".
        cut = max((i + 1 for i, t in enumerate(toks) if bare(t) in NOT_NAME_WORDS
                   or (i > 0 and bare(t) in HEADLINE_WORDS)), default=0)
        if cut and cut < len(toks) and not toks[cut][:1].isupper():
            return  # "McCain Institute and Library": an institution, not a person
        name = " ".join(toks[cut:])
        name = re.sub(r"(?:\u2019|')s?$", "", name)
        sur = surname(name)
        if not sur or not sur[:1].isupper() or sur.lower() in ROLE_FAMILY or sur.lower() in NOT_NAME_WORDS:
            return
        self.forms[sur.lower()][name] += 1
        if person:
            self.person_forms.add(name)
            self.persons.add(sur.lower())
            if evidence:
                self.evidenced.add(sur.lower())
            if offset is not None:
                self.person_positions.append((offset, sur.lower()))

    def fullest(self, name: str) -> str:
        """The fullest form the document gives for the person `name` names."""
        if name not in self._fullest_memo:
            self._fullest_memo[name] = self._fullest(name)
        return self._fullest_memo[name]

    def _fullest(self, name: str) -> str:
        name = strip_titles(name)
        sur = surname(name).lower()
        cands = self._by_folded().get(fold(sur))  # all spellings: "Safai" -> "Ahsha Safaí"
        if len(tokens_of(name)) == 1 and not any(len(tokens_of(c)) > 1 for c in cands or ()):
            # A first name alone ("Bob"): the person whose full name starts with it.
            first = name.lower()
            owners = [c for forms in self.forms.values() for c in forms
                      if len(tokens_of(c)) > 1 and tokens_of(c)[0].lower() == first
                      and surname(c).lower() in self.persons]  # not "Acme Opens Plant"
            if owners:
                return self.fullest(max(owners, key=lambda c: self.person_counts[surname(c).lower()]))
        if not cands:
            return name
        given = {fold(t.lower()) for t in tokens_of(name)}
        fitting = [c for c in cands if given <= {fold(t.lower()) for t in tokens_of(c)}] or [name]
        # A form known to be a person's (role phrase, label, entity) beats a bare
        # capitalised run, which may have swallowed a ministry ("Infrastructure Irina ...").
        full_person = [c for c in fitting if c in self.person_forms and len(tokens_of(c)) > 1]
        fitting = full_person or fitting
        # Longest form that is not absurdly long (a run that swallowed other words).
        fitting = [c for c in fitting if len(tokens_of(c)) <= 4] or fitting
        return max(fitting, key=lambda c: (len(tokens_of(c)), cands.get(c, 0)))

    def _by_folded(self) -> dict[str, Counter[str]]:
        """The forms by surname without accents, built once the index is complete."""
        if self._folded_memo is None:
            self._folded_memo = {}
            for sur, forms in self.forms.items():
                self._folded_memo.setdefault(fold(sur), Counter()).update(forms)
        return self._folded_memo

    def _strong(self) -> set[str]:
        """Surnames surely of people: a one-word name that only the entity recogniser
        called a person ("Laughter") needs a role, an honorific, a label or a second word."""
        if self._strong_memo is None:
            self._strong_memo = {s for s in self.persons
                                 if any(len(tokens_of(f)) > 1 for f in self.forms.get(s, ()))} | self.evidenced
        return self._strong_memo

    def _first_seen(self, sur: str) -> int:
        if self._first_memo is None:
            self._first_memo = {}
            for off, s in reversed(self.person_positions):
                self._first_memo[s] = off
        return self._first_memo.get(sur, 1 << 62)

    def _best(self, counts: Counter[str]) -> str:
        """The most counted surname; ties go to the one named first, then by spelling,
        so the answer never depends on set or hash order."""
        return min(counts, key=lambda s: (-counts[s], self._first_seen(s), s))

    def main_person(self) -> str | None:
        """The person the document is about: the header's author ("Remarks by President
        Biden"), else the person the headline opens with, else the most mentioned, a
        mention in the header counting double."""
        if self.author:
            return self.fullest(self.author)
        if self.lead_subject:
            return self.lead_subject
        strong = self._strong()
        counts = Counter({s: self.person_counts[s] for s in strong})
        for sur in {surname(h).lower() for h in self.header_names} & strong:
            counts[sur] += 3 + counts[sur]
        if not counts:
            return None
        return self.fullest(self._best(counts))

    def role_holder(self, family: str, hint: str = "", before: int | None = None) -> str | None:
        """Who holds `family` ('president', 'minister', ...) in this document."""
        cands = self.roles.get(family, [])
        if not cands:
            return None
        hint = hint.lower()[:5]
        if hint:
            # "the Russian head of state" is none of the presidents whose role phrase
            # names another country ("US President George W. Bush").
            matched = [c for c in cands if hint in c[2].lower()]
            cands = matched or [c for c in cands if not re.search(r"\b(?:U\.?S\.?|[A-Z][a-z]+(?:ian|an|ese|ish))\b", c[2])]
            if not cands:
                return None
        score: Counter[str] = Counter()
        for off, name, _ in cands:
            score[surname(name).lower()] += 1 + self.person_counts[surname(name).lower()]
        sur = self._best(score)
        return self.fullest(next(n for _, n, _ in cands if surname(n).lower() == sur))

    def subject_before(self, offset: int) -> tuple[int, str] | None:
        k = bisect.bisect_left(self.subjects, (offset, ""))
        return self.subjects[k - 1] if k > 0 else None

    def turn_after(self, offset: int, within: int = 3000) -> str | None:
        """The next "Name:" label after `offset`: who answers a question put to "you"."""
        k = bisect.bisect_left(self.turns, (offset, ""))
        while k < len(self.turns) and self.turns[k][0] - offset <= within:
            if self.turns[k][1]:
                return self.turns[k][1]
            k += 1
        return None

    def turn_before(self, offset: int) -> str | None:
        """Whose turn it is in a transcript at `offset`: the last "Name:" label before it."""
        k = bisect.bisect_left(self.turns, (offset, ""))
        return (self.turns[k - 1][1] or None) if k > 0 else None

    def is_person(self, name: str) -> bool:
        """Is `name` surely a person's (not a one-word entity the recogniser guessed)?"""
        return surname(name).lower() in self._strong()

    def first_person_between(self, lo: int, hi: int) -> str | None:
        """The first person surely named in [lo, hi) (outside quotes)."""
        strong = self._strong()
        k = bisect.bisect_left(self.person_positions, (lo, ""))
        for off, sur in self.person_positions[k:k + 50]:
            if off >= hi:
                break
            if sur in strong:
                return self.fullest(sur)
        return None

    def nearest_person(self, offset: int, besides: str | None = None) -> str | None:
        """The person named last before `offset` (outside quotes), other than `besides`."""
        strong = self._strong()
        other = surname(besides).lower() if besides else None
        k = bisect.bisect_left(self.person_positions, (offset, ""))
        for _, sur in reversed(self.person_positions[max(0, k - 50):k]):
            if sur in strong and sur != other:
                return self.fullest(sur)
        return None


def _split_role_run(run: str) -> tuple[str, list[str], bool] | None:
    """'Belarus President Aleksandr Lukashenko' -> ('president', ['Aleksandr', 'Lukashenko'], False).

    The bool says whether a phrase ("of Belarus", "for Public Engagement") stood
    between the role and the words after it."""
    toks = tokens_of(run)
    last_role = -1
    for i, t in enumerate(toks):
        if bare(t) in ROLE_FAMILY:
            last_role = i
    if last_role < 0 or last_role >= len(toks) - 1:
        return None
    role = bare(toks[last_role])
    if role == "lady" and (last_role == 0 or toks[last_role - 1].lower() != "first"):
        return None
    after = toks[last_role + 1:]
    had_phrase = any(not t[:1].isupper() for t in after)
    # Keep what follows the last lowercase word ("of", "the") or institution/place word.
    cut = max((i + 1 for i, t in enumerate(after) if not t[:1].isupper() or bare(t) in NOT_NAME_WORDS),
              default=0)
    family = ROLE_FAMILY[role]
    if family == "president" and last_role > 0 and bare(toks[last_role - 1]) == "vice":
        family = "vice president"  # a vice president is not the president
    return family, after[cut:], had_phrase or cut > 0


def _role_name(words: list[str], had_phrase: bool) -> str | None:
    """The person's name in the words after a role, or None if they are not a name."""
    if had_phrase:
        # "President of France Emmanuel Macron": after a phrase, the name is its last
        # two words (three with an initial); "President for Public Engagement" has none.
        if len(words) < 2:
            return None
        words = words[-3:] if any(len(t) == 2 and t.endswith(".") for t in words[-3:]) else words[-2:]
    words = words[:3]
    if not words or any(bare(t) in NOT_NAME_WORDS or bare(t) in ROLE_FAMILY for t in words):
        return None
    return re.sub(r"(?:\u2019|')s?$", "", " ".join(words))


_ROLE_PHRASE = re.compile(
    r"(?:(?<=\s)|^)((?:[A-Z][\w.\u2019'-]*[ \n]+){0,4}?(?:" + "|".join(w.capitalize() for w in ROLE_FAMILY)
    + r")\b(?:[ \n]+(?:of|for|and|on)(?:[ \n]+the)?[ \n]+[A-Z][\w.-]*(?:[ \n]+[A-Z][\w.-]*){0,3}?)?"
    + r"(?:[ \n]+" + _NAME_TOKEN + r"){1,4})")


# "Remarks by President Joe Biden at ...", "Statement from the Press Secretary on ..."
_BY_AUTHOR = re.compile(r"\b(?:Remarks|Statement|Address|Speech|Excerpts|Op-Ed|Letter|Message|Interview|"
                        r"Readout|Message)\b[^:]{0,60}?\b(?:by|from)\s+((?:[A-Z][\w.\u2019'-]*\s+){0,3}"
                        + _NAME_TOKEN + r")")
_SPEAKER_LABEL = re.compile(r"^[ \t*]*(?:[A-Z][\w.\u2019'-]*[ \t]+){0,6}?(" + _NAME_TOKEN + r"[ \t]+"
                            + _NAME_TOKEN + r")[ \t*]*:", re.M)


def build_index(view: str, header: dict | None = None, parsed: Sequence[tuple[int, Doc]] = (),
                exclude: Sequence[tuple[int, int]] = ()) -> NameIndex:
    """Index the names of a document from its clean view and the parsed pieces of it
    (``(offset, Doc)`` pairs): complete when built, nothing is added later.

    `exclude` lists (start, end) ranges (the quotes, in order) whose names are not
    positions a pronoun can point back to."""
    person_ents = [(lo + ent.start_char, ent.text) for lo, doc in parsed for ent in doc.ents
                   if ent.label_ == "PERSON"]
    idx = NameIndex()
    for m in _CAP_RUN.finditer(view):
        idx.add_form(m.group(0).replace("\n", " "))
    header_text = " \n".join(v for k, v in (header or {}).items()
                              if k in ("title", "source", "summary") and isinstance(v, str))
    header_text = re.sub(r"[\u00a0\s]+", " ", header_text)
    for m in _ROLE_PHRASE.finditer(header_text):
        split = _split_role_run(" ".join(m.group(1).split()))
        if not split:
            continue
        family, words, had_phrase = split
        if len(words) > 2 and not had_phrase:
            # A Title Case title hides where the name ends ("President Biden Announces
            # Former ..."): keep the longest start whose last word the body names too.
            words = words[:3]
            while len(words) > 1 and bare(words[-1]) not in idx.forms:
                words.pop()
            if len(words) == 1 and bare(words[0]) not in idx.forms:
                words = split[1][:2]  # the body never names them: a name is two words ...
                if len(split[1]) > 2 and words[1].endswith("ing"):
                    words = words[:1]  # ... unless the second is a Title Case verb: "Harris Highlighting …"
        name = _role_name(words, had_phrase)
        if name:
            idx.roles[family].append((-1, name, m.group(1)))
            idx.add_form(name, person=True, evidence=True)
    for m in _ROLE_PHRASE.finditer(view):
        run = " ".join(m.group(1).split())
        split = _split_role_run(run)
        name = _role_name(split[1], split[2]) if split else None
        if split and name:
            idx.roles[split[0]].append((m.start(), name, run))
            idx.add_form(name, person=True, offset=m.start(), evidence=True)
    for m in re.finditer(r"\b(?:Mr|Mrs|Ms|Dr|Miss)\.?[ \n]+(" + _NAME_TOKEN + r"(?:[ \n]+" + _NAME_TOKEN
                         + r"){0,2})", view):
        idx.add_form(m.group(1).replace("\n", " "), person=True, offset=m.start(), evidence=True)
    # Transcript labels: "President of Russia Vladimir Putin: ..." / "Jen Psaki: ..."
    for m in _SPEAKER_LABEL.finditer(view):
        idx.add_form(m.group(1), person=True, offset=m.start(), evidence=True)
    for off, name in person_ents:
        toks = tokens_of(name)
        if len(toks) >= 3 and re.search(r"\b(?:of|to|for|at)\s+$", view[max(0, off - 5):off]):
            # "Minister of Agriculture Jane Roe", "Ambassador to France Jane Roe": the
            # recogniser took the office's last word into the name.
            name = " ".join(toks[1:])
            off += len(toks[0]) + 1
        idx.add_form(name, person=True, offset=off)
    idx.person_positions.sort()
    # Count every occurrence of each known person's surname.
    if idx.persons:
        pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in sorted(idx.persons, key=len, reverse=True))
                             + r")\b", re.I)
        starts = [s for s, _ in exclude]
        positions = []
        for m in pattern.finditer(view):
            idx.person_counts[m.group(1).lower()] += 1
            k = bisect.bisect_right(starts, m.start()) - 1
            if k < 0 or m.start() >= exclude[k][1]:
                positions.append((m.start(), m.group(1).lower()))
        idx.person_positions = positions
    if header:
        for key in ("title", "source", "summary"):
            value = header.get(key)
            if isinstance(value, str):
                for m in _CAP_RUN.finditer(value):
                    idx.header_names.append(m.group(0))
                    _header_full_name(idx, m.group(0))
        title = header.get("title")
        if isinstance(title, str):
            title_text = re.sub(r"\s+", " ", title)
            by = _BY_AUTHOR.search(title_text)
            if by:
                words = tokens_of(re.sub(r"(?:\u2019|')s?$", "", strip_titles(by.group(1))))
                # A Title Case title runs on past the name ("Remarks by Vice President Harris
                # Highlighting …"): end the name at the last word the text itself names, if
                # it names any.
                known = [fold(bare(w)) in idx._by_folded() for w in words]
                # ... or at a Title Case verb that goes on into the title ("Harris Highlighting
                # Historic Gun Safety Measures"; "Remarks by Peyton Manning" ends at the name).
                if len(words) > 1 and words[-1].endswith("ing") and re.match(r"\s+[A-Z]", title_text[by.end(1):]):
                    words.pop()
                    known.pop()
                while len(words) > 1 and any(known) and not known[-1]:
                    words.pop()
                    known.pop()
                idx.author = " ".join(words) or None
    for m in _ACRONYM.finditer(view):
        words, acronym = m.group(1).split(), m.group(2)
        # The full name is the run of words whose initials spell the acronym.
        for k in range(len(words)):
            caps = "".join(w[0] for w in words[k:] if w[:1].isupper())
            if caps == acronym and words[k][:1].isupper():
                idx.acronyms.setdefault(acronym, " ".join(words[k:]))
                break
    # Prosecutors' releases name the defendant by what happened to them: "Marcus Hill, 29,
    # of Queens, was sentenced …", "Jane Roe pleaded guilty …" ("the defendant told the court").
    for m in _DEFENDANT.finditer(view):
        name = " ".join((m.group(1) or m.group(2)).split())
        if not any(bare(w) in NOT_NAME_WORDS or bare(w) in LEADING_WORDS for w in tokens_of(name)):
            idx.roles["defendant"].append((m.start(1), idx.fullest(name), name))
    for m in _TURN.finditer(view):
        name = strip_titles(" ".join(m.group(1).split()))
        if len(tokens_of(name)) > 1 and surname(name).lower() in idx._strong():
            if re.search(r"\s(?:of|the|for)\s", m.group(1)):
                name = surname(name)  # "President of Russia Dmitry Medvedev": the office's place is not his name
            idx.turns.append((m.start(1), idx.fullest(name)))
    for m in _ASKER.finditer(view):
        idx.turns.append((m.start(1), ""))
    idx.turns.sort()
    idx.subjects = _subjects(parsed, exclude, idx)
    lead = _title_subject(header, idx)
    if lead:
        idx.subjects.insert(0, (-1, lead))
        idx.lead_subject = lead
    return idx


_NAME_AGE = r"(" + _NAME_TOKEN + r"(?:[ \n]+" + _NAME_TOKEN + r"){1,3}),?(?:[ \n]+\d{1,3},)?"  # "Marcus Hill, 29,"
_DEFENDANT = re.compile(_NAME_AGE + r"(?:[ \n]+of[ \n]+[A-Z][\w.-]*(?:[ \n]+[A-Z][\w.-]*)*,)?[ \n]+(?:was|were|has been|"
                        r"had been)[ \n]+(?:sentenced|convicted|indicted|charged|arrested|found guilty)|"
                        + _NAME_AGE + r"[ \n]+(?:pleaded|pled)[ \n]+guilty")
#: A transcript turn: a person's name and a colon, at a line's or a sentence's start.
_TURN = re.compile(r"(?:^|(?<=[.!?\u201d\"]\s))[ \t*]*((?:(?:[A-Z][\w.\u2019'-]*|of|the|for)[ \t\n]+){1,6}[A-Z][\w\u2019'-]+)"
                   r"[ \t*]*:[ \t\n]", re.M)
#: The turn of an unnamed asker in an interview.
_ASKER = re.compile(r"(?:^|(?<=[.!?\u201d\"]\s))[ \t*]*(Question|Q|Interviewer|Journalist|Reporter)[ \t*]*:", re.M | re.I)
_ACRONYM = re.compile(r"((?:[A-Z][\w&'.-]*[ \n]+(?:(?:of|for|and|the|on)[ \n]+)*){1,8})\(([A-Z]{2,6})\)")


def _header_full_name(idx: NameIndex, run: str) -> None:
    """A headline introduces the full name that the body shortens to a surname ("Acme
    Appoints Patrick Doe as CFO" … "Doe said"): the surname and the word before it, when
    the body names that surname and the word is not a Title Case verb ("Appoints")."""
    toks = tokens_of(strip_titles(run))
    for k in range(1, len(toks)):
        sur, given = bare(toks[k]), toks[k - 1]
        if sur in idx.forms and given[:1].isupper() and not given.endswith("s") \
                and bare(given) not in NOT_NAME_WORDS and bare(given) not in HEADLINE_WORDS:
            idx.add_form(given + " " + toks[k])


def _title_subject(header: dict | None, index: NameIndex) -> str | None:
    """The person a headline or a header summary opens with ("Acting President Vladimir
    Putin proposed …", "Jane Roe Sends Greetings …"): the subject of the release's first
    sentence, which a later "he" or "his letter" points back to."""
    for key in ("title", "summary"):
        value = (header or {}).get(key)
        if not isinstance(value, str):
            continue
        value = " ".join(value.split())
        m = _CAP_RUN.match(value)
        if not m:
            continue
        name = strip_titles(m.group(0))
        if not name or bare(tokens_of(name)[-1]) in ROLE_FAMILY:
            continue  # "The Irish President sent …": a role, not a name
        # In a sentence-case headline a name followed by a lower-case verb is its subject;
        # in a Title Case one only a name known to be a person's counts.
        rest = re.findall(r"[A-Za-z]+", value[m.end():])
        sentence = (len(tokens_of(name)) > 1 and bool(rest) and rest[0].islower()
                    and sum(w[0].isupper() for w in rest) < 0.5 * len(rest)
                    and not any(bare(t) in NOT_NAME_WORDS or bare(t) in HEADLINE_WORDS for t in tokens_of(name)))
        if sentence:
            index.add_form(name, person=True, evidence=True)
        if sentence or surname(name).lower() in index._strong():
            return index.fullest(name)
    for key in ("title", "summary"):
        value = (header or {}).get(key)
        m = _ROLE_OPENING.match(" ".join(value.split())) if isinstance(value, str) else None
        if m and m.group(2).lower() in ROLE_FAMILY:
            # "The Russian President sent greetings …" names no one: the description is
            # the best the document gives (the guidelines' rule for unnamed speakers).
            return "the " + m.group(1)
    return None


_ROLE_OPENING = re.compile(r"The ((?:[A-Z][a-z]+ ){0,2}([A-Z][a-z]+)) [a-z]+(?: [a-z]+)* ")


def _subjects(parsed: Sequence[tuple[int, Doc]], exclude: Sequence[tuple[int, int]],
              index: NameIndex) -> list[tuple[int, str]]:
    """People in subject position outside the quotes, in text order: what a later
    "he said" most likely points back to."""
    starts = [a for a, _ in exclude]

    def inside(at: int) -> bool:
        k = bisect.bisect_right(starts, at) - 1
        return k >= 0 and at < exclude[k][1]

    out: list[tuple[int, str]] = []
    for lo, doc in parsed:
        for ent in doc.ents:
            if ent.label_ == "PERSON" and ent.root.dep_ in ("nsubj", "nsubjpass") \
                    and not inside(lo + ent.start_char):
                out.append((lo + ent.start_char, index.fullest(ent.text)))
        for tok in doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ in ROLE_FAMILY and not tok.ent_type_ \
                    and not inside(lo + tok.idx):
                # "The Belarusian president": the demonym picks the holder.
                hint = next((c.lower_ for c in tok.children if c.dep_ == "amod"
                             and c.lower_.endswith(DEMONYM_ENDINGS)), "")
                holder = index.role_holder(ROLE_FAMILY[tok.lower_], hint=hint)
                if holder:
                    out.append((lo + tok.idx, holder))
    out.sort()
    return out


def speaker_matches(names: Iterable[str], speaker: str | None) -> bool:
    """The `--speaker NAME` test: is `speaker` one of `names`, the same name or its last
    words (a surname: "Lukashenko", "Aleksandr Lukashenko"), whatever the case and spacing?"""
    if not speaker:
        return False
    words = normalise_field(speaker).casefold().split()
    for name in names:
        wanted = normalise_field(name).casefold().split()
        if wanted and words[-len(wanted):] == wanted:
            return True
    return False
