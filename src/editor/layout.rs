//! Canvas geometry: where components sit when a scenario gives no positions, and the sizes the
//! page draws them at (shared so hit-testing and drawing agree).

use crate::model::{Design, Pos};

/// Snap grid, in canvas units.
pub const GRID: i32 = 20;
pub const HOST_W: i32 = 200;
pub const VM_H: i32 = 28;
pub const HOST_HEADER: i32 = 42;
pub const SWITCH_W: i32 = 180;
pub const SWITCH_H: i32 = 36;
pub const STORAGE_W: i32 = 170;
pub const STORAGE_H: i32 = 56;
pub const CLIENT_W: i32 = 170;
pub const CLIENT_H: i32 = 44;
/// Room between hosts in a row: cables pass between them.
pub const HOST_GAP: i32 = 30;

pub fn snap(v: i32) -> i32 {
    (v as f64 / GRID as f64).round() as i32 * GRID
}

/// A host's height grows with the VM entries it runs (one row per entry, replicas as a count).
pub fn host_height(vm_rows: usize) -> i32 {
    HOST_HEADER + VM_H * vm_rows.max(1) as i32 + 10
}

/// Gives every component without a position one: clients and switches on top, hosts below,
/// storage under them; with sites, each site's components side by side in a block of their own
/// (so the site regions do not overlap). Deterministic, so a shared link looks the same
/// everywhere.
pub fn place_missing(d: &mut Design) {
    if d.sites.is_empty() {
        place_plain(d);
    } else {
        place_by_site(d);
    }
}

/// Clients along the top; under them each site's block (its switches, hosts, storage), then a
/// block of what is in no site.
fn place_by_site(d: &mut Design) {
    for (i, c) in d.clients.iter_mut().enumerate() {
        c.at.get_or_insert(Pos {
            x: 20 + i as i32 * (CLIENT_W + 40),
            y: 36,
        });
    }
    let mut sites: Vec<Option<String>> = d.sites.iter().map(|s| Some(s.id.clone())).collect();
    sites.push(None);
    let mut x0 = 60;
    for site in sites {
        let per_row = 2;
        let (mut width, mut rows) = (0, 1);
        let mut k = 0;
        for s in d.switches.iter_mut().filter(|s| s.site == site) {
            s.at.get_or_insert(Pos {
                x: x0 + k * (SWITCH_W + 40),
                y: 160,
            });
            k += 1;
            width = width.max(k * (SWITCH_W + 40));
        }
        let mut i = 0;
        for h in d.hosts.iter_mut().filter(|h| h.site == site) {
            let (col, row) = (i % per_row, i / per_row);
            rows = rows.max(row + 1);
            h.at.get_or_insert(Pos {
                x: x0 + col * (HOST_W + HOST_GAP),
                y: 280 + row * 260,
            });
            i += 1;
            width = width.max((col + 1) * (HOST_W + HOST_GAP));
        }
        let hosts = i;
        let host_site = |h: &Option<String>| {
            site.is_some()
                && h.as_ref()
                    .and_then(|h| d.hosts.iter().find(|x| &x.id == h))
                    .is_some_and(|x| x.site == site)
        };
        let mine: Vec<usize> = (0..d.storage.len())
            .filter(|&j| {
                d.storage[j].site == site
                    || (d.storage[j].site.is_none() && host_site(&d.storage[j].host))
            })
            .collect();
        let storage_y = 280 + if hosts > 0 { rows * 260 } else { 0 };
        for (k, j) in mine.into_iter().enumerate() {
            d.storage[j].at.get_or_insert(Pos {
                x: x0 + k as i32 * (STORAGE_W + 40),
                y: storage_y,
            });
            width = width.max((k as i32 + 1) * (STORAGE_W + 40));
        }
        if width > 0 {
            x0 += width + 120;
        }
    }
}

fn place_plain(d: &mut Design) {
    let columns = |n: usize| -> i32 { (n as f64).sqrt().ceil().max(1.0) as i32 * 2 };
    let per_row = columns(d.hosts.len()).max(4);
    // The top row: clients, then switches.
    let switches_x = 20 + (d.clients.len().max(1) as i32) * (CLIENT_W + 40);
    for (i, s) in d.switches.iter_mut().enumerate() {
        s.at.get_or_insert(Pos {
            x: switches_x + (i as i32) * (SWITCH_W + 60),
            y: 40,
        });
    }
    let mut max_rows = 1;
    for (i, h) in d.hosts.iter_mut().enumerate() {
        let (col, row) = (i as i32 % per_row, i as i32 / per_row);
        max_rows = max_rows.max(row + 1);
        h.at.get_or_insert(Pos {
            x: 20 + col * (HOST_W + HOST_GAP),
            y: 160 + row * 260,
        });
    }
    let storage_y = 160 + max_rows * 260;
    for (i, s) in d.storage.iter_mut().enumerate() {
        s.at.get_or_insert(Pos {
            x: 20 + (i as i32) * (STORAGE_W + 60),
            y: storage_y,
        });
    }
    for (i, c) in d.clients.iter_mut().enumerate() {
        c.at.get_or_insert(Pos {
            x: 20 + i as i32 * (CLIENT_W + 40),
            y: 36,
        });
    }
}
