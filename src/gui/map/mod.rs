//! The map: walkers' widget with the basemap under it, the picture of the layers, and what is
//! drawn live over it.
//!
//! - [`canvas`]: the picture of the layers, drawn on a worker by the core renderer and moved
//!   with the view while the next one is drawn.
//! - [`overlay`]: the walkers plugin: shows the picture, draws labels, 示意 marks, the
//!   selection and the active finding live, and reports hover and clicks (picking).
//! - [`draw_data`]: drawing data of the few features drawn live (rings, triangles, hatching).
//! - [`measure_tool`]: the measure tool's clicks, snapping and live drawing.
//! - [`basemap`]: the basemap shown under the map (tiles from the core fetcher as textures).
//! - [`view`]: the map view's state (centre, zoom, picture, hover, clicks) and its drawing.
//! - [`selection`]: the selected feature and the finding shown.

pub mod basemap;
pub mod canvas;
pub mod draw_data;
pub mod measure_tool;
pub mod overlay;
pub mod selection;
pub mod view;
