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
    /// Backup jobs, each writing restore points of its VMs to one repository.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backups: Vec<Backup>,
    /// Recovery plans (as Azure Site Recovery's): replicated VMs failed over group by group.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<RecoveryPlan>,
}

/// A recovery plan: its groups start in order, each once the one before has failed over and
/// started; before a group, a wait (a script) and a manual action may hold it.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct RecoveryPlan {
    pub id: Id,
    pub groups: Vec<PlanGroup>,
}

#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct PlanGroup {
    /// Replicated VMs, failed over together.
    pub vms: Vec<Id>,
    /// Seconds the plan waits before the group (a script's pause).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub delay_s: u32,
    /// A manual action before the group, in words: the plan waits `MANUAL_S` for the
    /// administrator to confirm it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<String>,
}

#[cfg(feature = "simulate")]
fn is_zero(v: &u32) -> bool {
    *v == 0
}

/// Hyper-V Replica keeps up to 24 additional recovery points, one an hour (2012 R2).
#[cfg(feature = "simulate")]
pub const MAX_HOURLY_POINTS: u32 = 24;

/// How long an administrator takes to carry out and confirm a plan's manual action (a choice).
#[cfg(feature = "simulate")]
pub const MANUAL_S: u32 = 300;
/// Azure Site Recovery's limits: seven groups, a hundred machines a plan.
#[cfg(feature = "simulate")]
pub const PLAN_GROUPS: usize = 7;
#[cfg(feature = "simulate")]
pub const PLAN_VMS: usize = 100;

#[cfg(feature = "simulate")]
impl Recovery {
    pub fn is_empty(&self) -> bool {
        self.replicas.is_empty() && self.backups.is_empty() && self.plans.is_empty()
    }

    /// What no longer exists in design `d` leaves it (after a deletion): replicas of deleted
    /// VMs or to deleted targets, deleted VMs and repositories of backup jobs, plan VMs that are
    /// no longer replicated; jobs, groups and plans left empty go too.
    pub fn prune(&mut self, d: &super::Design) {
        self.replicas
            .retain(|r| d.has_vm_ref(&r.vm) && r.target(d).is_some());
        for r in &mut self.replicas {
            let exists = |st: &Id| d.storage.iter().any(|x| &x.id == st);
            r.storage = r.storage.take().filter(exists);
        }
        for b in &mut self.backups {
            b.vms.retain(|v| d.has_vm_ref(v));
        }
        self.backups
            .retain(|b| !b.vms.is_empty() && d.storage.iter().any(|x| x.id == b.to));
        let replicas = &self.replicas;
        for p in &mut self.plans {
            for g in &mut p.groups {
                g.vms.retain(|v| replicas.iter().any(|r| &r.vm == v));
            }
            p.groups.retain(|g| !g.vms.is_empty());
        }
        self.plans.retain(|p| !p.groups.is_empty());
    }

    /// The disk (GB) and write rate (MB/min) of a VM: its replica's, or the defaults.
    pub fn disk_of(&self, vm: &str) -> (u32, u32) {
        let entry = |r: &str| r.split('#').next().map(str::to_string);
        self.replicas
            .iter()
            .find(|r| r.vm == vm || entry(&r.vm) == entry(vm))
            .map_or((DISK_GB, CHANGE_MB_PER_MIN), |r| {
                (r.disk_gb, r.change_mb_per_min)
            })
    }
}

/// A backup job: every `every_h` hours it takes a restore point of each of its VMs and writes it
/// to a repository (a storage component: on-site, off-site or in the cloud, as its site says).
/// Forward incremental: a full, then incrementals, a new full every week (Veeam's default).
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// The VMs it backs up (`sql`, or `sql#2` for one instance of several).
    pub vms: Vec<Id>,
    /// The repository: a storage component of the design.
    pub to: Id,
    /// Hours between runs (24: nightly).
    #[serde(default = "every_h_default")]
    pub every_h: u32,
    /// Minutes before the run began that the last backup was taken (earlier restore points
    /// follow the schedule back through the retention).
    #[serde(default = "last_default")]
    pub last_min_ago: u32,
    /// Days restore points are kept (Veeam's default, 7); at least 3 points are always kept.
    #[serde(default = "keep_default")]
    pub keep_days: u32,
    /// Application-consistent copies (VSS inside the guest) rather than crash-consistent ones
    /// (Veeam's default).
    #[serde(default, skip_serializing_if = "is_false")]
    pub app_consistent: bool,
    /// A verification job boot-tests each new restore point in an isolated lab and reports.
    #[serde(default, skip_serializing_if = "is_false")]
    pub verify: bool,
    /// The repository keeps the copies immutable through their retention (a hardened
    /// repository, or object lock in the cloud): nothing can encrypt or delete them.
    #[serde(default, skip_serializing_if = "is_false")]
    pub immutable: bool,
}

