"""Compiled templates kept between builds: reused while a template's source is the same, compiled
again when it changes, and a stored text that is not exactly what was saved is only a miss."""

from __future__ import annotations

import base64
import json
import marshal
from pathlib import Path

import jinja2
import pytest

from conftest import spy
from kotacerdas.render import compiled
from kotacerdas.render.compiled import CompiledTemplates, StoredTemplates

BASE = "<title>{% block title %}{% endblock %}</title>{{ greeting }}\n"
PAGE = '{% extends "base.html" %}{% block title %}Halo {{ name }}{% endblock %}'


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja2 compiles (appended as it compiles them)."""
    return spy(monkeypatch, jinja2.Environment, "compile",
               record=lambda self, source, name=None, *a, **k: name or "")


def _templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "base.html").write_text(BASE)
    (folder / "page.html").write_text(PAGE)
    return folder


def _render(folder: Path, cache: jinja2.BytecodeCache) -> str:
    """page.html rendered by a new environment (as each build makes), using ``cache``."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)
    return env.get_template("page.html").render(name="Dunia", greeting="Selamat")


def _saved(folder: Path) -> str:
    """The text a first build saves, having compiled every template."""
    stored = StoredTemplates()
    _render(folder, stored)
    text = stored.stored()
    assert text is not None
    return text


def test_the_memory_cache_compiles_each_template_once(tmp_path: Path, compiles: list[str]) -> None:
    folder = _templates(tmp_path)
    memory = CompiledTemplates()
    assert _render(folder, memory) == _render(folder, memory) == "<title>Halo Dunia</title>Selamat"
    assert sorted(compiles) == ["base.html", "page.html"]


def test_stored_code_is_not_compiled_again(tmp_path: Path, compiles: list[str]) -> None:
    folder = _templates(tmp_path)
    text = _saved(folder)
    compiles.clear()
    again = StoredTemplates(text.encode())
    assert _render(folder, again) == "<title>Halo Dunia</title>Selamat"
    assert compiles == []
    assert again.stored() is None  # nothing new: nothing to write


def test_an_edited_template_alone_is_compiled_again(tmp_path: Path, compiles: list[str]) -> None:
    folder = _templates(tmp_path)
    text = _saved(folder)
    (folder / "base.html").write_text(BASE.replace("<title>", "<title>Baru: "))
    compiles.clear()
    again = StoredTemplates(text.encode())
    assert _render(folder, again) == "<title>Baru: Halo Dunia</title>Selamat"
    assert compiles == ["base.html"]
    saved = again.stored()
    assert saved is not None
    assert len(json.loads(saved)["templates"]) == 2  # the new code replaced the old one


def _entry_code(text: str, replace: bytes) -> str:
    """``text`` with every template's code replaced by ``replace`` (base64)."""
    raw = json.loads(text)
    for entry in raw["templates"].values():
        entry[2] = base64.b64encode(replace).decode()
    return json.dumps(raw)


@pytest.mark.parametrize("spoil", [
    lambda text: text[: len(text) // 2],                                      # truncated
    lambda text: "",
    lambda text: "[1, 2]",
    lambda text: text.replace('"magic":"', '"magic":"00'),                   # another Python
    lambda text: text.replace(f'"jinja2":"{jinja2.__version__}"', '"jinja2":"2.11.3"'),
    lambda text: _entry_code(text, b"\x00\x01 not marshal"),
    lambda text: _entry_code(text, marshal.dumps(("a tuple", "not code"))),
    lambda text: _entry_code(text, marshal.dumps(compile("'x'", "<s>", "eval"))[:-3]),
    lambda text: json.dumps({**json.loads(text), "templates": {"k": ["a", 1, None]}}),
    lambda text: json.dumps({**json.loads(text), "templates": dict.fromkeys(
        json.loads(text)["templates"], "not a list")}),
    lambda text: _entry_code(text, b"").replace('""', '"!!not base64!!"'),
], ids=["truncated", "empty", "a list", "magic", "jinja2", "junk", "no code", "torn code",
        "wrong shape", "wrong entry", "not base64"])
def test_a_stored_text_not_as_saved_is_a_miss(tmp_path: Path, compiles: list[str], spoil) -> None:  # noqa: ANN001
    folder = _templates(tmp_path)
    text = _saved(folder)
    compiles.clear()
    again = StoredTemplates(spoil(text).encode())
    assert _render(folder, again) == "<title>Halo Dunia</title>Selamat"
    assert sorted(compiles) == ["base.html", "page.html"]
    saved = again.stored()
    assert saved is not None and StoredTemplates(saved.encode())._entries == \
        StoredTemplates(text.encode())._entries  # written again, whole


def test_a_bad_entry_is_a_miss_beside_good_ones(tmp_path: Path, compiles: list[str]) -> None:
    folder = _templates(tmp_path)
    raw = json.loads(_saved(folder))
    key = next(k for k, entry in raw["templates"].items() if entry[0].endswith("base.html"))
    raw["templates"][key][2] = base64.b64encode(b"junk").decode()
    compiles.clear()
    assert _render(folder, StoredTemplates(json.dumps(raw).encode())) == \
        "<title>Halo Dunia</title>Selamat"
    assert compiles == ["base.html"]


def test_the_stored_text_holds_only_templates_that_still_exist(tmp_path: Path) -> None:
    folder = _templates(tmp_path)
    text = _saved(folder)
    (folder / "page.html").unlink()
    saved = StoredTemplates(text.encode()).stored()
    assert saved is not None
    assert [entry[0] for entry in json.loads(saved)["templates"].values()] == \
        [str(folder / "base.html")]


def test_clear_forgets_the_stored_templates_too(tmp_path: Path, compiles: list[str]) -> None:
    folder = _templates(tmp_path)
    stored = StoredTemplates(_saved(folder).encode())
    stored.clear()
    compiles.clear()
    _render(folder, stored)
    assert sorted(compiles) == ["base.html", "page.html"]


def test_the_file_name_says_which_jinja2_and_python_compiled_it() -> None:
    import platform
    import sys

    name = compiled.stored_name()
    assert name.startswith(compiled.PREFIX)
    assert f"jinja2-{jinja2.__version__}" in name
    assert f"{sys.implementation.name}-{platform.python_version()}" in name
