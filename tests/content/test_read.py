"""Reading editors' files, and knowing an unchanged file by its stamp in a long-lived session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import freeze_times, spy, stamp_times
from kotacerdas.content import read
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo


def test_a_settled_file_is_read_once_and_gives_the_same_text(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)  # every file counts as settled
    path = tmp_path / "a.md"
    path.write_text("Halo\n", encoding="utf-8")
    freeze_times(path, 1_000_000_000)  # modified long ago (its change time stays now)
    memo, problems = Memo(), Problems(tmp_path)
    first = read.read_text(path, problems, memo)
    reads = spy(monkeypatch, read, "read_file", record=lambda p, *a: p)
    again = read.read_text(path, problems, memo)
    assert first == "Halo\n" and again is first and reads == []
    path.write_text("Halo lagi\n", encoding="utf-8")  # a new stamp
    assert read.read_text(path, problems, memo) == "Halo lagi\n" and reads == [path]
    assert not problems


def test_a_file_changed_moments_ago_is_always_read_again(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A file saved twice within one tick of the file system's clock keeps its stamp (same
    size, same times): only reading a recently changed file again is safe."""
    path = tmp_path / "a.md"
    path.write_text("satu\n", encoding="utf-8")
    stamp_times(monkeypatch, os.lstat(path))
    memo, problems = Memo(), Problems(tmp_path)
    assert read.read_text(path, problems, memo) == "satu\n"
    path.write_text("dua!\n", encoding="utf-8")  # same size, and (as lstat says) same times
    assert read.read_text(path, problems, memo) == "dua!\n"
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)  # were it trusted, the old text would stay
    assert read.read_text(path, problems, memo) == "dua!\n"
    path.write_text("tiga\n", encoding="utf-8")
    assert read.read_text(path, problems, memo) == "dua!\n"


def test_a_remembered_problem_is_reported_on_every_read(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)
    path = tmp_path / "a.md"
    path.write_bytes(b"\xff\xfe bukan UTF-8")
    memo = Memo()
    for _ in range(2):
        problems = Problems(tmp_path)
        assert read.read_text(path, problems, memo) is None
        assert [p.path for p in problems.items] == ["a.md"]
        assert "UTF-8" in problems.items[0].message
