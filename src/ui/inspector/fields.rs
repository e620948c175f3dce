//! What the inspector shows for each kind of component: every property, in words, with its
//! unit, its default and its valid range. A table, so adding a property is one line.

/// Lists of ids a picker offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Hosts,
    /// Hosts in the same failover cluster as the component (a VM's owners, a cluster's nodes).
    Nodes,
    Storage,
    Sites,
    Vms,
    /// The VMs of this guest cluster.
    Members,
}

/// The editor made for one property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Free text; empty is allowed (a name falls back to the id).
    Text,
    /// Free text; empty means "not set".
    OptText,
    /// A whole number in a range; `optional`: empty means the default.
    Num {
        min: u64,
        max: u64,
        optional: bool,
    },
    /// One of several values: (JSON value, words).
    Choice(&'static [(&'static str, &'static str)]),
    /// Optional choice: empty means the default.
    OptChoice(&'static [(&'static str, &'static str)]),
    Check,
    /// One id; `optional`: "none" allowed.
    One(Pick, bool),
    /// An ordered list of ids.
    Many(Pick),
    /// Editors of their own (see `lists`).
    Nics,
    Witness,
    NlbMembers,
    Sets,
    FailbackWindow,
    Ends,
}

/// One property: its JSON path, its label in words with its unit, its default as shown
/// (placeholder), and whether it belongs under "Advanced".
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub control: Control,
    pub default: &'static str,
    pub advanced: bool,
}

const fn f(key: &'static str, label: &'static str, control: Control) -> Field {
    Field {
        key,
        label,
        control,
        default: "",
        advanced: false,
    }
}

const fn adv(
    key: &'static str,
    label: &'static str,
    control: Control,
    default: &'static str,
) -> Field {
    Field {
        key,
        label,
        control,
        default,
        advanced: true,
    }
}

const fn num(min: u64, max: u64) -> Control {
    Control::Num {
        min,
        max,
        optional: false,
    }
}

const fn opt(min: u64, max: u64) -> Control {
    Control::Num {
        min,
        max,
        optional: true,
    }
}

const NAME: Field = f("name", "Name", Control::Text);
const SITE: Field = f("site", "Site", Control::One(Pick::Sites, true));

pub const PRIORITY: &[(&str, &str)] = &[
    ("high", "High"),
    ("medium", "Medium"),
    ("low", "Low"),
    ("no_auto_start", "No auto start"),
];

/// Heartbeat overrides (a cluster's, or every cluster's in the settings); the default depends
/// on the version and is shown by `heartbeat_default`.
macro_rules! heartbeat {
    ($p:literal) => {
        [
            adv(
                concat!($p, "same_subnet_delay_ms"),
                "Same-subnet heartbeat delay (ms)",
                opt(250, 2000),
                "heartbeat",
            ),
            adv(
                concat!($p, "same_subnet_threshold"),
                "Same-subnet missed heartbeats",
                opt(3, 120),
                "heartbeat",
            ),
            adv(
                concat!($p, "cross_subnet_delay_ms"),
                "Cross-subnet heartbeat delay (ms)",
                opt(250, 4000),
                "heartbeat",
            ),
            adv(
                concat!($p, "cross_subnet_threshold"),
                "Cross-subnet missed heartbeats",
                opt(3, 120),
                "heartbeat",
            ),
            adv(
                concat!($p, "cross_site_delay_ms"),
                "Cross-site heartbeat delay (ms)",
                opt(250, 4000),
                "heartbeat",
            ),
            adv(
                concat!($p, "cross_site_threshold"),
                "Cross-site missed heartbeats",
                opt(3, 120),
                "heartbeat",
            ),
        ]
    };
}

const HOST: &[Field] = &[
    NAME,
    SITE,
    f("cpu_cores", "Logical processors", num(1, 2048)),
    f("memory_gb", "Memory for VMs (GB)", num(1, 24_576)),
    f(
        "guarded",
        "Guarded host (HGS-attested): may run shielded VMs",
        Control::Check,
    ),
];

const SWITCH: &[Field] = &[
    NAME,
    f(
        "kind",
        "Kind",
        Control::Choice(&[
            ("external", "External (physical network)"),
            ("internal", "Internal (host and its VMs)"),
            ("private", "Private (VMs on one host)"),
        ]),
    ),
    f(
        "host",
        "On host (internal and private)",
        Control::One(Pick::Hosts, true),
    ),
    SITE,
];

const STORAGE: &[Field] = &[
    NAME,
    f(
        "kind",
        "Kind",
        Control::Choice(&[
            ("local", "Local disk"),
            ("san", "SAN LUN"),
            ("smb", "SMB 3 share"),
            ("csv", "Cluster Shared Volume"),
        ]),
    ),
    f(
        "host",
        "On host (local disk)",
        Control::One(Pick::Hosts, true),
    ),
    SITE,
];

const LINK: &[Field] = &[f("a", "Connects", Control::Ends)];

