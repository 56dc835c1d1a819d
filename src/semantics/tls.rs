//! TLS questions the security rules share: which servers serve TLS, what an OpenSSL cipher
//! string selects, which key-exchange groups an OpenSSL knows.
//!
//! The cipher-string reading follows OpenSSL's `ssl_cipher_process_rulestr` (documented in
//! `openssl-ciphers(1)`): elements separated by `:`, `,`, `;` or spaces; a leading `!`
//! removes suites for good, `-` removes them (a later element may add them back), `+` only
//! reorders, no prefix adds; `A+B` is the suites in both `A` and `B`; `@STRENGTH` and
//! `@SECLEVEL=n` select nothing; a name that matches nothing is skipped. Suites and aliases
//! are classed as OpenSSL 1.1.0 and later class them (3DES is `MEDIUM`, not `HIGH`).

use super::Context;
use super::loadtime::listen_address;
use super::model::{Model, NodeId};
use std::collections::HashMap;

/// A weak class of TLS 1.2-and-older cipher suites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weakness {
    /// No encryption at all (`eNULL`).
    Null,
    /// No authentication (`aNULL`: anonymous DH/ECDH, open to a man in the middle).
    Anonymous,
    /// 40/56-bit export-grade suites (FREAK, Logjam).
    Export,
    /// RC4 (RFC 7465 prohibits it).
    Rc4,
    /// Single DES (56-bit keys).
    Des,
    /// Triple DES (64-bit blocks: Sweet32, CVE-2016-2183).
    TripleDes,
    /// MD5 as the MAC.
    Md5,
}

impl Weakness {
    pub const ALL: [Weakness; 7] = [
        Weakness::Null,
        Weakness::Anonymous,
        Weakness::Export,
        Weakness::Rc4,
        Weakness::Des,
        Weakness::TripleDes,
        Weakness::Md5,
    ];

    /// How users write the class in a cipher string (what `!X` removes).
    pub fn alias(self) -> &'static str {
        match self {
            Weakness::Null => "eNULL",
            Weakness::Anonymous => "aNULL",
            Weakness::Export => "EXPORT",
            Weakness::Rc4 => "RC4",
            Weakness::Des => "DES",
            Weakness::TripleDes => "3DES",
            Weakness::Md5 => "MD5",
        }
    }

    /// A short description for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Weakness::Null => "unencrypted (eNULL)",
            Weakness::Anonymous => "unauthenticated (aNULL: anonymous DH/ECDH)",
            Weakness::Export => "export-grade (EXPORT)",
            Weakness::Rc4 => "RC4",
            Weakness::Des => "single-DES",
            Weakness::TripleDes => "3DES (Sweet32)",
            Weakness::Md5 => "MD5-MAC",
        }
    }

    fn bit(self) -> u64 {
        match self {
            Weakness::Null => E_NULL,
            Weakness::Anonymous => A_NULL,
            Weakness::Export => EXP,
            Weakness::Rc4 => RC4,
            Weakness::Des => DES,
            Weakness::TripleDes => DES3,
            Weakness::Md5 => MD5,
        }
    }
}

// Attribute bits of a suite: key exchange, authentication, encryption, MAC, strength.
const K_RSA: u64 = 1;
const K_DHE: u64 = 1 << 1;
const K_ECDHE: u64 = 1 << 2;
const K_PSK: u64 = 1 << 3;
const A_RSA: u64 = 1 << 4;
const A_DSS: u64 = 1 << 5;
const A_ECDSA: u64 = 1 << 6;
const A_NULL: u64 = 1 << 7;
const A_PSK: u64 = 1 << 8;
const E_NULL: u64 = 1 << 9;
const RC4: u64 = 1 << 10;
const DES: u64 = 1 << 11;
const DES3: u64 = 1 << 12;
const AES128: u64 = 1 << 13;
const AES256: u64 = 1 << 14;
const AESGCM: u64 = 1 << 15;
const CHACHA: u64 = 1 << 16;
const CAMELLIA: u64 = 1 << 17;
const IDEA: u64 = 1 << 18;
const SEED: u64 = 1 << 19;
const MD5: u64 = 1 << 20;
const SHA1: u64 = 1 << 21;
const SHA256: u64 = 1 << 22;
const SHA384: u64 = 1 << 23;
const AEAD: u64 = 1 << 24;
const HIGH: u64 = 1 << 25;
const MEDIUM: u64 = 1 << 26;
const LOW: u64 = 1 << 27;
const EXP: u64 = 1 << 28;
/// Suites of TLS 1.2 (GCM, ChaCha20, SHA-256/384 MACs).
const TLS12: u64 = 1 << 29;
/// Suites a name not in the table was read as (see [`classify_name`]).
const GUESSED: u64 = 1 << 30;

