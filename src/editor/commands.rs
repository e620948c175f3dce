//! The named edits. Each one changes the scenario or returns an error and changes nothing.

use super::layout::snap;
use crate::model::*;
use serde_json::Value;

/// Kinds of component the palette can create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewComponent {
    Host,
    Switch(SwitchKind),
    Storage(StorageKind),
    Client,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// A new component at a canvas position (local storage and internal/private switches need `host`).
    Add {
        what: NewComponent,
        at: Pos,
        host: Option<Id>,
    },
    /// A new VM on a host: on shared storage the host reaches, else on the host's local disk.
    AddVm {
        host: Id,
    },
    /// Moves components by a canvas delta, snapped to the grid.
    Move {
        ids: Vec<Id>,
        dx: i32,
        dy: i32,
    },
    /// Runs a VM entry on another host (drag and drop onto the host).
    PlaceVm {
        vm: Id,
        host: Id,
    },
    /// Cables two components, or puts a VM's NIC on a switch, or points clients at a VM's tier.
    Connect {
        a: Id,
        b: Id,
    },
    Delete {
        ids: Vec<Id>,
    },
    Duplicate {
        ids: Vec<Id>,
    },
    /// Sets one field of a component to a JSON value (the inspector's single path). The
    /// inspector comes with the whole app, and so do the edits it makes.
    #[cfg(feature = "simulate")]
    Edit {
        id: Id,
        field: String,
        value: Value,
    },
    /// Sets one field to the same value on several components at once (one undo step).
    #[cfg(feature = "simulate")]
    EditMany {
        ids: Vec<Id>,
        field: String,
        value: Value,
    },
    /// Sets one field of the scenario settings (`version`, `heartbeat.same_subnet_threshold`...).
    #[cfg(feature = "simulate")]
    EditSettings {
        field: String,
        value: Value,
    },
    /// Hosts into a new failover cluster (leaving any other).
    GroupCluster {
        hosts: Vec<Id>,
    },
    /// VMs into a new guest cluster.
    GroupGuest {
        vms: Vec<Id>,
    },
    /// VMs into a new NLB cluster, host priorities in order.
    GroupNlb {
        vms: Vec<Id>,
    },
    SetWitness {
        cluster: Id,
        witness: Witness,
    },
    /// Adds a fault or repair to the scenario's fault script (injected live or planned). Only
    /// the simulator edits the script (the page's first load leaves it out).
    #[cfg(feature = "simulate")]
    AddFault(ScheduledFault),
    /// Removes the fault script's entry at this index.
    #[cfg(feature = "simulate")]
    RemoveFault {
        index: usize,
    },
    /// Adds a planned operation to the script (done now or planned for later).
    #[cfg(feature = "simulate")]
    AddOp(ScheduledOp),
    /// Removes the operation at this index of the script's operations.
    #[cfg(feature = "simulate")]
    RemoveOp {
        index: usize,
    },
    /// Sets how often a component fails one way and its repair time (`None`: the default).
    #[cfg(feature = "simulate")]
    SetRate {
        id: Id,
        failure: FailureKind,
        rate: Option<(f64, f64)>,
    },
    /// Sets the availability a service must reach, in percent (`None`: no target).
    #[cfg(feature = "simulate")]
    SetTarget {
        service: String,
        percent: Option<f64>,
    },
    /// Makes the scenario a lesson, changes its lesson, or removes it (`None`).
    #[cfg(feature = "simulate")]
    SetLesson(Option<crate::model::lesson::Lesson>),
    /// Replaces the disaster recovery (replicas, backup jobs, recovery plans) with an edited one.
    #[cfg(feature = "simulate")]
    SetRecovery(crate::model::recovery::Recovery),
}

