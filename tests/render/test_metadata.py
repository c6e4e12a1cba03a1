"""Open Graph, Twitter card and JSON-LD in built pages, read back the way crawlers read them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import CONFIG, FixtureSite
from htmlcheck import pages, soup
from kotacerdas.render.metadata import jsonld

BASE = "https://contoh.github.io/kota-cerdas/"
ORGANISATION = """\
organisation:
  name: "Kementerian Uji & Digital"
  short_name: "Kemenuji"
  address: "Jl. Uji No. 1, Jakarta"
  website: "https://kemenuji.go.id"
"""
HOSTILE = '</script><script>alert(1)</script> ]]> & <b>"kutip"</b> <!--'


def ld(doc: BeautifulSoup) -> list[dict]:
    """Every JSON-LD block of a page, parsed."""
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]


def og(doc: BeautifulSoup) -> dict[str, list[str]]:
    """Open Graph and Twitter meta, by property or name."""
    found: dict[str, list[str]] = {}
    for meta in doc.head.find_all("meta"):
        key = meta.get("property") or meta.get("name") or ""
        if key.startswith(("og:", "article:", "twitter:")):
            found.setdefault(key, []).append(meta["content"])
    return found


@pytest.fixture
def org_site(site: FixtureSite) -> FixtureSite:
    """The fixture site with an organisation, coordinates for one region, and a hostile title."""
    site.write("site_config.yaml", CONFIG + ORGANISATION)
    bandung = (site.root / "content/regions/kota-bandung.yaml").read_text()
    site.write("content/regions/kota-bandung.yaml", bandung + "coordinates: [-6.91, 107.61]\n")
    site.write("content/news/2019-05-15-tahap-tiga.md", f"""\
        ---
        title: '{HOSTILE.replace("'", "''")}'
        date: 2019-05-15
        updated: 2019-06-01
        summary: 'Ringkasan </script> & <i>'
        tags: [uji]
        regions: [kota-bandung]
        sources:
          - https://example.org/sumber
          - {{title: "Siaran pers", publisher: "Kemenuji", date: 2019-05-14}}
        ---

        Teks.
        """)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    return site


def test_jsonld_cannot_close_its_script_element() -> None:
    data = {"headline": HOSTILE + "\u2028\u2029", "nested": [{"x": "a&b<c>d"}]}
    text = str(jsonld(data))
    assert not set("<>&") & set(text) and "\u2028" not in text
    assert json.loads(text) == data
    assert text == str(jsonld(dict(reversed(list(data.items())))))  # key order never matters


def test_hostile_title_survives_in_json_ld_and_meta(org_site: FixtureSite) -> None:
    raw = (org_site.output / "berita" / "tahap-tiga" / "index.html").read_text(encoding="utf-8")
    assert "alert(1)</script>" not in raw
    doc = BeautifulSoup(raw, "html.parser")
    scripts = doc.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    (article,) = ld(doc)
    assert article["headline"] == HOSTILE
    assert article["description"] == "Ringkasan </script> & <i>"
    assert doc.h1.text == HOSTILE
    assert og(doc)["og:title"] == [HOSTILE] and og(doc)["twitter:title"] == [HOSTILE]


def test_announcement_is_a_news_article(org_site: FixtureSite) -> None:
    doc = soup(org_site.output / "berita" / "tahap-tiga" / "index.html")
    (article,) = ld(doc)
    url = BASE + "berita/tahap-tiga/"
    assert article["@context"] == "https://schema.org" and article["@type"] == "NewsArticle"
    assert article["url"] == article["mainEntityOfPage"] == url
    assert article["datePublished"] == "2019-05-15T00:00:00+07:00"
    assert article["dateModified"] == "2019-06-01T00:00:00+07:00"
    assert article["publisher"] == {"@type": "GovernmentOrganization", "@id": BASE + "#organisasi",
                                    "name": "Kementerian Uji & Digital", "url": "https://kemenuji.go.id"}
    assert article["isBasedOn"] == [
        {"@type": "CreativeWork", "url": "https://example.org/sumber"},
        {"@type": "CreativeWork", "name": "Siaran pers", "datePublished": "2019-05-14",
         "publisher": {"@type": "Organization", "name": "Kemenuji"}}]
    assert article["mentions"] == [{"@type": "AdministrativeArea", "name": "Kota Bandung",
                                    "url": BASE + "daerah/kota-bandung/"}]
    assert article["keywords"] == ["uji"]
    meta = og(doc)
    assert meta["og:type"] == ["article"]
    assert meta["og:url"] == [url] == [doc.find("link", rel="canonical")["href"]]
    assert meta["og:site_name"] == ["Portal Uji"] and meta["og:locale"] == ["id_ID"]
    assert meta["article:published_time"] == ["2019-05-15T00:00:00+07:00"]
    assert meta["article:modified_time"] == ["2019-06-01T00:00:00+07:00"]
    assert meta["article:tag"] == ["uji"]
    assert meta["twitter:card"] == ["summary"]


def test_home_describes_the_government_organisation(org_site: FixtureSite) -> None:
    doc = soup(org_site.output / "index.html")
    (graph,) = ld(doc)
    by_type = {node["@type"]: node for node in graph["@graph"]}
    org = by_type["GovernmentOrganization"]
    assert org["name"] == "Kementerian Uji & Digital" and org["url"] == "https://kemenuji.go.id"
    assert org["alternateName"] == "Kemenuji" and org["address"] == "Jl. Uji No. 1, Jakarta"
    assert by_type["WebSite"]["url"] == BASE and by_type["WebSite"]["publisher"] == {"@id": org["@id"]}
    assert og(doc)["og:type"] == ["website"] and og(doc)["og:title"] == ["Portal Uji"]
    assert og(doc)["og:description"] == ["Situs uji."]


def test_region_is_an_administrative_area(org_site: FixtureSite) -> None:
    (area,) = ld(soup(org_site.output / "daerah" / "kota-bandung" / "index.html"))
    assert area["@type"] == "AdministrativeArea" and area["name"] == "Kota Bandung"
    assert area["identifier"]["value"] == "32.73"
    assert area["url"] == BASE + "daerah/kota-bandung/"
    assert area["containedInPlace"]["name"] == "Jawa Barat"
    assert area["containedInPlace"]["identifier"]["value"] == "32"
    assert area["containedInPlace"]["url"] == BASE + "provinsi/jawa-barat/"
    assert area["geo"] == {"@type": "GeoCoordinates", "latitude": -6.91, "longitude": 107.61}
    (other,) = ld(soup(org_site.output / "daerah" / "kabupaten-gunungkidul" / "index.html"))
    assert other["containedInPlace"]["name"] == "Daerah Istimewa Yogyakarta"
    assert "geo" not in other  # neither the file nor the reference list gives a point
    assert other["alternateName"] == ["Kabupaten Gunung Kidul"]


def test_only_the_pages_they_describe_carry_json_ld(org_site: FixtureSite) -> None:
    expected = {"index.html": "@graph", "berita/tahap-tiga/index.html": "NewsArticle",
                "berita/tahap-dua/index.html": "NewsArticle", "berita/peluncuran/index.html": "NewsArticle",
                "daerah/kota-bandung/index.html": "AdministrativeArea",
                "daerah/kota-depok/index.html": "AdministrativeArea",
                "daerah/kabupaten-gunungkidul/index.html": "AdministrativeArea"}
    expected |= {"en/" + path: kind for path, kind in expected.items()}  # both editions
    found = {}
    for path in pages(org_site.output):
        blocks = ld(soup(path))
        assert len(blocks) <= 1
        if blocks:
            found[path.relative_to(org_site.output).as_posix()] = blocks[0].get("@type", "@graph")
    assert found == expected


def test_404_claims_no_address(built: FixtureSite) -> None:
    doc = soup(built.output / "404.html")
    assert og(doc) == {} and ld(doc) == []


def test_every_page_has_open_graph_matching_its_canonical(built: FixtureSite) -> None:
    for path in pages(built.output):
        if path.name == "404.html":
            continue
        doc = soup(path)
        meta = og(doc)
        assert meta["og:url"] == [doc.find("link", rel="canonical")["href"]], path
        assert meta["og:title"] == meta["twitter:title"], path
        title = doc.title.text
        assert title == meta["og:title"][0] or title.startswith(meta["og:title"][0] + " | "), path


def test_without_organisation_the_site_is_the_publisher(built: FixtureSite) -> None:
    (graph,) = ld(soup(built.output / "index.html"))
    org = next(n for n in graph["@graph"] if n["@type"] == "GovernmentOrganization")
    assert org["name"] == "Portal Uji" and org["url"] == BASE


def test_real_site_structured_data(real_site: Path) -> None:
    base = "https://kominfo.github.io/kota-cerdas/"
    (graph,) = ld(soup(real_site / "index.html"))
    org = next(n for n in graph["@graph"] if n["@type"] == "GovernmentOrganization")
    assert org["name"] == "Kementerian Komunikasi dan Digital Republik Indonesia"
    for path in sorted((real_site / "berita").glob("*/index.html")):
        if path.parent.name == "halaman":
            continue
        doc = soup(path)
        (article,) = ld(doc)
        assert article["headline"] == doc.h1.text
        assert article["url"] == base + f"berita/{path.parent.name}/"
        assert article["isBasedOn"], path
    regions = sorted((real_site / "daerah").glob("*/index.html"))
    assert len(regions) > 100
    for path in regions:
        doc = soup(path)
        (area,) = ld(doc)
        assert area["name"] == doc.h1.text
        facts = {dt.text: dd.text for dt, dd in zip(doc.select(".facts dt"), doc.select(".facts dd"))}
        assert facts["Kode wilayah Kemendagri"] == area["identifier"]["value"], path
        assert area["containedInPlace"]["@type"] == "AdministrativeArea"
        assert "geo" in area, path
