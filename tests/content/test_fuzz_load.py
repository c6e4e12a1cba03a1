"""Fuzzing the content loader: whatever bytes an editor commits, a clear content error or a good build.

Hypothesis writes random bytes, random text, random YAML data, hostile YAML constructs and small
mutations of real files into a fixture site, then loads, models and renders it in-process
(``render_site``). The only acceptable outcomes are success or ``ContentError`` whose problems all
name a file: any other exception would reach an editor as a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import write_site
from kotacerdas.core.errors import ContentError
from kotacerdas.build.session import render_site

TARGETS = ["site_config.yaml", "content/regions/kota-bandung.yaml", "content/regions/kota-baru.yaml",
           "content/news/2017-05-22-peluncuran.md", "content/news/2020-02-02-baru.md",
           "content/pages/tentang.md", "content/reference/cohorts.yaml",
           "content/reference/provinces.yaml"]
TODAY = dt.date(2026, 11, 28)  # on or after every date in the fixture (no future 'updated')

EXAMPLES = int(os.environ.get("KC_FUZZ_EXAMPLES", "40"))
"""Kept modest so the suite stays fast; `KC_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_load.py`
explores further (with KC_FUZZ_RANDOM=1, differently each run)."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=not os.environ.get("KC_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HOSTILE_YAML = [
    "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{'title' if i == 8 else f'k{i}'}: &a{i} [" + ", ".join([f"*a{'' if i == 1 else i - 1}"] * 9)
        + "]\n" for i in range(1, 9)),
    "a: &a [*a]\n",
    "title: &t [*t, *t]\n",
    "!!python/object/apply:os.system ['echo pwned']\n",
    "title: !!python/name:os.system\n",
    "title: !!binary aGVsbG8=\n",
    "title: !!set {a, b}\n",
    "title: !!omap [a: 1]\n",
    "title: !!timestamp 2001-12-14t21:59:43.10-05:00\n",
    "<<: {title: x}\n<<: {title: y}\n",
    "title: x\n<<: *nope\n",
    "? [a, b]\n: c\n",
    "? {a: b}\n: c\n",
    "title: " + "[" * 5000 + "]" * 5000 + "\n",
    "title: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
    "%YAML 1.1\n%TAG ! tag:example.org,2002:\n---\ntitle: !foo x\n",
    "--- a\n--- b\n",
    "title: .nan\ndate: .inf\nsummary: -.inf\n",
    "title: 0x1F\ndate: 2020-02-30\nsummary: 1_000\n",
    "title: '\\ud800'\n",
    "title: \"\\ud800\"\n",
    "title: \"\\x00\"\n",
    "date: 9999-12-31\ntitle: x\nsummary: y\n",
    "date: 0001-01-01\ntitle: x\nsummary: y\n",
    "date: 2020-01-01 25:61:61\ntitle: x\nsummary: y\n",
    "cohort: 99999999999999999999999\n",
    "code: 1e309\n",
    "\ufeff\ufefftitle: x\n",
    "title: x\r\rsummary: y\n",
]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.dates(), st.sampled_from(["2017", "kota", "Jawa Barat", "32.73", "https://x.org",
                                                  "../x", "peluncuran", "kota-bandung"]))
yaml_data = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["name", "type", "province", "code", "cohort", "title", "date", "summary", "tags",
                     "regions", "sources", "url", "base_url", "year", "announced", "source",
                     "aliases", "updated", "draft", "x"]) | st.text(max_size=8), inner, max_size=6),
    max_leaves=20)


@pytest.fixture(scope="module")
def fixture_site() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="kc-fuzz-"))
    site = write_site(root / "site")
    yield site.root
    shutil.rmtree(root, ignore_errors=True)


def attempt(site: Path, files: dict[str, bytes]) -> None:
    """Write the files, render, and restore the site; only success or ContentError may come out."""
    saved = {rel: (site / rel).read_bytes() if (site / rel).exists() else None for rel in files}
    try:
        for rel, data in files.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_bytes(data)
        try:
            render_site(site, today=TODAY)
            event("built")
        except ContentError as exc:
            event("content error")
            assert exc.problems, "a ContentError must list its problems"
            for problem in exc.problems:
                assert problem.path and problem.message, problem
                assert "Traceback" not in problem.message
    finally:
        for rel, data in saved.items():
            if data is None:
                (site / rel).unlink(missing_ok=True)
            else:
                (site / rel).write_bytes(data)


def front_matter(rel: str, body: bytes) -> bytes:
    """Markdown files get the bytes as front matter, so YAML reaches the YAML parser."""
    return b"---\n" + body + b"\n---\nTeks.\n" if rel.endswith(".md") else body


def test_the_fixture_site_renders(fixture_site: Path) -> None:
    render_site(fixture_site, today=TODAY)


@FUZZ
@given(rel=st.sampled_from(TARGETS), data=st.binary(max_size=600))
def test_random_bytes(fixture_site: Path, rel: str, data: bytes) -> None:
    attempt(fixture_site, {rel: data})


@FUZZ
@given(rel=st.sampled_from(TARGETS), text=st.text(max_size=400))
def test_random_text(fixture_site: Path, rel: str, text: str) -> None:
    attempt(fixture_site, {rel: front_matter(rel, text.encode("utf-8", "surrogatepass"))})


