//! The PDF check report written from the window (叠加检查结果 → 导出检查报告): on a worker that
//! shares the layers (no copy of their geometry), runs the analysis on the visible layers
//! again (the window's findings stay the window's) and writes the report as `check --report`
//! does.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use crate::analysis::overlap::{analyze, boundary_of, subjects_of};
use crate::analysis::rules::Rules;
use crate::model::catalog::Catalog;
use crate::model::style::Styles;
use crate::render::check_report::{CheckReport, Limits, write};

/// A report being written.
pub struct CheckReportJob {
    rx: Receiver<Result<String, String>>,
}

impl CheckReportJob {
    /// Start writing the report of `catalog`'s `visible` layers to `path` (replacing it: the
    /// save dialog has asked).
    pub fn start(
        ctx: &egui::Context,
        catalog: &Catalog,
        visible: &[bool],
        rules: &Rules,
        styles: Styles,
        path: PathBuf,
        lang: crate::gui::i18n::Lang,
    ) -> Result<Self, String> {
        let mut shared = Catalog::new(Vec::new());
        for (li, layer) in catalog.layers.iter().enumerate() {
            match catalog.index(li) {
                Some(index) => {
                    shared.push_indexed(layer.clone(), index.clone());
                }
                None => return Err(format!("{}: no index", layer.name_zh)),
            }
        }
        let shown = visible.to_vec();
        let rules = rules.clone();
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name("check-report".into())
            .spawn(move || {
                let what = crate::text::Text::fixed("检查报告", "check report");
                let result = crate::gui::jobs::guarded(&what, || {
                    let input =
                        subjects_of(&shared.layers, |i| shown.get(i).copied().unwrap_or(false));
                    let findings = analyze(&input, boundary_of(&shared).as_ref(), &rules);
                    let source = crate::render::check_report::rules_source(
                        crate::user_config::default_dir().as_deref(),
                    );
                    let date = crate::cli::report_date();
                    let r = CheckReport {
                        catalog: &shared,
                        styles: &styles,
                        findings: &findings,
                        rules: &rules,
                        rules_source: &source,
                        date: &date,
                        limits: Limits::default(),
                    };
                    write(&r, &path, true)
                        .map(|c| {
                            let (p, n) = (path.display(), c.total());
                            match lang {
                                crate::gui::i18n::Lang::Zh => {
                                    format!("检查报告已保存：{p}（{n} 页）")
                                }
                                crate::gui::i18n::Lang::En => {
                                    format!("check report saved: {p} ({n} pages)")
                                }
                            }
                        })
                        .map_err(|e| e.in_lang(lang).to_owned())
                });
                let _ = tx.send(
                    result
                        .map_err(|e| e.in_lang(lang).to_owned())
                        .and_then(|r| r),
                );
                ctx.request_repaint();
            })
            .map_err(|e| format!("{}：{e}", lang.t("检查报告", "check report")))?;
        Ok(Self { rx })
    }

    /// The outcome once the worker is done (a message either way).
    pub fn poll(&self) -> Option<String> {
        self.rx.try_recv().ok().map(|r| r.unwrap_or_else(|e| e))
    }
}
