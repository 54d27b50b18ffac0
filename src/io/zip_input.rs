//! Shapefile sets delivered as `.zip` files.
//!
//! Surveyors e-mail their results zipped, often on Chinese Windows: member names in GBK without
//! the zip's UTF-8 flag, sets in sub-folders, several sets per zip, upper-case extensions
//! (`.SHP`), stray files (`__MACOSX/`, `Thumbs.db`, `.shp.xml`, `.sbn`) and sometimes a missing
//! `.dbf`. [`read_zip`] finds every complete set and says what it skipped and why; corner
//! coordinate lists and other documents are listed in [`ZipContents::other_files`] and can be
//! read with [`read_member`].
//!
//! Member names inside a zip always use `/` as separator (backslashes written by some Windows
//! tools are turned into `/` when decoding), whatever the operating system; nothing is extracted
//! to disk.

use crate::text;
use crate::text::{Lang, Text};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use zip::ZipArchive;

use crate::io::shp::ShapefileSet;

/// Largest uncompressed member accepted (1 GiB: twice a county layer's `.shp`): a guard
/// against zip bombs.
pub const MAX_MEMBER_BYTES: u64 = 1024 * 1024 * 1024;

/// Most bytes read out of one zip in all (2 GiB): a zip of many members just under
/// [`MAX_MEMBER_BYTES`] is refused member by member once this is spent.
pub const MAX_TOTAL_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The general-purpose flag bit that says the member name is UTF-8 (APPNOTE "EFS", bit 11).
const UTF8_FLAG: u16 = 0x0800;

/// Extensions of files that belong to a shapefile set but are not needed to read it (indexes,
/// ArcGIS metadata `.shp.xml`, locks); ignored silently.
const IGNORED_SIDECARS: &[&str] = &[
    "sbn", "sbx", "xml", "qix", "fix", "atx", "ain", "aih", "ixs", "mxs", "qmd", "lock",
];

/// One shapefile set found in a zip: its member path (decoded, e.g. "成果/采矿权.shp") and the
/// files.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipSet {
    /// Decoded member name of the `.shp`, e.g. "成果/采矿权.shp".
    pub member: String,
    /// The files of the set.
    pub set: ShapefileSet,
}

/// What was found in a zip and what was skipped (with reasons, e.g.
/// "成果/坏.shp: the .dbf is missing").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZipContents {
    /// Complete sets (`.shp` + `.dbf`, with `.shx` / `.prj` / `.cpg` when present), in zip order.
    pub sets: Vec<ZipSet>,
    /// What could not be used, one message each, naming the member and the reason.
    pub skipped: Vec<Text>,
    /// Members that are not part of a shapefile set and not junk (e.g. corner-coordinate
    /// `.txt` / `.csv` lists, spreadsheets, documents), by decoded name, in zip order. Read them
    /// with [`read_member`].
    pub other_files: Vec<String>,
}

/// Decode a zip member name: UTF-8 when the entry's UTF-8 flag is set or the bytes are valid
/// UTF-8, else GBK (code page 936, what Chinese Windows writes), else a lossy GBK reading with
/// replacement characters and a note "(名称编码无法识别 / undecodable name)" placed before the
/// extension (so that the extension still works). Backslash separators become `/`.
pub fn decode_member_name(raw: &[u8], utf8_flag: bool) -> String {
    // A set UTF-8 flag is trusted when the bytes agree; bytes that are valid UTF-8 are UTF-8
    // (ASCII names, and zips from macOS / Linux / 7-Zip without the flag).
    let _ = utf8_flag;
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => match encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(raw) {
            Some(s) => s.into_owned(),
            None => {
                let (lossy, _) = encoding_rs::GBK.decode_without_bom_handling(raw);
                with_note(&lossy)
            }
        },
    };
    name.replace('\\', "/")
}

/// Put the undecodable-name note before the extension of the last path component.
fn with_note(name: &str) -> String {
    // Both languages on purpose: the note is part of the member's name (its key in the zip
    // and its layer's source), not a message.
    const NOTE: &str = " (名称编码无法识别 / undecodable name)";
    let cut = name.rfind(['/', '\\']).map_or(0, |i| i + 1);
    match name[cut..].rfind('.') {
        Some(dot) if dot > 0 => {
            let at = cut + dot;
            format!("{}{NOTE}{}", &name[..at], &name[at..])
        }
        _ => format!("{name}{NOTE}"),
    }
}

