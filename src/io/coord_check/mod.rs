//! Coordinates checked where they enter, before any geometry code sees them.
//!
//! - A non-finite value (NaN, ±∞) or a vertex outside the domain of the layer's CRS is an error
//!   for that feature, named by record and point number; the rest of the file loads
//!   ([`check_records`]).
//! - A vertex far from the rest of its ring is flagged with its likely cause ([`ring_outliers`]):
//!   a missing zone prefix (`41457390.25` typed as `47390.25`), a dropped digit
//!   (`4147390.25`), or X and Y swapped for that one point.
//!
//! Everything here works on the file's own numbers (metres or degrees as written), in the order
//! the layer stores them (x = easting / longitude, y = northing / latitude for a correct file).
//! A vertex counts as inside the domain in either order: whether the whole file is swapped is
//! decided later by the loader.

use geo::{Coord, CoordsIter, Geometry, LineString};

use crate::text;
use crate::text::{Lang, Text};

/// One record as the loader holds it (geometry in the file's CRS, attributes).
pub type Record = (Option<Geometry<f64>>, crate::model::Attributes);

/// The rectangle of plausible coordinates of a CRS, in its own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    /// Smallest and largest x (easting or longitude).
    pub x: (f64, f64),
    /// Smallest and largest y (northing or latitude).
    pub y: (f64, f64),
}

impl Domain {
    fn holds(&self, x: f64, y: f64) -> bool {
        (self.x.0..=self.x.1).contains(&x) && (self.y.0..=self.y.1).contains(&y)
    }

    /// Whether the point lies inside as written or with x and y exchanged.
    pub fn holds_either_way(&self, c: Coord<f64>) -> bool {
        self.holds(c.x, c.y) || self.holds(c.y, c.x)
    }

    /// The likely cause of a vertex outside the domain, judged by the domain alone (for a
    /// vertex its ring cannot explain: every vertex of a one-parcel list off the same way).
    /// Only for domains in metres; in degrees it is [`Cause::Unknown`]. The value that is off
    /// (x first) is compared with its range: a value below 10⁶ where
    /// the range has a zone prefix lost the prefix; a value that one digit more or less brings
    /// into the range dropped or gained a digit; anything else is [`Cause::Unknown`].
    pub fn cause_of(&self, c: Coord<f64>) -> Cause {
        // Degrees: a digit more or less is no typical slip there (a lost decimal point is),
        // and a CRS of degrees given to metres is the CRS's fault.
        if self.x.1 <= 180.0 {
            return Cause::Unknown;
        }
        let inside = |v: f64, r: (f64, f64)| (r.0..=r.1).contains(&v);
        let (v, range) = if inside(c.x, self.x) {
            (c.y, self.y)
        } else {
            (c.x, self.x)
        };
        // Zone prefixes are two digits in front of a 6-digit easting: 13·10⁶ and more.
        if range.0 >= 13e6 && v.abs() < 1e6 {
            return Cause::MissingZonePrefix;
        }
        if digit_edits(v).any(|(dropped, w)| dropped && inside(w.copysign(v), range)) {
            return Cause::DroppedDigit;
        }
        if digit_edits(v).any(|(dropped, w)| !dropped && inside(w.copysign(v), range)) {
            return Cause::ExtraDigit;
        }
        Cause::Unknown
    }
}

/// Gauss-Krüger / transverse Mercator northings (m): generous, both hemispheres.
const NORTHING: (f64, f64) = (-10_000_000.0, 10_000_000.0);

