#!/usr/bin/env python3
"""Build the release corpus from pinned public snapshots, and write its gold.

    python corpus/build.py [--mirror DIR] [--out DIR]      # build corpus/texts/, check SHA256SUMS
    python corpus/build.py --gold OUT.jsonl               # build, then write gold in FORMAT.md shape
    python corpus/build.py --write-sums                   # build and (re)write SHA256SUMS
    python corpus/build.py --stats                        # counts per publisher and kind

The repository keeps facts, not texts: `manifest.tsv` says where each release comes from
(repository, commit, path, record), `sources.tsv` how each source is converted and under
which licence, and `annotations.jsonl` holds standoff annotations (character offsets into
the built text, speaker, mention, cue). The texts themselves are rebuilt here from the
snapshots (each a git directory, bare or not, under MIRROR/OWNER+NAME/repo) and written
to a git-ignored folder.

Every converter (`convert.py`) turns one source file (or one record of it) into the same
plain layout: the title line, a date or dateline line, a blank line, then paragraphs
separated by blank lines. Standard library only, deterministic.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convert import CONVERTERS  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_MIRROR = Path(os.environ.get("QUOTETOOL_MIRROR", HERE.parent.parent / ".mirror"))
DEFAULT_OUT = HERE / "texts"



def git_dir(mirror: Path, repo: str) -> Path:
    """The git directory of REPO's snapshot under MIRROR (bare, or a clone with a work tree)."""
    base = mirror / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    raise FileNotFoundError(f"no snapshot of {repo} under {mirror} (fetch github:{repo})")


