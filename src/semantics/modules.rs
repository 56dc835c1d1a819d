//! Which nginx module a directive comes from, and how a build gets that module: nginx's
//! `configure` flags (`auto/options`, `auto/modules` of nginx's source) as data.
//!
//! A module is either built by default (`--without-X` leaves it out) or only on request
//! (`--with-X`, or `--with-X=dynamic` for a shared object that `load_module` must load).
//! [`Build`] is what `nginx -V` says about one binary; [`Build::availability`] answers, for a
//! directive's table entry, whether that binary knows it given the `load_module` lines of the
//! configuration.

use super::directives::DirectiveSpec;

/// One nginx module as `configure` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Module {
    /// nginx's name, as in `ngx_modules[]` (`ngx_http_geoip_module`).
    pub name: &'static str,
    /// The `configure` option without `--with-`/`--without-` (`http_geoip_module`).
    pub flag: &'static str,
    /// Built unless `--without-<flag>` (else only with `--with-<flag>`).
    pub default: bool,
    /// The shared object `--with-<flag>=dynamic` produces (`ngx_http_geoip_module.so`).
    pub so: Option<&'static str>,
    /// Module that must be there too (`stream` for every `stream_*`).
    pub parent: Option<&'static str>,
    /// The `module` of ngxlint's table entries it provides.
    pub table_module: &'static str,
    /// Only these directive names of `table_module` (empty: all of them).
    pub names: &'static [&'static str],
}

const fn with(name: &'static str, flag: &'static str, table_module: &'static str) -> Module {
    Module {
        name,
        flag,
        default: false,
        so: None,
        parent: None,
        table_module,
        names: &[],
    }
}

const fn without(name: &'static str, flag: &'static str, table_module: &'static str) -> Module {
    Module {
        default: true,
        ..with(name, flag, table_module)
    }
}

impl Module {
    const fn so(mut self, so: &'static str) -> Self {
        self.so = Some(so);
        self
    }
    const fn parent(mut self, parent: &'static str) -> Self {
        self.parent = Some(parent);
        self
    }
    const fn names(mut self, names: &'static [&'static str]) -> Self {
        self.names = names;
        self
    }
}

const STREAM: &str = "ngx_stream_module";
const MAIL: &str = "ngx_mail_module";

