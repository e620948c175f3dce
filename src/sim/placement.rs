//! VM lifecycle and failover placement: start, stop, restart in place, fail over (storage,
//! capacity, owners, anti-affinity, priority and pre-emption, shielded VMs, failover threshold),
//! live migration, storage loss (redirected I/O, Paused-Critical) and VM Monitoring.

use super::state::{Member, NodeState, VmInst, VmState};
use super::{Engine, Ev, EventKind, fmt_ms, migration, plural};
use crate::model::{Monitoring, Priority, display_name};

impl Engine {
    pub(super) fn init_vms(&mut self) {
        let d = self.scenario.design.clone();
        self.host_mem = vec![0; d.hosts.len()];
        self.host_vms = vec![Vec::new(); d.hosts.len()];
        let cluster_of_host: Vec<Option<usize>> = (0..d.hosts.len())
            .map(|h| {
                d.clusters
                    .iter()
                    .position(|c| c.nodes.iter().any(|n| self.net.hosts[n] == h))
            })
            .collect();
        for (e, vm) in d.vms.iter().enumerate() {
            self.entry_first.push(self.vms.len());
            let name = display_name(&vm.name, &vm.id);
            for k in 0..vm.replicas as usize {
                let host = self.net.hosts[&vm.hosts[k % vm.hosts.len()]];
                let (id, name) = if vm.replicas == 1 {
                    (vm.id.clone(), name.to_string())
                } else {
                    (
                        format!("{}#{}", vm.id, k + 1),
                        format!("{}-{}", name, k + 1),
                    )
                };
                self.host_vms[host].push(self.vms.len());
                self.vms.push(VmInst {
                    entry: e,
                    id,
                    name,
                    host,
                    state: VmState::Stopped,
                    reason: String::new(),
                    app_failed: false,
                    hung: false,
                    blackout: false,
                    blackout_drops: false,
                    planned_down: false,
                    unmonitored: false,
                    redirected: false,
                    cluster: cluster_of_host[host],
                    pending: false,
                    failed: false,
                    moved_from: None,
                    restarts: Vec::new(),
                    failovers: Vec::new(),
                    token: 0,
                    down_since: Some(0),
                    started_at: None,
                    avoid: None,
                    memory_gb: vm.memory_gb,
                    vcpus: vm.vcpus,
                    priority: vm.priority,
                    boot_ms: vm.boot_ms,
                    storage: self.net.storage.get(&vm.storage).copied(),
                    write_mb_s: u64::from(vm.memory_write_mb_s),
                });
            }
        }
        // The run starts in steady state: every VM that fits is already running.
        for v in 0..self.vms.len() {
            let h = self.vms[v].host;
            let blocker = self.start_blocker(v, h);
            match blocker {
                None => {
                    let redirected = self.storage_access(v, h) == Some(true);
                    self.set_vm(v, h, VmState::Running);
                    self.vms[v].redirected = redirected;
                    self.vms[v].down_since = None;
                }
                Some(why) => {
                    let msg = format!(
                        "{} cannot start on {}: {why}",
                        self.vms[v].id,
                        self.host_id(h)
                    );
                    self.vms[v].reason = msg.clone();
                    let subjects = vec![self.vms[v].id.clone(), self.host_id(h).to_string()];
                    self.emit(EventKind::VmNotRestarted, subjects, msg);
                }
            }
        }
    }

    /// Why VM `v` cannot run on host `h` right now, if it cannot.
    pub(super) fn start_blocker(&self, v: usize, h: usize) -> Option<String> {
        let vm = &self.vms[v];
        let host = &self.scenario.design.hosts[h];
        if !self.health.host_up(h) {
            return Some(format!("{} is down", host.id));
        }
        if self.scenario.design.vms[vm.entry].shielded && !host.guarded {
            return Some(format!(
                "it is shielded and {} is not a guarded host",
                host.id
            ));
        }
        if self.storage_access(v, h).is_none() {
            return Some(format!(
                "{} cannot reach its disks on {}",
                host.id,
                self.storage_text(v)
            ));
        }
        let free = u64::from(host.memory_gb).saturating_sub(self.host_mem[h]);
        if free < u64::from(vm.memory_gb) {
            return Some(format!(
                "{} has {free} GB of free memory and it needs {} GB",
                host.id, vm.memory_gb
            ));
        }
        None
    }

    /// The one place a VM changes host or state: keeps memory accounting exact.
    pub(super) fn set_vm(&mut self, v: usize, host: usize, state: VmState) {
        self.account(v, false);
        let old = self.vms[v].host;
        // A live migration ending frees its slots on both hosts for the next one waiting; a VM
        // that stops or moves some other way no longer waits for one.
        if let VmState::Migrating { to, .. } = self.vms[v].state
            && !matches!(state, VmState::Migrating { .. })
        {
            self.lanes.release(old, to);
            self.schedule(self.now, Ev::MigrationSlots);
        }
        if state != VmState::Running || host != old {
            self.lanes.drop_vm(v);
        }
        if old != host {
            self.host_vms[old].retain(|&x| x != v);
            self.host_vms[host].push(v);
            self.vms[v].moved_from = Some((old, self.now));
        }
        let vm = &mut self.vms[v];
        vm.host = host;
        vm.state = state;
        vm.token += 1;
        vm.blackout = false;
        vm.blackout_drops = false;
        if state.guest_up() {
            vm.planned_down = false;
        }
        if state == VmState::Stopped {
            // A stopped VM boots afresh: a hung guest is gone with it.
            vm.redirected = false;
            vm.unmonitored = false;
            vm.hung = false;
        }
        self.account(v, true);
        self.dirty = true;
        self.drain_watch(old);
        if host != old {
            // A VM landing on a draining node must leave it too.
            self.drain_watch(host);
        }
    }

