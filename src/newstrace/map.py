"""Offline maps: event places drawn over country outlines as inline SVG, no tile server.

The outlines are Natural Earth's 1:110m countries (public domain) as TopoJSON from the npm
package ``world-atlas`` 2.0.2 (ISC), vendored in ``data/world/`` with its licence. They are
decoded once per process and projected here, on the server, with a plain equirectangular
projection (x = longitude, y = -latitude, in degrees); a local view stretches x by cos(latitude)
so the country keeps its shape. The result is geometry only (numbers and country names);
templates turn it into ``<svg>`` and escape every label, so the same partial draws the map in
``report.html`` and in the web app.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

WORLD_FILE = "data/world/countries-110m.json"
# the world view leaves out Antarctica's ice: events are not reported from there, and it
# would take a quarter of the picture
WORLD_VIEW = (-180.0, -58.0, 180.0, 84.0)  # lon_min, lat_min, lon_max, lat_max


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: cheap cache keys
class Country:
    """One country: its Natural Earth name, ISO numeric id and rings of (lon, lat) points."""

    name: str
    iso_numeric: str
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]  # polygon -> rings
    bbox: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


@dataclass
class MapPlace:
    """A point to mark: where, how big (articles), and what it says and links to."""

    lat: float
    lon: float
    label: str
    href: str | None = None
    weight: float = 1.0


@dataclass
class MapView:
    """Everything a template needs to draw one map (all in SVG user units)."""

    viewbox: tuple[float, float, float, float]
    kx: float  # horizontal stretch applied to the country group (1 for the world view)
    countries: list[dict[str, Any]] = field(default_factory=list)  # name, d, here
    points: list[dict[str, Any]] = field(default_factory=list)  # x, y, r, label, href, lat, lon
    here: str | None = None  # the highlighted country's name

    @property
    def viewbox_attr(self) -> str:
        return " ".join(_num(v, 3) for v in self.viewbox)


def _num(v: float, digits: int) -> str:
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """The decoded country outlines (cached: the TopoJSON is read once per process)."""
    text = resources.files("newstrace").joinpath(WORLD_FILE).read_text(encoding="utf-8")
    try:
        return decode_topojson(json.loads(text), "countries")
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise RuntimeError(f"{WORLD_FILE}: not a usable TopoJSON file ({exc})") from None


def decode_topojson(topo: dict[str, Any], object_name: str) -> tuple[Country, ...]:
    """Countries from a quantized, delta-encoded TopoJSON topology (the format's spec:
    arcs hold integer deltas; ``transform`` maps them back to degrees; a negative arc index
    ``~i`` means arc ``i`` reversed)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices: list[int]) -> tuple[tuple[float, float], ...]:
        pts: list[tuple[float, float]] = []
        for i in indices:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a if not pts else a[1:])
        return tuple(pts)

    out = []
    for g in topo["objects"][object_name]["geometries"]:
        if g.get("type") == "Polygon":
            polys = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        polygons = tuple(tuple(ring(r) for r in poly) for poly in polys)
        xs = [p[0] for poly in polygons for p in poly[0]]
        ys = [p[1] for poly in polygons for p in poly[0]]
        out.append(Country(str((g.get("properties") or {}).get("name") or g.get("id") or "?"),
                           str(g.get("id") or ""), polygons,
                           (min(xs), min(ys), max(xs), max(ys))))
    return tuple(out)


