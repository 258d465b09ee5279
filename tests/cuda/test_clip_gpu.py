"""The GPU kernels of the gradient-clipping ops against their CPU kernels (which
tests/ops/test_clip_kernels.py checks against TensorFlow): ClipByValue, Rsqrt, RsqrtGrad, and
Maximum / Minimum of two zeros, bit for bit, over several blocks and threads."""

from __future__ import annotations

import numpy as np
import pytest

from reference_impl import dtypes
from reference_impl.kernels.cpu import rsqrt as cpu_rsqrt
from reference_impl.kernels.ftz import flush

from cuda_helpers import assert_same_bits, both

pytestmark = pytest.mark.usefixtures("gpu")
rng = np.random.default_rng(20250302)
SPECIAL = np.array([0.0, -0.0, 1e-40, -1e-40, np.inf, -np.inf, np.nan, 1e-30, 1.0, -2.0, 3e38])


def _values(n: int, dtype: str, positive: bool = False) -> np.ndarray:
    x = rng.standard_normal(n) * 10.0 ** rng.integers(-20, 20, n)
    x[rng.integers(0, max(n, 1), n // 3 + 1) % max(n, 1)] = rng.choice(SPECIAL, n // 3 + 1)
    with np.errstate(over="ignore", invalid="ignore"):
        return (np.abs(x) if positive else x).astype(dtype)


@pytest.fixture(autouse=True)
def _seeded() -> None:
    # Each test draws the same values whatever ran before it in its process (pytest-xdist
    # spreads the tests over processes in no fixed order).
    global rng
    rng = np.random.default_rng(20250302)


@pytest.fixture(autouse=True)
def _grid():  # type: ignore[no-untyped-def]
    from reference_impl.kernels.cuda import runtime

    with runtime.launch_shape(3, 4):  # (every grid-stride loop wraps around several times)
        yield


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "float16", "complex64"])
@pytest.mark.parametrize("shapes", [((13,), (), ()), ((2, 3), (2, 3), ()), ((5,), (), (5,)),
                                    ((4,), (4,), (4,)), ((0,), (), ())], ids=str)
def test_clip_by_value(dtype: str, shapes: tuple) -> None:
    pool = SPECIAL if dtype != "int32" else np.array([0, 1, -4, 9, 100])
    inputs = [rng.choice(pool, s).astype(dtype) for s in shapes]
    assert_same_bits("ClipByValue", inputs, {"T": dtypes.as_dtype(dtype)})


def test_clip_by_value_checks_the_bounds_on_the_host() -> None:
    from reference_impl import errors
    from reference_impl.kernels.registry import KernelContext, lookup_kernel

    kernel = lookup_kernel("ClipByValue", "GPU")
    with pytest.raises(errors.InvalidArgumentError, match="input shape: \\[3\\]clip_value_min"):
        kernel(KernelContext("c", "ClipByValue", {"T": dtypes.float32}, "GPU"),
               [np.ones(3, np.float32), np.ones(2, np.float32), np.float32(1)])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("n", [1, 3, 7, 8, 12, 21])
def test_rsqrt_grad(dtype: str, n: int) -> None:
    # The packets' order of products and their tail's, by the element's index, as on the CPU.
    assert_same_bits("RsqrtGrad", [_values(n, dtype), _values(n, dtype)],
                     {"T": dtypes.as_dtype(dtype)})


@pytest.mark.parametrize("dtype", ["float64", "float16"])
@pytest.mark.parametrize("n", [1, 5, 8, 21])
def test_rsqrt_matches_where_the_cpu_divides(dtype: str, n: int) -> None:
    assert_same_bits("Rsqrt", [_values(n, dtype, positive=n % 2 == 0)], {"T": dtypes.as_dtype(dtype)})


@pytest.mark.parametrize("n", [1, 7, 13, 21])
def test_rsqrt_float32_tail_matches_packets_divide(n: int) -> None:
    # The CPU's scalar tail is 1 / sqrt(x), which the GPU gives everywhere; the CPU's packets
    # refine the x86 rsqrtps estimate, which a GPU does not have.
    x = _values(n, "float32", positive=True)
    cpu, gpu = both("Rsqrt", [x], {"T": dtypes.float32})
    cut = cpu_rsqrt.packed(n, np.dtype(np.float32))
    assert cpu[0][cut:].tobytes() == gpu[0][cut:].tobytes()
    with np.errstate(all="ignore"):
        assert gpu[0][:cut].tobytes() == cpu_rsqrt.reciprocal_sqrt(flush(x[:cut])).tobytes()  # (DAZ)


@pytest.mark.parametrize("op", ["Maximum", "Minimum"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shapes", [((18,), (18,)), ((11,), ()), ((), (11,)), ((3,), ()),
                                    ((2, 9), (9,)), ((3, 5), (1, 5)), ((2, 3, 4), (4,)), ((), ())],
                         ids=str)
def test_maximum_minimum_of_two_zeros(op: str, dtype: str, shapes: tuple) -> None:
    # TF's packets give the second of two zeros, its scalar tail the first.
    x = rng.choice(np.array([0.0, -0.0, 1.0, np.nan]), shapes[0]).astype(dtype)
    y = rng.choice(np.array([0.0, -0.0, -1.0]), shapes[1]).astype(dtype)
    assert_same_bits(op, [x, y], {"T": dtypes.as_dtype(dtype)})
