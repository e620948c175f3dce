//! Metrics over time: per-tier availability, requests served and dropped, host use.
//! Stored as a step function: a sample only when something changed.

use super::Engine;
use super::state::{Member, RoleState};
use super::tally::TierCounts;
use serde::Serialize;

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub t_ms: u64,
    /// Availability of each tier (same order as `Metrics::tiers`), in permille.
    pub availability_permille: Vec<u32>,
    /// The part of each tier's unavailability caused by planned operations (quick migrations,
    /// shutdowns, evictions), in permille: at most 1000 - availability.
    pub planned_permille: Vec<u32>,
    /// Client requests per second served end to end, and dropped.
    pub served_rps: u64,
    pub dropped_rps: u64,
    /// Requests per second served for each client (same order as the design's clients).
    pub client_served_rps: Vec<u64>,
    /// Memory in use (GB) and CPU demand (percent of logical processors) per host.
    pub host_memory_gb: Vec<u64>,
    pub host_cpu_pct: Vec<u32>,
}

#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    pub tiers: Vec<String>,
    pub hosts: Vec<String>,
    pub samples: Vec<Sample>,
    /// Data lost when a VM came back from an older copy (a failover to its replica, a restore):
    /// when, the tier's index, and how much (ms of writes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_lost: Vec<(u64, usize, u64)>,
    /// VM instances with a replica or backups, and when the moment their latest good copy
    /// holds changed: (when, index in `protected`, the moment; `None`: no good copy). Its age
    /// at `t` is the RPO: what a disaster at `t` would lose.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub protected: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<(u64, usize, Option<i64>)>,
}

impl Metrics {
    /// The sample in force at time `t`.
    pub fn at(&self, t: u64) -> Option<&Sample> {
        let i = self.samples.partition_point(|s| s.t_ms <= t);
        i.checked_sub(1).map(|i| &self.samples[i])
    }

    /// Each tier's downtime from 0 to `t`, as (planned, unplanned) milliseconds of full outage
    /// (half the tier down for a minute counts 30 s).
    pub fn downtime_until(&self, t: u64) -> Vec<(u64, u64)> {
        let mut out = vec![(0u64, 0u64); self.tiers.len()];
        for (i, s) in self.samples.iter().enumerate() {
            if s.t_ms >= t {
                break;
            }
            let end = self.samples.get(i + 1).map_or(t, |n| n.t_ms.min(t));
            let span = end - s.t_ms;
            for (k, o) in out.iter_mut().enumerate() {
                let down =
                    1000 - u64::from(s.availability_permille.get(k).copied().unwrap_or(1000));
                let planned = u64::from(s.planned_permille.get(k).copied().unwrap_or(0)).min(down);
                o.0 += planned * span / 1000;
                o.1 += (down - planned) * span / 1000;
            }
        }
        out
    }

    /// Each tier's data lost from 0 to `t` (ms of writes, summed over its VMs' recoveries).
    pub fn data_lost_until(&self, t: u64) -> Vec<u64> {
        let mut out = vec![0; self.tiers.len()];
        for &(_, k, lost) in self.data_lost.iter().filter(|x| x.0 <= t) {
            if let Some(o) = out.get_mut(k) {
                *o += lost;
            }
        }
        out
    }

    /// Each protected VM's RPO at `t` (the age of its latest good copy), `None` without one.
    pub fn rpo_at(&self, t: u64) -> Vec<Option<u64>> {
        let mut point = vec![None; self.protected.len()];
        for &(_, k, p) in self.copies.iter().take_while(|x| x.0 <= t) {
            point[k] = p;
        }
        point
            .into_iter()
            .map(|p| p.map(|p: i64| (t as i64 - p).max(0) as u64))
            .collect()
    }

    /// Requests served and dropped from 0 to `t` (rates integrated over time).
    pub fn requests_until(&self, t: u64) -> (u64, u64) {
        let (mut served, mut dropped) = (0u128, 0u128);
        for (i, s) in self.samples.iter().enumerate() {
            if s.t_ms >= t {
                break;
            }
            let end = self.samples.get(i + 1).map_or(t, |n| n.t_ms.min(t));
            let span = u128::from(end - s.t_ms);
            served += u128::from(s.served_rps) * span;
            dropped += u128::from(s.dropped_rps) * span;
        }
        ((served / 1000) as u64, (dropped / 1000) as u64)
    }
}

impl Engine {
    /// VM instance `v` came back from a copy `lost_ms` older than its loss: its tier lost that
    /// much data.
    pub(super) fn record_data_lost(&mut self, v: usize, lost_ms: u64) {
        let entry = self.vms[v].entry;
        let tier = self.scenario.design.vms[entry].tier.as_ref();
        let k = tier.and_then(|t| self.metrics.tiers.iter().position(|x| x == t));
        if let (Some(k), true) = (k, lost_ms > 0) {
            self.metrics.data_lost.push((self.now, k, lost_ms));
        }
    }

    /// Records the moment VM instance `v`'s latest good copy holds, when it changed.
    pub(super) fn note_copies(&mut self, v: usize) {
        let id = &self.vms[v].id;
        let k = match self.metrics.protected.iter().position(|x| x == id) {
            Some(k) => k,
            None => {
                self.metrics.protected.push(id.clone());
                self.metrics.protected.len() - 1
            }
        };
        let point = self.best_point(v);
        let last = (self.metrics.copies.iter().rev())
            .find(|x| x.1 == k)
            .map(|x| x.2);
        if last != Some(point) {
            self.metrics.copies.push((self.now, k, point));
        }
    }

