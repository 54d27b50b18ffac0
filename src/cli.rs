//! The command line front end: `taonan-map info [--json] [--features] [FILES…]`.
//! Messages are worded in the language of `--lang zh|en` (Chinese when not given), taken out
//! of the arguments first by [`take_lang`].
//!
//! - [`convert`]: `convert INPUT OUTPUT` and `check --out FILE` (files written).
//! - `export`: the `export` command ([`export()`], [`export_basemap`], [`report_date`]).
//! - `usage`: the usage text in both languages ([`usage()`]).

pub mod convert;
mod export;
mod usage;

pub use export::{export, export_basemap, report_date};
pub use usage::{USAGE, USAGE_ZH, usage};

use std::path::PathBuf;

use crate::io::loader::LoadOptions;
use crate::output;
use crate::plan::bundled::catalog_with_plan;
use crate::text;
use crate::text::{Lang, Text};

/// The language of the command line's messages: the value of `--lang zh|en` (or
/// `--lang=zh|en`) anywhere among `args`, which is taken out of them; Chinese when not given.
pub fn take_lang(args: &mut Vec<String>) -> Result<Lang, String> {
    let mut lang = Lang::default();
    let mut i = 0;
    while i < args.len() {
        let value = match args[i].as_str() {
            "--lang" => {
                let v = args.get(i + 1).cloned();
                args.drain(i..(i + 2).min(args.len()));
                v
            }
            a if a.starts_with("--lang=") => {
                let v = a.trim_start_matches("--lang=").to_owned();
                args.remove(i);
                Some(v)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        lang = value.as_deref().and_then(Lang::from_key).ok_or_else(|| {
            // Both languages on purpose: the language is not known yet.
            format!(
                "--lang 只能是 zh 或 en / --lang takes zh or en{}",
                value.map(|v| format!(" (not {v:?})")).unwrap_or_default()
            )
        })?;
    }
    Ok(lang)
}

/// An unknown option, with the usage.
pub(crate) fn unknown_option(s: &str) -> Text {
    text!(
        "未知选项 {s}\n\n{USAGE_ZH}",
        "unknown option {s}\n\n{USAGE}"
    )
}

/// `--extent` given something other than four numbers.
fn four_numbers(v: &str) -> Text {
    text!("--extent {v}：需要四个数字", "--extent {v}: four numbers")
}

/// An error on stderr, worded in `lang`.
pub(crate) fn say_error(lang: Lang, message: &Text) {
    eprintln!("{}{}", lang.t("错误：", "error: "), message.in_lang(lang));
}

/// A note on stderr, worded in `lang`.
pub(crate) fn say_note(lang: Lang, message: &Text) {
    eprintln!("{}{}", lang.t("注意：", "note: "), message.in_lang(lang));
}

/// The read options every command takes: how to read each file ([`LoadOptions`], which this
/// dereferences to) and the plan database's files (`--plan FILE`, repeatable: one per layer of
/// the database), read with the same options and applied in place of the schematic zones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// `--crs`, `--encoding`, `--swap-xy`.
    pub load: LoadOptions,
    /// `--plan FILE`, in the order given.
    pub plan: Vec<PathBuf>,
}

impl std::ops::Deref for ReadOptions {
    type Target = LoadOptions;
    fn deref(&self) -> &LoadOptions {
        &self.load
    }
}

impl std::ops::DerefMut for ReadOptions {
    fn deref_mut(&mut self) -> &mut LoadOptions {
        &mut self.load
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open the window, with these files loaded on top of the bundled layers.
    Gui(Vec<PathBuf>),
    /// Print the layer report.
    Info {
        /// JSON instead of text.
        json: bool,
        /// Include every feature.
        features: bool,
        /// Extra files.
        files: Vec<PathBuf>,
        /// How to read them (and the plan database).
        opts: ReadOptions,
    },
    /// Run the overlap and conformance checks.
    Check {
        /// JSON instead of text.
        json: bool,
        /// Extra files.
        files: Vec<PathBuf>,
        /// How to read them (and the plan database).
        opts: ReadOptions,
        /// `--report FILE.pdf [--force]`: also write the PDF check report.
        report: Option<ReportOut>,
        /// `--out FILE`: the findings also written to a file (CSV, xlsx, GeoJSON, shp, KML,
        /// GeoPackage by its extension).
        out: Option<PathBuf>,
        /// `--force`: `--out` may replace an existing file.
        force: bool,
    },
    /// Write a layer to another format (`convert`).
    Convert(convert::ConvertSpec),
    /// Render the map to a PNG or SVG file.
    Export(ExportSpec),
    /// Print usage.
    Help,
    /// Print the version.
    Version,
}

/// Where `check --report` writes the PDF, and whether it may replace a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOut {
    /// The PDF file.
    pub path: PathBuf,
    /// Replace an existing file (`--force`).
    pub force: bool,
}

/// What `export` was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSpec {
    /// Output file: SVG when it is named `….svg` (any letter case), else PNG.
    pub out: PathBuf,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Dots per inch (report layout: text and lines follow it).
    pub dpi: f32,
    /// The paper's width and height in millimetres (`--paper`, after `--portrait`): an SVG's
    /// size on paper. `None`: the SVG's size is the pixels.
    pub paper_mm: Option<(f32, f32)>,
    /// Extent: None = the Taonan boundary.
    pub extent: Option<[f64; 4]>,
    /// The report layout (title, legend, scale bar …) instead of the map alone.
    pub report: bool,
    /// The report's title.
    pub title: String,
    /// Extra files.
    pub files: Vec<PathBuf>,
    /// How to read them (and the plan database).
    pub opts: ReadOptions,
    /// The basemap: a basemap id, an offline tile file or folder, or an XYZ URL template
    /// (`None`: no basemap).
    pub basemap: Option<String>,
    /// `--labels FIELD`: label the FILES' layers by this field (`name`: the display name);
    /// `None`: the FILES are not labelled (the bundled seats and counties always are).
    pub labels: Option<String>,
}

