//! VM load balancing (node fairness, Windows Server 2016+): when a node joins, and every 30
//! minutes, VMs move by live migration from nodes loaded above the AutoBalancerLevel threshold
//! (80 % of memory or CPU by default) to the least loaded nodes, as long as the target stays
//! under it. Possible owners, anti-affinity and paused nodes are respected.

use super::super::metrics::vm_cpu_demand;
use super::super::state::{Member, NodeState, VmState};
use super::super::{Engine, Ev};

impl Engine {
    /// Load of host `h` in percent: the higher of its memory and its CPU demand, counting the
    /// moves already decided in this pass (`extra` memory GB and CPU demand on the `base` the
    /// pass found).
    fn pressure(&self, base: &[(u64, u64)], h: usize, extra: (i64, i64)) -> u32 {
        let host = &self.scenario.design.hosts[h];
        let mem = (base[h].0 as i64 + extra.0).max(0) as u64;
        let cpu = (base[h].1 as i64 + extra.1).max(0) as u64;
        let mem_pct = mem * 100 / u64::from(host.memory_gb.max(1));
        let cpu_pct = cpu / u64::from(host.cpu_cores.max(1));
        mem_pct.max(cpu_pct) as u32
    }

    fn host_cpu_demand(&self, h: usize) -> u64 {
        self.host_vms[h]
            .iter()
            .filter(|&&v| self.vms[v].host == h && self.vms[v].guest_up())
            .map(|&v| vm_cpu_demand(&self.scenario.design, &self.vms[v]))
            .sum()
    }

    /// One balancing pass of cluster `ci`; `joined`: only towards this new node.
    pub(super) fn balance(&mut self, ci: usize, joined: Option<usize>) {
        if self.clusters[ci].guest || !self.clusters[ci].has_quorum {
            return;
        }
        let limit = self.timing.balance_above_pct;
        let nodes: Vec<usize> = self.clusters[ci]
            .members
            .iter()
            .zip(&self.clusters[ci].node)
            .filter_map(|(m, s)| match *m {
                Member::Host(h) if *s == NodeState::Up && !self.ops.is_paused(h) => Some(h),
                _ => None,
            })
            .collect();
        // Memory as the pass found it: a started migration reserves memory on its target at
        // once, a queued one later; counting moves on this base counts each exactly once.
        let base: Vec<(u64, u64)> = (0..self.scenario.design.hosts.len())
            .map(|h| (self.host_mem[h], self.host_cpu_demand(h)))
            .collect();
        let mut shift = vec![(0i64, 0i64); self.scenario.design.hosts.len()];
        // The most loaded node first.
        let mut over: Vec<usize> = nodes
            .iter()
            .copied()
            .filter(|&h| self.pressure(&base, h, (0, 0)) > limit)
            .collect();
        over.sort_by_key(|&h| (std::cmp::Reverse(self.pressure(&base, h, (0, 0))), h));
        for from in over {
            // Lowest priority, then smallest first: the least disturbance for the most relief.
            let mut vms: Vec<usize> = self.host_vms[from]
                .iter()
                .copied()
                .filter(|&v| {
                    self.vms[v].host == from
                        && self.vms[v].cluster == Some(ci)
                        && self.vms[v].state == VmState::Running
                        && !self.lanes.is_waiting(v)
                })
                .collect();
            vms.sort_by_key(|&v| {
                (
                    std::cmp::Reverse(self.vms[v].priority),
                    self.vms[v].memory_gb,
                    v,
                )
            });
            for v in vms {
                if self.pressure(&base, from, shift[from]) <= limit {
                    break;
                }
                let cpu = vm_cpu_demand(&self.scenario.design, &self.vms[v]);
                let load = (i64::from(self.vms[v].memory_gb), cpu as i64);
                let target = nodes
                    .iter()
                    .copied()
                    .filter(|&t| t != from && joined.is_none_or(|j| j == t))
                    .filter(|&t| {
                        let after = (shift[t].0 + load.0, shift[t].1 + load.1);
                        self.pressure(&base, t, after) <= limit
                    })
                    .filter(|&t| self.move_blocker(v, t).is_none())
                    .filter(|&t| {
                        let c = &self.clusters[ci];
                        !c.enforce_anti_affinity || !self.anti_affinity_clash(v, t)
                    })
                    .min_by_key(|&t| (self.pressure(&base, t, shift[t]), t));
                let Some(t) = target else {
                    continue;
                };
                shift[from] = (shift[from].0 - load.0, shift[from].1 - load.1);
                shift[t] = (shift[t].0 + load.0, shift[t].1 + load.1);
                let why = format!(
                    "moves off {} (VM load balancing: the node is above {limit} % of its memory or CPU)",
                    self.host_id(from)
                );
                self.live_migrate(v, t, why);
            }
        }
    }

    /// The periodic pass, every 30 minutes (AutoBalancerMode 2).
    pub(in super::super) fn balance_tick(&mut self, ci: usize) {
        if let Some(every) = self.timing.balance_every_ms {
            self.schedule(self.now + every, Ev::Balance { cluster: ci });
        }
        self.balance(ci, None);
    }

    /// Starts the periodic balancing of every host cluster (2016+, unless turned off).
    pub(in super::super) fn start_balancing(&mut self) {
        if let Some(every) = self.timing.balance_every_ms {
            for ci in 0..self.clusters.len() {
                if !self.clusters[ci].guest {
                    self.schedule(every, Ev::Balance { cluster: ci });
                }
            }
        }
    }
}
