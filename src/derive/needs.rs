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

/// The request for a certificate of `role` in `pool` that serves `uses`.
pub fn request_for_role(t: &Topology, pool: &Pool, role: Role, uses: &[Use]) -> CertificateRequest {
    match role {
        Role::Internal => internal_request(pool, uses),
        Role::Av => av_request(t, pool, uses),
        Role::Oauth => oauth_request(t, pool, uses),
        Role::External | Role::Xmpp | Role::ReverseProxy => external_request(t, pool, uses),
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
    Some(request_for_role(t, pool, Role::of_uses(&names), &uses))
}

/// Every certificate entry of a pool: the pool's own, then each server's.
fn pool_entries(pool: &Pool) -> impl Iterator<Item = &CertEntry> {
    pool.certificates
        .iter()
        .chain(pool.servers.iter().flat_map(|s| s.certificates.iter()))
}

fn role_of_entry(entry: &CertEntry) -> Role {
    let names: Vec<&str> = entry.uses.iter().map(|u| u.value.name()).collect();
    match Role::of_uses(&names) {
        // The XMPP gateway's names are the external certificate's (rules.md "Fix suggestions").
        Role::Xmpp => Role::External,
        role => role,
    }
}

/// Which certificate of a pool serves a use. The interfaces have theirs; A/V Authentication
/// rides on the external certificate, as in every certificate summary table, unless an entry
/// of the pool gives it a certificate of its own (decoupled, which staging with `roll`
/// needs); `XmppServer` and `OAuthTokenIssuer` follow the entries that carry them.
fn role_of_use(pool: &Pool, u: Use) -> Role {
    let own = match u {
        Use::AccessEdgeExternal | Use::DataEdgeExternal => return Role::External,
        Use::Internal => return Role::Internal,
        Use::AudioVideoAuthentication => Role::Av,
        Use::OAuthTokenIssuer => Role::Oauth,
        Use::XmppServer => Role::External,
    };
    let carriers: Vec<Role> = pool_entries(pool)
        .filter(|e| e.has_use(u))
        .map(role_of_entry)
        .collect();
    if carriers.contains(&own) {
        return own;
    }
    match (carriers.first(), u) {
        (Some(&role), _) => role,
        (None, Use::OAuthTokenIssuer) => Role::Oauth,
        (None, _) => Role::External,
    }
}

/// The certificates a pool needs, one request per role (external, A/V, internal, OAuth),
/// each with the uses it serves: every use P001 requires, and the optional ones
/// (`XmppServer`, `OAuthTokenIssuer`) an entry of the pool assigns.
pub fn pool_requests(t: &Topology, pool: &Pool) -> Vec<CertificateRequest> {
    let present = |u: Use| Use::REQUIRED.contains(&u) || pool_entries(pool).any(|e| e.has_use(u));
    let roles: Vec<(Use, Role)> = Use::ALL
        .into_iter()
        .filter(|&u| present(u))
        .map(|u| (u, role_of_use(pool, u)))
        .collect();
    [Role::External, Role::Av, Role::Internal, Role::Oauth]
        .into_iter()
        .filter_map(|role| {
            let uses: Vec<Use> = roles
                .iter()
                .filter(|(_, r)| *r == role)
                .map(|(u, _)| *u)
                .collect();
            (!uses.is_empty()).then(|| request_for_role(t, pool, role, &uses))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topology(certificates: &str) -> Topology {
        let text = format!(
            "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: edge\n    internal_fqdn: edge.corp.contoso.com\n    external:\n      access_edge: sip.contoso.com\n      web_conferencing_edge: webcon.contoso.com\n      av_edge: av.contoso.com\n    servers: [edge01.corp.contoso.com]\n{certificates}"
        );
        let path = std::path::Path::new("t.yaml");
        crate::load::topology_from_text(path, "t.yaml".into(), &text, true)
            .and_then(|f| f.topology)
            .expect("a valid topology")
    }

    fn roles(t: &Topology) -> Vec<(Role, Vec<&'static str>)> {
        pool_requests(t, &t.edge_pools[0])
            .into_iter()
            .map(|r| (r.role, r.uses))
            .collect()
    }

    #[test]
    fn a_pool_without_certificates_needs_the_tables_two() {
        // Every certificate summary table: one external certificate for the Access Edge, Web
        // Conferencing Edge and A/V Authentication, and the internal one.
        assert_eq!(
            roles(&topology("")),
            [
                (
                    Role::External,
                    vec![
                        "AccessEdgeExternal",
                        "DataEdgeExternal",
                        "AudioVideoAuthentication"
                    ]
                ),
                (Role::Internal, vec!["Internal"]),
            ]
        );
    }

    #[test]
    fn a_decoupled_av_certificate_is_a_role_of_its_own() {
        let t = topology(
            "    certificates:\n      - file: a.pfx\n        uses: [AccessEdgeExternal, DataEdgeExternal, XmppServer]\n      - request: av.csr\n        uses: [AudioVideoAuthentication]\n      - file: o.pfx\n        uses: [OAuthTokenIssuer]\n",
        );
        assert_eq!(
            roles(&t),
            [
                (
                    Role::External,
                    vec!["AccessEdgeExternal", "DataEdgeExternal", "XmppServer"]
                ),
                (Role::Av, vec!["AudioVideoAuthentication"]),
                (Role::Internal, vec!["Internal"]),
                (Role::Oauth, vec!["OAuthTokenIssuer"]),
            ]
        );
    }
}
