//! A layer's settings window: its labels (on/off, field, size, halo) for every layer; for a
//! user's layer also its colour, what it is for the overlap rules, its CRS (searchable by code
//! or name), its attribute encoding with a preview, and its loading notes. It changes nothing
//! itself: what the user picks comes back as actions.

use std::path::Path;

use egui::{Color32, RichText};

use crate::crs::crs_guess::{self, CrsSource};
use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::layer_set::{LayerState, LoadInfo, options_of};
use crate::gui::session::FileEntry;
use crate::io::loader::LoadOptions;
use crate::model::Layer;
use crate::model::style::{LabelStyle, Style};

/// Encodings the user can pick for attribute text.
pub const ENCODINGS: &[(&str, &str)] = &[
    ("UTF-8", "UTF-8"),
    ("GBK", "GBK (CP936 / GB2312)"),
    ("gb18030", "GB18030"),
    ("Big5", "Big5"),
    ("windows-1252", "Windows-1252"),
];

/// What a user's layer can be said to be (analysis role keys), with labels.
pub const ANALYSIS_ROLES: &[(Option<&str>, &str, &str)] = &[
    (None, "按名称判断", "From its name"),
    (Some("surveyed_mining_right"), "采矿权", "Mining rights"),
    (
        Some("surveyed_exploration_right"),
        "探矿权",
        "Exploration rights",
    ),
    (Some("loaded"), "其他", "Other"),
];

/// The layer-settings window's state.
pub struct SettingsState {
    /// Layer shown.
    pub layer: usize,
    /// CRS search text.
    pub crs_query: String,
    /// Encoding picked for preview.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The preview of the encoding picked, worked out once per pick (not every frame).
    pub preview: Option<(&'static encoding_rs::Encoding, Vec<String>)>,
}

impl SettingsState {
    /// The window for layer `li`, nothing picked yet.
    pub fn new(li: usize) -> Self {
        Self {
            layer: li,
            crs_query: String::new(),
            encoding: None,
            preview: None,
        }
    }
}

/// What the window shows of its layer.
pub struct SettingsInput<'a> {
    /// The layer.
    pub layer: &'a Layer,
    /// What the window knows of it.
    pub state: &'a LayerState,
    /// The default style of loaded layers.
    pub loaded: Style,
    /// Its labels as they are.
    pub labels: LabelStyle,
}

/// Draw the window for a layer. Returns the user's changes as actions, and whether the window
/// stays open.
pub fn show(
    ctx: &egui::Context,
    lang: Lang,
    window: &mut SettingsState,
    input: SettingsInput<'_>,
) -> (Vec<Action>, bool) {
    let SettingsInput {
        layer,
        state,
        loaded,
        labels,
    } = input;
    let li = window.layer;
    let mut open = true;
    let mut actions = Vec::new();
    let mut reload: Option<LoadOptions> = None;
    let entry = state.entry.clone().unwrap_or_default();
    let info = state.info.as_ref();
    egui::Window::new(format!(
        "{}：{}",
        lang.t("图层设置", "Layer settings"),
        layer.name_zh
    ))
    .id(egui::Id::unique("layer-settings"))
    .default_pos(egui::pos2(300.0, 60.0))
    .open(&mut open)
    .default_width(460.0)
    .show(ctx, |ui| {
        ui.label(format!("{}：{}", lang.t("文件", "File"), layer.source));
        ui.separator();
        actions.extend(labels_section(ui, lang, li, layer, &labels));
        if state.entry.is_none() {
            return;
        }
        ui.separator();
        actions.extend(colour_and_role(ui, lang, li, &entry, loaded));
        ui.separator();
        reload = crs_section(ui, lang, &mut window.crs_query, &entry, info);
        if ui
            .button(lang.t(
                "坐标转换（四参数 / 七参数）…",
                "Transform (four / seven parameters)…",
            ))
            .on_hover_text(lang.t(
                "矿区独立坐标系：输入参数或用控制点解算",
                "A local mine grid: type the parameters or solve them from control points",
            ))
            .clicked()
        {
            actions.push(Action::OpenTransform(li));
        }
        ui.separator();
        reload = encoding_section(ui, lang, window, &entry, info).or(reload.take());
        if let Some(info) = info
            && !info.problems.is_empty()
        {
            ui.separator();
            ui.label(RichText::new(lang.t("载入提示", "Loading notes")).strong());
            for p in info.problems.iter().take(20) {
                ui.label(RichText::new(p.in_lang(lang)).small());
            }
        }
    });
    if let Some(o) = reload {
        actions.push(Action::Reload(li, o));
    }
    (actions, open)
}

