"""``tf.train.MomentumOptimizer``: slot ``momentum`` (``w/Momentum``), ``ApplyMomentum``; an
IndexedSlices gradient (its repeated indices summed first) ``SparseApplyMomentum``."""

from __future__ import annotations

from typing import Any

from ... import training_ops
from ...indexed_slices import IndexedSlices
from ...op_def import convert_to_tensor
from .optimizer import Optimizer


class MomentumOptimizer(Optimizer):
    def __init__(self, learning_rate: Any, momentum: Any, use_locking: bool = False,
                 name: str = "Momentum", use_nesterov: bool = False) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        self._momentum_tensor = convert_to_tensor(
            self._call_if_callable(self._momentum), name="momentum")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return training_ops.apply(
            "ApplyMomentum", [var, self.get_slot(var, "momentum")],
            [self._cast(self._learning_rate_tensor, var), grad,
             self._cast(self._momentum_tensor, var)],
            use_locking=self._use_locking, use_nesterov=self._use_nesterov)

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        # (TF returns the op, not the ref it outputs)
        return training_ops.apply(
            "SparseApplyMomentum", [var, self.get_slot(var, "momentum")],
            [self._cast(self._learning_rate_tensor, var), grad.values, grad.indices,
             self._cast(self._momentum_tensor, var)],
            use_locking=self._use_locking, use_nesterov=self._use_nesterov).op

    def _resource_apply_sparse(self, grad: Any, var: Any, indices: Any) -> Any:
        return training_ops.apply(
            "SparseApplyMomentum", [var, self.get_slot(var, "momentum")],
            [self._cast(self._learning_rate_tensor, grad), grad, indices,
             self._cast(self._momentum_tensor, grad)],
            use_locking=self._use_locking, use_nesterov=self._use_nesterov)
