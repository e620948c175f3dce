//! Planned operations: what an administrator does on purpose, at a time in the script, beside
//! the faults. In JSON: `{"at_ms": 60000, "op": "drain", "host": "host-2"}` (read through the
//! script entries' one flat struct, `fault_json::RawEntry`).

use super::Id;
use super::fault_json::{RawEntry, need};
use serde::{Deserialize, Serialize};

/// An operation at a time.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(try_from = "RawEntry", into = "RawEntry")]
pub struct ScheduledOp {
    pub at_ms: u64,
    pub op: Operation,
}

/// Resume-ClusterNode -Failback: what happens to the roles that were drained from the node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Failback {
    /// Move them back now (live migration).
    #[default]
    Immediate,
    /// Leave them where they are.
    No,
    /// Move back only the VMs that allow failback, within their failback window.
    Policy,
}

impl Failback {
    pub const ALL: [Failback; 3] = [Failback::Immediate, Failback::No, Failback::Policy];

    pub fn word(self) -> &'static str {
        match self {
            Failback::Immediate => "immediate",
            Failback::No => "no",
            Failback::Policy => "policy",
        }
    }
}

/// What the administrator does. VMs are named like faults name them (`web` or `web#2`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Move-ClusterVirtualMachineRole -MigrationType Live: the VM keeps running.
    LiveMigrate { vm: Id, to: Id },
    /// Save state, move, restore: the VM is down while its memory is written and read back.
    QuickMigrate { vm: Id, to: Id },
    /// Suspend-ClusterNode -Drain: pause the node and move its roles off, by priority.
    Drain { host: Id },
    /// Resume-ClusterNode, with or without failing the drained roles back.
    Resume { host: Id, failback: Failback },
    /// A graceful shutdown: the node drains (2012 R2+), hands its vote over and powers off.
    Shutdown { host: Id },
    /// Powers a shut-down host on again: it boots and rejoins its cluster.
    Start { host: Id },
    /// Add-ClusterNode: the host joins a running cluster with a vote.
    AddNode { host: Id, cluster: Id },
    /// Remove-ClusterNode: the node drains, then leaves the cluster for good.
    Evict { host: Id },
    /// Cluster-Aware Updating: an updating run over every node of `cluster`, one at a time.
    Update { cluster: Id },
    /// Start-ClusterNode -ForceQuorum: the node's side runs the cluster without a majority.
    ForceQuorum { host: Id },
    /// Hyper-V Replica's failover of a VM to its replica server. Planned: the primary is up; it
    /// shuts down and sends its last changes first, and nothing is lost. Unplanned: the primary
    /// is lost; the replica starts from its latest recovery point.
    Failover { vm: Id, planned: bool },
    /// Brings a VM back from its latest good backup onto host `to`. A full restore copies the
    /// disk back first, then boots it; an instant recovery boots it from the repository at once
    /// (slow I/O) and moves its disk back to production storage while it runs.
    Restore { vm: Id, to: Id, instant: bool },
    /// Hyper-V Replica's test failover: a copy of the VM (`vm - Test`) starts on the replica
    /// server from its latest point, on an isolated network; production and replication go on.
    /// `stop`: the copy is deleted and the test is over.
    TestFailover { vm: Id, stop: bool },
    /// After an unplanned failover, replication starts again the other way: the VM (now on the
    /// replica server) replicates to its old primary, beginning with a resynchronization.
    ReverseReplication { vm: Id },
    /// Runs a recovery plan: its VMs fail over, unplanned, group by group.
    RunPlan { plan: Id },
    /// An unplanned failover from a chosen recovery point: the latest one kept at or before
    /// `point_ms` (an hourly point, or the latest).
    FailoverToPoint { vm: Id, point_ms: u64 },
}

impl Operation {
    /// The ids it names, for the event log.
    pub fn subjects(&self) -> Vec<Id> {
        match self {
            Operation::LiveMigrate { vm, to }
            | Operation::QuickMigrate { vm, to }
            | Operation::Restore { vm, to, .. } => {
                vec![vm.clone(), to.clone()]
            }
            Operation::AddNode { host, cluster } => vec![host.clone(), cluster.clone()],
            Operation::Update { cluster } => vec![cluster.clone()],
            Operation::RunPlan { plan } => vec![plan.clone()],
            Operation::Drain { host }
            | Operation::Resume { host, .. }
            | Operation::Shutdown { host }
            | Operation::Start { host }
            | Operation::ForceQuorum { host }
            | Operation::Evict { host } => vec![host.clone()],
            Operation::Failover { vm, .. }
            | Operation::TestFailover { vm, .. }
            | Operation::ReverseReplication { vm }
            | Operation::FailoverToPoint { vm, .. } => vec![vm.clone()],
        }
    }

