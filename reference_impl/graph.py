"""The dataflow graph: `Graph`, `Operation`, `Tensor`, collections and the default-graph stack.

Naming follows TF exactly: `Graph.unique_name` compares names case-insensitively and skips
suffixed names that were already taken explicitly; a name ending in ``/`` is used verbatim
(without the slash). Name scopes, control dependencies and device scopes are stacks on the graph.
"""

from __future__ import annotations

import bisect
import contextlib
import operator
import re
import sys
from typing import Any, Iterator, Sequence

from . import device as device_lib
from . import dtypes
from .should_use import unwrap
from .tensor_shape import TensorShape, as_shape

_VALID_OP_NAME_REGEX = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_VALID_SCOPE_NAME_REGEX = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class GraphKeys:
    """Standard collection names."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = GLOBAL_VARIABLES


class Tensor:
    """One output of an `Operation`. Equality is identity (TF1 behaviour)."""

    def __init__(self, op: "Operation", value_index: int, dtype: dtypes.DType,
                 shape: TensorShape) -> None:
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape

    op = property(lambda self: self._op)
    value_index = property(lambda self: self._value_index)
    dtype = property(lambda self: self._dtype)
    graph = property(lambda self: self._op.graph)
    device = property(lambda self: self._op.device)

    @property
    def name(self) -> str:
        return f"{self._op.name}:{self._value_index}"

    @property
    def shape(self) -> TensorShape:
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape: Any) -> None:
        """Refine the static shape (it must be compatible)."""
        shape = as_shape(shape)
        if not self._shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self._shape} is not compatible with supplied "
                             f"shape {shape}.")
        self._shape = self._shape.merge_with(shape)

    def consumers(self) -> list["Operation"]:
        return [op for op in self.graph.get_operations() if any(t is self for t in op.inputs)]

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """Run this tensor in ``session`` or the default session."""
        from .session import _eval_using_default_session
        return _eval_using_default_session(self, feed_dict, self.graph, session)

    def _as_graph_element(self) -> "Tensor":
        return self

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self) -> str:
        if self._shape.ndims is None:  # TF leaves an unknown shape out here (not from repr)
            return f'Tensor("{self.name}", dtype={self._dtype.name})'
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __bool__(self) -> bool:
        raise TypeError("Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. You can "
                        "attempt the following resolutions to the problem: If you are running in "
                        "Graph mode, use Eager execution mode or decorate this function with "
                        "@tf.function.")

    def __len__(self) -> int:
        raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). Please "
                        "call `x.shape` rather than `len(x)` for shape information.")

    def __iter__(self) -> Iterator[Any]:
        raise TypeError("Iterating over a symbolic `tf.Tensor` is not allowed.")

    # Operator overloads live in math_ops; this attribute makes numpy defer to them.
    __array_priority__ = 100


class Operation:
    """A node of the graph."""

    def __init__(self, graph: "Graph", op_type: str, name: str, inputs: Sequence[Tensor],
                 output_specs: Sequence[tuple[dtypes.DType, TensorShape]], attrs: dict[str, Any],
                 control_inputs: list["Operation"], device: str,
                 ref_inputs: tuple[int, ...] = ()) -> None:
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = list(inputs)
        self._outputs = [Tensor(self, i, dt, sh) for i, (dt, sh) in enumerate(output_specs)]
        self._attrs = dict(attrs)
        self._control_inputs = list(control_inputs)
        self._device = device
        # Inputs a kernel receives as a `Ref` (mutable storage) rather than a value.
        self._ref_inputs = tuple(ref_inputs)
        self._id = graph._next_id()
        self._traceback = _creation_stack()
        self._control_flow_context: Any = None

    graph = property(lambda self: self._graph)
    type = property(lambda self: self._type)
    name = property(lambda self: self._name)
    device = property(lambda self: self._device)
    outputs = property(lambda self: list(self._outputs))
    control_inputs = property(lambda self: list(self._control_inputs))

    def _frames(self) -> list[tuple[Any, int]]:
        """(code, bytecode offset) of the frames that created the op, innermost first."""
        return list(zip(self._traceback[::2], self._traceback[1::2]))

    @property
    def traceback(self) -> list[tuple[str, int, str]]:
        """(file, line, function) of the frames that created the op, outermost first (the
        innermost ones: reference_impl's and six of the caller's)."""
        return [(code.co_filename, _line_at(code, offset), code.co_name)
                for code, offset in reversed(self._frames())]

    def _user_traceback(self, limit: int) -> list[tuple[str, int, str]]:
        """The innermost ``limit`` frames of `traceback` outside reference_impl, innermost
        first (TF's "Originally defined at"); the lines of those only are looked up."""
        user = [(code, offset) for code, offset in self._frames()
                if "reference_impl" not in code.co_filename][:limit]
        return [(code.co_filename, _line_at(code, offset), code.co_name)
                for code, offset in user]

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        """The data inputs, as a tuple (what TF returns)."""
        return tuple(self._inputs)

    def values(self) -> tuple[Tensor, ...]:
        return tuple(self._outputs)

    def get_attr(self, name: str) -> Any:
        """The value of attr ``name``; a string attr as TF gives it, bytes (the graph keeps str)."""
        if name not in self._attrs:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.")
        value = self._attrs[name]
        if isinstance(value, str):
            return value.encode()
        if isinstance(value, list) and value and all(isinstance(x, str) for x in value):
            return [x.encode() for x in value]
        return value

    @property
    def node_def(self) -> dict[str, Any]:
        return {"name": self._name, "op": self._type, "input": [t.name for t in self._inputs],
                "device": self._device, "attr": dict(self._attrs)}

    def _set_device(self, device: str) -> None:
        self._device = device_lib.canonical(device)

    def colocation_groups(self) -> list[bytes]:
        """The colocation groups of the op: its ``_class`` attr's ``loc:@NAME`` entries, or its
        own group when it has none."""
        classes = self._attrs.get("_class")
        if classes:
            # (bytes as TF gives them; an imported graph's string attrs come back as str)
            groups = [c for c in (x.encode() if isinstance(x, str) else x for x in classes) if c.startswith(b"loc:@")]
            if groups:
                return groups
        return [b"loc:@" + self._name.encode()]

    def _update_input(self, index: int, tensor: Tensor) -> None:
        """Replace data input ``index`` (a conditional's branch reads its inputs through a
        Switch)."""
        self._inputs[index] = tensor

    def _add_control_input(self, op: "Operation") -> None:
        if op not in self._control_inputs:
            self._control_inputs.append(op)

    def run(self, feed_dict: Any = None, session: Any = None) -> None:
        """Run this op in ``session`` or the default session."""
        from .session import _run_using_default_session
        _run_using_default_session(self, feed_dict, self.graph, session)

    def _as_graph_element(self) -> "Operation":
        return self

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self) -> str:
        lines = [f'name: "{self._name}"', f'op: "{self._type}"']
        lines += [f'input: "{t.op.name if t.value_index == 0 else t.name}"' for t in self._inputs]
        lines += [f'input: "^{op.name}"' for op in self._control_inputs]
        if self._device:
            lines.append(f'device: "{self._device}"')
        return "\n".join(lines) + "\n"




