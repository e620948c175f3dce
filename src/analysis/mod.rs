//! Every-single-failure analysis: each fault the design allows, each as its own deterministic run
//! from the scenario's steady state until the design is quiet again (or a cap), and what it cost
//! each service. No web types; the runs are independent, so callers may run them in parallel
//! (`analyze` does, natively, with rayon).

pub mod compare;
pub mod nines;

use crate::model::{Fault, Operation, Scenario, ScheduledFault, ScheduledOp};
use crate::sim::{Engine, EventKind, fmt_ms};
use serde::{Deserialize, Serialize};

/// When the fault happens: a minute of steady state first.
pub const FAULT_AT_MS: u64 = 60_000;
/// The design is quiet when nothing has happened for this long after the fault.
pub const QUIET_MS: u64 = 15 * 60_000;
/// No run goes on longer than this after the fault.
pub const CAP_MS: u64 = 2 * 3_600_000;
/// A loss that needs an administrator (a failover to a replica, a restore): they act this long
/// after it (a modelling choice).
pub const OPERATOR_MS: u64 = 15 * 60_000;

/// One thing that can go wrong (or be done) to the design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// In words: "host-2 crashes".
    pub label: String,
    /// The components it names.
    pub subjects: Vec<String>,
    #[serde(skip)]
    pub what: What,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub enum What {
    Fault(Fault),
    /// Several failures at the same moment (two hosts: N+2).
    Faults(Vec<Fault>),
    Op(Operation),
    /// A disaster and the administrator's recovery `OPERATOR_MS` later (failovers, restores).
    Recovery {
        faults: Vec<Fault>,
        ops: Vec<Operation>,
    },
    #[default]
    Nothing,
}

/// What one case cost one service (a tier, or a VM when the design has no tiers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceResult {
    pub service: String,
    /// Fully available again by the end of the run.
    pub survived: bool,
    /// From the fault until the service was whole again for good (`None`: it never was).
    pub time_to_recover_ms: Option<u64>,
    /// The outage as full-outage time (half the service down for a minute counts 30 s).
    pub outage_ms: u64,
    /// Client requests for this service lost.
    pub requests_lost: u64,
    /// Its VMs still down at the end, with the reason.
    pub vms_down: Vec<(String, String)>,
    /// Data lost when its VMs came back from older copies (the RPO of the recovery).
    #[serde(default)]
    pub data_lost_ms: u64,
    /// How much of the service was unavailable when the run ended, per mille (what stays down
    /// until the failed part is repaired).
    pub down_permille: u32,
}

/// The result of one case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub case: Case,
    pub services: Vec<ServiceResult>,
    pub quorum_lost: bool,
    /// When the run stopped (simulated ms from the start).
    pub ended_ms: u64,
    /// When a service first lost availability (`None`: none did): where the player opens.
    pub hurts_at_ms: Option<u64>,
}

impl Outcome {
    /// How much damage, for sorting (worst first): services lost, then outage.
    pub fn damage(&self) -> (usize, u64) {
        (
            self.services.iter().filter(|s| !s.survived).count(),
            self.services.iter().map(|s| s.outage_ms).sum(),
        )
    }
}

/// Components of one kind that each fail on their own: their ids, the fault, noun and verb.
type Part<'a> = (Vec<&'a String>, fn(String) -> Fault, &'a str, &'a str);

