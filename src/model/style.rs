//! Layer symbology, read from `assets/styles.json` (embedded). Colours are plain RGBA so that the
//! core stays free of any UI toolkit; the window and exports turn them into their own types.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::LayerRole;

const BUILTIN: &str = include_str!("../../assets/styles.json");

/// How one layer is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Style {
    /// Fill colour RGBA.
    pub fill: [u8; 4],
    /// Outline colour RGBA.
    pub stroke: [u8; 4],
    /// Outline width in points.
    pub width: f32,
    /// Point symbol radius in points.
    #[serde(default = "default_radius")]
    pub radius: f32,
}

fn default_radius() -> f32 {
    4.0
}

/// How a layer's features are labelled on the map (its 设置 → 标注): shown or not, the text's
/// field, its size and its halo. The window, the export dialog and `taonan-map export` draw
/// labels from these alone (`render::labels`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelStyle {
    /// Whether the layer is labelled.
    #[serde(default)]
    pub on: bool,
    /// The field whose value is the label; `None`: the feature's display name.
    #[serde(default)]
    pub field: Option<String>,
    /// Text size in points (pixels at 96 dpi).
    #[serde(default = "LabelStyle::default_size")]
    pub size: f32,
    /// Whether the letters have a halo.
    #[serde(default = "yes")]
    pub halo: bool,
    /// The halo's colour (white unless the user picks another).
    #[serde(default = "LabelStyle::white")]
    pub halo_color: [u8; 4],
    /// The text's colour.
    #[serde(default = "LabelStyle::dark")]
    pub color: [u8; 4],
}

fn yes() -> bool {
    true
}

impl Default for LabelStyle {
    fn default() -> Self {
        Self {
            on: false,
            field: None,
            size: Self::default_size(),
            halo: true,
            halo_color: Self::white(),
            color: Self::dark(),
        }
    }
}

impl LabelStyle {
    /// Smallest and largest text size offered, in points.
    pub const SIZES: std::ops::RangeInclusive<f32> = 6.0..=48.0;

    fn default_size() -> f32 {
        12.0
    }

    fn white() -> [u8; 4] {
        [255, 255, 255, 255]
    }

    fn dark() -> [u8; 4] {
        [20, 20, 20, 255]
    }

    /// The labels of a role until the user changes them: township seats (beside their points,
    /// haloed) and neighbouring counties (grey, in their areas) are labelled; other layers —
    /// the plan's zones, the user's files — are not until switched on in their 设置.
    pub fn for_role(role: LayerRole) -> Self {
        match role {
            LayerRole::Townships => Self {
                on: true,
                ..Self::default()
            },
            LayerRole::Neighbours => Self {
                on: true,
                size: 13.2,
                halo: false,
                color: [120, 120, 120, 255],
                ..Self::default()
            },
            _ => Self::default(),
        }
    }

    /// The size kept within [`LabelStyle::SIZES`] (a stored session may hold any number).
    pub fn size_points(&self) -> f32 {
        if self.size.is_finite() {
            self.size.clamp(*Self::SIZES.start(), *Self::SIZES.end())
        } else {
            Self::default_size()
        }
    }
}

/// Styles by key (layer role keys plus `selection`).
#[derive(Debug, Clone)]
pub struct Styles {
    map: HashMap<String, Style>,
    /// Per-layer styles chosen in the window (index = catalog layer), over the role's style.
    layers: Vec<Option<Style>>,
    /// Per-layer labels chosen in the window (index = catalog layer), over the role's.
    labels: Vec<Option<LabelStyle>>,
}

impl Styles {
    /// The built-in styles.
    pub fn builtin() -> Self {
        let raw: HashMap<String, serde_json::Value> =
            serde_json::from_str(BUILTIN).unwrap_or_default();
        let map = raw
            .into_iter()
            .filter(|(k, _)| !k.starts_with('_'))
            .filter_map(|(k, v)| serde_json::from_value::<Style>(v).ok().map(|s| (k, s)))
            .collect();
        Self {
            map,
            layers: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// The style for a key, falling back to the `loaded` style.
    pub fn get(&self, key: &str) -> Style {
        self.map
            .get(key)
            .or_else(|| self.map.get("loaded"))
            .copied()
            .unwrap_or(Style {
                fill: [0, 170, 60, 70],
                stroke: [0, 130, 40, 255],
                width: 2.0,
                radius: 5.0,
            })
    }

    /// The style of a layer role.
    pub fn for_role(&self, role: LayerRole) -> Style {
        self.get(role.key())
    }

    /// The style of catalog layer `li`: the one chosen for it, else its role's.
    pub fn for_layer(&self, li: usize, role: LayerRole) -> Style {
        match self.layers.get(li) {
            Some(Some(s)) => *s,
            _ => self.for_role(role),
        }
    }

    /// These styles with per-layer styles (as the window draws them, for exports).
    pub fn with_layer_styles(mut self, layers: Vec<Option<Style>>) -> Self {
        self.layers = layers;
        self
    }

    /// The labels of catalog layer `li`: the ones chosen for it, else its role's.
    pub fn labels_for(&self, li: usize, role: LayerRole) -> LabelStyle {
        match self.labels.get(li) {
            Some(Some(l)) => l.clone(),
            _ => LabelStyle::for_role(role),
        }
    }

    /// These styles with per-layer labels (as the window draws them, for exports).
    pub fn with_layer_labels(mut self, labels: Vec<Option<LabelStyle>>) -> Self {
        self.labels = labels;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_its_own_style() {
        let s = Styles::builtin();
        for r in LayerRole::BUNDLED {
            assert!(s.map.contains_key(r.key()), "{r:?}");
        }
        assert!(s.map.contains_key("selection"));
    }
}
