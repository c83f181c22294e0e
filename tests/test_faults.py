"""Fault injection (issue 10): real signals, real dead workers, odd and failing output targets.

Each fault is injected into a real `python -m quotetool extract` process (or through
CliRunner where no process is needed) and the test checks the promises: a run never hangs
(every wait here is bounded), never loses a record it had, never leaves a half-written or
replaced FILE, and ends with one line on stderr and the exit status that says what happened.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quotetool.cli import cli
from procs import children

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and POSIX signals")

#: No wait in these tests may last longer than this (a hang fails the test, it doesn't stall CI).
BOUND = 60

NAMES = ["Jane Roe", "John Smith", "Maria Garcia", "Wei Chen", "Fatima Khan", "Tom Baker"]


def _release(i: int, paragraphs: int = 12) -> str:
    name = NAMES[i % len(NAMES)]
    out = [f"Minister {name} visited the northern region on Monday, release number {i}."]
    for p in range(paragraphs):
        out.append(f"\u201cWe will build road {p} before the winter,\u201d {name} said. "
                   f"The ministry published the figures for district {p} and the budget for {2000 + p}.")
        out.append(f"Officials from the regional council met the delegation at station {p}.")
    return "\n\n".join(out) + "\n"


def _folder(tmp_path: Path, n: int, paragraphs: int = 12) -> tuple[Path, list[str]]:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_text(_release(i, paragraphs), encoding="utf-8")
    return folder, [str(folder / f"r{i:03d}.txt") for i in range(n)]


def _start(args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "quotetool", *args], text=True, encoding="utf-8", **kwargs)


def _children(pid: int) -> list[int]:
    return sorted(children(pid))


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "Process " not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# --- dead workers ---------------------------------------------------------------------------


def _finish(proc: subprocess.Popen, err_file: Path) -> tuple[str, str]:
    """The rest of stdout (read from the same buffered stream as what was read already),
    and all of stderr (a file: a pipe nobody reads could block the process)."""
    timer = threading.Timer(BOUND, proc.kill)  # a hang ends the process, and fails the test
    timer.start()
    try:
        rest = proc.stdout.read() if proc.stdout else ""
        proc.wait()
    finally:
        timer.cancel()
    return rest, err_file.read_text(encoding="utf-8")


def test_sigkill_of_a_worker_mid_run_loses_nothing(tmp_path) -> None:
    folder, ids = _folder(tmp_path, 24)
    err = tmp_path / "stderr"
    with open(err, "w") as err_file:
        proc = _start(["extract", str(folder), "-n", "2", "-b", "2", "-f", "jsonl"],
                      stdout=subprocess.PIPE, stderr=err_file)
    first = proc.stdout.readline()  # the run is under way: kill a worker that is holding a batch
    workers = _children(proc.pid)
    assert len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)  # what the OOM killer does
    rest, stderr = _finish(proc, err)
    records = _lines(first + rest)
    died = [line for line in stderr.splitlines() if line.endswith(": worker died (signal 9)")]
    # Every document is there, in input order, or named on stderr as lost with the worker.
    assert [r["id"] for r in records] == [i for i in ids if f"quotetool: error: {i}: worker died (signal 9)" not in died]
    assert len(records) + len(died) == len(ids)
    assert all(r["quotes"] for r in records)
    assert proc.returncode == (1 if died else 0), stderr
    assert "Traceback" not in stderr


# --- signals --------------------------------------------------------------------------------


def _part_files(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if name.endswith(".part")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_an_existing_output_byte_identical(tmp_path, jobs) -> None:
    folder, _ = _folder(tmp_path, 40)
    out = tmp_path / "out.jsonl"
    old = b'{"id": "from an earlier, complete run"}\n' * 100
    out.write_bytes(old)
    # A session of its own, like a shell job: Ctrl-C signals the whole process group.
    proc = _start(["extract", str(folder), "-n", jobs, "-b", "2", "-o", str(out)],
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _wait_for(lambda: any(os.path.getsize(tmp_path / p) for p in _part_files(tmp_path)),
                  "the first records in the temporary file")
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=BOUND)
    finally:
        proc.kill()
    assert proc.returncode == 130, stderr
    line = _one_line(stderr)
    assert line.startswith("quotetool: interrupted (SIGINT) after ") and line.endswith(f"; {out} left as it was")
    assert out.read_bytes() == old
    assert sorted(os.listdir(tmp_path)) == ["in", "out.jsonl"]  # no temporary file, no partial
    assert stdout == ""
    _wait_for(lambda: not _children(proc.pid), "the workers to end")


def test_sigterm_keeps_the_partial_output_when_asked(tmp_path) -> None:
    folder, ids = _folder(tmp_path, 40)
    out = tmp_path / "out.json"
    proc = _start(["extract", str(folder), "-n", "2", "-b", "2", "-o", str(out), "--keep-partial"],
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_for(lambda: any(os.path.getsize(tmp_path / p) for p in _part_files(tmp_path)),
                  "the first records in the temporary file")
        proc.send_signal(signal.SIGTERM)  # the parent only: it stops its workers itself
        _, stderr = proc.communicate(timeout=BOUND)
    finally:
        proc.kill()
    assert proc.returncode == 143, stderr
    partial = tmp_path / "out.json.partial"
    records = json.loads(partial.read_text(encoding="utf-8"))  # a whole JSON array: whole records only
    assert 0 < len(records) < len(ids)
    assert [r["id"] for r in records] == ids[: len(records)]
    n = len(records)  # the first records go out a document or two at a time: 1 is likely
    assert _one_line(stderr) == (f"quotetool: interrupted (SIGTERM) after {n} input{'s' * (n != 1)}; {out} not "
                                 f"written; {n} complete document{'s' * (n != 1)} kept in {partial}")
    assert sorted(os.listdir(tmp_path)) == ["in", "out.json.partial"]
    _wait_for(lambda: not _children(proc.pid), "the workers to end")


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_sigint_during_a_slow_write_finishes_the_record(tmp_path, fmt) -> None:
    # A 2 MB record (--with-text) written to a pipe nobody reads yet: the write blocks
    # part-way, SIGINT arrives, and the record must still come out whole.
    big = tmp_path / "big.txt"
    big.write_text("The committee met in the hall and discussed the roads. " * 40_000, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(_release(1), encoding="utf-8")
    err = tmp_path / "stderr"
    with open(err, "w") as err_file:
        proc = _start(["extract", str(big), str(small), "--with-text", "-f", fmt], stdout=subprocess.PIPE,
                      stderr=err_file)
    head = proc.stdout.read(1)  # the big record's write has begun (and cannot end before we read)
    proc.send_signal(signal.SIGINT)
    _wait_for(lambda: _signal_caught(proc.pid, signal.SIGINT), "the signal to be taken")
    stdout, stderr = _finish(proc, err)
    assert proc.returncode == 130, stderr
    assert _one_line(stderr) == "quotetool: interrupted (SIGINT) after 1 input"
    text = head + stdout
    records = json.loads(text) if fmt == "json" else _lines(text)
    assert [r["id"] for r in records] == [str(big)]  # whole, and the run stopped after it
    assert records[0]["text"] == big.read_text(encoding="utf-8")


def _signal_caught(pid: int, signum: int) -> bool:
    """Has the process taken the signal (no longer pending)? A signal that is still pending
    would be taken after the write, which is what this test must not rely on."""
    with open(f"/proc/{pid}/status") as f:
        status = dict(line.split(":\t", 1) for line in f.read().splitlines() if ":\t" in line)
    pending = int(status["SigPnd"], 16) | int(status["ShdPnd"], 16)
    return not pending & (1 << (signum - 1))


# --- closed standard streams ----------------------------------------------------------------


def test_with_stderr_closed_the_records_are_still_written(tmp_path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(_release(0, 2), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00binary")
    proc = subprocess.run([sys.executable, "-m", "quotetool", "extract", str(bad), str(a), "-f", "jsonl"],
                          stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2), timeout=BOUND)
    assert proc.returncode == 1  # the bad file still counts
    assert [r["id"] for r in _lines(proc.stdout.decode())] == [str(a)]


def test_with_stdout_closed_the_run_ends_with_one_line(tmp_path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(_release(0, 2), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "quotetool", "extract", str(a)], stderr=subprocess.PIPE,
                          preexec_fn=lambda: os.close(1), timeout=BOUND, text=True)
    assert proc.returncode == 1
    assert _one_line(proc.stderr) == "quotetool: error: <stdout>: stdout is closed"


# --- output targets -------------------------------------------------------------------------

QUOTED = "\u201cWe will build it,\u201d Jane Roe said.\n"


def _input(tmp_path: Path) -> str:
    path = tmp_path / "a.txt"
    path.write_text(QUOTED, encoding="utf-8")
    return str(path)


def test_output_onto_a_symlink_writes_its_target(runner, tmp_path) -> None:
    a = _input(tmp_path)
    (tmp_path / "data").mkdir()
    target = tmp_path / "data" / "quotes.jsonl"
    target.write_text("old\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(os.path.join("data", "quotes.jsonl"))
    result = runner.invoke(cli, ["extract", a, "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == os.path.join("data", "quotes.jsonl")
    assert [r["id"] for r in _lines(target.read_text())] == [a]
    assert sorted(os.listdir(tmp_path / "data")) == ["quotes.jsonl"]


def test_output_onto_a_named_pipe_writes_into_it(runner, tmp_path) -> None:
    a = _input(tmp_path)
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = runner.invoke(cli, ["extract", a, "-o", str(fifo), "-f", "jsonl"])
    reader.join(BOUND)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a pipe, not replaced by a file
    assert [r["id"] for r in _lines(got[0].decode())] == [a]
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "feed"]


def _device(tmp_path: Path, name: str, minor: int) -> str:
    """A character device to write to: a private node (as root), else the system's own."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        return str(path)
    except (PermissionError, OSError):
        return f"/dev/{name}"  # unprivileged: nothing here could replace it anyway


