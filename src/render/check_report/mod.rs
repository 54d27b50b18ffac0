//! The check report: a PDF a clerk can attach to an approval file (`taonan-map check --report
//! FILE.pdf`, and the findings list's button). A cover (title, date, the layers checked with
//! their source, CRS and encoding, the rules in force), the summary by severity, a page for
//! each of the first errors and warnings (overview and close-up maps, attributes, area in m²
//! and 亩), the rest in a table, then the conformance of each surveyed mining right.
//!
//! Every page is drawn on the exports' [`super::Surface`] as an SVG document (maps through the
//! same layer renderer as PNG/SVG exports) and turned into PDF by [`super::pdf::PdfBook`], its
//! text kept as text in an embedded subset of the bundled font.
//!
//! Bounded: at most [`Limits::finding_pages`] finding pages (by severity, then area, largest
//! first), at most [`Limits::table_rows`] rows for the rest and [`Limits::conformance`]
//! mining rights; the summary page says what was left out. Pages are converted one at a time.
//!
//! - this module: the inputs, the selection of findings, the whole document, writing the file.
//! - [`flow`]: text pages (blocks and table rows laid out page by page).
//! - [`sections`]: the cover, summary and conformance sections as blocks.
//! - [`finding_page`]: one finding's page.

pub mod finding_page;
pub mod flow;
pub mod sections;

use std::path::Path;

use super::pdf::PdfBook;
use super::surface::{Rgba, Surface};
use super::svg::SvgSurface;
use super::text::draw_text;
use crate::analysis::conformance;
use crate::analysis::overlap::Findings;
use crate::analysis::rules::{Rules, Severity};
use crate::model::catalog::Catalog;
use crate::model::style::Styles;

/// Page width in pixels (A4 landscape at 96 dpi).
pub const PAGE_W: f32 = 1123.0;
/// Page height in pixels (A4 landscape at 96 dpi).
pub const PAGE_H: f32 = 794.0;
/// Page margin in pixels.
pub const MARGIN: f32 = 36.0;
/// Text colour.
pub const INK: Rgba = [20, 20, 20, 255];

/// m² in one 亩 (1 亩 = 10 000 / 15 m²).
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// m² to 亩.
pub fn mu(m2: f64) -> f64 {
    m2 / M2_PER_MU
}

/// How much the report holds at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Errors and warnings with a page of their own.
    pub finding_pages: usize,
    /// Rows of the table of the other errors and warnings.
    pub table_rows: usize,
    /// Surveyed mining rights whose conformance is given.
    pub conformance: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            finding_pages: 100,
            table_rows: 1500,
            conformance: 300,
        }
    }
}

/// What a report is made of.
pub struct CheckReport<'a> {
    /// The layers checked (bundled and loaded).
    pub catalog: &'a Catalog,
    /// Their symbology.
    pub styles: &'a Styles,
    /// The analysis's findings (sorted and indexed, as the analysis leaves them).
    pub findings: &'a Findings,
    /// The rules the analysis ran with.
    pub rules: &'a Rules,
    /// Where the rules came from (the built-in table or the user's file), in words.
    pub rules_source: &'a str,
    /// The date line (YYYY-MM-DD).
    pub date: &'a str,
    /// The caps.
    pub limits: Limits,
}

/// Which findings get a page and which are tabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Errors and warnings in all.
    pub ranked: usize,
    /// Indices into the findings that get a page, in page order.
    pub pages: Vec<usize>,
    /// Indices of the rest, tabled, in order.
    pub rest: Vec<usize>,
    /// Errors and warnings neither paged nor tabled.
    pub rest_omitted: usize,
    /// The cap on pages.
    pub page_cap: usize,
}

/// Rank the errors and warnings (errors first, then by area, largest first) and cut.
pub fn select(findings: &Findings, limits: Limits) -> Selection {
    let mut ranked: Vec<usize> = [Severity::Error, Severity::Warning]
        .into_iter()
        .flat_map(|s| findings.range_of(s))
        .collect();
    ranked.sort_by(|&x, &y| {
        let (fx, fy) = (&findings.findings[x], &findings.findings[y]);
        fx.severity
            .cmp(&fy.severity)
            .then(fy.area_m2.total_cmp(&fx.area_m2))
            .then(x.cmp(&y))
    });
    let total = ranked.len();
    let pages: Vec<usize> = ranked.iter().copied().take(limits.finding_pages).collect();
    let rest: Vec<usize> = ranked
        .iter()
        .copied()
        .skip(pages.len())
        .take(limits.table_rows)
        .collect();
    Selection {
        ranked: total,
        rest_omitted: total - pages.len() - rest.len(),
        pages,
        rest,
        page_cap: limits.finding_pages,
    }
}

