//! Corner-coordinate lists (拐点坐标) of exploration/mining rights and land parcels.
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

use crate::model::Value;

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
    /// Chinese and English message, e.g. `第12行：坐标不是数字 / line 12: coordinate is not a number: "4503x12"`.
    pub message: String,
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
pub fn parse(text: &str) -> Result<CornerFile, String> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let lines: Vec<String> = text.lines().map(normalise).collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return Err(
            "输入为空，未找到拐点坐标 / empty input: no corner coordinates \
                    (tried none of point table, land-survey file, block string, semicolon pairs)"
                .into(),
        );
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
                let mut why = "no parcel with at least 3 distinct points".to_string();
                for p in a.problems.iter().take(3) {
                    why.push_str("; ");
                    why.push_str(&p.message);
                }
                reasons.push(format!("{}: {why}", layout_name(layout)));
            }
            Err(why) => reasons.push(format!("{}: {why}", layout_name(layout))),
        }
    }
    Err(format!(
        "未找到可用的拐点坐标 / no usable corner coordinates found. Tried: {}",
        reasons.join(" | ")
    ))
}

fn layout_name(l: Layout) -> &'static str {
    match l {
        Layout::PointTable => "point table (点号,X,Y)",
        Layout::LandSurvey => "land-survey file ([属性描述]/[地块坐标])",
        Layout::BlockString => "block string (区域数,拐点数,X,Y,…)",
        Layout::SemicolonPairs => "semicolon pairs (X1,Y1;X2,Y2;…)",
    }
}

/// Parse an angle written in degrees–minutes–seconds (or decimal degrees) to degrees.
///
/// Accepts `45°30′12.345″`, `45°30'12.345"`, `45度30分12.345秒`, `45:30:12.345`,
/// `45 30 12.345`, `45°30.5′` (decimal minutes), `45.5` (decimal degrees), a leading sign, a
/// leading or trailing hemisphere letter (N/E positive, S/W negative) or 北纬/东经/南纬/西经,
/// and full-width digits. Minutes and seconds must be below 60 and only the last component may
/// have decimals; anything else gives `None`.
pub fn parse_dms(s: &str) -> Option<f64> {
    let s = normalise(s);
    let mut t = s.trim();
    let mut negative = false;
    for (prefix, neg) in [
        ("北纬", false),
        ("东经", false),
        ("南纬", true),
        ("西经", true),
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start();
            negative ^= neg;
        }
    }
    if let Some(c) = t.chars().next()
        && "NSEWnsew".contains(c)
    {
        negative ^= "SWsw".contains(c);
        t = t[c.len_utf8()..].trim_start();
    }
    if let Some(c) = t.chars().last()
        && "NSEWnsew".contains(c)
    {
        negative ^= "SWsw".contains(c);
        t = t[..t.len() - c.len_utf8()].trim_end();
    }
    if let Some(rest) = t.strip_prefix('-') {
        negative ^= true;
        t = rest;
    } else if let Some(rest) = t.strip_prefix('+') {
        t = rest;
    }
    let spaced: String = t
        .chars()
        .map(|c| match c {
            '°' | 'º' | '˚' | '′' | '\'' | '’' | '‘' | '″' | '"' | '”' | '“' | '度' | '分'
            | '秒' | ':' => ' ',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = spaced.split_whitespace().collect();
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(|p| is_unsigned_number(p)) {
        return None;
    }
    let vals: Vec<f64> = parts.iter().filter_map(|p| p.parse::<f64>().ok()).collect();
    if vals.len() != parts.len() {
        return None;
    }
    let last = vals.len() - 1;
    if vals[..last].iter().any(|v| v.fract() != 0.0) || vals[1..].iter().any(|v| *v >= 60.0) {
        return None;
    }
    let deg =
        vals[0] + vals.get(1).map_or(0.0, |m| m / 60.0) + vals.get(2).map_or(0.0, |s| s / 3600.0);
    Some(if negative { -deg } else { deg })
}

/// Convert the compact `ddd.mmss` form to degrees: 122.304512 → 122 + 30/60 + 45.12/3600.
///
/// Digits 1–2 after the point are minutes, 3–4 seconds, the rest decimals of a second. The sign
/// is kept. No range check is made (see [`parse_dms`] for validated text input).
pub fn parse_ddd_mmss(v: f64) -> f64 {
    let x = v.abs();
    let d = x.trunc();
    let r = (x - d) * 100.0;
    let m = (r + 1e-9).floor();
    let s = ((r - m) * 100.0).max(0.0);
    let deg = d + m / 60.0 + s / 3600.0;
    if v < 0.0 { -deg } else { deg }
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

/// Full-width ASCII forms → ASCII, ideographic space → space, minus sign → '-', trailing spaces
/// removed.
fn normalise(line: &str) -> String {
    let s: String = line
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2212}' => '-',
            '\u{FEFF}' => ' ',
            c => c,
        })
        .collect();
    s.trim_end().to_string()
}

fn problem(line: usize, zh: &str, en: &str) -> LineProblem {
    LineProblem {
        line,
        message: format!("第{line}行：{zh} / line {line}: {en}"),
    }
}

fn not_a_number(line: usize, s: &str) -> LineProblem {
    problem(
        line,
        "坐标不是数字",
        &format!("coordinate is not a number: \"{s}\""),
    )
}

/// Digits with at most one '.', no sign.
fn is_unsigned_number(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let dots = s.chars().filter(|c| *c == '.').count();
    digits > 0 && dots <= 1 && digits + dots == s.chars().count()
}

/// An optional sign followed by an unsigned number.
fn is_plain_number(s: &str) -> bool {
    let s = s.trim();
    is_unsigned_number(s.strip_prefix(['-', '+']).unwrap_or(s))
}

