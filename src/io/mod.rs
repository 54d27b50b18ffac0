//! Files in and out: everything a surveyor sends, read into [`crate::model`] layers.
//!
//! - [`loader`]: one entry for every file type (a `.shp` set, a `.zip`, a corner list): reads,
//!   decides the CRS and the encoding, reprojects, and says what it skipped and why (as
//!   [`crate::text::Text`] messages each front end words in its language).
//! - [`load_error`]: why a file gave no layer, as data with one wording function.
//! - [`shp`]: shapefile sets in memory and on disk (a big `.shp` is read in chunks).
//! - [`dbf`]: DBF attribute tables with an explicit encoding.
//! - [`encoding`]: which encoding a table is in (`.cpg`, the language driver byte, the bytes).
//! - [`zip_input`]: shapefile sets and corner lists inside `.zip` files (GBK member names).
//! - [`corners`]: corner-coordinate lists (拐点坐标) in their several layouts.
//! - [`geojson_in`]: GeoJSON (RFC 7946 and the older `crs` member), every geometry kind.
//! - [`kml_in`]: KML and KMZ placemarks with names, descriptions, ExtendedData and folders.
//! - [`unsupported`]: the formats not read (File Geodatabase, MapGIS, DWG …) and what to
//!   convert them to.
//! - [`crs_decision`]: how a layer's CRS is decided (user, file, numbers), or left unknown.
//! - [`unplaced`]: layers whose CRS is unknown: listed and counted, not drawn until placed.
//! - [`gpkg`]: GeoPackage files: every feature table, blobs with envelopes, CRS from
//!   `gpkg_spatial_ref_sys`.
//! - [`dxf`]: AutoCAD DXF drawings (ASCII and binary): polylines as polygons or lines, points,
//!   CAD layer names and the text inside each polygon; the CRS inferred from the numbers.
//! - [`write`]: files out: layers as shapefile/GeoJSON/KML/GeoPackage, findings as
//!   CSV/Excel/polygons, every file written atomically.
//! - [`coord_check`]: coordinates checked where they enter (non-finite, outside the CRS's
//!   domain, a vertex far from its ring with its likely cause).

pub mod coord_check;
pub mod corners;
pub mod crs_decision;
pub mod dbf;
pub mod dxf;
pub mod encoding;
pub mod geojson_in;
pub mod gpkg;
pub mod kml_in;
pub mod load_error;
pub mod loader;
pub mod shp;
pub mod unplaced;
pub mod unsupported;
pub mod write;
pub mod zip_input;
