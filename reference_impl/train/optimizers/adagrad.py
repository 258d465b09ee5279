"""``tf.train.AdagradOptimizer``: slot ``accumulator`` (``w/Adagrad``, starting at
``initial_accumulator_value``), ``ApplyAdagrad``; an IndexedSlices gradient (its repeated
indices summed first) ``SparseApplyAdagrad`` (TF's, not ``SparseApplyAdagradV2``)."""

from __future__ import annotations

from typing import Any

from ... import training_ops
from ...indexed_slices import IndexedSlices
from ...initializers import Constant
from ...op_def import convert_to_tensor
from .optimizer import Optimizer


class AdagradOptimizer(Optimizer):
    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1,
                 use_locking: bool = False, name: str = "Adagrad") -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s"
                             % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dtype = v.dtype.base_dtype
            init = Constant(self._initial_accumulator_value, dtype=dtype)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dtype,
                                                    "accumulator", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return training_ops.apply("ApplyAdagrad", [var, self.get_slot(var, "accumulator")],
                                  [self._cast(self._learning_rate_tensor, var), grad],
                                  use_locking=self._use_locking, update_slots=True)

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        return training_ops.apply(
            "SparseApplyAdagrad", [var, self.get_slot(var, "accumulator")],
            [self._cast(self._learning_rate_tensor, var), grad.values, grad.indices],
            use_locking=self._use_locking, update_slots=True)

    def _resource_apply_sparse(self, grad: Any, var: Any, indices: Any) -> Any:
        return training_ops.apply(
            "SparseApplyAdagrad", [var, self.get_slot(var, "accumulator")],
            [self._cast(self._learning_rate_tensor, grad), grad, indices],
            use_locking=self._use_locking, update_slots=True)
