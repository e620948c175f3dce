//! Live migration: the pre-copy model (rounds while the VM runs, then a short pause) and the
//! per-host limit of simultaneous live migrations, the rest waiting their turn.

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::migration::{LANES_PER_HOST, Lanes, Waiting, precopy};
use common::*;
use serde_json::{Value, json};

#[test]
fn pre_copy_copies_everything_once_then_what_was_dirtied_until_the_rest_fits_a_short_pause() {
    // 16 GB over 10 Gbit/s (1 250 MB/s): 12.8 s; the guest dirtied 640 MB (50 MB/s) meanwhile,
    // more than a 300 ms pause would copy: a second round of 0.512 s; then 25.6 MB are left,
    // copied in 21 ms while the VM is paused, + 200 ms to switch over.
    let p = precopy(16, 10, 50);
    assert_eq!(
        (p.rounds, p.copy_ms, p.blackout_ms, p.last_mb),
        (2, 13_312, 221, 26)
    );
    // 8 GB: the 320 MB dirtied during the first round copy in 256 ms: pause for them at once.
    let small = precopy(8, 10, 50);
    assert_eq!(
        (
            small.rounds,
            small.copy_ms,
            small.blackout_ms,
            small.last_mb
        ),
        (1, 6_400, 456, 320)
    );
    // A quiet guest: one round, and nothing left but the switch-over.
    let quiet = precopy(8, 10, 0);
    assert_eq!(
        (quiet.rounds, quiet.copy_ms, quiet.blackout_ms),
        (1, 6_400, 200)
    );
    // Slower network, busier guest: more rounds, a longer pause.
    let busy = precopy(64, 1, 100);
    assert!(busy.rounds > 2 && busy.copy_ms > 512_000, "{busy:?}");
    // A guest that writes faster than the network copies never converges: pre-copy stops after
    // the second round and the pause carries what is left.
    let runaway = precopy(16, 1, 200);
    assert_eq!(runaway.rounds, 2);
    assert!(runaway.blackout_ms > 10_000, "{runaway:?}");
}

#[test]
fn a_host_takes_part_in_two_live_migrations_at_once_the_rest_wait_in_order() {
    assert_eq!(LANES_PER_HOST, 2);
    let mut lanes = Lanes::new(3, LANES_PER_HOST);
    assert!(lanes.take(0, 1));
    assert!(lanes.take(0, 2));
    assert!(!lanes.take(0, 1), "host 0 is busy with two");
    let w = |vm| Waiting {
        vm,
        from: 0,
        to: 1,
        why: String::new(),
    };
    assert_eq!(lanes.wait(w(7)), 1);
    assert_eq!(lanes.wait(w(8)), 2);
    assert!(
        lanes.start_next().is_none(),
        "nothing frees before one ends"
    );
    lanes.release(0, 2);
    assert_eq!(
        lanes.start_next().map(|w| w.vm),
        Some(7),
        "first come, first served"
    );
    assert!(lanes.start_next().is_none());
    lanes.drop_vm(8);
    lanes.release(0, 1);
    assert!(
        lanes.start_next().is_none(),
        "a VM that stopped waiting is forgotten"
    );
}

fn vm(id: &str, host: &str) -> Value {
    json!({"id": id, "hosts": [host], "storage": "csv", "nics": [{"switch": "lan"}],
        "memory_gb": 16, "preferred_owners": ["host-1"], "failback": true})
}

#[test]
fn three_vms_failing_back_to_one_host_migrate_two_at_a_time() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["design"]["vms"] = json!([vm("a", "host-1"), vm("b", "host-1"), vm("c", "host-1")]);
    s["design"]["hosts"][1]["memory_gb"] = json!(256);
    s["settings"]["resiliency_level"] = json!("isolate_on_special_heartbeat");
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-1")),
            repair(200_000, crash("host-1")),
        ],
    );
    let e = run(&scenario(s), 400_000);
    // All three want to go home when host-1 rejoins; host-1 and host-2 take two at a time.
    let starts: Vec<(String, u64)> = e
        .events()
        .iter()
        .filter(|x| x.kind == VmMigrating)
        .map(|x| (x.subjects[0].clone(), x.t_ms))
        .collect();
    let first = starts[0].1;
    let copy = precopy(16, 10, 50).total_ms();
    let waits = events(&e, VmMigrating, "c");
    assert_eq!(waits.len(), 2, "c waits, then starts: {starts:?}");
    assert!(
        waits[0].message.contains("waits (1 waiting on host-2)"),
        "{}",
        waits[0].message
    );
    assert_eq!(waits[0].t_ms, first);
    // c starts the moment the first of a and b has arrived.
    assert_eq!(waits[1].t_ms, first + copy, "{starts:?}");
    assert_eq!(only(&e, VmMigrated, "a").t_ms, first + copy);
    assert_eq!(only(&e, VmMigrated, "c").t_ms, first + 2 * copy);
    for id in ["a", "b", "c"] {
        assert_eq!(vm_state(&e, id).0, "host-1");
    }
}

#[test]
fn windows_server_2008_r2_live_migrates_one_vm_at_a_time() {
    let mut s = host_cluster(2, disk_witness(), "2008r2");
    s["design"]["vms"] = json!([vm("a", "host-1"), vm("b", "host-1"), vm("c", "host-1")]);
    s["design"]["hosts"][1]["memory_gb"] = json!(256);
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-1")),
            repair(200_000, crash("host-1")),
        ],
    );
    let e = run(&scenario(s), 400_000);
    let copy = precopy(16, 10, 50).total_ms();
    let a = only(&e, VmMigrated, "a").t_ms;
    assert_eq!(only(&e, VmMigrated, "b").t_ms, a + copy, "{}", log_text(&e));
    assert_eq!(only(&e, VmMigrated, "c").t_ms, a + 2 * copy);
}
