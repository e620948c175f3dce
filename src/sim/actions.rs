//! What the user can break, repair or do on purpose to a component at a moment of the run.
//! Every fault is a toggle: the same key fails a healthy component and repairs a failed one; so
//! are drain / resume and shut down / start.

use super::Snapshot;
use crate::model::{Failback, Fault, Id, Operation, Scenario, Witness, parse_vm_ref};

#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// Imperative words for a button ("Crash host-2", "Power on host-2").
    pub label: String,
    /// The keyboard shortcut on a focused component (`'-'`: none).
    pub key: char,
    pub act: Act,
}

/// What an action adds to the script.
#[derive(Clone, Debug, PartialEq)]
pub enum Act {
    Fault { fault: Fault, repair: bool },
    Op(Operation),
}

impl Action {
    /// A repair, or an operation that undoes one (resume, start): drawn as a repair.
    pub fn restores(&self) -> bool {
        match &self.act {
            Act::Fault { repair, .. } => *repair,
            Act::Op(op) => matches!(op, Operation::Resume { .. } | Operation::Start { .. }),
        }
    }
}

/// No shortcut: reached from the menu only.
pub const NO_KEY: char = '-';

/// The faults in force at `t`: applied by the script at or before `t` and not yet repaired.
pub fn active_faults(s: &Scenario, t: u64) -> Vec<Fault> {
    let mut faults: Vec<_> = s.faults.iter().filter(|f| f.at_ms <= t).collect();
    faults.sort_by_key(|f| f.at_ms);
    let mut active: Vec<(Fault, u32)> = Vec::new();
    for f in faults {
        match active.iter_mut().find(|(x, _)| *x == f.fault) {
            Some((_, n)) if f.repair => *n = n.saturating_sub(1),
            Some((_, n)) => *n += 1,
            None if f.repair => {}
            None => active.push((f.fault.clone(), 1)),
        }
    }
    active
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(f, _)| f)
        .collect()
}

