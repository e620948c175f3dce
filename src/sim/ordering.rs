//! Start ordering after a failover: priority classes (High before Medium before Low, 2012+)
//! and cluster sets (2016+: a set starts once the sets it depends on are ready), and failback
//! windows (a VM fails back only between the hours its FailbackWindow allows).

use super::state::VmState;
use super::{Engine, Ev, EventKind, fmt_ms};
use crate::model::{Priority, SetTrigger};

/// StartupDelay's default (New-ClusterGroupSet).
const STARTUP_DELAY_MS: u64 = 20_000;

/// Indexes that spare start ordering a scan of every VM (8 000 in the largest design) for each VM
/// it places: both are supersets, read through the VMs' own state.
#[derive(Clone, Debug, Default)]
pub(super) struct Starts {
    /// VMs marked pending since `place_pending` last looked.
    pub waiting: Vec<usize>,
    /// VMs that booted within the last `vm_start_ms` (with some that booted earlier).
    pub booted: Vec<usize>,
}

impl Engine {
    /// Notes that VM `v` boots now (`boot` is the only way into Booting and `started_at`).
    pub(super) fn booted(&mut self, v: usize) {
        let (now, start) = (self.now, self.timing.vm_start_ms);
        let vms = &self.vms;
        self.starts
            .booted
            .retain(|&o| o != v && vms[o].started_at.is_some_and(|t| t + start > now));
        self.starts.booted.push(v);
    }

    /// When VM `v` started, if it is starting or running (`Some(None)`: running since before
    /// the run, long ago); `None` when it is not started at all.
    fn started_at(&self, v: usize) -> Option<Option<u64>> {
        let vm = &self.vms[v];
        match vm.state {
            VmState::Booting { until } => Some(Some(until - vm.boot_ms)),
            VmState::Running | VmState::Migrating { .. } => Some(vm.started_at),
            _ => None,
        }
    }

    /// Why VM `v` of cluster `ci` must wait before it starts, and when to look again (`None`:
    /// when something else starts). `None` when it may start now.
    pub(super) fn start_gate(&self, ci: usize, v: usize) -> Option<(String, Option<u64>)> {
        let p = self.vms[v].priority;
        // A lower class starts once every VM of a higher class that is starting is online.
        let mut online_at = None;
        for &o in &self.starts.booted {
            let vm = &self.vms[o];
            if vm.cluster != Some(ci) || vm.priority >= p || o == v {
                continue;
            }
            if let Some(Some(t)) = self.started_at(o) {
                let at = t + self.timing.vm_start_ms;
                if at > self.now {
                    online_at = online_at.max(Some(at));
                }
            }
        }
        if let Some(at) = online_at {
            let why = format!(
                "{} ({}) waits for higher-priority VMs to come online first (start order: High, Medium, Low)",
                self.vms[v].id,
                priority_word(p)
            );
            return Some((why, Some(at)));
        }
        self.set_gate(ci, v)
    }

    /// Cluster sets: the sets `v`'s set depends on must be ready.
    fn set_gate(&self, ci: usize, v: usize) -> Option<(String, Option<u64>)> {
        let d = &self.scenario.design;
        let sets = &d.clusters.get(ci)?.sets;
        let entry = &d.vms[self.vms[v].entry].id;
        let set = sets.iter().find(|s| s.vms.contains(entry))?;
        for name in &set.depends_on {
            let Some(provider) = sets.iter().find(|s| &s.name == name) else {
                continue;
            };
            let wait = match provider.trigger {
                SetTrigger::Delay => provider.startup_delay_ms.unwrap_or(STARTUP_DELAY_MS),
                SetTrigger::Online => self.timing.vm_start_ms,
            };
            let mut ready_at = Some(0);
            for (o, vm) in self.vms.iter().enumerate() {
                if !provider.vms.contains(&d.vms[vm.entry].id) {
                    continue;
                }
                ready_at = match (ready_at, self.started_at(o)) {
                    (_, None) | (None, _) => None,
                    (Some(r), Some(None)) => Some(r),
                    (Some(r), Some(Some(t))) => Some(r.max(t + wait)),
                };
            }
            let how = match provider.trigger {
                SetTrigger::Delay => format!("StartupDelay {} after it starts", fmt_ms(wait)),
                SetTrigger::Online => "once its VMs are online".to_string(),
            };
            match ready_at {
                Some(at) if at <= self.now => continue,
                Some(at) => {
                    let why = format!(
                        "{} (set {}) waits for set {name} to be ready ({how})",
                        self.vms[v].id, set.name
                    );
                    return Some((why, Some(at)));
                }
                None => {
                    let why = format!(
                        "{} (set {}) waits for set {name}, which is not running yet",
                        self.vms[v].id, set.name
                    );
                    return Some((why, None));
                }
            }
        }
        None
    }

    /// Says once why a VM waits to start, and looks again when it may.
    pub(super) fn hold_start(&mut self, ci: usize, v: usize, why: String, at: Option<u64>) {
        if let Some(at) = at {
            self.schedule(at, Ev::Recheck { cluster: ci });
        }
        if self.vms[v].reason == why {
            return;
        }
        self.vms[v].reason = why.clone();
        let subjects = vec![self.vms[v].id.clone()];
        self.emit(EventKind::VmStartWaits, subjects, why);
    }

    /// Whether failback of `v` may happen now, else when its window next opens.
    pub(super) fn failback_allowed(&self, v: usize) -> Result<(), (String, u64)> {
        let spec = &self.scenario.design.vms[self.vms[v].entry];
        let Some(w) = spec.failback_window else {
            return Ok(());
        };
        let hour_ms = 3_600_000;
        let day_ms = self.timing.time_of_day_ms(self.now);
        let hour = (day_ms / hour_ms) as u8;
        if in_window(hour, w.start_hour, w.end_hour) {
            return Ok(());
        }
        let into_hour = day_ms % hour_ms;
        let hours_to_go = (u64::from(w.start_hour) + 24 - u64::from(hour)) % 24;
        let at = self.now + hours_to_go * hour_ms - into_hour;
        let why = format!(
            "{} waits to fail back: its failback window is {:02}:00-{:02}:00 and it is {:02}:{:02}",
            self.vms[v].id,
            w.start_hour,
            if w.start_hour == w.end_hour {
                (w.start_hour + 1) % 24
            } else {
                w.end_hour
            },
            hour,
            into_hour / 60_000
        );
        Err((why, at))
    }
}

/// `start == end` is the one hour from `start`; `end < start` spans midnight.
fn in_window(hour: u8, start: u8, end: u8) -> bool {
    match start.cmp(&end) {
        std::cmp::Ordering::Equal => hour == start,
        std::cmp::Ordering::Less => (start..end).contains(&hour),
        std::cmp::Ordering::Greater => hour >= start || hour < end,
    }
}

fn priority_word(p: Priority) -> &'static str {
    match p {
        Priority::High => "High",
        Priority::Medium => "Medium",
        Priority::Low => "Low",
        Priority::NoAutoStart => "No Auto Start",
    }
}
