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
import re
import uuid
from typing import Sequence

from .messages import CheckpointState

LATEST_FILENAME = "checkpoint"


class ParseError(ValueError):
    """The file is not a CheckpointState in text format."""

_ESCAPES = {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
    ord('"'): '\\"',
    ord("'"): "\\'",
    ord("\\"): "\\\\",
}
_UNESCAPES = {"n": b"\n", "r": b"\r", "t": b"\t", '"': b'"', "'": b"'", "\\": b"\\",
              "a": b"\a", "b": b"\b", "f": b"\f", "v": b"\v", "?": b"?"}


def _c_escape(text: str) -> str:
    """protobuf's text-format string escaping: C escapes, octal for bytes outside ASCII."""
    out = []
    for b in text.encode("utf-8"):
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif b < 0x20 or b >= 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(chr(b))
    return "".join(out)


def _c_unescape(body: str) -> str:
    raw = body.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = chr(raw[i + 1])
        if nxt in "01234567":
            m = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            out.append(int(m.group(0), 8))
            i += 1 + len(m.group(0))
        elif nxt == "x":
            m = re.match(rb"[0-9a-fA-F]{1,2}", raw[i + 2:i + 4])
            out.append(int(m.group(0), 16))
            i += 2 + len(m.group(0))
        else:
            out += _UNESCAPES[nxt]
            i += 2
    return out.decode("utf-8")


def _format_double(x: float) -> str:
    # Python protobuf prints doubles with str(): the shortest repr that round-trips.
    return str(float(x))


def to_text(state: CheckpointState) -> str:
    """The text format of ``state``, as ``text_format.MessageToString`` prints it."""
    lines = []
    if state.model_checkpoint_path:
        lines.append(f'model_checkpoint_path: "{_c_escape(state.model_checkpoint_path)}"')
    for p in state.all_model_checkpoint_paths:
        lines.append(f'all_model_checkpoint_paths: "{_c_escape(p)}"')
    for t in state.all_model_checkpoint_timestamps:
        lines.append(f"all_model_checkpoint_timestamps: {_format_double(t)}")
    if state.last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {_format_double(state.last_preserved_timestamp)}")
    return "".join(line + "\n" for line in lines)


_LINE = re.compile(r'\s*([A-Za-z_]+)\s*:\s*(?:"((?:[^"\\]|\\.)*)"|([-+0-9.eEinfaINFA]+))\s*$')


def from_text(text: str) -> CheckpointState:
    """Parse the text format (the subset a CheckpointState can hold)."""
    state = CheckpointState()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            raise ParseError(f"{n}:1 : Message type \"tensorflow.CheckpointState\" cannot parse {line!r}")
        name, string, number = m.groups()
        if name == "model_checkpoint_path" and string is not None:
            state.model_checkpoint_path = _c_unescape(string)
        elif name == "all_model_checkpoint_paths" and string is not None:
            state.all_model_checkpoint_paths.append(_c_unescape(string))
        elif name == "all_model_checkpoint_timestamps" and number is not None:
            state.all_model_checkpoint_timestamps.append(float(number))
        elif name == "last_preserved_timestamp" and number is not None:
            state.last_preserved_timestamp = float(number)
        else:
            raise ParseError(
                f'{n}:1 : Message type "tensorflow.CheckpointState" has no field named "{name}".'
            )
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
