//! The problem matchers that README documents: `.github/edgelint-problem-matcher.json`
//! (`::add-matcher::`) and `examples/vscode/tasks.json`, applied to real `--format concise`
//! output the way the GitHub Actions runner and VS Code apply them.

mod common;

use regex::Regex;
use serde_json::Value;

fn read_json(path: &str) -> Value {
    let text = std::fs::read_to_string(common::root().join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not strict JSON: {e}"))
}

/// A single-line pattern: the regular expression and the group index of each field.
struct Pattern {
    regex: Regex,
    file: usize,
    line: usize,
    column: usize,
    severity: usize,
    message: usize,
    code: usize,
}

fn pattern(p: &Value) -> Pattern {
    let source = p["regexp"].as_str().expect("regexp");
    let regex = Regex::new(source).expect("the regexp compiles");
    let group = |name: &str| {
        let i = p[name]
            .as_u64()
            .unwrap_or_else(|| panic!("`{name}` is set")) as usize;
        // The runner rejects an index beyond the groups of the expression.
        assert!(i >= 1 && i < regex.captures_len(), "`{name}` = {i}");
        i
    };
    Pattern {
        file: group("file"),
        line: group("line"),
        column: group("column"),
        severity: group("severity"),
        message: group("message"),
        code: group("code"),
        regex,
    }
}

/// What a matcher reports for a line: (file, line, column, severity, code, message).
type Problem = (String, String, String, String, String, String);

fn apply(p: &Pattern, default_severity: &str, line: &str) -> Option<Problem> {
    let c = p.regex.captures(line)?;
    let get = |i: usize| c.get(i).map_or("", |m| m.as_str()).to_string();
    // The runner: an empty severity group means the matcher's default severity.
    let severity = match get(p.severity) {
        s if s.is_empty() => default_severity.to_string(),
        s => s,
    };
    Some((
        get(p.file),
        get(p.line),
        get(p.column),
        severity,
        get(p.code),
        get(p.message),
    ))
}

/// Concise output and the JSON diagnostics of the same runs.
fn runs() -> Vec<(String, Value)> {
    let cases: [&[&str]; 3] = [
        &["examples/contoso"],
        &[
            "fixtures/e002",
            "--config",
            "fixtures/e002/edgelint.toml",
            "--select",
            "E002,K9",
        ],
        &["fixtures/t002"],
    ];
    cases
        .iter()
        .map(|args| {
            let mut all = vec!["check", "--format", "concise", "--now", common::NOW];
            all.extend_from_slice(args);
            let out = common::run(&all);
            (
                String::from_utf8(out.stdout).unwrap(),
                common::json(args)["diagnostics"].clone(),
            )
        })
        .collect()
}

fn check_every_line(p: &Pattern, default_severity: &str, severity: fn(&str) -> &'static str) {
    let mut seen = std::collections::BTreeSet::new();
    for (concise, diagnostics) in runs() {
        let diagnostics = diagnostics.as_array().unwrap();
        let lines: Vec<&str> = concise.lines().collect();
        assert_eq!(lines.len(), diagnostics.len());
        for (line, d) in lines.iter().zip(diagnostics) {
            let got = apply(p, default_severity, line)
                .unwrap_or_else(|| panic!("the matcher misses {line:?}"));
            let expected: Problem = (
                d["file"].as_str().unwrap().to_string(),
                d["line"].to_string(),
                d["column"].to_string(),
                severity(d["severity"].as_str().unwrap()).to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            );
            assert_eq!(got, expected, "{line}");
            seen.insert(got.3);
        }
    }
    assert_eq!(
        seen.len(),
        3,
        "errors, warnings and infos were all matched: {seen:?}"
    );
}

#[test]
fn github_matcher_reads_concise_output() {
    let doc = read_json(".github/edgelint-problem-matcher.json");
    let matchers = doc["problemMatcher"].as_array().expect("problemMatcher");
    assert_eq!(matchers.len(), 1);
    let m = &matchers[0];
    assert_eq!(
        m["owner"], "edgelint",
        "`::remove-matcher owner=edgelint::`"
    );
    // The runner accepts error, warning and notice as the default severity.
    let default = m["severity"].as_str().expect("a default severity");
    assert!(["error", "warning", "notice"].contains(&default));
    let patterns = m["pattern"].as_array().unwrap();
    assert_eq!(patterns.len(), 1);
    let p = pattern(&patterns[0]);
    // GitHub knows error, warning and notice; an `info` line leaves the severity group
    // empty and takes the default, notice.
    check_every_line(&p, default, |s| match s {
        "error" => "error",
        "warning" => "warning",
        _ => "notice",
    });
    // Other output (the human format's frames, a summary) is not a problem.
    for line in [
        "  help: request a certificate",
        "edgelint: 3 errors",
        " 22 │           - file: certs/edge02-external.pfx",
    ] {
        assert!(apply(&p, default, line).is_none(), "{line}");
    }
}

#[test]
fn vscode_task_reads_concise_output() {
    let doc = read_json("examples/vscode/tasks.json");
    let task = doc["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "edgelint")
        .expect("an edgelint task");
    let args: Vec<&str> = task["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(task["command"], "edgelint");
    assert!(args.windows(2).any(|w| w == ["--format", "concise"]));
    let matcher = &task["problemMatcher"];
    assert_eq!(matcher["owner"], "edgelint");
    let p = pattern(&matcher["pattern"]);
    // VS Code knows error, warning and info.
    check_every_line(&p, "error", |s| match s {
        "error" => "error",
        "warning" => "warning",
        _ => "info",
    });
}

#[test]
fn the_integrations_page_quotes_both_files_verbatim() {
    let readme = std::fs::read_to_string(common::root().join("docs/integrations.md")).unwrap();
    for path in [
        ".github/edgelint-problem-matcher.json",
        "examples/vscode/tasks.json",
    ] {
        let text = std::fs::read_to_string(common::root().join(path)).unwrap();
        assert!(
            readme.contains(&format!("```json\n{text}```\n")),
            "docs/integrations.md must quote {path} as it is committed"
        );
    }
}
