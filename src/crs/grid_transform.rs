//! The `--transform FILE` file: a plane four-parameter transform ([`Plane4`]) from a local mine
//! grid (矿区独立坐标系) to an EPSG CRS of the region, typed in or solved from control points.
//! TOML, X = northing and Y = easting as surveyors write them:
//!
//! ```toml
//! type = "four"            # 四参数
//! target_epsg = 4529       # the CRS the transformed numbers are in
//! # typed in …
//! dx = 5000000.0           # ΔX (northing shift), m
//! dy = 41480000.0          # ΔY (easting shift), m
//! rotation_arcsec = 12.5   # α, seconds of arc, counter-clockwise from X towards Y
//! scale_ppm = 3.2          # m = 1 + ppm · 1e-6
//! # … or solved by least squares from ≥ 2 control points (then dx … scale_ppm are not given)
//! [[points]]
//! name = "K1"
//! local = [1200.0, 3400.0]             # [X, Y] in the local grid
//! target = [5021800.0, 41481600.0]     # [X, Y] in target_epsg
//! ```

use geo::{Coord, Geometry, MapCoordsInPlace};
use serde::Deserialize;

use crate::crs::local_grid::{ARCSEC_PER_RAD, ControlPoint, Plane4, solve_plane4};

/// A transform file, read and (when it lists control points) solved.
#[derive(Debug, Clone, PartialEq)]
pub struct GridTransform {
    /// The parameters.
    pub plane: Plane4,
    /// The EPSG code of the CRS the transformed numbers are in.
    pub target_epsg: u32,
    /// The file's name, for messages.
    pub file: String,
    /// Each control point's name and residual [X, Y] in metres (empty when typed in).
    pub residuals: Vec<(String, [f64; 2])>,
    /// RMS of the residuals, metres (0 when typed in).
    pub rms: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    name: Option<String>,
    local: [f64; 2],
    target: [f64; 2],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(rename = "type")]
    kind: String,
    target_epsg: u32,
    dx: Option<f64>,
    dy: Option<f64>,
    rotation_arcsec: Option<f64>,
    scale_ppm: Option<f64>,
    #[serde(default)]
    points: Vec<RawPoint>,
}

/// Largest transform file read (a few control points take a few hundred bytes).
const MAX_BYTES: u64 = 1 << 20;

