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
/// storage under them. Deterministic, so a shared link looks the same everywhere.
pub fn place_missing(d: &mut Design) {
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