class _Colocation:
    """`Graph.colocate_with`'s block (a class: variables and their reads enter one each, and a
    generator-based context manager costs several times as much)."""

    def __init__(self, graph: "Graph", op: Any, ignore_existing: bool) -> None:
        self._graph, self._op, self._ignore = graph, op, ignore_existing

    def __enter__(self) -> None:
        g = self._graph
        if self._op is None and not self._ignore:
            raise ValueError("Trying to reset colocation (op is None) but ignore_existing is not True")
        self._op = op = _op_to_colocate_with(self._op)
        self._devices, g._device_stack = g._device_stack, []
        self._outer = g._colocation_stack
        if self._ignore:
            g._colocation_stack = []
        if op is not None:
            g._colocation_stack.append(op)

    def __exit__(self, *exc: Any) -> None:
        g = self._graph
        g._device_stack = self._devices
        if self._op is not None:
            g._colocation_stack.pop()
        g._colocation_stack = self._outer


class _AttrScope:
    """`Graph._attr_scope_of`'s block."""

    def __init__(self, graph: "Graph", attrs: dict[str, Any]) -> None:
        self._graph, self._attrs = graph, attrs

    def __enter__(self) -> None:
        self._saved = self._graph._attr_scope
        self._graph._attr_scope = {**self._saved, **self._attrs}

    def __exit__(self, *exc: Any) -> None:
        self._graph._attr_scope = self._saved