/// The domain of an EPSG code this viewer knows the layout of, else `None` (no check).
///
/// Geographic CRSs: longitude −180..180, latitude −90..90. Web Mercator: ±20 037 508.34 m
/// (y to ±20 048 966.1 m). Gauss-Krüger with the zone number as easting prefix (CGCS2000, Xian
/// 1980, Beijing 1954; 3° zones 25–45 and 6° zones 13–23): easting `zone·10⁶ ..= zone·10⁶ +
/// 10⁶`. Gauss-Krüger without prefix (central-meridian variants) and UTM: easting 0..10⁶.
pub fn domain_of(epsg: u32) -> Option<Domain> {
    let prefixed = |zone: u32| Domain {
        x: (zone as f64 * 1e6, zone as f64 * 1e6 + 1e6),
        y: NORTHING,
    };
    let plain = Domain {
        x: (0.0, 1_000_000.0),
        y: NORTHING,
    };
    Some(match epsg {
        4490 | 4326 | 4610 | 4214 | 4555 => Domain {
            x: (-180.0, 180.0),
            y: (-90.0, 90.0),
        },
        3857 | 900913 => Domain {
            x: (-20_037_508.35, 20_037_508.35),
            y: (-20_048_966.11, 20_048_966.11),
        },
        4513..=4533 => prefixed(epsg - 4488),
        4491..=4501 => prefixed(epsg - 4478),
        2349..=2369 => prefixed(epsg - 2324),
        2327..=2337 => prefixed(epsg - 2314),
        2401..=2421 => prefixed(epsg - 2376),
        21413..=21423 => prefixed(epsg - 21400),
        4534..=4554
        | 4502..=4512
        | 2370..=2390
        | 2338..=2348
        | 2422..=2442
        | 21453..=21463
        | 21473..=21483
        | 32601..=32660
        | 32701..=32760 => plain,
        _ => return None,
    })
}

/// The likely cause of a vertex far from the rest of its ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The vertex is in place with its two numbers exchanged.
    SwappedXY,
    /// A value lost its zone-number prefix (the ring's other values have one).
    MissingZonePrefix,
    /// A value lost one digit (putting one digit back brings it near the rest).
    DroppedDigit,
    /// A value has one digit too many (taking one out brings it near the rest).
    ExtraDigit,
    /// Nothing recognisable.
    Unknown,
}

impl Cause {
    /// The cause in words.
    pub fn describe(self) -> Text {
        match self {
            Cause::SwappedXY => Text::fixed("该点 X/Y 颠倒", "X and Y swapped for this point"),
            Cause::MissingZonePrefix => Text::fixed(
                "缺少带号前缀（如 41457390.25 写成 57390.25）",
                "missing zone prefix (41457390.25 written as 57390.25)",
            ),
            Cause::DroppedDigit => Text::fixed("漏了一位数字", "a dropped digit"),
            Cause::ExtraDigit => Text::fixed("多了一位数字", "one digit too many"),
            Cause::Unknown => Text::fixed("原因不明", "cause unknown"),
        }
    }
}

/// A vertex far from the rest of its ring: its 0-based index in the ring and the likely cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outlier {
    /// Index of the vertex in the ring (0-based).
    pub index: usize,
    /// The likely cause.
    pub cause: Cause,
}

/// How many typical distances from the ring's middle make a vertex an outlier.
const FAR: f64 = 50.0;

/// The value at the middle (index `len / 2`) of `v` in order; 0 for none. Linear time (a
/// selection, not a sort: every ring of a county layer passes here).
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let k = v.len() / 2;
    *v.select_nth_unstable_by(k, f64::total_cmp).1
}

/// Vertices far from the rest of a ring (or a line), with their likely causes.
///
/// The ring's middle is the median x and median y of its vertices (the closing repeat left
/// out); a vertex is far when its distance (the larger of |dx|, |dy|) from the middle is more
/// than 50 times the median of those distances and more than 10⁻⁶ of the coordinates' size.
/// Rings of fewer than 4 distinct vertices are not judged (no majority to compare with).
/// Non-finite vertices must have been removed before.
pub fn ring_outliers(ring: &[Coord<f64>]) -> Vec<Outlier> {
    let pts = match ring.split_last() {
        Some((last, rest)) if ring.len() > 1 && rest.first() == Some(last) => rest,
        _ => ring,
    };
    if pts.len() < 4 || pts.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
        return Vec::new();
    }
    let mut buf: Vec<f64> = pts.iter().map(|c| c.x).collect();
    let mx = median(&mut buf);
    buf.clear();
    buf.extend(pts.iter().map(|c| c.y));
    let my = median(&mut buf);
    let dist = |c: &Coord<f64>| (c.x - mx).abs().max((c.y - my).abs());
    buf.clear();
    buf.extend(pts.iter().map(dist));
    let spread = median(&mut buf);
    let floor = 1e-6 * mx.abs().max(my.abs()).max(1.0);
    let limit = (FAR * spread).max(floor);
    // Within this of the middle, a repaired value counts as "back with the rest".
    let near = (10.0 * spread).max(floor);
    pts.iter()
        .enumerate()
        .filter(|(_, c)| dist(c) > limit)
        .map(|(index, c)| Outlier {
            index,
            cause: cause_of(*c, mx, my, near),
        })
        .collect()
}

