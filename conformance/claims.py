"""The claims inventory (spec/claims.yaml): every behaviour the source documents claim."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .yaml_lines import load_yaml


@dataclass(frozen=True)
class Claim:
    """One claim of a source document, in our own words."""

    id: str
    tier: int
    area: str
    document: str
    summary: str


def load_claims(path: Path) -> dict[str, Claim]:
    """Read spec/claims.yaml into {claim id: Claim}."""
    data = load_yaml(path.read_text(encoding="utf-8"))
    claims = {}
    for entry in data["claims"]:
        claims[entry["id"]] = Claim(entry["id"], int(entry["tier"]), entry["area"], entry["document"], entry["summary"])
    return claims
