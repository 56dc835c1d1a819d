//! Rules: plain data plus a function each, one file per rule, one registry line per rule.
//!
//! A rule asks the [`Model`] questions (`directives_named`, `effective`, `ancestors`...) and
//! returns [`Diagnostic`]s, each with the exact span it is about, the nginx fact behind it, and
//! an optional [`Fix`] of byte-span edits.

use crate::fix::Fix;
use crate::semantics::FileId;
use crate::semantics::directives::Version;
use crate::semantics::model::{Model, NodeId};
use crate::syntax::Span;
use std::cell::RefCell;
use std::sync::Arc;

mod accel_buffering_ignored;
mod access_bypassed_by_regex;
mod access_log_buffer;
mod access_log_off_mixed;
mod access_log_on;
mod access_rule_shadowed;
mod acme_challenge_unreachable;
mod add_header_always_quoted;
mod add_header_content_type;
mod add_header_framing;
mod add_header_multiline;
mod add_header_never_sent;
mod alias_slash_mismatch;
mod alias_traversal;
mod allow_without_deny;
mod auth_request_body_limit;
mod auth_request_content_length;
mod auth_request_set_misplaced;
mod auth_request_status;
mod autoindex_on;
mod balancer_redefined;
mod break_skips_directives;
mod buffering_on_streaming;
mod cache_bypass_stored;
mod cache_never_stored;
mod cache_private_stored;
mod cache_set_cookie_stored;
mod charset_map;
mod content_handler_overridden;
mod content_length_cleared;
mod cors_origin_reflected;
mod cors_wildcard_credentials;
mod csp_keyword_unquoted;
mod default_server_missing;
mod deprecated_directive;
mod duplicate_cache_path;
mod duplicate_directive;
mod duplicate_geo_network;
mod duplicate_listen;
mod duplicate_load_module;
mod duplicate_location;
mod duplicate_log_format;
mod duplicate_map_key;
mod duplicate_mime_type;
mod duplicate_referer;
mod duplicate_type_extension;
mod duplicate_upstream;
mod duplicate_value;
mod duplicate_variable;
mod duplicate_zone;
mod error_log_off;
mod events_missing;
mod forwarded_header_mismatch;
mod forwarded_proto_missing;
mod gzip_event_stream;
mod handler_settings_ignored;
mod header_buffers_small;
mod header_injection;
mod header_name_typo;
mod host_header_spoofing;
mod hsts_invalid;
mod hsts_missing;
mod http2_listen_deprecated;
mod http2_misdirected_request;
mod http3_without_quic;
mod if_is_evil;
mod if_overridden;
mod if_skips_try_files;
mod include_cycle;
mod include_glob_empty;
mod include_not_found;
mod incompatible_settings;
mod inherited_headers_dropped;
mod invalid_address;
mod invalid_arguments;
mod invalid_buffer_sizes;
mod invalid_context;
mod invalid_cpu_affinity;
mod invalid_geo;
mod invalid_if_condition;
mod invalid_listen;
mod invalid_log_level;
mod invalid_parameter;
mod invalid_regex;
mod invalid_resolver;
mod invalid_root_alias;
mod invalid_server_name;
mod invalid_split_clients;
mod invalid_sticky;
mod invalid_syslog;
mod invalid_thread_pool;
mod invalid_variable;
mod keepalive_requests_low;
mod limit_status_mismatch;
mod listen_missing;
mod load_module_too_late;
mod location_outside_parent;
mod location_shadows_proxy;
mod location_unreachable;
mod log_format_invalid_json;
mod log_stream_file;
mod mail_server_incomplete;
mod map_hash;
mod map_without_default;
mod missing_resolver;
mod missing_semicolon;
mod named_location_missing;
mod nested_location_unproxied;
mod nginx_cve;
mod no_port_in_upstream;
mod origin_regex_unanchored;
mod proxy_cache_streaming;
mod proxy_header_repeated;
mod proxy_headers_hash;
mod proxy_pass_normalized;
mod proxy_pass_query_dropped;
mod proxy_pass_ssrf;
mod proxy_pass_stale_dns;
mod proxy_pass_uri_forbidden;
mod proxy_redirect_default;
mod proxy_ssl_sni_missing;
mod quic_bpf_reload;
mod quoted_list_argument;
mod read_timeout_short;
mod redirect_to_server_name;
mod regex_anchored_without_slash;
mod regex_capture_invalid;
mod regex_captures_overwritten;
mod regex_could_be_exact;
mod regex_location_unanchored;
mod regex_redos;
mod regex_variable;
mod resolver_external;
mod response_header_sent_upstream;
mod return_bypasses_access;
mod rewrite_args_doubled;
mod root_system_directory;
mod secure_link_mixed;
mod send_lowat_ignored;
mod server_name_conflict;
mod server_names_hash;
mod server_return_shadows_locations;
mod server_tokens_on;
mod socketio_sticky_missing;
mod space_before_semicolon;
mod ssl_certificate_missing;
mod ssl_ciphers_no_match;
mod ssl_ciphers_weak;
mod ssl_ecdh_curve;
mod ssl_listen_missing;
mod ssl_protocols_obsolete;
mod ssl_protocols_weak;
mod ssl_stapling_letsencrypt;
mod ssl_stapling_no_resolver;
mod status_page_open;
mod stream_timeout_short;
pub mod suppression_reason_missing;
mod syntax_error;
mod trailing_whitespace;
mod transfer_encoding_set;
mod try_files_fallback_relative;
mod try_files_named_not_last;
mod try_files_proxy;
mod try_files_script_served;
mod try_files_status_split;
mod undefined_variable;
mod unknown_directive;
mod unknown_log_format;
mod unknown_zone;
pub mod unused_suppression;
mod upgrade_header_literal;
mod upload_body_limit;
mod upstream_keepalive_connection;
mod upstream_no_servers;
mod upstream_resolve;
mod upstream_with_port;
mod useless_timeout;
mod valid_referers_none;
mod value_out_of_range;
mod variable_backslash;
mod variable_case_mixed;
mod variable_defined_twice;
mod variable_hyphen;
mod variable_not_expanded;
mod websocket_upgrade_missing;
mod worker_connections_fd_limit;
mod worker_processes_missing;

// Not a rule: how findings are held while the rules run.
mod packed;
mod php_served_as_file;
mod private_range_too_wide;
mod proxy_pass_to_itself;
mod typographic_quotes;
pub use packed::Packed;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Whether a rule can fix what it finds (ruff's three values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "none",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "always",
        }
    }
}

/// What a rule is about; `--select`/`--ignore` and `.ngxlint.yml` accept a category name
/// wherever they accept a rule id (clippy's groups, ruff's prefixes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// SSE, WebSocket and long responses through nginx.
    Streaming,
    /// What nginx refuses, or does differently from what the file says.
    Correctness,
    /// Exploitable mistakes (response splitting, SSRF, path traversal...).
    Security,
    /// Defence in depth; opinionated, so mostly outside the default set.
    Hardening,
    /// The linter's own hygiene (suppressions) and readability.
    Style,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Streaming,
        Category::Correctness,
        Category::Security,
        Category::Hardening,
        Category::Style,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Streaming => "streaming",
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Hardening => "hardening",
            Category::Style => "style",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A rule: static metadata and its check.
