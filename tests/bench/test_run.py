"""The benchmark runner's corpora (bench/run.py): with --translations, a two-edition copy beside
the one-edition corpus the peers build."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.run import Corpus, counterpart, generate
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

