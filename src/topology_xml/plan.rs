//! From the deployment to what edgelint's topology format holds: the SIP domains (default
//! first), one Edge pool per cluster that runs an `EdgeServer` service, its servers and the
//! external FQDN of each Edge service, XMPP and federation, the product, and the names the
//! reverse proxy publishes. Every value stays located in the XML.
//!
//! External FQDNs: the Access Edge, Web Conferencing Edge and A/V Edge FQDNs are the
//! `ConfiguredFqdn` of the External ports owned by `urn:component:AccessEdge`, `DataEdge` and
//! `MediaRelayEdge`. One service's FQDN is never taken from another's. When a service's
//! External ports carry no `ConfiguredFqdn`, they are published under the pool's own FQDN
//! (that is what Lync does with such a port), and the plan says so ([`FqdnSource`]); when two
//! of its External ports name different FQDNs the document contradicts itself and is refused.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::document::{Cluster, Deployment, DocumentKind, Located, Port, Problem, Service};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgePlan {
    pub kind: DocumentKind,
    /// The SIP domains, the default one first, each once.
    pub sip_domains: Vec<Located<String>>,
    pub product: ProductFinding,
    pub edge_pools: Vec<EdgePool>,
    /// The external web services FQDN of each Front End and Director pool, each once.
    pub external_web_services: Vec<Located<String>>,
    /// The Meet simple URLs (one per SIP domain), each once.
    pub meet: Vec<Located<String>>,
    /// The dial-in simple URLs, each once.
    pub dialin: Vec<Located<String>>,
}

impl EdgePlan {
    /// Does any Edge pool run the XMPP proxy?
    pub fn xmpp(&self) -> Option<&EdgePool> {
        self.edge_pools.iter().find(|p| p.xmpp.is_some())
    }
}

