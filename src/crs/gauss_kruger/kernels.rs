//! The fast inner loop of the inverse: branch-free polynomial sin/cos, exp and atan, the
//! Clenshaw sums of the Krüger series, the inverse of one point built from them, and the block
//! loop that runs it over many points, compiled for the baseline and for AVX2.
//!
//! The inverse works on runs of points with the elementary functions below instead of libm's:
//! they are branch-free polynomials (and one rational function) on the bounded arguments the
//! domain allows, so the compiler can evaluate several points at once in vector registers. Each
//! is accurate to a few units in the last place on its range (see the tests).

use super::{GaussKruger, MAX_EASTING_OFFSET, MAX_NORTHING, ORDER};

/// sin x, cos x for |x| ≤ 1.6 (|normalised northing| ≤ π/2): Taylor series of the half angle
/// (|x/2| ≤ 0.8, truncation < 1e-19) and the double-angle formulas.
#[inline(always)]
pub(super) fn sin_cos_poly(x: f64) -> (f64, f64) {
    let h = 0.5 * x;
    let h2 = h * h;
    let mut s = 1.0 - h2 * (1.0 / (16.0 * 17.0));
    s = 1.0 - h2 * (1.0 / (14.0 * 15.0)) * s;
    s = 1.0 - h2 * (1.0 / (12.0 * 13.0)) * s;
    s = 1.0 - h2 * (1.0 / (10.0 * 11.0)) * s;
    s = 1.0 - h2 * (1.0 / (8.0 * 9.0)) * s;
    s = 1.0 - h2 * (1.0 / (6.0 * 7.0)) * s;
    s = 1.0 - h2 * (1.0 / (4.0 * 5.0)) * s;
    s = 1.0 - h2 * (1.0 / (2.0 * 3.0)) * s;
    let sin_h = h * s;
    let mut c = 1.0 - h2 * (1.0 / (17.0 * 18.0));
    c = 1.0 - h2 * (1.0 / (15.0 * 16.0)) * c;
    c = 1.0 - h2 * (1.0 / (13.0 * 14.0)) * c;
    c = 1.0 - h2 * (1.0 / (11.0 * 12.0)) * c;
    c = 1.0 - h2 * (1.0 / (9.0 * 10.0)) * c;
    c = 1.0 - h2 * (1.0 / (7.0 * 8.0)) * c;
    c = 1.0 - h2 * (1.0 / (5.0 * 6.0)) * c;
    c = 1.0 - h2 * (1.0 / (3.0 * 4.0)) * c;
    let cos_h = 1.0 - h2 * 0.5 * c;
    (2.0 * sin_h * cos_h, (cos_h - sin_h) * (cos_h + sin_h))
}

/// exp x for |x| ≤ 0.16 (|normalised easting| in the domain): Taylor series to x¹²
/// (truncation < 1e-18).
#[inline(always)]
pub(super) fn exp_poly(x: f64) -> f64 {
    let mut e = 1.0 + x * (1.0 / 12.0);
    e = 1.0 + x * (1.0 / 11.0) * e;
    e = 1.0 + x * (1.0 / 10.0) * e;
    e = 1.0 + x * (1.0 / 9.0) * e;
    e = 1.0 + x * (1.0 / 8.0) * e;
    e = 1.0 + x * (1.0 / 7.0) * e;
    e = 1.0 + x * (1.0 / 6.0) * e;
    e = 1.0 + x * (1.0 / 5.0) * e;
    e = 1.0 + x * (1.0 / 4.0) * e;
    e = 1.0 + x * (1.0 / 3.0) * e;
    e = 1.0 + x * 0.5 * e;
    1.0 + x * e
}

