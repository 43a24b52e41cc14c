"""Measures: scoring, bands, reliable change, risk flags and recovery; the built-in library.

Scoring is pure (:mod:`.scoring`); :mod:`.loading` reads measure files and supplied wording.
"""

from icbt_content.measures.json_in_html import measure_json
from icbt_content.measures.loading import (
    builtin_measures,
    licensed_wording_path,
    load_measure,
    load_wording,
    localise_measure,
    resolve_measures,
    translation_path,
)
from icbt_content.measures.outcome import outcome_measures, outcome_problems
from icbt_content.measures.scoring import (
    ChangeCategory,
    MeasureScore,
    Recovery,
    RecoveryNotComputable,
    RiskFlag,
    ScorePair,
    compare,
    is_case,
    paired_measures,
    recovery,
    score,
)
from icbt_content.measures.wording import apply_wording, wording_hash, wording_problems

__all__ = [
    "ChangeCategory",
    "MeasureScore",
    "Recovery",
    "RecoveryNotComputable",
    "RiskFlag",
    "ScorePair",
    "apply_wording",
    "builtin_measures",
    "compare",
    "is_case",
    "licensed_wording_path",
    "load_measure",
    "load_wording",
    "localise_measure",
    "measure_json",
    "outcome_measures",
    "outcome_problems",
    "paired_measures",
    "recovery",
    "resolve_measures",
    "score",
    "translation_path",
    "wording_hash",
    "wording_problems",
]