/// A finite decimal number (no exponent, no `inf`/`nan`).
fn num(s: &str) -> Option<f64> {
    let s = s.trim();
    if !is_plain_number(s) {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn same(a: [f64; 2], b: [f64; 2]) -> bool {
    (a[0] - b[0]).abs() <= 1e-6 && (a[1] - b[1]).abs() <= 1e-6
}

/// Number of corners (without a closing repeat) of a possibly closed point list.
fn corner_count(pts: &[[f64; 2]]) -> usize {
    match (pts.first(), pts.last()) {
        (Some(f), Some(l)) if pts.len() >= 2 && same(*f, *l) => pts.len() - 1,
        _ => pts.len(),
    }
}

/// The corners closed: first point appended.
fn closed(corners: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out = corners.to_vec();
    if let Some(f) = corners.first() {
        out.push(*f);
    }
    out
}

/// How many distinct points (to within 1e-6) a list has, counted up to 3: every caller only
/// asks whether a ring has the three it needs, and counting them all was quadratic (19 s for a
/// list of 200 000 points).
fn distinct(pts: &[[f64; 2]]) -> usize {
    let mut seen: Vec<[f64; 2]> = Vec::with_capacity(3);
    for p in pts {
        if !seen.iter().any(|q| same(*p, *q)) {
            seen.push(*p);
            if seen.len() == 3 {
                break;
            }
        }
    }
    seen.len()
}

fn too_few(line: usize, what: &str, n: usize) -> LineProblem {
    problem(
        line,
        &format!("{what}只有{n}个不同的点，已忽略"),
        &format!("{what} has only {n} distinct point(s) (need 3); dropped"),
    )
}

fn default_name(index: usize) -> String {
    format!("地块{}", index + 1)
}

/// Even-odd point-in-polygon test.
fn inside(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

// ---------------------------------------------------------------------------------------------
// Point table
// ---------------------------------------------------------------------------------------------

/// Column positions from a header line.
#[derive(Debug, Clone)]
struct ColMap {
    name: Option<usize>,
    x: usize,
    y: usize,
    lat: Option<usize>,
    lon: Option<usize>,
    n: usize,
    decimal: bool,
}

/// Raw latitude/longitude text of one point.
#[derive(Debug, Clone)]
struct GeoRaw {
    a: String,
    b: String,
    /// `Some(true)`: `a` is the latitude; `None`: decide by magnitude.
    a_is_lat: Option<bool>,
}

#[derive(Debug, Clone)]
struct RawPoint {
    line: usize,
    name: Option<String>,
    xy: [f64; 2],
    geo: Option<GeoRaw>,
}

enum Row {
    /// Ends the current parcel; `Some(name)` names the next one.
    Break(Option<String>),
    Point(RawPoint),
}

enum NameLine {
    Name(String),
    Separator,
    Ignore,
    Unknown,
}

fn split_fields(t: &str) -> Vec<&str> {
    let mut f: Vec<&str> = if t.contains(',') {
        t.split(',').map(str::trim).collect()
    } else if t.contains('\t') {
        t.split('\t')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        t.split_whitespace().collect()
    };
    while f.last().is_some_and(|s| s.is_empty()) {
        f.pop();
    }
    f
}

fn starts_numeric(f: &str) -> bool {
    let mut c = f.chars();
    match c.next() {
        Some(d) if d.is_ascii_digit() => true,
        Some('+' | '-' | '.') => c.next().is_some_and(|d| d.is_ascii_digit()),
        _ => false,
    }
}

fn has_long_digit_run(f: &str) -> bool {
    let mut run = 0;
    for c in f.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 5 {
            return true;
        }
    }
    false
}

fn is_data_line(fields: &[&str]) -> bool {
    let numeric = fields.iter().filter(|f| starts_numeric(f)).count();
    numeric >= 2 || (numeric >= 1 && fields.iter().any(|f| has_long_digit_run(f)))
}

#[derive(PartialEq)]
enum Role {
    Name,
    X,
    Y,
    Lat,
    Lon,
    Other,
}

fn role(f: &str) -> Role {
    let l = f.trim().to_lowercase();
    let l = l.as_str();
    if l.contains('纬') || l == "b" || l.starts_with("lat") {
        Role::Lat
    } else if l.contains('经') || l == "l" || l.starts_with("lon") || l.starts_with("lng") {
        Role::Lon
    } else if l.starts_with('x')
        || l.contains("纵坐标")
        || l.contains("北坐标")
        || (l.contains("坐标") && l.ends_with('x'))
        || l == "n"
        || l.starts_with("north")
    {
        Role::X
    } else if l.starts_with('y')
        || l.contains("横坐标")
        || l.contains("东坐标")
        || (l.contains("坐标") && l.ends_with('y'))
        || l == "e"
        || l.starts_with("east")
    {
        Role::Y
    } else if l.contains('点')
        || l.contains("序号")
        || l.contains("编号")
        || ["no", "no.", "name", "id", "pt", "point"].contains(&l)
    {
        Role::Name
    } else {
        Role::Other
    }
}

fn header_map(fields: &[&str]) -> Option<ColMap> {
    let find = |r: Role| fields.iter().position(|f| role(f) == r);
    let x = find(Role::X)?;
    let y = find(Role::Y)?;
    let decimal = fields.iter().any(|f| {
        f.contains("十进制") || f.contains("小数") || f.to_lowercase().contains("decimal")
    });
    Some(ColMap {
        name: find(Role::Name),
        x,
        y,
        lat: find(Role::Lat),
        lon: find(Role::Lon),
        n: fields.len(),
        decimal,
    })
}

fn name_line(t: &str, nfields: usize) -> NameLine {
    let s = t
        .trim_start_matches('*')
        .trim_end_matches(['*', ':'])
        .trim();
    if s.is_empty() {
        return NameLine::Separator;
    }
    if let Some((k, v)) = s.split_once([':', '=']) {
        let (k, v) = (k.trim(), v.trim());
        if !v.is_empty() {
            const META: [&str; 9] = [
                "坐标系",
                "投影",
                "带",
                "单位",
                "高程",
                "面积",
                "经线",
                "精度",
                "比例",
            ];
            if META.iter().any(|m| k.contains(m)) {
                return NameLine::Ignore;
            }
            if k.contains('名') {
                return NameLine::Name(v.to_string());
            }
        }
        return NameLine::Name(s.to_string());
    }
    if t.starts_with('*') || t.ends_with(':') || nfields <= 2 {
        NameLine::Name(s.to_string())
    } else {
        NameLine::Unknown
    }
}

fn column_problem(line: usize, n: usize) -> LineProblem {
    problem(
        line,
        &format!("列数不对（{n}列），应为 点号,X,Y[,纬度,经度]"),
        &format!(
            "wrong number of columns ({n}); expected 点号,X,Y with optional latitude, longitude"
        ),
    )
}

/// Lat/lon extras: `Some(None)` none, `Some(Some(..))` two values, `None` unreadable.
fn group_geo(extras: &[&str], lat_first: Option<bool>) -> Option<Option<GeoRaw>> {
    let make = |a: String, b: String| {
        Some(Some(GeoRaw {
            a,
            b,
            a_is_lat: lat_first,
        }))
    };
    match extras.len() {
        0 => Some(None),
        2 => make(extras[0].to_string(), extras[1].to_string()),
        4 | 6 if extras.iter().all(|e| is_plain_number(e)) => {
            let h = extras.len() / 2;
            make(extras[..h].join(" "), extras[h..].join(" "))
        }
        _ => None,
    }
}

fn data_row(line: usize, f: &[&str], map: Option<&ColMap>) -> Result<RawPoint, LineProblem> {
    let (name, xs, ys, geo) = match map {
        Some(m) if f.len() == m.n => {
            let geo = match (m.lat, m.lon) {
                (Some(a), Some(b)) => Some(GeoRaw {
                    a: f[a].to_string(),
                    b: f[b].to_string(),
                    a_is_lat: Some(true),
                }),
                _ => None,
            };
            (m.name.map(|i| f[i].to_string()), f[m.x], f[m.y], geo)
        }
        _ => {
            let named = match map {
                Some(m) => m.name.is_some(),
                None => f.len() != 2,
            };
            let standard = map.is_none_or(|m| {
                if named {
                    m.name == Some(0) && m.x == 1 && m.y == 2
                } else {
                    m.x == 0 && m.y == 1
                }
            });
            let base = if named { 3 } else { 2 };
            if !standard || f.len() < base {
                return Err(column_problem(line, f.len()));
            }
            let lat_first = map.and_then(|m| match (m.lat, m.lon) {
                (Some(a), Some(b)) => Some(a < b),
                _ => None,
            });
            let geo =
                group_geo(&f[base..], lat_first).ok_or_else(|| column_problem(line, f.len()))?;
            (
                named.then(|| f[0].to_string()),
                f[base - 2],
                f[base - 1],
                geo,
            )
        }
    };
    let x = num(xs).ok_or_else(|| not_a_number(line, xs))?;
    let y = num(ys).ok_or_else(|| not_a_number(line, ys))?;
    Ok(RawPoint {
        line,
        name,
        xy: [x, y],
        geo,
    })
}

/// Compact `ddd.mmss` from text, exact on the digits; `None` if minutes or seconds ≥ 60.
fn mmss_from_str(s: &str) -> Option<f64> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if !is_unsigned_number(body) {
        return None;
    }
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let d: f64 = if int.is_empty() {
        0.0
    } else {
        int.parse().ok()?
    };
    let mut frac = frac.to_string();
    while frac.len() < 4 {
        frac.push('0');
    }
    let m: f64 = frac[..2].parse().ok()?;
    let sec: f64 = format!("{}.{}", &frac[2..4], &frac[4..])
        .trim_end_matches('.')
        .parse()
        .ok()?;
    if m >= 60.0 || sec >= 60.0 {
        return None;
    }
    let v = d + m / 60.0 + sec / 3600.0;
    Some(if neg { -v } else { v })
}

fn geo_value(s: &str, decimal: bool) -> Option<f64> {
    if is_plain_number(s) {
        if decimal { num(s) } else { mmss_from_str(s) }
    } else {
        parse_dms(s)
    }
}

/// `[lon, lat]` of one point, or the English detail of the failure.
fn geo_convert(g: &GeoRaw, decimal: bool) -> Result<[f64; 2], String> {
    let a = geo_value(&g.a, decimal).ok_or_else(|| format!("\"{}\"", g.a))?;
    let b = geo_value(&g.b, decimal).ok_or_else(|| format!("\"{}\"", g.b))?;
    let (lat, lon) = match g.a_is_lat {
        Some(true) => (a, b),
        Some(false) => (b, a),
        None if a.abs() <= b.abs() => (a, b),
        None => (b, a),
    };
    if lat.abs() > 90.0 || lon.abs() > 180.0 {
        return Err(format!("out of range: lat {lat}, lon {lon}"));
    }
    Ok([lon, lat])
}

fn parse_point_table(lines: &[String]) -> Result<Attempt, String> {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut map: Option<ColMap> = None;
    let mut decimal_hint = false;
    let mut data_lines = 0usize;
    for (i, raw) in lines.iter().enumerate() {
        let ln = i + 1;
        let t = raw.trim();
        if t.is_empty() {
            rows.push(Row::Break(None));
            continue;
        }
        let fields = split_fields(t);
        if is_data_line(&fields) {
            data_lines += 1;
            match data_row(ln, &fields, map.as_ref()) {
                Ok(p) => rows.push(Row::Point(p)),
                Err(p) => problems.push(p),
            }
            continue;
        }
        if let Some(m) = header_map(&fields) {
            decimal_hint |= m.decimal;
            map = Some(m);
            rows.push(Row::Break(None));
            continue;
        }
        match name_line(t, fields.len()) {
            NameLine::Name(n) => rows.push(Row::Break(Some(n))),
            NameLine::Separator => rows.push(Row::Break(None)),
            NameLine::Ignore => {}
            NameLine::Unknown => problems.push(problem(
                ln,
                "无法识别的行",
                &format!("unrecognised line: \"{t}\""),
            )),
        }
    }
    if data_lines == 0 {
        return Err("no line with point name and X, Y numbers".into());
    }
    // Plain-number lat/lon: ddd.mmss unless the header says decimal or a value is not valid.
    let decimal = decimal_hint
        || rows.iter().any(|r| match r {
            Row::Point(RawPoint { geo: Some(g), .. }) => [&g.a, &g.b]
                .iter()
                .any(|s| is_plain_number(s) && mmss_from_str(s).is_none()),
            _ => false,
        });

    let mut parcels = Vec::new();
    let mut pending: Option<String> = None;
    let mut cur: Vec<RawPoint> = Vec::new();
    let mut cur_name: Option<String> = None;
    for row in rows {
        match row {
            Row::Break(n) => {
                finish_table_parcel(
                    &mut cur,
                    cur_name.take(),
                    decimal,
                    &mut parcels,
                    &mut problems,
                );
                if n.is_some() {
                    pending = n;
                }
            }
            Row::Point(p) => {
                if let Some(first) = cur.first() {
                    if cur.len() >= 2 && same(first.xy, p.xy) {
                        cur.push(p);
                        finish_table_parcel(
                            &mut cur,
                            cur_name.take(),
                            decimal,
                            &mut parcels,
                            &mut problems,
                        );
                        continue;
                    }
                    if p.name.is_some() && p.name == first.name {
                        finish_table_parcel(
                            &mut cur,
                            cur_name.take(),
                            decimal,
                            &mut parcels,
                            &mut problems,
                        );
                    }
                }
                if cur.is_empty() {
                    cur_name = pending.take();
                }
                cur.push(p);
            }
        }
    }
    finish_table_parcel(
        &mut cur,
        cur_name.take(),
        decimal,
        &mut parcels,
        &mut problems,
    );
    Ok(Attempt {
        header: Vec::new(),
        parcels,
        problems,
    })
}

fn finish_table_parcel(
    cur: &mut Vec<RawPoint>,
    name: Option<String>,
    decimal: bool,
    parcels: &mut Vec<Parcel>,
    problems: &mut Vec<LineProblem>,
) {
    if cur.is_empty() {
        return;
    }
    let pts: Vec<RawPoint> = std::mem::take(cur);
    let xy: Vec<[f64; 2]> = pts.iter().map(|p| p.xy).collect();
    let corners = corner_count(&xy);
    let first_line = pts[0].line;
    let label = name.clone().unwrap_or_else(|| default_name(parcels.len()));
    let n = distinct(&xy[..corners]);
    if n < 3 {
        problems.push(too_few(first_line, &format!("地块“{label}”"), n));
        return;
    }
    let point_names = pts[..corners]
        .iter()
        .enumerate()
        .map(|(i, p)| p.name.clone().unwrap_or_else(|| (i + 1).to_string()))
        .collect();
    let mut geos = Vec::with_capacity(corners);
    for p in &pts {
        let g = p.geo.as_ref().map(|g| geo_convert(g, decimal));
        if let Some(Err(detail)) = &g {
            problems.push(problem(
                p.line,
                "经纬度无法解析",
                &format!("cannot read latitude/longitude: {detail}"),
            ));
        }
        geos.push(g);
    }
    let ok: Vec<[f64; 2]> = geos[..corners]
        .iter()
        .filter_map(|g| g.as_ref().and_then(|r| r.as_ref().ok()).copied())
        .collect();
    let lonlat = if ok.len() == corners {
        Some(closed(&ok))
    } else {
        if geos[..corners].iter().any(Option::is_some)
            && geos[..corners].iter().any(Option::is_none)
        {
            problems.push(problem(
                first_line,
                "部分点缺少经纬度，经纬度已忽略",
                "some points lack latitude/longitude; latitude/longitude ignored for this parcel",
            ));
        }
        None
    };
    parcels.push(Parcel {
        name: label,
        attributes: Vec::new(),
        rings: vec![Ring {
            points: closed(&xy[..corners]),
            hole: false,
        }],
        point_names,
        lonlat,
    });
}

// ---------------------------------------------------------------------------------------------
// Land-survey exchange file
// ---------------------------------------------------------------------------------------------

const LAND_FIELDS: [&str; 8] = [
    "界址点数",
    "地块面积",
    "地块编号",
    "地块名称",
    "记录图形属性",
    "图幅号",
    "地块用途",
    "地类编码",
];

struct LandRing {
    no: u32,
    line: usize,
    pts: Vec<[f64; 2]>,
    names: Vec<String>,
}

struct LandParcel {
    line: usize,
    attributes: Vec<(String, Value)>,
    name: Option<String>,
    declared: Option<f64>,
    point_lines: usize,
    rings: Vec<LandRing>,
}

fn land_header(line: usize, t: &str) -> LandParcel {
    let body = t.trim_end_matches('@').trim_end();
    let body = body.strip_suffix(',').unwrap_or(body);
    let fields: Vec<&str> = body.split(',').map(str::trim).collect();
    let mut attributes = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let key = LAND_FIELDS
            .get(i)
            .map_or_else(|| format!("字段{}", i + 1), |k| (*k).to_string());
        let value = if f.is_empty() {
            Value::Null
        } else if i < 2
            && let Some(v) = num(f)
        {
            Value::Number(v)
        } else {
            Value::Text((*f).to_string())
        };
        attributes.push((key, value));
    }
    let pick = |i: usize| {
        fields
            .get(i)
            .filter(|s| !s.is_empty())
            .map(|s| (*s).to_string())
    };
    LandParcel {
        line,
        attributes,
        name: pick(3).or_else(|| pick(2)),
        declared: fields.first().and_then(|s| num(s)),
        point_lines: 0,
        rings: Vec::new(),
    }
}

