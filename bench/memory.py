"""Peak memory of a process and all its descendants (workers, Tesseract, poppler), as PSS:
shared pages counted once across the processes that share them. For the benchmarks."""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree[parent].append(int(entry))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_mb(root: int | None = None) -> float:
    """PSS of a process (default: this one) and all its descendants (workers, Tesseract,
    poppler)."""
    tree, pids, total = _children(), [root or os.getpid()], 0
    while pids:
        pid = pids.pop()
        total += _pss_kb(pid)
        pids += tree.get(pid, [])
    return total / 1024


class PeakMemory:
    def __init__(self, root: int | None = None, every: float = 0.05):
        self.root, self.every, self.peak, self._stop = root, every, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_memory_mb(self.root))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()
