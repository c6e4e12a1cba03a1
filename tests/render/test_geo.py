"""The province map: GeoJSON read and checked, projected and simplified, drawn as linked inline SVG.

Unit tests pin the geometry (simplification, exact rounding, projection bounds, palette contrast);
fixture sites test what editors see (the map page appears with provinces.geojson, errors name the
file); the real site is checked for 38 linked provinces whose counts match the tables, the size
budgets, and what Chromium exposes to assistive technology.
"""

from __future__ import annotations

import copy
import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, SHARED, FixtureSite, spy
from htmlcheck import broken_links, soup
from kotacerdas.content import geojson
from kotacerdas.render import geo
from kotacerdas.content.types import ProvinceShape
from kotacerdas.editors.importer import import_reference
from kotacerdas.content.load import load_site
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.model.site import build_model

BASE_PATH = "/kota-cerdas/"

GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"kode": "32", "name": "Jawa Barat"},
     "geometry": {"type": "MultiPolygon", "coordinates": [[[
         [106.0, -6.0], [107.0, -5.9], [108.5, -6.0], [108.5, -7.8], [106.0, -7.8], [106.0, -6.0]]]]}},
    {"type": "Feature", "properties": {"kode": "34", "name": "Daerah Istimewa Yogyakarta"},
     "geometry": {"type": "Polygon", "coordinates": [[
         [110.0, -7.5], [110.9, -7.5], [110.9, -8.2], [110.0, -8.2], [110.0, -7.5]]]}},
]}


def write_shapes(site: FixtureSite, data: object = GEOJSON) -> None:
    site.write("content/reference/provinces.geojson",
               data if isinstance(data, str) else json.dumps(data))


def svg_of(html: str, css_class: str) -> ET.Element:
    """The inline <svg class="…"> of a page, parsed as XML: it must be well-formed on its own."""
    match = re.search(rf'<svg class="{css_class}[ "].*?</svg>', html, re.S)
    assert match, f"no <svg class=\"{css_class}\">"
    return ET.fromstring(match.group(0))


def gzip_weight(output: Path, page: Path) -> int:
    """Compressed bytes of a page plus the stylesheets, scripts and images it loads."""
    total = len(gzip.compress(page.read_bytes(), 9))
    doc = soup(page)
    for tag in doc.select("link[rel=stylesheet][href], script[src], img[src]"):
        ref = (tag.get("href") or tag.get("src")).split("?")[0]
        assert ref.startswith(BASE_PATH), ref
        total += len(gzip.compress((output / ref[len(BASE_PATH):]).read_bytes(), 9))
    return total


# --- geometry -----------------------------------------------------------------------------

def test_simplify_drops_points_within_tolerance_and_keeps_corners() -> None:
    square = [(0, 0), (5, 0.1), (10, 0), (10, 10), (5, 10.2), (0, 10), (0, 0)]
    assert sorted(geo.simplify(square, 0.5)) == [(0, 0), (0, 10), (10, 0), (10, 10)]
    assert len(geo.simplify(square, 0.05)) == 6          # below tolerance nothing is lost
    assert geo.simplify(square, 0.5) == geo.simplify(square, 0.5)