/// nginx's optional and removable modules (nginx 1.31.x `auto/options`). Modules that every
/// build has (core, events, http core, log, upstream...) are not listed: always available.
pub static MODULES: &[Module] = &[
    // --- http, built only on request ---
    with("ngx_http_ssl_module", "http_ssl_module", "http_ssl"),
    with("ngx_http_v2_module", "http_v2_module", "http_v2"),
    with("ngx_http_v3_module", "http_v3_module", "http_v3"),
    with(
        "ngx_http_realip_module",
        "http_realip_module",
        "http_realip",
    ),
    with(
        "ngx_http_addition_filter_module",
        "http_addition_module",
        "http_addition",
    ),
    with(
        "ngx_http_xslt_filter_module",
        "http_xslt_module",
        "http_xslt",
    )
    .so("ngx_http_xslt_filter_module.so"),
    with(
        "ngx_http_image_filter_module",
        "http_image_filter_module",
        "http_image_filter",
    )
    .so("ngx_http_image_filter_module.so"),
    with("ngx_http_geoip_module", "http_geoip_module", "http_geoip").so("ngx_http_geoip_module.so"),
    with("ngx_http_sub_filter_module", "http_sub_module", "http_sub"),
    with("ngx_http_dav_module", "http_dav_module", "http_dav"),
    with("ngx_http_flv_module", "http_flv_module", "http_flv"),
    with("ngx_http_mp4_module", "http_mp4_module", "http_mp4"),
    with(
        "ngx_http_gunzip_filter_module",
        "http_gunzip_module",
        "http_gunzip",
    ),
    with(
        "ngx_http_gzip_static_module",
        "http_gzip_static_module",
        "http_gzip_static",
    ),
    with(
        "ngx_http_auth_request_module",
        "http_auth_request_module",
        "http_auth_request",
    ),
    with(
        "ngx_http_random_index_module",
        "http_random_index_module",
        "http_random_index",
    ),
    with(
        "ngx_http_secure_link_module",
        "http_secure_link_module",
        "http_secure_link",
    ),
    with(
        "ngx_http_degradation_module",
        "http_degradation_module",
        "http_degradation",
    ),
    with("ngx_http_slice_module", "http_slice_module", "http_slice"),
    with(
        "ngx_http_stub_status_module",
        "http_stub_status_module",
        "http_stub_status",
    ),
    with("ngx_http_perl_module", "http_perl_module", "http_perl").so("ngx_http_perl_module.so"),
    with(
        "ngx_google_perftools_module",
        "google_perftools_module",
        "google_perftools",
    ),
    with("ngx_thread_pool_module", "threads", "thread_pool"),
    // --- http, built unless left out ---
    without(
        "ngx_http_access_module",
        "http_access_module",
        "http_access",
    ),
    without(
        "ngx_http_auth_basic_module",
        "http_auth_basic_module",
        "http_auth_basic",
    ),
    without(
        "ngx_http_autoindex_module",
        "http_autoindex_module",
        "http_autoindex",
    ),
    without(
        "ngx_http_browser_module",
        "http_browser_module",
        "http_browser",
    ),
    without(
        "ngx_http_charset_filter_module",
        "http_charset_module",
        "http_charset",
    ),
    without(
        "ngx_http_empty_gif_module",
        "http_empty_gif_module",
        "http_empty_gif",
    ),
    without(
        "ngx_http_fastcgi_module",
        "http_fastcgi_module",
        "http_fastcgi",
    ),
    without("ngx_http_geo_module", "http_geo_module", "http_geo"),
    without("ngx_http_grpc_module", "http_grpc_module", "http_grpc"),
    without(
        "ngx_http_gzip_filter_module",
        "http_gzip_module",
        "http_gzip",
    ),
    without(
        "ngx_http_limit_conn_module",
        "http_limit_conn_module",
        "http_limit_conn",
    ),
    without(
        "ngx_http_limit_req_module",
        "http_limit_req_module",
        "http_limit_req",
    ),
    without("ngx_http_map_module", "http_map_module", "http_map"),
    without(
        "ngx_http_memcached_module",
        "http_memcached_module",
        "http_memcached",
    ),
    without(
        "ngx_http_mirror_module",
        "http_mirror_module",
        "http_mirror",
    ),
    without("ngx_http_proxy_module", "http_proxy_module", "http_proxy"),
    without(
        "ngx_http_referer_module",
        "http_referer_module",
        "http_referer",
    ),
    without(
        "ngx_http_rewrite_module",
        "http_rewrite_module",
        "http_rewrite",
    ),
    without("ngx_http_scgi_module", "http_scgi_module", "http_scgi"),
    without(
        "ngx_http_split_clients_module",
        "http_split_clients_module",
        "http_split_clients",
    ),
    without("ngx_http_ssi_filter_module", "http_ssi_module", "http_ssi"),
    without(
        "ngx_http_userid_filter_module",
        "http_userid_module",
        "http_userid",
    ),
    without("ngx_http_uwsgi_module", "http_uwsgi_module", "http_uwsgi"),
    without(
        "ngx_http_tunnel_module",
        "http_tunnel_module",
        "http_tunnel",
    ),
    without(
        "ngx_http_upstream_hash_module",
        "http_upstream_hash_module",
        "http_upstream",
    )
    .names(&["hash"]),
    without(
        "ngx_http_upstream_ip_hash_module",
        "http_upstream_ip_hash_module",
        "http_upstream",
    )
    .names(&["ip_hash"]),
    without(
        "ngx_http_upstream_least_conn_module",
        "http_upstream_least_conn_module",
        "http_upstream",
    )
    .names(&["least_conn"]),
    without(
        "ngx_http_upstream_random_module",
        "http_upstream_random_module",
        "http_upstream",
    )
    .names(&["random"]),
    without(
        "ngx_http_upstream_zone_module",
        "http_upstream_zone_module",
        "http_upstream",
    )
    .names(&["zone"]),
    without(
        "ngx_http_upstream_keepalive_module",
        "http_upstream_keepalive_module",
        "http_upstream",
    )
    .names(&[
        "keepalive",
        "keepalive_timeout",
        "keepalive_time",
        "keepalive_requests",
    ]),
    without(
        "ngx_http_upstream_least_time_module",
        "http_upstream_least_time_module",
        "http_upstream_least_time",
    ),
    without(
        "ngx_http_upstream_sticky_module",
        "http_upstream_sticky_module",
        "http_upstream_sticky",
    ),
    // --- mail ---
    with(MAIL, "mail", "mail").so("ngx_mail_module.so"),
    with("ngx_mail_core_module", "mail", "mail_core").parent(MAIL),
    with("ngx_mail_proxy_module", "mail", "mail_proxy").parent(MAIL),
    with("ngx_mail_auth_http_module", "mail", "mail_auth_http").parent(MAIL),
    with("ngx_mail_realip_module", "mail", "mail_realip").parent(MAIL),
    with("ngx_mail_ssl_module", "mail_ssl_module", "mail_ssl").parent(MAIL),
    without("ngx_mail_imap_module", "mail_imap_module", "mail_imap").parent(MAIL),
    without("ngx_mail_pop3_module", "mail_pop3_module", "mail_pop3").parent(MAIL),
    without("ngx_mail_smtp_module", "mail_smtp_module", "mail_smtp").parent(MAIL),
    // --- stream ---
    with(STREAM, "stream", "stream").so("ngx_stream_module.so"),
    with("ngx_stream_core_module", "stream", "stream_core").parent(STREAM),
    with("ngx_stream_proxy_module", "stream", "stream_proxy").parent(STREAM),
    with("ngx_stream_upstream_module", "stream", "stream_upstream").parent(STREAM),
    with("ngx_stream_log_module", "stream", "stream_log").parent(STREAM),
    with("ngx_stream_ssl_module", "stream_ssl_module", "stream_ssl").parent(STREAM),
    with(
        "ngx_stream_realip_module",
        "stream_realip_module",
        "stream_realip",
    )
    .parent(STREAM),
    with(
        "ngx_stream_ssl_preread_module",
        "stream_ssl_preread_module",
        "stream_ssl_preread",
    )
    .parent(STREAM),
    with(
        "ngx_stream_geoip_module",
        "stream_geoip_module",
        "stream_geoip",
    )
    .so("ngx_stream_geoip_module.so")
    .parent(STREAM),
    without(
        "ngx_stream_access_module",
        "stream_access_module",
        "stream_access",
    )
    .parent(STREAM),
    without("ngx_stream_geo_module", "stream_geo_module", "stream_geo").parent(STREAM),
    without(
        "ngx_stream_limit_conn_module",
        "stream_limit_conn_module",
        "stream_limit_conn",
    )
    .parent(STREAM),
    without("ngx_stream_map_module", "stream_map_module", "stream_map").parent(STREAM),
    without(
        "ngx_stream_pass_module",
        "stream_pass_module",
        "stream_pass",
    )
    .parent(STREAM),
    without(
        "ngx_stream_return_module",
        "stream_return_module",
        "stream_return",
    )
    .parent(STREAM),
    without("ngx_stream_set_module", "stream_set_module", "stream_set").parent(STREAM),
    without(
        "ngx_stream_split_clients_module",
        "stream_split_clients_module",
        "stream_split_clients",
    )
    .parent(STREAM),
    without(
        "ngx_stream_upstream_hash_module",
        "stream_upstream_hash_module",
        "stream_upstream_hash",
    )
    .parent(STREAM),
    without(
        "ngx_stream_upstream_least_conn_module",
        "stream_upstream_least_conn_module",
        "stream_upstream_least_conn",
    )
    .parent(STREAM),
    without(
        "ngx_stream_upstream_least_time_module",
        "stream_upstream_least_time_module",
        "stream_upstream_least_time",
    )
    .parent(STREAM),
    without(
        "ngx_stream_upstream_random_module",
        "stream_upstream_random_module",
        "stream_upstream_random",
    )
    .parent(STREAM),
    without(
        "ngx_stream_upstream_zone_module",
        "stream_upstream_zone_module",
        "stream_upstream_zone",
    )
    .parent(STREAM),
];

