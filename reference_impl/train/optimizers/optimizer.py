"""The TF1 ``Optimizer`` base: ``minimize`` = ``compute_gradients`` + ``apply_gradients``.

``apply_gradients`` creates the slots first (outside any name scope, so slot and non-slot
variables get plain names such as ``w/Adam`` and ``beta1_power``), then, in the name scope of the
optimizer's name, converts the hyper-parameters to tensors (``_prepare``), adds one fused
training op per variable under ``update_<var>`` and finishes with a group named after the
optimizer — or, given a global step, with an ``AssignAdd`` of the step by that name that runs
after the updates. A resource variable is updated by the ``Resource`` form of the same op (on its
handle and its slots', which are resource variables too, as is a non-slot variable made beside
one); the hyper-parameters that are variables are read inside that op's name scope, as TF reads
them.
"""

from __future__ import annotations

from typing import Any

from ...control_flow_ops import group
from ...array_ops import shape as shape_op
from ...graph import GraphKeys, Tensor, get_default_graph, name_scope_v1
from ...indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from ...math_ops import cast
from ...op_def import convert_to_tensor
from ...segment_ops import unsorted_segment_sum
from ...unique_ops import unique
from ...state_ops import assign_add
from ...variables import Variable, trainable_variables
from ... import gradients as gradients_lib
from .. import slot_creator


def _deduplicate(values: Tensor, indices: Tensor) -> tuple[Tensor, Tensor]:
    """TF's ``_deduplicate_indexed_slices``: the values of each distinct index summed (in
    first-appearance order, a Unique and an UnsortedSegmentSum), and the distinct indices."""
    unique_indices, positions = unique(indices)
    summed = unsorted_segment_sum(values, positions, shape_op(unique_indices)[0])
    return summed, unique_indices


def _is_resource(v: Any) -> bool:
    return bool(getattr(v, "_is_resource_variable", False))


