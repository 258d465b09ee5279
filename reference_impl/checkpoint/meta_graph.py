"""The ``.meta`` file: a reference `Graph` to a binary MetaGraphDef and back.

Export turns every `Operation` into a NodeDef (``input`` lists data inputs as ``op`` /
``op:i`` and control inputs as ``^op``; every attr as an AttrValue) and adds, as TensorFlow
does, ``_output_shapes`` to each node, the SaverDef and the collections (variables as
serialized VariableDefs, graph elements as node names, numbers and strings as lists).

Import rebuilds the operations in a graph. A NodeDef does not carry its outputs' dtypes
(TensorFlow takes them from its op registry), so `output_dtypes` states the rule for the op
types that need one and otherwise uses the ``T`` or ``dtype`` attr; ``_output_shapes`` gives
the number of outputs and their static shapes.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from . import datatypes
from .messages import (
    AttrListValue,
    AttrValue,
    BytesList,
    CollectionDef,
    FloatList,
    GraphDef,
    Int64List,
    MetaGraphDef,
    MetaInfoDef,
    NodeDef,
    NodeList,
    SaverDef,
    TensorProto,
    TensorShapeProto,
    VersionDef,
)

# The GraphDef producer version TensorFlow 2.21 writes; importers check it against their
# supported range, so a plausible recent version keeps TensorFlow's importer happy.
GRAPH_DEF_PRODUCER = 2474

# Collections whose items are variables: stored as serialized VariableDef protos.
VARIABLE_COLLECTIONS = (
    "variables",
    "trainable_variables",
    "local_variables",
    "model_variables",
    "moving_average_variables",
)


# --- tensors -------------------------------------------------------------------------------
_VAL_FIELD = {
    datatypes.DT_FLOAT: "float_val",
    datatypes.DT_DOUBLE: "double_val",
    datatypes.DT_INT32: "int_val",
    datatypes.DT_INT16: "int_val",
    datatypes.DT_INT8: "int_val",
    datatypes.DT_UINT8: "int_val",
    datatypes.DT_UINT16: "int_val",
    datatypes.DT_INT64: "int64_val",
    datatypes.DT_BOOL: "bool_val",
    datatypes.DT_HALF: "half_val",
    datatypes.DT_UINT32: "uint32_val",
    datatypes.DT_UINT64: "uint64_val",
    datatypes.DT_COMPLEX64: "scomplex_val",
    datatypes.DT_COMPLEX128: "dcomplex_val",
    datatypes.DT_STRING: "string_val",
}


# The dtypes whose tensors of two or more elements TF writes as raw bytes (its
# ``_TENSOR_CONTENT_TYPES``); bool, complex, uint16 and string tensors always list their values.
_CONTENT_DTYPES = {datatypes.DT_HALF, datatypes.DT_FLOAT, datatypes.DT_DOUBLE, datatypes.DT_INT32,
                   datatypes.DT_UINT8, datatypes.DT_INT16, datatypes.DT_INT8, datatypes.DT_INT64,
                   datatypes.DT_UINT32, datatypes.DT_UINT64, datatypes.DT_BFLOAT16}


def tensor_to_proto(value: Any, dtype: int | None = None, given: Any = None) -> TensorProto:
    """A TensorProto as TensorFlow's ``make_tensor_proto`` writes one: strings in
    ``string_val``, one-element tensors and those of a dtype outside `_CONTENT_DTYPES` in the
    typed ``*_val`` field, others as raw little-endian ``tensor_content``. ``given``: the values the tensor was made from when fewer
    than its shape holds (a scalar broadcast, a short list padded with its last value), which
    TF keeps in ``*_val`` as they were given."""
    arr = np.asarray(value)
    dtype = datatypes.from_numpy(arr.dtype) if dtype is None else datatypes.base(dtype)
    proto = TensorProto(dtype=dtype, tensor_shape=TensorShapeProto.of(arr.shape))
    if given is not None:
        arr = np.asarray(given)
    if dtype == datatypes.DT_STRING:
        proto.string_val = [x.encode() if isinstance(x, str) else bytes(x) for x in arr.reshape(-1)]
    elif arr.size == 1 or given is not None or dtype not in _CONTENT_DTYPES:
        x = arr.astype(datatypes.to_numpy(dtype)).reshape(-1)
        if dtype == datatypes.DT_HALF:
            vals: list = [int(h) for h in x.view(np.uint16)]
        elif dtype in (datatypes.DT_COMPLEX64, datatypes.DT_COMPLEX128):
            vals = [float(part) for c in x for part in (c.real, c.imag)]
        else:
            vals = x.tolist()
        setattr(proto, _VAL_FIELD[dtype], vals)
    else:
        proto.tensor_content = np.ascontiguousarray(arr, datatypes.to_numpy(dtype)).tobytes()
    return proto


def tensor_from_proto(proto: TensorProto) -> np.ndarray:
    """The array a TensorProto holds (TensorFlow's ``MakeNdarray``: a short ``*_val`` list is
    padded with its last value, so one value fills the whole shape)."""
    shape = proto.tensor_shape.as_tuple() if proto.tensor_shape else ()
    np_dtype = datatypes.to_numpy(proto.dtype)
    n = int(np.prod(shape, dtype=np.int64))
    if proto.tensor_content:
        return np.frombuffer(proto.tensor_content, np_dtype).reshape(shape).copy()
    field = _VAL_FIELD[datatypes.base(proto.dtype)]
    vals = list(getattr(proto, field))
    if proto.dtype == datatypes.DT_HALF:
        flat = np.array(vals, np.uint16).view(np.float16)
    elif proto.dtype in (datatypes.DT_COMPLEX64, datatypes.DT_COMPLEX128):
        flat = np.array(vals[0::2], np.float64) + 1j * np.array(vals[1::2], np.float64)
    elif proto.dtype == datatypes.DT_STRING:
        flat = np.empty(len(vals), object)
        flat[:] = vals
    else:
        flat = np.array(vals)
    if n and len(flat) < n:
        pad = flat[-1] if len(flat) else np.zeros((), np_dtype)[()]
        flat = np.concatenate([flat, np.full(n - len(flat), pad, dtype=flat.dtype)])
    out = np.empty(shape, dtype=np_dtype)
    out.reshape(-1)[:] = flat[:n]
    return out


# --- attrs ---------------------------------------------------------------------------------
def _is_dtype(x: Any) -> bool:
    return hasattr(x, "base_dtype") and hasattr(x, "as_numpy_dtype")


def _is_shape(x: Any) -> bool:
    return hasattr(x, "as_list") and hasattr(x, "dims")


def _shape_proto(shape: Any) -> TensorShapeProto:
    return TensorShapeProto.of(None if shape.dims is None else tuple(shape.as_list()))


def attr_to_proto(value: Any) -> AttrValue:
    """An AttrValue for a Python attr value of the reference graph."""
    if _is_dtype(value):
        return AttrValue(type=datatypes.from_name(value.name))
    if _is_shape(value):
        return AttrValue(shape=_shape_proto(value))
    if isinstance(value, (np.ndarray, np.generic)):
        return AttrValue(tensor=tensor_to_proto(value))
    if isinstance(value, bool):
        return AttrValue(b=value)
    if isinstance(value, int):
        return AttrValue(i=value)
    if isinstance(value, float):
        return AttrValue(f=value)
    if isinstance(value, str):
        return AttrValue(s=value.encode("utf-8"))
    if isinstance(value, bytes):
        return AttrValue(s=value)
    if isinstance(value, (list, tuple)):
        lst = AttrListValue()
        for x in value:
            one = attr_to_proto(x)
            kind = one.which()
            getattr(lst, kind).append(getattr(one, kind))
        return AttrValue(list=lst)
    if value is None:
        return AttrValue(list=AttrListValue())
    raise TypeError(f"cannot write an attr of type {type(value).__name__}: {value!r}")


def attr_from_proto(av: AttrValue) -> Any:
    """The reference graph's Python value of an AttrValue (DType, TensorShape, ndarray …)."""
    from .. import dtypes
    from ..tensor_shape import TensorShape

    kind = av.which()
    if kind == "type":
        return dtypes.as_dtype(datatypes.name_of(av.type))
    if kind == "shape":
        return TensorShape(av.shape.as_tuple())
    if kind == "tensor":
        return tensor_from_proto(av.tensor)
    if kind == "s":
        try:
            return av.s.decode("utf-8")
        except UnicodeDecodeError:
            return av.s
    if kind in ("i", "f", "b", "placeholder"):
        return getattr(av, kind)
    if kind == "list":
        lst = av.list
        for name in ("s", "i", "f", "b", "type", "shape", "tensor"):
            items = getattr(lst, name)
            if items:
                return [attr_from_proto(AttrValue(**{name: x})) for x in items]
        return []
    if kind == "func":
        return av.func.name
    return None


