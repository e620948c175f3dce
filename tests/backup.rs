//! Backups and data loss: restore points on a schedule and their retention, verification,
//! deletion, corruption and ransomware, and the way back: a full restore or an instant
//! recovery, with what was lost (RPO) and how long the service was out (RTO).

mod common;
use clusterlab::sim::EventKind::*;
use clusterlab::sim::{BackupView, Engine};
use common::*;
use serde_json::{Value, json};

const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;

/// sql on host-1 in the office, on its local disk. The office has a NAS on its LAN; the cloud
/// repository `blob` is behind a 200 Mbit/s WAN. Backup jobs as given.
fn office(backups: Value) -> Value {
    json!({
        "name": "backups", "seed": 1,
        "design": {
            "sites": [{"id": "office"}, {"id": "cloud"}],
            "hosts": [{"id": "host-1", "site": "office"}],
            "switches": [{"id": "lan", "kind": "external", "site": "office"}],
            "storage": [
                {"id": "disk-1", "kind": "local", "host": "host-1"},
                {"id": "nas", "kind": "smb", "site": "office"},
                {"id": "blob", "kind": "smb", "site": "cloud"}
            ],
            "links": [
                {"id": "nic-1", "a": "host-1", "b": "lan"},
                {"id": "nas-nic", "a": "nas", "b": "lan"},
                {"id": "wan", "a": "lan", "b": "blob", "bandwidth_mbps": 200}
            ],
            "vms": [{"id": "sql", "tier": "db", "hosts": ["host-1"], "storage": "disk-1", "nics": [{"switch": "lan"}]}]
        },
        "faults": [],
        "recovery": {"backups": backups}
    })
}

fn with(mut v: Value, faults: Vec<Value>, ops: Value) -> Value {
    add_faults(&mut v, faults);
    v["operations"] = ops;
    v
}

fn backups_of(e: &Engine, repo: &str) -> BackupView {
    e.backups()
        .into_iter()
        .find(|b| b.repository == repo)
        .unwrap()
}

fn messages(e: &Engine, kind: clusterlab::sim::EventKind) -> Vec<(u64, String)> {
    e.events()
        .iter()
        .filter(|x| x.kind == kind)
        .map(|x| (x.t_ms, x.message.clone()))
        .collect()
}

/// A nightly job whose last run was an hour before the run began keeps a week: the chain of
/// the last 7 nights (the one before is gone: its newest point is over 7 days old). The next
/// run, at 23 h, starts a new chain with a (synthetic) full: only the 24 h of changes cross
/// the LAN, 86 400 MB at 1 Gbit/s, 691.2 s. Six nights later the old chain goes, as a whole,
/// once its newest point is past the retention.
#[test]
fn restore_points_follow_the_schedule_and_retention_keeps_a_week() {
    let s = scenario(office(json!([{"vms": ["sql"], "to": "nas"}])));
    let mut e = Engine::new(&s).unwrap();
    let b = backups_of(&e, "nas");
    assert_eq!((b.points, b.good_points, b.rpo_ms), (7, 7, Some(HOUR)));
    e.run_until(23 * HOUR + 691_199);
    assert_eq!(backups_of(&e, "nas").points, 7);
    e.run_until(23 * HOUR + 691_200);
    let b = backups_of(&e, "nas");
    assert_eq!((b.points, b.rpo_ms), (8, Some(691_200)));
    assert_eq!(
        messages(&e, BackupTaken),
        vec![(
            23 * HOUR + 691_200,
            "sql backed up to nas: a full, crash-consistent restore point of 23.0 h".to_string()
        )]
    );
    // Nights 2 to 6 add incrementals to the new chain: 13 points, two chains.
    e.run_until(7 * DAY - HOUR + 691_199);
    assert_eq!(backups_of(&e, "nas").points, 13);
    // Night 7: the old chain's newest point (an hour before the run) is now past 7 days, so
    // the whole chain goes.
    e.run_until(7 * DAY - HOUR + 691_200);
    assert_eq!(backups_of(&e, "nas").points, 7);
    let last = messages(&e, BackupTaken).pop().unwrap();
    assert_eq!(
        last.1,
        "sql backed up to nas: an incremental, crash-consistent restore point of 167.0 h; retention removed its 7 oldest point(s), past 7 days"
    );
    e.run_until(8 * DAY - HOUR + 691_200);
    assert_eq!(backups_of(&e, "nas").points, 8);
    none(&e, BackupMissed, "sql");
}

