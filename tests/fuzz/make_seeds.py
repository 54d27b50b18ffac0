#!/usr/bin/env python3
"""Write the seed inputs of the fuzz targets into tests/fuzz/seeds/<target>/.

Run from the repository's top folder: `python3 tests/fuzz/make_seeds.py`. The seeds come from
the bundled data (data/*.shp sets), from the corner-list examples of the unit tests, from
assets/ (rules.toml, fields.csv) and from small files made here (a zip, an MBTiles and a
PMTiles archive, PNG/JPEG tiles). The fuzzers start from these seeds and keep what they find
in tests/fuzz/corpus/<target>/ (minimised with `cargo fuzz cmin`).
"""
import io, os, sqlite3, struct, tempfile, zipfile, zlib

SEP = b"\xff\xfeSEP\xfe\xff"
ROOT = os.getcwd()
OUT = os.path.join(ROOT, "tests", "fuzz", "seeds")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def png(w, h, rgba=(10, 200, 30, 255)):
    raw = b"".join(b"\x00" + bytes(rgba) * w for _ in range(h))
    def chunk(t, b):
        return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# Shapefile sets (small ones whole; the large ones cut to their first records).
data = os.path.join(ROOT, "data")
for stem in ["key_zones", "township_seats", "concentrated_zones", "mining_blocks", "exploration_blocks"]:
    p = lambda ext: os.path.join(data, stem + ext)
    shp, shx, dbf = read(p(".shp")), read(p(".shx")), read(p(".dbf"))
    prj = read(p(".prj")) if os.path.exists(p(".prj")) else b""
    cpg = read(p(".cpg")) if os.path.exists(p(".cpg")) else b""
    if len(shp) > 20000:
        continue
    put("shp_shx", stem, SEP.join([shp, shx, dbf, prj, cpg]))
    put("shp_shx", stem + "-alone", shp)
    put("dbf_cpg", stem, cpg + SEP + dbf)
    put("dbf_cpg", stem + "-nocpg", dbf)
    put("prj", stem, prj)
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for ext, b in [(".shp", shp), (".shx", shx), (".dbf", dbf), (".prj", prj), (".cpg", cpg)]:
            zf.writestr("成果/" + stem + ext, b)
        zf.writestr("拐点坐标.txt", "点号,X,Y\nJ1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\nJ3,5042250.75,41453600.30\n")
    put("zip", stem, z.getvalue())

# Corner lists, one per layout (selector byte first: 0..3 one layout, 4 detection + loader).
LAND = ("[属性描述]\n格式版本号=1.01\n坐标系=2000国家大地坐标系\n几度分带=3\n带号=41\n[地块坐标]\n"
        "9,1.2345,2201,洮南某采石场,面,L51G012034,采矿用地,0602,@\n"
        "J1,1,5043400.12,41452400.55\nJ2,1,5043400.12,41453600.30\nJ3,1,5042250.75,41453600.30\n"
        "J4,1,5042250.75,41452400.55\nJ1,1,5043400.12,41452400.55\nJ5,2,5043000.00,41452800.00\n"
        "J6,2,5043000.00,41453000.00\nJ7,2,5042800.00,41453000.00\nJ5,2,5043000.00,41452800.00\n")
TABLE = ("点号,X,Y,纬度,经度\nJ1,5043400.12,41452400.55,45°30′12.345″,122.304512\n"
         "J2,5043400.12,41453600.30,45:30:12.345,122.3046\nJ3,5042250.75,41453600.30,45 30 10,122.3046\n"
         "\n地块2\n1\t5030000\t41470000\n2\t5030000\t41471000\n3\t5029000\t41471000\n")
BLOCK = ("2,4,5043400.12,41452400.55,5043400.12,41453600.30,\n5042250.75,41453600.30，"
         "5042250.75,41452400.55,0,120,80,\n3,1,5043000,41452800,2,5043000,41453000,3,5042800,41453000,-1,,\n")
