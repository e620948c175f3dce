//! What sits where on the canvas: boxes for hosts, VM rows, switches, storage and clients, and
//! hit-testing. The page draws from these boxes, so drawing and picking always agree.

use super::layout::*;
use crate::model::{Design, Id, Pos};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn contains(&self, p: (f64, f64)) -> bool {
        p.0 >= self.x && p.0 <= self.x + self.w && p.1 >= self.y && p.1 <= self.y + self.h
    }
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    /// The smallest rectangle holding both corners.
    pub fn spanning(a: (f64, f64), b: (f64, f64)) -> Rect {
        Rect {
            x: a.0.min(b.0),
            y: a.1.min(b.1),
            w: (a.0 - b.0).abs(),
            h: (a.1 - b.1).abs(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Host,
    Vm,
    Switch,
    Storage,
    Client,
}

/// One drawn, selectable thing. VM rows belong to a host (`parent`).
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub id: Id,
    pub kind: ItemKind,
    pub rect: Rect,
    pub parent: Option<Id>,
    /// VM rows: instances of the entry on this host.
    pub count: u32,
}

/// Every drawn item, hosts before the VM rows inside them (so later items are on top).
pub fn items(d: &Design) -> Vec<Item> {
    let mut out = Vec::new();
    let at = |p: Option<Pos>| p.unwrap_or_default();
    let boxed = |id: &Id, kind, at: Option<Pos>, w, h| Item {
        id: id.clone(),
        kind,
        rect: rect(at.unwrap_or_default(), w, h),
        parent: None,
        count: 0,
    };
    out.extend(
        d.switches
            .iter()
            .map(|s| boxed(&s.id, ItemKind::Switch, s.at, SWITCH_W, SWITCH_H)),
    );
    out.extend(
        d.storage
            .iter()
            .map(|s| boxed(&s.id, ItemKind::Storage, s.at, STORAGE_W, STORAGE_H)),
    );
    out.extend(
        d.clients
            .iter()
            .map(|c| boxed(&c.id, ItemKind::Client, c.at, CLIENT_W, CLIENT_H)),
    );
    for h in &d.hosts {
        let rows: Vec<(&Id, u32)> = d
            .vms
            .iter()
            .filter_map(|v| {
                let n = (0..v.replicas as usize)
                    .filter(|k| v.hosts.get(k % v.hosts.len().max(1)) == Some(&h.id))
                    .count() as u32;
                (n > 0).then_some((&v.id, n))
            })
            .collect();
        let p = at(h.at);
        out.push(Item {
            id: h.id.clone(),
            kind: ItemKind::Host,
            rect: rect(p, HOST_W, host_height(rows.len())),
            parent: None,
            count: 0,
        });
        for (i, (vm, n)) in rows.into_iter().enumerate() {
            let r = Rect {
                x: p.x as f64 + 8.0,
                y: (p.y + HOST_HEADER + VM_H * i as i32) as f64,
                w: (HOST_W - 16) as f64,
                h: (VM_H - 4) as f64,
            };
            out.push(Item {
                id: vm.clone(),
                kind: ItemKind::Vm,
                rect: r,
                parent: Some(h.id.clone()),
                count: n,
            });
        }
    }
    out
}

fn rect(p: Pos, w: i32, h: i32) -> Rect {
    Rect {
        x: p.x as f64,
        y: p.y as f64,
        w: w as f64,
        h: h as f64,
    }
}

/// The topmost item under a canvas point.
pub fn hit(items: &[Item], p: (f64, f64)) -> Option<&Item> {
    items.iter().rev().find(|i| i.rect.contains(p))
}

/// The host under a point (for dropping VMs), ignoring the VM rows on it.
pub fn host_at(items: &[Item], p: (f64, f64)) -> Option<&Item> {
    items
        .iter()
        .rev()
        .find(|i| i.kind == ItemKind::Host && i.rect.contains(p))
}

/// Movable items (not VM rows) inside a rubber band.
pub fn in_band(items: &[Item], band: &Rect) -> Vec<Id> {
    items
        .iter()
        .filter(|i| i.kind != ItemKind::Vm && band.intersects(&i.rect))
        .map(|i| i.id.clone())
        .collect()
}

/// The box around every item, for fit-to-view.
pub fn bounds(items: &[Item]) -> Option<Rect> {
    union(items.iter().map(|i| i.rect))
}

/// The smallest box holding every rectangle.
pub fn union(rects: impl IntoIterator<Item = Rect>) -> Option<Rect> {
    let mut it = rects.into_iter();
    let first = it.next()?;
    Some(it.fold(first, |a, b| {
        let x = a.x.min(b.x);
        let y = a.y.min(b.y);
        Rect {
            x,
            y,
            w: (a.x + a.w).max(b.x + b.w) - x,
            h: (a.y + a.h).max(b.y + b.h) - y,
        }
    }))
}

/// The box around a set of hosts (a cluster outline), padded.
pub fn outline(items: &[Item], hosts: &[Id], pad: f64) -> Option<Rect> {
    let members: Vec<Item> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Host && hosts.contains(&i.id))
        .cloned()
        .collect();
    bounds(&members).map(|r| Rect {
        x: r.x - pad,
        y: r.y - pad - 18.0,
        w: r.w + 2.0 * pad,
        h: r.h + 2.0 * pad + 18.0,
    })
}

/// The boxes cables go around: everything but VM rows (inside their hosts), and the labels
/// of cluster outlines.
pub fn obstacles(items: &[Item], labels: &[Rect]) -> Vec<Rect> {
    items
        .iter()
        .filter(|i| i.kind != ItemKind::Vm)
        .map(|i| i.rect)
        .chain(labels.iter().copied())
        .collect()
}

/// Where a cluster outline's label sits (top left inside the outline), for `chars` characters.
pub fn label_rect(outline: &Rect, chars: usize) -> Rect {
    Rect {
        x: outline.x + 8.0,
        y: outline.y + 2.0,
        w: (chars as f64 * 9.0 + 36.0).min(outline.w - 16.0),
        h: 20.0,
    }
}

/// The icon an item is drawn with (a symbol of `ui::icons`): by kind, and for switches and
/// storage by their own kind.
pub fn icon(d: &Design, item: &Item) -> &'static str {
    use crate::model::{StorageKind, SwitchKind};
    match item.kind {
        ItemKind::Host => "host",
        ItemKind::Vm => "vm",
        ItemKind::Client => "clients",
        ItemKind::Switch => match d.switches.iter().find(|x| x.id == item.id).map(|x| x.kind) {
            Some(SwitchKind::Internal) => "switch-internal",
            Some(SwitchKind::Private) => "switch-private",
            _ => "switch-external",
        },
        ItemKind::Storage => match d.storage.iter().find(|x| x.id == item.id).map(|x| x.kind) {
            Some(StorageKind::Local) => "storage-local",
            Some(StorageKind::Smb) => "storage-smb",
            Some(StorageKind::Csv) => "storage-csv",
            _ => "storage-san",
        },
    }
}