/// Retention never keeps fewer than 3 points (Veeam's minimum), however short.
#[test]
fn retention_keeps_at_least_three_points() {
    let s = scenario(office(
        json!([{"vms": ["sql"], "to": "nas", "every_h": 168, "keep_days": 1}]),
    ));
    let e = run(&s, 2 * 7 * DAY);
    assert_eq!(backups_of(&e, "nas").points, 3);
}

/// A backup that cannot reach its repository misses, and says why.
#[test]
fn a_backup_that_cannot_reach_its_repository_misses() {
    let v = with(
        office(json!([{"vms": ["sql"], "to": "nas", "every_h": 1, "last_min_ago": 30}])),
        vec![fault(
            600_000,
            json!({"fault": "link_cut", "link": "nas-nic"}),
        )],
        json!([]),
    );
    let e = run(&scenario(v), HOUR);
    assert_eq!(
        messages(&e, BackupMissed),
        vec![(
            1_800_000,
            "sql's backup to nas did not run: host-1 cannot reach nas".to_string()
        )]
    );
    assert_eq!(backups_of(&e, "nas").rpo_ms, Some(HOUR + 1_800_000));
}

/// sql is deleted at 10 min and restored at 20 min from the NAS, whose last point is from an
/// hour before the run: 70 min of writes are lost whichever way. A full restore copies the
/// 100 GB disk over the 1 Gbit/s LAN (819.2 s), then boots (30 s): out for 24.2 min. An
/// instant recovery boots from the repository at once: out for 10.5 min, on slow I/O until
/// its disk is back on production storage at the same 819.2 s.
#[test]
fn a_full_restore_copies_first_and_an_instant_recovery_boots_at_once() {
    let deleted = || vec![fault(600_000, json!({"fault": "vm_deletion", "vm": "sql"}))];
    let op = |kind: &str| json!([{"at_ms": 1_200_000, "op": kind, "vm": "sql", "to": "host-1"}]);
    let jobs = || json!([{"vms": ["sql"], "to": "nas"}]);

    let e = run(
        &scenario(with(office(jobs()), deleted(), op("restore"))),
        HOUR,
    );
    assert_eq!(
        only(&e, RestoreStarted, "sql").message,
        "full restore of sql from its incremental, crash-consistent restore point of -60 min in nas: its 100 GB disk is copied to disk-1 at 1000 Mbit/s (13.7 min), then it boots on host-1"
    );
    let done = only(&e, RestoreDone, "sql");
    assert_eq!(done.t_ms, 1_200_000 + 819_200 + 30_000);
    assert_eq!(
        done.message,
        "sql serves again on host-1, as of its restore point of -60 min: the 70 min it wrote before the loss at 10 min is lost (RPO); it was out of service for 24.2 min (RTO)"
    );
    assert_eq!(backups_of(&e, "nas").lost, None);
    // The availability figures count the 70 min of data lost against sql's tier, db.
    let m = e.metrics();
    let db = m.tiers.iter().position(|t| t == "db").unwrap();
    assert_eq!(m.data_lost_until(HOUR)[db], 4_200_000);
    assert_eq!(m.data_lost_until(2_049_199)[db], 0);

    let e = run(
        &scenario(with(office(jobs()), deleted(), op("instant_recovery"))),
        HOUR,
    );
    let done = events(&e, RestoreDone, "sql");
    assert_eq!(
        done.iter().map(|x| x.t_ms).collect::<Vec<_>>(),
        vec![1_230_000, 1_200_000 + 819_200]
    );
    assert_eq!(
        done[0].message,
        "sql serves again on host-1, from the repository, as of its restore point of -60 min: the 70 min it wrote before the loss at 10 min is lost (RPO); it was out of service for 10.5 min (RTO)"
    );
    assert!(done[1].message.starts_with("sql's disk is on disk-1 now"));

    // sql crashes just before its disk has moved, and is still booting again when it has: no
    // word of full-speed I/O for a VM that is down.
    let mut faults = deleted();
    faults.push(fault(2_000_000, json!({"fault": "vm_crash", "vm": "sql"})));
    let v = with(office(jobs()), faults, op("instant_recovery"));
    let e = run(&scenario(v), HOUR);
    let done = events(&e, RestoreDone, "sql");
    assert_eq!(
        done.last().map(|x| (x.t_ms, x.message.as_str())),
        Some((
            2_019_200,
            "sql's disk is on disk-1 now (migrated to production while sql is down): it no longer depends on the repository"
        )),
        "{}",
        log_text(&e)
    );
}

