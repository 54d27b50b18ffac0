//! The trial standard's `X1,Y1;X2,Y2;…` string (an optional leading label skipped), read as one
//! ring.

use super::common::{
    closed, corner_count, default_name, distinct, not_a_number, num, problem, too_few,
};
use super::{Attempt, Parcel, Ring};

#[allow(
    clippy::too_many_lines,
    reason = "the layout's grammar, line by line, in one match (the other layouts are written the same way)"
)]
pub(super) fn parse_semicolon_pairs(lines: &[String]) -> Result<Attempt, crate::text::Text> {
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
        return Err(crate::text::Text::fixed(
            "没有用 ';' 分隔的 X,Y 坐标对",
            "no X,Y pairs separated by ';'",
        ));
    }
    let mut parcels = Vec::new();
    let c = corner_count(&pts);
    let nd = distinct(&pts[..c]);
    if nd < 3 {
        problems.push(too_few(1, "坐标串", "the coordinate string", nd));
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
    use crate::io::corners::test_support::{names, square};
    use crate::io::corners::*;

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
}
