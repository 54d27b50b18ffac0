//! Runs the overlap analysis off the UI thread whenever the layers or their visibility change,
//! and keeps the last result.

use std::sync::mpsc::{Receiver, channel};

use crate::analysis::overlap::{Findings, analyze, boundary_of, subjects_of};
use crate::analysis::rules::Rules;
use crate::model::catalog::Catalog;

/// What a result was computed for: the catalog version and the visibility of every layer.
type Key = (u64, Vec<bool>);

/// The analysis state of the window.
pub struct Analysis {
    /// The rules in force.
    pub rules: Rules,
    /// A note about the user's rules file, if it could not be used.
    pub rules_note: Option<crate::text::Text>,
    /// The latest findings.
    pub findings: Findings,
    current: Option<Key>,
    pending: Option<(Key, Receiver<Result<Findings, crate::text::Text>>)>,
    /// Why the last analysis failed (an internal error), to be shown once.
    pub failure: Option<crate::text::Text>,
}

impl Analysis {
    /// Load the rules (the user's `rules.toml` in `config_dir`, or the built-in ones).
    pub fn new(config_dir: Option<&std::path::Path>) -> Self {
        let (rules, rules_note) = Rules::load_from(config_dir);
        Self {
            rules,
            rules_note,
            findings: Findings::default(),
            current: None,
            pending: None,
            failure: None,
        }
    }

    /// Whether a computation is running.
    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Collect a finished result; start a new computation when the inputs changed. Returns
    /// true when new findings replaced the old ones (their indices are then new).
    pub fn update(&mut self, ctx: &egui::Context, catalog: &Catalog, visible: &[bool]) -> bool {
        let key: Key = (catalog.version(), visible.to_vec());
        let mut replaced = false;
        if let Some((k, rx)) = &self.pending
            && let Ok(result) = rx.try_recv()
        {
            match result {
                Ok(findings) if *k == key => {
                    self.findings = findings;
                    self.current = Some(key.clone());
                    replaced = true;
                }
                Ok(_) => {}
                Err(e) => {
                    // Not retried for the same layers: it would fail again.
                    self.failure = Some(e);
                    self.current = Some(k.clone());
                }
            }
            self.pending = None;
        }
        let up_to_date = self.current.as_ref() == Some(&key);
        let running_for_key = self.pending.as_ref().is_some_and(|(k, _)| *k == key);
        if up_to_date || running_for_key {
            return replaced;
        }
        // The worker shares the layers (no copy of their geometry), so the window keeps running
        // while it computes.
        let layers = catalog.layers.clone();
        let shown = visible.to_vec();
        let boundary = boundary_of(catalog);
        let rules = self.rules.clone();
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("overlap-analysis".into())
            .spawn(move || {
                let findings = crate::gui::jobs::guarded(
                    &crate::text::Text::fixed("叠加检查", "overlap analysis"),
                    || {
                        let input =
                            subjects_of(&layers, |i| shown.get(i).copied().unwrap_or(false));
                        analyze(&input, boundary.as_ref(), &rules)
                    },
                );
                let _ = tx.send(findings);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.pending = Some((key, rx));
        }
        replaced
    }
}
