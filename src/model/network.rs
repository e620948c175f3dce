//! Who can reach whom: the design's cabling as a graph, and reachability under failures.
//!
//! Hosts are leaves: traffic crosses switches and switch-to-switch links, never a host. A VM
//! reaches the network through its NICs' virtual switches on whatever host it runs on.

use super::{Design, Id, Nic, StorageKind, SwitchKind};
use petgraph::algo::astar;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;
use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

type RouteCache = RefCell<HashMap<(Node, Node), Option<Vec<Node>>>>;

#[derive(Clone, Debug)]
struct Cabling {
    graph: UnGraph<Node, usize>,
    index: HashMap<Node, NodeIndex>,
}

/// A cabled component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    Host(usize),
    Switch(usize),
    Storage(usize),
}

/// The static cabling of a design, indexed.
#[derive(Clone, Debug)]
pub struct Net {
    pub hosts: HashMap<Id, usize>,
    pub switches: HashMap<Id, usize>,
    pub storage: HashMap<Id, usize>,
    pub sites: HashMap<Id, usize>,
    /// Endpoints of each link (links naming unknown components are left out: `validate` reports them).
    pub links: Vec<Option<(Node, Node)>>,
    pub switch_kind: Vec<SwitchKind>,
    /// Host of each internal/private switch and of each local storage.
    pub switch_host: Vec<Option<usize>>,
    pub storage_kind: Vec<StorageKind>,
    pub storage_host: Vec<Option<usize>>,
    pub host_site: Vec<Option<usize>>,
    pub switch_site: Vec<Option<usize>>,
    pub storage_site: Vec<Option<usize>>,
    /// The cabling as a graph, built on the first route query (validation never needs it).
    cabling: OnceCell<Cabling>,
    /// Routes already found: snapshots ask for the same pairs every frame.
    route_cache: RouteCache,
}

/// What is broken right now, as reference counts (two faults on one thing need two repairs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Health {
    pub host_down: Vec<u16>,
    pub host_isolated: Vec<u16>,
    pub switch_down: Vec<u16>,
    pub storage_down: Vec<u16>,
    pub link_cut: Vec<u16>,
}

impl Health {
    pub fn new(net: &Net) -> Health {
        Health {
            host_down: vec![0; net.host_count()],
            host_isolated: vec![0; net.host_count()],
            switch_down: vec![0; net.switch_count()],
            storage_down: vec![0; net.storage_count()],
            link_cut: vec![0; net.links.len()],
        }
    }
    pub fn host_up(&self, h: usize) -> bool {
        self.host_down[h] == 0
    }
    fn node_up(&self, n: Node) -> bool {
        match n {
            Node::Host(h) => self.host_down[h] == 0,
            Node::Switch(s) => self.switch_down[s] == 0,
            Node::Storage(s) => self.storage_down[s] == 0,
        }
    }
    /// A link carries traffic when it is not cut, both ends are up and no end is an isolated host.
    pub fn link_up(&self, net: &Net, l: usize) -> bool {
        let Some((a, b)) = net.links[l] else {
            return false;
        };
        // Isolation takes down a host's NICs (links to switches), not its storage fabric cables.
        let nic_down = |x: Node, y: Node| matches!((x, y), (Node::Host(h), Node::Switch(_)) if self.host_isolated[h] > 0);
        self.link_cut[l] == 0
            && self.node_up(a)
            && self.node_up(b)
            && !nic_down(a, b)
            && !nic_down(b, a)
    }
}

/// Whether two nodes of a cluster share a subnet, a site, or neither: picks the heartbeat numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathClass {
    SameSubnet,
    CrossSubnet,
    CrossSite,
}

