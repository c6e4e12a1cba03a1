"""Province boundaries for the map: project, simplify, write SVG path data.

The shapes come from the load stage (``content/geojson.py`` reads and checks the GeoJSON).

The browser receives finished path data (no JavaScript, no map library, no tiles): the build
projects longitude/latitude into a viewBox about 1000 units wide, simplifies each ring with
Douglas–Peucker to the detail a map of that size can show, drops islets too small to see, and
rounds to 0.1 unit. Everything is a pure function of the input, sorted by province code, so the
output is byte-identical across builds.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar, Iterable, Sequence

from kotacerdas.content.types import Point, ProvinceShape
from kotacerdas.core.records import record

if TYPE_CHECKING:
    from kotacerdas.core.memo import Memo
    from kotacerdas.model.site import SiteModel


# --- projecting and simplifying -----------------------------------------------------------

@record
class Projection:
    """Equirectangular, x scaled by cos(mid-latitude): near the equator it is as good as Mercator,
    and straight lines of latitude keep the map easy to read."""

    lon0: float
    lat0: float
    scale: float
    kx: float
    pad: float
    width: float
    height: float

    def __call__(self, lon: float, lat: float) -> Point:
        return ((lon - self.lon0) * self.kx * self.scale + self.pad,
                (self.lat0 - lat) * self.scale + self.pad)


def fit(shapes: Sequence[ProvinceShape], width: float = 1000.0, pad: float = 8.0) -> Projection:
    """The projection that fits every shape into ``width`` units (height follows)."""
    lons = [p[0] for s in shapes for poly in s.polygons for p in poly[0]]
    lats = [p[1] for s in shapes for poly in s.polygons for p in poly[0]]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = (width - 2 * pad) / ((max(lons) - min(lons)) * kx)
    height = (max(lats) - min(lats)) * scale + 2 * pad
    return Projection(min(lons), max(lats), scale, kx, pad, width, math.ceil(height))


def simplify(ring: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker on a closed ring (first point repeated at the end), deterministic.

    The ring is split at its first point and the point farthest from it, so both anchors are
    real corners; each half is simplified iteratively (no recursion limit on long coasts).
    """
    pts = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    if len(pts) < 3:
        return pts
    far = max(range(len(pts)), key=lambda i: (_dist2(pts[0], pts[i]), -i))
    keep = {0, far}
    for lo, hi in ((0, far), (far, len(pts))):
        stack = [(lo, hi)]
        while stack:
            a, b = stack.pop()
            best = _farthest(pts, a, b, tolerance * tolerance)
            if best >= 0:
                keep.add(best)
                stack += [(a, best), (best, b)]
    return [pts[i] for i in sorted(keep)]


def _dist2(p: Point, q: Point) -> float:
    return (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2


def _farthest(pts: list[Point], a: int, b: int, least: float) -> int:
    """The first of the points between ``a`` and ``b`` farthest from the segment a–b (point
    ``b`` taken modulo the ring), when its squared distance is over ``least``, else -1.

    The squared distance from p to the segment is written out in the loop (t, the projection of
    p on a–b clamped to [0, 1], then the distance to a + t·(b − a)): it runs for every point of
    every coast at every level of the recursion, and a function call per point cost two thirds
    of a cold build's map (tests/render/test_geo.py compares it with the plain formula)."""
    ax, ay = pts[a]
    bx, by = pts[b % len(pts)]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    best, best_d = -1, least
    if length2 == 0:  # a and b are one point: the distance to it
        for i in range(a + 1, b):
            px, py = pts[i]
            d = (px - ax) ** 2 + (py - ay) ** 2
            if d > best_d:
                best, best_d = i, d
        return best
    for i in range(a + 1, b):
        px, py = pts[i]
        t = ((px - ax) * dx + (py - ay) * dy) / length2
        if t <= 0.0:  # max(0.0, min(1.0, t)) for every float t, -0.0 included
            t = 0.0
        elif t > 1.0:
            t = 1.0
        d = (px - (ax + t * dx)) ** 2 + (py - (ay + t * dy)) ** 2
        if d > best_d:
            best, best_d = i, d
    return best


def area(ring: Sequence[Point]) -> float:
    """Unsigned area of a ring (shoelace)."""
    return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(ring, [*ring[1:], ring[0]]))) / 2


