#!/usr/bin/env python3
"""Run quotetool on a gold JSONL file and print its accuracy and speed.

    python bench/accuracy.py GOLD.jsonl [--confident-speakers-only] [--jobs N] [--model NAME]
                             [--out PRED.jsonl] [--errors N] [--json] [--scorer PATH]

The gold file holds one {"id", "text", "quotes": [...]} document per line (the
evaluation format: see README.md, "Evaluation"). Every gold text goes through
`quotetool.pipeline.extract_many` with its id kept, and the predictions are scored by
`quotetool.evaluate` (what `quotetool evaluate GOLD.jsonl` prints, whose figures equal the
reference scorer's). `--out` keeps the predictions as JSONL.

`--scorer PATH` also runs another scorer script (such as the reference scorer,
../shared/eval/score.py) on the same predictions, prints its figures too, and exits 2 if
they differ from quotetool's.

Printed: quote P/R/F1 (overlap >= 0.5, and exact), attribution accuracy on the matched
quotes, end-to-end P/R/F1 (quote matched and speaker right), elapsed time and words/s.
The exit status is 0 even when the scores are low; 1 if a document failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from quotetool import evaluate as ev

REPO = Path(__file__).resolve().parent.parent
FIGURES = ("quote_overlap", "quote_exact", "attribution", "end_to_end")


def run_extractor(gold_docs: dict[str, dict[str, Any]], jobs: int, model: str | None) -> dict[str, Any]:
    """Extract from every gold text (ids kept); return the predictions, timings and failures."""
    from quotetool import pipeline

    t0 = time.perf_counter()
    pipeline.load_nlp(model)  # timed apart: a one-off cost, not throughput
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds, failures = ev.predict(gold_docs, model=model, n_process=jobs)
    return {"load": t_load, "elapsed": time.perf_counter() - t0, "preds": preds, "failures": failures,
            "quotes": sum(len(p["quotes"]) for p in preds)}


def external_score(scorer: Path, gold: Path, pred: Path, confident_only: bool) -> dict[str, Any]:
    """Another scorer script's --json figures on the same files."""
    cmd = [sys.executable, str(scorer), str(gold), str(pred), "--json"]
    if confident_only:
        cmd.append("--confident-speakers-only")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"accuracy: the scorer failed ({' '.join(cmd)}):\n{proc.stderr}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


_PUBLISHER = re.compile(r"^(?:(?:dev|train|test)_\d+_)?([a-z]+)")


def publisher(doc_id: str) -> str:
    """The publisher an evaluation id names: 'dev_001_kremlin_27081' -> 'kremlin',
    'doj_003_id12' -> 'doj'; ids of no known shape give 'other'."""
    m = _PUBLISHER.match(doc_id)
    return m.group(1) if m else "other"


