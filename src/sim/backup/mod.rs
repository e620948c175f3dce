//! Backups: each job takes a restore point of its VMs on a schedule and writes it to a
//! repository (a storage component), keeps a week of them, and can boot-test each one. When
//! data is lost (`loss`) a VM comes back from its latest good point (`restore`): by copying the
//! disk back, or by booting straight from the repository (instant recovery).
//!
//! Its own state (`Backups`) and timers (`Ev::BackupRun`, `Ev::BackupStored`,
//! `Ev::BackupVerified`, `Ev::RestoreCopied`, `Ev::RestoreServing`, `Ev::InstantMigrated`).
//! It reads the engine's VMs and network; it changes a VM only when data is lost or restored.

mod loss;
mod restore;

pub use loss::Loss;

use super::{Engine, Ev, EventKind};
use crate::model::recovery::MIN_POINTS;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a restore or backup moves when no cable on its path says (Mbit/s): a 1 Gbit/s LAN
/// (a modelling choice).
pub const LAN_MBPS: u64 = 1_000;
/// A verification (SureBackup) boots the point in an isolated lab, then runs its heartbeat, ping
/// and application tests: the VM's boot plus this (a modelling choice).
pub const VERIFY_TESTS_MS: u64 = 60_000;
const DAY_MS: i64 = 86_400_000;

/// One restore point of one VM.
#[derive(Clone, Debug)]
struct Point {
    vm: usize,
    /// The moment it holds (negative: before the run began).
    taken_ms: i64,
    /// In the repository from then (`None`: still on its way).
    ready: bool,
    /// The start of a chain (a full backup); the others are incrementals.
    full: bool,
    app_consistent: bool,
    /// Why it cannot be restored: encrypted, or taken of corrupt data.
    bad: Option<String>,
    /// The run that took it (its chain is `run.div_euclid(per_chain)`).
    run: i64,
}

/// One backup job and its restore points.
#[derive(Clone, Debug)]
struct Job {
    vms: Vec<usize>,
    repo: usize,
    every_ms: i64,
    keep_ms: i64,
    app_consistent: bool,
    verify: bool,
    immutable: bool,
    /// Runs per chain: a full every week (at least every run).
    per_chain: i64,
    /// The next run's number (run 0 was the last before the run began).
    next_run: i64,
    points: Vec<Point>,
}

/// Every backup job, what was lost and what is being restored.
#[derive(Clone, Debug, Default)]
pub(super) struct Backups {
    jobs: Vec<Job>,
    /// VM instances whose data is lost, and how.
    lost: BTreeMap<usize, Loss>,
    restores: BTreeMap<usize, restore::Restoring>,
    /// Restores' timers carry it, so a stopped restore's are ignored.
    token: u32,
}

/// What the page and the tests read about one VM's backups.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct BackupView {
    pub vm: String,
    pub repository: String,
    /// Restore points that can be restored.
    pub good_points: usize,
    pub points: usize,
    /// Age of its latest good restore point: what a restore now would lose.
    pub rpo_ms: Option<u64>,
    /// How its data was lost, if it was.
    pub lost: Option<String>,
    /// A restore is copying its disk back, or it runs from the repository (slow I/O).
    pub restoring: Option<String>,
}

impl Engine {
    /// Builds the jobs with the restore points their schedule took before the run began, and
    /// queues their next runs.
    pub(super) fn init_backups(&mut self) {
        let jobs = self.scenario.recovery.backups.clone();
        for b in &jobs {
            let Some(&repo) = self.net.storage.get(&b.to) else {
                continue; // validation reports it
            };
            let every_ms = i64::from(b.every_h) * 3_600_000;
            let mut job = Job {
                vms: b.vms.iter().filter_map(|r| self.vm_index(r)).collect(),
                repo,
                every_ms,
                keep_ms: i64::from(b.keep_days) * DAY_MS,
                app_consistent: b.app_consistent,
                verify: b.verify,
                immutable: b.immutable,
                per_chain: (7 * 24 / i64::from(b.every_h.max(1))).max(1),
                next_run: 1,
                points: Vec::new(),
            };
            let last = -i64::from(b.last_min_ago) * 60_000;
            // Back through the retention and one more chain; retention then trims.
            let runs = (job.keep_ms + 8 * DAY_MS) / every_ms + 1;
            for run in -runs..=0 {
                for &vm in &job.vms {
                    job.points.push(Point {
                        vm,
                        taken_ms: last + run * every_ms,
                        ready: true,
                        full: (run - 1).rem_euclid(job.per_chain) == 0 || run == -runs,
                        app_consistent: b.app_consistent,
                        bad: None,
                        run,
                    });
                }
            }
            retain(&mut job, 0);
            let next = (last + every_ms) as u64;
            let i = self.backups.jobs.len();
            self.backups.jobs.push(job);
            self.schedule(next, Ev::BackupRun { job: i });
        }
    }

