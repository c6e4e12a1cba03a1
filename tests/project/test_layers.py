"""The stage packages import one way: core ← content ← model ← outputs ← site ← render ← build ←
preview ← cli, and editors only content and core.

Every import of every module of ``kotacerdas/`` is read with ``ast``: at module level, inside
functions and under ``TYPE_CHECKING`` alike, since each is a dependency a newcomer has to follow.
The checker is tested on a small fake package first, so a rule it stopped seeing would show.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "kotacerdas"
ORDER = ("core", "content", "model", "outputs", "site", "render", "build", "preview", "cli")
"""The stages, lowest first: a module may import its own stage or one to its left."""
BESIDE = {"editors": frozenset({"editors", "content", "core"})}
"""Packages outside the chain, with every package they may import; the command line, at the
top of the chain, may import them too."""


@dataclass(frozen=True, order=True)
class Import:
    """One import statement of the package, resolved to the module it names."""

    source: str
    line: int
    target: str


def stage_of(module: str) -> str:
    """The subpackage a dotted module name belongs to ('' for the top-level package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def allowed(stage: str) -> frozenset[str]:
    """The stages a module of ``stage`` may import (its own among them)."""
    if stage in BESIDE:
        return BESIDE[stage]
    if stage == ORDER[-1]:
        return frozenset({*ORDER, *BESIDE})
    if stage in ORDER:
        return frozenset(ORDER[:ORDER.index(stage) + 1])
    return frozenset()


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package in ``root``, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(root: Path) -> list[Import]:
    """Every import inside the package, wherever it is written, resolved to a known module."""
    known = modules(root)
    out = []
    for name, path in known.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target in _targets(node, here):
                if target.split(".")[0] == root.name:
                    out.append(Import(name, node.lineno, _resolve(target, known)))
    return sorted(out)


def _targets(node: ast.AST, here: str) -> list[str]:
    """The dotted names an import node reaches: ``from a import b`` reaches ``a.b`` (or ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = here.split(".")[:len(here.split(".")) - node.level + 1]
        base = ".".join([*anchor, base] if base else anchor)
    return [f"{base}.{alias.name}" for alias in node.names]


def _resolve(target: str, known: dict[str, Path]) -> str:
    """The longest known module a dotted name starts with (``a.b.name`` → module ``a.b``)."""
    while target not in known and "." in target:
        target = target.rpartition(".")[0]
    return target


def upward(root: Path) -> list[str]:
    """Each import from a stage its module may not use."""
    wrong = []
    for imp in imports(root):
        source, target = stage_of(imp.source), stage_of(imp.target)
        if target and target not in allowed(source):
            wrong.append(f"{_file(root, imp.source)}:{imp.line} imports {imp.target} "
                         f"({target} may not be imported by {source or 'the package itself'})")
    return wrong


def unknown_stages(root: Path) -> list[str]:
    """Modules outside every stage: the rule would say nothing about them."""
    stages = {*ORDER, *BESIDE}
    return [_file(root, name) for name in modules(root)
            if name != root.name and stage_of(name) not in stages]


def core_outside(root: Path) -> list[str]:
    """Imports of core that are neither the standard library nor core."""
    wrong = []
    for name, path in modules(root).items():
        if stage_of(name) != "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for target in _targets(node, name if path.name == "__init__.py" else
                                   name.rpartition(".")[0]):
                top = target.split(".")[0]
                if top == "__future__" or top in sys.stdlib_module_names:
                    continue
                if not target.startswith(f"{root.name}.core."):
                    wrong.append(f"{_file(root, name)}:{node.lineno} imports {target}")
    return wrong


def cycles(root: Path) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (Tarjan)."""
    graph: dict[str, set[str]] = {name: set() for name in modules(root)}
    for imp in imports(root):
        graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def busy_inits(root: Path) -> list[str]:
    """Subpackage ``__init__`` files holding more than their docstring (importing one would then
    run code, and the no-change build would import what it does not need)."""
    busy = []
    for path in sorted(root.glob("*/__init__.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        if not (len(body) == 1 and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            busy.append(path.relative_to(root.parent).as_posix())
    return busy


def rules(root: Path) -> list[str]:
    """Subpackages whose docstring lacks its one-line rule, or names a stage it may not import."""
    wrong = []
    for path in sorted(root.glob("*/__init__.py")):
        stage = path.parent.name
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        line = next((text for text in doc.splitlines() if text.startswith("Rule: ")), None)
        named = set(re.findall(r"``(\w+)``", line or "")) & {*ORDER, *BESIDE}
        if line is None or not named:
            wrong.append(f"{stage}: no line 'Rule: …' naming the stages it may import")
        elif named - allowed(stage) - {stage}:
            wrong.append(f"{stage}: its rule names {', '.join(sorted(named - allowed(stage)))}")
    return wrong


def _file(root: Path, module: str) -> str:
    """A module's file as a path from the package folder ('render/renderer.py')."""
    path = modules(root)[module]
    return path.relative_to(root).as_posix()


# --- the checker, on a fake package -------------------------------------------------------

def fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package named like ours in tmp_path, each subpackage with a docstring-only __init__."""
    root = tmp_path / PACKAGE.name
    for stage in ("core", "model", "render", "build", "editors"):
        (root / stage).mkdir(parents=True)
        lower = ", ".join(f"``{s}``" for s in sorted(allowed(stage)))
        (root / stage / "__init__.py").write_text(f'"""{stage}.\n\nRule: imports {lower}.\n"""\n')
    (root / "__init__.py").write_text('"""The fake package."""\n')
    for rel, text in files.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "core/errors.py": "import json\nfrom pathlib import Path\n",
    "model/site.py": "from kotacerdas.core import errors\n",
    "render/geo.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from kotacerdas.model.site import Site\n",
    "build/writer.py": "from . import cache\nfrom ..render import geo\n",
    "build/cache.py": "def later():\n    import kotacerdas.core.errors\n",
    "editors/scaffold.py": "from kotacerdas.core.errors import Problems\n",
}


def test_the_checker_passes_a_clean_package(tmp_path: Path) -> None:
    root = fake_package(tmp_path, CLEAN)
    assert upward(root) == [] and core_outside(root) == [] and cycles(root) == []
    assert busy_inits(root) == [] and rules(root) == [] and unknown_stages(root) == []
    assert Import("kotacerdas.build.writer", 2, "kotacerdas.render.geo") in imports(root)
    assert Import("kotacerdas.build.writer", 1, "kotacerdas.build.cache") in imports(root)


@pytest.mark.parametrize(("rel", "text", "shown"), [
    ("render/geo.py", "from kotacerdas.build.writer import write_file\n",
     "render/geo.py:1 imports kotacerdas.build.writer (build may not be imported by render)"),
    ("model/site.py", "def f():\n    from kotacerdas.render import geo\n",
     "model/site.py:2 imports kotacerdas.render.geo (render may not be imported by model)"),
    ("model/site.py", ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                       "    import kotacerdas.build.cache\n"),
     "model/site.py:3 imports kotacerdas.build.cache (build may not be imported by model)"),
    ("core/errors.py", "from ..model import site\n",
     "core/errors.py:1 imports kotacerdas.model.site (model may not be imported by core)"),
    ("editors/scaffold.py", "from kotacerdas.model.site import Site\n",
     "editors/scaffold.py:1 imports kotacerdas.model.site (model may not be imported by editors)"),
    ("build/cache.py", "from kotacerdas.editors import scaffold\n",
     "build/cache.py:1 imports kotacerdas.editors.scaffold (editors may not be imported by build)"),
])
def test_the_checker_catches_a_planted_upward_import(tmp_path: Path, rel: str, text: str,
                                                     shown: str) -> None:
    root = fake_package(tmp_path, {**CLEAN, rel: text})
    assert upward(root) == [shown]


def test_the_checker_catches_core_importing_a_library_or_a_stage(tmp_path: Path) -> None:
    root = fake_package(tmp_path, {**CLEAN, "core/errors.py": "import json\nimport jinja2\n"
                                                              "from kotacerdas.model import site\n"})
    assert core_outside(root) == ["core/errors.py:2 imports jinja2",
                                  "core/errors.py:3 imports kotacerdas.model.site"]


def test_the_checker_catches_a_cycle_inside_a_stage_and_through_type_checking(tmp_path: Path) -> None:
    root = fake_package(tmp_path, {**CLEAN, "core/errors.py": "from typing import TYPE_CHECKING\n"
                                   "if TYPE_CHECKING:\n    from kotacerdas.core.slugs import x\n",
                                   "core/slugs.py": "from kotacerdas.core import errors\n"})
    assert cycles(root) == [["kotacerdas.core.errors", "kotacerdas.core.slugs"]]


def test_the_checker_catches_a_busy_init_a_missing_rule_and_a_stray_module(tmp_path: Path) -> None:
    root = fake_package(tmp_path, {**CLEAN, "render/__init__.py": '"""Render."""\nimport os\n',
                                   "model/__init__.py": '"""Model, with no rule."""\n',
                                   "core/__init__.py": '"""Core.\n\nRule: imports ``model``.\n"""\n',
                                   "helpers.py": ""})
    assert busy_inits(root) == ["kotacerdas/render/__init__.py"]
    assert rules(root) == ["core: its rule names model",
                           "model: no line 'Rule: …' naming the stages it may import",
                           "render: no line 'Rule: …' naming the stages it may import"]
    assert unknown_stages(root) == ["helpers.py"]


# --- the package itself -------------------------------------------------------------------

def assert_none(found: list[str]) -> None:
    """Fail listing every finding, one a line."""
    assert not found, "\n" + "\n".join(found)


def test_every_module_is_in_a_stage() -> None:
    assert_none(unknown_stages(PACKAGE))


def test_imports_point_only_down() -> None:
    assert_none(upward(PACKAGE))


def test_core_imports_only_the_standard_library_and_core() -> None:
    assert_none(core_outside(PACKAGE))


def test_no_module_imports_itself_around_a_loop() -> None:
    """Counting TYPE_CHECKING imports too: a cycle there is still a design cycle."""
    assert_none(["these import each other: " + ", ".join(group) for group in cycles(PACKAGE)])


def test_subpackage_inits_hold_only_their_docstring_with_the_rule() -> None:
    assert_none(busy_inits(PACKAGE) + rules(PACKAGE))
    assert {p.parent.name for p in PACKAGE.glob("*/__init__.py")} == {*ORDER, *BESIDE}