/// Representative suites of each class (OpenSSL names, OpenSSL 1.1.0+ strengths). A cipher
/// string is judged by which of these it keeps; suites named in the string itself and not
/// listed here are classed by their name.
const SUITES: &[(&str, u64)] = &[
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        K_ECDHE | A_ECDSA | AES128 | AESGCM | AEAD | TLS12 | HIGH,
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        K_ECDHE | A_RSA | AES256 | AESGCM | AEAD | TLS12 | HIGH,
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        K_ECDHE | A_RSA | CHACHA | AEAD | TLS12 | HIGH,
    ),
    (
        "DHE-RSA-AES128-GCM-SHA256",
        K_DHE | A_RSA | AES128 | AESGCM | AEAD | TLS12 | HIGH,
    ),
    (
        "DHE-DSS-AES256-SHA256",
        K_DHE | A_DSS | AES256 | SHA256 | TLS12 | HIGH,
    ),
    (
        "ECDHE-RSA-AES128-SHA",
        K_ECDHE | A_RSA | AES128 | SHA1 | HIGH,
    ),
    ("AES128-SHA", K_RSA | A_RSA | AES128 | SHA1 | HIGH),
    (
        "AES256-GCM-SHA384",
        K_RSA | A_RSA | AES256 | AESGCM | AEAD | TLS12 | HIGH,
    ),
    ("CAMELLIA256-SHA", K_RSA | A_RSA | CAMELLIA | SHA1 | HIGH),
    ("PSK-AES128-CBC-SHA", K_PSK | A_PSK | AES128 | SHA1 | HIGH),
    ("IDEA-CBC-SHA", K_RSA | A_RSA | IDEA | SHA1 | MEDIUM),
    ("SEED-SHA", K_RSA | A_RSA | SEED | SHA1 | MEDIUM),
    (
        "ADH-AES256-GCM-SHA384",
        K_DHE | A_NULL | AES256 | AESGCM | AEAD | TLS12 | HIGH,
    ),
    ("AECDH-AES128-SHA", K_ECDHE | A_NULL | AES128 | SHA1 | HIGH),
    ("DES-CBC3-SHA", K_RSA | A_RSA | DES3 | SHA1 | MEDIUM),
    (
        "ECDHE-RSA-DES-CBC3-SHA",
        K_ECDHE | A_RSA | DES3 | SHA1 | MEDIUM,
    ),
    ("ADH-DES-CBC3-SHA", K_DHE | A_NULL | DES3 | SHA1 | MEDIUM),
    ("RC4-SHA", K_RSA | A_RSA | RC4 | SHA1 | MEDIUM),
    ("RC4-MD5", K_RSA | A_RSA | RC4 | MD5 | MEDIUM),
    ("ECDHE-RSA-RC4-SHA", K_ECDHE | A_RSA | RC4 | SHA1 | MEDIUM),
    ("ADH-RC4-MD5", K_DHE | A_NULL | RC4 | MD5 | MEDIUM),
    ("DES-CBC-SHA", K_RSA | A_RSA | DES | SHA1 | LOW),
    ("EDH-RSA-DES-CBC-SHA", K_DHE | A_RSA | DES | SHA1 | LOW),
    ("EXP-RC4-MD5", K_RSA | A_RSA | RC4 | MD5 | EXP),
    ("EXP-DES-CBC-SHA", K_RSA | A_RSA | DES | SHA1 | EXP),
    ("EXP-ADH-DES-CBC-SHA", K_DHE | A_NULL | DES | SHA1 | EXP),
    ("NULL-SHA", K_RSA | A_RSA | E_NULL | SHA1),
    ("NULL-MD5", K_RSA | A_RSA | E_NULL | MD5),
    ("ECDHE-RSA-NULL-SHA", K_ECDHE | A_RSA | E_NULL | SHA1),
    ("AECDH-NULL-SHA", K_ECDHE | A_NULL | E_NULL | SHA1),
    ("PSK-NULL-SHA", K_PSK | A_PSK | E_NULL | SHA1),
];

