//! Basemap definitions: what each basemap is called, where its tiles come from (web tile
//! servers, or offline `.mbtiles` / `.pmtiles` files and `{z}/{x}/{y}` folders), its zoom range,
//! its attribution and whether its tiles are in GCJ-02.

use std::path::{Path, PathBuf};

/// Official Tianditu tile host pattern (`{s}` is 0–7).
pub const TIANDITU_BASE: &str = "https://t{s}.tianditu.gov.cn";

/// One stack of tiles of a basemap (a basemap may draw several, e.g. Tianditu's base map and
/// its label layer).
#[derive(Clone, PartialEq)]
pub enum TileLayer {
    /// A web tile server. `template` holds `{z}`, `{x}`, `{y}`, optionally `{s}` (one of
    /// `subdomains`) and `{tk}` (the user's key, filled in only when a request is made).
    Http {
        /// URL template.
        template: String,
        /// Values for `{s}`.
        subdomains: Vec<String>,
    },
    /// An MBTiles file (SQLite, TMS row order).
    Mbtiles(PathBuf),
    /// A PMTiles v3 archive.
    Pmtiles(PathBuf),
    /// A folder of `{z}/{x}/{y}.png` (or `.jpg`) files.
    Folder(PathBuf),
}

impl std::fmt::Debug for TileLayer {
    // Templates never hold the key itself, but keep Debug short and safe anyway.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TileLayer::Http { template, .. } => {
                let host = template.split('/').nth(2).unwrap_or("?");
                write!(f, "Http({host})")
            }
            TileLayer::Mbtiles(p) => write!(f, "Mbtiles({})", p.display()),
            TileLayer::Pmtiles(p) => write!(f, "Pmtiles({})", p.display()),
            TileLayer::Folder(p) => write!(f, "Folder({})", p.display()),
        }
    }
}

/// A basemap.
#[derive(Clone, PartialEq)]
pub struct BasemapSpec {
    /// Stable key (stored in the session; never holds a secret).
    pub id: String,
    /// Name shown in Chinese.
    pub name_zh: String,
    /// Name shown in English.
    pub name_en: String,
    /// Attribution line (drawn on the map and on exports).
    pub attribution: String,
    /// Lowest zoom with tiles.
    pub min_zoom: u8,
    /// Highest zoom with tiles (deeper views are drawn from this level, magnified).
    pub max_zoom: u8,
    /// The tiles are in GCJ-02 (AMap): vector layers are drawn shifted to match.
    pub gcj02: bool,
    /// Tile stacks, bottom first.
    pub layers: Vec<TileLayer>,
    /// The user's key, substituted for `{tk}` (Tianditu). Never printed or stored by this type.
    pub key: Option<String>,
    /// The basemap needs a key (`{tk}`) to work at all.
    pub needs_key: bool,
}

impl std::fmt::Debug for BasemapSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasemapSpec")
            .field("id", &self.id)
            .field("layers", &self.layers)
            .field("key", &self.key.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// Tianditu's Web-Mercator map kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TiandituKind {
    /// 矢量 (vec_w + cva_w).
    Vector,
    /// 影像 (img_w + cia_w).
    Imagery,
    /// 地形 (ter_w + cta_w).
    Terrain,
}

impl TiandituKind {
    /// All kinds, in menu order.
    pub const ALL: [TiandituKind; 3] = [
        TiandituKind::Vector,
        TiandituKind::Imagery,
        TiandituKind::Terrain,
    ];

    fn layers(self) -> (&'static str, &'static str) {
        match self {
            TiandituKind::Vector => ("vec", "cva"),
            TiandituKind::Imagery => ("img", "cia"),
            TiandituKind::Terrain => ("ter", "cta"),
        }
    }

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            TiandituKind::Vector => "tianditu-vec",
            TiandituKind::Imagery => "tianditu-img",
            TiandituKind::Terrain => "tianditu-ter",
        }
    }
}

/// A WMTS GetTile template for one Tianditu `_w` layer on `base`.
fn tianditu_template(base: &str, layer: &str) -> String {
    format!(
        "{base}/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={{tk}}"
    )
}

