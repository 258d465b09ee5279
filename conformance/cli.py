"""``tfconf``: the command line. One verb per subcommand.

Exit codes: 0 every result matches the spec; 1 a result fails or errors; 2 bad usage or an
invalid spec.

This module imports only what starting a run's workers needs; loading the spec (YAML, JSON
Schema) and judging (numpy) are imported once the workers are importing their implementations,
so a run's longest wait, TensorFlow's import, starts a fifth of a second sooner.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .adapter_commands import (AdapterCommand, AdapterCommandError, load_adapter_config, parse_adapter_cmd,
                               worker_factory)
from .registry import adapter_entries
from .results import Result, footer, header, scenario_record, write_jsonl
from .runner import DEFAULT_TIMEOUT, RunOptions, Runner, usable_cpus
from .selection import SelectionError, parse_shard, select, shard
from .summary import float_agreement, problem_lines, summary_table

if TYPE_CHECKING:
    from .expectations import Divergence
    from .loader import LoadResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line usage: exit 2 with the message."""


def _load(spec: Sequence[str] | None, keyword: str | None = None) -> LoadResult:
    from .loader import load_spec

    result = load_spec([Path(p) for p in spec] if spec else None)
    try:
        result.scenarios = select(result.scenarios, keyword)
    except SelectionError as error:
        raise UsageError(str(error)) from None
    return result


def _print_problems(result: LoadResult) -> None:
    for problem in result.problems:
        print(f"error: {problem}", file=sys.stderr)


def _choose_adapters(names: Sequence[str] | None, commands: Sequence[AdapterCommand] = ()) -> list[str]:
    """The adapters of a run: the named ones, or every registered one that can run here plus
    every out-of-process command given."""
    entries = adapter_entries()
    external = [c.name for c in commands]
    if not names:
        chosen = [n for n, e in entries.items() if e.unavailable is None and n not in external] + external
        if not chosen:
            raise UsageError("no adapter can run here; see 'tfconf adapters'")
        return chosen
    for name in names:
        if name in external:
            continue
        if name not in entries:
            raise UsageError(f"unknown adapter {name!r}; known: {', '.join(entries) or 'none'}")
        if entries[name].unavailable:
            raise UsageError(f"adapter {name!r} cannot run here: {entries[name].unavailable}")
    return list(dict.fromkeys(names))