@record
class Detail:
    """How much of the geometry a map size needs: tolerance and smallest islet, in viewBox units."""

    width: float
    tolerance: float
    min_area: float


FULL = Detail(width=1000, tolerance=0.3, min_area=0.5)
SMALL = Detail(width=1000, tolerance=1.6, min_area=12.0)


def _tenths(ring: Iterable[Point]) -> list[tuple[int, int]]:
    """Coordinates in integer tenths, repeated points removed: rounding happens exactly once."""
    out: list[tuple[int, int]] = []
    for x, y in ring:
        p = (round(x * 10), round(y * 10))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _num(tenths: int) -> str:
    """Tenths as the shortest SVG number: 123 → '12.3', 120 → '12', 5 → '.5', -5 → '-.5'."""
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    text = (str(whole) if whole else "") + (f".{frac}" if frac else "")
    return sign + (text or "0")


def _pair(x: int, y: int) -> str:
    """Two numbers; a space between them unless the second starts with a minus sign."""
    b = _num(y)
    return _num(x) + ("" if b.startswith("-") else " ") + b


def path_data(rings: Iterable[list[tuple[int, int]]]) -> str:
    """SVG path data for rings in tenths: 'M' absolute start, relative 'l' steps, 'z' to close.

    Relative steps are differences of already rounded integers, so they never drift.
    """
    parts = []
    for ring in rings:
        x0, y0 = ring[0]
        steps: list[str] = []
        px, py = x0, y0
        for x, y in ring[1:]:
            pair = _pair(x - px, y - py)
            steps.append(pair if not steps or pair.startswith("-") else " " + pair)
            px, py = x, y
        parts.append(f"M{_pair(x0, y0)}l{''.join(steps)}z")
    return "".join(parts)


@record
class ProjectedShape:
    """One province ready for SVG: its path data."""

    code: str
    path: str


@record
class ProjectedMap:
    """All provinces projected at one level of detail, plus the projection for placing points."""

    projection: Projection
    shapes: tuple[ProjectedShape, ...]

    @property
    def view_box(self) -> str:
        return (f"0 0 {_num(round(self.projection.width * 10))} "
                f"{_num(round(self.projection.height * 10))}")


@lru_cache(maxsize=4)
def project(shapes: tuple[ProvinceShape, ...], detail: Detail) -> ProjectedMap:
    """Project and simplify every shape; cached, so a rebuild with the same shapes is free."""
    proj = fit(shapes, detail.width)
    out = []
    for shape in shapes:
        kept: list[list[tuple[int, int]]] = []
        for polygon in shape.polygons:
            for n, ring in enumerate(polygon):
                xy = [proj(lon, lat) for lon, lat in ring]
                tenths = (_tenths(simplify(xy, detail.tolerance)) if area(xy) >= detail.min_area
                          else [])
                if len(tenths) >= 3:
                    kept.append(tenths)
                elif n == 0:
                    break  # an islet too small to see: its holes go with it
        if not kept:  # never lose a province: keep its largest polygon, unsimplified
            biggest = max(shape.polygons, key=lambda poly: area(poly[0]))
            kept = [_tenths(proj(lon, lat) for lon, lat in biggest[0])]
        out.append(ProjectedShape(shape.code, path_data(kept)))
    return ProjectedMap(proj, tuple(out))


KIND = "province-map"
"""The memo kind of a projection kept as text: (KIND, the shapes file's digest, the detail)."""


def projected(shapes: tuple[ProvinceShape, ...], digest: str, detail: Detail,
              memo: Memo | None) -> ProjectedMap:
    """``project``, kept as text in ``memo`` under the digest of the boundaries file the shapes
    were read from: a new process with a kept memo (content/stored.StoredMemo) reads its path
    data instead of projecting every ring again (about 0.1 s for Indonesia's 38 provinces)."""
    if memo is None or not digest:
        return project(shapes, detail)
    key = (KIND, digest, f"{detail.width!r} {detail.tolerance!r} {detail.min_area!r}")
    found = map_of_text(memo.text(key, lambda: map_text(project(shapes, detail))))
    return found if found is not None else project(shapes, detail)


