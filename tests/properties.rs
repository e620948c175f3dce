//! Property tests: random designs under random fault schedules keep every invariant after
//! every event (see `Engine::check_invariants`), time never goes backwards, and runs repeat.

mod common;
use clusterlab::model::{Failback, Operation, Scenario, ScheduledOp};
use clusterlab::sim::Engine;
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
struct VmSpec {
    host: usize,
    memory: u32,
    storage: u8,
    priority: u8,
    anti_affinity: bool,
    monitoring: u8,
    replicas: u32,
    vlan: bool,
}

#[derive(Debug, Clone)]
struct FaultSpec {
    at: u64,
    kind: u8,
    target: usize,
    repair_after: Option<u64>,
}

#[derive(Debug, Clone)]
struct DesignSpec {
    version: u8,
    witness: u8,
    host_memory: Vec<u32>,
    host_switch: Vec<bool>,
    fc: Vec<bool>,
    vms: Vec<VmSpec>,
    guest: bool,
    nlb: bool,
    seed: u64,
}

fn vm_spec(hosts: usize) -> impl Strategy<Value = VmSpec> {
    (
        0..hosts,
        2u32..=24,
        0u8..3,
        0u8..4,
        any::<bool>(),
        0u8..3,
        1u32..=3,
        any::<bool>(),
    )
        .prop_map(
            |(host, memory, storage, priority, anti_affinity, monitoring, replicas, vlan)| VmSpec {
                host,
                memory,
                storage,
                priority,
                anti_affinity,
                monitoring,
                replicas,
                vlan,
            },
        )
}

fn design_spec() -> impl Strategy<Value = DesignSpec> {
    (2usize..=6).prop_flat_map(|n| {
        (
            0u8..3,
            0u8..4,
            prop::collection::vec(48u32..=160, n),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(prop::bool::weighted(0.8), n),
            prop::collection::vec(vm_spec(n), 1..8),
            any::<bool>(),
            any::<bool>(),
            any::<u64>(),
        )
            .prop_map(
                |(version, witness, host_memory, host_switch, fc, vms, guest, nlb, seed)| {
                    DesignSpec {
                        version,
                        witness,
                        host_memory,
                        host_switch,
                        fc,
                        vms,
                        guest,
                        nlb,
                        seed,
                    }
                },
            )
    })
}

fn fault_spec() -> impl Strategy<Value = FaultSpec> {
    (
        0u64..600_000,
        0u8..11,
        0usize..64,
        prop::option::of(1_000u64..300_000),
    )
        .prop_map(|(at, kind, target, repair_after)| FaultSpec {
            at,
            kind,
            target,
            repair_after,
        })
}

