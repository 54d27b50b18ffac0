//! The tile fetcher: worker threads that turn tile requests into decoded tiles, from the disk
//! cache, offline files or the network.
//!
//! Network rules: every request has a connect timeout and a total timeout; a stack whose server
//! fails (no network, a black-holed host, 5xx, a refused key) backs off (5 s doubling to 5 min)
//! and is then probed by one request at a time; while it backs off, tiles come from the disk
//! cache and requests for other tiles wait without using the CPU. The log gets one line per
//! stack when it first fails. The Tianditu key is put into the URL only for the request itself
//! and never appears in a log line, a status or an error.

mod network;
pub use network::refusal;
use network::web_tile;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::disk_cache::DiskCache;
use super::local::LocalTiles;
use super::raster::{self, RasterTile};
use super::source::{BasemapSpec, TileLayer, tile_url};

/// A tile of the Web-Mercator grid (XYZ numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKey {
    /// Zoom level.
    pub z: u8,
    /// Column.
    pub x: u32,
    /// Row, from the north.
    pub y: u32,
}

/// What became of a requested tile.
#[derive(Debug, Clone)]
pub enum TileOutcome {
    /// The tile.
    Ready(Arc<RasterTile>),
    /// The source has no such tile (404, outside an offline file).
    Missing,
    /// The tile could not be had now (offline, refused) and is not on disk.
    Unavailable,
    /// The request was dropped to make room for newer ones; ask again if still needed.
    Dropped,
}

/// The health of a basemap, worst stack first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceStatus {
    /// Nothing asked yet.
    Idle,
    /// Tiles arrive.
    Ok,
    /// The basemap needs a key (Tianditu) and none is set.
    NeedsKey,
    /// The server could not be reached (no network, DNS, refused).
    Offline,
    /// The server did not answer in time.
    TimedOut,
    /// Tianditu refused a browser-type key (HTTP 403, code 301012).
    BrowserKey,
    /// The server refused the request (HTTP status, and the service's code if any).
    Refused(u16, Option<String>),
    /// The server failed (5xx, or no image in the answer).
    ServerError(String),
    /// An offline file could not be read.
    LocalError(crate::text::Text),
}

impl SourceStatus {
    fn rank(&self) -> u8 {
        match self {
            SourceStatus::Idle => 0,
            SourceStatus::Ok => 1,
            SourceStatus::ServerError(_) => 2,
            SourceStatus::TimedOut => 3,
            SourceStatus::Offline => 4,
            SourceStatus::Refused(..) => 5,
            SourceStatus::LocalError(_) => 6,
            SourceStatus::NeedsKey => 7,
            SourceStatus::BrowserKey => 8,
        }
    }

    /// Whether the status is a problem worth showing.
    pub fn is_problem(&self) -> bool {
        self.rank() >= 2
    }

    /// A one-line note for the user, `None` when all is well.
    pub fn note(&self, chinese: bool) -> Option<String> {
        let (zh, en) = match self {
            SourceStatus::Idle | SourceStatus::Ok => return None,
            SourceStatus::NeedsKey => (
                "天地图需要密钥（tk）：在 设置 中填写服务器端密钥，或设环境变量 TIANDITU_TK".into(),
                "Tianditu needs a key (tk): enter a server-type key in Settings or set TIANDITU_TK"
                    .into(),
            ),
            SourceStatus::Offline => (
                "底图离线：无法连接瓦片服务器，只显示已缓存的瓦片".into(),
                "Basemap offline: the tile server cannot be reached; showing cached tiles only"
                    .into(),
            ),
            SourceStatus::TimedOut => (
                "底图超时：瓦片服务器无应答，只显示已缓存的瓦片，稍后重试".into(),
                "Basemap timed out: the tile server does not answer; cached tiles only, retrying later"
                    .into(),
            ),
            SourceStatus::BrowserKey => (
                "天地图拒绝了密钥（403，301012）：这是浏览器端密钥，桌面程序需要“服务器端”密钥".into(),
                "Tianditu refused the key (403, 301012): it is a browser-type key; a desktop app needs a server-type key"
                    .into(),
            ),
            SourceStatus::Refused(status, code) => {
                let code = code.as_deref().map(|c| format!("，代码 {c}")).unwrap_or_default();
                (
                    format!("瓦片服务器拒绝请求（HTTP {status}{code}）：检查密钥或访问权限"),
                    format!("The tile server refused the request (HTTP {status}{code}): check the key or access rights"),
                )
            }
            SourceStatus::ServerError(what) => (
                format!("瓦片服务器出错：{what}"),
                format!("The tile server failed: {what}"),
            ),
            SourceStatus::LocalError(what) => (
                format!(
                    "离线瓦片无法读取：{}",
                    what.in_lang(crate::text::Lang::Zh)
                ),
                format!(
                    "Offline tiles cannot be read: {}",
                    what.in_lang(crate::text::Lang::En)
                ),
            ),
        };
        Some(if chinese { zh } else { en })
    }
}

