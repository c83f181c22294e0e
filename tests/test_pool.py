"""pool.supervised_map: real worker processes that really die (SIGKILL, exceptions, bad start-ups).

The work functions here are ordinary module-level functions run in forked workers; a worker
"dies" by sending itself SIGKILL, as the OOM killer would. No spaCy: each test takes a second
or less.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

from quotetool.pool import PoolError, death_reason, supervised_map
from procs import children

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _double(batch: list[object]) -> list[object]:
    out = []
    for item in batch:
        if item == "kill":
            os.kill(os.getpid(), signal.SIGKILL)  # every time it is tried
        if isinstance(item, str) and item.startswith("kill-once:"):
            marker = item.split(":", 1)[1]
            if not os.path.exists(marker):  # the first try only: the retry succeeds
                open(marker, "w").close()
                os.kill(os.getpid(), signal.SIGKILL)
            item = 0
        if item == "raise":
            raise MemoryError("out of memory on this one")
        out.append(item * 2)
    return out


def _fail(item: object, reason: str) -> str:
    return f"FAILED {item}: {reason}"


def _children() -> set[int]:
    """Live child processes of this one."""
    return children(os.getpid())


def _batches(items: list[object], size: int) -> list[list[object]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def test_results_come_in_input_order() -> None:
    items = list(range(50))
    got = list(supervised_map(_double, _batches(items, 3), processes=2, fail=_fail))
    assert got == [i * 2 for i in items]


def test_a_document_that_kills_its_worker_twice_is_the_only_loss() -> None:
    items: list[object] = [1, 2, "kill", 3, 4, 5, 6, "kill", 7]
    got = list(supervised_map(_double, _batches(items, 4), processes=2, fail=_fail))
    # Its batch-mates were retried one at a time, in fresh workers, and came through.
    assert got == [2, 4, "FAILED kill: worker died (signal 9)", 6, 8, 10, 12, "FAILED kill: worker died (signal 9)", 14]


def test_a_worker_killed_once_costs_nothing(tmp_path) -> None:
    items: list[object] = [1, f"kill-once:{tmp_path / 'a'}", 2, 3, f"kill-once:{tmp_path / 'b'}", 4]
    got = list(supervised_map(_double, _batches(items, 3), processes=2, fail=_fail))
    assert got == [2, 0, 4, 6, 0, 8]


def test_an_exception_costs_its_item_only() -> None:
    got = list(supervised_map(_double, [[1, "raise", 2], [3]], processes=2, fail=_fail))
    assert got == [2, "FAILED raise: internal error: MemoryError: out of memory on this one", 4, 6]


def test_one_worker_is_enough_and_survives_many_deaths() -> None:
    items: list[object] = ["kill"] * 5 + [1]
    got = list(supervised_map(_double, [items], processes=1, fail=_fail))
    assert got == ["FAILED kill: worker died (signal 9)"] * 5 + [2]


def _bad_init() -> None:
    raise RuntimeError("no model here")


def _dying_init() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_failing_initializer_is_an_error_not_a_hang() -> None:
    with pytest.raises(PoolError, match="worker start-up failed: RuntimeError: no model here"):
        list(supervised_map(_double, [[1]], processes=2, fail=_fail, initializer=_bad_init))
    with pytest.raises(PoolError, match=r"die at start-up \(worker died \(signal 9\)\)"):
        list(supervised_map(_double, [[1]], processes=2, fail=_fail, initializer=_dying_init))
    assert _children() == set()


def test_stopping_early_ends_every_worker() -> None:
    results = supervised_map(_double, _batches(list(range(100)), 2), processes=2, fail=_fail)
    assert next(results) == 0
    assert len(_children()) == 2
    results.close()  # what a KeyboardInterrupt in the consumer does too
    assert _children() == set()


def test_workers_ignore_sigint() -> None:
    results = supervised_map(_double, _batches(list(range(200)), 2), processes=2, fail=_fail)
    assert next(results) == 0
    workers = _children()
    for pid in workers:
        os.kill(pid, signal.SIGINT)  # what Ctrl-C sends the whole process group
    assert [next(results) for _ in range(100)] == [i * 2 for i in range(1, 101)]
    assert _children() == workers  # the same processes, still working
    results.close()


def test_death_reason() -> None:
    assert death_reason(-9) == "worker died (signal 9)"
    assert death_reason(3) == "worker died (exit status 3)"
