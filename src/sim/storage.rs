//! Storage as each VM sees it: direct paths, CSV redirected I/O through the coordinator, and
//! what happens when the disks go away (Paused-Critical in 2016+, a crash before).

use super::state::{Member, NodeState, VmState};
use super::{Engine, Ev, EventKind, fmt_ms};
use crate::model::StorageKind;

impl Engine {
    pub(super) fn storage_text(&self, v: usize) -> String {
        let Some(st) = self.vms[v].storage else {
            return "its storage".into();
        };
        let s = &self.scenario.design.storage[st];
        match (s.kind, &s.host) {
            (StorageKind::Local, Some(h)) => format!("{h}'s local storage"),
            _ => s.id.clone(),
        }
    }

    /// How VM `v` would reach its disks from host `h`: directly (`false`), through CSV
    /// redirected I/O via the coordinator (`true`), or not at all.
    pub(super) fn storage_access(&self, v: usize, h: usize) -> Option<bool> {
        let st = self.vms[v].storage?;
        if self.membership_holds_storage(v, h) {
            return None;
        }
        if self.reach.host_reaches_storage(&self.net, h, st) {
            return Some(false);
        }
        if self.net.storage_kind[st] != StorageKind::Csv {
            return None;
        }
        let ci = self.vms[v].cluster?;
        let coordinator = self.csv_coordinator(ci, st)?;
        (coordinator != h && self.reach.hosts_connected(h, coordinator)).then_some(true)
    }

    /// Block storage of a cluster (a CSV, a SAN cluster disk) goes with cluster membership: an
    /// isolated node loses it though its paths work. An SMB share does not (2016+).
    fn membership_holds_storage(&self, v: usize, h: usize) -> bool {
        let (Some(st), Some(ci)) = (self.vms[v].storage, self.vms[v].cluster) else {
            return false;
        };
        let Some(c) = self.clusters.get(ci) else {
            return false;
        };
        matches!(
            self.net.storage_kind[st],
            StorageKind::Csv | StorageKind::San
        ) && c
            .members
            .iter()
            .zip(&c.node)
            .any(|(x, n)| *x == Member::Host(h) && matches!(n, NodeState::Isolated { .. }))
    }

    /// The CSV's coordinator: the first active node with its own path to the volume. Before
    /// the cluster has formed (the VMs start first), the first node that is up.
    pub(super) fn csv_coordinator(&self, ci: usize, st: usize) -> Option<usize> {
        let direct = |h: usize| self.reach.host_reaches_storage(&self.net, h, st);
        let Some(c) = self.clusters.get(ci) else {
            let nodes = &self.scenario.design.clusters.get(ci)?.nodes;
            return nodes.iter().map(|n| self.net.hosts[n]).find(|&h| direct(h));
        };
        c.members
            .iter()
            .enumerate()
            .find_map(|(m, mem)| match *mem {
                Member::Host(h) if c.node[m] == NodeState::Up && direct(h) => Some(h),
                _ => None,
            })
    }

    /// Reacts to VM `v` gaining or losing its path to its disks.
    pub(super) fn check_storage(&mut self, v: usize) {
        // A quick migration's restore checks the target's path when it ends.
        if matches!(
            self.vms[v].state,
            VmState::Stopped | VmState::QuickMigrating { .. }
        ) {
            return;
        }
        let h = self.vms[v].host;
        let access = self.storage_access(v, h);
        let id = self.vms[v].id.clone();
        let hid = self.host_id(h).to_string();
        match (self.vms[v].state, access) {
            (VmState::Paused { .. }, None) => {}
            (VmState::Paused { since }, Some(r)) => {
                self.set_vm(v, h, VmState::Running);
                self.vms[v].redirected = r;
                let msg = format!(
                    "{id} resumes on {hid}: its storage is back (it was paused for {})",
                    fmt_ms(self.now - since)
                );
                self.emit(EventKind::VmResumed, vec![id, hid], msg);
            }
            (_, Some(r)) if r != self.vms[v].redirected => {
                self.vms[v].redirected = r;
                let coordinator = self.vms[v]
                    .cluster
                    .zip(self.vms[v].storage)
                    .and_then(|(ci, st)| self.csv_coordinator(ci, st));
                let (kind, msg) = if r {
                    (
                        EventKind::VmRedirectedIo,
                        format!(
                            "{id} keeps running: {hid} lost its own path to CSV {}, so its I/O is redirected over the network through the coordinator {}",
                            self.storage_text(v),
                            coordinator.map(|c| self.host_id(c)).unwrap_or("?")
                        ),
                    )
                } else {
                    (
                        EventKind::VmDirectIo,
                        format!(
                            "{id} is back to direct I/O: {hid} reaches {} again",
                            self.storage_text(v)
                        ),
                    )
                };
                self.emit(kind, vec![id, hid], msg);
            }
            (_, Some(_)) => {}
            (state, None) => {
                if let VmState::Migrating { .. } = state {
                    self.set_vm(v, h, VmState::Running);
                }
                let what = self.storage_text(v);
                if self.timing.compute_resiliency && !matches!(state, VmState::Booting { .. }) {
                    self.set_vm(v, h, VmState::Paused { since: self.now });
                    self.vms[v].down_since.get_or_insert(self.now);
                    let token = self.vms[v].token;
                    let timeout = self.timing.paused_critical_timeout_ms;
                    self.schedule(self.now + timeout, Ev::PausedTimeout { vm: v, token });
                    let msg = if self.membership_holds_storage(v, h) {
                        format!(
                            "{id} is Paused-Critical: {hid} is isolated, and block storage ({what}) goes with cluster membership. It resumes when the node rejoins"
                        )
                    } else {
                        format!(
                            "{id} is Paused-Critical: it lost access to its disks on {what}. It resumes if storage returns within {}, rather than crashing",
                            fmt_ms(timeout)
                        )
                    };
                    self.vms[v].reason = msg.clone();
                    self.emit(EventKind::VmPaused, vec![id, hid], msg);
                } else {
                    self.stop_vm(
                        v,
                        EventKind::VmStopped,
                        format!("{id} crashed: it lost access to its disks on {what}"),
                    );
                    self.vm_failed(v);
                }
                self.vm_guest_changed(v);
            }
        }
    }

    pub(super) fn check_storage_all(&mut self) {
        for v in 0..self.vms.len() {
            self.check_storage(v);
        }
    }

    pub(super) fn paused_timeout(&mut self, v: usize, token: u32) {
        if self.vms[v].token != token || !matches!(self.vms[v].state, VmState::Paused { .. }) {
            return;
        }
        let why = format!(
            "{} was turned off after {} in Paused-Critical without its storage",
            self.vms[v].id,
            fmt_ms(self.timing.paused_critical_timeout_ms)
        );
        self.stop_vm(v, EventKind::VmStopped, why);
        self.vm_failed(v);
    }
}
