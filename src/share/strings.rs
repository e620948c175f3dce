//! The interned string table, with numbered runs folded: `host-1` ... `host-64` is one entry.

use super::{LinkError, MAX_WIRE_BYTES};
use serde::{Deserialize, Serialize};

/// More distinct ids and labels than this cannot come from a valid design.
pub const MAX_STRINGS: usize = 50_000;

#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub enum Seg {
    One(String),
    /// `count` strings `prefix` + `first`, `prefix` + (`first` + 1), ...
    Run(String, u32, u32),
}

/// `host-12` -> (`host-`, 12); only canonical numbers (no sign, no leading zero) so that the
/// run gives back exactly the same text.
fn numbered(s: &str) -> Option<(&str, u32)> {
    let digits = s.len() - s.bytes().rev().take_while(u8::is_ascii_digit).count();
    let (prefix, n) = s.split_at(digits);
    if n.is_empty() || (n.len() > 1 && n.starts_with('0')) {
        return None;
    }
    n.parse().ok().map(|n| (prefix, n))
}

pub fn pack(strings: &[String]) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::new();
    for s in strings {
        if let Some((prefix, n)) = numbered(s)
            && let Some(Seg::Run(p, first, count)) = out.last_mut()
            && p == prefix
            && first.checked_add(*count) == Some(n)
        {
            *count += 1;
            continue;
        }
        out.push(match numbered(s) {
            Some((prefix, n)) => Seg::Run(prefix.to_string(), n, 1),
            None => Seg::One(s.clone()),
        });
    }
    // A run of one costs more than the plain string.
    for seg in &mut out {
        if let Seg::Run(p, n, 1) = seg {
            *seg = Seg::One(format!("{p}{n}"));
        }
    }
    out
}

pub fn unpack(segs: Vec<Seg>) -> Result<Vec<String>, LinkError> {
    let too_many = || LinkError::OutOfRange(format!("it names more than {MAX_STRINGS} things"));
    let mut count = 0usize;
    let mut bytes = 0usize;
    // Sizes first: a forged run count must not allocate.
    for seg in &segs {
        let (n, len) = match seg {
            Seg::One(s) => (1, s.len()),
            Seg::Run(p, first, n) => {
                if first.checked_add(*n).is_none() {
                    return Err(LinkError::Damaged("a numbered run overflows"));
                }
                (*n as usize, (p.len() + 10).saturating_mul(*n as usize))
            }
        };
        count = count.saturating_add(n);
        bytes = bytes.saturating_add(len);
        if count > MAX_STRINGS || bytes > MAX_WIRE_BYTES {
            return Err(too_many());
        }
    }
    let mut out = Vec::with_capacity(count);
    for seg in segs {
        match seg {
            Seg::One(s) => out.push(s),
            Seg::Run(p, first, n) => out.extend((first..first + n).map(|k| format!("{p}{k}"))),
        }
    }
    Ok(out)
}
