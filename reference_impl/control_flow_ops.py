"""``group``, ``no_op`` and the Switch/Merge pair behind ``initialized_value``.

Switch forwards its input to one of two outputs; the other output is *dead*. An op with a dead
input does not run and makes its outputs dead, except Merge, which forwards its live input. That
is TF's dataflow conditional, and it lets an untaken branch read an uninitialised variable
without failing.
"""

from __future__ import annotations

import functools
from typing import Any

from . import dtypes
from .graph import Operation, Tensor, get_default_graph
from .op_def import convert_to_tensor, make_op
from .should_use import unwrap
from .tensor_shape import TensorShape


def no_op(name: str | None = None) -> Operation:
    """An op that does nothing (useful with control dependencies)."""
    return make_op("NoOp", [], [], name or "NoOp", graph=get_default_graph())


def group(*inputs: Any, **kwargs: Any) -> Operation:
    """An op that runs all ``inputs`` (as control inputs) and outputs nothing."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Unknown keyword arguments: {list(kwargs)}")
    ops: list[Operation] = []
    for x in inputs:
        for item in (x if isinstance(x, (list, tuple)) else [x]):
            item = unwrap(item)
            if hasattr(item, "_handle") and hasattr(item, "op"):
                # A resource variable stands for its op (an unread one for its assignment),
                # not a read of it, as TF's control dependencies take it.
                item = item.op
            elif hasattr(item, "_as_graph_element") and not isinstance(item, (Tensor, Operation)):
                item = item._as_graph_element()
            op = item.op if isinstance(item, Tensor) else item
            if op is None or not isinstance(op, Operation):
                raise TypeError(f"Expected tf.group() expected Tensor arguments not "
                                f"'{item}' with type '{type(item)}'")
            if op not in ops:
                ops.append(op)
    g = get_default_graph()
    # As TF: one NoOp on the inputs' device when they share one; else a NoOp per device
    # (<name>/NoOp, NoOp_1 …, devices in sorted order) under the returned NoOp.
    by_device: dict[str, list[Operation]] = {}
    for op in ops:
        by_device.setdefault(op.device, []).append(op)
    with g.name_scope(name or "group_deps") as scope:
        if len(by_device) <= 1:
            device, deps = next(iter(by_device.items()), ("", []))
            with g.control_dependencies(deps), g.device(device):
                return make_op("NoOp", [], [], scope, graph=g)
        per_device = []
        for device in sorted(by_device):
            with g.control_dependencies(by_device[device]), g.device(device):
                per_device.append(make_op("NoOp", [], [], "NoOp", graph=g))
        with g.control_dependencies(per_device):
            return make_op("NoOp", [], [], scope, graph=g)


def _switch(op_type: str, data: Tensor, pred: Tensor, name: str,
            ref_inputs: tuple[int, ...] = ()) -> tuple[Tensor, Tensor]:
    # Created in its own name scope, as TF's generated op functions do: a conditional's
    # branch reading an outside value through a Switch names it under the op's scope.
    dt = data.dtype
    with get_default_graph().name_scope(name) as scope:
        op = make_op(op_type, [data, pred], [(dt, data.shape), (dt, data.shape)], scope,
                     {"T": dt.base_dtype}, ref_inputs)
    return op.outputs[0], op.outputs[1]


def _identity(x: Tensor, name: str) -> Tensor:
    dt = x.dtype.base_dtype
    with get_default_graph().name_scope(name) as scope:
        return make_op("Identity", [x], [(dt, x.shape)], scope, {"T": dt}).outputs[0]


def cond_on_initialized(pred: Tensor, variable: Tensor, otherwise: Tensor) -> Tensor:
    """``variable``'s value if ``pred`` else ``otherwise``, built as TF builds its ``cond``."""
    g = get_default_graph()
    with g.name_scope("cond"):
        switch_f, switch_t = _switch("Switch", pred, pred, "Switch")
        _identity(switch_t, "switch_t")
        _identity(switch_f, "switch_f")
        pred_id = _identity(pred, "pred_id")
        # each branch reads its outside value through a Switch colocated with it (TF's
        # _SwitchRefOrTensor)
        with g.name_scope("read") as read_scope:
            # made before the Switch it reads through, which then replaces its input, as a cond
            # branch's ops are
            value = _identity(variable, read_scope)
            with g.colocate_with(variable, ignore_existing=True):
                _, live = _switch("RefSwitch", variable, pred_id, "Switch", ref_inputs=(0,))
            value.op._update_input(0, live)
        otherwise = convert_to_tensor(otherwise)
        with g.colocate_with(otherwise, ignore_existing=True):
            other, _ = _switch("Switch", otherwise, pred_id, "Switch_1")
        dt = value.dtype.base_dtype
        shape = value.shape if value.shape == other.shape else TensorShape(None)
        op = make_op("Merge", [other, value], [(dt, shape), (dtypes.int32, TensorShape([]))],
                     "Merge", {"T": dt, "N": 2})
        return op.outputs[0]


