"""``tf.train.FtrlOptimizer``: slots ``accum`` (starting at ``initial_accumulator_value``) and
``linear`` (``w/Ftrl``, ``w/Ftrl_1``); ``ApplyFtrl``, or ``ApplyFtrlV2`` with l2 shrinkage; an
IndexedSlices gradient (its repeated indices summed first) ``SparseApplyFtrl`` /
``SparseApplyFtrlV2``."""

from __future__ import annotations

from typing import Any

from ... import dtypes, training_ops
from ...array_ops import ones
from ...indexed_slices import IndexedSlices
from ...math_ops import maximum
from ...op_def import convert_to_tensor
from .optimizer import Optimizer


class FtrlOptimizer(Optimizer):
    def __init__(self, learning_rate: Any, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1,
                 l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, use_locking: bool = False,
                 name: str = "Ftrl", accum_name: str | None = None,
                 linear_name: str | None = None,
                 l2_shrinkage_regularization_strength: float = 0.0,
                 beta: float | None = None) -> None:
        super().__init__(use_locking, name)
        if initial_accumulator_value < 0.0:
            raise ValueError("initial_accumulator_value %f needs to be positive or zero"
                             % initial_accumulator_value)
        if learning_rate_power > 0.0:
            raise ValueError("learning_rate_power %f needs to be negative or zero"
                             % learning_rate_power)
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._l2_shrinkage = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name

    def _create_slots(self, var_list: list[Any]) -> None:
        def accum_initializer(shape: Any, dtype: Any = dtypes.float32,
                              partition_info: Any = None) -> Any:
            # (TF's: ones times the value, so the slot's initializer is a Mul)
            return ones(shape=shape, dtype=dtype) * self._initial_accumulator_value

        for v in var_list:
            dtype = v.dtype.base_dtype
            self._get_or_make_slot_with_initializer(v, accum_initializer, v.get_shape(), dtype,
                                                    "accum", self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate,
                                                       name="learning_rate")
        self._l1_tensor = convert_to_tensor(self._l1, name="l1_regularization_strength")
        # TF 2.21 adds beta in the graph, in float32: l2 + beta / (2 * max(lr, 1e-36)).
        self._adjusted_l2_tensor = convert_to_tensor(
            self._l2 + self._beta / (2. * maximum(self._learning_rate, 1e-36)),
            name="adjusted_l2_regularization_strength")
        self._beta_tensor = convert_to_tensor(self._beta, name="beta")
        self._l2_shrinkage_tensor = convert_to_tensor(
            self._l2_shrinkage, name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = convert_to_tensor(self._learning_rate_power,
                                                             name="learning_rate_power")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        k = self._cast
        refs = [var, self.get_slot(var, "accum"), self.get_slot(var, "linear")]
        if self._l2_shrinkage <= 0.0:
            return training_ops.apply(
                "ApplyFtrl", refs,
                [grad, k(self._learning_rate_tensor, var), k(self._l1_tensor, var),
                 k(self._adjusted_l2_tensor, var), k(self._learning_rate_power_tensor, var)],
                use_locking=self._use_locking, multiply_linear_by_lr=False)
        return training_ops.apply(
            "ApplyFtrlV2", refs,
            [grad, k(self._learning_rate_tensor, var), k(self._l1_tensor, var),
             k(self._adjusted_l2_tensor, var), k(self._l2_shrinkage_tensor, var),
             k(self._learning_rate_power_tensor, var)],
            use_locking=self._use_locking, multiply_linear_by_lr=False)

    def _sparse(self, var: Any, like: Any, grad: Any, indices: Any) -> Any:
        """The sparse op on ``var``, the hyper-parameters cast to ``like``'s type (TF casts the
        shrinkage to the gradient's type in both forms)."""
        k = self._cast
        refs = [var, self.get_slot(var, "accum"), self.get_slot(var, "linear")]
        lr, l1 = k(self._learning_rate_tensor, like), k(self._l1_tensor, like)
        l2 = k(self._adjusted_l2_tensor, like)
        if self._l2_shrinkage <= 0.0:
            return training_ops.apply(
                "SparseApplyFtrl", refs,
                [grad, indices, lr, l1, l2, k(self._learning_rate_power_tensor, like)],
                use_locking=self._use_locking, multiply_linear_by_lr=False)
        shrinkage = k(self._l2_shrinkage_tensor, grad)
        return training_ops.apply(
            "SparseApplyFtrlV2", refs,
            [grad, indices, lr, l1, l2, shrinkage, k(self._learning_rate_power_tensor, like)],
            use_locking=self._use_locking, multiply_linear_by_lr=False)

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        return self._sparse(var, var, grad.values, grad.indices)

    def _resource_apply_sparse(self, grad: Any, var: Any, indices: Any) -> Any:
        return self._sparse(var, grad, grad, indices)
