"""``tf.train.RMSPropOptimizer``: slots ``rms`` (starting at 1), ``mg`` when centered, and
``momentum`` (``w/RMSProp``, ``w/RMSProp_1`` …), ``ApplyRMSProp`` / ``ApplyCenteredRMSProp``;
an IndexedSlices gradient (its repeated indices summed first) ``SparseApplyRMSProp`` /
``SparseApplyCenteredRMSProp``."""

from __future__ import annotations

from typing import Any

from ... import training_ops
from ...indexed_slices import IndexedSlices
from ...initializers import Ones
from ...op_def import convert_to_tensor
from .optimizer import Optimizer


class RMSPropOptimizer(Optimizer):
    def __init__(self, learning_rate: Any, decay: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-10, use_locking: bool = False, centered: bool = False,
                 name: str = "RMSProp") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dtype = v.dtype.base_dtype
            self._get_or_make_slot_with_initializer(v, Ones(dtype=dtype), v.get_shape(), dtype,
                                                    "rms", self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        c = self._call_if_callable
        self._learning_rate_tensor = convert_to_tensor(c(self._learning_rate),
                                                       name="learning_rate")
        self._decay_tensor = convert_to_tensor(c(self._decay), name="decay")
        self._momentum_tensor = convert_to_tensor(c(self._momentum), name="momentum")
        self._epsilon_tensor = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return self._rmsprop_op("", var, var, [grad])

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        return self._rmsprop_op("Sparse", var, var, [grad.values, grad.indices])

    def _resource_apply_sparse(self, grad: Any, var: Any, indices: Any) -> Any:
        return self._rmsprop_op("Sparse", var, grad, [grad, indices])

    def _rmsprop_op(self, prefix: str, var: Any, like: Any, gradient: list[Any]) -> Any:
        """The ``<prefix>Apply[Centered]RMSProp`` op on ``var`` and its slots, the
        hyper-parameters cast to ``like``'s type, then ``gradient`` (grad [, indices])."""
        k = self._cast
        hyper = [k(self._learning_rate_tensor, like), k(self._decay_tensor, like),
                 k(self._momentum_tensor, like), k(self._epsilon_tensor, like), *gradient]
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            return training_ops.apply(prefix + "ApplyCenteredRMSProp",
                                      [var, self.get_slot(var, "mg"), rms, mom], hyper,
                                      use_locking=self._use_locking)
        return training_ops.apply(prefix + "ApplyRMSProp", [var, rms, mom], hyper,
                                  use_locking=self._use_locking)
