//! The documentation in `docs/` stands on its own and stays current:
//!
//! - `docs/rules.md` is rendered from the rule registry; `EDGELINT_BLESS=1 cargo test --test docs`
//!   rewrites it (review the diff);
//! - every relative link of README.md and `docs/*.md` names a file or folder of the repository;
//! - no page points at material outside the repository (`../shared`, `shared/spec`);
//! - every key of the topology format and every option of `check` is documented.

mod common;

use std::path::{Component, Path, PathBuf};

use clap::CommandFactory;

const CATALOG: &str = "docs/rules.md";

/// The families of rule codes, in catalog order: letter, heading, description.
const FAMILIES: [(char, &str, &str); 10] = [
    (
        'T',
        "topology and files",
        "The topology files and the files they name: YAML and format errors, missing, unreadable \
         or locked files, secrets in the topology, host names, and the shape of pools.",
    ),
    (
        'N',
        "names (subject and SAN)",
        "The subject and subject alternative names of Edge certificates and requests, compared \
         with the FQDNs and SIP domains of the topology.",
    ),
    (
        'K',
        "private keys",
        "Private keys: present, matching the certificate, exportable, kept by a provider Lync \
         can use, and not lying unencrypted in the repository.",
    ),
    (
        'C',
        "cryptography",
        "Key type and size, signature algorithm, Extended Key Usage and CRL Distribution Point.",
    ),
    (
        'A',
        "authority and chain",
        "Who issued the certificate, and whether its chain reaches a root the servers and \
         clients trust.",
    ),
    (
        'V',
        "validity",
        "Validity dates, judged at the instant of the run (the clock, or `--now`).",
    ),
    (
        'P',
        "pools and assignments",
        "What each Edge Server ends up with: a current certificate for every required use, and \
         the same certificates on every server of a pool.",
    ),
    (
        'R',
        "staged certificates (`Set-CsCertificate -Roll`)",
        "Certificates staged with `roll:` in the topology: which uses can be staged, effective \
         dates and lead times.",
    ),
    (
        'W',
        "reverse proxy",
        "The reverse proxy certificate and the names it publishes.",
    ),
    (
        'E',
        "edgelint's own findings",
        "Mistakes in edgelint's own configuration, command line and suppression comments.",
    ),
];

const INTRO: &str = "\
# Rule catalog

Every rule edgelint ships, family by family. Each code links to the rule's page, which says what
the rule checks, why (citing the Microsoft documents it rests on), which severity it has and
why, and shows a failing and a passing example and how to fix it. `edgelint rules` prints the
same list and `edgelint explain CODE` prints a page.

A code never changes its meaning. Each rule also has a name (`san-missing-sip-domain`), and
everywhere edgelint takes a rule you may write either.

**Severity.** The table gives each rule's default severity: `error`, `warning` or `info`. Where
the summary names a second severity in parentheses, the rule reports that variant at that
severity. The configuration's `[severity]` table sets the severity of every finding of a rule.
By default only errors fail a run (`--fail-on`).

**Choosing rules.** `--select` and `--ignore` on the command line, `select` and `ignore` in
`.edgelint.toml`, take codes (`N003`), names, families or code prefixes (`N`, `R00`) and `ALL`.
`[per_path_ignores]` in the configuration turns rules off for some files, and a comment
`# edgelint: ignore[N003] reason` in a topology file silences one finding (see
[Inline suppressions](configuration.md#inline-suppressions)). A selector that
matches no rule is an E002 finding. The command line, the configuration file and the output
formats are described in [output.md](output.md), the topology format in
[topology.md](topology.md).

**Your own rules.** An organisation can add rules without recompiling edgelint, in rule packs
whose codes start with `X` (see [rule-packs.md](rule-packs.md)).
";

/// A table cell: pipes escaped, and `<`/`>` outside code spans written as entities (so that
/// `sip.<domain>` is not read as an HTML tag).
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `docs/rules.md` as the registry says it should be.
fn render_catalog() -> String {
    let mut out = String::from(
        "<!-- Generated from edgelint's rule registry by tests/docs.rs; after changing a rule, \
         run `EDGELINT_BLESS=1 cargo test --test docs` to regenerate it. -->\n",
    );
    out.push_str(INTRO);
    let rules = edgelint::rules::registry();
    for r in rules {
        let code = &r.meta().code;
        assert!(
            FAMILIES.iter().any(|(f, _, _)| code.starts_with(*f)),
            "{code} belongs to no family of the catalog"
        );
    }
    for (letter, heading, description) in FAMILIES {
        out.push_str(&format!("\n## {letter}: {heading}\n\n{description}\n\n"));
        out.push_str("| Code | Name | Default severity | Summary |\n|---|---|---|---|\n");
        for r in rules.iter().filter(|r| r.meta().code.starts_with(letter)) {
            let m = r.meta();
            out.push_str(&format!(
                "| [{code}](../rules/docs/{code}.md) | `{name}` | {severity} | {summary} |\n",
                code = m.code,
                name = m.name,
                severity = m.severity.as_str(),
                summary = cell(&m.summary),
            ));
        }
    }
    out
}

#[test]
fn the_rule_catalog_is_current() {
    let path = common::root().join(CATALOG);
    let want = render_catalog();
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    if got == want {
        return;
    }
    if std::env::var_os("EDGELINT_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    panic!(
        "{CATALOG} is not what the rule registry says\n--- committed\n{got}--- expected\n{want}\
         (to regenerate it: EDGELINT_BLESS=1 cargo test --test docs)"
    );
}

/// The templates section of docs/rule-packs.md, from each template's own documentation.
fn render_templates() -> String {
    let mut out = String::new();
    for t in edgelint::rules::templates::TEMPLATES {
        out.push_str(&format!(
            "\n### `{}`\n\nFires when {}.\n\n",
            t.name,
            cell(t.fires_when)
        ));
        out.push_str("| parameter | required | meaning |\n|---|---|---|\n");
        for p in t.params {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                p.name,
                if p.required { "yes" } else { "no" },
                cell(p.doc)
            ));
        }
        let values: Vec<String> = t.values.iter().map(|v| format!("`{{{v}}}`")).collect();
        out.push_str(&format!(
            "\nIts messages may also use {}.\n",
            values.join(", ")
        ));
    }
    out
}