def test_output_onto_a_device_is_written_directly(runner, tmp_path) -> None:
    a = _input(tmp_path)
    null = _device(tmp_path, "null", 3)
    result = runner.invoke(cli, ["extract", a, "-o", null, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    # No suffix to tell the format by: a device is written as a pipe is (jsonl), not a usage error.
    assert runner.invoke(cli, ["extract", a, "-o", null]).exit_code == 0
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert not [p for p in os.listdir(os.path.dirname(null)) if p.endswith(".part")]


@pytest.mark.parametrize("command, fmt", [("extract", f) for f in ("csv", "tsv", "json", "jsonl", "table", "html")]
                         + [("speakers", f) for f in ("csv", "json", "jsonl", "table")])
def test_a_full_device_is_one_line_for_every_format(runner, tmp_path, command, fmt) -> None:
    # /dev/full: every write fails with ENOSPC; the CSV header row, the JSON "]", the HTML
    # page's end and the speakers summary (written at the end) too.
    a = _input(tmp_path)
    full = _device(tmp_path, "full", 7)
    result = runner.invoke(cli, [command, a, "-o", full, "-f", fmt])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr == f"quotetool: error: {full}: No space left on device\n"


def _full_file_system_script(folder: Path, extract: list[str]) -> list[str] | None:
    """A shell command that runs `extract` with `folder` as a 64 KB tmpfs, in a private mount
    namespace (no clean-up needed, nothing visible outside), or None where that can't be done."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    flags = "-m" if os.geteuid() == 0 else "-rm"
    probe = subprocess.run([unshare, flags, "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {folder}"],
                           capture_output=True)
    if probe.returncode != 0:
        return None
    quoted = " ".join("'" + arg.replace("'", "'\\''") + "'" for arg in extract)
    script = (f"mount -t tmpfs -o size=64k tmpfs '{folder}' && "
              f"printf 'old output\\n' > '{folder}/out.jsonl' && "
              f"{quoted}; echo \"exit=$?\"; ls -a '{folder}'; cat '{folder}/out.jsonl'")
    return [unshare, flags, "sh", "-c", script]


def test_a_full_file_system_leaves_the_old_output_and_no_temporary_file(tmp_path) -> None:
    folder, _ = _folder(tmp_path, 12, paragraphs=30)  # about 150 KB of records: more than fits
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    extract = [sys.executable, "-m", "quotetool", "extract", str(folder), "--with-text", "-o", str(mnt / "out.jsonl"),
               "-q"]
    command = _full_file_system_script(mnt, extract)
    if command is not None:  # a real full disk: ENOSPC from a 64 KB tmpfs
        proc = subprocess.run(command, capture_output=True, text=True, timeout=BOUND)
        out, err = proc.stdout.splitlines(), proc.stderr
        assert out == ["exit=1", ".", "..", "out.jsonl", "old output"], (out, err)
        assert _one_line(err) == f"quotetool: error: {mnt / 'out.jsonl'}: No space left on device"
    else:  # no mount namespace here: a real file-size limit (EFBIG) on the same write path
        import resource

        (mnt / "out.jsonl").write_text("old output\n")

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

        proc = subprocess.run(extract, capture_output=True, text=True, timeout=BOUND, preexec_fn=limit)
        assert proc.returncode == 1
        assert _one_line(proc.stderr) == f"quotetool: error: {mnt / 'out.jsonl'}: File too large"
        assert os.listdir(mnt) == ["out.jsonl"] and (mnt / "out.jsonl").read_text() == "old output\n"