/// Every single fault the design allows: each host's crash, isolation and graceful shutdown
/// (with a cluster), each switch, cable, storage and site, each VM instance's crash,
/// application failure and guest hang.
pub fn single_cases(s: &Scenario) -> Vec<Case> {
    let d = &s.design;
    let mut out = Vec::new();
    let fault = |f: Fault, label: String| Case {
        subjects: f.subjects(),
        label,
        what: What::Fault(f),
    };
    for h in &d.hosts {
        let host = h.id.clone();
        out.push(fault(
            Fault::HostCrash { host: host.clone() },
            format!("{host} crashes"),
        ));
        out.push(fault(
            Fault::HostIsolation { host: host.clone() },
            format!("{host} loses every NIC"),
        ));
        if d.clusters.iter().any(|c| c.nodes.contains(&host)) {
            out.push(Case {
                label: format!("{host} is shut down gracefully"),
                subjects: vec![host.clone()],
                what: What::Op(Operation::Shutdown { host }),
            });
        }
    }
    // Each component that fails on its own: which ids, the fault, and the words.
    let parts: [Part; 4] = [
        (
            d.switches.iter().map(|x| &x.id).collect(),
            |switch| Fault::SwitchFailure { switch },
            "switch",
            "fails",
        ),
        (
            d.links.iter().map(|x| &x.id).collect(),
            |link| Fault::LinkCut { link },
            "cable",
            "is cut",
        ),
        (
            d.storage.iter().map(|x| &x.id).collect(),
            |storage| Fault::StorageFailure { storage },
            "storage",
            "fails",
        ),
        (
            d.sites.iter().map(|x| &x.id).collect(),
            |site| Fault::SiteFailure { site },
            "site",
            "is lost",
        ),
    ];
    for (ids, make, noun, verb) in parts {
        for id in ids {
            out.push(fault(make(id.clone()), format!("{noun} {id} {verb}")));
        }
    }
    // Each witness on its own (the storage it lives on is a case of its own above).
    let witnessed = d
        .clusters
        .iter()
        .map(|c| (&c.id, &c.witness))
        .chain(d.guest_clusters.iter().map(|g| (&g.id, &g.witness)));
    for (id, w) in witnessed {
        if *w != crate::model::Witness::None {
            out.push(fault(
                Fault::WitnessFailure {
                    cluster: id.clone(),
                },
                format!("the witness of {id} fails"),
            ));
        }
    }
    for (vm, _) in instances(d) {
        out.push(fault(
            Fault::VmCrash { vm: vm.clone() },
            format!("VM {vm} crashes"),
        ));
        out.push(fault(
            Fault::AppFailure { vm: vm.clone() },
            format!("the application in {vm} fails"),
        ));
        out.push(fault(
            Fault::GuestHang { vm: vm.clone() },
            format!("the guest OS of {vm} hangs"),
        ));
    }
    out
}

/// Each VM instance's id as faults name it (`web`, or `web#2` of several), with its entry.
fn instances(d: &crate::model::Design) -> impl Iterator<Item = (String, &crate::model::Vm)> {
    d.vms.iter().flat_map(|v| {
        (1..=v.replicas).map(move |k| {
            let id = if v.replicas == 1 {
                v.id.clone()
            } else {
                format!("{}#{k}", v.id)
            };
            (id, v)
        })
    })
}

/// The disasters a design's replicas and backups answer, each with the administrator's
/// recovery: a site lost (its replicated VMs fail over), each protected VM deleted (failed
/// over, or restored), each backed-up VM's data corrupted (restored), and ransomware taking
/// each site (its VMs failed over or restored).
pub fn recovery_cases(s: &Scenario) -> Vec<Case> {
    let d = &s.design;
    let r = &s.recovery;
    let mut out = Vec::new();
    let instances: Vec<(String, &crate::model::Vm)> = instances(d).collect();
    let replicated = |vm: &str| r.replicas.iter().any(|x| x.vm == vm);
    let backed_up = |vm: &str| r.backups.iter().any(|b| b.vms.iter().any(|x| x == vm));
    let site_of = |h: &String| {
        d.hosts
            .iter()
            .find(|x| &x.id == h)
            .and_then(|x| x.site.clone())
    };
    // The way back for one VM: its replica if it has one, else a restore onto its first host.
    let back = |vm: &str, v: &crate::model::Vm| -> Option<Operation> {
        if replicated(vm) {
            Some(Operation::Failover {
                vm: vm.to_string(),
                planned: false,
            })
        } else if backed_up(vm) {
            Some(Operation::Restore {
                vm: vm.to_string(),
                to: v.hosts.first()?.clone(),
                instant: false,
            })
        } else {
            None
        }
    };
    let case = |label: String, faults: Vec<Fault>, ops: Vec<Operation>| Case {
        subjects: faults.iter().flat_map(Fault::subjects).collect(),
        label,
        what: What::Recovery { faults, ops },
    };
    for site in &d.sites {
        let here: Vec<&(String, &crate::model::Vm)> = (instances.iter())
            .filter(|(_, v)| {
                v.hosts
                    .iter()
                    .any(|h| site_of(h).as_ref() == Some(&site.id))
            })
            .collect();
        let failovers: Vec<Operation> = (here.iter())
            .filter(|(vm, _)| replicated(vm))
            .map(|(vm, _)| Operation::Failover {
                vm: vm.clone(),
                planned: false,
            })
            .collect();
        if !failovers.is_empty() {
            out.push(case(
                format!(
                    "site {} is lost; its replicas fail over 15 min later",
                    site.id
                ),
                vec![Fault::SiteFailure {
                    site: site.id.clone(),
                }],
                failovers,
            ));
        }
        let recoveries: Vec<Operation> = here.iter().filter_map(|(vm, v)| back(vm, v)).collect();
        if !recoveries.is_empty() {
            out.push(case(
                format!(
                    "ransomware takes site {}; 15 min later its VMs are recovered",
                    site.id
                ),
                vec![Fault::Ransomware {
                    domain: vec![site.id.clone()],
                }],
                recoveries,
            ));
        }
    }
    for (vm, v) in &instances {
        if let Some(op) = back(vm, v) {
            out.push(case(
                format!("VM {vm} is deleted; 15 min later it is recovered"),
                vec![Fault::VmDeletion { vm: vm.clone() }],
                vec![op],
            ));
        }
        if backed_up(vm)
            && let Some(to) = v.hosts.first()
        {
            out.push(case(
                format!("the data in {vm} is corrupted; 15 min later it is restored"),
                vec![Fault::GuestCorruption { vm: vm.clone() }],
                vec![Operation::Restore {
                    vm: vm.clone(),
                    to: to.clone(),
                    instant: false,
                }],
            ));
        }
    }
    out
}

