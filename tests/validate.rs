//! Design problems are explained in plain words, errors before warnings, never a panic.

mod common;
use clusterlab::model::validate::Severity;
use common::*;
use serde_json::{Value, json};

fn problems(s: Value) -> Vec<(Severity, String)> {
    scenario(s)
        .validate()
        .into_iter()
        .map(|p| (p.severity, p.message))
        .collect()
}

fn has(s: Value, severity: Severity, text: &str) {
    let found = problems(s);
    assert!(
        found
            .iter()
            .any(|(sev, m)| *sev == severity && m.contains(text)),
        "no {severity:?} containing {text:?} in {found:#?}"
    );
}

#[test]
fn a_good_design_has_no_problems() {
    assert_eq!(problems(host_cluster(3, disk_witness(), "2016+")), vec![]);
}

#[test]
fn structure_errors() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["hosts"][1]["id"] = json!("host-1");
    has(s, Severity::Error, "two components share the id \"host-1\"");
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["clusters"][0]["nodes"][2] = json!("ghost");
    has(
        s,
        Severity::Error,
        "cluster hv names node ghost, which is not a host",
    );
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["links"][0]["b"] = json!("nowhere");
    has(
        s,
        Severity::Error,
        "link nic-1 must join two different existing",
    );
}

#[test]
fn local_storage_in_a_failover_cluster_is_flagged() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["design"]["storage"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "local-1", "kind": "local", "host": "host-1"}));
    s["design"]["vms"][0]["storage"] = json!("local-1");
    has(
        s,
        Severity::Warning,
        "VM vm-1 keeps its disks on host-1's local storage: it cannot fail over to another node of the cluster",
    );
}

#[test]
fn nlb_rules() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["vms"][0]["replicas"] = json!(3);
    s["design"]["nlb_clusters"] = json!([{"id": "n", "members": [{"vm": "vm-1", "priority": 2}, {"vm": "vm-2", "priority": 3}]}]);
    let found = problems(s);
    assert!(
        found.iter().any(|(_, m)| m
            == "NLB cluster n: vm-2 and vm-1 share host priority 3, which stops convergence"),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|(_, m)| m.contains("needs MAC address spoofing"))
    );
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["vms"][0]["replicas"] = json!(33);
    for h in 0..3 {
        s["design"]["hosts"][h]["memory_gb"] = json!(1024);
    }
    s["design"]["nlb_clusters"] = json!([{"id": "n", "members": [{"vm": "vm-1", "priority": 1}]}]);
    let found = problems(s);
    assert!(
        found
            .iter()
            .any(|(_, m)| m.contains("has host priority 33; priorities are 1-32"))
    );
    assert!(
        found
            .iter()
            .any(|(_, m)| m.contains("has 33 members; NLB allows at most 32"))
    );
}

#[test]
fn a_node_without_a_path_for_heartbeats_is_an_error() {
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["links"]
        .as_array_mut()
        .unwrap()
        .retain(|l| l["id"] != "nic-3");
    has(
        s,
        Severity::Error,
        "host host-3 cannot reach the other nodes of hv: it has no network path for heartbeats",
    );
}

#[test]
fn scale_limits() {
    let mut s = host_cluster(65, disk_witness(), "2016+");
    s["design"]["vms"] = json!([]);
    has(
        s,
        Severity::Error,
        "cluster hv has 65 nodes; a Windows Server 2016+ cluster has at most 64",
    );
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["design"]["hosts"][0]["memory_gb"] = json!(100_000);
    s["design"]["vms"][0]["replicas"] = json!(1025);
    s["design"]["vms"][0]["memory_gb"] = json!(1);
    has(
        s,
        Severity::Error,
        "host host-1 runs 1025 VMs; a Windows Server 2016+ host runs at most 1024",
    );
}

#[test]
fn capacity_problems() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["design"]["vms"][0]["memory_gb"] = json!(80);
    has(
        s.clone(),
        Severity::Error,
        "host host-1 has 64 GB of memory but its VMs need 80 GB",
    );
    s["design"]["vms"][0]["memory_gb"] = json!(60);
    has(s, Severity::Warning, "cannot absorb the loss of a node");
}

#[test]
fn witness_and_version_rules() {
    has(
        host_cluster(3, json!({"kind": "cloud"}), "2012r2"),
        Severity::Error,
        "cloud witness, which exists only from Windows Server 2016",
    );
    has(
        host_cluster(3, json!({"kind": "disk", "storage": "csv"}), "2016+"),
        Severity::Error,
        "must be a small shared SAN LUN",
    );
    has(
        host_cluster(3, json!({"kind": "file_share", "storage": "lun"}), "2016+"),
        Severity::Error,
        "must be an SMB share",
    );
    has(
        host_cluster(4, no_witness(), "2016+"),
        Severity::Warning,
        "even number of nodes and no witness",
    );
    let mut s = host_cluster(3, disk_witness(), "2008r2");
    s["design"]["clusters"][0]["heartbeat"] =
        json!({"same_subnet_delay_ms": 100, "same_subnet_threshold": 20});
    let found = problems(s);
    assert!(
        found
            .iter()
            .any(|(_, m)| m == "hv: heartbeat delay 100 ms is outside the allowed 250-2000 ms")
    );
    assert!(
        found
            .iter()
            .any(|(_, m)| m == "hv: heartbeat threshold 20 is outside the allowed 3-10")
    );
}

#[test]
fn shielded_vms_need_guarded_hosts() {
    let mut s = host_cluster(2, disk_witness(), "2016+");
    s["design"]["vms"][0]["shielded"] = json!(true);
    has(
        s,
        Severity::Error,
        "shielded VM vm-1 can only run on guarded hosts, and host-1 is not guarded",
    );
}

