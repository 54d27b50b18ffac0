//! GeoPackage (`.gpkg`) input: every feature table becomes a layer (one per table, as the
//! shapefile sets of a zip do), or only those named by [`LoadOptions::tables`] (the window's
//! table picker, the command line's `--table`; [`summaries`] lists them for the picker). The file is
//! opened read-only; the CRS comes from `gpkg_spatial_ref_sys` (EPSG code, else its WKT) and
//! goes through the loader's shared CRS decision, reprojection and reports.
//!
//! - [`blob`]: the GeoPackage geometry blob (header, envelope, WKB).
//! - [`tables`]: the feature tables, their spatial references and rows.

pub mod blob;
pub mod tables;

use std::path::Path;
use std::sync::atomic::Ordering;

use crate::crs::crs_guess::CrsSource;
use crate::io::loader::{
    self, LoadError, LoadErrorKind, LoadOptions, LoadedLayer, Progress, Record,
};
use crate::text;
use crate::text::{Lang, Text};

/// Load the feature tables of a GeoPackage (all, or `opts.tables`). `shown` names the file in
/// messages; each layer's source is `shown!table`. A table that cannot be read is reported on
/// the first layer; when none can, the error names every reason.
pub fn load(
    path: &Path,
    shown: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<Vec<LoadedLayer>, LoadError> {
    let sqlite = |e: Text| LoadError::invalid(shown, e);
    let conn = tables::open(path).map_err(sqlite)?;
    let all = tables::feature_tables(&conn).map_err(sqlite)?;
    if all.is_empty() {
        return Err(LoadError::new(
            shown,
            LoadErrorKind::NothingLoaded(Text::fixed(
                "此 GeoPackage 没有要素表（gpkg_contents 中未列出）",
                "the GeoPackage holds no feature table (gpkg_contents lists none)",
            )),
        ));
    }
    let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
    let chosen: Vec<&tables::FeatureTable> = match &opts.tables {
        Some(wanted) => {
            let mut chosen = Vec::with_capacity(wanted.len());
            for want in wanted {
                let t = all.iter().find(|t| &t.name == want).ok_or_else(|| {
                    let (zh, en) = (names.join("、"), names.join(", "));
                    LoadError::invalid(
                        shown,
                        text!(
                            "没有名为 {want} 的要素表；文件中有：{zh}",
                            "no feature table named {want}; the file has: {en}"
                        ),
                    )
                })?;
                chosen.push(t);
            }
            if chosen.is_empty() {
                let (zh, en) = (names.join("、"), names.join(", "));
                return Err(LoadError::invalid(
                    shown,
                    text!(
                        "没有选择要素表；文件中有：{zh}",
                        "no feature table chosen; the file has: {en}"
                    ),
                ));
            }
            chosen
        }
        None => all.iter().collect(),
    };
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for t in chosen {
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(LoadError::cancelled(shown));
        }
        let label = format!("{shown}!{}", t.name);
        match load_table(&conn, t, &label, opts, progress) {
            Ok(l) => out.push(l),
            Err(e) if e.is_cancelled() => return Err(LoadError::cancelled(shown)),
            Err(e) => skipped.push(e.text()),
        }
    }
    if out.is_empty() {
        return Err(LoadError::new(
            shown,
            LoadErrorKind::NothingLoaded(Text::join(&skipped)),
        ));
    }
    if let Some(first) = out.first_mut() {
        if all.len() > 1 && opts.tables.is_none() {
            let n = all.len();
            let (zh, en) = (names.join("、"), names.join(", "));
            first.warnings.push(text!(
                "此 GeoPackage 含 {n} 个要素表，已全部载入：{zh}（命令行用 --table 表名 只载入一个）",
                "this GeoPackage has {n} feature tables, all loaded: {en} (the command line's --table NAME loads one)"
            ));
        }
        first.problems.extend(skipped.into_iter().map(|s| {
            Text::by_lang(|l| match l {
                Lang::Zh => format!("已跳过：{}", s.in_lang(l)),
                Lang::En => format!("skipped: {}", s.in_lang(l)),
            })
        }));
    }
    Ok(out)
}

/// A feature table as the window's table picker shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSummary {
    /// The table's name.
    pub name: String,
    /// Its geometry type as `gpkg_geometry_columns` declares it (POLYGON, POINT, GEOMETRY …).
    pub geometry_type: String,
    /// How many rows it has.
    pub features: u64,
}

