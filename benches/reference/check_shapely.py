#!/usr/bin/env python3
"""Reference: the whole `taonan-map check FILE.shp` job on the Python/GDAL stack.

Usage: check_shapely.py SHP [--boundary data/taonan_boundary.shp] [--runs 3]

Stages, each timed over --runs runs (after one untimed warm-up read), medians printed:
  load       pyogrio read of geometry + attributes (GBK via the .cpg), then pyproj
             EPSG:4529 -> EPSG:4490 of every vertex (get_coordinates + transform +
             set_coordinates; the Transformer is built outside the timed part)
  pairs      shapely 2 STRtree over all polygons, query(predicate='intersects'), i < j,
             vectorised intersection + area, keep area > 0, then the sliver rule
             (< 5 m2 or < 0.01 % of the smaller polygon), as overlaps_shapely.py does
  boundary   the 洮南市 boundary (data/taonan_boundary.shp, lon/lat CGCS2000 already, read
             outside the timed part) unioned and shapely.prepare()d; covers() for every
             polygon, difference() + area for the rest, then the same tolerance rule
  total      load + pairs + boundary, each run timed as a whole

Areas are planar in degrees², turned into m² by the local scale of the CGCS2000/WGS84
ellipsoid at each geometry's centroid latitude (M(phi) * N(phi) * cos(phi) * (pi/180)^2):
within ~1e-5 of the ellipsoidal areas taonan-map computes for polygons this small, enough to
apply the same 5 m2 / 0.01 % tolerances and compare the counts. The bundled plan layers
(a few dozen polygons) that the CLI also checks are left out; there is no conformance stage
here because the input is not a 采矿权 layer (taonan-map's conformance stage is empty for
it too).
"""
import argparse
import statistics
import time

import numpy as np
import pyogrio
import pyproj
import shapely
from pyproj import Transformer

A = 6378137.0
F = 1 / 298.257222101
E2 = F * (2 - F)
MIN_AREA_M2 = 5.0
MIN_SHARE = 1e-4

ap = argparse.ArgumentParser()
ap.add_argument("shp")
ap.add_argument("--boundary", default="data/taonan_boundary.shp")
ap.add_argument("--runs", type=int, default=3)
a = ap.parse_args()
print(f"GDAL {pyogrio.__gdal_version_string__}, PROJ {pyproj.proj_version_str}, "
      f"GEOS {shapely.geos_version_string}, shapely {shapely.__version__}, pyogrio {pyogrio.__version__}")

tr = Transformer.from_crs("EPSG:4529", "EPSG:4490", always_xy=True)
bdf = pyogrio.read_dataframe(a.boundary)
boundary = shapely.union_all(np.asarray(bdf.geometry.values))
print(f"boundary: {shapely.get_num_coordinates(boundary)} vertices, bounds "
      f"{np.round(shapely.bounds(boundary), 4).tolist()}")


def m2(geoms):
    """Planar degree² areas scaled to m² at each centroid's latitude."""
    phi = np.radians(shapely.get_y(shapely.centroid(geoms)))
    s = np.sin(phi)
    w = np.sqrt(1 - E2 * s * s)
    m = A * (1 - E2) / w**3
    n = A / w
    return shapely.area(geoms) * m * n * np.cos(phi) * (np.pi / 180) ** 2


def load():
    df = pyogrio.read_dataframe(a.shp)
    geoms = np.asarray(df.geometry.values)
    xy = shapely.get_coordinates(geoms)
    x, y = tr.transform(xy[:, 0], xy[:, 1])
    return df, shapely.set_coordinates(geoms.copy(), np.column_stack([x, y]))


def pairs(geoms, area):
    tree = shapely.STRtree(geoms)
    src, dst = tree.query(geoms, predicate="intersects")
    k = src < dst
    i, j = src[k], dst[k]
    inter = shapely.intersection(geoms[i], geoms[j])
    ia = m2(inter)
    k = ia > 0
    i, j, ia = i[k], j[k], ia[k]
    sliver = (ia < MIN_AREA_M2) | (ia < MIN_SHARE * np.minimum(area[i], area[j]))
    return int((~sliver).sum()), int(sliver.sum())


def boundary_rule(geoms, area):
    shapely.prepare(boundary)
    covered = shapely.covers(boundary, geoms)
    rest = np.flatnonzero(~covered)
    outside = shapely.difference(geoms[rest], boundary)
    oa = m2(outside)
    oa[shapely.is_empty(outside)] = 0.0
    small = (oa < MIN_AREA_M2) | (oa < MIN_SHARE * area[rest])
    found = ~small
    wholly = found & (area[rest] - oa <= MIN_AREA_M2)
    return {
        "findings": int(found.sum()),
        "wholly_outside": int(wholly.sum()),
        "crossing": int((found & ~wholly).sum()),
        "slivers": int((small & (oa > 0)).sum()),
        "outside_km2": float(oa[found].sum() / 1e6),
        "covered": int(covered.sum()),
    }


def job():
    t0 = time.perf_counter()
    df, geoms = load()
    t1 = time.perf_counter()
    area = m2(geoms)
    same, slivers = pairs(geoms, area)
    t2 = time.perf_counter()
    b = boundary_rule(geoms, area)
    t3 = time.perf_counter()
    return {"load": t1 - t0, "pairs": t2 - t1, "boundary": t3 - t2, "total": t3 - t0}, (
        len(df), same, slivers, b)


pyogrio.read_dataframe(a.shp)  # warm-up: files into the page cache
times = {k: [] for k in ("load", "pairs", "boundary", "total")}
result = None
for _ in range(a.runs):
    t, result = job()
    for k, v in t.items():
        times[k].append(v)
n, same, slivers, b = result
print(f"{n} polygons; same-layer pairs after slivers {same} (pair slivers {slivers})")
print(f"boundary: {b['findings']} findings ({b['wholly_outside']} wholly outside, "
      f"{b['crossing']} crossing), {b['slivers']} slivers, {b['covered']} covered; "
      f"outside {b['outside_km2']:.2f} km2 (planar, locally scaled)")
for k, v in times.items():
    print(f"{k:9} median {statistics.median(v):8.3f} s   runs {[round(x, 3) for x in v]}")
