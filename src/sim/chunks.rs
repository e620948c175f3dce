//! A vector that copies cheaply: the analysis copies one steady-state engine per case (24 266
//! copies of 8 000 VMs for the largest design) and a case changes only a few VMs. Elements live
//! in shared chunks; a copy shares them all, and a chunk is copied the first time a copy changes
//! one of its elements (`Arc::make_mut`). Reading costs one more index than a `Vec`.

use std::ops::{Index, IndexMut};
use std::sync::Arc;

/// Elements per chunk: a changed VM copies 63 neighbours, a copy clones len / 64 pointers.
const CHUNK: usize = 64;

#[derive(Clone, Debug)]
pub struct Chunks<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
    /// Elements lent out for change (or added) since `take_touched`: what a sum over all the
    /// elements needs to look at again (see `tally`).
    touched: Vec<u32>,
}

impl<T> Default for Chunks<T> {
    fn default() -> Self {
        Chunks {
            chunks: Vec::new(),
            len: 0,
            touched: Vec::new(),
        }
    }
}

impl<T: Clone> Chunks<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, x: T) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        let last = self.chunks.last_mut().expect("a chunk was just made");
        Arc::make_mut(last).push(x);
        self.touched.push(self.len as u32);
        self.len += 1;
    }

    /// The elements lent out for change since the last call, each once, in order.
    pub fn take_touched(&mut self) -> Vec<usize> {
        let mut t: Vec<usize> = self.touched.drain(..).map(|i| i as usize).collect();
        t.sort_unstable();
        t.dedup();
        t
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

impl<T> Index<usize> for Chunks<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<T: Clone> IndexMut<usize> for Chunks<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        self.touched.push(i as u32);
        &mut Arc::make_mut(&mut self.chunks[i / CHUNK])[i % CHUNK]
    }
}

impl<'a, T: Clone> IntoIterator for &'a Chunks<T> {
    type Item = &'a T;
    type IntoIter = std::iter::FlatMap<
        std::slice::Iter<'a, Arc<Vec<T>>>,
        std::slice::Iter<'a, T>,
        fn(&'a Arc<Vec<T>>) -> std::slice::Iter<'a, T>,
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::Chunks;

    #[test]
    fn a_copy_shares_until_changed() {
        let mut a = Chunks::default();
        for i in 0..200u32 {
            a.push(i);
        }
        let mut b = a.clone();
        b[130] = 7;
        assert_eq!((a[130], b[130], b[129], b.len()), (130, 7, 129, 200));
        assert_eq!(a.iter().copied().sum::<u32>(), (0..200u32).sum::<u32>());
        assert_eq!((&b).into_iter().count(), 200);
        b.take_touched();
        b[5] = 1;
        b[3] = 1;
        b[5] = 2;
        assert_eq!((b.take_touched(), b.take_touched()), (vec![3, 5], vec![]));
    }
}
