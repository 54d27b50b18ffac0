//! Fixtures for the GeoPackage and DXF tests, written by the tests themselves: a GeoPackage
//! built with rusqlite following the GeoPackage 1.3 spec (its three required tables, geometry
//! blobs with the `GP` header and hand-encoded WKB), and DXF drawings as ASCII text.

#![allow(dead_code)]

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value as Sql;

/// A CGCS2000 3-degree zone-41 control point: easting (with its zone prefix), northing (m).
pub const CONTROL_E: f64 = 41_440_000.123;
/// Its northing (m).
pub const CONTROL_N: f64 = 5_060_000.456;

/// Hand-encoded WKB (little endian), independent of the reader's `wkb` crate.
pub mod wkb {
    fn head(t: u32) -> Vec<u8> {
        let mut b = vec![1u8];
        b.extend_from_slice(&t.to_le_bytes());
        b
    }
    fn coords(b: &mut Vec<u8>, pts: &[(f64, f64)], z: bool) {
        b.extend_from_slice(&(pts.len() as u32).to_le_bytes());
        for (x, y) in pts {
            b.extend_from_slice(&x.to_le_bytes());
            b.extend_from_slice(&y.to_le_bytes());
            if z {
                b.extend_from_slice(&123.5f64.to_le_bytes());
            }
        }
    }
    /// A Point.
    pub fn point(x: f64, y: f64) -> Vec<u8> {
        let mut b = head(1);
        b.extend_from_slice(&x.to_le_bytes());
        b.extend_from_slice(&y.to_le_bytes());
        b
    }
    /// An ISO Point Z (type 1001).
    pub fn point_z(x: f64, y: f64) -> Vec<u8> {
        let mut b = head(1001);
        for v in [x, y, 9.0] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b
    }
    /// A LineString.
    pub fn line(pts: &[(f64, f64)]) -> Vec<u8> {
        let mut b = head(2);
        coords(&mut b, pts, false);
        b
    }
    /// A Polygon (rings closed by the caller); `z` writes ISO Polygon Z (1003).
    pub fn polygon(rings: &[&[(f64, f64)]], z: bool) -> Vec<u8> {
        let mut b = head(if z { 1003 } else { 3 });
        b.extend_from_slice(&(rings.len() as u32).to_le_bytes());
        for r in rings {
            coords(&mut b, r, z);
        }
        b
    }
    /// A Multi* (4, 5, 6) or a GeometryCollection (7) of already-encoded parts.
    pub fn multi(t: u32, parts: &[Vec<u8>]) -> Vec<u8> {
        let mut b = head(t);
        b.extend_from_slice(&(parts.len() as u32).to_le_bytes());
        for p in parts {
            b.extend_from_slice(p);
        }
        b
    }
}

/// A GeoPackage geometry blob: `GP`, version 0, flags (little endian, envelope code), srs_id,
/// the envelope (minx, maxx, miny, maxy) when given, then the WKB.
pub fn gp_blob(srs_id: i32, envelope: Option<[f64; 4]>, wkb: &[u8]) -> Vec<u8> {
    let flags = 1u8 | if envelope.is_some() { 1 << 1 } else { 0 };
    let mut b = vec![b'G', b'P', 0, flags];
    b.extend_from_slice(&srs_id.to_le_bytes());
    for v in envelope.iter().flatten() {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(wkb);
    b
}

/// One feature table of a fixture GeoPackage.
pub struct Table<'a> {
    /// Table name.
    pub name: &'a str,
    /// Its srs_id.
    pub srs_id: i32,
    /// Geometry type name for gpkg_geometry_columns.
    pub geom_type: &'a str,
    /// Attribute columns: name and declared type.
    pub columns: &'a [(&'a str, &'a str)],
    /// Rows: geometry blob (or NULL) and one value per column.
    pub rows: Vec<(Option<Vec<u8>>, Vec<Sql>)>,
}

/// A spatial reference row: srs_id, name, organization, organization_coordsys_id, definition.
pub type Srs<'a> = (i32, &'a str, &'a str, i32, &'a str);