# -- tf.cond (TF1's CondContext) and tf.case -------------------------------------------------

def _op_in_context(op: Operation, context: "CondContext") -> bool:
    ctxt = op._control_flow_context
    while ctxt is not None:
        if ctxt is context:
            return True
        ctxt = ctxt._outer_context
    return False


def _switch_ref_or_tensor(data: Tensor, pred: Tensor) -> tuple[Tensor, Tensor]:
    """TF's ``_SwitchRefOrTensor``: a Switch (RefSwitch for a ref) under a ``Switch`` scope,
    colocated with ``data`` alone (an update colocated with a variable in a branch may read a
    value that lives elsewhere)."""
    g = get_default_graph()
    ref = getattr(data.dtype, "_is_ref_dtype", False)
    with g.colocate_with(data, ignore_existing=True), g.name_scope("Switch") as scope:
        return _switch("RefSwitch" if ref else "Switch", data, pred, scope,
                       ref_inputs=(0,) if ref else ())


class CondContext:
    """The branch of a ``cond`` being built: an op created in it reads each outside value
    through a Switch on the predicate (its ``branch`` output), an op without inputs waits on
    the branch's pivot (``switch_t`` / ``switch_f``), so that nothing in the untaken branch
    runs. TF's ``control_flow_ops.CondContext``."""

    def __init__(self, pred: Tensor, pivot: Tensor, branch: int) -> None:
        g = get_default_graph()
        self._outer_context = g._control_flow_context
        self._pred = pred
        self._pivot = pivot
        self._branch = branch
        self._values: set[str] = {pred.name, pivot.name}
        self._external_values: dict[str, Tensor] = {pred.name: pred}
        pivot.op._control_flow_context = self

    def enter(self) -> None:
        g = get_default_graph()
        self._saved = g._control_flow_context
        g._control_flow_context = self

    def exit(self) -> None:
        get_default_graph()._control_flow_context = self._saved

    def add_value(self, val: Tensor) -> Tensor:
        """``val`` as this branch sees it: through a Switch when it comes from outside."""
        if val.name in self._values:
            return self._external_values.get(val.name, val)
        result = val
        self._values.add(val.name)
        if self._outer_context is not None:
            result = self._outer_context.add_value(val)
            self._values.add(result.name)
            self._external_values[result.name] = result
        g = get_default_graph()
        with g.control_dependencies(None):
            result = _switch_ref_or_tensor(result, self._pred)[self._branch]
        result.op._control_flow_context = self
        ctxt: CondContext | None = self
        while ctxt is not None:
            ctxt._values.add(result.name)
            ctxt = ctxt._outer_context
        self._external_values[val.name] = result
        return result

    def add_op(self, op: Operation) -> None:
        """Called for each op created while this context is entered."""
        if not op._inputs:
            if not any(_op_in_context(c, self) for c in op._control_inputs):
                op._add_control_input(self._pivot.op)
        else:
            for i, x in enumerate(list(op._inputs)):
                real = self.add_value(x)
                if real is not x:
                    op._update_input(i, real)
        ctxt: CondContext | None = self
        while ctxt is not None:
            ctxt._values.update(t.name for t in op._outputs)
            ctxt = ctxt._outer_context

    def _process_output_tensor(self, val: Tensor) -> Tensor:
        if val.name not in self._values:
            # A value from outside returned as it is (``lambda: x``).
            self._values.add(val.name)
            real = val
            if self._outer_context is not None:
                real = self._outer_context.add_value(val)
                self._values.add(real.name)
                self._external_values[real.name] = real
            real = _switch_ref_or_tensor(real, self._pred)[self._branch]
            self._external_values[val.name] = real
            return real
        external = self._external_values.get(val.name)
        return val if external is None else external

    def build_branch(self, fn: Any) -> tuple[Any, list[Tensor] | None]:
        original = fn()
        if original is None:
            return None, None
        flat = list(original) if isinstance(original, (list, tuple)) else [original]
        result = []
        for v in flat:
            v = unwrap(v)
            if isinstance(v, Operation):
                result.append(with_dependencies([v], self._pivot))
            else:
                result.append(self._process_output_tensor(convert_to_tensor(v)))
        return original, result


