//! Typed reading of a YAML node tree, shared by the topology decoder and the rule-file loader:
//! mappings checked against their known keys (unknown keys with "did you mean", duplicates
//! with both places), scalars read as strings, booleans, integers, lists or one of a set of
//! names, and every error collected with its span, not only the first.

use std::ops::Range;

use crate::model::topology::Sp;
use crate::model::tree::{plain_type, Node, NodeKind, PlainType};

/// A reading error: where, what, and what may help.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    /// A second place that explains the first (where a duplicate key was first set).
    pub related: Option<(Range<usize>, String)>,
}

impl Problem {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Problem {
        Problem {
            span,
            message: message.into(),
            label: None,
            help: None,
            related: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Problem {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// The keys of one mapping, each with its key node and value node, in file order.
pub struct Fields<'n> {
    pub items: Vec<(&'n str, &'n Node, &'n Node)>,
    pub span: Range<usize>,
}

impl<'n> Fields<'n> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.items
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
    }

    /// The key node of `key`.
    pub fn key(&self, key: &str) -> Option<&'n Node> {
        self.items
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, k, _)| *k)
    }

    /// The mapping's first character: where "a required key is missing" points.
    pub fn head(&self) -> Range<usize> {
        self.span.start..self.span.start
    }
}

pub fn scalar(n: &Node) -> Option<&str> {
    match &n.kind {
        NodeKind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

/// The errors of one document, collected as it is read.
#[derive(Default)]
pub struct Reader {
    pub problems: Vec<Problem>,
}

impl Reader {
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push(Problem::new(span, message));
    }

    pub fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }

    /// "`field` expects X, found Y".
    pub fn type_error(&mut self, node: &Node, field: &str, expected: &str) {
        self.push(
            Problem::new(
                node.span.clone(),
                format!("`{field}` expects {expected}, found {}", node.type_name()),
            )
            .label(format!("expected {expected}")),
        );
    }

    /// A mapping whose keys must be among `known`; keys for which `silent` holds are kept
    /// without a word (literal secrets, which another check reports). `what` names the mapping
    /// in messages ("an Edge pool"); `field` is the key it is the value of.
    pub fn mapping<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        what: &str,
        known: &[&str],
        silent: impl Fn(&str) -> bool,
    ) -> Option<Fields<'n>> {
        let NodeKind::Map(items) = &node.kind else {
            self.type_error(node, field, &format!("a mapping ({what})"));
            return None;
        };
        let mut fields = Fields {
            items: Vec::with_capacity(items.len()),
            span: node.span.clone(),
        };
        let mut seen = std::collections::HashMap::new();
        for (k, v) in items {
            let Some(name) = scalar(k) else {
                self.error(
                    k.span.clone(),
                    format!("a key of {what} must be a plain name"),
                );
                continue;
            };
            if let Some(first) = seen.get(name) {
                let mut p =
                    Problem::new(k.span.clone(), format!("duplicate key `{name}` in {what}"))
                        .label("duplicate key")
                        .help("remove one of the two keys");
                p.related = Some((Range::clone(first), "first defined here".into()));
                self.push(p);
                continue;
            }
            seen.insert(name, k.span.clone());
            if !silent(name) && !known.contains(&name) {
                let help = match did_you_mean(name, known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("known keys: {}", known.join(", ")),
                };
                self.push(
                    Problem::new(k.span.clone(), format!("unknown key `{name}` in {what}"))
                        .label("unknown key")
                        .help(help),
                );
            }
            fields.items.push((name, k, v));
        }
        Some(fields)
    }

    /// A scalar as text; `null`, an empty value and `true`/`false` are not text.
    pub fn string(&mut self, node: &Node, field: &str) -> Option<Sp<String>> {
        match &node.kind {
            NodeKind::Scalar { value, plain }
                if !(*plain
                    && matches!(plain_type(value), PlainType::Null | PlainType::Bool(_))) =>
            {
                Some(Sp::new(value.clone(), node.span.clone()))
            }
            _ => {
                self.type_error(node, field, "a string");
                None
            }
        }
    }

    /// `true` or `false`; the words other tools use for them (`yes`, `on`, `$true`) get a hint.
    pub fn boolean(&mut self, node: &Node, field: &str) -> Option<Sp<bool>> {
        if let NodeKind::Scalar { value, plain: true } = &node.kind {
            if let PlainType::Bool(b) = plain_type(value) {
                return Some(Sp::new(b, node.span.clone()));
            }
        }
        let meant = scalar(node).and_then(|v| match v.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "on" | "$true" | "1" => Some("true"),
            "no" | "n" | "off" | "$false" | "0" => Some("false"),
            _ => None,
        });
        let mut p = Problem::new(
            node.span.clone(),
            format!(
                "`{field}` expects true or false, found {}",
                node.type_name()
            ),
        )
        .label("expected true or false");
        if let Some(m) = meant {
            p = p.help(format!("did you mean `{m}`?"));
        }
        self.push(p);
        None
    }

    /// A whole number, 0 or more.
    pub fn count(&mut self, node: &Node, field: &str) -> Option<Sp<i64>> {
        match &node.kind {
            NodeKind::Scalar { value, plain: true } => match plain_type(value) {
                PlainType::Int(i) if i >= 0 => Some(Sp::new(i, node.span.clone())),
                _ => {
                    self.type_error(node, field, "a whole number");
                    None
                }
            },
            _ => {
                self.type_error(node, field, "a whole number");
                None
            }
        }
    }

    /// A list of strings; a single string is a list of one.
    pub fn string_list(&mut self, node: &Node, field: &str) -> Vec<Sp<String>> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| self.string(i, field)).collect(),
            NodeKind::Scalar { .. } => self.string(node, field).into_iter().collect(),
            NodeKind::Map(_) => {
                self.type_error(node, field, "a list of strings");
                Vec::new()
            }
        }
    }

    /// The items of a list (of `what`).
    pub fn seq<'n>(&mut self, node: &'n Node, field: &str, what: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            _ => {
                self.type_error(node, field, &format!("a list of {what}"));
                &[]
            }
        }
    }

    /// One of a set of names, parsed; an unknown one with "did you mean".
    pub fn one_of<T>(
        &mut self,
        node: &Node,
        field: &str,
        names: &[&'static str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let s = self.string(node, field)?;
        if let Some(v) = parse(&s.value) {
            return Some(Sp::new(v, s.span));
        }
        let help = match did_you_mean(&s.value, names) {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("one of: {}", names.join(", ")),
        };
        self.push(
            Problem::new(
                s.span,
                format!("`{field}` has an unknown value `{}`", s.value),
            )
            .label(format!("unknown {field} value"))
            .help(help),
        );
        None
    }
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate a word most likely meant: one it begins (three letters at least), else the
/// nearest within a third of its length (at least two edits).
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    if lower.len() >= 3 {
        if let Some(c) = candidates
            .iter()
            .find(|c| c.to_ascii_lowercase().starts_with(&lower))
        {
            return Some(c);
        }
    }
    // Comparing a huge word costs its length times each candidate's: no suggestion for those.
    if lower.len() > 200 {
        return None;
    }
    candidates
        .iter()
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(src: &str) -> Node {
        crate::load::yaml::parse(src).unwrap().unwrap()
    }

    #[test]
    fn mappings_report_unknown_and_duplicate_keys() {
        let n = node("a: 1\nb: 2\na: 3\nsecret: x\n");
        let mut r = Reader::default();
        let f = r
            .mapping(&n, "top", "the file", &["a", "bb"], |k| k == "secret")
            .unwrap();
        assert_eq!(f.items.len(), 3);
        let messages: Vec<&str> = r.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `b` in the file",
                "duplicate key `a` in the file"
            ]
        );
        assert!(r.problems[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean"));
    }

    #[test]
    fn booleans_suggest_true_and_false() {
        let n = node("a: yes\nb: $false\nc: true\n");
        let NodeKind::Map(items) = &n.kind else {
            panic!()
        };
        let mut r = Reader::default();
        assert!(r.boolean(&items[0].1, "a").is_none());
        assert!(r.boolean(&items[1].1, "b").is_none());
        assert!(r.boolean(&items[2].1, "c").unwrap().value);
        let helps: Vec<_> = r.problems.iter().map(|p| p.help.clone().unwrap()).collect();
        assert_eq!(helps, ["did you mean `true`?", "did you mean `false`?"]);
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("sip_domain", &["sip_domains", "xmpp"]),
            Some("sip_domains")
        );
        assert_eq!(did_you_mean("zzzzzz", &["sip_domains", "xmpp"]), None);
    }
}
