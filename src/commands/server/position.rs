//! Positions on the wire. edgelint counts columns in Unicode scalar values, which is LSP's
//! `utf-32` position encoding; a client that does not offer it gets `utf-16` (the protocol's
//! default, in which a character outside the Basic Multilingual Plane counts 2). Internally
//! every place is a byte offset into the text the analysis read.

use gen_lsp_types::{Position, Range};

use crate::source::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Utf32,
}

impl Encoding {
    /// `utf-32` when the client offers it, else `utf-16` (which every client understands).
    pub fn negotiate(offered: &[String]) -> Encoding {
        if offered.iter().any(|e| e == "utf-32") {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }

    fn units(self, c: char) -> u32 {
        match self {
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }

    /// How many units `s` counts.
    pub fn len(self, s: &str) -> u32 {
        match self {
            Encoding::Utf16 => s.encode_utf16().count() as u32,
            Encoding::Utf32 => s.chars().count() as u32,
        }
    }
}

/// A text with its line index, for converting positions both ways.
pub struct Text<'a> {
    pub text: &'a str,
    pub lines: &'a LineIndex,
    pub encoding: Encoding,
}

impl Text<'_> {
    /// The position of a byte offset (snapped back to a character boundary, clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, start) = self.lines.line_of(offset);
        let start = start.min(offset);
        Position::new(
            (line - 1) as u32,
            self.encoding.len(&self.text[start..offset]),
        )
    }

    pub fn range(&self, bytes: &std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(bytes.start),
            self.position(bytes.end.max(bytes.start)),
        )
    }

    /// The byte offset of a position. A line past the end is the end of the text; a character
    /// past the end of its line is the line's end (as the protocol asks); a position inside a
    /// UTF-16 surrogate pair is the start of that character.
    pub fn offset(&self, p: Position) -> usize {
        let line = p.line as usize + 1;
        if line > self.lines.line_of(self.text.len()).0 {
            return self.text.len();
        }
        let range = self.lines.line_range(self.text, line);
        let mut units = 0u32;
        for (i, c) in self.text[range.clone()].char_indices() {
            units += self.encoding.units(c);
            if units > p.character {
                return range.start + i;
            }
        }
        range.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, e: Encoding) -> (LineIndex, Encoding) {
        (LineIndex::new(s), e)
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf32_counts_characters() {
        let s = "a: zürich 😀 x\nb: y\n";
        for (encoding, x_col) in [(Encoding::Utf16, 13), (Encoding::Utf32, 12)] {
            let (lines, e) = text(s, encoding);
            let t = Text {
                text: s,
                lines: &lines,
                encoding: e,
            };
            let x = s.find('x').unwrap();
            assert_eq!(t.position(x), Position::new(0, x_col));
            assert_eq!(t.offset(Position::new(0, x_col)), x);
            let y = s.find('y').unwrap();
            assert_eq!(t.position(y), Position::new(1, 3));
            assert_eq!(t.offset(Position::new(1, 3)), y);
            // Past the end of a line: the line's end; past the last line: the text's end.
            assert_eq!(t.offset(Position::new(1, 99)), s.len() - 1);
            assert_eq!(t.offset(Position::new(7, 0)), s.len());
        }
    }

    #[test]
    fn a_position_inside_a_surrogate_pair_is_the_character_start() {
        let s = "k: 😀z";
        let lines = LineIndex::new(s);
        let t = Text {
            text: s,
            lines: &lines,
            encoding: Encoding::Utf16,
        };
        assert_eq!(t.offset(Position::new(0, 4)), 3);
        assert_eq!(t.offset(Position::new(0, 5)), 7);
        assert_eq!(t.position(5), Position::new(0, 3));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines_as_in_the_protocol() {
        let s = "a\r\nb\rc\n";
        let lines = LineIndex::new(s);
        let t = Text {
            text: s,
            lines: &lines,
            encoding: Encoding::Utf16,
        };
        assert_eq!(t.position(s.find('c').unwrap()), Position::new(2, 0));
        assert_eq!(t.offset(Position::new(1, 0)), 3);
        assert_eq!(t.offset(Position::new(0, 5)), 1);
    }

    #[test]
    fn negotiation_prefers_utf32() {
        let offered = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Encoding::negotiate(&offered(&["utf-8", "utf-32", "utf-16"])),
            Encoding::Utf32
        );
        assert_eq!(Encoding::negotiate(&offered(&["utf-8"])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(&[]), Encoding::Utf16);
    }
}
