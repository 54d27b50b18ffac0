//! What a crash leaves for the next start: a report file (version, message, backtrace, the
//! files being opened) in the app's data folder, and a note of the files that were being
//! opened, which are then not opened again by themselves.
//!
//! Workers already turn their panics into messages (see `jobs`); this catches the rest — a
//! panic on the UI thread, or an abort after one.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The files being opened right now, for the crash report.
static OPENING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The marker of the files being opened, in the data folder.
const MARKER: &str = "opening.txt";

/// Prefix of crash report files.
const PREFIX: &str = "crash-";

/// Install a panic hook that writes a crash report into `data_dir` (and then does what the
/// previous hook did: print the panic).
pub fn install_hook(data_dir: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A worker's panic that becomes an error message is no crash.
        if super::in_guarded_job() {
            previous(info);
            return;
        }
        let message = info.to_string();
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        let opening = OPENING.lock().map(|o| o.clone()).unwrap_or_default();
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let _ = std::fs::create_dir_all(&data_dir);
        let path = data_dir.join(format!("{PREFIX}{secs}.txt"));
        let _ = std::fs::write(&path, report_text(&message, &backtrace, &opening));
        previous(info);
    }));
}

/// The text of a crash report. Deliberately in both languages: the file is sent on to whoever
/// supports the program, who may read either.
pub fn report_text(message: &str, backtrace: &str, opening: &[PathBuf]) -> String {
    let files = if opening.is_empty() {
        "（无）/ (none)".to_owned()
    } else {
        opening
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "taonan-map {} 崩溃报告 / crash report\n\n{message}\n\n正在打开的文件 / files being opened:\n{files}\n\n{backtrace}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// Note that these files are being opened (in memory for a crash report, and in a marker file
/// in `data_dir` that survives an abort). Errors writing the marker are ignored: it only
/// spares the next start from opening the same file again.
pub fn mark_opening(data_dir: &Path, files: &[PathBuf]) {
    if let Ok(mut o) = OPENING.lock() {
        o.clone_from(&files.to_vec());
    }
    let text: String = files.iter().map(|p| format!("{}\n", p.display())).collect();
    let _ = std::fs::create_dir_all(data_dir);
    let _ = std::fs::write(data_dir.join(MARKER), text);
}

/// The files have been opened (or failed cleanly): forget them.
pub fn clear_opening(data_dir: &Path) {
    if let Ok(mut o) = OPENING.lock() {
        o.clear();
    }
    let _ = std::fs::remove_file(data_dir.join(MARKER));
}

/// The files that were being opened when the last run ended without finishing them (the
/// marker is removed: they are reported once).
pub fn take_interrupted(data_dir: &Path) -> Vec<PathBuf> {
    let marker = data_dir.join(MARKER);
    let Ok(text) = std::fs::read_to_string(&marker) else {
        return Vec::new();
    };
    let _ = std::fs::remove_file(&marker);
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect()
}

/// Crash reports not shown yet; each is renamed (`….shown.txt`) so that it is shown once.
pub fn take_reports(data_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && name.ends_with(".txt") && !name.ends_with(".shown.txt") {
            let shown = data_dir.join(name.replace(".txt", ".shown.txt"));
            if std::fs::rename(e.path(), &shown).is_ok() {
                out.push(shown);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir()
            .join(format!("taonan-crash-{name}-{}", std::process::id()))
            .join("数据");
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("dir");
        d
    }

    #[test]
    fn a_report_names_the_version_the_message_and_the_files() {
        let t = report_text(
            "panicked at src/x.rs:1:1: boom",
            "0: main",
            &[PathBuf::from("/数据/宗地.shp")],
        );
        assert!(t.contains(env!("CARGO_PKG_VERSION")));
        assert!(t.contains("boom") && t.contains("/数据/宗地.shp") && t.contains("0: main"));
    }

    #[test]
    fn files_being_opened_at_a_crash_are_reported_once_at_the_next_start() {
        let d = dir("marker");
        let files = vec![
            PathBuf::from("/测绘/宗地.shp"),
            PathBuf::from("/测绘/b.zip"),
        ];
        mark_opening(&d, &files);
        // The process dies here; the next start:
        assert_eq!(take_interrupted(&d), files);
        assert!(take_interrupted(&d).is_empty(), "reported once");
        mark_opening(&d, &files);
        clear_opening(&d);
        assert!(
            take_interrupted(&d).is_empty(),
            "a finished load leaves nothing"
        );
    }

    #[test]
    fn crash_reports_are_shown_once() {
        let d = dir("reports");
        std::fs::write(d.join("crash-1.txt"), "x").expect("write");
        std::fs::write(d.join("other.txt"), "x").expect("write");
        let shown = take_reports(&d);
        assert_eq!(shown, vec![d.join("crash-1.shown.txt")]);
        assert!(take_reports(&d).is_empty());
    }
}
