"""The pytest plugin: ``pytest`` collects ``spec/**/*.yaml`` as one test item per
(scenario, adapter), with ids like ``scopes/reuse-true-missing[tensorflow]``.

Items run through the same worker processes and judge as ``tfconf run``, so verdicts match the
CLI's. ``--adapter NAME`` (repeatable) selects adapters; by default every adapter that can run
here. ``-k`` and ``-n auto`` (pytest-xdist) work as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from .claims import load_claims
from .expectations import apply_expectations, default_files, load_expectations
from .loader import SPEC_SUFFIXES, find_claims_file, load_file, validated_scenarios
from .results import Result
from .runner import AdapterPool, RunOptions, run_matrix_pair, run_pair
from .scenario import Scenario
from .validation_cache import ValidatedScenarios

_POOL_KEY = pytest.StashKey[AdapterPool]()
_DIVERGENCES_KEY = pytest.StashKey[dict]()
_VALIDATED_KEY = pytest.StashKey[ValidatedScenarios]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tfconf", "tfconf conformance scenarios")
    group.addoption("--adapter", action="append", dest="tfconf_adapters", metavar="NAME",
                    help="run spec scenarios on this adapter (repeatable; default: every available one)")
    group.addoption("--tfconf-timeout", type=float, default=RunOptions().timeout, metavar="S",
                    help="per-scenario timeout in seconds")
    group.addoption("--no-spec", action="store_true", default=False,
                    help="do not collect spec/**/*.yaml scenarios")


def _is_spec_file(path: Path) -> bool:
    if path.suffix not in SPEC_SUFFIXES or path.name == "claims.yaml" or path.parent.name == "expectations":
        return False
    return _spec_root(path) is not None


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if parent.config.getoption("no_spec") or not _is_spec_file(file_path):
        return None
    return ScenarioFile.from_parent(parent, path=file_path)


def _adapters(config: pytest.Config) -> list[str]:
    from .cli import UsageError, _choose_adapters

    try:
        return _choose_adapters(config.getoption("tfconf_adapters"))
    except UsageError as error:
        raise pytest.UsageError(str(error)) from None


def _spec_root(path: Path) -> Path | None:
    """The spec/ folder (the one holding claims.yaml) a scenario file belongs to."""
    return next((p for p in path.parents if p.name == "spec" and (p / "claims.yaml").is_file()), None)


def _divergences(config: pytest.Config, path: Path) -> tuple:
    """Known divergences (<spec>/expectations/<adapter>.yaml), as `tfconf run` applies them."""
    cache = config.stash.setdefault(_DIVERGENCES_KEY, {})
    root = _spec_root(path)
    if root not in cache:
        divergences, problems = load_expectations(default_files([root] if root else [], _adapters(config)))
        if problems:
            raise pytest.UsageError("\n".join(str(p) for p in problems))
        cache[root] = tuple(divergences)
    return cache[root]


def _validated_scenarios(config: pytest.Config) -> ValidatedScenarios:
    """One cache of schema-valid scenarios for the whole session."""
    if _VALIDATED_KEY not in config.stash:
        config.stash[_VALIDATED_KEY] = validated_scenarios()
    return config.stash[_VALIDATED_KEY]


class SpecLoadError(Exception):
    """A spec file with problems: reported as a collection error naming file and line."""


class ScenarioFile(pytest.File):
    """One spec file: its scenarios × the chosen adapters."""

    def collect(self) -> Iterator[pytest.Item]:
        claims_file = find_claims_file([self.path])
        claims = load_claims(claims_file) if claims_file else None
        validated = _validated_scenarios(self.config)
        scenarios, problems = load_file(self.path, claims, validated)
        validated.save()
        if problems:
            raise SpecLoadError("\n".join(str(p) for p in problems))
        adapters = _adapters(self.config)
        for scenario in scenarios:
            for adapter in adapters:
                yield ScenarioItem.from_parent(self, name=f"{scenario.id}[{adapter}]", scenario=scenario,
                                               adapter=adapter)
            if scenario.has_reader:  # writer × reader, as `tfconf run` does
                for writer in adapters:
                    for reader in adapters:
                        if writer != reader:
                            yield ScenarioItem.from_parent(self, name=f"{scenario.id}[{writer}→{reader}]",
                                                           scenario=scenario, adapter=reader, writer=writer)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, SpecLoadError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))  # (a collector's takes no style)


class ScenarioFailed(Exception):
    """A scenario that failed or errored on an adapter."""


class ScenarioItem(pytest.Item):
    """One scenario on one adapter."""

    def __init__(self, *, scenario: Scenario, adapter: str, writer: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.adapter = adapter
        self.writer = writer
        self.result: Result | None = None
        for tag in scenario.tags:
            self.add_marker(pytest.mark.tfconf_tag(tag))

    def _pool(self) -> AdapterPool:
        stash = self.config.stash
        if _POOL_KEY not in stash:
            stash[_POOL_KEY] = AdapterPool(_adapters(self.config))
        return stash[_POOL_KEY]

    def runtest(self) -> None:
        options = RunOptions(timeout=self.config.getoption("tfconf_timeout"))
        if self.writer is None:
            result = run_pair(self._pool(), self.scenario, self.adapter, options)
        else:
            result = run_matrix_pair(self._pool(), self.scenario, self.writer, self.adapter, options)
        result = apply_expectations(result, _divergences(self.config, self.path), self._pool().descriptions)
        self.result = result
        if result.status == "skip":
            pytest.skip(result.reason or "skipped")
        if result.status == "xfail":
            pytest.xfail(result.reason or "expected failure")
        if result.status == "xpass":
            raise ScenarioFailed(result.reason or "an expected failure passed")
        if result.status == "error":
            raise ScenarioFailed(f"adapter error:\n{result.error}")
        if result.status == "fail":
            raise ScenarioFailed(format_mismatches(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            where = self.adapter if self.writer is None else f"{self.writer} (writer) → {self.adapter} (reader)"
            return f"{self.scenario.file}:{self.scenario.line}: {self.scenario.id} on {where}\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.scenario.line - 1, self.name


def format_mismatches(result: Result) -> str:
    """A readable diff of what the spec expected and what the adapter observed."""
    lines = []
    for check in result.checks:
        if check.get("ok"):
            continue
        lines.append(f"line {check['line']}: {check['label']}: {check['message']}")
        lines.append(f"  - expected: {check['expected']!r}")
        lines.append(f"  + observed: {check['observed']!r}")
    return "\n".join(lines) or "\n".join(result.mismatches)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tfconf_tag(name): a tag of a tfconf scenario")
    if config.getoption("tfconf_adapters"):
        _adapters(config)  # an unknown --adapter is bad usage, said before anything is collected


def pytest_unconfigure(config: pytest.Config) -> None:
    pool = config.stash.get(_POOL_KEY, None)
    if pool is not None:
        pool.stop()