#[cfg(feature = "simulate")]
fn is_false(b: &bool) -> bool {
    !*b
}

#[cfg(feature = "simulate")]
fn every_h_default() -> u32 {
    BACKUP_EVERY_H
}
#[cfg(feature = "simulate")]
fn last_default() -> u32 {
    BACKUP_LAST_MIN_AGO
}
#[cfg(feature = "simulate")]
fn keep_default() -> u32 {
    KEEP_DAYS
}

/// A nightly job, when the scenario does not say.
#[cfg(feature = "simulate")]
pub const BACKUP_EVERY_H: u32 = 24;
/// The last backup ran an hour before the run began, when the scenario does not say (a choice).
#[cfg(feature = "simulate")]
pub const BACKUP_LAST_MIN_AGO: u32 = 60;
/// Veeam's default retention: restore points of the last 7 days.
#[cfg(feature = "simulate")]
pub const KEEP_DAYS: u32 = 7;
/// The longest retention a scenario may ask for (days): a year of points is plenty to teach, and
/// bounds the points a link can make the engine build.
#[cfg(feature = "simulate")]
pub const MAX_KEEP_DAYS: u32 = 365;
/// Veeam always keeps at least this many restore points.
#[cfg(feature = "simulate")]
pub const MIN_POINTS: usize = 3;

/// One VM replicated by Hyper-V Replica: its primary is where the VM runs, its replica a
/// server (usually in another site) that holds an Off copy, updated every `every_s` seconds.
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replica {
    /// The VM (`sql`, or `sql#2` for one instance of several).
    pub vm: Id,
    /// The replica server: a host, a host cluster (its Hyper-V Replica Broker places the
    /// replica on a node), or an Azure site (Azure Site Recovery).
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
    /// Additional recovery points kept, one an hour (0 to 24; 0: only the latest).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hourly_points: u32,
}

#[cfg(feature = "simulate")]
impl Replica {
    /// Where the replica goes, if `to` names a host, a host cluster or an Azure site.
    pub fn target<'a>(&self, d: &'a super::Design) -> Option<Target<'a>> {
        let to = &self.to;
        (d.hosts.iter().find(|h| &h.id == to).map(Target::Host))
            .or_else(|| (d.clusters.iter().find(|c| &c.id == to)).map(Target::Broker))
            .or_else(|| d.azure_site(to).map(Target::Azure))
    }

    /// The storage holding the replica: the one named, or else the replica server's local
    /// disk, or a cluster's first shared storage. None for Azure, whose managed disks the
    /// model does not draw.
    pub fn replica_storage<'a>(&'a self, d: &'a super::Design) -> Option<&'a Id> {
        use super::StorageKind::{Csv, Local, San, Smb};
        if let Some(s) = &self.storage {
            return d.storage.iter().find(|x| &x.id == s).map(|x| &x.id);
        }
        let found = match self.target(d)? {
            Target::Host(h) => {
                (d.storage.iter()).find(|x| x.kind == Local && x.host.as_ref() == Some(&h.id))
            }
            Target::Broker(c) => {
                let shared = |x: &&super::Storage| matches!(x.kind, Csv | San | Smb);
                let all = |x: &&super::Storage| reaches_all_nodes(d, c, &x.id);
                let mut fit = d.storage.iter().filter(shared).filter(all);
                let first = fit.clone().next();
                fit.find(|x| x.kind == Csv).or(first)
            }
            Target::Azure(_) => None,
        };
        found.map(|x| &x.id)
    }

    /// Site Recovery replicates to Azure (rather than Hyper-V Replica to a server of one's own).
    pub fn to_azure(&self, d: &super::Design) -> bool {
        d.azure_site(&self.to).is_some()
    }
}