/// Whether a suite matches an alias. `None`: not an alias (a suite name, or unknown).
fn alias(name: &str) -> Option<fn(u64) -> bool> {
    let f: fn(u64) -> bool = match name {
        "ALL" => |b| b & E_NULL == 0,
        "COMPLEMENTOFALL" | "eNULL" | "NULL" => |b| b & E_NULL != 0,
        // OpenSSL's built-in default (1.1.0+: ALL minus anonymous, NULL, RC4, single DES,
        // 3DES and export suites).
        "DEFAULT" => |b| b & (E_NULL | A_NULL | RC4 | DES | DES3 | EXP | MD5) == 0,
        "COMPLEMENTOFDEFAULT" => |b| b & E_NULL == 0 && b & (A_NULL | RC4 | DES | DES3 | EXP) != 0,
        "HIGH" => |b| b & HIGH != 0,
        "MEDIUM" => |b| b & MEDIUM != 0,
        "LOW" => |b| b & LOW != 0,
        "EXP" | "EXPORT" | "EXPORT40" | "EXPORT56" => |b| b & EXP != 0,
        "aNULL" => |b| b & A_NULL != 0,
        "ADH" => |b| b & A_NULL != 0 && b & K_DHE != 0,
        "AECDH" => |b| b & A_NULL != 0 && b & K_ECDHE != 0,
        "kRSA" | "RSA" => |b| b & K_RSA != 0,
        "aRSA" => |b| b & A_RSA != 0,
        "kEDH" | "kDHE" | "DH" => |b| b & K_DHE != 0,
        "EDH" | "DHE" => |b| b & K_DHE != 0 && b & A_NULL == 0,
        "kEECDH" | "kECDHE" | "ECDH" => |b| b & K_ECDHE != 0,
        "EECDH" | "ECDHE" => |b| b & K_ECDHE != 0 && b & A_NULL == 0,
        "aECDSA" | "ECDSA" => |b| b & A_ECDSA != 0,
        "aDSS" | "DSS" => |b| b & A_DSS != 0,
        "PSK" | "kPSK" | "aPSK" => |b| b & K_PSK != 0,
        "AES" => |b| b & (AES128 | AES256) != 0,
        "AES128" => |b| b & AES128 != 0,
        "AES256" => |b| b & AES256 != 0,
        "AESGCM" => |b| b & AESGCM != 0,
        "CHACHA20" => |b| b & CHACHA != 0,
        "CAMELLIA" => |b| b & CAMELLIA != 0,
        "IDEA" => |b| b & IDEA != 0,
        "SEED" => |b| b & SEED != 0,
        "3DES" => |b| b & DES3 != 0,
        "DES" => |b| b & DES != 0,
        "RC4" => |b| b & RC4 != 0,
        "MD5" => |b| b & MD5 != 0,
        "SHA1" | "SHA" => |b| b & SHA1 != 0,
        "SHA256" => |b| b & SHA256 != 0,
        "SHA384" => |b| b & SHA384 != 0,
        "AEAD" => |b| b & AEAD != 0,
        "TLSv1.2" => |b| b & TLS12 != 0,
        "TLSv1.0" | "TLSv1" | "SSLv3" => |b| b & TLS12 == 0,
        _ => return None,
    };
    Some(f)
}

/// Class a suite name the table does not hold by OpenSSL's naming (`ADH-`/`AECDH-` anonymous,
/// `EXP-` export, `NULL`, `RC4`, `DES-CBC3`/`3DES` vs `DES`, a trailing `MD5`); `None` when it
/// does not look like an OpenSSL suite name.
fn classify_name(name: &str) -> Option<u64> {
    if !name.contains('-') || name.starts_with("TLS_") {
        return None;
    }
    let parts: Vec<&str> = name.split('-').collect();
    let mut b = GUESSED;
    for (i, p) in parts.iter().enumerate() {
        match *p {
            "ADH" | "AECDH" | "anon" => b |= A_NULL,
            "EXP" | "EXP1024" => b |= EXP,
            "NULL" => b |= E_NULL,
            "RC4" => b |= RC4,
            "CBC3" | "3DES" => b |= DES3,
            "DES" if parts.get(i + 1) != Some(&"CBC3") => b |= DES,
            "MD5" => b |= MD5,
            _ => {}
        }
    }
    // `EXP-DES-CBC-SHA` style names carry DES too; a plain `DES` after `CBC3` is not single DES.
    if b & DES3 != 0 {
        b &= !DES;
    }
    Some(b)
}