pub use crate::output::feature_label;

/// A blank page whose text is kept as text.
fn new_page() -> SvgSurface {
    let mut s =
        SvgSurface::new(PAGE_W as u32, PAGE_H as u32, Some(super::A4_MM)).with_text_elements();
    s.fill_all([255, 255, 255, 255]);
    s
}

/// The footer line at the bottom of a page.
fn page_footer(s: &mut dyn Surface, text: &str) {
    draw_text(s, text, MARGIN, PAGE_H - MARGIN + 8.0, 10.0, flow::GREY);
}

/// How many pages of each part a report has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageCounts {
    /// The cover (1).
    pub cover: usize,
    /// The summary and the table of the other findings.
    pub summary: usize,
    /// One per paged finding.
    pub findings: usize,
    /// The conformance verdicts.
    pub conformance: usize,
}

impl PageCounts {
    /// All pages.
    pub fn total(&self) -> usize {
        self.cover + self.summary + self.findings + self.conformance
    }
}

/// Make the report: the PDF's bytes and how many pages each part has.
pub fn render(r: &CheckReport<'_>) -> Result<(Vec<u8>, PageCounts), String> {
    let mut book = PdfBook::new();
    let mut counts = PageCounts::default();
    let footer = format!("洮南市矿产资源规划 合规检查报告 · {}", r.date);
    let schematic = r.catalog.layers.iter().any(|l| l.schematic_count() > 0);
    let map_footer = if schematic {
        format!("{footer} · {}", super::SCHEMATIC_NOTE)
    } else {
        footer.clone()
    };
    let mut add = |svg: String| book.add_svg_page(&svg, super::A4_MM);
    counts.cover = flow::paginate(&sections::cover(r), "合规检查报告", &footer, 1, &mut add)?;
    let sel = select(r.findings, r.limits);
    counts.summary = flow::paginate(
        &sections::summary(r, &sel),
        "检查结果汇总",
        &footer,
        usize::MAX,
        &mut add,
    )?;
    let total = sel.pages.len();
    for (n, &i) in sel.pages.iter().enumerate() {
        let Some(f) = r.findings.findings.get(i) else {
            continue;
        };
        let mut s = new_page();
        finding_page::draw(&mut s, r, f, n + 1, total)?;
        page_footer(&mut s, &map_footer);
        add(s.finish())?;
        counts.findings += 1;
    }
    let verdicts = conformance::all(r.catalog, r.findings);
    let omitted = verdicts.len().saturating_sub(r.limits.conformance);
    let shown = &verdicts[..verdicts.len() - omitted];
    counts.conformance = flow::paginate(
        &sections::conformance(r.catalog, shown, omitted),
        "采矿权规划符合性",
        &footer,
        usize::MAX,
        &mut add,
    )?;
    Ok((book.finish("洮南市矿产资源规划 合规检查报告"), counts))
}

/// Where the rules in force come from, in words: the user's `rules.toml` in `config_dir` when
/// it is there and reads, else the built-in table.
pub fn rules_source(config_dir: Option<&Path>) -> String {
    let (_, note) = Rules::load_from(config_dir);
    match config_dir.map(|d| d.join("rules.toml")) {
        Some(p) if p.is_file() && note.is_none() => format!("规则文件：{}", p.display()),
        _ => match note {
            // The report is worded in Chinese.
            Some(n) => format!("内置规则（{}）", n.in_lang(crate::text::Lang::Zh)),
            None => "内置规则（assets/rules.toml）".into(),
        },
    }
}

