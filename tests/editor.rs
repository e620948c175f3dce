//! Editing through named commands: each is one undo step; errors change nothing.

mod common;
use clusterlab::editor::{Command, Editor, NewComponent};
use clusterlab::model::{Pos, Scenario, SwitchKind, Witness};
use serde_json::json;

fn empty() -> Editor {
    Editor::new(Scenario::from_json(r#"{"name": "new", "design": {}}"#).unwrap())
}

#[test]
fn build_a_small_design_then_undo_and_redo_every_step() {
    let mut e = empty();
    e.apply(Command::Add {
        what: NewComponent::Host,
        at: Pos { x: 205, y: 198 },
        host: None,
    })
    .unwrap();
    assert_eq!(e.selection, ["host-1"]);
    assert_eq!(
        e.scenario().design.hosts[0].at,
        Some(Pos { x: 200, y: 200 }),
        "snapped to the grid"
    );
    e.apply(Command::Add {
        what: NewComponent::Switch(SwitchKind::External),
        at: Pos { x: 200, y: 40 },
        host: None,
    })
    .unwrap();
    e.apply(Command::AddVm {
        host: "host-1".into(),
    })
    .unwrap();
    assert_eq!(e.selection, ["vm-1"]);
    // No shared storage yet: the VM got the host's local disk.
    assert_eq!(
        e.scenario().design.storage[0].host.as_deref(),
        Some("host-1")
    );
    e.apply(Command::Connect {
        a: "host-1".into(),
        b: "switch-1".into(),
    })
    .unwrap();
    e.apply(Command::Connect {
        a: "vm-1".into(),
        b: "switch-1".into(),
    })
    .unwrap();
    e.apply(Command::Edit {
        id: "vm-1".into(),
        field: "memory_gb".into(),
        value: json!(16),
    })
    .unwrap();
    let done = e.scenario().clone();
    assert_eq!(done.design.vms[0].memory_gb, 16);
    assert_eq!(done.design.vms[0].nics[0].switch, "switch-1");
    assert_eq!(done.design.links.len(), 1);
    assert!(done.is_runnable(), "{:?}", done.validate());
    assert_eq!(e.undo_label(), Some("edit memory gb"));

    let mut states = vec![done.clone()];
    while e.undo() {
        states.push(e.scenario().clone());
    }
    assert_eq!(states.len(), 7, "six edits, six undo steps");
    assert!(e.scenario().design.hosts.is_empty());
    while e.redo() {}
    assert_eq!(e.scenario(), &done);
}

#[test]
fn a_bad_edit_is_refused_and_changes_nothing() {
    let mut e = Editor::new(common::scenario(common::host_cluster(
        3,
        common::disk_witness(),
        "2016+",
    )));
    let before = e.scenario().clone();
    let err = e
        .apply(Command::Edit {
            id: "vm-1".into(),
            field: "memory_gb".into(),
            value: json!("lots"),
        })
        .unwrap_err();
    assert!(err.starts_with("memory_gb: invalid type"), "{err}");
    assert!(
        e.apply(Command::Edit {
            id: "vm-1".into(),
            field: "id".into(),
            value: json!("x")
        })
        .is_err()
    );
    assert!(
        e.apply(Command::Connect {
            a: "host-1".into(),
            b: "host-2".into()
        })
        .unwrap_err()
        .contains("through a switch")
    );
    assert_eq!(e.scenario(), &before);
    assert!(e.undo_label().is_none());
}

#[test]
fn one_edit_sets_a_shared_field_on_every_selected_component_as_one_undo_step() {
    let mut e = Editor::new(common::scenario(common::host_cluster(
        3,
        common::disk_witness(),
        "2016+",
    )));
    let before = e.scenario().clone();
    e.apply(Command::EditMany {
        ids: vec!["host-1".into(), "host-3".into()],
        field: "memory_gb".into(),
        value: json!(512),
    })
    .unwrap();
    let mem: Vec<u32> = e
        .scenario()
        .design
        .hosts
        .iter()
        .map(|h| h.memory_gb)
        .collect();
    assert_eq!(mem, [512, before.design.hosts[1].memory_gb, 512]);
    assert_eq!(e.undo_label(), Some("edit memory gb of 2 items"));
    assert!(e.undo());
    assert_eq!(e.scenario(), &before, "one step takes both back");
    // A value one of them refuses changes none of them.
    assert!(
        e.apply(Command::EditMany {
            ids: vec!["host-1".into(), "nowhere".into()],
            field: "memory_gb".into(),
            value: json!(100),
        })
        .is_err()
    );
    assert_eq!(e.scenario(), &before);
}

#[test]
fn dotted_fields_reach_nested_settings_and_null_restores_the_default() {
    let mut e = Editor::new(common::scenario(common::host_cluster(
        2,
        common::disk_witness(),
        "2016+",
    )));
    let cluster = e.scenario().design.clusters[0].id.clone();
    e.apply(Command::Edit {
        id: cluster.clone(),
        field: "heartbeat.same_subnet_threshold".into(),
        value: json!(20),
    })
    .unwrap();
    assert_eq!(
        e.scenario().design.clusters[0]
            .heartbeat
            .same_subnet_threshold,
        Some(20)
    );
    e.apply(Command::Edit {
        id: cluster,
        field: "heartbeat.same_subnet_threshold".into(),
        value: json!(null),
    })
    .unwrap();
    assert_eq!(
        e.scenario().design.clusters[0]
            .heartbeat
            .same_subnet_threshold,
        None
    );
    e.apply(Command::EditSettings {
        field: "timing.resiliency_period_ms".into(),
        value: json!(60_000),
    })
    .unwrap();
    assert_eq!(
        e.scenario().settings.timing.resiliency_period_ms,
        Some(60_000)
    );
}

#[test]
fn names_are_data_whatever_they_contain() {
    let mut e = Editor::new(common::scenario(common::host_cluster(
        2,
        common::disk_witness(),
        "2016+",
    )));
    let evil = "<img src=x onerror=alert(1)>";
    e.apply(Command::Edit {
        id: "host-1".into(),
        field: "name".into(),
        value: json!(evil),
    })
    .unwrap();
    assert_eq!(e.scenario().design.hosts[0].name, evil);
}

#[test]
fn deleting_a_host_takes_its_vms_links_and_memberships() {
    let mut e = Editor::new(common::scenario(common::host_cluster(
        3,
        common::disk_witness(),
        "2016+",
    )));
    e.apply(Command::Delete {
        ids: vec!["host-2".into()],
    })
    .unwrap();
    let d = &e.scenario().design;
    assert!(!d.vms.iter().any(|v| v.id == "vm-2"));
    assert!(!d.links.iter().any(|l| l.a == "host-2" || l.b == "host-2"));
    assert_eq!(d.clusters[0].nodes, ["host-1", "host-3"]);
    assert!(e.scenario().is_runnable());
    e.undo();
    assert_eq!(e.scenario().design.hosts.len(), 3);
}

#[test]
fn grouping_duplicating_moving_placing_and_settings() {
    let mut e = Editor::new(common::scenario(common::host_cluster(
        3,
        common::disk_witness(),
        "2016+",
    )));
    e.apply(Command::GroupCluster {
        hosts: vec!["host-2".into(), "host-3".into()],
    })
    .unwrap();
    let d = &e.scenario().design;
    assert_eq!(d.clusters.len(), 2);
    assert_eq!(d.clusters[0].nodes, ["host-1"]);
    e.apply(Command::SetWitness {
        cluster: "cluster-1".into(),
        witness: Witness::Cloud,
    })
    .unwrap();
    e.apply(Command::GroupNlb {
        vms: vec!["vm-1".into(), "vm-2".into()],
    })
    .unwrap();
    assert_eq!(e.scenario().design.nlb_clusters[0].members[1].priority, 2);
    e.apply(Command::GroupGuest {
        vms: vec!["vm-2".into(), "vm-3".into()],
    })
    .unwrap();
    e.apply(Command::Duplicate {
        ids: vec!["host-1".into()],
    })
    .unwrap();
    assert_eq!(e.selection, ["host-4"]);
    let at = e.scenario().design.hosts[3].at.unwrap();
    e.apply(Command::Move {
        ids: vec!["host-4".into()],
        dx: 31,
        dy: -11,
    })
    .unwrap();
    assert_eq!(
        e.scenario().design.hosts[3].at.unwrap(),
        Pos {
            x: at.x + 40,
            y: at.y - 20
        }
    );
    e.apply(Command::PlaceVm {
        vm: "vm-1".into(),
        host: "host-4".into(),
    })
    .unwrap();
    assert_eq!(e.scenario().design.vms[0].hosts, ["host-4"]);
    e.apply(Command::EditSettings {
        field: "version".into(),
        value: json!("2012r2"),
    })
    .unwrap();
    e.apply(Command::EditSettings {
        field: "heartbeat.same_subnet_threshold".into(),
        value: json!(7),
    })
    .unwrap();
    assert_eq!(
        e.scenario().settings.heartbeat.same_subnet_threshold,
        Some(7)
    );
    assert!(
        e.apply(Command::EditSettings {
            field: "version".into(),
            value: json!("3000")
        })
        .is_err()
    );
}

#[test]
fn every_example_gets_a_layout_without_overlapping_hosts() {
    for name in common::EXAMPLES {
        let e = Editor::new(common::example(name));
        let hosts: Vec<Pos> = e
            .scenario()
            .design
            .hosts
            .iter()
            .map(|h| h.at.unwrap())
            .collect();
        for (i, a) in hosts.iter().enumerate() {
            for b in &hosts[i + 1..] {
                assert!(a != b, "{name}: two hosts at {a:?}");
            }
        }
    }
}

/// Deleting a host takes its VMs' replicas, backup jobs and recovery-plan places with them
/// (and those of the VMs left without a host): nothing of disaster recovery names them after.
#[test]
fn deleting_a_host_takes_its_vms_out_of_disaster_recovery() {
    let recovery_problems = |e: &Editor| -> Vec<String> {
        (e.scenario().validate().into_iter())
            .map(|p| p.message)
            .filter(|m| m.contains("replica") || m.contains("backup") || m.contains("plan"))
            .collect()
    };
    let mut s = common::example("replica-site-loss");
    s.recovery
        .plans
        .push(clusterlab::model::recovery::RecoveryPlan {
            id: "p".into(),
            groups: vec![clusterlab::model::recovery::PlanGroup {
                vms: vec!["sql".into()],
                delay_s: 0,
                manual: None,
            }],
        });
    let mut e = Editor::new(s);
    e.apply(Command::Delete {
        ids: vec!["host-1".into()],
    })
    .unwrap();
    let r = &e.scenario().recovery;
    assert!(r.replicas.is_empty() && r.plans.is_empty(), "{r:?}");
    assert_eq!(recovery_problems(&e), Vec::<String>::new());

    let s = common::example("ransomware-restore");
    let host = s.design.vms.iter().find(|v| v.id == "sql").unwrap().hosts[0].clone();
    let mut e = Editor::new(s);
    e.apply(Command::Delete { ids: vec![host] }).unwrap();
    let r = &e.scenario().recovery;
    assert!(
        r.backups.iter().all(|b| !b.vms.iter().any(|v| v == "sql")),
        "{r:?}"
    );
    assert_eq!(recovery_problems(&e), Vec::<String>::new());
}
