//! Literal secrets in a topology file (`password:`, `passphrase:`, `secret:`, `pwd:`, `pass:`,
//! in any case, at any depth) are masked in the text *before* it is parsed, so that no frame,
//! message, alias or later stage can ever see them: every value becomes `"********"` (a fixed
//! length that says nothing of the secret's), followed by the line breaks it spanned, so line
//! numbers stay true. A text scan finds them even in a file that does not parse; the parsed
//! tree then finds any the scan missed (a flow mapping split over lines, a quoted key).

use std::ops::Range;

use super::yaml::{Node, NodeKind};

/// Key names whose value is a secret (compared case-insensitively).
pub const SECRET_KEYS: [&str; 5] = ["password", "passphrase", "secret", "pwd", "pass"];

/// What a masked value is replaced with.
pub const MASK: &str = "\"********\"";

pub fn is_secret_key(key: &str) -> bool {
    let k = key.trim();
    SECRET_KEYS.iter().any(|s| s.eq_ignore_ascii_case(k))
}

/// A secret found: where its key is (for T005) and the value to mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub key: Range<usize>,
    pub name: String,
    pub value: Range<usize>,
}

/// Secrets found by reading the text line by line (the file need not parse).
pub fn scan_text(text: &str) -> Vec<Secret> {
    let lines: Vec<(usize, &str)> = crate::source::lines(text).collect();
    let mut out = Vec::new();
    for (i, &(start, line)) in lines.iter().enumerate() {
        for (key, name, value) in keys_in_line(line) {
            let indent = line.len() - line.trim_start().len();
            let mut value = start + value.start..start + value.end;
            let written = text[value.clone()].trim();
            // A block scalar (`|`, `>`) or a value on the following lines: every following line
            // indented deeper than the key's line belongs to it.
            if written.is_empty() || written.starts_with(['|', '>']) {
                for &(s, l) in &lines[i + 1..] {
                    let deeper = l.len() - l.trim_start().len() > indent;
                    if !(deeper || l.trim().is_empty()) {
                        break;
                    }
                    value.end = s + l.len();
                }
            }
            out.push(Secret {
                key: start + key.start..start + key.end,
                name,
                value,
            });
        }
    }
    out
}

/// The secret keys of one line: (key span, key name, value span), spans within the line.
fn keys_in_line(line: &str) -> Vec<(Range<usize>, String, Range<usize>)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    // Places a key may begin: after the indentation and any `- ` items, and after `{` or `,`
    // (most lines have neither: nothing is allocated for them).
    let first = (skip_item_marks(line, 0), false);
    let mut starts = Vec::new();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'#') if i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t' => break,
            (None, b'{' | b',') => starts.push((skip_spaces(line, i + 1), true)),
            _ => {}
        }
    }
    for (at, flow) in std::iter::once(first).chain(starts) {
        let Some((key, name, after)) = key_at(line, at, flow) else {
            continue;
        };
        if !is_secret_key(name) {
            continue;
        }
        let from = skip_spaces(line, after);
        out.push((key, name.to_string(), from..value_end(line, from, flow)));
    }
    out
}