    fn account(&mut self, v: usize, add: bool) {
        let vm = &self.vms[v];
        let mem = u64::from(vm.memory_gb);
        let hosts = match (vm.state, vm.state.moving()) {
            (VmState::Stopped, _) => [None, None],
            (_, Some((to, _, _))) => [Some(vm.host), Some(to)],
            _ => [Some(vm.host), None],
        };
        for h in hosts.into_iter().flatten() {
            if add {
                self.host_mem[h] += mem;
            } else {
                self.host_mem[h] -= mem;
            }
        }
    }

    pub(super) fn free_memory(&self, h: usize) -> u64 {
        u64::from(self.scenario.design.hosts[h].memory_gb).saturating_sub(self.host_mem[h])
    }

    /// Stops a VM and says why.
    pub(super) fn stop_vm(&mut self, v: usize, kind: EventKind, why: String) {
        if self.vms[v].state == VmState::Stopped {
            return;
        }
        let h = self.vms[v].host;
        self.set_vm(v, h, VmState::Stopped);
        let vm = &mut self.vms[v];
        vm.down_since.get_or_insert(self.now);
        vm.reason = why.clone();
        let subjects = vec![vm.id.clone(), self.host_id(h).to_string()];
        self.emit(kind, subjects, why);
    }

    /// Cold boots VM `v` on host `h`.
    pub(super) fn boot(&mut self, v: usize, h: usize, kind: EventKind, why: String) {
        if let Some(lost) = self.unbootable(v) {
            let id = self.vms[v].id.clone();
            let msg = format!("{id} cannot start: {lost}");
            self.emit(EventKind::VmNotRestarted, vec![id], msg);
            return;
        }
        let until = self.now + self.vms[v].boot_ms;
        let redirected = self.storage_access(v, h) == Some(true);
        self.set_vm(v, h, VmState::Booting { until });
        // A corrupt guest boots, and its application fails again.
        let corrupt = self.data_corrupt(v);
        let vm = &mut self.vms[v];
        vm.app_failed = corrupt;
        vm.pending = false;
        vm.avoid = None;
        vm.redirected = redirected;
        vm.reason = why.clone();
        vm.started_at = Some(self.now);
        let token = vm.token;
        let subjects = vec![vm.id.clone(), self.host_id(h).to_string()];
        self.booted(v);
        self.emit(kind, subjects, why);
        self.schedule(until, Ev::BootDone { vm: v, token });
    }

    pub(super) fn boot_done(&mut self, v: usize, token: u32) {
        if self.vms[v].token != token || !matches!(self.vms[v].state, VmState::Booting { .. }) {
            return;
        }
        let h = self.vms[v].host;
        self.set_vm(v, h, VmState::Running);
        let hid = self.host_id(h).to_string();
        let vm = &mut self.vms[v];
        let down = vm.down_since.take().map(|t| self.now - t);
        let msg = match down {
            Some(d) if d > 0 => format!(
                "{} is running on {hid} (it was down for {})",
                vm.id,
                fmt_ms(d)
            ),
            _ => format!("{} is running on {hid}", vm.id),
        };
        vm.reason = msg.clone();
        let subjects = vec![vm.id.clone(), self.host_id(h).to_string()];
        self.emit(EventKind::VmRunning, subjects, msg);
        self.check_storage(v);
        self.vm_guest_changed(v);
    }

    /// A VM's guest came up or went down: guest clusters it belongs to may regroup or join.
    pub(super) fn vm_guest_changed(&mut self, v: usize) {
        for ci in 0..self.clusters.len() {
            if self.clusters[ci].guest && self.clusters[ci].members.contains(&Member::Vm(v)) {
                self.check_last_node(ci);
                self.check_joins(ci);
                self.ensure_role(ci);
            }
        }
    }

    /// The VM resource failed on a node the cluster watches: restart in place, then move.
    pub(super) fn vm_failed(&mut self, v: usize) {
        let Some(ci) = self.vms[v].cluster else {
            // Standalone Hyper-V: the VM's automatic recovery action restarts it where it is.
            self.restart_on_own_host(v, true);
            return;
        };
        let h = self.vms[v].host;
        if !self.host_node_up(ci, h) {
            // Nobody watches it: an isolated node's VMs are unmonitored.
            return;
        }
        if self.vms[v].priority == Priority::NoAutoStart {
            self.not_restarted(
                v,
                "its priority is No Auto Start, so the cluster does not restart it".into(),
            );
            return;
        }
        let window = self.timing.restart_window_ms;
        let now = self.now;
        self.vms[v].restarts.retain(|t| now - *t < window);
        let used = self.vms[v].restarts.len() as u32;
        if used < self.timing.restart_in_place_max && self.start_blocker(v, h).is_none() {
            self.vms[v].restarts.push(now);
            let why = format!(
                "{} restarts in place on {} (attempt {} of {} within {}; cold boot {})",
                self.vms[v].id,
                self.host_id(h),
                used + 1,
                self.timing.restart_in_place_max,
                fmt_ms(window),
                fmt_ms(self.vms[v].boot_ms)
            );
            self.boot(v, h, EventKind::VmRestarting, why);
            return;
        }
        if used >= self.timing.restart_in_place_max {
            self.vms[v].avoid = Some(h);
        }
        self.mark_pending(v);
        self.place_pending(ci);
    }

