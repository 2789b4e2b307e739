//! The README's walkthrough, run as written: every `sh` block of the section, in order, in one
//! bash session in an empty folder (so `cd`, variables and shell functions carry over), with
//! this build's `edgelint` first on `PATH`. A YAML block whose first line is `# PATH` is the
//! file the reader writes there. A `text` block right after an `sh` block is that block's
//! output (standard output and error), compared exactly; an `sh` block without one must exit 0.
//! `powershell` blocks are for Windows readers and are not run.
//!
//! `EDGELINT_BLESS=1 cargo test --test readme` rewrites the output blocks (review the diff).

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SECTION: &str = "## Walkthrough: from nothing to a clean run";
const END_OF_FILE: &str = "__EDGELINT_README_FILE__";

/// A fenced block of the section: its info string, its content and the byte range of the
/// content in the README.
struct Block {
    info: String,
    content: String,
    range: std::ops::Range<usize>,
}

/// What the walkthrough does, in order.
enum Step {
    Write {
        path: String,
        text: String,
    },
    Run {
        script: String,
        output: Option<usize>,
    },
}

fn blocks(readme: &str) -> Vec<Block> {
    let start = readme.find(SECTION).expect("the walkthrough section");
    let end = readme[start + SECTION.len()..]
        .find("\n## ")
        .map_or(readme.len(), |e| start + SECTION.len() + e);
    let mut out = Vec::new();
    let mut at = start;
    while let Some(open) = readme[at..end].find("\n```") {
        let info_start = at + open + 4;
        let info_end = info_start + readme[info_start..].find('\n').unwrap();
        let content_start = info_end + 1;
        let close = content_start
            + if readme[content_start..].starts_with("```") {
                0
            } else {
                readme[content_start..].find("\n```").unwrap() + 1
            };
        out.push(Block {
            info: readme[info_start..info_end].trim().to_string(),
            content: readme[content_start..close].to_string(),
            range: content_start..close,
        });
        at = close + 3;
    }
    out
}

/// The steps, and for each output block its index in `blocks`.
fn steps(blocks: &[Block], readme: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        match b.info.as_str() {
            "sh" => {
                let next = blocks.get(i + 1);
                let output = next
                    .filter(|n| n.info == "text")
                    .filter(|n| readme[b.range.end + 3..n.range.start - 8].trim().is_empty())
                    .map(|_| i + 1);
                out.push(Step::Run {
                    script: b.content.clone(),
                    output,
                });
            }
            "yaml" => {
                let first = b.content.lines().next().unwrap_or_default();
                let path = first.strip_prefix("# ").unwrap_or_default();
                if path.contains('/') && !path.contains(' ') {
                    out.push(Step::Write {
                        path: path.to_string(),
                        text: b.content.clone(),
                    });
                }
            }
            "text" | "powershell" => {}
            other => panic!("a `{other}` block in the walkthrough: run it (sh) or mark it"),
        }
    }
    out
}

/// One bash script for the whole walkthrough: each run's output goes to `OUT/N`, its status
/// to `OUT/N.status`; a run without shown output stops the script when a command fails.
fn script(steps: &[Step], out: &Path) -> String {
    let mut s = String::from("set -o pipefail\n");
    for (n, step) in steps.iter().enumerate() {
        match step {
            Step::Write { path, text } => {
                assert!(!text.contains(END_OF_FILE));
                writeln!(s, "mkdir -p \"$(dirname '{path}')\"").unwrap();
                write!(s, "cat > '{path}' <<'{END_OF_FILE}'\n{text}{END_OF_FILE}\n").unwrap();
            }
            Step::Run { script, output } => {
                let strict = if output.is_some() { "+e" } else { "-e" };
                let o = out.join(n.to_string());
                let o = o.display();
                write!(
                    s,
                    "set {strict}\n{{\n{script}}} > '{o}' 2>&1\necho $? > '{o}.status'\nset +e\n"
                )
                .unwrap();
            }
        }
    }
    s
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("edgelint-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("work")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    dir
}

fn run_walkthrough(script_text: &str, dir: &Path) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_edgelint")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new("bash")
        .arg("-c")
        .arg(script_text)
        .current_dir(dir.join("work"))
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("bash runs")
}

#[test]
fn every_command_of_the_walkthrough_runs_and_prints_what_the_readme_shows() {
    if std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_err()
    {
        panic!("the walkthrough needs OpenSSL on PATH");
    }
    let readme_path = common::root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let blocks = blocks(&readme);
    let steps = steps(&blocks, &readme);
    let runs = steps
        .iter()
        .filter(|s| matches!(s, Step::Run { .. }))
        .count();
    assert!(runs >= 5, "{runs} shell blocks in the walkthrough");
    let dir = scratch();
    let out_dir = dir.join("out");
    let ran = run_walkthrough(&script(&steps, &out_dir), &dir);
    let bless = std::env::var_os("EDGELINT_BLESS").is_some();
    let mut blessed = readme.clone();
    let mut failures = Vec::new();
    for (n, step) in steps.iter().enumerate().rev() {
        let Step::Run { script, output } = step else {
            continue;
        };
        let o = out_dir.join(n.to_string());
        let (Ok(got), Ok(status)) = (
            std::fs::read_to_string(&o),
            std::fs::read_to_string(o.with_extension("status")),
        ) else {
            failures.push(format!(
                "this block did not finish (a command failed):\n{script}\nstderr: {}",
                String::from_utf8_lossy(&ran.stderr)
            ));
            continue;
        };
        let status: i32 = status.trim().parse().unwrap();
        match output {
            None if status != 0 => failures.push(format!("exit {status}:\n{script}\n{got}")),
            None => {}
            Some(i) => {
                assert!(status <= 1, "exit {status}:\n{script}\n{got}");
                let clean = got.contains("Found 0 errors") || got.contains("All checks passed");
                if got.contains("\nFound ") || clean {
                    assert_eq!(status, i32::from(!clean), "the exit code of\n{script}");
                }
                if bless {
                    blessed.replace_range(blocks[*i].range.clone(), &got);
                } else if blocks[*i].content != got {
                    failures.push(format!(
                        "the README shows another output for\n{script}\n--- it prints now:\n{got}"
                    ));
                }
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    if bless {
        std::fs::write(&readme_path, blessed).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
