//! Shapefile shapes → `geo` geometry: points, lines, polygons (outer rings with their holes,
//! one `Polygon` per single-part shape), MultiPatch footprints; non-finite coordinates refused.

use geo::{
    Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, Winding,
};
use shapefile::{PolygonRing, Shape};

use super::multipatch;

/// A shape's polygons as one geometry: a lone polygon stays a `Polygon` (as GDAL reads it),
/// several make a `MultiPolygon`. A county layer is nearly all single-part shapes, and the
/// wrapper costs each one a heap block (~32 MB over 500 000 features).
fn areal(mut mp: MultiPolygon<f64>) -> Geometry<f64> {
    match (mp.0.pop(), mp.0.is_empty()) {
        (Some(p), true) => Geometry::Polygon(p),
        (Some(p), false) => {
            mp.0.push(p);
            Geometry::MultiPolygon(mp)
        }
        (None, _) => Geometry::MultiPolygon(mp),
    }
}

fn xy<P: shapefile::record::traits::HasXY>(p: &P) -> Coord<f64> {
    Coord { x: p.x(), y: p.y() }
}

fn rings_to_multipolygon<P: shapefile::record::traits::HasXY>(
    rings: &[PolygonRing<P>],
) -> MultiPolygon<f64> {
    // Outer rings alone (the containment test must not walk the holes given so far: with
    // 10⁵ holes that was quadratic), and the holes of each.
    let mut outers: Vec<Polygon<f64>> = Vec::new();
    let mut holes_of: Vec<Vec<LineString<f64>>> = Vec::new();
    let mut later: Vec<LineString<f64>> = Vec::new();
    // The outer ring holding a hole's first vertex, the latest first (a hole follows its outer
    // ring in the file, so this is usually the first one tried).
    let holder = |outers: &[Polygon<f64>], hole: &LineString<f64>| {
        use geo::Contains;
        let first = hole.0.first().copied()?;
        outers
            .iter()
            .rposition(|p| p.exterior().is_closed() && p.contains(&Point(first)))
    };
    for ring in rings {
        let ls: LineString<f64> = ring.points().iter().map(xy).collect();
        match ring {
            PolygonRing::Outer(_) => {
                outers.push(Polygon::new(ls, vec![]));
                holes_of.push(Vec::new());
            }
            PolygonRing::Inner(_) => match holder(&outers, &ls) {
                Some(i) => holes_of[i].push(ls),
                None => later.push(ls),
            },
        }
    }
    // Holes before their outer ring (or in none): the outer ring that holds them, else the
    // last one; with no outer ring at all a hole becomes one.
    for hole in later {
        let idx = holder(&outers, &hole).or(outers.len().checked_sub(1));
        match idx.and_then(|i| holes_of.get_mut(i)) {
            Some(h) => h.push(hole),
            None => {
                let mut outer = hole;
                outer.make_ccw_winding();
                outers.push(Polygon::new(outer, vec![]));
                holes_of.push(Vec::new());
            }
        }
    }
    // Exact capacities: the vectors above grew by pushing (a county layer's 500 000 features
    // would otherwise hold ~70 MB of unused polygon slots; `collect` reuses `outers`' buffer).
    let mut polygons: Vec<Polygon<f64>> = outers
        .into_iter()
        .zip(holes_of)
        .map(|(p, mut h)| {
            h.shrink_to_fit();
            Polygon::new(p.into_inner().0, h)
        })
        .collect();
    polygons.shrink_to_fit();
    MultiPolygon(polygons)
}

/// The 1-based number of the first vertex of a shape with a non-finite x or y.
fn first_non_finite(shape: &Shape) -> Option<usize> {
    use Shape::*;
    fn find<'a, P: shapefile::record::traits::HasXY + 'a>(
        parts: impl IntoIterator<Item = &'a [P]>,
    ) -> Option<usize> {
        parts
            .into_iter()
            .flatten()
            .position(|p| !p.x().is_finite() || !p.y().is_finite())
            .map(|k| k + 1)
    }
    match shape {
        NullShape | Multipatch(_) => None,
        Point(p) => find([std::slice::from_ref(p)]),
        PointM(p) => find([std::slice::from_ref(p)]),
        PointZ(p) => find([std::slice::from_ref(p)]),
        Multipoint(m) => find([m.points()]),
        MultipointM(m) => find([m.points()]),
        MultipointZ(m) => find([m.points()]),
        Polyline(l) => find(l.parts().iter().map(Vec::as_slice)),
        PolylineM(l) => find(l.parts().iter().map(Vec::as_slice)),
        PolylineZ(l) => find(l.parts().iter().map(Vec::as_slice)),
        Polygon(p) => find(p.rings().iter().map(|r| r.points())),
        PolygonM(p) => find(p.rings().iter().map(|r| r.points())),
        PolygonZ(p) => find(p.rings().iter().map(|r| r.points())),
    }
}

