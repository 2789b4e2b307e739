//! Rule selectors, as the command line (`--select`, `--ignore`), the configuration (`select`,
//! `ignore`, `[severity]`, `[per_path_ignores]`) and inline suppressions (`ignore[...]`) write
//! them: `ALL`, a code (`N003`), a family or code prefix (`N`, `R00`), or a rule name
//! (`san-missing-sip-domain`). Parsed once, matched case-insensitively, the same everywhere.

/// A parsed selector; `text` keeps what the user wrote (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub text: String,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    All,
    /// Upper-case: a whole code or a prefix of codes (`N`, `R00`, `X101`).
    CodePrefix(String),
    /// Lower-case rule name.
    Name(String),
}

impl Selector {
    pub fn parse(text: &str) -> Selector {
        let s = text.trim();
        let mut chars = s.chars();
        let code_form = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_digit());
        let kind = if s.eq_ignore_ascii_case("all") {
            Kind::All
        } else if code_form {
            Kind::CodePrefix(s.to_ascii_uppercase())
        } else {
            Kind::Name(s.to_ascii_lowercase())
        };
        Selector {
            text: s.to_string(),
            kind,
        }
    }

    /// Does this selector pick the rule with this code and name?
    pub fn matches(&self, code: &str, name: &str) -> bool {
        match &self.kind {
            Kind::All => true,
            Kind::CodePrefix(p) => code.to_ascii_uppercase().starts_with(p.as_str()),
            Kind::Name(n) => name.eq_ignore_ascii_case(n),
        }
    }

    /// Does it pick any rule of a list of (code, name)?
    pub fn matches_any<'a>(&self, mut rules: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
        rules.any(|(code, name)| self.matches(code, name))
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_case() {
        let n003 = ("N003", "san-missing-sip-domain");
        for (s, expect) in [
            ("ALL", true),
            ("all", true),
            ("N", true),
            ("n", true),
            ("n00", true),
            ("N003", true),
            ("n003", true),
            ("N0031", false),
            ("N004", false),
            ("K", false),
            ("san-missing-sip-domain", true),
            ("SAN-Missing-SIP-Domain", true),
            ("san-missing", false),
            (" N003 ", true),
        ] {
            assert_eq!(Selector::parse(s).matches(n003.0, n003.1), expect, "{s}");
        }
        assert!(Selector::parse("x1").matches("X101", "my-rule"));
        assert!(!Selector::parse("").matches("N003", "x"));
    }
}
