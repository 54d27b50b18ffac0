//! The command line front end: `taonan-map info [--json] [--features] [FILES…]`.
//! Messages are worded in the language of `--lang zh|en` (Chinese when not given), taken out
//! of the arguments first by [`take_lang`].
//!
//! - [`convert`]: `convert INPUT OUTPUT` and `check --out FILE` (files written).

pub mod convert;

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

/// Usage text in English (`--lang en`).
pub const USAGE: &str = "\
taonan-map — Taonan mineral-resources plan viewer (洮南市矿产资源规划图)

USAGE (every command also takes --lang zh|en: the language of its messages and reports,
Chinese by default):
  taonan-map [FILES…]                          open the viewer (files load on top of the plan)
  taonan-map info [--json] [--features] [READ OPTIONS] [FILES…]
                                               print every loaded layer (name, role, source,
                                               CRS, encoding, counts, extent); --features adds
                                               every feature's attributes, area and centroid
  taonan-map check [--json] [--report FILE.pdf] [--out FILE] [--force] [READ OPTIONS] [FILES…]
                                               overlap and plan-conformance findings for the
                                               bundled layers plus FILES; exit status 1 when any
                                               error-level (错误) finding exists, 3 when a file
                                               could not be loaded; --report also writes a PDF
                                               check report (cover, summary, a page per error
                                               and warning up to 100, conformance; exit 4 when
                                               it cannot be written); --out writes the findings
                                               by extension: .csv (UTF-8 with BOM), .xlsx
                                               (findings + conformance sheets),
                                               .geojson/.shp/.kml/.gpkg (the overlap polygons;
                                               exit 2 when it cannot be written); an existing
                                               file is replaced only with --force
  taonan-map convert INPUT OUTPUT [--to-crs EPSG] [--encoding GBK|UTF-8] [--force]
                   [--crs EPSG] [--in-encoding NAME] [--swap-xy]
                                               write a layer (a file, or bundled:NAME for a
                                               bundled plan layer, e.g. bundled:mining_blocks)
                                               as OUTPUT.shp (+.shx .dbf .prj .cpg; DBF in GBK
                                               unless --encoding UTF-8), .geojson, .kml or
                                               .gpkg; --to-crs 4490 (default, CGCS2000
                                               lon/lat), 4326, 4529 (GK zone 41) or another
                                               CGCS2000 GK zone (4491–4554; not for GeoJSON or
                                               KML); provenance kept in SJXZ/SJLY; an existing
                                               file is replaced only with --force
  taonan-map export --out FILE.png|FILE.svg
                   [--width PX --height PX | --paper a4|a3 --dpi N [--portrait]]
                   [--title TEXT] [--extent taonan|MINLON,MINLAT,MAXLON,MAXLAT]
                   [--layout map|report] [--basemap ID|FILE|URL | --no-basemap]
                   [--labels FIELD|name] [READ OPTIONS] [FILES…]
                                               render the map (or a report page with title,
                                               legend, scale bar, north arrow and frame) to a
                                               PNG without a window; FILE.svg (any case)
                                               writes SVG instead: paths, text as outlines,
                                               sharp at any size, sized in mm with --paper,
                                               else px (its viewBox is the pixels). The
                                               basemap (default osm; also opentopomap, amap,
                                               tianditu-vec|img|ter, an .mbtiles/.pmtiles
                                               file, a {z}/{x}/{y} folder or an http(s)
                                               template) comes from the network or the tile
                                               cache; what was missing is said in the
                                               attribution line; --labels labels the FILES'
                                               features by FIELD (name: their display name),
                                               placed as in the window (none overlap)
  taonan-map --help | --version

FILES: shapefiles (.shp), zips of them, GeoPackages (.gpkg, every feature table), CAD
  drawings (.dxf, CRS guessed from the numbers), GeoJSON (.geojson/.json), KML/KMZ,
  corner-coordinate lists (.txt/.csv, 拐点坐标). A file whose CRS cannot be decided is listed
  unplaced (crs null) until --crs is given.
READ OPTIONS (for every FILE): --crs EPSG (instead of the .prj or the guess),
  --encoding NAME (GBK, UTF-8, GB18030 …), --swap-xy (X and Y are swapped in the file),
  --table NAME (only this feature table of a GeoPackage; repeatable),
  --transform FILE (a local grid's four- or seven-parameter transform, TOML, typed in or
  solved from control points: see docs/transform.md),
  --plan FILE (repeatable, one per layer of the plan database 规划数据库: its zones replace
  the schematic ones, matched by code, else by name; info --json shows the matching)
";

/// Usage text in Chinese (the default).
pub const USAGE_ZH: &str = "\
taonan-map — 洮南市矿产资源规划图

