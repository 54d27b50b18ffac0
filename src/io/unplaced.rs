//! Unplaced layers (坐标系未知): a file whose CRS could not be decided — no `.prj`, and numbers
//! that are neither lon/lat nor a projected CRS of the region (a small local mine grid, say) —
//! is loaded anyway: listed, counted, its attribute table open, but not drawn and not checked.
//! Its features keep their attributes and provenance; their geometry is empty (nothing to draw
//! or intersect), and the layer's CRS text begins with [`crate::model::CRS_UNKNOWN`]. Picking a
//! CRS in the layer's settings reads the file again with it.

use geo::{Geometry, GeometryCollection};

use crate::io::crs_decision::CrsDecision;
use crate::io::encoding::Detected;
use crate::io::loader::{Record, file_name, provenance_of};
use crate::model::{Feature, Layer, LayerRole};

/// The unplaced layer of `records` (one feature per record, null shapes included: the
/// attributes are what the user can look at), named `name`, from `source`.
pub fn layer(
    source: &str,
    name: &str,
    records: Vec<Record>,
    decision: &CrsDecision,
    encoding: Option<&Detected>,
) -> Layer {
    let file: std::sync::Arc<str> = file_name(source).into();
    let features: Vec<Feature> = records
        .into_iter()
        .map(|(_, attributes)| {
            let provenance = provenance_of(&attributes, &file);
            Feature {
                attributes,
                geometry: Geometry::GeometryCollection(GeometryCollection(Vec::new())),
                provenance,
            }
        })
        .collect();
    Layer {
        name_zh: name.to_owned(),
        name_en: name.to_owned(),
        role: LayerRole::Loaded,
        source: source.to_owned(),
        crs: decision.layer_text(),
        encoding: encoding.map(Detected::describe).unwrap_or_default(),
        features: features.into(),
        analysis_role: None,
    }
}
