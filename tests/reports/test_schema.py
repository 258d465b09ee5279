"""conformance/schemas/results.schema.json describes every record a run writes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conformance.loader import schema
from conformance.results import read_jsonl
from report_fixtures import standard_run

ROOT = Path(__file__).resolve().parents[2]


def _validator() -> jsonschema.protocols.Validator:
    document = schema("results.schema.json")
    cls = jsonschema.validators.validator_for(document)
    cls.check_schema(document)
    return cls(document)


def _problems(path: Path) -> list[str]:
    validator = _validator()
    problems = []
    for number, record in enumerate(read_jsonl(path), 1):
        for error in validator.iter_errors(record):
            problems.append(f"{path.name}:{number}: {record.get('type')}: {error.message[:300]}")
    return problems


def test_schema_statuses_are_the_harness_statuses():
    from conformance.results import STATUSES

    assert schema("results.schema.json")["$defs"]["status"]["enum"] == list(STATUSES)


def test_synthetic_records_validate(tmp_path):
    assert _problems(standard_run(tmp_path / "r.jsonl")) == []


@pytest.mark.parametrize("record", [
    {"type": "result", "scenario": "a/b", "adapter": "x", "status": "passed", "duration": 0, "observations": {},
     "checks": [], "mismatches": []},
    {"type": "result", "scenario": "a/b", "adapter": "x", "status": "skip", "duration": 0, "observations": {},
     "checks": [], "mismatches": [], "reason": None},
    {"type": "result", "scenario": "a/b", "adapter": "x", "status": "pass", "duration": 0,
     "observations": {"v": {"kind": "tensor", "name": "v:0"}}, "checks": [], "mismatches": []},
    {"type": "footer", "duration": 1},
    {"type": "footer", "duration": 1, "startup": "soon",
     "totals": {"total": 0, "pass": 0, "fail": 0, "error": 0, "skip": 0, "by_adapter": {}}},
    {"type": "comparison", "scenario": "a/b", "adapters": ["x"], "differences": []},
    {"type": "banner"},
])
def test_invalid_records_are_rejected(record):
    assert list(_validator().iter_errors(record))


@pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None, reason="tensorflow is not installed")
def test_a_real_run_validates(tmp_path):
    """Every record of a real ``tfconf run`` of the whole spec (tensorflow and reference adapters:
    results, skips or errors, and comparison records where they disagree) against the schema."""
    out = tmp_path / "run.jsonl"
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--adapter", "tensorflow",
                           "--adapter", "reference", "--json", str(out), "--html", str(tmp_path / "html"),
                           "--junit", str(tmp_path / "junit.xml"), "--markdown", str(tmp_path / "summary.md")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    # Exit 1 is also how an uncaught exception ends: require that none happened.
    assert proc.returncode in (0, 1) and "Traceback (most recent call last)" not in proc.stderr, proc.stderr
    assert out.exists() and (tmp_path / "html" / "index.html").exists(), proc.stdout[-3000:] + proc.stderr
    types = [r["type"] for r in read_jsonl(out)]
    assert types[0] == "header" and types[-1] == "footer"
    assert "scenario" in types and "result" in types
    assert _problems(out) == []
    # The same run wrote its reports (tfconf run --html/--junit/--markdown).
    assert "def program():" in (tmp_path / "html" / "index.html").read_text()
    assert (tmp_path / "junit.xml").read_text().count("<testcase") == types.count("result")
    assert (tmp_path / "summary.md").read_text().startswith("## tfconf")
