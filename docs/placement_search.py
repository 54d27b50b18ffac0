#!/usr/bin/env python3
"""Schematic placement of the 27 zones of the Taonan mineral plan (2021-2025).

Geometry is SCHEMATIC: the plan publishes no coordinates. Each zone is an axis-aligned
rectangle in CGCS2000 / 3-degree GK zone 41 (EPSG:4529), X = northing, Y = easting (41 prefix).

  python place.py            verify the hard-coded table PLACEMENT and print the report
  python place.py --search   greedy designer that proposes centres (used to pick PLACEMENT)
  python place.py --plot     also write placement.png
"""
import csv, json, math, sys
from pyproj import Transformer, Geod
from shapely.geometry import shape, Point, Polygon, box
import shapely

import os
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'sources')
# ---------------------------------------------------------------- GCJ-02 -> WGS84
A = 6378245.0
EE = 0.00669342162296594323

def _tlat(x, y):
    r = -100.0 + 2.0*x + 3.0*y + 0.2*y*y + 0.1*x*y + 0.2*math.sqrt(abs(x))
    r += (20.0*math.sin(6.0*x*math.pi) + 20.0*math.sin(2.0*x*math.pi)) * 2.0/3.0
    r += (20.0*math.sin(y*math.pi) + 40.0*math.sin(y/3.0*math.pi)) * 2.0/3.0
    r += (160.0*math.sin(y/12.0*math.pi) + 320.0*math.sin(y*math.pi/30.0)) * 2.0/3.0
    return r

def _tlon(x, y):
    r = 300.0 + x + 2.0*y + 0.1*x*x + 0.1*x*y + 0.1*math.sqrt(abs(x))
    r += (20.0*math.sin(6.0*x*math.pi) + 20.0*math.sin(2.0*x*math.pi)) * 2.0/3.0
    r += (20.0*math.sin(x*math.pi) + 40.0*math.sin(x/3.0*math.pi)) * 2.0/3.0
    r += (150.0*math.sin(x/12.0*math.pi) + 300.0*math.sin(x/30.0*math.pi)) * 2.0/3.0
    return r

def wgs_to_gcj(lon, lat):
    dlat = _tlat(lon - 105.0, lat - 35.0)
    dlon = _tlon(lon - 105.0, lat - 35.0)
    rl = lat / 180.0 * math.pi
    m = 1 - EE * math.sin(rl)**2
    s = math.sqrt(m)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (m * s) * math.pi)
    dlon = (dlon * 180.0) / (A / s * math.cos(rl) * math.pi)
    return lon + dlon, lat + dlat

def gcj_to_wgs(glon, glat, tol=1e-9, maxit=100):
    lon, lat = glon, glat
    for _ in range(maxit):
        flon, flat = wgs_to_gcj(lon, lat)
        nlon, nlat = lon - (flon - glon), lat - (flat - glat)
        done = abs(nlon - lon) < tol and abs(nlat - lat) < tol
        lon, lat = nlon, nlat
        if done:
            break
    return lon, lat

# ---------------------------------------------------------------- CRS
TO_GK = Transformer.from_crs(4490, 4529, always_xy=True)    # lon,lat -> easting(Y), northing(X)
TO_LL = Transformer.from_crs(4529, 4490, always_xy=True)
GEOD = Geod(ellps='GRS80')

def load_boundary():
    g = json.load(open(f'{SRC}/admin-boundaries-gcj02/220881.geojson'))
    gcj = shape(g)
    wgs = shapely.transform(gcj, lambda a: [gcj_to_wgs(x, y) for x, y in a])
    gk = shapely.transform(wgs, lambda a: list(zip(*TO_GK.transform(a[:, 0], a[:, 1]))))
    return wgs, gk

def load_seats():
    seats = {}
    for r in csv.DictReader(open(f'{SRC}/townships-gcj02.csv', encoding='utf-8')):
        if r['code'] in ('220881000000', '220881001000'):   # city row, 团结街道办事处
            continue
        name = r['name'].split('(')[0]
        lon, lat = gcj_to_wgs(float(r['lon_gcj02']), float(r['lat_gcj02']))
        e, n = TO_GK.transform(lon, lat)
        seats[name] = dict(code=r['code'], lon=lon, lat=lat, E=e, N=n, raw=r['name'])
    return seats

