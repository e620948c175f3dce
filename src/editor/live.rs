//! What the canvas draws during a run, from one engine snapshot: hosts with their load and
//! missed heartbeats, VM rows on the host they are on now (sliding there when they move),
//! heartbeat pulses along their real paths, client requests into the NLB, cluster quorum.
//! Pure geometry and words, no web types: the page only turns this into SVG.

use super::layout::*;
use super::route;
use super::scene::{self, Item, ItemKind, Rect};
use crate::model::{Design, Pos, display_name};
use crate::sim::state::{NodeState, RoleState, VmState};
use crate::sim::{DrainStatus, Snapshot, VmView};
use std::collections::HashMap;

/// How long (simulated) a moved VM takes to slide from its old host to its new one.
pub const MOVE_VISUAL_MS: u64 = 1_500;
/// An instance row has two lines: name, then what it is doing and why.
pub const INSTANCE_ROW_H: i32 = 36;
/// A host drawn without rows (zoomed far out): name, state and counts in large type.
pub const COMPACT_HOST_H: i32 = 150;

#[derive(Clone, Debug, PartialEq)]
pub struct LiveHost {
    pub id: String,
    pub name: String,
    pub rect: Rect,
    /// `up`, `down` or `isolated`.
    pub state: &'static str,
    /// How its failover cluster sees it, when that differs from its power state.
    pub node: Option<&'static str>,
    pub cpu_pct: u32,
    pub memory_pct: u32,
    pub memory_text: String,
    /// Consecutive heartbeats missed from it by some peer, and the threshold.
    pub missed: Option<(u32, u32)>,
    /// Zoomed far out: no VM rows, only how many VMs are running, booting and down here.
    pub counts: Option<(u32, u32, u32)>,
}

/// One VM row: an instance, or (on a crowded host) all instances of an entry with counts.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveRow {
    pub id: String,
    pub host: String,
    pub rect: Rect,
    /// `running`, `booting`, `paused`, `migrating`, `incoming` (the same VM drawn on the host
    /// it is migrating to), `stopped`, `failed`, `app-failed`.
    pub state: &'static str,
    pub title: String,
    /// What it is doing and why, in words.
    pub detail: String,
    /// Slide offset while it moves here from its old host.
    pub offset: (f64, f64),
    /// Booting progress, percent.
    pub progress: Option<u32>,
    /// NLB requests per second hashed to it, and its share of the busiest member, percent.
    pub load: Option<(u64, u32)>,
    /// Those requests are lost: it owns buckets but does not serve (NLB not converged yet).
    pub lost: bool,
    /// It serves, but its requests fail further on: the tier it needs that is down.
    pub downstream: Option<String>,
    pub missed: Option<(u32, u32)>,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LiveBox {
    pub id: String,
    pub kind: ItemKind,
    /// Its icon (see `scene::icon`).
    pub icon: &'static str,
    pub rect: Rect,
    pub down: bool,
    pub title: String,
    pub sub: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LiveLink {
    pub id: String,
    /// The cable's route, box edge to box edge (see `route`).
    pub points: Vec<(f64, f64)>,
    pub cut: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LiveCluster {
    pub id: String,
    pub rect: Rect,
    pub label: String,
    pub quorum: bool,
}

/// A heartbeat on its way; `lost` once it has reached the break in its path.
#[derive(Clone, Debug, PartialEq)]
pub struct Pulse {
    pub at: (f64, f64),
    pub lost: bool,
}

/// Client requests going to an NLB member (`rps` per second).
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub rps: u64,
    /// Sent to a member that does not answer: dropped.
    pub lost: bool,
}

/// Hyper-V Replica's path from a VM to its replica server, labelled with the age of the
/// replica's latest recovery point.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaArrow {
    pub vm: String,
    /// An arc over the boxes: from the top of the VM's row to the top of the replica server,
    /// through `control` (a quadratic curve), its label at the arc's highest point.
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub control: (f64, f64),
    pub label_at: (f64, f64),
    pub label: String,
    /// Health Warning or Critical.
    pub alarm: bool,
    /// A cycle's changes are on their way.
    pub sending: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    pub hosts: Vec<LiveHost>,
    pub rows: Vec<LiveRow>,
    pub boxes: Vec<LiveBox>,
    pub links: Vec<LiveLink>,
    pub clusters: Vec<LiveCluster>,
    pub pulses: Vec<Pulse>,
    pub flows: Vec<Flow>,
    pub replication: Vec<ReplicaArrow>,
}

