"""``tfconf fuzz``: the command's behaviour (conformance/cli.py only parses the arguments)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from . import AREAS
from .driver import AreaReport, FuzzOptions, format_report, fuzz

DEFAULT_ADAPTERS = ("tensorflow", "reference")


def fuzz_command(adapters: Sequence[str], areas: Sequence[str] | None, max_examples: int, seed: int,
                 save: str | None, timeout: float, json_path: str | None = None, gaps_fail: bool = False) -> int:
    """Fuzz each area, print per area what was found and how fast; exit 1 on any divergence."""
    chosen = list(dict.fromkeys(areas)) if areas else list(AREAS)
    options = FuzzOptions(max_examples=max_examples, seed=seed, timeout=timeout, gaps_fail=gaps_fail)
    print(f"fuzzing {', '.join(chosen)} on {', '.join(adapters)}: {max_examples} programs per area, seed {seed}",
          flush=True)

    def progress(report: AreaReport) -> None:
        print(format_report(report), flush=True)

    reports = fuzz(chosen, adapters, options, save=save, progress=progress)
    divergences = sum(r.divergences for r in reports)
    programs = sum(r.programs for r in reports)
    print(f"{programs} programs, {divergences} divergence(s)"
          + (f"; minimal programs saved in {save} (replay: tfconf run --spec {save})" if save and divergences else ""))
    if json_path:
        Path(json_path).write_text(json.dumps([r.to_json() for r in reports], indent=2), encoding="utf-8")
    return 1 if divergences else 0
