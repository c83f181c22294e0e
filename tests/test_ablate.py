"""bench/ablate.py: a sieve taken out for one run, and put back after it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
_spec = importlib.util.spec_from_file_location("ablate", REPO / "bench" / "ablate.py")
ablate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ablate)
sys.path.remove(str(REPO / "bench"))

from quotetool import cues  # noqa: E402

RELEASE = ("Harbor Board Opens New Pier\n2024-05-02\n\nThe Harbor Board opened its new pier on Friday.\n\n"
           "The crowd was large. “This pier will serve the town for fifty years,” said Ana Ruiz, the chair.\n")


def _docs() -> dict:
    start = RELEASE.index("This pier")
    end = RELEASE.index("years,") + len("years,")
    return {"harbor_001": {"id": "harbor_001", "publisher": "harbor", "kind": "ngo", "text": RELEASE,
                           "quotes": [{"start": start, "end": end, "speaker": "Ana Ruiz"}]}}


def test_every_registry_is_listed_by_sieve_name():
    names = ablate.ablations()
    assert ("CUE_SIEVES", "right_verb") in names and ("DROP_SIEVES", "scare_quote") in names
    assert ("FALLBACK_SIEVES", "continuation") in names
    assert len(names) == len(set(names))


def test_a_run_without_the_right_verb_sieve_loses_the_speaker_and_puts_it_back():
    before = cues.CUE_SIEVES
    ablate._init(_docs())
    _, full = ablate.score(None)
    _, without = ablate.score(("CUE_SIEVES", "right_verb"))
    assert full["macro_e2e"] == 1.0
    assert without["macro_e2e"] < 1.0        # “…,” said Ana Ruiz is the right-verb sieve's
    assert cues.CUE_SIEVES is before          # the registry is restored
