//! The parts both document shapes write alike: SIP domains, simple URLs, sites, machines, and a
//! service's ports and settings.

use super::document::{Locator, Machine, Port, SimpleUrl, Site};
use super::xml::Element;

/// `InternalDomains`: (`DefaultDomain`, every `InternalDomain/@Name`).
pub fn domains(
    l: &Locator<'_>,
    e: &Element,
) -> (Option<super::Located<String>>, Vec<super::Located<String>>) {
    let names = e
        .children_named("InternalDomain")
        .filter_map(|d| l.attr(d, "Name"))
        .collect();
    (l.attr(e, "DefaultDomain"), names)
}

/// `SimpleUrlConfiguration/SimpleUrl`.
pub fn simple_urls(l: &Locator<'_>, e: &Element) -> Vec<SimpleUrl> {
    e.children_named("SimpleUrl")
        .filter_map(|u| {
            Some(SimpleUrl {
                component: l.attr(u, "Component")?,
                domain: l.attr(u, "Domain"),
                active_url: l.attr(u, "ActiveUrl"),
                entries: u
                    .children_named("SimpleUrlEntry")
                    .filter_map(|x| l.attr(x, "Url"))
                    .collect(),
            })
        })
        .collect()
}

/// A `CentralSite` or `BranchSite` (any element with a `SiteId` whose name ends in `Site`).
pub fn site(l: &Locator<'_>, e: &Element) -> Option<Site> {
    if !e.name.ends_with("Site") {
        return None;
    }
    Some(Site {
        id: l.attr(e, "SiteId")?,
        name: e.child("Name").and_then(|n| l.text_of(n)),
        element: l.element(e),
    })
}

pub fn machine(l: &Locator<'_>, e: &Element) -> Machine {
    Machine {
        fqdn: l.attr(e, "Fqdn"),
        element: l.element(e),
    }
}

/// `Ports/Port` of a service; a port without `Owner` or `InterfaceSide` names nothing this
/// reader uses and is left out.
pub fn ports(l: &Locator<'_>, service: &Element) -> Vec<Port> {
    service
        .children_named("Ports")
        .flat_map(|ports| ports.children_named("Port"))
        .filter_map(|p| {
            let element = l.element(p);
            Some(Port {
                owner: l.attr(p, "Owner")?,
                usage: l
                    .attr(p, "Usage")
                    .unwrap_or_else(|| l.at(String::new(), element.span.clone())),
                side: l.attr(p, "InterfaceSide")?,
                number: l.attr(p, "Port"),
                configured_fqdn: l.attr(p, "ConfiguredFqdn"),
                element,
            })
        })
        .collect()
}

/// `RegistrarService/@IsDirector` (`true` in any case is true).
pub fn is_director(l: &Locator<'_>, service: &Element) -> Option<super::Located<bool>> {
    let a = l.attr(service.child("RegistrarService")?, "IsDirector")?;
    Some(l.at(a.value.trim().eq_ignore_ascii_case("true"), a.span))
}

/// `WebService/ExternalSettings/@Host`.
pub fn external_web_host(l: &Locator<'_>, service: &Element) -> Option<super::Located<String>> {
    let settings = service.child("WebService")?.child("ExternalSettings")?;
    l.attr(settings, "Host")
}
