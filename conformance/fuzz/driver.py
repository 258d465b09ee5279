"""The fuzz driver: generate → run on every chosen adapter → compare every observation → shrink.

Each generated program runs on every adapter through `conformance.runner.AdapterPool`, whose
worker processes stay alive across programs (starting TensorFlow costs seconds; one program
costs milliseconds). The adapters of one program run concurrently, one thread each, so a
program costs the slowest adapter's time, not the sum.

A program *diverges* when adapters that completed it observed different things
(`conformance.compare.differences`: names, values bit-exactly, shapes, dtypes, identities,
error classes, messages and phases), or when one adapter's worker crashed on it. A program
that one adapter reports unsupported while another completes it is a *gap*, counted apart:
it is a missing API, not a wrong answer.

Search and shrinking are Hypothesis': the test function raises on a divergence, Hypothesis
shrinks the program to a minimal one and replays it last. One Hypothesis run stops at its
first failure, so the driver runs *rounds* (seed, seed+1 …): a divergence whose signature is
already known is counted, not raised, which lets later rounds look for other bugs.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Flaky

from ..compare import differences
from ..results import Result
from ..runner import AdapterPool, RunOptions, run_pair
from ..scenario import build_scenario
from ..workers import WorkerClient
from . import area_strategy
from .program import Raw

DEFAULT_PROGRAM_TIMEOUT = 60.0
SHRINK_LIMIT = 150  # programs run while shrinking one divergence, at most (then the best so far)
MAX_ROUNDS = 8

AGREE, DIVERGE, GAP, CRASH = "agree", "diverge", "gap", "crash"


class DivergenceFound(AssertionError):
    """Raised inside the Hypothesis test so that it shrinks the program."""


@dataclass
class ProgramOutcome:
    """One program run on every adapter."""

    raw: Raw
    results: dict[str, Result]
    kind: str
    differences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def signature(self) -> tuple:
        """What kind of divergence this is, independent of binding names and step positions:
        the first differing observation key (digits removed) and what each adapter had there.
        Later differences are usually consequences of the first."""
        if self.kind == CRASH:
            return (CRASH, tuple(sorted(n for n, r in self.results.items() if r.status == "error")))
        if self.kind == GAP:
            return (GAP,)
        first = self.differences[0]
        key = re.sub(r"\d+", "#", first["key"].split("#")[0])
        seen = tuple(sorted((name, _shape_of_value(value)) for name, value in first["values"].items()))
        return (key, seen)


def _shape_of_value(value: Any) -> str:
    if not isinstance(value, dict):
        return "missing" if value is None else type(value).__name__
    if value.get("kind") == "error":
        return f"error:{value['type']}"
    return str(value.get("kind"))


@dataclass
class Finding:
    """One kind of divergence: its minimal program and how often it was met."""

    minimal: ProgramOutcome
    count: int = 1
    saved: str | None = None


@dataclass
class AreaReport:
    """What fuzzing one area found."""

    area: str
    adapters: list[str]
    programs: int = 0       # programs run, shrinking included
    generated: int = 0      # programs Hypothesis generated before a failure (the search budget)
    duration: float = 0.0
    busy: dict[str, float] = field(default_factory=dict)  # seconds each adapter spent running
    findings: list[Finding] = field(default_factory=list)
    gaps: int = 0
    gap_reasons: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def divergences(self) -> int:
        return len(self.findings)

    @property
    def throughput(self) -> float:
        """Programs per second, wall clock, every adapter together."""
        return self.programs / self.duration if self.duration else 0.0

    def adapter_throughput(self) -> dict[str, float]:
        """Programs per second of each adapter's own running time."""
        return {name: (self.programs / busy if busy else 0.0) for name, busy in self.busy.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area, "adapters": self.adapters, "programs": self.programs,
            "generated": self.generated, "duration": round(self.duration, 3),
            "programs_per_second": round(self.throughput, 2),
            "adapter_programs_per_second": {k: round(v, 2) for k, v in self.adapter_throughput().items()},
            "divergences": [{"id": f.minimal.raw["id"], "count": f.count, "saved": f.saved,
                             "signature": repr(f.minimal.signature),
                             "differences": f.minimal.differences} for f in self.findings],
            "gaps": self.gaps, "gap_reasons": self.gap_reasons, "kinds": self.kinds,
        }


