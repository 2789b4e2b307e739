//! `--format sarif`: the document describes every rule, its results agree with `--format json`,
//! fingerprints survive moved lines, and Microsoft's SARIF Multitool and the SARIF 2.1.0 JSON
//! schema accept real output (tests/sarif/validate.sh, which installs them from npm).

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// `check --format sarif --now NOW ARGS` in `dir`: the exit code and the document, which must be
/// all of standard output.
fn sarif_in(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "sarif", "--now", common::NOW];
    all.extend_from_slice(args);
    let out = common::edgelint()
        .current_dir(dir)
        .args(&all)
        .output()
        .expect("edgelint runs");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "standard output is not one JSON document ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

fn sarif(args: &[&str]) -> (i32, Value) {
    sarif_in(common::root(), args)
}

fn run0(doc: &Value) -> &Value {
    &doc["runs"][0]
}

fn results(doc: &Value) -> &Vec<Value> {
    run0(doc)["results"].as_array().expect("results array")
}

fn rules(doc: &Value) -> &Vec<Value> {
    run0(doc)["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules array")
}

fn level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "note",
        other => panic!("unknown severity {other}"),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_document_is_sarif_2_1_0_with_relative_uris() {
    let (code, doc) = sarif(&["examples/contoso"]);
    assert_eq!(code, 1);
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(
        doc["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = run0(&doc);
    assert_eq!(run["tool"]["driver"]["name"], "edgelint");
    assert_eq!(
        run["tool"]["driver"]["semanticVersion"],
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"].is_object());
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    for r in results(&doc) {
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        for l in locations
            .iter()
            .chain(r["relatedLocations"].as_array().into_iter().flatten())
        {
            let artifact = &l["physicalLocation"]["artifactLocation"];
            let uri = artifact["uri"].as_str().unwrap();
            assert!(uri.starts_with("examples/contoso/"), "{uri}");
            assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        }
    }
}

#[test]
fn every_rule_is_described() {
    let (_, doc) = sarif(&["examples/contoso"]);
    let listed = common::run(&["rules"]);
    let listed = String::from_utf8(listed.stdout).unwrap();
    let expected: Vec<(String, String, String)> = listed
        .lines()
        .map(|l| {
            let mut f = l.split_whitespace();
            let code = f.next().unwrap().to_string();
            let name = f.next().unwrap().to_string();
            let severity = f.next().unwrap().to_string();
            (code, name, severity)
        })
        .collect();
    let rules = rules(&doc);
    assert_eq!(rules.len(), expected.len());
    for (code, name, severity) in &expected {
        let r = rules
            .iter()
            .find(|r| r["id"] == code.as_str())
            .unwrap_or_else(|| panic!("{code} is not described"));
        assert_eq!(r["name"], name.as_str());
        assert_eq!(
            r["defaultConfiguration"]["level"],
            level(severity),
            "{code}"
        );
        for key in ["shortDescription", "fullDescription"] {
            let text = r[key]["text"].as_str().unwrap();
            assert!(
                !text.is_empty() && text.chars().count() <= 1024,
                "{code} {key}"
            );
        }
        let page = common::run(&["explain", code]);
        let page = String::from_utf8(page.stdout).unwrap();
        assert!(
            page.contains(r["help"]["markdown"].as_str().unwrap().trim()),
            "{code}: help is its documentation page"
        );
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        assert_eq!(
            r["helpUri"],
            format!("{}{code}.md", edgelint::rules::DOCS_URL).as_str()
        );
    }
}

#[test]
fn results_agree_with_the_json_format() {
    let (_, doc) = sarif(&["examples/contoso"]);
    let json = common::json(&["examples/contoso"]);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let results = results(&doc);
    let rules = rules(&doc);
    assert_eq!(results.len(), diagnostics.len());
    assert!(results.iter().any(|r| r["level"] == "note"), "info is note");
    for (r, d) in results.iter().zip(diagnostics) {
        assert_eq!(r["ruleId"], d["code"]);
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], d["code"]);
        assert_eq!(r["level"], level(d["severity"].as_str().unwrap()));
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(d["message"].as_str().unwrap()), "{text}");
        if let Some(help) = d["help"].as_str() {
            assert!(text.contains(&format!("help: {help}")), "{text}");
        }
        let pl = &r["locations"][0]["physicalLocation"];
        assert_eq!(pl["artifactLocation"]["uri"], d["file"]);
        let region = &pl["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        assert_eq!(region["endLine"], d["end_line"]);
        assert_eq!(region["endColumn"], d["end_column"]);
        let related = d["related"].as_array().unwrap();
        let sarif_related = r["relatedLocations"].as_array().map_or(&[][..], |v| v);
        assert_eq!(sarif_related.len(), related.len());
        for (i, (s, j)) in sarif_related.iter().zip(related).enumerate() {
            assert_eq!(s["id"], i + 1);
            assert_eq!(s["message"]["text"], j["message"]);
            let spl = &s["physicalLocation"];
            assert_eq!(spl["artifactLocation"]["uri"], j["file"]);
            assert_eq!(spl["region"]["startLine"], j["line"]);
            assert_eq!(spl["region"]["startColumn"], j["column"]);
            assert_eq!(spl["region"]["endLine"], j["end_line"]);
            assert_eq!(spl["region"]["endColumn"], j["end_column"]);
            // The message links to each secondary place.
            assert!(text.contains(&format!("]({})", i + 1)), "{text}");
        }
        let fp = &r["partialFingerprints"];
        assert!(fp["edgelint/v1"].as_str().is_some_and(|s| s.len() == 32));
        assert!(fp["primaryLocationLineHash"].as_str().is_some());
    }
    // N002 has a secondary label: the Web Conferencing Edge FQDN of the pool.
    let n002 = results.iter().find(|r| r["ruleId"] == "N002").unwrap();
    assert_eq!(
        n002["relatedLocations"][0]["message"]["text"],
        "Web Conferencing Edge FQDN defined here"
    );
    assert_eq!(
        n002["locations"][0]["message"]["text"],
        "SAN lacks webcon.contoso.com"
    );
}

#[test]
fn a_command_line_finding_is_a_configuration_notification() {
    let dir = scratch("sarif-command-line");
    let file = dir.join("e002.sarif");
    let file_arg = file.to_str().unwrap();
    // --output-file takes the SARIF document; the concise format still goes to standard output.
    let out = common::run(&[
        "check",
        "fixtures/e002",
        "--config",
        "fixtures/e002/edgelint.toml",
        "--select",
        "E002,K9",
        "--now",
        common::NOW,
        "--format",
        "sarif",
        "--output-file",
        file_arg,
        "--format",
        "concise",
    ]);
    let concise = String::from_utf8(out.stdout).unwrap();
    assert!(concise.contains("<command line>:1:1: warning: `K9` names no rule [E002]"));
    let doc: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let results = results(&doc);
    assert_eq!(
        results.len(),
        3,
        "the findings in edgelint.toml are results"
    );
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "fixtures/e002/edgelint.toml"
        );
    }
    let notes = run0(&doc)["invocations"][0]["toolConfigurationNotifications"]
        .as_array()
        .expect("the command-line finding is a notification");
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["associatedRule"]["id"], "E002");
    assert_eq!(notes[0]["level"], "warning");
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("`K9` names no rule"));
    assert!(notes[0].get("locations").is_none());
}

