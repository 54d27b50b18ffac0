//! GeoPackage (OGC 12-128r18, version 1.3): one feature table in a new SQLite file.
//!
//! The file has the GeoPackage `application_id` ("GPKG") and `user_version` 10300, the
//! required `gpkg_spatial_ref_sys` rows (-1, 0, EPSG:4326) plus the table's CRS (EPSG:4490 by
//! default; its definition is PROJ's WKT 1), `gpkg_contents` with the table's extent, and
//! `gpkg_geometry_columns`. The table is `fid INTEGER PRIMARY KEY AUTOINCREMENT`, `geom`
//! (the geometry type when all rows share it, else `GEOMETRY`), then one column per field,
//! `INTEGER`, `REAL` or `TEXT` from the values ([`FieldKind`]). A geometry is a GeoPackage
//! binary: the `GP` header (version 0, little-endian, an XY envelope, the empty flag for an
//! empty geometry) and the ISO WKB of the `wkb` crate. No spatial index (an optional
//! extension). The SQLite file is written under a temporary name and renamed when closed.

use std::path::Path;

use geo::{BoundingRect, Geometry};
use rusqlite::{Connection, params, types::Value as Sql};

use super::table::{FieldKind, Table, is_empty, normalized};
use super::{Written, atomic::FileSet};
use crate::model::Value;

/// The geometry type name of a geometry (after [`normalized`]).
fn type_name(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "POINT",
        Geometry::LineString(_) | Geometry::Line(_) => "LINESTRING",
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => "POLYGON",
        Geometry::MultiPoint(_) => "MULTIPOINT",
        Geometry::MultiLineString(_) => "MULTILINESTRING",
        Geometry::MultiPolygon(_) => "MULTIPOLYGON",
        Geometry::GeometryCollection(_) => "GEOMETRYCOLLECTION",
    }
}

/// A GeoPackage geometry blob: `GP` header with envelope, then WKB (little-endian).
pub fn blob(g: &Geometry<f64>, srs_id: i32) -> Result<Vec<u8>, String> {
    let g = normalized(g);
    let empty = is_empty(&g);
    let env = if empty { None } else { g.bounding_rect() };
    // flags: bit 0 little-endian, bits 1–3 envelope (1: xy), bit 4 empty.
    let flags = 1u8 | if env.is_some() { 1 << 1 } else { 0 } | if empty { 1 << 4 } else { 0 };
    let mut out = vec![b'G', b'P', 0, flags];
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some(r) = env {
        for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    let opts = wkb::writer::WriteOptions {
        endianness: wkb::Endianness::LittleEndian,
    };
    wkb::writer::write_geometry(&mut out, g.as_ref(), &opts).map_err(|e| e.to_string())?;
    Ok(out)
}

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Column names: unique case-insensitively and different from `fid` and `geom`.
fn column_names(fields: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(fields.len());
    for f in fields {
        let base = if f.trim().is_empty() {
            "field".to_string()
        } else {
            f.clone()
        };
        let mut name = base.clone();
        let mut n = 2;
        while ["fid", "geom"]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&name))
            || out.iter().any(|o| o.eq_ignore_ascii_case(&name))
        {
            name = format!("{base}_{n}");
            n += 1;
        }
        out.push(name);
    }
    out
}

/// Write `table` to a new GeoPackage at `path`; `force`: replace an existing file.
pub fn write(table: &Table, path: &Path, force: bool) -> Result<Written, crate::text::Text> {
    let mut set = FileSet::new(force);
    let tmp = set.member_path(path)?;
    // SQLite's messages have one wording.
    let err = |e: rusqlite::Error| super::atomic::failed(path, &e);
    {
        let mut db = Connection::open(&tmp).map_err(err)?;
        fill(&mut db, table).map_err(|e| super::atomic::failed(path, &e))?;
        db.close().map_err(|(_, e)| err(e))?;
    }
    let files = set.commit()?;
    Ok(Written {
        files,
        rows: table.len,
        notes: Vec::new(),
    })
}

/// The feature table's name: the layer's, or `layer` when it has none.
fn table_name(table: &Table) -> String {
    if table.name.trim().is_empty() {
        "layer".into()
    } else {
        table.name.clone()
    }
}

