//! A prepared city boundary for the boundary rule of the overlap analysis: which part of a
//! feature lies outside the 洮南市 boundary, decided cheaply for the many features that are
//! wholly inside or wholly outside, and computed locally for the few that cross it.
//!
//! Coordinates are lon/lat degrees (CGCS2000), as everywhere in the analysis; nothing here
//! measures — areas are the caller's business ([`crate::analysis::measure::area_m2`]). Regions are read
//! with the even-odd rule over all rings (outer rings, holes and every part of a multi-part
//! boundary alike), which is how `geo`'s boolean operations read them too. The boundary's
//! coordinates are assumed finite; an edge with a non-finite end is left out of the index.
//!
//! How [`PreparedBoundary::outside`] decides:
//!
//! 1. A feature whose envelope no boundary edge comes near (1e-7°, about 1 cm; more for a
//!    feature far away) lies wholly on one side of the boundary: one point-in-polygon test (a
//!    ray to +x over the edges it can cross, found in an R*-tree of the edges) says which.
//!    Nothing is computed for it.
//! 2. Otherwise the boundary's rings are clipped (Sutherland–Hodgman) to a rectangle holding the
//!    feature's envelope and every edge near it whole, and the difference is computed against
//!    that local piece with `geo`'s [`BooleanOps`]. Inside the rectangle the clipped rings bound
//!    the same even-odd region as the whole boundary, so the part outside is the same; the
//!    edges the feature can meet are the boundary's own, unchanged. The local piece also carries
//!    the whole boundary's envelope corners as one-point rings (they add no edge): the boolean
//!    operation snaps coordinates to an integer grid derived from the envelope of all its input
//!    points, and with them that grid is the one a difference against the whole boundary uses.

use geo::{BooleanOps, BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use rstar::{AABB, RTree, RTreeObject};

/// One boundary edge in the R*-tree.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
}

impl RTreeObject for Edge {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.a.x, self.a.y], [self.b.x, self.b.y])
    }
}

/// One ring of the boundary: its vertices without the closing repeat, and its envelope.
#[derive(Debug, Clone)]
struct Ring {
    open: Vec<Coord<f64>>,
    rect: Rect<f64>,
}

/// Where a feature lies with respect to the boundary (see [`PreparedBoundary::outside`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Outside {
    /// Wholly inside (covered by) the boundary: nothing lies outside.
    Inside,
    /// Wholly outside the boundary: the part outside is the feature itself (its own area).
    Wholly,
    /// Near the boundary: the part outside, as `geo`'s difference computes it (possibly empty,
    /// e.g. for a feature inside that touches the boundary).
    Part(MultiPolygon<f64>),
}

/// The city boundary prepared for many "what lies outside?" questions.
#[derive(Debug, Clone)]
pub struct PreparedBoundary {
    full: MultiPolygon<f64>,
    rings: Vec<Ring>,
    tree: RTree<Edge>,
    rect: Option<Rect<f64>>,
}

