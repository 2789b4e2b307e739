//! A YAML node tree with the byte span of every key and value, built from the event stream
//! of serde-saphyr's own parser (granit-parser). serde deserialization stops at the first
//! error and loses key spans; this tree lets the topology decoder report every schema error
//! at its exact place. Aliases are expanded under a node budget, the whole tree is capped and
//! nesting is limited, so alias bombs, huge files and deep nesting end in a located error
//! instead of memory or stack exhaustion. Merge keys (`<<: *base`) are applied; tags other than
//! the core schema's (`!!binary`, `!custom`) are refused with their place, since a topology
//! holds plain text only.

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, ScanError, Span, StructureStyle};
use std::collections::HashMap;
use std::ops::Range;

pub use crate::model::tree::{MAX_DEPTH, MAX_NODES};

pub use crate::model::tree::{plain_type, Node, NodeKind, PlainType};

#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub span: Range<usize>,
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
    Map {
        items: Vec<(Node, Node)>,
        key: Option<Node>,
        start: usize,
        anchor: usize,
        flow: bool,
    },
}

fn byte_range(span: &Span, src: &str) -> Range<usize> {
    let r = span.byte_range().unwrap_or(0..0);
    r.start.min(src.len())..r.end.min(src.len())
}

fn scan_error(src: &str, lines: &crate::source::LineIndex, e: &ScanError) -> YamlError {
    let m = e.marker();
    let at = m
        .byte_offset()
        .unwrap_or_else(|| lines.offset(src, m.line(), m.col()))
        .min(src.len());
    let mut end = at;
    if let Some(c) = src[at..].chars().next() {
        if c != '\n' {
            end += c.len_utf8();
        }
    }
    let info = e.info();
    YamlError {
        message: format!(
            "YAML syntax error: {}",
            if info.is_empty() {
                "invalid YAML"
            } else {
                &info
            }
        ),
        span: at..end,
    }
}

/// The tree as it is built from the parser's events.
struct Builder<'s> {
    src: &'s str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    root: Option<Node>,
    documents: usize,
}

impl Builder<'_> {
    fn count(&mut self, n: usize, at: &Range<usize>) -> Result<(), YamlError> {
        self.nodes += n;
        too_many(self.nodes, at)
    }

    fn document_start(&mut self, here: &Range<usize>) -> Result<(), YamlError> {
        self.documents += 1;
        if self.documents > 1 {
            return Err(YamlError {
                message: "a topology file holds one YAML document; found a second one".into(),
                span: here.start..here.start + 3.min(self.src.len() - here.start),
            });
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        value: String,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&serde_saphyr::granit_parser::Tag>,
        here: Range<usize>,
    ) -> Result<Node, YamlError> {
        let plain = match tag_meaning(tag, &here)? {
            // `!!str 8h` is a string, whatever it looks like.
            TagMeaning::Str => false,
            TagMeaning::Plain => style == ScalarStyle::Plain,
        };
        let node = Node {
            kind: NodeKind::Scalar { value, plain },
            span: here,
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        self.count(1, &node.span)?;
        Ok(node)
    }

    fn alias(&mut self, id: usize, here: Range<usize>) -> Result<Node, YamlError> {
        let Some(target) = self.anchors.get(&id) else {
            return Err(YamlError {
                message: "alias to an unknown anchor".into(),
                span: here,
            });
        };
        let mut node = target.clone();
        self.nodes += node.count();
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                message: format!(
                    "YAML aliases expand to more than {MAX_NODES} nodes (an alias bomb?)"
                ),
                span: here,
            });
        }
        node.span = here;
        Ok(node)
    }

    fn open(
        &mut self,
        map: bool,
        flow: bool,
        anchor: usize,
        here: &Range<usize>,
    ) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                message: format!("YAML nested deeper than {MAX_DEPTH} levels"),
                span: here.start..here.end.max(here.start + 1).min(self.src.len()),
            });
        }
        self.count(1, here)?;
        let start = here.start;
        self.stack.push(if map {
            Frame::Map {
                items: Vec::new(),
                key: None,
                start,
                anchor,
                flow,
            }
        } else {
            Frame::Seq {
                items: Vec::new(),
                start,
                anchor,
                flow,
            }
        });
        Ok(())
    }

    fn close(&mut self, here: &Range<usize>) -> Option<Node> {
        let (kind, start, anchor, flow) = match self.stack.pop()? {
            Frame::Seq {
                items,
                start,
                anchor,
                flow,
            } => (NodeKind::Seq(items), start, anchor, flow),
            Frame::Map {
                items,
                start,
                anchor,
                flow,
                ..
            } => (NodeKind::Map(merge_keys(items)), start, anchor, flow),
        };
        // A block collection ends where its last item does, not at the next token.
        let end = if flow {
            here.end.max(start)
        } else {
            let stop = here.start.max(start);
            start + self.src[start..stop].trim_end().len()
        };
        let node = Node {
            kind,
            span: start..end,
        };
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Some(node)
    }

    /// Put a finished node where it belongs: the root, a list item, a key or a value.
    fn attach(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { items, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => items.push((k, node)),
            },
        }
    }
}

