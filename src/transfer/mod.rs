//! Moving a shop's data in and out of the database: backups and restores, the portable export
//! that moves a shop between SQLite and PostgreSQL, and the import of a first-version database.
//! Every way in ends in [`load::load`], one transaction that writes rows with their ids,
//! continues the id sequences after them, rebuilds the daily totals and verifies counts and
//! sums before committing. The SQL lives in `db::bulk` and `db::first_version`.

pub mod backup;
pub mod dataset;
pub mod demo;
pub mod first_version;
pub mod load;
pub mod portable;
pub mod schedule;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// What a file holds, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An SQLite database (a backup of this system, or a first-version database).
    Sqlite,
    /// A `pg_dump` archive (custom format).
    PgDump,
    /// A portable export (JSON, possibly gzip-compressed).
    Portable,
}

impl FileKind {
    pub fn of(path: &Path) -> anyhow::Result<FileKind> {
        let mut file =
            File::open(path).with_context(|| format!("não foi possível abrir o arquivo {}", path.display()))?;
        let mut head = [0u8; 16];
        let mut read = 0;
        while read < head.len() {
            match file.read(&mut head[read..])? {
                0 => break,
                n => read += n,
            }
        }
        let head = &head[..read];
        let first_text = head.iter().find(|b| !b.is_ascii_whitespace());
        if head.starts_with(b"SQLite format 3\0") {
            Ok(FileKind::Sqlite)
        } else if head.starts_with(b"PGDMP") {
            Ok(FileKind::PgDump)
        } else if head.starts_with(&[0x1f, 0x8b]) || first_text == Some(&b'{') {
            Ok(FileKind::Portable)
        } else {
            anyhow::bail!(
                "{} não é um backup nem uma exportação deste sistema (nem SQLite, nem pg_dump, nem JSON): \
                 arquivo corrompido ou de outro tipo",
                path.display()
            )
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Sqlite => "banco SQLite",
            FileKind::PgDump => "arquivo do pg_dump",
            FileKind::Portable => "exportação portável (JSON)",
        }
    }
}

/// A file written in two steps, so that `path` is either its old self or complete: the data
/// goes to a hidden `.partial` file beside it, which [`Partial::finish`] syncs to disk and
/// renames over `path`. Dropped unfinished, the partial file is removed.
pub struct Partial {
    pub path: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Partial {
    pub fn new(target: &Path) -> anyhow::Result<Partial> {
        let name = target.file_name().with_context(|| format!("caminho sem nome de arquivo: {}", target.display()))?;
        let dir = parent_dir(target);
        std::fs::create_dir_all(&dir).with_context(|| format!("não foi possível criar a pasta {}", dir.display()))?;
        let path = dir.join(format!(".{}.partial", name.to_string_lossy()));
        if path.exists() {
            std::fs::remove_file(&path)
                .with_context(|| format!("não foi possível remover o arquivo parcial {}", path.display()))?;
        }
        Ok(Partial { path, target: target.to_path_buf(), done: false })
    }

    pub fn finish(mut self) -> anyhow::Result<u64> {
        let file = File::open(&self.path).with_context(|| format!("arquivo não gerado: {}", self.path.display()))?;
        file.sync_all()?;
        let bytes = file.metadata()?.len();
        std::fs::rename(&self.path, &self.target)
            .with_context(|| format!("não foi possível gravar {}", self.target.display()))?;
        // The rename itself is durable once the directory is synced.
        if let Ok(dir) = File::open(parent_dir(&self.target)) {
            let _ = dir.sync_all();
        }
        self.done = true;
        Ok(bytes)
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A path's size for people: `1,5 MB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0).replace('.', ","),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)).replace('.', ","),
    }
}

/// Seconds for people: `0,12 s`.
pub fn seconds(elapsed: std::time::Duration) -> String {
    format!("{:.2} s", elapsed.as_secs_f64()).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognized_by_their_first_bytes() {
        let dir = std::env::temp_dir().join(format!("sv-kind-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let cases: [(&[u8], Option<FileKind>); 5] = [
            (b"SQLite format 3\0rest", Some(FileKind::Sqlite)),
            (b"PGDMP\x01\x0e", Some(FileKind::PgDump)),
            (b"\x1f\x8b\x08\x00", Some(FileKind::Portable)),
            (b"  {\"format\"", Some(FileKind::Portable)),
            (b"garbage", None),
        ];
        for (i, (bytes, kind)) in cases.into_iter().enumerate() {
            let path = dir.join(format!("f{i}"));
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(FileKind::of(&path).ok(), kind);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_partial_file_replaces_the_target_only_when_finished() {
        let dir = std::env::temp_dir().join(format!("sv-partial-{}", uuid::Uuid::new_v4().simple()));
        let target = dir.join("backup.db");
        let partial = Partial::new(&target).unwrap();
        std::fs::write(&partial.path, b"half").unwrap();
        drop(partial);
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "parcial removido");
        let partial = Partial::new(&target).unwrap();
        std::fs::write(&partial.path, b"whole").unwrap();
        assert_eq!(partial.finish().unwrap(), 5);
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
