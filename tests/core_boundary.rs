//! The core knows nothing of the UI toolkit: only `src/gui/` may mention egui, eframe or walkers.

#[test]
fn core_modules_do_not_use_egui() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read");
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name == "main.rs" || name == "lib.rs" {
                continue;
            }
            for word in ["egui", "eframe", "walkers"] {
                if text.contains(&format!("{word}::")) || text.contains(&format!("use {word}")) {
                    offenders.push(format!("{name} uses {word}"));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}
