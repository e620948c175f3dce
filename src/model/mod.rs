//! The scenario model: a design (topology), settings, a fault script and a seed.
//!
//! Plain serde data with stable string ids. Everything the engine and the UI know about a
//! scenario is here; `validate` explains what is wrong with a design in plain words.

mod defaults;
#[cfg(feature = "simulate")]
mod fault_json;
pub mod lesson;
mod names;
pub mod network;
#[cfg(feature = "simulate")]
mod operation;
pub mod recovery;
pub mod reliability;
mod witness_json;
// Checks that load with the simulator, the page's second module (see `validate`).
#[cfg(feature = "simulate")]
mod ordering;
pub mod validate;
pub mod versions;

pub use defaults::{Beat, HeartbeatTiming, Timing};
#[cfg(feature = "simulate")]
pub use operation::{Failback, Operation, ScheduledOp};
/// The first load (the editor alone) keeps the script as read: only the simulator runs it.
#[cfg(not(feature = "simulate"))]
pub type ScheduledFault = reliability::Node;
#[cfg(not(feature = "simulate"))]
pub type ScheduledOp = reliability::Node;
pub use reliability::{FailureKind, FailureRate, Reliability, SlaTarget};
use serde::{Deserialize, Serialize};

/// A component id, unique within a design (`host-1`, `web`, `vsw-lan`).
pub type Id = String;

/// The version of the JSON format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A whole scenario: what a share link or a `.json` file holds.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; files from older versions are migrated on load.
    #[serde(default = "format_version")]
    pub format: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Seed of the run's random choices (heartbeat phases, witness arbitration races).
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub settings: Settings,
    pub design: Design,
    /// Timed faults and repairs, in any order (the engine sorts them by time, stably).
    #[serde(default)]
    #[cfg_attr(feature = "simulate", serde(deserialize_with = "fault_json::entries"))]
    pub faults: Vec<ScheduledFault>,
    /// Planned operations (migrations, drains, shutdowns), in any order, beside the faults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "simulate", serde(deserialize_with = "fault_json::entries"))]
    pub operations: Vec<ScheduledOp>,
    /// Failure rates and repair times the user set, and each service's availability target.
    #[serde(default, skip_serializing_if = "Reliability::is_empty")]
    pub reliability: Reliability,
    /// An instructor's lesson: goal, steps, checks and what the student may not change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<lesson::Lesson>,
    /// Disaster recovery: Hyper-V Replica relationships.
    #[serde(default, skip_serializing_if = "recovery_is_empty")]
    pub recovery: recovery::Recovery,
}

#[cfg(feature = "simulate")]
fn recovery_is_empty(r: &recovery::Recovery) -> bool {
    r.is_empty()
}

/// The first load keeps what it read; nothing read, nothing written.
#[cfg(not(feature = "simulate"))]
fn recovery_is_empty(r: &recovery::Recovery) -> bool {
    *r == recovery::Recovery::Null
}

fn format_version() -> u32 {
    FORMAT_VERSION
}

/// Windows Server version preset: selects default numbers and which features exist.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default, PartialOrd, Ord)]
pub enum Version {
    #[serde(rename = "2008r2")]
    W2008R2,
    #[serde(rename = "2012r2")]
    W2012R2,
    /// 2016 and later: the default.
    #[default]
    #[serde(rename = "2016+")]
    W2016,
}

impl Version {
    pub fn label(self) -> &'static str {
        match self {
            Version::W2008R2 => "Windows Server 2008 R2",
            Version::W2012R2 => "Windows Server 2012 R2",
            Version::W2016 => "Windows Server 2016+",
        }
    }
}

/// Heartbeat overrides; `None` takes the version preset's default.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct HeartbeatSettings {
    pub same_subnet_delay_ms: Option<u32>,
    pub same_subnet_threshold: Option<u32>,
    pub cross_subnet_delay_ms: Option<u32>,
    pub cross_subnet_threshold: Option<u32>,
    pub cross_site_delay_ms: Option<u32>,
    pub cross_site_threshold: Option<u32>,
}