impl Command {
    /// Shown after "Undo" / "Redo".
    pub fn label(&self) -> String {
        match self {
            Command::Add { what, .. } => format!("add {}", noun(*what)),
            Command::AddVm { .. } => "add VM".into(),
            Command::Move { ids, .. } => format!("move {}", count(ids.len())),
            Command::PlaceVm { .. } => "place VM".into(),
            Command::Connect { .. } => "connect".into(),
            Command::Delete { ids } => format!("delete {}", count(ids.len())),
            Command::Duplicate { ids } => format!("duplicate {}", count(ids.len())),
            #[cfg(feature = "simulate")]
            Command::Edit { field, .. } | Command::EditSettings { field, .. } => {
                format!("edit {}", field.replace(['_', '.'], " "))
            }
            #[cfg(feature = "simulate")]
            Command::EditMany { ids, field, .. } => {
                format!(
                    "edit {} of {}",
                    field.replace(['_', '.'], " "),
                    count(ids.len())
                )
            }
            Command::GroupCluster { .. } => "create failover cluster".into(),
            Command::GroupGuest { .. } => "create guest cluster".into(),
            Command::GroupNlb { .. } => "create NLB cluster".into(),
            Command::SetWitness { .. } => "set witness".into(),
            #[cfg(feature = "simulate")]
            Command::AddFault(f) if f.repair => "add repair".into(),
            #[cfg(feature = "simulate")]
            Command::AddFault(_) => "add fault".into(),
            #[cfg(feature = "simulate")]
            Command::RemoveFault { .. } => "remove fault".into(),
            #[cfg(feature = "simulate")]
            Command::AddOp(o) => op_label(&o.op).into(),
            #[cfg(feature = "simulate")]
            Command::RemoveOp { .. } => "remove operation".into(),
            #[cfg(feature = "simulate")]
            Command::SetRate { failure, .. } => format!("set {} rate", failure.label()),
            #[cfg(feature = "simulate")]
            Command::SetTarget { .. } => "set availability target".into(),
            #[cfg(feature = "simulate")]
            Command::SetLesson(_) => "edit the lesson".into(),
            #[cfg(feature = "simulate")]
            Command::SetRecovery(_) => "edit disaster recovery".into(),
        }
    }