@dataclass(frozen=True)
class FuzzOptions:
    """How much to fuzz: ``max_examples`` programs generated per area (shrinking runs more)."""

    max_examples: int = 100
    seed: int = 0
    timeout: float = DEFAULT_PROGRAM_TIMEOUT
    shrink_limit: int = SHRINK_LIMIT
    max_rounds: int = MAX_ROUNDS
    gaps_fail: bool = False  # treat unsupported-on-one-adapter as a divergence (shrunk and saved)


class Fuzzer:
    """Runs generated programs on a fixed set of adapters, with workers kept alive throughout."""

    def __init__(self, adapters: Sequence[str], options: FuzzOptions = FuzzOptions(),
                 worker_factory: Callable[[str], WorkerClient] | None = None) -> None:
        if len(adapters) < 2:
            raise ValueError("differential fuzzing needs at least two adapters")
        self.adapters = list(adapters)
        self.options = options
        self.run_options = RunOptions(matrix=False, timeout=options.timeout)
        self.pool = AdapterPool(self.adapters, worker_factory or WorkerClient)
        self._threads = ThreadPoolExecutor(max_workers=len(self.adapters))
        self._cache: dict[str, ProgramOutcome] = {}

    def close(self) -> None:
        self._threads.shutdown(wait=True)
        self.pool.stop()

    def __enter__(self) -> "Fuzzer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one program ----------------------------------------------------------------------------
    def run_program(self, raw: Raw, report: AreaReport | None = None) -> ProgramOutcome:
        """Run ``raw`` on every adapter (concurrently) and classify what they observed."""
        key = json.dumps(raw, sort_keys=True)
        if key in self._cache:  # shrinking revisits programs; a replay costs nothing
            return self._cache[key]
        scenario = build_scenario(raw)
        futures = {name: self._threads.submit(run_pair, self.pool, scenario, name, self.run_options)
                   for name in self.adapters}
        results = {name: future.result() for name, future in futures.items()}
        outcome = classify(raw, results)
        if report is not None:
            report.programs += 1
            report.kinds[outcome.kind] = report.kinds.get(outcome.kind, 0) + 1
            for name, result in results.items():
                report.busy[name] = report.busy.get(name, 0.0) + result.duration
        self._cache[key] = outcome
        if len(self._cache) > 5000:
            self._cache.clear()
        return outcome

    # -- one area -------------------------------------------------------------------------------
    def fuzz_area(self, area: str, on_finding: Callable[[Finding], None] | None = None,
                  strategy: Any = None) -> AreaReport:
        """Fuzz ``area`` until ``max_examples`` programs were generated; shrink each new kind of
        divergence and hand it to ``on_finding`` (which may save it). ``strategy`` replaces the
        area's own (tests fuzz fake adapters with programs of their tiny API)."""
        report = AreaReport(area, list(self.adapters))
        started = time.perf_counter()
        strategy = strategy if strategy is not None else area_strategy(area)
        known: dict[tuple, Finding] = {}
        gaps_fail = self.options.gaps_fail

        for round_number in range(self.options.max_rounds):
            budget = self.options.max_examples - report.generated
            if budget <= 0:
                break
            state = {"failed": False, "shrinks": 0, "last": None}
            failing: dict[str, ProgramOutcome] = {}

            def test(raw: Raw) -> None:
                key = json.dumps(raw, sort_keys=True)
                if state["failed"]:
                    state["shrinks"] += 1
                    if state["shrinks"] > self.options.shrink_limit:
                        # enough shrinking: only programs already seen failing fail again, so
                        # Hypothesis settles on the smallest of them
                        if key in failing:
                            state["last"] = failing[key]
                            raise DivergenceFound(key)
                        return
                else:
                    report.generated += 1
                outcome = self.run_program(raw, report)
                if outcome.kind == GAP:
                    if not state["failed"]:  # gaps met while shrinking are not new programs
                        reason = _gap_reason(outcome)
                        report.gaps += 1
                        report.gap_reasons[reason] = report.gap_reasons.get(reason, 0) + 1
                    if not gaps_fail:
                        return
                if outcome.kind == AGREE:
                    return
                signature = outcome.signature
                if signature in known and not state["failed"]:
                    known[signature].count += 1
                    return
                if state["failed"] and signature != state["signature"]:
                    return  # shrink towards the same bug, not into another one
                state["failed"] = True
                state["signature"] = signature
                state["last"] = outcome
                failing[key] = outcome
                raise DivergenceFound(key)

            wrapped = settings(max_examples=max(budget, 1), database=None, deadline=None, derandomize=False,
                               phases=(Phase.generate, Phase.shrink), report_multiple_bugs=False,
                               suppress_health_check=list(HealthCheck), print_blob=False)(
                hypothesis_seed(self.options.seed + round_number)(given(strategy)(test)))
            try:
                wrapped()
            except (DivergenceFound, Flaky):
                pass
            minimal = state["last"]
            if minimal is None:
                if report.generated < self.options.max_examples and round_number == 0:
                    continue  # Hypothesis stopped early (it ran out of distinct programs)
                break
            finding = Finding(minimal)
            known[minimal.signature] = finding
            report.findings.append(finding)
            if on_finding is not None:
                on_finding(finding)
        report.duration = time.perf_counter() - started
        return report


