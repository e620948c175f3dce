//! Recovery from backup, as Veeam does it on Hyper-V. A full (entire VM) restore copies the
//! disk from the repository to production storage, registers the VM on a host and boots it. An
//! instant recovery boots it straight from the backup file in the repository (slow I/O), and
//! moves its disk to production storage in the background while it runs.

use super::super::{Engine, Ev, EventKind, fmt_ms};
use super::Point;
use crate::model::StorageKind;

/// A restore in progress.
#[derive(Clone, Debug)]
pub(super) struct Restoring {
    instant: bool,
    to: usize,
    /// The point restored and the moment the data was lost.
    point_ms: i64,
    lost_at: u64,
    repo: usize,
    /// Production storage its disk goes to.
    storage: usize,
    cluster: Option<usize>,
    /// How its data was lost (put back if the restore stops before it boots).
    lost: Option<super::Loss>,
    /// Booted and serving (an instant recovery's disk may still be on its way).
    serving: bool,
    /// Told to boot.
    booted: bool,
    token: u32,
}

impl Restoring {
    pub(super) fn repo(&self) -> usize {
        self.repo
    }

    pub(super) fn instant(&self) -> bool {
        self.instant
    }

    /// Its disk is back and it was told to boot (a full restore's VM may run from then).
    pub(super) fn serving_started(&self) -> bool {
        self.booted
    }

    pub(super) fn words(&self) -> String {
        match (self.instant, self.serving) {
            (false, _) => "copying its disk back".into(),
            (true, false) => "booting from the repository".into(),
            (true, true) => "running from the repository (slow I/O), disk moving back".into(),
        }
    }
}

impl Engine {
    /// The administrator restores VM `vm` onto host `to` from its latest good restore point.
    pub(in crate::sim) fn restore(&mut self, vm: &str, to: usize, instant: bool) {
        let plan = self
            .vm_index(vm)
            .ok_or_else(|| format!("{vm} is not a VM"))
            .and_then(|v| self.restore_plan(v, to).map(|p| (v, p)));
        let (v, (point, repo, storage)) = match plan {
            Ok(p) => p,
            Err(why) => return self.refuse(vec![vm.to_string()], why),
        };
        let id = self.vms[v].id.clone();
        // The loss stays on record until the VM boots from the restored disk (backups skip it
        // meanwhile); a restore that stops puts things back as they were.
        let lost = self.backups.lost.get(&v).cloned();
        let cluster = lost.as_ref().and_then(|l| l.cluster()).or_else(|| {
            self.vms[v].pending = false;
            self.vms[v].cluster.take()
        });
        let lost_at = lost.as_ref().map_or(self.now, |l| l.at());
        let lost_at = self.vms[v].down_since.map_or(lost_at, |d| d.min(lost_at));
        if self.vms[v].state != super::super::state::VmState::Stopped {
            self.stop_vm(
                v,
                EventKind::VmStopped,
                format!("{id} is powered off for its restore, which overwrites it"),
            );
        }
        let (disk_gb, _) = self.scenario.recovery.disk_of(&id);
        let mbps = self.repo_mbps(to, repo);
        let took = super::super::transfer_ms(u64::from(disk_gb) * 1024, mbps);
        self.backups.token += 1;
        let token = self.backups.token;
        let r = Restoring {
            instant,
            to,
            point_ms: point.taken_ms,
            lost_at,
            repo,
            storage,
            cluster,
            lost,
            serving: false,
            booted: instant,
            token,
        };
        let (to_id, repo_id, st_id) = (
            self.host_id(to).to_string(),
            self.storage_id(repo).to_string(),
            self.storage_id(storage).to_string(),
        );
        let what = describe_point(&point);
        self.backups.restores.insert(v, r);
        if instant {
            self.emit(
                EventKind::RestoreStarted,
                vec![id.clone(), repo_id.clone(), to_id.clone()],
                format!(
                    "instant recovery of {id} on {to_id}: it boots straight from its {what} in {repo_id}, with slow I/O through the repository, while its {disk_gb} GB disk moves to {st_id} at {mbps} Mbit/s ({})",
                    fmt_ms(took)
                ),
            );
            self.vms[v].storage = Some(repo);
            self.backups.lost.remove(&v);
            let why = format!("{id} boots from its backup in {repo_id} (instant recovery)");
            self.boot(v, to, EventKind::VmRestarting, why);
            let at = self.now + self.vms[v].boot_ms;
            self.schedule(at, Ev::RestoreServing { vm: v, token });
            self.schedule(self.now + took, Ev::InstantMigrated { vm: v, token });
        } else {
            self.emit(
                EventKind::RestoreStarted,
                vec![id.clone(), repo_id.clone(), to_id.clone()],
                format!(
                    "full restore of {id} from its {what} in {repo_id}: its {disk_gb} GB disk is copied to {st_id} at {mbps} Mbit/s ({}), then it boots on {to_id}",
                    fmt_ms(took)
                ),
            );
            self.schedule(self.now + took, Ev::RestoreCopied { vm: v, token });
        }
    }