pub struct Rule {
    /// Permanent, kebab-case: users type it in suppressions and configs.
    pub id: &'static str,
    /// One line, for `ngxlint rules` and SARIF's shortDescription.
    pub summary: &'static str,
    /// Default severity (a finding may raise or lower its own).
    pub severity: Severity,
    pub fix: FixAvailability,
    pub category: Category,
    /// In the default set (what runs without `select`). Opinionated checks are not; one
    /// `--select <id>` or `--select <category>` turns them on.
    pub default: bool,
    /// The rule's page, `rules/<id>.md`, embedded so `ngxlint rule <id>` works offline.
    pub doc: &'static str,
    pub check: fn(&LintContext<'_>) -> Vec<Diagnostic>,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// Every rule, sorted by id (a test enforces sorted, unique, kebab-case).
pub static RULES: &[&Rule] = &[
    &accel_buffering_ignored::RULE,
    &access_bypassed_by_regex::RULE,
    &access_log_buffer::RULE,
    &access_log_off_mixed::RULE,
    &access_log_on::RULE,
    &access_rule_shadowed::RULE,
    &acme_challenge_unreachable::RULE,
    &add_header_always_quoted::RULE,
    &add_header_content_type::RULE,
    &add_header_framing::RULE,
    &add_header_multiline::RULE,
    &add_header_never_sent::RULE,
    &alias_slash_mismatch::RULE,
    &alias_traversal::RULE,
    &allow_without_deny::RULE,
    &auth_request_body_limit::RULE,
    &auth_request_content_length::RULE,
    &auth_request_set_misplaced::RULE,
    &auth_request_status::RULE,
    &autoindex_on::RULE,
    &balancer_redefined::RULE,
    &break_skips_directives::RULE,
    &buffering_on_streaming::RULE,
    &cache_bypass_stored::RULE,
    &cache_never_stored::RULE,
    &cache_private_stored::RULE,
    &cache_set_cookie_stored::RULE,
    &charset_map::RULE,
    &content_handler_overridden::RULE,
    &content_length_cleared::RULE,
    &cors_origin_reflected::RULE,
    &cors_wildcard_credentials::RULE,
    &csp_keyword_unquoted::RULE,
    &default_server_missing::RULE,
    &deprecated_directive::RULE,
    &duplicate_cache_path::RULE,
    &duplicate_directive::RULE,
    &duplicate_geo_network::RULE,
    &duplicate_listen::RULE,
    &duplicate_load_module::RULE,
    &duplicate_location::RULE,
    &duplicate_log_format::RULE,
    &duplicate_map_key::RULE,
    &duplicate_mime_type::RULE,
    &duplicate_referer::RULE,
    &duplicate_type_extension::RULE,
    &duplicate_upstream::RULE,
    &duplicate_value::RULE,
    &duplicate_variable::RULE,
    &duplicate_zone::RULE,
    &error_log_off::RULE,
    &events_missing::RULE,
    &forwarded_header_mismatch::RULE,
    &forwarded_proto_missing::RULE,
    &gzip_event_stream::RULE,
    &handler_settings_ignored::RULE,
    &header_buffers_small::RULE,
    &header_injection::RULE,
    &header_name_typo::RULE,
    &host_header_spoofing::RULE,
    &hsts_invalid::RULE,
    &hsts_missing::RULE,
    &http2_listen_deprecated::RULE,
    &http2_misdirected_request::RULE,
    &http3_without_quic::RULE,
    &if_is_evil::RULE,
    &if_overridden::RULE,
    &if_skips_try_files::RULE,
    &include_cycle::RULE,
    &include_glob_empty::RULE,
    &include_not_found::RULE,
    &incompatible_settings::RULE,
    &inherited_headers_dropped::RULE,
    &invalid_address::RULE,
    &invalid_arguments::RULE,
    &invalid_buffer_sizes::RULE,
    &invalid_context::RULE,
    &invalid_cpu_affinity::RULE,
    &invalid_geo::RULE,
    &invalid_if_condition::RULE,
    &invalid_listen::RULE,
    &invalid_log_level::RULE,
    &invalid_parameter::RULE,
    &invalid_regex::RULE,
    &invalid_resolver::RULE,
    &invalid_root_alias::RULE,
    &invalid_server_name::RULE,
    &invalid_split_clients::RULE,
    &invalid_sticky::RULE,
    &invalid_syslog::RULE,
    &invalid_thread_pool::RULE,
    &invalid_variable::RULE,
    &keepalive_requests_low::RULE,
    &limit_status_mismatch::RULE,
    &listen_missing::RULE,
    &load_module_too_late::RULE,
    &location_outside_parent::RULE,
    &location_shadows_proxy::RULE,
    &location_unreachable::RULE,
    &log_format_invalid_json::RULE,
    &log_stream_file::RULE,
    &mail_server_incomplete::RULE,
    &map_hash::RULE,
    &map_without_default::RULE,
    &missing_resolver::RULE,
    &missing_semicolon::RULE,
    &named_location_missing::RULE,
    &nested_location_unproxied::RULE,
    &nginx_cve::RULE,
    &no_port_in_upstream::RULE,
    &origin_regex_unanchored::RULE,
    &php_served_as_file::RULE,
    &private_range_too_wide::RULE,
    &proxy_cache_streaming::RULE,
    &proxy_header_repeated::RULE,
    &proxy_headers_hash::RULE,
    &proxy_pass_normalized::RULE,
    &proxy_pass_query_dropped::RULE,
    &proxy_pass_ssrf::RULE,
    &proxy_pass_stale_dns::RULE,
    &proxy_pass_to_itself::RULE,
    &proxy_pass_uri_forbidden::RULE,
    &proxy_redirect_default::RULE,
    &proxy_ssl_sni_missing::RULE,
    &quic_bpf_reload::RULE,
    &quoted_list_argument::RULE,
    &read_timeout_short::RULE,
    &redirect_to_server_name::RULE,
    &regex_anchored_without_slash::RULE,
    &regex_capture_invalid::RULE,
    &regex_captures_overwritten::RULE,
    &regex_could_be_exact::RULE,
    &regex_location_unanchored::RULE,
    &regex_redos::RULE,
    &regex_variable::RULE,
    &resolver_external::RULE,
    &response_header_sent_upstream::RULE,
    &return_bypasses_access::RULE,
    &rewrite_args_doubled::RULE,
    &root_system_directory::RULE,
    &secure_link_mixed::RULE,
    &send_lowat_ignored::RULE,
    &server_name_conflict::RULE,
    &server_names_hash::RULE,
    &server_return_shadows_locations::RULE,
    &server_tokens_on::RULE,
    &socketio_sticky_missing::RULE,
    &space_before_semicolon::RULE,
    &ssl_certificate_missing::RULE,
    &ssl_ciphers_no_match::RULE,
    &ssl_ciphers_weak::RULE,
    &ssl_ecdh_curve::RULE,
    &ssl_listen_missing::RULE,
    &ssl_protocols_obsolete::RULE,
    &ssl_protocols_weak::RULE,
    &ssl_stapling_letsencrypt::RULE,
    &ssl_stapling_no_resolver::RULE,
    &status_page_open::RULE,
    &stream_timeout_short::RULE,
    &suppression_reason_missing::RULE,
    &syntax_error::RULE,
    &trailing_whitespace::RULE,
    &transfer_encoding_set::RULE,
    &try_files_fallback_relative::RULE,
    &try_files_named_not_last::RULE,
    &try_files_proxy::RULE,
    &try_files_script_served::RULE,
    &try_files_status_split::RULE,
    &typographic_quotes::RULE,
    &undefined_variable::RULE,
    &unknown_directive::RULE,
    &unknown_log_format::RULE,
    &unknown_zone::RULE,
    &unused_suppression::RULE,
    &upgrade_header_literal::RULE,
    &upload_body_limit::RULE,
    &upstream_keepalive_connection::RULE,
    &upstream_no_servers::RULE,
    &upstream_resolve::RULE,
    &upstream_with_port::RULE,
    &useless_timeout::RULE,
    &valid_referers_none::RULE,
    &value_out_of_range::RULE,
    &variable_backslash::RULE,
    &variable_case_mixed::RULE,
    &variable_defined_twice::RULE,
    &variable_hyphen::RULE,
    &variable_not_expanded::RULE,
    &websocket_upgrade_missing::RULE,
    &worker_connections_fd_limit::RULE,
    &worker_processes_missing::RULE,
];

pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// Is `s` something `--select`/`--ignore` accept: a rule id, a category, `default` (the
/// default set) or `all`?
pub fn is_selector(s: &str) -> bool {
    matches!(s, "all" | "default") || Category::parse(s).is_some() || rule_by_id(s).is_some()
}

/// Does selector `s` (see [`is_selector`]) name `rule`?
pub fn selector_matches(s: &str, rule: &Rule) -> bool {
    match s {
        "all" => true,
        "default" => rule.default,
        _ => s == rule.id || Category::parse(s) == Some(rule.category),
    }
}

/// The rules a run uses: those `select` names (the default set when there is no `select`),
/// less those `ignore` names.
pub fn is_selected(rule: &Rule, select: Option<&[String]>, ignore: &[String]) -> bool {
    let chosen = match select {
        Some(sel) => sel.iter().any(|s| selector_matches(s, rule)),
        None => rule.default,
    };
    chosen && !ignore.iter().any(|s| selector_matches(s, rule))
}

/// What a rule gets: the model and the settings it runs under.
pub struct LintContext<'a> {
    pub model: &'a Model<'a>,
    pub version: Version,
    pub settings: &'a Settings,
    /// The nodes whose findings are wanted, for a rule of [`BY_PART`] run part by part on a
    /// large configuration (`None`: every node). Such a rule asks for its directives with
    /// [`LintContext::directives_named`].
    pub part: Option<std::ops::Range<NodeId>>,
    /// Only each finding's place, severity, rule and message are wanted (`check --format
    /// concise` or `checkstyle`): the runner drops the other labels, the help and the fix of every finding,
    /// and a rule that finds many can leave them out (on the 50 MB generated configuration
    /// the fixes and labels of `inherited-headers-dropped`'s 126,000 findings were a tenth
    /// of the run's work, for a report that shows none of them).
    pub brief: bool,
}

impl<'a> LintContext<'a> {
    /// The node numbers of [`LintContext::part`] (every node's when `None`), for a rule of
    /// [`BY_PART`] that asks every node.
    pub fn node_ids(&self) -> std::ops::Range<NodeId> {
        self.part
            .clone()
            .unwrap_or(0..self.model.nodes.len() as NodeId)
    }

    /// The directives named `name`, as [`Model::directives_named`] gives them, but only those
    /// of [`LintContext::part`].
    pub fn directives_named(&self, name: &str) -> &'a [NodeId] {
        match &self.part {
            None => self.model.directives_named(name),
            Some(part) => self.model.directives_named_in(name, part.clone()),
        }
    }

