//! The deterministic discrete-event engine. No web types: it runs natively and in wasm32.
//!
//! Time is integer milliseconds; events are ordered by (time, sequence); all randomness comes
//! from one `Xoshiro256PlusPlus` seeded from the scenario (identical streams on every target).
//! Handlers change state and push log events that say why.

pub mod actions;
mod backup;
mod chunks;
mod faults;
mod fork;
mod guest;
mod heartbeats;
mod invariants;
mod membership;
mod metrics;
pub mod migration;
mod nlb;
mod operations;
mod ordering;
mod placement;
mod plans;
pub mod player;
mod replication;
mod snapshot;
pub mod state;
mod storage;
mod tally;

pub use backup::BackupView;
pub use faults::describe;
pub use metrics::{Metrics, Sample};
pub use operations::{DrainStatus, describe_op};
pub use replication::{ReplicaHealth, ReplicaView};
pub use snapshot::{
    ClusterView, HEARTBEAT_VISUAL_MS, Heartbeat, HostView, NlbView, NodeView, RING_ABOVE, Snapshot,
    VmView,
};

use crate::model::network::{Health, Net, Reach};
use crate::model::validate::{Problem, Severity};
use crate::model::{Scenario, ScheduledFault, Timing};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;
use state::{ClusterState, NlbState, VmInst};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What happened, for the log.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    ClusterFormed,
    Fault,
    Repair,
    HeartbeatsMissed,
    NodeDown,
    NodeIsolated,
    NodeQuarantined,
    NodeJoined,
    QuorumLost,
    QuorumRegained,
    QuorumKept,
    /// An operator forced quorum, or the cluster left the forced state.
    QuorumForced,
    VotesChanged,
    VmStopped,
    VmRestarting,
    VmFailover,
    VmRunning,
    VmNotRestarted,
    VmPaused,
    VmResumed,
    VmRedirectedIo,
    VmDirectIo,
    VmUnmonitored,
    VmMonitored,
    VmMigrating,
    VmMigrated,
    VmMigrationFailed,
    VmPreempted,
    VmStartWaits,
    VmFailbackWaits,
    VmFailed,
    VmRetry,
    AppFailed,
    AppDetected,
    AppRecovered,
    GuestHung,
    GuestResumed,
    RoleOffline,
    RoleStarting,
    RoleOnline,
    NlbConvergenceStarted,
    NlbConverged,
    NlbConvergenceStuck,
    NlbMemberCutOff,
    /// A planned operation from the script (the administrator's action).
    Operation,
    /// An operation that cannot run now, and why.
    OperationRefused,
    /// An operation that waits (AddEvictDelay), and until when.
    OperationWaits,
    NodePaused,
    NodeResumed,
    DrainCompleted,
    DrainFailed,
    /// A node left its cluster gracefully (shut down), handing its vote over.
    NodeLeft,
    NodeStarted,
    NodeAdded,
    /// A step of a Cluster-Aware Updating run.
    UpdatingRun,
    UpdatingDone,
    UpdatingStopped,
    /// A Hyper-V Replica cycle that did not get through, and why.
    ReplicationMissed,
    /// Replication got through again after missed cycles.
    ReplicationResumed,
    ReplicaHealthChanged,
    /// A VM failed over to its replica (planned or not), with what was lost; or its replication
    /// was reversed.
    ReplicaFailover,
    /// A step of a test failover (the isolated copy starts, runs, is deleted).
    TestFailover,
    /// A step of a recovery plan: its start, a wait or manual action, a group, its end and RTO.
    RecoveryPlan,
    /// A VM's data was lost (deleted, corrupted, encrypted), or a repository's copies were.
    DataLost,
    /// A restore point reached its repository (and retention trimmed the oldest).
    BackupTaken,
    /// A scheduled backup that could not run, and why.
    BackupMissed,
    /// A verification boot-tested a restore point: passed or failed.
    BackupVerified,
    RestoreStarted,
    /// A restored VM serves again (with what was lost and how long it was out), or an instant
    /// recovery's disk is back on production storage.
    RestoreDone,
}

/// One line of the event log.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub t_ms: u64,
    pub kind: EventKind,
    /// Ids of the components involved (VM instances as `entry#k` when replicated).
    pub subjects: Vec<String>,
    pub message: String,
}

