//! What each pool and the reverse proxy needs: the names their certificates must carry (in the
//! order they should be requested) and the certificate requests that produce them. The rules
//! (their fix suggestions) and the certificate plan read these; nothing else decides a name set.

use crate::fix::{CertificateRequest, Role};
use crate::model::names::{name_eq, push_unique, url_host};
use crate::model::topology::{CertEntry, Pool, ReverseProxy, Sp, Topology, Use};

/// The SAN set an external Edge certificate of `pool` needs: the Access Edge FQDN, the Web
/// Conferencing Edge FQDN, `sip.<domain>` for each SIP domain, each XMPP domain and the XMPP
/// SRV target; each once. (The A/V Edge FQDN is not needed: the A/V Edge does not use names.)
pub fn external_names(t: &Topology, pool: &Pool) -> Vec<String> {
    let mut out = Vec::new();
    push_unique(&mut out, &pool.external.access_edge.value);
    push_unique(&mut out, &pool.external.web_conferencing_edge.value);
    for d in &t.sip_domains {
        push_unique(&mut out, &format!("sip.{}", d.value));
    }
    if let Some(x) = t.xmpp.as_ref().filter(|_| t.product.supports_xmpp()) {
        for d in &x.domains {
            push_unique(&mut out, &d.value);
        }
        if let Some(s) = &x.srv_target {
            push_unique(&mut out, &s.value);
        }
    }
    out
}

/// What a name the reverse proxy certificate needs is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyNameKind {
    ExternalWebServices,
    SimpleUrl,
    OfficeWebApps,
    /// `lyncdiscover.<domain>`; the source is the SIP domain.
    Lyncdiscover,
}

impl ProxyNameKind {
    /// May a wildcard SAN one label above stand for this name? Yes for the simple URLs and for
    /// Autodiscover ("Wildcard certificate support in Lync Server 2013"), never for the web
    /// services FQDNs or Office Web Apps.
    pub fn wildcard_allowed(self) -> bool {
        matches!(self, ProxyNameKind::SimpleUrl | ProxyNameKind::Lyncdiscover)
    }
}

pub struct ProxyName<'a> {
    pub kind: ProxyNameKind,
    pub name: String,
    pub source: &'a Sp<String>,
}

/// The names the reverse proxy publishes, each once: the external web services FQDNs, the
/// meet and dial-in simple URL hosts (the admin URL is internal only), the Office Web Apps
/// FQDN, and with `lyncdiscover: true`, `lyncdiscover.<domain>` for each SIP domain.
pub fn reverse_proxy_names<'a>(t: &'a Topology, rp: &'a ReverseProxy) -> Vec<ProxyName<'a>> {
    let mut out: Vec<ProxyName<'a>> = Vec::new();
    let mut ask = |kind: ProxyNameKind, name: String, source: &'a Sp<String>| {
        if !name.is_empty() && !out.iter().any(|r| name_eq(&r.name, &name)) {
            out.push(ProxyName { kind, name, source });
        }
    };
    for n in &rp.external_web_services {
        ask(ProxyNameKind::ExternalWebServices, n.value.clone(), n);
    }
    for u in rp.simple_urls.iter().filter(|u| u.is_published()) {
        ask(
            ProxyNameKind::SimpleUrl,
            url_host(&u.url.value).to_string(),
            &u.url,
        );
    }
    if let Some(n) = &rp.office_web_apps {
        ask(ProxyNameKind::OfficeWebApps, n.value.clone(), n);
    }
    if rp.lyncdiscover {
        for d in &t.sip_domains {
            ask(
                ProxyNameKind::Lyncdiscover,
                format!("lyncdiscover.{}", d.value),
                d,
            );
        }
    }
    out
}

fn uses_or(uses: &[Use], default: &[Use]) -> Vec<&'static str> {
    let chosen = if uses.is_empty() { default } else { uses };
    chosen.iter().map(|u| u.name()).collect()
}