fn finish_land_parcel(lp: LandParcel, parcels: &mut Vec<Parcel>, problems: &mut Vec<LineProblem>) {
    let label = lp
        .name
        .clone()
        .unwrap_or_else(|| default_name(parcels.len()));
    if let Some(d) = lp.declared {
        let closures: usize = lp
            .rings
            .iter()
            .filter(|r| corner_count(&r.pts) < r.pts.len())
            .count();
        let k = lp.point_lines;
        if d != k as f64 && d != (k - closures.min(k)) as f64 {
            problems.push(problem(
                lp.line,
                &format!("界址点数为{d}，实际读到{k}个点"),
                &format!("declared {d} boundary points but {k} point lines were read"),
            ));
        }
    }
    let mut rings = lp.rings;
    if rings.is_empty() {
        problems.push(problem(
            lp.line,
            &format!("地块“{label}”没有坐标点，已忽略"),
            &format!("parcel \"{label}\" has no points; dropped"),
        ));
        return;
    }
    // Ring 1 is the outer ring; without one, the first ring read stands in for it.
    let outer_idx = rings.iter().position(|r| r.no == 1).unwrap_or(0);
    let outer = rings.remove(outer_idx);
    let oc = corner_count(&outer.pts);
    let n = distinct(&outer.pts[..oc]);
    if n < 3 {
        problems.push(too_few(outer.line, &format!("地块“{label}”外圈"), n));
        return;
    }
    let outer_ring = closed(&outer.pts[..oc]);
    let mut out_rings = vec![Ring {
        points: outer_ring.clone(),
        hole: false,
    }];
    for r in rings {
        let c = corner_count(&r.pts);
        let n = distinct(&r.pts[..c]);
        if n < 3 {
            problems.push(too_few(r.line, &format!("地块“{label}”第{}圈", r.no), n));
            continue;
        }
        let inside_count = r.pts[..c]
            .iter()
            .filter(|p| inside(**p, &outer_ring))
            .count();
        out_rings.push(Ring {
            points: closed(&r.pts[..c]),
            hole: inside_count * 2 > c,
        });
    }
    parcels.push(Parcel {
        name: label,
        attributes: lp.attributes,
        rings: out_rings,
        point_names: outer.names[..oc].to_vec(),
        lonlat: None,
    });
}

