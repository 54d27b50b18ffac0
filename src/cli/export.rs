//! `taonan-map export`: the map (or a report page) of the bundled plan and FILES as a PNG or an
//! SVG, with a basemap when one is named.

use crate::plan::bundled::catalog_with_plan;
use crate::text::{Lang, Text};

use super::{ExportSpec, say_error};

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
