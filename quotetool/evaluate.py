"""Score quote predictions against gold: the code behind `quotetool evaluate`.

Gold and predictions are JSONL documents in the evaluation format (see README.md,
"Evaluation"): ``{"id", "text", "quotes": [{"start", "end", "speaker", ...}]}``; a
prediction may leave out ``text`` and may carry extra fields (a `quotetool extract`
record scores as it is). The matching rules are those of the evaluation format, and the
figures are the reference scorer's:

* Spans are trimmed of whitespace, quote marks and punctuation at both edges.
* Overlap match: overlap / length of the longer trimmed span >= 0.5, one-to-one,
  greedy by decreasing overlap ratio. Exact match: the normalised span strings are
  equal (and the spans overlap), one-to-one.
* Speaker correct: normalised names equal, the same last token, or one name's token
  set contains the other's (case-insensitive). A gold ``"speaker": null`` is matched
  only by a null prediction.
* A gold quote marked ``"speaker_unscorable": true`` counts for quote P/R/F1 but not
  for attribution or end-to-end (nor does the prediction matched to it); with
  ``confident_speakers_only``, gold quotes marked ``"speaker_confident": false`` are
  treated the same way.
* Documents are matched by id; a path-like id matches by its file name without
  ``.txt`` (``folder/x.txt`` matches ``x``). A gold document with no prediction has
  no predicted quotes; predictions for unknown ids are ignored (and counted in
  ``warnings``).

Standard library only at import time; Rich is imported by the functions that print.

    from quotetool.evaluate import evaluate, load_jsonl
    result = evaluate(load_jsonl("gold.jsonl"), load_jsonl("pred.jsonl"))
    result.summary["end_to_end"]["f1"]
"""

from __future__ import annotations

import collections
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from .pipeline import Failure

#: One gold or predicted document, as read from JSONL.
Record = dict[str, Any]

