"""The benchmark's corpus and builders work (no timing is asserted: timing lives in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from benchkit.corpus import (
    Layouts,
    duplicate_headings,
    duplicate_headings_page,
    programme_files,
    sized,
    write_sources,
)
from benchkit.locales import LOCALES
from benchkit.measure import run_measured
from benchkit.prepare import prepare
from benchkit.tools import Settings, ceiling_jobs, icbt_jobs, mkdocs_jobs
from benchkit.translate import fake_translate, po_text, translate_project

from icbt_content.authoring.documents import MAX_FILE_BYTES
from icbt_content.i18n.catalog import Catalog, Entry, read_po
from icbt_content.i18n.checks import check_message
from icbt_content.limits import MAX_HEADINGS

REPO = Path(__file__).resolve().parent.parent
SHAPE = sized(10)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Layouts:
    """10 pages, as an icbt project with no locale and with one, and for MkDocs and Hugo."""
    return prepare(tmp_path_factory.mktemp("corpora"), SHAPE, [0, 1])


def icbt_build(project: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "icbt_content", "build", "--strict", "--out", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_translated_corpus_builds_strictly_with_the_locale_published(
    corpus: Layouts, tmp_path: Path
) -> None:
    locale = LOCALES[0].code
    done = icbt_build(corpus.icbt(1), tmp_path / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    programme = tmp_path / "site" / "programme-001"
    assert sorted(p.name for p in programme.iterdir()) == sorted(["en-GB", locale])
    source_pages = sorted((corpus.icbt(1) / "programmes").glob("*/modules/*/[0-9]*.md"))
    assert len(source_pages) == 10
    # Every page is published in the locale, translated (not the source shown as a fallback).
    for source in source_pages:
        title = source.read_text(encoding="utf-8").split("\n")[1].removeprefix("title: ")
        page_id = source.stem.split("-", 1)[1]
        built = programme / locale / source.parent.name / page_id / "index.html"
        html = built.read_text(encoding="utf-8")
        assert f"<h1>{fake_translate(title)}</h1>" in html
        assert f'lang="{locale}"' in html
    assert (tmp_path / "site" / "programme-001" / locale / "crisis" / "index.html").is_file()


def test_the_source_only_corpus_builds_strictly_without_locales(
    corpus: Layouts, tmp_path: Path
) -> None:
    done = icbt_build(corpus.icbt(0), tmp_path / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.name for p in (tmp_path / "site" / "programme-001").iterdir()] == ["en-GB"]
    assert not (corpus.icbt(0) / "locales" / LOCALES[0].code).exists()


def test_the_corpus_is_the_same_every_time(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_sources(SHAPE, tmp_path / name / "icbt", tmp_path / name / "mkdocs", None)
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.*")}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.*")}
    assert first == second
    words = [len(t.split()) for p, t in first.items() if p.parts[0] == "icbt" and p.name[0] < "a"]
    assert len(words) == 10 and min(words) > 900


def test_the_translated_catalogs_are_the_same_every_time_and_with_any_number_of_workers(
    tmp_path: Path,
) -> None:
    made = {}
    for jobs in (1, 2):
        project = tmp_path / f"jobs-{jobs}"
        write_sources(SHAPE, project, None, None)
        assert translate_project(project, LOCALES[:2], REPO, jobs=jobs) > 0
        folder = project / "locales"
        made[jobs] = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.po*")}
    assert made[1] == made[2]
    # A template and a catalog per locale, for the programme and for the interface.
    assert len(made[1]) == 2 * 3


def _fields(entry: Entry) -> tuple[object, ...]:
    return (
        entry.msgid,
        entry.msgstr,
        entry.context,
        entry.msgid_plural,
        entry.plurals,
        entry.notes,
        entry.comments,
        entry.locations,
        entry.flags,
        entry.obsolete,
    )


def test_catalogs_written_without_wrapping_read_back_as_they_were() -> None:
    long = "A long line that a wrapping writer would cut in two, " * 4
    catalog = Catalog(
        header=[("Language", "fr_FR"), ("Plural-Forms", "nplurals=2; plural=(n > 1);")],
        header_comments=["Translations into French."],
        entries=[
            Entry(msgid=long, msgstr=fake_translate(long), notes=["a note"], locations=["a:1"]),
            Entry(msgid='Two\nlines with "quotes"\tand\n', msgstr="Twó\nlínés\n", context="c"),
            Entry(
                msgid="{count} step",
                msgid_plural="{count} steps",
                plurals={0: "{count} stép", 1: "{count} stéps"},
                flags={"python-brace-format"},
            ),
            Entry(msgid="Gone", msgstr="Góné", comments=["translator"], obsolete=True),
        ],
    )
    text = po_text(catalog)
    back, problems = read_po(text)
    assert problems == []
    assert back.header == catalog.header
    assert back.header_comments == catalog.header_comments
    assert [_fields(e) for e in back.entries] == [_fields(e) for e in catalog.entries]
    assert max(len(line) for line in text.split("\n")) > 200  # one line, not wrapped


def test_mkdocs_and_the_ceiling_build_the_same_pages(corpus: Layouts, tmp_path: Path) -> None:
    settings = Settings(scratch=tmp_path)
    markdown = len(list(corpus.docs.rglob("*.md")))
    for jobs in (mkdocs_jobs, ceiling_jobs):
        (job,) = jobs(settings, corpus, SHAPE, 0)
        job.prepare()
        run_measured(job.command, job.cwd, job.env, timeout=600)
        out = tmp_path / "out" / f"{job.tool}-{SHAPE.name}"
        # MkDocs adds its 404 page.
        pages = [p for p in out.rglob("index.html") if p.parent.name != "404"]
        assert len(pages) == markdown, job.tool
    assert (tmp_path / "out" / f"mkdocs-{SHAPE.name}" / "search" / "search_index.json").is_file()


def test_the_one_page_edit_changes_one_page_and_puts_it_back(
    corpus: Layouts, tmp_path: Path
) -> None:
    _, _, edit = icbt_jobs(Settings(scratch=tmp_path), corpus, SHAPE, 0)
    before = {p: p.read_bytes() for p in (corpus.icbt(0) / "programmes").rglob("*.md")}
    edit.prepare()
    changed = [p for p, text in before.items() if p.read_bytes() != text]
    assert len(changed) == 1
    assert "This sentence was added" in changed[0].read_text(encoding="utf-8")
    edit.cleanup()
    assert all(p.read_bytes() == text for p, text in before.items())


SHARING = """
import os, time
memory = bytearray(64 * 1024 * 1024)
memory[::4096] = b"x" * (len(memory) // 4096)  # every page resident, with no copy made
children = []
for _ in range(2):
    child = os.fork()
    if child == 0:  # shares the 64 MiB with the parent and the other child
        time.sleep(3)
        os._exit(0)
    children.append(child)
for child in children:
    os.waitpid(child, 0)
"""


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs smaps_rollup")
def test_tree_pss_counts_memory_shared_by_forked_children_once(tmp_path: Path) -> None:
    # Measured from a small process, as run.py measures: Linux's wait4 reports at least the
    # resident set the measuring process had when it started the child, so a big test worker
    # would hide the child's own peak.
    measuring = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent.parent / 'benchmarks')!r})\n"
        "from pathlib import Path\n"
        "from benchkit.measure import run_measured\n"
        "command = [sys.executable, '-c', sys.argv[1]]\n"
        "sample = run_measured(command, Path(sys.argv[2]), timeout=60)\n"
        "print(json.dumps(sample.__dict__))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", measuring, SHARING, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    sample = SimpleNamespace(**json.loads(done.stdout.splitlines()[-1]))
    # Three processes map the same 64 MiB: their resident sets count it three times, their
    # proportional sets once.
    assert sample.tree_rss_mib > 3 * 64
    assert 64 < sample.tree_pss_mib < 2 * 64
    assert sample.peak_rss_mib < sample.tree_rss_mib


def test_a_page_of_40000_duplicate_headings_is_not_refused_for_its_size() -> None:
    # The page that never finishes: it must reach the parser, not the size limit.
    assert len(duplicate_headings_page(40_000).encode()) < MAX_FILE_BYTES


@pytest.mark.parametrize(("count", "pages"), [(300, 1), (4000, 8), (16000, 32)])
def test_duplicate_headings_come_on_pages_at_the_limit(count: int, pages: int) -> None:
    # A page over the limit is refused (ICBT116): the shape measures id making, not the refusal.
    shape = duplicate_headings(count)
    pages_text = [
        text
        for path, text in programme_files(shape)
        if "/modules/" in path and not path.endswith("/module.md")
    ]
    per_page = [text.count("## Try it again") for text in pages_text]
    assert len(per_page) == pages and sum(per_page) == count
    assert max(per_page) <= MAX_HEADINGS


@pytest.mark.parametrize(
    "source",
    [
        "Try **one** small step, then [read more](../module-002/01-a-1.md#what-happened).",
        "Module {module} of {modules}",
        "Hello {{ client.first_name }}, {% if done %}well done{% endif %}.",
        "See `code`, <https://example.org> and ![a cycle](media/cycle.svg).",
    ],
)
def test_the_fake_translation_passes_the_translation_checks(source: str) -> None:
    translation = fake_translate(source)
    assert translation != source
    assert check_message(source, translation) == []


def test_one_command_measures_and_writes_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--sizes=10",
            "--locales=0",
            "--tools=icbt,ceiling",
            "--repeat=1",
            "--startup-runs=1",
            f"--workdir={tmp_path}",
            f"--json={tmp_path / 'results.json'}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    measured = {(r["tool"], r["mode"]) for r in results["results"] if r["runs"] == 1}
    assert {("icbt", "cold"), ("icbt", "no-change rebuild"), ("icbt", "one-page edit")} <= measured
    assert ("ceiling", "cold") in measured
    names = [c["name"] for c in results["comparisons"]]
    assert "icbt cold / ceiling (pages-10)" in names
    assert "| icbt cold / ceiling (pages-10) |" in done.stdout
