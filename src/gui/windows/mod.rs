//! The windows the user opens over the map.
//!
//! - [`attribute_table`]: a layer's attribute table (every row, filter, sort).
//! - [`export`]: 导出地图 (map or report page, PNG or SVG, with a live preview).
//! - [`file_browser`]: opening and saving where no system dialog can open.
//! - [`measure`]: 测量 (distance or area, live figures, copy, keep as a 量测 layer).
//! - [`layer_settings`]: a user's layer's colour, role, CRS and encoding (with a preview).
//! - [`basemap_menu`]: the basemap menu and its settings window (Tianditu key, offline tiles,
//!   the tile cache).

pub mod attribute_table;
pub mod basemap_menu;
pub mod export;
pub mod file_browser;
pub mod layer_settings;
pub mod measure;