/// The `#if` a directive's command-table entry is compiled under in nginx's source (as
/// `../shared/data/nginx-directives.tsv` records it; `tests/nginx_tables.rs` checks this
/// against every row): the upstream modules' TLS directives need the SSL module, their cache
/// directives the HTTP cache, `gzip_vary` & co. a gzip module, the upstream `resolver` the
/// zone module.
pub fn build_condition(spec: &DirectiveSpec) -> Option<&'static str> {
    let n = spec.name;
    match spec.module {
        "http_proxy" | "http_grpc" | "http_uwsgi" if n.contains("_ssl") => Some("NGX_HTTP_SSL"),
        "stream_proxy" if n.contains("_ssl") => Some("NGX_STREAM_SSL"),
        "http_proxy" | "http_fastcgi" | "http_scgi" | "http_uwsgi"
            if n.contains("_cache") || n.ends_with("_no_cache") =>
        {
            Some("NGX_HTTP_CACHE")
        }
        "http_core" | "http_gzip"
            if matches!(
                n,
                "gzip_vary" | "gzip_http_version" | "gzip_proxied" | "gzip_disable"
            ) =>
        {
            Some("NGX_HTTP_GZIP")
        }
        "http_core" if n == "disable_symlinks" => Some("NGX_HAVE_OPENAT"),
        "http_upstream" if matches!(n, "resolver" | "resolver_timeout") => {
            Some("NGX_HTTP_UPSTREAM_ZONE")
        }
        "stream_upstream" if matches!(n, "resolver" | "resolver_timeout") => {
            Some("NGX_STREAM_UPSTREAM_ZONE")
        }
        _ => None,
    }
}

/// `--without-http-cache` leaves out every `*_cache*` directive of the upstream modules.
pub static HTTP_CACHE: Module = without("the HTTP cache (NGX_HTTP_CACHE)", "http-cache", "");

/// The module of [`MODULES`] that provides `spec`, if it is an optional or removable one.
pub fn module_of(spec: &DirectiveSpec) -> Option<&'static Module> {
    MODULES
        .iter()
        .filter(|m| m.table_module == spec.module)
        .find(|m| m.names.is_empty() || m.names.contains(&spec.name))
}

