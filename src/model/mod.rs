//! The typed model every rule reads: topology files and certificate-like files, with spans.

pub mod certs;
pub mod der;
pub mod names;
pub mod schema;
pub mod topology;
pub mod tree;

use std::path::PathBuf;

use certs::CertFile;
use topology::TopologyFile;

#[derive(Debug, Default)]
pub struct Repository {
    pub topologies: Vec<TopologyFile>,
    /// Every certificate-like file, found by the walk or referenced by a topology, by its
    /// normalised path's text (rules look files up thousands of times: a path's own hash
    /// walks its components, the text's hashes its bytes at once).
    pub files: crate::fast_hash::FastMap<std::ffi::OsString, CertFile>,
    /// Files found by walking (as opposed to only referenced).
    pub walked: Vec<PathBuf>,
    /// CA bundles the configuration adds to every topology's `trust` (organisation, public).
    pub extra_ca_bundles: Vec<PathBuf>,
    pub extra_public_roots: Vec<PathBuf>,
    /// Unreferenced PKCS#12 files not opened because `EDGELINT_PFX_PASSWORD` is unset.
    pub skipped_pkcs12: Vec<PathBuf>,
    /// Paths the walk could not read or would not follow (T002).
    pub walk_problems: Vec<WalkProblem>,
}

/// A path the walk could not read (a folder without permission, a FIFO named on the command
/// line, a link loop) or would not follow (a link leaving the checked folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub display: std::sync::Arc<str>,
    pub message: String,
    pub warning: bool,
}

impl Repository {
    pub fn file(&self, path: impl AsRef<std::ffi::OsStr>) -> Option<&CertFile> {
        self.files.get(path.as_ref())
    }

    /// Number of input files read (topologies and certificate-like files).
    pub fn file_count(&self) -> usize {
        self.topologies.len() + self.files.len()
    }
}
