"""Turn a cue's mention into a speaker's name: one function per kind of mention.

A proper name becomes its fullest form in the document, a role noun the person
holding that role, a pronoun the nearest fitting person, a message its sender.
`resolve` dispatches on the cue's `Kind` through `RESOLVERS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .cues import Cue, Kind
from .lexicon import DEMONYM_ENDINGS, FIRST_PERSON, GROUP_PRONOUNS, INSTITUTION_NOUNS, ROLE_FAMILY
from .names import NameIndex, strip_titles, surname


@dataclass(frozen=True)
class Scene:
    """Where a quote is and who spoke just before it."""

    at: int  # the quote's opening mark
    previous: str | None  # the speaker of the previous quote nearby, if any
    previous_at: int = -1  # where that quote was


Resolver = Callable[[Cue, NameIndex, Scene], str | None]


def _name(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    if not cue.name:
        return None
    return index.fullest(strip_titles(cue.name) or cue.name)


def _label(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    if not cue.name:
        return None
    name = strip_titles(cue.name) or cue.name
    if not surname(name)[:1].isupper():
        return cue.name  # "Channel nine news:" is the label as written
    return index.fullest(name)


def _org(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    if not cue.name:
        return None
    bare_name = re.sub(r"^(?:the|The)\s+", "", cue.name)
    if bare_name in index.acronyms:
        return index.acronyms[bare_name]  # "the GAO" -> Government Accountability Office
    # The entity recogniser sometimes calls a person an organisation ("Ms Jones").
    if surname(cue.name).lower() in index.persons:
        return index.fullest(cue.name)
    return cue.name


def _pronoun(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    low = (cue.mention or "he").lower()
    if low in FIRST_PERSON:
        # "I" in a transcript is whoever has the turn; elsewhere the document's speaker.
        return index.turn_before(scene.at) or index.main_person() or scene.previous
    if low == "you" and index.turns:
        # In an interview "you" is the one who answers next, when someone else asks.
        answer = index.turn_after(scene.at)
        if answer and answer != index.turn_before(scene.at):
            return answer
    if low in GROUP_PRONOUNS:
        return None  # a group, the listener or "it is said": no one person to name
    # "he" is the latest person in subject position: the previous quote's speaker,
    # unless someone else was the subject of a sentence since.
    subject = index.subject_before(scene.at)
    if scene.previous and (subject is None or scene.previous_at >= subject[0]):
        return scene.previous
    if subject is not None:
        return subject[1]
    return scene.previous or index.nearest_person(scene.at) or index.main_person()


def _quoted(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    """"I'm quoting him": the person named last before the quote who is not the one
    quoting ("listen to Bob Dole's words … I'm quoting him"), else as for "he"."""
    named = index.nearest_person(scene.at, besides=scene.previous)
    return named or _pronoun(Cue(kind=Kind.PRONOUN, mention="he"), index, scene)


def _author(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    """"The message reads:": the header's author, else the person in subject position
    since the previous quote ("Jane Roe sent greetings to …"), else the first person named
    since then (a lead names the sender first), else the document's main person."""
    if index.author:
        return index.fullest(index.author)
    subject = index.subject_before(scene.at)
    if subject is not None and subject[0] >= scene.previous_at and index.is_person(subject[1]):
        return subject[1]
    return index.first_person_between(scene.previous_at, scene.at) or index.main_person()


def _role(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    if not cue.mention:
        return None
    words = re.findall(r"[a-z.-]+", cue.mention.lower().replace("\u2019s", ""))
    family = next((ROLE_FAMILY[w] for w in reversed(words) if w in ROLE_FAMILY), None)
    if "head" in words and "state" in words:
        family = "president"
    if family == "president" and "vice" in words:
        family = "vice president"
    if family:
        hint = next((w for w in words if w.endswith(DEMONYM_ENDINGS) and w != "an"), "")
        holder = index.role_holder(family, hint=hint, before=scene.at)
        if holder is None and family == "president":
            holder = index.main_person()
        if holder:
            return holder
        if len(words) <= 3 and words[:1] == ["the"]:
            return cue.mention  # "the mayor" whom the text never names: the description it gives
    if words and words[-1] in INSTITUTION_NOUNS:
        # "the union said": the organisation that spoke last, else the institution as the
        # text calls it; never a person in play.
        if scene.previous and not index.is_person(scene.previous):
            return scene.previous
        return cue.mention
    if re.search(r"\w(?:\u2019|')s\s", cue.mention):
        return cue.mention  # "the victim's mother": someone else's relation, described, not in play
    if words and words[0] in ("the", "this", "that") and not words[-1].endswith("s"):
        # "the former board member": a definite description of someone already in play.
        return scene.previous or index.main_person() or cue.mention
    return cue.mention


def _group(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    """A group or a document speaks as described: "the Irish", "the indictment"."""
    return cue.name


RESOLVERS: dict[Kind, Resolver] = {
    Kind.GROUP: _group,
    Kind.DOCUMENT: _group,
    Kind.NAME: _name,
    Kind.LABEL: _label,
    Kind.ORG: _org,
    Kind.PRONOUN: _pronoun,
    Kind.QUOTED: _quoted,
    Kind.AUTHOR: _author,
    Kind.ROLE: _role,
}


def resolve(cue: Cue, index: NameIndex, scene: Scene) -> str | None:
    """The speaker a cue's mention names, or None."""
    resolver = RESOLVERS.get(cue.kind)
    return resolver(cue, index, scene) if resolver is not None else None
