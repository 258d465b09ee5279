"""The TensorFlow protocol-buffer messages a checkpoint uses, as `proto.Message` schemas.

Field numbers and types are those of TensorFlow's ``.proto`` files (all proto3):
``framework/{versions,tensor_shape,tensor_slice,tensor,attr_value,node_def,graph,variable}.proto``,
``protobuf/{tensor_bundle,saver,meta_graph}.proto`` and ``python/training/checkpoint_state.proto``.
Nested messages get a prefixed name (``TensorShapeProto.Dim`` → `TensorShapeDim`), since class
names resolve through one registry. Messages a checkpoint only carries along (function
libraries, op lists, signatures) are kept as opaque bytes; the op list and a node's full type and
debug information are parsed once more on reading, only to fail where protobuf, which knows
every field, fails to parse a damaged file (`check_opaque_parts`).
"""

from __future__ import annotations

from .proto import Field as F
from .proto import Message


# --- framework/versions.proto ------------------------------------------------------------
class VersionDef(Message):
    FIELDS = (
        F(1, "producer", "int32"),
        F(2, "min_consumer", "int32"),
        F(3, "bad_consumers", "int32", repeated=True),
    )


# --- framework/tensor_shape.proto ---------------------------------------------------------
class TensorShapeDim(Message):
    FIELDS = (F(1, "size", "int64"), F(2, "name", "string"))


class TensorShapeProto(Message):
    FIELDS = (
        F(2, "dim", "message", repeated=True, message="TensorShapeDim"),
        F(3, "unknown_rank", "bool"),
    )

    @classmethod
    def of(cls, shape: tuple[int | None, ...] | None) -> "TensorShapeProto":
        """From a Python shape; None dims are -1 (unknown), a None shape is unknown rank."""
        if shape is None:
            return cls(unknown_rank=True)
        return cls(dim=[TensorShapeDim(size=-1 if d is None else int(d)) for d in shape])

    def as_tuple(self) -> tuple[int | None, ...] | None:
        """The inverse of `of`."""
        if self.unknown_rank:
            return None
        return tuple(None if d.size == -1 else d.size for d in self.dim)


# --- framework/tensor_slice.proto ---------------------------------------------------------
class TensorSliceExtent(Message):
    # ``length`` sits in a oneof (has_length) so that "absent" means "the whole dimension".
    FIELDS = (F(1, "start", "int64"), F(2, "length", "int64", presence=True))


class TensorSliceProto(Message):
    FIELDS = (F(1, "extent", "message", repeated=True, message="TensorSliceExtent"),)


# --- protobuf/tensor_bundle.proto ---------------------------------------------------------
class BundleHeaderProto(Message):
    LITTLE, BIG = 0, 1
    FIELDS = (
        F(1, "num_shards", "int32"),
        F(2, "endianness", "enum", enum="Endianness"),
        F(3, "version", "message", message="VersionDef"),
    )


class BundleEntryProto(Message):
    FIELDS = (
        F(1, "dtype", "enum", enum="DataType"),
        F(2, "shape", "message", message="TensorShapeProto"),
        F(3, "shard_id", "int32"),
        F(4, "offset", "int64"),
        F(5, "size", "int64"),
        F(6, "crc32c", "fixed32"),
        F(7, "slices", "message", repeated=True, message="TensorSliceProto"),
    )


# --- framework/tensor.proto ---------------------------------------------------------------
class TensorProto(Message):
    FIELDS = (
        F(1, "dtype", "enum", enum="DataType"),
        F(2, "tensor_shape", "message", message="TensorShapeProto"),
        F(3, "version_number", "int32"),
        F(4, "tensor_content", "bytes"),
        F(13, "half_val", "int32", repeated=True),
        F(5, "float_val", "float", repeated=True),
        F(6, "double_val", "double", repeated=True),
        F(7, "int_val", "int32", repeated=True),
        F(8, "string_val", "bytes", repeated=True),
        F(9, "scomplex_val", "float", repeated=True),
        F(10, "int64_val", "int64", repeated=True),
        F(11, "bool_val", "bool", repeated=True),
        F(12, "dcomplex_val", "double", repeated=True),
        F(14, "resource_handle_val", "bytes", repeated=True),
        F(15, "variant_val", "bytes", repeated=True),
        F(16, "uint32_val", "uint32", repeated=True),
        F(17, "uint64_val", "uint64", repeated=True),
        F(18, "float8_val", "bytes"),
    )


# --- framework/attr_value.proto -----------------------------------------------------------
class AttrListValue(Message):
    FIELDS = (
        F(2, "s", "bytes", repeated=True),
        F(3, "i", "int64", repeated=True),
        F(4, "f", "float", repeated=True),
        F(5, "b", "bool", repeated=True),
        F(6, "type", "enum", repeated=True, enum="DataType"),
        F(7, "shape", "message", repeated=True, message="TensorShapeProto"),
        F(8, "tensor", "message", repeated=True, message="TensorProto"),
        F(9, "func", "message", repeated=True, message="NameAttrList"),
    )