impl Live {
    /// Selectable items for hit-testing, hosts before the rows on them.
    pub fn items(&self) -> Vec<Item> {
        let mut out: Vec<Item> = self
            .boxes
            .iter()
            .map(|b| item(&b.id, b.kind, b.rect, None, 0))
            .collect();
        for h in &self.hosts {
            out.push(item(&h.id, ItemKind::Host, h.rect, None, 0));
        }
        for r in &self.rows {
            out.push(item(&r.id, ItemKind::Vm, r.rect, Some(&r.host), r.count));
        }
        out
    }
}

fn item(id: &str, kind: ItemKind, rect: Rect, parent: Option<&str>, count: u32) -> Item {
    Item {
        id: id.to_string(),
        kind,
        rect,
        parent: parent.map(str::to_string),
        count,
    }
}

/// Builds the picture of `snap`. Hosts running more than `rows_per_host` VM instances show one
/// row per VM entry with counts instead (the page raises the limit as the user zooms in); with
/// `rows_per_host` 0 hosts show only counts, large enough to read when zoomed far out.
pub fn live(d: &Design, snap: &Snapshot, rows_per_host: usize) -> Live {
    let now = snap.t_ms;
    let design_items = scene::items(d);
    let mut live = Live::default();
    let mut centers: HashMap<String, (f64, f64)> = HashMap::new();
    let mut missed_of: HashMap<&str, (u32, u32)> = snap
        .clusters
        .iter()
        .flat_map(|c| c.nodes.iter())
        .filter(|n| n.missed > 0)
        .map(|n| (n.id.as_str(), (n.missed, n.threshold)))
        .collect();
    for m in snap.nlbs.iter().flat_map(|n| n.members.iter()) {
        if m.missed > 0 {
            missed_of.insert(m.vm.as_str(), (m.missed, m.threshold));
        }
    }
    // Which VM owns each guest cluster's role: shown on its row.
    let mut role_of: HashMap<&str, String> = HashMap::new();
    for c in snap.clusters.iter().filter(|c| c.guest) {
        let name = d
            .guest_clusters
            .iter()
            .find(|g| g.id == c.id)
            .map_or("role", |g| g.role.name.as_str());
        let (owner, word) = match c.role {
            Some(RoleState::Online { owner }) => (owner, "runs"),
            Some(RoleState::Starting { owner, .. }) => (owner, "starting"),
            _ => continue,
        };
        if let Some(n) = c.nodes.get(owner) {
            role_of.insert(n.id.as_str(), format!("{word} {name}"));
        }
    }
    // NLB members that cannot take part say why on their row.
    for n in &snap.nlbs {
        for m in &n.members {
            let note = if m.cut_off {
                "NLB: no MAC spoofing, cut off"
            } else if n.stuck {
                "NLB: not converged"
            } else {
                continue;
            };
            role_of.insert(m.vm.as_str(), note.to_string());
        }
    }
    let node_of: HashMap<&str, NodeState> = snap
        .clusters
        .iter()
        .filter(|c| !c.guest)
        .flat_map(|c| c.nodes.iter())
        .map(|n| (n.id.as_str(), n.state))
        .collect();
    let busiest = snap
        .nlbs
        .iter()
        .flat_map(|n| n.members.iter())
        .map(|m| m.requests_per_second)
        .max()
        .unwrap_or(0)
        .max(1);
    let load_of: HashMap<&str, u64> = snap
        .nlbs
        .iter()
        .flat_map(|n| n.members.iter())
        .map(|m| (m.vm.as_str(), m.requests_per_second))
        .collect();

    // Other components keep their design boxes.
    for it in design_items
        .iter()
        .filter(|i| !matches!(i.kind, ItemKind::Host | ItemKind::Vm))
    {
        // Switches and storage either work (and say what they are) or have failed.
        let named = |down: bool, name: Option<&str>, working: &str| {
            let sub = if down { "failed" } else { working };
            (down, name.unwrap_or(&it.id).to_string(), sub.to_string())
        };
        let (down, title, sub) = match it.kind {
            ItemKind::Switch => named(
                snap.switches_down.contains(&it.id),
                d.switches
                    .iter()
                    .find(|s| s.id == it.id)
                    .map(|s| display_name(&s.name, &s.id)),
                "switch",
            ),
            ItemKind::Storage => {
                let (down, title, sub) = named(
                    snap.storage_down.contains(&it.id),
                    d.storage
                        .iter()
                        .find(|s| s.id == it.id)
                        .map(|s| display_name(&s.name, &s.id)),
                    "online",
                );
                // A backup repository says how many of its restore points can be restored.
                let held = snap.backups.iter().filter(|b| b.repository == it.id);
                let (good, total) =
                    held.fold((0, 0), |(g, t), b| (g + b.good_points, t + b.points));
                match total {
                    0 => (down, title, sub),
                    _ if down => (down, title, sub),
                    _ if good < total => (true, title, format!("{good} of {total} points good")),
                    _ => (down, title, format!("online · {total} points")),
                }
            }
            _ => {
                // Each client's own requests: another tier's outage is not this client's loss.
                let i = d.clients.iter().position(|c| c.id == it.id);
                let c = i.map(|i| &d.clients[i]);
                let rps = c.map_or(0, |c| u64::from(c.requests_per_second));
                let served = i
                    .and_then(|i| snap.client_served_rps.get(i).copied())
                    .unwrap_or(0);
                let sub = if served < rps {
                    // Short enough for the box: the numbers first.
                    if served == 0 {
                        format!("all {rps} rps lost")
                    } else {
                        format!("{served} served · {} lost", rps - served)
                    }
                } else {
                    format!("served {served} rps")
                };
                (
                    false,
                    c.map_or(&it.id[..], |c| display_name(&c.name, &c.id))
                        .to_string(),
                    sub,
                )
            }
        };
        centers.insert(it.id.clone(), it.rect.center());
        live.boxes.push(LiveBox {
            id: it.id.clone(),
            kind: it.kind,
            icon: scene::icon(d, it),
            rect: it.rect,
            down,
            title,
            sub,
        });
    }

    // Hosts, and the VMs on each one now.
    let mut on_host: HashMap<&str, Vec<&VmView>> = HashMap::new();
    for vm in &snap.vms {
        on_host.entry(vm.host.as_str()).or_default().push(vm);
    }
    // Paths and moves start from a host's title bar: known for every host before any row.
    let header = |p: Pos| (p.x as f64 + HOST_W as f64 / 2.0, p.y as f64 + 18.0);
    // Azure's compute follows the design's hosts, as in the engine: failed-over VMs run there.
    let hosts: Vec<crate::model::Host> = d.hosts.iter().cloned().chain(d.azure_compute()).collect();
    let azure_from = d.hosts.len();
    for host in &hosts {
        centers.insert(host.id.clone(), header(host.at.unwrap_or_default()));
    }
    for (h, host) in hosts.iter().enumerate() {
        let view = snap.hosts.get(h);
        let p = host.at.unwrap_or_default();
        let (x, y) = (p.x as f64, p.y as f64);
        let vms = on_host.get(host.id.as_str()).cloned().unwrap_or_default();
        // VMs on their way here: drawn on this host too, with the same progress bar.
        let incoming: Vec<&VmView> = snap
            .vms
            .iter()
            .filter(|v| v.state.moving().is_some_and(|(to, _, _)| to == h))
            .collect();
        let compact = rows_per_host == 0;
        let rows = if compact {
            Vec::new()
        } else if vms.len() + incoming.len() <= rows_per_host {
            let mut rows: Vec<LiveRow> = vms
                .iter()
                .map(|v| {
                    let mut row = instance_row(d, v, now, &load_of, busiest, &missed_of);
                    if let Some(role) = role_of.get(v.id.as_str()) {
                        row.detail = format!("{} · {role}", row.detail);
                    }
                    row
                })
                .collect();
            rows.extend(incoming.iter().map(|v| {
                let mut row = instance_row(d, v, now, &load_of, busiest, &missed_of);
                row.state = "incoming";
                row.host = host.id.clone();
                row.load = None;
                row.detail = format!("arriving from {} {}%", v.host, row.progress.unwrap_or(0));
                row
            }));
            rows
        } else {
            grouped_rows(&vms)
        };
        let row_h = if vms.len() + incoming.len() <= rows_per_host {
            INSTANCE_ROW_H
        } else {
            VM_H
        };
        let height = if compact {
            COMPACT_HOST_H
        } else {
            HOST_HEADER + row_h * rows.len().max(1) as i32 + 10
        };
        for (i, mut row) in rows.into_iter().enumerate() {
            row.rect = Rect {
                x: x + 8.0,
                y: y + (HOST_HEADER + row_h * i as i32) as f64,
                w: (HOST_W - 16) as f64,
                h: (row_h - 4) as f64,
            };
            row.host = host.id.clone();
            if let Some(vm) = vms.iter().find(|v| v.id == row.id)
                && let Some((from, t0)) = &vm.moved_from
                && now < t0 + MOVE_VISUAL_MS
                && let Some(&(fx, fy)) = centers.get(from.as_str())
            {
                let f = (now - t0) as f64 / MOVE_VISUAL_MS as f64;
                let ease = 1.0 - (1.0 - f) * (1.0 - f);
                let (cx, cy) = row.rect.center();
                row.offset = ((fx - cx) * (1.0 - ease), (fy - cy) * (1.0 - ease));
            }
            centers.insert(row.id.clone(), row.rect.center());
            live.rows.push(row);
        }
        // Compact hosts: their VMs' pulses start from the host.
        if compact {
            for v in &vms {
                centers.insert(v.id.clone(), header(p));
            }
        }
        // Grouped rows: every instance's pulses start from its entry's row on this host.
        if !compact && vms.len() > rows_per_host {
            for v in &vms {
                if let Some(r) = live
                    .rows
                    .iter()
                    .rev()
                    .find(|r| r.host == host.id && r.id == v.entry)
                {
                    centers.insert(v.id.clone(), r.rect.center());
                }
            }
        }
        let rect = Rect {
            x,
            y,
            w: HOST_W as f64,
            h: height as f64,
        };
        let (up, isolated) = view.map_or((true, false), |v| (v.up, v.isolated));
        let used = view.map_or(0, |v| v.memory_used_gb);
        live.hosts.push(LiveHost {
            id: host.id.clone(),
            name: display_name(&host.name, &host.id).to_string(),
            rect,
            state: if !up {
                "down"
            } else if isolated {
                "isolated"
            } else {
                "up"
            },
            node: match (node_of.get(host.id.as_str()), view) {
                (_, Some(v)) if v.off => Some("shut down"),
                (Some(NodeState::Down), _) if up => Some("declared down"),
                (Some(NodeState::Isolated { .. }), _) => Some("isolated node"),
                (Some(NodeState::Quarantined { .. }), _) => Some("quarantined"),
                (Some(NodeState::Evicted), _) => Some("evicted"),
                (Some(NodeState::NoQuorum), _) => Some("no quorum"),
                // A paused node keeps running its roles and takes no new ones.
                (_, Some(v)) if v.paused => Some(match v.drain {
                    Some(DrainStatus::InProgress) => "paused · draining",
                    Some(DrainStatus::Failed) => "paused · drain failed",
                    _ => "paused",
                }),
                _ => None,
            },
            cpu_pct: view.map_or(0, |v| v.cpu_pct),
            memory_pct: (used * 100 / u64::from(host.memory_gb.max(1))).min(100) as u32,
            memory_text: if h >= azure_from {
                format!("{used} GB in Azure VMs")
            } else {
                format!("{used}/{} GB", host.memory_gb)
            },
            missed: missed_of.get(host.id.as_str()).copied(),
            counts: compact.then(|| tally(vms.iter().copied())),
        });
    }

    for c in snap.clusters.iter().filter(|c| !c.guest) {
        let Some(fc) = d.clusters.iter().find(|x| x.id == c.id) else {
            continue;
        };
        // Its nodes as the run has them: added ones in, evicted ones out.
        let nodes: Vec<String> = c
            .nodes
            .iter()
            .filter(|n| n.state != NodeState::Evicted)
            .map(|n| n.id.clone())
            .collect();
        let rects: Vec<Item> = live
            .hosts
            .iter()
            .filter(|h| nodes.contains(&h.id))
            .map(|h| item(&h.id, ItemKind::Host, h.rect, None, 0))
            .collect();
        let Some(r) = scene::outline(&rects, &nodes, 14.0) else {
            continue;
        };
        let up = c.nodes.iter().filter(|n| n.state == NodeState::Up).count();
        let witness = if c.witness_vote { " + witness" } else { "" };
        live.clusters.push(LiveCluster {
            id: c.id.clone(),
            rect: r,
            label: format!(
                "{} · {up} of {} nodes up · {}{witness} · {}",
                display_name(&fc.name, &fc.id),
                c.nodes.len(),
                votes(c.votes_total),
                if c.has_quorum {
                    "has quorum"
                } else {
                    "NO QUORUM"
                }
            ),
            quorum: c.has_quorum,
        });
    }

    // Cables, routed around the boxes as they are drawn now (hosts grow and shrink with
    // their VMs), and heartbeats travelling along them.
    let mut rect_of: HashMap<&str, Rect> =
        live.boxes.iter().map(|b| (b.id.as_str(), b.rect)).collect();
    rect_of.extend(live.hosts.iter().map(|h| (h.id.as_str(), h.rect)));
    let obstacles: Vec<Rect> = rect_of.values().copied().collect();
    let labels: Vec<Rect> = live
        .clusters
        .iter()
        .map(|c| scene::label_rect(&c.rect, c.label.chars().count()))
        .collect();
    let routes = route::cables(
        &d.links,
        &|id| rect_of.get(id).copied(),
        &obstacles,
        &labels,
    );
    let mut cable: HashMap<(&str, &str), &[(f64, f64)]> = HashMap::new();
    for (l, points) in &routes {
        cable.insert((l.a.as_str(), l.b.as_str()), points);
    }
    for hb in &snap.heartbeats {
        if let Some(p) = trip(
            &hb.path,
            &centers,
            &cable,
            hb.stops_at,
            hb.progress_permille,
        ) {
            live.pulses.push(p);
        }
    }
    for (l, points) in routes {
        live.links.push(LiveLink {
            id: l.id.clone(),
            points,
            cut: snap.links_cut.contains(&l.id),
        });
    }

    for c in &d.clients {
        let Some(&from) = centers.get(c.id.as_str()) else {
            continue;
        };
        for n in &snap.nlbs {
            for m in n.members.iter().filter(|m| m.requests_per_second > 0) {
                if let Some(&to) = centers.get(m.vm.as_str()) {
                    let serving = snap
                        .vms
                        .iter()
                        .any(|v| v.id == m.vm && v.state_is_serving());
                    live.flows.push(Flow {
                        from,
                        to,
                        rps: m.requests_per_second,
                        lost: !serving,
                    });
                }
            }
        }
    }
    // A failed-over VM runs from its replica: no arc until replication is reversed.
    for r in snap.replicas.iter().filter(|r| !r.failed_over) {
        let to_rect = live.hosts.iter().find(|h| h.id == r.to).map(|h| h.rect);
        let from_rect = (live.rows.iter().find(|x| x.id == r.vm).map(|x| x.rect)).or_else(|| {
            let host = snap.vms.iter().find(|v| v.id == r.vm).map(|v| &v.host)?;
            live.hosts.iter().find(|h| &h.id == host).map(|h| h.rect)
        });
        if let (Some(a), Some(b)) = (from_rect, to_rect) {
            let from = (a.x + a.w / 2.0, a.y);
            let to = (b.x + b.w / 2.0, b.y);
            let control = ((from.0 + to.0) / 2.0, from.1.min(to.1) - 70.0);
            let label_at = (
                (from.0 + to.0) / 2.0,
                0.25 * from.1 + 0.5 * control.1 + 0.25 * to.1,
            );
            let health = match r.health {
                crate::sim::ReplicaHealth::Normal => "",
                crate::sim::ReplicaHealth::Warning => " · Warning",
                crate::sim::ReplicaHealth::Critical => " · Critical",
            };
            live.replication.push(ReplicaArrow {
                vm: r.vm.clone(),
                from,
                to,
                control,
                label_at,
                label: if r.failed_over {
                    format!("{}: failed over", r.vm)
                } else {
                    format!(
                        "{}: point {} old{health}",
                        r.vm,
                        crate::sim::fmt_ms(r.rpo_ms)
                    )
                },
                alarm: r.health != crate::sim::ReplicaHealth::Normal,
                sending: r.sending_since.is_some(),
            });
        }
    }
    // A member that takes requests while a tier they need is down: its requests fail further
    // on, though it runs.
    let down_tiers: Vec<&str> = snap
        .tiers
        .iter()
        .filter(|(_, a)| *a == 0)
        .map(|(t, _)| t.as_str())
        .collect();
    if !down_tiers.is_empty() {
        for row in live
            .rows
            .iter_mut()
            .filter(|r| !r.lost && r.load.is_some_and(|(rps, _)| rps > 0))
        {
            let entry = row.id.split('#').next().unwrap_or_default();
            let tier = d
                .vms
                .iter()
                .find(|v| v.id == entry)
                .and_then(|v| v.tier.as_deref());
            // The first tier it needs (not itself) that is down.
            row.downstream = tier.and_then(|t| {
                d.tier_closure(t)
                    .into_iter()
                    .skip(1)
                    .find(|x| down_tiers.contains(&x.as_str()))
            });
            if let Some(dep) = &row.downstream {
                row.detail = format!("{} · needs {dep}: down", row.detail);
            }
        }
    }
    live
}

