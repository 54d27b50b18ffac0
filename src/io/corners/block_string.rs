//! The ministry block string: `区域数, 拐点数, X1,Y1, …, 0|-1, h1, h2, …`, where `-1` marks a hole
//! of the preceding outer ring and `h1`/`h2` are the elevation limits.

use super::common::{
    closed, corner_count, default_name, distinct, not_a_number, num, problem, too_few,
};
use super::{Attempt, Parcel, Ring};
use crate::model::Value;

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

#[allow(
    clippy::too_many_lines,
    reason = "one pass over the lines of a block-string list; to be split once the io readers being changed in parallel (fmt-in-*, hardening) are merged"
)]
pub(super) fn parse_block_string(lines: &[String]) -> Result<Attempt, crate::text::Text> {
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
        return Err(crate::text::Text::fixed("没有数值", "no values"));
    };
    let regions = match is_int(first.val) {
        Some(r) if (1..=100_000).contains(&r) => r as usize,
        _ => {
            let v = &first.text;
            return Err(crate::text!(
                "第一个数值 \"{v}\" 不是区域数",
                "first value \"{v}\" is not a region count (区域数)"
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
                return Err(crate::text!(
                    "区域数 {regions} 之后，\"{at}\" 不是一个圈的开头（应为拐点数，接着 X,Y 坐标对和 0/-1）",
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
                problems.push(too_few(ring_line, "内圈", "an inner ring", nd));
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
                    &format!("outer ring {outers_read} of the block"),
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

#[cfg(test)]
mod tests {
    use crate::io::corners::test_support::{A, B, C, names, square};
    use crate::io::corners::*;

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
                message: crate::text!(
                    "第3行：坐标不是数字：\"4145240x.55\"",
                    "line 3: coordinate is not a number: \"4145240x.55\""
                )
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
}