fn cause_of(c: Coord<f64>, mx: f64, my: f64, near: f64) -> Cause {
    if (c.y - mx).abs() <= near && (c.x - my).abs() <= near {
        return Cause::SwappedXY;
    }
    // The axis that is off (both off and not swapped: judge x, then y).
    let (v, m) = if (c.x - mx).abs() > near {
        (c.x, mx)
    } else {
        (c.y, my)
    };
    // Zone prefixes are two digits in front of a 6-digit easting: 13·10⁶ and more.
    if m.abs() >= 13e6 && v.abs() < 1e6 {
        return Cause::MissingZonePrefix;
    }
    if digit_edits(v).any(|(dropped, w)| dropped && (w - m.abs()).abs() <= near) {
        return Cause::DroppedDigit;
    }
    if digit_edits(v).any(|(dropped, w)| !dropped && (w - m.abs()).abs() <= near) {
        return Cause::ExtraDigit;
    }
    Cause::Unknown
}

/// Every value one digit away from |v| in its integer part: `(true, w)` with one digit put in,
/// `(false, w)` with one taken out.
fn digit_edits(v: f64) -> impl Iterator<Item = (bool, f64)> {
    let v = v.abs();
    let digits = if v < 1e15 {
        format!("{}", v.trunc() as u64)
    } else {
        String::new()
    };
    let frac = v.fract();
    let n = digits.len();
    let with_one_more = (0..=n).flat_map({
        let digits = digits.clone();
        move |at| {
            let digits = digits.clone();
            (b'0'..=b'9').filter_map(move |d| {
                let mut s = digits.clone();
                s.insert(at, d as char);
                s.parse::<u64>().ok().map(|i| (true, i as f64 + frac))
            })
        }
    });
    let with_one_less = (0..n).filter_map(move |at| {
        let mut s = digits.clone();
        s.remove(at);
        s.parse::<u64>().ok().map(|i| (false, i as f64 + frac))
    });
    with_one_more.chain(with_one_less)
}

