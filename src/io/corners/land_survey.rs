//! The land-survey exchange text file: `[属性描述]` `key=value` lines, then `[地块坐标]` with a
//! header line per parcel and point lines `点号,地块圈号,X,Y`; rings after the first are holes
//! or islands.

use super::common::{
    closed, corner_count, default_name, distinct, inside, not_a_number, num, problem, too_few,
};
use super::{Attempt, LineProblem, Parcel, Ring};
use crate::model::Value;

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
        problems.push(too_few(
            outer.line,
            &format!("地块“{label}”外圈"),
            &format!("the outer ring of parcel “{label}”"),
            n,
        ));
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
            problems.push(too_few(
                r.line,
                &format!("地块“{label}”第{}圈", r.no),
                &format!("ring {} of parcel “{label}”", r.no),
                n,
            ));
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

#[allow(
    clippy::too_many_lines,
    reason = "one pass over the sections of a land-survey text; to be split once the io readers being changed in parallel (fmt-in-*, hardening) are merged"
)]
pub(super) fn parse_land_survey(lines: &[String]) -> Result<Attempt, crate::text::Text> {
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
        return Err(crate::text::Text::fixed(
            "没有 [地块坐标] 部分",
            "no [地块坐标] section",
        ));
    }
    Ok(Attempt {
        header,
        parcels,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use crate::io::corners::test_support::{names, square};
    use crate::io::corners::*;

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
            f.problems[0].message.in_lang(Lang::Zh),
            "第23行：界址点数为9，实际读到4个点"
        );
        assert_eq!(
            f.problems[0].message.in_lang(Lang::En),
            "line 23: declared 9 boundary points but 4 point lines were read"
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
            f.problems[0].message.in_lang(Lang::Zh),
            "第16行：列数不对（3列），应为 点号,地块圈号,X,Y"
        );
        assert_eq!(
            f.problems[0].message.in_lang(Lang::En),
            "line 16: wrong number of columns (3); expected 点号,地块圈号,X,Y"
        );
    }
}
