//! The index on disk: a compact little-endian binary format with a magic,
//! a version and a checksum. Lookup maps are rebuilt on load. Reading
//! checks every length and id, so a damaged file is an error, never a panic.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use sha2::{Digest, Sha256};

use crate::index::{Attrs, DescRun, ExitSighting, Interner, Key, PolicyRef, Relay, RelayIndex, Run, SummaryPair};
use crate::policy::{AddrPattern, ExitPolicy, PolicyRule};
use crate::ports::{PortList, PortSummary};
use crate::{Fingerprint, Flags};

const MAGIC: &[u8; 8] = b"EXDTNIX\0";
const VERSION: u32 = 1;

/// Why an index file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// Not an index file.
    #[error("not an exitdesk relay index (bad magic)")]
    Magic,
    /// Written by another version.
    #[error("relay index version {0} (this exitdesk reads {VERSION}); re-import the documents")]
    Version(u32),
    /// Truncated or damaged.
    #[error("relay index damaged: {0}")]
    Damaged(&'static str),
}

#[derive(Default)]
struct W(Vec<u8>);

impl W {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn ip(&mut self, ip: IpAddr) {
        match ip {
            IpAddr::V4(a) => {
                self.u8(4);
                self.0.extend_from_slice(&a.octets());
            }
            IpAddr::V6(a) => {
                self.u8(6);
                self.0.extend_from_slice(&a.octets());
            }
        }
    }
    fn summary(&mut self, s: &Option<PortSummary>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(if s.accept { 1 } else { 2 });
                self.len(s.ports.0.len());
                for &(a, b) in &s.ports.0 {
                    self.u16(a);
                    self.u16(b);
                }
            }
        }
    }
}

struct R<'a> {
    b: &'a [u8],
    pos: usize,
}

type Res<T> = Result<T, CodecError>;

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or(CodecError::Damaged("length overflow"))?;
        let s = self.b.get(self.pos..end).ok_or(CodecError::Damaged("truncated"))?;
        self.pos = end;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> Res<[u8; N]> {
        self.take(N)?.try_into().map_err(|_| CodecError::Damaged("truncated"))
    }
    fn u8(&mut self) -> Res<u8> {
        Ok(self.arr::<1>()?[0])
    }
    fn u16(&mut self) -> Res<u16> {
        Ok(u16::from_le_bytes(self.arr()?))
    }
    fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    fn i64(&mut self) -> Res<i64> {
        Ok(i64::from_le_bytes(self.arr()?))
    }
    /// A count, bounded by the bytes left (each element takes at least `min` bytes).
    fn len(&mut self, min: usize) -> Res<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min.max(1)) > self.b.len() - self.pos {
            return Err(CodecError::Damaged("count larger than the file"));
        }
        Ok(n)
    }
    fn str(&mut self) -> Res<String> {
        let n = self.len(1)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| CodecError::Damaged("bad text"))
    }
    fn ip(&mut self) -> Res<IpAddr> {
        match self.u8()? {
            4 => Ok(IpAddr::V4(Ipv4Addr::from(self.arr::<4>()?))),
            6 => Ok(IpAddr::V6(Ipv6Addr::from(self.arr::<16>()?))),
            _ => Err(CodecError::Damaged("bad address tag")),
        }
    }
    fn summary(&mut self) -> Res<Option<PortSummary>> {
        let tag = self.u8()?;
        if tag == 0 {
            return Ok(None);
        }
        let n = self.len(4)?;
        let mut ports = Vec::with_capacity(n);
        for _ in 0..n {
            ports.push((self.u16()?, self.u16()?));
        }
        Ok(Some(PortSummary { accept: tag == 1, ports: PortList(ports) }))
    }
}

fn check(id: u32, n: usize) -> Res<u32> {
    if (id as usize) < n { Ok(id) } else { Err(CodecError::Damaged("id out of range")) }
}

