"""Every GPU kernel against its CPU kernel, bit for bit, on small random inputs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from reference_impl import dtypes
from reference_impl.kernels.cpu.resource import ResourceHandle
from reference_impl.kernels.registry import KernelContext, Ref, lookup_kernel

from cuda_helpers import assert_same_bits, both, host

pytestmark = pytest.mark.usefixtures("gpu")
rng = np.random.default_rng(20240605)

BINARY = ["AddV2", "Sub", "Mul", "RealDiv", "FloorDiv", "FloorMod", "Maximum", "Minimum",
          "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "Pow"]
# Operands of the output's size or of one element take the `same` / `scalar` kernels (also with
# leading or inner 1s: (1, 3) against (3,), (4,) against (1,)); the others the broadcasting one.
SHAPES = [((), ()), ((3,), ()), ((), (4,)), ((2, 3), (3,)), ((2, 1), (1, 4)), ((2, 1, 3), (4, 1)),
          ((0, 3), (3,)), ((2, 3), (2, 3)), ((1, 3), (3,)), ((4,), (1,)), ((1,), (2, 1, 3))]


def _floats(shape, dt=np.float32):  # type: ignore[no-untyped-def]
    return (rng.standard_normal(shape) * 4).astype(dt)


@pytest.mark.parametrize("op", BINARY)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_binary_float32_broadcasting(op: str, shapes: tuple) -> None:
    x, y = _floats(shapes[0]), _floats(shapes[1])
    if op == "Pow":
        x = np.abs(x)
    assert_same_bits(op, [x, y], {"T": dtypes.float32})


@pytest.mark.parametrize("n", [1, 7, 8, 17])
def test_float32_pow_rounds_as_tensorflows_packets_and_tail(n: int) -> None:
    # 1.8190593f ** 3.24f lies next to a float32 halfway point: TF's packets (8 floats, Eigen's
    # generic_pow) round it up, its last n % 8 elements are C's powf (down with glibc, as
    # TensorFlow 2.21 gives them: spec/fuzz-findings/quirks.yaml checks TF's own values)
    from reference_impl.kernels.cpu.eigen_math import libm

    x, y = np.full(n, 1.8190592527389526, np.float32), np.full(n, 3.24, np.float32)
    cpu, gpu = both("Pow", [x, y], {"T": dtypes.float32})
    packets = n - n % 8
    powf = libm("powf", arity=2)
    expected = np.array([6.948703765869141] * packets + [powf(x[0], y[0])] * (n - packets), np.float32)
    assert cpu[0].tobytes() == expected.tobytes() == gpu[0].tobytes()


@pytest.mark.parametrize("op", ["AddV2", "Sub", "Mul", "FloorDiv", "FloorMod", "Maximum"])
@pytest.mark.parametrize("dt", [np.int32, np.int64, np.float64])
def test_binary_other_dtypes(op: str, dt: type) -> None:
    x = rng.integers(-50, 50, (2, 3)).astype(dt)
    y = (rng.integers(1, 9, (3,)) * rng.choice([-1, 1], 3)).astype(dt)
    assert_same_bits(op, [x, y], {"T": dtypes.as_dtype(dt)})


def test_special_values() -> None:
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -3.0], np.float32)
    y = np.array([-0.0, 0.0, 1.0, np.inf, 2.0, np.nan, 0.0], np.float32)
    for op in ("AddV2", "Mul", "RealDiv", "Maximum", "Minimum", "FloorMod", "Equal"):
        assert_same_bits(op, [x, y], {"T": dtypes.float32})


def test_logical() -> None:
    a, b = rng.random((2, 3)) > 0.5, rng.random((3,)) > 0.5
    for op in ("LogicalAnd", "LogicalOr"):
        assert_same_bits(op, [a, b], {})
    assert_same_bits("LogicalNot", [a], {})


SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan], np.float32)


@pytest.mark.parametrize("op", ["Neg", "Square", "Sqrt", "Abs", "Floor", "Ceil", "Sign",
                                "Reciprocal", "Relu"])
def test_unary(op: str) -> None:
    assert_same_bits(op, [np.concatenate([_floats(9), SPECIAL])], {})


def test_gradient_helpers() -> None:
    y, dy = np.abs(_floats(12)) + 0.5, _floats(12)
    dy[:3] = 0.0
    assert_same_bits("SqrtGrad", [y.astype(np.float32), dy], {"T": dtypes.float32})
    assert_same_bits("ReluGrad", [dy, y.astype(np.float32) - 1.0], {"T": dtypes.float32})
    assert_same_bits("TanhGrad", [np.tanh(dy), y.astype(np.float32)], {"T": dtypes.float32})
    for dt in (np.float32, np.float64):  # (11 doubles: a tail of 3 past the 4-double packets)
        assert_same_bits("Tanh", [np.concatenate([_floats(11, dt) * 3, SPECIAL.astype(dt)])], {})
    assert_same_bits("L2Loss", [_floats(37)], {"T": dtypes.float32})
    assert_same_bits("Where", [_floats((3, 4)) > 0], {"T": dtypes.bool})
    x = _floats((2, 3, 4))
    for axis in (0, 1, 2, -1):
        assert_same_bits("Unpack", [x], {"num": x.shape[axis], "axis": axis, "T": dtypes.float32})


def _ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ia, ib = a.view(np.int32).astype(np.int64), b.view(np.int32).astype(np.int64)
    ia = np.where(ia < 0, -(ia & 0x7FFFFFFF), ia)
    ib = np.where(ib < 0, -(ib & 0x7FFFFFFF), ib)
    return np.abs(ia - ib)


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("op", ["Exp", "Log", "Cos", "Sin", "Sigmoid"])
def test_transcendental_packets_bit_exact_tails_within_one_ulp(op: str, dt: type) -> None:
    # Eigen's packet approximations are repeated operation by operation on the GPU: the same
    # bits. The last n % 8 float32s (n % 4 float64s) are C's functions on the CPU, as TF's, and
    # the device's own on a GPU, which cannot call glibc (its sinf / cosf are not always
    # correctly rounded). 45 values: five packets of float32, a tail of 5 (of 1 for float64).
    wide = np.array([0.5, 30000.0, 1e30, 80.0, -90.0, 1e-40, 3.0, -3.0], dt)
    x = np.concatenate([_floats(32, dt), wide, np.abs(_floats(5, dt))])
    if op == "Log":
        x = np.abs(x)
    x[:5] = SPECIAL.astype(dt)
    (cpu,), (gpu,) = both(op, [x], {"T": dtypes.as_dtype(dt)})
    assert cpu.dtype == gpu.dtype == dt
    packed = x.size - x.size % (4 if dt == np.float64 else 8)
    nan = np.array(np.nan, dt)  # (a NaN's sign and payload are no part of the result)
    assert np.where(np.isnan(cpu), nan, cpu)[:packed].tobytes() == \
        np.where(np.isnan(gpu), nan, gpu)[:packed].tobytes()
    same = (cpu[packed:] == gpu[packed:]) | (np.isnan(cpu[packed:]) & np.isnan(gpu[packed:]))
    if dt == np.float32:
        assert _ulps(cpu[packed:], gpu[packed:]).max() <= 1
    else:
        assert same.all()


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.float16])
def test_pow_packets_bit_exact_tails_within_one_ulp(dt: type) -> None:
    # Eigen's generic_pow (double-word log2 and exp2) on both devices; the special operands
    # (zeros, +-1, infinities, NaN, denormals, odd and even integers) in every pairing.
    special = np.array([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, np.inf, -np.inf, np.nan, 1e-40, 3.0, -2.0], dt)
    sx, sy = np.meshgrid(special, special)
    x = np.concatenate([np.abs(_floats(40, dt)), _floats(8, dt), sx.ravel(), np.abs(_floats(5, dt))])
    y = np.concatenate([_floats(40, dt), np.round(_floats(8, dt)), sy.ravel(), _floats(5, dt)])
    (cpu,), (gpu,) = both("Pow", [x, y], {"T": dtypes.as_dtype(dt)})
    packed = x.size - x.size % (4 if dt == np.float64 else 8)
    nan = np.array(np.nan, dt)
    assert np.where(np.isnan(cpu), nan, cpu)[:packed].tobytes() == \
        np.where(np.isnan(gpu), nan, gpu)[:packed].tobytes()
    finite = np.isfinite(cpu[packed:])
    assert (np.isnan(cpu[packed:]) == np.isnan(gpu[packed:])).all()
    if dt == np.float32:
        assert _ulps(cpu[packed:][finite], gpu[packed:][finite]).max(initial=0) <= 1
    else:
        assert np.array_equal(cpu[packed:], gpu[packed:], equal_nan=True)


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.float16])
def test_sigmoid_grad_packets_and_tail(dt: type) -> None:
    # dy * (y * (1 - y)) on the packets, (dy * y) * (1 - y) on the last n % P elements
    y = np.concatenate([np.abs(_floats(20, dt)) % 1, np.array([0.0, 1.0, 1e-40], dt)])
    assert_same_bits("SigmoidGrad", [y, _floats(23, dt)], {"T": dtypes.as_dtype(dt)})


@pytest.mark.parametrize("perm", [[1, 0], [2, 0, 1], [0, 2, 1], [-1, 0, 1], [], [0]])
def test_transpose(perm: list) -> None:
    shape = {0: (), 1: (5,), 2: (3, 4), 3: (2, 3, 4)}[len(perm)]
    assert_same_bits("Transpose", [_floats(shape), np.array(perm, np.int32)], {"T": dtypes.float32})


def test_transpose_refuses_what_the_cpu_refuses() -> None:
    from reference_impl import errors

    for perm in ([1, 1], [0, 2], [1, 0, 2]):
        messages = []
        for device in ("CPU", "GPU"):
            with pytest.raises(errors.InvalidArgumentError) as caught:
                lookup_kernel("Transpose", device)(KernelContext("t", "Transpose", {}, device),
                                                   [_floats((2, 3)), np.array(perm, np.int32)])
            messages.append(caught.value.message)
        assert messages[0] == messages[1]


def test_add_n_and_fill_and_zeros_like() -> None:
    xs = [_floats((2, 3)) for _ in range(4)]
    assert_same_bits("AddN", xs, {})
    assert_same_bits("Fill", [np.array([2, 3], np.int32), np.float32(1.5)], {})
    assert_same_bits("ZerosLike", [xs[0]], {})
    assert_same_bits("SelectV2", [rng.random((2, 1)) > 0.5, xs[0], xs[1][0]],
                     {"T": dtypes.float32})
    assert_same_bits("BroadcastTo", [_floats((3,)), np.array([2, 3], np.int32)], {})


@pytest.mark.parametrize("shapes", [((), (2, 3)), ((2,), (2, 3)), ((2, 3), (2, 3)), ((3,), (3,)),
                                    ((), ()), ((0,), (0, 2))], ids=str)
def test_select_takes_operands_rows_or_elements(shapes: tuple) -> None:
    cond, x_shape = shapes
    assert_same_bits("Select", [rng.random(cond) > 0.5, _floats(x_shape), _floats(x_shape)],
                     {"T": dtypes.float32})


def test_select_refuses_what_the_cpu_refuses() -> None:
    from reference_impl import errors

    for cond, x, y in [((3,), (2,), (2,)), ((2,), (), ()), ((), (1,), (2,)), ((2,), (3, 1), (3, 1))]:
        messages = []
        for device in ("CPU", "GPU"):
            with pytest.raises(errors.InvalidArgumentError) as caught:
                lookup_kernel("Select", device)(
                    KernelContext("sel", "Select", {"T": dtypes.float32}, device),
                    [np.ones(cond, bool), _floats(x), _floats(y)])
            messages.append(caught.value.message)
        assert messages[0] == messages[1]


def test_range() -> None:
    for start, limit, delta, dt in [(0, 10, 3, "int32"), (5, -2, -2, "int64"),
                                    (0.1, 2.0, 0.3, "float32"), (1.0, 0.0, -0.125, "float64"),
                                    (3, 3, 1, "int32")]:
        assert_same_bits("Range", [np.asarray(start), np.asarray(limit), np.asarray(delta)],
                         {"Tidx": dtypes.as_dtype(dt)})


@pytest.mark.parametrize("src,dst", [(np.float32, "int32"), (np.float64, "float32"),
                                     (np.int64, "int32"), (np.int32, "float32"),
                                     (np.float32, "bool"), (np.bool_, "float32")])
def test_cast(src: type, dst: str) -> None:
    x = (rng.standard_normal(7) * 1e3).astype(src) if src is not np.bool_ else \
        rng.random(7) > 0.5
    if src is np.int64:
        x = np.array([5_000_000_000, -1, 2**31], np.int64)  # wraps as astype does
    assert_same_bits("Cast", [x], {"DstT": dtypes.as_dtype(dst)})


@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_matmul(ta: bool, tb: bool) -> None:
    # Integer-valued floats: exact products and sums, so BLAS's order cannot matter.
    a = rng.integers(-9, 9, (4, 3) if ta else (3, 4)).astype(np.float32)
    b = rng.integers(-9, 9, (5, 4) if tb else (4, 5)).astype(np.float32)
    assert_same_bits("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb})


REDUCE_SHAPES = [(7,), (3, 5), (2, 3, 4), (2, 1, 3, 2), (2, 3, 2, 5)]


@pytest.mark.parametrize("op", ["Sum", "Mean", "Prod", "Max", "Min"])
@pytest.mark.parametrize("shape", REDUCE_SHAPES, ids=str)
def test_reduce_any_axes(op: str, shape: tuple) -> None:
    x = _floats(shape) * 100
    for r in range(0, len(shape) + 1):
        for axes in itertools.combinations(range(len(shape)), r):
            for keep in (False, True):
                assert_same_bits(op, [x, np.array(axes, np.int32)], {"keep_dims": keep})


def test_reduce_eigen_orders() -> None:
    # Long rows (packet loops, tails, the split above 8192), rows of every packet phase, a
    # full reduction; negative axes; ints, bools; empty inputs.
    for shape, axes in [((70,), [0]), ((3, 37), [1]), ((2, 8200), [1]), ((9000,), [0]),
                        ((3, 37), [-1]), ((2, 3, 37), [0, 2]), ((20, 9), [0]),
                        ((2, 17, 10), [1]), ((67, 3, 23), [0])]:
        x = _floats(shape)
        for op in ("Sum", "Mean", "Prod"):
            assert_same_bits(op, [x, np.array(axes, np.int32)], {})
    ints = rng.integers(-100, 100, (3, 4)).astype(np.int32)
    for op in ("Sum", "Mean", "Prod", "Max", "Min"):
        assert_same_bits(op, [ints, np.array([1], np.int32)], {})
    bools = rng.random((3, 4)) > 0.5
    for op in ("Any", "All"):
        assert_same_bits(op, [bools, np.array([0], np.int32)], {})
    for op in ("Sum", "Mean", "Max"):
        assert_same_bits(op, [np.zeros((0, 3), np.float32), np.array([0], np.int32)], {})


def test_argmax_argmin() -> None:
    x = _floats((3, 4))
    x[1, 2] = np.nan
    for op in ("ArgMax", "ArgMin"):
        for axis in (0, 1, -1):
            assert_same_bits(op, [x, np.int32(axis)], {"output_type": dtypes.int64})


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_pad(mode: str) -> None:
    x = _floats((3, 4))
    p = np.array([[1, 2], [2, 3]], np.int32) if mode != "REFLECT" else \
        np.array([[2, 1], [3, 0]], np.int32)
    if mode == "CONSTANT":
        assert_same_bits("Pad", [x, p], {})
        assert_same_bits("PadV2", [x, p, np.float32(-7.5)], {})
    else:
        assert_same_bits("MirrorPad", [x, p], {"mode": mode})


@pytest.mark.parametrize("mode, paddings", [
    ("REFLECT", [[2, 1], [3, 0], [0, 1]]),
    ("SYMMETRIC", [[1, 2], [3, 3], [1, 0]]),
    ("REFLECT", [[0, 0], [0, 0], [0, 0]]),  # (the gradient itself)
])
def test_mirror_pad_grad_folds_as_the_cpu_kernel(mode: str, paddings: list) -> None:
    p = np.array(paddings, np.int32)
    dy = _floats(tuple(int(d + a + b) for d, (a, b) in zip((3, 4, 2), paddings)))
    assert_same_bits("MirrorPadGrad", [dy, p], {"mode": mode})


# (begin, end, strides, masks): t[0], t[1:, ::2, -1], t[::-1, -1::-2], t[..., None, 1],
# t[None, ..., None], t[:, 5:1:-1], t[:, -10:10], t[()], t[1:0]
SLICES = [([0], [1], [1], {"shrink_axis_mask": 1}),
          ([1, 0, -1], [0, 0, 0], [1, 2, 1], {"begin_mask": 2, "end_mask": 3, "shrink_axis_mask": 4}),
          ([0, -1], [0, 0], [-1, -2], {"begin_mask": 1, "end_mask": 3}),
          ([0, 0, 1], [0, 0, 2], [1, 1, 1], {"ellipsis_mask": 1, "new_axis_mask": 2, "shrink_axis_mask": 4}),
          ([0, 0, 0], [0, 0, 0], [1, 1, 1], {"new_axis_mask": 5, "ellipsis_mask": 2}),
          ([0, 5], [0, 1], [1, -1], {"begin_mask": 1, "end_mask": 1}),
          ([0, -10], [0, 10], [1, 1], {"begin_mask": 1, "end_mask": 1}),
          ([], [], [], {}),
          ([1], [0], [1], {})]


@pytest.mark.parametrize("spec", SLICES, ids=str)
def test_strided_slice_and_its_gradient(spec: tuple) -> None:
    begin, end, strides, masks = spec
    x = _floats((2, 3, 4))
    index = [np.array(v, np.int32) for v in (begin, end, strides)]
    cpu, _ = both("StridedSlice", [x, *index], masks)
    assert_same_bits("StridedSlice", [x, *index], masks)
    dy = _floats(cpu[0].shape)
    assert_same_bits("StridedSliceGrad", [np.array(x.shape, np.int32), *index, dy], masks)
    for value in (dy, dy[:1] if dy.ndim else dy, np.float32(2.5)):  # also broadcast
        assert_same_bits("StridedSliceAssign", [Ref("v", x), *index, value], masks)
        cpu_handle, gpu_handle = ResourceHandle("r", x.copy()), ResourceHandle("r", x.copy())
        for device, handle in (("CPU", cpu_handle), ("GPU", gpu_handle)):
            kernel = lookup_kernel("ResourceStridedSliceAssign", device)
            kernel(KernelContext("op", "ResourceStridedSliceAssign", masks, device), [handle, *index, value])
        assert host(gpu_handle.value).tobytes() == cpu_handle.value.tobytes()


@pytest.mark.parametrize("begin, size", [([0, 1, 1], [1, 2, -1]), ([1, 0, 0], [-1, -1, 2]),
                                         ([0, 3, 0], [2, 0, 4]), ([0, 0, 0], [2, 3, 4])], ids=str)
def test_slice(begin: list, size: list) -> None:
    x = _floats((2, 3, 4))
    assert_same_bits("Slice", [x, np.array(begin, np.int32), np.array(size, np.int64)], {})


def test_concat_and_squeeze() -> None:
    a, b, c = _floats((2, 3)), _floats((2, 1)), _floats((2, 2))
    for axis in (1, -1):
        assert_same_bits("ConcatV2", [a, b, c, np.int32(axis)], {})
    assert_same_bits("ConcatV2", [a, _floats((1, 3)), np.int32(0)], {})
    assert_same_bits("Squeeze", [_floats((1, 3, 1))], {"squeeze_dims": [0]})


def test_assign_family_in_place() -> None:
    v = Ref("v", _floats((2, 3)))
    assert_same_bits("Assign", [v, _floats((2, 3))], {"T": dtypes.float32})
    assert_same_bits("AssignAdd", [v, _floats((2, 3))], {})
    assert_same_bits("AssignSub", [v, _floats((2, 3))], {})


def _f(v: float) -> np.float32:
    return np.float32(v)


TRAINING = [
    ("ApplyGradientDescent", 1, lambda r, g: [r[0], _f(0.1), g], {}),
    ("ApplyMomentum", 2, lambda r, g: [r[0], r[1], _f(0.1), g, _f(0.9)], {}),
    ("ApplyMomentum", 2, lambda r, g: [r[0], r[1], _f(0.1), g, _f(0.9)], {"use_nesterov": True}),
    ("ApplyAdagrad", 2, lambda r, g: [r[0], r[1], _f(0.1), g], {}),
    ("ApplyAdagradDA", 3, lambda r, g: [*r, g, _f(0.1), _f(0.0), _f(0.01), np.int64(3)], {}),
    ("ApplyAdagradDA", 3, lambda r, g: [*r, g, _f(0.1), _f(0.01), _f(0.01), np.int64(3)], {}),
    ("ApplyAdam", 3, lambda r, g: [*r, _f(0.9), _f(0.999), _f(0.01), _f(0.9), _f(0.999),
                                   _f(1e-7), g], {}),
    ("ApplyAdam", 3, lambda r, g: [*r, _f(0.9), _f(0.999), _f(0.01), _f(0.9), _f(0.999),
                                   _f(1e-7), g], {"use_nesterov": True}),
    ("ApplyRMSProp", 3, lambda r, g: [*r, _f(0.1), _f(0.9), _f(0.5), _f(1e-7), g], {}),
    ("ApplyCenteredRMSProp", 4, lambda r, g: [*r, _f(0.1), _f(0.9), _f(0.5), _f(1e-7), g], {}),
    ("ApplyFtrl", 3, lambda r, g: [*r, g, _f(0.1), _f(0.01), _f(0.02), _f(-0.5)], {}),
    ("ApplyFtrlV2", 3, lambda r, g: [*r, g, _f(0.1), _f(0.01), _f(0.02), _f(0.03), _f(-0.5)],
     {}),
]


@pytest.mark.parametrize("op,slots,make,attrs", TRAINING, ids=lambda v: str(v)[:24])
def test_training_updates(op: str, slots: int, make, attrs: dict) -> None:  # type: ignore[no-untyped-def]
    from reference_impl.kernels.registry import lookup_kernel

    if lookup_kernel(op, "CPU") is None:
        pytest.skip(f"no CPU {op} kernel in this checkout")
    refs = [Ref(f"s{i}", (rng.random((2, 3)) + 0.1).astype(np.float32)) for i in range(slots)]
    grad = _floats((2, 3))
    for _step in range(3):  # several steps: slots carry over, in place
        assert_same_bits(op, make(refs, grad), attrs)


@pytest.mark.parametrize("op,slots,make,attrs", TRAINING, ids=lambda v: str(v)[:24])
def test_resource_training_updates(op: str, slots: int, make, attrs: dict) -> None:  # type: ignore[no-untyped-def]
    """The Resource forms on both devices: the same bits in the handles after three steps."""
    from reference_impl.kernels.registry import KernelContext, lookup_kernel

    start = [(rng.random((2, 3)) + 0.1).astype(np.float32) for _ in range(slots)]
    grad = _floats((2, 3))
    finals = []
    for device in ("CPU", "GPU"):
        handles = [ResourceHandle(f"s{i}", value.copy()) for i, value in enumerate(start)]
        kernel = lookup_kernel("Resource" + op, device)
        for _step in range(3):
            assert kernel(KernelContext("op", "Resource" + op, attrs, device), make(handles, grad)) == []
        finals.append([host(h.value) for h in handles])
    for c, g in zip(*finals):
        assert c.tobytes() == g.tobytes()


def test_random_ops_shapes_dtypes_ranges() -> None:
    from reference_impl.kernels.registry import KernelContext, lookup_kernel

    def gpu(op: str, inputs: list, attrs: dict) -> np.ndarray:
        out = lookup_kernel(op, "GPU")(KernelContext("r", op, attrs, "GPU", {}), inputs)[0]
        return out.copy_to_host()

    shape = np.array([40, 3], np.int32)
    n = gpu("RandomStandardNormal", [shape], {"dtype": dtypes.float32, "seed": 1})
    t = gpu("TruncatedNormal", [shape], {"dtype": dtypes.float64})
    u = gpu("RandomUniform", [shape], {"dtype": dtypes.float32})
    i = gpu("RandomUniformInt", [shape, np.int32(-3), np.int32(5)], {"Tout": dtypes.int32})
    s = gpu("RandomShuffle", [np.arange(12, dtype=np.int64).reshape(6, 2)], {})
    assert n.shape == (40, 3) and n.dtype == np.float32 and n.std() > 0.5
    assert t.dtype == np.float64 and np.abs(t).max() <= 2.0
    assert u.dtype == np.float32 and u.min() >= 0.0 and u.max() < 1.0
    assert i.dtype == np.int32 and i.min() >= -3 and i.max() < 5
    assert sorted(s[:, 0].tolist()) == [0, 2, 4, 6, 8, 10] and (s[:, 1] == s[:, 0] + 1).all()
    again = gpu("RandomStandardNormal", [shape], {"dtype": dtypes.float32, "seed": 1})
    assert again.tobytes() == n.tobytes()  # seeded: the same stream in a fresh session


@pytest.mark.parametrize("threaded", [False, True], ids=["inline", "simulator-threads"])
def test_grid_stride_covers_every_element_with_several_blocks_and_threads(
        threaded: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from reference_impl.kernels.cuda import runtime

    if threaded and not runtime.SIMULATOR:
        pytest.skip("the simulator's own threads exist only under the simulator")
    # Under the simulator launches run their threads in turn on the caller's thread; the
    # simulator's own Python threads (TFCONF_CUDASIM_THREADS=1) must give the same bits.
    monkeypatch.setattr(runtime, "_inline", not threaded)
    with runtime.launch_shape(2, 3):
        assert_same_bits("AddV2", [_floats((5, 3)), _floats((3,))], {"T": dtypes.float32})
        assert_same_bits("Mul", [_floats((5, 3)), _floats((5, 3))], {"T": dtypes.float32})
        assert_same_bits("Sub", [_floats(()), _floats((7,))], {"T": dtypes.float32})
        assert_same_bits("Sum", [_floats((4, 9)), np.array([1], np.int32)], {})
        assert_same_bits("Sum", [_floats((3, 300)), np.array([1], np.int32)], {})
        assert_same_bits("All", [rng.random((3, 4, 5)) > 0.1, np.array([1, 2], np.int32)], {})
        assert_same_bits("Fill", [np.array([2, 5], np.int32), np.float32(1.5)], {})
        assert_same_bits("MirrorPad", [_floats((3, 3)), np.array([[1, 1], [2, 1]], np.int32)],
                         {"mode": "REFLECT"})
        cpu, gpu = both("ConcatV2", [_floats((2, 2)), _floats((2, 5)), np.int32(1)])
        assert cpu[0].tobytes() == gpu[0].tobytes()
        assert_same_bits("Conv2D", [_floats((1, 3, 4, 2)), _floats((2, 2, 1, 4))],
                         _conv_attrs([1, 1, 2, 1], [1, 1, 1, 1], "SAME"))


CONV = [  # (x shape NHWC, filter shape, strides, dilations, padding)
    ((1, 5, 5, 1), (3, 3, 1, 2), [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),
    ((2, 6, 7, 1), (2, 3, 1, 3), [1, 2, 3, 1], [1, 1, 1, 1], "SAME"),
    ((2, 6, 7, 1), (2, 2, 1, 2), [1, 1, 1, 1], [1, 2, 2, 1], "VALID"),
    ((1, 4, 4, 3), (3, 3, 1, 6), [1, 1, 1, 1], [1, 1, 1, 1], "SAME"),  # 3 groups of one channel
    ((1, 2, 2, 1), (3, 3, 1, 1), [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),  # empty output
]


def _conv_attrs(strides: list, dilations: list, padding: str, nchw: bool = False) -> dict:
    if nchw:
        strides = [strides[0], strides[3], strides[1], strides[2]]
        dilations = [dilations[0], dilations[3], dilations[1], dilations[2]]
    return {"T": dtypes.float32, "strides": strides, "dilations": dilations,
            "padding": padding, "data_format": "NCHW" if nchw else "NHWC"}


@pytest.mark.parametrize("case", CONV, ids=str)
@pytest.mark.parametrize("nchw", [False, True])
def test_conv2d_one_channel_per_group_bit_exact(case: tuple, nchw: bool) -> None:
    # One input channel per group: every tap is one product, and the taps' order is the CPU's.
    xs, ws, strides, dilations, padding = case
    x = _floats(xs)
    if nchw:
        x = np.ascontiguousarray(np.transpose(x, (0, 3, 1, 2)))
    assert_same_bits("Conv2D", [x, _floats(ws)], _conv_attrs(strides, dilations, padding, nchw))


def test_conv2d_several_channels_exact_values_and_special_values() -> None:
    x = rng.integers(-4, 5, (2, 5, 6, 4)).astype(np.float32)
    w = rng.integers(-3, 4, (3, 2, 4, 5)).astype(np.float32)
    assert_same_bits("Conv2D", [x, w], _conv_attrs([1, 2, 1, 1], [1, 1, 1, 1], "SAME"))
    xi, wi = x.astype(np.int32), w.astype(np.int32)
    assert_same_bits("Conv2D", [xi, wi], {**_conv_attrs([1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
                                          "T": dtypes.int32})
    # Padding reads zeros that are multiplied like any value: 0 * inf is NaN on both sides.
    w = np.ones((3, 3, 1, 1), np.float32)
    w[0, 0] = np.inf
    assert_same_bits("Conv2D", [_floats((1, 3, 3, 1)), w],
                     _conv_attrs([1, 1, 1, 1], [1, 1, 1, 1], "SAME"))
    # -0.0 products: the CPU's sum starts from +0.0.
    assert_same_bits("Conv2D", [np.full((1, 2, 2, 1), -0.0, np.float32),
                                np.ones((1, 1, 1, 1), np.float32)],
                     _conv_attrs([1, 1, 1, 1], [1, 1, 1, 1], "VALID"))


def test_conv2d_float32_close_with_many_channels() -> None:
    x, w = _floats((2, 7, 7, 8)), _floats((3, 3, 8, 4))
    cpu, gpu = both("Conv2D", [x, w], _conv_attrs([1, 1, 1, 1], [1, 1, 1, 1], "SAME"))
    np.testing.assert_allclose(gpu[0], cpu[0], rtol=1e-5, atol=1e-4)


def _resource_run(device: str, steps: list) -> list:
    """Run (op, extra inputs, attrs) steps on one device against one handle; host results."""
    from reference_impl.kernels.registry import KernelContext, lookup_kernel

    resources: dict = {}
    results = []
    handle = lookup_kernel("VarHandleOp", device)(
        KernelContext("v", "VarHandleOp", {"shared_name": "v"}, device, resources), [])[0]
    for op, extra, attrs in steps:
        ctx = KernelContext(op, op, attrs, device, resources)
        results += [np.array(o.copy_to_host() if hasattr(o, "copy_to_host") else o)
                    for o in lookup_kernel(op, device)(ctx, [handle, *extra])]
    return results


def test_resource_variable_ops_match_the_cpu_and_reads_are_snapshots() -> None:
    f32 = {"dtype": dtypes.float32}
    a, b, c = _floats((2, 3)), _floats((2, 3)), _floats((2, 3))
    steps = [("VarIsInitializedOp", [], {}),
             ("AssignVariableOp", [a], {**f32, "validate_shape": True}),
             ("VarIsInitializedOp", [], {}),
             ("ReadVariableOp", [], f32),
             ("AssignAddVariableOp", [b], f32),
             ("ReadVariableOp", [], f32),
             ("AssignSubVariableOp", [c], f32),
             ("ReadVariableOp", [], f32),
             ("AssignVariableOp", [np.arange(6, dtype=np.float64).reshape(2, 3)], f32),
             ("ReadVariableOp", [], f32)]
    cpu, gpu = _resource_run("CPU", steps), _resource_run("GPU", steps)
    assert [r.tobytes() for r in cpu] == [r.tobytes() for r in gpu]
    assert [r.dtype for r in cpu] == [r.dtype for r in gpu]

    # A read taken before an update keeps its value (TF's copy-on-write).
    from reference_impl.kernels.registry import KernelContext, lookup_kernel

    res: dict = {}
    h = lookup_kernel("VarHandleOp", "GPU")(KernelContext("h", "VarHandleOp", {}, "GPU", res),
                                            [])[0]
    run = lambda op, *ins: lookup_kernel(op, "GPU")(KernelContext(op, op, f32, "GPU", res),  # noqa: E731
                                                     [h, *ins])
    run("AssignVariableOp", a)
    before = run("ReadVariableOp")[0]
    run("AssignAddVariableOp", b)
    assert before.copy_to_host().tobytes() == a.tobytes()


def test_resource_variable_errors_match_the_cpu() -> None:
    from reference_impl import errors

    f32 = {"dtype": dtypes.float32}
    for steps in ([("ReadVariableOp", [], f32)],
                  [("AssignAddVariableOp", [_floats((2,))], f32)],
                  [("AssignVariableOp", [_floats((2,))], {**f32, "validate_shape": True}),
                   ("AssignVariableOp", [_floats((3,))], {**f32, "validate_shape": True})],
                  [("AssignVariableOp", [_floats((2,))], f32),
                   ("AssignSubVariableOp", [_floats((3,))], f32)]):
        messages = []
        for device in ("CPU", "GPU"):
            with pytest.raises(errors.OpError) as info:
                _resource_run(device, steps)
            messages.append((type(info.value), info.value.message))
        assert messages[0] == messages[1]


GENERATOR_FUNCTIONS = ("xoroshiro128p_next", "xoroshiro128p_uniform_float32",
                       "xoroshiro128p_uniform_float64", "xoroshiro128p_normal_float32",
                       "xoroshiro128p_normal_float64")


def _simulator_only() -> None:
    from reference_impl.kernels.cuda import runtime

    if not runtime.SIMULATOR:
        pytest.skip("the Python-int generator replaces numba's only under the simulator")


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 + 7, 2**63 + 5, 2**64 - 1])
def test_simulator_generator_matches_numba_bit_for_bit(seed: int) -> None:
    from numba.cuda import random as numba_random

    from reference_impl.kernels.cuda import random as gpu_random

    _simulator_only()
    ours = gpu_random.create_xoroshiro128p_states(5, seed=seed).copy_to_host()
    theirs = numba_random.create_xoroshiro128p_states(5, seed=seed).copy_to_host()
    assert ours.tobytes() == theirs.tobytes()
    # Each function alone, on several threads' streams, for a stretch of draws: same values,
    # same Python/numpy types, same states after.
    for name in GENERATOR_FUNCTIONS:
        a, b = ours.copy(), theirs.copy()
        for tid in (0, 2, 4):
            draws = [(getattr(gpu_random, name)(a, tid), getattr(numba_random, name)(b, tid))
                     for _ in range(60)]
            assert [np.asarray(x).tobytes() for x, _ in draws] == \
                [np.asarray(y).tobytes() for _, y in draws], (name, tid)
            assert [type(x) for x, _ in draws] == [type(y) for _, y in draws], (name, tid)
            assert a.tobytes() == b.tobytes(), (name, tid)
    # All of them interleaved on two state arrays in turn (the Python-int functions cache the
    # last array's view): a long sequence through every rounding path.
    pick = np.random.default_rng(seed % 2**32)
    arrays = [(ours.copy(), theirs.copy()), (ours[::-1].copy(), theirs[::-1].copy())]
    for _ in range(1500):
        a, b = arrays[int(pick.integers(2))]
        name, tid = GENERATOR_FUNCTIONS[int(pick.integers(5))], int(pick.integers(5))
        x, y = getattr(gpu_random, name)(a, tid), getattr(numba_random, name)(b, tid)
        assert (np.asarray(x).tobytes(), type(x)) == (np.asarray(y).tobytes(), type(y)), name
    assert all(a.tobytes() == b.tobytes() for a, b in arrays)


def test_simulator_generator_falls_back_to_numba_on_wrapped_states() -> None:
    from numba.cuda import random as numba_random

    from reference_impl.kernels.cuda import xoroshiro_sim

    _simulator_only()

    class Wrapped:  # as the simulator's own threads hand kernels their arrays
        def __init__(self, ary: np.ndarray) -> None:
            self.ary = ary

        def __getitem__(self, i: int) -> object:
            return self.ary[i]

    states = numba_random.create_xoroshiro128p_states(3, seed=99).copy_to_host()
    a, b = Wrapped(states.copy()), states.copy()
    for name in GENERATOR_FUNCTIONS:
        x, y = getattr(xoroshiro_sim, name)(a, 1), getattr(numba_random, name)(b, 1)
        assert np.asarray(x).tobytes() == np.asarray(y).tobytes(), name
    assert a.ary.tobytes() == b.tobytes()


RANDOM_KERNEL_CASES = [
    ("RandomStandardNormal", {"dtype": dtypes.float32}),
    ("RandomStandardNormal", {"dtype": dtypes.float64}),
    ("TruncatedNormal", {"dtype": dtypes.float32}),
    ("TruncatedNormal", {"dtype": dtypes.float64}),
    ("RandomUniform", {"dtype": dtypes.float32}),
    ("RandomUniform", {"dtype": dtypes.float64}),
    ("RandomUniformInt", {"Tout": dtypes.int32}),
    ("RandomUniformInt", {"Tout": dtypes.int64}),
    ("RandomShuffle", {}),
]


@pytest.mark.parametrize("op,attrs", RANDOM_KERNEL_CASES,
                         ids=[f"{op}-{getattr(a.get('dtype', a.get('Tout')), 'name', '')}"
                              for op, a in RANDOM_KERNEL_CASES])
@pytest.mark.parametrize("threaded", [False, True], ids=["inline", "simulator-threads"])
def test_random_kernels_draw_what_numba_functions_draw(
        op: str, attrs: dict, threaded: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The random kernels, run with the simulator's generator and with numba's own functions
    in its place, give the same tensors and leave the same states (several blocks and threads,
    so several streams; two runs, so the second starts from advanced states)."""
    from numba.cuda import random as numba_random

    from reference_impl.kernels.cuda import random as gpu_random
    from reference_impl.kernels.cuda import runtime
    from reference_impl.kernels.registry import KernelContext, lookup_kernel

    _simulator_only()
    monkeypatch.setattr(runtime, "_inline", not threaded)
    shape = np.array([7, 11], np.int32)
    if op == "RandomUniformInt":
        inputs: list = [shape, np.int32(-1000), np.int32(2**31 - 5)]
    elif op == "RandomShuffle":
        inputs = [np.arange(60, dtype=np.int64).reshape(20, 3)]
    else:
        inputs = [shape]
    attrs = {**attrs, "seed": 3, "seed2": 11}

    def run() -> tuple[list[bytes], bytes]:
        resources: dict = {}
        ctx = KernelContext("r", op, attrs, "GPU", resources)
        outs = [lookup_kernel(op, "GPU")(ctx, inputs)[0].copy_to_host().tobytes()
                for _ in range(2)]
        (states,) = resources.values()
        return outs, states.copy_to_host().tobytes()

    with runtime.launch_shape(2, 3):
        ours = run()
        for name in GENERATOR_FUNCTIONS:
            monkeypatch.setattr(gpu_random, name, getattr(numba_random, name))
        theirs = run()
    assert ours == theirs


