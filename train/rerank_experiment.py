#!/usr/bin/env python3
"""Experiment (issue 17, not shipped): can a decision learned across publishers beat the
rules at naming the speaker? Sieves propose, a ranker decides, leave-one-publisher-out.

    python train/rerank_experiment.py [--model gbm|logit] [--trace TRACE.jsonl] [--json]

1. Trace: quotetool runs as today (same quotes, same rule decisions); for every quote it
   keeps, every speaker that a cue sieve, a fallback or a document-level source (the
   previous speaker, the main person, the lead subject, the author, the transcript turn,
   the person named last before the quote, first in its paragraph, first after it, and
   nobody) would propose is a candidate, with features: which sources proposed it, the
   kind of the cue, whether the rules chose it (and by which sieve), how often and where
   the name occurs, whether it is in the title or header. `--trace` keeps this (a minute).
2. Rank: per held-out publisher (`bench/lopo.py`'s folds), a ranker trained on the other
   publishers' quotes (a candidate is right when the reference scorer's speaker test says
   so) picks one candidate per quote; the rules' quotes and everything else stay.
   `--model gbm`: LightGBM's lambdarank (pip install lightgbm); `--model logit`: a
   conditional logit (softmax over a quote's candidates) in numpy.

Prints the rules' and the ranker's leave-one-publisher-out figures per publisher and the
macro average. Nothing here changes what quotetool does.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import lopo  # noqa: E402

from quotetool import cues as cue_sieves  # noqa: E402
from quotetool import evaluate as ev  # noqa: E402
from quotetool import speakers  # noqa: E402
from quotetool.context import build_contexts  # noqa: E402
from quotetool.cues import NO_CUE, Kind, find_cue  # noqa: E402
from quotetool.names import build_index, surname  # noqa: E402
from quotetool.resolve import Scene, resolve  # noqa: E402

_TRACE: dict[str, list[dict[str, Any]]] = {}
_RULES = speakers.attribute


def _norm(s: str | None) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", (s or "").lower()))


def _traced_attribute(plan, docs, id, encoding):
    """`speakers.attribute`, plus every quote's candidates in _TRACE[id]."""
    out = _RULES(plan, docs, id, encoding)
    contexts = build_contexts(plan, docs)
    index = build_index(plan.view, plan.release.header, list(zip((lo for lo, _ in plan.segments), docs)),
                        exclude=[(q.open_mark, q.end) for q in plan.spans])
    cues = [find_cue(ctx) if ctx.doc is not None else NO_CUE for ctx in contexts]
    state = speakers.AttributionState(index, contexts, cues, plan.view,
                                      next_cued=speakers._next_cued(contexts, cues))
    kept = {q.start: q for q in out.quotes}
    main = index.main_person()
    header_names = {_norm(surname(h)) for h in index.header_names}
    title = (plan.release.header or {}).get("title") or plan.text.split("\n", 1)[0]
    records = []
    for ctx, cue in zip(contexts, cues):
        q = kept.get(ctx.span.start)
        scene = Scene(ctx.span.open_mark, state.previous if state.near(ctx) else None, state.previous_at)
        cands: dict[str, dict[str, Any]] = {}

        def add(name: str | None, source: str) -> None:
            cands.setdefault(_norm(name) if name else "<none>", {"name": name, "sources": []})["sources"].append(source)

        first = True
        if ctx.doc is not None:
            for sieve in cue_sieves.CUE_SIEVES:
                found = sieve(ctx)
                if found is not None and found.kind is not Kind.NONE:
                    who = resolve(found, index, scene)
                    add(who, "cue:" + sieve.__name__)
                    add(who, "cuekind:" + found.kind.value)
                    if first:
                        add(who, "first_cue")
                        first = False
        for name, fallback in speakers.FALLBACK_SIEVES:
            said = fallback(state, ctx)
            if said is not None:
                add(said.speaker, "fb:" + name)
        for source, who in (("ctx:previous", state.previous), ("ctx:main", main), ("ctx:lead", index.lead_subject),
                            ("ctx:author", index.fullest(index.author) if index.author else None),
                            ("ctx:nearest_before", index.nearest_person(ctx.span.open_mark)),
                            ("ctx:first_in_para", index.first_person_between(ctx.para_start, ctx.span.open_mark)),
                            ("ctx:first_after", index.first_person_between(ctx.span.end, ctx.span.end + 300)),
                            ("ctx:turn", index.turn_before(ctx.span.open_mark))):
            if who:
                add(who, source)
        add(None, "ctx:none")
        if q is not None:
            add(q.speaker, "rule")
            records.append({"start": q.start, "end": q.end, "rule": q.speaker, "source": q.speaker_source,
                            "cands": [{"name": c["name"], "f": _features(c, ctx, cue, q, index, state, main,
                                                                         header_names, title, plan.view)}
                                      for c in cands.values()]})
            # the rules' own progression, as attribute() makes it
            if cue.kind is not Kind.NONE:
                state.cued_para = ctx.span.paragraph
            if q.speaker:
                state.previous, state.previous_para, state.previous_at = q.speaker, ctx.span.paragraph, ctx.span.open_mark
    _TRACE[id] = records
    return out


