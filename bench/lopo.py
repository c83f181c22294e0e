#!/usr/bin/env python3
"""Leave-one-publisher-out: quotetool scored on each publisher it was not built on.

    python bench/lopo.py [--corpus GOLD.jsonl] [--shared DIR] [--by-kind] [--jobs N]
                         [--pred PRED.jsonl] [--json]

The documents are the release corpus (`corpus/`, its gold written by
`python corpus/build.py --gold corpus/gold.jsonl`, which this script runs when that file
is missing) and the releases of `../shared/eval/data` (releases_dev and releases_train,
publisher read from the id). News (PolNeAR) stays out: it is for measurement apart.

Each publisher in turn is the held-out fold. A system first sees every other publisher's
documents (`fit`), then predicts the held-out ones. For today's rules `fit` does nothing,
so the folds are the per-publisher scores of one run; a trained decision trains once per
fold. Publishers with fewer than 10 gold quotes are pooled with the others of their kind.
`--by-kind` holds out one kind at a time instead (legislator, us-government, ...): a
trained decision must also hold on a kind it has never seen.

Printed per fold: documents, gold quotes, quote precision and F1 (overlap), attribution
accuracy, end-to-end F1; then the macro average over folds (every publisher weighs the
same: the figure decisions are judged by) and the micro average (all quotes pooled).
`--json` prints {"publishers": {...}, "macro_e2e": ..., "macro": {...}, "micro": {...}}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterable

from quotetool import evaluate as ev

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "corpus" / "gold.jsonl"
DEFAULT_SHARED = REPO.parent / "shared" / "eval" / "data"
SHARED_SETS = ("releases_dev_gold.jsonl", "releases_train_gold.jsonl")
MIN_QUOTES = 10

# The publishers of ../shared's releases (named in their ids) and their kinds.
SHARED_KINDS = {
    "kremlin": "government-non-us", "kremlincsv": "government-non-us",
    "zelenskyy": "government-non-us", "uaaddr": "government-non-us",
    "wh": "us-government", "doj": "us-government",
    "senate": "legislator", "newsdirect": "company",
}


def shared_publisher(doc_id: str) -> str:
    """'dev_001_kremlin_27081' -> 'kremlin', 'doj_003_id12' -> 'doj'."""
    parts = doc_id.split("_")
    return parts[2] if parts[0] in ("dev", "train") and len(parts) > 2 else parts[0]


def load_documents(corpus: Path | None, shared: Path | None) -> dict[str, dict[str, Any]]:
    """Every gold document, keyed by id, with its `publisher` and `kind`."""
    docs: dict[str, dict[str, Any]] = {}
    if corpus is not None:
        for doc_id, d in ev.load_jsonl(str(corpus)).items():
            docs[doc_id] = d
    if shared is not None:
        for name in SHARED_SETS:
            for doc_id, d in ev.load_jsonl(str(shared / name)).items():
                pub = shared_publisher(doc_id)
                docs[doc_id] = {**d, "publisher": pub, "kind": SHARED_KINDS.get(pub, "other")}
    return docs


def folds(docs: dict[str, dict[str, Any]], by_kind: bool) -> dict[str, list[str]]:
    """Fold name -> document ids. Publishers under MIN_QUOTES gold quotes join their kind's pool."""
    key = "kind" if by_kind else "publisher"
    groups: dict[str, list[str]] = {}
    for doc_id, d in docs.items():
        groups.setdefault(d[key], []).append(doc_id)
    if by_kind:
        return dict(sorted(groups.items()))
    out: dict[str, list[str]] = {}
    for pub, ids in groups.items():
        n = sum(len(docs[i].get("quotes") or []) for i in ids)
        name = pub if n >= MIN_QUOTES else f"({docs[ids[0]]['kind']} pooled)"
        out.setdefault(name, []).extend(ids)
    return dict(sorted(out.items()))


