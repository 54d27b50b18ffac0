//! Formats surveyors send that are not read here, each named with what to convert it to:
//! ESRI File Geodatabase folders (`*.gdb`, and the `.gdbtable` files inside them), ESRI
//! personal geodatabases (`.mdb`), MapGIS (`.wp` 区 / `.wl` 线 / `.wt` 点), AutoCAD `.dwg`,
//! MapInfo (`.tab` / `.mif`).

use std::path::Path;

use crate::text::Text;

/// What to do with a path whose extension (lower case, `ext`) is a known format that cannot be
/// read: the format and what to convert it to (the caller names the file); `None` for any
/// other.
pub fn advice(path: &Path, ext: &str) -> Option<Text> {
    let in_gdb = path
        .parent()
        .and_then(|p| p.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("gdb"));
    Some(match ext {
        "gdb" | "gdbtable" | "gdbtablx" | "gdbindexes" | "atx" | "spx" | "freelist"
            if ext == "gdb" || in_gdb =>
        {
            Text::fixed(
                "ESRI 文件地理数据库（.gdb 文件夹）暂不支持：请在 ArcGIS 或 QGIS 中导出为 GeoPackage（.gpkg）或 shapefile（.shp）后打开",
                "ESRI File Geodatabase (.gdb folder) is not supported: export it from ArcGIS or QGIS to GeoPackage (.gpkg) or shapefile (.shp), then open that",
            )
        }
        "mdb" => Text::fixed(
            "ESRI 个人地理数据库（.mdb）暂不支持：请在 ArcGIS 中导出为 shapefile（.shp）或 GeoPackage（.gpkg）后打开",
            "ESRI personal geodatabase (.mdb) is not supported: export it from ArcGIS to shapefile (.shp) or GeoPackage (.gpkg), then open that",
        ),
        "wp" | "wl" | "wt" => Text::fixed(
            "MapGIS 文件（.wp 区、.wl 线、.wt 点）暂不支持：请在 MapGIS 中用“文件转换”输出为 shapefile（.shp）后打开",
            "MapGIS files (.wp areas, .wl lines, .wt points) are not supported: convert them to shapefile (.shp) with MapGIS's file conversion (文件转换), then open the .shp",
        ),
        "dwg" => Text::fixed(
            "DWG 暂不支持：请在 AutoCAD/CASS 中另存为 DXF 后打开 .dxf",
            "DWG is not supported: save as DXF from AutoCAD/CASS, then open the .dxf",
        ),
        "tab" | "mif" | "mid" => Text::fixed(
            "MapInfo 文件（.tab、.mif）暂不支持：请在 MapInfo 或 QGIS 中导出为 shapefile（.shp）或 GeoJSON 后打开",
            "MapInfo files (.tab, .mif) are not supported: export them from MapInfo or QGIS to shapefile (.shp) or GeoJSON, then open that",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    #[test]
    fn named_with_the_way_out() {
        let m = |p: &str| {
            let path = Path::new(p);
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            advice(path, &ext).map(|t| {
                let e = crate::io::load_error::LoadError::new(
                    p,
                    crate::io::load_error::LoadErrorKind::Unsupported(Some(t)),
                );
                (e.words(Lang::Zh), e.words(Lang::En))
            })
        };
        let (zh, en) = m("地块/宗地图.DWG").expect("dwg");
        assert!(en.contains("宗地图.DWG") && en.contains("DXF"), "{en}");
        assert!(zh.starts_with("地块/宗地图.DWG：DWG 暂不支持"), "{zh}");
        let (_, gdb) = m("成果.gdb").expect("gdb");
        assert!(
            gdb.contains("File Geodatabase") && gdb.contains("GeoPackage"),
            "{gdb}"
        );
        let (_, inner) = m("成果.gdb/a00000001.gdbtable").expect("inside a gdb");
        assert!(inner.contains("成果.gdb"), "{inner}");
        for e in ["wp", "wl", "wt"] {
            let (zh, mg) = m(&format!("矿区.{e}")).expect("mapgis");
            assert!(mg.contains("MapGIS") && mg.contains("shapefile"), "{mg}");
            assert!(zh.contains("MapGIS 文件"), "{zh}");
        }
        assert_eq!(m("a.atx"), None, "an .atx outside a .gdb is not claimed");
        assert_eq!(m("a.shp"), None);
    }
}