/// How one nginx binary was built (`nginx -V`'s `configure arguments:`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Build {
    /// The configure arguments, one per element (quotes removed).
    pub configure: Vec<String>,
    /// The version line names NGINX Plus (`nginx/1.27.4 (nginx-plus-r34)`).
    pub plus: bool,
}

/// Whether a binary knows a directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    /// Compiled in, or a dynamic module the configuration loads.
    Known,
    /// Not compiled at all: `configure --with-<flag>` would add it.
    NotBuilt(&'static Module),
    /// Left out with `--without-<flag>`.
    LeftOut(&'static Module),
    /// A dynamic module (`--with-<flag>=dynamic`) the configuration does not `load_module`.
    NotLoaded(&'static Module),
    /// A third-party module neither compiled in (`--add-module`) nor loaded (`load_module`).
    NoThirdParty(&'static ThirdParty),
}

/// A third-party module as it shows up in a build: a fragment of its source directory in
/// `--add-module=`/`--add-dynamic-module=`, or the shared object `load_module` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThirdParty {
    /// The `module` of its entries in the third-party table.
    pub table_module: &'static str,
    /// Its usual name (for messages).
    pub name: &'static str,
    /// Fragments of its source directory (case-insensitive).
    pub dirs: &'static [&'static str],
    /// Shared objects it builds.
    pub so: &'static [&'static str],
}

const fn tp(
    table_module: &'static str,
    name: &'static str,
    dirs: &'static [&'static str],
    so: &'static [&'static str],
) -> ThirdParty {
    ThirdParty {
        table_module,
        name,
        dirs,
        so,
    }
}

/// The third-party modules ngxlint knows directives of, by their source directory and shared
/// object names (as OpenResty, distribution packages `libnginx-mod-*` and the modules' own
/// READMEs name them). Modules not listed here are always assumed present.
pub static THIRD_PARTY: &[ThirdParty] = &[
    tp(
        "lua",
        "lua-nginx-module",
        &["lua-nginx-module", "ngx_lua-", "ngx_http_lua"],
        &["ngx_http_lua_module.so"],
    ),
    tp(
        "stream_lua",
        "stream-lua-nginx-module",
        &["stream-lua-nginx-module", "ngx_stream_lua"],
        &["ngx_stream_lua_module.so"],
    ),
    tp(
        "njs",
        "njs",
        &["njs"],
        &["ngx_http_js_module.so", "ngx_stream_js_module.so"],
    ),
    tp(
        "headers_more",
        "headers-more-nginx-module",
        &["headers-more"],
        &["ngx_http_headers_more_filter_module.so"],
    ),
    tp(
        "brotli",
        "ngx_brotli",
        &["brotli"],
        &[
            "ngx_http_brotli_filter_module.so",
            "ngx_http_brotli_static_module.so",
        ],
    ),
    tp(
        "echo",
        "echo-nginx-module",
        &["echo-nginx-module", "ngx_echo"],
        &["ngx_http_echo_module.so"],
    ),
    tp(
        "set_misc",
        "set-misc-nginx-module",
        &["set-misc", "ngx_set_misc"],
        &["ngx_http_set_misc_module.so"],
    ),
    tp(
        "geoip2",
        "ngx_http_geoip2_module",
        &["geoip2"],
        &["ngx_http_geoip2_module.so", "ngx_stream_geoip2_module.so"],
    ),
    tp(
        "vts",
        "nginx-module-vts",
        &["module-vts", "traffic-status", "traffic_status"],
        &["ngx_http_vhost_traffic_status_module.so"],
    ),
    tp(
        "cache_purge",
        "ngx_cache_purge",
        &["cache_purge", "cache-purge"],
        &["ngx_http_cache_purge_module.so"],
    ),
    tp(
        "auth_digest",
        "nginx-http-auth-digest",
        &["auth-digest", "auth_digest"],
        &["ngx_http_auth_digest_module.so"],
    ),
    tp(
        "upload_progress",
        "nginx-upload-progress-module",
        &["upload-progress", "uploadprogress"],
        &["ngx_http_uploadprogress_module.so"],
    ),
    tp(
        "modsecurity",
        "ModSecurity-nginx",
        &["modsecurity"],
        &["ngx_http_modsecurity_module.so"],
    ),
    tp(
        "mruby",
        "ngx_mruby",
        &["mruby"],
        &["ngx_http_mruby_module.so", "ngx_stream_mruby_module.so"],
    ),
    tp(
        "opentelemetry",
        "nginx-otel",
        &["otel", "opentelemetry"],
        &["ngx_otel_module.so", "otel_ngx_module.so"],
    ),
    tp(
        "vod",
        "nginx-vod-module",
        &["nginx-vod-module", "vod-module"],
        &["ngx_http_vod_module.so"],
    ),
    tp(
        "auth_pam",
        "ngx_http_auth_pam_module",
        &["auth-pam", "auth_pam"],
        &["ngx_http_auth_pam_module.so"],
    ),
    tp(
        "fancyindex",
        "ngx-fancyindex",
        &["fancyindex"],
        &["ngx_http_fancyindex_module.so"],
    ),
    tp(
        "dav_ext",
        "nginx-dav-ext-module",
        &["dav-ext", "dav_ext"],
        &["ngx_http_dav_ext_module.so"],
    ),
    tp(
        "subs_filter",
        "ngx_http_substitutions_filter_module",
        &["substitutions", "subs-filter", "subs_filter"],
        &["ngx_http_subs_filter_module.so"],
    ),
    tp(
        "acme",
        "nginx-acme",
        &["nginx-acme", "acme"],
        &["ngx_http_acme_module.so"],
    ),
    tp(
        "shibboleth",
        "nginx-http-shibboleth",
        &["nginx-http-shibboleth", "shibboleth"],
        &["ngx_http_shibboleth_module.so"],
    ),
    tp("nchan", "nchan", &["nchan"], &["ngx_nchan_module.so"]),
    tp(
        "passenger",
        "Phusion Passenger",
        &["passenger", "nginx_module"],
        &["ngx_http_passenger_module.so"],
    ),
    tp(
        "push_stream",
        "nginx-push-stream-module",
        &["push-stream", "push_stream"],
        &["ngx_http_push_stream_module.so"],
    ),
    tp(
        "rtmp",
        "nginx-rtmp-module",
        &["nginx-rtmp-module", "rtmp"],
        &["ngx_rtmp_module.so"],
    ),
    tp(
        "secure_token",
        "nginx-secure-token-module",
        &["nginx-secure-token-module", "secure-token"],
        &["ngx_http_secure_token_filter_module.so"],
    ),
];

