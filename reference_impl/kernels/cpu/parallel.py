"""A small thread pool and buffer cache for the CPU kernels, standing in for TF's intra-op
thread pool and its allocator.

numpy releases the GIL inside its copy and ufunc loops (and the compiled reducer releases it
too), so large copies and reductions cut into one piece per CPU run side by side. Every task
writes its own part of the output, or returns a value that the caller combines in a fixed
order, so results never depend on scheduling.

Large outputs come from ``empty``, which reuses a buffer that no array refers to any more, as
TF's allocator keeps freed memory: memory fresh from the operating system is zeroed page by
page on first touch, which costs about as much as the copy that fills it.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import numpy as np

# Below this many bytes a copy stays on the calling thread: handing work to the pool costs
# tens of microseconds, which only pays off for copies of a few hundred kilobytes.
PARALLEL_MIN_BYTES = 1 << 20

_pool: ThreadPoolExecutor | None = None
_PREFIX = "tfconf-cpu"

CACHE_MIN_BYTES = 8 << 20  # smaller blocks come from malloc's own free lists already
_CACHE_BUFFERS = 8  # at most this many cached buffers (in use or free)
_cache: list[np.ndarray] = []
_cache_lock = threading.Lock()


def cpus() -> int:
    """The CPUs this process may run on (TF sizes its intra-op pool the same way)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run(fn: Callable[[int], Any], count: int) -> list:
    """``[fn(0), ..., fn(count - 1)]``, on the pool when there is more than one task.

    A task that itself asks for parallel work runs it inline: waiting on the pool from one of
    its own threads could leave every worker waiting.
    """
    global _pool
    if count <= 1 or threading.current_thread().name.startswith(_PREFIX):
        return [fn(i) for i in range(count)]
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=max(2, cpus()), thread_name_prefix=_PREFIX)
    return list(_pool.map(fn, range(count)))


def chunks(n: int, nbytes: int) -> list[tuple[int, int]]:
    """``[0, n)`` cut into one contiguous range per CPU when ``nbytes`` of work is worth it."""
    parts = min(cpus(), n) if nbytes >= PARALLEL_MIN_BYTES else 1
    bounds = np.linspace(0, n, max(parts, 1) + 1).astype(int)
    return [(int(bounds[i]), int(bounds[i + 1])) for i in range(len(bounds) - 1)]


def assign(dst: np.ndarray, src: Any) -> None:
    """``dst[...] = src`` (``src`` an array of dst's shape, or a scalar), cut along the first
    axis among the CPUs when large; ``dst`` is a view into the output."""
    if dst.ndim == 0 or dst.size == 0:
        dst[...] = src
        return
    parts = chunks(dst.shape[0], dst.nbytes)
    full = isinstance(src, np.ndarray) and src.ndim == dst.ndim

    def part(i: int) -> None:
        lo, hi = parts[i]
        dst[lo:hi] = src[lo:hi] if full else src
    run(part, len(parts))


def _free(buf: np.ndarray) -> bool:
    """Whether only the cache refers to ``buf``: counted are the list, the caller's loop
    variable, this function's parameter and getrefcount's own argument.

    Every array made from a cached buffer has it as its ``base`` (numpy points views at the
    array that owns the memory), so a living output or view of one keeps it out of reuse.
    """
    return sys.getrefcount(buf) <= 4


def empty(shape: tuple[int, ...] | list[int], dtype: np.dtype) -> np.ndarray:
    """``np.empty(shape, dtype)``, for large sizes from a cached buffer no array uses any more
    (one at most twice the size needed, so the memory held stays bounded)."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if nbytes < CACHE_MIN_BYTES or dtype.hasobject:
        return np.empty(shape, dtype)
    with _cache_lock:
        for buf in _cache:
            if nbytes <= buf.size <= 2 * nbytes and _free(buf):
                return buf[:nbytes].view(dtype).reshape(shape)
        if len(_cache) >= _CACHE_BUFFERS:
            free = [i for i, b in enumerate(_cache) if _free(b)]
            if not free:
                return np.empty(shape, dtype)
            del _cache[free[0]]
        buf = np.empty(nbytes, np.uint8)
        _cache.append(buf)
        return buf.view(dtype).reshape(shape)
