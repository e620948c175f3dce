//! NLB: heartbeats, convergence, redistribution by weight and affinity, requests lost in the gap.

mod common;
use clusterlab::sim::Engine;
use clusterlab::sim::EventKind::*;
use common::*;
use serde_json::{Value, json};

/// Three web VMs on three standalone hosts, in one NLB cluster, 600 requests per second.
fn web_farm(affinity: &str, members: Value, client_ips: u32) -> Value {
    json!({
        "name": "nlb", "seed": 3,
        "design": {
            "hosts": [{"id": "host-1"}, {"id": "host-2"}, {"id": "host-3"}],
            "switches": [{"id": "lan", "kind": "external"}],
            "storage": [{"id": "l1", "kind": "local", "host": "host-1"}, {"id": "l2", "kind": "local", "host": "host-2"}, {"id": "l3", "kind": "local", "host": "host-3"}],
            "links": [{"id": "n1", "a": "host-1", "b": "lan"}, {"id": "n2", "a": "host-2", "b": "lan"}, {"id": "n3", "a": "host-3", "b": "lan"}],
            "vms": [
                {"id": "web-1", "tier": "web", "hosts": ["host-1"], "storage": "l1", "nics": [{"switch": "lan", "mac_spoofing": true}]},
                {"id": "web-2", "tier": "web", "hosts": ["host-2"], "storage": "l2", "nics": [{"switch": "lan", "mac_spoofing": true}]},
                {"id": "web-3", "tier": "web", "hosts": ["host-3"], "storage": "l3", "nics": [{"switch": "lan", "mac_spoofing": true}]}
            ],
            "nlb_clusters": [{"id": "nlb", "members": members, "affinity": affinity}],
            "clients": [{"id": "users", "tier": "web", "requests_per_second": 600, "client_ips": client_ips}]
        },
        "faults": []
    })
}

fn equal_members() -> Value {
    json!([{"vm": "web-1", "priority": 1}, {"vm": "web-2", "priority": 2}, {"vm": "web-3", "priority": 3}])
}

fn member_rps(e: &Engine) -> Vec<u64> {
    e.snapshot().nlbs[0]
        .members
        .iter()
        .map(|m| m.requests_per_second)
        .collect()
}

#[test]
fn a_failed_member_is_converged_out_and_its_share_lost_until_then() {
    let mut s = web_farm("none", equal_members(), 1000);
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    let sc = scenario(s);
    let e = run(&sc, 120_000);
    assert_eq!(e.metrics().at(0).unwrap().served_rps, 600);
    let start = only(&e, NlbConvergenceStarted, "nlb").t_ms;
    let done = only(&e, NlbConverged, "nlb");
    // 5 missed heartbeats 1 s apart, then 3 s of convergence.
    assert!(
        start > 30_000 + 4_000 && start <= 30_000 + 5_000,
        "{}",
        log_text(&e)
    );
    assert_eq!(done.t_ms, start + 3_000);
    assert_eq!(
        done.message,
        "NLB cluster nlb converged after 3 s: web-2 50%, web-3 50%"
    );
    // During the gap the failed member's third of the traffic is dropped; afterwards none is.
    let gap = e.metrics().at(31_000).unwrap();
    assert_eq!((gap.served_rps, gap.dropped_rps), (400, 200));
    let after = e.metrics().at(done.t_ms).unwrap();
    assert_eq!((after.served_rps, after.dropped_rps), (600, 0));
    assert_eq!(member_rps(&e), [0, 300, 300]);
    let (_, dropped) = e.metrics().requests_until(120_000);
    assert_eq!(dropped, 200 * (done.t_ms - 30_000) / 1000);
}

#[test]
fn load_weights_split_the_buckets() {
    let members = json!([{"vm": "web-1", "priority": 1, "weight": 50}, {"vm": "web-2", "priority": 2, "weight": 25}, {"vm": "web-3", "priority": 3, "weight": 25}]);
    let e = run(&scenario(web_farm("none", members, 1000)), 10_000);
    let buckets: Vec<u32> = e.snapshot().nlbs[0]
        .members
        .iter()
        .map(|m| m.buckets)
        .collect();
    assert_eq!(buckets, [30, 15, 15]);
    assert_eq!(member_rps(&e), [300, 150, 150]);
}