# ---------------------------------------------------------------- zones
# id, township, area km2, aspect w/h (w along easting), container id or None
ZONES = [
    ('Z1', '万宝乡', 8.20, None), ('Z2', '万宝镇', 10.02, None), ('Z3', '蛟流河乡', 19.89, None),
    ('CS001', '瓦房镇', 1.08, None), ('CS002', '蛟流河乡', 29.617, None),
    ('E1', '万宝镇', 23.28, None), ('E2', '胡力吐蒙古族乡', 23.28, None), ('E3', '万宝镇', 23.28, None),
    ('E4', '野马乡', 23.28, None), ('E5', '野马乡', 23.28, None),
    ('M1', '万宝镇', 3.0, 'Z2'), ('M2', '蛟流河乡', 3.0, 'Z3'), ('M3', '那金镇', 0.50, None),
    ('M4', '野马乡', 0.20, None),
    ('M5', '野马乡', 0.15, None), ('M6', '野马乡', 0.15, None), ('M7', '蛟流河乡', 0.15, None),
    ('M8', '蛟流河乡', 0.15, None), ('M9', '东升乡', 0.15, None), ('M10', '瓦房镇', 0.15, None),
    ('M11', '永茂乡', 0.30, None), ('M12', '永茂乡', 0.30, None), ('M13', '永茂乡', 0.30, None),
    ('M14', '大通乡', 0.30, None), ('M15', '大通乡', 0.30, None),
    ('M16', '蛟流河乡', 0.30, 'CS002'), ('M17', '蛟流河乡', 0.30, 'CS002'),
]
ZD = {z[0]: z for z in ZONES}

# PLACEMENT: id -> (centre X northing, centre Y easting with 41 prefix, aspect w:h)
PLACEMENT = {
    'Z1': (5083900, 41414100, 1.0),
    'Z2': (5074300, 41408400, 1.0),
    'Z3': (5034800, 41455000, 1.0),
    'CS001': (5064100, 41451800, 1.0),
    'CS002': (5043400, 41453200, 1.0),
    'E1': (5069300, 41406000, 1.0),
    'E2': (5089700, 41415100, 1.0),
    'E3': (5070300, 41413400, 1.0),
    'E4': (5058600, 41426700, 1.0),
    'E5': (5066800, 41424100, 1.0),
    'M1': (5074300, 41408400, 1.0),
    'M2': (5034800, 41455000, 1.0),
    'M3': (5070200, 41433000, 1.0),
    'M4': (5065900, 41428300, 1.0),
    'M5': (5063200, 41430000, 1.0),
    'M6': (5062700, 41424000, 1.0),
    'M7': (5038900, 41452800, 1.0),
    'M8': (5041500, 41457600, 1.0),
    'M9': (5078600, 41419500, 1.0),
    'M10': (5059400, 41450500, 1.0),
    'M11': (5055200, 41447000, 1.0),
    'M12': (5053900, 41450700, 1.0),
    'M13': (5052300, 41445100, 1.0),
    'M14': (5023200, 41462300, 1.0),
    'M15': (5027100, 41466400, 1.0),
    'M16': (5043400, 41452400, 1.0),
    'M17': (5043400, 41454000, 1.0),
}

# ---------------------------------------------------------------- geometry helpers
def rect(cx_n, cy_e, w, h):
    return box(cy_e - w/2, cx_n - h/2, cy_e + w/2, cx_n + h/2)

def ell_area_km2(poly_gk):
    xs, ys = poly_gk.exterior.coords.xy
    lon, lat = TO_LL.transform(list(xs), list(ys))
    return abs(GEOD.polygon_area_perimeter(lon, lat)[0]) / 1e6

def size_for(cx_n, cy_e, area, aspect):
    """w (easting), h (northing) for the 4-corner rectangle to have `area` km2 on GRS80, 2 dp."""
    h = math.sqrt(area * 1e6 / aspect)
    for _ in range(6):
        a = ell_area_km2(rect(cx_n, cy_e, aspect*h, h))
        h *= math.sqrt(area / a)
    w, h = round(aspect*h, 2), round(h, 2)
    return w, h

def seat_rank(seats, e, n):
    d = sorted((math.hypot(s['E']-e, s['N']-n), k) for k, s in seats.items())
    return d

# ---------------------------------------------------------------- verification
MIN_BND = 500.0; MIN_MARGIN = 1500.0; MIN_GAP = 300.0; MIN_NEST = 300.0

def build(seats):
    out = {}
    for zid, town, area, cont in ZONES:
        cx, cy, asp = PLACEMENT[zid]
        w, h = size_for(cx, cy, area, asp)
        r = rect(cx, cy, w, h)
        out[zid] = dict(id=zid, town=town, area_t=area, cont=cont, X=cx, Y=cy, asp=asp, w=w, h=h, geom=r,
                        area=ell_area_km2(r))
    return out

