"""Run-to-run differences: what changed between an old and a new set of results
(``tfconf diff OLD.jsonl NEW.jsonl``, and the baseline section of the HTML report).

Everything is counted, never given as ratios, because a ratio hides what a reviewer must look at
("one regression" matters whatever the suite's size).

- a **regression** is a (scenario, adapter) pair that passed before and now fails or errors (or
  xpasses, which fails a run as well);
- a **fix** is a pair that failed, errored or xpassed before and now passes;
- other status changes (pass → skip, fail → error, …) are listed but are neither;
- **new** and **removed** scenarios are ids present in only one of the runs;
- **changed observations** are keys, of pairs that ran in both, whose observed value differs
  (or that one run observed and the other did not), whether or not the spec asserts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

from .format import last_line, observation_text
from .model import COMPARABLE, FAILING, Results, dumps


@dataclass(frozen=True)
class StatusChange:
    """One pair whose status changed."""

    scenario: str
    adapter: str
    old: str
    new: str
    detail: str = ""  # the new run's first mismatch or error line

    @property
    def pair(self) -> str:
        return f"{self.scenario}[{self.adapter}]"


@dataclass(frozen=True)
class ObservationChange:
    """One observation key of one pair whose value differs between the runs."""

    scenario: str
    adapter: str
    key: str
    old: Any  # the observation, or None when the old run did not observe this key
    new: Any


@dataclass(frozen=True)
class RunDiff:
    """What changed from ``old`` to ``new``."""

    regressions: tuple[StatusChange, ...] = ()
    fixes: tuple[StatusChange, ...] = ()
    other_changes: tuple[StatusChange, ...] = ()
    new_scenarios: tuple[str, ...] = ()
    removed_scenarios: tuple[str, ...] = ()
    changed_observations: tuple[ObservationChange, ...] = ()

    @property
    def has_regressions(self) -> bool:
        return bool(self.regressions)

    def counts(self) -> dict[str, int]:
        """Each category and how many entries it has."""
        return {"regressions": len(self.regressions), "fixes": len(self.fixes),
                "other status changes": len(self.other_changes), "new scenarios": len(self.new_scenarios),
                "removed scenarios": len(self.removed_scenarios),
                "changed observations": len(self.changed_observations)}


def _detail(data: Results, scenario: str, adapter: str) -> str:
    result = data.result(scenario, adapter)
    if result is None:
        return ""
    if result.status == "fail" and result.mismatches:
        return result.mismatches[0]
    if result.status == "error":
        return last_line(result.error)
    if result.status == "skip":
        return result.reason or ""
    return ""


def diff_results(old: Results, new: Results) -> RunDiff:
    """Compare two sets of results pair by pair."""
    regressions, fixes, others, changed = [], [], [], []
    for (scenario, adapter), now in new.results.items():
        before = old.result(scenario, adapter)
        if before is None:
            continue
        if before.status != now.status:
            change = StatusChange(scenario, adapter, before.status, now.status, _detail(new, scenario, adapter))
            if before.status == "pass" and now.status in FAILING:
                regressions.append(change)
            elif before.status in FAILING and now.status == "pass":
                fixes.append(change)
            else:
                others.append(change)
        if before.status in COMPARABLE and now.status in COMPARABLE:
            keys = list(dict.fromkeys([*before.observations, *now.observations]))
            for key in keys:
                a, b = before.observations.get(key), now.observations.get(key)
                if dumps(a) != dumps(b):
                    changed.append(ObservationChange(scenario, adapter, key, a, b))
    return RunDiff(tuple(regressions), tuple(fixes), tuple(others),
                   tuple(s for s in new.scenarios if s not in old.scenarios),
                   tuple(s for s in old.scenarios if s not in new.scenarios), tuple(changed))


def format_diff(diff: RunDiff, limit: int | None = 200) -> str:
    """The diff as plain text for a terminal: counts first, then every entry (up to ``limit``
    per category, saying how many more there are)."""
    out = [", ".join(f"{n} {name}" for name, n in diff.counts().items())]

    def section(title: str, lines: list[str]) -> None:
        if not lines:
            return
        out.append("")
        out.append(f"{title} ({len(lines)}):")
        shown = lines if limit is None else lines[:limit]
        out.extend(f"  {line}" for line in shown)
        if len(shown) < len(lines):
            out.append(f"  … and {len(lines) - len(shown)} more")

    status = lambda c: f"{c.pair}: {c.old} → {c.new}" + (f": {c.detail}" if c.detail else "")  # noqa: E731
    section("REGRESSIONS", [status(c) for c in diff.regressions])
    section("fixes", [status(c) for c in diff.fixes])
    section("other status changes", [status(c) for c in diff.other_changes])
    section("new scenarios", list(diff.new_scenarios))
    section("removed scenarios", list(diff.removed_scenarios))
    section("changed observations", [f"{c.scenario}[{c.adapter}] {c.key}: {observation_text(c.old)} → "
                                     f"{observation_text(c.new)}" for c in diff.changed_observations])
    return "\n".join(out)


def write_diff(diff: RunDiff, out: TextIO) -> int:
    """Print the diff; the exit status of ``tfconf diff`` (1 on any regression, else 0)."""
    out.write(format_diff(diff) + "\n")
    return 1 if diff.has_regressions else 0
