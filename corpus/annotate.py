#!/usr/bin/env python3
"""Annotation tools: cut quote spans by code, check an annotator's file, merge, measure agreement.

    python corpus/annotate.py span TEXT.txt "first words" "last words" [--nth N]
    python corpus/annotate.py check TEXT.txt ANN.json
    python corpus/annotate.py merge ANN_DIR [ANN_DIR ...] --texts DIR [--out annotations.jsonl]
    python corpus/annotate.py agree ANN_DIR_A ANN_DIR_B --texts DIR [--report FILE]
    python corpus/annotate.py audit --texts DIR           # spans worth a second look

An annotator's file (one per release, ANN_DIR/ID.json) is
{"id": ID, "quotes": [{"start", "end", "text", "speaker", "speaker_mention", "cue", ...}]}:
`start`/`end` are character offsets into the built text, and `text` must equal
text[start:end] (the check catches a retyped or shifted span). `span` finds those offsets
from a quote's first and last words, so nobody types offsets or quoted words by hand.
`merge` keeps only the standoff facts (offsets, speaker, mention, cue, flags), never the
quoted words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

KEEP = ("start", "end", "speaker", "speaker_mention", "cue", "speaker_unscorable")


def find_span(text: str, first: str, last: str, nth: int = 1) -> tuple[int, int]:
    """Offsets of the NTH passage that starts with FIRST and ends with the next LAST."""
    pos = -1
    for _ in range(nth):
        pos = text.find(first, pos + 1)
        if pos < 0:
            raise ValueError(f"{first!r} occurs fewer than {nth} time(s)")
    end = text.find(last, pos + len(first) - len(last) if last in first else pos)
    if end < 0:
        raise ValueError(f"{last!r} does not occur after {first!r}")
    return pos, end + len(last)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def check(text: str, ann: dict) -> list[str]:
    """Problems with one annotator's file: spans that don't cut out their text, bad fields."""
    problems = []
    for i, q in enumerate(ann.get("quotes", []), 1):
        s, e = q.get("start"), q.get("end")
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            problems.append(f"quote {i}: bad offsets {s}..{e}")
            continue
        if "text" in q and text[s:e] != q["text"]:
            problems.append(f"quote {i}: text[{s}:{e}] is {text[s:e][:40]!r}, not {q['text'][:40]!r}")
        if re.search(r"\n[ \t\u00a0]*\n", text[s:e]):
            problems.append(f"quote {i}: span crosses a paragraph break (one quote per paragraph)")
        if text[s:e] != text[s:e].strip():
            problems.append(f"quote {i}: span starts or ends with whitespace")
        if "speaker" not in q:
            problems.append(f"quote {i}: no speaker field (null if nobody)")
    return problems


def audit(text: str, quotes: list[dict]) -> list[str]:
    """Spans worth a second look (not errors): not bounded by a mark or a paragraph edge on
    either side, or overlapping the next span. A span cut at the wrong occurrence of its
    words shows up here."""
    notes = []
    for i, q in enumerate(quotes, 1):
        s, e = q["start"], q["end"]
        before = text[s - 1] if s > 0 else "\n"
        after = text[e] if e < len(text) else "\n"
        if before not in _MARKS + "\n" or after not in _MARKS + "\n":
            notes.append(f"quote {i} ({s}-{e}): no mark or paragraph edge at "
                         f"{'the start' if before not in _MARKS + chr(10) else 'the end'}")
    for a, b in zip(quotes, quotes[1:]):
        if b["start"] < a["end"]:
            notes.append(f"quotes at {a['start']} and {b['start']} overlap")
    return notes


def annotations(folder: Path) -> dict[str, dict]:
    return {p.stem: load(p) for p in sorted(folder.glob("*.json"))}


# --- agreement, with the reference scorer's matching rules ----------------------------------
# (Written again rather than taken from quotetool.evaluate: the corpus tools are standard
# library only, and annotators never run or import quotetool.)

_MARKS = "\"'“”‘’«»„‚‹›`"


def _norm_name(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", s))


def same_speaker(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    x, y = _norm_name(a).split(), _norm_name(b).split()
    if not x or not y:
        return x == y
    return x == y or x[-1] == y[-1] or set(x) <= set(y) or set(y) <= set(x)


def match(qa: list[dict], qb: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (i, j) with overlap / longer span >= 0.5, best first."""
    cands = []
    for i, a in enumerate(qa):
        for j, b in enumerate(qb):
            ov = min(a["end"], b["end"]) - max(a["start"], b["start"])
            if ov > 0:
                r = ov / max(a["end"] - a["start"], b["end"] - b["start"])
                if r >= 0.5:
                    cands.append((-r, i, j))
    used_a, used_b, pairs = set(), set(), []
    for _, i, j in sorted(cands):
        if i not in used_a and j not in used_b:
            used_a.add(i), used_b.add(j), pairs.append((i, j))
    return pairs