/// sin d, cos d for a small |d| (< 1e-2): Taylor series, truncation error < 1e-20.
#[inline(always)]
pub(super) fn small_sin_cos(d: f64) -> (f64, f64) {
    let d2 = d * d;
    let sin = d * (1.0 - d2 * (1.0 / 6.0) * (1.0 - d2 * (1.0 / 20.0) * (1.0 - d2 * (1.0 / 42.0))));
    let cos = 1.0
        - d2 * 0.5
            * (1.0 - d2 * (1.0 / 12.0) * (1.0 - d2 * (1.0 / 30.0) * (1.0 - d2 * (1.0 / 56.0))));
    (sin, cos)
}

/// exp d for a small |d| (< 1e-2): Taylor series, truncation error < 1e-20.
#[inline(always)]
pub(super) fn small_exp(d: f64) -> f64 {
    let mut e = 1.0 + d * (1.0 / 7.0);
    e = 1.0 + d * (1.0 / 6.0) * e;
    e = 1.0 + d * (1.0 / 5.0) * e;
    e = 1.0 + d * (1.0 / 4.0) * e;
    e = 1.0 + d * (1.0 / 3.0) * e;
    e = 1.0 + d * 0.5 * e;
    1.0 + d * e
}

/// atan x for any finite x: the Cephes rational approximation (S. L. Moshier, `atan.c`,
/// relative error ≤ 2.2e-16) after reduction to |x| ≤ 0.66 by atan x = π/2 − atan(1/x) and
/// atan x = π/4 + atan((x − 1)/(x + 1)); selects instead of branches.
#[inline(always)]
pub(super) fn atan_poly(x: f64) -> f64 {
    const P: [f64; 5] = [
        -8.750_608_600_031_904e-1,
        -1.615_753_718_733_365e1,
        -7.500_855_792_314_705e1,
        -1.228_866_684_490_136_2e2,
        -6.485_021_904_942_025e1,
    ];
    const Q: [f64; 5] = [
        2.485_846_490_142_306_3e1,
        1.650_270_098_316_988_6e2,
        4.328_810_604_912_903e2,
        4.853_903_996_359_137e2,
        1.945_506_571_482_614e2,
    ];
    /// π/2 − its f64 value.
    const MOREBITS: f64 = 6.123_233_995_736_766e-17;
    const TAN_3PI_8: f64 = 2.414_213_562_373_095;
    let a = x.abs();
    let big = a > TAN_3PI_8;
    let mid = a > 0.66;
    let inv = -1.0 / a;
    let shifted = (a - 1.0) / (a + 1.0);
    let r = if big {
        inv
    } else if mid {
        shifted
    } else {
        a
    };
    let base = if big {
        std::f64::consts::FRAC_PI_2
    } else if mid {
        std::f64::consts::FRAC_PI_4
    } else {
        0.0
    };
    let extra = if big {
        MOREBITS
    } else if mid {
        0.5 * MOREBITS
    } else {
        0.0
    };
    let z = r * r;
    let p = (((P[0] * z + P[1]) * z + P[2]) * z + P[3]) * z + P[4];
    let q = ((((z + Q[0]) * z + Q[1]) * z + Q[2]) * z + Q[3]) * z + Q[4];
    let t = r * (z * p / q) + r + extra;
    (base + t).copysign(x)
}

/// Σ_j c_j · sin(2jB) by Clenshaw summation, given cos 2B and sin 2B.
#[inline(always)]
pub(super) fn clenshaw_sin(c: &[f64; ORDER], cos_2b: f64, sin_2b: f64) -> f64 {
    let two_cos = 2.0 * cos_2b;
    let (mut h1, mut h2) = (c[ORDER - 1], 0.0);
    let mut h = h1;
    for &ck in c[..ORDER - 1].iter().rev() {
        h = -h2 + two_cos * h1 + ck;
        h2 = h1;
        h1 = h;
    }
    h * sin_2b
}

