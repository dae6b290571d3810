"""Places on a map: the points an applicant gives, checked and measured on the server.

The location question (:mod:`forms_builder.fields.location`) is answered with a list of
points in WGS84 (latitude, longitude), typed or set on the map: one point is a spot, three
or more are the corners of a zone (a rectangle is a zone of four corners). This module
turns that list into GeoJSON (longitude first, as GeoJSON writes it), refuses what is no
place in Belgium or no proper zone, and measures a zone's area.

The area is geodesic, on the WGS84 ellipsoid (pyproj's ``Geod``, Karney's algorithm):
no projection to choose, correct to the square centimetre for a terrace and for a whole
square alike. The browser's figure is only a preview; this one is stored, shown and used
by fees. A zone must not cross itself: its area would mean nothing. The check is plain
geometry on the ring (locally a plane, a zone being small), so no GEOS is needed.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from pyproj import Geod

#: South, west, north, east: Belgium with a margin of a few kilometres, so a place on
#: the border is accepted and a swapped latitude and longitude (4.35, 50.85) is not.
BELGIUM = (49.45, 2.50, 51.55, 6.45)
#: Most corners a zone may have (a drawn square of a town needs a few dozen at most).
MAX_POINTS = 200
#: Decimals kept of a coordinate: 7 is about a centimetre.
COORDINATE_DECIMALS = 7
#: Largest zone accepted, in m² (a square kilometre: larger is no occupation).
MAX_AREA_M2 = Decimal(1_000_000)

_GEOD = Geod(ellps="WGS84")
_NUMBER = r"[+-]?\d{1,3}(?:\.\d+)?"
_POINT = re.compile(rf"^\s*({_NUMBER})\s*[,\s]\s*({_NUMBER})\s*$")


class GeometryError(ValueError):
    """The points are no place we can accept; the message says why, for the applicant."""


def parse_points(text: str) -> list[tuple[float, float]]:
    """The points in ``text``: "latitude, longitude" each, separated by ";" or new lines,
    with a dot for decimals (51.0543, 3.7174; 51.0544, 3.7176). Raises GeometryError."""
    points = []
    for part in re.split(r"[;\n]", text or ""):
        if not part.strip():
            continue
        match = _POINT.match(part)
        if not match:
            raise GeometryError(
                _(
                    "Write each point as latitude, longitude with a dot for decimals, "
                    "e.g. 51.0543, 3.7174; separate points with a semicolon. "
                    "This is not a point: %(text)s"
                )
                % {"text": part.strip()[:40]}
            )
        points.append((float(match[1]), float(match[2])))
    if len(points) > MAX_POINTS:
        raise GeometryError(_("A zone may have at most %(count)d corners.") % {"count": MAX_POINTS})
    south, west, north, east = BELGIUM
    for lat, lon in points:
        if not (south <= lat <= north and west <= lon <= east):
            raise GeometryError(
                _(
                    "The point %(lat)s, %(lon)s is not in Belgium. Write the latitude "
                    "(about 50 to 51.5) first, then the longitude (about 2.5 to 6.4)."
                )
                % {"lat": lat, "lon": lon}
            )
    return [
        (round(lat, COORDINATE_DECIMALS), round(lon, COORDINATE_DECIMALS)) for lat, lon in points
    ]


def points_text(geometry: dict | None) -> str:
    """A stored geometry as the text :func:`parse_points` reads (the corners of a zone
    once, without repeating the first)."""
    if not geometry:
        return ""
    return "; ".join(f"{lat}, {lon}" for lat, lon in corners(geometry))


def corners(geometry: dict) -> list[tuple[float, float]]:
    """The (latitude, longitude) of a Point, or the corners of a Polygon's outer ring."""
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"]
        return [(lat, lon)]
    ring = geometry["coordinates"][0]
    return [(lat, lon) for lon, lat in ring[:-1]]