class _DefaultGraph:
    """``Graph.as_default()``'s context manager (a class: cheaper than a generator)."""

    __slots__ = ("_graph",)

    def __init__(self, graph: "Graph") -> None:
        self._graph = graph

    def __enter__(self) -> "Graph":
        _graph_stack.append(self._graph)
        return self._graph

    def __exit__(self, *exc: Any) -> None:
        g = self._graph
        _graph_stack.remove(g) if _graph_stack[-1] is not g else _graph_stack.pop()


class _NameScope:
    """``Graph.name_scope()``'s context manager: the scope is chosen (and its name used) on
    entering, and the previous scope comes back on exit."""

    __slots__ = ("_graph", "_name", "_old")

    def __init__(self, graph: "Graph", name: str | None) -> None:
        self._graph, self._name = graph, name

    def __enter__(self) -> str:
        self._old = self._graph._name_stack
        return self._graph._enter_name_scope(self._name)

    def __exit__(self, *exc: Any) -> None:
        self._graph._name_stack = self._old


# An op keeps its creator's innermost frames: those inside reference_impl and then at most
# _USER_FRAMES more (TF's "Originally defined at" lists five), never more than _STACK_LIMIT.
_USER_FRAMES = 6
_STACK_LIMIT = 32


def _creation_stack() -> list[Any]:
    """The innermost caller frames' code and bytecode offset, innermost first, flat (``[code,
    offset, code, offset, …]``: one object to allocate per op, where a pair per frame fed the
    garbage collector). Cheap: no formatting, no source lookup (a frame's ``f_lineno`` scans its
    code's line table), so `Operation.traceback` finds the lines only when asked (`_line_at`)."""
    stack: list[Any] = []
    append = stack.append
    f = sys._getframe(2)
    user = 0
    while f is not None:  # (each test of this loop costs: ops record 10 to 20 frames)
        code = f.f_code
        append(code)
        append(f.f_lasti)
        if "reference_impl" not in code.co_filename:
            user += 1
            if user == _USER_FRAMES:
                break
        if len(stack) == 2 * _STACK_LIMIT:
            break
        f = f.f_back
    return stack


def _line_at(code: Any, offset: int) -> int:
    """The source line of the instruction at ``offset`` in ``code``: what the frame's
    ``f_lineno`` was then (-1 for an instruction without a line, as CPython says)."""
    if offset < 0:  # the frame had not started running (CPython answers its first line)
        return code.co_firstlineno
    # The ranges come in bytecode order; a bisection in C beats a Python loop over them.
    ranges = list(code.co_lines())
    i = bisect.bisect_right(ranges, offset, key=operator.itemgetter(1))
    if i == len(ranges) or ranges[i][0] > offset or ranges[i][2] is None:
        return -1
    return ranges[i][2]


class _ControlDeps:
    """One ``control_dependencies`` block: its ops, and the ops created inside it."""

    def __init__(self, control_inputs: list[Operation]) -> None:
        self.control_inputs = control_inputs
        self.created: set[int] = set()


