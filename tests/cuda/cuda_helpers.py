"""Running one op's CPU and GPU kernels on the same inputs."""

from __future__ import annotations

from typing import Any

import numpy as np

from reference_impl.kernels.registry import KernelContext, Ref, lookup_kernel


def host(value: Any) -> Any:
    if isinstance(value, Ref):
        value = value.value
    return value.copy_to_host() if hasattr(value, "copy_to_host") else np.asarray(value)


def both(op: str, inputs: list, attrs: dict | None = None) -> tuple[list, list]:
    """(CPU outputs, GPU outputs) as host arrays; Ref inputs are copied for each side and the
    refs' final values are appended to the outputs."""
    results = []
    for device in ("CPU", "GPU"):
        ins = [Ref(x.name, np.array(x.value)) if isinstance(x, Ref) else x for x in inputs]
        outs = lookup_kernel(op, device)(KernelContext("op", op, attrs or {}, device), ins)
        outs = [o for o in outs if not isinstance(o, Ref)]
        results.append([host(o) for o in outs] + [host(x) for x in ins if isinstance(x, Ref)])
    return results[0], results[1]


def assert_same_bits(op: str, inputs: list, attrs: dict | None = None) -> None:
    cpu, gpu = both(op, inputs, attrs)
    assert len(cpu) == len(gpu)
    for c, g in zip(cpu, gpu):
        c, g = np.asarray(c), np.asarray(g)
        assert c.dtype == g.dtype and c.shape == g.shape, (op, c.dtype, g.dtype, c.shape, g.shape)
        assert c.tobytes() == g.tobytes(), (op, c, g)
