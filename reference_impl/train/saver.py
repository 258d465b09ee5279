"""``tf.train.Saver`` and the checkpoint utilities of ``tf.train`` (TF1 graph mode).

A Saver adds to the graph, under a ``save`` name scope, the ops TensorFlow adds (same names,
types and wiring, so a ``.meta`` from either side reads the same):

    save/filename/input  Const "model"           save/SaveV2/tensor_names      Const [names]
    save/filename        PlaceholderWithDefault  save/SaveV2/shape_and_slices  Const ["" …]
    save/Const           PlaceholderWithDefault  save/SaveV2                   SaveV2
    save/control_dependency  Identity(save/Const) after save/SaveV2
    save/RestoreV2/…, save/RestoreV2 (on CPU:0), save/Assign, save/Assign_1 …  save/restore_all

``save`` runs ``save/control_dependency`` feeding the path to ``save/Const``; ``restore`` runs
``save/restore_all``. A sharded Saver (``sharded=True``) adds TensorFlow's sharded graph instead:
the variables grouped by device string, each group saved by its own SaveV2 (on that device's
CPU:0) to ``<prefix>_temp/part-<i>-of-<n>``, MergeV2Checkpoints merging the groups' bundles into
``<prefix>`` (``save/Identity`` returns it), and a ``restore_shard`` group per device under
``save/restore_all``. ``reshape=True`` reshapes each restored tensor to its variable's shape. The SaveV2 and RestoreV2 kernels (`reference_impl.checkpoint.kernels`)
write and read TensorFlow's V2 bundle, so checkpoints cross between the two implementations.

Retention, as TensorFlow does it: the Saver remembers up to ``max_to_keep`` checkpoints
(oldest first) and deletes the oldest one's files when a save pushes it out, unless it is due
to be kept by ``keep_checkpoint_every_n_hours``. With ``max_to_keep`` 0 or None nothing is
remembered or deleted, and the ``checkpoint`` file then lists only the latest checkpoint.
"""

from __future__ import annotations

import glob
import os
import time
from typing import Any, Iterable

import numpy as np

from .. import errors
from ..checkpoint import bundle, checkpoint_state, datatypes
from ..checkpoint import kernels as _kernels  # also registers the SaveV2 / RestoreV2 kernels
from ..checkpoint import meta_graph, text_format
from ..checkpoint.messages import CheckpointState, MetaGraphDef, SaverDef, VariableDef, check_opaque_parts

__all__ = ["Saver", "SaverDef", "CheckpointReader", "checkpoint_exists", "export_meta_graph",
           "get_checkpoint_mtimes", "get_checkpoint_state", "import_meta_graph",
           "latest_checkpoint", "list_variables", "load_checkpoint", "load_variable",
           "remove_checkpoint"]

# Op types whose outputs are variables (TensorFlow's saveable_object_util._VARIABLE_OPS).
_VARIABLE_OPS = ("Variable", "VariableV2", "AutoReloadVariable", "VarHandleOp", "ReadVariableOp")

_RESTORE_FAILED = (
    "Restoring from checkpoint failed. This is most likely due to {} from the checkpoint. "
    "Please ensure that you have not altered the graph expected based on the checkpoint. "
    "Original error:\n\n{}"
)


# --- the reference core, as the Saver sees it ------------------------------------------------
def _graph_lib():
    from .. import graph
    return graph


def _variables_lib():
    from .. import variables
    return variables


def _is_variable(x: Any) -> bool:
    try:
        return isinstance(x, _variables_lib().Variable)
    except ImportError:  # pragma: no cover - the core always has variables
        return False


def _variable_tensor(x: Any) -> Any:
    """The ref tensor a Saver saves and assigns for ``x`` (a Variable or a variable's tensor)."""
    if _is_variable(x):
        return x.op.outputs[0]
    return x


def _comes_from_variable(t: Any) -> bool:
    return hasattr(t, "op") and hasattr(t, "value_index") and t.op.type in _VARIABLE_OPS


def _is_resource_variable(x: Any) -> bool:
    """A resource variable (``use_resource=True``): saved through its read, restored with an
    ``AssignVariableOp`` on its handle (TF's ResourceVariableSaveable)."""
    return getattr(x, "_is_resource_variable", False) and hasattr(x, "handle")


