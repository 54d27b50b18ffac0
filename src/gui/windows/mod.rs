//! The windows the user opens over the map.
//!
//! - [`attribute_table`]: a layer's attribute table (every row, filter, sort).
//! - [`export`]: 导出地图 (map or report page, PNG or SVG, with a live preview).
//! - [`file_browser`]: opening and saving where no system dialog can open.
//! - [`layer_settings`]: a user's layer's colour, role, CRS and encoding (with a preview).
//! - [`basemap_menu`]: the basemap menu and its settings window (Tianditu key, offline tiles,
//!   the tile cache).
//! - [`plan_database`]: 载入规划数据库 (the plan's database matched to the zones, applied in place
//!   of the schematic ones).

pub mod attribute_table;
pub mod basemap_menu;
pub mod export;
pub mod file_browser;
pub mod layer_settings;
pub mod plan_database;
