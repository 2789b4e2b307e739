//! An [`EdgePlan`] written as a topology file (format version 1): every value the XML holds,
//! and what it does not hold as commented placeholders with a sentence on what to fill in, so
//! that the file is valid YAML and a valid topology as written. Values are quoted whenever a
//! plain scalar could be read as anything but the text (a number, a boolean, an alias, a
//! comment, a mapping), and nothing from the XML reaches a comment unescaped, so no value can
//! add a line of its own.

use super::plan::{EdgePlan, EdgePool, ExternalFqdn, FqdnSource, ProductFinding};

/// Where trailing comments start (0-based column), when the line is shorter.
const COMMENT_COLUMN: usize = 31;

/// The topology file for `plan`, imported from `source` (as the user named it) whose bytes
/// have the SHA-256 `sha256`.
pub fn write(plan: &EdgePlan, source: &str, sha256: &str) -> String {
    let mut w = Writer::default();
    w.comment(
        0,
        &format!("imported from {} (sha256 {sha256})", safe(source)),
    );
    w.comment(
        0,
        &format!("by `edgelint import` from {}.", plan.kind.describe()),
    );
    w.comment(
        0,
        "Its SIP domains, Edge pools, servers and external FQDNs are below; what it does not hold",
    );
    w.comment(
        0,
        "is in comments: fill that in, then run `edgelint check`.",
    );
    w.line(0, "version: 1", None);
    product(&mut w, &plan.product);
    w.line(0, "sip_domains:", Some("the default SIP domain first"));
    w.list(2, plan.sip_domains.iter().map(|d| d.value.as_str()));
    w.line(
        0,
        "# public_im: [aol]",
        Some("public IM providers still configured (not in the XML)"),
    );
    xmpp(&mut w, plan);
    w.line(0, "edge_pools:", None);
    for pool in &plan.edge_pools {
        edge_pool(&mut w, pool);
    }
    reverse_proxy(&mut w, plan);
    w.out
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// One line at `indent`, with an optional trailing comment (escaped).
    fn line(&mut self, indent: usize, content: &str, comment: Option<&str>) {
        let start = self.out.len();
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(content);
        if let Some(c) = comment {
            let width = self.out[start..].chars().count();
            self.out
                .push_str(&" ".repeat(COMMENT_COLUMN.saturating_sub(width).max(1)));
            self.out.push_str("# ");
            self.out.push_str(&safe(c));
        }
        self.out.push('\n');
    }

    /// A whole-line comment.
    fn comment(&mut self, indent: usize, text: &str) {
        self.line(indent, &format!("# {}", safe(text)), None);
    }

    /// `key: value` with the value quoted as needed.
    fn field(&mut self, indent: usize, key: &str, value: &str, comment: Option<&str>) {
        self.line(indent, &format!("{key}: {}", scalar(value)), comment);
    }

    /// A block list of values.
    fn list<'a>(&mut self, indent: usize, values: impl IntoIterator<Item = &'a str>) {
        for v in values {
            self.line(indent, &format!("- {}", scalar(v)), None);
        }
    }
}

fn product(w: &mut Writer, p: &ProductFinding) {
    match p {
        ProductFinding::Known { name, version } => {
            let what = match *name {
                "lync2013" => "Lync Server 2013",
                "sfb2015" => "Skype for Business Server 2015",
                _ => "Skype for Business Server 2019",
            };
            let comment = format!(
                "the Edge services' ServiceVersion {}: {what}",
                version.value
            );
            w.line(0, &format!("product: {name}"), Some(&comment));
            if *name == "sfb2019" {
                w.comment(
                    0,
                    "(for Subscription Edition write sfbse; edgelint checks both alike)",
                );
            }
        }
        ProductFinding::Unknown(why) => {
            w.comment(
                0,
                &format!("The product is not derivable from the XML: {why}."),
            );
            w.comment(
                0,
                "Write lync2013 (the default), sfb2015, sfb2019 or sfbse:",
            );
            w.comment(0, "product: lync2013");
        }
    }
}

fn xmpp(w: &mut Writer, plan: &EdgePlan) {
    let Some(pool) = plan.xmpp() else {
        return;
    };
    let comment = format!("the XMPP proxy runs on {}", pool.internal_fqdn.value);
    w.line(0, "xmpp:", Some(&comment));
    w.comment(
        2,
        "The XMPP partner domains are not in the topology: these are the SIP domains; keep",
    );
    w.comment(2, "the ones you federate with over XMPP.");
    w.line(2, "domains:", None);
    w.list(4, plan.sip_domains.iter().map(|d| d.value.as_str()));
    w.line(
        2,
        "# srv_target: xmpp.example.com",
        Some("the _xmpp-server._tcp SRV target (not in the XML)"),
    );
}

fn edge_pool(w: &mut Writer, p: &EdgePool) {
    let site = p.site.as_ref().map(|s| format!("site {s}"));
    w.line(2, &format!("- name: {}", scalar(&p.name)), site.as_deref());
    w.field(4, "internal_fqdn", &p.internal_fqdn.value, None);
    w.line(
        4,
        "# load_balancing: dns",
        Some("dns or hardware (not in the XML)"),
    );
    w.line(
        4,
        "# nat: false",
        Some("is the external A/V address NATed? (not in the XML)"),
    );
    if p.federation.is_some() {
        w.line(
            4,
            "federation: true",
            Some("the Access Edge has an External SIP server port"),
        );
    }
    w.line(4, "external:", None);
    external(w, "access_edge", &p.access_edge, "Access Edge");
    external(
        w,
        "web_conferencing_edge",
        &p.web_conferencing_edge,
        "Web Conferencing Edge",
    );
    external(w, "av_edge", &p.av_edge, "A/V Edge");
    w.line(4, "servers:", None);
    w.list(6, p.servers.iter().map(|s| s.value.as_str()));
    certificates(w, p);
}

