//! Lessons: every kind of check on fixtures, passing and failing, with the sentence that says
//! why; and the grader, which takes nothing a submission says on trust.

mod common;
use clusterlab::lesson::{self, Verdict};
use clusterlab::model::Scenario;
use clusterlab::model::lesson::{Check, Lesson, Scope};
use common::example;

fn verdict(s: &Scenario, check: Check) -> Verdict {
    let lesson = Lesson {
        title: "t".into(),
        checks: vec![check],
        ..Lesson::default()
    };
    lesson::evaluate(s, &lesson).remove(0)
}

fn passes(s: &Scenario, check: Check, why: &str) {
    let v = verdict(s, check);
    assert!(v.pass, "{}: expected to pass, says {}", v.check, v.why);
    assert_eq!(v.why, why, "{}", v.check);
}

fn fails(s: &Scenario, check: Check, why: &str) {
    let v = verdict(s, check);
    assert!(!v.pass, "{}: expected to fail, says {}", v.check, v.why);
    assert_eq!(v.why, why, "{}", v.check);
}

fn s(t: &str) -> String {
    t.to_string()
}

#[test]
fn design_checks_read_the_design_as_drawn() {
    let w = example("web-app-db");
    let local = example("local-storage");
    passes(
        &w,
        Check::NoLocalStorage { tier: s("db") },
        "every VM of db is on shared storage",
    );
    fails(
        &local,
        Check::NoLocalStorage { tier: s("legacy") },
        "legacy keeps its disks on local-1, a host's local storage",
    );
    passes(
        &w,
        Check::SpansHosts {
            tier: s("web"),
            hosts: 2,
        },
        "web runs on 3 host(s): host-1, host-2, host-3",
    );
    fails(
        &w,
        Check::SpansHosts {
            tier: s("db"),
            hosts: 2,
        },
        "db runs on 1 host(s): host-1",
    );
    passes(
        &w,
        Check::HasWitness { cluster: s("prod") },
        "prod has a witness (file share witness-share)",
    );
    fails(
        &example("quorum-two-nodes"),
        Check::HasWitness {
            cluster: s("hv-cluster"),
        },
        "hv-cluster has no witness",
    );
    passes(
        &w,
        Check::AtMostHosts { hosts: 4 },
        "the design has 4 hosts",
    );
    fails(
        &w,
        Check::AtMostHosts { hosts: 3 },
        "the design has 4 hosts",
    );
}

#[test]
fn the_db_vlan_is_reachable_only_from_the_app_tier() {
    let mut w = example("web-app-db");
    // The sample puts the reports VM on the database's VLAN 20.
    fails(
        &w,
        Check::OnlyReachableFrom {
            tier: s("db"),
            from: s("app"),
        },
        "reports reaches db on a shared VLAN",
    );
    let reports = w.design.vms.iter_mut().find(|v| v.id == "reports").unwrap();
    reports.nics[0].vlan = Some(30);
    passes(
        &w,
        Check::OnlyReachableFrom {
            tier: s("db"),
            from: s("app"),
        },
        "only app reaches db",
    );
    fails(
        &w,
        Check::OnlyReachableFrom {
            tier: s("db"),
            from: s("web"),
        },
        "app#1 reaches db on a shared VLAN",
    );
}

#[test]
fn run_checks_run_the_script_again() {
    let w = example("web-app-db");
    // host-1's crash at 1:00 takes web#1 and the database with it until they restart.
    passes(
        &w,
        Check::Served {
            service: s("web"),
            percent: 70.0,
        },
        "web served 73.8542 % of its requests through the run",
    );
    let v = verdict(
        &w,
        Check::Served {
            service: s("web"),
            percent: 90.0,
        },
    );
    assert!(!v.pass, "{}", v.why);
    passes(
        &w,
        Check::QuorumKept { cluster: s("prod") },
        "prod kept quorum through the run",
    );
    fails(
        &example("quorum-two-nodes"),
        Check::QuorumKept {
            cluster: s("hv-cluster"),
        },
        "hv-cluster lost quorum at 39.7 s",
    );
}

