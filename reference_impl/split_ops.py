"""``tf.split`` (``Split`` and ``SplitV``) with TF's names, shape functions and their errors.

An integer ``num_or_size_splits`` (or a ``Dimension``, or a bool) builds ``Split(split_dim,
value)``: ``num_split`` equal pieces. Anything else is first converted to a tensor, outside the
op's name scope (a list becomes a ``Const``), and builds ``SplitV(value, size_splits,
split_dim)``, one output per size (``num`` gives the count where the sizes' length is unknown).

TF's shape functions run twice: first with no input values at all, then, when they asked for
some, with those TF could compute (`constant_folding.evaluate`). An error of the first run
lists no computed input tensors ("Can't split scalars"); one of the second lists every value
the function asked for and got (the axis of Split; the sizes and the axis of SplitV).

Quirks kept from TF 2.21:

- SplitV with known sizes but an axis unknown while building reads the axis as -1: the sizes
  are checked against, and replace, the *last* dimension.
- Split with an axis out of range of an input of unknown rank is not refused while building.
- Sizes of rank 2 or more known while building crash TF's shape function (a CHECK failure
  that aborts the process); the reference refuses them with a ValueError instead.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import dtypes
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import convert_to_tensor, convert_type_attr_input, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import Dimension, TensorShape

__all__ = ["split"]

# SplitV's Tlen: TF 2.21 allows int8 too (its shape function then aborts on known sizes).
_TLEN = (dtypes.int8, dtypes.int32, dtypes.int64)


def _num_split(value: Any) -> int:
    """TF's ``make_int`` of the ``num_split`` attr."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise TypeError(f"Expected int for argument 'num_split' not {value!r}.") from None


def _int32_input(value: Any, arg: str, op_type: str) -> Tensor:
    """An input of fixed type int32 converted as op_def_library converts it, with its errors."""
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        t = convert_to_tensor(value)
        if t.dtype.base_dtype != dtypes.int32:
            raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} "
                            f"that does not match expected type of int32.")
        return t
    if value is None:
        raise ValueError(f"Tried to convert '{arg}' to a tensor and failed. Error: None values "
                         f"not supported.")
    try:
        return convert_to_tensor(value, dtype=dtypes.int32, name=arg)
    except TypeError as error:
        raise TypeError(f"Expected int32 passed to parameter '{arg}' of op '{op_type}', got "
                        f"{value!r} of type '{type(value).__name__}' instead. Error: {error}") from None


def _check_num_split(num_split: int, op_type: str) -> None:
    if num_split < 1:
        raise ValueError(f"Attr 'num_split' of '{op_type}' Op passed {num_split} less than minimum 1.")


def _scalar_axis(axis: np.ndarray | None, rank: int | None, fail: Any) -> int | None:
    """TF's MakeDimForScalarInputWithNegativeIndexing: the axis made non-negative, None where
    unknown (a value not computed, or a negative one for an input of unknown rank)."""
    if axis is None:
        return None
    if axis.ndim != 0:
        raise fail(f"Input must be scalar but has rank {axis.ndim}")
    val = int(axis)
    if val < 0:
        if rank is None:
            return None
        if val + rank < 0:
            raise fail(f"Dimension size, given by scalar input {val} must be in range [-{rank}, {rank})")
        return val + rank
    if rank is not None and val >= rank:
        raise fail(f"Dimension size, given by scalar input {val} must be in range [-{rank}, {rank})")
    return val


def _replace(dims: list, index: int, value: int | None) -> TensorShape:
    out = list(dims)
    out[index] = value
    return TensorShape(out)


def split_shapes(x: TensorShape, num_split: int, axis: np.ndarray | None, fail: Any) -> list[TensorShape]:
    """Split's output shapes (``axis``: the split_dim's value where known); ``fail(message)``
    builds the shape function's error (listing the axis as computed)."""
    rank = x.ndims
    dim = _scalar_axis(axis, rank, fail)
    if dim is None or rank is None:
        out = TensorShape(None) if rank is None else TensorShape([None] * rank)
        return [out] * num_split
    size = x.as_list()[dim]
    if size is not None:
        if size % num_split:
            raise fail(f"Dimension size must be evenly divisible by {num_split} but is {size}\n\t"
                       f"Number of ways to split should evenly divide the split dimension")
        size //= num_split
    return [_replace(x.as_list(), dim, size)] * num_split


