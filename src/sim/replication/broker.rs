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

    /// A node of cluster `ci` that can hold a replica now (its broker's choice: the first
    /// active one).
    pub(super) fn broker_node(&self, ci: usize) -> Option<usize> {
        (self.clusters[ci].members.iter()).find_map(|m| match *m {
            Member::Host(h) if self.active_node(ci, h) => Some(h),
            _ => None,
        })
    }

    /// Host `h` is an active node of cluster `ci` (up, in the partition with quorum).
    fn active_node(&self, ci: usize, h: usize) -> bool {
        let c = &self.clusters[ci];
        let m = c.members.iter().position(|m| *m == Member::Host(h));
        c.has_quorum && self.health.host_up(h) && m.is_some_and(|m| c.node[m] == NodeState::Up)
    }

    /// A replica whose node is no longer an active node of its cluster (down, isolated,
    /// quarantined, evicted) moves, by its broker, to one that is; changes on their way to the
    /// old node are sent again by the next cycle.
    pub(super) fn broker_keeps(&mut self, i: usize) {
        let l = &self.replication.links[i];
        let Some(ci) = l.broker.filter(|_| !l.stopped && !l.planned) else {
            return;
        };
        if self.active_node(ci, l.to) {
            return;
        }
        let Some(h) = self.broker_node(ci) else {
            return; // the cycles miss and say why: the server cannot be reached
        };
        let from = l.to;
        let l = &mut self.replication.links[i];
        l.to = h;
        if l.sending.take().is_some() {
            l.token += 1;
        }
        let v = self.replication.links[i].vm;
        let bw = self.bottleneck(self.vms[v].host, h);
        self.replication.links[i].bandwidth_mbps = bw;
        let (vm, to) = self.replica_names(i);
        let (from_id, cluster) = (self.host_id(from).to_string(), self.clusters[ci].id.clone());
        self.emit(
            EventKind::ReplicaHealthChanged,
            vec![vm.clone(), to.clone()],
            format!(
                "{from_id} is no longer an active node of {cluster}: its Replica Broker moves {vm}'s replica to {to}, and replication carries on there"
            ),
        );
    }

    /// Before an administrator's failover or test of VM `vm`: its replica on an active node.
    pub(super) fn broker_keeps_vm(&mut self, vm: &str) {
        let Some(v) = self.vm_index(vm) else { return };
        for i in 0..self.replication.links.len() {
            if self.replication.links[i].vm == v {
                self.broker_keeps(i);
            }
        }
    }
}
