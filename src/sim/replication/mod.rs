//! Hyper-V Replica: every cycle the primary sends the changes its protected VM wrote since the
//! last one to the replica server, over the network between them. What the replica holds is a
//! recovery point; its age is what an unplanned failover would lose (the RPO). A cut or slow
//! WAN makes cycles miss, the point ages, the replica's health turns Warning then Critical,
//! and the next cycle that gets through sends everything that piled up.
//!
//! Its own state (`Replication`) and timers (`Ev::ReplicaCycle`, `Ev::ReplicaSent`); it reads
//! the engine's VMs and network and changes nothing else.

pub(super) mod azure;
mod broker;
mod test_failover;

use super::state::VmState;
use super::{Engine, Ev, EventKind, fmt_ms};
use crate::model::network::Node;
use serde::Serialize;

/// The replica's health, as Hyper-V Manager shows it.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaHealth {
    Normal,
    Warning,
    Critical,
}

/// Warning when more than this share of the monitoring interval's cycles missed, or when no
/// cycle got through for longer than `WARNING_AFTER_MS` ("Interpreting Replication Health").
pub const WARNING_MISSED_PERCENT: u64 = 20;
pub const WARNING_AFTER_MS: u64 = 3_600_000;
/// The monitoring interval: its statistics start again every 12 hours (the default).
pub const MONITORING_INTERVAL_MS: u64 = 12 * 3_600_000;
/// Critical when the changes waiting to be sent pass half the VM's disk: the replica needs a
/// resynchronization ("Resynchronization of virtual machines in Hyper-V Replica").
pub const RESYNC_PERCENT_OF_DISK: u64 = 50;

/// One protected VM and where its replica stands.
#[derive(Clone, Debug)]
pub(super) struct Link {
    /// The primary VM instance and the replica server.
    vm: usize,
    to: usize,
    every_ms: u64,
    mb_per_min: u64,
    /// The slowest cable on the path (Mbit/s); `None`: nothing limits it.
    bandwidth_mbps: Option<u64>,
    /// The replica holds the VM's data as of this moment.
    point_ms: u64,
    /// A cycle in flight: the moment its changes were taken, and when they arrive.
    sending: Option<(u64, u64)>,
    /// Cycles missed since the last one that arrived.
    missed: u32,
    /// The monitoring interval's cycles and missed cycles, and when it began.
    cycles: u64,
    missed_in_interval: u64,
    interval_from: u64,
    /// The VM's disk (MB): past half of it in waiting changes, the replica needs a resync.
    disk_mb: u64,
    /// A resynchronization is needed: the next cycle that gets through sends the whole disk.
    resync: bool,
    /// The storage the replica's files are on (the VM runs from it after a failover).
    storage: Option<usize>,
    /// A planned failover waits for these last changes to arrive.
    planned: bool,
    /// After an unplanned failover replication stops until it is reversed (not modelled yet).
    stopped: bool,
    /// The primary it failed over from (unplanned), and its storage: where a reverse
    /// replication sends to.
    old_primary: Option<(usize, Option<usize>)>,
    /// A test failover's copy on the replica server: since when, the point it started from,
    /// and whether it has booted.
    test: Option<test_failover::TestCopy>,
    /// Additional recovery points (one an hour, the oldest first) and how many are kept.
    hourly: Vec<u64>,
    keep_hourly: usize,
    health: ReplicaHealth,
    token: u32,
    /// The replica cluster whose Replica Broker places the replica on a node.
    broker: Option<usize>,
    /// Network errors in a row: Site Recovery backs off after each.
    network_errors: u32,
}

impl Link {
    /// What the VM wrote since the replica's point (MB): what a cycle now would send.
    fn waiting_mb(&self, now: u64) -> u64 {
        self.mb_per_min * (now - self.point_ms) / 60_000
    }
}

/// Every replication relationship of the scenario.
#[derive(Clone, Debug, Default)]
pub(super) struct Replication {
    links: Vec<Link>,
    /// Test failovers started so far (each test's generation).
    tests: u32,
}

