//! The transform that places a local mine grid (矿区独立坐标系): the `--transform FILE` file, the
//! transform dialog of the window and the session all use one form, [`TransformSpec`] (TOML in
//! a file, JSON in the session). Two kinds:
//!
//! - **四参数 / four-parameter** ([`Plane4`]): plane similarity from the local grid to an EPSG
//!   CRS of the region (`target_epsg`, which becomes the layer's CRS). X = northing and
//!   Y = easting, as surveyors write them.
//! - **七参数 / seven-parameter** ([`Helmert7`], Bursa-Wolf): the local numbers are geodetic
//!   positions on a *local* ellipsoid (Gauss-Krüger X/Y of a given central meridian, or lon/lat
//!   degrees); they go through PROJ as one geocentric pipeline
//!   `inv tmerc → cart (local ellipsoid) → helmert → inv cart (GRS80)` and come out as CGCS2000
//!   lon/lat (EPSG:4490). The parameters are in the **position-vector** convention (EPSG method
//!   1033, PROJ `+convention=position_vector`, used by the IAG and by Chinese CGCS2000
//!   conversion practice); a file may give them in the coordinate-frame convention
//!   (`convention = "coordinate_frame"`, EPSG 1032), which is the same with the rotations'
//!   signs reversed.
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
//!
//! ```toml
//! type = "seven"             # 七参数
//! ellipsoid = "krass"        # the local numbers' ellipsoid: krass (北京54), IAU76 (西安80), GRS80, WGS84
//! central_meridian = 123.0   # the local numbers are Gauss-Krüger X/Y …
//! false_easting = 500000.0   # (default 500000; 41500000 when Y carries the zone number)
//! # false_northing = 0.0, scale_factor = 1.0 (defaults); without central_meridian: lon/lat degrees
//! # typed in (position vector) …
//! tx = -15.8                 # m
//! ty = 151.3
//! tz = 78.2
//! rx_arcsec = 0.8
//! ry_arcsec = -1.9
//! rz_arcsec = 2.6
//! scale_ppm = 4.1
//! # convention = "coordinate_frame"   # if the parameters were published that way
//! # … or solved from ≥ 3 control points:
//! # target_epsg = 4490 (target = [lon, lat] or [lon, lat, h]) or a CGCS2000 Gauss-Krüger CRS
//! # 4491–4554 (target = [X, Y] or [X, Y, H]); local = [X, Y(, H)] (or [lon, lat(, h)]).
//! ```

use geo::{Coord, Geometry, MapCoordsInPlace};
use serde::{Deserialize, Serialize};

use crate::crs::local_grid::{
    ARCSEC_PER_RAD, ControlPoint, Helmert7, Plane4, solve_helmert7, solve_plane4,
};
use crate::crs::pipeline::Pipeline;
use crate::text;
use crate::text::{Lang, Text};

/// One control point as written: its name, the local and the target numbers (2 or 3 each).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecPoint {
    /// 点号 (numbered `#1`, `#2` … when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// In the local system.
    pub local: Vec<f64>,
    /// In the target system.
    pub target: Vec<f64>,
}

/// A transform as the user gives it (the file, the dialog, the session): typed parameters or
/// control points. See the module documentation for the fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransformSpec {
    /// `four` (四参数) or `seven` (七参数).
    #[serde(rename = "type")]
    pub kind: String,
    /// Where it came from (the file's name, or the dialog), for messages.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
    /// Four: the CRS of the result (the layer's). Seven: the CRS of the control points' target numbers (4490, default, or 4491–4554).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_epsg: Option<u32>,
    /// Four, typed: ΔX (northing shift), m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dx: Option<f64>,
    /// Four, typed: ΔY (easting shift), m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dy: Option<f64>,
    /// Four, typed: α, seconds of arc, counter-clockwise from X towards Y.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_arcsec: Option<f64>,
    /// Typed (both kinds): the scale change m, ppm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_ppm: Option<f64>,
    /// Seven, typed: translation X, m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx: Option<f64>,
    /// Seven, typed: translation Y, m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<f64>,
    /// Seven, typed: translation Z, m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tz: Option<f64>,
    /// Seven, typed: rotation about X, seconds of arc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rx_arcsec: Option<f64>,
    /// Seven, typed: rotation about Y, seconds of arc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ry_arcsec: Option<f64>,
    /// Seven, typed: rotation about Z, seconds of arc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rz_arcsec: Option<f64>,
    /// Seven, typed: `position_vector` (default) or `coordinate_frame`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convention: Option<String>,
    /// Seven: the local numbers' ellipsoid (see [`Ellipsoid::parse`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ellipsoid: Option<String>,
    /// Seven: the local numbers are Gauss-Krüger X/Y of this meridian (°); absent: lon/lat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub central_meridian: Option<f64>,
    /// Seven, Gauss-Krüger: false easting, m (default 500 000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_easting: Option<f64>,
    /// Seven, Gauss-Krüger: false northing, m (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_northing: Option<f64>,
    /// Seven, Gauss-Krüger: scale factor on the central meridian (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_factor: Option<f64>,
    /// Control points (then no typed parameters are given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<SpecPoint>,
}

