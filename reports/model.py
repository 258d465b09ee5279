"""Reading results files (JSON Lines written by ``tfconf run --json``) into one immutable model.

Several files can be merged: shards of one run split by scenario (``-k``) or by adapter, or
reruns of a few scenarios. The rules, in file order:

- a (scenario, adapter) result that appears in two files: the **later file wins** (a rerun
  replaces what it reran); each replacement is listed in `Results.replaced` so a report can say
  so. Pass ``duplicates="error"`` to refuse instead. Twice in *one* file is always an error: no
  run writes that, so the file is damaged.
- adapter descriptions and scenario records: the later file's wins.
- comparisons are re-derived from the merged observations with the runner's own function
  (`conformance.compare.differences`), never copied: shards split by adapter have no
  comparison records at all, and after a rerun the stored ones would be stale.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence

from adapters.base import AdapterDescription, Outcome
from conformance.compare import differences
from conformance.results import STATUSES, Comparison, Result, ScenarioRecord, read_jsonl

RECORD_TYPES = ("header", "scenario", "result", "comparison", "footer")
# Statuses whose observations are compared across adapters, as the runner compares them.
COMPARABLE = ("pass", "fail")
# Statuses that fail a run (`conformance.runner.RunReport.ok`); xfail is a known divergence.
FAILING = ("fail", "error", "xpass")


class ResultsError(ValueError):
    """A results file that cannot be read: names the file and line."""


@dataclass(frozen=True)
class RunInfo:
    """The header (and footer) of one results file."""

    source: str
    tfconf: str = "?"
    git: str | None = None
    platform: str = ""
    python: str = ""
    started: str = ""
    duration: float | None = None
    startup: float | None = None  # of duration: until every worker had started


@dataclass(frozen=True)
class Results:
    """Everything a report shows, merged from one or more results files.

    ``scenarios`` and ``adapters`` keep the order in which they first appeared; ``results`` is
    keyed by (scenario id, adapter name). Treat the mappings as read-only.
    """

    runs: tuple[RunInfo, ...] = ()
    adapters: Mapping[str, AdapterDescription] = field(default_factory=dict)
    scenarios: Mapping[str, ScenarioRecord] = field(default_factory=dict)
    results: Mapping[tuple[str, str], Result] = field(default_factory=dict)
    comparisons: Mapping[str, Comparison] = field(default_factory=dict)
    replaced: tuple[str, ...] = ()

    def result(self, scenario: str, adapter: str) -> Result | None:
        """The result of one pair, or None when that pair did not run."""
        return self.results.get((scenario, adapter))

    def results_of(self, scenario: str) -> list[Result]:
        """A scenario's results, in adapter order."""
        return [r for a in self.adapters if (r := self.results.get((scenario, a))) is not None]

    @property
    def areas(self) -> list[str]:
        """Every area, sorted."""
        return sorted({s.area for s in self.scenarios.values()})

    def counts(self) -> dict[tuple[str, str], Counter]:
        """(area, adapter) → Counter of statuses."""
        table: dict[tuple[str, str], Counter] = {}
        for (scenario, adapter), result in self.results.items():
            area = self.scenarios[scenario].area
            table.setdefault((area, adapter), Counter())[result.status] += 1
        return table

    def totals(self) -> dict[str, Counter]:
        """adapter → Counter of statuses (every adapter present, even with no results)."""
        totals = {a: Counter() for a in self.adapters}
        for (_, adapter), result in self.results.items():
            totals.setdefault(adapter, Counter())[result.status] += 1
        return totals

    @property
    def ok(self) -> bool:
        """True when nothing failed or errored (what ``tfconf run`` exits 0 on)."""
        return all(r.status not in FAILING for r in self.results.values())


def load(paths: Sequence[Path | str], duplicates: Literal["later", "error"] = "later") -> Results:
    """Read and merge results files (see the module docstring for the merge rules)."""
    sources = []
    for path in paths:
        path = Path(path)
        try:
            records = list(read_jsonl(path))
        except OSError as error:
            raise ResultsError(f"{path}: cannot read: {error.strerror or error}") from None
        except ValueError as error:
            raise ResultsError(str(error)) from None
        sources.append((str(path), records))
    return merge(sources, duplicates)


def from_records(records: Iterable[Mapping[str, Any]], source: str = "<run>") -> Results:
    """The model of records already in memory (``tfconf run`` hands its own over this way)."""
    return merge([(source, list(records))])


