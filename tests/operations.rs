//! Planned operations from the script: live and quick migration on demand, pause and drain,
//! resume with and without failback, graceful shutdown (vote hand-over) and start. Exact times.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::migration::{precopy, quick};
use clusterlab::sim::state::VmState;
use common::*;
use serde_json::{Value, json};

fn op(at_ms: u64, v: Value) -> Value {
    let mut o = v;
    o["at_ms"] = json!(at_ms);
    o
}

fn add_ops(s: &mut Value, ops: Vec<Value>) {
    s["operations"] = json!(ops);
}

fn live(vm: &str, to: &str) -> Value {
    json!({"op": "live_migrate", "vm": vm, "to": to})
}

fn host_op(kind: &str, host: &str) -> Value {
    json!({"op": kind, "host": host})
}

/// The app tier's availability (permille) at `t`.
fn app_at(e: &clusterlab::sim::Engine, t: u64) -> u32 {
    e.metrics().at(t).unwrap().availability_permille[0]
}

#[test]
fn a_live_migration_on_demand_copies_memory_while_the_vm_runs_and_loses_nothing() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    add_ops(&mut s, vec![op(10_000, live("vm-1", "host-2"))]);
    let e = run(&scenario(s), 60_000);
    let copy = precopy(16, 10, 50);
    assert_eq!(copy.total_ms(), 13_533);
    let started = only(&e, VmMigrating, "vm-1");
    assert_eq!(started.t_ms, 10_000);
    assert!(
        started.message.starts_with(
            "vm-1 is live-migrated by the administrator: live migration to host-2 copies 16 GB"
        ),
        "{}",
        started.message
    );
    assert_eq!(only(&e, VmMigrated, "vm-1").t_ms, 10_000 + 13_533);
    assert_eq!(vm_state(&e, "vm-1"), ("host-2".into(), VmState::Running));
    // Under the TCP timeout: the tier never lost a request.
    assert!(
        e.metrics()
            .samples
            .iter()
            .all(|x| x.availability_permille[0] == 1000)
    );
}

#[test]
fn a_migration_the_target_cannot_take_is_refused_with_the_reason_and_changes_nothing() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    // host-2 is full (vm-2 fills its 16 GB); host-3 is not guarded and vm-1 is shielded.
    s["design"]["hosts"][0]["guarded"] = json!(true);
    s["design"]["hosts"][1]["guarded"] = json!(true);
    s["design"]["hosts"][1]["memory_gb"] = json!(16);
    s["design"]["vms"][0]["shielded"] = json!(true);
    add_ops(
        &mut s,
        vec![
            op(5_000, live("vm-1", "host-2")),
            op(6_000, live("vm-1", "host-3")),
            op(7_000, live("vm-2", "host-2")),
            op(8_000, live("vm-3", "host-1")),
        ],
    );
    let e = run(&scenario(s), 30_000);
    let refusals: Vec<(u64, &str)> = e
        .events()
        .iter()
        .filter(|x| x.kind == VmMigrationFailed)
        .map(|x| (x.t_ms, x.message.as_str()))
        .collect();
    assert_eq!(
        refusals,
        vec![
            (
                5_000,
                "live migration of vm-1 to host-2 cannot start: host-2 has 0 GB of free memory and it needs 16 GB"
            ),
            (
                6_000,
                "live migration of vm-1 to host-3 cannot start: it is shielded and host-3 is not a guarded host"
            ),
            (
                7_000,
                "live migration of vm-2 to host-2 cannot start: it already runs on host-2"
            ),
        ],
        "{}",
        log_text(&e)
    );
    // Nothing moved but the one that could.
    assert_eq!(vm_state(&e, "vm-1").0, "host-1");
    assert_eq!(vm_state(&e, "vm-3").0, "host-1");
}

#[test]
fn a_quick_migration_saves_moves_and_restores_and_the_vm_is_down_meanwhile() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    add_ops(
        &mut s,
        vec![op(
            10_000,
            json!({"op": "quick_migrate", "vm": "vm-1", "to": "host-2"}),
        )],
    );
    let e = run(&scenario(s), 300_000);
    // 16 000 MB at 150 MB/s: 106.667 s to save, 2 s to move the disks, 106.667 s to restore.
    let q = quick(16);
    assert_eq!(
        (q.save_ms, q.move_ms, q.restore_ms),
        (106_667, 2_000, 106_667)
    );
    let done = 10_000 + q.total_ms();
    let moved = only(&e, VmMigrated, "vm-1");
    assert_eq!(moved.t_ms, done);
    assert_eq!(
        moved.message,
        "vm-1 now runs on host-2 (quick migrated from host-1: down for 3.6 min)"
    );
    // Half the app tier is down for the whole move, then all of it is back.
    assert_eq!(app_at(&e, 9_999), 1000);
    assert_eq!(app_at(&e, 10_000), 500);
    assert_eq!(app_at(&e, done - 1), 500);
    assert_eq!(app_at(&e, done), 1000);
    // It is planned downtime: half the tier for the whole move, none of it unplanned.
    assert_eq!(e.metrics().at(10_000).unwrap().planned_permille, [500]);
    assert_eq!(e.metrics().downtime_until(300_000), [(q.total_ms() / 2, 0)]);
    // Quicker for a small VM: downtime grows with memory.
    assert!(quick(2).total_ms() < 30_000 && quick(2).total_ms() > 25_000);
}

