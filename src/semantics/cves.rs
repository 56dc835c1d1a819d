//! nginx CVEs a configuration can trigger, as data: the releases nginx's advisory lists as
//! vulnerable, the releases that fixed them, the configuration the advisory or the change log
//! names, and the advisory. Every fact comes from nginx: the advisories page
//! (`xml/en/security_advisories.xml` of nginx.org, `tests/data/nginx-security-advisories.tsv`)
//! and the "security" entries of the change log (`docs/xml/nginx/changes.xml` of every branch,
//! `tests/data/nginx-changes-security.tsv`); a test checks each row against both. Advisories
//! with no configuration trigger (a bug every build has, or one of nginx/Windows) are left out
//! ([`LEFT_OUT`]): ngxlint reports what a configuration exposes, a version scanner the binary.

use super::directives::Version;
use super::model::{Model, NodeId};
use foldhash::HashMap;

/// The configuration shape an advisory (or nginx's change log entry) names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A `rewrite` without a flag or implicit redirect whose replacement has a `?`, followed in
    /// the same script (before a `break`/`return`) by a `set`, `if` value or `rewrite`
    /// evaluating an unnamed capture (`$1`...).
    RewriteQuestionMarkThenScript,
    /// A string expression using an unnamed capture before a variable of a `map` with regex
    /// keys (the map's match replaces the captures between nginx's two passes).
    CaptureBeforeRegexMap,
    /// `ssi on` where a proxied response is not buffered (`proxy_buffering off`).
    SsiUnbufferedProxy,
    /// A `rewrite` whose replacement has no variables, references two nested captures (`$1$2`
    /// with `^/((.*))$`) each once, and escapes them (a redirect, or after its `?`).
    RewriteOverlappingCaptures,
    /// An unnamed capture (`$1`) used where `slice` (not 0) or
    /// `proxy_cache_background_update on` is in effect (both make subrequests).
    CaptureInSubrequest,
    /// `listen ... quic` (HTTP/3 and QUIC).
    Quic,
    /// `listen ... http2` (`http2 on` came in 1.25.1, after every release these rows affect).
    Http2,
    /// `listen ... spdy`.
    Spdy,
    /// `grpc_pass`, or `proxy_pass` with `proxy_http_version 2`, where `ignore_invalid_headers
    /// off` and an explicit `large_client_header_buffers` are in effect.
    Http2UpstreamInvalidHeaders,
    /// `proxy_set_body` with `proxy_http_version 2` where `proxy_pass` is used.
    ProxySetBodyHttp2,
    /// A `charset` other than the UTF-8 side of a `charset_map ... utf-8` converts to, from a
    /// UTF-8 source (`source_charset utf-8`, or `override_charset on`).
    CharsetFromUtf8,
    /// `scgi_pass` or `uwsgi_pass`.
    ScgiUwsgi,
    /// `ssl_ocsp on|leaf` with `ssl_verify_client on|optional` and a `resolver` in effect.
    OcspResolver,
    /// `ssl_ocsp on|leaf` with `ssl_verify_client on|optional` in a `stream` server.
    StreamOcsp,
    /// `dav_methods` with COPY or MOVE where `alias` maps the location.
    DavCopyMoveAlias,
    /// `dav_methods` with COPY or MOVE.
    DavCopyMove,
    /// `mp4`.
    Mp4,
    /// Mail `imap_auth cram-md5`, `pop3_auth apop|cram-md5` or `smtp_auth cram-md5`.
    MailCramMd5Apop,
    /// An SMTP mail server with a `resolver` (the client's PTR record is looked up).
    MailSmtpResolver,
    /// An SMTP mail server with `smtp_auth ... none`.
    MailSmtpAuthNone,
    /// An SMTP mail server with `starttls on|only`.
    MailStarttls,
    /// `proxy_pass https://`, `grpc_pass grpcs://` or `uwsgi_pass suwsgi://`.
    SslUpstream,
    /// `proxy_pass` to an HTTP backend.
    ProxyHttp,
    /// `proxy_pass`, `fastcgi_pass`, `scgi_pass` or `uwsgi_pass`.
    UpstreamHeaders,
    /// A `resolver` in effect where a name is resolved at run time (a `*_pass` with
    /// variables, `ssl_stapling on`, `ssl_ocsp`, an SMTP mail server).
    Resolver,
    /// Two TLS servers sharing one `ssl_session_cache shared:NAME` zone or one
    /// `ssl_session_ticket_key` file.
    SessionShared,
    /// TLS servers on one address, one verifying client certificates and another not the same
    /// way, whose default server resumes sessions (tickets or a cache) with TLSv1.3 on.
    SessionReuseSni,
    /// A TLS server (`listen ... ssl`, `ssl on`).
    TlsServer,
}

/// The severity nginx's advisories page gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdvisorySeverity {
    Major,
    Medium,
    Low,
    Minor,
}

impl AdvisorySeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            AdvisorySeverity::Major => "major",
            AdvisorySeverity::Medium => "medium",
            AdvisorySeverity::Low => "low",
            AdvisorySeverity::Minor => "minor",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Cve {
    pub id: &'static str,
    pub summary: &'static str,
    pub severity: AdvisorySeverity,
    /// The advisory's "Vulnerable" line: inclusive `[first, last]` ranges.
    pub vulnerable: &'static [(Version, Version)],
    /// The first fixed release of each branch (the advisory's "Not vulnerable" line and the
    /// change log's security entries).
    pub fixed: &'static [Version],
    pub trigger: Trigger,
    /// The advisory (nginx's list links it).
    pub advisory: &'static str,
    /// Where nginx's sources differ from each other or from gixy-ng's list, and which is
    /// followed (empty when they agree).
    pub note: &'static str,
}

const ADVISORIES: &str = "https://nginx.org/en/security_advisories.html";

/// nginx advisories left out of [`CVES`]: no configuration trigger. (id, why)
pub static LEFT_OUT: &[(&str, &str)] = &[
    (
        "CVE-2017-7529",
        "the range filter is in every build and always on",
    ),
    (
        "CVE-2016-4450",
        "any request body written to a temporary file",
    ),
    ("CVE-2013-4547", "request line parsing, every build"),
    ("CVE-2013-2028", "chunked request bodies, every build"),
    ("CVE-2011-4963", "nginx/Windows only"),
    ("CVE-2010-2266", "nginx/Windows only"),
    ("CVE-2010-2263", "nginx/Windows only"),
    ("CORE-2010-0121", "nginx/Windows only"),
    (
        "CVE-2009-4487",
        "severity none: error log data not sanitized, every build",
    ),
    ("CVE-2009-2629", "request URI parsing, every build"),
    ("CVE-2009-3896", "request URI parsing, every build"),
];

