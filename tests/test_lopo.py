"""bench/lopo.py: folds, pooling, averages, and a real run of the rules on invented releases."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lopo", REPO / "bench" / "lopo.py")
lopo = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lopo)


def _doc(doc_id: str, publisher: str, kind: str, n_quotes: int) -> dict:
    text = "Title\n2024-01-01\n\n" + " ".join(f"“Point {i} stands,” said Jane Roe." for i in range(n_quotes)) + "\n"
    quotes, pos = [], 0
    for i in range(n_quotes):
        start = text.index(f"Point {i} stands,", pos)
        pos = start + len(f"Point {i} stands,")
        quotes.append({"start": start, "end": pos, "speaker": "Jane Roe"})
    return {"id": doc_id, "text": text, "quotes": quotes, "publisher": publisher, "kind": kind}


def test_shared_ids_name_their_publisher():
    assert lopo.shared_publisher("dev_001_kremlin_27081") == "kremlin"
    assert lopo.shared_publisher("train_012_wh_briefing") == "wh"
    assert lopo.shared_publisher("doj_003_id12") == "doj"
    assert lopo.shared_publisher("newsdirect_7") == "newsdirect"


def test_small_publishers_are_pooled_by_kind_and_kinds_fold_whole():
    docs = {d["id"]: d for d in [
        _doc("a1", "acme", "company", 6), _doc("a2", "acme", "company", 6),
        _doc("b1", "bolt", "company", 3),                      # under 10 quotes: pooled
        _doc("c1", "city", "government", 4), _doc("c2", "town", "government", 2)]}
    assert lopo.folds(docs, by_kind=False) == {
        "(company pooled)": ["b1"], "(government pooled)": ["c1", "c2"], "acme": ["a1", "a2"]}
    assert lopo.folds(docs, by_kind=True) == {"company": ["a1", "a2", "b1"], "government": ["c1", "c2"]}


class Echo:
    """A system that predicts the gold, except that it names nobody for one publisher."""

    name = "echo"

    def __init__(self, blind: str):
        self.blind, self.seen = blind, []

    def fit(self, train):
        self.seen.append(sorted({d["publisher"] for d in train.values()}))

    def predict(self, test, everything):
        return [{"id": i, "quotes": [{**q, "speaker": None if d["publisher"] == self.blind else q["speaker"]}
                                     for q in d["quotes"]]} for i, d in test.items()]


def test_each_fold_trains_without_its_publisher_and_the_macro_weighs_folds_alike():
    docs = {d["id"]: d for d in [_doc("a1", "acme", "company", 30), _doc("b1", "bolt", "company", 10)]}
    system = Echo(blind="bolt")
    out = lopo.run(docs, system, by_kind=False)
    assert system.seen == [["bolt"], ["acme"]]                     # the held-out one is never seen
    assert out["publishers"]["acme"]["end_to_end"] == 1.0
    assert out["publishers"]["bolt"]["end_to_end"] == 0.0
    assert out["macro_e2e"] == 0.5                                 # each publisher weighs the same
    assert out["micro"]["end_to_end"] == pytest.approx(0.75)       # 30 of 40 quotes
    assert out["micro"]["quotes"] == 40 and out["micro"]["docs"] == 2


def test_the_rules_run_for_real_and_json_has_the_documented_keys(tmp_path):
    gold = tmp_path / "gold.jsonl"
    release = ("Harbor Board Opens New Pier\n2024-05-02\n\n"
               "The Harbor Board opened its new pier on Friday.\n\n"
               "“This pier will serve the town for fifty years,” said board chair Ana Ruiz.\n")
    start = release.index("This pier")
    end = release.index("years,") + len("years,")
    doc = {"id": "harbor_001", "publisher": "harbor", "kind": "ngo", "text": release,
           "quotes": [{"start": start, "end": end, "speaker": "Ana Ruiz"}]}
    gold.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "lopo.py"), "--corpus", str(gold),
                           "--no-shared", "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) >= {"publishers", "macro_e2e", "macro", "micro"}
    assert list(out["publishers"]) == ["(ngo pooled)"]             # one quote: pooled by kind
    assert out["macro_e2e"] == 1.0


def test_missing_shared_sets_are_one_clear_error(tmp_path):
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "lopo.py"), "--no-corpus",
                           "--shared", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith(f"lopo: error: {tmp_path}: no releases_dev_gold.jsonl")
