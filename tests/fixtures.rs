//! Data-driven rule tests: every `fixtures/<scenario>/expected` file holds the arguments of a
//! run (first line, `# args: ...`) and its exact `--format concise` output: code, severity,
//! location and message of every finding. A run always gets `--now` first (a later `--now`
//! in the arguments wins) and the fixture passwords of `common::edgelint`.

mod common;

use std::path::Path;

pub fn scenarios() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn run_scenario(dir: &Path) -> Result<(), String> {
    let expected = std::fs::read_to_string(dir.join("expected")).unwrap();
    let (head, want) = expected.split_once('\n').unwrap_or((&expected, ""));
    let args = head
        .strip_prefix("# args:")
        .ok_or_else(|| format!("{}: first line must be `# args: ...`", dir.display()))?;
    let (rel, out) = run_concise(dir, args);
    let got = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("panicked") {
        return Err(format!("{rel}: edgelint panicked: {stderr}"));
    }
    if got != want {
        return Err(format!(
            "{rel}: output differs\n--- expected\n{want}--- got\n{got}(to accept: EDGELINT_BLESS=1 cargo test --test fixtures)"
        ));
    }
    Ok(())
}

/// `check <scenario> --format concise --now NOW <args>`, from the repository root; the
/// scenario's path as the output names it.
fn run_concise(dir: &Path, args: &str) -> (String, std::process::Output) {
    let rel = dir
        .strip_prefix(common::root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let mut all = vec![
        "check",
        rel.as_str(),
        "--format",
        "concise",
        "--now",
        common::NOW,
    ];
    all.extend(args.split_whitespace());
    let out = common::run(&all);
    (rel, out)
}

#[test]
fn every_fixture_scenario_gives_its_expected_findings() {
    let bless = std::env::var_os("EDGELINT_BLESS").is_some();
    let mut failures = Vec::new();
    for dir in scenarios() {
        if let Err(e) = run_scenario(&dir) {
            if bless {
                bless_scenario(&dir);
            } else {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Rewrite an `expected` file with the current output (review the diff before committing).
fn bless_scenario(dir: &Path) {
    let expected = std::fs::read_to_string(dir.join("expected")).unwrap();
    let head = expected.lines().next().unwrap_or("# args:").to_string();
    let (_, out) = run_concise(dir, head.trim_start_matches("# args:"));
    std::fs::write(
        dir.join("expected"),
        format!("{head}\n{}", String::from_utf8_lossy(&out.stdout)),
    )
    .unwrap();
}
