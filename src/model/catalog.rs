//! The set of loaded layers with a spatial index (R*-tree) for picking and a few queries that
//! the window and the command line share.

use std::sync::Arc;

use geo::{BoundingRect, Contains, Distance, Geodesic, Geometry, Intersects, Point, Rect, coord};
use rstar::{AABB, RTree, RTreeObject};

use crate::model::{Feature, Layer, LayerRole};

/// A reference to one feature: (layer index, feature index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    /// Index into [`Catalog::layers`].
    pub layer: usize,
    /// Index into that layer's features.
    pub feature: usize,
}

/// One feature in a layer's index: its number and its lon/lat envelope in `f32`, rounded
/// outwards (it holds the feature's own; at most ~1 m larger at 洮南's longitudes). 20 bytes
/// instead of 40: a county layer's index is ~10 MB smaller. Callers test the geometry itself.
#[derive(Debug, Clone)]
struct Entry {
    feature: u32,
    env: AABB<[f32; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f32; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

/// `v` in `f32`, rounded down (`up == false`) or up: never on the inner side of `v`.
fn outward(v: f64, up: bool) -> f32 {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "rounded to nearest here, then moved outwards below"
    )]
    let f = v as f32;
    match f64::from(f) {
        g if up && g < v => f.next_up(),
        g if !up && g > v => f.next_down(),
        _ => f,
    }
}

/// `[min_lon, min_lat, max_lon, max_lat]` as an `f32` envelope rounded outwards (it holds the
/// `f64` one); `None` when a value is not finite.
pub(crate) fn f32_envelope(c: [f64; 4]) -> Option<AABB<[f32; 2]>> {
    c.iter().all(|v| v.is_finite()).then(|| {
        AABB::from_corners(
            [outward(c[0], false), outward(c[1], false)],
            [outward(c[2], true), outward(c[3], true)],
        )
    })
}

/// An `f32` envelope as `[min_lon, min_lat, max_lon, max_lat]` in `f64`.
fn corners(env: &AABB<[f32; 2]>) -> [f64; 4] {
    let (lo, hi) = (env.lower(), env.upper());
    [lo[0], lo[1], hi[0], hi[1]].map(f64::from)
}

/// The R*-tree over one layer's feature envelopes. Building it costs about a second for
/// 500 000 features, so loaders build it on their worker ([`LayerIndex::build`]) and the
/// window only moves it into the catalog ([`Catalog::push_indexed`]).
#[derive(Debug, Clone, Default)]
pub struct LayerIndex(RTree<Entry>);

impl LayerIndex {
    /// Index a layer's features. Features with no geometry or with non-finite coordinates (a
    /// broken file) cannot be indexed: they are neither drawn nor pickable.
    pub fn build(layer: &Layer) -> Self {
        let entries = layer
            .features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let r = f.geometry.bounding_rect()?;
                Some(Entry {
                    feature: u32::try_from(i).ok()?,
                    env: f32_envelope([r.min().x, r.min().y, r.max().x, r.max().y])?,
                })
            })
            .collect();
        Self(RTree::bulk_load(entries))
    }

    /// Features whose envelope meets `[min_lon, min_lat, max_lon, max_lat]`, with their
    /// envelopes in the same form, in no particular order.
    pub fn in_rect(&self, r: [f64; 4]) -> impl Iterator<Item = (usize, [f64; 4])> + '_ {
        let probe = AABB::from_corners(
            [outward(r[0], false), outward(r[1], false)],
            [outward(r[2], true), outward(r[3], true)],
        );
        self.0
            .locate_in_envelope_intersecting(&probe)
            .map(|e| (e.feature as usize, corners(&e.env)))
    }

    /// The envelope of every indexed feature, `None` when none is indexed.
    pub fn extent(&self) -> Option<Rect<f64>> {
        if self.is_empty() {
            return None;
        }
        let c = corners(&self.0.root().envelope());
        Some(Rect::new(
            coord! {x: c[0], y: c[1]},
            coord! {x: c[2], y: c[3]},
        ))
    }

    /// How many features are indexed.
    pub fn len(&self) -> usize {
        self.0.size()
    }

    /// Whether no feature is indexed.
    pub fn is_empty(&self) -> bool {
        self.0.size() == 0
    }
}

/// Whether features of this role can be picked by a click (boundaries are context only).
pub fn pickable(role: LayerRole) -> bool {
    !matches!(role, LayerRole::Boundary | LayerRole::Neighbours)
}

