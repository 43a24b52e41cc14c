"""The package as published: licence, classifiers, the docs extra, and an sdist whose tests run."""

from __future__ import annotations

import email.parser
import importlib.metadata
import os
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import trove_classifiers
import yaml

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]

#: Files the sdist must carry for its tests to run.
SDIST_NEEDS = [
    "LICENSE",
    "README.md",
    "pyproject.toml",
    "MANIFEST.in",
    "mkdocs.yml",
    "tests/conftest.py",
    "tests/cli/test_formats.py",
    "tests/cli/data/sarif-schema-2.1.0.json",
    "tests/fixtures/projects/basic/programmes/demo/programme.yaml",
    "programmes/sad/programme.yaml",
    "locales/en-GB/locale.yaml",
    "docs/index.md",
    "safety/hazard-log.yaml",
    "src/icbt_content/__init__.py",
]
WHEEL_NEEDS = [
    "icbt_content/py.typed",
    "icbt_content/commandline/runner.py",
    "icbt_content/measures/library/phq9.yaml",
    "icbt_content-{version}.dist-info/licenses/LICENSE",
]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel built from it, as `python -m build` makes them."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def _sdist_files(sdist: Path) -> set[str]:
    with tarfile.open(sdist) as archive:
        return {
            name.split("/", 1)[1] for name in archive.getnames() if "/" in name and name.count("/")
        }


def test_the_sdist_carries_the_tests_and_what_they_read(dists: dict[str, Path]) -> None:
    files = _sdist_files(dists["sdist"])
    assert set(SDIST_NEEDS) <= files
    assert not [f for f in files if "node_modules" in f or "__pycache__" in f]


def test_the_sdist_has_every_tracked_file(dists: dict[str, Path]) -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout (this is the sdist itself)")
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    missing = set(tracked) - _sdist_files(dists["sdist"]) - {".gitignore"}
    assert not [f for f in missing if (REPO / f).exists()]


def test_the_wheel_has_the_licence_and_metadata(dists: dict[str, Path]) -> None:
    version = PROJECT.get("version") or importlib.metadata.version("icbt-content")
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = set(wheel.namelist())
        metadata = email.parser.Parser().parsestr(
            wheel.read(f"icbt_content-{version}.dist-info/METADATA").decode()
        )
        entry_points = wheel.read(f"icbt_content-{version}.dist-info/entry_points.txt").decode()
    assert {n.format(version=version) for n in WHEEL_NEEDS} <= names
    assert not [n for n in names if n.startswith("tests/")]
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata.get_all("Classifier") == PROJECT["classifiers"]
    # There is no public address for the repository yet, so no URL is claimed.
    assert metadata.get_all("Project-URL") is None
    assert "icbt = icbt_content.commandline.runner:main" in entry_points


def test_the_licence_is_mit() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]


@pytest.mark.parametrize("classifier", PROJECT["classifiers"])
def test_classifiers_are_known_and_current(classifier: str) -> None:
    assert classifier in trove_classifiers.classifiers
    assert classifier not in trove_classifiers.deprecated_classifiers
    # PEP 639: the licence is the expression in `license`, never a classifier too.
    assert not classifier.startswith("License ::")


def _requirement_names(extra: str) -> set[str]:
    return {
        req.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
        for req in PROJECT["optional-dependencies"][extra]
    }


def _docs_needs() -> set[str]:
    """The distributions that provide what mkdocs.yml uses (read from installed metadata)."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    providers = importlib.metadata.packages_distributions()
    needs = {"mkdocs"}
    for extension in config.get("markdown_extensions", []):
        name = next(iter(extension)) if isinstance(extension, dict) else extension
        top = name.split(".")[0]
        # A short name (toc, tables) or markdown.* is Python-Markdown's own: mkdocs brings it.
        if "." in name and top != "markdown":
            needs.update(providers.get(top, [top]))
        if isinstance(extension, dict) and (extension[name] or {}).get("use_pygments") == "true":
            needs.add("pygments")
    plugins = {ep.name: ep for ep in importlib.metadata.entry_points(group="mkdocs.plugins")}
    for plugin in config.get("plugins", []):
        name = next(iter(plugin)) if isinstance(plugin, dict) else plugin
        needs.add(plugins[name].dist.name if plugins[name].dist else name)  # type: ignore[union-attr]
        if name == "mkdocstrings":  # our handler is the Python one
            needs.add("mkdocstrings-python")
    return {n.lower() for n in needs}


def test_the_docs_extra_has_what_mkdocs_yml_uses() -> None:
    needs = _docs_needs()
    assert {"mkdocs", "pymdown-extensions", "pygments", "mkdocstrings-python"} <= needs
    # mkdocstrings itself comes with mkdocstrings-python.
    assert needs - {"mkdocstrings"} <= _requirement_names("docs")


def test_the_tests_of_the_sdist_run(dists: dict[str, Path], tmp_path: Path) -> None:
    with tarfile.open(dists["sdist"]) as archive:
        archive.extractall(tmp_path, filter="data")
    (root,) = tmp_path.iterdir()
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import icbt_content, sys; print(icbt_content.__file__); "
            "import pytest; sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', "
            "'tests/cli/test_formats.py', 'tests/test_cli.py']))",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # The code under test is the sdist's own, not the checkout's.
    assert done.stdout.splitlines()[0] == str(root / "src/icbt_content/__init__.py")
    assert " passed" in done.stdout.splitlines()[-1]
