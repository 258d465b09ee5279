"""The reference's Exp, Log, Sin, Cos, Sigmoid, SigmoidGrad and Pow kernels against TensorFlow 2.21's stored results,
bit for bit: Eigen's packet approximations and C's functions on the scalar tail."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from reference_impl import dtypes
from reference_impl.kernels.registry import KernelContext, lookup_kernel

sys.path.insert(0, os.path.dirname(__file__))
from make_transcendental_fixture import DTYPES, OPS  # noqa: E402

_STORED = np.load(os.path.join(os.path.dirname(__file__), "data", "transcendental_tf.npz"))


def inputs(op: str, dtype: str) -> np.ndarray:
    """The inputs TF was given (stored: numpy's exp, which spreads some, differs by machine)."""
    return _STORED[f"{op}_{dtype}_x"]


def _pair(op: str, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    return _STORED[f"{op}_{dtype}_x"], _STORED[f"{op}_{dtype}_y"]


def _run(op: str, *operands: np.ndarray) -> np.ndarray:
    kernel = lookup_kernel(op, "CPU")  # (with the registry's FTZ wrapper, as a session runs it)
    return kernel(KernelContext(op, op, {"T": dtypes.as_dtype(operands[0].dtype)}), list(operands))[0]


def _bits(a: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(a), np.array(np.nan, a.dtype), a).view(f"u{a.itemsize}")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
def test_matches_tensorflow_bits(op: str, dtype: str) -> None:
    x = inputs(op, dtype)
    got, want = _run(op, x), _STORED[f"{op}_{dtype}"]
    assert got.dtype == want.dtype and got.shape == want.shape
    differ = np.flatnonzero(_bits(got) != _bits(want))
    assert differ.size == 0, [(x[i], got[i], want[i]) for i in differ[:5]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_pow_matches_tensorflow_bits(dtype: str) -> None:
    x, y = _pair("Pow", dtype)
    got, want = _run("Pow", x, y), _STORED[f"Pow_{dtype}"]
    assert got.dtype == want.dtype and got.shape == want.shape
    differ = np.flatnonzero(_bits(got) != _bits(want))
    assert differ.size == 0, [(x[i], y[i], got[i], want[i]) for i in differ[:5]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_grad_matches_tensorflow_bits(dtype: str) -> None:
    y, dy = _pair("SigmoidGrad", dtype)
    got, want = _run("SigmoidGrad", y, dy), _STORED[f"SigmoidGrad_{dtype}"]
    differ = np.flatnonzero(_bits(got) != _bits(want))
    assert differ.size == 0, [(y[i], dy[i], got[i], want[i]) for i in differ[:5]]


@pytest.mark.parametrize("op", ["Exp", "Log"])
def test_packets_are_not_correctly_rounded(op: str) -> None:
    # What the emulation is for: TF's float32 packets differ from the correctly rounded value
    # in a good share of elements (numpy's float64 result rounded once would miss them).
    x = inputs(op, "float32")[:1000]
    with np.errstate(all="ignore"):
        rounded = getattr(np, op.lower())(x.astype(np.float64)).astype(np.float32)
    share = np.mean(_bits(rounded) != _bits(_STORED[f"{op}_float32"][:1000]))
    assert share > 0.05
    assert np.array_equal(_bits(_run(op, x)), _bits(_STORED[f"{op}_float32"][:1000]))


def test_zero_d_and_empty_inputs() -> None:
    for op in OPS:
        scalar = _run(op, np.array(0.5, np.float32))
        assert scalar.shape == () and scalar.dtype == np.float32
        assert _run(op, np.zeros((0, 3), np.float64)).shape == (0, 3)
