//! Windows NLB: member heartbeats, convergence, and the 60 hash buckets that split client
//! traffic by load weight and affinity.

use super::state::{NLB_BUCKETS, NlbMemberInst, NlbState};
use super::{Engine, Ev, EventKind, fmt_ms};
use crate::model::{Affinity, NlbMode, display_name};
use rand::RngExt;

/// Bound on simulated client addresses per load source (keeps start-up cheap).
const MAX_CLIENT_IPS: u32 = 1_000_000;

impl Engine {
    pub(super) fn init_nlbs(&mut self) {
        let d = self.scenario.design.clone();
        for n in &d.nlb_clusters {
            let mut members = Vec::new();
            let mut nics = Vec::new();
            let mut cut_off = Vec::new();
            for m in &n.members {
                let e = d.vms.iter().position(|v| v.id == m.vm).expect("validated");
                for k in 0..d.vms[e].replicas {
                    members.push(NlbMemberInst {
                        vm: self.entry_first[e] + k as usize,
                        priority: m.priority + k,
                        weight: m.weight.unwrap_or(50),
                    });
                    nics.push(d.vms[e].nics.clone());
                    cut_off.push(
                        n.mode == NlbMode::Unicast && !d.vms[e].nics.iter().any(|x| x.mac_spoofing),
                    );
                }
            }
            let tier = members
                .first()
                .and_then(|m| d.vms[self.vms[m.vm].entry].tier.clone());
            let mut bucket_rps = vec![0u64; NLB_BUCKETS];
            for c in d.clients.iter().filter(|c| Some(&c.tier) == tier.as_ref()) {
                spread_requests(
                    &mut bucket_rps,
                    &c.id,
                    u64::from(c.requests_per_second),
                    c.client_ips.clamp(1, MAX_CLIENT_IPS),
                    n.affinity,
                );
            }
            let count = members.len();
            let mut state = NlbState {
                id: n.id.clone(),
                name: display_name(&n.name, &n.id).to_string(),
                tier,
                members,
                nics,
                in_view: vec![false; count],
                missed: vec![0; count],
                buckets: vec![None; NLB_BUCKETS],
                bucket_rps,
                converging_since: None,
                token: 0,
                phase: 0,
                stuck: false,
                cut_off,
            };
            let hb = self.timing.nlb_heartbeat_ms.max(1);
            state.phase = self.rng.random_range(0..hb);
            let ni = self.nlbs.len();
            self.schedule(state.phase, Ev::NlbRound { nlb: ni, delay: hb });
            self.nlbs.push(state);
            self.report_cut_off(ni);
            let view = self.nlb_largest_group(ni);
            if let Some(why) = self.duplicate_priority(ni, &view) {
                // Never converged: no member owns a bucket, so every request is lost.
                let n = &mut self.nlbs[ni];
                n.stuck = true;
                n.converging_since = Some(0);
                n.token += 1;
                let token = n.token;
                let msg = format!(
                    "NLB cluster {} cannot converge: {why}. Until that is fixed no member handles traffic and every request is lost",
                    n.name
                );
                let subjects = vec![n.id.clone()];
                self.emit(EventKind::NlbConvergenceStuck, subjects, msg);
                self.schedule(
                    self.timing.nlb_convergence_ms,
                    Ev::NlbConverged { nlb: ni, token },
                );
            } else {
                self.converge_to(ni, &view);
            }
        }
    }

    /// Two members of `view` with the same host priority, in words.
    fn duplicate_priority(&self, ni: usize, view: &[usize]) -> Option<String> {
        let n = &self.nlbs[ni];
        view.iter().enumerate().find_map(|(k, &i)| {
            view[k + 1..]
                .iter()
                .find(|&&j| n.members[j].priority == n.members[i].priority)
                .map(|&j| {
                    format!(
                        "{} and {} share host priority {} (each member needs its own, 1-32)",
                        self.vms[n.members[i].vm].id,
                        self.vms[n.members[j].vm].id,
                        n.members[i].priority
                    )
                })
        })
    }

    /// Says which members unicast mode cuts off (no MAC address spoofing on their NIC).
    fn report_cut_off(&mut self, ni: usize) {
        let n = &self.nlbs[ni];
        let mut ids: Vec<String> = (0..n.members.len())
            .filter(|&i| n.cut_off[i])
            .map(|i| self.vms[n.members[i].vm].id.clone())
            .collect();
        if ids.is_empty() {
            return;
        }
        let msg = format!(
            "NLB cluster {} is unicast: it replaces the MAC address of {}'s NIC with the cluster's, and without MAC address spoofing Hyper-V drops those frames. {} no network connectivity on that adapter: {} cannot heartbeat or serve",
            n.name,
            super::names(&ids),
            super::plural(ids.len(), "It has", "They have"),
            super::plural(ids.len(), "it", "they"),
        );
        ids.insert(0, n.id.clone());
        self.emit(EventKind::NlbMemberCutOff, ids, msg);
    }