def _saveable_op(x: Any) -> Any:
    """The op that names ``x`` in the checkpoint (a resource variable's ``VarHandleOp``)."""
    return x.handle.op if _is_resource_variable(x) else x.op


def _all_saveable_objects(graph: Any, scope: str | None = None) -> list:
    return (graph.get_collection("variables", scope)
            + graph.get_collection("saveable_objects", scope))


def _op_list_to_dict(var_list: Any) -> dict[str, Any]:
    """TensorFlow's ``op_list_to_dict`` + ``validate_and_slice_inputs``: checkpoint key →
    variable tensor, with TensorFlow's errors."""
    if isinstance(var_list, dict):
        out: dict[str, Any] = {}
        seen: dict[Any, str] = {}
        for name in sorted(var_list):
            t = var_list[name]
            if not _is_resource_variable(t):
                t = _variable_tensor(t)
                if not _comes_from_variable(t):
                    raise TypeError("names_to_saveables must be a dict mapping string names "
                                    f"to Tensors/Variables. Not a variable: {var_list[name]}")
            if _saveable_op(t) in seen:
                raise ValueError(f"The same saveable will be restored with two names: {name}")
            seen[_saveable_op(t)] = name
            out[name] = t
        return out
    if not isinstance(var_list, (list, tuple, set)):
        raise TypeError(f"Variables to save should be passed in a dict or a list: {var_list}")
    out = {}
    for v in sorted(var_list, key=lambda x: x.name):
        t = v if _is_resource_variable(v) else _variable_tensor(v)
        if not _is_resource_variable(t) and not _comes_from_variable(t):
            raise TypeError(f"Variable to save is not a Variable: {v}")
        name = _saveable_op(t).name
        if name in out:
            raise ValueError(f"At least two variables have the same name: {name}")
        out[name] = t
    return dict(sorted(out.items()))


def _build_saver_ops(names_to_tensors: dict[str, Any], filename: str, max_to_keep: int,
                     keep_checkpoint_every_n_hours: float, name: str | None,
                     sharded: bool = False, reshape: bool = False) -> SaverDef:
    """Add TensorFlow's save/restore subgraph; return its SaverDef."""
    from .. import array_ops

    graph = _graph_lib().get_default_graph()
    saveables = [_Saveable(key, v) for key, v in names_to_tensors.items()]
    with graph.name_scope(name or "save"):
        filename_tensor = array_ops.placeholder_with_default(
            _constant(filename, "filename/input"), shape=(), name="filename")
        # TensorFlow keeps the name "Const" for backwards compatibility.
        filename_tensor = array_ops.placeholder_with_default(filename_tensor, shape=(), name="Const")
        if sharded:
            per_device = _group_by_devices(saveables)
            save_tensor = _add_sharded_save_ops(graph, filename_tensor, per_device)
            restore_op = _add_sharded_restore_ops(graph, filename_tensor, per_device, reshape)
        else:
            save_tensor = _add_save_ops(graph, filename_tensor, saveables)
            restore_op = _add_restore_ops(graph, filename_tensor, saveables, reshape,
                                          "restore_all")
    return SaverDef(
        filename_tensor_name=filename_tensor.name,
        save_tensor_name=save_tensor.name,
        restore_op_name=restore_op.name,
        max_to_keep=max_to_keep or 0,
        sharded=sharded,
        keep_checkpoint_every_n_hours=float(keep_checkpoint_every_n_hours),
        version=SaverDef.V2,
    )


class _Saveable:
    """One variable as a Saver sees it: its checkpoint key, the tensor saved (a resource
    variable's is the read its constructor made, TF's ``_graph_element``) and its device."""

    def __init__(self, key: str, variable: Any) -> None:
        self.key = key
        self.variable = variable
        self.is_resource = _is_resource_variable(variable)
        self.tensor = variable._graph_element if self.is_resource else variable
        self.device = variable.device


def _constant(value: Any, name: str) -> Any:
    from .. import dtypes
    from ..op_def import constant
    return constant(value, dtypes.string if isinstance(value, (str, list)) else None, name=name)


