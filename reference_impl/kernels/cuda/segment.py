"""GPU kernel: ``UnsortedSegmentSum``, the same bits as the CPU kernel (``kernels/cpu/segment.py``).

The shapes and ``num_segments`` (``HostMemory("num_segments")``) are checked on the host with the
CPU kernel's helper and messages. TF's GPU kernel skips an id outside [0, num_segments) where
the CPU kernel fails (its rows go nowhere), and this one does the same. TF adds rows with
atomics, in no fixed order; here one thread per output element adds its segment's rows in the
order of their positions, each row and each partial sum flushed (FTZ / DAZ), so that both of
the reference's devices give the CPU kernel's bits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import cuda

from ..cpu import segment as cpu_segment
from ..ftz import computes_ftz, smallest_normal
from ..registry import GPU, KernelContext, register_kernel
from . import runtime
from .array import filled
from .scan import _combine, _flush  # (a sum step and FTZ, as the scans compute them)


def _make_kernel(dtype: np.dtype) -> Any:
    add = runtime.device_function(_combine(dtype, False))
    flush = runtime.device_function(_flush(dtype))

    @cuda.jit
    def kernel(rows, ids, out, n, inner, zero, tiny):  # type: ignore[no-untyped-def]
        for e in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            segment = e // inner
            acc = zero[0]
            for i in range(n):
                if ids[i] == segment:
                    acc = flush(add(acc, flush(rows[i * inner + e % inner], tiny)), tiny)
            out[e] = acc
    return kernel


_KERNELS: dict[np.dtype, Any] = {}


@register_kernel("UnsortedSegmentSum", GPU)
@computes_ftz  # flushes each row and partial sum itself
def unsorted_segment_sum(ctx: KernelContext, inputs: list) -> list:
    data, ids = runtime.to_device(inputs[0]), runtime.to_device(inputs[1])
    dtype = np.dtype(data.dtype)
    host = cpu_segment.segment_plan(np.empty(data.shape, np.bool_), np.empty(ids.shape, np.bool_),
                                    runtime.to_host(inputs[2]), check_ids=False)
    if host.ids.size == 0 or data.size == 0 or int(np.prod(host.out_shape)) == 0:
        return [filled(host.out_shape, 0, dtype)]
    if dtype not in _KERNELS:
        _KERNELS[dtype] = _make_kernel(dtype)
    out = runtime.empty(host.out_shape, dtype)
    tiny = smallest_normal(dtype)
    runtime.launch(_KERNELS[dtype], out.size, runtime.flat(data), runtime.flat(ids), runtime.flat(out),
                   host.ids.size, out.size // host.out_shape[0], runtime.to_device(np.zeros(1, dtype)),
                   tiny if tiny is not None else dtype.type(0))
    return [out]