fn parse_land_survey(lines: &[String]) -> Result<Attempt, String> {
    #[derive(PartialEq)]
    enum Sec {
        None,
        Attr,
        Coords,
        Other,
    }
    let mut sec = Sec::None;
    let mut seen_coords = false;
    let mut header = Vec::new();
    let mut problems = Vec::new();
    let mut parcels = Vec::new();
    let mut cur: Option<LandParcel> = None;
    for (i, raw) in lines.iter().enumerate() {
        let ln = i + 1;
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') {
            if let Some(lp) = cur.take() {
                finish_land_parcel(lp, &mut parcels, &mut problems);
            }
            sec = match t {
                "[属性描述]" => Sec::Attr,
                "[地块坐标]" => {
                    seen_coords = true;
                    Sec::Coords
                }
                _ => Sec::Other,
            };
            continue;
        }
        match sec {
            Sec::Attr => match t.split_once('=') {
                Some((k, v)) => header.push((k.trim().to_string(), v.trim().to_string())),
                None => problems.push(problem(
                    ln,
                    "属性描述行不是“键=值”",
                    &format!("[属性描述] line is not key=value: \"{t}\""),
                )),
            },
            Sec::Coords => {
                if t.ends_with('@') {
                    if let Some(lp) = cur.take() {
                        finish_land_parcel(lp, &mut parcels, &mut problems);
                    }
                    cur = Some(land_header(ln, t));
                    continue;
                }
                let Some(lp) = cur.as_mut() else {
                    problems.push(problem(
                        ln,
                        "坐标行出现在地块头（以@结尾）之前",
                        "point line before any parcel header line (ending in @)",
                    ));
                    continue;
                };
                lp.point_lines += 1;
                let f: Vec<&str> = t.trim_end_matches(',').split(',').map(str::trim).collect();
                if f.len() != 4 {
                    problems.push(problem(
                        ln,
                        &format!("列数不对（{}列），应为 点号,地块圈号,X,Y", f.len()),
                        &format!(
                            "wrong number of columns ({}); expected 点号,地块圈号,X,Y",
                            f.len()
                        ),
                    ));
                    continue;
                }
                let Some(no) = num(f[1]).filter(|v| v.fract() == 0.0 && *v >= 1.0 && *v < 1e6)
                else {
                    problems.push(problem(
                        ln,
                        "地块圈号不是正整数",
                        &format!("ring number is not a positive integer: \"{}\"", f[1]),
                    ));
                    continue;
                };
                let no = no as u32;
                let Some(x) = num(f[2]) else {
                    problems.push(not_a_number(ln, f[2]));
                    continue;
                };
                let Some(y) = num(f[3]) else {
                    problems.push(not_a_number(ln, f[3]));
                    continue;
                };
                if lp.rings.last().is_none_or(|r| r.no != no) {
                    lp.rings.push(LandRing {
                        no,
                        line: ln,
                        pts: Vec::new(),
                        names: Vec::new(),
                    });
                }
                if let Some(r) = lp.rings.last_mut() {
                    r.pts.push([x, y]);
                    r.names.push(f[0].to_string());
                }
            }
            Sec::None | Sec::Other => {}
        }
    }
    if let Some(lp) = cur.take() {
        finish_land_parcel(lp, &mut parcels, &mut problems);
    }
    if !seen_coords {
        return Err("no [地块坐标] section".into());
    }
    Ok(Attempt {
        header,
        parcels,
        problems,
    })
}

