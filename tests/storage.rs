//! Storage: CSV redirected I/O, Paused-Critical (2016+) versus crashing (earlier versions).

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::state::VmState;
use common::*;
use serde_json::json;

#[test]
fn a_node_that_loses_its_csv_path_keeps_running_through_redirected_io() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    let cut = json!({"fault": "link_cut", "link": "fc-2"});
    add_faults(
        &mut s,
        vec![fault(30_000, cut.clone()), repair(90_000, cut)],
    );
    let e = run(&scenario(s), 120_000);
    let r = only(&e, VmRedirectedIo, "vm-2");
    assert_eq!(r.t_ms, 30_000);
    assert!(
        r.message.contains("through the coordinator host-1"),
        "{}",
        r.message
    );
    assert_eq!(only(&e, VmDirectIo, "vm-2").t_ms, 90_000);
    none(&e, VmStopped, "vm-2");
    none(&e, VmPaused, "vm-2");
}

#[test]
fn losing_the_storage_itself_pauses_vms_in_2016_and_they_resume() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    let lost = json!({"fault": "storage_failure", "storage": "csv"});
    add_faults(
        &mut s,
        vec![fault(30_000, lost.clone()), repair(100_000, lost)],
    );
    let e = run(&scenario(s), 120_000);
    for vm in ["vm-1", "vm-2", "vm-3"] {
        assert!(only(&e, VmPaused, vm).message.contains("Paused-Critical"));
        let resumed = only(&e, VmResumed, vm);
        assert_eq!(resumed.t_ms, 100_000);
        assert!(resumed.message.contains("paused for 70 s"));
        assert_eq!(vm_state(&e, vm).1, VmState::Running);
    }
}

#[test]
fn paused_critical_vms_are_turned_off_after_30_minutes() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    add_faults(
        &mut s,
        vec![fault(
            30_000,
            json!({"fault": "storage_failure", "storage": "csv"}),
        )],
    );
    let e = run(&scenario(s), 2_000_000);
    let off = only(&e, VmStopped, "vm-1");
    assert_eq!(off.t_ms, 30_000 + 1_800_000);
    assert_eq!(
        only(&e, VmNotRestarted, "vm-1").message,
        "vm-1 was not restarted: no surviving node can reach its disks on csv"
    );
}

#[test]
fn before_2016_losing_storage_crashes_the_vms() {
    let mut s = host_cluster(3, disk_witness(), "2012r2");
    add_faults(
        &mut s,
        vec![fault(
            30_000,
            json!({"fault": "storage_failure", "storage": "csv"}),
        )],
    );
    let e = run(&scenario(s), 120_000);
    let crash = only(&e, VmStopped, "vm-1");
    assert_eq!(
        crash.message,
        "vm-1 crashed: it lost access to its disks on csv"
    );
    assert_eq!(crash.t_ms, 30_000);
    none(&e, VmPaused, "vm-1");
    assert_eq!(only(&e, VmNotRestarted, "vm-1").t_ms, 30_000);
}

#[test]
fn a_vm_on_a_lun_only_one_node_reaches_moves_to_a_node_that_reaches_it() {
    // A plain SAN LUN (not a CSV) cabled to host-1 and host-3 only; host-1 loses its cable.
    let mut s = host_cluster(3, disk_witness(), "2012r2");
    s["design"]["storage"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "lun-2", "kind": "san"}));
    let links = s["design"]["links"].as_array_mut().unwrap();
    links.push(json!({"id": "fc-l1", "a": "host-1", "b": "lun-2"}));
    links.push(json!({"id": "fc-l3", "a": "host-3", "b": "lun-2"}));
    s["design"]["vms"][0]["storage"] = json!("lun-2");
    add_faults(
        &mut s,
        vec![fault(30_000, json!({"fault": "link_cut", "link": "fc-l1"}))],
    );
    let e = run(&scenario(s), 120_000);
    only(&e, VmStopped, "vm-1");
    let moved = only(&e, VmFailover, "vm-1");
    assert_eq!(moved.t_ms, 30_000);
    assert_eq!(
        vm_state(&e, "vm-1"),
        ("host-3".to_string(), VmState::Running)
    );
}

#[test]
fn losing_the_disk_witness_takes_away_its_vote() {
    // Four nodes: the witness votes (even). When its LUN fails, dynamic witness drops it
    // and one node gives up its vote instead, so the total stays odd.
    let mut s = host_cluster(4, disk_witness(), "2016+");
    add_faults(
        &mut s,
        vec![fault(
            30_000,
            json!({"fault": "storage_failure", "storage": "lun"}),
        )],
    );
    let e = run(&scenario(s), 60_000);
    let v = only(&e, VotesChanged, "hv");
    assert_eq!(v.t_ms, 30_000);
    assert!(
        v.message
            .contains("the witness is unreachable and has no vote"),
        "{}",
        v.message
    );
    assert!(v.message.contains("(3 votes in all)"), "{}", v.message);
}