/// How the fetcher behaves.
#[derive(Clone)]
pub struct ServiceOptions {
    /// The disk cache (web stacks only).
    pub cache: Option<Arc<DiskCache>>,
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request.
    pub request_timeout: Duration,
    /// First back-off after a failure (doubles per failure).
    pub first_backoff: Duration,
    /// Longest back-off.
    pub max_backoff: Duration,
    /// Cached tiles older than this are fetched again when the server answers.
    pub refresh_after: Duration,
    /// Worker threads.
    pub workers: usize,
    /// Wait for a failing server to come back (window) rather than answer `Unavailable` at once
    /// (batch export).
    pub wait_for_network: bool,
    /// Where the one line per failing stack goes.
    pub log: Arc<dyn Fn(&str) + Send + Sync>,
    /// Stacks already logged. Fetchers that share this set (all made from the defaults, e.g.
    /// the window's and its export's) log a failing source once between them.
    pub logged: Arc<Mutex<HashSet<String>>>,
}

/// The set of logged stacks shared by every fetcher made from [`ServiceOptions::default`].
fn process_logged() -> Arc<Mutex<HashSet<String>>> {
    static LOGGED: std::sync::OnceLock<Arc<Mutex<HashSet<String>>>> = std::sync::OnceLock::new();
    LOGGED.get_or_init(Default::default).clone()
}

impl Default for ServiceOptions {
    fn default() -> Self {
        ServiceOptions {
            cache: super::disk_cache::default_dir()
                .map(|d| Arc::new(DiskCache::new(d, super::disk_cache::DEFAULT_CAP_BYTES))),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(12),
            first_backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(300),
            refresh_after: Duration::from_secs(30 * 24 * 3600),
            workers: 4,
            wait_for_network: true,
            log: Arc::new(|line: &str| eprintln!("{line}")),
            logged: process_logged(),
        }
    }
}

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "taonan-map/",
    env!("CARGO_PKG_VERSION"),
    " (desktop GIS viewer of the Taonan mineral-resources plan)"
);

#[derive(Default)]
struct Health {
    failures: u32,
    until: Option<Instant>,
    probing: bool,
    status: Option<SourceStatus>,
    logged: bool,
    /// A refusal that retrying cannot fix (bad key): no more requests.
    fatal: bool,
}

#[derive(Default)]
struct State {
    pending: Vec<TileKey>,
    queued: HashSet<TileKey>,
    deferred: Vec<TileKey>,
    done: Vec<(TileKey, TileOutcome)>,
    health: Vec<Health>,
    shutdown: bool,
}

struct Inner {
    spec: BasemapSpec,
    opts: ServiceOptions,
    state: Mutex<State>,
    wake: Condvar,
    finished: Condvar,
    notify: Box<dyn Fn() + Send + Sync>,
    /// Stack names for the disk cache and the log.
    stack_ids: Vec<String>,
}

/// Most requests kept waiting; older ones are dropped first.
const MAX_WAITING: usize = 384;

/// A running fetcher for one basemap. Dropping it stops the workers (a request under way
/// finishes first, within its timeout).
pub struct TileService {
    inner: Arc<Inner>,
}