// ---------------------------------------------------------------------------------------------
// Block string
// ---------------------------------------------------------------------------------------------

struct Tok {
    text: String,
    line: usize,
    val: Option<f64>,
}

fn is_int(v: Option<f64>) -> Option<i64> {
    v.filter(|v| v.fract() == 0.0 && v.abs() < 1e12)
        .map(|v| v as i64)
}

/// The shape of the ring starting at `p`: (corner count, triples?, index after the points).
fn ring_at(toks: &[Tok], p: usize) -> Option<(usize, bool, usize)> {
    let n = is_int(toks.get(p)?.val)?;
    if n < 3 {
        return None;
    }
    let n = n as usize;
    let len = toks.len();
    let term_ok = |q: usize| q == len || (q < len && matches!(is_int(toks[q].val), Some(0 | -1)));
    let q3 = p + 1 + 3 * n;
    if q3 <= len
        && (0..n).all(|i| is_int(toks[p + 1 + 3 * i].val) == Some(i as i64 + 1))
        && term_ok(q3)
    {
        return Some((n, true, q3));
    }
    let q2 = p + 1 + 2 * n;
    if q2 <= len && term_ok(q2) {
        return Some((n, false, q2));
    }
    None
}

fn parse_block_string(lines: &[String]) -> Result<Attempt, String> {
    let mut toks = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        for t in l.split(|c: char| c == ',' || c == '*' || c == ';' || c.is_whitespace()) {
            if !t.is_empty() {
                toks.push(Tok {
                    text: t.to_string(),
                    line: i + 1,
                    val: num(t),
                });
            }
        }
    }
    let Some(first) = toks.first() else {
        return Err("no values".into());
    };
    let regions = match is_int(first.val) {
        Some(r) if (1..=100_000).contains(&r) => r as usize,
        _ => {
            return Err(format!(
                "first value \"{}\" is not a region count (区域数)",
                first.text
            ));
        }
    };
    let len = toks.len();
    let mut problems = Vec::new();
    let mut parcels: Vec<Parcel> = Vec::new();
    let mut rings_read = 0usize;
    let mut outers_read = 0usize;
    let mut p = 1;
    while p < len {
        let Some((n, triples, end)) = ring_at(&toks, p) else {
            if rings_read == 0 {
                let at = toks.get(p).map_or("(end)", |t| t.text.as_str());
                return Err(format!(
                    "after 区域数 {regions}, \"{at}\" does not start a ring (拐点数 followed by its X,Y pairs and 0/-1)"
                ));
            }
            problems.push(problem(
                toks[p].line,
                "此处起无法按区块串解析，其余内容已忽略",
                &format!(
                    "cannot read a ring (拐点数, X,Y…, 0|-1) from \"{}\"; rest ignored",
                    toks[p].text
                ),
            ));
            break;
        };
        rings_read += 1;
        let ring_line = toks[p].line;
        let step = if triples { 3 } else { 2 };
        let mut pts = Vec::new();
        let mut names = Vec::new();
        for i in 0..n {
            let b = p + 1 + step * i;
            let (xt, yt) = (&toks[b + step - 2], &toks[b + step - 1]);
            match (xt.val, yt.val) {
                (Some(x), Some(y)) => {
                    pts.push([x, y]);
                    names.push(if triples {
                        toks[b].text.clone()
                    } else {
                        (i + 1).to_string()
                    });
                }
                (None, _) => problems.push(not_a_number(xt.line, &xt.text)),
                (_, None) => problems.push(not_a_number(yt.line, &yt.text)),
            }
        }
        let hole = end < len && is_int(toks[end].val) == Some(-1);
        let q = if end < len { end + 1 } else { len };
        let remaining = len - q;
        let k = if remaining <= 2 {
            remaining
        } else if ring_at(&toks, q + 2).is_some() {
            2
        } else if ring_at(&toks, q).is_some() {
            0
        } else {
            2
        };
        let mut hs = Vec::new();
        for t in &toks[q..q + k] {
            match t.val {
                Some(v) => hs.push(v),
                None => problems.push(problem(
                    t.line,
                    "标高不是数字",
                    &format!("elevation is not a number: \"{}\"", t.text),
                )),
            }
        }
        p = q + k;

        let c = corner_count(&pts);
        let nd = distinct(&pts[..c]);
        if hole {
            let Some(parcel) = parcels.last_mut() else {
                problems.push(problem(
                    ring_line,
                    "内圈（-1）之前没有外圈，已忽略",
                    "hole ring (-1) with no outer ring before it; dropped",
                ));
                continue;
            };
            if nd < 3 {
                problems.push(too_few(ring_line, "内圈", nd));
                continue;
            }
            parcel.rings.push(Ring {
                points: closed(&pts[..c]),
                hole: true,
            });
        } else {
            outers_read += 1;
            let name = default_name(parcels.len());
            if nd < 3 {
                problems.push(too_few(
                    ring_line,
                    &format!("区块第{outers_read}个外圈"),
                    nd,
                ));
                continue;
            }
            let attributes = hs
                .iter()
                .enumerate()
                .map(|(i, h)| (format!("h{}", i + 1), Value::Number(*h)))
                .collect();
            parcels.push(Parcel {
                name,
                attributes,
                rings: vec![Ring {
                    points: closed(&pts[..c]),
                    hole: false,
                }],
                point_names: names[..c].to_vec(),
                lonlat: None,
            });
        }
    }
    if regions != rings_read && regions != outers_read {
        problems.push(problem(
            toks[0].line,
            &format!("区域数为{regions}，实际读到{rings_read}个圈"),
            &format!("region count (区域数) says {regions} but {rings_read} ring(s) were read"),
        ));
    }
    Ok(Attempt {
        header: Vec::new(),
        parcels,
        problems,
    })
}

// ---------------------------------------------------------------------------------------------
// Semicolon pairs
// ---------------------------------------------------------------------------------------------

