//! The user's files: the first byte picks `config.toml`, `rules.toml`, `fields.csv` or the saved
//! session; the rest is the file. A bad file gives the defaults and a message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::analysis::rules::Rules;
use taonan_map::model::fields::FieldLabels;
use taonan_map::user_config::UserConfig;

/// The session is part of the window (feature `gui`); its module has no window dependency.
#[allow(dead_code)]
#[path = "../../../src/gui/session.rs"]
mod session;

// session.rs names the library's modules as `crate::…` (it is part of the library's window).
mod io {
    pub use taonan_map::io::*;
}
mod plan {
    pub use taonan_map::plan::*;
}
mod model {
    pub use taonan_map::model::*;
}
mod text {
    pub use taonan_map::text::*;
}
mod crs {
    pub use taonan_map::crs::*;
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match selector % 4 {
        0 => {
            let dir = std::env::temp_dir().join(format!("taonan-fuzz-cfg-{}", std::process::id()));
            if std::fs::create_dir_all(&dir).is_ok()
                && std::fs::write(dir.join("config.toml"), rest).is_ok()
            {
                let (cfg, _) = UserConfig::load(&dir);
                let _ = cfg.cache_cap_bytes();
                let _ = cfg.tile_options(false);
                for id in ["osm", "custom", "tianditu-vec", "local:/nonexistent.mbtiles"] {
                    let _ = cfg.basemap(id);
                }
            }
        }
        1 => {
            let _ = Rules::parse(&text);
        }
        2 => {
            let mut labels = FieldLabels::builtin();
            let _ = labels.merge_csv(&text);
            let _ = labels.label("GHQMC", true);
        }
        _ => {
            let s = session::Session::parse(&text);
            let _ = s.to_json();
        }
    }
});