    pub(super) fn sample_metrics(&mut self) {
        self.dirty = false;
        if self.metrics.tiers.is_empty() && self.metrics.samples.is_empty() {
            let d = &self.scenario.design;
            let mut tiers: Vec<String> = d.vms.iter().filter_map(|v| v.tier.clone()).collect();
            tiers.extend(d.guest_clusters.iter().filter_map(|g| g.role.tier.clone()));
            tiers.extend(d.tiers.iter().map(|t| t.name.clone()));
            let mut seen = std::collections::HashSet::new();
            tiers.retain(|t| seen.insert(t.clone()));
            self.metrics.tiers = tiers;
            self.metrics.hosts = d.hosts.iter().map(|h| h.id.clone()).collect();
        }
        self.tally
            .update(&mut self.vms, &self.scenario.design, &self.metrics.tiers);
        let counts = self.tally.tiers.clone();
        let cpu = &self.tally.cpu;
        let fractions: Vec<(u64, u64)> = self
            .metrics
            .tiers
            .iter()
            .zip(&counts)
            .map(|(t, c)| self.tier_fraction(t, c))
            .collect();
        let availability: Vec<u32> = fractions
            .iter()
            .map(|&(ok, all)| (ok * 1000 / all) as u32)
            .collect();
        let (mut served, mut dropped) = (0u64, 0u64);
        let mut client_served_rps = Vec::with_capacity(self.scenario.design.clients.len());
        for c in &self.scenario.design.clients {
            let rps = u64::from(c.requests_per_second);
            // A request is served only if every tier it passes through serves it: exact fractions.
            let (mut num, mut den) = (u128::from(rps), 1u128);
            for t in self.scenario.design.tier_closure(&c.tier) {
                let (ok, all) = self
                    .metrics
                    .tiers
                    .iter()
                    .position(|x| *x == t)
                    .map_or((0, 1), |i| fractions[i]);
                num *= u128::from(ok);
                den *= u128::from(all);
                let g = gcd(num, den);
                (num, den) = (num / g, den / g);
            }
            let ok = (num / den) as u64;
            served += ok;
            dropped += rps - ok;
            client_served_rps.push(ok);
        }
        let d = &self.scenario.design;
        let host_cpu_pct = cpu
            .iter()
            .zip(&d.hosts)
            .map(|(c, h)| (c / u64::from(h.cpu_cores.max(1))) as u32)
            .collect();
        let planned_permille = self
            .metrics
            .tiers
            .iter()
            .zip(&availability)
            .zip(&counts)
            .map(|((t, a), c)| self.tier_planned(t, c).min(1000 - a))
            .collect();
        let sample = Sample {
            t_ms: self.now,
            availability_permille: availability,
            planned_permille,
            served_rps: served,
            dropped_rps: dropped,
            client_served_rps,
            host_memory_gb: self.host_mem.clone(),
            host_cpu_pct,
        };
        match self.metrics.samples.last_mut() {
            Some(last) if last.t_ms == sample.t_ms => *last = sample,
            Some(last)
                if Sample {
                    t_ms: last.t_ms,
                    ..sample.clone()
                } == *last => {}
            _ => self.metrics.samples.push(sample),
        }
    }

    /// The share of a tier's VM instances (members, for NLB and guest tiers) down because of a
    /// planned operation, in permille.
    fn tier_planned(&self, tier: &str, counts: &TierCounts) -> u32 {
        let mut members: Vec<usize> = Vec::new();
        if let Some(n) = self.nlbs.iter().find(|n| n.tier.as_deref() == Some(tier)) {
            members.extend(n.members.iter().map(|m| m.vm));
        } else if let Some(c) = self
            .clusters
            .iter()
            .find(|c| c.guest && c.role_tier.as_deref() == Some(tier))
        {
            members.extend(c.members.iter().filter_map(|m| match m {
                Member::Vm(v) => Some(*v),
                Member::Host(_) => None,
            }));
        } else {
            return (counts.planned * 1000)
                .checked_div(counts.all)
                .map_or(0, |p| p as u32);
        }
        if members.is_empty() {
            return 0;
        }
        let planned = members
            .iter()
            .filter(|&&v| self.vms[v].planned_down && !self.vms[v].serving())
            .count();
        (planned * 1000 / members.len()) as u32
    }

    /// How much of a tier works, as (working, all): NLB requests served, a guest role online,
    /// or instances serving. `all` is never 0.
    fn tier_fraction(&self, tier: &str, counts: &TierCounts) -> (u64, u64) {
        if let Some(ni) = self
            .nlbs
            .iter()
            .position(|n| n.tier.as_deref() == Some(tier))
        {
            let (served, lost) = self.nlb_served(ni);
            if served + lost > 0 {
                return (served, served + lost);
            }
            let n = &self.nlbs[ni];
            let ok = n
                .buckets
                .iter()
                .filter(|b| b.is_some_and(|i| self.vms[n.members[i].vm].serving()))
                .count();
            return (ok as u64, n.buckets.len() as u64);
        }
        if let Some(c) = self
            .clusters
            .iter()
            .find(|c| c.guest && c.role_tier.as_deref() == Some(tier))
        {
            let online = match c.role {
                RoleState::Online { owner } => {
                    matches!(c.members[owner], Member::Vm(v) if self.vms[v].serving())
                }
                _ => false,
            };
            return (u64::from(online), 1);
        }
        if counts.all == 0 {
            (0, 1)
        } else {
            (counts.serving, counts.all)
        }
    }
}

/// A VM's CPU demand: vCPUs x utilisation (percent of one logical processor each).
pub(super) fn vm_cpu_demand(d: &crate::model::Design, vm: &super::state::VmInst) -> u64 {
    u64::from(vm.vcpus) * u64::from(d.vms[vm.entry].cpu_utilization_pct)
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}
