"""Slicing against numpy's basic indexing, which TF's StridedSlice follows wherever both accept
the index: the spec's static shape, the CPU kernel's value and the gradient's placement."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from reference_impl.kernels.cpu.strided_slice import (strided_slice, strided_slice_assign,
                                                      strided_slice_grad)
from reference_impl.kernels.registry import KernelContext, Ref
from reference_impl.slicing_ops import _sparse_spec
from reference_impl.strided_slice_spec import SliceSpecError, validate

rng = np.random.default_rng(20261207)
PARTS = [None, -5, -2, -1, 0, 1, 2, 4]
STEPS = [None, -3, -1, 1, 2]


def _random_index(rank: int) -> tuple:
    """A numpy basic index of ints, slices, at most one Ellipsis and new axes."""
    index: list = []
    for _ in range(rng.integers(0, rank + 2)):
        kind = rng.integers(0, 6)
        if kind == 0:
            index.append(int(rng.integers(-3, 3)))
        elif kind == 1 and Ellipsis not in index:
            index.append(Ellipsis)
        elif kind == 2:
            index.append(None)
        else:
            index.append(slice(rng.choice(PARTS), rng.choice(PARTS), rng.choice(STEPS)))
    return tuple(index)


def _run(x: np.ndarray, index: tuple) -> tuple:
    begin, end, strides, masks = _sparse_spec(index)
    ctx = KernelContext("s", "StridedSlice", masks)
    arrays = [np.array(v, np.int32) for v in (begin, end, strides)]
    return ctx, arrays, masks


@pytest.mark.parametrize("seed", range(6))
def test_slices_agree_with_numpy(seed: int) -> None:
    checked = 0
    for _ in range(150):
        shape = tuple(int(d) for d in rng.integers(0, 4, rng.integers(0, 4)))
        x = rng.standard_normal(shape).astype(np.float32)
        index = _random_index(len(shape))
        try:
            expected = x[index]
        except IndexError:
            with pytest.raises(SliceSpecError):
                ctx, arrays, masks = _run(x, index)
                validate(shape, *(a.tolist() for a in arrays), **masks)
            continue
        ctx, arrays, masks = _run(x, index)
        spec = validate(shape, *(a.tolist() for a in arrays), **masks)
        assert spec.final_shape == expected.shape, (shape, index)
        # while building, without index values: what is known must agree
        partial = validate(shape, None, None, arrays[2].tolist(), **masks).final_shape
        assert len(partial) == expected.ndim
        assert all(p is None or p == e for p, e in zip(partial, expected.shape)), (shape, index)
        (value,) = strided_slice(ctx, [x, *arrays])
        assert value.tobytes() == np.ascontiguousarray(expected).tobytes()
        dy = rng.standard_normal(expected.shape).astype(np.float32)
        (dx,) = strided_slice_grad(ctx, [np.array(shape, np.int32), *arrays, dy])
        placed = np.zeros(shape, np.float32)
        placed[index] = dy
        assert dx.tobytes() == placed.tobytes()
        ref = Ref("v", x.copy())
        strided_slice_assign(ctx, [ref, *arrays, dy])
        assigned = x.copy()
        assigned[index] = dy
        assert ref.value.tobytes() == assigned.tobytes()
        checked += 1
    assert checked > 50


def test_unknown_dimensions_stay_unknown() -> None:
    # t[1:, 0] on [?, 3]: the first dimension's extent needs its size
    spec = validate([None, 3], [1, 0], [0, 1], [1, 1], end_mask=1, shrink_axis_mask=2)
    assert spec.final_shape == (None,)
    assert validate([None, 3], None, None, [1], begin_mask=1, end_mask=1).final_shape == (None, 3)


@pytest.mark.parametrize("shape, index, message", [
    ((2,), (5,), "slice index 5 of dimension 0 out of bounds."),
    ((2, 2), (slice(None), slice(None), 0), "Index out of range using input dim 2; input has only 2 dims"),
    ((), (0,), "Attempting to slice scalar input."),
    ((2,), (slice(None, None, 0),), "strides[0] must be non-zero"),
])
def test_refusals_are_tensorflows(shape: tuple, index: tuple, message: str) -> None:
    x = np.zeros(shape, np.float32)
    ctx, arrays, masks = _run(x, index)
    with pytest.raises(SliceSpecError) as raised:
        validate(shape, *(a.tolist() for a in arrays), **masks)
    assert str(raised.value) == message


def test_two_ellipses_are_refused() -> None:
    with pytest.raises(SliceSpecError, match="Multiple ellipses"):
        validate([2, 2], [0, 0], [0, 0], [1, 1], ellipsis_mask=3)


def test_every_mask_combination_of_one_index_is_handled() -> None:
    for masks in itertools.product([0, 1], repeat=5):
        kwargs = dict(zip(("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                           "shrink_axis_mask"), masks))
        try:
            spec = validate([3], [1], [2], [1], **kwargs)
        except SliceSpecError:
            continue
        assert all(d is not None for d in spec.final_shape)


@pytest.mark.parametrize("value_shape, ok", [((1, 1, 3), True), ((1,), True), ((), True),
                                             ((3, 1), False), ((2,), False)])
def test_assigned_values_broadcast_only_by_leading_ones(value_shape: tuple, ok: bool) -> None:
    x = np.zeros((2, 3), np.float32)
    ctx, arrays, _ = _run(x, (0,))
    ref = Ref("v", x)
    value = np.arange(np.prod(value_shape), dtype=np.float32).reshape(value_shape) + 1
    if ok:
        strided_slice_assign(ctx, [ref, *arrays, value])
        expected = np.broadcast_to(value, np.broadcast_shapes(value_shape, (3,))).reshape(3)
        assert ref.value.tolist() == [expected.tolist(), [0.0, 0.0, 0.0]]
    else:
        with pytest.raises(Exception, match=r"Cannot broadcast input shape \[.*\] into final shape \[3\]"):
            strided_slice_assign(ctx, [ref, *arrays, value])


def test_slice_takes_numpys_block() -> None:
    from reference_impl.kernels.cpu.strided_slice import slice_kernel

    ctx = KernelContext("s", "Slice", {})
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    for begin in itertools.product(range(3), range(4), range(5)):
        for size in ([-1, -1, -1], [0, 1, 2], [1, -1, 0]):
            if any(b > d for b, d in zip(begin, x.shape)) or any(
                    s != -1 and b + s > d for b, s, d in zip(begin, size, x.shape)):
                with pytest.raises(Exception, match=r"Expected (begin|size)\[\d\] in \[0, \d\], but got"):
                    slice_kernel(ctx, [x, np.array(begin), np.array(size)])
                continue
            (value,) = slice_kernel(ctx, [x, np.array(begin), np.array(size)])
            expected = x[tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))]
            assert value.tobytes() == np.ascontiguousarray(expected).tobytes()


# InferenceContext::Subshape(dims, start, end), as Grappler asks it for a Slice of a shape: end
# is begin + size, so a size of -1 ends one before the end (or, from begin 1, before the start).
@pytest.mark.parametrize("start, end, expected", [
    (2, 7, [3]), (5, 6, []), (0, 3, [1, 2, 3]), (0, 9, [1, 2, 3]), (0, -1, [1, 2]),
    (1, 0, None),  # begin 1, size -1: refused, so the kernel's [2, 3] stands
    (-1, 0, None),  # start 2, end 0: refused, so TF runs the kernel (which refuses -1 too)
    (-1, -1, []),  # begin -1, size 0: the empty shape, where the kernel refuses -1
])
def test_a_slice_of_a_shape_is_its_clamped_sub_shape(start: int, end: int, expected: list | None) -> None:
    from reference_impl.grappler import _subshape

    assert _subshape([1, 2, 3], start, end) == expected