/// Builds a scenario: hosts on two switches joined by an uplink, a CSV on FC, a SAN LUN,
/// a share, local disks; VMs of every kind of property; optionally a guest cluster and an NLB.
fn build(d: &DesignSpec, faults: &[FaultSpec]) -> Scenario {
    let n = d.host_memory.len();
    let hosts: Vec<Value> = (0..n).map(|i| json!({"id": format!("h{i}"), "memory_gb": d.host_memory[i], "guarded": i % 2 == 0, "site": if i < n / 2 { "s1" } else { "s2" }})).collect();
    let mut links = vec![
        json!({"id": "uplink", "a": "sw-a", "b": "sw-b"}),
        json!({"id": "share-link", "a": "share", "b": "sw-a"}),
    ];
    for i in 0..n {
        links.push(json!({"id": format!("nic{i}"), "a": format!("h{i}"), "b": if d.host_switch[i] { "sw-a" } else { "sw-b" }}));
        if d.fc[i] {
            links.push(json!({"id": format!("fc{i}"), "a": format!("h{i}"), "b": "csv"}));
            links.push(json!({"id": format!("fcl{i}"), "a": format!("h{i}"), "b": "lun"}));
        }
    }
    let mut storage = vec![
        json!({"id": "csv", "kind": "csv"}),
        json!({"id": "lun", "kind": "san"}),
        json!({"id": "share", "kind": "smb", "site": "s1"}),
    ];
    storage.extend(
        (0..n)
            .map(|i| json!({"id": format!("local{i}"), "kind": "local", "host": format!("h{i}")})),
    );
    let priorities = ["high", "medium", "low", "no_auto_start"];
    let monitoring = ["none", "heartbeat", "service"];
    let mut vms: Vec<Value> = d
        .vms
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let store = match v.storage {
                0 => "csv".to_string(),
                1 => "lun".to_string(),
                _ => format!("local{}", v.host),
            };
            // 2008 R2 has neither priorities nor service monitoring.
            let (priority, monitor) = if d.version == 0 {
                ("medium", monitoring[v.monitoring as usize % 2])
            } else {
                (priorities[v.priority as usize], monitoring[v.monitoring as usize])
            };
            json!({
                "id": format!("vm{k}"), "tier": format!("t{}", k % 3), "hosts": [format!("h{}", v.host)], "storage": store,
                "nics": [{"switch": "sw-a", "vlan": if v.vlan { Some(10) } else { None }}], "memory_gb": v.memory,
                "priority": priority, "anti_affinity": if v.anti_affinity { Some("aa") } else { None },
                "monitoring": monitor, "replicas": v.replicas, "boot_ms": 5_000 + 1_000 * k as u64,
                "preferred_owners": if k % 2 == 0 { vec![format!("h{}", (v.host + 1) % n)] } else { vec![] },
                "failback": k % 3 == 0,
                "failback_window": if k % 4 == 0 { Some(json!({"start_hour": (k * 5) % 24, "end_hour": (k * 7) % 24})) } else { None }
            })
        })
        .collect();
    let mut guest_clusters = Vec::new();
    if d.guest {
        vms.push(json!({"id": "g", "replicas": 2, "hosts": ["h0", "h1"], "storage": "csv", "nics": [{"switch": "sw-a"}], "memory_gb": 2}));
        guest_clusters.push(json!({"id": "gc", "members": ["g"], "witness": {"kind": "file_share", "storage": "share"}, "role": {"name": "sql", "tier": "db", "start_ms": 3000}}));
    }
    let mut nlb_clusters = Vec::new();
    let mut clients = Vec::new();
    if d.nlb {
        vms.push(json!({"id": "web", "tier": "web", "replicas": 3, "hosts": (0..n).map(|i| format!("h{i}")).collect::<Vec<_>>(), "storage": "csv", "nics": [{"switch": "sw-a", "mac_spoofing": true}], "memory_gb": 2}));
        nlb_clusters.push(
            json!({"id": "nlb", "members": [{"vm": "web", "priority": 1}], "affinity": "single"}),
        );
        clients.push(
            json!({"id": "users", "tier": "web", "requests_per_second": 900, "client_ips": 50}),
        );
    }
    let witness = match d.witness {
        0 => json!({"kind": "none"}),
        1 => json!({"kind": "disk", "storage": "lun"}),
        2 => json!({"kind": "file_share", "storage": "share"}),
        _ if d.version == 2 => json!({"kind": "cloud"}),
        _ => json!({"kind": "none"}),
    };
    let mut fs = Vec::new();
    for f in faults {
        let t = f.target;
        let fault = match f.kind {
            0 => json!({"fault": "host_crash", "host": format!("h{}", t % n)}),
            1 => json!({"fault": "host_isolation", "host": format!("h{}", t % n)}),
            2 => json!({"fault": "vm_crash", "vm": format!("vm{}", t % d.vms.len())}),
            3 => json!({"fault": "app_failure", "vm": format!("vm{}", t % d.vms.len())}),
            4 => {
                json!({"fault": "switch_failure", "switch": if t % 2 == 0 { "sw-a" } else { "sw-b" }})
            }
            5 => json!({"fault": "link_cut", "link": links[t % links.len()]["id"]}),
            6 => json!({"fault": "storage_failure", "storage": (["csv", "lun", "share"][t % 3])}),
            7 => json!({"fault": "site_failure", "site": if t % 2 == 0 { "s1" } else { "s2" }}),
            8 => json!({"fault": "partition", "a": ["s1"], "b": ["s2"]}),
            9 => json!({"fault": "guest_hang", "vm": format!("vm{}", t % d.vms.len())}),
            _ => json!({"fault": "vm_crash", "vm": if d.nlb { "web#2" } else { "vm0" }}),
        };
        let mut x = fault.clone();
        x["at_ms"] = json!(f.at);
        fs.push(x);
        if let Some(after) = f.repair_after {
            let mut r = fault;
            r["at_ms"] = json!(f.at + after);
            r["repair"] = json!(true);
            fs.push(r);
        }
    }
    let settings = if d.version == 2 {
        // Both resiliency levels, and cluster sets, which exist from 2016.
        let level = if d.seed.is_multiple_of(2) {
            "always_isolate"
        } else {
            "isolate_on_special_heartbeat"
        };
        json!({"version": "2016+", "resiliency_level": level, "timing": {"resiliency_period_ms": 60_000}})
    } else {
        json!({"version": (["2008r2", "2012r2"][d.version as usize])})
    };
    let sets = if d.version == 2 && d.vms.len() >= 2 {
        json!([{"name": "first", "vms": ["vm0"]}, {"name": "then", "vms": ["vm1"], "depends_on": ["first"], "trigger": if d.seed.is_multiple_of(3) { "online" } else { "delay" }}])
    } else {
        json!([])
    };
    common::scenario(json!({
        "name": "random", "seed": d.seed,
        "settings": settings,
        "design": {
            "sites": [{"id": "s1"}, {"id": "s2"}],
            "hosts": hosts,
            "switches": [{"id": "sw-a", "kind": "external", "site": "s1"}, {"id": "sw-b", "kind": "external", "site": "s2"}],
            "storage": storage, "links": links, "vms": vms,
            "clusters": [{"id": "c", "nodes": (0..n).map(|i| format!("h{i}")).collect::<Vec<_>>(), "witness": witness, "sets": sets}],
            "guest_clusters": guest_clusters, "nlb_clusters": nlb_clusters, "clients": clients
        },
        "faults": fs
    }))
}

