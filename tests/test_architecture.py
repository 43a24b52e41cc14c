"""The shape of the code: stages in layers, no import circles, imports where tools can see them.

Read from the source with :mod:`ast` (nothing is imported), so a circle hidden in a function or
behind ``importlib.import_module`` is found as well.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "icbt_content"

#: The layers, lowest first. A module may import its own layer and the layers before it, never a
#: later one. The build runs the stages in this order: load (authoring) -> localise -> validate
#: -> render -> write (pipeline). A module belongs to the layer of its longest matching prefix.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "model",
        (
            "_version",
            "errors",
            "paths",
            "project",
            "diagnostics",
            "limits",
            "ids",
            "idslock",
            "inputs",
            "outputs",
            "model",
            "exercises",
            "loop.contract",
        ),
    ),
    ("markdown", ("markdown", "readability", "sitemap")),
    ("authoring", ("authoring", "adaptation", "measures", "deployment", "loop")),
    ("guidance", ("guidance",)),
    # Rendering a guidance message in a locale reads its catalog; the language a passage is
    # shown in is decided while localising.
    ("localise", ("i18n", "guidance.render", "render.language")),
    ("validate", ("validate", "safety")),
    ("render", ("render", "loop.connected_site")),
    (
        "pipeline",
        (
            "pipeline",
            "localised",
            "export",
            "contrib",
            "serve",
            "scaffold",
            "safety.report",
            "console",
        ),
    ),
    ("commands", ("", "cli", "commandline", "__main__")),
)

#: Modules that parse the command line, print and pick exit codes: the top layer, and the only
#: places that may import our own modules inside functions (to start quickly).
COMMAND_MODULE_SUFFIX = ".commands"


@dataclass(frozen=True)
class Import:
    """One import of one of our modules by another."""

    importer: str
    imported: str
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _known(name: str) -> str | None:
    """The module an imported name lives in (``a.b.c`` -> ``a.b`` when ``c`` is a function)."""
    while name:
        if name in modules():
            return name
        name = name.rpartition(".")[0]
    return None


def _targets(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        parts = importer.split(".") if is_package else importer.split(".")[:-1]
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join(parts + ([node.module] if node.module else []))
    for alias in node.names:
        yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else base


def _named_modules(tree: ast.Module, command: bool) -> Iterator[tuple[str, int]]:
    """Modules loaded by name: ``import_module("...")``, module-level tuples of names and, in a
    command module, any string naming one of our modules (a command table)."""
    for node in ast.walk(tree):
        if command and isinstance(node, ast.Constant) and node.value in modules():
            yield str(node.value), node.lineno
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield arg.value, node.lineno
    for statement in tree.body:
        value = getattr(statement, "value", None)
        if isinstance(value, (ast.Tuple, ast.List)) and value.elts:
            names = [e.value for e in value.elts if isinstance(e, ast.Constant)]
            if len(names) == len(value.elts) and all(n in modules() for n in names):
                yield from ((str(n), statement.lineno) for n in names)


@cache
def imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        in_function: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_function.update(id(n) for n in ast.walk(node))
        # Imports only for the type checker never run, so they close no circle.
        typing_only = {
            id(n)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for n in ast.walk(block)
        }
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in typing_only:
                continue
            for target in _targets(node, name, path.name == "__init__.py"):
                imported = _known(target)
                if imported is not None and imported != name:
                    found.append(Import(name, imported, node.lineno, id(node) in in_function))
        for target, line in _named_modules(tree, is_command_module(name)):
            imported = _known(target)
            if imported is not None:
                found.append(Import(name, imported, line, True))
    return tuple(found)


#: Packages whose ``__init__`` re-exports a module of a later layer, and that layer.
PACKAGE_LAYERS = {"guidance": "localise"}


def layer_of(module: str) -> int:
    relative = module.removeprefix(PACKAGE).removeprefix(".")
    if relative in PACKAGE_LAYERS:
        return [name for name, _ in LAYERS].index(PACKAGE_LAYERS[relative])
    if relative.endswith(COMMAND_MODULE_SUFFIX):
        return len(LAYERS) - 1
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = relative == prefix or (prefix and relative.startswith(prefix + "."))
            if matches and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    if best is None:
        raise LookupError(f"{module} is in no layer: add it to LAYERS")
    return best[0]


def is_command_module(module: str) -> bool:
    return layer_of(module) == len(LAYERS) - 1


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_graph_is_read() -> None:
    """The reader finds the imports it must (so the tests below cannot pass on an empty graph)."""
    edges = {(i.importer, i.imported) for i in imports()}
    assert ("icbt_content.pipeline.build", "icbt_content.render.site") in edges
    assert ("icbt_content.commandline.registry", "icbt_content.export.commands") in edges
    assert len(modules()) > 80


def test_every_module_has_a_layer() -> None:
    for module in modules():
        layer_of(module)


def test_no_module_imports_a_later_layer() -> None:
    wrong = [
        f"{i.importer}:{i.line} ({LAYERS[layer_of(i.importer)][0]}) imports {i.imported} "
        f"({LAYERS[layer_of(i.imported)][0]})"
        for i in imports()
        if layer_of(i.imported) > layer_of(i.importer)
    ]
    assert wrong == []


def test_no_import_circles() -> None:
    edges: dict[str, set[str]] = {name: set() for name in modules()}
    for i in imports():
        edges[i.importer].add(i.imported)
    assert cycles(edges) == []


def test_function_level_imports_only_in_command_modules() -> None:
    hidden = [
        f"{i.importer}:{i.line} imports {i.imported} inside a function"
        for i in imports()
        if i.in_function and not is_command_module(i.importer)
    ]
    assert hidden == []


REPO = SRC.parent
#: Where a name of ours may be used: the code, its templates, tests, docs, benchmarks and the
#: entry points of pyproject.toml.
_USES = ("src/**/*.py", "src/**/*.html", "tests/**/*.py", "docs/**/*.md", "benchmarks/**/*.py")


def _defined_names(tree: ast.Module) -> Iterator[tuple[str, int]]:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, node.lineno
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            yield from ((t.id, node.lineno) for t in targets if isinstance(t, ast.Name))


def test_no_dead_code() -> None:
    """Every function, class and constant a module defines is named somewhere else: a name
    written once, where it is defined, is never used."""
    words: Counter[str] = Counter()
    for pattern in _USES:
        for path in REPO.glob(pattern):
            if "node_modules" not in path.parts:
                words.update(re.findall(r"\w+", path.read_text(encoding="utf-8")))
    words.update(re.findall(r"\w+", (REPO / "pyproject.toml").read_text(encoding="utf-8")))
    unused = [
        f"{name}:{line} {defined}"
        for name, path in modules().items()
        for defined, line in _defined_names(ast.parse(path.read_text(encoding="utf-8")))
        if not defined.startswith("__") and words[defined] < 2
    ]
    assert unused == []


#: Folder names that build tools and common ``.gitignore`` templates take for output and skip:
#: a package of ours named like one could be left out of a commit, an archive or a search.
OUTPUT_FOLDER_NAMES = frozenset({"build", "dist", "site", "out", "_build", "node_modules"})


def test_no_package_is_named_like_an_output_folder() -> None:
    packages = {path.parent for path in (SRC / PACKAGE).rglob("__init__.py")}
    assert sorted(p.name for p in packages if p.name in OUTPUT_FOLDER_NAMES) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_cycles_finds_circles(edges: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(edges) == expected


#: The fields that decide how a measure's score is worked out, and the modules that may read
#: them: the scoring (measures/scoring.py, the one place Python works a score out), the checks of
#: a measure and of the programme's outcome measures, the model's scoring fingerprint, and the
#: FHIRPath twin the FHIR export hands to form fillers (export/sdc.py). Anything else that needs a
#: score, a band or a reliable change calls measures/scoring.py.
SCORING_FIELDS = frozenset({"reverse", "reliable_change", "max_missing"})
SCORING_MODULES = frozenset(
    {
        "icbt_content.measures.scoring",
        "icbt_content.measures.checks",
        "icbt_content.measures.outcome",
        "icbt_content.model.measure",
        "icbt_content.export.sdc",
    }
)


def test_scores_are_worked_out_in_one_place() -> None:
    readers = {
        f"{name}:{node.lineno} reads .{node.attr}"
        for name, path in modules().items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr in SCORING_FIELDS
        and name not in SCORING_MODULES
    }
    assert sorted(readers) == []


# -- one way to report problems ------------------------------------------------------------------
# Problems are return values (docs/contributing.md, "Reporting problems"): a check returns
# list[Diagnostic]; a function that makes something returns (thing, list[Diagnostic]). No
# function adds to a collection of diagnostics it was given, and no public function yields them
# (private helpers may, for their module's public function to collect).

_MUTATORS = frozenset({"append", "extend", "add", "insert"})


def _mentions_diagnostics(annotation: ast.expr | None) -> bool:
    return annotation is not None and "Diagnostic" in ast.unparse(annotation)


def _functions(tree: ast.Module) -> Iterator[tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool]]:
    """Every function with whether it is public: module-level or a method of a public class,
    named without a leading underscore."""
    nested: set[int] = set()
    private_class: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nested.update(id(n) for n in ast.walk(node) if n is not node)
        if isinstance(node, ast.ClassDef) and node.name.startswith("_"):
            private_class.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            public = not (
                node.name.startswith("_") or id(node) in nested or id(node) in private_class
            )
            yield node, public


def _out_parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """Parameters holding diagnostics that the function adds to: ``found.append(...)``,
    ``found += ...``, or the diagnostics of a parameter's object (``loaded.diagnostics.extend``)."""
    arguments = function.args.posonlyargs + function.args.args + function.args.kwonlyargs
    names = {a.arg for a in arguments} - {"self", "cls"}
    holders = {a.arg for a in arguments if _mentions_diagnostics(a.annotation)}
    # ``found = loaded.diagnostics`` makes ``found`` another name for a parameter's diagnostics.
    aliases = {
        target.id: f"{node.value.value.id}.diagnostics"
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "diagnostics"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id in names
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    added: set[str] = set()
    for node in ast.walk(function):
        target = None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MUTATORS
        ):
            target = node.func.value
        elif isinstance(node, ast.AugAssign):
            target = node.target
        if isinstance(target, ast.Name) and target.id in holders:
            added.add(target.id)
        if isinstance(target, ast.Name) and target.id in aliases:
            added.add(aliases[target.id])
        if (
            isinstance(target, ast.Attribute)
            and target.attr == "diagnostics"
            and isinstance(target.value, ast.Name)
            and target.value.id in names
        ):
            added.add(f"{target.value.id}.diagnostics")
    return sorted(added)


