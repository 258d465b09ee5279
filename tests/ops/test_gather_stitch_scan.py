"""The GatherV2, DynamicStitch, BroadcastTo, ListDiff, Cumsum and Cumprod CPU kernels against
TensorFlow 2.21: every expected value and message below is what ``tf.raw_ops`` gave on TF 2.21's
CPU kernels (graph mode, inputs fed through placeholders so nothing was constant-folded). The
tests themselves run without TensorFlow.

Where TF leaves memory uninitialised (DynamicStitch's rows no index names) the reference writes
zeros, which is also what TF happened to give; the cases say so.
"""

from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pytest

from reference_impl import dtypes, errors
from reference_impl.kernels.registry import KernelContext, lookup_kernel


def run(op: str, inputs: list, attrs: dict | None = None) -> list:
    return lookup_kernel(op, "CPU")(KernelContext("k", op, attrs or {}, "CPU"), inputs)


def f32(*bits: int) -> np.ndarray:
    return np.array(bits, np.uint32).view(np.float32)


def f64(*bits: int) -> np.ndarray:
    return np.array(bits, np.uint64).view(np.float64)


def f16(*bits: int) -> np.ndarray:
    return np.array(bits, np.uint16).view(np.float16)


def _stitch(indices: list, data: list) -> list:
    return [np.asarray(i, np.int32) for i in indices] + list(data)


P23 = np.arange(1, 7, dtype=np.float32).reshape(2, 3)