/// Σ_j c_j · sin(2j(ξ + iη)) by complex Clenshaw summation, given sin 2ξ, cos 2ξ, sinh 2η and
/// cosh 2η; returns (real, imaginary) parts.
#[inline(always)]
pub(super) fn clenshaw_complex(c: &[f64; ORDER], s: f64, co: f64, sh: f64, ch: f64) -> (f64, f64) {
    let r = 2.0 * co * ch;
    let i = -2.0 * s * sh;
    let (mut hr, mut hi) = (c[ORDER - 1], 0.0);
    let (mut hr1, mut hi1) = (0.0, 0.0);
    for &ck in c[..ORDER - 1].iter().rev() {
        let (hr2, hi2) = (hr1, hi1);
        hr1 = hr;
        hi1 = hi;
        hr = -hr2 + r * hr1 - i * hi1 + ck;
        hi = -hi2 + i * hr1 + r * hi1;
    }
    let r = s * ch;
    let i = co * sh;
    (r * hr - i * hi, r * hi + i * hr)
}

impl GaussKruger {
    /// The inverse of one point without branches (so that a loop over many points becomes
    /// vector instructions): CGCS2000 (longitude, latitude) in radians, the longitude not yet
    /// brought into [−π, π]; NaN for a point outside the domain.
    #[inline(always)]
    pub(super) fn inverse_radians(&self, easting: f64, northing: f64) -> (f64, f64) {
        let x = easting - self.false_easting;
        // Written so that NaN fails the test.
        let inside = x.abs() <= MAX_EASTING_OFFSET && northing.abs() <= MAX_NORTHING;
        // Refused points are computed as the origin, keeping the arithmetic finite.
        let x = if inside { x } else { 0.0 };
        let y = if inside { northing } else { 0.0 };
        // Normalised N, E (|cn| ≤ 1.56, |ce| ≤ 0.158 in the domain).
        let cn = y * self.inv_a_qn;
        let ce = x * self.inv_a_qn;
        // sin, cos of the normalised northing and exp of the normalised easting, once: the
        // double angles and the values after the series's corrections come from them.
        let (sin_n, cos_n) = sin_cos_poly(cn);
        let exp_e = exp_poly(ce);
        let inv_exp_e = 1.0 / exp_e;
        let sin_2n = 2.0 * sin_n * cos_n;
        let cos_2n = (cos_n - sin_n) * (cos_n + sin_n);
        let (exp_2e, inv_exp_2e) = (exp_e * exp_e, inv_exp_e * inv_exp_e);
        let sinh_2e = 0.5 * (exp_2e - inv_exp_2e);
        let cosh_2e = 0.5 * (exp_2e + inv_exp_2e);
        // Ellipsoidal → complex spherical N, E (Krüger inverse series): small corrections
        // (|dn|, |de| < 1e-3 in the domain).
        let (dn, de) = clenshaw_complex(&self.utg, sin_2n, cos_2n, sinh_2e, cosh_2e);
        // sin, cos of cn + dn and sinh of ce + de by the addition theorems.
        let (sin_d, cos_d) = small_sin_cos(dn);
        let sin_cn = sin_n * cos_d + cos_n * sin_d;
        let cos_cn = cos_n * cos_d - sin_n * sin_d;
        let exp_ce = exp_e * small_exp(de);
        let sinh_ce = 0.5 * (exp_ce - 1.0 / exp_ce);
        // Complex spherical → Gaussian (conformal) latitude and longitude. In the domain
        // |cn + dn| < π/2, so cos_cn > 0 and the modulus > 0: atan of the ratio is atan2.
        let lam = atan_poly(sinh_ce / cos_cn);
        let modulus = (sinh_ce * sinh_ce + cos_cn * cos_cn).sqrt();
        let chi = atan_poly(sin_cn / modulus);
        // sin 2χ, cos 2χ without trigonometry.
        let t = 2.0 * modulus / (sinh_ce * sinh_ce + 1.0);
        let sin_2chi = sin_cn * t;
        let cos_2chi = t * modulus - 1.0;
        // Gaussian → geodetic latitude.
        let phi = chi + clenshaw_sin(&self.cgb, cos_2chi, sin_2chi);
        if inside {
            (lam + self.lam0, phi)
        } else {
            (f64::NAN, f64::NAN)
        }
    }

