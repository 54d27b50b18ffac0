//! The basemap in the window: the chosen source (see [`crate::tiles`]), its fetcher, and the
//! tiles turned into textures for walkers. Network sources are only used when the app was
//! started with the network allowed; offline tile files always work.

use crate::text::{Lang, Text};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use egui::{Color32, ColorImage, TextureHandle, TextureOptions};
use walkers::{Tile, TileId, TilePiece, Tiles, sources::Attribution};

use crate::tiles::{BasemapSpec, SourceStatus, TileKey, TileOutcome, TileService};
use crate::user_config::UserConfig;

/// Built-in basemap ids, in menu order ("xyz" shows only when a template is set).
pub const BUILTIN: [&str; 7] = [
    "osm",
    "opentopomap",
    "amap",
    "tianditu-vec",
    "tianditu-img",
    "tianditu-ter",
    "xyz",
];

/// Textures kept; the least recently drawn go first.
const MAX_TEXTURES: usize = 600;

struct Slot {
    tex: Option<TextureHandle>,
    used: u64,
}

/// The basemap and its tiles.
pub struct Basemap {
    network: bool,
    choice: String,
    spec: Option<BasemapSpec>,
    problem: Option<Text>,
    service: Option<TileService>,
    textures: HashMap<TileKey, Slot>,
    waiting: HashSet<TileKey>,
    frame: u64,
    /// The user's settings (key, XYZ template, cache cap).
    pub config: UserConfig,
    /// Offline tile files and folders the user opened, newest first.
    pub local: Vec<PathBuf>,
    /// An offline tile file being opened on a worker (its id and the result to come).
    opening: Option<std::sync::mpsc::Receiver<Opened>>,
}

/// A basemap id and what opening it gave (on a worker).
type Opened = (String, Result<Option<BasemapSpec>, Text>);

impl Basemap {
    /// A basemap; with `network = false` no web source is ever contacted.
    pub fn new(network: bool, choice: &str, config: UserConfig, local: Vec<PathBuf>) -> Self {
        let mut b = Basemap {
            network,
            choice: String::new(),
            spec: None,
            problem: None,
            service: None,
            textures: HashMap::new(),
            waiting: HashSet::new(),
            frame: 0,
            config,
            local,
            opening: None,
        };
        b.set_choice(choice);
        // Earlier versions let walkers keep an uncapped HTTP cache here; ours is capped.
        if let Some(old) = b
            .config
            .cache_dir()
            .and_then(|d| Some(d.parent()?.join("tiles")))
            && old.is_dir()
        {
            let _ = std::thread::Builder::new()
                .name("old-tile-cache".into())
                .spawn(move || std::fs::remove_dir_all(old));
        }
        b
    }

    /// The chosen basemap's id.
    pub fn choice(&self) -> &str {
        &self.choice
    }

    /// Switch basemap (the view is kept: it lives in the map's memory). Settings changes are
    /// applied by choosing the same id again.
    pub fn set_choice(&mut self, id: &str) {
        self.choice = id.to_owned();
        self.service = None;
        self.textures.clear();
        self.waiting.clear();
        self.opening = None;
        if id.starts_with("local:") {
            // Opening a tile file reads and checks it (a big or damaged file takes time): on a
            // worker; the result is taken in `tiles` at a later frame.
            self.spec = None;
            self.problem = None;
            let (tx, rx) = std::sync::mpsc::channel();
            let (config, job_id) = (self.config.clone(), id.to_owned());
            let spawned = std::thread::Builder::new()
                .name("open-tile-file".into())
                .spawn(move || {
                    let spec = config.basemap(&job_id);
                    let _ = tx.send((job_id, spec));
                });
            match spawned {
                Ok(_) => self.opening = Some(rx),
                Err(e) => self.problem = Some(crate::text!("{id}：{e}", "{id}: {e}")),
            }
            return;
        }
        self.apply(self.config.basemap(id));
    }

    fn apply(&mut self, spec: Result<Option<BasemapSpec>, Text>) {
        match spec {
            Ok(spec) => {
                self.spec = spec;
                self.problem = None;
            }
            Err(e) => {
                self.spec = None;
                self.problem = Some(e);
            }
        }
    }

