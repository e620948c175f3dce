//! Design problems in plain words. Never panics, whatever the design.

use super::network::{Health, Net, Reach};
use super::{Design, NlbMode, Scenario, StorageKind, SwitchKind, Version, Witness, display_name};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The design cannot behave as drawn.
    Error,
    /// It runs, but it will not survive what it looks like it should.
    Warning,
}

#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub subjects: Vec<String>,
    pub message: String,
}

/// Scale limits of 2016 and later.
pub const MAX_CLUSTER_NODES: usize = 64;
pub const MAX_CLUSTER_VMS: u64 = 8_000;
pub const MAX_HOST_VMS: u64 = 1_024;
pub const MAX_NLB_MEMBERS: usize = 32;
/// Bounds that keep a hostile file from exhausting memory.
pub const MAX_REPLICAS: u32 = 10_000;
pub const MAX_COMPONENTS: usize = 10_000;

struct Report(Vec<Problem>);

impl Report {
    fn error(&mut self, subjects: &[&str], message: String) {
        self.push(Severity::Error, subjects, message);
    }
    fn warn(&mut self, subjects: &[&str], message: String) {
        self.push(Severity::Warning, subjects, message);
    }
    fn push(&mut self, severity: Severity, subjects: &[&str], message: String) {
        let subjects = subjects.iter().map(|s| s.to_string()).collect();
        self.0.push(Problem {
            severity,
            subjects,
            message,
        });
    }
}

impl Scenario {
    /// Every problem of the scenario, errors first.
    pub fn validate(&self) -> Vec<Problem> {
        let mut r = Report(Vec::new());
        check_design(&self.design, self.settings.version, &mut r);
        // The script: only the simulator reads it (the first load keeps it as read).
        #[cfg(feature = "simulate")]
        check_faults(self, &mut r);
        // What a version lacks and how cluster sets wait for each other are checked by the
        // simulator module: the page's first load (the editor alone) stays under its budget, and
        // Simulate reports these before it runs.
        #[cfg(feature = "simulate")]
        for (ids, message) in super::versions::check(self)
            .into_iter()
            .chain(super::ordering::check(self))
        {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            r.error(&ids, message);
        }
        #[cfg(feature = "simulate")]
        for (ids, message, error) in super::reliability::check(self)
            .into_iter()
            .chain(super::recovery::check(self))
        {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            if error {
                r.error(&ids, message);
            } else {
                r.warn(&ids, message);
            }
        }
        r.0.sort_by_key(|p| p.severity);
        r.0
    }

    /// True when the engine can run it (no errors; warnings are fine).
    pub fn is_runnable(&self) -> bool {
        self.validate()
            .iter()
            .all(|p| p.severity != Severity::Error)
    }
}

