"""The needle-first search of Python-Markdown's slow expressions (code spans, links, headings,
rules, quotes, reference definitions) finds exactly what their own searches find, so a converter
with it writes the same HTML as one without."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from kotacerdas.model import needles
from kotacerdas.model.markup import Converter

PIECES = ["`", "``", "\\`", "\\\\`", "\\\\\\\\", "\\", "[", "]", "![", "](", ")", "[a]: /x\n",
          "[a]", "[b][a]", "(/y)", "<", ">", "*", "_", " ", "  \n", "\n", "\n\n", "kata", "x",
          "# ", "## ", "#", " #", "- ", "1. ", "| a | b |\n|---|---|\n", "    ", "&amp;", "<b>",
          "</b>", "é", "\n=", "\n-", "===", "---", "- - -", "***", "_ _ _", "> ", ">", "   > ",
          "[id]: /z \"t\"", "[id]: <x>", "[c]:/w\n", "\\#", "\\>"]
"""Bits of Markdown that start, end, escape or break code spans, links, references, headings,
rules and quotes."""
markdown_texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)

SAMPLES = [
    "Kode `x = 1` dan ``a ` b`` serta \\`bukan kode\\`.",
    "Tautan [Bandung](/daerah/kota-bandung/) dan [acuan][r] dan [r].\n\n[r]: https://example.org",
    "Gambar ![x](y) dan \\[bukan tautan] serta `[di dalam kode](x)`.",
    "\\\\`kode setelah dua garis miring` lalu \\\\\\`tidak`.",
    "- `a`\n- [b](/c/)\n\n| `k` | [t](/u/) |\n|---|---|\n| 1 | 2 |\n",
    "Judul\n=====\n\nSubjudul\n--------\n\n## Bagian ##\n\n***\n\n> kutipan\n> > dalam\n",
    "[a]: https://example.org/a 'A'\n[b]: <https://example.org/b>\n  (B)\n\n[a] dan [b].",
]


def _plain(monkeypatch: pytest.MonkeyPatch) -> Converter:
    """A converter whose Markdown instance keeps every expression's own search."""
    plain = Converter(lambda url: url)
    with monkeypatch.context() as patched:
        patched.setattr(needles, "KNOWN", {})
        assert plain._md  # built now, while no expression is known
    return plain


@pytest.fixture(scope="module")
def converters() -> tuple[Converter, Converter]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain = _plain(monkeypatch)
    return Converter(lambda url: url), plain


def _searches(md) -> dict[str, str]:  # noqa: ANN001 (a markdown.Markdown)
    found = {name: md.inlinePatterns[name].compiled_re for name in needles.INLINE}
    found |= {f"block {name}": getattr(md.parser.blockprocessors[name], attribute)
              for name, attribute in needles.BLOCK}
    return {name: type(search).__name__ for name, search in found.items()}


def test_the_installed_expressions_get_the_needle_search() -> None:
    """On the installed Python-Markdown every expression named is searched needle first (a
    release that changed one would fail here, not quietly get slower)."""
    searches = _searches(Converter(lambda url: url)._md)
    assert searches == dict.fromkeys(searches, "NeedleSearch")
    assert len(searches) == len(needles.INLINE) + len(needles.BLOCK)


def test_an_expression_not_read_here_keeps_its_own_search(monkeypatch) -> None:
    monkeypatch.setattr(needles, "KNOWN", {k: v for k, v in needles.KNOWN.items()
                                           if v != ("`",)})
    searches = _searches(Converter(lambda url: url)._md)
    assert searches.pop("backtick") == "Pattern"
    assert searches == dict.fromkeys(searches, "NeedleSearch")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="`\\[]!a \n(#>=-_*:'\"", max_size=60), start=st.integers(0, 70))
def test_the_needle_search_finds_what_the_expression_finds(text: str, start: int) -> None:
    for (source, flags), found in needles.KNOWN.items():
        expression = re.compile(source, flags)
        search = needles.NeedleSearch(expression, found)
        assert [(m.span(), m.groups()) for m in search.finditer(text, start)] == \
            [(m.span(), m.groups()) for m in expression.finditer(text, start)]
        for how in ("search", "match"):
            mine, theirs = getattr(search, how)(text, start), getattr(expression, how)(text, start)
            assert (mine and (mine.span(), mine.groups())) == \
                (theirs and (theirs.span(), theirs.groups())), (source, how)


@settings(max_examples=500, deadline=None)
@given(text=markdown_texts)
def test_a_converter_writes_what_one_without_needles_writes(
        converters: tuple[Converter, Converter], text: str) -> None:
    fast, plain = converters
    assert fast.to_html(text) == plain.to_html(text)


def test_samples_and_the_sites_own_announcements_convert_alike(
        converters: tuple[Converter, Converter]) -> None:
    fast, plain = converters
    bodies = SAMPLES + [path.read_text(encoding="utf-8").split("---", 2)[-1]
                        for path in sorted((REPO / "content/news").glob("*.md"))]
    assert len(bodies) > len(SAMPLES)
    for body in bodies:
        assert fast.to_html(body) == plain.to_html(body), body[:80]
    assert "<code>x = 1</code>" in fast.to_html(SAMPLES[0])
