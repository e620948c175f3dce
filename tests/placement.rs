//! Where a failed VM restarts, and why it sometimes does not.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::state::VmState;
use common::*;
use serde_json::{Value, json};

fn vm(id: &str, host: &str, extra: Value) -> Value {
    let mut v = json!({"id": id, "hosts": [host], "storage": "csv", "nics": [{"switch": "lan"}], "memory_gb": 16});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

/// These tests look at where VMs go, not at when: ResiliencyLevel 1 fails a crashed host's VMs
/// over at detection instead of after the 240 s resiliency period (see `resiliency.rs`).
fn with_vms(n: usize, vms: Vec<Value>) -> Value {
    let mut s = host_cluster(n, disk_witness(), "2016+");
    s["design"]["vms"] = json!(vms);
    s["settings"]["resiliency_level"] = json!("isolate_on_special_heartbeat");
    s
}

#[test]
fn a_vm_on_local_storage_cannot_fail_over_and_says_why() {
    let mut s = with_vms(2, vec![vm("db-1", "host-2", json!({"storage": "local-2"}))]);
    s["design"]["storage"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "local-2", "kind": "local", "host": "host-2"}));
    add_faults(&mut s, vec![fault(30_000, crash("host-2"))]);
    let sc = scenario(s);
    assert!(
        sc.validate()
            .iter()
            .any(|p| p.message.contains("cannot fail over"))
    );
    let e = run(&sc, 120_000);
    let why = only(&e, VmNotRestarted, "db-1");
    assert_eq!(
        why.message,
        "db-1 was not restarted: no surviving node can reach its disks on host-2's local storage"
    );
    assert_eq!(why.t_ms, only(&e, NodeDown, "host-2").t_ms);
}

