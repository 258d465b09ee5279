"""``tf.train.AdagradDAOptimizer``: slots ``gradient_accumulator`` and
``gradient_squared_accumulator`` (``w/AdagradDA``, ``w/AdagradDA_1``), ``ApplyAdagradDA`` with
the global step plus one; an IndexedSlices gradient (its repeated indices summed first)
``SparseApplyAdagradDA``, whose ``global_step`` TF passes uncast (an int64 step, as
``tf.train.get_or_create_global_step`` makes)."""

from __future__ import annotations

from typing import Any

from ... import dtypes, training_ops
from ...array_ops import identity
from ...graph import get_default_graph
from ...indexed_slices import IndexedSlices
from ...math_ops import cast
from ...op_def import constant, convert_to_tensor
from .optimizer import Optimizer


class AdagradDAOptimizer(Optimizer):
    def __init__(self, learning_rate: Any, global_step: Any,
                 initial_gradient_squared_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, use_locking: bool = False,
                 name: str = "AdagradDA") -> None:
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: %s"
                             % initial_gradient_squared_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gradient_squared_accumulator_value = \
            initial_gradient_squared_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._global_step = global_step

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            # As TF: the initial values are constants made beside the variable (Const_2 …),
            # outside the slots' scopes.
            dtype, shape = v.dtype.base_dtype, v.get_shape().as_list()
            with get_default_graph().colocate_with(v):
                g_val = constant(0.0, dtype=dtype, shape=shape)
                gg_val = constant(self._initial_gradient_squared_accumulator_value, dtype=dtype,
                                  shape=shape)
            self._get_or_make_slot(v, g_val, "gradient_accumulator", self._name)
            self._get_or_make_slot(v, gg_val, "gradient_squared_accumulator", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate,
                                                       name="learning_rate")
        with get_default_graph().colocate_with(self._learning_rate_tensor):
            self._global_step_on_worker = identity(self._global_step) + 1

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        step = identity(self._global_step_on_worker)
        if step.dtype.base_dtype != dtypes.int64:
            step = cast(step, dtypes.int64)
        return training_ops.apply(
            "ApplyAdagradDA",
            [var, self.get_slot(var, "gradient_accumulator"),
             self.get_slot(var, "gradient_squared_accumulator")],
            [grad, self._cast(self._learning_rate_tensor, var),
             # (Python floats, converted inside the casts: update_w/Cast/x, as TF names them)
             self._cast(self._l1_regularization_strength, var),
             self._cast(self._l2_regularization_strength, var), step],
            use_locking=self._use_locking)

    def _sparse_arguments(self, grad: Any, indices: Any, like: Any) -> list[Any]:
        """grad, indices, the hyper-parameters cast to ``like``'s type, and the step: an
        Identity of the worker's step (TF makes it on the variable's device)."""
        step = identity(self._global_step_on_worker)
        return [grad, indices, self._cast(self._learning_rate_tensor, like),
                self._cast(self._l1_regularization_strength, like),
                self._cast(self._l2_regularization_strength, like), step]

    def _slots_of(self, var: Any) -> list[Any]:
        return [var, self.get_slot(var, "gradient_accumulator"),
                self.get_slot(var, "gradient_squared_accumulator")]

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        return training_ops.apply("SparseApplyAdagradDA", self._slots_of(var),
                                  self._sparse_arguments(grad.values, grad.indices, var),
                                  use_locking=self._use_locking)

    def _resource_apply_sparse(self, grad: Any, var: Any, indices: Any) -> Any:
        return training_ops.apply("SparseApplyAdagradDA", self._slots_of(var),
                                  self._sparse_arguments(grad, indices, grad),
                                  use_locking=self._use_locking)
