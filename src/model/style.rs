//! Layer symbology, read from `assets/styles.json` (embedded). Colours are plain RGBA so that the
//! core stays free of any UI toolkit; the window and exports turn them into their own types.

use std::collections::HashMap;

use serde::Deserialize;

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

/// Styles by key (layer role keys plus `selection`).
#[derive(Debug, Clone)]
pub struct Styles {
    map: HashMap<String, Style>,
    /// Per-layer styles chosen in the window (index = catalog layer), over the role's style.
    layers: Vec<Option<Style>>,
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
