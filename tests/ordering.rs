//! Start order after a failover (priority classes, cluster sets) and failback windows.

mod common;
use clusterlab::sim::EventKind::*;
use common::*;
use serde_json::{Value, json};

/// db (High), app (Medium) and batch (Low) on host-1 of a 3-node cluster; host-1 crashes at
/// 30 s. ResiliencyLevel 1, so the failover starts at detection.
fn three_tiers() -> Value {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["settings"]["resiliency_level"] = json!("isolate_on_special_heartbeat");
    let vm = |id: &str, priority: &str| json!({"id": id, "priority": priority, "hosts": ["host-1"], "storage": "csv", "nics": [{"switch": "lan"}], "memory_gb": 8, "boot_ms": 30000});
    s["design"]["vms"] = json!([vm("db", "high"), vm("app", "medium"), vm("batch", "low")]);
    add_faults(&mut s, vec![fault(30_000, crash("host-1"))]);
    s
}

#[test]
fn high_starts_before_medium_before_low() {
    let e = run(&scenario(three_tiers()), 200_000);
    let down = only(&e, NodeDown, "host-1").t_ms;
    // Each class starts once the class above is online (its VMs started 2 s before).
    assert_eq!(only(&e, VmFailover, "db").t_ms, down);
    assert_eq!(only(&e, VmFailover, "app").t_ms, down + 2_000);
    assert_eq!(only(&e, VmFailover, "batch").t_ms, down + 4_000);
    let waits = only(&e, VmStartWaits, "app");
    assert_eq!(waits.t_ms, down);
    assert!(
        waits.message.contains("waits for higher-priority VMs"),
        "{}",
        waits.message
    );
}

#[test]
fn a_cluster_set_waits_for_the_set_it_depends_on() {
    // app depends on db: with the default trigger (Delay) it starts StartupDelay (20 s) after
    // db starts; batch has no set and starts in priority order.
    let mut s = three_tiers();
    s["design"]["vms"][1]["priority"] = json!("high");
    s["design"]["clusters"][0]["sets"] = json!([
        {"name": "data", "vms": ["db"]},
        {"name": "apps", "vms": ["app"], "depends_on": ["data"]}
    ]);
    let e = run(&scenario(s.clone()), 200_000);
    let down = only(&e, NodeDown, "host-1").t_ms;
    assert_eq!(only(&e, VmFailover, "db").t_ms, down);
    assert_eq!(only(&e, VmFailover, "app").t_ms, down + 20_000);
    let waits = only(&e, VmStartWaits, "app");
    assert!(
        waits
            .message
            .contains("waits for set data to be ready (StartupDelay 20 s"),
        "{}",
        waits.message
    );
    // Trigger Online: ready as soon as db's resource is online.
    s["design"]["clusters"][0]["sets"][0]["trigger"] = json!("online");
    let e = run(&scenario(s), 200_000);
    assert_eq!(only(&e, VmFailover, "app").t_ms, down + 2_000);
}

#[test]
fn cluster_sets_are_checked() {
    let mut s = three_tiers();
    s["design"]["clusters"][0]["sets"] = json!([
        {"name": "a", "vms": ["db"], "depends_on": ["b"]},
        {"name": "b", "vms": ["app", "nothing"], "depends_on": ["a"]}
    ]);
    let problems: Vec<String> = scenario(s.clone())
        .validate()
        .into_iter()
        .map(|p| p.message)
        .collect();
    assert!(
        problems
            .iter()
            .any(|m| m == "set b names nothing, which is not a VM of cluster hv"),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|m| m.contains("waits for itself")),
        "{problems:#?}"
    );
    s["settings"]["version"] = json!("2012r2");
    s["settings"]["resiliency_level"] = Value::Null;
    assert!(scenario(s).validate().iter().any(|p| {
        p.message
            .contains("uses cluster sets, which arrived in Windows Server 2016")
    }));
}

#[test]
fn failback_waits_for_its_window() {
    // The run starts at 09:00. app fails over when host-1 crashes, host-1 is back at 09:05,
    // but app may fail back only between 01:00 and 05:00: it moves home at 01:00 next day.
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["settings"]["resiliency_level"] = json!("isolate_on_special_heartbeat");
    s["design"]["vms"] = json!([{"id": "app", "hosts": ["host-1"], "storage": "csv", "nics": [{"switch": "lan"}], "memory_gb": 16, "preferred_owners": ["host-1"], "failback": true, "failback_window": {"start_hour": 1, "end_hour": 5}}]);
    add_faults(
        &mut s,
        vec![
            fault(30_000, crash("host-1")),
            repair(300_000, crash("host-1")),
        ],
    );
    let e = run(&scenario(s), 16 * 3_600_000 + 60_000);
    let waits = only(&e, VmFailbackWaits, "app");
    assert_eq!(waits.t_ms, 300_000);
    assert!(
        waits
            .message
            .contains("failback window is 01:00-05:00 and it is 09:05"),
        "{}",
        waits.message
    );
    let mig = only(&e, VmMigrating, "app");
    assert_eq!(mig.t_ms, 16 * 3_600_000);
    assert!(mig.message.contains("fails back"));
}
