//! 文件 → 载入规划数据库…: the plan's own database in place of the schematic zones. The files
//! are read on a worker; the matching (by code, by name, unmatched on both sides, conflicts) is
//! shown as a table in which the user can give any polygon a zone by hand (or none); 应用
//! applies it ([`Action::ApplyPlanDatabase`]), 移除 restores the bundled layers
//! ([`Action::RemovePlanDatabase`]). The choice (files and hand-made fixes) is kept in the
//! session and applied again at the next start without asking.

use crate::text::Text;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, RichText, Ui};

use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::session::PlanDatabaseEntry;
use crate::gui::windows::file_browser::{BrowserAction, FileBrowser};
use crate::io::loader::{LoadOptions, Progress};
use crate::model::Layer;
use crate::plan::database::{PlanDatabase, PlanSide, apply_to, plan_side};
use crate::plan::zone_match::{How, MatchTable, Override, PolygonRef, match_zones};

/// What the worker hands back: the database and the bundled layers it is matched against.
type ReadResult = Result<(PlanDatabase, Vec<Layer>), Text>;

/// A plan database ready to apply: the layers that replace the bundled plan layers, and the
/// choice to remember.
#[derive(Debug)]
pub struct PlanChoice {
    /// The applied plan layers, and the layer of the polygons not applied (shown on top).
    pub layers: Vec<Layer>,
    /// The files and the hand-made fixes.
    pub entry: PlanDatabaseEntry,
}

/// The window's state (owned here; the app holds one).
#[derive(Default)]
pub struct PlanDatabaseWindow {
    open: bool,
    reading: Option<Receiver<ReadResult>>,
    /// Apply as soon as read (a database remembered from the last session).
    auto_apply: bool,
    files: Vec<PathBuf>,
    db: Option<PlanDatabase>,
    bundled: Vec<Layer>,
    plan: Vec<PlanSide>,
    overrides: Vec<Override>,
    table: MatchTable,
    browser: Option<FileBrowser>,
    error: Option<Text>,
    /// Whether a database is applied in the app now.
    pub applied: bool,
}

impl PlanDatabaseWindow {
    /// Open the window (its last table, if any, is shown again).
    pub fn open(&mut self) {
        self.open = true;
    }

    /// Whether the window is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Whether files are being read.
    pub fn busy(&self) -> bool {
        self.reading.is_some()
    }

    /// The matching table of the database read, if one is.
    pub fn table(&self) -> Option<&MatchTable> {
        self.db.as_ref().map(|_| &self.table)
    }

    /// The database's polygons as read, if any (to name rows).
    pub fn database(&self) -> Option<&PlanDatabase> {
        self.db.as_ref()
    }

    /// Read these files on a worker (the table follows when they are read).
    pub fn read(&mut self, ctx: &egui::Context, files: Vec<PathBuf>) {
        self.files = files.clone();
        self.error = None;
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("plan-database".into())
            .spawn(move || {
                let r = crate::gui::jobs::guarded(
                    &crate::text::Text::fixed("规划数据库", "plan database"),
                    || {
                        let db = PlanDatabase::read(
                            &files,
                            &LoadOptions::default(),
                            &Progress::default(),
                        );
                        crate::plan::bundled::load_all().map(|b| (db, b))
                    },
                )
                .and_then(|r| r);
                let _ = tx.send(r);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.reading = Some(rx),
            Err(e) => self.error = Some(Text::same(e.to_string())),
        }
    }

    /// Read a database remembered in the session and apply it when read. Returns a note per
    /// file that is no longer there (then nothing is read: the bundled layers stay).
    pub fn restore(
        &mut self,
        ctx: &egui::Context,
        entry: &PlanDatabaseEntry,
        lang: Lang,
    ) -> Vec<String> {
        let missing: Vec<String> = entry
            .files
            .iter()
            .filter(|f| !f.is_file())
            .map(|f| {
                let f = f.display();
                lang.t(
                    &format!("规划数据库文件已移动或删除：{f}"),
                    &format!("a plan database file has moved or gone: {f}"),
                )
                .to_owned()
            })
            .collect();
        if missing.is_empty() {
            self.overrides = entry.overrides();
            self.auto_apply = true;
            self.read(ctx, entry.files.clone());
        }
        missing
    }

    /// Give a polygon a zone by hand (`None`: no zone) and redo the table.
    pub fn set_override(&mut self, polygon: PolygonRef, zone: Option<String>) {
        self.overrides.retain(|o| o.polygon != polygon);
        self.overrides.push(Override { polygon, zone });
        self.rematch();
    }

    fn rematch(&mut self) {
        if let Some(db) = &self.db {
            self.table = match_zones(&self.plan, db, &self.overrides);
        }
    }

    /// The database applied with the fixes, ready for [`Action::ApplyPlanDatabase`].
    pub fn choice(&self) -> Option<Action> {
        let db = self.db.clone()?;
        let applied = apply_to(self.bundled.clone(), db, &self.overrides);
        let entry = PlanDatabaseEntry {
            files: self.files.clone(),
            overrides: self
                .overrides
                .iter()
                .map(|o| (o.polygon.layer, o.polygon.feature, o.zone.clone()))
                .collect(),
        };
        Some(Action::ApplyPlanDatabase(Arc::new(PlanChoice {
            layers: applied.layers,
            entry,
        })))
    }

    /// Take the worker's answer, if it has come; an action when it is to be applied at once.
    fn poll(&mut self) -> Option<Action> {
        let r = self.reading.as_ref()?.try_recv().ok()?;
        self.reading = None;
        match r {
            Ok((db, bundled)) => {
                self.plan = plan_side(&bundled);
                self.bundled = bundled;
                self.db = Some(db);
                self.rematch();
                if std::mem::take(&mut self.auto_apply) {
                    return self.choice();
                }
            }
            Err(e) => {
                self.auto_apply = false;
                self.error = Some(e);
            }
        }
        None
    }

    /// The window, when open (and the worker's answer, always); returns what the user asked.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        last_dir: Option<PathBuf>,
    ) -> Vec<Action> {
        let mut actions: Vec<Action> = self.poll().into_iter().collect();
        if self.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if !self.open {
            return actions;
        }
        let mut open = true;
        egui::Window::new(lang.t("载入规划数据库", "Load the plan database"))
            .id(egui::Id::unique("plan-database"))
            .default_pos(egui::pos2(280.0, 60.0))
            .default_width(640.0)
            .open(&mut open)
            .show(ctx, |ui| self.contents(ui, lang, last_dir, &mut actions));
        self.open &= open;
        actions
    }

