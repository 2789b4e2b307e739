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