    pub(super) fn nlb_member_up(&self, ni: usize, i: usize) -> bool {
        let v = self.nlbs[ni].members[i].vm;
        !self.nlbs[ni].cut_off[i] && self.vms[v].guest_up() && self.health.host_up(self.vms[v].host)
    }

    pub(super) fn nlb_connected(&self, ni: usize, i: usize, j: usize) -> bool {
        let n = &self.nlbs[ni];
        let (a, b) = (&self.vms[n.members[i].vm], &self.vms[n.members[j].vm]);
        i == j
            || self
                .reach
                .vms_connected(&self.net, (&n.nics[i], a.host), (&n.nics[j], b.host))
    }

    /// A member's heartbeat reaches the rest of the view (a lone member only needs to be up).
    fn nlb_heard(&self, ni: usize, i: usize) -> bool {
        let n = &self.nlbs[ni];
        if !self.nlb_member_up(ni, i) {
            return false;
        }
        let others: Vec<usize> = (0..n.members.len())
            .filter(|&j| j != i && n.in_view[j] && self.nlb_member_up(ni, j))
            .collect();
        others.is_empty() || others.iter().any(|&j| self.nlb_connected(ni, i, j))
    }

    /// One NLB heartbeat round; returns whether it changed anything (a round that did not is
    /// not queued again: see `heartbeats`).
    pub(super) fn nlb_round(&mut self, ni: usize, delay: u64) -> bool {
        let count = self.nlbs[ni].members.len();
        let threshold = self.timing.nlb_threshold;
        let mut trigger = None;
        let mut changed = false;
        for i in 0..count {
            let heard = self.nlb_heard(ni, i);
            let n = &mut self.nlbs[ni];
            if n.in_view[i] {
                if heard {
                    changed |= n.missed[i] != 0;
                    n.missed[i] = 0;
                } else {
                    changed = true;
                    n.missed[i] += 1;
                    if n.missed[i] == threshold && trigger.is_none() {
                        trigger = Some(format!(
                            "{} missed {threshold} heartbeats ({} apart)",
                            self.vms[n.members[i].vm].id,
                            fmt_ms(delay)
                        ));
                    }
                }
            } else if heard && trigger.is_none() && n.converging_since.is_none() {
                trigger = Some(format!(
                    "{} is up and joining",
                    self.vms[n.members[i].vm].id
                ));
            }
        }
        let ev = Ev::NlbRound { nlb: ni, delay };
        if let Some(why) = trigger {
            self.start_convergence(ni, why);
            changed = true;
        }
        if changed {
            self.schedule(self.now + delay, ev);
        } else {
            self.sleep_round(ev, delay);
        }
        changed
    }

    /// The largest group of live members that hear each other (sorted); it is what converges.
    fn nlb_largest_group(&self, ni: usize) -> Vec<usize> {
        let count = self.nlbs[ni].members.len();
        let up: Vec<usize> = (0..count).filter(|&i| self.nlb_member_up(ni, i)).collect();
        let mut best: Vec<usize> = Vec::new();
        let mut seen = vec![false; count];
        for &i in &up {
            if seen[i] {
                continue;
            }
            let mut group = vec![i];
            seen[i] = true;
            let mut k = 0;
            while k < group.len() {
                let x = group[k];
                for &y in &up {
                    if !seen[y] && self.nlb_connected(ni, x, y) {
                        seen[y] = true;
                        group.push(y);
                    }
                }
                k += 1;
            }
            if group.len() > best.len() {
                best = group;
            }
        }
        best.sort_unstable();
        best
    }

    fn start_convergence(&mut self, ni: usize, why: String) {
        let n = &mut self.nlbs[ni];
        if n.converging_since.is_some() {
            return;
        }
        n.converging_since = Some(self.now);
        n.token += 1;
        let token = n.token;
        let msg = format!(
            "NLB cluster {} starts convergence: {why}. Until it completes the old bucket map stands: requests hashed to a missing member are lost",
            n.name
        );
        let subjects = vec![n.id.clone()];
        self.emit(EventKind::NlbConvergenceStarted, subjects, msg);
        self.schedule(
            self.now + self.timing.nlb_convergence_ms,
            Ev::NlbConverged { nlb: ni, token },
        );
    }

    pub(super) fn nlb_converged(&mut self, ni: usize, token: u32) {
        if self.nlbs[ni].token != token || self.nlbs[ni].converging_since.is_none() {
            return;
        }
        let best = self.nlb_largest_group(ni);
        if let Some(why) = self.duplicate_priority(ni, &best) {
            let n = &mut self.nlbs[ni];
            let first_time = !n.stuck;
            n.stuck = true;
            n.token += 1;
            let token = n.token;
            if first_time {
                let msg = format!(
                    "NLB cluster {} cannot converge: {why}. It keeps trying",
                    n.name
                );
                let subjects = vec![n.id.clone()];
                self.emit(EventKind::NlbConvergenceStuck, subjects, msg);
            }
            self.schedule(
                self.now + self.timing.nlb_convergence_ms,
                Ev::NlbConverged { nlb: ni, token },
            );
            return;
        }
        self.converge_to(ni, &best);
    }

