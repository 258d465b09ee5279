"""``tf.train.GradientDescentOptimizer``: ``var -= grad * lr`` (``ApplyGradientDescent``)."""

from __future__ import annotations

from typing import Any

from ... import training_ops
from ...op_def import convert_to_tensor
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
