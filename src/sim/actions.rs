//! What the user can break or repair on a component at a moment of the run. Every action is a
//! toggle: the same key fails a healthy component and repairs a failed one.

use crate::model::{Fault, Id, Scenario, parse_vm_ref};

#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// Imperative words for a button ("Crash host-2", "Power on host-2").
    pub label: String,
    /// The keyboard shortcut on a focused component.
    pub key: char,
    pub fault: Fault,
    pub repair: bool,
}

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
            fault,
            repair: on,
        }
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
    out
}
