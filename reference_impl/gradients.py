"""``tf.gradients``: symbolic reverse-mode differentiation over a gradient registry.

The gradient graph is built like TF's: under the name scope ``gradients``, the ops are visited
from ``ys`` back towards ``xs`` in TF's order (an op once all its consumers between xs and ys are
done), each op's gradient function runs in ``<op name>_grad``, and a tensor that feeds several
consumers gets the ``AddN`` of their gradients in the order they arrived (float addition is not
associative, so the order is part of the result). Gradient functions are registered per op type
with `register_gradient`. Like TF's, they build what a shape known only when run needs (Shape,
BroadcastGradientArgs, DynamicStitch, BroadcastTo, ShapeN ops) and constants where it is known.
"""

from __future__ import annotations

import collections
from typing import Any, Callable

import numpy as np

from . import dtypes
from .array_ops import expand_dims, fill, reshape, shape as shape_op, size
from .array_ops import rank as rank_op
from .broadcast_ops import broadcast_to
from .constant_folding import constant_value
from .control_flow_ops import _identity, group
from .graph import Operation, Tensor, get_default_graph
from .math_ops import add_n, cast, matmul, multiply, negative, realdiv
from .op_def import constant, convert_to_tensor, make_op
from .concat_ops import concat
from .gather_ops import gather
from .indexed_slices import IndexedSlices
from .segment_ops import unsorted_segment_sum
from .reduction_ops import reduce_prod, reduce_sum, reduced_shape
from .tensor_shape import TensorShape
from .tile_ops import tile

GradFn = Callable[[Operation, Tensor], list]
_GRADIENTS: dict[str, GradFn | None] = {}


def register_gradient(*op_types: str) -> Callable[[GradFn], GradFn]:
    def decorate(fn: GradFn) -> GradFn:
        for t in op_types:
            _GRADIENTS[t] = fn
        return fn
    return decorate


def no_gradient(*op_types: str) -> None:
    for t in op_types:
        _GRADIENTS[t] = None


no_gradient("Const", "Placeholder", "VariableV2", "Shape", "Size", "Rank", "Equal", "NotEqual",
            "Less", "LessEqual", "Greater", "GreaterEqual", "IsVariableInitialized", "Floor",
            "ArgMax", "ArgMin", "Fill", "ZerosLike", "Where")
# TF's ops.NotDifferentiable: their gradients are None (not an error)
no_gradient("Assert", "Assign", "AssignAdd", "AssignSub", "BroadcastGradientArgs", "ConcatOffset",
            "InvertPermutation", "LogicalAnd", "LogicalNot", "LogicalOr", "RandomShuffle",
            "RandomStandardNormal", "RandomUniform", "TruncatedNormal", "Range", "ShapeN",
            "StringJoin", "VarIsInitializedOp")


@register_gradient("ReadVariableOp")
def _read_variable_grad(op: Operation, grad: Tensor) -> list:
    # A read passes its gradient on to the variable's handle, unchanged.
    return [grad]


def _source(x: Any) -> Tensor:
    """The tensor gradients are taken with respect to for ``x``: a reference variable's ref, a
    resource variable's handle (its reads lead there), else ``x`` as a tensor."""
    if getattr(x, "_is_resource_variable", False) and hasattr(x, "handle"):
        return x.handle
    if hasattr(x, "_ref") and not isinstance(x, Tensor):
        return x._ref()
    return convert_to_tensor(x)


@register_gradient("Reshape", "ExpandDims", "Squeeze")
def _reshape_grad(op: Operation, grad: Tensor) -> list:
    # The gradient takes the input's shape back; Reshape and ExpandDims have a shape input too.
    x = op.inputs[0]
    shape = x.shape
    back: Any = None
    if op.type == "Reshape" and shape.ndims is not None and not shape.is_fully_defined():
        # one unknown dimension (and no 0): a -1 in a constant, no Shape op (TF's _ReshapeGrad)
        dims = shape.as_list()
        unknown = [i for i, d in enumerate(dims) if d is None]
        if len(unknown) == 1 and 0 not in dims:
            back = [-1 if d is None else d for d in dims]
    out = reshape(grad, shape_op(x) if back is None else back)
    return [out] if op.type == "Squeeze" else [out, None]


def _unary_math(op_type: str, x: Tensor) -> Tensor:
    from .math_ops import unary
    return unary(op_type, x, None)


@register_gradient("Exp")
def _exp_grad(op: Operation, grad: Tensor) -> list:
    with op.graph.control_dependencies([grad]):
        return [grad * op.outputs[0]]


@register_gradient("Log")
def _log_grad(op: Operation, grad: Tensor) -> list:
    with op.graph.control_dependencies([grad]):
        return [grad * _unary_math("Reciprocal", op.inputs[0])]


def _grad_op(op_type: str, inputs: list[Tensor], like: Tensor) -> Tensor:
    """An op of ``op_type`` (SqrtGrad, ReluGrad …) named after its own scope, of ``like``'s
    dtype and shape, as TF's generated wrappers make them."""
    dt = like.dtype.base_dtype
    with like.graph.name_scope(op_type) as scope:
        return make_op(op_type, inputs, [(dt, like.shape)], scope, {"T": dt}).outputs[0]


@register_gradient("Sqrt")
def _sqrt_grad(op: Operation, grad: Tensor) -> list:
    return [_grad_op("SqrtGrad", [op.outputs[0], grad], op.outputs[0])]


@register_gradient("Abs")
def _abs_grad(op: Operation, grad: Tensor) -> list:
    return [grad * _unary_math("Sign", op.inputs[0])]


def _from_output(grad_op_type: str) -> Any:
    """The gradient of an op computed from its output ``y`` by ``grad_op_type(y, grad)`` (TF's
    TanhGrad / SigmoidGrad), after ``grad`` as TF's control dependency says."""
    def gradient(op: Operation, grad: Tensor) -> list:
        with op.graph.control_dependencies([grad]):
            return [_grad_op(grad_op_type, [op.outputs[0], grad], op.outputs[0])]
    return gradient


