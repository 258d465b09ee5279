"""The reference ``train.Saver`` and checkpoint utilities (no tensorflow needed).

Expected behaviour is TensorFlow 2.21's in TF1 mode, observed with the probes recorded in the
messages below (retention, the ``checkpoint`` file, errors and their texts).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("reference_impl.variables")
pytest.importorskip("reference_impl.session")

from reference_impl import errors, graph, session, variables  # noqa: E402
from reference_impl.checkpoint import bundle, checkpoint_state  # noqa: E402
from reference_impl.checkpoint.messages import MetaGraphDef  # noqa: E402
from reference_impl.train import saver as S  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_graph():
    graph.reset_default_graph()
    yield
    graph.reset_default_graph()


def _two_vars():
    v1 = variables.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="v1")
    v2 = variables.Variable(np.int64(7), name="v2")
    return v1, v2


def _session():
    sess = session.Session()
    sess.run(variables.global_variables_initializer())
    return sess


def test_saver_ops_have_tf_names():
    _two_vars()
    sv = S.Saver()
    names = [op.name for op in graph.get_default_graph().get_operations()][8:]
    assert names == [
        "save/filename/input", "save/filename", "save/Const", "save/SaveV2/tensor_names",
        "save/SaveV2/shape_and_slices", "save/SaveV2", "save/control_dependency",
        "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices", "save/RestoreV2",
        "save/Assign", "save/Assign_1", "save/restore_all"]
    sd = sv.as_saver_def()
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name) == (
        "save/Const:0", "save/control_dependency:0", "save/restore_all")
    assert (sd.max_to_keep, sd.keep_checkpoint_every_n_hours, sd.version) == (5, 10000.0, 2)


def test_save_with_global_step_file_set_and_retention(tmp_path):
    _two_vars()
    sv = S.Saver(max_to_keep=2)
    sess = _session()
    d = str(tmp_path)
    paths = [sv.save(sess, f"{d}/model", global_step=i) for i in range(3)]
    assert paths == [f"{d}/model-{i}" for i in range(3)]
    assert sorted(os.listdir(d)) == ["checkpoint"] + [
        f"model-{i}{s}" for i in (1, 2) for s in (".data-00000-of-00001", ".index", ".meta")]
    assert (tmp_path / "checkpoint").read_text() == (
        f'model_checkpoint_path: "{d}/model-2"\n'
        f'all_model_checkpoint_paths: "{d}/model-1"\n'
        f'all_model_checkpoint_paths: "{d}/model-2"\n')
    assert sv.last_checkpoints == [f"{d}/model-1", f"{d}/model-2"]
    assert S.latest_checkpoint(d) == f"{d}/model-2"
    assert S.get_checkpoint_state(d).all_model_checkpoint_paths == sv.last_checkpoints


@pytest.mark.parametrize("max_to_keep", [0, None])
def test_max_to_keep_zero_or_none_keeps_all_files_but_lists_only_latest(tmp_path, max_to_keep):
    _two_vars()
    sv = S.Saver(max_to_keep=max_to_keep)
    sess = _session()
    d = str(tmp_path)
    for i in range(3):
        sv.save(sess, f"{d}/m", global_step=i, write_meta_graph=False)
    assert sorted(os.listdir(d)) == ["checkpoint"] + [
        f"m-{i}{s}" for i in range(3) for s in (".data-00000-of-00001", ".index")]
    assert (tmp_path / "checkpoint").read_text() == (
        f'model_checkpoint_path: "{d}/m-2"\nall_model_checkpoint_paths: "{d}/m-2"\n')
    assert sv.last_checkpoints == []


def test_keep_checkpoint_every_n_hours_spares_the_due_checkpoint(tmp_path):
    _two_vars()
    sv = S.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=0.0)
    sess = _session()
    for i in range(3):
        sv.save(sess, f"{tmp_path}/m", global_step=i, write_meta_graph=False)
    # Every pushed-out checkpoint is "due" (0 hours), so none is deleted.
    assert sorted(p for p in os.listdir(tmp_path) if p.endswith(".index")) == [
        "m-0.index", "m-1.index", "m-2.index"]


def test_recover_last_checkpoints_drops_missing_and_resumes_deletion(tmp_path):
    _two_vars()
    sess = _session()
    first = S.Saver(max_to_keep=5)
    d = str(tmp_path)
    for i in range(2):
        first.save(sess, f"{d}/m", global_step=i, write_meta_graph=False)
    second = S.Saver(max_to_keep=2)
    second.recover_last_checkpoints([f"{d}/m-0", f"{d}/m-1", f"{d}/gone"])
    assert second.last_checkpoints == [f"{d}/m-0", f"{d}/m-1"]
    second.save(sess, f"{d}/m", global_step=2, write_meta_graph=False)
    assert not os.path.exists(f"{d}/m-0.index") and os.path.exists(f"{d}/m-1.index")


def test_restore_latest_and_explicit(tmp_path):
    v1, v2 = _two_vars()
    sv = S.Saver()
    sess = _session()
    path = sv.save(sess, f"{tmp_path}/model")
    sess.run([v1.assign(np.zeros((2, 3), np.float32)), v2.assign(np.int64(0))])
    sv.restore(sess, S.latest_checkpoint(str(tmp_path)))
    assert sess.run(v1).tolist() == [[0, 1, 2], [3, 4, 5]] and sess.run(v2) == 7
    sv.restore(sess, path)


def test_var_list_dict_list_and_op_names(tmp_path):
    v1, v2 = _two_vars()
    sess = _session()
    S.Saver({"a": v1, "b": v2}).save(sess, f"{tmp_path}/d", write_meta_graph=False)
    S.Saver([v2]).save(sess, f"{tmp_path}/l", write_meta_graph=False)
    S.Saver({v.op.name: v for v in [v1]}).save(sess, f"{tmp_path}/n", write_meta_graph=False)
    assert S.list_variables(f"{tmp_path}/d") == [("a", [2, 3]), ("b", [])]
    assert S.list_variables(f"{tmp_path}/l") == [("v2", [])]
    assert S.list_variables(f"{tmp_path}/n") == [("v1", [2, 3])]
    # Restoring into a fresh graph under other names.
    graph.reset_default_graph()
    w = variables.Variable(np.zeros((2, 3), np.float32), name="w")
    sess = session.Session()
    S.Saver({"a": w}).restore(sess, f"{tmp_path}/d")
    assert sess.run(w).tolist() == [[0, 1, 2], [3, 4, 5]]


def test_saver_construction_errors():
    with pytest.raises(ValueError, match="^No variables to save$"):
        S.Saver()
    v1, v2 = _two_vars()
    with pytest.raises(ValueError, match="^The same saveable will be restored with two names: b$"):
        S.Saver({"a": v1, "b": v1})
    with pytest.raises(ValueError, match="^At least two variables have the same name: v1$"):
        S.Saver([v1, v1])
    c = graph.get_default_graph().get_tensor_by_name("v1/initial_value:0")
    with pytest.raises(TypeError, match="^Variable to save is not a Variable: "):
        S.Saver([c])
    with pytest.raises(TypeError, match="names_to_saveables must be a dict mapping string names"):
        S.Saver({"a": c})


def test_restore_errors(tmp_path):
    v1, v2 = _two_vars()
    sess = _session()
    sv = S.Saver()
    with pytest.raises(ValueError, match="^Can't load save_path when it is None.$"):
        sv.restore(sess, None)
    with pytest.raises(ValueError, match="^The passed save_path is not a valid checkpoint: "):
        sv.restore(sess, f"{tmp_path}/nothing")
    S.Saver([v1]).save(sess, f"{tmp_path}/only_v1", write_meta_graph=False)
    with pytest.raises(errors.NotFoundError) as e:
        sv.restore(sess, f"{tmp_path}/only_v1")
    assert e.value.message.startswith(
        "Restoring from checkpoint failed. This is most likely due to a Variable name or other "
        "graph key that is missing from the checkpoint.")
    assert "Key v2 not found in checkpoint" in e.value.message
    graph.reset_default_graph()
    v1 = variables.Variable(np.zeros(4, np.float32), name="v1")
    sess = _session()
    with pytest.raises(errors.InvalidArgumentError) as e:
        S.Saver().restore(sess, f"{tmp_path}/only_v1")
    assert "due to a mismatch between the current graph and the graph" in e.value.message
    assert "Assign requires shapes of both tensors to match. lhs shape= [4] rhs shape= [2,3]" \
        in e.value.message.replace(", ", ",")
    graph.reset_default_graph()
    variables.Variable(np.zeros((2, 3), np.int32), name="v1")
    sess = _session()
    with pytest.raises(errors.InvalidArgumentError, match="tensor_name = v1; expected dtype "
                       "int32 does not equal original dtype float"):
        S.Saver().restore(sess, f"{tmp_path}/only_v1")


def test_parent_directory_is_created_as_tf_2_21_does(tmp_path):
    _two_vars()
    sess = _session()
    path = S.Saver().save(sess, f"{tmp_path}/new/model", write_meta_graph=False)
    assert os.path.exists(f"{path}.index")


def test_only_one_missing_directory_level_is_created(tmp_path):
    # TF 2.21's BundleWriter calls CreateDir (not RecursivelyCreateDir): with two levels
    # missing SaveV2 fails with NotFound, which Saver.save turns into the parent-directory error.
    _two_vars()
    sess = _session()
    with pytest.raises(ValueError, match=r"^Parent directory of .*/a/b/model doesn't exist, can't save\.$"):
        S.Saver().save(sess, f"{tmp_path}/a/b/model")
    assert os.listdir(tmp_path) == []


def test_a_file_in_the_way_of_the_directory(tmp_path):
    _two_vars()
    sess = _session()
    (tmp_path / "blocker").write_text("")
    with pytest.raises(ValueError, match="^Parent directory of .*/blocker/model doesn't exist"):
        S.Saver().save(sess, f"{tmp_path}/blocker/model")
    with pytest.raises(ValueError, match="^Parent directory of .*/blocker/x/model doesn't exist"):
        S.Saver().save(sess, f"{tmp_path}/blocker/x/model")


def test_load_checkpoint_reader(tmp_path):
    _two_vars()
    sess = _session()
    S.Saver().save(sess, f"{tmp_path}/model")
    for where in (f"{tmp_path}/model", str(tmp_path)):
        r = S.load_checkpoint(where)
        assert r.get_variable_to_shape_map() == {"v1": [2, 3], "v2": []}
        assert {k: v.name for k, v in r.get_variable_to_dtype_map().items()} == {
            "v1": "float32", "v2": "int64"}
    v2 = r.get_tensor("v2")
    assert isinstance(v2, np.int64) and v2 == 7  # scalars come back as numpy scalars
    assert r.debug_string() == b"v1 (DT_FLOAT) [2,3]\nv2 (DT_INT64) []\n"
    with pytest.raises(errors.NotFoundError, match="^Key zz not found in checkpoint$"):
        r.get_tensor("zz")
    with pytest.raises(errors.NotFoundError, match="^Unsuccessful TensorSliceReader constructor: "
                       "Failed to find any matching files for"):
        S.load_checkpoint(f"{tmp_path}/nothing")
    os.makedirs(f"{tmp_path}/empty")
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints"):
        S.list_variables(f"{tmp_path}/empty")
    assert S.checkpoint_exists(f"{tmp_path}/model") and not S.checkpoint_exists(f"{tmp_path}/x")


def test_meta_graph_roundtrip_import_restore_and_new_ops(tmp_path):
    _two_vars()
    sess = _session()
    path = S.Saver().save(sess, f"{tmp_path}/model")
    mgd = MetaGraphDef.decode(Path(f"{path}.meta").read_bytes())
    assert mgd.saver_def.restore_op_name == "save/restore_all"
    assert sorted(mgd.collection_def) == ["trainable_variables", "variables"]
    graph.reset_default_graph()
    sv = S.import_meta_graph(f"{path}.meta")
    g = graph.get_default_graph()
    sess = session.Session()
    sv.restore(sess, path)
    x = g.get_tensor_by_name("v1:0")
    y = g.get_tensor_by_name("v1/read:0") * 2.0  # a new op on top of the imported graph
    assert sess.run(x).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert sess.run(y).tolist() == [[0, 2, 4], [6, 8, 10]]
    assert [v.name for v in variables.global_variables()] == ["v1:0", "v2:0"]
    assert [v.name for v in variables.trainable_variables()] == ["v1:0", "v2:0"]
    # The imported Saver saves too, under the saved graph's names.
    again = sv.save(sess, f"{tmp_path}/again", write_meta_graph=False)
    assert bundle.BundleReader(again).keys() == ["v1", "v2"]


def test_relative_save_path_is_stored_relative_to_its_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _two_vars()
    sess = _session()
    assert S.Saver().save(sess, "run/model", global_step=3, write_meta_graph=False) == "run/model-3"
    assert (tmp_path / "run" / "checkpoint").read_text() == (
        'model_checkpoint_path: "model-3"\nall_model_checkpoint_paths: "model-3"\n')
    assert S.latest_checkpoint("run") == "run/model-3"
    state = checkpoint_state.read_state(str(tmp_path / "run"))
    assert state.model_checkpoint_path == f"{tmp_path}/run/model-3"


def test_empty_saver_still_writes_the_meta_graph_into_new_directories(tmp_path):
    # TF 2.21: Saver(allow_empty=True).save returns None, writes no checkpoint and no state
    # file, but writes <path>.meta, creating missing directories (graph_io.write_graph).
    sess = session.Session()
    sv = S.Saver(allow_empty=True)
    assert sv.save(sess, f"{tmp_path}/a/b/model") is None
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "a/b/model.meta"]


def test_import_meta_graph_shares_variable_objects_across_collections(tmp_path):
    # TF keeps one Variable per serialized VariableDef while importing collections.
    _two_vars()
    S.Saver().export_meta_graph(f"{tmp_path}/m.meta")
    graph.reset_default_graph()
    S.import_meta_graph(f"{tmp_path}/m.meta")
    g = graph.get_default_graph()
    trainable = g.get_collection(graph.GraphKeys.TRAINABLE_VARIABLES)
    global_vars = g.get_collection(graph.GraphKeys.GLOBAL_VARIABLES)
    assert [v.name for v in global_vars] == ["v1:0", "v2:0"]
    assert all(t is v for t, v in zip(trainable, global_vars))


def test_shape_mismatch_on_restore_into_an_uninitialised_variable(tmp_path):
    # TF's VariableV2 allocates its tensor with the declared shape, so the restore's Assign
    # fails on the shape even when the variable was never initialised.
    variables.Variable(np.zeros(2, np.float32), name="v")
    S.Saver().save(_session(), f"{tmp_path}/model")
    graph.reset_default_graph()
    variables.Variable(np.zeros(3, np.float32), name="v")
    with pytest.raises(errors.InvalidArgumentError, match="^Restoring from checkpoint failed. This is most "
                       "likely due to a mismatch between the current graph and the graph") as info:
        S.Saver().restore(session.Session(), f"{tmp_path}/model")
    assert "Assign requires shapes of both tensors to match. lhs shape= [3] rhs shape= [2]" in info.value.message


def test_corrupt_index_errors_as_tf(tmp_path):
    variables.Variable(1.0, name="v")
    sv = S.Saver()
    sv.export_meta_graph(f"{tmp_path}/bad.index")  # not a table
    with pytest.raises(errors.DataLossError, match=r"\nnot an sstable \(bad magic number\)\n"):
        sv.restore(session.Session(), f"{tmp_path}/bad")
    with pytest.raises(errors.OpError, match=r"^not an sstable \(bad magic number\)$") as info:
        S.load_checkpoint(f"{tmp_path}/bad")
    assert type(info.value) is errors.OpError and info.value.error_code == errors.UNKNOWN


def test_import_meta_graph_missing_file_message(tmp_path):
    with pytest.raises(OSError, match=r"^File does not exist\. Received: .*/none\.meta\.$"):
        S.import_meta_graph(f"{tmp_path}/none.meta")


# --- resource variables (use_resource=True), as TF 2.21 saves and restores them in TF1 mode -----
def _resource_vars():
    from reference_impl import variable_scope as vs

    a = vs.get_variable("a", initializer=np.array([1.0, 2.0], np.float32), use_resource=True)
    b = variables.Variable(np.int32(3), name="b")  # a reference variable beside them
    c = vs.get_variable("c", initializer=np.array([[1.5]], np.float32), use_resource=True)
    return a, b, c


def test_resource_variables_saver_ops_as_tf():
    _resource_vars()
    S.Saver()
    g = graph.get_default_graph()

    def wiring(name):
        op = g.get_operation_by_name(name)
        return op.type, [t.name for t in op.inputs], [c.name for c in op.control_inputs]

    # Saved through the reads their constructors made; restored through an Identity of the
    # RestoreV2 output and an AssignVariableOp (validate_shape False) on the handle.
    assert wiring("save/SaveV2")[1][3:] == ["a/Read/ReadVariableOp:0", "b:0",
                                            "c/Read/ReadVariableOp:0"]
    assert wiring("save/Identity") == ("Identity", ["save/RestoreV2:0"], [])
    assert wiring("save/AssignVariableOp") == ("AssignVariableOp", ["a:0", "save/Identity:0"], [])
    assert wiring("save/Assign") == ("Assign", ["b:0", "save/RestoreV2:1"], [])
    assert wiring("save/Identity_1") == ("Identity", ["save/RestoreV2:2"], [])
    assert wiring("save/AssignVariableOp_1") == ("AssignVariableOp",
                                                 ["c:0", "save/Identity_1:0"], [])
    assert wiring("save/restore_all") == ("NoOp", [], ["save/AssignVariableOp", "save/Assign",
                                                       "save/AssignVariableOp_1"])
    assert g.get_operation_by_name("save/AssignVariableOp")._attrs["validate_shape"] is False
    names = [o.name for o in g.get_operations() if o.name.startswith("save/")]
    assert names[-7:] == ["save/RestoreV2", "save/Identity", "save/AssignVariableOp",
                          "save/Assign", "save/Identity_1", "save/AssignVariableOp_1",
                          "save/restore_all"]


def test_resource_variables_save_and_restore(tmp_path):
    a, b, c = _resource_vars()
    saver = S.Saver()
    sess = _session()
    prefix = saver.save(sess, str(tmp_path / "m"))
    assert S.list_variables(prefix) == [("a", [2]), ("b", []), ("c", [1, 1])]
    sess.run(a.assign(np.array([5.0, 6.0], np.float32)))
    saver.restore(sess, prefix)
    assert sess.run(a).tolist() == [1.0, 2.0] and sess.run(c).tolist() == [[1.5]]
    # A dict var_list: keys as given; restore ops under save_1.
    S.Saver({"x": a, "y": b})
    g = graph.get_default_graph()
    assert [t.name for t in g.get_operation_by_name("save_1/SaveV2").inputs][3:] == [
        "a/Read/ReadVariableOp:0", "b:0"]
    assert [c.name for c in g.get_operation_by_name("save_1/restore_all").control_inputs] == [
        "save_1/AssignVariableOp", "save_1/Assign"]


def test_resource_variables_saver_errors():
    a, _, _ = _resource_vars()
    with pytest.raises(ValueError, match="^At least two variables have the same name: a$"):
        S.Saver([a, a])
    with pytest.raises(ValueError, match="^The same saveable will be restored with two names: z$"):
        S.Saver({"x": a, "z": a})


def test_resource_variable_restores_a_checkpoint_of_another_shape(tmp_path):
    # TF: the restore's AssignVariableOp does not validate the shape, so the variable takes
    # the checkpoint's value and shape.
    from reference_impl import variable_scope as vs

    vs.get_variable("a", initializer=np.array([1.0, 2.0, 3.0], np.float32), use_resource=True)
    prefix = S.Saver().save(_session(), str(tmp_path / "m"))
    graph.reset_default_graph()
    a = vs.get_variable("a", initializer=np.array([1.0, 2.0], np.float32), use_resource=True)
    saver = S.Saver()
    sess = session.Session()
    saver.restore(sess, prefix)
    assert sess.run(a).tolist() == [1.0, 2.0, 3.0]


def test_resource_variables_on_two_devices_group_the_restore_per_device():
    from reference_impl import variable_scope as vs

    with graph.get_default_graph().device("/cpu:0"):
        vs.get_variable("a", initializer=np.array([1.0], np.float32), use_resource=True)
    vs.get_variable("c", initializer=np.array([2.0], np.float32), use_resource=True)
    S.Saver()
    g = graph.get_default_graph()
    assert g.get_operation_by_name("save/AssignVariableOp").device == "/device:CPU:0"
    assert g.get_operation_by_name("save/Identity").device == "/device:CPU:0"
    parts = [g.get_operation_by_name(n) for n in ("save/restore_all/NoOp",
                                                   "save/restore_all/NoOp_1")]
    assert [(o.device, [c.name for c in o.control_inputs]) for o in parts] == [
        ("", ["save/AssignVariableOp_1"]), ("/device:CPU:0", ["save/AssignVariableOp"])]