const VM: &[Field] = &[
    NAME,
    f("tier", "Tier (the service it provides)", Control::OptText),
    f("vcpus", "Virtual processors", num(1, 240)),
    f("memory_gb", "Memory (GB)", num(1, 12_288)),
    f("replicas", "Identical instances", num(1, 8_000)),
    f(
        "hosts",
        "Runs on (instances round robin)",
        Control::Many(Pick::Hosts),
    ),
    f("storage", "Disks on", Control::One(Pick::Storage, false)),
    f("nics", "Network adapters", Control::Nics),
    f("priority", "Priority", Control::Choice(PRIORITY)),
    f(
        "monitoring",
        "Monitoring by the host cluster",
        Control::Choice(&[
            ("none", "The VM only (on or off)"),
            ("heartbeat", "Guest OS heartbeat"),
            ("service", "A guest service (VM Monitoring)"),
        ]),
    ),
    f(
        "preferred_owners",
        "Preferred owners, in order",
        Control::Many(Pick::Nodes),
    ),
    f(
        "possible_owners",
        "Possible owners (none = every node)",
        Control::Many(Pick::Nodes),
    ),
    f("anti_affinity", "Anti-affinity class", Control::OptText),
    f(
        "failback",
        "Fail back to the first preferred owner",
        Control::Check,
    ),
    f(
        "failback_window",
        "Failback window",
        Control::FailbackWindow,
    ),
    f(
        "shielded",
        "Shielded (runs on guarded hosts only)",
        Control::Check,
    ),
    adv(
        "boot_ms",
        "Boot time until it serves (ms)",
        num(1_000, 3_600_000),
        "30000",
    ),
    adv(
        "cpu_utilization_pct",
        "CPU use of each vCPU (%)",
        num(0, 100),
        "20",
    ),
    adv(
        "memory_write_mb_s",
        "Memory written by the guest (MB/s): the live migration pause grows with it",
        num(0, 100_000),
        "50",
    ),
];

const CLUSTER: &[Field] = &{
    let hb = heartbeat!("heartbeat.");
    [
        NAME,
        f("nodes", "Nodes", Control::Many(Pick::Hosts)),
        f("witness", "Witness", Control::Witness),
        f(
            "enforce_anti_affinity",
            "Enforce anti-affinity (stay offline rather than share a node)",
            Control::Check,
        ),
        f(
            "sets",
            "Cluster sets (start order across tiers)",
            Control::Sets,
        ),
        adv(
            "lower_quorum_priority_node",
            "Node that gives up its vote first",
            Control::One(Pick::Nodes, true),
            "",
        ),
        hb[0],
        hb[1],
        hb[2],
        hb[3],
        hb[4],
        hb[5],
    ]
};

const GUEST: &[Field] = &{
    let hb = heartbeat!("heartbeat.");
    [
        NAME,
        f("members", "Member VMs", Control::Many(Pick::Vms)),
        f("witness", "Witness", Control::Witness),
        f("role.name", "Clustered role", Control::Text),
        f("role.tier", "Tier the role serves", Control::OptText),
        adv(
            "role.start_ms",
            "Time to bring the role online (ms)",
            num(0, 3_600_000),
            "10000",
        ),
        adv(
            "lower_quorum_priority_node",
            "Member that gives up its vote first",
            Control::One(Pick::Members, true),
            "",
        ),
        hb[0],
        hb[1],
        hb[2],
        hb[3],
        hb[4],
        hb[5],
    ]
};

const NLB: &[Field] = &[
    NAME,
    f(
        "mode",
        "Cluster operation mode",
        Control::Choice(&[
            ("unicast", "Unicast (needs MAC spoofing in Hyper-V)"),
            ("multicast", "Multicast"),
            ("igmp_multicast", "IGMP multicast"),
        ]),
    ),
    f(
        "affinity",
        "Port rule affinity",
        Control::Choice(&[
            ("none", "None"),
            ("single", "Single (a client IP sticks to one host)"),
            ("network", "Network (a class C network sticks)"),
        ]),
    ),
    f(
        "members",
        "Hosts (VMs) and their port rule",
        Control::NlbMembers,
    ),
];

const CLIENTS: &[Field] = &[
    NAME,
    f("tier", "Requests go to tier", Control::Text),
    f(
        "requests_per_second",
        "Requests per second",
        num(0, 1_000_000),
    ),
    f(
        "client_ips",
        "Distinct client IP addresses",
        num(1, 1_000_000),
    ),
];

const SITE_FIELDS: &[Field] = &[
    NAME,
    Field {
        key: "kind",
        label: "Where",
        control: Control::OptChoice(&[("azure", "Azure (a Site Recovery target)")]),
        default: "on premises",
        advanced: false,
    },
];

