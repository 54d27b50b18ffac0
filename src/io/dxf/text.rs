//! DXF text: which encoding a drawing's strings are in, AutoCAD's `\U+XXXX` escapes, and MTEXT
//! formatting codes removed so that a parcel name reads as written.

use encoding_rs::Encoding;

/// The encoding of the strings of a pre-2007 drawing, from its `$DWGCODEPAGE` (looked for in
/// the first 64 KiB): `ANSI_936` (and anything unknown, the region's default) → GBK, `ANSI_1252`
/// → Windows-1252, `ANSI_950` → Big5. Drawings from AutoCAD 2007 on (`$ACADVER` AC1021 and
/// later) are UTF-8.
pub fn code_page(bytes: &[u8]) -> &'static Encoding {
    let head = &bytes[..bytes.len().min(64 << 10)];
    let find = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    // AutoCAD 2007 (AC1021) and later write UTF-8; binary DXF too, where the crate does not
    // switch by itself.
    if ["AC1021", "AC1024", "AC1027", "AC1032"]
        .iter()
        .any(|v| find(v.as_bytes()))
    {
        return encoding_rs::UTF_8;
    }
    if !find(b"$DWGCODEPAGE") {
        return encoding_rs::GBK;
    }
    if find(b"ANSI_1252") {
        encoding_rs::WINDOWS_1252
    } else if find(b"ANSI_950") {
        encoding_rs::BIG5
    } else {
        encoding_rs::GBK
    }
}

/// Re-decode a string of a binary DXF: the `dxf` crate (0.6) reads binary strings one byte per
/// char (Latin-1) whatever the code page; the bytes are put back and decoded with `enc`. A string
/// that is not all Latin-1 chars, or not valid in `enc`, is kept as it is.
pub fn redecode_binary(s: &str, enc: &'static Encoding) -> String {
    if s.is_ascii() {
        return s.to_owned();
    }
    let bytes: Option<Vec<u8>> = s.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
    bytes
        .and_then(|b| crate::io::encoding::decode_strict(enc, &b))
        .unwrap_or_else(|| s.to_owned())
}

/// Replace AutoCAD's `\U+XXXX` escapes by their characters and `%%d`/`%%p`/`%%c` by °, ±, ⌀.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['\\', '%']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let hex = tail
            .get(3..7)
            .filter(|_| tail.starts_with("\\U+") || tail.starts_with("\\u+"));
        if let Some(c) = hex
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
        {
            out.push(c);
            rest = &tail[7..];
            continue;
        }
        let special = match tail.get(..3).map(str::to_ascii_lowercase).as_deref() {
            Some("%%d") => Some('°'),
            Some("%%p") => Some('±'),
            Some("%%c") => Some('⌀'),
            _ => None,
        };
        if let Some(c) = special {
            out.push(c);
            rest = &tail[3..];
            continue;
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// An MTEXT's text without its formatting: `\P` (paragraph) becomes a space, `{` `}` go,
/// `\f…;` `\H…;` `\C…;` `\W…;` `\Q…;` `\T…;` `\A…;` `\p…;` groups go, `\L` `\l` `\O` `\o` `\K`
/// `\k` go, `\S a^b;` stacks become "a/b", `\\` `\{` `\}` are the literal characters.
pub fn clean_mtext(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => match chars.next() {
                Some('P') | Some('~') => out.push(' '),
                Some(c @ ('\\' | '{' | '}')) => out.push(c),
                Some('L' | 'l' | 'O' | 'o' | 'K' | 'k' | 'N') => {}
                Some('S') => {
                    for c in chars.by_ref() {
                        if c == ';' {
                            break;
                        }
                        out.push(if c == '^' || c == '#' { '/' } else { c });
                    }
                }
                Some(
                    'f' | 'F' | 'H' | 'h' | 'C' | 'c' | 'W' | 'w' | 'Q' | 'q' | 'T' | 't' | 'A'
                    | 'a' | 'p',
                ) => {
                    for c in chars.by_ref() {
                        if c == ';' {
                            break;
                        }
                    }
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    clean(out.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_strings_are_redecoded() {
        let latin1: String = "采矿".bytes().map(char::from).collect();
        assert_eq!(redecode_binary(&latin1, encoding_rs::UTF_8), "采矿");
        let (gbk, _, _) = encoding_rs::GBK.encode("宗地");
        let latin1: String = gbk.iter().copied().map(char::from).collect();
        assert_eq!(redecode_binary(&latin1, encoding_rs::GBK), "宗地");
        assert_eq!(redecode_binary("已是中文", encoding_rs::GBK), "已是中文");
    }

    #[test]
    fn unicode_escapes_and_specials() {
        assert_eq!(clean("\\U+5730\\U+5757A"), "地块A");
        assert_eq!(clean("90%%d"), "90°");
        assert_eq!(clean("100%"), "100%");
        assert_eq!(clean("a\\b"), "a\\b");
    }

    #[test]
    fn mtext_formatting_is_removed() {
        assert_eq!(
            clean_mtext("{\\fSimSun|b0|i0;\\H2.5;洮南\\P一号地块}"),
            "洮南 一号地块"
        );
        assert_eq!(clean_mtext("\\S1^2;"), "1/2");
        assert_eq!(clean_mtext("J1\\\\J2"), "J1\\J2");
    }

    #[test]
    fn code_page_from_the_header() {
        assert_eq!(
            code_page(b"9\n$DWGCODEPAGE\n3\nANSI_936\n"),
            encoding_rs::GBK
        );
        assert_eq!(
            code_page(b"9\n$DWGCODEPAGE\n3\nANSI_1252\n"),
            encoding_rs::WINDOWS_1252
        );
        assert_eq!(code_page(b"0\nSECTION\n"), encoding_rs::GBK);
        assert_eq!(
            code_page(b"9\n$ACADVER\n1\nAC1032\n9\n$DWGCODEPAGE\n3\nANSI_1252\n"),
            encoding_rs::UTF_8
        );
    }
}