/// The actions for the selected ids at `t` (one id: its own faults; several: a partition).
pub fn actions(s: &Scenario, t: u64, ids: &[Id]) -> Vec<Action> {
    let active = active_faults(s, t);
    let toggle = |fault: Fault, key: char, fail: String, repair: String| {
        let on = active.contains(&fault);
        Action {
            label: if on { repair } else { fail },
            key,
            act: Act::Fault { fault, repair: on },
        }
    };
    // Data loss has no repair: offered while it has not happened, in designs that protect data.
    let once = |fault: Fault, label: String| {
        let offered = !s.recovery.is_empty() && !active.contains(&fault);
        offered.then_some(Action {
            label,
            key: NO_KEY,
            act: Act::Fault {
                fault,
                repair: false,
            },
        })
    };
    let d = &s.design;
    if ids.len() >= 2 {
        let a: Vec<Id> = ids.to_vec();
        let b: Vec<Id> = d
            .hosts
            .iter()
            .map(|h| &h.id)
            .chain(d.switches.iter().map(|x| &x.id))
            .chain(d.storage.iter().map(|x| &x.id))
            .filter(|id| !a.contains(id))
            .cloned()
            .collect();
        if b.is_empty() {
            return Vec::new();
        }
        let fault = Fault::Partition { a, b };
        return vec![toggle(
            fault,
            'p',
            "Partition the selection from the rest".into(),
            "Heal the partition".into(),
        )];
    }
    let Some(id) = ids.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // The box of Azure's compute has the Azure site's id: its region can be lost.
    if d.azure_site(id).is_some() {
        out.push(toggle(
            Fault::SiteFailure { site: id.clone() },
            's',
            format!("Lose Azure region {id}"),
            format!("Bring Azure region {id} back"),
        ));
        return out;
    }
    if let Some(h) = d.hosts.iter().find(|h| &h.id == id) {
        out.push(toggle(
            Fault::HostCrash { host: id.clone() },
            'f',
            format!("Crash {id}"),
            format!("Power on {id}"),
        ));
        out.push(toggle(
            Fault::HostIsolation { host: id.clone() },
            'i',
            format!("Isolate {id} (all NICs down)"),
            format!("Reconnect {id}"),
        ));
        if let Some(site) = &h.site {
            out.push(toggle(
                Fault::SiteFailure { site: site.clone() },
                's',
                format!("Lose site {site}"),
                format!("Bring site {site} back"),
            ));
            let others: Vec<Id> = d
                .sites
                .iter()
                .filter(|x| &x.id != site)
                .map(|x| x.id.clone())
                .collect();
            if !others.is_empty() {
                out.push(toggle(
                    Fault::Partition {
                        a: vec![site.clone()],
                        b: others,
                    },
                    'p',
                    format!("Partition site {site} from the other sites"),
                    format!("Heal the partition of site {site}"),
                ));
            }
        }
        let domain = h.site.clone().unwrap_or_else(|| id.clone());
        out.extend(once(
            Fault::Ransomware {
                domain: vec![domain.clone()],
            },
            format!(
                "Ransomware takes {}{domain}",
                if h.site.is_some() { "site " } else { "" }
            ),
        ));
    } else if parse_vm_ref(id).is_some_and(|(entry, _)| d.vms.iter().any(|v| v.id == entry)) {
        out.push(toggle(
            Fault::VmCrash { vm: id.clone() },
            'f',
            format!("Crash VM {id}"),
            format!("Start VM {id}"),
        ));
        out.push(toggle(
            Fault::AppFailure { vm: id.clone() },
            'a',
            format!("Fail the application in {id}"),
            format!("Fix the application in {id}"),
        ));
        out.push(toggle(
            Fault::GuestHang { vm: id.clone() },
            'h',
            format!("Hang the guest OS of {id}"),
            format!("Unfreeze the guest OS of {id}"),
        ));
        out.extend(once(
            Fault::VmDeletion { vm: id.clone() },
            format!("Delete VM {id}"),
        ));
        out.extend(once(
            Fault::GuestCorruption { vm: id.clone() },
            format!("Corrupt the data inside {id}"),
        ));
    } else if d.switches.iter().any(|x| &x.id == id) {
        out.push(toggle(
            Fault::SwitchFailure { switch: id.clone() },
            'f',
            format!("Fail switch {id}"),
            format!("Repair switch {id}"),
        ));
    } else if d.links.iter().any(|x| &x.id == id) {
        out.push(toggle(
            Fault::LinkCut { link: id.clone() },
            'f',
            format!("Cut link {id}"),
            format!("Reconnect link {id}"),
        ));
    } else if d.storage.iter().any(|x| &x.id == id) {
        out.push(toggle(
            Fault::StorageFailure {
                storage: id.clone(),
            },
            'f',
            format!("Fail storage {id}"),
            format!("Repair storage {id}"),
        ));
    }
    // The witness alone (its LUN, share or blob unreachable): offered on its storage, and on
    // the nodes of a cluster whose witness is in the cloud (no component to click).
    for c in &d.clusters {
        let here = match &c.witness {
            Witness::Disk { storage } | Witness::FileShare { storage } => storage == id,
            Witness::Cloud => c.nodes.contains(id),
            Witness::None => false,
        };
        if here {
            out.push(toggle(
                Fault::WitnessFailure {
                    cluster: c.id.clone(),
                },
                'w',
                format!("Fail the witness of {}", c.id),
                format!("Bring back the witness of {}", c.id),
            ));
        }
    }
    out
}