def read_blob(mirror: Path, repo: str, commit: str, path: str) -> str:
    """A file's text at a pinned commit."""
    proc = subprocess.run(["git", "--git-dir", str(git_dir(mirror, repo)), "show", f"{commit}:{path}"],
                          capture_output=True)
    if proc.returncode != 0:
        raise FileNotFoundError(f"{repo}@{commit[:12]}:{path}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode("utf-8", errors="replace").removeprefix("\ufeff")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def sources(corpus: Path = HERE) -> dict[str, dict[str, str]]:
    return {row["source"]: row for row in read_tsv(corpus / "sources.tsv")}


def manifest(corpus: Path = HERE) -> list[dict[str, str]]:
    return read_tsv(corpus / "manifest.tsv")


class Snapshots:
    """Reads source files once each (a scraped office file holds hundreds of records)."""

    def __init__(self, mirror: Path):
        self.mirror = mirror
        self._cache: dict[tuple[str, str, str], str] = {}

    def file(self, repo: str, commit: str, path: str) -> str:
        key = (repo, commit, path)
        if key not in self._cache:
            self._cache[key] = read_blob(self.mirror, repo, commit, path)
        return self._cache[key]


def build_one(row: dict[str, str], src: dict[str, str], snaps: Snapshots) -> str:
    raw = snaps.file(src["repo"], src["commit"], row["path"])
    return CONVERTERS[src["converter"]](raw, row["path"], row["record"]).text()


def build(mirror: Path, out: Path, corpus: Path = HERE) -> dict[str, str]:
    """Build every release of CORPUS's manifest into OUT; return {id: text}."""
    srcs, snaps = sources(corpus), Snapshots(mirror)
    out.mkdir(parents=True, exist_ok=True)
    texts: dict[str, str] = {}
    for row in manifest(corpus):
        text = build_one(row, srcs[row["source"]], snaps)
        texts[row["id"]] = text
        (out / f"{row['id']}.txt").write_bytes(text.encode("utf-8"))
    return texts


def sha256s(texts: dict[str, str]) -> str:
    return "".join(f"{hashlib.sha256(t.encode('utf-8')).hexdigest()}  {i}.txt\n" for i, t in sorted(texts.items()))


def check_sums(texts: dict[str, str], corpus: Path = HERE) -> list[str]:
    """Ids whose built text differs from SHA256SUMS (or is missing from it)."""
    want = {}
    sums = corpus / "SHA256SUMS"
    if sums.exists():
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, name = line.split("  ", 1)
            want[name.removesuffix(".txt")] = digest
    return [i for i, t in sorted(texts.items()) if want.get(i) != hashlib.sha256(t.encode("utf-8")).hexdigest()]


def gold(texts: dict[str, str], corpus: Path = HERE) -> Iterator[dict]:
    """Gold documents (FORMAT.md shape, with publisher and kind) from the standoff annotations."""
    rows = {r["id"]: r for r in manifest(corpus)}
    srcs = sources(corpus)
    with (corpus / "annotations.jsonl").open(encoding="utf-8") as f:
        for line in f:
            ann = json.loads(line)
            if ann["id"] not in rows:
                continue
            row, text = rows[ann["id"]], texts[ann["id"]]
            quotes = []
            for q in ann["quotes"]:
                q = dict(q)
                q["text"] = text[q["start"]:q["end"]]
                quotes.append(q)
            src = srcs[row["source"]]
            yield {"id": ann["id"], "publisher": row["source"], "kind": src["kind"],
                   "text": text, "quotes": quotes}


def stats(corpus: Path = HERE) -> str:
    """Counts per publisher and per kind, as a Markdown table (for README.md)."""
    srcs, rows = sources(corpus), manifest(corpus)
    ann = {}
    with (corpus / "annotations.jsonl").open(encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            ann[a["id"]] = a
    per: dict[str, list[int]] = {}
    for r in rows:
        c = per.setdefault(r["source"], [0, 0, 0, 0])
        a = ann.get(r["id"])
        c[0] += 1
        if a is not None:
            c[1] += 1
            c[2] += bool(a.get("annotated_twice"))
            c[3] += len(a["quotes"])
    lines = ["| source | publisher | kind | releases | annotated | annotated twice | quotes |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    kinds: dict[str, list[int]] = {}
    for name, c in per.items():
        src = srcs[name]
        lines.append(f"| {name} | {src['publisher']} | {src['kind']} | {c[0]} | {c[1]} | {c[2]} | {c[3]} |")
        k = kinds.setdefault(src["kind"], [0, 0, 0, 0, 0])
        k[0] += 1
        for i in range(4):
            k[i + 1] += c[i]
    tot = [sum(c[i] for c in per.values()) for i in range(4)]
    lines.append(f"| **all** | {len(per)} publishers | {len(kinds)} kinds | {tot[0]} | {tot[1]} | {tot[2]} | {tot[3]} |")
    lines += ["", "| kind | publishers | releases | annotated | annotated twice | quotes |",
              "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {k} | {v[0]} | {v[1]} | {v[2]} | {v[3]} | {v[4]} |" for k, v in sorted(kinds.items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", type=Path, default=DEFAULT_MIRROR,
                    help="folder of snapshots, one OWNER+NAME/repo git directory each (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the texts go (default: %(default)s)")
    ap.add_argument("--gold", type=Path, metavar="OUT.jsonl", help="also write the gold for the annotated releases")
    ap.add_argument("--write-sums", action="store_true", help="rewrite SHA256SUMS from this build")
    ap.add_argument("--stats", action="store_true", help="print counts per publisher and kind, and stop")
    args = ap.parse_args(argv)
    if args.stats:
        print(stats(), end="")
        return 0

    try:
        texts = build(args.mirror, args.out)
    except FileNotFoundError as e:
        print(f"build: error: {e}", file=sys.stderr)
        return 1
    if args.write_sums:
        (HERE / "SHA256SUMS").write_text(sha256s(texts), encoding="utf-8")
    bad = check_sums(texts)
    if bad:
        print(f"build: error: {len(bad)} text(s) differ from SHA256SUMS: {', '.join(bad[:5])}", file=sys.stderr)
        return 1
    print(f"build: {len(texts)} releases in {args.out}, all match SHA256SUMS", file=sys.stderr)
    if args.gold:
        docs = list(gold(texts))
        with args.gold.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"build: gold for {len(docs)} releases in {args.gold}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