impl TileService {
    /// Start workers for `spec`; `notify` is called (from a worker) whenever tiles are ready.
    pub fn start(
        spec: BasemapSpec,
        opts: ServiceOptions,
        notify: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        let stack_ids = (0..spec.layers.len())
            .map(|i| {
                let safe: String = spec
                    .id
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                format!("{safe}-{i}")
            })
            .collect();
        let health = spec.layers.iter().map(|_| Health::default()).collect();
        let workers = if spec.is_web() {
            opts.workers.max(1)
        } else {
            1
        };
        let inner = Arc::new(Inner {
            spec,
            opts,
            state: Mutex::new(State {
                health,
                ..State::default()
            }),
            wake: Condvar::new(),
            finished: Condvar::new(),
            notify: Box::new(notify),
            stack_ids,
        });
        for i in 0..workers {
            let inner = inner.clone();
            let _ = std::thread::Builder::new()
                .name(format!("tiles-{i}"))
                .spawn(move || worker(inner));
        }
        TileService { inner }
    }

    /// The basemap served.
    pub fn spec(&self) -> &BasemapSpec {
        &self.inner.spec
    }

    /// Ask for a tile (no effect if it is already waiting). The newest requests go first.
    pub fn request(&self, key: TileKey) {
        let mut st = self.inner.lock();
        if !st.queued.insert(key) {
            return;
        }
        st.pending.push(key);
        if st.pending.len() + st.deferred.len() > MAX_WAITING {
            let drop_from = if st.deferred.is_empty() {
                &mut st.pending
            } else {
                &mut st.deferred
            };
            let old = drop_from.remove(0);
            st.queued.remove(&old);
            st.done.push((old, TileOutcome::Dropped));
        }
        drop(st);
        self.inner.wake.notify_one();
    }

    /// Tiles finished since the last call.
    pub fn take_ready(&self) -> Vec<(TileKey, TileOutcome)> {
        std::mem::take(&mut self.inner.lock().done)
    }

    /// The worst status over the basemap's stacks.
    pub fn status(&self) -> SourceStatus {
        if self.inner.spec.needs_key && self.inner.spec.key.is_none() {
            return SourceStatus::NeedsKey;
        }
        let st = self.inner.lock();
        st.health
            .iter()
            .filter_map(|h| h.status.clone())
            .max_by_key(|s| s.rank())
            .unwrap_or(SourceStatus::Idle)
    }