    /// RetryPeriodOnFailure: the cluster tries a Failed role again, with no operator.
    pub(super) fn retry_failed(&mut self, v: usize, token: u32) {
        let vm = &mut self.vms[v];
        if vm.token != token || !vm.failed || vm.state != VmState::Stopped {
            return;
        }
        let Some(ci) = vm.cluster else {
            return;
        };
        vm.failed = false;
        vm.failovers.clear();
        vm.avoid = None;
        let msg = format!(
            "{} was Failed for {} (RetryPeriodOnFailure): the cluster tries to bring it online again on any node that can run it",
            vm.id,
            fmt_ms(self.timing.retry_period_ms)
        );
        let subjects = vec![vm.id.clone()];
        self.mark_pending(v);
        self.emit(EventKind::VmRetry, subjects, msg);
        self.place_pending(ci);
    }

    fn not_restarted(&mut self, v: usize, why: String) {
        let msg = format!("{} was not restarted: {why}", self.vms[v].id);
        if self.vms[v].reason == msg {
            return;
        }
        self.vms[v].reason = msg.clone();
        let subjects = vec![self.vms[v].id.clone()];
        self.emit(EventKind::VmNotRestarted, subjects, msg);
    }

    /// Marks VM `v` as waiting for a node; every VM becomes pending through here.
    pub(super) fn mark_pending(&mut self, v: usize) {
        self.vms[v].pending = true;
        self.starts.waiting.push(v);
    }

    /// Places every VM of cluster `ci` waiting for a node, highest priority first.
    pub(super) fn place_pending(&mut self, ci: usize) {
        if !self.clusters[ci].has_quorum {
            return;
        }
        // Only VMs marked pending can be: no scan of every VM on each call.
        let mut waiting = std::mem::take(&mut self.starts.waiting);
        waiting.retain(|&v| self.vms[v].pending);
        waiting.sort_unstable();
        waiting.dedup();
        let mut list: Vec<usize> = waiting
            .iter()
            .copied()
            .filter(|&v| self.vms[v].cluster == Some(ci))
            .collect();
        self.starts.waiting = waiting;
        list.sort_by_key(|&v| (self.vms[v].priority, v));
        // A VM that starts can let a waiting one (a later set) start too: go round until none does.
        loop {
            let mut started = false;
            for &v in &list {
                if self.vms[v].pending {
                    self.try_place(ci, v);
                    started |= !self.vms[v].pending;
                }
            }
            if !started {
                break;
            }
        }
    }

    fn try_place(&mut self, ci: usize, v: usize) {
        if self.vms[v].priority == Priority::NoAutoStart {
            self.vms[v].pending = false;
            self.not_restarted(
                v,
                "its priority is No Auto Start, so the cluster does not restart it".into(),
            );
            return;
        }
        if let Some((why, at)) = self.start_gate(ci, v) {
            self.hold_start(ci, v, why, at);
            return;
        }
        let last = self.vms[v].host;
        let now = self.now;
        let period = self.timing.failover_period_ms;
        self.vms[v].failovers.retain(|t| now - *t < period);
        let nodes = self.clusters[ci].members.len();
        let allowed = nodes.saturating_sub(1);
        let (candidates, mut why) = self.candidates(ci, v);
        let mut choice = self.best_candidate(v, &candidates);
        let mut preempt = Vec::new();
        // Priorities and pre-emption arrived in 2012 (validation refuses priorities on 2008 R2):
        // 2008 R2 stops nothing to make room.
        let preempts = self.timing.version >= crate::model::Version::W2012R2;
        if choice.is_none() && !candidates.is_empty() {
            if let Some((h, victims)) = self.preemption(v, &candidates).filter(|_| preempts) {
                choice = Some(h);
                preempt = victims;
            } else {
                why = format!(
                    "no surviving node has {} GB of free memory for it",
                    self.vms[v].memory_gb
                );
            }
        }
        let Some(h) = choice else {
            self.not_restarted(v, why);
            return;
        };
        let moving = h != last;
        if moving && self.vms[v].failovers.len() >= allowed {
            let vm = &mut self.vms[v];
            vm.pending = false;
            vm.failed = true;
            let msg = format!(
                "{} is left Failed: it already failed over {} times in {} (the failover threshold for a {nodes}-node cluster is {allowed})",
                vm.id,
                vm.failovers.len(),
                fmt_ms(period)
            );
            vm.reason = msg.clone();
            let subjects = vec![vm.id.clone()];
            self.emit(EventKind::VmFailed, subjects, msg);
            let (at, token) = (now + self.timing.retry_period_ms, self.vms[v].token);
            self.schedule(at, Ev::RetryFailed { vm: v, token });
            return;
        }
        for victim in preempt {
            let why = format!(
                "{} ({:?} priority) was stopped to make room for {} ({:?} priority)",
                self.vms[victim].id,
                self.vms[victim].priority,
                self.vms[v].id,
                self.vms[v].priority
            );
            self.stop_vm(victim, EventKind::VmPreempted, why);
            self.mark_pending(victim);
        }
        if moving {
            self.vms[v].failovers.push(now);
        }
        let down = self.vms[v].down_since.map(|t| now - t).unwrap_or(0);
        let detail = self.choice_reason(v, h);
        let why = if moving {
            format!(
                "{} fails over to {} ({detail}): cold boot of {}, so it serves again {} after it went down",
                self.vms[v].id,
                self.host_id(h),
                fmt_ms(self.vms[v].boot_ms),
                fmt_ms(down + self.vms[v].boot_ms)
            )
        } else {
            format!(
                "{} starts again on {} (cold boot, {})",
                self.vms[v].id,
                self.host_id(h),
                fmt_ms(self.vms[v].boot_ms)
            )
        };
        self.boot(
            v,
            h,
            if moving {
                EventKind::VmFailover
            } else {
                EventKind::VmRestarting
            },
            why,
        );
    }

