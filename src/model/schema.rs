//! The topology format (version 1, `docs/topology.md`) as data: every mapping with its
//! keys, each key's kind, whether it is required, and a description.
//!
//! This is the one description of the format's shape. The decoder (`load::topology`) takes
//! from it the keys each mapping knows (unknown-key errors, "did you mean"), the words its
//! messages use for each mapping, and the allowed values ([`Product::NAMES`], [`Use::NAMES`],
//! [`LoadBalancing::NAMES`]); `edgelint schema` turns it into a JSON Schema
//! ([`json_schema`], committed as `schemas/topology-v1.json`) for editors. `tests/schema.rs`
//! checks that both accept the same documents.

use serde_json::{json, Map, Value};

use super::topology::{LoadBalancing, Product, Use};

/// What a key's value may be.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// The format version: the integer 1.
    Version,
    /// A string. A plain number is read as its text, as the decoder does; `null`, `true` and
    /// `false` are not strings.
    Text,
    /// `true` or `false`.
    Bool,
    /// One of these names.
    Choice(&'static [&'static str]),
    /// `<n>m`, `<n>h` or `<n>d` ([`DURATION_PATTERN`]).
    Duration,
    /// An RFC 3339 timestamp ([`TIMESTAMP_PATTERN`]).
    Timestamp,
    /// A path relative to the topology file's folder: a string that is not blank.
    Path,
    /// A string or a list of strings (`non_empty`: the list has at least one).
    TextList { non_empty: bool },
    /// A path or a list of paths.
    PathList,
    /// One of these names, or a list of at least one of them.
    ChoiceList(&'static [&'static str]),
    /// A mapping.
    Map(&'static Mapping),
    /// A list of mappings.
    MapList {
        item: &'static Mapping,
        non_empty: bool,
    },
    /// A list of at least one item, each a bare string or a mapping (`servers`).
    TextOrMapList(&'static Mapping),
}

/// A value the decoder assumes when the key is absent (documentation and editor hints only).
#[derive(Debug, Clone, Copy)]
pub enum DefaultValue {
    Str(&'static str),
    Bool(bool),
}

/// One key of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub default: Option<DefaultValue>,
    pub description: &'static str,
}

/// A mapping of the format.
#[derive(Debug)]
pub struct Mapping {
    /// Its name among the JSON Schema's `definitions`.
    pub id: &'static str,
    /// How messages name it: "unknown key `x` in {what}".
    pub what: &'static str,
    pub description: &'static str,
    /// Its keys, in the order messages list them.
    pub fields: &'static [Field],
    /// At least one of these keys must be present (empty: no such condition).
    pub requires_one_of: &'static [&'static str],
}

impl Mapping {
    /// The keys the mapping knows, in table order.
    pub fn keys(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.key).collect()
    }

    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Every mapping reachable from this one (itself first), each once, in table order.
    pub fn all(&'static self) -> Vec<&'static Mapping> {
        let mut out: Vec<&'static Mapping> = Vec::new();
        let mut todo = vec![self];
        while let Some(m) = todo.pop() {
            if out.iter().any(|o| std::ptr::eq(*o, m)) {
                continue;
            }
            out.push(m);
            for f in m.fields.iter().rev() {
                match f.kind {
                    Kind::Map(i) | Kind::MapList { item: i, .. } | Kind::TextOrMapList(i) => {
                        todo.push(i)
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

const fn field(key: &'static str, kind: Kind, description: &'static str) -> Field {
    Field {
        key,
        kind,
        required: false,
        default: None,
        description,
    }
}

const fn required(key: &'static str, kind: Kind, description: &'static str) -> Field {
    Field {
        required: true,
        ..field(key, kind, description)
    }
}

const fn with_default(
    key: &'static str,
    kind: Kind,
    default: DefaultValue,
    description: &'static str,
) -> Field {
    Field {
        default: Some(default),
        ..field(key, kind, description)
    }
}

/// `token_lifetime`: what `load::topology::parse_duration` accepts (a positive integer and a
/// unit; surrounding white space is trimmed, a leading `+` is allowed).
pub const DURATION_PATTERN: &str = r"^\s*\+?[0-9]*[1-9][0-9]*[mhd]\s*$";

/// `effective_date`: RFC 3339 `date-time` with `T`, `t` or a space between date and time (the
/// decoder takes any one-byte separator), an optional fraction, and `Z`/`z` or an offset.
pub const TIMESTAMP_PATTERN: &str = concat!(
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]",
    r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?",
    r"([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
);

/// A path must hold something other than white space.
pub const PATH_PATTERN: &str = r"\S";

/// The top-level mapping of a topology file.
pub static TOPOLOGY: Mapping = Mapping {
    id: "topology",
    what: "the topology file",
    description: "An edgelint topology file (format version 1): one Lync Server 2013 / Skype for \
                  Business Server deployment's Edge side, its SIP domains, Edge pools and \
                  servers, external names, and which certificate file is assigned to which \
                  certificate use on which server.",
    fields: &[
        required("version", Kind::Version, "The format version: 1."),
        field(
            "deployment",
            Kind::Text,
            "A label for the deployment, used in messages.",
        ),
        with_default(
            "product",
            Kind::Choice(&Product::NAMES),
            DefaultValue::Str("lync2013"),
            "The server product: lync2013 (Lync Server 2013, the default), sfb2015, sfb2019 \
             (Skype for Business Server 2015, 2019) or sfbse (Subscription Edition).",
        ),
        field(
            "topology_xml",
            Kind::Path,
            "A topology XML (Topology Builder .tbxml, or Get-CsTopology -AsXml) the SIP \
             domains, Edge pools, servers and external FQDNs are taken from; this file then \
             adds what the XML lacks, per pool by internal_fqdn.",
        ),
        required(
            "sip_domains",
            Kind::TextList { non_empty: true },
            "The SIP domains, at least one; the first is the default SIP domain. Taken from \
             topology_xml when that is given.",
        ),
        field(
            "public_im",
            Kind::TextList { non_empty: false },
            "Legacy public IM providers configured, e.g. [aol].",
        ),
        field(
            "xmpp",
            Kind::Map(&XMPP),
            "The XMPP proxy/gateway, when it is deployed.",
        ),
        required(
            "edge_pools",
            Kind::MapList {
                item: &POOL,
                non_empty: true,
            },
            "The Edge pools, at least one.",
        ),
        field(
            "reverse_proxy",
            Kind::Map(&REVERSE_PROXY),
            "The reverse proxy publishing the web services.",
        ),
        field(
            "trust",
            Kind::Map(&TRUST),
            "Certificate authorities beyond the bundled Mozilla root store.",
        ),
    ],
    requires_one_of: &[],
};

pub static XMPP: Mapping = Mapping {
    id: "xmpp",
    what: "`xmpp`",
    description: "The XMPP proxy/gateway.",
    fields: &[
        required(
            "domains",
            Kind::TextList { non_empty: false },
            "The XMPP-federated domains; each must appear as a SAN of the external certificate.",
        ),
        field(
            "srv_target",
            Kind::Text,
            "The target of the _xmpp-server._tcp SRV record.",
        ),
    ],
    requires_one_of: &[],
};

/// The keys of an Edge pool. With `topology_xml` a pool adds to the XML's pool of the same
/// `internal_fqdn` ([`POOL_OVERLAY`]): the keys are the same, only `internal_fqdn` is required.
const POOL_FIELDS: [Field; 9] = [
    required(
        "name",
        Kind::Text,
        "A label for the pool, unique in the file.",
    ),
    required(
        "internal_fqdn",
        Kind::Text,
        "The Edge pool's FQDN in Topology Builder.",
    ),
    with_default(
        "load_balancing",
        Kind::Choice(&LoadBalancing::NAMES),
        DefaultValue::Str("dns"),
        "How the pool is load balanced: dns (the default) or hardware.",
    ),
    field(
        "nat",
        Kind::Bool,
        "Whether the external A/V IP address is translated by NAT.",
    ),
    field(
        "federation",
        Kind::Bool,
        "Whether federation is enabled on this pool (port 5061).",
    ),
    with_default(
        "token_lifetime",
        Kind::Duration,
        DefaultValue::Str("8h"),
        "The A/V MaxTokenLifetime: <n>m, <n>h or <n>d, e.g. 90m, 8h, 2d (default 8h).",
    ),
    required(
        "external",
        Kind::Map(&EXTERNAL),
        "The external FQDNs (equal values: the single-FQDN layout).",
    ),
    required(
        "servers",
        Kind::TextOrMapList(&SERVER),
        "The Edge Servers, at least one: a bare FQDN, or a mapping with the server's own \
         certificate assignments.",
    ),
    field(
        "certificates",
        Kind::MapList {
            item: &CERTIFICATE,
            non_empty: false,
        },
        "Certificate assignments made on every server of the pool.",
    ),
];

/// Where `name`, `external` and `servers` are in [`POOL_FIELDS`].
const POOL_NAME: usize = 0;
const POOL_EXTERNAL: usize = 6;
const POOL_SERVERS: usize = 7;

pub static POOL: Mapping = Mapping {
    id: "edge_pool",
    what: "an Edge pool",
    description: "An Edge pool.",
    fields: &POOL_FIELDS,
    requires_one_of: &[],
};

/// A pool of a topology file that names its XML (`topology_xml`): what the YAML adds to the
/// XML's pool with the same `internal_fqdn`.
pub static POOL_OVERLAY: Mapping = Mapping {
    id: "edge_pool_overlay",
    what: "an Edge pool",
    description: "What this file adds to the topology XML's Edge pool with the same \
                  internal_fqdn: certificates, load balancing, NAT, ... Values the XML holds \
                  (name, external FQDNs, servers) may be left out; written, they must equal \
                  the XML's.",
    fields: &overlay_fields(),
    requires_one_of: &[],
};

/// [`POOL_FIELDS`] with only `internal_fqdn` required.
const fn overlay_fields() -> [Field; 9] {
    let mut f = POOL_FIELDS;
    f[POOL_NAME].required = false;
    f[POOL_SERVERS].required = false;
    f[POOL_EXTERNAL].required = false;
    f[POOL_EXTERNAL].kind = Kind::Map(&EXTERNAL_OVERLAY);
    f
}

const EXTERNAL_FIELDS: [Field; 3] = [
    required(
        "access_edge",
        Kind::Text,
        "The Access Edge FQDN, e.g. sip.contoso.com.",
    ),
    required(
        "web_conferencing_edge",
        Kind::Text,
        "The Web Conferencing Edge FQDN, e.g. webcon.contoso.com.",
    ),
    required(
        "av_edge",
        Kind::Text,
        "The A/V Edge FQDN, e.g. av.contoso.com.",
    ),
];

pub static EXTERNAL: Mapping = Mapping {
    id: "external",
    what: "`external`",
    description: "The pool's external FQDNs.",
    fields: &EXTERNAL_FIELDS,
    requires_one_of: &[],
};

/// `external` of a [`POOL_OVERLAY`]: each FQDN may be left to the XML.
pub static EXTERNAL_OVERLAY: Mapping = Mapping {
    id: "external_overlay",
    what: "`external`",
    description: "The pool's external FQDNs; each may be left to the topology XML, and written \
                  must equal it.",
    fields: &{
        let mut f = EXTERNAL_FIELDS;
        f[0].required = false;
        f[1].required = false;
        f[2].required = false;
        f
    },
    requires_one_of: &[],
};

pub static SERVER: Mapping = Mapping {
    id: "edge_server",
    what: "an Edge Server",
    description: "An Edge Server with certificate assignments of its own.",
    fields: &[
        required("fqdn", Kind::Text, "The server's FQDN."),
        field(
            "certificates",
            Kind::MapList {
                item: &CERTIFICATE,
                non_empty: false,
            },
            "Assignments for this server only: for each use, the server's entry wins over the \
             pool's.",
        ),
    ],
    requires_one_of: &[],
};

/// The keys of a certificate entry; `reverse_proxy.certificate` knows the first five.
const CERTIFICATE_FIELDS: [Field; 7] = [
    field(
        "file",
        Kind::Path,
        "An issued certificate (PEM, DER, or PKCS#12 .pfx/.p12), relative to the topology file's \
         folder.",
    ),
    field(
        "key",
        Kind::Path,
        "A separate private key file (PEM), relative to the topology file's folder.",
    ),
    field(
        "request",
        Kind::Path,
        "A PKCS#10 certificate request (PEM or DER) not yet issued; checked like a certificate.",
    ),
    field(
        "password_env",
        Kind::Text,
        "The environment variable holding the password of the PKCS#12 file or of the encrypted \
         key file (passwords never appear in the topology).",
    ),
    field(
        "exportable",
        Kind::Bool,
        "Whether the private key is exportable; a PKCS#12 file that holds the key counts as \
         exportable unless this says false.",
    ),
    required(
        "uses",
        Kind::ChoiceList(&Use::NAMES),
        "The certificate uses, as Set-CsCertificate -Type names.",
    ),
    field(
        "roll",
        Kind::Map(&ROLL),
        "Makes this entry the staged certificate of its uses (Set-CsCertificate -Roll \
         -EffectiveDate); the entry without roll is the current one.",
    ),
];

pub static CERTIFICATE: Mapping = Mapping {
    id: "certificate_entry",
    what: "a certificate entry",
    description: "A certificate assignment: an issued certificate (file) or a request (request), \
                  or both, and the uses it serves.",
    fields: &CERTIFICATE_FIELDS,
    requires_one_of: &["file", "request"],
};

pub static REVERSE_PROXY_CERTIFICATE: Mapping = Mapping {
    id: "reverse_proxy_certificate",
    what: "`reverse_proxy.certificate`",
    description: "The reverse proxy's certificate: an issued certificate (file) or a request \
                  (request), or both.",
    fields: CERTIFICATE_FIELDS.split_at(5).0,
    requires_one_of: &["file", "request"],
};

pub static ROLL: Mapping = Mapping {
    id: "roll",
    what: "`roll`",
    description: "A staged certificate (Set-CsCertificate -Roll).",
    fields: &[required(
        "effective_date",
        Kind::Timestamp,
        "When the staged certificate takes over: an RFC 3339 timestamp, e.g. \
         2027-03-01T06:00:00Z.",
    )],
    requires_one_of: &[],
};

pub static REVERSE_PROXY: Mapping = Mapping {
    id: "reverse_proxy",
    what: "`reverse_proxy`",
    description: "The reverse proxy publishing the web services.",
    fields: &[
        field(
            "external_web_services",
            Kind::TextList { non_empty: false },
            "The external web services FQDNs of the Front End pools.",
        ),
        field(
            "simple_urls",
            Kind::Map(&SIMPLE_URLS),
            "The simple URLs' host names.",
        ),
        with_default(
            "lyncdiscover",
            Kind::Bool,
            DefaultValue::Bool(false),
            "Whether Autodiscover is published on 443: lyncdiscover.<SIP domain> SANs.",
        ),
        field(
            "office_web_apps",
            Kind::Text,
            "The Office Web Apps Server FQDN.",
        ),
        field(
            "certificate",
            Kind::Map(&REVERSE_PROXY_CERTIFICATE),
            "The reverse proxy's certificate.",
        ),
    ],
    requires_one_of: &[],
};

pub static SIMPLE_URLS: Mapping = Mapping {
    id: "simple_urls",
    what: "`simple_urls`",
    description: "The simple URLs' host names.",
    fields: &[
        field(
            "meet",
            Kind::TextList { non_empty: false },
            "Meet simple URL host names, e.g. meet.contoso.com.",
        ),
        field(
            "dialin",
            Kind::TextList { non_empty: false },
            "Dial-in simple URL host names, e.g. dialin.contoso.com.",
        ),
        field(
            "admin",
            Kind::TextList { non_empty: false },
            "Admin simple URL host names.",
        ),
    ],
    requires_one_of: &[],
};

pub static TRUST: Mapping = Mapping {
    id: "trust",
    what: "`trust`",
    description: "Certificate authorities beyond the bundled Mozilla root store.",
    fields: &[
        field(
            "ca_bundle",
            Kind::PathList,
            "The organisation's own PKI: CA certificate files (PEM, DER or PKCS#7), relative to \
             the topology file's folder.",
        ),
        field(
            "public_roots",
            Kind::PathList,
            "Roots to treat as public besides the bundled store (PEM, DER or PKCS#7 files).",
        ),
    ],
    requires_one_of: &[],
};

/// Where the committed schema lives, relative to the repository root.
pub const SCHEMA_PATH: &str = "schemas/topology-v1.json";

/// The JSON Schema (draft-07, what yaml-language-server supports best) of a topology file.
pub fn json_schema() -> Value {
    let mut root = mapping_schema(&TOPOLOGY);
    with_topology_xml(&mut root);
    let mut definitions = Map::new();
    let all = TOPOLOGY.all().into_iter().skip(1);
    for m in all.chain(POOL_OVERLAY.all()) {
        definitions.insert(m.id.into(), Value::Object(mapping_schema(m)));
    }
    root.insert(
        "$schema".into(),
        "http://json-schema.org/draft-07/schema#".into(),
    );
    root.insert(
        "title".into(),
        "edgelint topology file, format version 1".into(),
    );
    root.insert("definitions".into(), Value::Object(definitions));
    Value::Object(root)
}

/// The schema as committed: pretty-printed, with a final line break.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// With `topology_xml` the SIP domains and pools come from the XML: `sip_domains` and
/// `edge_pools` may be left out, and each pool is a [`POOL_OVERLAY`]; without it they are
/// required, each pool a [`POOL`].
fn with_topology_xml(root: &mut Map<String, Value>) {
    root.insert("required".into(), json!(["version"]));
    if let Some(pools) = root
        .get_mut("properties")
        .and_then(|p| p.get_mut("edge_pools"))
        .and_then(Value::as_object_mut)
    {
        pools.remove("items");
    }
    let items = |m: &Mapping| json!({ "properties": { "edge_pools": { "type": "array", "items": reference(m) } } });
    let mut otherwise = items(&POOL);
    otherwise["required"] = json!(["sip_domains", "edge_pools"]);
    root.insert("if".into(), json!({ "required": ["topology_xml"] }));
    root.insert("then".into(), items(&POOL_OVERLAY));
    root.insert("else".into(), otherwise);
}

fn mapping_schema(m: &Mapping) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("type".into(), "object".into());
    s.insert("description".into(), m.description.into());
    let properties: Map<String, Value> = m
        .fields
        .iter()
        .map(|f| (f.key.to_string(), field_schema(f)))
        .collect();
    s.insert("properties".into(), Value::Object(properties));
    let required: Vec<&str> = m
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    if !required.is_empty() {
        s.insert("required".into(), json!(required));
    }
    if !m.requires_one_of.is_empty() {
        let any: Vec<Value> = m
            .requires_one_of
            .iter()
            .map(|k| json!({ "required": [k] }))
            .collect();
        s.insert("anyOf".into(), Value::Array(any));
    }
    s.insert("additionalProperties".into(), false.into());
    s
}

fn reference(m: &Mapping) -> Value {
    json!({ "$ref": format!("#/definitions/{}", m.id) })
}

fn text() -> Value {
    json!({ "type": ["string", "number"] })
}

fn path() -> Value {
    json!({ "type": ["string", "number"], "pattern": PATH_PATTERN })
}

fn list(item: Value, non_empty: bool) -> Value {
    let mut l = json!({ "type": "array", "items": item });
    if non_empty {
        l["minItems"] = 1.into();
    }
    l
}

fn kind_schema(kind: Kind) -> Value {
    match kind {
        Kind::Version => json!({ "type": "integer", "const": 1 }),
        Kind::Text => text(),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Choice(names) => json!({ "type": "string", "enum": names }),
        Kind::Duration => json!({ "type": "string", "pattern": DURATION_PATTERN }),
        Kind::Timestamp => json!({ "type": "string", "pattern": TIMESTAMP_PATTERN }),
        Kind::Path => path(),
        Kind::TextList { non_empty } => json!({ "oneOf": [text(), list(text(), non_empty)] }),
        Kind::PathList => json!({ "oneOf": [path(), list(path(), false)] }),
        Kind::ChoiceList(names) => {
            let one = json!({ "type": "string", "enum": names });
            json!({ "oneOf": [one.clone(), list(one, true)] })
        }
        Kind::Map(m) => reference(m),
        Kind::MapList { item, non_empty } => list(reference(item), non_empty),
        Kind::TextOrMapList(item) => {
            let mut bare = text();
            bare["description"] = "A bare FQDN.".into();
            list(json!({ "oneOf": [bare, reference(item)] }), true)
        }
    }
}

fn field_schema(f: &Field) -> Value {
    let mut s = kind_schema(f.kind);
    // Next to `$ref` (a mapping), `description` is an annotation that editors show on hover;
    // validation is the referenced definition's.
    s["description"] = f.description.into();
    match f.default {
        Some(DefaultValue::Str(v)) => s["default"] = v.into(),
        Some(DefaultValue::Bool(v)) => s["default"] = v.into(),
        None => {}
    }
    s
}

/// A `token_lifetime`: `<n>m`, `<n>h` or `<n>d` with a positive `n` (what
/// `DURATION_PATTERN` says for editors); `None` for anything else, including a
/// duration too long to represent.
pub fn parse_duration(s: &str) -> Option<time::Duration> {
    let s = s.trim();
    let unit = s.chars().next_back()?;
    let n: i64 = s[..s.len() - unit.len_utf8()]
        .parse()
        .ok()
        .filter(|n| *n > 0)?;
    let seconds: i64 = match unit {
        'm' => 60,
        'h' => 60 * 60,
        'd' => 24 * 60 * 60,
        _ => return None,
    };
    Some(time::Duration::seconds(n.checked_mul(seconds)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_overlay_has_the_keys_of_a_pool_and_requires_only_internal_fqdn() {
        assert_eq!(POOL_FIELDS[POOL_NAME].key, "name");
        assert_eq!(POOL_FIELDS[POOL_EXTERNAL].key, "external");
        assert_eq!(POOL_FIELDS[POOL_SERVERS].key, "servers");
        assert_eq!(POOL_OVERLAY.keys(), POOL.keys());
        let required: Vec<&str> = POOL_OVERLAY
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.key)
            .collect();
        assert_eq!(required, ["internal_fqdn"]);
        assert_eq!(EXTERNAL_OVERLAY.keys(), EXTERNAL.keys());
        assert!(EXTERNAL_OVERLAY.fields.iter().all(|f| !f.required));
    }

    #[test]
    fn every_mapping_has_a_unique_id_and_unique_keys() {
        let all = TOPOLOGY.all();
        assert_eq!(all.len(), 11);
        let mut ids: Vec<&str> = all.iter().map(|m| m.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        for m in all {
            let mut keys = m.keys();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), m.fields.len(), "{}", m.id);
            for k in m.requires_one_of {
                assert!(m.field(k).is_some(), "{}: {k}", m.id);
            }
        }
    }

    #[test]
    fn the_reverse_proxy_certificate_has_no_uses_and_no_roll() {
        assert_eq!(
            REVERSE_PROXY_CERTIFICATE.keys(),
            ["file", "key", "request", "password_env", "exportable"]
        );
    }

    #[test]
    fn defaults_are_allowed_values() {
        assert!(Product::parse("lync2013").is_some());
        assert!(parse_duration("8h").is_some());
        let lb = POOL.field("load_balancing").unwrap();
        let Some(DefaultValue::Str(d)) = lb.default else {
            panic!()
        };
        assert!(LoadBalancing::parse(d).is_some());
    }

    #[test]
    fn the_schema_names_every_key_and_value() {
        let s = json_schema_text();
        for m in TOPOLOGY.all() {
            for k in m.keys() {
                assert!(s.contains(&format!("\"{k}\"")), "{k}");
            }
        }
        for v in Use::NAMES
            .iter()
            .chain(&Product::NAMES)
            .chain(&LoadBalancing::NAMES)
        {
            assert!(s.contains(&format!("\"{v}\"")), "{v}");
        }
    }
}