register_gradient("Tanh")(_from_output("TanhGrad"))
register_gradient("Sigmoid")(_from_output("SigmoidGrad"))


@register_gradient("Ceil", "FloorDiv")
def _none_grad(op: Operation, grad: Tensor) -> list:
    # (registered gradients that are None: TF's _CeilGrad, _FloorDivGrad)
    return [None] * len(op.inputs)


@register_gradient("Sign")
def _sign_grad(op: Operation, grad: Tensor) -> list:
    from .array_ops import zeros_like

    return [zeros_like(op.inputs[0])]


@register_gradient("Reciprocal")
def _reciprocal_grad(op: Operation, grad: Tensor) -> list:
    return [_grad_op("ReciprocalGrad", [op.outputs[0], grad], op.outputs[0])]


@register_gradient("SigmoidGrad")
def _sigmoid_grad_grad(op: Operation, grad: Tensor) -> list:
    with op.graph.control_dependencies([grad]):
        a, b = op.inputs
        gb = grad * b
        return [gb - 2.0 * gb * a, _grad_op("SigmoidGrad", [a, grad], a)]


@register_gradient("TanhGrad")
def _tanh_grad_grad(op: Operation, grad: Tensor) -> list:
    with op.graph.control_dependencies([grad]):
        a, b = op.inputs
        return [grad * -2.0 * b * a, _grad_op("TanhGrad", [a, grad], a)]


@register_gradient("SqrtGrad")
def _sqrt_grad_grad(op: Operation, grad: Tensor) -> list:
    a, y = op.inputs[0], op.outputs[0]
    with op.graph.control_dependencies([grad]):
        ga = grad / a
        return [-ga * y, 0.5 * ga]


@register_gradient("ReluGrad")
def _relu_grad_grad(op: Operation, grad: Tensor) -> list:
    from .array_ops import zeros_like

    x = op.inputs[1]
    return [_grad_op("ReluGrad", [grad, x], grad), zeros_like(x)]


@register_gradient("Transpose")
def _transpose_grad(op: Operation, grad: Tensor) -> list:
    from .transpose_ops import invert_permutation, transpose

    return [transpose(grad, invert_permutation(op.inputs[1])), None]


@register_gradient("Softmax")
def _softmax_grad(op: Operation, grad: Tensor) -> list:
    softmax = op.outputs[0]
    sum_channels = reduce_sum(grad * softmax, -1, keepdims=True)
    return [(grad - sum_channels) * softmax]


@register_gradient("LogSoftmax")
def _log_softmax_grad(op: Operation, grad: Tensor) -> list:
    softmax = _unary_math("Exp", op.outputs[0])
    return [grad - reduce_sum(grad, -1, keepdims=True) * softmax]


@register_gradient("Sin")
def _sin_grad(op: Operation, grad: Tensor) -> list:
    with op.graph.control_dependencies([grad]):
        return [grad * _unary_math("Cos", op.inputs[0])]


@register_gradient("Cos")
def _cos_grad(op: Operation, grad: Tensor) -> list:
    with op.graph.control_dependencies([grad]):
        return [-grad * _unary_math("Sin", op.inputs[0])]


def _where_v2(cond: Tensor, x: Tensor, y: Tensor) -> Tensor:
    from .train.learning_rate_decay import where_v2
    return where_v2(cond, x, y)


def _maximum_minimum_grad(op: Operation, grad: Tensor, selector: str) -> list:
    # TF's: the gradient where x won (ties to x), zeros elsewhere, and the other way for y.
    from .array_ops import zeros_like
    from .math_ops import greater_equal, less_equal

    x, y = op.inputs
    zeros = zeros_like(grad)
    mask = (greater_equal if selector == "GreaterEqual" else less_equal)(x, y)
    return _reduce_gradient_args(x, y, _where_v2(mask, grad, zeros), _where_v2(mask, zeros, grad))


@register_gradient("Maximum")
def _maximum_grad(op: Operation, grad: Tensor) -> list:
    return _maximum_minimum_grad(op, grad, "GreaterEqual")


@register_gradient("Minimum")
def _minimum_grad(op: Operation, grad: Tensor) -> list:
    return _maximum_minimum_grad(op, grad, "LessEqual")


@register_gradient("Max", "Min")
def _min_or_max_grad(op: Operation, grad: Tensor) -> list:
    # The gradient split evenly among the elements equal to the extremum.
    from .math_ops import equal

    x, axes_t = op.inputs
    in_shape = shape_op(x)
    y = op.outputs[0]
    if not op.get_attr("keep_dims"):
        kept = reduced_shape(in_shape, axes_t)
        y = reshape(y, kept)
        grad = reshape(grad, kept)
    else:
        kept = shape_op(y)
    indicators = cast(equal(y, x), grad.dtype.base_dtype)
    selected = reshape(reduce_sum(indicators, axes_t), kept)
    return [realdiv(indicators, selected, name="truediv") * grad, None]


@register_gradient("Pad", "PadV2")
def _pad_grad(op: Operation, grad: Tensor) -> list:
    # The slice of the gradient where the input sat: begins from the paddings' first column.
    from .array_ops import rank, stack
    from .slicing_ops import slice_

    x, paddings = op.inputs[0], op.inputs[1]
    before = slice_(paddings, [0, 0], stack([rank(x), 1]))
    begin = reshape(before, [-1])
    sizes = shape_op(x, out_type=begin.dtype)
    return [slice_(grad, begin, sizes)] + [None] * (len(op.inputs) - 1)


@register_gradient("MirrorPad")
def _mirror_pad_grad(op: Operation, grad: Tensor) -> list:
    from .pad_ops import mirror_pad_grad

    return [mirror_pad_grad(grad, op.inputs[1], op.get_attr("mode")), None]