/// Timers and inputs on the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Ev {
    Fault(usize),
    Op(usize),
    Heartbeat {
        cluster: usize,
        sender: usize,
        delay: u64,
    },
    BootDone {
        vm: usize,
        token: u32,
    },
    MigrationDone {
        vm: usize,
        token: u32,
    },
    /// A live migration slot freed up: start what waits for one.
    MigrationSlots,
    /// Pre-copy is over: the VM pauses for the switch-over.
    MigrationBlackout {
        vm: usize,
        token: u32,
        drops: bool,
    },
    QuickMigrationDone {
        vm: usize,
        token: u32,
    },
    /// A VM of a draining host changed: the drain may be over.
    DrainCheck {
        host: usize,
    },
    /// VM load balancing's periodic pass.
    Balance {
        cluster: usize,
    },
    /// An add that waited for AddEvictDelay.
    AddNodeLater {
        host: usize,
        cluster: usize,
    },
    /// Cluster-Aware Updating's next step.
    Updating {
        cluster: usize,
        token: u32,
    },
    MonitorDetect {
        vm: usize,
        token: u32,
    },
    RoleHealth {
        cluster: usize,
        token: u32,
    },
    RoleOnline {
        cluster: usize,
        token: u32,
    },
    ResiliencyExpired {
        cluster: usize,
        member: usize,
        token: u32,
    },
    QuarantineEnd {
        cluster: usize,
        member: usize,
        token: u32,
    },
    PausedTimeout {
        vm: usize,
        token: u32,
    },
    RetryFailed {
        vm: usize,
        token: u32,
    },
    HeartbeatLost {
        vm: usize,
        token: u32,
    },
    /// Waiting VMs of a cluster may start now (start order, cluster sets).
    Recheck {
        cluster: usize,
    },
    /// A failback window opens for this VM.
    FailbackWindow {
        vm: usize,
    },
    NlbRound {
        nlb: usize,
        delay: u64,
    },
    NlbConverged {
        nlb: usize,
        token: u32,
    },
    /// A Hyper-V Replica cycle of one relationship.
    ReplicaCycle {
        link: usize,
    },
    ReplicaSent {
        link: usize,
        token: u32,
    },
    /// A recovery plan's next step.
    PlanStep {
        run: usize,
    },
    /// A test failover's copy finished booting.
    TestBooted {
        link: usize,
        token: u32,
    },
    /// A backup job's scheduled run.
    BackupRun {
        job: usize,
    },
    BackupStored {
        job: usize,
        vm: usize,
        run: u32,
    },
    BackupVerified {
        job: usize,
        vm: usize,
        run: u32,
    },
    RestoreCopied {
        vm: usize,
        token: u32,
    },
    RestoreServing {
        vm: usize,
        token: u32,
    },
    InstantMigrated {
        vm: usize,
        token: u32,
    },
}

/// A running simulation of one scenario.
#[derive(Clone)]
pub struct Engine {
    /// What the engine was built from (a copy's added faults are in its script, not here):
    /// shared, so a copy does not copy the design.
    pub scenario: std::sync::Arc<Scenario>,
    net: Net,
    timing: Timing,
    health: Health,
    reach: Reach,
    now: u64,
    seq: u64,
    /// The next key for an entry queued before all others (see `fork`).
    first: u64,
    queue: BinaryHeap<Reverse<(u64, u64, Ev)>>,
    /// Heartbeat schedules with nothing to do, not queued until something happens.
    sleepers: heartbeats::Sleepers,
    rng: Xoshiro256PlusPlus,
    faults: Vec<ScheduledFault>,
    vms: chunks::Chunks<VmInst>,
    /// First instance index of each VM entry.
    entry_first: Vec<usize>,
    clusters: Vec<ClusterState>,
    nlbs: Vec<NlbState>,
    log: Vec<Event>,
    metrics: Metrics,
    /// Something visible changed since metrics were last sampled.
    dirty: bool,
    processed: u64,
    /// Memory held on each host (GB) and the VMs whose current or last host it is.
    host_mem: Vec<u64>,
    host_vms: Vec<Vec<usize>>,
    /// Live migrations running and waiting on each host (see `migration`).
    lanes: migration::Lanes,
    /// Planned operations: their script and what they leave behind (paused, drained, off).
    ops: operations::Ops,
    /// Which VMs wait for a node and which booted lately: start order reads these, not every VM.
    starts: ordering::Starts,
    /// Sums over the VMs for the metrics, kept up to date (see `tally`).
    tally: tally::Tally,
    /// Hyper-V Replica relationships and where each replica stands.
    replication: replication::Replication,
    /// Backup jobs, their restore points, lost data and restores.
    backups: backup::Backups,
    /// Recovery plans under way.
    plans: plans::Plans,
}

