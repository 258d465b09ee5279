"""Reference variables (``tf.Variable`` in TF1): a ``VariableV2`` op holding ``float32_ref``
storage, its ``<name>/Assign`` initializer and ``<name>/read`` snapshot, plus the collection
helpers and initializer ops."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from . import dtypes
from .array_ops import identity
from .control_flow_ops import cond_on_initialized, group, no_op
from .graph import GraphKeys, Operation, Tensor, get_collection, get_default_graph
from .op_def import constant, convert_to_tensor, make_op
from . import state_ops
from .should_use import should_use_result
from .state_ops import assign, assign_add, assign_sub, variable_op_v2
from .tensor_shape import TensorShape



def _init_common(var: Any, trainable: bool | None, collections: Any, constraint: Any, caching_device: Any) -> list:
    """The argument checks and bookkeeping every kind of variable shares; returns the
    collections the variable joins (TRAINABLE_VARIABLES added for a trainable one)."""
    if constraint is not None and not callable(constraint):
        raise ValueError(f"The `constraint` argument must be a callable. Received: {constraint}")
    trainable = True if trainable is None else trainable
    collections = [GraphKeys.GLOBAL_VARIABLES] if collections is None else list(collections)
    if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
        collections = collections + [GraphKeys.TRAINABLE_VARIABLES]
    var._trainable = trainable
    var._constraint = constraint
    var._caching_device = caching_device
    var._save_slice_info = None
    return collections


def _guard_uninitialized_reads(graph: Any, scope: str, initial_value: Tensor) -> Tensor:
    """TF1's guard for an initial value that reads other variables: the initializer computes it
    from copies of the ops on the way (``<op>_<var>``) whose variables are read through
    ``initialized_value()`` (a ``cond`` on whether each is initialised yet), so a variable can be
    initialised before those it is made from. A graph with a cycle is left as it is."""
    # (most initial values read no variable: a constant, an initializer's ops; one look, no copy)
    if not _reads_a_variable(initial_value.op) or _has_cycle(initial_value.op, {}):
        return initial_value
    return _guarded_tensor(graph, scope, initial_value, {})


_VARIABLE_OPS = frozenset(("Variable", "VariableV2", "VarHandleOp"))


def _reads_a_variable(op: Operation) -> bool:
    """Whether a variable op is among the ops ``op`` is computed from."""
    if not op._inputs:  # (a constant: most initial values)
        return op.type in _VARIABLE_OPS
    stack, seen = [op], {id(op)}
    while stack:
        op = stack.pop()
        if op.type in _VARIABLE_OPS:
            return True
        for t in op._inputs:
            if id(t._op) not in seen:
                seen.add(id(t._op))
                stack.append(t._op)
    return False


def _guarded_tensor(graph: Any, scope: str, tensor: Tensor, done: dict[str, Operation]) -> Tensor:
    op = done.get(tensor.op.name)
    if op is None:
        op = done[tensor.op.name] = _guarded_op(graph, scope, tensor.op, done)
    return op.outputs[tensor.value_index]


def _guarded_op(graph: Any, scope: str, op: Operation, done: dict[str, Operation]) -> Operation:
    if op.type in ("IsVariableInitialized", "VarIsInitializedOp", "ReadVariableOp", "If"):
        return op
    if op.type in _VARIABLE_OPS:
        known = _variable_of(graph, op)
        return op if known is None else known.initialized_value().op
    inputs = [_guarded_tensor(graph, scope, t, done) for t in op.inputs]
    if all(new is old for new, old in zip(inputs, op.inputs)):
        return op
    # a copy reading the guarded values (a RefSwitch of a value is a Switch), named as TF names it
    op_type = "Switch" if op.type == "RefSwitch" else op.type
    refs = tuple(i for i, t in enumerate(inputs) if getattr(t.dtype, "_is_ref_dtype", False))
    outputs = [(t.dtype.base_dtype if op_type != op.type else t.dtype, t.shape) for t in op.outputs]
    name = (op.name + "_" + scope).replace(":", "_")
    return graph._create_op(op_type, inputs, outputs, name, dict(op._attrs), refs)


def _variable_of(graph: Any, op: Operation) -> Any:
    """The variable of the global or local collection whose op ``op`` is, if any."""
    names = (op.name, op.name + ":0")
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES):
        for var in graph.get_collection(key):
            if getattr(var, "name", None) in names and hasattr(var, "initialized_value"):
                return var
    return None


def _has_cycle(op: Operation, state: dict[str, str]) -> bool:
    """Whether the graph leading to ``op`` has a cycle (a depth-first walk's grey ops)."""
    seen = state.get(op.name)
    if seen is not None:
        return seen == "grey"
    state[op.name] = "grey"
    if any(_has_cycle(t.op, state) for t in op.inputs):
        return True
    state[op.name] = "black"
    return False


class VariableOperators:
    """What every kind of variable shares: TF1's repr, identity equality, and the operators,
    which apply to ``value()``."""

    def __repr__(self) -> str:
        return (f"<tf.Variable '{self.name}' shape={self.shape} "  # type: ignore[attr-defined]
                f"dtype={self.dtype.name}>")  # type: ignore[attr-defined]

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __bool__(self) -> bool:
        return True

    __array_priority__ = 100

    def __getitem__(self, spec: Any) -> Tensor:
        """A slice of the value, which can be assigned to: ``v[0].assign([1.0, 2.0])``."""
        from .slicing_ops import slice_tensor

        return slice_tensor(self.value(), spec, var=self)  # type: ignore[attr-defined]


def _delegate(method: str) -> Any:
    def fn(self: Any, *args: Any) -> Any:
        return getattr(self.value(), method)(*args)
    fn.__name__ = method
    return fn


for _m in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "matmul"):
    setattr(VariableOperators, f"__{_m}__", _delegate(f"__{_m}__"))
    setattr(VariableOperators, f"__r{_m}__", _delegate(f"__r{_m}__"))