#[test]
fn the_template_table_is_current() {
    const START: &str = "<!-- templates: generated";
    const END: &str = "<!-- end of templates -->";
    let path = common::root().join("docs/rule-packs.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find(START).expect("the templates marker");
    let body_start = start + text[start..].find("-->").unwrap() + 3;
    let end = text.find(END).expect("the end marker");
    let want = format!("\n{}\n", render_templates().trim());
    if text[body_start..end] == want {
        return;
    }
    if std::env::var_os("EDGELINT_BLESS").is_some() {
        let new = format!("{}{}{}", &text[..body_start], want, &text[end..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    panic!(
        "docs/rule-packs.md's templates are not what the templates say\n--- expected\n{want}\n\
         (to regenerate: EDGELINT_BLESS=1 cargo test --test docs)"
    );
}

#[test]
fn every_rule_has_a_page_the_catalog_links_to() {
    for r in edgelint::rules::registry() {
        let code = &r.meta().code;
        assert!(
            common::root()
                .join(format!("rules/docs/{code}.md"))
                .is_file(),
            "rules/docs/{code}.md is missing"
        );
    }
}

/// README.md and every `docs/*.md`, as (path relative to the root, text).
fn user_pages() -> Vec<(String, String)> {
    let mut out = vec![("README.md".to_string(), read("README.md"))];
    out.extend(markdown_in("docs"));
    out
}

fn markdown_in(folder: &str) -> Vec<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(common::root().join(folder))
        .unwrap_or_else(|e| panic!("{folder}/: {e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let rel = format!("{folder}/{n}");
            let text = read(&rel);
            (rel, text)
        })
        .collect()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(common::root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text outside fenced code blocks and inline code spans, line by line (1-based numbers).
fn prose_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if let Some(open) = &fence {
            if marker.len() >= open.len() && marker.starts_with(&open[..1]) {
                fence = None;
            }
            continue;
        }
        if marker.len() >= 3
            && (marker.chars().all(|c| c == '`') || marker.chars().all(|c| c == '~'))
        {
            fence = Some(marker);
            continue;
        }
        // Drop inline code spans (`...`, ``...``).
        let mut prose = String::new();
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            prose.push_str(&rest[..start]);
            let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
            let after = &rest[start + ticks..];
            match after.find(&"`".repeat(ticks)) {
                Some(end) => rest = &after[end + ticks..],
                None => {
                    rest = after;
                }
            }
        }
        prose.push_str(rest);
        out.push((i + 1, prose));
    }
    out
}

/// Every link target of a page: `[text](target)`, `![alt](target)`, `[label]: target` and
/// `<a href="target">`, with the line it is on.
fn link_targets(text: &str) -> Vec<(usize, String)> {
    let inline = regex::Regex::new(r"\]\(\s*(<[^>]*>|[^)\s]*)").unwrap();
    let reference = regex::Regex::new(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)").unwrap();
    let href = regex::Regex::new(r#"(?i)<a\s[^>]*href\s*=\s*["']([^"']*)["']"#).unwrap();
    let mut out = Vec::new();
    for (n, line) in prose_lines(text) {
        for re in [&inline, &reference, &href] {
            for c in re.captures_iter(&line) {
                let t = c[1].trim_start_matches('<').trim_end_matches('>');
                out.push((n, t.to_string()));
            }
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a/b/../c` → `a/c`; `None` when the path climbs above its start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[test]
fn relative_links_resolve_inside_the_repository() {
    let root = common::root();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, text) in user_pages() {
        let dir = Path::new(&page)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for (line, target) in link_targets(&text) {
            let lower = target.to_ascii_lowercase();
            if lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
            {
                continue;
            }
            let path = target.split(['#', '?']).next().unwrap_or("");
            let anchor = target.split_once('#').map(|(_, a)| a);
            checked += 1;
            let resolved = if path.is_empty() {
                Some(PathBuf::from(&page))
            } else {
                normalize(&dir.join(percent_decode(path)))
            };
            match resolved {
                Some(p) if root.join(&p).exists() => {
                    let md = p.extension().is_some_and(|e| e == "md");
                    if let (Some(anchor), true) = (anchor, md) {
                        let text = std::fs::read_to_string(root.join(&p)).unwrap();
                        if !heading_anchors(&text).contains(&anchor.to_string()) {
                            broken.push(format!(
                                "{page}:{line}: `{target}`: {} has no heading `#{anchor}`",
                                p.display()
                            ));
                        }
                    }
                }
                Some(p) => broken.push(format!(
                    "{page}:{line}: `{target}` names {}, which does not exist",
                    p.display()
                )),
                None => broken.push(format!(
                    "{page}:{line}: `{target}` points outside the repository"
                )),
            }
        }
    }
    assert!(
        checked > 0,
        "no relative link found: is the link parser broken?"
    );
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as
/// `-`, a repeated heading numbered (`-1`, `-2`).
fn heading_anchors(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        let Some(title) = line.strip_prefix('#').filter(|_| !fence) else {
            continue;
        };
        let title = title.trim_start_matches('#');
        if !title.starts_with(' ') {
            continue;
        }
        let slug: String = title
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let n = out
            .iter()
            .filter(|a| {
                a.as_str() == slug
                    || a.starts_with(&format!("{slug}-"))
                        && a[slug.len() + 1..].parse::<u32>().is_ok()
            })
            .count();
        out.push(if n == 0 { slug } else { format!("{slug}-{n}") });
    }
    out
}

