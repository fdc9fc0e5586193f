//! The layers' arrows, checked on the source: http and the command line call the use cases
//! (`app`), which call `db`, which maps rows to `domain`; the domain is pure. A change that makes
//! an arrow point back (the domain reaching for SQL, a handler running its own queries) fails
//! here, with the file and line.

use std::path::{Path, PathBuf};

/// For each layer (a folder of `src/`), the modules of the crate it must not use.
const FORBIDDEN: &[(&str, &[&str])] = &[
    ("domain", &["app", "db", "http", "cli", "transfer", "config", "metrics", "ratelimit"]),
    ("db", &["app", "http", "cli", "transfer", "metrics", "ratelimit"]),
    ("app", &["http", "cli", "transfer", "metrics", "ratelimit"]),
    ("http", &["db", "cli", "transfer"]),
];

/// Crates the domain must not depend on: persistence, HTTP and the HTTP API's description.
const NOT_IN_DOMAIN: &[&str] = &["sqlx", "axum", "utoipa", "tower", "hyper"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// Lines of code (comments left out) that mention `word` as a path: `word::` or `use word`.
fn mentions(file: &Path, needles: &[String]) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| needles.iter().any(|needle| line.contains(needle.as_str())))
        .map(|(n, line)| format!("{}:{}: {}", file.display(), n + 1, line.trim()))
        .collect()
}

#[test]
fn every_layer_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (layer, forbidden) in FORBIDDEN {
        let needles: Vec<String> = forbidden.iter().map(|m| format!("crate::{m}")).collect();
        for file in rust_files(&src.join(layer)) {
            wrong.extend(mentions(&file, &needles));
        }
    }
    assert!(wrong.is_empty(), "arrows that point the wrong way:\n{}", wrong.join("\n"));
}

#[test]
fn the_domain_knows_no_database_and_no_http() {
    let domain = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let needles: Vec<String> =
        NOT_IN_DOMAIN.iter().flat_map(|c| [format!("{c}::"), format!("use {c}"), format!("{c}(")]).collect();
    let found: Vec<String> = rust_files(&domain).iter().flat_map(|f| mentions(f, &needles)).collect();
    assert!(found.is_empty(), "the domain must stay pure:\n{}", found.join("\n"));
}

#[test]
fn the_checks_above_would_see_a_wrong_arrow() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.rs");
    std::fs::write(&file, "// use crate::db is fine in a comment\nuse crate::db::products;\nuse sqlx::Row;\n").unwrap();
    assert_eq!(mentions(&file, &["crate::db".into()]).len(), 1);
    assert_eq!(mentions(&file, &["use sqlx".into()]).len(), 1);
}
