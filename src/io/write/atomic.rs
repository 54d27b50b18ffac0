//! Atomic writes: a file this program writes is complete or not there.
//!
//! Every member of a [`FileSet`] (one file, or the `.shp/.shx/.dbf/.prj/.cpg` of a shapefile)
//! is first written under a temporary name in the folder it goes to (`.NAME.part-PID-N`), and
//! only when all of them are written and flushed to disk are they renamed to their names. A
//! failed or abandoned write removes its temporary files (when the set is dropped). An
//! existing file is replaced only when the set was made with `force`; otherwise
//! [`FileSet::commit`] refuses before renaming anything, naming the file.
//!
//! A rename inside one folder is atomic on the file systems this runs on (NTFS, ext4, APFS);
//! a shapefile set is renamed member by member, so between the first and the last rename a
//! reader could see a mixed set (milliseconds; the members are written before).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::text;
use crate::text::Text;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The error of a target that exists when replacing was not asked for.
pub fn exists_message(path: &Path) -> Text {
    let p = path.display();
    text!(
        "{p}：文件已存在，未覆盖（命令行加 --force 以替换）",
        "{p}: the file exists and was not replaced (use --force to replace it)"
    )
}

/// A file that could not be written, with the system's reason (in its own words).
pub fn failed(path: &Path, e: &dyn std::fmt::Display) -> Text {
    let p = path.display();
    text!("{p}：{e}", "{p}: {e}")
}

/// The temporary name a member is written under: in the same folder, hidden, unique to this
/// process and call.
pub fn temp_name(path: &Path) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    path.with_file_name(format!(".{name}.part-{}-{n}", std::process::id()))
}

/// Files written together and put in place together.
#[derive(Debug)]
pub struct FileSet {
    force: bool,
    /// (temporary name, final name) of each member.
    members: Vec<(PathBuf, PathBuf)>,
}

impl FileSet {
    /// A new set; `force`: existing files may be replaced.
    pub fn new(force: bool) -> Self {
        Self {
            force,
            members: Vec::new(),
        }
    }

    /// Whether existing files may be replaced.
    pub fn force(&self) -> bool {
        self.force
    }

    /// Refuse early (before any work) when a target exists and `force` is off.
    pub fn check_free(&self, path: &Path) -> Result<(), Text> {
        if !self.force && path.exists() {
            return Err(exists_message(path));
        }
        Ok(())
    }

    /// Register a member and give the temporary path to write it at (for writers that open the
    /// path themselves, such as SQLite). The path is removed if the set is not committed.
    pub fn member_path(&mut self, path: &Path) -> Result<PathBuf, Text> {
        self.check_free(path)?;
        let tmp = temp_name(path);
        self.members.push((tmp.clone(), path.to_path_buf()));
        Ok(tmp)
    }

    /// Register a member and create its temporary file, buffered.
    pub fn create(&mut self, path: &Path) -> Result<BufWriter<File>, Text> {
        let tmp = self.member_path(path)?;
        File::create(&tmp)
            .map(BufWriter::new)
            .map_err(|e| failed(path, &e))
    }

    /// Write a whole member from bytes.
    pub fn write_bytes(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Text> {
        let mut w = self.create(path)?;
        w.write_all(bytes).map_err(|e| failed(path, &e))?;
        finish(w, path)
    }

    /// Put every member in place: flush them to disk, check that no target appeared meanwhile
    /// (unless `force`), then rename. Returns the final paths.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, Text> {
        for (tmp, path) in &self.members {
            if let Ok(f) = File::options().write(true).open(tmp) {
                f.sync_all().map_err(|e| failed(path, &e))?;
            }
            self.check_free(path)?;
        }
        let members = std::mem::take(&mut self.members);
        let mut done = Vec::with_capacity(members.len());
        let mut rest = members.into_iter();
        while let Some((tmp, path)) = rest.next() {
            if let Err(e) = std::fs::rename(&tmp, &path) {
                let _ = std::fs::remove_file(&tmp);
                for (t, _) in rest {
                    let _ = std::fs::remove_file(t);
                }
                return Err(failed(&path, &e));
            }
            done.push(path);
        }
        Ok(done)
    }
}

impl Drop for FileSet {
    fn drop(&mut self) {
        for (tmp, _) in &self.members {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Flush a buffered member (an error names the final file).
pub fn finish(mut w: BufWriter<File>, path: &Path) -> Result<(), Text> {
    w.flush().map_err(|e| failed(path, &e))
}

/// Write one file atomically from bytes; `force`: replace an existing file.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), Text> {
    let mut set = FileSet::new(force);
    set.write_bytes(path, bytes)?;
    set.commit().map(|_| ())
}

/// Write one file atomically through a writer; `force`: replace an existing file. The file is
/// not there when `write` fails.
pub fn write_with(
    path: &Path,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Text> {
    let mut set = FileSet::new(force);
    let mut w = set.create(path)?;
    write(&mut w).map_err(|e| failed(path, &e))?;
    finish(w, path)?;
    set.commit().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("结果.csv");
        let r = write_with(&path, false, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(r.is_err_and(|e| {
            let en = e.in_lang(crate::text::Lang::En);
            en.contains("disk full") && en.contains("结果.csv")
        }));
        assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
    }

    #[test]
    fn an_existing_file_is_replaced_only_with_force() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.geojson");
        std::fs::write(&path, "old").expect("write");
        let e = write_file(&path, b"new", false).expect_err("refused");
        let (zh, en) = (
            e.in_lang(crate::text::Lang::Zh),
            e.in_lang(crate::text::Lang::En),
        );
        assert!(en.ends_with("the file exists and was not replaced (use --force to replace it)"));
        assert!(
            zh.ends_with("文件已存在，未覆盖（命令行加 --force 以替换）"),
            "{zh}"
        );
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        assert_eq!(listing(dir.path()), vec!["a.geojson"]);
        write_file(&path, b"new", true).expect("replaced");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert_eq!(listing(dir.path()), vec!["a.geojson"]);
    }

    #[test]
    fn a_set_is_put_in_place_whole_or_not_at_all() {
        let dir = tempfile::tempdir().expect("tmp");
        let shp = dir.path().join("x.shp");
        let dbf = dir.path().join("x.dbf");
        std::fs::write(&dbf, "old").expect("write");
        let mut set = FileSet::new(false);
        set.write_bytes(&shp, b"shp").expect("shp");
        // The .dbf exists: the set is refused and the .shp written so far disappears.
        assert!(set.write_bytes(&dbf, b"dbf").is_err());
        drop(set);
        assert_eq!(listing(dir.path()), vec!["x.dbf"]);
        let mut set = FileSet::new(true);
        set.write_bytes(&shp, b"shp").expect("shp");
        set.write_bytes(&dbf, b"dbf").expect("dbf");
        assert_eq!(set.commit().expect("commit").len(), 2);
        assert_eq!(listing(dir.path()), vec!["x.dbf", "x.shp"]);
    }
}