/// Random planned operations on a built design: migrations to any host, drains, resumes,
/// shutdowns and starts, at random times among the faults.
fn op_spec() -> impl Strategy<Value = (u64, u8, usize, usize)> {
    (0u64..600_000, 0u8..9, 0usize..64, 0usize..64)
}

fn with_ops(mut s: Scenario, ops: &[(u64, u8, usize, usize)]) -> Scenario {
    let n = s.design.hosts.len();
    let vms: Vec<String> = s.design.vms.iter().map(|v| v.id.clone()).collect();
    for &(at_ms, kind, a, b) in ops {
        let host = format!("h{}", a % n);
        let (vm, to) = (vms[b % vms.len()].clone(), format!("h{}", b % n));
        let op = match kind {
            0 => Operation::LiveMigrate { vm, to },
            1 => Operation::QuickMigrate { vm, to },
            2 => Operation::Drain { host },
            3 => Operation::Resume {
                host,
                failback: Failback::ALL[b % 3],
            },
            4 => Operation::Shutdown { host },
            5 => Operation::Start { host },
            6 => Operation::Evict { host },
            7 => Operation::Update {
                cluster: "c".into(),
            },
            _ => Operation::AddNode {
                host,
                cluster: "c".into(),
            },
        };
        s.operations.push(ScheduledOp { at_ms, op });
    }
    s
}

const HORIZON: u64 = 1_000_000;

fn run_checked(s: &Scenario) -> Option<Engine> {
    // Designs the validator rejects (say, memory overcommitted at start) are skipped.
    let mut e = Engine::new(s).ok()?;
    e.check_invariants().unwrap();
    let mut last = 0;
    while e.advance(HORIZON) {
        assert!(e.now() >= last, "time went backwards");
        last = e.now();
        if let Err(broken) = e.check_invariants() {
            panic!(
                "invariant broken at {} ms: {broken}\n{}",
                e.now(),
                common::log_text(&e)
            );
        }
    }
    assert!(e.events().windows(2).all(|w| w[0].t_ms <= w[1].t_ms));
    for ev in e.events() {
        assert!(
            !ev.message.is_empty() && !ev.subjects.is_empty()
                || ev.kind == clusterlab::sim::EventKind::Fault
        );
    }
    Some(e)
}