/// Closed-rectangle test of a segment, Liang–Barsky. `true` when the segment meets the
/// rectangle (interior or border).
fn segment_meets_rect(a: Coord<f64>, b: Coord<f64>, r: &Rect<f64>) -> bool {
    let (min, max) = (r.min(), r.max());
    let inside = |p: Coord<f64>| p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y;
    if inside(a) || inside(b) {
        return true;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.x - min.x),
        (dx, max.x - a.x),
        (-dy, a.y - min.y),
        (dy, max.y - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// How near (degrees) a boundary edge must come to a feature's envelope to be kept whole in the
/// local piece of the boundary: 1e-7° (about 1 cm), and at least 64 units of the grid the
/// boolean operation snaps to (`i_overlay` scales the envelope `all` of its operands' points so
/// that half its larger side is below 2³⁰ units: 2⁻²⁹° for 洮南市's boundary, so 1e-7° is
/// 54 units). Cutting edges that far away moves nothing the feature meets.
fn near_distance(all: &Rect<f64>) -> f64 {
    let half = 0.5 * all.width().max(all.height());
    let unit = if half > 0.0 {
        (half.log2().trunc() - 29.0).exp2()
    } else {
        0.0
    };
    (64.0 * unit).max(1e-7)
}

/// The envelope of two rectangles.
fn union(a: &Rect<f64>, b: &Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

/// A rectangle grown by `d` on every side.
fn grow(r: &Rect<f64>, d: f64) -> Rect<f64> {
    Rect::new(
        Coord {
            x: r.min().x - d,
            y: r.min().y - d,
        },
        Coord {
            x: r.max().x + d,
            y: r.max().y + d,
        },
    )
}

fn to_aabb(r: &Rect<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y])
}

fn rect_finite(r: &Rect<f64>) -> bool {
    [r.min().x, r.min().y, r.max().x, r.max().y]
        .iter()
        .all(|v| v.is_finite())
}

fn rects_meet(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x
        && b.min().x <= a.max().x
        && a.min().y <= b.max().y
        && b.min().y <= a.max().y
}

/// `v` between `a` and `b` (either order): interpolation may round one ulp past an end.
fn between(v: f64, a: f64, b: f64) -> f64 {
    v.clamp(a.min(b), a.max(b))
}

/// Sutherland–Hodgman: an open ring clipped to a rectangle, one half-plane at a time. The
/// result bounds the same even-odd region inside the rectangle as the ring (it may run back
/// and forth along the rectangle's border, which the even-odd rule cancels); empty when fewer
/// than three vertices remain.
fn clip_ring(open: &[Coord<f64>], r: &Rect<f64>) -> Vec<Coord<f64>> {
    let (min, max) = (r.min(), r.max());
    let mut cur: Vec<Coord<f64>> = open.to_vec();
    let mut next: Vec<Coord<f64>> = Vec::with_capacity(open.len() + 8);
    // (axis is x, keep values >= v (true) or <= v (false), v)
    for (is_x, keep_ge, v) in [
        (true, true, min.x),
        (true, false, max.x),
        (false, true, min.y),
        (false, false, max.y),
    ] {
        if cur.is_empty() {
            break;
        }
        let inside = |p: &Coord<f64>| {
            let c = if is_x { p.x } else { p.y };
            if keep_ge { c >= v } else { c <= v }
        };
        let cut = |a: &Coord<f64>, b: &Coord<f64>| {
            if is_x {
                let t = (v - a.x) / (b.x - a.x);
                Coord {
                    x: v,
                    y: between(a.y + t * (b.y - a.y), a.y, b.y),
                }
            } else {
                let t = (v - a.y) / (b.y - a.y);
                Coord {
                    x: between(a.x + t * (b.x - a.x), a.x, b.x),
                    y: v,
                }
            }
        };
        next.clear();
        let mut prev = cur[cur.len() - 1];
        let mut prev_in = inside(&prev);
        for p in &cur {
            let p_in = inside(p);
            if p_in {
                if !prev_in {
                    next.push(cut(&prev, p));
                }
                next.push(*p);
            } else if prev_in {
                next.push(cut(&prev, p));
            }
            prev = *p;
            prev_in = p_in;
        }
        std::mem::swap(&mut cur, &mut next);
    }
    if cur.len() < 3 { Vec::new() } else { cur }
}

/// A feature's polygons as an operand of a boolean operation (rings in the order a
/// `MultiPolygon` of them gives).
struct Polygons<'a>(&'a [Polygon<f64>]);

impl BooleanOps for Polygons<'_> {
    type Scalar = f64;
    fn rings(&self) -> impl Iterator<Item = &LineString<f64>> {
        self.0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    }
}

/// The boundary near a feature, as the clip operand of a boolean operation: the clipped rings
/// and two one-point rings at the whole boundary's envelope corners (see the module doc).
struct LocalBoundary {
    rings: Vec<LineString<f64>>,
}

impl BooleanOps for LocalBoundary {
    type Scalar = f64;
    fn rings(&self) -> impl Iterator<Item = &LineString<f64>> {
        self.rings.iter()
    }
}