def classify(raw: Raw, results: dict[str, Result]) -> ProgramOutcome:
    """agree / diverge / gap / crash, from each adapter's result of one program."""
    if any(r.status == "error" for r in results.values()):
        return ProgramOutcome(raw, results, CRASH)
    completed = {n: r for n, r in results.items() if r.status in ("pass", "fail")}
    if len(completed) < len(results):
        return ProgramOutcome(raw, results, GAP if completed else AGREE)
    from adapters.base import Outcome

    found = differences({n: Outcome("completed", r.observations) for n, r in completed.items()})
    if found:
        return ProgramOutcome(raw, results, DIVERGE, [d.to_json() for d in found])
    return ProgramOutcome(raw, results, AGREE)


def _gap_reason(outcome: ProgramOutcome) -> str:
    for name, result in outcome.results.items():
        if result.status == "skip":
            return f"{name}: {result.reason}"
    return "?"


def fuzz(areas: Sequence[str], adapters: Sequence[str], options: FuzzOptions = FuzzOptions(),
         save: str | None = None, worker_factory: Callable[[str], WorkerClient] | None = None,
         progress: Callable[[AreaReport], None] | None = None) -> list[AreaReport]:
    """Fuzz each area in turn on one set of workers; save each finding under ``save``."""
    from .corpus import save_finding

    reports = []
    with Fuzzer(adapters, options, worker_factory) as fuzzer:
        for area in areas:
            def on_finding(finding: Finding) -> None:
                if save:
                    finding.saved = str(save_finding(finding.minimal, save))
            report = fuzzer.fuzz_area(area, on_finding)
            reports.append(report)
            if progress:
                progress(report)
    return reports


def format_report(report: AreaReport) -> str:
    """A few lines per area: programs, divergences, gaps, throughput."""
    per_adapter = ", ".join(f"{n} {t:.1f}/s" for n, t in report.adapter_throughput().items())
    lines = [f"{report.area:<9} {report.programs} programs ({report.generated} generated) in {report.duration:.1f} s: "
             f"{report.throughput:.1f} programs/s [{per_adapter}]; "
             f"{report.divergences} divergence(s), {report.gaps} unsupported-on-one-adapter"]
    for finding in report.findings:
        keys = ", ".join(d["key"] for d in finding.minimal.differences[:4]) or finding.minimal.kind
        where = f" → {finding.saved}" if finding.saved else ""
        lines.append(f"  DIVERGENCE {finding.minimal.raw['id']} (met {finding.count}x): {keys}{where}")
    for reason, count in sorted(report.gap_reasons.items(), key=lambda kv: -kv[1])[:3]:
        lines.append(f"  unsupported ({count}x): {reason[:150]}")
    return "\n".join(lines)
