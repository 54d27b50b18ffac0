//! What the plan's checks find: overlaps, conflicts, containments, features outside the city
//! boundary, a mining right's conformance with the plan, and the measures they report.
//!
//! - [`rules`]: the rule table (`assets/rules.toml`, or the user's copy).
//! - [`overlap`]: the analysis itself (pairs over an R*-tree on every core, the boundary rule).
//! - [`findings`]: what it finds ([`findings::Finding`], [`findings::Findings`]).
//! - [`prepared_boundary`]: the city boundary prepared for many "what lies outside?" questions.
//! - [`conformance`]: a surveyed mining right against the plan's blocks, zones and targets.
//! - [`measure`]: ellipsoidal areas and lengths, centroids, coordinate formatting.
//! - [`geodesy`]: lengths and areas on the CGCS2000 (GRS80) ellipsoid, in m/km, m²/km²/亩/公顷.
//! - [`measurement`]: a distance or area the user draws on the map, its text and its layer.
//! - [`snap`]: the vertex of a visible feature nearest to a position (for the measure tool).
//! - [`summary`]: everything the side panel and `info` say about one feature.

pub mod conformance;
pub mod findings;
pub mod geodesy;
pub mod measure;
pub mod measurement;
pub mod overlap;
pub mod prepared_boundary;
pub mod rules;
pub mod snap;
pub mod summary;
