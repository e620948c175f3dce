//! Default numbers of the real products, by version preset (notes/clustering-semantics.md).

use super::{HeartbeatSettings, ResiliencyLevel, Settings, Version};

/// Heartbeat delay and threshold of one kind of path between two nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Beat {
    pub delay_ms: u64,
    pub threshold: u32,
}

impl Beat {
    /// Detection time = delay x threshold.
    pub fn detection_ms(self) -> u64 {
        self.delay_ms * u64::from(self.threshold)
    }
}

/// Resolved heartbeat timings of one cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeartbeatTiming {
    pub same_subnet: Beat,
    pub cross_subnet: Beat,
    pub cross_site: Beat,
}

impl HeartbeatTiming {
    /// The longest heartbeat interval of the three kinds of path (heartbeat phases spread over it).
    pub fn longest_delay_ms(&self) -> u64 {
        self.same_subnet
            .delay_ms
            .max(self.cross_subnet.delay_ms)
            .max(self.cross_site.delay_ms)
    }

    /// The version's defaults, then scenario overrides, then the cluster's own.
    ///
    /// `hyper_v_vms`: a host cluster with Hyper-V VMs among its roles. 2012 R2 raises its
    /// thresholds to 10 (same subnet) and 20 (cross subnet) for such a cluster and keeps 5 for any
    /// other (a guest cluster, a file server cluster); 2016 made 10 / 20 the defaults of every
    /// cluster; 2008 R2 is 5 everywhere.
    pub fn resolve(
        version: Version,
        hyper_v_vms: bool,
        layers: &[&HeartbeatSettings],
    ) -> HeartbeatTiming {
        let (same, cross) = match version {
            Version::W2008R2 => (5, 5),
            Version::W2012R2 if hyper_v_vms => (10, 20),
            Version::W2012R2 => (5, 5),
            Version::W2016 => (10, 20),
        };
        let mut t = HeartbeatTiming {
            same_subnet: Beat {
                delay_ms: 1000,
                threshold: same,
            },
            cross_subnet: Beat {
                delay_ms: 1000,
                threshold: cross,
            },
            cross_site: Beat {
                delay_ms: 1000,
                threshold: cross,
            },
        };
        for s in layers {
            apply(
                &mut t.same_subnet,
                s.same_subnet_delay_ms,
                s.same_subnet_threshold,
            );
            apply(
                &mut t.cross_subnet,
                s.cross_subnet_delay_ms,
                s.cross_subnet_threshold,
            );
            apply(
                &mut t.cross_site,
                s.cross_site_delay_ms,
                s.cross_site_threshold,
            );
        }
        t
    }
}

fn apply(beat: &mut Beat, delay: Option<u32>, threshold: Option<u32>) {
    if let Some(d) = delay {
        beat.delay_ms = u64::from(d);
    }
    if let Some(t) = threshold {
        beat.threshold = t;
    }
}

/// Every engine timing, resolved from the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    pub version: Version,
    pub dynamic_quorum: bool,
    /// 2012 R2 and later: the witness votes only when the node votes are even.
    pub dynamic_witness: bool,
    /// 2016+: isolated nodes keep their VMs for a while; storage loss pauses VMs.
    pub compute_resiliency: bool,
    /// ResiliencyLevel: what a node that stops heartbeating becomes (2016+).
    pub resiliency_level: ResiliencyLevel,
    pub resiliency_period_ms: u64,
    pub quarantine_threshold: u32,
    pub quarantine_duration_ms: u64,
    pub restart_in_place_max: u32,
    pub restart_window_ms: u64,
    /// RetryPeriodOnFailure: a role left Failed is tried again after this.
    pub retry_period_ms: u64,
    pub failover_period_ms: u64,
    pub vm_monitoring_detection_ms: u64,
    pub resource_health_check_ms: u64,
    pub paused_critical_timeout_ms: u64,
    pub nlb_heartbeat_ms: u64,
    pub nlb_threshold: u32,
    pub nlb_convergence_ms: u64,
    pub live_migration_gbps: u32,
    /// The hour of the day at t = 0.
    pub start_hour: u8,
    /// From a VM's start until its cluster resource is online.
    pub vm_start_ms: u64,
    /// A drain live-migrates VMs of at least this priority value, quick-migrates the rest.
    pub move_type_threshold: u32,
    /// VM load balancing (2016+): on a node joining, and periodically (`balance_every_ms`).
    pub balance_on_join: bool,
    pub balance_every_ms: Option<u64>,
    /// A node above this share of its memory or CPU (percent) is relieved.
    pub balance_above_pct: u32,
    /// Cluster-Aware Updating: installing a node's updates, and its restart.
    pub update_install_ms: u64,
    pub host_restart_ms: u64,
}

