"""The strategies generate valid scenarios: each passes the JSON Schema and the loader's checks
(every ``$name`` bound before use, claims known), survives a YAML round trip, and builds."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, seed, settings

from conformance.fuzz import AREAS, area_strategy
from conformance.fuzz.program import digest
from conformance.loader import _load_documents, default_spec_dir, load_file
from conformance.claims import load_claims

CLAIMS = load_claims(default_spec_dir() / "claims.yaml")


@pytest.mark.parametrize("area", AREAS)
def test_generated_programs_are_valid_scenarios(area: str) -> None:
    seen: list[str] = []

    @seed(1234)
    @settings(max_examples=150, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(area_strategy(area))
    def check(raw: dict) -> None:
        # the loader's own path: schema, then building, then the semantic checks
        scenarios, problems = _load_documents("<generated>", [raw], CLAIMS)
        assert not problems, [str(p) for p in problems]
        (scenario,) = scenarios
        assert scenario.id == f"fuzz/{area}-{digest(raw['program'])}"
        assert "expect" not in raw, "the oracle is agreement between adapters, not expectations"
        seen.append(scenario.id)

    check()
    assert len(set(seen)) > 50, "the strategy should produce varied programs"


@pytest.mark.parametrize("area", AREAS)
def test_generated_programs_survive_a_yaml_file(area: str, tmp_path) -> None:
    path = tmp_path / "one.yaml"

    @seed(99)
    @settings(max_examples=10, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(area_strategy(area))
    def check(raw: dict) -> None:
        path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
        scenarios, problems = load_file(path, CLAIMS)
        assert not problems and scenarios[0].id == raw["id"]

    check()


def test_some_saver_programs_damage_the_checkpoint_they_restore() -> None:
    damages: list[dict] = []

    @seed(5)
    @settings(max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(area_strategy("saver"))
    def check(raw: dict) -> None:
        steps = [step for step in raw["program"] if "damage" in step]
        damages.extend(steps)
        if steps:  # between the saving session and the restoring one
            index = raw["program"].index(steps[0])
            assert "with" in raw["program"][index - 1] and "with" in raw["program"][index + 1]

    check()
    assert len(damages) > 10
    assert {next(k for k in ("flip", "truncate", "remove") if k in d) for d in damages} == {"flip", "truncate", "remove"}
    assert not any("flip" in d and d["damage"] == "ckpt/checkpoint" for d in damages)
