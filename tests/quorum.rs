//! Quorum with node votes, a witness, dynamic quorum and dynamic witness: the table of
//! notes/clustering-semantics.md, row by row.

mod common;
use clusterlab::sim::EventKind::*;
use common::*;
use serde_json::{Value, json};

/// Crashes `failures` (each inner list at once, lists 60 s apart); returns whether the cluster
/// still has quorum at the end, and the engine.
fn survives(
    n: usize,
    witness: Value,
    lower: Option<&str>,
    failures: &[&[&str]],
) -> (bool, clusterlab::sim::Engine) {
    let mut s = host_cluster(n, witness, "2016+");
    if let Some(l) = lower {
        s["design"]["clusters"][0]["lower_quorum_priority_node"] = json!(l);
    }
    let mut faults = Vec::new();
    for (i, group) in failures.iter().enumerate() {
        for h in group.iter() {
            faults.push(fault(30_000 + 60_000 * i as u64, crash(h)));
        }
    }
    add_faults(&mut s, faults);
    let e = run(
        &scenario(s),
        30_000 + 60_000 * failures.len() as u64 + 30_000,
    );
    (e.snapshot().clusters[0].has_quorum, e)
}

#[test]
fn two_nodes_survive_one_failure_only_if_the_survivor_holds_the_vote() {
    // host-2 is the node whose vote is removed to keep the count odd.
    assert!(survives(2, no_witness(), Some("host-2"), &[&["host-2"]]).0);
    let (ok, e) = survives(2, no_witness(), Some("host-2"), &[&["host-1"]]);
    assert!(!ok);
    let lost = only(&e, QuorumLost, "hv");
    assert!(lost.message.contains("0 of 1 votes"), "{}", lost.message);
}

#[test]
fn two_nodes_and_a_witness_survive_one_failure_not_two() {
    assert!(survives(2, disk_witness(), None, &[&["host-1"]]).0);
    assert!(!survives(2, disk_witness(), None, &[&["host-1"], &["host-2"]]).0);
    assert!(!survives(2, disk_witness(), None, &[&["host-1", "host-2"]]).0);
}

#[test]
fn three_nodes_survive_one_then_a_second_depends_on_the_vote() {
    assert!(survives(3, no_witness(), None, &[&["host-3"]]).0);
    // After host-3 goes, two nodes remain and host-2 (lower priority) loses its vote.
    assert!(survives(3, no_witness(), Some("host-2"), &[&["host-3"], &["host-2"]]).0);
    assert!(!survives(3, no_witness(), Some("host-2"), &[&["host-3"], &["host-1"]]).0);
    assert!(!survives(3, no_witness(), None, &[&["host-2", "host-3"]]).0);
}

#[test]
fn three_nodes_and_a_witness_survive_two_sequential_failures_not_two_at_once() {
    let (ok, e) = survives(3, disk_witness(), None, &[&["host-3"], &["host-2"]]);
    assert!(ok, "{}", log_text(&e));
    // The witness starts voting once two nodes are left (even), and that carries the second failure.
    let votes: Vec<_> = events(&e, VotesChanged, "hv")
        .into_iter()
        .filter(|x| x.message.contains("witness votes"))
        .collect();
    assert!(!votes.is_empty(), "{}", log_text(&e));
    assert!(!survives(3, disk_witness(), None, &[&["host-2", "host-3"]]).0);
}

#[test]
fn four_nodes_survive_two_sequential_and_two_at_once_only_with_the_right_pair() {
    assert!(survives(4, no_witness(), None, &[&["host-4"], &["host-3"]]).0);
    // host-4 holds no vote: losing it with another leaves 2 of 3 votes.
    assert!(survives(4, no_witness(), Some("host-4"), &[&["host-3", "host-4"]]).0);
    assert!(!survives(4, no_witness(), Some("host-4"), &[&["host-1", "host-2"]]).0);
}

#[test]
fn four_nodes_and_a_witness_survive_two_at_once() {
    let (ok, e) = survives(4, disk_witness(), None, &[&["host-1", "host-2"]]);
    assert!(ok, "{}", log_text(&e));
    let kept = only(&e, QuorumKept, "hv");
    assert!(
        kept.message.contains("3 of 5 votes (with the witness)"),
        "{}",
        kept.message
    );
}

