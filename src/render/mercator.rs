//! Web Mercator maths for drawing: the northing near a latitude as a short series, so that
//! drawing a county layer projects 31 million vertices with multiplications only. Pure
//! functions, tested against the exact formula ([`super::merc_y`]).

use super::merc_y;

/// The Mercator northing `ln tan(π/4 + φ/2)` near a latitude φ₀, as a 4th-order Taylor series
/// in `d = φ − φ₀` (radians): five multiplications instead of `tan` and `ln`.
///
/// The series is used only where its first left-out term, `m⁽⁵⁾ d⁵ / 120`, stays below
/// 0.01 pixel at the view's scale ([`LocalMercator::covers`]); elsewhere the exact formula is
/// used.
#[derive(Debug, Clone, Copy)]
pub struct LocalMercator {
    lat0: f64,
    m0: f64,
    c: [f64; 4],
    reach: f64,
}

impl LocalMercator {
    /// The series around `lat0_deg` (degrees) for a map of `k` pixels per radian.
    pub fn new(lat0_deg: f64, k: f64) -> Self {
        let phi = lat0_deg.clamp(-85.0, 85.0).to_radians();
        let (sec, tan) = (1.0 / phi.cos(), phi.tan());
        let t2 = tan * tan;
        // Derivatives of the northing: sec, sec·tan, sec(2tan²+1), sec·tan(6tan²+5).
        let c = [
            sec,
            sec * tan / 2.0,
            sec * (2.0 * t2 + 1.0) / 6.0,
            sec * tan * (6.0 * t2 + 5.0) / 24.0,
        ];
        // The fifth derivative, sec(24tan⁴+28tan²+5), bounded over the band by taking it 0.2 rad
        // further from the equator.
        let far = (phi.abs() + 0.2).min(85f64.to_radians());
        let (s5, t5) = (1.0 / far.cos(), far.tan());
        let m5 = s5 * (24.0 * t5.powi(4) + 28.0 * t5 * t5 + 5.0);
        let reach = if k > 0.0 && k.is_finite() {
            (0.01 * 120.0 / (k * m5)).powf(0.2).min(0.2)
        } else {
            0.0
        };
        Self {
            lat0: phi,
            m0: merc_y(lat0_deg.clamp(-85.0, 85.0)),
            c,
            reach,
        }
    }

    /// Whether latitudes from `lat_min` to `lat_max` (degrees) are within the series' band.
    pub fn covers(&self, lat_min: f64, lat_max: f64) -> bool {
        (lat_min.to_radians() - self.lat0).abs() <= self.reach
            && (lat_max.to_radians() - self.lat0).abs() <= self.reach
    }

    /// The northing of `lat` (degrees), in radians of the sphere like [`merc_y`].
    #[inline]
    pub fn y(&self, lat: f64) -> f64 {
        let d = lat.to_radians() - self.lat0;
        let c = &self.c;
        self.m0 + d * (c[0] + d * (c[1] + d * (c[2] + d * c[3])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_agrees_with_the_exact_northing_within_a_hundredth_of_a_pixel() {
        for (lat0, zoom) in [
            (45.5, 8.0),
            (45.5, 12.0),
            (45.5, 18.0),
            (60.0, 6.0),
            (-30.0, 10.0),
        ] {
            let k = 256.0 * 2f64.powf(zoom) / (2.0 * std::f64::consts::PI);
            let s = LocalMercator::new(lat0, k);
            assert!(s.reach > 0.0);
            let reach_deg = s.reach.to_degrees();
            for i in -50..=50 {
                let lat = lat0 + 0.999 * reach_deg * f64::from(i) / 50.0;
                assert!(s.covers(lat, lat));
                let err_px = (s.y(lat) - merc_y(lat)).abs() * k;
                assert!(
                    err_px < 0.01,
                    "lat0 {lat0} zoom {zoom} lat {lat}: {err_px} px"
                );
            }
            assert!(!s.covers(lat0 + reach_deg * 1.01, lat0));
        }
    }
}