/// host-1 runs a (High), b (Medium) and c (Low); host-2 and host-3 have room.
fn three_priorities() -> Value {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    let vm = |id: &str, prio: &str, gb: u32| {
        json!({"id": id, "tier": "app", "hosts": ["host-1"], "storage": "csv",
            "nics": [{"switch": "lan"}], "memory_gb": gb, "priority": prio})
    };
    s["design"]["vms"] = json!([
        vm("c", "low", 4),
        vm("b", "medium", 16),
        vm("a", "high", 16)
    ]);
    s
}

#[test]
fn a_drain_pauses_the_node_and_moves_roles_by_priority_high_and_medium_live_low_quick() {
    let mut s = three_priorities();
    add_ops(&mut s, vec![op(20_000, host_op("drain", "host-1"))]);
    let e = run(&scenario(s), 200_000);
    let paused = only(&e, NodePaused, "host-1");
    assert_eq!(paused.t_ms, 20_000);
    assert_eq!(
        paused.message,
        "host-1 is paused: it takes no new roles, and its 3 roles leave in priority order; VMs of priority 2000 or more by live migration, the others by quick migration (MoveTypeThreshold 2000)"
    );
    // High first, then Medium, then Low, all at once (two live lanes; quick needs none).
    let order: Vec<&str> = e
        .events()
        .iter()
        .filter(|x| x.kind == VmMigrating)
        .map(|x| x.subjects[0].as_str())
        .collect();
    assert_eq!(order, ["a", "b", "c"]);
    assert!(
        only(&e, VmMigrating, "a")
            .message
            .contains("live migration to host-2")
    );
    assert!(
        only(&e, VmMigrating, "b")
            .message
            .contains("live migration to host-3")
    );
    assert!(
        only(&e, VmMigrating, "c")
            .message
            .contains("(Low priority: quick migration)")
    );
    let live = precopy(16, 10, 50).total_ms();
    assert_eq!(only(&e, VmMigrated, "a").t_ms, 20_000 + live);
    assert_eq!(only(&e, VmMigrated, "b").t_ms, 20_000 + live);
    let q = quick(4).total_ms();
    assert_eq!(only(&e, VmMigrated, "c").t_ms, 20_000 + q);
    let done = only(&e, DrainCompleted, "host-1");
    assert_eq!(done.t_ms, 20_000 + q);
    assert_eq!(
        done.message,
        "host-1 is drained: every role has left (NodeDrainStatus Completed)"
    );
    // The Low VM was down during its quick migration: planned downtime, a third of the tier.
    assert_eq!(app_at(&e, 20_000 + 1), 666);
    assert_eq!(
        e.snapshot().hosts[0].drain,
        Some(clusterlab::sim::DrainStatus::Completed)
    );
    assert!(e.snapshot().hosts[0].paused);
}

#[test]
fn move_type_threshold_3001_quick_migrates_every_vm() {
    let mut s = three_priorities();
    s["settings"]["timing"] = json!({"move_type_threshold": 3001});
    add_ops(&mut s, vec![op(20_000, host_op("drain", "host-1"))]);
    let e = run(&scenario(s), 400_000);
    for id in ["a", "b", "c"] {
        assert!(
            only(&e, VmMigrating, id)
                .message
                .contains("quick migration"),
            "{}",
            log_text(&e)
        );
    }
    assert_eq!(
        only(&e, DrainCompleted, "host-1").t_ms,
        20_000 + quick(16).total_ms()
    );
}

#[test]
fn a_role_that_cannot_move_stays_and_the_drain_fails_then_the_paused_node_takes_no_failover() {
    let mut s = three_priorities();
    // Nobody else has room for a 100 GB VM.
    s["design"]["hosts"][0]["memory_gb"] = json!(256);
    s["design"]["vms"][2]["memory_gb"] = json!(100);
    add_ops(&mut s, vec![op(20_000, host_op("drain", "host-1"))]);
    add_faults(&mut s, vec![fault(120_000, crash("host-2"))]);
    let e = run(&scenario(s), 500_000);
    let stuck = only(&e, VmMigrationFailed, "a");
    assert_eq!(
        stuck.message,
        "a cannot leave paused host-1: no other node has 100 GB of free memory for it; it keeps running there"
    );
    let failed = only(&e, DrainFailed, "host-1");
    assert_eq!(failed.t_ms, 20_000 + quick(4).total_ms());
    assert_eq!(
        failed.message,
        "drain of host-1 failed: a could not move and keeps running on the paused node (NodeDrainStatus Failed)"
    );
    assert_eq!(vm_state(&e, "a"), ("host-1".into(), VmState::Running));
    // host-2's VM fails over to host-3, not to paused host-1 with more free memory.
    assert!(
        only(&e, VmFailover, "b")
            .message
            .starts_with("b fails over to host-3"),
        "{}",
        log_text(&e)
    );
    none(&e, VmFailover, "host-1");
}

