//! load → **derive**: what each server has assigned, per use, current and staged
//! (rules.md "Precedence and scope"), and which topology places reference each file.

pub mod chain;
pub mod needs;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use crate::model::certs::{leaf_index, CertFacts, CertFile, KeyFacts, UnlockError};
use crate::model::topology::{CertEntry, PathRef, Pool, Topology, TopologyFile, Use};
use crate::model::Repository;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Pool { pool: usize },
    Server { pool: usize, server: usize },
    ReverseProxy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryId {
    pub topo: usize,
    pub scope: Scope,
    pub index: usize,
}

#[derive(Debug, Clone)]
pub struct ServerPlan {
    pub topo: usize,
    pub pool: usize,
    pub server: usize,
    pub current: BTreeMap<Use, EntryId>,
    pub staged: BTreeMap<Use, EntryId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    File,
    Key,
    Request,
    CaBundle,
    PublicRoots,
}

impl Field {
    pub fn key(self) -> &'static str {
        match self {
            Field::File => "file",
            Field::Key => "key",
            Field::Request => "request",
            Field::CaBundle => "ca_bundle",
            Field::PublicRoots => "public_roots",
        }
    }
}

/// One place in a topology that names a file.
#[derive(Debug, Clone)]
pub struct Reference {
    pub topo: usize,
    pub field: Field,
    pub entry: Option<EntryId>,
    pub written: String,
    pub span: Range<usize>,
}

/// The certificates and keys an entry's `file` (and `key`) provide.
pub enum Material<'a> {
    /// The file is missing, unreadable or locked: other rules (T002-T004) report it.
    Unavailable,
    Available {
        file: &'a CertFile,
        certs: &'a [CertFacts],
        keys: Vec<&'a KeyFacts>,
    },
}

impl<'a> Material<'a> {
    pub fn leaf(&self) -> Option<&'a CertFacts> {
        match self {
            Material::Unavailable => None,
            Material::Available { certs, keys, .. } => leaf_index(certs, keys).map(|i| &certs[i]),
        }
    }
}

/// An entry's material with the certificate its file stands for, found once.
pub struct EntryMaterial<'a> {
    pub material: Material<'a>,
    pub leaf: Option<&'a CertFacts>,
}

/// The material of every entry of the plan, by entry: the rules' views ask for the same
/// entries over and over, and each answer costs two lookups by path and a key match.
pub fn entry_materials<'a>(
    repo: &'a Repository,
    plan: &Plan,
) -> crate::fast_hash::FastMap<EntryId, EntryMaterial<'a>> {
    let found = crate::parallel::par_map(&plan.entries, |&id| {
        let material = material(repo, entry_in(topology_of(repo, id.topo).1, id));
        let leaf = material.leaf();
        (id, EntryMaterial { material, leaf })
    });
    let mut by_entry = crate::fast_hash::map_with_capacity(found.len());
    by_entry.extend(found);
    by_entry
}

pub struct Plan {
    pub entries: Vec<EntryId>,
    /// In topology, pool, server order (`pool_servers` relies on it).
    pub servers: Vec<ServerPlan>,
    /// Who names each file, by its normalised path's text (as `Repository::files`).
    pub references: crate::fast_hash::FastMap<std::ffi::OsString, Vec<Reference>>,
}

impl Plan {
    pub fn build(repo: &Repository) -> Plan {
        Plan::of_topologies(&repo.topologies)
    }

    /// The plan needs the topologies alone, so it can be made while certificates load.
    pub fn of_topologies(topologies: &[TopologyFile]) -> Plan {
        let mut plan = Plan {
            entries: Vec::new(),
            servers: Vec::new(),
            references: Default::default(),
        };
        for (ti, tf) in topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            for (pi, pool) in t.edge_pools.iter().enumerate() {
                for i in 0..pool.certificates.len() {
                    plan.add_entry(t, ti, Scope::Pool { pool: pi }, i);
                }
                for (si, s) in pool.servers.iter().enumerate() {
                    for i in 0..s.certificates.len() {
                        plan.add_entry(
                            t,
                            ti,
                            Scope::Server {
                                pool: pi,
                                server: si,
                            },
                            i,
                        );
                    }
                    plan.servers.push(server_plan(ti, pi, si, pool));
                }
            }
            if t.reverse_proxy
                .as_ref()
                .is_some_and(|r| r.certificate.is_some())
            {
                plan.add_entry(t, ti, Scope::ReverseProxy, 0);
            }
            for (field, list) in [
                (Field::CaBundle, &t.trust.ca_bundle),
                (Field::PublicRoots, &t.trust.public_roots),
            ] {
                for p in list {
                    plan.reference(ti, field, None, p);
                }
            }
        }
        plan
    }

    fn add_entry(&mut self, t: &Topology, topo: usize, scope: Scope, index: usize) {
        let id = EntryId { topo, scope, index };
        let e = entry_in(t, id);
        for (field, p) in [
            (Field::File, &e.file),
            (Field::Key, &e.key),
            (Field::Request, &e.request),
        ] {
            if let Some(p) = p {
                self.reference(topo, field, Some(id), p);
            }
        }
        self.entries.push(id);
    }

    fn reference(&mut self, topo: usize, field: Field, entry: Option<EntryId>, p: &PathRef) {
        self.references
            .entry(p.resolved.clone().into_os_string())
            .or_default()
            .push(Reference {
                topo,
                field,
                entry,
                written: p.written.value.clone(),
                span: p.written.span.clone(),
            });
    }
}