    fn choice_reason(&self, v: usize, h: usize) -> String {
        let prefs = &self.scenario.design.vms[self.vms[v].entry].preferred_owners;
        if let Some(i) = prefs.iter().position(|p| *p == self.host_id(h)) {
            format!("preferred owner #{}", i + 1)
        } else {
            format!("{} GB free", self.free_memory(h))
        }
    }

    /// Active nodes that may run `v` apart from capacity, or the reason none can.
    pub(super) fn candidates(&self, ci: usize, v: usize) -> (Vec<usize>, String) {
        let c = &self.clusters[ci];
        let vm = &self.vms[v];
        let spec = &self.scenario.design.vms[vm.entry];
        let mut hosts: Vec<usize> = c
            .members
            .iter()
            .enumerate()
            .filter_map(|(m, x)| match *x {
                Member::Host(h)
                    if c.node[m] == NodeState::Up
                        && self.health.host_up(h)
                        && !self.ops.is_paused(h)
                        && Some(h) != vm.avoid =>
                {
                    Some(h)
                }
                _ => None,
            })
            .collect();
        if hosts.is_empty() {
            return (hosts, format!("no node of {} is up to run it", c.name));
        }
        let switches: Vec<&str> = spec.nics.iter().map(|n| n.switch.as_str()).collect();
        let away = self.away_from_home(ci, v);
        let steps: [(&dyn Fn(usize) -> bool, String); 5] = [
            (
                &|h| {
                    away || spec.possible_owners.is_empty()
                        || spec.possible_owners.iter().any(|p| p == self.host_id(h))
                },
                format!(
                    "none of its possible owners ({}) is up",
                    spec.possible_owners.join(", ")
                ),
            ),
            (
                &|h| !spec.shielded || self.scenario.design.hosts[h].guarded,
                "it is shielded and no surviving node is a guarded host".to_string(),
            ),
            (
                // Hyper-V starts a VM only where every one of its virtual switches exists.
                &|h| away || switches.iter().all(|sw| self.net.host_has_switch(h, sw)),
                format!(
                    "no surviving node has its virtual switch {}",
                    switches.join(" and ")
                ),
            ),
            (
                &|h| self.storage_access(v, h).is_some(),
                format!(
                    "no surviving node can reach its disks on {}",
                    self.storage_text(v)
                ),
            ),
            (
                &|h| !c.enforce_anti_affinity || !self.anti_affinity_clash(v, h),
                format!(
                    "every surviving node already runs a VM of anti-affinity class {} (enforced)",
                    spec.anti_affinity.as_deref().unwrap_or("")
                ),
            ),
        ];
        for (keep, why) in steps {
            hosts.retain(|&h| keep(h));
            if hosts.is_empty() {
                return (hosts, why);
            }
        }
        (hosts, String::new())
    }

    /// VM `v` runs on cluster `ci` as a failed-over replica: none of its design's hosts is a
    /// node here, so its switches and owners (the primary site's) do not apply (a modelling
    /// choice: the replica side has its own network settings).
    pub(super) fn away_from_home(&self, ci: usize, v: usize) -> bool {
        let spec = &self.scenario.design.vms[self.vms[v].entry];
        !self.clusters[ci].members.iter().any(
            |m| matches!(m, Member::Host(h) if spec.hosts.iter().any(|x| x == self.host_id(*h))),
        )
    }

    pub(super) fn anti_affinity_clash(&self, v: usize, h: usize) -> bool {
        let d = &self.scenario.design;
        let Some(class) = d.vms[self.vms[v].entry].anti_affinity.as_ref() else {
            return false;
        };
        self.host_vms[h].iter().any(|&o| {
            o != v
                && self.vms[o].holds_memory()
                && d.vms[self.vms[o].entry].anti_affinity.as_ref() == Some(class)
        })
    }

    /// Preferred owners first, then nodes without an anti-affinity clash, then the most free memory.
    fn best_candidate(&self, v: usize, hosts: &[usize]) -> Option<usize> {
        let spec = &self.scenario.design.vms[self.vms[v].entry];
        let need = u64::from(self.vms[v].memory_gb);
        hosts
            .iter()
            .copied()
            .filter(|&h| {
                self.free_memory(h) >= need
                    && self.host_vms_running(h)
                        < crate::model::versions::limits(self.timing.version).host_vms as usize
            })
            .min_by_key(|&h| {
                let pref = spec
                    .preferred_owners
                    .iter()
                    .position(|p| p == self.host_id(h))
                    .unwrap_or(usize::MAX);
                (
                    pref,
                    self.anti_affinity_clash(v, h),
                    u64::MAX - self.free_memory(h),
                    h,
                )
            })
    }

