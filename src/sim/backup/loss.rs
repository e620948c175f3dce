//! Faults that lose data, which no repair undoes: a VM deleted, a guest's data corrupted,
//! ransomware encrypting a domain's VMs and every repository it reaches that is not immutable.

use super::super::state::VmState;
use super::super::{Engine, EventKind, names};

/// How a VM's data was lost, and when.
#[derive(Clone, Debug, PartialEq)]
pub enum Loss {
    Deleted { at: u64, cluster: Option<usize> },
    Corrupt { at: u64 },
    Encrypted { at: u64, cluster: Option<usize> },
}

impl Loss {
    pub fn at(&self) -> u64 {
        match *self {
            Loss::Deleted { at, .. } | Loss::Corrupt { at } | Loss::Encrypted { at, .. } => at,
        }
    }

    pub fn words(&self) -> &'static str {
        match self {
            Loss::Deleted { .. } => "deleted",
            Loss::Corrupt { .. } => "data corrupt",
            Loss::Encrypted { .. } => "encrypted by ransomware",
        }
    }

    /// What a backup or replica taken now holds.
    pub(super) fn in_copies(&self) -> String {
        match self {
            Loss::Corrupt { .. } => "it was taken of corrupt data".into(),
            _ => "it was taken of encrypted disks".into(),
        }
    }

    pub(super) fn unbootable(&self) -> Option<String> {
        match self {
            Loss::Deleted { .. } => Some("it was deleted: its files are gone".into()),
            Loss::Encrypted { .. } => Some("its disks are encrypted by ransomware".into()),
            Loss::Corrupt { .. } => None,
        }
    }

    /// The cluster it was a role of, which a restore gives it back to.
    pub(super) fn cluster(&self) -> Option<usize> {
        match *self {
            Loss::Deleted { cluster, .. } | Loss::Encrypted { cluster, .. } => cluster,
            Loss::Corrupt { .. } => None,
        }
    }
}

impl Engine {
    pub(in crate::sim) fn vm_deleted(&mut self, vm: &str) {
        let Some(v) = self.vm_index(vm) else {
            return;
        };
        if self.backups.lost.contains_key(&v) {
            return;
        }
        let id = self.vms[v].id.clone();
        self.lose_vm(
            v,
            |at, cluster| Loss::Deleted { at, cluster },
            format!(
                "{id} is deleted: its configuration and disks are gone, so nothing can restart it; it comes back from a backup or its replica"
            ),
        );
    }

    pub(in crate::sim) fn guest_corrupted(&mut self, vm: &str) {
        let Some(v) = self.vm_index(vm) else {
            return;
        };
        if self.backups.lost.contains_key(&v) {
            return;
        }
        self.backups.lost.insert(v, Loss::Corrupt { at: self.now });
        let id = self.vms[v].id.clone();
        let serving = self.vms[v].guest_up();
        self.vms[v].app_failed = true;
        self.dirty = true;
        self.emit(
            EventKind::DataLost,
            vec![id.clone()],
            format!(
                "the data inside {id} is corrupt: {}; restarting it does not help, and every backup or replica taken from now on copies the corruption",
                if serving {
                    "it keeps running but its application fails"
                } else {
                    "it will fail when it starts"
                }
            ),
        );
    }

    /// Encrypts the VMs on the domain's hosts, then every repository the domain reaches.
    pub(in crate::sim) fn ransomware(&mut self, domain: &[String]) {
        let d = &self.scenario.design;
        let hosts: Vec<usize> = (0..d.hosts.len())
            .filter(|&h| {
                domain.contains(&d.hosts[h].id)
                    || d.hosts[h].site.as_ref().is_some_and(|s| domain.contains(s))
            })
            .collect();
        for v in 0..self.vms.len() {
            if !hosts.contains(&self.vms[v].host) || self.backups.lost.contains_key(&v) {
                continue;
            }
            let id = self.vms[v].id.clone();
            self.lose_vm(
                v,
                |at, cluster| Loss::Encrypted { at, cluster },
                format!(
                    "{id}'s disks are encrypted by ransomware: it stops and cannot boot; it comes back from a clean backup or replica"
                ),
            );
        }
        for j in 0..self.backups.jobs.len() {
            self.ransomware_reaches(j, &hosts);
        }
    }

    /// A repository the domain's hosts reach is encrypted, unless its copies are immutable.
    fn ransomware_reaches(&mut self, j: usize, hosts: &[usize]) {
        let job = &self.backups.jobs[j];
        let repo = job.repo;
        let reached: Vec<&str> = (hosts.iter())
            .filter(|&&h| {
                self.health.host_up(h) && self.reach.host_reaches_storage(&self.net, h, repo)
            })
            .map(|&h| self.host_id(h))
            .collect();
        if reached.is_empty() {
            return;
        }
        let repo_id = self.storage_id(repo).to_string();
        let vms: Vec<String> = job.vms.iter().map(|&v| self.vms[v].id.clone()).collect();
        let from = names(&reached);
        if job.immutable {
            self.emit(
                EventKind::DataLost,
                vec![repo_id.clone()],
                format!(
                    "ransomware reaches {repo_id} from {from}, but its copies of {} are immutable: they survive",
                    names(&vms)
                ),
            );
            return;
        }
        let job = &mut self.backups.jobs[j];
        let mut hit = 0;
        for p in job.points.iter_mut().filter(|p| p.bad.is_none()) {
            p.bad = Some(format!("ransomware encrypted it in {repo_id}"));
            hit += 1;
        }
        for v in self.backups.jobs[j].vms.clone() {
            self.note_copies(v);
        }
        self.emit(
            EventKind::DataLost,
            vec![repo_id.clone()],
            format!(
                "ransomware reaches {repo_id} from {from} and encrypts the {hit} restore point(s) of {} in it: a repository the attacker can reach is no copy",
                names(&vms)
            ),
        );
    }

    /// A VM whose disks are gone (deleted, encrypted): nothing may restart it, so its cluster
    /// lets it go (the loss keeps the cluster for a restore to give back), and it stops.
    fn lose_vm(&mut self, v: usize, loss: fn(u64, Option<usize>) -> Loss, why: String) {
        let vm = &mut self.vms[v];
        vm.pending = false;
        let cluster = vm.cluster.take();
        self.backups.lost.insert(v, loss(self.now, cluster));
        self.stop_or_say(v, why);
    }

    fn stop_or_say(&mut self, v: usize, why: String) {
        let id = self.vms[v].id.clone();
        if self.vms[v].state == VmState::Stopped {
            self.vms[v].reason = why.clone();
            self.dirty = true;
            self.emit(EventKind::DataLost, vec![id], why);
        } else {
            self.stop_vm(v, EventKind::DataLost, why);
        }
    }
}