/// What the page and the tests read about one replica.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ReplicaView {
    pub vm: String,
    pub to: String,
    /// Age of the latest recovery point: what an unplanned failover now would lose.
    pub rpo_ms: u64,
    pub health: ReplicaHealth,
    /// A cycle is on its way: it started at this moment.
    pub sending_since: Option<u64>,
    /// It failed over (or is failing over): no failover is offered again.
    pub failed_over: bool,
    /// A test failover's copy, in words ("`sql - Test` running, isolated, from 10 min").
    pub testing: Option<String>,
    /// It failed over unplanned and replication can be reversed to its old primary.
    pub reversible: bool,
    /// Additional (hourly) recovery points kept, oldest first.
    pub hourly_points: Vec<u64>,
}

impl Engine {
    /// Builds the relationships and queues their first cycles. Initial replication is taken as
    /// done before the run starts (a modelling choice): the replica holds t = 0.
    pub(super) fn init_replication(&mut self) {
        let replicas = self.scenario.recovery.replicas.clone();
        for r in &replicas {
            // A cluster's broker places the replica on a node; Azure's compute has the site's id.
            let broker = self.host_cluster(&r.to);
            let to = match broker {
                Some(ci) => self.broker_node(ci),
                None => self.net.hosts.get(&r.to).copied(),
            };
            let (Some(vm), Some(to)) = (self.vm_index(&r.vm), to) else {
                continue; // validation reports it
            };
            let every_ms = u64::from(r.every_s) * 1000;
            let from = self.vms[vm].host;
            let link = Link {
                vm,
                to,
                every_ms,
                mb_per_min: u64::from(r.change_mb_per_min),
                bandwidth_mbps: self.bottleneck(from, to),
                point_ms: 0,
                sending: None,
                missed: 0,
                cycles: 0,
                missed_in_interval: 0,
                interval_from: 0,
                disk_mb: u64::from(r.disk_gb) * 1024,
                resync: false,
                storage: match r.to_azure(&self.scenario.design) {
                    true => self.net.storage.get(&azure::disks_id(&r.to)).copied(),
                    false => (r.replica_storage(&self.scenario.design))
                        .and_then(|id| self.net.storage.get(id).copied()),
                },
                planned: false,
                stopped: false,
                old_primary: None,
                test: None,
                hourly: Vec::new(),
                keep_hourly: r.hourly_points as usize,
                health: ReplicaHealth::Normal,
                token: 0,
                broker,
                network_errors: 0,
            };
            let i = self.replication.links.len();
            self.replication.links.push(link);
            self.schedule(every_ms, Ev::ReplicaCycle { link: i });
        }
    }

    /// The slowest cable with a bandwidth on the cabled route between two hosts.
    fn bottleneck(&self, a: usize, b: usize) -> Option<u64> {
        self.slowest_cable(Node::Host(a), Node::Host(b))
    }

    /// The slowest cable with a bandwidth on the cabled route between two nodes (Mbit/s).
    pub(super) fn slowest_cable(&self, a: Node, b: Node) -> Option<u64> {
        let route = self.net.route(a, b)?;
        route
            .windows(2)
            .filter_map(|w| {
                let i = self
                    .net
                    .links
                    .iter()
                    .position(|l| *l == Some((w[0], w[1])) || *l == Some((w[1], w[0])))?;
                self.scenario.design.links[i].bandwidth_mbps
            })
            .min()
            .map(u64::from)
    }

    /// A replication cycle: send what the VM wrote since the replica's point, or say why not.
    pub(super) fn replica_cycle(&mut self, i: usize) {
        let now = self.now;
        self.broker_keeps(i);
        let l = &mut self.replication.links[i];
        let every = l.every_ms;
        if now - l.interval_from >= MONITORING_INTERVAL_MS {
            (l.interval_from, l.cycles, l.missed_in_interval) = (now, 0, 0);
        }
        l.cycles += 1;
        let l = &self.replication.links[i];
        if l.stopped {
            self.schedule(now + every, Ev::ReplicaCycle { link: i });
            return;
        }
        let v = &self.vms[l.vm];
        let running = matches!(v.state, VmState::Running | VmState::Migrating { .. });
        let network_error =
            l.sending.is_none() && running && !self.reach.hosts_connected(v.host, l.to);
        let to_azure = self.is_azure(l.to);
        // Site Recovery retries a network error with a back-off; Hyper-V Replica every cycle.
        let errors = if network_error {
            l.network_errors + 1
        } else {
            0
        };
        let next = if to_azure && network_error {
            azure::retry_after_ms(errors)
        } else {
            every
        };
        let why_not = if let Some((since, _)) = l.sending {
            Some(format!(
                "the changes of the cycle that started at {} are still on their way",
                fmt_ms(since)
            ))
        } else if !running {
            Some(format!("{} is not running on its primary", v.id))
        } else if network_error && to_azure {
            Some(format!(
                "{} cannot reach Azure ({}); Site Recovery retries in {}",
                self.host_id(v.host),
                self.host_id(l.to),
                fmt_ms(next)
            ))
        } else if network_error {
            Some(format!(
                "{} cannot reach the replica server {}",
                self.host_id(v.host),
                self.host_id(l.to)
            ))
        } else {
            None
        };
        self.replication.links[i].network_errors = errors;
        self.schedule(now + next, Ev::ReplicaCycle { link: i });
        match why_not {
            Some(why) => self.replica_missed(i, &why),
            None => self.replica_send(i),
        }
    }

