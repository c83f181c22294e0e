"""Process helpers shared by the tests that start and kill real worker processes."""

from __future__ import annotations

import os


def children(pid: int) -> set[int]:
    """Live (not zombie) child processes of `pid`, read from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found