    /// Take the result of a tile file opened on a worker, if it has come.
    fn take_opened(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.opening else { return };
        match rx.try_recv() {
            Ok((id, spec)) => {
                self.opening = None;
                if id == self.choice {
                    self.apply(spec);
                }
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(50));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.opening = None;
                let choice = &self.choice;
                self.problem = Some(crate::text!(
                    "{choice}：无法打开此文件",
                    "{choice}: the file could not be opened"
                ));
            }
        }
    }

    /// Add an offline tile file or folder, remember it and show it.
    pub fn open_local(&mut self, path: &Path) -> Result<(), Text> {
        // Only the kind of path here; the file is opened on a worker (`set_choice`).
        crate::tiles::source::local_layer(path)?;
        self.local.retain(|p| p != path);
        self.local.insert(0, path.to_path_buf());
        self.local.truncate(8);
        self.set_choice(&crate::tiles::source::local_id(path));
        Ok(())
    }

    /// The basemap drawn on the map now, if any (a copy, for exports).
    pub fn shown_spec(&self) -> Option<BasemapSpec> {
        self.spec.clone().filter(|_| self.active())
    }

    /// Whether layers must be drawn shifted to GCJ-02 (AMap).
    pub fn is_gcj02(&self) -> bool {
        self.spec.as_ref().is_some_and(|s| s.gcj02)
    }

    /// Whether tiles are being drawn (a source is chosen and allowed).
    fn active(&self) -> bool {
        self.spec
            .as_ref()
            .is_some_and(|s| self.network || !s.is_web())
    }

    /// The name of a basemap id for the menu.
    pub fn label(&self, id: &str, chinese: bool) -> String {
        if id == "none" {
            return if chinese { "无底图" } else { "No basemap" }.into();
        }
        // Offline files are named from their path: the menu is drawn every frame it is open,
        // and opening the file to build its spec would be I/O per frame.
        if let Some(path) = id.strip_prefix("local:") {
            return crate::tiles::source::local_name(Path::new(path), chinese);
        }
        match self.config.basemap(id) {
            Ok(Some(s)) => s.name(chinese).to_owned(),
            _ => id.to_owned(),
        }
    }

    /// The status-bar text and its colour.
    pub fn status_line(&self, chinese: bool) -> (String, Color32) {
        let t = |zh: &str, en: &str| {
            if chinese {
                zh.to_owned()
            } else {
                en.to_owned()
            }
        };
        if let Some(p) = &self.problem {
            let lang = if chinese { Lang::Zh } else { Lang::En };
            return (p.in_lang(lang).to_owned(), Color32::from_rgb(170, 40, 30));
        }
        let Some(spec) = &self.spec else {
            return (t("无底图", "No basemap"), Color32::GRAY);
        };
        if !self.active() {
            return (
                t("底图未启用（离线模式）", "Basemap off (offline mode)"),
                Color32::GRAY,
            );
        }
        let status = self.status();
        match status.note(chinese) {
            Some(note) => (note, Color32::from_rgb(170, 90, 0)),
            None => (
                format!("{}{}", t("底图：", "Basemap: "), spec.name(chinese)),
                Color32::GRAY,
            ),
        }
    }

    /// How many basemap tiles are held as textures.
    pub fn tiles_held(&self) -> usize {
        self.textures.values().filter(|s| s.tex.is_some()).count()
    }

    /// The fetcher's status.
    pub fn status(&self) -> SourceStatus {
        match (&self.service, &self.spec) {
            (Some(s), _) => s.status(),
            (None, Some(spec)) if spec.needs_key && spec.key.is_none() => SourceStatus::NeedsKey,
            _ => SourceStatus::Idle,
        }
    }

    /// The attribution to draw on the map.
    pub fn attribution(&self) -> Option<String> {
        self.active()
            .then(|| self.spec.as_ref().map(|s| s.attribution.clone()))
            .flatten()
    }

    /// The tiles to draw this frame, if any (starts the fetcher on first use).
    pub fn tiles(&mut self, ctx: &egui::Context) -> Option<MapTiles<'_>> {
        self.take_opened(ctx);
        if !self.active() {
            return None;
        }
        let spec = self.spec.clone()?;
        self.frame += 1;
        if self.service.is_none() {
            let repaint = ctx.clone();
            let opts = self.config.tile_options(true);
            self.service = Some(TileService::start(spec, opts, move || {
                repaint.request_repaint()
            }));
        }
        self.absorb(ctx);
        Some(MapTiles { basemap: self })
    }

    /// Turn finished tiles into textures; forget the least recently drawn ones.
    fn absorb(&mut self, ctx: &egui::Context) {
        let Some(service) = &self.service else { return };
        for (key, outcome) in service.take_ready() {
            self.waiting.remove(&key);
            let tex = match outcome {
                TileOutcome::Ready(t) => {
                    let img = ColorImage::from_rgba_unmultiplied(
                        [t.width as usize, t.height as usize],
                        &t.rgba,
                    );
                    Some(ctx.load_texture(
                        format!("tile-{}-{}-{}", key.z, key.x, key.y),
                        img,
                        TextureOptions::LINEAR,
                    ))
                }
                TileOutcome::Missing | TileOutcome::Unavailable => None,
                TileOutcome::Dropped => continue,
            };
            self.textures.insert(
                key,
                Slot {
                    tex,
                    used: self.frame,
                },
            );
        }
        if self.textures.len() > MAX_TEXTURES {
            let mut ages: Vec<(u64, TileKey)> =
                self.textures.iter().map(|(k, s)| (s.used, *k)).collect();
            ages.sort();
            for (_, k) in ages
                .into_iter()
                .take(self.textures.len() - MAX_TEXTURES * 3 / 4)
            {
                self.textures.remove(&k);
            }
        }
    }

    /// A drawn tile of `key` (marking it used), `None` if not (yet) had.
    fn texture(&mut self, key: TileKey) -> Option<Option<TextureHandle>> {
        let frame = self.frame;
        self.textures.get_mut(&key).map(|s| {
            s.used = frame;
            s.tex.clone()
        })
    }
}