    fn replica_send(&mut self, i: usize) {
        let (_, took, token) = self.start_sending(i);
        self.schedule(self.now + took, Ev::ReplicaSent { link: i, token });
    }

    /// Puts what is to be sent now on its way (the changes since the point, or the whole disk
    /// for a resynchronization): its size (MB), how long it takes, and its timer's token.
    fn start_sending(&mut self, i: usize) -> (u64, u64, u32) {
        let now = self.now;
        let l = &mut self.replication.links[i];
        let mb = if l.resync {
            l.disk_mb
        } else {
            l.waiting_mb(now)
        };
        // Megabytes to megabits, over the slowest cable.
        let took = l.bandwidth_mbps.map_or(0, |bw| super::transfer_ms(mb, bw));
        l.token += 1;
        l.sending = Some((now, now + took));
        (mb, took, l.token)
    }

    /// The VM's id and its replica server's, for the log.
    fn replica_names(&self, i: usize) -> (String, String) {
        let l = &self.replication.links[i];
        (self.vms[l.vm].id.clone(), self.host_id(l.to).to_string())
    }

    /// The network or a host changed: changes on their way over a path that broke are lost
    /// (the next cycle sends them again).
    pub(super) fn replication_paths_changed(&mut self) {
        for i in 0..self.replication.links.len() {
            self.test_lost_with_server(i);
            self.broker_keeps(i);
            let l = &self.replication.links[i];
            if l.sending.is_none() || self.reach.hosts_connected(self.vms[l.vm].host, l.to) {
                continue;
            }
            let from = self.host_id(self.vms[l.vm].host).to_string();
            let l = &mut self.replication.links[i];
            l.sending = None;
            l.token += 1;
            if l.planned {
                // The planned failover's last changes did not arrive: it stops, the VM is off.
                l.planned = false;
                let point = l.point_ms;
                // No longer planned: the VM is down by a failure from here on.
                let v = l.vm;
                self.vms[v].planned_down = false;
                let (vm, to) = self.replica_names(i);
                self.emit(
                    EventKind::ReplicaFailover,
                    vec![vm.clone(), to.clone()],
                    format!(
                        "the planned failover of {vm} to {to} did not complete: the connection from {from} broke before its last changes arrived. {vm} stays off on {from}: fail it over unplanned, from its point of {}, losing what it wrote since",
                        fmt_ms(point)
                    ),
                );
                continue;
            }
            self.replica_missed(
                i,
                &format!("the connection from {from} broke while its changes were on their way"),
            );
        }
    }

    /// The cycle's changes reached the replica: it now holds the moment the cycle began.
    pub(super) fn replica_sent(&mut self, i: usize, token: u32) {
        let l = &mut self.replication.links[i];
        let Some((since, _)) = l.sending.filter(|_| l.token == token) else {
            return;
        };
        l.sending = None;
        l.point_ms = since;
        // An additional recovery point an hour, the oldest dropped past the count kept.
        if l.keep_hourly > 0 && l.hourly.last().is_none_or(|&h| since >= h + 3_600_000) {
            l.hourly.push(since);
            if l.hourly.len() > l.keep_hourly {
                l.hourly.remove(0);
            }
        }
        let v = l.vm;
        self.note_copies(v);
        let l = &self.replication.links[i];
        if l.planned {
            self.planned_failover_arrived(i);
            return;
        }
        let l = &mut self.replication.links[i];
        let (missed, resync) = (l.missed, l.resync);
        l.missed = 0;
        l.resync = false;
        if missed > 0 || resync {
            let (vm, to) = self.replica_names(i);
            let what = if resync {
                "the resynchronization".to_string()
            } else {
                format!("the changes of {missed} missed cycle(s)")
            };
            self.emit(
                EventKind::ReplicationResumed,
                vec![vm.clone(), to.clone()],
                format!(
                    "{vm}'s replica on {to} caught up: {what}, sent at {}, arrived; it holds {vm} as of {}",
                    fmt_ms(since),
                    fmt_ms(since)
                ),
            );
        }
        self.replica_health(i);
    }

