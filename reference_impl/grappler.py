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

Not modelled: the ConfigProto switches that turn Grappler or constant folding off
(``graph_options.rewrite_options``), and folding's size limit on large constants.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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
    fed = {t.op for t in feeds}
    memo: dict[int, bool] = {}
    out: dict[int, KernelFn] = {}
    for op in ops:
        if op.type not in ("RealDiv", "Div", "Xdivy") or len(op._inputs) != 2:
            continue
        t = op._attrs.get("T")
        if t is None or not (t.is_floating or t.is_complex):
            # Integer Div is skipped by the rule (and TF has no CPU RealDiv for integers).
            continue
        x, c = op._inputs
        if _constant(c.op, fed, memo) and not _constant(x.op, fed, memo):
            out[op._id] = reciprocal_mul_no_nan if op.type == "Xdivy" else reciprocal_mul
    return out


__all__ = ["MIN_GRAPH_NODES", "division_rewrites"]