/// Every pair of hosts crashing at the same moment (does the design survive N+2?).
pub fn pair_cases(s: &Scenario) -> Vec<Case> {
    let hosts: Vec<&str> = s.design.hosts.iter().map(|h| h.id.as_str()).collect();
    let mut out = Vec::new();
    for (i, a) in hosts.iter().enumerate() {
        for b in &hosts[i + 1..] {
            let faults = vec![
                Fault::HostCrash {
                    host: a.to_string(),
                },
                Fault::HostCrash {
                    host: b.to_string(),
                },
            ];
            out.push(Case {
                label: format!("{a} and {b} crash together"),
                subjects: vec![a.to_string(), b.to_string()],
                what: What::Faults(faults),
            });
        }
    }
    out
}

/// Every single failure and, with `pairs`, every pair of host crashes: what `analyze` runs.
pub fn cases(s: &Scenario, pairs: bool) -> Vec<Case> {
    let mut cases = single_cases(s);
    cases.extend(recovery_cases(s));
    if pairs {
        cases.extend(pair_cases(s));
    }
    cases
}

/// The scenario of one case: the design in steady state, the case at `FAULT_AT_MS`, no script.
pub fn case_scenario(s: &Scenario, case: &Case) -> Scenario {
    let mut s = s.clone();
    s.faults.clear();
    s.operations.clear();
    match &case.what {
        What::Fault(f) => s.faults.push(ScheduledFault {
            at_ms: FAULT_AT_MS,
            repair: false,
            fault: f.clone(),
        }),
        What::Faults(fs) => s.faults.extend(fs.iter().map(|f| ScheduledFault {
            at_ms: FAULT_AT_MS,
            repair: false,
            fault: f.clone(),
        })),
        What::Op(op) => s.operations.push(ScheduledOp {
            at_ms: FAULT_AT_MS,
            op: op.clone(),
        }),
        What::Recovery { faults, ops } => {
            s.faults.extend(faults.iter().map(|f| ScheduledFault {
                at_ms: FAULT_AT_MS,
                repair: false,
                fault: f.clone(),
            }));
            s.operations.extend(ops.iter().map(|op| ScheduledOp {
                at_ms: FAULT_AT_MS + OPERATOR_MS,
                op: op.clone(),
            }));
        }
        What::Nothing => {}
    }
    s
}

/// The design run to just before the failures, once: every case runs from a copy of it, with
/// its failure added as if scripted (`Engine::add_fault_first`), which gives exactly the run of
/// `case_scenario` (tests/properties.rs) without building and warming up an engine per case.
#[derive(Clone)]
pub struct SteadyState {
    engine: Engine,
}

impl SteadyState {
    pub fn new(s: &Scenario) -> Result<SteadyState, String> {
        let mut base = s.clone();
        base.faults.clear();
        base.operations.clear();
        let mut engine = engine_for(&base)?;
        engine.run_until(FAULT_AT_MS - 1);
        Ok(SteadyState { engine })
    }

    /// Runs one case until the design is quiet (nothing logged for `QUIET_MS`) or the cap.
    pub fn run(&self, case: &Case) -> Outcome {
        let mut e = self.engine.clone();
        match &case.what {
            What::Fault(f) => e.add_fault_first(FAULT_AT_MS, f.clone()),
            What::Faults(fs) => {
                for f in fs {
                    e.add_fault_first(FAULT_AT_MS, f.clone());
                }
            }
            What::Op(op) => e.add_op_first(FAULT_AT_MS, op.clone()),
            What::Recovery { faults, ops } => {
                for f in faults {
                    e.add_fault_first(FAULT_AT_MS, f.clone());
                }
                for op in ops {
                    e.add_op_first(FAULT_AT_MS + OPERATOR_MS, op.clone());
                }
            }
            What::Nothing => {}
        }
        // Quiet is counted from the last scripted moment: the recovery's, for a disaster.
        let last = match &case.what {
            What::Recovery { .. } => FAULT_AT_MS + OPERATOR_MS,
            _ => FAULT_AT_MS,
        };
        run_until_quiet(&mut e, last);
        outcome_of(&e, case.clone())
    }
}