for _m in ("lt", "le", "gt", "ge", "neg", "abs", "invert"):
    setattr(VariableOperators, f"__{_m}__", _delegate(f"__{_m}__"))


class Variable(VariableOperators):
    """A mutable tensor that lives across ``Session.run`` calls. ``==`` is identity.

    With ``use_resource=True`` (or inside ``variable_scope(use_resource=True)``) the call makes
    a `ResourceVariable` instead, as TF's ``VariableV1`` does; ``variable_def=`` rebuilds a
    variable over ops already in the graph (an imported .meta).
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Variable and _use_resource(args, kwargs):
            from .resource_variable_ops import ResourceVariable
            return ResourceVariable(*args[:6], **{k: v for k, v in kwargs.items()
                                                  if k in _RESOURCE_ARGS})
        return super().__new__(cls)

    def __init__(self, initial_value: Any = None, trainable: bool | None = None,
                 collections: Any = None, validate_shape: bool = True,
                 caching_device: str | None = None, name: str | None = None,
                 variable_def: Any = None, dtype: Any = None, expected_shape: Any = None,
                 import_scope: str | None = None, constraint: Any = None,
                 use_resource: bool | None = None, synchronization: Any = None,
                 aggregation: Any = None, shape: Any = None) -> None:
        if variable_def is not None:
            if initial_value is not None:
                raise ValueError("variable_def and initial_value are mutually exclusive.")
            self._init_from_proto(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        collections = _init_common(self, trainable, collections, constraint, caching_device)
        g = get_default_graph()
        init_from_fn = callable(initial_value)
        # TF builds variables in an init_scope: outer control dependencies do not apply.
        with g.control_dependencies(None), g.name_scope(name or "Variable") as scope:
            if init_from_fn:
                # The variable does not exist yet to colocate with: its group goes on the
                # initializer's ops as an attr, and on the variable op, made in the attr scope
                # but outside the device(None) that stands for colocation's device reset.
                group = [b"loc:@" + scope.rstrip("/").encode()]
                with g._attr_scope_of({"_class": group}):
                    with g.name_scope("Initializer"), g.device(None):
                        value = initial_value()
                        self._initial_value = convert_to_tensor(value, dtype=dtype,
                                                                name="initial_value")
                    self._variable = self._make_variable_op(validate_shape, scope)
            else:
                self._initial_value = convert_to_tensor(initial_value, dtype=dtype,
                                                        name="initial_value")
                self._variable = self._make_variable_op(validate_shape, scope)
            iv = self._initial_value
            if validate_shape and not iv.shape.is_fully_defined():
                raise ValueError(f"initial_value must have a shape specified: {iv}")
            guarded = _guard_uninitialized_reads(g, scope, iv)
            self._initializer_op = assign(self._variable, guarded, validate_shape=validate_shape).op
            if caching_device is not None:
                with g.device(caching_device):
                    self._snapshot = identity(self._variable, name="read")
            else:
                with g.colocate_with(self._variable.op):
                    self._snapshot = identity(self._variable, name="read")
        g.add_to_collections(collections, self)

    def _make_variable_op(self, validate_shape: bool, scope: str) -> Tensor:
        iv = self._initial_value
        shape = iv.shape if validate_shape else TensorShape(None)
        return variable_op_v2(shape, iv.dtype.base_dtype, scope)

    def _init_from_proto(self, variable_def: Any, import_scope: str | None) -> None:
        """TF's ``RefVariable._init_from_proto``: the ops a VariableDef names, in this graph."""
        g = get_default_graph()
        self._variable = _element_from_def(g, variable_def.variable_name, import_scope)
        self._initializer_op = _element_from_def(g, variable_def.initializer_name, import_scope)
        self._initial_value = (_element_from_def(g, variable_def.initial_value_name,
                                                 import_scope)
                               if getattr(variable_def, "initial_value_name", "") else None)
        self._trainable = bool(getattr(variable_def, "trainable", True))
        self._snapshot = _element_from_def(g, variable_def.snapshot_name, import_scope)
        self._save_slice_info = None
        self._caching_device = None
        self._constraint = None

    def to_proto(self, export_scope: str | None = None) -> Any:
        """The variable as a ``VariableDef`` (None when it is outside ``export_scope``)."""
        if export_scope is None or self._variable.name.startswith(export_scope):
            return _variable_def(self, export_scope)
        return None

    @staticmethod
    def from_proto(variable_def: Any, import_scope: str | None = None) -> "Variable":
        return Variable(variable_def=variable_def, import_scope=import_scope)

    # -- identity and metadata ----------------------------------------------------------------
    name = property(lambda self: self._variable.name)
    op = property(lambda self: self._variable.op)
    dtype = property(lambda self: self._variable.dtype)
    graph = property(lambda self: self._variable.graph)
    device = property(lambda self: self._variable.device)
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial_value)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)

    @property
    def shape(self) -> TensorShape:
        return self._variable.shape

    def get_shape(self) -> TensorShape:
        return self._variable.shape

    def _ref(self) -> Tensor:
        return self._variable

    def _as_graph_element(self) -> Tensor:
        return self._variable

    def value(self) -> Tensor:
        """The ``<name>/read`` snapshot tensor."""
        return self._snapshot

    def read_value(self) -> Tensor:
        """A new ``read`` Identity of the variable in the current name scope."""
        return identity(self._variable, name="read")

    def initialized_value(self) -> Tensor:
        """The value, or the initial value when not yet initialised (a ``cond`` in the graph)."""
        g = self.graph
        with g.as_default(), g.control_dependencies(None):
            pred = state_ops.is_variable_initialized(self._variable)
            return cond_on_initialized(pred, self._variable, self._initial_value)

    def eval(self, session: Any = None) -> Any:
        return self._variable.eval(session=session)

    def load(self, value: Any, session: Any = None) -> None:
        from .session import get_default_session
        session = session or get_default_session()
        session.run(self._initializer_op, {self._initial_value: value})

    def assign(self, value: Any, use_locking: bool = False, name: str | None = None,
               read_value: bool = True) -> Any:
        out = assign(self._variable, value, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_add(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        out = assign_add(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def assign_sub(self, delta: Any, use_locking: bool = False, name: str | None = None,
                   read_value: bool = True) -> Any:
        out = assign_sub(self._variable, delta, use_locking=use_locking, name=name)
        return out if read_value else out.op

    def set_shape(self, shape: Any) -> None:
        self._variable.set_shape(shape)

    def _scatter_sparse(self, op_type: str, sparse_delta: Any, use_locking: bool,
                        name: str | None) -> Tensor:
        """One ``op_type`` op applying the `IndexedSlices` ``sparse_delta`` to the variable
        (its output is the variable's ref)."""
        from .indexed_slices import IndexedSlices
        from .scatter_ops import ref_scatter

        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"sparse_delta is not IndexedSlices: {sparse_delta}")
        return ref_scatter(op_type, self._variable, sparse_delta.indices, sparse_delta.values,
                           use_locking, name)

    def scatter_add(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Tensor:
        """Add the rows of the `IndexedSlices` ``sparse_delta`` to the variable (a
        ``ScatterAdd`` op); the updated ref."""
        return self._scatter_sparse("ScatterAdd", sparse_delta, use_locking, name)

    def scatter_sub(self, sparse_delta: Any, use_locking: bool = False,
                    name: str | None = None) -> Tensor:
        """Subtract the rows of the `IndexedSlices` ``sparse_delta`` from the variable."""
        return self._scatter_sparse("ScatterSub", sparse_delta, use_locking, name)

    def scatter_update(self, sparse_delta: Any, use_locking: bool = False,
                       name: str | None = None) -> Tensor:
        """Write the rows of the `IndexedSlices` ``sparse_delta`` to the variable (unlike
        ``tf.scatter_update``, without locking unless asked: TF's method passes False)."""
        return self._scatter_sparse("ScatterUpdate", sparse_delta, use_locking, name)


VariableV1 = Variable
RefVariable = Variable

# The arguments a ResourceVariable takes (the rest of Variable's are accepted and ignored).
_RESOURCE_ARGS = ("initial_value", "trainable", "collections", "validate_shape",
                  "caching_device", "name", "dtype", "constraint", "variable_def",
                  "import_scope", "shape")


def _use_resource(args: tuple, kwargs: dict) -> bool:
    """Whether ``Variable(*args, **kwargs)`` makes a resource variable: its ``use_resource``,
    else the current variable scope's (TF's ``default_variable_creator``)."""
    use_resource = args[12] if len(args) > 12 else kwargs.get("use_resource")
    if use_resource is None:
        from .variable_scope import get_variable_scope
        use_resource = get_variable_scope().use_resource
    return bool(use_resource)


def _element_from_def(graph: Any, name: str, import_scope: str | None) -> Any:
    return graph.as_graph_element(prepend_name_scope(name, import_scope))


def prepend_name_scope(name: str, import_scope: str | None) -> str:
    """TF's ``ops.prepend_name_scope``: ``name`` (or ``^name``, ``loc:@name``) under
    ``import_scope``."""
    if not import_scope:
        return name
    scope = import_scope[:-1] if import_scope.endswith("/") else import_scope
    return re.sub(r"([\^]|loc:@|^)(.*)", lambda m: f"{m.group(1)}{scope}/{m.group(2)}", name,
                  count=1)


def strip_name_scope(name: str, export_scope: str | None) -> str:
    """TF's ``ops.strip_name_scope``: ``name`` without a leading ``export_scope/``."""
    if not export_scope:
        return name
    scope = export_scope[:-1] if export_scope.endswith("/") else export_scope
    return re.sub(r"([\^]|loc:@|^)" + re.escape(scope) + r"[\/]+(.*)", r"\1\2", name, count=1)


def _variable_def(v: Any, export_scope: str | None, is_resource: bool = False) -> Any:
    """A ``VariableDef`` message for ``v`` (the checkpoint module's, loaded on first use)."""
    from .checkpoint.messages import VariableDef
    fields: dict[str, Any] = dict(
        variable_name=strip_name_scope(v.name, export_scope),
        initializer_name=strip_name_scope(v.initializer.name, export_scope),
        snapshot_name=strip_name_scope(
            (v._snapshot if hasattr(v, "_snapshot") else v._graph_element).name, export_scope),
        trainable=bool(v.trainable))
    if v.initial_value is not None:
        fields["initial_value_name"] = strip_name_scope(v.initial_value.name, export_scope)
    if is_resource:
        fields["is_resource"] = True
    return VariableDef(**fields)


def global_variables(scope: str | None = None) -> list[Any]:
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def all_variables() -> list[Any]:
    """Deprecated alias of `global_variables`."""
    return global_variables()


def trainable_variables(scope: str | None = None) -> list[Any]:
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Any]:
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: str | None = None) -> list[Any]:
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope: str | None = None) -> list[Any]:
    return get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list: Any, name: str = "init") -> Operation:
    """An op running the initializers of ``var_list`` (a NoOp when it is empty)."""
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer() -> Operation:
    return variables_initializer(global_variables())


