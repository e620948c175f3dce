//! What each Windows Server version has: scale limits and the features that arrived with later
//! versions. `validate` refuses a design the chosen version could not build.

use super::Version;
use super::validate::{MAX_CLUSTER_NODES, MAX_CLUSTER_VMS, MAX_HOST_VMS};
#[cfg(feature = "simulate")]
use super::{Monitoring, Priority, Scenario};

/// Scale limits of one version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub cluster_nodes: usize,
    pub cluster_vms: u64,
    pub host_vms: u64,
}

/// 2008 R2: 16 nodes, 1,000 VMs per cluster, 384 per host. 2012 and later: 64 / 8,000 / 1,024.
pub fn limits(version: Version) -> Limits {
    match version {
        Version::W2008R2 => Limits {
            cluster_nodes: 16,
            cluster_vms: 1_000,
            host_vms: 384,
        },
        _ => Limits {
            cluster_nodes: MAX_CLUSTER_NODES,
            cluster_vms: MAX_CLUSTER_VMS,
            host_vms: MAX_HOST_VMS,
        },
    }
}

/// Errors for the features the scenario uses that its version does not have.
#[cfg(feature = "simulate")]
pub(super) fn check(s: &Scenario) -> Vec<(Vec<String>, String)> {
    let v = s.settings.version;
    let d = &s.design;
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    let mut refuse = |ids: &[&str], what: String, since: &str| {
        out.push((
            ids.iter().map(|x| x.to_string()).collect(),
            format!(
                "{what}, which arrived in Windows Server {since}; this scenario is {}",
                v.label()
            ),
        ))
    };
    if v < Version::W2012R2 {
        for vm in &d.vms {
            if vm.priority != Priority::Medium {
                refuse(
                    &[&vm.id],
                    format!("VM {} has a start priority", vm.id),
                    "2012",
                );
            }
            // 2008 R2 has the integration-services heartbeat check, not service monitoring.
            if vm.monitoring == Monitoring::Service {
                refuse(
                    &[&vm.id],
                    format!("VM {} uses VM Monitoring of a service", vm.id),
                    "2012",
                );
            }
        }
        if s.settings.dynamic_quorum.is_some() {
            refuse(&[], "the scenario sets dynamic quorum".into(), "2012");
        }
    }
    if v < Version::W2016 {
        for vm in d.vms.iter().filter(|x| x.shielded) {
            refuse(&[&vm.id], format!("VM {} is shielded", vm.id), "2016");
        }
        for c in d.clusters.iter().filter(|c| !c.sets.is_empty()) {
            let name = super::display_name(&c.name, &c.id);
            refuse(
                &[&c.id],
                format!("cluster {name} uses cluster sets"),
                "2016",
            );
        }
        // Sites are places and exist in every version; what 2016 added is site awareness
        // (CrossSite* heartbeats): before it, cross-site pairs use the cross-subnet numbers.
        let cross_site = |h: &super::HeartbeatSettings| {
            h.cross_site_delay_ms.is_some() || h.cross_site_threshold.is_some()
        };
        if cross_site(&s.settings.heartbeat)
            || d.clusters.iter().any(|c| cross_site(&c.heartbeat))
            || d.guest_clusters.iter().any(|c| cross_site(&c.heartbeat))
        {
            refuse(&[], "a heartbeat setting is CrossSite*".into(), "2016");
        }
        let t = &s.settings.timing;
        if s.settings.resiliency_level.is_some()
            || t.resiliency_period_ms.is_some()
            || t.quarantine_threshold.is_some()
            || t.quarantine_duration_ms.is_some()
        {
            refuse(
                &[],
                "the scenario sets compute resiliency (resiliency or quarantine)".into(),
                "2016",
            );
        }
    }
    out
}
