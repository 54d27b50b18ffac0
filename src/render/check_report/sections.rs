//! The text sections of the check report as blocks: the cover (files, CRS, encodings, rules
//! in force), the summary by severity with the table of the findings that have no page of
//! their own, and the conformance verdicts of the surveyed mining rights. The headings carry
//! both languages on purpose: the PDF check report is one document for readers of either.

use super::flow::{Block, GREY};
use super::{CheckReport, Selection, feature_label, mu};
use crate::analysis::conformance::Conformance;
use crate::analysis::rules::{Rules, Severity};
use crate::model::catalog::Catalog;

fn row(cells: &[&str], cols: &[f32], header: bool) -> Block {
    Block::Row {
        cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        cols: cols.to_vec(),
        header,
    }
}

fn para(t: impl Into<String>) -> Block {
    Block::Para(t.into(), super::INK)
}

/// The layers' lines of the cover: at most this many (the rest are counted).
const COVER_LAYERS: usize = 14;

/// The cover: title, date, the files checked (CRS, encoding, count), the rules in force.
pub fn cover(r: &CheckReport<'_>) -> Vec<Block> {
    let mut b = vec![
        Block::Heading("洮南市矿产资源规划 合规检查报告".into()),
        Block::Para("Plan conformance check report".into(), GREY),
        para(format!("日期 / Date：{}", r.date)),
        Block::Gap(8.0),
        Block::Heading("检查的图层 / Layers checked".into()),
    ];
    let cols = [0.0, 170.0, 440.0, 800.0, 990.0];
    b.push(row(
        &["图层", "来源文件", "坐标系 CRS", "编码", "要素数"],
        &cols,
        true,
    ));
    for l in r.catalog.layers.iter().take(COVER_LAYERS) {
        let mut name = l.name_zh.clone();
        if l.schematic_count() > 0 {
            name.push_str("（示意）");
        }
        b.push(row(
            &[
                &name,
                &l.source,
                // The report is read in either language: both wordings.
                &l.crs.in_both_languages(),
                &l.encoding.in_both_languages(),
                &l.features.len().to_string(),
            ],
            &cols,
            false,
        ));
    }
    let more = r.catalog.layers.len().saturating_sub(COVER_LAYERS);
    if more > 0 {
        b.push(Block::Para(format!("……另有 {more} 个图层"), GREY));
    }
    b.push(Block::Gap(8.0));
    b.push(Block::Heading("适用规则 / Rules in force".into()));
    b.push(Block::Para(r.rules_source.to_owned(), GREY));
    b.extend(rule_lines(r.rules).into_iter().map(para));
    b
}

/// The rules in force, one line each.
pub fn rule_lines(rules: &Rules) -> Vec<String> {
    let mut out = vec![format!(
        "容差：忽略小于 {} m² 或小于较小要素 {}% 的重叠",
        rules.tolerance.min_area_m2,
        rules.tolerance.min_share * 100.0
    )];
    if !rules.boundary.roles.is_empty() {
        out.push(format!(
            "［{}］须位于洮南市界内：{}",
            rules.boundary.severity.zh(),
            rules.boundary.roles.join("、")
        ));
    }
    for s in &rules.same_layer {
        out.push(format!(
            "［{}］{} 同层：{}",
            s.severity.zh(),
            s.role,
            s.relation
        ));
    }
    for c in &rules.conflict {
        out.push(format!(
            "［{}］{} × {}：{}",
            c.severity.zh(),
            c.a,
            c.b,
            c.relation
        ));
    }
    for c in &rules.containment {
        let m = if c.same_mineral {
            "（同矿种）"
        } else {
            ""
        };
        out.push(format!(
            "［包含］{} ⊂ {}{m}：{}",
            c.inner, c.outer, c.relation
        ));
    }
    out
}

