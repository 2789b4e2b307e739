//! `--format json`, as docs/output.md defines it (fields may be added, never removed while
//! `version` is 1).

use serde_json::{json, Value};

use super::{Assignment, CertificatePlan, Need, TopologyPlan};
use crate::fix::rfc3339;

pub fn render(plan: &CertificatePlan) -> String {
    let s = plan.summary();
    let doc = json!({
        "version": 1,
        "plan": plan.topologies.iter().map(topology).collect::<Vec<_>>(),
        "unplanned": plan.unplanned,
        "summary": {
            "needed": s.needed,
            "ok": s.ok,
            "defective": s.defective,
            "missing": s.missing,
        },
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn topology(t: &TopologyPlan) -> Value {
    json!({
        "topology": t.topology,
        "deployment": t.deployment,
        "certificates": t.needs.iter().map(need).collect::<Vec<_>>(),
    })
}

fn need(n: &Need) -> Value {
    let r = &n.request;
    json!({
        "pool": n.pool,
        "role": n.role(),
        "subject": r.subject,
        "san": r.san,
        "key_size": r.key_size,
        "exportable": r.exportable,
        "client_eku": r.client_eku,
        "uses": r.uses,
        "servers": n.servers,
        "status": n.status().as_str(),
        "codes": n.codes(),
        "current": assignment(&n.current),
        "differs": n.differs.iter().map(assignment).collect::<Vec<_>>(),
        "staged": n.staged.iter().map(assignment).collect::<Vec<_>>(),
        "request": {
            "file_stem": r.file_stem,
            "friendly_name": r.friendly_name,
            "commands": r.commands(),
            "openssl_config": r.openssl_config(),
        },
        "roll_effective_date": n.roll_at.map(rfc3339),
    })
}

/// An assignment; "nothing assigned" has only `status` (`missing`), `codes` and `servers`.
fn assignment(a: &Assignment) -> Value {
    let mut v = json!({
        "status": a.status.as_str(),
        "codes": a.codes,
        "servers": a.servers,
    });
    let Some(file) = &a.file else {
        return v;
    };
    v["file"] = json!(file);
    v["sha256"] = json!(a.sha256);
    v["not_after"] = json!(a.not_after.map(rfc3339));
    v["not_before"] = json!(a.not_before.map(rfc3339));
    v["lacking"] = json!(a.lacking);
    if let Some(at) = a.effective_date {
        v["effective_date"] = json!(rfc3339(at));
    }
    v["findings"] = a
        .findings
        .iter()
        .map(|f| json!({"code": f.code, "severity": f.severity, "message": f.message}))
        .collect();
    v
}