    /// Health as Hyper-V Replica judges it: Critical while a resynchronization is needed,
    /// Warning when over a fifth of the interval's cycles missed or none got through for an hour.
    fn replica_health(&mut self, i: usize) {
        let now = self.now;
        let l = &mut self.replication.links[i];
        if !l.resync && l.waiting_mb(now) * 100 > l.disk_mb * RESYNC_PERCENT_OF_DISK {
            l.resync = true;
        }
        let (health, why) = if l.resync {
            (
                ReplicaHealth::Critical,
                format!(
                    "Critical: the changes waiting to be sent passed half of its {} GB disk, so the replica needs a resynchronization (the next cycle that gets through sends the whole disk)",
                    l.disk_mb / 1024
                ),
            )
        } else if l.missed_in_interval * 100 > l.cycles * WARNING_MISSED_PERCENT {
            (
                ReplicaHealth::Warning,
                format!(
                    "Warning: {} of the {} cycles of this monitoring interval missed, more than a fifth",
                    l.missed_in_interval, l.cycles
                ),
            )
        } else if now - l.point_ms > WARNING_AFTER_MS && l.sending.is_none() {
            (
                ReplicaHealth::Warning,
                "Warning: no replication got through for over an hour".to_string(),
            )
        } else {
            (ReplicaHealth::Normal, "Normal".to_string())
        };
        if health == l.health {
            return;
        }
        l.health = health;
        let (vm, to) = self.replica_names(i);
        self.emit(
            EventKind::ReplicaHealthChanged,
            vec![vm.clone(), to],
            format!("{vm}'s replication health is {why}"),
        );
    }

    fn replica_missed(&mut self, i: usize, why: &str) {
        let now = self.now;
        let l = &mut self.replication.links[i];
        l.missed += 1;
        l.missed_in_interval += 1;
        let (age, every) = (now - l.point_ms, l.every_ms);
        let (vm, to) = self.replica_names(i);
        self.emit(
            EventKind::ReplicationMissed,
            vec![vm.clone(), to.clone()],
            format!(
                "{vm}'s replication to {to} missed its {} cycle: {why}. Its latest recovery point is {} old: an unplanned failover now would lose that much",
                fmt_ms(every),
                fmt_ms(age)
            ),
        );
        self.replica_health(i);
    }

    /// An administrator's failover of a VM to its replica server, or why it cannot run.
    pub(super) fn failover(&mut self, vm: &str, planned: bool) {
        self.broker_keeps_vm(vm);
        let i = match self.failover_blocker(vm, planned) {
            Ok(i) => i,
            Err(why) => return self.refuse(vec![vm.to_string()], why),
        };
        self.end_test(i, "a failover ends it");
        if planned {
            self.planned_failover(i);
        } else {
            let point = self.replication.links[i].point_ms;
            self.unplanned_failover(i, point);
        }
    }

    /// An unplanned failover from the latest recovery point kept at or before `at`.
    pub(super) fn failover_to_point(&mut self, vm: &str, at: u64) {
        self.broker_keeps_vm(vm);
        let subjects = vec![vm.to_string()];
        let i = match self.failover_blocker(vm, false) {
            Ok(i) => i,
            Err(why) => return self.refuse(subjects, why),
        };
        self.end_test(i, "a failover ends it");
        let l = &self.replication.links[i];
        let kept: Vec<u64> = l.hourly.iter().copied().chain([l.point_ms]).collect();
        match kept.iter().copied().filter(|&p| p <= at).max() {
            Some(point) => self.unplanned_failover(i, point),
            None => {
                let oldest = kept.iter().min().copied().unwrap_or(0);
                self.refuse(
                    subjects,
                    format!(
                        "{vm} has no recovery point at or before {}: the oldest it keeps is from {} ({} additional hourly point(s))",
                        fmt_ms(at),
                        fmt_ms(oldest),
                        l.hourly.len()
                    ),
                )
            }
        }
    }

