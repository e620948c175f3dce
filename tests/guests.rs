//! What a host cluster can and cannot see inside a guest, versus a guest cluster.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::state::{RoleState, VmState};
use common::*;
use serde_json::json;

fn app_failure(monitoring: &str, version: &str) -> clusterlab::sim::Engine {
    let mut s = host_cluster(3, disk_witness(), version);
    s["design"]["vms"][0]["monitoring"] = json!(monitoring);
    s["design"]["vms"][0]["tier"] = json!("shop");
    add_faults(
        &mut s,
        vec![fault(30_000, json!({"fault": "app_failure", "vm": "vm-1"}))],
    );
    run(&scenario(s), 300_000)
}

fn shop(e: &clusterlab::sim::Engine) -> u32 {
    e.snapshot().tiers.iter().find(|t| t.0 == "shop").unwrap().1
}

#[test]
fn without_vm_monitoring_a_failed_application_goes_unnoticed() {
    let e = app_failure("none", "2016+");
    let failed = only(&e, AppFailed, "vm-1");
    assert!(
        failed
            .message
            .contains("the host cluster does not notice: it watches only that the VM is running"),
        "{}",
        failed.message
    );
    none(&e, AppDetected, "vm-1");
    none(&e, VmRestarting, "vm-1");
    assert_eq!(
        shop(&e),
        0,
        "the service stays down for as long as anyone cares to wait"
    );
}

#[test]
fn the_integration_heartbeat_sees_a_live_guest_os_not_a_dead_application() {
    let e = app_failure("heartbeat", "2016+");
    assert!(
        only(&e, AppFailed, "vm-1")
            .message
            .contains("integration-services heartbeat still answers")
    );
    none(&e, AppDetected, "vm-1");
    assert_eq!(shop(&e), 0);
}

#[test]
fn service_level_vm_monitoring_restarts_the_vm() {
    let e = app_failure("service", "2016+");
    let detected = only(&e, AppDetected, "vm-1");
    assert_eq!(detected.t_ms, 30_000 + 60_000);
    let restart = only(&e, VmRestarting, "vm-1");
    assert_eq!(restart.t_ms, 90_000);
    assert_eq!(only(&e, VmRunning, "vm-1").t_ms, 120_000);
    assert_eq!(shop(&e), 1000, "a fresh boot brings the service back");
}

#[test]
fn windows_2008_r2_has_no_service_monitoring() {
    // Refused by validation, so the engine never runs it (see validate.rs).
    let mut s = host_cluster(3, disk_witness(), "2008r2");
    s["design"]["vms"][0]["monitoring"] = json!("service");
    assert!(!scenario(s).is_runnable());
}

/// Three SQL VMs, one per (unclustered) host, in a guest cluster with a file share witness.
fn guest(faults: Vec<serde_json::Value>) -> clusterlab::sim::Engine {
    let s: serde_json::Value =
        serde_json::from_str(include_str!("../examples/guest-cluster.json")).unwrap();
    let mut s = s;
    s["faults"] = json!(faults);
    run(&scenario(s), 300_000)
}

#[test]
fn a_guest_cluster_detects_a_failed_vm_and_moves_its_role() {
    let e = guest(vec![fault(
        30_000,
        json!({"fault": "vm_crash", "vm": "sql-1"}),
    )]);
    // The hosts are not clustered: Hyper-V's automatic recovery action restarts the VM in
    // place (it cannot move); the guest cluster moves the role meanwhile, and the VM rejoins.
    let restart = only(&e, VmRestarting, "sql-1");
    assert_eq!(restart.t_ms, 30_000);
    assert!(restart.message.contains("automatic recovery action"));
    assert_eq!(only(&e, VmRunning, "sql-1").t_ms, 60_000);
    assert_eq!(only(&e, NodeJoined, "sql-1").t_ms, 60_000);
    let first_miss = only(&e, HeartbeatsMissed, "sql-1").t_ms;
    let down = only(&e, NodeDown, "sql-1").t_ms;
    assert_eq!(down, first_miss - 1000 + 10_000);
    let starting = only(&e, RoleStarting, "sql-2");
    assert_eq!(starting.t_ms, down);
    assert_eq!(only(&e, RoleOnline, "sql-2").t_ms, down + 15_000);
    let snap = e.snapshot();
    assert_eq!(snap.clusters[0].role, Some(RoleState::Online { owner: 1 }));
    assert_eq!(snap.tiers, vec![("db".to_string(), 1000)]);
}

#[test]
fn a_guest_cluster_also_detects_the_host_failing_under_it() {
    let e = guest(vec![fault(30_000, crash("host-1"))]);
    let down = only(&e, NodeDown, "sql-1").t_ms;
    assert_eq!(only(&e, RoleOnline, "sql-2").t_ms, down + 15_000);
}

#[test]
fn a_guest_cluster_restarts_a_failed_role_in_place_first() {
    let e = guest(vec![fault(
        30_000,
        json!({"fault": "app_failure", "vm": "sql-1"}),
    )]);
    let detected = only(&e, AppDetected, "sql-1");
    assert_eq!(
        detected.t_ms, 35_000,
        "the resource health check runs every 5 s"
    );
    assert!(detected.message.contains("restarts the role in place"));
    assert_eq!(
        events(&e, RoleStarting, "sql-1").last().unwrap().t_ms,
        35_000
    );
    assert_eq!(e.snapshot().tiers, vec![("db".to_string(), 1000)]);
}

#[test]
fn host_and_guest_clusters_together_restart_the_vm_and_move_the_role() {
    // Cluster the hosts too (VMs on a CSV this time): the host cluster restarts the crashed VM
    // in place while the guest cluster moves the role; the VM then rejoins the guest cluster.
    let mut s = host_cluster(3, disk_witness(), "2016+");
    let d = &mut s["design"];
    d["vms"] = json!((1..=3).map(|i| json!({"id": format!("sql-{i}"), "hosts": [format!("host-{i}")], "storage": "csv", "nics": [{"switch": "lan"}], "memory_gb": 16})).collect::<Vec<_>>());
    d["guest_clusters"] = json!([{"id": "g", "members": ["sql-1", "sql-2", "sql-3"], "witness": {"kind": "file_share", "storage": "share"}, "role": {"name": "SQL", "tier": "db"}}]);
    add_faults(
        &mut s,
        vec![fault(30_000, json!({"fault": "vm_crash", "vm": "sql-1"}))],
    );
    let e = run(&scenario(s), 300_000);
    assert_eq!(only(&e, VmRestarting, "sql-1").t_ms, 30_000);
    assert_eq!(only(&e, VmRunning, "sql-1").t_ms, 60_000);
    let down = only(&e, NodeDown, "sql-1").t_ms;
    assert!(down < 60_000);
    assert_eq!(only(&e, NodeJoined, "sql-1").t_ms, 60_000);
    let v = e
        .snapshot()
        .vms
        .into_iter()
        .find(|v| v.id == "sql-1")
        .unwrap();
    assert_eq!((v.host.as_str(), v.state), ("host-1", VmState::Running));
}
