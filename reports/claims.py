"""The status of every claim of the inventory (spec/claims.yaml) in one set of results.

A claim is what a source document *says*; the scenarios citing it record what TensorFlow does.
Statuses, first match wins:

- ``failing``: a citing scenario fails, errors or xfails on the ``tensorflow`` adapter, so the spec and
  TensorFlow disagree and the suite itself needs fixing;
- ``erratum``: a citing scenario carries an ``erratum:``: the document is wrong and the
  scenario expects what TensorFlow does (the explanation is shown);
- ``confirmed``: a citing scenario passes on the ``tensorflow`` adapter;
- ``unconfirmed``: scenarios cite it but none has a TensorFlow verdict here (skipped, or the
  tensorflow adapter was not run);
- ``not covered``: no scenario in these results cites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from conformance.claims import Claim, load_claims
from conformance.loader import default_spec_dir

from .model import Results

REFERENCE_ADAPTER = "tensorflow"  # the implementation whose behaviour the spec records
CLAIM_STATUSES = ("confirmed", "erratum", "failing", "unconfirmed", "not covered")


@dataclass(frozen=True)
class ClaimStatus:
    """One claim and what the results say about it."""

    claim: Claim
    status: str
    scenarios: tuple[str, ...] = ()  # ids of the citing scenarios
    errata: tuple[tuple[str, str], ...] = ()  # (scenario id, erratum text)


def default_claims() -> dict[str, Claim]:
    """The claims inventory shipped with this checkout (empty when it is missing)."""
    path = default_spec_dir() / "claims.yaml"
    try:
        return load_claims(path)
    except (OSError, KeyError, TypeError, ValueError):
        return {}


def claim_statuses(data: Results, claims: Mapping[str, Claim] | None = None) -> list[ClaimStatus]:
    """Every claim of the inventory (and any cited claim missing from it), in id order."""
    claims = dict(default_claims() if claims is None else claims)
    citing: dict[str, list[str]] = {}
    for scenario in data.scenarios.values():
        for claim in scenario.claims:
            citing.setdefault(claim, []).append(scenario.id)
            # A claim cited by the results but absent from the inventory is still shown.
            claims.setdefault(claim, Claim(claim, 0, scenario.area, "?", "(not in spec/claims.yaml)"))
    statuses = []
    for claim_id in sorted(claims):
        ids = tuple(citing.get(claim_id, ()))
        errata = tuple((s, data.scenarios[s].erratum or "") for s in ids if data.scenarios[s].erratum)
        verdicts = {r.status for s in ids if (r := data.result(s, REFERENCE_ADAPTER)) is not None}
        if not ids:
            status = "not covered"
        elif verdicts & {"fail", "error", "xfail"}:  # xfail: a known divergence, still not TF's behaviour
            status = "failing"
        elif errata:
            status = "erratum"
        elif verdicts & {"pass", "xpass"}:
            status = "confirmed"
        else:
            status = "unconfirmed"
        statuses.append(ClaimStatus(claims[claim_id], status, ids, errata))
    return statuses

