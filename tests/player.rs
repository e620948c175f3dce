//! Playback for the page: the frame clock, speed, single step, exact seeking by replay, faults
//! injected live (as fault script entries) and the fail/repair actions offered per component.

use clusterlab::editor::{Command, Editor};
use clusterlab::model::{Fault, Scenario, ScheduledFault};
use clusterlab::sim::actions::{Act, actions, active_faults, operations};
use clusterlab::sim::player::{Player, position_of, speed_at};
use clusterlab::sim::{self, EventKind};

mod common;
use common::example;

fn without_faults(name: &str) -> Scenario {
    let mut s = example(name);
    s.faults.clear();
    s
}

#[test]
fn frames_feed_the_engine_real_time_times_speed_in_whole_milliseconds() {
    let mut p = Player::new(&example("host-cluster"));
    assert!(!p.frame(16.0), "paused: time does not move");
    p.set_playing(true);
    for _ in 0..3 {
        p.frame(16.0);
    }
    assert_eq!(p.now(), 48);
    p.set_speed(0.1);
    for _ in 0..10 {
        p.frame(16.7);
    }
    // 10 x 1.67 ms = 16.7 ms: 16 whole steps, the rest is owed to the next frame.
    assert_eq!(p.now(), 48 + 16);
    p.set_speed(100.0);
    p.frame(16.7);
    assert_eq!(p.now(), 48 + 16 + 1670);
    p.set_speed(1.0);
    p.frame(5_000.0);
    assert_eq!(
        p.now(),
        48 + 16 + 1670 + 100,
        "a long frame counts as 100 ms"
    );
    p.set_speed(1e9);
    assert_eq!(p.speed(), 100.0);
    p.set_speed(f64::NAN);
    assert_eq!(p.speed(), 1.0);
}

#[test]
fn the_speed_slider_is_logarithmic_from_a_tenth_to_a_hundred() {
    assert!((speed_at(0.0) - 0.1).abs() < 1e-12);
    assert!((speed_at(1.0) - 100.0).abs() < 1e-9);
    assert!((speed_at(1.0 / 3.0) - 1.0).abs() < 1e-9);
    for x in [0.0, 0.25, 0.5, 0.9, 1.0] {
        assert!((position_of(speed_at(x)) - x).abs() < 1e-9);
    }
    assert_eq!(speed_at(f64::NAN), 0.1);
}

#[test]
fn seeking_back_replays_to_exactly_the_same_state() {
    let s = example("host-cluster");
    let straight = sim::run(&s, 75_000).unwrap();
    let mut p = Player::new(&s);
    p.set_playing(true);
    while p.now() < 120_000 {
        p.frame(100.0);
    }
    p.seek(75_000);
    let e = p.engine().unwrap();
    assert_eq!(e.now(), 75_000);
    assert_eq!(e.events(), straight.events());
    assert_eq!(e.snapshot(), straight.snapshot());
    p.seek(90_000);
    assert_eq!(
        p.engine().unwrap().snapshot(),
        sim::run(&s, 90_000).unwrap().snapshot()
    );
}

#[test]
fn step_pauses_and_stops_at_the_next_logged_moment() {
    let mut p = Player::new(&example("host-cluster"));
    p.seek(1_000);
    p.set_playing(true);
    let before = p.engine().unwrap().events().len();
    assert!(p.step());
    assert!(!p.playing());
    let e = p.engine().unwrap();
    let new = &e.events()[before..];
    assert!(!new.is_empty());
    // The crash scripted at 30 s is the next thing that happens.
    assert_eq!(p.now(), 30_000);
    assert!(new.iter().all(|x| x.t_ms == 30_000));
    assert_eq!(new[0].kind, EventKind::Fault);
}

#[test]
fn a_fault_injected_live_replays_as_part_of_the_scenario() {
    let mut editor = Editor::new(without_faults("host-cluster"));
    let mut p = Player::new(editor.scenario());
    p.seek(20_500);
    let fault = p.now_fault(
        Fault::HostCrash {
            host: "host-1".into(),
        },
        false,
    );
    editor.apply(Command::AddFault(fault)).unwrap();
    assert!(p.load(editor.scenario()));
    assert!(
        !p.load(editor.scenario()),
        "the same scenario again changes nothing"
    );
    assert_eq!(p.now(), 20_500, "the moment shown is kept");
    p.seek(120_000);
    let e = p.engine().unwrap();
    let fault = e
        .events()
        .iter()
        .find(|x| x.kind == EventKind::Fault)
        .unwrap();
    assert_eq!(fault.t_ms, 20_500);
    let down = e
        .events()
        .iter()
        .find(|x| x.kind == EventKind::NodeIsolated)
        .unwrap();
    assert!(down.message.starts_with("host-1 is Isolated"));
    // 2016+ defaults: Isolated 10 s after the last heartbeat (sent at or before 20.5 s).
    assert!((29_500..=30_500).contains(&down.t_ms), "{}", down.t_ms);
    // The same as running the scenario with that script from the start.
    assert_eq!(
        e.events(),
        sim::run(editor.scenario(), 120_000).unwrap().events()
    );
    // Undo takes the fault out again and the run has no failure.
    editor.undo();
    p.load(editor.scenario());
    assert!(
        !p.engine()
            .unwrap()
            .events()
            .iter()
            .any(|x| x.kind == EventKind::NodeDown)
    );
}

