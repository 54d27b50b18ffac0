//! The panels beside the map.
//!
//! - [`details`]: everything about the selected feature (attributes, measures, provenance).
//! - [`findings`]: the overlap findings, for one feature and as the whole list.

pub mod details;
pub mod findings;