    fn host_vms_running(&self, h: usize) -> usize {
        self.host_vms[h]
            .iter()
            .filter(|&&o| self.vms[o].holds_memory())
            .count()
    }

    /// A node where stopping lower-priority VMs frees enough memory, and those VMs.
    fn preemption(&self, v: usize, hosts: &[usize]) -> Option<(usize, Vec<usize>)> {
        let p = self.vms[v].priority;
        let need = u64::from(self.vms[v].memory_gb);
        for h in hosts {
            let mut victims: Vec<usize> = self.host_vms[*h]
                .iter()
                .copied()
                .filter(|&o| {
                    self.vms[o].holds_memory()
                        && self.vms[o].priority > p
                        && !matches!(self.vms[o].state, VmState::Migrating { .. })
                })
                .collect();
            // Lowest priority first, then the largest, so as few as possible stop.
            victims.sort_by_key(|&o| {
                (
                    std::cmp::Reverse(self.vms[o].priority),
                    std::cmp::Reverse(self.vms[o].memory_gb),
                    o,
                )
            });
            let mut free = self.free_memory(*h);
            let mut chosen = Vec::new();
            for o in victims {
                if free >= need {
                    break;
                }
                free += u64::from(self.vms[o].memory_gb);
                chosen.push(o);
            }
            if free >= need && !chosen.is_empty() {
                return Some((*h, chosen));
            }
        }
        None
    }

    /// A node left the active membership: its VMs go to the others.
    pub(super) fn node_left(&mut self, ci: usize, m: usize) {
        if self.clusters[ci].guest {
            self.ensure_role(ci);
            return;
        }
        let Some((h, vms)) = self.node_roles(ci, m, false) else {
            return;
        };
        let name = self.clusters[ci].name.clone();
        let alive = self.health.host_up(h);
        let isolated_too_long = self.clusters[ci].node[m] == NodeState::Down && alive;
        for &v in &vms {
            if alive && self.vms[v].holds_memory() {
                let why = if isolated_too_long {
                    format!(
                        "{} turned off: {} stayed isolated past the resiliency period and left {name}",
                        self.vms[v].id,
                        self.host_id(h)
                    )
                } else {
                    format!(
                        "{} stopped: {} lost quorum, so its cluster service stopped its roles",
                        self.vms[v].id,
                        self.host_id(h)
                    )
                };
                if let VmState::Migrating { .. } = self.vms[v].state {
                    self.set_vm(v, h, VmState::Running);
                }
                self.stop_vm(v, EventKind::VmStopped, why);
            }
            let vm = &mut self.vms[v];
            vm.unmonitored = false;
            if vm.state == VmState::Stopped && !vm.failed {
                vm.avoid = None;
                self.mark_pending(v);
            }
        }
        self.place_pending(ci);
    }

    /// The host of host-cluster member `m` and the VMs of cluster `ci` on it (only those holding
    /// memory when `running`). `None` for guest clusters.
    pub(super) fn node_roles(
        &self,
        ci: usize,
        m: usize,
        running: bool,
    ) -> Option<(usize, Vec<usize>)> {
        let Member::Host(h) = self.clusters[ci].members[m] else {
            return None;
        };
        let vms = self.host_vms[h]
            .iter()
            .copied()
            .filter(|&v| {
                self.vms[v].cluster == Some(ci) && (!running || self.vms[v].holds_memory())
            })
            .collect();
        Some((h, vms))
    }

    pub(super) fn node_isolated(&mut self, ci: usize, m: usize) {
        let Some((h, vms)) = self.node_roles(ci, m, true) else {
            return;
        };
        if vms.is_empty() {
            // A dead node: its VMs are down, but the cluster waits as for any isolated node.
            let Some((_, all)) = self.node_roles(ci, m, false) else {
                return;
            };
            let mut down: Vec<String> = all
                .iter()
                .filter(|&&v| !self.vms[v].pending && !self.vms[v].failed)
                .map(|&v| self.vms[v].id.clone())
                .collect();
            if down.is_empty() {
                return;
            }
            let msg = format!(
                "{} on {} {} shown Unmonitored, not failed over: the cluster waits for the node to come back, though {} down",
                super::names(&down),
                self.host_id(h),
                plural(down.len(), "is", "are"),
                plural(down.len(), "it is", "they are"),
            );
            down.push(self.host_id(h).to_string());
            self.emit(EventKind::VmUnmonitored, down, msg);
            return;
        }
        for &v in &vms {
            self.vms[v].unmonitored = true;
        }
        let mut subjects: Vec<String> = vms.iter().map(|&v| self.vms[v].id.clone()).collect();
        let msg = format!(
            "{} {} on isolated {} but {} Unmonitored: the cluster cannot see {} until the node returns",
            super::names(&subjects),
            plural(subjects.len(), "stays", "stay"),
            self.host_id(h),
            plural(subjects.len(), "is", "are"),
            plural(subjects.len(), "it", "them"),
        );
        subjects.push(self.host_id(h).to_string());
        self.emit(EventKind::VmUnmonitored, subjects, msg);
    }

