//! The panels beside the map.
//!
//! - [`details`]: everything about the selected feature (attributes, measures, provenance).
//! - [`findings`]: the overlap findings, for one feature and as the whole list.
//! - [`layers`]: the layer list with its legend, visibility and each layer's buttons.
//! - [`status`]: the status bar (pointer position, basemap state, loading progress).

pub mod details;
pub mod findings;
pub mod layers;
pub mod status;