/// Convert a shapefile shape to `geo` (Z and M values are dropped; null shapes are `None`).
pub fn to_geo(shape: Shape) -> Result<Option<Geometry<f64>>, crate::text::Text> {
    use Shape::*;
    // Checked before the rings are sorted into polygons (which compares coordinates).
    if let Some(k) = first_non_finite(&shape) {
        return Err(crate::text!(
            "第 {k} 点：坐标不是有限数值（NaN 或 ∞）；已跳过该要素",
            "point {k}: coordinate not finite (NaN or ∞); feature skipped"
        ));
    }
    let parts =
        |p: &[Vec<Coord<f64>>]| MultiLineString(p.iter().map(|v| LineString(v.clone())).collect());
    Ok(Some(match shape {
        NullShape => return Ok(None),
        Point(p) => Geometry::Point(geo::Point(xy(&p))),
        PointM(p) => Geometry::Point(geo::Point(xy(&p))),
        PointZ(p) => Geometry::Point(geo::Point(xy(&p))),
        Multipoint(m) => Geometry::MultiPoint(MultiPoint(
            m.points().iter().map(|p| geo::Point(xy(p))).collect(),
        )),
        MultipointM(m) => Geometry::MultiPoint(MultiPoint(
            m.points().iter().map(|p| geo::Point(xy(p))).collect(),
        )),
        MultipointZ(m) => Geometry::MultiPoint(MultiPoint(
            m.points().iter().map(|p| geo::Point(xy(p))).collect(),
        )),
        Polyline(l) => Geometry::MultiLineString(parts(
            &l.parts()
                .iter()
                .map(|v| v.iter().map(xy).collect())
                .collect::<Vec<_>>(),
        )),
        PolylineM(l) => Geometry::MultiLineString(parts(
            &l.parts()
                .iter()
                .map(|v| v.iter().map(xy).collect())
                .collect::<Vec<_>>(),
        )),
        PolylineZ(l) => Geometry::MultiLineString(parts(
            &l.parts()
                .iter()
                .map(|v| v.iter().map(xy).collect())
                .collect::<Vec<_>>(),
        )),
        Polygon(p) => areal(rings_to_multipolygon(p.rings())),
        PolygonM(p) => areal(rings_to_multipolygon(p.rings())),
        PolygonZ(p) => areal(rings_to_multipolygon(p.rings())),
        Multipatch(m) => {
            let mp = multipatch::to_multipolygon(&m);
            if mp.0.is_empty() {
                return Err(crate::text::Text::fixed(
                    "多面体图形从上方看没有投影面积（只有墙面）",
                    "multipatch shape with no footprint seen from above (walls only)",
                ));
            }
            Geometry::MultiPolygon(mp)
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shapefile::Point as P;

    fn ring(x: f64, y: f64, side: f64, outer: bool) -> PolygonRing<P> {
        let mut pts = vec![
            P::new(x, y),
            P::new(x, y + side),
            P::new(x + side, y + side),
            P::new(x + side, y),
            P::new(x, y),
        ];
        if outer {
            PolygonRing::Outer(pts)
        } else {
            pts.reverse();
            PolygonRing::Inner(pts)
        }
    }

    #[test]
    fn polygons_hold_no_spare_capacity() {
        // Three parts, the first with two holes: every vector is exactly as long as its content
        // (a county layer of 500 000 shapes carried ~70 MB of spare slots before).
        let rings = [
            ring(0.0, 0.0, 10.0, true),
            ring(1.0, 1.0, 1.0, false),
            ring(5.0, 5.0, 1.0, false),
            ring(20.0, 0.0, 5.0, true),
            ring(40.0, 0.0, 5.0, true),
        ];
        let mp = rings_to_multipolygon(&rings);
        assert_eq!((mp.0.len(), mp.0.capacity()), (3, 3));
        assert_eq!(mp.0[0].interiors().len(), 2);
        for p in &mp.0 {
            assert_eq!(p.exterior().0.len(), p.exterior().0.capacity());
        }
    }

    #[test]
    fn a_single_part_shape_is_a_polygon_and_several_a_multipolygon() {
        let one = areal(rings_to_multipolygon(&[ring(0.0, 0.0, 1.0, true)]));
        assert!(matches!(one, Geometry::Polygon(_)), "{one:?}");
        let two = areal(rings_to_multipolygon(&[
            ring(0.0, 0.0, 1.0, true),
            ring(3.0, 0.0, 1.0, true),
        ]));
        assert!(
            matches!(&two, Geometry::MultiPolygon(m) if m.0.len() == 2),
            "{two:?}"
        );
    }
}
