"""Markdown that would make the converter backtrack or recurse is refused before it is converted,
with the file and line; everything under the limits converts in bounded time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import REPO, SHARED, FixtureSite
from kotacerdas.content import mdlimits
from kotacerdas.core.errors import Problems
from kotacerdas.content.read import read_text, split_front_matter
from kotacerdas.model.markup import Converter

NEWS = "content/news/2019-05-15-tahap-tiga.md"
HEAD = '---\ntitle: "Tahap tiga"\ndate: 2019-05-15\nsummary: "Tahap tiga."\n---\n\n'
"""Six lines: a body written after it starts on line 7."""
BOUND = 10.0
"""Seconds one document may take at the limits: a hang check, far above the ~1 s measured."""


def body_of(path: Path) -> str:
    """The Markdown body of a content file, as the loader splits it."""
    problems = Problems(path.parent)
    text = read_text(path, problems)
    assert text is not None, problems.items
    split = split_front_matter(path, text, problems)
    assert split is not None, problems.items
    return split[1]


def convert(text: str) -> float:
    """Seconds one conversion takes (a fresh converter: a failure must not hide behind another)."""
    converter = Converter(lambda h: h)
    start = time.monotonic()
    converter.to_html(text)
    return time.monotonic() - start


# --- real content is far from every limit --------------------------------------------------------

def test_the_repository_content_is_not_refused() -> None:
    files = sorted((REPO / "content").rglob("*.md"))
    assert len(files) > 20
    for path in files:
        assert mdlimits.hazards(body_of(path)) == [], path
    for guide in ("README.md", "PANDUAN-EDITOR.md"):  # the longest Markdown the project has
        assert mdlimits.hazards((REPO / guide).read_text(encoding="utf-8")) == [], guide


def test_the_benchmark_corpus_is_not_refused(tmp_path: Path) -> None:
    maker = SHARED / "bench" / "make_corpus.py"
    if not maker.is_file():
        pytest.skip("../shared/bench is not beside this checkout")
    subprocess.run([sys.executable, str(maker), str(tmp_path / "c"), "--news", "400", "--regions",
                    "20", "--seed", "1"], check=True, capture_output=True)
    files = sorted((tmp_path / "c" / "content" / "news").glob("*.md"))
    assert len(files) == 400
    for path in files:
        assert mdlimits.hazards(body_of(path)) == [], path


# --- what the hostile tests found is refused, at its line ----------------------------------------

REFUSED = [
    ("[" * 8000, 1, "'[' is not closed"),
    ("Teks.\n\n" + "![" * 8000, 3, "'[' is not closed"),
    ("[a](" * 4000, 1, "address '(' is not closed"),
    ("*[" * 8000, 1, "'[' is not closed"),
    ("[" * 100 + " teks" * 60000, 1, "'[' is not closed"),
    ("<a" * 100000, 1, "HTML tags"),
    ("Teks.\n\n" + "<a teks\n" * 1000 + "x" * 10000, 3, "not closed with '>'"),
    ("<http://" * 16000, 1, "HTML tags"),
    ("# a\n" * 16000, 501, "headings"),
    ("---\n" * 450 + "a\n" * 20000, 1, "horizontal lines"),
    ("a\n\n" * 20000, 20001, "paragraphs"),
    ("*a* " * 62500, 1, "characters that start markup"),
    ("Teks.\n\n" + "*a* " * 400 + "teks " * 100000, 3, "long and full of markup"),
    ("* " * 10000 + "a\n", 1, "nested 10,000 levels"),
    ("".join("    " * i + "- a\n" for i in range(1000)), 21, "nested 21 levels"),
    ("> " * 21 + "a\n", 1, "nested 21 levels"),
    (("- - - a\n") * 7000, 1, "list items"),
    ("*" * 2000 + "a" + "*" * 2000, 1, "more than 100 '*'"),
    ("Teks\n\n" + "_" * 101 + "a", 3, "more than 100 '_'"),
]


@pytest.mark.parametrize("body, line, message", REFUSED, ids=lambda v: repr(v)[:24])
def test_hazards_are_found_at_their_line(body: str, line: int, message: str) -> None:
    found = mdlimits.hazards(body)
    assert found, "not refused"
    assert any(at == line and message in text for at, text in found), found


def test_horizontal_lines_of_any_length_are_fine() -> None:
    assert mdlimits.hazards("Teks.\n\n" + "*" * 3000 + "\n\n" + " _ _ " + "_" * 500 + "\n") == []


def test_escaped_brackets_are_not_read_as_links() -> None:
    assert mdlimits.hazards("\\[" * 5000) == []
    assert mdlimits.hazards("[" * 5000)


# --- the largest document under each limit converts quickly --------------------------------------

TEXT = "lorem ipsum dolor sit amet " * 4
GROWING: dict[str, Callable[[int], str]] = {
    "[": lambda n: "[" * n,
    "[ then text": lambda n: "[ " * n + TEXT * 3000,
    "![": lambda n: "![" * n,
    "[a](": lambda n: "[a](" * n,
    "*[": lambda n: "*[" * n,
    "[ paragraphs": lambda n: ("[" * 200 + "\n\n") * n,
    "<a lines": lambda n: "<a\n" * n,
    "<a then text": lambda n: "<a " * n + TEXT * 3000,
    "<http://": lambda n: "<http://" * n,
    "<a b=c": lambda n: "<a b=c " * n,
    "<b> open": lambda n: "<b>" * n,
    "<div> open": lambda n: "<div>" * n,
    "## a": lambda n: "## a\n" * n,
    "hr lines": lambda n: "---\n" * n,
    "setext": lambda n: "a\n===\n" * n,
    "paragraphs": lambda n: "a\n\n" * n,
    "*a*": lambda n: "*a* " * n,
    "*a* then text": lambda n: "*a* " * n + TEXT * 9000,
    "mixed paragraphs": lambda n: ("*a* `b` [c](/d) &amp; e\\*  \n" * 10 + "\n") * n,
    "list items": lambda n: "- *a*\n" * n,
    "nested list lines": lambda n: ("* " * 20 + "a\n") * n,
    "indented lists": lambda n: "".join("    " * (i % 20) + "- a\n" for i in range(n)),
    "quotes": lambda n: ("> " * 20 + "a\n") * n,
    "** runs": lambda n: ("*" * 100 + "a" + "*" * 100 + "\n\n") * n,
}


def largest(make: Callable[[int], str]) -> str:
    """The biggest document ``make`` builds that is under the file size limit and refused for
    nothing."""
    low, high = 1, 1_000_000
    while low < high:
        mid = (low + high + 1) // 2
        doc = make(mid)
        if len(doc.encode()) < 1_000_000 and not mdlimits.hazards(doc):
            low = mid
        else:
            high = mid - 1
    return make(low)


@pytest.mark.parametrize("name", GROWING)
def test_at_the_limits_a_document_converts_quickly(name: str) -> None:
    doc = largest(GROWING[name])
    assert mdlimits.hazards(doc) == []
    assert convert(doc) < BOUND


def test_at_several_limits_at_once_a_document_still_converts() -> None:
    """Links, tags, headings, nested lists and paragraphs, each grown as far as the limits let it
    after the others."""
    doc = ""
    for name in ("[", "<b> open", "## a", "nested list lines", "paragraphs"):
        before = doc
        doc = largest(lambda n, make=GROWING[name]: f"{before}\n\n{make(n)}" if before else make(n))
        assert len(doc) > len(before) + 1000, name
    assert convert(doc) < 2 * BOUND


# --- fuzzing: under the limits, conversion never fails and never hangs --------------------------

EXAMPLES = int(os.environ.get("KC_FUZZ_EXAMPLES", "40"))
FRAGMENTS = ["[", "![", "[a](", "*[", "<a", "<a ", "<http://", "# a\n", "* ", "- ", "1. ", "> ",
             "    ", "\n", "\n\n", "*", "**", "_", "`", "&#", "&amp;", "](", ")", "(", "]", '"',
             "<!--", "|", "| a |\n", "---\n", "===\n", "a", " ", "[a]: /b\n", "\\", "<b>", "</b>",
             "<div>\n", "  \n", "a\n"]


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          derandomize=not os.environ.get("KC_FUZZ_RANDOM"),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, 3000)), min_size=1,
                max_size=6))
def test_fuzz_documents_under_the_limits_convert(pieces: list[tuple[str, int]]) -> None:
    doc = "".join(fragment * count for fragment, count in pieces)
    if mdlimits.hazards(doc):
        event("refused")
        return
    event("converted")
    assert convert(doc) < BOUND


# --- in a build: a content error naming the file and line, quickly, never a traceback -----------

def test_pathological_markdown_is_refused_quickly(site: FixtureSite) -> None:
    site.write(NEWS, HEAD + "[" * 8000 + "\n")
    start = time.monotonic()
    result = site.run("build", "--no-cache")
    assert time.monotonic() - start < 30  # a fresh process; the conversion alone took 17 s
    assert result.returncode == 1
    assert f"{NEWS}:7: a '[' is not closed with ']'" in result.stderr
    assert not site.output.exists()


@pytest.mark.parametrize("rel", [NEWS, "content/news/2017-05-22-peluncuran.en.md",
                                 "content/pages/tentang.md"])
def test_nested_lists_are_a_content_error(site: FixtureSite, rel: str) -> None:
    """Announcements, translations and pages alike."""
    head = HEAD if rel == NEWS else (site.root / rel).read_text(encoding="utf-8").split("\n\n")[0] + "\n\n"
    site.write(rel, head + "Teks.\n\n" + "* " * 10000 + "a\n")
    result = site.run("build", "--no-cache")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = head.count("\n") + 3
    assert f"{rel}:{line}: lists or quotes are nested 10,000 levels deep" in result.stderr
