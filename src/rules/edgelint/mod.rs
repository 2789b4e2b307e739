//! E: edgelint's own findings.

mod unknown_code;
mod unused_suppression;

pub use unknown_code::UnknownCode;
pub use unused_suppression::UnusedSuppression;