# (id, op, inputs, attrs, expected outputs); compared by dtype, shape and bytes.
VALUES = [
    ("gather-rows", "GatherV2", [P23, np.array([1, 0, 1], np.int32), np.int32(0)], {},
     [np.array([[4, 5, 6], [1, 2, 3], [4, 5, 6]], np.float32)]),
    ("gather-axis1-matrix-indices", "GatherV2", [P23, np.array([[2, 0], [1, 1]], np.int64), np.int32(1)], {},
     [np.array([[[3, 1], [2, 2]], [[6, 4], [5, 5]]], np.float32)]),
    ("gather-scalar-index-axis-1", "GatherV2", [P23, np.int32(2), np.int64(-1)], {},
     [np.array([3, 6], np.float32)]),
    ("gather-no-indices", "GatherV2", [P23, np.zeros(0, np.int32), np.int32(1)], {},
     [np.zeros((2, 0), np.float32)]),
    # TF's CPU functor copies nothing, so checks nothing, when the output is empty: index 5 of
    # a dimension of 2 (or 3) passes.
    ("gather-empty-slices-unchecked", "GatherV2", [np.zeros((2, 0)), np.array([5]), np.int32(0)], {},
     [np.zeros((1, 0))]),
    ("gather-empty-outer-unchecked", "GatherV2", [np.zeros((0, 3)), np.array([5]), np.int32(1)], {},
     [np.zeros((0, 1))]),
    ("gather-bool", "GatherV2", [np.array([True, False]), np.array([[1], [0]]), np.int64(-1)], {},
     [np.array([[False], [True]])]),
    ("gather-batch-dims-naming-0", "GatherV2",
     [np.arange(6.0).reshape(2, 3), np.array([2, 0], np.int32), np.int32(1)], {"batch_dims": -1},
     [np.array([[2.0, 0.0], [5.0, 3.0]])]),
    ("stitch", "DynamicStitch", _stitch([[0, 2], [1, 2]], [np.array([1.0, 2.0]), np.array([3.0, 4.0])]), {},
     [np.array([1.0, 3.0, 4.0])]),
    # Duplicates: the later input wins, then the later position within it.
    ("stitch-duplicates", "DynamicStitch",
     _stitch([[0, 1, 0], [1, 2, 1]], [np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])]), {},
     [np.array([3.0, 6.0, 5.0])]),
    # Rows 1 and 2 are named by no index: uninitialised in TF (zeros when observed), zeros here.
    ("stitch-gap", "DynamicStitch", _stitch([[0, 3]], [np.array([10.0, 20.0])]), {},
     [np.array([10.0, 0.0, 0.0, 20.0])]),
    ("stitch-first-input-empty", "DynamicStitch",
     _stitch([np.zeros(0), [[0], [1]]], [np.zeros((0, 3)), np.ones((2, 1, 3))]), {}, [np.ones((2, 3))]),
    ("stitch-scalar-index", "DynamicStitch",
     _stitch([1, [0]], [np.array([5.0, 6.0]), np.array([[1.0, 2.0]])]), {},
     [np.array([[1.0, 2.0], [5.0, 6.0]])]),
    ("stitch-empty", "DynamicStitch", _stitch([np.zeros(0)], [np.zeros((0, 3))]), {}, [np.zeros((0, 3))]),
    ("stitch-int32-slices", "DynamicStitch",
     _stitch([[2, 0], [[1]]], [np.array([[1, 2], [3, 4]], np.int32), np.array([[[5, 6]]], np.int32)]), {},
     [np.array([[3, 4], [5, 6], [1, 2]], np.int32)]),
    ("broadcast-row", "BroadcastTo", [np.arange(3, dtype=np.int32), np.array([2, 3], np.int32)], {},
     [np.array([[0, 1, 2], [0, 1, 2]], np.int32)]),
    ("broadcast-scalar", "BroadcastTo", [np.float64(2.5), np.array([2, 2], np.int32)], {},
     [np.full((2, 2), 2.5)]),
    ("broadcast-middle", "BroadcastTo", [np.arange(6.0).reshape(2, 1, 3), np.array([2, 4, 3], np.int64)], {},
     [np.broadcast_to(np.arange(6.0).reshape(2, 1, 3), (2, 4, 3))]),
    ("broadcast-to-empty", "BroadcastTo", [np.zeros(3), np.array([0, 3], np.int32)], {}, [np.zeros((0, 3))]),
    ("broadcast-empty-to-empty", "BroadcastTo", [np.zeros((0, 1)), np.array([0, 3], np.int32)], {},
     [np.zeros((0, 3))]),
    ("broadcast-1-to-0", "BroadcastTo", [np.zeros(1), np.array([3, 0], np.int32)], {}, [np.zeros((3, 0))]),
    ("broadcast-scalar-to-empty", "BroadcastTo", [np.float32(1), np.array([2, 0], np.int64)], {},
     [np.zeros((2, 0), np.float32)]),
    ("listdiff", "ListDiff", [np.array([1, 2, 3, 4, 2, 6]), np.array([2, 4])], {"out_idx": dtypes.int32},
     [np.array([1, 3, 6]), np.array([0, 2, 5], np.int32)]),
    # A NaN is never in y (x's NaN is kept even where y holds one), -0.0 is 0.0.
    ("listdiff-nan-signed-zero", "ListDiff",
     [np.array([np.nan, 1.0, -0.0, 0.0]), np.array([np.nan, 0.0])], {"out_idx": dtypes.int32},
     [np.array([np.nan, 1.0]), np.array([0, 1], np.int32)]),
    ("listdiff-int64-idx", "ListDiff", [np.array([1, 2, 3], np.int32), np.array([2], np.int32)],
     {"out_idx": dtypes.int64}, [np.array([1, 3], np.int32), np.array([0, 2], np.int64)]),
    ("listdiff-empty-x", "ListDiff", [np.zeros(0, np.int32), np.array([1], np.int32)], {"out_idx": dtypes.int32},
     [np.zeros(0, np.int32), np.zeros(0, np.int32)]),
    ("listdiff-empty-y", "ListDiff", [np.array([3, 3, 1]), np.zeros(0, np.int64)], {"out_idx": dtypes.int32},
     [np.array([3, 3, 1]), np.array([0, 1, 2], np.int32)]),
    ("listdiff-uint8", "ListDiff", [np.array([1, 2, 250], np.uint8), np.array([250], np.uint8)],
     {"out_idx": dtypes.int32}, [np.array([1, 2], np.uint8), np.array([0, 1], np.int32)]),
    ("listdiff-float16", "ListDiff", [np.array([1, 2, np.nan], np.float16), np.array([2], np.float16)],
     {"out_idx": dtypes.int32}, [np.array([1, np.nan], np.float16), np.array([0, 2], np.int32)]),
    ("cumsum-empty", "Cumsum", [np.zeros((0, 3), np.float32), np.int32(1)], {}, [np.zeros((0, 3), np.float32)]),
    ("cumsum-int32-wraps", "Cumsum", [np.array([2**31 - 1, 1, 5], np.int32), np.int32(0)], {},
     [np.array([2**31 - 1, -2**31, -2**31 + 5], np.int32)]),
    ("cumprod-int32-wraps", "Cumprod", [np.array([65536, 65536, 3], np.int32), np.int32(0)], {},
     [np.array([65536, 0, 0], np.int32)]),
    ("cumsum-axis0", "Cumsum", [P23, np.int64(0)], {}, [np.array([[1, 2, 3], [5, 7, 9]], np.float32)]),
    ("cumprod-axis-1-exclusive-reverse", "Cumprod", [P23, np.int32(-1)], {"exclusive": True, "reverse": True},
     [np.array([[6, 3, 1], [30, 6, 1]], np.float32)]),
]