def _in_ring(lon: float, lat: float, ring: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[i - 1]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _polygon_at(c: Country, lon: float, lat: float) -> int | None:
    """Index of the polygon of ``c`` holding the point (outer ring in, no hole around it)."""
    lo_x, lo_y, hi_x, hi_y = c.bbox
    if not (lo_x <= lon <= hi_x and lo_y <= lat <= hi_y):
        return None
    for i, poly in enumerate(c.polygons):
        if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
            return i
    return None


def country_at(lat: float, lon: float, name: str | None = None
               ) -> tuple[Country, int | None] | None:
    """The country holding the point (and which of its polygons); at 1:110m a coastal town
    can fall just outside its outline, so then the country called ``name``, else the one
    whose outline passes nearest (within 2 degrees)."""
    for c in countries():
        i = _polygon_at(c, lon, lat)
        if i is not None:
            return c, i
    if name:
        want = name.casefold()
        for c in countries():
            if c.name.casefold() == want:
                return c, None
    best, best_d = None, 2.0
    for c in countries():
        lo_x, lo_y, hi_x, hi_y = c.bbox
        if lon < lo_x - best_d or lon > hi_x + best_d or lat < lo_y - best_d or \
                lat > hi_y + best_d:
            continue
        for poly in c.polygons:
            for x, y in poly[0]:
                d = math.hypot(x - lon, y - lat)
                if d < best_d:
                    best, best_d = c, d
    return (best, None) if best is not None else None


@lru_cache(maxsize=512)
def _path(c: Country, digits: int) -> str:
    """The country as an SVG path in (lon, -lat) degrees: points rounded to ``digits``
    decimals, repeats dropped, then written relative to the previous point (shorter)."""
    q = 10 ** digits
    turn = 360 * q
    parts = []
    for poly in c.polygons:
        for r in poly:
            pts: list[tuple[int, int]] = []
            for x, y in r:
                p = (round(x * q), round(-y * q))
                if pts:  # a ring across the antimeridian (Russia, Fiji): keep it continuous
                    while p[0] - pts[-1][0] > turn // 2:
                        p = (p[0] - turn, p[1])
                    while pts[-1][0] - p[0] > turn // 2:
                        p = (p[0] + turn, p[1])
                if not pts or p != pts[-1]:
                    pts.append(p)
            if len(pts) < 3:
                continue
            steps = " ".join(f"{_num((b[0] - a[0]) / q, digits)} {_num((b[1] - a[1]) / q, digits)}"
                             for a, b in zip(pts, pts[1:]))
            xs = [p[0] for p in pts]
            # ... and where it then runs past +-180, draw it again a world over; the map's
            # edge cuts both copies
            shifts = [0] + ([-turn] if max(xs) > 180 * q else []) + \
                ([turn] if min(xs) < -180 * q else [])
            for dx in shifts:
                parts.append(f"M{_num((pts[0][0] + dx) / q, digits)} "
                             f"{_num(pts[0][1] / q, digits)}l{steps}z")
    return "".join(parts)


def _intersects(b: tuple[float, float, float, float], v: tuple[float, float, float, float]
                ) -> bool:
    return b[0] <= v[2] and b[2] >= v[0] and b[1] <= v[3] and b[3] >= v[1]


def world_map(places: list[MapPlace], here: str | None = None) -> MapView:
    """The world with a dot per place, its area proportional to the place's weight."""
    lo_x, lo_y, hi_x, hi_y = WORLD_VIEW
    view = MapView((lo_x, -hi_y, hi_x - lo_x, hi_y - lo_y), 1.0, here=here)
    view.countries = [{"name": c.name, "d": _path(c, 1), "here": c.name == here}
                      for c in countries() if _intersects(c.bbox, WORLD_VIEW)]
    top = max((p.weight for p in places), default=1.0) or 1.0
    for p in sorted(places, key=lambda p: (-p.weight, p.label)):
        if not _valid(p.lat, p.lon):
            continue
        r = 1.2 + 4.0 * math.sqrt(max(p.weight, 0.0) / top)
        view.points.append({"x": _num(p.lon, 2), "y": _num(-p.lat, 2), "r": _num(r, 2),
                            "label": p.label, "href": p.href,
                            "lat": _num(p.lat, 4), "lon": _num(p.lon, 4)})
    return view


def _valid(lat: Any, lon: Any) -> bool:
    return isinstance(lat, (int, float)) and isinstance(lon, (int, float)) and \
        -90 <= lat <= 90 and -180 <= lon <= 180 and not (math.isnan(lat) or math.isnan(lon))


def place_map(lat: float, lon: float, label: str, country: str | None = None,
              aspect: float = 1.6) -> MapView | None:
    """A local view of one place and its country (highlighted), with its neighbours around;
    None for coordinates that are not on Earth."""
    if not _valid(lat, lon):
        return None
    vb, kx, here, outlines, h = _local_frame(float(lat), float(lon), country, aspect)
    view = MapView(vb, kx, here=here)
    view.countries = list(outlines)
    view.points.append({"x": _num(lon * kx, 3), "y": _num(-lat, 3), "r": _num(h * 0.025, 3),
                        "label": label, "href": None, "lat": _num(lat, 4), "lon": _num(lon, 4)})
    return view


@lru_cache(maxsize=2048)
def _local_frame(lat: float, lon: float, country: str | None, aspect: float
                 ) -> tuple[tuple[float, float, float, float], float, str | None,
                            tuple[dict[str, Any], ...], float]:
    """The view box, x stretch, highlighted country and outlines of a place's local map
    (kept per place: finding the country and its neighbours is most of an event page's map,
    and the outlines never change). The outline dicts are shared: templates only read them."""
    found = country_at(lat, lon, country)
    if found is not None:
        c, i = found
        polys = [c.polygons[i]] if i is not None else c.polygons
        xs = [x for poly in polys for x, _ in poly[0]] + [lon]
        ys = [y for poly in polys for _, y in poly[0]] + [lat]
        box = [min(xs), min(ys), max(xs), max(ys)]
        if box[2] - box[0] > 60 or box[3] - box[1] > 40:  # a huge country: stay near the place
            box = [lon - 15, lat - 10, lon + 15, lat + 10]
    else:
        c, box = None, [lon - 4, lat - 3, lon + 4, lat + 3]
    # pad, keep at least 6 degrees of latitude, then widen to the aspect ratio
    lat_c = (box[1] + box[3]) / 2
    kx = max(math.cos(math.radians(lat_c)), 0.2)
    h = max((box[3] - box[1]) * 1.3, 6.0)
    w = max((box[2] - box[0]) * kx * 1.3, h * aspect)
    h = max(h, w / aspect)
    cx, cy = (box[0] + box[2]) / 2 * kx, -lat_c
    vb = (cx - w / 2, cy - h / 2, w, h)
    lon_view = (vb[0] / kx, -(vb[1] + h), (vb[0] + w) / kx, -vb[1])
    outlines = tuple({"name": o.name, "d": _path(o, 2), "here": c is not None and o is c}
                     for o in countries() if _intersects(o.bbox, lon_view))
    return vb, kx, c.name if c else None, outlines, h