#[test]
fn a_vm_running_again_within_a_time_is_measured_from_its_down_spans() {
    let w = example("web-app-db");
    // host-1 crashes at 1:00 and db, on it, restarts elsewhere.
    passes(
        &w,
        Check::RunningWithin {
            vm: s("db"),
            within_ms: 600_000,
        },
        "db went down 1 time(s); the longest took 5.7 min to run again",
    );
    let v = verdict(
        &w,
        Check::RunningWithin {
            vm: s("db"),
            within_ms: 120_000,
        },
    );
    assert!(!v.pass, "{}", v.why);
    passes(
        &w,
        Check::RunningWithin {
            vm: s("web#3"),
            within_ms: 1,
        },
        "web#3 never went down",
    );
    fails(
        &w,
        Check::RunningWithin {
            vm: s("nope"),
            within_ms: 1,
        },
        "the design has no VM nope",
    );
}

#[test]
fn analysis_checks_read_the_every_single_failure_analysis() {
    let w = example("web-app-db");
    passes(
        &w,
        Check::Survives {
            service: Some(s("web")),
            scope: Scope::HostCrashes,
        },
        "it survives each host crash",
    );
    let v = verdict(
        &w,
        Check::Survives {
            service: None,
            scope: Scope::Every,
        },
    );
    assert!(
        !v.pass && v.why.contains("does not survive: switch lan fails"),
        "{}",
        v.why
    );
    let v = verdict(
        &w,
        Check::RecoversWithin {
            service: s("db"),
            within_ms: 600_000,
            scope: Scope::HostCrashes,
        },
    );
    assert!(
        v.pass && v.why == "its longest recovery is 5.7 min (host-1 crashes)",
        "{}",
        v.why
    );
    let v = verdict(
        &w,
        Check::RecoversWithin {
            service: s("db"),
            within_ms: 120_000,
            scope: Scope::HostCrashes,
        },
    );
    assert!(!v.pass, "{}", v.why);
    let v = verdict(
        &w,
        Check::Availability {
            service: s("web"),
            percent: 99.0,
        },
    );
    assert!(
        v.pass && v.why.starts_with("web is available "),
        "{}",
        v.why
    );
    let v = verdict(
        &w,
        Check::Availability {
            service: s("web"),
            percent: 99.99999,
        },
    );
    assert!(!v.pass, "{}", v.why);
}

#[test]
fn action_checks_read_the_script_and_what_followed() {
    let w = example("web-app-db");
    let v = verdict(
        &w,
        Check::Did {
            fault: s("host_crash"),
            then: Some(s("vm_failover")),
        },
    );
    assert!(
        v.pass && v.why == "host_crash at 60 s, then vm_failover at 5.2 min",
        "{}",
        v.why
    );
    passes(
        &w,
        Check::Did {
            fault: s("host_crash"),
            then: None,
        },
        "the script has a host_crash at 60 s",
    );
    fails(
        &w,
        Check::Did {
            fault: s("guest_hang"),
            then: None,
        },
        "the script has no guest_hang",
    );
    fails(
        &w,
        Check::Did {
            fault: s("host_crash"),
            then: Some(s("quorum_lost")),
        },
        "host_crash at 60 s, but no quorum_lost followed",
    );
}

#[test]
fn the_grader_reruns_a_submission_and_flags_one_that_broke_the_lock() {
    use clusterlab::model::lesson::{Lock, Locked};
    let mut lesson_file = example("web-app-db");
    lesson_file.lesson = Some(Lesson {
        title: s("Keep db alive"),
        checks: vec![
            Check::HasWitness { cluster: s("prod") },
            Check::SpansHosts {
                tier: s("db"),
                hosts: 2,
            },
        ],
        lock: Lock {
            parts: vec![Locked {
                id: s("db"),
                properties: vec![s("storage")],
                reason: s("not the exercise"),
            }],
            faults: vec![s("host_crash")],
            operations: vec![],
            script: false,
        },
        ..Lesson::default()
    });
    // As handed out: one check of two passes.
    let g = lesson::grade(&lesson_file, &lesson_file).unwrap();
    assert_eq!((g.score, g.flags.len()), (50.0, 0));
    // The student's fix: a second db replica on another host. Nothing locked changed: full marks.
    let mut fixed = lesson_file.clone();
    let db = fixed.design.vms.iter_mut().find(|v| v.id == "db").unwrap();
    db.replicas = 2;
    db.hosts = vec![s("host-1"), s("host-2")];
    let g = lesson::grade(&lesson_file, &fixed).unwrap();
    assert_eq!(
        (g.score, g.flags.clone()),
        (100.0, Vec::<String>::new()),
        "{:?}",
        g.verdicts
    );
    // Changing a locked property, using a fault the lesson does not allow, or editing the lesson
    // is flagged and scores nothing, even with every check passing.
    let mut moved = fixed.clone();
    moved
        .design
        .vms
        .iter_mut()
        .find(|v| v.id == "db")
        .unwrap()
        .storage = s("witness-share");
    let g = lesson::grade(&lesson_file, &moved).unwrap();
    assert_eq!(
        (g.score, g.flags),
        (0.0, vec![s("db's storage is locked (not the exercise)")])
    );
    let mut hung = fixed.clone();
    hung.faults.push(clusterlab::model::ScheduledFault {
        at_ms: 90_000,
        repair: false,
        fault: clusterlab::model::Fault::GuestHang { vm: s("web#2") },
    });
    let g = lesson::grade(&lesson_file, &hung).unwrap();
    assert_eq!(g.flags, vec![s("the lesson does not allow guest_hang")]);
    let mut easier = fixed.clone();
    easier.lesson.as_mut().unwrap().checks.pop();
    let g = lesson::grade(&lesson_file, &easier).unwrap();
    assert_eq!(g.flags, vec![s("its lesson differs from the instructor's")]);
    assert!(lesson::grade(&example("web-app-db"), &fixed).is_err());
}

