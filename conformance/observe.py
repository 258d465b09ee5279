"""Observations: what a program did, as implementation-independent JSON.

The interpreter (in an adapter) and the rendered Python script of a scenario both record through
`Recorder`, so the two cannot describe the same value differently. Objects are recognised by
their TF1 API surface (duck typing), never by class, so any implementation of the API describes
the same way. Identity is kept as tokens (``obj1``, ``obj2`` … in order of first sight), which
lets ``is`` / ``is_not`` be checked and compared across implementations.

Descriptions (``kind`` first):

- ``scalar``: ``{"kind": "scalar", "type": "int|float|bool|str|none", "value": …}``
- ``bytes``:  ``{"kind": "bytes", "value": "latin-1 text"}``
- ``array``:  ``{"kind": "array", "dtype": "float32", "shape": [2], "values": [1.0, "nan"]}``
- ``tensor`` / ``variable``: ``{"kind", "id", "name", "dtype", "shape"}``; ``operation``:
  ``{"kind", "id", "name", "type"}``; ``shape``: ``{"kind", "dims"}``; ``dtype``: ``{"kind", "name"}``;
  ``variable_scope``: ``{"kind", "id", "name", "original_name_scope"}``; ``indexed_slices``:
  ``{"kind", "id", "name", "dtype", "values", "indices", "dense_shape"}`` (the three described as
  tensors; ``dense_shape`` may be a ``none`` scalar); ``graph`` / ``session`` /
  ``object``: ``{"kind", "id"}``
- ``list`` / ``tuple``: ``{"kind", "items": [...]}``; ``dict``: ``{"kind", "items": {key: …}}``
- ``error``: ``{"kind": "error", "type", "message", "phase"}``; ``files``: ``{"kind", "items"}``
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import numpy as np

from adapters.base import Unsupported

_NODE_SUFFIX = re.compile(r"\n\s*\[\[")
_GRAPH_EXECUTION = re.compile(r"^Graph execution error:\s*")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_MODULE_ATTRIBUTE = re.compile(r"^module '[^']*' has no attribute")
_DETECTED_AT = re.compile(r"^Detected at node .*?\nNode: '[^'\n]*'\n", re.S)
_ROOT_ERRORS = re.compile(r"^\d+ root error\(s\) found\.\n\s*\(0\) [A-Z_]+: ")


def float_json(value: float) -> float | str:
    """JSON has no NaN or infinities: spell them as strings."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def error_message(error: BaseException) -> str:
    """The stable part of an exception's message.

    TensorFlow 2.x prefixes run-time errors with "Graph execution error:" and a "Detected at
    node … Node: 'x'" stack, and appends node details (``\\n\\t [[{{node …}}]]``),
    "Originally defined at" stacks and Python tracebacks; those depend on the implementation and
    the call site, so they are dropped and the first paragraph of the real message is kept.
    A graph run on several devices (``device_count``) reports "N root error(s) found." and
    each one as "(i) CODE: message"; how many depends on how TF split the graph between
    devices, so the first root error's message is kept.
    """
    text = getattr(error, "message", None)
    if not isinstance(text, str):
        text = str(error.args[0]) if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
    # (each pattern only where its fixed part occurs: most messages have none of them, and a
    # substring test costs a fraction of a regular expression's search)
    if text.startswith("Graph execution error"):
        text = _GRAPH_EXECUTION.sub("", text)
    while text.startswith("Detected at node"):  # (one per root error)
        text, found = _DETECTED_AT.subn("", text, count=1)
        if not found:
            break
    if " root error(s) found." in text:
        text = _ROOT_ERRORS.sub("", text, count=1)
    if "[[" in text:
        text = _NODE_SUFFIX.split(text, 1)[0]
    text = text.split("Originally defined at", 1)[0]
    text = text.split("\n\n", 1)[0]
    # object reprs carry memory addresses, which differ on every run; a module's own name
    # (tensorflow._api.v2.compat.v1 …) is the implementation's, not the API's
    if text.startswith("module '"):
        text = _MODULE_ATTRIBUTE.sub("module 'tf' has no attribute", text)
    if " at 0x" in text:
        text = _ADDRESS.sub(" at 0x...", text)
    return text.strip()


def list_files(workdir: str) -> list[str]:
    """Every file below ``workdir``, as sorted '/'-separated relative paths."""
    found = []
    for root, _dirs, files in os.walk(workdir):
        for file in files:
            found.append(os.path.relpath(os.path.join(root, file), workdir).replace(os.sep, "/"))
    return sorted(found)


