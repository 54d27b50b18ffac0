//! Local grids (矿区独立坐标系): the two transforms surveyors use to place a mine's own grid in a
//! national CRS, typed in or solved by least squares from control points known in both systems,
//! with each point's residual.
//!
//! - [`Plane4`], the plane four-parameter (similarity) transform, in the surveyors' convention:
//!   X = northing, Y = easting (metres), rotation α counter-clockwise from X towards Y:
//!   `X' = ΔX + m (X cos α − Y sin α)`, `Y' = ΔY + m (X sin α + Y cos α)`. Solved from ≥ 2
//!   points in closed form (centred sums).
//! - [`Helmert7`], the seven-parameter Bursa-Wolf transform of geocentric X/Y/Z (metres), in the
//!   position-vector convention (EPSG method 1033, PROJ's `+convention=position_vector`), with
//!   small angles, as EPSG writes it: `X' = T + (1 + m)(X + ω × X)`, ω = (rx, ry, rz) in
//!   radians, m the scale change (PROJ's `+proj=helmert` without `+exact` computes the same).
//!   Solved from ≥ 3 points by linear least squares (normal equations on centred coordinates;
//!   the model is linear in T, m and ω' = (1 + m) ω, so the solve is exact).
//!
//! Pure arithmetic: no PROJ, no I/O.

use crate::text;
use crate::text::Text;

/// A plane four-parameter transform (X = northing, Y = easting, metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane4 {
    /// Shift of X (northing), metres.
    pub dx: f64,
    /// Shift of Y (easting), metres.
    pub dy: f64,
    /// Rotation α, radians, counter-clockwise from X towards Y.
    pub rotation: f64,
    /// Scale m (1 = none; 1 + ppm·1e-6).
    pub scale: f64,
}

impl Plane4 {
    /// Transform one point `(X, Y)` (northing, easting).
    pub fn apply(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let (s, c) = self.rotation.sin_cos();
        let m = self.scale;
        (self.dx + m * (x * c - y * s), self.dy + m * (x * s + y * c))
    }
}

/// A control point: its name, coordinates in the local system and in the target system.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlPoint<const N: usize> {
    /// 点号.
    pub name: String,
    /// In the local system.
    pub local: [f64; N],
    /// In the target system.
    pub target: [f64; N],
}

/// A solved transform and each control point's residual (target − transformed local, metres,
/// per axis, in the order of the points).
#[derive(Debug, Clone, PartialEq)]
pub struct Solved<T, const N: usize> {
    /// The parameters.
    pub params: T,
    /// Residual of each control point, per axis.
    pub residuals: Vec<[f64; N]>,
    /// Root mean square of the residuals' lengths, metres.
    pub rms: f64,
}

fn centroid<const N: usize>(pts: impl Iterator<Item = [f64; N]> + Clone) -> [f64; N] {
    let n = pts.clone().count().max(1) as f64;
    let mut c = [0.0; N];
    for p in pts {
        for (ci, pi) in c.iter_mut().zip(p) {
            *ci += pi / n;
        }
    }
    c
}

fn residuals<const N: usize>(
    points: &[ControlPoint<N>],
    apply: impl Fn([f64; N]) -> [f64; N],
) -> (Vec<[f64; N]>, f64) {
    let res: Vec<[f64; N]> = points
        .iter()
        .map(|p| {
            let t = apply(p.local);
            std::array::from_fn(|i| p.target[i] - t[i])
        })
        .collect();
    let sum: f64 = res
        .iter()
        .map(|r| r.iter().map(|v| v * v).sum::<f64>())
        .sum();
    let rms = (sum / res.len().max(1) as f64).sqrt();
    (res, rms)
}

