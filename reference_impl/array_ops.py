"""Tensors from values and shapes: constant, placeholders, fill/zeros/ones, identity, and the
shape ops (shape, rank, size, reshape, expand_dims).

Where TF folds a statically known result into a ``Const`` (``zeros`` of a known shape, ``tf.shape``
of a fully defined shape) this module does the same, so op types and names match TF's graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .autopacking import nested_dtype
from .constant_folding import evaluate
from .graph import Operation, Tensor, get_default_graph
from .op_def import (constant, convert_list_input, convert_to_tensor, convert_type_attr_input, graph_of,
                     make_op)
from .op_errors import shape_error
from .shape_inference import dt_enum, shape_text
from .tensor_shape import TensorShape, as_shape

__all__ = ["constant", "placeholder", "placeholder_with_default", "identity", "zeros", "ones",
           "fill", "zeros_like", "ones_like", "shape", "rank", "size", "reshape", "expand_dims"]


def _known(t: Tensor) -> bool:
    """Whether ``t``'s value is known while building (then a -1 in it is a -1, not unknown)."""
    return evaluate(t) is not None


def shape_from_tensor(t: Tensor) -> TensorShape:
    """TF's ``MakeShapeFromShapeTensor``: what a shape-valued input says while building.

    A value known while building (`constant_folding.evaluate`) gives its values (-1 unknown);
    a Pack its scalars known while building (a negative one unknown); ``tf.shape(y)`` gives y's
    static shape, as TF's partial constant evaluation does; anything else only its length.
    """
    if t.op.type == "Pack" and t.shape.ndims == 1:
        # TF reads a Pack's scalars one by one: a negative or unknown one is an unknown dimension
        dims = [evaluate(x) for x in t.op.inputs]
        return TensorShape([None if d is None or np.ndim(d) or d < 0 else int(d) for d in dims])
    value = evaluate(t)
    if value is not None:
        for d in np.ravel(value):
            if d < -1:
                raise ValueError(f"Invalid value in tensor used for shape: {d}")
        return TensorShape([None if d < 0 else int(d) for d in np.ravel(value)])
    if t.op.type in ("Shape", "ShapeN"):  # (the refiner's ConstantPartialShape reads both)
        return TensorShape(t.op.inputs[t.value_index].shape)
    n = t.shape[0].value if t.shape.ndims == 1 else None
    return TensorShape(None if n is None else [None] * n)


def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> Tensor:
    """A value fed through ``feed_dict``; ``None`` dimensions accept any size."""
    dt = dtypes.as_dtype(dtype).base_dtype
    sh = as_shape(shape)
    return make_op("Placeholder", [], [(dt, sh)], name or "Placeholder",
                   {"dtype": dt, "shape": sh}, graph=get_default_graph()).outputs[0]


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """``input`` unless a value is fed."""
    g = graph_of([input])
    with g.as_default(), g.name_scope(name or "PlaceholderWithDefault") as scope:
        x = convert_to_tensor(input, name="input")
        sh = as_shape(shape)
        if not x.shape.is_compatible_with(sh):
            raise ValueError(f"Shapes must be equal rank, but are {x.shape.ndims} and "
                             f"{sh.ndims}")
        return make_op("PlaceholderWithDefault", [x], [(x.dtype.base_dtype, sh)], scope,
                       {"dtype": x.dtype.base_dtype, "shape": sh}).outputs[0]


def identity(input: Any, name: str | None = None) -> Tensor:
    """The same value, through an ``Identity`` op (one per component of an IndexedSlices, as
    TF maps identity over a composite tensor; ``name`` then goes unused)."""
    from .indexed_slices import IndexedSlices

    if isinstance(input, IndexedSlices):
        parts = [identity(p) for p in (input.values, input.indices, input.dense_shape) if p is not None]
        return IndexedSlices(*parts)  # type: ignore[return-value]
    g = graph_of([input])
    with g.as_default(), g.name_scope(name or "Identity") as scope:
        x = convert_to_tensor(input, name="input")
        dt = x.dtype.base_dtype
        return make_op("Identity", [x], [(dt, x.shape)], scope, {"T": dt}).outputs[0]


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """A tensor of shape ``dims`` filled with ``value``."""
    g = graph_of([dims, value])
    with g.as_default(), g.name_scope(name or "Fill") as scope:
        d = convert_to_tensor(dims, name="dims")
        v = convert_to_tensor(value, name="value")
        dt = v.dtype.base_dtype
        attrs = f"T={dt_enum(dt)}, index_type={dt_enum(d.dtype)}"
        for t, rank_ in ((d, 1), (v, 0)):
            if t.shape.ndims not in (None, rank_):
                raise shape_error(f"Shape must be rank {rank_} but is rank {t.shape.ndims}", scope[:-1],
                                  "Fill", attrs, [d, v])
        out = shape_from_tensor(d)  # (a dimension below -1 fails here, without the node)
        if out.ndims is not None and any(dim is None for dim in out.as_list()) and _known(d):
            raise shape_error("Fill dimensions must be >= 0", scope[:-1], "Fill", attrs, [d, v],
                              partial={0: out})
        return make_op("Fill", [d, v], [(dt, out)], scope,
                       {"T": dt, "index_type": d.dtype.base_dtype}).outputs[0]