def _add_save_ops(graph: Any, filename_tensor: Any, saveables: list[_Saveable]) -> Any:
    """SaveV2 of ``saveables`` at ``filename_tensor``; returns the filename after it has run."""
    from .. import array_ops
    from ..op_def import make_op

    keys = [s.key for s in saveables]
    # As TF's generated op wrappers do: the op's constant inputs inside its own name scope,
    # the op itself named after the scope ("save/SaveV2/" is used verbatim).
    with graph.name_scope("SaveV2") as scope:
        names = _constant(keys, "tensor_names")
        slices = _constant([""] * len(keys), "shape_and_slices")
        save = make_op("SaveV2", [filename_tensor, names, slices] + [s.tensor for s in saveables],
                       [], scope, {"dtypes": [s.tensor.dtype.base_dtype for s in saveables]})
    with graph.control_dependencies([save]), graph.colocate_with(filename_tensor):
        return array_ops.identity(filename_tensor, name="control_dependency")


def _add_restore_ops(graph: Any, filename_tensor: Any, saveables: list[_Saveable],
                     reshape: bool, name: str) -> Any:
    """RestoreV2 (on CPU:0) of ``saveables`` and an assignment of each; returns their group."""
    from .. import array_ops, control_flow_ops, state_ops
    from ..op_def import make_op
    from ..resource_variable_ops import _update_op
    from ..tensor_shape import TensorShape

    value_dtypes = [s.tensor.dtype.base_dtype for s in saveables]
    with graph.device("cpu:0"), graph.name_scope("RestoreV2") as scope:
        names = _constant([s.key for s in saveables], "tensor_names")
        slices = _constant([""] * len(saveables), "shape_and_slices")
        restore = make_op("RestoreV2", [filename_tensor, names, slices],
                          [(d, TensorShape(None)) for d in value_dtypes], scope,
                          {"dtypes": value_dtypes})
    assigns = []
    for saveable, value in zip(saveables, restore.outputs):
        if reshape:
            # TF's saveables reshape what they restore to the variable's shape, then assign
            # without checking shapes.
            shape = saveable.tensor.shape
            value = array_ops.reshape(value, shape.as_list() if shape.is_fully_defined()
                                      else array_ops.shape(saveable.tensor))
        v = saveable.variable
        if saveable.is_resource:
            # TF's ResourceVariableSaveable.restore: an Identity on the variable's device
            # (save/Identity, save/Identity_1 …), then AssignVariableOp (validate_shape
            # False: a checkpoint of another shape replaces the variable's value).
            with graph.device(v.device):
                value = array_ops.identity(value, name="Identity")
                assigns.append(_update_op("AssignVariableOp", v.handle, value, None,
                                          {"validate_shape": False}))
        else:
            assigns.append(state_ops.assign(
                v, value, validate_shape=not reshape and v.shape.is_fully_defined()))
    return control_flow_ops.group(*assigns, name=name)


# --- sharded savers: one bundle per device, merged --------------------------------------------
def _group_by_devices(saveables: list[_Saveable]) -> list[tuple[str, list[_Saveable]]]:
    """The saveables by canonical device, devices in sorted order (TF's ``_GroupByDevices``)."""
    from .. import device as device_lib

    per_device: dict[str, list[_Saveable]] = {}
    for saveable in saveables:
        per_device.setdefault(device_lib.canonical(saveable.device), []).append(saveable)
    return sorted(per_device.items(), key=lambda item: item[0])


def _cpu0(device: str) -> str:
    """``device`` with its type and index replaced by CPU:0 (TF's ``set_cpu0``)."""
    from .. import device as device_lib

    return device_lib.merge(device, "/device:CPU:0")


