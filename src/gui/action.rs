//! What the user asks the window to do. The panels, windows and the map return these (as
//! egui's demo app does with its commands) and `TaonanApp::apply` (in `app.rs`) makes every
//! change in one place, after the frame's widgets are drawn — so no panel changes the state
//! another panel is still drawing from. A new action: a variant here and its arm in `apply`.

use std::path::PathBuf;

use crate::io::loader::LoadOptions;
use crate::model::catalog::FeatureRef;

use crate::gui::i18n::Lang;
use crate::user_config::UserConfig;

/// A change the user asked for.
#[derive(Debug, Clone)]
pub enum Action {
    /// Select a feature (or clear the selection).
    Select(Option<FeatureRef>),
    /// Select a feature and show it: zoom to its envelope.
    SelectAndShow(FeatureRef),
    /// Show a finding: select its features, hatch the overlap, zoom to it.
    ActivateFinding(usize),
    /// Show the whole of 洮南市.
    ZoomToTaonan,
    /// Show a layer's extent.
    ZoomToLayer(usize),
    /// Open a layer's attribute table.
    OpenTable(usize),
    /// Open a layer's settings window.
    OpenSettings(usize),
    /// Load a layer's file again with other options (CRS, encoding, X/Y swap, transform).
    Reload(usize, LoadOptions),
    /// Open a layer's 坐标转换… window (four or seven parameters).
    OpenTransform(usize),
    /// Load one file with these options (a GeoPackage's picked tables).
    LoadFile(PathBuf, LoadOptions),
    /// Remove a loaded layer.
    RemoveLayer(usize),
    /// Move a layer from one place in the draw order to another (its state moves with it).
    MoveLayer(usize, usize),
    /// Open files (on the loader's worker).
    OpenFiles(Vec<PathBuf>),
    /// Show or hide the list of findings.
    ShowFindings(bool),
    /// Show or hide a layer.
    SetVisible(usize, bool),
    /// Give a user's layer another colour.
    SetColor(usize, [u8; 4]),
    /// Label a layer so (its 设置 → 标注).
    SetLabels(usize, crate::model::style::LabelStyle),
    /// Say what a user's layer is for the overlap rules (`None`: from its name).
    SetAnalysisRole(usize, Option<String>),
    /// Stop loading files.
    CancelLoading,
    /// Ask the system's open dialog (or the in-app browser) for files to open.
    OpenDialog,
    /// Open the export dialog.
    OpenExport,
    /// Open the paste box for corner lists.
    OpenPaste,
    /// Keep pasted corner-list text as a file and open it.
    LoadPasted(String),
    /// Remember the folder last opened from or written to.
    SetLastDir(PathBuf),
    /// Change the interface language.
    SetLang(Lang),
    /// Show another basemap (by id: `osm`, `local:<path>`, `none`, …).
    SetBasemap(String),
    /// Open the basemap settings window.
    OpenBasemapSettings,
    /// Show a {z}/{x}/{y} tile folder as the basemap.
    UseTileFolder(PathBuf),
    /// Empty the tile cache.
    EmptyTileCache,
    /// Save the basemap settings (Tianditu key, XYZ address, cache cap) and use them.
    SaveBasemapSettings(Box<UserConfig>),
    /// Ask where, then write the PDF check report on a worker.
    WriteCheckReport,
    /// Open 另存为… for a layer (loaded or bundled).
    SaveLayerAs(usize),
    /// Open 导出… for the findings.
    ExportFindings,
    /// Show a lon/lat place (typed into the find box, which marks it).
    ShowPlace(f64, f64),
    /// Add a layer made in the window (a measurement kept as a 量测 layer).
    AddLayer(Box<crate::model::Layer>),
    /// Turn the measure tool on or off.
    Measure(bool),
    /// Open the 载入规划数据库 window.
    OpenPlanDatabase,
    /// Apply a plan database in place of the schematic zones (and remember it).
    ApplyPlanDatabase(std::sync::Arc<crate::gui::windows::plan_database::PlanChoice>),
    /// Remove the plan database: the bundled schematic zones come back.
    RemovePlanDatabase,
}