    /// Block inverse, in place: east becomes longitude, north latitude (radians; NaN outside
    /// the domain). Compiled twice on x86-64: for the baseline (SSE2) and for AVX2, chosen at
    /// run time; both give the same bits (no fused multiply-add either way).
    pub(super) fn inverse_block(&self, east: &mut [f64], north: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked just above).
            unsafe { self.inverse_block_avx2(east, north) };
            return;
        }
        self.inverse_block_generic(east, north);
    }

    /// [`GaussKruger::inverse_block`] compiled for AVX2 (4 points per vector instruction).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub(super) fn inverse_block_avx2(&self, east: &mut [f64], north: &mut [f64]) {
        self.inverse_block_generic(east, north);
    }

    /// The loop of [`GaussKruger::inverse_block`], inlined into each compiled version.
    #[inline(always)]
    pub(super) fn inverse_block_generic(&self, east: &mut [f64], north: &mut [f64]) {
        for (e, n) in east.iter_mut().zip(north.iter_mut()) {
            (*e, *n) = self.inverse_radians(*e, *n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The polynomial elementary functions against libm over (beyond) the ranges the inverse
    /// gives them: within two units in the last place.
    #[test]
    fn elementary_functions_match_libm() {
        let steps = 1_000_000;
        let at = |lo: f64, hi: f64, i: i32| lo + (hi - lo) * f64::from(i) / f64::from(steps);
        for i in 0..=steps {
            for x in [at(-100.0, 100.0, i), at(-1.0, 1.0, i), at(-0.01, 0.01, i)] {
                let (got, want) = (atan_poly(x), x.atan());
                assert!(
                    (got - want).abs() <= 4.5e-16 * want.abs(),
                    "atan {x}: {got} vs {want}"
                );
            }
            let x = at(-1.6, 1.6, i);
            let (s, c) = sin_cos_poly(x);
            assert!(
                (s - x.sin()).abs() <= 6.7e-16 && (c - x.cos()).abs() <= 6.7e-16,
                "sincos {x}"
            );
            let x = at(-0.16, 0.16, i);
            assert!(
                (exp_poly(x) - x.exp()).abs() <= 4.5e-16 * x.exp(),
                "exp {x}"
            );
            let d = at(-0.01, 0.01, i);
            let (s, c) = small_sin_cos(d);
            assert!(
                (s - d.sin()).abs() <= 4.5e-16 && (c - d.cos()).abs() <= 4.5e-16,
                "small {d}"
            );
            assert!((small_exp(d) - d.exp()).abs() <= 4.5e-16, "small exp {d}");
        }
        assert_eq!(atan_poly(0.0), 0.0);
        assert_eq!(atan_poly(1e300), std::f64::consts::FRAC_PI_2);
        assert_eq!(atan_poly(-1e300), -std::f64::consts::FRAC_PI_2);
    }

    /// The block loop chosen at run time (AVX2 where the CPU has it) and the baseline one give
    /// the same bits, NaN for refused points included.
    #[test]
    fn every_compiled_block_loop_gives_the_same_bits() {
        let gk = GaussKruger::from_epsg(4499).expect("6-degree zone 21");
        let mut east: Vec<f64> = (0..256)
            .map(|i| 21_500_000.0 + f64::from(i) * 9_000.0 - 1_150_000.0)
            .collect();
        let mut north: Vec<f64> = (0..256)
            .map(|i| f64::from(i) * 39_000.0 - 100_000.0)
            .collect();
        east[7] = f64::NAN;
        let (mut east2, mut north2) = (east.clone(), north.clone());
        gk.inverse_block(&mut east, &mut north);
        gk.inverse_block_generic(&mut east2, &mut north2);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&east), bits(&east2));
        assert_eq!(bits(&north), bits(&north2));
        assert!(east[7].is_nan() && east[0].is_nan() && !east[128].is_nan());
    }
}