pub static CVES: &[Cve] = &[
    Cve {
        id: "CVE-2026-42533",
        summary: "heap buffer overflow in a worker process with a regex map used in a string expression after a capture the map affects",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(0, 9, 6), Version(1, 31, 2))],
        fixed: &[Version(1, 30, 4), Version(1, 31, 3)],
        trigger: Trigger::CaptureBeforeRegexMap,
        advisory: "https://my.f5.com/manage/s/article/K000162097",
        note: "",
    },
    Cve {
        id: "CVE-2026-60005",
        summary: "uninitialized memory access with unnamed regex captures and the slice directive or background cache update (worker memory disclosure or crash)",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 15, 8), Version(1, 31, 2))],
        fixed: &[Version(1, 30, 4), Version(1, 31, 3)],
        trigger: Trigger::CaptureInSubrequest,
        advisory: "https://my.f5.com/manage/s/article/K000162100",
        note: "",
    },
    Cve {
        id: "CVE-2026-56434",
        summary: "use-after-free in ngx_http_ssi_filter_module on a crafted proxied response",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 8, 11), Version(1, 31, 2))],
        fixed: &[Version(1, 30, 4), Version(1, 31, 3)],
        trigger: Trigger::SsiUnbufferedProxy,
        advisory: "https://my.f5.com/manage/s/article/K000162098",
        note: "",
    },
    Cve {
        id: "CVE-2026-42530",
        summary: "use-after-free in HTTP/3 on a crafted QUIC session",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(1, 31, 0), Version(1, 31, 1))],
        fixed: &[Version(1, 31, 2)],
        trigger: Trigger::Quic,
        advisory: "https://my.f5.com/manage/s/article/K000161616",
        note: "",
    },
    Cve {
        id: "CVE-2026-42055",
        summary: "heap buffer overflow proxying a crafted request to an HTTP/2 or gRPC backend with `ignore_invalid_headers off` and large `large_client_header_buffers`",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 13, 10), Version(1, 31, 1))],
        fixed: &[Version(1, 30, 3), Version(1, 31, 2)],
        trigger: Trigger::Http2UpstreamInvalidHeaders,
        advisory: "https://my.f5.com/manage/s/article/K000161584",
        note: "",
    },
    Cve {
        id: "CVE-2026-48142",
        summary: "heap buffer overread in ngx_http_charset_module decoding from UTF-8 via `charset_map`",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(0, 3, 50), Version(1, 31, 1))],
        fixed: &[Version(1, 30, 3), Version(1, 31, 2)],
        trigger: Trigger::CharsetFromUtf8,
        advisory: "https://my.f5.com/manage/s/article/K000161585",
        note: "",
    },
    Cve {
        id: "CVE-2026-9256",
        summary: "heap buffer overflow in ngx_http_rewrite_module with overlapping captures, possibly remote code execution",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 1, 17), Version(1, 31, 0))],
        fixed: &[Version(1, 30, 2), Version(1, 31, 1)],
        trigger: Trigger::RewriteOverlappingCaptures,
        advisory: "https://my.f5.com/manage/s/article/K000161377",
        note: "",
    },
    Cve {
        id: "CVE-2026-42926",
        summary: "request injection into an HTTP/2 backend with `proxy_set_body`",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 29, 4), Version(1, 30, 0))],
        fixed: &[Version(1, 30, 1), Version(1, 31, 0)],
        trigger: Trigger::ProxySetBodyHttp2,
        advisory: "https://my.f5.com/manage/s/article/K000161131",
        note: "gixy-ng's trigger is HTTP/2 from clients with any proxy_pass; nginx's change log names `proxy_set_body` and an HTTP/2 backend",
    },
    Cve {
        id: "CVE-2026-42945",
        summary: "heap buffer overflow in ngx_http_rewrite_module (\"NGINX Rift\"), possibly remote code execution",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 6, 27), Version(1, 30, 0))],
        fixed: &[Version(1, 30, 1), Version(1, 31, 0)],
        trigger: Trigger::RewriteQuestionMarkThenScript,
        advisory: "https://my.f5.com/manage/s/article/K000161019",
        note: "",
    },
    Cve {
        id: "CVE-2026-42946",
        summary: "heap buffer overread in ngx_http_scgi_module or ngx_http_uwsgi_module on a crafted response",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 8, 42), Version(1, 30, 0))],
        fixed: &[Version(1, 30, 1), Version(1, 31, 0)],
        trigger: Trigger::ScgiUwsgi,
        advisory: "https://my.f5.com/manage/s/article/K000161027",
        note: "",
    },
    Cve {
        id: "CVE-2026-42934",
        summary: "heap buffer overread in ngx_http_charset_module decoding from UTF-8 via `charset_map`",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(0, 3, 50), Version(1, 30, 0))],
        fixed: &[Version(1, 30, 1), Version(1, 31, 0)],
        trigger: Trigger::CharsetFromUtf8,
        advisory: "https://my.f5.com/manage/s/article/K000161028",
        note: "gixy-ng's trigger is any `charset`; nginx's change log names decoding from UTF-8 via `charset_map`",
    },
    Cve {
        id: "CVE-2026-40460",
        summary: "HTTP/3 address spoofing through QUIC connection migration",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 25, 0), Version(1, 30, 0))],
        fixed: &[Version(1, 30, 1), Version(1, 31, 0)],
        trigger: Trigger::Quic,
        advisory: "https://my.f5.com/manage/s/article/K000161068",
        note: "",
    },
    Cve {
        id: "CVE-2026-40701",
        summary: "use-after-free processing a DNS response when `ssl_ocsp` is used",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 19, 0), Version(1, 30, 0))],
        fixed: &[Version(1, 30, 1), Version(1, 31, 0)],
        trigger: Trigger::OcspResolver,
        advisory: "https://my.f5.com/manage/s/article/K000161021",
        note: "gixy-ng's trigger is any `resolver`; nginx's change log names `ssl_ocsp`",
    },
    Cve {
        id: "CVE-2026-27654",
        summary: "buffer overflow handling COPY or MOVE in a location with `alias` (ngx_http_dav_module)",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 5, 13), Version(1, 29, 6))],
        fixed: &[Version(1, 28, 3), Version(1, 29, 7)],
        trigger: Trigger::DavCopyMoveAlias,
        advisory: "https://my.f5.com/manage/s/article/K000160382",
        note: "",
    },
    Cve {
        id: "CVE-2026-27784",
        summary: "buffer overflow in ngx_http_mp4_module on a crafted mp4 file (32-bit platforms)",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 1, 19), Version(1, 29, 6))],
        fixed: &[Version(1, 28, 3), Version(1, 29, 7)],
        trigger: Trigger::Mp4,
        advisory: "https://my.f5.com/manage/s/article/K000160364",
        note: "",
    },
    Cve {
        id: "CVE-2026-32647",
        summary: "buffer overflow in ngx_http_mp4_module on a crafted mp4 file",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 1, 19), Version(1, 29, 6))],
        fixed: &[Version(1, 28, 3), Version(1, 29, 7)],
        trigger: Trigger::Mp4,
        advisory: "https://my.f5.com/manage/s/article/K000160366",
        note: "",
    },
    Cve {
        id: "CVE-2026-27651",
        summary: "NULL pointer dereference in the mail proxy with CRAM-MD5 or APOP authentication and authentication retry",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(0, 5, 15), Version(1, 29, 6))],
        fixed: &[Version(1, 28, 3), Version(1, 29, 7)],
        trigger: Trigger::MailCramMd5Apop,
        advisory: "https://my.f5.com/manage/s/article/K000160383",
        note: "",
    },
    Cve {
        id: "CVE-2026-28753",
        summary: "PTR DNS records inject data into auth_http requests and the XCLIENT command",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 6, 27), Version(1, 29, 6))],
        fixed: &[Version(1, 28, 3), Version(1, 29, 7)],
        trigger: Trigger::MailSmtpResolver,
        advisory: "https://my.f5.com/manage/s/article/K000160367",
        note: "gixy-ng's trigger is any `auth_http`; the PTR record is looked up only by the SMTP proxy with a `resolver`",
    },
    Cve {
        id: "CVE-2026-28755",
        summary: "SSL handshake succeeds in the stream module although OCSP rejects the client certificate",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 27, 2), Version(1, 29, 6))],
        fixed: &[Version(1, 28, 3), Version(1, 29, 7)],
        trigger: Trigger::StreamOcsp,
        advisory: "https://my.f5.com/manage/s/article/K000160368",
        note: "",
    },
    Cve {
        id: "CVE-2026-1642",
        summary: "an attacker might inject plain text into the response from an SSL backend",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 3, 0), Version(1, 29, 4))],
        fixed: &[Version(1, 28, 2), Version(1, 29, 5)],
        trigger: Trigger::SslUpstream,
        advisory: "https://my.f5.com/manage/s/article/K000159824",
        note: "",
    },
    Cve {
        id: "CVE-2025-53859",
        summary: "worker memory disclosure to the authentication server with the `none` method of ngx_mail_smtp_module",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(0, 7, 22), Version(1, 29, 0))],
        fixed: &[Version(1, 28, 1), Version(1, 29, 1)],
        trigger: Trigger::MailSmtpAuthNone,
        advisory: "https://my.f5.com/manage/s/article/K000152786",
        note: "the advisories page lists 1.29.1+ only; the change log of the 1.28 branch names the fix in 1.28.1 as well",
    },
    Cve {
        id: "CVE-2025-23419",
        summary: "TLSv1.3 sessions reused in another virtual server bypass client certificate verification",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 11, 4), Version(1, 27, 3))],
        fixed: &[Version(1, 26, 3), Version(1, 27, 4)],
        trigger: Trigger::SessionReuseSni,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2025/NYEUJX7NCBCGJGXDFVXNMAAMJDFSE45G.html",
        note: "",
    },
    Cve {
        id: "CVE-2024-7347",
        summary: "buffer overread in ngx_http_mp4_module on a crafted mp4 file",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(1, 5, 13), Version(1, 27, 0))],
        fixed: &[Version(1, 26, 2), Version(1, 27, 1)],
        trigger: Trigger::Mp4,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2024/UUOCLLONPR6244YQYU65PO5LB7JDYCWM.html",
        note: "",
    },
    Cve {
        id: "CVE-2024-32760",
        summary: "buffer overwrite in HTTP/3",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 25, 0), Version(1, 25, 5)),
            (Version(1, 26, 0), Version(1, 26, 0)),
        ],
        fixed: &[Version(1, 26, 1), Version(1, 27, 0)],
        trigger: Trigger::Quic,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2024/GMY32CSHFH6VFTN76HJNX7WNEX4RLHF6.html",
        note: "",
    },
    Cve {
        id: "CVE-2024-31079",
        summary: "stack overflow and use-after-free in HTTP/3",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 25, 0), Version(1, 25, 5)),
            (Version(1, 26, 0), Version(1, 26, 0)),
        ],
        fixed: &[Version(1, 26, 1), Version(1, 27, 0)],
        trigger: Trigger::Quic,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2024/GMY32CSHFH6VFTN76HJNX7WNEX4RLHF6.html",
        note: "",
    },
    Cve {
        id: "CVE-2024-35200",
        summary: "NULL pointer dereference in HTTP/3",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 25, 0), Version(1, 25, 5)),
            (Version(1, 26, 0), Version(1, 26, 0)),
        ],
        fixed: &[Version(1, 26, 1), Version(1, 27, 0)],
        trigger: Trigger::Quic,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2024/GMY32CSHFH6VFTN76HJNX7WNEX4RLHF6.html",
        note: "",
    },
    Cve {
        id: "CVE-2024-34161",
        summary: "worker memory disclosure in HTTP/3 (MTU larger than 4096 bytes)",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 25, 0), Version(1, 25, 5)),
            (Version(1, 26, 0), Version(1, 26, 0)),
        ],
        fixed: &[Version(1, 26, 1), Version(1, 27, 0)],
        trigger: Trigger::Quic,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2024/GMY32CSHFH6VFTN76HJNX7WNEX4RLHF6.html",
        note: "",
    },
    Cve {
        id: "CVE-2024-24989",
        summary: "NULL pointer dereference in HTTP/3",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(1, 25, 3), Version(1, 25, 3))],
        fixed: &[Version(1, 25, 4)],
        trigger: Trigger::Quic,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2024/NW6MNW34VZ6HDIHH5YFBIJYZJN7FGNAV.html",
        note: "",
    },
    Cve {
        id: "CVE-2024-24990",
        summary: "use-after-free in HTTP/3",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(1, 25, 0), Version(1, 25, 3))],
        fixed: &[Version(1, 25, 4)],
        trigger: Trigger::Quic,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2024/NW6MNW34VZ6HDIHH5YFBIJYZJN7FGNAV.html",
        note: "",
    },
    Cve {
        id: "CVE-2022-41741",
        summary: "memory corruption in ngx_http_mp4_module on a crafted mp4 file",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 1, 3), Version(1, 23, 1)),
            (Version(1, 0, 7), Version(1, 0, 15)),
        ],
        fixed: &[Version(1, 22, 1), Version(1, 23, 2)],
        trigger: Trigger::Mp4,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2022/RBRRON6PYBJJM2XIAPQBFBVLR4Q6IHRA.html",
        note: "",
    },
    Cve {
        id: "CVE-2022-41742",
        summary: "memory disclosure in ngx_http_mp4_module on a crafted mp4 file",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 1, 3), Version(1, 23, 1)),
            (Version(1, 0, 7), Version(1, 0, 15)),
        ],
        fixed: &[Version(1, 22, 1), Version(1, 23, 2)],
        trigger: Trigger::Mp4,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2022/RBRRON6PYBJJM2XIAPQBFBVLR4Q6IHRA.html",
        note: "",
    },
    Cve {
        id: "CVE-2021-23017",
        summary: "1-byte memory overwrite in the resolver processing a forged DNS response",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 6, 18), Version(1, 20, 0))],
        fixed: &[Version(1, 20, 1), Version(1, 21, 0)],
        trigger: Trigger::Resolver,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2021/000300.html",
        note: "",
    },
    Cve {
        id: "CVE-2019-9511",
        summary: "excessive CPU usage in HTTP/2 with small window updates",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 9, 5), Version(1, 17, 2))],
        fixed: &[Version(1, 16, 1), Version(1, 17, 3)],
        trigger: Trigger::Http2,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2019/000249.html",
        note: "",
    },
    Cve {
        id: "CVE-2019-9513",
        summary: "excessive CPU usage in HTTP/2 with priority changes",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(1, 9, 5), Version(1, 17, 2))],
        fixed: &[Version(1, 16, 1), Version(1, 17, 3)],
        trigger: Trigger::Http2,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2019/000249.html",
        note: "",
    },
    Cve {
        id: "CVE-2019-9516",
        summary: "excessive memory usage in HTTP/2 with zero length headers",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(1, 9, 5), Version(1, 17, 2))],
        fixed: &[Version(1, 16, 1), Version(1, 17, 3)],
        trigger: Trigger::Http2,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2019/000249.html",
        note: "",
    },
    Cve {
        id: "CVE-2018-16843",
        summary: "excessive memory usage in HTTP/2",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(1, 9, 5), Version(1, 15, 5))],
        fixed: &[Version(1, 14, 1), Version(1, 15, 6)],
        trigger: Trigger::Http2,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2018/000220.html",
        note: "",
    },
    Cve {
        id: "CVE-2018-16844",
        summary: "excessive CPU usage in HTTP/2",
        severity: AdvisorySeverity::Low,
        vulnerable: &[(Version(1, 9, 5), Version(1, 15, 5))],
        fixed: &[Version(1, 14, 1), Version(1, 15, 6)],
        trigger: Trigger::Http2,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2018/000220.html",
        note: "",
    },
    Cve {
        id: "CVE-2018-16845",
        summary: "memory disclosure in ngx_http_mp4_module on a crafted mp4 file",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 1, 3), Version(1, 15, 5)),
            (Version(1, 0, 7), Version(1, 0, 15)),
        ],
        fixed: &[Version(1, 14, 1), Version(1, 15, 6)],
        trigger: Trigger::Mp4,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2018/000221.html",
        note: "",
    },
    Cve {
        id: "CVE-2016-0742",
        summary: "invalid pointer dereference in the resolver processing a forged DNS response",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 6, 18), Version(1, 9, 9))],
        fixed: &[Version(1, 8, 1), Version(1, 9, 10)],
        trigger: Trigger::Resolver,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2016/000169.html",
        note: "",
    },
    Cve {
        id: "CVE-2016-0746",
        summary: "use-after-free in the resolver processing a CNAME response",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 6, 18), Version(1, 9, 9))],
        fixed: &[Version(1, 8, 1), Version(1, 9, 10)],
        trigger: Trigger::Resolver,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2016/000169.html",
        note: "",
    },
    Cve {
        id: "CVE-2016-0747",
        summary: "insufficient limits of CNAME resolution in the resolver",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 6, 18), Version(1, 9, 9))],
        fixed: &[Version(1, 8, 1), Version(1, 9, 10)],
        trigger: Trigger::Resolver,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2016/000169.html",
        note: "",
    },
    Cve {
        id: "CVE-2014-3616",
        summary: "SSL sessions reused in unrelated contexts through a shared session cache or ticket key",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 5, 6), Version(1, 7, 4))],
        fixed: &[Version(1, 6, 2), Version(1, 7, 5)],
        trigger: Trigger::SessionShared,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2014/000147.html",
        note: "",
    },
    Cve {
        id: "CVE-2014-3556",
        summary: "STARTTLS command injection in the SMTP proxy (pipelined commands kept)",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(1, 5, 6), Version(1, 7, 3))],
        fixed: &[Version(1, 6, 1), Version(1, 7, 4)],
        trigger: Trigger::MailStarttls,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2014/000144.html",
        note: "",
    },
    Cve {
        id: "CVE-2014-0133",
        summary: "heap buffer overflow in ngx_http_spdy_module, possibly code execution",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(1, 3, 15), Version(1, 5, 11))],
        fixed: &[Version(1, 4, 7), Version(1, 5, 12)],
        trigger: Trigger::Spdy,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2014/000135.html",
        note: "",
    },
    Cve {
        id: "CVE-2014-0088",
        summary: "memory corruption in ngx_http_spdy_module (32-bit platforms), possibly code execution",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(1, 5, 10), Version(1, 5, 10))],
        fixed: &[Version(1, 5, 11)],
        trigger: Trigger::Spdy,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2014/000132.html",
        note: "",
    },
    Cve {
        id: "CVE-2013-2070",
        summary: "worker memory disclosure with a crafted response from an HTTP backend",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[
            (Version(1, 1, 4), Version(1, 2, 8)),
            (Version(1, 3, 9), Version(1, 4, 0)),
        ],
        fixed: &[Version(1, 2, 9), Version(1, 4, 1), Version(1, 5, 0)],
        trigger: Trigger::ProxyHttp,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2013/000114.html",
        note: "the change log names this CVE only in 1.2.9; the advisories page lists 1.4.1 and 1.5.0 too (the fix of CVE-2013-2028)",
    },
    Cve {
        id: "CVE-2012-2089",
        summary: "buffer overflow in ngx_http_mp4_module on a crafted mp4 file, possibly code execution",
        severity: AdvisorySeverity::Major,
        vulnerable: &[
            (Version(1, 1, 3), Version(1, 1, 18)),
            (Version(1, 0, 7), Version(1, 0, 14)),
        ],
        fixed: &[Version(1, 0, 15), Version(1, 1, 19)],
        trigger: Trigger::Mp4,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2012/000080.html",
        note: "",
    },
    Cve {
        id: "CVE-2012-1180",
        summary: "freed memory sent to a client with a crafted backend response",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(0, 1, 0), Version(1, 1, 16))],
        fixed: &[Version(1, 0, 14), Version(1, 1, 17)],
        trigger: Trigger::UpstreamHeaders,
        advisory: "https://mailman.nginx.org/pipermail/nginx-announce/2012/000076.html",
        note: "the change log's entry names no CVE; the fix (1.0.14) is in the proxy, fastcgi, scgi and uwsgi modules",
    },
    Cve {
        id: "CVE-2011-4315",
        summary: "buffer overflow in the resolver",
        severity: AdvisorySeverity::Medium,
        vulnerable: &[(Version(0, 6, 18), Version(1, 1, 7))],
        fixed: &[Version(1, 0, 10), Version(1, 1, 8)],
        trigger: Trigger::Resolver,
        advisory: ADVISORIES,
        note: "the change log's entry names no CVE",
    },
    Cve {
        id: "CVE-2009-3555",
        summary: "the TLS renegotiation vulnerability (nginx disabled renegotiation)",
        severity: AdvisorySeverity::Major,
        vulnerable: &[(Version(0, 1, 0), Version(0, 8, 22))],
        fixed: &[Version(0, 7, 64), Version(0, 8, 23)],
        trigger: Trigger::TlsServer,
        advisory: ADVISORIES,
        note: "the change log's entry (0.8.23) names no CVE",
    },
    Cve {
        id: "CVE-2009-3898",
        summary: "directory traversal through `/../` in the Destination header of WebDAV COPY and MOVE",
        severity: AdvisorySeverity::Minor,
        vulnerable: &[(Version(0, 1, 0), Version(0, 8, 16))],
        fixed: &[Version(0, 7, 63), Version(0, 8, 17)],
        trigger: Trigger::DavCopyMove,
        advisory: ADVISORIES,
        note: "the change log's entry (0.8.17) names no CVE",
    },
];