impl BasemapSpec {
    fn web(id: &str, zh: &str, en: &str, attribution: &str, max_zoom: u8, template: &str) -> Self {
        BasemapSpec {
            id: id.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            attribution: attribution.into(),
            min_zoom: 0,
            max_zoom,
            gcj02: false,
            layers: vec![TileLayer::Http {
                template: template.into(),
                subdomains: Vec::new(),
            }],
            key: None,
            needs_key: false,
        }
    }

    /// OpenStreetMap's standard tiles.
    pub fn osm() -> Self {
        Self::web(
            "osm",
            "OpenStreetMap",
            "OpenStreetMap",
            "© OpenStreetMap contributors",
            19,
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        )
    }

    /// OpenTopoMap.
    pub fn opentopomap() -> Self {
        let mut s = Self::web(
            "opentopomap",
            "OpenTopoMap（地形）",
            "OpenTopoMap",
            "© OpenStreetMap contributors, SRTM | © OpenTopoMap (CC-BY-SA)",
            17,
            "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png",
        );
        s.layers = vec![TileLayer::Http {
            template: "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png".into(),
            subdomains: vec!["a".into(), "b".into(), "c".into()],
        }];
        s
    }

    /// 高德 (AMap) road map; its tiles are in GCJ-02.
    pub fn amap() -> Self {
        let mut s = Self::web(
            "amap",
            "高德地图（GCJ-02）",
            "AMap (GCJ-02)",
            "© 高德地图 AutoNavi",
            18,
            "",
        );
        s.layers = vec![TileLayer::Http {
            template: "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}".into(),
            subdomains: ["1", "2", "3", "4"].map(String::from).to_vec(),
        }];
        s.gcj02 = true;
        s
    }

    /// 天地图 with the user's key (`None`: the basemap says a key is needed).
    pub fn tianditu(kind: TiandituKind, key: Option<String>) -> Self {
        Self::tianditu_at(kind, key, TIANDITU_BASE)
    }

    /// 天地图 served from another host (`base` may hold `{s}`): for tests and mirrors.
    pub fn tianditu_at(kind: TiandituKind, key: Option<String>, base: &str) -> Self {
        let (lower, labels) = kind.layers();
        let subdomains: Vec<String> = (0..8).map(|i| i.to_string()).collect();
        let (zh, en) = match kind {
            TiandituKind::Vector => ("天地图 矢量", "Tianditu vector"),
            TiandituKind::Imagery => ("天地图 影像", "Tianditu imagery"),
            TiandituKind::Terrain => ("天地图 地形", "Tianditu terrain"),
        };
        BasemapSpec {
            id: kind.id().into(),
            name_zh: zh.into(),
            name_en: en.into(),
            attribution: "© 天地图 国家地理信息公共服务平台（www.tianditu.gov.cn）".into(),
            min_zoom: 1,
            max_zoom: if kind == TiandituKind::Terrain {
                14
            } else {
                18
            },
            gcj02: false,
            layers: [lower, labels]
                .iter()
                .map(|l| TileLayer::Http {
                    template: tianditu_template(base, l),
                    subdomains: subdomains.clone(),
                })
                .collect(),
            key: key.filter(|k| !k.trim().is_empty()),
            needs_key: true,
        }
    }

    /// A web XYZ template of the user's (an intranet tile server, say).
    pub fn custom_xyz(template: &str) -> Self {
        Self::web(
            "xyz",
            "自定义 XYZ 瓦片",
            "Custom XYZ tiles",
            template.split('/').nth(2).unwrap_or(template),
            19,
            template,
        )
    }

    /// An offline tile file or folder: `.mbtiles`, `.pmtiles`, or a `{z}/{x}/{y}` folder.
    pub fn local(path: &Path) -> Result<Self, crate::text::Text> {
        let layer = local_layer(path)?;
        // The zoom range the file holds (deeper views magnify its deepest tiles).
        let (min_zoom, max_zoom) = super::local::LocalTiles::open(&layer)
            .ok()
            .and_then(|l| l.zoom_range())
            .unwrap_or((0, 22));
        Ok(BasemapSpec {
            id: local_id(path),
            name_zh: local_name(path, true),
            name_en: local_name(path, false),
            attribution: file_name(path),
            min_zoom,
            max_zoom,
            gcj02: false,
            layers: vec![layer],
            key: None,
            needs_key: false,
        })
    }