fn server_plan(topo: usize, pool: usize, server: usize, p: &Pool) -> ServerPlan {
    let mut sp = ServerPlan {
        topo,
        pool,
        server,
        current: BTreeMap::new(),
        staged: BTreeMap::new(),
    };
    // Pool entries first, then the server's own: the server's entry replaces the pool's.
    let pool_entries = p.certificates.iter().enumerate().map(|(i, e)| {
        (
            EntryId {
                topo,
                scope: Scope::Pool { pool },
                index: i,
            },
            e,
        )
    });
    let server_entries = p.servers[server]
        .certificates
        .iter()
        .enumerate()
        .map(|(i, e)| {
            (
                EntryId {
                    topo,
                    scope: Scope::Server { pool, server },
                    index: i,
                },
                e,
            )
        });
    for (id, e) in pool_entries.chain(server_entries) {
        // A request-only entry is a plan, not an assignment.
        if e.file.is_none() {
            continue;
        }
        let target = if e.is_staged() {
            &mut sp.staged
        } else {
            &mut sp.current
        };
        for u in &e.uses {
            target.insert(u.value, id);
        }
    }
    sp
}

pub fn entry_in(t: &Topology, id: EntryId) -> &CertEntry {
    match id.scope {
        Scope::Pool { pool } => &t.edge_pools[pool].certificates[id.index],
        Scope::Server { pool, server } => {
            &t.edge_pools[pool].servers[server].certificates[id.index]
        }
        Scope::ReverseProxy => t
            .reverse_proxy
            .as_ref()
            .and_then(|r| r.certificate.as_ref())
            .expect("reverse proxy entry ids exist only with a certificate"),
    }
}

/// The certificates of a file as its password source opens them (`None` = no password_env).
pub fn file_material<'a>(
    file: &'a CertFile,
    env: Option<&String>,
) -> Option<(&'a [CertFacts], Vec<&'a KeyFacts>)> {
    if file.read_error.is_some() {
        return None;
    }
    if file.is_pkcs12() {
        let opened = opened_with(file, env)?.as_ref().ok()?;
        return Some((&opened.certs, opened.keys.iter().collect()));
    }
    Some((
        &file.certs,
        file.keys
            .iter()
            .filter(|k| k.public_key.is_some())
            .collect(),
    ))
}

/// What the password source `env` opened in the file. A file has one or two sources: a look
/// along them needs no copy of the name (which every rule's lookup made); a file named with
/// many (a hostile topology) is searched by key.
fn opened_with<'a>(
    file: &'a CertFile,
    env: Option<&String>,
) -> Option<&'a Result<crate::model::certs::Unlocked, UnlockError>> {
    if file.unlocked.len() > 4 {
        return file.unlocked.get(&env.cloned());
    }
    file.unlocked
        .iter()
        .find(|(source, _)| source.as_ref() == env)
        .map(|(_, opened)| opened)
}

/// Whatever opened the file (for checks that need no particular password).
pub fn any_material(file: &CertFile) -> Option<(&[CertFacts], Vec<&KeyFacts>)> {
    if file.is_pkcs12() {
        let opened = file.unlocked.values().find_map(|r| r.as_ref().ok())?;
        return Some((&opened.certs, opened.keys.iter().collect()));
    }
    file_material(file, None)
}

/// The private keys a `key:` file yields (decrypted with the entry's password when needed).
pub fn key_material<'a>(
    file: &'a CertFile,
    env: Option<&String>,
) -> Result<Vec<&'a KeyFacts>, Option<&'a UnlockError>> {
    if file.read_error.is_some() {
        return Err(None);
    }
    let mut keys: Vec<&KeyFacts> = file.keys.iter().filter(|k| !k.encrypted).collect();
    if file.keys.iter().any(|k| k.encrypted) {
        match opened_with(file, env) {
            Some(Ok(u)) => keys.extend(u.keys.iter()),
            Some(Err(e)) => return Err(Some(e)),
            None => return Err(None),
        }
    }
    Ok(keys)
}

pub fn material<'a>(repo: &'a Repository, entry: &CertEntry) -> Material<'a> {
    let Some(file_ref) = &entry.file else {
        return Material::Unavailable;
    };
    let Some(file) = repo.file(&file_ref.resolved) else {
        return Material::Unavailable;
    };
    let env = entry.password_env.as_ref().map(|e| &e.value);
    let Some((certs, mut keys)) = file_material(file, env) else {
        return Material::Unavailable;
    };
    if let Some(k) = &entry.key {
        if let Some(kf) = repo.file(&k.resolved) {
            if let Ok(more) = key_material(kf, env) {
                keys.extend(more);
            }
        }
    }
    Material::Available { file, certs, keys }
}

pub fn topology_of(repo: &Repository, topo: usize) -> (&TopologyFile, &Topology) {
    let tf = &repo.topologies[topo];
    (
        tf,
        tf.topology
            .as_ref()
            .expect("plans are built from valid topologies only"),
    )
}

pub fn path_of(p: &Option<PathRef>) -> Option<&Path> {
    p.as_ref().map(|p| p.resolved.as_path())
}

/// The servers of one pool, in file order (`plan.servers` of that topology and pool).
pub fn pool_servers(plan: &Plan, topo: usize, pool: usize) -> impl Iterator<Item = &ServerPlan> {
    // `servers` is in topology, pool, server order (Plan::build): a pool's are one run of it.
    let start = plan
        .servers
        .partition_point(|s| (s.topo, s.pool) < (topo, pool));
    plan.servers[start..]
        .iter()
        .take_while(move |s| s.topo == topo && s.pool == pool)
}