/// The fields a layer's features have, in file order (from its first features: a layer read
/// from one table has one set).
fn field_names(layer: &Layer) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for f in layer.features.iter().take(50) {
        for n in f.attributes.names() {
            if !names.iter().any(|m| m.as_str() == &**n) {
                names.push(n.to_string());
            }
        }
    }
    names
}

/// The layer's labels: on/off, the field (or the display name), size and halo; a change comes
/// back as [`Action::SetLabels`].
fn labels_section(
    ui: &mut egui::Ui,
    lang: Lang,
    li: usize,
    layer: &Layer,
    current: &LabelStyle,
) -> Option<Action> {
    let mut l = current.clone();
    ui.label(RichText::new(lang.t("标注", "Labels")).strong());
    ui.checkbox(&mut l.on, lang.t("显示标注", "Show labels"));
    ui.add_enabled_ui(l.on, |ui| {
        let name_label = lang.t("显示名称", "Display name");
        ui.horizontal(|ui| {
            ui.label(lang.t("标注字段", "Label field"));
            egui::ComboBox::from_id_salt("label-field")
                .selected_text(l.field.clone().unwrap_or_else(|| name_label.to_owned()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut l.field, None, name_label);
                    for name in field_names(layer) {
                        let text = name.clone();
                        ui.selectable_value(&mut l.field, Some(name), text);
                    }
                });
        });
        ui.horizontal(|ui| {
            ui.label(lang.t("字号", "Font size"));
            ui.add(
                egui::DragValue::new(&mut l.size)
                    .range(LabelStyle::SIZES)
                    .speed(0.5)
                    .suffix(" pt"),
            );
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut l.halo, lang.t("光晕", "Halo"));
            let mut rgb = [l.halo_color[0], l.halo_color[1], l.halo_color[2]];
            if ui.color_edit_button_srgb(&mut rgb).changed() {
                l.halo_color = [rgb[0], rgb[1], rgb[2], 255];
            }
        });
    });
    (l != *current).then_some(Action::SetLabels(li, l))
}

/// The layer's colour and what it is for the overlap rules.
fn colour_and_role(
    ui: &mut egui::Ui,
    lang: Lang,
    li: usize,
    entry: &FileEntry,
    loaded: Style,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let style = loaded;
    let mut rgb = entry.color.map(|c| [c[0], c[1], c[2]]).unwrap_or([
        style.stroke[0],
        style.stroke[1],
        style.stroke[2],
    ]);
    ui.horizontal(|ui| {
        ui.label(lang.t("颜色", "Colour"));
        if ui.color_edit_button_srgb(&mut rgb).changed() {
            actions.push(Action::SetColor(li, [rgb[0], rgb[1], rgb[2], 255]));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.t(
            "图层性质（用于叠加检查）",
            "What it is (for the overlap rules)",
        ));
        for (key, zh, en) in ANALYSIS_ROLES {
            let on = entry.analysis_role.as_deref() == *key;
            if ui.selectable_label(on, lang.t(zh, en)).clicked() && !on {
                actions.push(Action::SetAnalysisRole(li, key.map(str::to_owned)));
            }
        }
    });
    actions
}

