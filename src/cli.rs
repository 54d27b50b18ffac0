//! The command line front end: `taonan-map info [--json] [--features] [FILES…]`.

use std::path::PathBuf;

use crate::bundled::catalog_with;
use crate::loader::LoadOptions;
use crate::report;

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
        /// How to read them.
        opts: LoadOptions,
    },
    /// Run the overlap and conformance checks.
    Check {
        /// JSON instead of text.
        json: bool,
        /// Extra files.
        files: Vec<PathBuf>,
        /// How to read them.
        opts: LoadOptions,
    },
    /// Render the map to a PNG.
    Export {
        /// Output file.
        out: PathBuf,
        /// Image width in pixels.
        width: u32,
        /// Image height in pixels.
        height: u32,
        /// Extent: None = the Taonan boundary.
        extent: Option<[f64; 4]>,
        /// Extra files.
        files: Vec<PathBuf>,
        /// How to read them.
        opts: LoadOptions,
    },
    /// Print usage.
    Help,
    /// Print the version.
    Version,
}

/// Usage text.
pub const USAGE: &str = "\
taonan-map — 洮南市矿产资源规划图 / Taonan mineral-resources plan viewer

USAGE:
  taonan-map [FILES…]                          open the viewer (files load on top of the plan)
  taonan-map info [--json] [--features] [READ OPTIONS] [FILES…]
                                               print every loaded layer (name, role, source,
                                               CRS, encoding, counts, extent); --features adds
                                               every feature's attributes, area and centroid
  taonan-map check [--json] [READ OPTIONS] [FILES…]
                                               overlap and plan-conformance findings for the
                                               bundled layers plus FILES; exit status 1 when any
                                               error-level (错误) finding exists, 3 when a file
                                               could not be loaded
  taonan-map export --out FILE.png [--width PX --height PX]
                   [--extent taonan|MINLON,MINLAT,MAXLON,MAXLAT] [--layout map] [--no-basemap]
                   [READ OPTIONS] [FILES…]
                                               render the map (every layer, in its style) to a
                                               PNG without a window; no basemap yet
  taonan-map --help | --version

FILES: shapefiles (.shp), zips of them, corner-coordinate lists (.txt/.csv, 拐点坐标).
READ OPTIONS (for every FILE): --crs EPSG (instead of the .prj or the guess),
  --encoding NAME (GBK, UTF-8, GB18030 …), --swap-xy (X and Y are swapped in the file)
";

/// Parse arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        None => Ok(Command::Gui(Vec::new())),
        Some("-h" | "--help" | "help") => Ok(Command::Help),
        Some("-V" | "--version") => Ok(Command::Version),
        Some(cmd @ ("info" | "check")) => {
            let (mut json, mut features, mut files) = (false, false, Vec::new());
            let mut opts = LoadOptions::default();
            let mut rest = it.peekable();
            while let Some(a) = rest.next() {
                match a.as_str() {
                    "--json" => json = true,
                    "--features" if cmd == "info" => features = true,
                    "--swap-xy" => opts.swap_xy = Some(true),
                    "--crs" => {
                        let v = rest
                            .next()
                            .ok_or("--crs needs an EPSG code, e.g. --crs 4529")?;
                        let code = v.trim_start_matches("EPSG:").trim_start_matches("epsg:");
                        opts.epsg = Some(
                            code.parse()
                                .map_err(|_| format!("--crs {v}: not an EPSG code"))?,
                        );
                    }
                    "--encoding" => {
                        let v = rest
                            .next()
                            .ok_or("--encoding needs a name, e.g. --encoding GBK")?;
                        opts.encoding = Some(
                            crate::encoding::from_cpg(v)
                                .ok_or_else(|| format!("--encoding {v}: unknown encoding"))?,
                        );
                    }
                    s if s.starts_with("--") => {
                        return Err(format!("unknown option {s}\n\n{USAGE}"));
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
                Command::Check { json, files, opts }
            })
        }
        Some("export") => parse_export(it),
        Some(s) if s.starts_with('-') => Err(format!("unknown option {s}\n\n{USAGE}")),
        Some(_) => Ok(Command::Gui(args.iter().map(PathBuf::from).collect())),
    }
}

