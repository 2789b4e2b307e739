//! What the server analyses: one unit per workspace folder (`edgelint check FOLDER`, in that
//! folder), and one per open topology file outside every folder (`edgelint check FILE`, in its
//! folder), each run through `check`'s own pipeline with the open buffers read instead of
//! the files on disk. A run that fails (an invalid `.edgelint.toml` or rule pack) or panics
//! is kept as its message: the server reports it and goes on.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::CheckArgs;
use crate::commands::check::{analyze_in, Analysis, Buffers};
use crate::model::topology::TopologyFile;
use crate::source::LineIndex;

/// The options of `edgelint server` that every analysis takes.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub now: Option<time::OffsetDateTime>,
    pub config: Option<PathBuf>,
    pub isolated: bool,
    pub no_cache: bool,
}

/// One analysis: the paths `check` would be given, and the folder it would run in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub cwd: PathBuf,
    pub paths: Vec<PathBuf>,
}

pub enum Outcome {
    Done(Box<Analysis>),
    /// The run failed (exit 2 on the command line) or panicked: its message.
    Failed(String),
}

/// A file findings may name: its path, and the text their byte spans index, when they do.
type Named = (PathBuf, Option<(Arc<str>, LineIndex)>);

pub struct Unit {
    pub spec: Spec,
    pub outcome: Outcome,
    /// Every file a finding may name, by the name findings give it, with its text when it
    /// is one the findings' byte spans index (topology files, the configuration).
    names: HashMap<Arc<str>, Named>,
}

/// Run `check`'s pipeline for one unit, catching a panic.
pub fn analyze(spec: Spec, settings: &Settings, buffers: &Buffers) -> Unit {
    let check = CheckArgs {
        paths: spec.paths.clone(),
        now: settings.now,
        config: settings.config.clone(),
        isolated: settings.isolated,
        no_cache: settings.no_cache,
        ..CheckArgs::default()
    };
    let run = catch_unwind(AssertUnwindSafe(|| analyze_in(&check, &spec.cwd, buffers)));
    let outcome = match run {
        Ok(Ok(a)) => Outcome::Done(Box::new(a)),
        Ok(Err(e)) => Outcome::Failed(e),
        Err(panic) => Outcome::Failed(format!(
            "internal error, please report it: {}",
            panic_message(panic.as_ref())
        )),
    };
    let names = match &outcome {
        Outcome::Done(a) => names(a),
        Outcome::Failed(_) => HashMap::new(),
    };
    Unit {
        spec,
        outcome,
        names,
    }
}

/// The text of a panic's payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

fn names(a: &Analysis) -> HashMap<Arc<str>, Named> {
    let mut out = HashMap::new();
    for p in &a.repo.walk_problems {
        out.insert(p.display.clone(), (p.path.clone(), None));
    }
    for f in a.repo.files.values() {
        out.insert(f.display.clone(), (f.path.clone(), None));
    }
    if let (Some(path), Some(display), Some(text)) = (
        &a.resolved.config.path,
        &a.resolved.config.display,
        &a.resolved.config.text,
    ) {
        let lines = LineIndex::new(text);
        out.insert(display.clone(), (path.clone(), Some((text.clone(), lines))));
    }
    for t in &a.repo.topologies {
        let text = Some((t.text.clone(), t.lines.clone()));
        out.insert(t.display.clone(), (t.path.clone(), text));
    }
    out
}

impl Unit {
    pub fn analysis(&self) -> Option<&Analysis> {
        match &self.outcome {
            Outcome::Done(a) => Some(a),
            Outcome::Failed(_) => None,
        }
    }

    /// The file a finding names, and the text its byte spans index when there is one.
    pub fn file(&self, display: &Arc<str>) -> (PathBuf, Option<(&str, &LineIndex)>) {
        match self.names.get(display) {
            Some((path, text)) => (path.clone(), text.as_ref().map(|(t, l)| (t.as_ref(), l))),
            None => (
                crate::discover::normalize(&self.spec.cwd.join(&**display)),
                None,
            ),
        }
    }

    /// The topology file at `path`, as this unit read it.
    pub fn topology(&self, path: &Path) -> Option<&TopologyFile> {
        self.analysis()?
            .repo
            .topologies
            .iter()
            .find(|t| t.path == path)
    }

    /// Is `path` inside what this unit reads?
    pub fn covers(&self, path: &Path) -> bool {
        self.spec.paths.iter().any(|p| path.starts_with(p))
    }
}

/// Does a buffer claim to be a topology file? (Outside the workspace folders only those are
/// analysed: an editor that starts the server for every YAML file gets no finding on a
/// workflow or a compose file.)
pub fn claims_topology(text: &str) -> bool {
    text.contains("edge_pools")
}

/// Is this a YAML file by its name (the only files whose buffers stand in for the disk)?
pub fn is_yaml(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        crate::discover::YAML_EXTENSIONS
            .iter()
            .any(|y| y.eq_ignore_ascii_case(e))
    })
}