impl Engine {
    /// Builds the engine at t = 0, or returns the design's errors.
    pub fn new(scenario: &Scenario) -> Result<Engine, Vec<Problem>> {
        let errors: Vec<Problem> = scenario
            .validate()
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        // Azure's compute stands in as a host of the engine's own (see `replication::azure`).
        let with_azure = replication::azure::with_azure_compute(scenario);
        let scenario = with_azure.as_ref().unwrap_or(scenario);
        let net = Net::new(&scenario.design);
        let health = Health::new(&net);
        let reach = Reach::new(&net, &health);
        let mut faults = scenario.faults.clone();
        faults.sort_by_key(|f| f.at_ms);
        let mut e = Engine {
            timing: Timing::from_settings(&scenario.settings),
            scenario: std::sync::Arc::new(scenario.clone()),
            net,
            health,
            reach,
            now: 0,
            seq: fork::FIRST_KEYS,
            first: 0,
            queue: BinaryHeap::new(),
            rng: Xoshiro256PlusPlus::seed_from_u64(scenario.seed),
            faults,
            vms: chunks::Chunks::default(),
            entry_first: Vec::new(),
            clusters: Vec::new(),
            nlbs: Vec::new(),
            log: Vec::new(),
            metrics: Metrics::default(),
            dirty: true,
            processed: 0,
            sleepers: heartbeats::Sleepers::default(),
            host_mem: Vec::new(),
            host_vms: Vec::new(),
            lanes: migration::Lanes::new(
                scenario.design.hosts.len(),
                if scenario.settings.version == crate::model::Version::W2008R2 {
                    migration::LANES_2008R2
                } else {
                    migration::LANES_PER_HOST
                },
            ),
            ops: operations::Ops::new(scenario.design.hosts.len(), &scenario.operations),
            starts: ordering::Starts::default(),
            tally: tally::Tally::default(),
            replication: replication::Replication::default(),
            backups: backup::Backups::default(),
            plans: plans::Plans::default(),
        };
        // Faults first: at equal times a fault precedes the heartbeat it would stop.
        for i in 0..e.faults.len() {
            let at = e.faults[i].at_ms;
            e.schedule(at, Ev::Fault(i));
        }
        // Then operations: at equal times a fault comes first (the operator reacts to it).
        let ops: Vec<(usize, u64)> = e.ops.times().collect();
        for (i, at) in ops {
            e.schedule(at, Ev::Op(i));
        }
        e.init_vms();
        e.init_clusters();
        e.init_nlbs();
        e.init_replication();
        e.init_backups();
        for v in e.protected_vms() {
            e.note_copies(v);
        }
        e.start_balancing();
        e.sample_metrics();
        Ok(e)
    }

    /// Current simulated time.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// The event log so far.
    pub fn events(&self) -> &[Event] {
        &self.log
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Queue entries handled so far (heartbeat rounds and timers included).
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// When the next queued entry is due, if any.
    pub fn next_at(&mut self) -> Option<u64> {
        self.next_entry().map(|Reverse((at, _, _))| *at)
    }

    /// Handles every event up to and including `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: u64) {
        while let Some(&Reverse((at, _, _))) = self.next_entry() {
            if at > t {
                break;
            }
            self.step_one();
        }
        self.now = self.now.max(t);
    }

    /// Advances to the next moment that adds to the log (or to `limit`); returns whether it did.
    pub fn step(&mut self, limit: u64) -> bool {
        let before = self.log.len();
        while self.log.len() == before {
            match self.next_entry() {
                Some(&Reverse((at, _, _))) if at <= limit => self.step_one(),
                _ => {
                    self.now = self.now.max(limit);
                    return false;
                }
            }
        }
        // Finish everything else that happens at the same instant.
        let now = self.now;
        self.run_until(now);
        true
    }

