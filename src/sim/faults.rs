//! Faults and repairs from the script: change what is broken, then let every part react.

use super::state::VmState;
use super::{Engine, EventKind};
use crate::model::network::Node;
use crate::model::{Fault, parse_vm_ref};

impl Engine {
    pub(super) fn apply_fault(&mut self, i: usize) {
        let f = self.faults[i].clone();
        let (kind, msg) = describe(&f.fault, f.repair);
        self.emit(kind, f.fault.subjects(), msg);
        let step: i32 = if f.repair { -1 } else { 1 };
        match &f.fault {
            Fault::HostCrash { host } => {
                self.host_power(self.net.hosts[host], step, &format!("{host} crashed"))
            }
            Fault::HostIsolation { host } => {
                bump(&mut self.health.host_isolated[self.net.hosts[host]], step)
            }
            Fault::VmCrash { vm } => {
                if let Some(v) = self.vm_index(vm) {
                    if f.repair {
                        self.operator_start(v)
                    } else {
                        self.vm_crash(v)
                    }
                }
            }
            Fault::AppFailure { vm } => {
                if let Some(v) = self.vm_index(vm) {
                    self.app_failure(v, f.repair)
                }
            }
            Fault::GuestHang { vm } => {
                if let Some(v) = self.vm_index(vm) {
                    self.guest_hang(v, f.repair)
                }
            }
            Fault::SwitchFailure { switch } => bump(
                &mut self.health.switch_down[self.net.switches[switch]],
                step,
            ),
            Fault::LinkCut { link } => {
                if let Some(l) = self
                    .scenario
                    .design
                    .links
                    .iter()
                    .position(|x| &x.id == link)
                {
                    bump(&mut self.health.link_cut[l], step)
                }
            }
            Fault::StorageFailure { storage } => bump(
                &mut self.health.storage_down[self.net.storage[storage]],
                step,
            ),
            Fault::SiteFailure { site } => {
                let s = self.net.sites.get(site).copied();
                for h in 0..self.net.host_site.len() {
                    if self.net.host_site[h] == s {
                        self.host_power(h, step, &format!("site {site} was lost"));
                    }
                }
                for x in 0..self.net.switch_site.len() {
                    if self.net.switch_site[x] == s {
                        bump(&mut self.health.switch_down[x], step);
                    }
                }
                for x in 0..self.net.storage_site.len() {
                    if self.net.storage_site[x] == s {
                        bump(&mut self.health.storage_down[x], step);
                    }
                }
            }
            Fault::Partition { a, b } => {
                for l in self.crossing_links(a, b) {
                    bump(&mut self.health.link_cut[l], step);
                }
            }
            Fault::WitnessFailure { cluster } => {
                if let Some(c) = self.clusters.iter_mut().find(|c| &c.id == cluster) {
                    c.witness_failed = (i32::from(c.witness_failed) + step).max(0) as u16;
                }
            }
            // Validation refuses their repair.
            Fault::VmDeletion { vm } => self.vm_deleted(vm),
            Fault::GuestCorruption { vm } => self.guest_corrupted(vm),
            Fault::Ransomware { domain } => self.ransomware(domain),
        }
        match &f.fault {
            Fault::VmCrash { vm }
            | Fault::AppFailure { vm }
            | Fault::GuestHang { vm }
            | Fault::VmDeletion { vm }
            | Fault::GuestCorruption { vm } => {
                if let Some(v) = self.vm_index(vm) {
                    self.after_vm_change(v)
                }
            }
            _ => self.after_change(),
        }
    }

    /// What can follow a change inside one VM: the network, power and storage are as they
    /// were, so only that VM's path to its disks and the clusters need a look (with 8 000 VMs,
    /// looking at every VM's path costs more than the rest of a VM crash's run).
    fn after_vm_change(&mut self, v: usize) {
        self.dirty = true;
        self.check_storage(v);
        self.clusters_react();
    }

    /// Everything that can follow a change of the network, power or storage.
    pub(super) fn after_change(&mut self) {
        self.network_changed();
        self.check_storage_all();
        self.clusters_react();
    }

    fn clusters_react(&mut self) {
        for ci in 0..self.clusters.len() {
            self.check_joins(ci);
            self.check_witness_lost(ci);
            if self.clusters[ci].has_quorum {
                self.recalc_votes(ci, super::membership::Tell::IfChanged);
            }
            self.cluster_changed(ci);
        }
    }

    /// After membership changed: roles go where the cluster can run them.
    pub(super) fn cluster_changed(&mut self, ci: usize) {
        if self.clusters[ci].guest {
            self.ensure_role(ci);
        } else {
            self.place_pending(ci);
        }
    }