    /// The directives named any of `names` ([`LintContext::directives_named`]), in walk order.
    pub fn directives_named_any(&self, names: &[&str]) -> Vec<NodeId> {
        let mut ids: Vec<NodeId> = names
            .iter()
            .flat_map(|name| self.directives_named(name))
            .copied()
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The streaming locations of the model (classified once for the whole model, in walk
    /// order), but only those of [`LintContext::part`].
    pub fn streaming(&self) -> &'a [crate::semantics::streaming::Streaming] {
        let all = crate::semantics::streaming::streaming_locations_ref(
            self.model,
            &self.settings.streaming,
        );
        match &self.part {
            None => all,
            Some(part) => {
                let from = all.partition_point(|s| s.location < part.start);
                let to = from + all[from..].partition_point(|s| s.location < part.end);
                &all[from..to]
            }
        }
    }
}

/// Rules whose findings about a directive depend only on it and its surroundings (its
/// arguments, ancestors, block and children), found from the directives of a few names.
/// On a large configuration they run part by part (the nodes of [`PART_NODES`] consecutive
/// numbers at a time), all of them on one part before the next: the part's nodes, directives
/// and text stay in the core's cache from one rule to the next, where each rule's pass over the
/// whole model waited for memory at every directive (issue #13: on the 50 MB generated
/// configuration these rules cost 10 to 16 times what they cost on 10 MB). Each such rule
/// asks for its directives with [`LintContext::directives_named`], keeps nothing from one
/// directive to the next, and so finds the same as on the whole, in part order. A streaming
/// rule asks for its locations with [`LintContext::streaming`] (the classification itself is
/// of the whole model, made once). A rule judging a block as a whole (`duplicate-location`,
/// `inherited-headers-dropped`) judges it in the part holding the block's first directive of
/// the name it reads; what it needs of the rest of the model it asks the model for (an
/// index), never a table of its own, which each part would build again.
pub const BY_PART: &[&str] = &[
    "invalid-variable",
    "invalid-address",
    "proxy-pass-uri-forbidden",
    "invalid-regex",
    "upgrade-header-literal",
    "proxy-pass-ssrf",
    "root-system-directory",
    "add-header-content-type",
    "add-header-multiline",
    "upstream-no-servers",
    "header-injection",
    "upstream-with-port",
    "proxy-header-repeated",
    "invalid-context",
    "invalid-arguments",
    "invalid-parameter",
    "read-timeout-short",
    "inherited-headers-dropped",
    "upstream-keepalive-connection",
    "duplicate-variable",
    "duplicate-directive",
    "duplicate-location",
    "location-unreachable",
    "websocket-upgrade-missing",
    "invalid-root-alias",
    "transfer-encoding-set",
    "header-name-typo",
    "content-length-cleared",
    "forwarded-header-mismatch",
    "proxy-pass-query-dropped",
    "regex-variable",
    "missing-resolver",
    "proxy-headers-hash",
    "location-outside-parent",
    "missing-semicolon",
    "add-header-never-sent",
    "deprecated-directive",
    "duplicate-value",
    "quoted-list-argument",
    "redirect-to-server-name",
    "send-lowat-ignored",
    "try-files-status-split",
    "try-files-fallback-relative",
    // Each reads every `proxy_pass` (or `proxy_set_header`) line, one cache miss each on the
    // whole model: at 50 MB 20 and 16.5 ms alone, on the lines other rules of the part have
    // just read.
    "proxy-ssl-sni-missing",
    "response-header-sent-upstream",
    "upload-body-limit",
];

/// A rule of [`BY_PART`] with checks of the whole model too: its parts run `part` (instead of
/// its `check`), then `then` runs once on the whole model, told whether the parts found
/// anything. The rule's `check` is the two in turn.
pub struct PartsThenWhole {
    pub id: &'static str,
    pub part: fn(&LintContext<'_>) -> Vec<Diagnostic>,
    pub then: fn(&LintContext<'_>, bool) -> Vec<Diagnostic>,
}

/// The rules of [`BY_PART`] that finish on the whole model.
pub const PARTS_THEN_WHOLE: &[PartsThenWhole] = &[PartsThenWhole {
    id: "invalid-parameter",
    part: invalid_parameter::check_part,
    then: invalid_parameter::check_after_parts,
}];

/// What the parts of `rule` (of [`BY_PART`]) run.
fn part_check(rule: &Rule) -> fn(&LintContext<'_>) -> Vec<Diagnostic> {
    PARTS_THEN_WHOLE
        .iter()
        .find(|p| p.id == rule.id)
        .map_or(rule.check, |p| p.part)
}

/// Consecutive node numbers per part for [`BY_PART`]: a part's directives, their nodes and
/// their text take about 1.5 MB on the generated configurations, and a core's L2 cache holds
/// 2 MB (parts of 32,768 nodes, 3 MB, cost the 50 MB configuration 11–15 ms more; of 4,096
/// and 8,192 about what these do).
pub const PART_NODES: u32 = 16 * 1024;

/// The smallest model run part by part: below it, the whole model stays in the caches.
const PARTS_FROM: usize = 4 * PART_NODES as usize;

/// The parts of `model` for [`BY_PART`] rules (none when it is small).
fn parts(model: &Model<'_>) -> Vec<std::ops::Range<NodeId>> {
    parts_of(model, PART_NODES, PARTS_FROM)
}

/// The node numbers of `model` in parts of `size`, if it has `from` nodes or more.
#[doc(hidden)]
pub fn parts_of(model: &Model<'_>, size: u32, from: usize) -> Vec<std::ops::Range<NodeId>> {
    let n = model.nodes.len();
    if n < from {
        return Vec::new();
    }
    let n = n as u32;
    (0..n.div_ceil(size))
        .map(|k| k * size..(k * size + size).min(n))
        .collect()
}

/// Per-run settings rules read (from the command line and, later, the config file).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Which locations stream.
    pub streaming: crate::semantics::streaming::Settings,
    /// `read-timeout-short`: the floor, in seconds.
    pub read_timeout_min_secs: u64,
    /// Severity per rule id, overriding the rule's default (config `rules: <id>: severity`).
    pub severities: std::collections::BTreeMap<String, Severity>,
    /// Third-party directive names to accept (config `known_directives`).
    pub known_directives: Vec<String>,
    /// How the user's nginx was built (`--modules auto`): directives of modules it lacks are
    /// unknown, as nginx says. `None`: every module is assumed present.
    pub nginx_build: Option<crate::semantics::modules::Build>,
    /// The target version is ngxlint's default, not one the user gave (a flag, the config,
    /// an nginx binary) or the project's images name: a fix that only that version accepts
    /// (`http2 on;`, nginx 1.25.1+) is unsafe then.
    pub version_assumed: bool,
    /// What says the configuration runs on Linux, where nginx has no `kqueue`, `eventport`
    /// or `/dev/poll` (a container image the project's files name, an nginx binary of this
    /// Linux machine); `None` where the platform is not known.
    pub linux_because: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            streaming: crate::semantics::streaming::Settings::default(),
            read_timeout_min_secs: 300,
            severities: std::collections::BTreeMap::new(),
            known_directives: Vec::new(),
            nginx_build: None,
            version_assumed: false,
            linux_because: None,
        }
    }
}

/// A place in a file, with a short text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: Text,
}

impl Label {
    pub fn new(file: FileId, span: Span, text: impl Into<Text>) -> Label {
        Label {
            file,
            span,
            text: text.into(),
        }
    }

    /// A label on node `id`'s head (name and arguments): "first defined here" and the like.
    pub fn at_node(model: &Model<'_>, id: NodeId, text: impl Into<Text>) -> Label {
        Label::new(
            model.file_of(id),
            model.node(id).directive.head_span(),
            text,
        )
    }

    /// Labels for the other places where one finding would have said the same again (a
    /// missing file included again, a template's placeholder used again): the first `most`,
    /// `text` each, the last of them counting the places not shown.
    pub fn repeats(places: &[(FileId, Span)], text: &str, most: usize) -> Vec<Option<Label>> {
        let shown = places.len().min(most);
        places[..shown]
            .iter()
            .enumerate()
            .map(|(i, &(file, span))| {
                let text = if i + 1 == shown && places.len() > shown {
                    format!("{text}, and {} more times", places.len() - shown)
                } else {
                    text.to_owned()
                };
                Some(Label::new(file, span, text))
            })
            .collect()
    }
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: Text,
    pub primary: Label,
    /// Other places that matter ("inherited from here", "first set here"). Most findings have
    /// one, held inline (no allocation); labels are added while a finding is built and never
    /// after, and a large run keeps tens of thousands of findings.
    pub secondary: Few<Label>,
    /// Shared between the findings that give the same advice (a [`Text`], like the others).
    pub help: Option<Text>,
    /// Boxed: most findings have none, and a large configuration has tens of thousands of
    /// findings (the unboxed `Fix` made every `Diagnostic` 48 bytes larger).
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, primary: Label, message: impl Into<Text>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            primary,
            secondary: Few::default(),
            help: None,
            fix: None,
        }
    }

    /// A diagnostic on node `id`'s head (name and arguments).
    pub fn at_node(
        rule: &'static Rule,
        model: &Model<'_>,
        id: NodeId,
        message: impl Into<Text>,
    ) -> Diagnostic {
        Diagnostic::new(rule, Label::at_node(model, id, ""), message)
    }

    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    /// Add a label, the list kept at its exact length (a first label is held inline).
    pub fn label(mut self, label: Label) -> Self {
        self.secondary = match std::mem::take(&mut self.secondary) {
            Few::Many(all) if all.is_empty() => Few::One(label),
            Few::One(first) => Few::Many(Box::new([first, label])),
            Few::Many(all) => {
                let mut all = all.into_vec();
                all.reserve_exact(1);
                all.push(label);
                Few::Many(all.into_boxed_slice())
            }
        };
        self
    }

    /// Add every label given (`None`s skipped: places that only exist for some origins).
    pub fn labels(mut self, labels: impl IntoIterator<Item = Option<Label>>) -> Self {
        for label in labels.into_iter().flatten() {
            self = self.label(label);
        }
        self
    }

    pub fn help(mut self, help: impl Into<Text>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }
}

/// Run every rule (or those `selected`) over the model; diagnostics sorted by file and position,
/// duplicates from files evaluated at several include sites removed.
pub fn run(cx: &LintContext<'_>, selected: &dyn Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    run_packed(cx, selected).into_diagnostics()
}

/// What [`run_packed`] found: each rule's findings, packed (see [`Packed`]).
pub struct Found {
    per_rule: Vec<Packed>,
    /// With `NGXLINT_TIMINGS` set: how long each rule took, in the order they ran. On a large
    /// configuration the streaming classification the streaming rules share is timed on its
    /// own, as `"(streaming classification)"` (the time of every thread that made part of
    /// it, summed, as the parts of a rule run by parts are); on a small one the first
    /// streaming rule's time includes it.
    pub timings: Vec<RuleTime>,
}

/// How long a rule's check took and how many findings it returned (`NGXLINT_TIMINGS`).
#[derive(Clone, Debug)]
pub struct RuleTime {
    pub rule: &'static str,
    pub took: std::time::Duration,
    /// How many `counted` it returned.
    pub count: usize,
    /// `"findings"`, or `"streaming locations"` for the classification.
    pub counted: &'static str,
}

impl Found {
    /// How many findings, before duplicates are removed.
    pub fn len(&self) -> usize {
        self.per_rule.iter().map(Packed::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each rule's findings as it returned them, rule after rule: no sorting, no duplicate
    /// removed (tests compare runs with these).
    #[doc(hidden)]
    pub fn into_unsorted(self) -> Vec<Diagnostic> {
        unpack_all(self.per_rule)
    }

    /// The findings, sorted by file and position, duplicates from files evaluated at several
    /// include sites removed (what [`run`] returns).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match merge_plain(self.per_rule) {
            Ok(merged) => finish_merged(merged),
            Err(per_rule) => finish_sorted(unpack_sorted(per_rule)),
        }
    }