/// A heartbeat `permille` of the way along its path of ids: along the cables between them
/// where there are cables (straight between centres otherwise). It stops midway across the
/// broken step `stop` (a dead component or a cut cable), and is then lost.
fn trip(
    ids: &[String],
    centers: &HashMap<String, (f64, f64)>,
    cable: &HashMap<(&str, &str), &[(f64, f64)]>,
    stop: Option<usize>,
    permille: u32,
) -> Option<Pulse> {
    if ids.len() < 2 {
        return None;
    }
    // Each step's own polyline, from one id to the next.
    let mut steps: Vec<Vec<(f64, f64)>> = Vec::new();
    for w in ids.windows(2) {
        let (a, b) = (w[0].as_str(), w[1].as_str());
        let step = if let Some(p) = cable.get(&(a, b)) {
            p.to_vec()
        } else if let Some(p) = cable.get(&(b, a)) {
            p.iter().rev().copied().collect()
        } else {
            vec![*centers.get(a)?, *centers.get(b)?]
        };
        steps.push(step);
    }
    let length = |p: &[(f64, f64)]| -> f64 {
        p.windows(2)
            .map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt())
            .sum()
    };
    let lengths: Vec<f64> = steps.iter().map(|s| length(s)).collect();
    let total: f64 = lengths.iter().sum();
    let limit = match stop.map(|i| i.clamp(1, steps.len())) {
        Some(i) => lengths[..i - 1].iter().sum::<f64>() + lengths[i - 1] / 2.0,
        None => total,
    };
    let wanted = total * f64::from(permille.min(1000)) / 1000.0;
    let lost = stop.is_some() && wanted >= limit;
    let mut left = wanted.min(limit);
    let points: Vec<(f64, f64)> = steps.concat();
    for w in points.windows(2) {
        let l = ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt();
        if left <= l {
            let f = if l > 0.0 { left / l } else { 1.0 };
            return Some(Pulse {
                at: (
                    w[0].0 + (w[1].0 - w[0].0) * f,
                    w[0].1 + (w[1].1 - w[0].1) * f,
                ),
                lost,
            });
        }
        left -= l;
    }
    Some(Pulse {
        at: *points.last()?,
        lost,
    })
}

