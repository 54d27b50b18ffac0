//! GeoPackage geometry blobs (GeoPackage 1.x, clause 2.1.3): the `GP` header (magic, version,
//! flags, an envelope of 0/4/6/8 doubles, `srs_id`) followed by a WKB geometry (ISO or
//! extended WKB; Point/LineString/Polygon/Multi*/GeometryCollection). The WKB is read with the
//! georust `wkb` crate, which checks every declared count against the bytes really there; Z and
//! M values are dropped.

use crate::text;
use crate::text::Text;
use geo::Geometry;
use geo_traits::to_geo::ToGeoGeometry;

/// Flags bit 4: the geometry is empty.
const EMPTY: u8 = 0b0001_0000;
/// Flags bit 5: an "extended" GeoPackage geometry (a vendor type this reader does not know).
const EXTENDED: u8 = 0b0010_0000;

/// The header of a blob: its `srs_id` and where the WKB starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    /// The blob's spatial reference id (a row of `gpkg_spatial_ref_sys`).
    pub srs_id: i32,
    /// Whether the empty-geometry flag is set.
    pub empty: bool,
    /// Byte offset of the WKB geometry in the blob.
    pub wkb_start: usize,
}

/// Read the `GP` header of a blob. Errors say what is wrong (not a GeoPackage blob, an unknown
/// envelope code, a blob shorter than its header declares).
pub fn header(blob: &[u8]) -> Result<Header, Text> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err(Text::fixed(
            "不是 GeoPackage 几何数据（没有 'GP' 头）",
            "not a GeoPackage geometry blob (no 'GP' header)",
        ));
    }
    let version = blob[2];
    if version != 0 {
        return Err(text!(
            "GeoPackage 几何数据的版本 {version} 无法识别（应为 0）",
            "GeoPackage blob version {version} is not known (expected 0)"
        ));
    }
    let flags = blob[3];
    if flags & EXTENDED != 0 {
        return Err(Text::fixed(
            "扩展（厂商自定义）的 GeoPackage 几何类型，暂不支持",
            "an extended (vendor) GeoPackage geometry type; not supported",
        ));
    }
    let doubles = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 4,
        2 | 3 => 6,
        4 => 8,
        code => {
            return Err(text!(
                "几何数据头中的外包框代码 {code} 无效",
                "invalid envelope code {code} in the blob header"
            ));
        }
    };
    let raw = [blob[4], blob[5], blob[6], blob[7]];
    let srs_id = if flags & 1 == 1 {
        i32::from_le_bytes(raw)
    } else {
        i32::from_be_bytes(raw)
    };
    let wkb_start = 8 + doubles * 8;
    if blob.len() < wkb_start {
        let (envelope, len) = (doubles * 8, blob.len());
        return Err(text!(
            "几何数据头声明了 {envelope} 字节的外包框，但数据只有 {len} 字节",
            "the blob header declares a {envelope}-byte envelope but the blob has only {len} bytes"
        ));
    }
    Ok(Header {
        srs_id,
        empty: flags & EMPTY != 0,
        wkb_start,
    })
}

/// The geometry of a blob in the table's own coordinates (`None` for an empty geometry).
/// Declared counts larger than the blob are an error, never an allocation.
pub fn geometry(blob: &[u8]) -> Result<Option<Geometry<f64>>, Text> {
    let h = header(blob)?;
    if h.empty {
        return Ok(None);
    }
    let wkb = wkb::reader::read_wkb(&blob[h.wkb_start..])
        .map_err(|e| text!("WKB 无效：{e}", "bad WKB: {e}"))?;
    // `None`: an empty point (NaN coordinates) or an empty part of a collection.
    Ok(wkb.try_to_geometry())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gp(flags: u8, envelope: &[f64], wkb: &[u8]) -> Vec<u8> {
        let mut b = vec![b'G', b'P', 0, flags];
        b.extend_from_slice(&4490i32.to_le_bytes());
        for v in envelope {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(wkb);
        b
    }

    fn point_wkb(x: f64, y: f64) -> Vec<u8> {
        let mut w = vec![1u8];
        w.extend_from_slice(&1u32.to_le_bytes());
        w.extend_from_slice(&x.to_le_bytes());
        w.extend_from_slice(&y.to_le_bytes());
        w
    }

    #[test]
    fn reads_a_point_with_each_envelope_size() {
        for (code, n) in [(0u8, 0usize), (1, 4), (2, 6), (4, 8)] {
            let blob = gp(1 | (code << 1), &vec![0.0; n], &point_wkb(122.5, 45.25));
            let h = header(&blob).expect("header");
            assert_eq!(h.srs_id, 4490);
            assert_eq!(h.wkb_start, 8 + n * 8);
            let g = geometry(&blob).expect("geometry");
            assert_eq!(g, Some(Geometry::Point(geo::Point::new(122.5, 45.25))));
        }
    }

    #[test]
    fn lying_sizes_are_errors() {
        // An envelope declared but not there.
        assert!(header(&gp(1 | (4 << 1), &[0.0; 2], &[])).is_err());
        // A linestring declaring four billion points in a few bytes.
        let mut w = vec![1u8];
        w.extend_from_slice(&2u32.to_le_bytes());
        w.extend_from_slice(&u32::MAX.to_le_bytes());
        w.extend_from_slice(&[0u8; 16]);
        assert!(geometry(&gp(1, &[], &w)).is_err());
        // A polygon declaring many rings.
        let mut w = vec![1u8];
        w.extend_from_slice(&3u32.to_le_bytes());
        w.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(geometry(&gp(1, &[], &w)).is_err());
        assert!(geometry(b"GP").is_err());
        assert!(geometry(b"XX\0\x01\0\0\0\0").is_err());
        assert!(geometry(&gp(1 | (7 << 1), &[], &[])).is_err());
    }

    #[test]
    fn empty_flag_and_empty_point_give_no_geometry() {
        assert_eq!(geometry(&gp(1 | EMPTY, &[], &[])).expect("empty"), None);
        let nan = gp(1, &[], &point_wkb(f64::NAN, f64::NAN));
        assert_eq!(geometry(&nan).expect("nan point"), None);
    }

    #[test]
    fn z_values_are_dropped() {
        let mut w = vec![1u8];
        w.extend_from_slice(&1001u32.to_le_bytes());
        for v in [1.0f64, 2.0, 3.0] {
            w.extend_from_slice(&v.to_le_bytes());
        }
        let g = geometry(&gp(1, &[], &w)).expect("point z");
        assert_eq!(g, Some(Geometry::Point(geo::Point::new(1.0, 2.0))));
    }
}
