"""The sample site, built once for the clinical safety tests (strict: no warnings at all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from icbt_content import build_site

REPO = Path(__file__).parent.parent.parent


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    report = build_site(REPO, out, programmes=["sad", "ptsd"], strict=True)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert report.locales == {"ptsd": ["en-GB", "zh-Hant-HK"], "sad": ["en-GB", "ar", "zh-Hant-HK"]}
    return out
