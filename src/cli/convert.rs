//! `taonan-map convert INPUT OUTPUT [--to-crs EPSG] [--encoding GBK|UTF-8] [--force]` and
//! `check --out FILE`: layers and findings written to files (see [`crate::io::write`]).

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use crate::io::loader::LoadOptions;
use crate::io::write::{WriteOptions, Written};
use crate::model::Layer;
use crate::text::{Lang, Text};

/// What `convert` was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertSpec {
    /// The file to read (anything the loader opens), or `bundled:NAME` for a bundled plan
    /// layer (its file stem, e.g. `mining_blocks`, or its role key).
    pub input: String,
    /// The file to write; the format by its extension.
    pub output: PathBuf,
    /// EPSG code of the output's CRS (default 4490, CGCS2000 lon/lat).
    pub to_epsg: u32,
    /// The shapefile's DBF encoding (default GBK).
    pub encoding: &'static Encoding,
    /// Replace existing files.
    pub force: bool,
    /// How to read the input (`--crs`, `--in-encoding`, `--swap-xy`).
    pub opts: LoadOptions,
}

/// Parse an EPSG code (`4529`, `EPSG:4529`).
pub fn parse_epsg(v: &str) -> Option<u32> {
    v.trim()
        .trim_start_matches("EPSG:")
        .trim_start_matches("epsg:")
        .parse()
        .ok()
}

/// Parse `convert`'s arguments (after the word `convert`).
pub fn parse<'a>(it: impl Iterator<Item = &'a String>) -> Result<ConvertSpec, Text> {
    let mut spec = ConvertSpec {
        input: String::new(),
        output: PathBuf::new(),
        to_epsg: 4490,
        encoding: encoding_rs::GBK,
        force: false,
        opts: LoadOptions::default(),
    };
    let mut paths = Vec::new();
    let mut rest = it.peekable();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--force" => spec.force = true,
            "--to-crs" => {
                let v = rest.next().ok_or(Text::fixed(
                    "--to-crs 需要 EPSG 代码，例如 4529",
                    "--to-crs needs an EPSG code, e.g. 4529",
                ))?;
                spec.to_epsg = parse_epsg(v).ok_or_else(|| {
                    crate::text!(
                        "--to-crs {v}：不是 EPSG 代码",
                        "--to-crs {v}: not an EPSG code"
                    )
                })?;
            }
            "--encoding" => {
                let v = rest.next().ok_or(Text::fixed(
                    "--encoding 需要 GBK 或 UTF-8",
                    "--encoding needs GBK or UTF-8",
                ))?;
                spec.encoding = crate::io::encoding::from_cpg(v).ok_or_else(|| {
                    crate::text!(
                        "--encoding {v}：未知的编码",
                        "--encoding {v}: unknown encoding"
                    )
                })?;
            }
            "--in-encoding" => {
                let v = rest.next().ok_or(Text::fixed(
                    "--in-encoding 需要编码名称，例如 GBK",
                    "--in-encoding needs a name, e.g. GBK",
                ))?;
                spec.opts.encoding = Some(crate::io::encoding::from_cpg(v).ok_or_else(|| {
                    crate::text!(
                        "--in-encoding {v}：未知的编码",
                        "--in-encoding {v}: unknown encoding"
                    )
                })?);
            }
            s if {
                let mut read = super::ReadOptions {
                    load: std::mem::take(&mut spec.opts),
                    ..Default::default()
                };
                let taken = super::read_option(s, &mut rest, &mut read)?;
                spec.opts = read.load;
                taken
            } => {}
            s if s.starts_with("--") => {
                return Err(super::unknown_option(s));
            }
            s => paths.push(s.to_owned()),
        }
    }
    let (input, output) = input_and_output(paths)?;
    spec.input = input;
    spec.output = output;
    Ok(spec)
}

/// `convert`'s two paths: the input, and an output whose extension names a format.
fn input_and_output(paths: Vec<String>) -> Result<(String, PathBuf), Text> {
    let [input, output] = <[String; 2]>::try_from(paths).map_err(|_| {
        let (zh, en) = (super::USAGE_ZH, super::USAGE);
        crate::text!(
            "convert 需要输入文件和输出文件\n\n{zh}",
            "convert needs INPUT and OUTPUT\n\n{en}"
        )
    })?;
    if crate::io::write::Format::of_path(Path::new(&output)).is_none() {
        let use_ = crate::io::write::Format::EXTENSIONS;
        return Err(crate::text!(
            "{output}：不支持的输出格式（可用 {use_}）",
            "{output}: unknown output format (use {use_})"
        ));
    }
    Ok((input, PathBuf::from(output)))
}

