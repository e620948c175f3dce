//! The two directions of the v1 walk (writing copies values out, reading checks and overwrites
//! them) and the typed fields both use: numbers delta-coded within a column or relative to a
//! usual value, flags, choices, options, lists, interned strings.

use super::LinkError;
use crate::model::{Id, Pos};
use std::collections::HashMap;

pub(super) type R = Result<(), LinkError>;

/// One direction of the walk: writing copies values out, reading overwrites them.
pub(super) trait Pass {
    /// A number coded against the one before it in the column (indices, positions, times).
    fn num(&mut self, v: &mut u64) -> R;
    /// A number as it is (sizes, flags, choices): small, and repeats compress on their own.
    fn raw(&mut self, v: &mut u64) -> R;
    fn text(&mut self, v: &mut String) -> R;
    /// An id or label, interned.
    fn string(&mut self, v: &mut String) -> R;
    /// A count of items to come (reading checks it against what the link still holds).
    fn len(&mut self, n: usize) -> Result<usize, LinkError>;
    /// Starts a column: deltas restart from zero.
    fn column(&mut self);
    /// Whether an optional text comes last: a writer says whether it has one (and writes no
    /// flag: a link without it is a byte shorter), a reader whether the link holds one more.
    #[cfg(feature = "simulate")]
    fn more_text(&mut self, has: bool) -> bool;
    /// The same for numbers that come last: a writer says whether it has some (and writes no
    /// flag), a reader whether the link holds any more.
    #[cfg(feature = "simulate")]
    fn more_nums(&mut self, has: bool) -> bool;
}

#[derive(Default)]
pub(super) struct Writer {
    pub strings: Vec<String>,
    index: HashMap<String, u64>,
    pub texts: Vec<String>,
    pub nums: Vec<u64>,
    prev: u64,
}

impl Pass for Writer {
    fn num(&mut self, v: &mut u64) -> R {
        self.nums.push(zigzag(v.wrapping_sub(self.prev) as i64));
        self.prev = *v;
        Ok(())
    }
    fn raw(&mut self, v: &mut u64) -> R {
        self.nums.push(*v);
        Ok(())
    }
    fn text(&mut self, v: &mut String) -> R {
        self.texts.push(v.clone());
        Ok(())
    }
    fn string(&mut self, v: &mut String) -> R {
        let next = self.strings.len() as u64;
        let mut i = *self.index.entry(v.clone()).or_insert(next);
        if i == next {
            self.strings.push(v.clone());
        }
        self.num(&mut i)
    }
    fn len(&mut self, n: usize) -> Result<usize, LinkError> {
        self.raw(&mut (n as u64))?;
        Ok(n)
    }
    fn column(&mut self) {
        self.prev = 0;
    }
    #[cfg(feature = "simulate")]
    fn more_text(&mut self, has: bool) -> bool {
        has
    }

    #[cfg(feature = "simulate")]
    fn more_nums(&mut self, has: bool) -> bool {
        has
    }
}

pub(super) struct Reader {
    pub strings: Vec<String>,
    pub texts: std::vec::IntoIter<String>,
    pub nums: Vec<u64>,
    pub at: usize,
    pub prev: u64,
}

pub(super) const SHORT: LinkError = LinkError::Damaged("it ends too early");

impl Pass for Reader {
    fn num(&mut self, v: &mut u64) -> R {
        let d = *self.nums.get(self.at).ok_or(SHORT)?;
        self.at += 1;
        self.prev = self.prev.wrapping_add(unzigzag(d) as u64);
        *v = self.prev;
        Ok(())
    }
    fn raw(&mut self, v: &mut u64) -> R {
        *v = *self.nums.get(self.at).ok_or(SHORT)?;
        self.at += 1;
        Ok(())
    }
    fn text(&mut self, v: &mut String) -> R {
        *v = self.texts.next().ok_or(SHORT)?;
        Ok(())
    }
    fn string(&mut self, v: &mut String) -> R {
        let mut i = 0;
        self.num(&mut i)?;
        let s = usize::try_from(i).ok().and_then(|i| self.strings.get(i));
        *v = s
            .ok_or(LinkError::Damaged("it refers to a name it does not hold"))?
            .clone();
        Ok(())
    }
    fn len(&mut self, _: usize) -> Result<usize, LinkError> {
        let mut n = 0;
        self.raw(&mut n)?;
        // Every item takes at least one number: a count beyond what is left is a lie, and
        // checking here keeps a forged count from allocating anything.
        match usize::try_from(n) {
            Ok(n) if n <= self.nums.len() - self.at => Ok(n),
            _ => Err(LinkError::Damaged("it counts more items than it holds")),
        }
    }
    fn column(&mut self) {
        self.prev = 0;
    }
    #[cfg(feature = "simulate")]
    fn more_text(&mut self, _: bool) -> bool {
        self.texts.len() > 0
    }

    #[cfg(feature = "simulate")]
    fn more_nums(&mut self, _: bool) -> bool {
        self.at < self.nums.len()
    }
}

pub(super) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(super) fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

pub(super) fn range(what: &str) -> LinkError {
    LinkError::OutOfRange(format!("a {what} is out of range"))
}