fn external(w: &mut Writer, key: &str, e: &ExternalFqdn, what: &str) {
    match e.source {
        FqdnSource::Configured => {}
        FqdnSource::PoolFqdn => w.comment(
            6,
            &format!(
                "No ConfiguredFqdn on the {what}'s External ports: the pool's FQDN. Check it."
            ),
        ),
        FqdnSource::NoExternalPort => w.comment(
            6,
            &format!("The XML has no External port of the {what}: the pool's FQDN. Check it."),
        ),
    }
    w.field(6, key, &e.fqdn.value, None);
}

fn certificates(w: &mut Writer, p: &EdgePool) {
    for line in [
        "Certificates are not in the XML. Until every server has a current certificate for",
        "AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication and Internal,",
        "`edgelint check` reports the missing ones (P001). For example:",
        "certificates:",
    ] {
        w.comment(4, line);
    }
    let slug = &p.name;
    for (file, uses) in [
        ("external", "[AccessEdgeExternal, DataEdgeExternal]"),
        ("av", "[AudioVideoAuthentication]"),
        ("internal", "[Internal]"),
    ] {
        w.comment(4, &format!("  - file: certs/{slug}-{file}.pfx"));
        w.comment(4, "    password_env: EDGE_PFX_PASSWORD");
        w.comment(4, &format!("    uses: {uses}"));
    }
}

fn reverse_proxy(w: &mut Writer, plan: &EdgePlan) {
    let urls = !plan.meet.is_empty() || !plan.dialin.is_empty();
    if plan.external_web_services.is_empty() && !urls {
        w.comment(
            0,
            "reverse_proxy: the XML names no external web services FQDN and no simple URL.",
        );
        return;
    }
    w.line(0, "reverse_proxy:", None);
    if !plan.external_web_services.is_empty() {
        w.line(
            2,
            "external_web_services:",
            Some("of each Front End and Director pool"),
        );
        w.list(
            4,
            plan.external_web_services.iter().map(|h| h.value.as_str()),
        );
    }
    if urls {
        w.line(2, "simple_urls:", None);
        for (key, values) in [("meet", &plan.meet), ("dialin", &plan.dialin)] {
            if !values.is_empty() {
                w.line(4, &format!("{key}:"), None);
                w.list(6, values.iter().map(|u| u.value.as_str()));
            }
        }
    }
    w.line(
        2,
        "# lyncdiscover: true",
        Some("Autodiscover published on port 443? (not in the XML)"),
    );
    w.line(
        2,
        "# office_web_apps: owa.example.com",
        Some("if published (not in the XML)"),
    );
    w.line(2, "# certificate:", Some("not in the XML"));
    w.comment(2, "  file: certs/reverse-proxy.pfx");
    w.comment(2, "  password_env: RP_PFX_PASSWORD");
}

/// Text for a comment: every character that could end the line, or that a terminal or an
/// editor would not show as it is, escaped.
pub fn safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    crate::source::is_unsafe(c) || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A YAML scalar that reads back as exactly `value`, as text: plain when that is safe,
/// otherwise double-quoted with escapes.
pub fn scalar(value: &str) -> String {
    if is_plain_safe(value) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n <= 0xFFFF {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Letters, digits and `. _ - / :`, starting with a letter or digit, not ending in `:`, and
/// not a word or number YAML reads as something else.
fn is_plain_safe(v: &str) -> bool {
    let Some(first) = v.chars().next() else {
        return false;
    };
    let chars_ok = first.is_ascii_alphanumeric()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':'));
    let lower = v.to_ascii_lowercase();
    let special = matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let number = first.is_ascii_digit()
        && (v.parse::<f64>().is_ok()
            || lower.starts_with("0x")
            || lower.starts_with("0o")
            || v.chars()
                .all(|c| c.is_ascii_digit() || c == '_' || c == '.'));
    chars_ok && !v.ends_with(':') && !special && !number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_quote_what_yaml_would_misread() {
        for plain in [
            "sip.contoso.com",
            "https://meet.contoso.com/Meet",
            "Edge_1.contoso.com",
            "1a.contoso.com",
        ] {
            assert_eq!(scalar(plain), plain);
        }
        for (value, quoted) in [
            ("", "\"\""),
            ("true", "\"true\""),
            ("Null", "\"Null\""),
            ("2024", "\"2024\""),
            ("1.5", "\"1.5\""),
            ("0x1F", "\"0x1F\""),
            ("*.contoso.com", "\"*.contoso.com\""),
            ("a: b", "\"a: b\""),
            ("abc:", "\"abc:\""),
            ("x #y", "\"x #y\""),
            ("-x", "\"-x\""),
            ("a\"b\\c", "\"a\\\"b\\\\c\""),
            ("a\nb\u{202e}", "\"a\\u000Ab\\u202E\""),
            ("zürich", "\"zürich\""),
        ] {
            assert_eq!(scalar(value), quoted, "{value:?}");
        }
        assert_eq!(safe("a\nversion: 2\u{1b}"), "a\\nversion: 2\\u{1b}");
    }
}