QUOTE_CHARS = "\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a\u300c\u300d\u300e\u300f"
_MARK_MAP = {ord(c): '"' for c in "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2039\u203a"}
_MARK_MAP.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b`"})

#: Warnings, keyed by these texts (the reference scorer's, so the two can be compared).
W_MISSING = "gold docs missing from predictions (scored as no quotes)"
W_EXTRA = "prediction docs not in gold (ignored)"
W_TEXT_DIFFERS = "prediction docs whose text differs from gold (offsets may not align)"


class EvaluationError(ValueError):
    """A gold or prediction file that can't be scored (bad JSON, no id, a duplicate id)."""


# --- normalisation ----------------------------------------------------------------------


def _is_edge_char(c: str) -> bool:
    return c.isspace() or c in QUOTE_CHARS or unicodedata.category(c)[0] == "P"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without whitespace, quote marks and punctuation at either edge;
    (s, s) if nothing is left. Offsets outside the text are clipped."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and _is_edge_char(text[start]):
        start += 1
    while end > start and _is_edge_char(text[end - 1]):
        end -= 1
    return start, end


def norm_span_text(s: str) -> str:
    """A quote string for exact comparison: NFKC, case-folded, quote marks unified,
    whitespace collapsed, edge whitespace/marks/punctuation stripped."""
    s = unicodedata.normalize("NFKC", s).translate(_MARK_MAP)
    s = s.replace("''", '"')
    s = " ".join(s.split()).casefold()
    a, b = trim_span(s, 0, len(s))
    return s[a:b]


def name_tokens(name: object) -> list[str]:
    """Tokens of a speaker name: NFKC, case-folded, possessive and punctuation removed
    (``"Mr. O'Neill's"`` -> ``["mr", "o'neill"]``)."""
    if name is None:
        return []
    s = unicodedata.normalize("NFKC", str(name)).casefold().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s'-]", " ", s)
    return [t.strip("'-") for t in s.split() if t.strip("'-")]


def speaker_correct(gold: object, pred: object) -> bool:
    """Equal names, the same last token, or one token set inside the other
    (case-insensitive); a null (or empty) gold speaker is matched only by a null one."""
    gt, pt = name_tokens(gold), name_tokens(pred)
    if not gt:
        return not pt
    if not pt:
        return False
    if gt == pt or gt[-1] == pt[-1]:
        return True
    gs, ps = set(gt), set(pt)
    return gs <= ps or ps <= gs


def doc_key(raw_id: object) -> str:
    """The key documents are matched by: a path-like id becomes its file name without
    ``.txt``, so `quotetool extract folder/` output (ids like ``folder/x.txt``) scores as is."""
    name = str(raw_id).replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-4] if name.lower().endswith(".txt") else name


# --- loading ----------------------------------------------------------------------------


def load_jsonl(path: str) -> dict[str, Record]:
    """The documents of a JSONL file, keyed by `doc_key` of their ids, in file order.

    Raises EvaluationError ("PATH:LINE: reason") on a line that is not UTF-8, not JSON
    (or nested too deeply to read), not a document of the gold format (see
    `check_document`), or repeats an id."""
    docs: dict[str, Record] = {}
    with open(path, "rb") as f:
        for ln, raw in enumerate(f, 1):
            if ln == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise EvaluationError(f"{path}:{ln}: not valid UTF-8 (byte 0x{raw[e.start]:02x} at column "
                                      f"{e.start + 1})") from None
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except RecursionError:
                raise EvaluationError(f"{path}:{ln}: invalid JSON: nested too deeply") from None
            except ValueError as e:  # JSONDecodeError, or an integer too long to read
                raise EvaluationError(f"{path}:{ln}: invalid JSON: {e}") from None
            problem = check_document(d)
            if problem:
                raise EvaluationError(f"{path}:{ln}: {problem}")
            key = doc_key(d["id"])
            if key in docs:
                raise EvaluationError(f"{path}:{ln}: duplicate id {key!r}")
            docs[key] = d
    return docs


def _integral(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or \
        (isinstance(value, float) and value.is_integer())


def check_document(d: object) -> str | None:
    """What is wrong with a gold or predicted document (None if nothing): the fields the
    scorer reads must have the gold format's types, so that a bad file is an error naming
    the line, never a crash in the middle of scoring."""
    if not isinstance(d, dict) or "id" not in d:
        return "document without 'id'"
    if not isinstance(d["id"], (str, int)) or isinstance(d["id"], bool):
        return "'id' must be a string or a number"
    if d.get("text") is not None and not isinstance(d["text"], str):
        return "'text' must be a string"
    quotes = d.get("quotes")
    if quotes is not None and not isinstance(quotes, list):
        return "'quotes' must be a list"
    for i, q in enumerate(quotes or [], 1):
        if not isinstance(q, dict):
            return f"quote {i} is not an object"
        for key in ("start", "end"):
            if q.get(key) is not None and not _integral(q[key]):
                return f"quote {i}: '{key}' must be an integer"
        for key in ("quote", "text", "speaker"):
            if q.get(key) is not None and not isinstance(q[key], str):
                return f"quote {i}: '{key}' must be a string or null"
    meta = d.get("meta")
    spans = meta.get("unattributed_quoted_spans") if isinstance(meta, dict) else None
    if spans is not None and not (isinstance(spans, list) and all(
            isinstance(s, list) and len(s) == 2 and all(_integral(x) for x in s) for s in spans)):
        return "'meta.unattributed_quoted_spans' must be a list of [start, end] pairs"
    return None


def _keyed(docs: Mapping[str, Any] | Iterable[Any], what: str) -> dict[str, Record]:
    """Documents keyed by `doc_key`, from a mapping (as `load_jsonl` returns) or an
    iterable of records or `Document`s (their ``to_dict()``); `Failure`s are left out."""
    if isinstance(docs, Mapping):
        return {doc_key(k): v for k, v in docs.items()}
    out: dict[str, Record] = {}
    from .pipeline import Failure

    for d in docs:
        if isinstance(d, Failure):
            continue  # scored as a missing document
        if hasattr(d, "to_dict"):
            d = d.to_dict()
        elif not isinstance(d, dict):
            continue
        problem = check_document(d)
        if problem:
            raise EvaluationError(f"{what} document {len(out) + 1}: {problem}")
        key = doc_key(d["id"])
        if key in out:
            raise EvaluationError(f"duplicate {what} id {key!r}")
        out[key] = d
    return out


# --- matching ---------------------------------------------------------------------------


def _word_count(text: str, s: int, e: int) -> int:
    return len(re.findall(r"\w+", text[s:e]))


def prepare_quotes(text: str, quotes: Iterable[Record] | None, warnings: collections.Counter[str],
                   who: str, min_words: int = 0) -> list[Record]:
    """Copies of `quotes` with trimmed offsets (``_ts``, ``_te``) and normalised text
    (``_norm``); quotes given by their text only (``quote``/``text``, no offsets) are
    located in `text`. Empty gold quotes, and quotes under `min_words`, are dropped."""
    out = []
    search_from = 0
    for i, q in enumerate(quotes or []):
        q = dict(q)
        if q.get("start") is None or q.get("end") is None:
            needle = q.get("quote") or q.get("text")
            pos = -1
            if needle:
                pos = text.find(needle, search_from)
                if pos < 0:
                    pos = text.find(needle)
            if pos < 0 or not needle:
                warnings[f"{who} quotes without offsets that could not be located"] += 1
                q["start"] = q["end"] = 0
            else:
                q["start"], q["end"] = pos, pos + len(needle)
                search_from = q["end"]
                warnings[f"{who} quotes located by their text (no offsets)"] += 1
        s, e = int(q["start"]), int(q["end"])  # check_document: integers (maybe written 3.0)
        if e > len(text) or s < 0 or e < s:
            warnings[f"{who} quotes with offsets outside the text"] += 1
        q["_ts"], q["_te"] = trim_span(text, s, e)
        q["_norm"] = norm_span_text(text[q["_ts"]:q["_te"]])
        q["_i"] = i
        if q["_te"] <= q["_ts"]:
            warnings[f"{who} quotes empty after trimming"] += 1
            if who == "gold":
                continue  # nothing to find
        if min_words and _word_count(text, q["_ts"], q["_te"]) < min_words:
            continue
        out.append(q)
    return out


def overlap_ratio(g: Record, p: Record) -> float:
    """Character overlap of two prepared quotes / the length of the longer one."""
    ov = min(g["_te"], p["_te"]) - max(g["_ts"], p["_ts"])
    if ov <= 0:
        return 0.0
    longer = max(g["_te"] - g["_ts"], p["_te"] - p["_ts"])
    return float(ov / longer) if longer else 0.0


def exact_ratio(g: Record, p: Record) -> float:
    """1.0 if the normalised texts are equal and the spans overlap, else 0.0."""
    if g["_norm"] and g["_norm"] == p["_norm"] and overlap_ratio(g, p) > 0:
        return 1.0
    return 0.0


def greedy_match(golds: list[Record], preds: list[Record], ratio: Callable[[Record, Record], float],
                 threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one (gold index, pred index, ratio) pairs, best ratio first (ties: gold, then
    prediction order), keeping pairs with ratio >= threshold."""
    cands = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            r = ratio(g, p)
            if r >= threshold and r > 0:
                cands.append((-r, gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for negr, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi, -negr))
    return pairs


# --- scoring ----------------------------------------------------------------------------


@dataclass
class DocResult:
    """How one gold document scored."""

    id: str
    text: str
    golds: list[Record]
    preds: list[Record]
    #: (gold index, pred index, overlap ratio, speaker correct: True/False, or None if unscorable)
    pairs: list[tuple[int, int, float, bool | None]]
    counts: collections.Counter[str]

    @property
    def errors(self) -> int:
        """Missed gold quotes + false positives + wrong speakers on matched quotes."""
        c = self.counts
        return (c["gold"] - c["tp_overlap"]) + (c["pred"] - c["tp_overlap"]) + (c["attr_n"] - c["attr_correct"])

    def rows(self) -> list[dict[str, Any]]:
        """Gold and predicted quotes side by side, in text order: one row per matched pair
        (status ``ok``, ``speaker`` or ``unscored``), missed gold quote (``missed``) or
        unmatched prediction (``false_positive``)."""
        rows: list[dict[str, Any]] = []
        p2g = {pi: (gi, ok) for gi, pi, _, ok in self.pairs}
        g2p = {gi: (pi, ok) for gi, pi, _, ok in self.pairs}
        for gi, g in enumerate(self.golds):
            if gi in g2p:
                pi, ok = g2p[gi]
                status = "unscored" if ok is None else "ok" if ok else "speaker"
                rows.append({"status": status, "gold": self._quote(g), "pred": self._quote(self.preds[pi])})
            else:
                rows.append({"status": "missed", "gold": self._quote(g), "pred": None})
        for pi, p in enumerate(self.preds):
            if pi not in p2g:
                rows.append({"status": "false_positive", "gold": None, "pred": self._quote(p)})
        rows.sort(key=lambda r: min(q["start"] for q in (r["gold"], r["pred"]) if q is not None))
        return rows

    def _quote(self, q: Record) -> dict[str, Any]:
        return {"start": q["start"], "end": q["end"], "quote": self.text[q["start"]:q["end"]],
                "speaker": q.get("speaker")}


def score_document(gdoc: Record, pdoc: Record | None, warnings: collections.Counter[str], *,
                   confident_speakers_only: bool = False, min_words: int = 0,
                   ignore_unattributed: bool = False) -> DocResult:
    """Match one document's predicted quotes to its gold quotes and count."""
    text = gdoc.get("text") or ""
    if pdoc is not None and pdoc.get("text") is not None and pdoc["text"] != text:
        warnings[W_TEXT_DIFFERS] += 1
    golds = prepare_quotes(text, gdoc.get("quotes"), warnings, "gold", min_words)
    preds = prepare_quotes(text, (pdoc or {}).get("quotes"), warnings, "pred", min_words)
    if ignore_unattributed:
        spans = (gdoc.get("meta") or {}).get("unattributed_quoted_spans") or []
        if spans:
            masks = [dict(zip(("_ts", "_te"), trim_span(text, a, b))) for a, b in spans]
            kept = [p for p in preds if not any(overlap_ratio(m, p) >= 0.5 for m in masks)]
            warnings["pred quotes dropped: on unattributed quoted spans"] += len(preds) - len(kept)
            preds = kept

    pairs = greedy_match(golds, preds, overlap_ratio, 0.5)
    exact_pairs = greedy_match(golds, preds, exact_ratio, 1.0)

    c: collections.Counter[str] = collections.Counter()
    c["gold"] = len(golds)
    c["pred"] = len(preds)
    c["tp_overlap"] = len(pairs)
    c["tp_exact"] = len(exact_pairs)
    if confident_speakers_only:
        for g in golds:
            if g.get("speaker_confident") is False:
                g["speaker_unscorable"] = True
    c["gold_unscorable"] = sum(1 for g in golds if g.get("speaker_unscorable"))
    c["e2e_gold"] = len(golds) - c["gold_unscorable"]
    c["e2e_pred"] = len(preds)
    matched: list[tuple[int, int, float, bool | None]] = []
    for gi, pi, r in pairs:
        g, p = golds[gi], preds[pi]
        ok: bool | None
        if g.get("speaker_unscorable"):
            c["e2e_pred"] -= 1  # neither right nor wrong
            c["matched_unscorable"] += 1
            ok = None
        else:
            ok = speaker_correct(g.get("speaker"), p.get("speaker"))
            c["attr_n"] += 1
            c["attr_correct"] += ok
            kind = "named" if name_tokens(g.get("speaker")) else "null"
            c[f"attr_{kind}_n"] += 1
            c[f"attr_{kind}_correct"] += ok
            c["tp_e2e"] += ok
        matched.append((gi, pi, r, ok))
    return DocResult(doc_key(gdoc.get("id", "")), text, golds, preds, matched, c)


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Precision, recall and F1 (rounded to 4 places) with their counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def summarize(tot: Mapping[str, int]) -> dict[str, Any]:
    """The figures from summed document counts (the reference scorer's JSON keys)."""
    tot = collections.Counter(tot)
    acc = tot["attr_correct"] / tot["attr_n"] if tot["attr_n"] else 0.0
    named = tot["attr_named_correct"] / tot["attr_named_n"] if tot["attr_named_n"] else 0.0
    return {
        "quote_overlap": prf(tot["tp_overlap"], tot["pred"], tot["gold"]),
        "quote_exact": prf(tot["tp_exact"], tot["pred"], tot["gold"]),
        "attribution": {
            "accuracy": round(acc, 4), "correct": tot["attr_correct"], "n": tot["attr_n"],
            "named_accuracy": round(named, 4), "named_correct": tot["attr_named_correct"],
            "named_n": tot["attr_named_n"],
            "null_gold_correct": tot["attr_null_correct"], "null_gold_n": tot["attr_null_n"],
            "matched_unscorable_excluded": tot["matched_unscorable"],
        },
        "end_to_end": prf(tot["tp_e2e"], tot["e2e_pred"], tot["e2e_gold"]),
        "gold_unscorable_speakers": tot["gold_unscorable"],
    }


@dataclass
class Evaluation:
    """The result of `evaluate`: the figures, and each document's matching."""

    #: quote_overlap, quote_exact, end_to_end ({precision, recall, f1, tp, n_pred, n_gold}),
    #: attribution ({accuracy, correct, n, ...}), gold_unscorable_speakers, docs, options
    summary: dict[str, Any]
    documents: list[DocResult]
    warnings: collections.Counter[str] = field(default_factory=collections.Counter)

    def worst(self, n: int) -> list[DocResult]:
        """The `n` documents with the most errors (ties by id); documents without errors never."""
        ranked = sorted((d for d in self.documents if d.errors > 0), key=lambda d: (-d.errors, d.id))
        return ranked[:max(n, 0)]

    def to_dict(self, errors: int = 0) -> dict[str, Any]:
        """The figures as JSON (the reference scorer's ``--json`` keys), with the `errors`
        worst documents under ``worst_docs`` (id, errors, and their quotes side by side)."""
        out = dict(self.summary)
        out["warnings"] = dict(self.warnings)
        if errors:
            out["worst_docs"] = [
                {"id": d.id, "errors": d.errors, "gold": d.counts["gold"], "pred": d.counts["pred"],
                 "matched": d.counts["tp_overlap"], "rows": d.rows()}
                for d in self.worst(errors)
            ]
        return out


def evaluate(gold: Mapping[str, Any] | Iterable[Any], pred: Mapping[str, Any] | Iterable[Any], *,
             confident_speakers_only: bool = False, min_words: int = 0,
             ignore_unattributed: bool = False) -> Evaluation:
    """Score predictions against gold.

    Args:
        gold: gold documents, as `load_jsonl` returns them or as an iterable of records.
        pred: predicted documents, the same way; `Document`s (their ``to_dict()``) and
            `Failure`s (scored as missing) are accepted too, so the output of
            `quotetool.extract_many` can be passed as it is.
        confident_speakers_only: leave gold quotes marked ``"speaker_confident": false``
            out of attribution and end-to-end.
        min_words: ignore gold and predicted quotes with fewer words.
        ignore_unattributed: drop predictions on the quoted spans the gold lists as not
            attributed (document ``meta.unattributed_quoted_spans``, PolNeAR).
    """
    golds = _keyed(gold, "gold")
    preds = _keyed(pred, "prediction")
    warnings: collections.Counter[str] = collections.Counter()
    tot: collections.Counter[str] = collections.Counter()
    documents = []
    for key, gdoc in golds.items():
        pdoc = preds.get(key)
        if pdoc is None:
            warnings[W_MISSING] += 1
        res = score_document(gdoc, pdoc, warnings, confident_speakers_only=confident_speakers_only,
                             min_words=min_words, ignore_unattributed=ignore_unattributed)
        res.id = key
        tot.update(res.counts)
        documents.append(res)
    extra = sum(1 for k in preds if k not in golds)
    if extra:
        warnings[W_EXTRA] += extra
    summary = summarize(tot)
    summary["docs"] = {"gold": len(golds), "pred": len(preds)}
    summary["options"] = {"min_words": min_words, "ignore_unattributed": ignore_unattributed,
                          "confident_speakers_only": confident_speakers_only}
    return Evaluation(summary, documents, warnings)


def predict(gold: Mapping[str, Any] | Iterable[Any], *, model: str | None = None, n_process: int = 1,
            header: bool = True, on_result: Callable[[Any], None] | None = None,
            ) -> tuple[list[Record], list[Failure]]:
    """Run the extractor on every gold text (ids kept): (prediction records, failures).

    `on_result` is called with each Document or Failure as it comes (for a progress bar).
    Raises EvaluationError if a gold document has no text."""
    from . import pipeline

    docs = list(_keyed(gold, "gold").values())
    for d in docs:
        if not isinstance(d.get("text"), str):
            raise EvaluationError(f"gold document {d['id']!r} has no text to extract from; "
                                  "give a predictions file")
    items = ((str(d["id"]), d["text"], None) for d in docs)
    records: list[Record] = []
    failures: list[Failure] = []
    for result in pipeline.extract_many(items, model=model, n_process=n_process, header=header):
        if on_result is not None:
            on_result(result)
        if isinstance(result, pipeline.Failure):
            failures.append(result)
        else:
            records.append(result.to_dict())
    return records, failures


# --- printing ---------------------------------------------------------------------------

_STATUS = {"ok": "OK", "speaker": "SPEAKER", "unscored": "n/a", "missed": "MISSED",
           "false_positive": "EXTRA"}
_STATUS_STYLE = {"ok": "green", "speaker": "yellow", "unscored": "dim", "missed": "red",
                 "false_positive": "red"}


def _clip(s: str, n: int = 140) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 1] + "\u2026"


def print_report(result: Evaluation, console: Console, *, errors: int = 0, title: str | None = None) -> None:
    """The figures as a Rich table, then notes, then the `errors` worst documents with
    gold and predicted quotes side by side."""
    from rich.table import Table
    from rich.text import Text

    from .render import safe_text

    s = result.summary
    qo, at = s["quote_overlap"], s["attribution"]
    if title:
        console.print(Text(safe_text(title), style="bold"))
    if s["options"]["confident_speakers_only"]:
        console.print("confident gold speakers only")
    console.print(f"documents: gold {s['docs']['gold']}, predicted {s['docs']['pred']};  "
                  f"quotes: gold {qo['n_gold']}, predicted {qo['n_pred']}")
    table = Table(show_edge=True)
    table.add_column("measure")
    for col in ("P", "R", "F1", "tp", "pred", "gold"):
        table.add_column(col, justify="right")
    for label, key in (("quote (overlap \u2265 0.5)", "quote_overlap"), ("quote (exact)", "quote_exact"),
                       ("end-to-end", "end_to_end")):
        m = s[key]
        table.add_row(label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                      str(m["tp"]), str(m["n_pred"]), str(m["n_gold"]),
                      style="bold" if key == "end_to_end" else None)
    console.print(table)
    console.print(f"attribution accuracy: {at['accuracy']:.3f}  ({at['correct']}/{at['n']} matched quotes; "
                  f"named gold {at['named_correct']}/{at['named_n']}, "
                  f"null gold {at['null_gold_correct']}/{at['null_gold_n']})")
    if s["gold_unscorable_speakers"]:
        console.print(f"gold quotes with an unscorable speaker (left out of attribution and end-to-end): "
                      f"{s['gold_unscorable_speakers']} ({at['matched_unscorable_excluded']} of them matched)")
    for k, v in sorted(result.warnings.items()):
        console.print(f"note: {k}: {v}")
    if errors:
        worst = result.worst(errors)
        if not worst:
            console.print("no document has errors")
        for d in worst:
            console.print()
            print_document(d, console)


def print_document(d: DocResult, console: Console) -> None:
    """One document's gold and predicted quotes side by side."""
    from rich.table import Table
    from rich.text import Text

    from .render import safe_text

    c = d.counts
    console.print(Text(safe_text(f"{d.id}: {d.errors} error{'' if d.errors == 1 else 's'} (gold {c['gold']}, predicted {c['pred']}, "
                                 f"matched {c['tp_overlap']})"), style="bold"))
    table = Table(show_lines=True)
    table.add_column("", no_wrap=True)
    table.add_column("gold speaker", min_width=9, max_width=20)
    table.add_column("gold quote")
    table.add_column("predicted speaker", min_width=9, max_width=20)
    table.add_column("predicted quote")

    def cells(q: dict[str, Any] | None) -> tuple[Text, Text]:
        if q is None:
            return Text(""), Text("")
        speaker = safe_text(q["speaker"]) if q["speaker"] is not None else "(none)"
        return Text(speaker), Text(safe_text(_clip(q["quote"])))

    for row in d.rows():
        gs, gq = cells(row["gold"])
        ps, pq = cells(row["pred"])
        if row["status"] == "speaker":
            ps.stylize("yellow")
        table.add_row(Text(_STATUS[row["status"]], style=_STATUS_STYLE[row["status"]]), gs, gq, ps, pq)
    console.print(table)