// Typed fields over the number stream.

pub(super) fn u32f<P: Pass>(p: &mut P, v: &mut u32) -> R {
    let mut x = u64::from(*v);
    p.raw(&mut x)?;
    *v = u32::try_from(x).map_err(|_| range("number"))?;
    Ok(())
}

/// A number with a usual value: the default costs a zero, and a whole number of `unit`s (a
/// time in whole seconds) a small number. 0 = `default`; odd = (k - 1) / 2 units; even = the
/// value (k - 2) / 2 exactly.
pub(super) fn val<P: Pass>(p: &mut P, v: &mut u64, default: u64, unit: u64) -> R {
    let mut k = if *v == default {
        0
    } else if v.is_multiple_of(unit) {
        (*v / unit) * 2 + 1
    } else {
        *v * 2 + 2
    };
    p.raw(&mut k)?;
    *v = match k {
        0 => default,
        k if k % 2 == 1 => (k / 2).checked_mul(unit).ok_or_else(|| range("time"))?,
        k => k / 2 - 1,
    };
    Ok(())
}

pub(super) fn val32<P: Pass>(p: &mut P, v: &mut u32, default: u32) -> R {
    let mut x = u64::from(*v);
    val(p, &mut x, u64::from(default), 1)?;
    *v = u32::try_from(x).map_err(|_| range("number"))?;
    Ok(())
}

/// Milliseconds, usually whole seconds.
pub(super) fn ms<P: Pass>(p: &mut P, v: &mut u64, default: u64) -> R {
    val(p, v, default, 1000)
}

pub(super) fn opt_ms<P: Pass>(p: &mut P, v: &mut Option<u64>) -> R {
    opt(p, v, |p, x| ms(p, x, 0))
}

pub(super) fn i32f<P: Pass>(p: &mut P, v: &mut i32) -> R {
    let mut x = *v as i64 as u64;
    p.num(&mut x)?;
    *v = i32::try_from(x as i64).map_err(|_| range("position"))?;
    Ok(())
}

/// A number with a fraction (a rate, a percentage): its exact bits, so it reads back equal.
#[cfg(feature = "simulate")]
pub(super) fn f64f<P: Pass>(p: &mut P, v: &mut f64) -> R {
    let mut x = v.to_bits();
    p.raw(&mut x)?;
    *v = f64::from_bits(x);
    Ok(())
}

pub(super) fn boolf<P: Pass>(p: &mut P, v: &mut bool) -> R {
    let mut x = u64::from(*v);
    p.raw(&mut x)?;
    *v = match x {
        0 => false,
        1 => true,
        _ => return Err(range("yes/no value")),
    };
    Ok(())
}

/// An enum as its position in `all`.
pub(super) fn choice<P: Pass, E: Copy + PartialEq>(
    p: &mut P,
    v: &mut E,
    all: &[E],
    what: &str,
) -> R {
    let mut x = all.iter().position(|e| e == v).unwrap_or(0) as u64;
    p.raw(&mut x)?;
    *v = *usize::try_from(x)
        .ok()
        .and_then(|i| all.get(i))
        .ok_or_else(|| range(what))?;
    Ok(())
}

pub(super) fn opt<P: Pass, T: Default>(
    p: &mut P,
    v: &mut Option<T>,
    mut f: impl FnMut(&mut P, &mut T) -> R,
) -> R {
    let mut some = v.is_some();
    boolf(p, &mut some)?;
    *v = if some {
        let mut x = v.take().unwrap_or_default();
        f(p, &mut x)?;
        Some(x)
    } else {
        None
    };
    Ok(())
}

pub(super) fn list<P: Pass, T: Default>(
    p: &mut P,
    v: &mut Vec<T>,
    mut f: impl FnMut(&mut P, &mut T) -> R,
) -> R {
    let n = p.len(v.len())?;
    v.resize_with(n, T::default);
    v.iter_mut().try_for_each(|x| f(p, x))
}

pub(super) fn col<P: Pass, T>(
    p: &mut P,
    items: &mut [T],
    mut f: impl FnMut(&mut P, &mut T) -> R,
) -> R {
    p.column();
    items.iter_mut().try_for_each(|x| f(p, x))
}

pub(super) fn ids<P: Pass>(p: &mut P, v: &mut Vec<Id>) -> R {
    list(p, v, |p, x| p.string(x))
}

pub(super) fn opt_id<P: Pass>(p: &mut P, v: &mut Option<Id>) -> R {
    opt(p, v, |p, x| p.string(x))
}

pub(super) fn opt_u32<P: Pass>(p: &mut P, v: &mut Option<u32>) -> R {
    opt(p, v, |p, x| u32f(p, x))
}

/// Canvas positions: presence and x in one column, y in the next (x and y deltas stay small).
pub(super) fn positions<P: Pass, T>(
    p: &mut P,
    items: &mut [T],
    at: impl Fn(&mut T) -> &mut Option<Pos>,
) -> R {
    col(p, items, |p, x| opt(p, at(x), |p, pos| i32f(p, &mut pos.x)))?;
    col(p, items, |p, x| match at(x) {
        Some(pos) => i32f(p, &mut pos.y),
        None => Ok(()),
    })
}