/// Parse the first document of `src`. `Ok(None)` for a stream with no document.
pub fn parse(src: &str) -> Result<Option<Node>, YamlError> {
    let lines = crate::source::LineIndex::new(src);
    let mut b = Builder {
        src,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
        documents: 0,
    };
    for event in Parser::new_from_str(src) {
        let (event, span) = event.map_err(|e| scan_error(src, &lines, &e))?;
        let here = byte_range(&span, src);
        let node = match event {
            Event::DocumentStart(..) => {
                b.document_start(&here)?;
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                b.scalar(value.into_owned(), style, anchor, tag.as_deref(), here)?
            }
            Event::Alias(id) => b.alias(id, here)?,
            Event::SequenceStart(style, anchor, ref tag)
            | Event::MappingStart(style, anchor, ref tag) => {
                tag_meaning(tag.as_deref(), &here)?;
                let map = matches!(event, Event::MappingStart(..));
                b.open(map, style == StructureStyle::Flow, anchor, &here)?;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match b.close(&here) {
                Some(node) => node,
                None => continue,
            },
            _ => continue,
        };
        b.attach(node);
    }
    Ok(b.root)
}

fn too_many(nodes: usize, at: &Range<usize>) -> Result<(), YamlError> {
    if nodes > MAX_NODES {
        return Err(YamlError {
            message: format!("the YAML holds more than {MAX_NODES} nodes"),
            span: at.clone(),
        });
    }
    Ok(())
}

enum TagMeaning {
    Plain,
    Str,
}

/// What a node's tag means here: none or a core-schema type tag is read as usual (`!!str`
/// forces a string); any other tag is refused.
fn tag_meaning(
    tag: Option<&serde_saphyr::granit_parser::Tag>,
    at: &Range<usize>,
) -> Result<TagMeaning, YamlError> {
    let Some(tag) = tag else {
        return Ok(TagMeaning::Plain);
    };
    if tag.is_yaml_core_schema_tag("str") {
        return Ok(TagMeaning::Str);
    }
    if ["null", "bool", "int", "float", "map", "seq"]
        .iter()
        .any(|t| tag.is_yaml_core_schema_tag(t))
    {
        return Ok(TagMeaning::Plain);
    }
    Err(YamlError {
        message: format!(
            "unsupported YAML tag `{}`: a topology holds plain values only",
            crate::source::escape_controls(&tag.to_string(), false)
        ),
        span: at.clone(),
    })
}

/// Apply YAML merge keys: `<<: *base` (or a list of them) adds the entries of the merged
/// mappings that the mapping does not set itself; its own entries win, earlier merges win
/// over later ones. A `<<` whose value is not a mapping (or list of mappings) stays, and the
/// decoder reports it as an unknown key.
fn merge_keys(items: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let is_merge =
        |k: &Node| matches!(&k.kind, NodeKind::Scalar { value, plain: true } if value == "<<");
    let mergeable = |v: &Node| match &v.kind {
        NodeKind::Map(_) => true,
        NodeKind::Seq(list) => list.iter().all(|n| matches!(n.kind, NodeKind::Map(_))),
        NodeKind::Scalar { .. } => false,
    };
    if !items.iter().any(|(k, v)| is_merge(k) && mergeable(v)) {
        return items;
    }
    let key_text = |k: &Node| match &k.kind {
        NodeKind::Scalar { value, .. } => Some(value.clone()),
        _ => None,
    };
    let (merges, mut own): (Vec<_>, Vec<_>) = items
        .into_iter()
        .partition(|(k, v)| is_merge(k) && mergeable(v));
    for (_, v) in merges {
        let sources = match v.kind {
            NodeKind::Map(entries) => vec![entries],
            NodeKind::Seq(list) => list
                .into_iter()
                .filter_map(|n| match n.kind {
                    NodeKind::Map(entries) => Some(entries),
                    _ => None,
                })
                .collect(),
            NodeKind::Scalar { .. } => Vec::new(),
        };
        for (k, v) in sources.into_iter().flatten() {
            let name = key_text(&k);
            if name.is_none() || !own.iter().any(|(o, _)| key_text(o) == name) {
                own.push((k, v));
            }
        }
    }
    own
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example's and a fixture's topology trees read back from the cache's form as parsed.
    #[test]
    fn parsed_trees_read_back_from_the_cache_as_they_were() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for path in [
            "examples/contoso/topology.yaml",
            "fixtures/t005/topology.yaml",
        ] {
            let text = std::fs::read_to_string(root.join(path)).unwrap();
            let node = parse(&text).unwrap().unwrap();
            let bytes = crate::cache::tree::encode(&node).unwrap();
            assert_eq!(
                crate::cache::tree::decode(&bytes, &text),
                Some(node),
                "{path}"
            );
        }
    }

    #[test]
    fn keys_and_values_keep_their_spans() {
        let src = "a:\n  b: [x, 'y']\n  c: zürich\n";
        let root = parse(src).unwrap().unwrap();
        let NodeKind::Map(top) = &root.kind else {
            panic!()
        };
        let NodeKind::Map(inner) = &top[0].1.kind else {
            panic!()
        };
        assert_eq!(&src[inner[0].0.span.clone()], "b");
        assert_eq!(&src[inner[0].1.span.clone()], "[x, 'y']");
        assert_eq!(&src[inner[1].1.span.clone()], "zürich");
    }

    #[test]
    fn alias_bomb_is_a_located_error() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(&src).unwrap_err();
        assert!(err.message.contains("alias"), "{}", err.message);
    }

    #[test]
    fn merge_keys_apply_and_own_keys_win() {
        let src = "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n";
        let root = parse(src).unwrap().unwrap();
        let NodeKind::Map(top) = &root.kind else {
            panic!()
        };
        let NodeKind::Map(m) = &top[1].1.kind else {
            panic!()
        };
        let pairs: Vec<(String, String)> = m
            .iter()
            .map(|(k, v)| match (&k.kind, &v.kind) {
                (NodeKind::Scalar { value: k, .. }, NodeKind::Scalar { value: v, .. }) => {
                    (k.clone(), v.clone())
                }
                _ => panic!(),
            })
            .collect();
        assert_eq!(pairs, [("y".into(), "3".into()), ("x".into(), "1".into())]);
    }

    #[test]
    fn tags_other_than_the_core_schema_are_refused() {
        let err = parse("a: !!binary aGVsbG8=\n").unwrap_err();
        assert!(
            err.message.contains("unsupported YAML tag"),
            "{}",
            err.message
        );
        assert!(parse("a: !custom x\n").is_err());
        let root = parse("a: !!str 8\n").unwrap().unwrap();
        let NodeKind::Map(top) = &root.kind else {
            panic!()
        };
        assert_eq!(top[0].1.type_name(), "a string");
    }

    #[test]
    fn deep_nesting_is_a_located_error() {
        let src = "- ".repeat(5000) + "x\n";
        let err = parse(&src).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
        let src = "[".repeat(5000);
        assert!(parse(&src).is_err());
    }
}