/// Scenario-wide settings. Every field documents its default.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Default "2016+".
    pub version: Version,
    /// Cluster heartbeat overrides for every cluster (a cluster's own overrides win).
    pub heartbeat: HeartbeatSettings,
    /// DynamicQuorum: 2008 R2 has none; from 2012 on by default, `false` turns it off.
    pub dynamic_quorum: Option<bool>,
    /// ResiliencyLevel (2016+): what a node that stops heartbeating becomes. Default
    /// `always_isolate` (2).
    pub resiliency_level: Option<ResiliencyLevel>,
    /// The hour of the day at t = 0 (0-23, default 9): failback windows are hours of the day.
    pub start_hour: Option<u8>,
    /// Timing knobs; `None` = the documented default (see `Timing`).
    pub timing: TimingSettings,
}

/// Optional overrides of engine timings (all milliseconds unless named otherwise).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct TimingSettings {
    /// Compute resiliency: how long an isolated node keeps its VMs (default 240 000, 2016+).
    pub resiliency_period_ms: Option<u64>,
    /// Isolations within an hour that quarantine a node (default 3).
    pub quarantine_threshold: Option<u32>,
    /// How long a quarantined node stays out (default 7 200 000 = 2 h).
    pub quarantine_duration_ms: Option<u64>,
    /// RestartThreshold: restarts in place before a failed VM is moved (default 1 in
    /// RestartPeriod 900 000 ms).
    pub restart_in_place_max: Option<u32>,
    pub restart_window_ms: Option<u64>,
    /// RetryPeriodOnFailure: a role left Failed is tried again after this (default 3 600 000).
    pub retry_period_ms: Option<u64>,
    /// MoveTypeThreshold of the Virtual Machine resource type: a drain live-migrates VMs whose
    /// priority is at least this and quick-migrates the rest (default 2000: High 3000 and
    /// Medium 2000 live, Low 1000 quick; 3001 quick-migrates every VM).
    pub move_type_threshold: Option<u32>,
    /// AutoBalancerMode (2016+ VM load balancing): 0 off, 1 when a node joins, 2 (default) when
    /// a node joins and every 30 minutes.
    pub auto_balancer_mode: Option<u32>,
    /// AutoBalancerLevel: how loaded a node must be before VMs move off it: 1 (default) above
    /// 80 % of its memory or CPU, 2 above 70 %, 3 above 60 %.
    pub auto_balancer_level: Option<u32>,
    /// Cluster-Aware Updating: how long installing the updates on a node takes (default 600 000).
    pub update_install_ms: Option<u64>,
    /// How long a host takes to restart, from shutdown to running (default 180 000).
    pub host_restart_ms: Option<u64>,
    /// Window of the failover threshold (default 21 600 000 = 6 h; N-1 failovers allowed).
    pub failover_period_ms: Option<u64>,
    /// Time for VM Monitoring to notice a stopped service in the guest (default 60 000).
    pub vm_monitoring_detection_ms: Option<u64>,
    /// A guest cluster's resource health check (LooksAlive) period (default 5 000).
    pub resource_health_check_ms: Option<u64>,
    /// Paused-Critical VMs are turned off after this (default 1 800 000 = 30 min).
    pub paused_critical_timeout_ms: Option<u64>,
    /// NLB heartbeat period (default 1 000) and missed heartbeats before convergence (default 5).
    pub nlb_heartbeat_ms: Option<u64>,
    pub nlb_threshold: Option<u32>,
    /// NLB convergence duration once started (default 3 000).
    pub nlb_convergence_ms: Option<u64>,
    /// Live migration network bandwidth in Gbit/s (default 10).
    pub live_migration_gbps: Option<u32>,
    /// From a VM's start until its cluster resource is online (default 2 000): the next
    /// priority class, and sets that wait for it to be online, start after this.
    pub vm_start_ms: Option<u64>,
}

/// ResiliencyLevel, a cluster common property (2016+).
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ResiliencyLevel {
    /// 1: a node is Isolated only when it said why it left (its cluster service crashed,
    /// asymmetric connectivity); a node that just stops heartbeating fails over at once. None of
    /// the faults the simulator injects sends that notice.
    IsolateOnSpecialHeartbeat,
    /// 2 (the default): any node that stops heartbeating is Isolated for the resiliency period
    /// before its VMs are taken over, since the cluster cannot tell a dead node from a cut-off one.
    #[default]
    AlwaysIsolate,
}

/// A position on the editor canvas (grid units); the engine ignores it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub x: i32,
    pub y: i32,
}

