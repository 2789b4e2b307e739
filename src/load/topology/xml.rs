//! `topology_xml: FILE`: the SIP domains, Edge pools, servers, external FQDNs, federation,
//! product and the reverse proxy's published names come from Lync's own topology XML; the
//! YAML adds what the XML lacks (certificates, load balancing, NAT, ...) per pool, matched by
//! `internal_fqdn`. A value the YAML states as well must equal the XML's (compared without
//! regard to case), else it is a T001 problem with both places. Values taken from the XML keep
//! their place in it (spans at [`XML_SPAN_BASE`]), so findings about them point into the XML.

use std::ops::Range;
use std::sync::Arc;

use super::overlay::PoolOverlay;
use crate::load::reader::Problem;
use crate::model::topology::*;
use crate::source::LineIndex;
use crate::topology_xml::{self, EdgePlan, EdgePool, Located, ProductFinding};

/// What completing a topology from its XML gave.
#[derive(Default)]
pub(super) struct Completed {
    pub xml: Option<XmlSource>,
    /// T001 problems (in the YAML or, shifted, in the XML).
    pub problems: Vec<Problem>,
    /// Warnings that do not stop the checks.
    pub advisories: Vec<Problem>,
}

fn shift(span: &Range<usize>) -> Range<usize> {
    XML_SPAN_BASE + span.start..XML_SPAN_BASE + span.end
}

