//! Byte offsets ↔ 1-based line/column (columns count Unicode scalar values, as output.md asks).

use std::ops::Range;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// The lines of a text as YAML reads them (a line ends at LF, CR LF or a lone CR): each
/// line's byte offset and its text without the line break.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let (mut at, mut done) = (0usize, false);
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = at;
        match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            Some(i) => {
                let end = start + i;
                at = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    end + 2
                } else {
                    end + 1
                };
                done = at >= bytes.len();
                Some((start, &text[start..end]))
            }
            None => {
                done = true;
                // No line after a final line break; an empty text is one empty line.
                (start < bytes.len() || start == 0).then(|| (start, &text[start..]))
            }
        }
    })
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // CR LF is one break (after the LF); a lone CR is a break of its own, as in YAML.
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based (line, column) of a byte offset; offsets inside a character snap back to its start.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// The 1-based line of a byte offset, and the byte offset that line starts at.
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        (line + 1, self.starts[line])
    }

    /// Byte offset of a 1-based line and a 0-based character column (clamped to the line).
    pub fn offset(&self, text: &str, line: usize, col0: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let line_text = text[start..].split(['\n', '\r']).next().unwrap_or("");
        start
            + line_text
                .char_indices()
                .nth(col0)
                .map_or(line_text.len(), |(b, _)| b)
    }

    /// The byte range of the whole 1-based line, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text.len());
        let rest = &text[start..];
        let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        start..start + len
    }
}

/// Characters that must not reach a terminal or a one-line format as they are: C0 and C1
/// controls (escape sequences, bell, carriage return, NUL), bidirectional overrides and
/// isolates (text that reads differently than it is, U+202E), line and paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// No character `escape_controls` would escape. Printable ASCII is checked a byte at a time
/// (almost every message is that); other text a character at a time.
pub fn is_safe_text(text: &str, keep_newlines: bool) -> bool {
    plain_ascii(text, |b| keep_newlines && b == b'\n')
        || !text
            .chars()
            .any(|c| is_unsafe(c) && !(keep_newlines && c == '\n'))
}

/// Printable ASCII and the control characters `also` accepts only: text that needs no
/// character decoded to be known safe (checked a byte at a time).
fn plain_ascii(text: &str, also: impl Fn(u8) -> bool) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b) || also(b))
}

/// Text from hostile files (certificate names, keys, file names) with every unsafe character
/// written as a Rust escape (`\u{1b}`); `keep_newlines` keeps `\n` (help text).
pub fn escape_controls(text: &str, keep_newlines: bool) -> String {
    if is_safe_text(text, keep_newlines) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            c if is_unsafe(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Source text as code frames may show it: every unsafe character replaced by one of the same
/// UTF-8 length (`?`, `¿` or U+FFFD), so byte offsets and spans stay valid; a lone CR (a line
/// break to the YAML parser) becomes LF, tabs and line breaks stay.
pub fn displayable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_at = |(i, c): (usize, char)| {
        is_unsafe(c) && !matches!(c, '\n' | '\t') && !(c == '\r' && text[i + 1..].starts_with('\n'))
    };
    // Almost every topology is printable ASCII with line breaks and tabs.
    if plain_ascii(text, |b| matches!(b, b'\n' | b'\t')) || !text.char_indices().any(unsafe_at) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if !unsafe_at((i, c)) {
            out.push(c);
            continue;
        }
        out.push(match (c, c.len_utf8()) {
            ('\r', _) => '\n',
            (_, 1) => '?',
            (_, 2) => '\u{bf}',
            _ => '\u{fffd}',
        });
    }
    debug_assert_eq!(out.len(), text.len());
    std::borrow::Cow::Owned(out)
}

/// A place in an input file. `bytes` is set when the file is text we may show (a topology
/// file); findings about certificate or key files carry only line and column, so that no
/// reporter ever prints the content of a key file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub bytes: Option<Range<usize>>,
}

impl Location {
    pub fn in_text(file: &Arc<str>, text: &str, lines: &LineIndex, bytes: Range<usize>) -> Self {
        let (line, column) = lines.line_col(text, bytes.start);
        let (end_line, end_column) = lines.line_col(text, bytes.end.max(bytes.start));
        Location {
            file: file.clone(),
            line,
            column,
            end_line,
            end_column,
            bytes: Some(bytes),
        }
    }

    /// A whole line of a file whose content must not be shown (e.g. a PEM `-----BEGIN` line).
    pub fn line_of_file(file: &Arc<str>, line: usize, line_chars: usize) -> Self {
        Location {
            file: file.clone(),
            line,
            column: 1,
            end_line: line,
            end_column: line_chars + 1,
            bytes: None,
        }
    }

    /// Line 1, column 1 of a binary file.
    pub fn start_of_file(file: &Arc<str>) -> Self {
        Self::line_of_file(file, 1, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape_controls("CN \u{1b}[31mred", false),
            "CN \\u{1b}[31mred"
        );
        assert_eq!(escape_controls("a\nb", true), "a\nb");
        assert_eq!(escape_controls("a\nb", false), "a\\nb");
        assert_eq!(
            escape_controls("evil\u{202e}gpj.exe", false),
            "evil\\u{202e}gpj.exe"
        );
    }

    #[test]
    fn displayable_text_keeps_offsets() {
        let text = "a: b\r\nc: \u{1b}[2J\u{0}\rd: \u{202e}x\u{85}\n";
        let shown = displayable(text);
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown, "a: b\r\nc: ?[2J?\nd: \u{fffd}x\u{bf}\n");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a: zürich\nb: x\n";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 4));
        let h = text.find('h').unwrap();
        assert_eq!(idx.line_col(text, h), (1, 9));
        assert_eq!(idx.offset(text, 1, 8), h);
        assert_eq!(idx.line_range(text, 2), 11..15);
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_in_yaml() {
        let text = "a: 1\rb: 2\r\nc: 3\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(idx.line_col(text, text.find('c').unwrap()), (3, 1));
        assert_eq!(idx.line_col(text, text.find('d').unwrap()), (4, 1));
        assert_eq!(idx.line_range(text, 2), 5..9);
        let all: Vec<(usize, &str)> = lines(text).collect();
        assert_eq!(all, [(0, "a: 1"), (5, "b: 2"), (11, "c: 3"), (16, "d")]);
        let all: Vec<(usize, &str)> = lines("x\n").collect();
        assert_eq!(all, [(0, "x")]);
    }
}
