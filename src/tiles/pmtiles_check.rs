//! A PMTiles v3 archive checked before the `pmtiles` crate reads it.
//!
//! The crate trusts the archive: a directory entry count is allocated as written (2⁶⁴ entries
//! abort the process), a varint longer than its type panics, tile ids and offsets are summed
//! without overflow checks, and the root directory is sliced from the first 16 KiB by the
//! header's offsets. [`check_directories`] reads every directory (root and leaves, each once)
//! with the same rules and refuses what the crate would choke on; [`decompress_tile`] unpacks a
//! tile with a cap on its size. Formats: <https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md>.

use crate::text;
use crate::text::{Lang, Text};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The fixed header length.
const HEADER: u64 = 127;

/// The root directory must lie in the first 16 KiB (the crate reads only those).
const ROOT_WITHIN: u64 = 16_384;

/// Largest directory accepted after decompression, in bytes.
pub const MAX_DIRECTORY: u64 = 64 << 20;

/// Largest sum of all directories after decompression, in bytes.
pub const MAX_DIRECTORIES: u64 = 512 << 20;

/// Largest tile accepted (stored and unpacked), in bytes.
pub const MAX_TILE: u64 = 16 << 20;

/// Leaf directories nested deeper than this are refused (the crate stops at 4).
const MAX_DEPTH: u8 = 4;

/// The parts of the header the check needs (offsets in bytes from the file's start).
struct Layout {
    root: (u64, u64),
    leaves: (u64, u64),
    data: (u64, u64),
    internal_compression: u8,
}

fn layout(h: &[u8; HEADER as usize]) -> Layout {
    let u64_at = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&h[at..at + 8]);
        u64::from_le_bytes(b)
    };
    Layout {
        root: (u64_at(8), u64_at(16)),
        leaves: (u64_at(40), u64_at(48)),
        data: (u64_at(56), u64_at(64)),
        internal_compression: h[97],
    }
}

/// Unpack `bytes` compressed as PMTiles says (`0` unknown and `1` none: as they are; `2`
/// gzip), refusing more than `cap` bytes out; brotli (3) and zstd (4) are not read.
pub fn decompress(bytes: &[u8], compression: u8, cap: u64) -> Result<Vec<u8>, Text> {
    match compression {
        0 | 1 => {
            let n = bytes.len();
            if n as u64 > cap {
                return Err(text!("{n} 字节，超过 {cap}", "{n} bytes, more than {cap}"));
            }
            Ok(bytes.to_vec())
        }
        2 => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(bytes)
                .take(cap + 1)
                .read_to_end(&mut out)
                .map_err(|e| text!("gzip：{e}", "gzip: {e}"))?;
            if out.len() as u64 > cap {
                return Err(text!(
                    "解压后超过 {cap} 字节",
                    "unpacks to more than {cap} bytes"
                ));
            }
            Ok(out)
        }
        3 => Err(Text::fixed(
            "不支持 brotli 压缩",
            "brotli compression is not supported",
        )),
        4 => Err(Text::fixed(
            "不支持 zstd 压缩",
            "zstd compression is not supported",
        )),
        c => Err(text!("未知的压缩方式 {c}", "unknown compression {c}")),
    }
}

/// A stored tile unpacked as the header's tile compression says, at most [`MAX_TILE`] bytes.
pub fn decompress_tile(bytes: &[u8], compression: u8) -> Result<Vec<u8>, Text> {
    decompress(bytes, compression, MAX_TILE)
}

/// Reads varints as the crate does, refusing those it would panic on or wrap.
struct Varints<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Varints<'_> {
    fn read(&mut self, bits: u32) -> Result<u64, Text> {
        let mut value: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = *self.bytes.get(self.at).ok_or(Text::fixed(
                "目录在一个数字中间结束",
                "a directory ends inside a number",
            ))?;
            self.at += 1;
            let part = u64::from(b & 0x7f);
            if shift >= bits || (shift > 0 && part >> (bits - shift).min(63) != 0) {
                return Err(text!(
                    "目录中的数字超出 {bits} 位",
                    "a directory number too large for {bits} bits"
                ));
            }
            value |= part << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }
}