/// The ellipsoids of the local numbers of a seven-parameter transform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ellipsoid {
    /// Krassovsky 1940 (北京54 / Beijing 1954).
    Krassovsky,
    /// IAG 1975 (西安80 / Xian 1980); PROJ's `IAU76`.
    Iag1975,
    /// GRS 1980 (CGCS2000).
    Grs80,
    /// WGS 84.
    Wgs84,
}

impl Ellipsoid {
    /// Every ellipsoid, in the order offered.
    pub const ALL: [Self; 4] = [Self::Krassovsky, Self::Iag1975, Self::Grs80, Self::Wgs84];

    /// PROJ's name (`+ellps=`), also the name in a transform file.
    pub fn proj_name(self) -> &'static str {
        match self {
            Self::Krassovsky => "krass",
            Self::Iag1975 => "IAU76",
            Self::Grs80 => "GRS80",
            Self::Wgs84 => "WGS84",
        }
    }

    /// The name shown.
    pub fn label(self) -> Text {
        match self {
            Self::Krassovsky => Text::fixed("克拉索夫斯基（北京54）", "Krassovsky (Beijing 1954)"),
            Self::Iag1975 => Text::fixed("IAG 1975（西安80）", "IAG 1975 (Xian 1980)"),
            Self::Grs80 => Text::same("GRS80（CGCS2000）"),
            Self::Wgs84 => Text::same("WGS84"),
        }
    }

    /// From a file's name for it (PROJ's name, or 北京54 / 西安80 / CGCS2000 …).
    pub fn parse(s: &str) -> Option<Self> {
        let l = s.trim().to_ascii_lowercase();
        match l.as_str() {
            "krass" | "krassovsky" | "北京54" | "beijing1954" | "beijing 1954" => {
                Some(Self::Krassovsky)
            }
            "iau76" | "iag75" | "iag1975" | "西安80" | "xian1980" | "xian 1980" => {
                Some(Self::Iag1975)
            }
            "grs80" | "cgcs2000" => Some(Self::Grs80),
            "wgs84" | "wgs 84" => Some(Self::Wgs84),
            _ => None,
        }
    }
}

/// How the local numbers of a seven-parameter transform are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFrame {
    /// Their ellipsoid.
    pub ellipsoid: Ellipsoid,
    /// Gauss-Krüger (transverse Mercator) plane X/Y: central meridian (°), false easting,
    /// false northing (m), scale factor; `None` when the numbers are lon/lat degrees.
    pub gauss_kruger: Option<[f64; 4]>,
}

impl LocalFrame {
    /// PROJ steps from the local numbers (map order: easting or lon first; the height third)
    /// to geocentric X/Y/Z on the local ellipsoid.
    fn geocentric_steps(self) -> String {
        let e = self.ellipsoid.proj_name();
        let first = match self.gauss_kruger {
            Some([lon0, fe, fn_, k]) => format!(
                "+step +inv +proj=tmerc +lat_0=0 +lon_0={lon0} +k={k} +x_0={fe} +y_0={fn_} +ellps={e}"
            ),
            None => "+step +proj=unitconvert +xy_in=deg +xy_out=rad".to_owned(),
        };
        format!("{first} +step +proj=cart +ellps={e}")
    }

    /// A control point's local numbers (`[X, Y(, H)]` or `[lon, lat(, h)]`) in map order.
    fn map_order(self, v: &[f64]) -> [f64; 3] {
        let h = v.get(2).copied().unwrap_or(0.0);
        match self.gauss_kruger {
            Some(_) => [v[1], v[0], h],
            None => [v[0], v[1], h],
        }
    }
}

