"""The commands as functions: a build with nothing to do answers before any heavy module loads."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, FixtureSite

HEAVY = ("jinja2", "markdown", "jsonschema", "babel", "nh3")


def test_a_build_with_nothing_to_do_imports_nothing_heavy(site: FixtureSite) -> None:
    assert site.run("build").returncode == 0
    probe = ("import sys\nfrom kotacerdas.cli.main import main\n"
             f"status = main(['build', '--site', {str(site.root)!r}])\n"
             f"print(status, sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    assert result.stdout.startswith("nothing changed since the last build;"), result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"
    site.write("content/pages/tentang.md", (site.root / "content/pages/tentang.md")
               .read_text(encoding="utf-8") + "\nLagi.\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, timeout=600)
    assert result.stdout.startswith("built "), result.stderr
    assert result.stdout.splitlines()[-1] != "0 []"  # the probe itself can tell heavy from light