fn at<T: Clone>(l: &Located<T>) -> Sp<T> {
    Sp::new(l.value.clone(), shift(&l.span))
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Read the XML the topology names and complete the topology from it.
pub(super) fn complete(t: &mut Topology, overlays: Vec<PoolOverlay>) -> Completed {
    let mut out = Completed::default();
    let Some(path) = t.topology_xml.clone() else {
        return out;
    };
    let written = path.written.value.replace('\\', "/");
    let cwd = std::env::current_dir().unwrap_or_default();
    let display: Arc<str> = Arc::from(crate::discover::display(&path.resolved, &cwd));
    let source = |text: Arc<str>| XmlSource {
        path: path.resolved.clone(),
        display: display.clone(),
        lines: LineIndex::new(&text),
        text,
    };
    let xml = match topology_xml::read(&path.resolved) {
        Ok(xml) => xml,
        Err(r) if r.unreadable => {
            let why = r.problems.first().map_or("", |p| p.message.as_str());
            out.problems.push(
                Problem::new(
                    path.written.span.clone(),
                    format!("`topology_xml` {written} {why}"),
                )
                .label("the topology XML")
                .help("export it with Get-CsTopology -AsXml, or save a copy from Topology Builder"),
            );
            return out;
        }
        Err(r) => {
            out.xml = Some(source(r.text.clone()));
            out.problems.extend(from_xml(&r.problems));
            return out;
        }
    };
    out.xml = Some(source(xml.text.clone()));
    match xml.plan() {
        Ok(plan) => merge(t, overlays, &plan, &path.written, &mut out),
        Err(problems) => out.problems.extend(from_xml(&problems)),
    }
    out
}

/// The XML's own problems, located in it.
fn from_xml(problems: &[topology_xml::Problem]) -> Vec<Problem> {
    problems
        .iter()
        .map(|p| Problem::new(shift(&p.span), format!("topology XML: {}", p.message)).label("here"))
        .collect()
}

fn merge(
    t: &mut Topology,
    overlays: Vec<PoolOverlay>,
    plan: &EdgePlan,
    xml_path: &Sp<String>,
    out: &mut Completed,
) {
    t.sip_domains = agreed_list(
        std::mem::take(&mut t.sip_domains),
        &plan.sip_domains,
        "sip_domains",
        &mut out.problems,
    );
    product(t, plan, &mut out.problems);
    t.edge_pools = pools(overlays, plan, &mut out.problems);
    if let (Some(pool), None) = (plan.xmpp(), &t.xmpp) {
        out.advisories.push(
            Problem::new(
                xml_path.span.clone(),
                format!(
                    "the topology XML deploys XMPP federation on pool {}; add `xmpp:` with the XMPP-federated domains (the XML does not list them) so that the external certificate is checked for them",
                    pool.internal_fqdn.value
                ),
            )
            .label("XMPP is on here")
            .help("xmpp:\n  domains: [contoso.com]"),
        );
    }
    if let Some(rp) = &mut t.reverse_proxy {
        reverse_proxy(rp, plan, &mut out.problems);
    }
}

/// The YAML's list when the XML has none, the XML's when the YAML has none; when both, they
/// must hold the same names.
fn agreed_list(
    yaml: Vec<Sp<String>>,
    xml: &[Located<String>],
    key: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Sp<String>> {
    agreed_by(yaml, xml, key, |s| s, problems)
}

/// [`agreed_list`], comparing `name_of` each value (a simple URL's host).
fn agreed_by(
    yaml: Vec<Sp<String>>,
    xml: &[Located<String>],
    key: &str,
    name_of: fn(&str) -> &str,
    problems: &mut Vec<Problem>,
) -> Vec<Sp<String>> {
    if yaml.is_empty() {
        return xml.iter().map(at).collect();
    }
    if xml.is_empty() {
        return yaml;
    }
    let lacks = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter()
            .filter(|x| !b.iter().any(|y| same(name_of(x), name_of(y))))
            .cloned()
            .collect()
    };
    let ys: Vec<String> = yaml.iter().map(|s| s.value.clone()).collect();
    let xs: Vec<String> = xml.iter().map(|s| s.value.clone()).collect();
    let (only_yaml, only_xml) = (lacks(&ys, &xs), lacks(&xs, &ys));
    if !only_yaml.is_empty() || !only_xml.is_empty() {
        let span = yaml[0].span.start..yaml[yaml.len() - 1].span.end;
        let mut p = Problem::new(
            span,
            format!(
                "`{key}` differs from the topology XML, which has {}",
                xs.join(", ")
            ),
        )
        .label(format!("written here: {}", ys.join(", ")))
        .help(format!(
            "leave `{key}` out to take the XML's, or correct one of them (only here: {}; only in the XML: {})",
            none_if_empty(&only_yaml),
            none_if_empty(&only_xml)
        ));
        p.related = Some((shift(&xml[0].span), "the XML's".into()));
        problems.push(p);
    }
    yaml
}

fn none_if_empty(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// A value written in the YAML and held by the XML: they must agree.
fn conflict(written: &Sp<String>, xml: &Located<String>, key: &str) -> Option<Problem> {
    if same(&written.value, &xml.value) {
        return None;
    }
    let mut p = Problem::new(
        written.span.clone(),
        format!(
            "`{key}` is {} here but {} in the topology XML",
            written.value, xml.value
        ),
    )
    .label("differs from the XML")
    .help(format!(
        "leave `{key}` out to take the XML's value, or correct one of them"
    ));
    p.related = Some((shift(&xml.span), "the XML's value".into()));
    Some(p)
}

fn product(t: &mut Topology, plan: &EdgePlan, problems: &mut Vec<Problem>) {
    let ProductFinding::Known { name, version } = &plan.product else {
        return;
    };
    let Some(from_xml) = Product::parse(name) else {
        return;
    };
    match &t.product_span {
        None => {
            t.product = from_xml;
            t.product_span = Some(shift(&version.span));
        }
        // sfbse has the version of sfb2019 in the XML: either is consistent with it.
        Some(_)
            if t.product == from_xml
                || (from_xml, t.product) == (Product::Sfb2019, Product::SfbSe) => {}
        Some(span) => {
            let mut p = Problem::new(
                span.clone(),
                format!(
                    "`product` is {} here but the topology XML's Edge services are {name} (ServiceVersion {})",
                    Product::NAMES[t.product as usize],
                    version.value
                ),
            )
            .label("differs from the XML");
            p.related = Some((shift(&version.span), "the XML's version".into()));
            problems.push(p);
        }
    }
}

/// One pool per Edge pool of the XML, in its order, with what the YAML adds; a YAML pool that
/// matches none of the XML's is a problem.
fn pools(overlays: Vec<PoolOverlay>, plan: &EdgePlan, problems: &mut Vec<Problem>) -> Vec<Pool> {
    let mut overlays: Vec<Option<PoolOverlay>> = overlays.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for x in &plan.edge_pools {
        let matching = overlays.iter_mut().find(|o| {
            o.as_ref()
                .is_some_and(|o| same(&o.internal_fqdn.value, &x.internal_fqdn.value))
        });
        out.push(pool(x, matching.and_then(Option::take), problems));
    }
    let known: Vec<&str> = plan
        .edge_pools
        .iter()
        .map(|p| p.internal_fqdn.value.as_str())
        .collect();
    for o in overlays.into_iter().flatten() {
        problems.push(
            Problem::new(
                o.internal_fqdn.span.clone(),
                format!(
                    "the topology XML has no Edge pool {}; its Edge pools are {}",
                    o.internal_fqdn.value,
                    known.join(", ")
                ),
            )
            .label("no such pool in the XML")
            .help(
                "a pool here adds to the XML's pool with the same internal_fqdn: correct the name",
            ),
        );
    }
    out
}

fn pool(x: &EdgePool, o: Option<PoolOverlay>, problems: &mut Vec<Problem>) -> Pool {
    let external = External {
        access_edge: at(&x.access_edge.fqdn),
        web_conferencing_edge: at(&x.web_conferencing_edge.fqdn),
        av_edge: at(&x.av_edge.fqdn),
    };
    let xml_federation = x.federation.as_ref().map(|f| Sp::new(true, shift(&f.span)));
    let mut p = Pool {
        name: Sp::new(x.name.clone(), shift(&x.internal_fqdn.span)),
        internal_fqdn: at(&x.internal_fqdn),
        load_balancing: LoadBalancing::Dns,
        load_balancing_span: None,
        nat: None,
        federation: xml_federation.clone(),
        token_lifetime: None,
        external,
        servers: x
            .servers
            .iter()
            .map(|s| Server {
                fqdn: at(s),
                certificates: Vec::new(),
            })
            .collect(),
        certificates: Vec::new(),
    };
    let Some(o) = o else {
        return p;
    };
    let xml_external = [
        (&x.access_edge.fqdn, "external.access_edge"),
        (
            &x.web_conferencing_edge.fqdn,
            "external.web_conferencing_edge",
        ),
        (&x.av_edge.fqdn, "external.av_edge"),
    ];
    for (written, (xml, key)) in o.external.iter().zip(xml_external) {
        problems.extend(written.as_ref().and_then(|w| conflict(w, xml, key)));
    }
    if let (Some(f), Some(xf)) = (&o.federation, &xml_federation) {
        if !f.value {
            let mut pr = Problem::new(
                f.span.clone(),
                "`federation` is false here but the topology XML's Access Edge has a federation port",
            )
            .label("differs from the XML");
            pr.related = Some((xf.span.clone(), "federation port".into()));
            problems.push(pr);
        }
    }
    if let Some((span, servers)) = o.servers {
        merge_servers(&mut p, x, span, servers, problems);
    }
    p.name = o.name.unwrap_or(p.name);
    p.load_balancing = o.load_balancing;
    p.load_balancing_span = o.load_balancing_span;
    p.nat = o.nat;
    p.federation = o.federation.or(p.federation);
    p.token_lifetime = o.token_lifetime;
    p.certificates = o.certificates;
    p
}

/// `servers` written in the YAML: the same servers as the XML's pool (each server's own
/// certificate entries are taken from the YAML).
fn merge_servers(
    p: &mut Pool,
    x: &EdgePool,
    span: Range<usize>,
    servers: Vec<Server>,
    problems: &mut Vec<Problem>,
) {
    let missing: Vec<&str> = x
        .servers
        .iter()
        .filter(|s| !servers.iter().any(|w| same(&w.fqdn.value, &s.value)))
        .map(|s| s.value.as_str())
        .collect();
    if !missing.is_empty() {
        problems.push(
            Problem::new(
                span,
                format!(
                    "`servers` lacks {}, which the topology XML's pool {} has",
                    missing.join(", "),
                    x.internal_fqdn.value
                ),
            )
            .label("not every server of the XML")
            .help("list every server of the pool, or leave `servers` out to take the XML's"),
        );
    }
    for w in servers {
        match p
            .servers
            .iter_mut()
            .find(|s| same(&s.fqdn.value, &w.fqdn.value))
        {
            Some(s) => s.certificates = w.certificates,
            None => problems.push(
                Problem::new(
                    w.fqdn.span.clone(),
                    format!(
                        "server {} is not in the topology XML's pool {}",
                        w.fqdn.value, x.internal_fqdn.value
                    ),
                )
                .label("not in the XML"),
            ),
        }
    }
}

/// The reverse proxy's published names: the XML's external web services and simple URLs
/// where the YAML has none, compared where it has them.
fn reverse_proxy(rp: &mut ReverseProxy, plan: &EdgePlan, problems: &mut Vec<Problem>) {
    rp.external_web_services = agreed_list(
        std::mem::take(&mut rp.external_web_services),
        &plan.external_web_services,
        "external_web_services",
        problems,
    );
    for (kind, xml, key) in [
        (SimpleUrlKind::Meet, &plan.meet, "simple_urls.meet"),
        (SimpleUrlKind::Dialin, &plan.dialin, "simple_urls.dialin"),
    ] {
        let (mine, others): (Vec<SimpleUrl>, Vec<SimpleUrl>) = std::mem::take(&mut rp.simple_urls)
            .into_iter()
            .partition(|u| u.kind == kind);
        let urls = mine.into_iter().map(|u| u.url).collect();
        rp.simple_urls = others;
        let agreed = agreed_by(urls, xml, key, crate::model::names::url_host, problems);
        rp.simple_urls
            .extend(agreed.into_iter().map(|url| SimpleUrl { kind, url }));
    }
}
