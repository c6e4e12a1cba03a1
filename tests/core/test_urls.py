"""Which links are safe is decided the way a browser parses them (WHATWG URL), and by one rule."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.content import schemas
from kotacerdas.core.errors import Problems
from kotacerdas.core.urls import as_browser_reads, is_safe_link, scheme
from kotacerdas.content.validate import check

UNICODE_SPACES = ["\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029",
                  "\u202f", "\u205f", "\u3000"]
"""The 18 code points above U+007F that Python's str.strip() removes and a browser does not."""
DANGEROUS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
             "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"]


def test_the_eighteen_code_points_are_all_python_strips_and_browsers_keep() -> None:
    assert len(UNICODE_SPACES) == 18
    assert all(c.strip() == "" and as_browser_reads(c) == c for c in UNICODE_SPACES)


@pytest.mark.parametrize("href", ["https://example.org/", "http://x.id/a?b=1", "mailto:a@b.id",
                                  "tel:+62211234", "/daerah/kota-bandung/", "#bagian", "lain/",
                                  "//cdn.example/x", "?q=1", "HTTPS://EXAMPLE.ORG/", ""])
def test_web_mail_phone_and_relative_links_are_safe(href: str) -> None:
    assert is_safe_link(href)


@pytest.mark.parametrize("href", DANGEROUS)
def test_other_schemes_are_not(href: str) -> None:
    assert not is_safe_link(href)


@pytest.mark.parametrize("space", UNICODE_SPACES, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("href", DANGEROUS[:4])
def test_a_unicode_space_before_a_scheme_is_refused(space: str, href: str) -> None:
    """To a browser this is a relative link; to a reader that trims like Python, it is not."""
    assert scheme(space + href) == ""
    assert not is_safe_link(space + href)


@pytest.mark.parametrize("prefix", ["\x00", "\x01", "\x1f", " ", "\t", "\n", "\x0c", " \x01\t"])
def test_what_browsers_strip_is_stripped(prefix: str) -> None:
    """C0 controls and spaces at either end go; so do tabs and newlines inside."""
    assert scheme(prefix + "javascript:alert(1)" + prefix) == "javascript"
    assert scheme("java\tscr\nipt\r:x") == "javascript"
    assert not is_safe_link(prefix + "javascript:alert(1)")


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u180e", "\u0085", "\u00ad"])
def test_invisible_characters_inside_a_scheme_are_refused(invisible: str) -> None:
    assert not is_safe_link(f"{invisible}java{invisible}script:alert(1)")


# --- URL fields of the content: their schema already limits them to http(s) ---------------------

LINKED_FIELDS = [
    schemas.REGION["properties"]["website"],
    schemas.SOURCE["anyOf"][0],
    schemas.SOURCE["anyOf"][1]["properties"]["url"],
    schemas.CONFIG["properties"]["base_url"],
    schemas.CONFIG["properties"]["repository"],
    schemas.CONFIG["properties"]["organisation"]["properties"]["website"],
    schemas.CONFIG["properties"]["contact"]["properties"]["feedback_url"],
    schemas.CONFIG["properties"]["translations"]["additionalProperties"]["properties"]
    ["organisation"]["properties"]["website"],
]
"""Every field that templates write into href, JSON-LD (url, sameAs) or the open data."""


def _is_safe_by_definition(href: str) -> bool:
    """is_safe_link as its docstring states it, with no shortcut."""
    lenient = "".join(c for c in href if unicodedata.category(c) not in ("Zs", "Zl", "Zp", "Cc", "Cf"))
    return scheme(href) in ("http", "https", "mailto", "tel", "") and \
        scheme(lenient) in ("http", "https", "mailto", "tel", "")


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(st.characters(max_codepoint=127)), st.text(),
                 st.builds(lambda a, b: a + "javascript:" + b,
                           st.text(st.sampled_from(" \t\x00\x7f\u00a0\u200b\u3000/")),
                           st.text(max_size=5)),
                 st.builds(lambda i, c: "javascript:x"[:i] + c + "javascript:x"[i:],
                           st.integers(0, 11),
                           st.sampled_from(" \t\x00\x7f\u00a0\u00ad\u200b\u3000"))))
def test_the_printable_ascii_shortcut_decides_as_the_definition_does(href: str) -> None:
    """is_safe_link skips looking for invisible characters in printable ASCII without a space:
    it decides every link the way the whole rule does."""
    assert is_safe_link(href) == _is_safe_by_definition(href), repr(href)


def test_every_linked_field_uses_the_url_pattern() -> None:
    assert all(field["pattern"] == schemas.URL for field in LINKED_FIELDS)
    assert schemas.REGION["properties"]["sources"]["items"] is schemas.SOURCE
    assert schemas.NEWS["properties"]["sources"]["items"] is schemas.SOURCE
    assert schemas.COHORTS["items"]["properties"]["sources"]["items"] is schemas.SOURCE
    assert schemas.ROUND["properties"]["sources"]["items"] is schemas.SOURCE


def _valid_url(value: str) -> bool:
    """Whether the validator accepts the value for a URL field."""
    return check(value, {"type": "string", "pattern": schemas.URL}, Problems(Path(".")), "x")


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.lists(st.sampled_from(["https://", "http://", "javascript:", "data:", "x.example", "/",
                                 ":", " ", "\t", "\n", "\x01", "\u3000", "\u00a0", "\u200b", "a",
                                 "H", "TTP", "s", "&#x3000;", '"', "'", "<", ">"]),
                max_size=8).map("".join))
def test_whatever_passes_the_url_schema_is_a_safe_web_address(value: str) -> None:
    if _valid_url(value):
        assert scheme(value) in ("http", "https") and is_safe_link(value), repr(value)


@pytest.mark.parametrize("value", [space + "javascript:alert(1)" for space in UNICODE_SPACES]
                         + [" https://x.example/", "\x01https://x.example/", "javascript:alert(1)",
                            "JAVASCRIPT://x.example/", "data:text/html,x", "HTTPS://x.example/",
                            "\u3000https://x.example/"])
def test_the_url_schema_refuses_anything_else(value: str) -> None:
    assert not _valid_url(value)
    assert re.search(schemas.URL, value) is None