impl PreparedBoundary {
    /// Prepare a boundary (lon/lat degrees; any number of parts and holes). Builds an R*-tree
    /// over every ring's edges; O(n log n) in the number of vertices.
    pub fn new(boundary: &MultiPolygon<f64>) -> Self {
        let mut rings = Vec::new();
        let mut edges = Vec::new();
        for ls in boundary
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        {
            let mut open: Vec<Coord<f64>> = ls.0.clone();
            if open.len() > 1 && open.first() == open.last() {
                open.pop();
            }
            if open.is_empty() {
                continue;
            }
            for (k, &a) in open.iter().enumerate() {
                let b = open[(k + 1) % open.len()];
                if [a.x, a.y, b.x, b.y].iter().all(|v| v.is_finite()) {
                    edges.push(Edge { a, b });
                }
            }
            let Some(rect) = LineString::new(open.clone()).bounding_rect() else {
                continue;
            };
            rings.push(Ring { open, rect });
        }
        let rect = boundary.bounding_rect().filter(rect_finite);
        Self {
            full: boundary.clone(),
            rings,
            tree: RTree::bulk_load(edges),
            rect,
        }
    }

    /// The boundary as given to [`PreparedBoundary::new`].
    pub fn boundary(&self) -> &MultiPolygon<f64> {
        &self.full
    }