# --- graph ---------------------------------------------------------------------------------
def _input_name(t: Any) -> str:
    return t.op.name if t.value_index == 0 else t.name


def node_def_of(op: Any, add_shapes: bool = True) -> NodeDef:
    """The NodeDef of one reference Operation."""
    attrs = dict(op._attrs)
    if add_shapes and op.outputs:
        attrs["_output_shapes"] = [t.shape for t in op.outputs]
    return NodeDef(
        name=op.name,
        op=op.type,
        # (TF's GraphDef lists control inputs by name, whatever the order they were added in)
        input=[_input_name(t) for t in op.inputs] + [f"^{name}" for name in sorted(c.name for c in op.control_inputs)],
        device=op.device or "",
        attr={k: _value_attr(op, attrs[k]) if k == "value" and op.type == "Const" else attr_to_proto(attrs[k])
              for k in sorted(attrs)},
    )


def _value_attr(op: Any, value: Any) -> AttrValue:
    given = getattr(op, "_given_values", None)
    return attr_to_proto(value) if given is None else AttrValue(tensor=tensor_to_proto(value, given=given))


def graph_def_of(graph: Any, add_shapes: bool = True) -> GraphDef:
    """The GraphDef of a reference Graph, nodes in creation order."""
    return GraphDef(
        node=[node_def_of(op, add_shapes) for op in graph.get_operations()],
        versions=VersionDef(producer=GRAPH_DEF_PRODUCER),
    )


