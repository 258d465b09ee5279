"""Variable scopes and ``get_variable``: named variable sharing.

Each graph has a scope store (the current `VariableScope` and how often each scope name was
opened, which makes ``default_name`` unique) and a variable store (the variables made by
``get_variable``, by full name). Variable names depend only on variable scopes, never on name
scopes; ``variable_scope`` also opens a name scope unless ``auxiliary_name_scope=False``.
"""

from __future__ import annotations

import enum
import functools
import inspect
from typing import Any, Callable

from . import dtypes
from .graph import Graph, GraphKeys, get_default_graph
from .initializers import GlorotUniform, Zeros
from .op_def import convert_to_tensor, graph_of
from .tensor_shape import TensorShape, as_shape
from .variables import Variable


class _ReuseMode(enum.Enum):
    """``tf.AUTO_REUSE``: get the variable if it exists, else create it."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """The defaults and reuse mode of a variable scope."""

    def __init__(self, reuse: Any, name: str = "", initializer: Any = None,
                 regularizer: Any = None, caching_device: Any = None, partitioner: Any = None,
                 custom_getter: Any = None, name_scope: str = "", dtype: Any = dtypes.float32,
                 use_resource: Any = None, constraint: Any = None) -> None:
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self) -> None:
        """Switch this scope to reuse mode."""
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        self._initializer = initializer

    def set_dtype(self, dtype: Any) -> None:
        self._dtype = dtype

    def set_use_resource(self, use_resource: Any) -> None:
        self._use_resource = use_resource

    def set_regularizer(self, regularizer: Any) -> None:
        self._regularizer = regularizer

    def set_caching_device(self, caching_device: Any) -> None:
        self._caching_device = caching_device

    def set_partitioner(self, partitioner: Any) -> None:
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter: Any) -> None:
        self._custom_getter = custom_getter

    def get_collection(self, name: str) -> list[Any]:
        scope = self._name + "/" if self._name else ""
        return get_default_graph().get_collection(name, scope)

    def trainable_variables(self) -> list[Any]:
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self) -> list[Any]:
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self) -> list[Any]:
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store: "_VariableStore", name: str, shape: Any = None,
                     dtype: Any = None, initializer: Any = None, regularizer: Any = None,
                     reuse: Any = None, trainable: Any = None, collections: Any = None,
                     caching_device: Any = None, partitioner: Any = None,
                     validate_shape: bool = True, use_resource: Any = None,
                     custom_getter: Any = None, constraint: Any = None, **kwargs: Any) -> Any:
        """Get or create ``<scope>/<name>`` with this scope's defaults."""
        regularizer = self._regularizer if regularizer is None else regularizer
        caching_device = self._caching_device if caching_device is None else caching_device
        partitioner = self._partitioner if partitioner is None else partitioner
        custom_getter = self._custom_getter if custom_getter is None else custom_getter
        reuse = self._reuse if reuse is None else reuse
        use_resource = self._use_resource if use_resource is None else use_resource
        full_name = self._name + "/" + name if self._name else name
        g = get_default_graph()
        # Variable names depend only on variable scopes: leave the name scope for creation.
        with g.name_scope(None):
            if dtype is not None and initializer is not None and not callable(initializer):
                init_dtype = convert_to_tensor(initializer).dtype.base_dtype
                if init_dtype != dtypes.as_dtype(dtype):
                    raise ValueError(f"Initializer type '{init_dtype}' and explicit dtype "
                                     f"'{dtypes.as_dtype(dtype)}' don't match.")
            initializer = self._initializer if initializer is None else initializer
            constraint = self._constraint if constraint is None else constraint
            dtype = self._dtype if dtype is None else dtype
            return var_store.get_variable(
                full_name, shape=shape, dtype=dtype, initializer=initializer,
                regularizer=regularizer, reuse=reuse, trainable=trainable,
                collections=collections, caching_device=caching_device,
                partitioner=partitioner, validate_shape=validate_shape,
                use_resource=use_resource, custom_getter=custom_getter, constraint=constraint)


class _VariableScopeStore:
    """The current scope and the open counts of scope names, per graph."""

    def __init__(self) -> None:
        self.current_scope = VariableScope(False)
        self.variable_scopes_count: dict[str, int] = {}

    def open_variable_scope(self, scope_name: str) -> None:
        self.variable_scopes_count[scope_name] = self.variable_scopes_count.get(scope_name, 0) + 1

    def close_variable_subscopes(self, scope_name: str) -> None:
        prefix = scope_name + "/"
        for k in self.variable_scopes_count:
            if k.startswith(prefix):
                self.variable_scopes_count[k] = 0

    def variable_scope_count(self, scope_name: str) -> int:
        return self.variable_scopes_count.get(scope_name, 0)