/// Ransomware takes the office at 10 min. The NAS is on the office LAN: its points are
/// encrypted and the restore has nothing to restore from. A cloud copy behind the WAN is
/// reached as well, unless its copies are immutable, or the WAN was unplugged (an air gap).
#[test]
fn ransomware_encrypts_every_repository_it_reaches_but_not_immutable_copies() {
    let attack = || {
        vec![fault(
            600_000,
            json!({"fault": "ransomware", "domain": ["office"]}),
        )]
    };
    let restore =
        json!([{"at_ms": 1_200_000, "op": "instant_recovery", "vm": "sql", "to": "host-1"}]);

    // On-site only.
    let e = run(
        &scenario(with(
            office(json!([{"vms": ["sql"], "to": "nas"}])),
            attack(),
            restore.clone(),
        )),
        HOUR,
    );
    assert_eq!(
        messages(&e, DataLost),
        vec![
            (600_000, "sql's disks are encrypted by ransomware: it stops and cannot boot; it comes back from a clean backup or replica".to_string()),
            (600_000, "ransomware reaches nas from host-1 and encrypts the 7 restore point(s) of sql in it: a repository the attacker can reach is no copy".to_string()),
        ]
    );
    assert_eq!(
        only(&e, OperationRefused, "sql").message,
        "no restore point of sql can be restored: ransomware encrypted it in nas"
    );
    assert_eq!(backups_of(&e, "nas").good_points, 0);

    // Off-site, reachable, not immutable: encrypted too.
    let both = |immutable: bool| {
        office(json!([
            {"vms": ["sql"], "to": "nas"},
            {"vms": ["sql"], "to": "blob", "last_min_ago": 120, "immutable": immutable}
        ]))
    };
    let e = run(
        &scenario(with(both(false), attack(), restore.clone())),
        HOUR,
    );
    assert_eq!(backups_of(&e, "blob").good_points, 0);
    only(&e, OperationRefused, "sql");

    // Off-site and immutable: it survives; sql comes back from its point of 2 h before the run.
    let e = run(&scenario(with(both(true), attack(), restore.clone())), HOUR);
    assert_eq!(backups_of(&e, "blob").good_points, 7);
    assert!(
        only(&e, RestoreDone, "sql")
            .message
            .contains("as of its restore point of -2.0 h: the 2.2 h it wrote before the loss at 10 min is lost (RPO); it was out of service for 10.5 min (RTO)"),
        "{}",
        log_text(&e)
    );

    // Off-site, not immutable, but the WAN unplugged before the attack: out of its reach. The
    // restore then needs the WAN back.
    let mut v = with(
        both(false),
        vec![
            fault(300_000, json!({"fault": "link_cut", "link": "wan"})),
            fault(
                600_000,
                json!({"fault": "ransomware", "domain": ["office"]}),
            ),
            repair(900_000, json!({"fault": "link_cut", "link": "wan"})),
        ],
        restore,
    );
    v["faults"]
        .as_array_mut()
        .unwrap()
        .sort_by_key(|f| f["at_ms"].as_u64());
    let e = run(&scenario(v), HOUR);
    assert_eq!(backups_of(&e, "blob").good_points, 7);
    assert_eq!(only(&e, RestoreDone, "sql").t_ms, 1_230_000);
}

/// The data inside sql is corrupted at 10 min; it keeps running with its application failed.
/// The hourly backup at 30 min copies the corruption and its verification fails; a restore at
/// 50 min takes the last point before the corruption (-30 min): 40 min of writes are lost.
#[test]
fn a_corrupt_guest_is_backed_up_corrupt_and_restored_from_before() {
    let v = with(
        office(
            json!([{"vms": ["sql"], "to": "nas", "every_h": 1, "last_min_ago": 30, "verify": true}]),
        ),
        vec![fault(
            600_000,
            json!({"fault": "guest_corruption", "vm": "sql"}),
        )],
        json!([{"at_ms": 3_000_000, "op": "restore", "vm": "sql", "to": "host-1"}]),
    );
    let e = run(&scenario(v), 2 * HOUR);
    let snap = e.snapshot();
    let sql = snap.vms.iter().find(|v| v.id == "sql").unwrap();
    assert!(!sql.app_failed, "{}", log_text(&e));
    // 60 MB/min for an hour: 3 600 MB over 1 Gbit/s, 28.8 s; the lab boots it (30 s) and tests.
    let verified = messages(&e, BackupVerified);
    assert_eq!(verified[0].0, 1_800_000 + 28_800 + 30_000 + 60_000);
    assert_eq!(
        verified[0].1,
        "verification of sql's restore point of 30 min in nas FAILED: it was taken of corrupt data; the application test did not pass"
    );
    assert!(
        only(&e, RestoreStarted, "sql")
            .message
            .contains("restore point of -30 min in nas"),
        "{}",
        log_text(&e)
    );
    assert!(
        only(&e, RestoreDone, "sql")
            .message
            .contains("the 40 min it wrote before the loss at 10 min is lost (RPO)"),
        "{}",
        log_text(&e)
    );
    // The restored VM's next backup is good, and passes its verification.
    assert!(
        verified.last().unwrap().1.contains("passed"),
        "{verified:?}"
    );
}