def _features(c, ctx, cue, q, index, state, main, header_names, title, view) -> dict[str, float]:
    name = c["name"]
    f = {s: 1.0 for s in c["sources"]}
    f["n_sources"] = float(len(c["sources"]))
    f["is_none"] = 1.0 if name is None else 0.0
    if name:
        sur = surname(name)
        before = view.rfind(sur, 0, ctx.span.open_mark)
        after = view.find(sur, ctx.span.end)
        first_seen = view.find(sur)
        f.update({
            "is_person": 1.0 if index.is_person(name) else 0.0,
            "log_count": math.log1p(index.person_counts.get(sur.lower(), 0)),
            "in_header": 1.0 if _norm(sur) in header_names else 0.0,
            "in_title": 1.0 if sur in title else 0.0,
            "n_tokens": min(len(name.split()), 6) / 6,
            "lower_first": 0.0 if name[:1].isupper() else 1.0,
            "digit_or_punct": 1.0 if re.search(r"[0-9:—–(),]", name) else 0.0,
            "near_before": 1.0 / (1 + (ctx.span.open_mark - before) / 100) if before >= 0 else 0.0,
            "near_after": 1.0 / (1 + (after - ctx.span.end) / 100) if after >= 0 else 0.0,
            "in_para_before": 1.0 if before >= ctx.para_start else 0.0,
            "first_seen": 1.0 / (1 + first_seen / 500) if first_seen >= 0 else 0.0,
            "is_main": 1.0 if main and _norm(name) == _norm(main) else 0.0,
            "is_previous": 1.0 if state.previous and _norm(name) == _norm(state.previous) else 0.0,
        })
    sign = 1.0 if name is None else -1.0  # quote traits, so that they can move "nobody"
    f["q_short"] = sign * (1.0 if len(ctx.words.split()) <= 4 else 0.0)
    f["q_opens_paragraph"] = sign * (1.0 if ctx.opens_paragraph else 0.0)
    f["q_spoken"] = 1.0 if ctx.spoken else 0.0
    chosen = 1.0 if "rule" in c["sources"] else 0.0
    f["rule_source:" + q.speaker_source] = chosen
    f["rule_x_cue_kind:" + cue.kind.value] = chosen
    f["rule_x_transcript"] = chosen * (1.0 if index.turns else 0.0)
    return f