impl Net {
    pub fn new(d: &Design) -> Net {
        let index = |ids: Vec<&Id>| -> HashMap<Id, usize> {
            let mut m = HashMap::new();
            for (i, id) in ids.into_iter().enumerate() {
                m.entry(id.clone()).or_insert(i);
            }
            m
        };
        let hosts = index(d.hosts.iter().map(|h| &h.id).collect());
        let switches = index(d.switches.iter().map(|s| &s.id).collect());
        let storage = index(d.storage.iter().map(|s| &s.id).collect());
        let sites = index(d.sites.iter().map(|s| &s.id).collect());
        let site_of = |s: &Option<Id>| s.as_ref().and_then(|s| sites.get(s).copied());
        let resolve = |id: &Id| -> Option<Node> {
            if let Some(&h) = hosts.get(id) {
                Some(Node::Host(h))
            } else if let Some(&s) = switches.get(id) {
                Some(Node::Switch(s))
            } else {
                storage.get(id).map(|&s| Node::Storage(s))
            }
        };
        let links: Vec<_> = d
            .links
            .iter()
            .map(|l| Some((resolve(&l.a)?, resolve(&l.b)?)).filter(|(a, b)| a != b))
            .collect();
        Net {
            switch_kind: d.switches.iter().map(|s| s.kind).collect(),
            switch_host: d
                .switches
                .iter()
                .map(|s| s.host.as_ref().and_then(|h| hosts.get(h).copied()))
                .collect(),
            storage_kind: d.storage.iter().map(|s| s.kind).collect(),
            storage_host: d
                .storage
                .iter()
                .map(|s| s.host.as_ref().and_then(|h| hosts.get(h).copied()))
                .collect(),
            host_site: d.hosts.iter().map(|h| site_of(&h.site)).collect(),
            switch_site: d.switches.iter().map(|s| site_of(&s.site)).collect(),
            storage_site: d.storage.iter().map(|s| site_of(&s.site)).collect(),
            hosts,
            switches,
            storage,
            sites,
            links,
            cabling: OnceCell::new(),
            route_cache: RefCell::new(HashMap::new()),
        }
    }

    // Counts come from the design's lists, not the id maps: duplicate ids (an error that
    // `validate` reports) must not shrink the tables indexed by position.
    pub fn host_count(&self) -> usize {
        self.host_site.len()
    }
    pub fn switch_count(&self) -> usize {
        self.switch_site.len()
    }
    pub fn storage_count(&self) -> usize {
        self.storage_site.len()
    }

    pub fn node_id<'a>(&self, d: &'a Design, n: Node) -> &'a str {
        match n {
            Node::Host(i) => &d.hosts[i].id,
            Node::Switch(i) => &d.switches[i].id,
            Node::Storage(i) => &d.storage[i].id,
        }
    }

    /// Switches a host is cabled to, directly.
    fn host_switches(&self, h: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.links
            .iter()
            .enumerate()
            .filter_map(move |(l, e)| match e {
                Some((Node::Host(x), Node::Switch(s))) | Some((Node::Switch(s), Node::Host(x)))
                    if *x == h =>
                {
                    Some((l, *s))
                }
                _ => None,
            })
    }

    /// The host has the virtual switch: cabled to an external one, or hosting an internal or
    /// private one. From the design alone (a cut cable does not remove the switch).
    pub fn host_has_switch(&self, h: usize, switch: &str) -> bool {
        let Some(&s) = self.switches.get(switch) else {
            return false;
        };
        match self.switch_kind[s] {
            SwitchKind::External => self.host_switches(h).any(|(_, x)| x == s),
            _ => self.switch_host[s] == Some(h),
        }
    }

    /// Heartbeat class between two hosts, from the design alone.
    pub fn path_class(&self, a: usize, b: usize) -> PathClass {
        if let (Some(sa), Some(sb)) = (self.host_site[a], self.host_site[b])
            && sa != sb
        {
            return PathClass::CrossSite;
        }
        let shared = self
            .host_switches(a)
            .any(|(_, s)| self.host_switches(b).any(|(_, t)| t == s));
        if shared {
            PathClass::SameSubnet
        } else {
            PathClass::CrossSubnet
        }
    }

    /// The cabled route between two components, ignoring failures (for drawing pulses).
    pub fn route(&self, a: Node, b: Node) -> Option<Vec<Node>> {
        if let Some(r) = self.route_cache.borrow().get(&(a, b)) {
            return r.clone();
        }
        let r = self.find_route(a, b);
        self.route_cache.borrow_mut().insert((a, b), r.clone());
        r
    }

    fn cabling(&self) -> &Cabling {
        self.cabling.get_or_init(|| {
            let mut graph = UnGraph::new_undirected();
            let mut index = HashMap::new();
            let nodes = (0..self.host_count())
                .map(Node::Host)
                .chain((0..self.switch_count()).map(Node::Switch))
                .chain((0..self.storage_count()).map(Node::Storage));
            for n in nodes {
                index.insert(n, graph.add_node(n));
            }
            for (i, l) in self.links.iter().enumerate() {
                if let Some((a, b)) = l {
                    graph.add_edge(index[a], index[b], i);
                }
            }
            Cabling { graph, index }
        })
    }

    fn find_route(&self, a: Node, b: Node) -> Option<Vec<Node>> {
        let Cabling { graph, index } = self.cabling();
        let (start, goal) = (*index.get(&a)?, *index.get(&b)?);
        // Hosts and storage are leaves: only switches forward traffic.
        let (_, path) = astar(
            graph,
            start,
            |n| n == goal,
            |e| {
                use petgraph::visit::EdgeRef;
                let through =
                    |n: NodeIndex| n == start || n == goal || matches!(graph[n], Node::Switch(_));
                if through(e.source()) && through(e.target()) {
                    1
                } else {
                    1_000_000
                }
            },
            |_| 0,
        )?;
        let path: Vec<Node> = path.into_iter().map(|n| graph[n]).collect();
        let inner_ok = path[1..path.len() - 1]
            .iter()
            .all(|n| matches!(n, Node::Switch(_)));
        inner_ok.then_some(path)
    }
}