/// A member as listed in the central directory.
struct Entry {
    index: usize,
    name: String,
    size: u64,
    is_dir: bool,
}

fn open<'a>(bytes: &'a [u8], label: &str) -> Result<ZipArchive<Cursor<&'a [u8]>>, Text> {
    ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        text!(
            "{label}：不是可读取的 zip 文件（{e}）",
            "{label}: not a readable zip file ({e})"
        )
    })
}

fn list(archive: &ZipArchive<Cursor<&[u8]>>) -> Vec<Entry> {
    (0..archive.len())
        .filter_map(|index| {
            let e = archive.by_index_data(index).ok()?;
            let utf8 = e.flags().as_u16() & UTF8_FLAG != 0;
            let name = decode_member_name(e.name_raw(), utf8);
            Some(Entry {
                index,
                is_dir: name.ends_with('/'),
                name,
                size: e.size(),
            })
        })
        .collect()
}

/// The last path component of a member name.
fn file_name(member: &str) -> &str {
    member.rsplit('/').next().unwrap_or(member)
}

/// Whether a member is operating-system junk: `__MACOSX/…`, AppleDouble `._x`, `Thumbs.db`,
/// `desktop.ini`, `.DS_Store`.
fn is_junk(member: &str) -> bool {
    let name = file_name(member).to_lowercase();
    member
        .split('/')
        .any(|c| c.eq_ignore_ascii_case("__MACOSX"))
        || name.starts_with("._")
        || matches!(name.as_str(), "thumbs.db" | "desktop.ini" | ".ds_store")
}

/// (member path without extension, lower-case extension); the extension is that of the last
/// component only.
fn split_ext(member: &str) -> (&str, String) {
    let name = file_name(member);
    match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some(ext) if !ext.is_empty() => {
            let stem_len = member.len() - ext.len() - 1;
            (&member[..stem_len], ext.to_ascii_lowercase())
        }
        _ => (member, String::new()),
    }
}

/// Read one member fully, refusing one over [`MAX_MEMBER_BYTES`] (declared or actual).
///
/// `left` is what remains of the zip's [`MAX_TOTAL_BYTES`]; the member's bytes are taken from it.
fn read_entry(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    entry: &Entry,
    left: &mut u64,
) -> Result<Vec<u8>, Text> {
    let (name, size) = (&entry.name, entry.size);
    let (total_gib, member_gib) = (MAX_TOTAL_BYTES >> 30, MAX_MEMBER_BYTES >> 30);
    if size > *left {
        return Err(text!(
            "{name}：解压后 {size} 字节，超过每个 zip 允许的 {total_gib} GiB 的剩余额度；已拒绝",
            "{name}: uncompressed size {size} bytes is over what is left of the {total_gib} GiB allowed per zip; refused"
        ));
    }
    if size > MAX_MEMBER_BYTES {
        return Err(text!(
            "{name}：解压后 {size} 字节，超过 {member_gib} GiB 的上限；已拒绝",
            "{name}: uncompressed size {size} bytes is over the {member_gib} GiB limit; refused"
        ));
    }
    let cannot_read =
        |e: &dyn std::fmt::Display| text!("{name}：无法读取（{e}）", "{name}: cannot read ({e})");
    let file = archive.by_index(entry.index).map_err(|e| cannot_read(&e))?;
    // Do not trust the declared size for the allocation: cap it.
    let mut out = Vec::with_capacity(entry.size.min(64 << 20) as usize);
    file.take(MAX_MEMBER_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| cannot_read(&e))?;
    if out.len() as u64 > MAX_MEMBER_BYTES {
        return Err(text!(
            "{name}：解压后的数据超过 {member_gib} GiB 的上限；已拒绝",
            "{name}: uncompressed data is over the {member_gib} GiB limit; refused"
        ));
    }
    *left = left.saturating_sub(out.len() as u64);
    Ok(out)
}

/// Text of a `.prj` / `.cpg`: UTF-8 (lossy), without a byte-order mark.
fn text(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    s.strip_prefix('\u{feff}').unwrap_or(&s).to_owned()
}

/// The members of one would-be set, by extension.
#[derive(Default)]
struct Group {
    shp: Option<usize>,
    shx: Option<usize>,
    dbf: Option<usize>,
    prj: Option<usize>,
    cpg: Option<usize>,
}

