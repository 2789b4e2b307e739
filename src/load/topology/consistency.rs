//! T001 conditions that need the whole file: unique pool names, one current and one staged
//! entry per use and level.

use std::collections::HashMap;
use std::ops::Range;

use super::decode::Decoder;
use crate::load::reader::Problem;
use crate::model::topology::{CertEntry, Topology, Use};

impl Decoder {
    /// T001 conditions that need the whole file: unique pool names, one current and one
    /// staged entry per use and level.
    pub(super) fn consistency(&mut self, t: &Topology) {
        let mut names: HashMap<String, Range<usize>> = HashMap::new();
        for pool in &t.edge_pools {
            let key = pool.name.value.to_ascii_lowercase();
            if let Some(first) = names.get(&key) {
                let mut p = Problem::new(
                    pool.name.span.clone(),
                    format!("pool name `{}` is used twice in this file", pool.name.value),
                )
                .label("second pool with this name")
                .help("give every Edge pool a unique `name`");
                p.related = Some((first.clone(), "first used here".into()));
                self.reader.push(p);
            } else {
                names.insert(key, pool.name.span.clone());
            }
            let level = format!("pool {}", pool.name.value);
            self.unique_uses(&pool.certificates, &level);
            for s in &pool.servers {
                self.unique_uses(&s.certificates, &format!("server {}", s.fqdn.value));
            }
        }
    }

    fn unique_uses(&mut self, entries: &[CertEntry], level: &str) {
        let mut seen: HashMap<(Use, bool), Range<usize>> = HashMap::new();
        for e in entries {
            // A request-only entry is a plan, not an assignment.
            if e.file.is_none() {
                continue;
            }
            for u in &e.uses {
                let staged = e.is_staged();
                if let Some(first) = seen.get(&(u.value, staged)) {
                    let kind = if staged { "staged" } else { "current" };
                    let mut p = Problem::new(
                        u.span.clone(),
                        format!("two {kind} certificates for {} on {level}", u.value.name()),
                    )
                    .label(format!("second {kind} {}", u.value.name()))
                    .help(
                        "assign each use once per level; a replacement goes in an entry with `roll:`",
                    );
                    p.related = Some((first.clone(), "first assigned here".into()));
                    self.reader.push(p);
                } else {
                    seen.insert((u.value, staged), u.span.clone());
                }
            }
        }
    }
}
