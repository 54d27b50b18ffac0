//! Lengths and areas on the CGCS2000 ellipsoid, for the measure tool, and their formatting in
//! the units a Chinese land office uses (m, km, m², km², 亩, 公顷).
//!
//! CGCS2000 uses the GRS80 ellipsoid (a = 6 378 137 m, 1/f = 298.257 222 101). The geodesics
//! are GeographicLib's (Karney 2013, `geographiclib-rs`, the library `geo`'s `Geodesic*`
//! algorithms wrap) set up with GRS80's parameters, so nothing rests on the WGS84 ≈ CGCS2000
//! approximation here. (For the record: the two ellipsoids differ by 0.105 mm in the
//! semi-minor axis; lengths and areas agree to about 1e-11 relative, which the tests check
//! against `geo`'s WGS84 figures.)
//!
//! Input points are CGCS2000 (longitude, latitude) in degrees; results are in metres and
//! square metres.

use std::sync::OnceLock;

use geographiclib_rs::{Geodesic, InverseGeodesic, PolygonArea, Winding};

/// GRS80 semi-major axis (CGCS2000), metres.
pub const GRS80_A: f64 = 6_378_137.0;
/// GRS80 inverse flattening (CGCS2000).
pub const GRS80_RF: f64 = 298.257_222_101;
/// Square metres in one 亩 (mu): 10 000 / 15 m² = 666.666… m².
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;
/// Square metres in one 公顷 (hectare).
pub const M2_PER_HECTARE: f64 = 10_000.0;

/// The CGCS2000 (GRS80) geodesic, set up once.
pub fn cgcs2000() -> &'static Geodesic {
    static G: OnceLock<Geodesic> = OnceLock::new();
    G.get_or_init(|| Geodesic::new(GRS80_A, 1.0 / GRS80_RF))
}

/// Geodesic distance in metres between two (lon, lat) points on the CGCS2000 ellipsoid.
/// Non-finite input gives NaN.
pub fn distance_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    let s12: f64 = cgcs2000().inverse(a[1], a[0], b[1], b[0]);
    s12
}

/// The geodesic length of each segment of a path (one fewer than the points), in metres.
pub fn segment_lengths_m(points: &[[f64; 2]]) -> Vec<f64> {
    points.windows(2).map(|w| distance_m(w[0], w[1])).collect()
}

/// The geodesic length of a path through the points, in metres (0 for fewer than two).
pub fn path_length_m(points: &[[f64; 2]]) -> f64 {
    segment_lengths_m(points).iter().sum()
}

/// The perimeter of the ring through the points (closed back to the first), in metres.
pub fn ring_perimeter_m(points: &[[f64; 2]]) -> f64 {
    match (points.first(), points.last()) {
        (Some(first), Some(last)) if points.len() >= 2 => {
            path_length_m(points) + distance_m(*last, *first)
        }
        _ => 0.0,
    }
}

/// The area enclosed by the ring through the points (closed back to the first; a repeated
/// closing point is harmless), in m², whatever the winding. 0 for fewer than three points.
/// Edges are geodesics; a self-crossing ring counts its lobes with opposite signs, as in
/// GeographicLib.
pub fn ring_area_m2(points: &[[f64; 2]]) -> f64 {
    if points.len() < 3 {
        return 0.0;
    }
    let mut pa = PolygonArea::new(cgcs2000(), Winding::CounterClockwise);
    for p in points {
        pa.add_point(p[1], p[0]);
    }
    // Signed: a clockwise ring comes back negative instead of as the rest of the globe.
    let (_perimeter, area, _n) = pa.compute(true);
    area.abs()
}

/// A length for people: "356.2 m" below 1 km, "12.346 km" above (the same in both languages).
pub fn format_length(m: f64) -> String {
    if m.abs() < 1000.0 {
        format!("{m:.1} m")
    } else {
        format!("{:.3} km", m / 1000.0)
    }
}

