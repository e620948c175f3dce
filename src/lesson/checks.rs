//! Each kind of check: the design as drawn, the run of the script, the every-single-failure
//! analysis, and what the student did in the run.

use super::Evidence;
use crate::analysis::{Outcome, What, nines};
use crate::model::lesson::{Check, Scope};
use crate::model::network::{Health, Net, Reach};
use crate::model::{Design, Fault, Scenario, StorageKind, Witness};
use crate::sim::{Engine, fmt_ms};

type Said = Result<(bool, String), String>;

/// Whether `s` passes check `c`, and why.
pub(super) fn check(ev: &mut Evidence, c: &Check) -> Said {
    let d = &ev.scenario.design;
    match c {
        Check::NoLocalStorage { tier } => no_local_storage(d, tier),
        Check::SpansHosts { tier, hosts } => spans_hosts(ev, tier, *hosts),
        Check::OnlyReachableFrom { tier, from } => only_reachable_from(ev, tier, from),
        Check::HasWitness { cluster } => has_witness(d, cluster),
        Check::AtMostHosts { hosts } => Ok((
            d.hosts.len() <= *hosts as usize,
            format!("the design has {} hosts", d.hosts.len()),
        )),
        Check::Served { service, percent } => served(ev.run()?, service, *percent),
        Check::RunningWithin { vm, within_ms } => running_within(ev, vm, *within_ms),
        Check::RpoWithin { vm, within_ms } => rpo_within(ev, vm, *within_ms),
        Check::QuorumKept { cluster } => {
            let lost = ev.run()?.events().iter().find(|e| {
                e.kind == crate::sim::EventKind::QuorumLost && e.subjects.contains(cluster)
            });
            Ok(match lost {
                Some(e) => (
                    false,
                    format!("{cluster} lost quorum at {}", fmt_ms(e.t_ms)),
                ),
                None => (true, format!("{cluster} kept quorum through the run")),
            })
        }
        Check::Survives { service, scope } => {
            let all = ev.analysis()?;
            let hurt = in_scope(all, *scope).find_map(|o| {
                o.services
                    .iter()
                    .find(|r| service.as_ref().is_none_or(|s| &r.service == s) && !r.survived)
                    .map(|r| format!("{} does not survive: {}", r.service, o.case.label))
            });
            Ok(match hurt {
                Some(why) => (false, why),
                None => (true, format!("it survives each {}", scope_words(*scope))),
            })
        }
        Check::RecoversWithin {
            service,
            within_ms,
            scope,
        } => {
            let all = ev.analysis()?;
            let mut worst: Option<(u64, &str)> = None;
            for o in in_scope(all, *scope) {
                let Some(r) = o.services.iter().find(|r| &r.service == service) else {
                    return Ok((false, format!("the design has no service {service}")));
                };
                match r.time_to_recover_ms {
                    None => {
                        return Ok((false, format!("{service} never recovers: {}", o.case.label)));
                    }
                    Some(t) if worst.is_none_or(|(w, _)| t > w) => {
                        worst = Some((t, &o.case.label));
                    }
                    Some(_) => {}
                }
            }
            Ok(match worst {
                Some((t, label)) => (
                    t <= *within_ms,
                    format!("its longest recovery is {} ({label})", fmt_ms(t)),
                ),
                None => (true, format!("no {} touches it", scope_words(*scope))),
            })
        }
        Check::Availability { service, percent } => {
            let s = ev.scenario;
            let years = nines::years(s, ev.analysis()?);
            let Some(y) = years.iter().find(|y| &y.service == service) else {
                return Ok((false, format!("the design has no service {service}")));
            };
            Ok((
                y.availability >= *percent,
                format!(
                    "{service} is available {} % of a year",
                    nines::percent(y.availability)
                ),
            ))
        }
        Check::Did { fault, then } => did(ev, fault, then.as_deref()),
    }
}