impl Cve {
    /// In a vulnerable range, and not at or past a fix on the same branch (`1.30.4` fixes
    /// `1.30.x` from 4 on).
    pub fn affects(&self, v: Version) -> bool {
        self.vulnerable
            .iter()
            .any(|&(from, to)| from <= v && v <= to)
            && !self
                .fixed
                .iter()
                .any(|f| f.0 == v.0 && f.1 == v.1 && *f <= v)
    }

    /// "1.30.1 or 1.31.0".
    pub fn fixed_text(&self) -> String {
        self.fixed
            .iter()
            .map(|v| format!("{v}"))
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// Does `s` reference an unnamed capture (`$1`..`$9`, `${1}`)?
pub fn unnamed_capture_at(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| {
        b[i] == b'$'
            && (b.get(i + 1).is_some_and(u8::is_ascii_digit)
                || (b.get(i + 1) == Some(&b'{') && b.get(i + 2).is_some_and(u8::is_ascii_digit)))
    })
}

/// The nodes where `trigger` appears: (the directive to report, a related one), each pair once.
pub fn trigger_sites(model: &Model<'_>, trigger: Trigger) -> Vec<(NodeId, NodeId)> {
    let mut sites = match trigger {
        Trigger::RewriteQuestionMarkThenScript => rewrite_sites(model),
        Trigger::CaptureBeforeRegexMap => map_sites(model),
        Trigger::SsiUnbufferedProxy => ssi_sites(model),
        Trigger::RewriteOverlappingCaptures => overlapping_sites(model),
        Trigger::CaptureInSubrequest => subrequest_capture_sites(model),
        Trigger::Quic => listen_param_sites(model, "quic"),
        Trigger::Spdy => listen_param_sites(model, "spdy"),
        // `http2 on` came in 1.25.1, after every release an HTTP/2 row affects.
        Trigger::Http2 => listen_param_sites(model, "http2"),
        Trigger::Http2UpstreamInvalidHeaders => http2_upstream_header_sites(model),
        Trigger::ProxySetBodyHttp2 => proxy_set_body_sites(model),
        Trigger::CharsetFromUtf8 => charset_sites(model),
        Trigger::ScgiUwsgi => ["scgi_pass", "uwsgi_pass"]
            .iter()
            .flat_map(|d| named_in(model, d, "http"))
            .map(|n| (n, n))
            .collect(),
        Trigger::OcspResolver => ocsp_sites(model, true),
        Trigger::StreamOcsp => ocsp_sites(model, false),
        Trigger::DavCopyMoveAlias => dav_alias_sites(model),
        Trigger::DavCopyMove => named_in(model, "dav_methods", "http")
            .into_iter()
            .filter(|&n| copy_or_move(model, n))
            .map(|n| (n, n))
            .collect(),
        Trigger::Mp4 => named_in(model, "mp4", "http")
            .into_iter()
            .map(|n| (n, n))
            .collect(),
        Trigger::MailCramMd5Apop => ["imap_auth", "pop3_auth", "smtp_auth"]
            .iter()
            .flat_map(|d| named_in(model, d, "mail"))
            .filter(|&n| {
                args(model, n)
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case("cram-md5") || a.eq_ignore_ascii_case("apop"))
            })
            .map(|n| (n, n))
            .collect(),
        Trigger::MailSmtpResolver => smtp_servers(model)
            .into_iter()
            .filter_map(|s| {
                let r = effective_node(model, Some(s), "resolver")?;
                (model.arg(r, 0).as_deref() != Some("off")).then_some((r, s))
            })
            .collect(),
        Trigger::MailSmtpAuthNone => smtp_servers(model)
            .into_iter()
            .filter_map(|s| {
                let eff = model.effective(Some(s), "smtp_auth");
                let n = eff
                    .nodes
                    .iter()
                    .copied()
                    .find(|&n| args(model, n).iter().any(|a| a == "none"))?;
                Some((n, s))
            })
            .collect(),
        Trigger::MailStarttls => smtp_servers(model)
            .into_iter()
            .filter_map(|s| {
                Some((
                    effective_on(model, Some(s), "starttls", &["on", "only"])?,
                    s,
                ))
            })
            .collect(),
        Trigger::SslUpstream => [
            ("proxy_pass", "https://"),
            ("grpc_pass", "grpcs://"),
            ("uwsgi_pass", "suwsgi://"),
        ]
        .iter()
        .flat_map(|&(d, scheme)| {
            named_in(model, d, "http").into_iter().filter(move |&n| {
                model
                    .arg(n, 0)
                    .is_some_and(|a| a.to_ascii_lowercase().starts_with(scheme))
            })
        })
        .map(|n| (n, n))
        .collect(),
        Trigger::ProxyHttp => named_in(model, "proxy_pass", "http")
            .into_iter()
            .filter(|&n| {
                model
                    .arg(n, 0)
                    .is_some_and(|a| !a.to_ascii_lowercase().starts_with("https://"))
            })
            .map(|n| (n, n))
            .collect(),
        Trigger::UpstreamHeaders => ["proxy_pass", "fastcgi_pass", "scgi_pass", "uwsgi_pass"]
            .iter()
            .flat_map(|d| named_in(model, d, "http"))
            .map(|n| (n, n))
            .collect(),
        Trigger::Resolver => resolver_sites(model),
        Trigger::SessionShared => session_sites(model),
        Trigger::SessionReuseSni => sni_resumption_sites(model),
        Trigger::TlsServer => {
            let mut out: Vec<(NodeId, NodeId)> = model
                .directives_named("listen")
                .iter()
                .copied()
                .filter(|&l| model.has_param(l, "ssl"))
                .map(|l| (l, l))
                .collect();
            out.extend(
                model
                    .directives_named("ssl")
                    .iter()
                    .copied()
                    .filter(|&n| model.arg(n, 0).as_deref() == Some("on"))
                    .map(|n| (n, n)),
            );
            out
        }
    };
    let mut seen = std::collections::HashSet::new();
    sites.retain(|p| seen.insert(*p));
    sites
}

