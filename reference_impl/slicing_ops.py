"""Slicing: ``t[...]`` on tensors and variables, ``tf.strided_slice``, ``tf.slice`` and their
gradients.

``t[1:, ::2, tf.newaxis, ..., 0]`` becomes one ``StridedSlice`` op named ``strided_slice``, its
begin, end and strides packed as TF packs them: a ``Const`` each (``strided_slice/stack``,
``stack_1``, ``stack_2``) when every index is a Python int, a ``Pack`` where an index is a
tensor; the kind of each index goes into the five bit masks. The static shape is what TF's shape
function infers, run as TF's shape refiner runs it: first knowing only the strides (errors that
need no index values say so), then with the begin and end values it can compute.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import dtypes
from .array_ops import ones_like, shape as shape_op, stack
from .constant_folding import constant_value, evaluate
from .gradients import register_gradient
from .graph import Operation, Tensor
from .op_def import constant, convert_to_tensor, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .strided_slice_spec import SliceSpecError, validate
from .tensor_shape import Dimension, TensorShape

__all__ = ["newaxis", "slice_", "strided_slice", "strided_slice_assign", "strided_slice_grad"]

newaxis = None
_INDEX_DTYPES = (dtypes.int16, dtypes.int32, dtypes.int64)
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")
_INDEX_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                "tf.int32/tf.int64 tensors are valid indices")


def _check_index(idx: Any) -> None:
    """TF's optimistic check of one index: an int, or anything with an integer dtype that is
    not a vector."""
    if isinstance(idx, (numbers.Integral, Dimension)):
        return
    dtype = getattr(idx, "dtype", None)
    try:
        ok = dtype is not None and dtypes.as_dtype(dtype).base_dtype in _INDEX_DTYPES
    except TypeError:
        ok = False
    shape = getattr(idx, "shape", None)
    if not ok or (shape is not None and len(shape) == 1):
        raise TypeError(f"{_INDEX_ERROR}, got {idx!r}")


def _plain(idx: Any) -> Any:
    """A known Dimension as its int (TF converts it the same way when packing)."""
    return idx.value if isinstance(idx, Dimension) else idx


def _slice_dtype(s: slice) -> dtypes.DType | None:
    """The index type of a slice's missing parts: that of its widest tensor part."""
    found = None
    for part in (s.start, s.stop, s.step):
        if isinstance(part, Tensor):
            dt = part.dtype.base_dtype
            if dt == dtypes.int64:
                found = dt
            elif dt == dtypes.int32 and found != dtypes.int64:
                found = dt
            elif dt == dtypes.int16 and found is None:
                found = dt
    return found


def _undefined(part: Any) -> bool:
    return part is None or (isinstance(part, Dimension) and part.value is None)


def _sparse_spec(spec: tuple) -> tuple[list, list, list, dict[str, int]]:
    """begin, end, strides (ints or tensors) and the masks of a ``t[...]`` index."""
    begin: list = []
    end: list = []
    strides: list = []
    masks = dict.fromkeys(_MASKS, 0)
    for i, s in enumerate(spec):
        bit = 1 << i
        if isinstance(s, slice):
            dt = _slice_dtype(s)
            for part, bound, mask, default in ((s.start, begin, "begin_mask", 0),
                                               (s.stop, end, "end_mask", 0),
                                               (s.step, strides, None, 1)):
                if _undefined(part):
                    bound.append(default if dt is None else constant(default, dtype=dt))
                    if mask:
                        masks[mask] |= bit
                else:
                    _check_index(part)
                    bound.append(_plain(part))
        elif s is Ellipsis or s is newaxis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["ellipsis_mask" if s is Ellipsis else "new_axis_mask"] |= bit
        else:
            _check_index(s)
            s = _plain(s)
            begin.append(s)
            end.append(s + 1)
            wide = isinstance(s, Tensor) and s.dtype.base_dtype in (dtypes.int16, dtypes.int64)
            strides.append(constant(1, dtype=s.dtype.base_dtype) if wide else 1)
            masks["shrink_axis_mask"] |= bit
    return begin, end, strides, masks