impl Build {
    /// From `nginx -V` output (all of it; the `configure arguments:` line is found).
    pub fn from_version_output(text: &str) -> Option<Build> {
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("configure arguments:"))?;
        Some(Build {
            configure: split_shell_words(line),
            plus: text.contains("nginx-plus"),
        })
    }

    fn has(&self, option: &str) -> bool {
        self.configure.iter().any(|a| a == option)
    }

    /// Is `module` in this build, given the `.so` file names the configuration loads?
    pub fn availability(&self, module: &'static Module, loaded: &[String]) -> Availability {
        if let Some(parent) = module.parent
            && let Some(p) = MODULES.iter().find(|m| m.name == parent)
        {
            let a = self.availability(p, loaded);
            if a != Availability::Known {
                return a;
            }
            // Built with its parent (`--with-stream` brings ngx_stream_core_module...).
            if p.flag == module.flag {
                return Availability::Known;
            }
        }
        let flag = module.flag;
        if module.default {
            return if self.has(&format!("--without-{flag}")) {
                Availability::LeftOut(module)
            } else {
                Availability::Known
            };
        }
        if self.has(&format!("--with-{flag}")) {
            return Availability::Known;
        }
        if self.has(&format!("--with-{flag}=dynamic")) {
            let so = module.so.unwrap_or("");
            return if loaded.iter().any(|l| l == so) {
                Availability::Known
            } else {
                Availability::NotLoaded(module)
            };
        }
        Availability::NotBuilt(module)
    }

    /// [`Self::availability`] of the module behind `spec` (always known when it is in every build).
    pub fn knows(&self, spec: &DirectiveSpec, loaded: &[String]) -> Availability {
        let condition = build_condition(spec);
        let own = match module_of(spec) {
            // http_core's gzip directives (listed with the gzip module in ngxlint's table): the
            // condition below decides.
            Some(_) if condition == Some("NGX_HTTP_GZIP") => Availability::Known,
            Some(m) => self.availability(m, loaded),
            None => Availability::Known,
        };
        if own != Availability::Known {
            return own;
        }
        let by_name = |name: &str| MODULES.iter().find(|m| m.name == name);
        let needs = match condition {
            Some("NGX_HTTP_SSL") => by_name("ngx_http_ssl_module"),
            Some("NGX_STREAM_SSL") => by_name("ngx_stream_ssl_module"),
            Some("NGX_HTTP_UPSTREAM_ZONE") => by_name("ngx_http_upstream_zone_module"),
            Some("NGX_STREAM_UPSTREAM_ZONE") => by_name("ngx_stream_upstream_zone_module"),
            Some("NGX_HTTP_CACHE") => Some(&HTTP_CACHE),
            Some("NGX_HTTP_GZIP") => {
                // Defined when any of gzip, gunzip and gzip_static is built.
                let gz = [
                    "ngx_http_gzip_filter_module",
                    "ngx_http_gunzip_filter_module",
                    "ngx_http_gzip_static_module",
                ];
                let verdicts: Vec<Availability> = gz
                    .iter()
                    .filter_map(|n| by_name(n))
                    .map(|m| self.availability(m, loaded))
                    .collect();
                return if verdicts.contains(&Availability::Known) {
                    Availability::Known
                } else {
                    verdicts.first().copied().unwrap_or(Availability::Known)
                };
            }
            _ => None,
        };
        needs.map_or(Availability::Known, |m| self.availability(m, loaded))
    }

    /// Is the third-party module behind `spec` (an entry of the third-party table) in this
    /// build or loaded? Unknown sources count as "maybe": a build with an `--add-module` or a
    /// configuration loading a shared object ngxlint cannot attribute knows it.
    pub fn knows_third_party(&self, spec: &DirectiveSpec, loaded: &[String]) -> Availability {
        if spec.module == "nginx_plus" {
            return if self.plus {
                Availability::Known
            } else {
                Availability::NoThirdParty(&NGINX_PLUS)
            };
        }
        let Some(tp) = THIRD_PARTY.iter().find(|t| t.table_module == spec.module) else {
            return Availability::Known;
        };
        let added: Vec<String> = self
            .configure
            .iter()
            .filter_map(|a| {
                a.strip_prefix("--add-module=")
                    .or_else(|| a.strip_prefix("--add-dynamic-module="))
            })
            .map(str::to_ascii_lowercase)
            .collect();
        let attributed = |dir: &str| {
            THIRD_PARTY
                .iter()
                .any(|t| t.dirs.iter().any(|f| dir.contains(&f.to_ascii_lowercase())))
        };
        let in_build = added
            .iter()
            .any(|d| tp.dirs.iter().any(|f| d.contains(&f.to_ascii_lowercase())));
        let is_loaded = loaded.iter().any(|l| tp.so.contains(&l.as_str()));
        // Something ngxlint cannot attribute may be it.
        let unattributed_dir = added.iter().any(|d| !attributed(d));
        let unattributed_so = loaded.iter().any(|l| {
            !MODULES.iter().any(|m| m.so == Some(l.as_str()))
                && !THIRD_PARTY.iter().any(|t| t.so.contains(&l.as_str()))
        });
        if in_build || is_loaded || unattributed_dir || unattributed_so {
            Availability::Known
        } else {
            Availability::NoThirdParty(tp)
        }
    }
}