impl GridTransform {
    /// Read a transform file. Errors name the file and the problem.
    pub fn read(path: &std::path::Path) -> Result<Self, String> {
        let shown = path.display().to_string();
        let len = std::fs::metadata(path)
            .map_err(|e| format!("{shown}: cannot read: {e}"))?
            .len();
        if len > MAX_BYTES {
            return Err(format!(
                "{shown}: {len} bytes is too large for a transform file"
            ));
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(shown.clone());
        Self::parse(&text, &file).map_err(|e| format!("{shown}: {e}"))
    }

    /// Parse the TOML text of a transform file named `file`.
    pub fn parse(text: &str, file: &str) -> Result<Self, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| e.to_string())?;
        if !matches!(raw.kind.as_str(), "four" | "四参数") {
            return Err(format!(
                "type = {:?}: only \"four\" (四参数) is applied to layers",
                raw.kind
            ));
        }
        let typed = [raw.dx, raw.dy, raw.rotation_arcsec, raw.scale_ppm];
        let mut out = Self {
            plane: Plane4 {
                dx: 0.0,
                dy: 0.0,
                rotation: 0.0,
                scale: 1.0,
            },
            target_epsg: raw.target_epsg,
            file: file.to_owned(),
            residuals: Vec::new(),
            rms: 0.0,
        };
        match (typed, raw.points.is_empty()) {
            ([Some(dx), Some(dy), Some(rot), Some(ppm)], true) => {
                out.plane = Plane4 {
                    dx,
                    dy,
                    rotation: rot / ARCSEC_PER_RAD,
                    scale: 1.0 + ppm * 1e-6,
                };
            }
            ([None, None, None, None], false) => {
                let points: Vec<ControlPoint<2>> = (raw.points.iter().enumerate())
                    .map(|(i, p)| ControlPoint {
                        name: p.name.clone().unwrap_or_else(|| format!("#{}", i + 1)),
                        local: p.local,
                        target: p.target,
                    })
                    .collect();
                let solved = solve_plane4(&points)?;
                out.plane = solved.params;
                out.rms = solved.rms;
                out.residuals = points
                    .into_iter()
                    .map(|p| p.name)
                    .zip(solved.residuals)
                    .collect();
            }
            _ => {
                return Err(
                    "give either all of dx, dy, rotation_arcsec, scale_ppm, or [[points]] (not both)"
                        .into(),
                );
            }
        }
        let p = out.plane;
        if ![p.dx, p.dy, p.rotation, p.scale]
            .iter()
            .all(|v| v.is_finite())
            || p.scale <= 0.0
        {
            return Err("the parameters are not finite numbers".into());
        }
        Ok(out)
    }

    /// Transform a geometry in map order (x = easting = Y, y = northing = X) in place.
    pub fn apply(&self, g: &mut Geometry<f64>) {
        g.map_coords_in_place(|c| {
            let (x, y) = self.plane.apply((c.y, c.x));
            Coord { x: y, y: x }
        });
    }

    /// The parameters (and residuals) in words, for the layer's CRS reason.
    pub fn describe(&self) -> String {
        let p = self.plane;
        let mut s = format!(
            "四参数转换 / four-parameter transform ({}): ΔX={:.4} m, ΔY={:.4} m, α={:.4}″, m={:.4} ppm → EPSG:{}",
            self.file,
            p.dx,
            p.dy,
            p.rotation * ARCSEC_PER_RAD,
            (p.scale - 1.0) * 1e6,
            self.target_epsg
        );
        if !self.residuals.is_empty() {
            let each: Vec<String> = (self.residuals.iter())
                .map(|(n, r)| format!("{n} ({:+.4}, {:+.4})", r[0], r[1]))
                .collect();
            s.push_str(&format!(
                "; 控制点残差 / control point residuals (m): {}; RMS {:.4} m",
                each.join(", "),
                self.rms
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_and_solved_files() {
        let typed = "type = \"four\"\ntarget_epsg = 4529\ndx = 1000.0\ndy = 2000.0\nrotation_arcsec = 0.0\nscale_ppm = 0.0\n";
        let t = GridTransform::parse(typed, "t.toml").expect("typed");
        let mut g = Geometry::Point(geo::Point::new(5.0, 7.0));
        t.apply(&mut g);
        // x = easting 5 → Y' = 2005; y = northing 7 → X' = 1007.
        assert_eq!(g, Geometry::Point(geo::Point::new(2005.0, 1007.0)));
        let solved = "type = \"four\"\ntarget_epsg = 4529\n[[points]]\nname = \"K1\"\nlocal = [0.0, 0.0]\ntarget = [1000.0, 2000.0]\n[[points]]\nname = \"K2\"\nlocal = [100.0, 0.0]\ntarget = [1000.0, 2100.0]\n";
        let s = GridTransform::parse(solved, "s.toml").expect("solved");
        assert_eq!(s.residuals.len(), 2);
        assert!(s.describe().contains("K2") && s.describe().contains("EPSG:4529"));
        for bad in [
            "type = \"seven\"\ntarget_epsg = 4529\n",
            "type = \"four\"\ntarget_epsg = 4529\ndx = 1.0\n",
            "type = \"four\"\ntarget_epsg = 4529\ndx = 1.0\ndy = 1.0\nrotation_arcsec = 0.0\nscale_ppm = -1000000.0\n",
            "not toml",
        ] {
            assert!(GridTransform::parse(bad, "b.toml").is_err(), "{bad}");
        }
    }
}