/// `product`, from the `ServiceVersion` of the Edge services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductFinding {
    /// Every Edge service has this version, which names this product.
    Known {
        name: &'static str,
        version: Located<String>,
    },
    /// Not derivable; the sentence says why.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgePool {
    /// A readable slug of the pool's FQDN, unique among the pools (without regard to case).
    pub name: String,
    /// The name of the site the pool belongs to (or its `SiteId`).
    pub site: Option<String>,
    /// The cluster's `Fqdn`.
    pub internal_fqdn: Located<String>,
    /// Each machine's `Fqdn` (the cluster's for a single machine that has none).
    pub servers: Vec<Located<String>>,
    pub access_edge: ExternalFqdn,
    pub web_conferencing_edge: ExternalFqdn,
    pub av_edge: ExternalFqdn,
    /// The Access Edge's External SIP server port (federation, port 5061): its `Usage`.
    pub federation: Option<Located<String>>,
    /// The XMPP proxy's port (`urn:component:XmppFederationProxy`): its `Owner`.
    pub xmpp: Option<Located<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalFqdn {
    pub fqdn: Located<String>,
    pub source: FqdnSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FqdnSource {
    /// The `ConfiguredFqdn` of the service's External ports.
    Configured,
    /// The service has External ports but none carries `ConfiguredFqdn`: the pool's FQDN.
    PoolFqdn,
    /// The service has no External port at all: the pool's FQDN, to be checked.
    NoExternalPort,
}

/// The three Edge services: (component of their ports, what to call it).
pub const EDGE_SERVICES: [(&str, &str); 3] = [
    ("AccessEdge", "Access Edge"),
    ("DataEdge", "Web Conferencing Edge"),
    ("MediaRelayEdge", "A/V Edge"),
];

pub(crate) fn problem<T>(at: &Located<T>, message: impl Into<String>) -> Problem {
    Problem {
        message: message.into(),
        span: at.span.clone(),
        line: at.line,
        column: at.column,
    }
}

fn is_role(s: &Service, role: &str) -> bool {
    s.role.value.trim().eq_ignore_ascii_case(role)
}

/// What the deployment says about the Edge; every problem that stops it, each located.
pub fn plan(d: &Deployment, root: &Located<String>) -> Result<EdgePlan, Vec<Problem>> {
    let mut problems = Vec::new();
    let sip_domains = sip_domains(d);
    if sip_domains.is_empty() {
        problems.push(problem(
            root,
            "the topology names no SIP domain (`InternalDomains` holds no `InternalDomain`)",
        ));
    }
    let mut edge_pools = edge_pools(d, &mut problems);
    if edge_pools.is_empty() && problems.is_empty() {
        problems.push(problem(
            root,
            "the topology has no Edge pool: no cluster runs an `EdgeServer` service",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    name_pools(&mut edge_pools);
    let (meet, dialin) = simple_urls(d);
    Ok(EdgePlan {
        kind: d.kind,
        product: product(d),
        sip_domains,
        edge_pools,
        external_web_services: unique(d.services.iter().filter_map(|s| {
            (is_role(s, "WebServices"))
                .then(|| s.external_web_host.clone())
                .flatten()
        })),
        meet,
        dialin,
    })
}

/// Values once each (compared without regard to case), in order.
fn unique(values: impl IntoIterator<Item = Located<String>>) -> Vec<Located<String>> {
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.value.trim().to_ascii_lowercase()))
        .collect()
}

fn sip_domains(d: &Deployment) -> Vec<Located<String>> {
    let default = d.default_domain.clone().map(|dd| {
        // Located at the domain's own entry when it has one.
        d.sip_domains
            .iter()
            .find(|x| x.value.trim().eq_ignore_ascii_case(dd.value.trim()))
            .cloned()
            .unwrap_or(dd)
    });
    unique(default.into_iter().chain(d.sip_domains.iter().cloned()))
}

fn simple_urls(d: &Deployment) -> (Vec<Located<String>>, Vec<Located<String>>) {
    let url = |component: &str| {
        unique(d.simple_urls.iter().filter_map(|u| {
            if !u.component.value.trim().eq_ignore_ascii_case(component) {
                return None;
            }
            u.active_url.clone().or_else(|| u.entries.first().cloned())
        }))
    };
    (url("Meet"), url("Dialin"))
}

/// The product the Edge services' `ServiceVersion` names.
fn product(d: &Deployment) -> ProductFinding {
    let versions: Vec<&Service> = d
        .services
        .iter()
        .filter(|s| is_role(s, "EdgeServer"))
        .collect();
    let Some(Some(first)) = versions.first().map(|s| s.version.as_ref()) else {
        return ProductFinding::Unknown("the Edge services state no ServiceVersion".into());
    };
    let number = first.value.trim();
    if versions
        .iter()
        .any(|s| s.version.as_ref().is_none_or(|v| v.value.trim() != number))
    {
        return ProductFinding::Unknown("the Edge pools have different ServiceVersions".into());
    }
    match product_of_version(number) {
        Some(name) => ProductFinding::Known {
            name,
            version: first.clone(),
        },
        None => ProductFinding::Unknown(format!(
            "ServiceVersion {} is none of 6 (Lync Server 2013), 7 (2015) and 8 (2019)",
            crate::source::escape_controls(number, false)
        )),
    }
}

/// `ServiceVersion` → `product`. Skype for Business Server 2019 writes 8; Subscription Edition
/// (`sfbse`), which edgelint checks exactly like 2019, is written as 2019.
pub fn product_of_version(version: &str) -> Option<&'static str> {
    match version {
        "6" => Some("lync2013"),
        "7" => Some("sfb2015"),
        "8" => Some("sfb2019"),
        _ => None,
    }
}

/// The Edge services grouped by the cluster they run on, in the clusters' document order.
/// (Lookups by map: a document of many clusters and services stays linear.)
fn edge_pools(d: &Deployment, problems: &mut Vec<Problem>) -> Vec<EdgePool> {
    let mut clusters: HashMap<String, usize> = HashMap::new();
    for (i, c) in d.clusters.iter().enumerate() {
        clusters
            .entry(c.id.value.trim().to_ascii_lowercase())
            .or_insert(i);
    }
    let mut on: BTreeMap<usize, Vec<&Service>> = BTreeMap::new();
    for s in d.services.iter().filter(|s| is_role(s, "EdgeServer")) {
        let Some(target) = &s.installed_on else {
            problems.push(problem(
                &s.element,
                "this EdgeServer service names no cluster it is installed on",
            ));
            continue;
        };
        let key = target.value.trim();
        let Some(&i) = clusters.get(&key.to_ascii_lowercase()) else {
            problems.push(problem(
                target,
                format!(
                    "this EdgeServer service is installed on cluster `{}`, which the topology \
                     does not define",
                    crate::source::escape_controls(key, false)
                ),
            ));
            continue;
        };
        on.entry(i).or_default().push(s);
    }
    let sites: HashMap<&str, &str> = d
        .sites
        .iter()
        .map(|s| {
            let name = s.name.as_ref().map_or(&s.id.value, |n| &n.value);
            (s.id.value.trim(), name.as_str())
        })
        .collect();
    on.into_iter()
        .filter_map(|(i, services)| {
            let c = &d.clusters[i];
            let site = c.site.as_deref().map(|id| {
                sites
                    .get(id.trim())
                    .map_or(id.to_string(), |n| n.to_string())
            });
            edge_pool(c, site, &services, problems)
        })
        .collect()
}

fn edge_pool(
    c: &Cluster,
    site: Option<String>,
    services: &[&Service],
    problems: &mut Vec<Problem>,
) -> Option<EdgePool> {
    let Some(fqdn) = c.fqdn.clone() else {
        problems.push(problem(
            &c.element,
            "this cluster runs the Edge but has no `Fqdn` (the Edge pool's FQDN)",
        ));
        return None;
    };
    let ports: Vec<&Port> = services.iter().flat_map(|s| &s.ports).collect();
    let before = problems.len();
    let servers = servers(c, &fqdn, problems);
    let external = EDGE_SERVICES
        .map(|(component, what)| external_fqdn(&ports, component, what, &fqdn, problems));
    let [Some(access_edge), Some(web_conferencing_edge), Some(av_edge)] = external else {
        return None;
    };
    if problems.len() > before {
        return None;
    }
    Some(EdgePool {
        name: String::new(),
        site,
        internal_fqdn: fqdn,
        servers,
        access_edge,
        web_conferencing_edge,
        av_edge,
        federation: ports
            .iter()
            .find(|p| {
                p.owned_by("AccessEdge")
                    && p.is_external()
                    && p.usage.value.trim().eq_ignore_ascii_case("SipServer")
            })
            .map(|p| p.usage.clone()),
        xmpp: ports
            .iter()
            .find(|p| p.owned_by("XmppFederationProxy"))
            .map(|p| p.owner.clone()),
    })
}

/// Each machine's FQDN; a single machine without one is the cluster's own.
fn servers(
    c: &Cluster,
    fqdn: &Located<String>,
    problems: &mut Vec<Problem>,
) -> Vec<Located<String>> {
    if c.machines.is_empty() {
        problems.push(problem(&c.element, "this Edge cluster has no `Machine`"));
    }
    let single = c.machines.len() == 1;
    c.machines
        .iter()
        .filter_map(|m| match (&m.fqdn, single) {
            (Some(f), _) => Some(f.clone()),
            (None, true) => Some(fqdn.clone()),
            (None, false) => {
                problems.push(problem(
                    &m.element,
                    "this machine of an Edge pool of several machines has no `Fqdn`",
                ));
                None
            }
        })
        .collect()
}

/// One Edge service's external FQDN (see the module's documentation).
fn external_fqdn(
    ports: &[&Port],
    component: &str,
    what: &str,
    pool: &Located<String>,
    problems: &mut Vec<Problem>,
) -> Option<ExternalFqdn> {
    let external: Vec<&&Port> = ports
        .iter()
        .filter(|p| p.owned_by(component) && p.is_external())
        .collect();
    let configured = unique(external.iter().filter_map(|p| p.configured_fqdn.clone()));
    match configured.as_slice() {
        [] if external.is_empty() => Some(ExternalFqdn {
            fqdn: pool.clone(),
            source: FqdnSource::NoExternalPort,
        }),
        [] => Some(ExternalFqdn {
            fqdn: pool.clone(),
            source: FqdnSource::PoolFqdn,
        }),
        [one] => Some(ExternalFqdn {
            fqdn: one.clone(),
            source: FqdnSource::Configured,
        }),
        [first, second, ..] => {
            problems.push(problem(
                second,
                format!(
                    "the {what} service's External ports name two FQDNs: `{}` (line {}) and `{}`",
                    crate::source::escape_controls(&first.value, false),
                    first.line,
                    crate::source::escape_controls(&second.value, false),
                ),
            ));
            None
        }
    }
}

/// Give each pool a readable name from its FQDN: the first label (`edgepool`), or as many
/// labels (up to four) as it takes to tell pools apart (`edge-ams`, `edge-nyc`), else the
/// whole FQDN; lower case, with anything but letters and digits as `-`; a number is added
/// when FQDNs alone do not tell them apart.
fn name_pools(pools: &mut [EdgePool]) {
    let labels: Vec<Vec<String>> = pools
        .iter()
        .map(|p| {
            p.internal_fqdn
                .value
                .trim()
                .split('.')
                .map(slug)
                .filter(|l| !l.is_empty())
                .collect()
        })
        .collect();
    let name = |i: usize, n: usize| -> String {
        let joined = labels[i][..n.min(labels[i].len())].join("-");
        if joined.is_empty() {
            "edge".to_string()
        } else {
            joined
        }
    };
    // How many labels each name takes: 1 to 4, then all of them (usize::MAX).
    let mut taken: Vec<usize> = vec![1; pools.len()];
    for next in [2, 3, 4, usize::MAX] {
        let names: Vec<String> = (0..pools.len()).map(|i| name(i, taken[i])).collect();
        let mut count: HashMap<&str, usize> = HashMap::new();
        for n in &names {
            *count.entry(n.as_str()).or_default() += 1;
        }
        let clashes: Vec<usize> = (0..pools.len())
            .filter(|i| count[names[*i].as_str()] > 1)
            .collect();
        if clashes.is_empty() {
            break;
        }
        for i in clashes {
            taken[i] = next;
        }
    }
    let mut seen = HashSet::new();
    let mut suffix: HashMap<String, usize> = HashMap::new();
    for (i, p) in pools.iter_mut().enumerate() {
        let base = name(i, taken[i]);
        let mut candidate = base.clone();
        while !seen.insert(candidate.clone()) {
            let n = suffix.entry(base.clone()).or_insert(1);
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        p.name = candidate;
    }
}

/// A label in lower case with every run of other characters than ASCII letters and digits as
/// one `-`, without `-` at either end.
fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(v: &str) -> Located<String> {
        Located {
            value: v.into(),
            span: 0..0,
            line: 1,
            column: 1,
        }
    }

    fn pool(fqdn: &str) -> EdgePool {
        let e = ExternalFqdn {
            fqdn: located(fqdn),
            source: FqdnSource::Configured,
        };
        EdgePool {
            name: String::new(),
            site: None,
            internal_fqdn: located(fqdn),
            servers: vec![],
            access_edge: e.clone(),
            web_conferencing_edge: e.clone(),
            av_edge: e,
            federation: None,
            xmpp: None,
        }
    }

    #[test]
    fn pool_names_are_readable_and_unique() {
        let mut pools: Vec<EdgePool> = [
            "edgepool.contoso.com",
            "Edge.AMS.contoso.com",
            "edge.nyc.contoso.com",
            "edge.nyc.contoso.com",
            "x_y..z",
            "",
        ]
        .iter()
        .map(|f| pool(f))
        .collect();
        name_pools(&mut pools);
        let names: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "edgepool",
                "edge-ams",
                "edge-nyc-contoso-com",
                "edge-nyc-contoso-com-2",
                "x-y",
                "edge"
            ]
        );
    }

    #[test]
    fn every_product_is_one_the_format_knows() {
        for v in ["6", "7", "8"] {
            let name = product_of_version(v).unwrap();
            assert!(
                crate::model::topology::Product::parse(name).is_some(),
                "{name}"
            );
        }
        assert_eq!(product_of_version("5"), None);
    }
}