def _add_sharded_save_ops(graph: Any, checkpoint_prefix: Any,
                          per_device: list[tuple[str, list[_Saveable]]]) -> Any:
    """Each device's saveables to ``<prefix>_temp/part-<i>-of-<n>``, then MergeV2Checkpoints
    into ``<prefix>`` (the data files renamed, the temporary directory removed); returns the
    prefix once merged."""
    from .. import array_ops, dtypes
    from ..op_def import make_op
    from ..tensor_shape import TensorShape

    scalar = TensorShape([])
    with graph.device("CPU"):
        # TF's `where(regex_full_match(prefix, "^s3://.*"), ".part", "_temp/part")`: a bucket
        # on S3 needs no temporary directory.
        is_s3 = make_op("StaticRegexFullMatch", [checkpoint_prefix], [(dtypes.bool, scalar)],
                        "StaticRegexFullMatch", {"pattern": "^s3://.*"}).outputs[0]
        suffix = make_op("Select", [is_s3, _constant(".part", "Const"),
                                    _constant(os.path.normpath("_temp/part"), "Const")],
                         [(dtypes.string, scalar)], "Select",
                         {"T": dtypes.string}).outputs[0]
        tmp_prefix = make_op("StringJoin", [checkpoint_prefix, suffix], [(dtypes.string, scalar)],
                             "StringJoin",
                             {"N": 2, "separator": ""}).outputs[0]
    num_shards = _int_constant(len(per_device), "num_shards")
    shard_saves, shard_prefixes = [], []
    for shard, (device, saveables) in enumerate(per_device):
        with graph.device(_cpu0(device)):
            with graph.name_scope("ShardedFilename") as scope:
                index = _int_constant(shard, "shard")
                shard_prefix = make_op("ShardedFilename", [tmp_prefix, index, num_shards],
                                       [(dtypes.string, scalar)], scope).outputs[0]
            shard_prefixes.append(shard_prefix)
            shard_saves.append(_add_save_ops(graph, shard_prefix, saveables))
    with graph.control_dependencies([t.op for t in shard_saves]):
        with graph.device(_cpu0(per_device[-1][0])):  # beside the last device, as TF merges
            with graph.name_scope("MergeV2Checkpoints") as scope:
                prefixes = make_op("Pack", shard_prefixes,
                                   [(dtypes.string, TensorShape([len(shard_prefixes)]))],
                                   "checkpoint_prefixes",
                                   {"N": len(shard_prefixes), "T": dtypes.string, "axis": 0})
                merged = make_op("MergeV2Checkpoints", [prefixes.outputs[0], checkpoint_prefix],
                                 [], scope, {"delete_old_dirs": True,
                                             "allow_missing_files": False})
            with graph.control_dependencies([merged]):
                return array_ops.identity(checkpoint_prefix, name="Identity")


def _add_sharded_restore_ops(graph: Any, filename_tensor: Any,
                             per_device: list[tuple[str, list[_Saveable]]], reshape: bool) -> Any:
    """A ``restore_shard`` group per device (each reads the merged bundle), grouped again."""
    from .. import control_flow_ops

    shards = []
    for device, saveables in per_device:
        with graph.device(device):
            shards.append(_add_restore_ops(graph, filename_tensor, saveables, reshape,
                                           "restore_shard"))
    return control_flow_ops.group(*shards, name="restore_all")


def _int_constant(value: int, name: str) -> Any:
    from .. import dtypes
    from ..op_def import constant
    return constant(value, dtypes.int32, name=name)


def _prepend_name_scope(name: str, scope: str | None) -> str:
    if not scope:
        return name
    return f"^{scope}/{name[1:]}" if name.startswith("^") else f"{scope}/{name}"