/// NGINX Plus (commercial): its directives exist only in its binaries.
pub static NGINX_PLUS: ThirdParty = tp("nginx_plus", "NGINX Plus", &[], &[]);

/// Is `so` (a file name, as [`loaded_so`] gives it) a module ngxlint knows the directives of:
/// one of nginx's dynamic modules or of [`THIRD_PARTY`]?
pub fn known_so(so: &str) -> bool {
    MODULES.iter().any(|m| m.so == Some(so)) || THIRD_PARTY.iter().any(|t| t.so.contains(&so))
}

/// Does the configuration load a module ngxlint knows nothing of ([`known_so`])? Its
/// directives and variables are then names ngxlint cannot tell from mistakes.
pub fn loads_foreign_module(model: &crate::semantics::model::Model<'_>) -> bool {
    model.directives_named("load_module").iter().any(|&n| {
        model
            .arg_str(n, 0)
            .is_some_and(|a| !known_so(&loaded_so(&a)))
    })
}

/// The file name a `load_module` argument names (`modules/ngx_http_geoip_module.so` →
/// `ngx_http_geoip_module.so`).
pub fn loaded_so(arg: &str) -> String {
    arg.rsplit('/').next().unwrap_or(arg).to_owned()
}

/// `sh`-style words: single and double quotes group, backslash escapes (as `configure`'s
/// arguments are printed by `nginx -V`).
fn split_shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => cur.extend(chars.next()),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantics::directives::{ctx, lookup};

    fn spec(name: &str, c: u32) -> &'static DirectiveSpec {
        lookup(name.as_bytes())
            .iter()
            .find(|s| s.contexts & c != 0)
            .unwrap()
    }

    const LIGHT: &str = "nginx version: nginx/1.22.1\nbuilt with OpenSSL 3.0\nconfigure arguments: --with-cc-opt='-g -O2 -fPIC' --prefix=/usr/share/nginx --with-http_ssl_module --with-http_v2_module --with-http_geoip_module=dynamic --with-http_xslt_module=dynamic --with-stream=dynamic --with-stream_ssl_module --with-mail=dynamic --without-http_uwsgi_module\n";

    #[test]
    fn configure_arguments_are_split_like_sh() {
        let b = Build::from_version_output(LIGHT).unwrap();
        assert_eq!(b.configure[0], "--with-cc-opt=-g -O2 -fPIC");
        assert!(b.has("--with-http_ssl_module"));
        assert_eq!(
            split_shell_words(r#"a "b c" d\ e 'f'"#),
            ["a", "b c", "d e", "f"]
        );
        assert!(Build::from_version_output("nginx version: nginx/1.22.1").is_none());
    }

    /// The modules whose load-time checks `invalid-parameter` makes and that nginx-light lacks:
    /// dynamic in Debian's build (`nginx -V` of nginx-light 1.22.1), so unknown until loaded;
    /// degradation is in no Debian build.
    #[test]
    fn image_filter_geoip_and_degradation_are_not_built_in() {
        let b = Build::from_version_output(
            "nginx version: nginx/1.22.1\nconfigure arguments: --with-http_ssl_module --with-http_geoip_module=dynamic --with-http_image_filter_module=dynamic --with-stream=dynamic --with-stream_geoip_module=dynamic\n",
        )
        .unwrap();
        let none: &[String] = &[];
        for (name, c, so) in [
            (
                "image_filter",
                ctx::HTTP_LOC,
                "ngx_http_image_filter_module.so",
            ),
            (
                "image_filter_jpeg_quality",
                ctx::HTTP_LOC,
                "ngx_http_image_filter_module.so",
            ),
            ("geoip_proxy", ctx::HTTP, "ngx_http_geoip_module.so"),
        ] {
            assert!(
                matches!(b.knows(spec(name, c), none), Availability::NotLoaded(m) if m.so == Some(so)),
                "{name}"
            );
            assert_eq!(
                b.knows(spec(name, c), &[so.to_owned()]),
                Availability::Known,
                "{name}"
            );
        }
        // stream geoip: the stream module and its own shared object.
        let stream = ["ngx_stream_module.so".to_owned()];
        assert!(matches!(
            b.knows(spec("geoip_country", ctx::STREAM), &stream),
            Availability::NotLoaded(m) if m.so == Some("ngx_stream_geoip_module.so")
        ));
        let both = [
            "ngx_stream_module.so".to_owned(),
            "ngx_stream_geoip_module.so".to_owned(),
        ];
        assert_eq!(
            b.knows(spec("geoip_country", ctx::STREAM), &both),
            Availability::Known
        );
        for name in ["degradation", "degrade"] {
            assert!(
                matches!(
                    b.knows(spec(name, ctx::HTTP), none),
                    Availability::NotBuilt(m) if m.flag == "http_degradation_module"
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn availability_follows_configure_and_load_module() {
        let b = Build::from_version_output(LIGHT).unwrap();
        let none: &[String] = &[];
        assert_eq!(
            b.knows(spec("proxy_pass", ctx::HTTP_LOC), none),
            Availability::Known
        );
        assert_eq!(
            b.knows(spec("ssl_certificate", ctx::HTTP_SRV), none),
            Availability::Known
        );
        assert!(matches!(
            b.knows(spec("geoip_country", ctx::HTTP), none),
            Availability::NotLoaded(m) if m.so == Some("ngx_http_geoip_module.so")
        ));
        let geoip = [loaded_so("modules/ngx_http_geoip_module.so")];
        assert_eq!(
            b.knows(spec("geoip_country", ctx::HTTP), &geoip),
            Availability::Known
        );
        assert!(matches!(
            b.knows(spec("uwsgi_pass", ctx::HTTP_LOC), none),
            Availability::LeftOut(m) if m.flag == "http_uwsgi_module"
        ));
        assert!(matches!(
            b.knows(spec("sub_filter", ctx::HTTP_LOC), none),
            Availability::NotBuilt(m) if m.flag == "http_sub_module"
        ));
        // stream is dynamic: its block and every stream directive need ngx_stream_module.so.
        assert!(matches!(
            b.knows(spec("stream", ctx::MAIN), none),
            Availability::NotLoaded(_)
        ));
        assert!(matches!(
            b.knows(spec("ssl_preread", ctx::STREAM_SRV), none),
            Availability::NotLoaded(_)
        ));
        let stream = ["ngx_stream_module.so".to_owned()];
        assert_eq!(
            b.knows(spec("stream", ctx::MAIN), &stream),
            Availability::Known
        );
        assert_eq!(
            b.knows(spec("proxy_pass", ctx::STREAM_SRV), &stream),
            Availability::Known
        );
        assert_eq!(
            b.knows(spec("ssl_certificate", ctx::STREAM_SRV), &stream),
            Availability::Known
        );
        assert!(matches!(
            b.knows(spec("ssl_preread", ctx::STREAM_SRV), &stream),
            Availability::NotBuilt(m) if m.flag == "stream_ssl_preread_module"
        ));
        // TLS to upstreams needs the SSL module; the cache can be left out.
        let no_ssl = Build::from_version_output(
            "configure arguments: --with-stream --without-http-cache --without-http_upstream_zone_module\n",
        )
        .unwrap();
        assert!(matches!(
            no_ssl.knows(spec("proxy_ssl_verify", ctx::HTTP_LOC), none),
            Availability::NotBuilt(m) if m.flag == "http_ssl_module"
        ));
        assert!(matches!(
            no_ssl.knows(spec("proxy_ssl", ctx::STREAM_SRV), none),
            Availability::NotBuilt(m) if m.flag == "stream_ssl_module"
        ));
        assert!(matches!(
            no_ssl.knows(spec("proxy_cache", ctx::HTTP_LOC), none),
            Availability::LeftOut(m) if m.flag == "http-cache"
        ));
        assert!(matches!(
            no_ssl.knows(spec("resolver", ctx::HTTP_UPS), none),
            Availability::LeftOut(_)
        ));
        assert_eq!(
            no_ssl.knows(spec("gzip_vary", ctx::HTTP), none),
            Availability::Known
        );
        let no_gzip = Build::from_version_output(
            "configure arguments: --without-http_gzip_module --with-http_gunzip_module\n",
        )
        .unwrap();
        assert_eq!(
            no_gzip.knows(spec("gzip_vary", ctx::HTTP), none),
            Availability::Known
        );
        assert!(matches!(
            no_gzip.knows(spec("gzip", ctx::HTTP), none),
            Availability::LeftOut(_)
        ));
        let none_gz =
            Build::from_version_output("configure arguments: --without-http_gzip_module\n")
                .unwrap();
        assert!(matches!(
            none_gz.knows(spec("gzip_vary", ctx::HTTP), none),
            Availability::LeftOut(_)
        ));
        assert_eq!(
            b.knows(spec("proxy_ssl_verify", ctx::HTTP_LOC), none),
            Availability::Known
        );
        // Upstream balancers are separate modules within one table module.
        assert_eq!(
            b.knows(spec("keepalive", ctx::HTTP_UPS), none),
            Availability::Known
        );
        assert_eq!(
            b.knows(spec("server", ctx::HTTP_UPS), none),
            Availability::Known
        );
    }

    #[test]
    fn third_party_modules_need_a_source() {
        let none: &[String] = &[];
        let lua = spec("content_by_lua_block", ctx::HTTP_LOC);
        let light = Build::from_version_output(LIGHT).unwrap();
        assert!(matches!(
            light.knows_third_party(lua, none),
            Availability::NoThirdParty(t) if t.name == "lua-nginx-module"
        ));
        let so = ["ngx_http_lua_module.so".to_owned()];
        assert_eq!(light.knows_third_party(lua, &so), Availability::Known);
        // A shared object ngxlint cannot attribute may provide it.
        let other = ["ngx_http_something_module.so".to_owned()];
        assert_eq!(light.knows_third_party(lua, &other), Availability::Known);
        // Known nginx dynamic modules do not.
        let geoip = ["ngx_http_geoip_module.so".to_owned()];
        assert!(matches!(
            light.knows_third_party(lua, &geoip),
            Availability::NoThirdParty(_)
        ));
        let openresty = Build::from_version_output(
            "nginx version: openresty/1.25.3.1\nconfigure arguments: --prefix=/usr/local/openresty/nginx --add-module=../ngx_lua-0.10.26 --add-module=../headers-more-nginx-module-0.37\n",
        )
        .unwrap();
        assert_eq!(openresty.knows_third_party(lua, none), Availability::Known);
        let more = spec("more_set_headers", ctx::HTTP_LOC);
        assert_eq!(openresty.knows_third_party(more, none), Availability::Known);
        let njs = spec("js_import", ctx::HTTP);
        assert!(matches!(
            openresty.knows_third_party(njs, none),
            Availability::NoThirdParty(_)
        ));
        // An --add-module ngxlint cannot attribute may provide it.
        let custom = Build::from_version_output(
            "configure arguments: --add-dynamic-module=/src/my-module\n",
        )
        .unwrap();
        assert_eq!(custom.knows_third_party(njs, none), Availability::Known);
        let plus = spec("status_zone", ctx::HTTP_SRV);
        assert!(matches!(
            light.knows_third_party(plus, none),
            Availability::NoThirdParty(_)
        ));
        let plus_build = Build::from_version_output(
            "nginx version: nginx/1.27.4 (nginx-plus-r34)\nconfigure arguments: --with-http_ssl_module\n",
        )
        .unwrap();
        assert_eq!(
            plus_build.knows_third_party(plus, none),
            Availability::Known
        );
        for t in THIRD_PARTY {
            assert!(
                crate::semantics::directives::third_party::DIRECTIVES
                    .iter()
                    .any(|d| d.module == t.table_module),
                "{}",
                t.table_module
            );
        }
    }

    #[test]
    fn every_module_provides_directives() {
        use crate::semantics::directives::nginx_directives;
        for m in MODULES {
            let n = nginx_directives()
                .filter(|s| module_of(s).is_some_and(|o| o.name == m.name))
                .count();
            assert!(n > 0, "{} provides no directive", m.name);
            if let Some(p) = m.parent {
                assert!(MODULES.iter().any(|o| o.name == p), "{}", m.name);
            }
        }
    }
}
