//! Planned operations from the script: migrations on demand, pausing and draining a node,
//! resuming it, graceful shutdown and start. The subsystem keeps its own state (`Ops`); the
//! engine asks it only whether a node is paused and tells it when a draining node's VMs move.

mod balance;
mod cau;
mod drain;
mod force;
mod moves;
mod nodes;

use super::{Engine, EventKind};
use crate::model::{Failback, Operation, ScheduledOp};

/// NodeDrainStatus: where a node's last drain got to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrainStatus {
    InProgress,
    Completed,
    Failed,
}

#[derive(Clone, Copy, Debug)]
struct Drain {
    status: DrainStatus,
    /// What waits for the drain to end.
    then: After,
}

/// What a drain was started for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    /// Maintenance: the node stays paused.
    Nothing,
    /// A graceful shutdown: then the host powers off.
    Shutdown,
    /// An eviction: then the node leaves the cluster for good.
    Evict,
}

/// The operations' own state, per host.
#[derive(Clone, Debug, Default)]
pub(super) struct Ops {
    script: Vec<ScheduledOp>,
    /// Paused: the node keeps its roles but takes no new ones.
    paused: Vec<bool>,
    drains: Vec<Option<Drain>>,
    /// The VMs the node's last drain moved off (a resume may fail them back).
    drained: Vec<Vec<usize>>,
    /// The VMs the node's drain has tried to move (a role arriving later is tried too).
    tried: Vec<Vec<usize>>,
    /// Powered off by a graceful shutdown (a start powers it on).
    off: Vec<bool>,
    /// When each cluster last evicted a node (AddEvictDelay counts from it).
    last_evict: Vec<Option<u64>>,
    /// The Cluster-Aware Updating runs under way (one a cluster at most).
    updating: Vec<cau::UpdatingRun>,
}

impl Ops {
    /// The script's operations, ordered by time (stably); returns their times to schedule.
    pub(super) fn new(hosts: usize, script: &[ScheduledOp]) -> Ops {
        let mut script = script.to_vec();
        script.sort_by_key(|o| o.at_ms);
        Ops {
            script,
            paused: vec![false; hosts],
            drains: vec![None; hosts],
            drained: vec![Vec::new(); hosts],
            tried: vec![Vec::new(); hosts],
            off: vec![false; hosts],
            last_evict: Vec::new(),
            updating: Vec::new(),
        }
    }

    /// Adds an operation to the script; returns its index (see `fork`).
    pub(super) fn push(&mut self, op: ScheduledOp) -> usize {
        self.script.push(op);
        self.script.len() - 1
    }

    pub(super) fn times(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.script.iter().map(|o| o.at_ms).enumerate()
    }

    pub(super) fn is_paused(&self, h: usize) -> bool {
        self.paused[h]
    }

    pub(super) fn drain_status(&self, h: usize) -> Option<DrainStatus> {
        self.drains[h].map(|d| d.status)
    }

    pub(super) fn is_off(&self, h: usize) -> bool {
        self.off[h]
    }

    pub(super) fn is_draining(&self, h: usize) -> bool {
        self.drain_status(h) == Some(DrainStatus::InProgress)
    }
}

impl Engine {
    pub(super) fn apply_op(&mut self, i: usize) {
        let op = self.ops.script[i].op.clone();
        self.emit(EventKind::Operation, op.subjects(), describe_op(&op));
        let host = match op {
            Operation::Update { .. } => None,
            _ => self.net.hosts.get(op.host()).copied(),
        };
        let vm = op.vm().and_then(|r| self.vm_index(r));
        match (&op, host, vm) {
            (Operation::LiveMigrate { .. }, Some(to), Some(v)) => self.op_migrate(v, to, true),
            (Operation::QuickMigrate { .. }, Some(to), Some(v)) => self.op_migrate(v, to, false),
            (Operation::Drain { .. }, Some(h), _) => self.drain(h, After::Nothing),
            (Operation::Resume { failback, .. }, Some(h), _) => self.resume(h, *failback),
            (Operation::Shutdown { .. }, Some(h), _) => self.shutdown(h),
            (Operation::Start { .. }, Some(h), _) => self.start_host(h),
            (Operation::AddNode { cluster, .. }, Some(h), _) => self.add_node(h, cluster),
            (Operation::Evict { .. }, Some(h), _) => self.evict(h),
            (Operation::Update { cluster }, _, _) => self.start_updating_run(cluster),
            (Operation::ForceQuorum { .. }, Some(h), _) => self.force_quorum(h),
            (Operation::Failover { planned, vm }, _, _) => self.failover(vm, *planned),
            (Operation::Restore { vm, instant, .. }, Some(to), _) => self.restore(vm, to, *instant),
            (Operation::TestFailover { vm, stop }, _, _) => self.test_failover(vm, *stop),
            (Operation::ReverseReplication { vm }, _, _) => self.reverse_replication(vm),
            (Operation::RunPlan { plan }, _, _) => self.run_plan(plan),
            (Operation::FailoverToPoint { vm, point_ms }, _, _) => {
                self.failover_to_point(vm, *point_ms)
            }
            // Validation refuses scripts that name what is not in the design.
            _ => {}
        }
    }

