//! Runs the real binary from the repository root, with a fixed clock and fixture passwords.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Every test evaluates dates at this instant, so fixture certificates never expire.
pub const NOW: &str = "2026-11-26T12:00:00Z";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn edgelint() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_edgelint"));
    c.current_dir(root())
        .env("EDGE_PFX_PASSWORD", "Secret123")
        .env("EDGE_WRONG_PASSWORD", "not-the-password")
        .env("EDGE_EMPTY_PASSWORD", "")
        .env_remove("EDGELINT_PFX_PASSWORD")
        .env_remove("EDGELINT_TEST_UNSET_VARIABLE")
        .env_remove("EDGELINT_CACHE_DIR")
        // Tests check the fixtures as they are: no cache is read or left in the repository
        // (tests/cache.rs tests the cache, in folders of its own).
        .env("EDGELINT_NO_CACHE", "1")
        .env("NO_COLOR", "1");
    c
}

pub fn run(args: &[&str]) -> Output {
    edgelint().args(args).output().expect("edgelint runs")
}

/// `check --format json --now NOW ARGS`: the exit code and each finding as
/// `CODE severity file:line:col message`.
pub fn findings(args: &[&str]) -> (i32, Vec<String>) {
    let mut all = vec!["check", "--format", "json", "--now", NOW];
    all.extend_from_slice(args);
    let out = run(&all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "edgelint panicked on {args:?}: {stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let lines = doc["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}:{} {}",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

/// The full JSON document of a run.
pub fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["check", "--format", "json", "--now", NOW];
    all.extend_from_slice(args);
    let out = run(&all);
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// A path as edgelint prints it when run from the repository root: relative to the root, or
/// absolute when the two share nothing but `/` (so expectations hold wherever the clone is).
pub fn shown(path: &Path) -> String {
    edgelint::discover::display(&edgelint::discover::normalize(path), root())
}
