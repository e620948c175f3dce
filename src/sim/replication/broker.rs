//! The Hyper-V Replica Broker: replicating to a failover cluster goes through its broker role,
//! which keeps each replica on one of the cluster's nodes. When that node goes down the replica
//! (an Off VM, a role of the cluster) moves to another node and replication carries on; after a
//! failover the VM runs as a role of the replica cluster, so the cluster restarts it elsewhere if
//! its node fails.

use super::super::state::{Member, NodeState};
use super::super::{Engine, EventKind};

impl Engine {
    /// The host cluster whose node host `h` is, if any: replication to it goes through its broker.
    pub(super) fn broker_of_host(&self, h: usize) -> Option<usize> {
        (self.clusters.iter()).position(|c| !c.guest && c.members.contains(&Member::Host(h)))
    }

    /// A node of cluster `ci` that can hold a replica now (its broker's choice: the first up).
    pub(super) fn broker_node(&self, ci: usize) -> Option<usize> {
        let c = &self.clusters[ci];
        if !c.has_quorum {
            return None;
        }
        (c.members.iter().zip(&c.node)).find_map(|(m, state)| match *m {
            Member::Host(h) if *state == NodeState::Up && self.health.host_up(h) => Some(h),
            _ => None,
        })
    }

    /// A replica whose node went down moves, by its broker, to a node that is up.
    pub(super) fn broker_keeps(&mut self, i: usize) {
        let l = &self.replication.links[i];
        let Some(ci) = l.broker.filter(|_| !l.stopped && !l.planned) else {
            return;
        };
        if self.health.host_up(l.to) {
            return;
        }
        let Some(h) = self.broker_node(ci) else {
            return; // the cycles miss and say why: the server cannot be reached
        };
        let from = l.to;
        self.replication.links[i].to = h;
        let v = self.replication.links[i].vm;
        let bw = self.bottleneck(self.vms[v].host, h);
        self.replication.links[i].bandwidth_mbps = bw;
        let (vm, to) = self.replica_names(i);
        let (from_id, cluster) = (self.host_id(from).to_string(), self.clusters[ci].id.clone());
        self.emit(
            EventKind::ReplicaHealthChanged,
            vec![vm.clone(), to.clone()],
            format!(
                "{from_id} is down: the Replica Broker of {cluster} moves {vm}'s replica to {to}, and replication carries on there"
            ),
        );
    }
}