    /// [`Found::into_diagnostics`], the findings of the first rules unpacked and sorted on a
    /// second thread while this one unpacks and sorts the rest, then the two merged (ties
    /// from the first: a stable sort of the whole, as the one thread gives it). From
    /// [`SPLIT_FROM`] findings, with a second thread to be had.
    pub fn into_diagnostics_in_halves(self) -> Vec<Diagnostic> {
        let total = self.len();
        if total < SPLIT_FROM || !crate::threads::more_than_one() {
            return self.into_diagnostics();
        }
        let mut per_rule = match merge_plain(self.per_rule) {
            Ok(merged) => return finish_merged(merged),
            Err(per_rule) => per_rule,
        };
        // The first rules' packs up to about half the findings, and the rest.
        let mut first = 0;
        let mut split = per_rule.len();
        for (i, p) in per_rule.iter().enumerate() {
            if first >= total / 2 {
                split = i;
                break;
            }
            first += p.len();
        }
        let second = per_rule.split_off(split);
        // The first half goes to the thread through this, so that it is still here to
        // unpack on this thread when no thread can be started (a process limit).
        let first_half = std::sync::Mutex::new(Some(per_rule));
        let take = || {
            first_half
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .unwrap_or_default()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = crate::threads::spawn_beside(s, || unpack_sorted(take()));
            let b = unpack_sorted(second);
            let a = match a {
                Ok(h) => h.join().expect("unpacking thread panicked"),
                Err(_) => unpack_sorted(take()),
            };
            (a, b)
        });
        finish_merged(merge_lists(vec![a, b]))
    }
}

/// The fewest findings [`Found::into_diagnostics_in_halves`] unpacks on two threads: a thread
/// costs tens of microseconds, unpacking and sorting a finding about a hundred nanoseconds.
const SPLIT_FROM: usize = 2048;

/// The most lists [`merge_plain`] merges (each finding is compared with the next one of every
/// other list).
const MERGE_WAYS: usize = 16;

/// The findings of `packs` sorted as [`unpack_sorted`] sorts them, when none of them is packed
/// and they come from at most [`MERGE_WAYS`] lists: each list sorted where it is (a rule
/// mostly finds in the order of the file, and a sorted list is only checked), then all merged
/// into one vector, duplicates dropped ([`merge_lists`], which also leaves out the empty
/// lists). Concatenating them first and sorting the whole moved every finding twice more,
/// into vectors of fresh pages: on the 1 MB configuration of `benches/compare.sh` (3,819
/// findings of two rules) the phase took 0.38 ms on two threads, 0.20 ms so. `Err` gives
/// `packs` back.
fn merge_plain(mut packs: Vec<Packed>) -> Result<Vec<Diagnostic>, Vec<Packed>> {
    let non_empty = packs.iter().filter(|p| !p.is_empty()).count();
    if non_empty > MERGE_WAYS || !packs.iter_mut().all(|p| p.as_plain().is_some()) {
        return Err(packs);
    }
    let mut lists: Vec<Vec<Diagnostic>> = packs
        .iter_mut()
        .filter_map(|p| p.as_plain().map(std::mem::take))
        .collect();
    for list in &mut lists {
        sort_findings(list);
    }
    Ok(merge_lists(lists))
}

/// Lists each sorted by [`finding_order`] merged into one, the earlier list's finding first
/// where two are equal (the stable sort of their concatenation), and a finding equal to the
/// one before it dropped as it comes: [`finish_sorted`]'s removal without a second pass over
/// the merged list (the 200,000 findings of the 50 MB generated configuration).
fn merge_lists(lists: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(lists.iter().map(Vec::len).sum());
    let push = |out: &mut Vec<Diagnostic>, d: Diagnostic| {
        if !out.last().is_some_and(|last| same_finding(&d, last)) {
            out.push(d);
        }
    };
    let mut heads: Vec<std::vec::IntoIter<Diagnostic>> = lists
        .into_iter()
        .filter(|l| !l.is_empty())
        .map(Vec::into_iter)
        .collect();
    while heads.len() > 1 {
        // The list whose next finding sorts first; of equal ones, the earliest list's.
        let mut best = 0;
        for i in 1..heads.len() {
            if let (Some(x), Some(y)) =
                (heads[i].as_slice().first(), heads[best].as_slice().first())
                && finding_order(x, y).is_lt()
            {
                best = i;
            }
        }
        if let Some(d) = heads[best].next() {
            push(&mut out, d);
        }
        if heads[best].as_slice().is_empty() {
            heads.remove(best);
        }
    }
    for d in heads.into_iter().flatten() {
        push(&mut out, d);
    }
    out
}

/// The findings of `packs`, in pack order, in one vector of exactly their number, each pack's
/// bytes freed once read.
fn unpack_all(packs: Vec<Packed>) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(packs.iter().map(Packed::len).sum());
    for packed in packs {
        packed.unpack(&mut out);
    }
    out
}

/// [`unpack_all`], sorted ([`sort_findings`]).
fn unpack_sorted(packs: Vec<Packed>) -> Vec<Diagnostic> {
    let mut out = unpack_all(packs);
    sort_findings(&mut out);
    out
}

/// Sorted findings, duplicates from files evaluated at several include sites removed.
fn finish_sorted(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    out.dedup_by(|a, b| same_finding(a, b));
    finish_merged(out)
}

/// [`finish_sorted`] for findings [`merge_lists`] gave (their duplicates already dropped).
fn finish_merged(mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    dedupe_why_labels(&mut out);
    out
}

/// The same finding twice (a file evaluated at several include sites gives its findings once
/// per site).
fn same_finding(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.rule.id == b.rule.id && a.primary == b.primary && a.message == b.message
}

/// [`run`], the findings kept packed: a caller that drops the model before it unpacks them
/// never holds the model and the full-size findings at once (the memory peak of a large run).
pub fn run_packed(cx: &LintContext<'_>, selected: &dyn Fn(&Rule) -> bool) -> Found {
    run_packed_in_parts(cx, selected, parts(cx.model))
}

