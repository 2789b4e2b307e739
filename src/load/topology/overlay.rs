//! The pools of a topology file that names its XML (`topology_xml`): each adds to the XML's
//! pool with the same `internal_fqdn`. They have the keys of a pool; only `internal_fqdn` is
//! required, since the XML holds the name, the external FQDNs and the servers.

use std::ops::Range;

use super::decode::Decoder;
use crate::model::schema;
use crate::model::topology::*;
use crate::model::tree::Node;

/// What a YAML pool adds to (or states about) the XML's pool.
#[derive(Debug, Clone)]
pub struct PoolOverlay {
    pub name: Option<Sp<String>>,
    pub internal_fqdn: Sp<String>,
    pub load_balancing: LoadBalancing,
    pub load_balancing_span: Option<Range<usize>>,
    pub nat: Option<Sp<bool>>,
    pub federation: Option<Sp<bool>>,
    pub token_lifetime: Option<Sp<time::Duration>>,
    /// `access_edge`, `web_conferencing_edge`, `av_edge` as written.
    pub external: [Option<Sp<String>>; 3],
    /// The servers as written (each must be one of the XML's), with their own entries.
    pub servers: Option<(Range<usize>, Vec<Server>)>,
    pub certificates: Vec<CertEntry>,
}

impl Decoder {
    /// `edge_pools` of a file with `topology_xml`: may be absent; when written, at least one.
    pub(super) fn overlays(&mut self, n: Option<&Node>) -> Vec<PoolOverlay> {
        let Some(n) = n else {
            return Vec::new();
        };
        let items = self.pool_items(n);
        items.iter().filter_map(|item| self.overlay(item)).collect()
    }

    fn overlay(&mut self, n: &Node) -> Option<PoolOverlay> {
        let t = self.table(n, "edge_pools", &schema::POOL_OVERLAY)?;
        let name = self.opt_string(&t, "name");
        let internal_fqdn = self.req_string(&t, "internal_fqdn");
        let (load_balancing, load_balancing_span) = self.load_balancing(&t);
        let nat = self.opt_bool(&t, "nat");
        let federation = self.opt_bool(&t, "federation");
        let token_lifetime = self
            .get(&t, "token_lifetime")
            .and_then(|v| self.token_lifetime(v));
        let external = match self.get(&t, "external") {
            Some(e) => self.external_overlay(e),
            None => [None, None, None],
        };
        let servers = self
            .get(&t, "servers")
            .map(|s| (s.span.clone(), self.servers(&t)));
        let certificates = self.cert_entries(&t);
        Some(PoolOverlay {
            name,
            internal_fqdn: internal_fqdn?,
            load_balancing: load_balancing?,
            load_balancing_span,
            nat,
            federation,
            token_lifetime,
            external,
            servers,
            certificates,
        })
    }

    fn external_overlay(&mut self, n: &Node) -> [Option<Sp<String>>; 3] {
        let Some(t) = self.table(n, "external", &schema::EXTERNAL_OVERLAY) else {
            return [None, None, None];
        };
        ["access_edge", "web_conferencing_edge", "av_edge"].map(|k| self.opt_string(&t, k))
    }
}