fn parse_semicolon_pairs(lines: &[String]) -> Result<Attempt, String> {
    let mut pieces: Vec<(usize, String)> = Vec::new();
    let mut buf = String::new();
    let mut start: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        for c in l.chars() {
            if c == ';' {
                pieces.push((start.unwrap_or(i + 1), std::mem::take(&mut buf)));
                start = None;
            } else {
                if start.is_none() && !c.is_whitespace() {
                    start = Some(i + 1);
                }
                buf.push(c);
            }
        }
        buf.push(' ');
    }
    pieces.push((start.unwrap_or(lines.len()), buf));
    let mut problems = Vec::new();
    let mut pts = Vec::new();
    let mut names = Vec::new();
    let mut first = true;
    for (line, piece) in pieces {
        let mut s = piece.trim();
        if s.is_empty() {
            continue;
        }
        if first {
            first = false;
            if let Some(i) = s.rfind([':', '=']) {
                s = s[i + 1..].trim();
            }
        }
        let parts: Vec<&str> = if s.contains(',') {
            s.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect()
        } else {
            s.split_whitespace().collect()
        };
        let (name, xs, ys) = match parts.as_slice() {
            [x, y] => (None, *x, *y),
            [n, x, y] => (Some((*n).to_string()), *x, *y),
            _ => {
                problems.push(problem(
                    line,
                    "不是“X,Y”坐标对",
                    &format!("not an X,Y pair: \"{s}\""),
                ));
                continue;
            }
        };
        let Some(x) = num(xs) else {
            problems.push(not_a_number(line, xs));
            continue;
        };
        let Some(y) = num(ys) else {
            problems.push(not_a_number(line, ys));
            continue;
        };
        names.push(name.unwrap_or_else(|| (pts.len() + 1).to_string()));
        pts.push([x, y]);
    }
    if pts.is_empty() {
        return Err("no X,Y pairs separated by ';'".into());
    }
    let mut parcels = Vec::new();
    let c = corner_count(&pts);
    let nd = distinct(&pts[..c]);
    if nd < 3 {
        problems.push(too_few(1, "坐标串", nd));
    } else {
        parcels.push(Parcel {
            name: default_name(0),
            attributes: Vec::new(),
            rings: vec![Ring {
                points: closed(&pts[..c]),
                hole: false,
            }],
            point_names: names[..c].to_vec(),
            lonlat: None,
        });
    }
    Ok(Attempt {
        header: Vec::new(),
        parcels,
        problems,
    })
}

#[cfg(test)]
mod tests {

    /// A point table of 200 000 corners parses in linear time (it took 19 s: a quadratic count
    /// of distinct points per ring).
    #[test]
    fn a_list_of_200_000_points_parses_quickly() {
        let mut text = String::from("点号,X,Y\n");
        for i in 0..200_000u32 {
            let a = f64::from(i) / 200_000.0 * std::f64::consts::TAU;
            let (x, y) = (
                5_040_000.0 + 3000.0 * a.sin(),
                41_470_000.0 + 3000.0 * a.cos(),
            );
            text.push_str(&format!("J{i},{x:.3},{y:.3}\n"));
        }
        let t = std::time::Instant::now();
        let parsed = parse(&text).expect("parsed");
        assert_eq!(parsed.parcels.len(), 1);
        assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
    }
    use super::*;

    const A: [f64; 2] = [5043400.12, 41452400.55];
    const B: [f64; 2] = [5043400.12, 41453600.30];
    const C: [f64; 2] = [5042250.75, 41453600.30];
    const D: [f64; 2] = [5042250.75, 41452400.55];

    fn square() -> Vec<[f64; 2]> {
        vec![A, B, C, D, A]
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn dms(d: f64, m: f64, s: f64) -> f64 {
        d + m / 60.0 + s / 3600.0
    }

    #[test]
    fn table_with_header_comma() {
        let text = "点号,X坐标,Y坐标\nJ1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\n\
                    J3,5042250.75,41453600.30\nJ4,5042250.75,41452400.55\n";
        let f = parse(text).expect("parses");
        assert_eq!(f.layout, Layout::PointTable);
        assert!(f.header.is_empty());
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.parcels.len(), 1);
        let p = &f.parcels[0];
        assert_eq!(p.name, "地块1");
        assert_eq!(
            p.rings,
            vec![Ring {
                points: square(),
                hole: false
            }]
        );
        assert_eq!(p.point_names, names(&["J1", "J2", "J3", "J4"]));
        assert_eq!(p.lonlat, None);
        assert!(p.attributes.is_empty());
    }

