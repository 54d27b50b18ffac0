#!/usr/bin/env python3
"""Reference: (a) read geometry + attributes with geopandas/pyogrio (GBK via .cpg),
(b) reproject all vertices EPSG:4529 -> EPSG:4490 and -> EPSG:4326 with pyproj.

Usage: ref_read_reproject.py SHP [--runs 5]
Timed (b) = get_coordinates + Transformer.transform + set_coordinates (transformer built outside).
"""
import argparse, statistics, time
import numpy as np
import geopandas as gpd, pyogrio, pyproj, shapely
from pyproj import Transformer

ap = argparse.ArgumentParser()
ap.add_argument("shp")
ap.add_argument("--runs", type=int, default=5)
a = ap.parse_args()
print(f"GDAL {pyogrio.__gdal_version_string__}, PROJ {pyproj.proj_version_str}, "
      f"GEOS {shapely.geos_version_string}, geopandas {gpd.__version__}, pyogrio {pyogrio.__version__}")

def med(label, fn):
    ts = []
    for _ in range(a.runs):
        t0 = time.perf_counter(); res = fn(); ts.append(time.perf_counter() - t0)
    print(f"{label}: median {statistics.median(ts):.4f} s  (runs {[round(t, 4) for t in ts]})")
    return res

# (a) read; one untimed warm-up read puts the files in page cache
gpd.read_file(a.shp, engine="pyogrio")
gdf = med("(a) read_file(engine='pyogrio')", lambda: gpd.read_file(a.shp, engine="pyogrio"))
name0 = gdf["NAME"].iloc[0]
assert any("\u4e00" <= ch <= "\u9fff" for ch in name0), f"NAME not decoded as Chinese: {name0!r}"
print(f"    rows {len(gdf)}, columns {list(gdf.columns)}, crs EPSG:{gdf.crs.to_epsg()}")
print(f"    NAME[0] = {name0}")

# (b) reproject
geoms = gdf.geometry.values._data if hasattr(gdf.geometry.values, "_data") else np.asarray(gdf.geometry.values)
nv = len(shapely.get_coordinates(geoms))
print(f"    vertices {nv}")
for epsg in (4490, 4326):
    tr = Transformer.from_crs("EPSG:4529", f"EPSG:{epsg}", always_xy=True)
    def job():
        xy = shapely.get_coordinates(geoms)
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return shapely.set_coordinates(geoms.copy(), np.column_stack([x, y]))
    out = med(f"(b) reproject 4529->{epsg} (get+transform+set)", job)
    xy = shapely.get_coordinates(geoms)
    med(f"    transform only 4529->{epsg}", lambda: tr.transform(xy[:, 0], xy[:, 1]))
    b = shapely.total_bounds(out)
    print(f"    lon/lat bounds {b.round(5).tolist()}")