/// The summary: counts and areas by severity, what got a page and what did not, then the
/// table of the errors and warnings without a page (at most `sel.table_cap` rows).
pub fn summary(r: &CheckReport<'_>, sel: &Selection) -> Vec<Block> {
    let f = r.findings;
    let mut b = vec![Block::Heading("检查结果汇总 / Summary".into())];
    let cols = [0.0, 160.0, 300.0, 520.0, 720.0];
    b.push(row(
        &["严重程度", "数量", "面积合计 m²", "面积合计 亩", "单独成页"],
        &cols,
        true,
    ));
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let range = f.range_of(s);
        let area: f64 = f.findings[range.clone()].iter().map(|x| x.area_m2).sum();
        let paged = sel.pages.iter().filter(|&&i| range.contains(&i)).count();
        b.push(row(
            &[
                &format!("{}（{}）", s.zh(), s.key()),
                &range.len().to_string(),
                &format!("{area:.1}"),
                &format!("{:.2}", mu(area)),
                &paged.to_string(),
            ],
            &cols,
            false,
        ));
    }
    b.push(Block::Gap(6.0));
    b.push(para(format!(
        "忽略的细小重叠 {} 处。错误与警告共 {} 项，按严重程度和面积排序，前 {} 项各占一页（上限 {}）；\
         其余 {} 项列于下表{}。提示级发现只计数。完整清单：taonan-map check --json。",
        f.dropped_slivers,
        sel.ranked,
        sel.pages.len(),
        sel.page_cap,
        sel.rest.len() + sel.rest_omitted,
        if sel.rest_omitted > 0 {
            format!("（表中列出前 {} 项，另 {} 项从略）", sel.rest.len(), sel.rest_omitted)
        } else {
            String::new()
        }
    )));
    if !sel.rest.is_empty() {
        b.push(Block::Gap(6.0));
        b.push(Block::Heading(
            "其余错误与警告 / Other errors and warnings".into(),
        ));
        let cols = [0.0, 60.0, 130.0, 330.0, 640.0, 940.0];
        b.push(row(
            &["序号", "级别", "关系", "要素 A", "要素 B", "面积 m²"],
            &cols,
            true,
        ));
        for (n, &i) in sel.rest.iter().enumerate() {
            let Some(x) = f.findings.get(i) else { continue };
            let other = x.b.map(|o| feature_label(r.catalog, o)).unwrap_or_default();
            b.push(row(
                &[
                    &(sel.pages.len() + n + 1).to_string(),
                    x.severity.zh(),
                    &x.relation,
                    &feature_label(r.catalog, x.a),
                    &other,
                    &format!("{:.1}", x.area_m2),
                ],
                &cols,
                false,
            ));
        }
    }
    b
}

/// The conformance verdicts, one block group per surveyed mining right.
pub fn conformance(catalog: &Catalog, verdicts: &[Conformance], omitted: usize) -> Vec<Block> {
    let mut b = vec![Block::Heading(
        "采矿权规划符合性 / Conformance of surveyed mining rights".into(),
    )];
    if verdicts.is_empty() {
        b.push(Block::Para(
            "未载入采矿权图层（图层名含“采矿”/CKQ，或设为采矿权角色）。".into(),
            GREY,
        ));
    }
    for c in verdicts {
        let failed = c.checks.iter().filter(|k| !k.ok).count();
        let verdict = if failed == 0 {
            "符合".to_owned()
        } else {
            format!("{failed} 项需核查")
        };
        b.push(Block::Gap(4.0));
        b.push(para(format!(
            "■ {}　矿种：{}　结论：{verdict}",
            feature_label(catalog, c.feature),
            c.mineral.as_deref().unwrap_or("未注明")
        )));
        for k in &c.checks {
            let (mark, colour) = if k.ok {
                ("√", [0, 120, 40, 255])
            } else {
                ("×", [190, 20, 20, 255])
            };
            b.push(Block::Para(format!("　{mark} {}", k.text), colour));
        }
        for t in &c.targets {
            b.push(Block::Para(format!("　规划指标 {t}"), GREY));
        }
    }
    if omitted > 0 {
        b.push(Block::Para(
            format!("……另有 {omitted} 个采矿权从略（见 taonan-map check --json）"),
            GREY,
        ));
    }
    b
}
