"""Dask against quotetool's own worker processes, on one machine (needs the dask extra).

    python bench/dask_speed.py CORPUS.jsonl [--limit 200] [--repeat 3]

Times whole `quotetool extract` runs (process start, model load and, with --scheduler local,
the cluster's start included, as a user sees them), best of --repeat:

  -n 1, -n 2                    quotetool's own processes
  --scheduler local -n 1 / -n 2 a LocalCluster started by the run
  --scheduler tcp:// 1 / 2      an existing LocalCluster of 1 or 2 single-threaded workers, the
                                model already loaded (a run's first one loads it and is not timed)

and prints the speed-up of 2 Dask workers over 1 and the cost of Dask against -n 2. Every run
must give the same output as -n 1.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(corpus: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "quotetool", "extract", str(corpus), "-f", "jsonl", "-q", *args],
                         capture_output=True, check=True, stdin=subprocess.DEVNULL).stdout
    return time.perf_counter() - started, hashlib.sha256(out).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="JSONL corpus: {id, text} per line")
    ap.add_argument("--limit", type=int, default=200, help="first N documents (default 200)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, the best counts (default 3)")
    a = ap.parse_args()

    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with a.corpus.open(encoding="utf-8") as f:
            corpus.write_text("".join(itertools.islice(f, a.limit)), encoding="utf-8")
        times: dict[str, float] = {}
        reference = run(corpus, "-n", "1")[1]

        def best(name: str, *args: str) -> None:
            results = [run(corpus, *args) for _ in range(a.repeat)]
            assert all(digest == reference for _, digest in results), f"{name}: output differs from -n 1"
            times[name] = min(t for t, _ in results)
            print(f"{name:28} {times[name]:6.1f} s", flush=True)

        best("-n 1", "-n", "1")
        best("-n 2", "-n", "2")
        best("--scheduler local -n 1", "--scheduler", "local", "-n", "1")
        best("--scheduler local -n 2", "--scheduler", "local", "-n", "2")
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1",
                              dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL) as cluster, \
                    Client(cluster):
                run(corpus, "--scheduler", cluster.scheduler_address)  # loads the model on the workers
                best(f"--scheduler tcp:// ({workers} w)", "--scheduler", cluster.scheduler_address)

    print(f"\n{os.cpu_count()} cores, {a.limit} documents")
    print(f"2 vs 1 Dask workers, cluster running:  {times['--scheduler tcp:// (1 w)'] / times['--scheduler tcp:// (2 w)']:.2f}x")
    print(f"2 vs 1 Dask workers, --scheduler local: {times['--scheduler local -n 1'] / times['--scheduler local -n 2']:.2f}x")
    print(f"Dask (cluster running) vs -n 2:         {times['--scheduler tcp:// (2 w)'] / times['-n 2'] - 1:+.0%}")
    print(f"Dask (--scheduler local -n 2) vs -n 2:  {times['--scheduler local -n 2'] / times['-n 2'] - 1:+.0%}")


if __name__ == "__main__":
    main()