/// The topology: every component, by kind.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Design {
    pub sites: Vec<Site>,
    pub hosts: Vec<Host>,
    pub switches: Vec<Switch>,
    pub storage: Vec<Storage>,
    pub links: Vec<Link>,
    pub vms: Vec<Vm>,
    pub clusters: Vec<FailoverCluster>,
    pub guest_clusters: Vec<GuestCluster>,
    pub nlb_clusters: Vec<NlbCluster>,
    pub clients: Vec<ClientLoad>,
    pub tiers: Vec<Tier>,
}

impl Design {
    /// A tier and every tier it needs, directly or through others (`depends_on`), nearest
    /// first.
    pub fn tier_closure(&self, tier: &str) -> Vec<String> {
        let mut out = vec![tier.to_string()];
        let mut i = 0;
        while i < out.len() {
            if let Some(t) = self.tiers.iter().find(|t| t.name == out[i]) {
                for dep in &t.depends_on {
                    if !out.contains(dep) {
                        out.push(dep.clone());
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// Whether `r` names a VM instance of the design (`web`, or `web#2` within its replicas).
    pub fn has_vm_ref(&self, r: &str) -> bool {
        parse_vm_ref(r).is_some_and(|(e, k)| self.vms.iter().any(|v| v.id == e && k <= v.replicas))
    }

    /// Every component's id, in a fixed order (duplicates included: `validate` reports them).
    pub fn ids(&self) -> impl Iterator<Item = &Id> {
        self.sites
            .iter()
            .map(|x| &x.id)
            .chain(self.hosts.iter().map(|x| &x.id))
            .chain(self.switches.iter().map(|x| &x.id))
            .chain(self.storage.iter().map(|x| &x.id))
            .chain(self.links.iter().map(|x| &x.id))
            .chain(self.vms.iter().map(|x| &x.id))
            .chain(self.clusters.iter().map(|x| &x.id))
            .chain(self.guest_clusters.iter().map(|x| &x.id))
            .chain(self.nlb_clusters.iter().map(|x| &x.id))
            .chain(self.clients.iter().map(|x| &x.id))
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    /// On premises (the default), or an Azure region that Site Recovery replicates to.
    #[serde(default, skip_serializing_if = "SiteKind::is_on_premises")]
    pub kind: SiteKind,
}

/// Where a site is: a datacenter of one's own, or Azure. An Azure site holds no Hyper-V hosts:
/// Azure Site Recovery keeps replicas there and creates Azure VMs from them at failover.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    #[default]
    OnPremises,
    Azure,
}

impl SiteKind {
    pub fn is_on_premises(&self) -> bool {
        *self == SiteKind::OnPremises
    }
}

impl Design {
    /// Azure's compute as the engine adds it (no host of a design may be in an Azure site).
    pub fn is_azure_compute(&self, h: &Host) -> bool {
        h.site
            .as_deref()
            .is_some_and(|s| self.azure_site(s).is_some())
    }

    /// The Azure site of this id, if it is one.
    pub fn azure_site(&self, id: &str) -> Option<&Site> {
        self.sites
            .iter()
            .find(|s| s.id == id && s.kind == SiteKind::Azure)
    }
}

/// A Hyper-V host (a physical server).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub site: Option<Id>,
    /// Logical processors (default 32).
    #[serde(default = "d_cores")]
    pub cpu_cores: u32,
    /// Memory available to VMs, GB (default 256).
    #[serde(default = "d_host_mem")]
    pub memory_gb: u32,
    /// Attested by a Host Guardian Service: may run shielded VMs (default false).
    #[serde(default)]
    pub guarded: bool,
    #[serde(default)]
    pub at: Option<Pos>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SwitchKind {
    /// Bound to physical NICs: reaches the physical network and every host linked to it.
    #[default]
    External,
    /// One host's management OS and its VMs.
    Internal,
    /// VMs on the same host only.
    Private,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Switch {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    pub kind: SwitchKind,
    /// The host an internal or private switch lives on.
    #[serde(default)]
    pub host: Option<Id>,
    #[serde(default)]
    pub site: Option<Id>,
    #[serde(default)]
    pub at: Option<Pos>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum StorageKind {
    /// A host's own disks: only that host reaches them.
    #[default]
    Local,
    /// A SAN LUN reached by hosts linked to it (FC/iSCSI), directly or through a switch.
    San,
    /// An SMB 3 file share, reached over the network.
    Smb,
    /// A Cluster Shared Volume: every node reads and writes it; redirected I/O when a node loses its path.
    Csv,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    pub kind: StorageKind,
    /// The host of a `local` storage.
    #[serde(default)]
    pub host: Option<Id>,
    #[serde(default)]
    pub site: Option<Id>,
    #[serde(default)]
    pub at: Option<Pos>,
}

/// A cable: host NIC to switch, switch to switch, storage to host or switch.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub id: Id,
    pub a: Id,
    pub b: Id,
    /// What the cable carries (Mbit/s), for a WAN link between sites: replication sends its
    /// changes through the slowest cable of its path (none set: not a limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_mbps: Option<u32>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    #[default]
    Medium,
    Low,
    /// Never restarted automatically after a failure.
    NoAutoStart,
}

impl Priority {
    /// The cluster group's Priority property: High 3000, Medium 2000, Low 1000, No Auto Start 0.
    pub fn value(self) -> u32 {
        match self {
            Priority::High => 3000,
            Priority::Medium => 2000,
            Priority::Low => 1000,
            Priority::NoAutoStart => 0,
        }
    }
}

/// What the host cluster can see inside a VM.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Monitoring {
    /// Only the VM as a whole (powered on / crashed).
    #[default]
    None,
    /// The integration-services heartbeat: notices a dead guest OS, not a dead application.
    Heartbeat,
    /// VM Monitoring of a service in the guest (2012+): notices the application stopping.
    Service,
}

/// A VM NIC on a virtual switch.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Nic {
    pub switch: Id,
    /// VLAN ID; only equal VLANs talk on a switch (none = untagged).
    #[serde(default)]
    pub vlan: Option<u16>,
    /// Needed by unicast NLB inside Hyper-V VMs.
    #[serde(default)]
    pub mac_spoofing: bool,
}

/// A VM, or `replicas` identical VMs (instances `id#1`, `id#2`, ...).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Vm {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    /// Tier / role label: the service these VMs provide (`web`, `app`, `db`).
    #[serde(default)]
    pub tier: Option<String>,
    #[serde(default = "d_vcpus")]
    pub vcpus: u32,
    /// Default 4 GB.
    #[serde(default = "d_vm_mem")]
    pub memory_gb: u32,
    /// Identical instances (default 1).
    #[serde(default = "d_one")]
    pub replicas: u32,
    /// Hosts the instances start on, round robin.
    pub hosts: Vec<Id>,
    /// Where the VM's disks live.
    pub storage: Id,
    #[serde(default)]
    pub nics: Vec<Nic>,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default)]
    pub preferred_owners: Vec<Id>,
    /// Hard allow-list of nodes (empty = every node of the cluster).
    #[serde(default)]
    pub possible_owners: Vec<Id>,
    /// AntiAffinityClassNames.
    #[serde(default)]
    pub anti_affinity: Option<String>,
    #[serde(default)]
    pub monitoring: Monitoring,
    #[serde(default)]
    pub shielded: bool,
    /// Move back to the first preferred owner when it returns (default false).
    #[serde(default)]
    pub failback: bool,
    /// FailbackWindowStart / FailbackWindowEnd: fail back only between these hours of the day
    /// (default: at once).
    #[serde(default)]
    pub failback_window: Option<FailbackWindow>,
    /// Cold boot time until the guest serves (default 30 000 ms).
    #[serde(default = "d_boot")]
    pub boot_ms: u64,
    /// Average CPU use of each vCPU, percent (default 20).
    #[serde(default = "d_util")]
    pub cpu_utilization_pct: u32,
    /// How fast the guest writes to its memory, MB/s (default 50): what live migration must copy
    /// again round after round, and so how long its final pause is.
    #[serde(default = "d_write")]
    pub memory_write_mb_s: u32,
}

/// In JSON: `{"kind": "disk", "storage": "lun"}` (see `witness_json`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(
    try_from = "witness_json::RawWitness",
    into = "witness_json::RawWitness"
)]
pub enum Witness {
    #[default]
    None,
    /// A small shared LUN (not a CSV).
    Disk { storage: Id },
    /// A file share (an SMB storage), ideally in a third site.
    FileShare { storage: Id },
    /// A blob in a cloud region (2016+), reached through an external network.
    Cloud,
}

