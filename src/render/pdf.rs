//! A PDF made of SVG pages: each page is an SVG document drawn on the same [`super::Surface`]
//! as the PNG/SVG exports (with its text as `<text>`, see
//! [`super::SvgSurface::with_text_elements`]) and turned into PDF vector content by `svg2pdf`,
//! which embeds a subset of the bundled CJK font with a ToUnicode map, so Chinese text stays
//! selectable and searchable.
//!
//! Pages are converted as they are added and their SVG dropped: the memory held is the PDF
//! written so far, not the pages' descriptions. Each page carries its own font subset (only
//! the glyphs it uses; a few tens of kB).

use std::collections::HashMap;
use std::sync::Arc;

use pdf_writer::{Finish, Name, Pdf, Rect, Ref, TextStr};
use svg2pdf::usvg;

use super::svg::TEXT_FAMILY;
use super::text::NOTO_SANS_SC;

/// Millimetres to PDF points (1/72 in).
pub fn mm_to_pt(mm: f32) -> f32 {
    mm / 25.4 * 72.0
}

/// A PDF being put together page by page.
pub struct PdfBook {
    pdf: Pdf,
    next: i32,
    catalog: Ref,
    tree: Ref,
    pages: Vec<Ref>,
    options: usvg::Options<'static>,
}

impl PdfBook {
    /// An empty document whose text is set in the bundled font (loaded once).
    pub fn new() -> Self {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(NOTO_SANS_SC)));
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(n, _)| n.clone()))
            .unwrap_or_else(|| TEXT_FAMILY.to_owned());
        let options = usvg::Options {
            font_family: family,
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        };
        Self {
            pdf: Pdf::new(),
            next: 3,
            catalog: Ref::new(1),
            tree: Ref::new(2),
            pages: Vec::new(),
            options,
        }
    }

    fn bump(&mut self) -> Ref {
        let r = Ref::new(self.next);
        self.next += 1;
        r
    }

    /// Pages added so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Add a page of `paper_mm` millimetres showing the SVG document `svg` stretched over it
    /// (its `viewBox` should have the paper's aspect).
    pub fn add_svg_page(&mut self, svg: &str, paper_mm: (f32, f32)) -> Result<(), String> {
        let tree = usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| format!("page {}: SVG: {e}", self.pages.len() + 1))?;
        let (chunk, xobject) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| format!("page {}: PDF: {e}", self.pages.len() + 1))?;
        drop(tree);
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| self.bump()));
        let xobject = map
            .get(&xobject)
            .copied()
            .ok_or_else(|| format!("page {}: PDF: lost its drawing", self.pages.len() + 1))?;
        let (page, content) = (self.bump(), self.bump());
        let (w, h) = (mm_to_pt(paper_mm.0), mm_to_pt(paper_mm.1));
        let name = Name(b"P");
        let mut p = self.pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, w, h));
        p.parent(self.tree);
        p.contents(content);
        p.resources().x_objects().pair(name, xobject);
        p.finish();
        let mut c = pdf_writer::Content::new();
        c.save_state();
        c.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
        c.x_object(name);
        c.restore_state();
        self.pdf.stream(content, &c.finish());
        self.pdf.extend(&chunk);
        self.pages.push(page);
        Ok(())
    }

    /// The finished document's bytes, with `title` in its information dictionary.
    pub fn finish(mut self, title: &str) -> Vec<u8> {
        let info = self.bump();
        self.pdf
            .document_info(info)
            .title(TextStr(title))
            .producer(TextStr(concat!("taonan-map ", env!("CARGO_PKG_VERSION"))));
        self.pdf.catalog(self.catalog).pages(self.tree);
        let count = i32::try_from(self.pages.len()).unwrap_or(i32::MAX);
        self.pdf
            .pages(self.tree)
            .kids(self.pages.iter().copied())
            .count(count);
        self.pdf.finish()
    }
}

impl Default for PdfBook {
    fn default() -> Self {
        Self::new()
    }
}