/// What a transform does.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// Plane four parameters to `target_epsg`.
    Four {
        /// The parameters.
        plane: Plane4,
        /// The EPSG code of the CRS the transformed numbers are in.
        target_epsg: u32,
    },
    /// Seven parameters (position vector) from `local` to CGCS2000 lon/lat.
    Seven {
        /// The parameters (position-vector convention).
        helmert: Helmert7,
        /// The local numbers' ellipsoid and projection.
        local: LocalFrame,
    },
}

/// A transform read (and, when it lists control points, solved).
#[derive(Debug, Clone, PartialEq)]
pub struct GridTransform {
    /// The parameters.
    pub method: Method,
    /// The file's name (or "—" when typed in the window's dialog), for messages.
    pub file: String,
    /// Each control point's name and residual (target − transformed local, metres: X/Y for
    /// four parameters, geocentric X/Y/Z for seven); empty when typed in.
    pub residuals: Vec<(String, Vec<f64>)>,
    /// RMS of the residuals, metres (0 when typed in).
    pub rms: f64,
    /// The form it was made from (remembered in the session).
    pub spec: TransformSpec,
}

/// Largest transform file read (a few control points take a few hundred bytes).
const MAX_BYTES: u64 = 1 << 20;

/// CGCS2000 lon/lat, the CRS of every seven-parameter result.
pub const SEVEN_TARGET_EPSG: u32 = 4490;

impl GridTransform {
    /// Read a transform file. Errors name the file and the problem.
    pub fn read(path: &std::path::Path) -> Result<Self, Text> {
        let shown = path.display().to_string();
        let cannot_read =
            |e: std::io::Error| text!("{shown}：无法读取：{e}", "{shown}: cannot read: {e}");
        let len = std::fs::metadata(path).map_err(cannot_read)?.len();
        if len > MAX_BYTES {
            return Err(text!(
                "{shown}：{len} 字节，作为转换参数文件太大",
                "{shown}: {len} bytes is too large for a transform file"
            ));
        }
        let text = std::fs::read_to_string(path).map_err(cannot_read)?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(shown.clone());
        Self::parse(&text, &file).map_err(|e| e.about(&shown))
    }

    /// Parse the TOML text of a transform file named `file`.
    pub fn parse(text: &str, file: &str) -> Result<Self, Text> {
        // The TOML reader's message has one wording.
        let mut spec: TransformSpec =
            toml::from_str(text).map_err(|e| Text::same(e.to_string()))?;
        file.clone_into(&mut spec.origin);
        Self::from_spec(spec)
    }

    /// Make (and solve, when it lists control points) the transform of a spec.
    pub fn from_spec(spec: TransformSpec) -> Result<Self, Text> {
        let file = if spec.origin.is_empty() {
            "—"
        } else {
            spec.origin.as_str()
        };
        let (method, residuals, rms) = match spec.kind.as_str() {
            "four" | "四参数" => four(&spec)?,
            "seven" | "七参数" => seven(&spec)?,
            other => {
                return Err(text!(
                    "type = {other:?}：应为 \"four\"（四参数）或 \"seven\"（七参数）",
                    "type = {other:?}: \"four\" (四参数) or \"seven\" (七参数)"
                ));
            }
        };
        Ok(Self {
            method,
            file: file.to_owned(),
            residuals,
            rms,
            spec,
        })
    }

    /// The EPSG code of the numbers after the transform (the layer's CRS).
    pub fn layer_epsg(&self) -> u32 {
        match &self.method {
            Method::Four { target_epsg, .. } => *target_epsg,
            Method::Seven { .. } => SEVEN_TARGET_EPSG,
        }
    }

    /// The PROJ pipeline of a seven-parameter transform (local numbers in map order → CGCS2000
    /// lon/lat degrees and ellipsoidal height); `None` for four parameters.
    pub fn proj_pipeline(&self) -> Option<String> {
        let Method::Seven { helmert: h, local } = &self.method else {
            return None;
        };
        let r = h.r.map(|v| v * ARCSEC_PER_RAD);
        Some(format!(
            "+proj=pipeline {} +step +proj=helmert +x={} +y={} +z={} +rx={} +ry={} +rz={} +s={} +convention=position_vector +step +inv +proj=cart +ellps=GRS80 +step +proj=unitconvert +xy_in=rad +xy_out=deg",
            local.geocentric_steps(),
            h.t[0],
            h.t[1],
            h.t[2],
            r[0],
            r[1],
            r[2],
            h.m * 1e6
        ))
    }