class Recorder:
    """Collects observations under keys, in order."""

    def __init__(self, workdir: str | None = None) -> None:
        self.workdir = workdir  # spelled <workdir> in messages: every run has its own
        self.observations: dict[str, Any] = {}
        self.checks: list[dict[str, Any]] = []
        self.prefix = ""  # "reader." while a scenario's reader stage runs
        self._ids: dict[int, str] = {}
        self._keep: list[Any] = []  # keeps observed objects alive so id() stays unique
        self._workdir_spellings: tuple[str, set[str]] | None = None  # (workdir, its spellings)

    # -- identity -----------------------------------------------------------------------------
    def identity(self, value: Any) -> str:
        token = self._ids.get(id(value))
        if token is None:
            token = f"obj{len(self._ids) + 1}"
            self._ids[id(value)] = token
            self._keep.append(value)
        return token

    # -- recording ----------------------------------------------------------------------------
    def record(self, key: str, value: Any) -> None:
        """Record the description of ``value`` under ``key`` (``key#2`` … when repeated)."""
        self._store(key, self.describe(value))

    def record_error(self, key: str, error: BaseException, phase: str) -> None:
        self._store(key, self._error(error, phase))

    def _error(self, error: BaseException, phase: str) -> dict:
        message = error_message(error)
        if self.workdir:
            for spelling in self._spellings():
                message = message.replace(spelling, "<workdir>")
        return {"kind": "error", "type": type(error).__name__, "message": message, "phase": phase}

    def _spellings(self) -> set[str]:
        """The work directory as given and resolved: found once (resolving it asks the file
        system about every component, which took most of the time recording an error did)."""
        cached = self._workdir_spellings
        if cached is None or cached[0] != self.workdir:
            cached = self._workdir_spellings = (self.workdir, {self.workdir, os.path.realpath(self.workdir)})
        return cached[1]

    def record_no_error(self, key: str) -> None:
        self._store(key, {"kind": "no-error"})

    def _store(self, key: str, description: Any) -> str:
        # error and raises keys already name the step path, which carries the stage prefix
        if self.prefix and not key.startswith((self.prefix, "raises@", "error@")):
            key = self.prefix + key
        final, n = key, 1
        while final in self.observations:
            n += 1
            final = f"{key}#{n}"
        self.observations[final] = description
        return final

    # -- expectations -------------------------------------------------------------------------
    def check(self, at: str, label: str, value: Callable[[], Any], phase: str,
              other_label: str | None = None, other: Callable[[], Any] | None = None) -> None:
        """Observe what an expectation reads; ``at`` names the expectation (``expect[0]``)."""
        key = self._observe(label, value, phase)
        other_key = self._observe(other_label or "other", other, phase) if other is not None else None
        self.checks.append({"at": at, "key": key, "other": other_key})

    def check_files(self, at: str, workdir: str) -> None:
        key = self._store("files", {"kind": "files", "items": list_files(workdir)})
        self.checks.append({"at": at, "key": key, "other": None})

    def _observe(self, label: str, value: Callable[[], Any], phase: str) -> str:
        try:
            observed = value()
        except Unsupported:
            raise
        except Exception as error:  # noqa: BLE001 - an exception while observing is observed
            return self._store(label, self._error(error, phase))
        return self._store(label, self.describe(observed))

    # -- whole programs (rendered scripts) ------------------------------------------------------
    def run(self, program: Callable[[], None], steps: dict[int, tuple[str, str]]) -> None:
        """Run a rendered program; an unexpected exception is recorded at the step whose line
        raised it (``steps``: first line → (step path, phase)), as the interpreter does."""
        try:
            program()
        except Exception as error:  # noqa: BLE001
            line = _innermost_line(error, program.__code__.co_filename)
            starts = [start for start in steps if start <= line]
            path, phase = steps[max(starts)] if starts else ("program", "build")
            self._store(f"error@{path}", self._error(error, phase))

    @contextmanager
    def expect_error(self, key: str, phase: str) -> Iterator[None]:
        """For rendered scripts: record an expected exception, or that none was raised."""
        try:
            yield
        except Exception as error:  # noqa: BLE001 - any exception is an observation
            self.record_error(key, error, phase)
        else:
            self.record_no_error(key)

    def dump(self, stream: Any = None) -> None:
        """Print the observations and checks as one JSON document (what an `Outcome` holds)."""
        out = stream or sys.stdout
        json.dump({"observations": self.observations, "checks": self.checks}, out)
        out.write("\n")

    # -- description --------------------------------------------------------------------------
    def describe(self, value: Any) -> Any:
        """An implementation-independent JSON description of ``value``."""
        cls = type(value)
        scalar = _SCALAR_TYPES.get(cls)  # (exact types: the common case, decided by one lookup)
        if scalar is not None:
            return {"kind": "scalar", "type": scalar, "value": float_json(value) if cls is float else value}
        # numpy first: np.float64 is also a Python float, but it is a 0-d array with a dtype
        if isinstance(value, (np.ndarray, np.generic)):
            return describe_array(np.asarray(value))
        if value is None or isinstance(value, (bool, int, float, str)):
            return _describe_python_scalar(value)
        if isinstance(value, bytes):
            return {"kind": "bytes", "value": value.decode("latin-1")}
        if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
            return {"kind": type(value).__name__ if type(value) in (list, tuple) else "list",
                    "items": [self.describe(v) for v in value]}
        if isinstance(value, tuple):  # a namedtuple
            return {"kind": "tuple", "items": [self.describe(v) for v in value]}
        if isinstance(value, dict):
            return {"kind": "dict", "items": {str(k): self.describe(v) for k, v in value.items()}}
        return self._describe_api_object(value)

    def _describe_api_object(self, value: Any) -> dict:
        kind = api_kind(value)
        if kind in ("tensor", "variable"):
            return {"kind": kind, "id": self.identity(value), "name": value.name, "dtype": value.dtype.name,
                    "shape": shape_dims(value.get_shape())}
        if kind == "operation":
            return {"kind": kind, "id": self.identity(value), "name": value.name, "type": value.type}
        if kind == "indexed_slices":
            return {"kind": kind, "id": self.identity(value), "name": value.name, "dtype": value.dtype.name,
                    "values": self.describe(value.values), "indices": self.describe(value.indices),
                    "dense_shape": self.describe(value.dense_shape)}
        described: dict[str, Any] = {"kind": kind, "id": self.identity(value)}
        if kind == "variable_scope":
            described.update(name=value.name, original_name_scope=value.original_name_scope)
        elif kind == "shape":
            del described["id"]
            described["dims"] = shape_dims(value)
        elif kind == "dtype":
            del described["id"]
            described["name"] = value.name
        elif kind == "dimension":
            del described["id"]
            described["value"] = value.value
        return described


