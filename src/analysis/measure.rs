//! Measures on the ellipsoid: area (km², 亩), perimeter, centroid, and coordinate formatting.
//!
//! Areas and perimeters are geodesic on the WGS84 ellipsoid (GeographicLib via `geo`); CGCS2000's
//! ellipsoid differs from it by 0.1 mm in the semi-minor axis, far below any figure shown.

use geo::orient::{Direction, Orient};
use geo::{Centroid, GeodesicArea, Geometry};

/// Square metres in one 亩 (mu): 10000/15 m².
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// Ellipsoidal area in km² (0 for points and lines). Rings are oriented first (shapefiles store
/// outer rings clockwise; a geodesic area of a clockwise ring would be the rest of the globe).
pub fn area_km2(g: &Geometry<f64>) -> f64 {
    match g {
        Geometry::Polygon(p) => p.orient(Direction::Default).geodesic_area_unsigned() / 1e6,
        Geometry::MultiPolygon(m) => m.orient(Direction::Default).geodesic_area_unsigned() / 1e6,
        Geometry::Rect(r) => {
            r.to_polygon()
                .orient(Direction::Default)
                .geodesic_area_unsigned()
                / 1e6
        }
        Geometry::Triangle(t) => {
            t.to_polygon()
                .orient(Direction::Default)
                .geodesic_area_unsigned()
                / 1e6
        }
        _ => 0.0,
    }
}

/// Ellipsoidal area of a multipolygon in m², without copying it into a `Geometry`.
pub fn area_m2(mp: &geo::MultiPolygon<f64>) -> f64 {
    mp.orient(Direction::Default).geodesic_area_unsigned()
}

/// Ellipsoidal area of one polygon in m² (holes subtracted), whatever its rings' winding.
pub fn polygon_area_m2(p: &geo::Polygon<f64>) -> f64 {
    p.orient(Direction::Default).geodesic_area_unsigned()
}

/// km² → 亩.
pub fn km2_to_mu(km2: f64) -> f64 {
    km2 * 1e6 / M2_PER_MU
}

/// Ellipsoidal perimeter (polygons) or length (lines) in km.
pub fn perimeter_km(g: &Geometry<f64>) -> f64 {
    use geo::{Geodesic, Length};
    match g {
        Geometry::Polygon(_) | Geometry::MultiPolygon(_) => g.geodesic_perimeter() / 1e3,
        Geometry::LineString(l) => Geodesic.length(l) / 1e3,
        Geometry::MultiLineString(m) => m.0.iter().map(|l| Geodesic.length(l)).sum::<f64>() / 1e3,
        _ => 0.0,
    }
}

/// Centroid (lon, lat) of a geometry, computed in lon/lat (adequate at zone scale).
pub fn centroid(g: &Geometry<f64>) -> Option<(f64, f64)> {
    g.centroid().map(|p| (p.x(), p.y()))
}

/// Format degrees as D°M′S.sss″ with the hemisphere letter (`pos`/`neg`, e.g. 'E'/'W').
pub fn dms(deg: f64, pos: char, neg: char) -> String {
    let hemi = if deg < 0.0 { neg } else { pos };
    let total_ms = (deg.abs() * 3_600_000.0).round() as u64;
    let d = total_ms / 3_600_000;
    let m = (total_ms / 60_000) % 60;
    let s = (total_ms % 60_000) as f64 / 1000.0;
    format!("{d}°{m:02}′{s:06.3}″{hemi}")
}

/// Format lon/lat as DMS, e.g. `122°47′42.123″E 45°20′04.560″N`.
pub fn lonlat_dms(lon: f64, lat: f64) -> String {
    format!("{} {}", dms(lon, 'E', 'W'), dms(lat, 'N', 'S'))
}

/// "8.2000 km²（12300.00 亩）" / "8.2000 km² (12300.00 mu)".
pub fn format_area(km2: f64, mu: f64, chinese: bool) -> String {
    if chinese {
        format!("{km2:.4} km²（{mu:.2} 亩）")
    } else {
        format!("{km2:.4} km² ({mu:.2} mu)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Rect, coord};

    #[test]
    fn dms_formats() {
        assert_eq!(dms(121.0 + 38.0 / 60.0, 'E', 'W'), "121°38′00.000″E");
        assert_eq!(dms(45.5, 'N', 'S'), "45°30′00.000″N");
    }

    #[test]
    fn one_km2_is_1500_mu() {
        assert!((km2_to_mu(1.0) - 1500.0).abs() < 1e-9);
    }

    #[test]
    fn area_of_a_small_cell_matches_spherical_estimate() {
        // A 0.01° × 0.01° cell at 45° N ≈ 1.1132 km × 0.7871 km ≈ 0.876 km².
        let rect = Rect::new(coord! {x: 122.0, y: 45.0}, coord! {x: 122.01, y: 45.01});
        let a = area_km2(&rect.into());
        assert!((a - 0.8755).abs() < 0.005, "{a}");
        // The same cell as a clockwise ring (as shapefiles store outer rings).
        let mut p = rect.to_polygon();
        p.exterior_mut(|e| e.0.reverse());
        assert!((area_km2(&Geometry::Polygon(p)) - a).abs() < 1e-9);
    }
}