    /// A scheduled run: a restore point of each VM whose host reaches the repository.
    pub(super) fn backup_run(&mut self, j: usize) {
        let now = self.now;
        let job = &mut self.backups.jobs[j];
        let run = job.next_run;
        job.next_run += 1;
        let every = job.every_ms as u64;
        self.schedule(now + every, Ev::BackupRun { job: j });
        for k in 0..self.backups.jobs[j].vms.len() {
            let v = self.backups.jobs[j].vms[k];
            match self.backup_blocker(j, v) {
                Some(why) => {
                    let (vm, repo) = self.backup_names(j, v);
                    self.emit(
                        EventKind::BackupMissed,
                        vec![vm.clone(), repo.clone()],
                        format!("{vm}'s backup to {repo} did not run: {why}"),
                    );
                }
                None => self.take_point(j, v, run),
            }
        }
    }

    fn backup_blocker(&self, j: usize, v: usize) -> Option<String> {
        let job = &self.backups.jobs[j];
        let vm = &self.vms[v];
        let repo = self.storage_id(job.repo);
        if let Some(Loss::Deleted { .. }) = self.backups.lost.get(&v) {
            return Some(format!("{} was deleted", vm.id));
        }
        if self.backups.restores.contains_key(&v) {
            return Some(format!("{} is being restored", vm.id));
        }
        let h = vm.host;
        if !self.health.host_up(h) {
            return Some(format!("its host {} is down", self.host_id(h)));
        }
        if !self.reach.host_reaches_storage(&self.net, h, job.repo) {
            return Some(format!("{} cannot reach {repo}", self.host_id(h)));
        }
        None
    }

    /// Takes a point now; it is in the repository once its changes (or, for a full, the whole
    /// disk) crossed the path from the VM's host.
    fn take_point(&mut self, j: usize, v: usize, run: i64) {
        let now = self.now as i64;
        let (disk_gb, mb_per_min) = self.scenario.recovery.disk_of(&self.vms[v].id);
        let job = &self.backups.jobs[j];
        let full = (run - 1).rem_euclid(job.per_chain) == 0;
        let since = (job.points.iter())
            .filter(|p| p.vm == v)
            .map(|p| p.taken_ms)
            .max()
            .unwrap_or(now - job.every_ms);
        let disk_mb = u64::from(disk_gb) * 1024;
        let changed_mb =
            (u64::from(mb_per_min) * (now - since).max(0) as u64 / 60_000).min(disk_mb);
        // A weekly full is synthesized in the repository from the chain: only the changes cross.
        let mb = changed_mb;
        let mbps = self.repo_mbps(self.vms[v].host, job.repo);
        let took = super::transfer_ms(mb, mbps);
        let app = job.app_consistent && self.vms[v].guest_up();
        let bad = self.backups.lost.get(&v).map(|l| l.in_copies());
        let job = &mut self.backups.jobs[j];
        job.points.push(Point {
            vm: v,
            taken_ms: now,
            ready: false,
            full,
            app_consistent: app,
            bad,
            run,
        });
        self.schedule(
            self.now + took,
            Ev::BackupStored {
                job: j,
                vm: v,
                run: run as u32,
            },
        );
    }