    /// Handles exactly one queued entry if it is due by `limit` (for invariant checks).
    pub fn advance(&mut self, limit: u64) -> bool {
        match self.next_entry() {
            Some(&Reverse((at, _, _))) if at <= limit => {
                self.step_one();
                true
            }
            _ => false,
        }
    }

    fn step_one(&mut self) {
        let Some(Reverse((at, key, ev))) = self.queue.pop() else {
            return;
        };
        debug_assert!(at >= self.now, "time never goes backwards");
        self.now = at;
        self.processed += 1;
        if self.handle(ev) {
            self.changed_by(key);
        }
        // One sample per instant, from its last event: a burst of events at one moment (a host's
        // VMs failing over) costs one recount, not one per event. The samples are the same.
        let now = self.now;
        let instant_over = self
            .next_entry()
            .is_none_or(|Reverse((next, _, _))| *next > now);
        if self.dirty && instant_over {
            self.sample_metrics();
        }
    }

    /// Handles one entry; returns whether it may have changed anything (only a heartbeat round
    /// can tell it did not).
    fn handle(&mut self, ev: Ev) -> bool {
        match ev {
            Ev::Heartbeat {
                cluster,
                sender,
                delay,
            } => return self.heartbeat_round(cluster, sender, delay),
            Ev::NlbRound { nlb, delay } => return self.nlb_round(nlb, delay),
            _ => {}
        }
        match ev {
            Ev::Fault(i) => self.apply_fault(i),
            Ev::Op(i) => self.apply_op(i),
            Ev::QuickMigrationDone { vm, token } => self.quick_migration_done(vm, token),
            Ev::DrainCheck { host } => self.drain_progress(host),
            Ev::Balance { cluster } => self.balance_tick(cluster),
            Ev::Updating { cluster, token } => self.updating_tick(cluster, token),
            Ev::AddNodeLater { host, cluster } => self.add_node_later(host, cluster),
            Ev::Heartbeat { .. } | Ev::NlbRound { .. } => unreachable!("handled above"),
            Ev::BootDone { vm, token } => self.boot_done(vm, token),
            Ev::MigrationDone { vm, token } => self.migration_done(vm, token),
            Ev::MigrationSlots => self.start_waiting_migrations(),
            Ev::MigrationBlackout { vm, token, drops } => self.migration_blackout(vm, token, drops),
            Ev::MonitorDetect { vm, token } => self.monitor_detect(vm, token),
            Ev::RoleHealth { cluster, token } => self.role_health(cluster, token),
            Ev::RoleOnline { cluster, token } => self.role_online(cluster, token),
            Ev::ResiliencyExpired {
                cluster,
                member,
                token,
            } => self.resiliency_expired(cluster, member, token),
            Ev::QuarantineEnd {
                cluster,
                member,
                token,
            } => self.quarantine_end(cluster, member, token),
            Ev::PausedTimeout { vm, token } => self.paused_timeout(vm, token),
            Ev::RetryFailed { vm, token } => self.retry_failed(vm, token),
            Ev::HeartbeatLost { vm, token } => self.heartbeat_lost(vm, token),
            Ev::Recheck { cluster } => self.place_pending(cluster),
            Ev::FailbackWindow { vm } => self.try_failback(vm),
            Ev::NlbConverged { nlb, token } => self.nlb_converged(nlb, token),
            Ev::ReplicaCycle { link } => self.replica_cycle(link),
            Ev::ReplicaSent { link, token } => self.replica_sent(link, token),
            Ev::TestBooted { link, token } => self.test_booted(link, token),
            Ev::PlanStep { run } => self.plan_step(run),
            Ev::BackupRun { job } => self.backup_run(job),
            Ev::BackupStored { job, vm, run } => self.backup_stored(job, vm, run),
            Ev::BackupVerified { job, vm, run } => self.backup_verified(job, vm, run),
            Ev::RestoreCopied { vm, token } => self.restore_copied(vm, token),
            Ev::RestoreServing { vm, token } => self.restore_serving(vm, token),
            Ev::InstantMigrated { vm, token } => self.instant_migrated(vm, token),
        }
        true
    }