@register_gradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op: Operation, grad: Tensor) -> list:
    from .pad_ops import pad

    mode = op.get_attr("mode")
    return [pad(grad, op.inputs[1], mode=mode.decode() if isinstance(mode, bytes) else mode, name="MirrorPad"), None]


@register_gradient("Pack")
def _pack_grad(op: Operation, grad: Tensor) -> list:
    n, axis = op.get_attr("N"), op.get_attr("axis")
    with op.graph.name_scope("unstack") as scope:
        shape = grad.shape.as_list()
        del shape[axis]
        outs = make_op("Unpack", [grad], [(grad.dtype.base_dtype, TensorShape(shape))] * n, scope,
                       {"num": n, "T": grad.dtype.base_dtype, "axis": axis}).outputs
    return list(outs)


@register_gradient("Unpack")
def _unpack_grad(op: Operation, *grads: Tensor) -> list:
    from .array_ops import stack

    return [stack(list(grads), axis=op.get_attr("axis"))]


@register_gradient("ConcatV2")
def _concat_grad(op: Operation, grad: Tensor) -> list:
    # Each input's slice of the gradient, at the offsets ConcatOffset computes.
    from .math_ops import floormod
    from .slicing_ops import slice_

    values, axis = op.inputs[:-1], op.inputs[-1]
    if len(values) == 1:
        return [grad, None]
    axis = floormod(axis, rank_op(values[0]), name="mod")
    shapes = _input_shapes(values)
    if len(values) > 16:
        # TF's: the sizes along the axis (stacked shapes, sliced at the axis' row, squeezed),
        # and the gradient split into pieces of those sizes by one SplitV.
        from .array_ops import stack
        from .split_ops import split
        from .squeeze_ops import squeeze

        sizes = squeeze(slice_(stack(shapes, axis=1), [axis, 0], [1, -1]))
        return split(grad, sizes, axis) + [None]
    with op.graph.name_scope("ConcatOffset") as scope:
        offsets = make_op("ConcatOffset", [axis] + shapes,
                          [(dtypes.int32, s.shape) for s in shapes], scope,
                          {"N": len(shapes), "shape_type": dtypes.int32}).outputs
    return [slice_(grad, o, s) for o, s in zip(offsets, shapes)] + [None]


@register_gradient("Split")
def _split_grad(op: Operation, *grads: Tensor) -> list:
    # The outputs' gradients (zeros for those without) concatenated along the split axis.

    return [None, concat(list(grads), op.inputs[0])]


@register_gradient("SplitV")
def _split_v_grad(op: Operation, *grads: Tensor) -> list:
    return [concat(list(grads), op.inputs[2]), None, None]


def _input_shapes(values: list[Tensor]) -> list[Tensor]:
    """The concatenated tensors' shapes as TF's concat gradient takes them: a ``Shape`` each
    while they are constants, else one ``ShapeN`` of all (the shapes made before it stay
    in the graph, unused)."""
    from .array_ops import shape_n

    shapes = []
    for v in values:
        s = shape_op(v)
        if s.op.type != "Const":
            return shape_n(values)
        shapes.append(s)
    return shapes


def _select(cond: Tensor, x: Tensor, y: Tensor) -> Tensor:
    """TF1's ``where(cond, x, y)``: a ``Select`` op."""
    dt = x.dtype.base_dtype
    with cond.graph.name_scope("Select") as scope:
        return make_op("Select", [cond, x, y], [(dt, x.shape)], scope, {"T": dt}).outputs[0]


@register_gradient("Pow")
def _pow_grad(op: Operation, grad: Tensor) -> list:
    # d/dx: grad * y * x ** (y - 1); d/dy: grad * z * log(x) where x > 0, else 0 (TF's
    # guard against the false singularity at 0).
    from .array_ops import ones_like, zeros_like
    from .math_ops import greater, log, pow as pow_

    x, y = op.inputs
    gx = grad * y * pow_(x, y - 1)
    mask = greater(x, 0)
    safe_x = _select(mask, x, ones_like(x))
    log_x = _select(mask, log(safe_x), zeros_like(x))
    gy = grad * op.outputs[0] * log_x
    return _reduce_gradient_args(x, y, gx, gy)


@register_gradient("Relu")
def _relu_grad(op: Operation, grad: Tensor) -> list:
    return [_grad_op("ReluGrad", [grad, op.outputs[0]], op.outputs[0])]


@register_gradient("L2Loss")
def _l2_loss_grad(op: Operation, grad: Tensor) -> list:
    return [op.inputs[0] * grad]


@register_gradient("Select")
def _select_grad(op: Operation, grad: Tensor) -> list:
    from .array_ops import zeros_like

    cond, x = op.inputs[0], op.inputs[1]
    zeros = zeros_like(x)
    return [None, _select(cond, grad, zeros), _select(cond, zeros, grad)]


@register_gradient("AddN")
def _add_n_grad(op: Operation, grad: Tensor) -> list:
    return [grad] * len(op.inputs)


@register_gradient("Identity", "Snapshot", "PlaceholderWithDefault")
def _identity_grad(op: Operation, grad: Tensor) -> list:
    return [grad]


def _reduce_gradient_args(x: Tensor, y: Tensor, gx: Tensor, gy: Tensor) -> list:
    """TF's ``_ReduceGradientArgs``: each operand's gradient summed (keeping dims) over the axes
    it was broadcast along and reshaped to its ``Shape``. The axes come from the static shapes
    where they tell (TF's ``_InferGradientReductionAxes``), else from a BroadcastGradientArgs op
    on the run-time shapes (then both are reduced)."""
    x_shape, y_shape = shape_op(x), shape_op(y)
    axes = _inferred_reduction_axes(x.shape, y.shape)
    if axes is None:
        x_axes, y_axes = _broadcast_gradient_args(x_shape, y_shape)
        return [_reduce_gradient_arg(gx, x_shape, x_axes, True), _reduce_gradient_arg(gy, y_shape, y_axes, True)]
    x_axes, y_axes = axes
    return [_reduce_gradient_arg(gx, x_shape, x_axes, bool(x_axes) or x.shape.ndims < y.shape.ndims),
            _reduce_gradient_arg(gy, y_shape, y_axes, bool(y_axes) or y.shape.ndims < x.shape.ndims)]


