//! Files in and out: everything a surveyor sends, read into [`crate::model`] layers.
//!
//! - [`loader`]: one entry for every file type (a `.shp` set, a `.zip`, a corner list): reads,
//!   decides the CRS and the encoding, reprojects, and says what it skipped and why.
//! - [`shp`]: shapefile sets in memory and on disk (a big `.shp` is read in chunks).
//! - [`dbf`]: DBF attribute tables with an explicit encoding.
//! - [`encoding`]: which encoding a table is in (`.cpg`, the language driver byte, the bytes).
//! - [`zip_input`]: shapefile sets and corner lists inside `.zip` files (GBK member names).
//! - [`corners`]: corner-coordinate lists (拐点坐标) in their several layouts.
//! - [`coord_check`]: coordinates checked where they enter (non-finite, outside the CRS's
//!   domain, a vertex far from its ring with its likely cause).

pub mod coord_check;
pub mod corners;
pub mod dbf;
pub mod encoding;
pub mod loader;
pub mod shp;
pub mod zip_input;
