"""One exception base: every error the library defines or raises derives from IcbtError."""

from __future__ import annotations

import ast
import builtins
import importlib
from pathlib import Path

import pytest

import icbt_content
from icbt_content import (
    ContentError,
    ExerciseTypeError,
    IcbtError,
    InvalidArgumentError,
    NotFoundError,
    ScoringError,
    load_programme,
)
from icbt_content.export import AnswersError, ExportError
from icbt_content.measures import score

SRC = Path(icbt_content.__file__).parent
REPO = SRC.parents[1]

#: Built-in exceptions the library may still raise on purpose: invariants that only a bug breaks
#: (AssertionError), real operating-system errors, and Python's own errors mimicked inside the
#: template sandbox, which the sandbox turns into diagnostics.
ALWAYS_ALLOWED = {"AssertionError", "SystemExit", "KeyboardInterrupt"}
#: Where another built-in is allowed (file -> names).
ALLOWED_WHERE = {
    # the module __getattr__ protocol (PEP 562) asks for AttributeError
    "__init__.py": {"AttributeError"},
    "guidance/bounded.py": {"TypeError"},
    "pipeline/writer.py": {"OSError"},
}
BUILTIN_ERRORS = {
    name
    for name in dir(builtins)
    if isinstance(getattr(builtins, name), type)
    and issubclass(getattr(builtins, name), BaseException)
}


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        found.append((relative, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _exception_classes() -> list[tuple[str, str]]:
    """(module, class name) of every class in src that looks like an exception by its bases."""
    classes = []
    for relative, tree in _modules():
        module = "icbt_content." + relative.removesuffix(".py").replace("/", ".")
        module = module.removesuffix(".__init__")
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                classes.append((module, node.name))
    return classes


def test_every_exception_class_derives_from_icbt_error() -> None:
    checked = []
    for module_name, name in _exception_classes():
        module = importlib.import_module(module_name)
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            checked.append(name)
            assert issubclass(cls, IcbtError), (
                f"{module_name}.{name} does not derive from IcbtError"
            )
    # the known ones are among them, so the walk did find the exception classes
    assert {"ContentError", "ExportError", "AnswersError", "ReleaseError"} <= set(checked)


def test_no_bare_builtin_errors_are_raised() -> None:
    for relative, tree in _modules():
        allowed = ALWAYS_ALLOWED | ALLOWED_WHERE.get(relative, set())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            call = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = call.id if isinstance(call, ast.Name) else ""
            if name in BUILTIN_ERRORS:
                assert name in allowed, f"{relative}:{node.lineno} raises the built-in {name}"


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (ContentError, Exception),
        (ExportError, Exception),
        (AnswersError, ExportError),
        (NotFoundError, KeyError),
        (InvalidArgumentError, ValueError),
        (ScoringError, ValueError),
    ],
)
def test_errors_keep_their_old_names_working(error: type[Exception], builtin: type) -> None:
    assert issubclass(error, IcbtError)
    assert issubclass(error, builtin)


def test_errors_carry_diagnostics() -> None:
    with pytest.raises(IcbtError) as caught:
        load_programme(REPO / "programmes" / "no-such-programme")
    assert isinstance(caught.value, ContentError)
    assert caught.value.diagnostics and caught.value.diagnostics[0].code


def test_a_bad_answer_is_a_scoring_error() -> None:
    phq9 = load_programme(REPO / "programmes" / "sad").measure("phq9")
    with pytest.raises(ScoringError, match="no item called q99"):
        score(phq9, {"q99": 1})


def test_not_found_reads_as_a_sentence() -> None:
    error = NotFoundError("no measure 'x'")
    assert str(error) == "no measure 'x'"
    assert error.diagnostics == []


def test_an_installed_exercise_type_of_the_wrong_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    from icbt_content.exercises import registry

    class NotAType:
        name, value = "odd", "somewhere:ODD"

        def load(self) -> object:
            return object()

    monkeypatch.setattr(registry, "entry_points", lambda group: [NotAType()])
    registry.exercise_types.cache_clear()
    try:
        with pytest.raises(ExerciseTypeError, match="somewhere:ODD is not an ExerciseType"):
            registry.exercise_types()
    finally:
        monkeypatch.undo()
        registry.exercise_types.cache_clear()
    assert "reflection" in registry.exercise_types()
