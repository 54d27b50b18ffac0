//! What the user asks the window to do. The panels, windows and the map return these (as
//! egui's demo app does with its commands) and [`TaonanApp::apply`] makes every change in one
//! place, after the frame's widgets are drawn — so no panel changes the state another panel
//! is still drawing from.

use std::path::PathBuf;

use crate::io::loader::LoadOptions;
use crate::model::catalog::FeatureRef;

use super::app::TaonanApp;

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
    /// Load a layer's file again with other options (CRS, encoding, X/Y swap).
    Reload(usize, LoadOptions),
    /// Remove a loaded layer.
    RemoveLayer(usize),
    /// Open files (on the loader's worker).
    OpenFiles(Vec<PathBuf>),
    /// Show or hide the list of findings.
    ShowFindings(bool),
    /// Show or hide a layer.
    SetVisible(usize, bool),
    /// Give a user's layer another colour.
    SetColor(usize, [u8; 4]),
    /// Say what a user's layer is for the overlap rules (`None`: from its name).
    SetKind(usize, Option<String>),
    /// Stop loading files.
    CancelLoading,
    /// Show a lon/lat place (typed into the find box, which marks it).
    ShowPlace(f64, f64),
    /// Add a layer made in the window (a measurement kept as a 量测 layer).
    AddLayer(Box<crate::model::Layer>),
}

impl TaonanApp {
    /// Make the change an action asks for.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Select(r) => self.select(r),
            Action::SelectAndShow(r) => {
                self.select(Some(r));
                if let Some(g) = self
                    .catalog()
                    .feature(r)
                    .and_then(|f| geo::BoundingRect::bounding_rect(&f.geometry))
                {
                    let pad = (g.width().max(g.height()) * 0.5).max(0.002);
                    self.fit_to(geo::Rect::new(
                        (g.min().x - pad, g.min().y - pad),
                        (g.max().x + pad, g.max().y + pad),
                    ));
                }
            }
            Action::ActivateFinding(i) => self.activate_finding(i),
            Action::ZoomToTaonan => self.zoom_to_taonan(),
            Action::ZoomToLayer(li) => self.zoom_to_layer(li),
            Action::OpenTable(li) => self.open_attribute_table(li),
            Action::OpenSettings(li) => self.open_settings(li),
            Action::Reload(li, opts) => self.reload_layer(ctx, li, opts),
            Action::RemoveLayer(li) => self.remove_layer(li),
            Action::OpenFiles(files) => self.open_files(ctx, files),
            Action::ShowFindings(show) => self.show_findings(show),
            Action::SetVisible(li, shown) => self.set_visible(li, shown),
            Action::SetColor(li, color) => self.set_layer_color(li, color),
            Action::SetKind(li, kind) => self.set_layer_kind(li, kind),
            Action::CancelLoading => self.cancel_loading(),
            Action::ShowPlace(x, y) => {
                self.fit_to(geo::Rect::new((x - 0.02, y - 0.014), (x + 0.02, y + 0.014)))
            }
            Action::AddLayer(layer) => {
                self.catalog.push(*layer);
                self.visible.push(true);
                self.meta.push(Default::default());
            }
        }
    }
}