/// A deleted VM with a replica comes back from it (an unplanned failover), clean.
#[test]
fn a_deleted_vm_fails_over_to_its_clean_replica() {
    let mut v = office(json!([]));
    v["design"]["hosts"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "dr-1", "site": "cloud"}));
    v["design"]["storage"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "disk-dr", "kind": "local", "host": "dr-1"}));
    v["design"]["links"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "dr-nic", "a": "dr-1", "b": "blob"}));
    v["recovery"] = json!({"replicas": [{"vm": "sql", "to": "dr-1"}]});
    let v = with(
        v,
        vec![fault(400_000, json!({"fault": "vm_deletion", "vm": "sql"}))],
        json!([{"at_ms": 600_000, "op": "unplanned_failover", "vm": "sql"}]),
    );
    let e = run(&scenario(v), HOUR);
    assert_eq!(vm_state(&e, "sql").0, "dr-1");
    let snap = e.snapshot();
    assert!(
        snap.vms
            .iter()
            .any(|v| v.id == "sql" && v.state_is_serving())
    );
}

/// What cannot run says why: a restore of an intact running VM, of a VM without backups, to a
/// host that is down; a repair of lost data; a job without a repository.
#[test]
fn backup_problems_say_what_is_wrong() {
    let ops = json!([
        {"at_ms": 60_000, "op": "restore", "vm": "sql", "to": "host-1"},
    ]);
    let e = run(
        &scenario(with(
            office(json!([{"vms": ["sql"], "to": "nas"}])),
            vec![],
            ops.clone(),
        )),
        120_000,
    );
    assert_eq!(
        only(&e, OperationRefused, "sql").message,
        "sql runs and none of its data is lost: a restore would overwrite it"
    );
    let e = run(
        &scenario(with(
            office(json!([])),
            vec![fault(1000, json!({"fault": "vm_deletion", "vm": "sql"}))],
            ops,
        )),
        120_000,
    );
    assert_eq!(
        only(&e, OperationRefused, "sql").message,
        "sql has no backup to restore from"
    );

    let problems = |v: Value| -> Vec<String> {
        scenario(v)
            .validate()
            .into_iter()
            .map(|p| p.message)
            .collect()
    };
    let mut v = office(json!([{"vms": ["sql", "web"], "to": "tape", "every_h": 0}]));
    add_faults(
        &mut v,
        vec![repair(1000, json!({"fault": "vm_deletion", "vm": "sql"}))],
    );
    let got = problems(v);
    for want in [
        "the backup job of sql, web writes to tape, which is not storage of the design",
        "the fault at 1000 ms repairs a loss of data (sql): lost data comes back by a restore from backup or a failover to a replica, not by a repair",
    ] {
        assert!(got.iter().any(|p| p == want), "{want}\n{got:#?}");
    }
    let got = problems(office(
        json!([{"vms": ["sql", "web"], "to": "nas", "every_h": 0}]),
    ));
    for want in [
        "web is backed up, but the design has no such VM",
        "the backup job to nas runs every 0 h: give 1 to 168 hours",
        "every backup of sql is in nas, beside sql itself: losing the site, or ransomware, takes the backups too. Keep one copy off-site or immutable (3-2-1)",
    ] {
        assert!(got.iter().any(|p| p == want), "{want}\n{got:#?}");
    }
    // An off-site or immutable copy answers the 3-2-1 warning.
    let got = problems(office(
        json!([{"vms": ["sql"], "to": "nas", "immutable": true}]),
    ));
    assert!(got.is_empty(), "{got:#?}");
}

mod random {
    use super::*;
    use proptest::prelude::*;

