//! GCJ-02 ("Mars coordinates") ↔ WGS84 / CGCS2000 conversion.
//!
//! GCJ-02 is the obfuscated datum of AMap (高德) and Tencent tiles and of AMap-derived data such as
//! the bundled source boundaries. The forward transform is the well-known public formula on the
//! Krasovsky ellipsoid; the inverse is solved by fixed-point iteration to 1e-9°, so a round trip is
//! exact to far better than a millimetre. Outside China the forward transform is the identity, as in
//! every published implementation.

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

/// Rough bounding box of China used by the published formula: outside it no offset is applied.
pub fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// The GCJ-02 offset (Δlon, Δlat) in degrees at a WGS84 position.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    let dlat = transform_lat(lon - 105.0, lat - 35.0);
    let dlon = transform_lon(lon - 105.0, lat - 35.0);
    let radlat = lat / 180.0 * PI;
    let magic = 1.0 - EE * radlat.sin() * radlat.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * radlat.cos() * PI);
    (dlon, dlat)
}

/// WGS84 (or CGCS2000) longitude/latitude → GCJ-02.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (dlon, dlat) = offset(lon, lat);
    (lon + dlon, lat + dlat)
}

/// GCJ-02 longitude/latitude → WGS84 (or CGCS2000), the exact inverse of [`wgs84_to_gcj02`]
/// found by iteration (converges in a handful of steps; stops at 1e-9°).
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (mut wlon, mut wlat) = (lon, lat);
    for _ in 0..30 {
        let (glon, glat) = wgs84_to_gcj02(wlon, wlat);
        let (elon, elat) = (glon - lon, glat - lat);
        wlon -= elon;
        wlat -= elat;
        if elon.abs() < 1e-9 && elat.abs() < 1e-9 {
            break;
        }
    }
    (wlon, wlat)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference pair published with the widely used `eviltransform` / `coordtransform`
    /// libraries: Beijing, WGS84 (116.404, 39.915) → GCJ-02 (116.41024449916938, 39.91640428150164).
    #[test]
    fn forward_matches_published_reference() {
        let (lon, lat) = wgs84_to_gcj02(116.404, 39.915);
        assert!((lon - 116.410_244_499_169_38).abs() < 1e-9, "{lon}");
        assert!((lat - 39.916_404_281_501_64).abs() < 1e-9, "{lat}");
    }

    #[test]
    fn round_trip_within_1e6_degree() {
        for &(lon, lat) in &[
            (122.798579, 45.356807),
            (121.7, 45.1),
            (123.3, 46.0),
            (116.4, 39.9),
        ] {
            let (glon, glat) = wgs84_to_gcj02(lon, lat);
            let (wlon, wlat) = gcj02_to_wgs84(glon, glat);
            assert!((wlon - lon).abs() < 1e-6 && (wlat - lat).abs() < 1e-6);
        }
    }

    #[test]
    fn shift_at_taonan_is_as_documented() {
        // domain.md: ≈ +0.006° lon, +0.002° lat at Taonan.
        let (glon, glat) = wgs84_to_gcj02(122.79, 45.35);
        assert!((glon - 122.79 - 0.006).abs() < 0.002, "{}", glon - 122.79);
        assert!((glat - 45.35 - 0.002).abs() < 0.002, "{}", glat - 45.35);
    }

    #[test]
    fn identity_outside_china() {
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85));
    }
}
