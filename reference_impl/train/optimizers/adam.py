"""``tf.train.AdamOptimizer``: slots ``m`` and ``v`` (``w/Adam``, ``w/Adam_1``), the non-slot
``beta1_power`` / ``beta2_power`` (one pair per graph, made before the slots), ``ApplyAdam``,
and a finish that multiplies the powers by beta1 and beta2 after the updates. A sparse gradient
is applied as TF's ``_apply_sparse_shared`` does, op by op: every row of m and v decays, the
gradient's rows are scatter-added, and the variable takes the whole step."""

from __future__ import annotations

from typing import Any

from ... import training_ops
from ...control_flow_ops import group
from ...graph import get_default_graph
from ...math_ops import cast, sqrt
from ...op_def import convert_to_tensor
from ...scatter_ops import resource_scatter, scatter_add
from ...state_ops import assign, assign_sub
from .optimizer import Optimizer


def _unread(v: Any) -> Any:
    """What TF casts: a resource variable itself (the op that takes it reads it), a reference
    variable's snapshot."""
    return v if getattr(v, "_is_resource_variable", False) else v.value()


class AdamOptimizer(Optimizer):
    def __init__(self, learning_rate: Any = 0.001, beta1: Any = 0.9, beta2: Any = 0.999,
                 epsilon: Any = 1e-8, use_locking: bool = False, name: str = "Adam") -> None:
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon

    def _get_beta_accumulators(self) -> tuple[Any, Any]:
        return (self._get_non_slot_variable("beta1_power"),
                self._get_non_slot_variable("beta2_power"))

    def _create_slots(self, var_list: list[Any]) -> None:
        first = min(var_list, key=lambda v: v.name)  # (TF's choice of the variable they live with)
        self._create_non_slot_variable(self._beta1, "beta1_power", first)
        self._create_non_slot_variable(self._beta2, "beta2_power", first)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self) -> None:
        c = self._call_if_callable
        self._lr_t = convert_to_tensor(c(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(c(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(c(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        b1p, b2p = self._get_beta_accumulators()
        k = self._cast
        return training_ops.apply(
            "ApplyAdam", [var, self.get_slot(var, "m"), self.get_slot(var, "v")],
            [k(_unread(b1p), var), k(_unread(b2p), var), k(self._lr_t, var),
             k(self._beta1_t, var), k(self._beta2_t, var), k(self._epsilon_t, var), grad],
            use_locking=self._use_locking, use_nesterov=False)

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        return self._apply_sparse_shared(
            grad.values, var, grad.indices,
            lambda x, i, v: scatter_add(x, i, v, use_locking=self._use_locking))

    def _resource_apply_sparse(self, grad: Any, var: Any, indices: Any) -> Any:
        def add(x: Any, i: Any, v: Any) -> Any:
            with get_default_graph().control_dependencies([resource_scatter("ResourceScatterAdd", x, i, v, None)]):
                return x.value()
        return self._apply_sparse_shared(grad, var, indices, add)

    def _apply_sparse_shared(self, grad: Any, var: Any, indices: Any, add: Any) -> Any:
        g = get_default_graph()
        dt = var.dtype.base_dtype
        b1p, b2p = (cast(p, dt) for p in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = (cast(t, dt) for t in (self._lr_t, self._beta1_t, self._beta2_t,
                                                                   self._epsilon_t))
        lr = lr_t * sqrt(1 - b2p) / (1 - b1p)
        m = self.get_slot(var, "m")
        m_scaled = grad * (1 - beta1_t)
        m_t = assign(m, m * beta1_t, use_locking=self._use_locking)
        with g.control_dependencies([m_t]):
            m_t = add(m, indices, m_scaled)
        v = self.get_slot(var, "v")
        v_scaled = (grad * grad) * (1 - beta2_t)
        v_t = assign(v, v * beta2_t, use_locking=self._use_locking)
        with g.control_dependencies([v_t]):
            v_t = add(v, indices, v_scaled)
        v_sqrt = sqrt(v_t)
        var_update = assign_sub(var, lr * m_t / (v_sqrt + epsilon_t), use_locking=self._use_locking)
        return group(var_update, m_t, v_t)

    def _finish(self, update_ops: list[Any], name_scope: str) -> Any:
        g = get_default_graph()
        with g.control_dependencies(update_ops):
            b1p, b2p = self._get_beta_accumulators()
            with g.colocate_with(b1p):
                update_beta1 = b1p.assign(b1p * self._beta1_t, use_locking=self._use_locking)
                update_beta2 = b2p.assign(b2p * self._beta2_t, use_locking=self._use_locking)
        return group(*update_ops + [update_beta1, update_beta2], name=name_scope)
