//! The finding every stage after `check` works with; reporters see only this.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub use crate::source::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// What a rule is: its stable code, its name, its default severity and one line on what it
/// finds. Built-in rules borrow static text; rule packs own theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub severity: Severity,
    pub summary: Cow<'static, str>,
}

impl RuleMeta {
    /// A finding of this rule at its default severity.
    pub fn diag(&self, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code.clone(),
            name: self.name.clone(),
            severity: self.severity,
            message: message.into(),
            location,
            label: None,
            help: None,
            related: Vec::new(),
            fix: None,
            identity: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Cow<'static, str>,
    pub name: Cow<'static, str>,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// Short text under the primary span in the human format.
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// The certificate to request, when that is the remedy; its text is also in `help`.
    pub fix: Option<Box<crate::fix::Fix>>,
    /// What the finding is about, by name (set by the filter stage).
    pub identity: Option<Box<Identity>>,
}

/// What a finding is about, by name rather than by line: its rule, its file, the name-based
/// path of the YAML node at fault, the SHA-256 of the certificate involved, and the message
/// with its numbers masked. Baselines record it; SARIF fingerprints hash it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identity {
    pub code: String,
    pub file: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub message: String,
}

impl Identity {
    /// 32 hex digits of SHA-256 over every part.
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for part in [
            &self.code,
            &self.file,
            &self.path,
            self.sha256.as_deref().unwrap_or(""),
            &self.message,
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        crate::model::certs::hex(&h.finalize()[..16])
    }
}

/// What reporters know of a rule: its metadata and its documentation page.
pub struct RuleInfo<'a> {
    pub meta: &'a RuleMeta,
    pub page: Option<Cow<'a, str>>,
    /// Where the page is published (built-in rules).
    pub url: Option<String>,
}

impl Diagnostic {
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (
            &self.location.file,
            self.location.line,
            self.location.column,
            &self.code,
            &self.message,
        )
    }
}