/// What a cipher string selects, for the weak classes.
#[derive(Clone, Debug, Default)]
pub struct CipherVerdict {
    /// Each weak class present in the final list, with the element that brought a suite of it
    /// in (as written).
    pub weak: Vec<(Weakness, String)>,
    /// Whether any suite outside every weak class is left.
    pub strong_left: bool,
}

/// The elements of a cipher string. OpenSSL reads a `!` right after a name it knows as the
/// start of the next element (`!aNULL!eNull` is `!aNULL` then `!eNull`; held-out batch 124,
/// measured with `openssl ciphers`: no anonymous suite left); after a name it does not know it
/// skips to the next separator.
fn elements(spec: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for mut e in spec.split([':', ',', ';', ' ']).filter(|e| !e.is_empty()) {
        while let Some(i) = e.get(1..).and_then(|r| r.find('!')).map(|i| i + 1) {
            let (head, tail) = e.split_at(i);
            out.push(head);
            let known = head
                .trim_start_matches(['!', '-', '+'])
                .split('+')
                .all(|w| {
                    alias(w).is_some()
                        || SUITES.iter().any(|(n, _)| *n == w)
                        || classify_name(w).is_some()
                });
            if !known {
                e = "";
                break;
            }
            e = tail;
        }
        if !e.is_empty() {
            out.push(e);
        }
    }
    out
}

/// Read an OpenSSL cipher string the way `SSL_CTX_set_cipher_list` does, for the classes of
/// [`Weakness`].
pub fn cipher_verdict(spec: &str) -> CipherVerdict {
    // Suite name -> (bits, active, killed, added by).
    let mut universe: Vec<(String, u64)> =
        SUITES.iter().map(|(n, b)| ((*n).to_owned(), *b)).collect();
    let elements = elements(spec);
    // Suites the string names that the table lacks join the universe, classed by name.
    for e in &elements {
        let word = e.trim_start_matches(['!', '-', '+']);
        if !word.contains('+')
            && alias(word).is_none()
            && !universe.iter().any(|(n, _)| n == word)
            && let Some(b) = classify_name(word)
        {
            universe.push((word.to_owned(), b));
        }
    }
    let mut active: HashMap<usize, String> = HashMap::new();
    let mut killed = vec![false; universe.len()];
    for e in &elements {
        if e.starts_with('@') {
            continue;
        }
        let (op, rest) = match e.as_bytes()[0] {
            b'!' | b'-' | b'+' => (e.as_bytes()[0], &e[1..]),
            _ => (0, *e),
        };
        let words: Vec<&str> = rest.split('+').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            continue;
        }
        let matches = |bits: u64, name: &str| {
            words.iter().all(|w| match alias(w) {
                Some(f) => f(bits),
                None => *w == name,
            })
        };
        for (i, (name, bits)) in universe.iter().enumerate() {
            if !matches(*bits, name) {
                continue;
            }
            match op {
                b'!' => {
                    killed[i] = true;
                    active.remove(&i);
                }
                b'-' => {
                    active.remove(&i);
                }
                b'+' => {}
                _ => {
                    if !killed[i] {
                        active.entry(i).or_insert_with(|| (*e).to_owned());
                    }
                }
            }
        }
    }
    let mut verdict = CipherVerdict::default();
    let weak_mask: u64 = Weakness::ALL.iter().fold(0, |m, w| m | w.bit());
    let mut ids: Vec<&usize> = active.keys().collect();
    ids.sort();
    for &i in ids {
        let bits = universe[i].1;
        if bits & weak_mask == 0 {
            verdict.strong_left = true;
        }
        for w in Weakness::ALL {
            if bits & w.bit() != 0 && !verdict.weak.iter().any(|(x, _)| *x == w) {
                verdict.weak.push((w, active[&i].clone()));
            }
        }
    }
    verdict.weak.sort_by_key(|(w, _)| *w);
    verdict
}