/// Solve the four parameters from ≥ 2 control points (X = northing, Y = easting).
pub fn solve_plane4(points: &[ControlPoint<2>]) -> Result<Solved<Plane4, 2>, Text> {
    if points.len() < 2 {
        let n = points.len();
        return Err(text!(
            "四参数至少需要 2 个控制点，只有 {n} 个",
            "the four-parameter transform needs at least 2 control points, got {n}"
        ));
    }
    let ml = centroid(points.iter().map(|p| p.local));
    let mt = centroid(points.iter().map(|p| p.target));
    let (mut sa, mut sb, mut sq) = (0.0, 0.0, 0.0);
    for p in points {
        let (x, y) = (p.local[0] - ml[0], p.local[1] - ml[1]);
        let (u, v) = (p.target[0] - mt[0], p.target[1] - mt[1]);
        sa += x * u + y * v;
        sb += x * v - y * u;
        sq += x * x + y * y;
    }
    if !sq.is_finite() || sq <= 1e-6 {
        return Err(Text::fixed(
            "控制点重合，无法求解",
            "the control points coincide: nothing to solve",
        ));
    }
    let (a, b) = (sa / sq, sb / sq);
    let params = Plane4 {
        dx: mt[0] - a * ml[0] + b * ml[1],
        dy: mt[1] - b * ml[0] - a * ml[1],
        rotation: b.atan2(a),
        scale: a.hypot(b),
    };
    let (residuals, rms) = residuals(points, |p| {
        let (x, y) = params.apply((p[0], p[1]));
        [x, y]
    });
    Ok(Solved {
        params,
        residuals,
        rms,
    })
}

/// A seven-parameter Bursa-Wolf transform of geocentric coordinates (position-vector
/// convention, small angles).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Helmert7 {
    /// Translation, metres.
    pub t: [f64; 3],
    /// Rotations about X, Y, Z, radians.
    pub r: [f64; 3],
    /// Scale change (m; ppm · 1e-6).
    pub m: f64,
}

/// Arc-seconds per radian.
pub const ARCSEC_PER_RAD: f64 = 180.0 * 3600.0 / std::f64::consts::PI;

impl Helmert7 {
    /// Transform one geocentric point (metres).
    pub fn apply(&self, p: [f64; 3]) -> [f64; 3] {
        let [x, y, z] = p;
        let [rx, ry, rz] = self.r;
        let k = 1.0 + self.m;
        [
            self.t[0] + k * (x + (ry * z - rz * y)),
            self.t[1] + k * (y + (rz * x - rx * z)),
            self.t[2] + k * (z + (rx * y - ry * x)),
        ]
    }

    /// The same transform in the coordinate-frame convention (EPSG method 1032, PROJ's
    /// `+convention=coordinate_frame`): the rotations with the opposite sign.
    pub fn coordinate_frame_rotations(&self) -> [f64; 3] {
        self.r.map(|v| -v)
    }
}

