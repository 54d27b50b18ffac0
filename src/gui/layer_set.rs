//! The window's layers: the core catalog (layers, their indexes) together with what the
//! window keeps for each layer (visibility, the user's file and choices, how it loaded, whether
//! it holds 示意 shapes), in one place, so adding, replacing, removing or moving a layer keeps
//! the two in step.

use std::path::Path;
use std::sync::Arc;

use crate::gui::session::FileEntry;
use crate::io::loader::{CrsDecision, LoadOptions};
use crate::model::catalog::{Catalog, LayerIndex};
use crate::model::style::{LabelStyle, Style, Styles};
use crate::model::{Layer, LayerRole};

/// What the window keeps for one layer besides its data.
#[derive(Debug, Clone, Default)]
pub struct LayerState {
    /// Whether the layer is drawn (and analysed).
    pub visible: bool,
    /// Whether the layer holds schematic (示意) shapes (worked out once, when it is added).
    pub schematic: bool,
    /// For a user's file: its path and the choices made for it.
    pub entry: Option<FileEntry>,
    /// How it was loaded (CRS decision, encoding, warnings…).
    pub info: Option<LoadInfo>,
    /// The labels chosen for a layer that is not a user's file (a user's file keeps them in
    /// its entry); `None`: its role's.
    pub labels: Option<LabelStyle>,
}

/// How a user's layer was loaded.
#[derive(Debug, Clone)]
pub struct LoadInfo {
    /// The CRS decision.
    pub crs: CrsDecision,
    /// The encoding and why, worded when shown.
    pub encoding: Option<crate::text::Text>,
    /// Warnings (datum, swap), worded when shown.
    pub warnings: Vec<crate::text::Text>,
    /// The swap fix on offer.
    pub swap_suggested: Option<crate::text::Text>,
    /// Whether X/Y were swapped on load.
    pub swapped: bool,
    /// What was skipped, worded when shown.
    pub problems: Vec<crate::text::Text>,
}

/// Colours given to loaded layers in turn (the user can pick another in the layer settings).
const LOADED_PALETTE: [[u8; 4]; 6] = [
    [0, 140, 60, 255],
    [200, 0, 120, 255],
    [0, 110, 200, 255],
    [220, 120, 0, 255],
    [120, 60, 180, 255],
    [0, 150, 150, 255],
];

/// The load options a user's file was loaded with.
pub fn options_of(entry: &FileEntry) -> LoadOptions {
    LoadOptions {
        encoding: entry
            .encoding
            .as_deref()
            .and_then(|e| encoding_rs::Encoding::for_label(e.as_bytes())),
        epsg: entry.epsg,
        swap_xy: entry.swap_xy,
        transform: entry.transform.clone().map(Arc::new),
        tables: entry.tables.clone(),
    }
}

/// The catalog and one [`LayerState`] per layer, changed only together.
#[derive(Default)]
pub struct LayerSet {
    catalog: Catalog,
    states: Vec<LayerState>,
}

impl LayerSet {
    /// The bundled layers, those named in `hidden_bundled` (by stem) hidden.
    pub fn bundled(layers: Vec<Layer>, hidden_bundled: &[String]) -> Self {
        let catalog = Catalog::new(layers);
        let states = catalog
            .layers
            .iter()
            .enumerate()
            .map(|(i, layer)| LayerState {
                visible: !crate::plan::bundled::LAYERS
                    .get(i)
                    .is_some_and(|b| hidden_bundled.iter().any(|h| h == b.stem)),
                schematic: holds_schematic(layer),
                ..LayerState::default()
            })
            .collect();
        Self { catalog, states }
    }

    /// The layers and their indexes.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// How many layers there are.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    /// Layer `li` and its state.
    pub fn get(&self, li: usize) -> Option<(&Arc<Layer>, &LayerState)> {
        Some((self.catalog.layers.get(li)?, self.states.get(li)?))
    }

    /// The state of every layer, in draw order.
    pub fn states(&self) -> &[LayerState] {
        &self.states
    }

    /// Visibility of every layer, in draw order (for the workers and the map).
    pub fn visible(&self) -> Vec<bool> {
        self.states.iter().map(|s| s.visible).collect()
    }

    /// Show or hide layer `li`.
    pub fn set_visible(&mut self, li: usize, shown: bool) {
        if let Some(s) = self.states.get_mut(li) {
            s.visible = shown;
        }
    }

    /// Add a layer on top with its index and state; returns its place.
    pub fn push(&mut self, layer: Arc<Layer>, index: Arc<LayerIndex>, state: LayerState) -> usize {
        let state = LayerState {
            schematic: holds_schematic(&layer),
            ..state
        };
        self.states.push(state);
        self.catalog.push_indexed(layer, index)
    }