    /// A point reached the repository: it can be restored from now; retention trims the oldest.
    pub(super) fn backup_stored(&mut self, j: usize, v: usize, run: u32) {
        let now = self.now;
        let job = &mut self.backups.jobs[j];
        let Some(p) = (job.points.iter_mut()).find(|p| p.vm == v && p.run == i64::from(run)) else {
            return;
        };
        p.ready = true;
        let (taken, full, app, bad) = (p.taken_ms, p.full, p.app_consistent, p.bad.clone());
        let verify = job.verify;
        let before = job.points.iter().filter(|p| p.vm == v).count();
        retain(job, now as i64);
        let removed = before - job.points.iter().filter(|p| p.vm == v).count();
        let (vm, repo) = self.backup_names(j, v);
        let kind = if full { "a full" } else { "an incremental" };
        let consistency = if app {
            "application-consistent"
        } else {
            "crash-consistent"
        };
        let mut msg = format!(
            "{vm} backed up to {repo}: {kind}, {consistency} restore point of {}",
            restore::fmt_point(taken)
        );
        if let Some(bad) = &bad {
            msg += &format!(" (of no use: {bad})");
        }
        if removed > 0 {
            msg += &format!(
                "; retention removed its {removed} oldest point(s), past {} days",
                self.backups.jobs[j].keep_ms / DAY_MS
            );
        }
        self.emit(EventKind::BackupTaken, vec![vm, repo], msg);
        self.note_copies(v);
        if verify {
            let at = now + self.vms[v].boot_ms + VERIFY_TESTS_MS;
            self.schedule(at, Ev::BackupVerified { job: j, vm: v, run });
        }
    }

    /// SureBackup booted the point in its isolated lab and ran its tests.
    pub(super) fn backup_verified(&mut self, j: usize, v: usize, run: u32) {
        let job = &self.backups.jobs[j];
        let Some(p) = (job.points.iter()).find(|p| p.vm == v && p.run == i64::from(run)) else {
            return;
        };
        let (taken, bad) = (p.taken_ms, p.bad.clone());
        let (vm, repo) = self.backup_names(j, v);
        let msg = match bad {
            None => format!(
                "verification of {vm}'s restore point of {} in {repo} passed: it booted in an isolated lab and answered the heartbeat, ping and application tests",
                restore::fmt_point(taken)
            ),
            Some(why) => format!(
                "verification of {vm}'s restore point of {} in {repo} FAILED: {why}; the application test did not pass",
                restore::fmt_point(taken)
            ),
        };
        self.emit(EventKind::BackupVerified, vec![vm, repo], msg);
    }

    /// The rate a backup or restore moves data between a host and a repository (Mbit/s): the
    /// slowest cable with a bandwidth on the route, else a LAN's.
    fn repo_mbps(&self, h: usize, repo: usize) -> u64 {
        use crate::model::network::Node;
        self.slowest_cable(Node::Host(h), Node::Storage(repo))
            .unwrap_or(LAN_MBPS)
            .max(1)
    }

    fn storage_id(&self, st: usize) -> &str {
        &self.scenario.design.storage[st].id
    }

    fn backup_names(&self, j: usize, v: usize) -> (String, String) {
        (
            self.vms[v].id.clone(),
            self.storage_id(self.backups.jobs[j].repo).to_string(),
        )
    }

    /// Why VM instance `v` cannot boot (its disks are gone or encrypted), if so.
    pub(super) fn unbootable(&self, v: usize) -> Option<String> {
        if let Some(r) = self.backups.restores.get(&v)
            && !r.serving_started()
        {
            return Some("its disk is still being copied back from the backup".into());
        }
        self.backups.lost.get(&v).and_then(Loss::unbootable)
    }

    /// Its data is corrupt: it boots, its application fails.
    pub(super) fn data_corrupt(&self, v: usize) -> bool {
        matches!(self.backups.lost.get(&v), Some(Loss::Corrupt { .. }))
    }

    /// A failover to its replica brought back data from `point_ms`: clean if taken before the
    /// loss (a corruption already there went with it).
    pub(super) fn replica_brings_back(&mut self, v: usize, point_ms: u64) {
        if self.backups.lost.get(&v).is_some_and(|l| point_ms < l.at()) {
            self.backups.lost.remove(&v);
        }
    }

    /// The moment VM instance `v`'s latest good copy holds (replica point or good restore
    /// point), if it has any.
    pub(super) fn best_point(&self, v: usize) -> Option<i64> {
        let backup = (self.backups.jobs.iter())
            .flat_map(|j| j.points.iter())
            .filter(|p| p.vm == v && p.ready && p.bad.is_none())
            .map(|p| p.taken_ms);
        let replica = self.replica_point(v).map(|p| p as i64);
        backup.chain(replica).max()
    }