def trace(docs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    speakers.attribute = _traced_attribute
    try:
        plain = {i: {"id": i, "text": d["text"], "quotes": []} for i, d in docs.items()}
        preds, _ = ev.predict(plain, n_process=1)
    finally:
        speakers.attribute = _RULES
    return {p["id"]: {"id": p["id"], "pred": p, "quotes": _TRACE.get(p["id"], [])} for p in preds}


class Items:
    """Every traced quote as a candidate matrix, with labels where a gold quote matches."""

    def __init__(self, docs: dict[str, dict[str, Any]], traced: dict[str, dict[str, Any]]):
        self.traced = traced
        names = sorted({k for t in traced.values() for q in t["quotes"] for c in q["cands"] for k in c["f"]})
        col = {k: i for i, k in enumerate(names)}
        self.by_doc: dict[str, list[dict[str, Any]]] = {}
        self.covered = self.rule_right = self.matched = 0
        for doc_id, t in traced.items():
            # the reference scorer's one-to-one matching of the rules' quotes to the gold
            (result,) = ev.evaluate({doc_id: docs[doc_id]}, [t["pred"]]).documents
            gold_of = {pi: result.golds[gi] for gi, pi, _, _ in result.pairs}
            for qi, q in enumerate(t["quotes"]):
                X = np.zeros((len(q["cands"]), len(names)))
                for j, c in enumerate(q["cands"]):
                    for k, v in c["f"].items():
                        X[j, col[k]] = v
                g = gold_of.get(qi)
                y = None
                if g is not None and not g.get("speaker_unscorable"):
                    y = np.array([1.0 if ev.speaker_correct(g.get("speaker"), c["name"]) else 0.0 for c in q["cands"]])
                    self.matched += 1
                    self.covered += int(y.max() > 0)
                    self.rule_right += int(ev.speaker_correct(g.get("speaker"), q["rule"]))
                self.by_doc.setdefault(doc_id, []).append({"qi": qi, "X": X, "y": y, "names": [c["name"] for c in q["cands"]]})

    def training(self, ids) -> list[dict[str, Any]]:
        return [it for i in ids for it in self.by_doc.get(i, []) if it["y"] is not None and it["y"].max() > 0]


class Ranker:
    """A `lopo` system: fit on the other publishers' quotes, pick one candidate per quote."""

    def __init__(self, items: Items, model: str):
        self.items, self.model = items, model

    @property
    def name(self) -> str:
        return "ranker-" + self.model

    def fit(self, train: dict[str, dict[str, Any]]) -> None:
        data = self.items.training(train)
        X = np.vstack([it["X"] for it in data])
        if self.model == "gbm":
            import lightgbm as lgb

            self.m = lgb.LGBMRanker(n_estimators=200, learning_rate=0.05, num_leaves=15, min_child_samples=20,
                                    subsample=0.8, subsample_freq=1, colsample_bytree=0.8, random_state=16,
                                    deterministic=True, force_row_wise=True, verbose=-1, n_jobs=2)
            self.m.fit(X, np.concatenate([it["y"] for it in data]), group=[len(it["y"]) for it in data])
            self.score = self.m.predict
        else:
            w = _conditional_logit(data, X)
            self.score = lambda M: M @ w

    def predict(self, test: dict[str, dict[str, Any]], everything: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        """A document's quotes in order: where the ranker keeps a continuation the rules gave
        to the previous speaker, it goes to the ranker's own previous choice instead."""
        out = []
        for doc_id in test:
            p = copy.deepcopy(self.items.traced[doc_id]["pred"])
            quotes = self.items.traced[doc_id]["quotes"]
            previous = None
            for it in self.items.by_doc.get(doc_id, []):
                q = quotes[it["qi"]]
                pick = it["names"][int(np.argmax(self.score(it["X"])))]
                if q["source"] == "continuation" and _norm(pick) == _norm(q["rule"]) and previous is not None:
                    pick = previous
                p["quotes"][it["qi"]]["speaker"] = pick
                previous = pick or previous
            out.append(p)
        return out


def _conditional_logit(data: list[dict[str, Any]], X: np.ndarray, l2: float = 1e-2, steps: int = 400) -> np.ndarray:
    """Softmax over each quote's candidates, L2-regularised, fitted with Adam."""
    sizes = np.array([len(it["y"]) for it in data])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group = np.repeat(np.arange(len(data)), sizes)
    target = np.concatenate([it["y"] / it["y"].sum() for it in data])
    w, m, v = (np.zeros(X.shape[1]) for _ in range(3))
    for t in range(1, steps + 1):
        s = X @ w
        e = np.exp(s - np.maximum.reduceat(s, starts)[group])
        p = e / np.add.reduceat(e, starts)[group]
        grad = X.T @ (p - target) / len(data) + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= 0.05 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=lopo.DEFAULT_CORPUS)
    ap.add_argument("--shared", type=Path, default=lopo.DEFAULT_SHARED)
    ap.add_argument("--model", choices=("gbm", "logit"), default="gbm")
    ap.add_argument("--trace", type=Path, metavar="TRACE.jsonl", help="keep the trace here, and reuse it")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    lopo.ensure_corpus_gold(args.corpus)
    docs = lopo.load_documents(args.corpus, args.shared)
    if args.trace and args.trace.is_file():
        traced = {json.loads(line)["id"]: json.loads(line) for line in args.trace.open(encoding="utf-8")}
    else:
        traced = trace(docs)
        if args.trace:
            with args.trace.open("w", encoding="utf-8") as f:
                for t in traced.values():
                    f.write(json.dumps(t, ensure_ascii=False) + "\n")
    items = Items(docs, traced)
    rules = lopo.run(docs, lopo.Fixed(t["pred"] for t in traced.values()), by_kind=False)
    ranked = lopo.run(docs, Ranker(items, args.model), by_kind=False)
    if args.json:
        print(json.dumps({"rules": rules, "ranker": ranked}, indent=2))
        return 0
    print(f"quotes matched to gold: {items.matched}; the rules name the gold speaker for {items.rule_right} "
          f"({items.rule_right / items.matched:.3f}); a candidate does for {items.covered} "
          f"({items.covered / items.matched:.3f})")
    print(f"{'publisher':<28} {'rules e2e':>9} {'ranker e2e':>10} {'Δ':>7}")
    for k, r in rules["publishers"].items():
        a = ranked["publishers"][k]["end_to_end"]
        print(f"{k:<28} {r['end_to_end']:>9.3f} {a:>10.3f} {a - r['end_to_end']:>+7.3f}")
    print(f"{'macro':<28} {rules['macro_e2e']:>9.3f} {ranked['macro_e2e']:>10.3f} "
          f"{ranked['macro_e2e'] - rules['macro_e2e']:>+7.3f}")
    print(f"{'micro':<28} {rules['micro']['end_to_end']:>9.3f} {ranked['micro']['end_to_end']:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
