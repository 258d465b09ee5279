"""Differential fuzzing: generated TF1 programs, run on several adapters, compared.

Hypothesis strategies (``strategies_*``) generate raw scenario mappings — data in the scenario
format, never code — for one area each; `driver` runs them on every chosen adapter through
long-lived worker processes, compares every observation and shrinks a divergence to a minimal
program; `corpus` saves it as a scenario file that ``tfconf run --spec DIR`` replays.
"""

from __future__ import annotations

from typing import Any, Callable

AREAS = ("scopes", "numerics", "ops", "saver")


def area_strategy(area: str) -> Any:
    """The Hypothesis strategy of raw scenario mappings for ``area`` (imported lazily: building
    strategies imports hypothesis, which the rest of tfconf does not need)."""
    factories: dict[str, Callable[[], Any]] = {
        "scopes": lambda: __import__("conformance.fuzz.strategies_scopes", fromlist=["programs"]).programs(),
        "numerics": lambda: __import__("conformance.fuzz.strategies_numerics", fromlist=["programs"]).programs(),
        "ops": lambda: __import__("conformance.fuzz.strategies_ops", fromlist=["programs"]).programs(),
        "saver": lambda: __import__("conformance.fuzz.strategies_saver", fromlist=["programs"]).programs(),
    }
    if area not in factories:
        raise KeyError(f"unknown fuzz area {area!r}; known: {', '.join(AREAS)}")
    return factories[area]()