/// The `name` directives inside a `top` block (`http`, `stream`, `mail`).
fn named_in(model: &Model<'_>, name: &str, top: &str) -> Vec<NodeId> {
    model
        .directives_named(name)
        .iter()
        .copied()
        .filter(|&n| model.enclosing(n, top).is_some())
        .collect()
}

/// The directive in effect for `name` at `at` (set there or inherited), if any.
fn effective_node(model: &Model<'_>, at: Option<NodeId>, name: &str) -> Option<NodeId> {
    model.effective(at, name).nodes.last().copied()
}

/// The directive in effect for `name` at `at` when its first argument is one of `values`.
fn effective_on(
    model: &Model<'_>,
    at: Option<NodeId>,
    name: &str,
    values: &[&str],
) -> Option<NodeId> {
    effective_node(model, at, name).filter(|&n| {
        model
            .arg(n, 0)
            .is_some_and(|a| values.iter().any(|v| a.eq_ignore_ascii_case(v)))
    })
}

/// `server` blocks directly in a `top` block.
fn servers_in(model: &Model<'_>, top: &str) -> Vec<NodeId> {
    model
        .directives_named("server")
        .iter()
        .copied()
        .filter(|&s| model.node(s).parent().is_some_and(|p| model.name(p) == top))
        .collect()
}