    /// Applies the command; returns the ids to select afterwards, if the selection should change.
    pub(super) fn apply(self, s: &mut Scenario) -> Result<Option<Vec<Id>>, String> {
        let d = &mut s.design;
        match self {
            Command::Add { what, at, host } => add(d, what, at, host).map(|id| Some(vec![id])),
            Command::AddVm { host } => add_vm(d, &host).map(|id| Some(vec![id])),
            Command::Move { ids, dx, dy } => {
                for id in &ids {
                    if let Some(at) = position(d, id) {
                        *at = Pos {
                            x: snap(at.x + dx),
                            y: snap(at.y + dy),
                        };
                    }
                }
                Ok(None)
            }
            Command::PlaceVm { vm, host } => {
                if !d.hosts.iter().any(|h| h.id == host) {
                    return Err(format!("{host} is not a host"));
                }
                let v = d
                    .vms
                    .iter_mut()
                    .find(|v| v.id == vm)
                    .ok_or(format!("{vm} is not a VM"))?;
                v.hosts = vec![host];
                Ok(Some(vec![vm]))
            }
            Command::Connect { a, b } => connect(d, &a, &b).map(|id| id.map(|id| vec![id])),
            Command::Delete { ids } => {
                delete(d, &ids);
                // The numbers of a deleted component go with it.
                #[cfg(feature = "simulate")]
                s.reliability.rates.retain(|r| !ids.contains(&r.id));
                #[cfg(feature = "simulate")]
                s.recovery.prune(&s.design);
                Ok(Some(Vec::new()))
            }
            Command::Duplicate { ids } => duplicate(d, &ids).map(Some),
            #[cfg(feature = "simulate")]
            Command::Edit { id, field, value } => edit(d, &id, &field, value).map(|_| None),
            #[cfg(feature = "simulate")]
            Command::EditMany { ids, field, value } => {
                for id in &ids {
                    edit(d, id, &field, value.clone())?;
                }
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::EditSettings { field, value } => edit_settings(s, &field, value).map(|_| None),
            Command::GroupCluster { hosts } => {
                for h in &hosts {
                    if !d.hosts.iter().any(|x| &x.id == h) {
                        return Err(format!("{h} is not a host"));
                    }
                }
                if hosts.is_empty() {
                    return Err("select the hosts to cluster first".into());
                }
                for c in d.clusters.iter_mut() {
                    c.nodes.retain(|n| !hosts.contains(n));
                }
                d.clusters.retain(|c| !c.nodes.is_empty());
                let id = fresh(d, "cluster");
                d.clusters.push(FailoverCluster {
                    id: id.clone(),
                    name: id.to_ascii_uppercase(),
                    nodes: hosts,
                    witness: Witness::None,
                    heartbeat: Default::default(),
                    enforce_anti_affinity: false,
                    lower_quorum_priority_node: None,
                    sets: Vec::new(),
                });
                Ok(Some(vec![id]))
            }
            Command::GroupGuest { vms } => {
                check_vms(d, &vms)?;
                let id = fresh(d, "guest");
                d.guest_clusters.push(GuestCluster {
                    id: id.clone(),
                    name: id.to_ascii_uppercase(),
                    members: vms,
                    witness: Witness::None,
                    heartbeat: Default::default(),
                    role: GuestRole {
                        name: "role".into(),
                        tier: None,
                        start_ms: 10_000,
                    },
                    lower_quorum_priority_node: None,
                });
                Ok(Some(vec![id]))
            }
            Command::GroupNlb { vms } => {
                check_vms(d, &vms)?;
                let mut members = Vec::new();
                let mut next = 1;
                for vm in &vms {
                    let replicas = d.vms.iter().find(|v| &v.id == vm).map_or(1, |v| v.replicas);
                    members.push(NlbMember {
                        vm: vm.clone(),
                        priority: next,
                        weight: None,
                    });
                    next += replicas;
                }
                let id = fresh(d, "nlb");
                d.nlb_clusters.push(NlbCluster {
                    id: id.clone(),
                    name: id.to_ascii_uppercase(),
                    members,
                    affinity: Affinity::Single,
                    mode: NlbMode::Unicast,
                });
                Ok(Some(vec![id]))
            }
            Command::SetWitness { cluster, witness } => {
                if let Some(c) = d.clusters.iter_mut().find(|c| c.id == cluster) {
                    c.witness = witness;
                } else if let Some(g) = d.guest_clusters.iter_mut().find(|c| c.id == cluster) {
                    g.witness = witness;
                } else {
                    return Err(format!("{cluster} is not a cluster"));
                }
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::AddFault(f) => {
                let named = f.fault.subjects();
                if let Some(missing) = named.iter().find(|id| !names_component(s, id)) {
                    return Err(format!("{missing} is not in the design"));
                }
                // After every entry at the same moment, so the script keeps the order it was given.
                let i = s.faults.partition_point(|x| x.at_ms <= f.at_ms);
                s.faults.insert(i, f);
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::RemoveFault { index } => {
                if index >= s.faults.len() {
                    return Err("that fault is no longer in the script".into());
                }
                s.faults.remove(index);
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::AddOp(o) => {
                if !o.op.names_known(&s.design) {
                    return Err(format!(
                        "{} is not in the design",
                        o.op.subjects().join(", ")
                    ));
                }
                let i = s.operations.partition_point(|x| x.at_ms <= o.at_ms);
                s.operations.insert(i, o);
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::RemoveOp { index } => {
                if index >= s.operations.len() {
                    return Err("that operation is no longer in the script".into());
                }
                s.operations.remove(index);
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::SetRate { id, failure, rate } => {
                let rates = &mut s.reliability.rates;
                let at = rates
                    .iter()
                    .position(|r| r.id == id && r.failure == failure);
                match (rate, at) {
                    (Some((per_year, repair_hours)), _)
                        if !(per_year.is_finite()
                            && repair_hours.is_finite()
                            && per_year >= 0.0
                            && repair_hours >= 0.0) =>
                    {
                        Err("a failure rate and a repair time are numbers of 0 or more".into())
                    }
                    (Some((per_year, repair_hours)), Some(i)) => {
                        rates[i].per_year = per_year;
                        rates[i].repair_hours = repair_hours;
                        Ok(None)
                    }
                    (Some((per_year, repair_hours)), None) => {
                        rates.push(FailureRate {
                            id,
                            failure,
                            per_year,
                            repair_hours,
                        });
                        Ok(None)
                    }
                    (None, Some(i)) => {
                        rates.remove(i);
                        Ok(None)
                    }
                    (None, None) => Ok(None),
                }
            }
            #[cfg(feature = "simulate")]
            Command::SetTarget { service, percent } => {
                if percent.is_some_and(|p| !(p.is_finite() && p > 0.0 && p <= 100.0)) {
                    return Err(
                        "an availability target is a percentage above 0 and at most 100".into(),
                    );
                }
                let targets = &mut s.reliability.targets;
                targets.retain(|t| t.service != service);
                if let Some(percent) = percent {
                    targets.push(SlaTarget { service, percent });
                }
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::SetLesson(lesson) => {
                if lesson.as_ref().is_some_and(|l| l.title.trim().is_empty()) {
                    return Err("a lesson needs a title".into());
                }
                s.lesson = lesson;
                Ok(None)
            }
            #[cfg(feature = "simulate")]
            Command::SetRecovery(recovery) => {
                s.recovery = recovery;
                Ok(None)
            }
        }
    }
}

#[cfg(feature = "simulate")]
fn op_label(op: &crate::model::Operation) -> &'static str {
    use crate::model::Operation::*;
    match op {
        LiveMigrate { .. } => "live migration",
        QuickMigrate { .. } => "quick migration",
        Drain { .. } => "drain",
        Resume { .. } => "resume",
        Shutdown { .. } => "shutdown",
        Start { .. } => "start",
        AddNode { .. } => "add node",
        Evict { .. } => "eviction",
        Update { .. } => "updating run",
        ForceQuorum { .. } => "force quorum",
        Failover { planned: true, .. } => "planned failover",
        Failover { planned: false, .. } => "unplanned failover",
        Restore { instant: false, .. } => "restore",
        Restore { instant: true, .. } => "instant recovery",
        TestFailover { stop: false, .. } => "test failover",
        TestFailover { stop: true, .. } => "end of a test failover",
        ReverseReplication { .. } => "reverse replication",
        RunPlan { .. } => "recovery plan",
        FailoverToPoint { .. } => "unplanned failover",
    }
}

#[cfg(feature = "simulate")]
/// Whether a fault may name this id: a component, a VM instance (`entry#k`) or a site.
fn names_component(s: &Scenario, id: &str) -> bool {
    let d = &s.design;
    d.ids().any(|x| x == id) || d.sites.iter().any(|x| x.id == id) || d.has_vm_ref(id)
}

fn noun(what: NewComponent) -> &'static str {
    match what {
        NewComponent::Host => "host",
        NewComponent::Switch(_) => "switch",
        NewComponent::Storage(_) => "storage",
        NewComponent::Client => "clients",
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 item".into()
    } else {
        format!("{n} items")
    }
}

/// The smallest unused `prefix-N`.
pub fn fresh(d: &Design, prefix: &str) -> Id {
    let taken: Vec<&Id> = d.ids().collect();
    (1..)
        .map(|n| format!("{prefix}-{n}"))
        .find(|id| !taken.contains(&id))
        .expect("an unused id")
}

fn position<'a>(d: &'a mut Design, id: &str) -> Option<&'a mut Pos> {
    if let Some(x) = d.hosts.iter_mut().find(|x| x.id == id) {
        return Some(x.at.get_or_insert_with(Pos::default));
    }
    if let Some(x) = d.switches.iter_mut().find(|x| x.id == id) {
        return Some(x.at.get_or_insert_with(Pos::default));
    }
    if let Some(x) = d.storage.iter_mut().find(|x| x.id == id) {
        return Some(x.at.get_or_insert_with(Pos::default));
    }
    d.clients
        .iter_mut()
        .find(|x| x.id == id)
        .map(|x| x.at.get_or_insert_with(Pos::default))
}

fn add(d: &mut Design, what: NewComponent, at: Pos, host: Option<Id>) -> Result<Id, String> {
    let at = Some(Pos {
        x: snap(at.x),
        y: snap(at.y),
    });
    let needs_host = matches!(
        what,
        NewComponent::Switch(SwitchKind::Internal | SwitchKind::Private)
            | NewComponent::Storage(StorageKind::Local)
    );
    if needs_host
        && !host
            .as_ref()
            .is_some_and(|h| d.hosts.iter().any(|x| &x.id == h))
    {
        return Err("drop it on the host it belongs to".into());
    }
    let host = if needs_host { host } else { None };
    Ok(match what {
        NewComponent::Host => {
            let id = fresh(d, "host");
            d.hosts.push(Host {
                id: id.clone(),
                name: String::new(),
                site: None,
                cpu_cores: 32,
                memory_gb: 256,
                guarded: false,
                at,
            });
            id
        }
        NewComponent::Switch(kind) => {
            let id = fresh(
                d,
                match kind {
                    SwitchKind::External => "switch",
                    SwitchKind::Internal => "internal",
                    SwitchKind::Private => "private",
                },
            );
            d.switches.push(Switch {
                id: id.clone(),
                name: String::new(),
                kind,
                host,
                site: None,
                at,
            });
            id
        }
        NewComponent::Storage(kind) => {
            let id = fresh(
                d,
                match kind {
                    StorageKind::Local => "local",
                    StorageKind::San => "lun",
                    StorageKind::Smb => "share",
                    StorageKind::Csv => "csv",
                },
            );
            d.storage.push(Storage {
                id: id.clone(),
                name: String::new(),
                kind,
                host,
                site: None,
                at,
            });
            id
        }
        NewComponent::Client => {
            let id = fresh(d, "clients");
            let tier = d
                .vms
                .iter()
                .find_map(|v| v.tier.clone())
                .unwrap_or_else(|| "web".into());
            d.clients.push(ClientLoad {
                id: id.clone(),
                name: String::new(),
                tier,
                requests_per_second: 100,
                client_ips: 1000,
                at,
            });
            id
        }
    })
}

fn add_vm(d: &mut Design, host: &str) -> Result<Id, String> {
    if !d.hosts.iter().any(|h| h.id == host) {
        return Err(format!("{host} is not a host"));
    }
    let net = network::Net::new(d);
    let reach = network::Reach::new(&net, &network::Health::new(&net));
    let h = net.hosts[host];
    let shared = d
        .storage
        .iter()
        .enumerate()
        .find(|(i, s)| s.kind != StorageKind::Local && reach.host_reaches_storage(&net, h, *i))
        .map(|(_, s)| s.id.clone());
    let storage = match shared.or_else(|| {
        d.storage
            .iter()
            .find(|s| s.kind == StorageKind::Local && s.host.as_deref() == Some(host))
            .map(|s| s.id.clone())
    }) {
        Some(s) => s,
        None => {
            let id = fresh(d, "local");
            let at = d
                .hosts
                .iter()
                .find(|x| x.id == host)
                .and_then(|x| x.at)
                .map(|p| Pos {
                    x: p.x,
                    y: p.y + 300,
                });
            d.storage.push(Storage {
                id: id.clone(),
                name: String::new(),
                kind: StorageKind::Local,
                host: Some(host.to_string()),
                site: None,
                at,
            });
            id
        }
    };
    let nics = d
        .switches
        .iter()
        .find(|s| s.kind == SwitchKind::External && net.host_has_switch(h, &s.id))
        .map(|s| Nic {
            switch: s.id.clone(),
            vlan: None,
            mac_spoofing: false,
        })
        .into_iter()
        .collect();
    let id = fresh(d, "vm");
    d.vms.push(Vm {
        id: id.clone(),
        name: String::new(),
        tier: None,
        vcpus: 2,
        memory_gb: 4,
        replicas: 1,
        hosts: vec![host.to_string()],
        storage,
        nics,
        priority: Priority::Medium,
        preferred_owners: Vec::new(),
        possible_owners: Vec::new(),
        anti_affinity: None,
        monitoring: Monitoring::None,
        shielded: false,
        failback: false,
        failback_window: None,
        boot_ms: 30_000,
        cpu_utilization_pct: 20,
        memory_write_mb_s: 50,
    });
    Ok(id)
}

/// What kind of thing an id names, for connecting.
#[derive(PartialEq)]
enum Kind {
    Host,
    Switch,
    Storage,
    Vm,
    Client,
    Other,
}

fn kind(d: &Design, id: &str) -> Kind {
    if d.hosts.iter().any(|x| x.id == id) {
        Kind::Host
    } else if d.switches.iter().any(|x| x.id == id) {
        Kind::Switch
    } else if d.storage.iter().any(|x| x.id == id) {
        Kind::Storage
    } else if d.vms.iter().any(|x| x.id == id) {
        Kind::Vm
    } else if d.clients.iter().any(|x| x.id == id) {
        Kind::Client
    } else {
        Kind::Other
    }
}

fn connect(d: &mut Design, a: &str, b: &str) -> Result<Option<Id>, String> {
    if a == b {
        return Err("drag to another component to connect them".into());
    }
    let (ka, kb) = (kind(d, a), kind(d, b));
    match (ka, kb) {
        (Kind::Vm, Kind::Switch) | (Kind::Switch, Kind::Vm) => {
            let (vm, sw) = if kind(d, a) == Kind::Vm {
                (a, b)
            } else {
                (b, a)
            };
            let v = d.vms.iter_mut().find(|v| v.id == vm).expect("checked");
            if v.nics.iter().any(|n| n.switch == sw) {
                return Err(format!("{vm} already has a NIC on {sw}"));
            }
            v.nics.push(Nic {
                switch: sw.to_string(),
                vlan: None,
                mac_spoofing: false,
            });
            Ok(Some(vm.to_string()))
        }
        (Kind::Vm, Kind::Storage) | (Kind::Storage, Kind::Vm) => {
            let (vm, st) = if kind(d, a) == Kind::Vm {
                (a, b)
            } else {
                (b, a)
            };
            d.vms
                .iter_mut()
                .find(|v| v.id == vm)
                .expect("checked")
                .storage = st.to_string();
            Ok(Some(vm.to_string()))
        }
        (Kind::Client, Kind::Vm) | (Kind::Vm, Kind::Client) => {
            let (client, vm) = if kind(d, a) == Kind::Client {
                (a, b)
            } else {
                (b, a)
            };
            let v = d.vms.iter_mut().find(|v| v.id == vm).expect("checked");
            let tier = v.tier.get_or_insert_with(|| vm.to_string()).clone();
            d.clients
                .iter_mut()
                .find(|c| c.id == client)
                .expect("checked")
                .tier = tier;
            Ok(Some(client.to_string()))
        }
        (Kind::Host | Kind::Switch | Kind::Storage, Kind::Host | Kind::Switch | Kind::Storage) => {
            let (ka, kb) = (kind(d, a), kind(d, b));
            if ka == Kind::Host && kb == Kind::Host {
                return Err("hosts connect through a switch, not to each other".into());
            }
            if ka == Kind::Storage && kb == Kind::Storage {
                return Err("storage connects to hosts or switches".into());
            }
            if d.links
                .iter()
                .any(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a))
            {
                return Err(format!("{a} and {b} are already connected"));
            }
            let id = fresh(d, "link");
            d.links.push(Link {
                id: id.clone(),
                a: a.to_string(),
                b: b.to_string(),
                bandwidth_mbps: None,
            });
            Ok(Some(id))
        }
        _ => Err("these two cannot be connected".into()),
    }
}

fn delete(d: &mut Design, ids: &[Id]) {
    let mut gone: Vec<Id> = ids.to_vec();
    // VMs on a deleted host and local storage or private switches of it go with it.
    for h in d.hosts.iter().filter(|h| ids.contains(&h.id)) {
        gone.extend(
            d.vms
                .iter()
                .filter(|v| v.hosts.iter().all(|x| x == &h.id))
                .map(|v| v.id.clone()),
        );
        gone.extend(
            d.storage
                .iter()
                .filter(|s| s.host.as_ref() == Some(&h.id))
                .map(|s| s.id.clone()),
        );
        gone.extend(
            d.switches
                .iter()
                .filter(|s| s.host.as_ref() == Some(&h.id))
                .map(|s| s.id.clone()),
        );
    }
    let is_gone = |id: &Id| gone.contains(id);
    d.sites.retain(|x| !is_gone(&x.id));
    d.hosts.retain(|x| !is_gone(&x.id));
    d.switches.retain(|x| !is_gone(&x.id));
    d.storage.retain(|x| !is_gone(&x.id));
    d.links
        .retain(|x| !is_gone(&x.id) && !is_gone(&x.a) && !is_gone(&x.b));
    d.vms.retain(|x| !is_gone(&x.id));
    for v in d.vms.iter_mut() {
        v.hosts.retain(|h| !is_gone(h));
        v.nics.retain(|n| !is_gone(&n.switch));
        v.preferred_owners.retain(|h| !is_gone(h));
        v.possible_owners.retain(|h| !is_gone(h));
    }
    // A VM left without a host is deleted too: a VM always runs somewhere.
    let orphans: Vec<Id> = d
        .vms
        .iter()
        .filter(|v| v.hosts.is_empty())
        .map(|v| v.id.clone())
        .collect();
    d.vms.retain(|v| !v.hosts.is_empty());
    let is_gone = |id: &Id| gone.contains(id) || orphans.contains(id);
    d.clusters.retain(|x| !is_gone(&x.id));
    for c in d.clusters.iter_mut() {
        c.nodes.retain(|n| !is_gone(n));
        if matches!(&c.witness, Witness::Disk { storage } | Witness::FileShare { storage } if is_gone(storage))
        {
            c.witness = Witness::None;
        }
    }
    d.clusters.retain(|c| !c.nodes.is_empty());
    d.guest_clusters.retain(|x| !is_gone(&x.id));
    for g in d.guest_clusters.iter_mut() {
        g.members.retain(|m| !is_gone(m));
        if matches!(&g.witness, Witness::Disk { storage } | Witness::FileShare { storage } if is_gone(storage))
        {
            g.witness = Witness::None;
        }
    }
    d.guest_clusters.retain(|g| !g.members.is_empty());
    d.nlb_clusters.retain(|x| !is_gone(&x.id));
    for n in d.nlb_clusters.iter_mut() {
        n.members.retain(|m| !is_gone(&m.vm));
    }
    d.nlb_clusters.retain(|n| !n.members.is_empty());
    d.clients.retain(|x| !is_gone(&x.id));
}

fn duplicate(d: &mut Design, ids: &[Id]) -> Result<Vec<Id>, String> {
    let mut created = Vec::new();
    let shift = |p: Option<Pos>| {
        p.map(|p| Pos {
            x: p.x + 40,
            y: p.y + 40,
        })
    };
    for id in ids {
        if let Some(h) = d.hosts.iter().find(|x| &x.id == id).cloned() {
            let new = fresh(d, "host");
            d.hosts.push(Host {
                id: new.clone(),
                at: shift(h.at),
                name: String::new(),
                ..h
            });
            created.push(new);
        } else if let Some(s) = d.switches.iter().find(|x| &x.id == id).cloned() {
            let new = fresh(d, "switch");
            d.switches.push(Switch {
                id: new.clone(),
                at: shift(s.at),
                name: String::new(),
                ..s
            });
            created.push(new);
        } else if let Some(s) = d.storage.iter().find(|x| &x.id == id).cloned() {
            let new = fresh(d, "storage");
            d.storage.push(Storage {
                id: new.clone(),
                at: shift(s.at),
                name: String::new(),
                ..s
            });
            created.push(new);
        } else if let Some(v) = d.vms.iter().find(|x| &x.id == id).cloned() {
            let new = fresh(d, "vm");
            d.vms.push(Vm {
                id: new.clone(),
                name: String::new(),
                ..v
            });
            created.push(new);
        } else if let Some(c) = d.clients.iter().find(|x| &x.id == id).cloned() {
            let new = fresh(d, "clients");
            d.clients.push(ClientLoad {
                id: new.clone(),
                at: shift(c.at),
                name: String::new(),
                ..c
            });
            created.push(new);
        }
    }
    if created.is_empty() {
        return Err("select hosts, VMs, switches, storage or clients to duplicate".into());
    }
    Ok(created)
}

fn check_vms(d: &Design, vms: &[Id]) -> Result<(), String> {
    if vms.is_empty() {
        return Err("select the VMs first".into());
    }
    match vms.iter().find(|v| !d.vms.iter().any(|x| &x.id == *v)) {
        Some(v) => Err(format!("{v} is not a VM")),
        None => Ok(()),
    }
}

#[cfg(feature = "simulate")]
/// Sets `field` of the component `id` through its JSON form, so every property is editable by
/// one path and a bad value is refused with serde's message.
fn edit(d: &mut Design, id: &str, field: &str, value: Value) -> Result<(), String> {
    if field == "id" {
        return Err("ids are fixed; change the name instead".into());
    }
    fn set<T: serde::Serialize + serde::de::DeserializeOwned>(
        item: &mut T,
        field: &str,
        value: Value,
    ) -> Result<(), String> {
        let mut json = to_json(&*item).map_err(|e| e.to_string())?;
        set_path(&mut json, field, value)?;
        *item = reparse(&json).map_err(|e| format!("{field}: {e}"))?;
        Ok(())
    }
    macro_rules! try_list {
        ($list:expr) => {
            if let Some(x) = $list.iter_mut().find(|x| x.id == id) {
                return set(x, field, value);
            }
        };
    }
    try_list!(d.hosts);
    try_list!(d.switches);
    try_list!(d.storage);
    try_list!(d.vms);
    try_list!(d.clusters);
    try_list!(d.guest_clusters);
    try_list!(d.nlb_clusters);
    try_list!(d.clients);
    try_list!(d.sites);
    try_list!(d.links);
    Err(format!("{id} is not in the design"))
}

#[cfg(feature = "simulate")]
/// Sets a settings field; dotted paths reach nested fields (`heartbeat.same_subnet_threshold`).
fn edit_settings(s: &mut Scenario, field: &str, value: Value) -> Result<(), String> {
    let mut json = to_json(&s.settings).map_err(|e| e.to_string())?;
    set_path(&mut json, field, value)?;
    s.settings = reparse(&json).map_err(|e| format!("{field}: {e}"))?;
    Ok(())
}

#[cfg(feature = "simulate")]
/// Sets a field of a JSON object; a dotted path reaches nested objects (`role.start_ms`,
/// `heartbeat.same_subnet_threshold`). Null removes the field, so the default applies.
fn set_path(json: &mut Value, field: &str, value: Value) -> Result<(), String> {
    let (parents, last) = match field.rsplit_once('.') {
        Some((p, l)) => (p.split('.').collect::<Vec<_>>(), l),
        None => (Vec::new(), field),
    };
    let mut at = json;
    for p in parents {
        at = at.get_mut(p).ok_or(format!("no field {field}"))?;
    }
    let obj = at.as_object_mut().ok_or(format!("no field {field}"))?;
    if value.is_null() {
        obj.remove(last);
    } else {
        obj.insert(last.to_string(), value);
    }
    Ok(())
}

/// A model value as JSON, through text: the browser download then carries one serializer per
/// model type (the one saving takes) instead of two.
pub fn to_json<T: serde::Serialize>(x: &T) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&serde_json::to_string(x)?)
}

#[cfg(feature = "simulate")]
/// Back from JSON through text, the path files take too: one deserializer per model type in
/// the browser download instead of two.
fn reparse<T: serde::de::DeserializeOwned>(json: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&json.to_string())
}