class _Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.enabled = sys.stderr.isatty() and total > 0

    def __call__(self, result: Result) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = int(width * self.done / self.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                             f"{result.scenario[:40]:<40}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 80 + "\r")


def _adapter_commands(args: argparse.Namespace) -> list[AdapterCommand]:
    try:
        commands = [parse_adapter_cmd(text) for text in args.adapter_cmd or ()]
        for config in args.adapters_config or ():
            commands += load_adapter_config(Path(config))
    except AdapterCommandError as error:
        raise UsageError(str(error)) from None
    return commands


def _divergences(args: argparse.Namespace, loaded: LoadResult, adapters: Sequence[str]) -> list[Divergence]:
    """Known divergences for this run; unreadable or stale entries are load problems."""
    from .expectations import default_files, load_expectations, stale_entries
    from .loader import default_spec_dir

    spec_dirs = [Path(p) for p in args.spec] if args.spec else [default_spec_dir()]
    files = default_files([p for p in spec_dirs if p.is_dir()], adapters)
    files += [Path(p) for p in args.expectations or ()]
    divergences, problems = load_expectations(files)
    problems += stale_entries(divergences, {s.id for s in loaded.scenarios})
    loaded.problems += problems
    return [d for d in divergences if d.adapter in adapters]


def cmd_run(args: argparse.Namespace) -> int:
    commands = _adapter_commands(args)
    adapters = _choose_adapters(args.adapter, commands)
    try:
        sharding = parse_shard(args.shard) if args.shard else None
    except SelectionError as error:
        raise UsageError(str(error)) from None
    started = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    options = RunOptions(jobs=args.jobs or default_jobs(), timeout=args.timeout, matrix=not args.no_matrix)
    runner = Runner(adapters, options, worker_factory=worker_factory(commands))
    runner.start()  # the workers import their implementations while the spec loads
    try:
        # The spec lives as long as the run: collections while it loads would free nothing, and
        # frozen, the collector need not scan it again and again afterwards.
        gc.disable()
        try:
            loaded = _load(args.spec)
        finally:
            gc.freeze()
            gc.enable()
        runner.options = replace(options, divergences=tuple(_divergences(args, loaded, adapters)))
        _print_problems(loaded)
        try:
            selected = select(loaded.scenarios, args.keyword)
            if args.keyword and loaded.scenarios and not selected:  # (a typo, not a run to report)
                raise SelectionError(f"-k {args.keyword!r} selects none of the {len(loaded.scenarios)} scenarios")
            loaded.scenarios = selected
            if sharding:
                loaded.scenarios = shard(loaded.scenarios, *sharding)
        except SelectionError as error:
            raise UsageError(str(error)) from None
        progress = _Progress(len(loaded.scenarios) * len(adapters))
        try:
            report = runner.run(loaded.scenarios, progress)
        finally:
            progress.close()
    finally:
        runner.close()
    if args.json or args.html or args.junit or args.markdown:  # rendering every program costs time
        records = [header(report.descriptions.values(), started)]
        records += [scenario_record(s).to_json() for s in loaded.scenarios]
        records += [r.to_json() for r in report.results]
        records += [c.to_json() for c in report.comparisons]
        records.append(footer(report.results, report.duration, report.startup))
        if args.json:
            write_jsonl(Path(args.json), records)
        from reports.outputs import reports_of_run

        for path in reports_of_run(records, html=args.html, junit=args.junit, markdown=args.markdown,
                                   baseline=args.baseline, spec=args.spec):
            print(f"wrote {path}")
    print(summary_table(report.results))
    for line in problem_lines(report.results):
        print(line)
    for line in float_agreement(report.results):
        print(line)
    if report.comparisons:
        print(f"{len(report.comparisons)} scenario(s) where adapters observed different things")
    print(f"{len(report.results)} results in {report.duration:.1f} s "
          f"(every worker started after {report.startup:.1f} s)")
    if loaded.problems:
        return EXIT_USAGE
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_smoke(args: argparse.Namespace) -> int:
    from .smoke import format_report, smoke, smoke_scenarios

    loaded = _load(args.spec)
    commands = _adapter_commands(args)
    _choose_adapters([args.adapter], commands)
    report = smoke(args.adapter, smoke_scenarios(loaded.scenarios), worker_factory(commands), args.timeout)
    print(format_report(report))
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_validate(args: argparse.Namespace) -> int:
    from .expectations import load_expectations, stale_entries
    from .loader import default_spec_dir

    loaded = _load(args.spec)
    spec_dirs = [Path(p) for p in args.spec] if args.spec else [default_spec_dir()]
    files = sorted(f for d in spec_dirs if d.is_dir() for f in (d / "expectations").glob("*.y*ml"))
    divergences, problems = load_expectations(files)
    loaded.problems += problems + stale_entries(divergences, {s.id for s in loaded.scenarios})
    _print_problems(loaded)
    print(f"{len(loaded.scenarios)} valid scenario(s), {len(loaded.problems)} problem(s)")
    return EXIT_USAGE if loaded.problems else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    loaded = _load(args.spec, args.keyword)
    _print_problems(loaded)
    for scenario in loaded.scenarios:
        claims = ",".join(scenario.claims) or "-"
        print(f"{scenario.id}  [{claims}]  {scenario.title}")
    return EXIT_USAGE if loaded.problems else EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    import yaml

    from .render import render_python

    loaded = _load(args.spec)
    matches = [s for s in loaded.scenarios if s.id == args.id]
    if not matches:
        raise UsageError(f"no scenario with id {args.id!r}")
    scenario = matches[0]
    if args.python:
        print(render_python(scenario), end="")
    else:
        print(f"# {scenario.file}:{scenario.line}")
        print(yaml.safe_dump(_plain(scenario.raw), sort_keys=False, allow_unicode=True), end="")
    return EXIT_OK


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def cmd_adapters(args: argparse.Namespace) -> int:
    from .workers import WorkerClient, WorkerError

    for name, entry in adapter_entries().items():
        if entry.unavailable:
            print(f"{name:<16} unavailable: {entry.unavailable}")
            continue
        if not args.describe:
            print(f"{name:<16} available  ({entry.target})")
            continue
        worker = WorkerClient(name)
        try:
            reply = worker.request({"op": "describe"}, 300)
        except WorkerError as error:
            print(f"{name:<16} broken: {str(error).splitlines()[0]}")
            continue
        finally:
            worker.stop()
        d = reply.get("description", {})
        print(f"{name:<16} {d.get('implementation')} {d.get('version')} on {d.get('device')}"
              + (f" {d.get('settings')}" if d.get("settings") else ""))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from reports.outputs import report_command

    return report_command(args.results, args.html, args.junit, args.markdown, args.baseline, args.strict, args.spec)


def cmd_diff(args: argparse.Namespace) -> int:
    from reports.outputs import diff_command

    return diff_command(args.old, args.new)


def cmd_fuzz(args: argparse.Namespace) -> int:
    from .fuzz.command import DEFAULT_ADAPTERS, fuzz_command

    adapters = _choose_adapters(args.adapter or list(DEFAULT_ADAPTERS))
    if len(adapters) < 2:
        raise UsageError("fuzzing compares adapters: name at least two")
    return fuzz_command(adapters, args.area, args.max_examples, args.seed, args.save, args.timeout, args.json,
                        args.gaps_fail)


def report_options(p: argparse.ArgumentParser) -> None:
    """The report outputs `run` and `report` both write."""
    p.add_argument("--html", metavar="DIR", help="write the HTML report into DIR")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML")
    p.add_argument("--markdown", metavar="FILE", help="write a Markdown summary (for CI step summaries)")
    p.add_argument("--baseline", metavar="OLD", help="results of an earlier run: the reports show what changed")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tfconf", description="Conformance suite for the TensorFlow 1.x graph API.")
    sub = parser.add_subparsers(dest="command", required=True)

    def spec_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--spec", action="append", metavar="PATH",
                       help="a scenario file or directory (repeatable; default: spec/)")

    run = sub.add_parser("run", help="run scenarios on adapters and judge them")
    spec_option(run)
    run.add_argument("--adapter", action="append", metavar="NAME", help="adapter to run (repeatable; default: every available one)")
    run.add_argument("-k", dest="keyword", metavar="EXPR", help="select scenarios by id, title or tag words (and/or/not)")
    run.add_argument("--json", metavar="FILE", help="write results as JSON Lines")
    report_options(run)
    run.add_argument("--shard", metavar="I/N", help="run only the I-th of N deterministic slices of the spec (CI sharding)")
    run.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                     help=f"parallel worker lanes (default: one per CPU, at most {MAX_DEFAULT_JOBS})")
    run.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S", help="per-scenario timeout in seconds")
    run.add_argument("--adapter-cmd", action="append", metavar="NAME=COMMAND",
                     help="an out-of-process adapter: a command speaking tfconf's JSON-lines protocol (repeatable)")
    run.add_argument("--adapters-config", action="append", metavar="FILE",
                     help="a YAML file of out-of-process adapters: {adapters: {NAME: {command: ..., env: {...}}}}")
    run.add_argument("--expectations", action="append", metavar="FILE",
                     help="known divergences of an adapter (besides spec/expectations/ADAPTER.yaml)")
    run.add_argument("--no-matrix", action="store_true",
                     help="do not run scenarios with a reader stage writer × reader across adapters")
    run.set_defaults(func=cmd_run)

    smoke_cmd = sub.add_parser("smoke", help="check an adapter end to end in seconds, with advice")
    spec_option(smoke_cmd)
    smoke_cmd.add_argument("adapter", metavar="ADAPTER")
    smoke_cmd.add_argument("--adapter-cmd", action="append", metavar="NAME=COMMAND")
    smoke_cmd.add_argument("--adapters-config", action="append", metavar="FILE")
    smoke_cmd.add_argument("--timeout", type=float, default=60.0, metavar="S")
    smoke_cmd.set_defaults(func=cmd_smoke)

    validate = sub.add_parser("validate", help="check every scenario file without running anything")
    spec_option(validate)
    validate.set_defaults(func=cmd_validate)

    listing = sub.add_parser("list", help="list scenarios")
    spec_option(listing)
    listing.add_argument("-k", dest="keyword", metavar="EXPR")
    listing.set_defaults(func=cmd_list)

    show = sub.add_parser("show", help="show one scenario, as YAML or as the TF1 Python it stands for")
    spec_option(show)
    show.add_argument("id")
    show.add_argument("--python", action="store_true", help="render the program as a runnable TF1 script")
    show.set_defaults(func=cmd_show)

    report = sub.add_parser("report", help="write reports from results files (shards are merged; a later file wins)")
    report.add_argument("results", nargs="+", metavar="RESULTS.jsonl")
    report_options(report)
    report.add_argument("--strict", action="store_true", help="refuse a result that two files both hold")
    spec_option(report)
    report.set_defaults(func=cmd_report)

    diff = sub.add_parser("diff", help="what changed between two results files; exit 1 on any regression")
    diff.add_argument("old", metavar="OLD.jsonl")
    diff.add_argument("new", metavar="NEW.jsonl")
    diff.set_defaults(func=cmd_diff)

    fuzz = sub.add_parser("fuzz", help="differential fuzzing: generated programs compared across adapters")
    fuzz.add_argument("--adapter", action="append", metavar="NAME",
                      help="adapter to compare (repeatable; default: tensorflow and reference)")
    fuzz.add_argument("--area", action="append", choices=("scopes", "numerics", "ops", "saver"),
                      help="area to fuzz (repeatable; default: all)")
    fuzz.add_argument("--max-examples", type=int, default=100, metavar="N", help="programs generated per area")
    fuzz.add_argument("--seed", type=int, default=0, metavar="S", help="seed (the same seed generates the same programs)")
    fuzz.add_argument("--save", metavar="DIR", help="write each minimal divergent program here as a scenario file")
    fuzz.add_argument("--json", metavar="FILE", help="write per-area statistics and findings as JSON")
    fuzz.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per-program timeout in seconds")
    fuzz.add_argument("--gaps-fail", action="store_true",
                      help="count a program one adapter reports unsupported as a divergence")
    fuzz.set_defaults(func=cmd_fuzz)

    adapters = sub.add_parser("adapters", help="list registered adapters and whether they can run here")
    adapters.add_argument("--describe", action="store_true", help="start each adapter and print its description")
    adapters.set_defaults(func=cmd_adapters)
    return parser


# Each lane holds a worker per adapter (a TensorFlow worker: a few hundred MB), so the default
# stops at a few lanes however many CPUs there are; -j N asks for more.
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """Lanes for a run without -j: the CPUs this process may use, at most `MAX_DEFAULT_JOBS`."""
    return max(1, min(usable_cpus(), MAX_DEFAULT_JOBS))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs < 1:
        parser.error("-j must be at least 1")
    timeout = getattr(args, "timeout", None)
    if timeout is not None and not 0 < timeout < float("inf"):  # (NaN fails both)
        parser.error(f"--timeout must be a positive number of seconds, not {timeout}")
    try:
        return args.func(args)
    except UsageError as error:
        print(f"tfconf: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
