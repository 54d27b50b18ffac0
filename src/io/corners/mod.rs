//! Corner-coordinate lists (拐点坐标) of exploration/mining rights and land parcels.
//!
//! One module per layout, all private behind [`parse`] (and [`parse_as`], one named layout):
//!
//! - `point_table`: `点号, X, Y[, 纬度, 经度]` lines (DMS, `ddd.mmss` or decimal degrees).
//! - `land_survey`: the `[属性描述]` / `[地块坐标]` exchange file.
//! - `block_string`: the ministry block string with `0|-1` ring terminators.
//! - `semicolon_pairs`: `X1,Y1;X2,Y2;…`.
//! - `common`: what they share (line normalisation, problems, numbers and DMS, ring checks).
//!
//! [`parse`] reads already-decoded text and auto-detects one of four layouts ([`Layout`]):
//!
//! * **Point table** — lines `点号, X, Y[, 纬度, 经度]`, separated by commas, tabs or runs of
//!   spaces, with or without a header line (`点号,X坐标,Y坐标`, `点号 X Y`, …). Latitude /
//!   longitude columns may be written as DMS (`45°30′12.345″`, `45:30:12.345`, `45 30 12.345`)
//!   or as plain numbers; plain numbers are read as compact `ddd.mmss` (122.304512 =
//!   122°30′45.12″) unless the header says 十进制/decimal or some value is not a valid
//!   `ddd.mmss` (minutes or seconds ≥ 60), in which case the whole file is read as decimal
//!   degrees. Without a header naming 纬度/经度 (or B/L, lat/lon), the larger of the two values
//!   is taken as the longitude (true everywhere in China). Parcels are separated by blank lines,
//!   by a line naming the parcel (`地块1`, `区块2:`, `地块名称：…`), by `*`, by a repeated header,
//!   or by the first point reappearing (the ring closes when the first point's coordinates come
//!   back; the first point's *name* coming back with other coordinates starts a new parcel).
//!   Two-column lines `X, Y` (no point names) are accepted; points are then named 1, 2, ….
//! * **Land-survey exchange file** — `[属性描述]` with `key=value` lines (kept in
//!   [`CornerFile::header`]), then `[地块坐标]` with, per parcel, a header line
//!   `界址点数,地块面积,地块编号,地块名称,记录图形属性,图幅号,地块用途,地类编码,@` and point
//!   lines `点号,地块圈号,X,Y`. Ring 1 is the outer ring; a ring numbered > 1 is a hole when most
//!   of its vertices lie inside ring 1, otherwise an island (`hole == false`).
//! * **Block string** (ministry format, as read here) — a stream of numbers separated by commas,
//!   whitespace, newlines or `*`: `区域数, 拐点数, X1,Y1, …, Xn,Yn, 0|-1, h1, h2, 拐点数, …`.
//!   Each ring is `拐点数` followed by its coordinate pairs (a variant with `点号,X,Y` triples
//!   numbered 1..n is also accepted), a terminator (`0` = outer ring, starting a new parcel;
//!   `-1` = hole of the preceding outer ring) and two elevation limits (开采深度 from/to), stored
//!   on the outer ring's parcel as attributes `h1` and `h2` (numbers, as written; those of holes
//!   are not kept). The terminator and elevations may be missing at the very end. `区域数` is
//!   checked against the number of rings (or of outer rings) read and a mismatch is reported.
//! * **Semicolon pairs** — the trial standard's `X1,Y1;X2,Y2;…` (an optional leading label such
//!   as `GDZB=` or `拐点坐标：` is skipped; `点号,X,Y` triples are accepted), read as one ring.
//!
//! Numbers are kept exactly as written: no X/Y swap, no CRS guess. X is the northing and Y the
//! easting in survey convention, so points are `[X, Y]`. Every output ring is closed (first ==
//! last). Bad lines are skipped and reported in [`CornerFile::problems`] with their 1-based line
//! number; rings with fewer than 3 distinct points are dropped with a problem entry.
//!
//! Before parsing, a UTF-8 BOM is removed, CRLF is accepted, and full-width ASCII forms
//! (`０`–`９`, `，`, `．`, `；`, `：`, …) and the ideographic space are mapped to ASCII.

