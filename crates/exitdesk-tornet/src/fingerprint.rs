//! Relay identities: the 20-byte RSA identity digest, written as 40
//! upper-case hex digits (`$`-prefixed in families) or, in consensus `r`
//! lines, as unpadded base64.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A relay fingerprint.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub [u8; 20]);

impl Fingerprint {
    /// From 40 hex digits; spaces (descriptor `fingerprint` lines) and a
    /// leading `$` are allowed.
    pub fn from_hex(s: &str) -> Option<Fingerprint> {
        let s = s.trim().trim_start_matches('$');
        let mut out = [0u8; 20];
        let mut n = 0usize;
        let mut hi: Option<u8> = None;
        for b in s.bytes() {
            if b == b' ' {
                continue;
            }
            let v = hex_val(b)?;
            match hi.take() {
                None => hi = Some(v),
                Some(h) => {
                    *out.get_mut(n)? = h << 4 | v;
                    n += 1;
                }
            }
        }
        (n == 20 && hi.is_none()).then_some(Fingerprint(out))
    }

    /// From the unpadded base64 identity of a consensus `r` line.
    pub fn from_base64(s: &str) -> Option<Fingerprint> {
        let mut out = [0u8; 20];
        (base64_decode_into(s, &mut out)? == 20).then_some(Fingerprint(out))
    }

    /// 40 upper-case hex digits.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(40);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes standard base64 into `out` without allocating; `None` on a bad
/// character or when it does not fit. Returns the length written.
pub(crate) fn base64_decode_into(s: &str, out: &mut [u8]) -> Option<usize> {
    let s = s.trim_end_matches('=').as_bytes();
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut n = 0;
    for &b in s {
        let v = B64[usize::from(b)];
        if v == 0xFF {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            *out.get_mut(n)? = (acc >> bits) as u8;
            n += 1;
            acc &= (1 << bits) - 1;
        }
    }
    Some(n)
}

/// Base64 digit values; 0xFF marks a byte that is not one.
const B64: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'/' as usize] = 63;
    t
};

/// Encodes standard base64 without padding (as Tor writes digests).
pub fn base64_encode(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.to_hex())
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Fingerprint::from_hex(&s).ok_or_else(|| serde::de::Error::custom("expected 40 hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_identity_to_hex() {
        // `r seele AAoQ1DAR6kkoo19hBAX5K0QztNw …` in the 2022-11-19 consensus.
        let fp = Fingerprint::from_base64("AAoQ1DAR6kkoo19hBAX5K0QztNw");
        assert_eq!(fp.map(|f| f.to_hex()).as_deref(), Some("000A10D43011EA4928A35F610405F92B4433B4DC"));
        let hex = Fingerprint::from_hex("00B5 7BF6 14F7 ED30 5107 3B5D 4526 FF0B 23AF 217B");
        assert_eq!(hex.map(|f| f.to_hex()).as_deref(), Some("00B57BF614F7ED3051073B5D4526FF0B23AF217B"));
        assert!(Fingerprint::from_hex("00B5").is_none());
        assert!(Fingerprint::from_base64("AAoQ1DAR6kkoo19hBAX5K0Qzt").is_none());
        assert!(Fingerprint::from_base64("AAoQ1DAR6kk*o19hBAX5K0QztNw").is_none());
        assert_eq!(base64_encode(&[0, 10, 16, 212]), "AAoQ1A");
    }
}