SCAN_FLAGS = [(False, False), (False, True), (True, False), (True, True)]  # (exclusive, reverse)

# (id, op, x, the outputs' bits for each of SCAN_FLAGS), all along axis 0.
SCAN_BITS = [
    # The accumulator starts at the identity: 0 + -0.0 is +0.0 (numpy's cumsum keeps -0.0).
    ("cumsum-negative-zeros", "Cumsum", np.array([-0.0, -0.0, 1.0], np.float32),
     [f32(0, 0, 0x3F800000), f32(0x3F800000, 0x3F800000, 0x3F800000), f32(0, 0, 0),
      f32(0x3F800000, 0x3F800000, 0)]),
    ("cumprod-negative-zeros", "Cumprod", np.array([-0.0, -0.0, 1.0], np.float32),
     [f32(0x80000000, 0, 0), f32(0, 0x80000000, 0x3F800000), f32(0x3F800000, 0x80000000, 0),
      f32(0x80000000, 0x3F800000, 0x3F800000)]),
    ("cumsum-negative-zero-float64", "Cumsum", np.array([-0.0]), [f64(0)] * 2 + [f64(0)] * 2),
    ("cumprod-negative-zero-float64", "Cumprod", np.array([-0.0]),
     [f64(0x8000000000000000)] * 2 + [f64(0x3FF0000000000000)] * 2),
    # FTZ inside the scan: 2e-38 - 1.5e-38 rounds to a denormal, which becomes +0 (or -0)
    # before 1.4e-38 is added; a denormal input is read as zero (DAZ).
    ("cumsum-ftz-partial-sums", "Cumsum", np.array([2e-38, -1.5e-38, 1.4e-38], np.float32),
     [f32(0xD9C7DD, 0, 0x98724E), f32(0xD9C7DD, 0x80000000, 0x98724E), f32(0, 0xD9C7DD, 0),
      f32(0x80000000, 0x98724E, 0)]),
    ("cumprod-ftz-partial-products", "Cumprod", np.array([2e-38, -1.5e-38, 1.4e-38], np.float32),
     [f32(0xD9C7DD, 0x80000000, 0x80000000), f32(0x80000000, 0x80000000, 0x98724E),
      f32(0x3F800000, 0xD9C7DD, 0x80000000), f32(0x80000000, 0x98724E, 0x3F800000)]),
    ("cumsum-daz-input", "Cumsum", np.array([1e-40, 1.0], np.float32),
     [f32(0, 0x3F800000), f32(0x3F800000, 0x3F800000), f32(0, 0), f32(0x3F800000, 0)]),
    ("cumprod-underflow", "Cumprod", np.array([1e-20, 1e-20, 1e30, 1e-30], np.float32),
     [f32(0x1E3CE508, 0, 0, 0), f32(0, 0x1E3CE508, 0x3F800000, 0xDA24260),
      f32(0x3F800000, 0x1E3CE508, 0, 0), f32(0x1E3CE508, 0x3F800000, 0xDA24260, 0x3F800000)]),
    ("cumsum-ftz-float64", "Cumsum", np.array([3e-308, -2.9e-308, 5.0]),
     [f64(0x159283684DBA77, 0, 0x4014000000000000), f64(*[0x4014000000000000] * 3),
      f64(0, 0x159283684DBA77, 0), f64(0x4014000000000000, 0x4014000000000000, 0)]),
    ("cumprod-ftz-float64", "Cumprod", np.array([3e-308, -2.9e-308, 5.0]),
     [f64(0x159283684DBA77, 0x8000000000000000, 0x8000000000000000),
      f64(0x8000000000000000, 0x803A1109735DEBFA, 0x4014000000000000),
      f64(0x3FF0000000000000, 0x159283684DBA77, 0x8000000000000000),
      f64(0x803A1109735DEBFA, 0x4014000000000000, 0x3FF0000000000000)]),
    # A NaN accumulator keeps its own sign and payload, whatever NaN comes next; inf - inf is
    # x86's default NaN, 0xffc00000.
    ("cumsum-nan-payloads", "Cumsum", f32(0x7FC00001, 0x7FC00002, 0xFFC00003),
     [f32(*[0x7FC00001] * 3), f32(*[0xFFC00003] * 3), f32(0, 0x7FC00001, 0x7FC00001),
      f32(0xFFC00003, 0xFFC00003, 0)]),
    ("cumprod-nan-payloads", "Cumprod", f32(0x7FC00001, 0x7FC00002, 0xFFC00003),
     [f32(*[0x7FC00001] * 3), f32(*[0xFFC00003] * 3), f32(0x3F800000, 0x7FC00001, 0x7FC00001),
      f32(0xFFC00003, 0xFFC00003, 0x3F800000)]),
    ("cumsum-inf-minus-inf", "Cumsum", np.array([np.nan, 1.0, np.inf, -np.inf], np.float32),
     [f32(*[0x7FC00000] * 4), f32(0xFFC00000, 0xFFC00000, 0xFFC00000, 0xFF800000),
      f32(0, 0x7FC00000, 0x7FC00000, 0x7FC00000), f32(0xFFC00000, 0xFFC00000, 0xFF800000, 0)]),
    ("cumsum-float16-nans", "Cumsum", f16(0xFE00, 0x7E00, 0x3C00),
     [f16(0xFE00, 0xFE00, 0xFE00), f16(0x7E00, 0x7E00, 0x3C00), f16(0, 0xFE00, 0xFE00),
      f16(0x7E00, 0x3C00, 0)]),
    ("cumprod-float16-nans", "Cumprod", f16(0x7E00, 0xFE00),
     [f16(0x7E00, 0x7E00), f16(0xFE00, 0xFE00), f16(0x3C00, 0x7E00), f16(0xFE00, 0x3C00)]),
]

