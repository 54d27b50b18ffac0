//! Deciding the coordinate reference system of a layer: the CRSs that matter at Taonan
//! ([`CHOICES`], searchable for a picker), identification of a `.prj` ([`identify_prj`], which
//! lives with the WKT reader in `crate::crs::wkt` and is re-exported here), inference from the
//! coordinates themselves when there is no `.prj` (including swapped X/Y), and the datum warning
//! for Xian 1980 / Beijing 1954.
//!
//! Background (shared/docs/domain.md): all of Taonan lies in 3° Gauss-Krüger zone 41 and 6° zone
//! 21, both with central meridian 123° E. Chinese surveying writes X = northing and Y = easting
//! (with the zone number as prefix); files that store them the other way round are common.

pub use super::wkt::identify_prj;

use crate::text;
use crate::text::{Lang, Text};

/// A CRS the user can pick: EPSG code, Chinese and English names, and whether it is geographic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrsChoice {
    /// EPSG code.
    pub epsg: u32,
    /// Chinese name as shown in the picker.
    pub name_zh: &'static str,
    /// English name (the EPSG name, with a note where useful).
    pub name_en: &'static str,
    /// Whether coordinates are longitude/latitude in degrees.
    pub geographic: bool,
}

const fn choice(
    epsg: u32,
    name_zh: &'static str,
    name_en: &'static str,
    geographic: bool,
) -> CrsChoice {
    CrsChoice {
        epsg,
        name_zh,
        name_en,
        geographic,
    }
}

/// Every CRS relevant to Taonan's data: CGCS2000 (4490, 4529, 4550, 4499, 4510, and the
/// neighbouring 3° zones 40/42: 4528, 4530, and CM 120E/126E without prefix: 4549/4551),
/// Xian 1980 (4610, 2365, 2386, 2335, 2346), Beijing 1954 (4214, 2417, 2438, 21421, 21481),
/// WGS 84 (4326), Web Mercator (3857), and 4552 (CM 129E — a common wrong pick, named so).
pub const CHOICES: &[CrsChoice] = &[
    choice(
        4490,
        "CGCS2000（国家2000）地理坐标 经纬度",
        "CGCS2000 geographic (China Geodetic Coordinate System 2000, lon/lat)",
        true,
    ),
    choice(
        4529,
        "CGCS2000（国家2000）3度带 第41带（Y 带号前缀 41）",
        "CGCS2000 / 3-degree Gauss-Kruger zone 41",
        false,
    ),
    choice(
        4550,
        "CGCS2000（国家2000）3度带 中央经线123°E（无带号）",
        "CGCS2000 / 3-degree Gauss-Kruger CM 123E",
        false,
    ),
    choice(
        4499,
        "CGCS2000（国家2000）6度带 第21带（Y 带号前缀 21）",
        "CGCS2000 / Gauss-Kruger zone 21 (6-degree)",
        false,
    ),
    choice(
        4510,
        "CGCS2000（国家2000）6度带 中央经线123°E（无带号）",
        "CGCS2000 / Gauss-Kruger CM 123E (6-degree)",
        false,
    ),
    choice(
        4528,
        "CGCS2000（国家2000）3度带 第40带（邻带，中央经线120°E）",
        "CGCS2000 / 3-degree Gauss-Kruger zone 40 (neighbouring zone, CM 120E)",
        false,
    ),
    choice(
        4530,
        "CGCS2000（国家2000）3度带 第42带（邻带，中央经线126°E）",
        "CGCS2000 / 3-degree Gauss-Kruger zone 42 (neighbouring zone, CM 126E)",
        false,
    ),
    choice(
        4549,
        "CGCS2000（国家2000）3度带 中央经线120°E（无带号，邻带）",
        "CGCS2000 / 3-degree Gauss-Kruger CM 120E (neighbouring zone)",
        false,
    ),
    choice(
        4551,
        "CGCS2000（国家2000）3度带 中央经线126°E（无带号，邻带）",
        "CGCS2000 / 3-degree Gauss-Kruger CM 126E (neighbouring zone)",
        false,
    ),
    choice(
        4552,
        "CGCS2000 3度带 中央经线129°E（常见误选：洮南不在此带）",
        "CGCS2000 / 3-degree Gauss-Kruger CM 129E (a common wrong pick: not Taonan's zone)",
        false,
    ),
    choice(
        4610,
        "西安1980（西安80）地理坐标 经纬度",
        "Xian 1980 geographic (lon/lat)",
        true,
    ),
    choice(
        2365,
        "西安1980（西安80）3度带 第41带（Y 带号前缀 41）",
        "Xian 1980 / 3-degree Gauss-Kruger zone 41",
        false,
    ),
    choice(
        2386,
        "西安1980（西安80）3度带 中央经线123°E（无带号）",
        "Xian 1980 / 3-degree Gauss-Kruger CM 123E",
        false,
    ),
    choice(
        2335,
        "西安1980（西安80）6度带 第21带（Y 带号前缀 21）",
        "Xian 1980 / Gauss-Kruger zone 21 (6-degree)",
        false,
    ),
    choice(
        2346,
        "西安1980（西安80）6度带 中央经线123°E（无带号）",
        "Xian 1980 / Gauss-Kruger CM 123E (6-degree)",
        false,
    ),
    choice(
        4214,
        "北京1954（北京54）地理坐标 经纬度",
        "Beijing 1954 geographic (lon/lat)",
        true,
    ),
    choice(
        2417,
        "北京1954（北京54）3度带 第41带（Y 带号前缀 41）",
        "Beijing 1954 / 3-degree Gauss-Kruger zone 41",
        false,
    ),
    choice(
        2438,
        "北京1954（北京54）3度带 中央经线123°E（无带号）",
        "Beijing 1954 / 3-degree Gauss-Kruger CM 123E",
        false,
    ),
    choice(
        21421,
        "北京1954（北京54）6度带 第21带（Y 带号前缀 21）",
        "Beijing 1954 / Gauss-Kruger zone 21 (6-degree)",
        false,
    ),
    choice(
        21481,
        "北京1954（北京54）6度带 中央经线123°E（无带号）",
        "Beijing 1954 / Gauss-Kruger CM 123E (6-degree)",
        false,
    ),
    choice(
        4326,
        "WGS 84 地理坐标 经纬度（GPS）",
        "WGS 84 geographic (lon/lat, GPS)",
        true,
    ),
    choice(
        3857,
        "Web 墨卡托（网络地图投影）",
        "WGS 84 / Pseudo-Mercator (Web Mercator)",
        false,
    ),
];

