//! Basemap tiles without a window: the basemaps on offer ([`source`]), the fetcher with its
//! timeouts and back-off ([`service`]), the capped disk cache ([`disk_cache`]), offline tile
//! files ([`local`]) and the check of a PMTiles archive before it is read ([`pmtiles_check`]),
//! decoded tiles ([`raster`]) and the mosaic that puts tiles under an
//! exported map ([`mosaic`]).

pub mod disk_cache;
pub mod local;
pub mod mosaic;
pub mod pmtiles_check;
pub mod raster;
pub mod service;
pub mod source;

pub use service::{ServiceOptions, SourceStatus, TileKey, TileOutcome, TileService};
pub use source::{BasemapSpec, TiandituKind};
