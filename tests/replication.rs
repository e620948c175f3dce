//! Hyper-V Replica: cycles that send what a VM wrote to its replica server in another site,
//! the age of the latest recovery point (the RPO), cycles missed when the WAN is cut, the
//! health that follows, and the catch-up when the WAN returns.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::{Engine, ReplicaHealth};
use common::*;
use serde_json::{Value, json};

/// sql on host-1 in the main site, replicated every `every_s` to dr-1 in the DR site over a
/// 100 Mbit/s WAN; it writes 60 MB a minute.
fn two_sites(every_s: u32) -> Value {
    json!({
        "name": "replica", "seed": 1,
        "design": {
            "sites": [{"id": "main"}, {"id": "dr"}],
            "hosts": [{"id": "host-1", "site": "main"}, {"id": "dr-1", "site": "dr"}],
            "switches": [{"id": "lan", "kind": "external", "site": "main"}, {"id": "lan-dr", "kind": "external", "site": "dr"}],
            "storage": [{"id": "disk-1", "kind": "local", "host": "host-1"}],
            "links": [
                {"id": "nic-1", "a": "host-1", "b": "lan"},
                {"id": "nic-dr", "a": "dr-1", "b": "lan-dr"},
                {"id": "wan", "a": "lan", "b": "lan-dr", "bandwidth_mbps": 100}
            ],
            "vms": [{"id": "sql", "tier": "db", "hosts": ["host-1"], "storage": "disk-1", "nics": [{"switch": "lan"}]}]
        },
        "faults": [],
        "recovery": {"replicas": [{"vm": "sql", "to": "dr-1", "every_s": every_s, "change_mb_per_min": 60}]}
    })
}

fn replica(e: &Engine) -> clusterlab::sim::ReplicaView {
    e.replicas().remove(0)
}

/// Every 5 minutes the cycle sends the 300 MB written since the last point; over 100 Mbit/s
/// that takes 24 s, and only when it has arrived does the replica hold the cycle's moment.
#[test]
fn a_cycle_sends_the_changes_and_the_replica_holds_the_moment_it_began() {
    let s = scenario(two_sites(300));
    let mut e = Engine::new(&s).unwrap();
    e.run_until(299_999);
    assert_eq!(replica(&e).rpo_ms, 299_999);
    e.run_until(323_999);
    // 300 MB = 2 400 Mbit at 100 Mbit/s: 24 s on the way.
    assert_eq!(
        (replica(&e).sending_since, replica(&e).rpo_ms),
        (Some(300_000), 323_999)
    );
    e.run_until(324_000);
    assert_eq!(
        (replica(&e).sending_since, replica(&e).rpo_ms),
        (None, 24_000)
    );
    assert_eq!(replica(&e).health, ReplicaHealth::Normal);
    // The next cycles send 5 minutes of changes each: the point is never older than 5 min 24 s.
    e.run_until(3_324_000);
    assert_eq!(replica(&e).rpo_ms, 24_000);
    none(&e, ReplicationMissed, "sql");
}

/// The WAN is cut from 7 to 17 minutes: the cycles at 10 and 15 minutes miss, each logged
/// with why and how old the point is; with 1 of 2 cycles missed the health turns Warning. The
/// cycle at 20 minutes sends the 15 minutes that piled up (900 MB, 72 s); the health stays
/// Warning until no more than a fifth of the interval's cycles missed (2 of 10, at 50 min).
#[test]
fn a_cut_wan_makes_cycles_miss_and_the_next_one_catches_up() {
    let mut v = two_sites(300);
    add_faults(
        &mut v,
        vec![
            fault(420_000, json!({"fault": "link_cut", "link": "wan"})),
            repair(1_020_000, json!({"fault": "link_cut", "link": "wan"})),
        ],
    );
    let e = run(&scenario(v), 3_324_000);
    let missed: Vec<(u64, &str)> = events(&e, ReplicationMissed, "sql")
        .iter()
        .map(|x| (x.t_ms, x.message.as_str()))
        .collect();
    assert_eq!(
        missed,
        [
            (
                600_000,
                "sql's replication to dr-1 missed its 5 min cycle: host-1 cannot reach the replica server dr-1. Its latest recovery point is 5 min old: an unplanned failover now would lose that much"
            ),
            (
                900_000,
                "sql's replication to dr-1 missed its 5 min cycle: host-1 cannot reach the replica server dr-1. Its latest recovery point is 10 min old: an unplanned failover now would lose that much"
            ),
        ],
        "{}",
        log_text(&e)
    );
    let back = only(&e, ReplicationResumed, "sql");
    assert_eq!(
        (back.t_ms, back.message.as_str()),
        (
            1_272_000,
            "sql's replica on dr-1 caught up: the changes of 2 missed cycle(s), sent at 20 min, arrived; it holds sql as of 20 min"
        )
    );
    let health: Vec<(u64, &str)> = events(&e, ReplicaHealthChanged, "sql")
        .iter()
        .map(|x| (x.t_ms, x.message.as_str()))
        .collect();
    assert_eq!(
        health,
        [
            (
                600_000,
                "sql's replication health is Warning: 1 of the 2 cycles of this monitoring interval missed, more than a fifth"
            ),
            (3_024_000, "sql's replication health is Normal"),
        ]
    );
    assert_eq!(
        (replica(&e).rpo_ms, replica(&e).health),
        (24_000, ReplicaHealth::Normal)
    );
}