fn check_design(d: &Design, version: Version, r: &mut Report) {
    let total = d.sites.len()
        + d.hosts.len()
        + d.switches.len()
        + d.storage.len()
        + d.links.len()
        + d.vms.len()
        + d.clusters.len()
        + d.guest_clusters.len()
        + d.nlb_clusters.len()
        + d.clients.len();
    if total > MAX_COMPONENTS {
        r.error(
            &[],
            format!("the design has {total} components; at most {MAX_COMPONENTS} are supported"),
        );
        return;
    }
    let mut seen = HashSet::new();
    let all_ids = d.ids();
    for id in all_ids {
        if id.is_empty() {
            r.error(&[], "a component has an empty id".into());
        } else if id.contains('#') {
            r.error(
                &[id],
                format!("id \"{id}\" may not contain '#' (it names VM instances)"),
            );
        } else if !seen.insert(id.as_str()) {
            r.error(&[id], format!("two components share the id \"{id}\""));
        }
    }
    let net = Net::new(d);
    let site_ok = |s: &Option<String>| s.as_ref().is_none_or(|s| net.sites.contains_key(s));
    for h in &d.hosts {
        if !site_ok(&h.site) {
            r.error(
                &[&h.id],
                format!(
                    "host {} is in site {:?}, which does not exist",
                    h.id,
                    h.site.as_deref().unwrap_or("")
                ),
            );
        }
        if let Some(site) = h.site.as_deref().and_then(|s| d.azure_site(s)) {
            r.error(
                &[&h.id],
                format!(
                    "host {} is in {}, an Azure site: Azure holds no Hyper-V hosts of yours (Site Recovery creates Azure VMs there at failover)",
                    h.id, site.id
                ),
            );
        }
        if h.memory_gb == 0 || h.cpu_cores == 0 {
            r.error(
                &[&h.id],
                format!("host {} needs memory and processors", h.id),
            );
        }
    }
    for s in &d.switches {
        let on_host = s.host.as_ref().is_some_and(|h| net.hosts.contains_key(h));
        match s.kind {
            SwitchKind::External => {}
            _ if !on_host => r.error(
                &[&s.id],
                format!(
                    "{:?} switch {} must name the host it lives on",
                    s.kind, s.id
                )
                .to_ascii_lowercase(),
            ),
            _ => {}
        }
        if !site_ok(&s.site) {
            r.error(
                &[&s.id],
                format!("switch {} is in a site that does not exist", s.id),
            );
        }
        if s.kind != SwitchKind::External
            && s.site.as_deref().is_some_and(|x| d.azure_site(x).is_some())
        {
            r.error(
                &[&s.id],
                format!("switch {} is in an Azure site: there a switch stands for an Azure virtual network, which is external", s.id),
            );
        }
    }
    for s in &d.storage {
        if s.kind == StorageKind::Local
            && !s.host.as_ref().is_some_and(|h| net.hosts.contains_key(h))
        {
            r.error(
                &[&s.id],
                format!(
                    "local storage {} must name the host whose disks it is",
                    s.id
                ),
            );
        }
    }
    for (i, l) in d.links.iter().enumerate() {
        if net.links[i].is_none() {
            r.error(
                &[&l.id],
                format!(
                    "link {} must join two different existing hosts, switches or storage ({} - {})",
                    l.id, l.a, l.b
                ),
            );
        }
    }
    check_vms(d, &net, version, r);
    check_clusters(d, &net, version, r);
    check_nlb(d, r);
    check_roles(d, version, r);
    for c in &d.clients {
        let served = d.vms.iter().any(|v| v.tier.as_deref() == Some(&c.tier))
            || d.guest_clusters
                .iter()
                .any(|g| g.role.tier.as_deref() == Some(&c.tier));
        if !served {
            r.error(
                &[&c.id],
                format!(
                    "clients {} send requests to tier \"{}\", which no VM serves",
                    c.id, c.tier
                ),
            );
        }
    }
    for t in &d.tiers {
        for dep in &t.depends_on {
            if !d.tiers.iter().any(|x| &x.name == dep)
                && !d.vms.iter().any(|v| v.tier.as_ref() == Some(dep))
            {
                r.error(
                    &[],
                    format!(
                        "tier {} depends on tier {dep}, which does not exist",
                        t.name
                    ),
                );
            }
        }
    }
}

