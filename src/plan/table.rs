//! `--format human`: one table per pool, for a terminal. Names are never cut, so that they
//! can be copied; a cell holds one name per line instead.

use super::{day, short_sha, Assignment, CertificatePlan, Need, Status, TopologyPlan};
use crate::source::escape_controls;

pub fn render(plan: &CertificatePlan) -> String {
    let mut out = String::new();
    for t in &plan.topologies {
        out.push_str(&topology(t));
    }
    for file in &plan.unplanned {
        out.push_str(&format!(
            "{}: not planned, the topology file has errors (`edgelint check` shows them)\n\n",
            safe(file)
        ));
    }
    if plan.topologies.is_empty() && plan.unplanned.is_empty() {
        out.push_str("No topology file was found.\n");
        return out;
    }
    let s = plan.summary();
    out.push_str(&format!(
        "{} certificate{} needed: {} ok, {} defective, {} missing.\n",
        s.needed,
        if s.needed == 1 { "" } else { "s" },
        s.ok,
        s.defective,
        s.missing
    ));
    if s.defective + s.missing > 0 {
        out.push_str(
            "`edgelint plan --emit DIR` writes the requests for the missing and defective ones; \
             `edgelint check` explains each code.\n",
        );
    }
    out
}

fn topology(t: &TopologyPlan) -> String {
    let mut out = match &t.deployment {
        Some(d) => format!("{} (deployment {})\n", safe(&t.topology), safe(d)),
        None => format!("{}\n", safe(&t.topology)),
    };
    for (pool, needs) in t.groups() {
        out.push('\n');
        out.push_str(&heading(pool, needs[0]));
        let rows: Vec<Vec<Vec<String>>> = needs.iter().map(|n| row(n)).collect();
        out.push_str(&grid(
            &["ROLE", "NAMES", "REQUEST", "IN THE REPOSITORY", "STATUS"],
            &rows,
        ));
    }
    out.push('\n');
    out
}

fn heading(pool: Option<&str>, need: &Need) -> String {
    match pool {
        Some(p) => format!(
            "Pool {}: {} server{}, the same certificate and key on each: {}\n",
            safe(p),
            need.servers.len(),
            if need.servers.len() == 1 { "" } else { "s" },
            safe(&need.servers.join(", "))
        ),
        None => "Reverse proxy (requested on the reverse proxy itself, not on a Lync server)\n"
            .to_string(),
    }
}

fn row(n: &Need) -> Vec<Vec<String>> {
    vec![
        vec![n.role().to_string()],
        names(n),
        request(n),
        repository(n),
        status(n),
    ]
}

fn names(n: &Need) -> Vec<String> {
    let r = &n.request;
    let mut out = vec![format!("CN  {}", safe(&r.subject))];
    if r.san.is_empty() {
        out.push("SAN none needed".into());
    }
    for (i, name) in r.san.iter().enumerate() {
        let label = if i == 0 { "SAN" } else { "   " };
        out.push(format!("{label} {}", safe(name)));
    }
    out
}

fn request(n: &Need) -> Vec<String> {
    let r = &n.request;
    let mut out = vec![format!(
        "RSA {}, {}",
        r.key_size,
        if r.exportable {
            "exportable"
        } else {
            "not exportable"
        }
    )];
    if r.client_eku {
        out.push("client EKU (public IM)".into());
    }
    out.extend(r.uses.iter().map(|u| u.to_string()));
    out
}

fn repository(n: &Need) -> Vec<String> {
    let everywhere = n.current.servers.len() == n.servers.len();
    let mut out = if everywhere {
        assignment("current:", &n.current)
    } else {
        assignment(
            &format!("on {}:", safe(&n.current.servers.join(", "))),
            &n.current,
        )
    };
    for d in &n.differs {
        out.extend(assignment(
            &format!("on {}:", safe(&d.servers.join(", "))),
            d,
        ));
    }
    for s in &n.staged {
        out.extend(assignment("staged:", s));
    }
    out
}

/// A label and the file, then its fingerprint, dates and failing codes.
fn assignment(label: &str, a: &Assignment) -> Vec<String> {
    let Some(file) = &a.file else {
        return vec![format!("{label} nothing")];
    };
    if a.status == Status::Missing {
        return vec![format!("{label} {} (not there yet)", safe(file))];
    }
    let mut out = vec![format!("{label} {}", safe(file))];
    let mut facts = Vec::new();
    if let Some(at) = a.effective_date {
        facts.push(format!("effective {}", day(at)));
    }
    if let Some(sha) = &a.sha256 {
        facts.push(format!("SHA-256 {}", short_sha(sha)));
    }
    if let Some(at) = a.not_after {
        facts.push(format!("expires {}", day(at)));
    }
    if !facts.is_empty() {
        out.push(format!("  {}", facts.join(", ")));
    }
    if !a.lacking.is_empty() {
        out.push(format!("  lacks {}", a.lacking.join(", ")));
    }
    if a.status == Status::Defective && !a.codes.is_empty() {
        out.push(format!("  {}", a.codes.join(", ")));
    }
    out
}

fn status(n: &Need) -> Vec<String> {
    let mut out = vec![n.status().as_str().to_string()];
    let codes = n.codes();
    if !codes.is_empty() && n.status() != Status::Missing {
        out.push(codes.join(", "));
    }
    out
}

/// Columns of multi-line cells, each padded to its widest line, two spaces apart, under a
/// header and a rule; a blank line between rows.
fn grid(header: &[&str], rows: &[Vec<Vec<String>>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            for line in cell {
                widths[i] = widths[i].max(line.chars().count());
            }
        }
    }
    let line = |cells: &[&str]| -> String {
        let mut text = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            text.push(' ');
            text.push_str(c);
            if i + 1 < cells.len() {
                let pad = widths[i] - c.chars().count() + 1;
                text.push_str(&" ".repeat(pad));
            }
        }
        text.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&rules.iter().map(String::as_str).collect::<Vec<_>>()));
    for (r, row) in rows.iter().enumerate() {
        let height = row.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            let cells: Vec<&str> = row
                .iter()
                .map(|c| c.get(i).map_or("", String::as_str))
                .collect();
            out.push_str(&line(&cells));
        }
        if r + 1 < rows.len() {
            out.push('\n');
        }
    }
    out
}

/// Text from the topology or a certificate, safe for a terminal.
fn safe(s: &str) -> String {
    escape_controls(s, false)
}