def _scope_store(graph: Graph | None = None) -> _VariableScopeStore:
    g = graph or get_default_graph()
    if "varscope_store" not in g._state:
        g._state["varscope_store"] = _VariableScopeStore()
    return g._state["varscope_store"]


def _var_store(graph: Graph | None = None) -> "_VariableStore":
    g = graph or get_default_graph()
    if "var_store" not in g._state:
        g._state["var_store"] = _VariableStore()
    return g._state["var_store"]


def get_variable_scope() -> VariableScope:
    """The current variable scope."""
    return _scope_store().current_scope


# inspect.signature is slow; an initializer object's signature is that of its class's __call__.
_SIGNATURES: dict[Any, Any] = {}


def _parameters(fn: Callable[..., Any]) -> Any:
    """``fn``'s parameters (None when it has no signature), cached per initializer class."""
    is_instance = not inspect.isroutine(fn) and not inspect.isclass(fn)
    key = type(fn) if is_instance and type(fn).__module__.startswith("reference_impl") else None
    if key is not None and key in _SIGNATURES:
        return _SIGNATURES[key]
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = None
    if key is not None:
        _SIGNATURES[key] = params
    return params


def _accepts(fn: Callable[..., Any], arg: str) -> bool:
    params = _parameters(fn)
    if params is None:
        return False
    return any(p.name == arg or p.kind == p.VAR_KEYWORD for p in params)


def _needs_no_arguments(fn: Callable[..., Any]) -> bool:
    params = _parameters(fn)
    if params is None:
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params)


class _VariableStore:
    """The variables created by ``get_variable`` in one graph, by full name."""

    def __init__(self) -> None:
        self._vars: dict[str, Variable] = {}

    def get_variable(self, name: str, shape: Any = None, dtype: Any = dtypes.float32,
                     initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                     trainable: Any = None, collections: Any = None, caching_device: Any = None,
                     partitioner: Any = None, validate_shape: bool = True,
                     use_resource: Any = None, custom_getter: Any = None,
                     constraint: Any = None, **kwargs: Any) -> Any:
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
        dtype = dtypes.as_dtype(dtype).base_dtype
        trainable = True if trainable is None else trainable

        def true_getter(name: str, shape: Any = None, dtype: Any = dtypes.float32,
                        initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                        trainable: Any = None, collections: Any = None,
                        caching_device: Any = None, partitioner: Any = None,
                        validate_shape: bool = True, use_resource: Any = None,
                        constraint: Any = None, **kwargs: Any) -> Variable:
            if partitioner is not None:
                # (TF would make a PartitionedVariable, named <name>/part_<i> even for one part:
                # refused rather than created whole under another name)
                raise NotImplementedError("tf.get_variable with a partitioner (PartitionedVariable)")
            return self._get_single_variable(
                name, shape, dtype, initializer, regularizer, reuse,
                True if trainable is None else trainable, collections, caching_device,
                validate_shape, constraint, bool(use_resource))

        args = dict(name=name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, reuse=reuse, trainable=trainable,
                    collections=collections, caching_device=caching_device,
                    partitioner=partitioner, validate_shape=validate_shape,
                    use_resource=use_resource)
        if custom_getter is None:
            return true_getter(constraint=constraint, **args)
        args["synchronization"] = kwargs.get("synchronization")
        args["aggregation"] = kwargs.get("aggregation")
        if _accepts(custom_getter, "constraint"):
            args["constraint"] = constraint
        return custom_getter(getter=true_getter, **args)

    def _get_single_variable(self, name: str, shape: Any, dtype: dtypes.DType,
                             initializer: Any, regularizer: Any, reuse: Any, trainable: bool,
                             collections: Any, caching_device: Any, validate_shape: bool,
                             constraint: Any, use_resource: bool = False) -> Variable:
        from_value = initializer is not None and not callable(initializer)
        if shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        shape = as_shape(shape)
        if name in self._vars:
            found = self._vars[name]
            if reuse is False:
                # TF lists up to five user frames, innermost first, without source lines.
                frames = found.op._user_traceback(5)
                where = "".join(f'  File "{f}", line {n}, in {fn}\n' for f, n, fn in frames)
                raise ValueError(
                    f"Variable {name} already exists, disallowed. Did you mean to set "
                    f"reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n"
                    f"{where}")
            if not shape.is_compatible_with(found.get_shape()):
                raise ValueError(f"Trying to share variable {name}, but specified shape {shape} "
                                 f"and found shape {found.get_shape()}.")
            if not dtype.is_compatible_with(found.dtype):
                raise ValueError(f"Trying to share variable {name}, but specified dtype "
                                 f"{dtype.name} and found dtype {found.dtype.name}.")
            return found
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with "
                             f"tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                             f"VarScope?")
        if initializer is None:
            if not shape.is_fully_defined():
                raise ValueError(f"Variable {name} did not get an initializer, so its `shape` "
                                 f"argument must be specified.")
            if dtype.is_floating:
                initializer = GlorotUniform()
            elif dtype.is_integer or dtype.is_bool or dtype == dtypes.string:
                initializer = Zeros()
            else:
                raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype} is "
                                 f"required")
        if from_value:
            init_val: Any = initializer
            variable_dtype = None
        else:
            if inspect.isclass(initializer):
                initializer = initializer()
            if shape.is_fully_defined():
                kwargs = {"partition_info": None} if _accepts(initializer, "partition_info") \
                    else {}
                init_val = functools.partial(initializer, shape.as_list(), dtype=dtype, **kwargs)
                variable_dtype = dtype.base_dtype
            elif _needs_no_arguments(initializer):
                init_val = initializer
                variable_dtype = None
            else:
                raise ValueError("The initializer passed is not valid. It should be a callable "
                                 "with no arguments and the shape should not be provided or an "
                                 "instance of `tf.keras.initializers.*' and `shape` should be "
                                 "fully defined.")
        v = Variable(initial_value=init_val, name=name, trainable=trainable,
                     collections=collections, caching_device=caching_device,
                     dtype=variable_dtype, validate_shape=validate_shape, constraint=constraint,
                     use_resource=use_resource)
        self._vars[name] = v
        if regularizer:
            g = get_default_graph()

            def make_regularizer_op() -> Any:
                with g.name_scope(name + "/Regularizer/"):
                    return regularizer(v)

            # As TF: one call in the current (root) name scope decides whether there is a loss;
            # the collection gets a lazy tensor, built once now and again at each conversion.
            if regularizer(v) is not None:
                g.add_to_collection(GraphKeys.REGULARIZATION_LOSSES,
                                    _LazyEvalTensor(make_regularizer_op))
        return v


