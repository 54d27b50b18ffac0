//! The plan database in the window (egui_kittest): the files are read on a worker, the
//! matching shows as a table before anything changes, a row is fixed by hand, 应用 replaces the
//! schematic zones (the side panel then shows the database's provenance and its area against
//! the plan's figure), the choice comes back at the next start, and removing it restores the
//! schematic layers.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use taonan_map::gui::session::Session;
use taonan_map::gui::{AppOptions, TaonanApp};
use taonan_map::model::catalog::FeatureRef;
use taonan_map::model::{LayerRole, ProvenanceKind};
use taonan_map::plan::database_fixture::write_plan_database;

mod support;
use support::harness::{App, has, labels_containing, wait_until, wait_while};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "taonan-gui-plan-db-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn harness_with(session: Session) -> App {
    let base = temp_dir("app");
    let mut h = support::harness::harness_with(AppOptions {
        session,
        config_dir: Some(base.join("config")),
        cache_dir: Some(base.join("cache")),
        data_dir: Some(base.join("data")),
        ..AppOptions::default()
    });
    h.run_steps(3);
    h
}

fn wait_for_reading(h: &mut Harness<'static, TaonanApp>) {
    h.run_steps(2);
    for _ in 0..4000 {
        h.step();
        if !h.state().plan_database_busy() {
            h.run_steps(3);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the plan database was not read");
}

fn select(h: &mut Harness<'static, TaonanApp>, role: LayerRole, feature: usize) {
    let layer = h.state().layer_index(role).expect("layer");
    h.state_mut().select(Some(FeatureRef { layer, feature }));
    h.run_steps(3);
}

/// The name of the layer of the database's polygons not applied.
const UNAPPLIED: &str = "规划数据库：未采用图斑";

fn unapplied_layer(h: &App) -> Option<usize> {
    h.state()
        .catalog()
        .layers
        .iter()
        .position(|l| l.name_zh == UNAPPLIED)
}

fn key_zones_schematic(h: &Harness<'static, TaonanApp>) -> usize {
    let li = h.state().layer_index(LayerRole::KeyZones).expect("layer");
    h.state().catalog().layers[li].schematic_count()
}

#[test]
fn the_table_shows_before_applying_and_the_side_panel_follows_the_database() {
    let files = write_plan_database(&temp_dir("db").join("规划数据库")).expect("fixture");
    let mut h = harness_with(Session::default());
    let ctx = h.ctx.clone();
    h.state_mut().plan_database().open();
    h.state_mut().plan_database().read(&ctx, files);
    wait_for_reading(&mut h);
    // The table, and nothing applied yet.
    assert!(
        has(
            &h,
            "匹配 25（按编号 1，按名称 24，手动 0）；冲突 1；未匹配规划区 1；未匹配图斑 1"
        ),
        "{:?}",
        labels_containing(&h, "匹配 ")
    );
    assert!(!labels_containing(&h, "冲突：同一规划区有两个图斑").is_empty());
    assert!(has(&h, "未匹配，仍为示意"));
    assert_eq!(key_zones_schematic(&h), 3, "nothing changes before 应用");

    // A row fixed by hand with its zone chooser: the iron block is E5.
    let extra = h
        .state_mut()
        .plan_database()
        .table()
        .expect("table")
        .unmatched_polygons[0]
        .polygon;
    h.get_by_value("—（无）").click_accesskit();
    h.run_steps(3);
    let e5 = "E5 铜勘查规划区块1（野马乡）";
    let options: Vec<_> = h.query_all_by_label(e5).collect();
    assert_eq!(
        options.len(),
        2,
        "the unmatched zone's row and the chooser's entry"
    );
    // The chooser's entry (the row's text is a plain label). Accessibility clicks: the row may
    // be scrolled out of the table's view.
    let entry = options
        .iter()
        .find(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .expect("the chooser's entry");
    entry.click_accesskit();
    h.run_steps(3);
    assert!(has(
        &h,
        "匹配 26（按编号 1，按名称 24，手动 1）；冲突 1；未匹配规划区 0；未匹配图斑 0"
    ));

    h.get_by_label("应用").click();
    h.run_steps(4);
    assert_eq!(key_zones_schematic(&h), 0);
    let remembered = h
        .state()
        .session_snapshot()
        .plan_database
        .expect("remembered");
    assert_eq!(remembered.files.len(), 4);
    assert_eq!(
        remembered.overrides,
        [(extra.layer, extra.feature, Some("E5".into()))]
    );

    // A matched key zone: real, from the database, its area against the plan's 8.2 km².
    select(&mut h, LayerRole::KeyZones, 0);
    assert!(has(&h, "真实图形"));
    assert!(!has(&h, "示意图形（非实测坐标）"));
    assert!(has(&h, "已匹配，图形来自数据库"));
    assert!(
        !labels_containing(&h, "规划数据库 ").is_empty(),
        "source names the database"
    );
    assert!(has(&h, "与规划面积之差"));
    let diff = labels_containing(&h, "%）");
    assert!(
        diff.iter()
            .any(|d| d.contains(" km²（") && (d.starts_with('+') || d.starts_with('-'))),
        "{diff:?}"
    );
    assert!(
        has(&h, "数据库·规划区名称"),
        "the database's own fields beside the plan's"
    );
    // CS002 (two polygons) stays schematic and says why.
    select(&mut h, LayerRole::ConcentratedZones, 1);
    assert!(has(&h, "示意图形（非实测坐标）"));
    assert!(has(&h, "冲突，未采用（仍为示意）"));
}

#[test]
fn the_choice_comes_back_at_the_next_start_and_removing_it_restores_the_schematic_zones() {
    let files = write_plan_database(&temp_dir("db2").join("规划数据库")).expect("fixture");
    let session = Session {
        plan_database: Some(taonan_map::gui::session::PlanDatabaseEntry {
            files,
            overrides: Vec::new(),
        }),
        ..Session::default()
    };
    let mut h = harness_with(session);
    wait_for_reading(&mut h);
    assert_eq!(key_zones_schematic(&h), 0, "applied again without asking");
    select(&mut h, LayerRole::ExplorationBlocks, 4);
    assert!(has(&h, "未匹配（仍为示意）"));
    assert!(has(&h, "示意图形（非实测坐标）"));

    // The polygons not applied (the iron block no zone has, CS002's two in conflict) are a
    // layer of their own: listed, selectable, with their table; real, from the database.
    let li = unapplied_layer(&h).expect("the layer of the polygons not applied");
    assert!(has(&h, UNAPPLIED));
    let layer = h.state().catalog().layers[li].clone();
    assert_eq!(layer.features.len(), 3);
    assert!(
        layer
            .features
            .iter()
            .all(|f| f.provenance.kind == ProvenanceKind::Real
                && f.provenance.source.contains("规划数据库"))
    );
    assert!(layer.source.contains("规划数据库"), "{}", layer.source);
    h.state_mut().select(Some(FeatureRef {
        layer: li,
        feature: 0,
    }));
    h.run_steps(3);
    assert_eq!(
        h.state().selected(),
        Some(FeatureRef {
            layer: li,
            feature: 0
        })
    );
    assert!(has(&h, "真实图形"));
    h.state_mut().open_attribute_table(li);
    wait_until(&mut h, "the table's rows", |h| {
        h.state().attribute_table_rows() == Some((3, true))
    });
    // Shown, not checked: no finding names them.
    wait_while(&mut h, TaonanApp::analysis_busy, "the analysis");
    assert!(
        h.state()
            .findings()
            .findings
            .iter()
            .all(|f| f.a.layer != li && f.b.is_none_or(|b| b.layer != li))
    );

    h.state_mut().plan_database().open();
    h.run_steps(3);
    h.get_by_label("移除规划数据库（恢复示意图层）").click();
    h.run_steps(4);

    assert_eq!(key_zones_schematic(&h), 3);
    assert!(h.state().session_snapshot().plan_database.is_none());
    assert!(unapplied_layer(&h).is_none(), "removed with the database");
    assert!(!has(&h, UNAPPLIED));
    select(&mut h, LayerRole::KeyZones, 0);
    assert!(has(&h, "示意图形（非实测坐标）"));
    assert!(!has(&h, "与规划面积之差"));
}