    fn entry(kind: u8, at: u64) -> Value {
        match kind {
            0 => fault(at, crash("host-1")),
            1 => repair(at, crash("host-1")),
            2 => fault(at, json!({"fault": "link_cut", "link": "wan"})),
            3 => repair(at, json!({"fault": "link_cut", "link": "wan"})),
            4 => fault(at, json!({"fault": "vm_deletion", "vm": "sql"})),
            5 => fault(at, json!({"fault": "guest_corruption", "vm": "sql"})),
            6 => fault(at, json!({"fault": "ransomware", "domain": ["office"]})),
            _ => fault(at, json!({"fault": "link_cut", "link": "nas-nic"})),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Under random crashes, cuts, deletions, corruptions and ransomware, with restores at
        /// random moments: every invariant holds after every event (lost data never runs, no
        /// point from the future, immutable copies never encrypted), and a restore that ran
        /// says what it lost and how long sql was out.
        #[test]
        fn backups_keep_their_invariants(
            script in proptest::collection::vec((0u8..8, 1u64..3_600), 0..8),
            restores in proptest::collection::vec((1u64..3_600, any::<bool>()), 0..3),
            immutable in any::<bool>(),
        ) {
            let mut v = office(json!([
                {"vms": ["sql"], "to": "nas", "every_h": 1, "last_min_ago": 20, "verify": true},
                {"vms": ["sql"], "to": "blob", "every_h": 1, "last_min_ago": 40, "immutable": immutable}
            ]));
            let mut entries: Vec<(u64, Value)> = script.iter().map(|&(k, s)| (s * 1000, entry(k, s * 1000))).collect();
            entries.sort_by_key(|(t, _)| *t);
            add_faults(&mut v, entries.into_iter().map(|(_, e)| e).collect());
            v["operations"] = restores
                .iter()
                .map(|&(at, instant)| json!({"at_ms": at * 1000, "op": if instant { "instant_recovery" } else { "restore" }, "vm": "sql", "to": "host-1"}))
                .collect();
            let s = scenario(v);
            let mut e = Engine::new(&s).unwrap();
            while e.advance(3 * HOUR) {
                e.check_invariants().map_err(TestCaseError::fail)?;
            }
            for done in e.events().iter().filter(|x| x.kind == RestoreDone && x.message.starts_with("sql serves again")) {
                prop_assert!(done.message.contains("(RPO)") && done.message.contains("(RTO)"));
            }
        }
    }
}

/// The gallery's ransomware sample teaches what it says: the NAS's copies are encrypted, the
/// immutable cloud copy survives, and sql serves again 30 s after its instant recovery at 20 min.
#[test]
fn the_ransomware_sample_comes_back_from_the_immutable_cloud_copy() {
    let e = run(&example("ransomware-restore"), 1_500_000);
    assert_eq!(backups_of(&e, "nas").good_points, 0);
    assert_eq!(backups_of(&e, "blob").good_points, 7);
    let done = events(&e, RestoreDone, "sql");
    assert_eq!(done[0].t_ms, 1_230_000);
    assert!(
        done[0]
            .message
            .contains("it was out of service for 10.5 min (RTO)")
    );
}

/// A restore whose VM does not come up (its host crashes during the boot) stops and says so;
/// the data is still lost, backups skip the VM meanwhile, and a second restore then runs.
#[test]
fn a_restore_that_does_not_come_up_stops_and_can_be_run_again() {
    let v = with(
        office(json!([{"vms": ["sql"], "to": "nas"}])),
        vec![
            fault(600_000, json!({"fault": "vm_deletion", "vm": "sql"})),
            fault(2_030_000, crash("host-1")),
            repair(2_100_000, crash("host-1")),
        ],
        json!([
            {"at_ms": 1_200_000, "op": "restore", "vm": "sql", "to": "host-1"},
            {"at_ms": 2_200_000, "op": "restore", "vm": "sql", "to": "host-1"}
        ]),
    );
    let e = run(&scenario(v), HOUR + 1_800_000);
    assert_eq!(
        only(&e, OperationRefused, "sql").message,
        "the restore of sql stopped: sql did not come up"
    );
    assert_eq!(events(&e, RestoreStarted, "sql").len(), 2);
    let done = only(&e, RestoreDone, "sql");
    assert_eq!(done.t_ms, 2_200_000 + 819_200 + 30_000);
    assert_eq!(backups_of(&e, "nas").lost, None);
}
