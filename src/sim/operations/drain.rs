//! Pause and drain a node, resume it, shut it down gracefully and start it again.
//!
//! Drain (Suspend-ClusterNode -Drain): the node is paused, its roles leave in priority order,
//! VMs at or above MoveTypeThreshold by live migration and the rest by quick migration. Roles
//! that cannot move stay and the drain fails (NodeDrainStatus). A graceful shutdown drains
//! first (2012 R2 and later), then the node leaves the membership telling the others, so its
//! vote is handed over before it goes: unlike a crash, which the others only learn from missed
//! heartbeats, with the votes as they were.

use super::super::membership::Tell;
use super::super::state::{Member, NodeState, VmState};
use super::super::{Engine, Ev, EventKind, names, plural};
use super::{After, Drain, DrainStatus};
use crate::model::{Failback, Version};

impl Engine {
    /// The host cluster host `h` is a node of, and its member index.
    pub(super) fn node_of(&self, h: usize) -> Option<(usize, usize)> {
        self.clusters.iter().enumerate().find_map(|(ci, c)| {
            if c.guest {
                return None;
            }
            let m = c.members.iter().position(|x| *x == Member::Host(h))?;
            Some((ci, m))
        })
    }

    /// Pauses the node and moves its roles off; `then` is what waits for the drain.
    pub(super) fn drain(&mut self, h: usize, then: After) {
        let hid = self.host_id(h).to_string();
        let Some((ci, m)) = self.node_of(h) else {
            let why = format!(
                "cannot drain {hid}: it is in no failover cluster, so there is no other node to move its VMs to"
            );
            return self.refuse(vec![hid], why);
        };
        if self.clusters[ci].node[m] != NodeState::Up {
            let why = format!(
                "cannot drain {hid}: it is not an active node of {} (it must be up and in the partition with quorum)",
                self.clusters[ci].name
            );
            return self.refuse(vec![hid], why);
        }
        if self.ops.is_draining(h) {
            return self.refuse(vec![hid.clone()], format!("{hid} is already draining"));
        }
        // Node drain and role priorities arrived in 2012; 2008 R2 moves everything by saving it.
        let quick_all = self.timing.version < Version::W2012R2;
        if quick_all && then == After::Nothing {
            let why = format!(
                "cannot drain {hid}: Windows Server 2008 R2 has no drain (it came in 2012); move its VMs one by one"
            );
            return self.refuse(vec![hid], why);
        }
        let was_paused = self.ops.paused[h];
        self.ops.paused[h] = true;
        self.ops.drains[h] = Some(Drain {
            status: DrainStatus::InProgress,
            then,
        });
        // A new maintenance starts a new list; another try while still paused keeps it.
        if !was_paused {
            self.ops.drained[h].clear();
        }
        let mut roles = self
            .node_roles(ci, m, true)
            .map(|(_, vms)| vms)
            .unwrap_or_default();
        roles.sort_by_key(|&v| (self.vms[v].priority, v));
        let threshold = self.timing.move_type_threshold;
        let how = if quick_all {
            "each by quick migration (2008 R2 saves the VMs of a node that shuts down)".to_string()
        } else {
            format!(
                "in priority order; VMs of priority {threshold} or more by live migration, the others by quick migration (MoveTypeThreshold {threshold})"
            )
        };
        let msg = format!(
            "{hid} is paused: it takes no new roles, and its {} {} {how}",
            roles.len(),
            plural(roles.len(), "role leaves", "roles leave"),
        );
        self.emit(
            EventKind::NodePaused,
            vec![hid.clone(), self.clusters[ci].id.clone()],
            msg,
        );
        self.ops.tried[h] = roles.clone();
        self.move_roles_off(h, ci, roles, then, quick_all);
        self.drain_progress(h);
    }

