//! The binary form of a parsed topology tree (`model::tree::Node`), kept in the cache under a
//! key made of the (masked) text it was parsed from: a warm run reads the tree instead of
//! parsing the YAML again. A tree holds what the text holds, and the text a tree is kept for
//! has had its secrets masked before parsing, so no password reaches the cache.
//!
//! Nodes are written in pre-order: a tag (plain scalar, other scalar, sequence, mapping), the
//! span's start and end and the scalar's length or the number of children (4 bytes each),
//! then the scalar's bytes or the children. The decoder trusts
//! nothing: every span must lie on character boundaries of the text it is read for, no deeper
//! than the parser allows and with no more nodes; anything else is `None` (a miss).

use crate::model::tree::{Node, NodeKind, MAX_DEPTH, MAX_NODES};

const PLAIN: u8 = 0;
const QUOTED: u8 = 1;
const SEQ: u8 = 2;
const MAP: u8 = 3;
/// The fewest bytes a node takes: its tag and three 4-byte numbers.
const NODE_MIN: usize = 13;

/// The bytes of a tree; `None` when a number does not fit in 4 bytes (never for a topology
/// text edgelint reads, which is at most 4 MiB).
pub fn encode(node: &Node) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(1024);
    write(node, &mut out)?;
    Some(out)
}

fn write(node: &Node, out: &mut Vec<u8>) -> Option<()> {
    let (tag, count) = match &node.kind {
        NodeKind::Scalar { value, plain } => (if *plain { PLAIN } else { QUOTED }, value.len()),
        NodeKind::Seq(items) => (SEQ, items.len()),
        NodeKind::Map(pairs) => (MAP, pairs.len()),
    };
    out.push(tag);
    for n in [node.span.start, node.span.end, count] {
        out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    }
    match &node.kind {
        NodeKind::Scalar { value, .. } => out.extend_from_slice(value.as_bytes()),
        NodeKind::Seq(items) => {
            for n in items {
                write(n, out)?;
            }
        }
        NodeKind::Map(pairs) => {
            for (k, v) in pairs {
                write(k, out)?;
                write(v, out)?;
            }
        }
    }
    Some(())
}

/// The tree these bytes hold, read for `text`; `None` unless every byte is accounted for.
pub fn decode(bytes: &[u8], text: &str) -> Option<Node> {
    let mut r = Reader {
        rest: bytes,
        text,
        nodes: 0,
    };
    let node = r.node(0)?;
    r.rest.is_empty().then_some(node)
}

struct Reader<'a> {
    rest: &'a [u8],
    text: &'a str,
    nodes: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Some(head)
    }

    fn number(&mut self) -> Option<usize> {
        let bytes: [u8; 4] = self.take(4)?.try_into().ok()?;
        usize::try_from(u32::from_le_bytes(bytes)).ok()
    }

    fn node(&mut self, depth: usize) -> Option<Node> {
        self.nodes += 1;
        if depth > MAX_DEPTH + 1 || self.nodes > MAX_NODES {
            return None;
        }
        let tag = *self.take(1)?.first()?;
        let (start, end, count) = (self.number()?, self.number()?, self.number()?);
        let on_boundaries =
            start <= end && self.text.is_char_boundary(start) && self.text.is_char_boundary(end);
        if !on_boundaries {
            return None;
        }
        let kind = match tag {
            PLAIN | QUOTED => NodeKind::Scalar {
                value: String::from_utf8(self.take(count)?.to_vec()).ok()?,
                plain: tag == PLAIN,
            },
            // Each child takes at least a tag and three numbers: a count beyond what is left
            // is refused before anything is allocated for it.
            SEQ if count <= self.rest.len() / NODE_MIN => NodeKind::Seq(
                (0..count)
                    .map(|_| self.node(depth + 1))
                    .collect::<Option<_>>()?,
            ),
            MAP if count <= self.rest.len() / (2 * NODE_MIN) => NodeKind::Map(
                (0..count)
                    .map(|_| Some((self.node(depth + 1)?, self.node(depth + 1)?)))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        };
        Some(Node {
            kind,
            span: start..end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree as the parser makes them (built here: the cache does not use the loader).
    fn sample() -> (String, Node) {
        let text = "a: x\nb: [1, 'é']\n".to_string();
        let scalar = |value: &str, plain, span| Node {
            kind: NodeKind::Scalar {
                value: value.into(),
                plain,
            },
            span,
        };
        let list = Node {
            kind: NodeKind::Seq(vec![scalar("1", true, 9..10), scalar("é", false, 12..16)]),
            span: 8..17,
        };
        let root = Node {
            kind: NodeKind::Map(vec![
                (scalar("a", true, 0..1), scalar("x", true, 3..4)),
                (scalar("b", true, 5..6), list),
            ]),
            span: 0..18,
        };
        (text, root)
    }

    #[test]
    fn a_tree_reads_back_as_it_was() {
        let (text, node) = sample();
        let bytes = encode(&node).unwrap();
        assert_eq!(decode(&bytes, &text), Some(node.clone()));
        // The one form: what decodes encodes to the same bytes.
        assert_eq!(encode(&decode(&bytes, &text).unwrap()), Some(bytes));
    }

    #[test]
    fn anything_else_is_a_miss() {
        let (text, node) = sample();
        let bytes = encode(&node).unwrap();
        // Cut, extended, another text (spans past its end), a span inside a character.
        assert_eq!(decode(&bytes[..bytes.len() - 1], &text), None);
        assert_eq!(decode(&[&bytes[..], &[0]].concat(), &text), None);
        assert_eq!(decode(&bytes, "short"), None);
        let mut inside = Vec::new();
        inside.push(PLAIN);
        for n in [1u32, 2, 0] {
            inside.extend_from_slice(&n.to_le_bytes());
        }
        assert_eq!(decode(&inside, "é"), None);
        assert!(decode(&inside, "abc").is_some());
        // A sequence claiming more children than could follow, an unknown tag.
        let mut huge = vec![SEQ];
        for n in [0u32, 0, u32::MAX] {
            huge.extend_from_slice(&n.to_le_bytes());
        }
        assert_eq!(decode(&huge, "abc"), None);
        let mut unknown = inside.clone();
        unknown[0] = 9;
        assert_eq!(decode(&unknown, "abc"), None);
    }

    #[test]
    fn nesting_deeper_than_the_parser_allows_is_refused() {
        let mut one = vec![SEQ];
        for n in [0u32, 0, 1] {
            one.extend_from_slice(&n.to_le_bytes());
        }
        let nested = |depth: usize| {
            let mut bytes = one.repeat(depth);
            bytes.push(PLAIN);
            bytes.extend_from_slice(&[0; 12]);
            bytes
        };
        assert!(decode(&nested(MAX_DEPTH), "").is_some());
        assert_eq!(decode(&nested(MAX_DEPTH + 5), ""), None);
    }
}