class AttrValue(Message):
    # All members of the oneof ``value``: set means written, even b=False or i=0.
    FIELDS = (
        F(1, "list", "message", message="AttrListValue"),
        F(2, "s", "bytes", presence=True),
        F(3, "i", "int64", presence=True),
        F(4, "f", "float", presence=True),
        F(5, "b", "bool", presence=True),
        F(6, "type", "enum", presence=True, enum="DataType"),
        F(7, "shape", "message", message="TensorShapeProto"),
        F(8, "tensor", "message", message="TensorProto"),
        F(9, "placeholder", "string", presence=True),
        F(10, "func", "message", message="NameAttrList"),
    )

    def which(self) -> str | None:
        """The name of the oneof member that is set, or None."""
        for f in self.FIELDS:
            if getattr(self, f.name) is not None:
                return f.name
        return None


class NameAttrList(Message):
    FIELDS = (
        F(1, "name", "string"),
        F(2, "attr", "map", message="AttrValue"),
    )


# --- framework/node_def.proto, graph.proto ------------------------------------------------
class NodeDef(Message):
    FIELDS = (
        F(1, "name", "string"),
        F(2, "op", "string"),
        F(3, "input", "string", repeated=True),
        F(4, "device", "string"),
        F(5, "attr", "map", message="AttrValue"),
        F(6, "experimental_debug_info", "bytes", presence=True, opaque="NodeDebugInfo"),
        F(7, "experimental_type", "bytes", presence=True, opaque="FullTypeDef"),
    )


class GraphDef(Message):
    FIELDS = (
        F(1, "node", "message", repeated=True, message="NodeDef"),
        F(2, "library", "bytes", presence=True, opaque=""),  # FunctionDefLibrary, carried opaque
        F(3, "version", "int32"),  # deprecated; `versions` replaces it
        F(4, "versions", "message", message="VersionDef"),
        F(5, "debug_info", "bytes", presence=True, opaque=""),
    )


# --- framework/variable.proto -------------------------------------------------------------
class VariableDef(Message):
    """What the ``variables`` collections of a .meta hold, one serialized VariableDef each."""

    FIELDS = (
        F(1, "variable_name", "string"),
        F(2, "initializer_name", "string"),
        F(3, "snapshot_name", "string"),
        F(4, "save_slice_info_def", "bytes", presence=True, opaque=""),
        F(5, "is_resource", "bool"),
        F(6, "initial_value_name", "string"),
        F(7, "trainable", "bool"),
        F(8, "synchronization", "enum", enum="VariableSynchronization"),
        F(9, "aggregation", "enum", enum="VariableAggregation"),
    )


# --- protobuf/saver.proto -----------------------------------------------------------------
class SaverDef(Message):
    LEGACY, V1, V2 = 0, 1, 2
    FIELDS = (
        F(1, "filename_tensor_name", "string"),
        F(2, "save_tensor_name", "string"),
        F(3, "restore_op_name", "string"),
        F(4, "max_to_keep", "int32"),
        F(5, "sharded", "bool"),
        F(6, "keep_checkpoint_every_n_hours", "float"),
        F(7, "version", "enum", enum="CheckpointFormatVersion"),
    )


# --- protobuf/meta_graph.proto ------------------------------------------------------------
class AnyProto(Message):
    """google.protobuf.Any."""

    FIELDS = (F(1, "type_url", "string"), F(2, "value", "bytes"))


class MetaInfoDef(Message):
    FIELDS = (
        F(1, "meta_graph_version", "string"),
        F(2, "stripped_op_list", "bytes", presence=True, opaque="OpList"),  # OpList, carried opaque
        F(3, "any_info", "message", message="AnyProto"),
        F(4, "tags", "string", repeated=True),
        F(5, "tensorflow_version", "string"),
        F(6, "tensorflow_git_version", "string"),
        F(7, "stripped_default_attrs", "bool"),
        F(8, "function_aliases", "map", map_value="string"),
    )


class NodeList(Message):
    FIELDS = (F(1, "value", "string", repeated=True),)


class BytesList(Message):
    FIELDS = (F(1, "value", "bytes", repeated=True),)


class Int64List(Message):
    FIELDS = (F(1, "value", "int64", repeated=True),)


class FloatList(Message):
    FIELDS = (F(1, "value", "float", repeated=True),)


class AnyList(Message):
    FIELDS = (F(1, "value", "message", repeated=True, message="AnyProto"),)


