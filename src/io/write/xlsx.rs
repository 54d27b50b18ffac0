//! The findings as an Excel workbook (`rust_xlsxwriter`): sheet 检查结果 with one row per
//! finding ([`super::findings::COLUMNS`], the same values as the CSV: numbers as numbers),
//! and sheet 规划符合性 with one row per conformance check of each surveyed mining right
//! (layer, name, mineral, √/×, the check's text, the plan's targets). Chinese headers, bold,
//! frozen header row. A sheet holds 1 048 575 rows: more findings are an error that points to
//! the CSV.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::findings::{COLUMNS, finding_values};
use super::{Written, atomic};
use crate::analysis::overlap::Findings;
use crate::model::Value;
use crate::model::catalog::Catalog;

/// The most data rows a sheet holds.
pub const MAX_ROWS: usize = 1_048_575;

/// The conformance sheet's headers.
pub const CONFORMANCE_HEADERS: [&str; 6] = ["图层", "名称", "矿种", "结论", "检查项", "规划目标"];

fn cell(ws: &mut Worksheet, row: u32, col: u16, v: &Value) -> Result<(), XlsxError> {
    match v {
        Value::Number(n) => ws.write_number(row, col, *n).map(|_| ()),
        Value::Text(s) => ws.write_string(row, col, s).map(|_| ()),
        Value::Null => Ok(()),
    }
}

fn headers(ws: &mut Worksheet, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, h) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
        ws.set_column_width(c as u16, 14)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(catalog: &Catalog, findings: &Findings) -> Result<Vec<u8>, crate::text::Text> {
    if findings.findings.len() > MAX_ROWS {
        let n = findings.findings.len();
        return Err(crate::text!(
            "{n} 条结果超过 Excel 的行数上限，请导出 CSV",
            "{n} findings exceed an Excel sheet; export CSV"
        ));
    }
    // The xlsx library's message has one wording.
    build(catalog, findings).map_err(|e| crate::text::Text::same(format!("xlsx: {e}")))
}

fn build(catalog: &Catalog, findings: &Findings) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("检查结果")?;
    let names: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
    headers(ws, &names, &bold)?;
    for (i, f) in findings.findings.iter().enumerate() {
        for (c, v) in finding_values(catalog, f, i).iter().enumerate() {
            cell(ws, i as u32 + 1, c as u16, v)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("规划符合性")?;
    headers(ws, &CONFORMANCE_HEADERS, &bold)?;
    let mut row = 1u32;
    for c in crate::analysis::conformance::all(catalog, findings) {
        let layer = catalog
            .layers
            .get(c.feature.layer)
            .map(|l| l.name_zh.clone())
            .unwrap_or_default();
        let name = catalog
            .feature(c.feature)
            .map(|f| f.display_name(c.feature.feature))
            .unwrap_or_default();
        let targets = c.targets.join("\n");
        for k in &c.checks {
            ws.write_string(row, 0, &layer)?;
            ws.write_string(row, 1, &name)?;
            ws.write_string(row, 2, c.mineral.as_deref().unwrap_or(""))?;
            ws.write_string(row, 3, if k.ok { "√ 符合" } else { "× 不符合" })?;
            ws.write_string(row, 4, &k.text)?;
            ws.write_string(row, 5, &targets)?;
            row += 1;
        }
    }
    wb.save_to_buffer()
}

/// Write the workbook to `path`; `force`: replace an existing file.
pub fn write(
    catalog: &Catalog,
    findings: &Findings,
    path: &Path,
    force: bool,
) -> Result<Written, crate::text::Text> {
    atomic::FileSet::new(force).check_free(path)?;
    let bytes = workbook(catalog, findings).map_err(|e| e.about(&path.display().to_string()))?;
    atomic::write_file(path, &bytes, force)?;
    Ok(Written {
        files: vec![path.to_path_buf()],
        rows: findings.findings.len(),
        notes: Vec::new(),
    })
}