/// Write the report to `path`: refused when the file exists and `force` is false; written
/// under a temporary name beside it and renamed, so a reader never sees half a file.
pub fn write(
    r: &CheckReport<'_>,
    path: &Path,
    force: bool,
) -> Result<PageCounts, crate::text::Text> {
    let p = path.display();
    if path.exists() && !force {
        return Err(crate::text!(
            "{p}：文件已存在，加 --force 覆盖",
            "{p}: the file exists; --force overwrites it"
        ));
    }
    // The renderer's and the system's messages have one wording.
    let (bytes, counts) = render(r).map_err(crate::text::Text::same)?;
    write_atomic(path, &bytes).map_err(crate::text::Text::same)?;
    Ok(counts)
}

/// Write `bytes` to a temporary file beside `path`, then rename it onto `path`.
///
/// Merge note: a private helper; the shared atomic-write module (fmt-out branch) replaces it.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::overlap::Finding;
    use crate::model::catalog::FeatureRef;

    fn finding(severity: Severity, a: usize, area_m2: f64) -> Finding {
        Finding {
            severity,
            rule: crate::analysis::overlap::RuleKind::SameLayer,
            relation: "test".into(),
            a: FeatureRef {
                layer: 0,
                feature: a,
            },
            b: None,
            area_m2,
            geometry: None,
        }
    }

    #[test]
    fn errors_then_warnings_largest_first_and_the_rest_cut() {
        let mut f = Findings::default();
        f.findings = vec![
            finding(Severity::Info, 0, 9e9),
            finding(Severity::Warning, 1, 50.0),
            finding(Severity::Error, 2, 10.0),
            finding(Severity::Warning, 3, 70.0),
            finding(Severity::Error, 4, 20.0),
            finding(Severity::Warning, 5, 60.0),
        ];
        f.index();
        let limits = Limits {
            finding_pages: 3,
            table_rows: 2,
            conformance: 1,
        };
        let sel = select(&f, limits);
        let order =
            |v: &[usize]| -> Vec<usize> { v.iter().map(|&i| f.findings[i].a.feature).collect() };
        assert_eq!(sel.ranked, 5, "information is not ranked");
        assert_eq!(order(&sel.pages), vec![4, 2, 3]);
        assert_eq!(order(&sel.rest), vec![5, 1]);
        assert_eq!(sel.rest_omitted, 0);
        let sel = select(
            &f,
            Limits {
                table_rows: 1,
                ..limits
            },
        );
        assert_eq!(sel.rest_omitted, 1);
    }

    #[test]
    fn mu_is_a_fifteenth_of_a_hectare() {
        assert!((mu(10_000.0) - 15.0).abs() < 1e-9);
        assert!((mu(666.666_666_7) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_close_up_shows_the_overlap_with_room_and_a_minimum_width() {
        use finding_page::close_up_extent;
        let tiny = geo::Rect::new((122.8, 45.3), (122.800_01, 45.300_01));
        let e = close_up_extent(tiny, 300.0);
        // At least 300 m across each way (1° of latitude ≈ 111 km).
        assert!(e.height() * 110_574.0 >= 299.9, "{e:?}");
        assert!(geo::Contains::contains(&e, &tiny));
        let big = geo::Rect::new((122.8, 45.3), (122.9, 45.35));
        let e = close_up_extent(big, 300.0);
        assert!((e.width() - 0.3).abs() < 1e-9 && (e.height() - 0.15).abs() < 1e-9);
    }

    #[test]
    fn text_wraps_and_cuts_within_the_width() {
        use super::super::text::text_width;
        let t = "洮南市矿产资源规划合规检查报告".repeat(6);
        let lines = flow::wrap(&t, 13.0, 200.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| text_width(l, 13.0) <= 200.0 + 0.01));
        assert_eq!(lines.concat(), t);
        let cut = flow::fit(&t, 13.0, 120.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 13.0) <= 120.01,
            "{cut}"
        );
        assert_eq!(flow::fit("短", 13.0, 120.0), "短");
    }

    #[test]
    fn the_pages_keep_their_text_as_text() {
        let mut s = new_page();
        draw_text(&mut s, "甲<乙", 10.0, 20.0, 12.0, INK);
        let doc = s.finish();
        assert!(doc.contains(">甲&lt;乙</text>"), "{doc}");
        assert!(doc.contains("font-family=\"Noto Sans CJK SC\""));
    }

    #[test]
    fn an_atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("taonan-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("报告.pdf");
        write_atomic(&path, b"one").expect("write");
        write_atomic(&path, b"two").expect("replace");
        assert_eq!(std::fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .expect("list")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