#[test]
fn errors_come_before_warnings() {
    let mut s = host_cluster(4, no_witness(), "2016+");
    s["design"]["vms"][0]["hosts"] = json!(["nowhere"]);
    let found = problems(s);
    assert_eq!(found[0].0, Severity::Error);
    assert_eq!(found.last().unwrap().0, Severity::Warning);
}

#[test]
fn a_newer_format_is_refused_with_a_message() {
    let err =
        clusterlab::model::Scenario::from_json(r#"{"format": 99, "name": "x", "design": {}}"#)
            .unwrap_err();
    assert_eq!(
        err,
        "this scenario uses format 99 but this version of ClusterLab reads up to 1"
    );
}

#[test]
fn settings_that_will_not_do_what_they_look_like() {
    let mut s = host_cluster(3, disk_witness(), "2008r2");
    s["design"]["vms"][0]["monitoring"] = json!("service");
    s["design"]["vms"][1]["failback"] = json!(true);
    let found = problems(s);
    assert!(found.iter().any(|(sev, m)| *sev == Severity::Error
        && m == "VM vm-1 uses VM Monitoring of a service, which arrived in Windows Server 2012; this scenario is Windows Server 2008 R2"));
    assert!(found.iter().any(|(_, m)| m == "VM vm-2 allows failback but has no preferred owner to fail back to"));
    // Guest cluster members on clustered hosts live-migrate: the default threshold of 10 is low.
    let mut s = host_cluster(3, disk_witness(), "2016+");
    s["design"]["guest_clusters"] =
        json!([{"id": "g", "members": ["vm-1", "vm-2"], "role": {"name": "sql"}}]);
    has(
        s.clone(),
        Severity::Warning,
        "raise its heartbeat threshold to about 20 (now 10)",
    );
    s["design"]["guest_clusters"][0]["heartbeat"] = json!({"same_subnet_threshold": 20});
    assert!(
        !problems(s)
            .iter()
            .any(|(_, m)| m.contains("raise its heartbeat threshold"))
    );
}

#[test]
fn fault_entries_are_read_strictly_with_clear_messages() {
    let parse = |fault: &str| {
        clusterlab::model::Scenario::from_json(&format!(
            r#"{{"name": "x", "design": {{}}, "faults": [{fault}]}}"#
        ))
    };
    let ok =
        parse(r#"{"at_ms": 5, "fault": "partition", "a": ["s1"], "b": ["s2"], "repair": true}"#)
            .unwrap();
    assert!(ok.faults[0].repair);
    assert!(
        parse(r#"{"at_ms": 5, "fault": "meteor"}"#)
            .unwrap_err()
            .contains("unknown fault \"meteor\" (one of host_crash")
    );
    assert!(
        parse(r#"{"at_ms": 5, "fault": "host_crash"}"#)
            .unwrap_err()
            .contains("fault host_crash needs \"host\"")
    );
    assert!(
        parse(r#"{"at_ms": 5, "fault": "vm_crash", "vm": "v", "host": "h"}"#)
            .unwrap_err()
            .contains("fault vm_crash does not take \"host\"")
    );
    assert!(
        parse(r#"{"at_ms": 5, "fault": "vm_crash", "vm": "v", "hots": "h"}"#)
            .unwrap_err()
            .contains("unknown field `hots`")
    );
    // Written back in the same shape, without a default `repair`.
    let s = parse(r#"{"at_ms": 5, "fault": "vm_crash", "vm": "v"}"#).unwrap();
    assert_eq!(
        serde_json::to_value(&s.faults[0]).unwrap(),
        json!({"at_ms": 5, "fault": "vm_crash", "vm": "v"})
    );
}

/// What each version does not have is refused, with the version that brought it.
#[test]
fn versions_gate_features_and_scale() {
    use clusterlab::model::Version;
    let errors = |s: &clusterlab::model::Scenario| -> Vec<String> {
        s.validate()
            .into_iter()
            .filter(|p| p.severity == clusterlab::model::validate::Severity::Error)
            .map(|p| p.message)
            .collect()
    };
    let mut s = common::example("web-app-db");
    assert!(errors(&s).is_empty());
    s.settings.version = Version::W2012R2;
    s.design.vms[0].shielded = true;
    s.settings.resiliency_level = Some(clusterlab::model::ResiliencyLevel::AlwaysIsolate);
    s.settings.heartbeat.cross_site_threshold = Some(20);
    // Beside the warnings that no host is guarded: the three features 2012 R2 does not have.
    let e: Vec<String> = errors(&s)
        .into_iter()
        .filter(|m| m.contains("arrived in Windows Server 2016"))
        .collect();
    assert_eq!(e.len(), 3, "{e:#?}");
    let mut s = scenario(host_cluster(3, disk_witness(), "2008r2"));
    assert!(errors(&s).is_empty());
    s.design.vms[0].priority = clusterlab::model::Priority::High;
    s.design.vms[0].monitoring = clusterlab::model::Monitoring::Service;
    s.design.vms[1].monitoring = clusterlab::model::Monitoring::Heartbeat;
    s.settings.dynamic_quorum = Some(true);
    let e = errors(&s);
    assert_eq!(
        e.iter()
            .filter(|m| m.contains("arrived in Windows Server 2012"))
            .count(),
        3,
        "{e:#?}"
    );
    // 2008 R2 scale: 16 nodes per cluster (the 64-node sample is refused), 384 VMs per host.
    let mut big = common::example("max-cluster");
    big.settings.version = Version::W2008R2;
    let e = errors(&big);
    assert!(
        e.iter()
            .any(|m| m.contains("64 nodes; a Windows Server 2008 R2 cluster has at most 16")),
        "{e:#?}"
    );
    assert!(e.iter().any(|m| m.contains("at most 1000")), "{e:#?}");
}