    pub(super) fn node_monitored_again(&mut self, ci: usize, m: usize) {
        let Some((h, vms)) = self.node_roles(ci, m, false) else {
            return;
        };
        let watched: Vec<usize> = vms
            .iter()
            .copied()
            .filter(|&v| self.vms[v].unmonitored)
            .collect();
        for &v in &vms {
            self.vms[v].unmonitored = false;
        }
        if !watched.is_empty() {
            let mut subjects: Vec<String> =
                watched.iter().map(|&v| self.vms[v].id.clone()).collect();
            let msg = format!(
                "{} {} monitored again: {} is back in {}",
                super::names(&subjects),
                plural(subjects.len(), "is", "are"),
                self.host_id(h),
                self.clusters[ci].name
            );
            subjects.push(self.host_id(h).to_string());
            self.emit(EventKind::VmMonitored, subjects, msg);
        }
        // VMs that crashed while nobody watched are noticed now.
        for v in vms {
            let vm = &self.vms[v];
            if vm.state == VmState::Stopped && !vm.pending && !vm.failed {
                self.vm_failed(v);
            }
        }
    }

    /// A node (re)joined: waiting VMs may now fit, and VMs with failback move home.
    pub(super) fn node_rejoined_roles(&mut self, ci: usize, m: usize) {
        if self.clusters[ci].guest {
            self.ensure_role(ci);
            return;
        }
        self.place_pending(ci);
        let Member::Host(h) = self.clusters[ci].members[m] else {
            return;
        };
        // Only the VMs whose home just came back.
        let home = self.host_id(h).to_string();
        for v in 0..self.vms.len() {
            let spec = &self.scenario.design.vms[self.vms[v].entry];
            if self.vms[v].cluster == Some(ci) && spec.preferred_owners.first() == Some(&home) {
                self.try_failback(v);
            }
        }
    }

    /// Failback: a running VM that allows it moves home to its first preferred owner when that
    /// node is active, by live migration, within its failback window (else when it opens).
    pub(super) fn try_failback(&mut self, v: usize) {
        let vm = &self.vms[v];
        let spec = &self.scenario.design.vms[vm.entry];
        let (Some(_), Some(home)) = (vm.cluster, spec.preferred_owners.first()) else {
            return;
        };
        let Some(&h) = self.net.hosts.get(home) else {
            return;
        };
        // Home must be able to take it now: an active, unpaused node with the memory, the
        // storage, the switches (and a guarded host for a shielded VM) it needs.
        if !spec.failback || self.move_blocker(v, h).is_some() {
            return;
        }
        let home = home.clone();
        match self.failback_allowed(v) {
            Ok(()) => self.live_migrate(v, h, format!("fails back to its preferred owner {home}")),
            Err((why, at)) => {
                self.schedule(at, Ev::FailbackWindow { vm: v });
                let subjects = vec![self.vms[v].id.clone(), home];
                self.emit(EventKind::VmFailbackWaits, subjects, why);
            }
        }
    }

    /// Quarantine: move everything off by live migration; what cannot move stops.
    pub(super) fn drain_node(&mut self, ci: usize, m: usize) {
        let Some((h, vms)) = self.node_roles(ci, m, true) else {
            return;
        };
        for v in vms {
            self.vms[v].unmonitored = false;
            let (cands, why) = self.candidates(ci, v);
            let cands: Vec<usize> = cands.into_iter().filter(|&x| x != h).collect();
            match self.best_candidate(v, &cands) {
                Some(t) if self.vms[v].state == VmState::Running => {
                    self.live_migrate(v, t, format!("moves off quarantined {}", self.host_id(h)))
                }
                _ => {
                    let why = if why.is_empty() {
                        "no other node can take it".to_string()
                    } else {
                        why
                    };
                    self.stop_vm(
                        v,
                        EventKind::VmStopped,
                        format!(
                            "{} stopped: it cannot leave quarantined {} ({why})",
                            self.vms[v].id,
                            self.host_id(h)
                        ),
                    );
                    self.mark_pending(v);
                }
            }
        }
    }

    /// Live-migrates a VM, or queues it while its hosts already run as many live migrations
    /// as they take at once.
    pub(super) fn live_migrate(&mut self, v: usize, to: usize, why: String) {
        let h = self.vms[v].host;
        if self.lanes.is_waiting(v) {
            return;
        }
        if !self.lanes.take(h, to) {
            let n = self.lanes.wait(migration::Waiting {
                vm: v,
                from: h,
                to,
                why: why.clone(),
            });
            let msg = format!(
                "{} {why}: its live migration to {} waits ({n} waiting on {}): a host takes part in {} live migrations at once",
                self.vms[v].id,
                self.host_id(to),
                self.host_id(h),
                self.lanes.per_host()
            );
            let subjects = vec![self.vms[v].id.clone(), self.host_id(h).to_string()];
            self.emit(EventKind::VmMigrating, subjects, msg);
            return;
        }
        self.start_live_migration(v, to, why);
    }

    /// Starts the live migrations waiting for a slot that now has one.
    pub(super) fn start_waiting_migrations(&mut self) {
        while let Some(w) = self.lanes.start_next() {
            let still = self.vms[w.vm].state == VmState::Running && self.vms[w.vm].host == w.from;
            // The target may have filled up, been paused or left while the move waited.
            let blocked = if still {
                self.move_blocker(w.vm, w.to)
            } else {
                None
            };
            match (still, blocked) {
                (true, None) => self.start_live_migration(w.vm, w.to, w.why),
                (true, Some(why)) => {
                    self.lanes.release(w.from, w.to);
                    let msg = format!(
                        "live migration of {} to {} cannot start after waiting for a slot: {why}",
                        self.vms[w.vm].id,
                        self.host_id(w.to)
                    );
                    let subjects = vec![self.vms[w.vm].id.clone(), self.host_id(w.to).to_string()];
                    self.emit(EventKind::VmMigrationFailed, subjects, msg);
                    self.drain_watch(w.from);
                }
                (false, _) => self.lanes.release(w.from, w.to),
            }
        }
    }