    /// The point to restore, its repository and the production storage for the disk, or why
    /// it cannot run.
    fn restore_plan(&self, v: usize, to: usize) -> Result<(Point, usize, usize), String> {
        let id = &self.vms[v].id;
        let to_id = self.host_id(to);
        if self.backups.restores.contains_key(&v) {
            return Err(format!("{id} is already being restored"));
        }
        let lost = self.backups.lost.get(&v);
        if lost.is_none() && self.vms[v].state.guest_up() {
            return Err(format!(
                "{id} runs and none of its data is lost: a restore would overwrite it"
            ));
        }
        if !self.health.host_up(to) {
            return Err(format!("{to_id} is down: restore {id} to a running host"));
        }
        let jobs: Vec<&super::Job> = (self.backups.jobs.iter())
            .filter(|j| j.vms.contains(&v))
            .collect();
        if jobs.is_empty() {
            return Err(format!("{id} has no backup to restore from"));
        }
        let mut unusable = None;
        let mut unreachable = None;
        let mut best: Option<(&Point, usize)> = None;
        for j in &jobs {
            for p in j.points.iter().filter(|p| p.vm == v && p.ready) {
                if let Some(bad) = &p.bad {
                    unusable.get_or_insert_with(|| bad.clone());
                    continue;
                }
                if !self.reach.host_reaches_storage(&self.net, to, j.repo) {
                    unreachable.get_or_insert(j.repo);
                    continue;
                }
                if best.is_none_or(|(b, _)| p.taken_ms > b.taken_ms) {
                    best = Some((p, j.repo));
                }
            }
        }
        let Some((point, repo)) = best else {
            return Err(match (unreachable, unusable) {
                (Some(r), _) => format!(
                    "{to_id} cannot reach {}, where {id}'s backups are",
                    self.storage_id(r)
                ),
                (None, Some(bad)) => {
                    format!("no restore point of {id} can be restored: {bad}")
                }
                (None, None) => format!("{id} has no restore point yet"),
            });
        };
        let own = self.vms[v].storage.filter(|&st| {
            self.scenario.design.storage[st].kind != StorageKind::Local
                && self.reach.host_reaches_storage(&self.net, to, st)
        });
        let local = (self.scenario.design.storage.iter())
            .position(|s| s.kind == StorageKind::Local && s.host.as_deref() == Some(to_id))
            .and_then(|i| {
                self.net
                    .storage
                    .get(&self.scenario.design.storage[i].id)
                    .copied()
            });
        let storage = own
            .or(local)
            .ok_or_else(|| format!("{to_id} reaches no storage to restore {id}'s disk onto"))?;
        Ok((point.clone(), repo, storage))
    }

    /// A full restore's disk is back: the VM boots from it.
    pub(in crate::sim) fn restore_copied(&mut self, v: usize, token: u32) {
        let Some(r) = self.live_restore(v, token) else {
            return;
        };
        let (to, storage) = (r.to, r.storage);
        if !self.health.host_up(to) {
            self.restore_stopped(v, format!("{} went down", self.host_id(to)));
            return;
        }
        self.vms[v].storage = Some(storage);
        self.backups.lost.remove(&v);
        if let Some(r) = self.backups.restores.get_mut(&v) {
            r.booted = true;
        }
        let id = self.vms[v].id.clone();
        let why = format!("{id} boots from its restored disk");
        self.boot(v, to, EventKind::VmRestarting, why);
        let at = self.now + self.vms[v].boot_ms;
        self.schedule(at, Ev::RestoreServing { vm: v, token });
    }

