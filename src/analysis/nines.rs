//! Availability in nines: how often each failure happens (a rate per year) times what the
//! simulation says it costs each service gives each service's expected downtime per year, its
//! availability and its nines. The method, the formulas and the sources of the defaults are in
//! docs/simulation-model.md ("Availability in nines").

use super::{Case, Outcome, What};
use crate::model::{FailureKind, Fault, Operation, Scenario, parse_vm_ref};
use serde::Serialize;

/// Hours in a year (365.25 days), the period every rate is per.
pub const YEAR_HOURS: f64 = 8_766.0;
const YEAR_MS: f64 = YEAR_HOURS * 3_600_000.0;

/// The rate of one kind of failure and how long its repair takes, and whether a source backs
/// them or they are our assumption.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct KindRate {
    pub per_year: f64,
    pub repair_hours: f64,
    /// "Gill et al., SIGCOMM 2011" or "assumption".
    pub basis: &'static str,
}

/// The defaults of each kind of failure (sources in docs/simulation-model.md).
pub fn default_rate(kind: FailureKind) -> KindRate {
    let d = |per_year, repair_hours, basis| KindRate {
        per_year,
        repair_hours,
        basis,
    };
    match kind {
        // Jeff Dean: ~1,000 machine failures a year in a cluster of several thousand machines.
        FailureKind::HostCrash => d(0.25, 24.0, "Dean (Google), rate; repair an assumption"),
        FailureKind::HostIsolation => d(0.05, 4.0, "assumption"),
        // Monthly security updates (Update Tuesday); the restart itself is simulated.
        FailureKind::HostShutdown => d(12.0, 0.25, "monthly updates; duration an assumption"),
        // Gill, Jain, Nagappan: ToR switches fail with a probability of about 5% a year.
        FailureKind::SwitchFailure => d(0.05, 4.0, "Gill et al. 2011, rate; repair an assumption"),
        // Gill et al.: links are down 0.3 days a year on average; one failure is our split.
        FailureKind::LinkCut => d(
            1.0,
            7.2,
            "Gill et al. 2011, downtime; the split an assumption",
        ),
        // Vendors' "five nines" (5.3 min a year) as one failure every ten years.
        FailureKind::StorageFailure => d(0.1, 0.88, "vendors' five nines; split an assumption"),
        // Uptime Institute Tier III: 99.982 %, 1.6 h a year; one in five sites a serious
        // outage in three years.
        FailureKind::SiteFailure => d(0.07, 23.0, "Uptime Institute Tier III, 1.6 h a year"),
        FailureKind::VmCrash => d(1.0, 0.25, "assumption"),
        FailureKind::AppFailure => d(2.0, 1.0, "assumption"),
        FailureKind::GuestHang => d(1.0, 0.5, "assumption"),
        // Azure Storage: writes succeed at least 99.9 % of the time (8.8 h a year), as four
        // outages; a disk or file share witness: the same, an assumption.
        FailureKind::WitnessFailure => d(4.0, 2.2, "Azure Storage SLA 99.9 %; split an assumption"),
    }
}

/// Which component fails how in a single-failure case (`None`: not a single failure).
pub fn failure_of(case: &Case) -> Vec<(FailureKind, String)> {
    let one = |f: &Fault| -> Option<(FailureKind, String)> {
        use FailureKind as K;
        Some(match f {
            Fault::HostCrash { host } => (K::HostCrash, host.clone()),
            Fault::HostIsolation { host } => (K::HostIsolation, host.clone()),
            Fault::SwitchFailure { switch } => (K::SwitchFailure, switch.clone()),
            Fault::LinkCut { link } => (K::LinkCut, link.clone()),
            Fault::StorageFailure { storage } => (K::StorageFailure, storage.clone()),
            Fault::SiteFailure { site } => (K::SiteFailure, site.clone()),
            // A VM's rate is set on its entry and holds for each instance.
            Fault::VmCrash { vm } => (K::VmCrash, entry(vm)),
            Fault::AppFailure { vm } => (K::AppFailure, entry(vm)),
            Fault::GuestHang { vm } => (K::GuestHang, entry(vm)),
            Fault::WitnessFailure { cluster } => (K::WitnessFailure, cluster.clone()),
            Fault::Partition { .. }
            | Fault::VmDeletion { .. }
            | Fault::GuestCorruption { .. }
            | Fault::Ransomware { .. } => return None,
        })
    };
    match &case.what {
        What::Fault(f) => one(f).into_iter().collect(),
        What::Faults(fs) => fs.iter().filter_map(one).collect(),
        What::Op(Operation::Shutdown { host }) => vec![(FailureKind::HostShutdown, host.clone())],
        // A disaster with its recovery is not a component's failure with a rate.
        What::Op(_) | What::Recovery { .. } | What::Nothing => Vec::new(),
    }
}

fn entry(vm: &str) -> String {
    parse_vm_ref(vm).map_or(vm, |(entry, _)| entry).to_string()
}

/// The rate and repair time of one failure of one component: the user's, else the default.
pub fn rate_of(s: &Scenario, kind: FailureKind, id: &str) -> (f64, f64) {
    match s.reliability.rate(id, kind) {
        Some(r) => (r.per_year, r.repair_hours),
        None => {
            let d = default_rate(kind);
            (d.per_year, d.repair_hours)
        }
    }
}