    /// Whether a point (lon/lat) lies inside the boundary by the even-odd rule: a ray to +x,
    /// crossing counted with the half-open rule over the edges the ray can meet (from the
    /// R*-tree). For a point exactly on an edge the answer is one side or the other.
    pub fn contains_point(&self, p: Coord<f64>) -> bool {
        let Some(r) = self.rect else { return false };
        if !(p.x <= r.max().x && p.x >= r.min().x && p.y >= r.min().y && p.y <= r.max().y) {
            return false;
        }
        let ray = AABB::from_corners([p.x, p.y], [r.max().x, p.y]);
        let mut inside = false;
        for e in self.tree.locate_in_envelope_intersecting(&ray) {
            let (a, b) = (e.a, e.b);
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
                if p.x < x {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// The part of a feature (lon/lat polygons) outside the boundary. A feature whose envelope
    /// no boundary edge comes within 1e-7° of (more for a feature far away) is wholly inside or
    /// wholly outside, decided without a boolean operation (see the module doc); a feature
    /// nearer the boundary gets `geo`'s difference against the boundary clipped to a rectangle
    /// that holds its envelope and every edge that near it whole. A feature with non-finite
    /// coordinates gets the difference against the whole boundary; an empty one is `Inside`.
    pub fn outside(&self, subject: &MultiPolygon<f64>) -> Outside {
        self.outside_polygons(&subject.0)
    }

    /// [`PreparedBoundary::outside`] for a feature given as its polygons (for geometry
    /// borrowed from a layer: one polygon or a multipolygon's).
    pub fn outside_polygons(&self, polygons: &[Polygon<f64>]) -> Outside {
        let subject = Polygons(polygons);
        let Some(env) = polygons
            .iter()
            .filter_map(|p| p.bounding_rect())
            .reduce(|a, b| union(&a, &b))
        else {
            return Outside::Inside; // empty: nothing lies outside
        };
        if !rect_finite(&env) {
            return Outside::Part(subject.difference(&self.full));
        }
        let Some(brect) = self.rect else {
            return Outside::Wholly;
        };
        if !rects_meet(&grow(&env, 1e-9), &brect) {
            return Outside::Wholly;
        }
        // The edges near the feature and their envelope.
        let all = union(&env, &brect);
        let near = grow(&env, near_distance(&all));
        let mut reach: Option<Rect<f64>> = None;
        for e in self.tree.locate_in_envelope_intersecting(&to_aabb(&near)) {
            if segment_meets_rect(e.a, e.b, &near) {
                let r = Rect::new(e.a, e.b);
                reach = Some(reach.map_or(r, |u| union(&u, &r)));
            }
        }
        let Some(reach) = reach else {
            // No edge near: the envelope lies wholly on one side; any vertex says which.
            let probe = polygons
                .iter()
                .flat_map(|p| p.exterior().0.first())
                .next()
                .copied();
            return match probe {
                Some(p) if self.contains_point(p) => Outside::Inside,
                Some(_) => Outside::Wholly,
                None => Outside::Inside,
            };
        };
        // The clip rectangle holds the envelope grown by NEAR and every near edge whole (so
        // the edges the feature can meet reach the boolean operation unchanged; the edges the
        // clip cuts stay NEAR away), kept within the envelope of feature and boundary together
        // (so the boolean operation's grid does not change either).
        let g = union(&near, &reach);
        let clip = Rect::new(
            Coord {
                x: g.min().x.max(all.min().x),
                y: g.min().y.max(all.min().y),
            },
            Coord {
                x: g.max().x.min(all.max().x),
                y: g.max().y.min(all.max().y),
            },
        );
        let mut rings: Vec<LineString<f64>> = self
            .rings
            .iter()
            .filter(|r| rects_meet(&r.rect, &clip))
            .filter_map(|r| {
                let mut c = clip_ring(&r.open, &clip);
                let first = *c.first()?;
                c.push(first);
                Some(LineString::new(c))
            })
            .collect();
        for corner in [brect.min(), brect.max()] {
            rings.push(LineString::new(vec![corner, corner]));
        }
        Outside::Part(subject.difference(&LocalBoundary { rings }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::measure::area_m2;
    use crate::analysis::overlap::{as_multipolygon, square};
    use crate::model::LayerRole;
    use geo::Relate;

    /// The part outside by the oracle: `geo`'s difference against the whole boundary.
    fn oracle(s: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
        area_m2(&s.difference(b))
    }

    /// `outside` agrees with the oracle: area outside within 1e-6 m² (or 1e-9 relative), and
    /// the cheap answers only where they are right.
    fn check(pb: &PreparedBoundary, s: &MultiPolygon<f64>, what: &str) -> Outside {
        let b = pb.boundary();
        let want = oracle(s, b);
        let got = pb.outside(s);
        let area = match &got {
            Outside::Inside => {
                assert!(b.relate(s).is_covers(), "{what}: said inside, not covered");
                0.0
            }
            Outside::Wholly => {
                assert!(
                    !b.relate(s).is_intersects(),
                    "{what}: said outside, intersects"
                );
                area_m2(s)
            }
            Outside::Part(mp) => area_m2(mp),
        };
        // The oracle snaps to the boolean operation's grid (2⁻²⁹° for features near the real
        // boundary, 0.2 mm; coarser for far ones): it moves a small square's area by up to
        // ~1e-6. A feature wholly outside keeps its own vertices; only the local differences,
        // made on the same grid, are to agree exactly.
        let rel = if matches!(got, Outside::Wholly) {
            1e-5
        } else {
            1e-9
        };
        let tol = 1e-6_f64.max(rel * want.max(area));
        assert!(
            (area - want).abs() <= tol,
            "{what}: {got:?} area {area} vs oracle {want}"
        );
        got
    }

    fn mp(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon(vec![p])
    }

    /// Two parts: a 1° square with a 0.4° hole, and a 0.3° square island east of it.
    fn constructed() -> MultiPolygon<f64> {
        let outer = square(122.0, 45.0, 1.0);
        let hole = square(122.3, 45.3, 0.4);
        let with_hole = Polygon::new(outer.exterior().clone(), vec![hole.exterior().clone()]);
        MultiPolygon(vec![with_hole, square(123.5, 45.2, 0.3)])
    }

    #[test]
    fn constructed_cases_agree_with_the_oracle() {
        let pb = PreparedBoundary::new(&constructed());
        let d = 0.02;
        let cases: Vec<(&str, MultiPolygon<f64>, &str)> = vec![
            ("inside", mp(square(122.1, 45.1, d)), "inside"),
            ("outside", mp(square(121.5, 45.1, d)), "wholly"),
            ("far outside", mp(square(100.0, 30.0, d)), "wholly"),
            (
                "crossing the west edge",
                mp(square(121.99, 45.5, d)),
                "part",
            ),
            ("in the hole", mp(square(122.45, 45.45, d)), "wholly"),
            (
                "crossing the hole's edge",
                mp(square(122.29, 45.5, d)),
                "part",
            ),
            ("in the island", mp(square(123.6, 45.3, d)), "inside"),
            ("between the parts", mp(square(123.2, 45.3, d)), "wholly"),
            (
                "touching the west edge from inside",
                mp(square(122.0, 45.5, d)),
                "part",
            ),
            (
                "touching the west edge from outside",
                mp(square(122.0 - d, 45.5, d)),
                "part",
            ),
            ("covering the island", mp(square(123.4, 45.1, 0.5)), "part"),
            ("covering the hole", mp(square(122.25, 45.25, 0.5)), "part"),
            ("covering everything", mp(square(121.0, 44.0, 3.0)), "part"),
            (
                "two parts, one in one out",
                MultiPolygon(vec![square(122.1, 45.1, d), square(121.5, 45.1, d)]),
                "part",
            ),
        ];
        for (what, s, kind) in cases {
            let got = check(&pb, &s, what);
            let k = match got {
                Outside::Inside => "inside",
                Outside::Wholly => "wholly",
                Outside::Part(_) => "part",
            };
            assert_eq!(k, kind, "{what}");
        }
        // The touching cases: nothing (inside) or everything (outside) lies outside.
        let a = |s: MultiPolygon<f64>| match pb.outside(&s) {
            Outside::Part(m) => area_m2(&m),
            o => panic!("{o:?}"),
        };
        assert!(a(mp(square(122.0, 45.5, d))) < 1e-6);
        let s = mp(square(122.0 - d, 45.5, d));
        assert!((a(s.clone()) - area_m2(&s)).abs() < 1e-6 * area_m2(&s));
    }

    #[test]
    fn point_in_polygon_follows_even_odd() {
        let pb = PreparedBoundary::new(&constructed());
        for (x, y, want) in [
            (122.1, 45.1, true),
            (122.5, 45.5, false), // in the hole
            (123.6, 45.3, true),  // island
            (123.2, 45.3, false), // between the parts
            (121.9, 45.5, false),
            (125.0, 45.5, false),
            (122.999, 45.999, true),
        ] {
            assert_eq!(pb.contains_point(Coord { x, y }), want, "({x}, {y})");
        }
    }

    #[test]
    fn empty_boundary_leaves_everything_outside() {
        let pb = PreparedBoundary::new(&MultiPolygon(vec![]));
        assert_eq!(pb.outside(&mp(square(122.0, 45.0, 0.1))), Outside::Wholly);
        assert!(!pb.contains_point(Coord { x: 122.0, y: 45.0 }));
    }

    /// A small deterministic generator (xorshift64*), so the test needs no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn random_squares_over_the_real_boundary_agree_with_the_oracle() {
        let layers = crate::plan::bundled::load_all().expect("bundled layers");
        let b = layers
            .iter()
            .find(|l| l.role == LayerRole::Boundary)
            .and_then(|l| l.features.first())
            .and_then(|f| as_multipolygon(&f.geometry))
            .expect("the bundled boundary");
        let pb = PreparedBoundary::new(&b);
        let r = b.bounding_rect().expect("extent");
        let vertices: Vec<Coord<f64>> = b.iter().flat_map(|p| p.exterior().0.clone()).collect();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut inside, mut wholly, mut part) = (0, 0, 0);
        for k in 0..400 {
            let side = 0.002 + 0.05 * rng.next() * rng.next();
            // Half near a boundary vertex (most cross it), half anywhere around the boundary.
            let (x, y) = if k % 2 == 0 {
                let v = vertices[(rng.next() * vertices.len() as f64) as usize % vertices.len()];
                (v.x - side * rng.next(), v.y - side * rng.next())
            } else {
                (
                    r.min().x - 0.1 + (r.width() + 0.2) * rng.next(),
                    r.min().y - 0.1 + (r.height() + 0.2) * rng.next(),
                )
            };
            let mut s = mp(square(x, y, side));
            if k % 3 == 0 {
                // A square with a hole and a second part, as surveyed parcels can be.
                let hole = square(x + 0.3 * side, y + 0.3 * side, 0.4 * side);
                s = MultiPolygon(vec![
                    Polygon::new(s.0[0].exterior().clone(), vec![hole.exterior().clone()]),
                    square(x + 1.5 * side, y, 0.5 * side),
                ]);
            }
            match check(&pb, &s, &format!("square {k} at ({x}, {y}), side {side}")) {
                Outside::Inside => inside += 1,
                Outside::Wholly => wholly += 1,
                Outside::Part(_) => part += 1,
            }
        }
        assert!(
            inside > 20 && wholly > 20 && part > 100,
            "{inside} {wholly} {part}"
        );
    }
}