    /// Whether VM instance `vm` could be migrated to host `to` now, or why not (the page asks
    /// before it adds a dragged migration to the script).
    pub fn migration_check(&self, vm: &str, to: &str) -> Result<(), String> {
        let v = self
            .vm_index(vm)
            .ok_or_else(|| format!("{vm} is not a VM"))?;
        let h = *self
            .net
            .hosts
            .get(to)
            .ok_or_else(|| format!("{to} is not a host"))?;
        self.move_blocker(v, h).map_or(Ok(()), Err)
    }

    /// The host failover cluster with this id.
    pub(in crate::sim) fn host_cluster(&self, id: &str) -> Option<usize> {
        self.clusters.iter().position(|c| !c.guest && c.id == id)
    }

    /// An operation that cannot run says why, and changes nothing.
    pub(super) fn refuse(&mut self, subjects: Vec<String>, why: String) {
        self.emit(EventKind::OperationRefused, subjects, why);
    }
}

/// What an operation does, in words (the log line and the script list).
pub fn describe_op(op: &Operation) -> String {
    match op {
        Operation::LiveMigrate { vm, to } => {
            format!("operation: live-migrate VM {vm} to {to}")
        }
        Operation::QuickMigrate { vm, to } => {
            format!("operation: quick-migrate VM {vm} to {to} (save, move, restore)")
        }
        Operation::Drain { host } => format!("operation: pause host {host} and drain its roles"),
        Operation::Resume { host, failback } => format!(
            "operation: resume host {host}{}",
            match failback {
                Failback::Immediate => " and fail its roles back",
                Failback::No => " without failing roles back",
                Failback::Policy => " and fail roles back by their failback policy",
            }
        ),
        Operation::Shutdown { host } => format!("operation: shut host {host} down gracefully"),
        Operation::Start { host } => format!("operation: power host {host} on"),
        Operation::AddNode { host, cluster } => {
            format!("operation: add host {host} to cluster {cluster}")
        }
        Operation::Evict { host } => format!("operation: evict host {host} from its cluster"),
        Operation::Update { cluster } => {
            format!("operation: Cluster-Aware Updating run on cluster {cluster}")
        }
        Operation::ForceQuorum { host } => {
            format!("operation: force quorum on host {host} (/ForceQuorum)")
        }
        Operation::Failover { vm, planned: true } => {
            format!("operation: planned failover of VM {vm} to its replica")
        }
        Operation::Failover { vm, planned: false } => {
            format!("operation: unplanned failover of VM {vm} to its replica")
        }
        Operation::TestFailover { vm, stop: false } => format!(
            "operation: test failover of VM {vm}: a copy starts on its replica server, isolated"
        ),
        Operation::TestFailover { vm, stop: true } => {
            format!("operation: stop the test failover of VM {vm}")
        }
        Operation::ReverseReplication { vm } => {
            format!("operation: reverse the replication of VM {vm}")
        }
        Operation::RunPlan { plan } => format!("operation: run recovery plan {plan}"),
        Operation::FailoverToPoint { vm, point_ms } => format!(
            "operation: unplanned failover of VM {vm} to its replica, from its recovery point at or before {}",
            super::fmt_ms(*point_ms)
        ),
        Operation::Restore {
            vm,
            to,
            instant: false,
        } => format!("operation: restore VM {vm} from its latest good backup to {to}"),
        Operation::Restore {
            vm,
            to,
            instant: true,
        } => format!(
            "operation: instant recovery of VM {vm} on {to}, straight from its latest good backup"
        ),
    }
}