class Optimizer:
    """Base class of the ``tf.train`` optimizers."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str) -> None:
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: dict[str, dict[int, Any]] = {}
        self._non_slot: dict[str, Any] = {}

    def get_name(self) -> str:
        return self._name

    # -- the public steps ---------------------------------------------------------------------
    def minimize(self, loss: Any, global_step: Any = None, var_list: Any = None,
                 gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                 colocate_gradients_with_ops: bool = False, name: str | None = None,
                 grad_loss: Any = None) -> Any:
        grads_and_vars = self.compute_gradients(loss, var_list=var_list,
                                                gate_gradients=gate_gradients,
                                                grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                "support gradients, between variables %s and loss %s."
                % ([str(v) for _, v in grads_and_vars], loss))
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss: Any, var_list: Any = None, gate_gradients: int = GATE_OP,
                          aggregation_method: Any = None,
                          colocate_gradients_with_ops: bool = False,
                          grad_loss: Any = None) -> list[tuple[Any, Any]]:
        loss = convert_to_tensor(loss)
        if var_list is None:
            var_list = trainable_variables() + get_default_graph().get_collection(
                GraphKeys.TRAINABLE_RESOURCE_VARIABLES)
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients_lib.gradients(loss, var_list, grad_ys=grad_loss,
                                        gate_gradients=gate_gradients == self.GATE_OP)
        if gate_gradients == self.GATE_GRAPH:
            grads = gradients_lib.gate(grads)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars: Any, global_step: Any = None,
                        name: str | None = None) -> Any:
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                g = convert_to_tensor_or_indexed_slices(g)
            if not isinstance(v, Variable) and not _is_resource(v):
                raise TypeError(f"Can not convert a {type(v).__name__} into a Variable.")
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s."
                             % ([str(v) for _, v in converted],))
        graph = get_default_graph()
        with graph.control_dependencies(None):
            self._create_slots(var_list)
        update_ops = []
        with name_scope_v1(name, self._name) as scope:
            self._prepare()
            for g, v in converted:
                if g is None:
                    continue
                with name_scope_v1("update_" + v.op.name), graph.colocate_with(v):
                    update = self._update(g, v)
                    update_ops.append(update.op if isinstance(update, Tensor) else update)
            if global_step is None:
                applied = self._finish(update_ops, scope)
            else:
                with graph.control_dependencies([self._finish(update_ops, "update")]), \
                        graph.colocate_with(global_step):
                    applied = assign_add(global_step, 1, name=scope).op
        train_ops = graph.get_collection_ref(GraphKeys.TRAIN_OP)  # (as TF records it, once)
        if applied not in train_ops:
            train_ops.append(applied)
        return applied

    def _update(self, grad: Any, var: Any) -> Any:
        """TF's variable processors: a Tensor gradient updates densely; an IndexedSlices
        updates the rows it names (its indices may repeat)."""
        if not isinstance(grad, IndexedSlices):
            return self._apply_dense(grad, var)
        if getattr(var, "constraint", None) is not None:
            raise RuntimeError("Cannot use a constraint function on a sparse variable.")
        if _is_resource(var):
            return self._resource_apply_sparse_duplicate_indices(grad.values, var, grad.indices)
        return self._apply_sparse_duplicate_indices(grad, var)

    # -- slots --------------------------------------------------------------------------------
    def get_slot_names(self) -> list[str]:
        return sorted(self._slots)

    def get_slot(self, var: Any, name: str) -> Any:
        return self._slots.get(name, {}).get(id(var))

    def variables(self) -> list[Any]:
        """The optimizer's slots and non-slot variables, sorted by name (as TF returns them)."""
        out = [v for slots in self._slots.values() for v in slots.values()]
        return sorted(list(self._non_slot.values()) + out, key=lambda v: v.name)

    def _slot_dict(self, slot_name: str) -> dict[int, Any]:
        return self._slots.setdefault(slot_name, {})

    def _zeros_slot(self, var: Any, slot_name: str, op_name: str) -> Any:
        slots = self._slot_dict(slot_name)
        if id(var) not in slots:
            slots[id(var)] = slot_creator.create_zeros_slot(var, op_name)
        return slots[id(var)]

    def _get_or_make_slot(self, var: Any, val: Any, slot_name: str, op_name: str) -> Any:
        slots = self._slot_dict(slot_name)
        if id(var) not in slots:
            slots[id(var)] = slot_creator.create_slot(var, val, op_name)
        return slots[id(var)]

    def _get_or_make_slot_with_initializer(self, var: Any, initializer: Any, shape: Any,
                                           dtype: Any, slot_name: str, op_name: str) -> Any:
        slots = self._slot_dict(slot_name)
        if id(var) not in slots:
            slots[id(var)] = slot_creator.create_slot_with_initializer(
                var, initializer, shape, dtype, op_name)
        return slots[id(var)]

    def _create_non_slot_variable(self, initial_value: Any, name: str, colocate_with: Any) -> Any:
        if name not in self._non_slot:
            with get_default_graph().colocate_with(colocate_with):
                self._non_slot[name] = Variable(initial_value, name=name, trainable=False,
                                                use_resource=_is_resource(colocate_with))
        return self._non_slot[name]

    def _get_non_slot_variable(self, name: str) -> Any:
        return self._non_slot.get(name)

    # -- what subclasses define ---------------------------------------------------------------
    def _create_slots(self, var_list: list[Any]) -> None:
        pass

    def _prepare(self) -> None:
        pass

    def _apply_dense(self, grad: Tensor, var: Any) -> Tensor:
        raise NotImplementedError

    def _apply_sparse_duplicate_indices(self, grad: IndexedSlices, var: Any) -> Any:
        """The rows of a repeated index summed first (TF's default: an optimizer that handles
        repeats itself overrides this), then `_apply_sparse`."""
        values, indices = _deduplicate(grad.values, grad.indices)
        return self._apply_sparse(IndexedSlices(values, indices, grad.dense_shape), var)

    def _resource_apply_sparse_duplicate_indices(self, grad: Tensor, var: Any, indices: Tensor) -> Any:
        """`_apply_sparse_duplicate_indices` of a resource variable: `_resource_apply_sparse`
        after the repeats are summed."""
        values, unique_indices = _deduplicate(grad, indices)
        return self._resource_apply_sparse(values, var, unique_indices)

    def _apply_sparse(self, grad: IndexedSlices, var: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no sparse update")

    def _resource_apply_sparse(self, grad: Tensor, var: Any, indices: Tensor) -> Any:
        raise NotImplementedError(f"{type(self).__name__} has no sparse update of a resource variable")

    def _finish(self, update_ops: list[Any], name_scope: str) -> Any:
        return group(*update_ops, name=name_scope)

    @staticmethod
    def _call_if_callable(value: Any) -> Any:
        return value() if callable(value) else value

    @staticmethod
    def _cast(t: Any, var: Any) -> Any:
        return cast(t, var.dtype.base_dtype)
