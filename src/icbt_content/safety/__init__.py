"""Clinical safety: the hazard log, signed releases, the safety report and the checks behind them.

DCB0129 asks a manufacturer of health IT for a hazard log whose controls are real, a safety case,
and a Clinical Safety Officer's sign-off of every release. This package holds the hazard log model
and its checks (:mod:`~icbt_content.safety.hazards`), release records
(:mod:`~icbt_content.safety.release`), the report (:mod:`~icbt_content.safety.report`) and the
programme checks that are controls in their own right (:mod:`~icbt_content.safety.monitoring`).
"""
