//! Basemap tiles under an exported map: the zoom that matches the image's resolution, the
//! tiles that cover it, each drawn scaled onto the image or SVG page (AMap's GCJ-02 tiles moved
//! back onto true coordinates), and what the attribution line must say about it.

use std::time::Instant;

use super::service::{SourceStatus, TileKey, TileOutcome, TileService};
use crate::render::{PixelTransform, Surface};

/// Most tiles fetched for one export (the zoom is lowered until the image needs no more).
pub const MAX_TILES: usize = 600;

/// What went under the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MosaicReport {
    /// Tiles the image needed.
    pub wanted: usize,
    /// Tiles drawn.
    pub drawn: usize,
    /// Zoom level used.
    pub zoom: u8,
    /// The source's status after fetching.
    pub status: SourceStatus,
}

impl MosaicReport {
    /// The attribution line of an export: the basemap's name and attribution, and what was
    /// missing and why.
    pub fn attribution(&self, name: &str, attribution: &str) -> String {
        if self.drawn == 0 {
            let why = self.status.note(true).unwrap_or_else(|| "无瓦片".into());
            return format!("底图 {name} 未能加入（{why}）");
        }
        let mut s = format!("底图：{name} {attribution}");
        if self.drawn < self.wanted {
            s.push_str(&format!(
                "（缺 {}/{} 块瓦片{}）",
                self.wanted - self.drawn,
                self.wanted,
                if self.status.is_problem() {
                    "：离线或服务器无应答，已用缓存"
                } else {
                    ""
                }
            ));
        }
        s
    }
}

fn tile_lon(x: f64, z: u8) -> f64 {
    x / (1u64 << z) as f64 * 360.0 - 180.0
}

/// Latitude of the northern edge of tile row `y` at zoom `z`.
pub fn tile_lat(y: f64, z: u8) -> f64 {
    let n = std::f64::consts::PI * (1.0 - 2.0 * y / (1u64 << z) as f64);
    n.sinh().atan().to_degrees()
}

fn tile_xy(lon: f64, lat: f64, z: u8) -> (f64, f64) {
    let n = (1u64 << z) as f64;
    let x = (lon + 180.0) / 360.0 * n;
    let y = (1.0 - crate::render::merc_y(lat.clamp(-85.0, 85.0)) / std::f64::consts::PI) / 2.0 * n;
    (x, y)
}

/// The tiles (and zoom) covering a `width` × `height` image drawn with `t`.
pub fn cover(
    t: &PixelTransform,
    width: u32,
    height: u32,
    min_zoom: u8,
    max_zoom: u8,
) -> (u8, Vec<TileKey>) {
    let (lon0, lat1) = t.lonlat(0.0, 0.0);
    let (lon1, lat0) = t.lonlat(width as f64, height as f64);
    // Image pixels per degree of longitude → the zoom whose 256-px tiles are at least as fine.
    let px_per_deg = width as f64 / (lon1 - lon0).max(1e-9);
    let mut z = (px_per_deg * 360.0 / 256.0).log2().ceil().clamp(0.0, 30.0) as u8;
    z = z.clamp(min_zoom, max_zoom.max(min_zoom));
    loop {
        let (x0, y0) = tile_xy(lon0, lat1, z);
        let (x1, y1) = tile_xy(lon1, lat0, z);
        let n = 1u32 << z;
        let (xa, xb) = (x0.floor().max(0.0) as u32, (x1.ceil() as u32).min(n));
        let (ya, yb) = (y0.floor().max(0.0) as u32, (y1.ceil() as u32).min(n));
        let count = (xb.saturating_sub(xa) as usize) * (yb.saturating_sub(ya) as usize);
        if count <= MAX_TILES || z <= min_zoom {
            let keys = (ya..yb)
                .flat_map(|y| (xa..xb).map(move |x| TileKey { z, x, y }))
                .collect();
            return (z, keys);
        }
        z -= 1;
    }
}

/// Draw the basemap of `service` onto the surface's current layer (drawn with `t`), waiting
/// for tiles until `deadline`.
pub fn draw(
    surface: &mut dyn Surface,
    t: &PixelTransform,
    service: &TileService,
    deadline: Instant,
) -> MosaicReport {
    let spec = service.spec();
    let (w, h) = surface.size();
    let (zoom, keys) = cover(t, w, h, spec.min_zoom, spec.max_zoom);
    let got = service.fetch_all(&keys, deadline);
    // AMap tiles are drawn where their content truly lies: moved by the GCJ-02 offset at the
    // image's centre (it varies by metres across a county).
    let (dlon, dlat) = if spec.gcj02 {
        let (lon, lat) = t.lonlat(w as f64 / 2.0, h as f64 / 2.0);
        let (glon, glat) = crate::crs::gcj02::wgs84_to_gcj02(lon, lat);
        (glon - lon, glat - lat)
    } else {
        (0.0, 0.0)
    };
    let mut drawn = 0;
    for k in &keys {
        let Some(TileOutcome::Ready(tile)) = got.get(k) else {
            continue;
        };
        if tile.width == 0
            || tile.height == 0
            || tile.rgba.len() != tile.width as usize * tile.height as usize * 4
        {
            continue;
        }
        let (ax, ay) = t.px(
            tile_lon(k.x as f64, k.z) - dlon,
            tile_lat(k.y as f64, k.z) - dlat,
        );
        let (bx, by) = t.px(
            tile_lon(k.x as f64 + 1.0, k.z) - dlon,
            tile_lat(k.y as f64 + 1.0, k.z) - dlat,
        );
        surface.draw_image(tile, [ax, ay, bx - ax, by - ay]);
        drawn += 1;
    }
    MosaicReport {
        wanted: keys.len(),
        drawn,
        zoom,
        status: service.status(),
    }
}