    /// Whether any stack is fetched over the network.
    pub fn is_web(&self) -> bool {
        self.layers
            .iter()
            .any(|l| matches!(l, TileLayer::Http { .. }))
    }

    /// The name in the chosen language.
    pub fn name(&self, chinese: bool) -> &str {
        if chinese {
            &self.name_zh
        } else {
            &self.name_en
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The kind of an offline tile path (a folder, `.mbtiles` or `.pmtiles`) without opening it;
/// an error naming the path for anything else. Cheap enough for the window's thread.
pub fn local_layer(path: &Path) -> Result<TileLayer, crate::text::Text> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let layer = if path.is_dir() {
        TileLayer::Folder(path.to_path_buf())
    } else {
        match ext.as_deref() {
            Some("mbtiles") => TileLayer::Mbtiles(path.to_path_buf()),
            Some("pmtiles") => TileLayer::Pmtiles(path.to_path_buf()),
            _ => {
                let p = path.display();
                return Err(crate::text!(
                    "{p}：不是 .mbtiles、.pmtiles 文件或瓦片文件夹",
                    "{p}: not an .mbtiles or .pmtiles file or a tile folder"
                ));
            }
        }
    };
    Ok(layer)
}

/// The menu name of an offline tile file or folder (without opening it).
pub fn local_name(path: &Path, chinese: bool) -> String {
    let name = file_name(path);
    if chinese {
        format!("离线瓦片：{name}")
    } else {
        format!("Offline tiles: {name}")
    }
}

/// The id under which an offline tile source is remembered.
pub fn local_id(path: &Path) -> String {
    format!("local:{}", path.display())
}

/// The built-in basemap for an id (`None` for unknown ids, local files and "none").
/// `key` is the Tianditu key and `xyz` the user's XYZ template, when set.
pub fn builtin(id: &str, key: Option<&str>, xyz: Option<&str>) -> Option<BasemapSpec> {
    match id {
        "osm" => Some(BasemapSpec::osm()),
        "opentopomap" => Some(BasemapSpec::opentopomap()),
        "amap" => Some(BasemapSpec::amap()),
        "xyz" => xyz.map(BasemapSpec::custom_xyz),
        _ => TiandituKind::ALL
            .into_iter()
            .find(|k| k.id() == id)
            .map(|k| BasemapSpec::tianditu(k, key.map(str::to_owned))),
    }
}

/// Fill a URL template for one tile. The key is substituted last and only here.
pub fn tile_url(template: &str, subdomains: &[String], z: u8, x: u32, y: u32, key: &str) -> String {
    let s = if subdomains.is_empty() {
        ""
    } else {
        &subdomains[(x as usize + y as usize) % subdomains.len()]
    };
    template
        .replace("{s}", s)
        .replace("{z}", &z.to_string())
        .replace("{x}", &x.to_string())
        .replace("{y}", &y.to_string())
        .replace("{tk}", key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tianditu_urls_follow_the_wmts_pattern() {
        let spec = BasemapSpec::tianditu(TiandituKind::Imagery, Some("abc".into()));
        let TileLayer::Http {
            template,
            subdomains,
        } = &spec.layers[1]
        else {
            panic!("http layer expected");
        };
        let url = tile_url(template, subdomains, 10, 850, 360, "abc");
        assert!(
            url.starts_with("https://t2.tianditu.gov.cn/cia_w/wmts?"),
            "{url}"
        );
        assert!(url.contains("TILEMATRIX=10&TILEROW=360&TILECOL=850&tk=abc"));
        assert!(!format!("{spec:?}").contains("abc"));
    }

    #[test]
    fn local_sources_by_extension() {
        assert!(matches!(
            BasemapSpec::local(Path::new("/x/城区.mbtiles")).map(|s| s.layers[0].clone()),
            Ok(TileLayer::Mbtiles(_))
        ));
        assert!(BasemapSpec::local(Path::new("/x/a.txt")).is_err());
        assert_eq!(
            builtin("tianditu-ter", None, None).map(|s| s.max_zoom),
            Some(14)
        );
        assert!(builtin("xyz", None, None).is_none());
    }
}
