//! MultiPatch shapes read as polygons, as GDAL does: each triangle of a triangle strip or fan
//! becomes a polygon; an outer ring (or a first ring) starts a polygon and the inner rings (or
//! rings) after it are its holes; a ring with no polygon before it starts one. Z is dropped;
//! pieces with no area seen from above (walls: triangles and rings standing on edge) are left
//! out, since a 2D map cannot show them.

use geo::{Area, Coord, LineString, MultiPolygon, Polygon};
use shapefile::{Multipatch, Patch, PointZ};

fn xy(p: &PointZ) -> Coord<f64> {
    Coord { x: p.x, y: p.y }
}

fn triangle(a: &PointZ, b: &PointZ, c: &PointZ) -> Polygon<f64> {
    Polygon::new(LineString(vec![xy(a), xy(b), xy(c), xy(a)]), vec![])
}

fn ring(points: &[PointZ]) -> LineString<f64> {
    let mut r = LineString(points.iter().map(xy).collect());
    r.close();
    r
}

/// The footprint of a MultiPatch as polygons (empty when every piece stands on edge).
pub fn to_multipolygon(m: &Multipatch) -> MultiPolygon<f64> {
    let mut polys: Vec<Polygon<f64>> = Vec::new();
    // Whether the last polygon may still take holes (it came from a ring patch).
    let mut open_ring_polygon = false;
    for patch in m.patches() {
        match patch {
            Patch::TriangleStrip(p) => {
                polys.extend(p.windows(3).map(|w| triangle(&w[0], &w[1], &w[2])));
                open_ring_polygon = false;
            }
            Patch::TriangleFan(p) => {
                if let Some(first) = p.first() {
                    polys.extend(p[1..].windows(2).map(|w| triangle(first, &w[0], &w[1])));
                }
                open_ring_polygon = false;
            }
            Patch::OuterRing(p) | Patch::FirstRing(p) => {
                polys.push(Polygon::new(ring(p), vec![]));
                open_ring_polygon = true;
            }
            Patch::InnerRing(p) | Patch::Ring(p) => match polys.last_mut() {
                Some(last) if open_ring_polygon => last.interiors_push(ring(p)),
                _ => {
                    polys.push(Polygon::new(ring(p), vec![]));
                    open_ring_polygon = true;
                }
            },
        }
    }
    polys.retain(|p| p.exterior().0.len() >= 4 && p.unsigned_area() > 0.0);
    MultiPolygon(polys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pz(x: f64, y: f64, z: f64) -> PointZ {
        PointZ::new(x, y, z, 0.0)
    }

    #[test]
    fn strips_fans_and_rings_become_polygons() {
        let m = Multipatch::with_parts(vec![
            // A strip of two triangles covering the unit square.
            Patch::TriangleStrip(vec![
                pz(0.0, 0.0, 1.0),
                pz(1.0, 0.0, 1.0),
                pz(0.0, 1.0, 1.0),
                pz(1.0, 1.0, 1.0),
            ]),
            // A fan of two triangles.
            Patch::TriangleFan(vec![
                pz(10.0, 10.0, 0.0),
                pz(11.0, 10.0, 0.0),
                pz(11.0, 11.0, 0.0),
                pz(10.0, 11.0, 0.0),
            ]),
            // A wall: no footprint.
            Patch::TriangleStrip(vec![
                pz(5.0, 5.0, 0.0),
                pz(6.0, 5.0, 0.0),
                pz(5.0, 5.0, 3.0),
            ]),
            // A square with a hole.
            Patch::OuterRing(vec![
                pz(20.0, 20.0, 0.0),
                pz(24.0, 20.0, 0.0),
                pz(24.0, 24.0, 0.0),
                pz(20.0, 24.0, 0.0),
                pz(20.0, 20.0, 0.0),
            ]),
            Patch::InnerRing(vec![
                pz(21.0, 21.0, 0.0),
                pz(21.0, 22.0, 0.0),
                pz(22.0, 22.0, 0.0),
                pz(22.0, 21.0, 0.0),
                pz(21.0, 21.0, 0.0),
            ]),
        ]);
        let mp = to_multipolygon(&m);
        assert_eq!(mp.0.len(), 5);
        let areas: Vec<f64> = mp.0.iter().map(|p| p.unsigned_area()).collect();
        assert_eq!(areas, vec![0.5, 0.5, 0.5, 0.5, 15.0]);
        assert_eq!(mp.0[4].interiors().len(), 1);
    }
}