mod block_string;
mod common;
mod land_survey;
mod point_table;
mod semicolon_pairs;
#[cfg(test)]
mod test_support;

pub use common::{parse_ddd_mmss, parse_dms};

use block_string::parse_block_string;
use common::normalise;
use land_survey::parse_land_survey;
use point_table::parse_point_table;
use semicolon_pairs::parse_semicolon_pairs;

use crate::model::Value;
use crate::text::{Lang, Text};

/// One closed ring of a parcel.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    /// `[x, y]` = `[X northing, Y easting]` as written in the file; closed (first == last).
    pub points: Vec<[f64; 2]>,
    /// Whether the ring is a hole in the parcel's outer ring.
    pub hole: bool,
}

/// One parcel (a right's block, a land parcel) with its rings.
#[derive(Debug, Clone, PartialEq)]
pub struct Parcel {
    /// The parcel's name from the file, else `地块N` (N = its 1-based position in the output).
    pub name: String,
    /// Attributes from the file: land-survey parcel header fields, block-string `h1`/`h2`.
    pub attributes: Vec<(String, Value)>,
    /// Rings; the first is the outer ring.
    pub rings: Vec<Ring>,
    /// Names of the outer ring's corner points, one per corner, without the closing repeat:
    /// `point_names[i]` belongs to `rings[0].points[i]` (so it is one shorter than the ring).
    pub point_names: Vec<String>,
    /// `[lon, lat]` in degrees from latitude/longitude columns when every corner has them:
    /// `lonlat[i]` belongs to `rings[0].points[i]` (closed like the ring, same length).
    pub lonlat: Option<Vec<[f64; 2]>>,
}

/// A line that was skipped or a parcel that was dropped, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct LineProblem {
    /// 1-based line number in the input text.
    pub line: usize,
    /// The message, e.g. `第12行：坐标不是数字："4503x12"` / `line 12: coordinate is not a
    /// number: "4503x12"`.
    pub message: Text,
}

/// The layout the text was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Lines `点号, X, Y[, lat, lon]`.
    PointTable,
    /// The land-survey exchange text file (`[属性描述]` / `[地块坐标]`).
    LandSurvey,
    /// The ministry block string `区域数, 拐点数, X1,Y1, …, 0|-1, h1, h2, …`.
    BlockString,
    /// The trial standard's `X1,Y1;X2,Y2;…`.
    SemicolonPairs,
}

/// The result of [`parse`].
#[derive(Debug, Clone, PartialEq)]
pub struct CornerFile {
    /// The layout detected.
    pub layout: Layout,
    /// `[属性描述]` `key=value` pairs in file order (land-survey files), else empty.
    pub header: Vec<(String, String)>,
    /// Parcels that have an outer ring of at least 3 distinct points.
    pub parcels: Vec<Parcel>,
    /// Skipped lines and dropped rings, sorted by line number.
    pub problems: Vec<LineProblem>,
}

/// What one layout reader produced.
struct Attempt {
    header: Vec<(String, String)>,
    parcels: Vec<Parcel>,
    problems: Vec<LineProblem>,
}

/// Parse a corner-coordinate list, detecting its layout.
///
/// Returns `Err` only when no layout yields a parcel; the message lists the layouts tried and
/// why each failed. Problems with single lines are reported in [`CornerFile::problems`].
pub fn parse(text: &str) -> Result<CornerFile, Text> {
    parse_among(text, None)
}

/// [`parse`] as one given layout, without detection (the fuzz targets reach each reader this
/// way); `Err` when that layout yields no parcel.
pub fn parse_as(text: &str, layout: Layout) -> Result<CornerFile, Text> {
    parse_among(text, Some(layout))
}

