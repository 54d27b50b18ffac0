#!/usr/bin/env python3
"""Reference: all overlapping pairs + intersection areas (shapely 2 STRtree).

Usage: ref_overlaps.py STEM (the M file without .shp) [--runs 5] [--json OUT.json]
Reading (pyshp -> shapely) is outside the timed part. Timed: STRtree build + query
(predicate='intersects', i<j) + vectorised intersection + area, keep area > 0.
"""
import argparse, json, statistics, time
import numpy as np
import shapefile, shapely
from shapely.geometry import shape

ap = argparse.ArgumentParser()
ap.add_argument("stem")
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--json", default=None, help="default: STEM_pairs.json")
a = ap.parse_args()

with shapefile.Reader(a.stem, encoding="gbk") as r:
    geoms = np.array([shape(s.__geo_interface__) for s in r.iterShapes()], dtype=object)
print(f"read {len(geoms)} polygons; all valid: {bool(shapely.is_valid(geoms).all())}")

def job(geoms):
    tree = shapely.STRtree(geoms)
    src, dst = tree.query(geoms, predicate="intersects")
    m = src < dst
    i, j = src[m], dst[m]
    area = shapely.area(shapely.intersection(geoms[i], geoms[j]))
    k = area > 0
    return i[k], j[k], area[k]

times = []
for _ in range(a.runs):
    t0 = time.perf_counter()
    i, j, area = job(geoms)
    times.append(time.perf_counter() - t0)

order = np.lexsort((j, i))
i, j, area = i[order], j[order], area[order]
print(f"pairs with area>0: {len(i)}")
print(f"total intersection area: {area.sum() / 1e6:.4f} km2")
print(f"times: {[round(t, 4) for t in times]}")
print(f"median time ({a.runs} runs): {statistics.median(times):.4f} s")

out = a.json or f"{a.stem}_pairs.json"
with open(out, "w") as f:
    json.dump([[int(x), int(y), round(float(z), 6)] for x, y, z in zip(i, j, area)], f)
print(f"wrote {out}")