def _filled(default_name: str, fill_value: int, shape: Any, dtype: Any,
            name: str | None) -> Tensor:
    """TF's tf.zeros / tf.ones: a constant when ``np.prod(shape) < 1000`` makes one (float
    dimensions truncated), else a Fill of the shape, converted as a TensorShape or, failing
    that (a list holding tensors, a float dimension), as an int32 tensor."""
    dt = dtypes.as_dtype(dtype).base_dtype
    one = b"" if dt == dtypes.string else bool(fill_value) if dt == dtypes.bool else fill_value
    g = graph_of([shape])
    with g.as_default(), g.name_scope(name or default_name) as scope:
        if isinstance(shape, Tensor):
            dims = shape
        else:
            try:
                if not (isinstance(shape, (list, tuple)) and nested_dtype(shape) is not None):
                    small = None
                    try:
                        if np.prod(shape) < 1000:  # (TF's _constant_if_small)
                            small = constant(one, dt, shape=shape, name=scope)
                    except TypeError:
                        pass
                    if small is not None:
                        return small
                sh = TensorShape(shape).as_list()
                wide = any(d >= 2**31 for d in sh)
                dims = constant(np.array(sh, dtype=np.int64 if wide else np.int32), name="shape_as_tensor")
            except (TypeError, ValueError):  # (a negative or float dimension, a tensor inside)
                dims = convert_to_tensor(shape, dtype=dtypes.int32)
        if dims.shape.ndims == 0:  # (TF makes a scalar a vector)
            dims = reshape(dims, [-1])
        return fill(dims, constant(one, dt, name="Const"), name=scope)


def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    return _filled("zeros", 0, shape, dtype, name)


def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    return _filled("ones", 1, shape, dtype, name)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:
    g = graph_of([tensor])
    with g.as_default(), g.name_scope(name or "zeros_like") as scope:
        t = convert_to_tensor(tensor, name="tensor")
        dt = dtypes.as_dtype(dtype).base_dtype if dtype is not None else t.dtype.base_dtype
        if optimize and t.shape.is_fully_defined():
            return zeros(t.shape.as_list(), dt, name=scope)
        if dt != t.dtype.base_dtype:
            return zeros(shape(t), dt, name=scope)
        return make_op("ZerosLike", [t], [(dt, t.shape)], scope, {"T": dt}).outputs[0]


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:
    g = graph_of([tensor])
    with g.as_default(), g.name_scope(name or "ones_like") as scope:
        t = convert_to_tensor(tensor, name="tensor")
        dt = dtypes.as_dtype(dtype).base_dtype if dtype is not None else t.dtype.base_dtype
        if optimize and t.shape.is_fully_defined():
            with g.name_scope("Shape"):
                dims = constant(np.array(t.shape.as_list(), np.int32), dtypes.int32,
                                name="shape_as_tensor")
        else:
            dims = shape(t)
        one = constant(np.ones((), dt.as_numpy_dtype), dt, name="Const")
        out = fill(dims, one, name=scope)
        out.set_shape(t.shape)
        return out


