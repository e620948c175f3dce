//! Forcing quorum (Start-ClusterNode -ForceQuorum, `net start clussvc /fq`): the last resort
//! when a cluster has stopped for want of votes. The node's side runs the cluster without a
//! majority; its configuration becomes the authoritative copy; the other nodes join it when they
//! can reach it (force quorum resiliency, 2012 R2+) rather than form a cluster of their own.
//! Once a majority of the votes is back, the cluster leaves the forced state.

use super::super::state::NodeState;
use super::super::{Engine, EventKind, names};
use crate::model::Witness;

impl Engine {
    pub(super) fn force_quorum(&mut self, h: usize) {
        let hid = self.host_id(h).to_string();
        let Some((ci, m)) = self.node_of(h) else {
            let why = format!("{hid} is in no failover cluster");
            return self.refuse(vec![hid], why);
        };
        let name = self.clusters[ci].name.clone();
        if !self.health.host_up(h) || self.clusters[ci].node[m].kept_out() {
            let why = format!("{hid} is not running as a node of {name}: it cannot force quorum");
            return self.refuse(vec![hid], why);
        }
        if self.clusters[ci].has_quorum {
            let c = &self.clusters[ci];
            let up: Vec<&str> = (0..c.members.len())
                .filter(|&x| c.node[x] == NodeState::Up)
                .map(|x| c.member_ids[x].as_str())
                .collect();
            let why = format!(
                "{name} has quorum ({} {} it): forcing quorum on {hid}'s side would run two clusters at once, a split brain; ForceQuorum is for a cluster that has stopped",
                names(&up),
                super::super::plural(up.len(), "runs", "run")
            );
            return self.refuse(vec![hid], why);
        }
        self.clusters[ci].forced_by = Some(m);
        let msg = format!(
            "WARNING: {hid} starts its cluster service with ForceQuorum: its side runs {name} without a majority of the votes. A manual, risky last resort: {hid}'s copy of the cluster configuration becomes the authoritative one, and the other nodes must join it when they return (/PreventQuorum) instead of forming their own cluster"
        );
        let subjects = vec![hid.clone(), self.clusters[ci].id.clone()];
        self.emit(EventKind::QuorumForced, subjects, msg);
        self.regroup(ci, &format!("{hid} forced quorum"));
    }

    /// While quorum is forced: the side of the node that forced it wins whatever its votes, and
    /// the forced state ends once a majority of all the votes is back. `None`: not forced.
    pub(in super::super) fn forced_quorum(
        &mut self,
        ci: usize,
        parts: &[Vec<usize>],
    ) -> Option<(Option<usize>, String)> {
        let f = self.clusters[ci].forced_by?;
        let c = &self.clusters[ci];
        let voters = c.node.iter().filter(|s| **s != NodeState::Evicted).count();
        let witness = usize::from(c.witness != Witness::None);
        let total = voters + witness;
        let Some(p) = parts.iter().position(|p| p.contains(&f)) else {
            let msg = format!(
                "{} is gone: {} leaves the forced state and counts votes again",
                c.member_ids[f], c.name
            );
            let id = c.id.clone();
            self.clusters[ci].forced_by = None;
            self.emit(EventKind::QuorumForced, vec![id], msg);
            return None;
        };
        let held =
            parts[p].len() + usize::from(witness == 1 && self.witness_reachable(ci, &parts[p]));
        let ids: Vec<&str> = parts[p].iter().map(|&x| c.member_ids[x].as_str()).collect();
        let text = format!(
            "{} {} {held} of {total} votes",
            names(&ids),
            super::super::plural(ids.len(), "holds", "hold")
        );
        if 2 * held > total {
            let (id, name) = (c.id.clone(), c.name.clone());
            self.clusters[ci].forced_by = None;
            let msg = format!("{name} has a majority again ({text}): it leaves the forced state");
            self.emit(EventKind::QuorumForced, vec![id], msg);
            return Some((Some(p), text));
        }
        Some((Some(p), format!("{text}, with quorum forced")))
    }
}