/// The CRS as loaded, a search for another, and the X/Y swap; returns the options to reload
/// with when the user picks one.
fn crs_section(
    ui: &mut egui::Ui,
    lang: Lang,
    query: &mut String,
    entry: &FileEntry,
    info: Option<&LoadInfo>,
) -> Option<LoadOptions> {
    let mut reload = None;
    if let Some(info) = info {
        let how = match info.crs.source {
            CrsSource::Prj => lang.t("来自 .prj", "from the .prj"),
            CrsSource::Inferred => lang.t("根据坐标数值推断", "inferred from the numbers"),
            CrsSource::User => lang.t("用户指定", "chosen by the user"),
        };
        ui.label(
            RichText::new(format!(
                "{}：{}（{how}）",
                lang.t("坐标系", "CRS"),
                info.crs.label.in_lang(lang)
            ))
            .strong(),
        );
        ui.label(RichText::new(info.crs.reason.in_lang(lang)).small());
        for w in &info.warnings {
            ui.label(
                RichText::new(w.in_lang(lang))
                    .color(Color32::from_rgb(200, 90, 0))
                    .small(),
            );
        }
    }
    ui.horizontal(|ui| {
        ui.label(lang.t(
            "改用坐标系（搜索 EPSG 或名称）",
            "Use another CRS (search EPSG or name)",
        ));
        ui.text_edit_singleline(query);
    });
    egui::ScrollArea::vertical()
        .id_salt("crs-list")
        .max_height(140.0)
        .show(ui, |ui| {
            for c in crs_guess::search(query) {
                let name = if lang.is_zh() { c.name_zh } else { c.name_en };
                let current = info.and_then(|i| i.crs.epsg) == Some(c.epsg);
                if ui
                    .selectable_label(current, format!("EPSG:{}  {name}", c.epsg))
                    .clicked()
                {
                    let mut o = options_of(entry);
                    o.epsg = Some(c.epsg);
                    reload = Some(o);
                }
            }
        });
    ui.horizontal(|ui| {
        let mut swap = info.is_some_and(|i| i.swapped);
        if ui
            .checkbox(
                &mut swap,
                lang.t(
                    "交换 X/Y（北坐标与东坐标）",
                    "Swap X/Y (northing and easting)",
                ),
            )
            .changed()
        {
            let mut o = options_of(entry);
            o.swap_xy = Some(swap);
            reload = Some(o);
        }
    });
    reload
}

/// The encoding as loaded, a pick of another with a live preview; returns the options to
/// reload with when the user asks.
fn encoding_section(
    ui: &mut egui::Ui,
    lang: Lang,
    window: &mut SettingsState,
    entry: &FileEntry,
    info: Option<&LoadInfo>,
) -> Option<LoadOptions> {
    if let Some(info) = info {
        ui.label(format!(
            "{}：{}",
            lang.t("文字编码", "Text encoding"),
            info.encoding.as_ref().map_or("—", |e| e.in_lang(lang))
        ));
    }
    ui.horizontal_wrapped(|ui| {
        for (label, shown) in ENCODINGS {
            let enc = encoding_rs::Encoding::for_label(label.as_bytes());
            if ui
                .selectable_label(window.encoding == enc && enc.is_some(), *shown)
                .clicked()
            {
                window.encoding = enc;
            }
        }
    });
    let enc = window.encoding?;
    ui.label(RichText::new(lang.t("预览（前 5 行）：", "Preview (first 5 rows):")).strong());
    if window.preview.as_ref().is_none_or(|(e, _)| *e != enc) {
        window.preview = Some((enc, encoding_preview(&entry.path, enc, lang)));
    }
    for line in window.preview.iter().flat_map(|(_, lines)| lines) {
        ui.label(RichText::new(line).small());
    }
    if ui
        .button(lang.t("使用此编码重新载入", "Reload with this encoding"))
        .clicked()
    {
        let mut o = options_of(entry);
        o.encoding = Some(enc);
        return Some(o);
    }
    None
}

