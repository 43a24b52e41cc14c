#!/usr/bin/env python3
"""Write tests/scope_costs.json from the ``--durations=0`` output of a full run.

    $ python3 -m pytest -n auto --dist loadscope --durations=0 -q | tee run.log
    $ python3 scripts/scope_costs.py run.log

The scheduler in tests/conftest.py hands the slowest scopes out first; re-measure when a module
grows much slower or faster (a stale file only makes the two workers finish less evenly).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from xdist_scopes import COSTS, scope_costs  # noqa: E402

DURATION = re.compile(r"^(?P<seconds>\d+(?:\.\d+)?)s (?:setup|call|teardown)\s+(?P<nodeid>\S.*)$")


def durations(text: str) -> list[tuple[str, float]]:
    """(node id, seconds) for every setup, call and teardown line of pytest's durations."""
    found = (DURATION.match(line.strip()) for line in text.splitlines())
    return [(m["nodeid"], float(m["seconds"])) for m in found if m]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    pairs = [pair for log in argv for pair in durations(Path(log).read_text(encoding="utf-8"))]
    if not pairs:
        print("no --durations lines found", file=sys.stderr)
        return 1
    COSTS.write_text(json.dumps(scope_costs(pairs), indent=1) + "\n", encoding="utf-8")
    print(f"{COSTS}: {len(pairs)} durations")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
