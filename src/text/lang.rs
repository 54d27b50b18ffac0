//! The interface language: 中文 (default) or English. The window writes its own strings in pairs
//! where they are used, `lang.t("中文", "English")`, so each stays next to its context; the core's
//! messages are [`crate::text::Text`] values worded with [`crate::text::Text::in_lang`].

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Pick the string for this language.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Whether Chinese is chosen.
    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }

    /// Key stored in the settings (and given to the command line's `--lang`).
    pub fn key(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parse a stored key.
    pub fn from_key(s: &str) -> Option<Self> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}