/// Hours of the day (0-23) between which failback may happen; `end` before `start` spans
/// midnight, `start == end` is the one hour from `start`.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct FailbackWindow {
    pub start_hour: u8,
    pub end_hour: u8,
}

/// When a set counts as ready for the sets that depend on it (StartupDelayTrigger).
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SetTrigger {
    /// StartupDelay after its VMs started (the default).
    #[default]
    Delay,
    /// As soon as its VMs' cluster resources are online.
    Online,
}

/// A cluster set (2016+, New-ClusterGroupSet): VMs that start only once the sets they depend
/// on are ready.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ClusterSet {
    pub name: String,
    /// VM entries (every instance) in the set.
    pub vms: Vec<Id>,
    /// Names of the sets that must be ready first.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// StartupDelayTrigger (default `delay`).
    #[serde(default)]
    pub trigger: SetTrigger,
    /// StartupDelay (default 20 000 ms).
    #[serde(default)]
    pub startup_delay_ms: Option<u64>,
}

/// A failover cluster of hosts; the VMs on its nodes are its roles.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct FailoverCluster {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    pub nodes: Vec<Id>,
    #[serde(default)]
    pub witness: Witness,
    #[serde(default)]
    pub heartbeat: HeartbeatSettings,
    /// ClusterEnforcedAntiAffinity: a VM stays offline rather than share a node with its class.
    #[serde(default)]
    pub enforce_anti_affinity: bool,
    /// LowerQuorumPriorityNodeID: the node that loses its vote when the count must be made odd.
    #[serde(default)]
    pub lower_quorum_priority_node: Option<Id>,
    /// Cluster sets: start ordering across tiers (2016+).
    #[serde(default)]
    pub sets: Vec<ClusterSet>,
}

