"""The ``checkpoint`` file: a `CheckpointState` message in protobuf *text* format.

TensorFlow's Saver rewrites it (atomically) after every save; it looks like::

    model_checkpoint_path: "/tmp/run/model-2"
    all_model_checkpoint_paths: "/tmp/run/model-1"
    all_model_checkpoint_paths: "/tmp/run/model-2"

Absolute paths are written as they are unless ``save_relative_paths`` is on; relative ones
(a Saver given a relative prefix) are written relative to the file's directory, and reading
joins every relative path to that directory. The list always ends with the latest path: when the Saver keeps no
list (max_to_keep 0 or None), it holds that path alone. The TF1 Saver writes no timestamps;
TF2's CheckpointManager does (``all_model_checkpoint_timestamps``, ``last_preserved_timestamp``).
"""

from __future__ import annotations

import os
import uuid
from typing import Sequence

from . import text_format
from .messages import CheckpointState

LATEST_FILENAME = "checkpoint"


ParseError = text_format.ParseError


def to_text(state: CheckpointState) -> str:
    """The text format of ``state``, as ``text_format.MessageToString`` prints it."""
    return text_format.message_to_string(state)


def from_text(text: str) -> CheckpointState:
    """Parse the text format (``text_format.Merge``); a `ParseError` where it is not one."""
    state = text_format.parse(text, CheckpointState)
    assert isinstance(state, CheckpointState)
    return state


def generate_state(
    save_dir: str,
    model_checkpoint_path: str,
    all_model_checkpoint_paths: Sequence[str] | None = None,
    all_model_checkpoint_timestamps: Sequence[float] | None = None,
    last_preserved_timestamp: float | None = None,
    save_relative_paths: bool = False,
) -> CheckpointState:
    """TensorFlow's ``update_checkpoint_state_internal`` + ``generate_checkpoint_state_proto``.

    - the latest path always ends the list (appended when it is not already last);
    - ``save_relative_paths``: absolute paths become relative to ``save_dir``;
    - when ``save_dir`` is itself relative, relative paths (which then include ``save_dir``)
      are rewritten relative to it, so that reading (which joins them to the directory)
      gives back the path that was saved.
    """
    paths = list(all_model_checkpoint_paths or [])
    if save_relative_paths:
        if os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        paths = [os.path.relpath(p, save_dir) if os.path.isabs(p) else p for p in paths]
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    timestamps = list(all_model_checkpoint_timestamps or [])
    if timestamps and len(timestamps) != len(paths):
        raise ValueError(
            "Checkpoint timestamps, if provided, must match checkpoint paths (got paths "
            f"{paths} and timestamps {timestamps})"
        )
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        paths = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in paths]
    return CheckpointState(
        model_checkpoint_path=model_checkpoint_path,
        all_model_checkpoint_paths=paths,
        all_model_checkpoint_timestamps=timestamps,
        last_preserved_timestamp=last_preserved_timestamp or 0.0,
    )


def write_state(save_dir: str, state: CheckpointState, latest_filename: str | None = None) -> str:
    """Atomically (re)write ``save_dir/checkpoint``; return its path."""
    path = os.path.join(save_dir, latest_filename or LATEST_FILENAME)
    if path == state.model_checkpoint_path:
        raise RuntimeError(
            f"Save path '{state.model_checkpoint_path}' conflicts with path used for checkpoint "
            "state.  Please use a different save path."
        )
    tmp = f"{path}.tmp{uuid.uuid4().hex}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(to_text(state))
    os.replace(tmp, path)
    return path


def read_state(checkpoint_dir: str, latest_filename: str | None = None) -> CheckpointState | None:
    """TensorFlow's ``get_checkpoint_state``: None when there is no file or it does not parse
    (TensorFlow logs a warning then); relative paths are joined to ``checkpoint_dir``; a file
    without model_checkpoint_path is a ValueError."""
    path = os.path.join(checkpoint_dir, latest_filename or LATEST_FILENAME)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        state = from_text(text)
    except ParseError:
        return None
    if not state.model_checkpoint_path:
        raise ValueError(f"Invalid checkpoint state loaded from {checkpoint_dir}")
    if not os.path.isabs(state.model_checkpoint_path):
        state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [
        p if os.path.isabs(p) else os.path.join(checkpoint_dir, p)
        for p in state.all_model_checkpoint_paths
    ]
    return state
