//! Editor integration: the JSON Schema of the topology format (`edgelint schema`), shell
//! completions and the man page.
//!
//! The schema is checked with Ajv (draft-07), installed from the npm registry into the target
//! folder from `tests/ajv/package-lock.json` (pinned, with integrity hashes) on first use. Where
//! `node` or `npm` is missing, or `EDGELINT_SKIP_NODE` is set, those tests say so on the
//! terminal and pass without checking.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use edgelint::load::yaml::{self, plain_type, Node, NodeKind, PlainType};
use edgelint::model::schema::{self, Kind, Mapping};
use serde_json::{json, Map, Value};

const REGENERATE: &str = "cargo run -q -- schema --output schemas/topology-v1.json";

fn stdout(args: &[&str]) -> String {
    let out = common::run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "edgelint {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn the_committed_schema_is_current() {
    let printed = stdout(&["schema"]);
    let committed = std::fs::read_to_string(common::root().join(schema::SCHEMA_PATH))
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; create it with `{REGENERATE}`",
                schema::SCHEMA_PATH
            )
        });
    assert!(
        printed == committed,
        "{} differs from `edgelint schema`: the topology format's tables (src/model/schema.rs) \
         changed. Regenerate it with `{REGENERATE}` and commit it.",
        schema::SCHEMA_PATH
    );
    let parsed: Value = serde_json::from_str(&printed).expect("the schema is JSON");
    assert_eq!(parsed["$schema"], "http://json-schema.org/draft-07/schema#");
}

#[test]
fn schema_output_writes_the_same_text_to_a_file() {
    let file = std::env::temp_dir().join(format!("edgelint-schema-{}.json", std::process::id()));
    assert_eq!(stdout(&["schema", "--output", file.to_str().unwrap()]), "");
    let written = std::fs::read_to_string(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(written, stdout(&["schema"]));
}

#[test]
fn the_example_names_the_schema_for_yaml_language_server() {
    let example = common::root().join("examples/contoso/topology.yaml");
    let text = std::fs::read_to_string(&example).unwrap();
    let first = text.lines().next().unwrap();
    let target = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("first line of the example: {first}"));
    let resolved = example.parent().unwrap().join(target);
    assert_eq!(
        std::fs::canonicalize(resolved).unwrap(),
        std::fs::canonicalize(common::root().join(schema::SCHEMA_PATH)).unwrap()
    );
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&["completions", shell]);
        assert!(!script.trim().is_empty(), "{shell}: empty");
        assert!(script.contains("check"), "{shell}: no `check` in\n{script}");
        // fish writes `-l fail-on`.
        assert!(script.contains("fail-on"), "{shell}: no `fail-on`");
    }
    let out = common::run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

/// roff escapes hyphens (`\-`); the reader sees them plain.
fn unescape_roff(s: &str) -> String {
    s.replace("\\-", "-")
}

#[test]
fn the_man_page() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH EDGELINT 1"), "{page}");
    let plain = unescape_roff(&page);
    for needle in [
        "--format",
        "--fail-on",
        "--now",
        "edgelint-check(1)",
        "edgelint-schema(1)",
        "EXIT STATUS",
        "EDGELINT_PFX_PASSWORD",
    ] {
        assert!(plain.contains(needle), "no {needle} in\n{page}");
    }
    assert!(!plain.contains("edgelint-help(1)"), "{page}");
}