#[test]
fn resume_fails_the_drained_roles_back_or_leaves_them() {
    for (failback, home) in [("immediate", "host-1"), ("no", "host-3")] {
        let mut s = three_priorities();
        add_ops(
            &mut s,
            vec![
                op(20_000, host_op("drain", "host-1")),
                op(
                    100_000,
                    json!({"op": "resume", "host": "host-1", "failback": failback}),
                ),
            ],
        );
        let e = run(&scenario(s), 200_000);
        let resumed = only(&e, NodeResumed, "host-1");
        assert_eq!(resumed.t_ms, 100_000);
        assert_eq!(vm_state(&e, "b").0, home, "{failback}:\n{}", log_text(&e));
        assert!(!e.snapshot().hosts[0].paused);
    }
    // Immediate: b comes home by live migration, at once.
    let mut s = three_priorities();
    add_ops(
        &mut s,
        vec![
            op(20_000, host_op("drain", "host-1")),
            op(100_000, json!({"op": "resume", "host": "host-1"})),
        ],
    );
    let e = run(&scenario(s), 200_000);
    let back = events(&e, VmMigrated, "b");
    assert_eq!(back.len(), 2);
    assert_eq!(back[1].t_ms, 100_000 + precopy(16, 10, 50).total_ms());
    assert_eq!(
        back[1].message,
        "b now runs on host-1 (live migrated from host-3)"
    );
}

/// Which node of a 2-node cluster without a witness holds the one vote at the start.
fn voter(s: &Value) -> String {
    let e = run(&scenario(s.clone()), 1_000);
    let snap = e.snapshot();
    let c = &snap.clusters[0];
    c.nodes.iter().find(|n| n.vote).unwrap().id.clone()
}

#[test]
fn two_nodes_without_a_witness_survive_a_graceful_shutdown_of_either_node_but_not_a_crash_of_the_voter()
 {
    let base = host_cluster(2, no_witness(), "2016+");
    let voting = voter(&base);
    for host in ["host-1", "host-2"] {
        let mut s = base.clone();
        add_ops(&mut s, vec![op(30_000, host_op("shutdown", host))]);
        let e = run(&scenario(s), 200_000);
        let left = only(&e, NodeLeft, host);
        assert_eq!(
            left.t_ms,
            30_000 + precopy(16, 10, 50).total_ms(),
            "drains first:\n{}",
            log_text(&e)
        );
        none(&e, QuorumLost, "hv");
        let other = if host == "host-1" { "host-2" } else { "host-1" };
        // Both VMs run on the survivor, and the vote is on it.
        assert_eq!(vm_state(&e, "vm-1").0, other);
        assert_eq!(vm_state(&e, "vm-2").0, other);
        let snap = e.snapshot();
        let n = snap.clusters[0]
            .nodes
            .iter()
            .find(|n| n.id == other)
            .unwrap();
        assert!(
            n.vote,
            "{host}: the vote was handed over:\n{}",
            log_text(&e)
        );
    }
    // A crash of the voter hands nothing over: the survivor holds 0 of 1 votes.
    let mut s = base.clone();
    add_faults(&mut s, vec![fault(30_000, crash(&voting))]);
    let e = run(&scenario(s), 200_000);
    assert!(!events(&e, QuorumLost, "hv").is_empty(), "{}", log_text(&e));
    // A crash is unplanned downtime.
    let (planned, unplanned) = e.metrics().downtime_until(200_000)[0];
    assert_eq!(planned, 0);
    assert!(unplanned > 0);
}

#[test]
fn a_started_host_rejoins_still_paused_until_it_is_resumed() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    add_ops(
        &mut s,
        vec![
            op(10_000, host_op("shutdown", "host-1")),
            op(60_000, host_op("start", "host-1")),
            op(
                90_000,
                json!({"op": "resume", "host": "host-1", "failback": "immediate"}),
            ),
        ],
    );
    let e = run(&scenario(s), 200_000);
    let started = only(&e, NodeStarted, "host-1");
    assert_eq!(started.t_ms, 60_000);
    assert!(
        started.message.contains("it is still paused"),
        "{}",
        started.message
    );
    assert!(
        !events(&e, NodeJoined, "host-1").is_empty(),
        "{}",
        log_text(&e)
    );
    // vm-1 comes home only on the resume.
    let home = events(&e, VmMigrated, "vm-1");
    assert_eq!(
        home.last().unwrap().t_ms,
        90_000 + precopy(16, 10, 50).total_ms()
    );
    assert_eq!(vm_state(&e, "vm-1").0, "host-1");
}

