"""The benchmark runner's corpora (bench/run.py): with --translations, a two-edition copy beside
the one-edition corpus the peers build."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.run import (WARM_EDIT, WARM_EDIT_AGAIN, WARM_SAME, WARM_TITLE, Corpus, counterpart,
                       generate, warm_rounds)
from conftest import SHARED


def test_translations_make_a_two_edition_copy_and_leave_the_corpus_alone(tmp_path: Path) -> None:
    if not (SHARED / "bench" / "make_corpus.py").is_file():
        pytest.skip("../shared/bench is not beside this checkout")
    path = tmp_path / "corpora" / "n6"
    corpus = Corpus(6, 4, path, runs=1, warmup=0, english=path.with_name("n6-en"))
    generate(SHARED / "bench", corpus, 1, tmp_path / "log")
    news = sorted((path / "content" / "news").glob("*.md"))
    assert len(news) == 6 and not list(path.rglob("*.en.md"))
    assert "translations:" not in (path / "site_config.yaml").read_text(encoding="utf-8")
    english = path.with_name("n6-en")
    assert sorted(p.name for p in (english / "content" / "news").glob("*.en.md")) == [
        p.name[:-3] + ".en.md" for p in news]
    assert "translations:\n  en:\n" in (english / "site_config.yaml").read_text(encoding="utf-8")
    assert corpus.edit_file in news
    edit = counterpart(corpus, corpus.edit_file)
    assert edit.read_bytes() == corpus.edit_file.read_bytes() and edit.is_relative_to(english)



def test_warm_rounds_edit_twice_then_the_title_and_restore_the_file(tmp_path: Path) -> None:
    """No change, one edit, then one more: the second is a build between two saves (the spare
    tree the first made is there); then the title; the announcement is left as it was."""
    edited = tmp_path / "news.md"
    edited.write_bytes(b"---\ntitle: A\n---\n\nIsi.\n")
    seen: list[tuple[bytes, bytes | None]] = []

    class Builds:
        def warm(self, site: Path, interval: float, round_: int, marker: bytes | None) -> str:
            seen.append((edited.read_bytes(), marker))
            return f"sample {len(seen)}"

    results = warm_rounds(Builds(), tmp_path, edited, 0.1, 3)  # type: ignore[arg-type]
    assert [scenario for scenario, _ in results] == [WARM_SAME, WARM_EDIT, WARM_EDIT_AGAIN,
                                                     WARM_TITLE]
    assert seen[0] == (b"---\ntitle: A\n---\n\nIsi.\n", None)
    first, second = seen[1][1], seen[2][1]
    assert first and second and first != second
    assert seen[1][0].endswith(first + b"\n") and seen[2][0].endswith(second + b"\n")
    assert first not in seen[2][0]
    titled, third = seen[3]
    assert third and titled.startswith(b"---\ntitle: " + third + b" A\n")
    assert titled.endswith(second + b"\n")  # the body edits stay: only the title changed
    assert edited.read_bytes() == b"---\ntitle: A\n---\n\nIsi.\n"