/// Read a zip from bytes. `label` names the zip in messages. Errors only when the bytes are not
/// a readable zip (the message names the file and the problem); problems with single members
/// are reported in [`ZipContents::skipped`].
///
/// Members are grouped by path without extension (extension case-insensitive, as on Windows);
/// a set needs a `.shp` and a `.dbf` and takes `.shx` / `.prj` / `.cpg` when present.
/// Directories, `__MACOSX` and other junk are ignored, and so are index / metadata sidecars
/// (`.sbn`, `.sbx`, `.shp.xml`, …).
#[allow(
    clippy::too_many_lines,
    reason = "the budgeted walk over a zip's entries; to be split once the hardening branch (which changes it) is merged"
)]
pub fn read_zip(bytes: &[u8], label: &str) -> Result<ZipContents, Text> {
    let mut left = MAX_TOTAL_BYTES;
    let mut archive = open(bytes, label)?;
    let entries = list(&archive);
    let mut contents = ZipContents::default();
    if entries.len() < archive.len() {
        let n = archive.len() - entries.len();
        contents.skipped.push(text!(
            "{label}：{n} 个成员无法列出",
            "{label}: {n} member(s) could not be listed"
        ));
    }
    // Key: lower-cased path without extension → group; first appearance order kept apart.
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (pos, e) in entries.iter().enumerate() {
        if e.is_dir || is_junk(&e.name) {
            continue;
        }
        let (stem, ext) = split_ext(&e.name);
        let key = stem.to_lowercase();
        let slot = match ext.as_str() {
            "shp" | "shx" | "dbf" | "prj" | "cpg" => {
                if !groups.contains_key(&key) {
                    order.push(key.clone());
                }
                let g = groups.entry(key).or_default();
                match ext.as_str() {
                    "shp" => &mut g.shp,
                    "shx" => &mut g.shx,
                    "dbf" => &mut g.dbf,
                    "prj" => &mut g.prj,
                    _ => &mut g.cpg,
                }
            }
            x if IGNORED_SIDECARS.contains(&x) => continue,
            _ => {
                contents.other_files.push(e.name.clone());
                continue;
            }
        };
        match slot {
            Some(first) => {
                let (name, other) = (&e.name, &entries[*first].name);
                contents.skipped.push(text!(
                    "{name}：与 {other} 同名（只有大小写不同）；已忽略",
                    "{name}: same name as {other} (differs only in letter case); ignored"
                ));
            }
            None => *slot = Some(pos),
        }
    }

    // Sets in the zip order of their .shp (orphans in order of first member).
    order.sort_by_key(|k| {
        groups.get(k).map_or(usize::MAX, |g| {
            g.shp.unwrap_or_else(|| {
                [g.shx, g.dbf, g.prj, g.cpg]
                    .into_iter()
                    .flatten()
                    .min()
                    .unwrap_or(usize::MAX)
            })
        })
    });
    for key in order {
        let Some(g) = groups.remove(&key) else {
            continue;
        };
        let Some(shp_pos) = g.shp else {
            let names: Vec<&str> = [g.dbf, g.shx, g.prj, g.cpg]
                .into_iter()
                .flatten()
                .map(|p| entries[p].name.as_str())
                .collect();
            let (zh, en) = (names.join("、"), names.join(", "));
            contents.skipped.push(text!(
                "{zh}：没有同名的 .shp；已跳过",
                "{en}: no .shp with the same name; skipped"
            ));
            continue;
        };
        let shp_entry = &entries[shp_pos];
        let Some(dbf_pos) = g.dbf else {
            let name = &shp_entry.name;
            contents.skipped.push(text!(
                "{name}：缺少 .dbf；已跳过",
                "{name}: the .dbf is missing; skipped"
            ));
            continue;
        };
        let shp = match read_entry(&mut archive, shp_entry, &mut left) {
            Ok(b) => b,
            Err(e) => {
                contents.skipped.push(e);
                continue;
            }
        };
        let dbf = match read_entry(&mut archive, &entries[dbf_pos], &mut left) {
            Ok(b) => b,
            Err(e) => {
                let name = &shp_entry.name;
                contents.skipped.push(Text::by_lang(|l| match l {
                    Lang::Zh => format!("{}（因此跳过 {name}）", e.in_lang(l)),
                    Lang::En => format!("{} (so {name} is skipped)", e.in_lang(l)),
                }));
                continue;
            }
        };
        // Optional members: a failure loses only that file, and says so.
        let mut optional = |pos: Option<usize>| -> Option<Vec<u8>> {
            let entry = &entries[pos?];
            match read_entry(&mut archive, entry, &mut left) {
                Ok(b) => Some(b),
                Err(e) => {
                    let name = &shp_entry.name;
                    contents.skipped.push(Text::by_lang(|l| match l {
                        Lang::Zh => format!("{}；{name} 不带它载入", e.in_lang(l)),
                        Lang::En => format!("{}; {name} is loaded without it", e.in_lang(l)),
                    }));
                    None
                }
            }
        };
        let shx = optional(g.shx);
        let prj = optional(g.prj).map(|b| text(&b));
        let cpg = optional(g.cpg).map(|b| text(&b));
        contents.sets.push(ZipSet {
            member: shp_entry.name.clone(),
            set: ShapefileSet {
                shp,
                shx,
                dbf,
                prj,
                cpg,
            },
        });
    }
    Ok(contents)
}

