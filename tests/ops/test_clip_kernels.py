"""The CPU kernels behind the gradient-clipping functions against TensorFlow 2.21's: Rsqrt,
RsqrtGrad, ClipByValue and Maximum / Minimum of two zeros, bit for bit. The expected bits are
TF's own, stored by tests/ops/make_clip_fixture.py (graph mode, inputs fed through
placeholders); the tests run without TensorFlow.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from reference_impl import dtypes
from reference_impl.kernels.cpu import eigen_rsqrt
from reference_impl.kernels.cpu import rsqrt as cpu_rsqrt
from reference_impl.kernels.registry import KernelContext, lookup_kernel

sys.path.insert(0, os.path.dirname(__file__))
from make_clip_fixture import SIZES, cases  # noqa: E402

DATA = np.load(os.path.join(os.path.dirname(__file__), "data", "clip_tf.npz"))


def run(op: str, inputs: list, dtype: str) -> np.ndarray:
    ctx = KernelContext("k", op, {"T": dtypes.as_dtype(dtype)}, "CPU")
    return np.asarray(lookup_kernel(op, "CPU")(ctx, inputs)[0])


def bits(a: np.ndarray) -> list:
    a = np.asarray(a)
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize]).tolist()


def test_fixture_inputs_are_the_generators() -> None:
    # (the stored inputs are what make_clip_fixture draws: regenerating would reproduce them)
    for key, value in cases().items():
        assert bits(DATA[key]) == bits(value), key


def _tf_packets_reproduced() -> bool:
    """Whether this machine's ``rsqrtps`` gives the estimates TF's packets were refined from
    when the fixture was made (another vendor's table differs in the last bits)."""
    if not eigen_rsqrt.hardware_estimate_available():
        return False
    x = DATA["rsqrt_float32_203_x"]
    cut = cpu_rsqrt.packed(x.size, x.dtype)
    ours = eigen_rsqrt.rsqrt_packets(np.ascontiguousarray(x[:cut]))
    return bits(ours) == bits(DATA["rsqrt_float32_203_tf"][:cut])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("n", SIZES)
def test_rsqrt_bits(dtype: str, n: int) -> None:
    x, expected = DATA[f"rsqrt_{dtype}_{n}_x"], DATA[f"rsqrt_{dtype}_{n}_tf"]
    got = run("Rsqrt", [x], dtype)
    assert got.dtype == expected.dtype
    cut = cpu_rsqrt.packed(n, np.dtype(dtype)) if dtype != "float64" else 0
    # The scalar tail (every float64: its packets divide too) is processor-independent.
    assert bits(got[cut:]) == bits(expected[cut:])
    if cut:
        if not _tf_packets_reproduced():
            pytest.skip("the float32 packets start from another processor's rsqrtps estimate")
        assert bits(got[:cut]) == bits(expected[:cut])


def test_rsqrt_scalar_specials() -> None:
    # 1 / sqrt: +-0 and denormals (DAZ) give +-inf, inf gives 0, negatives and NaN NaN (TF 2.21's
    # values for one-element tensors).
    x = np.array([0.0, -0.0, 1e-40, -1e-40, np.inf, -np.inf, np.nan, -1.0], np.float32)
    got = np.concatenate([run("Rsqrt", [x[i:i + 1]], "float32") for i in range(x.size)])
    assert got[:5].tolist() == [np.inf, -np.inf, np.inf, -np.inf, 0.0]
    assert np.isnan(got[5:]).all()


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("n", SIZES)
def test_rsqrt_grad_bits(dtype: str, n: int) -> None:
    y, dy = DATA[f"rsqrt_grad_{dtype}_{n}_y"], DATA[f"rsqrt_grad_{dtype}_{n}_dy"]
    got = run("RsqrtGrad", [y, dy], dtype)
    assert bits(got) == bits(DATA[f"rsqrt_grad_{dtype}_{n}_tf"])


def test_rsqrt_grad_packet_and_tail_round_differently() -> None:
    # y * dy underflows to a denormal, flushed to +0: the packets' mul_no_nan then gives +0,
    # the scalar tail (-0.5 * +0) * (y * y) a -0 (TF 2.21's bits, as below).
    y = np.full(9, 1e-20, np.float32)
    dy = np.full(9, 1e-20, np.float32)
    got = run("RsqrtGrad", [y, dy], "float32")
    assert bits(got) == [0] * 8 + [0x80000000]


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32"])
@pytest.mark.parametrize("case", range(4))
def test_clip_by_value_bits(dtype: str, case: int) -> None:
    base = f"clip_{dtype}_{case}"
    got = run("ClipByValue", [DATA[base + "_x"], DATA[base + "_lo"], DATA[base + "_hi"]], dtype)
    assert bits(got) == bits(DATA[base + "_tf"])


def test_clip_by_value_refuses_other_bound_shapes() -> None:
    from reference_impl import errors

    x = np.ones((2, 3), np.float32)
    with pytest.raises(errors.InvalidArgumentError) as info:
        run("ClipByValue", [x, np.ones(3, np.float32), np.float32(2)], "float32")
    assert info.value.message == (
        "clip_value_min and clip_value_max must be either of the same shape as input, or a "
        "scalar. input shape: [2,3]clip_value_min shape: [3]clip_value_max shape: []")


@pytest.mark.parametrize("op", ["maximum", "minimum"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("case", range(7))
def test_maximum_minimum_of_two_zeros(op: str, dtype: str, case: int) -> None:
    # TF's packets give the second operand, its scalar tail (and float16) the first.
    base = f"ties_{op}_{dtype}_{case}"
    got = run(op.capitalize(), [DATA[base + "_x"], DATA[base + "_y"]], dtype)
    assert bits(got) == bits(DATA[base + "_tf"])