@FUZZ
@given(rel=st.sampled_from(TARGETS), data=yaml_data)
def test_random_yaml_data(fixture_site: Path, rel: str, data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    attempt(fixture_site, {rel: front_matter(rel, text)})


@settings(FUZZ, max_examples=len(HOSTILE_YAML) * 2)
@given(rel=st.sampled_from(TARGETS), snippet=st.sampled_from(HOSTILE_YAML))
def test_hostile_yaml(fixture_site: Path, rel: str, snippet: str) -> None:
    attempt(fixture_site, {rel: front_matter(rel, snippet.encode("utf-8", "surrogatepass"))})


@pytest.mark.parametrize("snippet", HOSTILE_YAML[:3])
def test_alias_bombs_are_refused_quickly(fixture_site: Path, snippet: str) -> None:
    """Nested or self-referring aliases are a content error, not an endless build."""
    rel = "content/pages/tentang.md"
    saved = (fixture_site / rel).read_bytes()
    (fixture_site / rel).write_bytes(front_matter(rel, snippet.encode()))
    try:
        with pytest.raises(ContentError, match="anchors|recursive"):
            render_site(fixture_site, today=TODAY)
    finally:
        (fixture_site / rel).write_bytes(saved)


@FUZZ
@given(rel=st.sampled_from([t for t in TARGETS if "baru" not in t]), data=st.data())
def test_mutated_real_files(fixture_site: Path, rel: str, data: st.DataObject) -> None:
    """Small edits to a valid file: the typos, deletions and stray characters editors make."""
    original = bytearray((fixture_site / rel).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(original)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = data.draw(st.sampled_from([b":", b"-", b"\n", b" ", b"\t", b"'", b'"', b"[", b"]",
                                           b"{", b"}", b"#", b"&a", b"*a", b"!", b"|", b">", b"%",
                                           b"---", b"\xff", b"\x00", b"\xc3", "ā".encode()]))
        if action == "insert":
            original[position:position] = chunk
        elif action == "delete":
            del original[position:position + len(chunk)]
        else:
            original[position:position + len(chunk)] = chunk
    attempt(fixture_site, {rel: bytes(original)})


text_values = st.text(min_size=1, max_size=40) | st.sampled_from(
    ["</script><script>alert(1)</script>", "\u2028\u2029", "ｋｏｔａ", "a" * 300, "'\"&<>", " x "])
years = st.sampled_from([2017, 2018, 2019])
rounds = st.fixed_dictionaries(
    {"year": years},
    optional={"status": st.sampled_from(["confirmed", "uncertain", "inferred", "withdrawn"]),
              "note": text_values, "note_en": text_values, "research_note": text_values,
              "sources": st.lists(st.sampled_from(["https://example.org/r", {"title": "R"}]),
                                  max_size=2)})
region_records = st.fixed_dictionaries(
    {"name": st.just("Kota Bandung"), "type": st.just("kota"),
     "province": st.sampled_from(["Jawa Barat", "jawa barat"]), "code": st.just("32.73"),
     "cohort": years | st.lists(years | rounds, min_size=1, max_size=3)},
    optional={
        "sources": st.lists(st.sampled_from(["https://example.org/a", {"title": "T"},
                                             {"title": "T", "url": "https://example.org/b",
                                              "date": dt.date(2020, 1, 1)}]), max_size=3),
        "note": text_values, "note_en": text_values,
        "aliases": st.lists(text_values, max_size=3, unique=True),
        "website": st.sampled_from(["https://bandung.go.id", "http://x.id/a?b=<c>"]),
        "coordinates": st.tuples(st.floats(-12, 7), st.floats(94, 142)).map(list),
        "summary": text_values, "masterplan_status": text_values,
        "quick_wins": st.lists(text_values, max_size=3),
        "updated": st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))})
news_records = st.fixed_dictionaries(
    {"title": text_values, "date": st.just(dt.date(2020, 2, 2)), "summary": text_values},
    optional={
        "tags": st.lists(st.sampled_from(["peluncuran", "a", "b-c", "2020"]), max_size=3, unique=True),
        "regions": st.lists(st.sampled_from(["kota-bandung", "kota-depok"]), max_size=2, unique=True),
        "sources": st.lists(st.sampled_from(["https://example.org/a", {"title": "T"}]), max_size=2),
        "updated": st.dates(dt.date(2019, 1, 1), dt.date(2030, 1, 1)),
        "draft": st.booleans()})


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@FUZZ
@given(region=region_records, news=news_records, body=text_values)
def test_plausible_records(fixture_site: Path, region: dict[str, Any], news: dict[str, Any],
                           body: str) -> None:
    """Valid records with odd values (markup, long or empty-looking text, any dates), so that
    they reach the model and the templates; the other tests bring the invalid ones."""
    attempt(fixture_site, {"content/regions/kota-bandung.yaml": dump(region),
                           "content/news/2020-02-02-baru.md":
                               b"---\n" + dump(news) + b"---\n" + body.encode("utf-8")})


@FUZZ
@given(body=st.text(alphabet=st.characters(codec="utf-8"), max_size=300) |
       st.lists(st.sampled_from(["<", ">", "[", "]", "(", ")", "*", "_", "`", "#", "|", "-", "!",
                                 "\n", " ", "<script>", "](javascript:x)", "&#", "\\", "<!--"]),
                max_size=80).map("".join))
def test_random_markdown_bodies(fixture_site: Path, body: str) -> None:
    rel = "content/news/2020-02-02-baru.md"
    doc = f"---\ntitle: T\ndate: 2020-02-02\nsummary: S\n---\n{body}"
    attempt(fixture_site, {rel: doc.encode("utf-8", "surrogatepass")})