fn parse_export<'a>(it: impl Iterator<Item = &'a String>) -> Result<Command, String> {
    let (mut out, mut width, mut height, mut extent) = (None, 1600u32, 1200u32, None);
    let (mut files, opts) = (Vec::new(), LoadOptions::default());
    let mut rest = it.peekable();
    let num = |v: Option<&String>, what: &str| -> Result<u32, String> {
        let v = v.ok_or(format!("{what} needs a number of pixels"))?;
        v.parse::<u32>()
            .ok()
            .filter(|n| (16..=20_000).contains(n))
            .ok_or(format!("{what} {v}: 16 to 20000 pixels"))
    };
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--out" => out = Some(PathBuf::from(rest.next().ok_or("--out needs a file name")?)),
            "--width" => width = num(rest.next(), "--width")?,
            "--height" => height = num(rest.next(), "--height")?,
            "--no-basemap" => {}
            "--layout" => match rest.next().map(String::as_str) {
                Some("map") => {}
                Some(other) => {
                    return Err(format!(
                        "--layout {other}: only the map layout is available so far"
                    ));
                }
                None => return Err("--layout needs map".into()),
            },
            "--extent" => {
                let v = rest
                    .next()
                    .ok_or("--extent needs taonan or MINLON,MINLAT,MAXLON,MAXLAT")?;
                if v != "taonan" {
                    let n: Vec<f64> = v
                        .split(',')
                        .map(|x| x.trim().parse::<f64>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| format!("--extent {v}: four numbers"))?;
                    let [a, b, c, d] = n[..] else {
                        return Err(format!("--extent {v}: four numbers"));
                    };
                    if !(a < c && b < d) {
                        return Err(format!("--extent {v}: min must be below max"));
                    }
                    extent = Some([a, b, c, d]);
                }
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n\n{USAGE}")),
            s => files.push(PathBuf::from(s)),
        }
    }
    let out = out.ok_or("export needs --out FILE.png")?;
    Ok(Command::Export {
        out,
        width,
        height,
        extent,
        files,
        opts,
    })
}

/// Run the `export` command; returns the exit code (0, 1 when a file failed or the image could
/// not be written).
pub fn export(
    out: &std::path::Path,
    width: u32,
    height: u32,
    extent: Option<[f64; 4]>,
    files: &[PathBuf],
    opts: &LoadOptions,
) -> i32 {
    let (catalog, _notes, errors) = catalog_with(files, opts);
    for e in &errors {
        eprintln!("错误 / error: {e}");
    }
    let extent = match extent {
        Some([a, b, c, d]) => geo::Rect::new((a, b), (c, d)),
        None => match catalog
            .layers
            .iter()
            .find(|l| l.role == crate::model::LayerRole::Boundary)
            .and_then(|l| l.extent())
        {
            Some(r) => r,
            None => {
                eprintln!("no boundary layer to fit the map to; give --extent");
                return 1;
            }
        },
    };
    let visible = vec![true; catalog.layers.len()];
    let image = crate::render::MapImage {
        width,
        height,
        extent,
        visible: &visible,
        scale: 1.0,
    };
    let styles = crate::style::Styles::builtin();
    let result = crate::render::render_map(&catalog, &styles, &image).and_then(|p| {
        p.save_png(out)
            .map_err(|e| format!("{}: {e}", out.display()))
    });
    match result {
        Ok(()) => {
            let schematic = catalog.layers.iter().any(|l| l.schematic_count() > 0);
            println!(
                "wrote {} ({width}×{height}); basemap omitted{}",
                out.display(),
                if schematic {
                    "; 图中规划区块位置为示意 / plan zone positions are schematic"
                } else {
                    ""
                }
            );
            if errors.is_empty() { 0 } else { 1 }
        }
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// Run the `info` command; returns the process exit code (0, or 1 when a file failed).
pub fn info(json: bool, features: bool, files: &[PathBuf], opts: &LoadOptions) -> i32 {
    let (catalog, problems, errors) = catalog_with(files, opts);
    if json {
        let v = report::to_json(&catalog, &problems, features);
        match serde_json::to_string_pretty(&v) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("cannot write JSON: {e}");
                return 1;
            }
        }
    } else {
        print!("{}", report::to_text(&catalog, &problems, features));
    }
    for e in &errors {
        eprintln!("错误 / error: {e}");
    }
    if errors.is_empty() { 0 } else { 1 }
}

/// Run the `check` command; returns the exit code: 0 clean (warnings and information allowed),
/// 1 when an error-level finding exists, 3 when a file could not be loaded.
pub fn check(json: bool, files: &[PathBuf], opts: &LoadOptions) -> i32 {
    let (catalog, _problems, errors) = catalog_with(files, opts);
    let (rules, rules_note) = crate::rules::Rules::load_user_or_builtin();
    if let Some(n) = rules_note {
        eprintln!("{n}");
    }
    let findings = crate::overlap::analyze_catalog(&catalog, |_| true, &rules);
    if json {
        match serde_json::to_string_pretty(&report::findings_json(&catalog, &findings)) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("cannot write JSON: {e}"),
        }
    } else {
        print!("{}", report::findings_text(&catalog, &findings));
    }
    for e in &errors {
        eprintln!("错误 / error: {e}");
    }
    if !errors.is_empty() {
        3
    } else if findings.count(crate::rules::Severity::Error) > 0 {
        1
    } else {
        0
    }
}