fn instance_row(
    d: &Design,
    v: &VmView,
    now: u64,
    load_of: &HashMap<&str, u64>,
    busiest: u64,
    missed_of: &HashMap<&str, (u32, u32)>,
) -> LiveRow {
    let entry = d.vms.iter().find(|e| e.id == v.entry);
    let name = entry.map_or(&v.entry[..], |e| display_name(&e.name, &e.id));
    let title = if v.id == v.entry {
        name.to_string()
    } else {
        format!(
            "{name} {}",
            v.id.rsplit('#')
                .next()
                .map_or(String::new(), |k| format!("#{k}"))
        )
    };
    let (state, mut detail, progress) = match v.state {
        VmState::Running if v.hung => ("app-failed", "guest OS hung".to_string(), None),
        VmState::Running if v.app_failed => ("app-failed", "application failed".to_string(), None),
        VmState::Running => ("running", "running".to_string(), None),
        VmState::Booting { until } => {
            let boot = entry.map_or(1, |e| e.boot_ms.max(1));
            let left = until.saturating_sub(now).min(boot);
            let pct = ((boot - left) * 100 / boot) as u32;
            ("booting", format!("booting {pct}%"), Some(pct))
        }
        VmState::Paused { .. } => ("paused", "paused-critical: storage lost".to_string(), None),
        VmState::Migrating { to, since, until } | VmState::QuickMigrating { to, since, until } => {
            let span = until.saturating_sub(since).max(1);
            let pct = (now.clamp(since, until) - since) * 100 / span;
            let how = if v.switching_over {
                "paused, switching over"
            } else if matches!(v.state, VmState::Migrating { .. }) {
                "live migrating"
            } else {
                "quick migrating (down)"
            };
            let to = d.hosts.get(to).map_or("?", |h| &h.id);
            (
                "migrating",
                format!("{how} to {to} {pct}%"),
                Some(pct as u32),
            )
        }
        VmState::Stopped if v.failed => ("failed", format!("failed: {}", v.reason), None),
        VmState::Stopped => ("stopped", format!("down: {}", v.reason), None),
    };
    if let Some(to) = &v.queued_to {
        detail = format!("queued: live migration to {to} waits for a slot");
    }
    if v.unmonitored {
        detail.push_str(" · unmonitored");
    }
    if v.redirected_io {
        detail.push_str(" · redirected I/O");
    }
    let load = load_of
        .get(v.id.as_str())
        .map(|&rps| (rps, (rps * 100 / busiest) as u32));
    LiveRow {
        id: v.id.clone(),
        host: v.host.clone(),
        rect: Rect {
            x: 0.0,
            y: 0.0,
            w: 0.0,
            h: 0.0,
        },
        state,
        title,
        detail,
        offset: (0.0, 0.0),
        progress,
        load,
        lost: load.is_some_and(|(rps, _)| rps > 0) && !v.state_is_serving(),
        downstream: None,
        missed: missed_of.get(v.id.as_str()).copied(),
        count: 1,
    }
}