/// Geodetic datum of a CRS, as far as this module needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Datum {
    Cgcs2000,
    Xian1980,
    Beijing1954,
    Wgs84,
}

/// Kind of coordinates of a CRS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Geographic,
    /// Gauss-Krüger: central meridian (degrees), false easting (m), 6° zone (else 3°).
    Gk {
        cm: f64,
        fe: f64,
        six: bool,
    },
    WebMercator,
}

/// The defining parameters of every entry of [`CHOICES`].
pub(super) const DEFS: &[(u32, Datum, Kind)] = &[
    (4490, Datum::Cgcs2000, Kind::Geographic),
    (4529, Datum::Cgcs2000, gk3(123.0, 41_500_000.0)),
    (4550, Datum::Cgcs2000, gk3(123.0, 500_000.0)),
    (4499, Datum::Cgcs2000, gk6(123.0, 21_500_000.0)),
    (4510, Datum::Cgcs2000, gk6(123.0, 500_000.0)),
    (4528, Datum::Cgcs2000, gk3(120.0, 40_500_000.0)),
    (4530, Datum::Cgcs2000, gk3(126.0, 42_500_000.0)),
    (4549, Datum::Cgcs2000, gk3(120.0, 500_000.0)),
    (4551, Datum::Cgcs2000, gk3(126.0, 500_000.0)),
    (4552, Datum::Cgcs2000, gk3(129.0, 500_000.0)),
    (4610, Datum::Xian1980, Kind::Geographic),
    (2365, Datum::Xian1980, gk3(123.0, 41_500_000.0)),
    (2386, Datum::Xian1980, gk3(123.0, 500_000.0)),
    (2335, Datum::Xian1980, gk6(123.0, 21_500_000.0)),
    (2346, Datum::Xian1980, gk6(123.0, 500_000.0)),
    (4214, Datum::Beijing1954, Kind::Geographic),
    (2417, Datum::Beijing1954, gk3(123.0, 41_500_000.0)),
    (2438, Datum::Beijing1954, gk3(123.0, 500_000.0)),
    (21421, Datum::Beijing1954, gk6(123.0, 21_500_000.0)),
    (21481, Datum::Beijing1954, gk6(123.0, 500_000.0)),
    (4326, Datum::Wgs84, Kind::Geographic),
    (3857, Datum::Wgs84, Kind::WebMercator),
];