    /// The VM it moves, if it moves one.
    pub fn vm(&self) -> Option<&str> {
        match self {
            Operation::LiveMigrate { vm, .. }
            | Operation::QuickMigrate { vm, .. }
            | Operation::Failover { vm, .. }
            | Operation::TestFailover { vm, .. }
            | Operation::ReverseReplication { vm }
            | Operation::FailoverToPoint { vm, .. }
            | Operation::Restore { vm, .. } => Some(vm),
            _ => None,
        }
    }

    /// The host it acts on (a migration's target; an updating run's cluster; a failover's VM,
    /// whose replica server the scenario's recovery names).
    pub fn host(&self) -> &str {
        match self {
            Operation::Update { cluster } => cluster,
            Operation::RunPlan { plan } => plan,
            Operation::Failover { vm, .. }
            | Operation::TestFailover { vm, .. }
            | Operation::ReverseReplication { vm }
            | Operation::FailoverToPoint { vm, .. } => vm,
            Operation::LiveMigrate { to, .. }
            | Operation::QuickMigrate { to, .. }
            | Operation::Restore { to, .. } => to,
            Operation::Drain { host }
            | Operation::Resume { host, .. }
            | Operation::Shutdown { host }
            | Operation::Start { host }
            | Operation::AddNode { host, .. }
            | Operation::ForceQuorum { host }
            | Operation::Evict { host } => host,
        }
    }

    /// It names only things that exist in the design.
    pub fn names_known(&self, d: &super::Design) -> bool {
        let host_ok = match self {
            Operation::Update { cluster } => d.clusters.iter().any(|c| &c.id == cluster),
            // The scenario's recovery checks its plans.
            Operation::RunPlan { .. } => true,
            Operation::Failover { .. }
            | Operation::TestFailover { .. }
            | Operation::ReverseReplication { .. }
            | Operation::FailoverToPoint { .. } => true,
            _ => d.hosts.iter().any(|h| h.id == self.host()),
        };
        let vm_ok = self.vm().is_none_or(|r| d.has_vm_ref(r));
        let cluster_ok = match self {
            Operation::AddNode { cluster, .. } => d.clusters.iter().any(|c| &c.id == cluster),
            _ => true,
        };
        host_ok && vm_ok && cluster_ok
    }
}

/// Each operation and the fields it takes.
const OPS: [(&str, &str); 18] = [
    ("live_migrate", "vm to"),
    ("quick_migrate", "vm to"),
    ("drain", "host"),
    ("resume", "host failback"),
    ("shutdown", "host"),
    ("start", "host"),
    ("add_node", "host cluster"),
    ("evict", "host"),
    ("update", "cluster"),
    ("force_quorum", "host"),
    ("planned_failover", "vm"),
    ("unplanned_failover", "vm point_ms"),
    ("restore", "vm to"),
    ("instant_recovery", "vm to"),
    ("test_failover", "vm"),
    ("stop_test_failover", "vm"),
    ("reverse_replication", "vm"),
    ("run_recovery_plan", "plan"),
];

impl TryFrom<RawEntry> for ScheduledOp {
    type Error = String;