/// Runs `e` to `from`, then on until nothing has been logged for `QUIET_MS` or `CAP_MS` after
/// `from`: where a case's run, or a lesson's run of its script, is read.
pub fn run_until_quiet(e: &mut Engine, from: u64) {
    let cap = from + CAP_MS;
    e.run_until(from);
    let mut last = from;
    loop {
        if !e.step((last + QUIET_MS).min(cap)) {
            // A restore copying a disk for longer is not quiet: wait for it.
            if e.restoring() && e.now() < cap {
                last = e.now();
                continue;
            }
            break;
        }
        last = e.now();
        if last >= cap {
            break;
        }
    }
}

/// An engine for `s` at t = 0, or the first of its design's errors in words.
pub fn engine_for(s: &Scenario) -> Result<Engine, String> {
    Engine::new(s).map_err(|p| {
        p.first()
            .map_or("the design has errors".into(), |p| p.message.clone())
    })
}

/// Runs one case until the design is quiet (nothing logged for `QUIET_MS`) or the cap.
pub fn analyze_one(s: &Scenario, case: &Case) -> Result<Outcome, String> {
    Ok(SteadyState::new(s)?.run(case))
}

/// What a run (stopped where it should be read) shows for `case`: public so tests can read a
/// plain run the same way.
pub fn outcome_of(e: &Engine, case: Case) -> Outcome {
    let end = e.now();
    let m = e.metrics();
    let d = &e.scenario.design;
    let not_serving = e.vms_not_serving();
    let quorum_lost = e
        .events()
        .iter()
        .any(|x| x.kind == EventKind::QuorumLost && x.t_ms >= FAULT_AT_MS);
    let down = m.downtime_until(end);
    let lost_data = m.data_lost_until(end);
    let hurts_at_ms = m
        .samples
        .iter()
        .find(|s| s.t_ms >= FAULT_AT_MS && s.availability_permille.iter().any(|&a| a < 1000))
        .map(|s| s.t_ms);
    let services: Vec<ServiceResult> = if m.tiers.is_empty() {
        // No tiers: each VM is a service.
        e.snapshot()
            .vms
            .iter()
            .map(|v| {
                let serving = v.state_is_serving();
                ServiceResult {
                    service: v.id.clone(),
                    survived: serving,
                    time_to_recover_ms: None,
                    outage_ms: 0,
                    requests_lost: 0,
                    down_permille: if serving { 0 } else { 1000 },
                    vms_down: if serving {
                        Vec::new()
                    } else {
                        vec![(v.id.clone(), down_reason(v))]
                    },
                    data_lost_ms: 0,
                }
            })
            .collect()
    } else {
        m.tiers
            .iter()
            .enumerate()
            .map(|(i, tier)| {
                let avail = |s: &crate::sim::Sample| {
                    s.availability_permille.get(i).copied().unwrap_or(1000)
                };
                let down_permille = 1000 - m.at(end).map_or(1000, |s| avail(s).min(1000));
                let survived = down_permille == 0;
                let first_drop = m
                    .samples
                    .iter()
                    .find(|s| s.t_ms >= FAULT_AT_MS && avail(s) < 1000)
                    .map(|s| s.t_ms);
                let recovered = m
                    .samples
                    .iter()
                    .rev()
                    .find(|s| avail(s) < 1000)
                    .and_then(|bad| m.samples.iter().find(|s| s.t_ms > bad.t_ms).map(|s| s.t_ms));
                let time_to_recover_ms = match (first_drop, survived) {
                    (None, _) => Some(0),
                    (Some(_), true) => recovered.map(|t| t - FAULT_AT_MS),
                    (Some(_), false) => None,
                };
                let (planned, unplanned) = down.get(i).copied().unwrap_or((0, 0));
                let requests_lost = lost_requests(e, tier, end);
                let vms_down = not_serving
                    .iter()
                    .filter(|v| {
                        d.vms
                            .iter()
                            .find(|x| x.id == v.entry)
                            .is_some_and(|x| x.tier.as_deref() == Some(tier))
                    })
                    .map(|v| (v.id.clone(), down_reason(v)))
                    .collect();
                ServiceResult {
                    service: tier.clone(),
                    survived,
                    time_to_recover_ms,
                    outage_ms: planned + unplanned,
                    requests_lost,
                    vms_down,
                    down_permille,
                    data_lost_ms: lost_data.get(i).copied().unwrap_or(0),
                }
            })
            .collect()
    };
    Outcome {
        case,
        services,
        quorum_lost,
        ended_ms: end,
        hurts_at_ms,
    }
}

