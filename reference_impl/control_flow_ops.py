"""``group``, ``no_op`` and the Switch/Merge pair behind ``initialized_value``.

Switch forwards its input to one of two outputs; the other output is *dead*. An op with a dead
input does not run and makes its outputs dead, except Merge, which forwards its live input. That
is TF's dataflow conditional, and it lets an untaken branch read an uninitialised variable
without failing.
"""

from __future__ import annotations

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
            if hasattr(item, "_as_graph_element") and not isinstance(item, (Tensor, Operation)):
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
    dt = data.dtype
    op = make_op(op_type, [data, pred], [(dt, data.shape), (dt, data.shape)], name,
                 {"T": dt.base_dtype}, ref_inputs)
    return op.outputs[0], op.outputs[1]


def _identity(x: Tensor, name: str) -> Tensor:
    dt = x.dtype.base_dtype
    return make_op("Identity", [x], [(dt, x.shape)], name, {"T": dt}).outputs[0]


def cond_on_initialized(pred: Tensor, variable: Tensor, otherwise: Tensor) -> Tensor:
    """``variable``'s value if ``pred`` else ``otherwise``, built as TF builds its ``cond``."""
    g = get_default_graph()
    with g.name_scope("cond"):
        switch_f, switch_t = _switch("Switch", pred, pred, "Switch")
        _identity(switch_t, "switch_t")
        _identity(switch_f, "switch_f")
        pred_id = _identity(pred, "pred_id")
        with g.name_scope("read") as read_scope:
            _, live = _switch("RefSwitch", variable, pred_id, "Switch", ref_inputs=(0,))
            value = _identity(live, read_scope)
        other, _ = _switch("Switch", convert_to_tensor(otherwise), pred_id, "Switch_1")
        dt = value.dtype.base_dtype
        shape = value.shape if value.shape == other.shape else TensorShape(None)
        op = make_op("Merge", [other, value], [(dt, shape), (dtypes.int32, TensorShape([]))],
                     "Merge", {"T": dt, "N": 2})
        return op.outputs[0]
