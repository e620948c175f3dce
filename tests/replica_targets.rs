//! Where a replica can go besides a standalone host: Azure, through Site Recovery, and a
//! failover cluster, through its Hyper-V Replica Broker.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::{Engine, fmt_ms};
use common::*;
use serde_json::{Value, json};

/// sql on host-1 replicated by Site Recovery to the Azure site `azure` every `every_s`, over
/// a 50 Mbit/s internet link to the Azure virtual network; it writes 60 MB a minute.
fn to_azure(every_s: u32) -> Value {
    json!({
        "name": "asr", "seed": 1,
        "design": {
            "sites": [{"id": "main"}, {"id": "azure", "kind": "azure"}],
            "hosts": [{"id": "host-1", "site": "main"}],
            "switches": [{"id": "lan", "kind": "external", "site": "main"}, {"id": "vnet", "kind": "external", "site": "azure"}],
            "storage": [{"id": "disk-1", "kind": "local", "host": "host-1"}],
            "links": [
                {"id": "nic-1", "a": "host-1", "b": "lan"},
                {"id": "internet", "a": "lan", "b": "vnet", "bandwidth_mbps": 50}
            ],
            "vms": [{"id": "sql", "tier": "db", "hosts": ["host-1"], "storage": "disk-1", "nics": [{"switch": "lan"}]}]
        },
        "faults": [],
        "recovery": {"replicas": [{"vm": "sql", "to": "azure", "every_s": every_s, "change_mb_per_min": 60}]}
    })
}

/// Every 5 minutes Site Recovery sends what sql wrote, as Hyper-V Replica would: 300 MB over
/// 50 Mbit/s take 48 s.
#[test]
fn site_recovery_copies_to_azure_at_its_frequency() {
    let mut e = Engine::new(&scenario(to_azure(300))).unwrap();
    e.run_until(347_999);
    assert_eq!(e.replicas()[0].sending_since, Some(300_000));
    e.run_until(348_000);
    let r = e.replicas().remove(0);
    assert_eq!(
        (r.to.as_str(), r.rpo_ms, r.sending_since),
        ("azure", 48_000, None)
    );
}

/// The internet link is cut from 7 to 60 minutes. Site Recovery retries the network error
/// after 1, 2, 4, 8 and 10 minutes, then every 30: misses at 10, 11, 13, 17, 25 and 35
/// minutes, and the retry at 65 minutes gets through (Hyper-V Replica would have at 60).
#[test]
fn site_recovery_retries_a_network_error_with_its_back_off() {
    let mut v = to_azure(300);
    add_faults(
        &mut v,
        vec![
            fault(420_000, json!({"fault": "link_cut", "link": "internet"})),
            repair(3_600_000, json!({"fault": "link_cut", "link": "internet"})),
        ],
    );
    let e = run(&scenario(v), 4_476_000);
    let missed: Vec<u64> = (events(&e, ReplicationMissed, "sql").iter())
        .filter(|x| x.message.contains("cannot reach Azure"))
        .map(|x| x.t_ms / 60_000)
        .collect();
    assert_eq!(missed, [10, 11, 13, 17, 25, 35], "{}", log_text(&e));
    // 60 min of changes (3 600 MB) over 50 Mbit/s: 576 s.
    let resumed = only(&e, ReplicationResumed, "sql");
    assert_eq!(resumed.t_ms, 3_900_000 + 576_000);
    assert!(
        resumed
            .message
            .contains("the changes of 7 missed cycle(s), sent at 65 min"),
        "{}",
        resumed.message
    );
}

/// A planned failover to Azure: sql shuts down, its last changes arrive, nothing is lost, the
/// Azure VM starts; replication does not reverse by itself (Site Recovery re-protects as a step
/// of its own), and reversing it sends the whole disk back to host-1 first.
#[test]
fn a_planned_failover_to_azure_loses_nothing_and_waits_to_be_reprotected() {
    let v = with_ops(
        to_azure(300),
        json!([
            {"at_ms": 700_000, "op": "planned_failover", "vm": "sql"},
            {"at_ms": 1_200_000, "op": "reverse_replication", "vm": "sql"}
        ]),
    );
    let mut e = Engine::new(&scenario(v)).unwrap();
    e.run_until(1_199_999);
    let f = only(&e, ReplicaFailover, "sql");
    // 100 s of changes (100 MB) over 50 Mbit/s: 16 s.
    assert_eq!(f.t_ms, 716_000);
    assert_eq!(
        f.message,
        "sql fails over to Azure (azure), planned: its last changes arrived, nothing is lost. Site Recovery creates the Azure VM from the replica; replication stops until it is reversed (re-protected) to the old primary"
    );
    assert_eq!(vm_state(&e, "sql").0, "azure");
    assert!(e.metrics().data_lost.iter().all(|x| x.2 == 0));
    let r = e.replicas().remove(0);
    assert!(r.failed_over && r.reversible);
    e.run_until(1_200_000);
    let r = e.replicas().remove(0);
    assert_eq!(
        (r.to.as_str(), r.failed_over),
        ("host-1", false),
        "{}",
        log_text(&e)
    );
}