/// The role a guest cluster keeps online on one of its member VMs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct GuestRole {
    pub name: String,
    /// The service it provides (a tier label).
    #[serde(default)]
    pub tier: Option<String>,
    /// Time to bring the role online on a member (default 10 000 ms).
    #[serde(default = "d_role_start")]
    pub start_ms: u64,
}

/// A failover cluster of VMs: heartbeats flow between the VMs themselves.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct GuestCluster {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    /// VM entries; every instance of each is a member.
    pub members: Vec<Id>,
    #[serde(default)]
    pub witness: Witness,
    #[serde(default)]
    pub heartbeat: HeartbeatSettings,
    pub role: GuestRole,
    #[serde(default)]
    pub lower_quorum_priority_node: Option<Id>,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Affinity {
    None,
    /// Same client IP sticks to one member (the default).
    #[default]
    Single,
    /// Same class C network sticks to one member.
    Network,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum NlbMode {
    #[default]
    Unicast,
    Multicast,
    IgmpMulticast,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct NlbMember {
    /// A VM entry: each of its instances is a member, with priorities `priority`, `priority+1`...
    pub vm: Id,
    /// Unique host priority, 1-32.
    pub priority: u32,
    /// Port-rule load weight (`None` = equal load).
    #[serde(default)]
    pub weight: Option<u32>,
}

/// A Windows NLB cluster of VMs sharing a stateless service.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct NlbCluster {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    pub members: Vec<NlbMember>,
    #[serde(default)]
    pub affinity: Affinity,
    #[serde(default)]
    pub mode: NlbMode,
}

/// Clients sending requests to a service (a tier).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ClientLoad {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    /// The tier label requests go to.
    pub tier: String,
    pub requests_per_second: u32,
    /// Distinct client IP addresses (default 1 000): with affinity, few clients spread badly.
    #[serde(default = "d_clients")]
    pub client_ips: u32,
    #[serde(default)]
    pub at: Option<Pos>,
}

/// A service tier and the tiers each request also needs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub name: String,
    #[serde(default)]
    pub depends_on: Vec<String>,
}

/// A fault or a repair at a time. In JSON: `{"at_ms": 30000, "fault": "host_crash", "host": "h1"}`
/// (see `fault_json`).
#[cfg(feature = "simulate")]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(try_from = "fault_json::RawEntry", into = "fault_json::RawEntry")]
pub struct ScheduledFault {
    pub at_ms: u64,
    /// `true`: undo this fault (restore power, reconnect, ...).
    pub repair: bool,
    pub fault: Fault,
}