/// Parse arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Command, Text> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        None => Ok(Command::Gui(Vec::new())),
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("-V" | "--version") => Ok(Command::Version),
        Some("convert") => convert::parse(it).map(Command::Convert),
        Some(cmd @ ("info" | "check")) => {
            let (mut json, mut features, mut files) = (false, false, Vec::new());
            let (mut report, mut out, mut force) = (None, None, false);
            let mut opts = ReadOptions::default();
            let mut rest = it.peekable();
            while let Some(a) = rest.next() {
                match a.as_str() {
                    "--json" => json = true,
                    "--features" if cmd == "info" => features = true,
                    "--report" if cmd == "check" => {
                        report = Some(PathBuf::from(rest.next().ok_or(Text::fixed(
                            "--report 需要文件名，例如 --report 报告.pdf",
                            "--report needs a file, e.g. --report 报告.pdf",
                        ))?));
                    }
                    "--out" if cmd == "check" => {
                        out = Some(PathBuf::from(rest.next().ok_or(Text::fixed(
                            "--out 需要文件名",
                            "--out needs a file name",
                        ))?));
                    }
                    "--force" if cmd == "check" => force = true,
                    s if read_option(s, &mut rest, &mut opts)? => {}
                    s if s.starts_with("--") => {
                        return Err(unknown_option(s));
                    }
                    s => files.push(PathBuf::from(s)),
                }
            }
            Ok(if cmd == "info" {
                Command::Info {
                    json,
                    features,
                    files,
                    opts,
                }
            } else {
                Command::Check {
                    json,
                    files,
                    opts,
                    report: report.map(|path| ReportOut { path, force }),
                    out,
                    force,
                }
            })
        }
        Some("export") => parse_export(it),
        Some(s) if s.starts_with('-') => Err(unknown_option(s)),
        Some(_) => Ok(Command::Gui(args.iter().map(PathBuf::from).collect())),
    }
}

