"""Every code example in the documentation runs, so the docs cannot drift from the code.

Each page runs in a fresh copy of the project (programmes/, locales/...), from its folder, its
blocks in order: ```python blocks share one namespace per page, like a session; the `$ icbt ...`
lines of ```console blocks run the command line and must succeed; a block right after a
`<!-- write: PATH -->` line is written to PATH first. Blocks in any other language (```text,
```yaml, ```markdown) are only shown. `icbt serve` and `icbt console` never stop, so their
arguments are only parsed. Rendered examples (a ```markdown block after `<!-- rendered -->`)
must pass the checks `icbt check` makes.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from docs_helpers import DOCS, REPO, CodeBlock, code_blocks, doc_pages, hooks

from icbt_content.cli import make_parser, run
from icbt_content.diagnostics import ContentError

#: What a page's examples start from: copied from the repository when present.
PROJECT_PARTS = ("programmes", "locales", "licensed", "templates")

PAGES_WITH_EXAMPLES = [p for p in doc_pages() if any(b.runs for b in code_blocks(p))]


def _page_id(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project to run examples in, as the current folder."""
    root = tmp_path / "project"
    root.mkdir()
    for name in PROJECT_PARTS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["icbt"])
    return root


def run_python(block: CodeBlock, namespace: dict[str, object]) -> None:
    # Pad with blank lines so tracebacks point at the line in the Markdown file.
    code = compile("\n" * (block.line - 1) + block.code, str(block.file), "exec")
    exec(code, namespace)


def run_console(block: CodeBlock) -> None:
    for line, command in block.commands():
        argv = shlex.split(command)[1:]
        if argv[:1] in (["serve"], ["console"]):
            make_parser().parse_args(argv)
            continue
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                code = run(argv)
            except SystemExit as exc:  # usage errors exit from argparse
                code = exc.code if isinstance(exc.code, int) else 2
        if code != 0:
            where = f"{block.file.relative_to(REPO).as_posix()}:{line}"
            shown = textwrap.indent(output.getvalue(), "  ")
            pytest.fail(f"{where}: `{command}` exited with {code}:\n{shown}")


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=_page_id)
def test_examples_run(page: Path, project: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in code_blocks(page):
        if block.write_to:
            target = project / block.write_to
            assert project in target.resolve().parents, block.where
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.code, encoding="utf-8")
        elif block.language in ("python", "py"):
            run_python(block, namespace)
        elif block.runs:
            run_console(block)


def test_the_docs_have_runnable_examples() -> None:
    blocks = [b for p in doc_pages() for b in code_blocks(p) if b.runs]
    languages = {b.language for b in blocks}
    assert {"python", "console"} <= languages
    assert len(blocks) >= 10


RENDERED = [
    (page, match)
    for page in doc_pages()
    for match in hooks().RENDERED.finditer(page.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(
    ("page", "match"),
    RENDERED,
    ids=[f"{_page_id(p)}:{p.read_text().count(chr(10), 0, m.start()) + 2}" for p, m in RENDERED],
)
def test_rendered_examples_pass_the_checks(page: Path, match: object) -> None:
    from icbt_content.contrib.embed import render_example

    body = match.group("body")  # type: ignore[attr-defined]
    try:
        html = render_example(body + "\n")
    except ContentError as exc:
        pytest.fail("\n".join(d.format() for d in exc.diagnostics))
    assert "data-icbt-root" in html


# -- the extraction itself ---------------------------------------------------------------------

SAMPLE = """\
# A page

```python
x = 1
```

```text
not run
```

- in a list:

  ```py
  y = x + 1
  ```

```console
$ pip install -e .
$ icbt build --quiet
built 3 pages
$ icbt serve --port 8001
```

```console
$ mkdocs build
```

<!-- write: programmes/x/notes.yaml -->
```yaml
a: 1
```
"""


def test_code_blocks_are_found_with_their_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(SAMPLE, encoding="utf-8")
    blocks = code_blocks(page)
    assert [(b.language, b.line, b.runs) for b in blocks] == [
        ("python", 4, True),
        ("text", 8, False),
        ("py", 14, True),
        ("console", 18, True),
        ("console", 25, False),
        ("yaml", 30, True),
    ]
    assert blocks[5].write_to == "programmes/x/notes.yaml"
    assert blocks[3].commands() == [(19, "icbt build --quiet"), (21, "icbt serve --port 8001")]


def test_a_failing_example_points_at_its_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Text\n\n```python\nx = 1\nraise ValueError('here')\n```\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        run_python(code_blocks(page)[0], {})
    assert caught.traceback[-1].lineno + 1 == 5
    assert str(caught.traceback[-1].path) == str(page)
