//! Published topologies (`Get-CsTopology -AsXml`, and the `Topology` inside
//! `Export-CsConfiguration`'s `DocItemSet`): sites under `Sites`, clusters under `Clusters`
//! each with a `ClusterId SiteId="..." Number="..."`, and services whose `InstalledOn` holds
//! the `ClusterId` of the cluster they run on. Services name their role in
//! `ServiceId/@RoleName`.

use super::document::{Cluster, Deployment, DocumentKind, Located, Locator, Service};
use super::shared;
use super::xml::Element;

/// The deployment of a `Topology` element.
pub fn read(l: &Locator<'_>, topology: &Element, kind: DocumentKind) -> Deployment {
    let mut d = Deployment::empty(kind);
    for child in &topology.children {
        match child.name.as_str() {
            "InternalDomains" => (d.default_domain, d.sip_domains) = shared::domains(l, child),
            "SimpleUrlConfiguration" => d.simple_urls = shared::simple_urls(l, child),
            "Sites" => sites(l, child, &mut d),
            "Clusters" => {
                d.clusters = child
                    .children_named("Cluster")
                    .filter_map(|c| cluster(l, c))
                    .collect()
            }
            "Services" => {
                d.services = child
                    .children_named("Service")
                    .filter_map(|s| service(l, s))
                    .collect()
            }
            _ => {}
        }
    }
    d
}

fn sites(l: &Locator<'_>, e: &Element, d: &mut Deployment) {
    for child in &e.children {
        if let Some(site) = shared::site(l, child) {
            d.sites.push(site);
        }
        sites(l, child, d);
    }
}

/// `ClusterId SiteId="1" Number="2"` → `1/2`, located at the `ClusterId` element.
pub fn cluster_id(l: &Locator<'_>, e: &Element) -> Option<(Located<String>, String)> {
    let site = l.attr(e, "SiteId")?;
    let number = l.attr(e, "Number")?;
    let key = format!("{}/{}", site.value.trim(), number.value.trim());
    Some((l.at(key, e.span.clone()), site.value.trim().to_string()))
}

fn cluster(l: &Locator<'_>, e: &Element) -> Option<Cluster> {
    let (id, site) = cluster_id(l, e.child("ClusterId")?)?;
    let machines = e
        .children_named("Machine")
        .chain(
            e.children_named("Machines")
                .flat_map(|m| m.children_named("Machine")),
        )
        .map(|m| shared::machine(l, m))
        .collect();
    Some(Cluster {
        id,
        site: Some(site),
        fqdn: l.attr(e, "Fqdn"),
        machines,
        element: l.element(e),
    })
}

fn service(l: &Locator<'_>, e: &Element) -> Option<Service> {
    let installed_on = e
        .child("InstalledOn")
        .and_then(|i| i.child("ClusterId"))
        .and_then(|c| cluster_id(l, c))
        .map(|(id, _)| id);
    Some(Service {
        role: l.attr(e.child("ServiceId")?, "RoleName")?,
        version: l.attr(e, "ServiceVersion"),
        installed_on,
        ports: shared::ports(l, e),
        is_director: shared::is_director(l, e),
        external_web_host: shared::external_web_host(l, e),
        element: l.element(e),
    })
}
