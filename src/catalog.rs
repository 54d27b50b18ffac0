//! The set of loaded layers with a spatial index (R*-tree) for picking and a few queries that
//! the window and the command line share.

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

#[derive(Debug, Clone)]
struct Entry {
    r: FeatureRef,
    env: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

impl rstar::PointDistance for Entry {
    fn distance_2(&self, point: &[f64; 2]) -> f64 {
        self.env.distance_2(point)
    }
}

/// Loaded layers (bottom first) and the index over their features.
#[derive(Default)]
pub struct Catalog {
    /// Layers in draw order: later layers are drawn on top.
    pub layers: Vec<Layer>,
    index: RTree<Entry>,
    version: u64,
}

fn entries(layer_idx: usize, layer: &Layer) -> impl Iterator<Item = Entry> + '_ {
    layer.features.iter().enumerate().filter_map(move |(i, f)| {
        let r = f.geometry.bounding_rect()?;
        // Non-finite coordinates (a broken file) cannot be indexed; such features are not pickable.
        if ![r.min().x, r.min().y, r.max().x, r.max().y]
            .iter()
            .all(|v| v.is_finite())
        {
            return None;
        }
        Some(Entry {
            r: FeatureRef {
                layer: layer_idx,
                feature: i,
            },
            env: AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
        })
    })
}

/// Whether features of this role can be picked by a click (boundaries are context only).
pub fn pickable(role: LayerRole) -> bool {
    !matches!(role, LayerRole::Boundary | LayerRole::Neighbours)
}

impl Catalog {
    /// A catalog over these layers.
    pub fn new(layers: Vec<Layer>) -> Self {
        let index = RTree::bulk_load(
            layers
                .iter()
                .enumerate()
                .flat_map(|(i, l)| entries(i, l))
                .collect(),
        );
        Self {
            layers,
            index,
            version: 0,
        }
    }

    /// Add a layer on top; returns its index.
    pub fn push(&mut self, layer: Layer) -> usize {
        let idx = self.layers.len();
        for e in entries(idx, &layer) {
            self.index.insert(e);
        }
        self.layers.push(layer);
        self.version += 1;
        idx
    }

    /// Remove a layer (indices of the layers above it shift down by one).
    pub fn remove(&mut self, idx: usize) -> Option<Layer> {
        if idx >= self.layers.len() {
            return None;
        }
        let layer = self.layers.remove(idx);
        let version = self.version + 1;
        *self = Self::new(std::mem::take(&mut self.layers));
        self.version = version;
        Some(layer)
    }

    /// Replace the layer at `idx` (a reload with other options).
    pub fn replace(&mut self, idx: usize, layer: Layer) {
        if idx < self.layers.len() {
            self.layers[idx] = layer;
            let version = self.version + 1;
            *self = Self::new(std::mem::take(&mut self.layers));
            self.version = version;
        }
    }

    /// Set the analysis role the user gives a layer (changes the version: findings are redone).
    pub fn set_kind(&mut self, idx: usize, kind: Option<String>) {
        if let Some(l) = self.layers.get_mut(idx) {
            l.kind = kind;
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
    /// contain the position; points and lines when they pass within (`tol_lon`, `tol_lat`).
    /// Only pickable layers for which `visible` is true are considered.
    pub fn hit(
        &self,
        lon: f64,
        lat: f64,
        tol_lon: f64,
        tol_lat: f64,
        visible: impl Fn(usize) -> bool,
    ) -> Vec<FeatureRef> {
        let probe = AABB::from_corners(
            [lon - tol_lon, lat - tol_lat],
            [lon + tol_lon, lat + tol_lat],
        );
        let cursor = Rect::new(
            coord! {x: lon - tol_lon, y: lat - tol_lat},
            coord! {x: lon + tol_lon, y: lat + tol_lat},
        );
        let pt = Point::new(lon, lat);
        let mut hits: Vec<(FeatureRef, f64)> = self
            .index
            .locate_in_envelope_intersecting(&probe)
            .filter(|e| {
                visible(e.r.layer) && self.layers.get(e.r.layer).is_some_and(|l| pickable(l.role))
            })
            .filter_map(|e| {
                let f = self.feature(e.r)?;
                let hit = match &f.geometry {
                    g @ (Geometry::Polygon(_) | Geometry::MultiPolygon(_)) => g.contains(&pt),
                    g => g.intersects(&cursor),
                };
                let size =
                    (e.env.upper()[0] - e.env.lower()[0]) * (e.env.upper()[1] - e.env.lower()[1]);
                hit.then_some((e.r, size))
            })
            .collect();
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
    pub fn extent_of(&self, layers: impl Iterator<Item = usize>) -> Option<Rect<f64>> {
        layers
            .filter_map(|i| self.layers.get(i)?.extent())
            .reduce(crate::model::union_rect)
    }
}