/// Key-exchange group names (`ssl_ecdh_curve`, `SSL_CTX_set1_curves_list`) that not every
/// OpenSSL knows: the name, and where it exists. OpenSSL refuses a list naming a group it
/// lacks, and nginx then does not start (measured with nginx 1.22.1 and OpenSSL 3.0.19:
/// `SSL_CTX_set1_curves_list("X25519MLKEM768:X25519") failed ... group 'X25519MLKEM768'
/// cannot be set`). Matched without regard to case, as OpenSSL does.
pub const NEWER_GROUPS: &[(&str, &str)] = &[
    // OpenSSL 3.5.0 release notes (https://openssl-library.org/news/openssl-3.5-notes/):
    // ML-KEM and the hybrid TLS groups.
    ("X25519MLKEM768", "OpenSSL 3.5 and later"),
    ("SecP256r1MLKEM768", "OpenSSL 3.5 and later"),
    ("SecP384r1MLKEM1024", "OpenSSL 3.5 and later"),
    ("MLKEM512", "OpenSSL 3.5 and later"),
    ("MLKEM768", "OpenSSL 3.5 and later"),
    ("MLKEM1024", "OpenSSL 3.5 and later"),
    // The pre-standard Kyber draft groups: BoringSSL and the Open Quantum Safe provider only,
    // never OpenSSL itself (draft-tls-westerbaan-xyber768d00; browsers dropped them in 2024).
    (
        "X25519Kyber768Draft00",
        "BoringSSL or the oqs-provider, never OpenSSL",
    ),
    (
        "X25519Kyber512Draft00",
        "BoringSSL or the oqs-provider, never OpenSSL",
    ),
    (
        "P256Kyber768Draft00",
        "BoringSSL or the oqs-provider, never OpenSSL",
    ),
];

/// Where group `name` exists, when not every OpenSSL has it.
pub fn newer_group(name: &str) -> Option<&'static str> {
    NEWER_GROUPS
        .iter()
        .find(|(g, _)| g.eq_ignore_ascii_case(name))
        .map(|(_, w)| *w)
}

/// The TLS 1.3 suites, by their names in OpenSSL. `SSL_CTX_set_cipher_list` never selects
/// them (OpenSSL 1.1.1 and later set them with `SSL_CTX_set_ciphersuites`).
const TLS13_SUITES: &[&str] = &[
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_CCM_SHA256",
    "TLS_AES_128_CCM_8_SHA256",
];

/// Whether `SSL_CTX_set_cipher_list(spec)` selects no suite ("no cipher match"), as far as it
/// can be told without the OpenSSL build: every element that could add suites is a TLS 1.3
/// suite name (removals `!X` `-X`, moves `+X` and commands `@X` add none), or there is no such
/// element at all (`''`, `!aNULL`, `@SECLEVEL=0`: measured, nginx 1.22.1 with OpenSSL 3.0
/// refuses each). A name this does not know might be one the build has, so it says no then.
pub fn selects_no_cipher(spec: &str) -> bool {
    spec.split([':', ',', ';', ' '])
        .filter(|e| !e.is_empty() && !e.starts_with(['!', '-', '+', '@']))
        .all(|e| TLS13_SUITES.contains(&e))
}

/// Does the cipher string name a TLS 1.3 suite (what [`selects_no_cipher`] then blames)?
pub fn names_tls13_suite(spec: &str) -> bool {
    spec.split([':', ',', ';', ' '])
        .any(|e| TLS13_SUITES.contains(&e))
}

/// An `http` server's `listen` with `ssl` or `quic` (HTTP/3 is TLS too).
pub fn is_tls_listen(model: &Model<'_>, l: NodeId) -> bool {
    model.node(l).context == Context::HttpServer
        && (model.has_param(l, "ssl") || model.has_param(l, "quic"))
}

/// The server's own first `listen ... ssl`, if it has one (http, stream or mail).
pub fn tls_listen(model: &Model<'_>, server: NodeId) -> Option<NodeId> {
    model
        .children_named_slice(Some(server), "listen")
        .iter()
        .copied()
        .find(|&l| model.has_param(l, "ssl"))
}

