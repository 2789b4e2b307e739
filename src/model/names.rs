//! How names compare (rules.md "Precedence and scope"): case-insensitively, ignoring one
//! trailing dot; a wildcard never stands for a name except where a rule says so.

/// Names compare case-insensitively, ignoring one trailing dot.
pub fn name_eq(a: &str, b: &str) -> bool {
    let a = a.strip_suffix('.').unwrap_or(a);
    let b = b.strip_suffix('.').unwrap_or(b);
    a.eq_ignore_ascii_case(b)
}

pub fn contains_name(list: &[String], name: &str) -> bool {
    list.iter().any(|n| name_eq(n, name))
}

/// Append `name` unless the list already has it.
pub fn push_unique(out: &mut Vec<String>, name: &str) {
    if !contains_name(out, name) {
        out.push(name.to_string());
    }
}

/// The host of a simple URL written as a URL (`https://lync.contoso.com/contoso/Meet`) or a
/// bare host (`meet.contoso.com`).
pub fn url_host(s: &str) -> &str {
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let end = s.find(['/', ':', '?', '#']).unwrap_or(s.len());
    &s[..end]
}

/// A name in wildcard form (`*.contoso.com`)?
pub fn is_wildcard(name: &str) -> bool {
    name.contains('*')
}

/// The base domain of a `*.<base>` wildcard (`contoso.com` for `*.contoso.com`).
pub fn wildcard_base(name: &str) -> Option<&str> {
    let base = name.strip_prefix("*.")?;
    (!base.is_empty() && !base.contains('*')).then_some(base)
}

/// Does `pattern` (`*.contoso.com`) cover `host` (`meet.contoso.com`), exactly one label below
/// its base? Only the reverse proxy rule lets a wildcard stand for a name.
pub fn wildcard_covers(pattern: &str, host: &str) -> bool {
    let Some(base) = wildcard_base(pattern) else {
        return false;
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    match host.split_once('.') {
        Some((label, rest)) => !label.is_empty() && !label.contains('*') && name_eq(rest, base),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_wildcards() {
        assert_eq!(
            url_host("https://lync.contoso.com/contoso/Meet"),
            "lync.contoso.com"
        );
        assert_eq!(url_host("meet.contoso.com"), "meet.contoso.com");
        assert_eq!(
            url_host("https://meet.contoso.com:443/x"),
            "meet.contoso.com"
        );
        assert!(wildcard_covers("*.contoso.com", "lyncdiscover.contoso.com"));
        assert!(!wildcard_covers("*.contoso.com", "a.meet.contoso.com"));
        assert!(!wildcard_covers("*.contoso.com", "contoso.com"));
        assert!(name_eq("SIP.contoso.com.", "sip.contoso.com"));
    }
}