fn skip_spaces(line: &str, mut i: usize) -> usize {
    let b = line.as_bytes();
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

fn skip_item_marks(line: &str, i: usize) -> usize {
    let mut i = skip_spaces(line, i);
    while line[i..].starts_with("- ") || line[i..].starts_with("-\t") {
        i = skip_spaces(line, i + 1);
    }
    i
}

/// A mapping key at `at` followed by `:` and a space (or the end of the line): its span, its
/// name and where the value may begin.
fn key_at(line: &str, at: usize, flow: bool) -> Option<(Range<usize>, &str, usize)> {
    let rest = line.get(at..)?;
    let (name, len) = match rest.as_bytes().first()? {
        q @ (b'"' | b'\'') => {
            let close = rest[1..].find(*q as char)? + 1;
            (&rest[1..close], close + 1)
        }
        _ => {
            // In a flow collection a plain key ends at the first indicator: searching on to a
            // colon from every item made a line of 200,000 items take half a minute.
            let end = if flow {
                rest.find([':', ',', '[', ']', '{', '}'])
                    .filter(|&e| rest.as_bytes()[e] == b':')?
            } else {
                rest.find(':')?
            };
            (rest[..end].trim_end(), end)
        }
    };
    let after_key = at + len;
    let colon = skip_spaces(line, after_key);
    if line.as_bytes().get(colon) != Some(&b':') {
        return None;
    }
    match line.as_bytes().get(colon + 1) {
        None | Some(b' ' | b'\t') => Some((at..after_key, name, colon + 1)),
        _ => None,
    }
}

/// Where a value starting at `from` ends: the end of the line or a comment; in a flow mapping
/// also a `,` or `}` outside quotes.
fn value_end(line: &str, from: usize, flow: bool) -> usize {
    let b = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate().skip(from) {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if i == from => quote = Some(c),
            (None, b'#') if i > from && (b[i - 1] == b' ' || b[i - 1] == b'\t') => {
                end = i;
                break;
            }
            (None, b',' | b'}' | b']') if flow => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    from + line[from..end].trim_end().len()
}

/// Secrets the parsed tree shows: every mapping item, at any depth, whose key is a secret name.
pub fn scan_tree(root: &Node, out: &mut Vec<Secret>) {
    match &root.kind {
        NodeKind::Scalar { .. } => {}
        NodeKind::Seq(items) => items.iter().for_each(|n| scan_tree(n, out)),
        NodeKind::Map(items) => {
            for (k, v) in items {
                if let NodeKind::Scalar { value, .. } = &k.kind {
                    if is_secret_key(value) && !v.span.is_empty() {
                        out.push(Secret {
                            key: k.span.clone(),
                            name: value.clone(),
                            value: v.span.clone(),
                        });
                        continue;
                    }
                }
                scan_tree(k, out);
                scan_tree(v, out);
            }
        }
    }
}

/// The text with every secret value replaced by [`MASK`] and the line breaks it held; the
/// secrets' key spans moved to the new text. Values already masked stay as they are.
pub fn mask(text: &str, secrets: &[Secret]) -> (String, Vec<Secret>) {
    let mut sorted: Vec<&Secret> = secrets
        .iter()
        .filter(|s| !s.value.is_empty() && &text[s.value.clone()] != MASK)
        .collect();
    sorted.sort_by_key(|s| s.value.start);
    let mut out = String::with_capacity(text.len());
    let mut moved = Vec::new();
    let mut at = 0;
    let mut shift: isize = 0;
    for s in sorted {
        if s.value.start < at {
            continue;
        }
        out.push_str(&text[at..s.value.start]);
        let key_start = (s.key.start as isize + shift) as usize;
        let key_end = (s.key.end as isize + shift) as usize;
        let breaks = text[s.value.clone()].matches('\n').count();
        // A value that began on the next line follows its key's colon directly: keep a space.
        let space = if text[..s.value.start].ends_with(':') {
            " "
        } else {
            ""
        };
        let replacement = format!("{space}{MASK}{}", "\n".repeat(breaks));
        out.push_str(&replacement);
        shift += replacement.len() as isize - s.value.len() as isize;
        moved.push(Secret {
            key: key_start..key_end,
            name: s.name.clone(),
            value: key_end..key_end,
        });
        at = s.value.end;
    }
    out.push_str(&text[at..]);
    (out, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> String {
        mask(text, &scan_text(text)).0
    }

    #[test]
    fn the_scan_finds_secrets_in_every_form() {
        assert_eq!(masked("password: hunter2\n"), "password: \"********\"\n");
        assert_eq!(
            masked("a:\n  - Password: 'hunter 2' # why\n"),
            "a:\n  - Password: \"********\" # why\n"
        );
        assert_eq!(
            masked("notes: {PASSWORD: hunter2, b: 1}\n"),
            "notes: {PASSWORD: \"********\", b: 1}\n"
        );
        assert_eq!(
            masked("secret: |\n  line one\n  line two\nnext: 1\n"),
            "secret: \"********\"\n\n\nnext: 1\n"
        );
        assert_eq!(masked("pwd: &pw hunter2\n"), "pwd: \"********\"\n");
        assert_eq!(
            masked("passwords: x\npass:word\n"),
            "passwords: x\npass:word\n"
        );
        assert_eq!(masked("\"pass\" : x\r\n"), "\"pass\" : \"********\"\r\n");
    }
}
