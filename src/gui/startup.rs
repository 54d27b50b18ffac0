//! What the window reads when it starts: the user's settings and field labels, the notes a
//! crash in the last run left, and the last session's files (a moved one gets a note).

use std::path::{Path, PathBuf};

use crate::gui::i18n::Lang;
use crate::gui::session::Session;
use crate::model::fields::FieldLabels;
use crate::user_config::UserConfig;

/// The folders the window keeps files in.
#[derive(Debug, Clone)]
pub struct Folders {
    /// Where the app keeps its own files (pasted corner lists, crash notes).
    pub data: PathBuf,
    /// The user's settings folder (config.toml, fields.csv, rules.toml), if there is one.
    pub config: Option<PathBuf>,
}

/// The user's field labels (`fields.csv`) and settings (`config.toml`) in `config_dir`, with
/// a note in `messages` for a file that is there but unusable.
pub fn user_settings(
    config_dir: Option<&Path>,
    lang: Lang,
    messages: &mut Vec<String>,
) -> (FieldLabels, UserConfig) {
    let (labels, note) = FieldLabels::load_from(config_dir);
    messages.extend(note.map(|n| n.in_lang(lang).to_owned()));
    let config = match config_dir {
        Some(d) => {
            let (c, problem) = UserConfig::load(d);
            messages.extend(problem.map(|n| n.in_lang(lang).to_owned()));
            c
        }
        None => UserConfig::default(),
    };
    (labels, config)
}

/// What a crash in the last run left in `data_dir`: a note naming its report, and a note per
/// file it was opening. Returns those files (they are not reopened by themselves; the user
/// can retry them from the recent files).
pub fn crash_notes(data_dir: &Path, lang: Lang, messages: &mut Vec<String>) -> Vec<PathBuf> {
    for report in crate::gui::jobs::crash::take_reports(data_dir) {
        messages.push(match lang {
            Lang::Zh => format!("上次运行意外退出，崩溃报告：{}", report.display()),
            Lang::En => format!(
                "The last run ended unexpectedly; crash report: {}",
                report.display()
            ),
        });
    }
    let interrupted = crate::gui::jobs::crash::take_interrupted(data_dir);
    for p in &interrupted {
        messages.push(match lang {
            Lang::Zh => format!(
                "上次打开此文件时程序退出，未自动重新打开（可从“最近打开”重试）：{}",
                p.display()
            ),
            Lang::En => format!(
                "The program stopped while opening this file last time; not reopened (retry from Recent files): {}",
                p.display()
            ),
        });
    }
    interrupted
}

/// The last session without its files that have moved (each gets a note) or were being opened
/// at a crash (`interrupted`), and the files to load again.
pub fn restore_session(
    session: Session,
    interrupted: &[PathBuf],
    lang: Lang,
    messages: &mut Vec<String>,
) -> (Session, Vec<PathBuf>) {
    let mut restore = Vec::new();
    for e in &session.files {
        if interrupted.contains(&e.path) {
            continue;
        }
        if e.path.is_file() {
            restore.push(e.path.clone());
        } else {
            messages.push(match lang {
                Lang::Zh => format!("上次载入的文件已移动或删除：{}", e.path.display()),
                Lang::En => format!(
                    "A file from the last session has moved or gone: {}",
                    e.path.display()
                ),
            });
        }
    }
    let session = Session {
        files: session
            .files
            .iter()
            .filter(|e| e.path.is_file() && !interrupted.contains(&e.path))
            .cloned()
            .collect(),
        ..session
    };
    (session, restore)
}