/// One directory entry as decoded.
struct Entry {
    offset: u64,
    length: u64,
    run_length: u64,
}

/// Decode a directory with the crate's rules; each entry takes at least 4 bytes, so the count
/// is checked against what is there before anything is kept.
fn entries(dir: &[u8]) -> Result<Vec<Entry>, Text> {
    let mut r = Varints { bytes: dir, at: 0 };
    let n = r.read(usize::BITS.min(64))?;
    if n > (r.left() / 4) as u64 {
        return Err(text!(
            "目录声明了 {n} 个条目，实际少于此数",
            "a directory declares {n} entries but holds fewer"
        ));
    }
    let n = n as usize;
    let mut tile_id: u64 = 0;
    for _ in 0..n {
        tile_id = tile_id
            .checked_add(r.read(64)?)
            .ok_or(Text::fixed("瓦片编号溢出", "tile ids overflow"))?;
    }
    let runs = (0..n).map(|_| r.read(32)).collect::<Result<Vec<_>, _>>()?;
    let lengths = (0..n).map(|_| r.read(32)).collect::<Result<Vec<_>, _>>()?;
    let mut out: Vec<Entry> = Vec::with_capacity(n);
    for (run_length, length) in runs.into_iter().zip(lengths) {
        let raw = r.read(64)?;
        let offset = if raw == 0 {
            let last = out.last().ok_or(Text::fixed(
                "第一个条目没有偏移",
                "the first entry has no offset",
            ))?;
            last.offset
                .checked_add(last.length)
                .ok_or(Text::fixed("条目偏移溢出", "entry offsets overflow"))?
        } else {
            raw - 1
        };
        out.push(Entry {
            offset,
            length,
            run_length,
        });
    }
    Ok(out)
}

fn read_at(file: &mut std::fs::File, offset: u64, length: u64) -> Result<Vec<u8>, Text> {
    // The system's message has one wording.
    file.seek(SeekFrom::Start(offset))
        .map_err(|e| Text::same(e.to_string()))?;
    let mut buf = Vec::new();
    file.take(length)
        .read_to_end(&mut buf)
        .map_err(|e| Text::same(e.to_string()))?;
    if buf.len() as u64 != length {
        return Err(Text::fixed(
            "有目录超出了文件末尾",
            "a directory lies past the end of the file",
        ));
    }
    Ok(buf)
}