# -- GatherV2, DynamicStitch, BroadcastTo, Cumsum, Cumprod ---------------------------------------
# (No NaN in the scans' inputs here: a GPU returns its canonical NaN where x86 keeps a payload.)

def _refused_alike(op: str, inputs: list, attrs: dict | None = None) -> str:
    """The message both devices fail with (they must fail alike)."""
    from reference_impl import errors

    messages = []
    for device in ("CPU", "GPU"):
        with pytest.raises(errors.InvalidArgumentError) as caught:
            lookup_kernel(op, device)(KernelContext("k", op, attrs or {}, device), inputs)
        messages.append(caught.value.message)
    assert messages[0] == messages[1]
    return messages[0]


def _scan_input(op: str, dt: type, shape: tuple) -> np.ndarray:
    if np.dtype(dt).kind in "iu":
        return rng.integers(-4, 5, shape).astype(dt) if op == "Cumprod" else \
            rng.integers(-2**30, 2**30, shape).astype(dt)  # (int32 sums wrap)
    x = _floats(shape, np.float64)
    if op == "Cumprod":
        x = 1 + x / 16
    if np.dtype(dt).kind == "c":
        return (x + 1j * _floats(shape, np.float64)).astype(dt)
    return x.astype(dt)


@pytest.mark.parametrize("op", ["Cumsum", "Cumprod"])
@pytest.mark.parametrize("dt", [np.float32, np.float64, np.float16, np.int32, np.int64, np.complex64])
def test_scans(op: str, dt: type) -> None:
    x = _scan_input(op, dt, (2, 3, 4))
    for axis, exclusive, reverse in itertools.product((0, 1, -1), (False, True), (False, True)):
        assert_same_bits(op, [x, np.int32(axis)], {"exclusive": exclusive, "reverse": reverse})
    assert_same_bits(op, [x[0, 0], np.int64(0)], {"exclusive": True})
    assert_same_bits(op, [np.zeros((0, 3), dt), np.int32(1)], {})