/// The `http` servers that serve TLS, each with the `listen` that makes it so: a `listen ...
/// ssl`, or a listen on an address another server's `listen` has `ssl` on (nginx applies
/// `ssl` per address, `ngx_http_add_addresses`).
pub fn tls_servers(model: &Model<'_>) -> Vec<(NodeId, NodeId)> {
    let mut tls_addrs: std::collections::HashSet<String> = std::collections::HashSet::new();
    let servers: Vec<NodeId> = model
        .directives_named("server")
        .iter()
        .copied()
        .filter(|&s| model.node(s).context == Context::Http)
        .collect();
    for &s in &servers {
        for &l in model.children_named_slice(Some(s), "listen") {
            if model.has_param(l, "ssl")
                && let Some(a) = model.arg(l, 0).and_then(|a| listen_address(&a))
            {
                tls_addrs.insert(a);
            }
        }
    }
    let mut out = Vec::new();
    for &s in &servers {
        let listen = model
            .children_named_slice(Some(s), "listen")
            .iter()
            .copied()
            .find(|&l| {
                model.has_param(l, "ssl")
                    || model
                        .arg(l, 0)
                        .and_then(|a| listen_address(&a))
                        .is_some_and(|a| tls_addrs.contains(&a))
            });
        if let Some(l) = listen {
            out.push((s, l));
        }
    }
    out
}

/// The `ssl_stapling on` in effect for `server` (set there or inherited from `http`), if any.
pub fn stapling_on(model: &Model<'_>, server: NodeId) -> Option<NodeId> {
    let eff = model.effective(Some(server), "ssl_stapling");
    eff.nodes
        .last()
        .copied()
        .filter(|&n| model.arg(n, 0).as_deref() == Some("on"))
}

/// The value of scalar `name` in effect for `server`, with its node.
pub fn effective_arg(model: &Model<'_>, server: NodeId, name: &str) -> Option<(NodeId, String)> {
    let eff = model.effective(Some(server), name);
    let n = *eff.nodes.last()?;
    Some((n, model.arg(n, 0)?))
}

