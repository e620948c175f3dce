//! 2016+ compute resiliency: isolated nodes keep their VMs for a while; repeat offenders are
//! quarantined. Earlier versions fail VMs over at once. Site loss.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::state::{NodeState, VmState};
use common::*;
use serde_json::json;

fn isolate(h: &str) -> serde_json::Value {
    json!({"fault": "host_isolation", "host": h})
}

#[test]
fn an_isolated_node_keeps_its_vms_unmonitored_for_240_s_then_they_fail_over() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    add_faults(&mut s, vec![fault(30_000, isolate("host-2"))]);
    let e = run(&scenario(s), 400_000);
    let iso = only(&e, NodeIsolated, "host-2");
    assert!(
        iso.message
            .contains("keep running unmonitored for up to 4 min"),
        "{}",
        iso.message
    );
    assert_eq!(only(&e, VmUnmonitored, "vm-2").t_ms, iso.t_ms);
    let down = only(&e, NodeDown, "host-2");
    assert_eq!(down.t_ms, iso.t_ms + 240_000);
    let off = only(&e, VmStopped, "vm-2");
    assert_eq!(off.t_ms, down.t_ms);
    assert!(off.message.contains("past the resiliency period"));
    assert_eq!(only(&e, VmFailover, "vm-2").t_ms, down.t_ms);
}

#[test]
fn an_isolated_node_that_returns_in_time_loses_nothing() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    add_faults(
        &mut s,
        vec![
            fault(30_000, isolate("host-2")),
            repair(100_000, isolate("host-2")),
        ],
    );
    let e = run(&scenario(s), 400_000);
    only(&e, NodeIsolated, "host-2");
    assert_eq!(only(&e, NodeJoined, "host-2").t_ms, 100_000);
    assert_eq!(only(&e, VmMonitored, "vm-2").t_ms, 100_000);
    none(&e, VmStopped, "vm-2");
    none(&e, VmFailover, "vm-2");
}

#[test]
fn before_2016_an_isolated_node_stops_its_vms_at_once() {
    let mut s = host_cluster(3, disk_witness(), "2012r2");
    add_faults(&mut s, vec![fault(30_000, isolate("host-2"))]);
    let e = run(&scenario(s), 200_000);
    none(&e, NodeIsolated, "host-2");
    let down = only(&e, NodeDown, "host-2").t_ms;
    assert_eq!(only(&e, VmFailover, "vm-2").t_ms, down);
}

#[test]
fn three_isolations_in_an_hour_quarantine_the_node_and_drain_it() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    let mut faults = Vec::new();
    for k in 0..3u64 {
        faults.push(fault(60_000 + k * 300_000, isolate("host-2")));
        faults.push(repair(120_000 + k * 300_000, isolate("host-2")));
    }
    add_faults(&mut s, faults);
    let e = run(&scenario(s), 1_200_000);
    assert_eq!(events(&e, NodeIsolated, "host-2").len(), 3);
    let q = only(&e, NodeQuarantined, "host-2");
    assert_eq!(q.t_ms, 720_000);
    assert!(q.message.contains("isolated 3 times within an hour"));
    let mig = only(&e, VmMigrating, "vm-2");
    assert_eq!(mig.t_ms, 720_000);
    assert!(mig.message.contains("no downtime"));
    let snap = e.snapshot();
    let node = &snap.clusters[0].nodes[1];
    assert_eq!(
        node.state,
        NodeState::Quarantined {
            until: 720_000 + 7_200_000
        }
    );
    let vm2 = snap.vms.iter().find(|v| v.id == "vm-2").unwrap();
    assert_ne!(vm2.host, "host-2");
    assert_eq!(vm2.state, VmState::Running);
}

#[test]
fn a_lost_site_takes_its_hosts_and_storage_and_the_other_site_carries_on() {
    let mut s = host_cluster(4, json!({"kind": "cloud"}), "2016+");
    let d = &mut s["design"];
    d["sites"] = json!([{"id": "east"}, {"id": "west"}]);
    for (i, site) in [(0, "east"), (1, "east"), (2, "west"), (3, "west")] {
        d["hosts"][i]["site"] = json!(site);
    }
    add_faults(
        &mut s,
        vec![fault(
            30_000,
            json!({"fault": "site_failure", "site": "east"}),
        )],
    );
    let e = run(&scenario(s), 200_000);
    // Cross-site pairs: 2016+ uses 1 s x 20 for them. Two of four nodes + the cloud witness.
    let kept = only(&e, QuorumKept, "hv");
    assert!(
        kept.message.contains("3 of 5 votes (with the witness)"),
        "{}",
        log_text(&e)
    );
    let misses = [
        events(&e, HeartbeatsMissed, "host-1"),
        events(&e, HeartbeatsMissed, "host-2"),
    ]
    .concat();
    let first_miss = misses.iter().map(|x| x.t_ms).min().unwrap();
    assert_eq!(kept.t_ms, first_miss - 1000 + 20_000);
    for vm in ["vm-1", "vm-2"] {
        let v = e.snapshot().vms.into_iter().find(|v| v.id == vm).unwrap();
        assert!(v.host == "host-3" || v.host == "host-4");
    }
}
