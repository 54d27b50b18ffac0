//! The panels beside the map.
//!
//! - [`details`]: everything about the selected feature (attributes, measures, provenance).
//! - [`find`]: the find box (attributes, pinyin, coordinates typed in) and its marker.
//! - [`findings`]: the overlap findings, for one feature and as the whole list.
//! - [`layers`]: the layer list with its legend, visibility and each layer's buttons.
//! - [`status`]: the status bar (pointer position, basemap state, loading progress).

pub mod details;
pub mod find;
pub mod findings;
pub mod layers;
pub mod status;