def by_source(gold_docs: dict[str, dict[str, Any]], preds: list[dict[str, Any]],
              confident_only: bool) -> dict[str, dict[str, Any]]:
    """Figures per publisher: each publisher's gold documents scored apart."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for doc_id, doc in gold_docs.items():
        groups.setdefault(publisher(doc_id), {})[doc_id] = doc
    out = {}
    for name, docs in sorted(groups.items()):
        res = ev.evaluate(docs, [p for p in preds if p["id"] in docs],
                          confident_speakers_only=confident_only).to_dict()
        out[name] = {"docs": len(docs), **{k: res[k] for k in FIGURES}}
    return out


def print_by_source(rows: dict[str, dict[str, Any]]) -> None:
    print(f"{'publisher':<12} {'docs':>4} {'gold':>5} {'pred':>5} {'quote P':>8} {'quote F1':>8} "
          f"{'attrib.':>8} {'e2e F1':>7}")
    for name, r in rows.items():
        q, e = r["quote_overlap"], r["end_to_end"]
        print(f"{name:<12} {r['docs']:>4} {q['n_gold']:>5} {q['n_pred']:>5} {q['precision']:>8.3f} "
              f"{q['f1']:>8.3f} {r['attribution']['accuracy']:>8.3f} {e['f1']:>7.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, help="gold JSONL: {id, text, quotes} per line")
    ap.add_argument("--confident-speakers-only", action="store_true",
                    help='leave gold quotes marked "speaker_confident": false out of attribution '
                         "and end-to-end (PolNeAR)")
    ap.add_argument("--scorer", type=Path, metavar="PATH",
                    help="also score with this scorer script (e.g. ../shared/eval/score.py) and "
                         "check that its figures equal quotetool's")
    ap.add_argument("--builtin-scorer", action="store_true", help=argparse.SUPPRESS)  # the default now
    ap.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    ap.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: quotetool's default)")
    ap.add_argument("-o", "--out", type=Path, metavar="PRED.jsonl",
                    help="keep the predictions in this file")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="also print the N worst documents, gold and predicted quotes side by side")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--by-source", action="store_true",
                    help="also score each publisher apart (the publisher is read from the id: "
                         "dev_001_kremlin_... / train_012_wh_... / doj_003_... / newsdirect_...)")
    args = ap.parse_args(argv)

    if not args.gold.is_file():
        ap.error(f"no such file: {args.gold}")
    if args.scorer is not None and not args.scorer.is_file():
        ap.error(f"no such scorer: {args.scorer}")

    try:
        gold_docs = ev.load_jsonl(str(args.gold))
    except ev.EvaluationError as e:
        sys.exit(f"accuracy: error: {e}")
    words = sum(len((d.get("text") or "").split()) for d in gold_docs.values())
    run = run_extractor(gold_docs, args.jobs, args.model)
    result = ev.evaluate(gold_docs, run["preds"], confident_speakers_only=args.confident_speakers_only)
    res = result.to_dict(errors=args.errors)

    pred_path = args.out
    tmp = None
    if pred_path is None and args.scorer is not None:
        fd, name = tempfile.mkstemp(prefix="quotetool-pred-", suffix=".jsonl")
        os.close(fd)
        tmp = pred_path = Path(name)
    other = None
    try:
        if pred_path is not None:
            with pred_path.open("w", encoding="utf-8") as f:
                for p in run["preds"]:
                    f.write(json.dumps(p, ensure_ascii=False) + "\n")
        if args.scorer is not None and pred_path is not None:
            other = external_score(args.scorer, args.gold, pred_path, args.confident_speakers_only)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    agree = None if other is None else all(other.get(k) == res[k] for k in FIGURES)

    for f in run["failures"]:
        print(f"accuracy: error: {f.id}: {f.reason}", file=sys.stderr)
    speed = {"docs": len(gold_docs), "words": words, "quotes_predicted": run["quotes"],
             "model_load_s": round(run["load"], 3), "elapsed_s": round(run["elapsed"], 3),
             "words_per_s": round(words / run["elapsed"]) if run["elapsed"] else None,
             "jobs": args.jobs, "failed_docs": len(run["failures"])}
    if args.json:
        out = {k: res[k] for k in FIGURES}
        out.update(gold=str(args.gold), scorer="quotetool.evaluate",
                   confident_speakers_only=args.confident_speakers_only, speed=speed)
        if args.by_source:
            out["by_source"] = by_source(gold_docs, run["preds"], args.confident_speakers_only)
        if "worst_docs" in res:
            out["worst_docs"] = res["worst_docs"]
        if other is not None:
            out["other_scorer"] = {"path": str(args.scorer), "agrees": agree, **{k: other.get(k) for k in FIGURES}}
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        from rich.console import Console

        console = Console(highlight=False, markup=False, emoji=False)
        ev.print_report(result, console, errors=args.errors,
                        title=f"gold: {args.gold} ({len(gold_docs)} docs, {words} words)")
        print(f"time: {run['elapsed']:.2f}s for {len(gold_docs)} docs with {args.jobs} process(es) "
              f"({speed['words_per_s']} words/s; model load {run['load']:.2f}s not included)")
        if args.by_source:
            print_by_source(by_source(gold_docs, run["preds"], args.confident_speakers_only))
        if run["failures"]:
            print(f"failed documents: {len(run['failures'])} (scored as having no quotes)")
        if args.out is not None:
            print(f"predictions: {args.out}")
        if other is not None:
            print(f"{args.scorer}: " + ("same figures" if agree else "DIFFERENT figures: " + json.dumps(
                {k: other.get(k) for k in FIGURES if other.get(k) != res[k]})))
    if agree is False:
        return 2
    return 1 if run["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
