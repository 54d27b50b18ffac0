//! Files in and out: everything a surveyor sends, read into [`crate::model`] layers.
//!
//! - [`loader`]: one entry for every file type (a `.shp` set, a `.zip`, a corner list): reads,
//!   decides the CRS and the encoding, reprojects, and says what it skipped and why.
//! - [`shp`]: shapefile sets in memory and on disk (a big `.shp` is read in chunks).
//! - [`dbf`]: DBF attribute tables with an explicit encoding.
//! - [`encoding`]: which encoding a table is in (`.cpg`, the language driver byte, the bytes).
//! - [`zip_input`]: shapefile sets and corner lists inside `.zip` files (GBK member names).
//! - [`corners`]: corner-coordinate lists (拐点坐标) in their several layouts.
//! - [`gpkg`]: GeoPackage files: every feature table, blobs with envelopes, CRS from
//!   `gpkg_spatial_ref_sys`.
//! - [`dxf`]: AutoCAD DXF drawings (ASCII and binary): polylines as polygons or lines, points,
//!   CAD layer names and the text inside each polygon; the CRS inferred from the numbers.

pub mod corners;
pub mod dbf;
pub mod dxf;
pub mod encoding;
pub mod gpkg;
pub mod loader;
pub mod shp;
pub mod zip_input;
