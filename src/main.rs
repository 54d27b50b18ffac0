//! `taonan-map`: the viewer (no arguments, or files) and the headless commands (`info`).

use taonan_map::cli::{self, Command};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match cli::parse(&args) {
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
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
        }) => cli::info(json, features, &files, &opts),
        Ok(Command::Check {
            json,
            files,
            opts,
            report,
            out,
            force,
        }) => cli::check(json, &files, &opts, report.as_ref(), out.as_deref(), force),
        Ok(Command::Convert(spec)) => cli::convert::run(&spec),
        Ok(Command::Export(spec)) => cli::export(&spec),
        Ok(Command::Gui(files)) => window(files),
        Err(e) => {
            eprintln!("{e}");
            2
        }
    };
    std::process::exit(code);
}

/// Open the window with these files.
#[cfg(feature = "gui")]
fn window(files: Vec<std::path::PathBuf>) -> i32 {
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
fn window(_files: Vec<std::path::PathBuf>) -> i32 {
    eprintln!(
        "此版本未含窗口，请使用 info / check / export。 / This build has no window; use info, check or export."
    );
    2
}
