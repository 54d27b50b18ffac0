//! `taonan-map`: the viewer (no arguments, or files) and the headless commands (`info`).

use taonan_map::cli::{self, Command};
use taonan_map::text::Lang;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let lang = match cli::take_lang(&mut args) {
        Ok(lang) => lang,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let code = match cli::parse(&args) {
        Ok(Command::Help) => {
            print!("{}", cli::usage(lang));
            0
        }
        Ok(Command::Version) => {
            println!("taonan-map {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Ok(Command::Info {
            json,
            features,
            files,
            opts,
        }) => cli::info(json, features, &files, &opts, lang),
        Ok(Command::Check {
            json,
            files,
            opts,
            report,
            out,
            force,
        }) => cli::check(
            json,
            &files,
            &opts,
            report.as_ref(),
            out.as_deref(),
            force,
            lang,
        ),
        Ok(Command::Convert(spec)) => cli::convert::run(&spec, lang),
        Ok(Command::Export(spec)) => cli::export(&spec, lang),
        Ok(Command::Gui(files)) => window(files, lang),
        Err(e) => {
            eprintln!("{}", e.in_lang(lang));
            2
        }
    };
    std::process::exit(code);
}

/// Open the window with these files (it has its own language setting).
#[cfg(feature = "gui")]
fn window(files: Vec<std::path::PathBuf>, _lang: Lang) -> i32 {
    match taonan_map::gui::run(files) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{e}");
            1
        }
    }
}

/// This build has no window (built without the `gui` feature).
#[cfg(not(feature = "gui"))]
fn window(_files: Vec<std::path::PathBuf>, lang: Lang) -> i32 {
    eprintln!(
        "{}",
        lang.t(
            "此版本未含窗口，请使用 info、check 或 export。",
            "This build has no window; use info, check or export."
        )
    );
    2
}