def slice_tensor(tensor: Any, spec: Any, var: Any = None) -> Tensor:
    """``tensor[spec]`` as TF's ``Tensor.__getitem__`` builds it (``var``: the variable whose
    value ``tensor`` is, which the slice can then be assigned to)."""
    if not isinstance(spec, (list, tuple)):
        spec = [spec]
    begin, end, strides, masks = _sparse_spec(tuple(spec))
    g = graph_of([tensor] + begin + end + strides)
    with g.as_default(), g.name_scope("strided_slice") as scope:
        if begin:
            packed = [stack(begin), stack(end), stack(strides)]
            if any(p.dtype.base_dtype == dtypes.int64 for p in packed):
                from .math_ops import cast

                packed = [p if p.dtype.base_dtype == dtypes.int64 else cast(p, dtypes.int64)
                          for p in packed]
        else:
            packed = [constant(np.zeros(0, np.int32), dtype=dtypes.int32)] * 3
        return strided_slice(tensor, *packed, name=scope, var=var, **masks)


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0,
                  end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
                  shrink_axis_mask: int = 0, var: Any = None, name: str | None = None) -> Tensor:
    """``tf.strided_slice``: the ``StridedSlice`` op (``strides`` default: ones). With ``var``
    (the variable ``input_`` reads), the result has an ``assign(value, name=None)`` method that
    writes ``value`` into that slice of the variable (``StridedSliceAssign``)."""
    if strides is None:
        strides = ones_like(begin)
    masks = dict(zip(_MASKS, (begin_mask, end_mask, ellipsis_mask, new_axis_mask,
                              shrink_axis_mask)))
    g = graph_of([input_, begin, end, strides])
    with g.as_default(), g.name_scope(name or "StridedSlice") as scope:
        x = convert_to_tensor(input_, name="input")
        indices = _index_inputs((begin, end, strides), ("begin", "end", "strides"),
                                "StridedSlice", _INDEX_DTYPES)
        inputs = [x, *indices]
        dt = x.dtype.base_dtype
        attrs = {"T": dt, "Index": indices[0].dtype.base_dtype, **masks}
        text = (f"Index={dt_enum(attrs['Index'])}, T={dt_enum(dt)}, "
                + ", ".join(f"{k}={masks[k]}" for k in sorted(masks)))
        out = _infer_shape(x, indices, masks, scope[:-1], text)
        result = make_op("StridedSlice", inputs, [(dt, out)], scope, attrs).outputs[0]
    if var is not None:
        result.assign = _slice_assigner(var, (begin, end, strides), masks, name)
    return result


def _slice_assigner(var: Any, indices: tuple, masks: dict[str, int], parent: str | None) -> Any:
    """The ``assign`` method TF gives a slice of a variable: named ``<slice name>_assign``."""
    def assign(value: Any, name: str | None = None) -> Any:
        return strided_slice_assign(var, *indices, value,
                                    name=name or (parent or "StridedSlice") + "_assign", **masks)
    return assign


def strided_slice_assign(ref: Any, begin: Any, end: Any, strides: Any, value: Any,
                         name: str | None = None, **masks: int) -> Tensor:
    """``StridedSliceAssign``: ``value`` (broadcast to the slice's shape) written into the slice
    of the reference variable ``ref``; the result is the updated ref. Nothing is checked while
    building (TF's shape function keeps the variable's shape); the kernel checks. A resource
    variable gets a ``ResourceStridedSliceAssign`` and, as from its other assignments, the
    variable read after it."""
    if getattr(ref, "_is_resource_variable", False):
        return _resource_slice_assign(ref, begin, end, strides, value, name, masks)
    r = ref._ref() if hasattr(ref, "_ref") and not isinstance(ref, Tensor) else ref
    g = graph_of([r, begin, end, strides, value])
    with g.as_default(), g.name_scope(name or "StridedSliceAssign") as scope:
        index = _index_inputs((begin, end, strides), ("begin", "end", "strides"),
                              "StridedSliceAssign")
        dt = r.dtype.base_dtype
        v = convert_to_tensor(value, dtype=dt, name="value")
        attrs = {"T": dt, "Index": index[0].dtype.base_dtype, **masks}
        return make_op("StridedSliceAssign", [r, *index, v], [(r.dtype, r.shape)], scope, attrs,
                       ref_inputs=(0,)).outputs[0]


