//! The command line's usage text, in Chinese (the default) and in English (`--lang en`).

use crate::text::Lang;

/// Usage text in English (`--lang en`).
pub const USAGE: &str = "\
taonan-map — Taonan mineral-resources plan viewer (洮南市矿产资源规划图)

USAGE (every command also takes --lang zh|en: the language of its messages and reports,
Chinese by default):
  taonan-map [FILES…]                          open the viewer (files load on top of the plan)
  taonan-map info [--json] [--features] [READ OPTIONS] [FILES…]
                                               print every loaded layer (name, role, source,
                                               CRS, encoding, counts, extent); --features adds
                                               every feature's attributes, area and centroid
  taonan-map check [--json] [--report FILE.pdf] [--out FILE] [--force] [READ OPTIONS] [FILES…]
                                               overlap and plan-conformance findings for the
                                               bundled layers plus FILES; exit status 1 when any
                                               error-level (错误) finding exists, 3 when a file
                                               could not be loaded; --report also writes a PDF
                                               check report (cover, summary, a page per error
                                               and warning up to 100, conformance; exit 4 when
                                               it cannot be written); --out writes the findings
                                               by extension: .csv (UTF-8 with BOM), .xlsx
                                               (findings + conformance sheets),
                                               .geojson/.shp/.kml/.gpkg (the overlap polygons;
                                               exit 2 when it cannot be written); an existing
                                               file is replaced only with --force
  taonan-map convert INPUT OUTPUT [--to-crs EPSG] [--encoding GBK|UTF-8] [--force]
                   [--crs EPSG] [--in-encoding NAME] [--swap-xy]
                                               write a layer (a file, or bundled:NAME for a
                                               bundled plan layer, e.g. bundled:mining_blocks)
                                               as OUTPUT.shp (+.shx .dbf .prj .cpg; DBF in GBK
                                               unless --encoding UTF-8), .geojson, .kml or
                                               .gpkg; --to-crs 4490 (default, CGCS2000
                                               lon/lat), 4326, 4529 (GK zone 41) or another
                                               CGCS2000 GK zone (4491–4554; not for GeoJSON or
                                               KML); provenance kept in SJXZ/SJLY; an existing
                                               file is replaced only with --force
  taonan-map export --out FILE.png|FILE.svg
                   [--width PX --height PX | --paper a4|a3 --dpi N [--portrait]]
                   [--title TEXT] [--extent taonan|MINLON,MINLAT,MAXLON,MAXLAT]
                   [--layout map|report] [--basemap ID|FILE|URL | --no-basemap]
                   [--labels FIELD|name] [READ OPTIONS] [FILES…]
                                               render the map (or a report page with title,
                                               legend, scale bar, north arrow and frame) to a
                                               PNG without a window; FILE.svg (any case)
                                               writes SVG instead: paths, text as outlines,
                                               sharp at any size, sized in mm with --paper,
                                               else px (its viewBox is the pixels). The
                                               basemap (default osm; also opentopomap, amap,
                                               tianditu-vec|img|ter, an .mbtiles/.pmtiles
                                               file, a {z}/{x}/{y} folder or an http(s)
                                               template) comes from the network or the tile
                                               cache; what was missing is said in the
                                               attribution line; --labels labels the FILES'
                                               features by FIELD (name: their display name),
                                               placed as in the window (none overlap)
  taonan-map --help | --version

FILES: shapefiles (.shp), zips of them, GeoPackages (.gpkg, every feature table), CAD
  drawings (.dxf, CRS guessed from the numbers), GeoJSON (.geojson/.json), KML/KMZ,
  corner-coordinate lists (.txt/.csv, 拐点坐标). A file whose CRS cannot be decided is listed
  unplaced (crs null) until --crs is given.
READ OPTIONS (for every FILE): --crs EPSG (instead of the .prj or the guess),
  --encoding NAME (GBK, UTF-8, GB18030 …), --swap-xy (X and Y are swapped in the file),
  --table NAME (only this feature table of a GeoPackage; repeatable),
  --transform FILE (a local grid's four- or seven-parameter transform, TOML, typed in or
  solved from control points: see docs/transform.md),
  --plan FILE (repeatable, one per layer of the plan database 规划数据库: its zones replace
  the schematic ones, matched by code, else by name; info --json shows the matching)
";

/// Usage text in Chinese (the default).
pub const USAGE_ZH: &str = "\
taonan-map — 洮南市矿产资源规划图