    /// Fetch `keys` and wait for them until `deadline`: what arrived in time, by tile.
    ///
    /// The keys are asked for in batches the queue holds (a big export asks for more tiles
    /// than [`MAX_WAITING`]); a request the queue dropped is asked for again, never counted as
    /// answered.
    pub fn fetch_all(&self, keys: &[TileKey], deadline: Instant) -> HashMap<TileKey, TileOutcome> {
        let mut got = HashMap::new();
        for batch in keys.chunks(MAX_WAITING / 2) {
            let wanted: HashSet<TileKey> = batch.iter().copied().collect();
            let mut ask: Vec<TileKey> = batch.to_vec();
            loop {
                for k in ask.drain(..) {
                    self.request(k);
                }
                let mut st = self.inner.lock();
                for (k, o) in std::mem::take(&mut st.done) {
                    if !wanted.contains(&k) {
                        continue;
                    }
                    match o {
                        TileOutcome::Dropped => ask.push(k),
                        o => {
                            got.insert(k, o);
                        }
                    }
                }
                let now = Instant::now();
                let answered = wanted.iter().all(|k| got.contains_key(k));
                if answered || now >= deadline {
                    break;
                }
                if ask.is_empty() {
                    let _ = self.inner.finished.wait_timeout(st, deadline - now);
                }
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        got
    }
}

impl Drop for TileService {
    fn drop(&mut self) {
        self.inner.lock().shutdown = true;
        self.inner.wake.notify_all();
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn finish(&self, key: TileKey, outcome: TileOutcome) {
        {
            let mut st = self.lock();
            st.queued.remove(&key);
            st.done.push((key, outcome));
        }
        self.finished.notify_all();
        (self.notify)();
    }
}

/// What one stack gave for a tile.
enum Got {
    Bytes(Vec<u8>),
    Missing,
    /// Not now: the server is backing off and the tile is not cached.
    Later,
    /// Not at all in this session (no key, a refused key) and not cached.
    Unavailable,
}

fn worker(inner: Arc<Inner>) {
    // Offline files are opened once per worker (SQLite connections are per thread).
    let mut locals: Vec<Option<Result<LocalTiles, crate::text::Text>>> =
        inner.spec.layers.iter().map(|_| None).collect();
    let client = reqwest::blocking::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(inner.opts.connect_timeout)
        .timeout(inner.opts.request_timeout)
        .build()
        .ok();
    while let Some(key) = next_key(&inner) {
        let mut images: Vec<RasterTile> = Vec::new();
        let mut later = false;
        let mut unavailable = false;
        for (i, layer) in inner.spec.layers.iter().enumerate() {
            let got = match layer {
                TileLayer::Http {
                    template,
                    subdomains,
                } => web_tile(&inner, i, template, subdomains, key, client.as_ref()),
                local => local_tile(&inner, i, local, &mut locals[i], key),
            };
            match got {
                Got::Bytes(b) => match raster::decode(&b) {
                    Ok(img) => images.push(img),
                    Err(e) => set_status(&inner, i, SourceStatus::ServerError(e)),
                },
                Got::Missing => {}
                Got::Later => later = true,
                Got::Unavailable => unavailable = true,
            }
        }
        let mut it = images.into_iter();
        let outcome = match it.next() {
            Some(mut base) => {
                for top in it {
                    raster::stack(&mut base, &top);
                }
                TileOutcome::Ready(Arc::new(base))
            }
            None if later && inner.opts.wait_for_network => {
                let mut st = inner.lock();
                if !st.shutdown {
                    st.deferred.push(key);
                }
                continue;
            }
            None if later || unavailable => TileOutcome::Unavailable,
            None => TileOutcome::Missing,
        };
        inner.finish(key, outcome);
    }
}

/// The next tile to fetch, waiting for one (and for back-offs to run out); `None` once the
/// service shuts down.
fn next_key(inner: &Inner) -> Option<TileKey> {
    let mut st = inner.lock();
    loop {
        if st.shutdown {
            return None;
        }
        let now = Instant::now();
        // Back-offs that ran out: their waiting tiles are tried again.
        if !st.deferred.is_empty()
            && st
                .health
                .iter()
                .all(|h| h.fatal || (!h.probing && h.until.is_none_or(|u| u <= now)))
        {
            let back = std::mem::take(&mut st.deferred);
            st.pending.splice(0..0, back);
        }
        if let Some(k) = st.pending.pop() {
            return Some(k);
        }
        let next = st
            .health
            .iter()
            .filter(|h| !h.fatal)
            .filter_map(|h| h.until)
            .min();
        st = match (next, st.deferred.is_empty()) {
            (Some(t), false) if t > now => match inner.wake.wait_timeout(st, t - now) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            },
            _ => match inner.wake.wait(st) {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            },
        };
    }
}

/// A tile from an offline file (opened once per worker, in `opened`).
fn local_tile(
    inner: &Inner,
    i: usize,
    layer: &TileLayer,
    opened: &mut Option<Result<LocalTiles, crate::text::Text>>,
    key: TileKey,
) -> Got {
    let src = opened.get_or_insert_with(|| LocalTiles::open(layer));
    match src
        .as_ref()
        .map_err(|e| e.clone())
        .and_then(|s| s.get(key.z, key.x, key.y))
    {
        Ok(Some(b)) => {
            set_status(inner, i, SourceStatus::Ok);
            Got::Bytes(b)
        }
        Ok(None) => Got::Missing,
        Err(e) => {
            set_status(inner, i, SourceStatus::LocalError(e));
            Got::Missing
        }
    }
}

fn set_status(inner: &Inner, stack: usize, status: SourceStatus) {
    let mut st = inner.lock();
    if let Some(h) = st.health.get_mut(stack) {
        h.status = Some(status);
    }
}