    /// Moves `roles` off paused host `h` (cluster `ci`): each to the node with the most free
    /// memory, live or quick by MoveTypeThreshold (all quick with `quick_all`); what cannot
    /// move is logged and stays.
    fn move_roles_off(
        &mut self,
        h: usize,
        ci: usize,
        roles: Vec<usize>,
        then: After,
        quick_all: bool,
    ) {
        let hid = self.host_id(h).to_string();
        let threshold = self.timing.move_type_threshold;
        // Memory promised to moves still waiting for a live migration slot.
        let mut promised = vec![0u64; self.scenario.design.hosts.len()];
        for v in roles {
            if self.vms[v].state.moving().is_some() || self.lanes.is_waiting(v) {
                continue;
            }
            let (cands, why) = self.candidates(ci, v);
            let need = u64::from(self.vms[v].memory_gb);
            let target = cands
                .into_iter()
                .filter(|&t| t != h && self.free_memory(t) >= need + promised[t])
                .filter(|&t| self.move_blocker(v, t).is_none())
                .max_by_key(|&t| (self.free_memory(t) - promised[t], std::cmp::Reverse(t)));
            let Some(t) = target else {
                let why = if self.vms[v].state != VmState::Running {
                    "it is not running, so it cannot be migrated".to_string()
                } else if why.is_empty() {
                    format!("no other node has {need} GB of free memory for it")
                } else {
                    why
                };
                let msg = format!(
                    "{} cannot leave paused {hid}: {why}{}",
                    self.vms[v].id,
                    if then == After::Nothing {
                        "; it keeps running there"
                    } else {
                        ""
                    }
                );
                self.emit(
                    EventKind::VmMigrationFailed,
                    vec![self.vms[v].id.clone(), hid.clone()],
                    msg,
                );
                continue;
            };
            self.ops.drained[h].push(v);
            let p = self.vms[v].priority;
            if quick_all || p.value() < threshold {
                let why = format!("leaves paused {hid} ({p:?} priority: quick migration)");
                self.quick_migrate(v, t, why);
            } else {
                self.live_migrate(v, t, format!("leaves paused {hid} ({p:?} priority)"));
                // A started move holds its memory on the target already; a queued one not yet.
                if self.lanes.is_waiting(v) {
                    promised[t] += need;
                }
            }
        }
    }

    /// A draining node's roles moved (or stopped moving): is the drain over?
    pub(in super::super) fn drain_progress(&mut self, h: usize) {
        let Some(d) = self.ops.drains[h].filter(|d| d.status == DrainStatus::InProgress) else {
            return;
        };
        let Some((ci, m)) = self.node_of(h) else {
            return;
        };
        let hid = self.host_id(h).to_string();
        if !self.health.host_up(h) || self.clusters[ci].node[m] != NodeState::Up {
            // It crashed or was cut off meanwhile: nothing graceful follows.
            self.ops.drains[h] = Some(Drain {
                status: DrainStatus::Failed,
                ..d
            });
            let msg = format!(
                "drain of {hid} failed: it is no longer an active node (NodeDrainStatus Failed){}",
                match d.then {
                    After::Shutdown =>
                        "; its graceful shutdown is off: it went down without handing anything over",
                    _ => "",
                }
            );
            self.emit(EventKind::DrainFailed, vec![hid], msg);
            if d.then == After::Evict {
                self.evict_now(h);
            }
            return;
        }
        let left: Vec<usize> = self
            .node_roles(ci, m, true)
            .map(|(_, vms)| vms)
            .unwrap_or_default();
        // Roles that arrived after the drain began (a migration already under way): move them
        // off too as soon as they land.
        let late: Vec<usize> = left
            .iter()
            .copied()
            .filter(|v| !self.ops.tried[h].contains(v) && self.vms[*v].state == VmState::Running)
            .collect();
        if !late.is_empty() {
            self.ops.tried[h].extend(late.iter().copied());
            let quick_all = self.timing.version < Version::W2012R2;
            self.move_roles_off(h, ci, late, d.then, quick_all);
            return self.drain_progress(h);
        }
        // Wait for what is moving off, and for moves into it that started before the pause.
        let incoming = self
            .vms
            .iter()
            .any(|vm| vm.state.moving().is_some_and(|(to, _, _)| to == h));
        if incoming
            || left
                .iter()
                .any(|&v| self.vms[v].state.moving().is_some() || self.lanes.is_waiting(v))
        {
            return;
        }
        let (status, kind, msg) = if left.is_empty() {
            (
                DrainStatus::Completed,
                EventKind::DrainCompleted,
                format!("{hid} is drained: every role has left (NodeDrainStatus Completed)"),
            )
        } else {
            let ids: Vec<&str> = left.iter().map(|&v| self.vms[v].id.as_str()).collect();
            (
                DrainStatus::Failed,
                EventKind::DrainFailed,
                format!(
                    "drain of {hid} failed: {} could not move{} (NodeDrainStatus Failed)",
                    names(&ids),
                    match d.then {
                        After::Nothing => format!(
                            " and {} on the paused node",
                            plural(ids.len(), "keeps running", "keep running")
                        ),
                        After::Shutdown => " and will stop when it shuts down".to_string(),
                        After::Evict => " and will stop when it is evicted".to_string(),
                    }
                ),
            )
        };
        self.ops.drains[h] = Some(Drain { status, ..d });
        self.emit(kind, vec![hid], msg);
        match d.then {
            After::Nothing => {}
            After::Shutdown => self.power_off_gracefully(h),
            After::Evict => self.evict_now(h),
        }
    }

