"""Bar charts as inline SVG, drawn at build time: no JavaScript, readable at 320 px and in print.

A chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>``. role="img" makes
assistive technology read only those two, so every page that shows a chart also shows the same
numbers in a table. Each bar has its value written beside it, so nothing depends on colour, and
the labels sit above the bars so long province names fit a phone screen. ``Figures`` is what
templates reach through the global ``figures`` (``renderer.Renderer``).
"""

from __future__ import annotations

from kotacerdas.core.records import field, record
from typing import TYPE_CHECKING, Sequence

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from kotacerdas.core.memo import Memo
    from kotacerdas.model.i18n import Catalogue
    from kotacerdas.model.site import SiteModel
    from kotacerdas.render import geo

WIDTH = 360          # viewBox width: at 320 px the 14-unit text is still about 11 px
FONT = 14
BAR = 14
CHAR_WIDTH = 0.62    # generous average glyph width (em) of the system sans-serif fonts
INK = "#1b1b1b"      # text and outlines: 17:1 on white
KNOWN = "#0b4f8a"    # recorded participants, solid: 8.7:1 on white
ANNOUNCED = "#ffffff"  # announced size: an outlined bar, so the two series differ by more than hue


@record
class Bar:
    """One bar: its value (None when unknown), the text written after it, its look."""

    value: int | None
    text: str
    fill: str = KNOWN
    stroke: str | None = None


@record
class Row:
    """A label written above one or more bars."""

    label: str
    bars: tuple[Bar, ...]


@record
class ChartData:
    """What a chart shows, kept beside the SVG so tests can compare it with the table."""

    rows: tuple[Row, ...]
    values: dict[str, tuple[int | None, ...]] = field(default_factory=dict)


def _n(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros: fixed output across builds."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str) -> float:
    return len(text) * FONT * CHAR_WIDTH


def bar_chart(rows: Sequence[Row], uid: str, title: str, desc: str, width: int = WIDTH) -> Markup:
    """A horizontal bar chart: for each row its label, then its bars with their values after them.

    Bars share one scale starting at zero, as long as every bar's text still fits after it.
    """
    bars = [b for r in rows for b in r.bars]
    top = max((b.value or 0 for b in bars), default=0) or 1
    span = float(width - 1)
    for b in bars:
        if b.value:
            room = width - 7 - _text_width(b.text)
            span = min(span, max(room, width / 2) * top / b.value)
    parts: list[str] = []
    y = 0.0
    for row in rows:
        y += FONT + 2
        parts.append(f'<text x="0" y="{_n(y - 3)}">{escape(row.label)}</text>')
        for bar in row.bars:
            y += 4
            length = span * (bar.value or 0) / top
            if length > 0:
                stroke = f' stroke="{bar.stroke}" stroke-width="1"' if bar.stroke else ""
                parts.append(f'<rect x=".5" y="{_n(y + .5)}" width="{_n(length)}" '
                             f'height="{BAR - 1}" fill="{bar.fill}"{stroke}/>')
            parts.append(f'<text x="{_n(length + 6)}" y="{_n(y + BAR - 2.5)}">'
                         f'{escape(bar.text)}</text>')
            y += BAR
        y += 10
    height = round(y)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-judul {uid}-ket">'
        f'<title id="{uid}-judul">{escape(title)}</title><desc id="{uid}-ket">{escape(desc)}</desc>'
        f'<g font-size="{FONT}" fill="{INK}">{"".join(parts)}</g></svg>')


class Figures:
    """Charts and the province map of one site model, for templates (the global ``figures``)."""

    def __init__(self, m: SiteModel, memo: Memo | None = None):
        self._m = m
        self._memo = memo
        self._maps: dict[str, geo.MapView | None] = {}

    # --- data, also used by tests to compare with tables --------------------------------

    def rounds_data(self, t: Catalogue) -> ChartData:
        """Per round: the announced size (outlined bar) and the participants recorded (solid)."""
        rows = []
        for c in self._m.cohorts:
            announced = c.cohort.announced
            rows.append(Row(str(c.cohort.year), (
                Bar(announced, t("chart_announced_value", count=t.number(announced))
                    if announced is not None else t("chart_announced_unknown"),
                    fill=ANNOUNCED, stroke=INK),
                Bar(c.known, t("chart_known_value", count=t.number(c.known))))))
        return ChartData(tuple(rows), {str(c.cohort.year): (c.cohort.announced, c.known)
                                       for c in self._m.cohorts})

    def province_counts(self) -> list[tuple[str, str, int]]:
        """(code, name, participants) for every province, most participants first, then by code."""
        counts = [(p.code, p.name, len(self._m.regions_in_province.get(p.slug, ())))
                  for p in self._m.provinces]
        return sorted(counts, key=lambda c: (-c[2], c[0]))

    def provinces_data(self, t: Catalogue) -> ChartData:
        """Per province, one bar with its number of participants."""
        counts = self.province_counts()
        rows = tuple(Row(name, (Bar(n, t.number(n)),)) for _, name, n in counts)
        return ChartData(rows, {name: (n,) for _, name, n in counts})

    # --- markup --------------------------------------------------------------------------

    def rounds_chart(self, t: Catalogue, uid: str = "grafik-angkatan") -> Markup:
        """Announced vs recorded participants of every round."""
        return bar_chart(self.rounds_data(t).rows, uid, t("chart_rounds_title"),
                         t("chart_rounds_desc"))

    def provinces_chart(self, t: Catalogue, uid: str = "grafik-provinsi") -> Markup:
        """Participants per province, most first."""
        counts = self.province_counts()
        covered = sum(1 for c in counts if c[2])
        top = counts[0] if counts and counts[0][2] else None
        desc = t("chart_provinces_desc", covered=covered, total=len(counts))
        if top:
            desc += " " + t("chart_provinces_top", name=top[1], count=t.number(top[2]))
        return bar_chart(self.provinces_data(t).rows, uid, t("chart_provinces_title"),
                         desc + " " + t("chart_same_in_table"))

    def province_map(self, size: str = "full") -> geo.MapView | None:
        """The province map ('full' for its own page, 'small' for the home page), or None
        when the site has no provinces.geojson."""
        if size not in self._maps:
            from kotacerdas.render import geo  # only a build that renders a map pays for it
            self._maps[size] = geo.build_map(self._m, geo.FULL if size == "full" else geo.SMALL,
                                             self._memo)
        return self._maps[size]