/// Problems with Azure targets say what is wrong.
#[test]
fn azure_targets_are_checked() {
    let problems = |v: Value| -> Vec<String> {
        scenario(v)
            .validate()
            .into_iter()
            .map(|p| p.message)
            .collect()
    };
    let mut v = to_azure(900);
    v["design"]["hosts"][0]["site"] = json!("azure");
    let p = problems(v);
    assert!(p.iter().any(|m| m == "sql's replication to Azure every 900 s: Site Recovery copies Hyper-V VMs every 30 s or 5 min"), "{p:?}");
    assert!(
        p.iter()
            .any(|m| m.starts_with("host host-1 is in azure, an Azure site")),
        "{p:?}"
    );
    let mut v = to_azure(30);
    v["recovery"]["replicas"][0]["hourly_points"] = json!(25);
    v["recovery"]["replicas"][0]["storage"] = json!("disk-1");
    let p = problems(v);
    assert!(p.iter().any(|m| m == "sql keeps recovery points 25 hours in Azure: Site Recovery keeps them at most 24 hours for Hyper-V VMs"), "{p:?}");
    assert!(p.iter().any(|m| m.starts_with("sql replicates to Azure site azure: Site Recovery keeps the replica in Azure's own disks")), "{p:?}");
    let mut v = to_azure(30);
    v["design"]["switches"][1]["site"] = json!("main");
    let p = problems(v);
    assert!(
        p.iter()
            .any(|m| m
                .starts_with("sql replicates to Azure site azure, which has no virtual network")),
        "{p:?}"
    );
    // Retention within the limit, 30 s copies: no problem.
    let mut v = to_azure(30);
    v["recovery"]["replicas"][0]["hourly_points"] = json!(24);
    assert_eq!(problems(v), Vec::<String>::new());
}

/// sql in the main site replicates to the cluster `dr` (dr-1 to dr-4 on a CSV), whose
/// Replica Broker first places the replica on dr-1.
fn to_cluster() -> Value {
    json!({
        "name": "broker", "seed": 1,
        "design": {
            "sites": [{"id": "main"}, {"id": "site-b"}],
            "hosts": [{"id": "host-1", "site": "main"}, {"id": "dr-1", "site": "site-b"}, {"id": "dr-2", "site": "site-b"}, {"id": "dr-3", "site": "site-b"}, {"id": "dr-4", "site": "site-b"}],
            "switches": [{"id": "lan", "kind": "external", "site": "main"}, {"id": "lan-b", "kind": "external", "site": "site-b"}],
            "storage": [{"id": "disk-1", "kind": "local", "host": "host-1"}, {"id": "csv-b", "kind": "csv", "site": "site-b"}],
            "links": [
                {"id": "nic-1", "a": "host-1", "b": "lan"},
                {"id": "nic-b1", "a": "dr-1", "b": "lan-b"},
                {"id": "nic-b2", "a": "dr-2", "b": "lan-b"},
                {"id": "nic-b3", "a": "dr-3", "b": "lan-b"},
                {"id": "nic-b4", "a": "dr-4", "b": "lan-b"},
                {"id": "san-b", "a": "csv-b", "b": "lan-b"},
                {"id": "wan", "a": "lan", "b": "lan-b", "bandwidth_mbps": 100}
            ],
            "clusters": [{"id": "dr", "nodes": ["dr-1", "dr-2", "dr-3", "dr-4"]}],
            "vms": [{"id": "sql", "tier": "db", "hosts": ["host-1"], "storage": "disk-1", "nics": [{"switch": "lan"}]}]
        },
        "faults": [],
        "recovery": {"replicas": [{"vm": "sql", "to": "dr", "every_s": 300, "change_mb_per_min": 60}]}
    })
}

/// dr-1 crashes at 7 min: the broker moves the replica to dr-2 and the 10 min cycle gets
/// there. The main site is lost at 12 min; sql fails over at 14 min and runs on dr-2 as a role
/// of the cluster, so when dr-2 crashes at 20 min the cluster restarts it on dr-3.
#[test]
fn a_replica_broker_keeps_the_replica_on_a_live_node_and_the_cluster_keeps_the_vm() {
    let mut v = with_ops(
        to_cluster(),
        json!([{"at_ms": 840_000, "op": "unplanned_failover", "vm": "sql"}]),
    );
    add_faults(
        &mut v,
        vec![
            fault(420_000, crash("dr-1")),
            fault(720_000, json!({"fault": "site_failure", "site": "main"})),
            fault(1_200_000, crash("dr-2")),
        ],
    );
    let mut e = Engine::new(&scenario(v)).unwrap();
    e.run_until(420_000);
    let moved = (e.events().iter())
        .find(|x| x.message.contains("Replica Broker"))
        .expect("the broker moves the replica");
    assert_eq!(
        (moved.t_ms, moved.message.as_str()),
        (
            420_000,
            "dr-1 is no longer an active node of dr: its Replica Broker moves sql's replica to dr-2, and replication carries on there"
        )
    );
    e.run_until(1_199_999);
    // The 10 min cycle's 300 MB reached dr-2 at 10 min 24 s: sql loses 1 min 36 s.
    let f = only(&e, ReplicaFailover, "sql");
    assert!(f.message.starts_with(&format!("sql fails over to its replica on dr-2, unplanned: it starts from its latest recovery point, {}", fmt_ms(600_000))), "{}", f.message);
    assert_eq!(vm_state(&e, "sql").0, "dr-2");
    e.run_until(1_800_000);
    assert_eq!(vm_state(&e, "sql").0, "dr-3", "{}", log_text(&e));
}