fn listen_param_sites(model: &Model<'_>, param: &str) -> Vec<(NodeId, NodeId)> {
    named_in(model, "listen", "http")
        .into_iter()
        .filter(|&l| model.has_param(l, param))
        .map(|l| (l, l))
        .collect()
}

/// nginx's change log (1.31.3): "uninitialized memory access might occur when using unnamed
/// regex captures with the "slice" directive or background cache update".
fn subrequest_capture_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    for (i, node) in model.nodes.iter().enumerate() {
        let id = i as NodeId;
        if model.enclosing(id, "http").is_none() || model.enclosing(id, "map").is_some() {
            continue;
        }
        if !args(model, id)
            .iter()
            .any(|a| unnamed_capture_at(a).is_some())
        {
            continue;
        }
        let at = node.parent();
        let slice = effective_node(model, at, "slice")
            .filter(|&n| model.arg(n, 0).is_some_and(|a| a != "0"));
        let update = effective_on(model, at, "proxy_cache_background_update", &["on"]);
        if let Some(s) = slice.or(update) {
            out.push((id, s));
        }
    }
    out
}

/// nginx's change log (1.31.2): a heap overflow "when using a configuration with
/// "ignore_invalid_headers off;" and "large_client_header_buffers" with large configured
/// values when proxying a specially crafted request to HTTP/2 or gRPC backend". The entry
/// does not say how large: any `large_client_header_buffers` set counts.
fn http2_upstream_header_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut passes = named_in(model, "grpc_pass", "http");
    passes.extend(
        named_in(model, "proxy_pass", "http")
            .into_iter()
            .filter(|&p| {
                effective_on(model, model.node(p).parent(), "proxy_http_version", &["2"]).is_some()
            }),
    );
    passes
        .into_iter()
        .filter_map(|p| {
            let at = model.node(p).parent();
            let off = effective_on(model, at, "ignore_invalid_headers", &["off"])?;
            effective_node(model, at, "large_client_header_buffers")?;
            Some((p, off))
        })
        .collect()
}

/// nginx's change log (1.31.0): "when using the "proxy_set_body" directive, an attacker might
/// inject data in the proxied request to an HTTP/2 backend".
fn proxy_set_body_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    named_in(model, "proxy_pass", "http")
        .into_iter()
        .filter_map(|p| {
            let at = model.node(p).parent();
            let body = effective_node(model, at, "proxy_set_body")?;
            let v2 = effective_on(model, at, "proxy_http_version", &["2"])?;
            Some((body, v2))
        })
        .collect()
}

