//! How a loaded layer's CRS is decided: the user's choice, else what the file declares (a
//! `.prj`, a GeoJSON `crs` member, KML's fixed WGS 84), else a guess from the numbers. Numbers
//! that fit no CRS this region uses are taken as WGS 84 when they look like lon/lat (with a
//! warning), else the layer is loaded *unplaced* (坐标系未知) until the user picks a CRS.

use crate::crs::crs_guess::{self, CrsSource};
use crate::text;
use crate::text::{Lang, Text};

/// How a layer's CRS was decided.
#[derive(Debug, Clone, PartialEq)]
pub struct CrsDecision {
    /// The EPSG code, when known (`None` also for an unplaced layer).
    pub epsg: Option<u32>,
    /// Name for display, e.g. "CGCS2000_3_Degree_GK_Zone_41 (EPSG:4529)".
    pub label: Text,
    /// From the `.prj` (or the file's own declaration), inferred, or chosen by the user.
    pub source: CrsSource,
    /// Why, in words.
    pub reason: Text,
}

impl CrsDecision {
    /// The layer's CRS text ([`crate::model::Layer::crs`]), "label — reason". An unplaced
    /// layer's begins with [`crate::model::CRS_UNKNOWN`] in Chinese.
    pub fn layer_text(&self) -> Text {
        Text::by_lang(|l| format!("{} — {}", self.label.in_lang(l), self.reason.in_lang(l)))
    }
}

/// A CRS a file declares by itself, other than through a `.prj`: a GeoJSON `crs` member (or
/// RFC 7946's WGS 84 when there is none), KML's WGS 84 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredCrs {
    /// The EPSG code (4326 for WGS 84 lon/lat).
    pub epsg: u32,
    /// Name for display, e.g. "WGS 84 经纬度 (EPSG:4326)".
    pub label: Text,
    /// Where the file says so, in words.
    pub reason: Text,
}

/// WGS 84 longitude/latitude, as a CRS's name.
pub const WGS84_LABEL: Text =
    Text::fixed("WGS 84 经纬度 (EPSG:4326)", "WGS 84 lon/lat (EPSG:4326)");

impl DeclaredCrs {
    /// WGS 84 longitude/latitude in degrees (EPSG:4326), for the reason given.
    pub fn wgs84(reason: Text) -> Self {
        Self {
            epsg: 4326,
            label: WGS84_LABEL,
            reason,
        }
    }
}

/// What a layer is declared to be in: a `.prj` (WKT text) or a file's own declaration.
#[derive(Debug, Clone, Copy)]
pub enum Declared<'a> {
    /// Nothing: the numbers decide.
    Nothing,
    /// The `.prj`'s WKT.
    Prj(&'a str),
    /// The file's own CRS statement.
    File(&'a DeclaredCrs),
}

/// Label of a layer's CRS when no CRS could be decided; its Chinese wording begins the
/// layer's CRS text (see [`crate::model::Layer::is_placed`]).
pub const UNPLACED: Text = Text::fixed(crate::model::CRS_UNKNOWN, "CRS unknown");

/// The decision, the definition PROJ is given (`None`: the layer is unplaced) and the guess
/// made from the numbers, if any.
pub type Decided = (CrsDecision, Option<String>, Option<crs_guess::Guess>);

/// "名称 (EPSG:code)" for the CRS choices of the region (their English names in English),
/// else "EPSG:code".
pub fn label_of(code: u32) -> Text {
    crs_guess::CHOICES
        .iter()
        .find(|c| c.epsg == code)
        .map(|c| {
            let (zh, en) = (c.name_zh, c.name_en);
            text!("{zh} (EPSG:{code})", "{en} (EPSG:{code})")
        })
        .unwrap_or_else(|| Text::same(format!("EPSG:{code}")))
}

/// Decide the CRS from the user's choice, the declaration, or the numbers. `lonlat_range`:
/// whether every coordinate lies within ±180 / ±90 (then numbers that fit no CRS of the region
/// are taken as WGS 84 lon/lat). Never fails: when nothing fits the layer is unplaced.
pub fn decide(
    declared: Declared<'_>,
    coords: impl Iterator<Item = [f64; 2]>,
    lonlat_range: bool,
    user_epsg: Option<u32>,
) -> Decided {
    if let Some(epsg) = user_epsg {
        let decision = CrsDecision {
            epsg: Some(epsg),
            label: label_of(epsg),
            source: CrsSource::User,
            reason: Text::fixed("用户指定", "chosen by the user"),
        };
        return (decision, Some(format!("EPSG:{epsg}")), None);
    }
    match declared {
        Declared::Prj(wkt) if !wkt.trim().is_empty() => return from_prj(wkt),
        Declared::File(d) => {
            let decision = CrsDecision {
                epsg: Some(d.epsg),
                label: d.label.clone(),
                source: CrsSource::Prj,
                reason: d.reason.clone(),
            };
            return (decision, Some(format!("EPSG:{}", d.epsg)), None);
        }
        _ => {}
    }
    let guess = crs_guess::infer(coords);
    match guess.epsg {
        Some(code) => {
            let decision = CrsDecision {
                epsg: Some(code),
                label: label_of(code),
                source: CrsSource::Inferred,
                reason: guess.reason.clone(),
            };
            (decision, Some(format!("EPSG:{code}")), Some(guess))
        }
        None if lonlat_range => {
            let decision = CrsDecision {
                epsg: Some(4326),
                label: WGS84_LABEL,
                source: CrsSource::Inferred,
                reason: Text::by_lang(|l| match l {
                    Lang::Zh => format!(
                        "{}；数值都在经纬度范围内，按 WGS 84 经纬度载入，请核对",
                        guess.reason.in_lang(l)
                    ),
                    Lang::En => format!(
                        "{}; every number is within lon/lat range: taken as WGS 84 lon/lat — check it",
                        guess.reason.in_lang(l)
                    ),
                }),
            };
            (decision, Some("EPSG:4326".into()), None)
        }
        None => {
            let decision = CrsDecision {
                epsg: None,
                label: UNPLACED,
                source: CrsSource::Inferred,
                reason: Text::by_lang(|l| match l {
                    Lang::Zh => format!(
                        "{}；图层已载入但未定位，在图层设置中选择坐标系后显示",
                        guess.reason.in_lang(l)
                    ),
                    Lang::En => format!(
                        "{}; the layer is loaded but not placed: pick its CRS in the layer settings to show it",
                        guess.reason.in_lang(l)
                    ),
                }),
            };
            (decision, None, None)
        }
    }
}

fn from_prj(wkt: &str) -> Decided {
    let epsg = crs_guess::identify_prj(wkt);
    let wkt_name = crate::io::loader::wkt_name;
    // The WKT's own name, in the file's words.
    let label = match (epsg, wkt_name(wkt)) {
        (Some(code), Some(name)) => Text::same(format!("{name} (EPSG:{code})")),
        (Some(code), None) => text!("坐标系 (EPSG:{code})", "CRS (EPSG:{code})"),
        (None, Some(name)) => Text::same(name.to_owned()),
        (None, None) => Text::fixed("未命名的坐标系", "unnamed CRS"),
    };
    // PROJ is given the EPSG code when identified (exact definitions from its database), else
    // the WKT itself.
    let def = match epsg {
        Some(code) => format!("EPSG:{code}"),
        None => wkt.to_owned(),
    };
    let decision = CrsDecision {
        epsg,
        label,
        source: CrsSource::Prj,
        reason: Text::fixed("来自 .prj", "from the .prj"),
    };
    (decision, Some(def), None)
}