/// What breaks. VMs are named `entry` (its first instance) or `entry#k`.
#[cfg(feature = "simulate")]
#[derive(Serialize, Clone, Debug, PartialEq, Eq, Hash)]
#[serde(tag = "fault", rename_all = "snake_case")]
pub enum Fault {
    HostCrash {
        host: Id,
    },
    /// Every NIC of the host goes down; the host and its VMs keep running.
    HostIsolation {
        host: Id,
    },
    VmCrash {
        vm: Id,
    },
    /// The application inside the guest stops; the guest OS keeps running.
    AppFailure {
        vm: Id,
    },
    /// The guest OS stops responding; to Hyper-V the VM is still running.
    GuestHang {
        vm: Id,
    },
    SwitchFailure {
        switch: Id,
    },
    LinkCut {
        link: Id,
    },
    StorageFailure {
        storage: Id,
    },
    SiteFailure {
        site: Id,
    },
    /// Cuts every link between side `a` and side `b` (ids of sites, switches, hosts, storage).
    Partition {
        a: Vec<Id>,
        b: Vec<Id>,
    },
    /// The cluster's witness (its disk, file share or cloud blob) cannot be reached by anyone;
    /// the storage it lives on is otherwise unaffected.
    WitnessFailure {
        cluster: Id,
    },
    /// Someone deletes the VM: its files are gone, nothing restarts it. A restore from backup
    /// (or a failover to its replica) brings it back. Never repaired.
    VmDeletion {
        vm: Id,
    },
    /// The data inside the guest is corrupt: it keeps running and serves errors, a restart does
    /// not help, and what is backed up or replicated from now on is corrupt too. Never repaired.
    GuestCorruption {
        vm: Id,
    },
    /// Ransomware takes the domain (ids of hosts or sites): every VM's disks on those hosts are
    /// encrypted (they stop and do not boot), and so is every backup repository the domain
    /// reaches over the network, unless its copies are immutable. Never repaired.
    Ransomware {
        domain: Vec<Id>,
    },
}

#[cfg(feature = "simulate")]
impl Fault {
    /// The ids this fault names, for the event log.
    pub fn subjects(&self) -> Vec<Id> {
        match self {
            Fault::HostCrash { host } | Fault::HostIsolation { host } => vec![host.clone()],
            Fault::VmCrash { vm }
            | Fault::AppFailure { vm }
            | Fault::GuestHang { vm }
            | Fault::VmDeletion { vm }
            | Fault::GuestCorruption { vm } => vec![vm.clone()],
            Fault::Ransomware { domain } => domain.clone(),
            Fault::SwitchFailure { switch } => vec![switch.clone()],
            Fault::LinkCut { link } => vec![link.clone()],
            Fault::StorageFailure { storage } => vec![storage.clone()],
            Fault::SiteFailure { site } => vec![site.clone()],
            Fault::WitnessFailure { cluster } => vec![cluster.clone()],
            Fault::Partition { a, b } => a.iter().chain(b).cloned().collect(),
        }
    }

    /// It loses data: deletion, corruption or ransomware, which no repair undoes.
    pub fn loses_data(&self) -> bool {
        matches!(
            self,
            Fault::VmDeletion { .. } | Fault::GuestCorruption { .. } | Fault::Ransomware { .. }
        )
    }
}

fn d_cores() -> u32 {
    32
}
fn d_host_mem() -> u32 {
    256
}
fn d_vcpus() -> u32 {
    2
}
fn d_vm_mem() -> u32 {
    4
}
fn d_one() -> u32 {
    1
}
fn d_boot() -> u64 {
    30_000
}
fn d_util() -> u32 {
    20
}
fn d_write() -> u32 {
    50
}
fn d_role_start() -> u64 {
    10_000
}
fn d_clients() -> u32 {
    1_000
}

/// Shown name: the name if set, else the id.
pub fn display_name<'a>(name: &'a str, id: &'a str) -> &'a str {
    if name.is_empty() { id } else { name }
}

/// Splits `web#3` into (`web`, 3); a bare entry id means its first instance.
pub fn parse_vm_ref(s: &str) -> Option<(&str, u32)> {
    match s.split_once('#') {
        None => Some((s, 1)),
        Some((entry, k)) => k.parse().ok().filter(|k| *k >= 1).map(|k| (entry, k)),
    }
}

impl Scenario {
    /// Parses a scenario from JSON, with a message that says where it is wrong.
    pub fn from_json(text: &str) -> Result<Scenario, String> {
        let scenario: Scenario =
            serde_json::from_str(text).map_err(|e| format!("not a valid scenario: {e}"))?;
        if scenario.format > FORMAT_VERSION {
            return Err(format!(
                "this scenario uses format {} but this version of ClusterLab reads up to {}",
                scenario.format, FORMAT_VERSION
            ));
        }
        Ok(scenario)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serializes")
    }
}