/// nginx's change log (1.31.0, 1.31.2): an overread "while handling a specially sent response
/// with decoding from UTF-8 via the "charset_map" directive": a `charset_map X utf-8` table
/// used to convert a UTF-8 source (`source_charset utf-8`, or the response's own charset with
/// `override_charset on`) to `charset X`.
fn charset_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let utf8 = |s: &str| s.eq_ignore_ascii_case("utf-8");
    let maps: Vec<(String, NodeId)> = named_in(model, "charset_map", "http")
        .into_iter()
        .filter(|&m| model.arg(m, 1).is_some_and(|a| utf8(&a)))
        .filter_map(|m| Some((model.arg(m, 0)?.to_ascii_lowercase(), m)))
        .collect();
    if maps.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for name in ["charset", "source_charset", "override_charset"] {
        for n in named_in(model, name, "http") {
            let at = model.node(n).parent();
            let Some(c) = effective_node(model, at, "charset") else {
                continue;
            };
            let Some(target) = model.arg(c, 0).map(|a| a.to_ascii_lowercase()) else {
                continue;
            };
            let Some(&(_, m)) = maps.iter().find(|(t, _)| *t == target) else {
                continue;
            };
            let from_utf8 = effective_node(model, at, "source_charset")
                .and_then(|s| model.arg(s, 0))
                .is_some_and(|a| utf8(&a))
                || effective_on(model, at, "override_charset", &["on"]).is_some();
            if from_utf8 {
                out.push((c, m));
            }
        }
    }
    out
}

/// `ssl_ocsp on|leaf` in effect in a server that verifies client certificates
/// (`ssl_verify_client on|optional`; nginx refuses `ssl_ocsp` with `optional_no_ca`). With
/// `resolver`, the http and stream servers with a resolver in effect and a responder host to
/// resolve (CVE-2026-40701: "during DNS server response processing if the "ssl_ocsp"
/// directive was used"; nginx's fix 71841dced, "OCSP: resolve cleanup on connection close");
/// without, the stream servers (CVE-2026-28755).
fn ocsp_sites(model: &Model<'_>, resolver: bool) -> Vec<(NodeId, NodeId)> {
    let mut servers = servers_in(model, "stream");
    if resolver {
        servers.extend(servers_in(model, "http"));
    }
    servers
        .into_iter()
        .filter_map(|s| {
            let ocsp = effective_on(model, Some(s), "ssl_ocsp", &["on", "leaf"])?;
            let verify = effective_on(model, Some(s), "ssl_verify_client", &["on", "optional"])?;
            if resolver {
                // An `ssl_ocsp_responder` whose host is an IP address is never resolved (it
                // replaces the certificates' responder URLs).
                let responder = effective_node(model, Some(s), "ssl_ocsp_responder")
                    .and_then(|n| model.arg(n, 0));
                if responder.is_some_and(|r| super::tls::url_host_is_ip(&r)) {
                    return None;
                }
                Some((ocsp, effective_node(model, Some(s), "resolver")?))
            } else {
                Some((ocsp, verify))
            }
        })
        .collect()
}

fn copy_or_move(model: &Model<'_>, n: NodeId) -> bool {
    args(model, n).iter().any(|a| a == "COPY" || a == "MOVE")
}

/// nginx's change log (1.29.7): "a buffer overflow might occur while handling a COPY or MOVE
/// request in a location with "alias"".
fn dav_alias_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    named_in(model, "alias", "http")
        .into_iter()
        .filter_map(|a| {
            let dav = effective_node(model, model.node(a).parent(), "dav_methods")?;
            copy_or_move(model, dav).then_some((dav, a))
        })
        .collect()
}

/// The mail servers that speak SMTP: `protocol smtp`, or no `protocol` and a `listen` on port
/// 25, 465 or 587 (nginx picks the protocol by port then, `ngx_mail_core_listen`).
fn smtp_servers(model: &Model<'_>) -> Vec<NodeId> {
    servers_in(model, "mail")
        .into_iter()
        .filter(
            |&s| match model.children_named_slice(Some(s), "protocol").last() {
                Some(&p) => model.arg(p, 0).as_deref() == Some("smtp"),
                None => model
                    .children_named_slice(Some(s), "listen")
                    .iter()
                    .any(|&l| {
                        model.arg(l, 0).is_some_and(|a| {
                            let port = a.rsplit(':').next().unwrap_or(&a);
                            matches!(port, "25" | "465" | "587")
                        })
                    }),
            },
        )
        .collect()
}

/// Where nginx asks its resolver at run time, with the `resolver` in effect there: a
/// `*_pass` whose address has variables, `ssl_stapling on`, `ssl_ocsp`, an SMTP mail server
/// (the client's PTR record). A `resolver` nothing asks is never sent a query, so it
/// processes no DNS response. (An upstream `server ... resolve` came in 1.27.3, after every
/// release the resolver rows affect.)
fn resolver_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    let resolver_at = |at: Option<NodeId>| {
        effective_node(model, at, "resolver").filter(|&r| model.arg(r, 0).as_deref() != Some("off"))
    };
    for pass in [
        "proxy_pass",
        "fastcgi_pass",
        "uwsgi_pass",
        "scgi_pass",
        "grpc_pass",
        "memcached_pass",
    ] {
        for p in model.directives_named(pass).iter().copied() {
            if model.arg(p, 0).is_some_and(|a| a.contains('$'))
                && let Some(r) = resolver_at(model.node(p).parent())
            {
                out.push((p, r));
            }
        }
    }
    for s in servers_in(model, "http")
        .into_iter()
        .chain(servers_in(model, "stream"))
    {
        let user = effective_on(model, Some(s), "ssl_stapling", &["on"])
            .or_else(|| effective_on(model, Some(s), "ssl_ocsp", &["on", "leaf"]));
        if let Some(u) = user
            && let Some(r) = resolver_at(Some(s))
        {
            out.push((u, r));
        }
    }
    for s in smtp_servers(model) {
        if let Some(r) = resolver_at(Some(s)) {
            out.push((r, s));
        }
    }
    out
}

/// TLS servers sharing a session cache zone (`ssl_session_cache shared:NAME`) or a ticket key
/// file (`ssl_session_ticket_key`). nginx's change log (1.7.5): "it was possible to reuse SSL
/// sessions in unrelated contexts if a shared SSL session cache or the same TLS session ticket
/// key was used for multiple "server" blocks".
fn session_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let servers: Vec<Vec<(String, NodeId)>> = super::tls::tls_servers(model)
        .into_iter()
        .map(|(s, _)| shared_session_state(model, s))
        .collect();
    let mut out = Vec::new();
    for (i, a) in servers.iter().enumerate() {
        for b in &servers[i + 1..] {
            if let Some(&(_, node)) = a.iter().find(|(what, _)| b.iter().any(|(w, _)| w == what)) {
                out.push((node, node));
            }
        }
    }
    out
}

/// What a server's sessions are kept in that another server can share: `cache NAME` for
/// `ssl_session_cache shared:NAME`, `key FILE` for each `ssl_session_ticket_key`.
fn shared_session_state(model: &Model<'_>, s: NodeId) -> Vec<(String, NodeId)> {
    let mut shared = Vec::new();
    if let Some(c) = effective_node(model, Some(s), "ssl_session_cache") {
        for a in args(model, c) {
            if let Some(rest) = a.strip_prefix("shared:") {
                let zone = rest.split(':').next().unwrap_or(rest);
                shared.push((format!("cache {zone}"), c));
            }
        }
    }
    for &k in model.effective(Some(s), "ssl_session_ticket_key").nodes {
        if let Some(f) = model.arg(k, 0) {
            shared.push((format!("key {f}"), k));
        }
    }
    shared
}