#[test]
fn a_design_with_errors_does_not_play_and_says_why() {
    let mut s = example("host-cluster");
    s.design.vms[0].hosts = vec!["nowhere".into()];
    let mut p = Player::new(&s);
    assert!(p.engine().is_none());
    assert!(!p.problems().is_empty());
    p.set_playing(true);
    assert!(!p.playing());
    assert!(!p.step());
    p.seek(10_000);
    assert_eq!(p.now(), 0);
}

#[test]
fn fault_script_entries_are_checked_and_kept_in_time_order() {
    let mut editor = Editor::new(without_faults("host-cluster"));
    let crash = |at_ms, host: &str, repair| {
        Command::AddFault(clusterlab::model::ScheduledFault {
            at_ms,
            repair,
            fault: Fault::HostCrash { host: host.into() },
        })
    };
    assert_eq!(
        editor.apply(crash(1, "host-9", false)),
        Err("host-9 is not in the design".into())
    );
    editor.apply(crash(60_000, "host-1", true)).unwrap();
    editor.apply(crash(30_000, "host-1", false)).unwrap();
    editor.apply(crash(60_000, "host-2", false)).unwrap();
    let at: Vec<(u64, bool)> = editor
        .scenario()
        .faults
        .iter()
        .map(|f| (f.at_ms, f.repair))
        .collect();
    assert_eq!(at, vec![(30_000, false), (60_000, true), (60_000, false)]);
    assert_eq!(editor.undo_label(), Some("add fault"));
    editor.apply(Command::RemoveFault { index: 0 }).unwrap();
    assert_eq!(editor.scenario().faults.len(), 2);
    assert!(editor.apply(Command::RemoveFault { index: 5 }).is_err());
}

#[test]
fn actions_toggle_between_failing_and_repairing() {
    let s = example("host-cluster");
    let labels = |t, ids: &[&str]| -> Vec<(String, char, bool)> {
        let ids: Vec<String> = ids.iter().map(|x| x.to_string()).collect();
        actions(&s, t, &ids)
            .into_iter()
            .map(|a| (a.label.clone(), a.key, a.restores()))
            .collect()
    };
    assert_eq!(
        labels(10_000, &["host-2"]),
        vec![
            ("Crash host-2".into(), 'f', false),
            ("Isolate host-2 (all NICs down)".into(), 'i', false)
        ]
    );
    // The example crashes host-2 at 30 s and powers it on at 420 s.
    assert_eq!(
        labels(30_000, &["host-2"])[0],
        ("Power on host-2".into(), 'f', true)
    );
    assert_eq!(labels(420_000, &["host-2"])[0].0, "Crash host-2");
    assert_eq!(active_faults(&s, 100_000).len(), 1);
    assert_eq!(active_faults(&s, 420_000), vec![]);
    let vm = labels(0, &["vm-1"]);
    assert_eq!(vm[0].0, "Crash VM vm-1");
    assert_eq!(vm[1].0, "Fail the application in vm-1");
    let two = actions(&s, 0, &["host-1".into(), "host-2".into()]);
    match &two[0].act {
        Act::Fault {
            fault: Fault::Partition { a, b },
            ..
        } => {
            assert_eq!(a, &["host-1", "host-2"]);
            assert!(b.contains(&"host-3".to_string()) && !b.contains(&"host-1".to_string()));
        }
        other => panic!("{other:?}"),
    }
    assert!(labels(0, &["nothing"]).is_empty());
    // The disk witness's own failure is offered on its storage, as a toggle too.
    assert_eq!(
        labels(0, &["quorum-lun"]),
        vec![
            ("Fail storage quorum-lun".into(), 'f', false),
            ("Fail the witness of hv-cluster".into(), 'w', false)
        ]
    );
    let mut failed = s.clone();
    failed.faults.push(ScheduledFault {
        at_ms: 5_000,
        repair: false,
        fault: Fault::WitnessFailure {
            cluster: "hv-cluster".into(),
        },
    });
    let back = actions(&failed, 10_000, &["quorum-lun".into()]);
    assert_eq!(back[1].label, "Bring back the witness of hv-cluster");
    assert!(back[1].restores());
}

