//! The bundled CJK font (Noto Sans SC, GBK subset; see `assets/fonts/README.md`), installed as a
//! fallback after egui's own fonts so that every Chinese string renders.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

use crate::render::NOTO_SANS_SC;

/// Prepare a context for the app: the CJK font and the light theme (maps read best on light).
pub fn setup_context(ctx: &egui::Context) {
    install(ctx);
    ctx.set_theme(egui::ThemePreference::Light);
}

/// Install the CJK font for both font families.
pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "noto_sans_sc".into(),
        Arc::new(FontData::from_static(NOTO_SANS_SC)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("noto_sans_sc".into());
    }
    ctx.set_fonts(fonts);
}