    /// The copy: pre-copy rounds while the VM runs, then a short pause (see `migration`).
    fn start_live_migration(&mut self, v: usize, to: usize, why: String) {
        let h = self.vms[v].host;
        let copy = migration::precopy(
            self.vms[v].memory_gb,
            self.timing.live_migration_gbps,
            self.vms[v].write_mb_s,
        );
        let until = self.now + copy.total_ms();
        let since = self.now;
        self.set_vm(v, h, VmState::Migrating { to, since, until });
        let token = self.vms[v].token;
        let rounds = if copy.rounds == 1 {
            "1 round".to_string()
        } else {
            format!("{} rounds", copy.rounds)
        };
        let msg = format!(
            "{} {why}: live migration to {} copies {} GB of memory in {rounds} while it runs ({}), then pauses it {} to copy the last {} MB and switch over{}",
            self.vms[v].id,
            self.host_id(to),
            self.vms[v].memory_gb,
            fmt_ms(copy.copy_ms),
            fmt_ms(copy.blackout_ms),
            copy.last_mb,
            // Connections survive a pause under the TCP timeout.
            if copy.blackout_ms <= migration::TCP_TIMEOUT_MS {
                ", under the TCP timeout: no downtime"
            } else {
                ": longer than the TCP timeout, its clients' connections drop"
            }
        );
        let subjects = vec![
            self.vms[v].id.clone(),
            self.host_id(h).to_string(),
            self.host_id(to).to_string(),
        ];
        self.emit(EventKind::VmMigrating, subjects, msg);
        self.schedule(
            since + copy.copy_ms,
            Ev::MigrationBlackout {
                vm: v,
                token,
                drops: copy.blackout_ms > migration::TCP_TIMEOUT_MS,
            },
        );
        self.schedule(until, Ev::MigrationDone { vm: v, token });
    }

    /// Pre-copy is over: the VM is paused on its host for the last pages and the switch-over.
    /// Its guest sends no heartbeat meanwhile: a guest cluster with a short threshold may evict it.
    pub(super) fn migration_blackout(&mut self, v: usize, token: u32, drops: bool) {
        if self.vms[v].token != token || !matches!(self.vms[v].state, VmState::Migrating { .. }) {
            return;
        }
        self.vms[v].blackout = true;
        self.vms[v].blackout_drops = drops;
        self.vms[v].planned_down |= drops;
        self.dirty = true;
        self.vm_guest_changed(v);
    }

    pub(super) fn migration_done(&mut self, v: usize, token: u32) {
        let VmState::Migrating { to, .. } = self.vms[v].state else {
            return;
        };
        if self.vms[v].token != token {
            return;
        }
        let from = self.vms[v].host;
        // The target must still be an active node that the source can reach.
        let target_ok = self.vms[v]
            .cluster
            .is_none_or(|ci| self.host_node_up(ci, to))
            && self.reach.hosts_connected(from, to);
        if !target_ok {
            self.set_vm(v, from, VmState::Running);
            let msg = format!(
                "live migration of {} to {} failed: {} is no longer an active node it can reach; it keeps running on {}",
                self.vms[v].id,
                self.host_id(to),
                self.host_id(to),
                self.host_id(from)
            );
            let subjects = vec![self.vms[v].id.clone(), self.host_id(from).to_string()];
            self.emit(EventKind::VmMigrationFailed, subjects, msg);
            return;
        }
        self.set_vm(v, to, VmState::Running);
        self.vms[v].redirected = self.storage_access(v, to) == Some(true);
        let msg = format!(
            "{} now runs on {} (live migrated from {})",
            self.vms[v].id,
            self.host_id(to),
            self.host_id(from)
        );
        self.vms[v].reason = msg.clone();
        let subjects = vec![self.vms[v].id.clone(), self.host_id(to).to_string()];
        self.emit(EventKind::VmMigrated, subjects, msg);
        self.check_storage(v);
        self.vm_guest_changed(v);
    }

    /// VM Monitoring noticed the stopped service: restart the VM (in place first).
    pub(super) fn monitor_detect(&mut self, v: usize, token: u32) {
        let vm = &self.vms[v];
        if vm.token != token || !vm.app_failed || !vm.guest_up() || vm.unmonitored {
            return;
        }
        let id = vm.id.clone();
        let msg = format!(
            "VM Monitoring noticed that the service in {id} stopped: the cluster restarts the VM"
        );
        self.emit(EventKind::AppDetected, vec![id.clone()], msg);
        self.vm_resource_failed(
            v,
            format!("{id} is shut down by VM Monitoring to recover its service"),
        );
    }

    /// The VM stops (`why`) and its resource fails: the restart policy recovers it (in place
    /// first, then another node; a standalone host's recovery action) and guest clusters react.
    pub(super) fn vm_resource_failed(&mut self, v: usize, why: String) {
        if let VmState::Migrating { .. } = self.vms[v].state {
            let h = self.vms[v].host;
            self.set_vm(v, h, VmState::Running);
        }
        self.stop_vm(v, EventKind::VmStopped, why);
        self.vm_failed(v);
        self.vm_guest_changed(v);
    }

