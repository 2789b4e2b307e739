//! Rule files: YAML that instantiates check templates with a code, name, severity, scope,
//! message and help. The built-in ones (`rules/builtin/*.yaml`) and users' rule packs go
//! through this same loader. A malformed file is a located error, never a finding.

use std::ops::Range;

use super::{Role, Template, TemplateRule, EXTENSIONS, NAME_SOURCES, SIGNATURES};
use crate::diagnostic::{RuleMeta, Severity};
use crate::load::topology::did_you_mean;
use crate::load::yaml::{self, plain_type, Node, NodeKind, PlainType};
use crate::source::LineIndex;
use std::borrow::Cow;

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

struct Reader<'a> {
    errors: Vec<(Range<usize>, String)>,
    text: &'a str,
}

fn scalar(n: &Node) -> Option<&str> {
    match &n.kind {
        NodeKind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

impl Reader<'_> {
    fn err(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.errors.push((span.clone(), message.into()));
    }

    fn map<'n>(
        &mut self,
        n: &'n Node,
        what: &str,
        known: &[&str],
    ) -> Vec<(&'n str, &'n Node, &'n Node)> {
        let NodeKind::Map(items) = &n.kind else {
            self.err(&n.span, format!("{what} must be a mapping"));
            return vec![];
        };
        let mut out = Vec::new();
        for (k, v) in items {
            let Some(key) = scalar(k) else {
                self.err(&k.span, "keys must be plain names");
                continue;
            };
            if !known.contains(&key) {
                let hint = did_you_mean(key, known).map_or_else(
                    || format!(" (known: {})", known.join(", ")),
                    |s| format!("; did you mean `{s}`?"),
                );
                self.err(&k.span, format!("unknown key `{key}` in {what}{hint}"));
                continue;
            }
            if out.iter().any(|(name, _, _)| *name == key) {
                self.err(&k.span, format!("duplicate key `{key}`"));
                continue;
            }
            out.push((key, k, v));
        }
        out
    }

    fn string(&mut self, n: &Node, what: &str) -> Option<String> {
        match scalar(n) {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(&n.span, format!("`{what}` must be a string"));
                None
            }
        }
    }

    fn list(&mut self, n: &Node, what: &str) -> Vec<(String, Range<usize>)> {
        match &n.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|i| self.string(i, what).map(|s| (s, i.span.clone())))
                .collect(),
            NodeKind::Scalar { value, .. } => vec![(value.clone(), n.span.clone())],
            NodeKind::Map(_) => {
                self.err(&n.span, format!("`{what}` must be a list"));
                vec![]
            }
        }
    }

    fn int(&mut self, n: &Node, what: &str) -> Option<i64> {
        match &n.kind {
            NodeKind::Scalar { value, plain: true } => match plain_type(value) {
                PlainType::Int(i) if i >= 0 => Some(i),
                _ => {
                    self.err(&n.span, format!("`{what}` must be a whole number"));
                    None
                }
            },
            _ => {
                self.err(&n.span, format!("`{what}` must be a whole number"));
                None
            }
        }
    }

    fn boolean(&mut self, n: &Node, what: &str) -> Option<bool> {
        match &n.kind {
            NodeKind::Scalar { value, plain: true } => match plain_type(value) {
                PlainType::Bool(b) => Some(b),
                _ => {
                    self.err(&n.span, format!("`{what}` must be true or false"));
                    None
                }
            },
            _ => {
                self.err(&n.span, format!("`{what}` must be true or false"));
                None
            }
        }
    }

    fn severity(&mut self, n: &Node, what: &str) -> Option<Severity> {
        let s = self.string(n, what)?;
        let sev = Severity::parse(&s);
        if sev.is_none() {
            self.err(
                &n.span,
                format!("`{what}` must be error, warning or info, not `{s}`"),
            );
        }
        sev
    }

    fn one_of(&mut self, value: &str, span: &Range<usize>, what: &str, known: &[&str]) -> bool {
        if known.contains(&value) {
            return true;
        }
        let hint = did_you_mean(value, known).map_or_else(
            || format!("one of: {}", known.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        self.err(span, format!("unknown {what} `{value}`; {hint}"));
        false
    }

    fn template(
        &mut self,
        name: &str,
        span: &Range<usize>,
        params: Option<&Node>,
    ) -> Option<Template> {
        let known: &[&str] = match name {
            "key-size" => &[
                "min_bits",
                "allowed_bits",
                "only_above",
                "exact_severity",
                "require_rsa",
            ],
            "forbidden-signature" => &["algorithms", "severity"],
            "required-eku" => &["eku", "missing_extension", "when_public_im"],
            "san-includes" => &["names"],
            "forbidden-san-pattern" => &["patterns", "subject"],
            "issuer-must-match" => &["issuer"],
            "max-validity" => &["max_days"],
            "required-extension" => &["extension"],
            other => {
                self.one_of(other, span, "template", &Template::NAMES);
                return None;
            }
        };
        let empty = Node {
            kind: NodeKind::Map(vec![]),
            span: span.clone(),
        };
        let fields = self.map(params.unwrap_or(&empty), "params", known);
        let get = |k: &str| fields.iter().find(|(n, _, _)| *n == k).map(|(_, _, v)| *v);
        let required = |r: &mut Self, k: &str| {
            let v = get(k);
            if v.is_none() {
                r.err(span, format!("template `{name}` needs the parameter `{k}`"));
            }
            v
        };
        Some(match name {
            "key-size" => {
                let ints = |r: &mut Self, k: &str| -> Vec<usize> {
                    get(k).map_or(vec![], |n| match &n.kind {
                        NodeKind::Seq(items) => items
                            .iter()
                            .filter_map(|i| r.int(i, k))
                            .map(|i| i as usize)
                            .collect(),
                        _ => r.int(n, k).map(|i| vec![i as usize]).unwrap_or_default(),
                    })
                };
                let mut exact = Vec::new();
                if let Some(n) = get("exact_severity") {
                    for (k, kn, v) in self.map_any(n, "exact_severity") {
                        match (k.parse::<usize>(), self.severity(v, "exact_severity")) {
                            (Ok(bits), Some(s)) => exact.push((bits, s)),
                            (Err(_), _) => {
                                self.err(&kn.span, "exact_severity keys are key sizes in bits")
                            }
                            _ => {}
                        }
                    }
                }
                let t = Template::KeySize {
                    min_bits: get("min_bits")
                        .and_then(|n| self.int(n, "min_bits"))
                        .map(|i| i as usize),
                    allowed_bits: ints(self, "allowed_bits"),
                    only_above: get("only_above")
                        .and_then(|n| self.int(n, "only_above"))
                        .map(|i| i as usize),
                    exact_severity: exact,
                    require_rsa: get("require_rsa")
                        .and_then(|n| self.boolean(n, "require_rsa"))
                        .unwrap_or(false),
                };
                if let Template::KeySize {
                    min_bits: None,
                    allowed_bits,
                    require_rsa: false,
                    ..
                } = &t
                {
                    if allowed_bits.is_empty() {
                        self.err(
                            span,
                            "template `key-size` needs `min_bits`, `allowed_bits` or `require_rsa`",
                        );
                    }
                }
                t
            }
            "forbidden-signature" => {
                let names: Vec<&str> = SIGNATURES.iter().map(|(n, _)| *n).collect();
                let algorithms = required(self, "algorithms")
                    .map(|n| self.list(n, "algorithms"))
                    .unwrap_or_default();
                let algorithms = algorithms
                    .into_iter()
                    .filter(|(a, s)| self.one_of(a, s, "signature algorithm", &names))
                    .map(|(a, _)| a)
                    .collect();
                let mut severities = Vec::new();
                if let Some(n) = get("severity") {
                    for (k, kn, v) in self.map_any(n, "severity") {
                        if self.one_of(k, &kn.span, "signature algorithm", &names) {
                            if let Some(s) = self.severity(v, "severity") {
                                severities.push((k.to_string(), s));
                            }
                        }
                    }
                }
                Template::ForbiddenSignature {
                    algorithms,
                    severities,
                }
            }
            "required-eku" => {
                let eku = required(self, "eku")
                    .and_then(|n| self.string(n, "eku").map(|s| (s, n.span.clone())));
                let client_auth = match eku {
                    Some((e, s)) => {
                        self.one_of(&e, &s, "EKU", &["server_auth", "client_auth"]);
                        e == "client_auth"
                    }
                    None => false,
                };
                Template::RequiredEku {
                    client_auth,
                    missing_extension: get("missing_extension").and_then(|n| {
                        if scalar(n) == Some("ignore") {
                            None
                        } else {
                            self.severity(n, "missing_extension")
                        }
                    }),
                    when_public_im: get("when_public_im")
                        .and_then(|n| self.boolean(n, "when_public_im"))
                        .unwrap_or(false),
                }
            }
            "san-includes" => {
                let names = required(self, "names")
                    .map(|n| self.list(n, "names"))
                    .unwrap_or_default();
                Template::SanIncludes {
                    names: names
                        .into_iter()
                        .filter(|(n, s)| self.one_of(n, s, "name source", &NAME_SOURCES))
                        .map(|(n, _)| n)
                        .collect(),
                }
            }
            "forbidden-san-pattern" => {
                let patterns = required(self, "patterns")
                    .map(|n| self.list(n, "patterns"))
                    .unwrap_or_default();
                for (p, s) in &patterns {
                    if globset::Glob::new(p).is_err() {
                        self.err(s, format!("`{p}` is not a valid glob pattern"));
                    }
                }
                Template::ForbiddenSanPattern {
                    patterns: patterns.into_iter().map(|(p, _)| p).collect(),
                    subject: get("subject")
                        .and_then(|n| self.boolean(n, "subject"))
                        .unwrap_or(false),
                }
            }
            "issuer-must-match" => {
                let n = required(self, "issuer")?;
                let pattern = self.string(n, "issuer")?;
                if globset::Glob::new(&pattern).is_err() {
                    self.err(&n.span, format!("`{pattern}` is not a valid glob pattern"));
                }
                Template::IssuerMustMatch { pattern }
            }
            "required-extension" => {
                let n = required(self, "extension")?;
                let extension = self.string(n, "extension")?;
                self.one_of(&extension, &n.span, "extension", &EXTENSIONS);
                Template::RequiredExtension { extension }
            }
            _ => {
                let n = required(self, "max_days")?;
                Template::MaxValidity {
                    max_days: self.int(n, "max_days")?,
                }
            }
        })
    }

    fn map_any<'n>(&mut self, n: &'n Node, what: &str) -> Vec<(&'n str, &'n Node, &'n Node)> {
        match &n.kind {
            NodeKind::Map(items) => items
                .iter()
                .filter_map(|(k, v)| scalar(k).map(|s| (s, k, v)))
                .collect(),
            _ => {
                self.err(&n.span, format!("`{what}` must be a mapping"));
                vec![]
            }
        }
    }

    fn rule(&mut self, n: &Node, builtin: bool) -> Option<TemplateRule> {
        const KNOWN: [&str; 11] = [
            "code", "name", "severity", "summary", "sources", "template", "scope", "params",
            "message", "label", "help",
        ];
        let fields = self.map(n, "a rule", &KNOWN);
        let get = |k: &str| fields.iter().find(|(n, _, _)| *n == k).map(|(_, _, v)| *v);
        for k in ["code", "name", "severity", "template", "scope", "message"] {
            if get(k).is_none() {
                self.err(&(n.span.start..n.span.start), format!("a rule needs `{k}`"));
            }
        }
        let code_node = get("code")?;
        let code = self.string(code_node, "code")?;
        let well_formed = code.len() >= 2
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code[1..].chars().all(|c| c.is_ascii_digit());
        if !well_formed {
            self.err(
                &code_node.span,
                format!("`{code}` is not a rule code (a capital letter and digits, e.g. X101)"),
            );
        } else if !builtin && !code.starts_with('X') {
            self.err(&code_node.span, format!("user rule codes start with X (e.g. X101), so they never collide with a built-in rule; `{code}` does not"));
        }
        let name_node = get("name")?;
        let name = self.string(name_node, "name")?;
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            self.err(
                &name_node.span,
                format!("`{name}` is not a kebab-case rule name"),
            );
        }
        let severity = self.severity(get("severity")?, "severity")?;
        let template_node = get("template")?;
        let template_name = self.string(template_node, "template")?;
        let template = self.template(&template_name, &template_node.span, get("params"))?;
        let mut scope = Vec::new();
        for (s, span) in self.list(get("scope")?, "scope") {
            if s == "all" {
                scope.extend(Role::NAMES.iter().filter_map(|n| Role::parse(n)));
            } else if self.one_of(&s, &span, "scope", &Role::NAMES) {
                scope.extend(Role::parse(&s));
            }
        }
        let message = self.string(get("message")?, "message")?;
        let help = get("help").and_then(|n| self.string(n, "help"));
        let label = get("label").and_then(|n| self.string(n, "label"));
        let summary = get("summary")
            .and_then(|n| self.string(n, "summary"))
            .unwrap_or_else(|| message.clone());
        let sources: Vec<String> = get("sources")
            .map(|n| self.list(n, "sources"))
            .unwrap_or_default()
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        let meta = RuleMeta {
            code: Cow::Owned(code),
            name: Cow::Owned(name),
            severity,
            summary: Cow::Owned(summary),
        };
        Some(TemplateRule {
            meta,
            sources,
            template,
            scope,
            message,
            label,
            help,
        })
    }
}