/// The rings and lines of a geometry, in order (points and multipoints have none).
fn rings(g: &Geometry<f64>) -> Vec<&LineString<f64>> {
    match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(m) => m.0.iter().collect(),
        Geometry::Polygon(p) => std::iter::once(p.exterior())
            .chain(p.interiors().iter())
            .collect(),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors().iter()))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The number of distinct points of the first polygon ring with fewer than 3 (a closed ring
/// of fewer than 4 coordinates), if any.
fn short_ring(g: &Geometry<f64>) -> Option<usize> {
    if !matches!(g, Geometry::Polygon(_) | Geometry::MultiPolygon(_)) {
        return None;
    }
    rings(g).into_iter().find(|r| r.0.len() < 4).map(|r| {
        let closed = r.0.len() > 1 && r.0.first() == r.0.last();
        r.0.len() - usize::from(closed)
    })
}

/// How a record is named in messages: "第 N 条记录" / "record N", plus its parcel name when it
/// has one.
pub fn record_name(number: usize, attrs: &crate::model::Attributes) -> Text {
    match attrs.get("DKMC").and_then(|v| v.as_text()) {
        Some(name) => text!("第 {number} 条记录（{name}）", "record {number} ({name})"),
        None => record_number(number),
    }
}

/// A record named by its number alone.
fn record_number(number: usize) -> Text {
    text!("第 {number} 条记录", "record {number}")
}

/// Point numbers (0-based indexes, shown 1-based) as "point 3" or "points 1–5, 8" (第 3 点,
/// 第 1–5、8 点): runs of consecutive numbers joined, at most 10 runs named, then how many in
/// all.
pub fn point_list(indexes: &[usize]) -> Text {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &k in indexes {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == k => *end = k,
            _ => runs.push((k, k)),
        }
    }
    Text::by_lang(|l| {
        let comma = l.t("、", ", ");
        let shown: Vec<String> = runs
            .iter()
            .take(10)
            .map(|&(a, b)| match b - a {
                0 => format!("{}", a + 1),
                1 => format!("{}{comma}{}", a + 1, b + 1),
                _ => format!("{}–{}", a + 1, b + 1),
            })
            .collect();
        let shown = shown.join(comma);
        let all = indexes.len();
        let more = runs.len() > 10;
        match (l, more) {
            (Lang::Zh, false) => format!("第 {shown} 点"),
            (Lang::Zh, true) => format!("第 {shown} 等点（共 {all} 个）"),
            (Lang::En, false) if all == 1 => format!("point {shown}"),
            (Lang::En, false) => format!("points {shown}"),
            (Lang::En, true) => format!("points {shown}, … ({all} in all)"),
        }
    })
}

/// The finding at coordinate index `k` of a list sorted by index (as [`Findings`] are).
fn find_at(list: &[(usize, Coord<f64>, Cause)], k: usize) -> Option<&(usize, Coord<f64>, Cause)> {
    list.binary_search_by_key(&k, |f| f.0)
        .ok()
        .and_then(|i| list.get(i))
}

/// What the check found in one record: its far-off vertices and its vertices outside the
/// domain, each as (index among the record's coordinates, the vertex, the likely cause), in
/// the order of the coordinates.
#[derive(Default)]
struct Findings {
    far: Vec<(usize, Coord<f64>, Cause)>,
    outside: Vec<(usize, Coord<f64>, Cause)>,
}

impl Findings {
    /// Find the far-off vertices of every ring, then the vertices outside `domain` (a vertex
    /// that is both takes its cause from its ring, which knows more than the domain).
    fn of(g: &Geometry<f64>, domain: Option<Domain>) -> Self {
        let mut far = Vec::new();
        let mut offset = 0;
        for ring in rings(g) {
            for o in ring_outliers(&ring.0) {
                far.push((offset + o.index, ring.0[o.index], o.cause));
            }
            offset += ring.0.len();
        }
        let Some(d) = domain else {
            return Self {
                far,
                outside: Vec::new(),
            };
        };
        // The closing repeat of a ring is not named again: the user sees each corner once.
        let mut repeats = Vec::new();
        let mut offset = 0;
        for ring in rings(g) {
            if ring.0.len() > 1 && ring.0.first() == ring.0.last() {
                repeats.push(offset + ring.0.len() - 1);
            }
            offset += ring.0.len();
        }
        let outside = g
            .coords_iter()
            .enumerate()
            .filter(|(k, c)| !d.holds_either_way(*c) && repeats.binary_search(k).is_err())
            .map(|(k, c)| {
                let cause = find_at(&far, k).map_or_else(|| d.cause_of(c), |f| f.2);
                (k, c, cause)
            })
            .collect();
        Self { far, outside }
    }

    /// The far-off vertices as messages; those outside the domain left out when `skipped`
    /// (the record's domain message names them).
    fn far_messages(&self, name: &Text, skipped: bool, out: &mut Vec<Text>) {
        for (k, c, cause) in &self.far {
            if skipped && find_at(&self.outside, *k).is_some() {
                continue;
            }
            let (k, x, y) = (k + 1, c.x, c.y);
            let (name_zh, name_en) = (name.in_lang(Lang::Zh), name.in_lang(Lang::En));
            let (cause_zh, cause_en) = (
                cause.describe().in_lang(Lang::Zh).to_owned(),
                cause.describe().in_lang(Lang::En).to_owned(),
            );
            out.push(Text::new(
                format!("{name_zh}第 {k} 点：({x}, {y}) 远离其环的其他点，可能的原因：{cause_zh}"),
                format!("{name_en}, point {k}: ({x}, {y}) lies far from the rest of its ring — likely cause: {cause_en}"),
            ));
        }
    }