mod random_use {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Op {
        Frame(f64),
        Speed(f64),
        Seek(u64),
        Step,
        Crash(u64),
        Undo,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (1.0f64..120.0).prop_map(Op::Frame),
            1 => (0.0f64..=1.0).prop_map(|p| Op::Speed(speed_at(p))),
            2 => (0u64..200_000).prop_map(Op::Seek),
            1 => Just(Op::Step),
            1 => (1u64..=4).prop_map(Op::Crash),
            1 => Just(Op::Undo),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever the user does (play, change speed, scrub, step, break things, undo), what
        /// the page shows is exactly a fresh run of the scenario to that moment.
        #[test]
        fn the_player_always_shows_the_scenarios_own_run(
            ops in proptest::collection::vec(op(), 1..24),
        ) {
            let mut editor = Editor::new(without_faults("web-app-db"));
            let mut p = Player::new(editor.scenario());
            p.set_playing(true);
            for op in ops {
                match op {
                    Op::Frame(ms) => {
                        p.set_playing(true);
                        let before = p.now();
                        p.frame(ms);
                        // Never more than a 100 ms frame at the speed set.
                        prop_assert!(p.now() >= before);
                        prop_assert!(p.now() - before <= (100.0 * p.speed()).ceil() as u64 + 1);
                    }
                    Op::Speed(s) => p.set_speed(s),
                    Op::Seek(t) => {
                        p.seek(t);
                        prop_assert_eq!(p.now(), t, "the timeline shows the moment asked for");
                    }
                    Op::Step => {
                        p.step();
                    }
                    Op::Crash(h) => {
                        let f = p.now_fault(Fault::HostCrash { host: format!("host-{h}") }, false);
                        editor.apply(Command::AddFault(f)).unwrap();
                        p.load(editor.scenario());
                    }
                    Op::Undo => {
                        editor.undo();
                        p.load(editor.scenario());
                    }
                }
                let e = p.engine().unwrap();
                let fresh = sim::run(editor.scenario(), p.now()).unwrap();
                prop_assert_eq!(e.events(), fresh.events());
                prop_assert_eq!(e.snapshot(), fresh.snapshot());
            }
        }
    }
}

#[test]
fn operations_offered_follow_the_state_of_the_run() {
    let mut s = example("host-cluster");
    s.faults.clear();
    let labels = |e: &clusterlab::sim::Engine, id: &str| -> Vec<(String, char)> {
        operations(&s, &e.snapshot(), &[id.to_string()])
            .into_iter()
            .map(|a| (a.label, a.key))
            .collect()
    };
    let e = clusterlab::sim::run(&s, 1_000).unwrap();
    let host = labels(&e, "host-1");
    assert_eq!(
        host,
        [
            ("Pause host-1 and drain its roles".to_string(), 'd'),
            ("Shut host-1 down gracefully".to_string(), 'g'),
            ("Evict host-1 from hv-cluster".to_string(), 'e'),
            (
                "Update hv-cluster node by node (Cluster-Aware Updating)".to_string(),
                'u'
            )
        ]
    );
    let snap = e.snapshot();
    let vm = &snap.vms[0];
    let moves = labels(&e, &vm.id);
    assert!(
        moves[0]
            .0
            .starts_with(&format!("Live migrate {} to ", vm.id)),
        "{moves:?}"
    );
    assert_eq!((moves[0].1, moves[1].1), ('m', 'q'));
    assert!(
        moves.iter().all(|(l, _)| !l.ends_with(&vm.host)),
        "never to its own host: {moves:?}"
    );
    // Once drained, the host offers resume (with or without failback), not drain.
    let mut drained = s.clone();
    drained.operations.push(clusterlab::model::ScheduledOp {
        at_ms: 1_000,
        op: clusterlab::model::Operation::Drain {
            host: "host-1".into(),
        },
    });
    let e = clusterlab::sim::run(&drained, 200_000).unwrap();
    let host = labels(&e, "host-1");
    assert_eq!(
        host[0],
        ("Resume host-1 and fail roles back".to_string(), 'd')
    );
    assert_eq!(host[1].0, "Resume host-1 without failback");
    // Nobody live-migrates onto a paused node.
    let vm = e
        .snapshot()
        .vms
        .into_iter()
        .find(|v| v.host != "host-1")
        .unwrap();
    assert!(
        labels(&e, &vm.id)
            .iter()
            .all(|(l, _)| !l.ends_with("host-1"))
    );
}