用法（每个命令都可加 --lang zh|en：消息与报告的语言，默认中文）：
  taonan-map [文件…]                           打开窗口（文件载入到规划图层之上）
  taonan-map info [--json] [--features] [读取选项] [文件…]
                                               列出载入的每个图层（名称、角色、来源、坐标系、
                                               编码、数量、范围）；--features 另列每个要素的
                                               属性、面积和中心
  taonan-map check [--json] [--report 文件.pdf] [--out 文件] [--force] [读取选项] [文件…]
                                               内置图层加上所给文件的叠加检查与规划符合性
                                               结果；有错误级结果时退出码为 1，有文件无法载入
                                               时为 3；--report 另写出 PDF 检查报告（封面、
                                               汇总、每个错误和警告一页，最多 100 页，符合性；
                                               无法写出时退出码为 4）；--out 按扩展名写出检查
                                               结果：.csv（带 BOM 的 UTF-8）、.xlsx（结果与
                                               符合性两个工作表）、.geojson/.shp/.kml/.gpkg
                                               （重叠部分的多边形；无法写出时退出码为 2）；
                                               已有文件只在加 --force 时替换
  taonan-map convert 输入 输出 [--to-crs EPSG] [--encoding GBK|UTF-8] [--force]
                   [--crs EPSG] [--in-encoding 编码] [--swap-xy]
                                               把一个图层（文件，或内置规划图层
                                               bundled:名称，如 bundled:mining_blocks）写成
                                               输出.shp（及 .shx .dbf .prj .cpg；DBF 默认 GBK，
                                               --encoding UTF-8 时为 UTF-8）、.geojson、.kml 或
                                               .gpkg；--to-crs 4490（默认，CGCS2000 经纬度）、
                                               4326、4529（高斯-克吕格 41 带）或其他 CGCS2000
                                               高斯-克吕格带（4491–4554；GeoJSON 与 KML 不可）；
                                               数据来源保存在 SJXZ/SJLY；已有文件只在加
                                               --force 时替换
  taonan-map export --out 文件.png|文件.svg
                   [--width 像素 --height 像素 | --paper a4|a3 --dpi N [--portrait]]
                   [--title 标题] [--extent taonan|最小经度,最小纬度,最大经度,最大纬度]
                   [--layout map|report] [--basemap 底图|文件|网址 | --no-basemap]
                   [--labels 字段|name] [读取选项] [文件…]
                                               不开窗口把地图（或带标题、图例、比例尺、
                                               指北针和图框的报告页）画成 PNG；文件名以 .svg
                                               结尾（大小写均可）则写 SVG：路径、文字转为轮廓，
                                               任意缩放都清晰，给 --paper 时以毫米为单位，否则
                                               以像素为单位（viewBox 即像素）。底图（默认 osm；
                                               还有 opentopomap、amap、tianditu-vec|img|ter、
                                               .mbtiles/.pmtiles 文件、{z}/{x}/{y} 文件夹或
                                               http(s) 地址模板）来自网络或瓦片缓存，缺了什么
                                               在署名行中说明；--labels 按字段（name：显示
                                               名称）标注所给文件的要素，摆放方式与窗口相同
                                               （互不重叠）
  taonan-map --help | --version

文件：shapefile（.shp）及其 zip 压缩包、GeoPackage（.gpkg，每个要素表）、CAD 图形
  （.dxf，坐标系由数值推测）、GeoJSON（.geojson/.json）、KML/KMZ、拐点坐标表
  （.txt/.csv）。无法确定坐标系的文件列为未定位（crs 为 null），直到给出 --crs。
读取选项（对每个文件）：--crs EPSG（代替 .prj 或推测），--encoding 编码（GBK、UTF-8、
  GB18030 …），--swap-xy（文件中 X 与 Y 颠倒），--table 表名（只读 GeoPackage 的这个
  要素表；可重复），--transform 文件（矿区独立坐标的四参数或七参数转换，TOML，直接给出
  参数或由控制点求解：见 docs/transform.md），--plan 文件（可重复，规划数据库每层一个：
  其中的规划区按编号、否则按名称匹配，代替示意位置；info --json 显示匹配结果）
";

/// The usage text in `lang`.
pub fn usage(lang: Lang) -> &'static str {
    lang.t(USAGE_ZH, USAGE)
}
