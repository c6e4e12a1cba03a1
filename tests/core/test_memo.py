"""The memo a long-lived session keeps between builds: made once, dropped when no build asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from kotacerdas.core.errors import Problem, Problems
from kotacerdas.core.memo import Memo


def test_a_value_is_made_once_and_kept_while_builds_ask_for_it() -> None:
    memo, made = Memo(), []
    make = lambda: made.append(1) or "value"  # noqa: E731
    assert memo.get("k", make) == "value"
    assert memo.get("k", make) == "value"
    memo.settle()
    assert memo.get("k", make) == "value"
    memo.settle()
    assert made == [1]


def test_what_a_successful_build_did_not_ask_for_is_dropped() -> None:
    memo, made = Memo(), []
    memo.get("old", lambda: made.append("old"))
    memo.settle()
    memo.get("new", lambda: made.append("new"))
    memo.settle()  # this build never asked for "old"
    memo.get("old", lambda: made.append("old"))
    assert made == ["old", "new", "old"]


def test_a_failed_build_that_never_settles_loses_nothing() -> None:
    memo, made = Memo(), []
    memo.get("a", lambda: made.append("a"))
    memo.settle()
    memo.get("b", lambda: made.append("b"))  # this build failed: no settle
    memo.get("a", lambda: made.append("a"))
    memo.get("b", lambda: made.append("b"))
    assert made == ["a", "b"]


def test_a_remembered_values_problems_are_reported_every_time() -> None:
    from pathlib import Path
    from kotacerdas.core.errors import Problems
    memo, made = Memo(), []

    def make(found: Problems) -> str:
        made.append(1)
        found.add("/site/content/a.md", 3, "salah")
        return "nilai"

    for _ in range(3):
        problems = Problems(Path("/site"))
        assert memo.checked("k", problems, make) == "nilai"
        assert [str(p) for p in problems.items] == ["content/a.md:3: salah"]
        memo.settle()
    assert made == [1]


def test_an_outcome_taken_is_handed_out_as_if_made_here(tmp_path: Path) -> None:
    memo = Memo()
    problems = Problems(tmp_path)
    found = (Problem("a.md", 1, "pesan"),)
    assert memo.take("k", ("value", found), problems) == "value"
    assert problems.items == list(found)
    again = Problems(tmp_path)
    assert memo.checked("k", again, lambda collector: pytest.fail("made again")) == "value"
    assert again.items == list(found), "its problems are reported each time it is handed out"
    memo.settle()
    assert memo.has("k"), "kept like any value a build asked for"


def test_a_known_text_is_found_without_being_made_or_kept() -> None:
    """known_text finds what text made this build or the last, never makes one, and asking does
    not keep it for the build after."""
    memo = Memo()
    assert memo.known_text(("k", "a")) is None
    assert memo.text(("k", "a"), lambda: "teks") == "teks"
    assert memo.known_text(("k", "a")) == "teks"
    memo.settle()
    assert memo.known_text(("k", "a")) == "teks", "the last build's"
    memo.get(("k", "b"), lambda: 1)
    assert memo.known_text(("k", "b")) is None, "not a text"
    memo.settle()
    assert memo.known_text(("k", "a")) is None, "not asked by the build before: dropped"
