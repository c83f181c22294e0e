#!/usr/bin/env python3
"""Run quotetool on a gold JSONL file and print its accuracy.

    python bench/accuracy.py GOLD.jsonl [--confident-speakers-only] [--scorer PATH]
                             [--builtin-scorer] [--jobs N] [--model NAME]
                             [--out PRED.jsonl] [--errors N] [--json]

The gold file holds one {"id", "text", "quotes": [...]} document per line (the
evaluation format: see README.md, "Evaluation"). Every gold text goes through
`quotetool.pipeline.extract_many` with its id kept, the predictions are written as
JSONL (`--out`, else a temporary file) and scored with:

* the reference scorer, `--scorer PATH`, by default ../shared/eval/score.py next to
  the repository when it exists (run as a subprocess on the predictions file); or
* the built-in scorer below (`--builtin-scorer`, or when no reference scorer is
  found), which implements the same matching rules.

Printed: quote P/R/F1 (overlap >= 0.5, and exact), attribution accuracy on the matched
quotes, end-to-end P/R/F1 (quote matched and speaker right), elapsed time and words/s.
The exit status is 0 even when the scores are low; 1 if a document failed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCORER = REPO.parent / "shared" / "eval" / "score.py"


# ---------------------------------------------------------------------------------------
# Built-in scorer: the rules of the evaluation format (FORMAT.md), same figures as the
# reference scorer's on the same files.
# ---------------------------------------------------------------------------------------

QUOTE_CHARS = "\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a\u300c\u300d\u300e\u300f"
_MARK_MAP = {ord(c): '"' for c in "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2039\u203a"}
_MARK_MAP.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b`"})


def _is_edge(c: str) -> bool:
    return c.isspace() or c in QUOTE_CHARS or unicodedata.category(c)[0] == "P"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without whitespace, quote marks and punctuation at either edge."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return start, end


def norm_span_text(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).translate(_MARK_MAP).replace("''", '"')
    s = " ".join(s.split()).casefold()
    a, b = trim_span(s, 0, len(s))
    return s[a:b]


def name_tokens(name: Any) -> list[str]:
    if name is None:
        return []
    s = unicodedata.normalize("NFKC", str(name)).casefold().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s'-]", " ", s)
    return [t.strip("'-") for t in s.split() if t.strip("'-")]


def speaker_correct(gold: Any, pred: Any) -> bool:
    """Equal names, same last token, or one token set inside the other; null only matches null."""
    gt, pt = name_tokens(gold), name_tokens(pred)
    if not gt:
        return not pt
    if not pt:
        return False
    if gt == pt or gt[-1] == pt[-1]:
        return True
    return set(gt) <= set(pt) or set(pt) <= set(gt)


def doc_key(raw_id: Any) -> str:
    """A path-like id matches by its file name without .txt."""
    name = str(raw_id).replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-4] if name.lower().endswith(".txt") else name


def _prepare(text: str, quotes: list[dict[str, Any]] | None, is_gold: bool) -> list[dict[str, Any]]:
    out = []
    for q in quotes or []:
        q = dict(q)
        if q.get("start") is None or q.get("end") is None:
            needle = q.get("quote") or q.get("text") or ""
            pos = text.find(needle) if needle else -1
            q["start"], q["end"] = (pos, pos + len(needle)) if pos >= 0 else (0, 0)
        q["_ts"], q["_te"] = trim_span(text, int(q["start"]), int(q["end"]))
        q["_norm"] = norm_span_text(text[q["_ts"]:q["_te"]])
        if is_gold and q["_te"] <= q["_ts"]:
            continue
        out.append(q)
    return out


def _overlap(g: dict[str, Any], p: dict[str, Any]) -> float:
    ov = min(g["_te"], p["_te"]) - max(g["_ts"], p["_ts"])
    if ov <= 0:
        return 0.0
    longer = max(g["_te"] - g["_ts"], p["_te"] - p["_ts"])
    return ov / longer if longer else 0.0


def _exact(g: dict[str, Any], p: dict[str, Any]) -> float:
    return 1.0 if g["_norm"] and g["_norm"] == p["_norm"] and _overlap(g, p) > 0 else 0.0


def _greedy(golds: list[dict[str, Any]], preds: list[dict[str, Any]], ratio, threshold: float):
    cands = sorted((-r, gi, pi) for gi, g in enumerate(golds) for pi, p in enumerate(preds)
                   if (r := ratio(g, p)) >= threshold and r > 0)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def builtin_score(gold_docs: list[dict[str, Any]], pred_docs: list[dict[str, Any]],
                  confident_only: bool = False) -> dict[str, Any]:
    """Score predictions against gold; returns the reference scorer's --json keys we print."""
    preds = {doc_key(d["id"]): d for d in pred_docs}
    c: collections.Counter[str] = collections.Counter()
    for gdoc in gold_docs:
        text = gdoc.get("text", "")
        golds = _prepare(text, gdoc.get("quotes"), True)
        ps = _prepare(text, (preds.get(doc_key(gdoc["id"])) or {}).get("quotes"), False)
        pairs = _greedy(golds, ps, _overlap, 0.5)
        c["gold"] += len(golds)
        c["pred"] += len(ps)
        c["tp_overlap"] += len(pairs)
        c["tp_exact"] += len(_greedy(golds, ps, _exact, 1.0))
        unscorable = [g.get("speaker_unscorable") or (confident_only and g.get("speaker_confident") is False)
                      for g in golds]
        c["e2e_gold"] += len(golds) - sum(map(bool, unscorable))
        c["e2e_pred"] += len(ps)
        for gi, pi in pairs:
            if unscorable[gi]:
                c["e2e_pred"] -= 1  # matched to a gold quote whose speaker can't be scored
                continue
            ok = speaker_correct(golds[gi].get("speaker"), ps[pi].get("speaker"))
            c["attr_n"] += 1
            c["attr_correct"] += ok
            c["tp_e2e"] += ok
    return {
        "quote_overlap": _prf(c["tp_overlap"], c["pred"], c["gold"]),
        "quote_exact": _prf(c["tp_exact"], c["pred"], c["gold"]),
        "attribution": {"accuracy": round(c["attr_correct"] / c["attr_n"], 4) if c["attr_n"] else 0.0,
                        "correct": c["attr_correct"], "n": c["attr_n"]},
        "end_to_end": _prf(c["tp_e2e"], c["e2e_pred"], c["e2e_gold"]),
    }


