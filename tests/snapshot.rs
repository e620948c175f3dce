//! What the page will draw: pulses on their paths, missed counters, votes, host use, metrics.

mod common;
use clusterlab::sim::Engine;
use clusterlab::sim::state::NodeState;
use common::*;
use serde_json::json;

#[test]
fn heartbeats_travel_along_the_cabled_path_and_stop_where_it_is_cut() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    add_faults(
        &mut s,
        vec![fault(30_000, json!({"fault": "link_cut", "link": "nic-2"}))],
    );
    let mut e = Engine::new(&scenario(s)).unwrap();
    e.run_until(20_000);
    // Over one second every ordered pair sends once: 6 pulses, each host -> lan -> host.
    let mut seen = std::collections::BTreeSet::new();
    for t in (20_000..21_000).step_by(50) {
        e.run_until(t);
        for hb in e.snapshot().heartbeats {
            assert_eq!(hb.path.len(), 3);
            assert_eq!(hb.path[1], "lan");
            assert_eq!(
                (hb.path[0].as_str(), hb.path[2].as_str()),
                (hb.from.as_str(), hb.to.as_str())
            );
            assert!(hb.progress_permille < 1000);
            assert_eq!(hb.stops_at, None);
            seen.insert((hb.from, hb.to));
        }
    }
    assert_eq!(seen.len(), 6);
    // After the cut, pulses to and from host-2 stop at the cut cable: host-2 -> lan is index 1.
    e.run_until(33_000);
    let mut stopped = 0;
    for t in (33_000..34_000).step_by(50) {
        e.run_until(t);
        for hb in e.snapshot().heartbeats {
            if hb.from == "host-2" || hb.to == "host-2" {
                assert_eq!(
                    hb.stops_at,
                    Some(if hb.from == "host-2" { 1 } else { 2 }),
                    "{hb:?}"
                );
                stopped += 1;
            } else {
                assert_eq!(hb.stops_at, None);
            }
        }
    }
    assert!(stopped > 0);
    // Missed counters climb towards the threshold, shown on the node.
    let node = e.snapshot().clusters[0]
        .nodes
        .iter()
        .find(|n| n.id == "host-2")
        .unwrap()
        .clone();
    assert_eq!(node.threshold, 10);
    assert!((3..10).contains(&node.missed), "{node:?}");
    assert_eq!(node.state, NodeState::Up);
}

#[test]
fn votes_and_host_use_are_in_the_snapshot() {
    let mut s = host_cluster(4, disk_witness(), "2016+");
    add_faults(&mut s, vec![fault(30_000, crash("host-4"))]);
    let mut e = Engine::new(&scenario(s)).unwrap();
    e.run_until(1);
    let snap = e.snapshot();
    let c = &snap.clusters[0];
    assert_eq!(
        (c.votes_total, c.witness_vote, c.has_quorum),
        (5, true, true)
    );
    assert_eq!(snap.hosts[0].memory_used_gb, 16);
    // 2 vCPU x 20 % on 32 logical processors.
    assert_eq!(snap.hosts[0].cpu_pct, 1);
    e.run_until(120_000);
    let snap = e.snapshot();
    let c = &snap.clusters[0];
    assert_eq!((c.votes_total, c.witness_vote), (3, false));
    assert!(!snap.hosts[3].up);
    // vm-4 fails over once the 240 s resiliency period is over.
    e.run_until(330_000);
    let snap = e.snapshot();
    assert_eq!(
        snap.hosts.iter().map(|h| h.memory_used_gb).sum::<u64>(),
        64,
        "vm-4 runs elsewhere"
    );
    assert_eq!(snap.tiers, vec![("app".to_string(), 1000)]);
    // Availability dipped to 75 % from the crash until vm-4 booted again.
    let m = e.metrics();
    assert_eq!(m.at(30_000).unwrap().availability_permille, vec![750]);
    assert_eq!(m.at(29_999).unwrap().availability_permille, vec![1000]);
}

#[test]
fn guest_cluster_members_on_different_vlans_cannot_hear_each_other() {
    let mut s: serde_json::Value =
        serde_json::from_str(include_str!("../examples/guest-cluster.json")).unwrap();
    s["design"]["vms"][1]["nics"][0]["vlan"] = json!(20);
    s["faults"] = json!([]);
    let e = run(&scenario(s), 60_000);
    let formed = &e.events()[0];
    assert!(
        formed
            .message
            .contains("formed with 2 of 3 nodes (sql-1, sql-3)"),
        "{}",
        formed.message
    );
}

#[test]
fn a_network_partition_stops_the_minority_side() {
    // Two hosts on site a, one on site b (own switch joined by an uplink); 2012 R2, no witness.
    let mut s = host_cluster(3, no_witness(), "2012r2");
    let d = &mut s["design"];
    d["sites"] = json!([{"id": "a"}, {"id": "b"}]);
    d["hosts"][0]["site"] = json!("a");
    d["hosts"][1]["site"] = json!("a");
    d["hosts"][2]["site"] = json!("b");
    d["switches"] = json!([{"id": "lan", "kind": "external", "site": "a"}, {"id": "lan-b", "kind": "external", "site": "b"}]);
    let links = d["links"].as_array_mut().unwrap();
    links.retain(|l| l["id"] != "nic-3");
    links.push(json!({"id": "nic-3", "a": "host-3", "b": "lan-b"}));
    links.push(json!({"id": "uplink", "a": "lan", "b": "lan-b"}));
    // vm-3 needs a switch host-3 has.
    d["vms"][2]["nics"] = json!([{"switch": "lan-b"}]);
    let partition = json!({"fault": "partition", "a": ["a"], "b": ["b"]});
    add_faults(
        &mut s,
        vec![fault(30_000, partition.clone()), repair(120_000, partition)],
    );
    let e = run(&scenario(s), 200_000);
    let down = only(&e, clusterlab::sim::EventKind::NodeDown, "host-3");
    assert!(down.message.contains("partition without quorum"));
    // vm-3 cannot move: no node on site a has its switch. It stays off until host-3 rejoins.
    let why = only(&e, clusterlab::sim::EventKind::VmNotRestarted, "vm-3");
    assert_eq!(
        why.message,
        "vm-3 was not restarted: no surviving node has its virtual switch lan-b"
    );
    assert_eq!(
        only(&e, clusterlab::sim::EventKind::NodeJoined, "host-3").t_ms,
        120_000
    );
    let restart = e
        .events()
        .iter()
        .find(|x| x.t_ms == 120_000 && x.subjects[0] == "vm-3")
        .unwrap();
    assert_eq!(
        restart.message,
        "vm-3 starts again on host-3 (cold boot, 30 s)"
    );
}