/// Azure's compute stands in as a host of its own in each Azure site: failed-over VMs run
/// there (the engine) and are drawn there (the live canvas), below the site's virtual networks.
#[cfg(feature = "simulate")]
impl super::Design {
    pub fn azure_compute(&self) -> Vec<super::Host> {
        let azure = self
            .sites
            .iter()
            .filter(|s| s.kind == super::SiteKind::Azure);
        azure
            .map(|site| {
                let inside = (self
                    .switches
                    .iter()
                    .filter(|x| x.site.as_ref() == Some(&site.id)))
                .filter_map(|x| x.at);
                let below = inside.fold(None, |acc: Option<super::Pos>, p| match acc {
                    Some(a) => Some(super::Pos {
                        x: a.x.min(p.x),
                        y: a.y.max(p.y),
                    }),
                    None => Some(p),
                });
                super::Host {
                    id: site.id.clone(),
                    name: format!("{} VMs", super::display_name(&site.name, &site.id)),
                    site: Some(site.id.clone()),
                    cpu_cores: AZURE_CORES,
                    memory_gb: AZURE_MEMORY_GB,
                    guarded: true,
                    at: below.map(|p| super::Pos {
                        x: p.x,
                        y: p.y + 90,
                    }),
                }
            })
            .collect()
    }
}

/// Azure has room for every VM that fails over to it (a modelling choice).
#[cfg(feature = "simulate")]
pub const AZURE_CORES: u32 = 1 << 16;
#[cfg(feature = "simulate")]
pub const AZURE_MEMORY_GB: u32 = 1 << 20;

/// Every node of cluster `c` is cabled to storage `st` (directly or through switches): the
/// Replica Broker's storage must be "accessible by all nodes in the cluster".
#[cfg(feature = "simulate")]
pub fn reaches_all_nodes(d: &super::Design, c: &super::FailoverCluster, st: &str) -> bool {
    use super::network::{Net, Node};
    let net = Net::new(d);
    let Some(&st) = net.storage.get(st) else {
        return false;
    };
    c.nodes.iter().all(|n| {
        (net.hosts.get(n)).is_some_and(|&h| net.route(Node::Host(h), Node::Storage(st)).is_some())
    })
}