fn check_vms(d: &Design, net: &Net, version: Version, r: &mut Report) {
    let cluster_of: HashMap<&str, &str> = d
        .clusters
        .iter()
        .flat_map(|c| c.nodes.iter().map(move |n| (n.as_str(), c.id.as_str())))
        .collect();
    let mut host_mem: HashMap<&str, u64> = HashMap::new();
    let mut host_vms: HashMap<&str, u64> = HashMap::new();
    for v in &d.vms {
        if v.replicas == 0 || v.replicas > MAX_REPLICAS {
            r.error(
                &[&v.id],
                format!(
                    "VM {} has {} replicas; 1 to {MAX_REPLICAS} are allowed",
                    v.id, v.replicas
                ),
            );
            continue;
        }
        if v.hosts.is_empty() {
            r.error(&[&v.id], format!("VM {} is not placed on any host", v.id));
            continue;
        }
        if let Some(h) = v.hosts.iter().find(|h| !net.hosts.contains_key(*h)) {
            r.error(
                &[&v.id],
                format!("VM {} is placed on host {h}, which does not exist", v.id),
            );
            continue;
        }
        for k in 0..v.replicas as usize {
            let h = v.hosts[k % v.hosts.len()].as_str();
            *host_mem.entry(h).or_default() += u64::from(v.memory_gb);
            *host_vms.entry(h).or_default() += 1;
        }
        let Some(&st) = net.storage.get(&v.storage) else {
            r.error(
                &[&v.id],
                format!(
                    "VM {} keeps its disks on {}, which does not exist",
                    v.id, v.storage
                ),
            );
            continue;
        };
        let clustered = v.hosts.iter().any(|h| cluster_of.contains_key(h.as_str()));
        if net.storage_kind[st] == StorageKind::Local {
            let owner = net.storage_host[st];
            if v.hosts.iter().any(|h| Some(net.hosts[h]) != owner) {
                r.error(
                    &[&v.id, &v.storage],
                    format!(
                        "VM {} runs on a host that cannot see its disks on local storage {}",
                        v.id, v.storage
                    ),
                );
            } else if clustered {
                r.warn(&[&v.id, &v.storage], format!("VM {} keeps its disks on {}'s local storage: it cannot fail over to another node of the cluster", v.id, d.storage[st].host.as_deref().unwrap_or("?")));
            }
        }
        for n in &v.nics {
            if let Some(h) = v.hosts.iter().find(|h| {
                net.switches.contains_key(&n.switch)
                    && !net.host_has_switch(net.hosts[*h], &n.switch)
            }) {
                r.warn(&[&v.id, h], format!("VM {} has a NIC on switch {}, which host {h} has no connection to: it has no network there", v.id, n.switch));
            }
            if !net.switches.contains_key(&n.switch) {
                r.error(
                    &[&v.id],
                    format!(
                        "VM {} has a NIC on switch {}, which does not exist",
                        v.id, n.switch
                    ),
                );
            }
            if n.vlan.is_some_and(|v| v == 0 || v > 4094) {
                r.error(
                    &[&v.id],
                    format!(
                        "VM {} has VLAN {}; VLAN IDs are 1-4094",
                        v.id,
                        n.vlan.unwrap_or(0)
                    ),
                );
            }
        }
        for o in v.possible_owners.iter().chain(&v.preferred_owners) {
            if !net.hosts.contains_key(o) {
                r.error(
                    &[&v.id],
                    format!("VM {} names owner {o}, which is not a host", v.id),
                );
            }
        }
        if v.shielded {
            for h in &v.hosts {
                if !d.hosts[net.hosts[h]].guarded {
                    r.error(
                        &[&v.id, h],
                        format!(
                            "shielded VM {} can only run on guarded hosts, and {h} is not guarded",
                            v.id
                        ),
                    );
                }
            }
        }
        if v.memory_gb == 0 || v.vcpus == 0 {
            r.error(
                &[&v.id],
                format!("VM {} needs memory and virtual processors", v.id),
            );
        }
    }
    let max_host_vms = super::versions::limits(version).host_vms;
    for h in &d.hosts {
        let used = host_mem.get(h.id.as_str()).copied().unwrap_or(0);
        if used > u64::from(h.memory_gb) {
            r.error(
                &[&h.id],
                format!(
                    "host {} has {} GB of memory but its VMs need {used} GB",
                    h.id, h.memory_gb
                ),
            );
        }
        let n = host_vms.get(h.id.as_str()).copied().unwrap_or(0);
        if n > max_host_vms {
            r.error(
                &[&h.id],
                format!(
                    "host {} runs {n} VMs; a {} host runs at most {max_host_vms}",
                    h.id,
                    version.label()
                ),
            );
        }
    }
}

