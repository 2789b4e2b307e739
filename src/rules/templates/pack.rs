//! Rule files: YAML that instantiates check templates with a code, name, severity, scope,
//! message and help. The built-in ones (`rules/builtin/*.yaml`) and users' rule packs go
//! through this same loader, on the same typed reader as topology files. A malformed file is
//! a located error, never a finding.

use std::borrow::Cow;
use std::ops::Range;

use super::{Role, TemplateInfo, TemplateRule};
use crate::diagnostic::{RuleMeta, Severity};
use crate::load::reader::{scalar, Fields, Problem, Reader};
use crate::load::yaml;
use crate::model::tree::{Node, NodeKind};
use crate::source::LineIndex;

#[derive(Debug, Clone, PartialEq)]
pub struct PackError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for PackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The keys of a rule, and those it cannot do without.
const RULE_KEYS: [&str; 11] = [
    "code", "name", "severity", "summary", "sources", "template", "scope", "params", "message",
    "label", "help",
];
const REQUIRED: [&str; 6] = ["code", "name", "severity", "template", "scope", "message"];

/// Read one rule file. `builtin` files may use built-in codes; users' must use `X` codes.
pub fn parse(text: &str, file: &str, builtin: bool) -> Result<Vec<TemplateRule>, Vec<PackError>> {
    let lines = LineIndex::new(text);
    let locate = |p: Problem| {
        let (line, column) = lines.line_col(text, p.span.start);
        let message = match p.help {
            Some(h) => format!("{}; {h}", p.message),
            None => p.message,
        };
        PackError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    };
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![locate(Problem::new(0..0, "the rule file is empty"))]),
        Err(e) => return Err(vec![locate(Problem::new(e.span, e.message))]),
    };
    // A file that is no rule pack at all (a configuration may name any path) is said to be
    // none, and nothing of its content is quoted.
    let is_pack = matches!(&root.kind, NodeKind::Map(items)
        if items.iter().any(|(k, _)| scalar(k) == Some("rules")));
    if !is_pack {
        let message = "not a rule pack: expected a mapping with a `rules:` list";
        return Err(vec![locate(Problem::new(0..0, message))]);
    }
    let mut r = Reader::default();
    let rules = rules(&mut r, &root, builtin);
    if r.problems.is_empty() {
        Ok(rules)
    } else {
        Err(r.problems.into_iter().map(locate).collect())
    }
}

fn rules(r: &mut Reader, root: &Node, builtin: bool) -> Vec<TemplateRule> {
    let mut out: Vec<TemplateRule> = Vec::new();
    let Some(fields) = r.mapping(root, "rule file", "the rule file", &["rules"], |_| false) else {
        return out;
    };
    let Some(list) = fields.get("rules") else {
        return out;
    };
    for item in r.seq(list, "rules", "rules") {
        let Some(rule) = rule(r, item, builtin) else {
            continue;
        };
        if out.iter().any(|x| x.meta.code == rule.meta.code) {
            r.error(
                item.span.clone(),
                format!("rule code {} is used twice in this file", rule.meta.code),
            );
        }
        out.push(rule);
    }
    out
}

fn rule(r: &mut Reader, n: &Node, builtin: bool) -> Option<TemplateRule> {
    let f = r.mapping(n, "rules", "a rule", &RULE_KEYS, |_| false)?;
    for k in REQUIRED {
        if f.get(k).is_none() {
            r.error(n.span.start..n.span.start, format!("a rule needs `{k}`"));
        }
    }
    // Every part is read (and its errors reported) before any missing part ends the rule.
    let code = f.get("code").and_then(|n| code(r, n, builtin));
    let name = f.get("name").and_then(|n| name(r, n));
    let severity = f.get("severity").and_then(|n| {
        r.one_of(
            n,
            "severity",
            &["error", "warning", "info"],
            Severity::parse,
        )
    });
    let template = template(r, &f);
    let scope = f.get("scope").map(|n| scope(r, n));
    let (code, name, severity, (info, template), scope) =
        (code?, name?, severity?.value, template?, scope?);
    let text = |r: &mut Reader, k: &str| f.get(k).and_then(|n| r.string(n, k)).map(|s| s.value);
    let message = text(r, "message")?;
    let summary = text(r, "summary").unwrap_or_else(|| message.clone());
    let sources = f
        .get("sources")
        .map(|n| r.string_list(n, "sources"))
        .unwrap_or_default();
    Some(TemplateRule {
        meta: RuleMeta {
            code: Cow::Owned(code),
            name: Cow::Owned(name),
            severity,
            summary: Cow::Owned(summary),
        },
        sources: sources.into_iter().map(|s| s.value).collect(),
        template_name: info.name,
        template,
        scope,
        label: text(r, "label"),
        help: text(r, "help"),
        message,
    })
}