#[test]
fn operations_that_cannot_run_say_why() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    add_ops(
        &mut s,
        vec![
            op(1_000, json!({"op": "resume", "host": "host-1"})),
            op(2_000, host_op("start", "host-2")),
            op(3_000, host_op("drain", "host-1")),
            op(4_000, host_op("drain", "host-1")),
        ],
    );
    let e = run(&scenario(s), 10_000);
    let refused: Vec<&str> = e
        .events()
        .iter()
        .filter(|x| x.kind == OperationRefused)
        .map(|x| x.message.as_str())
        .collect();
    assert_eq!(
        refused,
        [
            "host-1 is not paused",
            "host-2 was not shut down, so there is nothing to start",
            "host-1 is already draining"
        ]
    );
}

#[test]
fn windows_server_2008_r2_has_no_drain_and_its_graceful_shutdown_quick_migrates() {
    let mut s = host_cluster(2, disk_witness(), "2008r2");
    add_ops(
        &mut s,
        vec![
            op(1_000, host_op("drain", "host-1")),
            op(5_000, host_op("shutdown", "host-1")),
        ],
    );
    let e = run(&scenario(s), 400_000);
    assert!(
        only(&e, OperationRefused, "host-1")
            .message
            .contains("2008 R2 has no drain"),
        "{}",
        log_text(&e)
    );
    assert!(
        only(&e, VmMigrating, "vm-1")
            .message
            .contains("quick migration")
    );
    assert_eq!(
        only(&e, NodeLeft, "host-1").t_ms,
        5_000 + quick(16).total_ms()
    );
}

