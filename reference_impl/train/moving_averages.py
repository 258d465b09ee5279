"""``tf.train.ExponentialMovingAverage`` and the moving-average update behind it.

The update is ``avg -= (avg - value) * (1 - decay)`` as one ``AssignSub``, in the average's
dtype. ``1 - decay`` is computed where TF computes it: in Python (float64, then converted to a
float32 tensor) when ``decay`` is a Python number, in float32 when it is a tensor — and
ExponentialMovingAverage always makes ``decay`` a float32 tensor first, so a float64 shadow
still moves by the float32 ``1 - decay``.
"""

from __future__ import annotations

from typing import Any

from .. import dtypes
from ..control_flow_ops import group
from ..graph import GraphKeys, Tensor, add_to_collection, get_default_graph, name_scope_v1
from ..initializers import Zeros
from ..math_ops import cast, minimum
from ..math_ops import pow as _pow
from ..op_def import convert_to_tensor
from ..state_ops import assign, assign_sub
from ..variable_scope import get_variable, get_variable_scope, variable_scope
from ..variables import Variable, global_variables, trainable_variables
from . import slot_creator

_FLOATS = (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64)


def assign_moving_average(variable: Any, value: Any, decay: Any, zero_debias: bool = True,
                          name: str | None = None) -> Tensor:
    """``variable -= (variable - value) * (1 - decay)``; with ``zero_debias`` the average is
    kept in a zero-initialised ``<variable>/biased`` and divided by ``1 - decay ** steps``."""
    with name_scope_v1(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        one_minus = convert_to_tensor(1.0 - decay, name="decay")
        base = variable.dtype.base_dtype
        if one_minus.dtype.base_dtype != base:
            one_minus = cast(one_minus, base)
        if zero_debias:
            return _zero_debias(variable, value, one_minus)
        return assign_sub(variable, (variable - value) * one_minus, name=scope)


def _unique_in_scope(name: str) -> str:
    scope = get_variable_scope()
    if scope.reuse:
        return name
    prefix = scope.name + "/" if scope.name else ""
    taken = {v.op.name for v in global_variables() if v.op.name.startswith(prefix)}
    if prefix + name not in taken:
        return name
    i = 1
    while f"{prefix}{name}_{i}" in taken:
        i += 1
    return f"{name}_{i}"


def _zero_debias(unbiased: Any, value: Any, one_minus: Tensor) -> Tensor:
    base = unbiased.dtype.base_dtype
    with variable_scope(unbiased.name[:-len(":0")], values=[unbiased, value, one_minus]):
        g = get_default_graph()
        with g.control_dependencies(None):
            biased = get_variable(_unique_in_scope("biased"), initializer=Zeros(),
                                  shape=unbiased.get_shape(), dtype=base, trainable=False)
            local_step = get_variable(_unique_in_scope("local_step"), shape=[], dtype=base,
                                      initializer=Zeros(), trainable=False)
    update_biased = assign_sub(biased, (biased - value) * one_minus)
    update_step = local_step.assign_add(1)
    bias_factor = 1 - _pow(1.0 - one_minus, update_step)
    return assign(unbiased, update_biased / bias_factor,
                  name=get_default_graph().get_name_scope() + "/")


class ExponentialMovingAverage:
    """Shadow variables that follow variables (or tensors) by exponential decay."""

    def __init__(self, decay: Any, num_updates: Any = None, zero_debias: bool = False,
                 name: str = "ExponentialMovingAverage") -> None:
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: dict[int, Any] = {}
        self._keys: dict[int, Any] = {}  # keeps keyed objects alive

    @property
    def name(self) -> str:
        return self._name

    def apply(self, var_list: Any = None) -> Any:
        """Create missing shadows and return the op that updates all of them."""
        if var_list is None:
            var_list = trainable_variables()
        var_list = list(var_list)
        debiased: set[int] = set()
        g = get_default_graph()
        for var in var_list:
            if var.dtype.base_dtype not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if id(var) in self._averages:
                continue
            with g.control_dependencies(None):
                if isinstance(var, Variable):
                    with g.device(var.device):  # (TF builds the shadow's initial value there)
                        initial = var.initialized_value()
                    avg = slot_creator.create_slot(var, initial, self._name)
                    add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    # (a tensor's shadow is colocated only with a variable op, as in TF)
                    avg = slot_creator.create_zeros_slot(
                        var, self._name, colocate_with_primary=var.op.type in ("Variable", "VariableV2", "VarHandleOp"))
                    if self._zero_debias:
                        debiased.add(id(avg))
            self._averages[id(var)] = avg
            self._keys[id(var)] = var
        with name_scope_v1(self._name) as scope:
            decay = convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
            if self._num_updates is not None:
                n = cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = minimum(decay, (1.0 + n) / (10.0 + n))
            updates = []
            for var in var_list:
                avg = self._averages[id(var)]
                updates.append(assign_moving_average(avg, var, decay, id(avg) in debiased))
            return group(*updates, name=scope)

    def average(self, var: Any) -> Any:
        """The shadow of ``var``, or None."""
        return self._averages.get(id(var))

    def average_name(self, var: Any) -> str:
        """The name the shadow of ``var`` has, or would get from ``apply`` now."""
        if id(var) in self._averages:
            return self._averages[id(var)].name[:-len(":0")]
        return get_default_graph().unique_name(var.name[:-len(":0")] + "/" + self._name,
                                               mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables: Any = None) -> dict[str, Any]:
        """Names to restore each variable from: its shadow's name where it has one."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables()
            moving_avg_variables += get_default_graph().get_collection(
                GraphKeys.MOVING_AVERAGE_VARIABLES)
        unique = {id(v): v for v in moving_avg_variables}
        name_map = {self.average_name(v): v for v in unique.values()}
        names = {v.name for v in unique.values()}
        for v in global_variables():
            if v.name not in names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