    /// The relationship to fail over, or why not.
    fn failover_blocker(&self, vm: &str, planned: bool) -> Result<usize, String> {
        let v = self
            .vm_index(vm)
            .ok_or_else(|| format!("{vm} is not a VM"))?;
        let i = (self.replication.links.iter())
            .position(|l| l.vm == v)
            .ok_or_else(|| format!("{vm} is not replicated: it has no replica to fail over to"))?;
        let l = &self.replication.links[i];
        let (host, to) = (self.host_id(self.vms[v].host), self.host_id(l.to));
        if l.stopped || l.planned {
            return Err(format!(
                "{vm} is already failing over or failed over to {to}"
            ));
        }
        if !self.health.host_up(l.to) {
            return Err(format!("{vm}'s replica server {to} is down"));
        }
        if planned && l.resync {
            return Err(format!(
                "{vm}'s replica on {to} needs a resynchronization first (the whole disk is being sent): a planned failover needs the replica in step, else fail over unplanned"
            ));
        }
        let running = self.vms[v].state != VmState::Stopped;
        if planned
            && !(self.vms[v].state.guest_up() && self.reach.hosts_connected(self.vms[v].host, l.to))
        {
            return Err(format!(
                "a planned failover of {vm} needs it running on {host} and {host} reaching {to}: for a lost primary, fail over unplanned"
            ));
        }
        if !planned && running {
            return Err(format!(
                "{vm} still runs on its primary {host}: an unplanned failover is for a lost primary (a planned failover loses nothing)"
            ));
        }
        Ok(i)
    }

    /// The primary is lost: start the replica from recovery point `point` (the latest, or one
    /// chosen). What the VM wrote after that point, until it went down, is lost.
    fn unplanned_failover(&mut self, i: usize, point: u64) {
        let now = self.now;
        let l = &mut self.replication.links[i];
        l.token += 1;
        l.sending = None;
        l.stopped = true;
        let latest = point == l.point_ms;
        l.point_ms = point;
        // Its points were of the old direction: a reversal starts a new series.
        l.hourly.clear();
        let (v, to, storage) = (l.vm, l.to, l.storage);
        l.old_primary = Some((self.vms[v].host, self.vms[v].storage));
        let down_at = self.vms[v].down_since.unwrap_or(now);
        let lost = down_at.saturating_sub(point);
        self.replica_brings_back(v, point);
        self.record_data_lost(v, lost);
        let (vm, to_id) = self.replica_names(i);
        self.emit(
            EventKind::ReplicaFailover,
            vec![vm.clone(), to_id.clone()],
            format!(
                "{vm} fails over to its replica on {to_id}, unplanned: it starts from its {} recovery point, {}; what it wrote in the {} before its primary went down at {} is lost. Replication stops until it is reversed",
                if latest { "latest" } else { "chosen" },
                fmt_ms(point),
                fmt_ms(lost),
                fmt_ms(down_at)
            ),
        );
        let cluster = self.replication.links[i].broker;
        self.start_replica(
            v,
            to,
            storage,
            cluster,
            format!("{vm} starts from its replica on {to_id}"),
        );
    }

    /// The primary is up: shut the VM down, send its last changes, then start the replica.
    fn planned_failover(&mut self, i: usize) {
        let now = self.now;
        let l = &mut self.replication.links[i];
        let v = l.vm;
        l.planned = true;
        // Its last changes: a planned failover sends them, not a resynchronization.
        l.resync = false;
        let (mb, took, token) = self.start_sending(i);
        let (vm, to) = self.replica_names(i);
        // Out of its cluster's hands: nothing restarts it on the primary side.
        self.vms[v].cluster = None;
        self.vms[v].pending = false;
        self.vms[v].planned_down = true;
        self.stop_vm(
            v,
            EventKind::VmStopped,
            format!(
                "{vm} shut down for a planned failover to {to}: its last changes ({mb} MB) go to the replica first, {} on the way",
                fmt_ms(took)
            ),
        );
        self.schedule(now + took, Ev::ReplicaSent { link: i, token });
    }