def _index_inputs(values: tuple, names: tuple[str, ...], op_type: str,
                  allowed: tuple[dtypes.DType, ...] = _INDEX_DTYPES[1:]) -> list[Tensor]:
    """Inputs sharing the type attr ``Index``, converted as op_def_library converts them: the
    first decides the type (its own, or the default its value converts to), the others are
    converted to it, and a tensor of another type is refused."""
    first = convert_to_tensor(values[0], name=names[0])
    dt = first.dtype.base_dtype
    if dt not in allowed:
        raise TypeError(f"Value passed to parameter '{names[0]}' has DataType {dt.name} not in "
                        f"list of allowed values: {', '.join(d.name for d in allowed)}")
    out = [first]
    for value, arg in zip(values[1:], names[1:]):
        if isinstance(value, Tensor) and value.dtype.base_dtype != dt:
            raise TypeError(f"Input '{arg}' of '{op_type}' Op has type "
                            f"{value.dtype.base_dtype.name} that does not match type {dt.name} "
                            f"of argument '{names[0]}'.")
        try:
            out.append(convert_to_tensor(value, dtype=dt, name=arg))
        except TypeError as error:
            raise TypeError(f"Expected {dt.name} passed to parameter '{arg}' of op '{op_type}', "
                            f"got {value!r} of type '{type(value).__name__}' instead. Error: "
                            f"{error}") from None
    return out


def _index_length(indices: list[Tensor], fail: Any) -> int | None:
    """The length index vectors share, as the shape functions check it: each of rank 1 (TF's
    WithRank), their lengths merged (TF's Merge); None while unknown."""
    length = None
    for t in indices:
        if t.shape.ndims is not None and t.shape.ndims != 1:
            raise fail(f"Shape must be rank 1 but is rank {t.shape.ndims}")
        n = t.shape[0].value if t.shape.ndims == 1 else None
        if n is not None and length is not None and n != length:
            raise fail(f"Dimension 0 in both shapes must be equal, but are {length} and {n}. "
                       f"Shapes are [{length}] and [{n}].")
        length = length if n is None else n
    return length


def _infer_shape(x: Tensor, indices: list[Tensor], masks: dict[str, int], name: str,
                 attrs: str) -> TensorShape:
    inputs = [x, *indices]

    def fail(message: str, computed: dict | None = None) -> ValueError:
        return shape_error(message, name, "StridedSlice", attrs, inputs, computed)

    length = _index_length(indices, fail)
    strides = evaluate(indices[2])
    if x.shape.ndims is None or length is None or strides is None:
        return TensorShape(None)
    dims = x.shape.as_list()
    # The refiner's second run: the strides known, the begin and end values not yet asked for.
    computed = {3: strides}
    try:
        result = validate(dims, None, None, strides.tolist(), **masks)
    except SliceSpecError as error:
        raise fail(str(error), computed) from None
    begin, end = (evaluate(t) for t in indices[:2])
    if begin is None and end is None:
        return TensorShape(list(result.final_shape))
    computed.update({i: v for i, v in ((1, begin), (2, end)) if v is not None})
    try:
        result = validate(dims, None if begin is None else begin.tolist(),
                          None if end is None else end.tolist(), strides.tolist(), **masks)
    except SliceSpecError as error:
        raise fail(str(error), computed) from None
    return TensorShape(list(result.final_shape))


def _resource_slice_assign(var: Any, begin: Any, end: Any, strides: Any, value: Any,
                           name: str | None, masks: dict[str, int]) -> Any:
    from .resource_variable_ops import _UnreadVariable

    v = convert_to_tensor(value, dtype=var.dtype)  # outside the op's scope, as TF converts it
    g = graph_of([var.handle, begin, end, strides, v])
    with g.as_default(), g.name_scope(name or "ResourceStridedSliceAssign") as scope:
        index = _index_inputs((begin, end, strides), ("begin", "end", "strides"),
                              "ResourceStridedSliceAssign")
        attrs = {"T": var.dtype.base_dtype, "Index": index[0].dtype.base_dtype, **masks}
        op = make_op("ResourceStridedSliceAssign", [var.handle, *index, v], [], scope, attrs)
    return _UnreadVariable(var, op)


def strided_slice_grad(shape: Any, begin: Any, end: Any, strides: Any, dy: Tensor,
                       name: str | None = None, **masks: int) -> Tensor:
    """``StridedSliceGrad``: ``dy`` placed where the slice took it from, zeros elsewhere, in a
    tensor of ``shape``."""
    g = graph_of([shape, begin, end, strides, dy])
    with g.as_default(), g.name_scope(name or "StridedSliceGrad") as scope:
        index = _index_inputs((shape, begin, end, strides), ("shape", "begin", "end", "strides"),
                              "StridedSliceGrad")
        value = evaluate(index[0])
        out = TensorShape(None if value is None else [int(d) for d in value])
        dt = dy.dtype.base_dtype
        attrs = {"T": dt, "Index": index[0].dtype.base_dtype, **masks}
        return make_op("StridedSliceGrad", [*index, dy], [(dt, out)], scope, attrs).outputs[0]


