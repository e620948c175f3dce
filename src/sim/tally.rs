//! Sums over every VM that each metrics sample needs (instances per tier serving or down for a
//! planned operation, CPU demand per host), kept up to date from the VMs that changed since the
//! last sample rather than summed again over all of them: with 8 000 VMs that sum was a third of
//! the analysis's time. Exact: integer sums, each VM's share subtracted and added back.

use super::chunks::Chunks;
use super::state::{VmInst, VmState};
use crate::model::Design;

/// A tier's VM instances: all, serving, and down for a planned operation.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub(super) struct TierCounts {
    pub all: u64,
    pub serving: u64,
    pub planned: u64,
}

/// What one VM adds to the sums.
#[derive(Clone, Copy, Default, Debug)]
struct Share {
    tier: Option<u16>,
    serving: bool,
    planned: bool,
    host: u32,
    cpu: u64,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Tally {
    /// Each VM's share as last counted.
    shares: Chunks<Share>,
    pub tiers: Vec<TierCounts>,
    pub cpu: Vec<u64>,
    /// The tier of each VM entry (by index into the metrics' tiers).
    tier_of: Vec<Option<u16>>,
    ready: bool,
}

impl Tally {
    /// Brings the sums up to date with the VMs changed since the last call. `tiers` must not
    /// change between calls (the metrics fix them at the first sample).
    pub fn update(&mut self, vms: &mut Chunks<VmInst>, d: &Design, tiers: &[String]) {
        let changed = vms.take_touched();
        if !self.ready {
            self.ready = true;
            self.tier_of = d
                .vms
                .iter()
                .map(|e| {
                    e.tier
                        .as_ref()
                        .and_then(|t| tiers.iter().position(|x| x == t))
                        .map(|i| i as u16)
                })
                .collect();
            self.tiers = vec![TierCounts::default(); tiers.len()];
            self.cpu = vec![0; d.hosts.len()];
        }
        for v in changed {
            let share = self.share_of(&vms[v], d);
            if v < self.shares.len() {
                let old = self.shares[v];
                self.apply(old, false);
                self.shares[v] = share;
            } else {
                // A new VM: they are only added in order, before the run.
                self.shares.push(share);
            }
            self.apply(share, true);
        }
        // Reading the shares back lends nothing out.
        self.shares.take_touched();
    }

    fn share_of(&self, vm: &VmInst, d: &Design) -> Share {
        let serving = vm.serving();
        let counts_cpu = vm.guest_up() || matches!(vm.state, VmState::Booting { .. });
        Share {
            tier: self.tier_of.get(vm.entry).copied().flatten(),
            serving,
            planned: vm.planned_down && !serving,
            host: vm.host as u32,
            cpu: if counts_cpu {
                super::metrics::vm_cpu_demand(d, vm)
            } else {
                0
            },
        }
    }

    fn apply(&mut self, s: Share, add: bool) {
        let f = |x: &mut u64, n: u64| {
            if add { *x += n } else { *x -= n }
        };
        if let Some(t) = s.tier {
            let c = &mut self.tiers[usize::from(t)];
            f(&mut c.all, 1);
            f(&mut c.serving, u64::from(s.serving));
            f(&mut c.planned, u64::from(s.planned));
        }
        f(&mut self.cpu[s.host as usize], s.cpu);
    }
}
