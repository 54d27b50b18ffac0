//! Helpers shared by the export tests (PNG and SVG).

#![allow(dead_code)]

use std::path::Path;

use taonan_map::model::LayerRole;
use taonan_map::model::catalog::Catalog;
use taonan_map::render::PixelTransform;

/// The bundled layers.
pub fn catalog() -> Catalog {
    Catalog::new(taonan_map::plan::bundled::load_all().expect("bundled"))
}

/// The Taonan boundary's lon/lat extent.
pub fn boundary_extent(cat: &Catalog) -> geo::Rect<f64> {
    cat.layers
        .iter()
        .find(|l| l.role == LayerRole::Boundary)
        .and_then(|l| l.extent())
        .expect("extent")
}

/// A `{z}/{x}/{y}` folder of one-colour tiles covering `extent` drawn at `w` × `h`; returns how
/// many tiles it holds.
pub fn tile_folder(dir: &Path, extent: geo::Rect<f64>, w: u32, h: u32, rgba: [u8; 4]) -> usize {
    let t = PixelTransform::fit(extent, w, h);
    let (_, keys) = taonan_map::tiles::mosaic::cover(&t, w, h, 0, 22);
    for k in &keys {
        taonan_map::plan::fixtures::write_folder_tile(dir, *k, rgba).expect("tile");
    }
    keys.len()
}
