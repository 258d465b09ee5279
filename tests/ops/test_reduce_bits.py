"""The reference reduction kernels against TensorFlow 2.21's stored float results, bit for bit."""

from __future__ import annotations

import os

import numpy as np
import pytest

from reference_impl.kernels.cpu import reduce as kernels
from reference_impl.kernels.registry import KernelContext

import sys

sys.path.insert(0, os.path.dirname(__file__))
from make_reduce_fixture import CASES, inputs  # noqa: E402

_STORED = np.load(os.path.join(os.path.dirname(__file__), "data", "reduce_tf.npz"))
_OPS = {"sum": "Sum", "mean": "Mean", "prod": "Prod"}


@pytest.mark.parametrize("i", range(len(CASES)), ids=[f"{c[2]}{list(c[0])}-{c[1]}-{c[3]}" for c in CASES])
def test_reduction_matches_tensorflow_bits(i: int, monkeypatch: pytest.MonkeyPatch) -> None:
    shape, axes, op, dtype = CASES[i]
    monkeypatch.setattr(kernels, "_threads", lambda: 2)  # the fixture machine had 2 CPUs
    x = inputs(i, shape, op, dtype)
    indices = np.arange(len(shape), dtype=np.int32) if axes is None else np.array(axes, np.int32)
    fn = kernels._reduction(_OPS[op])
    got = fn(KernelContext("r", _OPS[op], {"keep_dims": False}), [x, indices])[0]
    want = _STORED[f"case{i}"]
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got.view(f"u{got.itemsize}"), want.view(f"u{want.itemsize}"))


def test_float32_sums_of_tenths() -> None:
    """The values of spec/ops reduce-sum-float32-order, as TF printed them."""
    fn = kernels._reduction("Sum")
    ctx = KernelContext("r", "Sum", {"keep_dims": False})
    for n, want in [(10, 1.0), (1000, 99.9999771118164), (4099, 409.900390625),
                    (100003, 10000.3193359375)]:
        got = fn(ctx, [np.full(n, np.float32(0.1)), np.array([0], np.int32)])[0]
        assert got == np.float32(want)


def test_integer_mean_truncates_toward_zero() -> None:
    fn = kernels._reduction("Mean")
    x = np.array([[1, 2], [4, 4], [-1, -2], [-7, 0]], np.int32)
    got = fn(KernelContext("m", "Mean", {"keep_dims": False}), [x, np.array([1], np.int32)])[0]
    assert got.tolist() == [1, 4, -1, -3] and got.dtype == np.int32


def test_empty_reductions_give_identities() -> None:
    x = np.zeros((0, 3), np.float32)
    ctx = KernelContext("r", "Max", {"keep_dims": False})
    assert kernels._reduction("Max")(ctx, [x, np.array([0], np.int32)])[0].tolist() == [-np.inf] * 3
    mean = kernels._reduction("Mean")(ctx, [x, np.array([0], np.int32)])[0]
    assert np.isnan(mean).all()
