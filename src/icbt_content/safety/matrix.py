"""The DCB0129 risk matrix: severity and likelihood of a harm give a clinical risk from 1 to 5.

The categories and the matrix are those of NHS Digital's implementation guidance for DCB0129 and
DCB0160 (also used in NHS England's own hazard logs). 1 is acceptable; 5 is unacceptable.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Severity = Literal["minor", "significant", "considerable", "major", "catastrophic"]
"""How bad the harm is, from minor (minor injury or upset, one patient) to catastrophic (death
or permanent life-changing incapacity, several patients)."""

Likelihood = Literal["very-low", "low", "medium", "high", "very-high"]
"""How likely the harm is, from very low (negligible) to very high (certain or almost certain)."""

SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)
LIKELIHOODS: Final[tuple[Likelihood, ...]] = get_args(Likelihood)

#: Likelihood -> risk for each severity, in the order of SEVERITIES.
_MATRIX: Final[dict[Likelihood, tuple[int, int, int, int, int]]] = {
    "very-high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very-low": (1, 1, 2, 2, 3),
}

#: What each risk means for a release, in the guidance's words.
ACCEPTABILITY: Final[dict[int, str]] = {
    5: "Unacceptable level of risk.",
    4: "Mandatory elimination or control to reduce risk to an acceptable level.",
    3: "Undesirable level of risk: acceptable only when further risk reduction is impractical.",
    2: "Acceptable where the cost of further reduction outweighs the benefits gained.",
    1: "Acceptable, no further action required.",
}


def clinical_risk(severity: Severity, likelihood: Likelihood) -> int:
    """The clinical risk (1-5) of a harm of this severity and likelihood."""
    return _MATRIX[likelihood][SEVERITIES.index(severity)]


def matrix_rows() -> list[tuple[Likelihood, tuple[int, ...]]]:
    """The matrix, most likely first, for printing: (likelihood, risks by severity)."""
    return [(likelihood, _MATRIX[likelihood]) for likelihood in reversed(LIKELIHOODS)]