    fn try_from(r: RawEntry) -> Result<ScheduledOp, String> {
        let kind = r.op.clone().ok_or("an operation needs \"op\" (its kind)")?;
        let Some(k) = OPS.iter().position(|(x, _)| *x == kind) else {
            let all: Vec<&str> = OPS.iter().map(|(x, _)| *x).collect();
            return Err(format!(
                "unknown operation \"{kind}\" (one of {})",
                all.join(", ")
            ));
        };
        let what = format!("operation {kind}");
        r.only(&what, OPS[k].1)?;
        let op = if k == 17 {
            Operation::RunPlan {
                plan: need(r.plan, &what, "plan")?,
            }
        } else if k >= 14 {
            let vm = need(r.vm, &what, "vm")?;
            match k {
                14 => Operation::TestFailover { vm, stop: false },
                15 => Operation::TestFailover { vm, stop: true },
                _ => Operation::ReverseReplication { vm },
            }
        } else if k >= 12 {
            Operation::Restore {
                vm: need(r.vm, &what, "vm")?,
                to: need(r.to, &what, "to")?,
                instant: k == 13,
            }
        } else if let (11, Some(point_ms)) = (k, r.point_ms) {
            Operation::FailoverToPoint {
                vm: need(r.vm, &what, "vm")?,
                point_ms,
            }
        } else if k >= 10 {
            Operation::Failover {
                vm: need(r.vm, &what, "vm")?,
                planned: k == 10,
            }
        } else if k == 8 {
            Operation::Update {
                cluster: need(r.cluster, &what, "cluster")?,
            }
        } else if k < 2 {
            let (vm, to) = (need(r.vm, &what, "vm")?, need(r.to, &what, "to")?);
            if k == 0 {
                Operation::LiveMigrate { vm, to }
            } else {
                Operation::QuickMigrate { vm, to }
            }
        } else {
            let host = need(r.host, &what, "host")?;
            match k {
                2 => Operation::Drain { host },
                3 => {
                    let failback = match r.failback.as_deref() {
                        None => Failback::default(),
                        Some(w) => Failback::ALL
                            .into_iter()
                            .find(|f| f.word() == w)
                            .ok_or_else(|| {
                                format!("failback \"{w}\" is not one of immediate, no, policy")
                            })?,
                    };
                    Operation::Resume { host, failback }
                }
                4 => Operation::Shutdown { host },
                5 => Operation::Start { host },
                6 => Operation::AddNode {
                    host,
                    cluster: need(r.cluster, &what, "cluster")?,
                },
                7 => Operation::Evict { host },
                _ => Operation::ForceQuorum { host },
            }
        };
        Ok(ScheduledOp { at_ms: r.at_ms, op })
    }
}

impl From<ScheduledOp> for RawEntry {
    fn from(s: ScheduledOp) -> RawEntry {
        let mut r = RawEntry {
            at_ms: s.at_ms,
            ..RawEntry::default()
        };
        let kind = match s.op {
            Operation::LiveMigrate { vm, to } => {
                (r.vm, r.to) = (Some(vm), Some(to));
                "live_migrate"
            }
            Operation::QuickMigrate { vm, to } => {
                (r.vm, r.to) = (Some(vm), Some(to));
                "quick_migrate"
            }
            Operation::Drain { host } => (r.host = Some(host), "drain").1,
            Operation::Resume { host, failback } => {
                r.host = Some(host);
                r.failback = Some(failback.word().to_string());
                "resume"
            }
            Operation::Shutdown { host } => (r.host = Some(host), "shutdown").1,
            Operation::Start { host } => (r.host = Some(host), "start").1,
            Operation::AddNode { host, cluster } => {
                (r.host, r.cluster) = (Some(host), Some(cluster));
                "add_node"
            }
            Operation::Evict { host } => (r.host = Some(host), "evict").1,
            Operation::Update { cluster } => (r.cluster = Some(cluster), "update").1,
            Operation::ForceQuorum { host } => (r.host = Some(host), "force_quorum").1,
            Operation::Failover { vm, planned } => {
                r.vm = Some(vm);
                if planned {
                    "planned_failover"
                } else {
                    "unplanned_failover"
                }
            }
            Operation::TestFailover { vm, stop } => {
                r.vm = Some(vm);
                if stop {
                    "stop_test_failover"
                } else {
                    "test_failover"
                }
            }
            Operation::ReverseReplication { vm } => (r.vm = Some(vm), "reverse_replication").1,
            Operation::RunPlan { plan } => (r.plan = Some(plan), "run_recovery_plan").1,
            Operation::FailoverToPoint { vm, point_ms } => {
                (r.vm, r.point_ms) = (Some(vm), Some(point_ms));
                "unplanned_failover"
            }
            Operation::Restore { vm, to, instant } => {
                (r.vm, r.to) = (Some(vm), Some(to));
                if instant {
                    "instant_recovery"
                } else {
                    "restore"
                }
            }
        };
        r.op = Some(kind.to_string());
        r
    }
}