/// The read options every command takes (`--crs EPSG`, `--encoding NAME`, `--swap-xy`,
/// `--table NAME`, `--plan FILE`): when `arg` is one, its value is taken from `rest` into
/// `opts` and the answer is true.
pub(crate) fn read_option<'a>(
    arg: &str,
    rest: &mut impl Iterator<Item = &'a String>,
    opts: &mut ReadOptions,
) -> Result<bool, Text> {
    match arg {
        "--swap-xy" => opts.swap_xy = Some(true),
        "--table" => {
            let v = rest.next().ok_or(Text::fixed(
                "--table 需要表名，例如 --table 地块",
                "--table needs a table name, e.g. --table 地块",
            ))?;
            opts.tables.get_or_insert_with(Vec::new).push(v.clone());
        }
        "--plan" => opts.plan.push(PathBuf::from(rest.next().ok_or(Text::fixed(
            "--plan 需要规划数据库的文件，例如 --plan 重点开采区.shp",
            "--plan needs a file of the plan database, e.g. --plan 重点开采区.shp",
        ))?)),
        "--crs" => {
            let v = rest.next().ok_or(Text::fixed(
                "--crs 需要 EPSG 代码，例如 --crs 4529",
                "--crs needs an EPSG code, e.g. --crs 4529",
            ))?;
            let code = v.trim_start_matches("EPSG:").trim_start_matches("epsg:");
            opts.epsg =
                Some(code.parse().map_err(|_| {
                    text!("--crs {v}：不是 EPSG 代码", "--crs {v}: not an EPSG code")
                })?);
        }
        "--transform" => {
            let v = rest.next().ok_or(Text::fixed(
                "--transform 需要文件（四参数或七参数转换，TOML）",
                "--transform needs a file (a four- or seven-parameter transform, TOML)",
            ))?;
            let t = crate::crs::grid_transform::GridTransform::read(std::path::Path::new(v))?;
            opts.transform = Some(std::sync::Arc::new(t.spec));
        }
        "--encoding" => {
            let v = rest.next().ok_or(Text::fixed(
                "--encoding 需要编码名称，例如 --encoding GBK",
                "--encoding needs a name, e.g. --encoding GBK",
            ))?;
            opts.encoding = Some(crate::io::encoding::from_cpg(v).ok_or_else(|| {
                text!(
                    "--encoding {v}：未知的编码",
                    "--encoding {v}: unknown encoding"
                )
            })?);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

#[allow(clippy::too_many_lines, reason = "one match arm per export option")]
fn parse_export<'a>(it: impl Iterator<Item = &'a String>) -> Result<Command, Text> {
    let mut spec = ExportSpec {
        out: PathBuf::new(),
        width: 1600,
        height: 1200,
        dpi: 96.0,
        paper_mm: None,
        extent: None,
        report: false,
        title: "洮南市矿产资源规划图".into(),
        files: Vec::new(),
        opts: ReadOptions::default(),
        basemap: Some("osm".into()),
        labels: None,
    };
    let (mut out, mut paper, mut portrait, mut pixels) = (None, None, false, false);
    let mut rest = it.peekable();
    let num = |v: Option<&String>, what: &str, lo: u32, hi: u32| -> Result<u32, Text> {
        let v = v.ok_or_else(|| text!("{what} 需要数字", "{what} needs a number"))?;
        v.parse::<u32>()
            .ok()
            .filter(|n| (lo..=hi).contains(n))
            .ok_or_else(|| {
                text!(
                    "{what} {v}：应在 {lo} 到 {hi} 之间",
                    "{what} {v}: {lo} to {hi}"
                )
            })
    };
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--out" => {
                out = Some(PathBuf::from(rest.next().ok_or(Text::fixed(
                    "--out 需要文件名",
                    "--out needs a file name",
                ))?))
            }
            "--width" => (spec.width, pixels) = (num(rest.next(), "--width", 16, 20_000)?, true),
            "--height" => (spec.height, pixels) = (num(rest.next(), "--height", 16, 20_000)?, true),
            "--dpi" => spec.dpi = num(rest.next(), "--dpi", 50, 600)? as f32,
            "--paper" => {
                let v = rest.next().ok_or(Text::fixed(
                    "--paper 需要 a4 或 a3",
                    "--paper needs a4 or a3",
                ))?;
                paper =
                    Some(crate::render::paper_mm(v).ok_or_else(|| {
                        text!("--paper {v}：应为 a4 或 a3", "--paper {v}: a4 or a3")
                    })?);
            }
            "--portrait" => portrait = true,
            "--title" => {
                spec.title = rest
                    .next()
                    .ok_or(Text::fixed("--title 需要标题文字", "--title needs a text"))?
                    .clone()
            }
            "--no-basemap" => spec.basemap = None,
            "--labels" => {
                let v = rest.next().ok_or(Text::fixed(
                    "--labels 需要字段名（或 name），例如 --labels XMMC",
                    "--labels needs a field name (or name), e.g. --labels XMMC",
                ))?;
                spec.labels = Some(v.clone());
            }
            "--basemap" => {
                spec.basemap = Some(
                    rest.next()
                        .ok_or(Text::fixed(
                            "--basemap 需要底图标识、文件或网址",
                            "--basemap needs an id, a file or a URL",
                        ))?
                        .clone(),
                )
            }
            "--layout" => match rest.next().map(String::as_str) {
                Some("map") => spec.report = false,
                Some("report") => spec.report = true,
                other => {
                    let v = other.unwrap_or("");
                    return Err(text!(
                        "--layout {v}：应为 map 或 report",
                        "--layout {v}: map or report"
                    ));
                }
            },
            "--extent" => {
                let v = rest.next().ok_or(Text::fixed(
                    "--extent 需要 taonan 或 MINLON,MINLAT,MAXLON,MAXLAT",
                    "--extent needs taonan or MINLON,MINLAT,MAXLON,MAXLAT",
                ))?;
                if v != "taonan" {
                    let n: Vec<f64> = v
                        .split(',')
                        .map(|x| x.trim().parse::<f64>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| four_numbers(v))?;
                    let [a, b, c, d] = n[..] else {
                        return Err(four_numbers(v));
                    };
                    if !(a < c && b < d) {
                        return Err(text!(
                            "--extent {v}：最小值必须小于最大值",
                            "--extent {v}: min must be below max"
                        ));
                    }
                    spec.extent = Some([a, b, c, d]);
                }
            }
            s if read_option(s, &mut rest, &mut spec.opts)? => {}
            s if s.starts_with("--") => return Err(unknown_option(s)),
            s => spec.files.push(PathBuf::from(s)),
        }
    }
    if let Some((w, h)) = paper {
        if pixels {
            return Err(Text::fixed(
                "--paper（配 --dpi）与 --width/--height 只能给出一种",
                "give either --paper (with --dpi) or --width/--height, not both",
            ));
        }
        let (w, h) = if portrait { (h, w) } else { (w, h) };
        spec.paper_mm = Some((w, h));
        spec.width = (w / 25.4 * spec.dpi).round() as u32;
        spec.height = (h / 25.4 * spec.dpi).round() as u32;
    }
    spec.out = out.ok_or(Text::fixed(
        "export 需要 --out 文件.png 或 文件.svg",
        "export needs --out FILE.png or FILE.svg",
    ))?;
    Ok(Command::Export(spec))
}

