"""Merging bundles into one (``MergeBundles`` of ``tensor_bundle.cc``): what a sharded Saver's
``MergeV2Checkpoints`` does after each device has saved its own bundle.

The merged bundle keeps every data file, renamed ``<merged>.data-<i>-of-<n>`` where ``i``
counts the data files in the order they are first met (prefixes in the given order, entries
in key order); its index holds every entry, sorted by key, each pointing at its file's new
number, under a header whose ``num_shards`` is the sum of the inputs' and whose endianness and
version are the first input's. The inputs' index files are deleted afterwards (best effort).
"""

from __future__ import annotations

import os
from typing import Sequence

from . import table
from .bundle import HEADER_KEY, BundleError, BundleReader, data_filename, index_filename
from .messages import BundleEntryProto, BundleHeaderProto


def merge_bundles(prefixes: Sequence[str], merged_prefix: str,
                  allow_missing_files: bool = False) -> None:
    """Merge the bundles at ``prefixes`` into one at ``merged_prefix`` (which may be one of
    them), failing as TensorFlow does; ``allow_missing_files`` skips prefixes without an index."""
    _create_directory(os.path.dirname(merged_prefix))
    header: BundleHeaderProto | None = None
    num_shards = 0
    entries: dict[bytes, BundleEntryProto] = {}
    renumbered: dict[str, int] = {}  # old data file -> its number in the merged bundle
    for prefix in prefixes:
        if not os.path.exists(index_filename(prefix)):
            if allow_missing_files:
                continue
            raise BundleError(f"allow_missing_files was set to false and {prefix} did not exist."
                              f"{_file_exists_status(prefix)}", "INVALID_ARGUMENT")
        reader = BundleReader(prefix)
        header = _check_header(header, reader.header)
        num_shards += reader.header.num_shards
        for key in sorted(reader.entries, key=lambda k: k.encode("utf-8")):
            entry = reader.entries[key]
            if key.encode("utf-8") in entries:
                raise BundleError(f"Duplicate tensor keyed by {key} encountered, when merging "
                                  f"prefix: {prefix}", "INVALID_ARGUMENT")
            old = data_filename(prefix, entry.shard_id, reader.header.num_shards)
            entry.shard_id = renumbered.setdefault(old, len(renumbered))
            entries[key.encode("utf-8")] = entry
    if header is None:
        raise BundleError("At least one prefix checkpoint file must exist, but none existed.",
                          "INVALID_ARGUMENT")
    for old, number in renumbered.items():
        os.replace(old, data_filename(merged_prefix, number, len(renumbered)))
    merged_header = BundleHeaderProto(num_shards=num_shards, endianness=header.endianness,
                                      version=header.version)
    items = [(HEADER_KEY, merged_header.encode())]
    items += [(key, entries[key].encode()) for key in sorted(entries)]
    with open(index_filename(merged_prefix), "wb") as f:
        f.write(table.build_table(items))
    for prefix in prefixes:
        if prefix != merged_prefix:
            try:
                os.remove(index_filename(prefix))
            except OSError:
                pass


def _check_header(first: BundleHeaderProto | None,
                  header: BundleHeaderProto) -> BundleHeaderProto:
    """The first bundle's header; later ones must agree with it on endianness and version."""
    if first is None:
        return header
    if header.endianness != first.endianness:
        raise BundleError("Merging bundles with conflicting endianness; inputs corrupted?",
                          "INVALID_ARGUMENT")
    if header.version.encode() != first.version.encode():
        raise BundleError(f"Merging bundles with different format versions: merged "
                          f"{first.version.encode()!r} vs. curr {header.version.encode()!r}",
                          "INVALID_ARGUMENT")
    return first


def _create_directory(path: str) -> None:
    """``Env::CreateDir`` of the merged prefix's directory: one level, an existing one is fine."""
    if not path or os.path.isdir(path):
        return
    try:
        os.mkdir(path)
    except FileNotFoundError:
        raise BundleError(f"{path}; No such file or directory", "NOT_FOUND") from None
    except (FileExistsError, NotADirectoryError):
        raise BundleError(f"{path}; Not a directory", "FAILED_PRECONDITION") from None


def _file_exists_status(prefix: str) -> str:
    """The text of ``Env::FileExists(prefix)``'s status, as the message appends it."""
    return "OK" if os.path.exists(prefix) else f"NOT_FOUND: {prefix}; No such file or directory"