/// How many of these VMs are running (or migrating), booting, and down (stopped or paused).
fn tally<'a>(vms: impl Iterator<Item = &'a VmView>) -> (u32, u32, u32) {
    let mut t = (0, 0, 0);
    for v in vms {
        match v.state {
            VmState::Booting { .. } => t.1 += 1,
            s if s.guest_up() => t.0 += 1,
            _ => t.2 += 1,
        }
    }
    t
}

/// One row per VM entry on a crowded host: how many instances and what they are doing.
fn grouped_rows(vms: &[&VmView]) -> Vec<LiveRow> {
    let mut entries: Vec<&str> = Vec::new();
    for v in vms {
        if !entries.contains(&v.entry.as_str()) {
            entries.push(&v.entry);
        }
    }
    entries
        .into_iter()
        .map(|entry| {
            let of: Vec<&VmView> = vms.iter().copied().filter(|v| v.entry == entry).collect();
            let (running, booting, down) = tally(of.iter().copied());
            let mut parts = vec![format!("{running} running")];
            if booting > 0 {
                parts.push(format!("{booting} booting"));
            }
            if down > 0 {
                parts.push(format!("{down} down"));
            }
            LiveRow {
                id: entry.to_string(),
                host: String::new(),
                rect: Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 0.0,
                    h: 0.0,
                },
                state: if down > 0 {
                    "stopped"
                } else if booting > 0 {
                    "booting"
                } else {
                    "running"
                },
                title: format!("{entry} ×{}", of.len()),
                detail: parts.join(" · "),
                offset: (0.0, 0.0),
                progress: None,
                load: None,
                lost: false,
                downstream: None,
                missed: None,
                count: of.len() as u32,
            }
        })
        .collect()
}

/// `1 vote`, `3 votes`.
pub fn votes(n: u32) -> String {
    format!("{n} vote{}", if n == 1 { "" } else { "s" })
}

/// The part of the run the charts show: from just before the first fault (once it has
/// happened; from the start before that) to now, at least 30 s wide. The end moves in steps of
/// a twentieth of the span, so the charts are redrawn a few times a second, not every frame.
pub fn chart_window(first_fault: Option<u64>, now: u64) -> (u64, u64) {
    const LEAD: u64 = 10_000;
    const MIN_SPAN: u64 = 30_000;
    let start = match first_fault {
        Some(f) if now >= f => f.saturating_sub(LEAD),
        _ => 0,
    };
    let span = now.saturating_sub(start).max(MIN_SPAN);
    let step = (span / 20).max(1_000);
    (start, start + span.div_ceil(step) * step)
}
