//! `--format github`: GitHub Actions workflow commands, one annotation per finding.
//!
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C2,title=T::MESSAGE`, `::warning` and
//! `::notice` (severity `info`), escaped as actions/toolkit's `command.ts` does: in the message
//! `%` `\r` `\n` become `%25` `%0D` `%0A`; in property values `:` and `,` also become `%3A` and
//! `%2C`. GitHub refuses `col`/`endColumn` on a span over several lines, so they are sent only
//! when the span is on one line. A finding without a file (an E002 about a command-line
//! selector) has no `file`, `line` or `col`.
//!
//! The message starts with `file:line:col:` so that the raw log line reads like the concise
//! format; the finding's help and its secondary places follow on their own lines.

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        out.push_str(&command(d));
        out.push('\n');
    }
    out
}

fn command(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let l = &d.location;
    let has_file = !(l.file.starts_with('<') && l.file.ends_with('>'));
    let mut props: Vec<(&str, String)> = Vec::new();
    if has_file {
        props.push(("file", l.file.to_string()));
        props.push(("line", l.line.to_string()));
        let one_line = l.end_line <= l.line;
        if one_line {
            props.push(("col", l.column.to_string()));
        }
        props.push(("endLine", l.end_line.max(l.line).to_string()));
        if one_line {
            props.push(("endColumn", l.end_column.max(l.column).to_string()));
        }
    }
    props.push(("title", format!("{} ({})", d.code, d.name)));

    let mut message = String::new();
    if has_file {
        message.push_str(&format!("{}:{}:{}: ", l.file, l.line, l.column));
    }
    message.push_str(&format!("{} [{}]", d.message, d.code));
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    for r in &d.related {
        let rl = &r.location;
        message.push_str(&format!(
            "\n{}:{}:{}: {}",
            rl.file, rl.line, rl.column, r.message
        ));
    }

    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    format!("::{kind} {}::{}", props.join(","), escape_data(&message))
}

/// The message of a workflow command: `%`, `\r`, `\n` (in that order: `%` first).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file`, `title`, ...): as the message, and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Related};
    use std::sync::Arc;

    fn diagnostic(
        file: &str,
        (line, column, end_line, end_column): (usize, usize, usize, usize),
    ) -> Diagnostic {
        Diagnostic {
            code: "X101".into(),
            name: "org, rule: one".into(),
            severity: Severity::Info,
            message: "100% sure\r\nsecond: line, really".into(),
            location: Location {
                file: Arc::from(file),
                line,
                column,
                end_line,
                end_column,
                bytes: None,
            },
            label: None,
            help: Some("fix it\nnow".into()),
            related: vec![Related {
                location: Location::start_of_file(&Arc::from("certs/a.pem")),
                message: "defined here".into(),
            }],
            fix: None,
            identity: None,
        }
    }

    #[test]
    fn a_finding_becomes_one_escaped_command() {
        assert_eq!(
            command(&diagnostic("plans/a,b:c%.yaml", (3, 5, 3, 9))),
            "::notice file=plans/a%2Cb%3Ac%25.yaml,line=3,col=5,endLine=3,endColumn=9,\
             title=X101 (org%2C rule%3A one)::plans/a,b:c%25.yaml:3:5: 100%25 sure%0D%0Asecond: \
             line, really [X101]%0Ahelp: fix it%0Anow%0Acerts/a.pem:1:1: defined here"
        );
    }

    #[test]
    fn a_span_over_several_lines_has_no_columns() {
        let c = command(&diagnostic("a.yaml", (3, 5, 7, 2)));
        assert!(
            c.starts_with("::notice file=a.yaml,line=3,endLine=7,title="),
            "{c}"
        );
    }

    #[test]
    fn a_finding_without_a_file_has_no_position() {
        let c = command(&diagnostic("<command line>", (1, 1, 1, 1)));
        assert!(
            c.starts_with("::notice title=X101 (org%2C rule%3A one)::100%25 sure"),
            "{c}"
        );
    }

    #[test]
    fn escaping_follows_actions_toolkit() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(
            escape_property("100% a\r\nb: c, d"),
            "100%25 a%0D%0Ab%3A c%2C d"
        );
    }
}
