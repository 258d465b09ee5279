"""``tf.train.GradientDescentOptimizer``: ``var -= grad * lr`` (``ApplyGradientDescent``); a
sparse gradient's rows, repeats and all, subtracted by a ``ScatterSub`` (a resource variable's:
a ``ResourceScatterAdd`` of ``-grad * lr``)."""

from __future__ import annotations

from typing import Any

from ... import training_ops
from ...indexed_slices import IndexedSlices
from ...math_ops import cast
from ...op_def import convert_to_tensor
from ...scatter_ops import resource_scatter
from .optimizer import Optimizer


class GradientDescentOptimizer(Optimizer):
    def __init__(self, learning_rate: Any, use_locking: bool = False,
                 name: str = "GradientDescent") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return training_ops.apply("ApplyGradientDescent", [var],
                                  [self._cast(self._learning_rate_tensor, var), grad],
                                  use_locking=self._use_locking)

    def _apply_sparse_duplicate_indices(self, grad: IndexedSlices, var: Any) -> Any:
        delta = IndexedSlices(grad.values * self._cast(self._learning_rate_tensor, var), grad.indices,
                              grad.dense_shape)
        return var.scatter_sub(delta, use_locking=self._use_locking)

    def _resource_apply_sparse_duplicate_indices(self, grad: Any, var: Any, indices: Any) -> Any:
        return resource_scatter("ResourceScatterAdd", var, indices,
                                -grad * cast(self._learning_rate_tensor, grad.dtype.base_dtype), None)