fn scope_words(scope: Scope) -> &'static str {
    match scope {
        Scope::HostCrashes => "host crash",
        Scope::VmFailures => "VM failure",
        Scope::Every => "single failure",
    }
}

fn in_scope(all: &[Outcome], scope: Scope) -> impl Iterator<Item = &Outcome> {
    all.iter().filter(move |o| match scope {
        Scope::Every => true,
        Scope::HostCrashes => matches!(o.case.what, What::Fault(Fault::HostCrash { .. })),
        Scope::VmFailures => matches!(
            o.case.what,
            What::Fault(Fault::VmCrash { .. } | Fault::AppFailure { .. } | Fault::GuestHang { .. })
        ),
    })
}

fn tier_vms<'a>(d: &'a Design, tier: &'a str) -> impl Iterator<Item = &'a crate::model::Vm> {
    d.vms
        .iter()
        .filter(move |v| v.tier.as_deref() == Some(tier))
}

fn no_local_storage(d: &Design, tier: &str) -> Said {
    if tier_vms(d, tier).next().is_none() {
        return Ok((false, format!("no VM is in tier {tier}")));
    }
    let local = tier_vms(d, tier).find(|v| {
        d.storage
            .iter()
            .find(|s| s.id == v.storage)
            .is_none_or(|s| s.kind == StorageKind::Local)
    });
    Ok(match local {
        Some(v) => (
            false,
            format!(
                "{} keeps its disks on {}, a host's local storage",
                v.id, v.storage
            ),
        ),
        None => (true, format!("every VM of {tier} is on shared storage")),
    })
}

/// A VM instance where it starts: (instance, entry, host).
pub(super) type Start = (String, String, String);

/// The host each VM instance starts on.
pub(super) fn starting_hosts(s: &Scenario) -> Result<Vec<Start>, String> {
    let mut e = crate::analysis::engine_for(s)?;
    e.run_until(0);
    Ok(e.snapshot()
        .vms
        .into_iter()
        .map(|v| (v.id, v.entry, v.host))
        .collect())
}

fn spans_hosts(ev: &mut Evidence, tier: &str, want: u32) -> Said {
    let s = ev.scenario;
    let d = &s.design;
    let entries: Vec<&str> = tier_vms(d, tier).map(|v| v.id.as_str()).collect();
    let mut hosts: Vec<&str> = ev
        .starts()?
        .iter()
        .filter(|(_, entry, _)| entries.contains(&entry.as_str()))
        .map(|(_, _, h)| h.as_str())
        .collect();
    hosts.sort();
    hosts.dedup();
    Ok((
        hosts.len() >= want as usize,
        format!(
            "{tier} runs on {} host(s): {}",
            hosts.len(),
            hosts.join(", ")
        ),
    ))
}

fn only_reachable_from(ev: &mut Evidence, tier: &str, from: &str) -> Said {
    let s = ev.scenario;
    let d = &s.design;
    let net = Net::new(d);
    let reach = Reach::new(&net, &Health::new(&net));
    let placed = ev.starts()?;
    // Each instance: its entry's NICs and tier, and the index of the host it starts on.
    let instances: Vec<(&crate::model::Vm, usize, &str)> = placed
        .iter()
        .filter_map(|(id, entry, host)| {
            let vm = d.vms.iter().find(|v| &v.id == entry)?;
            Some((vm, *net.hosts.get(host)?, id.as_str()))
        })
        .collect();
    type Instance<'a> = (&'a crate::model::Vm, usize, &'a str);
    let (inside, outside): (Vec<&Instance>, Vec<&Instance>) = instances
        .iter()
        .partition(|(vm, ..)| vm.tier.as_deref() == Some(tier));
    if inside.is_empty() {
        return Ok((false, format!("no VM is in tier {tier}")));
    }
    let meets =
        |a: &Instance, b: &Instance| reach.vms_connected(&net, (&a.0.nics, a.1), (&b.0.nics, b.1));
    for o in &outside {
        if o.0.tier.as_deref() == Some(from) {
            continue;
        }
        if let Some(i) = inside.iter().find(|i| meets(i, o)) {
            return Ok((false, format!("{} reaches {} on a shared VLAN", o.2, i.2)));
        }
    }
    let reached = outside
        .iter()
        .any(|o| o.0.tier.as_deref() == Some(from) && inside.iter().any(|i| meets(i, o)));
    Ok(if reached {
        (true, format!("only {from} reaches {tier}"))
    } else {
        (false, format!("{from} does not reach {tier} at all"))
    })
}