fn parse_among(text: &str, only: Option<Layout>) -> Result<CornerFile, Text> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let lines: Vec<String> = text.lines().map(normalise).collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err(Text::fixed(
            "输入为空，未找到拐点坐标（点号表、土地勘测定界文件、区块串、分号坐标对均未尝试）",
            "empty input: no corner coordinates \
             (tried none of point table, land-survey file, block string, semicolon pairs)",
        ));
    }
    let land = lines.iter().any(|l| {
        let t = l.trim();
        t.starts_with("[属性描述]") || t.starts_with("[地块坐标]")
    });
    let mut candidates = Vec::new();
    if land {
        candidates.push(Layout::LandSurvey);
    } else {
        if lines.iter().any(|l| l.contains(';')) {
            candidates.push(Layout::SemicolonPairs);
        }
        candidates.push(Layout::BlockString);
        candidates.push(Layout::PointTable);
    }
    if let Some(layout) = only {
        candidates = vec![layout];
    }
    let mut reasons = Vec::new();
    for layout in candidates {
        let result = match layout {
            Layout::PointTable => parse_point_table(&lines),
            Layout::LandSurvey => parse_land_survey(&lines),
            Layout::BlockString => parse_block_string(&lines),
            Layout::SemicolonPairs => parse_semicolon_pairs(&lines),
        };
        match result {
            Ok(mut a) if !a.parcels.is_empty() => {
                a.problems.sort_by_key(|p| p.line);
                return Ok(CornerFile {
                    layout,
                    header: a.header,
                    parcels: a.parcels,
                    problems: a.problems,
                });
            }
            Ok(a) => {
                let mut why = vec![Text::fixed(
                    "没有至少含 3 个不同点的地块",
                    "no parcel with at least 3 distinct points",
                )];
                why.extend(a.problems.iter().take(3).map(|p| p.message.clone()));
                reasons.push(Text::join(&why).about_text(&layout_name(layout)));
            }
            Err(why) => reasons.push(why.about_text(&layout_name(layout))),
        }
    }
    Err(Text::by_lang(|l| {
        let tried: Vec<&str> = reasons.iter().map(|r| r.in_lang(l)).collect();
        match l {
            Lang::Zh => format!("未找到可用的拐点坐标。尝试过：{}", tried.join(" | ")),
            Lang::En => format!(
                "no usable corner coordinates found. Tried: {}",
                tried.join(" | ")
            ),
        }
    }))
}

fn layout_name(l: Layout) -> Text {
    match l {
        Layout::PointTable => Text::fixed("点号表（点号,X,Y）", "point table (点号,X,Y)"),
        Layout::LandSurvey => Text::fixed(
            "土地勘测定界文件（[属性描述]/[地块坐标]）",
            "land-survey file ([属性描述]/[地块坐标])",
        ),
        Layout::BlockString => Text::fixed(
            "区块串（区域数,拐点数,X,Y,…）",
            "block string (区域数,拐点数,X,Y,…)",
        ),
        Layout::SemicolonPairs => Text::fixed(
            "分号坐标对（X1,Y1;X2,Y2;…）",
            "semicolon pairs (X1,Y1;X2,Y2;…)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_garbage_are_errors() {
        assert!(parse("").is_err());
        assert!(parse("\u{FEFF}\r\n  \r\n").is_err());
        let e = parse("洮南市矿产资源规划\n没有坐标\n").expect_err("no coordinates");
        let (en, zh) = (e.in_lang(Lang::En), e.in_lang(Lang::Zh));
        assert!(en.contains("block string"), "{en}");
        assert!(en.contains("point table"), "{en}");
        assert!(
            zh.starts_with("未找到可用的拐点坐标") && zh.contains("区块串"),
            "{zh}"
        );
    }
}