def _inferred_reduction_axes(xs: TensorShape, ys: TensorShape) -> tuple[list[int], list[int]] | None:
    """The axes each operand was broadcast along, from static shapes; None where an unknown
    dimension leaves it open (or a rank is unknown)."""
    if xs.ndims is None or ys.ndims is None:
        return None
    rank = max(xs.ndims, ys.ndims)
    px = [1] * (rank - xs.ndims) + xs.as_list()
    py = [1] * (rank - ys.ndims) + ys.as_list()
    x_axes, y_axes = [], []
    for axis, (a, b) in enumerate(zip(px, py)):
        if a == 1 and b != 1:
            x_axes.append(axis)
        elif b == 1 and a != 1:
            y_axes.append(axis)
        elif a is None or b is None:
            return None
    return x_axes, y_axes


def _broadcast_gradient_args(sx: Tensor, sy: Tensor) -> tuple[Tensor, Tensor]:
    """The ``BroadcastGradientArgs`` op: each shape's reduction axes, computed when run."""
    dt = sx.dtype.base_dtype
    with sx.graph.name_scope("BroadcastGradientArgs") as scope:
        out = make_op("BroadcastGradientArgs", [sx, sy], [(dt, TensorShape([None]))] * 2, scope,
                      {"T": dt}).outputs
    return out[0], out[1]


def _reduce_gradient_arg(grad: Tensor, shape: Tensor, axes: list[int], must_reduce: bool) -> Tensor:
    if must_reduce:
        grad = reshape(reduce_sum(grad, axes, keepdims=True), shape)
    return grad


@register_gradient("AddV2", "Add")
def _add_grad(op: Operation, grad: Tensor) -> list:
    x, y = op.inputs
    if _same_known_shape(x, y, grad):
        return [grad, grad]
    return _reduce_gradient_args(x, y, grad, grad)


@register_gradient("Sub")
def _sub_grad(op: Operation, grad: Tensor) -> list:
    x, y = op.inputs
    if _same_known_shape(x, y, grad):
        return [grad, negative(grad)]
    return _reduce_gradient_args(x, y, grad, negative(grad))


@register_gradient("Mul")
def _mul_grad(op: Operation, grad: Tensor) -> list:
    x, y = op.inputs
    if grad.dtype.base_dtype in (dtypes.float32, dtypes.int32) and _same_known_shape(x, y, grad):
        return [multiply(grad, y), multiply(grad, x)]  # (TF's fast path: grad first in both)
    return _reduce_gradient_args(x, y, multiply(grad, y), multiply(x, grad))


def _same_known_shape(*tensors: Tensor) -> bool:
    shapes = [t.shape for t in tensors]
    return all(s.is_fully_defined() for s in shapes) and all(s.as_list() == shapes[0].as_list() for s in shapes)


def _quotient_grad(op: Operation, grad: Tensor, divide: Callable[..., Tensor]) -> list:
    """TF's gradient of x / y for a division ``divide``: grad / y and grad * ((-x / y) / y)."""
    x, y = op.inputs
    gx = divide(grad, y)
    gy = grad * divide(divide(negative(x), y), y)
    return _reduce_gradient_args(x, y, gx, gy)


@register_gradient("RealDiv")
def _realdiv_grad(op: Operation, grad: Tensor) -> list:
    return _quotient_grad(op, grad, realdiv)


@register_gradient("Div")
def _div_grad(op: Operation, grad: Tensor) -> list:
    from .math_ops import divide

    return _quotient_grad(op, grad, divide)


@register_gradient("FloorMod")
def _floor_mod_grad(op: Operation, grad: Tensor) -> list:
    from .math_ops import binary

    x, y = op.inputs
    floor_xy = binary("FloorDiv", x, y, None)
    return _reduce_gradient_args(x, y, grad, grad * negative(floor_xy))


@register_gradient("Xdivy")
def _xdivy_grad(op: Operation, grad: Tensor) -> list:
    from .math_ops import not_equal, raw_xdivy

    x, y = op.inputs
    sx, sy = shape_op(x), shape_op(y)
    rx, ry = _broadcast_gradient_args(sx, sy)
    with op.graph.control_dependencies([grad]):
        not_zero_x = cast(not_equal(x, cast(0.0, x.dtype.base_dtype)), x.dtype.base_dtype)
        partial_x = raw_xdivy(not_zero_x, y)
        partial_y = raw_xdivy(negative(x), y ** 2)
        return [reshape(reduce_sum(partial_x * grad, rx), sx),
                reshape(reduce_sum(partial_y * grad, ry), sy)]


@register_gradient("DivNoNan")
def _div_no_nan_grad(op: Operation, grad: Tensor) -> list:
    # TF's: RealDiv's gradient with each division a div_no_nan (0 where y == 0).
    from .math_ops import div_no_nan

    return _quotient_grad(op, grad, div_no_nan)


@register_gradient("Neg")
def _neg_grad(op: Operation, grad: Tensor) -> list:
    return [negative(grad)]


@register_gradient("Square")
def _square_grad(op: Operation, grad: Tensor) -> list:
    x = op.inputs[0]
    with op.graph.control_dependencies([grad]):  # (TF's: the 2 waits for the gradient)
        two = constant(2.0, dtype=x.dtype.base_dtype)
    return [multiply(grad, multiply(x, two))]


@register_gradient("MatMul")
def _matmul_grad(op: Operation, grad: Tensor) -> list:
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if not ta and not tb:
        return [matmul(grad, b, transpose_b=True), matmul(a, grad, transpose_a=True)]
    if not ta and tb:
        return [matmul(grad, b), matmul(grad, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, grad, transpose_b=True), matmul(a, grad)]
    return [matmul(b, grad, transpose_a=True, transpose_b=True),
            matmul(grad, a, transpose_a=True, transpose_b=True)]