    /// A planned failover's last changes arrived: nothing is lost; the replica starts and
    /// replication reverses (the old primary is now the replica server).
    fn planned_failover_arrived(&mut self, i: usize) {
        if self.is_azure(self.replication.links[i].to) {
            return self.planned_failover_to_azure(i);
        }
        let from = self.vms[self.replication.links[i].vm].host;
        let broker = self.broker_of_host(from);
        let l = &mut self.replication.links[i];
        l.planned = false;
        let replica_cluster = std::mem::replace(&mut l.broker, broker);
        let (v, to, storage) = (l.vm, l.to, l.storage);
        // Reversed: the replica's files are now on the old primary's storage.
        l.to = from;
        l.hourly.clear();
        l.storage = self.vms[v].storage;
        l.missed = 0;
        (l.cycles, l.missed_in_interval, l.interval_from) = (0, 0, self.now);
        let (vm, to_id, from_id) = (
            self.vms[v].id.clone(),
            self.host_id(to).to_string(),
            self.host_id(from).to_string(),
        );
        self.emit(
            EventKind::ReplicaFailover,
            vec![vm.clone(), to_id.clone()],
            format!(
                "{vm} fails over to {to_id}, planned: its last changes arrived, nothing is lost; replication is reversed, {to_id} now replicates {vm} to {from_id}"
            ),
        );
        let bw = self.bottleneck(to, from);
        self.replication.links[i].bandwidth_mbps = bw;
        self.start_replica(
            v,
            to,
            storage,
            replica_cluster,
            format!("{vm} starts from its replica on {to_id}"),
        );
    }

    /// Site Recovery's planned failover to Azure: nothing is lost, the Azure VM starts, and
    /// replication stops; re-protecting (reversing) it is a step of its own.
    fn planned_failover_to_azure(&mut self, i: usize) {
        let l = &mut self.replication.links[i];
        l.planned = false;
        l.stopped = true;
        l.hourly.clear();
        let (v, to, storage) = (l.vm, l.to, l.storage);
        l.old_primary = Some((self.vms[v].host, self.vms[v].storage));
        let (vm, to_id) = self.replica_names(i);
        self.emit(
            EventKind::ReplicaFailover,
            vec![vm.clone(), to_id.clone()],
            format!(
                "{vm} fails over to Azure ({to_id}), planned: its last changes arrived, nothing is lost. Site Recovery creates the Azure VM from the replica; replication stops until it is reversed (re-protected) to the old primary"
            ),
        );
        let cluster = self.replication.links[i].broker;
        self.start_replica(
            v,
            to,
            storage,
            cluster,
            format!("{vm} starts as an Azure VM in {to_id}"),
        );
    }

    /// Boots the VM from the replica's files on the replica server; on a replica cluster it
    /// is one of the cluster's roles from then on.
    fn start_replica(
        &mut self,
        v: usize,
        to: usize,
        storage: Option<usize>,
        cluster: Option<usize>,
        why: String,
    ) {
        let vm = &mut self.vms[v];
        vm.cluster = cluster;
        vm.pending = false;
        vm.failed = false;
        vm.storage = storage;
        self.boot(v, to, EventKind::VmRestarting, why);
    }

    /// Host `h` is Azure's compute (Site Recovery: retries back off, a planned failover to it
    /// does not reverse replication).
    fn is_azure(&self, h: usize) -> bool {
        let d = &self.scenario.design;
        d.is_azure_compute(&d.hosts[h])
    }

    /// VM instance `v` failed over (or is failing over) to its replica.
    pub(super) fn failed_over(&self, v: usize) -> bool {
        (self.replication.links.iter()).any(|l| l.vm == v && (l.stopped || l.planned))
    }

    /// The moment VM instance `v`'s replica holds, if it has one.
    pub(super) fn replica_point(&self, v: usize) -> Option<u64> {
        (self.replication.links.iter())
            .filter(|l| l.vm == v)
            .map(|l| l.point_ms)
            .max()
    }

    /// Where each replica stands now.
    pub fn replicas(&self) -> Vec<ReplicaView> {
        self.replication
            .links
            .iter()
            .map(|l| ReplicaView {
                vm: self.vms[l.vm].id.clone(),
                to: self.host_id(l.to).to_string(),
                rpo_ms: self.now - l.point_ms,
                health: l.health,
                sending_since: l.sending.map(|(s, _)| s),
                failed_over: l.stopped || l.planned,
                testing: l.test.as_ref().map(|t| t.words(&self.vms[l.vm].id)),
                reversible: l.stopped && l.old_primary.is_some(),
                hourly_points: l.hourly.clone(),
            })
            .collect()
    }
}