/// An area for people: m² (below 0.1 km²) or km², then 亩 and 公顷, e.g.
/// "8.2000 km²（12300.00 亩，820.0000 公顷）" / "8.2000 km² (12300.00 mu, 820.0000 ha)".
pub fn format_area(m2: f64, chinese: bool) -> String {
    let main = if m2.abs() < 100_000.0 {
        format!("{m2:.1} m²")
    } else {
        format!("{:.4} km²", m2 / 1e6)
    };
    let (mu, ha) = (m2 / M2_PER_MU, m2 / M2_PER_HECTARE);
    if chinese {
        format!("{main}（{mu:.2} 亩，{ha:.4} 公顷）")
    } else {
        format!("{main} ({mu:.2} mu, {ha:.4} ha)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Geodesic as GeoGeodesic, GeodesicArea, Length, LineString, Polygon};

    fn geo_area(points: &[[f64; 2]]) -> f64 {
        let ring: LineString<f64> = points.iter().map(|p| (p[0], p[1])).collect();
        Polygon::new(ring, vec![]).geodesic_area_unsigned()
    }

    #[test]
    fn a_one_degree_cell_agrees_with_geo_to_1e9_relative() {
        // 122–123° E, 45–46° N: the cell Taonan sits in.
        let cell = [[122.0, 45.0], [123.0, 45.0], [123.0, 46.0], [122.0, 46.0]];
        let ours = ring_area_m2(&cell);
        let theirs = geo_area(&cell);
        assert!(
            ((ours - theirs) / theirs).abs() < 1e-9,
            "{ours} vs {theirs}"
        );
        // About 8 670 km² (78.0 km × 111.1 km at 45.5° N); a little more, as its geodesic
        // edges bow away from the parallels.
        assert!((ours / 1e6 - 8670.0).abs() < 40.0, "{ours}");
        // Clockwise gives the same area, not the rest of the globe.
        let mut cw = cell;
        cw.reverse();
        assert!((ring_area_m2(&cw) - ours).abs() < 1e-3);
        let line: LineString<f64> = cell.iter().map(|p| (p[0], p[1])).collect();
        let theirs_len = GeoGeodesic.length(&line);
        assert!(((path_length_m(&cell) - theirs_len) / theirs_len).abs() < 1e-9);
    }

    /// A published value: Wellington → Salamanca (GeographicLib's GeodSolve76 case, a classic
    /// failure of Vincenty) is 19 960 543.857 m on WGS84; on GRS80 it differs by well under a
    /// centimetre (the ellipsoids differ by 0.1 mm in the semi-minor axis).
    #[test]
    fn a_published_distance_is_matched() {
        let wellington = [174.0 + 49.0 / 60.0, -(41.0 + 19.0 / 60.0)];
        let salamanca = [-(5.0 + 30.0 / 60.0), 40.0 + 58.0 / 60.0];
        let d = distance_m(wellington, salamanca);
        assert!((d - 19_960_543.857).abs() < 0.01, "{d}");
    }

    /// A 1 km × 1 km square drawn in zone-41 Gauss-Krüger coordinates (EPSG:4529) near
    /// Taonan, taken to lon/lat by PROJ: its area on the ellipsoid is 1 km² divided by the
    /// square of the projection's scale there, k = 1 + Δe²/(2R²) (Δe: the distance from the
    /// central meridian, R: the mean radius), to a few parts in 1e7.
    #[test]
    fn a_zone41_square_of_known_size_has_its_area() {
        use crate::crs::{SurveyXY, zone41_to_lonlat};
        let (x0, y0) = (5_023_456.7, 41_457_390.25);
        let corners = [(0.0, 0.0), (0.0, 1000.0), (1000.0, 1000.0), (1000.0, 0.0)];
        let ring: Vec<[f64; 2]> = corners
            .iter()
            .map(|(dx, dy)| {
                let (lon, lat) = zone41_to_lonlat(SurveyXY {
                    x: x0 + dx,
                    y: y0 + dy,
                })
                .expect("PROJ");
                [lon, lat]
            })
            .collect();
        let de = y0 + 500.0 - 41_500_000.0;
        let k = 1.0 + de * de / (2.0 * 6_371_000.0f64.powi(2));
        let area = ring_area_m2(&ring);
        let expected = 1e6 / (k * k);
        assert!(
            ((area - expected) / expected).abs() < 5e-7,
            "{area} vs {expected}"
        );
        assert!(((area - geo_area(&ring)) / area).abs() < 1e-9);
        let side = distance_m(ring[0], ring[1]);
        assert!((side - 1000.0 / k).abs() < 1e-3, "{side}");
    }

    #[test]
    fn formats_use_the_offices_units() {
        assert_eq!(format_length(356.24), "356.2 m");
        assert_eq!(format_length(12_345.6), "12.346 km");
        assert_eq!(
            format_area(8.2e6, true),
            "8.2000 km²（12300.00 亩，820.0000 公顷）"
        );
        assert_eq!(
            format_area(666.666_666_7, false),
            "666.7 m² (1.00 mu, 0.0667 ha)"
        );
    }

    #[test]
    fn degenerate_input_gives_zero_not_a_panic() {
        assert_eq!(ring_area_m2(&[]), 0.0);
        assert_eq!(ring_area_m2(&[[1.0, 1.0], [2.0, 2.0]]), 0.0);
        assert_eq!(path_length_m(&[[1.0, 1.0]]), 0.0);
        assert_eq!(ring_perimeter_m(&[]), 0.0);
        assert!(distance_m([f64::NAN, 0.0], [1.0, 1.0]).is_nan());
    }
}