#[test]
fn fingerprints_survive_moved_lines_and_the_passing_days() {
    let dir = scratch("sarif-moved");
    copy_dir(&common::root().join("examples/contoso"), &dir);
    let fingerprints = |doc: &Value| -> BTreeMap<String, (String, u64)> {
        results(doc)
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["primaryLocationLineHash"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    (
                        r["ruleId"].as_str().unwrap().to_string(),
                        r["locations"][0]["physicalLocation"]["region"]["startLine"]
                            .as_u64()
                            .unwrap(),
                    ),
                )
            })
            .collect()
    };
    let (_, before) = sarif_in(&dir, &[]);
    let before = fingerprints(&before);
    assert_eq!(before.len(), 10, "one fingerprint per result");

    let topology = dir.join("topology.yaml");
    let text = std::fs::read_to_string(&topology).unwrap();
    std::fs::write(&topology, format!("# moved\n# by two lines\n{text}")).unwrap();
    let (_, after) = sarif_in(&dir, &[]);
    let after = fingerprints(&after);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (fp, (code, line)) in &before {
        assert_eq!(after[fp], (code.clone(), line + 2), "{code}");
    }

    // V003 says "in 18 days" today and "in 17 days" tomorrow: the same alert.
    let (_, tomorrow) = sarif_in(&dir, &["--now", "2026-11-27T12:00:00Z"]);
    let v003 = |doc: &Value| {
        results(doc)
            .iter()
            .find(|r| r["ruleId"] == "V003")
            .map(|r| r["partialFingerprints"].clone())
            .unwrap()
    };
    let (_, today) = sarif_in(&dir, &[]);
    assert_ne!(
        results(&today)
            .iter()
            .find(|r| r["ruleId"] == "V003")
            .unwrap()["message"],
        results(&tomorrow)
            .iter()
            .find(|r| r["ruleId"] == "V003")
            .unwrap()["message"]
    );
    assert_eq!(v003(&today), v003(&tomorrow));
}