    /// Put these plan layers in place of the bundled layers of the same roles (a user's file of
    /// that role is left alone): the plan database applied, or the schematic zones restored.
    /// The plan database's polygons that were not applied come as a layer of their own (see
    /// [`is_unapplied`]): it replaces the one of the database before, and goes when the
    /// database is removed. Returns whether a layer was removed (places above it moved down).
    pub fn replace_plan_layers(&mut self, layers: Vec<Layer>) -> bool {
        let mut removed = false;
        while let Some(i) = self.catalog.layers.iter().rposition(|l| is_unapplied(l)) {
            self.remove(i);
            removed = true;
        }
        let (zones, unapplied): (Vec<Layer>, Vec<Layer>) =
            layers.into_iter().partition(|l| l.role.is_plan_zone());
        for layer in unapplied.into_iter().filter(is_unapplied) {
            let layer = Arc::new(layer);
            let index = Arc::new(LayerIndex::build(&layer));
            let state = LayerState {
                visible: true,
                ..LayerState::default()
            };
            self.push(layer, index, state);
        }
        for layer in zones {
            let at = (0..self.catalog.layers.len()).find(|&i| {
                self.catalog.layers[i].role == layer.role
                    && self.states.get(i).is_none_or(|m| m.entry.is_none())
            });
            if let Some(i) = at {
                let layer = Arc::new(layer);
                let index = Arc::new(LayerIndex::build(&layer));
                let state = LayerState::default();
                self.replace(i, layer, index, state);
            }
        }
        removed
    }

    /// Put a layer in place of layer `li` (a reload); it keeps its visibility. Returns false
    /// (and changes nothing) when there is no layer `li`.
    pub fn replace(
        &mut self,
        li: usize,
        layer: Arc<Layer>,
        index: Arc<LayerIndex>,
        state: LayerState,
    ) -> bool {
        let Some(old) = self.states.get_mut(li) else {
            return false;
        };
        *old = LayerState {
            visible: old.visible,
            schematic: holds_schematic(&layer),
            labels: state.labels.or_else(|| old.labels.take()),
            ..state
        };
        self.catalog.replace_indexed(li, layer, index);
        true
    }

    /// Remove layer `li` (those above it move down by one); returns its state.
    pub fn remove(&mut self, li: usize) -> Option<LayerState> {
        if li >= self.states.len() {
            return None;
        }
        self.catalog.remove(li);
        Some(self.states.remove(li))
    }

    /// Move layer `from` to place `to` in the draw order (the others keep their order).
    pub fn move_layer(&mut self, from: usize, to: usize) {
        if from >= self.states.len() || to >= self.states.len() || from == to {
            return;
        }
        self.catalog.move_layer(from, to);
        let state = self.states.remove(from);
        self.states.insert(to, state);
    }

    /// Whether a layer still comes from the file at `path` (a zip gives several).
    pub fn holds_file(&self, path: &Path) -> bool {
        self.states
            .iter()
            .any(|s| s.entry.as_ref().is_some_and(|e| e.path == path))
    }

    /// Give a user's layer another colour; returns the file's entry to remember it by.
    pub fn set_color(&mut self, li: usize, color: [u8; 4]) -> Option<&FileEntry> {
        let entry = self.states.get_mut(li)?.entry.as_mut()?;
        entry.color = Some(color);
        Some(entry)
    }

    /// Say what a user's layer is for the overlap rules (`None`: from its name); returns the
    /// file's entry to remember it by.
    pub fn set_analysis_role(&mut self, li: usize, role: Option<String>) -> Option<&FileEntry> {
        self.catalog.set_analysis_role(li, role.clone());
        let entry = self.states.get_mut(li)?.entry.as_mut()?;
        entry.analysis_role = role;
        Some(entry)
    }

    /// The style layer `li` is drawn with (the user's colour for their layers; loaded layers
    /// without one take the next colour of a palette).
    pub fn style(&self, li: usize, styles: &Styles) -> Style {
        let Some(layer) = self.catalog.layers.get(li) else {
            return styles.get("loaded");
        };
        let mut style = styles.for_role(layer.role);
        let user = self
            .states
            .get(li)
            .and_then(|s| s.entry.as_ref())
            .and_then(|e| e.color);
        let auto = (layer.role == LayerRole::Loaded).then(|| {
            let n = self.catalog.layers[..li]
                .iter()
                .filter(|l| l.role == LayerRole::Loaded)
                .count();
            LOADED_PALETTE[n % LOADED_PALETTE.len()]
        });
        if let Some(c) = user.or(auto) {
            style.stroke = [c[0], c[1], c[2], 255];
            style.fill = [c[0], c[1], c[2], 70];
        }
        style
    }

    /// The labels of layer `li`: those chosen for it (kept in a user's file's entry), else its
    /// role's.
    pub fn label_style(&self, li: usize) -> LabelStyle {
        let state = self.states.get(li);
        let chosen = state
            .and_then(|s| s.entry.as_ref())
            .and_then(|e| e.labels.clone())
            .or_else(|| state.and_then(|s| s.labels.clone()));
        let role = self.catalog.layers.get(li).map(|l| l.role);
        chosen.unwrap_or_else(|| LabelStyle::for_role(role.unwrap_or(LayerRole::Loaded)))
    }

