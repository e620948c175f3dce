//! What the page draws at one moment: states, votes, missed heartbeats, pulses in flight.

use super::Engine;
use super::membership::beat;
use super::state::{Member, NLB_BUCKETS, NodeState, RoleState, VmState};
use crate::model::network::Node;
use serde::Serialize;

/// How long a heartbeat pulse takes to cross the drawing. Real latency is under a
/// millisecond; pulses are slowed so they can be seen.
pub const HEARTBEAT_VISUAL_MS: u64 = 400;

/// Clusters with more nodes than this show heartbeats between ring neighbours only.
pub const RING_ABOVE: usize = 8;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub t_ms: u64,
    pub hosts: Vec<HostView>,
    pub vms: Vec<VmView>,
    pub clusters: Vec<ClusterView>,
    pub nlbs: Vec<NlbView>,
    pub heartbeats: Vec<Heartbeat>,
    pub switches_down: Vec<String>,
    pub links_cut: Vec<String>,
    pub storage_down: Vec<String>,
    pub tiers: Vec<(String, u32)>,
    pub served_rps: u64,
    pub dropped_rps: u64,
    /// Requests per second served for each client (the design's order).
    pub client_served_rps: Vec<u64>,
    /// Hyper-V Replica: where each replica stands.
    pub replicas: Vec<super::ReplicaView>,
    /// Backups: each protected VM's restore points, lost data and restores, per repository.
    pub backups: Vec<super::BackupView>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct HostView {
    pub id: String,
    pub up: bool,
    pub isolated: bool,
    pub memory_used_gb: u64,
    pub memory_gb: u32,
    pub cpu_pct: u32,
    /// Paused by an operation: it keeps its roles and takes no new ones.
    pub paused: bool,
    /// Its last drain, if any (NodeDrainStatus).
    pub drain: Option<super::DrainStatus>,
    /// Shut down by an operation (a start powers it on).
    pub off: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct VmView {
    pub id: String,
    pub entry: String,
    pub host: String,
    #[serde(flatten)]
    pub state: VmState,
    pub reason: String,
    pub app_failed: bool,
    /// The guest OS hangs (Hyper-V still shows it running).
    pub hung: bool,
    pub unmonitored: bool,
    pub redirected_io: bool,
    pub waiting_for_node: bool,
    pub failed: bool,
    /// Paused at the end of a live migration (the last pages, the switch-over).
    pub switching_over: bool,
    /// Its live migration to this host waits for a slot.
    pub queued_to: Option<String>,
    /// The host it last moved from and when: the page draws the move for a moment.
    pub moved_from: Option<(String, u64)>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct NodeView {
    pub id: String,
    #[serde(flatten)]
    pub state: NodeState,
    pub vote: bool,
    /// Most consecutive heartbeats any peer has missed from this node, and its threshold.
    pub missed: u32,
    pub threshold: u32,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ClusterView {
    pub id: String,
    pub guest: bool,
    pub has_quorum: bool,
    pub nodes: Vec<NodeView>,
    pub witness_vote: bool,
    pub votes_total: u32,
    pub role: Option<RoleState>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct NlbMemberView {
    pub vm: String,
    pub priority: u32,
    pub in_view: bool,
    /// Unicast mode without MAC address spoofing: no connectivity on its NLB adapter.
    pub cut_off: bool,
    /// Consecutive NLB heartbeat rounds it has missed, and the threshold.
    pub missed: u32,
    pub threshold: u32,
    pub buckets: u32,
    pub requests_per_second: u64,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct NlbView {
    pub id: String,
    pub converging: bool,
    /// Convergence cannot complete (duplicate host priority).
    pub stuck: bool,
    pub members: Vec<NlbMemberView>,
}

/// A heartbeat pulse on its way.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Heartbeat {
    pub cluster: String,
    pub from: String,
    pub to: String,
    pub sent_ms: u64,
    /// 0-1000 along `path`.
    pub progress_permille: u32,
    /// Component ids from sender to receiver.
    pub path: Vec<String>,
    /// Index in `path` where the pulse stops (a dead component or a cut link), if it does.
    pub stops_at: Option<usize>,
}

impl VmView {
    /// Its guest is up and its application answers.
    pub fn state_is_serving(&self) -> bool {
        self.state.guest_up() && !self.app_failed && !self.hung
    }
}

impl Engine {
    /// What the page shows of VM instance `v`.
    pub fn vm_view(&self, v: usize) -> VmView {
        let d = &self.scenario.design;
        let vm = &self.vms[v];
        VmView {
            id: vm.id.clone(),
            entry: d.vms[vm.entry].id.clone(),
            host: d.hosts[vm.host].id.clone(),
            state: vm.state,
            reason: vm.reason.clone(),
            app_failed: vm.app_failed,
            hung: vm.hung,
            unmonitored: vm.unmonitored,
            redirected_io: vm.redirected,
            waiting_for_node: vm.pending,
            failed: vm.failed,
            switching_over: vm.blackout,
            queued_to: self.lanes.waiting_to(v).map(|h| d.hosts[h].id.clone()),
            moved_from: vm.moved_from.map(|(h, t)| (d.hosts[h].id.clone(), t)),
        }
    }

    /// The VMs that do not serve now (`VmView::state_is_serving`), without a whole snapshot.
    pub fn vms_not_serving(&self) -> Vec<VmView> {
        (0..self.vms.len())
            .filter(|&v| {
                let vm = &self.vms[v];
                !(vm.state.guest_up() && !vm.app_failed && !vm.hung)
            })
            .map(|v| self.vm_view(v))
            .collect()
    }

    pub fn snapshot(&self) -> Snapshot {
        let d = &self.scenario.design;
        let sample = self.metrics.at(self.now);
        let hosts = d
            .hosts
            .iter()
            .enumerate()
            .map(|(h, host)| HostView {
                id: host.id.clone(),
                up: self.health.host_up(h),
                isolated: self.health.host_isolated[h] > 0,
                memory_used_gb: self.host_mem[h],
                memory_gb: host.memory_gb,
                cpu_pct: sample
                    .and_then(|s| s.host_cpu_pct.get(h).copied())
                    .unwrap_or(0),
                paused: self.ops.is_paused(h),
                drain: self.ops.drain_status(h),
                off: self.ops.is_off(h),
            })
            .collect();
        let vms = (0..self.vms.len()).map(|v| self.vm_view(v)).collect();
        let clusters = self
            .clusters
            .iter()
            .map(|c| ClusterView {
                id: c.id.clone(),
                guest: c.guest,
                has_quorum: c.has_quorum,
                nodes: (0..c.members.len())
                    .map(|m| NodeView {
                        id: c.member_ids[m].clone(),
                        state: c.node[m],
                        vote: c.vote[m],
                        missed: (0..c.members.len())
                            .map(|r| c.missed[r][m])
                            .max()
                            .unwrap_or(0),
                        threshold: (0..c.members.len())
                            .filter(|&r| r != m)
                            .map(|r| beat(&c.beats, c.class[m][r]).threshold)
                            .min()
                            .unwrap_or(0),
                    })
                    .collect(),
                witness_vote: c.witness_vote,
                votes_total: c.vote.iter().filter(|v| **v).count() as u32
                    + u32::from(c.witness_vote),
                role: c.guest.then_some(c.role),
            })
            .collect();
        let nlbs = self
            .nlbs
            .iter()
            .map(|n| NlbView {
                id: n.id.clone(),
                converging: n.converging_since.is_some(),
                stuck: n.stuck,
                members: (0..n.members.len())
                    .map(|i| NlbMemberView {
                        vm: self.vms[n.members[i].vm].id.clone(),
                        priority: n.members[i].priority,
                        in_view: n.in_view[i],
                        cut_off: n.cut_off[i],
                        missed: n.missed[i],
                        threshold: self.timing.nlb_threshold,
                        buckets: (0..NLB_BUCKETS)
                            .filter(|&b| n.buckets[b] == Some(i))
                            .count() as u32,
                        requests_per_second: (0..NLB_BUCKETS)
                            .filter(|&b| n.buckets[b] == Some(i))
                            .map(|b| n.bucket_rps[b])
                            .sum(),
                    })
                    .collect(),
            })
            .collect();
        let down = |counts: &[u16], ids: &mut dyn Iterator<Item = &String>| -> Vec<String> {
            ids.zip(counts)
                .filter(|(_, c)| **c > 0)
                .map(|(id, _)| id.clone())
                .collect()
        };
        Snapshot {
            replicas: self.replicas(),
            backups: self.backups(),
            t_ms: self.now,
            hosts,
            vms,
            clusters,
            nlbs,
            heartbeats: self.heartbeats_in_flight(),
            switches_down: down(
                &self.health.switch_down,
                &mut d.switches.iter().map(|s| &s.id),
            ),
            links_cut: (0..d.links.len())
                .filter(|&l| !self.health.link_up(&self.net, l))
                .map(|l| d.links[l].id.clone())
                .collect(),
            storage_down: down(
                &self.health.storage_down,
                &mut d.storage.iter().map(|s| &s.id),
            ),
            tiers: self
                .metrics
                .tiers
                .iter()
                .cloned()
                .zip(
                    sample
                        .map(|s| s.availability_permille.clone())
                        .unwrap_or_default(),
                )
                .collect(),
            served_rps: sample.map_or(0, |s| s.served_rps),
            dropped_rps: sample.map_or(0, |s| s.dropped_rps),
            client_served_rps: sample
                .map(|s| s.client_served_rps.clone())
                .unwrap_or_default(),
        }
    }

    fn heartbeats_in_flight(&self) -> Vec<Heartbeat> {
        let mut out = Vec::new();
        for c in &self.clusters {
            let n = c.members.len();
            for s in 0..n {
                if c.node[s] != NodeState::Up || !self.member_alive(c.members[s]) {
                    continue;
                }
                for r in (0..n).filter(|&r| c.node[r] == NodeState::Up && shown(n, s, r)) {
                    let delay = beat(&c.beats, c.class[s][r]).delay_ms;
                    let Some((sent, age)) = in_flight(self.now, c.phase[s], delay) else {
                        continue;
                    };
                    let path = self.member_path(c.members[s], c.members[r]);
                    let ids: Vec<String> = path.iter().map(|p| self.step_id(*p)).collect();
                    let stops_at = if self.members_connected(c.members[s], c.members[r]) {
                        None
                    } else {
                        Some(self.first_break(&path))
                    };
                    out.push(Heartbeat {
                        cluster: c.id.clone(),
                        from: c.member_ids[s].clone(),
                        to: c.member_ids[r].clone(),
                        sent_ms: sent,
                        progress_permille: (age * 1000 / HEARTBEAT_VISUAL_MS) as u32,
                        path: ids,
                        stops_at,
                    });
                }
            }
        }
        // NLB members heartbeat each other too (every second by default).
        let delay = self.timing.nlb_heartbeat_ms.max(1);
        for (ni, n) in self.nlbs.iter().enumerate() {
            let count = n.members.len();
            let Some((sent, age)) = in_flight(self.now, n.phase, delay) else {
                continue;
            };
            for s in (0..count).filter(|&s| self.nlb_member_up(ni, s)) {
                for r in (0..count).filter(|&r| n.in_view[r] && shown(count, s, r)) {
                    let (a, b) = (n.members[s].vm, n.members[r].vm);
                    let path = self.member_path(Member::Vm(a), Member::Vm(b));
                    let stops_at = if self.nlb_member_up(ni, r) && self.nlb_connected(ni, s, r) {
                        None
                    } else {
                        Some(self.first_break(&path))
                    };
                    out.push(Heartbeat {
                        cluster: n.id.clone(),
                        from: self.vms[a].id.clone(),
                        to: self.vms[b].id.clone(),
                        sent_ms: sent,
                        progress_permille: (age * 1000 / HEARTBEAT_VISUAL_MS) as u32,
                        path: path.iter().map(|p| self.step_id(*p)).collect(),
                        stops_at,
                    });
                }
            }
        }
        out
    }

    fn step_id(&self, p: PathStep) -> String {
        match p {
            PathStep::Node(node) => self.net.node_id(&self.scenario.design, node).to_string(),
            PathStep::Vm(v) => self.vms[v].id.clone(),
        }
    }

    fn member_path(&self, a: Member, b: Member) -> Vec<PathStep> {
        match (a, b) {
            (Member::Host(x), Member::Host(y)) => self
                .net
                .route(Node::Host(x), Node::Host(y))
                .unwrap_or_default()
                .into_iter()
                .map(PathStep::Node)
                .collect(),
            (Member::Vm(x), Member::Vm(y)) => {
                let (hx, hy) = (self.vms[x].host, self.vms[y].host);
                let mut p = vec![PathStep::Vm(x)];
                if hx == hy {
                    p.push(PathStep::Node(Node::Host(hx)));
                } else {
                    p.extend(
                        self.net
                            .route(Node::Host(hx), Node::Host(hy))
                            .unwrap_or_default()
                            .into_iter()
                            .map(PathStep::Node),
                    );
                }
                p.push(PathStep::Vm(y));
                p
            }
            _ => Vec::new(),
        }
    }

    /// Where along a path traffic stops: the first dead component or cut link.
    fn first_break(&self, path: &[PathStep]) -> usize {
        for i in 1..path.len() {
            let ok = match (path[i - 1], path[i]) {
                (PathStep::Node(a), PathStep::Node(b)) => {
                    (0..self.net.links.len()).any(|l| {
                        matches!(self.net.links[l], Some((x, y)) if (x == a && y == b) || (x == b && y == a)) && self.health.link_up(&self.net, l)
                    })
                }
                (_, PathStep::Vm(v)) => self.vms[v].guest_up(),
                (PathStep::Vm(v), _) => self.vms[v].guest_up(),
            };
            if !ok {
                return i;
            }
        }
        path.len().saturating_sub(1)
    }
}

/// Whether the pulse from member `s` to member `r` of `n` is drawn. Large clusters: to ring
/// neighbours only (thousands of pulses teach nothing and cost a frame).
fn shown(n: usize, s: usize, r: usize) -> bool {
    r != s && (n <= RING_ABOVE || r == (s + 1) % n || s == (r + 1) % n)
}

/// When the pulse now on its way was sent and how old it is, for a sender beating every
/// `delay` ms from `phase`; `None` when none is in flight.
fn in_flight(now: u64, phase: u64, delay: u64) -> Option<(u64, u64)> {
    let phase = phase % delay;
    if now < phase {
        return None;
    }
    let sent = now - (now - phase) % delay;
    let age = now - sent;
    (age < HEARTBEAT_VISUAL_MS).then_some((sent, age))
}

#[derive(Clone, Copy)]
enum PathStep {
    Node(Node),
    Vm(usize),
}