def with_dependencies(dependencies: list[Operation], output_tensor: Tensor,
                      name: str | None = None) -> Tensor:
    """``output_tensor`` through an Identity that runs after ``dependencies``."""
    g = get_default_graph()
    with g.name_scope(name or "control_dependency") as scope:
        with g.control_dependencies(dependencies), g.colocate_with(output_tensor):
            x = convert_to_tensor(output_tensor)
            dt = x.dtype.base_dtype
            return make_op("Identity", [x], [(dt, x.shape)], scope, {"T": dt}).outputs[0]


def _merge(inputs: list[Tensor]) -> Tensor:
    g = get_default_graph()
    with g.name_scope("Merge") as scope:
        dt = inputs[0].dtype.base_dtype
        shape = inputs[0].shape if all(t.shape == inputs[0].shape for t in inputs) \
            else TensorShape(None)
        op = make_op("Merge", inputs, [(dt, shape), (dtypes.int32, TensorShape([]))], scope,
                     {"T": dt, "N": len(inputs)})
        return op.outputs[0]


def _branch(pred: Tensor, pivot: Tensor, branch: int, fn: Any, what: str) -> tuple[Any, Any]:
    """Build one branch of a ``cond`` in its CondContext: (fn's result, the branch outputs)."""
    context = CondContext(pred, pivot, branch)
    context.enter()
    try:
        original, result = context.build_branch(fn)
    finally:
        context.exit()
    if original is None:
        raise ValueError(f"'{what}' must have a return value.")
    return original, result


def cond(pred: Any, true_fn: Any = None, false_fn: Any = None, strict: bool = False,
         name: str | None = None) -> Any:
    """TF1's ``tf.cond``: ``true_fn()`` if ``pred`` else ``false_fn()``, built as TF builds it
    (``cond/Switch`` of the predicate, ``switch_t``, ``switch_f``, ``pred_id``, each branch's
    values entering through Switches, one Merge per output)."""
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if isinstance(pred, bool):
        raise TypeError("'pred' must not be a Python bool.")
    g = get_default_graph()
    with g.name_scope(name or "cond"):
        pred = convert_to_tensor(pred)
        p_2, p_1 = _switch("Switch", pred, pred, "Switch")
        pivot_1 = _identity(p_1, "switch_t")
        pivot_2 = _identity(p_2, "switch_f")
        pred = _identity(pred, "pred_id")
        orig_t, res_t = _branch(pred, pivot_1, 1, true_fn, "true_fn")
        orig_f, res_f = _branch(pred, pivot_2, 0, false_fn, "false_fn")
        if len(res_t) != len(res_f):
            raise ValueError("Outputs of true_fn and false_fn must have the same structure")
        for t, f in zip(res_t, res_f):
            if t.dtype.base_dtype != f.dtype.base_dtype:
                raise ValueError(f"Outputs of true_fn and false_fn must have the same type: "
                                 f"{t.dtype.base_dtype.name}, {f.dtype.base_dtype.name}")
        merges = [_merge([f, t]) for f, t in zip(res_f, res_t)]
        if isinstance(orig_t, (list, tuple)):
            if not strict and len(merges) == 1:
                return merges[0]
            return type(orig_t)(merges) if isinstance(orig_t, tuple) else merges
        return merges[0]