    /// Every VM instance with a replica or a backup job.
    pub(super) fn protected_vms(&self) -> Vec<usize> {
        let mut out: Vec<usize> = (self.backups.jobs.iter())
            .flat_map(|j| j.vms.iter().copied())
            .chain((0..self.vms.len()).filter(|&v| self.replica_point(v).is_some()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The age of VM `vm`'s latest good copy, replica point or restore point: what a disaster
    /// now would lose (`None`: it has neither).
    pub fn rpo_ms(&self, vm: &str) -> Option<u64> {
        let point = self.vm_index(vm).and_then(|v| self.best_point(v))?;
        Some((self.now as i64 - point).max(0) as u64)
    }

    /// A restore is under way (copying a disk, booting, or moving an instant recovery's disk).
    pub fn restoring(&self) -> bool {
        !self.backups.restores.is_empty()
    }

    /// Where each protected VM's backups stand now.
    pub fn backups(&self) -> Vec<BackupView> {
        let now = self.now as i64;
        let mut out = Vec::new();
        for job in &self.backups.jobs {
            for &v in &job.vms {
                let mine = || job.points.iter().filter(move |p| p.vm == v && p.ready);
                let good = mine().filter(|p| p.bad.is_none());
                out.push(BackupView {
                    vm: self.vms[v].id.clone(),
                    repository: self.storage_id(job.repo).to_string(),
                    good_points: good.clone().count(),
                    points: mine().count(),
                    rpo_ms: good.map(|p| (now - p.taken_ms) as u64).min(),
                    lost: self.backups.lost.get(&v).map(|l| l.words().to_string()),
                    restoring: (self.backups.restores.get(&v))
                        .filter(|r| r.repo() == job.repo)
                        .map(|r| r.words()),
                });
            }
        }
        out
    }
}

impl Engine {
    /// Lost data never runs: a deleted or encrypted VM is off unless a restore or a failover
    /// brought it back; a VM being copied back is off; no restore point is from the future; a
    /// job keeps at least its minimum of points; an immutable job's points are never encrypted.
    pub(super) fn backup_invariants(&self) -> Result<(), String> {
        use super::state::VmState;
        for (&v, loss) in &self.backups.lost {
            let vm = &self.vms[v];
            if loss.unbootable().is_some() && vm.state != VmState::Stopped {
                return Err(format!("{} runs, but it was {}", vm.id, loss.words()));
            }
        }
        for (&v, r) in &self.backups.restores {
            if !r.instant() && !r.serving_started() && self.vms[v].state != VmState::Stopped {
                return Err(format!(
                    "{} runs while its disk is being copied back",
                    self.vms[v].id
                ));
            }
        }
        let now = self.now as i64;
        for job in &self.backups.jobs {
            for &v in &job.vms {
                let n = job.points.iter().filter(|p| p.vm == v).count();
                if n < MIN_POINTS {
                    return Err(format!("{} keeps only {n} restore points", self.vms[v].id));
                }
            }
            if let Some(p) = job.points.iter().find(|p| p.taken_ms > now) {
                return Err(format!(
                    "a restore point of {} is from the future",
                    self.vms[p.vm].id
                ));
            }
            if job.immutable
                && let Some(p) = (job.points.iter()).find(|p| {
                    p.bad
                        .as_deref()
                        .is_some_and(|b| b.starts_with("ransomware"))
                })
            {
                return Err(format!(
                    "an immutable restore point of {} was encrypted",
                    self.vms[p.vm].id
                ));
            }
        }
        Ok(())
    }
}

/// Forward incremental retention: a chain (a full and its incrementals) goes once its newest
/// point is older than the retention, while at least `MIN_POINTS` stay.
fn retain(job: &mut Job, now: i64) {
    for k in 0..job.vms.len() {
        let v = job.vms[k];
        loop {
            let mine: Vec<&Point> = job.points.iter().filter(|p| p.vm == v).collect();
            let Some(oldest) = mine
                .iter()
                .map(|p| (p.run - 1).div_euclid(job.per_chain))
                .min()
            else {
                break;
            };
            let chain: Vec<&&Point> = (mine.iter())
                .filter(|p| (p.run - 1).div_euclid(job.per_chain) == oldest)
                .collect();
            let newest = chain.iter().map(|p| p.taken_ms).max().unwrap_or(now);
            let outdated = now - newest > job.keep_ms;
            if !outdated || mine.len() - chain.len() < MIN_POINTS {
                break;
            }
            job.points
                .retain(|p| p.vm != v || (p.run - 1).div_euclid(job.per_chain) != oldest);
        }
    }
}
