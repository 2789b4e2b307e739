//! Every rule is complete: a unique code and name, a citation, a documentation page with all
//! its sections, a fixture that makes it fire and clean fixtures that keep it quiet.

mod common;

use std::collections::HashSet;

const SECTIONS: [&str; 7] = [
    "## What it checks",
    "## Why",
    "## Sources",
    "## Severity",
    "## Failing example",
    "## Passing example",
    "## How to fix",
];

fn expected_files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .flatten()
    {
        let p = e.path().join("expected");
        if let Ok(text) = std::fs::read_to_string(&p) {
            out.push((e.file_name().to_string_lossy().into_owned(), text));
        }
    }
    out
}

#[test]
fn codes_and_names_are_unique() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in edgelint::rules::registry() {
        let m = r.meta();
        assert!(
            codes.insert(m.code.clone()),
            "code {} is used twice",
            m.code
        );
        assert!(
            names.insert(m.name.clone()),
            "name {} is used twice",
            m.name
        );
        assert!(
            !m.code.starts_with('X'),
            "X codes are for user rules: {}",
            m.code
        );
    }
}

#[test]
fn every_rule_has_a_citation_and_a_documentation_page() {
    for r in edgelint::rules::registry() {
        let m = r.meta();
        let page = edgelint::rules::doc(&m.code)
            .unwrap_or_else(|| panic!("{} has no page rules/docs/{}.md", m.code, m.code));
        assert!(
            page.starts_with(&format!("# {} {}", m.code, m.name)),
            "rules/docs/{}.md must start with `# {} {}`",
            m.code,
            m.code,
            m.name
        );
        let mut at = 0;
        for s in SECTIONS {
            let found = page[at..]
                .find(s)
                .unwrap_or_else(|| panic!("rules/docs/{}.md lacks `{s}` (in order)", m.code));
            at += found + s.len();
        }
        assert!(
            page.contains("```yaml"),
            "rules/docs/{}.md has no YAML example",
            m.code
        );
    }
}

#[test]
fn every_rule_fires_on_a_fixture() {
    let all: String = expected_files().into_iter().map(|(_, t)| t).collect();
    for r in edgelint::rules::registry() {
        let code = &r.meta().code;
        assert!(
            all.contains(&format!("[{code}]")),
            "no fixtures/*/expected shows {code} firing"
        );
    }
}

#[test]
fn clean_fixtures_run_every_rule_and_expect_nothing() {
    let files = expected_files();
    let clean: Vec<_> = files
        .iter()
        .filter(|(n, _)| n.starts_with("clean"))
        .collect();
    assert!(clean.len() >= 2, "the clean fixtures are missing");
    for (name, text) in clean {
        assert_eq!(
            text.trim_end(),
            "# args:",
            "fixtures/{name} must select every rule and expect no finding"
        );
    }
}

#[test]
fn explain_n003_quotes_the_planning_page() {
    let out = common::run(&["explain", "N003"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\"You must define distinct subject alternate names (SANs) for each SIP domain name, Web Conferencing Edge service, A/V Edge service and XMPP domain offered by your deployment.\""), "{text}");
    assert!(text.contains("Plan for Edge Server certificates in Lync Server 2013"));
    assert!(text.contains("https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-plan-for-edge-server-certificates"));
    // By name too.
    let by_name = common::run(&["explain", "san-missing-sip-domain"]);
    assert_eq!(String::from_utf8(by_name.stdout).unwrap(), text);
}

/// The pages are read by administrators who have only the pages and Microsoft's documentation:
/// they name documents by title and URL, never by the ids of edgelint's research notes.
#[test]
fn rule_pages_stand_on_their_own() {
    let forbidden = [
        (r"(?i)\bseed", "the seed page"),
        (r"(?i)requirements\.md", "requirements.md"),
        (r"(?i)requirements row", "a requirements row"),
        (r"\breq [A-Z]\d", "a `req X1` row"),
        (r"(?i)\bconflict C\d", "a `conflict C1` item"),
        (r"\bS\d{1,2}\b", "a source id (S1...S34)"),
        (r"\b(L10[a-c]?|B[1-4])\b", "a weaker-source id (L10a, B3)"),
        (r"(?i)\.\./shared", "the shared folder"),
        (r"(?i)\b(topology|rules)\.md\b", "a spec file"),
        (r"(?m)^- (spec|security)\b", "`spec`/`security` as a source"),
    ]
    .map(|(re, what)| (regex::Regex::new(re).unwrap(), what));
    let mut problems = Vec::new();
    for r in edgelint::rules::registry() {
        let code = &r.meta().code;
        let page = edgelint::rules::doc(code).unwrap_or_else(|| panic!("{code} has no page"));
        for (re, what) in &forbidden {
            for m in re.find_iter(page) {
                let line = page[..m.start()].matches('\n').count() + 1;
                problems.push(format!(
                    "rules/docs/{code}.md:{line}: {what}: `{}`",
                    m.as_str()
                ));
            }
        }
        if !page.contains("https://learn.microsoft.com/") {
            problems.push(format!(
                "rules/docs/{code}.md cites no Microsoft page (https://learn.microsoft.com/)"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_is_listed_and_explained() {
    let out = String::from_utf8(common::run(&["rules"]).stdout).unwrap();
    for r in edgelint::rules::registry() {
        let m = r.meta();
        let line = out
            .lines()
            .find(|l| l.starts_with(&*m.code))
            .unwrap_or_else(|| panic!("{} missing from `edgelint rules`", m.code));
        assert!(
            line.contains(&*m.name) && line.contains(m.severity.as_str()),
            "{line}"
        );
        let page = common::run(&["explain", &m.code]);
        assert_eq!(page.status.code(), Some(0), "explain {}", m.code);
    }
    assert_eq!(
        edgelint::rules::registry().len(),
        54,
        "52 catalog rules plus E001 and E002"
    );
}
