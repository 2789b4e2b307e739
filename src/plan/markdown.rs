//! `--format markdown`: the plan as tables to paste into a change request (GitHub Flavored
//! Markdown; lists within a cell are separated by `<br>`).

use super::{day, short_sha, Assignment, CertificatePlan, Need, TopologyPlan};
use crate::source::escape_controls;

pub fn render(plan: &CertificatePlan) -> String {
    let mut out = String::from("# Edge certificate plan\n\n");
    let s = plan.summary();
    out.push_str(&format!(
        "{} certificates needed: {} ok, {} defective, {} missing (evaluated at {}).\n",
        s.needed,
        s.ok,
        s.defective,
        s.missing,
        day(plan.now)
    ));
    for t in &plan.topologies {
        out.push_str(&topology(t));
    }
    if !plan.unplanned.is_empty() {
        out.push_str("\n## Not planned\n\nThese topology files have errors; `edgelint check` shows them.\n\n");
        for file in &plan.unplanned {
            out.push_str(&format!("- {}\n", text(file)));
        }
    }
    out
}

fn topology(t: &TopologyPlan) -> String {
    let mut out = match &t.deployment {
        Some(d) => format!("\n## {} ({})\n", text(d), text(&t.topology)),
        None => format!("\n## {}\n", text(&t.topology)),
    };
    for (pool, needs) in t.groups() {
        match pool {
            Some(p) => out.push_str(&format!(
                "\n### Pool {}\n\nServers: {}. The same certificate and key on each.\n\n",
                text(p),
                text(&needs[0].servers.join(", "))
            )),
            None => out.push_str(
                "\n### Reverse proxy\n\nRequested on the reverse proxy itself, not on a Lync server.\n\n",
            ),
        }
        out.push_str("| Role | Subject | SAN | Key | Uses | In the repository | Status |\n");
        out.push_str("|---|---|---|---|---|---|---|\n");
        for n in needs {
            out.push_str(&row(n));
        }
    }
    out
}

fn row(n: &Need) -> String {
    let r = &n.request;
    let san = if r.san.is_empty() {
        "none needed".to_string()
    } else {
        lines(r.san.iter().map(|s| text(s)))
    };
    let mut key = format!("RSA {}", r.key_size);
    key.push_str(if r.exportable {
        ", exportable"
    } else {
        ", not exportable"
    });
    if r.client_eku {
        key.push_str(", client EKU");
    }
    let uses = if r.uses.is_empty() {
        "none".to_string()
    } else {
        lines(r.uses.iter().map(|u| format!("`{u}`")))
    };
    let codes = n.codes();
    let status = if codes.is_empty() {
        format!("**{}**", n.status().as_str())
    } else {
        format!("**{}**: {}", n.status().as_str(), codes.join(", "))
    };
    format!(
        "| `{}` | {} | {} | {} | {} | {} | {} |\n",
        n.role(),
        text(&r.subject),
        san,
        key,
        uses,
        repository(n),
        status
    )
}

fn repository(n: &Need) -> String {
    let mut out = Vec::new();
    let everywhere = n.current.servers.len() == n.servers.len();
    let label = if everywhere {
        "current".to_string()
    } else {
        format!("on {}", text(&n.current.servers.join(", ")))
    };
    out.push(assignment(&label, &n.current));
    for d in &n.differs {
        out.push(assignment(
            &format!("on {}", text(&d.servers.join(", "))),
            d,
        ));
    }
    for s in &n.staged {
        out.push(assignment("staged", s));
    }
    lines(out)
}

fn assignment(label: &str, a: &Assignment) -> String {
    let Some(file) = &a.file else {
        return format!("{label}: nothing");
    };
    let mut facts = Vec::new();
    if let Some(at) = a.effective_date {
        facts.push(format!("effective {}", day(at)));
    }
    if let Some(at) = a.not_after {
        facts.push(format!("expires {}", day(at)));
    }
    if let Some(sha) = &a.sha256 {
        facts.push(format!("SHA-256 `{}`", short_sha(sha)));
    }
    if !a.lacking.is_empty() {
        facts.push(format!("lacks {}", a.lacking.join(", ")));
    }
    if !a.codes.is_empty() {
        facts.push(a.codes.join(", "));
    }
    let mut out = format!("{label}: {}", text(file));
    if !facts.is_empty() {
        out.push_str(&format!(" ({})", facts.join(", ")));
    }
    out
}

fn lines(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join("<br>")
}

/// Text from the topology in a table cell: control characters written as escapes, and the
/// characters Markdown would read as markup, HTML or a cell border escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_controls(s, false).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