fn has_witness(d: &Design, cluster: &str) -> Said {
    let w = d
        .clusters
        .iter()
        .find(|c| c.id == cluster)
        .map(|c| &c.witness)
        .or_else(|| {
            d.guest_clusters
                .iter()
                .find(|c| c.id == cluster)
                .map(|c| &c.witness)
        });
    Ok(match w {
        None => (false, format!("the design has no cluster {cluster}")),
        Some(Witness::None) => (false, format!("{cluster} has no witness")),
        Some(w) => (
            true,
            format!("{cluster} has a witness ({})", witness_words(w)),
        ),
    })
}

fn witness_words(w: &Witness) -> String {
    match w {
        Witness::None => "none".into(),
        Witness::Disk { storage } => format!("disk {storage}"),
        Witness::FileShare { storage } => format!("file share {storage}"),
        Witness::Cloud => "cloud".into(),
    }
}

fn served(e: &Engine, service: &str, percent: f64) -> Said {
    let d = &e.scenario.design;
    let m = e.metrics();
    let end = e.now();
    let (mut offered, mut served) = (0u128, 0u128);
    for (c, client) in d.clients.iter().enumerate() {
        if client.tier != service {
            continue;
        }
        for (i, s) in m.samples.iter().enumerate() {
            let stop = m.samples.get(i + 1).map_or(end, |n| n.t_ms.min(end));
            let span = u128::from(stop.saturating_sub(s.t_ms));
            offered += u128::from(client.requests_per_second) * span;
            served += u128::from(s.client_served_rps.get(c).copied().unwrap_or(0)) * span;
        }
    }
    if offered == 0 {
        return Ok((false, format!("no client sends requests to {service}")));
    }
    let got = served as f64 * 100.0 / offered as f64;
    Ok((
        got >= percent,
        format!(
            "{service} served {} % of its requests through the run",
            nines::percent(got)
        ),
    ))
}

/// Runs the script following VM `vm`: each time it stops serving, how long until it serves
/// again.
/// The worst RPO of the run: between events a copy's age grows with the clock, so the worst
/// moment is just before an event (or the end) that the run is replayed through.
fn rpo_within(ev: &mut Evidence, vm: &str, within_ms: u64) -> Said {
    let end = ev.run()?.now();
    let mut e = crate::analysis::engine_for(ev.scenario)?;
    if e.rpo_ms(vm).is_none() {
        return Ok((
            false,
            format!("{vm} has no replica and no backup: a disaster loses all of its data"),
        ));
    }
    let mut worst = (0, 0);
    loop {
        let at = e.next_at().filter(|&t| t <= end).unwrap_or(end);
        if let Some(age) = e.rpo_ms(vm) {
            let age = age + (at - e.now());
            if age > worst.0 {
                worst = (age, at);
            }
        }
        if at >= end || !e.advance(end) {
            break;
        }
    }
    Ok(if worst.0 <= within_ms {
        (true, format!("{vm}'s RPO was at worst {}", fmt_ms(worst.0)))
    } else {
        (
            false,
            format!(
                "{vm}'s RPO reached {} at {}: a disaster then would have lost that much",
                fmt_ms(worst.0),
                fmt_ms(worst.1)
            ),
        )
    })
}

