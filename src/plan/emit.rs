//! `--emit DIR`: the files that produce each needed certificate that is missing or defective
//! (every one with `--all`), named `<deployment>-<pool>-<role>.*`: a PowerShell script for the
//! Lync roles (request on one server, then import and assign on every server of the pool,
//! staged with `-Roll` where the certificate can be), an OpenSSL request configuration and a
//! `certreq` INF. The commands come from `fix::CertificateRequest`; this module only lays them
//! out. Nothing here touches the file system: the command writes what it returns.

use std::collections::BTreeSet;

use super::{day, CertificatePlan, Need, Status, TopologyPlan};
use crate::fix::Role;
use crate::rules::rolls::duration;

/// A file to write into the `--emit` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmittedFile {
    /// A bare file name (no folder).
    pub name: String,
    pub text: String,
}

/// Every file to emit, or an error when two certificates would share a name.
pub fn files(plan: &CertificatePlan, all: bool) -> Result<Vec<EmittedFile>, String> {
    let mut out = Vec::new();
    let mut stems = BTreeSet::new();
    for t in &plan.topologies {
        for need in t.needs.iter().filter(|n| all || n.status() != Status::Ok) {
            let stem = &need.request.file_stem;
            if !stems.insert(stem.clone()) {
                return Err(format!(
                    "two needed certificates would both be written as {stem}.*: give each topology its own `deployment`"
                ));
            }
            out.extend(need_files(t, need));
        }
    }
    Ok(out)
}

fn need_files(t: &TopologyPlan, need: &Need) -> Vec<EmittedFile> {
    let stem = &need.request.file_stem;
    let mut out = Vec::new();
    if need.request.on_lync_server() {
        out.push(EmittedFile {
            name: format!("{stem}.ps1"),
            text: powershell_script(t, need),
        });
    }
    out.push(EmittedFile {
        name: format!("{stem}.cnf"),
        text: need.request.openssl_config(),
    });
    let inf_header = format!(
        "; {}\n; certreq -new {stem}.inf {stem}.csr\n",
        comment(&need.request.describe())
    );
    out.push(EmittedFile {
        name: format!("{stem}.inf"),
        text: inf_header + &need.request.certreq_inf(),
    });
    out
}

/// What the certificate is and why it is emitted, as `#` comment lines.
fn why(t: &TopologyPlan, need: &Need) -> Vec<String> {
    let what = match &need.pool {
        Some(p) => format!("the {} certificate of pool {p}", need.role()),
        None => "the reverse proxy certificate".to_string(),
    };
    let place = match &t.deployment {
        Some(d) => format!("{d}, {}", t.topology),
        None => t.topology.clone(),
    };
    let mut out = vec![
        format!("Written by `edgelint plan --emit`: {what} ({place})."),
        format!("Status: {}.", need.status().as_str()),
    ];
    for a in need.assignments().filter(|a| a.status != Status::Ok) {
        let (Some(file), false) = (&a.file, a.codes.is_empty() && a.lacking.is_empty()) else {
            continue;
        };
        let mut reasons = a.codes.clone();
        if !a.lacking.is_empty() {
            reasons.push(format!("lacks {}", a.lacking.join(", ")));
        }
        out.push(format!(
            "  {file} on {}: {}",
            a.servers.join(", "),
            reasons.join(", ")
        ));
    }
    out.push(format!("{}.", need.request.describe()));
    out
}

fn powershell_script(t: &TopologyPlan, need: &Need) -> String {
    let r = &need.request;
    let stem = &r.file_stem;
    let servers = distinct(&need.servers);
    let mut lines: Vec<String> = why(t, need);
    lines.extend([
        String::new(),
        "1. On one server of the pool:".into(),
        format!("     .\\{stem}.ps1 -Step Request"),
        format!("   writes {stem}.req; send it to the CA. Import the issued certificate on that"),
        "   server (Import-CsCertificate -Path <the issued .cer>), then export it with its".into(),
        format!("   private key as {stem}.pfx."),
        format!(
            "2. On every server of the pool ({}), the same certificate and key:",
            servers.join(", ")
        ),
        format!(
            "     .\\{stem}.ps1 -Step Install -Thumbprint <its thumbprint> -PfxPassword <password>"
        ),
    ]);
    if r.role == Role::Internal {
        lines.push(
            "From the organisation's internal CA, an online request: replace -Output with \
             -CA <CA FQDN>\\<CA name>."
                .into(),
        );
    }
    let mut text: String = lines.iter().map(|l| comment_line(l)).collect();
    text.push_str(&format!(
        "param(\n    [Parameter(Mandatory = $true)][ValidateSet('Request', 'Install')][string]$Step,\n    [string]$Thumbprint,\n    [string]$PfxPath = {},\n    [string]$PfxPassword = '',\n    [string]$Server = [System.Net.Dns]::GetHostEntry($env:COMPUTERNAME).HostName\n)\n$ErrorActionPreference = 'Stop'\n\n",
        ps_string(&format!("{stem}.pfx"))
    ));
    text.push_str(&format!(
        "if ($Step -eq 'Request') {{\n    {}\n    return\n}}\n\n",
        r.powershell().unwrap_or_default()
    ));
    text.push_str(&install_step(need, &servers));
    text
}

/// The install step: on the server it runs on, import the certificate and assign it (staged
/// with `-Roll` when the plan has a roll date).
fn install_step(need: &Need, servers: &[String]) -> String {
    let r = &need.request;
    let mut text = String::from(
        "if (-not $Thumbprint) { throw 'Give -Thumbprint: the thumbprint of the issued certificate.' }\n",
    );
    if let (Some(at), Some(expires)) = (need.roll_at, need.current.not_after) {
        let lead = expires - at;
        text.push_str(&comment_line(&format!(
            "Staged with -Roll: it takes over at {}, {} before the current certificate ({}) expires on {}, so that every token it issued is renewed first. Use the same date on every server of the pool.",
            day(at),
            duration(lead),
            need.current.file.as_deref().unwrap_or("?"),
            day(expires)
        )));
    }
    let import = r
        .import_command("$PfxPath", "$PfxPassword")
        .unwrap_or_default();
    let assign = r
        .assign_command("$Thumbprint", need.roll_at)
        .unwrap_or_default();
    text.push_str("switch ($Server) {\n");
    for s in servers {
        text.push_str(&format!(
            "    {} {{\n        {import}\n        {assign}\n    }}\n",
            ps_string(s)
        ));
    }
    let pool = need.pool.as_deref().unwrap_or("");
    text.push_str(&format!(
        "    default {{ throw (\"$Server is not a server of pool \" + {} + \"; give -Server with its name in the topology: \" + {}) }}\n}}\n",
        ps_string(pool),
        ps_string(&servers.join(", "))
    ));
    text
}

/// The servers, each once (T007 reports a repeated one; a `switch` would run it twice).
fn distinct(servers: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in servers {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.clone());
        }
    }
    out
}

/// A single-quoted PowerShell string (no expansion; `'` doubled).
fn ps_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A `#` comment line (empty text: a bare `#`).
fn comment_line(s: &str) -> String {
    if s.is_empty() {
        "#\n".to_string()
    } else {
        format!("# {}\n", comment(s))
    }
}

/// Text for a one-line comment: a control character (a line break would end the comment)
/// becomes `?`.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