@pytest.mark.parametrize("op", ["Cumsum", "Cumprod"])
def test_scans_flush_each_partial_result_and_keep_signed_zeros(op: str) -> None:
    # 2e-38 - 1.5e-38 is denormal: flushed before the next element (FTZ); 1e-40 reads as 0
    # (DAZ); 0 + -0.0 is +0.0 (the identity start); 1e-20 * 1e-20 underflows.
    x = np.array([2e-38, -1.5e-38, 1.4e-38, 1e-40, -0.0, 1.0, 1e-20, 1e-20, 3.0], np.float32)
    y = np.array([3e-308, -2.9e-308, 5.0, 1e-310, -0.0, -0.0], np.float64)
    for exclusive, reverse in itertools.product((False, True), repeat=2):
        attrs = {"exclusive": exclusive, "reverse": reverse}
        assert_same_bits(op, [x, np.int32(0)], attrs)
        assert_same_bits(op, [y, np.int32(0)], attrs)
        assert_same_bits(op, [np.array([-0.0, -0.0], np.float32), np.int32(0)], attrs)


def test_scans_refuse_what_the_cpu_refuses() -> None:
    for op in ("Cumsum", "Cumprod"):
        for x, axis in [(_floats((2, 3)), np.int32(2)), (_floats((2, 3)), np.int32(-3)),
                        (_floats((2, 3)), np.array([0], np.int32)), (np.float32(1), np.int32(0))]:
            _refused_alike(op, [x, axis])


