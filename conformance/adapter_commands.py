"""Out-of-process adapters: any command that speaks tfconf's JSON-lines protocol
(``conformance/schemas/protocol.schema.json``) is an adapter.

Named on the command line (``--adapter-cmd NAME=COMMAND``) or in a config file::

    adapters:
      tf-resource:
        command: python -m conformance.worker adapters.tensorflow:TensorFlowResourceAdapter
        env: {TF_ENABLE_ONEDNN_OPTS: "0"}

The command may live in another virtual environment or be written in another language; tfconf
starts it, restarts it after a crash and stops it when it hangs, like any built-in adapter. A
command whose program is plain ``python`` runs with the Python that runs tfconf; name another
interpreter by its path (``/opt/tf115/bin/python -m conformance.worker …``).
"""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .workers import WorkerClient


class AdapterCommandError(ValueError):
    """A malformed --adapter-cmd or adapters config file."""


@dataclass(frozen=True)
class AdapterCommand:
    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)


def parse_adapter_cmd(text: str) -> AdapterCommand:
    """``NAME=COMMAND`` (the command split as a shell would, never run through one)."""
    name, sep, command = text.partition("=")
    if not sep or not name.strip() or not command.strip():
        raise AdapterCommandError(f"--adapter-cmd takes NAME=COMMAND, got {text!r}")
    return AdapterCommand(name.strip(), tuple(shlex.split(command)))


def load_adapter_config(path: Path) -> list[AdapterCommand]:
    """The adapters of a config file (see the module docstring)."""
    from .yaml_lines import load_yaml  # (only here: `tfconf run` imports this module before its workers start)

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except Exception as error:  # noqa: BLE001 - any unreadable file is a usage error
        raise AdapterCommandError(f"{path}: cannot read adapters config: {error}") from None
    adapters = data.get("adapters") if isinstance(data, dict) else None
    if not isinstance(adapters, dict) or not adapters:
        raise AdapterCommandError(f"{path}: expected a mapping 'adapters: {{NAME: {{command: ...}}}}'")
    commands = []
    for name, entry in adapters.items():
        line = adapters.line_of(name) if hasattr(adapters, "line_of") else 0
        if not isinstance(entry, dict) or "command" not in entry:
            raise AdapterCommandError(f"{path}:{line}: adapter {name!r} needs a 'command'")
        command = entry["command"]
        if isinstance(command, str):
            argv = tuple(shlex.split(command))
        elif isinstance(command, list) and all(isinstance(a, (str, int, float)) for a in command):
            argv = tuple(map(str, command))
        else:
            argv = ()
        env = entry.get("env", {})
        if not argv or not isinstance(env, dict):
            raise AdapterCommandError(f"{path}:{line}: adapter {name!r}: 'command' must be a non-empty string or "
                                      f"list of arguments, 'env' a mapping")
        commands.append(AdapterCommand(str(name), argv, {str(k): str(v) for k, v in env.items()}))
    return commands


def worker_factory(commands: Iterable[AdapterCommand]) -> Callable[[str], WorkerClient]:
    """Workers for named commands; the standard worker for registered adapters."""
    by_name = {c.name: c for c in commands}

    def make(name: str) -> WorkerClient:
        command = by_name.get(name)
        if command is None:
            return WorkerClient(name)
        argv = list(command.argv)
        if argv[0] == "python":
            argv[0] = sys.executable
        return WorkerClient(name, argv, env=dict(command.env))

    return make
