//! Editor and shell integration: `edgelint schema` (the topology format's JSON Schema, from
//! `model::schema`), `edgelint completions SHELL` and `edgelint man`.

use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use super::{write_stdout, EXIT_CLEAN, EXIT_FAILURE};
use crate::cli::Cli;

/// `edgelint schema [--output FILE]`.
pub fn schema(output: Option<&Path>) -> ExitCode {
    let text = crate::model::schema::json_schema_text();
    let written = match output {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => write_stdout(&text).map_err(|e| format!("cannot write output: {e}")),
    };
    finish(written)
}

/// The completion script of `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> String {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "edgelint", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// `edgelint completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    finish(write_stdout(&completion_script(shell)).map_err(|e| format!("cannot write output: {e}")))
}

/// What the man page says beyond clap's sections (roff).
const MAN_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
No finding at or above the failing severity (\fB\-\-fail\-on\fR, default error).
.TP
\fB1\fR
At least one finding at or above it.
.TP
\fB2\fR
The run itself failed: a bad command line, a path given on the command line that does not exist, an invalid configuration file or rule pack. An unreadable or malformed input file is a finding, not exit 2.
.SH ENVIRONMENT
.TP
\fBEDGELINT_PFX_PASSWORD\fR
The password of PKCS#12 files that no topology references. Referenced files are opened with the variable their entry names in \fBpassword_env\fR.
.TP
\fBNO_COLOR\fR
No colour in human output under \fB\-\-color auto\fR.
.SH FILES
.TP
\fB.edgelint.toml\fR
The configuration: the nearest one from the first checked path upwards (then from the working folder), or \fB\-\-config\fR \fIFILE\fR; \fB\-\-isolated\fR reads none.
.TP
\fB*.yaml\fR, \fB*.yml\fR
Topology files: YAML whose top-level mapping has \fBedge_pools\fR. \fBedgelint schema\fR prints their JSON Schema for editors.
.SH "SEE ALSO"
\fBedgelint rules\fR lists every rule; \fBedgelint explain\fR \fICODE\fR prints one rule's documentation.
"#;

/// The man pages: `edgelint.1` first (clap's sections, then exit status, environment and
/// files), then one per subcommand, `edgelint-check.1` and so on. Each is (file name, roff).
pub fn man_pages() -> Vec<(String, String)> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = vec![render_man(cmd.clone(), MAN_SECTIONS)];
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(render_man(sub.clone(), ""));
    }
    pages
}

fn render_man(cmd: clap::Command, extra: &str) -> (String, String) {
    let title = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_ascii_uppercase();
    let man = clap_mangen::Man::new(cmd)
        .title(title)
        .source(concat!("edgelint ", env!("CARGO_PKG_VERSION")))
        .manual("User Commands");
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = man.render(&mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(extra);
    (man.get_filename(), text)
}

/// `edgelint man [--output-dir DIR]`.
pub fn man(output_dir: Option<&Path>) -> ExitCode {
    let pages = man_pages();
    let Some(dir) = output_dir else {
        return finish(write_stdout(&pages[0].1).map_err(|e| format!("cannot write output: {e}")));
    };
    let written = pages.iter().try_for_each(|(name, text)| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    });
    finish(written)
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("edgelint: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