# (id, op, inputs, attrs, TF's message)
ERRORS = [
    ("gather-1d", "GatherV2", [np.arange(3.0), np.array([0, 5]), np.int32(0)], {},
     "indices[1] = 5 is not in [0, 3)"),
    ("gather-2d", "GatherV2", [np.arange(3.0), np.array([[0, 1], [2, -1]]), np.int32(0)], {},
     "indices[1,1] = -1 is not in [0, 3)"),
    ("gather-3d", "GatherV2", [np.arange(3.0), np.full((2, 2, 2), 7, np.int64), np.int32(0)], {},
     "indices[0,0,0] = 7 is not in [0, 3)"),
    ("gather-scalar-index", "GatherV2", [np.arange(3.0), np.int32(4), np.int32(0)], {},
     "indices = 4 is not in [0, 3)"),
    ("gather-first-bad", "GatherV2", [np.arange(3.0), np.array([5, 7]), np.int32(0)], {},
     "indices[0] = 5 is not in [0, 3)"),
    ("gather-axis1", "GatherV2", [np.zeros((2, 3)), np.array([1, 4, 9]), np.int32(1)], {},
     "indices[1] = 4 is not in [0, 3)"),
    ("gather-negative", "GatherV2", [np.zeros((2, 3)), np.array([-1]), np.int32(0)], {},
     "indices[0] = -1 is not in [0, 2)"),
    ("gather-empty-dimension", "GatherV2", [np.zeros(0), np.array([0]), np.int32(0)], {},
     "indices[0] = 0 is not in [0, 0)"),
    ("gather-axis-too-big", "GatherV2", [np.zeros((2, 3)), np.array([0]), np.int32(2)], {},
     "Shape must be at least rank 3 but is rank 2"),
    ("gather-axis-too-small", "GatherV2", [np.zeros((2, 3)), np.array([0]), np.int32(-3)], {},
     "Shape must be at least rank 3 but is rank 2"),
    ("gather-axis-int64", "GatherV2", [np.zeros((2, 3)), np.array([0]), np.int64(5)], {},
     "Shape must be at least rank 6 but is rank 2"),
    ("gather-axis-vector", "GatherV2", [np.zeros((2, 3)), np.array([0]), np.array([1], np.int32)], {},
     "axis must be scalar"),
    ("gather-scalar-params", "GatherV2", [np.float32(1), np.array([0]), np.int32(0)], {},
     "params must be at least 1 dimensional"),
    ("gather-scalar-params-first", "GatherV2", [np.float32(1), np.array([0]), np.array([1], np.int32)], {},
     "params must be at least 1 dimensional"),
    ("gather-batch-dims-range", "GatherV2", [np.zeros((2, 3)), np.zeros(2, np.int32), np.int32(1)],
     {"batch_dims": 2}, "Expected batch_dims in the range [-1, 1], but got 2"),
    ("gather-batch-dims-range-negative", "GatherV2", [np.zeros((2, 3)), np.zeros(2, np.int32), np.int32(1)],
     {"batch_dims": -3}, "Expected batch_dims in the range [-1, 1], but got -3"),
    ("gather-batch-dims-axis", "GatherV2", [np.zeros((2, 3)), np.zeros((2, 1), np.int32), np.int32(0)],
     {"batch_dims": 1}, "batch_dims (1) must be less than or equal to axis (0)."),
    ("gather-batch-dims-shapes", "GatherV2", [np.zeros((2, 3)), np.zeros((3, 1), np.int32), np.int32(1)],
     {"batch_dims": 1}, "params.shape[0]: 2 should be equal to indices.shape[0]: 3"),
    ("gather-batch-dims-rank", "GatherV2", [np.zeros((2, 3)), np.zeros((2, 3), np.int32), np.int32(1)],
     {"batch_dims": 2}, "batch_dims (2) must be less than rank(params) (2)."),
    ("stitch-data-shape", "DynamicStitch", _stitch([[0, 2], [[1, 2]]], [np.zeros(2), np.zeros(2)]), {},
     "data[1].shape = [2] does not start with indices[1].shape = [1,2]"),
    ("stitch-data-shape-first", "DynamicStitch", _stitch([[0, 1]], [np.zeros(3)]), {},
     "data[0].shape = [3] does not start with indices[0].shape = [2]"),
    ("stitch-data-rows", "DynamicStitch", _stitch([[0], [1, 2]], [np.zeros((1, 3)), np.zeros((3, 3))]), {},
     "data[1].shape = [3,3] does not start with indices[1].shape = [2]"),
    ("stitch-slices", "DynamicStitch", _stitch([[0, 2], [1]], [np.zeros((2, 3)), np.zeros((1, 4))]), {},
     "Need data[0].shape[1:] = data[1].shape[1:], got data[0].shape = [2,3], data[1].shape = [1,4], "
     "indices[0].shape = [2], indices[1].shape = [1]"),
    ("stitch-slice-rank", "DynamicStitch", _stitch([[0], [1]], [np.zeros((1, 3)), np.zeros((1, 3, 1))]), {},
     "Need data[0].shape[1:] = data[1].shape[1:], got data[0].shape = [1,3], data[1].shape = [1,3,1], "
     "indices[0].shape = [1], indices[1].shape = [1]"),
    ("stitch-negative", "DynamicStitch", _stitch([[0, -1], [1]], [np.zeros(2), np.zeros(1)]), {},
     "indices[1] is out of range"),
    # The position within its own input (input 1 here), which the message does not name.
    ("stitch-negative-second-input", "DynamicStitch", _stitch([[0, 1], [3, -2]], [np.zeros(2), np.zeros(2)]), {},
     "indices[1] is out of range"),
    ("stitch-all-negative", "DynamicStitch", _stitch([[-1]], [np.zeros(1)]), {}, "indices[0] is out of range"),
    ("stitch-range-before-shapes", "DynamicStitch", _stitch([[0, -1], [[1]]], [np.zeros(2), np.zeros(1)]), {},
     "indices[1] is out of range"),
    ("stitch-flat-position", "DynamicStitch", _stitch([[[0, 1], [-1, 2]]], [np.zeros((2, 2))]), {},
     "indices[2] is out of range"),
    ("broadcast-incompatible", "BroadcastTo", [np.zeros((2, 3)), np.array([3, 3], np.int32)], {},
     "Incompatible shapes: [2,3] vs. [3,3]"),
    ("broadcast-incompatible-3d", "BroadcastTo", [np.zeros((2, 1, 3)), np.array([2, 4, 2], np.int32)], {},
     "Incompatible shapes: [2,1,3] vs. [2,4,2]"),
    ("broadcast-incompatible-empty", "BroadcastTo", [np.zeros(2), np.array([0, 3], np.int32)], {},
     "Incompatible shapes: [2] vs. [0,3]"),
    ("broadcast-incompatible-to-0", "BroadcastTo", [np.zeros(3), np.array([0], np.int32)], {},
     "Incompatible shapes: [3] vs. [0]"),
    ("broadcast-unable", "BroadcastTo", [np.zeros((2, 1)), np.array([1, 1], np.int32)], {},
     "Unable to broadcast tensor of shape [2,1] to tensor of shape [1,1]"),
    ("broadcast-unable-empty", "BroadcastTo", [np.zeros((0, 1)), np.array([1, 3], np.int32)], {},
     "Unable to broadcast tensor of shape [0,1] to tensor of shape [1,3]"),
    ("broadcast-rank", "BroadcastTo", [np.zeros((2, 3)), np.array([3], np.int32)], {},
     "Rank of input (2) must be no greater than rank of output shape (1)."),
    ("broadcast-rank-before-bcast", "BroadcastTo", [np.zeros((2, 3)), np.array([4], np.int32)], {},
     "Rank of input (2) must be no greater than rank of output shape (1)."),
    ("broadcast-negative", "BroadcastTo", [np.zeros((2, 3)), np.array([-1, 3], np.int32)], {},
     "Dimension -1 must be >= 0"),
    ("broadcast-negative-int64", "BroadcastTo", [np.zeros(3), np.array([2, -5], np.int64)], {},
     "Dimension -5 must be >= 0"),
    ("broadcast-negative-before-rank", "BroadcastTo", [np.zeros((2, 3)), np.array([-1], np.int32)], {},
     "Dimension -1 must be >= 0"),
    ("broadcast-negative-same-rank", "BroadcastTo", [np.zeros(2), np.array([-2], np.int32)], {},
     "Dimension -2 must be >= 0"),
    ("broadcast-shape-matrix", "BroadcastTo", [np.zeros(3), np.array([[2, 3]], np.int32)], {},
     "shape must be a vector of {int32,int64}, got shape [1,2]"),
    ("broadcast-shape-scalar", "BroadcastTo", [np.zeros(3), np.int32(3)], {},
     "shape must be a vector of {int32,int64}, got shape []"),
    ("listdiff-x-matrix", "ListDiff", [np.zeros((2, 2)), np.array([1.0])], {}, "x should be a 1D vector."),
    ("listdiff-x-scalar", "ListDiff", [np.float64(2), np.float64(1)], {}, "x should be a 1D vector."),
    ("listdiff-y-scalar", "ListDiff", [np.zeros(2), np.float64(1)], {}, "y should be a 1D vector."),
    ("listdiff-both", "ListDiff", [np.zeros((2, 2), np.int32), np.zeros((2, 2), np.int32)], {},
     "x should be a 1D vector."),
]
for _op in ("Cumsum", "Cumprod"):
    ERRORS += [
        (f"{_op}-axis", _op, [np.zeros((2, 3)), np.int32(2)], {},
         "ScanOp: Expected scan axis in the range [-2, 2), but got 2"),
        # The message gives the axis after the rank is added to a negative one: -3 "got -1".
        (f"{_op}-axis-negative", _op, [np.zeros((2, 3)), np.int32(-3)], {},
         "ScanOp: Expected scan axis in the range [-2, 2), but got -1"),
        (f"{_op}-axis-negative-5", _op, [np.zeros((2, 3)), np.int32(-5)], {},
         "ScanOp: Expected scan axis in the range [-2, 2), but got -3"),
        (f"{_op}-axis-int64", _op, [np.zeros((2, 3)), np.int64(7)], {},
         "ScanOp: Expected scan axis in the range [-2, 2), but got 7"),
        (f"{_op}-axis-vector", _op, [np.zeros((2, 3)), np.array([0], np.int32)], {},
         "ScanOp: axis must be a scalar, not [1]"),
        (f"{_op}-scalar", _op, [np.float32(3), np.int32(0)], {},
         "ScanOp: Expected scan axis in the range [0, 0), but got 0"),
    ]