/// Student mode: the lock holds in the editor, with the instructor's reason; author mode and a
/// scenario without a lesson edit freely.
#[test]
fn in_student_mode_the_editor_refuses_what_the_lock_forbids() {
    use clusterlab::editor::{Command, Editor};
    use clusterlab::model::lesson::{Lock, Locked};
    use serde_json::json;
    let mut scenario = example("web-app-db");
    scenario.lesson = Some(Lesson {
        title: s("Keep db alive"),
        lock: Lock {
            parts: vec![
                Locked {
                    id: s("csv-1"),
                    properties: vec![],
                    reason: s("the storage is not the exercise"),
                },
                Locked {
                    id: s("db"),
                    properties: vec![s("storage")],
                    reason: String::new(),
                },
            ],
            faults: vec![s("host_crash")],
            operations: vec![],
            script: false,
        },
        ..Lesson::default()
    });
    let mut e = Editor::new(scenario);
    e.set_student(true);
    let edit = |id: &str, field: &str, value: serde_json::Value| Command::Edit {
        id: id.into(),
        field: field.into(),
        value,
    };
    let refused = |e: &mut Editor, c: Command| {
        let before = e.scenario().clone();
        let why = e.apply(c).unwrap_err();
        assert_eq!(*e.scenario(), before, "a refused edit changes nothing");
        why
    };
    assert_eq!(
        refused(&mut e, edit("db", "storage", json!("witness-share"))),
        "db's storage is locked"
    );
    assert_eq!(
        refused(
            &mut e,
            Command::Delete {
                ids: vec![s("csv-1")]
            }
        ),
        "csv-1 is locked (the storage is not the exercise): it cannot be removed"
    );
    let hang = clusterlab::model::ScheduledFault {
        at_ms: 90_000,
        repair: false,
        fault: clusterlab::model::Fault::GuestHang { vm: s("web#2") },
    };
    assert_eq!(
        refused(&mut e, Command::AddFault(hang.clone())),
        "the lesson does not allow guest_hang"
    );
    // What the lock leaves open: db's other properties, moving a locked part, allowed faults.
    e.apply(edit("db", "replicas", json!(2))).unwrap();
    e.apply(Command::Move {
        ids: vec![s("csv-1")],
        dx: 40,
        dy: 0,
    })
    .unwrap();
    let crash = clusterlab::model::ScheduledFault {
        at_ms: 90_000,
        repair: false,
        fault: clusterlab::model::Fault::HostCrash { host: s("host-2") },
    };
    e.apply(Command::AddFault(crash)).unwrap();
    // The instructor (author mode) may change anything.
    e.set_student(false);
    e.apply(edit("db", "storage", json!("witness-share")))
        .unwrap();
    e.apply(Command::AddFault(hang)).unwrap();
}