/// A broker's replica needs shared storage, and cannot be on the VM's own cluster.
#[test]
fn broker_targets_are_checked() {
    let mut v = to_cluster();
    v["recovery"]["replicas"][0]["storage"] = json!("disk-1");
    let p: Vec<String> = scenario(v)
        .validate()
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert!(
        p.iter()
            .any(|m| m
                .starts_with("sql's replica on cluster dr is on disk-1, one node's local disk")),
        "{p:?}"
    );
    let mut v = to_cluster();
    v["design"]["vms"][0]["hosts"] = json!(["dr-1"]);
    let p: Vec<String> = scenario(v)
        .validate()
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert!(
        p.iter().any(|m| m
            == "sql's replica cluster dr is the cluster it runs on: a replica must be elsewhere"),
        "{p:?}"
    );
}

/// The gallery's Azure sample teaches what it says: copies resume at 20 min (Site Recovery's
/// back-off), not at the 15 min repair; after the site loss sql runs in Azure, 30 s lost.
#[test]
fn the_azure_sample_resumes_after_the_back_off_and_fails_over_to_azure() {
    let e = run(&example("replica-to-azure"), 2_400_000);
    let retries: Vec<u64> = (events(&e, ReplicationMissed, "sql").iter())
        .filter(|x| x.message.contains("cannot reach Azure"))
        .map(|x| x.t_ms / 60_000)
        .collect();
    assert_eq!(retries, [5, 6, 8, 12]);
    let resumed = only(&e, ReplicationResumed, "sql");
    assert!(
        resumed.message.contains("sent at 20 min"),
        "{}",
        resumed.message
    );
    let f = only(&e, ReplicaFailover, "sql");
    assert!(
        f.message
            .contains("what it wrote in the 30 s before its primary went down at 30 min is lost"),
        "{}",
        f.message
    );
    assert_eq!(vm_state(&e, "sql").0, "azure");
}

/// dr-1 loses every NIC at 7 min: it is up but no longer an active node of `dr` (isolated),
/// and the broker moves the replica to dr-2 when the next cycle comes, at 10 min.
#[test]
fn a_replica_broker_moves_the_replica_off_an_isolated_node() {
    let mut v = to_cluster();
    add_faults(
        &mut v,
        vec![fault(
            420_000,
            json!({"fault": "host_isolation", "host": "dr-1"}),
        )],
    );
    let e = run(&scenario(v), 700_000);
    let moved = (e.events().iter())
        .find(|x| x.message.contains("Replica Broker"))
        .expect("the broker moves the replica");
    assert!(
        moved
            .message
            .starts_with("dr-1 is no longer an active node of dr"),
        "{}",
        moved.message
    );
    assert_eq!(e.replicas()[0].to, "dr-2");
    assert_eq!(
        e.replicas()[0].rpo_ms,
        700_000 - 600_000,
        "{}",
        log_text(&e)
    );
}

/// Back from Azure: after a planned failover to Azure and the re-protection, replication runs
/// from Azure to host-1 as Hyper-V Replica's would (no "cannot reach Azure"), and a planned
/// failover back to host-1 reverses it, so host-1 replicates to Azure again.
#[test]
fn a_vm_fails_back_from_azure_and_replication_turns_round_again() {
    let v = with_ops(
        to_azure(300),
        json!([
            {"at_ms": 700_000, "op": "planned_failover", "vm": "sql"},
            {"at_ms": 1_200_000, "op": "reverse_replication", "vm": "sql"},
            {"at_ms": 4_000_000, "op": "planned_failover", "vm": "sql"},
            {"at_ms": 18_000_000, "op": "planned_failover", "vm": "sql"}
        ]),
    );
    let e = run(&scenario(v), 21_000_000);
    // The first cycle back sends the whole 100 GB (4.6 h at 50 Mbit/s): no planned failover
    // until the replica is in step.
    let refused = only(&e, OperationRefused, "sql");
    assert_eq!(
        (refused.t_ms, refused.message.as_str()),
        (
            4_000_000,
            "sql's replica on host-1 needs a resynchronization first (the whole disk is being sent): a planned failover needs the replica in step, else fail over unplanned"
        )
    );
    let back = events(&e, ReplicaFailover, "sql");
    let last = back.last().unwrap();
    assert!(
        last.message.starts_with("sql fails over to host-1, planned: its last changes arrived, nothing is lost; replication is reversed, host-1 now replicates sql to azure"),
        "{}",
        log_text(&e)
    );
    assert_eq!(vm_state(&e, "sql").0, "host-1");
    assert_eq!(e.replicas()[0].to, "azure");
    assert!(!log_text(&e).contains("cannot reach Azure (host-1)"));
}
