//! Random scenarios for codec tests: every field, every variant, odd strings and extreme
//! numbers within the limits a link accepts. Not meant to be valid designs (links carry work in
//! progress too): references point at real ids most of the time, at anything otherwise.

use clusterlab::model::recovery::{Backup, PlanGroup, Recovery, RecoveryPlan, Replica};
use clusterlab::model::*;
use clusterlab::share::Shared;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

const ODD: [&str; 12] = [
    "",
    "host-1",
    "host-01",
    "0",
    "web#2",
    "<b>bold</b>",
    "javascript:alert(1)",
    "\" onmouseover=\"x",
    "ünïcødé ⚡",
    "host-4294967295",
    "line\nbreak",
    "style{color:red}",
];

pub struct Gen {
    rng: Xoshiro256PlusPlus,
    ids: Vec<String>,
}

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            ids: Vec::new(),
        }
    }

    fn n(&mut self, max: usize) -> usize {
        self.rng.random_range(0..=max)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn text(&mut self) -> String {
        match self.n(3) {
            0 => String::new(),
            1 => ODD[self.n(ODD.len() - 1)].to_string(),
            _ => (0..self.n(12))
                .map(|_| {
                    let c: u32 = if self.chance(0.8) {
                        self.rng.random_range(32..127)
                    } else {
                        self.rng.random_range(0xa0..0x2fff)
                    };
                    char::from_u32(c).unwrap_or('?')
                })
                .collect(),
        }
    }

    /// A new id: numbered runs (`host-3`, `host-4`), duplicates and odd text all happen.
    fn id(&mut self, prefix: &str) -> String {
        let id = match self.n(5) {
            0 => self.text(),
            1 if !self.ids.is_empty() => {
                let i = self.n(self.ids.len() - 1);
                self.ids[i].clone()
            }
            _ => format!("{prefix}-{}", self.ids.len() + 1),
        };
        self.ids.push(id.clone());
        id
    }

    /// A reference: usually an existing id.
    fn r(&mut self) -> String {
        if !self.ids.is_empty() && self.chance(0.85) {
            let i = self.n(self.ids.len() - 1);
            self.ids[i].clone()
        } else {
            self.text()
        }
    }

    fn refs(&mut self, max: usize) -> Vec<String> {
        (0..self.n(max)).map(|_| self.r()).collect()
    }

    fn opt<T>(&mut self, f: impl FnOnce(&mut Gen) -> T) -> Option<T> {
        if self.chance(0.5) {
            Some(f(self))
        } else {
            None
        }
    }

    fn u32(&mut self) -> u32 {
        match self.n(3) {
            0 => 0,
            1 => u32::MAX,
            _ => self.rng.random_range(0..5000),
        }
    }

    fn ms(&mut self) -> u64 {
        match self.n(3) {
            0 => 0,
            1 => clusterlab::share::MAX_TIME_MS,
            2 => self.rng.random_range(0..10_000) * 1000,
            _ => self.rng.random_range(0..10_000_000),
        }
    }

    fn pos(&mut self) -> Option<Pos> {
        let c = clusterlab::share::MAX_COORD;
        self.opt(|g| Pos {
            x: g.rng.random_range(-c..=c),
            y: g.rng.random_range(-c..=c),
        })
    }

    /// A lesson with every kind of check, steps with and without hints, and a lock.
    fn lesson(&mut self) -> lesson::Lesson {
        use lesson::{Check as C, Scope};
        let percent = |r: &mut Self| f64::from(r.rng.random_range(0..100_000u32)) / 1000.0;
        let scope = |r: &mut Self| r.pick(&[Scope::Every, Scope::HostCrashes, Scope::VmFailures]);
        let checks = (0..self.n(14))
            .map(|_| match self.rng.random_range(0..12u32) {
                0 => C::NoLocalStorage { tier: self.text() },
                1 => C::SpansHosts {
                    tier: self.text(),
                    hosts: self.rng.random_range(0..9),
                },
                2 => C::OnlyReachableFrom {
                    tier: self.text(),
                    from: self.text(),
                },
                3 => C::HasWitness {
                    cluster: self.id("c"),
                },
                4 => C::AtMostHosts {
                    hosts: self.rng.random_range(0..70),
                },
                5 => C::Served {
                    service: self.text(),
                    percent: percent(self),
                },
                6 => C::RunningWithin {
                    vm: self.id("v"),
                    within_ms: self.ms(),
                },
                7 => C::QuorumKept {
                    cluster: self.id("c"),
                },
                8 => C::Survives {
                    service: self.chance(0.5).then(|| self.text()),
                    scope: scope(self),
                },
                9 => C::RecoversWithin {
                    service: self.text(),
                    within_ms: self.ms(),
                    scope: scope(self),
                },
                10 => C::Availability {
                    service: self.text(),
                    percent: percent(self),
                },
                _ => C::Did {
                    fault: self.text(),
                    then: self.chance(0.5).then(|| self.text()),
                },
            })
            .collect();
        lesson::Lesson {
            title: self.text(),
            goal: self.text(),
            steps: (0..self.n(6))
                .map(|_| lesson::Step {
                    text: self.text(),
                    hint: if self.chance(0.5) {
                        self.text()
                    } else {
                        String::new()
                    },
                })
                .collect(),
            checks,
            lock: lesson::Lock {
                parts: (0..self.n(4))
                    .map(|_| lesson::Locked {
                        id: self.id("h"),
                        properties: (0..self.n(3)).map(|_| self.text()).collect(),
                        reason: self.text(),
                    })
                    .collect(),
                faults: (0..self.n(3)).map(|_| self.text()).collect(),
                operations: (0..self.n(2)).map(|_| self.text()).collect(),
                script: self.chance(0.5),
            },
        }
    }

    fn pick<T: Copy>(&mut self, all: &[T]) -> T {
        all[self.n(all.len() - 1)]
    }

    fn heartbeat(&mut self) -> HeartbeatSettings {
        HeartbeatSettings {
            same_subnet_delay_ms: self.opt(Gen::u32),
            same_subnet_threshold: self.opt(Gen::u32),
            cross_subnet_delay_ms: self.opt(Gen::u32),
            cross_subnet_threshold: self.opt(Gen::u32),
            cross_site_delay_ms: self.opt(Gen::u32),
            cross_site_threshold: self.opt(Gen::u32),
        }
    }

    fn witness(&mut self) -> Witness {
        match self.n(3) {
            0 => Witness::None,
            1 => Witness::Disk { storage: self.r() },
            2 => Witness::FileShare { storage: self.r() },
            _ => Witness::Cloud,
        }
    }

    fn fault(&mut self) -> Fault {
        match self.n(13) {
            0 => Fault::HostCrash { host: self.r() },
            11 => Fault::VmDeletion { vm: self.r() },
            12 => Fault::GuestCorruption { vm: self.r() },
            13 => Fault::Ransomware {
                domain: self.refs(3),
            },
            10 => Fault::WitnessFailure { cluster: self.r() },
            9 => Fault::GuestHang { vm: self.r() },
            1 => Fault::HostIsolation { host: self.r() },
            2 => Fault::VmCrash { vm: self.r() },
            3 => Fault::AppFailure { vm: self.r() },
            4 => Fault::SwitchFailure { switch: self.r() },
            5 => Fault::LinkCut { link: self.r() },
            6 => Fault::StorageFailure { storage: self.r() },
            7 => Fault::SiteFailure { site: self.r() },
            _ => Fault::Partition {
                a: self.refs(3),
                b: self.refs(3),
            },
        }
    }

    fn operation(&mut self) -> Operation {
        match self.n(16) {
            13 => Operation::TestFailover {
                vm: self.r(),
                stop: self.chance(0.5),
            },
            14 => Operation::ReverseReplication { vm: self.r() },
            15 => Operation::RunPlan { plan: self.r() },
            16 => Operation::FailoverToPoint {
                vm: self.r(),
                point_ms: self.ms(),
            },
            10 => Operation::Failover {
                vm: self.r(),
                planned: self.chance(0.5),
            },
            11 | 12 => Operation::Restore {
                vm: self.r(),
                to: self.r(),
                instant: self.chance(0.5),
            },
            6 => Operation::AddNode {
                host: self.r(),
                cluster: self.r(),
            },
            7 => Operation::Evict { host: self.r() },
            8 => Operation::Update { cluster: self.r() },
            9 => Operation::ForceQuorum { host: self.r() },
            0 => Operation::LiveMigrate {
                vm: self.r(),
                to: self.r(),
            },
            1 => Operation::QuickMigrate {
                vm: self.r(),
                to: self.r(),
            },
            2 => Operation::Drain { host: self.r() },
            3 => Operation::Resume {
                host: self.r(),
                failback: self.pick(&Failback::ALL),
            },
            4 => Operation::Shutdown { host: self.r() },
            _ => Operation::Start { host: self.r() },
        }
    }

    // Filled field by field: the order of the draws is the order of the ids.
    #[allow(clippy::field_reassign_with_default)]
    pub fn scenario(&mut self) -> Scenario {
        let big = self.chance(0.1);
        let max = if big { 70 } else { 4 };
        let mut d = Design::default();
        d.sites = (0..self.n(max))
            .map(|_| Site {
                id: self.id("site"),
                name: self.text(),
                kind: if self.chance(0.2) {
                    SiteKind::Azure
                } else {
                    SiteKind::OnPremises
                },
            })
            .collect();
        d.hosts = (0..self.n(max))
            .map(|_| Host {
                id: self.id("host"),
                name: self.text(),
                site: self.opt(Gen::r),
                cpu_cores: self.u32(),
                memory_gb: self.u32(),
                guarded: self.chance(0.3),
                at: self.pos(),
            })
            .collect();
        use SwitchKind::*;
        d.switches = (0..self.n(max))
            .map(|_| Switch {
                id: self.id("vsw"),
                name: self.text(),
                kind: self.pick(&[External, Internal, Private]),
                host: self.opt(Gen::r),
                site: self.opt(Gen::r),
                at: self.pos(),
            })
            .collect();
        use StorageKind::*;
        d.storage = (0..self.n(max))
            .map(|_| Storage {
                id: self.id("csv"),
                name: self.text(),
                kind: self.pick(&[Local, San, Smb, Csv]),
                host: self.opt(Gen::r),
                site: self.opt(Gen::r),
                at: self.pos(),
            })
            .collect();
        d.links = (0..self.n(max))
            .map(|_| Link {
                id: self.id("nic"),
                a: self.r(),
                b: self.r(),
                bandwidth_mbps: self
                    .chance(0.2)
                    .then(|| self.rng.random_range(1..100_000u32)),
            })
            .collect();
        use {Monitoring as Mo, Priority as Pr};
        d.vms = (0..self.n(max))
            .map(|_| Vm {
                id: self.id("vm"),
                name: self.text(),
                tier: self.opt(Gen::text),
                vcpus: self.u32(),
                memory_gb: self.u32(),
                replicas: self.rng.random_range(0..=validate::MAX_REPLICAS),
                hosts: self.refs(5),
                storage: self.r(),
                nics: (0..self.n(3))
                    .map(|_| Nic {
                        switch: self.r(),
                        vlan: self.opt(|g| g.rng.random()),
                        mac_spoofing: self.chance(0.5),
                    })
                    .collect(),
                priority: self.pick(&[Pr::High, Pr::Medium, Pr::Low, Pr::NoAutoStart]),
                preferred_owners: self.refs(3),
                possible_owners: self.refs(3),
                anti_affinity: self.opt(Gen::text),
                monitoring: self.pick(&[Mo::None, Mo::Heartbeat, Mo::Service]),
                shielded: self.chance(0.2),
                failback: self.chance(0.2),
                failback_window: self.opt(|g| FailbackWindow {
                    start_hour: g.rng.random_range(0..24),
                    end_hour: g.rng.random_range(0..24),
                }),
                boot_ms: self.ms(),
                cpu_utilization_pct: self.u32(),
                memory_write_mb_s: self.u32(),
            })
            .collect();
        d.clusters = (0..self.n(2))
            .map(|_| FailoverCluster {
                id: self.id("cluster"),
                name: self.text(),
                nodes: self.refs(if big { 64 } else { 5 }),
                witness: self.witness(),
                heartbeat: self.heartbeat(),
                enforce_anti_affinity: self.chance(0.3),
                lower_quorum_priority_node: self.opt(Gen::r),
                sets: (0..self.n(2))
                    .map(|_| ClusterSet {
                        name: self.text(),
                        vms: self.refs(3),
                        depends_on: (0..self.n(2)).map(|_| self.text()).collect(),
                        trigger: self.pick(&[SetTrigger::Delay, SetTrigger::Online]),
                        startup_delay_ms: self.opt(Gen::ms),
                    })
                    .collect(),
            })
            .collect();
        d.guest_clusters = (0..self.n(2))
            .map(|_| GuestCluster {
                id: self.id("guest"),
                name: self.text(),
                members: self.refs(4),
                witness: self.witness(),
                heartbeat: self.heartbeat(),
                role: GuestRole {
                    name: self.text(),
                    tier: self.opt(Gen::text),
                    start_ms: self.ms(),
                },
                lower_quorum_priority_node: self.opt(Gen::r),
            })
            .collect();
        use {Affinity as A, NlbMode as M};
        d.nlb_clusters = (0..self.n(2))
            .map(|_| NlbCluster {
                id: self.id("nlb"),
                name: self.text(),
                members: (0..self.n(4))
                    .map(|_| NlbMember {
                        vm: self.r(),
                        priority: self.u32(),
                        weight: self.opt(Gen::u32),
                    })
                    .collect(),
                affinity: self.pick(&[A::None, A::Single, A::Network]),
                mode: self.pick(&[M::Unicast, M::Multicast, M::IgmpMulticast]),
            })
            .collect();
        d.clients = (0..self.n(2))
            .map(|_| ClientLoad {
                id: self.id("client"),
                name: self.text(),
                tier: self.text(),
                requests_per_second: self.u32(),
                client_ips: self.u32(),
                at: self.pos(),
            })
            .collect();
        d.tiers = (0..self.n(3))
            .map(|_| Tier {
                name: self.text(),
                depends_on: (0..self.n(2)).map(|_| self.text()).collect(),
            })
            .collect();
        let faults = (0..self.n(if big { 40 } else { 5 }))
            .map(|_| ScheduledFault {
                at_ms: self.ms(),
                repair: self.chance(0.3),
                fault: self.fault(),
            })
            .collect();
        use Version::*;
        let settings = Settings {
            version: self.pick(&[W2008R2, W2012R2, W2016]),
            heartbeat: self.heartbeat(),
            dynamic_quorum: self.opt(|g| g.chance(0.5)),
            resiliency_level: self.opt(|g| {
                g.pick(&[
                    ResiliencyLevel::AlwaysIsolate,
                    ResiliencyLevel::IsolateOnSpecialHeartbeat,
                ])
            }),
            start_hour: self.opt(|g| g.rng.random_range(0..24)),
            timing: TimingSettings {
                resiliency_period_ms: self.opt(Gen::ms),
                quarantine_threshold: self.opt(Gen::u32),
                quarantine_duration_ms: self.opt(Gen::ms),
                restart_in_place_max: self.opt(Gen::u32),
                restart_window_ms: self.opt(Gen::ms),
                retry_period_ms: self.opt(Gen::ms),
                failover_period_ms: self.opt(Gen::ms),
                vm_monitoring_detection_ms: self.opt(Gen::ms),
                resource_health_check_ms: self.opt(Gen::ms),
                paused_critical_timeout_ms: self.opt(Gen::ms),
                nlb_heartbeat_ms: self.opt(Gen::ms),
                nlb_threshold: self.opt(Gen::u32),
                nlb_convergence_ms: self.opt(Gen::ms),
                live_migration_gbps: self.opt(Gen::u32),
                vm_start_ms: self.opt(Gen::ms),
                move_type_threshold: self.opt(Gen::u32),
                auto_balancer_mode: self.opt(Gen::u32),
                auto_balancer_level: self.opt(Gen::u32),
                update_install_ms: self.opt(Gen::ms),
                host_restart_ms: self.opt(Gen::ms),
            },
        };
        let operations = (0..self.n(if big { 40 } else { 5 }))
            .map(|_| ScheduledOp {
                at_ms: self.ms(),
                op: self.operation(),
            })
            .collect();
        // Any ids, and numbers with up to three decimals as people type them (serde_json's
        // default parser reads those exactly; the link carries any bits).
        let reliability = Reliability {
            rates: (0..self.n(if big { 20 } else { 3 }))
                .map(|_| FailureRate {
                    id: self.id("h"),
                    failure: self.pick(&FailureKind::ALL),
                    per_year: f64::from(self.rng.random_range(0..100_000u32)) / 1000.0,
                    repair_hours: f64::from(self.rng.random_range(0..100_000u32)) / 100.0,
                })
                .collect(),
            targets: (0..self.n(3))
                .map(|_| SlaTarget {
                    service: self.text(),
                    percent: f64::from(self.rng.random_range(90_000..=100_000u32)) / 1000.0,
                })
                .collect(),
        };
        Scenario {
            format: FORMAT_VERSION,
            reliability,
            lesson: self.chance(0.3).then(|| self.lesson()),
            recovery: Recovery {
                replicas: (0..self.n(3))
                    .map(|_| Replica {
                        vm: self.r(),
                        to: self.r(),
                        every_s: self.pick(&[30, 300, 900]),
                        change_mb_per_min: self.rng.random_range(0..10_000u32),
                        disk_gb: self.rng.random_range(1..100_000u32),
                        storage: self.opt(Gen::r),
                        hourly_points: self.rng.random_range(0..30u32),
                    })
                    .collect(),
                backups: (0..self.n(3))
                    .map(|_| Backup {
                        vms: self.refs(3),
                        to: self.r(),
                        every_h: self.rng.random_range(0..200u32),
                        last_min_ago: self.rng.random_range(0..20_000u32),
                        keep_days: self.rng.random_range(0..30u32),
                        app_consistent: self.chance(0.5),
                        verify: self.chance(0.5),
                        immutable: self.chance(0.5),
                    })
                    .collect(),
                plans: (0..self.n(2))
                    .map(|_| RecoveryPlan {
                        id: self.id("plan"),
                        groups: (0..self.n(3))
                            .map(|_| PlanGroup {
                                vms: self.refs(3),
                                delay_s: self.rng.random_range(0..1_000u32),
                                manual: self.opt(Gen::text),
                            })
                            .collect(),
                    })
                    .collect(),
            },
            name: self.text(),
            description: self.text(),
            seed: if self.chance(0.2) {
                u64::MAX
            } else {
                self.rng.random()
            },
            settings,
            design: d,
            faults,
            operations,
        }
    }

    pub fn shared(&mut self) -> Shared {
        Shared {
            scenario: self.scenario(),
            at_ms: self.opt(Gen::ms),
        }
    }
}