/// Reachability under a given `Health`, computed once per change of the network.
#[derive(Clone, Debug)]
pub struct Reach {
    /// Fabric component of each live switch.
    switch_comp: Vec<Option<usize>>,
    /// Live switches each host is cabled to through a live link.
    host_switches: Vec<Vec<usize>>,
    /// Fabric components each host reaches (sorted).
    host_comps: Vec<Vec<usize>>,
    /// Components each live storage is cabled to, and hosts cabled to it directly.
    storage_comps: Vec<Vec<usize>>,
    storage_hosts: Vec<Vec<usize>>,
    host_up: Vec<bool>,
    storage_up: Vec<bool>,
}

impl Reach {
    pub fn new(net: &Net, health: &Health) -> Reach {
        let n_sw = net.switch_count();
        let mut uf = UnionFind::<usize>::new(n_sw);
        let live: Vec<bool> = (0..net.links.len())
            .map(|l| health.link_up(net, l))
            .collect();
        for (l, e) in net.links.iter().enumerate() {
            if let (true, Some((Node::Switch(a), Node::Switch(b)))) = (live[l], e) {
                uf.union(*a, *b);
            }
        }
        let switch_comp: Vec<Option<usize>> = (0..n_sw)
            .map(|s| (health.switch_down[s] == 0).then(|| uf.find(s)))
            .collect();
        let mut host_switches = vec![Vec::new(); net.host_count()];
        let mut storage_comps = vec![Vec::new(); net.storage_count()];
        let mut storage_hosts = vec![Vec::new(); net.storage_count()];
        for (l, e) in net.links.iter().enumerate() {
            if !live[l] {
                continue;
            }
            match e {
                Some((Node::Host(h), Node::Switch(s))) | Some((Node::Switch(s), Node::Host(h))) => {
                    host_switches[*h].push(*s)
                }
                Some((Node::Storage(st), Node::Switch(s)))
                | Some((Node::Switch(s), Node::Storage(st))) => {
                    storage_comps[*st].extend(switch_comp[*s])
                }
                Some((Node::Storage(st), Node::Host(h)))
                | Some((Node::Host(h), Node::Storage(st))) => storage_hosts[*st].push(*h),
                _ => {}
            }
        }
        let host_comps = host_switches
            .iter()
            .map(|sw| {
                let mut c: Vec<usize> = sw.iter().filter_map(|s| switch_comp[*s]).collect();
                c.sort_unstable();
                c.dedup();
                c
            })
            .collect();
        Reach {
            switch_comp,
            host_switches,
            host_comps,
            storage_comps,
            storage_hosts,
            host_up: (0..net.host_count()).map(|h| health.host_up(h)).collect(),
            storage_up: health.storage_down.iter().map(|c| *c == 0).collect(),
        }
    }