def Assert(condition: Any, data: list[Any], summarize: int | None = None,  # noqa: N802
           name: str | None = None) -> Operation:
    """TF's ``tf.Assert`` in a graph: the Assert op itself when all ``data`` are strings or
    int32, else guarded by ``cond(condition, no_op, assert)`` named ``AssertGuard`` (the
    returned op is its Merge)."""
    from .array_ops import _assert_op
    g = get_default_graph()
    with g.name_scope(name or "Assert"):
        xs = [convert_to_tensor(x) for x in data]
        if all(x.dtype.base_dtype in (dtypes.string, dtypes.int32) for x in xs):
            return _assert_op(convert_to_tensor(condition), data, summarize, "Assert")
        condition = convert_to_tensor(condition, name="Condition")
        guarded = cond(condition, no_op,
                       lambda: _assert_op(condition, data, summarize, "Assert"),
                       name="AssertGuard")
        return guarded.op


def _assert_at_most_n_true(predicates: list[Tensor], n: int, msg: str) -> Operation:
    from .array_ops import stack
    from .math_ops import cast, less_equal
    from .reduction_ops import reduce_sum
    from .op_def import constant
    preds_c = stack(predicates, name="preds_c")
    num_true = reduce_sum(cast(preds_c, dtypes.int32), name="num_true_conds")
    condition = less_equal(num_true, constant(n, name="n_true_conds"))
    names = ", ".join(getattr(p, "name", "?") for p in predicates)
    error_msg = [f"{msg}: more than {n} conditions ({names}) evaluated as True:", preds_c]
    return Assert(condition, data=error_msg, summarize=len(predicates))


def case(pred_fn_pairs: Any, default: Any = None, exclusive: bool = False, strict: bool = False,
         name: str = "case") -> Any:
    """TF1's ``tf.case``: nested ``cond``s, the first true predicate's function; with
    ``exclusive`` an Assert (at most one predicate true) runs first. Without ``default`` the
    last pair serves as default, guarded by Asserts as TF builds it."""
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError("'pred_fn_pairs' must be a list, tuple, or dict. "
                        f"Received: {type(pred_fn_pairs)}")
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {pair}.")
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype.base_dtype != dtypes.bool:
                raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        else:
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred.name} must be callable.")
    predicates = [p for p, _ in pred_fn_pairs]
    actions = [f for _, f in pred_fn_pairs]
    g = get_default_graph()
    with g.name_scope(name or "case"):
        if default is None:
            k = len(predicates) - 1
            predicate, action = predicates[k], actions[k]
            other_predicates, other_actions = predicates[:k], actions[:k]
            all_predicates = predicates

            def default_fn() -> Any:
                from .array_ops import stack
                others_msg = ("Implementation error: selected default action #%d was called, "
                              "but some of other predicates are True: " % k)
                default_msg = ("Input error: None of conditions evaluated as True:",
                               stack(all_predicates, name="preds_c"))
                with g.control_dependencies([
                        _assert_at_most_n_true(other_predicates, n=0, msg=others_msg),
                        Assert(predicate, data=list(default_msg))]):
                    return action()
            default, predicates, actions = default_fn, other_predicates, other_actions
        fn = default
        for predicate, action in reversed(list(zip(predicates, actions))):
            fn = functools.partial(cond, predicate, action, fn, strict)
        if exclusive:
            with g.control_dependencies([_assert_at_most_n_true(
                    predicates, n=1, msg="Input error: exclusive=True")]):
                return fn()
        return fn()
