"""The checkpoint kernels: what a Saver's graph runs to write, merge and read bundles.

``SaveV2(prefix, tensor_names, shape_and_slices, *tensors)`` writes one bundle at ``prefix``
(creating missing directories, as TensorFlow 2.x's BundleWriter does) with the tensors in
the given order. ``RestoreV2(prefix, tensor_names, shape_and_slices)`` returns the named
tensors, checking each stored dtype against the op's ``dtypes`` attr. Only whole tensors are
supported (every shape-and-slice spec ``""``), which is all a non-partitioned Saver writes.
A sharded Saver names each device's bundle with ``ShardedFilename`` and merges them with
``MergeV2Checkpoints``.
Errors carry TensorFlow's messages; the session adds the node to them.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .. import errors
from ..kernels.registry import KernelContext, register_kernel
from ..kernels.shape_text import debug_string
from . import bundle, datatypes, merge


def _text(x: Any) -> str:
    x = x.item() if isinstance(x, np.ndarray) else x
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


def _names(x: Any) -> list[str]:
    return [_text(n) for n in np.asarray(x, dtype=object).reshape(-1)]


def _check_whole_tensors(specs: list[str]) -> None:
    if any(specs):
        raise errors.UnimplementedError(
            None, None, "reference SaveV2/RestoreV2 support whole tensors only (shape_and_slices "
            "must be empty strings)")


def open_bundle(prefix: str) -> bundle.BundleReader:
    """A reader of the bundle at ``prefix``, failing with TensorFlow's errors and messages."""
    try:
        return bundle.BundleReader(prefix)
    except bundle.BundleError as e:
        if e.code == "NOT_FOUND":
            raise errors.NotFoundError(
                None, None, "Unsuccessful TensorSliceReader constructor: Failed to find any "
                f"matching files for {prefix}") from None
        raise _READ_ERRORS.get(e.code, errors.DataLossError)(None, None, str(e)) from None


def _create_parent_directory(prefix: str) -> None:
    """TensorFlow's BundleWriter creates the prefix's directory, one level only (CreateDir, not
    RecursivelyCreateDir): a missing grandparent is NotFound, a file in the way FailedPrecondition."""
    parent = os.path.dirname(prefix)
    if not parent or os.path.isdir(parent):
        return
    try:
        os.mkdir(parent)
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{parent}; No such file or directory") from None
    except NotADirectoryError:
        raise errors.FailedPreconditionError(None, None, f"{parent}; Not a directory") from None
    except FileExistsError:  # a file of that name: writing the data file fails
        raise errors.FailedPreconditionError(
            None, None, f"{prefix}.data-00000-of-00001.tempstate; Not a directory") from None


@register_kernel("SaveV2")
def save_v2(ctx: KernelContext, inputs: list) -> list:
    prefix, names, specs, *tensors = inputs
    prefix, names = _text(prefix), _names(names)
    _check_whole_tensors(_names(specs))
    if len(names) != len(tensors):
        raise errors.InvalidArgumentError(
            None, None, f"Got {len(names)} tensor names but {len(tensors)} tensors.")
    _create_parent_directory(prefix)
    writer = bundle.BundleWriter(prefix)
    try:
        for name, value in zip(names, tensors):
            writer.add(name, np.asarray(value))
    except bundle.BundleError as e:
        raise errors.InvalidArgumentError(None, None, str(e)) from None
    writer.finish()
    return []


@register_kernel("RestoreV2")
def restore_v2(ctx: KernelContext, inputs: list) -> list:
    prefix, names, specs = inputs
    prefix, names = _text(prefix), _names(names)
    _check_whole_tensors(_names(specs))
    expected = [datatypes.from_name(d.name) for d in ctx.attrs["dtypes"]]
    reader = open_bundle(prefix)
    out = []
    for name, want in zip(names, expected):
        if name not in reader:
            raise errors.NotFoundError(None, None, f"Key {name} not found in checkpoint")
        have = reader.dtype(name)
        if have != want:
            raise errors.InvalidArgumentError(
                None, None, f"tensor_name = {name}; expected dtype {datatypes.type_string(want)} "
                f"does not equal original dtype {datatypes.type_string(have)}")
        try:
            out.append(reader.read(name))
        except bundle.BundleError as e:
            raise _READ_ERRORS.get(e.code, errors.DataLossError)(None, None, str(e)) from None
    return out


@register_kernel("ShardedFilename")
def sharded_filename(ctx: KernelContext, inputs: list) -> list:
    basename, shard, num_shards = inputs
    return [np.array(f"{_text(basename)}-{int(shard):05d}-of-{int(num_shards):05d}".encode(),
                     dtype=object)]


@register_kernel("MergeV2Checkpoints")
def merge_v2_checkpoints(ctx: KernelContext, inputs: list) -> list:
    """Merge the shards' bundles into the destination's; with ``delete_old_dirs``, remove each
    shard's directory (when empty, and not the destination's), ignoring failures as TF does."""
    prefixes, destination = (np.asarray(x, dtype=object) for x in inputs)
    if prefixes.ndim != 1:
        raise errors.InvalidArgumentError(
            None, None, "Input checkpoint_prefixes should be an 1-D tensor, got "
            f"{debug_string(prefixes.shape)} instead.")
    if destination.ndim != 0:
        raise errors.InvalidArgumentError(
            None, None, "Input destination_prefix should be a scalar tensor, got "
            f"{debug_string(destination.shape)} instead.")
    names, merged = _names(prefixes), _text(destination)
    try:
        merge.merge_bundles(names, merged, bool(ctx.attrs.get("allow_missing_files", False)))
    except bundle.BundleError as e:
        raise _MERGE_ERRORS.get(e.code, errors.DataLossError)(None, None, str(e)) from None
    if ctx.attrs.get("delete_old_dirs", True):
        for name in names:
            directory = os.path.dirname(name)
            if directory != os.path.dirname(merged):
                try:
                    os.rmdir(directory or ".")
                except OSError:
                    pass
    return []



# A read failing: a data file gone, a file cut short (a block or tensor reaching past its end), or
# bytes not matching their CRC.
_READ_ERRORS = {"NOT_FOUND": errors.NotFoundError, "OUT_OF_RANGE": errors.OutOfRangeError}
# A merge failing: its own refusals (a missing input, a duplicate key) besides its inputs' reads.
_MERGE_ERRORS = {**_READ_ERRORS, "INVALID_ARGUMENT": errors.InvalidArgumentError,
                 "INTERNAL": errors.InternalError,
                 "FAILED_PRECONDITION": errors.FailedPreconditionError}
