//! The tables of a GeoPackage (an SQLite file, opened read-only): its feature tables
//! (`gpkg_contents` rows of `data_type` 'features'), each one's geometry column and spatial
//! reference (`gpkg_geometry_columns`, `gpkg_spatial_ref_sys`), and its rows as attributes
//! with their SQLite types.

use crate::text;
use crate::text::Text;
use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::model::{FieldName, Value};

/// A feature table of a GeoPackage, as listed in `gpkg_contents`.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureTable {
    /// The table's name.
    pub name: String,
    /// Its geometry column.
    pub geometry_column: String,
    /// Its `srs_id` in `gpkg_spatial_ref_sys`.
    pub srs_id: i64,
}

/// What `gpkg_spatial_ref_sys` says of an `srs_id`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpatialRef {
    /// The EPSG code when the organization is EPSG.
    pub epsg: Option<u32>,
    /// The WKT `definition` (empty or "undefined" when there is none).
    pub wkt: Option<String>,
    /// The `srs_name`.
    pub name: String,
}

/// One row: the geometry blob (`None` when NULL) and the other columns.
pub type Row = (Option<Vec<u8>>, Vec<(FieldName, Value)>);

/// What could not be done, and SQLite's reason (in its own words).
fn cannot(e: &rusqlite::Error, zh: &str, en: &str) -> Text {
    text!("{zh}：{e}", "{en}: {e}")
}

/// Row `n` (from 1) could not be read; SQLite's reason.
fn cannot_read_row(n: usize, e: &rusqlite::Error) -> Text {
    text!("无法读取第 {n} 行：{e}", "cannot read row {n}: {e}")
}

/// Open a file read-only and check that it is a GeoPackage (it has `gpkg_contents`).
pub fn open(path: &Path) -> Result<Connection, Text> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| text!("无法作为 SQLite 打开：{e}", "cannot open as SQLite: {e}"))?;
    let has_contents: Result<i64, _> = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type IN ('table','view') AND name = 'gpkg_contents'",
        [],
        |r| r.get(0),
    );
    match has_contents {
        Ok(0) => Err(Text::fixed(
            "是 SQLite 数据库，但不是 GeoPackage（没有 gpkg_contents 表）",
            "an SQLite database but not a GeoPackage (no gpkg_contents table)",
        )),
        Ok(_) => Ok(conn),
        Err(e) => Err(text!(
            "不是 GeoPackage，或文件已损坏：{e}",
            "not a GeoPackage or a damaged one: {e}"
        )),
    }
}

/// The feature tables, in `gpkg_contents` order (by table name).
pub fn feature_tables(conn: &Connection) -> Result<Vec<FeatureTable>, Text> {
    let sql = "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
               JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
               WHERE lower(c.data_type) = 'features' ORDER BY c.table_name";
    let mut st = conn
        .prepare(sql)
        .map_err(|e| cannot(&e, "无法列出要素表", "cannot list the feature tables"))?;
    let rows = st
        .query_map([], |r| {
            Ok(FeatureTable {
                name: r.get(0)?,
                geometry_column: r.get(1)?,
                srs_id: r.get(2)?,
            })
        })
        .map_err(|e| cannot(&e, "无法列出要素表", "cannot list the feature tables"))?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| cannot(&e, "无法列出要素表", "cannot list the feature tables"))
}