fn check_witness(net: &Net, version: Version, id: &str, w: &Witness, r: &mut Report) {
    match w {
        Witness::None => {}
        Witness::Disk { storage } => match net.storage.get(storage) {
            Some(&s) if matches!(net.storage_kind[s], StorageKind::San) => {}
            Some(_) => r.error(&[id, storage], format!("{id}'s disk witness {storage} must be a small shared SAN LUN (not local storage, a share or a CSV)")),
            None => r.error(&[id], format!("{id}'s disk witness {storage} does not exist")),
        },
        Witness::FileShare { storage } => match net.storage.get(storage) {
            Some(&s) if net.storage_kind[s] == StorageKind::Smb => {}
            Some(_) => r.error(&[id, storage], format!("{id}'s file share witness {storage} must be an SMB share")),
            None => r.error(&[id], format!("{id}'s file share witness {storage} does not exist")),
        },
        Witness::Cloud if version < Version::W2016 => r.error(&[id], format!("{id} uses a cloud witness, which exists only from Windows Server 2016")),
        Witness::Cloud => {}
    }
}

fn check_clusters(d: &Design, net: &Net, version: Version, r: &mut Report) {
    let mut member_of: HashMap<&str, &str> = HashMap::new();
    let reach = Reach::new(net, &Health::new(net));
    let limits = super::versions::limits(version);
    for c in &d.clusters {
        let name = display_name(&c.name, &c.id);
        if c.nodes.len() > limits.cluster_nodes {
            r.error(
                &[&c.id],
                format!(
                    "cluster {name} has {} nodes; a {} cluster has at most {}",
                    c.nodes.len(),
                    version.label(),
                    limits.cluster_nodes
                ),
            );
        }
        if c.nodes.is_empty() {
            r.error(&[&c.id], format!("cluster {name} has no nodes"));
            continue;
        }
        let mut nodes = Vec::new();
        for n in &c.nodes {
            match net.hosts.get(n) {
                None => r.error(
                    &[&c.id],
                    format!("cluster {name} names node {n}, which is not a host"),
                ),
                Some(&h) => {
                    if let Some(other) = member_of.insert(n, &c.id) {
                        r.error(
                            &[n],
                            format!("host {n} is a node of both {other} and {}", c.id),
                        );
                    }
                    nodes.push(h);
                }
            }
        }
        for &a in &nodes {
            if !nodes.iter().any(|&b| b != a && reach.hosts_connected(a, b)) && nodes.len() > 1 {
                r.error(&[&d.hosts[a].id, &c.id], format!("host {} cannot reach the other nodes of {name}: it has no network path for heartbeats", d.hosts[a].id));
            }
        }
        if c.nodes.len() == 1 {
            r.warn(
                &[&c.id],
                format!("cluster {name} has a single node: nothing can fail over"),
            );
        }
        check_witness(net, version, &c.id, &c.witness, r);
        if c.witness == Witness::None && c.nodes.len() % 2 == 0 {
            r.warn(&[&c.id], format!("cluster {name} has an even number of nodes and no witness: a 50/50 split is decided by which node holds the extra vote"));
        }
        let vms: u64 = d
            .vms
            .iter()
            .filter(|v| v.hosts.iter().any(|h| c.nodes.contains(h)))
            .map(|v| u64::from(v.replicas))
            .sum();
        if vms > limits.cluster_vms {
            r.error(
                &[&c.id],
                format!(
                    "cluster {name} runs {vms} VMs; a {} cluster runs at most {}",
                    version.label(),
                    limits.cluster_vms
                ),
            );
        }
        check_heartbeat(&c.id, &c.heartbeat, version, r);
        check_capacity(d, net, c, r);
    }
    for g in &d.guest_clusters {
        let name = display_name(&g.name, &g.id);
        let members: Vec<_> = g
            .members
            .iter()
            .filter_map(|m| d.vms.iter().find(|v| &v.id == m))
            .collect();
        if members.len() != g.members.len() {
            r.error(
                &[&g.id],
                format!("guest cluster {name} names a member that is not a VM"),
            );
        }
        let count: u32 = members.iter().map(|v| v.replicas).sum();
        if count < 2 {
            r.warn(
                &[&g.id],
                format!("guest cluster {name} has fewer than two member VMs"),
            );
        }
        let hosts: HashSet<&str> = members
            .iter()
            .flat_map(|v| v.hosts.iter().map(|h| h.as_str()))
            .collect();
        if count >= 2 && hosts.len() == 1 {
            r.warn(
                &[&g.id],
                format!(
                    "all members of guest cluster {name} run on one host: losing it loses them all"
                ),
            );
        }
        check_witness(net, version, &g.id, &g.witness, r);
        check_heartbeat(&g.id, &g.heartbeat, version, r);
    }
}