用法（每个命令都可加 --lang zh|en：消息与报告的语言，默认中文）：
  taonan-map [文件…]                           打开窗口（文件载入到规划图层之上）
  taonan-map info [--json] [--features] [读取选项] [文件…]
                                               列出载入的每个图层（名称、角色、来源、坐标系、
                                               编码、数量、范围）；--features 另列每个要素的
                                               属性、面积和中心
  taonan-map check [--json] [--report 文件.pdf] [--out 文件] [--force] [读取选项] [文件…]
                                               内置图层加上所给文件的叠加检查与规划符合性
                                               结果；有错误级结果时退出码为 1，有文件无法载入
                                               时为 3；--report 另写出 PDF 检查报告（封面、
                                               汇总、每个错误和警告一页，最多 100 页，符合性；
                                               无法写出时退出码为 4）；--out 按扩展名写出检查
                                               结果：.csv（带 BOM 的 UTF-8）、.xlsx（结果与
                                               符合性两个工作表）、.geojson/.shp/.kml/.gpkg
                                               （重叠部分的多边形；无法写出时退出码为 2）；
                                               已有文件只在加 --force 时替换
  taonan-map convert 输入 输出 [--to-crs EPSG] [--encoding GBK|UTF-8] [--force]
                   [--crs EPSG] [--in-encoding 编码] [--swap-xy]
                                               把一个图层（文件，或内置规划图层
                                               bundled:名称，如 bundled:mining_blocks）写成
                                               输出.shp（及 .shx .dbf .prj .cpg；DBF 默认 GBK，
                                               --encoding UTF-8 时为 UTF-8）、.geojson、.kml 或
                                               .gpkg；--to-crs 4490（默认，CGCS2000 经纬度）、
                                               4326、4529（高斯-克吕格 41 带）或其他 CGCS2000
                                               高斯-克吕格带（4491–4554；GeoJSON 与 KML 不可）；
                                               数据来源保存在 SJXZ/SJLY；已有文件只在加
                                               --force 时替换
  taonan-map export --out 文件.png|文件.svg
                   [--width 像素 --height 像素 | --paper a4|a3 --dpi N [--portrait]]
                   [--title 标题] [--extent taonan|最小经度,最小纬度,最大经度,最大纬度]
                   [--layout map|report] [--basemap 底图|文件|网址 | --no-basemap]
                   [--labels 字段|name] [读取选项] [文件…]
                                               不开窗口把地图（或带标题、图例、比例尺、
                                               指北针和图框的报告页）画成 PNG；文件名以 .svg
                                               结尾（大小写均可）则写 SVG：路径、文字转为轮廓，
                                               任意缩放都清晰，给 --paper 时以毫米为单位，否则
                                               以像素为单位（viewBox 即像素）。底图（默认 osm；
                                               还有 opentopomap、amap、tianditu-vec|img|ter、
                                               .mbtiles/.pmtiles 文件、{z}/{x}/{y} 文件夹或
                                               http(s) 地址模板）来自网络或瓦片缓存，缺了什么
                                               在署名行中说明；--labels 按字段（name：显示
                                               名称）标注所给文件的要素，摆放方式与窗口相同
                                               （互不重叠）
  taonan-map --help | --version

文件：shapefile（.shp）及其 zip 压缩包、GeoPackage（.gpkg，每个要素表）、CAD 图形
  （.dxf，坐标系由数值推测）、GeoJSON（.geojson/.json）、KML/KMZ、拐点坐标表
  （.txt/.csv）。无法确定坐标系的文件列为未定位（crs 为 null），直到给出 --crs。
读取选项（对每个文件）：--crs EPSG（代替 .prj 或推测），--encoding 编码（GBK、UTF-8、
  GB18030 …），--swap-xy（文件中 X 与 Y 颠倒），--table 表名（只读 GeoPackage 的这个
  要素表；可重复），--transform 文件（矿区独立坐标的四参数或七参数转换，TOML，直接给出
  参数或由控制点求解：见 docs/transform.md），--plan 文件（可重复，规划数据库每层一个：
  其中的规划区按编号、否则按名称匹配，代替示意位置；info --json 显示匹配结果）
";

/// The usage text in `lang`.
pub fn usage(lang: Lang) -> &'static str {
    lang.t(USAGE_ZH, USAGE)
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

/// The labels of an export's layers: the FILES' layers (role `Loaded`) labelled by `field`
/// (`name` or `名称`: the display name) when one is given; the others as their role has them.
fn export_labels(
    catalog: &crate::model::catalog::Catalog,
    field: Option<&str>,
) -> Vec<Option<crate::model::style::LabelStyle>> {
    catalog
        .layers
        .iter()
        .map(|l| {
            let field = field.filter(|_| l.role == crate::model::LayerRole::Loaded)?;
            Some(crate::model::style::LabelStyle {
                on: true,
                field: (!matches!(field, "name" | "名称")).then(|| field.to_owned()),
                ..Default::default()
            })
        })
        .collect()
}