# --- Saver ---------------------------------------------------------------------------------
class Saver:
    """Saves and restores variables (``tf.compat.v1.train.Saver``)."""

    def __init__(self, var_list: Any = None, reshape: bool = False, sharded: bool = False,
                 max_to_keep: int | None = 5, keep_checkpoint_every_n_hours: float = 10000.0,
                 name: str | None = None, restore_sequentially: bool = False,
                 saver_def: SaverDef | None = None, builder: Any = None,
                 defer_build: bool = False, allow_empty: bool = False,
                 write_version: int = SaverDef.V2, pad_step_number: bool = False,
                 save_relative_paths: bool = False, filename: str | None = None) -> None:
        if defer_build and var_list:
            raise ValueError("If `var_list` is provided then build cannot be deferred. Either "
                             "set defer_build=False or var_list=None.")
        self._var_list = var_list
        self._sharded = sharded
        self._reshape = reshape
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self.saver_def = saver_def
        self._is_built = False
        self._allow_empty = allow_empty
        self._is_empty: bool | None = None
        self._write_version = write_version
        self._pad_step_number = pad_step_number
        self._filename = filename
        self._last_checkpoints: list[tuple[str, float]] = []
        self._checkpoints_to_be_deleted: list[tuple[str, float]] = []
        self._save_relative_paths = save_relative_paths
        self._next_checkpoint_time = 0.0
        if not defer_build:
            self.build()
        if self.saver_def:
            self._check_saver_def()
            self._write_version = self.saver_def.version

    def build(self) -> None:
        """Add the save and restore ops (done by the constructor unless ``defer_build``)."""
        if self._is_built:
            return
        self._is_built = True
        if not self.saver_def:
            graph = _graph_lib().get_default_graph()
            if self._var_list is None:
                self._var_list = _all_saveable_objects(graph)
            if not self._var_list:
                if self._allow_empty:
                    self._is_empty = True
                    return
                raise ValueError("No variables to save")
            self._is_empty = False
            self.saver_def = _build_saver_ops(
                _op_list_to_dict(self._var_list), self._filename or "model", self._max_to_keep,
                self._keep_checkpoint_every_n_hours, self._name, self._sharded, self._reshape)
        elif self._name:
            sd = self.saver_def
            sd.filename_tensor_name = _prepend_name_scope(sd.filename_tensor_name, self._name)
            sd.save_tensor_name = _prepend_name_scope(sd.save_tensor_name, self._name)
            sd.restore_op_name = _prepend_name_scope(sd.restore_op_name, self._name)
        self._check_saver_def()
        self._next_checkpoint_time = (
            time.time() + self.saver_def.keep_checkpoint_every_n_hours * 3600)

    def _check_saver_def(self) -> None:
        if not isinstance(self.saver_def, SaverDef):
            raise ValueError(f"saver_def must be a saver_pb2.SaverDef: {self.saver_def}")
        if not self.saver_def.save_tensor_name:
            raise ValueError(f"saver_def must specify the save_tensor_name: {self.saver_def}")
        if not self.saver_def.restore_op_name:
            raise ValueError(f"saver_def must specify the restore_op_name: {self.saver_def}")

    def as_saver_def(self) -> SaverDef:
        return self.saver_def

    def to_proto(self, export_scope: str | None = None) -> SaverDef:
        return self.saver_def

    # -- the list of recent checkpoints ---------------------------------------------------
    @property
    def last_checkpoints(self) -> list[str]:
        """Paths of the checkpoints not yet deleted, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints: list[str]) -> None:
        """Deprecated in TF: sets the list with timestamps of now."""
        assert isinstance(last_checkpoints, list)
        self._last_checkpoints = [(s, np.inf) for s in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list) -> None:
        assert isinstance(last_checkpoints_with_time, list)
        self._last_checkpoints = last_checkpoints_with_time

    def recover_last_checkpoints(self, checkpoint_paths: Iterable[str]) -> None:
        """Take over checkpoints written earlier (e.g. by a crashed run) so that retention
        deletes them in turn; paths whose files are gone are dropped."""
        with_mtimes = []
        for path in checkpoint_paths:
            mtimes = get_checkpoint_mtimes([path])
            if mtimes:
                with_mtimes.append((path, mtimes[0]))
        self.set_last_checkpoints_with_time(with_mtimes)

    def _record_last_checkpoint(self, latest: str) -> None:
        if not self.saver_def.max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != latest]
        self._last_checkpoints.append((latest, time.time()))
        if len(self._last_checkpoints) > self.saver_def.max_to_keep:
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _maybe_delete_old_checkpoints(self, meta_graph_suffix: str = "meta") -> None:
        # One deletion per save, as TensorFlow does.
        if self._checkpoints_to_be_deleted:
            path, stamp = self._checkpoints_to_be_deleted.pop(0)
            if stamp > self._next_checkpoint_time:  # kept by keep_checkpoint_every_n_hours
                self._next_checkpoint_time += self.saver_def.keep_checkpoint_every_n_hours * 3600
                return
            remove_checkpoint(path, self.saver_def.version, meta_graph_suffix)

    # -- save / restore --------------------------------------------------------------------
    def save(self, sess: Any, save_path: str, global_step: Any = None,
             latest_filename: str | None = None, meta_graph_suffix: str = "meta",
             write_meta_graph: bool = True, write_state: bool = True,
             strip_default_attrs: bool = False, save_debug_info: bool = False) -> str | None:
        """Save the variables; return the checkpoint prefix (``save_path-<step>``)."""
        if not self._is_built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is None:
            latest_filename = checkpoint_state.LATEST_FILENAME
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        if isinstance(save_path, bytes):
            save_path = save_path.decode("utf-8")
        if not isinstance(save_path, str):
            raise TypeError(f"Expected binary or unicode string, got {save_path!r}")
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step))
            checkpoint_file = (f"{save_path}-{global_step:08d}" if self._pad_step_number
                               else f"{save_path}-{global_step}")
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:
                raise ValueError(f"'latest_filename' collides with 'save_path': "
                                 f"'{latest_filename}' and '{save_path}'")
        if not hasattr(sess, "run") or not hasattr(sess, "graph"):
            raise TypeError(f"'sess' must be a Session; {sess}")
        save_dir = os.path.dirname(save_path)
        model_checkpoint_path = None
        if not self._is_empty:
            try:
                model_checkpoint_path = sess.run(
                    self.saver_def.save_tensor_name,
                    {self.saver_def.filename_tensor_name: checkpoint_file})
            except (errors.FailedPreconditionError, errors.NotFoundError) as exc:
                if not os.path.isdir(save_dir or "."):
                    raise ValueError(f"Parent directory of {save_path} doesn't exist, can't "
                                     "save.") from exc
                raise
            if isinstance(model_checkpoint_path, (bytes, np.bytes_)):
                model_checkpoint_path = model_checkpoint_path.decode("utf-8")
            model_checkpoint_path = str(model_checkpoint_path)
            if write_state:
                self._record_last_checkpoint(model_checkpoint_path)
                state = checkpoint_state.generate_state(
                    save_dir, model_checkpoint_path, self.last_checkpoints,
                    save_relative_paths=self._save_relative_paths)
                checkpoint_state.write_state(save_dir, state, latest_filename)
                self._maybe_delete_old_checkpoints(meta_graph_suffix)
        if write_meta_graph:
            self.export_meta_graph(f"{checkpoint_file}.{meta_graph_suffix}", graph=sess.graph)
        return None if self._is_empty else model_checkpoint_path

    def restore(self, sess: Any, save_path: str | None) -> None:
        """Load the variables from the checkpoint at ``save_path`` (a prefix)."""
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        prefix = save_path.decode("utf-8") if isinstance(save_path, bytes) else str(save_path)
        if not checkpoint_exists(prefix):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {prefix}")
        try:
            sess.run(self.saver_def.restore_op_name,
                     {self.saver_def.filename_tensor_name: save_path})
        except errors.NotFoundError as err:
            raise type(err)(err.node_def, err.op, _RESTORE_FAILED.format(
                "a Variable name or other graph key that is missing", err.message)) from None
        except errors.InvalidArgumentError as err:
            raise type(err)(err.node_def, err.op, _RESTORE_FAILED.format(
                "a mismatch between the current graph and the graph", err.message)) from None

    def export_meta_graph(self, filename: str | None = None, collection_list: Any = None,
                          as_text: bool = False, export_scope: str | None = None,
                          clear_devices: bool = False, clear_extraneous_savers: bool = False,
                          strip_default_attrs: bool = False, save_debug_info: bool = False,
                          graph: Any = None) -> MetaGraphDef:
        """Write (when ``filename`` is given) and return the graph's MetaGraphDef."""
        return export_meta_graph(filename, graph=graph, saver_def=self.saver_def,
                                 collection_list=collection_list, as_text=as_text,
                                 clear_devices=clear_devices)