/// The gallery's lesson teaches what it says: as handed out every check fails, with why; the
/// fix its steps describe (disks on the CSV, instances on two hosts, a host crashed to watch)
/// passes them all.
#[test]
fn the_web_tier_lesson_fails_as_handed_out_and_passes_once_fixed() {
    let handed = example("lesson-web-tier");
    let g = lesson::grade(&handed, &handed).unwrap();
    assert_eq!(g.score, 0.0);
    let whys: Vec<&str> = g.verdicts.iter().map(|v| v.why.as_str()).collect();
    assert_eq!(
        whys,
        [
            "web keeps its disks on local-1, a host's local storage",
            "web runs on 1 host(s): host-1",
            "web does not survive: host-1 crashes",
            "the script has no host_crash",
        ]
    );
    let mut fixed = handed.clone();
    let web = &mut fixed.design.vms[0];
    web.storage = s("csv-1");
    web.hosts = vec![s("host-1"), s("host-2")];
    fixed.faults.push(clusterlab::model::ScheduledFault {
        at_ms: 60_000,
        repair: false,
        fault: clusterlab::model::Fault::HostCrash { host: s("host-1") },
    });
    let g = lesson::grade(&handed, &fixed).unwrap();
    assert_eq!((g.score, g.flags.len()), (100.0, 0), "{:?}", g.verdicts);
    // Changing the given parts to pass is flagged.
    let mut cheat = fixed.clone();
    cheat
        .design
        .storage
        .iter_mut()
        .find(|x| x.id == "local-1")
        .unwrap()
        .kind = clusterlab::model::StorageKind::Csv;
    let g = lesson::grade(&handed, &cheat).unwrap();
    assert_eq!(
        g.flags,
        vec![s("local-1 is locked (host-1's disks stay local)")]
    );
}

/// The SQL lesson tells the two answers apart: VM Monitoring (the host cluster's) notices SQL
/// failing but restarts the whole VM (90 s); a guest cluster moves only the role (under 20 s),
/// and needs a witness or a hung member's partner may hold no vote.
#[test]
fn the_sql_lesson_tells_vm_monitoring_from_a_guest_cluster() {
    use clusterlab::model::{Fault, GuestCluster, GuestRole, Monitoring, ScheduledFault, Witness};
    let handed = example("lesson-sql-vm-crash");
    let whys =
        |g: &lesson::Grade| -> Vec<String> { g.verdicts.iter().map(|v| v.why.clone()).collect() };
    let g = lesson::grade(&handed, &handed).unwrap();
    assert_eq!(
        (g.score, whys(&g)),
        (
            0.0,
            vec![
                s("db does not survive: the application in sql fails"),
                s("db never recovers: the application in sql fails"),
                s("the script has no app_failure"),
            ]
        )
    );
    let mut monitored = handed.clone();
    monitored
        .design
        .vms
        .iter_mut()
        .find(|v| v.id == "sql")
        .unwrap()
        .monitoring = Monitoring::Service;
    let g = lesson::grade(&handed, &monitored).unwrap();
    assert_eq!(
        (g.score, whys(&g)[..2].to_vec()),
        (
            33.3,
            vec![
                s("it survives each VM failure"),
                s("its longest recovery is 90 s (the application in sql fails)"),
            ]
        )
    );
    let mut guest = handed.clone();
    let v = guest.design.vms.iter_mut().find(|v| v.id == "sql").unwrap();
    v.replicas = 2;
    v.hosts = vec![s("host-2"), s("host-3")];
    guest.design.guest_clusters.push(GuestCluster {
        id: s("guest"),
        name: s("GUEST"),
        members: vec![s("sql")],
        witness: Witness::None,
        heartbeat: Default::default(),
        role: GuestRole {
            name: s("SQL"),
            tier: Some(s("db")),
            start_ms: 10_000,
        },
        lower_quorum_priority_node: None,
    });
    guest.faults.push(ScheduledFault {
        at_ms: 30_000,
        repair: false,
        fault: Fault::AppFailure { vm: s("sql#1") },
    });
    let g = lesson::grade(&handed, &guest).unwrap();
    assert_eq!(
        (g.score, whys(&g)),
        (
            33.3,
            vec![
                s("db does not survive: the guest OS of sql#2 hangs"),
                s("db never recovers: the guest OS of sql#2 hangs"),
                s("app_failure at 30 s, then role_online at 45 s"),
            ]
        )
    );
    guest.design.guest_clusters[0].witness = Witness::FileShare {
        storage: s("share"),
    };
    let g = lesson::grade(&handed, &guest).unwrap();
    assert_eq!((g.score, g.flags.len()), (100.0, 0), "{:?}", whys(&g));
    assert_eq!(
        whys(&g)[1],
        "its longest recovery is 19.8 s (VM sql#1 crashes)"
    );
}

