//! [`Text`]: one message in both languages, and the [`crate::text!`] macro that builds it.

use std::borrow::Cow;

use super::Lang;

/// One message for people, worded in Chinese and in English. A front end shows the wording of
/// its language ([`Text::in_lang`]); nothing else picks one, and there is deliberately no
/// `Display`, so a message cannot be glued into `"中文 / English"` or printed in a language
/// chosen by accident.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    zh: Cow<'static, str>,
    en: Cow<'static, str>,
}

impl Text {
    /// A message from its two wordings (usually through [`crate::text!`]).
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A message from two fixed wordings, usable in constants.
    pub const fn fixed(zh: &'static str, en: &'static str) -> Self {
        Self {
            zh: Cow::Borrowed(zh),
            en: Cow::Borrowed(en),
        }
    }

    /// The same words in both languages: a name, numbers, or a message that only has one wording
    /// (the operating system's or a library's, e.g. an I/O error or a PROJ error).
    pub fn same(words: impl Into<Cow<'static, str>>) -> Self {
        let words = words.into();
        Self {
            zh: words.clone(),
            en: words,
        }
    }

    /// A message worded by one function for each language, for messages made of other
    /// messages: `Text::by_lang(|l| format!("{}；{}", a.in_lang(l), b.in_lang(l)))`.
    pub fn by_lang(word: impl Fn(Lang) -> String) -> Self {
        Self {
            zh: word(Lang::Zh).into(),
            en: word(Lang::En).into(),
        }
    }

    /// The wording in `lang`.
    pub fn in_lang(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// This message about `subject` (a file, a zip member, a table): `a.shp：……` in Chinese,
    /// `a.shp: …` in English.
    pub fn about(&self, subject: &str) -> Self {
        Self {
            zh: format!("{subject}：{}", self.zh).into(),
            en: format!("{subject}: {}", self.en).into(),
        }
    }

    /// This message about a `subject` that is itself worded in both languages.
    pub fn about_text(&self, subject: &Text) -> Self {
        Self {
            zh: format!("{}：{}", subject.zh, self.zh).into(),
            en: format!("{}: {}", subject.en, self.en).into(),
        }
    }

    /// Both wordings in one string, `中文 / English`, for text stored in data that is read in
    /// either language (an attribute value written into the layer and its exports). Messages
    /// to the user never use this: they are worded with [`Text::in_lang`].
    pub fn in_both_languages(&self) -> String {
        if self.zh == self.en {
            self.zh.to_string()
        } else {
            format!("{} / {}", self.zh, self.en)
        }
    }

    /// Several messages in one, `；` between them in Chinese and `; ` in English.
    pub fn join(items: &[Text]) -> Self {
        Self::by_lang(|l| {
            items
                .iter()
                .map(|t| t.in_lang(l))
                .collect::<Vec<_>>()
                .join(l.t("；", "; "))
        })
    }
}

/// A [`Text`] from a Chinese and an English format string that take the same values:
/// `text!("{file}：无法读取：{e}", "{file}: cannot read: {e}")`, or with arguments after the two
/// strings. Each argument is evaluated once per language, so pass plain values.
#[macro_export]
macro_rules! text {
    ($zh:literal, $en:literal $(,)?) => {
        $crate::text::Text::new(::std::format!($zh), ::std::format!($en))
    };
    ($zh:literal, $en:literal, $($arg:tt)+) => {
        $crate::text::Text::new(::std::format!($zh, $($arg)+), ::std::format!($en, $($arg)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_gets_its_own_wording() {
        let file = "a.shp";
        let n = 3;
        let t = crate::text!("{file}：跳过 {n} 条", "{file}: {n} skipped");
        assert_eq!(t.in_lang(Lang::Zh), "a.shp：跳过 3 条");
        assert_eq!(t.in_lang(Lang::En), "a.shp: 3 skipped");
        let positional = crate::text!("{}：{}", "{}: {}", file, n);
        assert_eq!(positional.in_lang(Lang::En), "a.shp: 3");
    }

    #[test]
    fn about_and_join_keep_the_languages_apart() {
        let a = Text::fixed("甲", "A");
        let b = Text::same("42");
        let both = Text::join(&[a.clone(), b]).about("x.zip");
        assert_eq!(both.in_lang(Lang::Zh), "x.zip：甲；42");
        assert_eq!(both.in_lang(Lang::En), "x.zip: A; 42");
        assert_eq!(Text::by_lang(|l| a.in_lang(l).to_owned()), a);
    }
}
