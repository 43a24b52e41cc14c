"""The units pytest-xdist hands to its workers (tests/xdist_scopes.py) and their order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xdist_scopes import COSTS, SHARED, load_costs, scope_costs, slowest_first, xdist_scope

TESTS = Path(__file__).parent
EXAMPLES = "tests/docs/test_examples.py"


@pytest.mark.parametrize(
    ("nodeid", "scope"),
    [
        ("tests/test_build.py::test_layout", "tests/test_build.py"),
        ("tests/browser/test_site.py::test_x[en-GB]", "tests/browser/test_site.py"),
        ("tests/fhirloop/test_console.py::test_x", "tests/fhirloop/"),
        ("tests/fhirloop/test_fhir_server.py::test_y", "tests/fhirloop/"),
        ("tests/docs/test_coverage.py::test_x", "tests/docs/built"),
        ("tests/docs/test_mkdocs_build.py::test_docs_build_strictly", "tests/docs/built"),
        (
            "tests/docs/test_examples.py::test_examples_run[a.md]",
            "tests/docs/test_examples.py::test_examples_run[a.md]",
        ),
        (
            "tests/docs/test_examples.py::test_a_failing_example_points_at_its_line",
            "tests/docs/test_examples.py",
        ),
    ],
)
def test_each_test_has_its_scope(nodeid: str, scope: str) -> None:
    assert xdist_scope(nodeid) == scope


def test_every_module_that_reads_the_built_docs_shares_the_build() -> None:
    """A module using ``built_docs`` outside the group would build the docs a second time."""
    users = {
        p.relative_to(TESTS.parent).as_posix()
        for p in (TESTS / "docs").glob("test_*.py")
        if "built_docs" in p.read_text(encoding="utf-8") or "docs_build" in p.read_text("utf-8")
    }
    assert users and users <= set(SHARED["tests/docs/built"])


def test_slowest_scopes_go_first_and_unknown_ones_by_their_size() -> None:
    costs = {"a.py": 1.0, "b.py": 30.0}
    scopes = [("a.py", 3), ("new.py", 50), ("b.py", 1), ("tiny.py", 1)]
    assert slowest_first(scopes, costs) == ["b.py", "new.py", "a.py", "tiny.py"]


def test_ties_keep_the_collection_order() -> None:
    assert slowest_first([("b.py", 1), ("a.py", 1)], {}) == ["b.py", "a.py"]


def test_costs_add_up_per_scope_slowest_first() -> None:
    measured = [
        ("tests/test_build.py::test_layout", 1.0),
        ("tests/test_build.py::test_layout", 0.25),
        ("tests/fhirloop/test_console.py::test_x", 3.0),
        ("tests/fhirloop/test_smart_launch.py::test_y", 2.0),
    ]
    costs = scope_costs(measured)
    assert costs == {"tests/fhirloop/": 5.0, "tests/test_build.py": 1.2}
    assert list(costs) == ["tests/fhirloop/", "tests/test_build.py"]


def test_the_stored_costs_name_scopes_that_exist() -> None:
    costs = load_costs()
    assert costs == json.loads(COSTS.read_text(encoding="utf-8"))
    for scope in costs:
        path = scope.split("::", 1)[0]
        if scope in SHARED:
            path = SHARED[scope][0]
        assert (TESTS.parent / path).exists(), scope


def test_a_missing_costs_file_is_no_costs(tmp_path: Path) -> None:
    assert load_costs(tmp_path / "none.json") == {}