def verify(Z, seats, bnd_gk):
    errs = []; warns = []
    bline = bnd_gk.boundary
    for z in Z.values():
        r = z['geom']
        z['bdist'] = bline.distance(r) if bnd_gk.contains(r) else -1
        if not bnd_gk.contains(r) or z['bdist'] < MIN_BND:
            errs.append(f"{z['id']}: boundary distance {z['bdist']:.0f} m")
        c = r.centroid
        rk = seat_rank(seats, c.x, c.y)
        z['rank'] = rk
        if rk[0][1] != z['town']:
            errs.append(f"{z['id']}: nearest seat {rk[0][1]} != {z['town']}")
        elif rk[1][0] - rk[0][0] < MIN_MARGIN:
            errs.append(f"{z['id']}: seat margin {rk[1][0]-rk[0][0]:.0f} m")
        if abs(z['area'] - z['area_t']) / z['area_t'] > 0.001:
            errs.append(f"{z['id']}: area {z['area']:.6f} vs {z['area_t']}")
        if z['X'] % 100 or z['Y'] % 100:
            errs.append(f"{z['id']}: centre not on 100 m")
        for k, s in seats.items():
            if r.intersects(Point(s['E'], s['N']).buffer(300)):
                warns.append(f"{z['id']}: within 300 m of / covers seat {k}")
        d = rk[0][0] if rk[0][1] == z['town'] else math.hypot(seats[z['town']]['E']-c.x, seats[z['town']]['N']-c.y)
        if d > 8000 or d < 2000:
            warns.append(f"{z['id']}: centroid {d/1000:.2f} km from own seat")
    ids = list(Z)
    for i, a in enumerate(ids):
        for b in ids[i+1:]:
            A_, B_ = Z[a], Z[b]
            if A_['cont'] == b or B_['cont'] == a:
                inner, outer = (A_, B_) if A_['cont'] == b else (B_, A_)
                cl = outer['geom'].exterior.distance(inner['geom'])
                if not outer['geom'].contains(inner['geom']) or cl < MIN_NEST:
                    errs.append(f"{inner['id']} not inside {outer['id']} with {MIN_NEST} m (clearance {cl:.0f})")
                inner['nest_clear'] = cl
            else:
                g = A_['geom'].distance(B_['geom'])
                if g < MIN_GAP:
                    errs.append(f"{a}-{b}: gap {g:.0f} m")
    # min gap per zone (non-nested)
    for a in ids:
        gs = [(Z[a]['geom'].distance(Z[b]['geom']), b) for b in ids if b != a and Z[a]['cont'] != b and Z[b]['cont'] != a]
        Z[a]['mingap'] = min(gs)
    return errs, warns

# ---------------------------------------------------------------- greedy designer
ASPECTS = [1.0, 1.5, 1/1.5, 2.0, 0.5]