/// Run the `info` command, worded in `lang`; returns the process exit code (0, or 1 when a
/// file failed).
pub fn info(json: bool, features: bool, files: &[PathBuf], opts: &ReadOptions, lang: Lang) -> i32 {
    let (catalog, problems, errors, plan) = catalog_with_plan(files, &opts.plan, opts);
    if json {
        let mut v = output::to_json(&catalog, &problems, features, lang);
        if let (Some(a), Some(o)) = (&plan, v.as_object_mut()) {
            o.insert(
                "plan_database".into(),
                crate::plan::zone_match::table_json(&a.plan, &a.database, &a.table, lang),
            );
        }
        match serde_json::to_string_pretty(&v) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                say_error(lang, &text!("无法写出 JSON：{e}", "cannot write JSON: {e}"));
                return 1;
            }
        }
    } else {
        print!("{}", output::to_text(&catalog, &problems, features, lang));
        if let Some(a) = &plan {
            print!("{}", output::plan_match_text(a, lang));
        }
    }
    for e in &errors {
        say_error(lang, e);
    }
    if errors.is_empty() { 0 } else { 1 }
}

/// Run the `check` command; returns the exit code: 0 clean (warnings and information allowed),
/// 1 when an error-level finding exists, 3 when a file could not be loaded. Messages are
/// worded in `lang`.
pub fn check(
    json: bool,
    files: &[PathBuf],
    opts: &ReadOptions,
    report_out: Option<&ReportOut>,
    out: Option<&std::path::Path>,
    force: bool,
    lang: Lang,
) -> i32 {
    let (catalog, _problems, errors, _plan) = catalog_with_plan(files, &opts.plan, opts);
    let (rules, rules_note) = crate::analysis::rules::Rules::load_user_or_builtin();
    if let Some(n) = rules_note {
        say_note(lang, &n);
    }
    let findings = crate::analysis::overlap::analyze_catalog(&catalog, |_| true, &rules);
    if json {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if let Err(e) = output::write_findings_json(&mut out, &catalog, &findings) {
            say_error(lang, &text!("无法写出 JSON：{e}", "cannot write JSON: {e}"));
        }
    } else {
        print!("{}", output::findings_text(&catalog, &findings, lang));
    }
    for e in &errors {
        say_error(lang, e);
    }
    if let Some(out) = out
        && let Err(e) = convert::write_check_out(&catalog, &findings, out, force, lang)
    {
        say_error(lang, &e);
        return 2;
    }
    let written = report_out.map(|out| {
        let source =
            crate::render::check_report::rules_source(crate::user_config::default_dir().as_deref());
        write_check_report(&catalog, &findings, &rules, &source, out, lang)
    });
    if written == Some(false) {
        4
    } else if !errors.is_empty() {
        3
    } else if findings.count(crate::analysis::rules::Severity::Error) > 0 {
        1
    } else {
        0
    }
}