impl RelayIndex {
    /// Serialises the index.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = W::default();
        w.0.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.len(self.nicknames.values.len());
        for n in &self.nicknames.values {
            w.str(n);
        }
        w.len(self.summaries.values.len());
        for s in &self.summaries.values {
            w.summary(&s.p);
            w.summary(&s.p6);
            w.u8(u8::from(s.p6_known));
        }
        w.len(self.policies.values.len());
        for p in &self.policies.values {
            w.len(p.rules.len());
            for r in &p.rules {
                w.u8(u8::from(r.accept));
                match r.addr {
                    AddrPattern::Any => w.u8(0),
                    AddrPattern::Any4 => w.u8(1),
                    AddrPattern::Any6 => w.u8(2),
                    AddrPattern::V4 { net, bits } => {
                        w.u8(3);
                        w.u32(net);
                        w.u8(bits);
                    }
                    AddrPattern::V6 { net, bits } => {
                        w.u8(4);
                        w.0.extend_from_slice(&net.to_le_bytes());
                        w.u8(bits);
                    }
                }
                w.u16(r.ports.0);
                w.u16(r.ports.1);
            }
        }
        w.len(self.md_digests.values.len());
        for d in &self.md_digests.values {
            w.0.extend_from_slice(d);
        }
        let mut md: Vec<(u32, u32)> = self.md_summaries.iter().map(|(&a, &b)| (a, b)).collect();
        md.sort_unstable();
        w.len(md.len());
        for (a, b) in md {
            w.u32(a);
            w.u32(b);
        }
        w.len(self.attrs.values.len());
        for a in &self.attrs.values {
            w.u16(a.flags.0);
            w.u32(a.nickname);
            match a.policy {
                PolicyRef::Unknown => w.u8(0),
                PolicyRef::Summary(id) => {
                    w.u8(1);
                    w.u32(id);
                }
                PolicyRef::Microdesc(id) => {
                    w.u8(2);
                    w.u32(id);
                }
            }
        }
        w.len(self.relays.len());
        for r in &self.relays {
            w.0.extend_from_slice(&r.fingerprint.0);
            w.len(r.descriptors.len());
            for d in &r.descriptors {
                w.i64(d.first);
                w.i64(d.last);
                w.u32(d.policy);
                w.u32(d.ipv6);
            }
            match r.bandwidth {
                None => w.u8(0),
                Some((t, b)) => {
                    w.u8(1);
                    w.i64(t);
                    w.i64(b as i64);
                }
            }
        }
        w.len(self.keys.len());
        for k in &self.keys {
            w.u32(k.relay);
            w.ip(k.addr);
            w.len(k.runs.len());
            let mut prev = 0u32;
            for r in &k.runs {
                // Delta-coded hours keep a year's runs small.
                w.u32(r.start.wrapping_sub(prev));
                w.u32(r.end - r.start);
                w.u32(r.attrs);
                prev = r.end;
            }
        }
        for set in [&self.hours, &self.hours_ns, &self.hours_md, &self.hours_onionoo] {
            w.len(set.len());
            for &h in set {
                w.u32(h);
            }
        }
        w.len(self.exit_lists.len());
        for &t in &self.exit_lists {
            w.i64(t);
        }
        w.len(self.sightings.len());
        for (ip, list) in &self.sightings {
            w.ip(*ip);
            w.len(list.len());
            for s in list {
                w.u32(s.relay);
                w.len(s.spans.len());
                for &(a, b) in &s.spans {
                    w.i64(a);
                    w.i64(b);
                }
            }
        }
        let sum: [u8; 32] = Sha256::digest(&w.0).into();
        w.0.extend_from_slice(&sum);
        w.0
    }

    /// Reads an index written by [`RelayIndex::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<RelayIndex, CodecError> {
        if bytes.len() < MAGIC.len() + 4 + 32 || &bytes[..8] != MAGIC {
            return Err(CodecError::Magic);
        }
        let (body, sum) = bytes.split_at(bytes.len() - 32);
        let mut r = R { b: body, pos: 8 };
        let version = r.u32()?;
        if version != VERSION {
            return Err(CodecError::Version(version));
        }
        if Sha256::digest(body).as_slice() != sum {
            return Err(CodecError::Damaged("checksum mismatch"));
        }
        let mut ix = RelayIndex::new();
        let n = r.len(4)?;
        let nicknames = (0..n).map(|_| r.str()).collect::<Res<Vec<_>>>()?;
        ix.nicknames = Interner::from_values(nicknames);
        let n = r.len(3)?;
        let mut summaries = Vec::with_capacity(n);
        for _ in 0..n {
            summaries.push(SummaryPair { p: r.summary()?, p6: r.summary()?, p6_known: r.u8()? == 1 });
        }
        ix.summaries = Interner::from_values(summaries);
        let n = r.len(4)?;
        let mut policies = Vec::with_capacity(n);
        for _ in 0..n {
            let m = r.len(6)?;
            let mut rules = Vec::with_capacity(m);
            for _ in 0..m {
                let accept = r.u8()? == 1;
                let addr = match r.u8()? {
                    0 => AddrPattern::Any,
                    1 => AddrPattern::Any4,
                    2 => AddrPattern::Any6,
                    3 => AddrPattern::V4 { net: r.u32()?, bits: r.u8()?.min(32) },
                    4 => AddrPattern::V6 { net: u128::from_le_bytes(r.arr()?), bits: r.u8()?.min(128) },
                    _ => return Err(CodecError::Damaged("bad policy address")),
                };
                rules.push(PolicyRule { accept, addr, ports: (r.u16()?, r.u16()?) });
            }
            policies.push(ExitPolicy { rules });
        }
        ix.policy_exits = policies.iter().map(|p| p.allows_any(false)).collect();
        ix.policies = Interner::from_values(policies);
        let n = r.len(32)?;
        let digests = (0..n).map(|_| r.arr::<32>()).collect::<Res<Vec<_>>>()?;
        ix.md_digests = Interner::from_values(digests);
        let n = r.len(8)?;
        let mut md = HashMap::with_capacity(n);
        for _ in 0..n {
            let d = check(r.u32()?, ix.md_digests.values.len())?;
            let s = check(r.u32()?, ix.summaries.values.len())?;
            md.insert(d, s);
        }
        ix.md_summaries = md;
        let n = r.len(7)?;
        let mut attrs = Vec::with_capacity(n);
        for _ in 0..n {
            let flags = Flags(r.u16()?);
            let nickname = check(r.u32()?, ix.nicknames.values.len())?;
            let policy = match r.u8()? {
                0 => PolicyRef::Unknown,
                1 => PolicyRef::Summary(check(r.u32()?, ix.summaries.values.len())?),
                2 => PolicyRef::Microdesc(check(r.u32()?, ix.md_digests.values.len())?),
                _ => return Err(CodecError::Damaged("bad policy reference")),
            };
            attrs.push(Attrs { flags, nickname, policy });
        }
        ix.attrs = Interner::from_values(attrs);
        let n = r.len(25)?;
        for _ in 0..n {
            let fp = Fingerprint(r.arr()?);
            let m = r.len(24)?;
            let mut descriptors = Vec::with_capacity(m);
            for _ in 0..m {
                let (first, last) = (r.i64()?, r.i64()?);
                let policy = check(r.u32()?, ix.policies.values.len())?;
                let ipv6 = check(r.u32()?, ix.summaries.values.len())?;
                descriptors.push(DescRun { first, last, policy, ipv6 });
            }
            let bandwidth = match r.u8()? {
                0 => None,
                _ => Some((r.i64()?, r.i64()?.max(0) as u64)),
            };
            let id = ix.relays.len() as u32;
            ix.relay_ids.insert(fp, id);
            ix.relays.push(Relay { fingerprint: fp, descriptors, bandwidth, keys: Vec::new() });
        }
        let n = r.len(9)?;
        for id in 0..n as u32 {
            let relay = check(r.u32()?, ix.relays.len())?;
            let addr = r.ip()?;
            let m = r.len(12)?;
            let mut runs = Vec::with_capacity(m);
            let mut prev = 0u32;
            for _ in 0..m {
                let start = prev.wrapping_add(r.u32()?);
                let end = start.checked_add(r.u32()?).ok_or(CodecError::Damaged("bad run"))?;
                let attrs = check(r.u32()?, ix.attrs.values.len())?;
                runs.push(Run { start, end, attrs });
                prev = end;
            }
            ix.keys.push(Key { relay, addr, runs });
            ix.key_ids.insert((relay, addr), id);
            ix.by_addr.entry(addr).or_default().push(id);
            ix.relays[relay as usize].keys.push(id);
        }
        let mut sets: [BTreeSet<u32>; 4] = Default::default();
        for set in &mut sets {
            let n = r.len(4)?;
            for _ in 0..n {
                set.insert(r.u32()?);
            }
        }
        let [hours, hours_ns, hours_md, hours_onionoo] = sets;
        (ix.hours, ix.hours_ns, ix.hours_md, ix.hours_onionoo) = (hours, hours_ns, hours_md, hours_onionoo);
        let n = r.len(8)?;
        for _ in 0..n {
            ix.exit_lists.insert(r.i64()?);
        }
        let n = r.len(9)?;
        let mut sightings = BTreeMap::new();
        for _ in 0..n {
            let ip = r.ip()?;
            let m = r.len(8)?;
            let mut list = Vec::with_capacity(m);
            for _ in 0..m {
                let relay = check(r.u32()?, ix.relays.len())?;
                let k = r.len(16)?;
                let spans = (0..k).map(|_| Ok((r.i64()?, r.i64()?))).collect::<Res<Vec<_>>>()?;
                list.push(ExitSighting { relay, spans });
            }
            sightings.insert(ip, list);
        }
        ix.sightings = sightings;
        if r.pos != body.len() {
            return Err(CodecError::Damaged("trailing bytes"));
        }
        Ok(ix)
    }
}
