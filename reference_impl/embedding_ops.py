"""``tf.nn.embedding_lookup`` of one table: a gather of its rows under the ``embedding_lookup``
name scope, as TF builds it.

The table is converted as the list TF makes of it (a Python list becomes
``embedding_lookup/params_0``; a resource variable stays itself and gathers with its own
``ResourceGather``), the ids as ``embedding_lookup/ids``; the gather is the op named after the
scope itself (``embedding_lookup``), colocated with the table, and an ``Identity`` in the scope
(outside that colocation) is the result. Its gradient with respect to the table is therefore an
`IndexedSlices` (gradients.py).
"""

from __future__ import annotations

from typing import Any

from .gather_ops import gather
from .graph import Tensor, get_default_graph
from .indexed_slices import convert_to_tensor_or_indexed_slices
from .op_def import convert_to_tensor, graph_of

__all__ = ["embedding_lookup"]


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod", name: str | None = None,
                     validate_indices: bool = True, max_norm: Any = None) -> Tensor:
    """The rows ``ids`` of the table ``params`` (``validate_indices`` is accepted and ignored,
    as in TF). One table only: a table split into several, and ``max_norm``, are not
    implemented."""
    del partition_strategy, validate_indices
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    tables = list(params) if isinstance(params, (list, tuple)) else [params]
    if len(tables) > 1:
        raise NotImplementedError("tf.nn.embedding_lookup of a table split into several")
    if max_norm is not None:
        raise NotImplementedError("tf.nn.embedding_lookup with max_norm")
    g = graph_of(tables + [ids])
    with g.as_default(), g.name_scope(name or "embedding_lookup") as scope:
        if not any(getattr(t, "_is_resource_variable", False) for t in tables):
            tables = [convert_to_tensor_or_indexed_slices(t, name=f"params_{i}") for i, t in enumerate(tables)]
        ids_t = convert_to_tensor(ids, name="ids")
        with get_default_graph().colocate_with(tables[0]):
            rows = gather(tables[0], ids_t, name=scope)
        # (outside the colocation: the result carries no constraint of the table's)
        from .array_ops import identity
        return identity(rows)