fn pool_request(pool: &Pool, role: Role, subject: &str, san: Vec<String>) -> CertificateRequest {
    let label = match role {
        Role::Av => "av",
        Role::Internal => "internal",
        Role::Oauth => "oauth",
        Role::Xmpp => "xmpp",
        _ => "external",
    };
    CertificateRequest {
        role,
        subject: subject.to_string(),
        san,
        key_size: 2048,
        exportable: true,
        client_eku: false,
        uses: Vec::new(),
        file_stem: format!("{}-{label}", pool.name.value),
        friendly_name: format!("{} {label}", pool.name.value),
    }
}

/// The external certificate of a pool: subject = the Access Edge FQDN, SAN = `external_names`.
pub fn external_request(t: &Topology, pool: &Pool, uses: &[Use]) -> CertificateRequest {
    let subject = &pool.external.access_edge.value;
    let mut r = pool_request(pool, Role::External, subject, external_names(t, pool));
    r.uses = uses_or(uses, &[Use::AccessEdgeExternal, Use::DataEdgeExternal]);
    r.client_eku = !t.public_im.is_empty();
    r
}

/// A decoupled A/V Authentication certificate: its names are not used, so the pool's external
/// names serve as the explicit names a CA wants.
pub fn av_request(t: &Topology, pool: &Pool, uses: &[Use]) -> CertificateRequest {
    let subject = &pool.external.access_edge.value;
    let mut r = pool_request(pool, Role::Av, subject, external_names(t, pool));
    r.uses = uses_or(uses, &[Use::AudioVideoAuthentication]);
    r
}

/// The internal certificate: subject = the pool's internal FQDN, no SAN.
pub fn internal_request(pool: &Pool, uses: &[Use]) -> CertificateRequest {
    let mut r = pool_request(pool, Role::Internal, &pool.internal_fqdn.value, Vec::new());
    r.uses = uses_or(uses, &[Use::Internal]);
    r
}

/// A certificate used only for OAuthTokenIssuer: subject and SAN = the default SIP domain.
pub fn oauth_request(t: &Topology, pool: &Pool, uses: &[Use]) -> CertificateRequest {
    let domain = t.sip_domains.first().map_or("", |d| d.value.as_str());
    let mut r = pool_request(pool, Role::Oauth, domain, vec![domain.to_string()]);
    r.uses = uses_or(uses, &[Use::OAuthTokenIssuer]);
    r
}

/// The reverse proxy certificate: subject = the first external web services FQDN, SAN = every
/// name it publishes. Requested on the reverse proxy, so it has no `uses`.
pub fn reverse_proxy_request(t: &Topology, rp: &ReverseProxy) -> CertificateRequest {
    let san: Vec<String> = reverse_proxy_names(t, rp)
        .into_iter()
        .map(|n| n.name)
        .collect();
    let subject = rp
        .external_web_services
        .first()
        .map(|s| s.value.clone())
        .or_else(|| san.first().cloned())
        .unwrap_or_default();
    let (stem, friendly) = match &t.deployment {
        Some(d) => (
            format!("{}-reverse-proxy", d.value),
            format!("{} reverse proxy", d.value),
        ),
        None => ("reverse-proxy".to_string(), "reverse proxy".to_string()),
    };
    CertificateRequest {
        role: Role::ReverseProxy,
        subject,
        san,
        key_size: 2048,
        exportable: true,
        client_eku: false,
        uses: Vec::new(),
        file_stem: stem,
        friendly_name: friendly,
    }
}

/// The request that replaces the certificate of an entry, by the role its uses give it, in
/// its pool; `pool` is `None` for the reverse proxy's entry.
pub fn request_for_entry(
    t: &Topology,
    pool: Option<&Pool>,
    entry: &CertEntry,
) -> Option<CertificateRequest> {
    let Some(pool) = pool else {
        return t
            .reverse_proxy
            .as_ref()
            .map(|rp| reverse_proxy_request(t, rp));
    };
    let uses: Vec<Use> = entry.uses.iter().map(|u| u.value).collect();
    let names: Vec<&str> = uses.iter().map(|u| u.name()).collect();
    Some(match Role::of_uses(&names) {
        Role::Internal => internal_request(pool, &uses),
        Role::Av => av_request(t, pool, &uses),
        Role::Oauth => oauth_request(t, pool, &uses),
        Role::External | Role::Xmpp | Role::ReverseProxy => external_request(t, pool, &uses),
    })
}
