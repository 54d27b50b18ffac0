//! What the plan's checks find: overlaps, conflicts, containments, features outside the city
//! boundary, a mining right's conformance with the plan, and the measures they report.
//!
//! - [`rules`]: the rule table (`assets/rules.toml`, or the user's copy).
//! - [`overlap`]: the analysis itself (pairs over an R*-tree on every core, the boundary rule).
//! - [`prepared_boundary`]: the city boundary prepared for many "what lies outside?" questions.
//! - [`conformance`]: a surveyed mining right against the plan's blocks, zones and targets.
//! - [`measure`]: ellipsoidal areas and lengths, centroids, coordinate formatting.
//! - [`summary`]: everything the side panel and `info` say about one feature.

pub mod conformance;
pub mod measure;
pub mod overlap;
pub mod prepared_boundary;
pub mod rules;
pub mod summary;