const fn gk3(cm: f64, fe: f64) -> Kind {
    Kind::Gk { cm, fe, six: false }
}

const fn gk6(cm: f64, fe: f64) -> Kind {
    Kind::Gk { cm, fe, six: true }
}

/// The EPSG code of a datum's own geographic CRS.
pub(super) fn geographic_code(datum: Datum) -> u32 {
    match datum {
        Datum::Cgcs2000 => 4490,
        Datum::Xian1980 => 4610,
        Datum::Beijing1954 => 4214,
        Datum::Wgs84 => 4326,
    }
}

/// Whether the code is one of [`CHOICES`].
pub(super) fn is_choice(epsg: u32) -> bool {
    choice_by_epsg(epsg).is_some()
}

/// The entry of [`CHOICES`] with this EPSG code, if any.
pub fn choice_by_epsg(epsg: u32) -> Option<&'static CrsChoice> {
    CHOICES.iter().find(|c| c.epsg == epsg)
}

/// Search CHOICES by EPSG code digits or by name substring (case-insensitive, Chinese or
/// English); empty query → all. Several words separated by spaces must all match.
pub fn search(query: &str) -> Vec<&'static CrsChoice> {
    let terms: Vec<String> = query
        .split_whitespace()
        .map(|t| {
            let t = t.to_lowercase();
            t.strip_prefix("epsg:").map(str::to_owned).unwrap_or(t)
        })
        .filter(|t| !t.is_empty())
        .collect();
    CHOICES
        .iter()
        .filter(|c| {
            let hay = format!(
                "{} {} {}",
                c.epsg,
                c.name_zh.to_lowercase(),
                c.name_en.to_lowercase()
            );
            terms.iter().all(|t| {
                if t.chars().all(|ch| ch.is_ascii_digit()) {
                    // Digits: the EPSG code, or a number in a name ("41", "123").
                    c.epsg.to_string().contains(t.as_str()) || hay.contains(t.as_str())
                } else {
                    hay.contains(t.as_str())
                }
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Inference from coordinates
// ---------------------------------------------------------------------------------------------

/// How a CRS was decided, for reports and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrsSource {
    /// Read from the layer's `.prj`.
    Prj,
    /// Inferred from the coordinates ([`infer`]).
    Inferred,
    /// Picked by the user.
    User,
}

impl CrsSource {
    /// A short label, e.g. "来自 .prj" / "from .prj".
    pub fn label(self) -> Text {
        match self {
            CrsSource::Prj => Text::fixed("来自 .prj", "from .prj"),
            CrsSource::Inferred => Text::fixed("由坐标推测", "inferred from the coordinates"),
            CrsSource::User => Text::fixed("用户指定", "chosen by the user"),
        }
    }
}

/// The result of looking at coordinates: the guessed EPSG code (None if nothing fits), a human
/// explanation (including the datum caveat: coordinates cannot tell CGCS2000 from Xian 1980 or
/// Beijing 1954), and whether X/Y look swapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// Guessed EPSG code, or None when no rule fits.
    pub epsg: Option<u32>,
    /// Why.
    pub reason: Text,
    /// Whether the stored x holds the northing / latitude (and y the easting / longitude).
    pub swapped: bool,
}

/// Plausible northings in China (m): about 18° N to 55° N.
const NORTHING: std::ops::Range<f64> = 2_000_000.0..6_100_000.0;
/// Plausible eastings without a zone prefix (m).
const EASTING_NO_PREFIX: std::ops::Range<f64> = 300_000.0..700_000.0;

fn in_china_degrees(lon: f64, lat: f64) -> bool {
    (73.0..=136.0).contains(&lon) && (3.0..=54.0).contains(&lat)
}

const DATUM_NOTE: Text = Text::fixed(
    "坐标本身无法区分大地基准：若数据为西安80或北京54，请改选对应坐标系",
    "the coordinates cannot tell the datum: if the data are Xian 1980 or Beijing 1954, pick that CRS instead",
);

/// What an easting with a zone prefix says: (EPSG if in CHOICES, description).
fn prefixed_zone(easting: f64) -> Option<(Option<u32>, Text)> {
    if !(1_000_000.0..100_000_000.0).contains(&easting) {
        return None;
    }
    let zone = (easting / 1e6).floor() as u32;
    let rest = easting - zone as f64 * 1e6;
    if !(0.0..1_000_000.0).contains(&rest) {
        return None;
    }
    match zone {
        25..=45 => {
            let (epsg, cm) = (4513 + (zone - 25), zone * 3);
            Some((
                is_choice(epsg).then_some(epsg),
                text!(
                    "3度带第{zone}带（中央经线{cm}°E），EPSG:{epsg}",
                    "3-degree zone {zone} (CM {cm}E), EPSG:{epsg}"
                ),
            ))
        }
        13..=23 => {
            let (epsg, cm) = (4491 + (zone - 13), zone * 6 - 3);
            Some((
                is_choice(epsg).then_some(epsg),
                text!(
                    "6度带第{zone}带（中央经线{cm}°E），EPSG:{epsg}",
                    "6-degree zone {zone} (CM {cm}E), EPSG:{epsg}"
                ),
            ))
        }
        _ => None,
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(v[v.len() / 2])
}

/// Infer the CRS of projected or geographic coordinates given as (x, y) pairs as stored in a
/// shapefile (x = easting, y = northing for a correct file).
///
/// Rules (domain.md), applied to the median x and median y of the finite coordinates (so that a
/// few stray points do not decide): both in degree ranges near China (lon 73..136, lat 3..54) →
/// 4490; x with 8 integer digits starting 41 and y a northing → 4529 (prefix 40 / 42 → 4528 /
/// 4530, 21 → 4499); x with 6 digits (300 000..700 000) and y a northing → 4550. The same with
/// x and y exchanged → the same EPSG with `swapped = true`. Anything else → `epsg: None`.
#[allow(
    clippy::too_many_lines,
    reason = "the guessing rules in the order they are tried, each a few lines"
)]
pub fn infer(coords: impl Iterator<Item = [f64; 2]>) -> Guess {
    let (mut xs, mut ys): (Vec<f64>, Vec<f64>) = coords
        .filter(|[x, y]| x.is_finite() && y.is_finite())
        .map(|[x, y]| (x, y))
        .unzip();
    let n = xs.len();
    let (Some(mx), Some(my)) = (median(&mut xs), median(&mut ys)) else {
        return Guess {
            epsg: None,
            reason: Text::fixed(
                "没有有效坐标，无法推测坐标系",
                "no finite coordinates: the CRS cannot be guessed",
            ),
            swapped: false,
        };
    };
    let at = text!(
        "x≈{mx:.3}, y≈{my:.3}（{n} 个点的中位数）",
        "x≈{mx:.3}, y≈{my:.3} (median of {n} points)"
    );
    // The place the numbers are read at, then what they say.
    let said = |zh: String, en: String| {
        Text::new(
            format!("{}：{zh}", at.in_lang(Lang::Zh)),
            format!("{}: {en}", at.in_lang(Lang::En)),
        )
    };

    // Geographic degrees.
    if in_china_degrees(mx, my) {
        return Guess {
            epsg: Some(4490),
            reason: said(
                "经纬度，位于中国范围 → 推测 CGCS2000 地理坐标 EPSG:4490（在地图比例下与 WGS 84 相同）".into(),
                "degrees within China → guessed CGCS2000 geographic (EPSG:4490; WGS 84 is the same at map scale)".into(),
            ),
            swapped: false,
        };
    }
    if in_china_degrees(my, mx) {
        return Guess {
            epsg: Some(4490),
            reason: said(
                "x 像纬度、y 像经度，经纬度存反了 → 推测 EPSG:4490（交换 x/y）".into(),
                "x looks like latitude and y like longitude: lat/lon swapped → guessed EPSG:4490 with x/y swapped".into(),
            ),
            swapped: true,
        };
    }

    // Projected: (easting, northing) or swapped.
    for (easting, northing, swapped) in [(mx, my, false), (my, mx, true)] {
        if !NORTHING.contains(&northing) {
            continue;
        }
        let (swap_zh, swap_en) = if swapped {
            (
                "x 为北坐标、y 为东坐标，X/Y 存反了（测绘习惯 X=北）→ 交换后使用；",
                "x holds the northing and y the easting (surveyors' X = northing): swapped; ",
            )
        } else {
            ("", "")
        };
        let note = DATUM_NOTE;
        let (datum_zh, datum_en) = (note.in_lang(Lang::Zh), note.in_lang(Lang::En));
        if let Some((epsg, zone_text)) = prefixed_zone(easting) {
            let (zone_zh, zone_en) = (zone_text.in_lang(Lang::Zh), zone_text.in_lang(Lang::En));
            let reason = match epsg {
                Some(code) => said(
                    format!(
                        "{swap_zh}8位东坐标带带号前缀 → {zone_zh}，推测 CGCS2000 EPSG:{code}。{datum_zh}"
                    ),
                    format!(
                        "{swap_en}8-digit easting with zone prefix → guessed CGCS2000 EPSG:{code}. {datum_en}"
                    ),
                ),
                None => said(
                    format!(
                        "{swap_zh}东坐标带带号前缀，像 {zone_zh}，但不是洮南所在的投影带，请手动选择坐标系"
                    ),
                    format!(
                        "{swap_en}easting with a zone prefix looks like {zone_en}, which is not a zone used at Taonan: \
                         pick the CRS by hand"
                    ),
                ),
            };
            return Guess {
                epsg,
                reason,
                swapped: epsg.is_some() && swapped,
            };
        }
        if EASTING_NO_PREFIX.contains(&easting) {
            return Guess {
                epsg: Some(4550),
                reason: said(
                    format!(
                        "{swap_zh}6位东坐标（无带号）→ 推测 CGCS2000 3度带 中央经线123°E EPSG:4550（洮南所在带；\
                         6度带 EPSG:4510 数值相同）。{datum_zh}"
                    ),
                    format!(
                        "{swap_en}6-digit easting without zone prefix → guessed CGCS2000 \
                         3-degree CM 123E (EPSG:4550, Taonan's meridian; 6-degree EPSG:4510 gives the same numbers). \
                         {datum_en}"
                    ),
                ),
                swapped,
            };
        }
    }
    let hint = easting_hint(mx, my);
    let (hint_zh, hint_en) = hint
        .as_ref()
        .map_or(("", ""), |h| (h.in_lang(Lang::Zh), h.in_lang(Lang::En)));
    Guess {
        epsg: None,
        reason: said(
            format!("既不像中国范围的经纬度，也不像高斯-克吕格坐标，请手动选择坐标系{hint_zh}"),
            format!(
                "neither degrees within China nor Gauss-Kruger metres: pick the CRS by hand{hint_en}"
            ),
        ),
        swapped: false,
    }
}

/// What numbers beside a plausible northing, too short or too long for an easting, probably
/// lost (appended to the reason of a failed guess), in either order.
fn easting_hint(mx: f64, my: f64) -> Option<Text> {
    [(mx, my), (my, mx)].into_iter().find_map(|(e, n)| {
        if !NORTHING.contains(&n) {
            None
        } else if (0.0..EASTING_NO_PREFIX.start).contains(&e) {
            Some(Text::fixed(
                "；东坐标位数太少，可能缺少带号前缀（如 41457390.25 写成 47390.25）或漏了数字",
                "; the eastings have too few digits: a missing zone prefix (41457390.25 typed as \
                 47390.25) or a dropped digit?",
            ))
        } else if (1e6..1e7).contains(&e) {
            Some(Text::fixed(
                "；东坐标只有7位整数，可能漏了一位数字（如 41457390.25 写成 4157390.25）",
                "; the eastings have 7 integer digits: a dropped digit (41457390.25 typed as \
                 4157390.25)?",
            ))
        } else {
            None
        }
    })
}

/// Taonan's extent (lon 121.6–123.4 E, lat 45.0–46.1 N) with a margin of 1°.
fn near_taonan(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (120.6..=124.4).contains(&lon)
        && (44.0..=47.1).contains(&lat)
}

/// (x, y) as stored, read with `epsg`, → CGCS2000 lon/lat; None when PROJ refuses. A CGCS2000
/// Gauss-Krüger CRS goes through the closed-form series ([`crate::crs::gauss_kruger`]) when the point
/// is in its domain, which spares building a PROJ transform at every load.
fn to_lonlat(epsg: u32, x: f64, y: f64) -> Option<(f64, f64)> {
    if epsg == 4490 {
        return Some((x, y));
    }
    if let Some(lonlat) =
        crate::crs::gauss_kruger::GaussKruger::from_epsg(epsg).and_then(|gk| gk.inverse(x, y))
    {
        return Some(lonlat);
    }
    let p = crate::crs::transform(&format!("EPSG:{epsg}"), crate::crs::EPSG_CGCS2000).ok()?;
    p.convert((x, y)).ok()
}

/// Whether a layer placed with `epsg` lands far outside Taonan (121.6–123.4 E, 45.0–46.1 N,
/// with a margin of 1°) while the swapped reading lands inside: returns Some(explanation)
/// suggesting the swap. `bbox` is (minx, miny, maxx, maxy) as stored; its centre is transformed
/// to EPSG:4490 (by the Gauss-Krüger series or PROJ, see `to_lonlat`).
pub fn swap_would_fix(epsg: u32, bbox: [f64; 4]) -> Option<Text> {
    let [minx, miny, maxx, maxy] = bbox;
    let (cx, cy) = ((minx + maxx) / 2.0, (miny + maxy) / 2.0);
    if !cx.is_finite() || !cy.is_finite() {
        return None;
    }
    let as_stored = to_lonlat(epsg, cx, cy);
    if as_stored.is_some_and(|(lon, lat)| near_taonan(lon, lat)) {
        return None;
    }
    let (lon, lat) = to_lonlat(epsg, cy, cx).filter(|(lon, lat)| near_taonan(*lon, *lat))?;
    let placed = match as_stored {
        Some((l, b)) if l.is_finite() && b.is_finite() => Text::same(format!("({l:.3}, {b:.3})")),
        _ => Text::fixed("无效位置", "an invalid position"),
    };
    let (placed_zh, placed_en) = (placed.in_lang(Lang::Zh), placed.in_lang(Lang::En));
    Some(text!(
        "按 EPSG:{epsg} 放置时图层中心位于 {placed_zh}，远离洮南；交换 X/Y 后位于 ({lon:.3}, {lat:.3})，在洮南范围内 —— \
         X 与 Y 很可能存反了（测绘习惯 X=北坐标，Y=东坐标）。",
        "Placed with EPSG:{epsg} the layer's centre falls at {placed_en}, far from Taonan; with X and Y \
         swapped it falls at ({lon:.3}, {lat:.3}), inside Taonan: the columns are probably swapped \
         (surveyors write X = northing, Y = easting)."
    ))
}

/// A warning when the datum is Xian 1980 or Beijing 1954: PROJ has only a ballpark transform to
/// CGCS2000 for them (tens of metres off); says what would make it exact (the local
/// 7-parameter set from the surveying authority, entered as a +towgs84 / Helmert
/// transformation). None for other CRSs.
pub fn datum_warning(epsg: u32) -> Option<Text> {
    let (datum_zh, datum_en) = match epsg {
        4610 | 2327..=2390 => ("西安1980", "Xian 1980"),
        4214 | 2401..=2442 | 21413..=21423 | 21473..=21483 => ("北京1954", "Beijing 1954"),
        _ => return None,
    };
    Some(text!(
        "EPSG:{epsg} 使用{datum_zh}基准：PROJ 到 CGCS2000 只有近似（零参数）转换，位置可能偏差数十米。\
         要精确转换，需向当地测绘主管部门索取本地七参数（布尔莎/Helmert），以 +towgs84 方式输入。",
        "EPSG:{epsg} uses the {datum_en} datum: PROJ has only a ballpark (null) transformation to CGCS2000, \
         so positions may be tens of metres off. To make it exact, obtain the local 7-parameter set \
         (Bursa-Wolf / Helmert) from the surveying authority and enter it as +towgs84."
    ))
}

#[cfg(test)]
mod tests;
