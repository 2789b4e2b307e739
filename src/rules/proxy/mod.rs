//! W: reverse proxy.

mod reverse_proxy_san_missing;

pub use reverse_proxy_san_missing::ReverseProxySanMissing;
