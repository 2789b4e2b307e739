//! `--format github`: workflow commands as the Actions runner parses them, with the documented
//! escaping (actions/toolkit `command.ts`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// One parsed workflow command: `::kind key=value,...::data`, values and data unescaped the
/// way the runner does it.
#[derive(Debug)]
struct Command {
    kind: String,
    props: BTreeMap<String, String>,
    data: String,
    raw_props: String,
}

fn unescape_data(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

fn unescape_property(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn parse(line: &str) -> Command {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let end = rest.find("::").expect("a second ::");
    let (head, data) = (&rest[..end], &rest[end + 2..]);
    let (kind, raw_props) = head.split_once(' ').unwrap_or((head, ""));
    let props = raw_props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), unescape_property(v))
        })
        .collect();
    Command {
        kind: kind.to_string(),
        props,
        data: unescape_data(data),
        raw_props: raw_props.to_string(),
    }
}

fn github_in(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["check", "--format", "github", "--now", common::NOW];
    all.extend_from_slice(args);
    let out = common::edgelint()
        .current_dir(dir)
        .args(&all)
        .output()
        .expect("edgelint runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn kind(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        "info" => "notice",
        other => panic!("unknown severity {other}"),
    }
}

#[test]
fn one_command_per_finding_agreeing_with_the_json_format() {
    let text = github_in(common::root(), &["examples/contoso"]);
    let json = common::json(&["examples/contoso"]);
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), diagnostics.len(), "{text}");
    let mut kinds = std::collections::BTreeSet::new();
    for (line, d) in lines.iter().zip(diagnostics) {
        let c = parse(line);
        kinds.insert(c.kind.clone());
        assert_eq!(c.kind, kind(d["severity"].as_str().unwrap()), "{line}");
        // The property order GitHub documents.
        let keys: Vec<&str> = c
            .raw_props
            .split(',')
            .map(|p| p.split('=').next().unwrap())
            .collect();
        assert_eq!(
            keys,
            ["file", "line", "col", "endLine", "endColumn", "title"],
            "{line}"
        );
        assert_eq!(c.props["file"], d["file"].as_str().unwrap());
        assert_eq!(c.props["line"], d["line"].to_string());
        assert_eq!(c.props["col"], d["column"].to_string());
        assert_eq!(c.props["endLine"], d["end_line"].to_string());
        assert_eq!(c.props["endColumn"], d["end_column"].to_string());
        assert_eq!(
            c.props["title"],
            format!(
                "{} ({})",
                d["code"].as_str().unwrap(),
                d["name"].as_str().unwrap()
            )
        );
        let first = c.data.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "{}:{}:{}: {} [{}]",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        );
        if let Some(help) = d["help"].as_str() {
            assert!(c.data.contains(&format!("\nhelp: {help}")), "{}", c.data);
        }
        for r in d["related"].as_array().unwrap() {
            let place = format!(
                "\n{}:{}:{}: {}",
                r["file"].as_str().unwrap(),
                r["line"],
                r["column"],
                r["message"].as_str().unwrap()
            );
            assert!(c.data.contains(&place), "{}", c.data);
        }
        // Nothing unescaped is left that the runner would misread.
        assert!(!line.contains('\r'));
        let raw_data = &line[line[2..].find("::").unwrap() + 4..];
        assert!(!raw_data.contains('\n'));
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["error", "notice", "warning"]
    );
    // N002's help spans two lines (the request command): one command, `%0A` inside.
    assert!(text.contains("sip.fabrikam.com%0ARequest-CsCertificate -New"));
}

#[test]
fn special_characters_are_escaped_in_properties_and_message() {
    // A plan whose file name and referenced file carry every character GitHub wants escaped.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("github-escaping");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let plan = "edge, plan: 100%.yaml";
    std::fs::write(
        dir.join(plan),
        "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: edge-ams\n    \
         internal_fqdn: edgepool.corp.contoso.com\n    external:\n      access_edge: sip.contoso.com\n      \
         web_conferencing_edge: webcon.contoso.com\n      av_edge: av.contoso.com\n    \
         servers: [edge01.corp.contoso.com]\n    certificates:\n      \
         - file: \"certs/a, b: 50%.crt\"\n        uses: [Internal]\n",
    )
    .unwrap();
    let text = github_in(&dir, &["--select", "T002"]);
    let line = text
        .lines()
        .find(|l| l.contains("T002"))
        .unwrap_or_else(|| panic!("a T002 finding:\n{text}"));
    assert!(
        line.starts_with("::error file=edge%2C plan%3A 100%25.yaml,line=12,col=15,"),
        "{line}"
    );
    // In the message only %, CR and LF are escaped; `:` and `,` stay.
    let data = &line[line[2..].find("::").unwrap() + 4..];
    assert!(
        data.starts_with("edge, plan: 100%25.yaml:12:15: `file` file certs/a, b: 50%25.crt"),
        "{data}"
    );
    let c = parse(line);
    assert_eq!(c.props["file"], plan);
    assert_eq!(c.props["title"], "T002 (file-not-found)");
    assert!(c.data.contains("certs/a, b: 50%.crt"));
}

#[test]
fn a_command_line_finding_has_no_file() {
    let text = github_in(
        common::root(),
        &[
            "fixtures/e002",
            "--config",
            "fixtures/e002/edgelint.toml",
            "--select",
            "E002,K9",
        ],
    );
    let line = text
        .lines()
        .find(|l| l.contains("K9"))
        .expect("the E002 about K9");
    assert_eq!(
        line,
        "::warning title=E002 (unknown-code)::`K9` names no rule [E002]%0Ahelp: `edgelint rules` lists every rule"
    );
    // The others point into the configuration file.
    let others: Vec<_> = text.lines().filter(|l| !l.contains("K9")).collect();
    assert_eq!(others.len(), 3);
    for l in others {
        assert!(
            l.starts_with("::warning file=fixtures/e002/edgelint.toml,line="),
            "{l}"
        );
    }
}

#[test]
fn columns_are_sent_only_as_github_accepts_them() {
    // Whatever the span, `col`/`endColumn` appear only with line == endLine, and endColumn >=
    // col (a span over several lines is covered by the unit tests of src/report/github.rs).
    for args in [
        &["examples/contoso"][..],
        &["fixtures/t001-schema"][..],
        &["fixtures/t001-syntax"][..],
        &["fixtures/hostile-yaml"][..],
    ] {
        let text = github_in(common::root(), args);
        for line in text.lines() {
            let c = parse(line);
            let Some(l) = c.props.get("line") else {
                continue;
            };
            let end = &c.props["endLine"];
            if l == end {
                let col: usize = c.props["col"].parse().unwrap();
                let end_col: usize = c.props["endColumn"].parse().unwrap();
                assert!(end_col >= col, "{line}");
            } else {
                assert!(!c.props.contains_key("col"), "{line}");
                assert!(!c.props.contains_key("endColumn"), "{line}");
                assert!(
                    end.parse::<usize>().unwrap() > l.parse::<usize>().unwrap(),
                    "{line}"
                );
            }
        }
    }
}

#[test]
fn json_and_github_count_the_same_findings() {
    let text = github_in(common::root(), &["fixtures/n003"]);
    let json: Value = common::json(&["fixtures/n003"]);
    assert_eq!(
        text.lines().count(),
        json["diagnostics"].as_array().unwrap().len()
    );
}