    /// Queues `ev` at `at`. At one instant, entries run in the order they were queued, and
    /// heartbeat rounds run after everything else, in a fixed order (`round_key`): a round's
    /// place never depends on when it was queued, so rounds with nothing to do need not be
    /// queued at all (see `heartbeats`).
    fn schedule(&mut self, at: u64, ev: Ev) {
        let key = round_key(&ev).unwrap_or_else(|| {
            self.seq += 1;
            self.seq
        });
        self.queue.push(Reverse((at, key, ev)));
    }

    fn emit(&mut self, kind: EventKind, subjects: Vec<String>, message: String) {
        self.dirty = true;
        self.log.push(Event {
            t_ms: self.now,
            kind,
            subjects,
            message,
        });
    }

    /// Recomputes reachability after the network or a host changed.
    fn network_changed(&mut self) {
        self.reach = Reach::new(&self.net, &self.health);
        self.dirty = true;
        self.replication_paths_changed();
    }

    fn host_id(&self, h: usize) -> &str {
        &self.scenario.design.hosts[h].id
    }
}

/// Runs a whole scenario up to `until_ms` and returns the engine (for its log and metrics).
///
/// ```
/// use clusterlab::model::Scenario;
/// let text = std::fs::read_to_string("examples/host-cluster.json").unwrap();
/// let scenario = Scenario::from_json(&text).unwrap();
/// let engine = clusterlab::sim::run(&scenario, 120_000).unwrap();
/// let lost = engine.events().iter().find(|e| e.kind == clusterlab::sim::EventKind::NodeIsolated).unwrap();
/// assert!(lost.message.starts_with("host-2 is Isolated"));
/// ```
pub fn run(scenario: &Scenario, until_ms: u64) -> Result<Engine, Vec<Problem>> {
    let mut e = Engine::new(scenario)?;
    e.run_until(until_ms);
    Ok(e)
}

/// A stable 64-bit FNV-1a hash of the event log as JSON lines: equal on every platform.
pub fn trace_hash(events: &[Event]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for e in events {
        let line = serde_json::to_string(e).expect("events serialize");
        for b in line.bytes().chain(std::iter::once(b'\n')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// `a, b, c` — or `a, b, c and 61 more` for long lists of names in messages.
pub(crate) fn names<S: AsRef<str>>(items: &[S]) -> String {
    const SHOWN: usize = 6;
    let shown: Vec<&str> = items.iter().take(SHOWN).map(|s| s.as_ref()).collect();
    if items.len() > SHOWN {
        format!("{} and {} more", shown.join(", "), items.len() - SHOWN)
    } else {
        shown.join(", ")
    }
}

/// `12.5 s`, `4 min` — times in messages.
pub fn fmt_ms(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) && ms < 120_000 {
        format!("{} s", ms / 1000)
    } else if ms < 120_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else if ms.is_multiple_of(60_000) && ms < 7_200_000 {
        format!("{} min", ms / 60_000)
    } else if ms < 7_200_000 {
        format!("{:.1} min", ms as f64 / 60_000.0)
    } else {
        format!("{:.1} h", ms as f64 / 3_600_000.0)
    }
}

/// How long `mb` megabytes take over `mbps` megabits a second (ms, rounded up): replication's
/// cycles, backups and restores all move data this way.
pub(crate) fn transfer_ms(mb: u64, mbps: u64) -> u64 {
    (mb * 8 * 1000).div_ceil(mbps.max(1))
}

/// The singular or plural word for a count, for messages.
pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Heartbeat rounds' keys start here; every other entry's key is below.
const ROUND_KEYS: u64 = 1 << 63;

/// The place of a heartbeat round among the entries of its instant: after every other entry,
/// cluster heartbeats (by cluster, sender and delay) before NLB heartbeats (by NLB cluster and
/// delay). Other entries keep the order they were queued in.
fn round_key(ev: &Ev) -> Option<u64> {
    let delay = |d: u64| d.min((1 << 24) - 1);
    match *ev {
        Ev::Heartbeat {
            cluster,
            sender,
            delay: d,
        } => Some(ROUND_KEYS | ((cluster as u64) << 42) | ((sender as u64) << 24) | delay(d)),
        Ev::NlbRound { nlb, delay: d } => Some((3 << 62) | ((nlb as u64) << 24) | delay(d)),
        _ => None,
    }
}