/// Check every directory of the archive at `path` (its header already checked by
/// `local::check_pmtiles_header`): the root within the first 16 KiB, every number and count as
/// the crate reads them, leaves inside the leaf section and no deeper than 4, tiles inside the
/// data section and at most [`MAX_TILE`] bytes. Each leaf is read once; the work is linear in
/// the directories' size (at most [`MAX_DIRECTORIES`] bytes unpacked). Returns the header's
/// tile compression byte (for [`decompress_tile`]).
pub fn check_directories(path: &Path) -> Result<u8, Text> {
    let mut file = std::fs::File::open(path).map_err(|e| Text::same(e.to_string()))?;
    let mut h = [0u8; HEADER as usize];
    file.read_exact(&mut h)
        .map_err(|_| Text::fixed("比 PMTiles 文件头还短", "shorter than a PMTiles header"))?;
    let l = layout(&h);
    let (root_off, root_len) = l.root;
    if root_off < HEADER || root_off.saturating_add(root_len) > ROOT_WITHIN {
        return Err(text!(
            "根目录（{root_len} 字节，位于 {root_off}）不在文件头之后的前 {ROOT_WITHIN} 字节内",
            "its root directory ({root_len} bytes at {root_off}) is not within the first {ROOT_WITHIN} bytes after the header"
        ));
    }
    let mut queue = vec![(root_off, root_len, 0u8)];
    let mut seen = std::collections::HashSet::new();
    let mut unpacked: u64 = 0;
    while let Some((offset, length, depth)) = queue.pop() {
        if !seen.insert((offset, length)) {
            continue;
        }
        let stored = read_at(&mut file, offset, length)?;
        let dir = decompress(&stored, l.internal_compression, MAX_DIRECTORY).map_err(|e| {
            Text::by_lang(|lang| match lang {
                Lang::Zh => format!("目录：{}", e.in_lang(lang)),
                Lang::En => format!("a directory: {}", e.in_lang(lang)),
            })
        })?;
        unpacked += dir.len() as u64;
        if unpacked > MAX_DIRECTORIES {
            return Err(text!(
                "目录解压后超过 {MAX_DIRECTORIES} 字节",
                "its directories unpack to more than {MAX_DIRECTORIES} bytes"
            ));
        }
        for e in entries(&dir)? {
            let end = e
                .offset
                .checked_add(e.length)
                .ok_or(Text::fixed("条目溢出", "an entry overflows"))?;
            if e.run_length == 0 {
                if depth >= MAX_DEPTH {
                    return Err(Text::fixed(
                        "叶目录嵌套过深",
                        "leaf directories nested too deep",
                    ));
                }
                if end > l.leaves.1 || e.length == 0 {
                    return Err(Text::fixed(
                        "有叶目录在叶目录区之外",
                        "a leaf directory lies outside the leaf section",
                    ));
                }
                queue.push((l.leaves.0 + e.offset, e.length, depth + 1));
            } else if end > l.data.1 || e.length > MAX_TILE {
                let (len, at) = (e.length, e.offset);
                return Err(text!(
                    "有瓦片（{len} 字节，位于 {at}）在瓦片数据区之外或大于 {MAX_TILE} 字节",
                    "a tile ({len} bytes at {at}) lies outside the tile data or is larger than {MAX_TILE} bytes"
                ));
            }
        }
    }
    Ok(h[98])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(mut n: u64, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    #[test]
    fn directories_are_read_as_the_crate_reads_them() {
        let mut d = Vec::new();
        for n in [2, 0, 1, 1, 1, 10, 20, 1, 0] {
            varint(n, &mut d);
        }
        let e = entries(&d).expect("a good directory");
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].offset, e[0].length), (0, 10));
        assert_eq!((e[1].offset, e[1].length), (10, 20));
    }

    #[test]
    fn what_the_crate_chokes_on_is_refused() {
        // 2⁶³ entries declared in a few bytes.
        let mut huge = Vec::new();
        varint(1 << 63, &mut huge);
        assert!(entries(&huge).is_err());
        // An 11-byte varint (the crate's shift overflows).
        assert!(entries(&[0xff; 11]).is_err());
        // A run length over 32 bits.
        let mut d = Vec::new();
        varint(1, &mut d);
        varint(0, &mut d);
        varint(1 << 33, &mut d);
        varint(1, &mut d);
        varint(1, &mut d);
        assert!(entries(&d).is_err());
        // Tile ids that overflow when summed.
        let mut d = Vec::new();
        for n in [2, u64::MAX, 5, 1, 1, 1, 1, 1, 0] {
            varint(n, &mut d);
        }
        assert!(entries(&d).is_err());
        // The first entry without an offset.
        let mut d = Vec::new();
        for n in [1, 0, 1, 1, 0] {
            varint(n, &mut d);
        }
        assert!(entries(&d).is_err());
    }

    #[test]
    fn a_gzip_bomb_is_refused() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![0u8; (MAX_TILE + 1) as usize])
            .expect("gzip");
        let bomb = enc.finish().expect("gzip");
        assert!(bomb.len() < 100_000);
        let e = decompress_tile(&bomb, 2).expect_err("over the cap");
        assert!(e.in_lang(Lang::En).contains("more than"), "{e:?}");
        assert!(e.in_lang(Lang::Zh).contains("超过"), "{e:?}");
        assert_eq!(decompress_tile(b"png", 1).expect("none"), b"png");
    }
}
