"""How pytest-xdist splits the suite between workers (``scripts/test``: ``--dist loadscope``).

A *scope* is the unit a worker runs whole: usually a test module, so a module-scoped fixture is
set up once. Modules that share a slow session fixture go to one worker as one scope
(``SHARED``); independent slow tests of one module are each a scope of their own (``PER_TEST``),
so the two workers can share them. Scopes are handed out slowest first (``scope_costs.json``,
measured seconds, written by ``scripts/scope_costs.py``), so no long scope starts last and keeps
one worker busy while the other waits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

COSTS = Path(__file__).parent / "scope_costs.json"

#: Modules sharing a slow session fixture, each group run by one worker: the FHIR and OpenID
#: Connect servers (tests/fhirloop), the MkDocs build of the documentation (``built_docs``).
SHARED: dict[str, tuple[str, ...]] = {
    "tests/fhirloop/": ("tests/fhirloop/",),
    "tests/docs/built": (
        "tests/docs/test_coverage.py",
        "tests/docs/test_diagnostics_page.py",
        "tests/docs/test_hosting_page.py",
        "tests/docs/test_mkdocs_build.py",
    ),
}

#: Parametrised tests whose cases are slow and share nothing but function-scoped fixtures:
#: each case is a scope of its own.
PER_TEST = ("tests/docs/test_examples.py::test_examples_run[",)

#: The cost of a scope ``scope_costs.json`` does not know yet, per test (seconds).
UNKNOWN_COST_PER_TEST = 0.2


def xdist_scope(nodeid: str) -> str:
    """The unit of work a test is scheduled in: its shared group, itself, or its module."""
    for group, prefixes in SHARED.items():
        if nodeid.startswith(prefixes):
            return group
    if nodeid.startswith(PER_TEST):
        return nodeid
    return nodeid.split("::", 1)[0]


def load_costs(path: Path = COSTS) -> dict[str, float]:
    """The measured seconds per scope (empty when the file is missing)."""
    if not path.is_file():
        return {}
    costs: dict[str, float] = json.loads(path.read_text(encoding="utf-8"))
    return costs


def slowest_first(scopes: Iterable[tuple[str, int]], costs: dict[str, float]) -> list[str]:
    """Scopes (name, number of tests) in the order to hand them out: slowest first, ties in
    the order given."""
    listed = list(scopes)
    order = {name: i for i, (name, _) in enumerate(listed)}

    def cost(item: tuple[str, int]) -> float:
        name, tests = item
        return costs.get(name, tests * UNKNOWN_COST_PER_TEST)

    return [name for name, _ in sorted(listed, key=lambda item: (-cost(item), order[item[0]]))]


def scope_costs(durations: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Seconds per scope from (node id, seconds) pairs, slowest first, rounded to 0.1 s."""
    totals: dict[str, float] = {}
    for nodeid, seconds in durations:
        scope = xdist_scope(nodeid)
        totals[scope] = totals.get(scope, 0.0) + seconds
    return {k: round(v, 1) for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))}