    /// Resume-ClusterNode: the node takes roles again; the drained ones may fail back.
    pub(super) fn resume(&mut self, h: usize, failback: Failback) {
        let hid = self.host_id(h).to_string();
        if !self.ops.paused[h] {
            return self.refuse(vec![hid.clone()], format!("{hid} is not paused"));
        }
        let Some((ci, m)) = self.node_of(h) else {
            return;
        };
        if self.clusters[ci].node[m] != NodeState::Up {
            let why = format!(
                "cannot resume {hid} yet: it is not an active node of {} (start it first)",
                self.clusters[ci].name
            );
            return self.refuse(vec![hid], why);
        }
        if let Some(d) = self.ops.drains[h].filter(|d| d.status == DrainStatus::InProgress)
            && d.then != After::Nothing
        {
            let what = if d.then == After::Shutdown {
                "shutdown"
            } else {
                "eviction"
            };
            let msg = format!(
                "{hid}'s pending {what} is cancelled: it was resumed before its drain ended"
            );
            self.emit(EventKind::OperationRefused, vec![hid.clone()], msg);
        }
        self.ops.paused[h] = false;
        self.ops.drains[h] = None;
        let drained = std::mem::take(&mut self.ops.drained[h]);
        let back: Vec<usize> = drained
            .into_iter()
            .filter(|&v| self.vms[v].cluster == Some(ci) && self.vms[v].host != h)
            .collect();
        let what = match failback {
            Failback::Immediate if !back.is_empty() => {
                "; the roles drained from it fail back now by live migration"
            }
            Failback::Policy => "; drained roles fail back only where their failback policy allows",
            _ => "",
        };
        let msg = format!("{hid} is resumed: it takes roles again{what}");
        self.emit(
            EventKind::NodeResumed,
            vec![hid.clone(), self.clusters[ci].id.clone()],
            msg,
        );
        for v in back {
            match failback {
                Failback::No => {}
                Failback::Policy => self.try_failback(v),
                Failback::Immediate => match self.move_blocker(v, h) {
                    None => self.live_migrate(v, h, format!("fails back to resumed {hid}")),
                    // A drained VM that has since stopped or moved on just stays where it is.
                    Some(_) if self.vms[v].state != VmState::Running => {}
                    Some(why) => {
                        let msg = format!("{} does not fail back to {hid}: {why}", self.vms[v].id);
                        self.emit(
                            EventKind::VmMigrationFailed,
                            vec![self.vms[v].id.clone(), hid.clone()],
                            msg,
                        );
                    }
                },
            }
        }
        self.place_pending(ci);
    }

