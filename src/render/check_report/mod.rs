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
use crate::model::catalog::{Catalog, FeatureRef};
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
            finding_pages: 200,
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

/// A feature as the report names it: layer「name」, with ［示意］ for a schematic one.
pub fn feature_label(catalog: &Catalog, r: FeatureRef) -> String {
    let layer = catalog
        .layers
        .get(r.layer)
        .map(|l| l.name_zh.as_str())
        .unwrap_or("?");
    let f = catalog.feature(r);
    let tag = if f.is_some_and(|f| f.is_schematic()) {
        "［示意］"
    } else {
        ""
    };
    format!(
        "{layer}「{}」{tag}",
        f.map(|f| f.display_name(r.feature)).unwrap_or_default()
    )
}

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
            Some(n) => format!("内置规则（{n}）"),
            None => "内置规则（assets/rules.toml）".into(),
        },
    }
}

/// Write the report to `path`: refused when the file exists and `force` is false; written
/// under a temporary name beside it and renamed, so a reader never sees half a file.
pub fn write(r: &CheckReport<'_>, path: &Path, force: bool) -> Result<PageCounts, String> {
    if path.exists() && !force {
        return Err(format!(
            "{}：文件已存在，加 --force 覆盖 / the file exists; --force overwrites it",
            path.display()
        ));
    }
    let (bytes, counts) = render(r)?;
    write_atomic(path, &bytes)?;
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
