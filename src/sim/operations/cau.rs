//! Cluster-Aware Updating: an updating run takes the nodes one at a time, the one with the
//! fewest roles first: drain, install the updates, restart, resume with the roles failed back
//! (FailbackMode Immediate), then the next node. A node that will not drain is tried again
//! (MaxRetriesPerNode 3) and then counted failed; more failed nodes than MaxFailedNodes (about a
//! third of the nodes) stop the run; so does a node whose leaving would cost the cluster quorum.

use super::super::state::{Member, NodeState};
use super::super::{Engine, Ev, EventKind, fmt_ms, names};
use super::{After, DrainStatus};
use crate::model::Failback;

/// MaxRetriesPerNode: drains tried on one node before it counts as failed.
pub const MAX_RETRIES_PER_NODE: u32 = 3;
/// How often a waiting run looks again (a drain or the failback under way).
const POLL_MS: u64 = 1_000;

/// Where the run is with its current node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Draining,
    Installing,
    Restarting,
    FailingBack,
}

/// One updating run (one cluster at a time).
#[derive(Clone, Debug)]
pub(super) struct UpdatingRun {
    cluster: usize,
    order: Vec<usize>,
    next: usize,
    host: usize,
    step: Step,
    tries: u32,
    failed: Vec<usize>,
    max_failed: usize,
    token: u32,
}

impl Engine {
    fn run_of(&mut self, ci: usize) -> Option<&mut UpdatingRun> {
        self.ops.updating.iter_mut().find(|r| r.cluster == ci)
    }

    fn end_run(&mut self, ci: usize) {
        self.ops.updating.retain(|r| r.cluster != ci);
    }

    pub(super) fn start_updating_run(&mut self, cluster: &str) {
        let Some(ci) = self.host_cluster(cluster) else {
            return;
        };
        let name = self.clusters[ci].name.clone();
        if self.ops.updating.iter().any(|r| r.cluster == ci) {
            let why = format!("an updating run of {name} is already under way");
            return self.refuse(vec![cluster.to_string()], why);
        }
        if self.timing.version < crate::model::Version::W2012R2 {
            let why = format!(
                "Cluster-Aware Updating came with Windows Server 2012: {name} (2008 R2) is patched node by node by hand"
            );
            return self.refuse(vec![cluster.to_string()], why);
        }
        if !self.clusters[ci].has_quorum {
            let why = format!("{name} has no quorum: Cluster-Aware Updating cannot start");
            return self.refuse(vec![cluster.to_string()], why);
        }
        let c = &self.clusters[ci];
        let mut order: Vec<usize> = c
            .members
            .iter()
            .zip(&c.node)
            .filter_map(|(m, s)| match *m {
                Member::Host(h) if *s != NodeState::Evicted => Some(h),
                _ => None,
            })
            .collect();
        // NodeOrder: the node that owns the fewest clustered roles first.
        let roles = |h: usize| {
            self.host_vms[h]
                .iter()
                .filter(|&&v| self.vms[v].cluster == Some(ci) && self.vms[v].host == h)
                .filter(|&&v| self.vms[v].holds_memory())
                .count()
        };
        order.sort_by_key(|&h| (roles(h), h));
        let n = order.len();
        // MaxFailedNodes: "approximately one-third of the number of cluster nodes".
        let max_failed = n / 3;
        let ids: Vec<&str> = order.iter().map(|&h| self.host_id(h)).collect();
        let msg = format!(
            "Cluster-Aware Updating starts an updating run on {name}: one node at a time, the fewest roles first ({}); each drains, installs its updates ({}), restarts ({}), resumes and takes its roles back. A node that fails to drain {MAX_RETRIES_PER_NODE} times (MaxRetriesPerNode) is skipped as failed; more than {max_failed} failed {} (MaxFailedNodes) stop the run",
            names(&ids),
            fmt_ms(self.timing.update_install_ms),
            fmt_ms(self.timing.host_restart_ms),
            super::super::plural(max_failed, "node", "nodes"),
        );
        let cid = self.clusters[ci].id.clone();
        self.emit(EventKind::UpdatingRun, vec![cid], msg);
        self.ops.updating.push(UpdatingRun {
            cluster: ci,
            order,
            next: 0,
            host: usize::MAX,
            step: Step::Draining,
            tries: 0,
            failed: Vec::new(),
            max_failed,
            token: 0,
        });
        self.update_next_node(ci);
    }