def _same(got: np.ndarray, want: np.ndarray) -> bool:
    got, want = np.asarray(got), np.asarray(want)
    if want.dtype.kind == "S":  # (TF returned an object array of bytes)
        return got.tolist() == want.tolist()
    return got.dtype == want.dtype and got.shape == want.shape and got.tobytes() == want.tobytes()


@pytest.mark.parametrize("case", VALUES, ids=[c[0] for c in VALUES])
def test_values_as_tensorflow(case: tuple) -> None:
    _, op, inputs, attrs, expected = case
    outputs = run(op, inputs, attrs)
    assert len(outputs) == len(expected)
    for got, want in zip(outputs, expected):
        assert _same(got, want), (got, want)


@pytest.mark.parametrize("case", SCAN_BITS, ids=[c[0] for c in SCAN_BITS])
def test_scan_bits_as_tensorflow(case: tuple) -> None:
    _, op, x, expected = case
    for (exclusive, reverse), want in zip(SCAN_FLAGS, expected):
        got = run(op, [x, np.int32(0)], {"exclusive": exclusive, "reverse": reverse})[0]
        assert _same(got, want), (exclusive, reverse, got, want)


@pytest.mark.parametrize("case", ERRORS, ids=[c[0] for c in ERRORS])
def test_errors_as_tensorflow(case: tuple) -> None:
    _, op, inputs, attrs, message = case
    with pytest.raises(errors.InvalidArgumentError) as caught:
        run(op, inputs, attrs)
    assert caught.value.message == message


