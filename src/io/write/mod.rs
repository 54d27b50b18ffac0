//! Files out: layers and findings written for other tools, every file complete or not there.
//!
//! - [`atomic`]: temporary names in the target folder, renamed when everything is written;
//!   an existing file replaced only when asked.
//! - [`table`]: what every writer writes: rows (name, values, geometry) made on demand from a
//!   layer (provenance kept as `SJXZ`/`SJLY`) or from the findings, reprojected with PROJ.
//! - [`shapefile`]: `.shp/.shx/.dbf/.prj/.cpg` (GBK by default, UTF-8 on request); one set
//!   per geometry kind when a layer mixes them.
//! - [`dbf`]: the DBF attribute table in a chosen encoding (field names too).
//! - [`geojson`]: RFC 7946 GeoJSON (lon/lat).
//! - [`kml`]: KML 2.2 for 奥维互动地图 and Google Earth (lon/lat, names, ExtendedData).
//! - [`gpkg`]: GeoPackage 1.3 (one feature table, GP header + WKB with envelopes).
//! - [`findings`]: the overlap/boundary findings and conformance verdicts as CSV (UTF-8 with
//!   BOM), as the same rows in any layer format, and the one function that turns a finding
//!   into a row; [`xlsx`]: the same as an Excel workbook.
//!
//! The output format is chosen by the file name's extension ([`Format::of_path`]).

pub mod atomic;
pub mod dbf;
pub mod findings;
pub mod geojson;
pub mod gpkg;
pub mod kml;
pub mod shapefile;
pub mod table;
pub mod xlsx;

use crate::text;
use crate::text::Text;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

pub use table::{Row, Table};

/// A layer format this program writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// ESRI shapefile set.
    Shapefile,
    /// RFC 7946 GeoJSON.
    GeoJson,
    /// KML 2.2.
    Kml,
    /// OGC GeoPackage.
    GeoPackage,
}

impl Format {
    /// The format named by a file's extension (any letter case): `.shp`, `.geojson`/`.json`,
    /// `.kml`, `.gpkg`.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "shp" => Self::Shapefile,
            "geojson" | "json" => Self::GeoJson,
            "kml" => Self::Kml,
            "gpkg" => Self::GeoPackage,
            _ => return None,
        })
    }

    /// The extensions, for messages and save dialogs.
    pub const EXTENSIONS: &'static str = ".shp .geojson .kml .gpkg";
}

/// How to write.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// Replace existing files.
    pub force: bool,
    /// The shapefile's DBF encoding (GBK by default: what the bureau's other tools read).
    pub encoding: &'static Encoding,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self {
            force: false,
            encoding: encoding_rs::GBK,
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Written {
    /// The files put in place.
    pub files: Vec<PathBuf>,
    /// How many rows were written.
    pub rows: usize,
    /// What the reader should know (renamed fields, rows left out, characters the encoding
    /// cannot hold …), one sentence each.
    pub notes: Vec<crate::text::Text>,
}

/// Write a table to `path` in the format its extension names. GeoJSON and KML need a lon/lat
/// table (EPSG:4490 or 4326).
pub fn write_table(table: &Table, path: &Path, opts: &WriteOptions) -> Result<Written, Text> {
    let p = path.display();
    let format = Format::of_path(path).ok_or_else(|| {
        let use_ = Format::EXTENSIONS;
        text!(
            "{p}：不支持的输出格式（可用 {use_}）",
            "{p}: unknown output format (use {use_})"
        )
    })?;
    if matches!(format, Format::GeoJson | Format::Kml) && !table::is_lonlat(table.epsg) {
        let epsg = table.epsg;
        return Err(text!(
            "{p}：GeoJSON 与 KML 只存经纬度（EPSG:4490 或 4326），不能是 EPSG:{epsg}",
            "{p}: GeoJSON and KML hold lon/lat only (EPSG:4490 or 4326), not EPSG:{epsg}"
        ));
    }
    match format {
        Format::Shapefile => shapefile::write(table, path, opts),
        Format::GeoJson => geojson::write(table, path, opts.force),
        Format::Kml => kml::write(table, path, opts.force),
        Format::GeoPackage => gpkg::write(table, path, opts.force),
    }
}

/// Write a layer (a loaded one or a bundled plan layer) to `path`, in CGCS2000 lon/lat or,
/// with `to_epsg`, reprojected by PROJ.
pub fn write_layer(
    layer: &crate::model::Layer,
    path: &Path,
    to_epsg: Option<u32>,
    opts: &WriteOptions,
) -> Result<Written, Text> {
    // PROJ's message has one wording.
    let table = Table::of_layer(layer)
        .reprojected(to_epsg.unwrap_or(4490))
        .map_err(|e| atomic::failed(path, &e))?;
    write_table(&table, path, opts)
}
