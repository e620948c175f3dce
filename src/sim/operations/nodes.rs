//! Adding a host to a running cluster (Add-ClusterNode) and evicting one (Remove-ClusterNode).
//!
//! A new node gets a vote; dynamic quorum counts the votes again and re-decides the witness's.
//! An eviction drains the node first, then it leaves for good. After an eviction the cluster
//! waits AddEvictDelay (60 s) before it adds a node.

use super::super::state::{Member, NodeState, VmState};
use super::super::{Engine, Ev, EventKind, fmt_ms};
use super::After;

/// AddEvictDelay: seconds after an eviction before a node is added (default 60).
pub const ADD_EVICT_DELAY_MS: u64 = 60_000;

impl Engine {
    pub(super) fn add_node(&mut self, h: usize, cluster: &str) {
        let hid = self.host_id(h).to_string();
        let Some(ci) = self.host_cluster(cluster) else {
            return;
        };
        if let Some((other, m)) = self.node_of(h)
            && (other != ci || self.clusters[ci].node[m] != NodeState::Evicted)
        {
            let why = format!(
                "{hid} is already a node of {}: a host belongs to one cluster",
                self.clusters[other].name
            );
            return self.refuse(vec![hid], why);
        }
        if self.ops.last_evict.len() <= ci {
            self.ops.last_evict.resize(ci + 1, None);
        }
        if let Some(t) = self.ops.last_evict[ci]
            && self.now < t.saturating_add(ADD_EVICT_DELAY_MS)
        {
            let at = t.saturating_add(ADD_EVICT_DELAY_MS);
            let msg = format!(
                "{} evicted a node {} ago: it waits AddEvictDelay ({}) before adding one, so {hid} is added at {}",
                self.clusters[ci].name,
                fmt_ms(self.now - t),
                fmt_ms(ADD_EVICT_DELAY_MS),
                fmt_ms(at)
            );
            self.emit(EventKind::OperationWaits, vec![hid], msg);
            self.schedule(
                at,
                Ev::AddNodeLater {
                    host: h,
                    cluster: ci,
                },
            );
            return;
        }
        let m = match self.node_of(h) {
            // Evicted before: it comes back in its old place.
            Some((_, m)) => {
                self.clusters[ci].node[m] = NodeState::Down;
                m
            }
            None => self.add_member(ci, Member::Host(h)),
        };
        let msg = format!(
            "{hid} is added to {} with a vote (NodeWeight 1): it joins as soon as it reaches the other nodes",
            self.clusters[ci].name
        );
        let subjects = vec![hid, self.clusters[ci].id.clone()];
        self.emit(EventKind::NodeAdded, subjects, msg);
        if self.clusters[ci].has_quorum {
            self.regroup(ci, "it was added to the cluster");
        } else {
            self.check_joins(ci);
        }
        if self.clusters[ci].node[m] == NodeState::Up && self.timing.balance_on_join {
            self.balance(ci, Some(h));
        }
    }

    /// An add that waited for AddEvictDelay.
    pub(in super::super) fn add_node_later(&mut self, h: usize, ci: usize) {
        let id = self.clusters[ci].id.clone();
        self.add_node(h, &id);
    }

    /// Remove-ClusterNode: drain first if it is an active node, then leave for good.
    pub(super) fn evict(&mut self, h: usize) {
        let hid = self.host_id(h).to_string();
        let Some((ci, m)) = self.node_of(h) else {
            let why = format!("{hid} is in no failover cluster");
            return self.refuse(vec![hid], why);
        };
        match self.clusters[ci].node[m] {
            NodeState::Evicted => {
                let why = format!("{hid} is already evicted");
                self.refuse(vec![hid], why)
            }
            NodeState::Up => {
                self.ops.drains[h] = None;
                self.drain(h, After::Evict);
            }
            _ => self.evict_now(h),
        }
    }

    /// The node leaves its cluster for good: what still runs there stops and fails over.
    pub(super) fn evict_now(&mut self, h: usize) {
        let Some((ci, m)) = self.node_of(h) else {
            return;
        };
        let hid = self.host_id(h).to_string();
        if self.clusters[ci].node[m] == NodeState::Up {
            self.leave(ci, m, NodeState::Evicted, "as it is evicted");
        } else {
            let c = &mut self.clusters[ci];
            c.node[m] = NodeState::Evicted;
            c.token[m] += 1;
            let msg = format!("{hid} is evicted from {}", c.name);
            let subjects = vec![hid.clone(), c.id.clone()];
            self.emit(EventKind::NodeLeft, subjects, msg);
            self.recalc_votes(ci, super::super::membership::Tell::Always);
        }
        self.ops.paused[h] = false;
        self.ops.drains[h] = None;
        if self.ops.last_evict.len() <= ci {
            self.ops.last_evict.resize(ci + 1, None);
        }
        self.ops.last_evict[ci] = Some(self.now);
        let staying: Vec<usize> = self.host_vms[h]
            .iter()
            .copied()
            .filter(|&v| self.vms[v].cluster == Some(ci) && self.vms[v].host == h)
            .collect();
        for v in staying {
            if self.vms[v].holds_memory() {
                if self.vms[v].state.moving().is_some() {
                    self.set_vm(v, h, VmState::Running);
                }
                let why = format!(
                    "{} stopped: {hid} was evicted from {} while it still ran there",
                    self.vms[v].id, self.clusters[ci].name
                );
                self.stop_vm(v, EventKind::VmStopped, why);
                self.vms[v].planned_down = true;
            }
            if !self.vms[v].failed {
                self.vms[v].pending = true;
            }
        }
        self.regroup(ci, &format!("{hid} was evicted"));
        // It may have been a CSV's coordinator: redirected I/O moves or stops.
        self.after_change();
    }
}