/// Read the raw bytes of one member by decoded name (as listed in
/// [`ZipContents::other_files`] or [`ZipSet::member`]), e.g. a corner-coordinate `.txt`.
/// Errors name the member and the problem (not a zip, not found, too large, unreadable).
pub fn read_member(bytes: &[u8], decoded_name: &str) -> Result<Vec<u8>, Text> {
    let mut left = MAX_TOTAL_BYTES;
    let mut archive = open(bytes, "zip")?;
    let wanted = decoded_name.replace('\\', "/");
    let entry = list(&archive)
        .into_iter()
        .find(|e| !e.is_dir && e.name == wanted)
        .ok_or_else(|| {
            text!(
                "{decoded_name}：zip 中没有这个成员",
                "{decoded_name}: no such member in the zip"
            )
        })?;
    read_entry(&mut archive, &entry, &mut left)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use geo::{Geometry, LineString, Polygon};
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    use super::*;
    use crate::io::dbf::FieldSpec;
    use crate::io::shp::{Attributes, encode};
    use crate::model::Value;

    /// A real one-square zone-41 set near the city seat.
    fn square_set(name: &str) -> ShapefileSet {
        let (e, n) = (41_481_600.0, 5_021_800.0);
        let ring = LineString::from(vec![
            (e, n),
            (e, n + 100.0),
            (e + 100.0, n + 100.0),
            (e + 100.0, n),
            (e, n),
        ]);
        let fields = [FieldSpec {
            name: "KSMC".into(),
            kind: 'C',
            length: 40,
            decimals: 0,
        }];
        let rows = vec![vec![Value::Text(name.into())]];
        encode(
            &[Geometry::Polygon(Polygon::new(ring, vec![]))],
            Attributes {
                fields: &fields,
                rows: &rows,
            },
            crate::plan::fixtures::PRJ_ZONE41,
            (2026, 1, 1),
        )
        .expect("encode")
    }

    /// Build a zip: (raw name, data, deflate?). Names ending in '/' become directories.
    fn zip_of(members: &[(&[u8], &[u8], bool)]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data, deflate) in members {
            let method = if *deflate {
                CompressionMethod::Deflated
            } else {
                CompressionMethod::Stored
            };
            let opts = SimpleFileOptions::default().compression_method(method);
            if name.ends_with(b"/") {
                w.add_directory(String::from_utf8(name.to_vec()).expect("utf8"), opts)
                    .expect("dir");
            } else {
                w.start_file_with_options(opts.name(name)).expect("start");
                w.write_all(data).expect("write");
            }
        }
        w.finish().expect("finish").into_inner()
    }

    fn gbk(s: &str) -> Vec<u8> {
        let (b, _, bad) = encoding_rs::GBK.encode(s);
        assert!(!bad);
        b.into_owned()
    }

    #[test]
    fn sets_in_folders_upper_case_and_junk() {
        let a = square_set("采矿权一");
        let b = square_set("采矿权二");
        let shx_a = a.shx.clone().expect("shx");
        let shx_b = b.shx.clone().expect("shx");
        let prj = a.prj.clone().expect("prj");
        let members: Vec<(&[u8], &[u8], bool)> = vec![
            ("成果/".as_bytes(), b"", false),
            ("成果/采矿权.shp".as_bytes(), &a.shp, true),
            ("成果/采矿权.shx".as_bytes(), &shx_a, true),
            ("成果/采矿权.dbf".as_bytes(), &a.dbf, true),
            ("成果/采矿权.prj".as_bytes(), prj.as_bytes(), false),
            ("成果/采矿权.cpg".as_bytes(), b"UTF-8", false),
            ("成果/采矿权.shp.xml".as_bytes(), b"<metadata/>", true),
            ("成果/采矿权.sbn".as_bytes(), b"index", false),
            (
                "成果/拐点坐标.txt".as_bytes(),
                b"1,5021800.00,41481600.00",
                true,
            ),
            ("成果/坏.shp".as_bytes(), &a.shp, true),
            ("成果/坏.shx".as_bytes(), &shx_a, true),
            ("第二/KCQ.SHP".as_bytes(), &b.shp, true),
            ("第二/KCQ.DBF".as_bytes(), &b.dbf, true),
            ("第二/kcq.Shx".as_bytes(), &shx_b, false),
            ("孤.dbf".as_bytes(), &b.dbf, false),
            ("__MACOSX/成果/._采矿权.shp".as_bytes(), b"junk", false),
            ("__MACOSX/成果/._采矿权.dbf".as_bytes(), b"junk", false),
            ("Thumbs.db".as_bytes(), b"junk", false),
            ("成果/.DS_Store".as_bytes(), b"junk", false),
        ];
        let bytes = zip_of(&members);
        let c = read_zip(&bytes, "测量成果.zip").expect("zip");

        let names: Vec<&str> = c.sets.iter().map(|s| s.member.as_str()).collect();
        assert_eq!(names, vec!["成果/采矿权.shp", "第二/KCQ.SHP"]);
        let first = &c.sets[0].set;
        assert_eq!(first.shp, a.shp);
        assert_eq!(first.shx.as_deref(), Some(shx_a.as_slice()));
        assert_eq!(first.dbf, a.dbf);
        assert_eq!(first.prj.as_deref(), Some(prj.as_str()));
        assert_eq!(first.cpg.as_deref(), Some("UTF-8"));
        let second = &c.sets[1].set;
        assert_eq!(second.shp, b.shp);
        assert_eq!(second.shx.as_deref(), Some(shx_b.as_slice()));
        assert_eq!((second.prj.as_deref(), second.cpg.as_deref()), (None, None));
        // The sets decode as shapefiles.
        let decoded = crate::io::shp::decode(first, None).expect("decode");
        assert_eq!(decoded.records.len(), 1);

        assert_eq!(c.skipped.len(), 2, "{:?}", c.skipped);
        let skipped: Vec<&str> = c.skipped.iter().map(|s| s.in_lang(Lang::En)).collect();
        assert!(
            skipped
                .iter()
                .any(|s| s.contains("成果/坏.shp") && s.contains(".dbf is missing")),
            "{:?}",
            c.skipped
        );
        assert!(
            skipped
                .iter()
                .any(|s| s.contains("孤.dbf") && s.contains("no .shp")),
            "{:?}",
            c.skipped
        );
        assert_eq!(c.other_files, vec!["成果/拐点坐标.txt".to_owned()]);
        assert_eq!(
            read_member(&bytes, "成果/拐点坐标.txt").expect("member"),
            b"1,5021800.00,41481600.00"
        );
    }

    #[test]
    fn gbk_member_names_without_utf8_flag() {
        let a = square_set("采矿权");
        let shp = gbk("资料\\采矿权.SHP"); // backslash separator, as some Windows tools write
        let dbf = gbk("资料\\采矿权.dbf");
        let txt = gbk("资料\\拐点坐标说明.txt");
        assert!(std::str::from_utf8(&shp).is_err());
        let bytes = zip_of(&[
            (&shp, &a.shp, false),
            (&dbf, &a.dbf, true),
            (&txt, "点号,X,Y".as_bytes(), false),
        ]);
        // The writer stored the raw bytes without the UTF-8 flag.
        let archive = ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip");
        for i in 0..archive.len() {
            let e = archive.by_index_data(i).expect("entry");
            assert_eq!(e.flags().as_u16() & UTF8_FLAG, 0);
            assert!(std::str::from_utf8(e.name_raw()).is_err());
        }
        let c = read_zip(&bytes, "gbk.zip").expect("zip");
        assert_eq!(c.sets.len(), 1, "{:?}", c.skipped);
        assert_eq!(c.sets[0].member, "资料/采矿权.SHP");
        assert_eq!(c.sets[0].set.shx, None);
        assert_eq!(c.other_files, vec!["资料/拐点坐标说明.txt".to_owned()]);
        assert_eq!(
            read_member(&bytes, "资料/拐点坐标说明.txt").expect("member"),
            "点号,X,Y".as_bytes()
        );
        // Windows-style separators in the request work too.
        assert!(read_member(&bytes, "资料\\拐点坐标说明.txt").is_ok());
        let err = read_member(&bytes, "资料/没有.txt").expect_err("missing");
        assert!(
            err.in_lang(Lang::Zh)
                .starts_with("资料/没有.txt：zip 中没有"),
            "{err:?}"
        );
    }

    #[test]
    fn decode_names() {
        assert_eq!(
            decode_member_name(&gbk("成果/采矿权.shp"), false),
            "成果/采矿权.shp"
        );
        assert_eq!(
            decode_member_name("成果/采矿权.shp".as_bytes(), true),
            "成果/采矿权.shp"
        );
        assert_eq!(
            decode_member_name("成果/采矿权.shp".as_bytes(), false),
            "成果/采矿权.shp"
        );
        assert_eq!(decode_member_name(b"a\\b.SHP", false), "a/b.SHP");
        // Flag set but the bytes are GBK: the bytes win.
        assert_eq!(decode_member_name(&gbk("坏.dbf"), true), "坏.dbf");
        // Neither UTF-8 nor GBK: lossy, with a note that keeps the extension.
        let odd = decode_member_name(b"dir/\xff\xfe.shp", false);
        assert!(odd.starts_with("dir/"), "{odd}");
        assert!(odd.ends_with(".shp"), "{odd}");
        assert!(odd.contains("undecodable"), "{odd}");
        assert!(decode_member_name(b"\xff", false).contains("undecodable"));
    }

    #[test]
    fn not_a_zip() {
        let err = read_zip(b"this is not a zip", "邮件附件.zip").expect_err("not a zip");
        assert!(err.in_lang(Lang::En).contains("邮件附件.zip"), "{err:?}");
        let err = read_zip(&[], "empty.zip").expect_err("empty");
        assert!(err.in_lang(Lang::En).contains("empty.zip"), "{err:?}");
        assert!(read_member(b"nope", "a.txt").is_err());
    }

    #[test]
    fn empty_zip_and_only_junk() {
        let c = read_zip(&zip_of(&[]), "empty.zip").expect("zip");
        assert_eq!(c, ZipContents::default());
        let c = read_zip(
            &zip_of(&[
                (b"__MACOSX/._x.shp", b"j", false),
                (b"Thumbs.db", b"j", false),
            ]),
            "junk.zip",
        )
        .expect("zip");
        assert_eq!(c, ZipContents::default());
    }

    /// A member whose central directory declares more than 2 GiB is refused before reading.
    #[test]
    fn oversized_member_refused() {
        let a = square_set("大");
        let mut bytes = zip_of(&[(b"big.shp", &a.shp, false), (b"big.dbf", &a.dbf, false)]);
        // Patch the uncompressed size (offset 24) of the first central directory header.
        let sig = [0x50, 0x4b, 0x01, 0x02];
        let at = bytes
            .windows(4)
            .position(|w| w == sig)
            .expect("central directory");
        bytes[at + 24..at + 28].copy_from_slice(&0xC000_0000u32.to_le_bytes());
        let c = read_zip(&bytes, "bomb.zip").expect("zip");
        assert!(c.sets.is_empty());
        assert_eq!(c.skipped.len(), 1, "{:?}", c.skipped);
        assert!(
            c.skipped[0].in_lang(Lang::En).contains("big.shp")
                && c.skipped[0].in_lang(Lang::En).contains("2 GiB"),
            "{:?}",
            c.skipped
        );
        let err = read_member(&bytes, "big.shp").expect_err("too big");
        assert!(err.in_lang(Lang::En).contains("2 GiB"), "{err:?}");
    }

    #[test]
    fn case_only_duplicates_reported() {
        let a = square_set("甲");
        let bytes = zip_of(&[
            (b"x/A.shp", &a.shp, false),
            (b"x/a.SHP", &a.shp, false),
            (b"x/A.dbf", &a.dbf, false),
        ]);
        let c = read_zip(&bytes, "dup.zip").expect("zip");
        assert_eq!(c.sets.len(), 1);
        assert_eq!(c.sets[0].member, "x/A.shp");
        assert_eq!(c.skipped.len(), 1);
        assert!(
            c.skipped[0].in_lang(Lang::En).contains("x/a.SHP"),
            "{:?}",
            c.skipped
        );
    }
}
