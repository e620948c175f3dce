//! Builders for test scenarios and helpers to read the event log.
#![allow(dead_code)]

pub mod random;

use clusterlab::gallery::SAMPLES;
use clusterlab::model::Scenario;
use clusterlab::sim::{Engine, Event, EventKind};
use serde_json::{Value, json};

/// Every example scenario in `examples/`: the gallery's samples.
pub const EXAMPLES: [&str; SAMPLES.len()] = {
    let mut ids = [""; SAMPLES.len()];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = SAMPLES[i].id;
        i += 1;
    }
    ids
};

/// Samples whose lesson is a warning the editor shows (no errors: they all run).
pub const WARNED: [&str; 7] = [
    "local-storage",
    "lesson-web-tier",
    "quorum-two-nodes",
    "quorum-four-nodes",
    "guest-eviction",
    "scale-out",
    "stretched-vs-replica",
];

/// An example scenario from `examples/`.
pub fn example(name: &str) -> Scenario {
    let path = format!("{}/examples/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub fn scenario(v: Value) -> Scenario {
    serde_json::from_value(v).expect("test scenario parses")
}

/// Runs to `until_ms`, checking every invariant after every single event.
pub fn run(s: &Scenario, until_ms: u64) -> Engine {
    let mut e = Engine::new(s).unwrap_or_else(|p| panic!("scenario has errors: {p:?}"));
    e.check_invariants().unwrap();
    while e.advance(until_ms) {
        if let Err(broken) = e.check_invariants() {
            panic!(
                "invariant broken at {} ms: {broken}\nlog:\n{}",
                e.now(),
                log_text(&e)
            );
        }
    }
    e.run_until(until_ms);
    e
}

pub fn log_text(e: &Engine) -> String {
    e.events()
        .iter()
        .map(|x| format!("{:>8} {:?} {}\n", x.t_ms, x.kind, x.message))
        .collect()
}

/// Events of a kind that name `subject`.
pub fn events<'a>(e: &'a Engine, kind: EventKind, subject: &str) -> Vec<&'a Event> {
    e.events()
        .iter()
        .filter(|x| x.kind == kind && x.subjects.iter().any(|s| s == subject))
        .collect()
}

/// The one event of a kind about `subject`; fails with the whole log otherwise.
pub fn only<'a>(e: &'a Engine, kind: EventKind, subject: &str) -> &'a Event {
    let found = events(e, kind, subject);
    assert_eq!(
        found.len(),
        1,
        "expected one {kind:?} for {subject}, got {}:\n{}",
        found.len(),
        log_text(e)
    );
    found[0]
}

/// Where VM instance `id` is and what it is doing now.
pub fn vm_state(e: &Engine, id: &str) -> (String, clusterlab::sim::state::VmState) {
    let v = e.snapshot().vms.into_iter().find(|v| v.id == id).unwrap();
    (v.host, v.state)
}

pub fn none(e: &Engine, kind: EventKind, subject: &str) {
    let found = events(e, kind, subject);
    assert!(
        found.is_empty(),
        "expected no {kind:?} for {subject}:\n{}",
        log_text(e)
    );
}

/// `n` hosts on one LAN switch, each with an FC link to a CSV and to a quorum LUN, one
/// 16 GB VM per host on the CSV, all in cluster `hv`.
pub fn host_cluster(n: usize, witness: Value, version: &str) -> Value {
    let hosts: Vec<Value> = (1..=n)
        .map(|i| json!({"id": format!("host-{i}"), "memory_gb": 64}))
        .collect();
    let mut links: Vec<Value> = (1..=n)
        .map(|i| json!({"id": format!("nic-{i}"), "a": format!("host-{i}"), "b": "lan"}))
        .collect();
    links.extend(
        (1..=n).map(|i| json!({"id": format!("fc-{i}"), "a": format!("host-{i}"), "b": "csv"})),
    );
    links.extend(
        (1..=n).map(|i| json!({"id": format!("fcq-{i}"), "a": format!("host-{i}"), "b": "lun"})),
    );
    links.push(json!({"id": "share-nic", "a": "share", "b": "lan"}));
    let vms: Vec<Value> = (1..=n)
        .map(|i| json!({"id": format!("vm-{i}"), "tier": "app", "hosts": [format!("host-{i}")], "storage": "csv", "nics": [{"switch": "lan"}], "memory_gb": 16}))
        .collect();
    let nodes: Vec<String> = (1..=n).map(|i| format!("host-{i}")).collect();
    json!({
        "name": "test", "seed": 1,
        "settings": {"version": version},
        "design": {
            "hosts": hosts,
            "switches": [{"id": "lan", "kind": "external"}],
            "storage": [{"id": "csv", "kind": "csv"}, {"id": "lun", "kind": "san"}, {"id": "share", "kind": "smb"}],
            "links": links,
            "vms": vms,
            "clusters": [{"id": "hv", "nodes": nodes, "witness": witness}]
        },
        "faults": []
    })
}

pub fn no_witness() -> Value {
    json!({"kind": "none"})
}

pub fn disk_witness() -> Value {
    json!({"kind": "disk", "storage": "lun"})
}

pub fn fault(at_ms: u64, v: Value) -> Value {
    let mut f = v;
    f["at_ms"] = json!(at_ms);
    f
}

pub fn repair(at_ms: u64, v: Value) -> Value {
    let mut f = fault(at_ms, v);
    f["repair"] = json!(true);
    f
}

/// The scenario with this operation script.
pub fn with_ops(mut v: Value, ops: Value) -> Value {
    v["operations"] = ops;
    v
}

pub fn add_faults(s: &mut Value, faults: Vec<Value>) {
    s["faults"].as_array_mut().unwrap().extend(faults);
}

pub fn crash(host: &str) -> Value {
    json!({"fault": "host_crash", "host": host})
}