/// The quorum lesson: with no witness the second crash stops the cluster; a witness on a share
/// host-1 serves dies with host-1; the file server's share or a cloud witness keeps quorum. The
/// script of failures is given: a submission without it is flagged.
#[test]
fn the_quorum_lesson_needs_a_witness_no_single_node_takes_down() {
    use clusterlab::model::Witness;
    let handed = example("lesson-quorum-witness");
    let with = |w: Witness| {
        let mut x = handed.clone();
        x.design.clusters[0].witness = w;
        lesson::grade(&handed, &x).unwrap()
    };
    let g = lesson::grade(&handed, &handed).unwrap();
    assert_eq!(g.score, 33.3);
    assert_eq!(g.verdicts[2].why, "hv-cluster lost quorum at 2.2 min");
    let g = with(Witness::FileShare {
        storage: s("h1-share"),
    });
    assert_eq!(
        (g.score, g.verdicts[2].why.as_str()),
        (66.7, "hv-cluster lost quorum at 2 min")
    );
    for w in [Witness::FileShare { storage: s("fs") }, Witness::Cloud] {
        let g = with(w);
        assert_eq!((g.score, g.flags.len()), (100.0, 0), "{:?}", g.verdicts);
    }
    let mut cheat = handed.clone();
    cheat.design.clusters[0].witness = Witness::FileShare { storage: s("fs") };
    cheat.faults.pop();
    let g = lesson::grade(&handed, &cheat).unwrap();
    assert_eq!(
        (g.score, g.flags),
        (
            0.0,
            vec![s(
                "the lesson's script is given: its host_crash at 120 s cannot be removed or changed"
            )]
        )
    );
}

/// A locked script in student mode: the given failures cannot be removed, what the student
/// added can.
#[test]
fn a_locked_script_keeps_what_was_given_and_lets_the_student_add() {
    use clusterlab::editor::{Command, Editor};
    use clusterlab::model::{Fault, ScheduledFault};
    let mut e = Editor::new(example("lesson-quorum-witness"));
    e.set_student(true);
    let before = e.scenario().clone();
    assert_eq!(
        e.apply(Command::RemoveFault { index: 1 }).unwrap_err(),
        "the lesson's script is given: its host_crash at 120 s cannot be removed or changed"
    );
    assert_eq!(*e.scenario(), before);
    let mine = ScheduledFault {
        at_ms: 200_000,
        repair: false,
        fault: Fault::HostCrash { host: s("host-2") },
    };
    e.apply(Command::AddFault(mine)).unwrap();
    e.apply(Command::RemoveFault { index: 2 }).unwrap();
    assert_eq!(e.scenario().faults, before.faults);
}

/// "RPO of sql ≤ 5 min": replication every 5 min over the 100 Mbit/s WAN does not make it (each
/// cycle's 300 MB take 24 s to arrive, so the point is 5.4 min old just before); every 30 s does
/// (30 s plus 2.4 s on the way). A VM with no copy fails it outright.
#[test]
fn an_rpo_check_takes_the_worst_moment_of_the_run() {
    let mut v = serde_json::to_value(example("replica-site-loss")).unwrap();
    v["faults"] = serde_json::json!([]);
    v["operations"] = serde_json::json!([
        {"at_ms": 900_000, "op": "live_migrate", "vm": "sql", "to": "host-1"}
    ]);
    let five_min = |v: &serde_json::Value| {
        verdict(
            &serde_json::from_value(v.clone()).unwrap(),
            Check::RpoWithin {
                vm: s("sql"),
                within_ms: 300_000,
            },
        )
    };
    let got = five_min(&v);
    assert!(!got.pass);
    assert_eq!(
        got.why,
        "sql's RPO reached 5.4 min at 5.4 min: a disaster then would have lost that much"
    );
    v["recovery"]["replicas"][0]["every_s"] = serde_json::json!(30);
    let got = five_min(&v);
    assert!(got.pass, "{}", got.why);
    assert_eq!(got.why, "sql's RPO was at worst 32.4 s");
    v["recovery"] = serde_json::json!({});
    assert_eq!(
        five_min(&v).why,
        "sql has no replica and no backup: a disaster loses all of its data"
    );
}