class _LazyEvalTensor:
    """TF's lazily evaluated regularization loss: reads as its first ("master") tensor — name,
    dtype, shape, op, fetches — but every conversion to a tensor (``tf.add_n(losses)``,
    operators) builds the regularizer's ops again, as TF does."""

    def __init__(self, thunk: Callable[[], Any]) -> None:
        self._thunk = thunk
        self._master_tensor = thunk()

    name = property(lambda self: self._master_tensor.name)
    op = property(lambda self: self._master_tensor.op)
    dtype = property(lambda self: self._master_tensor.dtype)
    shape = property(lambda self: self._master_tensor.shape)
    graph = property(lambda self: self._master_tensor.graph)
    device = property(lambda self: self._master_tensor.device)
    value_index = property(lambda self: self._master_tensor.value_index)

    def get_shape(self) -> TensorShape:
        return self._master_tensor.get_shape()

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        return self._master_tensor.eval(feed_dict, session)

    def _as_graph_element(self) -> Any:
        """What a fetch runs: the master tensor."""
        return self._master_tensor

    def value(self) -> Any:
        """What a conversion to a tensor gives: the regularizer's ops, built again."""
        return self._thunk()


def _lazy_operator(method: str) -> Any:
    def fn(self: _LazyEvalTensor, *args: Any) -> Any:
        return getattr(self.value(), method)(*args)
    fn.__name__ = method
    return fn


for _m in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul"):
    setattr(_LazyEvalTensor, f"__{_m}__", _lazy_operator(f"__{_m}__"))
    setattr(_LazyEvalTensor, f"__r{_m}__", _lazy_operator(f"__r{_m}__"))
for _m in ("neg", "abs", "lt", "le", "gt", "ge"):
    setattr(_LazyEvalTensor, f"__{_m}__", _lazy_operator(f"__{_m}__"))


def get_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                 regularizer: Any = None, trainable: Any = None, collections: Any = None,
                 caching_device: Any = None, partitioner: Any = None,
                 validate_shape: bool = True, use_resource: Any = None,
                 custom_getter: Any = None, constraint: Any = None,
                 synchronization: Any = None, aggregation: Any = None) -> Any:
    """Get the variable ``<current variable scope>/<name>`` or create it."""
    return get_variable_scope().get_variable(
        _var_store(), name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        caching_device=caching_device, partitioner=partitioner, validate_shape=validate_shape,
        use_resource=use_resource, custom_getter=custom_getter, constraint=constraint,
        synchronization=synchronization, aggregation=aggregation)


