//! The engine's mutable state, per component.

use crate::model::{HeartbeatTiming, Nic, Priority, Witness};
use serde::Serialize;

/// What a VM instance is doing.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum VmState {
    Running,
    /// Cold booting; serves from `until`.
    Booting {
        until: u64,
    },
    /// Paused-Critical: its storage is gone (2016+ storage resiliency).
    Paused {
        since: u64,
    },
    /// Live migrating to `to` since `since`; keeps running on its host until `until`.
    Migrating {
        to: usize,
        since: u64,
        until: u64,
    },
    /// Quick migration to `to`: saved, moved and restored; down from `since` until `until`.
    QuickMigrating {
        to: usize,
        since: u64,
        until: u64,
    },
    Stopped,
}

impl VmState {
    /// The guest OS is up in this state: running, or running on while it migrates.
    pub fn guest_up(&self) -> bool {
        matches!(self, VmState::Running | VmState::Migrating { .. })
    }

    /// On its way to another host (live or quick): where to, and from when until when.
    pub fn moving(&self) -> Option<(usize, u64, u64)> {
        match *self {
            VmState::Migrating { to, since, until }
            | VmState::QuickMigrating { to, since, until } => Some((to, since, until)),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct VmInst {
    pub entry: usize,
    pub id: String,
    pub name: String,
    pub host: usize,
    pub state: VmState,
    /// Why it is in its state, in plain words (always set for `Stopped`).
    pub reason: String,
    pub app_failed: bool,
    /// The guest OS hangs: Hyper-V still shows the VM running, nothing inside answers.
    pub hung: bool,
    /// Paused for the end of a live migration (the last pages, the switch-over): no heartbeat
    /// leaves the guest. `blackout_drops`: longer than the TCP timeout, so clients' connections
    /// drop too.
    pub blackout: bool,
    pub blackout_drops: bool,
    /// Down because of a planned operation (a quick migration, a shutdown, an eviction, a pause
    /// past the TCP timeout): its downtime counts as planned until it serves again.
    pub planned_down: bool,
    /// Running on an isolated node: the cluster cannot watch it (2016+ compute resiliency).
    pub unmonitored: bool,
    /// Reaching its CSV through the coordinator over the network.
    pub redirected: bool,
    /// Host failover cluster it is a role of.
    pub cluster: Option<usize>,
    /// Waiting for the cluster to place it.
    pub pending: bool,
    /// Past the failover threshold: no more automatic starts.
    pub failed: bool,
    /// The host it last moved from, and when (the page draws the move).
    pub moved_from: Option<(usize, u64)>,
    pub restarts: Vec<u64>,
    pub failovers: Vec<u64>,
    /// Bumped on every state change, so stale timers are ignored.
    pub token: u32,
    /// When it was last started (`None`: running since before the run began).
    pub started_at: Option<u64>,
    /// When it last stopped serving (for "down for ..." in messages).
    pub down_since: Option<u64>,
    /// A node to avoid on the next placement (restarts in place used up there).
    pub avoid: Option<usize>,
    // Copied from the entry for speed.
    pub memory_gb: u32,
    pub vcpus: u32,
    pub priority: Priority,
    pub boot_ms: u64,
    pub storage: Option<usize>,
    /// MB/s the guest writes to its memory (live migration copies it again).
    pub write_mb_s: u64,
}

impl VmInst {
    /// Holds memory on its host (running, booting, paused or migrating away; a quick migration
    /// reserves it on both hosts until the restore).
    pub fn holds_memory(&self) -> bool {
        self.state != VmState::Stopped
    }
    /// The guest OS is up (heartbeats, serves if its application works).
    pub fn guest_up(&self) -> bool {
        self.state.guest_up() && !self.hung && !self.blackout
    }
    /// Answers its clients: a pause under the TCP timeout only delays them.
    pub fn serving(&self) -> bool {
        self.state.guest_up() && !self.hung && !self.blackout_drops && !self.app_failed
    }
}

/// A cluster node's membership, as the cluster sees it.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum NodeState {
    /// An active member of the partition that has quorum.
    Up,
    /// Declared down (not reachable, or its host or VM is down).
    Down,
    /// 2016+: cut off but alive; keeps its VMs (unmonitored) until `until`.
    Isolated { since: u64, until: u64 },
    /// Isolated too often: kept out until `until`.
    Quarantined { until: u64 },
    /// Removed from the cluster by the administrator (Remove-ClusterNode): out for good, unless
    /// it is added again.
    Evicted,
    /// Alive but in a partition without quorum: its cluster service stopped.
    NoQuorum,
}

impl NodeState {
    /// Kept out of the membership whatever its heartbeats say (quarantined or evicted).
    pub fn kept_out(&self) -> bool {
        matches!(self, NodeState::Quarantined { .. } | NodeState::Evicted)
    }
}

/// What a cluster is made of: hosts (a host cluster) or VM instances (a guest cluster).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Host(usize),
    Vm(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum RoleState {
    Online { owner: usize },
    Starting { owner: usize, until: u64 },
    Offline,
}

#[derive(Clone, Debug)]
pub struct ClusterState {
    pub id: String,
    pub name: String,
    pub guest: bool,
    pub members: Vec<Member>,
    pub member_ids: Vec<String>,
    pub beats: HeartbeatTiming,
    pub witness: Witness,
    pub lower_priority: Option<usize>,
    pub enforce_anti_affinity: bool,
    pub node: Vec<NodeState>,
    pub vote: Vec<bool>,
    pub witness_vote: bool,
    /// `missed[r][s]`: consecutive heartbeats from `s` that `r` missed.
    pub missed: Vec<Vec<u32>>,
    /// Heartbeat class between each pair: index into (same subnet, cross subnet, cross site).
    pub class: Vec<Vec<u8>>,
    /// Offset of each member's heartbeat schedule.
    pub phase: Vec<u64>,
    /// When each member last left the membership ungracefully (crash, isolation, cut off):
    /// QuarantineThreshold counts these within an hour.
    pub leaves: Vec<Vec<u64>>,
    pub has_quorum: bool,
    /// Guest clusters: the clustered role.
    pub role: RoleState,
    pub role_start_ms: u64,
    pub role_tier: Option<String>,
    pub role_name: String,
    pub role_restarts: Vec<u64>,
    pub role_token: u32,
    pub token: Vec<u32>,
    pub formed: bool,
    /// The member whose missed heartbeats started the regroup under way, if any.
    pub trigger: Option<usize>,
    /// Started with ForceQuorum by this member: its side runs the cluster whatever the votes,
    /// until a majority of the votes is back.
    pub forced_by: Option<usize>,
    /// Witness failures in effect (a count: a repair undoes one).
    pub witness_failed: u16,
}

#[derive(Clone, Debug)]
pub struct NlbMemberInst {
    pub vm: usize,
    pub priority: u32,
    pub weight: u32,
}

#[derive(Clone, Debug)]
pub struct NlbState {
    pub id: String,
    pub name: String,
    pub tier: Option<String>,
    pub members: Vec<NlbMemberInst>,
    pub nics: Vec<Vec<Nic>>,
    /// Members in the converged view.
    pub in_view: Vec<bool>,
    pub missed: Vec<u32>,
    /// Owner (member index) of each of the 60 hash buckets.
    pub buckets: Vec<Option<usize>>,
    /// Requests per second that hash to each bucket.
    pub bucket_rps: Vec<u64>,
    pub converging_since: Option<u64>,
    pub token: u32,
    pub phase: u64,
    /// Convergence is blocked (duplicate host priority).
    pub stuck: bool,
    /// Unicast mode on a VM NIC without MAC address spoofing: Hyper-V drops the member's frames
    /// (they carry the cluster MAC), so it has no connectivity on that adapter.
    pub cut_off: Vec<bool>,
}

pub const NLB_BUCKETS: usize = 60;