#[test]
fn operations_read_and_write_as_json_with_clear_errors() {
    let s = {
        let mut s = host_cluster(2, disk_witness(), "2016+");
        add_ops(
            &mut s,
            vec![
                op(1_000, live("vm-1", "host-2")),
                op(
                    2_000,
                    json!({"op": "resume", "host": "host-1", "failback": "policy"}),
                ),
            ],
        );
        scenario(s)
    };
    let text = s.to_json();
    assert!(text.contains(r#""op": "live_migrate""#), "{text}");
    assert_eq!(clusterlab::model::Scenario::from_json(&text).unwrap(), s);
    let bad = |o: Value| {
        let mut v = host_cluster(2, disk_witness(), "2016+");
        add_ops(&mut v, vec![o]);
        clusterlab::model::Scenario::from_json(&v.to_string()).unwrap_err()
    };
    assert!(
        bad(op(1, json!({"op": "fly", "host": "host-1"}))).contains("unknown operation \"fly\"")
    );
    assert!(bad(op(1, json!({"op": "drain"}))).contains("operation drain needs \"host\""));
    assert!(
        bad(op(1, json!({"op": "drain", "host": "h", "vm": "x"})))
            .contains("operation drain does not take \"vm\"")
    );
    assert!(
        bad(op(
            1,
            json!({"op": "resume", "host": "h", "failback": "later"})
        ))
        .contains("failback \"later\" is not one of")
    );
    // Names that are not in the design are an error of the scenario.
    let mut v = host_cluster(2, disk_witness(), "2016+");
    add_ops(&mut v, vec![op(1, live("vm-9", "host-2"))]);
    let problems = scenario(v).validate();
    assert!(problems.iter().any(|p| p.message.contains(
        "the operation at 1 ms names something that is not in the design: vm-9, host-2"
    )));
}

/// A two-member guest cluster on two clustered hosts with a 1 Gbit/s live-migration network;
/// its members' guests write 100 MB/s to 8 GB of memory. `threshold`: the guest cluster's.
fn guest_on_hosts(threshold: u32) -> Value {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["settings"]["timing"] = json!({"live_migration_gbps": 1});
    let d = &mut s["design"];
    d["vms"] = json!((1..=2).map(|i| json!({"id": format!("sql-{i}"), "hosts": [format!("host-{i}")], "storage": "csv",
        "nics": [{"switch": "lan"}], "memory_gb": 8, "memory_write_mb_s": 100})).collect::<Vec<_>>());
    d["guest_clusters"] = json!([{"id": "g", "members": ["sql-1", "sql-2"], "witness": {"kind": "file_share", "storage": "share"},
        "heartbeat": {"same_subnet_threshold": threshold}, "role": {"name": "SQL", "tier": "db"}}]);
    add_ops(&mut s, vec![op(60_000, live("sql-1", "host-2"))]);
    s
}

#[test]
fn a_long_live_migration_pause_evicts_a_guest_cluster_member_unless_its_threshold_is_raised_to_20()
{
    // 8 GB over 1 Gbit/s while the guest writes 100 MB/s: pre-copy never gets the rest under
    // 300 ms; after 10 passes the VM pauses for the 859 MB still dirty (6.874 s) and switches over: 7.1 s.
    let copy = precopy(8, 1, 100);
    assert_eq!((copy.rounds, copy.last_mb), (10, 859));
    assert_eq!(copy.blackout_ms, 6_874 + 200);
    let pause = 60_000 + copy.copy_ms;
    // Threshold 5: five heartbeats missed in the pause, and the guest cluster evicts sql-1
    // though the migration succeeds; the SQL role moves to sql-2.
    let e = run(&scenario(guest_on_hosts(5)), 600_000);
    let down = only(&e, NodeDown, "sql-1");
    assert!(
        down.t_ms > pause && down.t_ms <= pause + 6_000,
        "{}",
        log_text(&e)
    );
    assert_eq!(only(&e, VmMigrated, "sql-1").t_ms, pause + copy.blackout_ms);
    assert!(
        !events(&e, RoleStarting, "sql-2").is_empty(),
        "{}",
        log_text(&e)
    );
    assert_eq!(only(&e, NodeJoined, "sql-1").t_ms, pause + copy.blackout_ms);
    // Threshold 20 (about 20 s, the TCP timeout): the member rides the pause out.
    let e = run(&scenario(guest_on_hosts(20)), 600_000);
    none(&e, NodeDown, "sql-1");
    none(&e, RoleStarting, "sql-2");
    assert!(
        !events(&e, HeartbeatsMissed, "sql-1").is_empty(),
        "it did miss some"
    );
    // Clients' connections survive a pause under the TCP timeout: the tier never drops.
    assert!(
        e.metrics()
            .samples
            .iter()
            .all(|x| x.availability_permille[0] == 1000)
    );
}

/// host_cluster(n) plus host-(n+1), cabled like the others but in no cluster yet.
fn with_spare(n: usize, witness: Value) -> Value {
    let mut s = host_cluster(n + 1, witness, "2016+");
    s["design"]["clusters"][0]["nodes"]
        .as_array_mut()
        .unwrap()
        .pop();
    s["design"]["vms"].as_array_mut().unwrap().pop();
    s
}

#[test]
fn an_added_node_gets_a_vote_and_the_witness_vote_is_decided_again() {
    let mut s = with_spare(2, disk_witness());
    add_ops(
        &mut s,
        vec![op(
            30_000,
            json!({"op": "add_node", "host": "host-3", "cluster": "hv"}),
        )],
    );
    let e = run(&scenario(s), 60_000);
    let added = only(&e, NodeAdded, "host-3");
    assert_eq!(added.t_ms, 30_000);
    assert_eq!(only(&e, NodeJoined, "host-3").t_ms, 30_000);
    // Two nodes and the witness held 3 votes; three nodes hold 3 and the witness steps back.
    let votes = events(&e, VotesChanged, "hv");
    let last = votes.last().unwrap();
    assert_eq!(last.t_ms, 30_000);
    assert!(
        last.message
            .contains("host-1, host-2, host-3 vote; the witness does not vote because the node votes are odd (3 votes in all)"),
        "{}",
        last.message
    );
}

#[test]
fn vm_load_balancing_moves_vms_onto_a_new_node_from_nodes_above_80_percent() {
    let mut s = with_spare(2, disk_witness());
    // Three 18 GB VMs on each 64 GB node: 84 % of memory.
    let vm = |id: String, host: &str| json!({"id": id, "hosts": [host], "storage": "csv", "nics": [{"switch": "lan"}], "memory_gb": 18});
    s["design"]["vms"] = json!(
        (1..=6)
            .map(|i| vm(format!("vm-{i}"), if i <= 3 { "host-1" } else { "host-2" }))
            .collect::<Vec<_>>()
    );
    add_ops(
        &mut s,
        vec![op(
            30_000,
            json!({"op": "add_node", "host": "host-3", "cluster": "hv"}),
        )],
    );
    let e = run(&scenario(s.clone()), 120_000);
    let moves: Vec<(u64, &str)> = e
        .events()
        .iter()
        .filter(|x| x.kind == VmMigrating)
        .map(|x| (x.t_ms, x.subjects[0].as_str()))
        .collect();
    // One VM from each node: 66 % left behind, 56 % on the new node.
    assert_eq!(
        moves,
        [(30_000, "vm-1"), (30_000, "vm-4")],
        "{}",
        log_text(&e)
    );
    assert!(
        only(&e, VmMigrating, "vm-1")
            .message
            .contains("VM load balancing: the node is above 80 %")
    );
    let snap = e.snapshot();
    let used: Vec<u64> = snap.hosts.iter().map(|h| h.memory_used_gb).collect();
    assert_eq!(used, [36, 36, 36]);
    // Before 2016 there is no VM load balancing; AutoBalancerMode 0 turns it off.
    s["settings"]["timing"] = json!({"auto_balancer_mode": 0});
    let e = run(&scenario(s), 120_000);
    assert!(e.events().iter().all(|x| x.kind != VmMigrating));
}

#[test]
fn every_30_minutes_vm_load_balancing_relieves_a_node_above_the_threshold() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    let vm = |i: usize, host: &str| json!({"id": format!("vm-{i}"), "hosts": [host], "storage": "csv", "nics": [{"switch": "lan"}], "memory_gb": 20});
    // host-1 runs three 20 GB VMs (94 %), the others one each.
    s["design"]["vms"] = json!([
        vm(1, "host-1"),
        vm(2, "host-1"),
        vm(3, "host-1"),
        vm(4, "host-2"),
        vm(5, "host-3")
    ]);
    let e = run(&scenario(s.clone()), 1_900_000);
    let first = events(&e, VmMigrating, "vm-1");
    assert_eq!(first.len(), 1, "{}", log_text(&e));
    assert_eq!(first[0].t_ms, 1_800_000);
    assert!(e.snapshot().hosts[0].memory_used_gb <= 51);
    // AutoBalancerMode 1 balances only when a node joins.
    s["settings"]["timing"] = json!({"auto_balancer_mode": 1});
    let e = run(&scenario(s), 1_900_000);
    assert!(e.events().iter().all(|x| x.kind != VmMigrating));
}

#[test]
fn an_evicted_node_drains_then_leaves_for_good_and_an_add_waits_for_add_evict_delay() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    add_ops(
        &mut s,
        vec![
            op(10_000, host_op("evict", "host-3")),
            op(
                40_000,
                json!({"op": "add_node", "host": "host-3", "cluster": "hv"}),
            ),
            op(
                100_000,
                json!({"op": "add_node", "host": "host-3", "cluster": "hv"}),
            ),
        ],
    );
    let e = run(&scenario(s), 200_000);
    let live = precopy(16, 10, 50).total_ms();
    assert_eq!(only(&e, VmMigrated, "vm-3").t_ms, 10_000 + live);
    let left = only(&e, NodeLeft, "host-3");
    assert_eq!(left.t_ms, 10_000 + live);
    assert!(
        left.message
            .starts_with("host-3 leaves hv as it is evicted"),
        "{}",
        left.message
    );
    // The add at 40 s waits for AddEvictDelay: 60 s after the eviction.
    let waits = only(&e, OperationWaits, "host-3");
    assert_eq!(waits.t_ms, 40_000);
    let at = 10_000 + live + 60_000;
    assert!(
        waits
            .message
            .contains("it waits AddEvictDelay (60 s) before adding one, so host-3 is added at"),
        "{}",
        waits.message
    );
    // Heartbeats from an evicted node do not bring it back; the add does, when the delay ends.
    let joined = events(&e, NodeJoined, "host-3");
    assert_eq!(joined.len(), 1, "{}", log_text(&e));
    assert_eq!(joined[0].t_ms, at);
    // The add at 100 s finds it a node already.
    let refused = only(&e, OperationRefused, "host-3");
    assert_eq!(refused.t_ms, 100_000);
    assert!(refused.message.contains("host-3 is already a node of hv"));
}

