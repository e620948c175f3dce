//! Invariants that hold after every event, checked by the property tests.

use super::Engine;
use super::state::{Member, NLB_BUCKETS, NodeState, RoleState, VmState};

impl Engine {
    /// Every invariant of a faithful, consistent cluster state; the first broken one, if any.
    pub fn check_invariants(&self) -> Result<(), String> {
        let d = &self.scenario.design;
        // Memory: the accounting matches a recount, and no host holds more than it has.
        let mut mem = vec![0u64; d.hosts.len()];
        for (v, vm) in self.vms.iter().enumerate() {
            let listed = self
                .host_vms
                .iter()
                .enumerate()
                .filter(|(_, l)| l.contains(&v))
                .map(|(h, _)| h)
                .collect::<Vec<_>>();
            if listed != [vm.host] {
                return Err(format!(
                    "{} is listed on hosts {listed:?}, not only on its host {}",
                    vm.id, vm.host
                ));
            }
            match vm.state {
                VmState::Stopped => {
                    if vm.reason.is_empty() {
                        return Err(format!("{} is stopped with no recorded reason", vm.id));
                    }
                }
                VmState::Migrating { to, .. } | VmState::QuickMigrating { to, .. } => {
                    mem[vm.host] += u64::from(vm.memory_gb);
                    mem[to] += u64::from(vm.memory_gb);
                }
                _ => mem[vm.host] += u64::from(vm.memory_gb),
            }
            if vm.state != VmState::Stopped && !self.health.host_up(vm.host) {
                return Err(format!(
                    "{} is {:?} on {}, which is down",
                    vm.id, vm.state, d.hosts[vm.host].id
                ));
            }
            if vm.guest_up() && self.storage_access(v, vm.host).is_none() {
                return Err(format!(
                    "{} runs on {} without access to its disks",
                    vm.id, d.hosts[vm.host].id
                ));
            }
        }
        // Live migrations: no host takes part in more than its slots allow.
        let mut migrating = vec![0u32; d.hosts.len()];
        for vm in &self.vms {
            if let VmState::Migrating { to, .. } = vm.state {
                migrating[vm.host] += 1;
                migrating[to] += 1;
            }
        }
        if let Some(h) = (0..d.hosts.len()).find(|&h| migrating[h] > self.lanes.per_host()) {
            return Err(format!(
                "{} takes part in {} live migrations at once; a host takes {}",
                d.hosts[h].id,
                migrating[h],
                self.lanes.per_host()
            ));
        }
        for h in 0..d.hosts.len() {
            if mem[h] != self.host_mem[h] {
                return Err(format!(
                    "memory accounting of {} is {} GB, recount gives {}",
                    d.hosts[h].id, self.host_mem[h], mem[h]
                ));
            }
            if mem[h] > u64::from(d.hosts[h].memory_gb) {
                return Err(format!(
                    "{} holds {} GB of VMs but has {} GB",
                    d.hosts[h].id, mem[h], d.hosts[h].memory_gb
                ));
            }
        }
        // Roles run only where the cluster has quorum (or, 2016+, on an isolated node, unmonitored).
        for (ci, c) in self.clusters.iter().enumerate() {
            let up = c.node.iter().filter(|n| **n == NodeState::Up).count();
            if c.has_quorum != (up > 0) {
                return Err(format!(
                    "{}: quorum flag {} with {up} active nodes",
                    c.id, c.has_quorum
                ));
            }
            if c.guest {
                if let RoleState::Online { owner } | RoleState::Starting { owner, .. } = c.role
                    && (!c.has_quorum || c.node[owner] != NodeState::Up)
                {
                    return Err(format!(
                        "{}: role runs on {} outside the quorum partition",
                        c.id, c.member_ids[owner]
                    ));
                }
                continue;
            }
            for (m, member) in c.members.iter().enumerate() {
                let Member::Host(h) = *member else { continue };
                for &v in &self.host_vms[h] {
                    let vm = &self.vms[v];
                    if vm.cluster != Some(ci) || vm.state == VmState::Stopped {
                        continue;
                    }
                    match c.node[m] {
                        NodeState::Up => {}
                        NodeState::Isolated { .. } if vm.unmonitored => {}
                        // Being live-migrated off a quarantined node.
                        NodeState::Quarantined { .. } if vm.state.moving().is_some() => {}
                        state => {
                            return Err(format!(
                                "{} runs on {} whose node state is {state:?}",
                                vm.id, c.member_ids[m]
                            ));
                        }
                    }
                }
            }
        }
        // NLB: the buckets always add up to the whole; once converged, only live members hold them.
        for n in &self.nlbs {
            let owned = n.buckets.iter().filter(|b| b.is_some()).count();
            let any_in_view = n.in_view.iter().any(|x| *x);
            if any_in_view && owned != NLB_BUCKETS {
                return Err(format!(
                    "{}: members hold {owned} of {NLB_BUCKETS} buckets",
                    n.id
                ));
            }
            if n.converging_since.is_none() && n.buckets.iter().flatten().any(|&i| !n.in_view[i]) {
                return Err(format!(
                    "{}: a member outside the converged view holds buckets",
                    n.id
                ));
            }
        }
        self.backup_invariants()
    }
}