/// `check --report`: write the PDF and say where (or why not); false when it was not written.
fn write_check_report(
    catalog: &crate::model::catalog::Catalog,
    findings: &crate::analysis::overlap::Findings,
    rules: &crate::analysis::rules::Rules,
    rules_source: &str,
    out: &ReportOut,
    lang: Lang,
) -> bool {
    let styles = crate::model::style::Styles::builtin();
    let date = report_date();
    let r = crate::render::check_report::CheckReport {
        catalog,
        styles: &styles,
        findings,
        rules,
        rules_source,
        date: &date,
        limits: crate::render::check_report::Limits::default(),
    };
    match crate::render::check_report::write(&r, &out.path, out.force) {
        Ok(c) => {
            let (path, total) = (out.path.display(), c.total());
            let (cover, summary, findings, conformance) =
                (c.cover, c.summary, c.findings, c.conformance);
            let said = crate::text!(
                "检查报告：{path}（{total} 页：封面 {cover}、汇总 {summary}、发现 {findings}、符合性 {conformance}）",
                "check report: {path} ({total} pages: cover {cover}, summary {summary}, findings {findings}, conformance {conformance})"
            );
            eprintln!("{}", said.in_lang(lang));
            true
        }
        Err(e) => {
            say_error(lang, &e);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    /// `info`, `check` and `export` read `--crs`, `--encoding` and `--swap-xy` alike (the usage
    /// offered them for `export`, which refused them).
    #[test]
    fn every_command_takes_the_read_options() {
        let read = "--crs EPSG:4529 --encoding GBK --swap-xy --table 地块 a.shp";
        for cmd in ["info", "check", "export --out m.png"] {
            let opts = match parse(&args(&format!("{cmd} {read}"))) {
                Ok(Command::Info { opts, files, .. }) | Ok(Command::Check { opts, files, .. }) => {
                    assert_eq!(files, vec![PathBuf::from("a.shp")]);
                    opts
                }
                Ok(Command::Export(spec)) => {
                    assert_eq!(spec.files, vec![PathBuf::from("a.shp")]);
                    spec.opts
                }
                Ok(_) => panic!("{cmd}: another command"),
                Err(e) => panic!("{cmd}: {e:?}"),
            };
            assert_eq!(opts.epsg, Some(4529), "{cmd}");
            assert_eq!(opts.encoding, Some(encoding_rs::GBK), "{cmd}");
            assert_eq!(opts.swap_xy, Some(true), "{cmd}");
            assert_eq!(opts.tables, Some(vec!["地块".to_owned()]), "{cmd}");
        }
        assert!(parse(&args("export --out m.png --crs")).is_err());
        assert!(parse(&args("export --out m.png --labels")).is_err());
        match parse(&args("export --out m.png --labels XMMC a.shp")) {
            Ok(Command::Export(spec)) => {
                assert_eq!(spec.labels.as_deref(), Some("XMMC"));
                assert_eq!(spec.files, [PathBuf::from("a.shp")]);
            }
            other => panic!("{other:?}"),
        }
        assert!(parse(&args("info --table")).is_err());
        // --plan is a read option too: repeatable, in order, for every command.
        for cmd in ["info", "check", "export --out m.png"] {
            let plan = match parse(&args(&format!(
                "{cmd} --plan 重点开采区.shp x.shp --plan 开采规划区块.shp"
            ))) {
                Ok(Command::Info { opts, files, .. }) | Ok(Command::Check { opts, files, .. }) => {
                    assert_eq!(files, vec![PathBuf::from("x.shp")]);
                    opts.plan
                }
                Ok(Command::Export(spec)) => spec.opts.plan,
                other => panic!("{cmd}: {other:?}"),
            };
            assert_eq!(
                plan,
                [
                    PathBuf::from("重点开采区.shp"),
                    PathBuf::from("开采规划区块.shp")
                ],
                "{cmd}"
            );
        }
        assert!(parse(&args("info --plan")).is_err());
        assert!(parse(&args("check --encoding 火星文 a.shp")).is_err());
        // Usage errors are worded in both languages, each on its own.
        let e = parse(&args("export --out m.png --extent 1,2")).expect_err("two numbers");
        assert_eq!(e.in_lang(Lang::Zh), "--extent 1,2：需要四个数字");
        assert_eq!(e.in_lang(Lang::En), "--extent 1,2: four numbers");
    }

    #[test]
    fn the_language_is_taken_from_anywhere_among_the_arguments() {
        let mut a = args("info --lang en --json a.shp");
        assert_eq!(take_lang(&mut a), Ok(Lang::En));
        assert_eq!(a, args("info --json a.shp"));
        let mut a = args("--lang=zh check");
        assert_eq!(take_lang(&mut a), Ok(Lang::Zh));
        assert_eq!(a, args("check"));
        let mut a = args("info");
        assert_eq!(take_lang(&mut a), Ok(Lang::Zh), "Chinese by default");
        assert!(take_lang(&mut args("info --lang fr")).is_err());
        assert!(take_lang(&mut args("info --lang")).is_err());
    }
}