@register_gradient("StridedSlice")
def _strided_slice_gradient(op: Operation, grad: Tensor) -> list:
    """TF's: the input's shape and the indices, as constants where known while building."""
    begin, end, strides = op.inputs[1:]
    shape = shape_op(op.inputs[0], out_type=begin.dtype.base_dtype)

    def known(t: Tensor) -> Any:
        value = constant_value(t)
        return t if value is None else value

    masks = {k: op.get_attr(k) for k in _MASKS}
    dx = strided_slice_grad(known(shape), known(begin), known(end), known(strides), grad, **masks)
    return [dx, None, None, None]


def slice_(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:
    """``tf.slice``: the block of ``size`` (-1: to the end) starting at ``begin`` (``Slice``)."""
    g = graph_of([input_, begin, size])
    with g.as_default(), g.name_scope(name or "Slice") as scope:
        x = convert_to_tensor(input_, name="input")
        b, n = _index_inputs((begin, size), ("begin", "size"), "Slice")
        dt = x.dtype.base_dtype
        text = f"Index={dt_enum(b.dtype.base_dtype)}, T={dt_enum(dt)}"
        out = _slice_shape(x, b, n, scope[:-1], text)
        return make_op("Slice", [x, b, n], [(dt, out)], scope,
                       {"T": dt, "Index": b.dtype.base_dtype}).outputs[0]


def _partial(t: Tensor, n: int) -> list[int | None]:
    """TF's partial shape of an index vector: its known values (-1: unknown); below -1 refused
    (by the refiner itself, so without the node's context). Where the whole vector is not known,
    what TF's refiner still reads of it (a Pack's known scalars, a Shape's static dimensions)."""
    value = evaluate(t)
    if value is None:
        from .array_ops import shape_from_tensor

        partial = shape_from_tensor(t)
        return partial.as_list() if partial.ndims == n else [None] * n
    for v in np.ravel(value):
        if v < -1:
            raise ValueError(f"Invalid value in tensor used for shape: {v}")
    return [None if v == -1 else int(v) for v in np.ravel(value)]


def _slice_shape(x: Tensor, begin: Tensor, size: Tensor, name: str, attrs: str) -> TensorShape:
    """Slice's shape function, in the refiner's second run (begin and size read as partial
    shapes, size also as a tensor): a size of -1 takes the rest of a known dimension."""
    inputs = [x, begin, size]

    def fail(message: str, partial: dict[int, list] | None = None) -> ValueError:
        error = shape_error(message, name, "Slice", attrs, inputs)
        if partial:
            shown = ",".join(f"input[{i}] = [{','.join('?' if d is None else str(d) for d in v)}]"
                             for i, v in sorted(partial.items()))
            error = ValueError(f"{str(error)[:-1]} and with input tensors computed as partial "
                               f"shapes: {shown}.")
        return error

    n = _index_length([begin, size], fail)
    if n is not None and x.shape.ndims is not None and x.shape.ndims != n:
        raise fail(f"Shape must be rank {n} but is rank {x.shape.ndims}")
    if n is None:
        return TensorShape(None if x.shape.ndims is None else [None] * x.shape.ndims)
    starts, sizes = _partial(begin, n), _partial(size, n)
    size_value = evaluate(size)
    if size_value is None:
        return TensorShape(sizes)
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * n
    out: list[int | None] = []
    for dim, start, wanted in zip(dims, starts, np.ravel(size_value).tolist()):
        if wanted != -1:
            out.append(int(wanted))
        elif dim is None or start is None:
            out.append(None)
        elif start > dim:
            raise fail(f"Negative dimension size caused by subtracting {start} from {dim}",
                       {1: starts, 2: sizes})
        else:
            out.append(dim - start)
    return TensorShape(out)


@register_gradient("Slice")
def _slice_gradient(op: Operation, grad: Tensor) -> list:
    """TF's: the gradient padded back to the input's shape, the paddings computed in the graph
    (begin before, what the slice left after)."""
    from .array_ops import rank, reshape
    from .concat_ops import concat
    from .pad_ops import pad

    x, begin = op.inputs[0], op.inputs[1]
    index = begin.dtype.base_dtype
    x_rank = rank(x)
    taken = shape_op(op.outputs[0], out_type=index)
    column = stack([x_rank, 1])
    before = reshape(begin, column)
    after = reshape(shape_op(x, out_type=index) - taken - begin, column)
    return [pad(grad, concat([before, after], 1)), None, None]


def _install() -> None:
    Tensor.__getitem__ = slice_tensor  # type: ignore[method-assign]


_install()
