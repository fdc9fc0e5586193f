//! Builds the web UI (`web/`) into `web/dist` so that the release binary can embed it.
//!
//! `npm ci` runs when `node_modules` is missing or older than `package-lock.json`, and
//! `npm run build` when `web/dist` is missing or older than any source file. Set
//! `SKIP_WEB_BUILD=1` to use whatever `web/dist` holds (the server then answers with a short
//! page explaining how to build the UI if there is none).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

const WEB_INPUTS: &[&str] = &[
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "tsconfig.app.json",
];

fn main() {
    let web = Path::new("web");
    for input in WEB_INPUTS {
        println!("cargo:rerun-if-changed=web/{input}");
    }
    println!("cargo:rerun-if-env-changed=SKIP_WEB_BUILD");
    println!("cargo:rerun-if-env-changed=VITE_API_URL");
    let dist = web.join("dist");

    if std::env::var_os("SKIP_WEB_BUILD").is_some_and(|v| v != "0") || !web.join("package.json").exists() {
        std::fs::create_dir_all(&dist).expect("criar web/dist");
        return;
    }

    let newest_input = WEB_INPUTS.iter().filter_map(|p| newest_mtime(&web.join(p))).max();
    let built = mtime(&dist.join("index.html"));
    if built.is_some() && built >= newest_input {
        return;
    }

    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let installed = mtime(&web.join("node_modules/.package-lock.json"));
    if installed.is_none() || installed < mtime(&web.join("package-lock.json")) {
        run(npm, &["ci", "--no-audit", "--no-fund"], web);
    }
    run(npm, &["run", "build"], web);
}

fn run(program: &str, args: &[&str], dir: &Path) {
    let status = Command::new(program).args(args).current_dir(dir).status().unwrap_or_else(|e| {
        panic!(
            "\n\nNão foi possível executar `{program}` ({e}).\n\
             A interface web precisa de Node.js 20+ e npm para ser compilada.\n\
             Instale o Node.js ou defina SKIP_WEB_BUILD=1 para compilar só a API.\n\n"
        )
    });
    assert!(status.success(), "`{program} {}` falhou em web/ ({status})", args.join(" "));
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_dir() {
        return meta.modified().ok();
    }
    let entries = std::fs::read_dir(path).ok()?;
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p: PathBuf| newest_mtime(&p))
        .chain(meta.modified().ok())
        .max()
}