/// Read one rule file. `builtin` files may use built-in codes; users' must use `X` codes.
pub fn parse(text: &str, file: &str, builtin: bool) -> Result<Vec<TemplateRule>, Vec<PackError>> {
    let lines = LineIndex::new(text);
    let locate = |span: &Range<usize>, message: String| {
        let (line, column) = lines.line_col(text, span.start);
        PackError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    };
    let root = match yaml::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![locate(&(0..0), "the rule file is empty".into())]),
        Err(e) => return Err(vec![locate(&e.span, e.message)]),
    };
    // A file that is no rule pack at all (a configuration may name any path) is said to be
    // one, and nothing of its content is quoted.
    let is_pack = matches!(&root.kind, NodeKind::Map(items)
        if items.iter().any(|(k, _)| scalar(k) == Some("rules")));
    if !is_pack {
        return Err(vec![locate(
            &(0..0),
            "not a rule pack: expected a mapping with a `rules:` list".into(),
        )]);
    }
    let mut r = Reader {
        errors: Vec::new(),
        text,
    };
    let _ = r.text;
    let fields = r.map(&root, "the rule file", &["rules"]);
    let mut rules = Vec::new();
    match fields.first() {
        Some((_, _, list)) => match &list.kind {
            NodeKind::Seq(items) => {
                for item in items {
                    if let Some(rule) = r.rule(item, builtin) {
                        if rules
                            .iter()
                            .any(|x: &TemplateRule| x.meta.code == rule.meta.code)
                        {
                            r.err(
                                &item.span,
                                format!("rule code {} is used twice in this file", rule.meta.code),
                            );
                        }
                        rules.push(rule);
                    }
                }
            }
            _ => r.err(&list.span, "`rules` must be a list of rules"),
        },
        None => r.err(&root.span, "a rule file has a `rules:` list"),
    }
    if r.errors.is_empty() {
        Ok(rules)
    } else {
        Err(r.errors.iter().map(|(s, m)| locate(s, m.clone())).collect())
    }
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
            text.iter().any(|e| e.starts_with(
                "org.yaml:5:15: unknown template `key-sise`; did you mean `key-size`?"
            )),
            "{text:#?}"
        );
    }
}