#[test]
fn capacity_is_checked_and_the_roomiest_node_wins() {
    // host-1 runs two VMs, host-3 one: the VM of host-2 goes to host-3 (more free memory).
    let s0 = with_vms(
        3,
        vec![
            vm("a", "host-1", json!({})),
            vm("b", "host-1", json!({})),
            vm("c", "host-2", json!({})),
            vm("d", "host-3", json!({})),
        ],
    );
    let mut s = s0.clone();
    add_faults(&mut s, vec![fault(30_000, crash("host-2"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(vm_state(&e, "c").0, "host-3");
    assert!(only(&e, VmFailover, "c").message.contains("(48 GB free)"));
    // Hosts too small to take it: the VM waits, with the reason.
    let mut s = s0;
    for i in 0..3 {
        s["design"]["hosts"][i]["memory_gb"] = json!(40);
    }
    s["design"]["vms"][3]["memory_gb"] = json!(32);
    add_faults(&mut s, vec![fault(30_000, crash("host-2"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(
        only(&e, VmNotRestarted, "c").message,
        "c was not restarted: no surviving node has 16 GB of free memory for it"
    );
}

#[test]
fn preferred_owners_are_tried_first_and_possible_owners_are_a_hard_list() {
    let mut s = with_vms(
        4,
        vec![
            vm(
                "a",
                "host-1",
                json!({"preferred_owners": ["host-1", "host-4"]}),
            ),
            vm("b", "host-4", json!({"memory_gb": 32})),
        ],
    );
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(vm_state(&e, "a").0, "host-4");
    assert!(
        only(&e, VmFailover, "a")
            .message
            .contains("preferred owner #2")
    );

    let mut s = with_vms(
        3,
        vec![vm("a", "host-1", json!({"possible_owners": ["host-1"]}))],
    );
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(
        only(&e, VmNotRestarted, "a").message,
        "a was not restarted: none of its possible owners (host-1) is up"
    );
}

#[test]
fn soft_anti_affinity_prefers_another_node_enforced_keeps_the_vm_off() {
    // web-1 on host-1, web-2 on host-2; host-3 is busier. Soft: web-1 still avoids host-2.
    let vms = vec![
        vm("web-1", "host-1", json!({"anti_affinity": "web"})),
        vm("web-2", "host-2", json!({"anti_affinity": "web"})),
        vm("other", "host-3", json!({"memory_gb": 24})),
    ];
    let mut s = with_vms(3, vms.clone());
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(vm_state(&e, "web-1").0, "host-3");

    // Two nodes, enforced: the only survivor already runs web-2, so web-1 stays offline.
    let mut s = with_vms(2, vms[..2].to_vec());
    s["design"]["clusters"][0]["enforce_anti_affinity"] = json!(true);
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(
        only(&e, VmNotRestarted, "web-1").message,
        "web-1 was not restarted: every surviving node already runs a VM of anti-affinity class web (enforced)"
    );
    // Soft, same design: it shares the node rather than stay down.
    let mut s = with_vms(2, vms[..2].to_vec());
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(
        vm_state(&e, "web-1"),
        ("host-2".to_string(), VmState::Running)
    );
}

#[test]
fn high_priority_starts_first_and_pre_empts_low_priority() {
    let mut s = with_vms(
        2,
        vec![
            vm(
                "batch",
                "host-2",
                json!({"priority": "low", "memory_gb": 40}),
            ),
            vm("db", "host-1", json!({"priority": "high", "memory_gb": 40})),
            vm(
                "web",
                "host-1",
                json!({"priority": "medium", "memory_gb": 8}),
            ),
        ],
    );
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 200_000);
    let down = only(&e, NodeDown, "host-1").t_ms;
    let pre = only(&e, VmPreempted, "batch");
    assert_eq!(pre.t_ms, down);
    assert_eq!(
        pre.message,
        "batch (Low priority) was stopped to make room for db (High priority)"
    );
    let order: Vec<&str> = e
        .events()
        .iter()
        .filter(|x| x.kind == VmFailover)
        .map(|x| x.subjects[0].as_str())
        .collect();
    assert_eq!(order, ["db", "web"]);
    assert_eq!(vm_state(&e, "db"), ("host-2".to_string(), VmState::Running));
    assert_eq!(
        only(&e, VmNotRestarted, "batch").message,
        "batch was not restarted: no surviving node has 40 GB of free memory for it"
    );
}

#[test]
fn no_auto_start_vms_stay_off() {
    let mut s = with_vms(
        2,
        vec![vm("lab", "host-1", json!({"priority": "no_auto_start"}))],
    );
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert!(
        only(&e, VmNotRestarted, "lab")
            .message
            .contains("No Auto Start")
    );
    none(&e, VmFailover, "lab");
}

#[test]
fn shielded_vms_restart_only_on_guarded_hosts() {
    let mut s = with_vms(
        3,
        vec![
            vm("secret", "host-1", json!({"shielded": true})),
            vm("filler", "host-3", json!({"memory_gb": 24})),
        ],
    );
    s["design"]["hosts"][0]["guarded"] = json!(true);
    s["design"]["hosts"][2]["guarded"] = json!(true);
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert_eq!(vm_state(&e, "secret").0, "host-3");

    let mut s = with_vms(2, vec![vm("secret", "host-1", json!({"shielded": true}))]);
    s["design"]["hosts"][0]["guarded"] = json!(true);
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let e = run(&scenario(s), 120_000);
    assert!(
        only(&e, VmNotRestarted, "secret")
            .message
            .contains("shielded and no surviving node is a guarded host")
    );
}

#[test]
fn a_crashed_vm_restarts_in_place_once_in_15_min_then_moves() {
    // RestartThreshold 1 in RestartPeriod 15 min (KB 947712).
    let mut s = with_vms(3, vec![vm("app", "host-1", json!({"boot_ms": 10_000}))]);
    let crash_vm = json!({"fault": "vm_crash", "vm": "app"});
    add_faults(
        &mut s,
        [60_000, 120_000, 1_200_000]
            .into_iter()
            .map(|t| fault(t, crash_vm.clone()))
            .collect(),
    );
    let e = run(&scenario(s), 1_300_000);
    let restarts = events(&e, VmRestarting, "app");
    // 60 s: in place. 120 s: the one restart is used up, so it moves. 20 min: the window has
    // passed, so it restarts in place again (on the node it moved to).
    assert_eq!(
        restarts.iter().map(|x| x.t_ms).collect::<Vec<_>>(),
        [60_000, 1_200_000]
    );
    assert!(restarts[0].message.contains("attempt 1 of 1 within 15 min"));
    let moved = only(&e, VmFailover, "app");
    assert_eq!(moved.t_ms, 120_000);
    assert_ne!(vm_state(&e, "app").0, "host-1");
}

/// app (10 s boot) on host-1 of 3 nodes crashes at 60, 120 and 180 s; restarts in place are
/// turned off, so every crash is a failover.
fn app_crashing_thrice_without_restarts() -> Value {
    let mut s = with_vms(3, vec![vm("app", "host-1", json!({"boot_ms": 10_000}))]);
    s["settings"]["timing"] = json!({"restart_in_place_max": 0});
    let crash_vm = json!({"fault": "vm_crash", "vm": "app"});
    add_faults(
        &mut s,
        (1..=3)
            .map(|i| fault(i * 60_000, crash_vm.clone()))
            .collect(),
    );
    s
}

#[test]
fn a_failed_role_is_retried_after_an_hour_without_an_operator() {
    // RetryPeriodOnFailure 60 min (KB 947712): left Failed at 180 s, online again at 3 780 s.
    let s = app_crashing_thrice_without_restarts();
    let e = run(&scenario(s), 4_000_000);
    assert_eq!(only(&e, VmFailed, "app").t_ms, 180_000);
    let retry = only(&e, VmRetry, "app");
    assert_eq!(retry.t_ms, 180_000 + 3_600_000);
    assert!(
        retry.message.contains("RetryPeriodOnFailure"),
        "{}",
        retry.message
    );
    let running = events(&e, VmRunning, "app");
    assert_eq!(running.last().unwrap().t_ms, 180_000 + 3_600_000 + 10_000);
    assert_eq!(vm_state(&e, "app").1, VmState::Running);
}

#[test]
fn a_standalone_host_restarts_a_crashed_vm_in_place() {
    let mut s = with_vms(
        2,
        vec![vm(
            "app",
            "host-1",
            json!({"boot_ms": 10_000, "storage": "local-1"}),
        )],
    );
    s["design"]["clusters"] = json!([]);
    s["design"]["storage"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "local-1", "kind": "local", "host": "host-1"}));
    add_faults(
        &mut s,
        vec![fault(60_000, json!({"fault": "vm_crash", "vm": "app"}))],
    );
    let e = run(&scenario(s), 200_000);
    let restart = only(&e, VmRestarting, "app");
    assert_eq!(restart.t_ms, 60_000);
    assert!(restart.message.contains("automatic recovery action"));
    assert_eq!(only(&e, VmRunning, "app").t_ms, 70_000);
    assert_eq!(
        vm_state(&e, "app"),
        ("host-1".to_string(), VmState::Running)
    );
}

#[test]
fn past_the_failover_threshold_a_vm_is_left_failed() {
    // Three nodes allow two failovers in six hours; restarts in place are turned off to force moves.
    let s = app_crashing_thrice_without_restarts();
    let e = run(&scenario(s), 400_000);
    assert_eq!(events(&e, VmFailover, "app").len(), 2);
    let failed = only(&e, VmFailed, "app");
    assert_eq!(failed.t_ms, 180_000);
    assert!(
        failed
            .message
            .contains("failover threshold for a 3-node cluster is 2")
    );
    assert_eq!(vm_state(&e, "app").1, VmState::Stopped);
}

#[test]
fn failback_moves_a_vm_home_by_live_migration() {
    let mut s = with_vms(
        2,
        vec![vm(
            "app",
            "host-1",
            json!({"preferred_owners": ["host-1"], "failback": true}),
        )],
    );
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-1")),
            repair(200_000, crash("host-1")),
        ],
    );
    let e = run(&scenario(s), 300_000);
    let mig = only(&e, VmMigrating, "app");
    assert_eq!(mig.t_ms, 200_000);
    // Pre-copy: 16 GB over 10 Gbit/s (1 250 MB/s) is 12.8 s; meanwhile the guest dirtied
    // 640 MB (50 MB/s), copied in 0.512 s; then 25.6 MB are left: the VM pauses 21 ms for them
    // and 200 ms to switch over.
    assert_eq!(
        only(&e, VmMigrated, "app").t_ms,
        200_000 + 12_800 + 512 + 21 + 200
    );
    assert!(mig.message.contains("in 2 rounds"), "{}", mig.message);
    assert_eq!(
        vm_state(&e, "app"),
        ("host-1".to_string(), VmState::Running)
    );
}