    /// What notices a hung guest OS: VM Monitoring (heartbeat or service level) through the
    /// integration-services heartbeat; guest and NLB clusters through their own heartbeats.
    pub(super) fn guest_hang_watchers(&mut self, v: usize) -> String {
        let spec = &self.scenario.design.vms[self.vms[v].entry];
        let mut notes = Vec::new();
        if self.vms[v].cluster.is_some() {
            match spec.monitoring {
                Monitoring::Heartbeat | Monitoring::Service => {
                    let token = self.vms[v].token;
                    let at = self.now + self.timing.vm_monitoring_detection_ms;
                    self.schedule(at, Ev::HeartbeatLost { vm: v, token });
                    notes.push(format!(
                        "VM Monitoring watches its integration-services heartbeat and will notice within {}",
                        fmt_ms(self.timing.vm_monitoring_detection_ms)
                    ));
                }
                Monitoring::None => notes.push(
                    "the host cluster does not notice: without VM Monitoring it sees only that the VM is running".to_string(),
                ),
            }
        } else {
            notes.push(
                "its standalone host does not notice: Hyper-V restarts a VM only when its worker process stops"
                    .to_string(),
            );
        }
        for c in &self.clusters {
            if c.guest && c.members.contains(&Member::Vm(v)) {
                notes.push(format!("guest cluster {} will miss its heartbeats", c.name));
            }
        }
        for n in &self.nlbs {
            if n.members.iter().any(|m| m.vm == v) {
                notes.push(format!(
                    "NLB cluster {} will miss its heartbeats and converge around it",
                    n.name
                ));
            }
        }
        notes.join("; ")
    }

    /// VM Monitoring lost the guest's heartbeat: the VM resource fails (restart in place, then move).
    pub(super) fn heartbeat_lost(&mut self, v: usize, token: u32) {
        let vm = &self.vms[v];
        if vm.token != token || !vm.hung || vm.unmonitored || !vm.state.guest_up() {
            return;
        }
        let id = vm.id.clone();
        let msg = format!(
            "VM Monitoring lost the integration-services heartbeat of {id}: the cluster treats the VM as failed"
        );
        self.emit(EventKind::AppDetected, vec![id.clone()], msg);
        self.vm_resource_failed(
            v,
            format!("{id} is turned off by the cluster to recover its hung guest"),
        );
    }

    /// What each watcher will (or will not) notice when the application in `v` fails.
    pub(super) fn app_failure_watchers(&mut self, v: usize) -> String {
        let spec = &self.scenario.design.vms[self.vms[v].entry];
        let clustered = self.vms[v].cluster.is_some();
        let mut notes = Vec::new();
        if clustered {
            match spec.monitoring {
                Monitoring::Service if self.timing.version >= crate::model::Version::W2012R2 => {
                    let token = self.vms[v].token;
                    self.schedule(self.now + self.timing.vm_monitoring_detection_ms, Ev::MonitorDetect { vm: v, token });
                    notes.push(format!("VM Monitoring watches its service and will notice within {}", fmt_ms(self.timing.vm_monitoring_detection_ms)));
                }
                Monitoring::Service | Monitoring::Heartbeat => notes.push(
                    "the host cluster does not notice: the integration-services heartbeat still answers because the guest OS is fine".into(),
                ),
                Monitoring::None => notes.push(
                    "the host cluster does not notice: it watches only that the VM is running (no VM Monitoring)".into(),
                ),
            }
        }
        for ci in 0..self.clusters.len() {
            if let super::state::RoleState::Online { owner }
            | super::state::RoleState::Starting { owner, .. } = self.clusters[ci].role
                && self.clusters[ci].guest
                && self.clusters[ci].members[owner] == Member::Vm(v)
            {
                let token = self.clusters[ci].role_token;
                self.schedule(
                    self.now + self.timing.resource_health_check_ms,
                    Ev::RoleHealth { cluster: ci, token },
                );
                notes.push(format!(
                    "guest cluster {} checks its role's health every {}",
                    self.clusters[ci].name,
                    fmt_ms(self.timing.resource_health_check_ms)
                ));
            }
        }
        if self
            .nlbs
            .iter()
            .any(|n| n.members.iter().any(|m| m.vm == v))
        {
            notes.push("NLB keeps sending it its share of requests: NLB checks only that the member is alive".into());
        }
        notes.join("; ")
    }

    /// Starts a stopped VM on the host it last ran on, if it can; `recovery`: Hyper-V's
    /// automatic recovery action after a crash on a standalone host.
    pub(super) fn restart_on_own_host(&mut self, v: usize, recovery: bool) {
        let h = self.vms[v].host;
        let (id, host, boot) = (
            &self.vms[v].id,
            self.host_id(h),
            fmt_ms(self.vms[v].boot_ms),
        );
        match self.start_blocker(v, h) {
            None => {
                let why = if recovery {
                    format!(
                        "{id} restarts on {host} through Hyper-V's automatic recovery action (cold boot, {boot}); its host is not clustered, so it cannot move to another host"
                    )
                } else {
                    format!("{id} starts on {host} (cold boot, {boot})")
                };
                self.boot(v, h, EventKind::VmRestarting, why);
            }
            Some(why) if recovery => self.not_restarted(
                v,
                format!("{why}, and its host is not clustered, so it cannot move"),
            ),
            Some(why) => self.not_restarted(v, why),
        }
    }
}
