//! Topology Builder documents (`.tbxml`): `TopologyBuilder` → `NewTopology` →
//! `PartialTopology`, sites under `CentralSites` holding their clusters, and services that name
//! the cluster they run on by its `UniqueId` (`<Service InstalledOn="...">`). The `OldTopology`
//! a downloaded document also holds (what was published before) is not read.

use super::document::{Cluster, Deployment, DocumentKind, Locator, Problem, Service};
use super::shared;
use super::xml::Element;

/// The deployment of a `TopologyBuilder` root element.
pub fn read(l: &Locator<'_>, root: &Element) -> Result<Deployment, Vec<Problem>> {
    let Some(new) = root.child("NewTopology") else {
        return Err(vec![l.problem(
            "a Topology Builder document without `NewTopology`: nothing to import",
            root.span.clone(),
        )]);
    };
    let Some(body) = new
        .child("PartialTopology")
        .or_else(|| new.child("Topology"))
    else {
        return Err(vec![l.problem(
            "`NewTopology` holds no `PartialTopology`: nothing to import",
            new.span.clone(),
        )]);
    };
    let mut d = Deployment::empty(DocumentKind::TopologyBuilder);
    for child in &body.children {
        match child.name.as_str() {
            "InternalDomains" => (d.default_domain, d.sip_domains) = shared::domains(l, child),
            "SimpleUrlConfiguration" => d.simple_urls = shared::simple_urls(l, child),
            "Services" => {
                d.services = child
                    .children_named("Service")
                    .filter_map(|s| service(l, s))
                    .collect()
            }
            _ => sites(l, child, None, &mut d),
        }
    }
    Ok(d)
}

/// Sites and the clusters inside them, at any depth (`CentralSites/CentralSite/Clusters`,
/// branch sites under `RemoteSites`).
fn sites(l: &Locator<'_>, e: &Element, site_id: Option<&str>, d: &mut Deployment) {
    if e.name == "Cluster" {
        if let Some(c) = cluster(l, e, site_id) {
            d.clusters.push(c);
        }
        return;
    }
    let site = shared::site(l, e);
    let id = site.as_ref().map(|s| s.id.value.clone());
    if let Some(site) = site {
        d.sites.push(site);
    }
    for child in &e.children {
        sites(l, child, id.as_deref().or(site_id), d);
    }
}

fn cluster(l: &Locator<'_>, e: &Element, site_id: Option<&str>) -> Option<Cluster> {
    let machines = e
        .children_named("Machines")
        .flat_map(|m| m.children_named("Machine"))
        .map(|m| shared::machine(l, m))
        .collect();
    Some(Cluster {
        id: l.attr(e, "UniqueId")?,
        site: site_id.map(str::to_string),
        fqdn: l.attr(e, "Fqdn"),
        machines,
        element: l.element(e),
    })
}

fn service(l: &Locator<'_>, e: &Element) -> Option<Service> {
    Some(Service {
        role: l.attr(e, "RoleName")?,
        version: l.attr(e, "ServiceVersion"),
        installed_on: l.attr(e, "InstalledOn"),
        ports: shared::ports(l, e),
        is_director: shared::is_director(l, e),
        external_web_host: shared::external_web_host(l, e),
        element: l.element(e),
    })
}
