//! Drawing data of the few features drawn live on the map (the selection, the active finding's
//! features and overlap): polygon rings and their earcut triangulation (egui fills only convex
//! shapes), in lon/lat, computed once when the feature is selected and projected each frame.
//! The layers themselves are drawn by the core's renderer (see `map_canvas`).

use geo::{
    BooleanOps, BoundingRect, Geometry, LineString, MultiLineString, MultiPolygon, Polygon,
    TriangulateEarcut,
};

/// One polygon ready to draw: its rings (closed) and fill triangles over `vertices`.
pub struct PolygonDraw {
    /// Exterior ring then holes, each a list of (lon, lat).
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Triangulation vertices (lon, lat).
    pub vertices: Vec<[f64; 2]>,
    /// Triangle indices into `vertices`.
    pub triangles: Vec<u32>,
}

/// What to draw for a feature.
pub struct FeatureDraw {
    /// The shape.
    pub shape: DrawShape,
}

/// The shape of a feature.
pub enum DrawShape {
    /// Polygons.
    Polygons(Vec<PolygonDraw>),
    /// Lines.
    Lines(Vec<Vec<[f64; 2]>>),
    /// Points.
    Points(Vec<[f64; 2]>),
}

fn polygon(p: &Polygon<f64>) -> PolygonDraw {
    let tri = p.earcut_triangles_raw();
    let rings = std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
        .collect();
    PolygonDraw {
        rings,
        vertices: tri.vertices,
        triangles: tri.triangle_indices.iter().map(|&i| i as u32).collect(),
    }
}

/// Build the drawing data of one feature.
pub fn feature(g: &Geometry<f64>) -> FeatureDraw {
    FeatureDraw { shape: shape(g) }
}

fn shape(g: &Geometry<f64>) -> DrawShape {
    match g {
        Geometry::Polygon(p) => DrawShape::Polygons(vec![polygon(p)]),
        Geometry::MultiPolygon(mp) => DrawShape::Polygons(mp.0.iter().map(polygon).collect()),
        Geometry::Rect(r) => DrawShape::Polygons(vec![polygon(&r.to_polygon())]),
        Geometry::Point(p) => DrawShape::Points(vec![[p.x(), p.y()]]),
        Geometry::MultiPoint(m) => DrawShape::Points(m.0.iter().map(|p| [p.x(), p.y()]).collect()),
        Geometry::LineString(l) => DrawShape::Lines(vec![l.0.iter().map(|c| [c.x, c.y]).collect()]),
        Geometry::MultiLineString(m) => DrawShape::Lines(
            m.0.iter()
                .map(|l| l.0.iter().map(|c| [c.x, c.y]).collect())
                .collect(),
        ),
        other => {
            // Lines of any other kind (e.g. a lone Line or Triangle) are drawn as lines of their coordinates.
            use geo::CoordsIter;
            DrawShape::Lines(vec![other.coords_iter().map(|c| [c.x, c.y]).collect()])
        }
    }
}

/// Diagonal hatch lines clipped to a multipolygon (lon/lat), about 16 across its extent.
pub fn hatch(mp: &MultiPolygon<f64>) -> Vec<Vec<[f64; 2]>> {
    let Some(r) = mp.bounding_rect() else {
        return Vec::new();
    };
    let (w, h) = (r.width(), r.height());
    let step = w.max(h) / 16.0;
    // Also refuses NaN.
    if step.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return Vec::new();
    }
    let mut lines = Vec::new();
    let mut c = -h;
    while c <= w {
        // A line from the bottom edge going up-right at 45°, offset c along x.
        let (x0, y0) = (r.min().x + c, r.min().y);
        lines.push(LineString::from(vec![(x0, y0), (x0 + h, y0 + h)]));
        c += step;
    }
    mp.clip(&MultiLineString(lines), false)
        .0
        .iter()
        .map(|l| l.0.iter().map(|c| [c.x, c.y]).collect())
        .collect()
}
