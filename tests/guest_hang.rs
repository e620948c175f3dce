//! A hung guest OS: the VM is still running to Hyper-V, but nothing inside answers. Who notices
//! depends on who is watching: VM Monitoring's heartbeat, a guest cluster, NLB, or nobody.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::state::VmState;
use common::*;
use serde_json::json;

fn hang(vm: &str) -> serde_json::Value {
    json!({"fault": "guest_hang", "vm": vm})
}

#[test]
fn heartbeat_monitoring_restarts_a_hung_vm_in_place_then_moves_it() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["vms"][0]["monitoring"] = json!("heartbeat");
    s["design"]["vms"][0]["boot_ms"] = json!(10_000);
    add_faults(
        &mut s,
        vec![fault(30_000, hang("vm-1")), fault(200_000, hang("vm-1"))],
    );
    let e = run(&scenario(s), 400_000);
    // 60 s after each hang VM Monitoring misses the heartbeat: in place first, then elsewhere.
    let detected = events(&e, AppDetected, "vm-1");
    assert_eq!(
        detected.iter().map(|x| x.t_ms).collect::<Vec<_>>(),
        [90_000, 260_000]
    );
    let restart = only(&e, VmRestarting, "vm-1");
    assert_eq!(restart.t_ms, 90_000);
    assert!(restart.subjects.iter().any(|s| s == "host-1"));
    assert_eq!(only(&e, VmFailover, "vm-1").t_ms, 260_000);
    let (host, state) = vm_state(&e, "vm-1");
    assert_ne!(host, "host-1");
    assert_eq!(state, VmState::Running);
}

#[test]
fn without_vm_monitoring_a_hung_vm_is_never_noticed() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    add_faults(&mut s, vec![fault(30_000, hang("vm-1"))]);
    let e = run(&scenario(s), 600_000);
    let hung = only(&e, GuestHung, "vm-1");
    assert!(hung.message.contains("does not notice"), "{}", hung.message);
    none(&e, AppDetected, "vm-1");
    none(&e, VmStopped, "vm-1");
    let snap = e.snapshot();
    let v = snap.vms.iter().find(|v| v.id == "vm-1").unwrap();
    assert!(v.hung && v.state == VmState::Running && !v.state_is_serving());
}

#[test]
fn a_guest_cluster_notices_a_hung_member_through_its_own_heartbeats() {
    let mut s = example("guest-cluster");
    s.faults = serde_json::from_value(json!([fault(30_000, hang("sql-1"))])).unwrap();
    let e = run(&s, 200_000);
    let first_miss = only(&e, HeartbeatsMissed, "sql-1").t_ms;
    let down = only(&e, NodeDown, "sql-1").t_ms;
    assert_eq!(down, first_miss - 1000 + 10_000);
    assert_eq!(only(&e, RoleStarting, "sql-2").t_ms, down);
    // Its standalone host sees a running VM and does nothing.
    none(&e, VmRestarting, "sql-1");
}

#[test]
fn nlb_converges_around_a_hung_member() {
    let mut s = example("nlb-vs-failover");
    s.faults = serde_json::from_value(json!([fault(30_000, hang("web#1"))])).unwrap();
    let e = run(&s, 120_000);
    let started = only(&e, NlbConvergenceStarted, "web-nlb").t_ms;
    // Seed 1 puts the NLB heartbeat round at 58 ms past each second: 5 rounds missed after 30 s.
    assert_eq!(started, 34_058, "{}", log_text(&e));
    let converged = only(&e, NlbConverged, "web-nlb");
    assert_eq!(converged.t_ms, started + 3_000);
    let snap = e.snapshot();
    let member = snap.nlbs[0]
        .members
        .iter()
        .find(|m| m.vm == "web#1")
        .unwrap();
    assert!(!member.in_view && member.buckets == 0);
}