/// nginx's fix (46b9f5d38, "SNI: added restriction for TLSv1.3 cross-SNI session
/// resumption", 1.27.4): "in OpenSSL, session resumption always happens in the default SSL
/// context, prior to invoking the SNI callback", and in TLSv1.3 the resumed handshake may name
/// another server, so a session made with one server name was accepted by a server on the
/// same address that verifies client certificates. The trigger: TLS servers on one address
/// where one verifies client certificates (`ssl_verify_client` on, optional or
/// optional_no_ca) and another does not verify them the same way (mode or CA), and the
/// address's default server (`default_server`, else the first) resumes sessions (tickets,
/// on by default, or an `ssl_session_cache` other than `none`/`off`) with TLSv1.3 on (in the
/// default since 1.23.4). Builds with LibreSSL or BoringSSL are not affected; the
/// configuration does not say which library nginx uses.
fn sni_resumption_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut groups: Vec<(String, Vec<(NodeId, NodeId)>)> = Vec::new();
    for (s, l) in super::tls::tls_servers(model) {
        for &l2 in model.children_named_slice(Some(s), "listen") {
            let Some(addr) = model
                .arg(l2, 0)
                .and_then(|a| super::loadtime::listen_address(&a))
            else {
                continue;
            };
            if l2 != l && !model.has_param(l2, "ssl") {
                continue;
            }
            match groups.iter_mut().find(|(a, _)| *a == addr) {
                Some((_, g)) => g.push((s, l2)),
                None => groups.push((addr, vec![(s, l2)])),
            }
        }
    }
    let mut out = Vec::new();
    for (_, group) in groups {
        if group.len() < 2 {
            continue;
        }
        let &(default, default_listen) = group
            .iter()
            .find(|&&(_, l)| model.has_param(l, "default_server") || model.has_param(l, "default"))
            .unwrap_or(&group[0]);
        let tickets = effective_node(model, Some(default), "ssl_session_tickets")
            .is_none_or(|n| model.arg(n, 0).as_deref() != Some("off"));
        let cache = effective_node(model, Some(default), "ssl_session_cache").is_some_and(|n| {
            args(model, n)
                .first()
                .is_some_and(|a| a != "none" && a != "off")
        });
        let tls13 = match effective_node(model, Some(default), "ssl_protocols") {
            Some(p) => args(model, p).iter().any(|a| a == "TLSv1.3"),
            None => model.version >= Version(1, 23, 4),
        };
        if !(tickets || cache) || !tls13 {
            continue;
        }
        let verification = |s: NodeId| {
            let mode = effective_node(model, Some(s), "ssl_verify_client");
            let verifies = mode.filter(|&n| {
                model
                    .arg(n, 0)
                    .is_some_and(|a| matches!(a.as_str(), "on" | "optional" | "optional_no_ca"))
            });
            let ca = effective_node(model, Some(s), "ssl_client_certificate")
                .and_then(|n| model.arg(n, 0));
            (verifies, verifies.and_then(|n| model.arg(n, 0)), ca)
        };
        for &(s, _) in &group {
            let (Some(v), mode, ca) = verification(s) else {
                continue;
            };
            let differs = group.iter().any(|&(t, _)| {
                let (_, m2, ca2) = verification(t);
                t != s && (m2 != mode || ca2 != ca)
            });
            if differs {
                out.push((v, default_listen));
            }
        }
    }
    out
}

fn args(model: &Model<'_>, n: NodeId) -> Vec<String> {
    (0..model.arg_count(n))
        .filter_map(|i| model.arg(n, i))
        .collect()
}

/// nginx's fix (524977e7c, "Rewrite: fixed escaping and possible buffer overrun", 1.30.1 and
/// 1.31.0): a matching `rewrite` with arguments (`?`) in its replacement set the `is_args`
/// flag and never cleared it, so captures evaluated afterwards by the same script (a `set`
/// value, an `if` comparison value or file test, a `rewrite` replacement) were escaped into a
/// buffer sized without escaping. A `rewrite` with a flag (`last`, `break`, `redirect`,
/// `permanent`) or a replacement starting with `http://`, `https://` or `$scheme` (an implicit
/// redirect, `ngx_http_rewrite`) ends the script when it matches, as `break` and `return` do,
/// so nothing runs after it with the flag set. An `if` block's directives are compiled into
/// its parent's script (`nlcf->codes = lcf->codes`), so the walk enters and leaves `if` blocks.
fn rewrite_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    let mut follows = Follows::default();
    for &r in model.directives_named("rewrite") {
        let Some(replacement) = model.arg(r, 1) else {
            continue;
        };
        if !replacement.contains('?') || model.arg_count(r) > 2 || implicit_redirect(&replacement) {
            continue;
        }
        // The directives after `r` in its block, then after each enclosing `if` in its block.
        let mut node = r;
        let mut follow = None;
        while follow.is_none() {
            let Some(parent) = model.node(node).parent() else {
                break;
            };
            // Children are numbered in walk order: a binary search finds `node` among them.
            let Ok(pos) = model.children(parent).binary_search(&node) else {
                break;
            };
            match follows.after(model, parent, pos + 1) {
                Walk::Found(f) => follow = Some(f),
                Walk::Exit => break,
                Walk::End => {}
            }
            if model.name(parent) != "if" {
                break;
            }
            node = parent;
        }
        if let Some(f) = follow {
            out.push((r, f));
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Walk {
    /// A directive evaluating an unnamed capture.
    Found(NodeId),
    /// `break` or `return`: the script ends here.
    Exit,
    /// The end of the block.
    End,
}

/// [`Walk`] from each position of a block, worked out once per block from its end (a block of
/// thousands of `rewrite`s read every directive after each of them).
#[derive(Default)]
struct Follows {
    /// Per block: the walk from each child on, and from past the last child (`End`).
    blocks: HashMap<NodeId, Vec<Walk>>,
}

impl Follows {
    /// The first directive from child `pos` of `block` on (entering `if` blocks) that evaluates
    /// an unnamed capture in a complex value, unless the script ends first.
    fn after(&mut self, model: &Model<'_>, block: NodeId, pos: usize) -> Walk {
        if let Some(walks) = self.blocks.get(&block) {
            return walks[pos];
        }
        let children = model.children(block);
        let mut walks = vec![Walk::End; children.len() + 1];
        for (i, &s) in children.iter().enumerate().rev() {
            let name = model.name(s);
            // Only these are read (a block holds thousands of other lines).
            let args = if matches!(name, "set" | "rewrite" | "if") {
                args(model, s)
            } else {
                Vec::new()
            };
            let has = |v: Option<&String>| v.is_some_and(|v| unnamed_capture_at(v).is_some());
            walks[i] = match name {
                "break" | "return" => Walk::Exit,
                "set" | "rewrite" if has(args.get(1)) => Walk::Found(s),
                "if" => {
                    if if_values(&args)
                        .iter()
                        .any(|v| unnamed_capture_at(v).is_some())
                    {
                        Walk::Found(s)
                    } else {
                        // A `break`/`return` inside runs only when the condition holds.
                        match self.after(model, s, 0) {
                            found @ Walk::Found(_) => found,
                            _ => walks[i + 1],
                        }
                    }
                }
                _ => walks[i + 1],
            };
        }
        let walk = walks[pos];
        self.blocks.insert(block, walks);
        walk
    }
}

/// `rewrite` replacements nginx treats as a redirect without a flag.
fn implicit_redirect(replacement: &str) -> bool {
    ["http://", "https://", "$scheme"]
        .iter()
        .any(|p| replacement.starts_with(p))
}

/// The operands of an `if` condition nginx compiles as complex values: the value of `=`/`!=`
/// and the path of a file test. The tested variable is a variable lookup (`if ($1)` is
/// refused: unknown "1" variable) and a `~` operand is a regex, not a value.
fn if_values(args: &[String]) -> Vec<String> {
    let mut values: Vec<String> = args
        .iter()
        .map(|a| a.trim_start_matches('(').trim_end_matches(')').to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    match values.as_slice() {
        [v, op, _] if v.starts_with('$') && (op == "=" || op == "!=") => vec![values.remove(2)],
        [op, _]
            if matches!(
                op.as_str(),
                "-f" | "-d" | "-e" | "-x" | "!-f" | "!-d" | "!-e" | "!-x"
            ) =>
        {
            vec![values.remove(1)]
        }
        _ => Vec::new(),
    }
}

/// nginx's fix (ca4f92a27, "Rewrite: fix buffer overflow with overlapping captures", 1.30.2
/// and 1.31.1): for a replacement without variables and without a capture referenced twice
/// (`regex->lengths = NULL`), the buffer was sized with the captures' raw lengths plus the
/// escaping of the whole URI once; captures that are escaped (all of them in a redirect, the
/// ones after the first `?` otherwise) and overlap are escaped more than once, past the end.
fn overlapping_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    for &r in model.directives_named("rewrite") {
        let (Some(pattern), Some(replacement)) = (model.arg(r, 0), model.arg(r, 1)) else {
            continue;
        };
        let flag = model.arg(r, 2);
        let redirect = matches!(flag.as_deref(), Some("redirect" | "permanent"))
            || replacement.starts_with("http://")
            || replacement.starts_with("https://");
        // A last `?` only drops the request's arguments (`ngx_http_rewrite`).
        let compiled = replacement.strip_suffix('?').unwrap_or(&replacement);
        let Some(refs) = capture_refs(compiled) else {
            continue;
        };
        let escaped: Vec<usize> = refs
            .iter()
            .filter(|&&(at, _)| redirect || compiled[..at].contains('?'))
            .map(|&(_, n)| n)
            .collect();
        let Some(spans) = group_spans(&pattern) else {
            continue;
        };
        let span = |n: usize| n.checked_sub(1).and_then(|i| spans.get(i)).copied();
        let overlap = escaped.iter().enumerate().any(|(i, &a)| {
            escaped[i + 1..].iter().any(|&b| match (span(a), span(b)) {
                (Some((s1, e1)), Some((s2, e2))) => s1 < e2 && s2 < e1,
                _ => false,
            })
        });
        if overlap {
            out.push((r, r));
        }
    }
    out
}

/// The unnamed captures a replacement references, `(offset, number)`, when it references no
/// variable and no capture twice (either makes nginx size the buffer by a length pass).
fn capture_refs(s: &str) -> Option<Vec<(usize, usize)>> {
    let b = s.as_bytes();
    let mut refs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let (digit, len) = match (b.get(i + 1), b.get(i + 2), b.get(i + 3)) {
                (Some(d), _, _) if d.is_ascii_digit() => (*d, 2),
                (Some(b'{'), Some(d), Some(b'}')) if d.is_ascii_digit() => (*d, 4),
                _ => return None,
            };
            let n = usize::from(digit - b'0');
            if refs.iter().any(|&(_, m)| m == n) {
                return None;
            }
            refs.push((i, n));
            i += len;
        } else {
            i += 1;
        }
    }
    Some(refs)
}