@pytest.mark.parametrize("case", [
    ((3, 4), [2, 0, 2], 0), ((3, 4), [[3, 0], [1, 1]], 1), ((3, 4), 2, -1), ((2, 3, 4), [1, 0], 1),
    ((2, 3, 4), [[0], [3]], 2), ((3, 4), [], 1), ((0, 4), [1], 1)], ids=str)
@pytest.mark.parametrize("index_dt", [np.int32, np.int64])
def test_gather(case: tuple, index_dt: type) -> None:
    shape, indices, axis = case
    assert_same_bits("GatherV2", [_floats(shape), np.array(indices, index_dt), np.int32(axis)], {})


def test_gather_other_dtypes() -> None:
    for params in (rng.random((3, 2)) > 0.5, rng.integers(-9, 9, (3, 2)).astype(np.int64),
                   _floats((3, 2), np.float16), _floats((3, 2), np.float64)):
        assert_same_bits("GatherV2", [params, np.array([[2, 0], [1, 2]]), np.int64(0)], {})


def test_gather_out_of_range_gives_zeros_on_the_gpu() -> None:
    # TF's GPU kernel does not check the indices: it writes zeros (gather_functor_gpu.cu.h),
    # where the CPU kernel fails.
    from reference_impl import errors

    p = np.arange(1, 7, dtype=np.float32).reshape(2, 3)
    ctx = KernelContext("g", "GatherV2", {}, "GPU")
    out = host(lookup_kernel("GatherV2", "GPU")(ctx, [p, np.array([1, 5, -1]), np.int32(1)])[0])
    assert out.tolist() == [[2, 0, 0], [5, 0, 0]]
    out = host(lookup_kernel("GatherV2", "GPU")(ctx, [np.zeros((2, 0), np.float32), np.array([0]), np.int32(1)])[0])
    assert out.shape == (2, 1) and not out.any()
    with pytest.raises(errors.InvalidArgumentError, match=r"indices\[1\] = 5 is not in \[0, 3\)"):
        lookup_kernel("GatherV2", "CPU")(KernelContext("g", "GatherV2", {}, "CPU"),
                                         [p, np.array([1, 5, -1]), np.int32(1)])