fn fill(db: &mut Connection, table: &Table) -> Result<(), String> {
    let srs = i32::try_from(table.epsg).map_err(|_| "EPSG code out of range".to_string())?;
    let sql = |e: rusqlite::Error| e.to_string();
    metadata_tables(db, srs)?;
    let kinds = table.field_kinds();
    let columns = column_names(&table.fields);
    let (geometry_type, extent) = scan(table);
    let plain = table_name(table);
    let name = quote(&plain);
    let cols: String = columns
        .iter()
        .zip(&kinds)
        .map(|(c, k)| {
            let t = match k {
                FieldKind::Integer => "INTEGER",
                FieldKind::Real => "REAL",
                FieldKind::Text => "TEXT",
            };
            format!(", {} {t}", quote(c))
        })
        .collect();
    let tx = db.transaction().map_err(sql)?;
    tx.execute_batch(&format!(
        "CREATE TABLE {name} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_type}{cols});"
    ))
    .map_err(sql)?;
    let (mx, my, xx, xy) = extent.map_or((None, None, None, None), |r| {
        (
            Some(r.min().x),
            Some(r.min().y),
            Some(r.max().x),
            Some(r.max().y),
        )
    });
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6)",
        params![plain, mx, my, xx, xy, srs],
    )
    .map_err(sql)?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![plain, geometry_type, srs],
    )
    .map_err(sql)?;
    insert_rows(&tx, table, &columns, &kinds, srs)?;
    tx.commit().map_err(sql)
}

/// The GeoPackage's own tables, with the required CRS rows and the table's CRS.
fn metadata_tables(db: &Connection, srs: i32) -> Result<(), String> {
    let sql = |e: rusqlite::Error| e.to_string();
    let definition = crate::crs::wkt_of(srs.unsigned_abs(), false).map_err(|e| e.to_string())?;
    let wgs84 = crate::crs::wkt_of(4326, false).map_err(|e| e.to_string())?;
    db.execute_batch(SCHEMA).map_err(sql)?;
    let ins_srs =
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?1, ?2, 'EPSG', ?2, ?3, NULL)";
    db.execute(ins_srs, params!["WGS 84 geodetic", 4326, wgs84])
        .map_err(sql)?;
    db.execute(ins_srs, params![format!("EPSG:{srs}"), srs, definition])
        .map_err(sql)?;
    Ok(())
}

/// The geometry type of the column (one type, else `GEOMETRY`) and the extent of the rows.
fn scan(table: &Table) -> (&'static str, Option<geo::Rect<f64>>) {
    let mut types: Vec<&'static str> = Vec::new();
    let mut extent: Option<geo::Rect<f64>> = None;
    for r in table.rows() {
        let g = normalized(&r.geometry);
        if is_empty(&g) {
            continue;
        }
        let t = type_name(&g);
        if !types.contains(&t) {
            types.push(t);
        }
        if let Some(b) = g.bounding_rect() {
            extent = Some(extent.map_or(b, |e| crate::model::union_rect(e, b)));
        }
    }
    let geometry_type = match types.as_slice() {
        [one] => *one,
        _ => "GEOMETRY",
    };
    (geometry_type, extent)
}

fn insert_rows(
    tx: &rusqlite::Transaction,
    table: &Table,
    columns: &[String],
    kinds: &[FieldKind],
    srs: i32,
) -> Result<(), String> {
    let sql = |e: rusqlite::Error| e.to_string();
    let marks: String = (0..columns.len())
        .map(|i| format!(", ?{}", i + 2))
        .collect();
    let names: String = columns.iter().map(|c| format!(", {}", quote(c))).collect();
    let mut stmt = tx
        .prepare(&format!(
            "INSERT INTO {} (geom{names}) VALUES (?1{marks})",
            quote(&table_name(table))
        ))
        .map_err(sql)?;
    for r in table.rows() {
        let mut values: Vec<Sql> = Vec::with_capacity(columns.len() + 1);
        values.push(if is_empty(&r.geometry) {
            Sql::Null
        } else {
            Sql::Blob(blob(&r.geometry, srs)?)
        });
        for (v, k) in r.values.iter().zip(kinds) {
            values.push(match (v, k) {
                (Value::Null, _) => Sql::Null,
                (Value::Number(n), FieldKind::Integer) => Sql::Integer(*n as i64),
                (Value::Number(n), FieldKind::Real) => Sql::Real(*n),
                (v, _) => Sql::Text(v.display()),
            });
        }
        stmt.execute(rusqlite::params_from_iter(values))
            .map_err(sql)?;
    }
    Ok(())
}

/// The GeoPackage tables (OGC 12-128r18, 1.3) and the two undefined CRS rows.
const SCHEMA: &str = "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
     PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
     CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
       organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
       definition TEXT NOT NULL, description TEXT);
     CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
       identifier TEXT UNIQUE, description TEXT DEFAULT '',
       last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
       min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
       CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
     CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
       geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
       CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
       CONSTRAINT uk_gc_table_name UNIQUE (table_name),
       CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
       CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
     INSERT INTO gpkg_spatial_ref_sys VALUES
       ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
       ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');";