def shape(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:
    """The dynamic shape of ``input`` as an int32 vector (a Const when statically known)."""
    out_dt = dtypes.as_dtype(out_type)
    g = graph_of([input])
    with g.as_default(), g.name_scope(name or "Shape") as scope:
        x = convert_to_tensor(input, name="input")
        if x.shape.is_fully_defined():
            return constant(np.array(x.shape.as_list(), out_dt.as_numpy_dtype), out_dt,
                            name=scope)
        n = x.shape.ndims
        return make_op("Shape", [x], [(out_dt, TensorShape([n]))], scope,
                       {"T": x.dtype.base_dtype, "out_type": out_dt}).outputs[0]


def shape_n(input: Any, out_type: Any = dtypes.int32, name: str | None = None) -> list[Tensor]:
    """The dynamic shapes of the tensors in ``input``, one ``ShapeN`` op (never constants)."""
    out_dt = dtypes.as_dtype(out_type)
    g = graph_of(list(input))
    with g.as_default(), g.name_scope(name or "ShapeN") as scope:
        xs = convert_list_input(list(input), "ShapeN", "input")
        return list(make_op("ShapeN", xs, [(out_dt, TensorShape([x.shape.ndims])) for x in xs], scope,
                            {"N": len(xs), "T": xs[0].dtype.base_dtype, "out_type": out_dt}).outputs)


def rank(input: Any, name: str | None = None) -> Tensor:
    """The number of dimensions of ``input`` as an int32 scalar."""
    g = graph_of([input])
    with g.as_default(), g.name_scope(name or "Rank") as scope:
        x = convert_to_tensor(input, name="input")
        if x.shape.ndims is not None:
            return constant(np.int32(x.shape.ndims), dtypes.int32, name=scope)
        return make_op("Rank", [x], [(dtypes.int32, TensorShape([]))], scope,
                       {"T": x.dtype.base_dtype}).outputs[0]


def size(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:
    """The number of elements of ``input`` as a scalar."""
    out_dt = dtypes.as_dtype(out_type)
    g = graph_of([input])
    with g.as_default(), g.name_scope(name or "Size") as scope:
        x = convert_to_tensor(input, name="input")
        if x.shape.is_fully_defined():
            return constant(np.array(x.shape.num_elements(), out_dt.as_numpy_dtype), out_dt,
                            name=scope)
        return make_op("Size", [x], [(out_dt, TensorShape([]))], scope,
                       {"T": x.dtype.base_dtype, "out_type": out_dt}).outputs[0]


def _known_elements(dims: list[int | None]) -> tuple[int, int, bool]:
    """The product of the known sizes, the index of the one unknown size (-1 if none), and
    whether there were two or more unknown sizes: TF's walk over a shape in ``Reshape``.

    A known 0 anywhere makes the whole count a known 0, as ``InferenceContext::NumElements``
    does, so the unknown sizes are then not looked for.
    """
    if 0 in dims:
        return 0, -1, False
    known, unknown = 1, -1
    for i, d in enumerate(dims):
        if d is None:
            if unknown >= 0:
                return known, unknown, True
            unknown = i
        else:
            known *= d
    return known, unknown, False


def _reshape_shape(x: Tensor, target: TensorShape, op_name: str,
                   inputs: list[Tensor]) -> TensorShape:
    """The static output shape of ``Reshape``: TF's ``SetOutputShapeForReshape``.

    ``target`` is the requested shape with -1 already unknown. At most one unknown dimension
    on each side is filled in or checked; a failed check is a build-time ValueError.
    """
    if target.ndims is None or x.shape.ndims is None:
        return target
    out, dims_in = target.as_list(), x.shape.as_list()
    out_known, out_unknown, too_many = _known_elements(out)
    in_known, in_unknown, too_many_in = _known_elements(dims_in)
    if too_many or too_many_in:
        return target

    def error(message: str) -> ValueError:
        attrs = f"T={dt_enum(x.dtype)}, Tshape={dt_enum(inputs[1].dtype)}"
        err = shape_error(message, op_name, "Reshape", attrs, inputs)
        # Reshape's shape function reads its shape input as a partial shape, not a tensor.
        return ValueError(f"{str(err)[:-1]} and with input tensors computed as partial "
                          f"shapes: input[1] = {shape_text(target)}.")

    def divide(dividend: int, divisor: int) -> int:
        if dividend % divisor:
            raise error(f"Dimension size must be evenly divisible by {divisor} but is "
                        f"{dividend}")
        return dividend // divisor

    if in_unknown < 0 and out_unknown < 0:
        if in_known != out_known:
            raise error(f"Cannot reshape a tensor with {in_known} elements to shape "
                        f"{shape_text(target)} ({out_known} elements)")
    elif in_unknown < 0 and out_known > 0:
        out[out_unknown] = divide(in_known, out_known)
    elif out_unknown < 0 and in_known != 0:
        # The input's one unknown size must make up the output's count: only checked.
        divide(out_known, in_known)
    elif in_unknown >= 0 and out_unknown >= 0 and in_known == out_known:
        out[out_unknown] = dims_in[in_unknown]
    return TensorShape(out)


def _shape_input(shape: Any) -> Tensor:
    """``shape`` converted as TF's op_def_library converts an int32/int64 ``Tshape`` input.

    The value's own type first, then int32 (an empty list leaves ``shape`` and ``shape_1``).
    A partially known TensorShape cannot become a tensor at all.
    """
    if isinstance(shape, Tensor) or hasattr(shape, "_as_graph_element"):
        return convert_to_tensor(shape, name="shape")
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Tried to convert 'shape' to a tensor and failed. Error: Cannot "
                             f"convert a partially known TensorShape {shape} to a Tensor.")
        shape = shape.as_list()
    return convert_type_attr_input(shape, "shape", (dtypes.int32, dtypes.int64), dtypes.int32)


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tensor`` with a new shape; one dimension may be -1 (inferred)."""
    g = graph_of([tensor, shape])
    with g.as_default(), g.name_scope(name or "Reshape") as scope:
        x = convert_to_tensor(tensor, name="tensor")
        s = _shape_input(shape)
        out_shape = _reshape_shape(x, shape_from_tensor(s), scope[:-1], [x, s])
        dt = x.dtype.base_dtype
        return make_op("Reshape", [x, s], [(dt, out_shape)], scope,
                       {"T": dt, "Tshape": s.dtype.base_dtype}).outputs[0]


def expand_dims(input: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """``input`` with a new size-1 dimension at ``axis`` (negative counts from the end)."""
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    g = graph_of([input])
    with g.as_default(), g.name_scope(name or "ExpandDims") as scope:
        x = convert_to_tensor(input, name="input")
        a = convert_to_tensor(axis, name="dim")
        value = evaluate(a)
        dt = x.dtype.base_dtype

        def error(message: str) -> ValueError:
            return shape_error(message, scope[:-1], "ExpandDims",
                               f"T={dt_enum(dt)}, Tdim={dt_enum(a.dtype)}", [x, a], {1: value})

        # TF's ExpandDims shape function checks the dim's size before the input's rank.
        if value is not None and np.size(value) != 1:
            raise error("'dim' input must be a tensor with a single value")
        if x.shape.ndims is None or value is None:
            out = TensorShape(None)
        else:
            r = x.shape.ndims
            ax = int(np.ravel(value)[0])
            if ax < -1 - r or ax > r:
                raise error(f"dim {ax} not in the interval [{-1 - r}, {r}].")
            ax = ax + r + 1 if ax < 0 else ax
            dims = x.shape.as_list()
            out = TensorShape(dims[:ax] + [1] + dims[ax:])
        return make_op("ExpandDims", [x, a], [(dt, out)], scope,
                       {"T": dt, "Tdim": a.dtype.base_dtype}).outputs[0]


def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """``Pack``: the ``values`` (of one shape) stacked along a new dimension ``axis``.

    As TF's: along axis 0 the list is first converted whole — values without a tensor become
    one ``Const``, a list mixing tensors (of one type) with other values packs the others as
    constants named by position (``stack/0``). Otherwise the first value is converted for its
    shape, and ``Pack`` converts the values itself (``values_0`` …), refusing mixed types and
    shapes with op_def_library's and the shape function's messages."""
    values = list(values)
    if axis == 0:
        try:
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass  # not one constant, nor tensors of one type: Pack says what is wrong
    first = convert_to_tensor(values[0], name=name)
    if first.shape.ndims is not None:
        n = first.shape.ndims + 1
        if not -n <= axis < n:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-n}, {n})")
    return _pack(values, axis, name)


def unstack(value: Any, num: int | None = None, axis: int = 0, name: str = "unstack") -> list[Tensor]:
    """``Unpack``: the ``num`` tensors along dimension ``axis`` of ``value`` (``num`` read from
    its static shape when not given)."""
    if num is None:
        value = convert_to_tensor(value)
        n = value.shape.ndims
        if n is not None:
            if not -n <= axis < n:
                raise ValueError(f"Argument `axis` = {axis} not in range [{-n}, {n})")
            num = value.shape.as_list()[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
    return unpack(value, num, axis, name)


def unpack(value: Any, num: int, axis: int = 0, name: str | None = None) -> list[Tensor]:
    """The ``Unpack`` op (generated wrapper): ``value`` converted in its scope, TF's shape
    function's checks."""
    g = graph_of([value])
    with g.as_default(), g.name_scope(name or "Unpack") as scope:
        x = convert_to_tensor(value, name="value")
        dt = x.dtype.base_dtype
        out = TensorShape(None)
        if x.shape.ndims is not None:
            dims = x.shape.as_list()
            a = axis + len(dims) if axis < 0 else axis

            def fail(message: str) -> ValueError:
                return shape_error(message, scope[:-1], "Unpack",
                                   f"T={dt_enum(dt)}, axis={axis}, num={num}", [x])

            if not 0 <= a < len(dims):
                raise fail(f"Invalid axis: {axis}; must be in [{-len(dims)},{len(dims)})")
            if dims[a] is not None and dims[a] != num:
                raise fail(f"Dimension must be {num} but is {dims[a]}")
            out = TensorShape(dims[:a] + dims[a + 1:])
        return list(make_op("Unpack", [x], [(dt, out)] * num, scope,
                            {"num": num, "T": dt, "axis": axis}).outputs)


def _pack(values: list, axis: int, name: str) -> Tensor:
    """The ``Pack`` op, its inputs converted as op_def_library converts a list."""
    g = graph_of(values)
    with g.as_default(), g.name_scope(name) as scope:
        xs = convert_list_input(values, "Pack")
        dt = xs[0].dtype.base_dtype
        shape = _pack_shape(xs, axis, scope[:-1], f"N={len(xs)}, T={dt_enum(dt)}, axis={axis}")
        return make_op("Pack", xs, [(dt, shape)], scope,
                       {"T": dt, "N": len(xs), "axis": axis}).outputs[0]


def _pack_shape(xs: list[Tensor], axis: int, name: str, attrs: str) -> TensorShape:
    """Pack's shape function: the values' shapes merged (from the last), one dimension added."""
    merged = xs[-1].shape
    for i in range(len(xs) - 2, -1, -1):
        a = xs[i].shape
        problem = _merge_problem(a, merged)
        if problem:
            raise shape_error(f"{problem}\n\tFrom merging shape {i} with other shapes.", name,
                              "Pack", attrs, xs)
        merged = a.merge_with(merged)
    if merged.ndims is None:
        return TensorShape(None)
    dims = merged.as_list()
    a = axis if axis >= 0 else axis + len(dims) + 1
    return TensorShape(dims[:a] + [len(xs)] + dims[a:])


def _merge_problem(a: TensorShape, b: TensorShape) -> str | None:
    """Why TF's shape inference cannot merge ``a`` with ``b`` (None: it can)."""
    if a.ndims is None or b.ndims is None:
        return None
    if a.ndims != b.ndims:
        return f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}"
    for i, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            return (f"Dimension {i} in both shapes must be equal, but are {x} and {y}. Shapes "
                    f"are {shape_text(a)} and {shape_text(b)}.")
    return None