def _sum_grad_value(op: Operation, grad: Tensor) -> Tensor:
    """TF's graph for a reduction's gradient: with every axis reduced and the rank known, the
    gradient reshaped to ones and tiled (the multiples a ``Const``, a ``Shape`` where dims are
    unknown); with a static shape and constant axes, reshaped to the kept dims and tiled by
    constants; otherwise reshaped to `reduced_shape` and broadcast to the input's ``Shape``."""
    x, axes_t = op.inputs
    raw = constant_value(axes_t)
    rank = x.shape.ndims
    if rank is not None and raw is not None:
        if np.array_equal(raw, np.arange(rank)):
            flat = reshape(grad, [1] * rank)
            multiples = constant(np.array(x.shape.as_list(), dtype=np.int32)) \
                if x.shape.is_fully_defined() else shape_op(x)
            return tile(flat, multiples)
        if x.shape.is_fully_defined():
            in_shape = x.shape.as_list()
            kept = reduced_shape(in_shape, raw).tolist()
            _note_reduced_shape(op.graph, tuple(in_shape), tuple(np.ravel(raw).tolist()), kept)
            return tile(reshape(grad, kept), [d // max(k, 1) for d, k in zip(in_shape, kept)])
    in_shape = shape_op(x)
    if not op.get_attr("keep_dims"):
        with op.graph.colocate_with(in_shape):
            kept = reduced_shape(in_shape, axes_t)
        grad = reshape(grad, kept)
    return broadcast_to(grad, in_shape)


def _note_reduced_shape(g: Any, in_shape: tuple, axes: tuple, kept: list[int]) -> None:
    """TF caches the kept dims and tile multiples of each (input shape, axes) per graph; the
    first time it computes the multiples with ops it then evaluates (``_SafeShapeDiv``:
    ``shape // maximum(kept, 1)``), which stay in the graph, unused."""
    from .math_ops import floordiv, maximum

    cache = g.__dict__.setdefault("_reduced_shape_cache", set())
    if (in_shape, axes) not in cache:
        cache.add((in_shape, axes))
        floordiv(list(in_shape), maximum(kept, 1))


@register_gradient("Sum")
def _sum_grad(op: Operation, grad: Tensor) -> list:
    return [_sum_grad_value(op, grad), None]


@register_gradient("Mean")
def _mean_grad(op: Operation, grad: Tensor) -> list:
    summed = _sum_grad_value(op, grad)
    dt = summed.dtype.base_dtype
    x, y = op.inputs[0], op.outputs[0]
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        in_size, out_size = x.shape.num_elements(), y.shape.num_elements()
        factor = constant(in_size // max(out_size, 1), dtype=dt)
    else:
        # the product of the reduced dimensions, computed when run
        in_shape = shape_op(x)
        rank = size(in_shape)
        axes = (cast(op.inputs[1], rank.dtype) + rank) % rank
        factor = reduce_prod(gather(in_shape, axes))
    return [realdiv(summed, cast(factor, dt), name="truediv"), None]


@register_gradient("Prod")
def _prod_grad(op: Operation, grad: Tensor) -> list:
    # TF's: each element's gradient is the product of the others, as two exclusive cumulative
    # products over the reduced dimensions moved to the front and flattened into one (no division,
    # so zeros are fine); the index arithmetic on the CPU, as TF pins it.
    from .scan_ops import cumprod
    from .sequence_ops import range_
    from .set_ops import setdiff1d
    from .transpose_ops import invert_permutation, transpose

    x, axes_t = op.inputs
    in_shape = shape_op(x)
    axes = reshape(axes_t, [-1])
    if not op.get_attr("keep_dims"):
        grad = reshape(grad, reduced_shape(in_shape, axes_t))
    grad = broadcast_to(grad, in_shape)
    with op.graph.device("/cpu:0"):
        rank = rank_op(x)
        reduced = (cast(axes, rank.dtype) + rank) % rank
        other, _ = setdiff1d(range_(0, rank), reduced, reduced.dtype)
        perm = concat([reduced, other], 0)
        reduced_num = reduce_prod(gather(in_shape, reduced))
        other_num = reduce_prod(gather(in_shape, other))
    permuted = transpose(x, perm)
    permuted_shape = shape_op(permuted)
    reshaped = reshape(permuted, (reduced_num, other_num))
    left = cumprod(reshaped, axis=0, exclusive=True)
    right = cumprod(reshaped, axis=0, exclusive=True, reverse=True)
    y = reshape(left * right, permuted_shape)
    out = grad * transpose(y, invert_permutation(perm))
    return [reshape(out, in_shape), None]


@register_gradient("BroadcastTo")
def _broadcast_to_grad(op: Operation, grad: Tensor) -> list:
    from .constant_folding import evaluate

    x, target = op.inputs
    in_shape = shape_op(x, out_type=target.dtype.base_dtype)
    known = evaluate(target)
    if known is not None and np.all(np.asarray(known) >= 0):
        target = constant(np.asarray(known).tolist(), dtype=target.dtype.base_dtype)
    _, axes = _broadcast_gradient_args(target, in_shape)
    return [reshape(reduce_sum(grad, axis=axes, keepdims=True), in_shape), None]


@register_gradient("Tile")
def _tile_grad(op: Operation, grad: Tensor) -> list:
    # TF's: the gradient reshaped to [m0, d0, m1, d1, ...] (multiples interleaved with the input's
    # dimensions) and summed over the multiples' axes 0, 2, 4, ...
    from .array_ops import stack
    from .sequence_ops import range_
    from .transpose_ops import transpose

    x, multiples = op.inputs
    in_shape = shape_op(x, out_type=multiples.dtype.base_dtype)
    split_shape = reshape(transpose(stack([multiples, in_shape])), [-1])
    axes = range_(0, size(split_shape), 2)
    return [reduce_sum(reshape(grad, split_shape), axes), None]


@register_gradient("Cumsum")
def _cumsum_grad(op: Operation, grad: Tensor) -> list:
    from .scan_ops import cumsum

    return [cumsum(grad, op.inputs[1], exclusive=op.get_attr("exclusive"),
                   reverse=not op.get_attr("reverse")), None]


@register_gradient("Cumprod")
def _cumprod_grad(op: Operation, grad: Tensor) -> list:
    # TF's: the running product again, times the gradient, summed back the other way, divided
    # by x with div_no_nan (so an x of 0 gets a gradient of 0, not the product of the others).
    from .math_ops import div_no_nan
    from .scan_ops import cumprod, cumsum

    x, axis = op.inputs
    exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")
    prod = cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    out = cumsum(prod * grad, axis, exclusive=exclusive, reverse=not reverse)
    return [div_no_nan(out, x), None]


def _dense(grad: Any) -> Tensor:
    """TF's ``_IndexedSlicesToTensorNoWarning``: an IndexedSlices gradient summed into a dense
    tensor (an UnsortedSegmentSum); a Tensor as it is."""
    if isinstance(grad, IndexedSlices):
        return unsorted_segment_sum(grad.values, grad.indices, grad.dense_shape[0])
    return grad


def _rows(params_shape: Tensor, count: Tensor, indices: Tensor, grad: Any) -> IndexedSlices:
    """The gradient of an axis-0 gather as TF builds it: the incoming gradient reshaped to one
    row per index (``count`` of them, a 1-vector), the indices flattened, the params' shape as
    the dense shape."""
    values_shape = concat([count, params_shape[1:]], 0)
    values = reshape(_dense(grad), values_shape)
    return IndexedSlices(values, reshape(indices, count), params_shape)


@register_gradient("GatherV2")
def _gather_v2_grad(op: Operation, grad: Any) -> list:
    params, indices, axis = op.inputs
    if op.get_attr("batch_dims") != 0:
        raise NotImplementedError("the gradient of tf.gather with batch_dims != 0")
    with op.graph.colocate_with(params.op):  # (params may be large: its shape is computed by it)
        params_shape = shape_op(params)
    count = expand_dims(size(indices), 0)  # (TF builds it whatever the axis)
    known = constant_value(axis)
    if known is not None and int(known) == 0:
        return [_rows(params_shape, count, indices, grad), None, None]
    return [_gather_axis_grad(params, params_shape, indices, axis, grad), None, None]


def _gather_axis_grad(params: Tensor, params_shape: Tensor, indices: Tensor, axis: Tensor,
                      grad: Any) -> Tensor:
    """The dense gradient of a gather along another axis (TF's, batch_dims 0): the gathered
    axis moved to the front, the rows summed per index (UnsortedSegmentSum), moved back."""
    from .sequence_ops import range_
    from .transpose_ops import transpose

    outer_shape = params_shape[:axis]
    inner_shape = params_shape[axis:][1:]
    values_shape = concat([outer_shape, [-1], inner_shape], 0)
    values_dims = size(values_shape)
    axis_dims = size(outer_shape)
    outer_batches = range_(0)
    batch_axes = range_(0, axis_dims)
    inner_axes = range_(axis_dims + 1, values_dims)
    values = reshape(_dense(grad), values_shape)
    to_front = concat([outer_batches, [axis_dims], batch_axes, inner_axes], 0)
    values = transpose(values, to_front)
    gather(params_shape, to_front)  # (TF builds it and leaves it unused)
    rows = params_shape[axis]
    summed = unsorted_segment_sum(values, reshape(indices, expand_dims(size(indices), 0)), rows)
    back = concat([outer_batches, batch_axes + 1, [0], inner_axes], 0)
    return reshape(transpose(summed, back), shape_op(params))


@register_gradient("ResourceGather")
def _resource_gather_grad(op: Operation, grad: Any) -> list:
    handle, indices = op.inputs
    params_shape = _variable_shape(handle)
    return [_rows(params_shape, expand_dims(size(indices), 0), indices, grad), None]


def _variable_shape(handle: Tensor) -> Tensor:
    """TF's ``variable_shape`` in a graph: the handle's shape as a Const when its VarHandleOp
    knows it whole."""
    shape = handle.op.get_attr("shape") if handle.op.type == "VarHandleOp" else TensorShape(None)
    if not shape.is_fully_defined():
        raise NotImplementedError("the gradient of a gather from a resource variable of a shape "
                                  "not fully known while building (TF's VariableShape op)")
    return constant(shape.as_list(), dtypes.int32)


@register_gradient("Cast")
def _cast_grad(op: Operation, grad: Tensor) -> list:
    src = op.inputs[0].dtype.base_dtype
    if src.is_floating and grad.dtype.base_dtype.is_floating:
        return [cast(grad, src)]
    return [None]


def gate(tensors: list) -> list:
    """TF's ``control_flow_ops.tuple``: each tensor through an Identity that waits for all of
    them. Under ``tuple``: a ``group_deps`` NoOp on their ops (in creation order), then one
    ``control_dependency``, ``control_dependency_1``, ... Identity per tensor (None stays)."""
    g = get_default_graph()
    with g.name_scope("tuple"):
        gating = sorted({t.op for t in tensors if t is not None}, key=lambda op: op._id)
        gate_op = group(*gating)
        out: list = []
        for t in tensors:
            if t is None:
                out.append(None)
                continue
            values = t.values if isinstance(t, IndexedSlices) else t
            with g.name_scope("control_dependency") as scope, g.control_dependencies([gate_op]), \
                    g.colocate_with(values):  # (TF's with_dependencies colocates it with its tensor)
                gated = _identity(values, scope)
            # (an IndexedSlices: only its values wait, as TF's with_dependencies does it)
            out.append(IndexedSlices(gated, t.indices, t.dense_shape) if values is not t else gated)
        return out


def _aggregate(grads: list[Any]) -> Any:
    """The sum of a tensor's gradients, colocated with the first, as TF's (one device's) sum.
    IndexedSlices among them: with a Tensor, an AddN of all (each made dense); else one
    IndexedSlices of their rows, values and indices concatenated (indices as int64 when their
    types differ), as TF's AggregateIndexedSlicesGradients."""
    if all(isinstance(gr, Tensor) for gr in grads):
        with get_default_graph().colocate_with(grads[0].op, ignore_existing=True):
            return add_n(grads)
    if any(isinstance(gr, Tensor) for gr in grads):
        return add_n(grads)
    if len({gr.indices.dtype.base_dtype for gr in grads}) > 1:
        grads = [gr if gr.indices.dtype.base_dtype == dtypes.int64 else
                 IndexedSlices(gr.values, cast(gr.indices, dtypes.int64), gr.dense_shape) for gr in grads]
    return IndexedSlices(concat([gr.values for gr in grads], 0), concat([gr.indices for gr in grads], 0),
                         grads[0].dense_shape)


# The dtypes gradients flow through (TF's backprop_util.IsTrainable): an op reached from xs only
# through integer, bool or string tensors is not differentiated (tf.range of a float's cast).
_TRAINABLE = frozenset({dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
                        dtypes.complex128, dtypes.resource, dtypes.bfloat16})


def _check_grad_y_type(y: Tensor, grad_y: Tensor) -> None:
    """TF's check of a given gradient's type against y's (real or integer for real or integer y,
    complex for complex y)."""
    yt, gt = y.dtype.base_dtype, grad_y.dtype.base_dtype
    if yt.is_floating or yt.is_integer:
        if not (gt.is_floating or gt.is_integer):
            raise TypeError(f"Gradient type {gt.name} generated for real or integer-valued tensor "
                            f"{y} with type {yt.name} must be real or integer")
    elif yt.is_complex and not gt.is_complex:
        raise TypeError(f"Gradient type {gt.name} generated for complex-valued tensor {y} with "
                        f"type {yt.name} must be real")


def _consumers(ops: list[Operation]) -> dict[Operation, list[Operation]]:
    """Each op's consumers through its trainable outputs."""
    out: dict[Operation, list[Operation]] = collections.defaultdict(list)
    for op in ops:
        for t in op.inputs:
            if t.dtype.base_dtype in _TRAINABLE:
                out[t.op].append(op)
    return out


# The outputs TF fills with zeros where they have no gradient: IsTrainable's types (resource
# and variant left out: no op of several outputs the reference differentiates has such outputs)
_ZERO_FILLED = frozenset({dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64,
                          dtypes.complex64, dtypes.complex128})


def _zeros_like_output(t: Tensor) -> Tensor:
    """TF's ``control_flow_state.ZerosLike`` outside loops: ``zeros_like(t, optimize=False)``."""
    from .array_ops import zeros_like

    return zeros_like(t, optimize=False)


def _merge_input_shape(op: Operation, index: int, t: Tensor, grad: Tensor) -> None:
    """TF gives each input's gradient the input's static shape (merged into what it has)."""
    try:
        grad.set_shape(t.shape)
    except ValueError:
        raise ValueError(f"Incompatible shapes between op input and calculated input gradient. "
                         f"Forward operation: {op.name}. Input index: {index}. Original input "
                         f"shape: {t.shape}. Calculated input gradient shape: {grad.shape}") from None


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients",
              colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: str = "none") -> list:
    """The sums of d(ys)/d(x) for each x in ``xs`` (None where x does not reach ys)."""
    ys = [convert_to_tensor(y) for y in (ys if isinstance(ys, (list, tuple)) else [ys])]
    xs_list = xs if isinstance(xs, (list, tuple)) else [xs]
    xs = [_source(x) for x in xs_list]
    if grad_ys is not None and not isinstance(grad_ys, (list, tuple)):
        grad_ys = [grad_ys]
    g = ys[0].graph if ys else get_default_graph()  # (no ys, as of an empty unstack: every x gets None)
    all_ops = g.get_operations()
    consumers = _consumers(all_ops)
    # ops reachable forward from xs, and between xs and ys
    reach: set[Operation] = set()
    stack = [x.op for x in xs]
    while stack:
        op = stack.pop()
        if op in reach:
            continue
        reach.add(op)
        stack.extend(consumers.get(op, []))
    between: set[Operation] = set()
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in between or op not in reach:
            continue
        between.add(op)
        stack.extend(t.op for t in op.inputs)
    pending = collections.Counter()
    for op in between:
        for t in op.inputs:
            if t.op in between:
                pending[t.op] += 1
    grads: dict[Tensor, list[Tensor]] = collections.defaultdict(list)
    with g.as_default(), g.name_scope(name):
        # TF converts every given gradient first (grad_y_<i>), then gives each an Identity
        # (grad_ys_<i>) or, where none was given, ones of y's shape
        given = [None if grad_ys is None or grad_ys[i] is None
                 else convert_to_tensor(grad_ys[i], name=f"grad_y_{i}") for i in range(len(ys))]
        for i, y in enumerate(ys):
            if given[i] is not None:
                _check_grad_y_type(y, given[i])
                grads[y].append(_identity(given[i], name=f"grad_ys_{i}"))
            else:
                shape = shape_op(y)
                with g.name_scope(f"grad_ys_{i}") as ones:  # (as TF's tf.ones names its ops)
                    grads[y].append(fill(shape, constant(1, dtype=y.dtype.base_dtype), name=ones))
        queue: collections.deque = collections.deque()
        seen: set[Operation] = set()
        for y in ys:
            if y.op in between and pending[y.op] == 0 and y.op not in seen:
                seen.add(y.op)
                queue.append(y.op)
        stop = {x.op for x in xs}
        while queue:
            op = queue.popleft()
            out_grads = []
            for t in op.outputs:
                got = grads.get(t, [])
                if len(got) > 1:
                    got[:] = [_aggregate(got)]
                out_grads.append(got[0] if got else None)
            if op not in stop and any(gr is not None for gr in out_grads):
                if op.type not in _GRADIENTS:
                    raise LookupError(f"No gradient defined for operation '{op.name}' "
                                      f"(op type: {op.type}). In general every operation must "
                                      f"have an associated `@tf.RegisterGradient` for correct "
                                      f"autodiff, which this op is lacking. If you want to "
                                      f"pretend this operation is a constant in your program, "
                                      f"you may insert `tf.stop_gradient`.")
                fn = _GRADIENTS[op.type]
                if fn is not None:
                    # An output the ys do not depend on has a zero gradient (a ZerosLike, for
                    # trainable types), as TF's gradients give an op of several outputs.
                    for i, gr in enumerate(out_grads):
                        if gr is None and op.outputs[i].dtype.base_dtype in _ZERO_FILLED:
                            out_grads[i] = _zeros_like_output(op.outputs[i])
                    with g.name_scope(op.name + "_grad"):
                        in_grads = fn(op, *out_grads)
                        # With gate_gradients (the optimizers' GATE_OP) TF gates an op's
                        # gradients together once there are several.
                        if gate_gradients and sum(gr is not None for gr in in_grads) > 1:
                            # (outside any device scope and colocation)
                            with g.device(None), g.colocate_with(None, ignore_existing=True):
                                in_grads = gate(list(in_grads))
                    for i, (t, gr) in enumerate(zip(op.inputs, in_grads)):
                        if isinstance(gr, Tensor) and t.dtype.base_dtype != dtypes.resource:
                            _merge_input_shape(op, i, t, gr)
                        if gr is not None and t.op in between:
                            grads[t].append(gr)
            for t in op.inputs:
                if t.op in between:
                    pending[t.op] -= 1
                    if pending[t.op] == 0 and t.op not in seen:
                        seen.add(t.op)
                        queue.append(t.op)
        result = []
        for x in xs:
            got = grads.get(x, [])
            if len(got) > 1:
                got[:] = [_aggregate(got)]
            result.append(got[0] if got else None)
    return result


# --- clip_ops: ClipByValue, Rsqrt (clip_by_average_norm) ----------------------------------------

@register_gradient("ClipByValue")
def _clip_by_value_grad(op: Operation, grad: Tensor) -> list:
    """TF's ``_clip_by_value_grad``: the gradient passes to ``t`` where it was not clipped, to
    a bound where that bound won (``t < min``, ``t > max``), each bound's summed over the axes
    it broadcast along (a BroadcastGradientArgs of the run-time shapes) and reshaped to it."""
    from .array_ops import where, zeros
    from .math_ops import greater, less, logical_or

    x, y, z = op.inputs
    sx, sy, sz = shape_op(x), shape_op(y), shape_op(z)
    zero = zeros(shape_op(grad), grad.dtype)
    below = less(x, y)
    above = greater(x, z)
    _, ry = _broadcast_gradient_args(sx, sy)
    _, rz = _broadcast_gradient_args(sx, sz)
    xgrad = where(logical_or(below, above), zero, grad)
    ygrad = where(below, grad, zero)
    zgrad = where(above, grad, zero)
    return [xgrad, reshape(reduce_sum(ygrad, ry), sy), reshape(reduce_sum(zgrad, rz), sz)]


@register_gradient("Rsqrt")
def _rsqrt_grad(op: Operation, grad: Tensor) -> list:
    # -0.5 * grad * y ** 3 from the output y, by a RsqrtGrad op (no control dependency: TF's)
    return [_grad_op("RsqrtGrad", [op.outputs[0], grad], op.outputs[0])]


@register_gradient("RsqrtGrad")
def _rsqrt_grad_grad(op: Operation, grad: Tensor) -> list:
    # f(a, b) = -0.5 * b * a ** 3: d/da = -1.5 * grad * b * a ** 2, d/db = RsqrtGrad(a, grad)
    # (TF conjugates a and grad first: the same tensors for real types)
    from .math_ops import square

    a, b = op.inputs
    with op.graph.control_dependencies([grad]):
        grad_a = -1.5 * grad * b * square(a)
        return [grad_a, _grad_op("RsqrtGrad", [a, grad], a)]


# --- data_flow_ops: DynamicPartition, ParallelDynamicStitch (and DynamicStitch) ------------------

@register_gradient("DynamicPartition")
def _dynamic_partition_grad(op: Operation, *grads: Any) -> list:
    """TF's ``_DynamicPartitionGrads``: the positions 0..n-1 of the slices, shaped as the
    partitions, are partitioned as the data was, and the outputs' gradients stitched back to
    those positions (a ParallelDynamicStitch), then reshaped to the data's shape. An output the
    ys do not reach has a ZerosLike gradient by then (`gradients`), so every slice gets one."""
    from .data_flow_ops import dynamic_partition, parallel_dynamic_stitch
    from .sequence_ops import range_

    data, partitions = op.inputs
    prefix = shape_op(partitions)
    positions = reshape(range_(reduce_prod(prefix)), prefix)
    parts = dynamic_partition(positions, partitions, op.get_attr("num_partitions"))
    stitched = parallel_dynamic_stitch(parts, list(grads))
    return [reshape(stitched, shape_op(data)), None]


@register_gradient("DynamicStitch", "ParallelDynamicStitch")
def _stitch_grads(op: Operation, grad: Any) -> list:
    """TF's ``_DynamicStitchGrads``, registered for both ops as TF registers it: each data
    input's gradient gathers its rows of the output's gradient; the indices get none. An
    IndexedSlices gradient (a gather of the output) is first summed into rows as many as the
    output has (``shape(output)[0]``, an UnsortedSegmentSum). TF casts the indices to int32
    first: they always are int32 (the ops' only index type), so no Cast is ever built."""
    n = len(op.inputs) // 2
    if isinstance(grad, IndexedSlices):
        rows = shape_op(op.outputs[0])[0]
        grad = unsorted_segment_sum(grad.values, grad.indices, rows)
    return [None] * n + [gather(grad, i) for i in op.inputs[:n]]