    /// The VM instance a script names (`web` or `web#2`).
    pub fn vm_index(&self, r: &str) -> Option<usize> {
        let (entry, k) = parse_vm_ref(r)?;
        let e = self
            .scenario
            .design
            .vms
            .iter()
            .position(|v| v.id == entry)?;
        (k <= self.scenario.design.vms[e].replicas).then(|| self.entry_first[e] + k as usize - 1)
    }

    /// Powers a host off (`step` 1) or back on (`-1`), with its VMs.
    pub(super) fn host_power(&mut self, h: usize, step: i32, why: &str) {
        let was_up = self.health.host_up(h);
        bump(&mut self.health.host_down[h], step);
        let up = self.health.host_up(h);
        if was_up && !up {
            for v in self.host_vms[h].clone() {
                if self.vms[v].holds_memory() {
                    let msg = format!("{} went down with its host: {why}", self.vms[v].id);
                    self.stop_vm(v, EventKind::VmStopped, msg);
                }
            }
            // Migrations heading to the dead host are abandoned; the VM stays where it was.
            for v in 0..self.vms.len() {
                if let VmState::Migrating { to, .. } = self.vms[v].state
                    && to == h
                {
                    let src = self.vms[v].host;
                    self.set_vm(v, src, VmState::Running);
                }
            }
            self.network_changed();
            for v in self.host_vms[h].clone() {
                self.vm_guest_changed(v);
            }
            for ci in 0..self.clusters.len() {
                self.check_last_node(ci);
            }
        } else if !was_up && up {
            self.network_changed();
            for v in self.host_vms[h].clone() {
                let vm = &self.vms[v];
                if vm.state != VmState::Stopped || vm.pending || vm.failed {
                    continue;
                }
                match vm.cluster {
                    // Automatic Start Action: a standalone host restarts what it was running.
                    None => self.operator_start(v),
                    // Back before the cluster even noticed: its roles restart like failed VMs.
                    Some(ci) if self.host_node_up(ci, h) => self.vm_failed(v),
                    Some(_) => {}
                }
            }
        }
    }

    fn vm_crash(&mut self, v: usize) {
        if !self.vms[v].holds_memory() {
            return;
        }
        let id = self.vms[v].id.clone();
        let watched = self.vms[v].cluster.is_some() && !self.vms[v].unmonitored;
        let why = if watched {
            format!("{id} crashed; its host's cluster service sees the VM resource fail at once")
        } else if self.vms[v].unmonitored {
            format!("{id} crashed on an isolated node: nobody is watching it")
        } else {
            format!("{id} crashed")
        };
        self.vm_resource_failed(v, why);
    }

    /// A manual start (repair of a VM crash, or a standalone host powering on).
    fn operator_start(&mut self, v: usize) {
        if self.vms[v].state != VmState::Stopped {
            return;
        }
        self.vms[v].failed = false;
        self.vms[v].pending = false;
        let h = self.vms[v].host;
        if let Some(ci) = self.vms[v].cluster
            && !self.host_node_up(ci, h)
        {
            self.mark_pending(v);
            self.place_pending(ci);
            return;
        }
        self.restart_on_own_host(v, false);
    }

    fn app_failure(&mut self, v: usize, repair: bool) {
        let id = self.vms[v].id.clone();
        if repair {
            if self.vms[v].app_failed {
                self.vms[v].app_failed = false;
                self.emit(
                    EventKind::AppRecovered,
                    vec![id.clone()],
                    format!("the application in {id} works again"),
                );
            }
            return;
        }
        if !self.vms[v].guest_up() || self.vms[v].app_failed {
            return;
        }
        self.vms[v].app_failed = true;
        let watchers = self.app_failure_watchers(v);
        let msg = if watchers.is_empty() {
            format!("the application in {id} stopped answering; the guest OS keeps running")
        } else {
            format!(
                "the application in {id} stopped answering; the guest OS keeps running: {watchers}"
            )
        };
        self.emit(EventKind::AppFailed, vec![id], msg);
    }

    fn guest_hang(&mut self, v: usize, repair: bool) {
        let id = self.vms[v].id.clone();
        if repair {
            if self.vms[v].hung {
                self.vms[v].hung = false;
                self.dirty = true;
                let msg = format!("the guest OS in {id} responds again and serves");
                self.emit(EventKind::GuestResumed, vec![id], msg);
                self.vm_guest_changed(v);
            }
            return;
        }
        if !self.vms[v].guest_up() {
            return;
        }
        self.vms[v].hung = true;
        self.dirty = true;
        let watchers = self.guest_hang_watchers(v);
        let msg = format!(
            "the guest OS in {id} stopped responding (its heartbeats stop, it serves nothing); to Hyper-V the VM is still running: {watchers}"
        );
        self.emit(EventKind::GuestHung, vec![id], msg);
        self.vm_guest_changed(v);
    }

