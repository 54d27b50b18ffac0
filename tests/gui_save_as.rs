//! 另存为… and 导出… in the window (egui_kittest): a bundled layer saved from its context
//! menu as a GBK shapefile, an existing file replaced only after the confirmation, and the
//! findings exported from the findings list as an Excel workbook.
#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use taonan_map::gui::TaonanApp;

mod support;
use support::harness::{harness, temp_dir, wait_while};

/// Replace the text of the field whose value ends with `suffix` by `text`.
fn type_into(h: &mut Harness<'static, TaonanApp>, suffix: &str, text: &str) {
    let node = h
        .query_all_by_role(egui::Role::TextInput)
        .find(|n| {
            n.accesskit_node()
                .value()
                .is_some_and(|v| v.ends_with(suffix))
        })
        .expect("the file field");
    node.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.event(egui::Event::Text(text.to_owned()));
    h.run_steps(2);
}

#[test]
fn a_bundled_layer_is_saved_as_a_shapefile_and_replaced_only_when_confirmed() {
    let dir = temp_dir("layer");
    std::fs::create_dir_all(&dir).expect("dir");
    let mut h = harness();
    h.get_by_label("开采规划区块").click_secondary();
    h.run_steps(2);
    h.get_by_label("另存为…").click();
    h.run_steps(3);
    assert!(h.query_by_label("图层另存为").is_some());
    let out = dir.join("开采规划区块.shp");
    type_into(&mut h, ".shp", out.to_str().expect("utf8"));
    h.get_by_label("保存").click();
    wait_while(&mut h, TaonanApp::save_as_busy, "the save");
    let cpg = std::fs::read_to_string(out.with_extension("cpg")).expect("written");
    assert_eq!(cpg, "GBK");
    let first = std::fs::metadata(&out)
        .expect("shp")
        .modified()
        .expect("time");
    // Again: the window asks first; 替换 writes.
    h.get_by_label("保存").click();
    h.run_steps(3);
    assert!(h.query_by_label("文件已存在，是否替换？").is_some());
    assert_eq!(
        std::fs::metadata(&out)
            .expect("shp")
            .modified()
            .expect("time"),
        first
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    h.get_by_label("替换").click();
    wait_while(&mut h, TaonanApp::save_as_busy, "the save");
    let shapes = shapefile::ShapeReader::from_path(&out)
        .expect("shp")
        .read()
        .expect("read");
    assert_eq!(shapes.len(), 17);
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn the_findings_are_exported_from_the_findings_list() {
    let dir = temp_dir("findings");
    std::fs::create_dir_all(&dir).expect("dir");
    let mut h = harness();
    wait_while(&mut h, TaonanApp::analysis_busy, "the analysis");
    h.get_by_label("错误 0 · 警告 0 · 提示 4").click();
    h.run_steps(3);
    h.get_by_label("导出…").click();
    h.run_steps(3);
    assert!(h.query_by_label("导出检查结果").is_some());
    let out = dir.join("检查结果.xlsx");
    type_into(&mut h, ".xlsx", out.to_str().expect("utf8"));
    h.get_by_label("导出").click();
    wait_while(&mut h, TaonanApp::save_as_busy, "the export");
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("xlsx");
    let sheet = wb.worksheet_range("检查结果").expect("sheet");
    assert_eq!(sheet.height(), 5);
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}