class Graph:
    """A TensorFlow computation graph."""

    def __repr__(self) -> str:
        # TF's default object repr, which error messages quote (addresses vary by run).
        return f"<tensorflow.python.framework.ops.Graph object at {id(self):#x}>"

    def __init__(self) -> None:
        self._ops: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._name_stack = ""
        self._control_stack: list[_ControlDeps] = []
        self._device_stack: list[Any] = []  # device strings, None, device functions
        self._device_functions = 0  # how many of them are functions
        # Ops that ops created now are colocated with (colocate_with, and an op's ref inputs),
        # and attrs every op created now gets unless it has them (a variable's initializer).
        self._colocation_stack: list[Operation] = []
        self._attr_scope: dict[str, Any] = {}
        self._collections: dict[str, list[Any]] = {}
        self._finalized = False
        self._last_id = 0
        self._seed: int | None = None
        # Per-graph Python state of other modules (the variable-scope store, variable stores).
        self._state: dict[str, Any] = {}
        self._building_function = False
        # The CondContext (control_flow_ops) that ops created now belong to, if any.
        self._control_flow_context: Any = None

    # -- identity and defaults ------------------------------------------------------------
    def _next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    @property
    def seed(self) -> int | None:
        return self._seed

    @seed.setter
    def seed(self, value: int | None) -> None:
        self._seed = value

    @property
    def version(self) -> int:
        return self._last_id

    @property
    def building_function(self) -> bool:
        return False

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        """Make the graph read-only."""
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        self._finalized = False

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    def as_default(self) -> "_DefaultGraph":
        """Make this the default graph inside the block."""
        return _DefaultGraph(self)

    # -- names -------------------------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """``name`` prefixed with the name scope and made unique with ``_1``, ``_2`` …"""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count > 0:
            base = key
            # Skip suffixed names somebody already took explicitly.
            while key in self._names_in_use:
                key = f"{base}_{count}"
                count += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{count - 1}"
        return name

    def get_name_scope(self) -> str:
        return self._name_stack

    def name_scope(self, name: str | None) -> "_NameScope":
        """Open a name scope; ``"x/"`` re-enters ``x`` as is, None or ``""`` go to the root."""
        return _NameScope(self, name)

    def _enter_name_scope(self, name: str | None) -> str:
        """Validate and enter the scope ``name``; returns the scope as ``"a/b/"``."""
        if name:
            if self._name_stack:
                if not _VALID_SCOPE_NAME_REGEX.match(name):
                    raise ValueError(f"'{name}' is not a valid scope name. A scope name has to "
                                     f"match the following pattern: "
                                     f"{_VALID_SCOPE_NAME_REGEX.pattern}")
            elif not _VALID_OP_NAME_REGEX.match(name):
                raise ValueError(f"'{name}' is not a valid root scope name. A root scope name "
                                 f"has to match the following pattern: "
                                 f"{_VALID_OP_NAME_REGEX.pattern}")
        if not name:
            new, returned = "", ""
        elif name.endswith("/"):
            new, returned = name[:-1], name
        else:
            new = self.unique_name(name)
            returned = new + "/"
        self._name_stack = new
        return returned

    def _op_name(self, name: str) -> str:
        """The final name of a new op asked to be called ``name``."""
        if name.endswith("/"):
            return name[:-1]
        return self.unique_name(name)

    # -- control dependencies and devices -------------------------------------------------------
    @contextlib.contextmanager
    def control_dependencies(self, control_inputs: Any) -> Iterator[None]:
        """Ops created inside run after ``control_inputs``; None clears outer blocks (and, as
        TF, the control-flow context)."""
        if control_inputs is None:
            saved, self._control_stack = self._control_stack, []
            context, self._control_flow_context = self._control_flow_context, None
            try:
                yield
            finally:
                self._control_stack = saved
                self._control_flow_context = context
            return
        ops: list[Operation] = []
        for c in control_inputs:
            c = elem = unwrap(c)
            if hasattr(c, "_handle") and hasattr(c, "op"):
                elem = c.op  # a resource variable: its op, not a read (TF's rule)
            elif hasattr(c, "_as_graph_element") and not isinstance(c, (Tensor, Operation)):
                elem = c._as_graph_element()
            if isinstance(elem, Tensor):
                elem = elem.op
            if not isinstance(elem, Operation):
                raise TypeError(f"Can not convert a {type(c).__name__} into a Tensor or "
                                "Operation.")
            if elem not in ops:
                ops.append(elem)
            # TF 2 marks every op something is made to wait for (its MLIR bridge counts them);
            # graphs and .meta files built with it carry the attr
            elem._attrs["_has_manual_control_dependencies"] = True
        block = _ControlDeps(ops)
        self._control_stack.append(block)
        try:
            yield
        finally:
            self._control_stack.remove(block)

    def _control_inputs_for(self, input_ops: list[Operation]) -> list[Operation]:
        out: list[Operation] = []
        for block in self._control_stack:
            # An input made inside the block already depends on the block's ops.
            if any(op._id in block.created for op in input_ops):
                continue
            out.extend(c for c in block.control_inputs if c not in input_ops and c not in out)
        return out

    @contextlib.contextmanager
    def device(self, device_name_or_function: Any) -> Iterator[None]:
        """Place ops created inside on a device: a device string (merged with the scopes
        around it, the inner one winning field by field), None (the scopes around it ignored),
        or a *device function*, called with each new op (its device as the scopes inside have
        set it) and returning the op's device string."""
        spec = device_name_or_function
        if spec is not None and not isinstance(spec, str) and not callable(spec):
            spec = spec.to_string()
        if isinstance(spec, str):
            device_lib.parse(spec)  # validate early, as TF does
        self._device_stack.append(spec)
        self._device_functions += callable(spec)
        try:
            yield
        finally:
            self._device_stack.pop()
            self._device_functions -= callable(spec)

    def colocate_with(self, op: Any, ignore_existing: bool = False) -> "_Colocation":
        """Colocate the ops created inside with ``op`` (an op, a tensor or a variable): they get
        its colocation groups in their ``_class`` attr and its device, and the device scopes
        around this one do not apply. ``ignore_existing``: drop the outer colocations (``op``
        may then be None)."""
        return _Colocation(self, op, ignore_existing)

    def _attr_scope_of(self, attrs: dict[str, Any]) -> "_AttrScope":
        """Give the ops created inside ``attrs`` they do not have (TF's ``_attr_scope``)."""
        return _AttrScope(self, attrs)

    def _current_device(self) -> str:
        merged = ""
        for spec in self._device_stack:
            if not callable(spec):
                merged = "" if spec is None else device_lib.merge(merged, spec)
        return merged

    def _device_from_stack(self, op: "Operation") -> str:
        """The device of ``op`` under device functions, as TF applies its device stack: from
        the innermost scope out, a string merged in where the op's device leaves a field unset,
        a function's result replacing the device, a None scope ending the walk."""
        device = ""
        for spec in reversed(self._device_stack):
            if spec is None:
                break
            if spec == "":  # a null merge changes nothing
                continue
            if callable(spec):
                op._device = device  # what the function sees as op.device
                result = spec(op)
                device = result if isinstance(result, str) else getattr(result, "to_string", None)
                if not isinstance(device, str):
                    if device is None:
                        raise TypeError(f"Expected binary or unicode string, got {result!r}")
                    device = device()
            else:
                device = device_lib.merge(spec, device)
        return device

    # -- op creation ---------------------------------------------------------------------------
    def _create_op(self, op_type: str, inputs: Sequence[Tensor],
                   output_specs: Sequence[tuple[dtypes.DType, TensorShape]], name: str,
                   attrs: dict[str, Any] | None = None, ref_inputs: tuple[int, ...] = (),
                   control_inputs: list[Operation] | None = None) -> Operation:
        self._check_not_finalized()
        for t in inputs:
            if t._op._graph is not self:
                self._raise_foreign_input(inputs, t)
        final = self._op_name(name)
        if not _VALID_OP_NAME_REGEX.match(final):
            raise ValueError(f"`{final}` is not a valid node name. Accepted names conform to "
                             f"Regex /{_VALID_OP_NAME_REGEX!r}/")
        # Most ops are made outside any control_dependencies block or device scope.
        controls = self._control_inputs_for([t._op for t in inputs]) \
            if self._control_stack else []
        if control_inputs:
            controls += control_inputs
        attrs = attrs or {}
        if self._attr_scope or self._colocation_stack or ref_inputs:  # (most ops: none of these)
            attrs, device = self._scoped_attrs_and_device(inputs, attrs, ref_inputs)
        else:
            device = self._current_device() if self._device_stack else ""
        op = Operation(self, op_type, final, inputs, output_specs, attrs, controls,
                       device, ref_inputs)
        if self._device_functions and not (ref_inputs or self._colocation_stack):
            op._device = self._device_from_stack(op)
        self._ops[final] = op
        for block in self._control_stack:
            block.created.add(op._id)
        if self._control_flow_context is not None:
            op._control_flow_context = self._control_flow_context
            self._control_flow_context.add_op(op)
        return op

    def _scoped_attrs_and_device(self, inputs: Sequence[Tensor], attrs: dict[str, Any],
                                 ref_inputs: tuple[int, ...]) -> tuple[dict[str, Any], str]:
        """A new op's attrs and device under an attr scope and colocation: TF colocates an op
        with the variables its ref inputs are (which also sets the device scopes aside), nested
        inside any colocate_with around it."""
        if self._attr_scope:
            attrs = {**self._attr_scope, **attrs}
        colocation = self._colocation_stack
        if ref_inputs:
            colocation = colocation + [inputs[i]._op for i in ref_inputs]
        device = self._current_device() if self._device_stack and not ref_inputs else ""
        if len(colocation) == 1:  # (the usual case: one variable, one group)
            groups = colocation[0].colocation_groups()
            attrs = {**attrs, "_class": groups if len(groups) == 1 else sorted(set(groups))}
            device = colocation[0]._device or device
        elif colocation:
            attrs = {**attrs, "_class": sorted({g for c in colocation for g in c.colocation_groups()})}
            device = next((c._device for c in reversed(colocation) if c._device), device)
        return attrs, device

    def _raise_foreign_input(self, inputs: Sequence[Tensor], t: Tensor) -> None:
        """TF's error for an input ``t`` from another graph than the op's."""
        original = inputs[0] if inputs[0].graph is not t.graph else next(
            (u for u in inputs if u.graph is self), t)
        raise ValueError(f"{t} must be from the same graph as {original} (graphs are "
                         f"{t.graph} and {original.graph}).")

    # -- serialization --------------------------------------------------------------------------
    def as_graph_def(self, from_version: int | None = None, add_shapes: bool = False) -> Any:
        """The graph as a GraphDef (TF's message layout: `checkpoint.messages.GraphDef`), nodes
        in creation order; ``add_shapes`` adds each node's ``_output_shapes`` attr."""
        from .checkpoint.meta_graph import graph_def_of
        return graph_def_of(self, add_shapes)

    # -- lookup ---------------------------------------------------------------------------------
    def get_operations(self) -> list[Operation]:
        return list(self._ops.values())

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not "
                            f"{type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name: str) -> Tensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj: Any, allow_tensor: bool = True,
                         allow_operation: bool = True) -> Any:
        """The Tensor or Operation that ``obj`` (an object or a name) denotes in this graph."""
        types_str = " or ".join(
            t for t, ok in (("Tensor", allow_tensor), ("Operation", allow_operation)) if ok)
        if isinstance(obj, str):
            if ":" in obj and allow_tensor:
                op_name, _, index = obj.partition(":")
                try:
                    out_n = int(index)
                except ValueError:
                    raise ValueError(f"The name {obj!r} looks a like a Tensor name, but is not "
                                     "a valid one. Tensor names must be of the form "
                                     '"<op_name>:<output_index>".') from None
                if op_name not in self._ops:
                    raise KeyError(f"The name {obj!r} refers to a Tensor which does not exist. "
                                   f"The operation, {op_name!r}, does not exist in the graph.")
                op = self._ops[op_name]
                if out_n >= len(op._outputs):
                    raise KeyError(f"The name {obj!r} refers to a Tensor which does not exist. "
                                   f"The operation, {op_name!r}, exists but only has "
                                   f"{len(op._outputs)} outputs.")
                return op._outputs[out_n]
            if ":" in obj:
                raise ValueError(f"Name {obj!r} appears to refer to a Tensor, not a "
                                 f"{types_str}.")
            if allow_operation:
                if obj not in self._ops:
                    raise KeyError(f"The name {obj!r} refers to an Operation not in the graph.")
                return self._ops[obj]
            if obj in self._ops:
                raise ValueError(f"The name {obj!r} refers to an Operation, not a {types_str}. "
                                 'Tensor names must be of the form '
                                 '"<op_name>:<output_index>".')
            raise ValueError(f"The name {obj!r} looks like an (invalid) Operation name, not a "
                             f"{types_str}. Tensor names must be of the form "
                             '"<op_name>:<output_index>".')
        obj = elem = unwrap(obj)
        if hasattr(obj, "_as_graph_element") and not isinstance(obj, (Tensor, Operation)):
            elem = obj._as_graph_element()
        if isinstance(elem, Tensor) and allow_tensor:
            if elem.graph is not self:
                raise ValueError(f"Tensor {elem} is not an element of this graph.")
            return elem
        if isinstance(elem, Operation) and allow_operation:
            if elem.graph is not self:
                raise ValueError(f"Operation {elem!r} is not an element of this graph.")
            return elem
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {types_str}.")

    # -- collections --------------------------------------------------------------------------
    def add_to_collection(self, name: str, value: Any) -> None:
        self._check_not_finalized()
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names: Any, value: Any) -> None:
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name: str) -> list[Any]:
        return self._collections.setdefault(name, [])

    def get_collection(self, name: str, scope: str | None = None) -> list[Any]:
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        regex = re.compile(scope)
        return [i for i in items if hasattr(i, "name") and regex.match(i.name)]

    def get_all_collection_keys(self) -> list[str]:
        return [k for k, v in self._collections.items() if isinstance(v, list)]

    def clear_collection(self, name: str) -> None:
        self._check_not_finalized()
        self._collections.pop(name, None)