/// Changes piling up past half the VM's disk need a resynchronization: Critical, and the first
/// cycle that gets through sends the whole disk (1 GB over 100 Mbit/s: 81.92 s).
#[test]
fn changes_past_half_the_disk_need_a_resynchronization() {
    let mut v = two_sites(30);
    v["recovery"]["replicas"][0]["disk_gb"] = json!(1);
    add_faults(
        &mut v,
        vec![
            fault(45_000, json!({"fault": "link_cut", "link": "wan"})),
            repair(590_000, json!({"fault": "link_cut", "link": "wan"})),
        ],
    );
    let e = run(&scenario(v), 700_000);
    let health: Vec<(u64, &str)> = events(&e, ReplicaHealthChanged, "sql")
        .iter()
        .map(|x| (x.t_ms, x.message.as_str()))
        .collect();
    // The point is 30 s; 512 MB at 60 MB a minute pile up by 542 s: the 570 s cycle sees it.
    assert_eq!(
        health[..2],
        [
            (
                60_000,
                "sql's replication health is Warning: 1 of the 2 cycles of this monitoring interval missed, more than a fifth"
            ),
            (
                570_000,
                "sql's replication health is Critical: the changes waiting to be sent passed half of its 1 GB disk, so the replica needs a resynchronization (the next cycle that gets through sends the whole disk)"
            ),
        ],
        "{}",
        log_text(&e)
    );
    let back = only(&e, ReplicationResumed, "sql");
    assert_eq!(
        (back.t_ms, back.message.as_str()),
        (
            681_920,
            "sql's replica on dr-1 caught up: the resynchronization, sent at 10 min, arrived; it holds sql as of 10 min"
        )
    );
}

/// A WAN too slow for what the VM writes: each cycle's changes take longer than the cycle, so
/// the next cycle finds the last still on its way and misses; the point ages.
#[test]
fn a_slow_wan_falls_behind() {
    let mut v = two_sites(30);
    v["design"]["links"][2]["bandwidth_mbps"] = json!(4);
    v["recovery"]["replicas"][0]["change_mb_per_min"] = json!(60);
    let e = run(&scenario(v), 300_000);
    // 30 MB every 30 s is 8 Mbit/s: twice what 4 Mbit/s carries (the 30 s cycle's changes take 60 s).
    let first = &events(&e, ReplicationMissed, "sql")[0];
    assert_eq!(first.t_ms, 60_000);
    assert!(
        first
            .message
            .contains("the changes of the cycle that started at 30 s are still on their way"),
        "{}",
        first.message
    );
    assert!(replica(&e).rpo_ms > 60_000, "{:?}", replica(&e));
}

/// A design replicating on 2008 R2, to a host it runs on, or every 10 minutes is refused with
/// why; a replica in the VM's own site is a warning.
#[test]
fn replication_problems_say_what_is_wrong() {
    let errors = |v: Value| -> Vec<String> {
        scenario(v)
            .validate()
            .into_iter()
            .map(|p| p.message)
            .collect()
    };
    let mut old = two_sites(300);
    old["settings"] = json!({"version": "2008r2"});
    assert!(errors(old).contains(
        &"sql cannot be replicated: Hyper-V Replica came with Windows Server 2012".to_string()
    ));
    let mut odd = two_sites(600);
    assert!(errors(odd.clone()).contains(
        &"sql's replication every 600 s: Hyper-V Replica offers 30 s, 5 min or 15 min".to_string()
    ));
    odd["recovery"]["replicas"][0]["every_s"] = json!(300);
    odd["recovery"]["replicas"][0]["to"] = json!("host-1");
    assert!(errors(odd.clone()).contains(&
        "sql's replica server host-1 is one of the hosts it runs on: a replica must be elsewhere".to_string()));
    let mut same = two_sites(300);
    same["design"]["hosts"][1]["site"] = json!("main");
    assert!(
        errors(same).contains(
            &"sql's replica server dr-1 is in the same site as sql: losing the site loses both"
                .to_string()
        )
    );
}