/// [`run_packed`], with the rules of [`BY_PART`] run on `parts` (every node when empty):
/// tests check that any parts give the findings of the whole.
#[doc(hidden)]
pub fn run_packed_in_parts(
    cx: &LintContext<'_>,
    selected: &dyn Fn(&Rule) -> bool,
    parts: Vec<std::ops::Range<NodeId>>,
) -> Found {
    let syntax_broken = cx
        .model
        .program
        .files
        .iter()
        .any(|f| !f.syntax.errors.is_empty());
    // On a broken program, the directives a syntax error cut off before their `;` or `{`:
    // nginx runs a directive's checks only once it has read its end.
    let (unterminated, first_errors) = if syntax_broken {
        (
            crate::semantics::loadtime::unterminated_directives(cx.model),
            crate::semantics::loadtime::first_errors(cx.model),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let active: Vec<&'static Rule> = RULES
        .iter()
        .copied()
        .filter(|r| selected(r))
        // Like ruff: semantic rules are skipped while the tree itself is wrong; syntax and
        // include problems are what the user must see first.
        .filter(|r| {
            !syntax_broken
                || matches!(r.id, "syntax-error" | "include-not-found" | "include-cycle")
                || READ_TIME_CHECKS.contains(&r.id)
                || BLOCK_END_CHECKS.contains(&r.id)
        })
        .collect();
    // `NGXLINT_TIMINGS=1` also times each rule (ESLint's `TIMING=1`), for performance work.
    let timed = std::env::var_os("NGXLINT_TIMINGS").is_some();
    let times = std::sync::Mutex::new(Vec::new());
    let clock = || timed.then(std::time::Instant::now);
    // The time since `clock()` said `started` (nothing when untimed).
    let elapsed = |started: Option<std::time::Instant>| {
        started.map_or(std::time::Duration::ZERO, |t| t.elapsed())
    };
    let push_time = |rule: &'static str, took, count, counted| {
        let mut times = times
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        times.push(RuleTime {
            rule,
            took,
            count,
            counted,
        });
    };
    let record = |rule: &'static str, started: Option<std::time::Instant>, count, counted| {
        if timed {
            push_time(rule, elapsed(started), count, counted);
        }
    };
    // A rule's findings, kept as nginx would reach them, at the severity configured.
    let settle = |rule: &'static Rule, found: &mut Vec<Diagnostic>| {
        if syntax_broken {
            found.retain(|d| nginx_reaches(cx.model, rule.id, d, &unterminated, &first_errors));
        }
        if let Some(&sev) = cx.settings.severities.get(rule.id) {
            for d in found.iter_mut() {
                d.severity = sev;
            }
        }
        if cx.brief {
            for d in found {
                d.secondary = Few::default();
                d.help = None;
                d.fix = None;
            }
        }
    };
    // ... and packed.
    let finish = |rule: &'static Rule, mut found: Vec<Diagnostic>| {
        settle(rule, &mut found);
        Packed::pack(found)
    };
    // A rule of [`BY_PART`] on one part: its findings, packed where they were found (on a
    // rule thread, where packing them all after the threads were done kept one core busy and
    // the other idle), their number, and the check's time.
    let run_part = |i: usize, part_cx: &LintContext<'_>| {
        let started = clock();
        let mut found = part_check(active[i])(part_cx);
        let took = elapsed(started);
        let count = found.len();
        settle(active[i], &mut found);
        (Packed::pack_always(found), count, took)
    };
    // A rule of [`BY_PART`]: its parts' findings (in part order), their number and summed
    // time, then its checks of the whole model if it has some.
    let finish_by_part =
        |i: usize, mut packed: Vec<Packed>, mut count: usize, mut took: std::time::Duration| {
            if let Some(p) = PARTS_THEN_WHOLE.iter().find(|p| p.id == active[i].id) {
                let started = clock();
                let found = (p.then)(cx, count > 0);
                count += found.len();
                packed.push(finish(active[i], found));
                took += elapsed(started);
            }
            if timed {
                push_time(active[i].id, took, count, "findings");
            }
            packed
        };
    let run_one = |rule: &'static Rule| {
        let started = clock();
        let found = (rule.check)(cx);
        record(rule.id, started, found.len(), "findings");
        vec![finish(rule, found)]
    };
    // The rules run part by part, and the context of each part.
    let by_part: Vec<usize> = if parts.is_empty() {
        Vec::new()
    } else {
        (0..active.len())
            .filter(|&i| BY_PART.contains(&active[i].id))
            .collect()
    };
    let part_cx = |part: &std::ops::Range<NodeId>| LintContext {
        model: cx.model,
        version: cx.version,
        settings: cx.settings,
        part: Some(part.clone()),
        brief: cx.brief,
    };
    // Rules only read the model, so they run in parallel on large configurations (a few
    // thousand directives and up); below that, threads cost more than they save.
    let threads = crate::threads::available();
    let per_rule: Vec<Option<Vec<Packed>>> = if threads > 1 && cx.model.nodes.len() > 2000 {
        // Each thread takes the next rule not yet taken (rule costs differ by 10×: a fixed
        // split left one thread with 30 % more work), and the findings are put back in rule
        // order, so the output does not depend on which thread ran what.
        //
        // The streaming rules share one classification of every location, computed once (the
        // costliest single piece of work). Taken in registry order, the first streaming rule
        // computed it while the second waited for it on the other thread; so the queue starts
        // with that classification as a task of its own. Then the costliest rules first (see
        // [`queue_order`]), so that no thread starts a long rule while the other runs out
        // of work; on a large configuration, the parts the rules of [`BY_PART`] run on, and
        // the cheapest rules last ([`tasks`]).
        let warm_streaming = active.iter().any(|r| r.category == Category::Streaming);
        if warm_streaming {
            crate::semantics::streaming::share_classification(cx.model, threads);
        }
        let tasks = tasks(&active, &by_part, parts.len());
        let next = std::sync::atomic::AtomicUsize::new(0);
        // The threads' time in the classification, summed (nanoseconds; when timed).
        let classifying = std::sync::atomic::AtomicU64::new(0);
        // This thread takes tasks too, beside `threads - 1` helpers.
        let work = || {
            let mut mine = Vec::new();
            if warm_streaming {
                // Every thread starts with chunks of the classification, until none is left.
                let started = clock();
                crate::semantics::streaming::help_classify(cx.model, &cx.settings.streaming);
                let took = elapsed(started).as_nanos() as u64;
                classifying.fetch_add(took, std::sync::atomic::Ordering::Relaxed);
            }
            loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                match tasks.get(k) {
                    Some(&Task::Rule(i)) => {
                        mine.push(Done::Rule(i, run_one(active[i])));
                    }
                    Some(&Task::Part(p)) => {
                        let part_cx = part_cx(&parts[p]);
                        for &i in &by_part {
                            let (packed, count, took) = run_part(i, &part_cx);
                            mine.push(Done::Part(p, i, packed, count, took));
                        }
                    }
                    None => return mine,
                }
            }
        };
        let done: Vec<Done> = std::thread::scope(|s| {
            let helpers: Vec<_> = (1..threads)
                .filter_map(|_| crate::threads::spawn_beside(s, work).ok())
                .collect();
            // No thread to be had (a process limit): this one takes every task.
            let mut done = work();
            for h in helpers {
                done.extend(h.join().expect("rule thread panicked"));
            }
            done
        });
        if timed && warm_streaming {
            push_time(
                "(streaming classification)",
                std::time::Duration::from_nanos(classifying.into_inner()),
                crate::semantics::streaming::streaming_locations_ref(
                    cx.model,
                    &cx.settings.streaming,
                )
                .len(),
                "streaming locations",
            );
        }
        // Each rule's findings in rule order; a rule run by parts has the findings of its
        // parts in part order, timed as the sum of its parts.
        let mut per_rule: Vec<Option<Vec<Packed>>> = (0..active.len()).map(|_| None).collect();
        let mut by_parts: Vec<(usize, usize, Packed, usize, std::time::Duration)> = Vec::new();
        for d in done {
            match d {
                Done::Rule(i, packed) => per_rule[i] = Some(packed),
                Done::Part(part, i, packed, count, took) => {
                    by_parts.push((i, part, packed, count, took));
                }
            }
        }
        by_parts.sort_unstable_by_key(|&(i, part, ..)| (i, part));
        let mut by_parts = by_parts.into_iter().peekable();
        while let Some((i, _, packed, count, took)) = by_parts.next() {
            let (mut all, mut count, mut took) = (vec![packed], count, took);
            while let Some((_, _, packed, more, also)) = by_parts.next_if(|p| p.0 == i) {
                all.push(packed);
                count += more;
                took += also;
            }
            per_rule[i] = Some(finish_by_part(i, all, count, took));
        }
        per_rule
    } else {
        // One thread: the rules of the whole model, then each part with every rule of
        // [`BY_PART`] in turn (parts first, for the cache).
        let mut per_rule: Vec<Option<Vec<Packed>>> = (0..active.len())
            .map(|i| (!by_part.contains(&i)).then(|| run_one(active[i])))
            .collect();
        let mut packed: Vec<Vec<Packed>> = (0..by_part.len()).map(|_| Vec::new()).collect();
        let mut count = vec![0; by_part.len()];
        let mut took = vec![std::time::Duration::ZERO; by_part.len()];
        for part in &parts {
            let part_cx = part_cx(part);
            for (k, &i) in by_part.iter().enumerate() {
                let (p, n, t) = run_part(i, &part_cx);
                packed[k].push(p);
                count[k] += n;
                took[k] += t;
            }
        }
        for (k, &i) in by_part.iter().enumerate() {
            let all = std::mem::take(&mut packed[k]);
            per_rule[i] = Some(finish_by_part(i, all, count[k], took[k]));
        }
        per_rule
    };
    // A rule's findings may be in several packs (one per part): in rule order, then part order.
    let per_rule = per_rule
        .into_iter()
        .flat_map(|p| p.expect("every rule ran"))
        .collect();
    Found {
        per_rule,
        timings: times
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    }
}

/// A task a rule thread finished: a rule run on the whole model (its findings packed), or a
/// rule of [`BY_PART`] run on one part (part number, rule, findings packed, their number,
/// time when timed).
enum Done {
    Rule(usize, Vec<Packed>),
    Part(usize, usize, Packed, usize, std::time::Duration),
}

/// The costliest rules' own work, in tenths of a million instructions on the 1 MB generated
/// configuration of `benches/compare.sh` (callgrind's inclusive count of each rule's check,
/// `check --format concise`, release build; measured once, for #13's sixth round), costliest
/// first. Rules not listed took less than 0.5 M. A table, not a clock read at run time: the
/// order of the queue, and so the output, never depends on the machine.
const RULE_COSTS: &[(&str, u32)] = &[
    ("inherited-headers-dropped", 196),
    ("read-timeout-short", 110),
    ("undefined-variable", 79),
    ("invalid-arguments", 61),
    ("header-injection", 57),
    ("upstream-keepalive-connection", 55),
    ("websocket-upgrade-missing", 46),
    ("invalid-parameter", 38),
    ("invalid-address", 36),
    ("invalid-variable", 32),
    ("duplicate-variable", 26),
    ("server-names-hash", 22),
    ("duplicate-listen", 22),
    ("unknown-directive", 22),
    ("regex-capture-invalid", 19),
    ("proxy-header-repeated", 17),
    ("duplicate-location", 16),
    ("duplicate-directive", 14),
    ("invalid-regex", 14),
    ("upstream-with-port", 13),
    ("proxy-pass-uri-forbidden", 13),
    ("duplicate-zone", 12),
    ("invalid-server-name", 11),
    ("forwarded-proto-missing", 11),
    ("upstream-resolve", 9),
    ("syntax-error", 9),
    ("upgrade-header-literal", 8),
    ("location-unreachable", 8),
    ("duplicate-upstream", 8),
    ("upstream-no-servers", 6),
    ("invalid-root-alias", 6),
];

/// Rules that build a large table of the whole model for a short while (a map of every
/// location: 3.2 MB at 10 MB of configuration): they run first, while the findings of the
/// costly rules do not exist yet, so that the two never add up to the run's peak memory.
const SCRATCH_FIRST: &[&str] = &["duplicate-location"];

/// The order the rule threads take `active`'s rules in (indices into it): [`SCRATCH_FIRST`],
/// then every other rule costliest first by [`RULE_COSTS`] (the longest-first rule of
/// scheduling: the last rules to start are short, so the threads finish together), the rules
/// not listed in registry order. The rules of `by_part` run in the parts' tasks, not here.
/// No rule waits for the streaming classification: the threads make it together before they
/// take a rule ([`crate::semantics::streaming::share_classification`]). Until stop 47 one
/// thread made it while the other ran rules that did not need it, and at 50 MB those ran out
/// a quarter of a second before it was done (issue #13).
fn queue_order(active: &[&'static Rule], by_part: &[usize]) -> Vec<usize> {
    let cost = |i: usize| rule_cost(active[i].id);
    let mut queue = Vec::with_capacity(active.len());
    queue.extend(
        SCRATCH_FIRST
            .iter()
            .filter_map(|id| active.iter().position(|r| r.id == *id))
            .filter(|i| !by_part.contains(i)),
    );
    let mut rest: Vec<usize> = (0..active.len())
        .filter(|i| !queue.contains(i) && !by_part.contains(i))
        .collect();
    // Stable: equal costs keep registry order.
    rest.sort_by_key(|&i| std::cmp::Reverse(cost(i)));
    queue.extend(rest);
    queue
}

/// A task of the rule threads: a rule of the whole model (an index into the active rules), or
/// every rule of [`BY_PART`] on one part (an index into the parts).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Task {
    Rule(usize),
    Part(usize),
}