/// Loaded layers (bottom first) and an index over each layer's features.
///
/// Layers and indexes are shared (`Arc`): workers (analysis, map rendering, export) hold the
/// layers they work on without copying their geometry, while the window goes on changing the
/// catalog. Adding or removing a layer never rebuilds another layer's index.
#[derive(Default, Clone)]
pub struct Catalog {
    /// Layers in draw order: later layers are drawn on top.
    pub layers: Vec<Arc<Layer>>,
    /// The index of each layer (aligned with `layers`).
    indexes: Vec<Arc<LayerIndex>>,
    version: u64,
}

impl Catalog {
    /// A catalog over these layers.
    pub fn new(layers: Vec<Layer>) -> Self {
        Self::from_shared(layers.into_iter().map(Arc::new).collect())
    }

    /// A catalog over layers that may be shared with other catalogs or workers.
    pub fn from_shared(layers: Vec<Arc<Layer>>) -> Self {
        let indexes = layers
            .iter()
            .map(|l| Arc::new(LayerIndex::build(l)))
            .collect();
        Self {
            layers,
            indexes,
            version: 0,
        }
    }

    /// Add a layer on top; returns its index.
    pub fn push(&mut self, layer: Layer) -> usize {
        let index = LayerIndex::build(&layer);
        self.push_indexed(Arc::new(layer), Arc::new(index))
    }

    /// Add a layer on top with its index, built beforehand (on a worker); returns its index.
    pub fn push_indexed(&mut self, layer: Arc<Layer>, index: Arc<LayerIndex>) -> usize {
        let idx = self.layers.len();
        self.layers.push(layer);
        self.indexes.push(index);
        self.version += 1;
        idx
    }

    /// Remove a layer (indices of the layers above it shift down by one).
    pub fn remove(&mut self, idx: usize) -> Option<Arc<Layer>> {
        if idx >= self.layers.len() {
            return None;
        }
        self.indexes.remove(idx);
        self.version += 1;
        Some(self.layers.remove(idx))
    }

    /// Move the layer at `from` to place `to` in the draw order, with its index (the others
    /// keep their order). Does nothing when either is out of range.
    pub fn move_layer(&mut self, from: usize, to: usize) {
        if from >= self.layers.len() || to >= self.layers.len() || from == to {
            return;
        }
        let layer = self.layers.remove(from);
        self.layers.insert(to, layer);
        let index = self.indexes.remove(from);
        self.indexes.insert(to, index);
        self.version += 1;
    }

    /// Replace the layer at `idx` (a reload with other options).
    pub fn replace(&mut self, idx: usize, layer: Layer) {
        let index = LayerIndex::build(&layer);
        self.replace_indexed(idx, Arc::new(layer), Arc::new(index));
    }

    /// Replace the layer at `idx` with a layer and its index built beforehand.
    pub fn replace_indexed(&mut self, idx: usize, layer: Arc<Layer>, index: Arc<LayerIndex>) {
        if idx < self.layers.len() {
            self.layers[idx] = layer;
            self.indexes[idx] = index;
            self.version += 1;
        }
    }

    /// The index of layer `idx`.
    pub fn index(&self, idx: usize) -> Option<&Arc<LayerIndex>> {
        self.indexes.get(idx)
    }

    /// Set the analysis role the user gives a layer (changes the version: findings are redone).
    pub fn set_analysis_role(&mut self, idx: usize, role: Option<String>) {
        if let Some(l) = self.layers.get_mut(idx) {
            // Copies the layer only while a worker still holds the old one.
            Arc::make_mut(l).analysis_role = role;
            self.version += 1;
        }
    }

    /// A number that changes whenever layers are added or removed (for caches).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The feature a reference points at.
    pub fn feature(&self, r: FeatureRef) -> Option<&Feature> {
        self.layers.get(r.layer)?.features.get(r.feature)
    }

