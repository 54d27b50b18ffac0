//! The keys a text is found by: the text normalised (lower case, full-width letters and digits
//! made half-width, spaces dropped), and for text with Chinese characters its pinyin, in full
//! and as initials ("蛟流河乡" → `jiaoliuhexiang`, `jlhx`).
//!
//! Pinyin comes from the `pinyin` crate (mozillazg/rust-pinyin: the pinyin-data table of every
//! CJK Unified Ideograph, no dependencies, no network); a character with several readings takes
//! its most common one, as the crate lists it first.

use pinyin::ToPinyin;

/// Normalise text for matching: lower case, full-width ASCII (Ａ１，) made half-width, the
/// ideographic space and all whitespace dropped.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            (!c.is_whitespace()).then_some(c)
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A text's pinyin: in full (`jiaoliuhexiang`) and its initials (`jlhx`). Letters and digits
/// in the text are kept as they are (lower case) in both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinyinKeys {
    /// Every syllable, without tones or separators.
    pub full: String,
    /// The first letter of each syllable.
    pub initials: String,
}

/// The pinyin keys of a normalised text, `None` when it holds no Chinese character.
pub fn pinyin_keys(norm: &str) -> Option<PinyinKeys> {
    let mut full = String::new();
    let mut initials = String::new();
    let mut any = false;
    for c in norm.chars() {
        if let Some(p) = c.to_pinyin() {
            any = true;
            full.push_str(p.plain());
            initials.push_str(p.first_letter());
        } else if c.is_ascii_alphanumeric() {
            full.push(c);
            initials.push(c);
        }
    }
    any.then_some(PinyinKeys { full, initials })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn township_names_get_their_pinyin() {
        let k = pinyin_keys(&normalize("蛟流河乡")).expect("pinyin");
        assert_eq!(k.initials, "jlhx");
        assert_eq!(k.full, "jiaoliuhexiang");
        let k = pinyin_keys(&normalize("洮南市")).expect("pinyin");
        assert_eq!(k.full, "taonanshi");
        assert_eq!(pinyin_keys("abc"), None);
    }

    #[test]
    fn full_width_and_spaces_are_normalised() {
        assert_eq!(normalize("ＫＣ　０１ 号"), "kc01号");
    }
}