    /// Transform geometries in map order (x = easting or lon) in place. Four parameters: the
    /// plane formula; seven: the PROJ pipeline (a point PROJ refuses becomes NaN, and its
    /// feature is then dropped by the loader with a count).
    pub fn apply_all<'a>(
        &self,
        geoms: impl Iterator<Item = &'a mut Geometry<f64>>,
    ) -> Result<(), Text> {
        match &self.method {
            Method::Four { plane, .. } => {
                for g in geoms {
                    g.map_coords_in_place(|c| {
                        let (x, y) = plane.apply((c.y, c.x));
                        Coord { x: y, y: x }
                    });
                }
            }
            Method::Seven { .. } => {
                let def = self.proj_pipeline().unwrap_or_default();
                // PROJ's message has one wording.
                let p = Pipeline::new(&def).map_err(|e| Text::same(e.to_string()))?;
                for g in geoms {
                    g.map_coords_in_place(|c| match p.forward([c.x, c.y, 0.0]) {
                        Ok([x, y, _]) => Coord { x, y },
                        Err(_) => Coord {
                            x: f64::NAN,
                            y: f64::NAN,
                        },
                    });
                }
            }
        }
        Ok(())
    }

    /// The parameters (and residuals) in words, for the layer's CRS reason.
    pub fn describe(&self) -> Text {
        let file = &self.file;
        let what = match &self.method {
            Method::Four {
                plane: p,
                target_epsg,
            } => {
                let numbers = format!(
                    "ΔX={:.4} m, ΔY={:.4} m, α={:.4}″, m={:.4} ppm → EPSG:{target_epsg}",
                    p.dx,
                    p.dy,
                    p.rotation * ARCSEC_PER_RAD,
                    (p.scale - 1.0) * 1e6,
                );
                text!(
                    "四参数转换（{file}）：{numbers}",
                    "four-parameter transform ({file}): {numbers}"
                )
            }
            Method::Seven { helmert: h, local } => {
                let r = h.r.map(|v| v * ARCSEC_PER_RAD);
                let from = match local.gauss_kruger {
                    Some([lon0, ..]) => Text::same(format!("Gauss-Krüger {lon0}°")),
                    None => Text::fixed("经纬度", "lon/lat"),
                };
                let numbers = format!(
                    "ΔX={:.4} m, ΔY={:.4} m, ΔZ={:.4} m, rx={:.5}″, ry={:.5}″, rz={:.5}″, m={:.5} ppm → EPSG:4490",
                    h.t[0],
                    h.t[1],
                    h.t[2],
                    r[0],
                    r[1],
                    r[2],
                    h.m * 1e6
                );
                let ellps = local.ellipsoid.proj_name();
                let (from_zh, from_en) = (from.in_lang(Lang::Zh), from.in_lang(Lang::En));
                text!(
                    "七参数转换（布尔莎，位置矢量）（{file}）：{ellps} {from_zh} → {numbers}",
                    "seven-parameter transform (Bursa-Wolf, position vector) ({file}): {ellps} {from_en} → {numbers}"
                )
            }
        };
        if self.residuals.is_empty() {
            return what;
        }
        let each: Vec<String> = (self.residuals.iter())
            .map(|(n, r)| {
                let v: Vec<String> = r.iter().map(|v| format!("{v:+.4}")).collect();
                format!("{n} ({})", v.join(", "))
            })
            .collect();
        let (each, rms) = (each.join(", "), self.rms);
        Text::by_lang(|l| match l {
            Lang::Zh => format!(
                "{}；控制点残差（米）：{each}；RMS {rms:.4} m",
                what.in_lang(l)
            ),
            Lang::En => format!(
                "{}; control point residuals (m): {each}; RMS {rms:.4} m",
                what.in_lang(l)
            ),
        })
    }
}

/// Each control point's name and residual.
type Residuals = Vec<(String, Vec<f64>)>;

/// A transform made from a spec: what it does, the residuals, their RMS.
type Made = (Method, Residuals, f64);

fn point_name(p: &SpecPoint, i: usize) -> String {
    p.name.clone().unwrap_or_else(|| format!("#{}", i + 1))
}