_SCALAR_TYPES: dict[type, str] = {type(None): "none", bool: "bool", int: "int", float: "float", str: "str"}


def _describe_python_scalar(value: Any) -> dict:
    """None, or an instance of a subclass of bool, int, float or str (an enum member, say)."""
    if value is None:
        return {"kind": "scalar", "type": "none", "value": None}
    for cls in (bool, int, float, str):  # (bool before int: it is one)
        if isinstance(value, cls):
            kind = _SCALAR_TYPES[cls]
            break
    return {"kind": "scalar", "type": kind, "value": float_json(value) if isinstance(value, float) else value}


def describe_array(array: np.ndarray) -> dict:
    """A numpy array: dtype, shape and values (floats exactly, as JSON numbers)."""
    if array.dtype.kind == "f":
        if _all_finite(array):  # (tolist gives each value as the float it is, exactly)
            values = array.tolist()
        else:
            values = np.vectorize(lambda x: float_json(float(x)), otypes=[object])(array).tolist()
    elif array.dtype.kind in "SO":
        values = np.vectorize(lambda x: x.decode("latin-1") if isinstance(x, bytes) else str(x), otypes=[object])(array).tolist() if array.size else array.tolist()
    else:
        values = array.tolist()
    return {"kind": "array", "dtype": array.dtype.name if array.dtype.kind not in "SO" else "string",
            "shape": list(array.shape), "values": values}


def _all_finite(array: np.ndarray) -> bool:
    """Whether a float array holds no NaN or infinity. Most observed arrays are a few values,
    for which a ufunc and its reduction cost five times what Python's own check does."""
    if array.size <= 64:
        return all(map(math.isfinite, array.ravel().tolist()))
    return bool(np.isfinite(array).all())


# Kinds of classes whose class attributes alone decide (the API's classes define them as
# methods, properties or slots): an object is described for every fetch and check, and each of
# TensorFlow's properties makes a hasattr cost.
_KIND_OF_CLASS: dict[type, str] = {}


def api_kind(value: Any) -> str:
    """Which TF1 API object ``value`` is, judged by its attributes."""
    cls = type(value)
    kind = _KIND_OF_CLASS.get(cls)
    if kind is None:
        kind = _kind_by_attributes(value, cls.__name__)
        if kind != "object" and _kind_by_attributes(cls, cls.__name__) == kind:
            _KIND_OF_CLASS[cls] = kind  # (never a class whose instances add what decides)
    return kind


def _kind_by_attributes(subject: Any, class_name: str) -> str:
    has = lambda *names: all(hasattr(subject, n) for n in names)  # noqa: E731
    if has("initialized_value", "initializer"):
        return "variable"
    if has("reuse_variables", "original_name_scope"):
        return "variable_scope"
    if has("values", "indices", "dense_shape", "name"):  # (a SparseTensor has no name)
        return "indexed_slices"
    if has("op", "value_index", "dtype"):
        return "tensor"
    if has("inputs", "outputs", "type", "node_def") or has("inputs", "outputs", "type", "control_inputs"):
        return "operation"
    if has("as_list", "dims"):
        return "shape"
    if has("is_floating", "as_numpy_dtype"):
        return "dtype"
    if has("get_operations", "as_default"):
        return "graph"
    if has("run", "close", "graph"):
        return "session"
    if has("value") and class_name == "Dimension":
        return "dimension"
    return "object"


def shape_dims(shape: Any) -> list | None:
    """A TensorShape as a list with None for unknown dimensions; None for unknown rank."""
    try:
        return shape.as_list()
    except ValueError:  # unknown rank
        return None


def _innermost_line(error: BaseException, filename: str) -> int:
    """The line of the last traceback frame that belongs to ``filename``."""
    line, tb = 0, error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
