//! Limits a scenario from outside (a link or a file) must respect before the page opens it.
//!
//! Design problems (a VM on a host that does not exist, too many nodes) are not refused here:
//! they open and show in the editor like any other, and a design with errors does not run. What
//! is refused is what could hang or break the page: counts beyond any real design, times that
//! would overflow the clock, absurdly long texts.

use super::LinkError;
use crate::model::validate::{MAX_COMPONENTS, MAX_REPLICAS};
use crate::model::{Pos, Scenario};

pub const MAX_FAULTS: usize = 10_000;
/// 30 days: far beyond any lesson, far from overflowing the engine's millisecond clock.
pub const MAX_TIME_MS: u64 = 30 * 24 * 3_600_000;
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Canvas positions (grid units).
pub const MAX_COORD: i32 = 1_000_000;

pub fn check(s: &Scenario) -> Result<(), LinkError> {
    let out = |what: String| Err(LinkError::OutOfRange(what));
    let d = &s.design;
    let components = d.ids().count() + d.tiers.len();
    if components > MAX_COMPONENTS {
        return out(format!(
            "it has {components} components; at most {MAX_COMPONENTS} are supported"
        ));
    }
    if s.faults.len() + s.operations.len() > MAX_FAULTS {
        return out(format!(
            "it scripts {} faults and operations; at most {MAX_FAULTS} are supported",
            s.faults.len() + s.operations.len()
        ));
    }
    #[cfg(feature = "simulate")]
    let numbers = s.reliability.rates.len() + s.reliability.targets.len();
    #[cfg(feature = "simulate")]
    if numbers > MAX_COMPONENTS {
        return out(format!(
            "it sets {numbers} failure rates and targets; at most {MAX_COMPONENTS} are supported"
        ));
    }
    // A scenario file cannot hold NaN or infinity (JSON has neither): a link cannot either.
    #[cfg(feature = "simulate")]
    if let Some(id) = (s.reliability.rates.iter())
        .find(|r| !(r.per_year.is_finite() && r.repair_hours.is_finite()))
        .map(|r| &r.id)
        .or_else(|| {
            (s.reliability.targets.iter())
                .find(|t| !t.percent.is_finite())
                .map(|t| &t.service)
        })
    {
        return out(format!(
            "{}'s failure rate, repair time or target is not a number",
            short(id)
        ));
    }
    if let Some(v) = d.vms.iter().find(|v| v.replicas > MAX_REPLICAS) {
        return out(format!(
            "VM {} has {} replicas; at most {MAX_REPLICAS}",
            short(&v.id),
            v.replicas
        ));
    }
    let time = |what: &str, ms: u64| {
        if ms > MAX_TIME_MS {
            out(format!("{what} is {ms} ms, beyond the 30-day limit"))
        } else {
            Ok(())
        }
    };
    for f in &s.faults {
        time("a fault's time", f.at_ms)?;
    }
    for o in &s.operations {
        time("an operation's time", o.at_ms)?;
    }
    for v in &d.vms {
        time("a VM's boot time", v.boot_ms)?;
    }
    for g in &d.guest_clusters {
        time("a guest role's start time", g.role.start_ms)?;
    }
    let t = &s.settings.timing;
    for ms in [
        t.resiliency_period_ms,
        t.quarantine_duration_ms,
        t.restart_window_ms,
        t.failover_period_ms,
        t.vm_monitoring_detection_ms,
        t.resource_health_check_ms,
        t.paused_critical_timeout_ms,
        t.nlb_heartbeat_ms,
        t.nlb_convergence_ms,
        t.retry_period_ms,
        t.vm_start_ms,
        t.update_install_ms,
        t.host_restart_ms,
    ]
    .into_iter()
    .flatten()
    {
        time("a timing setting", ms)?;
    }
    let texts = [&s.name, &s.description]
        .into_iter()
        .chain(d.ids())
        .chain(d.tiers.iter().map(|t| &t.name))
        .chain(d.sites.iter().map(|x| &x.name))
        .chain(d.hosts.iter().map(|x| &x.name))
        .chain(d.switches.iter().map(|x| &x.name))
        .chain(d.storage.iter().map(|x| &x.name))
        .chain(d.vms.iter().map(|x| &x.name))
        .chain(d.clusters.iter().map(|x| &x.name))
        .chain(
            d.guest_clusters
                .iter()
                .flat_map(|x| [&x.name, &x.role.name]),
        )
        .chain(d.nlb_clusters.iter().map(|x| &x.name))
        .chain(d.clients.iter().map(|x| &x.name));
    for text in texts {
        if text.chars().count() > MAX_TEXT_CHARS {
            return out(format!(
                "a name or description is longer than {MAX_TEXT_CHARS} characters"
            ));
        }
    }
    let positions = d
        .hosts
        .iter()
        .map(|x| x.at)
        .chain(d.switches.iter().map(|x| x.at))
        .chain(d.storage.iter().map(|x| x.at))
        .chain(d.clients.iter().map(|x| x.at));
    for Pos { x, y } in positions.flatten() {
        if x.unsigned_abs().max(y.unsigned_abs()) > MAX_COORD.unsigned_abs() {
            return out(format!(
                "a component is placed at ({x}, {y}), off the canvas"
            ));
        }
    }
    Ok(())
}

/// An id quoted in a message, cut to a readable length.
fn short(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}
