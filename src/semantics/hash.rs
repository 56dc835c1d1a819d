//! nginx's `ngx_hash_init` (src/core/ngx_hash.c), the checks it makes before it builds a
//! hash of names (server names, map keys...), for a 64-bit build on a CPU with 64-byte cache
//! lines (x86-64, arm64), so rules can say what nginx will refuse:
//!
//! - `max_size` 0: `could not build NAME, you should increase NAME_max_size: 0`;
//! - a bucket above 65536 - 64 bytes: `could not build NAME, too large NAME_bucket_size: N`;
//! - a key that does not fit in one bucket: `could not build NAME, you should increase
//!   NAME_bucket_size: N` (a key of `len` bytes takes `8 + align(len + 2, 8)` bytes, a bucket
//!   holds `bucket_size - 8`);
//! - no table size up to `max_size` keeps every bucket within `bucket_size` (nginx then warns
//!   and takes `max_size`) and at `max_size` one bucket passes 65536 - 64 bytes: `could not
//!   build NAME, you should increase NAME_max_size: N`.

/// `ngx_cacheline_size` on x86-64 and arm64.
pub const CACHELINE: i64 = 64;
/// `sizeof(void *)` on a 64-bit build.
pub const PTR: i64 = 8;

pub fn align(v: i64, a: i64) -> i64 {
    (v + a - 1) / a * a
}

/// `NGX_HASH_ELT_SIZE` of a key of `len` bytes.
pub fn elt_size(len: usize) -> i64 {
    PTR + align(len as i64 + 2, PTR)
}

/// The bucket size a key of `len` bytes needs, as the directive would have to say it.
pub fn bucket_needed(len: usize) -> i64 {
    align(elt_size(len) + PTR, CACHELINE)
}

/// `ngx_hash_key_lc`: nginx's key hash of a name, lowercased.
pub fn key_hash(name: &str) -> u64 {
    name.bytes().fold(0u64, |h, c| {
        h.wrapping_mul(31)
            .wrapping_add(u64::from(c.to_ascii_lowercase()))
    })
}

/// Why `ngx_hash_init` refuses a set of keys.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    MaxSizeZero,
    TooLargeBucket,
    /// The first key that does not fit in a bucket (its index in `keys`).
    Bucket(usize),
    MaxSize,
}

/// What `ngx_hash_init` says of `keys` (lowercased, each once) with `bucket` (already rounded
/// up to a cache line, as the modules do) and `max_size`; `None` when it builds the hash.
pub fn refusal(keys: &[String], bucket: i64, max_size: i64) -> Option<Refusal> {
    if keys.is_empty() {
        return None;
    }
    if max_size == 0 {
        return Some(Refusal::MaxSizeZero);
    }
    if bucket > 65536 - CACHELINE {
        return Some(Refusal::TooLargeBucket);
    }
    if let Some(i) = keys.iter().position(|k| bucket < elt_size(k.len()) + PTR) {
        return Some(Refusal::Bucket(i));
    }
    overflows(keys, bucket, max_size).then_some(Refusal::MaxSize)
}

/// The last check. The search runs only when the table at `max_size` overflows, which it
/// rarely does, so the usual cost is one pass over the keys.
fn overflows(keys: &[String], bucket: i64, max_size: i64) -> bool {
    // nginx allocates 2 bytes per possible bucket; beyond a million it is not simulated here.
    let Some(max) = usize::try_from(max_size).ok().filter(|&m| m <= 1 << 20) else {
        return false;
    };
    let keys: Vec<(u64, i64)> = keys
        .iter()
        .map(|n| (key_hash(n), elt_size(n.len())))
        .collect();
    let fill = |size: usize, limit: i64, base: i64| {
        let mut test = vec![base; size];
        keys.iter().all(|&(k, len)| {
            let slot = &mut test[(k % size as u64) as usize];
            *slot += len;
            *slot <= limit
        })
    };
    // At max_size, the table nginx builds starts each bucket at 8 bytes (its end marker).
    if fill(max, 65536 - CACHELINE, PTR) {
        return false;
    }
    !fits_some_size(&keys, bucket, max)
}

/// Does some table size from nginx's first guess up to `max_size` keep every bucket of `keys`
/// within `bucket`? When none does, nginx warns `could not build optimal NAME, you should
/// increase either NAME_max_size: M or NAME_bucket_size: B; ignoring NAME_bucket_size` and
/// builds the table at `max_size` (which [`refusal`] then checks against 65536 - 64 bytes).
pub fn optimal(keys: &[String], bucket: i64, max_size: i64) -> bool {
    let Some(max) = usize::try_from(max_size).ok().filter(|&m| m <= 1 << 20) else {
        return true;
    };
    if keys.is_empty() || max == 0 {
        return true;
    }
    let keys: Vec<(u64, i64)> = keys
        .iter()
        .map(|n| (key_hash(n), elt_size(n.len())))
        .collect();
    fits_some_size(&keys, bucket, max)
}

/// `ngx_hash_init`'s search for a table size (keys as (hash, element size)).
fn fits_some_size(keys: &[(u64, i64)], bucket: i64, max: usize) -> bool {
    let mut test: Vec<i64> = Vec::new();
    let mut fill = |size: usize| {
        test.clear();
        test.resize(size, 0);
        keys.iter().all(|&(k, len)| {
            let slot = &mut test[(k % size as u64) as usize];
            *slot += len;
            *slot <= bucket - PTR
        })
    };
    let per = (bucket - PTR) / (2 * PTR);
    let mut start = if per > 0 {
        keys.len() / per as usize
    } else {
        0
    }
    .max(1);
    if max > 10000 && max / keys.len() < 100 {
        start = max - 1000;
    }
    (start..=max).any(&mut fill)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_of_47_bytes_needs_a_128_byte_bucket() {
        let k = |n: usize| vec!["a".repeat(n)];
        assert_eq!(refusal(&k(46), 64, 512), None);
        assert_eq!(refusal(&k(47), 64, 512), Some(Refusal::Bucket(0)));
        assert_eq!(bucket_needed(47), 128);
        assert_eq!(refusal(&k(110), 128, 512), None);
        assert_eq!(refusal(&k(111), 128, 512), Some(Refusal::Bucket(0)));
    }

    #[test]
    fn a_name_set_twice_can_fill_any_bucket() {
        // Measured with nginx 1.22.1: `proxy_set_header X-Forwarded-Host` twice warns (two
        // 32-byte elements in one 56-byte bucket), `X-Request-ID` twice (2 x 24) does not.
        let keys = |dup: &str| {
            let mut k: Vec<String> = ["host", "connection", "content-length"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            k.push(dup.to_owned());
            k.push(dup.to_owned());
            k
        };
        assert!(!optimal(&keys("x-forwarded-host"), 64, 512));
        assert!(optimal(&keys("x-request-id"), 64, 512));
        assert!(optimal(&keys("x-forwarded-host"), 128, 512));
    }

    #[test]
    fn key_hash_is_nginx_s() {
        // ngx_hash(ngx_hash(0, 'a'), 'b') = 'a' * 31 + 'b'
        assert_eq!(key_hash("AB"), 97 * 31 + 98);
    }
}
