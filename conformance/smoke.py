"""``tfconf smoke ADAPTER``: check an adapter end to end in seconds, with concrete advice.

It starts the adapter's worker, checks its description, runs the first scenario of each area of
the spec, lists the APIs it reported unsupported, and says what to do about anything wrong.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

import jsonschema

from .loader import schema
from .results import Result
from .runner import AdapterPool, RunOptions, run_pair
from .scenario import Scenario
from .workers import WorkerClient, WorkerError


@dataclass
class SmokeReport:
    adapter: str
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.lines.append(text)

    def problem(self, text: str, advice: str) -> None:
        self.ok = False
        self.lines.append(f"PROBLEM: {text}")
        self.advice.append(advice)


def validate_protocol_message(message: dict, kind: str) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``message`` is a valid request or reply."""
    document = dict(schema("protocol.schema.json"))
    document["oneOf"] = [{"$ref": f"#/$defs/{kind}"}]
    jsonschema.validate(message, document)


def smoke_scenarios(scenarios: Sequence[Scenario], per_area: int = 1) -> list[Scenario]:
    """The first scenario(s) of each area, by id: a handful that touch every part of the API."""
    chosen: dict[str, list[Scenario]] = {}
    for scenario in sorted(scenarios, key=lambda s: s.id):
        picked = chosen.setdefault(scenario.area, [])
        if len(picked) < per_area:
            picked.append(scenario)
    return [s for area in sorted(chosen) for s in chosen[area]]


def smoke(adapter: str, scenarios: Sequence[Scenario], factory: Callable[[str], WorkerClient],
          timeout: float = 60.0) -> SmokeReport:
    report = SmokeReport(adapter)
    started = time.perf_counter()
    worker = factory(adapter)
    try:
        reply = worker.request({"op": "describe"}, timeout=max(timeout, 120.0))
    except WorkerError as error:
        report.problem(f"the adapter did not start: {str(error).splitlines()[0]}",
                       "Run its worker by hand to see why: `python -m conformance.worker NAME` (or your "
                       "--adapter-cmd command), type {\"op\": \"describe\"} and Enter; it must answer one JSON "
                       "line on stdout and print anything else to stderr.\n" + str(error))
        return report
    finally:
        worker.stop()
    if not reply.get("ok"):
        report.problem("describe() failed", "describe() must return an AdapterDescription:\n"
                       + str(reply.get("error", ""))[-1500:])
        return report
    try:
        validate_protocol_message(reply, "reply")
        description = reply["description"]
        report.say(f"describes itself: {description['implementation']} {description['version']} "
                   f"on {description.get('device', '?')} (started in {time.perf_counter() - started:.1f} s)")
    except (jsonschema.ValidationError, KeyError) as error:
        report.problem(f"its description does not follow the protocol: {getattr(error, 'message', error)}",
                       "describe() must give name, implementation and version (see "
                       "conformance/schemas/protocol.schema.json).")
        return report
    _run_smoke_scenarios(report, adapter, scenarios, factory, timeout)
    report.say(f"done in {time.perf_counter() - started:.1f} s")
    return report


def _run_smoke_scenarios(report: SmokeReport, adapter: str, scenarios: Sequence[Scenario],
                         factory: Callable[[str], WorkerClient], timeout: float) -> None:
    pool = AdapterPool([adapter], factory)
    results: list[Result] = []
    try:
        for scenario in scenarios:
            result = run_pair(pool, scenario, adapter, RunOptions(timeout=timeout))
            results.append(result)
            report.say(f"{result.status:<5} {scenario.id} ({result.duration * 1000:.0f} ms)")
            if result.status == "skip" and result.reason and result.reason.startswith("unsupported"):
                report.unsupported.append(result.reason.removeprefix("unsupported: "))
            elif result.status == "error":
                first = (result.error or "").strip().splitlines()
                report.problem(f"{scenario.id} raised inside the adapter: {first[-1] if first else '?'}",
                               _error_advice(result.error or ""))
    finally:
        pool.stop()
    if results and all(r.status == "skip" for r in results):
        report.problem("every scenario was skipped as unsupported",
                       "load_api() probably fails or returns the wrong module; the first reason was: "
                       + (report.unsupported[0] if report.unsupported else "?"))
    failed = [r for r in results if r.status == "fail"]
    if failed:
        report.say(f"{len(failed)} scenario(s) disagree with the spec (that is conformance, not a broken "
                   f"adapter): `tfconf run --adapter {adapter} -k {failed[0].scenario}` shows the mismatch")


def _error_advice(error: str) -> str:
    if "timed out" in error:
        return "The adapter did not answer in time: look for a hang (a session never closed, a lock, input())."
    if "not the protocol" in error:
        return "Something printed to stdout: the protocol owns stdout, print to stderr instead."
    if "exited" in error:
        return "The worker process died (a crash in native code?): its stderr tail is above."
    return "run() raised instead of returning an Outcome; an API exception belongs in the observations, " \
           "an unsupported API should raise adapters.base.Unsupported:\n" + error[-1500:]


def format_report(report: SmokeReport) -> str:
    lines = [f"smoke test of adapter {report.adapter!r}", *("  " + line for line in report.lines)]
    if report.unsupported:
        lines.append("unsupported APIs:")
        lines += [f"  - {u}" for u in dict.fromkeys(report.unsupported)]
    if report.advice:
        lines.append("advice:")
        lines += ["  - " + a.replace("\n", "\n    ") for a in report.advice]
    lines.append("OK: the adapter works end to end" if report.ok else "NOT OK")
    return "\n".join(lines)
