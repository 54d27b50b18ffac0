//! Snapping: the vertex of a visible feature nearest to a position, found through the
//! catalog's per-layer R*-trees (only features whose envelope is within the tolerance are
//! looked at).

use geo::CoordsIter;

use crate::model::catalog::Catalog;

/// The vertex nearest to (`lon`, `lat`) among the visible layers' features, if one lies within
/// `tol_lon` × `tol_lat` degrees (a box: the caller turns its pixel tolerance into degrees).
/// Distance is measured in tolerance units, so the box's aspect does not favour an axis.
pub fn nearest_vertex(
    catalog: &Catalog,
    lon: f64,
    lat: f64,
    tol_lon: f64,
    tol_lat: f64,
    visible: impl Fn(usize) -> bool,
) -> Option<[f64; 2]> {
    if !(tol_lon > 0.0 && tol_lat > 0.0) {
        return None;
    }
    let probe = [lon - tol_lon, lat - tol_lat, lon + tol_lon, lat + tol_lat];
    let mut best: Option<([f64; 2], f64)> = None;
    for (li, layer) in catalog.layers.iter().enumerate() {
        if !visible(li) {
            continue;
        }
        let Some(index) = catalog.index(li) else {
            continue;
        };
        for (fi, _) in index.in_rect(probe) {
            let Some(f) = layer.features.get(fi) else {
                continue;
            };
            for c in f.geometry.coords_iter() {
                let (dx, dy) = ((c.x - lon) / tol_lon, (c.y - lat) / tol_lat);
                if dx.abs() > 1.0 || dy.abs() > 1.0 {
                    continue;
                }
                let d = dx * dx + dy * dy;
                if best.is_none_or(|(_, b)| d < b) {
                    best = Some(([c.x, c.y], d));
                }
            }
        }
    }
    best.map(|(p, _)| p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind};

    fn catalog() -> Catalog {
        let sq = crate::analysis::overlap::square(122.5, 45.5, 0.01);
        Catalog::new(vec![Layer {
            name_zh: "测试".into(),
            name_en: "test".into(),
            role: LayerRole::Loaded,
            source: "test".into(),
            crs: Default::default(),
            encoding: Default::default(),
            features: std::sync::Arc::new(vec![Feature {
                attributes: Default::default(),
                geometry: geo::Geometry::Polygon(sq),
                provenance: Provenance {
                    kind: ProvenanceKind::Surveyed,
                    source: "test".into(),
                },
            }]),
            analysis_role: None,
        }])
    }

    #[test]
    fn a_position_near_a_corner_snaps_to_it_and_a_far_one_does_not() {
        let c = catalog();
        let near = nearest_vertex(&c, 122.5101, 45.5098, 0.001, 0.001, |_| true);
        assert_eq!(near, Some([122.51, 45.51]));
        assert_eq!(
            nearest_vertex(&c, 122.505, 45.505, 0.001, 0.001, |_| true),
            None
        );
        assert_eq!(
            nearest_vertex(&c, 122.5101, 45.5098, 0.001, 0.001, |_| false),
            None
        );
    }
}
