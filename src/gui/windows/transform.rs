//! 坐标转换… for a user's layer (a local mine grid): four parameters (plane, to an EPSG CRS) or
//! seven (Bursa-Wolf, position vector, through PROJ's geocentric pipeline to CGCS2000), typed
//! in or solved by least squares from control points with each point's residual. The solve
//! runs on a worker thread; 应用 reloads the layer with the transform (on the loader's worker)
//! and the session remembers it for the file. The window changes nothing itself: it returns
//! [`Action::Reload`].

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, RichText};

use crate::crs::grid_transform::{Ellipsoid, GridTransform, SpecPoint, TransformSpec};
use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::session::FileEntry;
use crate::io::loader::LoadOptions;
use crate::text::Text;

/// One control point as typed: name, local X/Y/H, target X/Y/H (text, parsed on use).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PointRow {
    /// 点号.
    pub name: String,
    /// Local X, Y, H (H may be empty).
    pub local: [String; 3],
    /// Target X (or lon), Y (or lat), H (may be empty).
    pub target: [String; 3],
}

/// Reads one typed number (`None` when the field is empty), naming the field in its error.
type NumberParser<'a> = dyn Fn(&str, &Text) -> Result<Option<f64>, Text> + 'a;

/// The transform window's state.
pub struct TransformWindow {
    /// The layer it places.
    pub layer: usize,
    seven: bool,
    from_points: bool,
    /// Typed parameters: four (ΔX, ΔY, α″, ppm) or seven (ΔX, ΔY, ΔZ, rx″, ry″, rz″, ppm).
    typed: [String; 7],
    coordinate_frame: bool,
    target_epsg: String,
    ellipsoid: Ellipsoid,
    gauss_kruger: bool,
    central_meridian: String,
    false_easting: String,
    points: Vec<PointRow>,
    paste: String,
    solving: Option<Receiver<Result<GridTransform, Text>>>,
    /// The last solve and the spec it was made from.
    solved: Option<(TransformSpec, Result<GridTransform, Text>)>,
    note: Option<Text>,
}

