//! Reading a `.shp` from disk in chunks: a county layer's half-gigabyte file is never held in
//! memory whole, and the result is the one reading it from memory gives.

use std::io::{Cursor, Read};
use std::path::Path;

use shapefile::ShapeReader;

use super::{ShapesRead, header_unreadable, parse_headerless, parse_in_parallel};
use crate::text;
use crate::text::Text;

/// Parse every shape of a `.shp` file on disk, [`CHUNK`] bytes at a time (each chunk's whole
/// records over every core), so that a county layer's half-gigabyte `.shp` is never held in
/// memory whole. Gives what [`read_geometries`] gives for the same bytes, and the records'
/// offsets (for the `.shx` check). `expected` records (from the `.shx`; 0 when unknown) are
/// made room for at once, capped by what the file's size can hold.
#[allow(
    clippy::too_many_lines,
    reason = "one read loop: chunk, parse on every core, carry the partial record over; its state is shared by every step"
)]
pub(super) fn stream_geometries(
    path: &Path,
    chunk: usize,
    expected: usize,
) -> Result<(ShapesRead, Vec<usize>), Text> {
    let cannot_read = |e: std::io::Error| text!("无法读取：{e}", "cannot read: {e}");
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    // A record takes at least 12 bytes (header and shape type): a lying .shx cannot make the
    // list larger than the file.
    let fits = file
        .metadata()
        .map_or(0, |m| usize::try_from(m.len() / 12).unwrap_or(usize::MAX));
    let expected = expected.min(fits);
    let mut header = [0u8; 100];
    file.read_exact(&mut header)
        .map_err(|e| header_unreadable(&e))?;
    let reader = ShapeReader::new(Cursor::new(&header[..])).map_err(|e| header_unreadable(&e))?;
    let shape_type = format!("{:?}", reader.header().shape_type);
    // `buf` holds the file from byte `base` on: the header's 100 bytes, then records. The
    // header stays at its front so that offsets inside `buf` are those parse_records expects.
    let mut buf: Vec<u8> = header.to_vec();
    let mut base = 0usize;
    let mut offsets: Vec<usize> = Vec::with_capacity(expected);
    let mut geoms = Vec::with_capacity(expected);
    let mut stopped = None;
    let mut eof = false;
    let mut want = chunk.max(1024);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    while stopped.is_none() {
        // Top the buffer up to `want` bytes past the header.
        let target = 100 + want;
        if !eof && buf.len() < target {
            let before = buf.len();
            buf.resize(target, 0);
            let mut filled = before;
            while filled < target {
                match file.read(&mut buf[filled..]) {
                    Ok(0) => {
                        eof = true;
                        break;
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(cannot_read(e)),
                }
            }
            buf.truncate(filled);
        }
        // The whole records in the buffer (a record cut by the chunk's end waits for the next).
        let mut at = 100usize;
        let mut here = Vec::new();
        let mut end_of_records = false;
        while let Some(len) = buf
            .get(at + 4..at + 8)
            .map(|x| i32::from_be_bytes([x[0], x[1], x[2], x[3]]))
        {
            if len < 0 {
                end_of_records = true;
                break;
            }
            let next = at + 8 + len as usize * 2;
            if next > buf.len() && !eof {
                break;
            }
            here.push(at);
            at = next.min(buf.len());
        }
        if here.is_empty() {
            if eof || end_of_records {
                if offsets.is_empty() && base == 0 {
                    // No record header at all: as for bytes in memory.
                    let (g, s) = parse_headerless(&buf);
                    geoms.extend(g);
                    stopped = s;
                }
                break;
            }
            // One record longer than the chunk: read more before parsing it.
            want = want.saturating_mul(2);
            continue;
        }
        parse_in_parallel(
            &buf,
            &here,
            offsets.len(),
            threads,
            &mut geoms,
            &mut stopped,
        );
        offsets.extend(here.iter().map(|o| base + o));
        if end_of_records || (eof && at >= buf.len()) {
            break;
        }
        // Keep the header, drop the records parsed.
        buf.drain(100..at);
        base += at - 100;
        want = chunk.max(1024);
    }
    Ok((
        ShapesRead {
            shape_type,
            geoms,
            stopped,
        },
        offsets,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::dbf::FieldSpec;
    use crate::io::shp::{Attributes, encode, read_geometries, record_offsets};
    use crate::model::Value;
    use geo::{Geometry, LineString, Polygon};

    /// A `.shp` of `n` polygons of 5–300 vertices (some records longer than a small chunk).
    fn polygons(n: usize) -> Vec<u8> {
        let geoms: Vec<Geometry<f64>> = (0..n)
            .map(|i| {
                let k = 5 + (i * 37) % 296;
                let (cx, cy) = (41_400_000.0 + i as f64 * 500.0, 5_000_000.0);
                let ring: Vec<(f64, f64)> = (0..=k)
                    .map(|j| {
                        let a = -((j % k) as f64) / k as f64 * std::f64::consts::TAU;
                        (cx + 200.0 * a.cos(), cy + 200.0 * a.sin())
                    })
                    .collect();
                Geometry::Polygon(Polygon::new(LineString::from(ring), vec![]))
            })
            .collect();
        let fields = [FieldSpec {
            name: "ID".into(),
            kind: 'N',
            length: 8,
            decimals: 0,
        }];
        let rows: Vec<Vec<Value>> = (0..n).map(|i| vec![Value::Number(i as f64)]).collect();
        let set = encode(
            &geoms,
            Attributes {
                fields: &fields,
                rows: &rows,
            },
            "",
            (2026, 1, 1),
        )
        .expect("encode");
        set.shp
    }

    #[test]
    fn a_shp_read_in_chunks_gives_what_it_gives_in_memory() {
        let dir = std::env::temp_dir().join(format!("taonan-shp-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let whole = polygons(300);
        // Whole, cut inside a record, and cut inside a record header.
        for (name, bytes) in [
            ("whole", whole.clone()),
            ("cut", whole[..whole.len() - 700].to_vec()),
            ("cut-header", whole[..whole.len() - 4803].to_vec()),
        ] {
            let path = dir.join(format!("{name}.shp"));
            std::fs::write(&path, &bytes).expect("write");
            let expected = read_geometries(&bytes).expect("in memory");
            // The expected count only sizes the list: none, the truth, and a lying .shx's.
            for (chunk, expected_count) in [(1024, 0), (4096, 300), (1 << 20, usize::MAX)] {
                let (got, offsets) =
                    stream_geometries(&path, chunk, expected_count).expect("streamed");
                assert_eq!(got.shape_type, expected.shape_type);
                assert_eq!(got.geoms, expected.geoms, "{name}, chunk {chunk}");
                assert_eq!(got.stopped, expected.stopped, "{name}, chunk {chunk}");
                assert_eq!(offsets, record_offsets(&bytes), "{name}, chunk {chunk}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