    /// Two hosts can exchange packets (both up, sharing a fabric component).
    pub fn hosts_connected(&self, a: usize, b: usize) -> bool {
        if !(self.host_up[a] && self.host_up[b]) {
            return false;
        }
        if a == b {
            return true;
        }
        let (ca, cb) = (&self.host_comps[a], &self.host_comps[b]);
        ca.iter().any(|c| cb.binary_search(c).is_ok())
    }

    /// The host has a live path out to an external network (used for a cloud witness).
    pub fn host_has_uplink(&self, net: &Net, h: usize) -> bool {
        self.host_up[h]
            && self.host_switches[h]
                .iter()
                .any(|s| net.switch_kind[*s] == SwitchKind::External)
    }

    /// The host reaches the storage itself: its own disk, a direct cable, or the network.
    pub fn host_reaches_storage(&self, net: &Net, h: usize, st: usize) -> bool {
        if !(self.host_up[h] && self.storage_up[st]) {
            return false;
        }
        if net.storage_kind[st] == StorageKind::Local {
            return net.storage_host[st] == Some(h);
        }
        self.storage_hosts[st].contains(&h)
            || self.storage_comps[st]
                .iter()
                .any(|c| self.host_comps[h].contains(c))
    }

    pub fn storage_up(&self, st: usize) -> bool {
        self.storage_up[st]
    }

    /// Two VMs, on hosts `ha` and `hb`, reach each other through a pair of NICs on the same VLAN.
    pub fn vms_connected(&self, net: &Net, a: (&[Nic], usize), b: (&[Nic], usize)) -> bool {
        let ((nics_a, ha), (nics_b, hb)) = (a, b);
        if !(self.host_up[ha] && self.host_up[hb]) {
            return false;
        }
        nics_a.iter().any(|na| {
            nics_b
                .iter()
                .any(|nb| na.vlan == nb.vlan && self.nics_meet(net, na, ha, nb, hb))
        })
    }

    fn nics_meet(&self, net: &Net, na: &Nic, ha: usize, nb: &Nic, hb: usize) -> bool {
        let (Some(&sa), Some(&sb)) = (net.switches.get(&na.switch), net.switches.get(&nb.switch))
        else {
            return false;
        };
        match (net.switch_kind[sa], net.switch_kind[sb]) {
            (SwitchKind::External, SwitchKind::External) => {
                // The VM's host must have a live NIC on that external switch.
                let on = |h: usize, s: usize| self.host_switches[h].contains(&s);
                on(ha, sa)
                    && on(hb, sb)
                    && self.switch_comp[sa].is_some()
                    && self.switch_comp[sa] == self.switch_comp[sb]
            }
            (SwitchKind::External, _) | (_, SwitchKind::External) => false,
            // Internal and private switches join VMs on their own host only.
            _ => {
                sa == sb
                    && self.switch_comp[sa].is_some()
                    && ha == hb
                    && net.switch_host[sa] == Some(ha)
            }
        }
    }

    /// The VM's host has at least one working NIC path for the VM (used to tell clients reach it).
    pub fn vm_reachable_from_network(&self, net: &Net, nics: &[Nic], h: usize) -> bool {
        self.host_up[h]
            && nics.iter().any(|n| {
                net.switches.get(&n.switch).is_some_and(|&s| {
                    net.switch_kind[s] == SwitchKind::External
                        && self.host_switches[h].contains(&s)
                        && self.switch_comp[s].is_some()
                })
            })
    }
}