def _collection_def(key: str, items: list, variable_def: Callable[[Any], bytes]) -> CollectionDef | None:
    """A CollectionDef for a collection, or None for kinds TensorFlow skips too."""
    if not items:
        return None
    if key in VARIABLE_COLLECTIONS:
        try:
            return CollectionDef(bytes_list=BytesList(value=[variable_def(v) for v in items]))
        except (AttributeError, TypeError):
            return None
    if all(hasattr(x, "graph") and hasattr(x, "name") for x in items):
        return CollectionDef(node_list=NodeList(value=[x.name for x in items]))
    if all(isinstance(x, (bytes, str)) for x in items):
        return CollectionDef(bytes_list=BytesList(
            value=[x.encode() if isinstance(x, str) else x for x in items]))
    if all(isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in items):
        return CollectionDef(int64_list=Int64List(value=[int(x) for x in items]))
    if all(isinstance(x, (float, np.floating)) for x in items):
        return CollectionDef(float_list=FloatList(value=[float(x) for x in items]))
    return None  # TensorFlow logs "Issue encountered when serializing …" and skips it


def export_meta_graph_def(
    graph: Any,
    saver_def: SaverDef | None,
    variable_def: Callable[[Any], bytes],
    collection_list: Iterable[str] | None = None,
) -> MetaGraphDef:
    """The MetaGraphDef of ``graph``: nodes with ``_output_shapes``, the saver, collections
    (sorted by key, as TensorFlow writes them); ``variable_def`` serializes a variable."""
    keys = sorted(graph.get_all_collection_keys() if collection_list is None else collection_list)
    collections = {}
    for key in keys:
        cd = _collection_def(key, graph.get_collection(key), variable_def)
        if cd is not None:
            collections[key] = cd
    return MetaGraphDef(
        meta_info_def=MetaInfoDef(meta_graph_version="",
                                  tensorflow_version="", tensorflow_git_version=""),
        graph_def=graph_def_of(graph),
        saver_def=saver_def,
        collection_def=collections,
    )


# Output dtypes of op types whose outputs are not simply ``T`` or ``dtype`` (as enum names).
_REF = datatypes.REF_OFFSET