# ---------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run_extractor(gold_docs: list[dict[str, Any]], out: Path, jobs: int, model: str | None) -> dict[str, Any]:
    """Extract from every gold text (ids kept) into `out`; return timings and counts."""
    from quotetool import pipeline

    t0 = time.perf_counter()
    pipeline.load_nlp(model)  # timed apart: a one-off cost, not throughput
    t_load = time.perf_counter() - t0
    items = ((str(d["id"]), d["text"], None) for d in gold_docs)
    failures = []
    n_quotes = 0
    t0 = time.perf_counter()
    with out.open("w", encoding="utf-8") as f:
        for result in pipeline.extract_many(items, model=model, n_process=jobs):
            if isinstance(result, pipeline.Failure):
                failures.append(result)
                continue
            n_quotes += len(result.quotes)
            f.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    return {"load": t_load, "elapsed": time.perf_counter() - t0, "failures": failures, "quotes": n_quotes}


def reference_score(scorer: Path, gold: Path, pred: Path, confident_only: bool,
                    errors: int) -> tuple[dict[str, Any], str]:
    """The reference scorer's --json figures, and its listing of the `errors` worst documents."""
    cmd = [sys.executable, str(scorer), str(gold), str(pred)]
    if confident_only:
        cmd.append("--confident-speakers-only")
    proc = subprocess.run(cmd + ["--json"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"accuracy: the scorer failed ({' '.join(cmd)} --json):\n{proc.stderr}")
    listing = ""
    if errors:
        text = subprocess.run(cmd + ["--errors", str(errors)], capture_output=True, text=True).stdout
        listing = text[text.find("\n---") + 1:] if "\n---" in text else ""
    return json.loads(proc.stdout), listing


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path, help="gold JSONL: {id, text, quotes} per line")
    ap.add_argument("--confident-speakers-only", action="store_true",
                    help='leave gold quotes marked "speaker_confident": false out of attribution '
                         "and end-to-end (PolNeAR)")
    ap.add_argument("--scorer", type=Path, metavar="PATH",
                    help=f"reference scorer script (default: {DEFAULT_SCORER} if it exists)")
    ap.add_argument("--builtin-scorer", action="store_true", help="use the built-in scorer even if "
                    "a reference scorer is found")
    ap.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    ap.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: quotetool's default)")
    ap.add_argument("-o", "--out", type=Path, metavar="PRED.jsonl",
                    help="keep the predictions in this file (default: a temporary file)")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="also print the N worst documents, gold vs predicted (reference scorer only)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)

    if not args.gold.is_file():
        ap.error(f"no such file: {args.gold}")
    scorer = None
    if not args.builtin_scorer:
        scorer = args.scorer or (DEFAULT_SCORER if DEFAULT_SCORER.is_file() else None)
        if scorer is not None and not scorer.is_file():
            ap.error(f"no such scorer: {scorer}")

    gold_docs = read_jsonl(args.gold)
    words = sum(len(d.get("text", "").split()) for d in gold_docs)
    tmp = None
    if args.out is None:
        fd, name = tempfile.mkstemp(prefix="quotetool-pred-", suffix=".jsonl")
        os.close(fd)
        tmp = pred_path = Path(name)
    else:
        pred_path = args.out
    try:
        run = run_extractor(gold_docs, pred_path, args.jobs, args.model)
        if scorer is not None:
            res, listing = reference_score(scorer, args.gold, pred_path, args.confident_speakers_only,
                                           args.errors)
            scorer_name = f"reference ({scorer})"
        else:
            res, listing = builtin_score(gold_docs, read_jsonl(pred_path), args.confident_speakers_only), ""
            scorer_name = "built-in (FORMAT.md rules)"
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)

    for f in run["failures"]:
        print(f"accuracy: error: {f.id}: {f.reason}", file=sys.stderr)
    speed = {"docs": len(gold_docs), "words": words, "quotes_predicted": run["quotes"],
             "model_load_s": round(run["load"], 3), "elapsed_s": round(run["elapsed"], 3),
             "words_per_s": round(words / run["elapsed"]) if run["elapsed"] else None,
             "jobs": args.jobs, "failed_docs": len(run["failures"])}
    if args.json:
        out = {k: res[k] for k in ("quote_overlap", "quote_exact", "attribution", "end_to_end")}
        out.update(gold=str(args.gold), scorer=scorer_name,
                   confident_speakers_only=args.confident_speakers_only, speed=speed)
        print(json.dumps(out, indent=2))
    else:
        print(f"gold: {args.gold} ({len(gold_docs)} docs, {words} words)"
              + ("  [--confident-speakers-only]" if args.confident_speakers_only else ""))
        print(f"scorer: {scorer_name}")
        print(f"{'':22s}{'P':>7s}{'R':>7s}{'F1':>7s}")
        for label, key in (("quote (overlap>=0.5)", "quote_overlap"), ("quote (exact)", "quote_exact"),
                           ("end-to-end", "end_to_end")):
            m = res[key]
            print(f"{label:22s}{m['precision']:7.3f}{m['recall']:7.3f}{m['f1']:7.3f}"
                  f"   tp={m['tp']} pred={m['n_pred']} gold={m['n_gold']}")
        a = res["attribution"]
        print(f"{'attribution accuracy':22s}{a['accuracy']:7.3f}   {a['correct']}/{a['n']} matched quotes")
        print(f"time: {run['elapsed']:.2f}s for {len(gold_docs)} docs with {args.jobs} process(es) "
              f"({speed['words_per_s']} words/s; model load {run['load']:.2f}s not included)")
        if run["failures"]:
            print(f"failed documents: {len(run['failures'])} (scored as having no quotes)")
        for w, n in sorted((res.get("warnings") or {}).items()):
            print(f"note: {w}: {n}")
        if args.out is not None:
            print(f"predictions: {args.out}")
        if args.errors:
            if scorer is None:
                print("(--errors needs the reference scorer)")
            else:
                print(listing.rstrip() or "(no document has errors)")
    return 1 if run["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
