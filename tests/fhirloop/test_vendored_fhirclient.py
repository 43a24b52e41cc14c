"""The vendored SMART client is the pinned npm release, unchanged, and ships in the package."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENDORED = resources.files("icbt_content.render") / "static" / "vendor" / "fhirclient"


def pinned(name: str) -> str:
    match = re.search(rf'^{name}="([^"]+)"$', (REPO / "scripts" / "vendor-js").read_text(), re.M)
    assert match, f"{name} is not pinned in scripts/vendor-js"
    return match.group(1)


def test_the_vendored_files_ship_as_package_data() -> None:
    names = {entry.name for entry in VENDORED.iterdir()}
    assert names == {"fhir-client.min.js", "fhir-client.min.js.LICENSE.txt", "LICENSE", "README.md"}
    assert "Apache License" in (VENDORED / "LICENSE").read_text(encoding="utf-8")


def test_the_readme_names_the_pinned_version_and_integrity() -> None:
    readme = (VENDORED / "README.md").read_text(encoding="utf-8")
    assert f"- version: {pinned('VERSION')}\n" in readme
    assert f"- npm tarball integrity: {pinned('INTEGRITY')}\n" in readme


def test_the_file_is_unchanged_since_it_was_checked() -> None:
    readme = (VENDORED / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"fhir-client\.min\.js sha256: ([0-9a-f]{64})", readme)
    assert recorded, "the README records no sha256"
    actual = hashlib.sha256((VENDORED / "fhir-client.min.js").read_bytes()).hexdigest()
    assert actual == recorded.group(1), "fhir-client.min.js was changed: run scripts/vendor-js"
