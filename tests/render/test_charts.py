"""Bar charts: well-formed, named SVG whose numbers are the table's numbers are the model's counts.

The numbers are read back from the built pages as a reader sees them: the text after each bar in
the chart, the cells of the table beside it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, FixtureSite
from htmlcheck import soup
from kotacerdas.render import charts
from kotacerdas.content.load import load_site
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.model.site import build_model


def chart_of(page: Path, uid: str) -> ET.Element:
    """The chart <svg> of a page, parsed as XML on its own."""
    html = page.read_text(encoding="utf-8")
    match = re.search(r'<svg class="chart".*?</svg>', html, re.S)
    assert match, f"no chart on {page}"
    svg = ET.fromstring(match.group(0))
    title, desc = svg.find("title"), svg.find("desc")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{uid}-judul {uid}-ket"
    assert title.get("id") == f"{uid}-judul" and desc.get("id") == f"{uid}-ket"
    assert title.text and desc.text
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids on the page"
    return svg


def chart_rows(svg: ET.Element, bars: int) -> dict[str, list[str]]:
    """{row label: [text after each bar]} from the chart's <text> elements, in drawing order."""
    texts = [t.text for t in svg.iter("text")]
    return {texts[i]: texts[i + 1:i + 1 + bars] for i in range(0, len(texts), bars + 1)}


def number(text: str) -> int | None:
    match = re.match(r"(\d[\d.]*)", text)
    return int(match.group(1).replace(".", "")) if match else None


# --- the drawing --------------------------------------------------------------------------

def test_bar_chart_is_well_formed_escaped_and_to_scale() -> None:
    rows = [charts.Row("A & <b>", (charts.Bar(40, "40 tercatat"),)),
            charts.Row("B", (charts.Bar(10, "10"), charts.Bar(None, "tidak diketahui"))),
            charts.Row("C", (charts.Bar(0, "0"),))]
    svg = ET.fromstring(str(charts.bar_chart(rows, "uji", 'Judul "x"', "Ket <y>")))
    assert svg.find("title").text == 'Judul "x"' and svg.find("desc").text == "Ket <y>"
    assert [t.text for t in svg.iter("text")] == ["A & <b>", "40 tercatat", "B", "10",
                                                   "tidak diketahui", "C", "0"]
    widths = [float(r.get("width")) for r in svg.iter("rect")]
    assert len(widths) == 2 and widths[0] == pytest.approx(4 * widths[1], abs=0.25)
    view_width = float(svg.get("viewBox").split()[2])
    for text in svg.iter("text"):   # every label fits inside the view box, even after the longest bar
        assert float(text.get("x")) + charts._text_width(text.text) <= view_width


def test_bar_chart_output_is_deterministic() -> None:
    rows = [charts.Row("2017", (charts.Bar(25, "25"),))]
    assert charts.bar_chart(rows, "a", "t", "d") == charts.bar_chart(rows, "a", "t", "d")


# --- fixture site -------------------------------------------------------------------------

def test_fixture_round_chart_matches_table_and_model(site: FixtureSite) -> None:
    site.write("content/regions/kota-yogyakarta.yaml", """\
        name: Kota Yogyakarta
        type: kota
        province: Daerah Istimewa Yogyakarta
        code: "34.71"
        cohort: 2019
        """)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    page = site.output / "angkatan" / "index.html"
    rows = chart_rows(chart_of(page, "grafik-angkatan"), 2)
    assert rows == {"2017": ["25 diumumkan", "2 tercatat"], "2018": ["50 diumumkan", "2 tercatat"],
                    "2019": ["jumlah diumumkan tidak diketahui", "1 tercatat"]}
    table = {r.th.a.text: [c.text for c in r.select("td")[:2]]
             for r in soup(page).select("table tbody tr")}
    assert table == {"2017": ["25", "2"], "2018": ["50", "2"], "2019": ["tidak diketahui", "1"]}


def test_fixture_province_chart_matches_table(built: FixtureSite) -> None:
    page = built.output / "provinsi" / "index.html"
    rows = chart_rows(chart_of(page, "grafik-provinsi"), 1)
    assert rows == {"Jawa Barat": ["2"], "Daerah Istimewa Yogyakarta": ["1"]}
    assert list(rows) == ["Jawa Barat", "Daerah Istimewa Yogyakarta"]   # most participants first


# --- the real site ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_model():
    return build_model(load_site(REPO, today_in_jakarta()))


def test_real_round_chart_equals_table_equals_model(real_site: Path, real_model) -> None:
    page = real_site / "angkatan" / "index.html"
    chart = {year: [number(a), number(k)]
             for year, (a, k) in chart_rows(chart_of(page, "grafik-angkatan"), 2).items()}
    table = {r.th.a.text: [number(c.text) for c in r.select("td")[:2]]
             for r in soup(page).select("table tbody tr")}
    model = {str(c.cohort.year): [c.cohort.announced, c.known] for c in real_model.cohorts}
    assert chart == table == model
    assert len(model) >= 8


def test_real_province_chart_equals_table_equals_model(real_site: Path, real_model) -> None:
    page = real_site / "provinsi" / "index.html"
    chart = {name: number(v) for name, (v,) in chart_rows(chart_of(page, "grafik-provinsi"), 1).items()}
    table = {r.th.a.text: number(r.select("td")[0].text) for r in soup(page).select("table tbody tr")}
    model = {p.name: len(real_model.regions_in_province.get(p.slug, ())) for p in real_model.provinces}
    assert chart == table == model
    assert len(chart) == 38
    assert list(chart.values()) == sorted(chart.values(), reverse=True)
    desc = chart_of(page, "grafik-provinsi").find("desc").text
    covered = sum(1 for n in model.values() if n)
    assert f"{covered} dari 38 provinsi memiliki peserta" in desc


def test_a_template_still_using_site_figures_is_reported_at_its_line(site: FixtureSite) -> None:
    """The charts and maps are the template global ``figures`` (the model holds data only): a
    site's own template written for the old ``site.figures`` fails at that line, saying why."""
    builtin = (REPO / "templates" / "cohorts.html").read_text(encoding="utf-8")
    assert builtin.count("figures.") == 1
    old = builtin.replace("figures.", "site.figures.")
    line = 1 + old[:old.index("site.figures.")].count("\n")
    site.write("templates/cohorts.html", old)
    result = site.run("build")
    assert result.returncode == 1
    assert f"templates/cohorts.html:{line}: template error" in result.stderr, result.stderr
    assert "has no attribute 'figures'" in result.stderr, result.stderr
    site.write("templates/cohorts.html", builtin)
    assert site.run("build").returncode == 0
