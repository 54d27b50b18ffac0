//! The map's picture of the layers, as QGIS's map canvas makes it: the core's renderer (the
//! one `export` uses, so the screen and the exports look the same) draws the visible layers
//! for the current view into an image on a worker thread; the window shows the last image,
//! moved and scaled to the current view while the next one is drawn. A frame therefore costs
//! one textured rectangle whatever is loaded; only the selection, the active finding and the
//! labels are drawn live (see `map_layer`).
//!
//! A new image is started when the view (centre, zoom, size), the layers, their visibility or
//! their styles change — not while the user drags the map or it glides after a drag (the
//! picture follows the pointer; the image for where it stops starts at once). An image that
//! is no longer wanted is cancelled between features.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions};

use crate::model::catalog::Catalog;
use crate::model::style::{Style, Styles};
use crate::render::PixelTransform;
use crate::render::layers::{Detail, LayerPass, draw_on_pixmap};

/// What the picture shows, apart from the view: it is redrawn when any of this changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// The catalog's version (layers added, removed, replaced, re-roled).
    pub version: u64,
    /// Which layers are drawn.
    pub visible: Vec<bool>,
    /// Each layer's style.
    pub styles: Vec<Style>,
    /// Drawn shifted to GCJ-02 (an AMap basemap is shown).
    pub gcj02: bool,
    /// Physical pixels per point (line widths scale with it).
    pub pixels_per_point: f32,
}

/// One view of the map: Web Mercator at a scale, centred on a point, in an image of so many
/// physical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// Lon/lat → image pixels.
    pub transform: PixelTransform,
}

impl View {
    /// The view of a map widget: its centre (lon/lat, display space), walkers' zoom level
    /// (256 × 2^zoom points around the world) and its rectangle in points.
    pub fn of_map(center: (f64, f64), zoom: f64, rect: Rect, pixels_per_point: f32) -> Self {
        let ppp = f64::from(pixels_per_point);
        let k = 256.0 * 2f64.powf(zoom) / (2.0 * std::f64::consts::PI) * ppp;
        let w = (f64::from(rect.width()) * ppp).round().max(1.0);
        let h = (f64::from(rect.height()) * ppp).round().max(1.0);
        Self {
            transform: PixelTransform::centred(center.0, center.1, k, w, h),
        }
    }

    /// Whether two views draw the same picture (to a hundredth of a pixel).
    pub fn same_as(&self, other: &View) -> bool {
        let (a, b) = (&self.transform, &other.transform);
        let k = a.scale();
        if a.size() != b.size() || ((k - b.scale()) / k).abs() > 1e-9 {
            return false;
        }
        let (w, h) = a.size();
        let (x, y) = b.px_f64(a.lonlat(w / 2.0, h / 2.0));
        (x - w / 2.0).abs() < 0.01 && (y - h / 2.0).abs() < 0.01
    }
}

struct Job {
    view: View,
    content: Content,
    cancel: Arc<AtomicBool>,
    rx: Receiver<Result<Option<ColorImage>, crate::text::Text>>,
    started: Instant,
}

struct Shown {
    view: View,
    content: Content,
    texture: TextureHandle,
}

/// The picture of the layers and the job drawing the next one.
#[derive(Default)]
pub struct MapCanvas {
    shown: Option<Shown>,
    job: Option<Job>,
    /// How long the last finished image took to draw.
    last_render: Option<Duration>,
    /// A drawing that failed (an internal error): not tried again for the same view and layers.
    failed: Option<(View, Content)>,
    /// The failure's message, until the window takes it.
    pub failure: Option<crate::text::Text>,
}

/// What the canvas is asked to show this frame.
pub struct Request<'a> {
    /// The layers.
    pub catalog: &'a Catalog,
    /// Symbology (roles and selection).
    pub styles: &'a Styles,
    /// What the picture shows.
    pub content: Content,
    /// The view wanted.
    pub view: View,
    /// The user is moving the map: keep the picture, start no new one.
    pub hold: bool,
}