fn num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl TransformWindow {
    /// The window for layer `li`, filled from the transform remembered for its file (if any).
    pub fn new(li: usize, remembered: Option<&TransformSpec>) -> Self {
        let mut w = Self {
            layer: li,
            seven: false,
            from_points: true,
            typed: Default::default(),
            coordinate_frame: false,
            target_epsg: "4529".into(),
            ellipsoid: Ellipsoid::Krassovsky,
            gauss_kruger: true,
            central_meridian: "123".into(),
            false_easting: "500000".into(),
            points: vec![PointRow::default(), PointRow::default()],
            paste: String::new(),
            solving: None,
            solved: None,
            note: None,
        };
        if let Some(s) = remembered {
            w.fill_from(s);
        }
        w
    }

    fn fill_from(&mut self, s: &TransformSpec) {
        self.seven = matches!(s.kind.as_str(), "seven" | "七参数");
        self.from_points = !s.points.is_empty();
        self.typed = if self.seven {
            [
                s.tx,
                s.ty,
                s.tz,
                s.rx_arcsec,
                s.ry_arcsec,
                s.rz_arcsec,
                s.scale_ppm,
            ]
            .map(num)
        } else {
            [s.dx, s.dy, s.rotation_arcsec, s.scale_ppm, None, None, None].map(num)
        };
        self.coordinate_frame = s.convention.as_deref() == Some("coordinate_frame");
        self.target_epsg = num(s.target_epsg.map(f64::from));
        if let Some(e) = s.ellipsoid.as_deref().and_then(Ellipsoid::parse) {
            self.ellipsoid = e;
        }
        self.gauss_kruger = s.central_meridian.is_some() || !self.seven;
        if let Some(c) = s.central_meridian {
            self.central_meridian = c.to_string();
        }
        if let Some(f) = s.false_easting {
            self.false_easting = f.to_string();
        }
        if !s.points.is_empty() {
            self.points = (s.points.iter())
                .map(|p| {
                    let cell =
                        |v: &[f64], i: usize| v.get(i).map(f64::to_string).unwrap_or_default();
                    PointRow {
                        name: p.name.clone().unwrap_or_default(),
                        local: [0, 1, 2].map(|i| cell(&p.local, i)),
                        target: [0, 1, 2].map(|i| cell(&p.target, i)),
                    }
                })
                .collect();
        }
    }

    /// Whether a solve is running.
    pub fn busy(&self) -> bool {
        self.solving.is_some()
    }

    /// Read pasted control points: one a line, `name, local X, local Y, target X, target Y`
    /// (or with heights: `name, X, Y, H, X', Y', H'`), separated by commas, tabs or spaces.
    pub fn read_pasted(text: &str) -> Result<Vec<PointRow>, Text> {
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let cells: Vec<&str> = line
                .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
                .filter(|c| !c.is_empty())
                .collect();
            if cells.is_empty() {
                continue;
            }
            let (name, nums) = cells.split_at(1);
            let ok = nums.iter().all(|n| n.parse::<f64>().is_ok());
            let s = |v: &[&str]| -> [String; 3] {
                [0, 1, 2].map(|k| v.get(k).map(|x| (*x).to_owned()).unwrap_or_default())
            };
            match nums.len() {
                4 if ok => rows.push(PointRow {
                    name: name[0].to_owned(),
                    local: s(&nums[..2]),
                    target: s(&nums[2..]),
                }),
                6 if ok => rows.push(PointRow {
                    name: name[0].to_owned(),
                    local: s(&nums[..3]),
                    target: s(&nums[3..]),
                }),
                _ => {
                    let n = i + 1;
                    return Err(crate::text!(
                        "第 {n} 行「{line}」：应为点号加 4 个或 6 个数",
                        "line {n} “{line}”: a name and 4 or 6 numbers"
                    ));
                }
            }
        }
        Ok(rows)
    }

    /// The transform as typed, or what is wrong with it (naming the field or point).
    pub fn spec(&self) -> Result<TransformSpec, Text> {
        let parse = |s: &str, what: &Text| -> Result<Option<f64>, Text> {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>().map(Some).map_err(|_| {
                Text::by_lang(|l| match l {
                    Lang::Zh => format!("{}：「{t}」不是数", what.in_lang(l)),
                    Lang::En => format!("{}: “{t}” is not a number", what.in_lang(l)),
                })
            })
        };
        let need = |s: &str, what: &Text| -> Result<f64, Text> {
            parse(s, what)?.ok_or_else(|| {
                Text::by_lang(|l| match l {
                    Lang::Zh => format!("{}：未填", what.in_lang(l)),
                    Lang::En => format!("{}: missing", what.in_lang(l)),
                })
            })
        };
        let mut spec = TransformSpec {
            kind: if self.seven { "seven" } else { "four" }.into(),
            // Typed in this dialog: no file to name (messages then show "—").
            origin: String::new(),
            ..TransformSpec::default()
        };
        let epsg = parse(&self.target_epsg, &Text::same("EPSG"))?;
        spec.target_epsg = epsg
            .map(|v| {
                u32::try_from(v as i64)
                    .map_err(|_| Text::same(format!("EPSG: 「{}」", self.target_epsg)))
            })
            .transpose()?;
        if self.seven {
            spec.ellipsoid = Some(self.ellipsoid.proj_name().into());
            if self.gauss_kruger {
                spec.central_meridian = Some(need(
                    &self.central_meridian,
                    &Text::fixed("中央子午线", "central meridian"),
                )?);
                spec.false_easting = Some(need(
                    &self.false_easting,
                    &Text::fixed("东偏", "false easting"),
                )?);
            }
        }
        if self.from_points {
            spec.points = self.point_specs(&parse)?;
        } else if self.seven {
            let names = ["ΔX", "ΔY", "ΔZ", "rx", "ry", "rz", "m (ppm)"];
            let v: Vec<f64> = (self.typed.iter().zip(names))
                .map(|(s, n)| need(s, &Text::same(n)))
                .collect::<Result<_, _>>()?;
            [spec.tx, spec.ty, spec.tz] = [Some(v[0]), Some(v[1]), Some(v[2])];
            [spec.rx_arcsec, spec.ry_arcsec, spec.rz_arcsec] = [Some(v[3]), Some(v[4]), Some(v[5])];
            spec.scale_ppm = Some(v[6]);
            if self.coordinate_frame {
                spec.convention = Some("coordinate_frame".into());
            }
        } else {
            let names = ["ΔX", "ΔY", "α (″)", "m (ppm)"];
            let v: Vec<f64> = (self.typed.iter().zip(names))
                .map(|(s, n)| need(s, &Text::same(n)))
                .collect::<Result<_, _>>()?;
            [spec.dx, spec.dy, spec.rotation_arcsec, spec.scale_ppm] =
                [Some(v[0]), Some(v[1]), Some(v[2]), Some(v[3])];
        }
        Ok(spec)
    }

    fn point_specs(&self, parse: &NumberParser<'_>) -> Result<Vec<SpecPoint>, Text> {
        let mut out = Vec::new();
        for (i, row) in self.points.iter().enumerate() {
            let name = if row.name.trim().is_empty() {
                format!("#{}", i + 1)
            } else {
                row.name.trim().to_owned()
            };
            let cells = |v: &[String; 3]| -> Result<Vec<f64>, Text> {
                let mut out = Vec::new();
                for (k, c) in v.iter().enumerate() {
                    if let Some(x) = parse(c, &Text::same(format!("{name} [{}]", k + 1)))? {
                        out.push(x);
                    }
                }
                Ok(out)
            };
            let (local, target) = (cells(&row.local)?, cells(&row.target)?);
            if local.is_empty() && target.is_empty() {
                continue;
            }
            out.push(SpecPoint {
                name: Some(name),
                local,
                target,
            });
        }
        Ok(out)
    }

    /// Draw the window; returns what the user asked and whether it stays open.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        layer_name: &str,
        entry: &FileEntry,
    ) -> (Option<Action>, bool) {
        self.poll(ctx);
        let mut open = true;
        let mut action = None;
        egui::Window::new(format!(
            "{}：{layer_name}",
            lang.t("坐标转换", "Coordinate transform")
        ))
        .id(egui::Id::unique("transform-window"))
        .default_pos(egui::pos2(340.0, 70.0))
        .open(&mut open)
        .default_width(620.0)
        .show(ctx, |ui| {
            self.method_section(ui, lang);
            ui.separator();
            if self.from_points {
                self.points_section(ui, lang);
            } else {
                self.typed_section(ui, lang);
            }
            ui.separator();
            action = self.buttons(ui, lang, entry);
        });
        (action, open)
    }

    /// A solve that has finished.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.solving else { return };
        match rx.try_recv() {
            Ok(r) => {
                self.solving = None;
                if let Some((_, slot)) = &mut self.solved {
                    *slot = r;
                }
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(30));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.solving = None;
                if let Some((_, slot)) = &mut self.solved {
                    *slot = Err(Text::fixed("求解失败", "the solve failed"));
                }
            }
        }
    }

    fn method_section(&mut self, ui: &mut egui::Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.label(lang.t("方法", "Method"));
            ui.selectable_value(&mut self.seven, false, lang.t("四参数", "Four-parameter"));
            ui.selectable_value(
                &mut self.seven,
                true,
                lang.t(
                    "七参数（布尔莎，位置矢量）",
                    "Seven-parameter (Bursa-Wolf, position vector)",
                ),
            );
        });
        ui.horizontal(|ui| {
            ui.selectable_value(
                &mut self.from_points,
                false,
                lang.t("输入参数", "Type the parameters"),
            );
            ui.selectable_value(
                &mut self.from_points,
                true,
                lang.t("控制点解算", "Solve from control points"),
            );
        });
        if self.seven {
            ui.horizontal_wrapped(|ui| {
                ui.label(lang.t("本地椭球", "Local ellipsoid"));
                for e in Ellipsoid::ALL {
                    ui.selectable_value(&mut self.ellipsoid, e, e.label().in_lang(lang));
                }
            });
            ui.horizontal(|ui| {
                ui.checkbox(
                    &mut self.gauss_kruger,
                    lang.t(
                        "本地坐标为高斯平面 X/Y",
                        "Local numbers are Gauss-Krüger X/Y",
                    ),
                );
                if self.gauss_kruger {
                    ui.label(lang.t("中央子午线 (°)", "Central meridian (°)"));
                    ui.add(
                        egui::TextEdit::singleline(&mut self.central_meridian).desired_width(60.0),
                    );
                    ui.label(lang.t("东偏 (m)", "False easting (m)"));
                    ui.add(egui::TextEdit::singleline(&mut self.false_easting).desired_width(90.0));
                } else {
                    ui.label(lang.t("（经度、纬度，度）", "(longitude, latitude, degrees)"));
                }
            });
        }
        let show_epsg = !self.seven || self.from_points;
        if show_epsg {
            ui.horizontal(|ui| {
                ui.label(if self.seven {
                    lang.t(
                        "控制点目标坐标系 EPSG（4490 经纬度，或 4491–4554 高斯平面）",
                        "Control points' target EPSG (4490 lon/lat, or 4491–4554 Gauss-Krüger)",
                    )
                } else {
                    lang.t("目标坐标系 EPSG", "Target CRS (EPSG)")
                });
                ui.add(egui::TextEdit::singleline(&mut self.target_epsg).desired_width(60.0));
            });
        }
    }

    fn typed_section(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let names: &[&str] = if self.seven {
            &[
                "ΔX (m)", "ΔY (m)", "ΔZ (m)", "rx (″)", "ry (″)", "rz (″)", "m (ppm)",
            ]
        } else {
            &["ΔX (m)", "ΔY (m)", "α (″)", "m (ppm)"]
        };
        egui::Grid::new("transform-typed").show(ui, |ui| {
            for (i, n) in names.iter().enumerate() {
                ui.label(*n);
                ui.add(egui::TextEdit::singleline(&mut self.typed[i]).desired_width(140.0));
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
        });
        if self.seven {
            ui.horizontal(|ui| {
                ui.label(lang.t("旋转参数的约定", "Rotation convention"));
                ui.selectable_value(
                    &mut self.coordinate_frame,
                    false,
                    lang.t("位置矢量", "Position vector"),
                );
                ui.selectable_value(
                    &mut self.coordinate_frame,
                    true,
                    lang.t("坐标框架", "Coordinate frame"),
                );
            });
        }
    }

    #[allow(
        clippy::too_many_lines,
        reason = "the dialog's widgets in reading order (egui lays them out as it goes)"
    )]
    fn points_section(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let heights = self.seven;
        let residuals = match &self.solved {
            Some((_, Ok(t))) => Some(t.residuals.clone()),
            _ => None,
        };
        egui::ScrollArea::vertical()
            .id_salt("transform-points")
            .max_height(220.0)
            .show(ui, |ui| {
                egui::Grid::new("transform-points-grid")
                    .striped(true)
                    .show(ui, |ui| {
                        let mut head = vec![
                            lang.t("点号", "Point"),
                            lang.t("本地 X", "Local X"),
                            lang.t("本地 Y", "Local Y"),
                        ];
                        if heights {
                            head.push(lang.t("本地 H", "Local H"));
                        }
                        head.extend([
                            lang.t("目标 X/经度", "Target X/lon"),
                            lang.t("目标 Y/纬度", "Target Y/lat"),
                        ]);
                        if heights {
                            head.push(lang.t("目标 H", "Target H"));
                        }
                        head.extend([lang.t("残差 (m)", "Residual (m)"), ""]);
                        for h in head {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        let mut remove = None;
                        let n_axes = if heights { 3 } else { 2 };
                        for (i, row) in self.points.iter_mut().enumerate() {
                            ui.add(egui::TextEdit::singleline(&mut row.name).desired_width(50.0));
                            for c in row.local.iter_mut().take(n_axes) {
                                ui.add(egui::TextEdit::singleline(c).desired_width(90.0));
                            }
                            for c in row.target.iter_mut().take(n_axes) {
                                ui.add(egui::TextEdit::singleline(c).desired_width(90.0));
                            }
                            let r = residuals.as_ref().and_then(|r| r.get(i)).map(|(_, v)| {
                                let len = v.iter().map(|x| x * x).sum::<f64>().sqrt();
                                let each: Vec<String> =
                                    v.iter().map(|x| format!("{x:+.4}")).collect();
                                format!("{} ({len:.4})", each.join(", "))
                            });
                            ui.label(r.unwrap_or_default());
                            if ui.small_button(lang.t("删除", "Remove")).clicked() {
                                remove = Some(i);
                            }
                            ui.end_row();
                        }
                        if let Some(i) = remove {
                            self.points.remove(i);
                        }
                    });
            });
        ui.horizontal(|ui| {
            if ui
                .button(lang.t("添加控制点", "Add a control point"))
                .clicked()
            {
                self.points.push(PointRow::default());
            }
        });
        ui.label(RichText::new(lang.t(
            "或粘贴控制点（每行：点号, 本地X, 本地Y, 目标X, 目标Y；七参数可加高程）",
            "Or paste control points (a line each: name, local X, local Y, target X, target Y; heights may follow X/Y for seven)",
        )).small());
        ui.add(
            egui::TextEdit::multiline(&mut self.paste)
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        );
        if ui
            .button(lang.t("读入粘贴的控制点", "Read the pasted points"))
            .clicked()
        {
            match Self::read_pasted(&self.paste) {
                Ok(rows) if !rows.is_empty() => {
                    self.points = rows;
                    self.solved = None;
                    self.note = None;
                }
                Ok(_) => self.note = Some(Text::fixed("没有控制点", "No control points")),
                Err(e) => self.note = Some(e),
            }
        }
    }

    fn buttons(&mut self, ui: &mut egui::Ui, lang: Lang, entry: &FileEntry) -> Option<Action> {
        let spec = self.spec();
        let mut action = None;
        ui.horizontal(|ui| {
            if self.from_points {
                let solve = ui.add_enabled(
                    spec.is_ok() && self.solving.is_none(),
                    egui::Button::new(lang.t("求解", "Solve")),
                );
                if solve.clicked()
                    && let Ok(s) = &spec
                {
                    let (tx, rx) = channel();
                    let s2 = s.clone();
                    let spawned = std::thread::Builder::new()
                        .name("transform-solve".into())
                        .spawn(move || {
                            let _ = tx.send(GridTransform::from_spec(s2));
                        });
                    match spawned {
                        Ok(_) => {
                            self.solving = Some(rx);
                            self.solved =
                                Some((s.clone(), Err(Text::fixed("求解中…", "Solving…"))));
                        }
                        Err(e) => self.note = Some(Text::same(e.to_string())),
                    }
                }
            }
            let current = match (&spec, &self.solved) {
                (Ok(s), Some((solved_for, Ok(_)))) => s == solved_for,
                _ => false,
            };
            let can_apply = spec.is_ok() && (!self.from_points || current);
            if ui
                .add_enabled(can_apply, egui::Button::new(lang.t("应用", "Apply")))
                .clicked()
                && let Ok(s) = &spec
            {
                let mut o: LoadOptions = crate::gui::layer_set::options_of(entry);
                o.transform = Some(Arc::new(s.clone()));
                action = Some(Action::Reload(self.layer, o));
            }
            if entry.transform.is_some()
                && ui
                    .button(lang.t("取消转换", "Remove the transform"))
                    .clicked()
            {
                let mut o = crate::gui::layer_set::options_of(entry);
                o.transform = None;
                action = Some(Action::Reload(self.layer, o));
            }
            if self.solving.is_some() {
                ui.spinner();
            }
        });
        match (&spec, &self.solved) {
            (Err(e), _) => {
                ui.label(
                    RichText::new(e.in_lang(lang))
                        .color(Color32::from_rgb(200, 90, 0))
                        .small(),
                );
            }
            (_, Some((_, Ok(t)))) => {
                ui.label(RichText::new(format!("RMS {:.4} m", t.rms)).strong());
                ui.label(RichText::new(t.describe().in_lang(lang)).small());
            }
            (_, Some((_, Err(e)))) if self.solving.is_none() => {
                ui.label(RichText::new(e.in_lang(lang)).color(Color32::from_rgb(200, 40, 40)));
            }
            _ => {}
        }
        if let Some(n) = &self.note {
            ui.label(
                RichText::new(n.in_lang(lang))
                    .color(Color32::from_rgb(200, 90, 0))
                    .small(),
            );
        }
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_points_and_the_spec_they_make() {
        let rows = TransformWindow::read_pasted(
            "K1, 2000, 1000, 5021800, 41481600\nK2\t2000\t1500\t5021800\t41482100\n\n",
        )
        .expect("reads");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].target[1], "41482100");
        assert!(TransformWindow::read_pasted("K1, 1, 2, x, 4").is_err());
        let mut w = TransformWindow::new(3, None);
        w.points = rows;
        let spec = w.spec().expect("spec");
        assert_eq!(spec.kind, "four");
        assert_eq!(spec.target_epsg, Some(4529));
        assert_eq!(spec.points[0].local, vec![2000.0, 1000.0]);
        let t = GridTransform::from_spec(spec.clone()).expect("solves");
        assert_eq!(t.residuals.len(), 2);
        // What the session remembers fills the window again.
        let again = TransformWindow::new(3, Some(&spec));
        assert_eq!(again.spec().expect("spec"), spec);
        w.typed[0] = "abc".into();
        w.from_points = false;
        assert!(w.spec().is_err_and(|e| e.in_lang(Lang::En).contains("ΔX")));
    }
}
