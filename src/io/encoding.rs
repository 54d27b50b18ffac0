//! Text encodings of DBF attribute tables: detection in the order that works for Chinese files
//! (`.cpg` → DBF language driver byte → strict UTF-8 → GBK/GB18030), and strict decoding. Nothing is ever decoded lossily in silence.

use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

use crate::text;
use crate::text::{Lang, Text};

/// A text encoding chosen for a table, with how it was decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// How it was decided, e.g. ".cpg: UTF-8" or "DBF LDID 0x4D".
    pub reason: Text,
}

impl Detected {
    /// The encoding chosen by the user.
    pub fn chosen(encoding: &'static Encoding) -> Self {
        Self {
            encoding,
            reason: Text::fixed("用户指定", "chosen by the user"),
        }
    }

    /// "UTF-8 (.cpg: UTF-8)" style description.
    pub fn describe(&self) -> Text {
        let name = self.encoding.name();
        Text::by_lang(|l| match l {
            Lang::Zh => format!("{name}（{}）", self.reason.in_lang(l)),
            Lang::En => format!("{name} ({})", self.reason.in_lang(l)),
        })
    }
}

/// Map a `.cpg` sidecar's text to an encoding ("UTF-8", "GBK", "936", "CP936", "ANSI 936",
/// "GB2312", "GB18030", …). GB2312 and GBK are read as GBK (a superset).
pub fn from_cpg(text: &str) -> Option<&'static Encoding> {
    let t = text
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_uppercase();
    let t = t.trim_start_matches("ANSI").trim();
    match t {
        "UTF-8" | "UTF8" | "65001" | "CP65001" => Some(UTF_8),
        "GBK" | "936" | "CP936" | "GB2312" | "EUC-CN" | "MS936" | "WINDOWS-936" => Some(GBK),
        "GB18030" | "54936" => Some(GB18030),
        other => Encoding::for_label(other.as_bytes()),
    }
}

/// Map a DBF language driver id (byte 29) to an encoding, when it names a Chinese code page.
/// 0x4D is code page 936; 0x7A is listed as 936 by ESRI too. 0x57 ("current ANSI code page")
/// says nothing by itself and is left to the later steps.
pub fn from_ldid(ldid: u8) -> Option<&'static Encoding> {
    match ldid {
        0x4D | 0x7A => Some(GBK),
        _ => None,
    }
}

/// Decide the encoding of a DBF table from its sidecar and bytes.
///
/// `cpg` is the `.cpg` text if present; `dbf` the whole table (its header holds the LDID, its
/// records the text to test).
pub fn detect(cpg: Option<&str>, dbf: &[u8]) -> Detected {
    if let Some(text) = cpg
        && let Some(enc) = from_cpg(text)
    {
        return Detected {
            encoding: enc,
            reason: Text::same(format!(".cpg: {}", text.trim())),
        };
    }
    let mut d = detect_from_data(dbf);
    if let Some(text) = cpg.filter(|t| !t.trim().is_empty()) {
        let (cpg, before) = (text.trim(), d.reason);
        d.reason = Text::by_lang(|l| match l {
            Lang::Zh => format!("无法识别的 .cpg \"{cpg}\"，已忽略；{}", before.in_lang(l)),
            Lang::En => format!("unknown .cpg \"{cpg}\" ignored; {}", before.in_lang(l)),
        });
    }
    d
}

/// Detection without a usable `.cpg`: LDID, then strict UTF-8, then GBK/GB18030.
fn detect_from_data(dbf: &[u8]) -> Detected {
    if let Some(&ldid) = dbf.get(29)
        && let Some(enc) = from_ldid(ldid)
    {
        return Detected {
            encoding: enc,
            reason: Text::same(format!("DBF LDID 0x{ldid:02X}")),
        };
    }
    let body = dbf_body(dbf);
    if body.is_ascii() {
        return Detected {
            encoding: UTF_8,
            reason: Text::fixed("只有 ASCII 字符", "ASCII only"),
        };
    }
    if std::str::from_utf8(body).is_ok() {
        return Detected {
            encoding: UTF_8,
            reason: Text::fixed("全部文本都是有效的 UTF-8", "all text is valid UTF-8"),
        };
    }
    if GBK
        .decode_without_bom_handling_and_without_replacement(body)
        .is_some()
    {
        return Detected {
            encoding: GBK,
            reason: Text::fixed("不是 UTF-8；是有效的 GBK", "not UTF-8; valid GBK"),
        };
    }
    Detected {
        encoding: GB18030,
        reason: text!(
            "既不是 UTF-8 也不是 GBK；按 GB18030",
            "not UTF-8 nor GBK; GB18030"
        ),
    }
}

/// The header (field names) and records of a DBF, without the fixed 32-byte preamble.
fn dbf_body(dbf: &[u8]) -> &[u8] {
    dbf.get(32..).unwrap_or(&[])
}

/// Decode bytes strictly: `None` when they are not valid in `enc` (never U+FFFD in silence).
pub fn decode_strict(enc: &'static Encoding, bytes: &[u8]) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| {
            // The decoder reserves room for the longest possible result (half as much again
            // for GBK); a county layer keeps 1.5 million of these strings.
            let mut s = c.into_owned();
            s.shrink_to_fit();
            s
        })
}

/// Encode text, `None` when a character cannot be represented in `enc`.
pub fn encode_strict(enc: &'static Encoding, text: &str) -> Option<Vec<u8>> {
    let (bytes, _, had_errors) = enc.encode(text);
    (!had_errors).then(|| bytes.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpg_spellings() {
        for s in [
            "GBK",
            "936",
            "CP936",
            "gb2312",
            "ANSI 936",
            "\u{feff}GBK\r\n",
        ] {
            assert_eq!(from_cpg(s), Some(GBK), "{s}");
        }
        for s in ["UTF-8", "utf8", "65001"] {
            assert_eq!(from_cpg(s), Some(UTF_8), "{s}");
        }
        assert_eq!(from_cpg("GB18030"), Some(GB18030));
    }

    #[test]
    fn detection_order() {
        let mut dbf = vec![0u8; 40];
        dbf.extend_from_slice("洮南".as_bytes());
        assert_eq!(detect(Some("GBK"), &dbf).encoding, GBK);
        assert_eq!(detect(None, &dbf).encoding, UTF_8);
        let mut gbk = vec![0u8; 40];
        gbk.extend_from_slice(&GBK.encode("洮南市").0);
        assert_eq!(detect(None, &gbk).encoding, GBK);
        gbk[29] = 0x4D;
        assert_eq!(detect(None, &gbk).reason.in_lang(Lang::En), "DBF LDID 0x4D");
    }
}
