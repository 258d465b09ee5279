"""The compiled float32 Pow packets (eigen_math_jit.py) against the numpy specification
(eigen_math.pow_packets), bit for bit, on random and special operands."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl.kernels.cpu import eigen_math

jit = pytest.importorskip("reference_impl.kernels.cpu.eigen_math_jit")


def _bits(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), np.float32(np.nan), a).view(np.uint32)


def test_pow_matches_the_numpy_packets() -> None:
    rng = np.random.default_rng(7)
    n = 20000
    special = np.array([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, np.inf, -np.inf, np.nan, 1e-40, -1e-40, 3.0,
                        -2.0, 1e30, 1e-30, 1.5, 1e-45, 3.4e38], np.float32)
    sx, sy = np.meshgrid(special, special)
    with np.errstate(all="ignore"):
        x = np.concatenate([rng.uniform(0, 5, n), np.exp(rng.uniform(-100, 88, n)), rng.uniform(-5, 5, n),
                            rng.uniform(0.99, 1.01, n), sx.ravel()]).astype(np.float32)
        y = np.concatenate([rng.uniform(-5, 5, n), rng.uniform(-3, 3, n), rng.integers(-9, 10, n),
                            rng.uniform(-400, 400, n), sy.ravel()]).astype(np.float32)
    with np.errstate(all="ignore"):
        want = eigen_math.pow_packets(x, y)
    got = np.empty_like(x)
    jit.pow_float32(x, y, got)
    differ = np.flatnonzero(_bits(got) != _bits(want))
    assert differ.size == 0, [(x[i], y[i], got[i], want[i]) for i in differ[:5]]


def test_a_large_pow_runs_compiled_with_the_same_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    x = np.linspace(0.01, 7.0, (1 << 20) + 5, dtype=np.float32)
    compiled = eigen_math.pow_(x, np.float32(1.7))
    from reference_impl.kernels.cpu import optional_jit

    monkeypatch.setitem(optional_jit._loaded, "eigen_math_jit", None)  # as without numba
    assert _bits(compiled).tobytes() == _bits(eigen_math.pow_(x, np.float32(1.7))).tobytes()