#[test]
fn cluster_aware_updating_takes_one_node_at_a_time_and_gives_the_roles_back() {
    let mut s = host_cluster(4, disk_witness(), "2016+");
    add_ops(
        &mut s,
        vec![op(60_000, json!({"op": "update", "cluster": "hv"}))],
    );
    let e = run(&scenario(s), 4_000_000);
    let live = precopy(16, 10, 50).total_ms();
    let started = &events(&e, UpdatingRun, "hv")[0];
    assert_eq!(started.t_ms, 60_000);
    assert!(
        started.message.contains(
            "one node at a time, the fewest roles first (host-1, host-2, host-3, host-4)"
        ),
        "{}",
        started.message
    );
    // host-1: drained by 73.5 s (noticed at the next second), updates for 10 min, a 3 min
    // restart, then vm-1 comes back by live migration and the run moves on.
    let drained = 60_000 + live;
    assert_eq!(only(&e, DrainCompleted, "host-1").t_ms, drained);
    let restart = 74_000 + 600_000;
    assert_eq!(only(&e, NodeLeft, "host-1").t_ms, restart);
    assert_eq!(only(&e, NodeStarted, "host-1").t_ms, restart + 180_000);
    let back = events(&e, VmMigrated, "vm-1");
    assert_eq!(back.len(), 2);
    assert_eq!(back[1].t_ms, restart + 180_000 + live);
    // Every node in turn, each one only after the one before has its roles back.
    let lefts: Vec<(u64, &str)> = e
        .events()
        .iter()
        .filter(|x| x.kind == NodeLeft)
        .map(|x| (x.t_ms, x.subjects[0].as_str()))
        .collect();
    let per_node = 868_000 - 60_000;
    assert_eq!(
        lefts,
        (0..4u64)
            .map(|k| (
                restart + k * per_node,
                ["host-1", "host-2", "host-3", "host-4"][k as usize]
            ))
            .collect::<Vec<_>>()
    );
    let done = only(&e, UpdatingDone, "hv");
    assert_eq!(done.t_ms, 60_000 + 4 * per_node);
    none(&e, QuorumLost, "hv");
    for i in 1..=4 {
        assert_eq!(vm_state(&e, &format!("vm-{i}")).0, format!("host-{i}"));
    }
    // The capacity of one node is missing while it is updated: 3 of 4 hosts hold all the VMs.
    let during = e.metrics().at(restart + 1).unwrap();
    assert_eq!(during.host_memory_gb[0], 0);
}