def _plain_simplify(ring: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker as geo.simplify states it, each distance by its own plain function."""
    def dist2(p: tuple[float, float], q: tuple[float, float]) -> float:
        return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2

    def seg_dist2(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]
                  ) -> float:
        dx, dy = b[0] - a[0], b[1] - a[1]
        if dx * dx + dy * dy == 0:
            return dist2(p, a)
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
        return dist2(p, (a[0] + t * dx, a[1] + t * dy))

    pts = ring[:-1] if ring[0] == ring[-1] else ring
    far = max(range(len(pts)), key=lambda i: (dist2(pts[0], pts[i]), -i))
    keep = {0, far}

    def split(a: int, b: int) -> None:
        ds = [(seg_dist2(pts[i], pts[a], pts[b % len(pts)]), -i) for i in range(a + 1, b)]
        d, i = max(ds, default=(0.0, 0))
        if d > tolerance * tolerance:
            keep.add(-i)
            split(a, -i)
            split(-i, b)

    split(0, far)
    split(far, len(pts))
    return [pts[i] for i in sorted(keep)]


@pytest.mark.parametrize("seed", range(6))
def test_simplify_keeps_the_points_the_plain_algorithm_keeps(seed: int) -> None:
    """simplify's distance loop is written out for speed (geo._farthest): on random coasts
    (repeated points and straight runs included) it keeps exactly the points the plain
    recursion keeps, with its ties going to the first point."""
    import random

    rng = random.Random(seed)
    ring = [(round(rng.uniform(0, 50), rng.choice((1, 3))), round(rng.uniform(0, 50), 1))
            for _ in range(rng.randint(3, 400))]
    ring += [ring[3 % len(ring)]] * 3 + [(ring[0][0] + k, ring[0][1]) for k in range(5)]
    ring.append(ring[0])
    for tolerance in (0.0, 0.3, 1.6, 7.0):
        assert geo.simplify(ring, tolerance) == _plain_simplify(ring, tolerance), tolerance


def test_path_data_is_exact_after_rounding() -> None:
    """Relative steps are differences of rounded tenths: summing them gives the rounded points."""
    ring = [(12.34, 5.06), (12.36, 5.04), (100.0, -3.35), (0.05, 0.0)]
    tenths = geo._tenths(ring)
    data = geo.path_data([tenths])
    assert data == "M12.3 5.1l.1-.1 87.6-8.4-100 3.4z"
    numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+", data)]
    x, y, points = numbers[0], numbers[1], [(numbers[0], numbers[1])]
    for dx, dy in zip(numbers[2::2], numbers[3::2]):
        x, y = round(x + dx, 1), round(y + dy, 1)
        points.append((x, y))
    assert points == [(a / 10, b / 10) for a, b in tenths]


@pytest.mark.parametrize(("tenths", "text"), [(123, "12.3"), (120, "12"), (5, ".5"), (-5, "-.5"),
                                              (0, "0"), (-120, "-12"), (10004, "1000.4")])
def test_numbers_are_short(tenths: int, text: str) -> None:
    assert geo._num(tenths) == text


def test_projection_keeps_every_point_inside_the_view_box() -> None:
    shapes, errors = geojson.parse_geojson(GEOJSON)
    assert not errors
    proj = geo.fit(shapes)
    for s in shapes:
        for poly in s.polygons:
            for lon, lat in poly[0]:
                x, y = proj(lon, lat)
                assert 0 <= x <= proj.width and 0 <= y <= proj.height
    assert proj.width == 1000


@pytest.mark.parametrize("detail", [geo.FULL, geo.SMALL])
def test_a_kept_projection_is_the_projection(detail: geo.Detail, monkeypatch) -> None:
    """Indonesia's boundaries: the projection written as text reads back equal, field for field
    and of the same types; a memo that holds the text hands it out without projecting again."""
    from kotacerdas.core.memo import Memo

    text = (REPO / "content/reference/provinces.geojson").read_text(encoding="utf-8")
    shapes, errors = geojson.parse_geojson(json.loads(text))
    assert not errors
    made = geo.project(shapes, detail)
    back = geo.map_of_text(geo.map_text(made))
    assert back == made
    assert [type(v) for v in vars(back.projection).values()] == \
        [type(v) for v in vars(made.projection).values()]
    memo = Memo()
    assert geo.projected(shapes, "digest", detail, memo) == made
    calls = spy(monkeypatch, geo, "project")
    again = Memo()
    key = next(k for k in memo._asked if k[0] == geo.KIND)  # what a stored memo would hand on
    again.text(key, lambda: memo._asked[key])
    assert geo.projected(shapes, "digest", detail, again) == made
    assert not calls


@pytest.mark.parametrize("text", [
    "", "[]", "null", '{"shapes": []}', '{"projection": [1, 2, 3, 4, 5, 6], "shapes": []}',
    '{"projection": [1, 2, 3, 4, 5, 6, true], "shapes": []}',
    '{"projection": [1, 2, 3, 4, 5, 6, "7"], "shapes": []}',
    '{"projection": [1, 2, 3, 4, 5, 6, 7], "shapes": [[32, "M0 0z"]]}',
    '{"projection": [1, 2, 3, 4, 5, 6, 7], "shapes": [["32", "M0 0z", ""]]}',
    '{"projection": [1, 2, 3, 4, 5, 6, 7], "shapes": {"32": "M0 0z"}}',
    '{"projection": [1, 2, 3, 4, 5, 6, 7], "shapes": [["32"]]}',
])
def test_any_other_text_is_not_a_projection(text: str) -> None:
    assert geo.map_of_text(text) is None


def test_a_new_process_reads_the_kept_projection(site: FixtureSite, tmp_path: Path,
                                                  monkeypatch) -> None:
    """A cached build after a region edit that the map shows: the map is not projected again
    (the last build kept it under the boundaries file's digest) and the output equals a build
    without cache; an edited boundaries file is projected anew."""
    from conftest import FIXTURE_TODAY as TODAY, LOCAL_BASE as BASE, tree
    from conftest import with_repository_reference
    from kotacerdas.build.pipeline import build

    with_repository_reference(site)
    out, store = tmp_path / "out", tmp_path / "cache"
    build(site.root, out, base_url=BASE, today=TODAY, cache_dir=store)
    bandung = site.root / "content/regions/kota-bandung.yaml"
    bandung.write_text(bandung.read_text() + "coordinates: [-6.91, 107.61]\n")
    geo.project.cache_clear()  # as a new process starts
    calls = spy(monkeypatch, geo, "project")
    build(site.root, out, base_url=BASE, today=TODAY, cache_dir=store)
    assert not calls
    assert b"<circle" in (out / "peta/index.html").read_bytes()
    full = tmp_path / "full"
    build(site.root, full, base_url=BASE, today=TODAY)
    assert tree(out) == tree(full)
    shapes = site.root / "content/reference/provinces.geojson"
    data = json.loads(shapes.read_text(encoding="utf-8"))
    ring = data["features"][0]["geometry"]["coordinates"][0][0]
    ring[1] = [ring[1][0] + 0.01, ring[1][1]]
    shapes.write_text(json.dumps(data), encoding="utf-8")
    build(site.root, out, base_url=BASE, today=TODAY, cache_dir=store)
    assert {c.args[1] for c in calls} == {geo.FULL, geo.SMALL}
    build(site.root, tmp_path / "full2", base_url=BASE, today=TODAY)
    assert tree(out) == tree(tmp_path / "full2")


def test_tiny_islets_are_dropped_but_a_province_never_disappears() -> None:
    islet = ((106.0, -6.0), (106.001, -6.0), (106.001, -6.001), (106.0, -6.0))
    big = ((100.0, 0.0), (120.0, 0.0), (120.0, -8.0), (100.0, 0.0))
    shapes = (ProvinceShape("11", "Besar", ((big,),)),
              ProvinceShape("12", "Kecil", ((islet,),)))
    with_islet = (ProvinceShape("11", "Besar", ((big,), (islet,))),) + shapes[1:]
    drawn = geo.project(with_islet, geo.FULL)
    assert drawn.shapes[0].path == geo.project(shapes, geo.FULL).shapes[0].path  # islet dropped
    assert drawn.shapes[1].path.startswith("M")                                   # still drawn


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(type="Feature"), "must be a GeoJSON FeatureCollection"),
    (lambda d: d["features"][0]["properties"].pop("kode"), "feature 1 has no 'kode'"),
    (lambda d: d["features"][1]["geometry"].update(type="Point"), "Polygon or MultiPolygon"),
    (lambda d: d["features"][1]["geometry"]["coordinates"][0].__setitem__(0, [-7.5, 110.0]),
     "outside Indonesia; GeoJSON positions are [longitude, latitude]"),
    (lambda d: d["features"][1]["geometry"]["coordinates"][0].__setitem__(0, ["110", -7.5]),
     "is not [longitude, latitude]"),
    (lambda d: d["features"].append(copy.deepcopy(d["features"][0])), "kode 32 appears twice"),
])
def test_wrong_geojson_is_explained(change, message: str) -> None:
    data = copy.deepcopy(GEOJSON)
    change(data)
    _, errors = geojson.parse_geojson(data)
    assert any(message in e for e in errors), errors


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_keep_three_to_one_contrast() -> None:
    """WCAG 1.4.11: every shade against the boundary line, the points against every shade."""
    for _, _, fill in geo.LEVELS:
        assert contrast(fill, geo.BOUNDARY) >= 3, fill
        assert contrast(fill, geo.POINT) >= 3, fill
    assert contrast(geo.BOUNDARY, geo.BACKGROUND) >= 3
    assert contrast(geo.POINT_RING, geo.POINT) >= 3


@pytest.mark.parametrize(("count", "level"), [(0, 0), (1, 1), (2, 1), (3, 2), (5, 2), (6, 3),
                                              (10, 3), (11, 4), (300, 4)])
def test_levels(count: int, level: int) -> None:
    assert geo.level_of(count) == level


# --- fixture sites ------------------------------------------------------------------------

def test_map_page_links_every_province_with_its_count(site: FixtureSite) -> None:
    write_shapes(site)
    site.write("content/regions/kota-bandung.yaml",
               (site.root / "content/regions/kota-bandung.yaml").read_text()
               + "coordinates: [-6.91, 107.61]\n")
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    html = (site.output / "peta" / "index.html").read_text(encoding="utf-8")
    svg = svg_of(html, "map")
    assert svg.get("role") is None  # links inside must stay reachable (see partials/province_map.html)
    title, desc = svg.find("title"), svg.find("desc")
    assert svg.get("aria-labelledby") == title.get("id") and svg.get("aria-describedby") == desc.get("id")
    links = {a.get("href"): a.find("title").text for a in svg.iter("a")}
    assert links == {"/kota-cerdas/provinsi/jawa-barat/": "Jawa Barat: 2 peserta",
                     "/kota-cerdas/provinsi/daerah-istimewa-yogyakarta/":
                         "Daerah Istimewa Yogyakarta: 1 peserta"}
    assert len(svg.findall(".//circle")) == 1
    assert "1 peserta ditandai titik" in desc.text and "2 peserta tanpa koordinat" in desc.text
    page = soup(site.output / "peta" / "index.html")
    listed = {a["href"]: a.parent.text for a in page.select(".map-list a")}
    assert listed.keys() == links.keys()
    assert listed["/kota-cerdas/provinsi/jawa-barat/"] == "Jawa Barat: 2 peserta"
    assert page.select_one(".site-nav a[href='/kota-cerdas/peta/']")
    assert not broken_links(site.output, "https://contoh.github.io/kota-cerdas/")
    home = (site.output / "index.html").read_text(encoding="utf-8")
    small = svg_of(home, "map map-small")
    assert small.get("role") == "img" and not list(small.iter("a"))
    labelled = small.get("aria-labelledby").split()
    assert labelled == [small.find("title").get("id"), small.find("desc").get("id")]
    assert soup(site.output / "index.html").select_one("a[href='/kota-cerdas/peta/']")


def test_map_dots_show_status_and_leave_out_regions_that_did_not_take_part(site: FixtureSite) -> None:
    from conftest import STATUS_REGIONS
    write_shapes(site)
    site.write("content/regions/kota-bandung.yaml",
               (site.root / "content/regions/kota-bandung.yaml").read_text()
               + "coordinates: [-6.91, 107.61]\n")
    site.write("content/regions/kota-yogyakarta.yaml", STATUS_REGIONS["kota-yogyakarta"])
    site.write("content/regions/kabupaten-bandung.yaml",
               STATUS_REGIONS["kabupaten-bandung"] + "coordinates: [-7.1, 107.6]\n")
    assert site.run("build").returncode == 0
    svg = svg_of((site.output / "peta" / "index.html").read_text(encoding="utf-8"), "map")
    dots = svg.findall(".//circle")
    assert len(dots) == 2  # Bandung and Yogyakarta; Kabupaten Bandung took part in no round
    hollow = [c for c in dots if c.get("class") == "unverified"]
    assert len(hollow) == 1 and hollow[0].get("fill") == geo.POINT_RING
    assert "1 di antaranya belum terverifikasi" in svg.find("desc").text
    legend = [li.text.strip() for li in soup(site.output / "peta" / "index.html").select(".map-legend li")]
    assert legend[-1] == "titik tengah wilayah peserta yang belum terverifikasi (lingkaran putih)"
    english = svg_of((site.output / "en" / "peta" / "index.html").read_text(encoding="utf-8"), "map")
    assert "1 of them is not yet verified" in english.find("desc").text


def test_without_boundaries_there_is_no_map(built: FixtureSite) -> None:
    assert not (built.output / "peta").exists()
    for page in ("index.html", "provinsi/index.html"):
        html = (built.output / page).read_text(encoding="utf-8")
        assert "/kota-cerdas/peta/" not in html and 'class="map' not in html


@pytest.mark.parametrize(("data", "message"), [
    ("{not json", "provinces.geojson:1: is not valid GeoJSON"),
    ('{"type": "FeatureCollection", "features": [], "x": NaN}', "NaN is not a number"),
    ({"type": "FeatureCollection", "features": GEOJSON["features"][:1]},
     "has no boundary for Daerah Istimewa Yogyakarta (kode 34)"),
    ({"type": "FeatureCollection", "features": [
        *GEOJSON["features"], {**GEOJSON["features"][1], "properties": {"kode": "99", "name": "X"}}]},
     "kode 99 (X) is not a province code in provinces.yaml"),
])
def test_broken_boundaries_stop_the_build_with_the_file_named(site: FixtureSite, data: object,
                                                               message: str) -> None:
    write_shapes(site, data)
    result = site.run("build")
    assert result.returncode == 1
    assert "content/reference/provinces.geojson" in result.stderr and message in result.stderr, \
        result.stderr


def test_import_reference_copies_the_boundaries(tmp_path: Path) -> None:
    data = SHARED / "data"
    if not (data / "provinces.geojson").is_file():
        pytest.skip("../shared/data is not beside this checkout")
    written = import_reference(data, tmp_path)
    copied = tmp_path / "content" / "reference" / "provinces.geojson"
    assert copied in written
    assert copied.read_bytes() == (data / "provinces.geojson").read_bytes()
    assert (REPO / "content" / "reference" / "provinces.geojson").read_bytes() == copied.read_bytes()


# --- the real site ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_model():
    return build_model(load_site(REPO, today_in_jakarta()), base_url="https://kominfo.github.io/kota-cerdas/")


def test_real_map_has_38_linked_provinces_matching_the_tables(real_site: Path, real_model) -> None:
    svg = svg_of((real_site / "peta" / "index.html").read_text(encoding="utf-8"), "map")
    links = {a.get("href"): a.find("title").text for a in svg.iter("a")}
    assert len(links) == 38
    table = {row.th.a["href"]: int(row.select("td")[0].text)
             for row in soup(real_site / "provinsi" / "index.html").select("table tbody tr")}
    model = {f"{BASE_PATH}provinsi/{p.slug}/": (p.name, len(real_model.regions_in_province.get(p.slug, ())))
             for p in real_model.provinces}
    assert table == {href: count for href, (_, count) in model.items()}
    assert links == {href: f"{name}: {count} peserta" for href, (name, count) in model.items()}
    for href in links:
        assert (real_site / href[len(BASE_PATH):] / "index.html").is_file(), href
    listed = {a["href"] for a in soup(real_site / "peta" / "index.html").select(".map-list a")}
    assert listed == set(links)
    placed = sum(1 for r in real_model.regions if r.coordinates)
    assert len(svg.findall(".//circle")) == placed == len(real_model.regions) > 200


def test_real_map_page_and_home_stay_within_their_budgets(real_site: Path) -> None:
    assert gzip_weight(real_site, real_site / "peta" / "index.html") < 250_000
    assert gzip_weight(real_site, real_site / "index.html") < 100_000
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert len(svg_of(home, "map map-small").findall(".//path")) == 38


def test_map_output_is_deterministic(real_model) -> None:
    geo.project.cache_clear()
    first = geo.build_map(real_model)
    geo.project.cache_clear()
    assert geo.build_map(real_model) == first
    assert [a.code for a in first.areas] == sorted(a.code for a in first.areas)


def test_chromium_exposes_each_province_as_a_named_link(chromium, real_site: Path,
                                                        real_site_url: str) -> None:
    """Chromium's own accessibility tree (not a re-computation): the map is a named graphic whose
    38 links carry their province and count, so a screen reader can list and follow them."""
    page = chromium.new_page()
    try:
        page.goto(real_site_url + "peta/")
        cdp = page.context.new_cdp_session(page)
        nodes = [n for n in cdp.send("Accessibility.getFullAXTree")["nodes"] if not n.get("ignored")]
    finally:
        page.close()
    named = [(n["role"]["value"], n.get("name", {}).get("value", "")) for n in nodes]
    assert ("SvgRoot", "Peta peserta per provinsi") in named
    svg = svg_of((real_site / "peta" / "index.html").read_text(encoding="utf-8"), "map")
    titles = sorted(a.find("title").text for a in svg.iter("a"))
    assert sorted(name for role, name in named if role == "link" and name in titles) == titles
