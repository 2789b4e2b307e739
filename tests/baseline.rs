//! Baselines survive edits that move lines or insert entries; statistics count per rule.

mod common;

use std::path::{Path, PathBuf};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn temp_example(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("edgelint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&common::root().join("examples/contoso"), &dir);
    dir
}

fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = common::edgelint()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_baseline_hides_known_findings_and_survives_moved_lines() {
    let dir = temp_example("baseline");
    let (code, out) = run_in(
        &dir,
        &[
            "check",
            ".",
            "--now",
            common::NOW,
            "--format",
            "concise",
            "--write-baseline",
            "baseline.json",
        ],
    );
    assert_eq!(
        (code, out.as_str()),
        (Some(0), ""),
        "writing a baseline makes the current findings baselined"
    );
    let text = std::fs::read_to_string(dir.join("baseline.json")).unwrap();
    assert!(text.contains("\"path\": \".edge_pools[name=edge-ams].servers[fqdn=edge02.corp.contoso.com].certificates[file=certs/edge02-external.pfx].file\""), "{text}");
    assert!(!text.contains("\"line\""), "no line numbers in a baseline");

    // Insert lines at the top and a SIP domain: every old finding moves; only new ones show.
    let topology = dir.join("topology.yaml");
    let t = std::fs::read_to_string(&topology).unwrap();
    let t = format!(
        "# three\n# more\n# lines\n{}",
        t.replace(
            "  - fabrikam.com\n",
            "  - fabrikam.com\n  - tailspintoys.com\n"
        )
    );
    std::fs::write(&topology, t).unwrap();
    // A week later: V003's "in N days" changed, and it is still the same finding.
    let (code, out) = run_in(
        &dir,
        &[
            "check",
            ".",
            "--now",
            "2026-12-03T12:00:00Z",
            "--format",
            "concise",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines.iter().all(|l| l.contains("tailspintoys.com")),
        "{out}"
    );

    let (_, json) = run_in(
        &dir,
        &[
            "check",
            ".",
            "--now",
            "2026-12-03T12:00:00Z",
            "--format",
            "json",
            "--baseline",
            "baseline.json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["summary"]["baselined"], 10);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_replaced_certificate_is_judged_afresh() {
    let dir = temp_example("baseline-cert");
    run_in(
        &dir,
        &[
            "check",
            ".",
            "--now",
            common::NOW,
            "--write-baseline",
            "baseline.json",
        ],
    );
    // Another certificate under the same name: its findings are new.
    std::fs::copy(
        common::root().join("fixtures/certs/external-no-webcon.pfx"),
        dir.join("certs/edge02-external.pfx"),
    )
    .unwrap();
    let (_, out) = run_in(
        &dir,
        &[
            "check",
            ".",
            "--now",
            common::NOW,
            "--format",
            "concise",
            "--baseline",
            "baseline.json",
            "--select",
            "N002",
        ],
    );
    assert_eq!(out, "topology.yaml:23:19: error: certificate certs/edge02-external.pfx lacks SAN webcon.contoso.com (Web Conferencing Edge of pool edge-ams) [N002]\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_invalid_baseline_is_exit_2() {
    let dir = temp_example("baseline-bad");
    std::fs::write(
        dir.join("baseline.json"),
        "{\"version\": 1, \"entries\": [{\"code\": 3}]}",
    )
    .unwrap();
    let out = common::edgelint()
        .current_dir(&dir)
        .args(["check", ".", "--baseline", "baseline.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid baseline"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn statistics_count_findings_per_rule() {
    let out = common::run(&[
        "check",
        "examples/contoso",
        "--now",
        common::NOW,
        "--statistics",
    ]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "    3  N004  san-missing-av-edge\n    1  K003  private-key-not-exportable\n    1  N002  san-missing-web-conferencing-edge\n    1  N003  san-missing-sip-domain\n    1  P003  pool-external-certificate-differs\n    1  T006  invalid-fqdn\n    1  V003  certificate-expiring-soon\n    1  W001  reverse-proxy-san-missing\n"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn writing_a_baseline_says_what_it_recorded_and_never_that_all_passed() {
    let dir = temp_example("baseline-human");
    let (code, out) = run_in(
        &dir,
        &[
            "check",
            ".",
            "--now",
            common::NOW,
            "--write-baseline",
            "baseline.json",
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, Some(0));
    assert!(!out.contains("passed"), "{out}");
    assert!(
        out.starts_with("Recorded ")
            && out.contains("runs with --baseline report only findings not in it"),
        "{out}"
    );
}