/// The layers of the input: a bundled layer by name, or what the loader reads from a file,
/// with the loader's notes.
pub fn input_layers(input: &str, opts: &LoadOptions) -> Result<(Vec<Layer>, Vec<Text>), Text> {
    if let Some(name) = input.strip_prefix("bundled:") {
        let b = crate::plan::bundled::LAYERS
            .iter()
            .find(|b| b.stem == name || b.role.key() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = crate::plan::bundled::LAYERS
                    .iter()
                    .map(|b| b.stem)
                    .collect();
                let names = names.join(", ");
                crate::text!(
                    "{input}：没有这个内置图层（可用：{names}）",
                    "{input}: no such bundled layer (one of {names})"
                )
            })?;
        return Ok((vec![b.load()?], Vec::new()));
    }
    let progress = crate::io::loader::Progress::default();
    let loaded =
        crate::io::loader::load_path(Path::new(input), opts, &progress).map_err(|e| e.text())?;
    let mut notes = Vec::new();
    let layers = loaded
        .into_iter()
        .map(|l| {
            notes.extend(l.warnings);
            notes.extend(l.problems);
            l.layer
        })
        .collect();
    Ok((layers, notes))
}

/// The output path of layer `i` of `n`: the output itself for one layer, else the output's
/// stem with the layer's number and name.
fn output_for(out: &Path, i: usize, n: usize, layer: &Layer) -> PathBuf {
    if n == 1 {
        return out.to_path_buf();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = out
        .extension()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = layer
        .name_zh
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    out.with_file_name(format!("{stem}_{}_{name}.{ext}", i + 1))
}

fn print_written(w: &Written, lang: Lang) {
    let files: Vec<String> = w.files.iter().map(|f| f.display().to_string()).collect();
    let (zh, en, rows) = (files.join("、"), files.join(", "), w.rows);
    let wrote = crate::text!(
        "已写出 {zh}（{rows} 个要素）",
        "wrote {en} ({rows} features)"
    );
    println!("{}", wrote.in_lang(lang));
    for n in &w.notes {
        super::say_note(lang, n);
    }
}

/// Run `convert`; returns the exit code: 0 written, 1 the input could not be read (or some
/// of it), 2 the output could not be written. Messages are worded in `lang`.
pub fn run(spec: &ConvertSpec, lang: Lang) -> i32 {
    let (layers, notes) = match input_layers(&spec.input, &spec.opts) {
        Ok(x) => x,
        Err(e) => {
            super::say_error(lang, &e);
            return 1;
        }
    };
    for n in &notes {
        super::say_note(lang, n);
    }
    if layers.is_empty() {
        let input = &spec.input;
        super::say_error(
            lang,
            &crate::text!("{input}：没有可写出的图层", "{input}: no layer to write"),
        );
        return 1;
    }
    let opts = WriteOptions {
        force: spec.force,
        encoding: spec.encoding,
    };
    let n = layers.len();
    for (i, layer) in layers.iter().enumerate() {
        let out = output_for(&spec.output, i, n, layer);
        match crate::io::write::write_layer(layer, &out, Some(spec.to_epsg), &opts) {
            Ok(w) => {
                print_written(&w, lang);
                let s = layer.schematic_count();
                if s > 0 {
                    let said = crate::text!(
                        "  其中 {s} 个示意要素（SJXZ=示意）",
                        "  {s} schematic features (SJXZ=示意)"
                    );
                    println!("{}", said.in_lang(lang));
                }
            }
            Err(e) => {
                super::say_error(lang, &e);
                return 2;
            }
        }
    }
    0
}

/// Write the findings of `check` to `out` (by extension); prints what was written.
pub fn write_check_out(
    catalog: &crate::model::catalog::Catalog,
    findings: &crate::analysis::overlap::Findings,
    out: &Path,
    force: bool,
    lang: Lang,
) -> Result<(), Text> {
    let opts = WriteOptions {
        force,
        ..WriteOptions::default()
    };
    let w = crate::io::write::findings::write_findings(catalog, findings, out, &opts)?;
    let files: Vec<String> = w.files.iter().map(|f| f.display().to_string()).collect();
    let (zh, en, rows) = (files.join("、"), files.join(", "), w.rows);
    let wrote = crate::text!(
        "已写出 {zh}（{rows} 条结果）",
        "wrote {en} ({rows} findings)"
    );
    eprintln!("{}", wrote.in_lang(lang));
    for n in &w.notes {
        super::say_note(lang, n);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn convert_options_parse() {
        let a = args(
            "a.shp 出.shp --to-crs EPSG:4529 --encoding UTF-8 --force --crs 4490 --swap-xy --in-encoding GBK",
        );
        let s = parse(a.iter()).expect("parsed");
        assert_eq!(s.input, "a.shp");
        assert_eq!(s.output, PathBuf::from("出.shp"));
        assert_eq!(s.to_epsg, 4529);
        assert_eq!(s.encoding, encoding_rs::UTF_8);
        assert!(s.force);
        assert_eq!(s.opts.epsg, Some(4490));
        assert_eq!(s.opts.swap_xy, Some(true));
        assert_eq!(s.opts.encoding, Some(encoding_rs::GBK));
        let d = parse(args("a.shp b.kml").iter()).expect("defaults");
        assert_eq!(
            (d.to_epsg, d.encoding, d.force),
            (4490, encoding_rs::GBK, false)
        );
        assert!(parse(args("a.shp").iter()).is_err());
        assert!(parse(args("a.shp b.dwg").iter()).is_err());
        assert!(parse(args("a.shp b.shp --to-crs x").iter()).is_err());
    }
}