/// What one case adds to one service's year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contribution {
    pub case: String,
    /// Times a year this case happens.
    pub per_year: f64,
    /// What each occurrence costs the service (full-outage ms).
    pub downtime_ms: f64,
    /// `per_year × downtime_ms`, in ms a year.
    pub ms_per_year: f64,
    /// Whether the service waits for the repair (it does not recover on its own).
    pub waits_for_repair: bool,
    pub planned: bool,
}

/// One service's year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceYear {
    pub service: String,
    /// Expected unplanned downtime a year, ms.
    pub unplanned_ms: f64,
    /// Expected planned downtime a year (maintenance), ms: outside the availability, as SLAs
    /// count it.
    pub planned_ms: f64,
    /// 1 − unplanned / year, in percent.
    pub availability: f64,
    /// −log10(1 − availability).
    pub nines: f64,
    pub target: Option<f64>,
    /// Contributions with a cost, largest first.
    pub contributions: Vec<Contribution>,
}

impl ServiceYear {
    pub fn meets_target(&self) -> Option<bool> {
        self.target.map(|t| self.availability >= t)
    }
}

/// Each service's expected year from the outcomes of an analysis: Σ rate × downtime. A
/// failure's downtime is the outage its run shows, plus, where the run ended with the service
/// still (partly) down, that share of the repair time the run did not cover. A pair of failures
/// happens when the second fails while the first is being repaired: λa·λb·(ra + rb) / year,
/// and a service it leaves down waits for the first repair (the shorter).
pub fn years(s: &Scenario, outcomes: &[Outcome]) -> Vec<ServiceYear> {
    let Some(first) = outcomes.first() else {
        return Vec::new();
    };
    let mut out: Vec<ServiceYear> = first
        .services
        .iter()
        .map(|x| ServiceYear {
            service: x.service.clone(),
            unplanned_ms: 0.0,
            planned_ms: 0.0,
            availability: 100.0,
            nines: f64::INFINITY,
            target: s.reliability.target(&x.service),
            contributions: Vec::new(),
        })
        .collect();
    for o in outcomes {
        let parts = failure_of(&o.case);
        let rates: Vec<(f64, f64)> = parts.iter().map(|(k, id)| rate_of(s, *k, id)).collect();
        let (per_year, repair_h) = match rates.as_slice() {
            [(r, h)] => (*r, *h),
            [(ra, ha), (rb, hb)] => (ra * rb * (ha + hb) / YEAR_HOURS, ha.min(*hb)),
            _ => continue,
        };
        let planned = parts.iter().all(|(k, _)| *k == FailureKind::HostShutdown);
        for (year, r) in out.iter_mut().zip(&o.services) {
            // What the run saw, then what stays down until the repair, if the run ended first.
            let repair_ms = repair_h * 3_600_000.0;
            let waits = !r.survived;
            let ran_ms = o.ended_ms.saturating_sub(super::FAULT_AT_MS) as f64;
            let downtime_ms = r.outage_ms as f64
                + f64::from(r.down_permille) / 1000.0 * (repair_ms - ran_ms).max(0.0);
            let ms_per_year = per_year * downtime_ms;
            if ms_per_year <= 0.0 {
                continue;
            }
            if planned {
                year.planned_ms += ms_per_year;
            } else {
                year.unplanned_ms += ms_per_year;
            }
            year.contributions.push(Contribution {
                case: o.case.label.clone(),
                per_year,
                downtime_ms,
                ms_per_year,
                waits_for_repair: waits,
                planned,
            });
        }
    }
    for y in &mut out {
        let unavailable = (y.unplanned_ms / YEAR_MS).min(1.0);
        y.availability = 100.0 * (1.0 - unavailable);
        y.nines = if unavailable > 0.0 {
            -unavailable.log10()
        } else {
            f64::INFINITY
        };
        y.contributions
            .sort_by(|a, b| b.ms_per_year.total_cmp(&a.ms_per_year));
    }
    out
}

/// "web: 99.9921 % (4.1 nines), 41 min a year; target 99.95 % met".
pub fn sentence(y: &ServiceYear) -> String {
    let nines = if y.nines.is_finite() {
        format!("{:.1} nines", y.nines)
    } else {
        "no expected downtime".into()
    };
    let target = match (y.target, y.meets_target()) {
        (Some(t), Some(true)) => format!("; target {t} % met"),
        (Some(t), _) => format!("; target {t} % missed"),
        _ => String::new(),
    };
    format!(
        "{}: {} % ({nines}), {} a year unplanned{}{target}",
        y.service,
        percent(y.availability),
        duration(y.unplanned_ms),
        if y.planned_ms > 0.0 {
            format!(", {} planned", duration(y.planned_ms))
        } else {
            String::new()
        }
    )
}

/// An availability with enough digits to tell the nines apart: 99.9921.
pub fn percent(a: f64) -> String {
    let s = format!("{a:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A yearly duration in the unit that reads best: "41 min", "3.2 h", "12 s".
pub fn duration(ms: f64) -> String {
    let s = ms / 1000.0;
    if s < 60.0 {
        format!("{s:.0} s")
    } else if s < 3_600.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3_600.0)
    }
}