const SETTINGS: &[Field] = &{
    let hb = heartbeat!("heartbeat.");
    [
        f(
            "version",
            "Windows Server version",
            Control::Choice(&[
                ("2008r2", "2008 R2"),
                ("2012r2", "2012 R2"),
                ("2016+", "2016 and later"),
            ]),
        ),
        Field {
            default: "On",
            ..f(
                "dynamic_quorum",
                "Dynamic quorum (2012 and later)",
                Control::OptChoice(&[("true", "On"), ("false", "Off")]),
            )
        },
        Field {
            default: "isolated first",
            ..f(
                "resiliency_level",
                "Node that stops heartbeating (2016+)",
                Control::OptChoice(&[
                    ("always_isolate", "Isolated first: VMs wait (level 2)"),
                    (
                        "isolate_on_special_heartbeat",
                        "Down at once: VMs fail over (level 1)",
                    ),
                ]),
            )
        },
        f(
            "start_hour",
            "Hour of the day at the start (0-23)",
            opt(0, 23),
        ),
        hb[0],
        hb[1],
        hb[2],
        hb[3],
        hb[4],
        hb[5],
        adv(
            "timing.resiliency_period_ms",
            "Resiliency period: isolated node keeps its VMs (ms)",
            opt(0, 86_400_000),
            "240000",
        ),
        adv(
            "timing.quarantine_threshold",
            "Isolations in an hour that quarantine a node",
            opt(1, 100),
            "3",
        ),
        adv(
            "timing.quarantine_duration_ms",
            "Quarantine duration (ms)",
            opt(0, 86_400_000),
            "7200000",
        ),
        adv(
            "timing.restart_in_place_max",
            "Restarts in place before a move",
            opt(0, 100),
            "1",
        ),
        adv(
            "timing.restart_window_ms",
            "Restart period (ms)",
            opt(1_000, 86_400_000),
            "900000",
        ),
        adv(
            "timing.retry_period_ms",
            "Retry a failed role after (ms)",
            opt(1_000, 86_400_000),
            "3600000",
        ),
        adv(
            "timing.failover_period_ms",
            "Failover threshold period (ms)",
            opt(1_000, 604_800_000),
            "21600000",
        ),
        adv(
            "timing.vm_monitoring_detection_ms",
            "VM Monitoring notices a stopped service after (ms)",
            opt(1_000, 3_600_000),
            "60000",
        ),
        adv(
            "timing.resource_health_check_ms",
            "Guest cluster health check period (ms)",
            opt(100, 600_000),
            "5000",
        ),
        adv(
            "timing.paused_critical_timeout_ms",
            "Paused-Critical VMs turned off after (ms)",
            opt(1_000, 86_400_000),
            "1800000",
        ),
        adv(
            "timing.nlb_heartbeat_ms",
            "NLB heartbeat period (ms)",
            opt(100, 10_000),
            "1000",
        ),
        adv(
            "timing.nlb_threshold",
            "NLB missed heartbeats before convergence",
            opt(1, 100),
            "5",
        ),
        adv(
            "timing.nlb_convergence_ms",
            "NLB convergence time (ms)",
            opt(0, 60_000),
            "3000",
        ),
        adv(
            "timing.live_migration_gbps",
            "Live migration network (Gbit/s)",
            opt(1, 400),
            "10",
        ),
        adv(
            "timing.vm_start_ms",
            "VM start until its resource is online (ms)",
            opt(0, 600_000),
            "2000",
        ),
    ]
};

/// The kinds of component, as the inspector names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Host,
    Vm,
    Switch,
    Storage,
    Link,
    Cluster,
    Guest,
    Nlb,
    Clients,
    Site,
    Settings,
}

impl Kind {
    pub fn title(self) -> &'static str {
        match self {
            Kind::Host => "Host",
            Kind::Vm => "VM",
            Kind::Switch => "Virtual switch",
            Kind::Storage => "Storage",
            Kind::Link => "Cable",
            Kind::Cluster => "Failover cluster",
            Kind::Guest => "Guest cluster",
            Kind::Nlb => "NLB cluster",
            Kind::Clients => "Clients",
            Kind::Site => "Site",
            Kind::Settings => "Scenario settings",
        }
    }

    /// The icon symbol drawn beside the title (see `icons`).
    pub fn icon(self) -> &'static str {
        match self {
            Kind::Host => "host",
            Kind::Vm => "vm",
            Kind::Switch => "switch-external",
            Kind::Storage => "storage-san",
            Kind::Link => "link",
            Kind::Cluster | Kind::Guest | Kind::Nlb => "cluster",
            Kind::Clients => "clients",
            Kind::Site => "site",
            Kind::Settings => "settings",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Host => HOST,
            Kind::Vm => VM,
            Kind::Switch => SWITCH,
            Kind::Storage => STORAGE,
            Kind::Link => LINK,
            Kind::Cluster => CLUSTER,
            Kind::Guest => GUEST,
            Kind::Nlb => NLB,
            Kind::Clients => CLIENTS,
            Kind::Site => SITE_FIELDS,
            Kind::Settings => SETTINGS,
        }
    }
}