/// A rule code: a capital letter and digits; a user rule's starts with X.
fn code(r: &mut Reader, n: &Node, builtin: bool) -> Option<String> {
    let code = r.string(n, "code")?.value;
    let well_formed = code.len() >= 2
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code[1..].chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        r.error(
            n.span.clone(),
            format!("`{code}` is not a rule code (a capital letter and digits, e.g. X101)"),
        );
    } else if !builtin && !code.starts_with('X') {
        r.error(n.span.clone(), format!("user rule codes start with X (e.g. X101), so they never collide with a built-in rule; `{code}` does not"));
    }
    Some(code)
}

/// A rule name: kebab-case.
fn name(r: &mut Reader, n: &Node) -> Option<String> {
    let name = r.string(n, "name")?.value;
    let kebab = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !kebab {
        r.error(
            n.span.clone(),
            format!("`{name}` is not a kebab-case rule name"),
        );
    }
    Some(name)
}

/// The template and its parameters, read by the template itself.
fn template(
    r: &mut Reader,
    f: &Fields<'_>,
) -> Option<(&'static TemplateInfo, Box<dyn super::Template>)> {
    let n = f.get("template")?;
    let info = r
        .one_of(n, "template", &TemplateInfo::names(), TemplateInfo::find)?
        .value;
    let empty = Node {
        kind: NodeKind::Map(Vec::new()),
        span: n.span.clone(),
    };
    let params = f.get("params").unwrap_or(&empty);
    let what = format!("the parameters of `{}`", info.name);
    let fields = r.mapping(params, "params", &what, &info.param_names(), |_| false)?;
    let at: Range<usize> = n.span.clone();
    for p in info.params.iter().filter(|p| p.required) {
        if fields.get(p.name).is_none() {
            let message = format!("template `{}` needs the parameter `{}`", info.name, p.name);
            r.error(at.clone(), message);
        }
    }
    let template = (info.read)(r, &fields, &at)?;
    Some((info, template))
}

/// `scope`: roles, or `all`.
fn scope(r: &mut Reader, n: &Node) -> Vec<Role> {
    let mut out = Vec::new();
    for s in r.string_list(n, "scope") {
        if s.value == "all" {
            out.extend(Role::all());
            continue;
        }
        let node = Node {
            kind: NodeKind::Scalar {
                value: s.value.clone(),
                plain: false,
            },
            span: s.span.clone(),
        };
        out.extend(
            r.one_of(&node, "scope", &Role::NAMES, Role::parse)
                .map(|v| v.value),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "rules:\n  - code: X101\n    name: org-4096\n    severity: error\n    template: key-size\n    scope: all\n    params: {allowed_bits: [4096], require_rsa: true}\n    message: \"{certificate} has a {key} key\"\n";

    #[test]
    fn a_valid_pack_reads() {
        let rules = parse(GOOD, "org.yaml", false).unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].meta.code, "X101");
        assert_eq!(rules[0].scope.len(), Role::NAMES.len());
    }

    #[test]
    fn errors_are_located_and_all_reported() {
        let bad = GOOD
            .replace("X101", "N101")
            .replace("key-size", "key-sise")
            .replace("scope: all", "scope: [external, extrenal]");
        let errors = parse(&bad, "org.yaml", false).unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(
            text[0].starts_with("org.yaml:2:11: user rule codes start with X"),
            "{text:#?}"
        );
        assert!(
            text.iter().any(|e| e
                == "org.yaml:5:15: `template` has an unknown value `key-sise`; did you mean `key-size`?"),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|e| e.contains("`scope` has an unknown value `extrenal`")),
            "{text:#?}"
        );
    }

    #[test]
    fn parameters_are_checked_against_the_template() {
        let bad = GOOD.replace("allowed_bits", "allowed_bitz");
        let errors = parse(&bad, "org.yaml", false).unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(
            text.iter().any(|e| e.contains(
                "unknown key `allowed_bitz` in the parameters of `key-size`; did you mean `allowed_bits`?"
            )),
            "{text:#?}"
        );
    }
}