@should_use_result
def initialize_variables(var_list: Any, name: str = "init") -> Operation:
    """Deprecated alias of `variables_initializer`."""
    return variables_initializer(var_list, name=name)


@should_use_result
def initialize_all_variables() -> Operation:
    """Deprecated alias of `global_variables_initializer`."""
    return global_variables_initializer()


def local_variables_initializer() -> Operation:
    return variables_initializer(local_variables())


@should_use_result
def initialize_local_variables() -> Operation:
    """Deprecated alias of `local_variables_initializer`."""
    return local_variables_initializer()


@should_use_result
def is_variable_initialized(variable: Any) -> Tensor:
    """``tf.is_variable_initialized``: a bool scalar (wrapped, as TF wraps it)."""
    return state_ops.is_variable_initialized(variable)


@should_use_result
def report_uninitialized_variables(var_list: Any = None,
                                   name: str = "report_uninitialized_variables") -> Tensor:
    """A string vector of the names of the variables not yet initialised in the session."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    if not var_list:
        return constant(np.array([], dtype=object), dtypes.string, name=name)
    refs = [v._ref() if hasattr(v, "_ref") else getattr(v, "handle", v) for v in var_list]
    g = refs[0].graph
    return make_op("ReportUninitializedVariables", refs,
                   [(dtypes.string, TensorShape([None]))], name, {"N": len(refs)},
                   ref_inputs=tuple(range(len(refs))), graph=g).outputs[0]


__all__ = ["Variable", "VariableV1", "global_variables", "all_variables", "trainable_variables",
           "local_variables", "model_variables", "moving_average_variables",
           "variables_initializer", "global_variables_initializer", "initialize_all_variables",
           "local_variables_initializer", "initialize_local_variables",
           "report_uninitialized_variables", "is_variable_initialized", "assign", "assign_add",
           "assign_sub"]
