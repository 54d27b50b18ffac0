//! Small shapefile sets written the way surveyors send them (CGCS2000 zone 41, EPSG:4529, with a
//! `.prj`), for tests, demos and bug reports.

use std::path::{Path, PathBuf};

use geo::{Coord, Geometry, MapCoords};

use crate::crs::lonlat_to_zone41;
use crate::io::dbf::FieldSpec;
use crate::io::shp::{Attributes, encode};
use crate::model::Value;
use crate::plan::datagen::rectangle;

/// ESRI WKT of CGCS2000 / 3-degree Gauss-Krüger zone 41 (EPSG:4529).
pub const PRJ_ZONE41: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_41",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",41500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

/// A square to write: centre X (northing) and Y (easting with prefix) in metres, side in metres,
/// the mine's name (`KSMC`) and mineral (`KCKZ`).
#[derive(Debug, Clone, Copy)]
pub struct Square<'a> {
    /// Centre X (northing), m.
    pub x: f64,
    /// Centre Y (easting with the 41 prefix), m.
    pub y: f64,
    /// Side, m.
    pub side: f64,
    /// KSMC.
    pub name: &'a str,
    /// KCKZ.
    pub mineral: &'a str,
}

/// Write squares as a zone-41 polygon shapefile set `dir/stem.*` (UTF-8 with `.cpg`), creating
/// `dir`. Returns the `.shp` path.
pub fn write_zone41_squares(
    dir: &Path,
    stem: &str,
    squares: &[Square<'_>],
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut geoms = Vec::new();
    for s in squares {
        let lonlat = rectangle(s.x, s.y, s.side, s.side)?;
        let projected = lonlat
            .try_map_coords(|c| lonlat_to_zone41(c.x, c.y).map(|xy| Coord { x: xy.y, y: xy.x }))
            .map_err(|e| e.to_string())?;
        geoms.push(Geometry::Polygon(projected));
    }
    let fields = [
        FieldSpec {
            name: "KSMC".into(),
            kind: 'C',
            length: 40,
            decimals: 0,
        },
        FieldSpec {
            name: "KCKZ".into(),
            kind: 'C',
            length: 20,
            decimals: 0,
        },
    ];
    let rows: Vec<Vec<Value>> = squares
        .iter()
        .map(|s| vec![Value::Text(s.name.into()), Value::Text(s.mineral.into())])
        .collect();
    let set = encode(
        &geoms,
        Attributes {
            fields: &fields,
            rows: &rows,
        },
        PRJ_ZONE41,
        (2026, 1, 1),
    )?;
    set.write(dir, stem)?;
    Ok(dir.join(format!("{stem}.shp")))
}

/// Write a one-colour 256-px PNG tile into a `{z}/{x}/{y}.png` tile folder under `root`.
pub fn write_folder_tile(
    root: &Path,
    key: crate::tiles::TileKey,
    rgba: [u8; 4],
) -> std::io::Result<()> {
    use crate::tiles::raster::{encode_png, solid};
    let dir = root.join(key.z.to_string()).join(key.x.to_string());
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join(format!("{}.png", key.y)),
        encode_png(&solid(256, 256, rgba)),
    )
}
