"""The model's attribute ruler (tag -> POS map and its exceptions), applied by table look-up.

spaCy's AttributeRuler runs a Matcher with every rule at every token: a twentieth of a
run's time, though almost all of its rules look at one token only, and a token's
(tag, lower-case form, dependency, is-space) decides which of them match. `PosRules`
works out, once per distinct token of that kind, the attributes the matching rules set,
in the ruler's order (later rules win); rules over several tokens (one in
en_core_web_sm: "there *is*") are matched as the ruler matches them. Every token comes out
with the same attributes as from the ruler (see tests/test_batch.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

# The token attributes the model's rules test, as the Matcher reads them: the key a token's
# single-token rules are looked up by. A rule testing anything else leaves the ruler as it is.
_GETTERS: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
}


def _predicate(spec: dict[str, Any]) -> Callable[[Token], bool] | None:
    """One token's part of a rule, or None if it uses something this module doesn't know."""
    tests: list[Callable[[Token], bool]] = []
    for attr, want in spec.items():
        get = _GETTERS.get(attr)
        if get is None:
            return None
        if isinstance(want, dict):
            if set(want) == {"IN"}:
                tests.append(_member(get, frozenset(want["IN"]), True))
            elif set(want) == {"NOT_IN"}:
                tests.append(_member(get, frozenset(want["NOT_IN"]), False))
            else:
                return None
        else:
            tests.append(_member(get, frozenset([want]), True))
    return lambda t: all(test(t) for test in tests)


def _member(get: Callable[[Token], Any], values: frozenset[Any], inside: bool) -> Callable[[Token], bool]:
    return lambda t: (get(t) in values) is inside


class PosRules:
    """A drop-in for an AttributeRuler whose rules it can read; `compile` says if it can."""

    def __init__(self, name: str = "attribute_ruler") -> None:
        self.name = name
        self.multi: list[tuple[int, list[Callable[[Token], bool]], int]] = []  # (rule, tests, index)
        self.attrs: list[dict[int, int]] = []
        self.cache: dict[tuple[str, str, str, bool], dict[int, int]] = {}
        # The single-token rules by the word or tag they need, so that a token new to the
        # cache is tested against a handful of rules, not all of them.
        self.by_lower: dict[str, list[tuple[int, Callable[[Token], bool]]]] = {}
        self.by_tag: dict[str, list[tuple[int, Callable[[Token], bool]]]] = {}
        self.others: list[tuple[int, Callable[[Token], bool]]] = []

    def compile(self, ruler: Any) -> bool:
        """Take the rules of `ruler` (an AttributeRuler); False if one is of a kind not handled."""
        for k, rule in enumerate(ruler.patterns):
            for pattern in rule["patterns"]:
                tests = [_predicate(spec) for spec in pattern]
                if not tests or any(t is None for t in tests):
                    return False
                if len(tests) == 1:
                    self._index(k, pattern[0], tests[0])  # type: ignore[arg-type]
                else:
                    self.multi.append((k, tests, rule.get("index", 0)))  # type: ignore[arg-type]
        self.attrs = list(ruler.attrs)
        return True

    def _index(self, k: int, spec: dict[str, Any], test: Callable[[Token], bool]) -> None:
        for attr, table in (("LOWER", self.by_lower), ("TAG", self.by_tag)):
            want = spec.get(attr)
            if isinstance(want, str):
                table.setdefault(want, []).append((k, test))
                return
            if isinstance(want, dict) and set(want) == {"IN"}:
                for value in want["IN"]:
                    table.setdefault(value, []).append((k, test))
                return
        self.others.append((k, test))

    def _merged(self, token: Token, extra: Iterable[int] = ()) -> dict[int, int]:
        candidates = (*self.by_lower.get(token.lower_, ()), *self.by_tag.get(token.tag_, ()), *self.others)
        rules = sorted({k for k, test in candidates if test(token)} | set(extra))
        out: dict[int, int] = {}
        for k in rules:
            out.update(self.attrs[k])
        return out

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, list[int]] = {}
        for k, tests, index in self.multi:
            n = len(tests)
            for i in range(len(doc) - n + 1):
                if all(test(doc[i + j]) for j, test in enumerate(tests)):
                    target = i + (index if index >= 0 else n + index)
                    extra.setdefault(target, []).append(k)
        cache = self.cache
        for token in doc:
            if token.i in extra:
                attrs = self._merged(token, extra[token.i])
            else:
                key = (token.tag_, token.lower_, token.dep_, token.is_space)
                attrs = cache.get(key)  # type: ignore[assignment]
                if attrs is None:
                    attrs = cache[key] = self._merged(token)
            if attrs:
                set_token_attrs(token, attrs)
        return doc


@Language.factory("quotetool_pos_rules")
def _make(nlp: Language, name: str) -> PosRules:
    return PosRules(name)


def install(nlp: Language) -> bool:
    """Put a PosRules in place of `nlp`'s attribute ruler, if it has one whose rules it reads."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    rules = PosRules()
    if not rules.compile(nlp.get_pipe("attribute_ruler")):
        return False
    new = nlp.replace_pipe("attribute_ruler", "quotetool_pos_rules")
    assert isinstance(new, PosRules)
    new.__dict__.update(rules.__dict__, name=new.name)
    return True
