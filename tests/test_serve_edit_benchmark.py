"""benchmarks/serve_edit.py runs: the preview's rebuild after the benchmark's one-page edit
rebuilds one programme and writes a few files (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_serve_edit_benchmark_runs(basic_project: Path, tmp_path: Path) -> None:
    result = tmp_path / "serve-edit.json"
    script = REPO / "benchmarks" / "serve_edit.py"
    done = subprocess.run(
        [sys.executable, str(script), str(basic_project), "--runs", "1", "--json", str(result)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "serve edit latency: median" in done.stdout
    runs = json.loads(result.read_text())["runs"]
    assert [(run["rebuilt"], 0 < run["written"] <= 5) for run in runs] == [(1, True)]
    assert list(basic_project.rglob("site")) == [], "the project itself is not built into"