    /// The labels of every layer, in draw order (for `Styles::with_layer_labels`).
    pub fn layer_labels(&self) -> Vec<Option<LabelStyle>> {
        (0..self.len())
            .map(|li| Some(self.label_style(li)))
            .collect()
    }

    /// Label layer `li` so; returns the file's entry to remember them by (`None` for a layer
    /// that is not a user's file: its state keeps them).
    pub fn set_labels(&mut self, li: usize, labels: LabelStyle) -> Option<&FileEntry> {
        let state = self.states.get_mut(li)?;
        match state.entry.as_mut() {
            Some(entry) => {
                entry.labels = Some(labels);
                Some(entry)
            }
            None => {
                state.labels = Some(labels);
                None
            }
        }
    }

    /// Labels chosen for bundled layers in an earlier session, by stem.
    pub fn restore_bundled_labels(&mut self, chosen: &[(String, LabelStyle)]) {
        for (b, state) in crate::plan::bundled::LAYERS.iter().zip(&mut self.states) {
            if let Some((_, l)) = chosen.iter().find(|(stem, _)| stem == b.stem) {
                state.labels = Some(l.clone());
            }
        }
    }

    /// The labels chosen for bundled layers, by stem (for the session).
    pub fn bundled_labels(&self) -> Vec<(String, LabelStyle)> {
        crate::plan::bundled::LAYERS
            .iter()
            .zip(&self.states)
            .filter(|(_, s)| s.entry.is_none())
            .filter_map(|(b, s)| Some((b.stem.to_owned(), s.labels.clone()?)))
            .collect()
    }

    /// The style of every layer, in draw order.
    pub fn layer_styles(&self, styles: &Styles) -> Vec<Style> {
        (0..self.len()).map(|li| self.style(li, styles)).collect()
    }

    /// When a user's layer's X/Y look swapped: the options that reload it the other way round.
    pub fn swap_offer(&self, li: usize) -> Option<LoadOptions> {
        let state = self.states.get(li)?;
        let info = state.info.as_ref()?;
        info.swap_suggested.as_ref()?;
        let mut opts = options_of(state.entry.as_ref()?);
        opts.swap_xy = Some(!info.swapped);
        Some(opts)
    }
}

/// Whether a layer is the plan database's polygons not applied to any zone (规划数据库：未采用图斑).
pub fn is_unapplied(layer: &Layer) -> bool {
    layer.analysis_role.as_deref() == Some(crate::plan::apply_database::UNMATCHED_KIND)
}

/// Whether a layer holds schematic (示意) shapes.
fn holds_schematic(layer: &Layer) -> bool {
    layer.features.iter().any(|f| f.is_schematic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(name: &str) -> Layer {
        Layer {
            name_zh: name.into(),
            name_en: name.into(),
            role: LayerRole::Loaded,
            source: format!("{name}.shp"),
            crs: Default::default(),
            encoding: Default::default(),
            features: Arc::new(Vec::new()),
            analysis_role: None,
        }
    }

    fn push(set: &mut LayerSet, name: &str) {
        let l = layer(name);
        let index = Arc::new(LayerIndex::build(&l));
        let entry = FileEntry {
            path: format!("{name}.shp").into(),
            ..FileEntry::default()
        };
        set.push(
            Arc::new(l),
            index,
            LayerState {
                visible: name != "b",
                entry: Some(entry),
                ..LayerState::default()
            },
        );
    }

    fn names(set: &LayerSet) -> Vec<String> {
        set.catalog()
            .layers
            .iter()
            .map(|l| l.name_zh.clone())
            .collect()
    }

    fn paths(set: &LayerSet) -> Vec<String> {
        set.states()
            .iter()
            .map(|s| {
                s.entry
                    .as_ref()
                    .map(|e| e.path.display().to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn layers_and_their_states_move_together() {
        let mut set = LayerSet::default();
        for n in ["a", "b", "c"] {
            push(&mut set, n);
        }
        assert_eq!(set.visible(), [true, false, true]);
        set.move_layer(0, 2);
        assert_eq!(names(&set), ["b", "c", "a"]);
        assert_eq!(paths(&set), ["b.shp", "c.shp", "a.shp"]);
        assert_eq!(set.visible(), [false, true, true]);
        let removed = set.remove(1).expect("a layer 1");
        assert_eq!(removed.entry.map(|e| e.path), Some("c.shp".into()));
        assert_eq!(names(&set), ["b", "a"]);
        assert_eq!(paths(&set), ["b.shp", "a.shp"]);
        assert!(set.remove(5).is_none());
        assert!(!set.holds_file(Path::new("c.shp")));
        assert!(set.holds_file(Path::new("a.shp")));
        let l = layer("a2");
        let index = Arc::new(LayerIndex::build(&l));
        assert!(set.replace(1, Arc::new(l), index, LayerState::default()));
        assert_eq!(names(&set), ["b", "a2"]);
        assert_eq!(set.visible(), [false, true], "a reload keeps visibility");
        assert_eq!(set.catalog().layers.len(), set.states().len());
    }
}
