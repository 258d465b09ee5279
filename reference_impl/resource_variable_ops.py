"""Resource variables (``use_resource=True``), as TF1 graphs build them.

A `ResourceVariable` is a ``VarHandleOp`` whose output is a scalar ``resource`` handle; its dtype
is the plain dtype (``float32``, never ``float32_ref``). Around the handle TF builds
``<name>/Initializer/initial_value``, ``<name>/IsInitialized/VarIsInitializedOp``,
``<name>/Assign`` (an ``AssignVariableOp``, the initializer) and ``<name>/Read/ReadVariableOp``
(the snapshot a fetch of the variable reads). Unlike a reference variable, every use as a
tensor (``value()``, operators, ``convert_to_tensor``) adds a new ``ReadVariableOp`` in the
current name scope and control-dependency context, and a read is a snapshot: later assignments do
not change a value already read. ``assign*`` return an `_UnreadVariable`, which reads the
variable after the assignment.
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .array_ops import identity
from .graph import GraphKeys, Operation, Tensor, get_default_graph
from .op_def import convert_to_tensor, make_op
from .tensor_shape import TensorShape, as_shape
from .variables import VariableOperators, _init_common


def var_handle_op(dtype: dtypes.DType, shape: TensorShape, shared_name: str,
                  name: str) -> Tensor:
    return make_op("VarHandleOp", [], [(dtypes.resource, TensorShape([]))], name,
                   {"dtype": dtype, "shape": shape, "container": "", "shared_name": shared_name,
                    "allowed_devices": [], "debug_name": shared_name + "/"},
                   graph=get_default_graph()).outputs[0]


def read_variable_op(handle: Tensor, dtype: dtypes.DType, shape: TensorShape,
                     name: str = "ReadVariableOp") -> Tensor:
    return make_op("ReadVariableOp", [handle], [(dtype, shape)], name,
                   {"dtype": dtype}).outputs[0]


def _update_op(op_type: str, handle: Tensor, value: Tensor, name: str | None,
               attrs: dict[str, Any] | None = None) -> Operation:
    return make_op(op_type, [handle, value], [], name or op_type,
                   {"dtype": value.dtype.base_dtype, **(attrs or {})})


class _ResourceBase(VariableOperators):
    """What a variable and an unread assignment result share: reads, operators, assignments."""

    _is_resource_variable = True
    _handle: Tensor
    _dtype: dtypes.DType
    _shape: TensorShape

    handle = property(lambda self: self._handle)
    dtype = property(lambda self: self._dtype)
    graph = property(lambda self: self._handle.graph)
    device = property(lambda self: self._handle.device)
    shape = property(lambda self: self._shape)

    def get_shape(self) -> TensorShape:
        return self._shape

    def _read(self, name: str = "ReadVariableOp") -> Tensor:
        return read_variable_op(self._handle, self._dtype, self._shape, name)

    def value(self) -> Tensor:
        """A new ``ReadVariableOp`` of the variable (in the current name scope), outside any
        colocation group, as TF reads it."""
        with self.graph.colocate_with(None, ignore_existing=True):
            return self._read()

    def read_value(self) -> Tensor:
        """``Read/ReadVariableOp`` and an ``Identity`` of it, in the current name scope."""
        g = self.graph
        with g.name_scope("Read"):
            value = self._read()
        return identity(value)

    def _as_graph_element(self) -> Tensor:
        return self._graph_element

    def sparse_read(self, indices: Any, name: str | None = None) -> Tensor:
        """The rows ``indices`` of the variable, one ``ResourceGather`` op (in ``Gather`` or
        ``name``), as ``tf.gather`` of a resource variable along axis 0 builds it."""
        from .gather_ops import gather_shape
        from .op_def import convert_type_attr_input
        from .op_errors import shape_error
        from .shape_inference import dt_enum

        g = self.graph
        with g.as_default(), g.name_scope(name or "Gather") as scope:
            i = convert_type_attr_input(indices, "indices", (dtypes.int32, dtypes.int64), None)
            attrs = (f"Tindices={dt_enum(i.dtype)}, batch_dims=0, dtype={dt_enum(self._dtype)}, "
                     f"validate_indices=true")

            def fail(message: str) -> ValueError:
                # (TF names the variable's shape in the message, the handle's in the list)
                return shape_error(message, scope[:-1], "ResourceGather", attrs, [self._handle, i])

            if self._shape.ndims is not None and self._shape.ndims < 1:
                raise fail(f"Shape must be at least rank 1 but is rank {self._shape.ndims}")
            shape = gather_shape(self._shape, i.shape, 0, fail)
            return make_op("ResourceGather", [self._handle, i], [(self._dtype, shape)], scope,
                           {"batch_dims": 0, "validate_indices": True, "dtype": self._dtype,
                            "Tindices": i.dtype.base_dtype}).outputs[0]

    def eval(self, session: Any = None) -> Any:
        return self._graph_element.eval(session=session)

    def initialized_value(self) -> Any:
        raise NotImplementedError  # as TF 2.21 for resource variables

    def assign(self, value: Any, use_locking: Any = None, name: str | None = None,
               read_value: bool = True) -> Any:
        t = convert_to_tensor(value, dtype=self._dtype)
        if not self._shape.is_compatible_with(t.shape):
            raise ValueError(f"Cannot assign value to variable ' {self.name}': Shape mismatch."
                             f"The variable shape {self._shape}, and the assigned value shape "
                             f"{t.shape} are incompatible.")
        op = _update_op("AssignVariableOp", self._handle, t, name,
                        {"validate_shape": self._shape.is_fully_defined()})
        return _UnreadVariable(self, op) if read_value else op

    def _assign_delta(self, op_type: str, delta: Any, name: str | None,
                      read_value: bool) -> Any:
        op = _update_op(op_type, self._handle, convert_to_tensor(delta, dtype=self._dtype), name)
        return _UnreadVariable(self, op) if read_value else op

    def assign_add(self, delta: Any, use_locking: Any = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        return self._assign_delta("AssignAddVariableOp", delta, name, read_value)

    def assign_sub(self, delta: Any, use_locking: Any = None, name: str | None = None,
                   read_value: bool = True) -> Any:
        return self._assign_delta("AssignSubVariableOp", delta, name, read_value)

    def _scatter(self, op_type: str, indices: Any, updates: Any, name: str | None) -> Any:
        """A ``ResourceScatter*`` op on the variable (``updates`` converted to its type first,
        outside the op's scope, as TF converts them), and the variable read after it."""
        from .scatter_ops import resource_scatter, resource_updates

        op = resource_scatter(op_type, self, indices, resource_updates(self, updates), name)
        return _UnreadVariable(self, op)

    def _scatter_sparse(self, op_type: str, sparse_delta: Any, name: str | None) -> Any:
        from .indexed_slices import IndexedSlices

        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError("Argument `sparse_delta` must be a `tf.IndexedSlices`. Received "
                            f"arg: {sparse_delta}")
        return self._scatter(op_type, sparse_delta.indices, sparse_delta.values, name)

    def scatter_add(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        """Add the rows of the `IndexedSlices` ``sparse_delta`` to the variable (a
        ``ResourceScatterAdd``); the variable read after the update (``use_locking`` is
        ignored, as in TF)."""
        return self._scatter_sparse("ResourceScatterAdd", sparse_delta, name)

    def scatter_sub(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Any:
        """Subtract the rows of the `IndexedSlices` ``sparse_delta`` from the variable."""
        return self._scatter_sparse("ResourceScatterSub", sparse_delta, name)

    def scatter_update(self, sparse_delta: Any, use_locking: bool = False,
                       name: str | None = None) -> Any:
        """Write the rows of the `IndexedSlices` ``sparse_delta`` to the variable."""
        return self._scatter_sparse("ResourceScatterUpdate", sparse_delta, name)



class ResourceVariable(_ResourceBase):
    """``tf.Variable(..., use_resource=True)`` / ``get_variable`` under ``use_resource=True``.

    Not an instance of ``tf.compat.v1.Variable`` (as in TF, where that is ``VariableV1``)."""

    def __init__(self, initial_value: Any = None, trainable: bool | None = None,
                 collections: Any = None, validate_shape: bool = True,
                 caching_device: str | None = None, name: str | None = None,
                 dtype: Any = None, constraint: Any = None, variable_def: Any = None,
                 import_scope: str | None = None, shape: Any = None, **kwargs: Any) -> None:
        if variable_def is not None:
            self._init_from_def(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("The `initial_value` arg (`None`) must be specified as a Tensor.")
        collections = _init_common(self, trainable, collections, constraint, caching_device)
        g = get_default_graph()
        init_from_fn = callable(initial_value)
        # TF builds variables in an init_scope: outer control dependencies do not apply.
        with g.control_dependencies(None), g.name_scope(name or "Variable") as scope:
            handle_name = scope[:-1]
            # As TF: the initial value and the handle are made with the variable's colocation
            # group as an explicit ``_class`` attr.
            with g._attr_scope_of({"_class": [b"loc:@" + handle_name.encode()]}):
                with g.name_scope("Initializer"), g.device(None):
                    value = initial_value() if init_from_fn else initial_value
                    iv = convert_to_tensor(value, dtype=dtype, name="initial_value")
                self._initial_value = iv
                self._dtype = iv.dtype.base_dtype
                if shape is not None:
                    self._shape = as_shape(shape)
                else:
                    self._shape = iv.shape if validate_shape else TensorShape(None)
                self._handle = var_handle_op(self._dtype, self._shape, handle_name, scope)
            device = self._handle.device
            with g.name_scope("IsInitialized"), g.device(device):
                self._is_initialized_op = make_op(
                    "VarIsInitializedOp", [self._handle], [(dtypes.bool, TensorShape([]))],
                    "VarIsInitializedOp").outputs[0]
            with g.name_scope("Assign") as assign_scope, g.device(device), \
                    g.colocate_with(None, ignore_existing=True):
                self._initializer_op = _update_op("AssignVariableOp", self._handle, iv,
                                                  assign_scope, {"validate_shape": False})
            with g.name_scope("Read"), g.device(device):
                self._graph_element = self._read()
        g.add_to_collections(collections, self)

    def _init_from_def(self, variable_def: Any, import_scope: str | None) -> None:
        from .variables import _element_from_def
        g = get_default_graph()
        self._handle = _element_from_def(g, variable_def.variable_name, import_scope)
        self._initializer_op = _element_from_def(g, variable_def.initializer_name, import_scope)
        self._graph_element = _element_from_def(g, variable_def.snapshot_name, import_scope)
        self._initial_value = (_element_from_def(g, variable_def.initial_value_name,
                                                 import_scope)
                               if variable_def.initial_value_name else None)
        self._dtype = self._graph_element.dtype.base_dtype
        self._shape = self._graph_element.shape
        self._trainable = bool(getattr(variable_def, "trainable", True))
        self._constraint = self._caching_device = self._save_slice_info = None

    name = property(lambda self: self._handle.name)
    op = property(lambda self: self._handle.op)
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial_value)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)

    def is_initialized(self, name: str | None = None) -> Tensor:
        """A new ``VarIsInitializedOp`` of the handle."""
        return make_op("VarIsInitializedOp", [self._handle], [(dtypes.bool, TensorShape([]))],
                       name or "VarIsInitializedOp").outputs[0]

    def to_proto(self, export_scope: str | None = None) -> Any:
        """The variable as a ``VariableDef`` (``is_resource`` set)."""
        from .variables import _variable_def
        return _variable_def(self, export_scope, is_resource=True)

    @staticmethod
    def from_proto(variable_def: Any, import_scope: str | None = None) -> "ResourceVariable":
        return ResourceVariable(variable_def=variable_def, import_scope=import_scope)

    def load(self, value: Any, session: Any = None) -> None:
        from .session import get_default_session
        session = session or get_default_session()
        session.run(self._initializer_op, {self._initial_value: value})


class _UnreadVariable(_ResourceBase):
    """What ``assign*`` return: the variable, read after the assignment ``parent_op``."""

    def __init__(self, variable: _ResourceBase, parent_op: Operation) -> None:
        self._handle = variable._handle
        self._dtype = variable._dtype
        self._shape = variable._shape
        self._parent_op = parent_op
        self._graph_element = self.value()

    name = property(lambda self: self._parent_op.name)
    op = property(lambda self: self._parent_op)
    initializer = property(lambda self: None)

    def _read(self, name: str = "ReadVariableOp") -> Tensor:
        with self.graph.control_dependencies([self._parent_op]):
            return super()._read(name)

    def value(self) -> Tensor:
        """A read after the update (keeping any colocation, as TF's unread variable does)."""
        return self._read()

    def _scatter_sparse(self, op_type: str, sparse_delta: Any, name: str | None) -> Any:
        # TF's unread variable makes its sparse updates wait for the update it reads after
        # (``tf.scatter_*`` given one do not)
        with self.graph.control_dependencies([self._parent_op]):
            return super()._scatter_sparse(op_type, sparse_delta, name)


__all__ = ["ResourceVariable"]
