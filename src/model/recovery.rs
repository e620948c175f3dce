//! Disaster recovery in the scenario: which VMs Hyper-V Replica copies to which replica
//! server, and how often. The engine's `sim::replication` runs it; docs/simulation-model.md
//! has the sources.

#[cfg(feature = "simulate")]
use super::Id;
#[cfg(feature = "simulate")]
use serde::{Deserialize, Serialize};

/// The first page load (the editor alone) keeps it as read (see `reliability::Node`).
#[cfg(not(feature = "simulate"))]
pub type Recovery = super::reliability::Node;

/// Replication frequencies Hyper-V Replica offers from 2012 R2 (2012, which the model has no
/// setting for, had 5 minutes only): 30 seconds, 5 or 15 minutes.
#[cfg(feature = "simulate")]
pub const FREQUENCIES_S: [u32; 3] = [30, 300, 900];

#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Recovery {
    /// Hyper-V Replica relationships, one per protected VM.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub replicas: Vec<Replica>,
}

#[cfg(feature = "simulate")]
impl Recovery {
    pub fn is_empty(&self) -> bool {
        self.replicas.is_empty()
    }
}

/// One VM replicated by Hyper-V Replica: its primary is where the VM runs, its replica a
/// server (usually in another site) that holds an Off copy, updated every `every_s` seconds.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replica {
    /// The VM (`sql`, or `sql#2` for one instance of several).
    pub vm: Id,
    /// The replica server (a host).
    pub to: Id,
    /// Replication frequency: 30, 300 or 900 seconds.
    #[serde(default = "every_default")]
    pub every_s: u32,
    /// How much the VM writes, which each cycle sends (MB per minute; a modelling choice).
    #[serde(default = "change_default")]
    pub change_mb_per_min: u32,
    /// The VM's disk (GB): a resynchronization sends it whole.
    #[serde(default = "disk_default")]
    pub disk_gb: u32,
    /// Where the replica server keeps the replica's files (none: its own local disk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Id>,
}

#[cfg(feature = "simulate")]
impl Replica {
    /// The storage holding the replica: the one named, or the replica server's local disk.
    pub fn replica_storage<'a>(&'a self, d: &'a super::Design) -> Option<&'a Id> {
        match &self.storage {
            Some(s) => d.storage.iter().find(|x| &x.id == s).map(|x| &x.id),
            None => d
                .storage
                .iter()
                .find(|x| x.kind == super::StorageKind::Local && x.host.as_ref() == Some(&self.to))
                .map(|x| &x.id),
        }
    }
}

#[cfg(feature = "simulate")]
fn disk_default() -> u32 {
    DISK_GB
}

/// A VM's disk when the scenario does not say (a modelling choice).
#[cfg(feature = "simulate")]
pub const DISK_GB: u32 = 100;

#[cfg(feature = "simulate")]
fn every_default() -> u32 {
    300
}

#[cfg(feature = "simulate")]
fn change_default() -> u32 {
    CHANGE_MB_PER_MIN
}

/// What a VM writes per minute when the scenario does not say (a modelling choice: a busy
/// database server's order of magnitude).
#[cfg(feature = "simulate")]
pub const CHANGE_MB_PER_MIN: u32 = 60;

/// The replication relationships' problems: (subjects, words, whether it is an error).
#[cfg(feature = "simulate")]
pub fn check(s: &super::Scenario) -> Vec<(Vec<Id>, String, bool)> {
    use super::Version;
    let d = &s.design;
    let mut out = Vec::new();
    for r in &s.recovery.replicas {
        let subjects = vec![r.vm.clone(), r.to.clone()];
        let mut error = |words: String| out.push((subjects.clone(), words, true));
        let entry = super::parse_vm_ref(&r.vm).and_then(|(e, _)| d.vms.iter().find(|v| v.id == e));
        let Some(vm) = entry.filter(|_| d.has_vm_ref(&r.vm)) else {
            error(format!(
                "{} is replicated, but the design has no such VM",
                r.vm
            ));
            continue;
        };
        let Some(to) = d.hosts.iter().find(|h| h.id == r.to) else {
            error(format!(
                "{}'s replica server {} is not a host of the design",
                r.vm, r.to
            ));
            continue;
        };
        match s.settings.version {
            Version::W2008R2 => error(format!(
                "{} cannot be replicated: Hyper-V Replica came with Windows Server 2012",
                r.vm
            )),
            _ if !FREQUENCIES_S.contains(&r.every_s) => error(format!(
                "{}'s replication every {} s: Hyper-V Replica offers 30 s, 5 min or 15 min",
                r.vm, r.every_s
            )),
            _ => {}
        }
        if r.replica_storage(d).is_none() {
            error(match &r.storage {
                Some(st) => format!(
                    "{}'s replica storage {st} is not storage of the design",
                    r.vm
                ),
                None => format!(
                    "{}'s replica server {} has no local disk for the replica: give it one, or name the replica's storage",
                    r.vm, r.to
                ),
            });
        }
        if vm.hosts.contains(&to.id) {
            error(format!(
                "{}'s replica server {} is one of the hosts it runs on: a replica must be elsewhere",
                r.vm, to.id
            ));
        }
        let site_of = |h: &str| {
            d.hosts
                .iter()
                .find(|x| x.id == h)
                .and_then(|x| x.site.clone())
        };
        if to.site.is_some() && vm.hosts.iter().any(|h| site_of(h) == to.site) {
            out.push((
                subjects.clone(),
                format!(
                    "{}'s replica server {} is in the same site as {}: losing the site loses both",
                    r.vm, to.id, r.vm
                ),
                false,
            ));
        }
    }
    out
}
