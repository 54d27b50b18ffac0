//! The basemap (OpenStreetMap or OpenTopoMap through walkers, or none), its disk cache, and an
//! offline check that keeps the app
//! quiet without a network: a single background connection attempt with a timeout decides
//! whether tiles are requested at all, and it is retried once a minute.

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use walkers::{
    HttpOptions, HttpTiles,
    sources::{OpenStreetMap, OpenTopoMap, OpenTopoServer},
};

/// The basemaps on offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// OpenStreetMap's standard tiles.
    #[default]
    Osm,
    /// OpenTopoMap (relief and contours).
    OpenTopo,
    /// 高德 (AMap) road map. Its tiles are in GCJ-02: layers are drawn shifted to match.
    Amap,
    /// No basemap.
    None,
}

impl Source {
    /// Every source, in menu order.
    pub const ALL: [Source; 4] = [Source::Osm, Source::OpenTopo, Source::Amap, Source::None];

    /// Stable key (settings).
    pub fn key(self) -> &'static str {
        match self {
            Source::Osm => "osm",
            Source::OpenTopo => "opentopomap",
            Source::Amap => "amap",
            Source::None => "none",
        }
    }

    /// Parse a key.
    pub fn from_key(k: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == k)
    }

    /// Name in the menu.
    pub fn label(self, chinese: bool) -> &'static str {
        match (self, chinese) {
            (Source::Osm, _) => "OpenStreetMap",
            (Source::OpenTopo, _) => "OpenTopoMap",
            (Source::Amap, true) => "高德地图（GCJ-02）",
            (Source::Amap, false) => "AMap (GCJ-02)",
            (Source::None, true) => "无底图",
            (Source::None, false) => "No basemap",
        }
    }

    /// Whether the tiles are in GCJ-02 (layers must be drawn shifted).
    pub fn is_gcj02(self) -> bool {
        self == Source::Amap
    }

    fn host(self) -> &'static str {
        match self {
            Source::OpenTopo => "a.tile.opentopomap.org:443",
            Source::Amap => "webrd01.is.autonavi.com:443",
            _ => "tile.openstreetmap.org:443",
        }
    }
}

const PROBE_TIMEOUT: Duration = Duration::from_secs(4);
const RETRY_AFTER: Duration = Duration::from_secs(60);

/// State of the basemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not shown (switched off, or in tests).
    Off,
    /// Checking whether the tile server is reachable.
    Checking,
    /// Tiles are being fetched.
    Online,
    /// The tile server cannot be reached; no tiles are requested.
    Offline,
}

const CHECKING: u8 = 0;
const ONLINE: u8 = 1;
const OFFLINE: u8 = 2;

/// The basemap and its reachability check.
pub struct Basemap {
    enabled: bool,
    source: Source,
    tiles: Option<HttpTiles>,
    probe: Arc<AtomicU8>,
    last_probe: Option<Instant>,
}

fn probe_once(flag: Arc<AtomicU8>, ctx: egui::Context, host: &'static str) {
    flag.store(CHECKING, Ordering::SeqCst);
    // Name resolution can block; it runs on this helper thread, never on the UI thread.
    let _ = std::thread::Builder::new()
        .name("basemap-probe".into())
        .spawn(move || {
            let ok = host
                .to_socket_addrs()
                .ok()
                .and_then(|mut addrs| addrs.next())
                .is_some_and(|addr| TcpStream::connect_timeout(&addr, PROBE_TIMEOUT).is_ok());
            flag.store(if ok { ONLINE } else { OFFLINE }, Ordering::SeqCst);
            ctx.request_repaint();
        });
}

impl Basemap {
    /// A basemap; `enabled = false` never touches the network.
    pub fn new(enabled: bool, source: Source) -> Self {
        Self {
            enabled,
            source,
            tiles: None,
            probe: Arc::new(AtomicU8::new(CHECKING)),
            last_probe: None,
        }
    }

    /// The chosen source.
    pub fn source(&self) -> Source {
        self.source
    }

    /// Switch to another source (the view is kept: it lives in the map's memory).
    pub fn set_source(&mut self, source: Source) {
        if source != self.source {
            self.source = source;
            self.tiles = None;
            self.probe = Arc::new(AtomicU8::new(CHECKING));
            self.last_probe = None;
        }
    }

    /// Current status.
    pub fn status(&self) -> Status {
        if !self.enabled || self.source == Source::None {
            return Status::Off;
        }
        match self.probe.load(Ordering::SeqCst) {
            ONLINE => Status::Online,
            OFFLINE => Status::Offline,
            _ => Status::Checking,
        }
    }

    /// Advance the state machine once a frame; returns the tiles to draw, if any.
    pub fn tiles(&mut self, ctx: &egui::Context) -> Option<&mut HttpTiles> {
        if !self.enabled || self.source == Source::None {
            return None;
        }
        let due = self.last_probe.is_none_or(|t| t.elapsed() > RETRY_AFTER);
        match self.status() {
            Status::Online => {
                if self.tiles.is_none() {
                    self.tiles = Some(match self.source {
                        Source::OpenTopo => HttpTiles::with_options(
                            OpenTopoMap(OpenTopoServer::A),
                            http_options(),
                            ctx.clone(),
                        ),
                        Source::Amap => {
                            HttpTiles::with_options(AmapRoads, http_options(), ctx.clone())
                        }
                        _ => HttpTiles::with_options(OpenStreetMap, http_options(), ctx.clone()),
                    });
                }
            }
            Status::Offline => {
                self.tiles = None;
                if due {
                    self.last_probe = Some(Instant::now());
                    probe_once(self.probe.clone(), ctx.clone(), self.source.host());
                } else {
                    ctx.request_repaint_after(RETRY_AFTER);
                }
            }
            Status::Checking | Status::Off => {
                if self.last_probe.is_none() {
                    self.last_probe = Some(Instant::now());
                    probe_once(self.probe.clone(), ctx.clone(), self.source.host());
                }
            }
        }
        self.tiles.as_mut()
    }
}

/// 高德 (AMap) road-map tiles (Web Mercator grid, GCJ-02 coordinates).
struct AmapRoads;

impl walkers::sources::TileSource for AmapRoads {
    fn tile_url(&self, t: walkers::TileId) -> String {
        format!(
            "https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={}&y={}&z={}",
            t.x, t.y, t.zoom
        )
    }

    fn attribution(&self) -> walkers::sources::Attribution {
        walkers::sources::Attribution {
            text: "高德地图 AutoNavi（GCJ-02）",
            url: "https://www.amap.com/",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn max_zoom(&self) -> u8 {
        18
    }
}

fn http_options() -> HttpOptions {
    HttpOptions {
        cache: dirs::cache_dir().map(|d| d.join("taonan-map").join("tiles")),
        user_agent: Some(walkers::HeaderValue::from_static(concat!(
            "taonan-map/",
            env!("CARGO_PKG_VERSION"),
            " (desktop GIS viewer of the Taonan mineral plan)"
        ))),
        ..Default::default()
    }
}
