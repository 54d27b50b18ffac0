//! The findings of a check, out: the one place where a finding becomes a row
//! ([`COLUMNS`], [`finding_values`]), and the files made of those rows by extension
//! ([`write_findings`]): `.csv` (UTF-8 with a byte-order mark, so that Excel opens the Chinese
//! text), `.xlsx` ([`super::xlsx`]: findings and conformance verdicts), and the layer formats
//! (`.geojson`, `.shp`, `.kml`, `.gpkg`) holding the overlap and outside-the-boundary
//! polygons themselves ([`Finding::shape`]) with the same values under short field codes.
//!
//! Provenance: a finding that involves a schematic (示意) feature is itself schematic — it
//! shows where the plan's layout would conflict — and its `SJXZ` says 示意.

use std::path::Path;

use crate::analysis::measure::km2_to_mu;
use crate::analysis::overlap::{Finding, Findings};
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::{ProvenanceKind, Value};

use super::table::{Row, Table};
use super::{Format, WriteOptions, Written, atomic};

/// The columns of a finding row: (field code for the layer formats, ≤ 10 ASCII bytes;
/// Chinese header for CSV and Excel).
pub const COLUMNS: [(&str, &str); 17] = [
    ("YZCD", "严重程度"),
    ("GZ", "规则"),
    ("GX", "关系"),
    ("A_TC", "甲方图层"),
    ("A_MC", "甲方名称"),
    ("A_BH", "甲方编号"),
    ("A_SY", "甲方示意"),
    ("B_TC", "乙方图层"),
    ("B_MC", "乙方名称"),
    ("B_BH", "乙方编号"),
    ("B_SY", "乙方示意"),
    ("MJ_M2", "面积（平方米）"),
    ("MJ_KM2", "面积（平方千米）"),
    ("MJ_MU", "面积（亩）"),
    ("SJXZ", "数据性质"),
    ("SJLY", "数据来源"),
    ("XH", "序号"),
];

/// Fields tried, in order, for a feature's code (编号) in the findings.
pub const CODE_FIELDS: &[&str] = &[
    "GHQBH", "KQBH", "XKZH", "XKZBH", "KSBH", "XMBH", "DKBH", "BH", "CODE", "ID",
];

fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k
}

/// One side of a finding: layer name, feature name, code, 是/否 schematic.
fn side(catalog: &Catalog, r: Option<FeatureRef>) -> [Value; 4] {
    let Some(r) = r else {
        return [Value::Null, Value::Null, Value::Null, Value::Null];
    };
    let layer = catalog.layers.get(r.layer).map(|l| l.name_zh.clone());
    let f = catalog.feature(r);
    let code = f.and_then(|f| {
        CODE_FIELDS
            .iter()
            .find_map(|c| f.attr(c).filter(|v| *v != crate::model::ValueRef::Null))
            .map(|v| v.display())
    });
    let text = |s: Option<String>| s.map_or(Value::Null, Value::Text);
    [
        text(layer),
        text(f.map(|f| f.display_name(r.feature))),
        text(code),
        text(f.map(|f| if f.is_schematic() { "是" } else { "否" }.to_owned())),
    ]
}

/// The values of finding number `index` (0-based) in [`COLUMNS`] order. Areas are
/// ellipsoidal: m² to 0.01, km² to 10⁻⁶, 亩 to 0.01 (as in `check --json`).
pub fn finding_values(catalog: &Catalog, f: &Finding, index: usize) -> Vec<Value> {
    let schematic = [Some(f.a), f.b]
        .into_iter()
        .flatten()
        .any(|r| catalog.feature(r).is_some_and(|x| x.is_schematic()));
    let kind = if schematic {
        ProvenanceKind::Schematic
    } else {
        ProvenanceKind::Surveyed
    };
    let mut v = vec![
        Value::Text(f.severity.zh().into()),
        Value::Text(f.rule.as_str().into()),
        Value::Text(f.relation.to_string()),
    ];
    v.extend(side(catalog, Some(f.a)));
    v.extend(side(catalog, f.b));
    v.extend([
        Value::Number(round(f.area_m2, 2)),
        Value::Number(round(f.area_m2 / 1e6, 6)),
        Value::Number(round(km2_to_mu(f.area_m2 / 1e6), 2)),
        Value::Text(kind.code().into()),
        Value::Text("taonan-map check".into()),
        Value::Number((index + 1) as f64),
    ]);
    v
}

/// The findings as a table of rows whose geometry is the overlap (or the part outside the
/// boundary), in CGCS2000 lon/lat.
pub fn findings_table<'a>(catalog: &'a Catalog, findings: &'a Findings) -> Table<'a> {
    let fields = COLUMNS.iter().map(|(c, _)| (*c).to_owned()).collect();
    Table::new(
        "叠加检查结果".into(),
        fields,
        findings.findings.len(),
        move |i| {
            let Some(f) = findings.findings.get(i) else {
                return Row {
                    name: String::new(),
                    values: vec![Value::Null; COLUMNS.len()],
                    geometry: std::borrow::Cow::Owned(super::table::empty()),
                };
            };
            let values = finding_values(catalog, f, i);
            let name = match (&values[4], &values[8]) {
                (a, Value::Null) => format!("{}：{}", f.relation, a.display()),
                (a, b) => format!("{}：{} ↔ {}", f.relation, a.display(), b.display()),
            };
            Row {
                name,
                values,
                geometry: std::borrow::Cow::Owned(geo::Geometry::MultiPolygon(
                    f.shape(catalog).into_owned(),
                )),
            }
        },
    )
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The findings as CSV: a byte-order mark, the Chinese header row, one row per finding,
/// CRLF line ends (what Excel writes).
pub fn write_csv(
    w: &mut dyn std::io::Write,
    catalog: &Catalog,
    findings: &Findings,
) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    let header: Vec<String> = COLUMNS.iter().map(|(_, h)| csv_cell(h)).collect();
    write!(w, "{}\r\n", header.join(","))?;
    for (i, f) in findings.findings.iter().enumerate() {
        let cells: Vec<String> = finding_values(catalog, f, i)
            .iter()
            .map(|v| csv_cell(&v.display()))
            .collect();
        write!(w, "{}\r\n", cells.join(","))?;
    }
    w.flush()
}

/// Write the findings to `path` by its extension: `.csv`, `.xlsx`, or a layer format
/// (`.geojson`, `.shp`, `.kml`, `.gpkg`: the polygons). `opts.force` replaces an existing file.
pub fn write_findings(
    catalog: &Catalog,
    findings: &Findings,
    path: &Path,
    opts: &WriteOptions,
) -> Result<Written, crate::text::Text> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rows = findings.findings.len();
    match ext.as_str() {
        "csv" => {
            atomic::FileSet::new(opts.force).check_free(path)?;
            atomic::write_with(path, opts.force, |w| write_csv(w, catalog, findings))?;
            Ok(Written {
                files: vec![path.to_path_buf()],
                rows,
                notes: Vec::new(),
            })
        }
        "xlsx" => super::xlsx::write(catalog, findings, path, opts.force),
        _ if Format::of_path(path).is_some() => {
            super::write_table(&findings_table(catalog, findings), path, opts)
        }
        _ => {
            let (p, use_) = (path.display(), Format::EXTENSIONS);
            Err(crate::text!(
                "{p}：不支持的输出格式（可用 .csv .xlsx {use_}）",
                "{p}: unknown output format (use .csv .xlsx {use_})"
            ))
        }
    }
}