/// A replica's destination.
#[cfg(feature = "simulate")]
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    Host(&'a super::Host),
    /// A host cluster with the Hyper-V Replica Broker role: the replica is one of its roles.
    Broker(&'a super::FailoverCluster),
    /// An Azure region: Site Recovery keeps the replica, and makes an Azure VM at failover.
    Azure(&'a super::Site),
}

/// Copy frequencies Site Recovery offers from Hyper-V to Azure: 30 seconds or 5 minutes.
#[cfg(feature = "simulate")]
pub const AZURE_FREQUENCIES_S: [u32; 2] = [30, 300];
/// Site Recovery keeps recovery points for up to 24 hours (a Hyper-V to Azure policy).
#[cfg(feature = "simulate")]
pub const AZURE_MAX_RETENTION_H: u32 = 24;

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

/// The replication relationships' and backup jobs' problems: (subjects, words, whether it is
/// an error).
#[cfg(feature = "simulate")]
pub fn check(s: &super::Scenario) -> Vec<(Vec<Id>, String, bool)> {
    let mut out = check_replicas(s);
    out.extend(check_backups(s));
    out.extend(check_plans(s));
    out
}

#[cfg(feature = "simulate")]
fn check_plans(s: &super::Scenario) -> Vec<(Vec<Id>, String, bool)> {
    let mut out = Vec::new();
    for p in &s.recovery.plans {
        let mut error = |words: String| out.push((vec![p.id.clone()], words, true));
        let vms: Vec<&Id> = p.groups.iter().flat_map(|g| &g.vms).collect();
        if p.groups.is_empty() || p.groups.len() > PLAN_GROUPS {
            error(format!(
                "recovery plan {} has {} groups: give 1 to {PLAN_GROUPS} (Azure Site Recovery's limit)",
                p.id,
                p.groups.len()
            ));
        }
        if vms.len() > PLAN_VMS {
            error(format!(
                "recovery plan {} has {} VMs: at most {PLAN_VMS}",
                p.id,
                vms.len()
            ));
        }
        for (i, vm) in vms.iter().enumerate() {
            if !s.recovery.replicas.iter().any(|r| &&r.vm == vm) {
                error(format!(
                    "recovery plan {} names {vm}, which is not replicated: a plan fails over replicas",
                    p.id
                ));
            }
            if vms[..i].contains(vm) {
                error(format!("recovery plan {} names {vm} twice", p.id));
            }
        }
    }
    out
}

#[cfg(feature = "simulate")]
fn check_backups(s: &super::Scenario) -> Vec<(Vec<Id>, String, bool)> {
    let d = &s.design;
    let mut out = Vec::new();
    for b in &s.recovery.backups {
        let mut subjects = b.vms.clone();
        subjects.push(b.to.clone());
        let mut say = |words: String, error: bool| out.push((subjects.clone(), words, error));
        if !d.storage.iter().any(|x| x.id == b.to) {
            say(
                format!(
                    "the backup job of {} writes to {}, which is not storage of the design",
                    b.vms.join(", "),
                    b.to
                ),
                true,
            );
            continue;
        };
        if b.vms.is_empty() {
            say(format!("the backup job to {} backs up no VM", b.to), true);
        }
        for vm in &b.vms {
            if !d.has_vm_ref(vm) {
                say(
                    format!("{vm} is backed up, but the design has no such VM"),
                    true,
                );
            }
        }
        if !(1..=168).contains(&b.every_h) {
            say(
                format!(
                    "the backup job to {} runs every {} h: give 1 to 168 hours",
                    b.to, b.every_h
                ),
                true,
            );
        } else if b.last_min_ago >= b.every_h * 60 {
            say(
                format!(
                    "the backup job to {} ran {} min before the run began, longer ago than its {} h schedule allows",
                    b.to, b.last_min_ago, b.every_h
                ),
                true,
            );
        }
        for (i, vm) in b.vms.iter().enumerate() {
            if b.vms[..i].contains(vm) {
                say(format!("the backup job to {} names {vm} twice", b.to), true);
            }
        }
        if b.keep_days > MAX_KEEP_DAYS {
            say(
                format!(
                    "the backup job to {} keeps its restore points {} days: at most {MAX_KEEP_DAYS} here",
                    b.to, b.keep_days
                ),
                true,
            );
        }
        if b.keep_days == 0 {
            say(
                format!(
                    "the backup job to {} keeps its restore points 0 days: keep at least 1",
                    b.to
                ),
                true,
            );
        }
    }
    // 3-2-1: a VM whose every copy sits beside it, none immutable, loses them with it.
    let mut vms: Vec<&Id> = s.recovery.backups.iter().flat_map(|b| &b.vms).collect();
    vms.sort();
    vms.dedup();
    for vm in vms {
        let Some(entry) =
            super::parse_vm_ref(vm).and_then(|(e, _)| d.vms.iter().find(|v| v.id == e))
        else {
            continue;
        };
        let beside = |b: &&Backup| {
            let Some(repo) = d.storage.iter().find(|x| x.id == b.to) else {
                return true;
            };
            match &repo.host {
                Some(h) => entry.hosts.contains(h),
                None => entry
                    .hosts
                    .iter()
                    .any(|h| d.hosts.iter().any(|x| &x.id == h && x.site == repo.site)),
            }
        };
        let jobs: Vec<&Backup> = s
            .recovery
            .backups
            .iter()
            .filter(|b| b.vms.contains(vm))
            .collect();
        if jobs.iter().all(|b| beside(b) && !b.immutable) {
            let repos: Vec<&str> = jobs.iter().map(|b| b.to.as_str()).collect();
            out.push((
                vec![vm.clone()],
                format!(
                    "every backup of {vm} is in {}, beside {vm} itself: losing the site, or ransomware, takes the backups too. Keep one copy off-site or immutable (3-2-1)",
                    repos.join(" and ")
                ),
                false,
            ));
        }
    }
    out
}

#[cfg(feature = "simulate")]
fn check_replicas(s: &super::Scenario) -> Vec<(Vec<Id>, String, bool)> {
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
        let Some(target) = r.target(d) else {
            error(format!(
                "{}'s replica server {} is not a host, a host cluster or an Azure site of the design",
                r.vm, r.to
            ));
            continue;
        };
        let azure = matches!(target, Target::Azure(_));
        match s.settings.version {
            Version::W2008R2 => error(format!(
                "{} cannot be replicated: Hyper-V Replica came with Windows Server 2012",
                r.vm
            )),
            _ if azure && !AZURE_FREQUENCIES_S.contains(&r.every_s) => error(format!(
                "{}'s replication to Azure every {} s: Site Recovery copies Hyper-V VMs every 30 s or 5 min",
                r.vm, r.every_s
            )),
            _ if !FREQUENCIES_S.contains(&r.every_s) => error(format!(
                "{}'s replication every {} s: Hyper-V Replica offers 30 s, 5 min or 15 min",
                r.vm, r.every_s
            )),
            _ => {}
        }
        if azure && r.hourly_points > AZURE_MAX_RETENTION_H {
            error(format!(
                "{} keeps recovery points {} hours in Azure: Site Recovery keeps them at most {AZURE_MAX_RETENTION_H} hours for Hyper-V VMs",
                r.vm, r.hourly_points
            ));
        } else if r.hourly_points > MAX_HOURLY_POINTS {
            error(format!(
                "{} keeps {} additional recovery points: Hyper-V Replica keeps at most {MAX_HOURLY_POINTS}, one an hour",
                r.vm, r.hourly_points
            ));
        }
        if let Target::Broker(c) = target
            && c.nodes.iter().any(|n| vm.hosts.contains(n))
        {
            error(format!(
                "{}'s replica cluster {} is the cluster it runs on: a replica must be elsewhere",
                r.vm, c.id
            ));
        }
        let named = r
            .storage
            .as_ref()
            .and_then(|st| d.storage.iter().find(|x| &x.id == st));
        match (target, named) {
            (Target::Azure(site), Some(st)) => error(format!(
                "{} replicates to Azure site {}: Site Recovery keeps the replica in Azure's own disks, so it names no storage ({})",
                r.vm, site.id, st.id
            )),
            (Target::Broker(c), Some(st)) if st.kind == super::StorageKind::Local => {
                error(format!(
                    "{}'s replica on cluster {} is on {}, one node's local disk: a broker moves the replica between nodes, so give it shared storage",
                    r.vm, c.id, st.id
                ))
            }
            (Target::Broker(c), Some(st)) if !reaches_all_nodes(d, c, &st.id) => error(format!(
                "{}'s replica on cluster {} is on {}, which not every node of {} is cabled to: a broker's replica storage must be reachable from all its nodes",
                r.vm, c.id, st.id, c.id
            )),
            (Target::Azure(site), None) if r.storage.is_some() => error(format!(
                "{} replicates to Azure site {}: Site Recovery keeps the replica in Azure's own disks, so it names no storage",
                r.vm, site.id
            )),
            _ => {}
        }
        if let Target::Azure(site) = target {
            if !d.switches.iter().any(|x| x.site.as_ref() == Some(&site.id)) {
                out.push((
                    subjects.clone(),
                    format!(
                        "{} replicates to Azure site {}, which has no virtual network (a switch in it, cabled to your site): replication cannot get there",
                        r.vm, site.id
                    ),
                    false,
                ));
            }
            continue;
        }
        if r.replica_storage(d).is_none() {
            error(match &r.storage {
                Some(st) => format!(
                    "{}'s replica storage {st} is not storage of the design",
                    r.vm
                ),
                None => format!(
                    "{}'s replica server {} has no {} for the replica: give it one, or name the replica's storage",
                    r.vm,
                    r.to,
                    if matches!(target, Target::Broker(_)) {
                        "shared storage cabled to every node"
                    } else {
                        "local disk"
                    }
                ),
            });
        }
        let Target::Host(to) = target else {
            continue;
        };
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
