//! Same scenario + seed = the same run, byte for byte. The recorded hashes are checked again
//! in the browser (wasm32) by the UI work, so a change here must be deliberate.

use clusterlab::sim::{run, trace_hash};

mod common;
use common::example;

/// Recorded runs: example name, run length, FNV-1a hash of the JSON-lines log (hex, so that
/// JavaScript can read it too). Kept in a data file the browser tests share.
const RECORDED: &str = include_str!("data/trace_hashes.json");

#[derive(serde::Deserialize, serde::Serialize, PartialEq, Debug)]
struct Recorded {
    example: String,
    until_ms: u64,
    hash: String,
}

#[test]
fn recorded_trace_hashes_are_reproduced() {
    let expected: Vec<Recorded> = serde_json::from_str(RECORDED).unwrap();
    let actual: Vec<Recorded> = expected
        .iter()
        .map(|r| {
            let e = run(&example(&r.example), r.until_ms).unwrap();
            Recorded {
                example: r.example.clone(),
                until_ms: r.until_ms,
                hash: format!("{:016x}", trace_hash(e.events())),
            }
        })
        .collect();
    assert_eq!(
        actual,
        expected,
        "a trace changed; if intended, record it:\n{}",
        serde_json::to_string_pretty(&actual).unwrap()
    );
}

#[test]
fn the_seed_changes_the_run_and_the_same_seed_repeats_it() {
    let mut s = example("web-app-db");
    let a = trace_hash(run(&s, 300_000).unwrap().events());
    let b = trace_hash(run(&s, 300_000).unwrap().events());
    assert_eq!(a, b);
    s.seed += 1;
    let c = trace_hash(run(&s, 300_000).unwrap().events());
    assert_ne!(
        a, c,
        "heartbeat phases come from the seed, so detection times move"
    );
}

#[test]
fn seeking_back_is_a_replay_that_lands_on_the_same_state() {
    let s = example("web-app-db");
    let mut straight = clusterlab::sim::Engine::new(&s).unwrap();
    straight.run_until(75_000);
    let mut stepped = clusterlab::sim::Engine::new(&s).unwrap();
    for t in (0..=75_000).step_by(250) {
        stepped.run_until(t);
    }
    assert_eq!(straight.snapshot(), stepped.snapshot());
    assert_eq!(straight.events(), stepped.events());
}
