//! [`LoadError`]: why a file gave no layer, as data (the file, what went wrong) with one wording
//! function, [`LoadError::words`], that each front end calls in its language.

use crate::text::{Lang, Text};

/// Why a file (or a zip member, or a GeoPackage table) gave no layer.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// The file as shown to the user (a member or table as `a.zip!b.shp`, `a.gpkg!table`).
    pub file: String,
    /// What went wrong.
    pub kind: LoadErrorKind,
}

/// What went wrong loading a file.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadErrorKind {
    /// The file could not be read; the system's reason (in the system's words).
    CannotRead(String),
    /// A format not read here. A known one (`.gdb`, `.dwg`, MapGIS…) comes with what to convert
    /// it to; `None` for any other extension.
    Unsupported(Option<Text>),
    /// A `.dbf`, `.shx`, `.prj` or `.cpg` whose `.shp` is not next to it.
    PartOfShapefileSet,
    /// The file was read but not one feature could be loaded; why.
    NothingLoaded(Text),
    /// The user cancelled the load.
    Cancelled,
    /// The file is not what its name says or is damaged; what is wrong.
    Invalid(Text),
}

impl LoadError {
    /// An error about `file`.
    pub fn new(file: &str, kind: LoadErrorKind) -> Self {
        Self {
            file: file.to_owned(),
            kind,
        }
    }

    /// `file` is not valid: `why`.
    pub fn invalid(file: &str, why: Text) -> Self {
        Self::new(file, LoadErrorKind::Invalid(why))
    }

    /// `file` was read but holds no feature with a geometry (a GeoPackage table when `table`);
    /// the first problem met, when there is one, says why.
    pub fn no_features(file: &str, table: bool, first_problem: Option<&Text>) -> Self {
        let (zh, en) = if table {
            ("表中没有要素", "the table holds no features")
        } else {
            ("文件中没有要素", "the file holds no features")
        };
        let why = match first_problem {
            Some(p) => Text::by_lang(|l| match l {
                Lang::Zh => format!("{zh}（{}）", p.in_lang(l)),
                Lang::En => format!("{en} ({})", p.in_lang(l)),
            }),
            None => Text::fixed(zh, en),
        };
        Self::new(file, LoadErrorKind::NothingLoaded(why))
    }

    /// The load of `file` was cancelled.
    pub fn cancelled(file: &str) -> Self {
        Self::new(file, LoadErrorKind::Cancelled)
    }

    /// Whether the user cancelled the load.
    pub fn is_cancelled(&self) -> bool {
        self.kind == LoadErrorKind::Cancelled
    }

    /// The error as a message, naming the file.
    pub fn text(&self) -> Text {
        let file = &self.file;
        match &self.kind {
            LoadErrorKind::CannotRead(e) => {
                crate::text!("{file}：无法读取：{e}", "{file}: cannot read: {e}")
            }
            LoadErrorKind::Unsupported(None) => crate::text!(
                "{file}：不支持的文件类型（可打开 .shp、.zip、.gpkg、.dxf、拐点坐标 .txt/.csv、.geojson/.json、.kml/.kmz）",
                "{file}: unsupported file type (open .shp, .zip, .gpkg, .dxf, a corner-coordinate .txt/.csv, .geojson/.json, .kml/.kmz)"
            ),
            LoadErrorKind::Unsupported(Some(advice)) => advice.about(file),
            LoadErrorKind::PartOfShapefileSet => crate::text!(
                "{file}：这是 shapefile 文件组中的一个文件，请打开它的 .shp（旁边没有找到）",
                "{file}: this is part of a shapefile set; open its .shp (not found next to it)"
            ),
            LoadErrorKind::NothingLoaded(why) => Text::by_lang(|l| match l {
                Lang::Zh => format!("{file}：没有可载入的要素：{}", why.in_lang(l)),
                Lang::En => format!("{file}: no features could be loaded: {}", why.in_lang(l)),
            }),
            LoadErrorKind::Cancelled => {
                crate::text!("{file}：载入已取消", "{file}: loading cancelled")
            }
            LoadErrorKind::Invalid(why) => why.about(file),
        }
    }

    /// The error worded in `lang`, naming the file.
    pub fn words(&self, lang: Lang) -> String {
        self.text().in_lang(lang).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_names_the_file_and_words_differently_in_each_language() {
        let kinds = [
            LoadErrorKind::CannotRead("permission denied".into()),
            LoadErrorKind::Unsupported(None),
            LoadErrorKind::Unsupported(Some(Text::fixed("DWG 暂不支持", "DWG is not supported"))),
            LoadErrorKind::PartOfShapefileSet,
            LoadErrorKind::NothingLoaded(Text::fixed("没有要素", "no features")),
            LoadErrorKind::Cancelled,
            LoadErrorKind::Invalid(Text::fixed("不是有效的 JSON", "not valid JSON")),
        ];
        let mut seen = Vec::new();
        for kind in kinds {
            let e = LoadError::new("矿区/采矿权.shp", kind);
            let (zh, en) = (e.words(Lang::Zh), e.words(Lang::En));
            assert_ne!(zh, en, "{e:?}");
            for w in [&zh, &en] {
                assert!(w.starts_with("矿区/采矿权.shp"), "{w}");
            }
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert!(!en.contains('：'), "{en}");
            assert!(!seen.contains(&en), "two kinds word alike: {en}");
            seen.push(en);
        }
    }
}