    /// The vertices outside the domain as messages, one per likely cause (in the order the
    /// causes first occur), naming the points and the first of them.
    fn outside_messages(&self, name: &Text, out: &mut Vec<Text>) {
        let mut causes: Vec<Cause> = Vec::new();
        for (_, _, cause) in &self.outside {
            if !causes.contains(cause) {
                causes.push(*cause);
            }
        }
        for cause in causes {
            let group: Vec<&(usize, Coord<f64>, Cause)> =
                self.outside.iter().filter(|o| o.2 == cause).collect();
            let Some((_, first, _)) = group.first() else {
                continue;
            };
            let indexes: Vec<usize> = group.iter().map(|o| o.0).collect();
            let points = point_list(&indexes);
            let one = indexes.len() == 1;
            let (x, y) = (first.x, first.y);
            out.push(Text::by_lang(|l| {
                let (name, points) = (name.in_lang(l), points.in_lang(l));
                let why = match (cause, l) {
                    (Cause::Unknown, _) => String::new(),
                    (known, Lang::Zh) => format!("，可能的原因：{}", known.describe().in_lang(l)),
                    (known, Lang::En) => format!(" — likely cause: {}", known.describe().in_lang(l)),
                };
                match (l, one) {
                    (Lang::Zh, true) => format!("{name}{points}：({x}, {y}) 超出图层坐标系的范围{why}；已跳过该要素"),
                    (Lang::Zh, false) => format!("{name}{points}超出图层坐标系的范围（首点 ({x}, {y})）{why}；已跳过该要素"),
                    (Lang::En, true) => format!("{name}, {points}: ({x}, {y}) lies outside the domain of the layer's CRS{why}; feature skipped"),
                    (Lang::En, false) => format!("{name}, {points} lie outside the domain of the layer's CRS (the first: ({x}, {y})){why}; feature skipped"),
                }
            }));
        }
    }
}