#[test]
fn man_pages_to_a_folder() {
    let dir = std::env::temp_dir().join(format!("edgelint-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(stdout(&["man", "--output-dir", dir.to_str().unwrap()]), "");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let main = std::fs::read_to_string(dir.join("edgelint.1")).unwrap();
    let check = std::fs::read_to_string(dir.join("edgelint-check.1")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(main, stdout(&["man"]));
    assert!(check.contains(".TH EDGELINT-CHECK 1"), "{check}");
    assert!(unescape_roff(&check).contains("--fail-on"));
    for sub in ["check", "completions", "explain", "man", "rules", "schema"] {
        assert!(names.contains(&format!("edgelint-{sub}.1")), "{names:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Validation with Ajv

/// YAML → JSON as an editor sees it (YAML 1.2 core schema): plain scalars by their type,
/// quoted ones as strings. A duplicate key keeps its last value.
fn to_json(n: &Node) -> Value {
    match &n.kind {
        NodeKind::Scalar { value, plain: true } => match plain_type(value) {
            PlainType::Null => Value::Null,
            PlainType::Bool(b) => b.into(),
            PlainType::Int(i) => i.into(),
            PlainType::Float => value
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| value.clone().into(), Value::Number),
            PlainType::Str => value.clone().into(),
        },
        NodeKind::Scalar { value, .. } => value.clone().into(),
        NodeKind::Seq(items) => items.iter().map(to_json).collect(),
        NodeKind::Map(items) => {
            let mut m = Map::new();
            for (k, v) in items {
                let key = match to_json(k) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                m.insert(key, to_json(v));
            }
            Value::Object(m)
        }
    }
}

fn yaml_file_to_json(rel: &str) -> Value {
    let text = std::fs::read_to_string(common::root().join(rel)).unwrap();
    let root = yaml::parse(&text)
        .unwrap_or_else(|e| panic!("{rel}: {}", e.message))
        .unwrap_or_else(|| panic!("{rel}: empty"));
    to_json(&root)
}

/// The folder holding `node_modules/ajv`, installed on first use; `None` (said on the
/// terminal) where Node.js or npm is missing.
fn ajv() -> Option<PathBuf> {
    static AJV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match AJV.get_or_init(install_ajv) {
        Ok(dir) => Some(dir.clone()),
        Err(why) => {
            // Not `eprintln!`: the test harness captures that, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: JSON Schema validation with Ajv: {why}"
            );
            None
        }
    }
}

/// Install Ajv (once per test process), or say why not.
fn install_ajv() -> Result<PathBuf, String> {
    if std::env::var_os("EDGELINT_SKIP_NODE").is_some() {
        return Err("EDGELINT_SKIP_NODE is set".into());
    }
    for tool in ["node", "npm"] {
        let found = std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Err(format!("`{tool}` is not installed"));
        }
    }
    let source = common::root().join("tests/ajv");
    let lock = std::fs::read_to_string(source.join("package-lock.json")).unwrap();
    // A new lock file gets a new folder.
    let tag = lock
        .bytes()
        .fold(lock.len(), |h, b| h.wrapping_mul(31) ^ usize::from(b));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("ajv-{tag:x}"));
    if dir.join("node_modules/ajv/package.json").is_file() {
        return Ok(dir);
    }
    // Install beside it and rename, so that concurrent test runs never see half an install.
    let staging = dir.with_extension(format!("staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).unwrap();
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(source.join(f), staging.join(f)).unwrap();
    }
    let out = std::process::Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
        ])
        .current_dir(&staging)
        .output()
        .expect("npm runs");
    assert!(
        out.status.success(),
        "`npm ci` of tests/ajv failed (set EDGELINT_SKIP_NODE=1 to skip these checks offline):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if std::fs::rename(&staging, &dir).is_err() {
        // Another run installed it first.
        let _ = std::fs::remove_dir_all(&staging);
    }
    assert!(dir.join("node_modules/ajv/package.json").is_file());
    Ok(dir)
}

#[derive(Debug)]
struct Verdict {
    valid: bool,
    /// `instance path: message`
    errors: Vec<String>,
}

/// Validate every document against the generated schema (not the committed file: that one is
/// compared with it above).
fn validate(ajv: &Path, documents: &[Value]) -> Vec<Verdict> {
    let input = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "schema-input-{}-{:?}.json",
        std::process::id(),
        std::thread::current().id()
    ));
    let body = json!({ "schema": schema::json_schema(), "documents": documents });
    std::fs::write(&input, body.to_string()).unwrap();
    let out = std::process::Command::new("node")
        .arg(common::root().join("tests/ajv/validate.cjs"))
        .arg(ajv)
        .arg(&input)
        .output()
        .expect("node runs");
    let _ = std::fs::remove_file(&input);
    assert!(
        out.status.success(),
        "Ajv failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).expect("Ajv's JSON");
    assert_eq!(results.len(), documents.len());
    results
        .iter()
        .map(|r| Verdict {
            valid: r["valid"].as_bool().unwrap(),
            errors: r["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        e["path"].as_str().unwrap(),
                        e["message"].as_str().unwrap()
                    )
                })
                .collect(),
        })
        .collect()
}