/// Write a GeoPackage at `path` with the spec's required tables, the three required
/// spatial reference rows (-1, 0, 4326), `srs` and `tables`.
pub fn write_gpkg(path: &Path, srs: &[Srs<'_>], tables: &[Table<'_>]) {
    let _ = std::fs::remove_file(path);
    let c = Connection::open(path).expect("create gpkg");
    c.execute_batch(
        "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
         CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
           definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '',
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,
           m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', NULL),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', NULL),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]', NULL);",
    )
    .expect("gpkg tables");
    for (id, name, org, code, def) in srs {
        c.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
            rusqlite::params![name, id, org, code, def],
        )
        .expect("srs");
    }
    for t in tables {
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let cols: String = t
            .columns
            .iter()
            .map(|(n, ty)| format!(", {} {ty}", q(n)))
            .collect();
        c.execute_batch(&format!(
            "CREATE TABLE {} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {}{cols});",
            q(t.name),
            t.geom_type
        ))
        .expect("feature table");
        c.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?1, 'features', ?1, ?2)",
            rusqlite::params![t.name, t.srs_id],
        )
        .expect("contents");
        c.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
            rusqlite::params![t.name, t.geom_type, t.srs_id],
        )
        .expect("geometry columns");
        let names: String = t
            .columns
            .iter()
            .map(|(n, _)| format!(", {}", q(n)))
            .collect();
        let marks: String = (0..t.columns.len())
            .map(|i| format!(", ?{}", i + 2))
            .collect();
        let sql = format!("INSERT INTO {} (geom{names}) VALUES (?1{marks})", q(t.name));
        for (blob, values) in &t.rows {
            let mut params: Vec<Sql> = vec![blob.clone().map(Sql::Blob).unwrap_or(Sql::Null)];
            params.extend(values.iter().cloned());
            c.execute(&sql, rusqlite::params_from_iter(params))
                .expect("row");
        }
    }
}

/// A DXF drawing as ASCII text: a HEADER (version, code page, units) and an ENTITIES section
/// holding `entities` (already written as group-code lines).
pub fn dxf_text(version: &str, units: i32, entities: &[String]) -> String {
    let mut s = format!(
        "  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\n{version}\n  9\n$DWGCODEPAGE\n  3\nANSI_936\n  9\n$INSUNITS\n 70\n{units}\n  0\nENDSEC\n  0\nSECTION\n  2\nENTITIES\n"
    );
    for e in entities {
        s.push_str(e);
    }
    s.push_str("  0\nENDSEC\n  0\nEOF\n");
    s
}

/// An LWPOLYLINE on `layer` through `pts` (x, y, bulge).
pub fn lwpolyline(layer: &str, pts: &[(f64, f64, f64)], closed: bool) -> String {
    let mut s = format!(
        "  0\nLWPOLYLINE\n  8\n{layer}\n 90\n{}\n 70\n{}\n",
        pts.len(),
        if closed { 1 } else { 0 }
    );
    for (x, y, b) in pts {
        s.push_str(&format!(" 10\n{x:.4}\n 20\n{y:.4}\n"));
        if *b != 0.0 {
            s.push_str(&format!(" 42\n{b}\n"));
        }
    }
    s
}

/// An old-style (R12) POLYLINE with VERTEX entities and a SEQEND.
pub fn polyline(layer: &str, pts: &[(f64, f64)], closed: bool) -> String {
    let mut s = format!(
        "  0\nPOLYLINE\n  8\n{layer}\n 66\n1\n 10\n0.0\n 20\n0.0\n 30\n0.0\n 70\n{}\n",
        if closed { 1 } else { 0 }
    );
    for (x, y) in pts {
        s.push_str(&format!(
            "  0\nVERTEX\n  8\n{layer}\n 10\n{x:.4}\n 20\n{y:.4}\n 30\n0.0\n"
        ));
    }
    s.push_str(&format!("  0\nSEQEND\n  8\n{layer}\n"));
    s
}

/// A POINT.
pub fn point(layer: &str, x: f64, y: f64) -> String {
    format!("  0\nPOINT\n  8\n{layer}\n 10\n{x:.4}\n 20\n{y:.4}\n 30\n0.0\n")
}

/// A LINE.
pub fn line(layer: &str, a: (f64, f64), b: (f64, f64)) -> String {
    format!(
        "  0\nLINE\n  8\n{layer}\n 10\n{:.4}\n 20\n{:.4}\n 30\n0.0\n 11\n{:.4}\n 21\n{:.4}\n 31\n0.0\n",
        a.0, a.1, b.0, b.1
    )
}

/// An INSERT of block `block`.
pub fn insert(layer: &str, block: &str, x: f64, y: f64) -> String {
    format!("  0\nINSERT\n  8\n{layer}\n  2\n{block}\n 10\n{x:.4}\n 20\n{y:.4}\n 30\n0.0\n")
}

/// A TEXT.
pub fn text(layer: &str, x: f64, y: f64, value: &str) -> String {
    format!("  0\nTEXT\n  8\n{layer}\n 10\n{x:.4}\n 20\n{y:.4}\n 30\n0.0\n 40\n2.5\n  1\n{value}\n")
}

/// An MTEXT.
pub fn mtext(layer: &str, x: f64, y: f64, value: &str) -> String {
    format!(
        "  0\nMTEXT\n  8\n{layer}\n 10\n{x:.4}\n 20\n{y:.4}\n 30\n0.0\n 40\n2.5\n  1\n{value}\n"
    )
}

/// Write text as GBK bytes (what a Chinese AutoCAD writes for code page ANSI_936).
pub fn write_gbk(path: &Path, text: &str) {
    let (bytes, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad, "GBK can write the fixture");
    std::fs::write(path, bytes).expect("write dxf");
}