/// The rule threads' tasks in the order they take them: the rules of the whole model in
/// [`queue_order`] (those of `by_part` run in the parts), then the `parts`. A part is not a short
/// task on a large configuration (it runs every rule of [`BY_PART`]: 2 to 4 ms at 10 and
/// 50 MB), so the rules too cheap to be listed in [`RULE_COSTS`] come after the parts, and
/// the threads finish on those: 10 MB median 105.9 -> 102.0 ms (101 alternating runs), the
/// two threads' ends 3 ms apart before.
fn tasks(active: &[&'static Rule], by_part: &[usize], parts: usize) -> Vec<Task> {
    let (listed, cheap): (Vec<usize>, Vec<usize>) = queue_order(active, by_part)
        .into_iter()
        .partition(|&i| parts == 0 || rule_cost(active[i].id) > 0);
    let rules = |list: Vec<usize>| list.into_iter().map(Task::Rule);
    rules(listed)
        .chain((0..parts).map(Task::Part))
        .chain(rules(cheap))
        .collect()
}

/// A rule's cost in [`RULE_COSTS`] (0 for the rules not listed).
fn rule_cost(id: &str) -> u32 {
    RULE_COSTS
        .iter()
        .find(|(r, _)| *r == id)
        .map_or(0, |&(_, c)| c)
}

/// A finding's labels or a fix's edits: one held inline (the common case: no allocation of
/// its own), any other number in a boxed slice. Reads as a slice; equal contents compare and
/// hash alike.
#[derive(Clone)]
pub enum Few<T> {
    One(T),
    Many(Box<[T]>),
}

impl<T> Default for Few<T> {
    fn default() -> Self {
        Few::Many(Box::default())
    }
}

impl<T> Few<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Few::One(t) => vec![t],
            Few::Many(all) => all.into_vec(),
        }
    }
}

impl<T> From<Vec<T>> for Few<T> {
    fn from(mut all: Vec<T>) -> Self {
        if all.len() == 1
            && let Some(one) = all.pop()
        {
            return Few::One(one);
        }
        Few::Many(all.into_boxed_slice())
    }
}

impl<T> std::ops::Deref for Few<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Few::One(t) => std::slice::from_ref(t),
            Few::Many(all) => all,
        }
    }
}

impl<'a, T> IntoIterator for &'a Few<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: PartialEq> PartialEq for Few<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for Few<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Few<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

/// Like the list it holds (debug output stays that of a `Vec`).
impl<T: std::fmt::Debug> std::fmt::Debug for Few<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Interned texts of one thread, by content. Each thread keeps its own table (the rules run on
/// several threads; one locked table made them wait for each other), so a text may exist once
/// per thread; the tables go with their threads, and the texts handed out live as long as a
/// finding holds them. Seeded hasher: the texts quote the configuration.
/// The table is emptied when it reaches [`SHARED_TEXTS`] entries, so texts that differ per
/// finding cannot grow it without bound; texts already handed out stay valid.
type TextTable = foldhash::HashSet<Text>;

/// The [`Text`] holding `text`, made by `make` the first time.
fn finding_text(text: &str, make: impl FnOnce() -> Box<str>) -> Text {
    // Most labels on a directive's head have no text: no hashing for those.
    static EMPTY: std::sync::OnceLock<Text> = std::sync::OnceLock::new();
    if text.is_empty() {
        return EMPTY.get_or_init(|| Text(Arc::new(Box::from("")))).clone();
    }
    thread_local! {
        static TEXTS: RefCell<TextTable> = RefCell::default();
    }
    TEXTS.with_borrow_mut(|texts| {
        if let Some(t) = texts.get(text) {
            return t.clone();
        }
        if texts.len() >= SHARED_TEXTS {
            texts.clear();
        }
        let t = Text(Arc::new(make()));
        texts.insert(t.clone());
        t
    })
}

/// A finding's text (message, label, help, fix title, edit): one copy for the findings that say the
/// same thing. A large configuration has tens of thousands of findings, nearly all repeating a
/// few texts (37,920 findings on the 10 MB generated configuration, 3 distinct messages); each
/// its own `String` was half of the memory the findings took.
///
/// Reads like a `&str` (it derefs to one, compares with `str`/`&str`/`String`, prints as one).
/// One pointer wide (an `Arc<str>` is two): a finding holds five or more of them, and the
/// extra indirection is paid once per distinct text, not per finding.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<Box<str>>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from("")
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        finding_text(text, || Box::from(text))
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::from(text.as_str())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        finding_text(&text, || Box::from(text.as_str()))
    }
}

impl From<std::borrow::Cow<'_, str>> for Text {
    fn from(text: std::borrow::Cow<'_, str>) -> Text {
        Text::from(&*text)
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Text {
        Text::from(&*text)
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.as_str().to_owned()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.as_str(), f)
    }
}

/// Like a `String`'s (debug output and snapshots stay the same).
impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

/// Most distinct texts a thread's table of [`Text`]s keeps.
const SHARED_TEXTS: usize = 4096;

/// The order of the report: by file, position, rule and message.
fn finding_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    let key = |d: &Diagnostic| (d.primary.file, d.primary.span.start, d.rule.id);
    (key(a), &a.message).cmp(&(key(b), &b.message))
}

/// Sort findings by (file, offset, rule, message), stably: an order of indices is sorted and
/// applied in place, where sorting the findings themselves needed a scratch copy of half of
/// them (a diagnostic is ~180 bytes; an index is 4).
fn sort_findings(out: &mut [Diagnostic]) {
    if out.is_sorted_by(|a, b| finding_order(a, b).is_le()) {
        return;
    }
    let mut order: Vec<u32> = (0..out.len() as u32).collect();
    order.sort_by(|&a, &b| finding_order(&out[a as usize], &out[b as usize]));
    // Position i receives the finding at order[i]: follow each cycle of the permutation,
    // marking the positions done.
    for start in 0..out.len() {
        let mut at = start;
        while order[at] != u32::MAX {
            let from = order[at] as usize;
            order[at] = u32::MAX;
            if from == start {
                break;
            }
            out.swap(at, from);
            at = from;
        }
    }
}

/// When a rule's findings do not all carry its default severity: which severity when, and
/// why (`ngxlint rules` and the README show it).
pub fn severity_varies(id: &str) -> Option<&'static str> {
    Some(match id {
        "buffering-on-streaming" => {
            "error when the stall is certain (HTTP/1.0 to the upstream, gzip, a cache, SSI or \
             sub_filter hold the body); nothing for a proxied HTTP/1.1 upstream (chunked, it \
             streams); info for FastCGI/uwsgi/SCGI, or when an unreadable include may turn \
             buffering off"
        }
        "read-timeout-short" => {
            "warning for inference endpoints whose first token can take minutes; info for \
             streams whose heartbeat is unknown; nothing when the app is known to send data \
             within half the timeout"
        }
        "websocket-upgrade-missing" => {
            "error; warning when the WebSocket is a guess (a default port, a version-dependent \
             endpoint); info when an unreadable include may set the headers"
        }
        "ssl-ecdh-curve" => {
            "warning for a group the linked OpenSSL may lack; info for the `?` prefix, which \
             newer OpenSSL reads and OpenSSL 3.0 refuses"
        }
        "useless-timeout" => {
            "info; warning for a raised keepalive_timeout (it holds idle connections) and for a \
             setting that never applies"
        }
        "origin-regex-unanchored" => {
            "warning; error for an unchecked `$http_origin` echoed with \
             `Access-Control-Allow-Credentials: true`"
        }
        "proxy-pass-normalized" => {
            "warning for a decoded path sent unescaped and for a location without the URI's \
             trailing slash; info for a raw path escaped twice and for a URI without the \
             location's trailing slash"
        }
        _ => return None,
    })
}

/// Text that starts the label saying why a location streams; kept on the first finding of a
/// location only, so the reason is read once. Only streaming rules give one (a test checks
/// every finding of the fixtures and the corpus).
pub const WHY_PREFIX: &str = "why it streams: ";

/// Keep each location's "why it streams" label on its first finding only.
fn dedupe_why_labels(out: &mut [Diagnostic]) {
    let mut seen = foldhash::HashSet::default();
    // The places of the labels this finding is the first to give.
    let mut first = Vec::new();
    let why = |l: &Label| l.text.starts_with(WHY_PREFIX);
    for d in out {
        // The other rules' labels are not read (a cache miss per finding at each label's
        // text: 5 ms of the 200,000 findings of the 50 MB generated configuration).
        if d.rule.category != Category::Streaming {
            continue;
        }
        first.clear();
        let mut repeated = false;
        for l in d.secondary.iter().filter(|l| why(l)) {
            let place = (l.file, l.span.start);
            if seen.insert(place) {
                first.push(place);
            } else {
                repeated = true;
            }
        }
        // The labels are taken apart and re-boxed only when one goes (most findings are
        // their location's first: at 50 MB, 63,000 lists were re-boxed unchanged).
        if !repeated {
            continue;
        }
        let mut labels = std::mem::take(&mut d.secondary).into_vec();
        labels.retain(|l| {
            if !why(l) {
                return true;
            }
            // Kept where this finding gave the place first (once, as a set insert would).
            let place = (l.file, l.span.start);
            first
                .iter()
                .position(|p| *p == place)
                .map(|i| first.swap_remove(i))
                .is_some()
        });
        d.secondary = labels.into();
    }
}

/// Load-time checks nginx makes as it reads the directive (`location` nesting, regexes, `if`
/// conditions, `listen`...): on a file with a syntax error, nginx still makes them for what it
/// read before the error.
const READ_TIME_CHECKS: &[&str] = &[
    "access-log-buffer",
    "balancer-redefined",
    "duplicate-cache-path",
    "duplicate-listen",
    "duplicate-load-module",
    "duplicate-log-format",
    "duplicate-map-key",
    "duplicate-referer",
    "duplicate-upstream",
    "duplicate-variable",
    "duplicate-zone",
    "incompatible-settings",
    "invalid-cpu-affinity",
    "invalid-arguments",
    "invalid-context",
    "invalid-geo",
    "invalid-if-condition",
    "invalid-listen",
    "invalid-log-level",
    "invalid-regex",
    "invalid-resolver",
    "invalid-root-alias",
    "invalid-server-name",
    "invalid-split-clients",
    "invalid-sticky",
    "invalid-syslog",
    "listen-missing",
    "load-module-too-late",
    "location-outside-parent",
    "map-hash",
    "proxy-pass-uri-forbidden",
    "proxy-redirect-default",
    "unknown-directive",
    "unknown-log-format",
    "upstream-with-port",
    "value-out-of-range",
];

