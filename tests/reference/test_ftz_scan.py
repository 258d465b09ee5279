"""The denormal scan behind FTZ / DAZ: compiled (numba) and numpy give the same flushes."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl.kernels import ftz
from reference_impl.kernels.cpu import optional_jit


def _cases(dtype: type) -> list[np.ndarray]:
    info = np.finfo(dtype)
    rng = np.random.default_rng(3)
    dense = rng.standard_normal((37, 41)).astype(dtype)
    specials = dense.copy()
    specials.flat[[0, 5, 77, 300]] = [info.tiny / 2, -info.tiny / 4, np.nan, -np.inf]
    specials.flat[[9, 10]] = [info.tiny, -0.0]  # the smallest normal and a zero stay
    return [dense, specials, specials.T, specials[::3], np.array(info.tiny / 8, dtype), dense[:2, :3] * info.tiny]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("compiled", [True, False])
def test_flush_zeroes_exactly_the_denormals_keeping_their_sign(monkeypatch, dtype, compiled):
    if compiled and optional_jit.load("ftz_jit") is None:
        pytest.skip("numba is not installed")
    if not compiled:
        monkeypatch.setitem(optional_jit._loaded, "ftz_jit", None)
    tiny = np.finfo(dtype).tiny
    for x in _cases(dtype):
        before = x.copy()
        y = ftz.flush(x)
        np.testing.assert_array_equal(x, before)  # never in place
        denormal = (np.abs(x) < tiny) & (x != 0)
        assert (y is x) == (not denormal.any())
        expected = np.where(denormal, np.copysign(dtype(0), x), x)
        np.testing.assert_array_equal(y, expected)
        assert (np.signbit(y) == np.signbit(expected)).all()
