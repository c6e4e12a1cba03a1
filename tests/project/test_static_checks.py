"""ruff and mypy --strict over the repository, with the settings in pyproject.toml.

They run here, as part of pytest, so the README's test command and CI (.ci/run) check them; both
are pinned in requirements-test.in, because a newer release finds other things.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version

import pytest

from conftest import REPO

TOOLS = ("ruff", "mypy")


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """The tool as the test's own Python runs it, from the repository root (pyproject.toml)."""
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def report(done: subprocess.CompletedProcess[str]) -> str:
    """What the tool said, for the failure message."""
    return f"exit code {done.returncode}\n{done.stdout}{done.stderr}"


def test_ruff_reports_nothing() -> None:
    done = run_tool("ruff", "check", "--no-cache", "--output-format", "concise")
    if done.returncode != 0 or done.stderr.strip():
        pytest.fail("ruff check found problems (settings: [tool.ruff] in pyproject.toml):\n"
                    + report(done), pytrace=False)


def test_mypy_strict_reports_nothing() -> None:
    done = run_tool("mypy")
    if done.returncode != 0 or done.stderr.strip() or not done.stdout.startswith("Success:"):
        pytest.fail("mypy --strict found problems (settings: [tool.mypy] in pyproject.toml):\n"
                    + report(done), pytrace=False)


@pytest.mark.parametrize("tool", TOOLS)
def test_the_pinned_version_runs(tool: str) -> None:
    """Another release checks other things: the one installed is the one requirements-test.txt
    locks (reinstall with ``.venv/bin/pip install -r requirements-test.txt``)."""
    lock = (REPO / "requirements-test.txt").read_text(encoding="utf-8")
    pinned = re.search(rf"^{tool}==(\S+)", lock, re.MULTILINE)
    assert pinned, f"{tool} is not pinned in requirements-test.txt"
    assert version(tool) == pinned.group(1)
