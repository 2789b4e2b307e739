//! `san-includes`: the SAN lacks a name the topology gives (one finding per name).

use std::ops::Range;

use super::{required, required_names, sans_of, Param, Target, Template, TemplateInfo, Violation};
use crate::load::reader::{Fields, Reader};
use crate::rules::names::contains_name;

pub static INFO: TemplateInfo = TemplateInfo {
    name: "san-includes",
    fires_when: "the SAN lacks a name the topology gives (one finding per name)",
    params: &[Param {
        name: "names",
        required: true,
        doc: "where the names come from: `access_edge`, `web_conferencing_edge`, `av_edge`, `sip_domains` (as `sip.<domain>`), `xmpp_domains`, `xmpp_srv_target`, `internal_fqdn`, `external_web_services`, `simple_urls`, `office_web_apps`",
    }],
    values: &["name"],
    read,
};

/// Names a `san-includes` rule can ask for, each taken from the topology.
pub(super) const NAME_SOURCES: [&str; 10] = [
    "access_edge",
    "web_conferencing_edge",
    "av_edge",
    "sip_domains",
    "xmpp_domains",
    "xmpp_srv_target",
    "internal_fqdn",
    "external_web_services",
    "simple_urls",
    "office_web_apps",
];

#[derive(Debug)]
struct SanIncludes {
    names: Vec<String>,
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let names = required(r, p, INFO.name, "names", at)
        .map(|n| super::names(r, n, "names", &NAME_SOURCES))
        .unwrap_or_default();
    Some(Box::new(SanIncludes { names }))
}

impl Template for SanIncludes {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let Some(topology) = t.topology else {
            return Vec::new();
        };
        let sans = sans_of(t);
        required_names(&self.names, topology, t.pool)
            .into_iter()
            .filter(|n| !contains_name(sans, n))
            .map(|n| Violation {
                values: vec![("name", n)],
                severity: None,
            })
            .collect()
    }

    /// The names depend on the entry's pool: one finding per entry, not per file.
    fn per_file(&self) -> bool {
        false
    }
}
