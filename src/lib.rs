//! taonan-map: a desktop GIS viewer for 《洮南市矿产资源规划（2021-2025年）》.
//!
//! The core knows nothing of egui (cargo keeps it so: the window is the default feature
//! `gui`, and `cargo build --lib --no-default-features` builds the rest):
//! - [`model`]: layers, features, provenance; the catalog of loaded layers; styles; field labels.
//! - [`io`]: reading what surveyors send (shapefile sets, DBF encodings, zips, corner lists).
//! - [`crs`]: PROJ, the Gauss-Krüger series, guessing a CRS, GCJ-02.
//! - [`analysis`]: the rules, overlaps and the boundary, plan conformance, measures.
//! - [`find`]: the find box's search (attributes, pinyin) and typed-in coordinates.
//! - [`plan`]: the plan's zones, their schematic placement and the bundled data.
//! - [`render`]: the map and report pages as PNG or SVG, and the layer drawing the window uses.
//! - [`tiles`]: basemap sources, the tile fetcher and its cache, offline tile files.
//! - [`text`]: the interface language and the core's messages, worded by each front end.
//! - [`output`]: what `info` and `check` print, as text and JSON (a "report" is only the
//!   report page of an export, `render::report`); [`user_config`]: the settings file.
//!
//! The window (`gui`) and the command line ([`cli`]) are thin front ends over it.

pub mod analysis;
pub mod cli;
pub mod crs;
pub mod find;
#[cfg(feature = "gui")]
pub mod gui;
pub mod io;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod text;
pub mod tiles;
pub mod user_config;
