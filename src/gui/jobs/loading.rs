//! Loading files off the UI thread: one job at a time, with progress and cancel; results come
//! back over a channel and are added to the catalog by the app.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, channel};

use crate::io::loader::{LoadOptions, LoadedLayer, Progress, load_path};
use crate::model::catalog::LayerIndex;

/// A loaded layer with its spatial index, built on the worker (a second for a big layer).
pub struct IndexedLayer {
    /// The layer and how it loaded.
    pub loaded: LoadedLayer,
    /// Its index.
    pub index: Arc<LayerIndex>,
}

/// What one file gave.
pub struct FileResult {
    /// The file.
    pub path: PathBuf,
    /// The options it was loaded with.
    pub options: LoadOptions,
    /// Its layers, or the error.
    pub result: Result<Vec<IndexedLayer>, String>,
    /// When set, the layers replace the catalog layer at this index (a reload with new options).
    pub replace: Option<usize>,
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
                        let result = Err(crate::io::loader::CANCELLED.to_owned());
                        let _ = tx.send(FileResult {
                            path,
                            options,
                            result,
                            replace,
                        });
                        continue;
                    }
                    let what = path.display().to_string();
                    let result = crate::gui::jobs::guarded(&what, || {
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
                    .and_then(|r| r);
                    let _ = tx.send(FileResult {
                        path,
                        options,
                        result,
                        replace,
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