    fn contents(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        last_dir: Option<PathBuf>,
        actions: &mut Vec<Action>,
    ) {
        ui.label(lang.t(
            "县级矿产资源规划数据库：每个图层一个文件（重点开采区、集中开采区、勘查/开采规划区块）。按编号匹配，其次按名称；未匹配的规划区仍为示意。",
            "The county plan database: one file per layer (key and concentrated zones, exploration and mining blocks). Matched by code, else by name; unmatched zones stay schematic.",
        ));
        ui.horizontal(|ui| {
            if ui.button(lang.t("选择文件…", "Choose files…")).clicked() {
                self.pick_files(ui.ctx(), last_dir.clone(), lang);
            }
            if self.busy() {
                ui.spinner();
                ui.label(lang.t("正在读取…", "Reading…"));
            }
        });
        if let Some(b) = &mut self.browser {
            match b.show(ui, lang) {
                BrowserAction::Open(files) => {
                    self.browser = None;
                    self.read(ui.ctx(), files);
                }
                BrowserAction::Cancel => self.browser = None,
                BrowserAction::None => {}
            }
        }
        ui.horizontal_wrapped(|ui| {
            for f in &self.files {
                let name = f.file_name().map_or_else(
                    || f.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                ui.label(RichText::new(name).small())
                    .on_hover_text(f.display().to_string());
            }
        });
        if let Some(e) = &self.error {
            ui.colored_label(Color32::from_rgb(180, 30, 30), e.in_lang(lang));
        }
        let Some(db) = &self.db else { return };
        for e in db.errors.iter().chain(&db.notes) {
            ui.colored_label(Color32::from_rgb(180, 100, 0), e.in_lang(lang));
        }
        ui.separator();
        ui.label(RichText::new(summary_line(&self.table, lang)).strong());
        self.buttons(ui, lang, actions);
        ui.separator();
        let mut fix = None;
        egui::ScrollArea::vertical()
            .max_height(320.0)
            .show(ui, |ui| {
                fix = self.rows(ui, lang);
            });
        if let Some((p, z)) = fix {
            self.set_override(p, z);
        }
    }

    /// 应用 and 移除.
    fn buttons(&mut self, ui: &mut Ui, lang: Lang, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            if ui.button(lang.t("应用", "Apply")).clicked() {
                actions.extend(self.choice());
                self.applied = true;
            }
            if self.applied
                && ui
                    .button(lang.t(
                        "移除规划数据库（恢复示意图层）",
                        "Remove the plan database (schematic layers back)",
                    ))
                    .clicked()
            {
                actions.push(Action::RemovePlanDatabase);
                self.applied = false;
            }
        });
    }

    /// One row per database polygon (with a zone chooser), then the zones no polygon claims.
    /// Returns a fix the user made.
    fn rows(&self, ui: &mut Ui, lang: Lang) -> Option<(PolygonRef, Option<String>)> {
        let db = self.db.as_ref()?;
        let mut fix = None;
        egui::Grid::new("plan-database-rows")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new(lang.t("数据库图斑", "Database polygon")).strong());
                ui.label(RichText::new(lang.t("规划区", "Plan zone")).strong());
                ui.label(RichText::new(lang.t("匹配", "Match")).strong());
                ui.end_row();
                for r in db.refs() {
                    ui.label(db.describe(r));
                    let current = self.table.zone_of(r).map(|(z, _)| z.to_owned());
                    let shown = current.as_deref().map_or_else(
                        || lang.t("—（无）", "— (none)").to_owned(),
                        |z| self.zone_label(z),
                    );
                    egui::ComboBox::from_id_salt(("plan-zone", r.layer, r.feature))
                        .selected_text(shown)
                        .width(260.0)
                        .show_ui(ui, |ui| {
                            if ui
                                .selectable_label(current.is_none(), lang.t("—（无）", "— (none)"))
                                .clicked()
                            {
                                fix = Some((r, None));
                            }
                            for p in &self.plan {
                                let on = current.as_deref() == Some(p.id.as_str());
                                if ui.selectable_label(on, self.zone_label(&p.id)).clicked() {
                                    fix = Some((r, Some(p.id.clone())));
                                }
                            }
                        });
                    ui.label(self.status_of(r, lang));
                    ui.end_row();
                }
                for z in &self.table.unmatched_zones {
                    ui.label(RichText::new(lang.t("（无图斑）", "(no polygon)")).weak());
                    ui.label(self.zone_label(z));
                    ui.label(
                        RichText::new(lang.t("未匹配，仍为示意", "unmatched, stays schematic"))
                            .color(crate::gui::panels::details::SCHEMATIC_COLOR),
                    );
                    ui.end_row();
                }
            });
        fix
    }

    fn zone_label(&self, id: &str) -> String {
        self.plan
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_owned(), |p| format!("{id} {}", p.name))
    }

    fn status_of(&self, r: PolygonRef, lang: Lang) -> RichText {
        let t = &self.table;
        if let Some(m) = t.matched.iter().find(|m| m.polygon == r) {
            let how = match m.how {
                How::Code => lang.t("按编号", "by code"),
                How::Name => lang.t("按名称", "by name"),
                How::Manual => lang.t("手动", "by hand"),
            };
            return RichText::new(how).color(Color32::from_rgb(0, 120, 60));
        }
        if t.conflicts
            .iter()
            .any(|c| c.polygons.iter().any(|(p, _)| *p == r))
        {
            return RichText::new(lang.t(
                "冲突：同一规划区有两个图斑",
                "conflict: two polygons for one zone",
            ))
            .color(Color32::from_rgb(180, 30, 30));
        }
        let reason = t
            .unmatched_polygons
            .iter()
            .find(|u| u.polygon == r)
            .map_or("", |u| u.reason.in_lang(lang));
        RichText::new(format!("{}：{reason}", lang.t("未匹配", "unmatched")))
            .color(Color32::from_rgb(180, 100, 0))
    }

    /// The system dialog, or the in-window browser where none opens.
    fn pick_files(&mut self, ctx: &egui::Context, start: Option<PathBuf>, lang: Lang) {
        if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            self.browser = Some(FileBrowser::new(start));
            return;
        }
        let t = std::time::Instant::now();
        let mut dialog = rfd::FileDialog::new()
            .set_title(lang.t("规划数据库", "Plan database"))
            .add_filter("shp, zip, gpkg", &["shp", "zip", "gpkg"]);
        if let Some(d) = &start {
            dialog = dialog.set_directory(d);
        }
        match dialog.pick_files() {
            Some(files) => self.read(ctx, files),
            None if t.elapsed() < std::time::Duration::from_millis(250) => {
                self.browser = Some(FileBrowser::new(start))
            }
            None => {}
        }
    }
}

/// 匹配 n（按编号 a，按名称 b，手动 c）；冲突 k；未匹配规划区 u；未匹配图斑 p.
fn summary_line(t: &MatchTable, lang: Lang) -> String {
    let count = |h: How| t.matched.iter().filter(|m| m.how == h).count();
    match lang {
        Lang::Zh => format!(
            "匹配 {}（按编号 {}，按名称 {}，手动 {}）；冲突 {}；未匹配规划区 {}；未匹配图斑 {}",
            t.matched.len(),
            count(How::Code),
            count(How::Name),
            count(How::Manual),
            t.conflicts.len(),
            t.unmatched_zones.len(),
            t.unmatched_polygons.len()
        ),
        Lang::En => format!(
            "matched {} (by code {}, by name {}, by hand {}); conflicts {}; zones unmatched {}; polygons unmatched {}",
            t.matched.len(),
            count(How::Code),
            count(How::Name),
            count(How::Manual),
            t.conflicts.len(),
            t.unmatched_zones.len(),
            t.unmatched_polygons.len()
        ),
    }
}