#[test]
fn every_rule_has_a_short_full_description() {
    let (_, doc) = sarif(&["examples/contoso"]);
    let all = rules(&doc);
    assert_eq!(all.len(), edgelint::rules::registry().len());
    for r in all {
        let full = r["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.starts_with('#'), "{}: {full}", r["id"]);
        assert!(full.chars().count() <= 1024, "{}", r["id"]);
    }
}

#[test]
fn rule_pack_rules_have_no_help_uri() {
    let (_, doc) = sarif(&[
        "examples/contoso",
        "--config",
        "examples/rule-pack/.edgelint.toml",
    ]);
    let x101 = rules(&doc).iter().find(|r| r["id"] == "X101").unwrap();
    assert!(x101.get("helpUri").is_none());
    assert!(x101["help"]["text"].as_str().unwrap().contains("4096"));
    assert!(results(&doc).iter().any(|r| r["ruleId"] == "X101"));
}

/// Real output through Microsoft's SARIF Multitool and the SARIF 2.1.0 schema. Skipped (said on
/// the terminal) only when Node.js or npm is not installed, or `EDGELINT_SKIP_NODE` is set;
/// every other problem fails the test.
#[test]
fn multitool_and_json_schema_accept_real_output() {
    if let Some(why) = node_missing() {
        // Not `eprintln!`: the test harness captures that, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: SARIF validation with the SARIF Multitool and the JSON schema: {why}"
        );
        return;
    }
    let dir = scratch("sarif-validate");
    let outside = std::env::temp_dir().join(format!("edgelint-sarif-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&outside);
    copy_dir(&common::root().join("examples/contoso"), &outside);
    let outside_arg = outside.to_str().unwrap();
    let runs: &[(&str, &[&str])] = &[
        ("contoso.sarif", &["examples/contoso"]),
        (
            "e002.sarif",
            &[
                "fixtures/e002",
                "--config",
                "fixtures/e002/edgelint.toml",
                "--select",
                "E002,K9",
            ],
        ),
        (
            "rule-pack.sarif",
            &[
                "examples/contoso",
                "--config",
                "examples/rule-pack/.edgelint.toml",
            ],
        ),
        ("clean.sarif", &["fixtures/clean"]),
        // Findings on certificate files (line 1, column 1 of a binary file).
        ("t003.sarif", &["fixtures/t003", "--select", "T003"]),
        (
            "c001.sarif",
            &["fixtures/c001-unreferenced", "--select", "C"],
        ),
        // A plan outside the working folder: absolute `file:` URIs.
        ("outside.sarif", &[outside_arg]),
    ];
    let mut files = Vec::new();
    for (name, args) in runs {
        // Standard output as it is, byte for byte.
        let mut all = vec!["check", "--format", "sarif", "--now", common::NOW];
        all.extend_from_slice(args);
        let path = dir.join(name);
        std::fs::write(&path, common::run(&all).stdout).unwrap();
        files.push(path);
    }
    let (_, doc) = sarif(&[outside_arg]);
    let _ = std::fs::remove_dir_all(&outside);
    let uri = results(&doc)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    let (_, clean) = sarif(&["fixtures/clean"]);
    assert_eq!(
        results(&clean).len(),
        0,
        "a clean run has an empty results array"
    );

    let out = Command::new(common::root().join("tests/sarif/validate.sh"))
        .args(&files)
        .output()
        .expect("tests/sarif/validate.sh runs (bash)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The validators' summary, shown with `--nocapture`.
    println!("{stdout}");
    if !out.status.success() {
        let mut logs = String::new();
        for f in &files {
            let log = f.with_extension("sarif.validation.sarif");
            logs.push_str(&format!(
                "--- {}\n{}\n",
                log.display(),
                std::fs::read_to_string(&log).unwrap_or_else(|e| format!("({e})"))
            ));
        }
        panic!("SARIF validation failed\n{stdout}\n{stderr}\n{logs}");
    }
    assert_eq!(
        stdout.matches("multitool: 0 error(s)").count(),
        files.len(),
        "{stdout}"
    );
    assert_eq!(stdout.matches(" valid\n").count(), files.len(), "{stdout}");

    // The script fails on a document GitHub would reject, though the Multitool exits 0 on it.
    let (_, mut broken) = sarif(&["examples/contoso"]);
    broken["runs"][0]["results"][0]["locations"] = serde_json::json!([]);
    let path = dir.join("broken.sarif");
    std::fs::write(&path, serde_json::to_vec(&broken).unwrap()).unwrap();
    let out = Command::new(common::root().join("tests/sarif/validate.sh"))
        .arg(&path)
        .output()
        .expect("tests/sarif/validate.sh runs (bash)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stdout.contains("error GH1015"), "{stdout}");
}

/// Why the npm-based validation cannot run here, if it cannot.
fn node_missing() -> Option<String> {
    if std::env::var_os("EDGELINT_SKIP_NODE").is_some() {
        return Some("EDGELINT_SKIP_NODE is set".into());
    }
    for tool in ["node", "npm"] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!("`{tool}` is not installed"));
        }
    }
    None
}