/// The part of tile `id` that its ancestor at zoom `z` covers: the ancestor and the uv rect.
fn ancestor(id: TileId, z: u8) -> (TileKey, egui::Rect) {
    let d = 1u32 << (id.zoom - z);
    let (ox, oy) = ((id.x % d) as f32, (id.y % d) as f32);
    let f = d as f32;
    (
        TileKey {
            z,
            x: id.x / d,
            y: id.y / d,
        },
        egui::Rect::from_min_max(
            egui::pos2(ox / f, oy / f),
            egui::pos2((ox + 1.0) / f, (oy + 1.0) / f),
        ),
    )
}

/// The basemap's tiles as walkers draws them.
pub struct MapTiles<'a> {
    basemap: &'a mut Basemap,
}

impl Tiles for MapTiles<'_> {
    fn at(&mut self, id: TileId) -> Option<TilePiece> {
        let b = &mut *self.basemap;
        let (min_zoom, max_zoom) = b
            .spec
            .as_ref()
            .map_or((0, 19), |s| (s.min_zoom, s.max_zoom));
        let n = 1u32.checked_shl(id.zoom as u32)?;
        if id.x >= n || id.y >= n || id.zoom < min_zoom {
            return None;
        }
        let (want, _) = ancestor(id, id.zoom.min(max_zoom));
        if b.texture(want).is_none()
            && b.waiting.insert(want)
            && let Some(s) = &b.service
        {
            s.request(want);
        }
        // The tile itself, or the nearest zoomed-out one that covers the same ground.
        for z in (min_zoom..=want.z).rev() {
            let (key, uv) = ancestor(id, z);
            if let Some(Some(tex)) = b.texture(key) {
                return Some(TilePiece::new(Tile::Raster(tex), uv));
            }
        }
        None
    }

    fn attribution(&self) -> Attribution {
        // Drawn by the app itself (the text is the user's source's).
        Attribution {
            text: "",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        256
    }
}