/// Solve `a · p = b` (n ≤ 7) by Gaussian elimination with partial pivoting; `None` when singular.
fn solve_linear<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    let scale = a
        .iter()
        .flatten()
        .fold(0.0f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() <= scale * 1e-13 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..N {
            let f = a[row][col] / a[col][col];
            let pivot_row = a[col];
            for (v, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *v -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let s: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Solve the seven parameters from ≥ 3 control points (geocentric metres).
pub fn solve_helmert7(points: &[ControlPoint<3>]) -> Result<Solved<Helmert7, 3>, Text> {
    if points.len() < 3 {
        let n = points.len();
        return Err(text!(
            "七参数至少需要 3 个控制点，只有 {n} 个",
            "the seven-parameter transform needs at least 3 control points, got {n}"
        ));
    }
    // Unknowns [t'x, t'y, t'z, m, ω'x, ω'y, ω'z] on coordinates centred on the local centroid
    // (for a well-conditioned system), ω' = (1 + m) ω.
    let c = centroid(points.iter().map(|p| p.local));
    let mut n = [[0.0; 7]; 7];
    let mut rhs = [0.0; 7];
    for p in points {
        let [x, y, z] = [p.local[0] - c[0], p.local[1] - c[1], p.local[2] - c[2]];
        let rows = [
            [1.0, 0.0, 0.0, x, 0.0, z, -y],
            [0.0, 1.0, 0.0, y, -z, 0.0, x],
            [0.0, 0.0, 1.0, z, y, -x, 0.0],
        ];
        for (axis, row) in rows.iter().enumerate() {
            let d = p.target[axis] - p.local[axis];
            for i in 0..7 {
                rhs[i] += row[i] * d;
                for j in 0..7 {
                    n[i][j] += row[i] * row[j];
                }
            }
        }
    }
    let s = solve_linear(n, rhs).ok_or(Text::fixed(
        "控制点共线或重合，无法求解七参数",
        "the control points are collinear or coincide: the seven parameters cannot be solved",
    ))?;
    // The solve gives ω' = (1 + m) ω.
    let m = s[3];
    let r = [s[4], s[5], s[6]].map(|w| w / (1.0 + m));
    // T = T' − m c − ω' × c (the centred solve's shift moved back to the origin).
    let wc = [
        s[5] * c[2] - s[6] * c[1],
        s[6] * c[0] - s[4] * c[2],
        s[4] * c[1] - s[5] * c[0],
    ];
    let params = Helmert7 {
        t: std::array::from_fn(|i| s[i] - m * c[i] - wc[i]),
        r,
        m,
    };
    let (residuals, rms) = residuals(points, |p| params.apply(p));
    Ok(Solved {
        params,
        residuals,
        rms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cp<const N: usize>(name: &str, local: [f64; N], target: [f64; N]) -> ControlPoint<N> {
        ControlPoint {
            name: name.into(),
            local,
            target,
        }
    }

    #[test]
    fn two_points_give_the_hand_computed_four_parameters() {
        // (0,0) → (1000, 2000) and (100, 0) → (1000, 2100): the X axis turned onto the Y axis
        // (α = 90°), no scale, shifts 1000 / 2000 (worked by hand from the centred sums).
        let s = solve_plane4(&[
            cp("K1", [0.0, 0.0], [1000.0, 2000.0]),
            cp("K2", [100.0, 0.0], [1000.0, 2100.0]),
        ])
        .expect("solves");
        let p = s.params;
        assert!(
            (p.rotation - std::f64::consts::FRAC_PI_2).abs() < 1e-12,
            "{p:?}"
        );
        assert!((p.scale - 1.0).abs() < 1e-12);
        assert!((p.dx - 1000.0).abs() < 1e-9 && (p.dy - 2000.0).abs() < 1e-9);
        assert!(s.rms < 1e-9);
        let (x, y) = p.apply((0.0, 50.0));
        assert!(
            (x - 950.0).abs() < 1e-9 && (y - 2000.0).abs() < 1e-9,
            "{x} {y}"
        );
    }

    #[test]
    fn residuals_of_four_points_are_the_noise_put_in() {
        // A unit square shifted by (10, 20), with ±1 cm on X in a pattern that the least
        // squares cannot absorb (its sums against the centred coordinates are zero).
        let noise = [0.01, -0.01, -0.01, 0.01];
        let local = [[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]];
        let pts: Vec<ControlPoint<2>> = local
            .iter()
            .zip(noise)
            .enumerate()
            .map(|(i, (l, n))| cp(&format!("K{i}"), *l, [l[0] + 10.0 + n, l[1] + 20.0]))
            .collect();
        let s = solve_plane4(&pts).expect("solves");
        assert!((s.params.dx - 10.0).abs() < 1e-12 && (s.params.dy - 20.0).abs() < 1e-12);
        assert!(s.params.rotation.abs() < 1e-15 && (s.params.scale - 1.0).abs() < 1e-15);
        for (r, n) in s.residuals.iter().zip(noise) {
            assert!((r[0] - n).abs() < 1e-12 && r[1].abs() < 1e-12, "{r:?}");
        }
        assert!((s.rms - 0.01).abs() < 1e-12);
    }

    #[test]
    fn typed_four_parameters_round_trip_through_the_solver() {
        let truth = Plane4 {
            dx: 5_021_800.0,
            dy: 481_600.0,
            rotation: 12.5 / ARCSEC_PER_RAD,
            scale: 1.0 + 3.2e-6,
        };
        let pts: Vec<ControlPoint<2>> = [[1200.0, 3400.0], [2500.0, 800.0], [300.0, 150.0]]
            .iter()
            .map(|l| {
                let (x, y) = truth.apply((l[0], l[1]));
                cp("K", *l, [x, y])
            })
            .collect();
        let s = solve_plane4(&pts).expect("solves");
        assert!((s.params.dx - truth.dx).abs() < 1e-6 && (s.params.dy - truth.dy).abs() < 1e-6);
        assert!((s.params.rotation - truth.rotation).abs() < 1e-12);
        assert!((s.params.scale - truth.scale).abs() < 1e-12);
        assert!(s.rms < 1e-6);
    }

    #[test]
    fn too_few_or_coincident_points_are_errors() {
        assert!(solve_plane4(&[cp("K1", [0.0, 0.0], [1.0, 1.0])]).is_err());
        assert!(
            solve_plane4(&[
                cp("K1", [5.0, 5.0], [1.0, 1.0]),
                cp("K2", [5.0, 5.0], [2.0, 2.0])
            ])
            .is_err()
        );
        let p3 = |x: f64| cp("K", [x, 0.0, 0.0], [x, 0.0, 0.0]);
        assert!(solve_helmert7(&[p3(1.0), p3(2.0)]).is_err(), "two points");
        assert!(
            solve_helmert7(&[p3(1.0), p3(2.0), p3(3.0)]).is_err(),
            "collinear"
        );
    }

    /// EPSG Guidance Note 7-2, the worked example of the Position Vector transformation
    /// (method 1033, WGS 72 → WGS 84), published to the centimetre. (The same example from
    /// the exact geographic input, through PROJ, to half a centimetre:
    /// `grid_transform::tests::the_epsg_example_through_the_pipeline`.)
    #[test]
    fn the_epsg_position_vector_example() {
        let h = Helmert7 {
            t: [0.0, 0.0, 4.5],
            r: [0.0, 0.0, 0.554 / ARCSEC_PER_RAD],
            m: 0.219e-6,
        };
        // The input is printed rounded to the centimetre, the output computed from the exact
        // one: the two roundings allow 1 cm (X comes out 3 657 660.774 from the rounded input).
        let out = h.apply([3_657_660.66, 255_768.55, 5_201_382.11]);
        for (got, want) in out.iter().zip([3_657_660.78, 255_778.43, 5_201_387.75]) {
            assert!((got - want).abs() <= 0.01, "{out:?}");
        }
        // The same in the coordinate-frame convention is the opposite rotation.
        assert_eq!(h.coordinate_frame_rotations()[2], -0.554 / ARCSEC_PER_RAD);
    }

    #[test]
    fn seven_parameters_hand_computed_and_recovered() {
        // T = (1, 2, 3) m, rz = 1e-5 rad, no scale: (R, 0, 0) → (R + 1, 2 + rz·R, 3) by hand.
        let r = 6_378_137.0;
        let h = Helmert7 {
            t: [1.0, 2.0, 3.0],
            r: [0.0, 0.0, 1e-5],
            m: 0.0,
        };
        let p = h.apply([r, 0.0, 0.0]);
        assert_eq!(p, [r + 1.0, 2.0 + 1e-5 * r, 3.0]);
        // A realistic set (Beijing 1954 → CGCS2000 magnitudes) recovered from 4 points near
        // Taonan, exactly (the model is linear in its parameters).
        let truth = Helmert7 {
            t: [-15.8, 151.3, 78.2],
            r: [
                0.8 / ARCSEC_PER_RAD,
                -1.9 / ARCSEC_PER_RAD,
                2.6 / ARCSEC_PER_RAD,
            ],
            m: 4.1e-6,
        };
        let local = [
            [-2_413_700.0, 3_860_400.0, 4_508_800.0],
            [-2_420_100.0, 3_851_900.0, 4_512_300.0],
            [-2_405_300.0, 3_866_200.0, 4_507_100.0],
            [-2_416_900.0, 3_858_700.0, 4_503_600.0],
        ];
        let pts: Vec<ControlPoint<3>> =
            local.iter().map(|l| cp("K", *l, truth.apply(*l))).collect();
        let s = solve_helmert7(&pts).expect("solves");
        for i in 0..3 {
            assert!((s.params.t[i] - truth.t[i]).abs() < 1e-3, "{:?}", s.params);
            assert!((s.params.r[i] - truth.r[i]).abs() * ARCSEC_PER_RAD < 1e-4);
        }
        assert!((s.params.m - truth.m).abs() < 1e-9);
        assert!(s.rms < 1e-4, "{}", s.rms);
    }
}
