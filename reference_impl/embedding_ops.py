"""``tf.nn.embedding_lookup``: a gather of the rows of one table, or of a table split into
several, under the ``embedding_lookup`` name scope, as TF builds it.

The tables are converted as the list TF makes of them (a Python list's rows become
``embedding_lookup/params_<i>``; resource variables stay themselves and gather with their own
``ResourceGather``), the ids as ``embedding_lookup/ids``. One table: the gather is the op named
after the scope itself (``embedding_lookup``), colocated with the table, and an ``Identity`` in
the scope (outside that colocation) is the result. Several: the ids are flattened, assigned to
tables by ``partition_strategy`` (``mod``: id % n, row id // n; ``div``: contiguous ranges, the
first ``total % n`` tables one row longer), split by two ``DynamicPartition`` ops, gathered from
each table (colocated with it, outside any device scope), interleaved back by a
``ParallelDynamicStitch`` named after the scope, and reshaped to ``ids.shape + row shape``. The
gradient with respect to a table is an `IndexedSlices` (gradients.py).
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .array_ops import identity, reshape, shape, size, stack, where
from .concat_ops import concat
from .gather_ops import gather
from .graph import Tensor
from .indexed_slices import convert_to_tensor_or_indexed_slices
from .math_ops import cast, maximum
from .op_def import constant, convert_to_tensor, graph_of
from .reduction_ops import reduce_sum
from .sequence_ops import range_

__all__ = ["embedding_lookup"]


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod", name: str | None = None,
                     validate_indices: bool = True, max_norm: Any = None) -> Tensor:
    """The rows ``ids`` of the table ``params``, or of the table split into the list ``params``
    by ``partition_strategy``, each scaled down to an L2 norm of at most ``max_norm`` when given
    (``validate_indices`` is accepted and ignored, as in TF)."""
    del validate_indices
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    tables = list(params) if isinstance(params, (list, tuple)) else [params]
    g = graph_of(tables + [ids])
    with g.as_default(), g.name_scope(name or "embedding_lookup") as scope:
        if not any(getattr(t, "_is_resource_variable", False) for t in tables):
            tables = [convert_to_tensor_or_indexed_slices(t, name=f"params_{i}") for i, t in enumerate(tables)]
        ids_t = convert_to_tensor(ids, name="ids")
        if len(tables) > 1:
            return _clip(_partitioned_lookup(tables, ids_t, partition_strategy, scope), ids_t, max_norm)
        with g.colocate_with(tables[0]):
            rows = _clip(gather(tables[0], ids_t, name=scope), ids_t, max_norm)
        # (outside the colocation: the result carries no constraint of the table's)
        return identity(rows)


def _partitioned_lookup(tables: list[Any], ids: Tensor, strategy: str, scope: str) -> Tensor:
    """The lookup in a table split into ``tables`` (see the module's docstring)."""
    from .data_flow_ops import dynamic_partition, parallel_dynamic_stitch

    g = ids.graph
    flat_ids = reshape(ids, [-1])
    positions = range_(size(flat_ids, out_type=dtypes.int32))
    assignments, new_ids = _assign(tables, flat_ids, strategy)
    assignments = cast(assignments, dtypes.int32)
    n = len(tables)
    gather_ids = dynamic_partition(new_ids, assignments, n)
    partitioned_positions = dynamic_partition(positions, assignments, n)
    rows = []
    for table, table_ids in zip(tables, gather_ids):
        with g.device(None), g.colocate_with(table):
            rows.append(gather(table, table_ids))
    stitched = parallel_dynamic_stitch(partitioned_positions, rows, name=scope)
    row_shape = tables[0].shape[1:]
    for table in tables[1:]:
        row_shape = row_shape.merge_with(table.shape[1:])
    if row_shape.is_fully_defined():
        dynamic_row_shape: Any = row_shape.as_list()
    else:
        with g.colocate_with(tables[0]):
            dynamic_row_shape = shape(tables[0])[1:]
    out = reshape(stitched, concat([shape(ids), dynamic_row_shape], 0))
    out.set_shape(ids.shape.concatenate(row_shape))
    return out


def _assign(tables: list[Any], flat_ids: Tensor, strategy: str) -> tuple[Tensor, Tensor]:
    """(the table of each id, its row there) by TF's ``mod`` or ``div`` strategy."""
    n = len(tables)
    if strategy == "mod":
        return flat_ids % n, flat_ids // n
    if strategy != "div":
        raise ValueError(f"Unrecognized partition strategy: {strategy}.Must be one of either `mod` or `div`.")
    sizes = [t.shape[0].value if t.shape.ndims else None for t in tables]
    if all(size_ is not None for size_ in sizes) and sum(sizes):  # (TF's test: a total of 0 is computed)
        total = constant(sum(sizes), flat_ids.dtype.base_dtype)
    else:
        known = []
        for table, size_ in zip(tables, sizes):
            if size_ is None:
                with flat_ids.graph.colocate_with(table):
                    size_ = shape(table)[0]
            known.append(size_)
        total = reduce_sum(cast(stack(known), flat_ids.dtype.base_dtype))
    per_table = total // n
    extras = total % n
    assignments = maximum(flat_ids // (per_table + 1), (flat_ids - extras) // per_table)
    rows = where(assignments < extras, flat_ids % (per_table + 1), (flat_ids - extras) % per_table)
    return assignments, rows


def _clip(rows: Tensor, ids: Tensor, max_norm: Any) -> Tensor:
    """TF's ``_clip``: each looked-up row scaled down to an L2 norm of at most ``max_norm``
    (clip_by_norm over the row's own axes: a list of them where both ranks are known and not 0,
    else a Range of Rank ops)."""
    if max_norm is None:
        return rows
    from .array_ops import rank
    from .clip_ops import clip_by_norm

    ids_rank, rows_rank = ids.shape.ndims, rows.shape.ndims
    if ids_rank and rows_rank:
        axes: Any = list(range(ids_rank, rows_rank))
    else:
        axes = range_(ids_rank if ids_rank else rank(ids), rows_rank if rows_rank else rank(rows))
    return clip_by_norm(rows, max_norm, axes=axes)