/// Load-time checks nginx makes when the `http` (or `stream`) block closes: on a file with a
/// syntax error, nginx makes them if that block closed before the error.
const BLOCK_END_CHECKS: &[&str] = &[
    "charset-map",
    "duplicate-location",
    "mail-server-incomplete",
    "no-port-in-upstream",
    "secure-link-mixed",
    "server-names-hash",
    "ssl-certificate-missing",
    "upstream-no-servers",
    "upstream-resolve",
];

/// On a program with a syntax error: would nginx have made rule `id`'s check for `d` before
/// stopping at the first syntax error?
fn nginx_reaches(
    model: &Model<'_>,
    id: &str,
    d: &Diagnostic,
    unterminated: &[(crate::semantics::include::FileId, crate::syntax::Span)],
    first_errors: &[Option<u32>],
) -> bool {
    use crate::semantics::loadtime::{read_before_syntax_error, top_level_block};
    if READ_TIME_CHECKS.contains(&id) {
        // An error at the finding's own end counts: a `{` with no name before it (template
        // markup, `{% block %}`) is the error, not an unknown directive "".
        read_before_syntax_error(model, first_errors, d.primary.file, d.primary.span.end + 1)
            // A directive the error cut off before its `;` or `{` was never handed to its
            // checks (`...` right before an unexpected `}`, held-out batch 112).
            && !unterminated.iter().any(|&(file, span)| {
                file == d.primary.file
                    && span.start <= d.primary.span.start
                    && d.primary.span.end <= span.end
            })
    } else if BLOCK_END_CHECKS.contains(&id) {
        top_level_block(model, d.primary.file, d.primary.span).is_some_and(|b| {
            let n = model.node(b);
            let src = &model.program.file(model.file_of(b)).src;
            // An unclosed block never closes: nginx stops at end of file first.
            let end = n.directive.span().end;
            let closed = src.get(end as usize - 1) == Some(&b'}');
            closed && read_before_syntax_error(model, first_errors, model.file_of(b), end)
        })
    } else {
        true
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod sort_tests {
    use super::*;

    /// A large configuration has tens of thousands of findings, and the runner holds them in
    /// one vector: the fix stays boxed (an unboxed `Fix` made a finding 176 bytes), a single
    /// label or edit is held inline (no allocation of its own), several in a boxed slice. A
    /// finding with one label and a one-edit fix: 88 + 40 = 128 bytes in two allocations
    /// (176 in four with vectors).
    #[test]
    fn a_finding_stays_small() {
        use std::mem::size_of;
        assert_eq!(size_of::<Diagnostic>(), 88);
        assert_eq!(size_of::<Label>(), 24);
        assert_eq!(size_of::<Few<Label>>(), 24);
        assert_eq!(size_of::<Fix>(), 40);
        assert_eq!(size_of::<crate::fix::Edit>(), 24);
        let one = Diagnostic::new(RULES[0], Label::new(0, Span::empty(0), ""), "m")
            .label(Label::new(0, Span::empty(1), "a"));
        assert!(matches!(one.secondary, Few::One(_)));
        let two = one.label(Label::new(0, Span::empty(2), "b"));
        assert!(matches!(&two.secondary, Few::Many(all) if all.len() == 2));
        let fix = Fix::safe("t", vec![crate::fix::Edit::insert(0, 0, "x;")]);
        assert!(matches!(fix.edits, Few::One(_)));
        // Equal contents are equal, whichever way they are held.
        let edit = crate::fix::Edit::insert(0, 0, "x;");
        assert_eq!(Few::One(edit.clone()), Few::Many(Box::new([edit])));
    }

    /// A finding holds the labels it has (a boxed slice: no room for more).
    #[test]
    fn labels_are_stored_at_their_size() {
        let at = |n| Label::new(0, Span::new(n, n + 1), "here");
        let one = Diagnostic::new(RULES[0], at(0), "m").label(at(1));
        assert_eq!(one.secondary.len(), 1);
        let two = Diagnostic::new(RULES[0], at(0), "m").labels([Some(at(1)), None, Some(at(2))]);
        assert_eq!(two.secondary.len(), 2);
        assert_eq!(two.secondary[1].span, Span::new(2, 3));
        let many = (1..10).fold(Diagnostic::new(RULES[0], at(0), "m"), |d, n| d.label(at(n)));
        assert_eq!(many.secondary.len(), 9);
    }

    #[test]
    fn equal_help_texts_are_shared() {
        let a = Text::from("repeat the inherited lines here".to_owned());
        let b = Text::from(String::from("repeat the inherited lines here"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(&*a, "repeat the inherited lines here");
        let d = Diagnostic::new(RULES[0], Label::new(0, Span::empty(0), ""), "m")
            .help("repeat the inherited lines here");
        assert!(Arc::ptr_eq(&d.help.expect("help").0, &a.0));
        // Past the bound the table starts over; what was handed out stays intact.
        for i in 0..SHARED_TEXTS + 10 {
            let _ = Text::from(format!("text {i}"));
        }
        assert_eq!(&*a, "repeat the inherited lines here");
    }

    #[test]
    fn equal_texts_are_one_copy_and_read_like_strings() {
        let message = format!("`location {}` sets proxy_set_header", "/v1");
        let a = Text::from(message.as_str());
        let b = Text::from(message.clone());
        let c = Text::from(&message);
        assert!(Arc::ptr_eq(&a.0, &b.0) && Arc::ptr_eq(&a.0, &c.0));
        assert!(!Arc::ptr_eq(&a.0, &Text::from("other").0));
        assert!(Arc::ptr_eq(&Text::from("").0, &Text::default().0));
        // Same comparisons, order, display and debug output as the `String` it replaced.
        assert_eq!(a, message.as_str());
        assert_eq!(a, message);
        assert_eq!(message.as_str(), a);
        let (first, second) = (Text::from("a"), Text::from("b"));
        assert!(first < second);
        assert_eq!(a.to_string(), message);
        assert_eq!(format!("{a:?}"), format!("{message:?}"));
        assert_eq!(a.len(), message.len());
        // Labels, fix titles and edits share them too.
        let label = Label::new(0, Span::empty(0), message.as_str());
        assert!(Arc::ptr_eq(&label.text.0, &a.0));
        let fix = Fix::safe(message.as_str(), vec![crate::fix::Edit::insert(0, 0, "x;")]);
        assert!(Arc::ptr_eq(&fix.title.0, &a.0));
        assert!(Arc::ptr_eq(&fix.edits[0].text.0, &Text::from("x;").0));
    }

    /// Every rule of the cost table exists and the table is costliest first; the queue holds
    /// each rule once: the scratch-heavy rules, then the others costliest first, streaming
    /// or not, the unlisted ones in registry order.
    #[test]
    fn the_queue_takes_the_costliest_rules_first() {
        for (id, _) in RULE_COSTS {
            assert!(rule_by_id(id).is_some(), "{id}");
        }
        assert!(RULE_COSTS.windows(2).all(|w| w[0].1 >= w[1].1));
        let queue = queue_order(RULES, &[]);
        let mut sorted = queue.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..RULES.len()).collect::<Vec<_>>());
        let ids: Vec<&str> = queue.iter().map(|&i| RULES[i].id).collect();
        assert_eq!(
            &ids[..4],
            [
                "duplicate-location",
                "inherited-headers-dropped",
                "read-timeout-short",
                "undefined-variable",
            ]
        );
        let cost = |id: &&str| rule_cost(id);
        assert!(
            ids[1..].windows(2).all(|w| cost(&w[0]) >= cost(&w[1])),
            "{ids:?}"
        );
        let unlisted: Vec<&&str> = ids[1..].iter().filter(|id| cost(id) == 0).collect();
        assert!(unlisted.is_sorted(), "{unlisted:?}");
    }

    /// The rules run in the parts are not queued, and the others keep their order.
    #[test]
    fn rules_run_in_parts_are_not_queued() {
        let skip: Vec<usize> = ["inherited-headers-dropped", "undefined-variable"]
            .iter()
            .map(|id| RULES.iter().position(|r| r.id == *id).expect("a rule"))
            .collect();
        let queue = queue_order(RULES, &skip);
        assert!(queue.iter().all(|i| !skip.contains(i)));
        let whole: Vec<usize> = queue_order(RULES, &[])
            .into_iter()
            .filter(|i| !skip.contains(i))
            .collect();
        assert_eq!(queue, whole);
    }

    /// Without a streaming rule selected, no rule waits for the classification: the queue
    /// is the scratch-heavy rules, then the others costliest first.
    #[test]
    fn without_streaming_rules_the_queue_is_by_cost() {
        let active: Vec<&'static Rule> = RULES
            .iter()
            .copied()
            .filter(|r| r.category != Category::Streaming)
            .collect();
        let ids: Vec<&str> = queue_order(&active, &[])
            .iter()
            .map(|&i| active[i].id)
            .collect();
        assert_eq!(ids[0], "duplicate-location");
        assert!(
            ids[1..]
                .windows(2)
                .all(|w| rule_cost(w[0]) >= rule_cost(w[1]))
        );
    }

    /// With parts, the rules of the whole model listed in [`RULE_COSTS`] run before them and
    /// the others after, each group in the queue's order; without parts, all in the queue's
    /// order. No rule of [`BY_PART`] is among them, and none is lost.
    #[test]
    fn unlisted_rules_run_after_the_parts() {
        let by_part: Vec<usize> = (0..RULES.len())
            .filter(|&i| BY_PART.contains(&RULES[i].id))
            .collect();
        let queue = queue_order(RULES, &by_part);
        assert!(queue.iter().all(|i| !by_part.contains(i)));
        let rules = |tasks: &[Task]| -> Vec<usize> {
            tasks
                .iter()
                .filter_map(|t| match t {
                    Task::Rule(i) => Some(*i),
                    Task::Part(_) => None,
                })
                .collect()
        };
        assert_eq!(rules(&tasks(RULES, &by_part, 0)), queue);
        assert_eq!(tasks(RULES, &by_part, 0).len(), queue.len());
        let with_parts = tasks(RULES, &by_part, 3);
        let first_part = with_parts.iter().position(|t| *t == Task::Part(0)).unwrap();
        assert_eq!(
            with_parts[first_part..first_part + 3],
            [Task::Part(0), Task::Part(1), Task::Part(2)]
        );
        let before = rules(&with_parts[..first_part]);
        let after = rules(&with_parts[first_part + 3..]);
        assert_eq!(before.len() + after.len() + 3, with_parts.len());
        assert!(before.iter().all(|&i| rule_cost(RULES[i].id) > 0));
        assert!(!after.is_empty() && after.iter().all(|&i| rule_cost(RULES[i].id) == 0));
        let place = |i: &usize| queue.iter().position(|q| q == i).unwrap();
        assert!(before.iter().map(place).is_sorted());
        assert!(after.iter().map(place).is_sorted());
        let mut all: Vec<usize> = before.iter().chain(&after).copied().collect();
        all.sort_unstable();
        let mut expected = queue;
        expected.sort_unstable();
        assert_eq!(all, expected);
    }

    /// Each finding as rule, offset, message and primary label text, for comparing lists.
    fn show(v: &[Diagnostic]) -> Vec<String> {
        v.iter()
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    d.rule.id, d.primary.span.start, d.message, d.primary.text
                )
            })
            .collect()
    }

    /// Unpacked and sorted in two halves and merged, the findings are those of one thread, in
    /// the same order, duplicates dropped alike: equal keys in both halves (the same rule,
    /// place and message, labels telling them apart), exact duplicates, packs of every size.
    #[test]
    fn findings_unpacked_in_halves_are_those_of_one_thread() {
        let findings = || {
            let mut x = 11u32;
            (0..3 * SPLIT_FROM as u32)
                .map(|i| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    let rule = RULES[(x >> 8) as usize % 3];
                    let start = (x >> 12) % 60;
                    let message = format!("m{}", (x >> 20) % 2);
                    // One in eight repeats its neighbour's label: an exact duplicate.
                    let text = if (x >> 26).is_multiple_of(8) {
                        i - i % 2
                    } else {
                        i
                    };
                    let label = Label::new(0, Span::new(start, start + 1), format!("{text}"));
                    Diagnostic::new(rule, label, message)
                })
                .collect::<Vec<_>>()
        };
        // Packs of uneven sizes, some kept as they are, some packed.
        let found = || {
            let mut all = findings();
            let mut per_rule = Vec::new();
            for size in [700, 3, 1500, 1, 2200, 40].into_iter().cycle() {
                if all.is_empty() {
                    break;
                }
                let rest = all.split_off(size.min(all.len()));
                per_rule.push(if size % 2 == 0 {
                    Packed::pack_always(all)
                } else {
                    Packed::pack(all)
                });
                all = rest;
            }
            Found {
                per_rule,
                timings: Vec::new(),
            }
        };
        let one = found().into_diagnostics();
        let halves = found().into_diagnostics_in_halves();
        assert!(one.len() < 3 * SPLIT_FROM && one.len() > 2 * SPLIT_FROM);
        assert_eq!(show(&halves), show(&one));
    }

    /// Lists kept as they are (none packed) merged give exactly what sorting their
    /// concatenation and dropping duplicates gives: ties across lists (same file, offset, rule
    /// and message) from the earlier list, duplicates within a list and across lists dropped,
    /// lists that came unsorted sorted first; too many lists are given back.
    #[test]
    fn merging_plain_lists_is_the_stable_sort_of_all() {
        let mut x = 11u32;
        let mut next = || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            x >> 8
        };
        let mut dropped = 0;
        for ways in [1, 2, 3, 7, MERGE_WAYS] {
            let mut lists = Vec::new();
            for w in 0..ways {
                let len = (next() % 300) as usize;
                let mut list: Vec<Diagnostic> = (0..len)
                    .map(|i| {
                        let rule = RULES[next() as usize % 2];
                        let start = next() % 60;
                        let message = format!("m{}", next() % 2);
                        // One in eight the same text as others: a duplicate where rule,
                        // place and message agree too.
                        let text = if next() % 8 == 0 {
                            "dup".to_owned()
                        } else {
                            format!("{w}.{i}")
                        };
                        let label = Label::new(next() % 2, Span::new(start, start + 1), text);
                        Diagnostic::new(rule, label, message)
                    })
                    .collect();
                // Most lists in order, as rules find; every third one not.
                if w % 3 != 2 {
                    sort_findings(&mut list);
                }
                lists.push(list);
            }
            let packs = || lists.iter().cloned().map(Packed::pack).collect::<Vec<_>>();
            let expected = finish_sorted(unpack_sorted(packs()));
            let merged =
                finish_merged(merge_plain(packs()).unwrap_or_else(|_| panic!("{ways} lists")));
            assert_eq!(show(&merged), show(&expected), "{ways} lists");
            dropped += lists.iter().map(Vec::len).sum::<usize>() - merged.len();
        }
        assert!(dropped > 0, "the test gives duplicates to drop");
        let many: Vec<Packed> = (0..=MERGE_WAYS)
            .map(|i| {
                let label = Label::new(0, Span::new(0, 1), "x");
                Packed::pack(vec![Diagnostic::new(RULES[0], label, format!("{i}"))])
            })
            .collect();
        let Err(back) = merge_plain(many) else {
            panic!("too many lists to merge")
        };
        assert_eq!(back.len(), MERGE_WAYS + 1);
        assert!(back.iter().all(|p| p.len() == 1));
    }

    /// Each place's "why it streams" label stays on its first finding only, as removing it
    /// from every later finding's list (the definition below) does: several findings of a
    /// place, two labels of one place on one finding, other labels and other rules' labels
    /// left alone.
    #[test]
    fn why_labels_stay_on_the_first_finding_of_a_place() {
        fn reference(out: &mut [Diagnostic]) {
            let mut seen = std::collections::HashSet::new();
            for d in out {
                if d.rule.category != Category::Streaming {
                    continue;
                }
                let mut labels = std::mem::take(&mut d.secondary).into_vec();
                labels.retain(|l| {
                    !l.text.starts_with(WHY_PREFIX) || seen.insert((l.file, l.span.start))
                });
                d.secondary = labels.into();
            }
        }
        let streaming = RULES
            .iter()
            .copied()
            .find(|r| r.category == Category::Streaming)
            .expect("a streaming rule");
        let other = RULES
            .iter()
            .copied()
            .find(|r| r.category != Category::Streaming)
            .expect("another rule");
        let mut x = 5u32;
        let mut next = || {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            x >> 8
        };
        // First, one finding giving a place twice (kept once).
        let twice = |n: u32| Label::new(0, Span::new(3, 4), format!("{WHY_PREFIX}twice {n}"));
        let mut first = Diagnostic::new(streaming, Label::new(0, Span::new(0, 1), "here"), "m");
        first.secondary = vec![twice(1), twice(2)].into();
        let mut findings = vec![first];
        for i in 0..400u32 {
            let rule = if next() % 4 == 0 { other } else { streaming };
            let labels: Vec<Label> = (0..next() % 4)
                .map(|k| {
                    let at = next() % 12;
                    let text = if next() % 3 == 0 {
                        format!("note {i}.{k}")
                    } else {
                        format!("{WHY_PREFIX}reason {i}.{k}")
                    };
                    Label::new(next() % 2, Span::new(at, at + 1), text)
                })
                .collect();
            let primary = Label::new(0, Span::new(i, i + 1), "here");
            let mut d = Diagnostic::new(rule, primary, format!("m{i}"));
            d.secondary = labels.into();
            findings.push(d);
        }
        let labels = |v: &[Diagnostic]| v.iter().map(|d| d.secondary.len()).sum::<usize>();
        let given = labels(&findings);
        let mut expected = findings.clone();
        reference(&mut expected);
        dedupe_why_labels(&mut findings);
        let show = |v: &[Diagnostic]| {
            v.iter()
                .map(|d| {
                    let labels: Vec<String> = d
                        .secondary
                        .iter()
                        .map(|l| format!("{}:{} {}", l.file, l.span.start, l.text))
                        .collect();
                    format!("{} {} [{}]", d.rule.id, d.message, labels.join(", "))
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&findings), show(&expected));
        // Labels went, and others stayed.
        let kept = labels(&findings);
        assert!(kept < given && kept > given / 4, "{kept} of {given}");
    }

    /// The in-place permutation gives exactly what a stable sort of the findings gives.
    #[test]
    fn sort_findings_is_a_stable_sort() {
        let mut findings = Vec::new();
        let mut x = 7u32;
        for i in 0..500u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let rule = RULES[(x >> 8) as usize % 3];
            let start = (x >> 12) % 40;
            let message = format!("m{}", (x >> 20) % 3);
            // Equal keys keep their order: the label text tells them apart.
            let label = Label::new((x >> 24) % 2, Span::new(start, start + 1), format!("{i}"));
            findings.push(Diagnostic::new(rule, label, message));
        }
        let mut expected = findings.clone();
        expected.sort_by(|a, b| {
            (a.primary.file, a.primary.span.start, a.rule.id, &a.message).cmp(&(
                b.primary.file,
                b.primary.span.start,
                b.rule.id,
                &b.message,
            ))
        });
        sort_findings(&mut findings);
        let show = |v: &[Diagnostic]| {
            v.iter()
                .map(|d| format!("{} {} {}", d.rule.id, d.message, d.primary.text))
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&findings), show(&expected));
    }
}