#[test]
fn the_link_parser_finds_every_kind_of_link() {
    let text = "See [a](docs/a.md#x) and ![b](<img b.png> \"t\").\n\
                `[not](a link)` and\n\
                ```\n[not](in a block)\n```\n\
                [ref]: ../outside.md\n\
                <a href=\"c.md\">c</a> [web](https://example.com)\n";
    let targets: Vec<String> = link_targets(text).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        targets,
        [
            "docs/a.md#x",
            "img b.png",
            "../outside.md",
            "https://example.com",
            "c.md"
        ]
    );
    assert_eq!(percent_decode("a%20b.md"), "a b.md");
    assert_eq!(normalize(Path::new("docs/../../x")), None);
}

#[test]
fn no_page_points_outside_the_repository() {
    let mut pages = user_pages();
    pages.extend(markdown_in("rules/docs"));
    let mut found = Vec::new();
    for (page, text) in &pages {
        for (i, line) in text.lines().enumerate() {
            for needle in ["../shared", "shared/spec"] {
                if line.contains(needle) {
                    found.push(format!("{page}:{}: mentions `{needle}`", i + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the documentation must stand on its own:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_key_of_the_topology_format_is_documented() {
    let page = read("docs/topology.md");
    let mut missing = Vec::new();
    for mapping in edgelint::model::schema::TOPOLOGY.all() {
        for key in mapping.keys() {
            if !page.contains(&format!("`{key}`")) {
                missing.push(format!("`{key}` of {}", mapping.what));
            }
        }
    }
    for name in edgelint::model::topology::Use::NAMES
        .iter()
        .chain(&edgelint::model::topology::Product::NAMES)
        .chain(&edgelint::model::topology::LoadBalancing::NAMES)
    {
        if !page.contains(&format!("`{name}`")) {
            missing.push(format!("the value `{name}`"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/topology.md does not mention:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_command_and_option_is_documented() {
    let page = read("docs/output.md");
    let cli = edgelint::cli::Cli::command();
    let mut missing = Vec::new();
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        if !page.contains(&format!("`edgelint {name}")) {
            missing.push(format!("the command `edgelint {name}`"));
        }
        for arg in sub.get_arguments() {
            if let Some(long) = arg.get_long() {
                if !page.contains(&format!("`--{long}")) {
                    missing.push(format!("`--{long}` of `edgelint {name}`"));
                }
            }
        }
    }
    for format in ["human", "concise", "json", "sarif", "github"] {
        if !page.contains(&format!("\n## {format}\n")) {
            missing.push(format!("a section on the {format} format"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/output.md does not mention:\n{}",
        missing.join("\n")
    );
}
