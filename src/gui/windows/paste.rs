//! 文件 → 粘贴拐点坐标…: a box where a corner-point table is pasted. The text is kept as a
//! file in the app's data folder ([`keep_pasted`]), so the layer comes back at the next start
//! like any other file.

use std::path::{Path, PathBuf};

use crate::gui::Action;
use crate::gui::i18n::Lang;

/// The paste box's text.
#[derive(Debug, Default)]
pub struct PasteBox {
    text: String,
}

impl PasteBox {
    /// Draw the box; returns [`Action::LoadPasted`] when the user asks to load the text, and
    /// whether the box stays open.
    pub fn show(&mut self, ctx: &egui::Context, lang: Lang) -> (Option<Action>, bool) {
        let mut open = true;
        let mut load = None;
        egui::Window::new(lang.t("粘贴拐点坐标", "Paste corner coordinates"))
            .id(egui::Id::unique("paste-corners"))
            .default_pos(egui::pos2(300.0, 80.0))
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label(lang.t(
                    "每行：点号, X, Y（X 为北坐标）；或 X1,Y1;X2,Y2;…；或整段土地勘测定界文本。",
                    "One point per line: name, X, Y (X = northing); or X1,Y1;X2,Y2;…; or a whole land-survey text.",
                ));
                ui.add(
                    egui::TextEdit::multiline(&mut self.text)
                        .desired_rows(10)
                        .desired_width(460.0)
                        .code_editor(),
                );
                if ui.button(lang.t("载入", "Load")).clicked() {
                    load = Some(Action::LoadPasted(self.text.clone()));
                }
            });
        let open = open || load.is_some();
        (load, open)
    }
}

/// Keep pasted text as a file in `data_dir/pasted` (named by the time); returns its path.
pub fn keep_pasted(data_dir: &Path, text: &str) -> Result<PathBuf, String> {
    let dir = data_dir.join("pasted");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let path = dir.join(format!("粘贴拐点坐标-{secs}.txt"));
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