class Fixed:
    """Predictions made beforehand, as a system: nothing to learn."""

    name = "rules"

    def __init__(self, preds: Iterable[dict[str, Any]]):
        self.preds = {p["id"]: p for p in preds}

    def fit(self, train: dict[str, dict[str, Any]]) -> None:
        pass

    def predict(self, test: dict[str, dict[str, Any]], everything: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        return [self.preds[i] for i in test if i in self.preds]


class Rules(Fixed):
    """Today's quotetool: nothing to learn, so every fold's predictions come from one run
    (made at the first fold, or read from PRED.jsonl when it covers every document)."""

    def __init__(self, jobs: int, pred_path: Path | None):
        super().__init__(())
        self.jobs, self.pred_path = jobs, pred_path

    def predict(self, test: dict[str, dict[str, Any]], everything: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        if not self.preds:
            self.preds = self._load_or_run(everything)
        return super().predict(test, everything)

    def _load_or_run(self, docs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        if self.pred_path is not None and self.pred_path.is_file():
            preds = ev.load_jsonl(str(self.pred_path))
            if set(docs) <= set(preds):
                return dict(preds)
        plain = {i: {"id": i, "text": d["text"], "quotes": d.get("quotes") or []} for i, d in docs.items()}
        preds, failures = ev.predict(plain, n_process=self.jobs)
        for f in failures:
            print(f"lopo: error: {f.id}: {f.reason}", file=sys.stderr)
        if self.pred_path is not None:
            with self.pred_path.open("w", encoding="utf-8") as fh:
                for p in preds:
                    fh.write(json.dumps(p, ensure_ascii=False) + "\n")
        return {p["id"]: p for p in preds}


def figures(res: dict[str, Any], docs: Iterable[str]) -> dict[str, Any]:
    q, e = res["quote_overlap"], res["end_to_end"]
    return {"docs": len(list(docs)), "quotes": q["n_gold"], "quote_precision": q["precision"],
            "quote_f1": q["f1"], "attribution": res["attribution"]["accuracy"], "end_to_end": e["f1"]}


METRICS = ("quote_precision", "quote_f1", "attribution", "end_to_end")


def run(docs: dict[str, dict[str, Any]], system: Any, by_kind: bool) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    all_preds: list[dict[str, Any]] = []
    for name, ids in folds(docs, by_kind).items():
        held = {i: docs[i] for i in ids}
        system.fit({i: d for i, d in docs.items() if i not in held})
        preds = system.predict(held, docs)
        all_preds.extend(preds)
        kinds = sorted({d["kind"] for d in held.values()})
        rows[name] = {"kind": "/".join(kinds), **figures(ev.evaluate(held, preds).to_dict(), ids)}
    macro = {m: round(statistics.fmean(r[m] for r in rows.values()), 4) for m in METRICS}
    micro = figures(ev.evaluate(docs, all_preds).to_dict(), docs)
    return {"system": system.name, "held_out": "kind" if by_kind else "publisher",
            "publishers": rows, "macro_e2e": macro["end_to_end"], "macro": macro, "micro": micro}


def print_table(out: dict[str, Any]) -> None:
    head = "kind" if out["held_out"] == "kind" else "publisher"
    print(f"{head:<26} {'kind':<20} {'docs':>5} {'quotes':>6} {'quote P':>8} {'quote F1':>8} "
          f"{'attrib.':>8} {'e2e F1':>7}")

    def line(name: str, kind: str, r: dict[str, Any]) -> None:
        docs = "" if r.get("docs") is None else r["docs"]
        quotes = "" if r.get("quotes") is None else r["quotes"]
        print(f"{name:<26} {kind:<20} {docs:>5} {quotes:>6} {r['quote_precision']:>8.3f} "
              f"{r['quote_f1']:>8.3f} {r['attribution']:>8.3f} {r['end_to_end']:>7.3f}")

    for name, r in out["publishers"].items():
        line(name, r["kind"] if head == "publisher" else "", r)
    print("-" * 92)
    line(f"macro ({len(out['publishers'])} folds)", "", out["macro"])
    line("micro", "", out["micro"])


def ensure_corpus_gold(path: Path) -> None:
    if path.is_file() or path != DEFAULT_CORPUS:
        return
    print(f"lopo: {path} missing; running corpus/build.py --gold {path}", file=sys.stderr)
    subprocess.run([sys.executable, str(REPO / "corpus" / "build.py"), "--gold", str(path)], check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="the corpus gold (default: %(default)s, built when missing)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="folder with releases_dev_gold.jsonl and releases_train_gold.jsonl "
                         "(default: %(default)s)")
    ap.add_argument("--no-corpus", action="store_true", help="leave the corpus out")
    ap.add_argument("--no-shared", action="store_true", help="leave ../shared's releases out")
    ap.add_argument("--by-kind", action="store_true", help="hold out one kind of publisher at a time")
    ap.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    ap.add_argument("--pred", type=Path, metavar="PRED.jsonl",
                    help="keep the rules' predictions here, and reuse them if they cover every document")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)

    corpus = None if args.no_corpus else args.corpus
    shared = None if args.no_shared else args.shared
    if shared is not None and not all((shared / name).is_file() for name in SHARED_SETS):
        print(f"lopo: error: {shared}: no {' and '.join(SHARED_SETS)} there "
              "(give --shared DIR, or --no-shared for the corpus alone)", file=sys.stderr)
        return 1
    try:
        if corpus is not None:
            ensure_corpus_gold(corpus)
        docs = load_documents(corpus, shared)
    except (ev.EvaluationError, OSError, subprocess.CalledProcessError) as e:
        print(f"lopo: error: {e}", file=sys.stderr)
        return 1
    if not docs:
        print("lopo: error: no documents", file=sys.stderr)
        return 1
    out = run(docs, Rules(args.jobs, args.pred), args.by_kind)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print_table(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