fn check_capacity(d: &Design, net: &Net, c: &super::FailoverCluster, r: &mut Report) {
    let hosts: Vec<usize> = c
        .nodes
        .iter()
        .filter_map(|n| net.hosts.get(n).copied())
        .collect();
    if hosts.len() < 2 {
        return;
    }
    let total: u64 = hosts.iter().map(|&h| u64::from(d.hosts[h].memory_gb)).sum();
    let largest = hosts
        .iter()
        .map(|&h| u64::from(d.hosts[h].memory_gb))
        .max()
        .unwrap_or(0);
    let used: u64 = d
        .vms
        .iter()
        .filter(|v| v.hosts.iter().any(|h| c.nodes.contains(h)))
        .map(|v| u64::from(v.memory_gb) * u64::from(v.replicas))
        .sum();
    if used > total - largest {
        r.warn(&[&c.id], format!("cluster {} cannot absorb the loss of a node: its VMs need {used} GB and the nodes left after losing the largest have {} GB (keep N+1 spare capacity)", display_name(&c.name, &c.id), total - largest));
    }
}

fn check_heartbeat(id: &str, h: &super::HeartbeatSettings, version: Version, r: &mut Report) {
    let max_threshold = if version == Version::W2008R2 { 10 } else { 120 };
    let delays = [
        (h.same_subnet_delay_ms, 2000),
        (h.cross_subnet_delay_ms, 4000),
        (h.cross_site_delay_ms, 4000),
    ];
    for (d, max) in delays {
        if let Some(d) = d.filter(|d| !(250..=max).contains(d)) {
            r.error(
                &[id],
                format!("{id}: heartbeat delay {d} ms is outside the allowed 250-{max} ms"),
            );
        }
    }
    for t in [
        h.same_subnet_threshold,
        h.cross_subnet_threshold,
        h.cross_site_threshold,
    ]
    .into_iter()
    .flatten()
    {
        if !(3..=max_threshold).contains(&t) {
            r.error(
                &[id],
                format!("{id}: heartbeat threshold {t} is outside the allowed 3-{max_threshold}"),
            );
        }
    }
}

fn check_nlb(d: &Design, r: &mut Report) {
    for n in &d.nlb_clusters {
        let name = display_name(&n.name, &n.id);
        let mut priorities: HashMap<u32, &str> = HashMap::new();
        let mut count = 0usize;
        for m in &n.members {
            let Some(vm) = d.vms.iter().find(|v| v.id == m.vm) else {
                r.error(
                    &[&n.id],
                    format!(
                        "NLB cluster {name} names member {}, which is not a VM",
                        m.vm
                    ),
                );
                continue;
            };
            for k in 0..vm.replicas.min(MAX_REPLICAS) {
                count += 1;
                let p = m.priority.saturating_add(k);
                if !(1..=32).contains(&p) {
                    r.error(&[&n.id, &m.vm], format!("NLB cluster {name}: member {} has host priority {p}; priorities are 1-32", m.vm));
                } else if let Some(other) = priorities.insert(p, &m.vm) {
                    // A warning, not an error: the engine shows what happens (no convergence).
                    r.warn(&[&n.id, &m.vm], format!("NLB cluster {name}: {} and {other} share host priority {p}, which stops convergence", m.vm));
                }
            }
            if n.mode == NlbMode::Unicast && !vm.nics.iter().any(|x| x.mac_spoofing) {
                r.warn(&[&n.id, &m.vm], format!("NLB cluster {name} is unicast: member VM {} needs MAC address spoofing on its NIC", m.vm));
            }
            if m.weight == Some(0) || m.weight.is_some_and(|w| w > 100) {
                r.error(
                    &[&n.id, &m.vm],
                    format!("NLB cluster {name}: load weight of {} must be 1-100", m.vm),
                );
            }
        }
        if count > MAX_NLB_MEMBERS {
            r.error(
                &[&n.id],
                format!(
                    "NLB cluster {name} has {count} members; NLB allows at most {MAX_NLB_MEMBERS}"
                ),
            );
        }
    }
}