    /// Installs a new view: survivors keep their buckets, the rest are shared out by weight.
    fn converge_to(&mut self, ni: usize, view: &[usize]) {
        let started = self.nlbs[ni].converging_since;
        let n = &mut self.nlbs[ni];
        n.in_view = (0..n.members.len()).map(|i| view.contains(&i)).collect();
        n.missed.iter_mut().for_each(|m| *m = 0);
        n.converging_since = None;
        n.stuck = false;
        let mut order: Vec<usize> = view.to_vec();
        order.sort_by_key(|&i| n.members[i].priority);
        let total: u64 = order.iter().map(|&i| u64::from(n.members[i].weight)).sum();
        let mut target = vec![0usize; n.members.len()];
        if let Some(total) = std::num::NonZeroU64::new(total) {
            let total = total.get();
            let mut rest = Vec::new();
            let mut given = 0;
            for &i in &order {
                let exact = NLB_BUCKETS as u64 * u64::from(n.members[i].weight);
                target[i] = (exact / total) as usize;
                given += target[i];
                rest.push((std::cmp::Reverse(exact % total), i));
            }
            rest.sort();
            for (_, i) in rest.into_iter().take(NLB_BUCKETS - given) {
                target[i] += 1;
            }
        }
        let mut have = vec![0usize; n.members.len()];
        for b in 0..NLB_BUCKETS {
            match n.buckets[b] {
                Some(o) if n.in_view[o] && have[o] < target[o] => have[o] += 1,
                _ => n.buckets[b] = None,
            }
        }
        for b in 0..NLB_BUCKETS {
            if n.buckets[b].is_none()
                && let Some(&i) = order.iter().find(|&&i| have[i] < target[i])
            {
                n.buckets[b] = Some(i);
                have[i] += 1;
            }
        }
        self.dirty = true;
        let Some(since) = started else { return };
        let n = &self.nlbs[ni];
        let shares: Vec<String> = order
            .iter()
            .map(|&i| {
                format!(
                    "{} {}%",
                    self.vms[n.members[i].vm].id,
                    have[i] * 100 / NLB_BUCKETS
                )
            })
            .collect();
        let msg = if shares.is_empty() {
            format!(
                "NLB cluster {} converged with no live members: every request is lost",
                n.name
            )
        } else {
            format!(
                "NLB cluster {} converged after {}: {}",
                n.name,
                fmt_ms(self.now - since),
                shares.join(", ")
            )
        };
        let mut subjects = vec![n.id.clone()];
        subjects.extend(order.iter().map(|&i| self.vms[n.members[i].vm].id.clone()));
        self.emit(EventKind::NlbConverged, subjects, msg);
    }

    /// Requests per second that members of NLB `ni` serve and lose right now.
    pub(super) fn nlb_served(&self, ni: usize) -> (u64, u64) {
        let n = &self.nlbs[ni];
        let mut served = 0;
        let mut lost = 0;
        for b in 0..NLB_BUCKETS {
            let ok = n.buckets[b].is_some_and(|i| {
                let vm = &self.vms[n.members[i].vm];
                !n.cut_off[i]
                    && vm.serving()
                    && self
                        .reach
                        .vm_reachable_from_network(&self.net, &n.nics[i], vm.host)
            });
            if ok {
                served += n.bucket_rps[b]
            } else {
                lost += n.bucket_rps[b]
            }
        }
        (served, lost)
    }
}

/// Splits a client load over the 60 buckets as NLB's hash would.
fn spread_requests(bucket_rps: &mut [u64], client: &str, rps: u64, ips: u32, affinity: Affinity) {
    let mut counts = vec![0u64; NLB_BUCKETS];
    match affinity {
        // Without affinity the hash includes the client's port: traffic spreads evenly.
        Affinity::None => counts.iter_mut().for_each(|c| *c = 1),
        Affinity::Single => (0..ips).for_each(|ip| counts[bucket_of(client, u64::from(ip))] += 1),
        // Class C: the 254 addresses of a /24 share one bucket.
        Affinity::Network => {
            (0..ips).for_each(|ip| counts[bucket_of(client, u64::from(ip / 254))] += 1)
        }
    }
    let total: u64 = counts.iter().sum();
    let mut given = 0;
    for b in 0..NLB_BUCKETS {
        let share = rps * counts[b] / total;
        bucket_rps[b] += share;
        given += share;
    }
    // Integer remainders go to the busiest buckets, so the sum is exact.
    let mut order: Vec<usize> = (0..NLB_BUCKETS).collect();
    order.sort_by_key(|&b| (std::cmp::Reverse(counts[b]), b));
    for &b in order.iter().take((rps - given) as usize) {
        bucket_rps[b] += 1;
    }
}

/// A fixed integer hash (splitmix64) of a client address: the same on every platform.
fn bucket_of(client: &str, addr: u64) -> usize {
    let mut x = client.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    }) ^ addr;
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (x % NLB_BUCKETS as u64) as usize
}