class CollectionDef(Message):
    # A oneof ``kind``: exactly one list is set.
    FIELDS = (
        F(1, "node_list", "message", message="NodeList"),
        F(2, "bytes_list", "message", message="BytesList"),
        F(3, "int64_list", "message", message="Int64List"),
        F(4, "float_list", "message", message="FloatList"),
        F(5, "any_list", "message", message="AnyList"),
    )


class MetaGraphDef(Message):
    FIELDS = (
        F(1, "meta_info_def", "message", message="MetaInfoDef"),
        F(2, "graph_def", "message", message="GraphDef"),
        F(3, "saver_def", "message", message="SaverDef"),
        F(4, "collection_def", "map", message="CollectionDef"),
        F(5, "signature_def", "map", map_value="bytes", opaque=""),  # SignatureDef, carried opaque
        F(6, "asset_file_def", "bytes", repeated=True, opaque=""),
        F(7, "object_graph_def", "bytes", presence=True, opaque=""),
    )


# --- framework/{op_def,full_type,resource_handle}.proto, node_def.proto's debug info: parsed only
# to check a file the way protobuf's parser would (`check_opaque_parts`) -------------------------
class OpList(Message):
    FIELDS = (F(1, "op", "message", repeated=True, message="OpDef"),)


class OpDef(Message):
    FIELDS = (
        F(1, "name", "string"),
        F(2, "input_arg", "message", repeated=True, message="OpDefArgDef"),
        F(3, "output_arg", "message", repeated=True, message="OpDefArgDef"),
        F(20, "control_output", "string", repeated=True),
        F(4, "attr", "message", repeated=True, message="OpDefAttrDef"),
        F(8, "deprecation", "message", message="OpDeprecation"),
        F(5, "summary", "string"),
        F(6, "description", "string"),
        F(18, "is_commutative", "bool"),
        F(16, "is_aggregate", "bool"),
        F(17, "is_stateful", "bool"),
        F(19, "allows_uninitialized_input", "bool"),
        F(21, "is_distributed_communication", "bool"),
    )


class OpDefArgDef(Message):
    FIELDS = (
        F(1, "name", "string"),
        F(2, "description", "string"),
        F(3, "type", "enum", enum="DataType"),
        F(4, "type_attr", "string"),
        F(5, "number_attr", "string"),
        F(6, "type_list_attr", "string"),
        F(7, "handle_data", "message", repeated=True, message="DtypeAndShape"),
        F(16, "is_ref", "bool"),
        F(17, "experimental_full_type", "message", message="FullTypeDef"),
    )


class OpDefAttrDef(Message):
    FIELDS = (
        F(1, "name", "string"),
        F(2, "type", "string"),
        F(3, "default_value", "message", message="AttrValue"),
        F(4, "description", "string"),
        F(5, "has_minimum", "bool"),
        F(6, "minimum", "int64"),
        F(7, "allowed_values", "message", message="AttrValue"),
    )


class OpDeprecation(Message):
    FIELDS = (F(1, "version", "int32"), F(2, "explanation", "string"))


class DtypeAndShape(Message):
    FIELDS = (F(1, "dtype", "enum", enum="DataType"), F(2, "shape", "message", message="TensorShapeProto"))


class FullTypeDef(Message):
    FIELDS = (
        F(1, "type_id", "enum", enum="FullTypeId"),
        F(2, "args", "message", repeated=True, message="FullTypeDef"),
        F(3, "s", "string", presence=True),
        F(4, "i", "int64", presence=True),
    )


class NodeDebugInfo(Message):
    FIELDS = (F(1, "original_node_names", "string", repeated=True),
              F(2, "original_func_names", "string", repeated=True))


def check_opaque_parts(meta_graph: MetaGraphDef) -> None:
    """Parse the parts of a decoded MetaGraphDef kept as opaque bytes with their schemas, so that
    a damaged one fails the parse of the file as in protobuf (raises `ValueError`)."""
    info = meta_graph.meta_info_def
    if info is not None and info.stripped_op_list is not None:
        OpList.decode(info.stripped_op_list)
    for node in meta_graph.graph_def.node if meta_graph.graph_def is not None else ():
        if node.experimental_type is not None:
            FullTypeDef.decode(node.experimental_type)
        if node.experimental_debug_info is not None:
            NodeDebugInfo.decode(node.experimental_debug_info)


# --- python/training/checkpoint_state.proto -----------------------------------------------
class CheckpointState(Message):
    """The ``checkpoint`` file's message (stored as text format; see `checkpoint_state`)."""

    FIELDS = (
        F(1, "model_checkpoint_path", "string"),
        F(2, "all_model_checkpoint_paths", "string", repeated=True),
        F(3, "all_model_checkpoint_timestamps", "double", repeated=True),
        F(4, "last_preserved_timestamp", "double"),
    )
