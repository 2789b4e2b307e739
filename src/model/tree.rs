//! A YAML node tree with the byte span of every key and value (built by `load::yaml`): the
//! topology decoder and the rule-pack reader read it, and a finding's identity names its place
//! by it (pool name, server FQDN, file: never a line number).

use std::ops::Range;

/// How deep a tree may nest (the YAML parser refuses deeper documents; the cache's reader,
/// deeper trees).
pub const MAX_DEPTH: usize = 64;
/// Nodes, aliases expanded: far above any real topology (a few thousand), far below what
/// would cost noticeable memory.
pub const MAX_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Scalar { value: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte range of the node in the source (for an alias: the `*name` token).
    pub span: Range<usize>,
}

impl Node {
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { value, plain: true } => match plain_type(value) {
                PlainType::Null => "null",
                PlainType::Bool(_) => "a boolean",
                PlainType::Int(_) => "a number",
                PlainType::Float => "a number",
                PlainType::Str => "a string",
            },
            NodeKind::Scalar { .. } => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    pub fn count(&self) -> usize {
        match &self.kind {
            NodeKind::Scalar { .. } => 1,
            NodeKind::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            NodeKind::Map(items) => {
                1 + items
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
        }
    }
}

/// The YAML 1.2 core-schema reading of a plain scalar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlainType {
    Null,
    Bool(bool),
    Int(i64),
    Float,
    Str,
}

pub fn plain_type(s: &str) -> PlainType {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => PlainType::Null,
        "true" | "True" | "TRUE" => PlainType::Bool(true),
        "false" | "False" | "FALSE" => PlainType::Bool(false),
        _ => {
            if let Ok(i) = s.parse::<i64>() {
                PlainType::Int(i)
            } else if s.parse::<f64>().is_ok() && s.bytes().any(|b| b.is_ascii_digit()) {
                PlainType::Float
            } else {
                PlainType::Str
            }
        }
    }
}