/// The spatial reference of an `srs_id` (0 and -1 are GeoPackage's "undefined" ones: no CRS).
pub fn spatial_ref(conn: &Connection, srs_id: i64) -> Result<SpatialRef, Text> {
    if srs_id == 0 || srs_id == -1 {
        return Ok(SpatialRef::default());
    }
    let row = conn.query_row(
        "SELECT srs_name, organization, organization_coordsys_id, definition \
         FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
        [srs_id],
        |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        },
    );
    let (name, org, code, def) = match row {
        Ok(v) => v,
        Err(rusqlite::Error::QueryReturnedNoRows) => {
            return Err(text!(
                "srs_id {srs_id} 不在 gpkg_spatial_ref_sys 中",
                "srs_id {srs_id} is not in gpkg_spatial_ref_sys"
            ));
        }
        Err(e) => {
            return Err(cannot(
                &e,
                "无法读取 gpkg_spatial_ref_sys",
                "cannot read gpkg_spatial_ref_sys",
            ));
        }
    };
    let epsg = match (org, code) {
        (Some(o), Some(c)) if o.eq_ignore_ascii_case("EPSG") => u32::try_from(c).ok(),
        _ => None,
    };
    let wkt = def.filter(|d| !d.trim().is_empty() && !d.trim().eq_ignore_ascii_case("undefined"));
    Ok(SpatialRef {
        epsg,
        wkt,
        name: name.unwrap_or_default(),
    })
}

/// Quote an SQL identifier (quotes inside doubled).
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A column's value as an attribute: integers and reals as numbers (integers beyond 2^53 as
/// text, to keep every digit), BOOLEAN as "true"/"false", text (DATE, DATETIME too) as written,
/// BLOBs as a short note of their size.
fn value_of(v: ValueRef<'_>, declared: &str) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) if declared == "BOOLEAN" => {
            Value::Text(if i != 0 { "true" } else { "false" }.into())
        }
        ValueRef::Integer(i) if i.unsigned_abs() <= 1 << 53 => Value::Number(i as f64),
        ValueRef::Integer(i) => Value::Text(i.to_string()),
        ValueRef::Real(r) => Value::Number(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Text(format!("<BLOB {} bytes>", b.len())),
    }
}

/// Every row of a feature table: its geometry blob and its other columns, in `rowid` order.
/// `each` is called per row (for progress and cancelling); it stops the read when it says false.
pub fn rows(
    conn: &Connection,
    table: &FeatureTable,
    mut each: impl FnMut() -> bool,
) -> Result<Vec<Row>, Text> {
    let mut info = conn
        .prepare(&format!("PRAGMA table_info({})", quoted(&table.name)))
        .map_err(|e| cannot(&e, "无法读取列", "cannot read the columns"))?;
    let columns: Vec<(String, String)> = info
        .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
        .and_then(|it| it.collect())
        .map_err(|e| cannot(&e, "无法读取列", "cannot read the columns"))?;
    if columns.is_empty() {
        return Err(Text::fixed(
            "gpkg_contents 中列出的表并不存在",
            "the table listed in gpkg_contents does not exist",
        ));
    }
    let geom_idx = columns
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case(&table.geometry_column))
        .ok_or_else(|| {
            let c = &table.geometry_column;
            text!("没有几何列 {c}", "no geometry column {c}")
        })?;
    let names: Vec<FieldName> = columns.iter().map(|(n, _)| n.as_str().into()).collect();
    let declared: Vec<String> = columns
        .iter()
        .map(|(_, t)| t.to_ascii_uppercase())
        .collect();
    let list = columns
        .iter()
        .map(|(n, _)| quoted(n))
        .collect::<Vec<_>>()
        .join(", ");
    let mut st = conn
        .prepare(&format!("SELECT {list} FROM {}", quoted(&table.name)))
        .map_err(|e| cannot(&e, "无法读取表", "cannot read the table"))?;
    let mut q = st
        .query([])
        .map_err(|e| cannot(&e, "无法读取表", "cannot read the table"))?;
    let mut out = Vec::new();
    while let Some(r) = q.next().map_err(|e| cannot_read_row(out.len() + 1, &e))? {
        let mut blob = None;
        let mut attrs = Vec::with_capacity(names.len().saturating_sub(1));
        for (i, name) in names.iter().enumerate() {
            let v = r
                .get_ref(i)
                .map_err(|e| cannot_read_row(out.len() + 1, &e))?;
            if i == geom_idx {
                if let ValueRef::Blob(b) = v {
                    blob = Some(b.to_vec());
                }
                continue;
            }
            attrs.push((name.clone(), value_of(v, &declared[i])));
        }
        out.push((blob, attrs));
        if !each() {
            break;
        }
    }
    Ok(out)
}