    /// A graceful shutdown: drain first (2012 R2+; 2008 R2 quick-migrates), then power off.
    pub(super) fn shutdown(&mut self, h: usize) {
        let hid = self.host_id(h).to_string();
        if self.ops.off[h] || !self.health.host_up(h) {
            return self.refuse(vec![hid.clone()], format!("{hid} is already off"));
        }
        match self.node_of(h) {
            Some((ci, m)) if self.clusters[ci].node[m] == NodeState::Up => {
                if self.ops.drains[h]
                    .is_some_and(|d| d.status == DrainStatus::InProgress && d.then == After::Evict)
                {
                    let why = format!("{hid} is being evicted: it drains, then leaves the cluster");
                    return self.refuse(vec![hid], why);
                }
                if self.ops.is_draining(h) {
                    // Already draining: shut down when it is over.
                    if let Some(d) = &mut self.ops.drains[h] {
                        d.then = After::Shutdown;
                    }
                } else {
                    self.ops.drains[h] = None;
                    self.drain(h, After::Shutdown);
                }
            }
            // Standalone, or not an active node: nothing to move its VMs to.
            _ => self.power_off_gracefully(h),
        }
    }

    /// The node leaves its cluster telling the others (its vote handed over first), then powers
    /// off; what is still on it stops, and the cluster places it elsewhere if it can.
    pub(super) fn power_off_gracefully(&mut self, h: usize) {
        let hid = self.host_id(h).to_string();
        let node = self
            .node_of(h)
            .filter(|&(ci, m)| self.clusters[ci].node[m] == NodeState::Up);
        if let Some((ci, m)) = node {
            self.leave(ci, m, NodeState::Down, "gracefully");
        }
        self.ops.off[h] = true;
        self.host_power(h, 1, &format!("{hid} was shut down"));
        self.mark_planned(h);
        if let Some((ci, m)) = node {
            self.node_left(ci, m);
            // Counted with the votes as they are after the hand-over.
            self.regroup(ci, &format!("{hid} shut down"));
        }
        self.after_change();
    }

    /// Member `m` leaves cluster `ci` telling the others (it becomes `next`): nobody waits for
    /// its heartbeats, and the votes are counted again among those who stay before it goes.
    pub(super) fn leave(&mut self, ci: usize, m: usize, next: NodeState, how: &str) {
        let c = &mut self.clusters[ci];
        c.node[m] = next;
        c.token[m] += 1;
        for r in 0..c.members.len() {
            c.missed[r][m] = 0;
            c.missed[m][r] = 0;
        }
        let id = c.member_ids[m].clone();
        let votes = if self.timing.dynamic_quorum {
            "and the votes are counted again among the nodes that stay before it goes"
        } else {
            "though with static votes (dynamic quorum off) its vote still counts in the total"
        };
        let msg = format!(
            "{id} leaves {} {how}: it tells the other nodes, so nobody waits for missed heartbeats, {votes}",
            c.name
        );
        let subjects = vec![id, c.id.clone()];
        self.emit(EventKind::NodeLeft, subjects, msg);
        self.recalc_votes(ci, Tell::Always);
    }

    /// Powers on a host that was shut down: it rejoins its cluster (still paused if it was).
    pub(super) fn start_host(&mut self, h: usize) {
        let hid = self.host_id(h).to_string();
        if !self.ops.off[h] {
            let why = format!("{hid} was not shut down, so there is nothing to start");
            return self.refuse(vec![hid], why);
        }
        self.ops.off[h] = false;
        let msg = if self.ops.paused[h] {
            format!(
                "{hid} is powered on and rejoins its cluster; it is still paused, so it takes no roles until it is resumed"
            )
        } else {
            format!("{hid} is powered on")
        };
        self.emit(EventKind::NodeStarted, vec![hid], msg);
        self.host_power(h, -1, "");
        self.after_change();
    }
}

impl Engine {
    /// The VMs a planned operation just stopped on host `h`: their downtime is planned.
    pub(super) fn mark_planned(&mut self, h: usize) {
        for v in self.host_vms[h].clone() {
            if self.vms[v].host == h && self.vms[v].state == VmState::Stopped {
                self.vms[v].planned_down = true;
            }
        }
    }

    /// A VM on a draining node changed: look again once this instant is over.
    pub(in super::super) fn drain_watch(&mut self, h: usize) {
        if self.ops.is_draining(h) {
            self.schedule(self.now, Ev::DrainCheck { host: h });
        }
    }
}