def test_gather_refuses_what_the_cpu_refuses() -> None:
    for params, axis, attrs in [(_floats((2, 3)), np.int32(2), {}), (_floats((2, 3)), np.int32(-3), {}),
                                (_floats((2, 3)), np.array([1], np.int32), {}), (np.float32(1), np.int32(0), {}),
                                (_floats((2, 3)), np.int32(1), {"batch_dims": 2})]:
        _refused_alike("GatherV2", [params, np.array([0, 1]), axis], attrs)


def test_dynamic_stitch() -> None:
    ix = lambda v: np.array(v, np.int32)  # noqa: E731
    # duplicates (the last wins), a row no index names (zeros), slices of several dimensions
    assert_same_bits("DynamicStitch", [ix([0, 5, 0]), ix([[1], [5]]), _floats((3, 2, 2)), _floats((2, 1, 2, 2))], {})
    assert_same_bits("DynamicStitch", [ix(1), ix([0]), _floats((2,)), _floats((1, 2))], {})
    assert_same_bits("DynamicStitch", [ix([2, 0, 1]), rng.integers(-9, 9, (3,)).astype(np.int32)], {})
    assert_same_bits("DynamicStitch", [ix([]), ix([1, 0]), _floats((0, 3)), _floats((2, 3))], {})
    assert_same_bits("DynamicStitch", [ix([]), _floats((0, 3))], {})
    for indices, data in [([ix([0, -1])], [_floats(2)]), ([ix([0]), ix([[1]])], [_floats(1), _floats(1)]),
                          ([ix([0]), ix([1])], [_floats((1, 3)), _floats((1, 4))])]:
        _refused_alike("DynamicStitch", indices + data)


