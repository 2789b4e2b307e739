//! `file:line:col: severity: message [CODE]`, one line per finding (problem matchers, grep).

use super::Report;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        let message = d.message.replace(['\n', '\r'], " ");
        out.push_str(&format!(
            "{}:{}:{}: {}: {} [{}]\n",
            d.location.file,
            d.location.line,
            d.location.column,
            d.severity.as_str(),
            message,
            d.code
        ));
    }
    out
}