#[test]
fn the_example_and_clean_fixtures_are_valid_and_a_broken_one_is_not() {
    let Some(ajv) = ajv() else { return };
    let valid = [
        "examples/contoso/topology.yaml",
        "fixtures/clean/topology.yaml",
        "fixtures/clean-variants/topology.yaml",
    ];
    let bad = "fixtures/t001-schema/topology.yaml";
    let docs: Vec<Value> = valid
        .iter()
        .chain([&bad])
        .map(|f| yaml_file_to_json(f))
        .collect();
    let verdicts = validate(&ajv, &docs);
    for (file, v) in valid.iter().zip(&verdicts) {
        assert!(v.valid, "{file}: {:#?}", v.errors);
    }
    let broken = &verdicts[valid.len()];
    assert!(!broken.valid, "{bad} passes the schema");
    // Each schema error edgelint reports (T001) is one the editor shows too (a duplicate key is
    // the YAML parser's to report: yaml-language-server does).
    for (path, message) in [
        ("", "must NOT have additional properties"),
        ("", "must have required property 'sip_domains'"),
        ("/edge_pools/0/nat", "must be boolean"),
        (
            "/edge_pools/0/external",
            "must NOT have additional properties",
        ),
        (
            "/edge_pools/0/external",
            "must have required property 'web_conferencing_edge'",
        ),
        ("/edge_pools/0/servers", "must be array"),
        (
            "/edge_pools/0/certificates/0/uses/2",
            "must be equal to one of the allowed values",
        ),
        (
            "/edge_pools/0/certificates/0/roll/effective_date",
            "must match pattern",
        ),
    ] {
        assert!(
            broken
                .errors
                .iter()
                .any(|e| e.starts_with(&format!("{path}: {message}"))),
            "no `{path}: {message}` among {:#?}",
            broken.errors
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The schema and the decoder accept the same documents.

/// A valid value of each kind: the decoder and the schema both accept it.
fn sample(kind: Kind) -> Value {
    match kind {
        Kind::Version => json!(1),
        Kind::Text => json!("edge.contoso.com"),
        Kind::Bool => json!(true),
        Kind::Choice(names) => json!(names[0]),
        Kind::Duration => json!("8h"),
        Kind::Timestamp => json!("2027-03-01T06:00:00Z"),
        Kind::Path => json!("certs/edge.pem"),
        Kind::TextList { .. } => json!(["contoso.com"]),
        Kind::PathList => json!(["certs/ca.crt"]),
        Kind::ChoiceList(names) => json!([names[0]]),
        Kind::Map(m) => sample_mapping(m),
        Kind::MapList { item, .. } => json!([sample_mapping(item)]),
        Kind::TextOrMapList(item) => json!(["edge01.contoso.com", sample_mapping(item)]),
    }
}

/// Every key of the mapping, with a valid value. Not `topology_xml`: what a document with it
/// holds depends on the XML file it names, which JSON Schema cannot read (the fixtures with
/// one are compared in `the_schema_agrees_with_edgelint_on_every_fixture`).
fn sample_mapping(m: &Mapping) -> Value {
    let fields: Map<String, Value> = m
        .fields
        .iter()
        .filter(|f| f.key != "topology_xml")
        .map(|f| (f.key.to_string(), sample(f.kind)))
        .collect();
    Value::Object(fields)
}

/// Values of a kind worth trying besides the generic ones: edge cases of its syntax.
fn special_values(kind: Kind) -> Vec<Value> {
    let strings = |v: &[&str]| v.iter().map(|s| json!(s)).collect::<Vec<_>>();
    match kind {
        Kind::Version => vec![json!(2), json!(0), json!("1"), json!(-1)],
        Kind::Choice(names) | Kind::ChoiceList(names) => {
            let mut v = strings(names);
            v.extend(names.iter().map(|n| json!(n.to_ascii_uppercase())));
            v.push(json!(names));
            v.push(json!([names[0], "Nope"]));
            v
        }
        Kind::Duration => strings(&[
            "90m", "2d", "+5m", " 8h ", "08h", "0h", "00m", "8x", "h", "1.5h", "-1h", "8 h", "8H",
            "5µ", "8hh",
        ]),
        Kind::Timestamp => strings(&[
            "2027-03-01t06:00:00z",
            "2027-03-01 06:00:00+01:00",
            "2027-03-01T06:00:00.123-05:30",
            "2027-03-31T23:59:60Z",
            "2027-03-01",
            "2027-03-01T06:00:00",
            "2027-13-01T06:00:00Z",
            "2027-03-00T06:00:00Z",
            "2027-03-01T24:00:00Z",
            "2027-03-01T06:60:00Z",
            "2027-03-01T06:00:00+24:00",
            "2027-03-01T06:00:00.Z",
            "27-03-01T06:00:00Z",
            "next tuesday",
        ]),
        Kind::Path | Kind::PathList => strings(&["  ", "\t", "x", "a b"]),
        Kind::TextList { .. } => vec![json!([]), json!(["a", "b"]), json!([null])],
        Kind::Text | Kind::Bool => vec![],
        Kind::Map(_) | Kind::MapList { .. } | Kind::TextOrMapList(_) => {
            vec![json!([]), json!([{}]), json!(["edge09.contoso.com"])]
        }
    }
}

/// Values of every JSON type.
fn generic_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(false),
        json!(7),
        json!(1.5),
        json!("text"),
        json!(""),
        json!([]),
        json!(["text"]),
        json!([7]),
        json!({}),
        json!({ "zz": 1 }),
    ]
}

/// Replace the value at `path` (object keys and array indices) in a copy of `doc`.
fn with_value(doc: &Value, path: &[PathStep], value: Option<Value>) -> Value {
    let mut doc = doc.clone();
    let (last, parents) = path.split_last().expect("not the root");
    let mut cur = &mut doc;
    for step in parents {
        cur = match step {
            PathStep::Key(k) => &mut cur[k.as_str()],
            PathStep::Index(i) => &mut cur[*i],
        };
    }
    match (last, value) {
        (PathStep::Key(k), Some(v)) => cur[k.as_str()] = v,
        (PathStep::Key(k), None) => {
            cur.as_object_mut().unwrap().remove(k);
        }
        (PathStep::Index(i), Some(v)) => cur[*i] = v,
        (PathStep::Index(i), None) => {
            cur.as_array_mut().unwrap().remove(*i);
        }
    }
    doc
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn path_text(path: &[PathStep]) -> String {
    path.iter()
        .map(|s| match s {
            PathStep::Key(k) => format!("/{k}"),
            PathStep::Index(i) => format!("/{i}"),
        })
        .collect()
}

/// Variants of `doc`: for the mapping `m` at `path`, each key removed, an unknown and a secret
/// key added, and each value replaced by the generic and the kind's special values; then the
/// same inside each nested mapping.
fn mutations(doc: &Value, m: &Mapping, path: Vec<PathStep>, out: &mut Vec<(String, Value)>) {
    let at = path_text(&path);
    for extra in ["zz_unknown", "password"] {
        let mut p = path.clone();
        p.push(PathStep::Key(extra.into()));
        out.push((
            format!("{at}: add `{extra}`"),
            with_value(doc, &p, Some(json!("x"))),
        ));
    }
    for f in m.fields {
        let mut p = path.clone();
        p.push(PathStep::Key(f.key.into()));
        let here = path_text(&p);
        out.push((format!("{here}: removed"), with_value(doc, &p, None)));
        for v in generic_values().into_iter().chain(special_values(f.kind)) {
            out.push((format!("{here} = {v}"), with_value(doc, &p, Some(v))));
        }
        let items = |p: &Vec<PathStep>, i: usize| {
            let mut q = p.clone();
            q.push(PathStep::Index(i));
            q
        };
        match f.kind {
            Kind::Map(inner) => mutations(doc, inner, p, out),
            Kind::MapList { item, .. } => mutations(doc, item, items(&p, 0), out),
            Kind::TextOrMapList(item) => {
                for v in generic_values() {
                    out.push((
                        format!("{here}/0 = {v}"),
                        with_value(doc, &items(&p, 0), Some(v)),
                    ));
                }
                mutations(doc, item, items(&p, 1), out);
            }
            Kind::TextList { .. } | Kind::PathList | Kind::ChoiceList(_) => {
                for v in generic_values().into_iter().chain(special_values(f.kind)) {
                    let described = format!("{here}/0 = {v}");
                    out.push((described, with_value(doc, &items(&p, 0), Some(v))));
                }
            }
            _ => {}
        }
    }
}

/// What edgelint's decoder says of a document: the problems T001 and T005 report.
fn decoder_problems(doc: &Value) -> Vec<String> {
    // JSON is YAML: the decoder reads the same text the schema checks.
    let text = doc.to_string();
    let file = edgelint::load::topology_from_text(
        Path::new("mutant/topology.yaml"),
        Arc::from("mutant/topology.yaml"),
        &text,
        true,
    )
    .expect("a topology");
    // A `topology_xml` that names no file: a finding about the file system, not the format.
    file.problems
        .iter()
        .map(|p| p.message.clone())
        .filter(|m| {
            !(m.starts_with("`topology_xml`") && m.ends_with("cannot be read: no such file"))
        })
        .collect()
}

#[test]
fn the_schema_and_the_decoder_accept_the_same_documents() {
    let Some(ajv) = ajv() else { return };
    let base = sample_mapping(&schema::TOPOLOGY);
    assert_eq!(
        decoder_problems(&base),
        Vec::<String>::new(),
        "the document with every key: {base:#}"
    );
    let mut cases = vec![("every key".to_string(), base.clone())];
    mutations(&base, &schema::TOPOLOGY, Vec::new(), &mut cases);
    assert!(cases.len() > 1000, "{} cases", cases.len());
    let docs: Vec<Value> = cases.iter().map(|(_, d)| d.clone()).collect();
    let verdicts = validate(&ajv, &docs);
    let mut disagreements = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for ((what, doc), verdict) in cases.iter().zip(&verdicts) {
        let problems = decoder_problems(doc);
        if problems.is_empty() != verdict.valid {
            disagreements.push(format!(
                "{what}\n  edgelint: {problems:?}\n  schema: {:?}",
                verdict.errors
            ));
        }
        if verdict.valid {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert!(
        disagreements.is_empty(),
        "the schema and the decoder disagree on {} of {} documents:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
    // Both verdicts are exercised.
    assert!(
        valid > 100 && invalid > 500,
        "{valid} valid, {invalid} invalid"
    );
}

/// Where JSON Schema (a regular expression) cannot follow the decoder, the schema is the laxer:
/// an editor never flags what edgelint accepts, and edgelint still reports these.
#[test]
fn known_gaps_are_where_the_schema_is_laxer() {
    let Some(ajv) = ajv() else { return };
    let base = sample_mapping(&schema::TOPOLOGY);
    let roll = [
        PathStep::Key("edge_pools".into()),
        PathStep::Index(0),
        PathStep::Key("certificates".into()),
        PathStep::Index(0),
        PathStep::Key("roll".into()),
        PathStep::Key("effective_date".into()),
    ];
    let lifetime = [
        PathStep::Key("edge_pools".into()),
        PathStep::Index(0),
        PathStep::Key("token_lifetime".into()),
    ];
    let gaps = [
        // A day past the month's end.
        with_value(&base, &roll, Some(json!("2027-02-30T06:00:00Z"))),
        // A leap second on a day that is not a month's last.
        with_value(&base, &roll, Some(json!("2027-03-01T23:59:60Z"))),
        // A duration too long to represent, and one beyond MaxTokenLifetime's 180 days.
        with_value(&base, &lifetime, Some(json!("999999999999999d"))),
        with_value(&base, &lifetime, Some(json!("100000h"))),
        with_value(&base, &lifetime, Some(json!("181d"))),
    ];
    let verdicts = validate(&ajv, &gaps);
    for (doc, v) in gaps.iter().zip(verdicts) {
        assert!(v.valid, "{:?}", v.errors);
        assert!(!decoder_problems(doc).is_empty(), "{doc}");
    }
}

/// Every topology file among the fixtures: the schema rejects it exactly when edgelint
/// reports a schema problem, except where JSON Schema cannot see what the decoder does.
#[test]
fn the_schema_agrees_with_edgelint_on_every_fixture() {
    let Some(ajv) = ajv() else { return };
    let mut files = Vec::new();
    let mut stack = vec![
        common::root().join("fixtures"),
        common::root().join("examples"),
    ];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut checked = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(Some(root)) = yaml::parse(&text) else {
            continue;
        };
        if !edgelint::load::topology::is_topology_root(&root) {
            continue;
        }
        let file = edgelint::load::topology_from_text(
            &path,
            Arc::from(path.to_string_lossy().as_ref()),
            &text,
            true,
        )
        .expect("a topology");
        // Beyond JSON Schema: duplicate keys (a JSON object has none; yaml-language-server
        // reports them itself), unique pool names and one current and one staged certificate
        // per use and level; a token lifetime beyond MaxTokenLifetime's range (a pattern cannot
        // compare numbers).
        let beyond = |m: &str| {
            m.contains("topology XML")
                || m.starts_with("`topology_xml`")
                || m.starts_with("duplicate key")
                || m.contains("outside MaxTokenLifetime's range")
                || m.contains("is used twice in this file")
                || (m.starts_with("two ") && m.contains(" certificates for "))
        };
        if file.problems.iter().any(|p| beyond(&p.message)) {
            continue;
        }
        let rel = path
            .strip_prefix(common::root())
            .unwrap()
            .display()
            .to_string();
        // Advisories (a `\` path read as `/`) are warnings about a valid document.
        let messages: Vec<String> = file
            .problems
            .iter()
            .filter(|p| p.kind != edgelint::model::topology::ProblemKind::Advisory)
            .map(|p| p.message.clone())
            .collect();
        checked.push((rel, to_json(&root), messages));
    }
    assert!(checked.len() > 40, "{} topology files", checked.len());
    let docs: Vec<Value> = checked.iter().map(|(_, d, _)| d.clone()).collect();
    let verdicts = validate(&ajv, &docs);
    let disagreements: Vec<String> = checked
        .iter()
        .zip(&verdicts)
        .filter(|((_, _, problems), v)| problems.is_empty() != v.valid)
        .map(|((rel, _, problems), v)| {
            format!("{rel}\n  edgelint: {problems:?}\n  schema: {:?}", v.errors)
        })
        .collect();
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