/// Check the records of a layer (in the file's CRS, numbered by their position, 1-based):
///
/// 1. a record with a non-finite vertex loses its geometry (the reason, naming the record and
///    the point, goes to `problems`);
/// 2. every vertex far from the rest of its ring is reported with its likely cause;
/// 3. with a `domain` (from [`domain_of`]), a record with vertices outside it in both orders
///    loses its geometry likewise, the message naming those points and their likely cause —
///    unless every record lies outside and some of those vertices have no recognisable cause,
///    which means the CRS is wrong rather than the records (the loader says so). A file of
///    one parcel whose numbers lost their zone prefix is thus named point by point.
///
/// Returns whether the CRS itself may not fit the numbers: every record with a geometry lay
/// outside the domain, and in some record vertices that are not far from their ring (the
/// whole record is off the same way — a lost prefix, or the wrong CRS).
pub fn check_records(
    records: &mut [Record],
    domain: Option<Domain>,
    problems: &mut Vec<Text>,
) -> bool {
    // Messages tagged with their record, sorted by it at the end; what the far-off and domain
    // checks found, per record with its name.
    let mut by_record: Vec<(usize, Text)> = Vec::new();
    let mut found: Vec<(usize, Text, Findings)> = Vec::new();
    for (i, (geom, attrs)) in records.iter_mut().enumerate() {
        let Some(g) = geom.as_ref() else { continue };
        let name = || record_name(i + 1, attrs);
        let non_finite = g
            .coords_iter()
            .position(|c| !c.x.is_finite() || !c.y.is_finite());
        if let Some(k) = non_finite {
            let (name, k) = (name(), k + 1);
            by_record.push((
                i,
                Text::by_lang(|l| match l {
                    Lang::Zh => format!(
                        "{}第 {k} 点：坐标不是有限数值（NaN 或 ∞）；已跳过该要素",
                        name.in_lang(l)
                    ),
                    Lang::En => format!(
                        "{}, point {k}: coordinate not finite (NaN or ∞); feature skipped",
                        name.in_lang(l)
                    ),
                }),
            ));
            *geom = None;
            continue;
        }
        if let Some(short) = short_ring(g) {
            let name = name();
            by_record.push((
                i,
                Text::by_lang(|l| match l {
                    Lang::Zh => format!(
                        "{}：环只有 {short} 个点，不成面；已跳过该要素",
                        name.in_lang(l)
                    ),
                    Lang::En => format!(
                        "{}: a ring of {short} point(s) encloses no area; feature skipped",
                        name.in_lang(l)
                    ),
                }),
            ));
            *geom = None;
            continue;
        }
        let f = Findings::of(g, domain);
        if !f.far.is_empty() || !f.outside.is_empty() {
            found.push((i, name(), f));
        }
    }
    let with_geometry = records.iter().filter(|(g, _)| g.is_some()).count();
    let outside = found.iter().filter(|(_, _, f)| !f.outside.is_empty());
    let every_record_outside = with_geometry > 0 && outside.clone().count() == with_geometry;
    let crs_wrong = every_record_outside
        && outside
            .clone()
            .flat_map(|(_, _, f)| &f.outside)
            .any(|o| o.2 == Cause::Unknown);
    let crs_doubtful = every_record_outside
        && outside
            .into_iter()
            .any(|(_, _, f)| f.outside.iter().any(|o| find_at(&f.far, o.0).is_none()));
    for (i, name, f) in found {
        let skip = !f.outside.is_empty() && !crs_wrong;
        let mut out = Vec::new();
        f.far_messages(&name, skip, &mut out);
        if skip {
            f.outside_messages(&name, &mut out);
            if let Some((geom, _)) = records.get_mut(i) {
                *geom = None;
            }
        }
        by_record.extend(out.into_iter().map(|m| (i, m)));
    }
    by_record.sort_by_key(|(i, _)| *i);
    append_capped(problems, by_record.into_iter().map(|(_, m)| m).collect());
    crs_doubtful
}

/// At most this many messages about single records per check; the rest are counted.
pub const NAMED_LIMIT: usize = 1000;

/// Append `found` to `problems`, at most [`NAMED_LIMIT`] of them and then how many more.
fn append_capped(problems: &mut Vec<Text>, mut found: Vec<Text>) {
    let more = found.len().saturating_sub(NAMED_LIMIT);
    found.truncate(NAMED_LIMIT);
    problems.extend(found);
    if more > 0 {
        problems.push(text!(
            "另有 {more} 条同类问题未列出",
            "{more} more problem(s) of these kinds not listed"
        ));
    }
}

/// How far (degrees) outside its CRS's area of use a vertex must lie, after transforming to
/// lon/lat, to be taken as a mistake: projections are used somewhat beyond their official
/// extent, a wrong record lands hundreds of kilometres away.
pub const AREA_MARGIN: f64 = 5.0;

/// What the check after transforming found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Placement {
    /// Whether each geometry is kept.
    pub keep: Vec<bool>,
    /// How many geometries had a vertex that landed nowhere on Earth.
    pub not_on_earth: usize,
    /// Whether every geometry lay outside the area of use (then none is skipped for it: the
    /// CRS is wrong rather than the records, which the loader says).
    pub every_outside_area: bool,
}

/// Vertices of a geometry: (index among its coordinates, the vertex).
type Vertices = Vec<(usize, Coord<f64>)>;

/// Whether a transformed vertex is a place on Earth (finite, |lon| ≤ 180, |lat| ≤ 90).
fn on_earth(c: Coord<f64>) -> bool {
    c.x.is_finite()
        && c.y.is_finite()
        && (-180.0..=180.0).contains(&c.x)
        && (-90.0..=90.0).contains(&c.y)
}

