#!/usr/bin/env python3
"""Draw each source's releases at random from its pool, and write manifest.tsv.

    python corpus/sample.py [--mirror DIR] [--seed 16] [--check]

A source's pool is every file (or record) under its path pattern at the pinned commit
that converts to an English release of 150-2,500 words holding at least one pair of
quotation marks; for a blog (`pool` = speech in sources.tsv), also a quote beside a
reporting verb ("…," said X), as releases have, so that posts quoting nobody stay out. From each pool `sources.tsv`'s `n` releases are drawn with a fixed seed,
so the draw is neither picked by hand nor different from run to run. `--check` only
prints the pool sizes.
"""

from __future__ import annotations

import argparse
import fnmatch
import random
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build  # noqa: E402
import convert  # noqa: E402

MIN_WORDS, MAX_WORDS = 150, 2500
_PAIR = re.compile(r"“[^”“]{2,}?”|(?:^|[\s(\[—–-])\"[^\"\n]{2,}?\"|«[^»]{2,}»|„[^“”]{2,}[“”]")
# English test: share of very common English function words among the words.
_EN = {"the", "and", "of", "to", "in", "a", "is", "for", "that", "with", "on", "said", "was", "are"}


def body(text: str) -> str:
    return text.split("\n\n", 1)[1] if "\n\n" in text else text


# A quote beside a reporting verb: how a blog's pool keeps to posts that quote someone.
_SPEECH = re.compile(r"[”\"],?\s+(?:\w+\s+){0,4}?(?:said|says|added|adds|explained|explains|noted|notes|stated|states|commented|comments|wrote|writes)\b"
                     r"|\b(?:said|says|added|explained|noted|stated|commented|wrote|writes)\b[^.“\"]{0,60}[:,]\s*[“\"]")


def qualifies(text: str, speech: bool = False) -> bool:
    words = re.findall(r"\w+", body(text))
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return False
    if sum(w.lower() in _EN for w in words) / len(words) < 0.12:
        return False
    if speech and not _SPEECH.search(body(text)):
        return False
    return bool(_PAIR.search(body(text)))


def candidates(src: dict[str, str], mirror: Path) -> list[tuple[str, str]]:
    """(path, record) of every release under the source's pattern, in a stable order."""
    gd = build.git_dir(mirror, src["repo"])
    names = subprocess.run(["git", "--git-dir", str(gd), "ls-tree", "-r", "-z", "--name-only", src["commit"]],
                           capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    pats = src["pattern"].split("|")
    paths = sorted(n for n in names if any(fnmatch.fnmatchcase(n, p) for p in pats))
    split = convert.RECORDS.get(src["converter"])
    out = []
    for p in paths:
        if split is None:
            out.append((p, ""))
        else:
            n = len(split(build.read_blob(mirror, src["repo"], src["commit"], p)))
            out.extend((p, str(i)) for i in range(n))
    return out


def pool(src: dict[str, str], snaps: build.Snapshots) -> list[tuple[str, str]]:
    keep = []
    seen = set()
    for path, record in candidates(src, snaps.mirror):
        try:
            text = build.build_one({"path": path, "record": record}, src, snaps)
        except convert.NotARelease:
            continue
        except Exception as e:  # a file the converter cannot read is not in the pool
            print(f"sample: skip {src['source']} {path}#{record}: {e}", file=sys.stderr)
            continue
        key = body(text)
        if key in seen:  # the same release stored twice
            continue
        seen.add(key)
        if qualifies(text, src["pool"] == "speech"):
            keep.append((path, record))
    return keep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mirror", type=Path, default=build.DEFAULT_MIRROR)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--check", action="store_true", help="print pool sizes only")
    ap.add_argument("--only", nargs="*", help="sources to (re)draw; others keep their manifest rows")
    args = ap.parse_args(argv)
    snaps = build.Snapshots(args.mirror)
    srcs = build.sources()
    old = build.manifest() if (build.HERE / "manifest.tsv").exists() else []
    rows = []
    for name, src in srcs.items():
        if args.only is not None and name not in args.only:
            rows.extend(r for r in old if r["source"] == name)
            continue
        got = pool(src, snaps)
        n = min(int(src["n"]), len(got))
        print(f"{name}: pool {len(got)}, drawing {n}", file=sys.stderr)
        if args.check:
            continue
        drawn = sorted(random.Random(f"{args.seed}:{name}").sample(got, n))
        for i, (path, record) in enumerate(drawn, 1):
            rows.append({"id": f"{name}_{i:03d}", "source": name, "path": path, "record": record})
    if not args.check:
        with (build.HERE / "manifest.tsv").open("w", encoding="utf-8", newline="") as f:
            f.write("id\tsource\tpath\trecord\n")
            for r in rows:
                f.write(f"{r['id']}\t{r['source']}\t{r['path']}\t{r['record']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