def test_stitch_strings() -> None:
    out = run("DynamicStitch", _stitch([[1, 0]], [np.array([b"a", b"b"])]))[0]
    assert out.tolist() == [b"b", b"a"]


def test_broadcast_to_its_own_shape_forwards_the_input() -> None:
    x = np.arange(6.0).reshape(2, 3)
    assert run("BroadcastTo", [x, np.array([2, 3], np.int64)])[0] is x  # as TF forwards its buffer


def test_gather_batch_dims_is_refused_clearly() -> None:
    # TF computes a batched gather here; the reference supports batch_dims 0 only.
    with pytest.raises(errors.InvalidArgumentError, match="batch_dims = 1 is not supported"):
        run("GatherV2", [np.zeros((2, 3)), np.zeros((2, 1), np.int32), np.int32(1)], {"batch_dims": 1})


# -- scans bit for bit on larger inputs --------------------------------------------------------

def scan_pattern(op: str, dtype: np.dtype, shape: tuple[int, ...], salt: int = 0) -> np.ndarray:
    """Deterministic inputs with full mantissas and varied exponents (so that nearly every
    partial sum or product rounds), from integer hashing only: the same on every platform."""
    dtype = np.dtype(dtype)
    if dtype.kind == "c":  # parts from two patterns; a product's imaginary parts small
        part = np.dtype(f"f{dtype.itemsize // 2}")
        out = np.empty(shape, dtype)
        out.real = scan_pattern(op, part, shape)
        out.imag = scan_pattern(op, part, shape, salt=1) - (1 if op == "Cumprod" else 0)
        return out
    k = np.arange(int(np.prod(shape)), dtype=np.uint64)
    h = k * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019 + salt)  # wraps, as meant
    if dtype.kind == "i":
        if op == "Cumsum":  # large values: int32 sums wrap
            return ((h >> np.uint64(34)).astype(np.int64) - (1 << 29)).astype(dtype).reshape(shape)
        return ((h >> np.uint64(60)).astype(np.int64) - 7).astype(dtype).reshape(shape)  # products wrap
    bits = {2: 11, 4: 24, 8: 53}[dtype.itemsize]
    fraction = (h >> np.uint64(64 - bits)).astype(np.float64) / 2.0**bits - 0.5  # [-0.5, 0.5)
    if op == "Cumprod":
        return (1.0 + fraction * 0.25).astype(dtype).reshape(shape)
    exponent = ((h >> np.uint64(3)) % np.uint64(9)).astype(np.float64) - 4
    return (fraction * 2.0**exponent).astype(dtype).reshape(shape)