def map_text(projected_map: ProjectedMap) -> str:
    """A projection as JSON text: the projection's numbers (repr round-trips a float exactly)
    and each province's code and path data."""
    p = projected_map.projection
    return json.dumps({"projection": [p.lon0, p.lat0, p.scale, p.kx, p.pad, p.width, p.height],
                       "shapes": [[s.code, s.path] for s in projected_map.shapes]},
                      ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=4)
def map_of_text(text: str) -> ProjectedMap | None:
    """The projection ``map_text`` wrote, or None for any other text (then it is made again)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    numbers, shapes = (data.get("projection"), data.get("shapes")) if type(data) is dict \
        else (None, None)
    if type(numbers) is not list or len(numbers) != 7 or \
            not all(type(n) in (float, int) for n in numbers) or type(shapes) is not list or \
            not all(type(s) is list and len(s) == 2 and all(type(v) is str for v in s)
                    for s in shapes):
        return None
    return ProjectedMap(Projection(*numbers), tuple(ProjectedShape(c, d) for c, d in shapes))


# --- the map as the templates draw it ------------------------------------------------------

# Participant counts → shade. Fixed breaks read more easily in a legend than computed ones.
# Every fill keeps ≥ 3:1 contrast against the dark boundary line (WCAG 1.4.11), so each province
# stays distinct from its neighbours and the sea; the number itself is always given in text.
LEVELS: tuple[tuple[int, int | None, str], ...] = (
    (0, 0, "#f4f6f8"),
    (1, 2, "#c6dbef"),
    (3, 5, "#93bde2"),
    (6, 10, "#5f9ccf"),
    (11, None, "#3a7fbf"),
)
BOUNDARY = "#1b1b1b"
POINT = "#1b1b1b"
POINT_RING = "#ffffff"
BACKGROUND = "#ffffff"


def level_of(count: int) -> int:
    """Index into LEVELS for a participant count."""
    for i, (low, high, _) in enumerate(LEVELS):
        if count >= low and (high is None or count <= high):
            return i
    return len(LEVELS) - 1


@record
class MapArea:
    """One province on the map."""

    code: str
    name: str
    slug: str
    count: int
    fill: str
    path: str


@record
class MapPoint:
    """One participant at its coordinates."""

    slug: str
    name: str
    x: str
    y: str
    unverified: bool = False
    """True when one of its rounds is not yet verified: drawn as a white circle."""


@record
class LegendEntry:
    """One shade of the legend: the range of counts it stands for."""

    low: int
    high: int | None
    fill: str
    provinces: int


@record
class MapView:
    """Everything a template needs to draw the province map."""

    boundary: ClassVar[str] = BOUNDARY
    point: ClassVar[str] = POINT
    point_ring: ClassVar[str] = POINT_RING

    view_box: str
    areas: tuple[MapArea, ...]
    points: tuple[MapPoint, ...]
    unplaced: int
    legend: tuple[LegendEntry, ...]


def build_map(m: SiteModel, detail: Detail = FULL, memo: Memo | None = None) -> MapView | None:
    """The province map of a site, or None when it has no province shapes (``memo``: see
    ``projected``)."""
    shapes = m.content.province_shapes
    if not shapes:
        return None
    projection = projected(shapes, m.content.shapes_digest, detail, memo)
    by_code = {p.code: p for p in m.provinces}
    areas = []
    for shape in projection.shapes:
        province = by_code.get(shape.code)
        if province is None:
            continue
        count = len(m.regions_in_province.get(province.slug, ()))
        areas.append(MapArea(shape.code, province.name, province.slug, count,
                             LEVELS[level_of(count)][2], shape.path))
    points = []
    for r in sorted(m.regions, key=lambda r: r.code):
        if r.coordinates is not None:
            x, y = projection.projection(r.coordinates[1], r.coordinates[0])
            points.append(MapPoint(r.slug, r.name, _num(round(x * 10)), _num(round(y * 10)),
                                   r.unverified))
    used = [level_of(a.count) for a in areas]
    legend = tuple(LegendEntry(low, high, fill, used.count(i))
                   for i, (low, high, fill) in enumerate(LEVELS))
    return MapView(projection.view_box, tuple(areas), tuple(points),
                   len(m.regions) - len(points), legend)
