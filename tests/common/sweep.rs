//! Scenarios made from a seed for the determinism sweep: every component kind and every fault
//! kind appear across the sweep, and every scenario is a design the engine runs. The same seed
//! gives the same scenario on every platform (one `Xoshiro256PlusPlus`, integers only).

use clusterlab::model::Scenario;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::{Value, json};

/// How long each sweep scenario runs.
pub const SWEEP_UNTIL_MS: u64 = 900_000;

/// The `k`-th sweep scenario: the first of its candidates that the engine can run (a random
/// design may overcommit a host's memory, say).
pub fn scenario(k: u64) -> Scenario {
    (0..)
        .map(|attempt| candidate(k, attempt))
        .find(Scenario::is_runnable)
        .expect("some candidate runs")
}

fn candidate(k: u64, attempt: u64) -> Scenario {
    let mut g = Xoshiro256PlusPlus::seed_from_u64((k << 16) ^ attempt ^ 0x5eed_0000_0000);
    let version = ["2008r2", "2012r2", "2016+"][g.random_range(0..3)];
    let v2016 = version == "2016+";
    let v2012 = version != "2008r2";
    let n: usize = g.random_range(2..=6);
    let sites = v2016 && g.random_bool(0.5);
    let hosts: Vec<Value> = (0..n)
        .map(|i| {
            let mut h = json!({"id": format!("h{i}"), "memory_gb": g.random_range(48..=192), "guarded": i % 2 == 0});
            if sites {
                h["site"] = json!(if i < n.div_ceil(2) { "east" } else { "west" });
            }
            h
        })
        .collect();
    let mut switches = vec![
        json!({"id": "lan-a", "kind": "external"}),
        json!({"id": "lan-b", "kind": "external"}),
        json!({"id": "int-0", "kind": "internal", "host": "h0"}),
        json!({"id": "priv-0", "kind": "private", "host": "h0"}),
    ];
    if sites {
        switches[0]["site"] = json!("east");
        switches[1]["site"] = json!("west");
    }
    let mut links = vec![
        json!({"id": "uplink", "a": "lan-a", "b": "lan-b"}),
        json!({"id": "share-nic", "a": "share", "b": "lan-a"}),
    ];
    for i in 0..n {
        let sw = if sites {
            if i < n.div_ceil(2) { "lan-a" } else { "lan-b" }
        } else if g.random_bool(0.8) {
            "lan-a"
        } else {
            "lan-b"
        };
        links.push(json!({"id": format!("nic{i}"), "a": format!("h{i}"), "b": sw}));
        if g.random_bool(0.85) {
            links.push(json!({"id": format!("fc{i}"), "a": format!("h{i}"), "b": "csv"}));
            links.push(json!({"id": format!("fcl{i}"), "a": format!("h{i}"), "b": "lun"}));
        }
    }
    let mut storage = vec![
        json!({"id": "csv", "kind": "csv"}),
        json!({"id": "lun", "kind": "san"}),
        json!({"id": "share", "kind": "smb"}),
    ];
    storage.extend(
        (0..n)
            .map(|i| json!({"id": format!("local{i}"), "kind": "local", "host": format!("h{i}")})),
    );
    let priorities = ["high", "medium", "low", "no_auto_start"];
    let monitoring = ["none", "heartbeat", "service"];
    let stores = ["csv", "csv", "lun", "share", "local"];
    let count: usize = g.random_range(1..=7);
    let mut vms: Vec<Value> = (0..count)
        .map(|k| {
            let host = g.random_range(0..n);
            let store = match stores[g.random_range(0..stores.len())] {
                "local" => format!("local{host}"),
                s => s.to_string(),
            };
            let mut vm = json!({
                "id": format!("vm{k}"), "tier": format!("t{}", k % 3), "hosts": [format!("h{host}")],
                "storage": store, "memory_gb": g.random_range(2..=24), "replicas": g.random_range(1..=3),
                "nics": [{"switch": if g.random_bool(0.9) { "lan-a" } else { "lan-b" }, "vlan": if g.random_bool(0.3) { Some(10) } else { None }}],
                "boot_ms": g.random_range(5..=60) * 1_000,
                "anti_affinity": if g.random_bool(0.3) { Some("aa") } else { None },
            });
            // 2008 R2 has neither priorities nor service monitoring.
            if v2012 {
                vm["priority"] = json!(priorities[g.random_range(0..4)]);
                vm["monitoring"] = json!(monitoring[g.random_range(0..3)]);
            } else {
                vm["monitoring"] = json!(monitoring[g.random_range(0..2)]);
            }
            if g.random_bool(0.4) {
                vm["preferred_owners"] = json!([format!("h{}", (host + 1) % n)]);
                vm["failback"] = json!(g.random_bool(0.5));
                if g.random_bool(0.5) {
                    vm["failback_window"] = json!({"start_hour": g.random_range(0..24), "end_hour": g.random_range(0..24)});
                }
            }
            if v2016 && g.random_bool(0.1) {
                vm["shielded"] = json!(true);
            }
            vm
        })
        .collect();
    // A lab VM on host 0's internal and private switches.
    vms.push(json!({"id": "lab", "hosts": ["h0"], "storage": "local0", "memory_gb": 2, "nics": [{"switch": "int-0"}, {"switch": "priv-0"}]}));
    let mut guest_clusters = Vec::new();
    if g.random_bool(0.5) {
        vms.push(json!({"id": "g", "replicas": 2, "hosts": ["h0", "h1"], "storage": "csv", "nics": [{"switch": "lan-a"}], "memory_gb": 2}));
        guest_clusters.push(json!({"id": "gc", "members": ["g"], "witness": {"kind": "file_share", "storage": "share"}, "role": {"name": "sql", "tier": "db", "start_ms": 3000}}));
    }
    let mut nlb_clusters = Vec::new();
    let mut clients = Vec::new();
    let mut tiers = Vec::new();
    if g.random_bool(0.6) {
        vms.push(json!({"id": "web", "tier": "web", "replicas": 3, "hosts": (0..n).map(|i| format!("h{i}")).collect::<Vec<_>>(), "storage": "csv", "nics": [{"switch": "lan-a", "mac_spoofing": g.random_bool(0.9)}], "memory_gb": 2}));
        let affinity = ["none", "single", "network"][g.random_range(0..3)];
        let mode = ["unicast", "multicast", "igmp_multicast"][g.random_range(0..3)];
        nlb_clusters.push(json!({"id": "nlb", "members": [{"vm": "web", "priority": 1, "weight": g.random_range(1..=100)}], "affinity": affinity, "mode": mode}));
        clients.push(json!({"id": "users", "tier": "web", "requests_per_second": g.random_range(1..=2000), "client_ips": g.random_range(1..=5000)}));
        tiers.push(json!({"name": "web", "depends_on": ["t0"]}));
        tiers.push(json!({"name": "t0"}));
    }
    let witness = match g.random_range(0..4) {
        0 => json!({"kind": "none"}),
        1 => json!({"kind": "disk", "storage": "lun"}),
        2 => json!({"kind": "file_share", "storage": "share"}),
        _ if v2016 => json!({"kind": "cloud"}),
        _ => json!({"kind": "none"}),
    };
    let nodes: Vec<String> = (0..n).map(|i| format!("h{i}")).collect();
    let mut cluster = json!({"id": "c", "nodes": nodes, "witness": witness, "enforce_anti_affinity": g.random_bool(0.3)});
    if v2016 && count >= 2 && g.random_bool(0.5) {
        let trigger = if g.random_bool(0.5) {
            "delay"
        } else {
            "online"
        };
        cluster["sets"] = json!([
            {"name": "data", "vms": ["vm0"]},
            {"name": "rest", "vms": ["vm1"], "depends_on": ["data"], "trigger": trigger}
        ]);
    }
    let vm_ids: Vec<String> = (0..count).map(|k| format!("vm{k}")).collect();
    let mut faults = Vec::new();
    for _ in 0..g.random_range(1..=8) {
        let t = g.random_range(0..64usize);
        let vm = &vm_ids[t % vm_ids.len()];
        let fault = match g.random_range(0..10) {
            0 => json!({"fault": "host_crash", "host": format!("h{}", t % n)}),
            1 => json!({"fault": "host_isolation", "host": format!("h{}", t % n)}),
            2 => json!({"fault": "vm_crash", "vm": vm}),
            3 => json!({"fault": "app_failure", "vm": vm}),
            4 => json!({"fault": "guest_hang", "vm": vm}),
            5 => {
                json!({"fault": "switch_failure", "switch": if t % 2 == 0 { "lan-a" } else { "lan-b" }})
            }
            6 => json!({"fault": "link_cut", "link": links[t % links.len()]["id"]}),
            7 => json!({"fault": "storage_failure", "storage": (["csv", "lun", "share"][t % 3])}),
            8 if sites => {
                json!({"fault": "site_failure", "site": if t % 2 == 0 { "east" } else { "west" }})
            }
            8 => json!({"fault": "host_crash", "host": format!("h{}", t % n)}),
            _ => json!({"fault": "partition", "a": ["lan-a"], "b": ["lan-b"]}),
        };
        let at = g.random_range(0..600) * 1_000 + g.random_range(0..1_000);
        let mut f = fault.clone();
        f["at_ms"] = json!(at);
        faults.push(f);
        if g.random_bool(0.6) {
            let mut r = fault;
            r["at_ms"] = json!(at + g.random_range(1..=300) * 1_000);
            r["repair"] = json!(true);
            faults.push(r);
        }
    }
    let mut settings = json!({"version": version});
    if v2016 {
        settings["resiliency_level"] = json!(if g.random_bool(0.5) {
            "always_isolate"
        } else {
            "isolate_on_special_heartbeat"
        });
        settings["timing"] = json!({"resiliency_period_ms": g.random_range(30..=240) * 1_000});
    }
    if v2012 && g.random_bool(0.2) {
        settings["dynamic_quorum"] = json!(false);
    }
    let mut design = json!({
        "hosts": hosts, "switches": switches, "storage": storage, "links": links, "vms": vms,
        "clusters": [cluster], "guest_clusters": guest_clusters, "nlb_clusters": nlb_clusters,
        "clients": clients, "tiers": tiers
    });
    if sites {
        design["sites"] = json!([{"id": "east"}, {"id": "west"}]);
    }
    let s = json!({"name": format!("sweep {k}"), "seed": g.random::<u32>(), "settings": settings, "design": design, "faults": faults});
    serde_json::from_value(s).expect("sweep scenarios parse")
}