impl Timing {
    pub fn from_settings(s: &Settings) -> Timing {
        let t = &s.timing;
        let v = s.version;
        Timing {
            version: v,
            // DynamicQuorum exists from 2012 (default 1) and can be turned off.
            dynamic_quorum: v >= Version::W2012R2 && s.dynamic_quorum.unwrap_or(true),
            dynamic_witness: v >= Version::W2012R2,
            compute_resiliency: v >= Version::W2016,
            resiliency_level: s.resiliency_level.unwrap_or_default(),
            resiliency_period_ms: t.resiliency_period_ms.unwrap_or(240_000),
            quarantine_threshold: t.quarantine_threshold.unwrap_or(3),
            quarantine_duration_ms: t.quarantine_duration_ms.unwrap_or(7_200_000),
            // RestartThreshold 1 in RestartPeriod 15 min, RetryPeriodOnFailure 60 min (KB 947712).
            restart_in_place_max: t.restart_in_place_max.unwrap_or(1),
            restart_window_ms: t.restart_window_ms.unwrap_or(900_000),
            retry_period_ms: t.retry_period_ms.unwrap_or(3_600_000),
            failover_period_ms: t.failover_period_ms.unwrap_or(21_600_000),
            vm_monitoring_detection_ms: t.vm_monitoring_detection_ms.unwrap_or(60_000),
            resource_health_check_ms: t.resource_health_check_ms.unwrap_or(5_000),
            paused_critical_timeout_ms: t.paused_critical_timeout_ms.unwrap_or(1_800_000),
            nlb_heartbeat_ms: t.nlb_heartbeat_ms.unwrap_or(1_000),
            nlb_threshold: t.nlb_threshold.unwrap_or(5),
            nlb_convergence_ms: t.nlb_convergence_ms.unwrap_or(3_000),
            live_migration_gbps: t.live_migration_gbps.unwrap_or(10).max(1),
            start_hour: s.start_hour.unwrap_or(9).min(23),
            vm_start_ms: t.vm_start_ms.unwrap_or(2_000),
            move_type_threshold: t.move_type_threshold.unwrap_or(2_000),
            // VM load balancing came in 2016: AutoBalancerMode 2, AutoBalancerLevel 1.
            balance_on_join: v >= Version::W2016 && t.auto_balancer_mode.unwrap_or(2) >= 1,
            balance_every_ms: (v >= Version::W2016 && t.auto_balancer_mode.unwrap_or(2) >= 2)
                .then_some(1_800_000),
            update_install_ms: t.update_install_ms.unwrap_or(600_000),
            host_restart_ms: t.host_restart_ms.unwrap_or(180_000),
            balance_above_pct: match t.auto_balancer_level.unwrap_or(1) {
                3 => 60,
                2 => 70,
                _ => 80,
            },
        }
    }

    /// Milliseconds since midnight at simulated time `t` (the run starts at `start_hour`).
    pub fn time_of_day_ms(&self, t: u64) -> u64 {
        (u64::from(self.start_hour) * 3_600_000 + t) % 86_400_000
    }
}