def _yields_diagnostics(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    returns = ast.unparse(function.returns) if function.returns else ""
    return "Diagnostic" in returns and returns.startswith(("Iterator", "Iterable", "Generator"))


def diagnostics_convention_breaches() -> list[str]:
    found = []
    for name, path in modules().items():
        for function, public in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{name}:{function.lineno} {function.name}"
            found.extend(f"{where} adds to its parameter '{p}'" for p in _out_parameters(function))
            if public and _yields_diagnostics(function):
                found.append(f"{where} yields its problems")
            returns = ast.unparse(function.returns) if function.returns else ""
            if public and ("Diagnostics]" in returns or returns == "Diagnostics"):
                found.append(f"{where} returns Diagnostics, not list[Diagnostic]")
    return found


def test_problems_are_returned_one_way() -> None:
    assert diagnostics_convention_breaches() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(found: list[Diagnostic]) -> None:\n    found.append(x)\n", ["adds"]),
        ("def f(found: Diagnostics) -> None:\n    found.extend(x)\n", ["adds"]),
        ("def f(found: list[Diagnostic]) -> None:\n    found += x\n", ["adds"]),
        ("def f(shown: list[Diagnostic]) -> str:\n    return str(shown)\n", []),
        ("def f(loaded: Loaded) -> None:\n    loaded.diagnostics.extend(x)\n", ["adds"]),
        ("def f(self) -> None:\n    self.diagnostics.append(x)\n", []),
        (
            "def f(loaded: Loaded) -> None:\n    found = loaded.diagnostics\n    found.add(x)\n",
            ["adds"],
        ),
        ("def f() -> None:\n    found = Loaded().diagnostics\n    found.add(x)\n", []),
        ("def f() -> Iterator[Diagnostic]:\n    yield x\n", ["yields"]),
        ("def _f() -> Iterator[Diagnostic]:\n    yield x\n", []),
        ("class _C:\n    def run(self) -> Iterator[Diagnostic]:\n        yield x\n", []),
        ("def f() -> list[Diagnostic]:\n    return []\n", []),
    ],
)
def test_the_convention_test_finds_breaches(source: str, expected: list[str]) -> None:
    found = []
    for function, public in _functions(ast.parse(source)):
        found += ["adds"] * len(_out_parameters(function))
        found += ["yields"] if public and _yields_diagnostics(function) else []
    assert found == expected
