"""The two-edition benchmark corpus (bench/english.py): a valid site whose every announcement has
its English page."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.english import add_english_edition, english, originals, translation
from conftest import SHARED, run_build
from htmlcheck import broken_links, soup

BASE = "https://bench.example/sub/"
MAKER = SHARED / "bench" / "make_corpus.py"


def corpus(root: Path, news: int = 20, regions: int = 20, seed: int = 3) -> Path:
    """A tiny corpus from the shared generator (skips when ../shared/bench is missing)."""
    if not MAKER.is_file():
        pytest.skip("../shared/bench is not beside this checkout")
    subprocess.run([sys.executable, str(MAKER), str(root), "--news", str(news),
                    "--regions", str(regions), "--seed", str(seed)],
                   check=True, capture_output=True)
    return root


def shape(markdown: str) -> str:
    """Markdown with every word made "w" and every link address "(A)": its structure."""
    return re.sub(r"[A-Za-z]+", "w", re.sub(r"\]\([^)]*\)", "](A)", markdown))


def test_the_two_edition_corpus_builds_with_every_english_page(tmp_path: Path) -> None:
    site = corpus(tmp_path / "corpus")
    news = originals(site / "content" / "news")
    assert add_english_edition(site, 3) == len(news) == 20
    result = run_build("build", "--site", str(site), "--base-url", BASE)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "20 participants, 20 announcements" in result.stdout
    output = site / "output"
    assert broken_links(output, BASE) == []
    for original in news:
        slug = original.name[len("YYYY-MM-DD-"):-len(".md")]
        title = (original.with_name(original.name[:-3] + ".en.md")
                 .read_text(encoding="utf-8").splitlines()[1])
        page = soup(output / "en" / "berita" / slug / "index.html")
        assert page.html["lang"] == "en"
        assert f'title: "{page.h1.get_text(strip=True)}"' == title
        assert "not been translated" not in page.get_text()
        assert soup(output / "berita" / slug / "index.html").h1.get_text() != page.h1.get_text()


def test_the_translations_are_the_same_for_the_same_seed(tmp_path: Path) -> None:
    a, b = corpus(tmp_path / "a", news=5, regions=5), corpus(tmp_path / "b", news=5, regions=5)
    add_english_edition(a, 7)
    add_english_edition(b, 7)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert len([f for f in files if f.name.endswith(".en.md")]) == 5


def test_a_translation_keeps_the_markdown_and_the_link_addresses() -> None:
    original = ('---\ntitle: "Kota Cerdas Baru"\ndate: 2020-01-02\nsummary: "Ringkasan."\n'
                "tags: [inovasi]\nregions: [kota-a]\n---\n\n## Judul Bagian\n\n"
                "- **warga kota** dan [pusat data](https://data.example.go.id/pusat-data)\n"
                "| Indikator | Target |\n|---|---|\n| UMKM | 40% |\n")
    text = translation(original, random.Random(1))
    front, body = text.split("---\n")[1:]
    assert re.fullmatch(r'title: "[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+"\n'
                        r'summary: "[A-Z][a-z]+\."\n', front)
    assert "(https://data.example.go.id/pusat-data)" in body
    assert shape(body) == shape(original.split("---\n")[2])
    assert re.search(r"\| [A-Z]{2,} \| 40% \|", body)
    assert not set(re.findall(r"[a-z]+", english("warga kota dan pusat", random.Random(2)))) & {
        "warga", "kota", "dan", "pusat"}
