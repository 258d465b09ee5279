"""The graph rewrites TensorFlow applies before running a graph, where they change results.

TF 1.x's ``DirectSession`` hands the graph to Grappler's meta optimizer each time it builds the
executors of a new (fetches, feeds) signature. Most Grappler rewrites give the same bits as the
graph as written; the ones here do not, so the reference Session applies them too, deciding once
per run signature as TF does (the plan cache is keyed like TF's executor cache).

ReduceDivToReciprocalMul (grappler/optimizers/constant_folding.cc)
    ``RealDiv(x, c)`` or ``Div(x, c)`` whose divisor ``c`` is a constant becomes
    ``Mul(x, Reciprocal(c))`` and the reciprocal is then folded: ``x`` is multiplied by ``1/c``
    rounded to the op's dtype, which is not always ``x / c`` (float32 ``30 / 100`` gives
    0.3 but ``30 * (1/100)`` 0.29999998; float64 and float16 round the same way). Checked
    against TF 2.21 (tests/numerics/test_grappler.py):

    - The graph has at least 4 ops: below the meta optimizer's ``min_graph_nodes`` (4) TF does
      not optimise at all. The whole graph counts, ops the run does not need included.
    - ``Div`` only for floating and complex ``T`` (integer Div is left alone, ``tf.div`` and
      ``/`` build RealDiv for floats anyway).
    - ``Xdivy`` (floating and complex only) is the third op the rule takes; it keeps its
      ``x == 0 → 0`` (TF makes it a ``MulNoNan`` with the reciprocal): ``xdivy(x, c)`` gives
      ``x * (1/c)`` where ``x != 0`` and 0 where ``x == 0``, even for ``c == 0``.
    - The divisor is constant in this run: a ``Const`` that is not fed, or an op constant
      folding evaluates to one first (a stateless op all of whose data inputs are such:
      ``Cast(Const)``, ``Identity(Const)``, ...; fetching that op too does not stop it). A fed
      Const is no constant.
    - The numerator is not constant too: then constant folding evaluates the whole division
      first, with the real division kernel.

A Slice of a constant 1-D integer tensor (a *shape* to Grappler) becomes its clamped sub-shape:
see `shape_slice_rewrites`. A reduction or a transpose that cannot change its input becomes an
Identity, so its kernel's checks do not run: `identity_rewrites`. Pow by a constant (`pow_rewrites`), constants
pushed down Add / Mul trees (`push_down_rewrites`) and AddN's input order (`add_n_order_rewrites`)
follow below, and so does a concat's merging of consecutive constant values
(`partial_concat_rewrites`).

Not modelled: the ConfigProto switches that turn Grappler or constant folding off
(``graph_options.rewrite_options``), and folding's size limit on large constants.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import errors
from .graph import Operation, Tensor
from .kernels.registry import CPU, KernelContext, KernelFn, lookup_kernel

# Grappler's meta optimizer skips graphs with fewer nodes (meta_optimizer.cc kDefaultMinGraphNodes).
MIN_GRAPH_NODES = 4

# Ops constant folding never evaluates: they have no inputs to fold, read state, have side
# effects, produce random values, or belong to control flow (IsFoldable in constant_folding.cc).
_NOT_FOLDABLE = frozenset({
    "Placeholder", "PlaceholderWithDefault", "VariableV2", "Variable", "VarHandleOp",
    "ReadVariableOp", "Assign", "AssignAdd", "AssignSub", "AssignVariableOp",
    "IsVariableInitialized", "ReportUninitializedVariables", "Switch", "RefSwitch", "Merge",
    "RefMerge", "Enter", "Exit", "NextIteration", "LoopCond", "NoOp", "Assert", "Print",
    "PrintV2", "RandomUniform", "RandomUniformInt", "RandomStandardNormal", "TruncatedNormal",
    "Multinomial", "RandomShuffle", "SaveV2", "RestoreV2", "MergeV2Checkpoints",
})


def _constant(op: Operation, fed: set[Operation], memo: dict[int, bool]) -> bool:
    """Whether Grappler's constant folding sees ``op``'s output as a constant in this run."""
    known = memo.get(op._id)
    if known is not None:
        return known
    memo[op._id] = False  # cycles (loops) are never constant
    if op in fed:
        result = False
    elif op.type == "Const":
        result = True
    else:
        result = (bool(op._inputs) and op.type not in _NOT_FOLDABLE
                  and not op.type.startswith(("Apply", "ResourceApply", "Stateful"))
                  and all(_constant(t.op, fed, memo) for t in op._inputs))
    memo[op._id] = result
    return result


def _constant_in_run(feeds: dict[Tensor, Any]) -> Any:
    """A test of whether a tensor is constant to Grappler in the run feeding ``feeds``."""
    fed = {t.op for t in feeds}
    memo: dict[int, bool] = {}
    return lambda t: _constant(t.op, fed, memo)


def reciprocal_mul(ctx: KernelContext, inputs: list) -> list:
    """The kernel of a rewritten division: ``Mul(x, Reciprocal(c))``, the reciprocal computed
    in the op's dtype (Eigen's ``scalar_inverse_op`` is an exact ``1 / c``), the product by
    the Mul kernel of the device the division was placed on."""
    x, c = inputs
    if hasattr(c, "copy_to_host"):
        c = c.copy_to_host()
    with np.errstate(all="ignore"):
        recip = np.reciprocal(np.asarray(c, dtype=ctx.attrs["T"].as_numpy_dtype))
    mul = lookup_kernel("Mul", ctx.device_type) or lookup_kernel("Mul", CPU)
    return mul(ctx, [x, recip])


def reciprocal_mul_no_nan(ctx: KernelContext, inputs: list) -> list:
    """The kernel of a rewritten ``Xdivy(x, c)``: ``reciprocal_mul``, 0 where ``x == 0``."""
    x = inputs[0]
    product = reciprocal_mul(ctx, inputs)[0]
    if hasattr(product, "copy_to_host"):
        product = product.copy_to_host()
    if hasattr(x, "copy_to_host"):
        x = x.copy_to_host()
    product = np.asarray(product)
    return [np.where(np.asarray(x) == 0, np.zeros((), product.dtype), product)]


def division_rewrites(ops: list[Operation], graph_size: int,
                      feeds: dict[Tensor, Any]) -> dict[int, KernelFn]:
    """The divisions among ``ops`` (a run's plan) that TF runs as multiplications by a
    reciprocal: their replacement kernel, keyed by op id."""
    if graph_size < MIN_GRAPH_NODES:
        return {}
    constant = _constant_in_run(feeds)
    out: dict[int, KernelFn] = {}
    for op in ops:
        if op.type not in ("RealDiv", "Div", "Xdivy") or len(op._inputs) != 2:
            continue
        t = op._attrs.get("T")
        if t is None or not (t.is_floating or t.is_complex):
            # Integer Div is skipped by the rule (and TF has no CPU RealDiv for integers).
            continue
        x, c = op._inputs
        if constant(c) and not constant(x):
            out[op._id] = reciprocal_mul_no_nan if op.type == "Xdivy" else reciprocal_mul
    return out


__all__ = ["MIN_GRAPH_NODES", "division_rewrites"]


# --- ConstantFolding::ConstantPushDown -------------------------------------------------------
#
# ``Mul(C, Mul(X, Y))`` with ``C`` constant becomes ``Mul(X, Mul(C, Y))`` (and ``Mul(C, Y)`` is
# folded where ``Y`` is constant too): a constant is pushed down a tree of two Add/Sub or two
# Mul/Div ops, ``X`` being the child's first non-constant operand. Sub and Div trees are rotated
# so the value is mathematically the same (``0.3 - (x + y)`` → ``(0.3 - y) - x``), which float
# rounding is not: ``inverse_time_decay``'s ``rate * (step * (1/steps))`` (the division already
# a reciprocal product) runs as ``step * fl(rate * fl(1/steps))``. Checked against TF 2.21
# (tests/numerics/test_grappler.py), for floating and complex T but half and bfloat16:
#
# - ops Add/AddV2/Sub/Mul and the raw ``Div`` (a RealDiv child is left alone, unless its divisor
#   is constant: then it is a reciprocal product first); the graph has the 4 ops of above;
# - the constant may be either operand of the parent; ``Y`` may be non-constant: then ``C`` must
#   not have more elements than ``X``, nor a larger leading dimension (static shapes);
# - the child keeps its own value for its other consumers and fetches (TF 2.21 still rewrites
#   the parent when the child is fetched or read elsewhere);
# - repeated: the new child is pushed into in turn, and the parent again once ``C·Y`` folded.
#
# Not modelled: the ArithmeticOptimizer's reassociations of such trees when operand shapes
# differ (MinimizeBroadcasts) or an operand repeats (``x * x`` → Square).

_PUSH_OPS = {"Add": "Add", "AddV2": "Add", "Sub": "Sub", "Mul": "Mul", "Div": "Div"}


class _Node:
    """An Add/Sub/Mul/Div of two operands: Tensors (as computed) or nodes."""

    __slots__ = ("op", "a", "b", "shape")

    def __init__(self, op: str, a: Any, b: Any, shape: Any = None) -> None:
        self.op, self.a, self.b, self.shape = op, a, b, shape


class _Recip:
    """The folded reciprocal of a constant divisor (ReduceDivToReciprocalMul)."""

    __slots__ = ("c",)

    def __init__(self, c: Tensor) -> None:
        self.c = c


def _shape_of(e: Any) -> Any:
    if isinstance(e, Tensor):
        return e.shape
    return e.shape if isinstance(e, _Node) else None


def _shape_blocks(c: Any, x: Any) -> bool:
    """TF's check that pushing ``c`` next to the other leaf would broadcast earlier."""
    cs, xs = _shape_of(c), _shape_of(x)
    if cs is None or xs is None or cs.ndims is None or xs.ndims is None:
        return False
    cd, xd = cs.as_list(), xs.as_list()
    if None not in cd and None not in xd and int(np.prod(cd)) > int(np.prod(xd)):
        return True
    if cd:
        return any(xd[i] is not None and cd[i] is not None and cd[i] > xd[i]
                   for i in range(min(len(cd), len(xd))))
    return False


class _PushDown:
    def __init__(self, plan: set[int], fed: set[Tensor], fed_ops: set[Operation]) -> None:
        self.plan, self.fed, self.fed_ops = plan, fed, fed_ops
        self.memo: dict[int, bool] = {}
        self.nodes: dict[Tensor, Any] = {}

    def const(self, e: Any) -> bool:
        if isinstance(e, _Recip):
            return True
        if isinstance(e, Tensor):
            return e not in self.fed and _constant(e.op, self.fed_ops, self.memo)
        return self.const(e.a) and self.const(e.b)

    def expand(self, e: Any) -> Any:
        """The tree computing tensor ``e`` (itself when it is no Add/Sub/Mul/Div)."""
        if not isinstance(e, Tensor) or e in self.fed or e.op._id not in self.plan:
            return e
        if e in self.nodes:
            return self.nodes[e]
        self.nodes[e] = e  # until built (cycles)
        self.nodes[e] = self.node(e.op)
        return self.nodes[e]

    def node(self, op: Operation) -> Any:
        t = op._attrs.get("T")
        out = op._outputs[0]
        if (len(op._inputs) != 2 or t is None or not (t.is_floating or t.is_complex)
                or t.name in ("float16", "bfloat16")):
            return out
        x, c = op._inputs
        if op.type in ("RealDiv", "Div") and self.const(c) and not self.const(x):
            return self.push(_Node("Mul", x, _Recip(c), out.shape))
        if op.type not in _PUSH_OPS:
            return out
        return self.push(_Node(_PUSH_OPS[op.type], x, c, out.shape))

    def push(self, n: _Node) -> _Node:
        """ConstantPushDown at ``n`` as long as it applies."""
        while True:
            lc, rc = self.const(n.a), self.const(n.b)
            if lc == rc:
                return n
            child = self.expand(n.b if lc else n.a)
            if not isinstance(child, _Node):
                return n
            add_sub = n.op in ("Add", "Sub")
            if add_sub != (child.op in ("Add", "Sub")):
                return n
            ll, rl = self.const(child.a), self.const(child.b)
            if ll and rl:
                return n
            c = n.a if lc else n.b
            x, y = (child.b, child.a) if ll else (child.a, child.b)
            if not self.const(y) and _shape_blocks(c, x):
                return n
            sym_op, nonsym_op = ("Add", "Sub") if add_sub else ("Mul", "Div")
            sym, child_sym = n.op == sym_op, child.op == sym_op
            if sym and child_sym:
                n = _Node(n.op, x, self.push(_Node(child.op, c, y)))
                continue
            neg_c = not sym and not lc

            def negated(is_right: bool) -> bool:
                return (not child_sym and is_right) != (not sym and lc)
            neg_x, neg_y = negated(ll), negated(not ll)
            new_child = self.push(_Node(nonsym_op if neg_c != neg_y else sym_op,
                                        *((y, c) if neg_c else (c, y))))
            n = _Node(nonsym_op if (neg_x or (neg_c and neg_y)) else sym_op,
                      *((new_child, x) if neg_x else (x, new_child)))


_KERNEL_OPS = {"Add": "AddV2", "Sub": "Sub", "Mul": "Mul", "Div": "RealDiv"}


def _tree_kernel(tree: _Node, leaves: list[Tensor]) -> KernelFn:
    """A kernel evaluating ``tree`` from the values of ``leaves`` (its inputs, in order)."""
    index = {t: i for i, t in enumerate(leaves)}

    def kernel(ctx: KernelContext, inputs: list) -> list:
        def value(e: Any) -> Any:
            if isinstance(e, Tensor):
                return inputs[index[e]]
            if isinstance(e, _Recip):
                c = value(e.c)
                if hasattr(c, "copy_to_host"):
                    c = c.copy_to_host()
                with np.errstate(all="ignore"):
                    return np.reciprocal(np.asarray(c, dtype=ctx.attrs["T"].as_numpy_dtype))
            name = _KERNEL_OPS[e.op]
            fn = lookup_kernel(name, ctx.device_type) or lookup_kernel(name, CPU)
            return fn(ctx, [value(e.a), value(e.b)])[0]
        return [value(tree)]
    return kernel


def _leaves(e: Any, out: list[Tensor]) -> list[Tensor]:
    if isinstance(e, Tensor):
        if e not in out:
            out.append(e)
    elif isinstance(e, _Recip):
        _leaves(e.c, out)
    else:
        _leaves(e.a, out)
        _leaves(e.b, out)
    return out


def push_down_rewrites(ops: list[Operation], graph_size: int, feeds: dict[Tensor, Any]
                       ) -> dict[int, tuple[KernelFn, list[Tensor]]]:
    """The ops among ``ops`` (a run's plan) whose value TF computes from a tree that
    ConstantPushDown reassociated: a kernel and the tensors it reads, keyed by op id."""
    if graph_size < MIN_GRAPH_NODES:
        return {}
    pd = _PushDown({op._id for op in ops}, set(feeds), {t.op for t in feeds})
    out: dict[int, tuple[KernelFn, list[Tensor]]] = {}
    for op in ops:
        if op.type not in (*_PUSH_OPS, "RealDiv") or op._outputs[0] in feeds:
            continue
        tree = pd.expand(op._outputs[0])
        if not isinstance(tree, _Node) or tree.a is op._inputs[0] and (
                tree.b is op._inputs[1] and tree.op == _PUSH_OPS.get(op.type)
                or isinstance(tree.b, _Recip)):
            continue  # as written, or just the reciprocal product of `division_rewrites`
        leaves = _leaves(tree, [])
        out[op._id] = (_tree_kernel(tree, leaves), leaves)
    return out


__all__ += ["push_down_rewrites"]


# --- A slice of a shape, materialised (graph_properties.cc, ConstantFolding::MaterializeShapes)
#
# Grappler's shape inference reads a 1-D integer tensor it knows as a *shape*, and a ``Slice``
# of it with one-element begin and size as a sub-shape (``InferenceContext::Subshape``: bounds
# clamped to the rank, a negative start counted from the end); constant folding then replaces the
# Slice by a constant of that sub-shape. The kernel never runs, so bounds it would refuse are
# clamped: ``tf.slice(tf.constant([1, 2, 3]), [2], [5])`` gives ``[3]``, a slice of an empty
# integer constant gives it back. Checked against TF 2.21 (spec/ops/slice.yaml): integer
# dtypes only, a constant input only (a placeholder fed the same values runs the kernel), no
# negative value in it (that dimension would be unknown); where the sub-shape is refused
# ("Subshape must have computed start <= end"), the kernel runs.


def _subshape(dims: list[Any], start: int, end: int) -> list[Any] | None:
    """InferenceContext::Subshape(dims, start, end), None where it refuses (start past end
    once each is clamped to the rank and a negative one counted from the end)."""
    rank = len(dims)
    if start == 0 and end >= rank:
        return dims
    start, end = min(start, rank), min(end, rank)
    if start < 0:
        start += rank
    if end < 0:
        end += rank
    if start < 0 or end < 0 or start > end:
        return None
    return dims[start:end]


def _shape_slice_kernel(ctx: KernelContext, inputs: list) -> list:
    # Constant folding runs the Slice kernel first; where that fails, the sub-shape Grappler's
    # shape inference found (the end begin + size, -1 included) replaces the node if it is
    # fully known. As a shape, -1 is an unknown dimension (and below -1 no shape).
    kernel = lookup_kernel("Slice", ctx.device_type) or lookup_kernel("Slice", CPU)
    try:
        return kernel(ctx, inputs)
    except errors.OpError:
        x, begin, size = (v.copy_to_host() if hasattr(v, "copy_to_host") else np.asarray(v)
                          for v in inputs)
        dims = [None if d == -1 else d for d in x.tolist()]
        if begin.size == 1 and size.size == 1 and all(d is None or d >= 0 for d in dims):
            start = int(begin.ravel()[0])
            sub = _subshape(dims, start, start + int(size.ravel()[0]))
            if sub is not None and None not in sub:
                return [np.array(sub, dtype=x.dtype)]
        raise


def shape_slice_rewrites(ops: list[Operation], graph_size: int,
                         feeds: dict[Tensor, Any]) -> dict[int, KernelFn]:
    """The ``Slice`` ops among ``ops`` that Grappler replaces by the constant sub-shape of a
    constant 1-D integer input: their replacement kernel, keyed by op id."""
    if graph_size < MIN_GRAPH_NODES:
        return {}
    constant = _constant_in_run(feeds)
    return {op._id: _shape_slice_kernel for op in ops
            if op.type == "Slice" and op._outputs[0] not in feeds
            and op._inputs[0].dtype.base_dtype.name in ("int32", "int64")
            and op._inputs[0].shape.ndims == 1 and all(constant(t) for t in op._inputs)}


__all__ += ["shape_slice_rewrites"]


# --- ArithmeticOptimizer's ConvertPowStage -------------------------------------------------------
#
# ``Pow(x, y)`` whose exponent is a constant of one repeated value runs as a cheaper op
# (arithmetic_optimizer.cc), which changes the bits where ``pow`` itself would round otherwise
# (float32 ``pow(0.008780479, 0.5)`` is 0.093704216 through glibc's powf, 0.09370421 as a
# square root; polynomial_decay(power=0.5) showed it). Checked against TF 2.21
# (tests/numerics/test_grappler.py): 2 → Square(x); 3 → Mul(x, Square(x)) on a CPU only;
# 1 → Identity(x) and 0 → ones, when the output has x's (static, for 0 fully defined) shape;
# 0.5 → Sqrt(x); -0.5 → Rsqrt(x); -1 → Reciprocal(x), unless x is constant too (constant
# folding, which runs first, then computes the Pow kernel). Like TF's, the rewrite keeps x's shape
# even where y would have broadcast it. Rsqrt is the Rsqrt kernel (its float32 packets refine
# the processor's estimate, as TF's do; a complex one a float division), Reciprocal a float
# division.

def _pow_kernel(exponent: complex, x_shape: Any, out_shape: Any) -> KernelFn | None:
    def unary(op_type: str) -> KernelFn:
        def kernel(ctx: KernelContext, inputs: list) -> list:
            fn = lookup_kernel(op_type, ctx.device_type) or lookup_kernel(op_type, CPU)
            return fn(ctx, inputs[:1])
        return kernel

    def cube(ctx: KernelContext, inputs: list) -> list:
        if ctx.device_type != CPU:  # (TF rewrites x ** 3 on a CPU only)
            return lookup_kernel("Pow", ctx.device_type)(ctx, inputs)
        x = inputs[0]
        square = lookup_kernel("Square", CPU)(ctx, [x])[0]
        return lookup_kernel("Mul", CPU)(ctx, [x, square])

    def divided(fn: Any) -> KernelFn:
        from .kernels.ftz import flushing

        def kernel(ctx: KernelContext, inputs: list) -> list:
            x = inputs[0].copy_to_host() if hasattr(inputs[0], "copy_to_host") else inputs[0]
            x = np.asarray(x, dtype=ctx.attrs["T"].as_numpy_dtype)
            with np.errstate(all="ignore"):
                return [np.asarray(fn(x), dtype=x.dtype)]
        return flushing(kernel)

    def ones(ctx: KernelContext, inputs: list) -> list:
        return [np.ones(tuple(out_shape.as_list()), dtype=ctx.attrs["T"].as_numpy_dtype)]

    same_shape = x_shape.is_compatible_with(out_shape) and x_shape.ndims == out_shape.ndims
    if exponent == 2:
        return unary("Square")
    if exponent == 3:
        return cube
    if exponent == 1 and same_shape:
        return lambda ctx, inputs: [inputs[0]]
    if exponent == 0.5:
        return unary("Sqrt")
    if exponent == 0 and same_shape and out_shape.is_fully_defined():
        return ones
    if exponent == -0.5:
        rsqrt, complex_rsqrt = unary("Rsqrt"), divided(lambda x: x.dtype.type(1) / np.sqrt(x))
        return lambda ctx, inputs: (complex_rsqrt if ctx.attrs["T"].is_complex else rsqrt)(ctx, inputs)
    if exponent == -1:
        return divided(lambda x: x.dtype.type(1) / x)
    return None


def pow_rewrites(ops: list[Operation], graph_size: int,
                 feeds: dict[Tensor, Any]) -> dict[int, KernelFn]:
    """The ``Pow`` ops among ``ops`` whose constant exponent Grappler turns into another op:
    their replacement kernel, keyed by op id."""
    if graph_size < MIN_GRAPH_NODES:
        return {}
    from .constant_folding import evaluate

    constant = _constant_in_run(feeds)
    out: dict[int, KernelFn] = {}
    for op in ops:
        # (a constant x too: constant folding runs first and computes the Pow kernel's bits)
        if op.type != "Pow" or not constant(op._inputs[1]) or constant(op._inputs[0]):
            continue
        value = evaluate(op._inputs[1])
        if value is None or np.asarray(value).size == 0:
            continue
        flat = np.asarray(value).reshape(-1)
        if not (flat == flat[0]).all():
            continue
        kernel = _pow_kernel(complex(flat[0]), op._inputs[0].shape, op._outputs[0].shape)
        if kernel is not None:
            out[op._id] = kernel
    return out


__all__ += ["pow_rewrites"]


# --- ConstantFolding::PartialConcatConstFolding ------------------------------------------------
#
# A ConcatV2 of three or more values, not all constant, whose consecutive constant values (runs
# of two or more) Grappler concatenates first, each run into one constant (a child concat it then
# folds): the values are the same, but a run-time error of the concat names the merged constant,
# so `concat([x, c1, c2])` of a mismatching x reports shape[1] as c1 and c2 together (found by the
# ops fuzzer; checked against TF 2.21, spec/fuzz-findings/quirks.yaml). A run that cannot be
# concatenated fails as its own concat would, the shapes numbered within the run.

def _constant_runs(flags: list[bool]) -> list[tuple[int, int]]:
    """The [first, last) ranges of two or more consecutive True flags."""
    runs, first = [], 0
    while first < len(flags):
        if not flags[first]:
            first += 1
            continue
        last = first + 1
        while last < len(flags) and flags[last]:
            last += 1
        if last - first > 1:
            runs.append((first, last))
        first = last
    return runs


def _partial_concat_kernel(runs: list[tuple[int, int]]) -> KernelFn:
    def kernel(ctx: KernelContext, inputs: list) -> list:
        values, axis = inputs[:-1], inputs[-1]
        fold = lookup_kernel("ConcatV2", CPU)  # (constant folding computes on the host)
        merged, at = [], 0
        for first, last in runs:
            merged += values[at:first]
            merged += fold(ctx, [_host(v) for v in values[first:last]] + [_host(axis)])
            at = last
        merged += values[at:]
        concat = lookup_kernel("ConcatV2", ctx.device_type) or fold
        return concat(ctx, merged + [axis])
    return kernel


def _host(value: Any) -> Any:
    return value.copy_to_host() if hasattr(value, "copy_to_host") else value


def partial_concat_rewrites(ops: list[Operation], graph_size: int,
                            feeds: dict[Tensor, Any]) -> dict[int, KernelFn]:
    """The ``ConcatV2`` ops among ``ops`` some of whose constant values Grappler concatenates
    first: their replacement kernel, keyed by op id."""
    if graph_size < MIN_GRAPH_NODES:
        return {}
    constant = _constant_in_run(feeds)
    out: dict[int, KernelFn] = {}
    for op in ops:
        if op.type != "ConcatV2" or len(op._inputs) <= 3:
            continue
        values = op._inputs[:-1]
        runs = _constant_runs([constant(t) for t in values])
        if runs and runs != [(0, len(values))]:
            out[op._id] = _partial_concat_kernel(runs)
    return out


__all__ += ["partial_concat_rewrites"]


# --- Canonical input order of commutative ops (common_subgraph_elimination.cc) ----------------
#
# Before looking for duplicates, Grappler sorts the inputs of every commutative op by their
# names ("op" for an op's first output, "op:1" for the others), bytewise. For a two-input op
# that changes nothing a program can see, but an AddN of three or more sums left to right, so
# the order is part of the result: tf.gradients' AddN(Sqrt_grad/SqrtGrad, Abs_grad/mul,
# Exp_grad/mul) runs as Abs_grad/mul + Exp_grad/mul + Sqrt_grad/SqrtGrad. Checked against TF
# 2.21 (tests/numerics/test_grappler.py): fetched or not, fed or constant, from 4 ops.

def _input_name(t: Tensor) -> bytes:
    return (t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}").encode("utf-8")


def _add_n_kernel(ctx: KernelContext, inputs: list) -> list:
    return (lookup_kernel("AddN", ctx.device_type) or lookup_kernel("AddN", CPU))(ctx, inputs)


def add_n_order_rewrites(ops: list[Operation], graph_size: int
                         ) -> dict[int, tuple[KernelFn, list[Tensor]]]:
    """The ``AddN`` ops among ``ops`` whose inputs Grappler puts in another order: the AddN
    kernel and the inputs in that order, keyed by op id."""
    if graph_size < MIN_GRAPH_NODES:
        return {}
    out: dict[int, tuple[KernelFn, list[Tensor]]] = {}
    for op in ops:
        if op.type == "AddN" and len(op._inputs) > 2:
            ordered = sorted(op._inputs, key=_input_name)
            if ordered != list(op._inputs):
                out[op._id] = (_add_n_kernel, ordered)
    return out


__all__ += ["add_n_order_rewrites"]


# --- ConstantFolding::SimplifyReduction and RemoveShuffleOrTranspose ------------------------
#
# A reduction (Sum, Prod, Min, Max, Mean, Any, All) whose axes are constant in the run, with
# keep_dims, every axis naming a dimension of size 1, becomes an Identity (as does one with no
# axes); one of a single element to a single element without keep_dims becomes a Reshape (to
# the output's rank): its kernel then never runs, nor its checks, so reduce_sum of a [1] tensor
# over axes [0, 0] gives the tensor where the kernel refuses the duplicate axis (both found by
# the ops fuzzer). Values are the kernel's (a reduction over dimensions of size 1 copies its
# input).
#
# Likewise a Transpose whose permutation is constant in the run, as long as the input's rank,
# that moves no dimension but those of size 1 (entry j is j wherever dimension j is not 1):
# its kernel's checks do not run either, so transpose of a [3, 1] tensor by [0, 0] (an axis
# twice, which the shape function lets through) gives the tensor unchanged where the kernel
# refuses it (found by the ops fuzzer).
#
# Grappler must know the input's shape: a fed tensor's shape is unknown to it (the session feeds
# through ops without shapes), and so is that of an op computed from one, unless the op fixes its
# shape from constants (a Reshape to a constant shape, a Fill). Checked against TF 2.21
# (spec/fuzz-findings/quirks.yaml), from 4 ops.

_REDUCTION_OPS = frozenset({"Sum", "Prod", "Min", "Max", "Mean", "Any", "All"})
# Ops whose output shape comes from a constant input, whatever the data input's shape.
_SHAPED_BY_CONSTANT = {"Reshape": 1, "Fill": 0}


def _shape_known(t: Tensor, fed: set[Tensor], constant: Any, memo: dict[int, bool]) -> bool:
    """Whether Grappler's shape inference knows ``t``'s (fully defined) shape in this run."""
    key = id(t)
    known = memo.get(key)
    if known is not None:
        return known
    memo[key] = False  # (cycles: loops)
    op = t.op
    if t in fed or not t.shape.is_fully_defined():
        result = False
    elif op.type in _SHAPED_BY_CONSTANT:
        result = constant(op._inputs[_SHAPED_BY_CONSTANT[op.type]])
    else:
        result = all(_shape_known(i, fed, constant, memo) for i in op._inputs)
    memo[key] = result
    return result


def _forward(ctx: KernelContext, inputs: list) -> list:
    return [inputs[0]]


def _reshape_to(shape: tuple[int, ...]) -> KernelFn:
    def kernel(ctx: KernelContext, inputs: list) -> list:
        return [inputs[0].reshape(shape)]
    return kernel


def _reduction_kernel(op: Operation, axes: np.ndarray, shape_known: bool) -> KernelFn | None:
    """SimplifyReduction: no axes, an Identity (whatever Grappler knows of the shapes); one
    element in and out without keep_dims (and a ``T``: not Any / All), a Reshape to the output's
    rank, unless that is 0; keep_dims over dimensions of size 1 only, an Identity."""
    if axes.size == 0:
        return _forward
    out = op.outputs[0].shape
    if not shape_known or not out.is_fully_defined():
        return None
    dims = op._inputs[0].shape.as_list()
    keep = bool(op._attrs.get("keep_dims", False))
    # (TF 2.21 was seen to leave a reduction to a scalar alone: its duplicate axes still fail)
    if not keep and "T" in op._attrs and math.prod(dims) == 1 and out.num_elements() == 1 and out.ndims:
        return _reshape_to((1,) * out.ndims)
    rank = len(dims)
    normalized = [int(a) + rank if a < 0 else int(a) for a in axes]
    if keep and all(0 <= a < rank and dims[a] == 1 for a in normalized):
        return _forward
    return None


def _transpose_kernel(op: Operation, perm: np.ndarray, shape_known: bool) -> KernelFn | None:
    """RemoveShuffleOrTranspose: an Identity when dimension j is of size 1 or perm[j] is j."""
    dims = op._inputs[0].shape.as_list()
    if shape_known and perm.size == len(dims) and all(d == 1 or j == p for j, (d, p) in enumerate(zip(dims, perm))):
        return _forward
    return None


# RemoveSplitOrSplitV: a Split or SplitV of one piece becomes an Identity of its value, whatever
# the shapes, so its kernel's checks never run: a SplitV of one piece of the wrong size, or a
# Split of a scalar, gives the input (checked against TF 2.21: spec/ops/split.yaml).
_SPLIT_VALUE: dict[str, KernelFn] = {
    "Split": lambda ctx, inputs: [inputs[1]],
    "SplitV": lambda ctx, inputs: [inputs[0]],
}


def identity_rewrites(ops: list[Operation], graph_size: int,
                      feeds: dict[Tensor, Any]) -> dict[int, KernelFn]:
    """The reductions, transposes and one-piece splits among ``ops`` that Grappler turns into an
    Identity (or a Reshape): their replacement kernel, keyed by op id."""
    from .constant_folding import evaluate

    if graph_size < MIN_GRAPH_NODES:
        return {}
    constant = _constant_in_run(feeds)
    fed, memo = set(feeds), {}
    rewrites = {}
    for op in ops:
        if op.type in _SPLIT_VALUE and op._attrs.get("num_split") == 1:
            rewrites[op._id] = _SPLIT_VALUE[op.type]
            continue
        rule = _transpose_kernel if op.type == "Transpose" else \
            _reduction_kernel if op.type in _REDUCTION_OPS else None
        if rule is None or len(op._inputs) < 2 or not constant(op._inputs[1]):
            continue
        value = evaluate(op._inputs[1])
        if value is None:
            continue
        kernel = rule(op, np.asarray(value).reshape(-1), _shape_known(op._inputs[0], fed, constant, memo))
        if kernel is not None:
            rewrites[op._id] = kernel
    return rewrites


__all__ += ["identity_rewrites"]