/// The feature tables of a GeoPackage with their geometry types and row counts (for the
/// picker shown when there are several); errors name the file.
pub fn summaries(path: &Path, shown: &str) -> Result<Vec<TableSummary>, Text> {
    let conn = tables::open(path).map_err(|e| e.about(shown))?;
    let all = tables::feature_tables(&conn).map_err(|e| e.about(shown))?;
    all.iter()
        .map(|t| {
            let geometry_type = conn
                .query_row(
                    "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?1",
                    [&t.name],
                    |r| r.get::<_, String>(0),
                )
                .unwrap_or_else(|_| "?".into());
            let features = conn
                .query_row(
                    &format!("SELECT count(*) FROM {}", tables::quoted(&t.name)),
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(|e| {
                    let table = &t.name;
                    text!(
                        "{shown}!{table}：无法统计行数：{e}",
                        "{shown}!{table}: cannot count the rows: {e}"
                    )
                })?;
            Ok(TableSummary {
                name: t.name.clone(),
                geometry_type,
                features: u64::try_from(features).unwrap_or(0),
            })
        })
        .collect()
}

/// A load error that names "the chosen CRS" as the CRS of the file's `gpkg_spatial_ref_sys`
/// (its EPSG code goes to the loader as if chosen).
fn chosen_by_the_file(mut e: LoadError) -> LoadError {
    if let LoadErrorKind::NothingLoaded(why) = &e.kind {
        let why = Text::by_lang(|l| {
            why.in_lang(l).replace(
                l.t("所选的坐标系", "the chosen CRS"),
                l.t(
                    "gpkg_spatial_ref_sys 中的坐标系",
                    "the CRS of gpkg_spatial_ref_sys",
                ),
            )
        });
        e.kind = LoadErrorKind::NothingLoaded(why);
    }
    e
}

/// Name `gpkg_spatial_ref_sys` as where the layer's CRS comes from: its EPSG code (`by_code`,
/// which went to the loader as if chosen), or its WKT.
fn say_whose_crs(l: &mut LoadedLayer, srs: &tables::SpatialRef, by_code: bool) {
    if by_code {
        l.crs.source = CrsSource::Prj;
        let name = &srs.name;
        l.crs.reason = text!(
            "来自 gpkg_spatial_ref_sys（{name}）",
            "from gpkg_spatial_ref_sys ({name})"
        );
        l.layer.crs = l.crs.layer_text();
    } else if l.crs.source == CrsSource::Prj {
        l.crs.reason = Text::fixed(
            "来自 gpkg_spatial_ref_sys（WKT 定义）",
            "from gpkg_spatial_ref_sys (WKT definition)",
        );
        l.layer.crs = l.crs.layer_text();
    }
}

/// Load one feature table through the loader's shared path.
fn load_table(
    conn: &rusqlite::Connection,
    table: &tables::FeatureTable,
    label: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    let sqlite = |e: Text| LoadError::invalid(label, e);
    let srs = tables::spatial_ref(conn, table.srs_id).map_err(sqlite)?;
    let rows =
        tables::rows(conn, table, || !progress.cancel.load(Ordering::Relaxed)).map_err(sqlite)?;
    if progress.cancel.load(Ordering::Relaxed) {
        return Err(LoadError::cancelled(label));
    }
    progress.total.fetch_add(rows.len(), Ordering::Relaxed);
    let mut problems = Vec::new();
    let mut records: Vec<Record> = Vec::with_capacity(rows.len());
    let mut empty = 0usize;
    let mut schema = None;
    for (i, (blob, attrs)) in rows.into_iter().enumerate() {
        let geom = match blob.as_deref().map(blob::geometry) {
            Some(Ok(g)) => g,
            Some(Err(e)) => {
                let n = i + 1;
                problems.push(Text::by_lang(|l| match l {
                    Lang::Zh => format!("第 {n} 个要素：{}", e.in_lang(l)),
                    Lang::En => format!("feature {n}: {}", e.in_lang(l)),
                }));
                continue;
            }
            None => None,
        };
        if geom.is_none() {
            empty += 1;
        }
        records.push((
            geom,
            crate::model::Attributes::from_pairs_in(&attrs, &mut schema),
        ));
    }
    if empty > 0 {
        problems.push(text!(
            "{empty} 个要素没有几何（NULL 或空）",
            "{empty} feature(s) without geometry (NULL or empty)"
        ));
    }
    if records.iter().all(|(g, _)| g.is_none()) {
        return Err(LoadError::no_features(label, true, problems.first()));
    }
    let n = records.len();
    let file_epsg = srs.epsg;
    let merged = LoadOptions {
        epsg: opts.epsg.or(file_epsg),
        ..opts.clone()
    };
    let prj = if file_epsg.is_none() {
        srs.wkt.as_deref()
    } else {
        None
    };
    let mut loaded = loader::finish(label, records, prj, &merged, problems, None, progress)
        .map_err(|e| {
            // The file's EPSG code went in as a choice: say whose it was.
            if opts.epsg.is_none() && file_epsg.is_some() {
                chosen_by_the_file(e)
            } else {
                e
            }
        });
    if let Ok(l) = &mut loaded {
        say_whose_crs(l, &srs, opts.epsg.is_none() && file_epsg.is_some());
    }
    progress.done.fetch_add(n, Ordering::Relaxed);
    loaded
}
