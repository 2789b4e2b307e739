//! T006: a name that is not a DNS-safe FQDN, in the topology or in the subject CN / SAN of a
//! certificate the topology references. An underscore, a non-ASCII character, any other
//! character outside letters, digits and hyphen, or an empty label is an error; a single-label
//! name or an IDN (`xn--`) label is a warning. A leading wildcard label `*` is left to N007/N008.

use std::collections::hash_map::Entry;
use std::ops::Range;

use crate::derive::EntryId;
use crate::diagnostic::Severity;
use crate::fast_hash::FastMap;
use crate::model::names::name_eq;
use crate::model::topology::Topology;
use crate::rules::{Context, DiagnosticExt, Findings};

/// What is wrong with a name, most severe first; empty when it is fine.
pub fn name_problems(name: &str) -> Vec<(Severity, String)> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let bare = name.strip_suffix('.').unwrap_or(name);
    if bare.is_empty() {
        return vec![(Severity::Error, "is empty".into())];
    }
    let labels: Vec<&str> = bare.split('.').collect();
    // A leading wildcard label is judged by N007/N008, not here.
    let checked = if labels.len() > 1 && labels[0] == "*" {
        &labels[1..]
    } else {
        &labels[..]
    };
    let text: String = checked.join(".");
    if text.contains('_') {
        errors.push("contains an underscore".to_string());
    }
    let mut non_ascii: Vec<char> = Vec::new();
    let mut other: Vec<char> = Vec::new();
    for c in text.chars() {
        let list = if !c.is_ascii() {
            &mut non_ascii
        } else if !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')) {
            &mut other
        } else {
            continue;
        };
        if !list.contains(&c) {
            list.push(c);
        }
    }
    if !non_ascii.is_empty() {
        errors.push(format!(
            "contains the non-ASCII character{} {}",
            if non_ascii.len() == 1 { "" } else { "s" },
            quote_chars(&non_ascii)
        ));
    }
    if !other.is_empty() {
        errors.push(format!(
            "contains the character{} {}",
            if other.len() == 1 { "" } else { "s" },
            quote_chars(&other)
        ));
    }
    if labels.iter().any(|l| l.is_empty()) {
        errors.push("has an empty label".to_string());
    }
    if labels.len() == 1 {
        warnings.push("is a single-label name, not an FQDN".to_string());
    }
    let idn: Vec<&str> = checked
        .iter()
        .copied()
        .filter(|l| l.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
        .collect();
    if !idn.is_empty() {
        warnings.push(format!(
            "has the IDN (punycode) label{} {}",
            if idn.len() == 1 { "" } else { "s" },
            idn.join(", ")
        ));
    }
    errors
        .into_iter()
        .map(|m| (Severity::Error, m))
        .chain(warnings.into_iter().map(|m| (Severity::Warning, m)))
        .collect()
}

fn quote_chars(cs: &[char]) -> String {
    cs.iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The common case, told without allocating: letters, digits and hyphens in at least two
/// labels, none empty and none IDN (after a leading `*.`, which N007/N008 judge). A name this
/// says no to is judged in full by [`name_problems`].
fn plainly_fine(name: &str) -> bool {
    let bare = name.strip_suffix('.').unwrap_or(name);
    let bare = bare.strip_prefix("*.").unwrap_or(bare);
    let mut labels = 0;
    for label in bare.split('.') {
        let plain = label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let idn = label
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
        if label.is_empty() || !plain || idn {
            return false;
        }
        labels += 1;
    }
    labels >= 2
}

/// `(severity, "problem, problem and problem")` for a name with problems.
fn judge(name: &str) -> Option<(Severity, String)> {
    if plainly_fine(name) {
        return None;
    }
    let problems = name_problems(name);
    let severity = problems.iter().map(|(s, _)| *s).max()?;
    let texts: Vec<String> = problems.into_iter().map(|(_, m)| m).collect();
    Some((severity, join_and(&texts)))
}

const HELP_TOPOLOGY: &str = "use a fully qualified DNS name made of letters, digits and hyphens (no underscore, no Unicode or IDN, at least two labels), as Topology Builder and public CAs need";
const HELP_CERTIFICATE: &str = "request the certificate again with DNS-safe FQDNs only (letters, digits and hyphens; no underscore, no Unicode or IDN, no short names)";

/// A name the topology defines: its span, the name to judge, what it is, and its pool.
type TopologyName<'a> = (&'a Range<usize>, &'a str, &'static str, Option<&'a str>);

/// Every name the topology defines. A simple URL written as a URL is judged by its host.
fn topology_names(t: &Topology) -> Vec<TopologyName<'_>> {
    let mut out: Vec<TopologyName<'_>> = Vec::new();
    for d in &t.sip_domains {
        out.push((&d.span, &d.value, "SIP domain", None));
    }
    for p in &t.edge_pools {
        let pool = Some(p.name.value.as_str());
        for (sp, what) in [
            (&p.internal_fqdn, "internal FQDN"),
            (&p.external.access_edge, "Access Edge FQDN"),
            (
                &p.external.web_conferencing_edge,
                "Web Conferencing Edge FQDN",
            ),
            (&p.external.av_edge, "A/V Edge FQDN"),
        ] {
            out.push((&sp.span, &sp.value, what, pool));
        }
        for s in &p.servers {
            out.push((&s.fqdn.span, &s.fqdn.value, "server FQDN", pool));
        }
    }
    if let Some(x) = &t.xmpp {
        for d in &x.domains {
            out.push((&d.span, &d.value, "XMPP domain", None));
        }
        if let Some(s) = &x.srv_target {
            out.push((&s.span, &s.value, "XMPP SRV target", None));
        }
    }
    if let Some(r) = &t.reverse_proxy {
        for n in &r.external_web_services {
            out.push((&n.span, &n.value, "external web services FQDN", None));
        }
        for u in &r.simple_urls {
            out.push((&u.url.span, u.host(), "simple URL host", None));
        }
        if let Some(n) = &r.office_web_apps {
            out.push((&n.span, &n.value, "Office Web Apps FQDN", None));
        }
    }
    out
}