#[test]
fn dynamic_quorum_lets_a_cluster_shrink_to_its_last_node() {
    let (ok, e) = survives(
        4,
        disk_witness(),
        None,
        &[&["host-4"], &["host-3"], &["host-2"]],
    );
    assert!(ok, "{}", log_text(&e));
}

/// Four nodes and a witness with static votes (`settings` apply); host-4, host-3 and host-2
/// crash 60 s apart. Returns the engine after it has checked the votes never changed and the
/// third failure stopped the cluster with 2 of 5 votes.
fn three_sequential_failures_with_static_votes(settings: Value) -> clusterlab::sim::Engine {
    let mut s = host_cluster(4, disk_witness(), "2008r2");
    s["settings"] = settings;
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-4")),
            fault(90_000, crash("host-3")),
            fault(150_000, crash("host-2")),
        ],
    );
    let e = run(&scenario(s), 200_000);
    none(&e, VotesChanged, "hv");
    let lost = only(&e, QuorumLost, "hv");
    assert!(lost.t_ms > 150_000);
    assert!(lost.message.contains("2 of 5 votes"), "{}", lost.message);
    e
}

#[test]
fn without_dynamic_quorum_2008_r2_keeps_static_votes() {
    // 2008 R2: four nodes and a witness, votes never shrink: after two sequential failures
    // 2 nodes + witness = 3 of 5 still hold; a third failure leaves 2 of 5 and stops it.
    three_sequential_failures_with_static_votes(json!({"version": "2008r2"}));
}

#[test]
fn a_lost_quorum_stops_every_role_and_comes_back_with_the_nodes() {
    let mut s = host_cluster(3, no_witness(), "2016+");
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-2")),
            fault(30_000, crash("host-3")),
            repair(120_000, crash("host-2")),
        ],
    );
    let e = run(&scenario(s), 300_000);
    let lost = only(&e, QuorumLost, "hv");
    let stop = only(&e, VmStopped, "vm-1");
    assert_eq!(stop.t_ms, lost.t_ms);
    let back = only(&e, QuorumRegained, "hv");
    assert_eq!(back.t_ms, 120_000);
    // With quorum back, the cluster restarts its roles on the two nodes it has.
    let vm3 = e
        .snapshot()
        .vms
        .into_iter()
        .find(|v| v.id == "vm-3")
        .unwrap();
    assert_eq!(
        vm3.state,
        clusterlab::sim::state::VmState::Running,
        "{}",
        log_text(&e)
    );
}

#[test]
fn a_partition_is_decided_by_the_witness() {
    // Two sites of two hosts each; the file share witness sits in a third site that both reach.
    let mut s = host_cluster(
        4,
        json!({"kind": "file_share", "storage": "share"}),
        "2012r2",
    );
    let d = &mut s["design"];
    d["sites"] = json!([{"id": "a"}, {"id": "b"}, {"id": "c"}]);
    for (i, site) in [(0, "a"), (1, "a"), (2, "b"), (3, "b")] {
        d["hosts"][i]["site"] = json!(site);
    }
    d["switches"] = json!([{"id": "lan", "kind": "external", "site": "a"}, {"id": "lan-b", "kind": "external", "site": "b"}]);
    let links = d["links"].as_array_mut().unwrap();
    links.retain(|l| !["nic-3", "nic-4", "share-nic"].contains(&l["id"].as_str().unwrap()));
    // The share is reached from both sites; a storage never forwards traffic between them.
    links.extend([
        json!({"id": "nic-3", "a": "host-3", "b": "lan-b"}),
        json!({"id": "nic-4", "a": "host-4", "b": "lan-b"}),
        json!({"id": "a-b", "a": "lan", "b": "lan-b"}),
        json!({"id": "share-a", "a": "share", "b": "lan"}),
        json!({"id": "share-b", "a": "share", "b": "lan-b"}),
    ]);
    d["storage"][2]["site"] = json!("c");
    add_faults(
        &mut s,
        vec![fault(30_000, json!({"fault": "link_cut", "link": "a-b"}))],
    );
    let e = run(&scenario(s), 200_000);
    // Cross-site heartbeats: 2012 R2 uses 1 s x 5. One side wins the witness race, 3 of 5.
    let kept = only(&e, QuorumKept, "hv");
    assert!(
        kept.message.contains("3 of 5 votes (with the witness)"),
        "{}",
        log_text(&e)
    );
    let snap = e.snapshot();
    let up: Vec<_> = snap.clusters[0]
        .nodes
        .iter()
        .filter(|n| n.state == clusterlab::sim::state::NodeState::Up)
        .map(|n| n.id.clone())
        .collect();
    assert_eq!(up.len(), 2, "{}", log_text(&e));
    assert!(up == ["host-1", "host-2"] || up == ["host-3", "host-4"]);
}