# --- .meta ---------------------------------------------------------------------------------
def _variable_def_bytes(v: Any) -> bytes:
    return v.to_proto().encode()


def export_meta_graph(filename: str | None = None, meta_info_def: Any = None,
                      graph_def: Any = None, saver_def: SaverDef | None = None,
                      collection_list: Any = None, as_text: bool = False,
                      graph: Any = None, export_scope: str | None = None,
                      clear_devices: bool = False, **kwargs: Any) -> MetaGraphDef:
    """``tf.train.export_meta_graph``: the MetaGraphDef of the (default) graph, written to
    ``filename`` (when given) in binary or, with ``as_text``, in text format."""
    graph = graph or _graph_lib().get_default_graph()
    mgd = meta_graph.export_meta_graph_def(graph, saver_def, _variable_def_bytes, collection_list)
    if clear_devices:
        for node in mgd.graph_def.node:
            node.device = ""
    if filename:
        # TF writes through graph_io.write_graph, which creates missing directories recursively.
        from ..graph_io import write_graph
        write_graph(mgd, os.path.dirname(filename), os.path.basename(filename), as_text)
    return mgd


def _read_meta_graph(meta_graph_or_file: Any) -> MetaGraphDef:
    if isinstance(meta_graph_or_file, MetaGraphDef):
        return meta_graph_or_file
    path = str(meta_graph_or_file)
    if not os.path.exists(path):
        raise OSError(f"File does not exist. Received: {path}.")
    with open(path, "rb") as f:
        data = f.read()
    try:
        meta_graph = MetaGraphDef.decode(data)
        check_opaque_parts(meta_graph)
        return meta_graph
    except Exception:
        pass
    # TensorFlow then tries the text format, decoding the bytes as UTF-8 first: a damaged binary
    # file usually fails there, with Python's UnicodeDecodeError, which it lets through.
    text = data.decode("utf-8")
    try:
        return text_format.parse(text, MetaGraphDef)
    except text_format.ParseError as e:
        raise OSError(f"Cannot parse file {path}: {e}.") from None


