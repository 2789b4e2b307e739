//! K: private keys.

mod cng_key_provider;
mod private_key_mismatch;
mod private_key_missing;
mod private_key_not_exportable;
mod unencrypted_private_key;

pub use cng_key_provider::CngKeyProvider;
pub use private_key_mismatch::PrivateKeyMismatch;
pub use private_key_missing::PrivateKeyMissing;
pub use private_key_not_exportable::PrivateKeyNotExportable;
pub use unencrypted_private_key::UnencryptedPrivateKey;

use crate::derive::{EntryId, Scope};
use crate::model::topology::{CertEntry, PathRef};
use crate::rules::Context;

/// The entries the K rules judge: an Edge entry (not the reverse proxy's, which has no uses)
/// with a `file` and at least one use.
pub(crate) fn assigned<'c, 'a>(
    cx: &'c Context<'a>,
) -> impl Iterator<Item = (EntryId, &'a CertEntry, &'a PathRef)> + 'c {
    cx.plan.entries.iter().filter_map(move |&id| {
        if id.scope == Scope::ReverseProxy {
            return None;
        }
        let entry = cx.entry(id);
        let file = entry.file.as_ref()?;
        (!entry.uses.is_empty()).then_some((id, entry, file))
    })
}