proptest! {
    // 300 cases in CI; CLUSTERLAB_CASES=100000 for the long run (docs/performance.md).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("CLUSTERLAB_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300),
        max_global_rejects: 1_000_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_after_every_event(d in design_spec(), faults in prop::collection::vec(fault_spec(), 0..10)) {
        let s = build(&d, &faults);
        let e = run_checked(&s);
        prop_assume!(e.is_some(), "the design has errors");
        let e = e.unwrap();
        // Same scenario, same seed: the same run.
        let again = clusterlab::sim::run(&s, HORIZON).unwrap();
        prop_assert_eq!(e.events(), again.events());
        prop_assert_eq!(e.metrics(), again.metrics());
    }

    #[test]
    fn the_analysis_of_a_failure_is_a_normal_run_with_it_scheduled(
        d in design_spec(),
        pick in any::<prop::sample::Index>(),
    ) {
        use clusterlab::analysis::{self, FAULT_AT_MS, What};
        use clusterlab::model::ScheduledFault;
        let s = build(&d, &[]);
        prop_assume!(s.is_runnable(), "the design has errors");
        let cases = analysis::single_cases(&s);
        let case = cases[pick.index(cases.len())].clone();
        let o = analysis::analyze_one(&s, &case).unwrap();
        // The same failure scheduled by hand in the scenario, run plainly to the same moment.
        let mut plain = s.clone();
        match &case.what {
            What::Fault(f) => plain.faults = vec![ScheduledFault { at_ms: FAULT_AT_MS, repair: false, fault: f.clone() }],
            What::Op(op) => plain.operations = vec![ScheduledOp { at_ms: FAULT_AT_MS, op: op.clone() }],
            _ => unreachable!("single cases are one fault or one operation"),
        }
        let mut e = Engine::new(&plain).unwrap();
        e.run_until(o.ended_ms);
        prop_assert_eq!(&analysis::outcome_of(&e, case.clone()), &o);
        // It stopped because the design was quiet (or at the cap), not before.
        let last = e.events().last().map_or(0, |x| x.t_ms).max(FAULT_AT_MS);
        prop_assert!(
            o.ended_ms == FAULT_AT_MS + analysis::CAP_MS || o.ended_ms >= last + analysis::QUIET_MS,
            "{}: ended at {} with the last event at {}", case.label, o.ended_ms, last
        );
    }

    #[test]
    fn invariants_hold_under_random_operations_and_faults(
        d in design_spec(),
        faults in prop::collection::vec(fault_spec(), 0..6),
        ops in prop::collection::vec(op_spec(), 1..10),
    ) {
        let s = with_ops(build(&d, &faults), &ops);
        // Every VM is listed on exactly one host after every event (run_checked): never on two.
        let e = run_checked(&s);
        prop_assume!(e.is_some(), "the design has errors");
        let e = e.unwrap();
        let again = clusterlab::sim::run(&s, HORIZON).unwrap();
        prop_assert_eq!(e.events(), again.events());
    }

    #[test]
    fn validation_and_engine_never_panic_on_arbitrary_references(
        ids in prop::collection::vec("[a-c]{0,2}", 12),
        numbers in prop::collection::vec(0u32..5, 8),
    ) {
        let pick = |k: usize| ids[k % ids.len()].clone();
        let s = json!({
            "name": "fuzz",
            "design": {
                "hosts": [{"id": pick(0), "memory_gb": numbers[0], "site": pick(1)}, {"id": pick(2)}],
                "switches": [{"id": pick(3), "kind": "internal", "host": pick(4)}],
                "storage": [{"id": pick(5), "kind": "local", "host": pick(6)}],
                "links": [{"id": pick(7), "a": pick(8), "b": pick(9)}],
                "vms": [{"id": pick(10), "hosts": [pick(11)], "storage": pick(5), "replicas": numbers[1], "memory_gb": numbers[2], "nics": [{"switch": pick(3)}]}],
                "clusters": [{"id": pick(1), "nodes": [pick(0), pick(2), pick(4)], "witness": {"kind": "disk", "storage": pick(5)}}],
                "guest_clusters": [{"id": pick(6), "members": [pick(10)], "role": {"name": "r"}}],
                "nlb_clusters": [{"id": pick(8), "members": [{"vm": pick(10), "priority": numbers[3]}]}],
                "clients": [{"id": pick(9), "tier": pick(1), "requests_per_second": numbers[4]}]
            },
            "faults": [{"at_ms": 1000, "fault": "host_crash", "host": pick(0)}, {"at_ms": 2000, "fault": "vm_crash", "vm": pick(10)}]
        });
        if let Ok(s) = serde_json::from_value::<Scenario>(s) {
            let _ = s.validate();
            if let Ok(mut e) = Engine::new(&s) {
                e.run_until(60_000);
                e.check_invariants().map_err(TestCaseError::fail)?;
            }
        }
    }

    /// Mutated example files: whatever parses is validated and, if runnable, run; nothing panics.
    #[test]
    fn mutated_files_never_panic(which in 0usize..3, edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(MUTATIONS.to_vec())), 1..6)) {
        let mut text = [
            include_str!("../examples/host-cluster.json"),
            include_str!("../examples/guest-cluster.json"),
            include_str!("../examples/web-app-db.json"),
        ][which].to_string();
        for (at, with) in edits {
            let mut i = at.index(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            let end = (i + 4).min(text.len());
            let end = (end..=text.len()).find(|&e| text.is_char_boundary(e)).unwrap();
            text.replace_range(i..end, with);
        }
        if let Ok(s) = Scenario::from_json(&text) {
            let _ = s.validate();
            if let Ok(mut e) = Engine::new(&s) {
                e.run_until(120_000);
                e.check_invariants().map_err(TestCaseError::fail)?;
            }
        }
    }
}

/// Replacements that keep JSON plausible: swap ids, numbers, kinds and delete pieces.
const MUTATIONS: &[&str] = &[
    "",
    "0",
    "1",
    "99999",
    "\"host-1\"",
    "\"lan\"",
    "\"csv-1\"",
    "true",
    "null",
    "[]",
    ",",
    "-1",
    "\"web\"",
];