/// Why a VM does not serve, in words: its recorded reason, else what is wrong inside it.
fn down_reason(v: &crate::sim::VmView) -> String {
    if v.hung {
        "its guest OS hangs and nothing restarts it".into()
    } else if v.app_failed {
        "its application has failed and nothing restarts it".into()
    } else {
        v.reason.clone()
    }
}

/// Requests lost by the clients of `tier`, from the fault to `end`.
fn lost_requests(e: &Engine, tier: &str, end: u64) -> u64 {
    let d = &e.scenario.design;
    let m = e.metrics();
    let mut lost: u128 = 0;
    for (c, client) in d.clients.iter().enumerate() {
        if client.tier != tier {
            continue;
        }
        let rps = u128::from(client.requests_per_second);
        for (i, s) in m.samples.iter().enumerate() {
            let start = s.t_ms.max(FAULT_AT_MS);
            let stop = m.samples.get(i + 1).map_or(end, |n| n.t_ms.min(end));
            if stop <= start {
                continue;
            }
            let served = u128::from(s.client_served_rps.get(c).copied().unwrap_or(0));
            lost += rps.saturating_sub(served) * u128::from(stop - start);
        }
    }
    (lost / 1000) as u64
}

/// The whole analysis: every single fault (and, with `pairs`, every pair of host crashes), in
/// parallel where the platform has threads, worst first (then in the order the cases were listed).
pub fn analyze(s: &Scenario, pairs: bool) -> Result<Vec<Outcome>, String> {
    let cases = cases(s, pairs);
    let steady = SteadyState::new(s)?;
    let mut out: Vec<Outcome> = run_all(&steady, &cases);
    worst_first(&mut out);
    Ok(out)
}

/// Sorts outcomes worst first (services lost, then outage), keeping the order they were listed
/// in among equals.
pub fn worst_first(out: &mut [Outcome]) {
    out.sort_by_key(|o| {
        let (lost, outage) = o.damage();
        (std::cmp::Reverse(lost), std::cmp::Reverse(outage))
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn run_all(steady: &SteadyState, cases: &[Case]) -> Vec<Outcome> {
    use rayon::prelude::*;
    // The engine caches routes in cells (not shared between threads): a copy for each thread.
    let shared = std::sync::Mutex::new(steady.clone());
    cases
        .par_iter()
        .map_init(
            || shared.lock().expect("a copy is only ever read").clone(),
            |own, c| own.run(c),
        )
        .collect()
}

#[cfg(target_arch = "wasm32")]
fn run_all(steady: &SteadyState, cases: &[Case]) -> Vec<Outcome> {
    cases.iter().map(|c| steady.run(c)).collect()
}

/// "web survives 39 of 41 single failures; db survives 37".
pub fn summary(outcomes: &[Outcome]) -> String {
    let Some(first) = outcomes.first() else {
        return "nothing to analyse".into();
    };
    let n = outcomes.len();
    let parts: Vec<String> = first
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let ok = outcomes
                .iter()
                .filter(|o| o.services.get(i).is_some_and(|x| x.survived))
                .count();
            format!("{} survives {ok} of {n} failures", s.service)
        })
        .collect();
    parts.join("; ")
}

/// One sentence on a case's worst effect, for the table.
pub fn why(o: &Outcome) -> String {
    let lost: Vec<&ServiceResult> = o.services.iter().filter(|s| !s.survived).collect();
    if let Some(s) = lost.first() {
        // A reason that names its VM already ("web#1 stopped: ...") is not prefixed again.
        let reason = s
            .vms_down
            .first()
            .map(|(vm, r)| {
                if r.starts_with(vm.as_str()) {
                    format!(": {r}")
                } else {
                    format!(": {vm}: {r}")
                }
            })
            .unwrap_or_default();
        return format!("{} stays down{reason}", s.service);
    }
    match o.services.iter().max_by_key(|s| s.outage_ms) {
        Some(s) if s.outage_ms > 0 => format!(
            "{} recovers after {} (outage {}){}",
            s.service,
            fmt_ms(s.time_to_recover_ms.unwrap_or(0)),
            fmt_ms(s.outage_ms),
            match s.data_lost_ms {
                0 => String::new(),
                ms => format!(", {} of data lost", fmt_ms(ms)),
            }
        ),
        _ => "no service is affected".into(),
    }
}