def import_meta_graph(meta_graph_or_file: Any, clear_devices: bool = False,
                      import_scope: str | None = None, **kwargs: Any) -> Saver | None:
    """Rebuild a saved graph in the default graph and return a Saver for it (None when it
    has neither a SaverDef nor variables)."""
    mgd = _read_meta_graph(meta_graph_or_file)
    graph = _graph_lib().get_default_graph()
    if clear_devices:
        for node in mgd.graph_def.node:
            node.device = ""
    meta_graph.import_graph_def(mgd.graph_def, graph, import_scope)
    _import_collections(mgd, graph, import_scope)
    if mgd.saver_def is not None:
        return Saver(saver_def=mgd.saver_def, name=import_scope)
    if _all_saveable_objects(graph, import_scope):
        return Saver()
    return None


def _variable_from_def(graph: Any, vd: VariableDef, scope: str | None) -> Any:
    """The variable a VariableDef describes, over the already imported ops: TF's
    ``Variable.from_proto`` (``ResourceVariable.from_proto`` when ``is_resource``)."""
    with graph.as_default():
        if vd.is_resource:
            from ..resource_variable_ops import ResourceVariable
            return ResourceVariable.from_proto(vd, import_scope=scope)
        return _variables_lib().Variable.from_proto(vd, import_scope=scope)


def _import_collections(mgd: MetaGraphDef, graph: Any, scope: str | None) -> None:
    # As TF's import_scoped_meta_graph: collections in sorted key order, and one Variable object
    # per serialized VariableDef, shared by every collection that lists it (global_variables()[0]
    # is trainable_variables()[0]).
    variable_objects: dict[bytes, Any] = {}
    for key, cd in sorted(mgd.collection_def.items()):
        if cd.node_list is not None:
            for name in cd.node_list.value:
                graph.add_to_collection(key, graph.as_graph_element(_prepend_name_scope(name, scope)))
        elif cd.bytes_list is not None:
            if key in meta_graph.VARIABLE_COLLECTIONS:
                for raw in cd.bytes_list.value:
                    variable = variable_objects.get(raw)
                    if variable is None:
                        variable = _variable_from_def(graph, VariableDef.decode(raw), scope)
                        variable_objects[raw] = variable
                    graph.add_to_collection(key, variable)
            else:
                for raw in cd.bytes_list.value:
                    graph.add_to_collection(key, raw)
        elif cd.int64_list is not None:
            for x in cd.int64_list.value:
                graph.add_to_collection(key, x)
        elif cd.float_list is not None:
            for x in cd.float_list.value:
                graph.add_to_collection(key, x)


# --- checkpoint files ----------------------------------------------------------------------
def get_checkpoint_state(checkpoint_dir: str, latest_filename: str | None = None) -> CheckpointState | None:
    """The ``checkpoint`` file of ``checkpoint_dir``, relative paths made absolute-ish by
    joining them to the directory; None when there is none."""
    return checkpoint_state.read_state(os.fspath(checkpoint_dir), latest_filename)


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    """Whether a V2 checkpoint (``prefix.index``) or, as TensorFlow also accepts, any file
    matching the prefix itself exists; glob patterns are allowed."""
    prefix = os.fspath(checkpoint_prefix)
    return bool(glob.glob(bundle.index_filename(prefix)) or glob.glob(prefix))


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """The prefix the ``checkpoint`` file names as latest, if its files exist."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and state.model_checkpoint_path:
        if checkpoint_exists(state.model_checkpoint_path):
            return state.model_checkpoint_path
    return None


def get_checkpoint_mtimes(checkpoint_prefixes: Iterable[str]) -> list[float]:
    """Modification times of the checkpoints' index files (missing ones are skipped)."""
    out = []
    for prefix in checkpoint_prefixes:
        for path in glob.glob(bundle.index_filename(prefix)) or glob.glob(prefix):
            out.append(os.stat(path).st_mtime)
            break
    return out