def output_dtypes(op_type: str, attrs: dict[str, AttrValue], n: int | None) -> list[int]:
    """DataType enums of an op's outputs, from its type and attrs (the op registry's role)."""
    def t(name: str) -> int:
        return attrs[name].type

    if op_type in ("VariableV2", "Variable", "TemporaryVariable"):
        types = [t("dtype") + _REF]
    elif op_type in ("Assign", "AssignAdd", "AssignSub") or op_type.startswith(("Apply", "Scatter")):
        types = [t("T") + _REF]
    elif op_type in ("SaveV2", "Save", "NoOp", "MergeV2Checkpoints"):
        types = []
    elif op_type == "RestoreV2":
        types = list(attrs["dtypes"].list.type)
    elif op_type in ("StringJoin", "ShardedFilename"):
        types = [datatypes.DT_STRING]
    elif op_type in ("IsVariableInitialized", "StaticRegexFullMatch", "Equal", "NotEqual", "Less", "LessEqual",
                     "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot",
                     "IsNan", "IsInf", "IsFinite"):
        types = [datatypes.DT_BOOL]
    elif op_type in ("Shape", "Size") and "out_type" in attrs:
        types = [t("out_type")]
    elif op_type == "Rank":
        types = [datatypes.DT_INT32]
    elif op_type == "Cast":
        types = [t("DstT")]
    elif op_type in ("ArgMax", "ArgMin"):
        types = [t("output_type")]
    elif "T" in attrs and attrs["T"].which() == "type":
        types = [t("T")]
    elif "dtype" in attrs and attrs["dtype"].which() == "type":
        types = [t("dtype")]
    else:
        types = []
    if n is not None and len(types) != n:
        types = (types[:1] or [datatypes.DT_FLOAT]) * n  # e.g. Split: n outputs of type T
    return types


def ref_input_indices(op_type: str, input_is_ref: list[bool]) -> tuple[int, ...]:
    """Which inputs an op takes by reference: the ref-typed inputs of ops that mutate
    (Assign*, Apply*, Scatter*) or inspect (IsVariableInitialized) a variable's storage."""
    mutating = op_type in ("Assign", "AssignAdd", "AssignSub", "IsVariableInitialized",
                           "CountUpTo") or op_type.startswith(("Apply", "Scatter"))
    return tuple(i for i, r in enumerate(input_is_ref) if r and mutating)


def import_graph_def(graph_def: GraphDef, graph: Any, import_scope: str | None = None) -> dict[str, Any]:
    """Recreate ``graph_def``'s nodes in ``graph`` (names prefixed by ``import_scope/``);
    return the new operations by their NodeDef names. Nodes may come in any order."""
    from .. import dtypes
    from ..tensor_shape import TensorShape

    prefix = f"{import_scope}/" if import_scope else ""
    nodes = {n.name: n for n in graph_def.node}
    created: dict[str, Any] = {}

    def source(name: str) -> str:
        return name.lstrip("^").split(":")[0]

    def build(node: NodeDef) -> None:
        inputs, controls = [], []
        for name in node.input:
            op = created[source(name)]
            if name.startswith("^"):
                controls.append(op)
            else:
                index = int(name.split(":")[1]) if ":" in name else 0
                inputs.append(op.outputs[index])
        shapes_av = node.attr.get("_output_shapes")
        shapes = [TensorShape(s.as_tuple()) for s in shapes_av.list.shape] if shapes_av else None
        types = output_dtypes(node.op, node.attr, None if shapes is None else len(shapes))
        if shapes is None:
            shapes = [TensorShape(None)] * len(types)
        specs = [(dtypes.as_dtype(datatypes.name_of(e)), s) for e, s in zip(types, shapes)]
        attrs = {k: attr_from_proto(v) for k, v in node.attr.items() if k != "_output_shapes"}
        refs = ref_input_indices(node.op, [t.dtype.is_ref_dtype for t in inputs])
        name = prefix + node.name
        with graph.as_default(), graph.name_scope(None):
            if graph.unique_name(name) != name:
                raise ValueError(f"Duplicate node name in graph: '{name}'")
            op = graph._create_op(node.op, inputs, specs, name + "/", attrs, refs, controls)
        if node.device:
            op._set_device(node.device)
        created[node.name] = op

    # Depth-first so that every input exists before its consumer, whatever the order.
    visiting: set[str] = set()
    for root in nodes:
        stack = [root]
        while stack:
            name = stack[-1]
            if name in created:
                stack.pop()
                continue
            missing = [source(i) for i in nodes[name].input if source(i) not in created]
            if not missing:
                build(nodes[name])
                stack.pop()
                continue
            if name in visiting:
                raise ValueError(f"Graph has a cycle through node '{name}'")
            visiting.add(name)
            for m in missing:
                if m not in nodes:
                    raise ValueError(f"Node '{name}': Unknown input node '{m}'")
                stack.append(m)
    for name in created:  # once every op exists, TF's importer reads each one's colocation names
        _check_colocation_names(nodes[name])
    return created


def _check_colocation_names(node: NodeDef) -> None:
    """TF's importer decodes every ``_class`` value (``loc:@op``) with ``compat.as_str``: one
    that is not UTF-8 raises its UnicodeDecodeError."""
    classes = node.attr.get("_class")
    if classes is not None and classes.list is not None:
        for value in classes.list.s:
            value.decode("utf-8")