def test_broadcast_to_as_tensorflow() -> None:
    for x_shape, shape in [((3,), [2, 3]), ((), [2, 2]), ((2, 1, 3), [2, 4, 3]), ((3,), [0, 3]),
                           ((1,), [3, 0]), ((2, 3), [2, 3])]:
        assert_same_bits("BroadcastTo", [_floats(x_shape), np.array(shape, np.int64)], {})
    for x_shape, shape in [((2, 3), [3, 3]), ((2, 1), [1, 1]), ((2, 3), [3]), ((2,), [-2]),
                           ((2,), [0, 3])]:
        _refused_alike("BroadcastTo", [_floats(x_shape), np.array(shape, np.int32)])


def test_gather_stitch_scan_grid_stride_with_several_blocks_and_threads() -> None:
    from reference_impl.kernels.cuda import runtime

    with runtime.launch_shape(2, 3):
        assert_same_bits("Cumsum", [_floats((4, 2, 3)), np.int32(1)], {"reverse": True})
        assert_same_bits("Cumprod", [_floats((11,)), np.int32(0)], {"exclusive": True})
        assert_same_bits("GatherV2", [_floats((3, 5)), np.array([4, 0, 4, 2]), np.int32(1)], {})
        assert_same_bits("DynamicStitch", [np.array([3, 0, 3], np.int32), _floats((3, 4))], {})


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.float16])
def test_div_no_nan_zero_denominators_denormals_and_broadcasting(dt: type) -> None:
    # +0 wherever y == 0 (also -0.0, and a float32 / float64 denormal y, read as 0), whatever x
    # is; float16 keeps its denormals (3 / the smallest is inf).
    tiny = np.finfo(dt).smallest_subnormal
    x = np.array([0.0, -0.0, 1.0, np.inf, np.nan, 3.0, tiny, -tiny, 7.0, np.inf, -5.0], dt)
    y = np.array([0.0, 0.0, -0.0, 0.0, -0.0, tiny, 1.0, 1.0, -np.inf, np.inf, -tiny], dt)
    assert_same_bits("DivNoNan", [x, y], {"T": dtypes.as_dtype(dt)})
    for shapes in [((2, 3), (3,)), ((2, 1), (1, 4)), ((), (4,)), ((3,), ())]:
        a, b = _floats(shapes[0], dt), np.array(_floats(shapes[1], dt))
        b[np.abs(b) < 2] = 0  # (zeros among the denominators)
        assert_same_bits("DivNoNan", [a, b], {"T": dtypes.as_dtype(dt)})