def get_local_variable(name: str, shape: Any = None, dtype: Any = None, initializer: Any = None,
                       regularizer: Any = None, trainable: bool = False, collections: Any = None,
                       caching_device: Any = None, partitioner: Any = None,
                       validate_shape: bool = True, use_resource: Any = None,
                       custom_getter: Any = None, constraint: Any = None, **kwargs: Any) -> Any:
    """`get_variable` into LOCAL_VARIABLES (not global, not trainable)."""
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                        regularizer=regularizer, trainable=False, collections=collections,
                        caching_device=caching_device, partitioner=partitioner,
                        validate_shape=validate_shape, use_resource=use_resource,
                        custom_getter=custom_getter, constraint=constraint)


def _wrap_custom_getter(getter: Any, old_getter: Any) -> Any:
    """Nest ``getter`` around an enclosing scope's ``old_getter``."""
    if old_getter is None:
        return getter

    def wrapped(inner: Any, *args: Any, **kwargs: Any) -> Any:
        return getter(functools.partial(old_getter, inner), *args, **kwargs)
    return wrapped


def _unique_scope_name(prefix: str) -> str:
    """``prefix`` or ``prefix_N``: the first name not yet opened under the current scope."""
    store = _scope_store()
    current = store.current_scope
    name = current.name + "/" + prefix if current.name else prefix
    if store.variable_scope_count(name) == 0:
        return prefix
    idx = 1
    while store.variable_scope_count(f"{name}_{idx}") > 0:
        idx += 1
    return f"{prefix}_{idx}"


class _PureScope:
    """Switches the current variable scope (no name scope)."""

    def __init__(self, name_or_scope: Any, reuse: Any, args: dict[str, Any],
                 old_name_scope: str | None) -> None:
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._args = args
        self._old_name_scope = old_name_scope
        self._store = _scope_store()
        if isinstance(name_or_scope, VariableScope):
            src = name_or_scope
            self._new_name = src.name
            self._cached = VariableScope(
                self._reuse if self._reuse else src.reuse, name=src.name,
                initializer=src.initializer, regularizer=src.regularizer,
                caching_device=src.caching_device, partitioner=src.partitioner,
                dtype=src.dtype, custom_getter=src.custom_getter, name_scope=src._name_scope,
                use_resource=src.use_resource, constraint=args["constraint"])
            self._apply_overrides(self._cached, src.custom_getter)

    def _apply_overrides(self, scope: VariableScope, old_getter: Any) -> None:
        a = self._args
        if a["initializer"] is not None:
            scope.set_initializer(a["initializer"])
        if a["regularizer"] is not None:
            scope.set_regularizer(a["regularizer"])
        if a["caching_device"] is not None:
            scope.set_caching_device(a["caching_device"])
        if a["partitioner"] is not None:
            scope.set_partitioner(a["partitioner"])
        if a["custom_getter"] is not None:
            scope.set_custom_getter(_wrap_custom_getter(a["custom_getter"], old_getter))
        if a["dtype"] is not None:
            scope.set_dtype(a["dtype"])
        if a["use_resource"] is not None:
            scope.set_use_resource(a["use_resource"])

    def __enter__(self) -> VariableScope:
        store = self._store
        self._old = store.current_scope
        if isinstance(self._name_or_scope, VariableScope):
            store.open_variable_scope(self._new_name)
            self._old_counts = dict(store.variable_scopes_count)
            scope = self._cached
        else:
            old = self._old
            self._new_name = (old.name + "/" + self._name_or_scope if old.name
                              else self._name_or_scope)
            # Reuse is inherited by sub-scopes; None/False never switch it off.
            self._reuse = self._reuse or old.reuse
            name_scope = (self._name_or_scope if self._old_name_scope is None
                          else self._old_name_scope)
            # TF does not inherit the constraint from the enclosing scope.
            scope = VariableScope(
                self._reuse, name=self._new_name, initializer=old.initializer,
                regularizer=old.regularizer, caching_device=old.caching_device,
                partitioner=old.partitioner, dtype=old.dtype, use_resource=old.use_resource,
                custom_getter=old.custom_getter, name_scope=name_scope,
                constraint=self._args["constraint"])
            self._apply_overrides(scope, old.custom_getter)
            store.open_variable_scope(self._new_name)
        store.current_scope = scope
        self._entered = scope
        return scope

    def __exit__(self, *exc: Any) -> None:
        store = self._store
        if store.current_scope is not self._entered:
            raise RuntimeError("Improper nesting of variable_scope.")
        if isinstance(self._name_or_scope, VariableScope):
            store.variable_scopes_count = self._old_counts
        else:
            store.close_variable_subscopes(self._new_name)
        store.current_scope = self._old