#[test]
fn dynamic_quorum_can_be_turned_off_in_2016() {
    // DynamicQuorum 0: the same three sequential failures leave 2 of 5 static votes.
    let e = three_sequential_failures_with_static_votes(json!({
        "version": "2016+",
        "dynamic_quorum": false,
        "resiliency_level": "isolate_on_special_heartbeat"
    }));
    assert!(
        only(&e, ClusterFormed, "hv")
            .message
            .contains("static votes: dynamic quorum is off")
    );
}

#[test]
fn two_nodes_and_a_witness_stop_when_the_witness_goes_after_a_node() {
    // Votes are never adjusted below three with a witness: after host-2 fails, host-1 and the
    // witness hold 2 of 3 votes (host-2 keeps its vote), so losing the witness stops the cluster.
    let mut s = host_cluster(2, disk_witness(), "2016+");
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-2")),
            fault(
                120_000,
                json!({"fault": "storage_failure", "storage": "lun"}),
            ),
        ],
    );
    let e = run(&scenario(s), 200_000);
    let kept = only(&e, QuorumKept, "hv");
    assert!(kept.message.contains("2 of 3 votes"), "{}", kept.message);
    let votes = only(&e, VotesChanged, "hv");
    assert!(
        votes.message.contains("host-2 is down but keeps its vote")
            && votes.message.contains("never adjusted below three"),
        "{}",
        votes.message
    );
    let lost = only(&e, QuorumLost, "hv");
    assert_eq!(lost.t_ms, 120_000);
    assert!(lost.message.contains("1 of 3 votes"), "{}", lost.message);
    assert!(!e.snapshot().clusters[0].has_quorum);
}

#[test]
fn the_log_says_who_holds_the_votes_from_formation_on() {
    let (_, e) = survives(2, no_witness(), Some("host-2"), &[]);
    let formed = only(&e, ClusterFormed, "hv");
    assert!(
        formed
            .message
            .contains("votes: host-1 votes; host-2 has no vote (DynamicWeight 0) so the total stays odd (1 vote in all)"),
        "{}",
        formed.message
    );
    let (_, e) = survives(2, disk_witness(), None, &[]);
    assert!(
        only(&e, ClusterFormed, "hv")
            .message
            .contains("the witness votes because the node votes are even (3 votes in all)")
    );
}

/// The witness fails on its own (its LUN, share or blob unreachable), then a node crashes.
fn witness_then_crash(crashed: &str) -> (bool, clusterlab::sim::Engine) {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["design"]["clusters"][0]["lower_quorum_priority_node"] = json!("host-1");
    add_faults(
        &mut s,
        vec![
            fault(30_000, json!({"fault": "witness_failure", "cluster": "hv"})),
            fault(90_000, crash(crashed)),
        ],
    );
    let e = run(&scenario(s), 150_000);
    (e.snapshot().clusters[0].has_quorum, e)
}

#[test]
fn a_failed_witness_loses_its_vote_and_two_nodes_then_survive_only_the_right_crash() {
    // Dynamic witness: the unreachable witness has no vote; dynamic quorum then takes the
    // lower-priority node's vote so the count stays odd (one vote, host-2's).
    let (ok, e) = witness_then_crash("host-1");
    assert!(ok);
    let votes = events(&e, VotesChanged, "hv")[0];
    assert_eq!(votes.t_ms, 30_000);
    assert!(
        votes
            .message
            .contains("the witness is unreachable and has no vote"),
        "{}",
        votes.message
    );
    none(&e, QuorumLost, "hv");
    // The node that kept the only vote crashing takes the cluster down.
    let (ok, e) = witness_then_crash("host-2");
    assert!(!ok);
    assert!(only(&e, QuorumLost, "hv").t_ms > 90_000);
}