@pytest.mark.parametrize("shape, axis, num", [((4, 6), 0, 2), ((4, 6), 1, 3), ((4, 6), -1, 6),
                                              ((2, 3, 4), 1, 3), ((0, 3), 0, 2), ((6,), 0, 1)],
                         ids=str)
def test_split(shape: tuple, axis: int, num: int) -> None:
    assert_same_bits("Split", [np.int32(axis), _floats(shape)], {"num_split": num})


@pytest.mark.parametrize("shape, sizes, axis", [((4, 6), [1, -1, 2], 1), ((4, 6), [3, 1], 0),
                                                ((2, 5, 4), [2, 0, 3], 1), ((2, 0), [0, -1], 1),
                                                ((3, 2), [3], 0)], ids=str)
def test_split_v(shape: tuple, sizes: list, axis: int) -> None:
    for dt in (np.int32, np.int64):
        assert_same_bits("SplitV", [_floats(shape), np.array(sizes, dt), np.int32(axis)],
                         {"num_split": len(sizes)})
    assert_same_bits("SplitV", [np.arange(12, dtype=np.int64).reshape(3, 4), np.array([1, 3], np.int32),
                                np.int32(-1)], {"num_split": 2})


def test_split_refuses_what_the_cpu_refuses() -> None:
    x = _floats((4, 6))
    assert _refused_alike("Split", [np.int32(1), x], {"num_split": 4}).startswith(
        "Number of ways to split should evenly divide")
    _refused_alike("Split", [np.int32(2), x], {"num_split": 2})
    _refused_alike("Split", [np.array([0], np.int32), x], {"num_split": 2})
    for sizes, axis in [([1, 2], 0), ([-1, -1], 0), ([5, -1], 0), ([1, 1, 2], 0), ([2, 2], 3),
                        ([3], 0)]:
        _refused_alike("SplitV", [x, np.array(sizes, np.int32), np.int32(axis)],
                       {"num_split": 2 if len(sizes) != 1 else 1})
    _refused_alike("SplitV", [x, np.array([2, 2], np.int32), np.array([0, 1], np.int32)],
                   {"num_split": 2})


def test_split_grid_stride_with_several_blocks_and_threads() -> None:
    from reference_impl.kernels.cuda import runtime

    with runtime.launch_shape(2, 3):
        assert_same_bits("Split", [np.int32(1), _floats((3, 8, 2))], {"num_split": 4})
        assert_same_bits("SplitV", [_floats((5, 7)), np.array([2, -1, 1], np.int64), np.int32(1)],
                         {"num_split": 3})
