//! The finding every stage after `check` works with; reporters see only this.

use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

use crate::source::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Short text under the primary span in the human format.
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// The certificate to request, when that is the remedy; its text is also in `help`.
    pub fix: Option<Box<crate::fix::Fix>>,
}

impl Diagnostic {
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.location.file,
            self.location.line,
            self.location.column,
            self.code,
            &self.message,
        )
    }
}