rule! {
    InvalidFqdn {
        code: "T006",
        name: "invalid-fqdn",
        severity: Error,
        summary: "a name is not a DNS-safe FQDN (underscore, non-ASCII, empty label; warning: single label, IDN)",
    }
    fn check(cx, out) {
        for (ti, tf) in cx.repo.topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            for (span, name, what, pool) in topology_names(t) {
                let Some((severity, problems)) = judge(name) else {
                    continue;
                };
                let of_pool = pool.map(|p| format!(" of pool {p}")).unwrap_or_default();
                out.push(
                    META.diag(
                        cx.at(ti, span),
                        format!("{what} `{name}`{of_pool} {problems}"),
                    )
                    .severity(severity)
                    .label(problems)
                    .help(HELP_TOPOLOGY),
                );
            }
        }
        certificate_names(cx, out);
    }
}

/// The leaf CN and SAN of every referenced certificate, once per file and topology, at the
/// first `file:` of that topology naming it.
fn certificate_names(cx: &Context<'_>, out: &mut Findings) {
    // The first entry of each (topology, file), found by a lookup: a search of the list was
    // quadratic in the entries of the whole repository.
    let mut firsts: Vec<EntryId> = Vec::new();
    // By the path's text (a path's own hash walks its components).
    let mut index: FastMap<(usize, &std::ffi::OsStr), usize> = FastMap::default();
    let start = |id: EntryId| {
        cx.entry(id)
            .file
            .as_ref()
            .map_or(0, |f| f.written.span.start)
    };
    for &id in &cx.plan.entries {
        let Some(f) = &cx.entry(id).file else {
            continue;
        };
        match index.entry((id.topo, f.resolved.as_os_str())) {
            Entry::Occupied(o) => {
                let first = &mut firsts[*o.get()];
                if f.written.span.start < start(*first) {
                    *first = id;
                }
            }
            Entry::Vacant(v) => {
                v.insert(firsts.len());
                firsts.push(id);
            }
        }
    }
    for id in firsts {
        let entry = cx.entry(id);
        let Some(f) = &entry.file else { continue };
        let Some(leaf) = cx.leaf(id) else {
            continue;
        };
        // (name, where in the certificate), CN first, one per name.
        let mut names = DistinctNames::default();
        if let Some(cn) = &leaf.subject_cn {
            names.push(cn, "subject CN");
        }
        for san in &leaf.san_dns {
            match names.position(san) {
                Some(0) if leaf.subject_cn.is_some() => names.set_place(0, "subject CN and SAN"),
                Some(_) => {}
                None => names.push(san, "SAN"),
            }
        }
        for (name, place) in names.list {
            let Some((severity, problems)) = judge(name) else {
                continue;
            };
            out.push(
                META.diag(
                    cx.at(id.topo, &f.written.span),
                    format!(
                        "certificate {} has {place} `{name}`, which {problems}",
                        f.written.value
                    ),
                )
                .severity(severity)
                .label(format!("{place} `{name}` {problems}"))
                .help(HELP_CERTIFICATE),
            );
        }
    }
}

