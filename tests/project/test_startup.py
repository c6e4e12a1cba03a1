"""A build imports the generator's heavy libraries only when its work needs them.

``python build.py`` with an unchanged site and cache stats the files and stops: it must not pay
for importing Jinja2, Markdown, PyYAML, jsonschema, Babel or nh3 first. A subprocess runs the
command line's build after a first cached build and lists ``sys.modules`` once it has decided.
The same check runs on a copy of the package with an ``import jinja2`` planted on that path, to
show it would notice one. A one-edit build that converts no Markdown (an announcement's title, a
region's note: every body comes from the Markdown cache) must not import Python-Markdown or nh3;
neither may import jsonschema when the edited file is valid (content/conforms.py); one that
converts a body must not import importlib.metadata either (Python-Markdown lists every
installed package's entry points when an extension is named by a string), nor Babel: the dates
its page shows were formatted by the first build (model/i18n.Formats, kept in the cache). The
feeds and the sitemap are written as text (core/xmltext.py): only Python-Markdown imports
``xml.etree``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from conftest import REPO, FixtureSite

HEAVY = ("jinja2", "markdown", "yaml", "jsonschema", "babel", "nh3")

DRIVER = """
import json, sys
from kotacerdas.cli.main import main
status = main(["build", "--site", sys.argv[1]])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def second_build(repo: Path, site: FixtureSite, edit: Callable[[], object] = lambda: None
                 ) -> tuple[list[str], set[str]]:
    """The lines printed and the modules imported by a cached build of ``site`` with the
    generator in ``repo``, made after a first build and then ``edit``."""
    first = subprocess.run([sys.executable, "build.py", "build", "--site", str(site.root)],
                           cwd=repo, capture_output=True, text=True, timeout=600, check=False)
    assert first.returncode == 0, first.stderr
    edit()
    again = subprocess.run([sys.executable, "-c", DRIVER, str(site.root)],
                           cwd=repo, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    *printed, last = again.stdout.splitlines()
    report = json.loads(last)
    assert report["status"] == 0
    return printed, set(report["modules"])


def no_change_modules(repo: Path, site: FixtureSite) -> set[str]:
    """The modules imported by a no-change build of ``site`` with the generator in ``repo``."""
    printed, modules = second_build(repo, site)
    assert printed == [f"nothing changed since the last build; {site.output} left as it is"]
    return modules


def one_edit_modules(site: FixtureSite, rel: str, old: str, new: str) -> set[str]:
    """The modules imported by the cached build after the text ``old`` became ``new`` in the
    site's file ``rel``; the new text must reach the output's pages."""
    path = site.root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    printed, modules = second_build(
        REPO, site, lambda: path.write_text(text.replace(old, new), encoding="utf-8"))
    assert len(printed) == 1 and printed[0].startswith("built "), printed
    assert any(new in page.read_text(encoding="utf-8") for page in site.output.rglob("*.html"))
    return modules


def heavy_in(modules: set[str]) -> list[str]:
    """The heavy libraries (or any of their submodules) among the imported modules."""
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_the_no_change_build_imports_nothing_heavy(site: FixtureSite) -> None:
    modules = no_change_modules(REPO, site)
    assert "kotacerdas.build.cache" in modules  # the driver did take the probe path
    assert heavy_in(modules) == []
    assert not {"dataclasses", "inspect"} & modules  # records (core/records.py) need neither


def test_a_heavy_import_on_that_path_would_be_noticed(site: FixtureSite, tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "kotacerdas", copy / "kotacerdas",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", copy / "templates")
    shutil.copy(REPO / "build.py", copy / "build.py")
    writer = copy / "kotacerdas" / "build" / "writer.py"
    writer.write_text(writer.read_text(encoding="utf-8") + "\nimport jinja2  # planted\n",
                      encoding="utf-8")
    assert "jinja2" in heavy_in(no_change_modules(copy, site))


def test_a_title_edit_imports_no_markdown(site: FixtureSite) -> None:
    modules = one_edit_modules(site, "content/news/2017-05-22-peluncuran.md",
                               "Peluncuran gerakan", "Peluncuran gerakan baru")
    assert "kotacerdas.model.site" in modules  # the model was built again
    assert [m for m in heavy_in(modules) if m.split(".")[0] in ("markdown", "nh3")] == []
    assert "kotacerdas.build.linkcheck" not in modules  # only ``check`` reads the links
    assert "yaml" in modules and "jsonschema" not in modules  # parsed, valid (content/conforms)
    assert "kotacerdas.outputs.feeds" in modules and "xml.etree.ElementTree" not in modules  # its
    # feeds written again as text (core/xmltext)


def test_a_region_note_edit_imports_no_markdown(site: FixtureSite) -> None:
    modules = one_edit_modules(site, "content/regions/kota-depok.yaml",
                               "Dua sumber menyebut tahun yang berbeda.",
                               "Dua sumber menyebut dua tahun yang berbeda.")
    assert "kotacerdas.model.site" in modules
    assert [m for m in heavy_in(modules) if m.split(".")[0] in ("markdown", "nh3")] == []
    assert "yaml" in modules and "jsonschema" not in modules


def test_a_body_edit_converts_without_listing_installed_packages(site: FixtureSite) -> None:
    modules = one_edit_modules(site, "content/news/2018-05-08-tahap-dua.md",
                               "Teks.", "Teks yang diubah.")
    assert "markdown" in modules and "nh3" in modules  # the body was converted again
    assert "importlib.metadata" not in modules
    assert "kotacerdas.render.renderer" in modules  # its page was rendered again,
    assert [m for m in heavy_in(modules) if m.split(".")[0] == "babel"] == []  # its dates known
    assert "kotacerdas.outputs.feeds" in modules and "email" not in modules  # RSS dates (rfc822)
    assert "dataclasses" not in modules  # no class of the package is made by it
