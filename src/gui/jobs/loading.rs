//! Loading files off the UI thread: one job at a time, with progress and cancel; results come
//! back over a channel and are added to the catalog by the app.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, channel};

use crate::gui::i18n::Lang;
use crate::gui::layer_set::{LayerState, LoadInfo};
use crate::gui::session::FileEntry;
use crate::io::encoding::Detected;
use crate::io::loader::{LoadError, LoadOptions, LoadedLayer, Progress, load_path};
use crate::model::Layer;
use crate::model::catalog::LayerIndex;

/// A loaded layer with its spatial index, built on the worker (a second for a big layer).
pub struct IndexedLayer {
    /// The layer and how it loaded.
    pub loaded: LoadedLayer,
    /// Its index.
    pub index: Arc<LayerIndex>,
}

impl IndexedLayer {
    /// The layer, its index and what the window keeps for it, from the file's `entry` (the
    /// user's choices); what was skipped and the warnings go to `messages`.
    pub fn into_parts(
        self,
        entry: FileEntry,
        lang: Lang,
        messages: &mut Vec<String>,
    ) -> (Arc<Layer>, Arc<LayerIndex>, LayerState) {
        let IndexedLayer { loaded, index } = self;
        let LoadedLayer {
            mut layer,
            problems,
            crs,
            encoding,
            warnings,
            swap_suggested,
            swapped,
        } = loaded;
        let n = layer.features.len();
        let name = layer.name_zh.clone();
        if !problems.is_empty() {
            let listed = crate::text::Text::join(&problems);
            messages.push(match lang {
                Lang::Zh => format!(
                    "{name}：载入 {n} 个要素，{} 项跳过或提示：{}",
                    problems.len(),
                    listed.in_lang(lang)
                ),
                Lang::En => format!(
                    "{name}: {n} features loaded; {} skipped or noted: {}",
                    problems.len(),
                    listed.in_lang(lang)
                ),
            });
        }
        for w in &warnings {
            messages.push(w.about(&name).in_lang(lang).to_owned());
        }
        let info = LoadInfo {
            crs,
            encoding: encoding.as_ref().map(Detected::describe),
            warnings,
            swap_suggested,
            swapped,
            problems,
        };
        layer.analysis_role = entry.analysis_role.clone();
        let state = LayerState {
            visible: !entry.hidden,
            schematic: false,
            entry: Some(entry),
            info: Some(info),
            labels: None,
        };
        (Arc::new(layer), index, state)
    }
}

/// What one file gave.
pub struct FileResult {
    /// The file.
    pub path: PathBuf,
    /// The options it was loaded with.
    pub options: LoadOptions,
    /// Its layers, or the error (worded by the window in its language).
    pub result: Result<Vec<IndexedLayer>, LoadError>,
    /// When set, the layers replace the catalog layer at this index (a reload with new options).
    pub replace: Option<usize>,
    /// A GeoPackage of several feature tables opened without a choice of tables: nothing was
    /// loaded, the user picks from these first.
    pub tables_to_pick: Option<Vec<crate::io::gpkg::TableSummary>>,
}

/// For a GeoPackage opened anew with no tables chosen: its feature tables when there are
/// several (the user picks before anything loads), else `None` (load as usual; an unreadable
/// file gets its message from the loader).
fn tables_to_pick(
    path: &std::path::Path,
    options: &LoadOptions,
) -> Option<Vec<crate::io::gpkg::TableSummary>> {
    let gpkg = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("gpkg"));
    if !gpkg || options.tables.is_some() {
        return None;
    }
    let tables = crate::io::gpkg::summaries(path, &path.display().to_string()).ok()?;
    (tables.len() > 1).then_some(tables)
}

/// A running load.
pub struct LoadJob {
    /// Shared progress and cancel flag.
    pub progress: Arc<Progress>,
    rx: Receiver<FileResult>,
    remaining: usize,
}

