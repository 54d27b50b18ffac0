//! Point tables: lines `点号, X, Y[, 纬度, 经度]` with or without a header, latitude/longitude
//! columns as DMS, `ddd.mmss` or decimal degrees, parcels split by blank lines, name lines, `*`,
//! a repeated header or the first point coming back.

use super::common::{
    closed, corner_count, default_name, distinct, geo_value, is_plain_number, mmss_from_str,
    not_a_number, num, problem, same, too_few,
};
use super::{Attempt, LineProblem, Parcel, Ring};

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

#[allow(
    clippy::too_many_lines,
    reason = "one pass over the rows of a point table; to be split once the io readers being changed in parallel (fmt-in-*, hardening) are merged"
)]
pub(super) fn parse_point_table(lines: &[String]) -> Result<Attempt, crate::text::Text> {
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
        return Err(crate::text::Text::fixed(
            "没有一行是点号加 X、Y 数值",
            "no line with point name and X, Y numbers",
        ));
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
        problems.push(too_few(
            first_line,
            &format!("地块“{label}”"),
            &format!("parcel “{label}”"),
            n,
        ));
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

#[cfg(test)]
mod tests;
