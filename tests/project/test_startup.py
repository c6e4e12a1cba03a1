"""A build with nothing to do decides before the generator's heavy libraries are imported.

``python build.py`` with an unchanged site and cache stats the files and stops: it must not pay
for importing Jinja2, Markdown, jsonschema, Babel or nh3 first. A subprocess runs the command
line's build after a first cached build and lists ``sys.modules`` once it has decided. The same
check runs on a copy of the package with an ``import jinja2`` planted on that path, to show it
would notice one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, FixtureSite

HEAVY = ("jinja2", "markdown", "jsonschema", "babel", "nh3")

DRIVER = """
import json, sys
from kotacerdas.cli.main import main
status = main(["build", "--site", sys.argv[1]])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def no_change_modules(repo: Path, site: FixtureSite) -> set[str]:
    """The modules imported by a no-change build of ``site`` with the generator in ``repo``."""
    first = subprocess.run([sys.executable, "build.py", "build", "--site", str(site.root)],
                           cwd=repo, capture_output=True, text=True, timeout=600, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run([sys.executable, "-c", DRIVER, str(site.root)],
                           cwd=repo, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    *printed, last = again.stdout.splitlines()
    report = json.loads(last)
    assert report["status"] == 0
    assert printed == [f"nothing changed since the last build; {site.output} left as it is"]
    return set(report["modules"])


def heavy_in(modules: set[str]) -> list[str]:
    """The heavy libraries (or any of their submodules) among the imported modules."""
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_the_no_change_build_imports_nothing_heavy(site: FixtureSite) -> None:
    modules = no_change_modules(REPO, site)
    assert "kotacerdas.build.cache" in modules  # the driver did take the probe path
    assert heavy_in(modules) == []


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