def search(seats, bnd_gk, order=None, fixed=None):
    inner_bnd = bnd_gk.buffer(-MIN_BND - 150)
    shapely.prepare(inner_bnd)
    placed = dict(fixed or {})
    geoms = {}
    for zid, (cx, cy, asp) in placed.items():
        w, h = size_for(cx, cy, ZD[zid][2], asp); geoms[zid] = rect(cx, cy, w, h)
    order = order or [z[0] for z in sorted(ZONES, key=lambda z: (z[3] is not None, -z[2]))]
    for zid in order:
        if zid in placed:
            continue
        _, town, area, cont = ZD[zid]
        s = seats[town]
        best = None
        for asp in ASPECTS:
            w, h = size_for(s['N'], s['E'], area, asp)
            big = area > 1.0
            tgt = max(2500.0, 0.5*math.hypot(w, h) + 1200) if big else 3000.0
            if cont:
                C = geoms[cont]; x0, y0, x1, y1 = C.bounds
                rng_e = range(int(x0//100)*100, int(x1//100+1)*100, 100)
                rng_n = range(int(y0//100)*100, int(y1//100+1)*100, 100)
            else:
                rng_e = range(int(s['E']//100)*100 - 9000, int(s['E']//100)*100 + 9001, 100 if not big else 200)
                rng_n = range(int(s['N']//100)*100 - 9000, int(s['N']//100)*100 + 9001, 100 if not big else 200)
            for e in rng_e:
                for n in rng_n:
                    d = math.hypot(e - s['E'], n - s['N'])
                    if not cont and (d > 8000 or d < 2000):
                        continue
                    rk = seat_rank(seats, e, n)
                    if rk[0][1] != town:
                        continue
                    marg = rk[1][0] - rk[0][0]
                    if marg < MIN_MARGIN + 300:
                        continue
                    r = rect(n, e, w, h)
                    if cont:
                        if geoms[cont].exterior.distance(r) < MIN_NEST + 100 or not geoms[cont].contains(r):
                            continue
                        sib = [geoms[k] for k in geoms if ZD[k][3] == cont]
                        if any(g.distance(r) < 300 for g in sib):
                            continue
                        sc = min(marg, 4000)/1000.0 - 0.0002*math.hypot(e-geoms[cont].centroid.x, n-geoms[cont].centroid.y)
                    else:
                        if not inner_bnd.contains(r):
                            continue
                        if any(r.distance(Point(t['E'], t['N'])) < 500 for t in seats.values()):
                            continue
                        gaps = [r.distance(g) for k, g in geoms.items()]
                        if gaps and min(gaps) < MIN_GAP + 200:
                            continue
                        bd = bnd_gk.boundary.distance(r)
                        mg = min(gaps) if gaps else 5000
                        sc = (min(marg, 4000)/1000.0 + min(bd, 2500)/1000.0 + min(mg, 1500)/1500.0
                              - abs(d - tgt)/1500.0 - (0.3 if asp not in (1.0,) else 0))
                    if best is None or sc > best[0]:
                        best = (sc, n, e, asp, r)
        if best is None:
            print('NO PLACE for', zid); continue
        placed[zid] = (best[1], best[2], best[3]); geoms[zid] = best[4]
        print(f"    '{zid}': ({best[1]}, {best[2]}, {best[3]:.4f}),  # score {best[0]:.2f}")
    return placed

def plot(Z, seats, bnd_gk, fn='placement.png'):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    plt.rcParams['font.sans-serif'] = ['Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'DejaVu Sans']
    fig, ax = plt.subplots(figsize=(14, 12))
    for p in getattr(bnd_gk, 'geoms', [bnd_gk]):
        ax.plot(*p.exterior.xy, 'k-', lw=0.8)
    for k, s in seats.items():
        ax.plot(s['E'], s['N'], 'r^'); ax.annotate(s['code'][-6:-3], (s['E'], s['N']), fontsize=7)
    for z in Z.values():
        ax.plot(*z['geom'].exterior.xy, '-', lw=1)
        ax.annotate(z['id'], (z['Y'], z['X']), fontsize=7, ha='center')
    ax.set_aspect('equal'); fig.savefig(fn, dpi=90)

def main():
    wgs, bnd_gk = load_boundary()
    seats = load_seats()
    if '--search' in sys.argv:
        search(seats, bnd_gk); return
    Z = build(seats)
    errs, warns = verify(Z, seats, bnd_gk)
    print('id     township        X(N)      Y(E)        w_E        h_N    km2_ell   nearest(km)       second(km)        bnd_km gap_km')
    for z in Z.values():
        r0, r1 = z['rank'][0], z['rank'][1]
        print(f"{z['id']:6} {z['town']:8}\t{z['X']:.0f} {z['Y']:.0f} {z['w']:10.2f} {z['h']:10.2f} {z['area']:9.4f}  "
              f"{r0[1]} {r0[0]/1000:.2f}  {r1[1]} {r1[0]/1000:.2f}  {z['bdist']/1000:.2f} {z['mingap'][0]/1000:.2f}"
              + (f" nest {z['nest_clear']:.0f}" if 'nest_clear' in z else ''))
    print('\nseats WGS84:'); [print(f"  {k} {s['lon']:.6f} {s['lat']:.6f}  X={s['N']:.0f} Y={s['E']:.0f}") for k, s in seats.items()]
    b = wgs.bounds
    print(f"boundary WGS84 bbox lon {b[0]:.6f}..{b[2]:.6f} lat {b[1]:.6f}..{b[3]:.6f}; "
          f"ellipsoidal area {abs(GEOD.geometry_area_perimeter(wgs)[0])/1e6:.2f} km2")
    print('\nWARN:', *warns, sep='\n  ') if warns else print('\nno warnings')
    print('ERRORS:', *errs, sep='\n  ') if errs else print('ALL CONSTRAINTS OK')
    if '--plot' in sys.argv:
        plot(Z, seats, bnd_gk)
    return 1 if errs else 0

if __name__ == '__main__':
    sys.exit(main())