_default_graph = Graph()
_graph_stack: list[Graph] = []


def _op_to_colocate_with(value: Any) -> Operation | None:
    """The op ``colocate_with(value)`` means: an op itself, a tensor's op, a variable's op."""
    if value is None or isinstance(value, Operation):
        return value
    op = getattr(value, "op", None)
    if isinstance(op, Operation):
        return op
    from .op_def import convert_to_tensor

    return convert_to_tensor(value).op


def get_default_graph() -> Graph:
    """The innermost ``as_default`` graph, or the global default graph."""
    return _graph_stack[-1] if _graph_stack else _default_graph


def reset_default_graph() -> None:
    """Replace the global default graph with a new empty one."""
    global _default_graph
    if _graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    _default_graph = Graph()


class name_scope_v1:  # noqa: N801 - TF's class name (it shows in TypeErrors)
    """``tf.name_scope`` (TF1 signature): ``default_name`` is used when ``name`` is None; the
    graph of ``values`` (all from one graph) is the default graph inside."""

    def __init__(self, name: str | None, default_name: str | None = None,
                 values: Any = None) -> None:
        if not (default_name is None or isinstance(default_name, str)):
            raise TypeError(f"`default_name` type ({type(default_name)}) is not a string type. "
                            "You likely meant to pass this into the `values` kwarg.")
        self._name = default_name if name is None else name
        self._default_name = default_name
        self._values = values

    name = property(lambda self: self._name)

    def __enter__(self) -> str:
        if self._name is None and self._values is not None:
            raise ValueError(f"At least one of name ({self._name}) and default_name "
                             f"({self._default_name}) must be provided.")
        g = get_default_graph()
        self._g_manager = None
        if self._values:
            from .op_def import graph_of
            inputs_graph = graph_of(self._values)
            if inputs_graph is not g:
                g = inputs_graph
                self._g_manager = g.as_default()
                self._g_manager.__enter__()
        try:
            self._scope = g.name_scope(self._name)
            return self._scope.__enter__()
        except BaseException:
            if self._g_manager is not None:
                self._g_manager.__exit__(*sys.exc_info())
            raise

    def __exit__(self, *exc_info: Any) -> None:
        self._scope.__exit__(*exc_info)
        if self._g_manager is not None:
            self._g_manager.__exit__(*exc_info)


name_scope = name_scope_v1


def get_name_scope() -> str:
    return get_default_graph().get_name_scope()


def control_dependencies(control_inputs: Any) -> Any:
    return get_default_graph().control_dependencies(control_inputs)


def colocate_with(op: Any, ignore_existing: bool = False) -> Any:
    """`Graph.colocate_with` on the default graph."""
    return get_default_graph().colocate_with(op, ignore_existing)


def device(device_name: str | None) -> Any:
    return get_default_graph().device(device_name)


def add_to_collection(name: str, value: Any) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    get_default_graph().add_to_collections(names, value)


def get_collection(key: str, scope: str | None = None) -> list[Any]:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: str) -> list[Any]:
    return get_default_graph().get_collection_ref(key)
