"""Strategies for the saver area: ``train.Saver`` over random variable sets — ``Variable`` and
``get_variable``, in and out of a scope, of several dtypes and shapes, duplicates included —
saved (with and without ``global_step``, ``max_to_keep``), listed, loaded and restored; a
quarter of the programs damage a file of the last checkpoint first (a ``damage`` step: a byte
flipped, the file cut short or removed), so that implementations are compared on how they fail.
A third of the savers are sharded, their variables placed on ``/cpu:0``, ``/cpu:1`` or nowhere
in sessions of two CPUs (one bundle per device, merged); a sharded save needs its directory to
exist, so those programs save at the top of their directory.

Paths a program sees are absolute and differ between adapters (each runs in its own temporary
directory), so values holding them (``save``'s return value) are bound with ``record: false``;
what is compared is what the checkpoint holds (``list_variables``, ``load_variable``), the
saver's op names and the restored values.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .program import Names, Raw, init, run, scenario
from .program import session as plain_session

NAMES = ("v", "w", "v_1", "bias")
DTYPES = ("float32", "float32", "float64", "int32", "int64")


def _value(draw: Any, shape: list[int], dtype: str) -> Any:
    def one() -> Any:
        if dtype.startswith("int"):
            return draw(st.integers(-100, 100))
        return draw(st.floats(-1e3, 1e3, allow_nan=False, width=32))
    return one() if not shape else [one() for _ in range(shape[0])]


def _variables(draw: Any, names: Names, placed: bool) -> tuple[list[dict[str, Any]], list[tuple[str, list[int], str]]]:
    steps: list[dict[str, Any]] = []
    made: list[tuple[str, list[int], str]] = []
    scoped: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 4))):
        shape = draw(st.sampled_from([[], [2], [3]]))
        dtype = draw(st.sampled_from(DTYPES))
        bind = names.fresh("v")
        if draw(st.booleans()):
            step: dict[str, Any] = {"call": "Variable", "args": [_value(draw, shape, dtype)],
                                    "kwargs": {"name": draw(st.sampled_from(NAMES)), "dtype": {"tf": dtype}}}
        else:
            step = {"call": "get_variable", "args": [draw(st.sampled_from(NAMES)), shape],
                    "kwargs": {"dtype": {"tf": dtype},
                               "initializer": {"call": "constant_initializer", "args": [_value(draw, [], dtype)]}}}
        step["as"] = bind
        made.append((bind, shape, dtype))
        device = draw(st.sampled_from([None, "/cpu:0", "/cpu:1"])) if placed else None
        if device is not None:
            step = {"with": "device", "args": [device], "do": [step]}
        (scoped if draw(st.integers(0, 3)) == 0 else steps).append(step)
    if scoped:
        steps.append({"with": "variable_scope", "args": [draw(st.sampled_from(["scope", "v"]))], "do": scoped})
    return steps, made


def _var_list(draw: Any, made: list[tuple[str, list[int], str]]) -> Any:
    how = draw(st.sampled_from(["all", "list", "dict"]))
    if how == "all":
        return None
    chosen = draw(st.lists(st.sampled_from([b for b, _, _ in made]), min_size=1, max_size=len(made)))
    if how == "list":
        return [f"${b}" for b in chosen]  # duplicates possible on purpose
    return {draw(st.sampled_from(["a", "b", "scope/a", "v"])) + f"_{i}": f"${b}" for i, b in enumerate(chosen)}


def _damage(draw: Any, prefix: str, state: str, sharded: bool) -> dict[str, Any]:
    """A damage to one file of the checkpoint at ``prefix`` (or to the state file). An offset or
    length the file does not have fails the step itself, alike on every implementation whose
    files have the same size, as they should."""
    # (a sharded checkpoint's data files are numbered by how many devices hold its variables)
    files = [f"{prefix}.index", state] + ([] if sharded else [f"{prefix}.data-00000-of-00001"])
    target = draw(st.sampled_from(files))
    # (the state file records save times: a byte flipped there differs from run to run)
    how = draw(st.sampled_from(["truncate", "remove"] if target == state else
                               ["flip", "flip", "truncate", "remove"]))
    if how == "remove":
        return {"damage": target, "remove": True}
    if how == "truncate":
        return {"damage": target, "truncate": draw(st.integers(0, 120))}
    return {"damage": target, "flip": draw(st.integers(-130, 130))}


def session(body: list[dict[str, Any]], two_cpus: bool) -> dict[str, Any]:
    """``with tf.Session(...) as sess:``, with two CPU devices for placed variables."""
    step = plain_session(body)
    if two_cpus:
        step["kwargs"] = {"config": {"call": "ConfigProto", "kwargs": {"device_count": {"CPU": 2}}}}
    return step


@st.composite
def programs(draw: Any) -> Raw:
    """Variables, a saver, saves at several steps, then what the checkpoint holds and a restore."""
    names = Names()
    sharded = draw(st.integers(0, 2)) == 0
    program, made = _variables(draw, names, placed=sharded)
    directory = "" if sharded else "ckpt/"
    saver_kwargs: dict[str, Any] = {"sharded": True} if sharded else {}
    var_list = _var_list(draw, made)
    if var_list is not None:
        saver_kwargs["var_list"] = var_list
    if draw(st.booleans()):
        saver_kwargs["max_to_keep"] = draw(st.integers(1, 3))
    saver: dict[str, Any] = {"call": "train.Saver"}
    if saver_kwargs:
        saver["kwargs"] = saver_kwargs
    saver["as"] = "saver"
    program.append(saver)
    program.append({"let": "$saver.saver_def.save_tensor_name", "as": "save_tensor_name"})
    body: list[dict[str, Any]] = [init()]
    saves = draw(st.integers(1, 2))
    for i in range(saves):
        for bind, shape, dtype in made:
            if draw(st.booleans()):
                body.append(run({"call": f"${bind}.assign", "args": [_value(draw, shape, dtype)]}))
        save: dict[str, Any] = {"call": "$saver.save", "args": ["$sess", {"path": f"{directory}model"}]}
        save_kwargs: dict[str, Any] = {}
        if draw(st.booleans()):
            save_kwargs["global_step"] = draw(st.integers(0, 3)) + i * 10
        if draw(st.integers(0, 3)):  # exporting the meta graph is most of a save's cost in TF
            save_kwargs["write_meta_graph"] = False
        if save_kwargs:
            save["kwargs"] = save_kwargs
        save.update({"as": names.fresh("prefix"), "record": False})  # an absolute path: differs per run
        body.append(save)
        written = f"{directory}model" + (f"-{save_kwargs['global_step']}" if "global_step" in save_kwargs else "")
    last = f"$prefix{saves}"
    program.append(session(body, sharded))
    if draw(st.integers(0, 3)) == 0:
        program.append(_damage(draw, written, f"{directory}checkpoint", sharded))
    # a fresh session: initialise (variables outside var_list need a value), then restore over it
    restore = [init(), {"call": "$sess.run", "args": [[{"call": f"${b}.assign", "args": [_value(draw, s, d)]}
                                                     for b, s, d in made]]},
               {"call": "$saver.restore", "args": ["$sess", last]},
               run([f"${b}" for b, _, _ in made], "restored")]
    program.append(session(restore, sharded))
    # last: a probe of a name the checkpoint may not hold raises, which ends the program
    where = {"path": directory.rstrip("/") or "."}
    program.append({"call": "train.list_variables", "args": [where], "as": "listed"})
    probe = draw(st.sampled_from(["v", "w", "scope/v", "a_0", "b_0"]))
    program.append({"call": "train.load_variable", "args": [dict(where), probe], "as": "loaded"})
    return scenario("saver", program, "generated saver over a random variable set")