    #[test]
    fn table_no_header_tabs_closed_by_first_point() {
        let text = "1\t5043400.12\t41452400.55\n2\t5043400.12\t\t41453600.30\n\
                    3\t5042250.75\t41453600.30\n4\t5042250.75\t41452400.55\n1\t5043400.12\t41452400.55\n";
        let f = parse(text).expect("parses");
        assert_eq!(f.layout, Layout::PointTable);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.parcels.len(), 1);
        assert_eq!(f.parcels[0].rings[0].points, square());
        assert_eq!(f.parcels[0].point_names, names(&["1", "2", "3", "4"]));
    }

    #[test]
    fn table_spaces_bom_crlf_fullwidth() {
        let text = "\u{FEFF}点号   X       Y  \r\nJ1   5043400.12   41452400.55  \r\n\
                    J2，５０４３４００．１２，４１４５３６００．３０\r\nJ3  5042250.75  41453600.30\r\n\
                    J4 　5042250.75 41452400.55\r\n";
        let f = parse(text).expect("parses");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.parcels.len(), 1);
        assert_eq!(f.parcels[0].rings[0].points, square());
        assert_eq!(f.parcels[0].point_names, names(&["J1", "J2", "J3", "J4"]));
    }

    #[test]
    fn table_dms_columns_with_header() {
        let text = "点号,X,Y,纬度,经度\n\
                    J1,5043400.12,41452400.55,45°30′12.345″,122°30′45.12″\n\
                    J2,5043400.12,41453600.30,45:30:12.345,122:31:41.5\n\
                    J3,5042250.75,41453600.30,45 29 35.1,122 31 41.5\n\
                    J4,5042250.75,41452400.55,45°29'35.1\",122°30'45.12\"\n";
        let f = parse(text).expect("parses");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        let ll = f.parcels[0].lonlat.as_ref().expect("lonlat");
        let want = [
            [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.345)],
            [dms(122.0, 31.0, 41.5), dms(45.0, 30.0, 12.345)],
            [dms(122.0, 31.0, 41.5), dms(45.0, 29.0, 35.1)],
            [dms(122.0, 30.0, 45.12), dms(45.0, 29.0, 35.1)],
            [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.345)],
        ];
        assert_eq!(ll.len(), want.len());
        for (got, w) in ll.iter().zip(want) {
            assert!(
                (got[0] - w[0]).abs() < 1e-9 && (got[1] - w[1]).abs() < 1e-9,
                "{got:?} vs {w:?}"
            );
        }
    }

    #[test]
    fn table_ddd_mmss_columns_no_header_spaces() {
        // No header: the larger value is the longitude. Last line uses `d m s` groups.
        let text = "J1 5043400.12 41452400.55 45.301234 122.304512\n\
                    J2 5043400.12 41453600.30 122.3141 45.3012\n\
                    J3 5042250.75 41453600.30 45 29 35.1 122 31 41.5\n";
        let f = parse(text).expect("parses");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        let ll = f.parcels[0].lonlat.as_ref().expect("lonlat");
        let want = [
            [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.34)],
            [dms(122.0, 31.0, 41.0), dms(45.0, 30.0, 12.0)],
            [dms(122.0, 31.0, 41.5), dms(45.0, 29.0, 35.1)],
            [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.34)],
        ];
        assert_eq!(ll.len(), 4);
        for (got, w) in ll.iter().zip(want) {
            assert!(
                (got[0] - w[0]).abs() < 1e-9 && (got[1] - w[1]).abs() < 1e-9,
                "{got:?} vs {w:?}"
            );
        }
    }

    #[test]
    fn table_two_parcels_by_name_lines_and_star() {
        let text = "地块1\n点号,X,Y\nJ1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\n\
                    J3,5042250.75,41453600.30\nJ4,5042250.75,41452400.55\n区块2:\n\
                    1,5030000.00,41470000.00\n2,5030000.00,41471000.00\n3,5029000.00,41471000.00\n*\n\
                    1,5010000.00,41480000.00\n2,5010000.00,41481000.00\n3,5009000.00,41481000.00\n";
        let f = parse(text).expect("parses");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        let got: Vec<&str> = f.parcels.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(got, ["地块1", "区块2", "地块3"]);
        assert_eq!(f.parcels[0].rings[0].points, square());
        assert_eq!(
            f.parcels[1].rings[0].points,
            vec![
                [5030000.0, 41470000.0],
                [5030000.0, 41471000.0],
                [5029000.0, 41471000.0],
                [5030000.0, 41470000.0]
            ]
        );
        assert_eq!(f.parcels[2].rings[0].points[2], [5009000.0, 41481000.0]);
    }

    #[test]
    fn table_two_parcels_by_repeated_first_point() {
        // Parcel 1 closes with J1; parcel 2 starts with J1 again (other coordinates) and is not
        // closed explicitly; a blank line then ends it.
        let text = "J1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\nJ3,5042250.75,41453600.30\n\
                    J4,5042250.75,41452400.55\nJ1,5043400.12,41452400.55\nJ1,5030000.00,41470000.00\n\
                    J2,5030000.00,41471000.00\nJ3,5029000.00,41471000.00\n\n";
        let f = parse(text).expect("parses");
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.parcels.len(), 2);
        assert_eq!(f.parcels[0].rings[0].points, square());
        assert_eq!(f.parcels[0].point_names, names(&["J1", "J2", "J3", "J4"]));
        assert_eq!(f.parcels[1].rings[0].points.len(), 4);
        assert_eq!(f.parcels[1].rings[0].points[3], [5030000.0, 41470000.0]);
        assert_eq!(f.parcels[1].point_names, names(&["J1", "J2", "J3"]));
    }

    #[test]
    fn bad_line_reported_rest_loads() {
        let text = "点号,X,Y\nJ1,5043400.12,41452400.55\nJ2,4503x12,41452900.00\nJ3,5043400.12,41453600.30\n\
                    J4,5042250.75,41453600.30\nJ5,5042250.75\nJ6,5042250.75,41452400.55\n";
        let f = parse(text).expect("parses");
        assert_eq!(
            f.problems,
            vec![
                LineProblem {
                    line: 3,
                    message: "第3行：坐标不是数字 / line 3: coordinate is not a number: \"4503x12\"".into()
                },
                LineProblem {
                    line: 6,
                    message: "第6行：列数不对（2列），应为 点号,X,Y[,纬度,经度] / line 6: wrong number of \
                              columns (2); expected 点号,X,Y with optional latitude, longitude"
                        .into()
                },
            ]
        );
        assert_eq!(f.parcels.len(), 1);
        assert_eq!(f.parcels[0].rings[0].points, square());
        assert_eq!(f.parcels[0].point_names, names(&["J1", "J3", "J4", "J6"]));
    }

    #[test]
    fn parcel_with_two_points_dropped() {
        let text = "地块A\nJ1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\n\n地块B\n\
                    J1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\nJ3,5042250.75,41453600.30\n\
                    J4,5042250.75,41452400.55\n";
        let f = parse(text).expect("parses");
        assert_eq!(f.parcels.len(), 1);
        assert_eq!(f.parcels[0].name, "地块B");
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].line, 2);
        assert_eq!(
            f.problems[0].message,
            "第2行：地块“地块A”只有2个不同的点，已忽略 / line 2: 地块“地块A” has only 2 distinct point(s) (need 3); dropped"
        );
    }

    const LAND: &str = "[属性描述]\n格式版本号=1.01\n数据产生单位=洮南市自然资源局\n数据产生日期=2023-05-10\n\
        坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n带号=41\n精度=0.01\n\
        转换参数=,,,,,,\n[地块坐标]\n9,1.2345,2201,洮南某采石场,面,L51G012034,采矿用地,0602,@\n\
        J1,1,5043400.12,41452400.55\nJ2,1,5043400.12,41453600.30\nJ3,1,5042250.75,41453600.30\n\
        J4,1,5042250.75,41452400.55\nJ1,1,5043400.12,41452400.55\nJ5,2,5043000.00,41452800.00\n\
        J6,2,5043000.00,41453000.00\nJ7,2,5042800.00,41453000.00\nJ5,2,5043000.00,41452800.00\n\
        9,0.5,2202,,面,,,0602,@\nJ1,1,5030000.00,41470000.00\nJ2,1,5030000.00,41471000.00\n\
        J3,1,5029000.00,41471000.00\nJ1,1,5030000.00,41470000.00\n";

    #[test]
    fn land_survey_with_hole_and_two_parcels() {
        let f = parse(LAND).expect("parses");
        assert_eq!(f.layout, Layout::LandSurvey);
        assert_eq!(f.header.len(), 10);
        assert_eq!(f.header[0], ("格式版本号".to_string(), "1.01".to_string()));
        assert_eq!(
            f.header[3],
            ("坐标系".to_string(), "2000国家大地坐标系".to_string())
        );
        assert_eq!(f.header[7], ("带号".to_string(), "41".to_string()));
        assert_eq!(f.header[9], ("转换参数".to_string(), ",,,,,,".to_string()));
        assert_eq!(f.parcels.len(), 2);
        let p = &f.parcels[0];
        assert_eq!(p.name, "洮南某采石场");
        assert_eq!(
            p.attributes,
            vec![
                ("界址点数".to_string(), Value::Number(9.0)),
                ("地块面积".to_string(), Value::Number(1.2345)),
                ("地块编号".to_string(), Value::Text("2201".into())),
                ("地块名称".to_string(), Value::Text("洮南某采石场".into())),
                ("记录图形属性".to_string(), Value::Text("面".into())),
                ("图幅号".to_string(), Value::Text("L51G012034".into())),
                ("地块用途".to_string(), Value::Text("采矿用地".into())),
                ("地类编码".to_string(), Value::Text("0602".into())),
            ]
        );
        assert_eq!(p.rings.len(), 2);
        assert_eq!(
            p.rings[0],
            Ring {
                points: square(),
                hole: false
            }
        );
        assert_eq!(
            p.rings[1],
            Ring {
                points: vec![
                    [5043000.0, 41452800.0],
                    [5043000.0, 41453000.0],
                    [5042800.0, 41453000.0],
                    [5043000.0, 41452800.0]
                ],
                hole: true
            }
        );
        assert_eq!(p.point_names, names(&["J1", "J2", "J3", "J4"]));
        let q = &f.parcels[1];
        assert_eq!(q.name, "2202");
        assert_eq!(q.attributes[3], ("地块名称".to_string(), Value::Null));
        // 9 declared but 4 point lines read (3 without the closure): reported on the header line.
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].line, 23);
        assert_eq!(
            f.problems[0].message,
            "第23行：界址点数为9，实际读到4个点 / line 23: declared 9 boundary points but 4 point lines were read"
        );
        assert_eq!(q.rings[0].points.len(), 4);
    }

    #[test]
    fn land_survey_bad_point_line() {
        let text = LAND.replace("J3,1,5042250.75,41453600.30", "J3,1,5042250.75");
        let f = parse(&text).expect("parses");
        assert_eq!(f.parcels.len(), 2);
        assert_eq!(f.parcels[0].rings[0].points.len(), 4);
        assert_eq!(f.problems[0].line, 16);
        assert_eq!(
            f.problems[0].message,
            "第16行：列数不对（3列），应为 点号,地块圈号,X,Y / line 16: wrong number of columns (3); expected 点号,地块圈号,X,Y"
        );
    }

    #[test]
    fn block_string_with_hole_multiline_star() {
        let text = "2,4,5043400.12,41452400.55,5043400.12,41453600.30,\n5042250.75,41453600.30，\
                    5042250.75,41452400.55,0,150,-200\n*3*5043000.00*41452800.00*5043000.00*41453000.00*\
                    5042800.00*41453000.00*-1*150*-200\n";
        let f = parse(text).expect("parses");
        assert_eq!(f.layout, Layout::BlockString);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.parcels.len(), 1);
        let p = &f.parcels[0];
        assert_eq!(
            p.attributes,
            vec![
                ("h1".to_string(), Value::Number(150.0)),
                ("h2".to_string(), Value::Number(-200.0))
            ]
        );
        assert_eq!(
            p.rings[0],
            Ring {
                points: square(),
                hole: false
            }
        );
        assert_eq!(
            p.rings[1],
            Ring {
                points: vec![
                    [5043000.0, 41452800.0],
                    [5043000.0, 41453000.0],
                    [5042800.0, 41453000.0],
                    [5043000.0, 41452800.0]
                ],
                hole: true
            }
        );
        assert_eq!(p.point_names, names(&["1", "2", "3", "4"]));
    }

    #[test]
    fn block_string_two_parcels_and_bad_token() {
        let ok = "2, 3, 5030000.00, 41470000.00, 5030000.00, 41471000.00, 5029000.00, 41471000.00, 0, 180, 100,\n\
                  4, 5043400.12, 41452400.55, 5043400.12, 41453600.30, 5042250.75, 41453600.30,\n\
                  5042250.75, 41452400.55, 0, 160, 90\n";
        let f = parse(ok).expect("parses");
        assert_eq!(f.layout, Layout::BlockString);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.parcels.len(), 2);
        assert_eq!(f.parcels[0].name, "地块1");
        assert_eq!(f.parcels[1].name, "地块2");
        assert_eq!(
            f.parcels[0].attributes,
            vec![
                ("h1".to_string(), Value::Number(180.0)),
                ("h2".to_string(), Value::Number(100.0))
            ]
        );
        assert_eq!(
            f.parcels[1].attributes[1],
            ("h2".to_string(), Value::Number(90.0))
        );
        assert_eq!(f.parcels[1].rings[0].points, square());

        // A bad coordinate token: that corner is skipped and reported with its line.
        let bad = ok.replace("5042250.75, 41452400.55, 0", "5042250.75, 4145240x.55, 0");
        let f = parse(&bad).expect("parses");
        assert_eq!(f.parcels.len(), 2);
        assert_eq!(f.parcels[1].rings[0].points, vec![A, B, C, A]);
        assert_eq!(
            f.problems,
            vec![LineProblem {
                line: 3,
                message:
                    "第3行：坐标不是数字 / line 3: coordinate is not a number: \"4145240x.55\""
                        .into()
            }]
        );

        // Ring 2 declares 4 corners but has 5 pairs: rest ignored, region count mismatch.
        let broken = ok.replace(
            "41452400.55, 0, 160",
            "41452400.55, 5042300.00, 41452000.00, 0, 160",
        );
        let f = parse(&broken).expect("parses");
        assert_eq!(f.parcels.len(), 1);
        let lines: Vec<usize> = f.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2]);
    }

    #[test]
    fn semicolon_pairs_one_ring() {
        let text = "GDZB=5043400.12,41452400.55;5043400.12,41453600.30；5042250.75,41453600.30;\n\
                    5042250.75,41452400.55;5043400.12,41452400.55;";
        let f = parse(text).expect("parses");
        assert_eq!(f.layout, Layout::SemicolonPairs);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        assert_eq!(f.parcels.len(), 1);
        assert_eq!(
            f.parcels[0].rings,
            vec![Ring {
                points: square(),
                hole: false
            }]
        );
        assert_eq!(f.parcels[0].point_names, names(&["1", "2", "3", "4"]));
    }

    #[test]
    fn empty_and_garbage_are_errors() {
        assert!(parse("").is_err());
        assert!(parse("\u{FEFF}\r\n  \r\n").is_err());
        let e = parse("洮南市矿产资源规划\n没有坐标\n").expect_err("no coordinates");
        assert!(e.contains("block string"), "{e}");
        assert!(e.contains("point table"), "{e}");
    }

    #[test]
    fn parse_dms_variants() {
        let want = 45.0 + 30.0 / 60.0 + 12.345 / 3600.0;
        for s in [
            "45°30′12.345″",
            "45°30'12.345\"",
            "45:30:12.345",
            "45 30 12.345",
            "45度30分12.345秒",
            "N45°30′12.345″",
            "４５°３０′１２．３４５″",
            "45°30′12.345′′",
        ] {
            let got = parse_dms(s).unwrap_or(f64::NAN);
            assert!((got - want).abs() < 1e-9, "{s}: {got}");
        }
        assert_eq!(parse_dms("45.5"), Some(45.5));
        assert_eq!(parse_dms("45°30.5′"), Some(45.0 + 30.5 / 60.0));
        assert_eq!(parse_dms("-122 30 0"), Some(-122.5));
        assert_eq!(parse_dms("122°30′W"), Some(-122.5));
        assert_eq!(parse_dms("45°60′00″"), None);
        assert_eq!(parse_dms("45.5 30"), None);
        assert_eq!(parse_dms("abc"), None);
        assert_eq!(parse_dms(""), None);
    }

    #[test]
    fn parse_ddd_mmss_values() {
        let got = parse_ddd_mmss(122.304512);
        assert!(
            (got - (122.0 + 30.0 / 60.0 + 45.12 / 3600.0)).abs() < 1e-9,
            "{got}"
        );
        let got = parse_ddd_mmss(45.3012345);
        assert!(
            (got - (45.0 + 30.0 / 60.0 + 12.345 / 3600.0)).abs() < 1e-9,
            "{got}"
        );
        let got = parse_ddd_mmss(122.31);
        assert!((got - 122.516_666_666_666_67).abs() < 1e-9, "{got}");
        let got = parse_ddd_mmss(-45.3);
        assert!((got + 45.5).abs() < 1e-9, "{got}");
    }
}