impl LoadJob {
    /// Start loading `files` (each with its options) on a worker thread.
    pub fn start(ctx: &egui::Context, files: Vec<(PathBuf, LoadOptions, Option<usize>)>) -> Self {
        let progress = Arc::new(Progress::default());
        let (tx, rx) = channel();
        let remaining = files.len();
        let p = progress.clone();
        let ctx = ctx.clone();
        let _ = std::thread::Builder::new()
            .name("file-loader".into())
            .spawn(move || {
                for (path, options, replace) in files {
                    if p.cancel.load(Ordering::Relaxed) {
                        let result = Err(LoadError::cancelled(&path.display().to_string()));
                        let _ = tx.send(FileResult {
                            path,
                            options,
                            result,
                            replace,
                            tables_to_pick: None,
                        });
                        continue;
                    }
                    if replace.is_none()
                        && let Some(tables) = tables_to_pick(&path, &options)
                    {
                        let _ = tx.send(FileResult {
                            path,
                            options,
                            result: Ok(Vec::new()),
                            replace,
                            tables_to_pick: Some(tables),
                        });
                        ctx.request_repaint();
                        continue;
                    }
                    let what = path.display().to_string();
                    // The error names the file; the panic's text names the job.
                    let panicked = |e: crate::text::Text| LoadError::invalid(&what, e);
                    let job = crate::text::Text::fixed("载入", "loading");
                    let result = crate::gui::jobs::guarded(&job, || {
                        load_path(&path, &options, &p).map(|layers| {
                            layers
                                .into_iter()
                                .map(|loaded| IndexedLayer {
                                    index: Arc::new(LayerIndex::build(&loaded.layer)),
                                    loaded,
                                })
                                .collect()
                        })
                    })
                    .map_err(panicked)
                    .and_then(|r| r);
                    let _ = tx.send(FileResult {
                        path,
                        options,
                        result,
                        replace,
                        tables_to_pick: None,
                    });
                    ctx.request_repaint();
                }
                ctx.request_repaint();
            });
        Self {
            progress,
            rx,
            remaining,
        }
    }

    /// Results that have arrived since the last call.
    pub fn poll(&mut self) -> Vec<FileResult> {
        let mut out = Vec::new();
        while let Ok(r) = self.rx.try_recv() {
            self.remaining = self.remaining.saturating_sub(1);
            out.push(r);
        }
        out
    }

    /// Whether every file has reported.
    pub fn finished(&self) -> bool {
        self.remaining == 0
    }
}

/// A file to load: its path, the options, and the layer it replaces (a reload).
pub type FileJob = (PathBuf, LoadOptions, Option<usize>);

/// The loading of the user's files: the running job, the files queued behind it, and what
/// the window does with the layers as they come.
#[derive(Default)]
pub struct Loader {
    job: Option<LoadJob>,
    queued: Vec<FileJob>,
    /// While the last session's files load: keep the restored view.
    pub restoring: bool,
    /// The union of the extents of the files loaded by the current job (to fit them all).
    pub fit_loaded: Option<geo::Rect<f64>>,
}

impl Loader {
    /// Load `jobs`, behind the running job if there is one. `data_dir` keeps the names of the
    /// files being opened (so a crash does not reopen them by itself).
    pub fn start(&mut self, ctx: &egui::Context, data_dir: &std::path::Path, jobs: Vec<FileJob>) {
        if jobs.is_empty() {
            return;
        }
        if self.job.is_some() {
            // One job at a time: queue behind the running one.
            self.queued.extend(jobs);
            return;
        }
        self.fit_loaded = None;
        let paths: Vec<PathBuf> = jobs.iter().map(|(p, _, _)| p.clone()).collect();
        crate::gui::jobs::crash::mark_opening(data_dir, &paths);
        self.job = Some(LoadJob::start(ctx, jobs));
    }

    /// The results that have arrived since the last call (add them, then call
    /// [`Loader::next`]).
    pub fn poll(&mut self) -> Vec<FileResult> {
        self.job.as_mut().map(LoadJob::poll).unwrap_or_default()
    }

    /// Once the running job is done: start the files queued behind it.
    pub fn next(&mut self, ctx: &egui::Context, data_dir: &std::path::Path) {
        if self.job.as_ref().is_some_and(LoadJob::finished) {
            self.job = None;
            crate::gui::jobs::crash::clear_opening(data_dir);
            let next = std::mem::take(&mut self.queued);
            self.start(ctx, data_dir, next);
        }
    }

    /// Whether files are being loaded or wait to be.
    pub fn busy(&self) -> bool {
        self.job.is_some() || !self.queued.is_empty()
    }

    /// How far the running job is (0–1), while one runs.
    pub fn fraction(&self) -> Option<f32> {
        self.job.as_ref().map(|j| j.progress.fraction())
    }

    /// Stop loading: the running job at its next check, and the files queued behind it.
    pub fn cancel(&mut self) {
        if let Some(job) = &self.job {
            job.progress.cancel.store(true, Ordering::Relaxed);
        }
        self.queued.clear();
    }
}
