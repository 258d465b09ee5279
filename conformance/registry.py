"""Finding adapters: the ``tfconf.adapters`` entry-point group (built-ins included)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from importlib.metadata import entry_points

from adapters.base import unavailable_reason

GROUP = "tfconf.adapters"


@dataclass(frozen=True)
class AdapterEntry:
    """An adapter as registered: its name, where it lives, and why it cannot run here (if so)."""

    name: str
    target: str
    unavailable: str | None = None


def adapter_entries() -> dict[str, AdapterEntry]:
    """Every registered adapter, by name, with its availability."""
    found = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        try:
            reason = unavailable_reason(ep.load())
        except Exception as error:  # noqa: BLE001 - a broken plug-in is unavailable, not fatal
            reason = f"cannot load {ep.value}: {error!r}"
        found[ep.name] = AdapterEntry(ep.name, ep.value, reason)
    return found


def load_adapter(name: str) -> object:
    """Instantiate the adapter registered under ``name``, or named ``module:Class`` directly."""
    if ":" in name:
        module, _, attr = name.partition(":")
        return getattr(importlib.import_module(module), attr)()
    for ep in entry_points(group=GROUP):
        if ep.name == name:
            return ep.load()()
    raise KeyError(f"no adapter named {name!r} in the {GROUP!r} entry-point group")
