"""Add / Sub / Mul / RealDiv of large float arrays run as one compiled pass that flushes
denormals as it reads and stores (kernels/cpu/elementwise_jit.py); the numpy ufunc between the
FTZ wrapper's scans is the specification. Same bits, signed zeros and NaNs included."""

from __future__ import annotations

import numpy as np
import pytest

import reference_impl.compat.v1 as tf
from reference_impl.kernels.cpu import optional_jit
from reference_impl.kernels.registry import KernelContext, lookup_kernel

N = optional_jit.MIN_SIZE + 5  # large enough for the compiled loop, not a multiple of a vector

pytestmark = pytest.mark.skipif(optional_jit.load("elementwise_jit") is None, reason="numba is not installed")


def _values(seed: int, dtype: type) -> np.ndarray:
    """Small normals, with denormals of either sign, zeros of either sign, infinities and NaN."""
    info = np.finfo(dtype)
    rng = np.random.default_rng(seed)
    a = (rng.standard_normal(N) * info.tiny * 4).astype(dtype)
    at = rng.choice(N, N // 4, replace=False)
    specials = np.array([info.tiny / 3, -info.tiny / 7, 0.0, -0.0, np.inf, -np.inf, np.nan, 1.5, -2.0,
                         info.tiny, info.max], dtype)
    a[at] = specials[np.arange(at.size) % specials.size]
    return a


class _Attr:
    def __init__(self, dtype: type) -> None:
        self.as_numpy_dtype = dtype


def _both(monkeypatch: pytest.MonkeyPatch, op: str, x, y, dtype: type) -> list[bytes]:  # type: ignore[no-untyped-def]
    kernel = lookup_kernel(op, "CPU")
    ctx = KernelContext("k", op, {"T": _Attr(dtype)})
    out = []
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setitem(optional_jit._loaded, "elementwise_jit", None)
        with np.errstate(all="ignore"):
            (result,) = kernel(ctx, [x, y])
        out.append(np.asarray(result).tobytes())
    monkeypatch.undo()
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op", ["AddV2", "Sub", "Mul", "RealDiv"])
@pytest.mark.parametrize("operands", ["arrays", "array-scalar", "scalar-array", "same-array"])
def test_the_compiled_pass_gives_the_scanned_kernels_bits(monkeypatch, dtype, op, operands):
    x, y = _values(1, dtype), _values(2, dtype)
    tiny = np.finfo(dtype).tiny
    if operands == "array-scalar":
        y = np.array(tiny / 2, dtype)  # a denormal scalar: read as a zero
    elif operands == "scalar-array":
        x = dtype(3.0)
    elif operands == "same-array":
        y = x
    before = (np.asarray(x).tobytes(), np.asarray(y).tobytes())
    compiled, scanned = _both(monkeypatch, op, x, y, dtype)
    assert compiled == scanned
    assert (np.asarray(x).tobytes(), np.asarray(y).tobytes()) == before  # inputs untouched
    result = np.frombuffer(compiled, dtype)
    assert not ((np.abs(result) < tiny) & (result != 0)).any()


def test_a_session_gives_the_same_bits_with_and_without_the_compiled_pass(monkeypatch):
    x0 = _values(3, np.float32).reshape(3, -1)
    results = []
    for compiled in (True, False):
        if not compiled:
            monkeypatch.setitem(optional_jit._loaded, "elementwise_jit", None)
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, x0.shape)
        y = (x - 1e-38) * 0.5 / 3.0 + x
        with tf.Session() as sess:
            with np.errstate(all="ignore"):
                results.append(sess.run(y, {x: x0}).tobytes())
    assert results[0] == results[1]