    /// Takes the next node of the run, or ends it.
    fn update_next_node(&mut self, ci: usize) {
        let Some(run) = self.run_of(ci) else {
            return;
        };
        let Some(&h) = run.order.get(run.next) else {
            let failed = run.failed.clone();
            let failed: Vec<String> = failed
                .iter()
                .map(|&h| self.host_id(h).to_string())
                .collect();
            let cid = self.clusters[ci].id.clone();
            let msg = if failed.is_empty() {
                format!(
                    "the updating run on {} is complete: every node is updated",
                    self.clusters[ci].name
                )
            } else {
                format!(
                    "the updating run on {} is complete, except on {} (failed)",
                    self.clusters[ci].name,
                    names(&failed)
                )
            };
            self.end_run(ci);
            return self.emit(EventKind::UpdatingDone, vec![cid], msg);
        };
        run.next += 1;
        run.host = h;
        run.tries = 0;
        let hid = self.host_id(h).to_string();
        let Some((_, m)) = self.node_of(h) else {
            return self.update_next_node(ci);
        };
        if self.clusters[ci].node[m] != NodeState::Up {
            return self.update_failed_node(ci, format!("{hid} is not an active node"));
        }
        if !self.quorum_without(ci, m) {
            let cid = self.clusters[ci].id.clone();
            let msg = format!(
                "the updating run on {} stops: taking {hid} down would cost the cluster quorum",
                self.clusters[ci].name
            );
            self.end_run(ci);
            return self.emit(EventKind::UpdatingStopped, vec![cid, hid], msg);
        }
        self.update_drain(ci);
    }

    fn update_drain(&mut self, ci: usize) {
        let Some(run) = self.run_of(ci) else {
            return;
        };
        let h = run.host;
        run.step = Step::Draining;
        run.tries += 1;
        let tries = run.tries;
        let hid = self.host_id(h).to_string();
        let msg = format!(
            "Cluster-Aware Updating: {hid} enters maintenance (drain {tries} of at most {MAX_RETRIES_PER_NODE})"
        );
        self.emit(EventKind::UpdatingRun, vec![hid], msg);
        // A retry drains again while the node stays paused (it keeps the list of what left).
        self.ops.drains[h] = None;
        self.drain(h, After::Nothing);
        self.update_poll(ci, POLL_MS);
    }

    fn update_poll(&mut self, ci: usize, after: u64) {
        let now = self.now;
        if let Some(run) = self.run_of(ci) {
            run.token += 1;
            let token = run.token;
            self.schedule(
                now.saturating_add(after),
                Ev::Updating { cluster: ci, token },
            );
        }
    }