/// Run the `export` command: a PNG, or an SVG when `--out` is named `….svg`; returns the exit
/// code (0, 1 when a file failed or the image could not be written).
#[allow(
    clippy::too_many_lines,
    reason = "the export command's steps in order (read, extent, basemap, draw, write), each a call"
)]
pub fn export(spec: &ExportSpec, lang: Lang) -> i32 {
    let (catalog, _notes, errors, plan) =
        catalog_with_plan(&spec.files, &spec.opts.plan, &spec.opts);
    for e in &errors {
        say_error(lang, e);
    }
    let extent = match spec.extent {
        Some([a, b, c, d]) => geo::Rect::new((a, b), (c, d)),
        None => match catalog
            .layers
            .iter()
            .find(|l| l.role == crate::model::LayerRole::Boundary)
            .and_then(|l| l.extent())
        {
            Some(r) => r,
            None => {
                say_error(
                    lang,
                    &Text::fixed(
                        "没有可供定位地图的市界图层；请给出 --extent",
                        "no boundary layer to fit the map to; give --extent",
                    ),
                );
                return 1;
            }
        },
    };
    let visible = vec![true; catalog.layers.len()];
    let styles = crate::model::style::Styles::builtin()
        .with_layer_labels(export_labels(&catalog, spec.labels.as_deref()));
    let service = match spec.basemap.as_deref().map(export_basemap).transpose() {
        Ok(s) => s.flatten(),
        Err(e) => {
            say_error(lang, &e);
            return 2;
        }
    };
    let map = crate::render::MapImage {
        width: spec.width,
        height: spec.height,
        extent,
        visible: &visible,
        scale: spec.dpi / 96.0,
        basemap: service.as_ref().map(|s| {
            (
                s,
                std::time::Instant::now() + std::time::Duration::from_secs(60),
            )
        }),
    };
    let date = report_date();
    let sources = report_sources(plan.as_ref());
    let page = if spec.report {
        crate::render::Page::Report(crate::render::Report {
            map,
            dpi: spec.dpi,
            title: &spec.title,
            date: &date,
            sources: &sources,
        })
    } else {
        crate::render::Page::Map(map)
    };
    let format = crate::render::Format::of_path(&spec.out);
    let result = crate::render::encode(&catalog, &styles, &page, format, spec.paper_mm);
    match result.and_then(|bytes| {
        // Atomic: a complete image or none (an existing image is replaced, as before).
        crate::io::write::atomic::write_file(&spec.out, &bytes, true)
            .map_err(|e| e.in_lang(lang).to_owned())
    }) {
        Ok(()) => {
            let schematic = catalog.layers.iter().any(|l| l.schematic_count() > 0);
            let basemap = match (&service, lang) {
                (Some(s), Lang::Zh) => format!(
                    "底图 {}（{}）",
                    s.spec().name_zh,
                    s.status().note(true).unwrap_or_else(|| "正常".into())
                ),
                (Some(s), Lang::En) => format!(
                    "basemap {} ({})",
                    s.spec().name_en,
                    s.status().note(false).unwrap_or_else(|| "ok".into())
                ),
                (None, _) => lang.t("无底图", "no basemap").to_owned(),
            };
            let (out, w, h) = (spec.out.display(), spec.width, spec.height);
            let wrote = crate::text!(
                "已写出 {out}（{w}×{h}）；{basemap}",
                "wrote {out} ({w}×{h}); {basemap}"
            );
            let note = Text::fixed(
                "；图中规划区块位置为示意",
                "; plan zone positions are schematic",
            );
            println!(
                "{}{}",
                wrote.in_lang(lang),
                if schematic { note.in_lang(lang) } else { "" }
            );
            if errors.is_empty() { 0 } else { 1 }
        }
        Err(e) => {
            // Already worded (the file's error), or the renderer's own message.
            say_error(lang, &Text::same(e));
            1
        }
    }
}

/// The report page's sources line; with the plan database applied, it names the database as
/// the zones' geometry.
fn report_sources(plan: Option<&crate::plan::database::AppliedPlan>) -> String {
    match plan {
        Some(a) => format!(
            "{}；规划区块图形：规划数据库（{}）",
            crate::render::REPORT_SOURCES,
            a.database
                .files
                .iter()
                .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join("、")
        ),
        None => crate::render::REPORT_SOURCES.to_owned(),
    }
}

/// The fetcher for an export's basemap: `arg` is a basemap id, an offline tile file or folder,
/// or an http(s) XYZ template. Tiles come from the network (with timeouts) or the user's tile
/// cache; a tile that cannot be had is left out and the attribution line says so.
pub fn export_basemap(arg: &str) -> Result<Option<crate::tiles::TileService>, Text> {
    let config = crate::user_config::default_dir()
        .map(|d| crate::user_config::UserConfig::load(&d).0)
        .unwrap_or_default();
    let spec = if arg.starts_with("http://") || arg.starts_with("https://") {
        Some(crate::tiles::BasemapSpec::custom_xyz(arg))
    } else if std::path::Path::new(arg).exists() {
        Some(crate::tiles::BasemapSpec::local(std::path::Path::new(arg))?)
    } else {
        config.basemap(arg)?
    };
    Ok(spec.map(|spec| crate::tiles::TileService::start(spec, config.tile_options(false), || ())))
}

/// Today's date (UTC) as YYYY-MM-DD, for the report's date line.
pub fn report_date() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
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
