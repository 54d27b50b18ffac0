//! The windows the user opens over the map.
//!
//! - [`attribute_table`]: a layer's attribute table (every row, filter, sort).
//! - [`export`]: 导出地图 (map or report page, PNG or SVG, with a live preview).
//! - [`file_browser`]: opening and saving where no system dialog can open.
//! - [`save_as`]: 另存为… a layer and 导出… the findings (shapefile, GeoJSON, KML, GeoPackage,
//!   CSV, Excel), written on a worker, replacing a file only when confirmed.
//! - [`measure`]: 测量 (distance or area, live figures, copy, keep as a 量测 layer).
//! - [`layer_settings`]: a user's layer's colour, role, CRS and encoding (with a preview).
//! - [`transform`]: 坐标转换… (a local grid placed by four or seven parameters, typed or solved
//!   from control points with residuals).
//! - [`table_picker`]: the feature tables of a GeoPackage to load, picked before loading.
//! - [`basemap_menu`]: the basemap menu and its settings window (Tianditu key, offline tiles,
//!   the tile cache), and the changes they ask for.
//! - [`paste`]: the paste box for corner lists.
//! - [`open`]: which windows are open (`Windows`) and drawing them. A new window: its own
//!   file here, a field in `Windows`, a call in `Windows::show`, and an `Action` to open it.
//!   the tile cache).
//! - [`plan_database`]: 载入规划数据库 (the plan's database matched to the zones, applied in place
//!   of the schematic ones).

pub mod attribute_table;
pub mod basemap_menu;
pub mod export;
pub mod file_browser;
pub mod layer_settings;
pub mod measure;
pub mod open;
pub mod paste;
pub mod plan_database;
pub mod save_as;
pub mod table_picker;
pub mod transform;