SCAN_SHAPES = [(37,), (3, 11), (2, 5, 7)]

# sha256 of the outputs, each shape along each axis with each of SCAN_FLAGS, as TF 2.21 gave
# them (its CPU kernel; the first 16 hex digits).
SCAN_DIGESTS = {
    ("Cumsum", "complex64"): "6bc5604cb41bd703",
    ("Cumsum", "complex128"): "9a5f306aef1dc38a",
    ("Cumsum", "float16"): "e9bacf063a3229df",
    ("Cumsum", "float32"): "8240936922e9f87c",
    ("Cumsum", "float64"): "5c2cc213411afb7c",
    ("Cumsum", "int32"): "5b91c58846e80125",
    ("Cumsum", "int64"): "2147d216d8e10399",
    ("Cumprod", "complex64"): "1da84180ea9de89b",
    ("Cumprod", "complex128"): "3adf6c5e11680b90",
    ("Cumprod", "float16"): "9ab65ec821b64bee",
    ("Cumprod", "float32"): "672dee9b4e73bf0d",
    ("Cumprod", "float64"): "fbafe38070497237",
    ("Cumprod", "int32"): "83ae291989e55981",
    ("Cumprod", "int64"): "75ecdc20c42b044d",
}


def scan_digest(op: str, dtype: str, compute) -> str:  # type: ignore[no-untyped-def]
    """The digest of ``compute(x, axis, exclusive, reverse)`` over SCAN_SHAPES, every axis and
    SCAN_FLAGS, in that order."""
    h = hashlib.sha256()
    for shape in SCAN_SHAPES:
        x = scan_pattern(op, np.dtype(dtype), shape)
        for axis, (exclusive, reverse) in itertools.product(range(len(shape)), SCAN_FLAGS):
            h.update(np.ascontiguousarray(compute(x, axis, exclusive, reverse)).tobytes())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("op, dtype", sorted(SCAN_DIGESTS), ids=lambda v: str(v))
def test_scans_match_tensorflow_bit_for_bit(op: str, dtype: str) -> None:
    def compute(x, axis, exclusive, reverse):  # type: ignore[no-untyped-def]
        return run(op, [x, np.int32(axis)], {"T": dtypes.as_dtype(dtype), "exclusive": exclusive,
                                              "reverse": reverse})[0]

    assert scan_digest(op, dtype, compute) == SCAN_DIGESTS[op, dtype]
