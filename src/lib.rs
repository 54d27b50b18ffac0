//! taonan-map: a desktop GIS viewer for 《洮南市矿产资源规划（2021-2025年）》.
//!
//! The core (everything but `gui`) knows nothing of egui: layers and features, shapefile and
//! DBF IO, encodings, CRS through PROJ, GCJ-02, geodesic measures, the data generator and the
//! reports. The window (`gui`, behind the default cargo feature `gui`, so that cargo itself
//! keeps the UI crates out of the core) and the command line ([`cli`]) are thin front ends
//! over it.

pub mod bundled;
pub mod catalog;
pub mod cli;
pub mod conformance;
pub mod corners;
pub mod crs;
pub mod crs_guess;
pub mod datagen;
pub mod dbf;
pub mod encoding;
pub mod fields;
pub mod fixtures;
pub mod gauss_kruger;
pub mod gcj02;
#[cfg(feature = "gui")]
pub mod gui;
pub mod layout;
pub mod loader;
pub mod measure;
pub mod model;
pub mod overlap;
pub mod plan;
pub mod prepared_boundary;
pub mod render;
pub mod report;
pub mod rules;
pub mod shp;
pub mod sources;
pub mod style;
pub mod summary;
pub mod tiles;
pub mod user_config;
pub mod zip_input;