    /// Links with one end on side `a` and the other on side `b`.
    fn crossing_links(&self, a: &[String], b: &[String]) -> Vec<usize> {
        let d = &self.scenario.design;
        let side = |n: Node, ids: &[String]| {
            let (id, site) = match n {
                Node::Host(i) => (&d.hosts[i].id, &d.hosts[i].site),
                Node::Switch(i) => (&d.switches[i].id, &d.switches[i].site),
                Node::Storage(i) => (&d.storage[i].id, &d.storage[i].site),
            };
            ids.contains(id) || site.as_ref().is_some_and(|s| ids.contains(s))
        };
        (0..self.net.links.len())
            .filter(|&l| match self.net.links[l] {
                Some((x, y)) => (side(x, a) && side(y, b)) || (side(x, b) && side(y, a)),
                None => false,
            })
            .collect()
    }
}

fn bump(count: &mut u16, step: i32) {
    *count = if step > 0 {
        count.saturating_add(1)
    } else {
        count.saturating_sub(1)
    };
}

/// What a scheduled fault or repair does, in words (the log line and the fault script list).
pub fn describe(f: &Fault, repair: bool) -> (EventKind, String) {
    let text = match (f, repair) {
        (Fault::HostCrash { host }, false) => format!("fault: host {host} crashes (power lost)"),
        (Fault::HostCrash { host }, true) => format!("repair: host {host} is powered on again"),
        (Fault::HostIsolation { host }, false) => {
            format!("fault: every NIC of host {host} goes down; the host keeps running")
        }
        (Fault::HostIsolation { host }, true) => format!("repair: host {host}'s NICs are back"),
        (Fault::VmCrash { vm }, false) => format!("fault: VM {vm} crashes"),
        (Fault::VmCrash { vm }, true) => format!("repair: the operator starts VM {vm}"),
        (Fault::AppFailure { vm }, false) => format!("fault: the application inside VM {vm} fails"),
        (Fault::AppFailure { vm }, true) => {
            format!("repair: the application inside VM {vm} is fixed")
        }
        (Fault::GuestHang { vm }, false) => {
            format!("fault: the guest OS inside VM {vm} hangs; to Hyper-V the VM is still running")
        }
        (Fault::GuestHang { vm }, true) => {
            format!("repair: the guest OS inside VM {vm} responds again")
        }
        (Fault::SwitchFailure { switch }, false) => {
            format!("fault: switch {switch} fails: every path through it is cut")
        }
        (Fault::SwitchFailure { switch }, true) => format!("repair: switch {switch} works again"),
        (Fault::LinkCut { link }, false) => format!("fault: link {link} is cut"),
        (Fault::LinkCut { link }, true) => format!("repair: link {link} is reconnected"),
        (Fault::StorageFailure { storage }, false) => format!("fault: storage {storage} fails"),
        (Fault::StorageFailure { storage }, true) => format!("repair: storage {storage} is back"),
        (Fault::SiteFailure { site }, false) => {
            format!("fault: site {site} is lost (power, network and storage)")
        }
        (Fault::SiteFailure { site }, true) => format!("repair: site {site} is back"),
        (Fault::WitnessFailure { cluster }, false) => {
            format!("fault: the witness of cluster {cluster} fails: no node can reach it")
        }
        (Fault::WitnessFailure { cluster }, true) => {
            format!("repair: the witness of cluster {cluster} is back")
        }
        (Fault::VmDeletion { vm }, _) => {
            format!("fault: VM {vm} is deleted, its files with it")
        }
        (Fault::GuestCorruption { vm }, _) => {
            format!("fault: the data inside VM {vm} is corrupted")
        }
        (Fault::Ransomware { domain }, _) => format!(
            "fault: ransomware takes {}: it encrypts the VMs' disks and every backup it can reach",
            domain.join(", ")
        ),
        (Fault::Partition { a, b }, false) => format!(
            "fault: the network is partitioned between {} and {}",
            a.join(", "),
            b.join(", ")
        ),
        (Fault::Partition { a, b }, true) => format!(
            "repair: the partition between {} and {} heals",
            a.join(", "),
            b.join(", ")
        ),
    };
    (
        if repair {
            EventKind::Repair
        } else {
            EventKind::Fault
        },
        text,
    )
}
