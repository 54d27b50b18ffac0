//! Text pages of the check report (cover, summary, the table of the findings without a page
//! of their own, conformance): blocks of text and table rows laid top to bottom on A4
//! landscape pages, a new page when one is full.

use super::super::surface::{Rgba, Surface};
use super::super::text::{draw_text, text_width};
use super::{INK, MARGIN, PAGE_H, PAGE_W, page_footer};

/// Grey for secondary text.
pub const GREY: Rgba = [100, 100, 100, 255];

/// One block of a text page.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading (large).
    Heading(String),
    /// A paragraph in a colour, wrapped to the page width.
    Para(String, Rgba),
    /// A table row: cells at the given left offsets (pixels from the margin); a header row is
    /// underlined. Cells too wide for their column are cut with "…".
    Row {
        /// The cells' text.
        cells: Vec<String>,
        /// Each cell's left offset from the margin, in pixels.
        cols: Vec<f32>,
        /// Whether it is a header row.
        header: bool,
    },
    /// Vertical space in pixels.
    Gap(f32),
}

const HEADING: f32 = 20.0;
const BODY: f32 = 13.0;

impl Block {
    fn height(&self, width: f32) -> f32 {
        match self {
            Block::Heading(_) => HEADING * 1.9,
            Block::Para(t, _) => wrap(t, BODY, width).len() as f32 * BODY * 1.5,
            Block::Row { .. } => BODY * 1.6,
            Block::Gap(g) => *g,
        }
    }
}

/// `text` cut into lines no wider than `width` pixels at `size` (by characters: Chinese has
/// no spaces to break at).
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0.0;
    for ch in text.chars() {
        let mut buf = [0u8; 4];
        let cw = text_width(ch.encode_utf8(&mut buf), size);
        if w + cw > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            w = 0.0;
        }
        line.push(ch);
        w += cw;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` cut to `width` pixels at `size`, ending in "…" when cut.
pub fn fit(text: &str, size: f32, width: f32) -> String {
    if text_width(text, size) <= width {
        return text.to_owned();
    }
    let budget = width - text_width("…", size);
    let mut out = String::new();
    let mut w = 0.0;
    for ch in text.chars() {
        let mut buf = [0u8; 4];
        let cw = text_width(ch.encode_utf8(&mut buf), size);
        if w + cw > budget {
            break;
        }
        out.push(ch);
        w += cw;
    }
    out.push('…');
    out
}

/// Draw one block with its top at `y`; returns its height.
fn draw_block(s: &mut dyn Surface, b: &Block, y: f32) -> f32 {
    let width = PAGE_W - 2.0 * MARGIN;
    match b {
        Block::Heading(t) => {
            draw_text(s, t, MARGIN, y + HEADING * 1.3, HEADING, INK);
        }
        Block::Para(t, c) => {
            for (i, line) in wrap(t, BODY, width).iter().enumerate() {
                let base = y + BODY * 1.2 + i as f32 * BODY * 1.5;
                draw_text(s, line, MARGIN, base, BODY, *c);
            }
        }
        Block::Row {
            cells,
            cols,
            header,
        } => {
            for (i, cell) in cells.iter().enumerate() {
                let x = cols.get(i).copied().unwrap_or(0.0);
                let next = cols.get(i + 1).copied().unwrap_or(width);
                let text = fit(cell, BODY, (next - x - 8.0).max(8.0));
                let c = if *header { INK } else { [40, 40, 40, 255] };
                draw_text(s, &text, MARGIN + x, y + BODY * 1.15, BODY, c);
            }
            if *header {
                s.fill_rect([MARGIN, y + BODY * 1.45, width, 1.0], INK);
            }
        }
        Block::Gap(_) => {}
    }
    b.height(width)
}

/// Lay `blocks` out on pages of the report, each with `title` at the top and the footer, and
/// hand each finished page (an SVG document) to `page`; at most `max_pages` pages (the blocks
/// that do not fit are left out). Returns the number of pages.
pub fn paginate(
    blocks: &[Block],
    title: &str,
    footer: &str,
    max_pages: usize,
    page: &mut dyn FnMut(String) -> Result<(), String>,
) -> Result<usize, String> {
    let width = PAGE_W - 2.0 * MARGIN;
    let top = MARGIN + 40.0;
    let bottom = PAGE_H - MARGIN - 30.0;
    let mut count = 0;
    let mut i = 0;
    while i < blocks.len() && count < max_pages {
        let mut s = super::new_page();
        draw_text(&mut s, title, MARGIN, MARGIN + 18.0, 16.0, GREY);
        s.fill_rect([MARGIN, MARGIN + 26.0, width, 1.0], GREY);
        let mut y = top;
        let start = i;
        while let Some(b) = blocks.get(i) {
            let h = b.height(width);
            if y + h > bottom && i > start {
                break;
            }
            y += draw_block(&mut s, b, y);
            i += 1;
        }
        count += 1;
        page_footer(&mut s, footer);
        page(s.finish())?;
    }
    Ok(count)
}