/// The byte span of each capture group of `pattern` (in number order), from its `(` to its
/// `)`: groups overlap in a match only when one holds the other. `None` when the pattern does
/// not parse.
fn group_spans(pattern: &str) -> Option<Vec<(usize, usize)>> {
    // Leading PCRE start-of-pattern settings (`(*UTF)`, `(*UCP)`) are not groups.
    let mut pattern = pattern;
    while pattern.starts_with("(*") {
        pattern = &pattern[pattern.find(')')? + 1..];
    }
    let regex = super::regex::Regex::parse(pattern, false)?;
    let b = pattern.as_bytes();
    let mut spans = Vec::new();
    for g in &regex.groups {
        let (mut depth, mut i, mut class) = (0usize, g.start, false);
        let end = loop {
            match b.get(i)? {
                b'\\' => i += 1,
                b'[' if !class => {
                    class = true;
                    // `[]...]` and `[^]...]`: a first `]` is literal.
                    if b.get(i + 1) == Some(&b'^') {
                        i += 1;
                    }
                    if b.get(i + 1) == Some(&b']') {
                        i += 1;
                    }
                }
                b']' if class => class = false,
                b'(' if !class => depth += 1,
                b')' if !class => {
                    depth -= 1;
                    if depth == 0 {
                        break i;
                    }
                }
                _ => {}
            }
            i += 1;
        };
        spans.push((g.start, end));
    }
    Some(spans)
}

fn map_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    // Maps whose keys include a regex: their variable name -> the map.
    let mut regex_maps: Vec<(String, NodeId)> = Vec::new();
    for &m in model.directives_named("map") {
        let Some(var) = model.arg(m, 1) else {
            continue;
        };
        let has_regex = model
            .children(m)
            .iter()
            .any(|&e| model.name(e).starts_with('~'));
        if has_regex {
            regex_maps.push((var.trim_start_matches('$').to_owned(), m));
        }
    }
    if regex_maps.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for i in 0..model.nodes.len() {
        let id = i as NodeId;
        if model.name(id) == "map" || model.enclosing(id, "map").is_some() {
            continue;
        }
        for a in args(model, id) {
            let Some(at) = unnamed_capture_at(&a) else {
                continue;
            };
            let rest = &a[at + 1..];
            if let Some((_, m)) = regex_maps.iter().find(|(v, _)| {
                rest.match_indices(&format!("${v}"))
                    .chain(rest.match_indices(&format!("${{{v}}}")))
                    .any(|(j, pat)| {
                        let end = j + pat.len();
                        pat.ends_with('}')
                            || !rest[end..]
                                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    })
            }) {
                out.push((id, *m));
                break;
            }
        }
    }
    out
}

fn ssi_sites(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    for &p in model.directives_named("proxy_pass") {
        let at = model.node(p).parent();
        let ssi = model.effective(at, "ssi");
        let on = |eff: &super::model::Effective| {
            eff.nodes
                .last()
                .filter(|&&n| model.arg(n, 0).as_deref() == Some("on"))
                .copied()
        };
        let Some(_) = on(&ssi) else {
            continue;
        };
        let buffering = model.effective(at, "proxy_buffering");
        if let Some(&b) = buffering.nodes.last()
            && model.arg(b, 0).as_deref() == Some("off")
        {
            out.push((p, b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_operands_that_are_values() {
        let v = |a: &[&str]| if_values(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(v(&["($host", "=", "$1", ")"]), ["$1"]);
        assert_eq!(v(&["($host", "!=", "/$1)"]), ["/$1"]);
        assert_eq!(v(&["(-f", "/srv/$1", ")"]), ["/srv/$1"]);
        assert!(v(&["($host", "~", "$1", ")"]).is_empty());
        assert!(v(&["($1)"]).is_empty());
        assert_eq!(v(&["($1", "=", "x)"]), ["x"]);
    }

    #[test]
    fn overlapping_captures() {
        assert_eq!(group_spans("^/((.*))$"), Some(vec![(2, 7), (3, 6)]));
        assert_eq!(group_spans("^/([)])/(x)"), Some(vec![(2, 6), (8, 10)]));
        assert_eq!(group_spans("(*UTF)((.*))$"), Some(vec![(0, 5), (1, 4)]));
        assert_eq!(capture_refs("/a/$1?$2"), Some(vec![(3, 1), (6, 2)]));
        assert_eq!(capture_refs("/a/$1$1"), None);
        assert_eq!(capture_refs("/a/$1$host"), None);
    }

    #[test]
    fn captures() {
        assert_eq!(unnamed_capture_at("/x?$1"), Some(3));
        assert_eq!(unnamed_capture_at("/x?${1}"), Some(3));
        assert_eq!(unnamed_capture_at("$uri ${cap1}"), None);
    }
}
