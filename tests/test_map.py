"""The offline map: Natural Earth outlines decoded from the vendored TopoJSON, points placed in
the right country, SVG geometry that stays inside its view."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from newstrace import map as worldmap


def test_outlines_ship_with_their_licence() -> None:
    world = resources.files("newstrace").joinpath("data/world")
    assert world.joinpath("countries-110m.json").is_file()
    assert "ISC" in world.joinpath("README.md").read_text(encoding="utf-8")
    assert "Permission to use" in world.joinpath("LICENSE").read_text(encoding="utf-8")
    names = {c.name for c in worldmap.countries()}
    assert len(names) > 170 and {"Afghanistan", "France", "Brazil", "Japan"} <= names


def test_decode_topojson_follows_the_spec() -> None:
    # two squares sharing an edge: arc 0 is the shared edge, ~0 is it reversed
    topo = {"type": "Topology", "transform": {"scale": [1, 1], "translate": [10, 20]},
            "arcs": [[[1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1], [1, 0]],
                     [[1, 0], [1, 0], [0, 1], [-1, 0]]],
            "objects": {"c": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "West"}, "id": "1"},
                {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"name": "East"}},
                {"type": None}]}}}
    west, east = worldmap.decode_topojson(topo, "c")
    assert west.name == "West" and west.iso_numeric == "1"
    assert west.polygons[0][0] == ((11, 20), (11, 21), (10, 21), (10, 20), (11, 20))
    assert east.bbox == (11, 20, 12, 21)
    assert east.polygons[0][0][-1] == (11, 20)


@pytest.mark.parametrize("lat, lon, country", [
    (34.9873, 63.1289, "Afghanistan"),   # Qala i Naw
    (48.8566, 2.3522, "France"),         # Paris
    (-15.79, -47.88, "Brazil"),          # Brasília
    (35.68, 139.69, "Japan"),            # Tokyo, on the coast
    (29.76, -95.37, "United States of America"),
    (-33.87, 151.21, "Australia"),       # Sydney, on the coast
])
def test_country_at(lat: float, lon: float, country: str) -> None:
    found = worldmap.country_at(lat, lon)
    assert found is not None and found[0].name == country


def test_country_at_open_sea_is_none() -> None:
    assert worldmap.country_at(-40.0, -30.0) is None  # South Atlantic


def test_place_map_zooms_on_the_country() -> None:
    m = worldmap.place_map(34.9873, 63.1289, "Qala i Naw", "Afghanistan")
    assert m is not None and m.here == "Afghanistan"
    x, y, w, h = m.viewbox
    assert w / h == pytest.approx(1.6, rel=0.01)
    assert 8 < h < 25  # a country, not the world
    here = [c for c in m.countries if c["here"]]
    assert [c["name"] for c in here] == ["Afghanistan"]
    assert {"Iran", "Pakistan"} <= {c["name"] for c in m.countries}
    assert "Brazil" not in {c["name"] for c in m.countries}  # only what is in view
    (p,) = m.points
    px, py = float(p["x"]), float(p["y"])
    assert x < px < x + w and y < py < y + h
    assert px == pytest.approx(63.1289 * m.kx, abs=1e-3) and py == pytest.approx(-34.9873, abs=1e-3)
    assert worldmap.place_map(123.0, 10.0, "nowhere") is None


def test_world_map_points_and_paths() -> None:
    places = [worldmap.MapPlace(34.98, 63.13, "A", "/events/evt_1", 2),
              worldmap.MapPlace(48.85, 2.35, "B <b>", None, 8),
              worldmap.MapPlace(float("nan"), 0.0, "bad")]
    m = worldmap.world_map(places)
    assert [p["label"] for p in m.points] == ["B <b>", "A"]  # largest first, bad dropped
    assert float(m.points[0]["r"]) > float(m.points[1]["r"])
    assert "Antarctica" not in {c["name"] for c in m.countries}
    path = re.compile(r"^(M-?[\d.]+ -?[\d.]+l[-\d. ]+z)+$")
    assert all(path.match(c["d"]) for c in m.countries)


def test_rings_across_the_antimeridian_stay_continuous() -> None:
    fiji = next(c for c in worldmap.countries() if c.name == "Fiji")
    d = worldmap.world_map([]).countries
    fiji_d = next(c["d"] for c in d if c["name"] == "Fiji")
    for sub in fiji_d.split("M")[1:]:
        steps = [float(v) for v in sub.split("l")[1].rstrip("z").split()]
        assert max(abs(v) for v in steps[0::2]) < 180  # no jump across the whole map
    assert fiji.bbox[0] < -179 and fiji.bbox[2] > 179
