"""The build process's own costs: no cycle collection where it frees nothing, and an exit that
frees nothing but still delivers every byte written to stdout and stderr."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from kotacerdas.core.process import collector_paused

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("before", [True, False])
def test_the_collector_is_paused_inside_and_left_as_it_was(before: bool) -> None:
    was = gc.isenabled()
    (gc.enable if before else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is before
        with pytest.raises(KeyError), collector_paused():
            raise KeyError("x")
        assert gc.isenabled() is before
    finally:
        (gc.enable if was else gc.disable)()


def test_end_delivers_buffered_output_and_the_status() -> None:
    """stdout to a pipe is block-buffered: what was printed arrives although the process
    leaves without Python's shutdown (and an atexit handler, which that skips, never runs)."""
    code = ("import atexit, sys; from kotacerdas.core.process import end;"
            "atexit.register(lambda: print('shutdown ran'));"
            "print('built 3 pages', end=''); sys.stderr.write('path:1: problem'); end(3)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (3, "built 3 pages", "path:1: problem")


def test_build_py_ends_through_end_with_mains_status(tmp_path: Path) -> None:
    """build.py's exit status is main's, and its messages arrive: a missing site folder is a
    usage error (2) with its sentence on stderr."""
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site", str(tmp_path / "x")],
                          cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr
