//! What nginx knows about each directive, as plain data.
//!
//! One [`DirectiveSpec`] per (name, module) pair, transcribed from the `ngx_command_t` tables in
//! nginx's source (context and arity bits keep nginx's own meaning, so an entry reads like the C
//! it came from) plus the documented default. A name may have several entries (`proxy_pass` in
//! http and in stream, `server` in http, upstream and stream...): [`lookup`] returns all of them
//! and the caller picks by context, as `ngx_conf_handler` does.
//!
//! Names, contexts, argument bits, `since` and `removed` of every nginx entry are checked
//! against the extraction of nginx's own command tables at every release tag
//! (`../shared/data/nginx-directives.tsv`, `nginx-directive-history.tsv`) by
//! `tests/nginx_tables.rs`; `since` is the first release (by version number) that has it.
//!
//! Third-party modules (lua-nginx-module, njs, headers-more, brotli, ...) live in a separate
//! table, [`third_party::DIRECTIVES`], so a finding can say "known, but from a third-party module".

mod core;
mod http;
mod stream_mail;
pub mod third_party;

use std::collections::HashMap;
use std::sync::OnceLock;

/// An nginx version, compared field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u16, pub u16, pub u16);

impl Version {
    /// "Always there" for the purpose of this table (older than any nginx still in use).
    pub const ANCIENT: Version = Version(0, 0, 0);

    pub fn parse(s: &str) -> Option<Version> {
        let mut it = s.trim().split('.');
        let major = it.next()?.parse().ok()?;
        let minor = it.next().map_or(Some(0), |p| p.parse().ok())?;
        let patch = it.next().map_or(Some(0), |p| p.parse().ok())?;
        if it.next().is_some() {
            return None;
        }
        Some(Version(major, minor, patch))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Context bits: where a directive may appear (nginx's `NGX_*_CONF` flags, one bit each).
pub mod ctx {
    /// Top level of nginx.conf (`NGX_MAIN_CONF`).
    pub const MAIN: u32 = 1 << 0;
    /// `events {}`
    pub const EVENTS: u32 = 1 << 1;
    /// `http {}` (`NGX_HTTP_MAIN_CONF`)
    pub const HTTP: u32 = 1 << 2;
    /// `server {}` in http (`NGX_HTTP_SRV_CONF`)
    pub const HTTP_SRV: u32 = 1 << 3;
    /// `location {}` (`NGX_HTTP_LOC_CONF`)
    pub const HTTP_LOC: u32 = 1 << 4;
    /// `if {}` inside `server` (`NGX_HTTP_SIF_CONF`)
    pub const HTTP_SIF: u32 = 1 << 5;
    /// `if {}` inside `location` (`NGX_HTTP_LIF_CONF`)
    pub const HTTP_LIF: u32 = 1 << 6;
    /// `limit_except {}` (`NGX_HTTP_LMT_CONF`)
    pub const HTTP_LMT: u32 = 1 << 7;
    /// `upstream {}` in http (`NGX_HTTP_UPS_CONF`)
    pub const HTTP_UPS: u32 = 1 << 8;
    /// `stream {}` (`NGX_STREAM_MAIN_CONF`)
    pub const STREAM: u32 = 1 << 9;
    /// `server {}` in stream (`NGX_STREAM_SRV_CONF`)
    pub const STREAM_SRV: u32 = 1 << 10;
    /// `upstream {}` in stream (`NGX_STREAM_UPS_CONF`)
    pub const STREAM_UPS: u32 = 1 << 11;
    /// `mail {}` (`NGX_MAIL_MAIN_CONF`)
    pub const MAIL: u32 = 1 << 12;
    /// `server {}` in mail (`NGX_MAIL_SRV_CONF`)
    pub const MAIL_SRV: u32 = 1 << 13;

    /// The common http trio.
    pub const HTTP_ALL: u32 = HTTP | HTTP_SRV | HTTP_LOC;
    pub const STREAM_ALL: u32 = STREAM | STREAM_SRV;
    pub const MAIL_ALL: u32 = MAIL | MAIL_SRV;
}

/// Arity bits, with nginx's meaning (`NGX_CONF_NOARGS` ... `NGX_CONF_2MORE`, `NGX_CONF_BLOCK`).
pub mod args {
    pub const NOARGS: u32 = 0x0001;
    pub const TAKE1: u32 = 0x0002;
    pub const TAKE2: u32 = 0x0004;
    pub const TAKE3: u32 = 0x0008;
    pub const TAKE4: u32 = 0x0010;
    pub const TAKE5: u32 = 0x0020;
    pub const TAKE6: u32 = 0x0040;
    pub const TAKE7: u32 = 0x0080;
    pub const BLOCK: u32 = 0x0100;
    pub const FLAG: u32 = 0x0200;
    pub const ANY: u32 = 0x0400;
    pub const ONE_MORE: u32 = 0x0800;
    pub const TWO_MORE: u32 = 0x1000;

    pub const TAKE12: u32 = TAKE1 | TAKE2;
    pub const TAKE13: u32 = TAKE1 | TAKE3;
    pub const TAKE23: u32 = TAKE2 | TAKE3;
    pub const TAKE123: u32 = TAKE1 | TAKE2 | TAKE3;
    pub const TAKE1234: u32 = TAKE1 | TAKE2 | TAKE3 | TAKE4;

    /// Does `mask` accept `n` arguments? (`ngx_conf_handler`'s check; FLAG means one.)
    pub fn accepts(mask: u32, n: usize) -> bool {
        if mask & ANY != 0 {
            return true;
        }
        if mask & FLAG != 0 && n == 1 {
            return true;
        }
        if mask & ONE_MORE != 0 && n >= 1 {
            return true;
        }
        if mask & TWO_MORE != 0 && n >= 2 {
            return true;
        }
        n <= 7 && mask & (1 << n) != 0
    }
}

/// How a directive's value is parsed (nginx's `set` handler), for argument validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// `ngx_conf_set_flag_slot`: `on` / `off`, any case.
    Flag,
    /// `ngx_conf_set_msec_slot`: a time in ms units (`y`, `M` rejected).
    Msec,
    /// `ngx_conf_set_sec_slot`: a time, in seconds.
    Sec,
    /// `ngx_conf_set_size_slot`: `k`/`m` suffixes.
    Size,
    /// `ngx_conf_set_off_slot`: `k`/`m`/`g` suffixes.
    Offset,
    /// `ngx_conf_set_num_slot`: a non-negative integer.
    Number,
    /// `ngx_conf_set_enum_slot`: one of these (case-insensitive).
    Enum(&'static [&'static str]),
    /// `ngx_conf_set_bitmask_slot`: one or more of these (case-insensitive).
    Bitmask(&'static [&'static str]),
    /// A string or anything the module parses itself; only the arity is checked.
    Other,
}

/// How a directive's value reaches nested levels (http → server → location → if).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// The nearest level that sets it wins (`ngx_conf_merge_*_value`); bitmasks too.
    Scalar,
    /// All occurrences at one level form the value; inherited only if the level has none
    /// (`proxy_set_header`, `add_header`, `fastcgi_param`, `gzip_types`...).
    List,
    /// Not inherited: a block, or a setting of one level only (`listen`, `server_name`,
    /// `location`, upstream members...).
    None,
}

#[derive(Clone, Copy, Debug)]
pub struct DirectiveSpec {
    pub name: &'static str,
    /// nginx module (`"http_proxy"`, `"http_core"`, `"stream_proxy"`, `"core"`...) or, in the
    /// third-party table, the project (`"lua"`, `"njs"`, `"headers_more"`...).
    pub module: &'static str,
    /// [`ctx`] bits.
    pub contexts: u32,
    /// [`args`] bits, including `BLOCK` for block directives.
    pub args: u32,
    pub value: Value,
    /// The documented default, as written in nginx.org's "Default:" line; `""` when there is
    /// none. Where it changed between releases, [`default_for`] answers per version.
    pub default: &'static str,
    pub merge: Merge,
    /// A second occurrence at the same level is an error (`"x" directive is duplicate`).
    pub unique: bool,
    /// First nginx version that has it.
    pub since: Version,
    /// First nginx version that no longer has it.
    pub removed: Option<Version>,
}

impl DirectiveSpec {
    pub fn is_block(&self) -> bool {
        self.args & args::BLOCK != 0
    }

    pub fn exists_in(&self, v: Version) -> bool {
        self.since <= v && self.removed.is_none_or(|r| v < r)
    }

    /// The warning nginx `v` gives for this directive, if it still takes it but warns.
    pub fn deprecation(&self, v: Version) -> Option<&'static Deprecation> {
        // Asked of every directive of a configuration; few have an entry (a handful: comparing
        // names, mostly by length, costs less than hashing one).
        if !DEPRECATIONS.iter().any(|d| d.name == self.name) {
            return None;
        }
        DEPRECATIONS.iter().find(|d| {
            d.name == self.name && d.module == self.module && d.since <= v && self.exists_in(v)
        })
    }

    /// The value parser of this directive in nginx `v` (see [`VALUE_HISTORY`]).
    pub fn value_at(&self, v: Version) -> Value {
        VALUE_HISTORY
            .iter()
            .find(|(name, module, until, _)| {
                *name == self.name && *module == self.module && v < *until
            })
            .map_or(self.value, |(_, _, _, value)| *value)
    }

    /// The argument bits of this directive in nginx `v` ([`Self::args`] is nginx HEAD's; see
    /// [`ARGS_HISTORY`] for the few that changed since 1.0).
    pub fn args_at(&self, v: Version) -> u32 {
        ARGS_HISTORY
            .iter()
            .find(|(name, module, _)| *name == self.name && *module == self.module)
            .and_then(|(_, _, changes)| changes.iter().rev().find(|(since, _)| *since <= v))
            .map_or(self.args, |(_, a)| *a)
    }
}

/// Argument bits that changed between releases (nginx 1.0 and later), from the flag history of
/// `../shared/data/nginx-directives.tsv` (verified by `tests/nginx_tables.rs`): for each
/// (name, module), the bits from each version on, in version order. Stable and mainline
/// interleave: 1.0.11 (stable) has the bits of 1.1.8, 1.1.0–1.1.7 (mainline) do not.
pub static ARGS_HISTORY: &[(&str, &str, ArgsChanges)] = &[
    // The 1.1.0–1.1.7 mainline releases wrote these with the other flag (arity is the same).
    ("fastcgi_catch_stderr", "http_fastcgi", FLIP_1_1_0_TAKE1),
    ("ssi_min_file_chunk", "http_ssi", FLIP_1_1_0_TAKE1),
    ("ssi_value_length", "http_ssi", FLIP_1_1_0_TAKE1),
    ("ssl_verify_client", "http_ssl", FLIP_1_1_0_TAKE1),
    (
        "proxy_pass_error_message",
        "mail_proxy",
        &[
            (Version::ANCIENT, args::TAKE1),
            (Version(1, 0, 11), args::FLAG),
            (Version(1, 1, 0), args::TAKE1),
            (Version(1, 1, 8), args::FLAG),
        ],
    ),
    (
        "keepalive_disable",
        "http_core",
        &[
            (Version::ANCIENT, args::TAKE1),
            (Version(1, 0, 11), args::TAKE12),
            (Version(1, 1, 0), args::TAKE1),
            (Version(1, 1, 8), args::TAKE12),
        ],
    ),
    ("sendfile", "http_core", FLIP_1_0_9_FLAG),
    ("chunked_transfer_encoding", "http_core", FLIP_1_0_9_FLAG),
    (
        "access_log",
        "http_log",
        &[
            (Version::ANCIENT, args::TAKE123),
            (Version(1, 2, 7), args::ONE_MORE),
            (Version(1, 3, 0), args::TAKE123),
            (Version(1, 3, 10), args::ONE_MORE),
        ],
    ),
    // `keepalive N [local]`: two arguments until 1.7.5, one until 1.29.7 added `local` back.
    (
        "keepalive",
        "http_upstream",
        &[
            (Version::ANCIENT, args::TAKE12),
            (Version(1, 7, 5), args::TAKE1),
            (Version(1, 29, 7), args::TAKE12),
        ],
    ),
    ("ssl_ocsp", "http_ssl", SSL_OCSP),
    ("ssl_ocsp", "stream_ssl", SSL_OCSP),
    // `proxy_protocol v2` (stream and mail, 1.31.4): the flag became an enum of one argument.
    ("proxy_protocol", "stream_proxy", PROXY_PROTOCOL),
    ("proxy_protocol", "mail_proxy", PROXY_PROTOCOL),
];

/// Values that changed between releases: (name, module, until, value before `until`).
/// `proxy_protocol` became `on|off|v2` in 1.31.4 (stream and mail); it was a flag before.
pub static VALUE_HISTORY: &[(&str, &str, Version, Value)] = &[
    (
        "proxy_protocol",
        "stream_proxy",
        Version(1, 31, 4),
        Value::Flag,
    ),
    (
        "proxy_protocol",
        "mail_proxy",
        Version(1, 31, 4),
        Value::Flag,
    ),
];

/// A directive nginx still accepts but warns about (`[warn]`, the configuration loads).
#[derive(Clone, Copy, Debug)]
pub struct Deprecation {
    pub name: &'static str,
    pub module: &'static str,
    /// First release that warns (until the directive's `removed`, if any).
    pub since: Version,
    /// nginx's own warning (`%s` is the directive name).
    pub warning: &'static str,
    /// The handler only warns: the value is not parsed (arity is still checked).
    pub ignored: bool,
    /// Where nginx says so (file:function at the release named).
    pub source: &'static str,
}

const SPDY_WARNING: &str =
    "invalid directive \"%s\": ngx_http_spdy_module was superseded by ngx_http_v2_module";
const SPDY_SOURCE: &str =
    "src/http/v2/ngx_http_v2_module.c:ngx_http_v2_spdy_deprecated (1.9.5-1.19.6)";
const OBSOLETE_IGNORED: &str = "the \"%s\" directive is obsolete, ignored";
const V2_OBSOLETE: &str = "src/http/v2/ngx_http_v2_module.c:ngx_http_v2_obsolete";

const fn spdy(name: &'static str) -> Deprecation {
    Deprecation {
        name,
        module: "http_spdy",
        since: Version(1, 9, 5),
        warning: SPDY_WARNING,
        ignored: true,
        source: SPDY_SOURCE,
    }
}

const fn obsolete(name: &'static str, since: Version, warning: &'static str) -> Deprecation {
    Deprecation {
        name,
        module: "http_v2",
        since,
        warning,
        ignored: true,
        source: V2_OBSOLETE,
    }
}

/// Every directive nginx warns about by name (`ngx_conf_deprecated`, `ngx_http_v2_obsolete`,
/// `ngx_http_v2_spdy_deprecated`), from nginx's source at the releases named.
pub static DEPRECATIONS: &[Deprecation] = &[
    Deprecation {
        name: "ssl",
        module: "http_ssl",
        since: Version(1, 15, 0),
        warning: "the \"ssl\" directive is deprecated, use the \"listen ... ssl\" directive instead",
        ignored: false,
        source: "src/http/modules/ngx_http_ssl_module.c:ngx_http_ssl_deprecated (1.15.0-1.25.0)",
    },
    Deprecation {
        name: "ssl",
        module: "mail_ssl",
        since: Version(1, 15, 0),
        warning: "the \"ssl\" directive is deprecated, use the \"listen ... ssl\" directive instead",
        ignored: false,
        source: "src/mail/ngx_mail_ssl_module.c:ngx_mail_ssl_deprecated (1.15.0-1.25.0)",
    },
    Deprecation {
        name: "proxy_downstream_buffer",
        module: "stream_proxy",
        since: Version(1, 9, 4),
        warning: "the \"proxy_downstream_buffer\" directive is deprecated, use the \"proxy_buffer_size\" directive instead",
        ignored: false,
        source: "src/stream/ngx_stream_proxy_module.c:ngx_conf_deprecated_proxy_downstream_buffer",
    },
    Deprecation {
        name: "proxy_upstream_buffer",
        module: "stream_proxy",
        since: Version(1, 9, 4),
        warning: "the \"proxy_upstream_buffer\" directive is deprecated, use the \"proxy_buffer_size\" directive instead",
        ignored: false,
        source: "src/stream/ngx_stream_proxy_module.c:ngx_conf_deprecated_proxy_upstream_buffer",
    },
    obsolete(
        "http2_recv_timeout",
        Version(1, 19, 7),
        "the \"http2_recv_timeout\" directive is obsolete, use the \"client_header_timeout\" directive instead",
    ),
    obsolete(
        "http2_idle_timeout",
        Version(1, 19, 7),
        "the \"http2_idle_timeout\" directive is obsolete, use the \"keepalive_timeout\" directive instead",
    ),
    obsolete(
        "http2_max_requests",
        Version(1, 19, 7),
        "the \"http2_max_requests\" directive is obsolete, use the \"keepalive_requests\" directive instead",
    ),
    obsolete(
        "http2_max_field_size",
        Version(1, 19, 7),
        "the \"http2_max_field_size\" directive is obsolete, use the \"large_client_header_buffers\" directive instead",
    ),
    obsolete(
        "http2_max_header_size",
        Version(1, 19, 7),
        "the \"http2_max_header_size\" directive is obsolete, use the \"large_client_header_buffers\" directive instead",
    ),
    obsolete("http2_push", Version(1, 25, 1), OBSOLETE_IGNORED),
    obsolete("http2_push_preload", Version(1, 25, 1), OBSOLETE_IGNORED),
    obsolete(
        "http2_max_concurrent_pushes",
        Version(1, 25, 1),
        OBSOLETE_IGNORED,
    ),
    spdy("spdy_chunk_size"),
    spdy("spdy_headers_comp"),
    spdy("spdy_keepalive_timeout"),
    spdy("spdy_max_concurrent_streams"),
    spdy("spdy_pool_size"),
    spdy("spdy_recv_buffer_size"),
    spdy("spdy_recv_timeout"),
    spdy("spdy_streams_index_size"),
];

/// (version, argument bits from that version on), in version order.
pub type ArgsChanges = &'static [(Version, u32)];

const FLIP_1_1_0_TAKE1: &[(Version, u32)] = &[
    (Version::ANCIENT, args::FLAG),
    (Version(1, 0, 11), args::TAKE1),
    (Version(1, 1, 0), args::FLAG),
    (Version(1, 1, 8), args::TAKE1),
];
const FLIP_1_0_9_FLAG: &[(Version, u32)] = &[
    (Version::ANCIENT, args::TAKE1),
    (Version(1, 0, 9), args::FLAG),
    (Version(1, 1, 0), args::TAKE1),
    (Version(1, 1, 4), args::FLAG),
];
const SSL_OCSP: &[(Version, u32)] = &[
    (Version::ANCIENT, args::FLAG),
    (Version(1, 28, 1), args::TAKE1),
    (Version(1, 29, 0), args::FLAG),
    (Version(1, 29, 3), args::TAKE1),
];
const PROXY_PROTOCOL: &[(Version, u32)] = &[
    (Version::ANCIENT, args::FLAG),
    (Version(1, 31, 4), args::TAKE1),
];

/// The default of `spec` on nginx `version`: the version history of
/// [`crate::semantics::versions`] where it has one, else the table's documented default.
pub fn default_for(spec: &DirectiveSpec, version: Version) -> &'static str {
    if is_third_party(spec) {
        return spec.default;
    }
    crate::semantics::versions::default_at(spec.name, spec.contexts, version)
        .unwrap_or(spec.default)
}

/// Every nginx (first-party) directive.
pub fn nginx_directives() -> impl Iterator<Item = &'static DirectiveSpec> {
    core::DIRECTIVES
        .iter()
        .chain(http::DIRECTIVES)
        .chain(stream_mail::DIRECTIVES)
}