def remove_checkpoint(checkpoint_prefix: str, checkpoint_format_version: int = SaverDef.V2,
                      meta_graph_suffix: str = "meta") -> None:
    """Delete a checkpoint's ``.index``, ``.data-*`` and ``.meta`` files."""
    paths = [bundle.index_filename(checkpoint_prefix),
             f"{checkpoint_prefix}.{meta_graph_suffix}"]
    paths += glob.glob(glob.escape(checkpoint_prefix) + ".data-?????-of-?????")
    for p in paths:
        try:
            os.remove(p)
        except FileNotFoundError:
            pass


class CheckpointReader:
    """``tf.train.load_checkpoint``'s reader: tensors of a checkpoint by name."""

    def __init__(self, prefix: str) -> None:
        try:
            self._reader = _kernels.open_bundle(prefix)
        except errors.OutOfRangeError as e:  # (TF's OUT_OF_RANGE status reaches Python as IndexError)
            raise IndexError(e.message) from None
        except errors.DataLossError as e:
            # TF's py_checkpoint_reader.error_translator: only "Unable to open table file"
            # becomes DataLossError; an unrecognised text (a corrupt table) is a bare OpError.
            if "Unable to open table file" in e.message:
                raise
            raise errors.OpError(None, None, e.message, errors.UNKNOWN) from None

    def has_tensor(self, name: str) -> bool:
        return name in self._reader

    def get_tensor(self, name: str) -> Any:
        """The stored value (numpy; a scalar comes back as a numpy scalar, as in TF)."""
        if name not in self._reader:
            raise errors.NotFoundError(None, None, f"Key {name} not found in checkpoint")
        try:
            value = self._reader.read(name)
        except bundle.BundleError as e:
            # TF's C++ status reaches Python as IndexError for OUT_OF_RANGE; its other failures
            # here match none of py_checkpoint_reader.error_translator's texts: a bare OpError.
            if e.code == "OUT_OF_RANGE":
                raise IndexError(str(e)) from None
            raise errors.OpError(None, None, str(e), errors.UNKNOWN) from None
        return value[()] if value.ndim == 0 and value.dtype != object else value

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        return {k: list(self._reader.shape(k)) for k in self._reader.keys()}

    def get_variable_to_dtype_map(self) -> dict[str, Any]:
        from .. import dtypes
        return {k: dtypes.as_dtype(datatypes.name_of(self._reader.dtype(k)))
                for k in self._reader.keys()}

    def debug_string(self) -> bytes:
        lines = []
        for k in self._reader.keys():
            dt = "DT_" + datatypes.name_of(self._reader.dtype(k)).upper()
            dt = {"DT_FLOAT32": "DT_FLOAT", "DT_FLOAT64": "DT_DOUBLE",
                  "DT_FLOAT16": "DT_HALF"}.get(dt, dt)
            lines.append(f"{k} ({dt}) [{','.join(str(d) for d in self._reader.shape(k))}]\n")
        return "".join(lines).encode()


def _checkpoint_filename(ckpt_dir_or_file: str) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return latest
    return path


def load_checkpoint(ckpt_dir_or_file: str) -> CheckpointReader:
    """A reader of the checkpoint at a prefix, or of a directory's latest checkpoint."""
    return CheckpointReader(_checkpoint_filename(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file: str) -> list[tuple[str, list[int]]]:
    """``[(name, shape), …]`` of a checkpoint, sorted by name."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return [(name, shapes[name]) for name in sorted(shapes)]


def load_variable(ckpt_dir_or_file: str, name: str) -> Any:
    """One tensor of a checkpoint (a trailing ``:0`` in ``name`` is ignored, as in TF)."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