/// The header and first [`PREVIEW_RECORDS`] records of a `.dbf` (the table reader reads a
/// table cut short as far as it goes).
fn read_dbf_start(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut head = [0u8; 12];
    file.read_exact(&mut head)?;
    let header_len = u64::from(u16::from_le_bytes([head[8], head[9]]));
    let record_len = u64::from(u16::from_le_bytes([head[10], head[11]]));
    let want = header_len + record_len * PREVIEW_RECORDS as u64;
    let mut bytes = head.to_vec();
    file.take(want.saturating_sub(12)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Records read for the encoding preview: its first rows, and the undecodable values counted
/// over this many (a county layer's `.dbf` is 100 MB; the preview reads its start only).
const PREVIEW_RECORDS: usize = 2000;

/// The first rows of a shapefile's text fields decoded with `enc` (for the encoding preview),
/// and how many values of the first [`PREVIEW_RECORDS`] records `enc` cannot decode.
pub fn encoding_preview(
    path: &Path,
    enc: &'static encoding_rs::Encoding,
    lang: Lang,
) -> Vec<String> {
    let is_shp = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if !is_shp {
        return vec![
            lang.t("（仅 .shp 可预览）", "(preview for .shp files only)")
                .into(),
        ];
    }
    let dbf = path.with_extension("dbf");
    let Ok(bytes) = read_dbf_start(&dbf) else {
        return vec![format!(
            "{}：{}",
            dbf.display(),
            lang.t("无法读取", "cannot read")
        )];
    };
    match crate::io::dbf::read(&bytes, enc) {
        Ok(t) => {
            let mut out = Vec::new();
            for rec in t.records.iter().flatten().take(5) {
                let cells: Vec<String> = rec
                    .iter()
                    .map(|(name, v)| format!("{name}={}", v.display()))
                    .collect();
                out.push(cells.join(" | "));
            }
            if !t.undecodable.is_empty() {
                let (bad, name, n) = (t.undecodable.len(), enc.name(), t.records.len());
                out.push(match lang {
                    Lang::Zh => format!("前 {n} 条记录中 {bad} 个值无法用 {name} 解码"),
                    Lang::En => {
                        format!("{bad} value(s) of the first {n} records not valid in {name}")
                    }
                });
            }
            out
        }
        Err(e) => vec![e.in_lang(lang).to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::dbf::{FieldSpec, write};
    use crate::model::Value;

    /// The preview reads the start of the `.dbf` only, decodes its first rows, and counts what
    /// the encoding cannot decode in the records it read.
    #[test]
    fn the_encoding_preview_reads_the_start_of_a_big_table() {
        let dir = std::env::temp_dir()
            .join(format!("taonan-preview-{}", std::process::id()))
            .join("宗地");
        std::fs::create_dir_all(&dir).expect("dir");
        let fields = [FieldSpec {
            name: "MC".into(),
            kind: 'C',
            length: 20,
            decimals: 0,
        }];
        let rows: Vec<Vec<Value>> = (0..5000)
            .map(|i| vec![Value::Text(format!("地块{i}"))])
            .collect();
        let bytes = write(&fields, &rows, encoding_rs::GBK, 0x4D, (2026, 1, 1)).expect("dbf");
        std::fs::write(dir.join("宗地.dbf"), bytes).expect("write");
        let shp = dir.join("宗地.shp");
        let gbk = encoding_preview(&shp, encoding_rs::GBK, Lang::Zh);
        assert_eq!(gbk.len(), 5, "{gbk:?}");
        assert_eq!(gbk[0], "MC=地块0");
        let utf8 = encoding_preview(&shp, encoding_rs::UTF_8, Lang::Zh);
        assert!(
            utf8.last()
                .is_some_and(|l| l.contains("前 2000 条记录中 2000 个值")),
            "{utf8:?}"
        );
        let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
    }
}
