"""``tf.gradients``: symbolic reverse-mode differentiation over a gradient registry.

The gradient graph is built like TF's: under the name scope ``gradients``, the ops are visited
from ``ys`` back towards ``xs`` in TF's order (an op once all its consumers between xs and ys are
done), each op's gradient function runs in ``<op name>_grad``, and a tensor that feeds several
consumers gets the ``AddN`` of their gradients in the order they arrived (float addition is not
associative, so the order is part of the result). Gradient functions are registered per op type
with `register_gradient`; shapes must be static.
"""

from __future__ import annotations

import collections
from typing import Any, Callable

import numpy as np

from . import dtypes
from .array_ops import fill, reshape, shape as shape_op, static_value
from .constant_folding import constant_value
from .control_flow_ops import _identity, group
from .graph import Operation, Tensor, get_default_graph
from .math_ops import add_n, cast, matmul, multiply, negative, realdiv
from .op_def import constant, convert_to_tensor, make_op
from .reduction_ops import reduce_sum
from .tensor_shape import TensorShape

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
            "ArgMax", "ArgMin", "Fill", "ZerosLike")


def _static_shape(t: Tensor) -> list[int]:
    if not t.shape.is_fully_defined():
        raise NotImplementedError(f"gradients need static shapes; {t.name} has {t.shape}")
    return t.shape.as_list()


def _unbroadcast(grad: Tensor, target: Tensor) -> Tensor:
    """Sum ``grad`` over the axes along which ``target`` was broadcast."""
    gs, ts = _static_shape(grad), _static_shape(target)
    if gs == ts:
        return grad
    padded = [1] * (len(gs) - len(ts)) + ts
    axes = [i for i, (g, t) in enumerate(zip(gs, padded)) if t == 1 and g != 1 or
            i < len(gs) - len(ts)]
    summed = reduce_sum(grad, axes) if axes else grad
    return reshape(summed, ts)


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


@register_gradient("AddN")
def _add_n_grad(op: Operation, grad: Tensor) -> list:
    return [grad] * len(op.inputs)


@register_gradient("Identity", "Snapshot")
def _identity_grad(op: Operation, grad: Tensor) -> list:
    return [grad]


def _reduce_gradient_args(x: Tensor, y: Tensor, gx: Tensor, gy: Tensor) -> list:
    """TF's ``_ReduceGradientArgs`` over static shapes: each operand's gradient summed (keeping
    dims) over the axes it was broadcast along and reshaped to its ``Shape``."""
    x_shape, y_shape = shape_op(x), shape_op(y)
    xs, ys = _static_shape(x), _static_shape(y)
    rank = max(len(xs), len(ys))
    padded_x, padded_y = [1] * (rank - len(xs)) + xs, [1] * (rank - len(ys)) + ys
    x_axes = [a for a in range(rank) if padded_x[a] == 1 and padded_y[a] != 1]
    y_axes = [a for a in range(rank) if padded_y[a] == 1 and padded_x[a] != 1]
    return [_reduce_gradient_arg(gx, x_shape, x_axes, bool(x_axes) or len(xs) < len(ys)),
            _reduce_gradient_arg(gy, y_shape, y_axes, bool(y_axes) or len(ys) < len(xs))]


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


@register_gradient("RealDiv")
def _realdiv_grad(op: Operation, grad: Tensor) -> list:
    x, y = op.inputs
    gy = multiply(grad, realdiv(realdiv(negative(x), y), y))
    return [_unbroadcast(realdiv(grad, y), x), _unbroadcast(gy, y)]


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


def _tile(x: Tensor, multiples: Tensor | list[int]) -> Tensor:
    """A ``Tile`` of ``x``: ``multiples`` a constant tensor, or values that become one in the op's
    own scope (``Tile/multiples``), as TF's generated wrapper converts them."""
    g = get_default_graph()
    with g.name_scope("Tile") as scope:
        if not isinstance(multiples, Tensor):
            multiples = constant(np.array(multiples, dtype=np.int32), name="multiples")
        times = [int(m) for m in np.ravel(static_value(multiples))]
        shape = [d * m for d, m in zip(_static_shape(x), times)]
        return make_op("Tile", [x, multiples], [(x.dtype.base_dtype, TensorShape(shape))], scope,
                       {"T": x.dtype.base_dtype, "Tmultiples": dtypes.int32}).outputs[0]


def _sum_grad_value(op: Operation, grad: Tensor) -> Tensor:
    """TF's graph for a reduction over static shapes: the gradient reshaped to the kept dims and
    tiled back, the multiples a ``Const`` when every axis was reduced, in order."""
    x, axes_t = op.inputs
    in_shape = _static_shape(x)
    raw = constant_value(axes_t)
    if raw is None:
        raise NotImplementedError("gradient of a reduction over a computed axis")
    if np.array_equal(raw, np.arange(len(in_shape))):
        flat = reshape(grad, [1] * len(in_shape))
        return _tile(flat, constant(np.array(in_shape, dtype=np.int32)))
    axes = {int(a) % max(len(in_shape), 1) for a in np.ravel(raw)}
    kept = [1 if i in axes else d for i, d in enumerate(in_shape)]
    return _tile(reshape(grad, kept), [d // max(k, 1) for d, k in zip(in_shape, kept)])


@register_gradient("Sum")
def _sum_grad(op: Operation, grad: Tensor) -> list:
    return [_sum_grad_value(op, grad), None]


@register_gradient("Mean")
def _mean_grad(op: Operation, grad: Tensor) -> list:
    summed = _sum_grad_value(op, grad)
    in_size = int(np.prod(_static_shape(op.inputs[0]), dtype=np.int64))
    out_size = int(np.prod(_static_shape(op.outputs[0]), dtype=np.int64))
    factor = constant(max(in_size // max(out_size, 1), 1), dtype=summed.dtype.base_dtype)
    return [realdiv(summed, factor), None]


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
            with g.name_scope("control_dependency") as scope, g.control_dependencies([gate_op]), \
                    g.colocate_with(t):  # (TF's with_dependencies colocates it with its tensor)
                out.append(_identity(t, scope))
        return out


def _aggregate(grads: list[Tensor]) -> Tensor:
    """The sum of a tensor's gradients, colocated with the first, as TF's (one device's) sum."""
    with get_default_graph().colocate_with(grads[0].op, ignore_existing=True):
        return add_n(grads)


def _consumers(ops: list[Operation]) -> dict[Operation, list[Operation]]:
    out: dict[Operation, list[Operation]] = collections.defaultdict(list)
    for op in ops:
        for t in op.inputs:
            out[t.op].append(op)
    return out


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
    g = ys[0].graph
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
        for i, y in enumerate(ys):
            if grad_ys is not None and grad_ys[i] is not None:
                grads[y].append(convert_to_tensor(grad_ys[i], dtype=y.dtype.base_dtype))
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
                    with g.name_scope(op.name + "_grad"):
                        in_grads = fn(op, out_grads[0])
                        # With gate_gradients (the optimizers' GATE_OP) TF gates an op's
                        # gradients together once there are several.
                        if gate_gradients and sum(gr is not None for gr in in_grads) > 1:
                            # (outside any device scope and colocation)
                            with g.device(None), g.colocate_with(None, ignore_existing=True):
                                in_grads = gate(list(in_grads))
                    for t, gr in zip(op.inputs, in_grads):
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
