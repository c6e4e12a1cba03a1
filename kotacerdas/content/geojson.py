"""Province boundaries as editors supply them: read and check a GeoJSON FeatureCollection.

The load stage turns ``content/reference/provinces.geojson`` into ``ProvinceShape`` values here;
projecting and drawing them is the render stage's (``render/geo.py``).
"""

from __future__ import annotations

import math
from typing import Any

from kotacerdas.content.types import Polygon, ProvinceShape

LON_RANGE = (90.0, 145.0)  # generous box around Indonesia: catches swapped [lat, lon] pairs
LAT_RANGE = (-15.0, 10.0)


def parse_geojson(data: Any) -> tuple[tuple[ProvinceShape, ...], list[str]]:
    """Province shapes (by property ``kode``) from a GeoJSON FeatureCollection, and its problems.

    Checked lightly, enough that a wrong file gives a message instead of a broken map: the
    structure, Polygon/MultiPolygon geometry, [lon, lat] numbers inside Indonesia, one feature
    per code.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        return (), ["must be a GeoJSON FeatureCollection: {\"type\": \"FeatureCollection\", "
                    "\"features\": [...]}"]
    shapes: dict[str, ProvinceShape] = {}
    errors: list[str] = []
    for i, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = props.get("kode") if isinstance(props, dict) else None
        if not isinstance(code, str) or not code:
            errors.append(f"feature {i} has no 'kode' property (the two-digit Kemendagri "
                          "province code, as text)")
            continue
        where = f"feature {i} (kode {code})"
        if code in shapes:
            errors.append(f"{where}: kode {code} appears twice; merge the two into one "
                          "MultiPolygon")
            continue
        polygons, problem = _polygons(feature.get("geometry"))
        if problem:
            errors.append(f"{where}: {problem}")
            continue
        name = props.get("name") if isinstance(props, dict) else None  # a dict: it gave a kode
        shapes[code] = ProvinceShape(code=code, name=name if isinstance(name, str) else code,
                                     polygons=polygons)
    return tuple(shapes[c] for c in sorted(shapes)), errors


def _polygons(geometry: Any) -> tuple[tuple[Polygon, ...], str | None]:
    """The polygons of a Polygon or MultiPolygon geometry, or why it cannot be read."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return (), "geometry must be a Polygon or MultiPolygon"
    coords = geometry.get("coordinates")
    parts = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(parts, list) or not parts:
        return (), "geometry has no coordinates"
    polygons = []
    for part in parts:
        if not isinstance(part, list) or not part:
            return (), "each polygon must be a list of rings"
        rings = []
        for ring in part:
            if not isinstance(ring, list) or len(ring) < 4:
                return (), "each ring must be a list of at least 4 [lon, lat] positions"
            points = []
            for pos in ring:
                if not (isinstance(pos, list) and len(pos) >= 2
                        and all(_is_number(v) for v in pos[:2])):
                    return (), f"position {pos!r:.40} is not [longitude, latitude]"
                lon, lat = float(pos[0]), float(pos[1])
                if not (LON_RANGE[0] <= lon <= LON_RANGE[1]
                        and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
                    return (), (f"position [{pos[0]}, {pos[1]}] is outside Indonesia; GeoJSON "
                                "positions are [longitude, latitude], check the order")
                points.append((lon, lat))
            rings.append(tuple(points))
        polygons.append(tuple(rings))
    return tuple(polygons), None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
