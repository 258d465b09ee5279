"""``tf.io.write_graph`` / ``tf.train.write_graph``: a GraphDef (or MetaGraphDef) to a file,
in text format (TF's default) or binary, and ``tf.io.read_file``'s op."""

from __future__ import annotations

import os
import uuid
from typing import Any

from . import dtypes
from .graph import Graph, Tensor
from .op_def import convert_to_tensor, make_op
from .tensor_shape import TensorShape


def write_graph(graph_or_graph_def: Any, logdir: str, name: str, as_text: bool = True) -> str:
    """Write ``graph_or_graph_def`` (a Graph is written as its ``as_graph_def()``) to
    ``logdir/name``, creating ``logdir`` (recursively); returns the path. Text format unless
    ``as_text`` is False; the file appears whole, as TF writes it (a temporary, renamed)."""
    graph_def = (graph_or_graph_def.as_graph_def() if isinstance(graph_or_graph_def, Graph)
                 else graph_or_graph_def)
    if logdir:
        os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = str(graph_def).encode("utf-8") if as_text else graph_def.SerializeToString()
    temporary = f"{path}.tmp{uuid.uuid4().hex}"
    with open(temporary, "wb") as f:
        f.write(data)
    os.replace(temporary, path)
    return path


def read_file(filename: Any, name: str | None = None) -> Tensor:
    """``tf.io.read_file``: a scalar string tensor holding the file's bytes when run."""
    filename = convert_to_tensor(filename, dtypes.string, name="filename")
    g = filename.graph
    with g.name_scope(name or "ReadFile") as scope:
        return make_op("ReadFile", [filename], [(dtypes.string, TensorShape([]))], scope).outputs[0]