SEMI = "GDZB=5043400.12,41452400.55;5043400.12,41453600.30；5042250.75,41453600.30;\n"
for i, text in enumerate([TABLE, LAND, BLOCK, SEMI]):
    put("corners", f"layout{i}", bytes([i]) + text.encode())
    put("corners", f"loader{i}", bytes([4]) + text.encode())
    put("corners", f"loader{i}-gbk", bytes([4]) + text.encode("gb18030"))
put("corners", "zone-prefix-lost", bytes([4]) + TABLE.replace("41453600.30", "53600.30", 1).encode())

# Offline tile files (selector byte: even MBTiles, odd PMTiles).
tile = png(4, 4)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "t.mbtiles")
    c = sqlite3.connect(path)
    c.execute("CREATE TABLE metadata (name text, value text)")
    c.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    c.executemany("INSERT INTO metadata VALUES (?, ?)", [("minzoom", "0"), ("maxzoom", "2"), ("format", "png")])
    for z, x, y in [(0, 0, 0), (1, 1, 0), (2, 3, 0)]:
        c.execute("INSERT INTO tiles VALUES (?,?,?,?)", (z, x, (1 << z) - 1 - y, tile))
    c.commit()
    c.execute("VACUUM")
    c.close()
    put("tile_files", "small.mbtiles", b"\x00" + read(path))


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


# PMTiles v3: header, root directory (tile ids 0 and 1), no metadata, tile data.
ids = [0, 1, 2]
root = varint(len(ids)) + b"".join(varint(d) for d in [0, 1, 1]) + b"".join(varint(1) for _ in ids)
root += b"".join(varint(len(tile)) for _ in ids) + varint(1) + varint(0) + varint(0)
meta = b"{}"
hdr_len = 127
root_off, meta_off = hdr_len, hdr_len + len(root)
data_off = meta_off + len(meta)
header = b"PMTiles" + bytes([3]) + struct.pack(
    "<QQQQQQQQQQQ", root_off, len(root), meta_off, len(meta), 0, 0, data_off, len(tile), 3, 3, 1)
header += bytes([1, 1, 1, 2, 0, 1])  # clustered, internal/tile compression none, png, zooms 0..1
header += struct.pack("<iiiiBiI", -1800000000, -850000000, 1800000000, 850000000, 0, 0, 0)[:127 - len(header)]
header = header.ljust(127, b"\x00")
put("tile_files", "small.pmtiles", b"\x01" + header + root + meta + tile)

# Tile images.
put("tile_image", "4x4.png", png(4, 4))
put("tile_image", "256.png", png(256, 256, (0, 0, 0, 0)))
put("tile_image", "error-page.html", b"<html><body>403 Forbidden</body></html>")
jpeg = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912"
    "130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001"
    "000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303"
    "020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282"
    "090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a7374757677"
    "78797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3"
    "d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")
put("tile_image", "1x1.jpg", jpeg)

# The user's files (selector byte: 0 config.toml, 1 rules.toml, 2 fields.csv, 3 session).
put("settings", "config", b"\x00" + b'tianditu_tk = "0123456789abcdef"\nxyz_template = "https://tile.example/{z}/{x}/{y}.png"\ntile_cache_mb = 512\n')
put("settings", "rules", b"\x01" + read(os.path.join(ROOT, "assets", "rules.toml")))
put("settings", "fields", b"\x02" + read(os.path.join(ROOT, "assets", "fields.csv")))
put("settings", "session", b"\x03" + '{"lang":"zh","view":[122.8,45.3,9.0],"files":[{"path":"测绘成果/采矿权.shp","encoding":"GBK","epsg":4529,"swap_xy":false,"color":[1,2,3,255],"hidden":false,"kind":"mining"}],"recent":["a.shp"],"last_dir":"报件","basemap":"local:/x.mbtiles","tile_files":["/x.mbtiles"],"hidden_bundled":["key_zones"]}'.encode())