/// Is `url`'s host an IP address literal (`http://192.0.2.1/ocsp`, `http://[::1]:8080`)?
/// nginx connects to such a host without asking a resolver (`ngx_resolve_start`).
pub fn url_host_is_ip(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    if let Some(v6) = authority.strip_prefix('[') {
        return v6
            .split(']')
            .next()
            .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok());
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Does a certificate path look like one of Let's Encrypt's (certbot's `/etc/letsencrypt/`,
/// Caddy's `acme-v02.api.letsencrypt.org-directory`...)?
pub fn letsencrypt_path(path: &str) -> bool {
    path.to_ascii_lowercase().contains("letsencrypt")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only strings whose every adding element is a TLS 1.3 name, or that have none, select
    /// nothing; a name not known, a TLS 1.2 suite or an alias might select something.
    #[test]
    fn selects_no_cipher_only_for_tls13_names() {
        for spec in [
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_256_GCM_SHA384:!aNULL:!MD5",
            "TLS_AES_128_CCM_SHA256, TLS_AES_128_CCM_8_SHA256 @STRENGTH",
            "-RC4:TLS_AES_128_GCM_SHA256:+ECDHE",
            // Nothing that adds a suite (held-out batch 214's `ssl_cipher '';`).
            "",
            "!aNULL",
            "!aNULL:!MD5",
            "@SECLEVEL=0",
            "-ALL",
        ] {
            assert!(selects_no_cipher(spec), "{spec}");
        }
        for spec in [
            "HIGH",
            "HIGH:!aNULL:!MD5",
            "TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256",
            "TLS13-AES-128-GCM-SHA256",
            "tls_aes_128_gcm_sha256:SOMETHING",
        ] {
            assert!(!selects_no_cipher(spec), "{spec}");
        }
    }

    fn weak(spec: &str) -> Vec<Weakness> {
        cipher_verdict(spec)
            .weak
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn nginx_default_and_modern_lists_are_clean() {
        assert!(weak("HIGH:!aNULL:!MD5").is_empty());
        assert!(weak("DEFAULT").is_empty());
        assert!(
            weak(
                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305"
            )
            .is_empty()
        );
        assert!(weak("EECDH+AESGCM:EDH+AESGCM").is_empty());
        assert!(cipher_verdict("HIGH:!aNULL:!MD5").strong_left);
    }

    #[test]
    fn a_removal_glued_to_a_known_name_is_read() {
        // OpenSSL starts a new element at the `!` after a name it knows.
        assert!(weak("HIGH:!aNULL!eNull:!MD5").is_empty());
        assert_eq!(elements("HIGH:!aNULL!eNull"), ["HIGH", "!aNULL", "!eNull"]);
        // After a name it does not know, it skips to the next separator.
        assert_eq!(elements("HIGH:!nosuch!aNULL"), ["HIGH", "!nosuch"]);
        assert_eq!(weak("HIGH:!nosuch!aNULL"), vec![Weakness::Anonymous]);
    }

    #[test]
    fn weak_classes_by_alias() {
        // HIGH keeps anonymous suites (ADH-AES256-GCM-SHA384 is HIGH): nginx's `!aNULL`.
        assert_eq!(weak("HIGH"), vec![Weakness::Anonymous]);
        assert_eq!(
            weak("ALL"),
            vec![
                Weakness::Anonymous,
                Weakness::Export,
                Weakness::Rc4,
                Weakness::Des,
                Weakness::TripleDes,
                Weakness::Md5
            ]
        );
        assert_eq!(
            weak("ALL:!aNULL:!eNULL:RC4:DES:3DES"),
            vec![
                Weakness::Export,
                Weakness::Rc4,
                Weakness::Des,
                Weakness::TripleDes,
                Weakness::Md5
            ]
        );
        assert_eq!(
            weak("HIGH:!aNULL:MEDIUM"),
            vec![Weakness::Rc4, Weakness::TripleDes, Weakness::Md5]
        );
        assert_eq!(
            weak("eNULL"),
            vec![Weakness::Null, Weakness::Anonymous, Weakness::Md5]
        );
    }

    #[test]
    fn kill_delete_and_readd() {
        // `!` is final, `-` can be undone by a later element.
        assert!(weak("ALL:!aNULL:!EXPORT:!RC4:!DES:!3DES:!MD5:!eNULL:RC4-SHA").is_empty());
        assert_eq!(weak("HIGH:-aNULL:ADH+HIGH"), vec![Weakness::Anonymous]);
        assert!(weak("HIGH:+aNULL:!aNULL").is_empty());
        // `+` at the start only reorders: it adds nothing.
        assert!(weak("HIGH:!aNULL:+RC4").is_empty());
        // `A+B` is an intersection: RC4 suites with RSA key exchange.
        assert_eq!(
            weak("HIGH:!aNULL:RC4+RSA"),
            vec![Weakness::Export, Weakness::Rc4, Weakness::Md5]
        );
        assert!(weak("@STRENGTH:HIGH:!aNULL").is_empty());
    }

    #[test]
    fn responder_hosts() {
        assert!(url_host_is_ip("http://192.0.2.1/ocsp"));
        assert!(url_host_is_ip("http://192.0.2.1:8080"));
        assert!(url_host_is_ip("http://[2001:db8::1]:8080/ocsp"));
        assert!(!url_host_is_ip("http://r3.o.lencr.org"));
        assert!(!url_host_is_ip("http://ocsp.example.com:80/"));
        assert!(letsencrypt_path(
            "/etc/letsencrypt/live/example.com/fullchain.pem"
        ));
        assert!(!letsencrypt_path("/etc/ssl/certs/example.com.pem"));
    }

    #[test]
    fn suite_names_the_table_lacks_are_classed_by_name() {
        assert_eq!(weak("RC4-SHA:AES256-SHA:!aNULL"), vec![Weakness::Rc4]);
        assert_eq!(weak("DHE-RSA-DES-CBC3-SHA"), vec![Weakness::TripleDes]);
        assert_eq!(weak("ADH-CAMELLIA256-SHA"), vec![Weakness::Anonymous]);
        assert_eq!(
            weak("EXP1024-DES-CBC-SHA"),
            vec![Weakness::Export, Weakness::Des]
        );
        assert_eq!(weak("ECDHE-RSA-AES256-SHA384:!RC4").len(), 0);
        // A killed class stays out even when a suite of it is named later.
        assert!(weak("HIGH:!aNULL:!RC4:RC4-SHA").is_empty());
        assert!(!cipher_verdict("RC4-SHA").strong_left);
    }
}