#[test]
fn an_updating_run_retries_a_node_that_will_not_drain_then_stops_past_max_failed_nodes() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    // vm-1 and vm-2 are too big to move anywhere: host-1 and host-2 never drain.
    for i in 0..2 {
        s["design"]["hosts"][i]["memory_gb"] = json!(128);
        s["design"]["vms"][i]["memory_gb"] = json!(100);
    }
    add_ops(
        &mut s,
        vec![op(60_000, json!({"op": "update", "cluster": "hv"}))],
    );
    let e = run(&scenario(s), 4_000_000);
    // host-3 (one role) first, updated; then host-1: three drains fail, and with 3 nodes
    // MaxFailedNodes is 1: skipped; host-2 fails too, and the run stops.
    let fails = events(&e, DrainFailed, "host-1");
    assert_eq!(fails.len(), 3, "{}", log_text(&e));
    let skip = events(&e, UpdatingRun, "host-1");
    assert!(skip.last().unwrap().message.contains("Cluster-Aware Updating skips host-1: host-1 could not be drained in 3 tries (1 of at most 1 failed nodes)"), "{}", log_text(&e));
    let stopped = only(&e, UpdatingStopped, "hv");
    assert!(
        stopped.message.contains(
            "host-2 could not be drained in 3 tries, and 2 failed nodes exceed MaxFailedNodes (1)"
        ),
        "{}",
        stopped.message
    );
    none(&e, UpdatingDone, "hv");
    assert!(!e.snapshot().hosts[0].paused && !e.snapshot().hosts[1].paused);
}

#[test]
fn an_updating_run_stops_rather_than_cost_the_cluster_quorum() {
    // Static votes (dynamic quorum off), no witness, one of three nodes already down: taking a
    // second down would leave 1 of 3 votes.
    let mut s = host_cluster(3, no_witness(), "2012r2");
    s["settings"]["dynamic_quorum"] = json!(false);
    add_faults(&mut s, vec![fault(10_000, crash("host-1"))]);
    add_ops(
        &mut s,
        vec![op(120_000, json!({"op": "update", "cluster": "hv"}))],
    );
    let e = run(&scenario(s), 400_000);
    let stopped = only(&e, UpdatingStopped, "hv");
    assert_eq!(stopped.t_ms, 120_000);
    // host-1 (down, no roles left) comes first and is skipped; then host-3 would leave host-2
    // alone with 1 of 3 votes.
    assert!(
        only(&e, UpdatingRun, "host-1")
            .message
            .contains("skips host-1: host-1 is not an active node")
    );
    assert_eq!(
        stopped.message,
        "the updating run on hv stops: taking host-3 down would cost the cluster quorum"
    );
    none(&e, NodeLeft, "host-3");
    none(&e, QuorumLost, "hv");
}

#[test]
fn forcing_quorum_runs_a_stopped_minority_until_the_majority_is_back() {
    let mut s = host_cluster(3, no_witness(), "2016+");
    add_faults(
        &mut s,
        vec![
            fault(10_000, crash("host-2")),
            fault(10_000, crash("host-3")),
            repair(300_000, crash("host-2")),
            repair(300_000, crash("host-3")),
        ],
    );
    add_ops(
        &mut s,
        vec![
            op(5_000, host_op("force_quorum", "host-1")),
            op(60_000, host_op("force_quorum", "host-1")),
        ],
    );
    let e = run(&scenario(s), 400_000);
    // With quorum, forcing it is refused: it would split the brain.
    let refused = only(&e, OperationRefused, "host-1");
    assert_eq!(refused.t_ms, 5_000);
    assert!(
        refused.message.contains("a split brain"),
        "{}",
        refused.message
    );
    // Both others crash at once: host-1 alone holds 1 of 3 votes and the cluster stops.
    let lost = only(&e, QuorumLost, "hv");
    assert!(lost.t_ms < 60_000);
    let forced = events(&e, QuorumForced, "host-1");
    assert_eq!(forced.len(), 1);
    assert_eq!(forced[0].t_ms, 60_000);
    assert!(
        forced[0]
            .message
            .starts_with("WARNING: host-1 starts its cluster service with ForceQuorum")
    );
    let regained = only(&e, QuorumRegained, "hv");
    assert_eq!(regained.t_ms, 60_000);
    assert!(
        regained
            .message
            .contains("host-1 holds 1 of 3 votes, with quorum forced"),
        "{}",
        regained.message
    );
    // Its roles start again on host-1 at once.
    let restarted: Vec<u64> = e
        .events()
        .iter()
        .filter(|x| matches!(x.kind, VmFailover | VmRestarting) && x.t_ms == 60_000)
        .map(|x| x.t_ms)
        .collect();
    assert_eq!(restarted.len(), 3, "{}", log_text(&e));
    // The others come back and join the forced side: a majority again, the forced state ends.
    let ended = events(&e, QuorumForced, "hv");
    assert_eq!(ended.len(), 2, "{}", log_text(&e));
    assert_eq!(ended[1].t_ms, 300_000);
    assert!(ended[1].message.contains("has a majority again"));
}

