//! Recovery plans, as Azure Site Recovery runs them: the plan's machines fail over, then its
//! groups start in order, each only once every machine of the group before has failed over and
//! started; before a group the plan may wait (a script) and stop for a manual action. The plan's
//! RTO runs from the disaster (its first VM down) to its last group serving.
//!
//! Its own state (`Plans`) and timer (`Ev::PlanStep`); it fails VMs over through replication's
//! unplanned failover.

use super::{Engine, Ev, EventKind, fmt_ms};
use crate::model::recovery::MANUAL_S;

/// A plan under way.
#[derive(Clone, Debug)]
struct Run {
    plan: usize,
    /// The group it is at, and whether that group's VMs have been failed over.
    group: usize,
    started: bool,
    disaster_at: u64,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Plans {
    runs: Vec<Option<Run>>,
}

impl Engine {
    /// Starts recovery plan `id`, or says why it cannot.
    pub(super) fn run_plan(&mut self, id: &str) {
        let plans = &self.scenario.recovery.plans;
        let Some(p) = plans.iter().position(|x| x.id == id) else {
            return self.refuse(vec![id.to_string()], format!("{id} is not a recovery plan"));
        };
        if self.plans.runs.iter().flatten().any(|r| r.plan == p) {
            return self.refuse(
                vec![id.to_string()],
                format!("recovery plan {id} is already running"),
            );
        }
        let vms: Vec<usize> = (plans[p].groups.iter())
            .flat_map(|g| g.vms.iter())
            .filter_map(|vm| self.vm_index(vm))
            .collect();
        let groups = plans[p].groups.len();
        // The disaster: when the plan's first VM went down (now, if none is down).
        let disaster_at = (vms.iter())
            .filter_map(|&v| self.vms[v].down_since)
            .min()
            .unwrap_or(self.now);
        self.emit(
            EventKind::RecoveryPlan,
            vec![id.to_string()],
            format!(
                "recovery plan {id} starts: {} VM(s) in {groups} group(s), started in group order",
                vms.len()
            ),
        );
        // The shutdown step: what still runs on the primary side is turned off first.
        for v in vms {
            if self.failed_over(v) {
                continue;
            }
            // Out of its cluster's hands, running or not: only the plan starts it now.
            self.vms[v].cluster = None;
            self.vms[v].pending = false;
            if self.vms[v].state != super::state::VmState::Stopped {
                let vm = self.vms[v].id.clone();
                self.stop_vm(
                    v,
                    EventKind::VmStopped,
                    format!("recovery plan {id} turns {vm} off on its primary (its shutdown step)"),
                );
            }
        }
        let run = Run {
            plan: p,
            group: 0,
            started: false,
            disaster_at,
        };
        let i = self.plans.runs.len();
        self.plans.runs.push(Some(run));
        self.plan_group(i);
    }

    /// Before a group: its wait and its manual action, then its failovers.
    fn plan_group(&mut self, i: usize) {
        let Some(run) = self.plans.runs[i].clone() else {
            return;
        };
        let plan = &self.scenario.recovery.plans[run.plan];
        let g = &plan.groups[run.group];
        let (id, n) = (plan.id.clone(), run.group + 1);
        let wait = u64::from(g.delay_s) * 1000
            + g.manual.as_ref().map_or(0, |_| u64::from(MANUAL_S) * 1000);
        if let Some(action) = g.manual.clone() {
            self.emit(
                EventKind::RecoveryPlan,
                vec![id.clone()],
                format!(
                    "recovery plan {id} stops before group {n} for a manual action: \"{action}\"; it goes on once the administrator confirms it ({})",
                    fmt_ms(wait)
                ),
            );
        } else if wait > 0 {
            self.emit(
                EventKind::RecoveryPlan,
                vec![id.clone()],
                format!("recovery plan {id} waits {} before group {n}", fmt_ms(wait)),
            );
        }
        self.schedule(self.now + wait, Ev::PlanStep { run: i });
    }

    /// A plan's step: start the group's failovers, or check that they started.
    pub(super) fn plan_step(&mut self, i: usize) {
        let Some(run) = self.plans.runs[i].clone() else {
            return;
        };
        let plan = self.scenario.recovery.plans[run.plan].clone();
        let g = &plan.groups[run.group];
        let n = run.group + 1;
        let vms: Vec<usize> = g.vms.iter().filter_map(|vm| self.vm_index(vm)).collect();
        if !run.started {
            self.emit(
                EventKind::RecoveryPlan,
                vec![plan.id.clone()],
                format!(
                    "recovery plan {}: group {n} fails over and starts: {}",
                    plan.id,
                    g.vms.join(", ")
                ),
            );
            for &v in &vms {
                if !self.failed_over(v) {
                    let vm = self.vms[v].id.clone();
                    self.failover(&vm, false);
                }
            }
            let boot = vms.iter().map(|&v| self.vms[v].boot_ms).max().unwrap_or(0);
            if let Some(r) = self.plans.runs[i].as_mut() {
                r.started = true;
            }
            self.schedule(self.now + boot, Ev::PlanStep { run: i });
            return;
        }
        let down: Vec<String> = (vms.iter())
            .filter(|&&v| !self.vms[v].serving() || !self.failed_over(v))
            .map(|&v| self.vms[v].id.clone())
            .collect();
        if !down.is_empty() {
            self.plans.runs[i] = None;
            self.emit(
                EventKind::RecoveryPlan,
                vec![plan.id.clone()],
                format!(
                    "recovery plan {} FAILED at group {n}: {} did not start",
                    plan.id,
                    down.join(", ")
                ),
            );
            return;
        }
        if n < plan.groups.len() {
            if let Some(r) = self.plans.runs[i].as_mut() {
                r.group += 1;
                r.started = false;
            }
            return self.plan_group(i);
        }
        self.plans.runs[i] = None;
        let rto = self.now - run.disaster_at;
        self.emit(
            EventKind::RecoveryPlan,
            vec![plan.id.clone()],
            format!(
                "recovery plan {} is done: all {} group(s) run in the recovery site; RTO {} from the disaster at {}",
                plan.id,
                plan.groups.len(),
                fmt_ms(rto),
                fmt_ms(run.disaster_at)
            ),
        );
    }
}