def _assert_op(condition: Tensor, data: list[Any], summarize: int | None,
               name: str) -> Operation:
    """The ``Assert`` op: fails the run with ``data`` printed when ``condition`` is false."""
    g = get_default_graph()
    with g.name_scope(name) as scope:
        xs = [v if isinstance(v, Tensor) else convert_to_tensor(v, name=f"data_{i}")
              for i, v in enumerate(data)]
        return make_op("Assert", [condition] + xs, [], scope,
                       {"T": [x.dtype.base_dtype for x in xs],
                        "summarize": 3 if summarize is None else summarize})


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """TF1's ``tf.where``: with ``x`` and ``y``, a ``Select`` of them by ``condition``
    (elements, rows of a vector ``condition``, or whole operands of a scalar one); without,
    ``Where``: the coordinates of ``condition``'s true elements, an int64 ``[n, rank]``."""
    if x is None and y is None:
        g = graph_of([condition])
        with g.as_default(), g.name_scope(name or "Where") as scope:
            cond = convert_to_tensor(condition, name="condition")
            rank = cond.shape.ndims
            return make_op("Where", [cond], [(dtypes.int64, TensorShape([None, rank]))], scope,
                           {"T": cond.dtype.base_dtype}).outputs[0]
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    g = graph_of([condition, x, y])
    with g.as_default(), g.name_scope(name or "Select") as scope:
        cond = convert_to_tensor(condition, name="condition")
        t = convert_to_tensor(x, name="t")
        e = convert_to_tensor(y, dtype=t.dtype.base_dtype, name="e")
        data = t.shape.merge_with(e.shape) if t.shape.is_compatible_with(e.shape) else None
        if data is None:
            raise ValueError(f"Dimensions must be equal, but are {shape_text(t.shape)} and "
                             f"{shape_text(e.shape)} for '{{{{node {scope[:-1]}}}}} = Select' "
                             f"with input shapes: {shape_text(cond.shape)}, "
                             f"{shape_text(t.shape)}, {shape_text(e.shape)}.")
        return make_op("Select", [cond, t, e], [(t.dtype.base_dtype, data)], scope,
                       {"T": t.dtype.base_dtype}).outputs[0]
