"""The pairs a run has to do, handed to its lanes: earliest first among those a lane can start.

A pair is one scenario on one adapter, or on a writer and a reader adapter (a matrix pair).
Workers start at different speeds (TensorFlow's import takes seconds, the reference's a fraction
of one), so a lane takes the earliest pair whose workers have started in that lane (or failed
to: the pair then reports why), waiting only while there is none: the other adapters' pairs run
while TensorFlow imports. Results are put back in spec order by `index`.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable

from .scenario import Scenario


@dataclass(frozen=True)
class WorkItem:
    """One pair: ``index`` is its place among the run's results."""

    index: int
    scenario: Scenario
    adapters: tuple[str, ...]  # (adapter,) or (writer, reader)


def work_items(scenarios: Iterable[Scenario], adapters: list[str], matrix: bool) -> list[WorkItem]:
    """Every pair of a run, in the order its results are reported: per scenario, each adapter,
    then (with a reader stage and ``matrix``) each writer × reader of different adapters."""
    items: list[WorkItem] = []
    for scenario in scenarios:
        pairs = [(name,) for name in adapters]
        if scenario.has_reader and matrix:
            pairs += [(writer, reader) for writer in adapters for reader in adapters if writer != reader]
        items += [WorkItem(len(items) + k, scenario, pair) for k, pair in enumerate(pairs)]
    return items


class WorkQueue:
    """Thread-safe: lanes `take` pairs until the queue is empty."""

    def __init__(self, items: Iterable[WorkItem]) -> None:
        self._queues: dict[tuple[str, ...], deque[WorkItem]] = {}
        for item in items:
            self._queues.setdefault(item.adapters, deque()).append(item)
        self._lock = threading.Lock()

    def take(self, started: Callable[[str], bool]) -> WorkItem | None:
        """The earliest pair whose adapters have all ``started``; None if there is none (yet)."""
        with self._lock:
            chosen = None
            for adapters, queue in self._queues.items():
                if queue and (chosen is None or queue[0].index < self._queues[chosen][0].index) \
                        and all(map(started, adapters)):
                    chosen = adapters
            return self._queues[chosen].popleft() if chosen is not None else None

    def empty(self) -> bool:
        with self._lock:
            return not any(self._queues.values())