/// The planned operations for one selected host or VM in the state of the run `snap`: drain or
/// resume, shut down or start, evict or add a host; live or quick migrate a running clustered VM to each
/// other node that could take it (M and Q: to the one with the most free memory).
pub fn operations(s: &Scenario, snap: &Snapshot, ids: &[Id]) -> Vec<Action> {
    let [id] = ids else {
        return Vec::new();
    };
    let d = &s.design;
    // Membership as the run has it (nodes added or evicted since the start).
    let cluster_of = |host: &str| {
        snap.clusters.iter().find(|c| {
            !c.guest
                && c.nodes
                    .iter()
                    .any(|n| n.id == host && n.state != super::state::NodeState::Evicted)
        })
    };
    let op = |label: String, key: char, op: Operation| Action {
        label,
        key,
        act: Act::Op(op),
    };
    // The design's hosts: Azure's compute (the engine's own host) takes no operations.
    let own = |h: &str| s.design.hosts.iter().any(|x| x.id == h);
    let mut out = Vec::new();
    if let Some(h) = snap.hosts.iter().find(|h| &h.id == id && own(&h.id)) {
        let host = id.clone();
        if cluster_of(id).is_some() && !h.off {
            out.push(if h.paused {
                op(
                    format!("Resume {id} and fail roles back"),
                    'd',
                    Operation::Resume {
                        host: host.clone(),
                        failback: Failback::Immediate,
                    },
                )
            } else {
                op(
                    format!("Pause {id} and drain its roles"),
                    'd',
                    Operation::Drain { host: host.clone() },
                )
            });
            if h.paused {
                out.push(op(
                    format!("Resume {id} without failback"),
                    NO_KEY,
                    Operation::Resume {
                        host: host.clone(),
                        failback: Failback::No,
                    },
                ));
            }
        }
        if h.off {
            out.push(op(
                format!("Start {id}"),
                'g',
                Operation::Start { host: host.clone() },
            ));
        } else if h.up {
            out.push(op(
                format!("Shut {id} down gracefully"),
                'g',
                Operation::Shutdown { host: host.clone() },
            ));
        }
        match cluster_of(id) {
            Some(c) => {
                out.push(op(
                    format!("Evict {id} from {}", c.id),
                    'e',
                    Operation::Evict { host: host.clone() },
                ));
                out.push(op(
                    format!("Update {} node by node (Cluster-Aware Updating)", c.id),
                    'u',
                    Operation::Update {
                        cluster: c.id.clone(),
                    },
                ));
                // A risky last resort: offered only when the cluster has stopped, and no key.
                if !c.has_quorum && h.up {
                    out.push(op(
                        format!("Force quorum on {id} (risky: /ForceQuorum)"),
                        NO_KEY,
                        Operation::ForceQuorum { host: id.clone() },
                    ));
                }
            }
            None => {
                for c in snap.clusters.iter().filter(|c| !c.guest) {
                    out.push(op(
                        format!("Add {id} to cluster {}", c.id),
                        NO_KEY,
                        Operation::AddNode {
                            host: host.clone(),
                            cluster: c.id.clone(),
                        },
                    ));
                }
            }
        }
        return out;
    }
    let Some(vm) = snap.vms.iter().find(|v| &v.id == id) else {
        return out;
    };
    // Hyper-V Replica: a test failover (or its end), and after an unplanned failover the way
    // back: reversing replication.
    if let Some(r) = snap.replicas.iter().find(|r| r.vm == vm.id) {
        if r.testing.is_some() {
            out.push(op(
                format!("Stop the test failover of {id}"),
                NO_KEY,
                Operation::TestFailover {
                    vm: id.clone(),
                    stop: true,
                },
            ));
        } else if !r.failed_over {
            out.push(op(
                format!("Test failover of {id} on {} (isolated copy)", r.to),
                NO_KEY,
                Operation::TestFailover {
                    vm: id.clone(),
                    stop: false,
                },
            ));
        }
        if r.reversible && vm.state == super::state::VmState::Running {
            out.push(op(
                format!("Reverse the replication of {id}"),
                NO_KEY,
                Operation::ReverseReplication { vm: id.clone() },
            ));
        }
    }
    // A recovery plan the VM is in.
    for p in &s.recovery.plans {
        if p.groups.iter().any(|g| g.vms.contains(id)) {
            out.push(op(
                format!("Run recovery plan {}", p.id),
                NO_KEY,
                Operation::RunPlan { plan: p.id.clone() },
            ));
        }
    }
    // Planned while the VM runs on its primary, unplanned once it is down.
    if let Some(r) = snap
        .replicas
        .iter()
        .find(|r| r.vm == vm.id && !r.failed_over)
    {
        let running = vm.state == super::state::VmState::Running;
        if running || vm.state == super::state::VmState::Stopped {
            out.push(op(
                format!(
                    "{} failover of {id} to {}",
                    if running { "Planned" } else { "Unplanned" },
                    r.to
                ),
                NO_KEY,
                Operation::Failover {
                    vm: id.clone(),
                    planned: running,
                },
            ));
            // An earlier point to go back to (before a corruption): the newest hourly one that
            // is older than the latest.
            let latest = snap.t_ms.saturating_sub(r.rpo_ms);
            let earlier = r.hourly_points.iter().rev().find(|&&p| p < latest);
            if let (false, Some(&point_ms)) = (running, earlier) {
                out.push(op(
                    format!(
                        "Unplanned failover of {id} to {} from its point of {}",
                        r.to,
                        super::fmt_ms(point_ms)
                    ),
                    NO_KEY,
                    Operation::FailoverToPoint {
                        vm: id.clone(),
                        point_ms,
                    },
                ));
            }
        }
    }
    // Backups: restore a VM whose data is lost (or that is off) onto its host, or the first
    // running host if its own is down.
    let backed_up = snap.backups.iter().filter(|b| b.vm == vm.id);
    let lost = backed_up.clone().any(|b| b.lost.is_some());
    let restoring = backed_up.clone().any(|b| b.restoring.is_some());
    let good = backed_up.clone().any(|b| b.good_points > 0);
    if good && !restoring && (lost || vm.state == super::state::VmState::Stopped) {
        let up = |h: &str| snap.hosts.iter().any(|x| x.id == h && x.up && own(h));
        let to = if up(&vm.host) {
            Some(vm.host.clone())
        } else {
            snap.hosts.iter().find(|h| up(&h.id)).map(|h| h.id.clone())
        };
        if let Some(to) = to {
            out.push(op(
                format!("Restore {id} from backup to {to}"),
                'r',
                Operation::Restore {
                    vm: id.clone(),
                    to: to.clone(),
                    instant: false,
                },
            ));
            out.push(op(
                format!("Instant recovery of {id} on {to}"),
                NO_KEY,
                Operation::Restore {
                    vm: id.clone(),
                    to,
                    instant: true,
                },
            ));
        }
    }
    if vm.state != super::state::VmState::Running {
        return out;
    }
    let Some(c) = cluster_of(&vm.host) else {
        return out;
    };
    let need = d
        .vms
        .iter()
        .find(|v| v.id == vm.entry)
        .map_or(0, |v| u64::from(v.memory_gb));
    let mut targets: Vec<&super::HostView> = snap
        .hosts
        .iter()
        .filter(|h| {
            h.id != vm.host
                && c.nodes
                    .iter()
                    .any(|n| n.id == h.id && n.state == super::state::NodeState::Up)
                && h.up
                && !h.paused
                && u64::from(h.memory_gb).saturating_sub(h.memory_used_gb) >= need
        })
        .collect();
    targets.sort_by_key(|h| {
        std::cmp::Reverse(u64::from(h.memory_gb).saturating_sub(h.memory_used_gb))
    });
    for (i, h) in targets.iter().enumerate() {
        let to = h.id.clone();
        let best = i == 0;
        out.push(op(
            format!("Live migrate {id} to {to}"),
            if best { 'm' } else { NO_KEY },
            Operation::LiveMigrate {
                vm: id.clone(),
                to: to.clone(),
            },
        ));
        out.push(op(
            format!("Quick migrate {id} to {to}"),
            if best { 'q' } else { NO_KEY },
            Operation::QuickMigrate { vm: id.clone(), to },
        ));
    }
    out
}