struct Index {
    // Looked up once per node and per rule question (SipHash cost 400 instructions a name),
    // never iterated: the model's word-at-a-time name hasher. The value is the name's group
    // (as numbered while the index is built) and its entries, in table order (nginx's first,
    // then third-party).
    by_name: HashMap<
        &'static str,
        (u32, &'static [&'static DirectiveSpec]),
        crate::semantics::model::NameBuild,
    >,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        // Built once per process, before the first file is read: sized up front, one hash
        // lookup per entry (each name's group numbered as it first appears), then the entries
        // placed group after group in one slice (leaked: it lives as long as the process, as
        // the index does) and each name given its part. A growing map of one `Vec` per name
        // cost 0.53 M instructions, a third of a one-line file's run (#13).
        let all = || nginx_directives().chain(third_party::DIRECTIVES);
        let total = all().count();
        let mut by_name: HashMap<&'static str, (u32, &'static [&'static DirectiveSpec]), _> =
            HashMap::with_capacity_and_hasher(total, Default::default());
        let mut count: Vec<u32> = Vec::with_capacity(total);
        let mut group_of: Vec<u32> = Vec::with_capacity(total);
        for spec in all() {
            let next = count.len() as u32;
            let group = by_name.entry(spec.name).or_insert((next, &[])).0;
            if group == next {
                count.push(0);
            }
            count[group as usize] += 1;
            group_of.push(group);
        }
        // Each group starts where the groups before it (in order of first appearance) end.
        let mut start = Vec::with_capacity(count.len());
        let mut at = 0;
        for &n in &count {
            start.push(at);
            at += n;
        }
        // `end` advances as a group's entries are placed, up to where the next group starts.
        let mut end = start.clone();
        let specs: &'static mut [&'static DirectiveSpec] = vec![&core::DIRECTIVES[0]; total].leak();
        for (spec, &group) in all().zip(&group_of) {
            specs[end[group as usize] as usize] = spec;
            end[group as usize] += 1;
        }
        let specs: &'static [&'static DirectiveSpec] = specs;
        for (group, entries) in by_name.values_mut() {
            let g = *group as usize;
            *entries = &specs[start[g] as usize..end[g] as usize];
        }
        Index { by_name }
    })
}

/// All specs for `name` (nginx's first, then third-party); empty if unknown.
pub fn lookup(name: &[u8]) -> &'static [&'static DirectiveSpec] {
    std::str::from_utf8(name).map_or(&[], lookup_str)
}

/// [`lookup`] for a name already known to be text (no UTF-8 validation).
pub fn lookup_str(name: &str) -> &'static [&'static DirectiveSpec] {
    index()
        .by_name
        .get(name)
        .map_or(&[], |&(_, entries)| entries)
}

