//! Byte offsets ↔ 1-based line/column (columns count Unicode scalar values, as output.md asks).

use std::ops::Range;

#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
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

    /// Byte offset of a 1-based line and a 0-based character column (clamped to the line).
    pub fn offset(&self, text: &str, line: usize, col0: usize) -> usize {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len();
        };
        let line_text = text[start..].split('\n').next().unwrap_or("");
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
        let len = rest.find('\n').unwrap_or(rest.len());
        let len = rest[..len].strip_suffix('\r').map_or(len, str::len);
        start..start + len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
