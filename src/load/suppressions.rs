//! `# edgelint: ignore[N003] reason` comments (on the line of a finding or the line above it)
//! and `# edgelint: ignore-file[N003, K001] reason` (anywhere, for the whole file), read from a
//! topology file's text; the filter stage applies them.

use crate::model::topology::Suppression;
use crate::selector::Selector;

const MARKER: &str = "edgelint:";

/// Every suppression comment of a topology file's text.
pub fn parse(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    // Lines as YAML reads them (LF, CR LF or a lone CR), so the comment's line is the finding's.
    for (i, (start, line)) in crate::source::lines(text).enumerate() {
        // A comment starts at a `#` at the line start or after white space (YAML's rule).
        let Some(hash) = line
            .char_indices()
            .find(|&(j, c)| c == '#' && (j == 0 || line[..j].ends_with([' ', '\t'])))
            .map(|(j, _)| j)
        else {
            continue;
        };
        let comment = line[hash + 1..].trim_start();
        let Some(rest) = comment.strip_prefix(MARKER) else {
            continue;
        };
        let rest_at = start + hash + 1 + (line[hash + 1..].len() - comment.len()) + MARKER.len();
        let trimmed = rest.trim_start();
        let mut at = rest_at + (rest.len() - trimmed.len());
        let (file_level, after) = if let Some(a) = trimmed.strip_prefix("ignore-file[") {
            at += "ignore-file[".len();
            (true, a)
        } else if let Some(a) = trimmed.strip_prefix("ignore[") {
            at += "ignore[".len();
            (false, a)
        } else {
            continue;
        };
        let Some(close) = after.find(']') else {
            continue;
        };
        let mut selectors = Vec::new();
        let mut pos = at;
        for part in after[..close].split(',') {
            let lead = part.len() - part.trim_start().len();
            let name = part.trim();
            if !name.is_empty() {
                selectors.push((Selector::parse(name), pos + lead..pos + lead + name.len()));
            }
            pos += part.len() + 1;
        }
        let end = start + line.len();
        out.push(Suppression {
            line: i + 1,
            file_level,
            selectors,
            span: start + hash..end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_with_their_spans() {
        let text = "a: 1 # edgelint: ignore[N003, K001] legacy CA\n# edgelint: ignore-file[T006]\nb: \"# edgelint: ignore[X]\"\n";
        let s = parse(text);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].line, 1);
        assert!(!s[0].file_level);
        assert_eq!(&text[s[0].selectors[0].1.clone()], "N003");
        assert_eq!(&text[s[0].selectors[1].1.clone()], "K001");
        assert!(s[1].file_level);
        assert_eq!(&text[s[1].selectors[0].1.clone()], "T006");
    }
}