#[cfg(feature = "simulate")]
fn check_faults(s: &Scenario, r: &mut Report) {
    let d = &s.design;
    fn has<'a>(mut ids: impl Iterator<Item = &'a String>, x: &str) -> bool {
        ids.any(|i| i == x)
    }
    for f in &s.faults {
        use super::Fault::*;
        let ok = match &f.fault {
            HostCrash { host } | HostIsolation { host } => has(d.hosts.iter().map(|h| &h.id), host),
            VmCrash { vm }
            | AppFailure { vm }
            | GuestHang { vm }
            | VmDeletion { vm }
            | GuestCorruption { vm } => d.has_vm_ref(vm),
            Ransomware { domain } => {
                !domain.is_empty()
                    && domain.iter().all(|x| {
                        has(d.hosts.iter().map(|h| &h.id), x)
                            || has(d.sites.iter().map(|h| &h.id), x)
                    })
            }
            SwitchFailure { switch } => has(d.switches.iter().map(|x| &x.id), switch),
            LinkCut { link } => has(d.links.iter().map(|x| &x.id), link),
            StorageFailure { storage } => has(d.storage.iter().map(|x| &x.id), storage),
            SiteFailure { site } => has(d.sites.iter().map(|x| &x.id), site),
            Partition { a, b } => !a.is_empty() && !b.is_empty(),
            // A cluster (failover or guest) that has a witness to fail.
            WitnessFailure { cluster } => d
                .clusters
                .iter()
                .map(|c| (&c.id, &c.witness))
                .chain(d.guest_clusters.iter().map(|g| (&g.id, &g.witness)))
                .any(|(id, w)| id == cluster && *w != super::Witness::None),
        };
        if ok && f.repair && f.fault.loses_data() {
            r.error(
                &[],
                format!(
                    "the fault at {} ms repairs a loss of data ({}): lost data comes back by a restore from backup or a failover to a replica, not by a repair",
                    f.at_ms,
                    f.fault.subjects().join(", ")
                ),
            );
        }
        if !ok {
            r.error(
                &[],
                format!(
                    "the fault at {} ms names something that is not in the design: {}",
                    f.at_ms,
                    f.fault.subjects().join(", ")
                ),
            );
        }
    }
    // Checked with the simulator, like the version checks: the editor alone only carries them.
    #[cfg(feature = "simulate")]
    for o in &s.operations {
        if !o.op.names_known(d) {
            r.error(
                &[],
                format!(
                    "the operation at {} ms names something that is not in the design: {}",
                    o.at_ms,
                    o.op.subjects().join(", ")
                ),
            );
        }
    }
}

/// Settings that run but will not do what they look like they do.
fn check_roles(d: &Design, version: Version, r: &mut Report) {
    for v in &d.vms {
        if v.failback && v.preferred_owners.is_empty() {
            r.warn(
                &[&v.id],
                format!(
                    "VM {} allows failback but has no preferred owner to fail back to",
                    v.id
                ),
            );
        }
    }
    let clustered: HashSet<&str> = d
        .clusters
        .iter()
        .flat_map(|c| c.nodes.iter().map(String::as_str))
        .collect();
    for g in &d.guest_clusters {
        let movable = d.vms.iter().any(|v| {
            g.members.contains(&v.id) && v.hosts.iter().any(|h| clustered.contains(h.as_str()))
        });
        let beats = super::HeartbeatTiming::resolve(version, false, &[&g.heartbeat]);
        if movable && beats.same_subnet.threshold < 20 {
            r.warn(&[&g.id], format!(
                "guest cluster {} has members on clustered hosts, so they may live-migrate: raise its heartbeat threshold to about 20 (now {}) so the pause at the end of a migration does not evict a member",
                display_name(&g.name, &g.id), beats.same_subnet.threshold
            ));
        }
    }
}