#[test]
fn single_affinity_with_one_client_address_sends_everything_to_one_member() {
    // Everyone behind one proxy: one client IP, one bucket, one member does all the work.
    let e = run(&scenario(web_farm("single", equal_members(), 1)), 10_000);
    let mut rps = member_rps(&e);
    rps.sort_unstable();
    assert_eq!(rps, [0, 0, 600]);
    // Many clients spread out (not exactly evenly: it is a hash).
    let e = run(
        &scenario(web_farm("single", equal_members(), 10_000)),
        10_000,
    );
    assert!(
        member_rps(&e).iter().all(|&r| (150..=250).contains(&r)),
        "{:?}",
        member_rps(&e)
    );
}

#[test]
fn nlb_keeps_sending_a_member_with_a_broken_application_its_share() {
    let mut s = web_farm("none", equal_members(), 1000);
    add_faults(
        &mut s,
        vec![fault(
            30_000,
            json!({"fault": "app_failure", "vm": "web-2"}),
        )],
    );
    let e = run(&scenario(s), 120_000);
    assert!(
        only(&e, AppFailed, "web-2")
            .message
            .contains("NLB keeps sending it its share")
    );
    none(&e, NlbConvergenceStarted, "nlb");
    let m = e.metrics().at(120_000).unwrap();
    assert_eq!((m.served_rps, m.dropped_rps), (400, 200));
}

#[test]
fn a_returning_member_triggers_convergence_and_gets_its_share_back() {
    let mut s = web_farm("none", equal_members(), 1000);
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-1")),
            repair(60_000, crash("host-1")),
        ],
    );
    let e = run(&scenario(s), 200_000);
    // Standalone host: Automatic Start Action boots the VM (30 s), then NLB converges it in.
    assert_eq!(only(&e, VmRunning, "web-1").t_ms, 90_000);
    let started = events(&e, NlbConvergenceStarted, "nlb");
    assert_eq!(started.len(), 2);
    assert!(started[1].message.contains("web-1 is up and joining"));
    assert_eq!(member_rps(&e), [200, 200, 200]);
}

#[test]
fn a_duplicate_host_priority_keeps_the_cluster_from_ever_converging() {
    let members = json!([{"vm": "web-1", "priority": 1}, {"vm": "web-2", "priority": 2}, {"vm": "web-3", "priority": 2}]);
    let s = web_farm("none", members, 1000);
    let sc = scenario(s);
    assert!(
        sc.validate()
            .iter()
            .any(|p| p.message.contains("share host priority 2"))
    );
    let e = run(&sc, 120_000);
    // From the start: no bucket map, so nobody handles traffic and every request is lost.
    let stuck = only(&e, NlbConvergenceStuck, "nlb");
    assert_eq!(stuck.t_ms, 0);
    assert!(
        stuck
            .message
            .contains("web-2 and web-3 share host priority 2"),
        "{}",
        stuck.message
    );
    none(&e, NlbConverged, "nlb");
    let m = e.metrics().at(120_000).unwrap();
    assert_eq!((m.served_rps, m.dropped_rps), (0, 600));
    let snap = e.snapshot();
    assert!(snap.nlbs[0].stuck);
}

#[test]
fn unicast_without_mac_spoofing_cuts_the_member_off() {
    // Unicast NLB replaces the NIC's MAC with the cluster's; Hyper-V drops those frames unless
    // MAC address spoofing is on. web-2 has it off: it neither heartbeats nor serves.
    let mut s = web_farm("none", equal_members(), 1000);
    s["design"]["vms"][1]["nics"][0]["mac_spoofing"] = json!(false);
    let e = run(&scenario(s), 60_000);
    let cut = only(&e, NlbMemberCutOff, "web-2");
    assert_eq!(cut.t_ms, 0);
    assert!(
        cut.message.contains("without MAC address spoofing"),
        "{}",
        cut.message
    );
    assert_eq!(member_rps(&e), [300, 0, 300]);
    let m = e.metrics().at(60_000).unwrap();
    assert_eq!((m.served_rps, m.dropped_rps), (600, 0));
    assert!(e.snapshot().nlbs[0].members[1].cut_off);
}
