//! What the R rules share: each staged (`roll`) certificate paired with the current
//! certificate it replaces, per server and use, reported once per staged entry and current
//! certificate (a pool-level staged entry applies to every server, but it is one fact).

mod av_expiry_without_roll;
mod roll_after_expiry;
mod roll_dates_differ_in_pool;
mod roll_lead_time_short;
mod roll_not_valid_at_effective_date;
mod roll_unsupported_use;

pub use av_expiry_without_roll::AvExpiryWithoutRoll;
pub use roll_after_expiry::RollAfterExpiry;
pub use roll_dates_differ_in_pool::RollDatesDifferInPool;
pub use roll_lead_time_short::RollLeadTimeShort;
pub use roll_not_valid_at_effective_date::RollNotValidAtEffectiveDate;
pub use roll_unsupported_use::RollUnsupportedUse;

use time::{Duration, OffsetDateTime};

use super::Context;
use crate::derive::{topology_of, EntryId, Scope};
use crate::model::certs::CertFacts;
use crate::model::topology::{Pool, Use};

/// The A/V MaxTokenLifetime when the pool sets no `token_lifetime`.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::hours(8);
/// The minimum lead time of an OAuthTokenIssuer roll (S17).
pub const OAUTH_LEAD: Duration = Duration::hours(24);

/// `Set-CsCertificate -Roll` stages only these uses.
pub fn is_rollable(u: Use) -> bool {
    matches!(u, Use::AudioVideoAuthentication | Use::OAuthTokenIssuer)
}

pub fn token_lifetime(pool: &Pool) -> Duration {
    pool.token_lifetime
        .as_ref()
        .map_or(DEFAULT_TOKEN_LIFETIME, |t| t.value)
}

/// The lead time a use needs before the current certificate expires.
pub fn required_lead(u: Use, pool: &Pool) -> Duration {
    match u {
        Use::OAuthTokenIssuer => OAUTH_LEAD,
        _ => token_lifetime(pool),
    }
}

/// A duration as `6h`, `24h`, `30h`, `1h 30m`, or `2d` for whole days from two on; `0m` for none.
pub fn duration(d: Duration) -> String {
    let s = d.whole_seconds().abs();
    if s >= 2 * 86_400 && s % 86_400 == 0 {
        return format!("{}d", s / 86_400);
    }
    let parts = [(s / 3_600, "h"), (s % 3_600 / 60, "m"), (s % 60, "s")];
    let text: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if text.is_empty() {
        "0m".into()
    } else {
        text.join(" ")
    }
}

pub fn uses_text(uses: &[Use]) -> String {
    let names: Vec<&str> = uses.iter().map(|u| u.name()).collect();
    match names.as_slice() {
        [init @ .., last] if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => names.join(""),
    }
}

/// The pool an entry of an Edge pool belongs to.
pub fn pool_of<'a>(cx: &Context<'a>, id: EntryId) -> Option<&'a Pool> {
    let (_, t) = topology_of(cx.repo, id.topo);
    match id.scope {
        Scope::Pool { pool } | Scope::Server { pool, .. } => Some(&t.edge_pools[pool]),
        Scope::ReverseProxy => None,
    }
}

pub struct RollPair<'a> {
    pub staged: EntryId,
    /// The first current entry found with this certificate.
    pub current: EntryId,
    pub current_leaf: &'a CertFacts,
    /// The rollable uses concerned, in `Use` order.
    pub uses: Vec<Use>,
    pub effective: OffsetDateTime,
    pub pool: &'a Pool,
}

impl RollPair<'_> {
    pub fn expires(&self) -> OffsetDateTime {
        self.current_leaf.not_after
    }
}

/// Every (staged entry, current certificate) pair of a rollable use, in plan order.
pub fn roll_pairs<'a>(cx: &Context<'a>) -> Vec<RollPair<'a>> {
    let mut out: Vec<(RollPair<'a>, String)> = Vec::new();
    for sp in &cx.plan.servers {
        for (&u, &staged) in &sp.staged {
            if !is_rollable(u) {
                continue;
            }
            let Some(&current) = sp.current.get(&u) else {
                continue;
            };
            let Some(roll) = &cx.entry(staged).roll else {
                continue;
            };
            let Some(leaf) = cx.leaf(current) else {
                continue;
            };
            let Some(pool) = pool_of(cx, staged) else {
                continue;
            };
            let fp = leaf.sha256();
            match out.iter_mut().find(|(p, f)| p.staged == staged && *f == fp) {
                Some((p, _)) => {
                    if !p.uses.contains(&u) {
                        p.uses.push(u);
                        p.uses.sort();
                    }
                }
                None => out.push((
                    RollPair {
                        staged,
                        current,
                        current_leaf: leaf,
                        uses: vec![u],
                        effective: roll.effective_date.value,
                        pool,
                    },
                    fp,
                )),
            }
        }
    }
    out.into_iter().map(|(p, _)| p).collect()
}

/// The `file:` value of an entry as written.
pub fn written(cx: &Context<'_>, id: EntryId) -> String {
    cx.entry(id)
        .file
        .as_ref()
        .map_or_else(String::new, |f| f.written.value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(Duration::hours(6)), "6h");
        assert_eq!(duration(Duration::hours(24)), "24h");
        assert_eq!(duration(Duration::hours(30)), "30h");
        assert_eq!(duration(Duration::minutes(90)), "1h 30m");
        assert_eq!(duration(Duration::days(2)), "2d");
        assert_eq!(duration(Duration::ZERO), "0m");
    }
}
