//! Readers for the source data copied into `data/sources/`: county boundaries (GeoJSON geometry
//! objects, GCJ-02) and township seats (CSV, GCJ-02). Both are converted to CGCS2000/WGS84 here.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value as Json;

use crate::crs::gcj02::gcj02_to_wgs84;

/// A county from the boundary sources.
#[derive(Debug, Clone, PartialEq)]
pub struct County {
    /// Administrative code (adcode), e.g. "220881".
    pub adcode: &'static str,
    /// Chinese name.
    pub name: &'static str,
    /// English name.
    pub name_en: &'static str,
}

/// 洮南市 itself.
pub const TAONAN: County = County {
    adcode: "220881",
    name: "洮南市",
    name_en: "Taonan",
};

/// The neighbouring counties shown for context (the parent 白城市 is not one of them).
pub const NEIGHBOURS: [County; 8] = [
    County {
        adcode: "220802",
        name: "洮北区",
        name_en: "Taobei",
    },
    County {
        adcode: "220822",
        name: "通榆县",
        name_en: "Tongyu",
    },
    County {
        adcode: "220882",
        name: "大安市",
        name_en: "Da'an",
    },
    County {
        adcode: "220821",
        name: "镇赉县",
        name_en: "Zhenlai",
    },
    County {
        adcode: "152224",
        name: "突泉县",
        name_en: "Tuquan",
    },
    County {
        adcode: "152221",
        name: "科尔沁右翼前旗",
        name_en: "Horqin Right Front Banner",
    },
    County {
        adcode: "152222",
        name: "科尔沁右翼中旗",
        name_en: "Horqin Right Middle Banner",
    },
    County {
        adcode: "152201",
        name: "乌兰浩特市",
        name_en: "Ulanhot",
    },
];

fn ring(json: &Json) -> Result<LineString<f64>, String> {
    let pts = json.as_array().ok_or("ring is not an array")?;
    pts.iter()
        .map(|p| {
            let lon = p.get(0).and_then(Json::as_f64).ok_or("bad longitude")?;
            let lat = p.get(1).and_then(Json::as_f64).ok_or("bad latitude")?;
            let (x, y) = gcj02_to_wgs84(lon, lat);
            Ok(Coord { x, y })
        })
        .collect::<Result<Vec<_>, &str>>()
        .map(LineString)
        .map_err(str::to_owned)
}

fn polygon(json: &Json) -> Result<Polygon<f64>, String> {
    let rings = json.as_array().ok_or("polygon is not an array")?;
    let mut it = rings.iter().map(ring);
    let outer = it.next().ok_or("polygon without rings")??;
    Ok(Polygon::new(outer, it.collect::<Result<_, _>>()?))
}

/// Parse a GeoJSON geometry object (Polygon or MultiPolygon, or a Feature holding one) in
/// GCJ-02 and return it converted to WGS84.
pub fn boundary_from_geojson(text: &str) -> Result<MultiPolygon<f64>, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let geom = if json.get("type").and_then(Json::as_str) == Some("Feature") {
        json.get("geometry").ok_or("Feature without geometry")?
    } else {
        &json
    };
    let coords = geom.get("coordinates").ok_or("no coordinates")?;
    match geom.get("type").and_then(Json::as_str) {
        Some("MultiPolygon") => Ok(MultiPolygon(
            coords
                .as_array()
                .ok_or("bad MultiPolygon")?
                .iter()
                .map(polygon)
                .collect::<Result<_, _>>()?,
        )),
        Some("Polygon") => Ok(MultiPolygon(vec![polygon(coords)?])),
        other => Err(format!("unsupported geometry type {other:?}")),
    }
}

/// A township seat from the CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Seat {
    /// Statistics code (12 digits).
    pub code: String,
    /// Name as in the source (黑水镇 carries its seat village: 黑水镇(黑水村)).
    pub name: String,
    /// county / subdistrict / town / township.
    pub kind: String,
    /// WGS84 longitude (converted from GCJ-02).
    pub lon: f64,
    /// WGS84 latitude (converted from GCJ-02).
    pub lat: f64,
}

impl Seat {
    /// The township's name without the seat-village note, e.g. 黑水镇.
    pub fn township(&self) -> &str {
        self.name.split(['(', '（']).next().unwrap_or(&self.name)
    }
}

/// Parse `townships-gcj02.csv` (`code,name,kind,lon_gcj02,lat_gcj02`), converting to WGS84.
pub fn seats_from_csv(text: &str) -> Result<Vec<Seat>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let [code, name, kind, lon, lat] = f[..] else {
            return Err(format!(
                "line {}: expected 5 columns, found {}",
                i + 1,
                f.len()
            ));
        };
        let num = |s: &str| {
            s.parse::<f64>()
                .map_err(|e| format!("line {}: {s:?}: {e}", i + 1))
        };
        let (lon, lat) = gcj02_to_wgs84(num(lon)?, num(lat)?);
        out.push(Seat {
            code: code.into(),
            name: name.into(),
            kind: kind.into(),
            lon,
            lat,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_parse_and_shift_back() {
        let s = seats_from_csv(
            "code,name,kind,lon_gcj02,lat_gcj02\n1,黑水镇(黑水村),town,122.815578,45.213648\n",
        )
        .expect("csv");
        assert_eq!(s[0].township(), "黑水镇");
        assert!(
            (s[0].lon - 122.8096).abs() < 0.003 && (s[0].lat - 45.2116).abs() < 0.003,
            "{:?}",
            s[0]
        );
    }
}