    /// The restored VM booted: it serves again. What it lost and how long it was out.
    pub(in crate::sim) fn restore_serving(&mut self, v: usize, token: u32) {
        let Some(r) = self.live_restore(v, token) else {
            return;
        };
        if !self.vms[v].serving() {
            let id = self.vms[v].id.clone();
            return self.restore_stopped(v, format!("{id} did not come up"));
        }
        let (point, lost_at, instant) = (r.point_ms, r.lost_at, r.instant);
        let id = self.vms[v].id.clone();
        let host = self.host_id(self.vms[v].host).to_string();
        let lost = lost_at as i64 - point;
        let out = self.now - lost_at;
        self.record_data_lost(v, lost.max(0) as u64);
        self.emit(
            EventKind::RestoreDone,
            vec![id.clone(), host.clone()],
            format!(
                "{id} serves again on {host}{}, as of its restore point of {}: the {} it wrote before the loss at {} is lost (RPO); it was out of service for {} (RTO)",
                if instant { ", from the repository" } else { "" },
                fmt_point(point),
                fmt_ms(lost.max(0) as u64),
                fmt_ms(lost_at),
                fmt_ms(out)
            ),
        );
        if instant {
            if let Some(r) = self.backups.restores.get_mut(&v) {
                r.serving = true;
            }
        } else {
            self.restore_finished(v);
        }
    }

    /// An instant recovery's disk reached production storage: full I/O again.
    pub(in crate::sim) fn instant_migrated(&mut self, v: usize, token: u32) {
        let Some(r) = self.live_restore(v, token) else {
            return;
        };
        let storage = r.storage;
        let id = self.vms[v].id.clone();
        let st = self.storage_id(storage).to_string();
        if self.vms[v].storage == Some(r.repo) {
            self.vms[v].storage = Some(storage);
        }
        // A VM that went down meanwhile has its disk moved all the same; no I/O to speak of.
        let message = if !self.vms[v].state.guest_up() {
            format!(
                "{id}'s disk is on {st} now (migrated to production while {id} is down): it no longer depends on the repository"
            )
        } else {
            format!(
                "{id}'s disk is on {st} now: it no longer runs from the repository, its I/O is back to full speed (migrated to production)"
            )
        };
        self.emit(
            EventKind::RestoreDone,
            vec![id.clone(), st.clone()],
            message,
        );
        self.check_storage(v);
        self.restore_finished(v);
    }

    fn live_restore(&self, v: usize, token: u32) -> Option<Restoring> {
        self.backups
            .restores
            .get(&v)
            .filter(|r| r.token == token)
            .cloned()
    }

    /// The restore is over: the VM is its cluster's role again when it runs on one of its nodes.
    fn restore_finished(&mut self, v: usize) {
        let Some(r) = self.backups.restores.remove(&v) else {
            return;
        };
        if let Some(ci) = r.cluster
            && self.host_node_up(ci, self.vms[v].host)
        {
            self.vms[v].cluster = Some(ci);
        }
    }

    fn restore_stopped(&mut self, v: usize, why: String) {
        let Some(r) = self.backups.restores.remove(&v) else {
            return;
        };
        // Not booted from the restored disk: its data is still lost, as before the restore.
        if !self.vms[v].state.guest_up()
            && let Some(lost) = r.lost
        {
            if matches!(lost, super::Loss::Corrupt { .. }) {
                self.vms[v].cluster = r.cluster;
            }
            self.backups.lost.insert(v, lost);
        }
        let id = self.vms[v].id.clone();
        self.emit(
            EventKind::OperationRefused,
            vec![id.clone()],
            format!("the restore of {id} stopped: {why}"),
        );
    }
}

/// "its incremental, crash-consistent restore point of -1.0 h".
fn describe_point(p: &Point) -> String {
    format!(
        "{}, {} restore point of {}",
        if p.full { "full" } else { "incremental" },
        if p.app_consistent {
            "application-consistent"
        } else {
            "crash-consistent"
        },
        fmt_point(p.taken_ms)
    )
}

/// A moment that may be before the run began: "-1.0 h" or "4 min".
pub(super) fn fmt_point(t: i64) -> String {
    if t < 0 {
        format!("-{}", fmt_ms(t.unsigned_abs()))
    } else {
        fmt_ms(t as u64)
    }
}