    /// The run's timer: a step's time is up, or it looks again at a drain or a failback.
    pub(in super::super) fn updating_tick(&mut self, ci: usize, token: u32) {
        let Some(run) = self.run_of(ci) else {
            return;
        };
        if run.token != token {
            return;
        }
        let (h, step, tries) = (run.host, run.step, run.tries);
        let hid = self.host_id(h).to_string();
        match step {
            Step::Draining => match self.ops.drain_status(h) {
                Some(DrainStatus::InProgress) => self.update_poll(ci, POLL_MS),
                Some(DrainStatus::Completed) => {
                    let msg = format!(
                        "Cluster-Aware Updating installs the updates on {hid} ({})",
                        fmt_ms(self.timing.update_install_ms)
                    );
                    self.emit(EventKind::UpdatingRun, vec![hid], msg);
                    if let Some(run) = self.run_of(ci) {
                        run.step = Step::Installing;
                    }
                    self.update_poll(ci, self.timing.update_install_ms);
                }
                _ if tries < MAX_RETRIES_PER_NODE => self.update_drain(ci),
                _ => {
                    self.resume(h, Failback::Immediate);
                    self.update_failed_node(
                        ci,
                        format!("{hid} could not be drained in {MAX_RETRIES_PER_NODE} tries"),
                    )
                }
            },
            Step::Installing => {
                let msg = format!(
                    "Cluster-Aware Updating restarts {hid} to finish its updates (back in {})",
                    fmt_ms(self.timing.host_restart_ms)
                );
                self.emit(EventKind::UpdatingRun, vec![hid], msg);
                if let Some(run) = self.run_of(ci) {
                    run.step = Step::Restarting;
                }
                self.power_off_gracefully(h);
                self.update_poll(ci, self.timing.host_restart_ms);
            }
            Step::Restarting => {
                self.start_host(h);
                let rejoined = self
                    .node_of(h)
                    .is_some_and(|(c, m)| self.clusters[c].node[m] == NodeState::Up);
                if !rejoined {
                    // It stays paused: the run cannot give it its roles back.
                    return self.update_failed_node(
                        ci,
                        format!("{hid} did not rejoin the cluster after its restart"),
                    );
                }
                let msg = format!(
                    "Cluster-Aware Updating: {hid} is updated; it leaves maintenance and takes its roles back (FailbackMode Immediate)"
                );
                self.emit(EventKind::UpdatingRun, vec![hid], msg);
                self.resume(h, Failback::Immediate);
                if let Some(run) = self.run_of(ci) {
                    run.step = Step::FailingBack;
                }
                self.update_poll(ci, POLL_MS);
            }
            Step::FailingBack => {
                let moving = self.vms.iter().any(|vm| {
                    vm.state
                        .moving()
                        .is_some_and(|(to, _, _)| to == h || vm.host == h)
                });
                if moving || self.lanes.any_waiting_for(h) {
                    self.update_poll(ci, POLL_MS);
                } else {
                    self.update_next_node(ci);
                }
            }
        }
    }

    /// The current node failed: count it, and stop the run past MaxFailedNodes.
    fn update_failed_node(&mut self, ci: usize, why: String) {
        let Some(run) = self.run_of(ci) else {
            return;
        };
        let h = run.host;
        run.failed.push(h);
        let (failed, max) = (run.failed.len(), run.max_failed);
        let hid = self.host_id(h).to_string();
        let cid = self.clusters[ci].id.clone();
        if failed > max {
            let msg = format!(
                "the updating run on {} stops: {why}, and {failed} failed {} exceed MaxFailedNodes ({max})",
                self.clusters[ci].name,
                super::super::plural(failed, "node", "nodes")
            );
            self.end_run(ci);
            return self.emit(EventKind::UpdatingStopped, vec![cid, hid], msg);
        }
        let msg = format!(
            "Cluster-Aware Updating skips {hid}: {why} ({failed} of at most {max} failed nodes)"
        );
        self.emit(EventKind::UpdatingRun, vec![hid, cid], msg);
        self.update_next_node(ci);
    }

    /// The active nodes keep quorum if member `m` leaves gracefully: with dynamic quorum its vote
    /// is handed over, so one other active node is enough; with static votes the others must
    /// hold a majority of all the votes.
    fn quorum_without(&self, ci: usize, m: usize) -> bool {
        let c = &self.clusters[ci];
        let others: Vec<usize> = (0..c.members.len())
            .filter(|&x| x != m && c.node[x] == NodeState::Up)
            .collect();
        if others.is_empty() {
            return false;
        }
        if self.timing.dynamic_quorum {
            return true;
        }
        let witness = c.witness != crate::model::Witness::None;
        let voters = c.node.iter().filter(|s| **s != NodeState::Evicted).count();
        let total = voters + usize::from(witness);
        let held = others.len() + usize::from(witness && self.witness_reachable(ci, &others));
        2 * held > total
    }
}
