//! Decoded tiles: RGBA pixels from PNG/JPEG bytes, and stacking a label layer over a base layer.

/// A decoded tile (straight, not premultiplied, RGBA).
#[derive(Debug, Clone, PartialEq)]
pub struct RasterTile {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGBA bytes, row by row.
    pub rgba: Vec<u8>,
}

/// Largest tile side decoded, in pixels (tiles are 256 or 512; 4096 leaves room for 8× tiles).
pub const MAX_SIDE: u32 = 4096;

/// Most bytes the decoder may allocate for one tile (a 4096² RGBA tile is 64 MiB).
pub const MAX_ALLOC: u64 = 80 << 20;

/// Decode PNG or JPEG bytes. A server's error page (HTML, XML, JSON) is refused with a short
/// description of what came instead. The size declared in the image's header is checked before
/// any pixel is decoded: a side over [`MAX_SIDE`] or a decode needing more than [`MAX_ALLOC`]
/// bytes is an error, not an allocation.
pub fn decode(bytes: &[u8]) -> Result<RasterTile, String> {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("not an image ({e})"))?;
    reader.limits(limits);
    let img = reader.decode().map_err(|e| {
        let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(60)])
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        format!("not an image ({e}): {head}")
    })?;
    let rgba = img.to_rgba8();
    Ok(RasterTile {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

/// Draw `top` over `base` (source-over); a top of another size is scaled to the base by
/// nearest neighbour.
pub fn stack(base: &mut RasterTile, top: &RasterTile) {
    if top.width == 0 || top.height == 0 {
        return;
    }
    for y in 0..base.height {
        let ty = (y as u64 * top.height as u64 / base.height as u64) as usize;
        for x in 0..base.width {
            let tx = (x as u64 * top.width as u64 / base.width as u64) as usize;
            let t = (ty * top.width as usize + tx) * 4;
            let b = (y as usize * base.width as usize + x as usize) * 4;
            let (Some(src), Some(dst)) = (top.rgba.get(t..t + 4), base.rgba.get(b..b + 4)) else {
                continue;
            };
            let a = src[3] as u32;
            if a == 0 {
                continue;
            }
            let da = dst[3] as u32;
            let out_a = a * 255 + da * (255 - a); // scaled by 255
            let mut px = [0u8; 4];
            for c in 0..3 {
                let v = (src[c] as u32 * a * 255 + dst[c] as u32 * da * (255 - a))
                    .checked_div(out_a)
                    .unwrap_or(0);
                px[c] = v.min(255) as u8;
            }
            px[3] = (out_a / 255).min(255) as u8;
            base.rgba[b..b + 4].copy_from_slice(&px);
        }
    }
}

/// Encode RGBA pixels as a PNG (used to make test tiles and fixtures).
pub fn encode_png(tile: &RasterTile) -> Vec<u8> {
    let mut out = Vec::new();
    let enc = image::codecs::png::PngEncoder::new(&mut out);
    let _ = image::ImageEncoder::write_image(
        enc,
        &tile.rgba,
        tile.width,
        tile.height,
        image::ExtendedColorType::Rgba8,
    );
    out
}

/// A one-colour tile.
pub fn solid(width: u32, height: u32, rgba: [u8; 4]) -> RasterTile {
    RasterTile {
        width,
        height,
        rgba: rgba.repeat((width * height) as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stack_over_the_base() {
        let mut base = solid(4, 4, [200, 0, 0, 255]);
        let mut top = solid(4, 4, [0, 0, 0, 0]);
        top.rgba[0..4].copy_from_slice(&[0, 0, 255, 255]);
        let png = encode_png(&top);
        let top = decode(&png).expect("png round trip");
        stack(&mut base, &top);
        assert_eq!(&base.rgba[0..4], &[0, 0, 255, 255]);
        assert_eq!(&base.rgba[4..8], &[200, 0, 0, 255]);
        assert!(decode(b"<html>403 Forbidden</html>").is_err());
    }

    #[test]
    fn a_tile_wider_than_the_cap_is_refused_before_decoding() {
        let wide = encode_png(&solid(MAX_SIDE + 1, 1, [1, 2, 3, 255]));
        let e = decode(&wide).expect_err("over the cap");
        assert!(e.contains("limit") || e.contains("dimension"), "{e}");
        assert!(decode(&encode_png(&solid(MAX_SIDE, 1, [1, 2, 3, 255]))).is_ok());
    }
}
