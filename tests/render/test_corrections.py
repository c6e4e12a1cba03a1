"""The correction loop: the issue form is valid for GitHub, and every region and round page links
to it prefilled with the fields GitHub will fill (query parameters named after the field ids)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import EDITIONS, REPO
from kotacerdas.render.corrections import FORM_FILE, correction_url

FORM = REPO / ".github" / "ISSUE_TEMPLATE" / FORM_FILE


def form() -> dict:
    return yaml.safe_load(FORM.read_text(encoding="utf-8"))


def test_issue_form_is_valid_against_githubs_schema() -> None:
    # check-jsonschema vendors GitHub's issue-form schema (SchemaStore's github-issue-forms.json)
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.github-issue-forms", str(FORM)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\nbody:\n  - type: input\n    id: a\n", encoding="utf-8")  # no label
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.github-issue-forms", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_form_asks_what_the_issue_names() -> None:
    fields = {f["id"]: f for f in form()["body"] if "id" in f}
    required = {i for i, f in fields.items() if f.get("validations", {}).get("required")}
    assert required == {"daerah", "angkatan", "kesalahan", "sumber"}
    assert set(fields) == required | {"pelapor"}
    assert fields["kesalahan"]["type"] == "textarea"
    assert "sumber publik" in form()["body"][0]["attributes"]["value"]


def _links(page: Path) -> list[dict[str, list[str]]]:
    soup = BeautifulSoup(page.read_bytes(), "html.parser")
    out = []
    for a in soup.select("p.correction a[href]"):
        url = urlsplit(a["href"])
        assert (url.scheme, url.netloc, url.path) == ("https", "github.com", "/kominfo/kota-cerdas/issues/new")
        out.append({**parse_qs(url.query), "_text": [a.get_text()]})
    return out


@pytest.mark.parametrize("prefix,language", EDITIONS)
def test_every_region_page_links_the_form_prefilled(real_site: Path, prefix: str, language: str) -> None:
    ids = {f["id"] for f in form()["body"] if "id" in f}
    pages = sorted((real_site / prefix / "daerah").glob("*/index.html"))
    assert len(pages) > 100
    for page in pages:
        region = yaml.safe_load((REPO / "content/regions" / f"{page.parent.name}.yaml").read_text("utf-8"))
        [link] = _links(page)
        assert link["template"] == [FORM_FILE]
        assert set(link) - {"template", "title", "_text"} <= ids
        assert link["daerah"] == [f"{region['name']} ({region['code']})"], page
        assert link["title"] == [f"Koreksi data: {region['name']} ({region['code']})"]
        assert ("Report a correction" in link["_text"][0]) == (language == "en")


@pytest.mark.parametrize("prefix,language", EDITIONS)
def test_every_round_page_asks_for_missing_regions(real_site: Path, prefix: str, language: str) -> None:
    pages = sorted((real_site / prefix / "angkatan").glob("*/index.html"))
    assert len(pages) >= 8
    for page in pages:
        [link] = _links(page)
        assert link["angkatan"] == [page.parent.name] and "daerah" not in link
        text = page.read_text("utf-8")
        question = ("Did your region take part in this round" if language == "en"
                    else "Daerah Anda ikut angkatan ini tetapi belum tercatat?")
        assert question in text


def test_no_link_without_a_github_repository(built) -> None:  # the fixture site has none
    for page in built.output.rglob("*.html"):
        assert "koreksi-data" not in page.read_text("utf-8")
    assert correction_url("https://gitlab.com/a/b", "Kota X") is None
    assert correction_url(None, "Kota X") is None
    url = correction_url("https://github.com/a/b/", "Kota X & Y", 2019)
    assert parse_qs(urlsplit(url).query) == {"template": [FORM_FILE], "title": ["Koreksi data: Kota X & Y"],
                                             "daerah": ["Kota X & Y"], "angkatan": ["2019"]}


def test_citations_never_show_an_address_path(real_site: Path) -> None:
    """A source without a title shows its publisher and host, or its host: never the URL's path."""
    seen = 0
    for page in real_site.rglob("*.html"):
        for a in BeautifulSoup(page.read_bytes(), "html.parser").select("ol.sources a[href]"):
            url = urlsplit(a["href"])
            text = a.get_text()
            slugs = [part for part in url.path.split("/") if len(part) > 8 and "-" in part]
            assert not any(part in text for part in slugs), (page, text)  # a headline is no slug
            seen += 1
    assert seen > 200


def test_citation_with_title_and_publisher(site) -> None:
    site.write("content/regions/kota-bandung.yaml",
               (site.root / "content/regions/kota-bandung.yaml").read_text().replace(
                   "  - https://example.org/bandung\n",
                   "  - {title: Bandung teken MoU, url: 'https://www.example.org/bandung/mou-2017', "
                   "publisher: Humas Bandung, date: 2017-05-22}\n"
                   "  - {url: 'https://example.org/x/slug-berita', publisher: Diskominfo}\n"
                   "  - https://example.org/y/slug-lain\n"))
    assert site.run("build", "--no-cache").returncode == 0
    items = [li.get_text(" ", strip=True) for li in BeautifulSoup(
        (site.output / "daerah/kota-bandung/index.html").read_bytes(), "html.parser").select("ol.sources li")]
    assert items[0] == "Bandung teken MoU — Humas Bandung, 22 Mei 2017"
    assert items[1] == "Diskominfo (example.org)"
    assert items[2] == "example.org"
    en = [li.get_text(" ", strip=True) for li in BeautifulSoup(
        (site.output / "en/daerah/kota-bandung/index.html").read_bytes(), "html.parser").select("ol.sources li")]
    assert en[0] == "Bandung teken MoU — Humas Bandung, 22 May 2017"