/// A certificate's names, each once, compared as names compare (ASCII case and a final dot
/// aside), with where each is: searched while there are few (most certificates have a handful,
/// and a search allocates nothing), looked up once there are many (a certificate may hold
/// 100,000 SANs).
#[derive(Default)]
struct DistinctNames<'a> {
    list: Vec<(&'a str, &'static str)>,
    index: FastMap<String, usize>,
}

impl<'a> DistinctNames<'a> {
    /// The most names searched; past it, looked up.
    const SEARCH_LIMIT: usize = 16;

    /// What [`name_eq`] compares, as a table key.
    fn key(name: &str) -> String {
        name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
    }

    fn position(&self, name: &str) -> Option<usize> {
        if self.index.is_empty() {
            self.list.iter().position(|(n, _)| name_eq(n, name))
        } else {
            self.index.get(&Self::key(name)).copied()
        }
    }

    /// Say where the name at `i` is, instead of where it was first found.
    fn set_place(&mut self, i: usize, place: &'static str) {
        self.list[i].1 = place;
    }

    /// Add a name [`Self::position`] does not know.
    fn push(&mut self, name: &'a str, place: &'static str) {
        self.list.push((name, place));
        if self.list.len() == Self::SEARCH_LIMIT + 1 {
            for (i, (n, _)) in self.list.iter().enumerate() {
                self.index.insert(Self::key(n), i);
            }
        } else if self.list.len() > Self::SEARCH_LIMIT {
            self.index.insert(Self::key(name), self.list.len() - 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_apart_alike_searched_and_looked_up() {
        // 40 distinct names (the first 16 searched, the rest looked up), each asked again as
        // written differently: upper case, a final dot.
        let written: Vec<String> = (0..40).map(|i| format!("host{i}.Contoso.com")).collect();
        let mut names = DistinctNames::default();
        for (i, n) in written.iter().enumerate() {
            assert_eq!(names.position(n), None, "{n}");
            names.push(n, "SAN");
            for (j, seen) in written[..=i].iter().enumerate() {
                let other = format!("{}.", seen.to_ascii_uppercase());
                assert_eq!(names.position(&other), Some(j), "{other} after {i}");
            }
        }
        assert_eq!(names.position("host40.contoso.com"), None);
        assert_eq!(names.list.len(), 40);
    }

    fn sev(name: &str) -> Option<Severity> {
        judge(name).map(|(s, _)| s)
    }

    #[test]
    fn judges_names() {
        assert_eq!(sev("sip.contoso.com"), None);
        assert_eq!(sev("SIP.contoso.com."), None);
        assert_eq!(sev("*.contoso.com"), None);
        assert_eq!(sev("edge_01.contoso.com"), Some(Severity::Error));
        assert_eq!(sev("édge.contoso.com"), Some(Severity::Error));
        assert_eq!(sev("a..contoso.com"), Some(Severity::Error));
        assert_eq!(sev("contoso.com.."), Some(Severity::Error));
        assert_eq!(sev(""), Some(Severity::Error));
        assert_eq!(sev("edge01"), Some(Severity::Warning));
        assert_eq!(sev("xn--bcher-kva.contoso.com"), Some(Severity::Warning));
        // Once a panic (found by fuzzing): a label whose 4th byte is inside a character.
        assert_eq!(sev("a\u{fffd}b.contoso.com"), Some(Severity::Error));
        assert_eq!(
            judge("edge_01"),
            Some((
                Severity::Error,
                "contains an underscore and is a single-label name, not an FQDN".into()
            ))
        );
    }

    #[test]
    fn the_quick_path_never_passes_a_name_the_full_judgement_faults() {
        let names = [
            "sip.contoso.com",
            "*.contoso.com",
            "*.com",
            "*",
            "*.",
            ".",
            "..",
            "a.",
            ".a.b",
            "a..b",
            "contoso.com..",
            "*.*.contoso.com",
            "edge_01.contoso.com",
            "xn--a.b",
            "a.XN--b",
            "a-.b",
            "-a.b",
            "1.2",
            "a b.c",
            "a.b\u{0}",
            "é.b",
            "*a.b",
            "**.a.b",
        ];
        for name in names {
            if plainly_fine(name) {
                assert!(name_problems(name).is_empty(), "{name}");
            }
        }
        assert!(plainly_fine("sip.contoso.com") && plainly_fine("*.contoso.com."));
    }
}