def split_v_shapes(x: TensorShape, num_split: int, sizes: np.ndarray | None,
                   axis: np.ndarray | None, fail: Any) -> list[TensorShape]:
    """SplitV's output shapes once the shape function has the values it asked for (``sizes``
    and ``axis`` where known); ``fail(message)`` builds its error."""
    rank = x.ndims
    dim = _scalar_axis(axis, rank, fail)
    if rank is None:
        return [TensorShape(None)] * num_split
    if rank == 0:
        raise fail("Can't split scalars")
    dims = x.as_list()
    if sizes is None:
        if dim is None:
            return [TensorShape([None] * rank)] * num_split
        return [_replace(dims, dim, None)] * num_split
    if sizes.ndim != 1:
        raise fail(f"size_splits of rank {sizes.ndim} known while building (TensorFlow 2.21's "
                   f"shape function aborts the process on them)")
    index = -1 if dim is None else dim  # (TF reads an unknown axis as -1: the last dimension)
    data = [int(v) for v in sizes]
    if len(data) != num_split:
        raise fail("Length of size_splits should be equal to num_outputs")
    total, has_neg_one = 0, False
    for v in data:
        if v == -1:
            if has_neg_one:
                raise fail("size_splits can only have one -1")
            has_neg_one = True
        else:
            total += v
    known = dims[index]
    out = []
    for i, v in enumerate(data):
        size = known - total if v == -1 and known is not None else v
        if size < 0 and not (v == -1 and known is None):
            raise fail(f"Split size at index {i} must be >= 0. Got: {size}")
        out.append(_replace(dims, index, None if size == -1 else size))
    if known is not None and (total > known if has_neg_one else total != known):
        raise fail(f"can't split axis of size {known} into pieces of size [{','.join(map(str, data))}]")
    return out


def _split(value: Any, num_split: Any, axis: Any, name: str | None) -> list[Tensor]:
    num = _num_split(num_split)
    g = graph_of([value, axis])
    with g.as_default(), g.name_scope(name or "Split") as scope:
        a = _int32_input(axis, "split_dim", "Split")
        x = value if isinstance(value, Tensor) else convert_to_tensor(value, name="value")
        _check_num_split(num, "Split")
        dt = x.dtype.base_dtype
        inputs = [a, x]
        axis_value = evaluate(a)

        def fail(message: str) -> ValueError:
            return shape_error(message, scope[:-1], "Split", f"T={dt_enum(dt)}, num_split={num}",
                               inputs, None if axis_value is None else {0: axis_value})

        shapes = split_shapes(x.shape, num, None if axis_value is None else np.asarray(axis_value), fail)
        op = make_op("Split", inputs, [(dt, s) for s in shapes], scope, {"num_split": num, "T": dt})
        return list(op.outputs)


def _split_v(value: Any, size_splits: Tensor, axis: Any, num_split: Any, name: str | None) -> list[Tensor]:
    num = _num_split(num_split)
    g = graph_of([value, size_splits, axis])
    with g.as_default(), g.name_scope(name or "SplitV") as scope:
        x = value if isinstance(value, Tensor) else convert_to_tensor(value, name="value")
        s = convert_type_attr_input(size_splits, "size_splits", _TLEN, dtypes.int64)
        a = _int32_input(axis, "split_dim", "SplitV")
        _check_num_split(num, "SplitV")
        dt, tlen = x.dtype.base_dtype, s.dtype.base_dtype
        inputs = [x, s, a]
        attrs = f"T={dt_enum(dt)}, Tlen={dt_enum(tlen)}, num_split={num}"
        if x.shape.ndims == 0:  # (the first run, before any value is asked for)
            raise shape_error("Can't split scalars", scope[:-1], "SplitV", attrs, inputs)
        sizes, axis_value = evaluate(s), evaluate(a)
        computed = {i: v for i, v in ((1, sizes), (2, axis_value)) if v is not None}

        def fail(message: str) -> ValueError:
            return shape_error(message, scope[:-1], "SplitV", attrs, inputs, computed)

        shapes = split_v_shapes(x.shape, num, None if sizes is None else np.asarray(sizes),
                                None if axis_value is None else np.asarray(axis_value), fail)
        op = make_op("SplitV", inputs, [(dt, sh) for sh in shapes], scope,
                     {"num_split": num, "T": dt, "Tlen": tlen})
        return list(op.outputs)


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: Any = None,
          name: str = "split") -> list[Tensor]:
    """``value`` split along ``axis`` into ``num_or_size_splits`` equal pieces (an int) or into
    pieces of the given sizes (a 1-D list or tensor; one -1 takes what the others leave)."""
    if isinstance(num_or_size_splits, (numbers.Integral, Dimension)):
        return _split(value, num_or_size_splits, axis, name)
    size_splits = convert_to_tensor(num_or_size_splits)
    if size_splits.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument to "
                         f"split. Argument provided: {num_or_size_splits}")
    if num is None:
        if size_splits.shape.ndims is not None:
            num = size_splits.shape.as_list()[0]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {num_or_size_splits}")
    return _split_v(value, size_splits, axis, num, name)