def _without_repeats(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    if len(kept) > 1 and kept[0] == kept[-1]:
        kept.pop()
    return kept


def to_geometry(points: list[tuple[float, float]], shape: str) -> dict | None:
    """A GeoJSON Point or Polygon for ``points``; None for no points.

    ``shape`` is what the question asks: "point", "zone" or "any". Raises GeometryError.
    """
    points = _without_repeats(points)
    if not points:
        return None
    if len(points) == 1:
        if shape == "zone":
            raise GeometryError(_("Draw a zone: give at least three corners."))
        lat, lon = points[0]
        return {"type": "Point", "coordinates": [lon, lat]}
    if shape == "point":
        raise GeometryError(_("Give one point only."))
    if len(points) == 2:
        raise GeometryError(_("A zone needs at least three corners; you gave two."))
    if crosses_itself(points):
        raise GeometryError(
            _("The sides of the zone cross each other. Give the corners in order, going round.")
        )
    ring = [[lon, lat] for lat, lon in points]
    geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    area = area_m2(geometry)
    if area < Decimal("0.1"):
        raise GeometryError(_("The zone has no area: its corners lie on one line."))
    if area > MAX_AREA_M2:
        raise GeometryError(_("The zone is larger than a square kilometre. Draw a smaller zone."))
    return geometry


def area_m2(geometry: dict | None) -> Decimal | None:
    """The geodesic area of a Polygon in m², to a tenth; None for a Point or nothing."""
    if not geometry or geometry.get("type") != "Polygon":
        return None
    ring = geometry["coordinates"][0]
    area, _perimeter = _GEOD.polygon_area_perimeter(
        [lon for lon, _lat in ring], [lat for _lon, lat in ring]
    )
    return Decimal(str(round(abs(area), 1)))


def crosses_itself(points: list[tuple[float, float]]) -> bool:
    """Whether two sides of the closed ring through ``points`` meet, other than two
    neighbours at their shared corner."""
    mean_lat = math.radians(sum(lat for lat, _lon in points) / len(points))
    plane = [(lon * math.cos(mean_lat), lat) for lat, lon in points]
    count = len(plane)
    sides = [(plane[i], plane[(i + 1) % count]) for i in range(count)]
    for i in range(count):
        for j in range(i + 1, count):
            neighbours = j == i + 1 or (i == 0 and j == count - 1)
            if neighbours:
                if _overlap_at_shared_corner(sides[i], sides[j], first_ends=(j == i + 1)):
                    return True
                continue
            if _segments_meet(*sides[i], *sides[j]):
                return True
    return False


def _orientation(a, b, c) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a, b, c) -> bool:
    """Whether c, collinear with a-b, lies on the segment a-b."""
    return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])


def _segments_meet(p1, p2, q1, q2) -> bool:
    d1, d2 = _orientation(q1, q2, p1), _orientation(q1, q2, p2)
    d3, d4 = _orientation(p1, p2, q1), _orientation(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and _on_segment(q1, q2, p1))
        or (d2 == 0 and _on_segment(q1, q2, p2))
        or (d3 == 0 and _on_segment(p1, p2, q1))
        or (d4 == 0 and _on_segment(p1, p2, q2))
    )


def _overlap_at_shared_corner(first, second, *, first_ends: bool) -> bool:
    """Two neighbouring sides fold back onto each other (the ring turns 180 degrees)."""
    if first_ends:
        corner, before, after = first[1], first[0], second[1]
    else:
        corner, before, after = first[0], first[1], second[0]
    if _orientation(before, corner, after) != 0:
        return False
    # Collinear: they overlap when both go the same way from the shared corner.
    return (before[0] - corner[0]) * (after[0] - corner[0]) + (before[1] - corner[1]) * (
        after[1] - corner[1]
    ) > 0


def overlaps(first: dict, second: dict) -> bool:
    """Whether two places (Point or Polygon) share ground: zones that overlap or touch,
    a point in (or on the edge of) a zone, or the same point."""
    a, b = corners(first), corners(second)
    if not _boxes_meet(a, b):
        return False
    if len(a) == 1 and len(b) == 1:
        return a == b
    mean_lat = math.radians(sum(lat for lat, _lon in a + b) / len(a + b))

    def plane(points):
        return [(lon * math.cos(mean_lat), lat) for lat, lon in points]

    pa, pb = plane(a), plane(b)
    if len(pa) > 1 and len(pb) > 1:
        sides_a = list(zip(pa, pa[1:] + pa[:1], strict=True))
        sides_b = list(zip(pb, pb[1:] + pb[:1], strict=True))
        if any(_segments_meet(*p, *q) for p in sides_a for q in sides_b):
            return True
    # No sides cross: one lies wholly inside the other, or they are apart.
    return (len(pb) > 1 and _inside(pa[0], pb)) or (len(pa) > 1 and _inside(pb[0], pa))


def _boxes_meet(a, b) -> bool:
    return not (
        max(lat for lat, _ in a) < min(lat for lat, _ in b)
        or max(lat for lat, _ in b) < min(lat for lat, _ in a)
        or max(lon for _, lon in a) < min(lon for _, lon in b)
        or max(lon for _, lon in b) < min(lon for _, lon in a)
    )


def _inside(point, ring) -> bool:
    """Whether ``point`` is inside the polygon ``ring`` or on its edge (ray casting)."""
    x, y = point
    count = len(ring)
    for i in range(count):
        a, b = ring[i], ring[(i + 1) % count]
        if _orientation(a, b, point) == 0 and _on_segment(a, b, point):
            return True
    inside = False
    for i in range(count):
        (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % count]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def show_area(area: Decimal) -> str:
    """An area as a person reads it: "12,5 m²" (Dutch), "12.5 m²" (English)."""
    from django.utils import formats

    return f"{formats.number_format(area, decimal_pos=1, use_l10n=True)} m²"