/// The four operation samples tell the story their descriptions tell.
#[test]
fn the_operation_samples_teach_what_they_say() {
    // Live vs quick: shop never drops a request; batch is down 3.6 min, all of it planned.
    let e = run(&example("live-vs-quick"), 400_000);
    assert_eq!(only(&e, VmMigrated, "shop").t_ms, 30_000 + 13_533);
    assert_eq!(
        only(&e, VmMigrated, "batch").t_ms,
        60_000 + quick(16).total_ms()
    );
    let tiers = &e.metrics().tiers;
    let down = e.metrics().downtime_until(400_000);
    let of = |t: &str| down[tiers.iter().position(|x| x == t).unwrap()];
    assert_eq!(of("shop"), (0, 0));
    assert_eq!(of("batch"), (quick(16).total_ms(), 0));
    // Guest eviction: pre-copy 77 s, a 7.6 s pause, evicted after 5 missed heartbeats.
    let copy = precopy(1, 1, 124);
    assert_eq!((copy.rounds, copy.copy_ms / 1000), (10, 77));
    assert!((7_550..7_650).contains(&copy.blackout_ms), "{copy:?}");
    let e = run(&example("guest-eviction"), 300_000);
    assert!(only(&e, NodeDown, "sql#1").t_ms < 30_000 + copy.total_ms());
    assert!(!events(&e, RoleStarting, "sql#2").is_empty());
    // Patch Tuesday: every node updated, nothing unplanned, report quick-migrated.
    let e = run(&example("patch-tuesday"), 4_000_000);
    assert!(
        !events(&e, UpdatingDone, "hv").is_empty(),
        "{}",
        log_text(&e)
    );
    assert!(
        events(&e, VmMigrating, "report")
            .iter()
            .any(|x| x.message.contains("quick migration"))
    );
    let down = e.metrics().downtime_until(4_000_000);
    assert!(
        down.iter().all(|(_, unplanned)| *unplanned == 0),
        "{down:?}"
    );
    assert!(down.iter().any(|(planned, _)| *planned > 0));
    // Scale out: host-4 joins and takes one VM from each of the three full nodes.
    let e = run(&example("scale-out"), 200_000);
    assert_eq!(only(&e, NodeJoined, "host-4").t_ms, 60_000);
    let moved: Vec<&str> = e
        .events()
        .iter()
        .filter(|x| x.kind == VmMigrated)
        .map(|x| x.subjects[1].as_str())
        .collect();
    assert_eq!(moved, ["host-4", "host-4", "host-4"]);
}

#[test]
fn a_crash_during_a_shutdown_drain_is_a_crash_not_a_graceful_leave() {
    let mut s = host_cluster(2, no_witness(), "2016+");
    add_ops(&mut s, vec![op(30_000, host_op("shutdown", "host-1"))]);
    add_faults(&mut s, vec![fault(35_000, crash("host-1"))]);
    let e = run(&scenario(s), 200_000);
    let failed = only(&e, DrainFailed, "host-1");
    assert!(
        failed.message.contains("it is no longer an active node"),
        "{}",
        log_text(&e)
    );
    none(&e, NodeLeft, "host-1");
}

#[test]
fn an_evicted_node_no_longer_counts_among_static_votes() {
    // Static votes, four nodes, no witness: evict host-4, then host-3 crashes. host-1 and host-2
    // hold 2 of the 3 votes left; had host-4 kept its vote they would hold 2 of 4 and stop.
    let mut s = host_cluster(4, no_witness(), "2012r2");
    s["settings"]["dynamic_quorum"] = json!(false);
    add_ops(&mut s, vec![op(10_000, host_op("evict", "host-4"))]);
    add_faults(&mut s, vec![fault(60_000, crash("host-3"))]);
    let e = run(&scenario(s), 200_000);
    assert!(!events(&e, NodeLeft, "host-4").is_empty());
    none(&e, QuorumLost, "hv");
    let kept = events(&e, QuorumKept, "hv");
    assert!(
        kept.last().unwrap().message.contains("hold 2 of 3 votes"),
        "{}",
        log_text(&e)
    );
}

#[test]
fn a_vm_arriving_on_a_draining_node_is_moved_off_too() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    add_ops(
        &mut s,
        vec![
            op(10_000, live("vm-1", "host-2")),
            op(15_000, host_op("drain", "host-2")),
        ],
    );
    let e = run(&scenario(s), 200_000);
    let live = precopy(16, 10, 50).total_ms();
    // vm-1 lands on host-2 while it drains, then leaves it like vm-2 did.
    let moves = events(&e, VmMigrated, "vm-1");
    assert_eq!(moves.len(), 2, "{}", log_text(&e));
    assert_eq!(moves[0].t_ms, 10_000 + live);
    assert_eq!(moves[1].t_ms, 10_000 + 2 * live);
    assert_ne!(vm_state(&e, "vm-1").0, "host-2");
    let done = only(&e, DrainCompleted, "host-2");
    assert_eq!(done.t_ms, 10_000 + 2 * live);
}