impl MapCanvas {
    /// Take a finished image; start a new one if the view or the content changed (unless held).
    pub fn update(&mut self, ctx: &egui::Context, req: Request<'_>) {
        if let Some(job) = &self.job
            && let Ok(image) = job.rx.try_recv()
        {
            let job = self.job.take();
            let image = match (image, &job) {
                (Ok(image), _) => image,
                (Err(e), Some(job)) => {
                    self.failed = Some((job.view, job.content.clone()));
                    self.failure = Some(e);
                    None
                }
                (Err(e), None) => {
                    self.failure = Some(e);
                    None
                }
            };
            if let (Some(image), Some(job)) = (image, job) {
                self.last_render = Some(job.started.elapsed());
                let options = TextureOptions::LINEAR;
                match &mut self.shown {
                    Some(s) => {
                        s.texture.set(image, options);
                        s.view = job.view;
                        s.content = job.content;
                    }
                    None => {
                        self.shown = Some(Shown {
                            texture: ctx.load_texture("map-layers", image, options),
                            view: job.view,
                            content: job.content,
                        });
                    }
                }
            }
        }
        let up_to_date = self
            .shown
            .as_ref()
            .is_some_and(|s| s.content == req.content && s.view.same_as(&req.view));
        let running_for_it = self
            .job
            .as_ref()
            .is_some_and(|j| j.content == req.content && j.view.same_as(&req.view));
        let failed_for_it = self
            .failed
            .as_ref()
            .is_some_and(|(v, c)| *c == req.content && v.same_as(&req.view));
        if up_to_date || running_for_it || failed_for_it {
            if up_to_date && let Some(job) = self.job.take() {
                job.cancel.store(true, Ordering::Relaxed);
            }
            return;
        }
        // While the user moves the map, the picture follows; the new one waits for the stop
        // (unless there is no picture at all, or the layers themselves changed).
        let content_changed = self.shown.as_ref().is_none_or(|s| s.content != req.content);
        if req.hold && !content_changed {
            return;
        }
        if let Some(job) = self.job.take() {
            job.cancel.store(true, Ordering::Relaxed);
        }
        self.job = Some(start(ctx, req));
    }

    /// Paint the picture into `rect`, placed by `to_screen` (display lon/lat → screen points).
    pub fn paint(&self, painter: &egui::Painter, to_screen: impl Fn(f64, f64) -> Pos2) {
        let Some(s) = &self.shown else { return };
        let t = &s.view.transform;
        let (w, h) = t.size();
        let (lon0, lat0) = t.lonlat(0.0, 0.0);
        let (lon1, lat1) = t.lonlat(w, h);
        let rect = Rect::from_two_pos(to_screen(lon0, lat0), to_screen(lon1, lat1));
        let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
        painter.image(s.texture.id(), rect, uv, Color32::WHITE);
    }

    /// Whether the picture shows the view and layers last asked for (no image is being drawn).
    pub fn complete(&self) -> bool {
        self.job.is_none() && self.shown.is_some()
    }

    /// How long the last image took to draw.
    pub fn last_render(&self) -> Option<Duration> {
        self.last_render
    }
}

/// Start drawing an image on a worker thread.
fn start(ctx: &egui::Context, req: Request<'_>) -> Job {
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = channel();
    // The worker shares the layers and their indexes (no geometry is copied).
    let catalog = req.catalog.clone();
    let styles = req
        .styles
        .clone()
        .with_layer_styles(req.content.styles.iter().copied().map(Some).collect());
    let content = req.content.clone();
    let view = req.view;
    let flag = cancel.clone();
    let ctx2 = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("map-render".into())
        .spawn(move || {
            let image = crate::gui::jobs::guarded(
                &crate::text::Text::fixed("地图绘制", "map drawing"),
                || render(&catalog, &styles, &content, &view, &flag),
            );
            let _ = tx.send(image);
            ctx2.request_repaint();
        });
    if spawned.is_err() {
        // No thread: the job never answers; the next change of view tries again.
        cancel.store(true, Ordering::Relaxed);
    }
    Job {
        view: req.view,
        content: req.content,
        cancel,
        rx,
        started: Instant::now(),
    }
}

/// Draw the layers for a view; `None` when cancelled or the image cannot be made.
pub fn render(
    catalog: &Catalog,
    styles: &Styles,
    content: &Content,
    view: &View,
    cancel: &AtomicBool,
) -> Option<ColorImage> {
    let (w, h) = view.transform.size();
    let (w, h) = (w as u32, h as u32);
    let mut pixmap = tiny_skia::Pixmap::new(w, h)?;
    let pass = LayerPass {
        catalog,
        visible: &content.visible,
        styles,
        scale: content.pixels_per_point,
        gcj02: content.gcj02,
        detail: Detail::Screen,
        cancel: Some(cancel),
    };
    if !draw_on_pixmap(&mut pixmap.as_mut(), &view.transform, &pass) {
        return None;
    }
    Some(ColorImage::from_rgba_premultiplied(
        [w as usize, h as usize],
        pixmap.data(),
    ))
}