class variable_scope:  # noqa: N801 - TF's name
    """A context manager opening a variable scope (and, normally, a name scope of the same name).

    ``default_name`` is used only when ``name_or_scope`` is None, and is made unique; ``reuse``
    True / AUTO_REUSE is inherited by nested scopes, None or False inherits the outer mode.
    """

    def __init__(self, name_or_scope: Any, default_name: str | None = None, values: Any = None,
                 initializer: Any = None, regularizer: Any = None, caching_device: Any = None,
                 partitioner: Any = None, custom_getter: Any = None, reuse: Any = None,
                 dtype: Any = None, use_resource: Any = None, constraint: Any = None,
                 auxiliary_name_scope: bool = True) -> None:
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._values = list(values) if values is not None else []
        self._args = dict(initializer=initializer, regularizer=regularizer,
                          caching_device=caching_device, partitioner=partitioner,
                          custom_getter=custom_getter, dtype=dtype, use_resource=use_resource,
                          constraint=constraint)
        if self._default_name is None and self._name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        # False means the same as None here: scopes cannot switch reuse off.
        self._reuse = None if reuse is False else reuse
        if not (self._reuse is True or self._reuse is None or self._reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError(f"The auxiliary_name_scope must be `True` or `False`, while get "
                            f"{auxiliary_name_scope}")
        self._auxiliary_name_scope = auxiliary_name_scope
        self._graph = graph_of(self._values)
        self._pure: _PureScope | None = None
        self._name_scope_cm: Any = None

    def __enter__(self) -> VariableScope:
        self._graph_cm = self._graph.as_default()
        self._graph_cm.__enter__()
        try:
            if self._pure is not None:
                # Re-entering the same object re-enters the same scopes.
                if self._name_scope_cm is not None:
                    self._name_scope_cm = self._graph.name_scope(self._ns_arg)
                    self._name_scope_cm.__enter__()
                return self._pure.__enter__()
            return self._enter_uncached()
        except BaseException:
            self._graph_cm.__exit__(None, None, None)
            raise

    def _enter_uncached(self) -> VariableScope:
        g = self._graph
        current_ns: str | None = None
        if not self._auxiliary_name_scope:
            # Stay in the enclosing name scope instead of opening one.
            outer = g.get_name_scope()
            current_ns = outer + "/" if outer else ""
        nos = self._name_or_scope
        if nos is not None:
            if not isinstance(nos, (VariableScope, str)):
                raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
            ns = nos if isinstance(nos, str) else nos.name.split("/")[-1]
            if ns or current_ns is not None:
                self._ns_arg = current_ns if current_ns is not None else ns
                self._name_scope_cm = g.name_scope(self._ns_arg)
                entered_ns = self._name_scope_cm.__enter__()
                old_ns = entered_ns if isinstance(nos, str) else nos.original_name_scope
                self._pure = _PureScope(nos, self._reuse, self._args, old_ns)
            else:
                # Only entering the root scope gets here.
                self._pure = _PureScope(nos, self._reuse, self._args, None)
            return self._pure.__enter__()
        if self._reuse:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        self._ns_arg = current_ns if current_ns is not None else self._default_name
        self._name_scope_cm = g.name_scope(self._ns_arg)
        entered_ns = self._name_scope_cm.__enter__()
        unique = _unique_scope_name(self._default_name)  # type: ignore[arg-type]
        self._pure = _PureScope(unique, None, self._args, entered_ns)
        return self._pure.__enter__()

    def __exit__(self, *exc: Any) -> None:
        try:
            if self._pure is not None:
                self._pure.__exit__(*exc)
        finally:
            try:
                if self._name_scope_cm is not None:
                    self._name_scope_cm.__exit__(*exc)
            finally:
                self._graph_cm.__exit__(*exc)


def variable_op_scope(values: Any, name_or_scope: Any, default_name: str | None = None,
                      **kwargs: Any) -> variable_scope:
    """Deprecated: ``variable_scope(name_or_scope, default_name, values, ...)``."""
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)


def no_regularizer(_: Any) -> None:
    """A regularizer that adds nothing (overrides a scope's regularizer)."""
    return None


__all__ = ["AUTO_REUSE", "VariableScope", "variable_scope", "get_variable_scope",
           "get_variable", "get_local_variable", "no_regularizer", "TensorShape"]
