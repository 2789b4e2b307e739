//! `edgelint import FILE [-o OUT.yaml] [--force]`: a topology file (format v1) from a Topology
//! Builder document or a published topology. The XML is read by `topology_xml`; what it holds
//! becomes values, what it lacks commented placeholders. The text written is read back by the
//! topology loader first: the command never writes a file `edgelint check` would call invalid.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use super::{write_stdout, EXIT_CLEAN};
use crate::cli::ImportArgs;
use crate::model::topology::ProblemKind;
use crate::source::escape_controls;
use crate::topology_xml::{self, EdgePlan, FqdnSource, Problem};

/// A topology file's text from a Topology Builder document or published topology, read back
/// by the loader; its warnings are printed on standard error. `import` and `init --from`.
pub fn topology_text(file: &Path, out: Option<&Path>) -> Result<(String, EdgePlan), String> {
    let cwd = super::working_folder()?;
    let source = crate::discover::display(&crate::discover::normalize(file), &cwd);
    let xml = topology_xml::read(file).map_err(|r| located(&source, &r.problems))?;
    let plan = xml.plan().map_err(|p| located(&source, &p))?;
    let text = topology_xml::yaml::write(&plan, &source, &xml.sha256);
    self_check(&text, out)?;
    for warning in warnings(&plan) {
        eprintln!("edgelint: {}", located(&source, &[warning]));
    }
    Ok((text, plan))
}

/// Run `edgelint import`; an error is a message for standard error (exit 2).
pub fn run(args: &ImportArgs) -> Result<u8, String> {
    let (text, plan) = topology_text(&args.file, args.output.as_deref())?;
    match &args.output {
        None => write_stdout(&text).map_err(|e| format!("cannot write output: {e}"))?,
        Some(out) => {
            write_file(out, &text, args.force)?;
            let servers: usize = plan.edge_pools.iter().map(|p| p.servers.len()).sum();
            eprintln!(
                "edgelint: wrote {} ({} Edge pool{}, {servers} server{})",
                escape_controls(&out.to_string_lossy(), false),
                plan.edge_pools.len(),
                if plan.edge_pools.len() == 1 { "" } else { "s" },
                if servers == 1 { "" } else { "s" },
            );
        }
    }
    Ok(EXIT_CLEAN)
}

/// At most this many problems are printed; a last line says how many more there were.
const MAX_PROBLEMS_SHOWN: usize = 50;

/// `FILE:LINE:COLUMN: message`, one line per problem.
fn located(source: &str, problems: &[Problem]) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .take(MAX_PROBLEMS_SHOWN)
        .map(|p| {
            format!(
                "{source}:{}:{}: {}",
                p.line,
                p.column,
                escape_controls(&p.message, false)
            )
        })
        .collect();
    if problems.len() > MAX_PROBLEMS_SHOWN {
        lines.push(format!(
            "{source}: {} more problems",
            problems.len() - MAX_PROBLEMS_SHOWN
        ));
    }
    lines.join("\nedgelint: ")
}

/// What the user should look at: an external FQDN that is the pool's own for want of a
/// `ConfiguredFqdn` (the YAML says so too).
fn warnings(plan: &EdgePlan) -> Vec<Problem> {
    let mut out = Vec::new();
    for pool in &plan.edge_pools {
        let services = [
            (&pool.access_edge, "Access Edge"),
            (&pool.web_conferencing_edge, "Web Conferencing Edge"),
            (&pool.av_edge, "A/V Edge"),
        ];
        for (e, what) in services {
            let why = match e.source {
                FqdnSource::Configured => continue,
                FqdnSource::PoolFqdn => "no External port of it has a ConfiguredFqdn",
                FqdnSource::NoExternalPort => "the XML has no External port of it",
            };
            out.push(Problem {
                message: format!(
                    "warning: the {what} of pool {} is written as the pool's FQDN, {}: {why}; \
                     check it",
                    pool.name, e.fqdn.value
                ),
                span: e.fqdn.span.clone(),
                line: e.fqdn.line,
                column: e.fqdn.column,
            });
        }
    }
    out
}

/// The written text must be a topology file the loader accepts without a T001.
fn self_check(text: &str, out: Option<&Path>) -> Result<(), String> {
    let path = out.unwrap_or(Path::new("imported.yaml"));
    let file = crate::load::topology_from_text(path, Arc::from("imported.yaml"), text, true)
        .ok_or("the topology written from this XML would not be a topology file")?;
    let invalid: Vec<String> = file
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Invalid)
        .map(|p| {
            let (line, column) = file.lines.line_col(&file.text, p.span.start);
            format!("imported.yaml:{line}:{column}: {}", p.message)
        })
        .collect();
    if invalid.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the topology written from this XML would not be valid, so nothing was written:\n{}",
        invalid.join("\n")
    ))
}

/// Write OUT.yaml; without `force`, only when it does not exist yet (checked by the creation
/// itself, so nothing is overwritten in between).
fn write_file(out: &Path, text: &str, force: bool) -> Result<(), String> {
    let shown = escape_controls(&out.to_string_lossy(), false);
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(out).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{shown} exists; --force overwrites it")
        } else {
            format!("cannot write {shown}: {e}")
        }
    })?;
    file.write_all(text.as_bytes())
        .and_then(|_| file.flush())
        .map_err(|e| format!("cannot write {shown}: {e}"))
}
