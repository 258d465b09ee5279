"""The compiled reducer (numba) gives the numpy reducer's bits, which tests/ops/test_reduce_bits.py
checks against TensorFlow's; and the kernels still work without numba."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl.kernels.cpu import optional_jit
from reference_impl.kernels.cpu import reduce as kernels
from reference_impl.kernels.registry import KernelContext

# Lengths around the packet (8), the 4-packet unroll (32) and the leaf (8192), odd row lengths
# whose rows start at every offset within a packet, and sizes that shard over threads.
SHAPES = [((1,), None), ((7,), None), ((33,), None), ((8192,), None), ((8193,), None),
          ((3, 100003), None), ((5, 9000), [1]), ((9, 8197), [1]), ((11, 16389), [1]),
          ((2, 3, 20001), [2]), ((3, 4, 5, 6), [1, 3]), ((1 << 20,), None)]


def _run(op: str, x: np.ndarray, axes: list[int] | None) -> np.ndarray:
    indices = np.arange(x.ndim, dtype=np.int32) if axes is None else np.array(axes, np.int32)
    ctx = KernelContext("r", op, {"keep_dims": False})
    return kernels._reduction(op)(ctx, [x, indices])[0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ["Sum", "Prod", "Mean"])
@pytest.mark.parametrize("shape,axes", SHAPES, ids=[str(s) for s, _a in SHAPES])
def test_compiled_and_numpy_paths_agree_bit_for_bit(shape: tuple[int, ...], axes: list[int] | None,
                                                    op: str, dtype: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("numba")
    rng = np.random.default_rng(len(shape) * 1000 + sum(shape))
    x = rng.standard_normal(shape).astype(dtype)
    if op == "Prod":
        x = (1.0 + 1e-4 * x).astype(dtype)
    monkeypatch.setattr(kernels, "_threads", lambda: 2)
    monkeypatch.setattr(kernels, "_JIT_MIN", 0)  # every size through the compiled code
    monkeypatch.delenv("TFCONF_NO_NUMBA", raising=False)  # this test wants both paths
    monkeypatch.delitem(optional_jit._loaded, "reduce_jit", raising=False)
    assert optional_jit.load("reduce_jit") is not None
    compiled = _run(op, x, axes)
    monkeypatch.setitem(optional_jit._loaded, "reduce_jit", None)  # as without numba
    plain = _run(op, x, axes)
    assert compiled.dtype == plain.dtype and compiled.shape == plain.shape
    assert np.array_equal(compiled.view(f"u{compiled.itemsize}"), plain.view(f"u{plain.itemsize}"))


def test_without_numba_the_numpy_path_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(optional_jit._loaded, "reduce_jit", raising=False)
    monkeypatch.setenv("TFCONF_NO_NUMBA", "1")
    assert optional_jit.load("reduce_jit") is None
    x = np.full(100003, np.float32(0.1))
    assert _run("Sum", x, None) == np.float32(10000.3193359375)  # TF's value (test_reduce_bits)
