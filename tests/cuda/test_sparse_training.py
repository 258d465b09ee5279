"""The GPU sparse training kernels against the CPU ones, bit for bit (the CPU's are checked
against TensorFlow in tests/ops/test_sparse_training_bits.py), and what each does with an index
out of range."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from reference_impl import dtypes, errors
from reference_impl.kernels.cpu.resource import ResourceHandle
from reference_impl.kernels.cuda import runtime
from reference_impl.kernels.registry import KernelContext, Ref, lookup_kernel

from cuda_helpers import host

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ops"))
from make_sparse_training_fixture import CASES, OPS, RSQRT_OPS, arguments, case_key, start  # noqa: E402

pytestmark = pytest.mark.usefixtures("gpu")


def _same_on_gpu(i: int) -> bool:
    """Whether the GPU kernel promises the CPU's bits: not for a float32 rsqrt packet (the x86
    estimate) nor for Eigen's pow packets (a power other than -0.5 on rows of 4 or more)."""
    k, inner, dtype = CASES[i]
    op, _, values, _ = OPS[k]
    if op in RSQRT_OPS and inner >= 8 and dtype == "float32":
        return False
    return not (values.get("lr_power", -0.5) != -0.5 and inner >= 4)


SAME = [i for i in range(len(CASES)) if _same_on_gpu(i)]


def _run(op: str, device: str, dtype: str, attrs: dict, inputs: list) -> list:
    ctx = KernelContext(op, op, {"T": dtypes.as_dtype(np.dtype(dtype)), **attrs}, device)
    return lookup_kernel(op, device)(ctx, inputs)


@pytest.mark.parametrize("i", SAME, ids=[case_key(i) for i in SAME])
def test_three_updates_give_the_cpus_bits(i: int) -> None:
    k, _, dtype = CASES[i]
    op, _, _, attrs = OPS[k]
    variables, grad = start(i)
    finals = []
    for device in ("CPU", "GPU"):
        refs = [Ref(f"v{j}", v.copy()) for j, v in enumerate(variables)]
        with runtime.launch_shape(2, 3):  # several blocks and threads: the grid-stride loop
            for _step in range(3):
                assert _run(op, device, dtype, attrs, refs + arguments(i, grad)) == [refs[0]]
        finals.append([host(r) for r in refs])
    for c, g in zip(*finals):
        assert c.dtype == g.dtype and c.tobytes() == g.tobytes(), (c, g)


@pytest.mark.parametrize("i", [i for i in SAME if CASES[i][1] == 3 and CASES[i][2] == "float32"],
                         ids=[case_key(i) for i in SAME if CASES[i][1] == 3 and CASES[i][2] == "float32"])
def test_resource_forms_on_both_devices(i: int) -> None:
    k, _, dtype = CASES[i]
    op, _, _, attrs = OPS[k]
    variables, grad = start(i)
    finals = []
    for device in ("CPU", "GPU"):
        handles = [ResourceHandle(f"v{j}", v.copy()) for j, v in enumerate(variables)]
        before = handles[0].value
        for _step in range(2):
            assert _run("Resource" + op, device, dtype, attrs, handles + arguments(i, grad)) == []
        assert np.array_equal(host(before), variables[0])  # (a copy was updated)
        finals.append([host(h.value) for h in handles])
    for c, g in zip(*finals):
        assert c.tobytes() == g.tobytes()


F = np.float32


def _momentum(indices: list) -> tuple[list, list]:
    refs = [Ref("v", np.arange(8, dtype=F).reshape(4, 2)), Ref("a", np.ones((4, 2), F))]
    return refs, [F(0.1), np.ones((len(indices), 2), F), np.array(indices, np.int32), F(0.9)]


def test_momentum_fails_on_both_devices_after_the_rows_before_the_bad_index() -> None:
    results = []
    for device in ("CPU", "GPU"):
        refs, values = _momentum([0, 5, 1])
        with pytest.raises(errors.InvalidArgumentError) as raised:
            _run("SparseApplyMomentum", device, "float32", {}, refs + values)
        assert raised.value.message == "Index 5 at offset 1 in indices is out of range"
        results.append([host(r) for r in refs])
    assert all(c.tobytes() == g.tobytes() for c, g in zip(*results))
    assert results[1][0][0].tolist() == [F(-0.19), F(0.81)] and results[1][0][1].tolist() == [2, 3]


@pytest.mark.parametrize("op, args", [
    ("SparseApplyAdagrad", [F(0.1)]),
    ("SparseApplyFtrl", [F(0.1), F(0.01), F(0.02), F(-0.5)]),
])
def test_adagrad_and_ftrl_skip_it_on_the_gpu_as_tfs_gpu_kernels_do(op: str, args: list) -> None:
    count = 2 if op == "SparseApplyAdagrad" else 3
    grad, good, bad = np.ones((3, 2), F), np.array([0, 1, 0], np.int32), np.array([0, 5, 0], np.int32)

    def run(device: str, indices: np.ndarray, g: np.ndarray) -> list:
        refs = [Ref("v", np.arange(8, dtype=F).reshape(4, 2))] + [Ref(f"s{j}", np.ones((4, 2), F))
                                                                 for j in range(count - 1)]
        values = [*args[:1], g, indices] if op == "SparseApplyAdagrad" else [g, indices, *args]
        _run(op, device, "float32", {}, refs + values)
        return [host(r) for r in refs]

    skipped = run("GPU", bad, grad)
    without = run("CPU", np.array([0, 0], np.int32), grad[:2])  # the same update minus the bad row
    assert all(s.tobytes() == w.tobytes() for s, w in zip(skipped, without))
    with pytest.raises(errors.InvalidArgumentError):
        run("CPU", bad, grad)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(run("CPU", good, grad), run("GPU", good, grad)))


def test_checks_are_the_cpus() -> None:
    refs, values = _momentum([0, 1])
    values[1] = np.ones((2, 3), F)
    with pytest.raises(errors.InvalidArgumentError) as raised:
        _run("SparseApplyMomentum", "GPU", "float32", {}, refs + values)
    assert raised.value.message == "var and grad must match in dimension 1"
    refs, values = _momentum([0])
    refs[1].value = None
    with pytest.raises(errors.FailedPreconditionError):
        _run("SparseApplyMomentum", "GPU", "float32", {}, refs + values)