/// Both or neither: typed parameters (all of them) or control points.
fn typed_or_points<const N: usize>(
    typed: [Option<f64>; N],
    points: &[SpecPoint],
    names: &str,
) -> Result<Option<[f64; N]>, Text> {
    let given = typed.iter().filter(|v| v.is_some()).count();
    match (given, points.is_empty()) {
        (n, true) if n == N => Ok(Some(typed.map(|v| v.unwrap_or(0.0)))),
        (0, false) => Ok(None),
        _ => Err(text!(
            "请给出全部 {names}，或者给出 [[points]]（不能两者都有）",
            "give either all of {names}, or [[points]] (not both)"
        )),
    }
}

/// A transform whose parameters came out as no usable numbers.
const NOT_FINITE: Text = Text::fixed("参数不是有限数值", "the parameters are not finite numbers");

fn four(spec: &TransformSpec) -> Result<Made, Text> {
    let target_epsg = spec.target_epsg.ok_or(Text::fixed(
        "缺少 target_epsg（转换后数值所在的坐标系）",
        "target_epsg is missing (the CRS the transformed numbers are in)",
    ))?;
    let typed = [spec.dx, spec.dy, spec.rotation_arcsec, spec.scale_ppm];
    let (plane, residuals, rms) = match typed_or_points(
        typed,
        &spec.points,
        "dx, dy, rotation_arcsec, scale_ppm",
    )? {
        Some([dx, dy, rot, ppm]) => (
            Plane4 {
                dx,
                dy,
                rotation: rot / ARCSEC_PER_RAD,
                scale: 1.0 + ppm * 1e-6,
            },
            Vec::new(),
            0.0,
        ),
        None => {
            let mut points = Vec::with_capacity(spec.points.len());
            for (i, p) in spec.points.iter().enumerate() {
                let (Ok(local), Ok(target)) = (
                    <[f64; 2]>::try_from(p.local.as_slice()),
                    <[f64; 2]>::try_from(p.target.as_slice()),
                ) else {
                    let name = point_name(p, i);
                    return Err(text!(
                        "控制点 {name}：四参数需要 local = [X, Y] 与 target = [X, Y]",
                        "control point {name}: four parameters take local = [X, Y] and target = [X, Y]"
                    ));
                };
                points.push(ControlPoint {
                    name: point_name(p, i),
                    local,
                    target,
                });
            }
            let solved = solve_plane4(&points)?;
            let residuals = (points.into_iter().map(|p| p.name))
                .zip(solved.residuals.iter().map(|r| r.to_vec()))
                .collect();
            (solved.params, residuals, solved.rms)
        }
    };
    let ok = [plane.dx, plane.dy, plane.rotation, plane.scale]
        .iter()
        .all(|v| v.is_finite())
        && plane.scale > 0.0;
    if !ok {
        return Err(NOT_FINITE);
    }
    Ok((Method::Four { plane, target_epsg }, residuals, rms))
}

fn local_frame(spec: &TransformSpec) -> Result<LocalFrame, Text> {
    let name = spec.ellipsoid.as_deref().ok_or(Text::fixed(
        "缺少 ellipsoid（本地数值的椭球：krass、IAU76、GRS80 或 WGS84）",
        "ellipsoid is missing (krass, IAU76, GRS80 or WGS84: the local numbers' ellipsoid)",
    ))?;
    let ellipsoid = Ellipsoid::parse(name).ok_or_else(|| {
        text!(
            "ellipsoid = {name:?}：应为 krass（北京54）、IAU76（西安80）、GRS80 或 WGS84",
            "ellipsoid = {name:?}: krass (北京54), IAU76 (西安80), GRS80 or WGS84"
        )
    })?;
    let gauss_kruger = spec.central_meridian.map(|lon0| {
        [
            lon0,
            spec.false_easting.unwrap_or(500_000.0),
            spec.false_northing.unwrap_or(0.0),
            spec.scale_factor.unwrap_or(1.0),
        ]
    });
    if let Some(v) = gauss_kruger
        && (!v.iter().all(|x| x.is_finite()) || !(-180.0..=180.0).contains(&v[0]) || v[3] <= 0.0)
    {
        return Err(text!(
            "高斯-克吕格参数 {v:?} 不可用",
            "the Gauss-Krüger parameters {v:?} are not usable"
        ));
    }
    Ok(LocalFrame {
        ellipsoid,
        gauss_kruger,
    })
}

