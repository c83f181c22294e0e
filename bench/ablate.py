#!/usr/bin/env python3
"""What each attribution sieve is worth: leave-one-publisher-out with the sieve taken out.

    python bench/ablate.py [--corpus GOLD.jsonl] [--shared DIR] [--news GOLD.jsonl] [--jobs N]
                           [--only NAME ...] [--json]

For every sieve of the ordered registries (the cue sieves, the left-side token sieves, the
drop sieves, the fallbacks), the whole bench of `bench/lopo.py` (the corpus and
../shared's releases) is run again without that one sieve, and the macro and micro
end-to-end F1 are compared with the run that has them all. A sieve whose removal costs
the macro average no more than 0.002 is one the data does not ask for (issue: a rule
stays only if the leave-one-publisher-out macro average says so). The figures are what
each sieve adds given all the others; two sieves that cover for each other both look
free, so take one out at a time and measure again.

`--news GOLD.jsonl` also scores news apart (polnear_dev, with its confident speakers only),
which is no publisher of the bench but has its own target: a sieve free on releases may be
what news needs. Each run extracts every document anew in one process (about half a minute
for 900 releases); `--jobs N` spreads the runs over N processes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lopo  # noqa: E402

from quotetool import cues, speakers  # noqa: E402
from quotetool import evaluate as ev  # noqa: E402

#: (module, registry name) of every ordered sieve registry.
REGISTRIES = ((cues, "CUE_SIEVES"), (cues, "LEFT_TOKEN_SIEVES"), (speakers, "DROP_SIEVES"),
              (speakers, "FALLBACK_SIEVES"))


def sieve_name(entry: Any) -> str:
    return entry[0] if isinstance(entry, tuple) else entry.__name__


def ablations() -> list[tuple[str, str]]:
    """(registry, sieve) of every sieve."""
    return [(reg, sieve_name(e)) for mod, reg in REGISTRIES for e in getattr(mod, reg)]


_DOCS: dict[str, dict[str, Any]] = {}
_NEWS: dict[str, dict[str, Any]] = {}


def _init(docs: dict[str, dict[str, Any]], news: dict[str, dict[str, Any]] | None = None) -> None:
    global _DOCS, _NEWS
    _DOCS, _NEWS = docs, news or {}


def score(without: tuple[str, str] | None) -> tuple[tuple[str, str] | None, dict[str, Any]]:
    """The bench's figures with one sieve left out (None: all of them)."""
    saved = None
    if without is not None:
        mod = next(m for m, reg in REGISTRIES if reg == without[0])
        saved = getattr(mod, without[0])
        setattr(mod, without[0], tuple(e for e in saved if sieve_name(e) != without[1]))
    try:
        plain = {i: {"id": i, "text": d["text"], "quotes": []} for i, d in _DOCS.items()}
        preds, _ = ev.predict(plain, n_process=1)
        news_preds = ev.predict(_NEWS, n_process=1)[0] if _NEWS else []
    finally:
        if saved is not None:
            setattr(mod, without[0], saved)
    out = lopo.run(_DOCS, lopo.Fixed(preds), by_kind=False)
    news = (ev.evaluate(_NEWS, news_preds, confident_speakers_only=True).to_dict()["end_to_end"]["f1"]
            if _NEWS else None)
    return without, {"macro_e2e": out["macro_e2e"], "micro_e2e": out["micro"]["end_to_end"], "news_e2e": news,
                     "publishers": {k: v["end_to_end"] for k, v in out["publishers"].items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=lopo.DEFAULT_CORPUS)
    ap.add_argument("--shared", type=Path, default=lopo.DEFAULT_SHARED)
    ap.add_argument("--news", type=Path, metavar="GOLD.jsonl",
                    help="also score these news articles apart, confident speakers only (polnear_dev)")
    ap.add_argument("-j", "--jobs", type=int, default=1, metavar="N", help="runs at once (default 1)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="only these sieves")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args(argv)

    lopo.ensure_corpus_gold(args.corpus)
    docs = lopo.load_documents(args.corpus, args.shared)
    news = ev.load_jsonl(str(args.news)) if args.news else None
    runs: list[tuple[str, str] | None] = [None] + [a for a in ablations() if not args.only or a[1] in args.only]
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs, initializer=_init, initargs=(docs, news)) as pool:
            results = dict(pool.imap(score, runs))
    else:
        _init(docs, news)
        results = dict(score(r) for r in runs)
    base = results.pop(None)
    rows = []
    for (reg, name), r in results.items():
        worst = min(r["publishers"], key=lambda p: r["publishers"][p] - base["publishers"][p])
        rows.append({"registry": reg, "sieve": name, "macro_e2e": r["macro_e2e"],
                     "macro_delta": round(r["macro_e2e"] - base["macro_e2e"], 4),
                     "micro_delta": round(r["micro_e2e"] - base["micro_e2e"], 4),
                     "news_delta": None if base["news_e2e"] is None else round(r["news_e2e"] - base["news_e2e"], 4),
                     "worst_publisher": worst,
                     "worst_delta": round(r["publishers"][worst] - base["publishers"][worst], 4)})
    rows.sort(key=lambda r: r["macro_delta"])
    if args.json:
        print(json.dumps({"baseline": {k: base[k] for k in ("macro_e2e", "micro_e2e", "news_e2e")}, "without": rows},
                         indent=2))
        return 0
    news_head = "" if base["news_e2e"] is None else f", news {base['news_e2e']:.4f}"
    print(f"all sieves: macro end-to-end {base['macro_e2e']:.4f}, micro {base['micro_e2e']:.4f}{news_head}")
    print(f"{'registry':<18} {'sieve without':<20} {'macro':>7} {'Δmacro':>8} {'Δmicro':>8} {'Δnews':>8}  worst publisher")
    for r in rows:
        dn = "" if r["news_delta"] is None else f"{r['news_delta']:+.4f}"
        print(f"{r['registry']:<18} {r['sieve']:<20} {r['macro_e2e']:>7.4f} {r['macro_delta']:>+8.4f} "
              f"{r['micro_delta']:>+8.4f} {dn:>8}  {r['worst_publisher']} ({r['worst_delta']:+.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