    /// Features under a lon/lat position, topmost first (later layer first; within a layer the
    /// smaller feature first, so that nested zones can be reached). Polygons are hit when they
    /// contain the position; points and lines when they pass within (`tol_lon`, `tol_lat`);
    /// of the polygons under a quarter of the tolerance each way (drawn as dots at this zoom)
    /// that pass within it, the nearest one.
    /// Only pickable layers for which `visible` is true are considered.
    pub fn hit(
        &self,
        lon: f64,
        lat: f64,
        tol_lon: f64,
        tol_lat: f64,
        visible: impl Fn(usize) -> bool,
    ) -> Vec<FeatureRef> {
        let probe = [lon - tol_lon, lat - tol_lat, lon + tol_lon, lat + tol_lat];
        let cursor = Rect::new(
            coord! {x: lon - tol_lon, y: lat - tol_lat},
            coord! {x: lon + tol_lon, y: lat + tol_lat},
        );
        let pt = Point::new(lon, lat);
        let mut hits: Vec<(FeatureRef, f64)> = Vec::new();
        // Of the dots under the cursor, only the nearest: a county layer at county scale puts
        // dozens of them within the tolerance.
        let mut nearest_dot: Option<(FeatureRef, f64, f64)> = None;
        for (li, (layer, index)) in self.layers.iter().zip(&self.indexes).enumerate() {
            if !visible(li) || !pickable(layer.role) {
                continue;
            }
            for (fi, env) in index.in_rect(probe) {
                let Some(f) = layer.features.get(fi) else {
                    continue;
                };
                // A polygon under a quarter of the tolerance each way (1.5 px with the window's
                // 6-px tolerance) is drawn as a dot: the dot is hit as a point would be.
                let tiny = env[2] - env[0] < tol_lon / 4.0 && env[3] - env[1] < tol_lat / 4.0;
                let size = (env[2] - env[0]) * (env[3] - env[1]);
                let areal = matches!(f.geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_));
                if areal && tiny {
                    if f.geometry.intersects(&cursor) {
                        let (cx, cy) = ((env[0] + env[2]) / 2.0, (env[1] + env[3]) / 2.0);
                        let d = ((cx - lon) / tol_lon).powi(2) + ((cy - lat) / tol_lat).powi(2);
                        if nearest_dot.is_none_or(|(_, best, _)| d < best) {
                            nearest_dot = Some((
                                FeatureRef {
                                    layer: li,
                                    feature: fi,
                                },
                                d,
                                size,
                            ));
                        }
                    }
                    continue;
                }
                let hit = if areal {
                    f.geometry.contains(&pt)
                } else {
                    f.geometry.intersects(&cursor)
                };
                if hit {
                    hits.push((
                        FeatureRef {
                            layer: li,
                            feature: fi,
                        },
                        size,
                    ));
                }
            }
        }
        hits.extend(nearest_dot.map(|(r, _, size)| (r, size)));
        hits.sort_by(|a, b| b.0.layer.cmp(&a.0.layer).then(a.1.total_cmp(&b.1)));
        hits.into_iter().map(|(r, _)| r).collect()
    }

    /// The nearest township seat to a position: (name, geodesic distance in km).
    pub fn nearest_seat(&self, lon: f64, lat: f64) -> Option<(String, f64)> {
        let here = Point::new(lon, lat);
        self.layers
            .iter()
            .filter(|l| l.role == LayerRole::Townships)
            .flat_map(|l| l.features.iter().enumerate().map(move |(i, f)| (l, i, f)))
            .filter_map(|(_, i, f)| match &f.geometry {
                Geometry::Point(p) => {
                    Some((f.display_name(i), Geodesic.distance(here, *p) / 1000.0))
                }
                _ => None,
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The combined extent of the given layers.
    ///
    /// Read from the layers' indexes (their root envelopes), not by walking every vertex: the
    /// same rectangle, at no cost for a county layer. Features with non-finite coordinates are
    /// not indexed and so not counted.
    pub fn extent_of(&self, layers: impl Iterator<Item = usize>) -> Option<Rect<f64>> {
        layers
            .filter_map(|i| self.indexes.get(i)?.extent())
            .reduce(crate::model::union_rect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Provenance, ProvenanceKind};

    #[test]
    fn an_indexed_envelope_holds_the_features_own_and_is_at_most_a_metre_larger() {
        // Longitudes and latitudes of 洮南, and values f32 holds exactly.
        for v in [122.787_654_321_f64, 45.339_876_543_2, 123.0, -0.1, 0.0] {
            let (lo, hi) = (outward(v, false), outward(v, true));
            assert!(f64::from(lo) <= v && v <= f64::from(hi), "{v}");
            // One f32 step at 123° is 7.6e-6° (~0.8 m).
            assert!(f64::from(hi) - f64::from(lo) <= 7.7e-6, "{v}");
        }
        let l = layer(vec![Geometry::Polygon(
            geo::Rect::new(
                coord! {x: 122.787_654_321, y: 45.339_876_543},
                coord! {x: 122.787_654_329, y: 45.339_876_549},
            )
            .to_polygon(),
        )]);
        let index = LayerIndex::build(&l);
        let e = index.extent().expect("indexed");
        assert!(e.min().x <= 122.787_654_321 && e.max().x >= 122.787_654_329);
        assert!(e.min().y <= 45.339_876_543 && e.max().y >= 45.339_876_549);
        // A probe touching the feature's true envelope only at its corner still finds it.
        let hits: Vec<_> = index
            .in_rect([122.787_654_329, 45.339_876_549, 122.8, 45.4])
            .collect();
        assert_eq!(hits.len(), 1);
    }

    fn layer(features: Vec<Geometry<f64>>) -> Layer {
        Layer {
            name_zh: "测试".into(),
            name_en: "test".into(),
            role: LayerRole::Loaded,
            source: "test".into(),
            crs: Default::default(),
            encoding: Default::default(),
            features: features
                .into_iter()
                .map(|geometry| Feature {
                    attributes: Default::default(),
                    geometry,
                    provenance: Provenance {
                        kind: ProvenanceKind::Surveyed,
                        source: "test".into(),
                    },
                })
                .collect::<Vec<_>>()
                .into(),
            analysis_role: None,
        }
    }

    #[test]
    fn a_polygon_is_picked_at_every_zoom_even_where_it_is_a_dot() {
        // A 10 m parcel: a dot over the county, many pixels at street level.
        let side = 0.0001;
        let c = Catalog::new(vec![layer(vec![Geometry::Polygon(
            crate::analysis::overlap::square(122.5, 45.5, side),
        )])]);
        let inside = (122.5 + side / 2.0, 45.5 + side / 2.0);
        for zoom in [6.0f64, 9.0, 10.0, 12.0, 15.0, 18.0] {
            // The pick box: 6 points at this zoom.
            let deg_per_pt = 360.0 / (256.0 * 2f64.powf(zoom));
            let tol = 6.0 * deg_per_pt;
            let hits = c.hit(inside.0, inside.1, tol, tol, |_| true);
            assert_eq!(hits.len(), 1, "zoom {zoom}: click inside");
            // A click one point beside it: the dot at low zoom, nothing at high zoom.
            let beside = inside.0 + side / 2.0 + deg_per_pt;
            let hits = c.hit(beside, inside.1, tol, tol, |_| true);
            let dot = side < tol / 4.0;
            assert_eq!(hits.len(), usize::from(dot), "zoom {zoom}: click beside");
        }
    }

    #[test]
    fn of_many_dots_under_the_cursor_the_nearest_is_picked() {
        // A 10 × 10 grid of 10 m parcels, 20 m apart: all dots at county scale.
        let side = 0.0001;
        let squares = (0..100)
            .map(|i| {
                let (x, y) = (f64::from(i % 10), f64::from(i / 10));
                Geometry::Polygon(crate::analysis::overlap::square(
                    122.5 + x * 0.0003,
                    45.5 + y * 0.0003,
                    side,
                ))
            })
            .collect();
        let c = Catalog::new(vec![layer(squares)]);
        let tol = 6.0 * 360.0 / (256.0 * 2f64.powi(9));
        // Right on parcel 34 (x 4, y 3).
        let (lon, lat) = (
            122.5 + 4.0 * 0.0003 + side / 2.0,
            45.5 + 3.0 * 0.0003 + side / 2.0,
        );
        let hits = c.hit(lon, lat, tol, tol, |_| true);
        assert_eq!(
            hits,
            vec![FeatureRef {
                layer: 0,
                feature: 34
            }]
        );
    }

    /// Giving a layer another role while a worker holds it copies the layer's description, not
    /// its features.
    #[test]
    fn a_new_role_while_a_worker_holds_the_layer_copies_no_feature() {
        let mut c = Catalog::new(vec![layer(vec![Geometry::Polygon(
            crate::analysis::overlap::square(122.0, 45.0, 0.1),
        )])]);
        let held = c.layers[0].clone();
        c.set_analysis_role(0, Some("surveyed_mining_right".into()));
        assert_eq!(
            c.layers[0].analysis_role.as_deref(),
            Some("surveyed_mining_right")
        );
        assert_eq!(held.analysis_role, None, "the worker's layer is untouched");
        assert!(Arc::ptr_eq(&held.features, &c.layers[0].features));
    }

    #[test]
    fn layers_come_and_go_without_touching_the_others_indexes() {
        let mut c = Catalog::new(vec![layer(vec![Geometry::Polygon(
            crate::analysis::overlap::square(122.0, 45.0, 0.1),
        )])]);
        let a = c.index(0).cloned().expect("index");
        c.push(layer(vec![Geometry::Polygon(
            crate::analysis::overlap::square(123.0, 46.0, 0.1),
        )]));
        c.remove(1);
        assert!(Arc::ptr_eq(&a, c.index(0).expect("index")));
        assert_eq!(c.index(0).map(|i| i.len()), Some(1));
        let e = c.index(0).and_then(|i| i.extent()).expect("extent");
        // The index holds envelopes in f32, rounded outwards (one step is < 1e-5° here).
        assert!(e.min().x <= 122.0 && 122.0 - e.min().x < 1e-5);
        assert!(e.max().y >= 45.1 && e.max().y - 45.1 < 1e-5);
    }
}