fn running_within(ev: &mut Evidence, vm: &str, within_ms: u64) -> Said {
    // Where the script's run stops; this run follows the VM to there, moment by moment.
    let end = ev.run()?.now();
    let mut e = crate::analysis::engine_for(ev.scenario)?;
    let Some(v) = e.vm_index(vm) else {
        return Ok((false, format!("the design has no VM {vm}")));
    };
    let mut down_since: Option<u64> = None;
    let mut longest = 0;
    let mut downs = 0;
    loop {
        let serving = e.vm_view(v).state_is_serving();
        match (serving, down_since) {
            (false, None) => {
                down_since = Some(e.now());
                downs += 1;
            }
            (true, Some(t)) => {
                longest = longest.max(e.now() - t);
                down_since = None;
            }
            _ => {}
        }
        if !e.step(end) {
            break;
        }
    }
    if let Some(t) = down_since {
        return Ok((
            false,
            format!("{vm} is still down at the end (since {})", fmt_ms(t)),
        ));
    }
    Ok(match downs {
        0 => (true, format!("{vm} never went down")),
        _ => (
            longest <= within_ms,
            format!(
                "{vm} went down {downs} time(s); the longest took {} to run again",
                fmt_ms(longest)
            ),
        ),
    })
}

fn did(ev: &mut Evidence, fault: &str, then: Option<&str>) -> Said {
    let s = ev.scenario;
    let first = s
        .faults
        .iter()
        .filter(|f| !f.repair)
        .find(|f| f.kind() == fault)
        .map(|f| f.at_ms);
    let Some(at) = first else {
        return Ok((false, format!("the script has no {fault}")));
    };
    let Some(then) = then else {
        return Ok((
            true,
            format!("the script has {} at {}", a(fault), fmt_ms(at)),
        ));
    };
    let seen = ev.run()?.events().iter().find(|e| {
        e.t_ms >= at
            && serde_json::to_value(e.kind)
                .ok()
                .is_some_and(|k| k.as_str() == Some(then))
    });
    Ok(match seen {
        Some(e) => (
            true,
            format!(
                "{fault} at {}, then {then} at {}",
                fmt_ms(at),
                fmt_ms(e.t_ms)
            ),
        ),
        None => (
            false,
            format!("{fault} at {}, but no {then} followed", fmt_ms(at)),
        ),
    })
}

/// A check in words, for the checklist and the grader's columns.
pub fn words(c: &Check) -> String {
    match c {
        Check::NoLocalStorage { tier } => format!("no VM of {tier} on local storage"),
        Check::SpansHosts { tier, hosts } => format!("{tier} spans at least {hosts} hosts"),
        Check::OnlyReachableFrom { tier, from } => format!("{tier} is reachable only from {from}"),
        Check::HasWitness { cluster } => format!("{cluster} has a witness"),
        Check::AtMostHosts { hosts } => format!("at most {hosts} hosts"),
        Check::Served { service, percent } => {
            format!("{service} serves at least {percent} % of its requests")
        }
        Check::RunningWithin { vm, within_ms } => {
            format!("{vm} runs again within {}", fmt_ms(*within_ms))
        }
        Check::QuorumKept { cluster } => format!("{cluster} keeps quorum"),
        Check::RpoWithin { vm, within_ms } => {
            format!("{vm}'s RPO stays within {}", fmt_ms(*within_ms))
        }
        Check::Survives { service, scope } => format!(
            "{} survives every {}",
            service.as_deref().unwrap_or("every service"),
            scope_words(*scope)
        ),
        Check::RecoversWithin {
            service,
            within_ms,
            scope,
        } => format!(
            "{service} recovers within {} of any {}",
            fmt_ms(*within_ms),
            scope_words(*scope)
        ),
        Check::Availability { service, percent } => {
            format!("{service} is available at least {percent} %")
        }
        Check::Did { fault, then } => match then {
            Some(t) => format!("the run has {}, then {t}", a(fault)),
            None => format!("the run has {}", a(fault)),
        },
    }
}

/// A fault kind with its article: "a host_crash", "an app_failure".
fn a(kind: &str) -> String {
    let vowel = kind.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {kind}", if vowel { "an" } else { "a" })
}