/// Facts a caller derives from table entries, kept per entry while it walks a configuration:
/// a configuration repeats a few dozen directives, so most questions are answered here instead
/// of scanning the version and deprecation tables again. Direct-mapped by the entry's address
/// (one slot each, replaced on a clash): no hashing, and a fixed size.
pub struct PerSpec<T: Copy>([Option<(&'static DirectiveSpec, T)>; 64]);

impl<T: Copy> Default for PerSpec<T> {
    fn default() -> Self {
        PerSpec([None; 64])
    }
}

impl<T: Copy> PerSpec<T> {
    /// The fact of `spec`, computed by `derive` the first time (or after a clash).
    #[inline]
    pub fn get(&mut self, spec: &'static DirectiveSpec, derive: impl FnOnce() -> T) -> T {
        let address = std::ptr::from_ref(spec) as usize;
        let slot = address / std::mem::size_of::<DirectiveSpec>() % self.0.len();
        match self.0[slot] {
            Some((cached, fact)) if std::ptr::eq(cached, spec) => fact,
            _ => {
                let fact = derive();
                self.0[slot] = Some((spec, fact));
                fact
            }
        }
    }
}

/// Is `spec` from the third-party table? (An address-range check: it is asked per node.)
pub fn is_third_party(spec: &DirectiveSpec) -> bool {
    third_party::DIRECTIVES
        .as_ptr_range()
        .contains(&std::ptr::from_ref(spec))
}

/// Block directives whose contents are entries for the module's own handler, not directives
/// (`map`, `types`, `geo`...): their lines use the same tokenizer, but the first word is a key.
pub const ENTRY_BLOCKS: &[&str] = &[
    "map",
    "geo",
    "types",
    "split_clients",
    "charset_map",
    "match",
    // Third-party: geoip2's block holds `$var source=...` entries (ngx_http_geoip2_module).
    "geoip2",
];

/// Block-ness of a known name, if every spec of it agrees (used for nginx's grammar errors
/// `is not terminated by ";"` / `has no opening "{"`). `*_by_lua_block` is always a block.
pub fn known_block(name: &[u8]) -> Option<bool> {
    if name.ends_with(b"_by_lua_block") {
        return Some(true);
    }
    let specs = lookup(name);
    let first = specs.first()?.is_block();
    specs.iter().all(|s| s.is_block() == first).then_some(first)
}

/// Builders, so that table entries read as one line each:
/// `DirectiveSpec::new("proxy_buffering", "http_proxy", HTTP_ALL, FLAG).value(Value::Flag).default("on").unique()`.
impl DirectiveSpec {
    pub const fn new(name: &'static str, module: &'static str, contexts: u32, args: u32) -> Self {
        DirectiveSpec {
            name,
            module,
            contexts,
            args,
            value: Value::Other,
            default: "",
            merge: if args & args::BLOCK != 0 {
                Merge::None
            } else {
                Merge::Scalar
            },
            unique: false,
            since: Version::ANCIENT,
            removed: None,
        }
    }
    pub const fn value(mut self, value: Value) -> Self {
        self.value = value;
        self
    }
    pub const fn default(mut self, default: &'static str) -> Self {
        self.default = default;
        self
    }
    pub const fn merge(mut self, merge: Merge) -> Self {
        self.merge = merge;
        self
    }
    /// Shorthand for `.merge(Merge::List)`.
    pub const fn list(self) -> Self {
        self.merge(Merge::List)
    }
    /// Shorthand for `.merge(Merge::None)`.
    pub const fn not_inherited(self) -> Self {
        self.merge(Merge::None)
    }
    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    pub const fn since(mut self, major: u16, minor: u16, patch: u16) -> Self {
        self.since = Version(major, minor, patch);
        self
    }
    pub const fn removed(mut self, major: u16, minor: u16, patch: u16) -> Self {
        self.removed = Some(Version(major, minor, patch));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table, by file, so a message says where an entry lives.
    fn tables() -> [(&'static str, &'static [DirectiveSpec]); 4] {
        [
            ("core.rs", core::DIRECTIVES),
            ("http.rs", http::DIRECTIVES),
            ("stream_mail.rs", stream_mail::DIRECTIVES),
            ("third_party.rs", third_party::DIRECTIVES),
        ]
    }

    /// The entry of `table` for `name` usable in `ctx` (for each table's spot checks).
    pub(super) fn find_in(
        table: &'static [DirectiveSpec],
        name: &str,
        ctx: u32,
    ) -> &'static DirectiveSpec {
        table
            .iter()
            .find(|d| d.name == name && d.contexts & ctx != 0)
            .unwrap_or_else(|| panic!("{name} not found for context bits {ctx:#x}"))
    }

    /// The per-entry cache answers what `derive` answers, for every entry, whatever clashes.
    #[test]
    fn per_spec_cache_answers_each_entry_its_own() {
        let mut cache: PerSpec<&'static str> = PerSpec::default();
        for _ in 0..2 {
            for spec in nginx_directives().chain(third_party::DIRECTIVES) {
                assert_eq!(cache.get(spec, || spec.name), spec.name);
            }
        }
    }

    /// Within a table, a name appears once per context (ngx_conf_handler takes the first match).
    #[test]
    fn no_name_listed_twice_for_one_context() {
        for (file, table) in tables() {
            for (i, a) in table.iter().enumerate() {
                for b in &table[i + 1..] {
                    assert!(
                        a.name != b.name || a.contexts & b.contexts == 0,
                        "{file}: {} listed twice for one context",
                        a.name
                    );
                }
            }
        }
    }

    /// The shape rules every entry follows, whatever its module.
    #[test]
    fn entries_are_consistent() {
        for (file, table) in tables() {
            for d in table {
                let at = format!("{file}: {}", d.name);
                assert!(
                    d.contexts != 0 && d.args != 0 && !d.module.is_empty(),
                    "{at}"
                );
                // A flag slot takes one argument, declared FLAG, or TAKE1 where the C table says
                // so (nginx's own uwsgi_cache_background_update; nginx-vod-module declares all
                // its switches NGX_CONF_TAKE1 with ngx_conf_set_flag_slot, and nginx-rtmp-module
                // its `rtmp_auto_push`).
                if d.value == Value::Flag {
                    let take1_ok = d.name == "uwsgi_cache_background_update"
                        || d.module == "vod"
                        || d.name == "rtmp_auto_push";
                    assert!(
                        d.args == args::FLAG || (take1_ok && d.args == args::TAKE1),
                        "{at}"
                    );
                }
                if d.is_block() {
                    assert_eq!(d.merge, Merge::None, "{at}: blocks are not inherited");
                }
                if d.merge == Merge::List || matches!(d.value, Value::Bitmask(_)) {
                    assert!(!d.unique, "{at}: lists and bitmasks may repeat");
                }
                if d.name.ends_with("_by_lua_block") {
                    assert!(d.is_block(), "{at}");
                }
                assert!(d.removed.is_none_or(|r| d.since < r), "{at}");
            }
        }
    }

    /// Every history and deprecation row names an entry of the tables (by name and module).
    #[test]
    fn histories_name_real_entries() {
        let has = |name: &str, module: &str| {
            nginx_directives().any(|d| d.name == name && d.module == module)
        };
        for (name, module, changes) in ARGS_HISTORY {
            assert!(has(name, module), "ARGS_HISTORY: {name} [{module}]");
            assert!(
                changes.windows(2).all(|w| w[0].0 < w[1].0),
                "{name}: version order"
            );
        }
        for (name, module, _, _) in VALUE_HISTORY {
            assert!(has(name, module), "VALUE_HISTORY: {name} [{module}]");
        }
        for d in DEPRECATIONS {
            assert!(
                has(d.name, d.module),
                "DEPRECATIONS: {} [{}]",
                d.name,
                d.module
            );
        }
    }

    #[test]
    fn version_dependent_shapes() {
        let one = |name: &str, ctx: u32| {
            *lookup(name.as_bytes())
                .iter()
                .find(|s| s.contexts & ctx != 0)
                .unwrap()
        };
        let keepalive = one("keepalive", ctx::HTTP_UPS);
        assert!(!args::accepts(keepalive.args_at(Version(1, 28, 0)), 2));
        assert!(args::accepts(keepalive.args_at(Version(1, 29, 7)), 2));
        assert!(args::accepts(keepalive.args_at(Version(1, 7, 4)), 2));
        let pp = one("proxy_protocol", ctx::STREAM_SRV);
        assert_eq!(pp.value_at(Version(1, 31, 3)), Value::Flag);
        assert!(matches!(pp.value_at(Version(1, 31, 4)), Value::Enum(v) if v.contains(&"v2")));
        let ssl = one("ssl", ctx::HTTP_SRV);
        assert!(ssl.deprecation(Version(1, 14, 2)).is_none());
        assert!(
            ssl.deprecation(Version(1, 22, 1))
                .is_some_and(|d| !d.ignored)
        );
        assert!(
            ssl.deprecation(Version(1, 25, 1)).is_none(),
            "removed, not deprecated"
        );
        let spdy = one("spdy_chunk_size", ctx::HTTP);
        assert!(spdy.deprecation(Version(1, 9, 4)).is_none());
        assert!(
            spdy.deprecation(Version(1, 19, 6))
                .is_some_and(|d| d.ignored)
        );
        assert!(!spdy.exists_in(Version(1, 19, 7)));
    }

    #[test]
    fn lookup_finds_every_table_and_third_party_is_identified() {
        assert!(!lookup(b"proxy_buffering").is_empty());
        assert!(!lookup(b"worker_connections").is_empty());
        assert!(lookup(b"no_such_directive").is_empty());
        let lua = lookup(b"content_by_lua_block");
        assert!(lua.iter().all(|s| is_third_party(s)));
        assert!(lookup(b"proxy_pass").iter().all(|s| !is_third_party(s)));
    }

    #[test]
    fn lookup_gives_every_entry_of_a_name_in_table_order() {
        let all: Vec<&'static DirectiveSpec> =
            nginx_directives().chain(third_party::DIRECTIVES).collect();
        let mut names: Vec<&str> = all.iter().map(|s| s.name).collect();
        names.sort_unstable();
        names.dedup();
        let mut several = 0;
        for name in names {
            let scan: Vec<_> = all.iter().filter(|s| s.name == name).copied().collect();
            let found = lookup_str(name);
            several += usize::from(found.len() > 1);
            assert_eq!(found.len(), scan.len(), "{name}");
            for (f, s) in found.iter().zip(&scan) {
                assert!(std::ptr::eq(*f, *s), "{name}: entries out of table order");
            }
        }
        // Names in several tables or contexts (`server`, `listen`, `resolver`...) are there.
        assert!(several > 20, "{several} names with several entries");
    }
}