def merge(sources: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
          duplicates: Literal["later", "error"] = "later") -> Results:
    """Merge (source name, records) pairs in order."""
    runs: list[RunInfo] = []
    adapters: dict[str, AdapterDescription] = {}
    scenarios: dict[str, ScenarioRecord] = {}
    results: dict[tuple[str, str], Result] = {}
    origin: dict[tuple[str, str], str] = {}
    replaced: list[str] = []
    for source, records in sources:
        run = RunInfo(source)
        seen_here: set[tuple[str, str]] = set()
        for number, record in enumerate(records, 1):
            where = f"{source}:{number}"
            kind = record.get("type") if isinstance(record, Mapping) else None
            try:
                if kind == "header":
                    run = RunInfo(source, record.get("tfconf", "?"), record.get("git"), record.get("platform", ""),
                                  record.get("python", ""), record.get("started", ""))
                    for description in record.get("adapters", ()):
                        adapters[description["name"]] = AdapterDescription.from_json(description)
                elif kind == "scenario":
                    scenarios[record["id"]] = ScenarioRecord.from_json(record)
                elif kind == "result":
                    result = Result.from_json(record)
                    if result.status not in STATUSES:
                        raise ResultsError(f"{where}: unknown status {result.status!r}")
                    key = (result.scenario, result.adapter)
                    if key in seen_here:
                        raise ResultsError(f"{where}: {result.scenario}[{result.adapter}] appears twice in one file")
                    if key in results:
                        if duplicates == "error":
                            raise ResultsError(f"{where}: {result.scenario}[{result.adapter}] is already in "
                                               f"{origin[key]}")
                        replaced.append(f"{result.scenario}[{result.adapter}]: {source} replaces {origin[key]}")
                    seen_here.add(key)
                    results[key], origin[key] = result, source
                    adapters.setdefault(result.adapter, _pair_description(result) if result.writer else
                                        AdapterDescription(result.adapter, "unknown (not in the header)", "?"))
                    if result.scenario not in scenarios:
                        # Older files have no scenario records: what the result says is all we know.
                        scenarios[result.scenario] = ScenarioRecord(result.scenario, result.title, result.area,
                                                                    tuple(result.claims))
                elif kind == "footer":
                    run = replace(run, duration=_seconds(record.get("duration")),
                                  startup=_seconds(record.get("startup")))
                elif kind == "comparison":
                    pass  # re-derived below from the merged observations
                else:
                    raise ResultsError(f"{where}: unknown record type {kind!r}")
            except (KeyError, TypeError, AttributeError) as error:
                raise ResultsError(f"{where}: malformed {kind or 'record'}: {error!r}") from None
        runs.append(run)
    ordered = {s: scenarios[s] for s in scenarios if any((s, a) in results for a in adapters)}
    comparisons = {}
    for scenario in ordered:
        found = compare_results([results[(scenario, a)] for a in adapters if (scenario, a) in results])
        if found is not None:
            comparisons[scenario] = found
    return Results(tuple(runs), adapters, ordered, results, comparisons, tuple(replaced))


def compare_results(results: Sequence[Result]) -> Comparison | None:
    """Where one scenario's comparable results disagree (None when they agree or are too few)."""
    comparable = [r for r in results if r.status in COMPARABLE and r.writer is None]
    found = differences({r.adapter: Outcome("completed", r.observations) for r in comparable})
    if not found:
        return None
    return Comparison(comparable[0].scenario, tuple(r.adapter for r in comparable), tuple(d.to_json() for d in found))


def _pair_description(result: Result) -> AdapterDescription:
    """A writer × reader pair (``tensorflow→reference``) is no adapter of its own: say what it is."""
    return AdapterDescription(result.adapter, f"{result.writer} writes, {result.reader} reads", "-", "-",
                              capabilities=("writer-reader",))


def is_pair(description: AdapterDescription) -> bool:
    """Whether a column of the results is a writer × reader pair rather than one adapter."""
    return "writer-reader" in description.capabilities


def with_spec_details(data: Results, spec: Sequence[Path] | None = None) -> Results:
    """Fill in what older results files lack (the rendered Python, erratum, tags) from the spec,
    for every scenario that is still loadable. Stored values win: they describe what ran."""
    missing = [s for s in data.scenarios.values() if s.python is None]
    if not missing:
        return data
    from conformance.loader import load_spec
    from conformance.results import scenario_record

    try:
        loaded = {s.id: s for s in load_spec(list(spec) if spec else None).scenarios}
    except Exception:  # noqa: BLE001 - a broken spec only costs the extra details
        return data
    scenarios = dict(data.scenarios)
    for record in missing:
        if record.id in loaded:
            fresh = scenario_record(loaded[record.id])
            scenarios[record.id] = replace(record, python=fresh.python, erratum=record.erratum or fresh.erratum,
                                           tags=record.tags or fresh.tags, file=record.file or fresh.file,
                                           line=record.line or fresh.line)
    return replace(data, scenarios=scenarios)


def dumps(value: Any) -> str:
    """Compact, deterministic JSON (for comparing observations by value)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _seconds(value: Any) -> float | None:
    """A footer's time, or None where it is missing or not a number (reports show '?')."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