/// Check a layer's geometries after transforming them to lon/lat (CGCS2000), each numbered
/// by its record (1-based) and named by its attributes:
///
/// 1. a geometry with a vertex that is not finite or beyond ±180° / ±90° is skipped, the
///    message naming the record and the point;
/// 2. with the `area` of use of the layer's CRS (from PROJ, see
///    [`crate::crs::area_of_use`]: CRSs whose domain [`domain_of`] does not know), a geometry
///    with vertices more than [`AREA_MARGIN`] degrees outside it is skipped likewise, the
///    message naming the points — unless every geometry lies outside, which means the CRS
///    does not fit ([`Placement::every_outside_area`]).
pub fn check_placed(
    geoms: &[Geometry<f64>],
    attrs: &[crate::model::Attributes],
    numbers: &[usize],
    area: Option<&crate::crs::area_of_use::AreaOfUse>,
    problems: &mut Vec<Text>,
) -> Placement {
    let mut found = Vec::new();
    let mut keep = vec![true; geoms.len()];
    let mut not_on_earth = 0;
    // Per geometry outside the area: its index and its vertices outside (index, lon/lat).
    let mut outside: Vec<(usize, Vertices)> = Vec::new();
    let name = |i: usize| {
        let number = numbers.get(i).copied().unwrap_or(i + 1);
        attrs
            .get(i)
            .map_or_else(|| record_number(number), |a| record_name(number, a))
    };
    for (i, g) in geoms.iter().enumerate() {
        if let Some(k) = g.coords_iter().position(|c| !on_earth(c)) {
            let (name, k) = (name(i), k + 1);
            found.push((
                i,
                Text::by_lang(|l| match l {
                    Lang::Zh => format!(
                        "{}第 {k} 点：变换到经纬度后不在地球上（不是有限数值，或超出 ±180° 或 ±90°）；已跳过该要素",
                        name.in_lang(l)
                    ),
                    Lang::En => format!(
                        "{}, point {k}: does not land on Earth after transforming to lon/lat (not finite, or beyond ±180° / ±90°); feature skipped",
                        name.in_lang(l)
                    ),
                }),
            ));
            keep[i] = false;
            not_on_earth += 1;
            continue;
        }
        if let Some(a) = area {
            let off: Vertices = g
                .coords_iter()
                .enumerate()
                .filter(|(_, c)| !a.holds(c.x, c.y, AREA_MARGIN))
                .collect();
            if !off.is_empty() {
                outside.push((i, off));
            }
        }
    }
    let placed = keep.iter().filter(|k| **k).count();
    let every_outside_area = placed > 0 && outside.len() == placed;
    if let (false, Some(a)) = (every_outside_area, area) {
        for (i, off) in outside {
            let indexes: Vec<usize> = off.iter().map(|o| o.0).collect();
            let Some((_, first)) = off.first() else {
                continue;
            };
            let verb = if indexes.len() == 1 { "lies" } else { "lie" };
            let (name, points, area) = (name(i), point_list(&indexes), a.describe());
            let (x, y) = (first.x, first.y);
            found.push((
                i,
                Text::by_lang(|l| match l {
                    Lang::Zh => format!(
                        "{}{}：远在图层坐标系的适用范围（{area}）之外（首点经度 {x:.4}，纬度 {y:.4}）；已跳过该要素",
                        name.in_lang(l),
                        points.in_lang(l)
                    ),
                    Lang::En => format!(
                        "{}, {}: {verb} far outside the area of use of the layer's CRS, {area} (the first at lon {x:.4}, lat {y:.4}); feature skipped",
                        name.in_lang(l),
                        points.in_lang(l)
                    ),
                }),
            ));
            keep[i] = false;
        }
    }
    found.sort_by_key(|(i, _)| *i);
    append_capped(problems, found.into_iter().map(|(_, m)| m).collect());
    Placement {
        keep,
        not_on_earth,
        every_outside_area,
    }
}

#[cfg(test)]
mod tests;