fn seven(spec: &TransformSpec) -> Result<Made, Text> {
    let local = local_frame(spec)?;
    let frame = match spec.convention.as_deref() {
        None | Some("position_vector") => false,
        Some("coordinate_frame") => true,
        Some(other) => {
            return Err(text!(
                "convention = {other:?}：应为 \"position_vector\" 或 \"coordinate_frame\"",
                "convention = {other:?}: \"position_vector\" or \"coordinate_frame\""
            ));
        }
    };
    let typed = [
        spec.tx,
        spec.ty,
        spec.tz,
        spec.rx_arcsec,
        spec.ry_arcsec,
        spec.rz_arcsec,
        spec.scale_ppm,
    ];
    let names = "tx, ty, tz, rx_arcsec, ry_arcsec, rz_arcsec, scale_ppm";
    let (helmert, residuals, rms) = match typed_or_points(typed, &spec.points, names)? {
        Some([tx, ty, tz, rx, ry, rz, ppm]) => {
            let sign = if frame { -1.0 } else { 1.0 };
            let h = Helmert7 {
                t: [tx, ty, tz],
                r: [rx, ry, rz].map(|v| sign * v / ARCSEC_PER_RAD),
                m: ppm * 1e-6,
            };
            (h, Vec::new(), 0.0)
        }
        None => solve_seven(spec, &local)?,
    };
    let ok = helmert.t.iter().chain(&helmert.r).all(|v| v.is_finite())
        && helmert.m.is_finite()
        && helmert.m > -1.0;
    if !ok {
        return Err(NOT_FINITE);
    }
    Ok((Method::Seven { helmert, local }, residuals, rms))
}

/// Control points of a seven-parameter transform into geocentric coordinates (local ellipsoid
/// and GRS80) through PROJ, then the least-squares solve.
fn solve_seven(
    spec: &TransformSpec,
    local: &LocalFrame,
) -> Result<(Helmert7, Residuals, f64), Text> {
    let target_epsg = spec.target_epsg.unwrap_or(SEVEN_TARGET_EPSG);
    if target_epsg != SEVEN_TARGET_EPSG && !(4491..=4554).contains(&target_epsg) {
        return Err(text!(
            "target_epsg = {target_epsg}：控制点的目标数值必须是 CGCS2000（4490 经纬度，或高斯-克吕格坐标系 4491–4554）",
            "target_epsg = {target_epsg}: the control points' target numbers must be CGCS2000 (4490 lon/lat, or a Gauss-Krüger CRS 4491–4554)"
        ));
    }
    // PROJ's messages have one wording.
    let e = |e: crate::crs::CrsError| Text::same(e.to_string());
    let local_cart =
        Pipeline::new(&format!("+proj=pipeline {}", local.geocentric_steps())).map_err(e)?;
    let target_cart = Pipeline::new(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=GRS80",
    )
    .map_err(e)?;
    let projected = (target_epsg != SEVEN_TARGET_EPSG)
        .then(|| crate::crs::transform(&format!("EPSG:{target_epsg}"), crate::crs::EPSG_CGCS2000))
        .transpose()
        .map_err(e)?;
    let mut points = Vec::with_capacity(spec.points.len());
    for (i, p) in spec.points.iter().enumerate() {
        let name = point_name(p, i);
        let sizes = |v: &[f64]| (2..=3).contains(&v.len()) && v.iter().all(|x| x.is_finite());
        if !sizes(&p.local) || !sizes(&p.target) {
            return Err(text!(
                "控制点 {name}：local 与 target 应为 2 或 3 个有限数值",
                "control point {name}: local and target take 2 or 3 finite numbers"
            ));
        }
        let at = |e: crate::crs::CrsError| text!("控制点 {name}：{e}", "control point {name}: {e}");
        let l = local_cart.forward(local.map_order(&p.local)).map_err(at)?;
        let h = p.target.get(2).copied().unwrap_or(0.0);
        let lonlat = match &projected {
            // [X, Y] survey order: (easting, northing) to PROJ.
            Some(proj) => proj
                .convert((p.target[1], p.target[0]))
                .map_err(|e| text!("控制点 {name}：{e}", "control point {name}: {e}"))?,
            None => (p.target[0], p.target[1]),
        };
        let t = target_cart.forward([lonlat.0, lonlat.1, h]).map_err(at)?;
        points.push(ControlPoint {
            name,
            local: l,
            target: t,
        });
    }
    let solved = solve_helmert7(&points)?;
    let residuals = (points.into_iter().map(|p| p.name))
        .zip(solved.residuals.iter().map(|r| r.to_vec()))
        .collect();
    Ok((solved.params, residuals, solved.rms))
}

#[cfg(test)]
mod tests;