def agree(a: dict[str, dict], b: dict[str, dict], texts: Path) -> tuple[dict, list[str]]:
    ids = sorted(set(a) & set(b))
    n_a = n_b = both = spk = same = 0
    lines = []
    for i in ids:
        text = (texts / f"{i}.txt").read_text(encoding="utf-8")
        qa, qb = a[i]["quotes"], b[i]["quotes"]
        pairs = match(qa, qb)
        n_a, n_b, both = n_a + len(qa), n_b + len(qb), both + len(pairs)
        paired_a, paired_b = {p[0] for p in pairs}, {p[1] for p in pairs}
        for x, y in pairs:
            if _norm_name(qa[x]["speaker"]) == _norm_name(qb[y]["speaker"]):
                same += 1
            elif same_speaker(qa[x]["speaker"], qb[y]["speaker"]):
                lines.append(f"{i}\tname_variant\t{qa[x]['start']}-{qa[x]['end']}\t{qa[x]['speaker']!r} vs {qb[y]['speaker']!r}")
            if same_speaker(qa[x]["speaker"], qb[y]["speaker"]):
                spk += 1
            else:
                lines.append(f"{i}\tspeaker\t{qa[x]['start']}-{qa[x]['end']}\t{qa[x]['speaker']!r} vs {qb[y]['speaker']!r}"
                             f"\t{text[qa[x]['start']:qa[x]['end']][:70]!r}")
        for x, q in enumerate(qa):
            if x not in paired_a:
                lines.append(f"{i}\tonly_A\t{q['start']}-{q['end']}\t{q['speaker']!r}\t{text[q['start']:q['end']][:70]!r}")
        for y, q in enumerate(qb):
            if y not in paired_b:
                lines.append(f"{i}\tonly_B\t{q['start']}-{q['end']}\t{q['speaker']!r}\t{text[q['start']:q['end']][:70]!r}")
    stats = {"documents": len(ids), "quotes_a": n_a, "quotes_b": n_b, "matched": both,
             "quote_f1": round(2 * both / (n_a + n_b), 3) if n_a + n_b else 1.0,
             "speaker_agreement": round(spk / both, 3) if both else 1.0,
             "speaker_same_string": round(same / both, 3) if both else 1.0}
    return stats, lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("span")
    p.add_argument("file", type=Path)
    p.add_argument("first")
    p.add_argument("last")
    p.add_argument("--nth", type=int, default=1)
    p = sub.add_parser("check")
    p.add_argument("file", type=Path)
    p.add_argument("ann", type=Path)
    p = sub.add_parser("merge")
    p.add_argument("dirs", nargs="+", type=Path)
    p.add_argument("--texts", type=Path, required=True)
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "annotations.jsonl")
    p.add_argument("--all", nargs="*", type=Path, default=[], metavar="DIR",
                   help="every annotator's folder: a release found in two is marked annotated_twice")
    p = sub.add_parser("audit", help="spans worth a second look in annotations.jsonl")
    p.add_argument("--texts", type=Path, required=True)
    p.add_argument("--annotations", type=Path, default=Path(__file__).resolve().parent / "annotations.jsonl")
    p = sub.add_parser("agree")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p.add_argument("--texts", type=Path, required=True)
    p.add_argument("--report", type=Path)
    args = ap.parse_args(argv)

    if args.cmd == "span":
        text = args.file.read_text(encoding="utf-8")
        try:
            s, e = find_span(text, args.first, args.last, args.nth)
        except ValueError as err:
            print(f"span: {err}", file=sys.stderr)
            return 1
        print(json.dumps({"start": s, "end": e, "text": text[s:e]}, ensure_ascii=False))
        return 0
    if args.cmd == "check":
        problems = check(args.file.read_text(encoding="utf-8"), load(args.ann))
        for pr in problems:
            print(f"{args.ann}: {pr}")
        return 1 if problems else 0
    if args.cmd == "merge":
        # later folders win: the adjudicated folder goes last
        merged: dict[str, dict] = {}
        for d in args.dirs:
            merged.update(annotations(d))
        times: dict[str, int] = {}
        for d in args.all:
            for i in annotations(d):
                times[i] = times.get(i, 0) + 1
        bad = 0
        with args.out.open("w", encoding="utf-8") as f:
            for i in sorted(merged):
                text = (args.texts / f"{i}.txt").read_text(encoding="utf-8")
                problems = check(text, merged[i])
                if problems:
                    bad += 1
                    print(f"merge: {i}: {'; '.join(problems)}", file=sys.stderr)
                    continue
                quotes = sorted(({k: q[k] for k in KEEP if k in q} for q in merged[i]["quotes"]),
                                key=lambda q: q["start"])
                rec = {"id": i, "annotated_twice": True} if times.get(i, 0) >= 2 else {"id": i}
                rec["quotes"] = quotes
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(f"merge: {len(merged) - bad} releases to {args.out}, {bad} refused", file=sys.stderr)
        return 1 if bad else 0
    if args.cmd == "audit":
        with args.annotations.open(encoding="utf-8") as f:
            for line in f:
                ann = json.loads(line)
                text = (args.texts / f"{ann['id']}.txt").read_text(encoding="utf-8")
                for note in audit(text, ann["quotes"]):
                    print(f"{ann['id']}: {note}")
        return 0
    stats, lines = agree(annotations(args.a), annotations(args.b), args.texts)
    print(json.dumps(stats))
    if args.report:
        args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
